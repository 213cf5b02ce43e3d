/**
 * keyedOnce (request-key.ts, ADR 0047): a key is the caller's own, the same key with another request is a
 * 422 naming the header, and a lead keeps its latest APPLIED_REQUESTS_CAP keyed requests (oldest dropped).
 */
import { describe, expect, it } from 'vitest';
import { HttpError, type HttpEvent } from '../../lambdas/api/http.ts';
import { idempotencyKeyOnce, keyedOnce } from '../../lambdas/api/request-key.ts';
import { viewerOf } from '../../lambdas/api/viewer.ts';
import { APPLIED_REQUESTS_CAP, type LeadState, newLeadState } from '../../lambdas/domain/lead-state.ts';
import { loadDefaultSla } from '../support/sla.ts';

const NOW = new Date('2026-11-30T09:00:00.000Z');
const sla = loadDefaultSla();
const lead: LeadState = newLeadState(
  sla,
  { leadId: 'key'.padEnd(22, 'x'), email: 'key@plant.example', fields: {}, marketingConsent: false },
  [],
  NOW,
  'form',
);
const applied = keyedOnce('api:crm', 'k-1', 'PATCH status {"status":"connected"}', NOW).mark(lead);

describe('keyedOnce', () => {
  it.each([
    ['the same caller, key and request', 'api:crm', 'k-1', 'PATCH status {"status":"connected"}', true],
    ['another caller with the same key', 'rep:jonas', 'k-1', 'PATCH status {"status":"connected"}', false],
    ['the same caller with another key', 'api:crm', 'k-2', 'PATCH status {"status":"connected"}', false],
  ])('%s: done is %s', (_, by, key, request, done) => {
    // Arrange
    const once = keyedOnce(by, key, request, NOW);

    // Act
    const found = once.done(applied);

    // Assert
    expect(found).toBe(done);
    expect(once.replayed).toBe(done);
  });

  it('the same caller and key with another request: 422 naming the header', () => {
    // Arrange
    const once = keyedOnce('api:crm', 'k-1', 'PATCH status {"status":"unqualified"}', NOW);

    // Act
    const asking = () => once.done(applied);

    // Assert
    expect(asking).toThrow(HttpError);
    try {
      asking();
    } catch (error) {
      expect((error as HttpError).status).toBe(422);
      expect((error as HttpError).fields.map((field) => field.path)).toEqual(['Idempotency-Key']);
    }
  });

  it(`keeps the latest ${APPLIED_REQUESTS_CAP} keyed requests of a lead`, () => {
    // Arrange
    let state = lead;

    // Act
    for (let i = 0; i <= APPLIED_REQUESTS_CAP; i++)
      state = keyedOnce('api:crm', `k-${i}`, 'r', NOW).mark(state);

    // Assert
    expect(state.appliedRequests).toHaveLength(APPLIED_REQUESTS_CAP);
    expect(keyedOnce('api:crm', 'k-0', 'r', NOW).done(state)).toBe(false);
    expect(keyedOnce('api:crm', `k-${APPLIED_REQUESTS_CAP}`, 'r', NOW).done(state)).toBe(true);
    expect(keyedOnce('api:crm', 'k-1', 'r', NOW).done(state)).toBe(true);
  });

  describe('an IAM caller (API Gateway gives its ARN: an assumed role names its session)', () => {
    const ROUTE = 'PATCH /leads/{id}/status';
    const INPUT = { status: 'bad-timing' };
    /** the keyed once of a request signed by `userArn`, with the caller's `by` as the handler finds it */
    const onceOf = (userArn: string) => {
      const event = {
        headers: { 'Idempotency-Key': 'sync-4711' },
        requestContext: { authorizer: { iam: { userArn } } },
      } as unknown as HttpEvent;
      return idempotencyKeyOnce(event, ROUTE, viewerOf(sla, event).by, INPUT, NOW)!;
    };
    const CRM_TASK_1 = 'arn:aws:sts::111122223333:assumed-role/crm-sync/5f1e0c7a9b2d4e6f';
    const appliedByCrm = onceOf(CRM_TASK_1).mark(lead);

    it.each([
      ['the same role in the same session', true, CRM_TASK_1],
      // credentials renewed, the task restarted: the retry of the same integration is signed in a new session
      [
        'the same role in another session',
        true,
        'arn:aws:sts::111122223333:assumed-role/crm-sync/0a8c3e1d7f4b9a2c',
      ],
      [
        'another role (another integration)',
        false,
        'arn:aws:sts::111122223333:assumed-role/tracker/5f1e0c7a9b2d4e6f',
      ],
      [
        'the same role name in another account',
        false,
        'arn:aws:sts::444455556666:assumed-role/crm-sync/5f1e0c7a9b2d4e6f',
      ],
      ['an IAM user', false, 'arn:aws:iam::111122223333:user/crm-sync'],
    ])('%s: a replay is %s', (_, replay, userArn) => {
      // Arrange
      const once = onceOf(userArn);

      // Act
      const found = once.done(appliedByCrm);

      // Assert
      expect(found).toBe(replay);
    });
  });
});
