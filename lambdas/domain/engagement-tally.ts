/**
 * The lead's event history, kept as running figures (issue 15, item 2): what `engagementScore`,
 * `journeyStage` and the recycle check compute from every event, folded in one event at a time,
 * so a new event costs the same however many came before and nobody reads the history again.
 *
 * - An uncapped rule keeps a running sum decayed to the latest event's time. Decay is
 *   exponential, so it composes: the sum at a later time is that sum times exp(-rate x gap).
 * - A capped rule fills its cap with the most recent events, so it keeps the times of the
 *   ceil(cap / points) most recent matches, all that can still count; an older event that arrives
 *   late simply sorts in.
 * - A `once` rule keeps its earliest match; the journey its furthest stage and the first event (in
 *   store order: time, then event id) that reached it; the recycle check the latest engagement.
 *
 * A tally answers for any time at or after the latest event it holds; it belongs to one set of
 * rules (a fingerprint of the lead type's rules, the decay and the journey), so an SLA change or a
 * new lead type makes the caller fold the whole history again. `engagementScore` and
 * `journeyStage` stay the specification: a property test checks the tally against them for any
 * events in any order and any later time.
 */
import {
  type CompiledEngagement,
  type CompiledRule,
  compiledEngagement,
  type EngagementOptions,
  type EngagementResult,
  ruleMatches,
  ruleReason,
} from './engagement.ts';
import { isoTimeMs } from './iso-time.ts';
import { type JourneyResult, journeyResult, journeySignal } from './journey.ts';
import type { EngagementEvent, Reason } from './lead.ts';
import type { Sla } from './sla-schema.ts';

/** One rule's running figures (plain JSON: it is stored on the lead). */
export interface RuleTally {
  /** matching events */
  readonly matched: number;
  /** uncapped: points so far, decayed to the tally's `latestMs` */
  readonly sum?: number;
  /** capped: the times (ms) of the most recent matches that can still count, newest first */
  readonly recent?: readonly number[];
  /** `once`: the time of the earliest match */
  readonly onceMs?: number;
}

export interface JourneyTally {
  /** index of the furthest stage signalled */
  readonly index: number;
  /** the first event, in store order, that signalled it */
  readonly type: string;
  readonly occurredAt: string;
  readonly eventId: string;
  readonly tag?: string;
}

export interface EngagementTally {
  /** the rules this tally was kept for (rules, decay, journey) */
  readonly rules: string;
  /** events folded in, with or without a valid time */
  readonly count: number;
  /** the latest valid event time folded in (ms); the tally answers for this time and later */
  readonly latestMs?: number;
  /** the latest time of an event other than an unsubscribe (ms): engagement since a recycle */
  readonly engagedMs?: number;
  /** parallel to the compiled rules */
  readonly perRule: readonly RuleTally[];
  readonly journey?: JourneyTally;
}

export interface TallyReading {
  readonly engagement: EngagementResult;
  readonly journey: JourneyResult;
}

const fingerprints = new WeakMap<CompiledEngagement, WeakMap<Sla['journey'], string>>();

/** A short, stable name of the rules a tally was kept for: FNV-1a over their JSON. */
export function tallyRules(sla: Sla, opts: EngagementOptions = {}): string {
  const engagement = compiledEngagement(sla, opts);
  let byJourney = fingerprints.get(engagement);
  if (!byJourney) {
    byJourney = new WeakMap();
    fingerprints.set(engagement, byJourney);
  }
  let print = byJourney.get(sla.journey);
  if (print === undefined) {
    const text = JSON.stringify([engagement.rules.map((r) => r.rule), engagement.decayRate, sla.journey]);
    let hash = 0x811c9dc5;
    for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193);
    print = `${engagement.rules.length}:${(hash >>> 0).toString(36)}`;
    byJourney.set(sla.journey, print);
  }
  return print;
}

export function emptyTally(sla: Sla, opts: EngagementOptions = {}): EngagementTally {
  const { rules } = compiledEngagement(sla, opts);
  return { rules: tallyRules(sla, opts), count: 0, perRule: rules.map(() => ({ matched: 0 })) };
}

/** How many of a capped rule's most recent matches can count: the cap fills newest first. */
const keptMatches = (rule: CompiledRule) => Math.ceil(rule.cap / rule.size);

/** A decaying amount known at `fromMs`, seen at `toMs`. */
const decayed = (amount: number, rate: number, fromMs: number, toMs: number) =>
  rate === 0 || amount === 0 ? amount : amount * Math.exp((fromMs - toMs) * rate);

/** Store order of two events: by time, then by event id (the sort key `EVENT#<time>#<id>`). */
const before = (aMs: number, aId: string, bMs: number, bId: string) =>
  aMs < bMs || (aMs === bMs && aId < bId);

/**
 * Folds events into a tally kept for the same rules. Each event must be new to the tally (the
 * store keys events by time and id, so the caller folds only what it stored just now).
 */
