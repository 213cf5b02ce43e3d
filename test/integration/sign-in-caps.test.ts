/**
 * The console's sign-in email caps (console/sign-in.ts claimSignInEmail) on the DynamoDB ledger, on
 * dynalite: one email per person a minute, SIGN_IN_EMAILS_PER_HOUR a clock hour, SIGN_IN_EMAILS_PER_DAY a
 * UTC day. What an ask costs once the caps are full (a stranger keeps asking: it must stay a few requests),
 * and that asks in parallel never pass a cap.
 */
import { describe, expect, it } from 'vitest';
import { DynamoDbSignInLedger } from '../../lambdas/adapters/dynamodb-sign-in-ledger.ts';
import {
  claimSignInEmail,
  SIGN_IN_EMAILS_PER_DAY,
  SIGN_IN_EMAILS_PER_HOUR,
} from '../../lambdas/api/console/sign-in.ts';
import { useDynalite } from '../support/dynalite.ts';

const dynalite = useDynalite();
const LENA = { role: 'rep', id: 'lena' };
const DAY = Date.parse('2026-12-01T00:00:00.000Z');
const MINUTE = 60_000;
const at = (minute: number) => new Date(DAY + minute * MINUTE);
/** the most requests an ask may cost: the minute's claim, the hour's and the day's counters, a read */
const MOST_REQUESTS_PER_ASK = 4;

describe('sign-in email caps on DynamoDB', () => {
  it('an ask costs a few requests, however full the caps are', async () => {
    // Arrange: the day's emails sent in its first hours (20, 20, 10), then one ask a minute in the next hour
    const ledger = new DynamoDbSignInLedger(dynalite.doc, dynalite.tableName);
    const minutes = [
      ...Array.from({ length: 20 }, (_, i) => i),
      ...Array.from({ length: 20 }, (_, i) => 60 + i),
      ...Array.from({ length: 10 }, (_, i) => 120 + i),
    ];
    for (const minute of minutes) expect(await claimSignInEmail(ledger, LENA, at(minute))).toBe(true);

    // Act: every minute of the fourth hour, the requests each ask sends
    const costs: number[] = [];
    for (let minute = 180; minute < 240; minute++) {
      dynalite.resetRecording();
      expect(await claimSignInEmail(ledger, LENA, at(minute))).toBe(false);
      costs.push(dynalite.commands.length);
    }

    // Assert
    expect(Math.max(...costs)).toBeLessThanOrEqual(MOST_REQUESTS_PER_ASK);
  });

  it('80 asks in parallel, each in its own minute of one hour: exactly the hour’s cap pass', async () => {
    // Arrange
    const ledger = new DynamoDbSignInLedger(dynalite.doc, dynalite.tableName);

    // Act
    const granted = await Promise.all(
      Array.from({ length: 80 }, (_, i) => claimSignInEmail(ledger, LENA, at((i * 7) % 60))),
    );

    // Assert: 60 distinct minutes (7 and 60 are coprime), so 60 asks compete for the hour's 20
    expect(granted.filter(Boolean)).toHaveLength(SIGN_IN_EMAILS_PER_HOUR);
  });

  it('96 asks in parallel, four in each hour of a UTC day: exactly the day’s cap pass', async () => {
    // Arrange
    const ledger = new DynamoDbSignInLedger(dynalite.doc, dynalite.tableName);

    // Act
    const granted = await Promise.all(
      Array.from({ length: 96 }, (_, i) =>
        claimSignInEmail(ledger, LENA, at(Math.floor(i / 4) * 60 + (i % 4))),
      ),
    );

    // Assert
    expect(granted.filter(Boolean)).toHaveLength(SIGN_IN_EMAILS_PER_DAY);
    // and the next day starts afresh
    expect(await claimSignInEmail(ledger, LENA, at(24 * 60))).toBe(true);
  });

  it('80 asks in parallel in one minute: one passes', async () => {
    // Arrange
    const ledger = new DynamoDbSignInLedger(dynalite.doc, dynalite.tableName);

    // Act
    const granted = await Promise.all(
      Array.from({ length: 80 }, () => claimSignInEmail(ledger, LENA, at(5))),
    );

    // Assert
    expect(granted.filter(Boolean)).toHaveLength(1);
  });
});
