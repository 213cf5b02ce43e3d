/**
 * What the workflow does next for one lead, decided from its state of record and the time:
 * end, hand off, or act (send what is due) and park until the next deadline. Pure: the
 * Advance task reads the lead, asks this, performs the actions and parks.
 *
 * Phases: nurture (lead / MQL, marketing's), contact (an owner works the cadence under the
 * first-touch SLA), deal (an open opportunity), coolOff (recycled, waiting to re-enter nurture).
 */

import { addDuration, repCalendar, type WorkingCalendar } from './business-hours.ts';
import { cadenceFor } from './cadence.ts';
import { confirmationKey, nurtureConsent } from './consent.ts';
import type { Duration } from './duration.ts';
import { managerFor } from './escalation-contact.ts';
import type { HandoverCause } from './handover-cause.ts';
import {
  type HandoverClock,
  handoverClock,
  handoverKey,
  handoverStart,
  type Ladder,
} from './handover-terms.ts';
import type { Reason } from './lead.ts';
import type { Attempt, LeadState } from './lead-state.ts';
import { allLogged, statusFor } from './lifecycle.ts';
import { orphanKey, sentOrClaimed, unplacedKey } from './outbox.ts';
import { RETRIED_KEY_KIND, retriedEmailKey } from './refused-send.ts';
import { awayBetween, awayWhenDue } from './routing.ts';
import { type EscalationAction, escalationDue, firstTouchDue } from './sla-breach.ts';
import type { Cadence, Rep, Sla, Track } from './sla-schema.ts';
import {
  latestTakeoverReminder,
  TAKEOVER_REMINDER_KIND,
  takenOverNow,
  takeoverReminderKey,
} from './takeover-reminder.ts';

export type Phase = 'nurture' | 'contact' | 'deal' | 'coolOff';

/** The longest a lead parks without a re-check: long parks cost nothing, but a periodic look is cheap insurance. */
export const MAX_PARK_MS = 30 * 86_400_000;

export type PlannedAction =
  | { readonly type: 'sendNurture'; readonly track: Track; readonly index: number; readonly key: string }
  /** the lead starts a track: its progress is stored so the first email's delay counts from now */
  | { readonly type: 'enterTrack'; readonly track: Track }
  | {
      readonly type: 'remindAttempt';
      readonly step: number;
      readonly of: number;
      /** attempts logged in this handover: fewer than step - 1 when the schedule moved on without them */
      readonly logged: number;
      readonly dueAt: Date;
      readonly cadence: Cadence;
      readonly key: string;
    }
  | {
      readonly type: 'escalate';
      /**
       * a rung of the ladder; handToManager: the ladder's reassign rung after `maxReassignments`
       * (or with nobody to reassign to): the queue's manager (else ops) takes the lead over
       */
      readonly action: EscalationAction | 'handToManager';
      /** the ladder's rung (stepsTaken afterwards) */
      readonly step: number;
      /** the first-touch deadline the owner was given */
      readonly dueAt: Date;
      readonly key: string;
      /** why, when it is not the ladder's own timing (the owner is missing from the SLA, ...) */
      readonly why?: string;
      /** the same, as data for the emails (each in its reader's language) */
      readonly cause?: HandoverCause;
      /** a remindOwner or notifyManager rung: what the ladder does next if no first touch is logged (its emails say when) */
      readonly ahead?: LadderAhead;
    }
  | {
      readonly type: 'exhaustCadence';
      readonly coolOff: Duration;
      /** attempts logged in this handover, and the cadence's steps */
      readonly logged: number;
      readonly of: number;
      /** the SLA was breached: the cadence ran out with attempts missing */
      readonly breach: boolean;
      readonly key: string;
    }
  | {
      readonly type: 'remindStaleDeal';
      readonly stageId: string;
      readonly since: Date;
      readonly n: number;
      readonly key: string;
      /** the owner is out of office today: the reminder goes to this manager instead (coverFor) */
      readonly managerId?: string;
      readonly away?: Absence;
    }
  | {
      /**
       * connected, no deal: the owner has not opened a deal, disqualified or recycled the lead within
       * `contact.decideWithin` (the n-th time: since + n x decideWithin); from n = 2 the manager is copied
       */
      readonly type: 'remindDecide';
      /** when the lead was connected */
      readonly connectedAt: Date;
      /** when the clock started: the connection, or a later handover to the current owner */
      readonly since: Date;
      readonly n: number;
      readonly key: string;
      /**
       * the owner's manager (managerFor), copied from the second reminder on; with `away`, the one who covers
       * for the owner: the reminder goes to them instead of the owner (coverFor)
       */
      readonly managerId?: string;
      /** the owner is out of office today (their local dates, inclusive) */
      readonly away?: Absence;
      /** the connection's time is not recorded on the lead (connected before it was): store the one used */
      readonly pin?: boolean;
    }
  | {
      /**
       * "still over to you" (ADR 0085): the ladder handed the lead to its queue's manager at `since` and no first
       * touch is logged; the n-th reminder of `handoff.remindManagerEvery`
       */
      readonly type: 'remindTakeover';
      /** the manager the takeover went to */
      readonly managerId: string;
      readonly since: Date;
      readonly n: number;
      /** the first-touch deadline the owner was given */
      readonly dueAt: Date;
      /** when the cadence recycles the lead if nothing is logged */
      readonly recycleAt: Date;
      readonly key: string;
    }
  | { readonly type: 'endCoolOff' }
  /** double opt-in: the one confirmation email of the lead's consent request (consent.ts) */
  | { readonly type: 'requestConsent'; readonly key: string };

