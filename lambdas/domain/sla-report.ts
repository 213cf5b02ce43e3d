/**
 * The SLA report, both ways (GLOSSARY.md #1): the funnel, marketing against its commitments
 * (`marketing:` in the SLA: MQLs per month, the share of handed-over SQLs sales accepts) and sales
 * against its commitments (first touch within the SLA, response time in business hours, attempts
 * against the cadence, breaches, escalations, reassignments, recycles), in total, per rep and per queue.
 *
 * Computed from report facts alone (report-facts.ts), so the API, `leadpact report` and later
 * `leadpact simulate` give the same figures for the same facts. Pure: `now` is passed in.
 */

import { businessHoursBetween, localDayOf, startOfLocalDay } from './business-hours.ts';
import { callsMadeIn, stepsAsked } from './cadence-asked.ts';
import { type ConsoleLanguage, consoleLanguage, consoleLocale } from './console-language.ts';
import { durationFigure } from './duration-figure.ts';
import { formatFullTime } from './email-templates.ts';
import { textDirection } from './locale.ts';
import { type Percentiles, percentiles } from './percentiles.ts';
import type { FactKind, LeadFact } from './report-facts.ts';
import { LIFECYCLE_STAGES, type LifecycleStage } from './sla-constants.ts';
import { localName, nameOf, ruleNameIn, slaNameIn, stageNameIn } from './sla-names.ts';
import type { Sla } from './sla-schema.ts';
import { firstReachOf, stageReaches } from './stage-reached.ts';
import { UNCONFIRMED_ERASE_RULE } from './unconfirmed-erasure.ts';

export type { Percentiles } from './percentiles.ts';

export interface ReportWindow {
  /** ISO, inclusive */
  readonly from: string;
  /** ISO, exclusive */
  readonly to: string;
  readonly now: Date;
  /**
   * ISO: the facts given are complete up to this instant (exclusive), which may be after `to` (default `to`).
   * Handovers of the window are judged by what is known by then (capped at `now`): a touch after the window
   * still answers a handover in it, and a deadline that passed after `to` is no longer pending.
   */
  readonly knownUntil?: string;
  /**
   * ISO: the facts given are complete up to this instant (exclusive) for following the window's takeovers to what
   * became of them (default `knownUntil`), capped at `now`; the other figures read no further than `knownUntil`
   */
  readonly followedUntil?: string;
  readonly queue?: string;
  readonly rep?: string;
  /** only facts of these reps (a manager's team) */
  readonly reps?: readonly string[];
  /**
   * with `reps`: the takeovers over to these managers too, whoever's team the owner is in (the viewer is the manager
   * the ladder handed the lead to: the decision is theirs, ADR 0088, ADR 0090)
   */
  readonly managers?: readonly string[];
}

export interface FunnelStage {
  readonly stage: LifecycleStage;
  readonly name: string;
  /**
   * leads that reached the stage or went past it in the window, by a move up or arriving (stage-reached.ts): a
   * lead that arrives as an SQL reached Subscriber, Lead and MQL too; a recycled lead going back reached nothing.
   * The MQL stage's is marketing's `mqls.actual`.
   */
  readonly reached: number;
  /** of those, leads that then reached the next stage or went past it in the window; 0 at the last stage */
  readonly reachedNext: number;
  /** reachedNext / reached, the stage-to-stage conversion (MQL to SQL); null when none reached or at the last stage */
  readonly conversionToNext: number | null;
  /**
   * leads that landed on the stage itself in the window, a recycle back to it too; one that skipped it is not
   * counted (`reached` is the funnel's count, ADR 0073)
   */
  readonly entered: number;
  /** of those, leads that went on to a later stage in the window */
  readonly advanced: number;
  /** advanced / entered; null when none entered */
  readonly conversion: number | null;
  /** wall-clock hours spent in the stage by leads that left it in the window */
  readonly hoursInStage: Percentiles;
}

export interface SalesFigures {
  /** times a rep got a lead (first handoffs and reassignments) */
  readonly handovers: number;
  readonly reassignments: number;
  readonly firstTouch: {
    /** first attempt by the deadline */
    readonly met: number;
    /** first attempt after the deadline, or none and the deadline has passed */
    readonly breached: number;
    /** no attempt yet, deadline still ahead (or after the window) */
    readonly pending: number;
    // a handover the lead left untouched before its deadline (reassigned, erased) is none of the three
    /** met / (met + breached); null when none was judged */
    readonly rate: number | null;
  };
  /** business hours from handover to first attempt */
  readonly responseHours: Percentiles;
  /**
   * wall-clock hours the leads handed over in the period had waited for an owner because nobody in their
   * queue could take them (ADR 0041): the time before the first-touch clock started; n = leads that waited
   */
  readonly waitedForOwner: Percentiles;
  readonly attempts: number;
  /**
   * what the cadence asks for these handovers: handovers x steps; one that ended (the lead reassigned, recycled,
   * disqualified or erased) only the steps due by then, but never fewer than the calls made in it, one logged after
   * the lead left its rep too (cadence-asked.ts)
   */
  readonly cadenceAttempts: number;
  /** cadences that expired with attempts missing */
  readonly cadenceBreaches: number;
  readonly escalations: number;
  readonly recycles: number;
}

export interface SalesRow extends SalesFigures {
  readonly id: string;
  readonly name: string;
}

/**
 * What became of the leads the escalation ladder handed over to a manager in the window ("Over to you", ADR 0085,
 * ADR 0088): each is counted once, by the first of these that followed its takeover, as far as known (ADR 0090).
 * overTo = givenOn + touched + recycled + ended + open.
 */
export interface TakeoverFigures {
  /** takeovers in the window: leads over to a manager (a lead whose later handover ran out again counts again) */
  readonly overTo: number;
  /** the lead's next handover came first: given to a rep (by the manager, ops, or the workflow for an owner away) */
  readonly givenOn: number;
  /** a call was logged on the lead first, while it stayed with its owner (the first touch, late) */
  readonly touched: number;
  /** the lead was recycled first, untouched: the cadence ran out (its breach), or a person sent it back */
  readonly recycled: number;
  /** disqualified by a person or erased first, untouched */
  readonly ended: number;
  /** none of these yet, as far as the report follows it */
  readonly open: number;
  /** business hours (the SLA calendar's) from the takeover to the handover that gave the lead on: n = givenOn */
  readonly givenOnHours: Percentiles;
}

export interface TakeoverRow extends TakeoverFigures {
  /** the queue's id (byQueue), the manager's (byManager) */
  readonly id: string;
  readonly name: string;
  /** whom this row's leads went over to, by name ("ops": the deployment's ops address) */
  readonly managers: readonly { readonly id: string; readonly name: string }[];
}

