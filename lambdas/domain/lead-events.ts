/**
 * Events out (issue 14, docs/decisions/0022-events-out.md): the one vocabulary other systems follow a
 * lead by, derived from the timeline entries a write appends. This is the ONE place that turns
 * entries into events: whatever stores the entries (the state item today, items of their own
 * tomorrow), the publisher hands them here with their position in the lead's story.
 *
 * An entry's identity is (lead, cycle, seq): `seq` counts every entry the lead's story ever had in
 * this cycle (the timeline keeps the newest entries and counts the dropped ones, so the position of
 * an entry never changes; a cycle after an erased one starts where that one's story ended: afterErasedCycle). An event's id is a hash of that identity and its type, so the same entry
 * gives the same id on every redelivery, from any publisher.
 *
 * Pure: no I/O, no clock reads.
 */
import { createHash } from 'node:crypto';
import type { Reason } from './lead.ts';
import { type LeadState, type TimelineEntry, timelineBase } from './lead-state.ts';
import { statusFor } from './lifecycle.ts';
import { factsOf, type LeadFact } from './report-facts.ts';
import { LIFECYCLE_STAGES } from './sla-constants.ts';
import type { Sla } from './sla-schema.ts';

/** The version of the event envelope and of every type's `data` below; a breaking change bumps it. */
export const EVENT_SCHEMA_VERSION = 1;
/** EventBridge `source` and the prefix receivers can filter on */
export const EVENT_SOURCE = 'leadpact';

export const LEAD_EVENT_TYPES = [
  'lead.created',
  'lead.judged',
  'lead.stage_changed',
  'lead.status_changed',
  'lead.assigned',
  'lead.reassigned',
  'lead.first_touch_met',
  'lead.first_touch_breached',
  'lead.attempt_logged',
  'lead.recycled',
  'lead.escalated',
  'deal.stage_changed',
  'lead.fields_corrected',
  'lead.consent_confirmed',
  'lead.unsubscribed',
  'lead.erased',
] as const;
export type LeadEventType = (typeof LEAD_EVENT_TYPES)[number];

export type EventData = Readonly<Record<string, string | number | boolean>>;

export interface LeadEvent {
  /** stable: the same entry always gives the same id (receivers dedupe on it) */
  readonly id: string;
  readonly type: LeadEventType;
  readonly schemaVersion: number;
  /** ISO-8601 UTC: when the change happened (its timeline entry's time) */
  readonly time: string;
  readonly leadId: string;
  readonly cycle: number;
  /** the entry's position in the lead's story (per lead and cycle): the order of a lead's events */
  readonly seq: number;
  /** the SLA version that decided the change */
  readonly slaVersion: string;
  /** who caused it: form, api, workflow, lead, rep:<id>, system:<name> */
  readonly by: string;
  /** why, as the timeline has it (empty on `lead.erased` and once the lead is erased) */
  readonly reasons: readonly Reason[];
  /** what changed, by the SLA's ids (no personal data) */
  readonly data: EventData;
  /** `lead.created` only, added when sent (never stored with a delivery): who the lead is, until erased */
  readonly contact?: Readonly<Record<string, string>>;
  /**
   * `lead.created` only, added when sent as `contact` is: the form id and UTM source, medium and campaign the lead
   * holds (its posts' first values: a later post never overwrites them), until erased
   */
  readonly attribution?: Readonly<Record<string, string>>;
}

/** A timeline entry with its position in the lead's story. */
export interface SequencedEntry {
  readonly seq: number;
  readonly entry: TimelineEntry;
}

/**
 * The lead's entries with their positions: older ones dropped or moved to their own items
 * (`timelineBase`) are not on the state, positions stay. Pass the whole story (`withEarlierEntries`)
 * to see the moved ones.
 */
export function sequencedTimeline(
  lead: Pick<LeadState, 'timeline' | 'timelineDropped' | 'timelineSpilled'>,
): SequencedEntry[] {
  const base = timelineBase(lead);
  return lead.timeline.map((entry, index) => ({ seq: base + index, entry }));
}

