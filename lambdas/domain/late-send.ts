/**
 * An email of the first-touch ladder states what was true when it was claimed: "Due now" (the owner has made no
 * first touch), the escalation to a manager and the owner's copy ("Carla Ruiz, 2 business hours late"), the
 * takeover and the owner's copy ("Over to you … no first touch after 3 reps … It stays with Carla Ruiz until you
 * decide"), and "Still over to you". Emails go out at least once, and some go late: a send SES refused is run again
 * by a later wake, after the reconciler restarts the lead; a park sends after its write landed, and a person's write
 * may land between the two. By then the lead may have moved past what the email says: another owner, a new handover,
 * a first touch, the lead with sales. Such an email is dropped at its send, the lead's story saying so (ADR 0085,
 * amended). Pure: the lead as it is now is the caller's read.
 */
import { managerById } from './escalation-contact.ts';
import { handoverStart } from './handover-terms.ts';
import { withSales } from './lead-plan.ts';
import type { LeadState } from './lead-state.ts';
import { isTerminal } from './lifecycle.ts';
import type { OutboxEmail, OutboxEntry } from './outbox.ts';
import type { Sla } from './sla-schema.ts';
import { takenOverNow } from './takeover-reminder.ts';

/** The ladder's emails: each says the lead's current handover has no first touch, or needs an owner. */
export type LadderEmail = Extract<
  OutboxEmail,
  { readonly type: 'firstTouchOverdue' | 'managerEscalation' | 'managerTakeover' }
>;

const LADDER_TYPES: ReadonlySet<OutboxEmail['type']> = new Set([
  'firstTouchOverdue',
  'managerEscalation',
  'managerTakeover',
]);

export function isLadderEmail(email: OutboxEmail): email is LadderEmail {
  return LADDER_TYPES.has(email.type);
}

/**
 * The handover a ladder email is written for (OutboxEmail's `handover`): when the lead's owner got it, else its
 * handoff; undefined for a lead that was never handed off (nobody's handover: "the lead needs an owner" of a lead
 * nobody could take, whose own rule is that it still has no owner).
 */
export function ladderHandover(lead: Pick<LeadState, 'ownerSince' | 'handedOffAt'>): string | undefined {
  return lead.ownerSince ?? lead.handedOffAt;
}

/**
 * `state`, as the write that claims the outbox entries of `keys` stores it, with their ladder emails stamped with its
 * handover (once: an entry stamped by an earlier write keeps its stamp). The handover of the write, not of the round
 * that planned the email: a wake after downtime takes the ladder's rungs one round at a time and writes them at once,
 * "Due now" and the escalation with the reassignment that follows them, and they go out as before; what lands after
 * that write is a moving on.
 */
export function withLadderHandovers(state: LeadState, keys: ReadonlySet<string>): LeadState {
  const handover = ladderHandover(state);
  const stamps = (entry: OutboxEntry) =>
    keys.has(entry.key) && isLadderEmail(entry.email) && entry.email.handover === undefined;
  if (handover === undefined || !(state.outbox ?? []).some(stamps)) return state;
  return {
    ...state,
    outbox: (state.outbox ?? []).map((entry) =>
      stamps(entry) ? { ...entry, email: { ...(entry.email as LadderEmail), handover } } : entry,
    ),
  };
}

/**
 * Whether the lead's current handover has a first touch logged: its cadence facts (LeadState.cadenceLog, ADR 0053)
 * count from this handover and hold an attempt. A lead written before they were kept reads as untouched.
 */
export function firstTouchLogged(sla: Sla, lead: LeadState): boolean {
  const log = lead.cadenceLog;
  return (
    log !== undefined && Date.parse(log.since) === handoverStart(sla, lead).getTime() && log.attempts > 0
  );
}

/**
 * Why `email`, claimed for the lead of `cycle`, no longer holds on `lead` as it is now (read just before the send;
 * undefined: the lead is gone): a sentence for the lead's story, in the SLA's names. Undefined while it holds:
 *
 * - none once the lead is closed (a customer, or disqualified: a status set alone keeps its owner and handover,
 *   and the workflow ends it): nothing is left to touch or decide;
 * - "the lead needs an owner" of a lead nobody could take: while it has no owner;
 * - otherwise, while the lead is on the handover of the write that claimed the email (`handover`; an entry claimed
 *   before it was kept: while the owner it names has the lead) and, for what says "no first touch", while none is
 *   logged in it and the lead is not with sales (connected, a deal); a "still over to you" also while the lead is
 *   over to that manager (takenOverNow). "The lead needs an owner" of an owner away or gone holds while the
 *   handover lasts.
 */
export function ladderEmailMovedOn(
  sla: Sla,
  lead: LeadState | undefined,
  cycle: number,
  email: LadderEmail,
): string | undefined {
  const moved = (what: string) => `The lead moved on since it was planned: ${what}.`;
  if (!lead || lead.erasedAt) return moved('it was erased');
  if (lead.cycle !== cycle) return moved('it came back as a new lead');
  if (isTerminal(sla, lead)) {
    const status = sla.leadStatuses.find((candidate) => candidate.id === lead.status);
    return moved(
      lead.stage === 'customer' ? 'it is a customer now' : `it was closed as ${status?.name ?? lead.status}`,
    );
  }
  const repName = (id: string) => sla.routing.reps.find((rep) => rep.id === id)?.name ?? id;
  const newOwner = () =>
    lead.ownerId === undefined ? 'it has no owner now' : `it is with ${repName(lead.ownerId)} now`;
  if (email.type === 'managerTakeover' && email.cause?.kind === 'nobodyFree')
    return lead.ownerId === undefined ? undefined : moved(newOwner());
  const owner = email.type === 'managerTakeover' ? email.ownerId : email.repId;
  if (email.handover !== undefined) {
    if (ladderHandover(lead) !== email.handover)
      return moved(lead.ownerId === owner ? `it was handed over again (${newOwner()})` : newOwner());
  } else if (owner !== undefined && lead.ownerId !== owner) return moved(newOwner());
  const needsOwner =
    email.type === 'managerTakeover' &&
    (email.summary ? email.summary.kind === 'needsOwner' : email.headline === 'the lead needs an owner');
  if (needsOwner) return undefined;
  if (withSales(sla, lead)) return moved('it is with sales now (connected, or a deal opened)');
  if (firstTouchLogged(sla, lead)) return 'A first touch was logged since it was planned.';
  if (email.type === 'managerTakeover' && email.reminder) {
    const over = takenOverNow(sla, lead);
    if (!over || over.to !== email.managerId) {
      const manager = email.managerId ? managerById(sla, email.managerId)?.name : undefined;
      return moved(`it is no longer over to ${manager ?? email.managerId ?? 'the manager'}`);
    }
  }
  return undefined;
}
