import { describe, expect, it } from 'vitest';
import { type Judgement, judgeLead, typeThresholds } from '../../lambdas/domain/judge.ts';
import type { EngagementEvent, LeadInput } from '../../lambdas/domain/lead.ts';
import type { SlaInput } from '../../lambdas/domain/sla-schema.ts';
import { makeSla } from '../support/sla.ts';

const AT = new Date('2024-06-30T12:00:00.000Z');
const DAY = 86_400_000;
const ev = (type: string, daysAgo = 0): EngagementEvent => ({
  type,
  occurredAt: new Date(AT.getTime() - daysAgo * DAY).toISOString(),
});

// ICP total weight 100: industry 40, size 30, region 30. No decay, so points are easy to follow.
const BASE: Partial<SlaInput> = {
  version: '2024-06',
  // DE is in two regions; the ICP names the larger one
  regions: { dach: ['DE', 'AT', 'CH'], europe: ['DE', 'FR', 'GB'], americas: ['US', 'CA'] },
  icp: {
    criteria: [
      { id: 'industry', field: 'industry', weight: 40, in: ['software', 'saas'] },
      { id: 'employees', field: 'employees', weight: 30, gte: 200 },
      { id: 'region', field: 'region', weight: 30, in: ['europe', 'americas'] },
    ],
  },
  personas: [
    {
      id: 'cfo',
      name: 'Fiona Finance',
      match: {
        jobTitleKeywords: ['finance', 'cfo', 'controller'],
        seniority: ['c-level', 'vp', 'director'],
        departments: ['finance'],
      },
      scoreBonus: 10,
    },
  ],
  journey: { signals: [{ stage: 'decision', events: ['demo_request'] }] },
  lifecycle: { subscriberForms: ['newsletter'] },
  leadTypes: [
    {
      id: 'existing-customer',
      name: 'Existing customer',
      match: { emailDomains: ['bigcorp.com'] },
      overrides: { skipNurture: true, assignTo: 'accountOwner', thresholds: { mql: 10, sql: 30 } },
    },
    {
      id: 'partner',
      name: 'Partner',
      match: { all: [{ field: 'interest', equals: 'partnership' }] },
      overrides: {
        engagement: [{ id: 'partner-call', event: 'partner_call', points: 30 }],
        ignoreRules: ['free-mail'],
      },
    },
    { id: 'prospect', name: 'Prospect' },
  ],
  scoring: {
    engagement: [
      { id: 'page-view', event: 'page_view', points: 2, cap: 10 },
      { id: 'demo-request', event: 'demo_request', points: 40, once: true },
      { id: 'unsubscribe', event: 'unsubscribe', points: -50 },
    ],
    negative: [
      { id: 'free-mail', field: 'emailDomain', points: -20, in: ['gmail.com', 'yahoo.com'] },
      { id: 'student', field: 'jobTitle', points: -30, contains: ['student', 'intern'] },
      { id: 'low-fit', field: 'fitTier', points: -10, equals: 'D' },
    ],
  },
  routing: {
    reps: [{ id: 'ann', name: 'Ann', email: 'ann@example.com' }],
    accounts: [{ domain: 'bigcorp.com', owner: 'ann' }],
  },
};
const sla = makeSla(BASE);
const MATRIX = {
  A: { mql: 10, sql: 40 },
  B: { mql: 20, sql: 60 },
  C: { mql: 40, sql: null },
  D: { mql: null, sql: null },
};
const matrixSla = makeSla({ ...BASE, scoring: { ...BASE.scoring, matrix: MATRIX } });

const cfo = { jobTitle: 'CFO', country: 'DE', industry: 'Software', employees: '500', formId: 'contact' };
const engaged = [ev('demo_request'), ev('page_view', 1), ev('page_view', 2), ev('page_view', 3)]; // 40 + 6

type Expected = Partial<Omit<Judgement, 'reasons'>>;

