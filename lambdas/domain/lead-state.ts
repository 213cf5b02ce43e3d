/**
 * A lead's state of record: what is known about the person, the SLA's judgement, the sales
 * side (owner, attempts, deal), and the timeline of every change with its reason. The
 * functions here compute the next state; adapters store it (ports/lead-store.ts).
 */

import type { ConsentRecord } from './consent.ts';
import { formNameOf, singleOptInEntry } from './consent-entry.ts';
import type { EngagementTally } from './engagement-tally.ts';
import { engagedAfter } from './engagement-tally.ts';
import { customFieldRefusal, type FieldIssue, fieldIssue } from './form-values.ts';
import type { HandoverCause } from './handover-cause.ts';
import { withHandoverTerms } from './handover-terms.ts';
import { type EventHistory, type JudgedHistory, type Judgement, judgeHistory } from './judge.ts';
import type { EngagementEvent, FieldValue, Reason } from './lead.ts';
import type { EventsCarry } from './lead-events.ts';
import {
  applyOccurrence,
  initialState,
  type LifecycleResult,
  type Occurrence,
  statusFor,
} from './lifecycle.ts';
import { dealLeftOpen } from './open-deal.ts';
import type { OutboxEntry } from './outbox.ts';
import type { FactsCarry } from './report-facts.ts';
import { type FitTier, LIFECYCLE_STAGES, type LifecycleStage } from './sla-constants.ts';
import type { Sla } from './sla-schema.ts';

/** One change in a lead's story, with why it happened. Kept on the lead's state item, so the
 *  change and its record are one atomic write. */
export interface TimelineEntry {
  /** ISO-8601 UTC */
  readonly at: string;
  /** e.g. created, submitted, judged, stage, status, owner, attempt, deal, erased */
  readonly kind: string;
  readonly from?: string;
  readonly to?: string;
  /** who caused it: form, api, workflow, rep:<id>, system:<name> */
  readonly by: string;
  readonly reasons: readonly Reason[];
  /**
   * The SLA version that decided it. withTimeline stamps the state's `slaVersion` on entries made
   * without one; a change decided by an SLA other than the one that last judged the lead (a newer
   * one, not yet re-judged) names it explicitly (applyToLead). Absent on entries stored before
   * versions were recorded.
   */
  readonly version?: string;
  /** what the change decided, by the SLA's ids (a judgement: type, persona, journey stage, scores) */
  readonly data?: Readonly<Record<string, string | number>>;
}

export interface NurtureProgress {
  readonly trackId: string;
  /** emails of the track sent so far */
  readonly sent: number;
  /** ISO: when the lead entered this track */
  readonly startedAt: string;
  readonly lastSentAt?: string;
}

export interface DealState {
  readonly stageId: string;
  /** when the deal entered this stage (ISO) */
  readonly since: string;
  readonly openedAt: string;
  readonly amount?: number;
  readonly name?: string;
}

/** A consent notice as a form showed it and the visitor answered it. */
export interface LegalConsent {
  readonly source: string;
  /** when it was given (the post's time) */
  readonly at?: string;
  readonly consentToProcess?: boolean;
  readonly text?: string;
  readonly communications: readonly {
    readonly given: boolean;
    readonly subscriptionTypeId?: string;
    readonly text?: string;
  }[];
  readonly legitimateInterest?: {
    readonly given: boolean;
    readonly legalBasis?: string;
    readonly text?: string;
  };
}

/**
 * This handover's cadence, as facts of the lead (ADR 0053): the attempts logged since the handover's clock
 * started and the latest one's time. Set by the write that applies an attempt (api/sales-actions.ts
 * logAttempt, from the state it replaces), reset by a handoff; facts whose `since` is not the clock's start
 * now (a handover since) count as none. The next-step index (GSI10) is keyed by them.
 */
export interface CadenceLog {
  /** ISO (canonical UTC): the clock start they count from (lead-plan.ts handoverStart at the write) */
  readonly since: string;
  /** attempts at or after `since` */
  readonly attempts: number;
  /** ISO (canonical UTC): the latest of them; absent while there is none */
  readonly lastAt?: string;
}

export interface LeadState {
  readonly leadId: string;
  /** the workflow cycle: 1, and one more each time an erased person comes back; executions are named `<leadId>-c<cycle>-g<generation>` */
  readonly cycle: number;
  /** optimistic lock: each save increments it */
  readonly version: number;
  /** undefined once erased */
  readonly email?: string;
  /** what is known about the person: first-known values win; later form posts only fill gaps */
  readonly fields: Readonly<Record<string, FieldValue>>;
  readonly marketingConsent: boolean;
  /** values forms posted that no rule reads (ADR 0018): kept as given with what is wrong, newest last */
  readonly fieldIssues?: readonly FieldIssue[];
  /** consent notices a form showed and the visitor's answers (HubSpot's legalConsentOptions), newest last */
  readonly legalConsents?: readonly LegalConsent[];
  /** the consent record: when, where and what was consented to, confirmed or withdrawn when (consent.ts) */
  readonly consent?: ConsentRecord;
  readonly unsubscribed: boolean;
  /**
   * ISO: when a link in an email unsubscribed the lead (POST /unsubscribe/{token}). It names the `unsubscribe`
   * event that write committed (consent.ts unsubscribeEvent): the request stores it after the write, and the
   * next post of an unsubscribe link stores it when a crash lost it. Absent when an event posted to the
   * events route unsubscribed the lead (that event is stored before its write).
   */
  readonly unsubscribedAt?: string;
  /** SES bounced or complained: never email again */
  readonly undeliverable: boolean;
  readonly erasedAt?: string;

