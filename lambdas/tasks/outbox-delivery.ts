/**
 * Sends an outbox entry (domain/outbox.ts): resolves the SLA's ids to the reps, managers, tracks and
 * stages the notifier renders. The same path serves a wake's fresh claims and the entries an earlier
 * wake left unsent.
 */
import { nurtureConsent } from '../domain/consent.ts';
import { parseDuration } from '../domain/duration.ts';
import { managerById, type StandIn } from '../domain/escalation-contact.ts';
import { escalationAtSend, type LadderEmail, ladderEmailMovedOn } from '../domain/late-send.ts';
import type { LadderAhead } from '../domain/lead-plan.ts';
import type { LeadState } from '../domain/lead-state.ts';
import { lastJudgementReasons, type OutboxEmail } from '../domain/outbox.ts';
import { isMailNotWanted } from '../ports/mailer.ts';
import type { TaskDeps } from './deps.ts';
import { EmailNotifier } from './email-notifier.ts';
import type { StandingIn } from './notifier.ts';

/**
 * `key`: the entry's dedupe key. With it, the EmailNotifier signs the links of that email from it, so a copy
 * sent again (emails go out at least once) carries the same links: a link pressed in one copy is used in both.
 * `messagesSent`: the email's messages that went out before a failed send (OutboxEntry.messagesSent): skipped.
 * `current`: the lead as the sender last wrote or read it (the write that claimed the entry, the read that found it
 * unsent), which a ladder email is checked against (unlessMovedOn); default `lead`.
 * `readdressed`: told a note for the lead's story when the email went to someone else than its claim named (an
 * escalation to a stand-in whose manager came back: late-send.ts escalationAtSend).
 */
export async function deliver(
  deps: TaskDeps,
  lead: LeadState,
  email: OutboxEmail,
  key?: string,
  messagesSent = 0,
  current: LeadState = lead,
  readdressed: (note: string) => void = () => {},
): Promise<void> {
  const { sla } = deps;
  const notifier =
    key !== undefined && deps.notifier instanceof EmailNotifier
      ? deps.notifier.forEmail(key, messagesSent)
      : deps.notifier;
  const rep = (id: string | undefined) =>
    id ? sla.routing.reps.find((candidate) => candidate.id === id) : undefined;
  const manager = (id: string | undefined) => (id ? managerById(sla, id) : undefined);
  // the manager a stand-in is told in place of (ADR 0048); one the SLA no longer names is not said
  const standingIn = (standsInFor: StandIn | undefined): StandingIn | undefined => {
    const away = standsInFor && manager(standsInFor.managerId);
    return away && standsInFor ? { manager: away, until: standsInFor.until } : undefined;
  };
  const standingInField = (standsInFor: StandIn | undefined): { standsInFor?: StandingIn } => {
    const standing = standingIn(standsInFor);
    return standing ? { standsInFor: standing } : {};
  };
  const missing = (what: string): never => {
    // the SLA changed between the claim and this send: there is nobody to send it to any more
    throw new OutboxTargetMissing(`${what} is not in SLA ${sla.version}`);
  };
  switch (email.type) {
    case 'nurture': {
      // a person who unsubscribed or withdrew consent since the email was planned (a send retried for SES's
      // rate, ADR 0051, or left by a wake that died) gets none: dropped, and the timeline says so
      if (nurtureConsent(lead) !== 'granted')
        throw new OutboxTargetMissing('The person unsubscribed or withdrew consent since it was planned.');
      const track = sla.nurture.tracks.find((candidate) => candidate.id === email.trackId);
      // a send SES's rate makes wait reads the consent again before each new try: one who unsubscribed
      // meanwhile gets nothing (one read, only on that path)
      const stillWanted = async () => {
        const now = await deps.store.getLead(lead.leadId);
        return (
          now !== undefined && !now.erasedAt && now.cycle === lead.cycle && nurtureConsent(now) === 'granted'
        );
      };
      return notifier
        .nurture(lead, track ?? missing(`nurture track ${email.trackId}`), email.index, { stillWanted })
        .catch((error: unknown) => {
          if (isMailNotWanted(error))
            throw new OutboxTargetMissing(
              "The person unsubscribed or withdrew consent while the send waited for the mail service's rate.",
            );
          throw error;
        });
    }
    case 'consentRequest':
      return notifier.consentRequest(lead);
    case 'sqlAssigned': {
      const why = email.why ?? lastJudgementReasons(lead);
      return notifier.sqlAssigned(
        lead,
        rep(email.repId) ?? missing(`rep ${email.repId}`),
        new Date(email.dueAt),
        why,
      );
    }
    case 'attemptDue':
      return notifier.attemptDue(lead, rep(email.repId) ?? missing(`rep ${email.repId}`), {
        step: email.step,
        of: email.of,
        ...(email.logged !== undefined ? { logged: email.logged } : {}),
        channel: email.channel,
        ...(email.note ? { note: email.note } : {}),
        ...(email.notes ? { notes: email.notes } : {}),
        dueAt: new Date(email.dueAt),
      });
    case 'firstTouchOverdue':
      await unlessMovedOn(deps, current, email, messagesSent, key);
      return notifier.firstTouchOverdue(
        lead,
        rep(email.repId) ?? missing(`rep ${email.repId}`),
        new Date(email.dueAt),
        email.overdue,
        ladderAheadOf(email),
      );
    case 'managerEscalation': {
      await unlessMovedOn(deps, current, email, messagesSent, key);
      // to a stand-in whose manager is back since: to that manager (sent late, ADR 0085 amended)
      const back = escalationAtSend(sla, email, deps.clock.now(), messagesSent);
      const to = back?.email ?? email;
      await notifier.managerEscalation(
        lead,
        rep(to.repId) ?? missing(`rep ${to.repId}`),
        manager(to.managerId) ?? missing(`manager ${to.managerId}`),
        new Date(to.dueAt),
        to.overdue,
        standingIn(to.standsInFor),
        ladderAheadOf(to),
      );
      if (back) readdressed(back.note);
      return;
    }
    case 'reassigned': {
      // the lead as its new owner has it: their links are bound to this handover
      const handed: LeadState =
        lead.ownerId === email.toId && lead.ownerSince === email.since
          ? lead
          : { ...lead, ownerId: email.toId, ownerSince: email.since, escalationsTaken: 0 };
      return notifier.reassigned(
        handed,
        rep(email.fromId),
        rep(email.toId) ?? missing(`rep ${email.toId}`),
        email.dueAt ? new Date(email.dueAt) : undefined,
        email.cause ?? email.reason,
      );
    }
    case 'managerTakeover':
      // "the lead needs an owner", sent late after a person gave it one; the takeover and "still over to you",
      // sent late after a first touch or another owner: nothing true to say any more (late-send.ts)
      await unlessMovedOn(deps, current, email, messagesSent, key);
      return notifier.managerTakeover(lead, rep(email.ownerId), manager(email.managerId), {
        headline: email.headline,
        why: email.why,
        ...(email.summary ? { summary: email.summary } : {}),
        ...(email.cause ? { cause: email.cause } : {}),
        ...(email.dueAt ? { dueAt: new Date(email.dueAt) } : {}),
        owners: email.owners,
        ...standingInField(email.standsInFor),
        ...(email.reminder
          ? {
              reminder: {
                n: email.reminder.n,
                since: new Date(email.reminder.since),
                recycleAt: new Date(email.reminder.recycleAt),
              },
            }
          : {}),
      });
    case 'recycled':
      return notifier.recycled(lead, rep(email.ownerId), manager(email.managerId), {
        logged: email.logged,
        of: email.of,
        breach: email.breach,
        ...(email.coolOffUntil ? { coolOffUntil: new Date(email.coolOffUntil) } : {}),
        ...(manager(email.overToId) ? { overTo: manager(email.overToId)! } : {}),
        ...standingInField(email.standsInFor),
      });
    case 'staleDeal': {
      const stage = sla.deals.stages.find((candidate) => candidate.id === email.stageId);
      // the owner is away: to the one who covers; one the SLA no longer names: the owner's reminder after all
      const covering = manager(email.managerId);
      return notifier.staleDeal(
        lead,
        rep(email.repId) ?? missing(`rep ${email.repId}`),
        stage ?? missing(`deal stage ${email.stageId}`),
        new Date(email.since),
        ...(covering && email.away
          ? [
              {
                manager: covering,
                away: email.away,
                ...standingInField(email.standsInFor),
              },
            ]
          : []),
      );
    }
    case 'decideDue': {
      const within = parseDuration(email.within) ?? missing(`duration ${email.within}`);
      return notifier.decideDue(
        lead,
        rep(email.repId) ?? missing(`rep ${email.repId}`),
        // a manager the SLA no longer names: the owner's reminder goes out all the same (with `away`, to the
        // owner after all)
        manager(email.managerId),
        {
          connectedAt: new Date(email.connectedAt),
          since: new Date(email.since),
          n: email.n,
          within,
          ...(email.away ? { away: email.away } : {}),
          ...standingInField(email.standsInFor),
        },
      );
    }
  }
}

