/**
 * The one-click links in emails. The signed token in the path is the only credential (routes.ts
 * lists these routes as public):
 *
 *   GET  /actions/{token}       a confirmation page; changes nothing (mail scanners follow links)
 *   POST /actions/{token}       acts once: claims the link's nonce on the lead with a conditional
 *                               write, then logs the outcome / sets the status / moves the deal
 *                               through sales-actions.ts (the API's own code), then wakes the workflow
 *   GET  /unsubscribe/{token}   a confirmation page; changes nothing
 *   POST /unsubscribe/{token}   unsubscribes: the page's button, and RFC 8058 one-click posts
 *                               (`List-Unsubscribe=One-Click`) from mail clients alike
 *
 * A link that does not verify answers 400, an expired or out-of-date one 410, a used one 409;
 * none of them changes anything. A used link whose change is written (the done page reloaded, the link opened
 * on a second phone, a double tap: the press that lost waits for the other to land) says "Already done" and
 * where the lead stands, in the reader's language. An outcome link whose press died after its claim and before its attempt
 * is not used: pressed again, it logs the attempt (`interrupted`).
 *
 * Applied once, also when the workflow's signal fails after the change is written: the change's own write
 * marks the link acted (`actedActionNonces`; an outcome's attempt key), so the claim is not given back then
 * (503, "saved, press again"), and a press of an acted link only signals the workflow again (then 409).
 *
 * A link acts only within the handover it was sent in (linkStanding in action-links.ts): after the
 * lead moved to another rep, was recycled, handed over again, won or disqualified, GET and POST both
 * answer 410 Gone with a page that says what happened to the lead (by the SLA's names) and has no
 * button. 410, not 409: nothing the holder can do will make that link work again. POST checks the
 * same thing again inside the conditional write that claims the link, and again inside the write that
 * acts (the sales actions' guard), so a reassignment between the read and the claim, or between the
 * claim and the action, still refuses (and gives the claim back). A manager's escalation email carries the owner's handover: the
 * manager acts on behalf of the owner (the attempt is the owner's), the timeline credits the manager.
 */
import { randomUUID } from 'node:crypto';
import type { ActionPayload, LinkStanding } from '../domain/action-links.ts';
import {
  ACTION_LINK_TTL_SECONDS,
  describeAction,
  handoverOf,
  linkStanding,
  verifyActionToken,
} from '../domain/action-links.ts';
import { asksAgain, unsubscribeEvent, unsubscribeEventAt, withdrawn } from '../domain/consent.ts';
import { formatFullTime, leadName } from '../domain/email-templates.ts';
import { emailText } from '../domain/email-text.ts';
import { attemptKey } from '../domain/lead-plan.ts';
import {
  type Attempt,
  type LeadState,
  rejudgeLead,
  storyInstant,
  type TimelineEntry,
  withActedActionNonce,
  withSignalTaken,
  withTimeline,
  withUsedActionNonce,
} from '../domain/lead-state.ts';
import { linkEndsWork, type WorkEnding } from '../domain/link-ends-work.ts';
import { isolated, leadLocale, personLocale, shippedLanguage } from '../domain/locale.ts';
import { type ActionText, pageText, unsubscribeText } from '../domain/page-text.ts';
import { personZone } from '../domain/person-zone.ts';
import { channelAskedAbout, sameOutcomeLogged } from '../domain/same-call.ts';
import { nameOf, senderNameIn, stageNameIn } from '../domain/sla-names.ts';
import type { Sla } from '../domain/sla-schema.ts';
import { inTime } from '../ports/invocation-time.ts';
import { sleep, updateLead, withMovedEntries } from '../ports/lead-store.ts';
import type { ApiDeps } from './deps.ts';
import { bodyBytes, HttpError, type HttpEvent, type HttpResult, mediaTypeOf, notFound } from './http.ts';
import { htmlPage, PageError, pageHandler, requestLocale, setPageLocale } from './pages.ts';
import {
  CONTENDED_UPDATE,
  logAttempt,
  requireHandedOff,
  requireOpen,
  type SalesActor,
  type SalesDeps,
  type SalesOnce,
  setDealStage,
  setStatus,
} from './sales-actions.ts';
import { writtenAlready } from './written-already.ts';

export { actionUrl, unsubscribeUrl } from '../domain/action-links.ts';

type LinkKind = 'action' | 'unsubscribe';

export function getActionHandler(deps: ApiDeps) {
  return pageHandler(
    'GET /actions/{token}',
    async (event: HttpEvent) => {
      const payload = readToken(deps, event, 'action');
      const { lead } = await findLead(deps, payload);
      // the page is in the language of whoever the link was sent to (the rep, or the manager)
      const locale = setPageLocale(event, readerLocale(deps, lead, payload, event));
      const t = actionText(locale);
      // a link that no longer applies says why and offers no button (a press that died after its claim: it does)
      try {
        requireApplies(
          deps,
          (await interrupted(deps, lead, payload)) ? unclaimed(lead, payload) : lead,
          payload,
          locale,
        );
      } catch (error) {
        // used: an outcome link's page says what it logged, once, when and by whom (usedAnswer)
        if (error instanceof HttpError && error.code === 'used' && (await linkAttempt(deps, payload)))
          throw await usedAnswer(deps, payload, lead, lead, locale);
        throw error;
      }
      await requireNotSignedOut(deps, lead, payload, locale);
      requireKnownValue(deps, payload, locale);
      const what = describeAction(deps.sla, payload, locale, lead);
      // a press that takes the lead off the rep's list says so, by the SLA's names, before its button (red)
      const ending = linkEndsWork(deps.sla, lead, payload, deps.clock.now());
      return htmlPage(200, {
        title: t.confirmTitle(what, leadTitle(lead, locale)),
        paragraphs: [
          ...(ending ? [endingText(deps, lead, payload, ending, locale)] : []),
          t.pressToConfirm,
          t.worksOnce(formatAt(deps, lead, payload, new Date(payload.exp * 1000), locale)),
        ],
        confirm: { label: t.yes(what), danger: ending !== undefined },
        locale,
      });
    },
    (event) => requestLocale(deps.sla, event),
  );
}

