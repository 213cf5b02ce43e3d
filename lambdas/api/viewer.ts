/**
 * Who is asking, and which leads they may see: the authorizer's principal (locally the bearer token is
 * `admin`; on AWS an IAM caller or a JWT subject is a program with the admin's reach). People named in the
 * SLA (reps, managers, ops) are principals `rep:<id>`, `manager:<id>`, `ops:<id>`: a rep sees their own
 * leads, a manager their team's (reps whose `manager` they are), ops
 * everything. (A queue's `manager` takes over leads the ladder gives up on; that is no team: a lead over to
 * them is in their reach besides their team's, permissions.ts inReach, ADR 0088.) `owners` is the set of owners a
 * viewer is limited to; undefined means everything.
 * What a viewer may do to a lead is permissions.ts's to say, for the API and the console alike.
 */
import { managerAway } from '../domain/escalation-contact.ts';
import { queueRepsManagedBy } from '../domain/over-to.ts';
import { personOf } from '../domain/sign-in.ts';
import type { Sla } from '../domain/sla-schema.ts';
import { HttpError, type HttpEvent } from './http.ts';
import { actor } from './lead-access.ts';

export interface Viewer {
  readonly role: 'admin' | 'ops' | 'manager' | 'rep';
  /** the person's id in the SLA (absent for a program) */
  readonly id?: string;
  /** what the timeline records as the actor */
  readonly by: string;
  /** the owners whose leads this viewer may see and act on; undefined: all */
  readonly owners?: readonly string[];
  /**
   * a manager's: every rep of the SLA. A lead whose owner is none of them (the rep left the SLA, and nobody
   * in its queue could take it over) waits for an owner like one with none: the manager reaches it.
   */
  readonly reps?: readonly string[];
  /**
   * a manager's: the reps of the queues they manage (and of those of a manager they stand in for), whose leads
   * the ladder may hand over to them ("Over to you", ADR 0088): their overdue list reads these owners too, and
   * shows the leads over to them.
   */
  readonly queueReps?: readonly string[];
}

/** The request's viewer; with `at`, a deputy's reach as on that day (viewerFor). */
export function viewerOf(sla: Sla, event: HttpEvent, at?: Date): Viewer {
  const principal = (event.requestContext as { authorizer?: { principalId?: string } }).authorizer
    ?.principalId;
  const match = /^(rep|manager|ops):(.+)$/.exec(principal ?? '');
  if (!match) return { role: 'admin', by: actor(event) };
  const role = match[1] as 'rep' | 'manager' | 'ops';
  // a person the SLA does not name in that role (gone, or moved) has no reach at all, not ops' by default
  if (!personOf(sla, { role, personId: match[2]! }))
    throw new HttpError(403, 'forbidden', 'the SLA names no such person in that role');
  return viewerFor(sla, role, match[2]!, at);
}

/**
 * The viewer of a person named in the SLA (a console session, console/session.ts). With `at`, a manager who is
 * the deputy of a manager out of office that day reaches that manager's team too (ADR 0048): the emails they
 * get in that manager's place name leads they can then open.
 */
export function viewerFor(sla: Sla, role: 'rep' | 'manager' | 'ops', id: string, at?: Date): Viewer {
  const by = `${role}:${id}`;
  if (role === 'ops') return { role, id, by };
  if (role === 'rep') return { role, id, by, owners: [id] };
  const standingIn = at
    ? sla.routing.managers.filter((manager) => manager.deputy === id && managerAway(sla, manager, at))
    : [];
  const owners = [
    ...new Set([teamOf(sla, id), ...standingIn.map((manager) => teamOf(sla, manager.id))].flat()),
  ];
  const queueReps = queueRepsManagedBy(sla, [id, ...standingIn.map((manager) => manager.id)]);
  return {
    role,
    id,
    by,
    owners: owners.sort(),
    reps: sla.routing.reps.map((rep) => rep.id),
    queueReps,
  };
}

/** The reps a manager answers for: those naming them as `manager` in the SLA. */
export function teamOf(sla: Sla, managerId: string): string[] {
  return sla.routing.reps
    .filter((rep) => rep.manager === managerId)
    .map((rep) => rep.id)
    .sort();
}

/**
 * The reps who left the SLA and whose leads may still name them: the removed reps its `migrations.reps` maps to
 * a successor (ops keep a mapping while leads may hold the old id; a removed rep without one can hold no lead
 * in flight, the deploy refuses: docs/sla-reference.md#migrations). Their leads are a manager's and ops' to
 * see (permissions.ts inReach): until the migration or the lead's next step moves a lead to the successor,
 * the lists and "Due today" read these owners too, so no lead is out of sight.
 */
export function formerOwners(sla: Sla): string[] {
  return Object.keys(sla.migrations.reps)
    .filter((id) => !sla.routing.reps.some((rep) => rep.id === id))
    .sort();
}
