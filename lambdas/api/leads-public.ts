/**
 * POST /leads: the public route web forms post to (a plain HTML form or JSON).
 * Answers 202 {leadId} for new and known emails alike, so the response reveals nothing;
 * a repeat post appends a submission event and never overwrites what is known or lowers a stage.
 */
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { consentFor, mergeConsent } from '../domain/consent.ts';
import { submissionEvent } from '../domain/forms.ts';
import { leadIdFor, normaliseEmail } from '../domain/lead-id.ts';
import {
  fillMissingFields,
  type LeadState,
  newLeadState,
  rejudgeLead,
  type StoredEvent,
  withTimeline,
} from '../domain/lead-state.ts';
import { localeField } from '../domain/locale.ts';
import { ResponseFloor } from '../domain/response-floor.ts';
import type { BotCheck } from '../ports/bot-check.ts';
import { jitteredBackoffMs, LeadConflictError, sleep, updateLead } from '../ports/lead-store.ts';
import { type ApiDeps, MAX_BODY_BYTES } from './deps.ts';
import { HttpError, type HttpEvent, header, json, parseBody, validate } from './http.ts';
import {
  HONEYPOT_FIELD,
  type LeadSubmission,
  leadFields,
  REDIRECT_FIELD,
  submissionSchema,
} from './lead-submission.ts';
import { apiHandler, type CorsPolicy, isAllowedOrigin } from './middleware.ts';

/** Real time for the response floor: monotonic, never the SLA clock (which --speed runs faster). */
export interface Timing {
  now(): number;
  sleep(ms: number): Promise<void>;
  readonly floor: ResponseFloor;
}

export const realTiming = (floor = new ResponseFloor()): Timing => ({
  now: () => performance.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  floor,
});

/**
 * Runs `work` and answers no sooner than the floor after `startedAt` (ADR 0010): known, new and bot posts
 * take the same time unless the work outlasts the floor. The floor is read before this answer's own time
 * is reported (when `work` says `observe`: typical real work, not a bot's post, not a queued one), so an
 * answer never shifts its own wait. A failure waits too.
 */
export async function equalised(
  timing: Timing,
  startedAt: number,
  work: () => Promise<{ observe: boolean }>,
): Promise<void> {
  const floor = timing.floor.current();
  let observe = false;
  try {
    ({ observe } = await work());
  } finally {
    const took = timing.now() - startedAt;
    if (observe) timing.floor.observe(took);
    if (floor > took) await timing.sleep(floor - took);
  }
}

export function submitLeadHandler(deps: ApiDeps, timing: Timing = realTiming()) {
  const cors: CorsPolicy = { allowedOrigins: deps.allowedOrigins, methods: 'POST, OPTIONS' };
  return apiHandler(
    'POST /leads',
    async (event: HttpEvent) => {
      const startedAt = timing.now();
      const origin = header(event, 'origin');
      if (origin && !isAllowedOrigin(cors, origin)) {
        throw new HttpError(403, 'origin_not_allowed', `posts from ${origin} are not allowed`, [
          { path: 'origin', message: 'not an allowed origin' },
        ]);
      }
      const { kind, data: posted } = parseBody(event, { maxBytes: MAX_BODY_BYTES, accept: ['json', 'form'] });
      // the CAPTCHA token is no lead field: taken out before validation, checked after it
      const { data, token } = withoutBotToken(posted, deps.botCheck?.field);
      const valid = validate(submissionSchema, data, 'the lead is invalid');
      if (deps.botCheck) await requireHuman(deps.botCheck, token, header(event, 'x-forwarded-for'));
      // the lead's language (ADR 0019): the form's locale/language field, else the browser's
      const submission = { ...valid, ...localeField(deps.sla, valid, header(event, 'accept-language')) };
      const redirect = thankYouUrl(submission, deps);
      const leadId = leadIdFor(submission.email, deps.leadIdSecret);

      // a filled honeypot is a bot: answer exactly as for a person, store nothing. Rejected posts (above)
      // answer at once: a 4xx says what was wrong with the post, never whether its email is known
      const bot = Boolean(submission[HONEYPOT_FIELD]);
      await equalised(timing, startedAt, async () => {
        if (bot) return { observe: false };
        // a post that queued behind others of its email would drag the floor up for everyone
        const { contended } = await submitLead(deps, submission, leadId);
        return { observe: !contended };
      });

      if (kind === 'form' && redirect) return { statusCode: 303, headers: { location: redirect }, body: '' };
      return json(202, { leadId });
    },
    cors,
  );
}

/**
 * Stores the submission and starts (new lead) or signals (known lead) its workflow. `contended`: the
 * post queued behind others of its lead or retried a conflict (its time says nothing typical).
 */
