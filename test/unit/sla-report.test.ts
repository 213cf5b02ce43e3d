/**
 * The SLA report against a hand-computed week: 20 leads of the default SLA (Berlin 08-17 for jonas,
 * Chicago 08-17 for carla, first touch within 4 business hours, a six-step cadence, 120 MQLs a month,
 * 70 % of SQLs accepted), their timelines written as the workflow and the API write them, the facts
 * derived from the timelines (report-facts.ts), the figures worked out by hand in the comments.
 */
import { describe, expect, it } from 'vitest';
import { leadEvents } from '../../lambdas/domain/lead-events.ts';
import type { LeadState, TimelineEntry } from '../../lambdas/domain/lead-state.ts';
import { factsOf, latestFacts } from '../../lambdas/domain/report-facts.ts';
import { stageNameIn } from '../../lambdas/domain/sla-names.ts';
import { reportHtml, reportText, type SlaReport, slaReport } from '../../lambdas/domain/sla-report.ts';
import { loadDefaultSla } from '../support/sla.ts';

const sla = loadDefaultSla();
const MON = '2026-11-23';
const TUE = '2026-11-24';
const WED = '2026-11-25';
const FRI = '2026-11-27';
const at = (day: string, time: string) => `${day}T${time}:00.000Z`;

type Step = Omit<TimelineEntry, 'reasons'> & { reasons?: TimelineEntry['reasons'] };

function lead(n: number, steps: Step[], extra: Partial<LeadState> = {}): LeadState {
  const timeline = [{ at: at(MON, '08:00'), kind: 'created', to: 'lead', by: 'form' }, ...steps].map(
    (entry) => ({
      reasons: [],
      ...entry,
    }),
  );
  return {
    leadId: `lead-${String(n).padStart(2, '0')}`,
    leadType: 'equipment-sales',
    fields: { country: 'DE' },
    timeline,
    updatedAt: timeline.at(-1)!.at,
    ...extra,
  } as unknown as LeadState;
}

const toMql: Step = { at: at(MON, '09:00'), kind: 'stage', from: 'lead', to: 'mql', by: 'form' };
const toSql: Step = { at: at(MON, '10:00'), kind: 'stage', from: 'mql', to: 'sql', by: 'workflow' };
const handoff = (rep: string, when = at(MON, '10:00'), from?: string): Step => ({
  at: when,
  kind: 'owner',
  to: rep,
  ...(from ? { from } : {}),
  by: 'workflow',
});
const attempt = (when: string): Step => ({
  at: when,
  kind: 'attempt',
  from: 'sql/new',
  to: 'sql/attempting-contact',
  by: 'api:admin',
});

const LEADS: LeadState[] = [
  // jonas: handed over Mon 11:00 Berlin, first touch due 15:00 Berlin (14:00Z)
  lead(1, [toMql, toSql, handoff('jonas'), attempt(at(MON, '11:00'))]), // 1 bh, met
  lead(2, [
    toMql,
    toSql,
    handoff('jonas'),
    attempt(at(MON, '12:00')), // 2 bh, met
    {
      at: at(WED, '10:00'),
      kind: 'deal',
      from: 'sql/attempting-contact',
      to: 'opportunity/open-deal',
      by: 'api:admin',
    },
  ]),
  lead(3, [
    toMql,
    toSql,
    handoff('jonas'),
    attempt(at(MON, '13:00')), // 3 bh, met
    {
      at: at(MON, '15:00'),
      kind: 'status',
      from: 'sql/attempting-contact',
      to: 'sql/unqualified',
      by: 'rep:jonas',
      reasons: [{ rule: 'status.unqualified', detail: 'not a fit' }],
    },
  ]),
  lead(4, [
    toMql,
    toSql,
    handoff('jonas'),
    attempt(at(MON, '15:00')), // 16:00 Berlin: 5 bh, breached
    {
      at: at(MON, '16:00'),
      kind: 'status',
      from: 'sql/attempting-contact',
      to: 'lead/recycled-not-ready',
      by: 'rep:jonas',
      reasons: [{ rule: 'lifecycle.recycle', detail: 'not now' }],
    },
  ]),
  lead(
    5,
    [
      toMql,
      toSql,
      handoff('jonas'),
      // no attempt: breached at 14:00Z; the ladder reminds (its outbox claim below), the cadence expires with a breach
      {
        at: at(FRI, '16:00'),
        kind: 'breach',
        by: 'workflow',
        reasons: [{ rule: 'sla.breach.cadence', detail: '0 of 6' }],
      },
    ],
    {
      ownerId: 'jonas',
      // the ladder's first rung, claimed in the outbox at the deadline (the email is sent after)
      outbox: [
        {
          key: 'escalate:1:x:1',
          what: 'reminded jonas',
          at: at(MON, '14:00'),
          email: { type: 'firstTouchOverdue', repId: 'jonas', dueAt: at(MON, '14:00'), overdue: 0 },
        },
      ],
    },
  ),
  // carla: handed over 04:00 Chicago, the clock starts 08:00 Chicago (14:00Z), due 12:00 Chicago (18:00Z)
  lead(6, [toMql, toSql, handoff('carla'), attempt(at(MON, '15:00'))]), // 1 bh, met
  lead(7, [toMql, toSql, handoff('carla'), attempt(at(MON, '20:00'))]), // 6 bh, breached
  lead(8, [
    toMql,
    toSql,
    handoff('carla'), // no touch by 18:00Z: breached
    handoff('jonas', at(TUE, '10:00'), 'carla'), // reassigned: due Tue 14:00Z
    attempt(at(TUE, '11:00')), // 1 bh, met
  ]),
  // MQLs that stay MQLs, and leads that stay leads
  ...[9, 10, 11, 12].map((n) => lead(n, [toMql])),
  ...[13, 14, 15, 16, 17, 18, 19, 20].map((n) => lead(n, [])),
];

