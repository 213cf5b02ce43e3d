/**
 * POST /leads: the public route web forms post to (a plain HTML form or JSON).
 * Answers 202 {leadId} for new and known emails alike, so the response reveals nothing;
 * a repeat post appends a submission event and never overwrites what is known or lowers a stage.
 */

import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { consentFor, consentModeOf, mergeConsent, optedOut } from '../domain/consent.ts';
import { confirmedByPost, formNameOf, singleOptInEntry } from '../domain/consent-entry.ts';
import { type FieldIssue, fieldIssue, utf8Bytes } from '../domain/form-values.ts';
import { submissionEvent } from '../domain/forms.ts';
import type { FieldValue } from '../domain/lead.ts';
import { leadIdFor, normaliseEmail } from '../domain/lead-id.ts';
import {
  afterErasedCycle,
  executionName,
  fillMissingFields,
  type LeadState,
  type LegalConsent,
  newLeadState,
  rejudgeLead,
  type StoredEvent,
  storyInstant,
  withTimeline,
  withWakeWanted,
} from '../domain/lead-state.ts';
import { shippedLanguage } from '../domain/locale.ts';
import { pageText } from '../domain/page-text.ts';
import type { BotCheck } from '../ports/bot-check.ts';
import { isDependencyBusy } from '../ports/dependency-busy.ts';
import { inTime, timeForAnotherTry } from '../ports/invocation-time.ts';
import {
  jitteredBackoffMs,
  LeadConflictError,
  sleep,
  updateLead,
  withMovedEntries,
} from '../ports/lead-store.ts';
import { type ApiDeps, MAX_FORM_BODY_BYTES } from './deps.ts';
import { equalised, realTiming, type Timing } from './equalised.ts';
import { isTypeformPartial, isTypeformPost } from './form-shapes.ts';
import {
  bodyBytes,
  errorResponse,
  FILE_FIELD_REFUSED,
  FILE_FIELD_UNNAMED,
  type FormBody,
  HttpError,
  type HttpEvent,
  type HttpResult,
  header,
  json,
  readFormBody,
  wantsHtml,
} from './http.ts';
import { MAX_CLOCK_SKEW_MS } from './lead-access.ts';
import { type PostedLead, readPost, recordedIssues } from './lead-post.ts';
import { type LeadSubmission, leadFields, REDIRECT_FIELD } from './lead-submission.ts';
import { ANY_ORIGIN, apiHandler, asHttpError, type CorsPolicy, isAllowedOrigin } from './middleware.ts';
import { htmlPage, requestLocale, withHeaders } from './pages.ts';
import { isTypeformSigned, TYPEFORM_SIGNATURE_HEADER } from './typeform-signature.ts';
import { writtenAlready } from './written-already.ts';

export { equalised, realTiming, type Timing };

export function submitLeadHandler(deps: ApiDeps, timing: Timing = realTiming()) {
  const cors: CorsPolicy = { allowedOrigins: deps.allowedOrigins, methods: 'POST, OPTIONS' };
  return apiHandler(
    'POST /leads',
    async (event: HttpEvent) => {
      // a browser's plain form post gets pages (a thank-you redirect, or what to fix); programs get JSON
      const html = wantsHtml(event);
      // the page's language: the browser's until the post names one (its locale/language field)
      const reader = { locale: requestLocale(deps.sla, event) };
      try {
        return await acceptPost(deps, timing, cors, event, html, reader);
      } catch (error) {
        // a browser gets a page for a failure of ours too (a 500 in its language), never raw JSON
        if (html) return formErrorPage(asHttpError('POST /leads', error), reader.locale);
        throw error;
      }
    },
    cors,
  );
}

/**
 * The public form's answer to an error raised before its handler runs (the local server's read limit,
 * as API Gateway's payload limit would): a page in the visitor's language for a browser, JSON for a program.
 */
export function formRefusal(deps: Pick<ApiDeps, 'sla'>, event: HttpEvent, error: HttpError): HttpResult {
  return wantsHtml(event) ? formErrorPage(error, requestLocale(deps.sla, event)) : errorResponse(error);
}

