/**
 * The Handoff task: an SQL (or a lead whose type skips nurture) gets an owner, the owner gets
 * the "new SQL assigned" email, and the first-touch clock starts. Safe to retry: a lead that
 * already has an owner is not handed off again.
 */
import { repCalendar } from '../domain/business-hours.ts';
import { assignedKey, handoverStart, planNext } from '../domain/lead-plan.ts';
import { applyToLead, withTimeline } from '../domain/lead-state.ts';
import { typePath } from '../domain/lead-type.ts';
import { firstTouchDue } from '../domain/sla-breach.ts';
import { updateLead } from '../ports/lead-store.ts';
import { pickRef, stepFor } from './advance.ts';
import { assignOwner } from './assign-owner.ts';
import type { TaskDeps } from './deps.ts';
import type { LeadRef, StepPayload } from './payload.ts';
import { sendOnce } from './send-once.ts';

/** With nobody available (all away or full), try again after this long. */
const RETRY_HANDOFF_SECONDS = 3600;

export async function handoff(deps: TaskDeps, input: LeadRef): Promise<StepPayload> {
  const ref = pickRef(input);
  const now = deps.clock.now();
  const lead = await deps.store.getLead(input.leadId);
  if (!lead || lead.cycle !== input.cycle || lead.erasedAt)
    return { ...ref, next: 'end', did: ['lead gone'] };

  if (!lead.ownerId) {
    const assignment = await assignOwner(deps, lead, {
      assignTo: typePath(deps.sla, lead.leadType).assignTo,
    });
    const rep = assignment.rep;
    if (!rep) {
      return {
        ...ref,
        next: 'park',
        phase: 'nurture',
        waitSeconds: RETRY_HANDOFF_SECONDS,
        version: lead.version,
        did: ['no rep available'],
        sent: [],
      };
    }
    await updateLead(deps.store, lead.leadId, (current) => {
      if (current.ownerId) return undefined;
      const { state: handed } = applyToLead(
        deps.sla,
        current,
        { kind: 'handedOff', ownerId: rep.id },
        now,
        'workflow',
        'handoff',
      );
      return withTimeline(
        {
          ...handed,
          ownerId: rep.id,
          ownerSince: now.toISOString(),
          handedOffAt: now.toISOString(),
          escalationsTaken: 0,
          reassignments: 0,
        },
        { at: now.toISOString(), kind: 'owner', to: rep.id, by: 'workflow', reasons: assignment.reasons },
      );
    });
  }
  const current = (await deps.store.getLead(input.leadId))!;
  const owner = deps.sla.routing.reps.find((rep) => rep.id === current.ownerId);
  if (owner && current.handedOffAt) {
    // its own step, so a retry after a failed send still sends it (and only once)
    const dueAt = firstTouchDue(
      deps.sla,
      repCalendar(deps.sla, owner),
      handoverStart(deps.sla, current),
      current.leadType,
    );
    const why = current.timeline.filter((entry) => entry.kind === 'judged').at(-1)?.reasons ?? [];
    const what = `new SQL email to ${owner.id}: first touch due ${dueAt.toISOString()}`;
    await sendOnce(deps, current, assignedKey(current), what, () =>
      deps.notifier.sqlAssigned(current, owner, dueAt, why),
    );
  }
  const latest = (await deps.store.getLead(input.leadId)) ?? current;
  const attempts = (await deps.store.listAttempts(current.leadId)).filter(
    (a) => current.handedOffAt !== undefined && a.at >= current.handedOffAt,
  );
  const plan = planNext(deps.sla, { lead: latest, attempts, now, skipNurture: false });
  return stepFor(ref, plan, latest, now, [`handed off to ${current.ownerId}`]);
}