export function postActionHandler(deps: ApiDeps) {
  return pageHandler(
    'POST /actions/{token}',
    async (event: HttpEvent) => {
      const payload = readToken(deps, event, 'action');
      const { lead, stored } = await findLead(deps, payload);
      const locale = setPageLocale(event, readerLocale(deps, lead, payload, event));
      const again = askedAbout(event);
      try {
        return await press(deps, payload, lead, stored, locale, again);
      } catch (error) {
        // another press of this link is at work (a double tap on a slow connection): the browser shows this
        // answer, so it says what that press did once it lands, not a bare "already used"
        // (or its change landed first: the answer names what it did, an outcome link's attempt once it is stored)
        if (error instanceof HttpError && error.code === 'used' && !answered.has(error))
          throw await afterOtherPress(deps, payload, lead, locale, error, again);
        throw error;
      }
    },
    (event) => requestLocale(deps.sla, event),
  );
}

/** How long a press that lost the race to another press of its link waits for that one to land. */
const OTHER_PRESS_WAIT_MS = 3000;

/**
 * The page for a press that found its link claimed by another press still at work, or its change written: "Already
 * done" once that change is written (an outcome link's: its attempt, once, when and by whom), read again every
 * 100 ms for up to 3 s, else the bare refusal (a press that claimed the link and is still at work after 3 s).
 */
async function afterOtherPress(
  deps: SalesDeps,
  payload: ActionPayload,
  lead: LeadState,
  locale: string,
  refusal: HttpError,
  again?: string,
): Promise<HttpError> {
  for (let waited = 0; waited <= OTHER_PRESS_WAIT_MS; waited += 100) {
    const current = await deps.store.getLead(payload.leadId);
    // an outcome link: once its attempt is stored (the state's write comes first, the attempt's item after it), also
    // when its key aged out of `sent`; a status or deal link: once its change is written
    const attempt = payload.action === 'outcome' ? await linkAttempt(deps, payload) : undefined;
    if (current && (attempt || (payload.action !== 'outcome' && acted(current, payload))))
      return usedAnswer(deps, payload, lead, current, locale, again, attempt);
    await sleep(100);
  }
  // an outcome link's change written whose attempt's item is still missing (its writer died after the state's
  // write; the next press stores it): done, without the attempt's time
  const current = await deps.store.getLead(payload.leadId);
  return current && acted(current, payload) ? usedAnswer(deps, payload, lead, current, locale) : refusal;
}

/**
 * The attempt a "Logged already?" page asked about, which the person answered "Log another attempt" (the page's
 * form posts its time as `again`); undefined for the confirmation page's plain press or a mail client's post.
 */
function askedAbout(event: HttpEvent): string | undefined {
  if (mediaTypeOf(event) !== 'application/x-www-form-urlencoded') return undefined;
  const body = bodyBytes(event);
  if (body.length > 1024) return undefined;
  const again = new URLSearchParams(body.toString('utf8')).get('again') ?? '';
  // as the page wrote it (an entry's time, toISOString); anything else is no answer to a question
  return /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/.test(again) && !Number.isNaN(Date.parse(again))
    ? again
    : undefined;
}

/** One press of an action link: applies it once (claim, act, signal), or throws the refusal. */
async function press(
  deps: ApiDeps,
  payload: ActionPayload,
  lead: LeadState,
  stored: LeadState,
  locale: string,
  again?: string,
): Promise<HttpResult> {
  const by = creditOf(payload, lead);
  // pressed again after its change was written (and maybe its signal failed): signal only, never apply
  // twice; the link still answers that it was used
  if (acted(stored, payload)) {
    throw await usedAnswer(deps, payload, lead, await actAgain(deps, payload, by), locale, again);
  }
  // a press of an outcome link that claimed it and died before the attempt was logged: this one logs it
  const resuming = await interrupted(deps, lead, payload);
  // refusals the lead's state already shows need no claim (and no write)
  requireApplies(deps, resuming ? unclaimed(lead, payload) : lead, payload, locale);
  await requireNotSignedOut(deps, lead, payload, locale);
  requireOpen(deps, lead);
  requireHandedOff(lead);
  requireKnownValue(deps, payload, locale);
  // the same call logged minutes ago by another link (the manager's for the owner, the owner's own) or any way in:
  // asked before anything is written, and again in the write that logs (two presses at one instant)
  const sameCall = (current: LeadState) => requireNotLoggedAlready(deps, current, payload, locale, again);
  sameCall(lead);
  if (!resuming) await claim(deps, payload, locale, stored);
  let done: { readonly lead: LeadState; readonly duplicate: boolean };
  try {
    // the link must still apply when the action is written: a reassignment may land after the claim
    const guard = (current: LeadState) => {
      requireApplies(deps, unclaimed(current, payload), payload, locale);
      sameCall(current);
    };
    done = await act(deps, payload, { by, guard, once: onceFor(payload, deps.clock.now()) });
  } catch (error) {
    // nothing was done: give the link back so the rep can try again (or read the same refusal again).
    // The change written and the signal after it failed: the claim stays, a press again only signals
    if ((await release(deps, payload).catch(() => 'unknown')) === 'acted') throw notPassedOn(error);
    throw error;
  }
  // another press of this link logged the attempt (the one the claim was resumed from, or a resumer): it
  // answered 200; of any number of presses exactly one does
  if (done.duplicate) throw await usedAnswer(deps, payload, lead, done.lead, locale, again);
  return donePage(deps, payload, lead, done.lead, locale);
}

