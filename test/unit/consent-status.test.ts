/**
 * Where a double opt-in request stands (domain/consent.ts consentStatus): its link lives 30 days from its email,
 * which goes when the lead first comes to nurture (at once for a nurture lead, later for one that went to sales).
 */
import { describe, expect, it } from 'vitest';
import {
  type ConsentRecord,
  confirmationKey,
  consentModeOf,
  consentStatus,
  linkExpiresAt,
  mergeConsent,
} from '../../lambdas/domain/consent.ts';
import { guideOnSingleOptIn, loadDefaultSla } from '../support/sla.ts';

const GIVEN = '2026-11-01T09:00:00.000Z';
const request: ConsentRecord = {
  mode: 'double',
  givenAt: GIVEN,
  text: 'Send me useful content',
  requestId: 'r1',
};
const day = (n: number) => new Date(Date.parse(GIVEN) + n * 86_400_000);
const SENT = [confirmationKey(request)];

describe('consentStatus', () => {
  it.each([
    ['no email yet (went to sales first), 60 days on', request, [], day(60), 'awaiting confirmation'],
    [
      'asked on day 40, day 69',
      { ...request, askedAt: day(40).toISOString() },
      SENT,
      day(69),
      'awaiting confirmation',
    ],
    ['asked on day 40, day 70', { ...request, askedAt: day(40).toISOString() }, SENT, day(70), 'expired'],
    ['a record from before askedAt, its email sent, day 30', request, SENT, day(30), 'expired'],
    ['confirmed', { ...request, confirmedAt: day(1).toISOString() }, SENT, day(90), 'confirmed'],
    ['withdrawn', { ...request, withdrawnAt: day(1).toISOString() }, SENT, day(90), 'withdrawn'],
  ] as const)('%s: %s', (_, record, sent, now, status) => {
    expect(consentStatus(record, sent, now)).toBe(status);
  });

  it('the link dates from its email, not from the post', () => {
    expect(linkExpiresAt({ ...request, askedAt: day(40).toISOString() })).toEqual(day(70));
    expect(linkExpiresAt(request)).toEqual(day(30));
  });
});

describe('a repeat post and a request asked late', () => {
  it.each([
    // asked on day 40: its link lives until day 70, so a post on day 50 leaves the request (no second email)
    ['day 50, the link alive', day(50), 'r1'],
    // past its link: a new request (one new email)
    ['day 70, the link lapsed', day(70), 'r2'],
  ])('%s: the request that stands is %s', (_, at, requestId) => {
    const current = { ...request, askedAt: day(40).toISOString() };
    const posted = { ...request, givenAt: at.toISOString(), requestId: 'r2' };

    expect(mergeConsent(current, posted, at)?.requestId).toBe(requestId);
  });
});

describe('consentModeOf: what a thank-you page tells a person who ticked the box', () => {
  it.each([
    ['a form of the SLA without consent', 'newsletter', 'double'],
    ['a single opt-in form', 'efficiency-guide', 'single'],
    ['no form', undefined, 'double'],
    ['a form the SLA lacks', 'nope', 'double'],
  ])('%s: %s', (_, formId, mode) => {
    expect(consentModeOf(guideOnSingleOptIn(loadDefaultSla()), formId)).toBe(mode);
  });
});