describe('judgeLead', () => {
  it.each<[string, Expected, LeadInput]>([
    [
      'ideal CFO who asked for a demo: 100 + 46 + 10 = 156 -> SQL',
      {
        leadType: 'prospect',
        persona: 'cfo',
        seniority: 'c-level',
        fitScore: 100,
        fitTier: 'A',
        engagementScore: 46,
        personaBonus: 10,
        negativeScore: 0,
        totalScore: 156,
        journeyStage: 'decision',
        qualifiesAs: 'sql',
        subscriberOnly: false,
        skipNurture: false,
        assignTo: 'queue',
      },
      { email: 'jane@acme.io', fields: cfo, events: engaged },
    ],
    [
      'free-mail student: -20 - 30 - 10 (tier D) floors at 0',
      {
        persona: null,
        seniority: 'individual',
        fitScore: 0,
        fitTier: 'D',
        engagementScore: 0,
        negativeScore: -60,
        totalScore: 0,
        journeyStage: 'awareness',
        qualifiesAs: 'lead',
      },
      { email: 'bob@gmail.com', fields: { jobTitle: 'Student', country: 'JP' }, events: [] },
    ],
    [
      'existing customer: own thresholds (10 / 30), account owner, no nurture: 60 + 4 -> SQL',
      {
        leadType: 'existing-customer',
        fitScore: 60,
        fitTier: 'B',
        engagementScore: 4,
        totalScore: 64,
        thresholds: { mql: 10, sql: 30 },
        qualifiesAs: 'sql',
        skipNurture: true,
        assignTo: 'accountOwner',
      },
      {
        email: 'amy@eu.bigcorp.com',
        fields: { jobTitle: 'Engineer', country: 'US', employees: 5000, industry: 'Manufacturing' },
        events: [ev('page_view', 1), ev('page_view', 2)],
      },
    ],
    [
      'partner: extra rule 30, free-mail ignored, low fit -10 -> 20',
      {
        leadType: 'partner',
        fitTier: 'D',
        engagementScore: 30,
        negativeScore: -10,
        totalScore: 20,
        qualifiesAs: 'lead',
      },
      { email: 'pat@gmail.com', fields: { interest: 'partnership' }, events: [ev('partner_call', 1)] },
    ],
    [
      'unsubscribed CFO: 100 - 50 + 10 = 60 -> MQL',
      { engagementScore: -50, totalScore: 60, qualifiesAs: 'mql' },
      { email: 'jane@acme.io', fields: cfo, events: [ev('unsubscribe', 1)] },
    ],
    [
      'newsletter sign-up that does not qualify: subscriber only',
      { totalScore: 0, qualifiesAs: 'lead', subscriberOnly: true },
      { email: 'sub@acme.io', fields: { formId: 'newsletter' }, events: [] },
    ],
    [
      'newsletter sign-up that qualifies is not subscriber only',
      { qualifiesAs: 'sql', subscriberOnly: false },
      { email: 'jane@acme.io', fields: { ...cfo, formId: 'newsletter' }, events: engaged },
    ],
    [
      'events after the judging time are ignored',
      { engagementScore: 0, totalScore: 110, journeyStage: 'awareness', qualifiesAs: 'sql' },
      { email: 'jane@acme.io', fields: cfo, events: [ev('demo_request', -1)] },
    ],
  ])('%s', (_name, expected, lead) => {
    // Act
    const judgement = judgeLead(sla, lead, AT);
    // Assert
    expect(judgement).toMatchObject({
      slaVersion: '2024-06',
      judgedAt: '2024-06-30T12:00:00.000Z',
      ...expected,
    });
  });

  it('gives every reason in order, and the points add up to the total', () => {
    // Act
    const judgement = judgeLead(sla, { email: 'jane@acme.io', fields: cfo, events: engaged }, AT);
    // Assert
    expect(judgement.reasons.map((r) => [r.rule, r.points])).toEqual([
      ['leadType.prospect', undefined],
      ['persona.cfo', undefined],
      ['icp.industry', 40],
      ['icp.employees', 30],
      ['icp.region', 30],
      ['fit.tier', undefined],
      ['engagement.page-view', 6],
      ['engagement.demo-request', 40],
      ['personaBonus.cfo', 10],
      ['score.total', undefined],
      ['journey.decision', undefined],
      ['qualify.sql', undefined],
    ]);
    const sum = judgement.reasons.reduce((total, r) => total + (r.points ?? 0), 0);
    expect(sum).toBe(judgement.totalScore);
    expect(judgement.reasons.find((r) => r.rule === 'score.total')!.detail).toBe(
      'fit 100 + engagement 46 + persona 10 + negative 0 = 156',
    );
  });

  it('explains negative rules and the qualification', () => {
    // Act
    const judgement = judgeLead(
      sla,
      { email: 'bob@gmail.com', fields: { jobTitle: 'Student' }, events: [] },
      AT,
    );
    // Assert
    expect(
      judgement.reasons.filter((r) => r.rule.startsWith('negative.') || r.rule.startsWith('qualify.')),
    ).toEqual([
      { rule: 'negative.free-mail', points: -20, detail: 'emailDomain in [gmail.com, yahoo.com]' },
      { rule: 'negative.student', points: -30, detail: 'jobTitle contains [student, intern]' },
      { rule: 'negative.low-fit', points: -10, detail: 'fitTier = D' },
      { rule: 'qualify.lead', detail: 'total 0 against thresholds MQL 50, SQL 100' },
    ]);
  });

  it('uses lead type "default" and no overrides when no type is declared', () => {
    // Act
    const judgement = judgeLead(makeSla(), { email: 'x@y.com', fields: {}, events: [] }, AT);
    // Assert
    expect(judgement).toMatchObject({
      slaVersion: 'test-1',
      leadType: 'default',
      fitScore: 0,
      totalScore: 0,
      thresholds: { mql: 50, sql: 100 },
      matrix: null,
      qualifiesAs: 'lead',
      skipNurture: false,
      assignTo: 'queue',
    });
  });
});