  // the SLA's judgement, recomputed from fields + events by the domain
  readonly slaVersion: string;
  readonly judgedAt: string;
  readonly stage: LifecycleStage;
  readonly status: string;
  readonly leadType: string;
  readonly persona?: string;
  readonly journeyStage: string;
  readonly fit: number;
  readonly fitTier: FitTier;
  readonly engagement: number;
  readonly total: number;
  /** the event history as running figures (engagement-tally.ts): new events are folded in, the
   *  history is not read again; absent or kept for other rules: rebuilt from the events */
  readonly tally?: EngagementTally;
  /**
   * Its events are stored apart from what a wake reads (ADR 0057: after the state item, `TRAIL#`): the tally
   * is the history unless a writer's pending mark says otherwise. Absent: a lead from before ADR 0057, whose
   * wake reads its whole history as before.
   */
  readonly eventsApart?: true;

  readonly ownerId?: string;
  readonly handedOffAt?: string;
  readonly deal?: DealState;
  /** this handover's cadence facts (CadenceLog, ADR 0053); absent on a lead written before them */
  readonly cadenceLog?: CadenceLog;
  /**
   * ISO: when the lead's status last became the SLA's connected one (a connect, a booked meeting, a rep's
   * status): the `contact.decideWithin` clock counts from it (lead-plan.ts). Absent on leads connected before
   * it was recorded: the plan falls back to the timeline
   */
  readonly connectedAt?: string;
  readonly coolOffUntil?: string;
  /** the parked workflow's task token (Step Functions callback); cleared when used */
  readonly waitToken?: string;
  /** when the current owner got the lead (a reassignment changes it; handedOffAt stays for the cadence) */
  readonly ownerSince?: string;
  /**
   * a person gave the lead to its owner and the owners have not been told yet (the console, POST
   * /leads/{id}/owner): the handoff task claims the "reassigned to you" email, with the one to `from`, and
   * clears it in the same write; an SLA change that removed the rep it was given to (sla-migration.ts) says
   * so in `cause` (ownerLeft), the person's decision and note were about that rep
   */
  readonly ownerUntold?: {
    readonly from?: string;
    readonly cause: HandoverCause & { readonly kind: 'manual' | 'ownerLeft' };
  };
  /**
   * The first-touch terms of the current handover (ADR 0059, handover-terms.ts): the deadline its owner was given
   * and the ladder in force then, kept by the running clock when a newer SLA is deployed. Absent (a lead stored
   * before them) or of another handover: the SLA deployed applies.
   */
  readonly handoverTerms?: HandoverTerms;
  /** steps of the first-touch escalation ladder already taken since the current owner got the lead */
  readonly escalationsTaken?: number;
  /**
   * The ladder handed the handover `handover` (lead-plan.ts handoverKey) to a manager ("Over to you"): who (a
   * manager id, or "ops" for the deployment's address) and when; their "still over to you" reminders count from
   * it (ADR 0085). Of another handover: nothing is over to anyone now.
   */
  readonly takenOver?: {
    readonly handover: string;
    readonly to: string;
    readonly at: string;
    /** the reps of the lead's queue at the takeover: whom the manager may give it to (ADR 0088) */
    readonly reps?: readonly string[];
    /**
     * ISO: its "Over to you" was dropped at its send, none of its messages out (late-send.ts withTakeoversDropped:
     * a first touch logged, or the lead with sales, before it went): the manager was never told, so nothing is over
     * to them (takenOverNow reads none)
     */
    readonly dropped?: string;
  };
  /** reassignments by the ladder since the handoff (bounded by handoff.maxReassignments) */
  readonly reassignments?: number;
  /** where the lead is in its nurture track */
  readonly nurture?: NurtureProgress;
  /** the last workflow failure, recorded by the state machine's Catch path */
  readonly workflowError?: {
    readonly at: string;
    readonly error: string;
    readonly cause: string;
    /** failures in a row: the reconciler's retry waits longer after each */
    readonly count?: number;
    /** the execution that failed (executionName): its end, told by EventBridge too, is recorded once */
    readonly execution?: string;
  };
  /**
   * Nothing will ever be due without news (no consent, nurture track done): the execution ended
   * instead of parking, and the next signal starts generation `generation + 1`.
   */
  readonly dormant?: { readonly at: string; readonly generation: number };
  /**
   * ISO: when the workflow must next look at this lead (a park's deadline, now for a new or woken
   * lead, a failed workflow's retry time); absent when nothing is due without news (ended,
   * dormant). Indexed: the reconciler restarts any lead that is due and has no live execution.
   */
  readonly dueAt?: string;
  /** the continue-as-new generation of the lead's latest execution in this cycle (absent: 0) */
  readonly generation?: number;
  /**
   * The name of the execution last started for the lead (executionName), written where it is started,
   * before the start: the form's create, a new cycle, a dormant wake, the reconciler, a continue-as-new.
   * Erase stops it whatever Step Functions purged (absent on leads from before: erase walks generations).
   */
  readonly execution?: string;
  /**
   * The wait token a signal took (takeWaitToken), until a write of the wake it woke: should its
   * SendTaskSuccess have failed (throttled past the SDK's retries), the execution stays parked with it
   * while the lead is due, and the reconciler sends it again (a live execution it otherwise leaves alone).
   */
  readonly signalled?: string;
  /** ISO: when the lead was last recycled; it re-qualifies only on engagement after this */
  readonly recycledAt?: string;
  /**
   * keys of reminders already sent, so a retried task never mails twice; only those a plan could still
   * produce are kept (lead-plan.ts liveSentKeys, ADR 0034)
   */
  readonly sent: readonly string[];
  /** the workflow's emails claimed and not yet marked sent (domain/outbox.ts, tasks/advance.ts) */
  readonly outbox?: readonly OutboxEntry[];
  /** nonces of action links already used (action-links.ts): each link works once; capped, oldest dropped */
  readonly usedActionNonces?: readonly string[];
  /**
   * nonces of action links whose change is written (in the change's own write): a press again after a
   * failure past that write only signals the workflow, never applies it twice; capped as usedActionNonces
   */
  readonly actedActionNonces?: readonly string[];
  /**
   * requests applied under a key (an API client's `Idempotency-Key`, a console form's request id), each as
   * `<key digest>.<request digest>`, written by the change's own write: the same request again changes
   * nothing; most recent last, capped (APPLIED_REQUESTS_CAP), oldest dropped
   */
  readonly appliedRequests?: readonly string[];

