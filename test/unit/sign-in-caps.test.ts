/**
 * The console's sign-in email caps (console/sign-in.ts claimSignInEmail): the minute's a claim, the hour's and
 * the day's counts in the sign-in ledger, and a claim's or a count's expiresAt says when it may be deleted
 * (ports/sign-in-ledger.ts). Each must be kept until its window ends, or a cleanup that honours expiresAt
 * frees it within the window.
 */
import { describe, expect, it } from 'vitest';
import { claimSignInEmail } from '../../lambdas/api/console/sign-in.ts';
import { MemorySignInLedger, type PersonKey } from '../../lambdas/ports/sign-in-ledger.ts';

/** A ledger that records what each claim and count asked to keep until. */
class RecordingLedger extends MemorySignInLedger {
  readonly claims: { nonce: string; expiresAt: string }[] = [];
  override async claim(nonce: string, expiresAt?: string): Promise<'claimed' | 'used'> {
    this.claims.push({ nonce, expiresAt: expiresAt ?? '' });
    return super.claim(nonce);
  }
  override async countEmail(
    person: PersonKey,
    window: string,
    cap: number,
    ask: string,
    expiresAt = '',
  ): Promise<'counted' | 'full'> {
    this.claims.push({ nonce: window, expiresAt });
    return super.countEmail(person, window, cap, ask);
  }
}

describe('sign-in email caps', () => {
  it('keep each claim and count until the end of its window: the minute, the clock hour, the UTC day', async () => {
    // Arrange
    const ledger = new RecordingLedger();
    const now = new Date('2026-12-05T07:42:31.000Z');

    // Act
    const allowed = await claimSignInEmail(ledger, { role: 'rep', id: 'jonas' }, now);

    // Assert
    expect(allowed).toBe(true);
    expect(ledger.claims.map((claim) => claim.expiresAt)).toEqual([
      '2026-12-05T07:43:00.000Z',
      '2026-12-05T08:00:00.000Z',
      '2026-12-06T00:00:00.000Z',
    ]);
  });
});
