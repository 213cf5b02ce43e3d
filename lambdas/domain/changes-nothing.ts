/**
 * A deal or status change that asks for what the lead has already: the same form sent again after the
 * browser's back button (its request id new, its choice restored: ADR 0074). Applied, it would write a second
 * "deal in Discovery" or status entry into the lead's story for one decision; it changes nothing. Pure.
 */
import type { LeadState } from './lead-state.ts';

/** The deal is in `stage` already, with `amount` (none given: the amount it has, which a change keeps). */
export function dealHasAlready(
  lead: Pick<LeadState, 'deal'>,
  change: { readonly stage: string; readonly amount?: number },
): boolean {
  return (
    lead.deal?.stageId === change.stage && (change.amount === undefined || change.amount === lead.deal.amount)
  );
}

/** The lead has `status` already. */
export function statusHasAlready(lead: Pick<LeadState, 'status'>, status: string): boolean {
  return lead.status === status;
}