/** A rep's out-of-office period, their local dates ("YYYY-MM-DD"), inclusive. */
export interface Absence {
  readonly from: string;
  readonly to: string;
}

export type Plan =
  /** dormant: not finished, but nothing is due until something happens (a form post, an event, a rep) */
  | { readonly kind: 'end'; readonly dormant?: boolean; readonly reasons: Reason[] }
  | { readonly kind: 'handoff'; readonly reasons: Reason[] }
  | {
      readonly kind: 'park';
      readonly phase: Phase;
      /** performed before parking; each email action carries a dedupe key */
      readonly actions: PlannedAction[];
      readonly wakeAt: Date;
      readonly reasons: Reason[];
    };

export interface PlanInput {
  readonly lead: LeadState;
  /** this cycle's attempts, oldest first */
  readonly attempts: readonly Attempt[];
  readonly now: Date;
  /** does the lead's type skip nurture (existing customers, service requests) */
  readonly skipNurture: boolean;
}

export function planNext(sla: Sla, input: PlanInput): Plan {
  const { lead, now } = input;
  if (lead.erasedAt) return end('lead.erased', 'the lead was erased');
  if (lead.stage === 'customer') return end('lifecycle.customer', 'the lead is a customer');
  if (lead.status === statusFor(sla, 'disqualified'))
    return end('status.disqualified', `status ${lead.status}`);

  if (lead.coolOffUntil) {
    const until = new Date(lead.coolOffUntil);
    if (until > now) {
      return park('coolOff', [], until, [
        { rule: 'lifecycle.coolOff', detail: `recycled; back to nurture at ${lead.coolOffUntil}` },
      ]);
    }
    return park('nurture', [{ type: 'endCoolOff' }], now, [
      { rule: 'lifecycle.coolOff', detail: 'cool-off over' },
    ]);
  }

  if (!lead.ownerId) {
    if (lead.stage === 'sql' || lead.stage === 'opportunity') {
      return {
        kind: 'handoff',
        reasons: [{ rule: 'handoff.sql', detail: `stage ${lead.stage} without an owner` }],
      };
    }
    if (input.skipNurture && lead.status !== statusFor(sla, 'recycled')) {
      return {
        kind: 'handoff',
        reasons: [{ rule: `leadType.${lead.leadType}`, detail: 'this lead type skips nurture' }],
      };
    }
    return planNurture(sla, lead, now);
  }

  // the owner is stored before the "new SQL" email goes out: a crash between the two must not
  // leave the rep untold (the handoff sends it, once, and carries on)
  if ((lead.handedOffAt && !lead.sent.includes(assignedKey(lead))) || lead.ownerUntold) {
    return {
      kind: 'handoff',
      reasons: [{ rule: 'handoff.announce', detail: `the owner ${lead.ownerId} has not been told yet` }],
    };
  }

  const rep = sla.routing.reps.find((candidate) => candidate.id === lead.ownerId);
  const cal = rep ? repCalendar(sla, rep) : sla.calendar;
  if (!rep) {
    // an owner the SLA no longer names (an SLA change removed them): nobody would get a reminder
    // or an escalation; that is itself an escalation, at once: the queue's rotation gives the lead (an
    // open deal too, as a CRM reassigns a departed user's deals) to a rep who is there, else its manager
    // is told, once (tasks/advance.ts escalate)
    const key = orphanKey(lead);
    if (!lead.sent.includes(key)) {
      const { dueAt } = handoverClock(sla, lead, cal);
      const why = `the owner "${lead.ownerId}" is not in SLA ${sla.version}`;
      const cause: HandoverCause = {
        kind: 'ownerMissing',
        ownerId: lead.ownerId ?? '',
        slaVersion: sla.version,
      };
      const step = lead.escalationsTaken ?? 0;
      const action: PlannedAction = { type: 'escalate', action: 'reassign', step, dueAt, key, why, cause };
      return park(lead.deal ? 'deal' : 'contact', [action], now, [
        { rule: 'routing.ownerMissing', detail: why },
      ]);
    }
  }
  if (lead.deal) return planDeal(sla, lead, rep, cal, now);
  if (withSales(sla, lead)) {
    if (sla.contact.decideWithin) return planDecide(sla, lead, rep, cal, now, sla.contact.decideWithin);
    return park('deal', [], new Date(now.getTime() + MAX_PARK_MS), [
      { rule: 'deal.waiting', detail: 'connected; waiting for a deal to be opened' },
    ]);
  }
  return planContact(sla, input, rep, cal);
}

/**
 * When the lead was connected: `connectedAt`, else (a lead connected before it was recorded) the timeline's
 * last change to the connected status, else its handover (a stable time: `updatedAt` moves with every write,
 * and would push the clock on at each one). `recorded`: whether it came from `connectedAt`.
 */
