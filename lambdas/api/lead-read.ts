/**
 * GET /leads/{id}: where the lead stands under the SLA (stage, status, type, persona, journey,
 * scores, owner, deal, SLA version, and `sla`: first touch, cadence, escalation, handovers) and
 * the timeline of every change with its reason and the SLA version that decided it (the whole kept
 * history: the state's tail after the entries moved to their own items).
 *
 * The answer stays under Lambda's 6 MB response limit whatever the lead's age: its events, attempts and
 * timeline are each cut to a byte budget, newest first (`eventCount`, `attemptCount`, `timelineOmitted` say
 * what was left out), and `?timelineBefore=<position>` pages back through the timeline.
 */
import { consentStatus, linkExpiresAt } from '../domain/consent.ts';
import { erasedEntry, type LeadState, withEarlierEntries } from '../domain/lead-state.ts';
import { slaStanding } from '../domain/sla-standing.ts';
import type { EventPosition } from '../ports/lead-store.ts';
import type { ApiDeps } from './deps.ts';
import { HttpError, type HttpEvent, json } from './http.ts';
import { requireLead } from './lead-access.ts';
import { apiHandler } from './middleware.ts';
import { requireAllowed } from './permissions.ts';
import { newestWithin } from './response-budget.ts';
import { viewerOf } from './viewer.ts';

/** The most recent events shown; the count tells whether there are more. */
const EVENTS_SHOWN = 100;

/**
 * What each list may take of the answer, in bytes as Lambda returns it (the body is one JSON string in API
 * Gateway's envelope: a quote in a value is 4 bytes there). Together 5 MB, under Lambda's 6,291,556 with the
 * state (at most ~160 KB stored, ADR 0050) and the SLA standing beside them. An event is at most ~64 KB (its
 * request's limit), an attempt ~12 KB, an entry a few KB: each list always has room for its newest.
 */
export const EVENTS_BUDGET_BYTES = 1_000_000;
export const ATTEMPTS_BUDGET_BYTES = 1_000_000;
export const TIMELINE_BUDGET_BYTES = 3_000_000;

/** `?timelineBefore=<position>`: the entries before that position in the lead's story (what `timelineOmitted` left). */
function timelineBefore(event: HttpEvent): number | undefined {
  const query = event.queryStringParameters ?? {};
  const value = query.timelineBefore;
  if (value === undefined) return undefined;
  if (!/^\d{1,15}$/.test(value))
    throw new HttpError(400, 'invalid_request', 'the query is invalid', [
      { path: 'timelineBefore', message: 'a position in the timeline: an integer from 0' },
    ]);
  return Number(value);
}

/**
 * `?eventsBefore=<cursor>`: the events before that one (what `eventsBefore` of an answer names: its oldest shown),
 * so a subject-access export can read every event a lead holds, 100 at a time. The cursor is the event's
 * occurrence time and id, `<ISO time>_<eventId>`.
 */
function eventsBefore(event: HttpEvent): EventPosition | undefined {
  const value = event.queryStringParameters?.eventsBefore;
  if (value === undefined) return undefined;
  const at = value.indexOf('_');
  const occurredAt = value.slice(0, at);
  const eventId = value.slice(at + 1);
  if (at < 1 || Number.isNaN(Date.parse(occurredAt)) || !/^[\w.:-]{1,128}$/.test(eventId))
    throw new HttpError(400, 'invalid_request', 'the query is invalid', [
      { path: 'eventsBefore', message: "an answer's eventsBefore: <occurredAt>_<eventId>" },
    ]);
  return { occurredAt, eventId };
}

const eventCursor = (event: EventPosition): string => `${event.occurredAt}_${event.eventId}`;

