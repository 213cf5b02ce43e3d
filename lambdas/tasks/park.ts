/**
 * The Park task: store the execution's task token on the lead, so an API handler that changes the lead
 * can wake it (SendTaskSuccess), with the park's deadline as the lead's due time.
 *
 * After a wake that changed the lead (StepPayload.planned, ADR 0025) that is the round's one write: the
 * change, the emails it claims (recorded as sent), the token and the deadline, one conditional PutItem on
 * the version the wake read. Then the claimed emails go out and one small item marks the claim sent
 * (LeadStore.markSent), which the next wake reads in its one Query. If the lead changed since the wake
 * read it, nothing is written or sent: answer 'changed' and the caller resumes at once.
 *
 * Otherwise (a wake that changed nothing, Handoff) one conditional update stores token and deadline and
 * records the emails the task before it sent (ADR 0020's "mark sent").
 */
import { withTakeoversDropped } from '../domain/late-send.ts';
import { withLiveSentKeys } from '../domain/lead-plan.ts';
import {
  inStoryOrder,
  type LeadState,
  storyLength,
  withoutSignal,
  withTimeline,
} from '../domain/lead-state.ts';
import { type OutboxEntry, withoutSent } from '../domain/outbox.ts';
import { withSendsRefused } from '../domain/refused-send.ts';
import { type ParkOutcome, updateLead } from '../ports/lead-store.ts';
import { isMailHeld } from '../ports/mailer.ts';
import type { TaskDeps } from './deps.ts';
import { messagesSentBefore } from './email-notifier.ts';
import { DROPPED_RULE, type HeldEmail, logHeld, noteHeld } from './held-mail.ts';
import { markSentRetried } from './mark-sent.ts';
import { deliver, OutboxTargetMissing } from './outbox-delivery.ts';
import type { ParkInput, PlannedWrite } from './payload.ts';

export type { ParkOutcome } from '../ports/lead-store.ts';

export type ParkDeps = Pick<TaskDeps, 'store' | 'clock'> & Partial<Pick<TaskDeps, 'sla' | 'notifier'>>;

export async function park(deps: ParkDeps, input: ParkInput): Promise<ParkOutcome> {
  // the deadline is indexed: should this park be lost (a crash, a purged execution), the
  // reconciler finds the lead due with no live execution and restarts it
  const now = deps.clock.now();
  const dueAt = new Date(now.getTime() + input.waitSeconds * 1000).toISOString();
  if (input.planned) return parkPlanned(deps, input, input.planned, dueAt, now);
  return deps.store.parkLead({
    leadId: input.leadId,
    cycle: input.cycle,
    expectedVersion: input.version,
    waitToken: input.taskToken,
    dueAt,
    ...(input.generation === undefined ? {} : { generation: input.generation }),
    sent: input.sent ?? [],
  });
}

