/**
 * Typeform's webhook signature: `Typeform-Signature: sha256=<base64 HMAC-SHA256 of the raw body>`, keyed
 * with the secret set on the webhook in Typeform (Connect > Webhooks > Edit > Secret).
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export const TYPEFORM_SIGNATURE_HEADER = 'typeform-signature';

/** The signature header's value for `body`: what Typeform sends, and what tests and the docs' curl send. */
export function typeformSignature(body: Buffer | string, secret: string): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('base64')}`;
}

/**
 * true when `header` is the signature of exactly these bytes with this secret (compared in constant time).
 * The secret as configured is trimmed: a value pasted into Secrets Manager or an environment variable with a
 * line break after it would refuse every post (Typeform's own field keeps no surrounding spaces).
 */
export function isTypeformSigned(body: Buffer, header: string | undefined, secret: string): boolean {
  if (!header) return false;
  const expected = Buffer.from(typeformSignature(body, secret.trim()));
  const given = Buffer.from(header.trim());
  return given.length === expected.length && timingSafeEqual(given, expected);
}
