/**
 * Who may do what to a lead: the one rule set of every way in. The API's routes (a program with the
 * API token, or a person's principal: viewer.ts) and the console's pages and forms (the signed-in
 * person: console/session.ts) call these functions, and the sales actions (sales-actions.ts) check them
 * again on the state they write, so a lead reassigned between the read and the write is refused too.
 *
 * | action | rep | manager | ops, program |
 * |---|---|---|---|
 * | read, events, attempt, deal, status, fields | own leads | the team's, SQLs with no owner (or one who left the SLA), and a lead over to them | all |
 * | reassign | no (403) | within the team; an SQL with no owner to the team; a lead over to them to any rep of its queue | all |
 * | erase | no (403) | no (403) | all |
 *
 * A lead outside the viewer's reach is 404, whatever the action: its existence is not theirs to learn.
 * Reach is checked before the role, so a rep learns nothing about another team's lead from a 403.
 */
import { waitsForOwner } from '../domain/lead-plan.ts';
import type { LeadState } from '../domain/lead-state.ts';
import { managerOverTo, type OverToLead, queueRepsOf } from '../domain/over-to.ts';
import type { Sla } from '../domain/sla-schema.ts';
import { HttpError, unprocessable } from './http.ts';
import type { Viewer } from './viewer.ts';

export const LEAD_ACTIONS = [
  'read',
  'events',
  'attempt',
  'deal',
  'status',
  'fields',
  'reassign',
  'erase',
] as const;
export type LeadAction = (typeof LEAD_ACTIONS)[number];

/** Who acts: a viewer, or (an emailed action link, whose signed token already names the lead's owner) only a name. */
export type Acting = Pick<Viewer, 'by'> & Partial<Pick<Viewer, 'role' | 'id' | 'owners' | 'reps'>>;

/** The roles refused an action on a lead within their reach (403). */
const REFUSED: Readonly<Partial<Record<LeadAction, { roles: readonly Viewer['role'][]; message: string }>>> =
  {
    reassign: { roles: ['rep'], message: 'a rep cannot reassign; ask your manager' },
    erase: { roles: ['rep', 'manager'], message: 'only ops may erase a lead' },
  };

/**
 * What reach is decided on: the owner, whether the lead waits for one (lead-plan.ts waitsForOwner), and whom
 * its current handover is over to (over-to.ts).
 */
export type Reachable = Pick<
  LeadState,
  'leadId' | 'ownerId' | 'stage' | 'cycle' | 'recycledAt' | 'sent' | 'outbox'
> &
  OverToLead;

/**
 * Whether the lead is within the viewer's reach: a rep, their own leads; a manager, their team's, a lead
 * that waits for an owner (nobody in its queue could take it: the manager was asked to decide who works it),
 * its owner's place empty or held by a rep who left the SLA, and a lead the ladder handed over to them ("Over
 * to you", ADR 0088), whichever team its owner is in.
 */
export function inReach(
  sla: Sla,
  viewer: Pick<Acting, 'owners' | 'role' | 'reps' | 'id'>,
  lead: Omit<Reachable, 'leadId'>,
): boolean {
  if (!viewer.owners) return true;
  if (isOverTo(sla, viewer, lead)) return true;
  const left = lead.ownerId !== undefined && viewer.reps !== undefined && !viewer.reps.includes(lead.ownerId);
  if (lead.ownerId !== undefined && !left) return viewer.owners.includes(lead.ownerId);
  return viewer.role === 'manager' && (left || waitsForOwner(lead));
}

/** Why the viewer may not do `action` to the lead (404 out of reach, 403 for the role), or undefined. */
export function refusal(
  sla: Sla,
  viewer: Acting,
  lead: Reachable,
  action: LeadAction,
): HttpError | undefined {
  if (!inReach(sla, viewer, lead)) return new HttpError(404, 'not_found', `lead ${lead.leadId} not found`);
  const refused = REFUSED[action];
  if (refused && viewer.role && refused.roles.includes(viewer.role))
    return new HttpError(403, 'forbidden', refused.message);
  return undefined;
}

/** Throws the refusal, if any. */
export function requireAllowed(sla: Sla, viewer: Acting, lead: Reachable, action: LeadAction): void {
  const refused = refusal(sla, viewer, lead, action);
  if (refused) throw refused;
}

/** Whether the console shows the button for `action`. */
export function allowed(sla: Sla, viewer: Acting, lead: Reachable, action: LeadAction): boolean {
  return refusal(sla, viewer, lead, action) === undefined;
}

/** Whether the lead's current handover is over to this viewer, a manager ("Over to you": over-to.ts). */
export function isOverTo(sla: Sla, viewer: Pick<Acting, 'role' | 'id'>, lead: OverToLead): boolean {
  return viewer.role === 'manager' && viewer.id !== undefined && managerOverTo(sla, lead) === viewer.id;
}

/** The reps a viewer may give the lead to beyond their reach: its queue's, when the lead is over to them (ADR 0088). */
export function overToReps(
  sla: Sla,
  viewer: Pick<Acting, 'role' | 'id'>,
  lead: OverToLead & Pick<LeadState, 'leadType' | 'fields'>,
): string[] {
  return isOverTo(sla, viewer, lead) ? queueRepsOf(sla, lead) : [];
}

/**
 * A rep named in a request (a reassignment's new owner, an attempt's rep) must be within the viewer's reach, or
 * among `alsoReps` (a lead over to the viewer: its queue's reps, over-to.ts queueRepsOf): 422 naming the field.
 */
export function requireRepInReach(
  viewer: Acting,
  repId: string,
  field: string,
  repName = repId,
  alsoReps: readonly string[] = [],
): void {
  if (viewer.owners && !viewer.owners.includes(repId) && !alsoReps.includes(repId))
    throw unprocessable(field, `${repName} is not ${viewer.role === 'rep' ? 'you' : 'in your team'}`, {
      kind: 'repOutOfReach',
      repId,
      viewerIsRep: viewer.role === 'rep',
    });
}