const WINDOW = {
  from: `${MON}T00:00:00.000Z`,
  to: '2026-11-30T00:00:00.000Z',
  now: new Date('2026-11-30T00:00:00.000Z'),
};

describe('slaReport over a hand-computed week', () => {
  const facts = LEADS.flatMap((state) => factsOf(sla, state));
  const report = slaReport(sla, facts, WINDOW);

  it.each([
    // stage, entered, went on, conversion, hours in stage p50, p90
    ['subscriber', 0, 0, null, null, null],
    ['lead', 20, 12, 0.6, 1, 1],
    ['mql', 12, 8, 0.667, 1, 1],
    ['sql', 8, 1, 0.125, 27, 48], // L4 left after 6 h (recycled), L2 after 48 h (deal): the median halfway
    ['opportunity', 1, 0, 0, null, null],
    ['customer', 0, 0, null, null, null],
  ])(
    'funnel: %s entered %i, went on %i (%s), hours in stage p50 %s p90 %s',
    (stage, entered, advanced, conversion, p50, p90) => {
      const row = report.funnel.find((candidate) => candidate.stage === stage)!;
      expect(row).toMatchObject({ entered, advanced, conversion });
      expect([row.hoursInStage.p50, row.hoursInStage.p90]).toEqual([p50, p90]);
    },
  );

  it('marketing: 12 MQLs of a 27.6 target (120 a month over 7 days), 6 of 8 SQLs accepted against 70 %', () => {
    expect(report.marketing.mqls).toEqual({
      actual: 12,
      target: 27.6,
      byMonth: [{ month: '2026-11', actual: 12, target: 27.6 }],
    });
    expect(report.marketing.sqls).toEqual({
      handedOver: 8,
      rejected: 2,
      acceptanceRate: 0.75,
      targetRate: 0.7,
      rejections: [
        // a rule that names no outcome, deal stage or status reads as written
        {
          status: 'Recycled - not ready',
          reason: 'lifecycle.recycle',
          reasonName: 'lifecycle.recycle',
          count: 1,
        },
        { status: 'Unqualified', reason: 'status.unqualified', reasonName: 'status.unqualified', count: 1 },
      ],
    });
  });

  it.each([
    // who, handovers, reassignments, met, breached, response p50, p90 (n), attempts, cadence, breaches, escalations, recycles
    // cadence: 6 steps a handover, but one that ended asks only the steps due by then (ADR 0078): L3, disqualified
    // Mon 15:00Z, steps 1 (14:00Z) and 2 (1 bh after the 13:00Z call); L4, recycled Mon 16:00Z, step 1 (step 2 falls
    // due 1 bh after the 15:00Z call, at 16:00Z, not before); carla's L8, reassigned Tue 10:00Z, steps 1 (Mon
    // 18:00Z) and 2 (19:00Z)
    ['total', report.sales.total, 9, 1, 5, 4, 2, 6, 7, 7, 41, 1, 1, 1],
    ['jonas', report.sales.byRep.find((r) => r.id === 'jonas')!, 6, 1, 4, 2, 2, 5, 5, 5, 27, 1, 1, 1],
    // carla's two first touches, 1 h and 6 h: the median halfway between them
    ['carla', report.sales.byRep.find((r) => r.id === 'carla')!, 3, 0, 1, 2, 3.5, 6, 2, 2, 14, 0, 0, 0],
    [
      'equipment-sales',
      report.sales.byQueue.find((r) => r.id === 'equipment-sales')!,
      9,
      1,
      5,
      4,
      2,
      6,
      7,
      7,
      41,
      1,
      1,
      1,
    ],
  ] as const)(
    'sales figures of %s',
    (_who, row, handovers, reassignments, met, breached, p50, p90, n, attempts, cadence, breaches, escalations, recycles) => {
      expect(row).toMatchObject({
        handovers,
        reassignments,
        firstTouch: { met, breached, pending: 0, rate: Math.round((met / (met + breached)) * 1000) / 1000 },
        responseHours: { n, p50, p90 },
        attempts,
        cadenceAttempts: cadence,
        cadenceBreaches: breaches,
        escalations,
        recycles,
      });
    },
  );

  it('names reps and queues as the SLA does', () => {
    expect(report.sales.byRep.map((row) => row.name)).toEqual(['Carla Ruiz', 'Jonas Berger']);
    expect(report.sales.byQueue.map((row) => row.name)).toEqual(['Equipment sales']);
  });

  it('limits every figure to one rep', () => {
    const carla = slaReport(sla, facts, { ...WINDOW, rep: 'carla' });
    const {
      id: _id,
      name: _name,
      ...row
    } = report.sales.byRep.find((candidate) => candidate.id === 'carla')!;
    expect(carla.sales.total).toEqual(row);
    expect(carla.sales.total.handovers).toBe(3);
    expect(carla.sales.byRep.map((row) => row.id)).toEqual(['carla']);
  });

  it("keeps the funnel and marketing's figures to one rep's report: they have no rep (were zero, a target missed in red)", () => {
    // Act
    const carla = slaReport(sla, facts, { ...WINDOW, rep: 'carla' });

    // Assert
    expect(report.marketing.mqls.actual).toBeGreaterThan(0);
    expect(carla.marketing).toEqual(report.marketing);
    expect(carla.funnel).toEqual(report.funnel);
  });

  it('counts a deadline that is still ahead as pending, not breached', () => {
    const early = slaReport(sla, facts, { ...WINDOW, to: at(MON, '13:30'), now: new Date(at(MON, '13:30')) });
    // L1-L3 touched by then; L4, L5 (due 14:00Z) and carla's three (due 18:00Z) pending
    expect(early.sales.total.firstTouch).toEqual({ met: 3, breached: 0, pending: 5, rate: 1 });
  });

  it('shows the pending first touches in the HTML too: met, breached and pending add up to the handovers', () => {
    // Arrange
    const early = slaReport(sla, facts, { ...WINDOW, to: at(MON, '13:30'), now: new Date(at(MON, '13:30')) });

    // Act
    const html = reportHtml(early, { locale: 'en', sla });

    // Assert: the All row, as the text says it (handovers 8, met 3, breached 0, pending 5)
    expect(html).toContain('<th>Met</th><th>Breached</th><th>Pending</th><th>In SLA</th>');
    expect(html).toMatch(
      /<th scope="row">All<\/th><td>8<\/td><td>3<\/td><td>0<\/td><td>5<\/td><td>100%<\/td>/,
    );
  });

  it('counts what the cadence asks of each handover before any attempt is logged', () => {
    const handedOnly = slaReport(sla, facts, {
      ...WINDOW,
      to: at(MON, '10:30'),
      now: new Date(at(MON, '10:30')),
    });
    expect(handedOnly.sales.total).toMatchObject({ handovers: 8, attempts: 0, cadenceAttempts: 48 });
  });

  it("renders as HTML in the reader's language: Arabic words, the SLA's Arabic names, right to left", () => {
    // Act
    const html = reportHtml(report, { locale: 'ar', sla });

    // Assert
    expect(html).toContain('<html lang="ar" dir="rtl">');
    expect(html).toContain('تقرير اتفاقية مستوى الخدمة');
    expect(html).toContain('Kessler Industrial - اتفاقية التسويق والمبيعات');
    expect(html).toContain('القمع');
    expect(html).toContain(stageNameIn(sla, 'mql', 'ar'));
    expect(html).not.toMatch(
      />(Funnel|Stage|Entered|Per rep|Per queue|Handovers|Marketing against its commitments)</,
    );
    expect(html).not.toContain('SLA report');
  });

  it('has no English word on the Arabic page but names: the percentiles are the median and 90%, as the console says', () => {
    // Act
    const html = reportHtml(report, { locale: 'ar', sla });

    // Assert: names (the SLA's, a person's, a stage's) stand in <bdi>, <title>, row headers and the funnel's labels;
    // a rejection's line is the SLA's status and the rule that decided (its id when the SLA names none)
    const words = html
      .replace(/<(style|title|bdi|text|li)[^>]*>.*?<\/\1>/gs, '')
      .replace(/<th scope="row">.*?<\/th>/g, '')
      .replace(/<[^>]*>/g, '')
      .replaceAll(sla.names!.ar!, '');
    expect(words.match(/[A-Za-z]+/g) ?? []).toEqual([]);
    expect(html).toContain('<th>الوقت في المرحلة: الوسيط / 90%</th>');
  });

  it("names the filtered queue and rep and the rejections' statuses as the SLA does in the reader's language, not by id", () => {
    // Arrange: jonas's figures in the equipment-sales queue (he recycled L4: a rejection)
    const filtered = slaReport(sla, facts, { ...WINDOW, queue: 'equipment-sales', rep: 'jonas' });
    const queue = sla.routing.queues.find((candidate) => candidate.id === 'equipment-sales')!;
    const recycled = sla.leadStatuses.find((status) => status.id === 'recycled-not-ready')!;

    // Act
    const arabic = reportHtml(filtered, { locale: 'ar', sla });
    const english = reportHtml(filtered, { locale: 'en', sla });

    // Assert
    expect(arabic).toContain(`<bdi>${queue.names!.ar}</bdi>`);
    expect(arabic).toContain('<bdi>Jonas Berger</bdi>');
    expect(arabic).toContain(recycled.names!.ar);
    expect(arabic).not.toContain(recycled.name);
    expect(arabic).not.toMatch(/<bdi>(equipment-sales|jonas)<\/bdi>/);
    expect(english).toContain('queue <bdi>Equipment sales</bdi>, rep <bdi>Jonas Berger</bdi>');
  });

  it.each<[string, (report: SlaReport) => SlaReport, string]>([
    ['this LeadPact', (report) => report, ', queue Equipment sales, rep Jonas Berger;'],
    // an older server's report names no queue: its id, the one name it has
    [
      'an older LeadPact',
      ({ window: { queueName: _name, ...window }, ...report }) => ({ ...report, window }),
      ', queue equipment-sales, rep Jonas Berger;',
    ],
  ])("the text report's header of %s names the filtered queue as the SLA does", (_of, as, header) => {
    // Arrange
    const filtered = as(slaReport(sla, facts, { ...WINDOW, queue: 'equipment-sales', rep: 'jonas' }));
    // Act
    const text = reportText(filtered);
    // Assert
    expect(text.split('\n')[1]).toContain(header);
  });

  it("shows the window's edges in the SLA's time zone: a week of Berlin's days from midnight to midnight", () => {
    // Act
    const html = reportHtml(
      slaReport(sla, facts, { ...WINDOW, from: '2026-11-22T23:00:00.000Z', to: '2026-11-29T23:00:00.000Z' }),
      { locale: 'en', sla },
    );

    // Assert
    expect(html).toContain(
      'From <bdi>November 23, 2026 at 00:00 GMT+1</bdi> to <bdi>November 30, 2026 at 00:00 GMT+1</bdi>',
    );
  });

  it("counts MQLs per month of the SLA's calendar: November in Berlin is one month, not an hour of October and the rest", () => {
    // Act
    const november = slaReport(sla, facts, {
      ...WINDOW,
      from: '2026-10-31T23:00:00.000Z',
      to: '2026-11-30T23:00:00.000Z',
    });

    // Assert
    expect(november.marketing.mqls.byMonth).toEqual([{ month: '2026-11', actual: 12, target: 118.3 }]);
  });

  it('renders as text and HTML with the SLA names', () => {
    expect(reportText(report)).toContain('Jonas Berger');
    expect(reportText(report)).toContain('MQLs: 12 of a target of 27.6');
    expect(reportHtml(report)).toContain('<svg');
    expect(reportHtml(report)).toContain('Equipment sales');
  });
});