export function getUnsubscribeHandler(deps: ApiDeps) {
  return pageHandler(
    'GET /unsubscribe/{token}',
    async (event: HttpEvent) => {
      const payload = readToken(deps, event, 'unsubscribe');
      const lead = await deps.store.getLead(payload.leadId);
      // in the lead's language, as its emails (ADR 0019); a lead that is gone: the browser's
      const locale = setPageLocale(
        event,
        lead ? leadLocale(deps.sla, lead.fields) : requestLocale(deps.sla, event),
      );
      const sender = senderNameIn(deps.sla, locale);
      if (!lead || lead.erasedAt || lead.unsubscribed) return unsubscribedPage(sender, locale);
      const t = unsubscribeText(shippedLanguage(locale));
      return htmlPage(200, {
        title: t.question(sender),
        paragraphs: [t.consequence(sender)],
        confirm: { label: t.button },
        locale,
      });
    },
    (event) => requestLocale(deps.sla, event),
  );
}

export function postUnsubscribeHandler(deps: ApiDeps) {
  return pageHandler(
    'POST /unsubscribe/{token}',
    async (event: HttpEvent) => {
      // the body is the page's empty form or RFC 8058's `List-Unsubscribe=One-Click`: the token says it all
      const payload = readToken(deps, event, 'unsubscribe');
      const locale = setPageLocale(
        event,
        (await unsubscribe(deps, payload)) ?? requestLocale(deps.sla, event),
      );
      return unsubscribedPage(senderNameIn(deps.sla, locale), locale);
    },
    (event) => requestLocale(deps.sla, event),
  );
}

// ---------- the link ----------

function readToken(deps: ApiDeps, event: HttpEvent, kind: LinkKind): ActionPayload {
  if (!deps.actionSecret) {
    throw new HttpError(503, 'not_configured', 'links from emails are not set up on this server');
  }
  const token = event.pathParameters?.token ?? '';
  const verified = verifyActionToken(token, deps.actionSecret, deps.clock.now());
  if (!verified.ok) {
    if (verified.reason === 'expired') {
      // in the language of whoever the link was sent to, as its other pages; else the browser's
      const reader = verified.reader && linkReader(deps.sla, verified.reader);
      const locale = setPageLocale(
        event,
        reader && kind === 'action' ? personLocale(deps.sla, reader) : requestLocale(deps.sla, event),
      );
      const language = shippedLanguage(locale);
      const errors = pageText(language).errors;
      throw new PageError(410, 'expired', {
        title: errors.titles.expired!,
        paragraphs: [errors.sentences[kind === 'unsubscribe' ? 'expired_unsubscribe' : 'expired_action']!],
        tone: 'problem',
      });
    }
    throw invalid();
  }
  // a consent link is served by consent.ts only
  if (verified.payload.action === 'consent') throw invalid();
  if ((verified.payload.action === 'unsubscribe') !== (kind === 'unsubscribe')) throw invalid();
  return verified.payload;
}

/**
 * The lead the link is for (404 when there is none): `lead` for the page, `stored` as the store holds it
 * (a write starts from that one: the page's may hold entries read back, which are not the state's to write).
 */
async function findLead(
  deps: SalesDeps,
  payload: ActionPayload,
): Promise<{ readonly lead: LeadState; readonly stored: LeadState }> {
  const stored = await deps.store.getLead(payload.leadId);
  if (!stored) throw notFound('the lead this link is for');
  // a recycled lead's page names the deal stage it was lost in, from the recycle's entry: read back when
  // it moved off the state (ADR 0032). The pages only read `lead`; writes start from `stored`
  return { lead: recycleMoved(stored) ? await withMovedEntries(deps.store, stored) : stored, stored };
}

/** whether the page will name the recycle (no current handover: linkStanding) and its entry moved off */
function recycleMoved(lead: LeadState): boolean {
  const at = lead.recycledAt;
  if (at === undefined || handoverOf(lead) !== undefined) return false;
  return (lead.timelineSpilled ?? 0) > 0 && (lead.timeline[0]?.at ?? '') > at;
}

/** Throws the page for a link that no longer applies to the lead (linkStanding); returns when it does. */
function requireApplies(deps: SalesDeps, lead: LeadState, payload: ActionPayload, locale: string): void {
  const standing = linkStanding(deps.sla, lead, payload);
  if (standing.kind !== 'applies') throw refusal(deps, lead, payload, standing, locale);
}

/**
 * 409 "Logged already?" for an outcome link whose outcome was logged minutes ago in its handover (another link of
 * the same call, the console, the API: domain/same-call.ts sameOutcomeLogged, ADR 0074 amended), unless the person
 * was asked about that attempt and answered "Log another attempt" (`again`, its time). Nothing is written: the page
 * names what was logged, when and by whom, asks by the attempt's channel ("Did you write again? ... the same
 * email?", ADR 0087), and its button posts the link again with `again`.
 */
