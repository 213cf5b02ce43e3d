/**
 * A lead with an open deal is worked through its deal: a rep's status or attempt outcome that would recycle
 * or disqualify it is refused until the deal is closed. Recycling dropped the open deal without a trace (the
 * lead back with marketing, the pipeline short of a deal nobody lost), and disqualifying left it open on a
 * closed lead. A lost deal recycles the lead anyway (the SLA's lost stages), a won one makes a customer. Pure.
 */
import type { LifecycleResult } from './lifecycle.ts';
import type { LeadState } from './lead-state.ts';
import type { DealStage, Sla } from './sla-schema.ts';

/** The lead's deal while it is open: its stage is neither won nor lost. */
export function openDeal(
  sla: Sla,
  lead: Pick<LeadState, 'deal'>,
): { readonly stage: DealStage; readonly since: string } | undefined {
  const deal = lead.deal;
  if (!deal) return undefined;
  const stage = sla.deals.stages.find((candidate) => candidate.id === deal.stageId);
  return stage && !stage.won && !stage.lost ? { stage, since: deal.since } : undefined;
}

/** Whether a status ends the lead's time with sales without a deal: recycled or disqualified. */
export function endsSales(sla: Sla, statusId: string): boolean {
  const moment = sla.leadStatuses.find((status) => status.id === statusId)?.setWhen;
  return moment === 'recycled' || moment === 'disqualified';
}

/**
 * The refusal of a lifecycle result that would recycle or disqualify a lead with an open deal (a rep's
 * status, an attempt's outcome); undefined when the result may stand.
 */
export function dealLeftOpen(
  sla: Sla,
  lead: Pick<LeadState, 'deal' | 'status'>,
  result: LifecycleResult,
): LifecycleResult | undefined {
  if (result.rejected || result.status === lead.status || !endsSales(sla, result.status)) return undefined;
  const deal = openDeal(sla, lead);
  if (!deal) return undefined;
  return {
    rejected: true,
    reason: {
      rule: 'deals.open',
      detail: `the lead has an open deal in ${deal.stage.name}: move the deal to a lost stage (the lead goes back to marketing) or close it won first`,
    },
  };
}
