/**
 * Events out (issue 14, docs/decisions/0022-events-out.md): the one vocabulary other systems follow a
 * lead by, derived from the timeline entries a write appends. This is the ONE place that turns
 * entries into events: whatever stores the entries (the state item today, items of their own
 * tomorrow), the publisher hands them here with their position in the lead's story.
 *
 * An entry's identity is (lead, cycle, seq): `seq` counts every entry the lead's story ever had in
 * this cycle (the timeline keeps the newest entries and counts the dropped ones, so the position of
 * an entry never changes). An event's id is a hash of that identity and its type, so the same entry
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
 * The events of a lead's entries from position `fromSeq` on (the publisher's cursor), in story order.
 * The walk reads the whole timeline it is given, so events that depend on what came before (the
 * previous deal stage, whether an attempt was the first touch) come out the same on every call.
 */
export function leadEvents(sla: Sla, lead: LeadState, fromSeq = 0): LeadEvent[] {
  const events: LeadEvent[] = [];
  const touches = touchFacts(sla, lead);
  let dealStage: string | undefined;
  let owner: string | undefined;
  let attempts = 0;
  let breached = false;
  for (const { seq, entry } of sequencedTimeline(lead)) {
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
            if (!breached) out.push(breach(entry.from));
            out.push({
              type: 'lead.escalated',
              data: { step: 'reassign', ownerId: entry.from, to: ownerId },
            });
          }
          out.push({ type: 'lead.reassigned', data: { fromOwnerId: entry.from, ownerId } });
        } else out.push({ type: 'lead.assigned', data: { ownerId } });
        owner = ownerId;
        attempts = 0;
        breached = false;
        break;
      }
      // the first-touch ladder: a reminder, the manager told (`overdue`), the queue's manager takes over
      case 'overdue':
      case 'escalation': {
        const step = reasons[0]?.rule.replace('handoff.escalation.', '') ?? 'escalation';
        // a lead that only needs an owner (a deal, a rep gone from the SLA) breached nothing
        const needsOwner = reasons[0]?.detail.startsWith('the lead needs an owner') === true;
        if (!breached && !needsOwner && ['remindOwner', 'notifyManager', 'manager'].includes(step))
          out.push(breach(entry.from ?? owner));
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
      case 'unsubscribed':
        out.push({ type: 'lead.unsubscribed', data: {} });
        break;
      case 'erased':
        out.push({ type: 'lead.erased', data: {} });
        break;
    }
    if (entry.kind === 'attempt') {
      attempts += 1;
      const touch = attempts === 1 ? touches.get(entry.at) : undefined;
      if (touch?.met === true) {
        out.push({
          type: 'lead.first_touch_met',
          data: {
            ...(owner ? { ownerId: owner } : {}),
            ...(touch.dueAt ? { dueAt: touch.dueAt } : {}),
            ...(touch.responseHours === undefined ? {} : { responseHours: touch.responseHours }),
          },
        });
      } else if (touch?.met === false && !breached) out.push(breach(owner, touch.dueAt));
      out.push({
        type: 'lead.attempt_logged',
        data: {
          attemptNo: attempts,
          ...(owner ? { ownerId: owner } : {}),
          ...(reasons[0] ? { outcome: reasons[0].rule } : {}),
        },
      });
    }
    if (entry.kind === 'deal') {
      const rule = reasons.find((reason) => reason.rule.startsWith('deals.stage.'))?.rule;
      const to = rule?.slice('deals.stage.'.length);
      if (to && to !== dealStage) {
        out.push({ type: 'deal.stage_changed', data: { ...(dealStage ? { from: dealStage } : {}), to } });
        dealStage = to;
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
          // back with marketing: no owner, no deal (releaseToMarketing)
          owner = undefined;
          dealStage = undefined;
        }
      }
    }
    if (seq < fromSeq) {
      // walked for context only; `breached` must follow the walk too
      if (out.some((event) => event.type === 'lead.first_touch_breached')) breached = true;
      continue;
    }
    for (const event of out) {
      if (event.type === 'lead.first_touch_breached') breached = true;
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