export function connectedSince(
  sla: Sla,
  lead: Pick<LeadState, 'connectedAt' | 'timeline' | 'handedOffAt' | 'ownerSince' | 'updatedAt'>,
): { readonly at: Date; readonly recorded: boolean } {
  if (lead.connectedAt) return { at: new Date(lead.connectedAt), recorded: true };
  const status = statusFor(sla, 'connected');
  const statusOf = (value: string | undefined) => value?.slice(value.indexOf('/') + 1);
  const entry = lead.timeline.findLast(
    (candidate) => statusOf(candidate.to) === status && statusOf(candidate.from) !== status,
  );
  return { at: entry ? new Date(entry.at) : handoverStart(sla, lead), recorded: false };
}

/** The dedupe key of the n-th "decide on the connected lead" reminder of the clock started at `since`. */
export function decideKey(lead: Pick<LeadState, 'cycle'>, since: Date, n: number): string {
  return `decide:${lead.cycle}:${since.toISOString()}:${n}`;
}

/**
 * Connected, no deal, under `contact.decideWithin`: the owner opens a deal, disqualifies or recycles within
 * it. The clock runs from the connection, or from a later handover to the current owner (a new owner gets
 * the whole window under `onReassign: restart`; under `continue` the handoff's stands, as in planContact);
 * reminders at since + n x decideWithin in the owner's calendar, one per n (the latest due: no burst after
 * downtime), the manager copied from the second.
 */
function planDecide(
  sla: Sla,
  lead: LeadState,
  rep: Rep | undefined,
  cal: WorkingCalendar,
  now: Date,
  within: Duration,
): Plan {
  const connected = connectedSince(sla, lead);
  const handover = handoverStart(sla, lead);
  const since = new Date(Math.max(connected.at.getTime(), handover.getTime()));
  const { n, next } = remindersDue(cal, since, within, now);
  const later = new Date(now.getTime() + MAX_PARK_MS);
  const reasons: Reason[] = [
    {
      rule: 'contact.decideWithin',
      detail: `connected ${connected.at.toISOString()}, no deal; a deal, a disqualification or a recycle is due every ${within.text} from ${since.toISOString()}`,
    },
  ];
  const key = decideKey(lead, since, n);
  const actions: PlannedAction[] = [];
  if (n > 0 && rep && !lead.sent.includes(key)) {
    // the owner away today: the one who covers reads it instead (their copy would be the same person's)
    const cover = coverFor(sla, rep, lead, `reminder ${n}`, now);
    const contact = !cover.covering && n >= 2 ? managerFor(sla, rep, lead, now) : undefined;
    const managerId = cover.covering?.managerId ?? contact?.manager?.id;
    actions.push({
      type: 'remindDecide',
      connectedAt: connected.at,
      since,
      n,
      key,
      ...(managerId ? { managerId } : {}),
      ...(cover.covering ? { away: cover.covering.away } : {}),
      ...(connected.recorded ? {} : { pin: true }),
    });
    reasons.push(...cover.reasons);
    if (contact) reasons.push(...contact.reasons);
  }
  return park('deal', actions, next < later ? next : later, reasons);
}

/**
 * Whether sales already has the lead: connected (or a meeting booked), a deal, an opportunity or a customer.
 * Its owner, a new one included, makes no first touch: the workflow runs no first-touch clock or cadence for
 * it (planNext), and a reassignment's email names no first-touch deadline.
 */
export function withSales(sla: Sla, lead: Pick<LeadState, 'deal' | 'stage' | 'status'>): boolean {
  if (lead.deal || lead.stage === 'opportunity' || lead.stage === 'customer') return true;
  return [statusFor(sla, 'connected'), statusFor(sla, 'dealOpened')].includes(lead.status);
}

export { type HandoverClock, handoverClock, handoverKey, handoverStart };

/** The dedupe key of the "new SQL assigned" email of a handoff. */
export function assignedKey(lead: Pick<LeadState, 'cycle' | 'handedOffAt'>): string {
  return `assigned:${lead.cycle}:${lead.handedOffAt}`;
}

/** The dedupe key of the "reassigned to you" email of a person's reassignment (ownerUntold). */
export function ownerKey(lead: Pick<LeadState, 'cycle' | 'ownerSince'>): string {
  return `owner:${lead.cycle}:${lead.ownerSince}`;
}

/**
 * Whether the lead waits for an owner a person may give it (api/permissions.ts, api/lead-manage.ts): no
 * owner, and an SQL (or opportunity), or a lead whose handoff found nobody and asked its manager to decide
 * (the "needs an owner" email claimed: a lead type that skips nurture waits below sql).
 */
export function waitsForOwner(
  lead: Pick<LeadState, 'ownerId' | 'stage' | 'cycle' | 'recycledAt' | 'sent' | 'outbox'>,
): boolean {
  if (lead.ownerId !== undefined) return false;
  if (lead.stage === 'sql' || lead.stage === 'opportunity') return true;
  return sentOrClaimed(lead, unplacedKey(lead));
}

/** The dedupe key of a logged attempt applied to the lead (api/sales-actions.ts). */
export const attemptKey = (attemptId: string): string => `attempt:${attemptId}`;

/**
 * Applied attempts' keys kept on the state: the window in which a replayed request (a client's retry) is
 * recognised, by count. An attempt's own item cannot stand in for an older key: an item without its key
 * is an attempt stored and never applied (api-sales.test.ts), which a replay must apply.
 */
export const ATTEMPT_KEYS_KEPT = 100;