function requireNotLoggedAlready(
  deps: SalesDeps,
  lead: LeadState,
  payload: ActionPayload,
  locale: string,
  again: string | undefined,
): void {
  if (payload.action !== 'outcome') return;
  // the link's handover (a link that no longer applies was refused before): a legacy link's, the lead's
  const since = (payload.handover ?? handoverOf(lead))?.since;
  if (since === undefined) return;
  const logged = sameOutcomeLogged(
    lead.timeline,
    payload.value,
    new Date(since).toISOString(),
    deps.clock.now(),
    again,
  );
  if (!logged) return;
  const t = actionText(locale);
  const outcome = nameOf(deps.sla.contact.outcomes, payload.value, locale);
  const when = t.on(formatAt(deps, lead, payload, new Date(logged.at), locale));
  throw new PageError(409, 'logged_already', {
    title: t.sameCallTitle,
    paragraphs: [
      t.sameCallLogged(outcome, leadTitle(lead, locale), when, personName(deps, logged.by, locale)),
      // worded by the channel (the link's, the logged attempt's): an email is never asked about as a call
      t.sameCallAsk(channelAskedAbout(payload.channel, logged)),
    ],
    confirm: { label: t.logAnother, fields: { again: logged.at } },
    locale,
  });
}

/** The person a story entry's `by` names (`rep:<id>`, `manager:<id>`, `ops:<id>`) by their SLA name, else none. */
function personName(deps: SalesDeps, by: string, locale: string): string | undefined {
  const match = /^(rep|manager|ops):(.+)$/.exec(by);
  if (!match) return undefined;
  const people = match[1] === 'rep' ? deps.sla.routing.reps : deps.sla.routing.managers;
  return people.some((person) => person.id === match[2]) ? nameOf(people, match[2], locale) : undefined;
}

/**
 * 410 when ops signed the person the link was sent to out everywhere after it was sent (a lost phone): their
 * emailed links go with their sessions; emails sent after it act. One read per person key (a manager's link:
 * as manager and as ops, either revocation counts). Without a sign-in ledger (a deployment without the
 * console) there is nothing to check.
 */
async function requireNotSignedOut(
  deps: SalesDeps & Pick<ApiDeps, 'signIns'>,
  lead: LeadState,
  payload: ActionPayload,
  locale: string,
): Promise<void> {
  if (!deps.signIns) return;
  const repId = payload.handover?.ownerId ?? lead.ownerId;
  const keys =
    payload.managerId !== undefined
      ? [
          { role: 'manager', id: payload.managerId },
          { role: 'ops', id: payload.managerId },
        ]
      : repId !== undefined
        ? [{ role: 'rep', id: repId }]
        : [];
  const issuedAt = (payload.exp - ACTION_LINK_TTL_SECONDS) * 1000;
  const revoked = await Promise.all(keys.map((key) => deps.signIns!.revokedAt(key)));
  if (revoked.some((at) => at !== undefined && Date.parse(at) >= issuedAt)) {
    const t = actionText(locale);
    throw new PageError(410, 'signed_out', {
      title: t.signedOutTitle,
      paragraphs: [t.signedOut(leadTitle(lead, locale)), t.nothingChanged],
      locale,
    });
  }
}

/**
 * Marks the link used with a conditional write: of two concurrent POSTs, one claims, the other gets
 * 409; a lead that moved on since it was read (reassigned a moment ago) refuses here too.
 */
async function claim(
  deps: SalesDeps,
  payload: ActionPayload,
  locale: string,
  stored: LeadState,
): Promise<void> {
  const { result } = await inTime(() =>
    updateLead(
      deps.store,
      payload.leadId,
      (current) => {
        requireApplies(deps, current, payload, locale);
        return withUsedActionNonce(current, payload.nonce);
      },
      // a lead busy with other writers (the rep's CRM, the console, the workflow) is waited out as the act waits
      // it out: mere concurrency is never the rep's "please try again"
      CONTENDED_UPDATE.attempts,
      CONTENDED_UPDATE.maxDelayMs,
      // read a moment ago by this request: no second read unless the write finds it changed
      stored,
    ),
  );
  if (result === 'missing') throw notFound('the lead this link is for');
}

/** The lead as if this link's own claim were not on it: what the link's standing is judged on after the claim. */
function unclaimed(lead: LeadState, payload: ActionPayload): LeadState {
  const used = lead.usedActionNonces;
  return used?.includes(payload.nonce)
    ? { ...lead, usedActionNonces: used.filter((nonce) => nonce !== payload.nonce) }
    : lead;
}

/**
 * Gives the link's claim back, unless its change was written (`acted`): then the claim stays, and a press
 * again finds the change done and only signals the workflow.
 */
async function release(deps: SalesDeps, payload: ActionPayload): Promise<'released' | 'acted' | 'none'> {
  let answer: 'released' | 'acted' | 'none' = 'none';
  // waited out as the claim was: a release lost to contention would leave the link used with nothing done
  await updateLead(
    deps.store,
    payload.leadId,
    (current) => {
      answer = acted(current, payload) ? 'acted' : 'none';
      if (answer === 'acted' || !current.usedActionNonces?.includes(payload.nonce)) return undefined;
      answer = 'released';
      return {
        ...current,
        usedActionNonces: current.usedActionNonces.filter((nonce) => nonce !== payload.nonce),
      };
    },
    CONTENDED_UPDATE.attempts,
    CONTENDED_UPDATE.maxDelayMs,
  );
  return answer;
}

/**
 * Whether the link's change is written: a status or deal link's nonce marked by the change's own write
 * (onceFor), an outcome link's attempt applied (its key, from the nonce, in `sent`).
 */
function acted(lead: LeadState, payload: ActionPayload): boolean {
  return payload.action === 'outcome'
    ? lead.sent.includes(attemptKey(linkAttemptId(payload)))
    : (lead.actedActionNonces?.includes(payload.nonce) ?? false);
}

/**
 * The mark a status or deal link's change carries in its own write (an outcome's attempt id is its own), and
 * the parked execution's token taken in that write: the lead is due with the token kept as `signalled`, so
 * the reconciler wakes the workflow should the signal after the write fail and nobody press again.
 */
function onceFor(payload: ActionPayload, now: Date): SalesOnce {
  return {
    done: (current) => acted(current, payload),
    mark: (next) => withActedActionNonce(withSignalTaken(next, now), payload.nonce),
  };
}

