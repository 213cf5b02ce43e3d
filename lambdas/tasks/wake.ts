/**
 * A task invocation's side of the outbox (domain/outbox.ts): its conditional writes, which claim
 * emails, and its sends. Emails sent and not yet recorded are carried: the invocation's next write
 * records them, or the park that follows does (StepPayload.sent).
 */
import { randomUUID } from 'node:crypto';
import { withTakeoversDropped } from '../domain/late-send.ts';
import { withLiveSentKeys } from '../domain/lead-plan.ts';
import {
  inStoryOrder,
  type LeadState,
  storyInstant,
  withoutSignal,
  withTimeline,
} from '../domain/lead-state.ts';
import { claimedBy, dueWhileWorking, type OutboxEntry, sentEntry, withoutSent } from '../domain/outbox.ts';
import { sentAfterRetryKey, withSendsRefused } from '../domain/refused-send.ts';
import type { LeadSnapshot, SentEmail } from '../ports/lead-store.ts';
import { isMailHeld } from '../ports/mailer.ts';
import type { TaskDeps } from './deps.ts';
import { messagesSentBefore } from './email-notifier.ts';
import { DROPPED_RULE, droppedKey, heldEntry, heldKey, logHeld } from './held-mail.ts';
import { markSentRetried } from './mark-sent.ts';
import { deliver, OutboxTargetMissing } from './outbox-delivery.ts';

/**
 * One invocation's writes and sends. Emails sent and not yet recorded are carried: the next write of
 * this wake records them, or the park does.
 */
export class Wake {
  private readonly sent: SentEmail[] = [];
  /** claims sent and recorded whose mark waits for this wake's next write: it drops them from the outbox */
  private readonly markLater = new Set<string>();
  /** every key this wake sent (or dropped), recorded or not */
  private readonly delivered = new Set<string>();
  /** the entries this wake dropped (OutboxTargetMissing) since takeDropped() last answered */
  private dropped: OutboxEntry[] = [];
  /**
   * the entries this wake dropped whose note no write of it has recorded yet: the write that records the note (its
   * next one, or the one a failed send makes) also marks what the drop leaves undone (late-send.ts
   * withTakeoversDropped), so no later wake, which finds the entry gone, has it to do
   */
  private droppedUnwritten: OutboxEntry[] = [];
  /** marks this wake's claims (OutboxEntry.claim) */
  readonly id: string;

  constructor(
    private readonly deps: TaskDeps,
    private readonly now: Date,
  ) {
    this.id = deps.newId?.() ?? randomUUID();
  }

  /** whether `state` holds claims this wake made (its write landed) */
  ownsClaims(state: LeadState): boolean {
    return (state.outbox ?? []).some((entry) => claimedBy(entry, this.id));
  }

  /** whether this wake sent the email of `key` */
  hasSent(key: string): boolean {
    return this.delivered.has(key);
  }

  unmarked(): boolean {
    return this.sent.length > 0;
  }

  /**
   * The entries this wake's sends dropped since it was last asked: the caller's next write applies what a dropped
   * email leaves undone (late-send.ts withTakeoversDropped), with the entries that say so on the story.
   */
  takeDropped(): OutboxEntry[] {
    const dropped = this.dropped;
    this.dropped = [];
    return dropped;
  }

  /** the emails to record in the park's write (none left when this wake's last write recorded them) */
  marks(state?: LeadState): SentEmail[] {
    // a write whose answer was lost may have recorded them already: never twice
    const owed = this.sent.filter((email) => !state?.sent.includes(email.key));
    if (!state) return owed;
    // the park appends them to the story it commits on (its version is this state's): stamped no earlier than it
    // holds, as every entry a workflow write adds (ADR 0091, amended)
    return owed.map((email) => {
      const at = storyInstant(state, new Date(email.entry.at)).toISOString();
      return at === email.entry.at ? email : { ...email, entry: { ...email.entry, at } };
    });
  }

