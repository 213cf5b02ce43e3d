/**
 * What switching from A to B does to the SLA clocks of the leads A left with sales (--compare): the workflow
 * plans a lead's first-touch deadline, escalation ladder and cadence from the SLA deployed, not the one in
 * force at the handover, so a shorter first touch makes running clocks overdue at once. `leadpact sla diff`'s
 * impact (stage moves, missing ids) does not say this; the same standing the console shows
 * (domain/sla-standing.ts, from planNext) does, read under A and under B as of the end of the run.
 */

import type { Sla } from '../../lambdas/domain/sla-schema.ts';
import { slaStanding } from '../../lambdas/domain/sla-standing.ts';
import type { LeadStore } from '../../lambdas/ports/lead-store.ts';

export interface RetimedClocks {
  /** leads with an owner both SLAs name, looked at */
  readonly withSales: number;
  /** a first touch still due under A, already past its deadline under B */
  readonly firstTouchOverdue: number;
  /** a first touch still due under both, by an earlier deadline under B */
  readonly firstTouchSooner: number;
  /** a first touch still due under A, by a later deadline under B */
  readonly firstTouchLater: number;
  /** an escalation (reminder, manager, reassignment) B's ladder takes at once that A's does not */
  readonly escalationNow: number;
  /** the cadence's steps or the next attempt's due time differ */
  readonly cadenceChanged: number;
}

const FAR_FUTURE = '9999-12-31T00:00:00.000Z';

export async function retimedClocks(store: LeadStore, a: Sla, b: Sla, at: Date): Promise<RetimedClocks> {
  const counts = {
    withSales: 0,
    firstTouchOverdue: 0,
    firstTouchSooner: 0,
    firstTouchLater: 0,
    escalationNow: 0,
    cadenceChanged: 0,
  };
  const ids = [...new Set((await store.listDueLeads(FAR_FUTURE)).map((due) => due.leadId))].sort();
  const inB = new Set(b.routing.reps.map((rep) => rep.id));
  for (const leadId of ids) {
    const lead = await store.getLead(leadId);
    // an owner B lacks is sla diff's (a missing id, migrated or stranded)
    if (!lead?.ownerId || !lead.handedOffAt || lead.erasedAt || !inB.has(lead.ownerId)) continue;
    const attempts = await store.listAttempts(leadId);
    const before = slaStanding(a, { lead, attempts, now: at });
    const after = slaStanding(b, { lead, attempts, now: at });
    counts.withSales++;
    if (before.firstTouch?.state === 'due' && after.firstTouch) {
      if (after.firstTouch.state === 'breached') counts.firstTouchOverdue++;
      else if (after.firstTouch.dueAt < before.firstTouch.dueAt) counts.firstTouchSooner++;
      else if (after.firstTouch.dueAt > before.firstTouch.dueAt) counts.firstTouchLater++;
    }
    const now = at.toISOString();
    const dueNow = (next: { dueAt: string } | null | undefined) =>
      next !== undefined && next !== null && next.dueAt <= now;
    if (dueNow(after.escalation?.next) && !dueNow(before.escalation?.next)) counts.escalationNow++;
    if (
      before.cadence &&
      after.cadence &&
      (before.cadence.of !== after.cadence.of || before.cadence.nextDueAt !== after.cadence.nextDueAt)
    )
      counts.cadenceChanged++;
  }
  return counts;
}