async function acceptPost(
  deps: ApiDeps,
  timing: Timing,
  cors: CorsPolicy,
  event: HttpEvent,
  html: boolean,
  reader: { locale: string },
): Promise<HttpResult> {
  const startedAt = timing.now();
  const origin = header(event, 'origin');
  if (origin && !isAllowedOrigin(cors, origin)) {
    throw new HttpError(
      403,
      'origin_not_allowed',
      `posts from ${origin} are not allowed: add it to the allowed origins (allowedOrigins on deploy, --origin locally)`,
      [{ path: 'origin', message: 'not an allowed origin' }],
    );
  }
  const { body: posted, bytes, typeform } = readPostBody(event);
  // Typeform's servers post its webhook: signed with the secret ops set (when set), no CAPTCHA to solve
  if (typeform && deps.typeformSecret) requireTypeformSignature(event, bytes, deps.typeformSecret);
  if (typeform && posted.kind === 'json' && isTypeformPartial(posted.data))
    return json(200, { ignored: 'a partial Typeform response: a lead is made from the submitted one' });
  // the CAPTCHA token is no lead field: taken out before the post is read, checked after it
  const { body, token } = withoutBotToken(posted, deps.botCheck?.field);
  const lead = readLead(deps, body, event, reader);
  if (deps.botCheck && !(typeform && deps.typeformSecret)) {
    if (typeform) throw typeformNeedsSecret(deps.botCheck);
    await requireHuman(deps.botCheck, token, header(event, 'x-forwarded-for'));
  }
  const leadId = leadIdFor(lead.submission.email, deps.leadIdSecret);

  // a filled honeypot is a bot: answer exactly as for a person, store nothing. Rejected posts (above)
  // answer at once: a 4xx says what was wrong with the post, never whether its email is known
  await equalised(timing, startedAt, async () => {
    if (lead.bot) return { observe: false };
    // a post that queued behind others of its email would drag the floor up for everyone
    const { contended } = await submitLead(deps, lead.submission, leadId, FORM_POST_RETRY, lead.extras);
    return { observe: !contended };
  });

  if (lead.returnUrl && (html || body.kind !== 'json')) {
    return { statusCode: 303, headers: { location: lead.returnUrl, 'cache-control': 'no-store' }, body: '' };
  }
  // ticked on a double opt-in form: the page says to confirm by email (of the post alone: nothing stored shows)
  const confirm =
    lead.submission.marketingConsent === true && consentModeOf(deps.sla, lead.submission.formId) === 'double';
  if (html) return thankYouPage(reader.locale, confirm);
  return json(202, { leadId });
}

/**
 * The post's body, up to MAX_FORM_BODY_BYTES (413 beyond), with its bytes (what a signature covers) and
 * whether it is Typeform's webhook.
 */
function readPostBody(event: HttpEvent): { body: FormBody; bytes: Buffer; typeform: boolean } {
  const body = readFormBody(event, MAX_FORM_BODY_BYTES);
  const bytes = bodyBytes(event);
  const typeform = body.kind === 'json' && isTypeformPost(body.data);
  return { body, bytes, typeform };
}

/** 401 unless the post carries Typeform's signature of its exact bytes with the configured secret. */
function requireTypeformSignature(event: HttpEvent, bytes: Buffer, secret: string): void {
  const signature = header(event, TYPEFORM_SIGNATURE_HEADER);
  if (isTypeformSigned(bytes, signature, secret)) return;
  throw new HttpError(
    401,
    'invalid_signature',
    signature
      ? 'the Typeform-Signature does not match this post: the webhook’s secret in Typeform must be the one LeadPact has'
      : 'a Typeform post must be signed: set the webhook’s secret in Typeform (Connect > Webhooks > Edit) to the one LeadPact has',
    [{ path: TYPEFORM_SIGNATURE_HEADER, message: signature ? 'does not match' : 'required' }],
  );
}

/** A Typeform post cannot pass a CAPTCHA: with the bot check on, LeadPact takes it signed only. */
function typeformNeedsSecret(check: BotCheck): HttpError {
  return new HttpError(
    400,
    'bot_check_failed',
    'Typeform posts cannot solve the bot check: give LeadPact the webhook’s Typeform secret (typeformSecretArn on deploy, LEADPACT_TYPEFORM_SECRET locally) and sign the webhook with it',
    [{ path: check.field, message: 'a signed Typeform post needs none' }],
  );
}

export interface SubmissionExtras {
  readonly fieldIssues?: readonly FieldIssue[];
  readonly legalConsent?: LegalConsent;
  /**
   * The vendor's id of the submission and when it was made (form-shapes.ts `sent`; the time only within
   * SENT_AT_WINDOW_MS of now): its event is keyed by them, so the vendor's resend stores nothing again
   */
  readonly sent?: { readonly id: string; readonly at?: string };
  /** the post ticked an opt-out: a known lead is unsubscribed (domain/consent.ts optedOut) */
  readonly optOut?: boolean;
}

/**
 * How far back a vendor's submission time is taken (Typeform retries for hours); ahead of our clock, no more
 * than MAX_CLOCK_SKEW_MS (as an engagement event's occurredAt).
 */
const SENT_AT_WINDOW_MS = 3 * 24 * 3_600_000;

/** The vendor's submission time when it is one within the window (3 days back, 5 minutes ahead), else undefined. */
function sentAt(at: string | undefined, now: Date): string | undefined {
  const ms = at === undefined ? Number.NaN : Date.parse(at);
  if (
    !Number.isFinite(ms) ||
    ms > now.getTime() + MAX_CLOCK_SKEW_MS ||
    ms < now.getTime() - SENT_AT_WINDOW_MS
  )
    return undefined;
  // as taken, not clamped to now: a resend must key its event as the first post did, and a vendor's clock a
  // little ahead of ours would otherwise give the first post our time and its resend the vendor's
  return new Date(ms).toISOString();
}

/**
 * A post as a lead (lead-post.ts), its thank-you URL checked against the allowed origins and its consent
 * notice timed. Only a missing or invalid email refuses it (400 naming `email`), in the post's language.
 */