/**
 * The link's mark, telling afterwards whether this press's write carried it (`applied`): each try of the
 * conditional write asks `done` first and marks only when not done, so the last try says whether the change
 * landed with this press or was found made by another (a resumed press racing the one it resumed).
 * Without a mark to carry (a caller that gave none): every write is this press's own.
 */
function tracked(once: SalesOnce | undefined): SalesOnce & { readonly applied: boolean } {
  let applied = once === undefined;
  return {
    get applied() {
      return applied;
    },
    done: (current) => {
      const found = once?.done(current) ?? false;
      if (found) applied = false;
      return found;
    },
    mark: (next) => {
      applied = true;
      return once ? once.mark(next) : next;
    },
  };
}

/**
 * A press of a link whose change is written: the same action, which writes nothing again (the mark, or the
 * attempt's key) and signals the workflow (an attempt logged again writes only its item, if it is missing).
 */
async function actAgain(deps: SalesDeps, payload: ActionPayload, by: string): Promise<LeadState> {
  try {
    const { lead: after } = await act(deps, payload, { by, once: onceFor(payload, deps.clock.now()) });
    if (payload.action === 'outcome') await deps.workflow.signal(after, 'attempt');
    return after;
  } catch (error) {
    throw notPassedOn(error);
  }
}

/** 503: the change is saved and the workflow was not told; pressing again tells it (and applies nothing). */
function notPassedOn(cause: unknown): HttpError {
  console.error(
    JSON.stringify({
      level: 'error',
      msg: 'action link applied, workflow not signalled',
      error: (cause as Error)?.name ?? String(cause),
    }),
  );
  // Retry-After, as every 503 of the API (a busy dependency's, SES's rate): the page asks for a press in a minute
  return new HttpError(503, 'not_passed_on', 'the change is saved; press the button again to finish', [], {
    'retry-after': '60',
  });
}

function donePage(
  deps: SalesDeps,
  payload: ActionPayload,
  lead: LeadState,
  after: LeadState,
  locale: string,
): HttpResult {
  const t = actionText(locale);
  return htmlPage(200, {
    title: t.doneTitle(describeAction(deps.sla, payload, locale, lead)),
    paragraphs: [standsNow(deps, after, locale), t.closePage],
    tone: 'success',
    locale,
  });
}

/**
 * 409 for a link pressed again after it acted (the done page reloaded, the link opened on a second phone): still
 * "already used", and what it did and where the lead stands, so the rep need not wonder whether it worked.
 */
function usedDone(
  deps: SalesDeps,
  payload: ActionPayload,
  lead: LeadState,
  after: LeadState,
  locale: string,
  logged?: { readonly attempt: Attempt; readonly besides?: TimelineEntry },
): PageError {
  const t = actionText(locale);
  const outcome = () => nameOf(deps.sla.contact.outcomes, payload.value, locale);
  const on = (at: string) => t.on(formatAt(deps, lead, payload, new Date(at), locale));
  return new PageError(409, 'used', {
    title: pageText(shippedLanguage(locale)).errors.titles.used!,
    paragraphs: [
      t.alreadyDone(describeAction(deps.sla, payload, locale, lead)),
      // an outcome link's attempt: once, when and by whom (the link's reader: its attempt is credited to them)
      ...(logged
        ? [
            t.loggedOnce(
              outcome(),
              leadTitle(lead, locale),
              on(logged.attempt.at),
              personName(deps, creditOf(payload, lead), locale),
            ),
          ]
        : []),
      ...(logged?.besides
        ? [t.loggedBesides(on(logged.besides.at), personName(deps, logged.besides.by, locale))]
        : []),
      standsNow(deps, after, locale),
    ],
    locale,
  });
}

/**
 * The answer to a press of a link whose change is written (usedDone): for an outcome link, with its attempt (one
 * read of the lead's attempts) and, pressed from a "Logged already?" page (`again`), the attempt that page asked
 * about, so every repeat says what was logged, once, when and by whom, not only "already used".
 */
async function usedAnswer(
  deps: SalesDeps,
  payload: ActionPayload,
  lead: LeadState,
  after: LeadState,
  locale: string,
  again?: string,
  read?: Attempt,
): Promise<PageError> {
  const attempt = read ?? (await linkAttempt(deps, payload));
  const besides =
    again === undefined || !attempt
      ? undefined
      : after.timeline.find((entry) => entry.kind === 'attempt' && entry.at === again);
  const answer = attempt
    ? usedDone(deps, payload, lead, after, locale, { attempt, ...(besides ? { besides } : {}) })
    : usedDone(deps, payload, lead, after, locale);
  answered.add(answer);
  return answer;
}

/** The answers usedAnswer made: what they say is complete (postActionHandler reads nothing again for them). */
const answered = new WeakSet<HttpError>();

/** The attempt an outcome link logged (its id from the link's nonce), if it is stored; none for other links. */
async function linkAttempt(deps: SalesDeps, payload: ActionPayload): Promise<Attempt | undefined> {
  if (payload.action !== 'outcome') return undefined;
  const attemptId = linkAttemptId(payload);
  return (await deps.store.listAttempts(payload.leadId)).find((attempt) => attempt.attemptId === attemptId);
}

/** Where the lead stands after the link's action: its stage and status by their SLA names, in `locale`. */
function standsNow(deps: SalesDeps, after: LeadState, locale: string): string {
  const status = nameOf(deps.sla.leadStatuses, after.status, locale);
  const stage = stageNameIn(deps.sla, after.stage, locale);
  return actionText(locale).doneNow(leadTitle(after, locale), stage, status);
}