/**
 * The dedupe keys (`sent`) worth keeping on the lead (ADR 0034): those a plan of this lead could still
 * produce. The keys name what they dedupe (the cycle, the marketing stay, the handoff, the handover, the
 * deal's stage and since), and those only move forward, so a key of an earlier cycle, stay, handover or
 * deal stage, or a stale reminder before the latest (the highest count, and the one sent last: an SLA change
 * can lower the count a plan reaches), can never be planned again; dropping it cannot send
 * anything twice. Kept: every key of the lead's current ones, the key of any outbox entry (a claim must
 * stay recognisable as sent), the latest ATTEMPT_KEYS_KEPT attempt keys (the API's replay window, not a
 * plan's), and any key of a form this does
 * not know. The state stays bounded by the SLA (its templates, cadence steps and rungs), not by the
 * lead's age; a count cap would drop the oldest live ones first (the handoff's "new SQL" key).
 */
export function liveSentKeys(lead: LeadState): readonly string[] {
  const { cycle } = lead;
  const handover = handoverKey(lead);
  const outbox = new Set((lead.outbox ?? []).map((entry) => entry.key));
  const deal = lead.deal ? `stale:${cycle}:${lead.deal.stageId}:${lead.deal.since}:` : undefined;
  const staleN = (key: string) => Number(key.slice(deal!.length));
  // a reminder's key ends in its count; a note recorded under a key of its own (an email dropped for want of
  // its rep: `<key>:dropped`, held-mail.ts) is no reminder, and read as one it hid the latest (NaN)
  const counted = (key: string, prefix: string) => /^\d+$/.test(key.slice(prefix.length));
  const stale = deal ? lead.sent.filter((key) => key.startsWith(deal) && counted(key, deal)) : [];
  const latestStale = Math.max(-1, ...stale.map(staleN));
  // the reminder sent last too: an SLA that makes the stage stale less often (or a calendar that counts
  // fewer days) plans a lower count than the highest sent, and plans it again at every wake until the next
  const lastStale = stale.at(-1);
  // the "decide" reminders of the latest clock (the key sent last names it: a clock only moves forward): the
  // highest count and the one sent last, as for the stale reminders
  const decides = lead.sent.filter(
    (key) => key.startsWith(`decide:${cycle}:`) && counted(key, key.slice(0, key.lastIndexOf(':') + 1)),
  );
  const lastDecide = decides.at(-1);
  const decide = lastDecide?.slice(0, lastDecide.lastIndexOf(':') + 1);
  const decideN = (key: string) => Number(key.slice(decide!.length));
  const latestDecide = Math.max(-1, ...decides.filter((key) => key.startsWith(decide!)).map(decideN));
  // the latest "still over to you" reminder of this handover (ADR 0085): a plan never sends a count at or below it
  const latestTakeover = takeoverReminderKey(cycle, handover, latestTakeoverReminder(lead, handover));
  const attempts = lead.sent.filter((key) => key.startsWith('attempt:'));
  const recentAttempts = new Set(attempts.slice(-ATTEMPT_KEYS_KEPT));
  const live = (key: string): boolean => {
    if (outbox.has(key)) return true;
    const kind = key.slice(0, key.indexOf(':'));
    switch (kind) {
      case 'assigned':
        return lead.handedOffAt !== undefined && key === assignedKey(lead);
      case 'orphan':
      case 'recycled':
        return key === `${kind}:${cycle}:${handover}`;
      case 'remind':
      case 'escalate':
      case 'away':
        return key.startsWith(`${kind}:${cycle}:${handover}:`);
      case 'nurture':
        return key.startsWith(`nurture:${cycle}:${lead.recycledAt ?? 'first'}:`);
      case 'owner':
        return key === ownerKey(lead);
      case 'unplaced':
        // while the handoff retries; once the lead has an owner it cannot wait for a first one again
        // (and the one to the manager who decides after an SLA change removed the one told: tasks/handoff.ts)
        return (
          lead.ownerId === undefined && (key === unplacedKey(lead) || key.startsWith(`${unplacedKey(lead)}:`))
        );
      case 'stale':
        return (
          deal !== undefined && key.startsWith(deal) && (staleN(key) === latestStale || key === lastStale)
        );
      case 'decide':
        return (
          decide !== undefined &&
          key.startsWith(decide) &&
          (decideN(key) === latestDecide || key === lastDecide)
        );
      case TAKEOVER_REMINDER_KIND:
        return key === latestTakeover;
      case 'consent':
        return lead.consent !== undefined && key === confirmationKey(lead.consent);
      case 'attempt':
        return recentAttempts.has(key);
      // a refused email's retry (refused-send.ts): as long as its email's own key
      case RETRIED_KEY_KIND: {
        const own = retriedEmailKey(key);
        return own !== undefined && live(own);
      }
      default:
        return true;
    }
  };
  const kept = lead.sent.filter(live);
  return kept.length === lead.sent.length ? lead.sent : kept;
}

/** The lead with only the dedupe keys worth keeping (liveSentKeys); the same object when none goes. */
export function withLiveSentKeys(lead: LeadState): LeadState {
  const sent = liveSentKeys(lead);
  return sent === lead.sent ? lead : { ...lead, sent };
}

// ---------- nurture ----------