  readonly createdAt: string;
  /** the submission event whose form post created the lead: that post knows its own create by it */
  readonly createdByEvent?: string;
  readonly updatedAt: string;
  /**
   * Most recent entries last. On DynamoDB this is the lead's recent tail: older entries move to pages
   * of their own in the lead's partition (`timelineSpilled` of them; ADR 0021), read back for
   * `GET /leads/{id}`. Entry n of the whole history (0-based) is `timeline[n - timelineDropped -
   * timelineSpilled]`. Beyond TIMELINE_CAP on the state (a store that does not spill) the oldest are dropped.
   */
  readonly timeline: readonly TimelineEntry[];
  /** entries no longer stored anywhere: dropped by the cap, or moved out and erased */
  readonly timelineDropped: number;
  /** entries before the tail, in pages of their own (`TIMELINE#<last>#<first>`, ADR 0042); absent: 0 */
  readonly timelineSpilled?: number;
  /**
   * The report facts' walk over the entries before the tail (report-facts.ts): written by the store that
   * moves them, so facts of later changes see the whole story. Ignored unless it stands at timelineBase.
   */
  readonly factsCarry?: FactsCarry;
  /**
   * Events out's walk over the entries before the tail (lead-events.ts, ADR 0035): written by the store that
   * moves them, so the publisher derives later events from the tail alone. Ignored unless it stands at
   * timelineBase.
   */
  readonly eventsCarry?: EventsCarry;
  /**
   * Events out before ADR 0031: entries before this position in the story were handed to the
   * publisher. Read only now (the cursor is an item of its own); the publisher starts from the larger.
   */
  readonly eventsPublished?: number;
}

export interface StoredEvent extends EngagementEvent {
  readonly eventId: string;
  /** ISO time the system received it */
  readonly receivedAt: string;
  /**
   * The lead's life it belongs to, on the event of a post that started a new one after erasure
   * (LeadStore.putEventOfCycle): the erase's sweep, racing that post, spares it
   */
  readonly cycle?: number;
}

export interface Attempt {
  readonly attemptId: string;
  /** ISO */
  readonly at: string;
  readonly outcomeId: string;
  readonly repId?: string;
  readonly channel?: string;
  readonly note?: string;
}

/** Execution names: one per lead, cycle and continue-as-new generation (80 characters at most). */
/**
 * The lead with its parked execution's token taken in the write of a change, as a signal's own write takes it
 * (adapters/wait-token.ts takeWaitToken, ADR 0033/0039): kept as `signalled` and due now, so that whatever
 * happens after the write (the SendTaskSuccess fails, the request dies) the reconciler sends it again. The
 * signal then sends `signalled` (ADR 0045). A lead with no token is as it was.
 */
export function withSignalTaken(state: LeadState, now: Date): LeadState {
  if (state.waitToken === undefined) return state;
  const { waitToken, ...rest } = state;
  const at = now.toISOString();
  return { ...rest, signalled: waitToken, dueAt: state.dueAt && state.dueAt <= at ? state.dueAt : at };
}

/**
 * The lead as a change that must wake its workflow writes it: a parked one's token taken (withSignalTaken), a
 * dormant one due now. Its dormancy stays: the signal after the write starts its next generation
 * (takeDormancy); should the writer die before that, the reconciler starts it, as any due lead's whose
 * execution ended (ADR 0057 amended). A lead neither parked nor dormant (its wake is running, or it ended) is
 * as it was.
 */
export function withWakeWanted(state: LeadState, now: Date): LeadState {
  if (state.waitToken !== undefined) return withSignalTaken(state, now);
  if (state.dormant === undefined || state.erasedAt) return state;
  const at = now.toISOString();
  return state.dueAt !== undefined && state.dueAt <= at ? state : { ...state, dueAt: at };
}

/** A change as updateLead takes it, whose every state to write wants its wake (withWakeWanted, at `now`). */
export function wakingChange(
  change: (current: LeadState) => LeadState | undefined,
  now: Date,
): (current: LeadState) => LeadState | undefined {
  return (current) => {
    const next = change(current);
    return next && withWakeWanted(next, now);
  };
}

