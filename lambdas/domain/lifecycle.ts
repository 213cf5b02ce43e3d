/**
 * The lifecycle state machine (GLOSSARY 5) and the lead status (GLOSSARY 8): what one
 * occurrence in a lead's life does to its stage and status. Stages move forward only,
 * except along a recycle transition the SLA declares; customer is terminal.
 */
import { addDuration } from './business-hours.ts';
import type { Duration } from './duration.ts';
import type { Reason } from './lead.ts';
import { LIFECYCLE_STAGES, type LifecycleStage, type StatusMoment } from './sla-constants.ts';
import type { Sla } from './sla-schema.ts';

export interface LifecycleState {
  readonly stage: LifecycleStage;
  /** a lead status id from sla.leadStatuses */
  readonly status: string;
  /** ISO-8601 UTC: until then a recycled lead does not re-qualify */
  readonly recycledUntil?: string;
}

/** what scoring says a lead is; the judge never makes a contact an opportunity or a customer */
export type Qualification = 'lead' | 'mql' | 'sql';

export type Occurrence =
  | {
      readonly kind: 'qualified';
      readonly qualifiesAs: Qualification;
      /** came only through subscriber forms: "lead" then means subscriber */
      readonly subscriberOnly?: boolean;
      readonly total: number;
      readonly at: Date;
    }
  | { readonly kind: 'handedOff'; readonly ownerId: string }
  | { readonly kind: 'attemptLogged'; readonly outcomeId: string; readonly first: boolean }
  | { readonly kind: 'dealUpdated'; readonly dealStageId: string; readonly at: Date; readonly first: boolean }
  | {
      readonly kind: 'cadenceExhausted';
      readonly at: Date;
      readonly coolOff: Duration;
      /** attempts logged in the handover, and the cadence's steps: the reason says which */
      readonly logged?: number;
      readonly of?: number;
    }
  | { readonly kind: 'statusSetByRep'; readonly statusId: string };

export type OccurrenceKind = Occurrence['kind'];

export interface Applied {
  readonly rejected: false;
  readonly stage: LifecycleStage;
  readonly status: string;
  readonly changed: boolean;
  readonly reasons: Reason[];
  /** set by a recycle with a cool-off: store it as the state's recycledUntil */
  readonly coolOffUntil?: Date;
}

/** the occurrence names something the SLA does not declare; nothing changes */
export interface Rejected {
  readonly rejected: true;
  readonly reason: Reason;
}

export type LifecycleResult = Applied | Rejected;

/** What an occurrence asks for, before the state machine's rules are applied. */
interface Effect {
  readonly raiseTo?: LifecycleStage;
  readonly status?: string;
  readonly recycle?: { readonly coolOffUntil?: Date };
  readonly reasons: readonly Reason[];
}

const rank = (stage: LifecycleStage): number => LIFECYCLE_STAGES.indexOf(stage);

/** The status the workflow sets at a moment. A validated SLA has exactly one (sla-references.ts). */
export function statusFor(sla: Sla, moment: StatusMoment): string {
  const status = sla.leadStatuses.find((candidate) => candidate.setWhen === moment);
  if (!status) throw new Error(`the SLA has no lead status with setWhen: ${moment}`);
  return status.id;
}

/** Where a new contact starts: its qualification, status "created". */
export function initialState(
  sla: Sla,
  judgement: { readonly qualifiesAs: Qualification; readonly subscriberOnly?: boolean },
): { state: LifecycleState; reasons: Reason[] } {
  const stage = entryStage(judgement.qualifiesAs, judgement.subscriberOnly);
  const status = statusFor(sla, 'created');
  const why =
    stage === judgement.qualifiesAs ? `qualifies as ${stage}` : 'came only through subscriber forms';
  return {
    state: { stage, status },
    reasons: [{ rule: 'lifecycle.created', detail: `enters as ${stage} (${why}), status ${status}` }],
  };
}