  /**
   * One conditional write of `next` over the snapshot's state, recording the emails sent so far. No park
   * follows it at once, so it carries a due time the reconciler sees should every later step fail
   * (domain/outbox.ts dueWhileWorking, ADR 0033), except, when the lead `ending`, for this wake's own
   * claims: the emails it sends right after this write, recorded with it; a failure before their mark is
   * retried by the state machine, or recorded by its Catch or its failed execution's event (ADR 0038).
   */
  async save(
    snapshot: LeadSnapshot,
    next: LeadState,
    options: { readonly ending?: boolean } = {},
  ): Promise<LeadSnapshot | undefined> {
    const marks = this.marks(next);
    // an "Over to you" dropped, its note in this write: the takeover told nobody (a no-op once applied)
    const untold = this.deps.sla
      ? withTakeoversDropped(this.deps.sla, next, this.droppedUnwritten, this.now)
      : next;
    // every entry this write adds (the round's, stamped with its time, and the sends it records) no earlier than
    // the story it commits on: a handover moved past the round's time comes before them (ADR 0091, amended)
    const marked = inStoryOrder(
      snapshot.state,
      marks.length
        ? withTimeline(
            { ...untold, sent: [...untold.sent, ...marks.map((email) => email.key)] },
            ...marks.map((email) => email.entry),
          )
        : untold,
    );
    const state = {
      // an ending write's own claims (this wake sends them next) keep the lead due no longer (ADR 0038)
      ...dueWhileWorking(
        withLiveSentKeys(withoutSent(withoutSignal(marked))),
        this.now,
        options.ending ? this.id : '',
        this.deps.outboxLease,
      ),
      updatedAt: this.now.toISOString(),
      version: snapshot.state.version + 1,
    };
    if ((await this.deps.store.saveLead(state, snapshot.state.version, snapshot.state)) === 'conflict') {
      // the caller reads the lead again: the claims this write would have taken off must read as marked
      await this.flushMarks(snapshot.state.leadId);
      return undefined;
    }
    this.sent.length = 0;
    this.droppedUnwritten = [];
    // a claim this write took off the outbox needs no mark: no reader will find it unconfirmed
    for (const claim of this.markLater)
      if (!(state.outbox ?? []).some((entry) => entry.claim === claim)) this.markLater.delete(claim);
    return { ...snapshot, state };
  }

  /**
   * Sends claimed entries, rendered from `lead` (the state the plan saw; default the stored one). A
   * failed send is marked on the entry so the retry sends it at once, and the task fails: the state
   * machine's Retry runs the wake again.
   */
  async send(
    snapshot: LeadSnapshot,
    entries: readonly OutboxEntry[],
    lead = snapshot.state,
    options: { readonly markWithNextWrite?: boolean } = {},
  ): Promise<void> {
    await this.sendEach(snapshot, entries, lead);
    // entries recorded as sent when claimed (ADR 0025) are confirmed by the mark of their claim
    const claims = new Set(entries.flatMap((entry) => (entry.recorded && entry.claim ? [entry.claim] : [])));
    for (const claim of claims) {
      // the caller's next write takes them off the outbox (one request less); flushMarks marks them otherwise
      if (options.markWithNextWrite) this.markLater.add(claim);
      else await markSentRetried(this.deps.store, snapshot.state.leadId, claim, this.now.toISOString());
    }
  }

  /**
   * The marks still owed (send with markWithNextWrite, and no write of this wake took the claims off the
   * outbox since): written before the wake answers or fails, so no later reader finds them unconfirmed.
   */
  async flushMarks(leadId: string): Promise<void> {
    for (const claim of this.markLater) {
      await markSentRetried(this.deps.store, leadId, claim, this.now.toISOString());
      this.markLater.delete(claim);
    }
  }