/**
 * The lead as a write of its workflow leaves it: the token a signal took (`signalled`) is spent, since
 * the execution is awake (ADR 0039).
 */
export function withoutSignal(state: LeadState): LeadState {
  if (state.signalled === undefined) return state;
  const { signalled: _spent, ...awake } = state;
  return awake;
}

export function executionName(leadId: string, cycle: number, generation = 0): string {
  return `${leadId}-c${cycle}-g${generation}`;
}

export const TIMELINE_CAP = 500;
/** Used action-link nonces kept: far more than a lead's links used within their lifetime (14 days). */
export const USED_ACTION_NONCES_CAP = 200;

/** Records an action link's nonce as used (the caller checks it was not used before). */
export function withUsedActionNonce(state: LeadState, nonce: string): LeadState {
  const used = [...(state.usedActionNonces ?? []), nonce];
  return { ...state, usedActionNonces: used.slice(Math.max(0, used.length - USED_ACTION_NONCES_CAP)) };
}

/** Records, in the write of the change itself, that an action link's change is applied. */
export function withActedActionNonce(state: LeadState, nonce: string): LeadState {
  const acted = [...(state.actedActionNonces ?? []), nonce];
  return { ...state, actedActionNonces: acted.slice(Math.max(0, acted.length - USED_ACTION_NONCES_CAP)) };
}

/** Keyed requests kept per lead: a client retries within minutes, far fewer keyed changes than this. */
export const APPLIED_REQUESTS_CAP = 50;

/** Records, in the write of the change itself, that a keyed request is applied. */
export function withAppliedRequest(state: LeadState, mark: string): LeadState {
  const applied = [...(state.appliedRequests ?? []), mark];
  return { ...state, appliedRequests: applied.slice(Math.max(0, applied.length - APPLIED_REQUESTS_CAP)) };
}

/** Position in the whole story of the first entry still on the state: older ones were dropped or moved out. */
export function timelineBase(lead: Pick<LeadState, 'timelineDropped' | 'timelineSpilled'>): number {
  return lead.timelineDropped + (lead.timelineSpilled ?? 0);
}

/** How many entries the lead's story has had, wherever they are kept now. */
export function storyLength(
  lead: Pick<LeadState, 'timeline' | 'timelineDropped' | 'timelineSpilled'>,
): number {
  return timelineBase(lead) + lead.timeline.length;
}

/**
 * The lead with its whole kept story on the state: the entries moved to their own items (`earlier`, in
 * story order, as `LeadStore.listMovedEntries` reads them) put back before the tail.
 */
export function withEarlierEntries(lead: LeadState, earlier: readonly TimelineEntry[]): LeadState {
  // a write that moved more since `lead` was read leaves items of entries its tail still holds: only the
  // first `timelineSpilled` are before the tail (a reader would otherwise see them twice, at shifted positions)
  const before = earlier.slice(0, lead.timelineSpilled ?? 0);
  if (before.length === 0) return lead;
  return {
    ...lead,
    timeline: [...before, ...lead.timeline],
    timelineSpilled: (lead.timelineSpilled ?? 0) - before.length,
  };
}

/**
 * A lead's next cycle (the person came back after erasure) as `fresh`, its new story, placed after the erased
 * one: positions go on (`timelineDropped`), so the lead's events cursor (its own item, ADR 0031: it counts the
 * lead's story whatever the cycle) stands before the new cycle's entries, not past them.
 */
export function afterErasedCycle(erased: LeadState, fresh: LeadState): LeadState {
  return { ...fresh, timelineDropped: storyLength(erased) + fresh.timelineDropped };
}

/** Appends to the timeline, dropping the oldest entries beyond the cap (the item stays far below 400 KB). */
export function withTimeline(state: LeadState, ...entries: TimelineEntry[]): LeadState {
  const stamped = entries.map((entry) => (entry.version ? entry : { ...entry, version: state.slaVersion }));
  const timeline = [...state.timeline, ...stamped];
  const dropped = Math.max(0, timeline.length - TIMELINE_CAP);
  return { ...state, timeline: timeline.slice(dropped), timelineDropped: state.timelineDropped + dropped };
}

export interface NewLeadInput {
  readonly leadId: string;
  readonly email: string;
  readonly fields: Readonly<Record<string, FieldValue>>;
  readonly marketingConsent: boolean;
  /** with marketingConsent from a form: the record of it (consentFor in consent.ts) */
  readonly consent?: ConsentRecord;
  readonly cycle?: number;
}

/** A lead as first judged: its fields and the events so far (usually the form submission). */
export function newLeadState(
  sla: Sla,
  input: NewLeadInput,
  events: readonly EngagementEvent[],
  at: Date,
  by: string,
): LeadState {
  const judged = judgeHistory(sla, { email: input.email, fields: input.fields }, { events }, at)!;
  const judgement = judged.judgement;
  const entry = initialState(sla, judgement);
  const now = at.toISOString();
  const blank: LeadState = {
    leadId: input.leadId,
    cycle: input.cycle ?? 1,
    version: 1,
    email: input.email,
    fields: input.fields,
    marketingConsent: input.marketingConsent,
    ...(input.consent ? { consent: input.consent } : {}),
    unsubscribed: false,
    undeliverable: false,
    sent: [],
    // the workflow starts now; if its start is lost, the reconciler finds the lead due
    dueAt: now,
    createdAt: now,
    updatedAt: now,
    timeline: [],
    timelineDropped: 0,
    stage: entry.state.stage,
    status: entry.state.status,
    ...scoresOf(judgement),
    ...(judged.tally ? { tally: judged.tally } : {}),
    // its events are stored apart from the state's read (ADR 0057)
    eventsApart: true,
  };
  // a single opt-in form's ticked box confirms the consent with the post (events out: lead.consent_confirmed)
  const consent = input.consent;
  const confirmed =
    consent?.mode === 'single' && consent.confirmedAt !== undefined
      ? [singleOptInEntry(consent, formNameOf(sla, consent.formId))]
      : [];
  return withTimeline(
    blank,
    { at: now, kind: 'created', to: entry.state.stage, by, reasons: entry.reasons },
    judgedEntry(judgement, now, by),
    ...confirmed,
  );
}