/** `evt_` and 26 base32 characters of SHA-256 over the entry's identity and the event type. */
export function eventId(leadId: string, cycle: number, seq: number, type: LeadEventType): string {
  const digest = createHash('sha256').update(`${leadId}\n${cycle}\n${seq}\n${type}`).digest();
  return `evt_${base32(digest).slice(0, 26)}`;
}

const stageOf = (value: string | undefined) => {
  const stage = value?.split('/')[0];
  return stage && (LIFECYCLE_STAGES as readonly string[]).includes(stage) ? stage : undefined;
};
const statusOf = (value: string | undefined) => (value?.includes('/') ? value.split('/')[1] : undefined);
const isLadder = (entry: TimelineEntry) =>
  entry.reasons.some((reason) => reason.rule.startsWith('handoff.escalation.'));

/**
 * The events walk's state at a position in the story: what an event depends on from before it (the deal's
 * stage, the owner, attempts since the handover, whether the handover already breached). The store writes it
 * with a move of the oldest entries off the state (ADR 0035), so the publisher derives a long lead's events
 * from its tail alone, as it would from the whole story.
 */
export interface EventsCarry {
  /** the story position it stands at: it applies to a lead whose kept entries start there (timelineBase) */
  readonly through: number;
  readonly dealStage?: string;
  readonly owner?: string;
  readonly attempts: number;
  readonly breached: boolean;
}
type EventsWalk = { -readonly [K in keyof EventsCarry]: EventsCarry[K] };

/**
 * Whether the lead's entries on its state, with its carries, say all its events need (no moved entry read):
 * the events walk's carry, and the facts walk's too (the first touch is a fact: touchFacts). A lead the cap
 * had cut before its first move gets the one and not the other (carryFacts stands on nothing there).
 */
export function eventsCarried(lead: LeadState): boolean {
  const base = timelineBase(lead);
  if (base === lead.timelineDropped) return true;
  return lead.eventsCarry?.through === base && lead.factsCarry?.through === base;
}

/** The walk at the lead's first kept entry: its carry when it stands there, else the story's start. */
function eventsWalkFrom(lead: LeadState): EventsWalk {
  const base = timelineBase(lead);
  const carry = lead.eventsCarry;
  if (carry && carry.through === base) return { ...carry };
  return { through: base, attempts: 0, breached: false };
}

/**
 * The carry after `moving`, the lead's oldest kept entries, leave it: undefined when the lead's kept entries
 * do not say all that came before them (entries moved before carries existed, and no carry).
 */
export function carryEvents(
  sla: Sla,
  lead: LeadState,
  moving: readonly TimelineEntry[],
): EventsCarry | undefined {
  if (!eventsCarried(lead)) return undefined;
  const walk = eventsWalkFrom(lead);
  const base = timelineBase(lead);
  walkEvents(
    sla,
    lead,
    moving.map((entry, index) => ({ seq: base + index, entry })),
    walk,
    Number.POSITIVE_INFINITY,
  );
  const { dealStage, owner, ...rest } = walk;
  return {
    ...rest,
    through: base + moving.length,
    ...(dealStage ? { dealStage } : {}),
    ...(owner ? { owner } : {}),
  };
}

/**
 * The events of a lead's entries from position `fromSeq` on (the publisher's cursor), in story order.
 * The walk reads the whole timeline it is given, from the lead's carry when it stands at the first entry,
 * so events that depend on what came before (the previous deal stage, whether an attempt was the first
 * touch) come out the same on every call, from the whole story or from the tail and its carry.
 */
export function leadEvents(sla: Sla, lead: LeadState, fromSeq = 0): LeadEvent[] {
  return walkEvents(sla, lead, sequencedTimeline(lead), eventsWalkFrom(lead), fromSeq);
}

