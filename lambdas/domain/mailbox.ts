/**
 * The mailbox an address reaches, as its mail provider reads it (ADR 0075): the one thing a double opt-in
 * confirmation email is limited by, so a form cannot be used to flood one inbox through its address's
 * spellings. Lower-cased whole (no provider LeadPact mails tells two mailboxes apart by case), a `+tag`
 * dropped (sub-addressing, RFC 5233: Gmail, Outlook, iCloud, Fastmail, Proton and most servers deliver
 * `me+x@` to `me@`), and for Gmail its dots and its other domain folded (`m.e@googlemail.com` is
 * `me@gmail.com`). Folding too much costs a second mailbox one confirmation email in a window, never more
 * emails to one.
 *
 * Pure: the claim's time is passed in.
 */
import { createHash } from 'node:crypto';

/** How long one mailbox is sent no second confirmation email: a day (ADR 0075). */
export const CONSENT_MAILBOX_WINDOW_MS = 24 * 3_600_000;

const GMAIL_DOMAINS = new Set(['gmail.com', 'googlemail.com']);

/** `Me.Name+news@GoogleMail.com` -> `mename@gmail.com`; an address without `@` is only lower-cased. */
export function mailboxOf(email: string): string {
  const address = email.trim().toLowerCase();
  const at = address.lastIndexOf('@');
  if (at < 0) return address;
  const domain = address.slice(at + 1);
  const local = address.slice(0, at).split('+')[0]!;
  return GMAIL_DOMAINS.has(domain) ? `${local.replaceAll('.', '')}@gmail.com` : `${local}@${domain}`;
}

/** The key a mailbox's claim is stored under: a hash of it, so the claim names no address. */
export function mailboxKey(email: string): string {
  return createHash('sha256').update('leadpact-mailbox.v1.').update(mailboxOf(email)).digest('base64url');
}

/**
 * One mailbox's claim of a confirmation email: the consent request it was sent for, and until when no other
 * request is sent one. The store writes it with one conditional put (LeadStore.claimConsentMailbox).
 */
export interface MailboxClaim {
  readonly mailbox: string;
  readonly requestId: string;
  /** ISO */
  readonly at: string;
  /** ISO: at + CONSENT_MAILBOX_WINDOW_MS */
  readonly until: string;
}

export function mailboxClaim(email: string, requestId: string, at: Date): MailboxClaim {
  return {
    mailbox: mailboxKey(email),
    requestId,
    at: at.toISOString(),
    until: new Date(at.getTime() + CONSENT_MAILBOX_WINDOW_MS).toISOString(),
  };
}

/**
 * Whether `claim` may take the mailbox from the one stored: none, its window over, or the same request's (a
 * retried wake takes its own claim again). The condition of the store's put, for a store without conditions.
 */
export function mayClaimMailbox(stored: MailboxClaim | undefined, claim: MailboxClaim): boolean {
  return stored === undefined || stored.until <= claim.at || stored.requestId === claim.requestId;
}
