/**
 * Engagement score (glossary term 9): points for what a lead did. Each rule matches events by
 * type, property conditions and content tags; `once` counts only the first (earliest) event,
 * `cap` bounds a rule's absolute points before decay, filled by the most recent events first.
 * Positive points halve every `scoring.decay.halfLife`; negative points (unsubscribe) never
 * decay, so time can only lower a score. A business half-life ("10bd") decays on its
 * wall-clock equivalent (amount x unit): decay is a smooth fade, not an SLA clock.
 *
 * This runs for every event of every lead, so rules are compiled once per SLA and lead-type
 * override (memoised on the objects' identity), and the event loop allocates nothing.
 */
import { compileCondition, type Matcher } from './conditions.ts';
import { calendarMs } from './duration.ts';
import { isoTimeMs } from './iso-time.ts';
import type { EngagementEvent, FieldValue, Reason } from './lead.ts';
import type { EngagementRule, Sla } from './sla-schema.ts';

export interface EngagementOptions {
  /** the lead type's overrides.engagement; a rule with a base rule's id replaces it */
  readonly extraRules?: readonly EngagementRule[];
  /** the lead type's overrides.ignoreRules */
  readonly ignoreRules?: readonly string[];
}

export interface EngagementResult {
  /** rounded to one decimal; negative when penalties outweigh engagement */
  readonly score: number;
  /** the same, not rounded */
  readonly exact: number;
  readonly reasons: Reason[];
}

export interface CompiledRule {
  readonly rule: EngagementRule;
  /** its place among the compiled rules */
  readonly index: number;
  /** slot of this rule's running totals */
  readonly slot: number;
  readonly where: readonly { readonly field: string; readonly matches: Matcher }[];
  /** lower-cased; undefined = any content */
  readonly tags: ReadonlySet<string> | undefined;
  readonly size: number;
  readonly sign: number;
  readonly cap: number;
  readonly decays: boolean;
  /** the static parts of its reason */
  readonly label: string;
  readonly decayLabel: string;
}

export interface CompiledEngagement {
  readonly rules: readonly CompiledRule[];
  readonly byType: ReadonlyMap<string, readonly CompiledRule[]>;
  /** ln 2 / half-life in ms; 0 = no decay */
  readonly decayRate: number;
}

// running totals per rule, side by side in one flat array (plain arrays of doubles stay on the heap)
const USED = 0; // absolute points taken towards the cap
const SUM = 1; // points after decay
const MATCHED = 2; // matching events
const COUNTED = 3; // events that gave points
const ONCE_AT = 4; // time of the earliest match of a `once` rule
const SLOTS = 5;

const NO_RULES: readonly EngagementRule[] = Object.freeze([]);
const NO_IDS: readonly string[] = Object.freeze([]);
const cache = new WeakMap<
  Sla,
  WeakMap<readonly EngagementRule[], WeakMap<readonly string[], CompiledEngagement>>
>();

/** The rules that score a lead of this type, compiled once per SLA and override set. */
export function compiledEngagement(sla: Sla, opts: EngagementOptions = {}): CompiledEngagement {
  return compiled(sla, opts.extraRules ?? NO_RULES, opts.ignoreRules ?? NO_IDS);
}

function compiled(sla: Sla, extraRules: readonly EngagementRule[], ignoreRules: readonly string[]) {
  let bySla = cache.get(sla);
  if (!bySla) {
    bySla = new WeakMap();
    cache.set(sla, bySla);
  }
  let byExtra = bySla.get(extraRules);
  if (!byExtra) {
    byExtra = new WeakMap();
    bySla.set(extraRules, byExtra);
  }
  let entry = byExtra.get(ignoreRules);
  if (!entry) {
    entry = compile(sla, extraRules, ignoreRules);
    byExtra.set(ignoreRules, entry);
  }
  return entry;
}