export function getLeadHandler(deps: ApiDeps) {
  return apiHandler('GET /leads/{id}', async (event: HttpEvent) => {
    const viewer = viewerOf(deps.sla, event, deps.clock.now());
    const before = timelineBefore(event);
    const olderThan = eventsBefore(event);
    const stored = await requireLead(deps, event);
    requireAllowed(deps.sla, viewer, stored, 'read');
    // the newest events only: a read that does not grow with the lead's history (ADR 0057)
    const [events, attempts, earlier] = await Promise.all([
      deps.store.listNewestEvents(stored.leadId, EVENTS_SHOWN, olderThan),
      deps.store.listAttempts(stored.leadId),
      // the entries moved off the state item (ADR 0021): the whole kept history is shown
      deps.store.listMovedEntries(stored),
    ]);
    const lead = withEarlierEntries(stored, earlier);
    // entry i of lead.timeline is at position timelineDropped + i of the story
    const end = before === undefined ? lead.timeline.length : Math.max(0, before - lead.timelineDropped);
    const timeline = newestWithin(
      // entries stored before versions were recorded say so with null
      lead.timeline
        .slice(0, end)
        // an erased lead's entries as erase leaves them now, also one erased before a correction's values went
        .map((entry) => (lead.erasedAt && entry.kind !== 'erased' ? erasedEntry(entry) : entry))
        .map((entry) => ({ ...entry, version: entry.version ?? null })),
      TIMELINE_BUDGET_BYTES,
    );
    const shownAttempts = newestWithin(attempts, ATTEMPTS_BUDGET_BYTES);
    const shownEvents = newestWithin(events, EVENTS_BUDGET_BYTES);
    return json(200, {
      ...leadView(deps, lead),
      sla: slaStanding(deps.sla, { lead, attempts, now: deps.clock.now() }),
      attempts: shownAttempts,
      attemptCount: attempts.length,
      // every event of the lead, whichever page this is
      eventCount: await eventCount(deps, stored, olderThan ? EVENTS_SHOWN : events.length),
      events: shownEvents,
      // older events this answer leaves out: ?eventsBefore=<this> reads the next page back; null when none are
      eventsBefore:
        shownEvents.length > 0 && (events.length === EVENTS_SHOWN || shownEvents.length < events.length)
          ? eventCursor(shownEvents[0]!)
          : null,
      timeline,
      timelineDropped: lead.timelineDropped,
      // older entries still kept that this answer leaves out: ?timelineBefore=<timelineDropped + timelineOmitted>
      timelineOmitted: Math.min(end, lead.timeline.length) - timeline.length,
    });
  });
}

/**
 * How many events the lead has: those read when fewer than shown, else as its tally counts them (every event
 * folded into its scores; ADR 0057), else (no tally: none yet, or one of other rules) counted in a read of all.
 */
async function eventCount(deps: ApiDeps, lead: LeadState, read: number): Promise<number> {
  if (read < EVENTS_SHOWN) return read;
  const tallied = lead.tally?.count;
  if (tallied !== undefined && tallied >= read) return tallied;
  return (await deps.store.listEvents(lead.leadId)).length;
}

export function leadView(deps: ApiDeps, lead: LeadState) {
  const owner = deps.sla.routing.reps.find((rep) => rep.id === lead.ownerId);
  const dealStage = deps.sla.deals.stages.find((stage) => stage.id === lead.deal?.stageId);
  return {
    leadId: lead.leadId,
    cycle: lead.cycle,
    email: lead.email ?? null,
    fields: lead.fields,
    lifecycleStage: lead.stage,
    lifecycleStageName: deps.sla.lifecycle.names[lead.stage],
    leadStatus: lead.status,
    leadType: lead.leadType,
    persona: lead.persona ?? null,
    journeyStage: lead.journeyStage,
    scores: { fit: lead.fit, fitTier: lead.fitTier, engagement: lead.engagement, total: lead.total },
    owner: lead.ownerId ? { id: lead.ownerId, name: owner?.name ?? null } : null,
    handedOffAt: lead.handedOffAt ?? null,
    deal: lead.deal
      ? { ...lead.deal, stageName: dealStage?.name ?? null, probability: dealStage?.probability ?? null }
      : null,
    marketingConsent: lead.marketingConsent,
    // values forms posted that no rule reads (ADR 0018), and consent notices as shown and answered
    fieldIssues: lead.fieldIssues ?? [],
    legalConsents: lead.legalConsents ?? [],
    consent: consentView(deps, lead),
    unsubscribed: lead.unsubscribed,
    erasedAt: lead.erasedAt ?? null,
    slaVersion: lead.slaVersion,
    judgedAt: lead.judgedAt,
    createdAt: lead.createdAt,
    updatedAt: lead.updatedAt,
  };
}

/** The consent record: when, where (form by its SLA name, page), what text, confirmed or withdrawn when. */
function consentView(deps: ApiDeps, lead: LeadState) {
  const record = lead.consent;
  if (!record) return null;
  const form = deps.sla.forms.find((candidate) => candidate.id === record.formId);
  return {
    mode: record.mode,
    status: consentStatus(record, lead.sent, deps.clock.now()),
    givenAt: record.givenAt,
    // when its confirmation email went, and when that link stops working (null while no email has gone)
    askedAt: record.askedAt ?? null,
    linkExpiresAt:
      record.confirmedAt || record.withdrawnAt || !record.askedAt
        ? null
        : linkExpiresAt(record).toISOString(),
    formId: record.formId ?? null,
    formName: form?.name ?? null,
    pageUrl: record.pageUrl ?? null,
    text: record.text,
    confirmedAt: record.confirmedAt ?? null,
    withdrawnAt: record.withdrawnAt ?? null,
    // consent given again after an unsubscribe: when the earlier one was withdrawn
    previouslyWithdrawnAt: record.previouslyWithdrawnAt ?? null,
    // no confirmation email went: its mailbox was sent one for another request lately (ADR 0075)
    notAsked: record.notAsked ?? null,
  };
}
