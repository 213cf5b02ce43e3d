/**
 * The first-touch terms of a handover (ADR 0059): the deadline its owner was given and the escalation ladder in
 * force when the lead was handed over, stored on the lead (`handoverTerms`) so that a running clock keeps them
 * when a newer SLA is deployed. A new handover (the handoff, a reassignment by the ladder, a person or an SLA
 * migration) stores the terms of the SLA in force then. A lead whose state holds no terms of its current handover
 * (stored before ADR 0059, or a handover that did not store them) runs on the SLA deployed, as before.
 *
 * Compact, no copy of the SLA: the deadline as an instant, the ladder as text ("0h remindOwner;2bh notifyManager;
 * 4bh reassign", about 45 bytes). The cadence is not kept: it follows the SLA deployed (ADR 0059 says why).
 * Pure.
 */
import { repCalendar, type WorkingCalendar } from './business-hours.ts';
import { type Duration, parseDuration } from './duration.ts';
import type { HandoverTerms, LeadState } from './lead-state.ts';
import { firstTouchDue } from './sla-breach.ts';
import { ESCALATION_ACTIONS } from './sla-constants.ts';
import type { Handoff, Sla } from './sla-schema.ts';

export type { HandoverTerms } from './lead-state.ts';

/** An escalation ladder: `handoff.escalation` of an SLA. */
export type Ladder = Handoff['escalation'];

/** The terms a running clock keeps: the deadline given at the handover and the ladder in force then. */
export interface KeptTerms {
  readonly dueAt: Date;
  readonly ladder: Ladder;
}

/** The current handover in dedupe keys: reminders and escalations are per owner, whatever the clock. */
export function handoverKey(lead: Pick<LeadState, 'handedOffAt' | 'ownerSince' | 'updatedAt'>): string {
  return lead.ownerSince ?? lead.handedOffAt ?? lead.updatedAt;
}

/**
 * When the current handover's SLA clock started: the first-touch deadline and the cadence count from it. With
 * `contact.onReassign: restart` (the default) every handover (the first assignment, a reassignment) starts a
 * fresh clock; with `continue` the clock of the handoff stands. (lead-plan.ts exports it as before.)
 */
export function handoverStart(
  sla: Sla,
  lead: Pick<LeadState, 'handedOffAt' | 'ownerSince' | 'updatedAt'>,
): Date {
  const handoff = lead.handedOffAt ?? lead.updatedAt;
  const since = sla.contact.onReassign === 'restart' ? (lead.ownerSince ?? handoff) : handoff;
  return new Date(since);
}

/** The handover the terms belong to: the current owner's (ownerSince), else the handoff's. */
function handoverOf(lead: Pick<LeadState, 'handedOffAt' | 'ownerSince'>): string | undefined {
  return lead.ownerSince ?? lead.handedOffAt;
}

/** The ladder as stored: each rung's duration (as the SLA wrote it) and action, `;` between rungs. */
export function encodeLadder(ladder: Ladder): string {
  return ladder.map((rung) => `${rung.after.text.trim()} ${rung.action}`).join(';');
}

/** The ladder a stored text gives; undefined when it does not read as one (the deployed ladder applies then). */
export function decodeLadder(text: string): Ladder | undefined {
  if (text === '') return [];
  const ladder: { after: Duration; action: (typeof ESCALATION_ACTIONS)[number] }[] = [];
  for (const rung of text.split(';')) {
    const space = rung.lastIndexOf(' ');
    if (space < 0) return undefined;
    const after = parseDuration(rung.slice(0, space));
    const action = ESCALATION_ACTIONS.find((known) => known === rung.slice(space + 1));
    if (!after || !action) return undefined;
    ladder.push({ after, action });
  }
  return ladder;
}

/**
 * `lead` (its owner, `ownerSince` and `handedOffAt` those of a handover just made) with the terms of `sla` for
 * that handover: the first-touch deadline in the owner's calendar from the clock's start (handoverStart), and the
 * ladder. A lead without an owner or handover is returned without terms.
 */
export function withHandoverTerms(sla: Sla, lead: LeadState): LeadState {
  const { handoverTerms: _earlier, ...rest } = lead;
  const since = handoverOf(lead);
  if (!lead.ownerId || !since) return rest as LeadState;
  const rep = sla.routing.reps.find((candidate) => candidate.id === lead.ownerId);
  const cal = rep ? repCalendar(sla, rep) : sla.calendar;
  const due = firstTouchDue(sla, cal, handoverStart(sla, lead), lead.leadType);
  const handoverTerms: HandoverTerms = {
    since,
    due: due.toISOString(),
    ladder: encodeLadder(sla.handoff.escalation),
  };
  return { ...rest, handoverTerms } as LeadState;
}

/** The terms the lead's current handover keeps, or undefined: none stored for it (the deployed SLA applies). */
export function keptTerms(
  lead: Pick<LeadState, 'handoverTerms' | 'handedOffAt' | 'ownerSince'>,
): KeptTerms | undefined {
  const terms = lead.handoverTerms;
  if (!terms || terms.since !== handoverOf(lead)) return undefined;
  const dueAt = new Date(terms.due);
  const ladder = decodeLadder(terms.ladder);
  if (Number.isNaN(dueAt.getTime()) || !ladder) return undefined;
  return { dueAt, ladder };
}

/** The first-touch clock a handover runs on: its deadline and escalation ladder, and whether its own terms were kept. */
export interface HandoverClock {
  readonly dueAt: Date;
  readonly ladder: Ladder;
  /** the terms stored at the handover (ADR 0059); false: the SLA deployed (a lead stored before them) */
  readonly kept: boolean;
}

/**
 * The current handover's first-touch deadline and ladder: those it was handed over with (ADR 0059: a newer SLA
 * does not move a running clock), else, for a lead that stored none for this handover, the deployed SLA's: the
 * lead type's window from the clock's start, in the owner's calendar `cal`.
 */
export function handoverClock(
  sla: Sla,
  lead: Pick<LeadState, 'handoverTerms' | 'handedOffAt' | 'ownerSince' | 'updatedAt' | 'leadType'>,
  cal: WorkingCalendar,
): HandoverClock {
  const kept = keptTerms(lead);
  if (kept) return { ...kept, kept: true };
  return {
    dueAt: firstTouchDue(sla, cal, handoverStart(sla, lead), lead.leadType),
    ladder: sla.handoff.escalation,
    kept: false,
  };
}
