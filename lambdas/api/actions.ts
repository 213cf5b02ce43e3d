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
 */
import type { ActionPayload } from '../domain/action-links.ts';
import { describeAction, verifyActionToken } from '../domain/action-links.ts';
import { repCalendar } from '../domain/business-hours.ts';
import { formatFullTime, leadName } from '../domain/email-templates.ts';
import {
  type LeadState,
  rejudgeLead,
  type StoredEvent,
  withTimeline,
  withUsedActionNonce,
} from '../domain/lead-state.ts';
import { updateLead } from '../ports/lead-store.ts';
import type { ApiDeps } from './deps.ts';
import { HttpError, type HttpEvent, type HttpResult, notFound } from './http.ts';
import { htmlPage, pageHandler } from './pages.ts';
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
    const lead = await usableLead(deps, payload);
    if (lead.usedActionNonces?.includes(payload.nonce)) throw used();
    const what = describeAction(deps.sla, payload);
    return htmlPage(200, {
      title: `${what} for ${leadTitle(lead)}?`,
      paragraphs: [
        'Press the button to confirm. Nothing happens until you do.',
        `This link works once and expires ${expiry(deps, lead, payload.exp)}.`,
      ],
      confirm: { label: `Yes: ${what}`, danger: isDestructive(deps, payload) },
    });
  });
}

export function postActionHandler(deps: ApiDeps) {
  return pageHandler('POST /actions/{token}', async (event: HttpEvent) => {
    const payload = readToken(deps, event, 'action');
    const lead = await usableLead(deps, payload);
    if (lead.usedActionNonces?.includes(payload.nonce)) throw used();
    // refusals the lead's state already shows need no claim (and no write)
    requireOpen(deps, lead);
    requireHandedOff(lead);
    requireKnownValue(deps, payload);
    await claim(deps, payload);
    let after: LeadState;
    try {
      after = await act(deps, payload, lead.ownerId ? `rep:${lead.ownerId}` : 'action-link');
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
    if (!lead || lead.erasedAt || lead.unsubscribed) return unsubscribedPage(sender);
    return htmlPage(200, {
      title: `Unsubscribe from ${sender}?`,
      paragraphs: [`You will get no more marketing emails from ${sender}.`],
      confirm: { label: 'Unsubscribe' },
    });
  });
}

export function postUnsubscribeHandler(deps: ApiDeps) {
  return pageHandler('POST /unsubscribe/{token}', async (event: HttpEvent) => {
    // the body is the page's empty form or RFC 8058's `List-Unsubscribe=One-Click`: the token says it all
    const payload = readToken(deps, event, 'unsubscribe');
    await unsubscribe(deps, payload);
    return unsubscribedPage(deps.sla.nurture.senderName);
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
  if ((verified.payload.action === 'unsubscribe') !== (kind === 'unsubscribe')) throw invalid();
  return verified.payload;
}

/** The lead the link is for, while the link still applies to it. */
async function usableLead(deps: SalesDeps, payload: ActionPayload): Promise<LeadState> {
  const lead = await deps.store.getLead(payload.leadId);
  if (!lead) throw notFound('the lead this link is for');
  if (lead.erasedAt) throw new HttpError(410, 'erased', 'the lead this link is for was erased');
  if (lead.cycle !== payload.cycle) throw outOfDate();
  return lead;
}

/** Marks the link used with a conditional write: of two concurrent POSTs, one claims, the other gets 409. */
async function claim(deps: SalesDeps, payload: ActionPayload): Promise<void> {
  const { result } = await updateLead(deps.store, payload.leadId, (current) => {
    if (current.cycle !== payload.cycle) throw outOfDate();
    if (current.usedActionNonces?.includes(payload.nonce)) throw used();
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
      // was stored, pressing again finds it instead of logging a second attempt
      return (
        await logAttempt(
          deps,
          payload.leadId,
          { outcome: payload.value, attemptId: `link-${payload.nonce}` },
          by,
        )
      ).lead;
    case 'status':
      return setStatus(deps, payload.leadId, { status: payload.value }, by);
    case 'deal':
      return setDealStage(deps, payload.leadId, { stage: payload.value }, by);
    case 'unsubscribe':
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
 */
async function unsubscribe(deps: SalesDeps, payload: ActionPayload): Promise<void> {
  const lead = await deps.store.getLead(payload.leadId);
  if (!lead || lead.erasedAt || lead.unsubscribed) return;
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
      { ...judged, unsubscribed: true, marketingConsent: false, updatedAt: at },
      {
        at,
        kind: 'unsubscribed',
        by: 'lead',
        reasons: [{ rule: 'consent.unsubscribe', detail: 'unsubscribed with the link in an email' }],
      },
    );
  });
  if (result === 'saved' && state) await deps.workflow.signal(state, 'unsubscribed');
}

function unsubscribedPage(sender: string): HttpResult {
  return htmlPage(200, {
    title: 'You are unsubscribed',
    paragraphs: [`You will get no more marketing emails from ${sender}.`],
    tone: 'success',
  });
}

// ---------- helpers ----------

/** The link's expiry in the owner's zone (the company calendar's when no rep owns the lead). */
function expiry(deps: SalesDeps, lead: LeadState, exp: number): string {
  const owner = deps.sla.routing.reps.find((rep) => rep.id === lead.ownerId);
  const zone = owner ? repCalendar(deps.sla, owner).timeZone : deps.sla.calendar.timeZone;
  return formatFullTime(new Date(exp * 1000), zone);
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