async function parkPlanned(
  deps: ParkDeps,
  input: ParkInput,
  planned: PlannedWrite,
  dueAt: string,
  now: Date,
): Promise<ParkOutcome> {
  const { store } = deps;
  const marks = input.sent ?? [];
  // the version read, as far as the timeline goes: only what it held may move off the state (ADR 0021)
  const stored: LeadState = {
    ...planned.state,
    timeline: planned.state.timeline.slice(0, planned.committed),
  };
  // every entry the wake's change adds (stamped with its round's time, and the sends recorded here) no earlier than
  // the story the write commits on: a handover moved past that time comes before them (ADR 0091, amended)
  const base = inStoryOrder(
    stored,
    marks.length
      ? withTimeline(
          { ...planned.state, sent: [...planned.state.sent, ...marks.map((email) => email.key)] },
          ...marks.map((email) => email.entry),
        )
      : planned.state,
  );
  const state: LeadState = {
    ...withLiveSentKeys(withoutSent(withoutSignal(base))),
    waitToken: input.taskToken,
    dueAt,
    ...(input.generation === undefined ? {} : { generation: input.generation }),
    updatedAt: now.toISOString(),
    version: input.version + 1,
  };
  const claimed = planned.claim
    ? (state.outbox ?? []).filter((entry) => entry.recorded && entry.claim === planned.claim)
    : [];
  // with emails to send, the write's report facts go with their mark, after the sends (one request)
  const options = claimed.length > 0 ? { observeWithMark: true } : undefined;
  /** the write the mark tells its observers of (its facts: the entries added since the version read) */
  const written = { state, since: storyLength(stored) };
  let resume = false;
  if ((await store.saveLead(state, input.version, stored, options)) === 'conflict') {
    // our own write whose answer was lost (the SDK's retry then fails its condition) holds our token, or
    // our claims: an API handler may have taken the token since (its signal), but the claims stay until
    // their mark, and they are ours to send now (else they wait out the lease)
    const current = await store.getLead(input.leadId);
    const ownToken = current?.waitToken === input.taskToken;
    const ownClaims =
      planned.claim !== undefined && (current?.outbox ?? []).some((entry) => entry.claim === planned.claim);
    if (!ownToken && !ownClaims) {
      // nothing of ours was written; the emails the wake sent before this park went out all the same:
      // record them (parkLead's write on a version that moved on records them, once), else the next
      // wake sends them again once their claim's lease is over
      if (marks.length > 0)
        await store.parkLead({
          leadId: input.leadId,
          cycle: input.cycle,
          expectedVersion: input.version,
          waitToken: input.taskToken,
          dueAt,
          sent: marks,
        });
      return 'changed';
    }
    // the token was taken (a signal, a change): the execution resumes at once, after the sends
    resume = !ownToken;
    // an earlier attempt of this task sent them and marked them (its answer to Step Functions was lost, and
    // the Retry invoked it again with a new token): sent once is enough
    if (ownClaims && !ownToken && (await store.isMarkedSent(input.leadId, planned.claim!))) return 'changed';
  }
  if (claimed.length === 0) return resume ? 'changed' : 'parked';
  const { failed, held } = await sendClaimed(deps, state, claimed);
  // held for the daily quota's reserve (ADR 0067): dropped, each noted after the entry its claim recorded, once
  // the claim is marked (the note is a write of its own: a crash before the mark would send the others again)
  // an "Over to you" dropped at its send told its manager nothing: the same write says the lead is not over to them
  const dropped = held.filter((one) => one.rule === DROPPED_RULE).map((one) => one.entry);
  const { sla } = deps;
  const noteTheHeld = () =>
    noteHeld(store, state, held, now, (current) =>
      sla ? withTakeoversDropped(sla, current, dropped, now) : current,
    );
  if (failed.length === 0) {
    await markSentRetried(deps.store, input.leadId, planned.claim!, now.toISOString(), written);
    await noteTheHeld();
    return resume ? 'changed' : 'parked';
  }
  // a send failed: mark it (under a claim of its own, so the mark below confirms only the others) for
  // the next wake to send at once, and wake now. On the lead as it is now (an API handler may have written
  // since this park's write; and its timeline as stored, its oldest entries moved off): should the write
  // keep losing, nothing is marked and the next wake sends every claim again once the lease is over (a copy
  // rather than a loss)
  const failedByKey = new Map(failed.map((entry) => [entry.key, entry]));
  const saved = await updateLead(store, input.leadId, (current) => {
    if (!(current.outbox ?? []).some((entry) => entry.claim === planned.claim)) return undefined;
    const outbox = (current.outbox ?? []).map((entry) => {
      const sending = entry.claim === planned.claim ? failedByKey.get(entry.key) : undefined;
      if (!sending) return entry;
      return {
        ...entry,
        failed: true,
        claim: `${entry.claim}:failed`,
        ...(sending.messagesSent ? { messagesSent: sending.messagesSent } : {}),
      };
    });
    // their entries this park's write put on the timeline as sent say "not sent yet" (ADR 0080)
    return inStoryOrder(current, withSendsRefused({ ...current, outbox }, new Set(failedByKey.keys()), now));
  }).catch(() => undefined);
  // the park's write was saved with its facts left for this mark (observeWithMark): they go with it (the
  // failure's write added no entries, so it told none of them)
  // (unmarked, every claim is sent again after the lease, the held ones tried again then: no note yet)
  if (saved?.result === 'saved') {
    await markSentRetried(deps.store, input.leadId, planned.claim!, now.toISOString(), written);
    await noteTheHeld();
  }
  return 'changed';
}

/**
 * Sends each claimed email; answers those whose send failed (a target the SLA lost counts as done) and those
 * the daily quota's reserve held (done too: dropped, ADR 0067).
 */
async function sendClaimed(
  deps: ParkDeps,
  lead: LeadState,
  claimed: readonly OutboxEntry[],
): Promise<{ failed: OutboxEntry[]; held: HeldEmail[] }> {
  const { sla, notifier } = deps;
  if (!sla || !notifier) throw new Error('park: a planned write with emails needs the SLA and the notifier');
  const failed: OutboxEntry[] = [];
  const held: HeldEmail[] = [];
  for (const entry of claimed) {
    try {
      await deliver({ ...deps, sla, notifier }, lead, entry.email, entry.key, entry.messagesSent);
    } catch (error) {
      // dropped (nobody to send it to any more, or a ladder email the lead moved past since this park's write:
      // LeadMovedOn): noted after the entry its claim recorded as sent, as a held one is
      if (error instanceof OutboxTargetMissing) {
        held.push({ entry, why: error.message, rule: DROPPED_RULE });
        continue;
      }
      if (isMailHeld(error)) {
        logHeld(lead.leadId, entry.key, error.message);
        held.push({ entry, why: error.message });
        continue;
      }
      console.error(
        JSON.stringify({ level: 'warn', msg: 'park: send failed', key: entry.key, error: String(error) }),
      );
      // its messages that went out before the failure are not sent again (a reassignment's first)
      const messagesSent = messagesSentBefore(error);
      failed.push(messagesSent > (entry.messagesSent ?? 0) ? { ...entry, messagesSent } : entry);
    }
  }
  return { failed, held };
}
