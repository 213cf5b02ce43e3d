/**
 * What switching from A to B does to the SLA clocks of the leads A left with sales (--compare), read with the same
 * standing the console shows (domain/sla-standing.ts, from planNext) under A and under B as of the end of the run.
 * A running first-touch clock keeps the deadline and escalation ladder of its handover (ADR 0059: the terms stored
 * on the lead then), so B moves neither for a lead handed over under A; what B still changes is counted: the
 * cadence's later steps (they follow the SLA deployed), and the clocks of leads that stored no terms (handed over
 * before ADR 0059, on a store that has such leads). `leadpact sla diff`'s impact (stage moves, missing ids, and
 * how many clocks keep their terms) does not re-time anything.
 */

import { keptTerms } from '../../lambdas/domain/handover-terms.ts';
import type { Sla } from '../../lambdas/domain/sla-schema.ts';
import { slaStanding } from '../../lambdas/domain/sla-standing.ts';
import type { LeadStore } from '../../lambdas/ports/lead-store.ts';

export interface RetimedClocks {
  /** leads with an owner both SLAs name, looked at */
  readonly withSales: number;
  /** of those, the leads whose clock keeps the deadline and ladder of its handover (ADR 0059): B does not move them */
  readonly keptTerms: number;
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
    keptTerms: 0,
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
    if (keptTerms(lead)) counts.keptTerms++;
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