/**
 * What the ladder does next, as the entry's claim planned it (lead-plan.ts LadderAhead); an entry claimed before
 * these times were kept says nothing of it.
 */
function ladderAheadOf(email: {
  readonly managerToldAt?: string;
  readonly reassignedAt?: string;
}): LadderAhead {
  return {
    ...(email.managerToldAt ? { managerToldAt: new Date(email.managerToldAt) } : {}),
    ...(email.reassignedAt ? { reassignedAt: new Date(email.reassignedAt) } : {}),
  };
}

/** An outbox entry names someone or something the current SLA no longer has: it is dropped, not retried. */
export class OutboxTargetMissing extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'OutboxTargetMissing';
  }
}

/**
 * An email of the first-touch ladder, sent late, says what is no longer true of the lead (domain/late-send.ts):
 * dropped, not retried, as an entry whose target is gone.
 */
export class LeadMovedOn extends OutboxTargetMissing {
  constructor(message: string) {
    super(message);
    this.name = 'LeadMovedOn';
  }
}

/**
 * An email of the first-touch ladder goes out only while what it says holds (domain/late-send.ts), on the lead as
 * the sender last wrote or read it (`current`): a refused send run again by a later wake is checked against that
 * wake's read. The lead is not read again just before the send: a person's write landing between the park's write
 * and its send (milliseconds) lets the email go, as one landing while SES answers would; a GetItem before every
 * manager's email took a timed round from 3.16 to 3.64 DynamoDB requests (bench:workflow, scenario 2) for that gap
 * (ADR 0085, amended). Its links are bound to the handover and answer 410 once the lead moved on.
 * Moved on: dropped, not retried, and the lead's story says why (OutboxTargetMissing, as a target the SLA lost).
 */
async function unlessMovedOn(
  deps: TaskDeps,
  current: LeadState,
  email: LadderEmail,
  messagesSent: number,
  key: string | undefined,
): Promise<void> {
  const why = ladderEmailMovedOn(deps.sla, current, current.cycle, email, key);
  if (why === undefined) return;
  // an email in two messages (the manager's, the owner's copy) whose first went out before a refused send
  const partly = messagesSent > 0 ? ` (${messagesSent} of its messages had gone out before)` : '';
  throw new LeadMovedOn(`${why}${partly}`);
}
