/**
 * Which lead the SLA's `consent.eraseUnconfirmedAfterDays` erases (domain/unconfirmed-erasure.ts, ADR 0092): only a
 * lead whose one reason to be held is a sign-up never confirmed, the days after its link lapsed; never one that is
 * or was a sales lead, nor one with engagement or a story beyond the sign-up.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { type ConsentRecord, consentStatus } from '../../lambdas/domain/consent.ts';
import type { LeadState, TimelineEntry } from '../../lambdas/domain/lead-state.ts';
import { eraseLead } from '../../lambdas/domain/lead-state.ts';
import { factsOf } from '../../lambdas/domain/report-facts.ts';
import { parseSla } from '../../lambdas/domain/sla-file.ts';
import { reportText, slaReport } from '../../lambdas/domain/sla-report.ts';
import {
  createdAtOrBefore,
  type KeptBecause,
  type LeadHistory,
  unconfirmedEraseReason,
  unconfirmedErasure,
} from '../../lambdas/domain/unconfirmed-erasure.ts';
import { handedOff, leadState } from '../support/lead-state.ts';
import { loadDefaultSla } from '../support/sla.ts';

const GIVEN = '2026-11-30T08:00:00.000Z';
/** 30 days after the email: the link lapsed */
const LAPSED = '2026-12-30T08:00:00.000Z';
const sla90 = (() => {
  const sla = loadDefaultSla();
  return { ...sla, consent: { eraseUnconfirmedAfterDays: 90 } };
})();
/** the link lapsed plus 90 days */
const DUE = '2027-03-30T08:00:00.000Z';
const AFTER_DUE = new Date('2027-03-30T08:00:00.001Z');

const request: ConsentRecord = {
  mode: 'double',
  givenAt: GIVEN,
  formId: 'efficiency-guide',
  text: 'Send me useful content',
  requestId: 'req-1',
  askedAt: GIVEN,
};
const entry = (kind: string, extra: Partial<TimelineEntry> = {}): TimelineEntry => ({
  at: GIVEN,
  kind,
  by: 'form',
  reasons: [],
  ...extra,
});
const signUpStory: TimelineEntry[] = [
  entry('created', { to: 'lead' }),
  entry('judged', { to: 'lead' }),
  entry('email', {
    by: 'workflow',
    reasons: [{ rule: 'workflow.consent', detail: 'consent confirmation email' }],
  }),
  entry('submitted'),
];
/** a sign-up never confirmed: asked, its link lapsed */
const signUp = (overrides: Partial<LeadState> = {}): LeadState =>
  leadState({ consent: request, timeline: signUpStory, sent: ['consent:req-1'], ...overrides }, GIVEN);
/** two posts of the guide's form (its event: content_download) */
const guide = { type: 'content_download', properties: { formId: 'efficiency-guide' } };
const formPosts: LeadHistory = { events: [guide, guide], attempts: [] };

describe('unconfirmedErasure: erased', () => {
  it.each<[string, LeadState, LeadHistory]>([
    ['a lead that signed up and never confirmed', signUp(), formPosts],
    ['an MQL by its scores alone (no sales)', signUp({ stage: 'mql', status: 'nurturing' }), formPosts],
    [
      'a request made before askedAt was kept (its email found by its sent key)',
      signUp({ consent: { ...request, askedAt: undefined } as ConsentRecord }),
      formPosts,
    ],
    ['a lead with no event at all', signUp(), { events: [], attempts: [] }],
  ])('%s: erased once the link lapsed 90 days ago', (_name, lead, history) => {
    // Act
    const verdict = unconfirmedErasure(sla90, lead, AFTER_DUE, history);
    // Assert
    expect(consentStatus(lead.consent!, lead.sent, AFTER_DUE)).toBe('expired');
    expect(verdict).toEqual({ erase: true, dueAt: DUE });
  });
});

