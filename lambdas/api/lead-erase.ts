/**
 * DELETE /leads/{id}: the right to be forgotten. Events and attempts are deleted, personal data
 * is stripped from the state (anonymous counters stay for reports), the workflow is stopped,
 * and later events for the lead are dropped. Erasing twice is harmless.
 */
import { eraseLead, storyInstant } from '../domain/lead-state.ts';
import { updateLead } from '../ports/lead-store.ts';
import type { ApiDeps } from './deps.ts';
import { type HttpEvent, json } from './http.ts';
import { actor, requireLead } from './lead-access.ts';
import { apiHandler } from './middleware.ts';
import { requireAllowed } from './permissions.ts';
import { CONTENDED_UPDATE } from './sales-actions.ts';
import { viewerOf } from './viewer.ts';

export function deleteLeadHandler(deps: ApiDeps) {
  return apiHandler('DELETE /leads/{id}', async (event: HttpEvent) => {
    const lead = await requireLead(deps, event);
    // erasure is ops' (or a program's with the API token): a rep or a manager cannot erase
    requireAllowed(deps.sla, viewerOf(deps.sla, event, deps.clock.now()), lead, 'erase');
    if (lead.erasedAt) {
      // erased already: a retry of an erase that failed after its write (a timeout, a throttled delete) still
      // sweeps what a writer racing it stored (see below), so "erased" is never answered over personal data
      await deps.store.deleteLeadHistory(lead.leadId, { keepCyclesAfter: lead.cycle });
      return json(200, { leadId: lead.leadId, erasedAt: lead.erasedAt });
    }
    // stop first, so the workflow cannot act on the lead while it is being erased
    await deps.workflow.stop(lead.leadId, lead.cycle, lead.generation ?? 0, lead.execution);
    await deps.store.deleteLeadHistory(lead.leadId);
    let replaced = lead;
    let at = deps.clock.now();
    // a lead busy with other writers is waited out as a sales change waits it out: the right to be forgotten is
    // not "retry" for ops to send again (its stop and first sweep above are done; the write is what is left)
    const { state } = await updateLead(
      deps.store,
      lead.leadId,
      (current) => {
        replaced = current;
        // stamped on each try with its own time, and no earlier than the story it ends already holds (a handover
        // moved a millisecond past the clock by nextHandoverAt): the erase follows what it ends, and the report,
        // reading the story in order, ends the owner's handover at it (ADR 0091, amended)
        at = storyInstant(current, deps.clock.now());
        return current.erasedAt ? undefined : eraseLead(current, at, actor(event));
      },
      CONTENDED_UPDATE.attempts,
      CONTENDED_UPDATE.maxDelayMs,
    );
    // and stop again: an execution started after the stop above and before this write (a form post that began
    // the person's new life as this erase read it: its start follows its write) could park before this write
    // and wait for its timer on an erased lead; one started after this write ends at its first step (erased)
    await deps.workflow.stop(replaced.leadId, replaced.cycle, replaced.generation ?? 0, replaced.execution);
    // again: a writer that read the lead before the erase (a park already running when its execution
    // was stopped) may have moved timeline entries to items of their own and written the lead between the
    // deletion and the erase's write; a writer whose write comes after this one fails, and writes the
    // entries it moved again without their reasons (DynamoDbLeadStore.saveLead). A post that started the
    // person's new life after the erase's write (leads-public.ts) tagged its event with its cycle: spared
    await deps.store.deleteLeadHistory(lead.leadId, { keepCyclesAfter: lead.cycle });
    return json(200, { leadId: lead.leadId, erasedAt: state?.erasedAt ?? at.toISOString() });
  });
}