function readLead(
  deps: ApiDeps,
  body: FormBody,
  event: HttpEvent,
  reader: { locale: string },
): { submission: LeadSubmission; extras: SubmissionExtras; bot: boolean; returnUrl?: string } {
  const read = readPost(deps.sla, body, {
    rawQueryString: event.rawQueryString,
    acceptLanguage: header(event, 'accept-language'),
  });
  reader.locale = read.locale ?? deps.sla.locales.default;
  if ('refusal' in read) throw read.refusal;
  const { lead } = read;
  const fieldIssues = [...lead.fieldIssues];
  const returnUrl = lead.returnUrl ? allowedReturnUrl(deps, event, lead.returnUrl, fieldIssues) : undefined;
  return {
    submission: lead.submission,
    extras: submissionExtras({ ...lead, fieldIssues }, deps.clock.now()),
    bot: lead.bot,
    ...(returnUrl ? { returnUrl } : {}),
  };
}

/** What submitLead keeps of a read post beside its fields: its field issues, consent notice (timed `at`), id, opt-out. */
export function submissionExtras(lead: PostedLead, at: Date): SubmissionExtras {
  return {
    ...(lead.fieldIssues.length ? { fieldIssues: recordedIssues(lead.fieldIssues) } : {}),
    ...(lead.legalConsent ? { legalConsent: { ...lead.legalConsent, at: at.toISOString() } } : {}),
    ...(lead.sent ? { sent: lead.sent } : {}),
    ...(lead.optOut ? { optOut: true } : {}),
  };
}

/** What a lead keeps of its posts' field issues and consent records: the newest. */
const MAX_ISSUES_KEPT = 40;
const MAX_CONSENTS_KEPT = 10;
/**
 * ... and of consent notices at most these UTF-8 bytes of JSON together (the newest always kept: a post's
 * body is 16 KB at most). Ten notices of HubSpot's shape can hold 20 texts of 1,000 characters each: 160 KB
 * of the state item, which DynamoDB refuses at 400 KB (ADR 0050).
 */
export const MAX_LEGAL_CONSENTS_BYTES = 32 * 1024;

/**
 * Stores the submission and starts (new lead) or signals (known lead) its workflow. `contended`: the
 * post queued behind others of its lead or retried a conflict (its time says nothing typical).
 */
