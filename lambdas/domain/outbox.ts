/**
 * The workflow's outbox on the lead's own item (tasks/advance.ts): an email is claimed in the same
 * conditional write as the change that causes it, then sent, then marked sent (by the park that
 * follows, or the wake's next write). Each entry says what to send by ids only, so a wake that finds
 * an entry its sender did not finish (a crash, a failed send) can send it again from the lead alone.
 */
import type { StandIn } from './escalation-contact.ts';
import type { HandoverCause, TakeoverHeadline } from './handover-cause.ts';
import type { Reason } from './lead.ts';
import type { LeadState, TimelineEntry } from './lead-state.ts';
import type { Sla } from './sla-schema.ts';

/** What an outbox entry sends: the notifier's intents, by the SLA's ids. Times are ISO. */
/** A "still over to you" reminder (ADR 0085): its count, the takeover it follows, when the cadence recycles the lead. */
export interface TakeoverReminder {
  readonly n: number;
  /** ISO: when the ladder handed the lead to the manager */
  readonly since: string;
  /** ISO: when the lead goes back to marketing if no first touch is logged by then */
  readonly recycleAt: string;
}

export type OutboxEmail =
  | { readonly type: 'nurture'; readonly trackId: string; readonly index: number }
  /** double opt-in: the confirmation email of the lead's consent request */
  | { readonly type: 'consentRequest' }
  /**
   * "new SQL assigned": why it qualified, the reasons of the lead's last judgement, taken when claimed (its
   * entry may have moved off the state by the time a resend goes out, ADR 0032); a claim written before
   * `why` existed reads them off the timeline
   */
  | {
      readonly type: 'sqlAssigned';
      readonly repId: string;
      readonly dueAt: string;
      readonly why?: readonly Reason[];
    }
  | {
      readonly type: 'attemptDue';
      readonly repId: string;
      readonly step: number;
      readonly of: number;
      /** attempts logged when it was planned (absent in an entry written before it was kept) */
      readonly logged?: number;
      readonly channel: string;
      readonly note?: string;
      /** the note in other languages (contact.cadences[].steps[].notes), picked for the rep when written */
      readonly notes?: Readonly<Record<string, string>>;
      readonly dueAt: string;
    }
  | {
      readonly type: 'firstTouchOverdue';
      readonly repId: string;
      /**
       * ISO: the handover of the write that claimed it (late-send.ts withLadderHandovers): sent late, after the
       * lead moved on, it is dropped (ADR 0085, amended); absent in an entry claimed before it was kept (the owner it
       * names tells then)
       */
      readonly handover?: string;
      readonly dueAt: string;
      readonly overdue: number;
      /** ISO: when the ladder tells the manager, if no first touch is logged by then (lead-plan.ts LadderAhead) */
      readonly managerToldAt?: string;
      /** ISO: when the ladder reassigns the lead, if no first touch is logged by then; absent: it will not */
      readonly reassignedAt?: string;
    }
  | {
      readonly type: 'managerEscalation';
      readonly repId: string;
      readonly managerId: string;
      /**
       * ISO: the handover of the write that claimed it (late-send.ts withLadderHandovers): sent late, after the
       * lead moved on, it is dropped (ADR 0085, amended); absent in an entry claimed before it was kept (the owner it
       * names tells then)
       */
      readonly handover?: string;
      readonly dueAt: string;
      readonly overdue: number;
      /** the manager is a stand-in for one out of office (ADR 0048): the email says so */
      readonly standsInFor?: StandIn;
      /** ISO: when the ladder reassigns the lead, if no first touch is logged by then; absent: it will not */
      readonly reassignedAt?: string;
    }
  | {
      readonly type: 'reassigned';
      readonly fromId?: string;
      readonly toId: string;
      /** when the new owner got the lead: their links are bound to this handover */
      readonly since: string;
      /** the new owner's first-touch deadline; absent for an open deal (its stale timer runs on) */
      readonly dueAt?: string;
      /** LeadPact's English, for an entry written before `cause` (the emails say `cause` in their language) */
      readonly reason: string;
      readonly cause?: HandoverCause;
    }
  | {
      readonly type: 'managerTakeover';
      readonly ownerId?: string;
      readonly managerId?: string;
      /**
       * ISO: the handover of the write that claimed it (late-send.ts withLadderHandovers): sent late, after the
       * lead moved on, it is dropped (ADR 0085, amended); absent in an entry claimed before it was kept (the owner it
       * names tells then)
       */
      readonly handover?: string;
      /** LeadPact's English, for an entry written before `summary` and `cause` */
      readonly headline: string;
      readonly why: string;
      readonly summary?: TakeoverHeadline;
      readonly cause?: HandoverCause;
      readonly dueAt?: string;
      readonly owners: readonly string[];
      /** the manager is a stand-in for one out of office (ADR 0048): the email says so */
      readonly standsInFor?: StandIn;
      /** "still over to you" (ADR 0085): a reminder of the takeover, to the manager only */
      readonly reminder?: TakeoverReminder;
    }
  | {
      readonly type: 'recycled';
      readonly ownerId?: string;
      readonly managerId?: string;
      readonly logged: number;
      readonly of: number;
      readonly breach: boolean;
      readonly coolOffUntil?: string;
      /** the copied manager stands in for one out of office (ADR 0048) */
      readonly standsInFor?: StandIn;
      /** the manager the lead was over to (ADR 0085), copied too when not the owner's manager */
      readonly overToId?: string;
    }
  | {
      readonly type: 'staleDeal';
      readonly repId: string;
      readonly stageId: string;
      readonly since: string;
      /** the owner is out of office (`away`): the reminder goes to this manager instead (ADR 0043, amended) */
      readonly managerId?: string;
      readonly away?: { readonly from: string; readonly to: string };
      /** that manager stands in for one out of office (ADR 0048): the email says so */
      readonly standsInFor?: StandIn;
    }
  | {
      /** connected and no deal, disqualification or recycle within `contact.decideWithin` (lead-plan.ts) */
      readonly type: 'decideDue';
      readonly repId: string;
      /**
       * the owner's manager, who gets a copy (from the second reminder on); with `away`, who covers for the
       * owner out of office: the reminder goes to them instead (ADR 0043, amended)
       */
      readonly managerId?: string;
      readonly away?: { readonly from: string; readonly to: string };
      /** that manager stands in for one out of office (ADR 0048): the email says so */
      readonly standsInFor?: StandIn;
      readonly connectedAt: string;
      /** when the clock started (the connection, or a later handover) */
      readonly since: string;
      /** the n-th reminder: n x `within` since `since` */
      readonly n: number;
      /** decideWithin as the SLA wrote it when the reminder was planned */
      readonly within: string;
    };

