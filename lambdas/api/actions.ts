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
 * none of them changes anything.
 *
 * A link acts only within the handover it was sent in (linkStanding in action-links.ts): after the
 * lead moved to another rep, was recycled, handed over again, won or disqualified, GET and POST both
 * answer 410 Gone with a page that says what happened to the lead (by the SLA's names) and has no
 * button. 410, not 409: nothing the holder can do will make that link work again. POST checks the
 * same thing again inside the conditional write that claims the link, so a reassignment between the
 * read and the claim still refuses. A manager's escalation email carries the owner's handover: the
 * manager acts on behalf of the owner (the attempt is the owner's), the timeline credits the manager.
 */
import type { ActionPayload, LinkStanding } from '../domain/action-links.ts';
import { describeAction, linkStanding, verifyActionToken } from '../domain/action-links.ts';
import { repCalendar } from '../domain/business-hours.ts';
import { withdrawn } from '../domain/consent.ts';
import { formatFullTime, leadName } from '../domain/email-templates.ts';
import {
  type LeadState,
  rejudgeLead,
  type StoredEvent,
  withTimeline,
  withUsedActionNonce,
} from '../domain/lead-state.ts';
import { leadLocale, shippedLanguage } from '../domain/locale.ts';
import { unsubscribeText } from '../domain/page-text.ts';
import { updateLead } from '../ports/lead-store.ts';
import type { ApiDeps } from './deps.ts';
import { HttpError, type HttpEvent, type HttpResult, notFound } from './http.ts';
import { htmlPage, PageError, pageHandler } from './pages.ts';
import {
  logAttempt,
  requireHandedOff,
  requireOpen,
  type SalesDeps,
  setDealStage,
  setStatus,
} from './sales-actions.ts';

export { actionUrl, unsubscribeUrl } from '../domain/action-links.ts';

type LinkKind = 'action' | 'unsubscribe';

export function getActionHandler(deps: ApiDeps) {
  return pageHandler('GET /actions/{token}', async (event: HttpEvent) => {
    const payload = readToken(deps, event, 'action');
    const lead = await findLead(deps, payload);
    // a link that no longer applies says why and offers no button
    requireApplies(deps, lead, payload);
    requireKnownValue(deps, payload);
    const what = describeAction(deps.sla, payload);
    return htmlPage(200, {
      title: `${what} for ${leadTitle(lead)}?`,
      paragraphs: [
        'Press the button to confirm. Nothing happens until you do.',
        `This link works once and expires ${formatAt(deps, lead, payload, new Date(payload.exp * 1000))}.`,
      ],
      confirm: { label: `Yes: ${what}`, danger: isDestructive(deps, payload) },
    });
  });
}

export function postActionHandler(deps: ApiDeps) {
  return pageHandler('POST /actions/{token}', async (event: HttpEvent) => {
    const payload = readToken(deps, event, 'action');
    const lead = await findLead(deps, payload);
    // refusals the lead's state already shows need no claim (and no write)
    requireApplies(deps, lead, payload);
    requireOpen(deps, lead);
    requireHandedOff(lead);
    requireKnownValue(deps, payload);
    await claim(deps, payload);
    let after: LeadState;
    try {
      after = await act(deps, payload, creditOf(payload, lead));
    } catch (error) {
      // nothing was done: give the link back so the rep can try again (or read the same refusal again)
      await release(deps, payload).catch(() => undefined);
      throw error;
    }
    const status = deps.sla.leadStatuses.find((s) => s.id === after.status)?.name ?? after.status;
    const stage = deps.sla.lifecycle.names[after.stage];
    return htmlPage(200, {
      title: `Done: ${describeAction(deps.sla, payload)}`,
      paragraphs: [`${leadTitle(after)} is now ${stage}, status ${status}.`, 'You can close this page.'],
      tone: 'success',
    });
  });
}

export function getUnsubscribeHandler(deps: ApiDeps) {
  return pageHandler('GET /unsubscribe/{token}', async (event: HttpEvent) => {
    const payload = readToken(deps, event, 'unsubscribe');
    const lead = await deps.store.getLead(payload.leadId);
    const sender = deps.sla.nurture.senderName;
    // in the lead's language, as its emails (ADR 0019)
    const locale = leadLocale(deps.sla, lead?.fields ?? {});
    if (!lead || lead.erasedAt || lead.unsubscribed) return unsubscribedPage(sender, locale);
    const t = unsubscribeText(shippedLanguage(locale));
    return htmlPage(200, {
      title: t.question(sender),
      paragraphs: [t.consequence(sender)],
      confirm: { label: t.button },
      locale,
    });
  });
}

export function postUnsubscribeHandler(deps: ApiDeps) {
  return pageHandler('POST /unsubscribe/{token}', async (event: HttpEvent) => {
    // the body is the page's empty form or RFC 8058's `List-Unsubscribe=One-Click`: the token says it all
    const payload = readToken(deps, event, 'unsubscribe');
    const locale = await unsubscribe(deps, payload);
    return unsubscribedPage(deps.sla.nurture.senderName, locale);
  });
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
      throw new HttpError(
        410,
        'expired',
        kind === 'unsubscribe'
          ? 'this unsubscribe link has expired; reply to any of our emails and we will unsubscribe you'
          : 'links in reminder emails work for a limited time; use a newer email or the API',
      );
    }
    throw invalid();
  }
  // a consent link is served by consent.ts only
  if (verified.payload.action === 'consent') throw invalid();
  if ((verified.payload.action === 'unsubscribe') !== (kind === 'unsubscribe')) throw invalid();
  return verified.payload;
}