/** The track for the lead: its type's, its persona's, then persona x journey stage, most specific first. */
export function nurtureTrackFor(
  sla: Sla,
  lead: Pick<LeadState, 'leadType' | 'persona' | 'journeyStage'>,
): Track | undefined {
  const byId = (id: string | undefined) =>
    id ? sla.nurture.tracks.find((track) => track.id === id) : undefined;
  const type = sla.leadTypes.find((candidate) => candidate.id === lead.leadType);
  const persona = sla.personas.find((candidate) => candidate.id === lead.persona);
  const fits = (track: Track, persona: string, stage: string) =>
    (track.persona === persona || (persona === '*' && track.persona === '*')) &&
    (track.journeyStage === stage || (stage === '*' && track.journeyStage === '*'));
  const p = lead.persona ?? '*';
  const s = lead.journeyStage;
  return (
    byId(type?.overrides.nurtureTrack) ??
    byId(persona?.nurtureTrack) ??
    sla.nurture.tracks.find((t) => fits(t, p, s)) ??
    sla.nurture.tracks.find((t) => fits(t, p, '*')) ??
    sla.nurture.tracks.find((t) => fits(t, '*', s)) ??
    sla.nurture.tracks.find((t) => fits(t, '*', '*'))
  );
}

function planNurture(sla: Sla, lead: LeadState, now: Date): Plan {
  const later = new Date(now.getTime() + MAX_PARK_MS);
  if (!lead.undeliverable && nurtureConsent(lead) === 'pending' && lead.consent) {
    // double opt-in: one confirmation email, then nothing until the person confirms (a signal)
    const key = confirmationKey(lead.consent);
    if (lead.consent.notAsked)
      return dormant(
        'consent.mailbox',
        'not asked to confirm: its mailbox was sent a confirmation email for another request in the last 24 hours',
      );
    if (!lead.sent.includes(key)) {
      return park('nurture', [{ type: 'requestConsent', key }], later, [
        { rule: 'consent.double', detail: 'consent given: the confirmation email goes out' },
      ]);
    }
    return dormant('consent.double', 'no nurture email until the subscription is confirmed');
  }
  if (nurtureConsent(lead) !== 'granted' || lead.undeliverable) {
    const why = lead.unsubscribed
      ? 'unsubscribed'
      : lead.undeliverable
        ? 'email undeliverable'
        : 'no marketing consent';
    return dormant('nurture.consent', `no nurture email: ${why}`);
  }
  const track = nurtureTrackFor(sla, lead);
  if (!track) return dormant('nurture.track', 'no nurture track fits this lead');
  if (track.stopAt.includes(lead.stage))
    return dormant(`nurture.${track.id}`, `track stops at ${lead.stage}`);
  const progress = lead.nurture;
  if (progress?.trackId !== track.id) {
    return park('nurture', [{ type: 'enterTrack', track }], now, [
      { rule: `nurture.${track.id}`, detail: `enters track "${track.name}"` },
    ]);
  }
  const email = track.emails[progress.sent];
  if (!email) return dormant(`nurture.${track.id}`, `all ${track.emails.length} emails sent`);
  const from = new Date(progress.lastSentAt ?? progress.startedAt);
  const dueAt = addDuration(sla.calendar, from, email.delay);
  const why: Reason = {
    rule: `nurture.${track.id}`,
    detail: `email ${progress.sent + 1} of ${track.emails.length} (${email.template}) due ${dueAt.toISOString()}`,
  };
  if (dueAt > now) return park('nurture', [], dueAt, [why]);
  // one template reaches a lead once per stay in marketing: a lead that changes track is not sent
  // what it already read, and a recycled lead (a new stay) may read it again
  const key = `nurture:${lead.cycle}:${lead.recycledAt ?? 'first'}:${email.template}`;
  // after sending, the next email counts from now; the task re-plans to find its time
  const next = track.emails[progress.sent + 1];
  const wakeAt = next ? addDuration(sla.calendar, now, next.delay) : later;
  return park('nurture', [{ type: 'sendNurture', track, index: progress.sent, key }], wakeAt, [why]);
}

// ---------- contact attempts under the first-touch SLA ----------

/**
 * The deadline of each cadence step of a handover starting at `start` (handoverStart), in the
 * owner's calendar (docs/decisions/0013-one-clock-per-handover.md):
 * - step 1 is the first touch: due at the first-touch deadline (firstTouchDue), whatever its delay;
 * - step n > 1 is due its delay after attempt n-1 if it was logged, else after step n-1's deadline
 *   (a rep who logs nothing still gets every reminder on schedule, and never one for a step before
 *   the deadline of the step before it).
 * So no step falls due before the first-touch deadline unless an attempt was logged earlier: the
 * cadence then counts from the attempt, as the SLA says.
 */
export function cadenceSchedule(
  sla: Sla,
  cal: WorkingCalendar,
  start: Date,
  attempts: readonly Pick<Attempt, 'at'>[],
  leadTypeId?: string,
  /** the first-touch deadline the handover keeps (handoverClock); default: the SLA's from `start` */
  firstTouchAt: Date = firstTouchDue(sla, cal, start, leadTypeId),
): Date[] {
  const cadence = cadenceFor(sla, leadTypeId);
  const due: Date[] = [];
  let previous = start;
  cadence.steps.forEach((step, i) => {
    const at = i === 0 ? firstTouchAt : addDuration(cal, previous, step.delay);
    due.push(at);
    const logged = attempts[i];
    previous = logged ? new Date(logged.at) : at;
  });
  return due;
}

/**
 * When the cadence's own step 1 asks for the first touch (its delay after the handover), if that
 * is after the handover itself and before the deadline: the one reminder a step gets before its
 * deadline, stating the same deadline. Otherwise undefined (the handover email announces it).
 */
