/**
 * Typeform's webhook signature: `sha256=` and the base64 HMAC-SHA256 of the exact body, with the webhook's
 * secret; the secret as configured may carry a line break it was pasted with.
 */
import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { isTypeformSigned } from '../../lambdas/api/typeform-signature.ts';

const BODY = Buffer.from('{"event_type":"form_response","form_response":{"answers":[]}}');
const SECRET = 'tf-secret-2026';
const sign = (body: Buffer | string, secret: string, digest: 'base64' | 'hex' = 'base64') =>
  `sha256=${createHmac('sha256', secret).update(body).digest(digest)}`;

describe('isTypeformSigned', () => {
  it.each<[string, string | undefined, string, boolean]>([
    ['the signature Typeform sends', sign(BODY, SECRET), SECRET, true],
    ['a secret configured with a line break after it', sign(BODY, SECRET), `${SECRET}\n`, true],
    ['another secret', sign(BODY, 'not-it'), SECRET, false],
    ['the signature of other bytes', sign(`${BODY} `, SECRET), SECRET, false],
    ['hex instead of base64', sign(BODY, SECRET, 'hex'), SECRET, false],
    ['no sha256= prefix', sign(BODY, SECRET).slice('sha256='.length), SECRET, false],
    ['no header', undefined, SECRET, false],
  ])('%s', (_case, header, secret, signed) => {
    expect(isTypeformSigned(BODY, header, secret)).toBe(signed);
  });
});