export interface OutboxEntry {
  /** the dedupe key: once in `sent`, never sent again */
  readonly key: string;
  /** for the timeline, e.g. "reminder to jonas: attempt 2 of 6 (email)" */
  readonly what: string;
  /** ISO: when it was claimed */
  readonly at: string;
  /**
   * ISO: when it was first claimed, when a later wake took it again (tasks/wake.ts reclaim moves `at`, which
   * says when the claim goes stale): an escalation rung's report fact keeps this time, so it is told once
   */
  readonly firstAt?: string;
  readonly email: OutboxEmail;
  /** the send failed: the next wake sends it at once, without waiting for the claim to go stale */
  readonly failed?: boolean;
  /**
   * Of an email in several messages (a reassignment: the new owner's and the previous owner's; a decision
   * reminder and its manager's copy), how many went out before a send failed: the retry sends the rest, so
   * nobody gets a message twice because another's failed.
   */
  readonly messagesSent?: number;
  /**
   * Which wake claimed it (a random id per invocation): a wake whose claiming write landed but whose
   * answer was lost finds its own claims when it reads the lead again, and sends them.
   */
  readonly claim?: string;
  /**
   * The claim already recorded the email as sent (its key in `sent`, its entry on the timeline): the
   * park's one write (tasks/park.ts, ADR 0025). The sender confirms the send with a mark of its claim
   * (LeadStore.markSent); until a wake reads that mark the entry stays, so a sender that died before
   * its send (no mark, the lease over) has its email sent again.
   */
  readonly recorded?: boolean;
  /**
   * A send of this recorded claim was refused (domain/refused-send.ts, ADR 0080): its "sent" entry on the
   * timeline now says "not sent yet", and the send that goes out adds the one that says it was sent.
   */
  readonly retrying?: boolean;
}

/**
 * A claim older than this was left by a sender that will not come back (a crash, a timeout): the
 * Advance task times out after 120 s, so no live sender holds a claim this old.
 */
export const OUTBOX_LEASE_MS = 150_000;

/**
 * When a claim goes stale, on the tasks' clock. `ms` is the lease (default OUTBOX_LEASE_MS). The local runtime
 * under `--speed N` runs that clock N times faster than its senders, so it stretches `ms` by N (150 s of real
 * time, as on AWS: a send still waiting for its answer is not abandoned), and gives `abandonedBefore`: the
 * time it started, before which every claim was made by a process that is gone (a kill, a stop), so nobody
 * will send it (stale at once, as after a failed send).
 */
export interface OutboxLease {
  readonly ms: number;
  /** epoch ms: claims made before it are stale at once */
  readonly abandonedBefore?: number;
}