export function firstStepReminderAt(
  sla: Sla,
  cal: WorkingCalendar,
  start: Date,
  leadTypeId?: string,
  /** the first-touch deadline the handover keeps (handoverClock); default: the SLA's from `start` */
  deadline: Date = firstTouchDue(sla, cal, start, leadTypeId),
): Date | undefined {
  const cadence = cadenceFor(sla, leadTypeId);
  const at = addDuration(cal, start, cadence.steps[0]!.delay);
  return at > start && at < deadline ? at : undefined;
}

/** This handover's attempts: those at or after its start, oldest first. */
export function handoverAttempts<T extends Pick<Attempt, 'at'>>(attempts: readonly T[], start: Date): T[] {
  return attempts
    .filter((attempt) => Date.parse(attempt.at) >= start.getTime())
    .sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
}

function planContact(sla: Sla, input: PlanInput, rep: Rep | undefined, cal: WorkingCalendar): Plan {
  const { lead, now } = input;
  const start = handoverStart(sla, lead);
  const attempts = handoverAttempts(input.attempts, start);
  const owned = handoverKey(lead);
  const cadence = cadenceFor(sla, lead.leadType);
  const of = cadence.steps.length;
  // the deadline and ladder the handover keeps (ADR 0059); the cadence's later steps follow the SLA deployed
  const clock = handoverClock(sla, lead, cal);
  const schedule = cadenceSchedule(sla, cal, start, attempts, lead.leadType, clock.dueAt);
  const firstTouchAt = schedule[0]!;
  const lastDue = schedule[of - 1]!;
  const expiry = addDuration(cal, lastDue, sla.handoff.firstTouchWithin);
  const reasons: Reason[] = [];
  // the first-touch escalation ladder runs until the handover's first attempt, for every owner; an owner
  // missing from the SLA was escalated already (planNext). Under onReassign: continue a new owner may get a
  // lead already overdue: their rungs count from their handover, not from a deadline that passed before they had it
  const ownerSince = new Date(owned);
  const ladderStart = firstTouchAt > ownerSince ? firstTouchAt : ownerSince;
  const escalation =
    attempts.length === 0 && rep
      ? escalationDue(sla, cal, {
          dueAt: ladderStart,
          at: input.now,
          stepsTaken: lead.escalationsTaken ?? 0,
          // somebody always hears of it: the owner's manager, the queue's, ops (escalation-contact.ts)
          hasManager: true,
          ladder: clock.ladder,
        })
      : undefined;
  // an untouched handover's ladder runs in full before its cadence can expire: a cadence shorter than the
  // ladder recycled a lead nobody had touched before its manager heard of it or another rep got it
  const ladderRunning = escalation !== undefined && escalation.status !== 'exhausted';

  if (attempts.length >= of || (now >= expiry && !ladderRunning)) {
    const logged = attempts.length;
    const detail =
      logged >= of
        ? allLogged(logged, of)
        : `cadence expired with ${logged} of ${of} attempts logged, no connection: step ${of} was due ${lastDue.toISOString()} and ${sla.handoff.firstTouchWithin.text} passed`;
    const action: PlannedAction = {
      type: 'exhaustCadence',
      coolOff: cadence.coolOff,
      logged,
      of,
      breach: logged < of,
      key: `recycled:${lead.cycle}:${owned}`,
    };
    return park('coolOff', [action], now, [{ rule: `cadence.${cadence.id}.exhausted`, detail }]);
  }

  const actions: PlannedAction[] = [];
  // (an expiry passed while the ladder runs: its rungs wake the lead)
  const wakeTimes: Date[] = expiry > now ? [expiry] : [];
  const remindKey = (step: number) => `remind:${lead.cycle}:${owned}:${step}`;

  // the latest step that is due and not yet logged gets one reminder (no burst after downtime);
  // step 1 is the first touch: the handover email states its deadline and the ladder chases it
  let remind: number | undefined;
  for (let step = attempts.length + 1; step <= of; step++) {
    const dueAt = schedule[step - 1]!;
    if (dueAt <= now) remind = step;
    else {
      wakeTimes.push(dueAt);
      break;
    }
  }
  // the owner is out of office on the day the step falls due (ADR 0043): the lead goes to a rep who is there,
  // through the queue's rotation (tasks/advance.ts escalate), instead of reminders to an empty desk, and a
  // breach when the cadence runs out in the owner's absence. Once per step and handover: a step nobody could
  // take (the manager was asked) is not reminded to the absent owner, and the next step asks again
  const due = remind;
  const away = due !== undefined && rep ? awayWhenDue(sla, rep, schedule[due - 1]!, now) : undefined;
  if (due !== undefined && rep && away) {
    const key = `away:${lead.cycle}:${owned}:${due}`;
    if (!lead.sent.includes(key)) {
      const cause: HandoverCause = {
        kind: 'ownerAway',
        ownerId: rep.id,
        from: away.from,
        to: away.to,
        step: due,
      };
      const why = `${rep.name} is out of office ${away.from} to ${away.to}, when attempt ${due} of ${of} falls due (${schedule[due - 1]!.toISOString()})`;
      const action: PlannedAction = {
        type: 'escalate',
        action: 'reassign',
        step: lead.escalationsTaken ?? 0,
        dueAt: schedule[due - 1]!,
        key,
        why,
        cause,
      };
      return park('contact', [action], now, [{ rule: 'routing.ownerAway', detail: why }]);
    }
    remind = undefined;
  }
  if (remind === 1) remind = undefined;
  // the cadence's own moment for step 1, when it comes after the handover (a handover outside
  // working hours, a step 1 delay): one reminder before the deadline, stating that deadline
  const early =
    attempts.length === 0 ? firstStepReminderAt(sla, cal, start, lead.leadType, firstTouchAt) : undefined;
  if (early && now < firstTouchAt) {
    if (early <= now) remind = 1;
    else wakeTimes.push(early);
  }
  if (remind !== undefined && rep) {
    const key = remindKey(remind);
    if (!lead.sent.includes(key)) {
      actions.push({
        type: 'remindAttempt',
        step: remind,
        of,
        logged: attempts.length,
        dueAt: schedule[remind - 1]!,
        cadence,
        key,
      });
      reasons.push({
        rule: `cadence.${cadence.id}.step${remind}`,
        detail: `attempt ${remind} of ${of} due ${schedule[remind - 1]!.toISOString()}`,
      });
    }
  }

  // the ladder's rung due now, or when the next is (computed above)
  if (escalation && rep) {
    reasons.push(...escalation.reasons);
    if (escalation.status === 'due') {
      const { step, action } = escalation.next;
      const reassignments = lead.reassignments ?? 0;
      const bounded = action === 'reassign' && reassignments >= sla.handoff.maxReassignments;
      if (action === 'notifyManager') reasons.push(...managerFor(sla, rep, lead, input.now).reasons);
      const warns = action === 'remindOwner' || action === 'notifyManager';
      actions.push({
        type: 'escalate',
        action: bounded ? 'handToManager' : action,
        step,
        dueAt: firstTouchAt,
        key: `escalate:${lead.cycle}:${owned}:${step}`,
        ...(warns
          ? {
              ahead: ladderAhead(sla, cal, {
                ladderStart,
                ladder: clock.ladder,
                rungsTaken: step,
                reassignments,
              }),
            }
          : {}),
        ...(bounded
          ? {
              why: `it was reassigned ${lead.reassignments ?? 0} times without a first touch, the most the SLA allows (handoff.maxReassignments: ${sla.handoff.maxReassignments})`,
              cause: { kind: 'ladderDone', reassignments: lead.reassignments ?? 0 } satisfies HandoverCause,
            }
          : {}),
      });
      wakeTimes.push(now); // further overdue steps come one at a time
    } else if (escalation.status === 'waiting') {
      wakeTimes.push(escalation.next.dueAt);
    }
  }
  // the ladder handed this handover to a manager and no first touch followed: "still over to you" every
  // remindManagerEvery from the takeover (ADR 0085), until one is logged, another rep has it or the cadence recycles
  // it (at expiry); to the manager it went to, while the SLA names them, never a count already sent
  const every = sla.handoff.remindManagerEvery;
  const over = escalation && every ? takenOverNow(sla, lead) : undefined;
  const manager = over && sla.routing.managers.find((candidate) => candidate.id === over.to);
  if (over && every && manager) {
    const since = new Date(over.at);
    const { n, next } = remindersDue(cal, since, every, now);
    if (next < expiry) wakeTimes.push(next);
    const key = takeoverReminderKey(lead.cycle, owned, n);
    if (n > latestTakeoverReminder(lead, owned) && !lead.sent.includes(key)) {
      actions.push({
        type: 'remindTakeover',
        managerId: manager.id,
        since,
        n,
        dueAt: firstTouchAt,
        recycleAt: expiry,
        key,
      });
      reasons.push({
        rule: 'handoff.remindManagerEvery',
        detail: `over to ${manager.name} since ${over.at}, no first touch: reminder ${n}, every ${every.text}`,
      });
    }
  }
  const wakeAt = new Date(Math.min(...wakeTimes.map((t) => t.getTime())));
  return park('contact', actions, wakeAt, reasons);
}