  private async sendEach(
    snapshot: LeadSnapshot,
    entries: readonly OutboxEntry[],
    lead: LeadState,
  ): Promise<void> {
    /** the keys of these entries held or dropped before a failure: done, their notes in the failure's write */
    const notSent = new Set<string>();
    for (const [index, entry] of entries.entries()) {
      try {
        let note: string | undefined;
        await deliver(this.deps, lead, entry.email, entry.key, entry.messagesSent, snapshot.state, (said) => {
          note = said;
        });
        this.delivered.add(entry.key);
        // sent to someone else than the claim named (an escalation whose manager is back): the story says to whom
        const told = note === undefined ? entry : { ...entry, what: `${entry.what}; ${note}` };
        // a recorded entry's key and timeline entry are on the lead: only its mark is owed (send); one whose
        // earlier send was refused says "not sent yet" there, so this send adds the entry that says it went
        if (!entry.recorded)
          this.sent.push({ key: entry.key, entry: sentEntry(told, this.now, snapshot.state.slaVersion) });
        else if (entry.retrying)
          this.sent.push({
            key: sentAfterRetryKey(entry.key),
            entry: sentEntry(told, this.now, snapshot.state.slaVersion),
          });
      } catch (error) {
        if (isMailHeld(error)) {
          // held for the daily quota's reserve (ADR 0067): dropped, said on the timeline by this wake's next
          // write (or its park's), as a sent email is; the others go on. A recorded entry's key is on the lead
          // already (its claim wrote "sent"): its note goes under a key of its own, once
          this.delivered.add(entry.key);
          notSent.add(entry.key);
          logHeld(snapshot.state.leadId, entry.key, error.message);
          this.sent.push({
            key: entry.recorded ? heldKey(entry.key) : entry.key,
            entry: heldEntry(entry, this.now, snapshot.state.slaVersion, error.message),
          });
          continue;
        }
        if (error instanceof OutboxTargetMissing) {
          // nobody to send it to (unsubscribed since, a rep the SLA lost), or a ladder email the lead moved past
          // (another owner, a first touch: LeadMovedOn): record why instead of retrying forever. A recorded
          // entry's claim wrote "sent" on the timeline: its note goes under a key of its own
          this.delivered.add(entry.key);
          this.dropped.push(entry);
          this.droppedUnwritten.push(entry);
          notSent.add(entry.key);
          this.sent.push({
            key: entry.recorded ? droppedKey(entry.key) : entry.key,
            entry: heldEntry(entry, this.now, snapshot.state.slaVersion, error.message, DROPPED_RULE),
          });
          continue;
        }
        // recorded claims sent before this failure are confirmed by their mark (else a wake sends them again
        // after the lease); the entries not sent (this one, and those after it) are due again at once, under
        // a claim of their own, so that mark does not confirm them (as the park does, ADR 0025)
        const done = new Set(
          entries
            .slice(0, index)
            .flatMap((sent) =>
              sent.recorded && sent.claim && this.delivered.has(sent.key) ? [sent.claim] : [],
            ),
        );
        const unsent = new Set(entries.slice(index).map((left) => left.key));
        // this one's messages that went out before the failure are not sent again (a reassignment's first)
        const messagesSent = messagesSentBefore(error);
        // a recorded claim held or dropped before this failure leaves the outbox with the write that notes it: left
        // on, the mark of its claim (done) read as a refused send's retry that went out, and the story said
        // "sent" (refused-send.ts withSentAfterRetryOwed)
        const kept = (snapshot.state.outbox ?? []).filter(
          (claimed) => !(claimed.recorded && notSent.has(claimed.key) && !unsent.has(claimed.key)),
        );
        const failed = kept.map((claimed) =>
          unsent.has(claimed.key)
            ? {
                ...claimed,
                failed: true,
                ...(claimed.claim && done.has(claimed.claim) ? { claim: `${claimed.claim}:failed` } : {}),
                ...(claimed.key === entry.key && messagesSent > (claimed.messagesSent ?? 0)
                  ? { messagesSent }
                  : {}),
              }
            : claimed,
        );
        // a recorded claim's "sent" entry is taken back: not sent yet (ADR 0080)
        const refused = withSendsRefused({ ...snapshot.state, outbox: failed }, unsent, this.now);
        const saved = await this.save(snapshot, refused).catch(() => undefined);
        // should the write not land, nothing is marked: the sent ones go out again after the lease (a copy
        // rather than a loss)
        if (saved)
          for (const claim of done)
            await markSentRetried(
              this.deps.store,
              snapshot.state.leadId,
              claim,
              this.now.toISOString(),
            ).catch(() => undefined);
        throw error;
      }
    }
  }
}

/** Abandoned entries claimed anew: this wake's claim, so a concurrent wake leaves them alone. */
export function reclaim(
  state: LeadState,
  abandoned: readonly OutboxEntry[],
  now: Date,
  id: string,
): LeadState {
  const keys = new Set(abandoned.map((entry) => entry.key));
  return {
    ...state,
    outbox: (state.outbox ?? []).map((entry) =>
      keys.has(entry.key)
        ? {
            key: entry.key,
            what: entry.what,
            at: now.toISOString(),
            firstAt: entry.firstAt ?? entry.at,
            email: entry.email,
            claim: id,
            ...(entry.recorded ? { recorded: true } : {}),
            ...(entry.retrying ? { retrying: true } : {}),
            ...(entry.messagesSent ? { messagesSent: entry.messagesSent } : {}),
          }
        : entry,
    ),
  };
}
