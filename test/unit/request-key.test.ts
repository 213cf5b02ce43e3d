/**
 * keyedOnce (request-key.ts, ADR 0047): a key is the caller's own, the same key with another request is a
 * 422 naming the header, and a lead keeps its latest APPLIED_REQUESTS_CAP keyed requests (oldest dropped).
 */
import { describe, expect, it } from 'vitest';
import { HttpError } from '../../lambdas/api/http.ts';
import { keyedOnce } from '../../lambdas/api/request-key.ts';
import { APPLIED_REQUESTS_CAP, type LeadState, newLeadState } from '../../lambdas/domain/lead-state.ts';
import { loadDefaultSla } from '../support/sla.ts';

const NOW = new Date('2026-11-30T09:00:00.000Z');
const lead: LeadState = newLeadState(
  loadDefaultSla(),
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
});