export interface SlaReport {
  readonly sla: {
    readonly version: string;
    readonly name: string;
    /**
     * The SLA calendar's zone (IANA), the company's days: a date of the query (`from=2026-12-06`) is that day's
     * midnight there, and the page reads the window there. Absent in a report of a LeadPact before it said so.
     */
    readonly timeZone?: string;
  };
  readonly window: {
    readonly from: string;
    readonly to: string;
    readonly queue?: string;
    /** with `queue`: its name in the SLA (else the id). Absent in a report of a LeadPact before it said so. */
    readonly queueName?: string;
    readonly rep?: string;
    /**
     * with `rep`: their name, the SLA's, or for a rep who has left it the name their facts recorded (else the id).
     * Absent in a report of a LeadPact before it said so.
     */
    readonly repName?: string;
  };
  readonly facts: number;
  readonly funnel: readonly FunnelStage[];
  readonly marketing: {
    readonly mqls: {
      /** leads that reached MQL (or went straight past it) in the window */
      readonly actual: number;
      /** sla.marketing.mqlsPerMonth over the window's length; null without a target */
      readonly target: number | null;
      readonly byMonth: readonly { month: string; actual: number; target: number | null }[];
    };
    readonly sqls: {
      /** first handoffs to sales in the window */
      readonly handedOver: number;
      /** recycled or disqualified by a person in the window */
      readonly rejected: number;
      /** (handedOver - rejected) / handedOver; null when none */
      readonly acceptanceRate: number | null;
      /** sla.marketing.sqlAcceptanceRate / 100; null without a target */
      readonly targetRate: number | null;
      /** `reason`: the SLA rule that decided (e.g. contact.outcome.not-now); `reasonName`: its SLA name */
      readonly rejections: readonly { status: string; reason: string; reasonName: string; count: number }[];
    };
  };
  readonly sales: {
    readonly total: SalesFigures;
    readonly byRep: readonly SalesRow[];
    readonly byQueue: readonly SalesRow[];
    /**
     * The managers' part (ADR 0090): the leads over to a manager in the window and what became of them, in all,
     * per queue and per manager. Absent in a report of a LeadPact before it said so.
     */
    readonly takeovers?: {
      readonly total: TakeoverFigures;
      readonly byQueue: readonly TakeoverRow[];
      readonly byManager: readonly TakeoverRow[];
    };
  };
  /**
   * The retention of sign-ups never confirmed (ADR 0092): leads the SLA's `consent.eraseUnconfirmedAfterDays` erased
   * in the window, across the deployment (an erased lead has no queue or rep to narrow by); `afterDays` the SLA's
   * setting (null: off). Absent in a report of a LeadPact before it said so.
   */
  readonly retention?: {
    readonly unconfirmedErased: number;
    readonly afterDays: number | null;
  };
}

const MS_DAY = 86_400_000;
/** a month, on average, for pro-rating the monthly MQL target */
const DAYS_PER_MONTH = 365.25 / 12;

export function slaReport(sla: Sla, allFacts: readonly LeadFact[], window: ReportWindow): SlaReport {
  const inWindow = allFacts.filter((fact) => fact.at >= window.from && fact.at < window.to);
  const inScope = inWindow.filter(
    (fact) =>
      (window.reps === undefined || (fact.rep !== undefined && window.reps.includes(fact.rep))) &&
      (window.queue === undefined || fact.queue === window.queue),
  );
  const facts = window.rep === undefined ? inScope : inScope.filter((fact) => fact.rep === window.rep);
  // one rep's report narrows the sales figures; marketing's (MQLs, its acceptance) and the funnel have no rep
  // to narrow by: they stay the window's (with one rep they read zero, and a target missed in red)
  const marketingFacts = window.rep === undefined ? facts : inScope;
  const knownUntil =
    window.knownUntil !== undefined && window.knownUntil > window.to ? window.knownUntil : window.to;
  const judgedUntil = new Date(Math.min(window.now.getTime(), Date.parse(knownUntil))).toISOString();
  // what happened after the window, as far as known: it judges the first touch of the window's handovers
  const after = allFacts.filter((fact) => fact.at >= window.to && fact.at < judgedUntil);
  const laterTouches = new Map<string, LeadFact[]>();
  for (const fact of after)
    if (fact.kind === 'touch')
      laterTouches.set(fact.leadId, [...(laterTouches.get(fact.leadId) ?? []), fact]);
  // a handover ends at the lead's next one, whoever got it (another rep's, outside a rep's or team's rows), at its
  // recycle or disqualification, or at its erase: each such fact says what the cadence had asked by then (stepsDue)
  const endings = new Map<string, LeadFact[]>();
  for (const fact of [...inWindow, ...after])
    if (fact.kind === 'handover' || fact.stepsDue !== undefined)
      endings.set(fact.leadId, [...(endings.get(fact.leadId) ?? []), fact]);
  const handoversOf = (leadId: string) =>
    (endings.get(leadId) ?? []).filter((ending) => ending.kind === 'handover');
  // what ends a handover at its very instant ends it too, in story order (ADR 0091, amended): a write that ends or
  // changes the lead is stamped no earlier than the story (storyInstant, inStoryOrder; a reassignment nextHandoverAt),
  // so a recycle, a disqualification or an erase of the handover's instant was written after it. A handover of the
  // same instant ends it when told later in the story (seq): stories stored before each handover had its own instant
  // (lead-manage.ts) dated two reassignments of one millisecond alike.
  // Facts of different kinds carry no order at one instant: a later handover comes first (it was a handover of that
  // instant before the lead left sales), then a recycle or a disqualification, an erase last (nothing follows it)
  const comesAfter = (ending: LeadFact, handover: LeadFact) =>
    ending.at > handover.at ||
    (ending.at === handover.at && (ending.kind !== 'handover' || ending.seq > handover.seq));
  const atItsInstant = (fact: LeadFact) => (fact.kind === 'erase' ? 2 : fact.kind === 'handover' ? 0 : 1);
  const handoverEnd: HandoverEnd = (handover, endsBy = ENDS_ANY_WAY) =>
    endings
      .get(handover.leadId)
      ?.filter((ending) => comesAfter(ending, handover) && endsBy.includes(ending.kind))
      .sort((a, b) => a.at.localeCompare(b.at) || atItsInstant(a) - atItsInstant(b) || a.seq - b.seq)[0];
  // a takeover is followed further than a handover is judged (buildReport reads on): what became of it
  const followedUntil = new Date(
    Math.min(
      window.now.getTime(),
      Math.max(Date.parse(knownUntil), Date.parse(window.followedUntil ?? knownUntil)),
    ),
  ).toISOString();
  const followed = allFacts.filter(
    (fact) => fact.at >= window.to && fact.at < followedUntil && FATES.includes(fact.kind),
  );
  // a rep the SLA no longer names (they left it): the name their latest fact recorded, else the id
  const recorded = new Map<string, string>();
  for (const fact of allFacts)
    if (fact.rep !== undefined && fact.repName) recorded.set(fact.rep, fact.repName);
  const repName = (id: string) =>
    sla.routing.reps.find((rep) => rep.id === id)?.name ?? recorded.get(id) ?? id;
  const queueName = (id: string) => sla.routing.queues.find((queue) => queue.id === id)?.name ?? id;
  const rows = (key: 'rep' | 'queue', name: (id: string) => string): SalesRow[] => {
    const groups = new Map<string, LeadFact[]>();
    for (const fact of facts) {
      const id = fact[key];
      // an erase is no figure of its own: it only ends a handover; a takeover is the managers' (takeovers)
      if (id === undefined || fact.kind === 'erase' || fact.kind === 'takeover') continue;
      const list = groups.get(id);
      if (list) list.push(fact);
      else groups.set(id, [fact]);
    }
    return [...groups.keys()].sort().map((id) => ({
      id,
      name: name(id),
      ...salesFigures(groups.get(id)!, judgedUntil, handoverEnd, handoversOf, laterTouches),
    }));
  };
  return {
    sla: { version: sla.version, name: sla.name, timeZone: sla.calendar.timeZone },
    window: {
      from: window.from,
      to: window.to,
      ...(window.queue ? { queue: window.queue, queueName: queueName(window.queue) } : {}),
      ...(window.rep ? { rep: window.rep, repName: repName(window.rep) } : {}),
    },
    facts: facts.length,
    funnel: funnel(sla, marketingFacts),
    marketing: marketing(sla, marketingFacts, window),
    sales: {
      total: salesFigures(facts, judgedUntil, handoverEnd, handoversOf, laterTouches),
      byRep: rows('rep', repName),
      byQueue: rows('queue', queueName),
      takeovers: takeovers(
        sla,
        inWindow.filter(
          (fact) =>
            fact.kind === 'takeover' &&
            (window.queue === undefined || fact.queue === window.queue) &&
            (window.rep === undefined || fact.rep === window.rep) &&
            (window.reps === undefined ||
              (fact.rep !== undefined && window.reps.includes(fact.rep)) ||
              (fact.manager !== undefined && window.managers?.includes(fact.manager) === true)),
        ),
        [...inWindow, ...followed],
      ),
    },
    retention: {
      unconfirmedErased: inWindow.filter(
        (fact) => fact.kind === 'erase' && fact.reason === UNCONFIRMED_ERASE_RULE,
      ).length,
      afterDays: sla.consent.eraseUnconfirmedAfterDays ?? null,
    },
  };
}