function walkEvents(
  sla: Sla,
  lead: LeadState,
  entries: readonly SequencedEntry[],
  walk: EventsWalk,
  fromSeq: number,
): LeadEvent[] {
  const events: LeadEvent[] = [];
  const touches = touchFacts(sla, lead);
  for (const { seq, entry } of entries) {
    const out: { type: LeadEventType; data: EventData }[] = [];
    const reasons = entry.reasons;
    switch (entry.kind) {
      case 'created':
        out.push({ type: 'lead.created', data: { stage: entry.to ?? lead.stage } });
        break;
      case 'judged':
        out.push({ type: 'lead.judged', data: { qualifiesAs: entry.to ?? '', ...(entry.data ?? {}) } });
        break;
      case 'owner': {
        const ownerId = entry.to ?? '';
        if (entry.from) {
          if (isLadder(entry)) {
            if (!walk.breached) out.push(breach(entry.from));
            out.push({
              type: 'lead.escalated',
              data: { step: 'reassign', ownerId: entry.from, to: ownerId },
            });
          }
          out.push({ type: 'lead.reassigned', data: { fromOwnerId: entry.from, ownerId } });
        } else out.push({ type: 'lead.assigned', data: { ownerId } });
        walk.owner = ownerId;
        walk.attempts = 0;
        walk.breached = false;
        break;
      }
      // the first-touch ladder: a reminder, the manager told (`overdue`), the queue's manager takes over
      case 'overdue':
      case 'escalation': {
        const step = reasons[0]?.rule.replace('handoff.escalation.', '') ?? 'escalation';
        // a lead that only needs an owner (a deal, a rep gone from the SLA) breached nothing
        const needsOwner = reasons[0]?.detail.startsWith('the lead needs an owner') === true;
        if (!walk.breached && !needsOwner && ['remindOwner', 'notifyManager', 'manager'].includes(step))
          out.push(breach(entry.from ?? walk.owner));
        out.push({
          type: 'lead.escalated',
          data: {
            step: step === 'manager' ? 'handToManager' : step,
            ...(entry.from ? { ownerId: entry.from } : {}),
            ...(entry.to ? { to: entry.to } : {}),
          },
        });
        break;
      }
      // a person corrected what is known of the lead (a phone, a name): the CRM's copy is corrected too (the
      // event carries the contact as it is now, events-out.ts withContact); one per field, named by its key
      case 'field': {
        const field = reasons[0]?.rule === 'fields.corrected' ? reasons[0].detail : undefined;
        out.push({ type: 'lead.fields_corrected', data: field ? { field } : {} });
        break;
      }
      // every consent entry is a confirmation (the double opt-in link, a single opt-in form's box): its data is the
      // consent as confirmed (consent-entry.ts), none on entries made before it was kept. Not by its reason's rule:
      // an erased lead's entries have none, and its events must come out as before the erase
      case 'consent':
        out.push({ type: 'lead.consent_confirmed', data: entry.data ?? {} });
        break;
      // withdrawn: the link in an email, a form's opt-out, a tracker's `unsubscribe` event
      case 'unsubscribed':
        out.push({ type: 'lead.unsubscribed', data: {} });
        break;
      case 'erased':
        out.push({ type: 'lead.erased', data: {} });
        break;
    }
    // a call an earlier owner made, logged after the lead changed hands (report-facts.ts lateCall): that owner's
    // first touch when it met their deadline (a breach of theirs was told when the lead left them by the ladder)
    const late = entry.kind === 'attempt' ? touches.get(entry.at) : undefined;
    if (late?.handover !== undefined) {
      if (late.met === true)
        out.push({
          type: 'lead.first_touch_met',
          data: {
            ...(late.rep ? { ownerId: late.rep } : {}),
            ...(late.dueAt ? { dueAt: late.dueAt } : {}),
            ...(late.responseHours === undefined ? {} : { responseHours: late.responseHours }),
          },
        });
      out.push({
        type: 'lead.attempt_logged',
        data: {
          attemptNo: 1,
          ...(late.rep ? { ownerId: late.rep } : {}),
          ...(reasons[0] ? { outcome: reasons[0].rule } : {}),
        },
      });
    } else if (entry.kind === 'attempt') {
      walk.attempts += 1;
      const touch = walk.attempts === 1 ? touches.get(entry.at) : undefined;
      if (touch?.met === true) {
        out.push({
          type: 'lead.first_touch_met',
          data: {
            ...(walk.owner ? { ownerId: walk.owner } : {}),
            ...(touch.dueAt ? { dueAt: touch.dueAt } : {}),
            ...(touch.responseHours === undefined ? {} : { responseHours: touch.responseHours }),
          },
        });
      } else if (touch?.met === false && !walk.breached) out.push(breach(walk.owner, touch.dueAt));
      out.push({
        type: 'lead.attempt_logged',
        data: {
          attemptNo: walk.attempts,
          ...(walk.owner ? { ownerId: walk.owner } : {}),
          ...(reasons[0] ? { outcome: reasons[0].rule } : {}),
        },
      });
    }
    if (entry.kind === 'deal') {
      const rule = reasons.find((reason) => reason.rule.startsWith('deals.stage.'))?.rule;
      const to = rule?.slice('deals.stage.'.length);
      if (to && to !== walk.dealStage) {
        out.push({
          type: 'deal.stage_changed',
          data: { ...(walk.dealStage ? { from: walk.dealStage } : {}), to },
        });
        walk.dealStage = to;
      }
    }
    // stage and status moves: a judgement's stage entry, or a lifecycle occurrence (`stage/status`)
    if (entry.kind === 'stage' || entry.to?.includes('/')) {
      const [fromStage, toStage] = [stageOf(entry.from), stageOf(entry.to)];
      if (toStage && toStage !== fromStage)
        out.push({
          type: 'lead.stage_changed',
          data: { ...(fromStage ? { from: fromStage } : {}), to: toStage },
        });
      const [fromStatus, toStatus] = [statusOf(entry.from), statusOf(entry.to)];
      if (toStatus && toStatus !== fromStatus) {
        out.push({
          type: 'lead.status_changed',
          data: {
            ...(fromStatus ? { from: fromStatus } : {}),
            to: toStatus,
            ...(toStage ? { stage: toStage } : {}),
          },
        });
        if (toStatus === safeRecycled(sla)) out.push({ type: 'lead.recycled', data: { status: toStatus } });
        if (toStage && LIFECYCLE_STAGES.indexOf(toStage as never) < LIFECYCLE_STAGES.indexOf('sql')) {
          // back with marketing: no walk.owner, no deal (releaseToMarketing)
          walk.owner = undefined;
          walk.dealStage = undefined;
        }
      }
    }
    if (seq < fromSeq) {
      // walked for context only; `walk.breached` must follow the walk too
      if (out.some((event) => event.type === 'lead.first_touch_breached')) walk.breached = true;
      continue;
    }
    for (const event of out) {
      if (event.type === 'lead.first_touch_breached') walk.breached = true;
      events.push({
        id: eventId(lead.leadId, lead.cycle, seq, event.type),
        type: event.type,
        schemaVersion: EVENT_SCHEMA_VERSION,
        time: entry.at,
        leadId: lead.leadId,
        cycle: lead.cycle,
        seq,
        slaVersion: entry.version ?? lead.slaVersion,
        by: entry.by,
        reasons: event.type === 'lead.erased' ? [] : reasons,
        data: event.data,
      });
    }
  }
  return events;
}

