/**
 * Buyer's journey stage (glossary term 4): the furthest stage any event by `at` signals, by
 * its type or one of its content tags. Journeys do not go backwards: reading a blog post
 * after a demo request leaves the lead in decision. No signal yet: the first stage.
 */
import { isoTimeMs } from './iso-time.ts';
import type { EngagementEvent, Reason } from './lead.ts';
import type { Sla } from './sla-schema.ts';

export interface JourneyResult {
  readonly stage: string;
  readonly reasons: Reason[];
}

interface CompiledJourney {
  /** event type -> furthest stage index it signals */
  readonly byEvent: ReadonlyMap<string, number>;
  /** lower-cased content tag -> furthest stage index it signals */
  readonly byTag: ReadonlyMap<string, number>;
}

const compiled = new WeakMap<Sla['journey'], CompiledJourney>();

function compile(journey: Sla['journey']): CompiledJourney {
  let entry = compiled.get(journey);
  if (!entry) {
    const byEvent = new Map<string, number>();
    const byTag = new Map<string, number>();
    const further = (map: Map<string, number>, key: string, index: number) => {
      if (index > (map.get(key) ?? -1)) map.set(key, index);
    };
    for (const signal of journey.signals) {
      const index = journey.stages.indexOf(signal.stage);
      if (index < 0) continue; // sla-references reports unknown stages
      for (const type of signal.events) further(byEvent, type, index);
      for (const tag of signal.contentTags) further(byTag, tag.trim().toLowerCase(), index);
    }
    entry = { byEvent, byTag };
    compiled.set(journey, entry);
  }
  return entry;
}

/** The furthest stage one event signals, by its type or one of its content tags (the tag that
 *  signals it when the type alone does not); undefined when it signals none. */
export function journeySignal(
  sla: Sla,
  event: EngagementEvent,
): { readonly index: number; readonly tag: string | undefined } | undefined {
  const { byEvent, byTag } = compile(sla.journey);
  const byType = byEvent.get(event.type) ?? -1;
  let byContent = -1;
  let tag: string | undefined;
  if (byTag.size > 0 && event.contentTags) {
    for (const eventTag of event.contentTags) {
      const index = byTag.get(eventTag) ?? byTag.get(eventTag.trim().toLowerCase()) ?? -1;
      if (index > byContent) {
        byContent = index;
        tag = eventTag;
      }
    }
  }
  const index = Math.max(byType, byContent);
  return index < 0 ? undefined : { index, tag: byType >= byContent ? undefined : tag };
}

export function journeyStage(sla: Sla, events: readonly EngagementEvent[], at: Date): JourneyResult {
  const atMs = at.getTime();
  let best = 0;
  let signal: { event: EngagementEvent; tag: string | undefined } | undefined;

  const furthest = sla.journey.stages.length - 1;
  for (const event of events) {
    if (signal !== undefined && best === furthest) break;
    const signalled = journeySignal(sla, event);
    // the first event (in order given) to reach the furthest stage explains it
    if (signalled === undefined || (signal !== undefined && signalled.index <= best)) continue;
    if (!(isoTimeMs(event.occurredAt) <= atMs)) continue; // after `at`, or no valid time
    best = signalled.index;
    signal = { event, tag: signalled.tag };
  }
  return journeyResult(
    sla,
    best,
    signal && { type: signal.event.type, occurredAt: signal.event.occurredAt, tag: signal.tag },
  );
}

/** The stage reached and the event that explains it. */
export function journeyResult(
  sla: Sla,
  best: number,
  signal:
    | { readonly type: string; readonly occurredAt: string; readonly tag?: string | undefined }
    | undefined,
): JourneyResult {
  const stage = sla.journey.stages[best]!;
  if (!signal) {
    return { stage, reasons: [{ rule: `journey.${stage}`, detail: `no journey signal yet: first stage` }] };
  }
  const { type, occurredAt, tag } = signal;
  const by = tag === undefined ? `event ${type}` : `content tag "${tag}" on ${type}`;
  return {
    stage,
    reasons: [{ rule: `journey.${stage}`, detail: `${by} at ${occurredAt} signals ${stage}` }],
  };
}