/** The attempt id an outcome link logs: from its nonce, so every press of the link logs the same attempt. */
const linkAttemptId = (payload: ActionPayload): string => `link-${payload.nonce}`;

/**
 * An outcome link whose nonce is on the lead while its attempt is not: a press claimed it and then died (the
 * process killed, the request timed out) before it logged the attempt, and gave nothing back. Pressed again, it
 * logs the attempt: the attempt id comes from the nonce, so a press still at work and this one log it once.
 * Before, the rep read "This link was already used" and the attempt was never logged (the SLA clock ran on to
 * the escalation). A status or deal link is not resumed: setting it again is not the same write.
 */
async function interrupted(deps: SalesDeps, lead: LeadState, payload: ActionPayload): Promise<boolean> {
  if (!lead.usedActionNonces?.includes(payload.nonce) || acted(lead, payload)) return false;
  // a status or deal link: its change's own write carries the link's mark (onceFor), so a claim without the
  // mark is a change not made, and a press that makes it cannot make it twice
  if (payload.action === 'status' || payload.action === 'deal') return true;
  if (payload.action !== 'outcome') return false;
  // an applied attempt's key may have aged out of `sent` (the latest keys are kept): its item stays
  const attemptId = linkAttemptId(payload);
  return !(await deps.store.listAttempts(lead.leadId)).some((attempt) => attempt.attemptId === attemptId);
}

async function act(
  deps: SalesDeps,
  payload: ActionPayload,
  actor: SalesActor,
): Promise<{ readonly lead: LeadState; readonly duplicate: boolean }> {
  switch (payload.action) {
    case 'outcome': {
      // the attempt id comes from the nonce: should a claim ever be given back after the attempt
      // was stored, pressing again finds it instead of logging a second attempt. The attempt is the
      // link's owner's (also when their manager pressed it), never whoever owns the lead a moment later. Made
      // the way the email's cadence step asked for (its channel); a link without one logs none.
      const logged = await logAttempt(
        deps,
        payload.leadId,
        {
          outcome: payload.value,
          attemptId: linkAttemptId(payload),
          ...(payload.handover ? { repId: payload.handover.ownerId } : {}),
          ...(payload.channel ? { channel: payload.channel } : {}),
        },
        actor,
      );
      return { lead: logged.lead, duplicate: logged.duplicate };
    }
    case 'status': {
      const once = tracked(actor.once);
      const lead = await setStatus(deps, payload.leadId, { status: payload.value }, { ...actor, once });
      return { lead, duplicate: !once.applied };
    }
    case 'deal': {
      const once = tracked(actor.once);
      const lead = await setDealStage(deps, payload.leadId, { stage: payload.value }, { ...actor, once });
      return { lead, duplicate: !once.applied };
    }
    case 'unsubscribe':
    case 'consent':
      throw invalid();
  }
}

/** 422 for an outcome, status or deal stage the SLA does not (or no longer) declare. */
function requireKnownValue(deps: SalesDeps, payload: ActionPayload, locale: string): void {
  const { sla } = deps;
  const known =
    payload.action === 'outcome'
      ? sla.contact.outcomes.some((o) => o.id === payload.value)
      : payload.action === 'status'
        ? sla.leadStatuses.some((s) => s.id === payload.value)
        : sla.deals.stages.some((s) => s.id === payload.value);
  if (!known) {
    throw new PageError(422, 'unprocessable', {
      title: pageText(shippedLanguage(locale)).errors.titles.unprocessable!,
      paragraphs: [actionText(locale).notInSla(payload.value)],
      tone: 'problem',
    });
  }
}

/**
 * Where a link that ends the rep's work leaves the lead: "Klaus Schneider goes back to marketing as Lead, status
 * Recycled - not ready, and leaves your list." A manager's escalation link acts for the owner: the owner's list.
 */
function endingText(
  deps: SalesDeps,
  lead: LeadState,
  payload: ActionPayload,
  ending: WorkEnding,
  locale: string,
): string {
  const t = actionText(locale);
  const ownerId = payload.handover?.ownerId ?? lead.ownerId;
  const owner = payload.managerId !== undefined && ownerId ? repName(deps, ownerId, locale) : undefined;
  const list = owner ? t.listOf(owner) : t.yourList;
  const stage = stageNameIn(deps.sla, ending.stage, locale);
  const status = nameOf(deps.sla.leadStatuses, ending.status, locale);
  const says = ending.kind === 'disqualified' ? t.disqualifies : t.recycles;
  return says(leadTitle(lead, locale), stage, status, list);
}

// ---------- unsubscribe ----------

/**
 * Unsubscribes the lead: judges it again with an `unsubscribe` event (scoring rules may count it),
 * withdraws marketing consent, then stores the event and wakes the workflow so nurture stops.
 * Unsubscribing works from any cycle's email: consent belongs to the person, not to a cycle.
 * Answers the lead's locale, for the page (none when the lead is gone).
 *
 * Crash-safe and stored once. The conditional write that unsubscribes is the commit point, and it names
 * the event it commits (`unsubscribedAt`: consent.ts unsubscribeEvent, one key per lead, cycle and
 * withdrawal); the event is stored after it with a conditional put of that key. Concurrent posts (a mail
 * client's one-click and the person's button, a double click, two emails' links) read different clocks, but
 * only one write unsubscribes, so all of them put the same item. A post that finds the lead unsubscribed
 * puts it too: a request that died between the write and the event is completed by the next post (the
 * person clicks again, the mail client retries its one-click post). The post that stores the event wakes
 * the workflow; a crash after the event and before the signal costs latency only (the park's timer
 * re-reads the lead). A lead erased or gone is left alone; the person is told they are unsubscribed.
 */