export const DEFAULT_OUTBOX_LEASE: OutboxLease = { ms: OUTBOX_LEASE_MS };

/** when the entry's claim goes stale: at once for a failed send or a claim of a process that is gone */
function staleFrom(entry: OutboxEntry, lease: OutboxLease): number {
  const at = Date.parse(entry.at);
  if (entry.failed === true || (lease.abandonedBefore !== undefined && at < lease.abandonedBefore)) return at;
  return at + lease.ms;
}

/** Whether the email of `key` was sent or is claimed (in the outbox): a task must not claim it again. */
export function sentOrClaimed(state: Pick<LeadState, 'sent' | 'outbox'>, key: string): boolean {
  return state.sent.includes(key) || (state.outbox ?? []).some((entry) => entry.key === key);
}

/**
 * The dedupe key of the "needs an owner" email of a handoff that found nobody to take the lead: one per
 * wait for a first owner (a recycled lead that qualifies again waits anew), however many hourly retries.
 */
export function unplacedKey(lead: Pick<LeadState, 'cycle' | 'recycledAt'>): string {
  return `unplaced:${lead.cycle}:${lead.recycledAt ?? 'first'}`;
}

/**
 * The key of the "needs an owner" email to `to` for this wait, or undefined when it is told already: the wait's
 * key (unplacedKey) when nobody was told, and once told, a key naming `to` when the manager told is no longer in
 * the SLA (an SLA change removed them: nobody there would decide). The one told is read from the wait's
 * 'needs an owner' entry on the state's tail; none there (moved off the state): told, as before.
 */
export function unplacedKeyFor(sla: Sla, lead: LeadState, to: string): string | undefined {
  const key = unplacedKey(lead);
  if (!sentOrClaimed(lead, key)) return key;
  const told = lead.timeline.findLast(
    (entry) => entry.kind === 'escalation' && entry.reasons[0]?.detail.startsWith('the lead needs an owner'),
  )?.to;
  if (told === undefined || told === 'ops' || told === to) return undefined;
  if (sla.routing.managers.some((manager) => manager.id === told)) return undefined;
  return `${key}:${to}`;
}

/**
 * The dedupe key of the escalation of a lead whose owner the SLA no longer names (lead-plan.ts planNext): one
 * per handover; the rotation's new owner, or a person's, starts a new handover, so the key is no longer this.
 */
export function orphanKey(
  lead: Pick<LeadState, 'cycle' | 'ownerSince' | 'handedOffAt' | 'updatedAt'>,
): string {
  return `orphan:${lead.cycle}:${lead.ownerSince ?? lead.handedOffAt ?? lead.updatedAt}`;
}

/**
 * Whether the lead's queue's manager was asked to decide who works it (ADR 0041): the console's "Waiting for
 * an owner". Either it has no owner and its handoff found nobody (the "needs an owner" email sent or claimed),
 * or its owner left the SLA and nobody of its queue could take it over (the escalation of that handover sent
 * or claimed, `orphanKey`: the workflow claims it only once it found the owner missing, so the lead alone says
 * it, without the SLA; ADR 0045).
 */
export function asksForAnOwner(
  lead: Pick<
    LeadState,
    | 'ownerId'
    | 'cycle'
    | 'recycledAt'
    | 'sent'
    | 'outbox'
    | 'erasedAt'
    | 'ownerSince'
    | 'handedOffAt'
    | 'updatedAt'
  >,
): boolean {
  if (lead.erasedAt) return false;
  return lead.ownerId === undefined
    ? sentOrClaimed(lead, unplacedKey(lead))
    : sentOrClaimed(lead, orphanKey(lead));
}

/** Keys claimed and not yet marked sent: a plan must not plan them again. */
export function pendingKeys(state: LeadState): string[] {
  return (state.outbox ?? []).filter((entry) => !state.sent.includes(entry.key)).map((entry) => entry.key);
}

/** whether an entry's send is not known to have happened (a recorded entry: until its mark is read) */
const unsent = (state: LeadState, entry: OutboxEntry) =>
  entry.recorded === true || !state.sent.includes(entry.key);

/** Entries whose sender gave up or went away: the wake sends them again. */
export function abandonedEntries(
  state: LeadState,
  now: Date,
  lease: OutboxLease = DEFAULT_OUTBOX_LEASE,
): OutboxEntry[] {
  return (state.outbox ?? []).filter(
    (entry) => unsent(state, entry) && (entry.failed === true || staleFrom(entry, lease) <= now.getTime()),
  );
}

/**
 * The lead with the recorded entries whose sender marked its claim sent (`confirmed`: claim ids, from
 * LeadStore.loadLead) taken off the outbox: their key and timeline entry are on the lead already.
 */