describe('unconfirmedErasure: kept', () => {
  const deal = { stageId: 'discovery', since: GIVEN, openedAt: GIVEN };
  it.each<[string, LeadState, LeadHistory | undefined, Date, KeptBecause]>([
    ['the retention off (the default)', signUp(), formPosts, AFTER_DUE, 'retention off'],
    ['erased already', signUp({ erasedAt: LAPSED }), formPosts, AFTER_DUE, 'erased already'],
    ['no consent request', signUp({ consent: undefined }), formPosts, AFTER_DUE, 'no consent request'],
    ['confirmed', signUp({ consent: { ...request, confirmedAt: GIVEN } }), formPosts, AFTER_DUE, 'confirmed'],
    ['withdrawn', signUp({ consent: { ...request, withdrawnAt: GIVEN } }), formPosts, AFTER_DUE, 'withdrawn'],
    ['unsubscribed', signUp({ unsubscribed: true }), formPosts, AFTER_DUE, 'withdrawn'],
    [
      'never asked (its mailbox was, ADR 0075)',
      signUp({
        consent: { ...request, notAsked: { at: GIVEN, reason: 'mailbox asked recently' } },
        sent: [],
      }),
      formPosts,
      AFTER_DUE,
      'not asked',
    ],
    [
      'asked again after an unsubscribe (a subscriber before)',
      signUp({ consent: { ...request, previouslyWithdrawnAt: GIVEN } }),
      formPosts,
      AFTER_DUE,
      'subscribed before',
    ],
    [
      'the link lapsed 90 days ago less a millisecond',
      signUp(),
      formPosts,
      new Date(Date.parse(DUE) - 1),
      'not yet due',
    ],
    ['the link still alive', signUp(), formPosts, new Date('2026-12-29T08:00:00.000Z'), 'not yet due'],
    [
      'the form posted again after the lapse, its box unticked (90 days from that post)',
      signUp({ timeline: [...signUpStory, entry('submitted', { at: '2027-03-01T08:00:00.000Z' })] }),
      formPosts,
      AFTER_DUE,
      'not yet due',
    ],
    [
      'an SQL handed to a rep (expired consent)',
      { ...handedOff(GIVEN, 'jonas'), consent: request, sent: ['consent:req-1'] },
      formPosts,
      AFTER_DUE,
      'sales lead',
    ],
    ['an SQL with nobody yet', signUp({ stage: 'sql', status: 'new' }), formPosts, AFTER_DUE, 'sales lead'],
    ['a customer', signUp({ stage: 'customer', status: 'customer' }), formPosts, AFTER_DUE, 'sales lead'],
    ['recycled back to nurture', signUp({ recycledAt: LAPSED }), formPosts, AFTER_DUE, 'sales lead'],
    ['once handed over (no owner now)', signUp({ handedOffAt: LAPSED }), formPosts, AFTER_DUE, 'sales lead'],
    ['a deal', signUp({ deal }), formPosts, AFTER_DUE, 'sales lead'],
    ['a lost deal cooling off', signUp({ coolOffUntil: DUE }), formPosts, AFTER_DUE, 'sales lead'],
    ['connected once', signUp({ connectedAt: LAPSED }), formPosts, AFTER_DUE, 'sales lead'],
    [
      'a contact attempt logged (no owner on the state)',
      signUp(),
      { events: formPosts.events, attempts: [{ attemptId: 'a1' }] },
      AFTER_DUE,
      'sales lead',
    ],
    [
      'an owner change on its story',
      signUp({ timeline: [...signUpStory, entry('owner', { to: 'jonas', by: 'workflow' })] }),
      formPosts,
      AFTER_DUE,
      'story beyond the sign-up',
    ],
    [
      'a stage set by a person',
      signUp({ timeline: [...signUpStory, entry('stage', { to: 'mql', by: 'rep:jonas' })] }),
      formPosts,
      AFTER_DUE,
      'story beyond the sign-up',
    ],
    [
      'a nurture email (not the consent request)',
      signUp({
        timeline: [
          ...signUpStory,
          entry('email', { by: 'workflow', reasons: [{ rule: 'workflow.nurture', detail: '' }] }),
        ],
      }),
      formPosts,
      AFTER_DUE,
      'story beyond the sign-up',
    ],
    [
      'a story moved off the state (unknown)',
      signUp({ timelineSpilled: 3 }),
      formPosts,
      AFTER_DUE,
      'story beyond the sign-up',
    ],
    [
      'a post of another form (a demo request after the guide)',
      signUp(),
      { events: [guide, { type: 'demo_request', properties: { formId: 'demo-request' } }], attempts: [] },
      AFTER_DUE,
      'engagement beyond the sign-up',
    ],
    [
      "an event of the guide's type from a tracker (no form)",
      signUp(),
      { events: [guide, { type: 'content_download', properties: {} }], attempts: [] },
      AFTER_DUE,
      'engagement beyond the sign-up',
    ],
    [
      'a tracker event (a page view)',
      signUp(),
      { events: [...formPosts.events, { type: 'page_view' }], attempts: [] },
      AFTER_DUE,
      'engagement beyond the sign-up',
    ],
  ])('%s: kept (%#)', (_name, lead, history, now, kept) => {
    // Arrange
    const sla = kept === 'retention off' ? loadDefaultSla() : sla90;
    // Act
    const verdict = unconfirmedErasure(sla, lead, now, history);
    // Assert
    expect(verdict).toMatchObject({ erase: false, kept });
  });
});

