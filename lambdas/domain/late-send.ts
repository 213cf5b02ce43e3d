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
import { managerAway, managerById } from './escalation-contact.ts';
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
 * hold an attempt of it, as either clock reads them. The facts count from the clock's start of the SLA in force when
 * they were written (`contact.onReassign`: the owner's handover, or the handoff); an SLA edit since may read the
 * other start, so the SLA's own reading alone hid a first touch (ADR 0085, amended). An attempt is of this handover
 * when the facts count from its start or later, or when the latest one is at or after its start; or, as the
 * planner reads them, when they count from the deployed SLA's start. A lead written before they were kept reads as
 * untouched.
 */
export function firstTouchLogged(sla: Sla, lead: LeadState): boolean {
  const log = lead.cadenceLog;
  if (log === undefined || log.attempts === 0) return false;
  const since = Date.parse(log.since);
  if (since === handoverStart(sla, lead).getTime()) return true;
  const handover = Date.parse(ladderHandover(lead) ?? '');
  if (Number.isNaN(handover)) return false;
  return since >= handover || (log.lastAt !== undefined && Date.parse(log.lastAt) >= handover);
}

/**
 * The handover a ladder email's dedupe key names (`escalate:<cycle>:<handover>:<rung>`, `away:…:<step>`,
 * `takeover:…:<n>`, `orphan:<cycle>:<handover>`): the handover its round planned it on. An entry claimed before
 * the `handover` stamp was kept is checked against it, not only against the owner it names (an owner who got the
 * lead back since, A -> B -> A, has a new handover). Undefined for a key that names none (`unplaced:`).
 */
export function handoverOfKey(key: string | undefined): string | undefined {
  const match =
    key === undefined
      ? null
      : (/^(?:escalate|away|takeover):\d+:(.+):\d+$/.exec(key) ?? /^orphan:\d+:(.+)$/.exec(key));
  return match?.[1];
}

/**
 * Why `email`, claimed for the lead of `cycle`, no longer holds on `lead` as it is now (read just before the send;
 * undefined: the lead is gone): a sentence for the lead's story, in the SLA's names. Undefined while it holds:
 *
 * - none once the lead is closed (a customer, or disqualified: a status set alone keeps its owner and handover,
 *   and the workflow ends it): nothing is left to touch or decide;
 * - "the lead needs an owner" of a lead nobody could take: while it has no owner;
 * - otherwise, while the lead is on the handover of the write that claimed the email (`handover`; an entry claimed
 *   before it was kept: the handover its `key` names, else while the owner it names has the lead) and, for what says
 *   "no first touch", while none is
 *   logged in it and the lead is not with sales (connected, a deal); a "still over to you" also while the lead is
 *   over to that manager (takenOverNow). "The lead needs an owner" of an owner away or gone holds while the
 *   handover lasts.
 */
export function ladderEmailMovedOn(
  sla: Sla,
  lead: LeadState | undefined,
  cycle: number,
  email: LadderEmail,
  key?: string,
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
  const handover = email.handover ?? handoverOfKey(key);
  if (handover !== undefined) {
    if (ladderHandover(lead) !== handover)
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

/** A ladder email sent to someone else than its claim named, and why: a sentence for the lead's story. */
export interface Readdressed<E extends LadderEmail = LadderEmail> {
  readonly email: E;
  readonly note: string;
}

/**
 * The escalation to a manager's stand-in (their deputy, or ops: ADR 0048), at its send `now`: claimed while that
 * manager was out of office, it says "You get this in place of Dan Whitaker, who is out of office until …". Sent
 * late (a send SES refused, run again by a later wake) after that manager came back, it goes to them, as the ladder's
 * rung would now, without that sentence: the stand-in no longer stands in, and the manager in line had heard nothing
 * (ADR 0085, amended). Undefined: it goes as claimed (the manager still away, gone from the SLA, or the stand-in's
 * message already out before a refused copy).
 */
export function escalationAtSend(
  sla: Sla,
  email: Extract<LadderEmail, { type: 'managerEscalation' }>,
  now: Date,
  messagesSent = 0,
): Readdressed<Extract<LadderEmail, { type: 'managerEscalation' }>> | undefined {
  const standIn = email.standsInFor;
  if (!standIn || messagesSent > 0) return undefined;
  const back = managerById(sla, standIn.managerId);
  if (!back || managerAway(sla, back, now)) return undefined;
  const { standsInFor: _over, ...rest } = email;
  const deputy = managerById(sla, email.managerId)?.name ?? email.managerId;
  return {
    email: { ...rest, managerId: back.id },
    note: `sent to ${back.name} instead: back from out of office (until ${standIn.until}), so ${deputy} no longer stands in`,
  };
}

/**
 * `state` after the sends that dropped `dropped` (outbox entries not sent: the lead moved past them, or their target
 * is gone). An "Over to you" dropped before any of its messages went out told its manager nothing: the handover is
 * not over to them. Its takeover (LeadState.takenOver, or the one an older state records: takenOverNow) is kept,
 * marked `dropped` (when), so no rule reads it as theirs: the recycle's email does not copy them as the manager the
 * lead was over to, the console gives them no reach, no "still over to you" follows (ADR 0085, amended). The same
 * state when none is.
 */
export function withTakeoversDropped(
  sla: Sla,
  state: LeadState,
  dropped: readonly Pick<OutboxEntry, 'key' | 'email' | 'messagesSent'>[],
  at: Date,
): LeadState {
  let next = state;
  for (const entry of dropped) {
    const { email } = entry;
    if (email.type !== 'managerTakeover' || email.reminder || (entry.messagesSent ?? 0) > 0) continue;
    const over = takenOverNow(sla, next);
    const handover = email.handover ?? handoverOfKey(entry.key);
    if (!over || over.handover !== handover || over.to !== (email.managerId ?? 'ops')) continue;
    next = { ...next, takenOver: { ...over, dropped: at.toISOString() } };
  }
  return next;
}
