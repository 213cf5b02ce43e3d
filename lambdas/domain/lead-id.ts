import { createHmac } from 'node:crypto';

/** The one spelling of an email LeadPact keys on: trimmed, lower-cased. */
export function normaliseEmail(email: string): string {
  return email.trim().toLowerCase();
}

/**
 * leadId = HMAC-SHA256(deployment secret, normalised email), 128 bits in base64url (22 chars):
 * the same person is the same lead, found without a scan, and the id reveals nothing.
 */
export function leadIdFor(email: string, secret: string): string {
  return createHmac('sha256', secret).update(normaliseEmail(email)).digest('base64url').slice(0, 22);
}

export const LEAD_ID_PATTERN = /^[A-Za-z0-9_-]{22}$/;
