/**
 * The SignInLedger contract (ports/sign-in-ledger.ts), for the DynamoDB adapter on dynalite and the
 * in-memory twin: single-use nonces, sessions opened, ended one at a time or all of a person's at once,
 * and the revocation time, sign-in email counts. No Scan, and only the console function's grants (Get, Put,
 * Query, Update).
 */
import { describe, expect, it } from 'vitest';
import { DynamoDbSignInLedger } from '../../lambdas/adapters/dynamodb-sign-in-ledger.ts';
import { MemorySignInLedger, type SignInLedger } from '../../lambdas/ports/sign-in-ledger.ts';
import { useDynalite } from '../support/dynalite.ts';

const JONAS = { role: 'rep', id: 'jonas' };
const LENA = { role: 'rep', id: 'lena' };
const KATRIN_AS_MANAGER = { role: 'manager', id: 'katrin' };
const LATER = '2026-12-03T12:00:00.000Z';
const NOW = '2026-12-03T00:00:00.000Z';

const implementations: [string, () => { make: () => SignInLedger; commands?: () => string[] }][] = [
  [
    'dynamodb',
    () => {
      const dynalite = useDynalite();
      return {
        make: () => new DynamoDbSignInLedger(dynalite.doc, dynalite.tableName),
        commands: () => dynalite.commandNames(),
      };
    },
  ],
  ['memory', () => ({ make: () => new MemorySignInLedger() })],
];

describe.each(implementations)('SignInLedger contract: %s', (_name, setup) => {
  const implementation = setup();

  it('a nonce is claimed once', async () => {
    const ledger = implementation.make();
    expect(await ledger.claim('nonce-0000000000000001', LATER)).toBe('claimed');
    expect(await ledger.claim('nonce-0000000000000001', LATER)).toBe('used');
    expect(await ledger.claim('nonce-0000000000000002', LATER)).toBe('claimed');
  });

  it('says whether a nonce was claimed, without claiming it', async () => {
    const ledger = implementation.make();
    expect(await ledger.wasClaimed('nonce-0000000000000003')).toBe(false);
    expect(await ledger.wasClaimed('nonce-0000000000000003')).toBe(false);
    expect(await ledger.claim('nonce-0000000000000003', LATER)).toBe('claimed');
    expect(await ledger.wasClaimed('nonce-0000000000000003')).toBe(true);
  });

  it('a session is live once opened, until it is ended; an unknown one never is', async () => {
    const ledger = implementation.make();
    expect(await ledger.sessionLive(JONAS, 'session-a')).toBe(false);
    await ledger.openSession(JONAS, 'session-a', LATER);
    expect(await ledger.sessionLive(JONAS, 'session-a')).toBe(true);
    // the same id under another person is not theirs
    expect(await ledger.sessionLive(LENA, 'session-a')).toBe(false);
    await ledger.endSession(JONAS, 'session-a', NOW);
    expect(await ledger.sessionLive(JONAS, 'session-a')).toBe(false);
    // an ended session is not reopened
    await ledger.openSession(JONAS, 'session-a', LATER);
    expect(await ledger.sessionLive(JONAS, 'session-a')).toBe(false);
    // ending what was never opened is harmless and opens nothing
    await ledger.endSession(JONAS, 'session-z', NOW);
    expect(await ledger.sessionLive(JONAS, 'session-z')).toBe(false);
  });

  it('revoking a person ends all of their open sessions, counts them, and records when', async () => {
    const ledger = implementation.make();
    for (const id of ['s1', 's2', 's3']) await ledger.openSession(JONAS, id, LATER);
    await ledger.endSession(JONAS, 's3', NOW);
    await ledger.openSession(LENA, 's4', LATER);
    await ledger.openSession(KATRIN_AS_MANAGER, 's5', LATER);
    expect(await ledger.revokedAt(JONAS)).toBeUndefined();
    expect(await ledger.revokePerson(JONAS, NOW)).toBe(2);
    for (const id of ['s1', 's2', 's3']) expect(await ledger.sessionLive(JONAS, id)).toBe(false);
    expect(await ledger.sessionLive(LENA, 's4')).toBe(true);
    expect(await ledger.sessionLive(KATRIN_AS_MANAGER, 's5')).toBe(true);
    expect(await ledger.revokedAt(JONAS)).toBe(NOW);
    expect(await ledger.revokedAt(LENA)).toBeUndefined();
    // a session opened after the revocation is live; revoking again ends it and moves the time
    await ledger.openSession(JONAS, 's6', LATER);
    expect(await ledger.sessionLive(JONAS, 's6')).toBe(true);
    expect(await ledger.revokePerson(JONAS, LATER)).toBe(1);
    expect(await ledger.revokedAt(JONAS)).toBe(LATER);
    if (implementation.commands)
      expect(new Set(implementation.commands())).toEqual(
        new Set(['PutItemCommand', 'GetItemCommand', 'QueryCommand']),
      );
  });

  it('a window counts sign-in emails up to its cap, per person and window; the same ask counts once', async () => {
    // Arrange
    const ledger = implementation.make();
    const count = (person: typeof JONAS, window: string, ask: string) =>
      ledger.countEmail(person, window, 2, ask, LATER);

    // Act
    const answers = [
      await count(JONAS, 'h1', 'ask-1'),
      // a retry of the ask just counted (its first answer lost): counted once
      await count(JONAS, 'h1', 'ask-1'),
      await count(JONAS, 'h1', 'ask-2'),
      await count(JONAS, 'h1', 'ask-2'),
      await count(JONAS, 'h1', 'ask-3'),
      await count(JONAS, 'h2', 'ask-4'),
      await count(LENA, 'h1', 'ask-5'),
    ];

    // Assert
    expect(answers).toEqual(['counted', 'counted', 'counted', 'counted', 'full', 'counted', 'counted']);
    if (implementation.commands)
      expect(new Set(implementation.commands())).toEqual(new Set(['UpdateItemCommand', 'GetItemCommand']));
  });

  it('of 60 asks counted at once, exactly the cap count', async () => {
    // Arrange
    const ledger = implementation.make();

    // Act
    const answers = await Promise.all(
      Array.from({ length: 60 }, (_, i) => ledger.countEmail(JONAS, 'd1', 20, `ask-${i}`, LATER)),
    );

    // Assert
    expect(answers.filter((answer) => answer === 'counted')).toHaveLength(20);
  });
});
