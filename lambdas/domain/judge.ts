/**
 * The qualification decision (glossary terms 2-6 and 9 together): who the lead is (type,
 * persona, fit), what they did (engagement, journey) and so where they stand (lead, MQL,
 * SQL), with every rule that fired. The Qualify step of the workflow records this as is.
 *
 * Derived facts feed later conditions, so the order matters: persona (adds `persona` and the
 * inferred `seniority`), then fit (criteria may name those; adds `fitTier`), then lead type
 * (may name all of them; adds `leadType`), then negative rules (may name everything).
 */
import { conditionHolds, describeCondition, leadFacts } from './conditions.ts';
import { type EngagementOptions, engagementScore } from './engagement.ts';
import { type EngagementTally, emptyTally, foldEvents, readTally, tallyRules } from './engagement-tally.ts';
import { fitScore } from './fit.ts';
import { journeyStage } from './journey.ts';
import type { EngagementEvent, LeadFields, LeadInput, Reason } from './lead.ts';
import { classifyLeadType, typePath } from './lead-type.ts';
import { matchPersona } from './persona.ts';
import type { FitTier, LeadType, ScoreMatrix, Seniority, Sla, Thresholds } from './sla-schema.ts';

export type Qualification = 'lead' | 'mql' | 'sql';

export interface Judgement {
  /** the SLA version that judged the lead (recorded on it) */
  readonly slaVersion: string;
  /** ISO-8601 UTC: the moment judged; later events were ignored */
  readonly judgedAt: string;
  /** lead type id; "default" when none is declared or matched */
  readonly leadType: string;
  readonly persona: string | null;
  readonly seniority: Seniority;
  /** 0-100 */
  readonly fitScore: number;
  readonly fitTier: FitTier;
  /** after decay, one decimal; may be negative */
  readonly engagementScore: number;
  readonly personaBonus: number;
  /** sum of the negative rules that fired (<= 0) */
  readonly negativeScore: number;
  /** fit + engagement + persona bonus + negative, never below 0 */
  readonly totalScore: number;
  readonly journeyStage: string;
  /** the thresholds that apply to this lead's type */
  readonly thresholds: Thresholds;
  /** the fit x engagement matrix used instead of the thresholds, if any */
  readonly matrix: ScoreMatrix | null;
  readonly qualifiesAs: Qualification;
  /** came in through a subscriber-only form and is not (yet) an MQL or SQL */
  readonly subscriberOnly: boolean;
  readonly skipNurture: boolean;
  readonly assignTo: 'queue' | 'accountOwner';
  readonly reasons: readonly Reason[];
}

const round1 = (n: number) => Math.round(n * 10) / 10;

/**
 * The most specific rule set wins: the type's own matrix, then the type's own thresholds,
 * then the SLA's matrix, then the SLA's thresholds. (A type that sets thresholds means them,
 * even when the SLA as a whole judges by matrix.)
 */
/** The type's own thresholds where it sets them, the SLA's otherwise. */
export function typeThresholds(sla: Sla, type: LeadType | undefined): Thresholds {
  const own = type?.overrides.thresholds;
  return { mql: own?.mql ?? sla.scoring.thresholds.mql, sql: own?.sql ?? sla.scoring.thresholds.sql };
}

function qualificationRules(sla: Sla, type: LeadType | undefined) {
  const overrides = type?.overrides;
  const thresholds = typeThresholds(sla, type);
  const matrix = overrides?.matrix ?? (overrides?.thresholds ? undefined : sla.scoring.matrix);
  return { thresholds, matrix };
}

function qualify(
  rules: { thresholds: Thresholds; matrix: ScoreMatrix | undefined },
  scores: { total: number; behaviour: number; tier: FitTier },
): { qualifiesAs: Qualification; reason: Reason } {
  const { thresholds, matrix } = rules;
  if (matrix) {
    // negative rules (competitor, free mail) must bite in matrix mode too, so they count on this axis
    const { mql, sql } = matrix[scores.tier];
    const row = `tier ${scores.tier} row: MQL ${mql ?? 'never'}, SQL ${sql ?? 'never'}`;
    const level: Qualification =
      sql !== null && scores.behaviour >= sql
        ? 'sql'
        : mql !== null && scores.behaviour >= mql
          ? 'mql'
          : 'lead';
    return {
      qualifiesAs: level,
      reason: {
        rule: `qualify.${level}`,
        detail: `matrix: engagement + negative ${scores.behaviour} against ${row}`,
      },
    };
  }
  const level: Qualification =
    scores.total >= thresholds.sql ? 'sql' : scores.total >= thresholds.mql ? 'mql' : 'lead';
  return {
    qualifiesAs: level,
    reason: {
      rule: `qualify.${level}`,
      detail: `total ${scores.total} against thresholds MQL ${thresholds.mql}, SQL ${thresholds.sql}`,
    },
  };
}

/**
 * What is known of a lead's events: the whole history (with the tally kept on the lead, reused when
 * it holds exactly these events), or only the events its tally lacks (a tracker's new events).
 */
export type EventHistory =
  | { readonly events: readonly EngagementEvent[]; readonly tally?: EngagementTally | undefined }
  | { readonly newEvents: readonly EngagementEvent[]; readonly tally: EngagementTally };