async function unsubscribe(deps: SalesDeps, payload: ActionPayload): Promise<string | undefined> {
  const lead = await deps.store.getLead(payload.leadId);
  const locale = lead ? leadLocale(deps.sla, lead.fields) : undefined;
  if (!lead || lead.erasedAt) return locale;
  const now = deps.clock.now();
  const writes = !(lead.unsubscribed && !asksAgain(lead));
  // the write below folds the event into the tally before it is stored: marked so until it is (ADR 0057), for
  // a wake meanwhile (or after a crash) to read the history, not a tally with an event no read finds
  // A post that finds the lead unsubscribed and stores the event completes one that died between its write and
  // its event: a wake may have repaired the tally without it since (ADR 0057 amended), so it marks too
  const completes = !writes && unsubscribeEvent(lead) !== undefined;
  const mark =
    (writes || completes) && lead.eventsApart ? { id: randomUUID(), at: now.toISOString() } : undefined;
  if (mark) await deps.store.markEventsPending(lead.leadId, mark);
  const { state, result } = !writes
    ? { state: lead, result: 'unchanged' as const }
    : // waited out on a busy lead as a sales change is: a mailbox provider's one-click POST (RFC 8058) is sent once
      await updateLead(
        deps.store,
        lead.leadId,
        async (current) => {
          if (current.erasedAt) return undefined;
          // each try at its own time, no earlier than the story it changes already holds: a withdrawal is never
          // dated before a confirmation or an email it is written after (ADR 0091, amended)
          const at = storyInstant(current, deps.clock.now());
          // unsubscribed already, asked to subscribe again since: the request awaiting confirmation is withdrawn
          if (current.unsubscribed) return asksAgain(current) ? requestWithdrawn(current, at) : undefined;
          return unsubscribed(deps, current, at);
        },
        CONTENDED_UPDATE.attempts,
        CONTENDED_UPDATE.maxDelayMs,
      );
  // a lead no link unsubscribed (the events route did, or a write from before `unsubscribedAt`) has none
  const event = state && !state.erasedAt ? unsubscribeEvent(state) : undefined;
  const appended =
    state && event && (await deps.store.appendEvent(lead.leadId, event, { old: !state.eventsApart }));
  // an event this post stored and no write of its folded stays marked: the wake it signals reads the history and
  // folds it (a stale mark goes once the tally holds it: tasks/advance.ts)
  if (mark && !(appended === 'appended' && result !== 'saved'))
    await deps.store.clearEventsPending(lead.leadId, [mark.id]);
  // a signal busy past the SDK's retries is logged, and the person told they are unsubscribed, which they are: a
  // mail provider's one-click POST is sent once, and nothing marketing can go (the plan and each send check
  // consent); the lead's park reads it at its timer
  if (state && appended === 'appended')
    await writtenAlready(
      'POST /unsubscribe/{token}',
      lead.leadId,
      'unsubscribed; its wake left to the timer',
      () => deps.workflow.signal(state, 'unsubscribed'),
    );
  return locale;
}

/** The lead unsubscribed at `now` with a link, judged again with the event its write commits. */
async function unsubscribed(deps: SalesDeps, current: LeadState, now: Date): Promise<LeadState> {
  const at = now.toISOString();
  const event = unsubscribeEventAt(current.cycle, at);
  const events = await deps.store.listEvents(current.leadId);
  const judged = rejudgeLead(deps.sla, current, [...events, event], now, 'lead') ?? current;
  return withTimeline(
    // unsubscribing withdraws the consent: the record keeps when; `unsubscribedAt` names the event
    withdrawn(
      { ...judged, unsubscribed: true, unsubscribedAt: at, marketingConsent: false, updatedAt: at },
      now,
    ),
    {
      at,
      kind: 'unsubscribed',
      by: 'lead',
      reasons: [{ rule: 'consent.unsubscribe', detail: 'unsubscribed with the link in an email' }],
    },
  );
}

/** An unsubscribed lead's request to subscribe again, withdrawn at `now` by a link's unsubscribe. */
function requestWithdrawn(current: LeadState, now: Date): LeadState {
  const at = now.toISOString();
  return withTimeline(withdrawn({ ...current, updatedAt: at }, now), {
    at,
    kind: 'unsubscribed',
    by: 'lead',
    reasons: [
      {
        rule: 'consent.unsubscribe',
        detail:
          'unsubscribed with the link in an email: the request to subscribe again, not confirmed, is withdrawn',
      },
    ],
  });
}

function unsubscribedPage(sender: string, locale: string): HttpResult {
  const t = unsubscribeText(shippedLanguage(locale));
  return htmlPage(200, { title: t.done, paragraphs: [t.consequence(sender)], tone: 'success', locale });
}

// ---------- helpers ----------

/** Who the timeline credits: the manager an escalation went to, else the rep the link was sent to. */
function creditOf(payload: ActionPayload, lead: LeadState): string {
  if (payload.managerId !== undefined) return `manager:${payload.managerId}`;
  const owner = payload.handover?.ownerId ?? lead.ownerId;
  return owner ? `rep:${owner}` : 'action-link';
}

/** LeadPact's words on the action pages in `locale` (page-text.ts). */
function actionText(locale: string): ActionText {
  return pageText(shippedLanguage(locale)).action;
}

/**
 * Who reads a link's pages, and so their language: the manager an escalation went to, else the rep
 * the link was sent to (routing.reps[].locale, else locales.default); a reader the SLA no longer
 * names reads the browser's language.
 */
function readerLocale(deps: SalesDeps, lead: LeadState, payload: ActionPayload, event: HttpEvent): string {
  const { sla } = deps;
  const person = linkReader(sla, {
    managerId: payload.managerId,
    ownerId: payload.handover?.ownerId ?? lead.ownerId,
  });
  return person ? personLocale(sla, person) : requestLocale(sla, event);
}