/**
 * Judges the lead again (new events, new fields, or time passing) and moves its stage forward
 * at once if a threshold is crossed. `events` is the lead's whole history as stored; the tally
 * kept on the lead answers when it holds exactly those events. Returns undefined when nothing
 * worth storing changed.
 */
export function rejudgeLead(
  sla: Sla,
  state: LeadState,
  events: readonly EngagementEvent[],
  at: Date,
  by: string,
): LeadState | undefined {
  if (state.erasedAt || !state.email) return undefined;
  const judged = judgeHistory(
    sla,
    { email: state.email, fields: state.fields },
    { events, tally: state.tally },
    at,
  )!;
  return rejudged(sla, state, judged, at, by, (since) =>
    judged.tally
      ? engagedAfter(judged.tally, since)
      : events.some((event) => event.type !== 'unsubscribe' && Date.parse(event.occurredAt) > since),
  );
}

/**
 * Judges the lead again after new events, from the tally alone: the history is not read. 'replay'
 * when the tally cannot take them (none yet, kept for other rules, an event after `at`): the
 * caller reads the history and calls rejudgeLead. Each event must be new (stored just now).
 */
export function rejudgeWithNewEvents(
  sla: Sla,
  state: LeadState,
  newEvents: readonly EngagementEvent[],
  at: Date,
  by: string,
): LeadState | undefined | 'replay' {
  if (state.erasedAt || !state.email) return undefined;
  if (!state.tally) return 'replay';
  const history: EventHistory = { newEvents, tally: state.tally };
  const judged = judgeHistory(sla, { email: state.email, fields: state.fields }, history, at);
  if (!judged?.tally) return 'replay';
  const tally = judged.tally;
  return rejudged(sla, state, judged, at, by, (since) => engagedAfter(tally, since));
}

function rejudged(
  sla: Sla,
  state: LeadState,
  judged: JudgedHistory,
  at: Date,
  by: string,
  engagedSince: (sinceMs: number) => boolean,
): LeadState | undefined {
  const { judgement, tally } = judged;
  const lifecycle = { stage: state.stage, status: state.status, recycledUntil: state.coolOffUntil };
  const result = engagedSinceRecycle(sla, state, engagedSince)
    ? applyOccurrence(sla, lifecycle, {
        kind: 'qualified',
        qualifiesAs: judgement.qualifiesAs,
        subscriberOnly: judgement.subscriberOnly,
        total: judgement.totalScore,
        at,
      })
    : ({
        rejected: true,
        reason: { rule: 'lifecycle.recycled', detail: 'no engagement since the recycle' },
      } as const);
  const scores = scoresOf(judgement);
  const now = at.toISOString();
  const entries: TimelineEntry[] = [];
  const classification = (s: Pick<LeadState, 'leadType' | 'persona' | 'journeyStage' | 'slaVersion'>) =>
    `${s.leadType}|${s.persona}|${s.journeyStage}|${s.slaVersion}`;
  if (classification(scores) !== classification(state)) {
    entries.push(judgedEntry(judgement, now, by));
  }
  if (!result.rejected && result.changed) {
    entries.push({
      at: now,
      kind: 'stage',
      from: state.stage,
      to: result.stage,
      by,
      reasons: result.reasons,
    });
  }
  const scoresMoved =
    scores.total !== state.total || scores.fit !== state.fit || scores.engagement !== state.engagement;
  const tallyMoved = tally !== state.tally;
  if (entries.length === 0 && !scoresMoved && !tallyMoved) return undefined;
  const { tally: _old, ...rest } = state;
  const next: LeadState = {
    ...rest,
    ...scores,
    ...(tally ? { tally } : {}),
    ...(result.rejected ? {} : { stage: result.stage, status: result.status }),
    updatedAt: now,
  };
  return withTimeline(next, ...entries);
}

/** Whether judging the lead again changed what it is (scores, classification, stage, story), not
 *  only the running figures kept of its events. */
export function judgementMoved(before: LeadState, after: LeadState): boolean {
  return (
    before.total !== after.total ||
    before.fit !== after.fit ||
    before.engagement !== after.engagement ||
    before.stage !== after.stage ||
    before.status !== after.status ||
    before.journeyStage !== after.journeyStage ||
    before.leadType !== after.leadType ||
    before.persona !== after.persona ||
    before.unsubscribed !== after.unsubscribed ||
    storyLength(before) !== storyLength(after)
  );
}

/**
 * A repeat form post never overwrites what is known: it only fills fields still empty. A custom field the
 * lead has no room for (form-values.ts MAX_LEAD_CUSTOM_FIELDS, MAX_LEAD_CUSTOM_BYTES) is not kept: `refused`
 * names it with why, for the lead's fieldIssues (the post itself is taken, ADR 0018).
 */