describe('judgeLead with a fit x engagement matrix', () => {
  it.each<[string, Judgement['qualifiesAs'], LeadInput]>([
    ['tier A, engagement 46 >= 40 -> SQL', 'sql', { email: 'jane@acme.io', fields: cfo, events: engaged }],
    // the negative rules count on the engagement axis: 46 - 20 = 26
    ['tier A, free mail: 26 -> MQL', 'mql', { email: 'jane@gmail.com', fields: cfo, events: engaged }],
    // employees only: fit 30 -> C; 46 >= 40 but C has no SQL cell
    [
      'tier C, engagement 46 -> MQL (SQL never)',
      'mql',
      { email: 'c@acme.io', fields: { employees: 500 }, events: engaged },
    ],
    // tier D: never, however engaged (low-fit -10 too)
    [
      'tier D -> never',
      'lead',
      { email: 'd@acme.io', fields: {}, events: [...engaged, ev('page_view', 4), ev('page_view', 5)] },
    ],
  ])('%s', (_name, expected, lead) => {
    // Act
    const judgement = judgeLead(matrixSla, lead, AT);
    // Assert
    expect(judgement.qualifiesAs).toBe(expected);
    expect(judgement.matrix).toEqual(MATRIX);
    expect(judgement.reasons.at(-1)!.rule).toBe(`qualify.${expected}`);
  });

  it("judges by a type's own thresholds even when the SLA has a matrix", () => {
    // Act
    const judgement = judgeLead(
      matrixSla,
      { email: 'amy@bigcorp.com', fields: {}, events: [ev('page_view')] },
      AT,
    );
    // Assert: fit 0 + 2 - 10 = 0 (floored) against 10 / 30
    expect(judgement.matrix).toBeNull();
    expect(judgement.thresholds).toEqual({ mql: 10, sql: 30 });
    expect(judgement.qualifiesAs).toBe('lead');
  });

  it("judges by a type's own matrix on an SLA without one", () => {
    // Arrange
    const typed = makeSla({
      ...BASE,
      leadTypes: [{ id: 'all', name: 'All', overrides: { matrix: MATRIX } }],
    });
    // Act
    const judgement = judgeLead(typed, { email: 'jane@acme.io', fields: cfo, events: [ev('page_view')] }, AT);
    // Assert: total 112 would be SQL by thresholds; the matrix says tier A, engagement 2 < 10
    expect(judgement.totalScore).toBe(112);
    expect(judgement.matrix).toEqual(MATRIX);
    expect(judgement.qualifiesAs).toBe('lead');
  });
});

describe('typeThresholds', () => {
  it.each([
    ['no override', undefined, { mql: 40, sql: 80 }],
    ['MQL only: SQL from the SLA', { mql: 30 }, { mql: 30, sql: 80 }],
    ['SQL only: MQL from the SLA', { sql: 60 }, { mql: 40, sql: 60 }],
    ['both', { mql: 10, sql: 20 }, { mql: 10, sql: 20 }],
  ])('%s', (_name, own, expected) => {
    // Arrange
    const sla = makeSla({
      scoring: { thresholds: { mql: 40, sql: 80 } },
      leadTypes: [{ id: 'svc', name: 'Service', ...(own ? { overrides: { thresholds: own } } : {}) }],
    });
    // Act
    const thresholds = typeThresholds(sla, sla.leadTypes[0]);
    // Assert
    expect(thresholds).toEqual(expected);
  });
});