/** Nothing more happens to the lead: it is a customer or disqualified. */
export function isTerminal(sla: Sla, state: LifecycleState): boolean {
  return state.stage === 'customer' || state.status === statusFor(sla, 'disqualified');
}

/** The state to store after an occurrence (a rejected one leaves it as it was). */
export function stateAfter(state: LifecycleState, result: LifecycleResult): LifecycleState {
  if (result.rejected) return state;
  const recycledUntil = result.coolOffUntil?.toISOString() ?? state.recycledUntil;
  return recycledUntil === undefined
    ? { stage: result.stage, status: result.status }
    : { stage: result.stage, status: result.status, recycledUntil };
}

export function applyOccurrence(sla: Sla, state: LifecycleState, occurrence: Occurrence): LifecycleResult {
  const effect = effectOf(sla, state, occurrence);
  if ('rejected' in effect) return effect;
  const next = effect.recycle ? recycle(sla, state, effect) : advance(state, effect);
  const changed =
    next.stage !== state.stage ||
    next.status !== state.status ||
    (next.coolOffUntil !== undefined && next.coolOffUntil.toISOString() !== state.recycledUntil);
  return { rejected: false, ...next, changed };
}

function entryStage(qualifiesAs: Qualification, subscriberOnly: boolean | undefined): LifecycleStage {
  return subscriberOnly && qualifiesAs === 'lead' ? 'subscriber' : qualifiesAs;
}

function effectOf(sla: Sla, state: LifecycleState, occurrence: Occurrence): Effect | Rejected {
  switch (occurrence.kind) {
    case 'qualified':
      return qualified(state, occurrence);
    case 'handedOff':
      // a lead type that skips nurture is handed off below sql: with an owner working it, it is an SQL
      return {
        raiseTo: 'sql',
        status: statusFor(sla, 'handoff'),
        reasons: [{ rule: 'lifecycle.handoff', detail: `handed off to ${occurrence.ownerId}` }],
      };
    case 'attemptLogged':
      return attemptLogged(sla, occurrence);
    case 'dealUpdated':
      return dealUpdated(sla, occurrence);
    case 'cadenceExhausted': {
      const coolOffUntil = after(sla, occurrence.at, occurrence.coolOff);
      return {
        recycle: { coolOffUntil },
        reasons: [
          {
            rule: 'contact.cadenceExhausted',
            detail: `${exhaustedHow(occurrence)}: cool-off ${describe(occurrence.coolOff)} until ${coolOffUntil.toISOString()}`,
          },
        ],
      };
    }
    case 'statusSetByRep':
      return statusSetByRep(sla, occurrence.statusId);
  }
}

function qualified(state: LifecycleState, occurrence: Extract<Occurrence, { kind: 'qualified' }>): Effect {
  const target = entryStage(occurrence.qualifiesAs, occurrence.subscriberOnly);
  const why = `score ${occurrence.total} qualifies as ${target}`;
  // without the cool-off, a recycled lead whose score is still high would be an SQL again at once
  const until = state.recycledUntil;
  if (
    until !== undefined &&
    occurrence.at.getTime() < Date.parse(until) &&
    rank(target) > rank(state.stage)
  ) {
    return {
      reasons: [
        {
          rule: 'lifecycle.coolOff',
          detail: `${why}, but it was recycled and cools off until ${until}: stage stays ${state.stage}`,
        },
      ],
    };
  }
  return { raiseTo: target, reasons: [{ rule: 'lifecycle.qualified', detail: why }] };
}

