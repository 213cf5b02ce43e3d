/**
 * DELETE /leads/{id}: the right to be forgotten. Events and attempts are deleted, personal data
 * is stripped from the state (anonymous counters stay for reports), the workflow is stopped,
 * and later events for the lead are dropped. Erasing twice is harmless.
 */
import { eraseLead } from '../domain/lead-state.ts';
import { updateLead } from '../ports/lead-store.ts';
import type { ApiDeps } from './deps.ts';
import { HttpError, type HttpEvent, json } from './http.ts';
import { actor, requireLead } from './lead-access.ts';
import { apiHandler } from './middleware.ts';
import { requireReach, viewerOf } from './viewer.ts';

export function deleteLeadHandler(deps: ApiDeps) {
  return apiHandler('DELETE /leads/{id}', async (event: HttpEvent) => {
    const lead = await requireLead(deps, event);
    // erasure is ops' (or a program's with the API token): a rep or a manager cannot erase
    const viewer = viewerOf(deps.sla, event);
    requireReach(viewer, lead);
    if (viewer.role === 'rep' || viewer.role === 'manager')
      throw new HttpError(403, 'forbidden', 'only ops may erase a lead');
    if (lead.erasedAt) return json(200, { leadId: lead.leadId, erasedAt: lead.erasedAt });
    const at = deps.clock.now();
    // stop first, so the workflow cannot act on the lead while it is being erased
    await deps.workflow.stop(lead.leadId, lead.cycle, lead.generation ?? 0, lead.execution);
    await deps.store.deleteLeadHistory(lead.leadId);
    const { state } = await updateLead(deps.store, lead.leadId, (current) =>
      current.erasedAt ? undefined : eraseLead(current, at, actor(event)),
    );
    return json(200, { leadId: lead.leadId, erasedAt: state?.erasedAt ?? at.toISOString() });
  });
}