describe('facts of a write', () => {
  it('are those of the latest change only; the same timeline gives the same identities', () => {
    const state = LEADS[7]!; // L8: the last change is the attempt on Tuesday
    expect(latestFacts(sla, state).map((fact) => `${fact.kind}@${fact.at}#${fact.seq}`)).toEqual([
      `attempt@${at(TUE, '11:00')}#0`,
      `touch@${at(TUE, '11:00')}#0`,
    ]);
    expect(factsOf(sla, state)).toEqual(factsOf(sla, structuredClone(state)));
  });
});

describe('a handover taken away before its deadline', () => {
  // Arrange: jonas gets the lead Mon 10:00Z (11:00 Berlin, due 14:00Z); at 11:00Z, before that deadline,
  // katrin gives it to lena (fresh clock: due 15:00Z), who touches it at 12:00Z
  const reassignedEarly = lead(21, [
    toMql,
    toSql,
    handoff('jonas'),
    { at: at(MON, '11:00'), kind: 'owner', from: 'jonas', to: 'lena', by: 'manager:katrin' },
    attempt(at(MON, '12:00')),
  ]);
  const facts = factsOf(sla, reassignedEarly);

  it('is no breach of the rep who lost it: the lead was touched in time, by its next owner', () => {
    // Act
    const report = slaReport(sla, facts, WINDOW);

    // Assert
    const jonas = report.sales.byRep.find((row) => row.id === 'jonas')!;
    const lena = report.sales.byRep.find((row) => row.id === 'lena')!;
    expect(jonas).toMatchObject({
      handovers: 1,
      firstTouch: { met: 0, breached: 0, pending: 0, rate: null },
    });
    expect(lena).toMatchObject({ handovers: 1, firstTouch: { met: 1, breached: 0, pending: 0, rate: 1 } });
    expect(report.sales.total.firstTouch).toEqual({ met: 1, breached: 0, pending: 0, rate: 1 });
    // jonas's own report, where lena's handover is not among the figures
    expect(slaReport(sla, facts, { ...WINDOW, rep: 'jonas' }).sales.total.firstTouch).toEqual({
      met: 0,
      breached: 0,
      pending: 0,
      rate: null,
    });
  });

  it('is not pending either while its old deadline is still ahead', () => {
    // Act
    const early = slaReport(sla, facts, { ...WINDOW, to: at(MON, '13:30'), now: new Date(at(MON, '13:30')) });

    // Assert
    expect(early.sales.total.firstTouch).toEqual({ met: 1, breached: 0, pending: 0, rate: 1 });
  });
});

