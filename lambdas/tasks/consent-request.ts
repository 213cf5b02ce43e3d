/**
 * Double opt-in's one confirmation email of a consent request (domain/consent.ts), claimed with the mailbox
 * it reaches (domain/mailbox.ts, ADR 0075): one conditional put of the mailbox's own item before the lead's
 * write claims the email. A mailbox sent one for another request within the window (`me+1@`, `me+2@`... on
 * leads of their own) is not sent another: the lead's record says it was not asked, and why. A wake retried
 * (its lead write lost, or conflicting) claims the mailbox again for the same request: the put lets it.
 */
import { askedToConfirm, notAskedForMailbox } from '../domain/consent.ts';
import type { LeadState } from '../domain/lead-state.ts';
import { mailboxClaim } from '../domain/mailbox.ts';
import type { OutboxEmail } from '../domain/outbox.ts';
import type { LeadStore } from '../ports/lead-store.ts';

export interface ConsentRequestEffect {
  readonly what: string;
  readonly apply: (state: LeadState) => LeadState;
  readonly email?: { readonly key: string; readonly email: OutboxEmail };
}

export async function requestConsent(
  store: Pick<LeadStore, 'claimConsentMailbox'>,
  lead: LeadState,
  key: string,
  now: Date,
): Promise<ConsentRequestEffect> {
  const request = lead.consent;
  // the notifier sends nothing to a lead without an address or a record: no mailbox to spend
  const claim = request && lead.email ? mailboxClaim(lead.email, request.requestId, now) : undefined;
  if (claim && (await store.claimConsentMailbox(claim)) === 'taken') {
    return {
      what: 'no consent confirmation email: its mailbox was sent one for another request in the last 24 hours',
      apply: (current) =>
        current.consent?.requestId === claim.requestId
          ? { ...current, consent: notAskedForMailbox(current.consent, now) }
          : current,
    };
  }
  return {
    what: 'consent confirmation email',
    email: { key, email: { type: 'consentRequest' } },
    // its link lives from now (the email is claimed in this write), not from the post weeks ago
    apply: (current) =>
      current.consent ? { ...current, consent: askedToConfirm(current.consent, now) } : current,
  };
}