/** What may follow a takeover, in the order it is told when two come at one instant. */
const FATES: readonly FactKind[] = ['handover', 'attempt', 'recycle', 'reject', 'erase'];

type Fate = Exclude<keyof TakeoverFigures, 'overTo' | 'givenOnHours'>;
const FATE_OF: Readonly<Partial<Record<FactKind, Fate>>> = {
  handover: 'givenOn',
  attempt: 'touched',
  recycle: 'recycled',
  reject: 'ended',
  erase: 'ended',
};

/**
 * A call an earlier owner made while the lead was theirs, logged after it changed hands (a CRM's late sync:
 * report-facts.ts lateCall, the only attempt fact without an `attemptNo`): no touch of the handover over to the
 * manager, which the workflow still reminds them of (ADR 0085, ADR 0089), so no fate of its takeover.
 */
const earlierOwnersCall = (fact: LeadFact) => fact.kind === 'attempt' && fact.attemptNo === undefined;

/**
 * The takeovers `taken` (the window's, in scope) and what became of each: the first of `later` (the lead's
 * facts of the window and after it, whoever's) that followed it (ADR 0090). Given on: the business hours of the SLA
 * calendar from the takeover to that handover (a manager works the company's hours, ADR 0083).
 */
function takeovers(
  sla: Sla,
  taken: readonly LeadFact[],
  later: readonly LeadFact[],
): NonNullable<SlaReport['sales']['takeovers']> {
  const byLead = new Map<string, LeadFact[]>();
  for (const fact of later)
    if (FATES.includes(fact.kind) && !earlierOwnersCall(fact))
      byLead.set(fact.leadId, [...(byLead.get(fact.leadId) ?? []), fact]);
  const fates = taken.map((takeover) => {
    const next = (byLead.get(takeover.leadId) ?? [])
      .filter((fact) => fact.at > takeover.at)
      .sort((a, b) => a.at.localeCompare(b.at) || FATES.indexOf(a.kind) - FATES.indexOf(b.kind))[0];
    const fate: Fate = next ? FATE_OF[next.kind]! : 'open';
    const hours =
      next?.kind === 'handover'
        ? round3(businessHoursBetween(sla.calendar, new Date(takeover.at), new Date(next.at)))
        : undefined;
    return { takeover, fate, hours };
  });
  type Followed = (typeof fates)[number];
  const figures = (list: readonly Followed[]): TakeoverFigures => {
    const count = (fate: Fate) => list.filter((item) => item.fate === fate).length;
    return {
      overTo: list.length,
      givenOn: count('givenOn'),
      touched: count('touched'),
      recycled: count('recycled'),
      ended: count('ended'),
      open: count('open'),
      givenOnHours: percentiles(list.flatMap((item) => (item.hours === undefined ? [] : [item.hours]))),
    };
  };
  const managerName = (id: string) => sla.routing.managers.find((manager) => manager.id === id)?.name ?? id;
  const queueName = (id: string) => sla.routing.queues.find((queue) => queue.id === id)?.name ?? id;
  const rows = (key: (fact: LeadFact) => string | undefined, name: (id: string) => string): TakeoverRow[] => {
    const groups = new Map<string, Followed[]>();
    for (const item of fates) {
      const id = key(item.takeover);
      if (id !== undefined) groups.set(id, [...(groups.get(id) ?? []), item]);
    }
    return [...groups.keys()].sort().map((id) => {
      const list = groups.get(id)!;
      const managers = [...new Set(list.map((item) => item.takeover.manager ?? 'ops'))].sort();
      return {
        id,
        name: name(id),
        managers: managers.map((manager) => ({ id: manager, name: managerName(manager) })),
        ...figures(list),
      };
    });
  };
  return {
    total: figures(fates),
    byQueue: rows((fact) => fact.queue, queueName),
    byManager: rows((fact) => fact.manager ?? 'ops', managerName),
  };
}

function funnel(sla: Sla, facts: readonly LeadFact[]): FunnelStage[] {
  const stageFacts = facts.filter((fact) => fact.kind === 'stage');
  const reaches = stageReaches(stageFacts);
  const stagesByLead = new Map<string, LeadFact[]>();
  for (const fact of stageFacts)
    stagesByLead.set(fact.leadId, [...(stagesByLead.get(fact.leadId) ?? []), fact]);
  return LIFECYCLE_STAGES.map((stage) => {
    const rank = LIFECYCLE_STAGES.indexOf(stage);
    const entries = new Map<string, string>();
    for (const fact of stageFacts)
      if (fact.stage === stage && !entries.has(fact.leadId)) entries.set(fact.leadId, fact.at);
    const advanced = [...entries].filter(([leadId, at]) =>
      (stagesByLead.get(leadId) ?? []).some(
        (fact) => fact.at >= at && LIFECYCLE_STAGES.indexOf(fact.stage!) > rank,
      ),
    ).length;
    const reached = firstReachOf(reaches, stage);
    const next = LIFECYCLE_STAGES[rank + 1];
    const reachedNext =
      next === undefined
        ? 0
        : [...reached].filter(([leadId, at]) =>
            reaches.some((reach) => reach.leadId === leadId && reach.stage === next && reach.at >= at),
          ).length;
    return {
      stage,
      name: sla.lifecycle.names[stage] ?? stage,
      reached: reached.size,
      reachedNext,
      conversionToNext: next === undefined || reached.size === 0 ? null : ratio(reachedNext, reached.size),
      entered: entries.size,
      advanced,
      conversion: entries.size === 0 ? null : ratio(advanced, entries.size),
      hoursInStage: percentiles(
        stageFacts.flatMap((fact) =>
          fact.from === stage && fact.hoursInFrom !== undefined ? [fact.hoursInFrom] : [],
        ),
      ),
    };
  });
}