export function fillMissingFields(
  known: Readonly<Record<string, FieldValue>>,
  posted: Readonly<Record<string, FieldValue>>,
): { fields: Record<string, FieldValue>; added: string[]; refused: FieldIssue[] } {
  const fields = { ...known };
  const added: string[] = [];
  const refused: FieldIssue[] = [];
  for (const [key, value] of Object.entries(posted)) {
    if (fields[key] === undefined || fields[key] === '') {
      const why = customFieldRefusal(fields, key, value);
      if (why) {
        refused.push(fieldIssue(key, String(value), why));
        continue;
      }
      fields[key] = value;
      added.push(key);
    }
  }
  return { fields, added, refused };
}

/** The timeline entry of a judgement: what it qualifies as, why, and its data (the lead.judged event's). */
function judgedEntry(judgement: Judgement, at: string, by: string): TimelineEntry {
  return {
    at,
    kind: 'judged',
    to: judgement.qualifiesAs,
    by,
    reasons: judgement.reasons,
    data: judgementData(judgement),
  };
}

/** What a judgement decided, for its timeline entry (and the lead.judged event): ids and scores only. */
function judgementData(judgement: Judgement): Record<string, string | number> {
  return {
    leadType: judgement.leadType,
    ...(judgement.persona ? { persona: judgement.persona } : {}),
    journeyStage: judgement.journeyStage,
    fit: judgement.fitScore,
    fitTier: judgement.fitTier,
    engagement: judgement.engagementScore,
    total: judgement.totalScore,
  };
}

function scoresOf(judgement: Judgement) {
  return {
    slaVersion: judgement.slaVersion,
    judgedAt: judgement.judgedAt,
    leadType: judgement.leadType,
    persona: judgement.persona ?? undefined,
    journeyStage: judgement.journeyStage,
    fit: judgement.fitScore,
    fitTier: judgement.fitTier,
    engagement: judgement.engagementScore,
    total: judgement.totalScore,
  };
}

/**
 * Applies one lifecycle occurrence (attempt, deal update, status set by a rep, handoff, ...)
 * to the lead and records it on the timeline. A rejected occurrence changes nothing.
 */
export function applyToLead(
  sla: Sla,
  state: LeadState,
  occurrence: Occurrence,
  at: Date,
  by: string,
  kind: string,
): { state: LeadState; result: LifecycleResult } {
  const outcome = applyOccurrence(
    sla,
    { stage: state.stage, status: state.status, recycledUntil: state.coolOffUntil },
    occurrence,
  );
  // a rep's status or outcome that would recycle or disqualify a lead with an open deal: the deal closes first
  const result =
    (occurrence.kind === 'statusSetByRep' || occurrence.kind === 'attemptLogged'
      ? dealLeftOpen(sla, state, outcome)
      : undefined) ?? outcome;
  if (result.rejected) return { state, result };
  const now = at.toISOString();
  const applied: LeadState = {
    ...state,
    stage: result.stage,
    status: result.status,
    ...(result.coolOffUntil ? { coolOffUntil: result.coolOffUntil.toISOString() } : {}),
    updatedAt: now,
  };
  const recycled = result.status === statusFor(sla, 'recycled') && state.status !== result.status;
  const connected = result.status === statusFor(sla, 'connected') && state.status !== result.status;
  const released = backWithMarketing(applied)
    ? releaseToMarketing(applied)
    : connected
      ? { ...applied, connectedAt: now }
      : applied;
  const next = recycled ? { ...released, recycledAt: now } : released;
  const from = `${state.stage}/${state.status}`;
  const to = `${result.stage}/${result.status}`;
  return {
    // decided by `sla`, which may be newer than the one that last judged the lead
    state: withTimeline(next, { at: now, kind, from, to, by, reasons: result.reasons, version: sla.version }),
    result,
  };
}

/**
 * The lead handed off to `ownerId` at `at`, by the workflow's handoff or by a person (a lead that waited for
 * an owner): the lifecycle's `handedOff` occurrence, the owner, the first-touch clock from `at`, the
 * escalation ladder from its first rung, and the owner entry on the timeline with `reasons`.
 */
export function handedOffTo(
  sla: Sla,
  lead: LeadState,
  ownerId: string,
  at: Date,
  by: string,
  reasons: Reason[],
): LeadState {
  const { state: handed } = applyToLead(sla, lead, { kind: 'handedOff', ownerId }, at, by, 'handoff');
  const now = at.toISOString();
  return withTimeline(
    // the first-touch terms of this handover: kept by its clock whatever SLA is deployed later (ADR 0059)
    withHandoverTerms(sla, {
      ...handed,
      ownerId,
      ownerSince: now,
      handedOffAt: now,
      escalationsTaken: 0,
      reassignments: 0,
      // a handoff starts the cadence over, under either onReassign (ADR 0053)
      cadenceLog: { since: now, attempts: 0 },
    }),
    { at: now, kind: 'owner', to: ownerId, by, reasons },
  );
}

/**
 * Who owned the lead at `at` (ISO), a time of its current cycle: the current owner from `ownerSince` on; before it,
 * the `to` of the last owner entry at or before `at` on the state; before the tail's first owner entry, the `from`
 * of that entry when no entry before `at` has moved off the state (the tail starts at or before `at`), else the
 * handovers the report facts' carry keeps (`factsCarry.handovers`, written by the store that moves the entries,
 * bounded: ADR 0030, 0089), when it stands at the tail. Undefined when none of these tells (a lead whose entries
 * moved before carries kept handovers, an instant before the oldest handover kept): never the owner of another
 * instant (ADR 0091).
 */