export async function submitLead(
  deps: ApiDeps,
  submission: LeadSubmission,
  leadId: string,
  retry: RetryPolicy = FORM_POST_RETRY,
  extras: SubmissionExtras = {},
): Promise<{ contended: boolean }> {
  const effort = { contended: false };
  const at = deps.clock.now();
  const fields = leadFields(submission);
  // a vendor's submission keeps its own id and time: sent again, its event has the same key, stored once,
  // and the lead's entry of it says it was recorded. Without a time to trust, a post as any other
  const vendorAt = extras.sent && sentAt(extras.sent.at, at);
  const sent = extras.sent && vendorAt ? { id: extras.sent.id, at: vendorAt } : undefined;
  const eventId = sent?.id ?? deps.newId?.() ?? randomUUID();
  const event: StoredEvent = {
    ...submissionEvent(deps.sla, fields, sent?.at ?? at.toISOString(), eventId),
    eventId,
    receivedAt: at.toISOString(),
  };
  const consent = submission.marketingConsent === true;
  // the record of it: when, where, what text; double opt-in asks the person to confirm (domain/consent.ts)
  const record = consent ? consentFor(deps.sla, fields, at, eventId) : undefined;
  const email = normaliseEmail(submission.email);
  // what a new lead keeps of the post's fields: its custom ones within the lead's bound (the event keeps all)
  const kept = fillMissingFields({}, fields);
  const newExtras = withRefused(extras, kept.refused);

  // most posts are new people: try the conditional create first (no read), beside the event write
  // (independent items); a known email fails the condition and carries on as a repeat post
  const made: LeadState = withExtras(
    {
      ...newLeadState(
        deps.sla,
        {
          leadId,
          email,
          fields: kept.fields,
          marketingConsent: consent,
          ...(record ? { consent: record } : {}),
        },
        [event],
        at,
        'form',
      ),
      createdByEvent: eventId,
      // the execution the create starts, recorded before it starts (erase stops it by this name)
      execution: executionName(leadId, 1, 0),
    },
    newExtras,
  );
  // a new person who ticked the opt-out is recorded unsubscribed, as a known one is (below): a CRM and events
  // out see the suppression, and a box ticked on a later form asks for confirmation (re-consent)
  const fresh = newExtras.optOut ? optedOut(made, at, fields.formId) : made;
  // both are awaited whatever the other does (no write of this post still runs once it answers). Once both
  // are stored, a lead this post created starts its workflow, beside the create's report facts (two round
  // trips in turn, not three: bench/ingest.ts). Not before the event is stored: the first wake judges the
  // lead on its events, and without the submission it would judge a demo request as no request. A crash
  // before the start leaves the lead due now, which the reconciler starts (ADR 0012).
  // The event goes into the lead's wake's read (ADR 0057 amended): stored before the post knows whether its
  // lead is new, it is folded by the create (the lead's `createdByEvent`, which a wake knows folded) or, for a
  // known lead, by the write below; a post that dies or gives up before that write leaves it where the lead's
  // next wake reads it, and folds it
  const appending = deps.store.appendEvent(leadId, event, { old: true });
  let started = false;
  const start = async () => {
    started = true;
    await appending;
    await startStored(deps, leadId, fresh.cycle);
  };
  const creating = deps.store.createLead(fresh, start);
  const created = await createdOrKnown(deps, leadId, event, sent !== undefined, appending, creating);
  if (created === 'created') {
    if (!started) await start();
    return effort;
  }

  // a known lead that waits (parked, or dormant) is made due now, before anything else: a post that dies
  // before its write and signal leaves a lead the reconciler wakes within minutes, not at a deadline days away
  // or never (a dormant lead), and that wake reads the event. Not for a vendor's submission (its id): the vendor
  // sends it again until it is answered, and that post completes this one, while a resend of one already
  // recorded must change nothing. Insurance only: a failure is logged. (Not beside the create: every new lead
  // would pay a refused write for it; the round trip between is the window it leaves, with the event in the read)
  const madeDue =
    !sent &&
    (await deps.store.makeDueForNews(leadId, at.toISOString()).catch((error: Error) => {
      const failure = { level: 'warn', route: 'POST /leads', msg: 'lead not made due', leadId };
      console.warn(JSON.stringify({ ...failure, error: error.name }));
      return false;
    }));
  // a known lead: its event is in the wake's read (or a replay), not folded into its tally until the write
  // below. A lead with its events apart (ADR 0057) gets the event's copy apart before that write (a replay is
  // one found stored in either place), and loses the read's once the write folded it. A lead from before
  // keeps its events in the read, where this one is already; so does a new life after an erasure until its
  // event is stored with its cycle (below)
  let stored: Promise<'appended' | 'duplicate'> | undefined;
  const storedFor = (current: LeadState) => {
    if (!current.eventsApart || current.erasedAt) return appending;
    stored ??= appending.then(async (inRead) => {
      const apart = await deps.store.appendEvent(leadId, event);
      return inRead === 'duplicate' || apart === 'duplicate' ? 'duplicate' : 'appended';
    });
    return stored;
  };
  // once a write folded it (or found it recorded), the read's copy goes; left by a post that gave up or died,
  // the lead's wake moves it when it is stale (tasks/advance.ts)
  const done = async () => {
    if (!stored) return;
    await stored;
    await postTaken(leadId, 'submission stored; read copy left for the wake', () =>
      deps.store.deleteReadCopy(leadId, event),
    );
  };
  let restarted: LeadState | undefined;
  let ownCreate = false;
  let erasedBefore = false;
  const outcome = await retryingUpdate(deps, leadId, retry, effort, async (current) => {
    // the create landed but its answer was lost (the SDK's retry then found the item): this post
    // made the lead, so it starts its workflow rather than recording itself a second time
    if (isOwnCreate(current, fresh)) {
      ownCreate = true;
      return undefined;
    }
    // a vendor's submission made before the lead was erased (its resend): the erasure covers it, no new life
    // starts from it; its event, stored again as the erase had deleted the first, is deleted below
    if (sent && current.erasedAt && sent.at <= current.erasedAt) {
      erasedBefore = true;
      return undefined;
    }
    // the vendor's resend of a submission this lead recorded (its entry carries the vendor's id): nothing
    // changes, nothing is signalled; its event has the first's key and was not stored again either. Its entry
    // may have moved off the state (ADR 0032): an event found stored already is looked for there too
    // this try's time: taken afresh (a retry may come seconds later, after a confirmation or an email it did not
    // stop) and no earlier than the story it changes already holds, so an opt-out is never dated before what the
    // lead's story already says happened (ADR 0091, amended). The event keeps the post's time
    const when = storyInstant(current, deps.clock.now());
    // the consent record of this post, given at the write that records it
    const recordOf = (locale: FieldValue | undefined) =>
      record && consentFor(deps.sla, locale === undefined ? fields : { ...fields, locale }, when, eventId);
    const storing = storedFor(current);
    if (sent && (await sentRecorded(deps, current, sent.id, storing))) return undefined;
    await storing;
    const events = await deps.store.listEvents(leadId);
    if (current.erasedAt) {
      // the person came back after erasure: a new, separate life for the same address
      restarted = withExtras(
        afterErasedCycle(
          current,
          newLeadState(
            deps.sla,
            {
              leadId,
              email,
              fields: kept.fields,
              marketingConsent: consent,
              ...(record ? { consent: recordOf(undefined) } : {}),
              cycle: current.cycle + 1,
            },
            [event],
            when,
            'form',
          ),
        ),
        newExtras,
      );
      restarted = { ...restarted, execution: executionName(leadId, restarted.cycle, 0) };
      return restarted;
    }
    const filled = fillMissingFields(current.fields, fields);
    // a post that names no language (a form builder's server) records its consent text in the lead's
    const recorded = recordOf(fields.locale === undefined ? current.fields.locale : undefined);
    const withPost: LeadState = {
      ...withExtras(current, withRefused(extras, filled.refused)),
      fields: filled.fields,
      // consent is given by a form and withdrawn only by unsubscribing; given again after an unsubscribe, only
      // its confirmation gives it (domain/consent.ts mergeConsent)
      marketingConsent: current.marketingConsent || (consent && !current.unsubscribed),
      ...withConsentRecord(current, recorded, when),
    };
    const judged = rejudgeLead(deps.sla, withPost, events, when, 'form') ?? {
      ...withPost,
      updatedAt: when.toISOString(),
    };
    const submitted = withTimeline(judged, {
      at: when.toISOString(),
      kind: 'submitted',
      by: 'form',
      reasons: [
        {
          rule: `form.${typeof fields.formId === 'string' ? fields.formId : 'unknown'}`,
          detail: filled.added.length ? `new fields: ${filled.added.join(', ')}` : 'no new fields',
        },
      ],
      ...(sent ? { data: { sent: sent.id } } : {}),
    });
    // a single opt-in form's ticked box confirmed a consent: its own entry (events out: lead.consent_confirmed)
    const given = withPost.consent;
    const confirmed = confirmedByPost(current.consent, given)
      ? withTimeline(submitted, singleOptInEntry(given, formNameOf(deps.sla, given.formId)))
      : submitted;
    // a ticked opt-out unsubscribes, as the link in an email does. The write takes the parked execution's
    // token (kept as `signalled`, due now: ADR 0039), or makes a dormant lead due: whatever happens after it,
    // the lead is woken (by the signal below; should the post die first, by the reconciler)
    return withWakeWanted(extras.optOut ? optedOut(confirmed, when, fields.formId) : confirmed, when);
  }).catch((error: unknown) => {
    // DynamoDB busy past the SDK's retries before this post's write: its event is stored (above) and its lead
    // made due now (the reconciler's wake reads the event), so the post is taken as one that gave up to
    // contention is, not answered 503 "send the form again" (a resend was a second submission of one post, its
    // event counted twice). A lead not made due (that write refused too, or running) might not read the event
    // before a deadline days away, a dormant one never: then the 503, whose resend folds both
    if (!isDependencyBusy(error) || !madeDue) throw error;
    return 'busy' as const;
  });
  if (outcome === 'gave up' || outcome === 'busy') {
    // the event is stored: the workflow's next Advance re-judges from the stored events (scores,
    // journey, stage). Wake it now rather than at its next timer. The fields only this post brought
    // and its consent are what could be missed: docs/decisions/0010 names that limit.
    console.warn(
      JSON.stringify({
        level: 'warn',
        route: 'POST /leads',
        msg:
          outcome === 'busy'
            ? 'the store was busy: submission stored, its re-judging left to the workflow'
            : 'the lead kept changing: submission stored, its re-judging left to the workflow',
        leadId,
      }),
    );
    await postTaken(leadId, "submission stored; signal left to the lead's next wake", async () => {
      const current = await deps.store.getLead(leadId);
      if (current) await deps.workflow.signal(current, 'form submission (deferred)');
    });
    return effort;
  }
  if (ownCreate) {
    await startStored(deps, leadId, fresh.cycle);
    return effort;
  }
  if (erasedBefore) {
    if ((await appending) === 'appended') await deps.store.deleteEvent(leadId, event);
    return effort;
  }
  const { state, result } = outcome;
  if (result !== 'saved' || !state) {
    await done();
    return effort;
  }
  if (restarted) {
    // its event, stored before the post knew it starts a new life, may be swept by the erase still running
    // (its second sweep follows its write): stored again, tagged with the new cycle, which the sweep spares
    await deps.store.putEventOfCycle(leadId, { ...event, cycle: restarted.cycle });
    await deps.store.deleteReadCopy(leadId, event);
    // ... unless an erase of this new life ran meanwhile: its sweeps, done before this put, could not take it
    // (an erase whose second sweep follows this read takes it). Nothing of an erased life stays, nothing starts
    const now = await deps.store.getLead(leadId);
    if (!now || now.cycle !== restarted.cycle || now.erasedAt) {
      await deps.store.deleteEvent(leadId, event);
      return effort;
    }
    await startStored(deps, leadId, restarted.cycle);
  } else {
    await done();
    // the write took the parked token (or made a dormant lead due): should the signal fail, the reconciler wakes it
    await postTaken(leadId, 'submission stored; signal left to the reconciler', () =>
      deps.workflow.signal(state, 'form submission'),
    );
  }
  return effort;
}