describe('two handovers in one millisecond, as stories stored them before each had its own instant', () => {
  // Arrange: jonas gets the lead Mon 10:00Z; at 11:00Z katrin gives it to mike and ops give it to lena, both
  // entries dated 11:00:00.000 (a manual clock, two calls in one millisecond); nobody touches it
  const sameInstant = lead(22, [
    toMql,
    toSql,
    handoff('jonas'),
    { at: at(MON, '11:00'), kind: 'owner', from: 'jonas', to: 'mike', by: 'manager:katrin' },
    { at: at(MON, '11:00'), kind: 'owner', from: 'mike', to: 'lena', by: 'api:admin' },
  ]);

  it("ends mike's handover at lena's, in story order: no breach, no step asked of it", () => {
    // Act
    const report = slaReport(sla, factsOf(sla, sameInstant), WINDOW);

    // Assert
    const mike = report.sales.byRep.find((row) => row.id === 'mike')!;
    expect(mike).toMatchObject({
      handovers: 1,
      firstTouch: { met: 0, breached: 0, pending: 0 },
      cadenceAttempts: 0,
    });
    expect(report.sales.byRep.find((row) => row.id === 'lena')).toMatchObject({
      handovers: 1,
      firstTouch: { breached: 1 },
    });
  });
});

describe("the cadence of a handover that ended early (a manager recomputed 'Attempts / cadence' by hand)", () => {
  // jonas gets the lead Mon 10:00Z (11:00 Berlin): step 1 is due at the first-touch deadline, 14:00Z; step 2 1 bh
  // after the call before it, or after 14:00Z without one (15:00Z); step 3 a business day after that (Tue 15:00Z).
  // Whoever gets it next has a cadence of six steps from their own handover, as before
  it.each([
    {
      given: 'taken by a manager after 1 h, before any step fell due: jonas is asked none (was 6)',
      after: [{ at: at(MON, '11:00'), kind: 'owner', from: 'jonas', to: 'lena', by: 'manager:katrin' }],
      cadence: [
        ['jonas', 0],
        ['lena', 6],
      ],
    },
    {
      given: 'reassigned by the ladder Tue 09:00Z, untouched: steps 1 and 2 had fallen due (was 6)',
      after: [{ at: at(TUE, '09:00'), kind: 'owner', from: 'jonas', to: 'lena', by: 'workflow' }],
      cadence: [
        ['jonas', 2],
        ['lena', 6],
      ],
    },
    {
      given: 'called at 11:00Z, recycled by jonas at 13:00Z: steps 1 and 2 asked (step 2 due 12:00Z) (was 6)',
      after: [
        attempt(at(MON, '11:00')),
        {
          at: at(MON, '13:00'),
          kind: 'status',
          from: 'sql/attempting-contact',
          to: 'lead/recycled-not-ready',
          by: 'rep:jonas',
        },
      ],
      cadence: [['jonas', 2]],
    },
    {
      given: 'disqualified by a manager after 1 h, untouched: none asked (was 6)',
      after: [
        {
          at: at(MON, '11:00'),
          kind: 'status',
          from: 'sql/new',
          to: 'sql/unqualified',
          by: 'manager:katrin',
        },
      ],
      cadence: [['jonas', 0]],
    },
    {
      given: 'erased after 1 h: none asked, as the erase rule had it',
      after: [{ at: at(MON, '11:00'), kind: 'erased', by: 'api:admin' }],
      cadence: [['jonas', 0]],
    },
    {
      given: 'held to the end of the window: all six asked, as before',
      after: [],
      cadence: [['jonas', 6]],
    },
  ])('$given', ({ after, cadence }) => {
    // Arrange
    const state = lead(23, [toMql, toSql, handoff('jonas'), ...(after as Step[])]);

    // Act
    const report = slaReport(sla, factsOf(sla, state), WINDOW);

    // Assert
    expect(report.sales.byRep.map((row) => [row.id, row.cadenceAttempts])).toEqual(cadence);
  });
});

