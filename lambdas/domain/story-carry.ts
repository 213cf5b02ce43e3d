/**
 * What a store that moves a lead's oldest timeline entries off its state (ADR 0021, ADR 0032) writes in the
 * same conditional write: the walks of the entries' readers over what moved, so each reads the tail alone
 * as it would read the whole story. The report facts' (ADR 0030) and events out's (ADR 0035).
 *
 * Pure: no I/O, no clock reads.
 */
import { carryEvents, type EventsCarry } from './lead-events.ts';
import type { LeadState, TimelineEntry } from './lead-state.ts';
import { carryFacts, type FactsCarry } from './report-facts.ts';
import type { Sla } from './sla-schema.ts';

export interface StoryCarry {
  readonly factsCarry?: FactsCarry;
  readonly eventsCarry?: EventsCarry;
}

/** The carries after `moving`, the lead's oldest kept entries, leave it: what a store is given, bound to the SLA. */
export const storyCarrier =
  (sla: Sla) =>
  (lead: LeadState, moving: readonly TimelineEntry[]): StoryCarry => {
    const factsCarry = carryFacts(sla, lead, moving);
    const eventsCarry = carryEvents(sla, lead, moving);
    return { ...(factsCarry ? { factsCarry } : {}), ...(eventsCarry ? { eventsCarry } : {}) };
  };