function marketing(sla: Sla, facts: readonly LeadFact[], window: ReportWindow): SlaReport['marketing'] {
  // a lead counts once per window: the first time it reached MQL or went past it from below, as the funnel's
  const reached = firstReachOf(stageReaches(facts), 'mql');
  const perMonth = sla.marketing.mqlsPerMonth;
  // months of the SLA's calendar (the company's), as the window's days are
  const zone = sla.calendar.timeZone;
  const months = monthsOf(window.from, window.to, zone);
  const reachedDays = [...reached.values()].map((at) => localDayOf(zone, new Date(at)));
  const byMonth = months.map(({ month, days }) => ({
    month,
    actual: reachedDays.filter((day) => day.startsWith(month)).length,
    target: perMonth === undefined ? null : round1((perMonth * days) / DAYS_PER_MONTH),
  }));
  const windowDays = (Date.parse(window.to) - Date.parse(window.from)) / MS_DAY;
  const handedOver = facts.filter((fact) => fact.kind === 'handover' && !fact.reassigned).length;
  const rejects = facts.filter((fact) => fact.kind === 'reject');
  const reasons = new Map<string, { status: string; reason: string; count: number }>();
  for (const fact of rejects) {
    const key = `${fact.status}|${fact.reason}`;
    const known = reasons.get(key) ?? { status: fact.status ?? '', reason: fact.reason ?? '', count: 0 };
    reasons.set(key, { ...known, count: known.count + 1 });
  }
  const statusName = (id: string) => sla.leadStatuses.find((status) => status.id === id)?.name ?? id;
  return {
    mqls: {
      actual: reached.size,
      target: perMonth === undefined ? null : round1((perMonth * windowDays) / DAYS_PER_MONTH),
      byMonth,
    },
    sqls: {
      handedOver,
      rejected: rejects.length,
      acceptanceRate: handedOver === 0 ? null : ratio(Math.max(0, handedOver - rejects.length), handedOver),
      targetRate:
        sla.marketing.sqlAcceptanceRate === undefined ? null : sla.marketing.sqlAcceptanceRate / 100,
      rejections: [...reasons.values()]
        .map((entry) => ({
          status: statusName(entry.status),
          reason: entry.reason,
          reasonName: ruleNameIn(sla, entry.reason, ''),
          count: entry.count,
        }))
        .sort((a, b) => b.count - a.count || a.reason.localeCompare(b.reason)),
    },
  };
}

/**
 * What ended this handover, as far as known (report-facts.ts): the lead's next handover, its recycle or
 * disqualification (a `recycle` or `reject` fact that took it from its owner), or its erase; only facts of the kinds
 * `endsBy` names.
 */
type HandoverEnd = (handover: LeadFact, endsBy?: readonly FactKind[]) => LeadFact | undefined;
const ENDS_ANY_WAY: readonly FactKind[] = ['handover', 'recycle', 'reject', 'erase'];
/**
 * What ends a first-touch promise: the lead's next owner, or its erase. A recycle or disqualification does not: the
 * touch logged with it comes at its very instant, and an untouched lead sent back is judged as before.
 */
const ENDS_A_FIRST_TOUCH: readonly FactKind[] = ['handover', 'erase'];

function salesFigures(
  facts: readonly LeadFact[],
  judgedUntil: string,
  handoverEnd: HandoverEnd,
  handoversOf: (leadId: string) => readonly LeadFact[],
  laterTouches: ReadonlyMap<string, readonly LeadFact[]>,
): SalesFigures {
  const kinds = new Map<FactKind, LeadFact[]>();
  for (const fact of facts) {
    const list = kinds.get(fact.kind);
    if (list) list.push(fact);
    else kinds.set(fact.kind, [fact]);
  }
  const of = (kind: FactKind) => kinds.get(kind) ?? [];
  const handovers = of('handover');
  const touches = of('touch');
  let met = 0;
  let breached = 0;
  let pending = 0;
  const byLead = (list: readonly LeadFact[]) => {
    const map = new Map<string, LeadFact[]>();
    for (const fact of list) {
      const known = map.get(fact.leadId);
      if (known) known.push(fact);
      else map.set(fact.leadId, [fact]);
    }
    return map;
  };
  const touchesByLead = byLead(touches);
  for (const handover of handovers) {
    // connected or with a deal when it changed hands: no first touch was owed, none is judged
    if (handover.noFirstTouch) continue;
    // the touch of this handover: same lead, after it, before the lead's next handover; or one that names it
    // (a call made in this handover, logged after the lead changed hands)
    const next = handoverEnd(handover, ENDS_A_FIRST_TOUCH)?.at;
    const candidates = [
      ...(touchesByLead.get(handover.leadId) ?? []),
      ...(laterTouches.get(handover.leadId) ?? []),
    ];
    const touch = candidates.find((candidate) =>
      candidate.handover !== undefined
        ? candidate.handover === handover.at
        : candidate.at >= handover.at && (next === undefined || candidate.at < next),
    );
    if (touch) {
      if (touch.met === false) breached += 1;
      else met += 1;
    } else if (next !== undefined && handover.dueAt !== undefined && next <= handover.dueAt) {
      // taken away untouched before its deadline (a manager gave it to someone else, or the lead was erased):
      // nobody broke this promise, and nobody can keep it any more: not judged
    } else if (handover.dueAt !== undefined && handover.dueAt < judgedUntil) breached += 1;
    else pending += 1;
  }
  const attempts = of('attempt');
  const stepsOf = new Map(attempts.map((attempt) => [attempt.leadId, attempt.cadenceSteps ?? 0]));
  const anySteps = attempts[0]?.cadenceSteps ?? 0;
  const attemptsByLead = byLead(attempts);
  const steps = handovers.reduce((sum, handover) => {
    const cadence = handover.cadenceSteps ?? stepsOf.get(handover.leadId) ?? anySteps;
    // a handover that ended (reassigned, recycled, disqualified, erased) asked only the steps due by then, and never
    // fewer than the calls made in it (one logged after the lead left its rep too)
    const made = callsMadeIn(
      handover,
      attemptsByLead.get(handover.leadId) ?? [],
      handoversOf(handover.leadId),
    );
    return sum + stepsAsked(cadence, handoverEnd(handover)?.stepsDue, made);
  }, 0);
  return {
    handovers: handovers.length,
    reassignments: handovers.filter((handover) => handover.reassigned).length,
    firstTouch: { met, breached, pending, rate: met + breached === 0 ? null : ratio(met, met + breached) },
    responseHours: percentiles(
      touches.flatMap((touch) => (touch.responseHours === undefined ? [] : [touch.responseHours])),
    ),
    waitedForOwner: percentiles(
      handovers.flatMap((handover) => (handover.waitedHours === undefined ? [] : [handover.waitedHours])),
    ),
    attempts: attempts.length,
    cadenceAttempts: steps,
    cadenceBreaches: of('breach').length,
    escalations: of('escalation').length,
    recycles: of('recycle').length,
  };
}

/** The months of `zone` a window touches, with the days of each inside it. */
function monthsOf(from: string, to: string, zone: string): { month: string; days: number }[] {
  const start = Date.parse(from);
  const end = Date.parse(to);
  const out: { month: string; days: number }[] = [];
  let cursor = start;
  while (cursor < end) {
    const month = localDayOf(zone, new Date(cursor)).slice(0, 7);
    const [year, index] = month.split('-').map(Number) as [number, number];
    const first = new Date(Date.UTC(year, index, 1)).toISOString().slice(0, 10); // the next month's 1st
    const next = startOfLocalDay(zone, first).getTime();
    out.push({ month, days: (Math.min(next, end) - cursor) / MS_DAY });
    cursor = next;
  }
  return out;
}

const ratio = (a: number, b: number) => Math.round((a / b) * 1000) / 1000;
const round1 = (value: number) => Math.round(value * 10) / 10;
const round3 = (value: number) => Math.round(value * 1000) / 1000;