describe('a call logged after the lead changed hands, dated while the previous owner had it (a CRM sync)', () => {
  // Arrange: jonas gets the lead Mon 10:00Z (due 14:00Z) and calls at 10:30Z; katrin gives it to lena at
  // 11:00Z (fresh clock: due 15:00Z); the call is logged at 16:00Z with the time it happened. Lena never calls.
  const lateLogged = lead(22, [
    toMql,
    toSql,
    handoff('jonas'),
    { at: at(MON, '11:00'), kind: 'owner', from: 'jonas', to: 'lena', by: 'manager:katrin' },
    { ...attempt(at(MON, '16:00')), data: { occurredAt: at(MON, '10:30') } },
  ]);
  const facts = factsOf(sla, lateLogged);

  it("is jonas's first touch, in time, not lena's: the workflow still holds lena to hers", () => {
    // Act
    const report = slaReport(sla, facts, WINDOW);

    // Assert
    const jonas = report.sales.byRep.find((row) => row.id === 'jonas')!;
    const lena = report.sales.byRep.find((row) => row.id === 'lena')!;
    expect(jonas).toMatchObject({
      handovers: 1,
      attempts: 1,
      firstTouch: { met: 1, breached: 0, pending: 0 },
      responseHours: { n: 1, p50: 0.5 },
    });
    expect(lena).toMatchObject({
      handovers: 1,
      attempts: 0,
      firstTouch: { met: 0, breached: 1, pending: 0 },
      responseHours: { n: 0 },
    });
    expect(report.sales.total.firstTouch).toEqual({ met: 1, breached: 1, pending: 0, rate: 0.5 });
  });

  it('tells the first touch of jonas to the events out, not one of lena', () => {
    // Act
    const events = leadEvents(sla, lateLogged).filter((event) => event.type.startsWith('lead.first_touch'));

    // Assert
    expect(events.map((event) => [event.type, event.data.ownerId])).toEqual([
      ['lead.first_touch_met', 'jonas'],
    ]);
  });
});

describe('a handover late in the window, read after it', () => {
  // Arrange: jonas gets two leads Fri 27 Nov 15:00Z (16:00 Berlin: due Mon 30 Nov 10:00Z); one is called Mon
  // 09:00Z, in time, the other Mon 13:00Z, late. The report is of Friday, read on Tuesday, knowing Mon and Tue.
  const calledMonday = (n: number, time: string) =>
    lead(n, [toMql, toSql, handoff('jonas', at(FRI, '15:00')), attempt(`2026-11-30T${time}:00:00.000Z`)]);
  const facts = [...factsOf(sla, calledMonday(23, '09')), ...factsOf(sla, calledMonday(24, '13'))];
  const friday = {
    from: `${FRI}T00:00:00.000Z`,
    to: '2026-11-28T00:00:00.000Z',
    now: new Date('2026-12-01T12:00:00.000Z'),
  };

  it('is judged by the touch that came after the window: one met, one breached, none pending', () => {
    // Act
    const report = slaReport(sla, facts, { ...friday, knownUntil: '2026-12-01T12:00:00.000Z' });

    // Assert
    expect(report.sales.total.firstTouch).toEqual({ met: 1, breached: 1, pending: 0, rate: 0.5 });
    expect(report.sales.byRep[0]?.firstTouch).toEqual({ met: 1, breached: 1, pending: 0, rate: 0.5 });
    // the touches themselves belong to Monday: no response time on Friday
    expect(report.sales.total.responseHours.n).toBe(0);
  });

  it('stays pending when the facts after the window are not known (knownUntil not given)', () => {
    // Act
    const report = slaReport(sla, facts, friday);

    // Assert
    expect(report.sales.total.firstTouch).toEqual({ met: 0, breached: 0, pending: 2, rate: null });
  });
});