/** The event without what may quote personal data (reasons): what a delivery log keeps. */
export function withoutReasons(event: LeadEvent): LeadEvent {
  return { ...event, reasons: [] };
}

/** The first-touch facts of the lead's handovers, by the time of the attempt that made them. */
function touchFacts(sla: Sla, lead: LeadState): Map<string, LeadFact> {
  try {
    return new Map(factsOf(sla, lead).flatMap((fact) => (fact.kind === 'touch' ? [[fact.at, fact]] : [])));
  } catch {
    // an SLA that no longer knows the lead's type or queue: no first-touch verdicts
    return new Map();
  }
}

function breach(ownerId: string | undefined, dueAt?: string): { type: LeadEventType; data: EventData } {
  return {
    type: 'lead.first_touch_breached',
    data: { ...(ownerId ? { ownerId } : {}), ...(dueAt ? { dueAt } : {}) },
  };
}

function safeRecycled(sla: Sla): string | undefined {
  try {
    return statusFor(sla, 'recycled');
  } catch {
    return undefined;
  }
}

const ALPHABET = 'abcdefghijklmnopqrstuvwxyz234567';
function base32(bytes: Uint8Array): string {
  let out = '';
  let bits = 0;
  let value = 0;
  for (const byte of bytes) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += ALPHABET[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  return out;
}