/** The lead the link is for: 404 when there is none. */
async function findLead(deps: SalesDeps, payload: ActionPayload): Promise<LeadState> {
  const lead = await deps.store.getLead(payload.leadId);
  if (!lead) throw notFound('the lead this link is for');
  return lead;
}

/** Throws the page for a link that no longer applies to the lead (linkStanding); returns when it does. */
function requireApplies(deps: SalesDeps, lead: LeadState, payload: ActionPayload): void {
  const standing = linkStanding(deps.sla, lead, payload);
  if (standing.kind !== 'applies') throw refusal(deps, lead, payload, standing);
}

/**
 * Marks the link used with a conditional write: of two concurrent POSTs, one claims, the other gets
 * 409; a lead that moved on since it was read (reassigned a moment ago) refuses here too.
 */
async function claim(deps: SalesDeps, payload: ActionPayload): Promise<void> {
  const { result } = await updateLead(deps.store, payload.leadId, (current) => {
    requireApplies(deps, current, payload);
    return withUsedActionNonce(current, payload.nonce);
  });
  if (result === 'missing') throw notFound('the lead this link is for');
}

async function release(deps: SalesDeps, payload: ActionPayload): Promise<void> {
  await updateLead(deps.store, payload.leadId, (current) =>
    current.usedActionNonces?.includes(payload.nonce)
      ? { ...current, usedActionNonces: current.usedActionNonces.filter((nonce) => nonce !== payload.nonce) }
      : undefined,
  );
}

async function act(deps: SalesDeps, payload: ActionPayload, by: string): Promise<LeadState> {
  switch (payload.action) {
    case 'outcome':
      // the attempt id comes from the nonce: should a claim ever be given back after the attempt
      // was stored, pressing again finds it instead of logging a second attempt. The attempt is the
      // link's owner's (also when their manager pressed it), never whoever owns the lead a moment later.
      return (
        await logAttempt(
          deps,
          payload.leadId,
          {
            outcome: payload.value,
            attemptId: `link-${payload.nonce}`,
            ...(payload.handover ? { repId: payload.handover.ownerId } : {}),
          },
          by,
        )
      ).lead;
    case 'status':
      return setStatus(deps, payload.leadId, { status: payload.value }, by);
    case 'deal':
      return setDealStage(deps, payload.leadId, { stage: payload.value }, by);
    case 'unsubscribe':
    case 'consent':
      throw invalid();
  }
}

/** 422 for an outcome, status or deal stage the SLA does not (or no longer) declare. */
function requireKnownValue(deps: SalesDeps, payload: ActionPayload): void {
  const { sla } = deps;
  const known =
    payload.action === 'outcome'
      ? sla.contact.outcomes.some((o) => o.id === payload.value)
      : payload.action === 'status'
        ? sla.leadStatuses.some((s) => s.id === payload.value)
        : sla.deals.stages.some((s) => s.id === payload.value);
  if (!known) {
    throw new HttpError(
      422,
      'unprocessable',
      `"${payload.value}" is not in the SLA any more; use a newer email`,
    );
  }
}

function isDestructive(deps: SalesDeps, payload: ActionPayload): boolean {
  if (payload.action === 'outcome') {
    return deps.sla.contact.outcomes.find((o) => o.id === payload.value)?.action === 'disqualify';
  }
  if (payload.action === 'status') {
    return deps.sla.leadStatuses.find((s) => s.id === payload.value)?.setWhen === 'disqualified';
  }
  return deps.sla.deals.stages.find((s) => s.id === payload.value)?.lost === true;
}

// ---------- unsubscribe ----------

/**
 * Unsubscribes the lead: stores an `unsubscribe` event (scoring rules may count it), judges the lead
 * again, withdraws marketing consent and wakes the workflow so nurture stops. Idempotent: a lead
 * already unsubscribed (or erased, or gone) is left alone and the person is told they are unsubscribed.
 * Unsubscribing works from any cycle's email: consent belongs to the person, not to a cycle.
 * Answers the lead's locale, for the page.
 */
