/**
 * Which contact outcomes a rep is offered for an attempt: the ones they can have, by the SLA's `outcomes[].channels`
 * (ADR 0087). An outcome with no channels fits every attempt. One with channels fits an attempt by one of them; for
 * an attempt whose channel is not known (an email that names no step, a call step to a lead who gave no phone, whose
 * links sign no channel: channelTheRepCanUse), it fits if one of them is open to the rep: for a lead with no phone,
 * one that needs no number. So a lead who gave no phone is never offered "Left voicemail".
 */
import { type Channel, needsANumber } from './cadence.ts';
import type { Outcome, Sla } from './sla-schema.ts';

/** What the rep can do for the attempt: its channel when known, and whether the lead gave a phone. */
export interface AttemptReach {
  readonly channel?: Channel;
  readonly hasPhone: boolean;
}

/** Every outcome: an attempt by any channel to a lead with a phone. */
export const ANY_ATTEMPT: AttemptReach = { hasPhone: true };

/** The SLA's outcomes the rep can have for the attempt, in the SLA's order. */
export function outcomesTheRepCanHave(sla: Sla, reach: AttemptReach): Outcome[] {
  return sla.contact.outcomes.filter((outcome) => outcomeFits(outcome, reach));
}

function outcomeFits(outcome: Outcome, { channel, hasPhone }: AttemptReach): boolean {
  if (outcome.channels === undefined) return true;
  if (channel !== undefined) return outcome.channels.includes(channel);
  return outcome.channels.some((candidate) => hasPhone || !needsANumber(candidate));
}