export function confirmSent(state: LeadState, confirmed: readonly string[] | undefined): LeadState {
  if (!state.outbox || !confirmed || confirmed.length === 0) return state;
  const done = new Set(confirmed);
  const outbox = state.outbox.filter((entry) => !(entry.recorded && entry.claim && done.has(entry.claim)));
  if (outbox.length === state.outbox.length) return state;
  if (outbox.length > 0) return { ...state, outbox };
  const { outbox: _empty, ...rest } = state;
  return rest;
}

/**
 * Claims recorded as sent in the same write (ADR 0025): each key joins `sent`, each entry the timeline
 * (as the mark of ADR 0020 would have added it), and the outbox keeps the claim until the sender's mark.
 */
export function recordedClaims(
  state: LeadState,
  claims: readonly OutboxEntry[],
  now: Date,
): { readonly keys: string[]; readonly entries: TimelineEntry[]; readonly outbox: OutboxEntry[] } {
  return {
    keys: claims.map((claim) => claim.key),
    entries: claims.map((claim) => sentEntry(claim, now, state.slaVersion)),
    outbox: claims.map((claim) => ({ ...claim, recorded: true })),
  };
}

/**
 * When the first claim another wake holds goes stale (then the next wake sends it): a lead with such
 * a claim parks no longer than that, so a sender that died does not leave an email waiting for the
 * lead's next deadline.
 */
export function staleClaimAt(
  state: LeadState,
  except: string,
  lease: OutboxLease = DEFAULT_OUTBOX_LEASE,
): Date | undefined {
  const times = (state.outbox ?? [])
    .filter((entry) => unsent(state, entry) && !claimedBy(entry, except))
    // a failed send is due again at once
    .map((entry) => staleFrom(entry, lease));
  return times.length > 0 ? new Date(Math.min(...times)) : undefined;
}

/**
 * The due time a workflow task's write carries when no park follows it at once (ADR 0033): Advance's own
 * write (the lead ends, goes dormant, is handed off, or its change is too large for the park to carry),
 * Handoff's, a re-claim, a failed send's mark. Should every step after it fail, RecordFailure included,
 * the reconciler must still find the lead: a lead with a due time is due no later than now (the execution
 * is at work on it; the reconciler leaves a live execution alone), and one whose plan ended it (no due time)
 * is due when its unsent claims are (their lease, at once for a failed send), except those of `except` (the
 * claim of the emails an ending write records, ADR 0038). Only the park's write, which stores the next
 * deadline with the token that will wake the lead, sets a later one.
 */
export function dueWhileWorking(
  state: LeadState,
  now: Date,
  except = '',
  lease: OutboxLease = DEFAULT_OUTBOX_LEASE,
): LeadState {
  const claims = staleClaimAt(state, except, lease);
  const stored = state.dueAt === undefined ? undefined : Date.parse(state.dueAt);
  const due =
    stored === undefined
      ? claims?.getTime()
      : Math.min(stored, now.getTime(), claims?.getTime() ?? Number.POSITIVE_INFINITY);
  if (due === undefined || due === stored) return state;
  return { ...state, dueAt: new Date(due).toISOString() };
}

/** whether `wake` made the entry's claim (its own id, or one of its own `<id>:<purpose>` claims) */
export const claimedBy = (entry: OutboxEntry, wake: string): boolean =>
  entry.claim === wake || (entry.claim?.startsWith(`${wake}:`) ?? false);

/** The timeline entry of a sent email. */
export function sentEntry(
  entry: Pick<OutboxEntry, 'key' | 'what'>,
  at: Date,
  slaVersion: string,
): TimelineEntry {
  return {
    at: at.toISOString(),
    kind: 'email',
    by: 'workflow',
    reasons: [{ rule: `workflow.${entry.key.split(':')[0]}`, detail: entry.what }],
    version: slaVersion,
  };
}

/** The outbox without entries already sent (their keys are in `sent`; a recorded entry stays until confirmed). */
export function withoutSent(state: LeadState): LeadState {
  const outbox = (state.outbox ?? []).filter((entry) => unsent(state, entry));
  if (outbox.length === (state.outbox ?? []).length) return state;
  if (outbox.length > 0) return { ...state, outbox };
  const { outbox: _empty, ...rest } = state;
  return rest;
}

/** The reasons of the lead's last judgement on its timeline (none when it holds none: erased, or moved off). */
export function lastJudgementReasons(lead: Pick<LeadState, 'timeline'>): readonly Reason[] {
  return lead.timeline.findLast(isJudged)?.reasons ?? [];
}

export const isJudged = (entry: TimelineEntry): boolean => entry.kind === 'judged';