export function ownerAt(
  lead: Pick<LeadState, 'ownerId' | 'ownerSince' | 'timeline'> &
    Partial<Pick<LeadState, 'timelineDropped' | 'timelineSpilled' | 'factsCarry'>>,
  at: string,
): string | undefined {
  if (lead.ownerSince === undefined || at >= lead.ownerSince) return lead.ownerId;
  const owners = lead.timeline.filter((entry) => entry.kind === 'owner');
  const before = owners.filter((entry) => entry.at <= at).at(-1);
  if (before) return before.to;
  const base = (lead.timelineDropped ?? 0) + (lead.timelineSpilled ?? 0);
  const tailStart = lead.timeline[0]?.at;
  const after = owners.find((entry) => entry.at > at);
  // nothing between `at` and the tail's first owner entry is off the state: its `from` had the lead at `at`
  if (after && (base === 0 || (tailStart !== undefined && tailStart <= at))) return after.from;
  const carry = lead.factsCarry;
  if (base === 0 || carry?.through !== base) return undefined;
  return carry.handovers?.findLast((kept) => kept.at <= at)?.owner;
}

/**
 * The instant a new handover of `lead`, written at `now` (ISO), begins: `now`, or the millisecond after the current
 * handover's start or after the last call logged in it, when `now` is not later (two writes in one millisecond, the
 * clocks of two hosts). An attempt belongs to the handover that began at or before the time it happened (ownerAt,
 * lead-plan.ts handoverAttempts, report-facts.ts): a call the owner logged before the lead changed hands must not
 * share the next handover's instant, or the workflow would count it as the next owner's first touch while the
 * report, reading the story in order, credits the owner who made it (ADR 0091). A call dated later than `now`
 * (a caller's clock ahead, within the skew the API allows) does not move it.
 */
export function nextHandoverAt(
  lead: Pick<LeadState, 'ownerSince' | 'handedOffAt' | 'timeline' | 'cadenceLog'>,
  now: string,
): string {
  const nowMs = Date.parse(now);
  let last = Date.parse(lead.ownerSince ?? lead.handedOffAt ?? '');
  const called = (time: string | undefined) => {
    const ms = time === undefined ? Number.NaN : Date.parse(time);
    if (ms <= nowMs && !(ms <= last)) last = ms;
  };
  called(lead.cadenceLog?.lastAt);
  for (const entry of lead.timeline) {
    if (entry.kind !== 'attempt') continue;
    const occurred = entry.data?.occurredAt;
    called(typeof occurred === 'string' ? occurred : entry.at);
  }
  return Number.isNaN(last) || nowMs > last ? now : new Date(last + 1).toISOString();
}

/**
 * The instant a write made at `now` that ends or changes the lead (an erase, a withdrawal) is stamped with: `now`, or
 * the last instant the lead's story already holds when that is later (a handover `nextHandoverAt` moved past `now`,
 * an entry or a consent time another host wrote with its clock a few ms ahead). The story stays in time order, so
 * what reads it in order (report-facts.ts: an erase ends the handover it follows) finds the write after what it ends,
 * and a withdrawal is never dated before the confirmation or the email already on the lead (ADR 0091, amended).
 * Computed on the state the write commits on, with the time the try takes afresh: a retry derives it again.
 */
export function storyInstant(
  lead: Pick<LeadState, 'ownerSince' | 'handedOffAt' | 'timeline' | 'consent'>,
  now: Date,
): Date {
  let last = now.getTime();
  const held = (time: string | undefined) => {
    const ms = time === undefined ? Number.NaN : Date.parse(time);
    if (ms > last) last = ms;
  };
  held(lead.ownerSince);
  held(lead.handedOffAt);
  held(lead.consent?.confirmedAt);
  held(lead.consent?.withdrawnAt);
  for (const entry of lead.timeline) held(entry.at);
  return last === now.getTime() ? now : new Date(last);
}

/**
 * `next`, a write over `stored`, with each entry it adds to the story stamped no earlier than the story before it
 * (storyInstant of `stored`, then every entry ahead of it): a workflow round stamps its entries with the round's
 * time, but a handover `nextHandoverAt` moved past it (the API's two reassignments in one millisecond, or the
 * round's own) or an entry another host wrote ahead comes before them on the story, and the story must read in
 * time order (report-facts.ts ends a handover at what follows it). Entries `stored` holds are left as they are.
 * Pure: derived from the state the write commits on and the round's time the entries carry, so a wake replayed on
 * the same state writes the same (ADR 0091, amended).
 */
export function inStoryOrder(stored: LeadState, next: LeadState): LeadState {
  const first = Math.max(0, storyLength(stored) - timelineBase(next));
  if (first >= next.timeline.length) return next;
  let last = storyInstant(stored, new Date(0)).getTime();
  for (const entry of next.timeline.slice(0, first)) last = Math.max(last, Date.parse(entry.at) || 0);
  let moved = false;
  const timeline = next.timeline.map((entry, index) => {
    if (index < first) return entry;
    const at = Date.parse(entry.at);
    if (Number.isNaN(at)) return entry;
    if (!(at < last)) {
      last = at;
      return entry;
    }
    moved = true;
    return { ...entry, at: new Date(last).toISOString() };
  });
  return moved ? { ...next, timeline } : next;
}

