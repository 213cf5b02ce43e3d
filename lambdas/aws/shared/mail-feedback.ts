/**
 * SES bounce and complaint events for the configuration set (EventBridge, or SNS: the record is the
 * same) mark the lead's email undeliverable, so the workflow sends it nothing more (lead-plan.ts checks
 * `undeliverable` before every nurture email). The lead comes from the `leadId` tag the notifier puts on
 * every email (email-notifier.ts); the lead is marked only if the address that bounced is the lead's
 * own: reps' emails carry the lead's tag too, and a rep's bouncing address is an ops problem, logged.
 */
import { normaliseEmail } from '../../domain/lead-id.ts';
import type { Clock } from '../../ports/clock.ts';
import { type LeadStore, updateLead, withTimeline } from '../../ports/lead-store.ts';

/** The SES event record (event publishing), the fields used here. */
export interface SesEventRecord {
  /** event publishing: Bounce, Complaint, ...; SNS feedback notifications call it notificationType */
  readonly eventType?: string;
  readonly notificationType?: string;
  readonly bounce?: {
    readonly bounceType?: string;
    readonly bounceSubType?: string;
    readonly bouncedRecipients?: readonly { readonly emailAddress?: string }[];
  };
  readonly complaint?: {
    readonly complaintFeedbackType?: string;
    readonly complainedRecipients?: readonly { readonly emailAddress?: string }[];
  };
  readonly mail?: { readonly tags?: Readonly<Record<string, readonly string[] | undefined>> };
}

export type FeedbackOutcome =
  | 'marked'
  | 'already-marked'
  | 'not-the-lead'
  | 'transient'
  | 'no-lead-tag'
  | 'lead-gone'
  | 'ignored';

export interface FeedbackDeps {
  readonly store: LeadStore;
  readonly clock: Clock;
}

export async function applyMailFeedback(
  deps: FeedbackDeps,
  record: SesEventRecord,
): Promise<FeedbackOutcome> {
  const kind = record.eventType ?? record.notificationType;
  const leadId = record.mail?.tags?.leadId?.[0];
  const emailKind = record.mail?.tags?.kind?.[0];
  const outcome = await apply(deps, record, kind, leadId);
  // no addresses in logs: the lead id is a keyed hash, the kind says which email it was
  console.info(
    JSON.stringify({ level: 'info', msg: 'ses feedback', event: kind, emailKind, leadId, outcome }),
  );
  if (outcome === 'not-the-lead') {
    console.warn(
      JSON.stringify({
        level: 'warn',
        msg: 'an email to a rep, manager or ops address bounced or was reported as spam: check the addresses in the SLA',
        event: kind,
        emailKind,
      }),
    );
  }
  return outcome;
}

async function apply(
  deps: FeedbackDeps,
  record: SesEventRecord,
  kind: string | undefined,
  leadId: string | undefined,
): Promise<FeedbackOutcome> {
  let recipients: readonly { readonly emailAddress?: string }[];
  let rule: string;
  let detail: string;
  if (kind === 'Bounce') {
    // only a permanent bounce says the address is dead; SES retries transient ones itself
    if (record.bounce?.bounceType !== 'Permanent') return 'transient';
    recipients = record.bounce.bouncedRecipients ?? [];
    rule = 'mail.bounce';
    detail = `permanent bounce${record.bounce.bounceSubType ? ` (${record.bounce.bounceSubType})` : ''}`;
  } else if (kind === 'Complaint') {
    recipients = record.complaint?.complainedRecipients ?? [];
    rule = 'mail.complaint';
    detail = 'the recipient reported the email as spam';
  } else {
    return 'ignored';
  }
  if (!leadId) return 'no-lead-tag';
  const addresses = new Set(
    recipients.flatMap((r) => (r.emailAddress ? [normaliseEmail(r.emailAddress)] : [])),
  );

  let outcome: FeedbackOutcome = 'lead-gone';
  await updateLead(deps.store, leadId, (current) => {
    if (current.erasedAt || !current.email) {
      outcome = 'lead-gone';
      return undefined;
    }
    if (!addresses.has(normaliseEmail(current.email))) {
      outcome = 'not-the-lead';
      return undefined;
    }
    if (current.undeliverable) {
      outcome = 'already-marked';
      return undefined;
    }
    outcome = 'marked';
    const at = deps.clock.now().toISOString();
    return withTimeline(
      { ...current, undeliverable: true, updatedAt: at },
      { at, kind: 'undeliverable', by: 'system:ses', reasons: [{ rule, detail }] },
    );
  });
  return outcome;
}