export interface JudgedHistory {
  readonly judgement: Judgement;
  /** the tally to keep on the lead; undefined when it cannot answer yet (an event after `at`) */
  readonly tally: EngagementTally | undefined;
}

export function judgeLead(sla: Sla, lead: LeadInput, at: Date): Judgement {
  return judgeHistory(sla, lead, { events: lead.events }, at)!.judgement;
}

/** The engagement and journey of a history: from the tally where it can answer, else replayed. */
function readHistory(sla: Sla, history: EventHistory, at: Date, opts: EngagementOptions) {
  const rules = tallyRules(sla, opts);
  if ('newEvents' in history) {
    if (history.tally.rules !== rules) return undefined;
    // no new events: the same tally (a wake that reads the tally alone changes nothing by it, ADR 0057)
    const tally =
      history.newEvents.length === 0
        ? history.tally
        : foldEvents(sla, history.tally, history.newEvents, opts);
    const reading = readTally(sla, tally, at, opts);
    return reading && { ...reading, tally };
  }
  const { events } = history;
  const known = history.tally;
  const tally =
    known !== undefined && known.rules === rules && known.count === events.length
      ? known
      : foldEvents(sla, emptyTally(sla, opts), events, opts);
  const reading = readTally(sla, tally, at, opts);
  if (reading) return { ...reading, tally };
  // an event after `at` (a tracker's clock a little ahead): the replay leaves it out
  return {
    engagement: engagementScore(sla, events, at, opts),
    journey: journeyStage(sla, events, at),
    tally: undefined,
  };
}

/**
 * Judges a lead from its event history. Undefined only for new events whose tally cannot take them
 * (kept for other rules, or an event after `at`): the caller judges the whole history instead.
 */
export function judgeHistory(
  sla: Sla,
  lead: { readonly email: string; readonly fields: LeadFields },
  history: EventHistory,
  at: Date,
): JudgedHistory | undefined {
  const facts = leadFacts(sla, lead);

  const persona = matchPersona(sla, facts);
  facts['persona'] = persona.persona?.id;
  facts['seniority'] = persona.seniority;

  const fit = fitScore(sla, facts);
  facts['fitTier'] = fit.tier;

  const type = classifyLeadType(sla, facts);
  facts['leadType'] = type.id;
  const overrides = type.leadType?.overrides;
  const ignoreRules = overrides?.ignoreRules ?? [];

  const read = readHistory(sla, history, at, {
    extraRules: overrides?.engagement,
    ignoreRules: overrides?.ignoreRules,
  });
  if (read === undefined) return undefined;
  const { engagement, journey } = read;

  let negativeScore = 0;
  const negativeReasons: Reason[] = [];
  for (const rule of sla.scoring.negative) {
    if (ignoreRules.includes(rule.id) || !conditionHolds(rule, facts)) continue;
    negativeScore += rule.points;
    negativeReasons.push({
      rule: `negative.${rule.id}`,
      points: rule.points,
      detail: describeCondition(rule),
    });
  }

  const personaBonus = persona.persona?.scoreBonus ?? 0;
  const bonusReasons: Reason[] =
    personaBonus !== 0 && persona.persona
      ? [
          {
            rule: `personaBonus.${persona.persona.id}`,
            points: personaBonus,
            detail: `${persona.persona.name} score bonus`,
          },
        ]
      : [];

  const sum = fit.score + engagement.score + personaBonus + negativeScore;
  const totalScore = Math.max(0, round1(sum));
  const totalReason: Reason = {
    rule: 'score.total',
    detail:
      `fit ${fit.score} + engagement ${engagement.score} + persona ${personaBonus} + negative ${negativeScore}` +
      ` = ${round1(sum)}${sum < 0 ? ', floored at 0' : ''}`,
  };

  const rules = qualificationRules(sla, type.leadType);
  const { qualifiesAs, reason: qualifyReason } = qualify(rules, {
    total: totalScore,
    behaviour: round1(engagement.score + negativeScore),
    tier: fit.tier,
  });

  const formId = facts['formId'];
  const subscriberForm = typeof formId === 'string' && sla.lifecycle.subscriberForms.includes(formId.trim());
  const subscriberOnly = subscriberForm && qualifiesAs === 'lead';
  const subscriberReasons: Reason[] = subscriberOnly
    ? [{ rule: 'lifecycle.subscriberForm', detail: `form ${formId} only subscribes: enters as subscriber` }]
    : [];

  const judgement: Judgement = {
    slaVersion: sla.version,
    judgedAt: at.toISOString(),
    leadType: type.id,
    persona: persona.persona?.id ?? null,
    seniority: persona.seniority,
    fitScore: fit.score,
    fitTier: fit.tier,
    engagementScore: engagement.score,
    personaBonus,
    negativeScore,
    totalScore,
    journeyStage: journey.stage,
    thresholds: rules.thresholds,
    matrix: rules.matrix ?? null,
    qualifiesAs,
    subscriberOnly,
    ...typePath(sla, type.id),
    reasons: [
      ...type.reasons,
      ...persona.reasons,
      ...fit.reasons,
      ...engagement.reasons,
      ...negativeReasons,
      ...bonusReasons,
      totalReason,
      ...journey.reasons,
      qualifyReason,
      ...subscriberReasons,
    ],
  };
  return { judgement, tally: read.tally };
}
