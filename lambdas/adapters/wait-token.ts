import { type LeadStore, updateLead } from '../ports/lead-store.ts';

/**
 * Takes the parked execution's task token off the lead, so exactly one signaller uses it:
 * true when this caller cleared it (and should send SendTaskSuccess), false when it was gone.
 */
export async function takeWaitToken(store: LeadStore, leadId: string, token: string): Promise<boolean> {
  let taken = false;
  await updateLead(store, leadId, (current) => {
    if (current.waitToken !== token) return undefined;
    taken = true;
    const { waitToken: _used, ...rest } = current;
    return rest;
  });
  return taken;
}

/** Execution names: one per lead, cycle and continue-as-new generation (80 characters at most). */
export function executionName(leadId: string, cycle: number, generation = 0): string {
  return `${leadId}-c${cycle}-g${generation}`;
}
