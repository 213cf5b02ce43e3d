/**
 * The emails the workflow sends, by intent. The implementation (email-notifier.ts) renders the
 * templates, signs the action links and hands the message to the Mailer.
 */

import type { Duration } from '../domain/duration.ts';
import type { HandoverCause, TakeoverHeadline } from '../domain/handover-cause.ts';
import type { Reason } from '../domain/lead.ts';
import type { Absence, LadderAhead } from '../domain/lead-plan.ts';
import type { LeadState } from '../domain/lead-state.ts';
import type { DealStage, Manager, Rep, Track } from '../domain/sla-schema.ts';
import type { SendOptions } from '../ports/mailer.ts';

export interface AttemptDue {
  readonly step: number;
  readonly of: number;
  /** attempts logged in this handover, when known: fewer than step - 1 and the email says so */
  readonly logged?: number;
  readonly channel: string;
  readonly note?: string;
  /** the note per language: the rep reads theirs, else `note` */
  readonly notes?: Readonly<Record<string, string>>;
  readonly dueAt: Date;
}

/** The ladder ran out, or nobody can take the lead: the queue's manager (or ops) decides. */
export interface Takeover {
  /** short, for the subject: "no first touch after 3 reps" */
  readonly headline: string;
  /** a sentence */
  readonly why: string;
  /** the headline and the why as data, for the reader's language (none: an outbox entry from before them) */
  readonly summary?: TakeoverHeadline;
  readonly cause?: HandoverCause;
  readonly dueAt?: Date;
  /** rep ids who had the lead, in order */
  readonly owners: readonly string[];
  /** the manager is told in place of one out of office (ADR 0048) */
  readonly standsInFor?: StandingIn;
  /** "still over to you" (ADR 0085): a reminder of the takeover, to the manager only */
  readonly reminder?: { readonly n: number; readonly since: Date; readonly recycleAt: Date };
}

/** The manager out of office a stand-in is told in place of, and the last day they are away. */
export interface StandingIn {
  readonly manager: Manager;
  /** YYYY-MM-DD, the calendar's: the last day away */
  readonly until: string;
}

/**
 * The owner is out of office when a reminder of a lead they keep goes out: it goes to `manager` (the one
 * who covers for them) instead, its links acting for the owner (ADR 0043, amended).
 */
export interface Covering {
  readonly manager: Manager;
  readonly away: Absence;
  /** the manager stands in for one out of office (ADR 0048) */
  readonly standsInFor?: StandingIn;
}

/** Connected, no deal yet: the owner's n-th reminder to decide (contact.decideWithin). */
export interface DecideDue {
  readonly connectedAt: Date;
  /** when the clock started: the connection, or a later handover to the owner */
  readonly since: Date;
  readonly n: number;
  /** decideWithin: the time since `since` is n x this */
  readonly within: Duration;
  /** the owner is out of office: the reminder goes to the manager passed with it instead (none: the owner) */
  readonly away?: Absence;
  /** the manager passed stands in for one out of office (ADR 0048) */
  readonly standsInFor?: StandingIn;
}

/** The cadence ran out and the lead was recycled. */
export interface Recycled {
  readonly logged: number;
  readonly of: number;
  readonly breach: boolean;
  readonly coolOffUntil?: Date;
  /** the copied manager stands in for one out of office (ADR 0048) */
  readonly standsInFor?: StandingIn;
  /** the manager the lead was over to (ADR 0085): copied too, they held the decision */
  readonly overTo?: Manager;
}

export interface Notifier {
  /** `options.stillWanted`: asked before each retry of a send SES's rate refused (ports/mailer.ts SendOptions) */
  nurture(lead: LeadState, track: Track, index: number, options?: SendOptions): Promise<void>;
  /** double opt-in: the confirmation email of the lead's consent request (domain/consent.ts) */
  consentRequest(lead: LeadState): Promise<void>;
  sqlAssigned(lead: LeadState, rep: Rep, dueAt: Date, reasons: readonly Reason[]): Promise<void>;
  attemptDue(lead: LeadState, rep: Rep, due: AttemptDue): Promise<void>;
  /** `ahead`: what the ladder does next if no first touch is logged, and when (the email says it) */
  firstTouchOverdue(
    lead: LeadState,
    rep: Rep,
    dueAt: Date,
    overdueHours: number,
    ahead?: LadderAhead,
  ): Promise<void>;
  /**
   * `standsInFor`: the manager is told in place of one out of office (ADR 0048); `ahead`: what the ladder does
   * next if no first touch is logged (both emails say when the lead is reassigned)
   */
  managerEscalation(
    lead: LeadState,
    rep: Rep,
    manager: Manager,
    dueAt: Date,
    overdueHours: number,
    standsInFor?: StandingIn,
    ahead?: LadderAhead,
  ): Promise<void>;
  /** `reason`: why, for both reps (default: the first touch was overdue) */
  reassigned(
    lead: LeadState,
    from: Rep | undefined,
    to: Rep,
    /** the new owner's first-touch deadline; none for an open deal (its stale timer runs on) */
    dueAt: Date | undefined,
    reason?: HandoverCause | string,
  ): Promise<void>;
  /** to the manager, the owner copied; no manager: the ops address (opsAlert) */
  managerTakeover(
    lead: LeadState,
    owner: Rep | undefined,
    manager: Manager | undefined,
    takeover: Takeover,
  ): Promise<void>;
  /** to the owner, the manager copied (either may be missing; neither: nothing is sent) */
  recycled(
    lead: LeadState,
    owner: Rep | undefined,
    manager: Manager | undefined,
    recycled: Recycled,
  ): Promise<void>;
  /** to the owner; with `covering`, to the manager who covers for the owner out of office instead */
  staleDeal(lead: LeadState, rep: Rep, stage: DealStage, since: Date, covering?: Covering): Promise<void>;
  /**
   * to the owner; with `manager`, a copy to the manager that says whose lead it is; with `manager` and
   * `due.away`, to the manager only, covering for the owner out of office
   */
  decideDue(lead: LeadState, rep: Rep, manager: Manager | undefined, due: DecideDue): Promise<void>;
  /** a workflow failure, to the ops address */
  opsAlert(subject: string, text: string): Promise<void>;
}