describe('a lead given to another rep once connected or with a deal', () => {
  // Arrange: jonas connects Mon 11:00Z (his first touch met); then, connected (and in the second lead, with a
  // deal), katrin gives it to lena at Mon 12:00Z, who logs nothing: the workflow runs no first-touch clock
  // for her (lead-plan.ts), so the report judges none
  const connected: Step = {
    at: at(MON, '11:00'),
    kind: 'attempt',
    from: 'sql/new',
    to: 'sql/connected',
    by: 'rep:jonas',
    reasons: [{ rule: 'contact.outcome.connected', detail: 'connected' }],
  };
  const dealOpened: Step = {
    at: at(MON, '11:30'),
    kind: 'deal',
    from: 'sql/connected',
    to: 'opportunity/open-deal',
    by: 'rep:jonas',
  };
  const toLena: Step = {
    at: at(MON, '12:00'),
    kind: 'owner',
    from: 'jonas',
    to: 'lena',
    by: 'manager:katrin',
  };

  it.each([
    ['connected', [toMql, toSql, handoff('jonas'), connected, toLena]],
    ['with a deal', [toMql, toSql, handoff('jonas'), connected, dealOpened, toLena]],
  ])('%s: no first touch is owed by the new owner, none pending, none breached a week on', (_name, steps) => {
    // Act
    const report = slaReport(sla, factsOf(sla, lead(22, steps as Step[])), WINDOW);

    // Assert
    const lena = report.sales.byRep.find((row) => row.id === 'lena')!;
    expect(lena).toMatchObject({ handovers: 1, firstTouch: { met: 0, breached: 0, pending: 0, rate: null } });
    expect(report.sales.total.firstTouch).toEqual({ met: 1, breached: 0, pending: 0, rate: 1 });
  });
});

describe('the escalation that reassigns a lead', () => {
  it('counts against the rep who let it lie, not the one who got it', () => {
    // Arrange: jonas got the lead Mon 10:00Z (due 14:00Z) and never touched it; the ladder's reassign
    // rung (4 business hours late: Tue 10:00 Berlin) gives it to lena, its claim in the same write
    const reassignAt = at(TUE, '09:00');
    const state = lead(
      22,
      [
        toMql,
        toSql,
        handoff('jonas'),
        {
          at: reassignAt,
          kind: 'owner',
          from: 'jonas',
          to: 'lena',
          by: 'workflow',
          reasons: [{ rule: 'handoff.escalation.3', detail: 'the first touch was 4 business hours overdue' }],
        },
      ],
      {
        ownerId: 'lena',
        outbox: [
          {
            key: 'escalate:1:x:3',
            what: 'reassigned from jonas to lena',
            at: reassignAt,
            email: {
              type: 'reassigned',
              fromId: 'jonas',
              toId: 'lena',
              since: reassignAt,
              reason: 'overdue',
            },
          },
        ],
      },
    );

    // Act
    const report = slaReport(sla, factsOf(sla, state), WINDOW);

    // Assert
    expect(report.sales.byRep.map((row) => [row.id, row.escalations])).toEqual([
      ['jonas', 1],
      ['lena', 0],
    ]);
  });
});

describe('an escalation rung counts against the owner who was late', () => {
  // carla had the lead from Mon 10:00Z and never touched it; the ladder's reassign rung gave it to jonas at
  // Tue 10:00Z, the rung's outbox claim written by the same write as the owner change (lambdas/tasks/advance.ts)
  const reassignedByTheLadder = lead(
    21,
    [toMql, toSql, handoff('carla'), handoff('jonas', at(TUE, '10:00'), 'carla')],
    {
      ownerId: 'jonas',
      outbox: [
        {
          key: `escalate:1:${at(MON, '10:00')}:3`,
          what: 'reassigned from carla to jonas: the first touch was 4.0 business hours overdue',
          at: at(TUE, '10:00'),
          email: {
            type: 'reassigned',
            fromId: 'carla',
            toId: 'jonas',
            since: at(TUE, '10:00'),
            dueAt: at(TUE, '14:00'),
            reason: 'the first touch was 4.0 business hours overdue',
          },
        },
      ],
    },
  );

  it("the reassign rung is carla's escalation, not that of jonas who got the lead", () => {
    // Act
    const escalations = factsOf(sla, reassignedByTheLadder).filter((fact) => fact.kind === 'escalation');
    const report = slaReport(sla, factsOf(sla, reassignedByTheLadder), WINDOW);

    // Assert
    expect(escalations.map((fact) => fact.rep)).toEqual(['carla']);
    expect(report.sales.byRep.map((row) => [row.id, row.escalations])).toEqual([
      ['carla', 1],
      ['jonas', 0],
    ]);
  });
});

describe('the text report', () => {
  it("keeps its columns aligned whatever the length of the SLA's names", () => {
    // Arrange: "Marketing qualified lead" is longer than "Lead"; "Equipment sales" than "All"
    const report = slaReport(
      sla,
      LEADS.flatMap((state) => factsOf(sla, state)),
      WINDOW,
    );

    // Act
    const lines = reportText(report).split('\n');

    // Assert
    const funnel = lines.filter((line) => / reached +\d/.test(line));
    expect(funnel).toHaveLength(6);
    expect(new Set(funnel.map((line) => line.indexOf(' reached ')))).toHaveProperty('size', 1);
    const sales = lines.filter((line) => line.includes(' handovers '));
    expect(sales.length).toBeGreaterThan(2);
    expect(new Set(sales.map((line) => line.indexOf(' handovers ')))).toHaveProperty('size', 1);
  });
});