describe('unconfirmedErasure: when a form posted again after the lapse', () => {
  it.each<[string, string, string]>([
    ['a post before the lapse (within the link): the lapse counts', '2026-12-20T08:00:00.000Z', DUE],
    ['a post after the lapse: 90 days from it', '2027-03-01T08:00:00.000Z', '2027-05-30T08:00:00.000Z'],
    ['a post at the very moment of the lapse', LAPSED, DUE],
  ])('%s', (_name, postedAt, dueAt) => {
    // Arrange
    const lead = signUp({ timeline: [...signUpStory, entry('submitted', { at: postedAt })] });
    // Act
    const before = unconfirmedErasure(sla90, lead, new Date(Date.parse(dueAt) - 1), formPosts);
    const after = unconfirmedErasure(sla90, lead, new Date(Date.parse(dueAt) + 1), formPosts);
    // Assert
    expect(before).toEqual({ erase: false, kept: 'not yet due', dueAt });
    expect(after).toEqual({ erase: true, dueAt });
  });
});

describe('the retention in the SLA and the report', () => {
  const defaultYaml = readFileSync(new URL('../../sla/default.yaml', import.meta.url), 'utf8');
  it.each<[string, boolean]>([
    ['eraseUnconfirmedAfterDays: 0', false],
    ['eraseUnconfirmedAfterDays: 1.5', false],
    ['eraseUnconfirmedAfterDays: 3651', false],
    ['eraseUnconfirmedAfterDays: ninety', false],
    ['eraseAfter: 90', false],
    ['eraseUnconfirmedAfterDays: 90', true],
    ['{}', true],
  ])('consent: %s validates: %s', (consent, valid) => {
    // Arrange
    const text = `${defaultYaml}\nconsent:${consent === '{}' ? ' {}' : `\n  ${consent}`}\n`;
    // Act
    const parsed = parseSla(text);
    // Assert
    expect(parsed.ok).toBe(valid);
    if (!parsed.ok) expect(parsed.errors.map((error) => error.path).join(' ')).toContain('consent');
  });

  it('lists no lead created after the lapse plus the days (the walk starts there); none when off', () => {
    // Act / Assert
    expect(createdAtOrBefore(sla90, AFTER_DUE)).toBe('2026-11-30T08:00:00.001Z');
    expect(createdAtOrBefore(loadDefaultSla(), AFTER_DUE)).toBeUndefined();
  });

  it('counts the erases of unconfirmed sign-ups in the period, not erases on request', () => {
    // Arrange: one erased by the retention, one on request, both in December
    const retained = eraseLead(
      signUp({ leadId: 'LeadRetention000000000A' }),
      AFTER_DUE,
      'system:retention',
      unconfirmedEraseReason(sla90, GIVEN),
    );
    const requested = eraseLead(signUp({ leadId: 'LeadRequested000000000A' }), AFTER_DUE, 'api');
    const facts = [...factsOf(sla90, retained), ...factsOf(sla90, requested)];
    // Act
    const report = slaReport(sla90, facts, {
      from: '2027-03-01T00:00:00.000Z',
      to: '2027-04-01T00:00:00.000Z',
      now: new Date('2027-04-02T00:00:00.000Z'),
    });
    // Assert
    expect(report.retention).toEqual({ unconfirmedErased: 1, afterDays: 90 });
    expect(reportText(report)).toContain(
      'Erased in the period: 1 (erased 90 days after the confirmation link lapsed)',
    );
    expect(report.sales.total.handovers).toBe(0);
  });
});
