/**
 * The emails the workflow sends, by intent. The implementation (email-notifier.ts) renders the
 * templates, signs the action links and hands the message to the Mailer.
 */
import type { Reason } from '../domain/lead.ts';
import type { LeadState } from '../domain/lead-state.ts';
import type { DealStage, Manager, Rep, Track } from '../domain/sla-schema.ts';

export interface AttemptDue {
  readonly step: number;
  readonly of: number;
  readonly channel: string;
  readonly note?: string;
  readonly dueAt: Date;
}

export interface Notifier {
  nurture(lead: LeadState, track: Track, index: number): Promise<void>;
  sqlAssigned(lead: LeadState, rep: Rep, dueAt: Date, reasons: readonly Reason[]): Promise<void>;
  attemptDue(lead: LeadState, rep: Rep, due: AttemptDue): Promise<void>;
  firstTouchOverdue(lead: LeadState, rep: Rep, dueAt: Date, overdueHours: number): Promise<void>;
  managerEscalation(
    lead: LeadState,
    rep: Rep,
    manager: Manager,
    dueAt: Date,
    overdueHours: number,
  ): Promise<void>;
  reassigned(lead: LeadState, from: Rep | undefined, to: Rep, dueAt: Date): Promise<void>;
  staleDeal(lead: LeadState, rep: Rep, stage: DealStage, since: Date): Promise<void>;
  /** a workflow failure, to the ops address */
  opsAlert(subject: string, text: string): Promise<void>;
}