function compile(
  sla: Sla,
  extraRules: readonly EngagementRule[],
  ignoreRules: readonly string[],
): CompiledEngagement {
  const ignored = new Set(ignoreRules);
  const replaced = new Set(extraRules.map((rule) => rule.id));
  const active = [...sla.scoring.engagement.filter((rule) => !replaced.has(rule.id)), ...extraRules].filter(
    (rule) => !ignored.has(rule.id),
  );

  const halfLife = sla.scoring.decay?.halfLife;
  const halfLifeMs = halfLife ? calendarMs(halfLife) : 0;
  // a zero half-life has no meaning as a fade: treat it as no decay
  const decayRate = halfLifeMs > 0 ? Math.LN2 / halfLifeMs : 0;

  const rules = active.map(
    (rule, index): CompiledRule => ({
      rule,
      index,
      slot: index * SLOTS,
      where: rule.where.map((condition) => ({
        field: condition.field,
        matches: compileCondition(condition),
      })),
      tags:
        rule.contentTags.length > 0
          ? new Set(rule.contentTags.map((tag) => tag.trim().toLowerCase()))
          : undefined,
      size: Math.abs(rule.points),
      sign: Math.sign(rule.points),
      cap: rule.cap ?? Number.POSITIVE_INFINITY,
      decays: rule.points > 0 && decayRate > 0,
      label: `${rule.event}, ${signed(rule.points)} each${rule.once ? ', first only' : ''}`,
      decayLabel: rule.points > 0 && decayRate > 0 ? `, decayed, half-life ${halfLife?.text}` : '',
    }),
  );
  const byType = new Map<string, CompiledRule[]>();
  for (const rule of rules) {
    const list = byType.get(rule.rule.event);
    if (list) list.push(rule);
    else byType.set(rule.rule.event, [rule]);
  }
  return { rules, byType, decayRate };
}

function whereHolds(
  rule: CompiledRule,
  properties: Readonly<Record<string, FieldValue>> | undefined,
): boolean {
  for (const { field, matches } of rule.where) if (!matches(properties?.[field])) return false;
  return true;
}

function hasTag(tags: ReadonlySet<string>, eventTags: readonly string[] | undefined): boolean {
  if (!eventTags) return false;
  for (const tag of eventTags) if (tags.has(tag) || tags.has(tag.trim().toLowerCase())) return true;
  return false;
}

const NO_TIME = Number.NEGATIVE_INFINITY;

/** Event times in ms (NO_TIME when unparseable, so they sort last and never count), and whether
 *  they already ascend, as the store returns them, so most need no sort. */
function eventTimes(events: readonly EngagementEvent[]): { times: number[]; ascending: boolean } {
  const times: number[] = [];
  let ascending = true;
  let previous = NO_TIME;
  for (let i = 0; i < events.length; i++) {
    const time = isoTimeMs(events[i]!.occurredAt);
    if (Number.isNaN(time)) {
      times.push(NO_TIME);
      continue;
    }
    times.push(time);
    if (time < previous) ascending = false;
    previous = time;
  }
  return { times, ascending };
}

/** Whether an event with this id came earlier in the run of events at the same time. The store
 *  keys events by time + id, so that pair is a replay; checking runs needs no set per lead. */
function replayed(
  events: readonly EngagementEvent[],
  times: readonly number[],
  indexAt: (position: number) => number,
  run: { readonly start: number; readonly time: number },
  position: number,
  eventId: string,
): boolean {
  for (let q = run.start; q < position; q++) {
    const j = indexAt(q);
    // skipped events (no valid time) may sit inside the run
    if (times[j] === run.time && events[j]!.eventId === eventId) return true;
  }
  return false;
}

/** Whether an event of the rule's type meets its property conditions and content tags. */
export function ruleMatches(rule: CompiledRule, event: EngagementEvent): boolean {
  if (rule.where.length > 0 && !whereHolds(rule, event.properties)) return false;
  return rule.tags === undefined || hasTag(rule.tags, event.contentTags);
}