// ---------- rendering (shared by `leadpact report` and the console) ----------

const pct = (value: number | null) => (value === null ? '-' : `${Math.round(value * 1000) / 10}%`);
/**
 * A duration as measured, in `units`: whole minutes under an hour ("15 min"), hours to a tenth above
 * (duration-figure.ts); `-` for none. `minutes` may be missing from a report of an older server: the hours then.
 */
function span(
  hours: number | null,
  minutes: number | null | undefined,
  units: DurationUnits = DURATION_UNITS.en,
): string {
  const figure = durationFigure({ minutes, hours });
  return figure ? `${figure.value} ${units[figure.unit]}` : '-';
}

interface DurationUnits {
  readonly minutes: string;
  readonly hours: string;
}

const DURATION_UNITS: Readonly<Record<'en' | 'ar', DurationUnits>> = {
  en: { minutes: 'min', hours: 'h' },
  ar: { minutes: 'دقيقة', hours: 'ساعة' },
};

const hours = (value: Percentiles) =>
  value.n === 0
    ? '-'
    : `p50 ${span(value.p50, value.p50Minutes)}, p90 ${span(value.p90, value.p90Minutes)} (n=${value.n})`;

/** `text` in lines of at most `width` characters, broken between words (a longer word stands alone). */
function wrapped(text: string, width: number): string[] {
  const lines: string[] = [];
  for (const word of text.split(' ')) {
    const last = lines.at(-1);
    if (last !== undefined && last.length + 1 + word.length <= width)
      lines[lines.length - 1] = `${last} ${word}`;
    else lines.push(word);
  }
  return lines;
}

/** The names of the SQL and MQL stages the funnel's note speaks of, as `name` gives them. */
function funnelNames(report: SlaReport, name: (stage: FunnelStage) => string): [sql: string, mql: string] {
  const named = (id: LifecycleStage) => {
    const stage = report.funnel.find((candidate) => candidate.stage === id);
    return stage ? name(stage) : id;
  };
  return [named('sql'), named('mql')];
}

/** The report as plain text for a terminal. */
export function reportText(report: SlaReport): string {
  const lines: string[] = [];
  const w = report.window;
  lines.push(`SLA report: ${report.sla.name} (version ${report.sla.version})`);
  // the window's edges on the SLA calendar's clock, as the console and the page name them (never raw UTC)
  const zone = report.sla.timeZone ?? 'UTC';
  lines.push(
    `${formatFullTime(new Date(w.from), zone, 'en')} to ${formatFullTime(new Date(w.to), zone, 'en')}${w.queue ? `, queue ${w.queueName ?? w.queue}` : ''}${w.rep ? `, rep ${w.repName ?? w.rep}` : ''}; ${report.facts} facts`,
  );
  lines.push('', 'Funnel');
  const note = REPORT_WORDS.en.funnelNote(...funnelNames(report, (stage) => stage.name));
  lines.push(...wrapped(note, 100).map((line) => `  ${line}`));
  // the SLA's names set the columns (its stage names may be as long as "Marketing qualified lead")
  const stageWidth = Math.max(14, ...report.funnel.map((stage) => stage.name.length));
  for (const stage of report.funnel) {
    lines.push(
      `  ${stage.name.padEnd(stageWidth)} reached ${String(stage.reached).padStart(5)}  on to the next stage ${String(stage.reachedNext).padStart(5)} (${pct(stage.conversionToNext)})  time in stage ${hours(stage.hoursInStage)}`,
    );
  }
  const m = report.marketing;
  lines.push('', 'Marketing against its commitments');
  lines.push(`  MQLs: ${m.mqls.actual}${m.mqls.target === null ? '' : ` of a target of ${m.mqls.target}`}`);
  for (const month of m.mqls.byMonth)
    lines.push(`    ${month.month}: ${month.actual}${month.target === null ? '' : ` / ${month.target}`}`);
  lines.push(
    `  SQLs handed to sales: ${m.sqls.handedOver}, rejected by sales: ${m.sqls.rejected}, accepted ${pct(m.sqls.acceptanceRate)}${m.sqls.targetRate === null ? '' : ` (target ${pct(m.sqls.targetRate)})`}`,
  );
  for (const rejection of m.sqls.rejections)
    lines.push(`    ${rejection.count} x ${rejection.status} (${rejection.reasonName})`);
  lines.push('', 'Sales against its commitments');
  const labelWidth = Math.max(
    18,
    ...[...report.sales.byRep, ...report.sales.byQueue].map((figures) => figures.name.length),
  );
  const row = (label: string, s: SalesFigures) =>
    `  ${label.padEnd(labelWidth)} handovers ${s.handovers}, first touch met ${s.firstTouch.met} / breached ${s.firstTouch.breached} / pending ${s.firstTouch.pending} (${pct(s.firstTouch.rate)} in SLA), response ${hours(s.responseHours)}${s.waitedForOwner.n ? `, waited for an owner ${hours(s.waitedForOwner)}` : ''}, attempts ${s.attempts} of ${s.cadenceAttempts} in the cadence, cadence breaches ${s.cadenceBreaches}, escalations ${s.escalations}, reassignments ${s.reassignments}, recycles ${s.recycles}`;
  lines.push(row('All', report.sales.total));
  lines.push('  Per rep');
  for (const rep of report.sales.byRep) lines.push(row(rep.name, rep));
  lines.push('  Per queue');
  for (const queue of report.sales.byQueue) lines.push(row(queue.name, queue));
  lines.push(...takeoverLines(report, labelWidth));
  lines.push(...retentionLines(report));
  return lines.join('\n');
}

/** The retention part of the text report (ADR 0092): nothing for a report of a LeadPact before it said so. */
function retentionLines(report: SlaReport): string[] {
  const r = report.retention;
  if (!r) return [];
  const setting =
    r.afterDays === null
      ? 'consent.eraseUnconfirmedAfterDays is not set: none is erased by itself'
      : `erased ${r.afterDays} days after the confirmation link lapsed`;
  return ['', 'Sign-ups never confirmed', `  Erased in the period: ${r.unconfirmedErased} (${setting})`];
}

/** The managers' part of the text report (ADR 0090): nothing for a report of a LeadPact before it said so. */
function takeoverLines(report: SlaReport, labelWidth: number): string[] {
  const t = report.sales.takeovers;
  if (!t) return [];
  const lines = [
    '',
    'Over to the managers (the ladder ran out: the lead stays with its owner until the manager decides)',
  ];
  if (t.total.overTo === 0) return [...lines, '  No lead went over to a manager in the period.'];
  const width = Math.max(labelWidth, ...[...t.byQueue, ...t.byManager].map((row) => row.name.length));
  const fates = (f: TakeoverFigures) =>
    `given to a rep ${f.givenOn}${f.givenOnHours.n ? ` (after ${hours(f.givenOnHours)})` : ''}, first touch after it ${f.touched}, recycled untouched ${f.recycled}, disqualified or erased ${f.ended}, still open ${f.open}`;
  const names = (row: TakeoverRow) => row.managers.map((manager) => manager.name).join(', ');
  lines.push(`  ${'All'.padEnd(width)} over to a manager ${t.total.overTo}: ${fates(t.total)}`);
  lines.push('  Per queue');
  for (const queue of t.byQueue)
    lines.push(`  ${queue.name.padEnd(width)} over to ${names(queue)} ${queue.overTo}: ${fates(queue)}`);
  lines.push('  Per manager');
  for (const manager of t.byManager)
    lines.push(`  ${manager.name.padEnd(width)} over to them ${manager.overTo}: ${fates(manager)}`);
  return lines;
}

