/**
 * A recorded claim whose send was refused (ADR 0080). The claim's write put the email's "sent" entry on the
 * timeline a moment before the send (ADR 0025, ADR 0045); when the mail service refuses that send (SES
 * throttled, down) the entry would tell a manager that the rep was told while nothing went. The write that
 * marks the send failed turns that entry into "not sent yet", and the send that later goes out adds the entry
 * that says it was sent, once (sentAfterRetryKey). The outbox entry stays recorded: its claim's mark still
 * confirms it, so a retry that went out is not sent again.
 *
 * Pure: no I/O, no clock reads.
 */
import { type LeadState, type TimelineEntry, withTimeline } from './lead-state.ts';
import { confirmSent, type OutboxEntry, sentEntry } from './outbox.ts';

/** The timeline kind of an email whose send was refused and is tried again: the console's "Email not sent yet". */
export const NOT_SENT_YET_KIND = 'emailRetrying';

/** The rule of that entry's reason. */
export const REFUSED_RULE = 'outbox.refused';

/** the kind of the key a retried send is recorded under (lead-plan.ts liveSentKeys keeps it with its email's) */
export const RETRIED_KEY_KIND = 'retried';

/**
 * The key the "sent" entry of a refused email that went out on a retry is recorded under (its claim's key is in
 * `sent` since its claim): the write that records it records it once. A kind of its own in front, never a
 * suffix: the dedupe keys are read by their kind and their last part (a stale reminder's count), and a suffix
 * made the retry's key read as the newest reminder, so the real one was dropped and sent again (review).
 */
export function sentAfterRetryKey(key: string): string {
  return `${RETRIED_KEY_KIND}:${key}`;
}

/** The email's own key of a key sentAfterRetryKey made; undefined for any other key. */
export function retriedEmailKey(key: string): string | undefined {
  return key.startsWith(`${RETRIED_KEY_KIND}:`) ? key.slice(RETRIED_KEY_KIND.length + 1) : undefined;
}

/**
 * The timeline entry of an email whose send was refused: not sent yet, and that it is sent again (the error
 * itself is in the task's log: its name is an id, its message may carry an address).
 */
export function notSentYetEntry(
  entry: Pick<OutboxEntry, 'what'>,
  at: string,
  slaVersion: string,
): TimelineEntry {
  return {
    at,
    kind: NOT_SENT_YET_KIND,
    by: 'workflow',
    reasons: [
      {
        rule: REFUSED_RULE,
        detail: `${entry.what}: not sent yet, the mail service refused it; it is sent again shortly`,
      },
    ],
    version: slaVersion,
  };
}

/**
 * The lead with the recorded claims of `keys` whose send was refused marked `retrying`, and the "sent" entry
 * each claim put on the timeline turned into "not sent yet" where it stands (an entry moved off the state
 * already: a "not sent yet" one is added). An entry marked before (a second refusal) changes nothing.
 */
export function withSendsRefused(state: LeadState, keys: ReadonlySet<string>, at: Date): LeadState {
  const refused = (state.outbox ?? []).filter(
    (entry) => keys.has(entry.key) && entry.recorded === true && entry.retrying !== true,
  );
  if (refused.length === 0) return state;
  const timeline = [...state.timeline];
  const added: TimelineEntry[] = [];
  for (const entry of refused) {
    const claimed = sentEntry(entry, at, state.slaVersion).reasons[0]!;
    // the claim's own entry, written when it was first claimed (a reclaim keeps that time in `firstAt`); an
    // older line of the same words (an earlier handover's reminder, genuinely sent) is never the one taken back
    const claimedAt = entry.firstAt ?? entry.at;
    const index = timeline.findLastIndex(
      (told) =>
        told.kind === 'email' &&
        told.at >= claimedAt &&
        told.reasons[0]?.rule === claimed.rule &&
        told.reasons[0]?.detail === claimed.detail,
    );
    if (index >= 0)
      timeline[index] = notSentYetEntry(
        entry,
        timeline[index]!.at,
        timeline[index]!.version ?? state.slaVersion,
      );
    else added.push(notSentYetEntry(entry, at.toISOString(), state.slaVersion));
  }
  const outbox = (state.outbox ?? []).map((entry) =>
    refused.includes(entry) ? { ...entry, retrying: true } : entry,
  );
  return withTimeline({ ...state, timeline, outbox }, ...added);
}

/**
 * The lead read with the marks of its senders (`confirmed`: claim ids, LeadStore.loadLead), with the "sent"
 * entry of each refused email whose retry went out and whose sender's write, which adds that entry and takes
 * the claim off the outbox, was lost (a crash after the send and its mark): added once, at the retry's claim.
 * Applied before confirmSent takes those claims off.
 */
export function withSentAfterRetryOwed(
  state: LeadState,
  confirmed: readonly string[] | undefined,
): LeadState {
  if (!state.outbox || !confirmed || confirmed.length === 0) return state;
  const done = new Set(confirmed);
  const owed = state.outbox.filter(
    (entry) =>
      entry.recorded === true &&
      entry.retrying === true &&
      entry.claim !== undefined &&
      done.has(entry.claim) &&
      !state.sent.includes(sentAfterRetryKey(entry.key)),
  );
  if (owed.length === 0) return state;
  return withTimeline(
    { ...state, sent: [...state.sent, ...owed.map((entry) => sentAfterRetryKey(entry.key))] },
    ...owed.map((entry) => sentEntry(entry, new Date(entry.at), state.slaVersion)),
  );
}

/**
 * The lead as a task reads it (LeadStore.loadLead): the claims its senders marked sent taken off the outbox
 * (confirmSent), a refused email's retry whose sender's write was lost given its "sent" entry first
 * (withSentAfterRetryOwed). The Handoff and the Advance read it so.
 */
export function confirmMarkedSends(state: LeadState, confirmed: readonly string[] | undefined): LeadState {
  return confirmSent(withSentAfterRetryOwed(state, confirmed), confirmed);
}