const round1 = (n: number) => Math.round(n * 10) / 10;
const signed = (n: number) => (n > 0 ? `+${n}` : `${n}`);

/** The engagement score of the events that happened by `at`. */
export function engagementScore(
  sla: Sla,
  events: readonly EngagementEvent[],
  at: Date,
  opts: EngagementOptions = {},
): EngagementResult {
  const { rules, byType, decayRate } = compiled(sla, opts.extraRules ?? NO_RULES, opts.ignoreRules ?? NO_IDS);
  const atMs = at.getTime();
  const totals: number[] = [];
  for (let n = 0; n < rules.length * SLOTS; n++) totals.push(n % SLOTS === ONCE_AT ? Number.NaN : 0);

  const { times, ascending } = eventTimes(events);
  const last = events.length - 1;
  // most recent first, so caps keep the freshest events; ties: the later event is the more recent
  let order: number[] | undefined;
  if (!ascending) {
    order = events.map((_, i) => i);
    order.sort((a, b) => times[b]! - times[a]! || b - a);
  }
  const indexAt = order ? (position: number) => order[position]! : (position: number) => last - position;
  let runTime = Number.NaN;
  let runStart = 0;
  for (let position = 0; position <= last; position++) {
    const i = indexAt(position);
    const time = times[i]!;
    if (time > atMs || time === NO_TIME) continue;
    const event = events[i]!;
    if (time !== runTime) {
      runTime = time;
      runStart = position;
    } else if (
      event.eventId !== undefined &&
      replayed(events, times, indexAt, { start: runStart, time: runTime }, position, event.eventId)
    ) {
      continue;
    }
    const candidates = byType.get(event.type);
    if (candidates === undefined) continue;
    for (const rule of candidates) {
      if (!ruleMatches(rule, event)) continue;
      const slot = rule.slot;
      totals[slot + MATCHED]!++;
      if (rule.rule.once) {
        totals[slot + ONCE_AT] = time; // overwritten until the earliest match
        continue;
      }
      const room = rule.cap - totals[slot + USED]!;
      if (room <= 0) continue;
      const take = Math.min(rule.size, room);
      totals[slot + USED]! += take;
      totals[slot + COUNTED]!++;
      totals[slot + SUM]! += rule.sign * take * (rule.decays ? Math.exp((time - atMs) * decayRate) : 1);
    }
  }

  let score = 0;
  const reasons: Reason[] = [];
  for (const rule of rules) {
    const slot = rule.slot;
    const onceAt = totals[slot + ONCE_AT]!;
    if (rule.rule.once && !Number.isNaN(onceAt)) {
      const take = Math.min(rule.size, rule.cap);
      totals[slot + USED] = take;
      totals[slot + COUNTED] = 1;
      totals[slot + SUM] = rule.sign * take * (rule.decays ? Math.exp((onceAt - atMs) * decayRate) : 1);
    }
    const counted = totals[slot + COUNTED]!;
    if (counted === 0) continue;
    const sum = totals[slot + SUM]!;
    score += sum;
    reasons.push(ruleReason(rule, totals[slot + MATCHED]!, counted, sum));
  }
  return { score: round1(score), exact: score, reasons };
}

/** Why a rule gave what it gave: its matches, what its cap let count, and the decay. */
export function ruleReason(rule: CompiledRule, matched: number, counted: number, sum: number): Reason {
  return {
    rule: `engagement.${rule.rule.id}`,
    points: round1(sum),
    detail: describe(rule, matched, counted),
  };
}

function describe(rule: CompiledRule, matched: number, counted: number): string {
  const { once, cap } = rule.rule;
  const capped =
    cap !== undefined && (once ? rule.size > cap : counted < matched || counted * rule.size > cap);
  return `${matched} × ${rule.label}${capped ? `, capped at ${cap} (${counted} counted)` : ''}${rule.decayLabel}`;
}