/**
 * Work after the post's submission is taken (the workflow's start, the clean-up of its event's read copy, the
 * signal): a dependency busy past the SDK's retries is logged as `msg`, not answered 503 "send the form again"
 * (written-already.ts). What it leaves has a repair: a new lead due now, which the reconciler starts (ADR 0012),
 * a read copy the wake moves once stale (ADR 0057), a lead due now whose token the write took, which the
 * reconciler wakes (ADR 0039), a deferred post's event the lead's next wake folds (made due beforehand:
 * makeDueForNews). Any other failure stays the 500.
 */
const postTaken = (leadId: string, msg: string, work: () => Promise<unknown>) =>
  writtenAlready('POST /leads', leadId, msg, work);

/**
 * The create's outcome, once the event's write is done too (no write of the post still runs once it answers).
 * A create DynamoDB refused past the SDK's retries answers 503 whoever the person is (a known email answered
 * otherwise would tell that it was known), but for two cases that tell nothing. This post's own create landed,
 * its answer lost (the lead's `createdByEvent` is this event): the post goes on (isOwnCreate starts it). No lead
 * at all: the event this post stored is deleted before the 503, so the person's resend is their one submission
 * (it was a second one, folded by the lead's first wake: the demo request counted twice). Not a vendor's
 * submission (its id): the vendor's resend may have made the lead from it meanwhile, and stores it once anyway.
 * Should a lead appear meanwhile (the same person's other post), the event is put back, as that lead's wake may
 * have folded it. A read or a deletion refused too: logged, the event left, as before.
 */
