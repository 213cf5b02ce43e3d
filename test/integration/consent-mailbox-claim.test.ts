/**
 * The mailbox claim of a confirmation email (ADR 0075) on DynamoDB (dynalite, the real adapter): a wake retried
 * after its claim landed (its lead write lost) claims it again and sends its one email; another request for the
 * same mailbox is not asked within the window, and is after it.
 */
import { describe, expect, it } from 'vitest';
import { DynamoDbLeadStore } from '../../lambdas/adapters/dynamodb-lead-store.ts';
import type { LeadState } from '../../lambdas/domain/lead-state.ts';
import { CONSENT_MAILBOX_WINDOW_MS } from '../../lambdas/domain/mailbox.ts';
import { requestConsent } from '../../lambdas/tasks/consent-request.ts';
import { useDynalite } from '../support/dynalite.ts';

const T0 = new Date('2026-11-30T08:00:00.000Z');
const lead = (email: string, requestId: string) =>
  ({
    email,
    consent: { mode: 'double', givenAt: T0.toISOString(), text: 'yes', requestId },
  }) as unknown as LeadState;

describe('one confirmation email per mailbox and window', () => {
  const dynalite = useDynalite();

  it.each([
    ['the same request, retried', 'me+1@example.org', 'request-1', T0, 'consent confirmation email'],
    [
      'another request within the window',
      'ME+2@example.org',
      'request-2',
      new Date(T0.getTime() + 60_000),
      /^no consent/,
    ],
    [
      'another request after the window',
      'me@example.org',
      'request-3',
      new Date(T0.getTime() + CONSENT_MAILBOX_WINDOW_MS),
      'consent confirmation email',
    ],
  ])('%s', async (_case, email, requestId, at, what) => {
    // Arrange: the first request's wake claimed the mailbox, and its lead write was lost
    const store = new DynamoDbLeadStore(dynalite.doc, { tableName: dynalite.tableName });
    await requestConsent(store, lead('me+1@example.org', 'request-1'), 'consent:request-1', T0);

    // Act
    const effect = await requestConsent(store, lead(email, requestId), `consent:${requestId}`, at);

    // Assert
    expect(effect.what).toMatch(what);
    expect(effect.email !== undefined).toBe(typeof what === 'string');
  });
});