/** What the first-touch ladder does after a rung, if no first touch is logged by then: when, as the workflow takes it. */
export interface LadderAhead {
  /** when the owner's manager is told (the next notifyManager rung); absent: none before the lead leaves its owner */
  readonly managerToldAt?: Date;
  /**
   * when the lead goes to another rep (the next reassign rung); absent: the ladder has no reassign rung left, or
   * `maxReassignments` is reached (at that rung the queue's manager takes the lead over instead)
   */
  readonly reassignedAt?: Date;
}

/**
 * The ladder's rungs after the first `rungsTaken`, timed as planContact takes them: each `after` from `ladderStart`
 * (the handover's deadline, or the owner's handover when that came later) in the owner's calendar `cal`. The first
 * reassign rung ends the owner's ladder: the lead moves on, or stays under the queue's manager.
 */
export function ladderAhead(
  sla: Sla,
  cal: WorkingCalendar,
  input: {
    readonly ladderStart: Date;
    /** the ladder the handover keeps (handoverClock) */
    readonly ladder: Ladder;
    readonly rungsTaken: number;
    /** reassignments by the ladder in this handoff so far */
    readonly reassignments: number;
  },
): LadderAhead {
  let managerToldAt: Date | undefined;
  let taken = input.rungsTaken;
  for (;;) {
    const rung = escalationDue(sla, cal, {
      dueAt: input.ladderStart,
      at: input.ladderStart,
      stepsTaken: taken,
      hasManager: true,
      ladder: input.ladder,
    });
    if (rung.status === 'exhausted') break;
    const { action, dueAt, step } = rung.next;
    if (action === 'reassign') {
      const reassigns = input.reassignments < sla.handoff.maxReassignments;
      return { ...(managerToldAt ? { managerToldAt } : {}), ...(reassigns ? { reassignedAt: dueAt } : {}) };
    }
    if (action === 'notifyManager') managerToldAt ??= dueAt;
    taken = step;
  }
  return managerToldAt ? { managerToldAt } : {};
}