describe('a cadence that ran out, per rep', () => {
  // the workflow's recycle at the cadence's end, then its breach entry at the same instant (tasks/advance.ts)
  const ranOut = lead(40, [
    toMql,
    toSql,
    handoff('jonas'),
    {
      at: at(FRI, '16:00'),
      kind: 'cadence',
      from: 'sql/new',
      to: 'lead/recycled-not-ready',
      by: 'workflow',
      reasons: [
        { rule: 'cadence.standard.exhausted', detail: 'cadence expired with 0 of 6 attempts logged' },
      ],
    },
    {
      at: at(FRI, '16:00'),
      kind: 'breach',
      by: 'workflow',
      reasons: [{ rule: 'sla.breach.cadence', detail: '0 of 6 (owner jonas)' }],
    },
  ]);

  it('is the breach of the rep it ran out on, in the JSON and in the page', () => {
    // Act
    const report = slaReport(sla, factsOf(sla, ranOut), WINDOW);
    const page = reportHtml(report, { locale: 'en', sla });

    // Assert: Jonas's row counts it (before: every rep 0, the total 1)
    expect(report.sales.total.cadenceBreaches).toBe(1);
    expect(report.sales.byRep.map((row) => [row.id, row.cadenceBreaches])).toEqual([['jonas', 1]]);
    expect(page).toContain('<th>Cadence breaches</th>');
    const jonas = /<tr><th scope="row">Jonas Berger<\/th>(.*?)<\/tr>/.exec(page)?.[1] ?? '';
    expect(jonas.match(/<td>([^<]*)<\/td>/g)?.[7]).toBe('<td>1</td>');
  });
});

describe("why sales rejected SQLs, in the SLA's names", () => {
  // a rep's "Not now" outcome recycled one SQL; a deal moved to "Closed lost" recycled another
  const recycledBy = (n: number, rule: string, by: string) =>
    lead(n, [
      toMql,
      toSql,
      handoff('jonas'),
      attempt(at(MON, '11:00')),
      {
        at: at(MON, '12:00'),
        kind: 'status',
        from: 'sql/attempting-contact',
        to: 'lead/recycled-not-ready',
        by,
        reasons: [{ rule, detail: 'recycled' }],
      },
    ]);
  const report = slaReport(
    sla,
    [
      recycledBy(31, 'contact.outcome.not-now', 'rep:jonas'),
      recycledBy(32, 'deals.stage.closed-lost', 'rep:jonas'),
    ].flatMap((state) => factsOf(sla, state)),
    WINDOW,
  );

  it('names the outcome and the deal stage that decided, beside the rule', () => {
    expect(report.marketing.sqls.rejections).toEqual([
      { status: 'Recycled - not ready', reason: 'contact.outcome.not-now', reasonName: 'Not now', count: 1 },
      {
        status: 'Recycled - not ready',
        reason: 'deals.stage.closed-lost',
        reasonName: 'Closed lost',
        count: 1,
      },
    ]);
  });

  it('the text and the page show the names, not the rules', () => {
    const text = reportText(report);
    const html = reportHtml(report, { locale: 'en', sla });
    const arabic = reportHtml(report, { locale: 'ar', sla });

    expect(text).toContain('1 x Recycled - not ready (Not now)');
    expect(html).toContain('Recycled - not ready (Closed lost)');
    expect(arabic).toContain('(ليس الآن)');
    for (const page of [text, html, arabic]) {
      expect(page).not.toContain('contact.outcome.not-now');
      expect(page).not.toContain('deals.stage.closed-lost');
    }
  });
});

describe('a deal lost after it opened is no SQL sales rejected (a manager read lost deals as rejections)', () => {
  // Arrange: both SQLs were handed to Jonas and recycled by him; one had a deal opened first (sales accepted it)
  const dealOpened: Step = {
    at: at(TUE, '09:00'),
    kind: 'deal',
    from: 'sql/attempting-contact',
    to: 'opportunity/open-deal',
    by: 'rep:jonas',
    reasons: [{ rule: 'deals.stage.discovery', detail: 'deal in Discovery' }],
  };
  const recycled = (from: string, rule: string): Step => ({
    at: at(WED, '09:00'),
    kind: from.startsWith('opportunity') ? 'deal' : 'status',
    from,
    to: 'lead/recycled-not-ready',
    by: 'rep:jonas',
    reasons: [{ rule, detail: 'recycled' }],
  });
  const lostDeal = lead(41, [
    toMql,
    toSql,
    handoff('jonas'),
    attempt(at(MON, '11:00')),
    dealOpened,
    recycled('opportunity/open-deal', 'deals.stage.closed-lost'),
  ]);
  const notNow = lead(42, [
    toMql,
    toSql,
    handoff('jonas'),
    attempt(at(MON, '11:00')),
    recycled('sql/attempting-contact', 'contact.outcome.not-now'),
  ]);

  it.each([
    ['a deal opened, then lost', 0, lostDeal],
    ['recycled before any deal', 1, notNow],
  ])('%s: %i rejection fact(s)', (_, rejects, state) => {
    // Act
    const facts = factsOf(sla, state);

    // Assert: the recycle is recorded either way; only the SQL without a deal is a rejection
    expect(facts.filter((fact) => fact.kind === 'recycle')).toHaveLength(1);
    expect(facts.filter((fact) => fact.kind === 'reject')).toHaveLength(rejects);
  });

  it('the report counts one of the two as rejected: 50 % accepted, not 0 %', () => {
    const report = slaReport(
      sla,
      [lostDeal, notNow].flatMap((state) => factsOf(sla, state)),
      WINDOW,
    );

    expect(report.marketing.sqls).toMatchObject({ handedOver: 2, rejected: 1, acceptanceRate: 0.5 });
    expect(report.marketing.sqls.rejections.map((row) => row.reason)).toEqual(['contact.outcome.not-now']);
  });
});