function attemptLogged(
  sla: Sla,
  occurrence: Extract<Occurrence, { kind: 'attemptLogged' }>,
): Effect | Rejected {
  const outcome = sla.contact.outcomes.find((candidate) => candidate.id === occurrence.outcomeId);
  if (!outcome) {
    const known = sla.contact.outcomes.map((candidate) => candidate.id).join(', ');
    return rejected('contact.outcome', `unknown outcome "${occurrence.outcomeId}" (known: ${known})`);
  }
  const rule = `contact.outcome.${outcome.id}`;
  switch (outcome.action) {
    case 'nextStep':
      return occurrence.first
        ? {
            status: statusFor(sla, 'firstAttempt'),
            reasons: [{ rule, detail: `${outcome.name}: first contact attempt made` }],
          }
        : { reasons: [{ rule, detail: `${outcome.name}: on to the next cadence step` }] };
    case 'connected':
    case 'meetingBooked':
      return connected(sla, { rule, detail: `${outcome.name}: connected` });
    case 'disqualify':
      return {
        status: statusFor(sla, 'disqualified'),
        reasons: [{ rule, detail: `${outcome.name}: disqualified` }],
      };
    case 'recycle':
      // no cool-off: a rep's "not now" hands the lead back to nurture at once
      return { recycle: {}, reasons: [{ rule, detail: `${outcome.name}: the rep chose recycle` }] };
  }
}

/** What ran out: "cadence expired with 0 of 6 attempts logged, no connection", or every step attempted. */
function exhaustedHow(occurrence: Extract<Occurrence, { kind: 'cadenceExhausted' }>): string {
  const { logged, of } = occurrence;
  if (logged === undefined || of === undefined) return 'cadence over without connecting';
  return logged >= of
    ? allLogged(logged, of)
    : `cadence expired with ${logged} of ${of} attempts logged, no connection`;
}

/**
 * Every step of the cadence logged without connecting; more than it has when an SLA change shortened the
 * cadence below what the handover had logged (the count is the attempts logged, not the steps).
 */
export function allLogged(logged: number, of: number): string {
  return logged > of
    ? `${logged} attempts logged without connecting (the cadence has ${of} step${of === 1 ? '' : 's'})`
    : `all ${of} attempts logged without connecting`;
}

function connected(sla: Sla, cause: Reason): Effect {
  const status = statusFor(sla, 'connected');
  if (sla.lifecycle.opportunityWhen === 'firstConnect') {
    return {
      raiseTo: 'opportunity',
      status,
      reasons: [
        cause,
        { rule: 'lifecycle.opportunityWhen', detail: 'the first connect makes an opportunity' },
      ],
    };
  }
  return {
    status,
    reasons: [
      cause,
      { rule: 'lifecycle.opportunityWhen', detail: 'an opportunity starts with a deal, not a connect' },
    ],
  };
}

function dealUpdated(sla: Sla, occurrence: Extract<Occurrence, { kind: 'dealUpdated' }>): Effect | Rejected {
  const dealStage = sla.deals.stages.find((candidate) => candidate.id === occurrence.dealStageId);
  if (!dealStage) {
    const known = sla.deals.stages.map((candidate) => candidate.id).join(', ');
    return rejected('deals.stage', `unknown deal stage "${occurrence.dealStageId}" (known: ${known})`);
  }
  const rule = `deals.stage.${dealStage.id}`;
  if (dealStage.lost) {
    const coolOff = sla.deals.lostCoolOff;
    const coolOffUntil = after(sla, occurrence.at, coolOff);
    return {
      recycle: { coolOffUntil },
      reasons: [
        {
          rule,
          detail: `deal lost (${dealStage.name}): cool-off ${describe(coolOff)} until ${coolOffUntil.toISOString()}`,
        },
      ],
    };
  }
  const status = statusFor(sla, 'dealOpened');
  const reasons: Reason[] = [{ rule, detail: `deal in ${dealStage.name}` }];
  if (dealStage.won) {
    reasons.push({ rule, detail: 'deal won: the contact is a customer' });
    // an SLA without a "won" status keeps the deal's status
    const won = sla.leadStatuses.find((candidate) => candidate.setWhen === 'won')?.id ?? status;
    return { raiseTo: 'customer', status: won, reasons };
  }
  if (occurrence.first && sla.lifecycle.opportunityWhen === 'dealCreated') {
    reasons.push({ rule: 'lifecycle.opportunityWhen', detail: 'a new deal makes an opportunity' });
    return { raiseTo: 'opportunity', status, reasons };
  }
  return { status, reasons };
}