// ---------- open deal ----------

function planDeal(sla: Sla, lead: LeadState, rep: Rep | undefined, cal: WorkingCalendar, now: Date): Plan {
  const deal = lead.deal!;
  const stage = sla.deals.stages.find((candidate) => candidate.id === deal.stageId);
  const later = new Date(now.getTime() + MAX_PARK_MS);
  if (!stage?.staleAfter) {
    return park('deal', [], later, [
      { rule: `deal.${deal.stageId}`, detail: 'no stale timer for this stage' },
    ]);
  }
  const since = new Date(deal.since);
  // reminders at since + n x staleAfter; find the latest one due
  const { n, next } = remindersDue(cal, since, stage.staleAfter, now);
  const reasons: Reason[] = [
    {
      rule: `deal.${stage.id}.staleAfter`,
      detail: `in ${stage.name} since ${deal.since}; stale every ${stage.staleAfter.text}`,
    },
  ];
  const key = `stale:${lead.cycle}:${stage.id}:${deal.since}:${n}`;
  // an owner the SLA no longer names has nobody to remind: its manager was told once (planNext); the
  // deal waits for its next stale time, or for news (a new owner, a stage move)
  const actions: PlannedAction[] = [];
  if (n > 0 && rep && !lead.sent.includes(key)) {
    // the owner away today: the one who covers reads it instead; the deal stays the owner's
    const cover = coverFor(sla, rep, lead, `stale reminder ${n}`, now);
    actions.push({
      type: 'remindStaleDeal',
      stageId: stage.id,
      since,
      n,
      key,
      ...(cover.covering ? { managerId: cover.covering.managerId, away: cover.covering.away } : {}),
    });
    reasons.push(...cover.reasons);
  }
  if (n > 0 && !rep)
    reasons.push({
      rule: 'routing.ownerMissing',
      detail: `no owner to remind: ${lead.ownerId} is not in SLA ${sla.version}`,
    });
  return park('deal', actions, next < later ? next : later, reasons);
}

// ---------- helpers ----------

/**
 * Who reads a reminder of a lead its owner keeps (a "no deal yet" reminder, a stale deal's): the owner, or,
 * when they are out of office today (their local date), the one who covers for them (ADR 0043, amended): the
 * ladder's notifyManager contact (escalation-contact.ts managerFor: their manager, else the queue's, else
 * routing.ops), whose links act for the owner. Not a reassignment: the lead and its deal stay the owner's.
 * The SLA names nobody to cover: the owner after all (their inbox is where it will be read), with a reason.
 */
function coverFor(
  sla: Sla,
  rep: Rep,
  lead: LeadState,
  what: string,
  now: Date,
): {
  readonly covering?: { readonly managerId: string; readonly away: Absence };
  readonly reasons: Reason[];
} {
  const period = awayBetween(sla, rep, now, now);
  if (!period) return { reasons: [] };
  const away: Absence = { from: period.from, to: period.to };
  const contact = managerFor(sla, rep, lead, now);
  const absent = `${rep.name} is out of office ${away.from} to ${away.to}`;
  if (!contact.manager) {
    return {
      reasons: [
        ...contact.reasons,
        {
          rule: 'routing.ownerAway',
          detail: `${absent}, and the SLA names nobody to cover: ${what} to ${rep.name}`,
        },
      ],
    };
  }
  return {
    covering: { managerId: contact.manager.id, away },
    reasons: [
      {
        rule: 'routing.ownerAway',
        detail: `${absent}: ${what} to ${contact.manager.name} instead; the lead stays with ${rep.name}`,
      },
      ...contact.reasons,
    ],
  };
}

/**
 * Reminders due every `every` after `since` (in the calendar): how many have fallen due by `now` (the latest
 * is the n-th) and when the next one falls. At most 1,000 are counted.
 */
function remindersDue(
  cal: WorkingCalendar,
  since: Date,
  every: Duration,
  now: Date,
): { readonly n: number; readonly next: Date } {
  let n = 0;
  let next = addDuration(cal, since, every);
  while (next <= now && n < 1000) {
    n++;
    next = addDuration(cal, next, every);
  }
  return { n, next };
}

/** An open execution costs quota (1,000,000 per account): a lead with nothing ever due ends it. */
function dormant(rule: string, detail: string): Plan {
  return {
    kind: 'end',
    dormant: true,
    reasons: [{ rule, detail: `${detail}; dormant until something happens` }],
  };
}

function end(rule: string, detail: string): Plan {
  return { kind: 'end', reasons: [{ rule, detail }] };
}

function park(phase: Phase, actions: PlannedAction[], wakeAt: Date, reasons: Reason[]): Plan {
  return { kind: 'park', phase, actions, wakeAt, reasons };
}