const escapeHtml = (value: string) =>
  value.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c,
  );

/** The words of the report's page, per shipped language (a third language: a compile error until it has them). */
interface ReportWords {
  title(sla: string): string;
  window(version: string, from: string, to: string, queue?: string, rep?: string): string;
  funnel: string;
  funnelAria: string;
  /** what the funnel's figures count, naming the SLA's SQL and MQL stages */
  funnelNote(sql: string, mql: string): string;
  stage: string;
  reached: string;
  onToNext: string;
  conversionToNext: string;
  hoursInStage: string;
  marketing: string;
  mqls(actual: string, target: string | null): string;
  sqls(handed: number, rejected: number, accepted: string, target: string | null): string;
  sales: string;
  /** the leads handed over that had waited for an owner (nobody in their queue could take them) */
  /** `p50`, `p90`: durations as `span` writes them ("45 min", "3 h") */
  waited(n: number, p50: string, p90: string): string;
  all: string;
  perRep: string;
  perQueue: string;
  columns: readonly string[];
  /** the managers' part (ADR 0090): its heading, what it counts, none in the period, its columns */
  overTo: string;
  overToNote: string;
  noTakeovers: string;
  overToColumns: readonly string[];
  /** the retention of sign-ups never confirmed (ADR 0092): its heading; `count` the erased, `days` the SLA's setting */
  retention: string;
  retentionErased(count: string, days: number): string;
}

/** The page's own words per console language (console-language.ts): a German reader's report is English. */
const REPORT_WORDS: Record<ConsoleLanguage, ReportWords> = {
  en: {
    title: (sla) => `SLA report: ${sla}`,
    window: (version, from, to, queue, rep) =>
      `Version ${version}. From ${from} to ${to}${queue ? `, queue ${queue}` : ''}${rep ? `, rep ${rep}` : ''}.`,
    funnel: 'Funnel',
    funnelAria: 'Leads that reached each lifecycle stage',
    funnelNote: (sql, mql) =>
      `Reached: the leads that reached the stage or went past it in the period; a lead that arrives at the ${sql} stage counts at every stage before it, and one sent back to marketing counts again only when it moves up again. On to the next stage: of those, the leads that reached the next stage in the period. The ${mql} row is marketing's MQLs.`,
    stage: 'Stage',
    reached: 'Reached',
    onToNext: 'On to the next stage',
    conversionToNext: 'Conversion to the next stage',
    hoursInStage: 'Time in stage p50 / p90',
    marketing: 'Marketing against its commitments',
    mqls: (actual, target) =>
      `MQLs: <strong>${actual}</strong>${target === null ? '' : ` of a target of ${target}`}.`,
    sqls: (handed, rejected, accepted, target) =>
      `SQLs handed to sales: ${handed}; rejected by sales: ${rejected}; accepted: <strong>${accepted}</strong>${target === null ? '' : ` (target ${target})`}.`,
    sales: 'Sales against its commitments',
    waited: (n, p50, p90) =>
      `${n} ${n === 1 ? 'lead' : 'leads'} waited for an owner, nobody in the queue being able to take them: median ${p50}, 90% within ${p90}, before the first-touch clock started.`,
    all: 'All',
    perRep: 'Per rep',
    perQueue: 'Per queue',
    columns: [
      'Handovers',
      'Met',
      'Breached',
      'Pending',
      'In SLA',
      'Response p50 / p90',
      'Attempts / cadence',
      'Cadence breaches',
      'Escalations',
      'Reassigned',
      'Recycled',
    ],
    overTo: 'Over to the managers',
    overToNote:
      "When the escalation ladder runs out, the lead goes over to its queue's manager and stays with its owner until the manager decides who works it. Each lead over to a manager in the period counts once, by what came first after it: given to a rep, an attempt logged (the first touch), recycled untouched (the cadence ran out), disqualified or erased; still open when none of these has happened yet. Given on after: business hours from the takeover to the new owner.",
    noTakeovers: 'No lead went over to a manager in the period.',
    overToColumns: [
      'Over to',
      'Leads',
      'Given to a rep',
      'Given on after p50 / p90',
      'First touch after it',
      'Recycled untouched',
      'Disqualified or erased',
      'Still open',
    ],
    retention: 'Sign-ups never confirmed',
    retentionErased: (count, days) =>
      `Erased in the period: <strong>${count}</strong>. The SLA erases a lead kept only for a sign-up never confirmed ${days} ${days === 1 ? 'day' : 'days'} after its confirmation link lapsed. An erased lead has no queue or rep any more: this counts all of them.`,
  },
  ar: {
    title: (sla) => `تقرير اتفاقية مستوى الخدمة: ${sla}`,
    window: (version, from, to, queue, rep) =>
      `الإصدار ${version}. من ${from} إلى ${to}${queue ? `، الطابور ${queue}` : ''}${rep ? `، المندوب ${rep}` : ''}.`,
    funnel: 'القمع',
    funnelAria: 'العملاء المحتملون الذين بلغوا كل مرحلة من دورة الحياة',
    funnelNote: (sql, mql) =>
      `بلغوا: العملاء المحتملون الذين بلغوا المرحلة أو تجاوزوها خلال الفترة؛ من يصل بوصفه ${sql} يُحتسب في كل مرحلة قبلها، ومن أُعيد إلى التسويق لا يُحتسب من جديد إلا إذا صعد مرة أخرى. انتقلوا إلى المرحلة التالية: من بين هؤلاء، من بلغ المرحلة التالية خلال الفترة. صف ${mql} هو العملاء المحتملون المؤهلون تسويقيًا لدى التسويق.`,
    stage: 'المرحلة',
    reached: 'بلغوا',
    onToNext: 'انتقلوا إلى المرحلة التالية',
    conversionToNext: 'التحويل إلى المرحلة التالية',
    hoursInStage: 'الوقت في المرحلة: الوسيط / 90%',
    marketing: 'التسويق مقابل التزاماته',
    mqls: (actual, target) =>
      `العملاء المحتملون المؤهلون تسويقيًا: <strong>${actual}</strong>${target === null ? '' : ` من هدف ${target}`}.`,
    sqls: (handed, rejected, accepted, target) =>
      `العملاء المحتملون المؤهلون للمبيعات المسلَّمون إلى المبيعات: ${handed}؛ رفضتهم المبيعات: ${rejected}؛ المقبولون: <strong>${accepted}</strong>${target === null ? '' : ` (الهدف ${target})`}.`,
    sales: 'المبيعات مقابل التزاماتها',
    waited: (n, p50, p90) =>
      `انتظر ${n} من العملاء المحتملين مالكًا لأن أحدًا في الطابور لم يستطع استلامهم: الوسيط ${p50}، و90% خلال ${p90}، قبل أن تبدأ مهلة أول تواصل.`,
    all: 'الكل',
    perRep: 'لكل مندوب',
    perQueue: 'لكل طابور',
    columns: [
      'الإسنادات',
      'في الموعد',
      'متأخر',
      'قيد الانتظار',
      'ضمن الاتفاقية',
      'زمن الاستجابة: الوسيط / 90%',
      'المحاولات / التسلسل',
      'إخلالات التسلسل',
      'التصعيدات',
      'أُعيد إسنادها',
      'أُعيدت للتسويق',
    ],
    overTo: 'المحالون إلى المديرين',
    overToNote:
      'حين تنفد خطوات التصعيد يُحال العميل المحتمل إلى مدير طابوره، ويبقى لدى مالكه حتى يقرر المدير من يتابعه. يُحتسب كل عميل محتمل أُحيل إلى مدير خلال الفترة مرة واحدة، بأول ما تلا الإحالة: أُسند إلى مندوب، أو سُجّلت محاولة تواصل (أول تواصل)، أو أُعيد إلى التسويق دون تواصل (انتهى التسلسل)، أو استُبعد أو مُحي؛ ويبقى مفتوحًا ما لم يحدث شيء من ذلك بعد. أُسند بعد: ساعات العمل من الإحالة إلى المالك الجديد.',
    noTakeovers: 'لم يُحَل أي عميل محتمل إلى مدير خلال الفترة.',
    overToColumns: [
      'أُحيل إلى',
      'العملاء المحتملون',
      'أُسند إلى مندوب',
      'أُسند بعد: الوسيط / 90%',
      'تواصل بعد الإحالة',
      'أُعيد للتسويق دون تواصل',
      'استُبعد أو مُحي',
      'لا يزال مفتوحًا',
    ],
    retention: 'اشتراكات لم تُؤكَّد قط',
    retentionErased: (count, days) =>
      `مُحي خلال الفترة: <strong>${count}</strong>. تمحو الاتفاقية العميل المحتمل الذي لا سبب للاحتفاظ به إلا اشتراك انقضى رابط تأكيده دون تأكيد، بعد ${arabicDays(days)} من انقضاء الرابط. لم يعد للعميل المحتمل الممحو طابور ولا مندوب: يشمل هذا العدد الجميع.`,
  },
};