/** The first-touch terms of a handover, as stored (ADR 0059; handover-terms.ts reads and writes them). */
export interface HandoverTerms {
  /** the handover they belong to: the lead's `ownerSince` (else `handedOffAt`) when they were stored */
  readonly since: string;
  /** ISO: the first-touch deadline the owner was given */
  readonly due: string;
  /** the escalation ladder in force then: "0h remindOwner;2bh notifyManager;4bh reassign" */
  readonly ladder: string;
}

/**
 * An entry as erase keeps it: what moved where, by whom and when; its reasons (they can quote personal data)
 * go, and a field correction's values (a phone, a name: `from` and `to` are the person's data, not ids) go.
 */
export function erasedEntry({ at, kind, from, to, by, version, data }: TimelineEntry): TimelineEntry {
  const values = kind !== 'field';
  return {
    at,
    kind,
    ...(from === undefined || !values ? {} : { from }),
    ...(to === undefined || !values ? {} : { to }),
    by,
    reasons: [],
    ...(version === undefined ? {} : { version }),
    ...(data === undefined ? {} : { data }),
  };
}

/**
 * The lead's phone: as read (`fields.phone`), else as the form gave it when it did not read as one (the
 * last `fieldIssues` entry of `phone`: "+49 171 2345678 Mobil"), so a rep still has a number to call.
 */
export function phoneOf(
  lead: Pick<LeadState, 'fields' | 'fieldIssues'>,
): { readonly value: string; readonly read: boolean } | undefined {
  const phone = lead.fields.phone;
  if (typeof phone === 'string' && phone !== '') return { value: phone, read: true };
  const given = lead.fieldIssues?.findLast((issue) => issue.field === 'phone' && issue.value.trim() !== '');
  return given ? { value: given.value, read: false } : undefined;
}

/** The reason an erase on request records. */
export const ERASED_ON_REQUEST: Reason = { rule: 'privacy.erase', detail: 'personal data erased on request' };

/** Right to be forgotten: no personal data remains; anonymous counters (stage, type, scores, times) do. */
export function eraseLead(
  state: LeadState,
  at: Date,
  by: string,
  /** why: a person's request (DELETE /leads/{id}) unless told (the retention of unconfirmed sign-ups, ADR 0092) */
  reason: Reason = ERASED_ON_REQUEST,
): LeadState {
  const now = at.toISOString();
  return {
    leadId: state.leadId,
    cycle: state.cycle,
    version: state.version,
    fields: {},
    marketingConsent: false,
    unsubscribed: true,
    undeliverable: state.undeliverable,
    erasedAt: now,
    slaVersion: state.slaVersion,
    judgedAt: state.judgedAt,
    stage: state.stage,
    status: state.status,
    leadType: state.leadType,
    journeyStage: state.journeyStage,
    fit: state.fit,
    fitTier: state.fitTier,
    engagement: state.engagement,
    total: state.total,
    sent: [],
    createdAt: state.createdAt,
    updatedAt: now,
    // reasons can quote personal data (job title, email domain): keep only what moved where, and when
    timeline: [
      ...state.timeline.map(erasedEntry),
      {
        at: now,
        kind: 'erased',
        by,
        reasons: [reason],
        version: state.slaVersion,
      },
    ].slice(-TIMELINE_CAP),
    // an entry's position in the story never changes (events out: domain/lead-events.ts); the entries
    // moved to their own items are deleted with the history (deleteLeadHistory), so they count as dropped
    timelineDropped:
      state.timelineDropped +
      (state.timelineSpilled ?? 0) +
      Math.max(0, state.timeline.length + 1 - TIMELINE_CAP),
    ...(state.eventsPublished === undefined ? {} : { eventsPublished: state.eventsPublished }),
    // the walks over the deleted entries hold no personal data (rep ids, stages, counts, times): kept, the
    // entries still on the state give the events a publisher behind the erase derives as before it (ADR 0035)
    ...(state.eventsCarry ? { eventsCarry: state.eventsCarry } : {}),
    ...(state.factsCarry ? { factsCarry: state.factsCarry } : {}),
  };
}

/**
 * A recycled lead goes back to sales only on new behaviour: its fit alone qualified it before,
 * and sales sent it back. Engagement after the recycle (not an unsubscribe) lets it qualify again.
 */
function engagedSinceRecycle(
  sla: Sla,
  state: LeadState,
  engagedSince: (sinceMs: number) => boolean,
): boolean {
  if (state.status !== statusFor(sla, 'recycled') || !state.recycledAt) return true;
  return engagedSince(Date.parse(state.recycledAt));
}

const backWithMarketing = (state: LeadState) =>
  state.ownerId !== undefined && LIFECYCLE_STAGES.indexOf(state.stage) < LIFECYCLE_STAGES.indexOf('sql');

/** A recycled lead goes back to marketing: no owner, no open deal, nurture starts over. */
export function releaseToMarketing(state: LeadState): LeadState {
  const {
    ownerId: _owner,
    ownerSince: _since,
    ownerUntold: _untold,
    handedOffAt: _handoff,
    escalationsTaken: _escalations,
    takenOver: _takenOver,
    reassignments: _reassignments,
    handoverTerms: _terms,
    deal: _deal,
    connectedAt: _connected,
    cadenceLog: _cadence,
    nurture: _nurture,
    ...rest
  } = state;
  return rest;
}