async function createdOrKnown(
  deps: ApiDeps,
  leadId: string,
  event: StoredEvent,
  vendor: boolean,
  appending: Promise<'appended' | 'duplicate'>,
  creating: Promise<'created' | 'exists'>,
): Promise<'created' | 'exists'> {
  const [appended, created] = await Promise.allSettled([appending, creating]);
  if (appended.status === 'rejected') throw appended.reason;
  if (created.status === 'fulfilled') return created.value;
  const refused: unknown = created.reason;
  if (!isDependencyBusy(refused) || appended.value !== 'appended') throw refused;
  const lead = await deps.store.getLead(leadId).catch(() => {
    throw refused;
  });
  if (lead?.createdByEvent === event.eventId) return 'exists';
  if (lead || vendor) throw refused;
  const left = (msg: string) => (error: Error) =>
    console.warn(JSON.stringify({ level: 'warn', route: 'POST /leads', msg, leadId, error: error.name }));
  await deps.store.deleteEvent(leadId, event).catch((error: Error) => {
    left('lead not created; its event left stored')(error);
    throw refused;
  });
  const appeared = await deps.store.getLead(leadId).then(
    (now) => now !== undefined,
    () => true,
  );
  if (appeared)
    await deps.store
      .appendEvent(leadId, event, { old: true })
      .catch(left('lead not created; its event not put back'));
  throw refused;
}

/**
 * Starts the workflow of a lead this post stored, due now (a new lead, or a new life after an erasure). Step
 * Functions busy past the SDK's retries is not the post's failure: the reconciler starts the lead within
 * minutes (ADR 0012), so the post is answered as stored; a 503 "send it again" was untrue, and a resend a second
 * submission. Any other failure (a denied start: the deployment's) stays the 500 that alarms.
 */
async function startStored(deps: ApiDeps, leadId: string, cycle: number): Promise<void> {
  await postTaken(leadId, 'workflow not started: the reconciler starts it', () =>
    deps.workflow.start(leadId, cycle),
  );
}

/**
 * How a form post waits out concurrent writers of its lead (the same person posting many times at
 * once, a rep, the workflow): many more tries than other routes, full-jitter exponential backoff
 * capped per wait and overall, well inside the function's 15 s timeout. A visitor never sees a conflict.
 */
export const FORM_POST_RETRY: RetryPolicy = { attempts: 60, baseMs: 5, capMs: 250, budgetMs: 8_000 };

export interface RetryPolicy {
  /** tries of the read-change-save in all */
  readonly attempts: number;
  /** the n-th wait is random in [0, min(capMs, baseMs * 2^n)) */
  readonly baseMs: number;
  readonly capMs: number;
  /** no wait starts that would end later than this after the first try */
  readonly budgetMs: number;
}

/** updateLead with FORM_POST_RETRY; 'gave up' instead of throwing when the budget is spent. */
async function retryingUpdate(
  deps: ApiDeps,
  leadId: string,
  policy: RetryPolicy,
  effort: { contended: boolean },
  change: (current: LeadState) => Promise<LeadState | undefined>,
): Promise<Awaited<ReturnType<typeof updateLead>> | 'gave up'> {
  if (updating.has(leadId)) effort.contended = true;
  // the post's commit write: no try that might end past the function's timeout (ADR 0068); giving up, the post
  // is answered as taken (its event is in the lead's read, the lead made due)
  return oneAtATime(leadId, () =>
    inTime(async () => {
      const started = performance.now();
      for (let attempt = 1; ; attempt++) {
        try {
          // one try of the read-change-save; its conflict is retried here, with this route's backoff
          return await updateLead(deps.store, leadId, change, 1);
        } catch (error) {
          if (!(error instanceof LeadConflictError)) throw error;
        }
        effort.contended = true;
        const wait = jitteredBackoffMs(attempt, policy.baseMs, policy.capMs);
        if (
          attempt >= policy.attempts ||
          performance.now() - started + wait > policy.budgetMs ||
          !timeForAnotherTry(wait)
        )
          return 'gave up';
        await sleep(wait);
      }
    }),
  );
}

/** The tail of the queue of form posts updating each lead in this process. */
const updating = new Map<string, Promise<unknown>>();