/** Whom a link was sent to: the manager it names, else the rep; undefined when the SLA no longer names them. */
function linkReader(
  sla: Sla,
  reader: { readonly managerId?: string | undefined; readonly ownerId?: string | undefined },
) {
  return reader.managerId === undefined
    ? sla.routing.reps.find((rep) => rep.id === reader.ownerId)
    : sla.routing.managers.find((manager) => manager.id === reader.managerId);
}

/**
 * A time on a page, in the zone of whoever the link was sent to (their `timeZone`, ADR 0083), else the company
 * calendar's: a manager without one, or a reader the SLA no longer names.
 */
function formatAt(
  deps: SalesDeps,
  lead: LeadState,
  payload: ActionPayload,
  at: Date,
  locale: string,
): string {
  const { sla } = deps;
  const reader = linkReader(sla, {
    managerId: payload.managerId,
    ownerId: payload.handover?.ownerId ?? lead.ownerId,
  });
  const zone = personZone(sla, reader ?? {});
  return formatFullTime(at, zone, locale);
}

/** A rep by their SLA name; one the SLA no longer has is "another rep" (never an id on a page). */
function repName(deps: SalesDeps, repId: string, locale: string): string | undefined {
  const rep = deps.sla.routing.reps.find((candidate) => candidate.id === repId);
  return rep ? nameOf(deps.sla.routing.reps, rep.id, locale) : undefined;
}

/** What a link that no longer applies answers: what happened to the lead, and no button. */
function refusal(
  deps: SalesDeps,
  lead: LeadState,
  payload: ActionPayload,
  standing: LinkStanding,
  locale: string,
): HttpError {
  const { sla } = deps;
  const t = actionText(locale);
  const who = leadTitle(lead, locale);
  const on = (at: string | undefined) =>
    at ? t.on(formatAt(deps, lead, payload, new Date(at), locale)) : '';
  const statusName = (id: string) => nameOf(sla.leadStatuses, id, locale);
  const stageName = (id: string | undefined) =>
    id !== undefined && sla.deals.stages.some((stage) => stage.id === id)
      ? nameOf(sla.deals.stages, id, locale)
      : undefined;
  const gone = (code: string, title: string, happened: string, next?: string) =>
    new PageError(410, code, {
      title,
      paragraphs: [happened, ...(next ? [next] : []), t.nothingChanged],
      locale,
    });
  switch (standing.kind) {
    case 'applies':
      throw new Error('refusal of a link that applies');
    case 'erased':
      return new HttpError(410, 'erased', 'the lead this link is for was erased');
    case 'outOfDate':
      return outOfDate();
    case 'used':
      return acted(lead, payload) ? usedDone(deps, payload, lead, lead, locale) : used();
    case 'notHandedOff':
      return new PageError(409, 'not_handed_off', {
        title: pageText(shippedLanguage(locale)).errors.titles.not_handed_off!,
        paragraphs: [t.notHandedOff(stageNameIn(sla, lead.stage, locale))],
        tone: 'problem',
        locale,
      });
    case 'movedOn': {
      const name = repName(deps, standing.ownerId, locale);
      const shown = name ?? t.anotherRep;
      return gone(
        'reassigned',
        t.movedOnTitle(shown),
        t.movedOn(who, shown, on(standing.at)),
        name === undefined ? undefined : t.movedOnNext(name),
      );
    }
    case 'dealOpen':
      return new PageError(409, 'deal_open', {
        title: t.dealOpenTitle,
        paragraphs: [
          t.dealOpen(who, stageName(standing.dealStageId) ?? '', on(standing.since)),
          t.moveTheDeal,
          t.nothingChanged,
        ],
        tone: 'problem',
        locale,
      });
    case 'readerLeft':
      return gone('reader_left', t.readerLeftTitle, t.readerLeft(who));
    case 'handedOverAgain':
      return gone(
        'handed_over_again',
        t.handedOverAgainTitle,
        t.handedOverAgain(who, on(standing.at)),
        t.useNewest,
      );
    case 'recycled': {
      const lost = stageName(standing.lostStageId);
      return gone(
        'recycled',
        lost ? t.dealLostTitle : t.recycledTitle,
        t.recycled(who, on(standing.at), lost, statusName(standing.statusId)),
        t.qualifyAgain,
      );
    }
    case 'customer':
      return gone(
        'closed',
        t.customerTitle,
        t.customer(who, stageName(standing.dealStageId), on(standing.at)),
        t.nothingLeft,
      );
    case 'disqualified':
      return gone(
        'closed',
        t.disqualifiedTitle,
        t.disqualified(who, statusName(standing.statusId)),
        t.nothingLeft,
      );
  }
}

/**
 * The lead as a page's sentence names it, "Petra Schneider (Brauhaus Werke)": the name and the company each
 * isolated (FSI … PDI), so one in another script than the page keeps its order and its parentheses (a Latin
 * company in an Arabic sentence rendered "(Brauhaus Werke" with its bracket on the wrong side).
 */
function leadTitle(lead: LeadState, locale: string): string {
  const company = lead.fields.company;
  const name = isolated(leadName(lead, emailText(shippedLanguage(locale))));
  return company === undefined || company === '' ? name : `${name} (${isolated(String(company))})`;
}

function invalid(): HttpError {
  return new HttpError(
    400,
    'invalid_link',
    'this link is incomplete or was changed; open it from the email again',
  );
}

function used(): HttpError {
  return new HttpError(409, 'used', 'this link was already used; each link in an email works once');
}

function outOfDate(): HttpError {
  return new HttpError(
    410,
    'out_of_date',
    'the lead has moved on since this email was sent; use a newer email',
  );
}