describe('the funnel counts a lead at every stage it reached, as marketing counts MQLs (a manager read "MQL 1 entered" beside "MQLs delivered 15")', () => {
  const TUESDAY = { from: `${TUE}T00:00:00.000Z`, to: WINDOW.to, now: WINDOW.now };
  /** a lead new on Wednesday at `stage` (a demo request scores straight to SQL) */
  const arrived = (n: number, stage: string): LeadState =>
    lead(n, [], {
      timeline: [{ at: at(WED, '09:00'), kind: 'created', to: stage, by: 'form', reasons: [] }],
    });
  const recycledSql = (n: number): LeadState =>
    lead(n, [
      { at: at(MON, '08:00'), kind: 'stage', from: 'lead', to: 'sql', by: 'workflow' },
      {
        at: at(WED, '10:00'),
        kind: 'cadence',
        from: 'sql/attempting-contact',
        to: 'lead/recycled-not-ready',
        by: 'workflow',
      },
    ]);
  const LEADS_OF_THE_WEEK = [
    ...[1, 2, 3].map((n) => arrived(n, 'sql')),
    arrived(4, 'mql'),
    arrived(5, 'lead'),
    // SQLs since Monday, sent back to marketing on Wednesday: they reached no stage this week
    recycledSql(6),
    recycledSql(7),
    // a lead since Monday: an MQL on Tuesday, an SQL on Wednesday
    lead(8, [
      { ...toMql, at: at(TUE, '09:00') },
      { ...toSql, at: at(WED, '09:00') },
    ]),
  ];
  const report = slaReport(
    sla,
    LEADS_OF_THE_WEEK.flatMap((state) => factsOf(sla, state)),
    TUESDAY,
  );

  it.each([
    // stage, reached, reached the next stage, conversion to it
    ['subscriber', 5, 5, 1], // the five new ones: a lead that arrives as an SQL skipped it
    ['lead', 5, 4, 0.8], // not 7: the recycled SQLs went back, they reached nothing
    ['mql', 5, 4, 0.8], // the three SQLs, the new MQL, lead 8: MQL to SQL 80 %
    ['sql', 4, 0, 0],
    ['opportunity', 0, 0, null],
    ['customer', 0, 0, null], // the last stage: no next one
  ])('%s: reached %i, %i reached the next stage (%s)', (stage, reached, reachedNext, conversionToNext) => {
    // Act
    const row = report.funnel.find((candidate) => candidate.stage === stage)!;

    // Assert
    expect(row).toMatchObject({ reached, reachedNext, conversionToNext });
  });

  it("reads the same MQLs as marketing's figure", () => {
    // Act
    const mql = report.funnel.find((candidate) => candidate.stage === 'mql')!;

    // Assert
    expect(report.marketing.mqls.actual).toBe(5);
    expect(mql.reached).toBe(report.marketing.mqls.actual);
  });

  it.each([
    // stage, entered, advanced: the stage landed on, a recycle back to it too (the old figures, kept)
    ['lead', 3, 0], // lead 5, and the two recycled SQLs
    ['mql', 2, 1], // the new MQL and lead 8 (on to SQL): the new SQLs skipped it
    ['sql', 4, 0],
  ])(
    'keeps %s entered %i, advanced %i as they were (a contract of GET /reports/sla)',
    (stage, entered, advanced) => {
      // Act
      const row = report.funnel.find((candidate) => candidate.stage === stage)!;

      // Assert
      expect(row).toMatchObject({ entered, advanced });
    },
  );

  it('says on the page and in the text what each number counts', () => {
    // Act
    const html = reportHtml(report, { locale: 'en', sla });
    const text = reportText(report);

    // Assert
    expect(html).toContain(
      '<th>Reached</th><th>On to the next stage</th><th>Conversion to the next stage</th>',
    );
    expect(html).toContain('<th scope="row">Marketing qualified lead</th><td>5</td><td>4</td><td>80%</td>');
    expect(html).toContain(
      'a lead that arrives at the Sales qualified lead stage counts at every stage before it',
    );
    expect(text).toMatch(/Marketing qualified lead +reached +5 +on to the next stage +4 \(80%\)/);
    expect(text.replace(/\s+/g, ' ')).toContain(
      'a lead that arrives at the Sales qualified lead stage counts at every stage before it',
    );
  });
});

describe('the CLI text and the HTML page show durations as measured, and the window on the SLA clock', () => {
  // a manager's recount: a first touch 15 business minutes after the handover read "0.3 h" (18 min) in the CLI
  const facts = LEADS.flatMap((state) => factsOf(sla, state));
  const measured = slaReport(sla, facts, WINDOW);
  const quarterHour = { n: 1, p50: 0.3, p90: 0.3, p50Minutes: 15, p90Minutes: 15 };
  const report = {
    ...measured,
    sales: { ...measured.sales, total: { ...measured.sales.total, responseHours: quarterHour } },
  };

  it.each<[string, () => string, string]>([
    ['CLI text', () => reportText(report), 'response p50 15 min, p90 15 min (n=1)'],
    ['HTML, English', () => reportHtml(report, { locale: 'en', sla }), '<td>15 min / 15 min</td>'],
    ['HTML, Arabic', () => reportHtml(report, { locale: 'ar', sla }), '<td>15 دقيقة / 15 دقيقة</td>'],
  ])('%s: a quarter hour reads 15 minutes, not 0.3 hours', (_where, render, shown) => {
    // Act
    const text = render();

    // Assert
    expect(text).toContain(shown);
    expect(text).not.toMatch(/\b0\.3\b/);
  });

  it('an hour and more reads in hours to a tenth, as before', () => {
    // Act
    const text = reportText(measured);

    // Assert: the total's first touches, 2 h and 6 h (the hand-computed week above)
    expect(text).toContain('response p50 2 h, p90 6 h (n=7)');
  });

  it("the CLI names the window's edges on the SLA calendar's clock (Berlin), never in raw UTC", () => {
    // Act
    const window = reportText(measured).split('\n')[1]!;

    // Assert: Mon 23 Nov 00:00 UTC is 01:00 in Berlin
    expect(window).toMatch(/^Mon 23 Nov 2026, 01:00 CET to Mon 30 Nov 2026, 01:00 CET; \d+ facts$/);
    expect(window).not.toContain('T00:00:00.000Z');
  });
});