/** Arabic days after a preposition (Intl.PluralRules picks the form: 1, 2, 3-10, 11+). */
const arabicPlural = new Intl.PluralRules('ar');
function arabicDays(days: number): string {
  const forms: Record<Intl.LDMLPluralRule, string> = {
    zero: '# يوم',
    one: 'يوم واحد',
    two: 'يومين',
    few: '# أيام',
    many: '# يومًا',
    other: '# يوم',
  };
  return forms[arabicPlural.select(days)].replace('#', String(days));
}

/** An escaped value in its own direction (`<bdi>`): a version or an ISO time inside Arabic text stays in order. */
const isolated = (value: string | undefined) =>
  value === undefined ? undefined : `<bdi>${escapeHtml(value)}</bdi>`;

/** A window's edge for people: the date and time in `zone` (the SLA's days) as the reader's language writes it (Intl). */
function when(iso: string, locale: string, zone = 'UTC'): string {
  const at = new Date(iso);
  if (Number.isNaN(at.getTime())) return iso;
  return new Intl.DateTimeFormat(locale, {
    day: 'numeric',
    month: 'long',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
    timeZone: zone,
    timeZoneName: 'short',
    numberingSystem: 'latn',
  }).format(at);
}

/** Who reads the page: their locale, and the SLA the report is of (for its names in that locale). */
export interface ReportView {
  readonly locale: string;
  /** the SLA of the report (same version): stage, rep and queue names in the reader's language */
  readonly sla?: Sla;
}

/** The report as one self-contained HTML page (no scripts, inline SVG funnel), readable at 390 px. */
export function reportHtml(report: SlaReport, view: ReportView = { locale: 'en' }): string {
  // drawn in the reader's locale where the report has their words, else wholly in English (console-language.ts)
  const locale = consoleLocale(view.locale);
  const t = REPORT_WORDS[consoleLanguage(locale)];
  const units = DURATION_UNITS[consoleLanguage(locale)];
  // the SLA's names in the reader's language, when the SLA at hand is the one the report is of
  const sla = view.sla?.version === report.sla.version ? view.sla : undefined;
  const stageName = (stage: FunnelStage) => (sla ? stageNameIn(sla, stage.stage, locale) : stage.name);
  const repName = (row: SalesRow) => {
    const rep = sla?.routing.reps.find((candidate) => candidate.id === row.id);
    return rep ? localName(rep, locale) : row.name;
  };
  const queueName = (row: SalesRow) => {
    const queue = sla?.routing.queues.find((candidate) => candidate.id === row.id);
    return queue ? localName(queue, locale) : row.name;
  };
  const slaName = sla ? slaNameIn(sla, locale) : report.sla.name;
  // the report names a rejection's status by its SLA name (English): the reader's, when the SLA has it
  const statusName = (name: string) => {
    const status = sla?.leadStatuses.find((candidate) => candidate.name === name);
    return status ? localName(status, locale) : name;
  };
  const w = report.window;
  // a window of days (GET /reports/sla reads a date in the SLA calendar's zone) reads as such there: the zone the
  // report states, whatever SLA file is at hand (a report of an older LeadPact states none: the SLA's, else UTC)
  const zone = report.sla.timeZone ?? sla?.calendar.timeZone ?? 'UTC';
  // the window's filters are ids: the SLA's names for people, when the SLA at hand has them
  // (a rep who has left the SLA: the name the report recorded)
  const windowRep =
    w.rep === undefined
      ? undefined
      : sla
        ? nameOf(sla.routing.reps, w.rep, locale, w.repName)
        : (w.repName ?? w.rep);
  const windowQueue =
    w.queue === undefined
      ? undefined
      : sla
        ? nameOf(sla.routing.queues, w.queue, locale, w.queueName)
        : (w.queueName ?? w.queue);
  const max = Math.max(1, ...report.funnel.map((stage) => stage.reached));
  const rtl = textDirection(locale) === 'rtl';
  // left to right: the names' column as wide as the longest name needs at 13 px (~7 px a character, at
  // least 110, at most 220: the SLA names its stages, "Marketing qualified lead" is 24), the bars after it
  const nameWidth = Math.min(
    220,
    Math.max(110, ...report.funnel.map((stage) => Math.ceil(stageName(stage).length * 7) + 8)),
  );
  const bars = report.funnel
    .map((stage, i) => {
      const width = Math.round((stage.reached / max) * (410 - nameWidth));
      if (!rtl)
        return `<g transform="translate(0,${i * 28})"><text x="0" y="17" font-size="13">${escapeHtml(stageName(stage))}</text><rect x="${nameWidth}" y="4" width="${width}" height="18" fill="#2f6f9f"></rect><text x="${nameWidth + 6 + width}" y="17" font-size="13">${stage.reached}</text></g>`;
      // right to left: the names on the right (150 px: Arabic stage names are longer), the bars growing
      // leftwards; coordinates read left to right (the svg is direction="ltr", or every anchor would flip)
      const bar = Math.round((stage.reached / max) * 260);
      return `<g transform="translate(0,${i * 28})"><text x="460" y="17" font-size="13" text-anchor="end">${escapeHtml(stageName(stage))}</text><rect x="${302 - bar}" y="4" width="${bar}" height="18" fill="#2f6f9f"></rect><text x="${296 - bar}" y="17" font-size="13" text-anchor="end">${stage.reached}</text></g>`;
    })
    .join('');
  const salesRow = (label: string, s: SalesFigures) =>
    `<tr><th scope="row">${escapeHtml(label)}</th><td>${s.handovers}</td><td>${s.firstTouch.met}</td><td>${s.firstTouch.breached}</td><td>${s.firstTouch.pending}</td><td>${pct(s.firstTouch.rate)}</td><td>${span(s.responseHours.p50, s.responseHours.p50Minutes, units)} / ${span(s.responseHours.p90, s.responseHours.p90Minutes, units)}</td><td>${s.attempts} / ${s.cadenceAttempts}</td><td>${s.cadenceBreaches}</td><td>${s.escalations}</td><td>${s.reassignments}</td><td>${s.recycles}</td></tr>`;
  const salesTable = (rows: string) =>
    `<div class="scroll"><table><thead><tr><th></th>${t.columns.map((column) => `<th>${column}</th>`).join('')}</tr></thead><tbody>${rows}</tbody></table></div>`;
  const m = report.marketing;
  const waited = report.sales.total.waitedForOwner;
  const start = rtl ? 'right' : 'left';
  const end = rtl ? 'left' : 'right';
  return `<!doctype html><html lang="${escapeHtml(locale)}" dir="${textDirection(locale)}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${escapeHtml(t.title(slaName))}</title>
<style>body{font:15px/1.45 system-ui,sans-serif;margin:0 auto;padding:16px;max-width:1100px;color:#1b1b1b}h1{font-size:1.4em}table{border-collapse:collapse;font-size:14px}td,th{padding:4px 8px;border-bottom:1px solid #ddd;text-align:${end}}th[scope=row],thead th:first-child,.names{text-align:${start}}.scroll{overflow-x:auto;max-width:100%}svg{max-width:100%;height:auto}</style></head><body>
<h1>${escapeHtml(t.title(slaName))}</h1>
<p>${t.window(isolated(report.sla.version)!, isolated(when(w.from, locale, zone))!, isolated(when(w.to, locale, zone))!, isolated(windowQueue), isolated(windowRep))}</p>
<h2>${t.funnel}</h2>
<svg role="img" aria-label="${t.funnelAria}" direction="ltr" viewBox="0 0 460 ${report.funnel.length * 28}" width="460">${bars}</svg>
<div class="scroll"><table><thead><tr><th>${t.stage}</th><th>${t.reached}</th><th>${t.onToNext}</th><th>${t.conversionToNext}</th><th>${t.hoursInStage}</th></tr></thead><tbody>${report.funnel
    .map(
      (stage) =>
        `<tr><th scope="row">${escapeHtml(stageName(stage))}</th><td>${stage.reached}</td><td>${stage.reachedNext}</td><td>${pct(stage.conversionToNext)}</td><td>${span(stage.hoursInStage.p50, stage.hoursInStage.p50Minutes, units)} / ${span(stage.hoursInStage.p90, stage.hoursInStage.p90Minutes, units)}</td></tr>`,
    )
    .join('')}</tbody></table></div>
<p>${escapeHtml(t.funnelNote(...funnelNames(report, stageName)))}</p>
<h2>${t.marketing}</h2>
<p>${t.mqls(String(m.mqls.actual), m.mqls.target === null ? null : String(m.mqls.target))} ${t.sqls(m.sqls.handedOver, m.sqls.rejected, pct(m.sqls.acceptanceRate), m.sqls.targetRate === null ? null : pct(m.sqls.targetRate))}</p>
${m.sqls.rejections.length ? `<ul>${m.sqls.rejections.map((r) => `<li>${r.count} × ${escapeHtml(statusName(r.status))} (${escapeHtml(sla ? ruleNameIn(sla, r.reason, locale) : r.reasonName)})</li>`).join('')}</ul>` : ''}
<h2>${t.sales}</h2>
${salesTable(salesRow(t.all, report.sales.total))}
${waited.n ? `<p>${t.waited(waited.n, span(waited.p50, waited.p50Minutes, units), span(waited.p90, waited.p90Minutes, units))}</p>` : ''}
<h3>${t.perRep}</h3>
${salesTable(report.sales.byRep.map((rep) => salesRow(repName(rep), rep)).join(''))}
<h3>${t.perQueue}</h3>
${salesTable(report.sales.byQueue.map((queue) => salesRow(queueName(queue), queue)).join(''))}
${takeoverSection(report, t, units, sla, locale)}
${retentionSection(report, t)}
</body></html>`;
}