export async function submitLead(
  deps: ApiDeps,
  submission: LeadSubmission,
  leadId: string,
  retry: RetryPolicy = FORM_POST_RETRY,
): Promise<{ contended: boolean }> {
  const effort = { contended: false };
  const at = deps.clock.now();
  const fields = leadFields(submission);
  const eventId = randomUUID();
  const event: StoredEvent = {
    ...submissionEvent(deps.sla, fields, at.toISOString(), eventId),
    eventId,
    receivedAt: at.toISOString(),
  };
  const consent = submission.marketingConsent === true;
  // the record of it: when, where, what text; double opt-in asks the person to confirm (domain/consent.ts)
  const record = consent ? consentFor(deps.sla, fields, at, eventId) : undefined;
  const email = normaliseEmail(submission.email);

  // most posts are new people: try the conditional create first (no read), beside the event write
  // (independent items); a known email fails the condition and carries on as a repeat post
  const fresh: LeadState = {
    ...newLeadState(
      deps.sla,
      { leadId, email, fields, marketingConsent: consent, ...(record ? { consent: record } : {}) },
      [event],
      at,
      'form',
    ),
    createdByEvent: eventId,
  };
  const [, created] = await Promise.all([
    deps.store.appendEvent(leadId, event),
    deps.store.createLead(fresh),
  ]);
  if (created === 'created') {
    await deps.workflow.start(leadId, fresh.cycle);
    return effort;
  }

  let restarted: LeadState | undefined;
  let ownCreate = false;
  const outcome = await retryingUpdate(deps, leadId, retry, effort, async (current) => {
    // the create landed but its answer was lost (the SDK's retry then found the item): this post
    // made the lead, so it starts its workflow rather than recording itself a second time
    if (isOwnCreate(current, fresh)) {
      ownCreate = true;
      return undefined;
    }
    const events = await deps.store.listEvents(leadId);
    if (current.erasedAt) {
      // the person came back after erasure: a new, separate life for the same address
      restarted = newLeadState(
        deps.sla,
        {
          leadId,
          email,
          fields,
          marketingConsent: consent,
          ...(record ? { consent: record } : {}),
          cycle: current.cycle + 1,
        },
        [event],
        at,
        'form',
      );
      return restarted;
    }
    const filled = fillMissingFields(current.fields, fields);
    const withPost: LeadState = {
      ...current,
      fields: filled.fields,
      // consent is given by a form and withdrawn only by unsubscribing
      marketingConsent: current.marketingConsent || consent,
      ...withConsentRecord(current.consent, record),
    };
    const judged = rejudgeLead(deps.sla, withPost, events, at, 'form') ?? {
      ...withPost,
      updatedAt: at.toISOString(),
    };
    return withTimeline(judged, {
      at: at.toISOString(),
      kind: 'submitted',
      by: 'form',
      reasons: [
        {
          rule: `form.${typeof fields.formId === 'string' ? fields.formId : 'unknown'}`,
          detail: filled.added.length ? `new fields: ${filled.added.join(', ')}` : 'no new fields',
        },
      ],
    });
  });
  if (outcome === 'gave up') {
    // the event is stored: the workflow's next Advance re-judges from the stored events (scores,
    // journey, stage). Wake it now rather than at its next timer. The fields only this post brought
    // and its consent are what could be missed: docs/decisions/0010 names that limit.
    console.warn(
      JSON.stringify({
        level: 'warn',
        route: 'POST /leads',
        msg: 'the lead kept changing: submission stored, its re-judging left to the workflow',
        leadId,
      }),
    );
    const current = await deps.store.getLead(leadId);
    if (current) await deps.workflow.signal(current, 'form submission (deferred)');
    return effort;
  }
  if (ownCreate) {
    await deps.workflow.start(leadId, fresh.cycle);
    return effort;
  }
  const { state, result } = outcome;
  if (result !== 'saved' || !state) return effort;
  if (restarted) await deps.workflow.start(leadId, restarted.cycle);
  else await deps.workflow.signal(state, 'form submission');
  return effort;
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
  return oneAtATime(leadId, async () => {
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
      if (attempt >= policy.attempts || performance.now() - started + wait > policy.budgetMs)
        return 'gave up';
      await sleep(wait);
    }
  });
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

function thankYouUrl(submission: LeadSubmission, deps: ApiDeps): string | undefined {
  const target = submission[REDIRECT_FIELD];
  if (!target) return undefined;
  const url = new URL(target);
  const origin = url.origin;
  if (!deps.allowedOrigins.includes(origin)) {
    // an open redirect would let anyone bounce victims through our domain
    throw new HttpError(400, 'invalid_request', 'the thank-you page must be on an allowed origin', [
      { path: REDIRECT_FIELD, message: `${origin} is not an allowed origin` },
    ]);
  }
  // the parsed form, percent-encoded: the raw text may hold characters a Location header cannot carry
  return url.href;
}

/** The stored lead is the one this post created (its submission event made it). */
function isOwnCreate(current: LeadState, fresh: LeadState): boolean {
  return current.createdByEvent !== undefined && current.createdByEvent === fresh.createdByEvent;
}

/** The consent record a repeat post leaves (mergeConsent: the first one stands), as a spread. */
function withConsentRecord(
  current: LeadState['consent'],
  posted: LeadState['consent'],
): Pick<LeadState, 'consent'> {
  const consent = mergeConsent(current, posted);
  return consent ? { consent } : {};
}

/** The posted body without the bot check's token field, and the token (when a string). */
function withoutBotToken(posted: unknown, field: string | undefined): { data: unknown; token?: string } {
  if (!field || typeof posted !== 'object' || posted === null || Array.isArray(posted))
    return { data: posted };
  const { [field]: token, ...data } = posted as Record<string, unknown>;
  return typeof token === 'string' ? { data, token } : { data };
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