function statusSetByRep(sla: Sla, statusId: string): Effect | Rejected {
  const status = sla.leadStatuses.find((candidate) => candidate.id === statusId);
  if (!status) {
    const known = sla.leadStatuses
      .filter((candidate) => candidate.repCanSet)
      .map((candidate) => candidate.id);
    return rejected('leadStatus', `unknown lead status "${statusId}" (reps may set: ${known.join(', ')})`);
  }
  if (!status.repCanSet) return rejected(`leadStatus.${status.id}`, `reps may not set "${status.name}"`);
  const cause: Reason = { rule: `leadStatus.${status.id}`, detail: `a rep set the status ${status.name}` };
  // the status of a workflow moment means that moment, whoever sets it
  switch (status.setWhen) {
    case 'recycled':
      return { recycle: {}, reasons: [{ ...cause, detail: `${cause.detail}: the rep chose recycle` }] };
    case 'connected':
      return connected(sla, cause);
    default:
      return { status: status.id, reasons: [cause] };
  }
}

/** Forward moves and status changes; customer is terminal for them. */
function advance(state: LifecycleState, effect: Effect): Omit<Applied, 'rejected' | 'changed'> {
  const reasons = [...effect.reasons];
  if (state.stage === 'customer') {
    reasons.push({ rule: 'lifecycle.terminal', detail: 'a customer stays a customer: nothing changes' });
    return { stage: state.stage, status: state.status, reasons };
  }
  let stage: LifecycleStage = state.stage;
  const target = effect.raiseTo;
  if (target !== undefined && rank(target) > rank(stage)) {
    reasons.push({ rule: 'lifecycle.forward', detail: `${stage} -> ${target}` });
    stage = target;
  } else if (target !== undefined && target !== stage) {
    reasons.push({
      rule: 'lifecycle.forward',
      detail: `stays ${stage}: ${target} is behind it and stages only move forward`,
    });
  }
  return { stage, status: effect.status ?? state.status, reasons };
}

/** Hands the lead back along the declared transition from its stage, if there is one. */
function recycle(sla: Sla, state: LifecycleState, effect: Effect): Omit<Applied, 'rejected' | 'changed'> {
  const reasons = [...effect.reasons];
  const move = sla.lifecycle.recycle.find((candidate) => candidate.from === state.stage);
  if (!move && state.stage === 'customer') {
    reasons.push({
      rule: 'lifecycle.terminal',
      detail: 'a customer stays a customer: no recycle transition is declared from customer',
    });
    return { stage: state.stage, status: state.status, reasons };
  }
  const status = statusFor(sla, 'recycled');
  const coolOffUntil = effect.recycle?.coolOffUntil;
  const withCoolOff = coolOffUntil ? { coolOffUntil } : {};
  if (!move) {
    reasons.push({
      rule: 'lifecycle.recycle',
      detail: `no recycle transition is declared from ${state.stage}: the stage stays, status ${status}`,
    });
    return { stage: state.stage, status, reasons, ...withCoolOff };
  }
  reasons.push({
    rule: 'lifecycle.recycle',
    detail: `recycled ${move.from} -> ${move.to} (declared in lifecycle.recycle), status ${status}`,
  });
  return { stage: move.to, status, reasons, ...withCoolOff };
}

/** Cool-offs run on the company calendar like every SLA clock: "30d" is the same local time 30 days on (DST-safe), "10bd" ten working days. */
function after(sla: Sla, at: Date, duration: Duration): Date {
  return addDuration(sla.calendar, at, duration);
}

function describe(duration: Duration): string {
  return duration.text;
}

function rejected(rule: string, detail: string): Rejected {
  return { rejected: true, reason: { rule, detail } };
}