async function unsubscribe(deps: SalesDeps, payload: ActionPayload): Promise<string> {
  const lead = await deps.store.getLead(payload.leadId);
  const locale = leadLocale(deps.sla, lead?.fields ?? {});
  if (!lead || lead.erasedAt || lead.unsubscribed) return locale;
  const now = deps.clock.now();
  const at = now.toISOString();
  const event: StoredEvent = {
    eventId: `unsubscribe-${payload.nonce}`,
    type: 'unsubscribe',
    occurredAt: at,
    receivedAt: at,
    properties: { source: 'email-link' },
  };
  await deps.store.appendEvent(lead.leadId, event);
  const { state, result } = await updateLead(deps.store, lead.leadId, async (current) => {
    if (current.erasedAt || current.unsubscribed) return undefined;
    const events = await deps.store.listEvents(current.leadId);
    const judged = rejudgeLead(deps.sla, current, events, now, 'lead') ?? current;
    return withTimeline(
      // unsubscribing withdraws the consent: the record keeps when
      withdrawn({ ...judged, unsubscribed: true, marketingConsent: false, updatedAt: at }, now),
      {
        at,
        kind: 'unsubscribed',
        by: 'lead',
        reasons: [{ rule: 'consent.unsubscribe', detail: 'unsubscribed with the link in an email' }],
      },
    );
  });
  if (result === 'saved' && state) await deps.workflow.signal(state, 'unsubscribed');
  return locale;
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

/**
 * A time on a page, in the zone of whoever the link was sent to: the link's rep, the company's
 * calendar for a manager (managers have no zone of their own) or when no rep is known.
 */
function formatAt(deps: SalesDeps, lead: LeadState, payload: ActionPayload, at: Date): string {
  const repId = payload.managerId === undefined ? (payload.handover?.ownerId ?? lead.ownerId) : undefined;
  const rep = deps.sla.routing.reps.find((candidate) => candidate.id === repId);
  const zone = rep ? repCalendar(deps.sla, rep).timeZone : deps.sla.calendar.timeZone;
  return formatFullTime(at, zone);
}

/** A rep by their SLA name; one the SLA no longer has is "another rep" (never an id on a page). */
function repName(deps: SalesDeps, repId: string): string {
  return deps.sla.routing.reps.find((rep) => rep.id === repId)?.name ?? 'another rep';
}

const NOTHING_CHANGED = 'This link no longer does anything; nothing was changed.';

/** What a link that no longer applies answers: what happened to the lead, and no button. */
function refusal(
  deps: SalesDeps,
  lead: LeadState,
  payload: ActionPayload,
  standing: LinkStanding,
): HttpError {
  const { sla } = deps;
  const who = leadTitle(lead);
  const on = (at: string | undefined) => (at ? ` on ${formatAt(deps, lead, payload, new Date(at))}` : '');
  const statusName = (id: string) => sla.leadStatuses.find((status) => status.id === id)?.name ?? id;
  const stageName = (id: string | undefined) => sla.deals.stages.find((stage) => stage.id === id)?.name;
  const gone = (code: string, title: string, happened: string, next?: string) =>
    new PageError(410, code, { title, paragraphs: [happened, ...(next ? [next] : []), NOTHING_CHANGED] });
  switch (standing.kind) {
    case 'applies':
      throw new Error('refusal of a link that applies');
    case 'erased':
      return new HttpError(410, 'erased', 'the lead this link is for was erased');
    case 'outOfDate':
      return outOfDate();
    case 'used':
      return used();
    case 'notHandedOff':
      return new HttpError(
        409,
        'not_handed_off',
        `the lead is ${sla.lifecycle.names[lead.stage]}, not yet handed to a rep; this link works once a rep owns it`,
      );
    case 'movedOn': {
      const name = repName(deps, standing.ownerId);
      return gone(
        'reassigned',
        `This lead moved to ${name}`,
        `${who} was handed to ${name}${on(standing.at)}, after this email was sent.`,
        name === 'another rep' ? undefined : `${name} gets the reminders and the links for it now.`,
      );
    }
    case 'handedOverAgain':
      return gone(
        'handed_over_again',
        'This lead was handed over again',
        `${who} was handed over again${on(standing.at)}, after this email was sent.`,
        'Use the links in the newest email about it.',
      );
    case 'recycled': {
      const lost = stageName(standing.lostStageId);
      return gone(
        'recycled',
        lost ? 'The deal was lost' : 'This lead was recycled',
        `${who} went back to marketing${on(standing.at)}${lost ? `: the deal was closed lost (${lost})` : ''}; its status now: ${statusName(standing.statusId)}.`,
        'Should it qualify again, its owner gets a new email with new links.',
      );
    }
    case 'customer': {
      const won = stageName(standing.dealStageId);
      return gone(
        'closed',
        'This lead is a customer',
        won
          ? `${who} is a customer: the deal was closed won (${won})${on(standing.at)}.`
          : `${who} is a customer.`,
        'Nothing is left to do from this email.',
      );
    }
    case 'disqualified':
      return gone(
        'closed',
        'This lead was disqualified',
        `${who} was disqualified (status: ${statusName(standing.statusId)}).`,
        'Nothing is left to do from this email.',
      );
  }
}

function leadTitle(lead: LeadState): string {
  const company = lead.fields.company;
  const name = leadName(lead);
  return company === undefined || company === '' ? name : `${name} (${String(company)})`;
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