/**
 * Runs the updates of one lead from this process one after another: concurrent posts of one email
 * that reach the same process (the local server; a Lambda container takes one request at a time)
 * queue instead of fighting over the lead's version, so each read-change-save succeeds first time.
 */
async function oneAtATime<T>(key: string, work: () => Promise<T>): Promise<T> {
  const run = (updating.get(key) ?? Promise.resolve()).then(work);
  const tail = run.then(
    () => undefined,
    () => undefined,
  );
  updating.set(key, tail);
  try {
    return await run;
  } finally {
    if (updating.get(key) === tail) updating.delete(key);
  }
}

/**
 * The thank-you page a form names (_redirect, retURL, mauticform[return], _next), resolved against the
 * posting page. Only on an allowed origin (an open redirect would let anyone bounce victims through
 * our domain); otherwise the lead is kept, the issue recorded, and the default thank-you page shown.
 */
function allowedReturnUrl(
  deps: ApiDeps,
  event: HttpEvent,
  target: string,
  issues: FieldIssue[],
): string | undefined {
  const base = postingPage(header(event, 'origin'), header(event, 'referer'));
  let url: URL;
  try {
    url = new URL(target, base);
  } catch {
    issues.push(fieldIssue(REDIRECT_FIELD, target, 'a URL'));
    return undefined;
  }
  // only origins the stack names: "*" opens CORS to any page, never the redirect to any site (docs/api.md)
  const named: CorsPolicy = {
    allowedOrigins: deps.allowedOrigins.filter((origin) => origin !== ANY_ORIGIN),
    methods: 'POST',
  };
  if ((url.protocol !== 'https:' && url.protocol !== 'http:') || !isAllowedOrigin(named, url.origin)) {
    const why = deps.allowedOrigins.includes(ANY_ORIGIN)
      ? `${url.origin} is not named in allowedOrigins ("*" lets any page post, never sends a visitor to any site)`
      : `${url.origin} is not an allowed origin`;
    issues.push(fieldIssue(REDIRECT_FIELD, target, why));
    return undefined;
  }
  // the parsed form, percent-encoded: the raw text may hold characters a Location header cannot carry
  return url.href;
}

/**
 * The page a post came from, to resolve a relative thank-you URL against: the Referer when it is on the
 * post's origin (a cross-origin post under the default referrer policy sends the origin only), else the origin.
 */
function postingPage(origin: string | undefined, referer: string | undefined): string | undefined {
  const sent = origin && origin !== 'null' ? origin : undefined;
  if (!referer) return sent;
  try {
    return !sent || new URL(referer).origin === sent ? referer : sent;
  } catch {
    return sent;
  }
}

function thankYouPage(locale: string, confirm: boolean): HttpResult {
  const t = pageText(shippedLanguage(locale)).form;
  return htmlPage(200, {
    title: t.thanksTitle,
    tone: 'success',
    paragraphs: [t.thanksIn, ...(confirm ? [t.confirmByEmail] : []), t.thanksClose],
    locale,
  });
}

/** What went wrong with a browser's post, as a page in the visitor's language that says what to fix. */
function formErrorPage(error: HttpError, locale: string): HttpResult {
  const language = shippedLanguage(locale);
  const t = pageText(language).form;
  // LeadPact's words for the fields a visitor can fix; another field's English detail only in English
  // (in another language the status's sentence below says it)
  const fixes = error.fields.flatMap((field) =>
    field.path === 'email'
      ? [field.message.startsWith('required') ? t.emailRequired : t.emailInvalid]
      : field.path === 'origin'
        ? [t.originNotAllowed]
        : error.code === 'bot_check_failed'
          ? [t.botCheck]
          : field.message === FILE_FIELD_REFUSED
            ? [t.fileField(field.path === FILE_FIELD_UNNAMED ? undefined : field.path)]
            : language === 'en'
              ? [`${field.path}: ${field.message}.`]
              : [],
  );
  // a failure of ours (a 5xx) is not the visitor's to correct: what happened, and to try again later
  if (error.status >= 500) {
    const busy = error.code === 'temporarily_unavailable';
    // a 503's Retry-After (a busy dependency, SES's rate) tells a script when to post again
    return withHeaders(
      htmlPage(error.status, {
        title: busy
          ? t.busyTitle
          : pageText(language).errors.byStatus[error.status === 503 ? 'unavailable' : 'broken'],
        tone: 'problem',
        paragraphs: [
          busy
            ? t.busy
            : language === 'en' && error.code !== 'internal'
              ? sentenceOf(error.message)
              : t.tryLater,
        ],
        locale,
      }),
      error.headers,
    );
  }
  const title =
    error.status === 403
      ? t.titleOrigin
      : error.status === 415
        ? t.titleType
        : error.status === 413
          ? t.titleTooLarge
          : t.titleCheck;
  // the general message only where the fields do not say it ("the lead is invalid" helps no one);
  // LeadPact's own message is English, so another language gets its sentence for the status
  const general =
    language === 'en'
      ? sentenceOf(error.message)
      : error.status === 413
        ? t.tooLarge
        : error.status === 403
          ? t.originNotAllowed
          : t.unreadable;
  // another language's general sentence for a 403 or 415 is vaguer than its fixes: the fixes alone
  const showGeneral =
    fixes.length === 0 ||
    !(error.status === 400 || ((error.status === 403 || error.status === 415) && language !== 'en'));
  return htmlPage(error.status, {
    title,
    tone: 'problem',
    // a 403 is the site's to fix, not the visitor's: no "correct it"
    paragraphs: [...(showGeneral ? [general] : []), ...fixes, error.status === 403 ? t.notSaved : t.goBack],
    locale,
  });
}

