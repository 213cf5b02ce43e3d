/**
 * Bulk emails (nurture) the mailer held for the daily quota's reserve (ADR 0067, ports/mailer.ts MailHeld):
 * dropped, not retried, as a marketing tool's frequency cap skips a contact. Holding one never fails a wake
 * nor holds up the lead's other emails (a held email retried first by every wake would have kept a nurtured
 * lead from its handoff while the quota was short). The lead's timeline says which email was not sent, and why.
 */
import { inStoryOrder, type LeadState, type TimelineEntry, withTimeline } from '../domain/lead-state.ts';
import type { OutboxEntry } from '../domain/outbox.ts';
import { type LeadStore, updateLead } from '../ports/lead-store.ts';

/** The `msg` of the log line per held email: the NurtureHeld alarm's metric filter counts it (lib/alarms.ts). */
export const HELD_MESSAGE = 'bulk email held for the quota reserve: dropped';

/** A log line per held email. */
export function logHeld(leadId: string, key: string, why: string): void {
  console.warn(JSON.stringify({ level: 'warn', msg: HELD_MESSAGE, leadId, key, why }));
}

/**
 * The key a held email's note is recorded under when its claim recorded the email itself (ADR 0025): the
 * wake's write records it once, as it records a sent email by its key.
 */
export function heldKey(key: string): string {
  return `${key}:held`;
}

/**
 * The same for an email dropped because nobody is there to send it to any more (OutboxTargetMissing: the person
 * unsubscribed since it was planned, the rep left the SLA), or because what it says is no longer true (LeadMovedOn: a
 * ladder email sent late after the lead moved on): its claim's timeline entry says "sent", this one that it was not.
 */
export function droppedKey(key: string): string {
  return `${key}:dropped`;
}

/** An email the reserve held (`mail.quotaReserve`) or dropped (`outbox.dropped`), and why. */
export interface HeldEmail {
  readonly entry: OutboxEntry;
  readonly why: string;
  /** the reason's rule; default: the quota's reserve */
  readonly rule?: string;
}

/** the rule of an email dropped for want of its target, or moved past (outbox-delivery.ts OutboxTargetMissing) */
export const DROPPED_RULE = 'outbox.dropped';

/**
 * The timeline entry of an email not sent: `emailDropped`, with why (the quota's figures, the target gone, the lead
 * moved on).
 */
export function heldEntry(
  entry: Pick<OutboxEntry, 'what'>,
  at: Date,
  slaVersion: string,
  why: string,
  rule = 'mail.quotaReserve',
): TimelineEntry {
  return {
    at: at.toISOString(),
    kind: 'emailDropped',
    by: 'workflow',
    reasons: [{ rule, detail: `${entry.what}: not sent. ${why}` }],
    version: slaVersion,
  };
}

/**
 * Park's note of the emails the reserve held after its write (that write recorded them as sent, ADR 0025): an
 * `emailDropped` entry each, in a write of its own after the mark (a wake notes them with its next write
 * instead). Best effort: a note that cannot be written is logged; the emails are dropped either way (their
 * claim's mark confirms them, so no wake sends them). `also`: what the drops leave undone, in the same write (an
 * "Over to you" dropped: late-send.ts withTakeoversDropped).
 */
export async function noteHeld(
  store: LeadStore,
  lead: { readonly leadId: string; readonly cycle: number },
  held: readonly HeldEmail[],
  at: Date,
  also: (current: LeadState) => LeadState = (current) => current,
): Promise<void> {
  if (held.length === 0) return;
  const { leadId } = lead;
  await updateLead(store, leadId, (current) =>
    current.erasedAt || current.cycle !== lead.cycle
      ? undefined
      : // no earlier than the story this try commits on (ADR 0091, amended)
        inStoryOrder(
          current,
          withTimeline(
            { ...also(current), updatedAt: at.toISOString() },
            ...held.map(({ entry, why, rule }) => heldEntry(entry, at, current.slaVersion, why, rule)),
          ),
        ),
  ).catch((error: unknown) =>
    console.error(
      JSON.stringify({
        level: 'error',
        msg: 'held emails could not be noted on the timeline (they are dropped all the same)',
        leadId,
        error: error instanceof Error ? `${error.name}: ${error.message}` : String(error),
      }),
    ),
  );
}