/**
 * The managers' part of the report's page alone (ADR 0090): its heading, note and table as reportHtml draws them,
 * for a page that shows the report's figures in its own frame (`leadpact simulate --compare`'s, ADR 0023). The
 * page around it sets the `names` class's alignment (the start of the line) as reportHtml's own style does.
 */
export function reportTakeoversHtml(report: SlaReport, view: ReportView = { locale: 'en' }): string {
  const locale = consoleLocale(view.locale);
  const sla = view.sla?.version === report.sla.version ? view.sla : undefined;
  return takeoverSection(
    report,
    REPORT_WORDS[consoleLanguage(locale)],
    DURATION_UNITS[consoleLanguage(locale)],
    sla,
    locale,
  );
}

/**
 * The retention part of the page (ADR 0092): the sign-ups never confirmed that the SLA erased in the period; nothing
 * when the SLA erases none by itself (no `consent.eraseUnconfirmedAfterDays`) or the report is of an older server.
 */
function retentionSection(report: SlaReport, t: ReportWords): string {
  const r = report.retention;
  if (!r || r.afterDays === null) return '';
  return `<h2>${t.retention}</h2><p>${t.retentionErased(String(r.unconfirmedErased), r.afterDays)}</p>`;
}

/** The managers' part of the page (ADR 0090): what became of the leads over to them; nothing from an older server. */
function takeoverSection(
  report: SlaReport,
  t: ReportWords,
  units: DurationUnits,
  sla: Sla | undefined,
  locale: string,
): string {
  const over = report.sales.takeovers;
  if (!over) return '';
  const heading = `<h2>${t.overTo}</h2><p>${escapeHtml(t.overToNote)}</p>`;
  if (over.total.overTo === 0) return `${heading}<p>${escapeHtml(t.noTakeovers)}</p>`;
  const managerName = (manager: { id: string; name: string }) => {
    const found = sla?.routing.managers.find((candidate) => candidate.id === manager.id);
    return found ? localName(found, locale) : manager.name;
  };
  const queueName = (row: TakeoverRow) => {
    const found = sla?.routing.queues.find((candidate) => candidate.id === row.id);
    return found ? localName(found, locale) : row.name;
  };
  const names = (managers: readonly { id: string; name: string }[]) =>
    managers.map((manager) => escapeHtml(managerName(manager))).join(', ');
  const row = (label: string, managers: readonly { id: string; name: string }[], f: TakeoverFigures) =>
    `<tr><th scope="row">${escapeHtml(label)}</th><td class="names">${names(managers)}</td><td>${f.overTo}</td><td>${f.givenOn}</td><td>${span(f.givenOnHours.p50, f.givenOnHours.p50Minutes, units)} / ${span(f.givenOnHours.p90, f.givenOnHours.p90Minutes, units)}</td><td>${f.touched}</td><td>${f.recycled}</td><td>${f.ended}</td><td>${f.open}</td></tr>`;
  const everyone = over.byManager.map((manager) => ({ id: manager.id, name: manager.name }));
  return `${heading}<div class="scroll"><table><thead><tr><th></th>${t.overToColumns.map((column, i) => `<th${i === 0 ? ' class="names"' : ''}>${column}</th>`).join('')}</tr></thead><tbody>${row(t.all, everyone, over.total)}${over.byQueue.map((queue) => row(queueName(queue), queue.managers, queue)).join('')}</tbody></table></div>`;
}
