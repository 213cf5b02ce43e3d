/**
 * What the contact cadence asked of one handover: the "cadence" of the SLA report's "Attempts / cadence"
 * (sla-report.ts computes it once; the console, `leadpact report` and its HTML page show that figure).
 *
 * A handover still held asks every step. One that ended (the lead given to someone else, recycled, disqualified or
 * erased: ADR 0078) asks the steps due by its end, and never fewer than the calls its rep made in it (ADR 0086): a
 * call logged after the lead left them (a CRM's late sync) is a step they took, as one logged on time already
 * counts in the steps due at the end. Never more than the cadence's steps: calls beyond them ask nothing more.
 *
 * Pure.
 */
import type { LeadFact } from './report-facts.ts';

export function stepsAsked(
  cadenceSteps: number,
  stepsDueAtEnd: number | undefined,
  callsMade: number,
): number {
  if (stepsDueAtEnd === undefined) return cadenceSteps;
  return Math.min(cadenceSteps, Math.max(stepsDueAtEnd, callsMade));
}

/**
 * Of `attempts` (attempt facts), the calls `handover`'s rep made in it: on its lead, theirs (a call logged after the
 * lead changed hands is the rep's who had it when the call was made, report-facts.ts), from the handover until the
 * lead's next handover to the same rep, if any, among `leadHandovers` (the lead's handover facts, as far as known).
 */
export function callsMadeIn(
  handover: LeadFact,
  attempts: readonly LeadFact[],
  leadHandovers: readonly LeadFact[],
): number {
  const theirNext = leadHandovers
    .filter((later) => later.rep === handover.rep && later.at > handover.at)
    .map((later) => later.at)
    .sort()[0];
  return attempts.filter(
    (attempt) =>
      attempt.kind === 'attempt' &&
      attempt.leadId === handover.leadId &&
      attempt.rep === handover.rep &&
      attempt.at >= handover.at &&
      (theirNext === undefined || attempt.at < theirNext),
  ).length;
}