export function foldEvents(
  sla: Sla,
  tally: EngagementTally,
  events: readonly EngagementEvent[],
  opts: EngagementOptions = {},
): EngagementTally {
  const { rules, byType, decayRate } = compiledEngagement(sla, opts);
  const perRule: RuleTally[] = [...tally.perRule];
  let { latestMs, engagedMs, journey } = tally;
  for (const event of events) {
    const time = isoTimeMs(event.occurredAt);
    if (Number.isNaN(time)) continue; // never counts, as in the full replay
    if (event.type !== 'unsubscribe' && (engagedMs === undefined || time > engagedMs)) engagedMs = time;
    // running sums are kept at the latest time: move them forward before adding a later event
    if (latestMs !== undefined && time > latestMs) {
      for (const rule of rules) {
        const kept = perRule[rule.index]!;
        if (kept.sum !== undefined && rule.decays)
          perRule[rule.index] = { ...kept, sum: decayed(kept.sum, decayRate, latestMs, time) };
      }
    }
    if (latestMs === undefined || time > latestMs) latestMs = time;

    for (const rule of byType.get(event.type) ?? []) {
      if (!ruleMatches(rule, event)) continue;
      perRule[rule.index] = foldRule(rule, perRule[rule.index]!, time, latestMs, decayRate);
    }
    const signal = journeySignal(sla, event);
    const eventId = event.eventId ?? '';
    if (
      signal !== undefined &&
      (journey === undefined ||
        signal.index > journey.index ||
        (signal.index === journey.index &&
          before(time, eventId, isoTimeMs(journey.occurredAt), journey.eventId)))
    ) {
      journey = {
        index: signal.index,
        type: event.type,
        occurredAt: event.occurredAt,
        eventId,
        ...(signal.tag === undefined ? {} : { tag: signal.tag }),
      };
    }
  }
  return {
    rules: tally.rules,
    count: tally.count + events.length,
    ...(latestMs === undefined ? {} : { latestMs }),
    ...(engagedMs === undefined ? {} : { engagedMs }),
    perRule,
    ...(journey === undefined ? {} : { journey }),
  };
}

function foldRule(
  rule: CompiledRule,
  kept: RuleTally,
  time: number,
  latestMs: number,
  decayRate: number,
): RuleTally {
  const matched = kept.matched + 1;
  if (rule.rule.once) {
    return { matched, onceMs: kept.onceMs === undefined ? time : Math.min(kept.onceMs, time) };
  }
  if (Number.isFinite(rule.cap)) {
    const recent = [...(kept.recent ?? [])];
    let at = recent.length;
    while (at > 0 && recent[at - 1]! < time) at--;
    recent.splice(at, 0, time);
    if (recent.length > keptMatches(rule)) recent.length = keptMatches(rule);
    return { matched, recent };
  }
  const points = rule.sign * rule.size;
  const added = rule.decays ? decayed(points, decayRate, time, latestMs) : points;
  return { matched, sum: (kept.sum ?? 0) + added };
}

/**
 * The score and journey stage at `at`, or undefined when the tally cannot answer: kept for other
 * rules, or `at` before an event it holds (the full replay ignores events after `at`).
 */
export function readTally(
  sla: Sla,
  tally: EngagementTally,
  at: Date,
  opts: EngagementOptions = {},
): TallyReading | undefined {
  const atMs = at.getTime();
  if (tally.rules !== tallyRules(sla, opts)) return undefined;
  if (tally.latestMs !== undefined && atMs < tally.latestMs) return undefined;
  const { rules, decayRate } = compiledEngagement(sla, opts);
  let score = 0;
  const reasons: Reason[] = [];
  for (const rule of rules) {
    const kept = tally.perRule[rule.index];
    if (kept === undefined || kept.matched === 0) continue;
    const rate = rule.decays ? decayRate : 0;
    let counted = 0;
    let sum = 0;
    if (rule.rule.once) {
      if (kept.onceMs === undefined) continue;
      counted = 1;
      sum = decayed(rule.sign * Math.min(rule.size, rule.cap), rate, kept.onceMs, atMs);
    } else if (kept.recent !== undefined) {
      let used = 0;
      for (const time of kept.recent) {
        const room = rule.cap - used;
        if (room <= 0) break;
        const take = Math.min(rule.size, room);
        used += take;
        counted++;
        sum += decayed(rule.sign * take, rate, time, atMs);
      }
    } else {
      counted = kept.matched;
      sum = decayed(kept.sum ?? 0, rate, tally.latestMs ?? atMs, atMs);
    }
    if (counted === 0) continue;
    score += sum;
    reasons.push(ruleReason(rule, kept.matched, counted, sum));
  }
  const journey = tally.journey;
  return {
    engagement: { score: Math.round(score * 10) / 10, exact: score, reasons },
    journey: journeyResult(sla, journey?.index ?? 0, journey),
  };
}

/** Whether the lead engaged (any event but an unsubscribe) after `sinceMs`. */
export function engagedAfter(tally: EngagementTally, sinceMs: number): boolean {
  return tally.engagedMs !== undefined && tally.engagedMs > sinceMs;
}
