/**
 * Whether an action link ends the rep's work on the lead, and where it leaves the lead: an outcome or status that
 * recycles or disqualifies it, or a deal stage that is lost (which recycles it). Such a link takes the lead off the
 * rep's list at one press, so its confirmation page says so, by the SLA's names, before the button. Pure: the
 * lifecycle's own rules (lifecycle.ts) answer where the lead goes; `at` is passed in (a lost deal's cool-off).
 */
import type { ActionPayload } from './action-links.ts';
import { applyOccurrence, type LifecycleState, type Occurrence } from './lifecycle.ts';
import { endsSales } from './open-deal.ts';
import type { LifecycleStage } from './sla-constants.ts';
import type { Sla } from './sla-schema.ts';

export interface WorkEnding {
  /** back to marketing (recycled, a lost deal among them), or closed for good (disqualified) */
  readonly kind: 'recycled' | 'disqualified';
  /** the lifecycle stage and the lead status the press leaves the lead in */
  readonly stage: LifecycleStage;
  readonly status: string;
}

export function linkEndsWork(
  sla: Sla,
  lead: LifecycleState,
  payload: Pick<ActionPayload, 'action' | 'value'>,
  at: Date,
): WorkEnding | undefined {
  const occurrence = occurrenceOf(payload, at);
  if (!occurrence) return undefined;
  const result = applyOccurrence(sla, lead, occurrence);
  if (result.rejected || result.status === lead.status || !endsSales(sla, result.status)) return undefined;
  const moment = sla.leadStatuses.find((status) => status.id === result.status)?.setWhen;
  return {
    kind: moment === 'disqualified' ? 'disqualified' : 'recycled',
    stage: result.stage,
    status: result.status,
  };
}

function occurrenceOf(payload: Pick<ActionPayload, 'action' | 'value'>, at: Date): Occurrence | undefined {
  switch (payload.action) {
    case 'outcome':
      return { kind: 'attemptLogged', outcomeId: payload.value, first: false };
    case 'status':
      return { kind: 'statusSetByRep', statusId: payload.value };
    case 'deal':
      return { kind: 'dealUpdated', dealStageId: payload.value, at, first: false };
    default:
      return undefined;
  }
}