function sentenceOf(message: string): string {
  return `${message.charAt(0).toUpperCase()}${message.slice(1)}.`;
}

/**
 * Whether the lead recorded the vendor's submission `sentId`: its 'submitted' entry on the state, or, when the
 * submission's event was stored before this post (`appending` found it) and entries moved off the state, there.
 */
async function sentRecorded(
  deps: ApiDeps,
  current: LeadState,
  sentId: string,
  appending: Promise<'appended' | 'duplicate'>,
): Promise<boolean> {
  const has = (lead: LeadState) =>
    lead.timeline.some((entry) => entry.kind === 'submitted' && entry.data?.sent === sentId);
  if (has(current)) return true;
  if ((current.timelineSpilled ?? 0) === 0 || (await appending) !== 'duplicate') return false;
  return has(await withMovedEntries(deps.store, current));
}

/** The stored lead is the one this post created (its submission event made it). */
function isOwnCreate(current: LeadState, fresh: LeadState): boolean {
  return current.createdByEvent !== undefined && current.createdByEvent === fresh.createdByEvent;
}

/** The post's extras with the custom fields the lead had no room for flagged among its field issues. */
function withRefused(extras: SubmissionExtras, refused: readonly FieldIssue[]): SubmissionExtras {
  if (refused.length === 0) return extras;
  return {
    ...extras,
    fieldIssues: recordedIssues(extras.fieldIssues ?? [], refused),
  };
}

/** The post's field issues and consent record added to the lead's (bounded: the newest kept). */
function withExtras(state: LeadState, extras: SubmissionExtras): LeadState {
  return {
    ...state,
    ...(extras.fieldIssues?.length
      ? { fieldIssues: [...(state.fieldIssues ?? []), ...extras.fieldIssues].slice(-MAX_ISSUES_KEPT) }
      : {}),
    ...(extras.legalConsent
      ? { legalConsents: newestWithin([...(state.legalConsents ?? []), extras.legalConsent]) }
      : {}),
  };
}

/** The newest consent notices, at most MAX_CONSENTS_KEPT and MAX_LEGAL_CONSENTS_BYTES together (the newest always). */
function newestWithin(consents: readonly LegalConsent[]): LegalConsent[] {
  const kept: LegalConsent[] = [];
  let bytes = 2;
  for (let i = consents.length - 1; i >= 0 && kept.length < MAX_CONSENTS_KEPT; i--) {
    bytes += utf8Bytes(JSON.stringify(consents[i])) + (kept.length ? 1 : 0);
    if (kept.length > 0 && bytes > MAX_LEGAL_CONSENTS_BYTES) break;
    kept.unshift(consents[i]!);
  }
  return kept;
}

/** The consent record a repeat post leaves (mergeConsent), as a spread. */
function withConsentRecord(
  current: LeadState,
  posted: LeadState['consent'],
  at: Date,
): Pick<LeadState, 'consent'> {
  const consent = mergeConsent(current.consent, posted, at, current);
  return consent ? { consent } : {};
}

/** The posted body without the bot check's token field (no lead field), and the token (when a string). */
function withoutBotToken(body: FormBody, field: string | undefined): { body: FormBody; token?: string } {
  if (!field) return { body };
  if (body.kind !== 'json') {
    const token = body.fields.find(([name]) => name === field)?.[1];
    const fields = body.fields.filter(([name]) => name !== field);
    return token === undefined ? { body: { ...body, fields } } : { body: { ...body, fields }, token };
  }
  const posted = body.data;
  if (typeof posted !== 'object' || posted === null || Array.isArray(posted)) return { body };
  const { [field]: token, ...data } = posted as Record<string, unknown>;
  const members = body.members?.filter(([name]) => name !== field);
  const rest: FormBody = { kind: 'json', data, ...(members ? { members } : {}) };
  return typeof token === 'string' ? { body: rest, token } : { body: rest };
}

/** 400 naming the token field unless the provider says a person solved the check; 503 if it cannot be asked. */
async function requireHuman(
  check: BotCheck,
  token: string | undefined,
  forwardedFor?: string,
): Promise<void> {
  const refused = () =>
    new HttpError(400, 'bot_check_failed', 'the bot check was not passed; solve it and send the form again', [
      {
        path: check.field,
        message: token ? 'not accepted by the bot check' : 'required: the bot check token',
      },
    ]);
  if (!token) throw refused();
  let human: boolean;
  try {
    human = await check.verify(token, forwardedFor?.split(',')[0]?.trim() || undefined);
  } catch {
    throw new HttpError(
      503,
      'bot_check_unavailable',
      'the bot check cannot be reached; try again in a minute',
    );
  }
  if (!human) throw refused();
}
