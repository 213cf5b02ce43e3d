/**
 * The managers' part of the SLA report (ADR 0090): the escalation ladder ran out and handed the lead over to its
 * queue's manager ("Over to you", ADR 0085, 0088). A `takeover` report fact (report-facts.ts) from the takeover's
 * timeline entry, and in the report (sla-report.ts) how many leads went over to a manager in the window and what
 * became of each: given to a rep (and after how long), a call logged, recycled untouched, disqualified or erased,
 * still open; in JSON, in text and on both languages' pages, named by the SLA's names.
 */
import { describe, expect, it } from 'vitest';
import type { LeadState, TimelineEntry } from '../../lambdas/domain/lead-state.ts';
import { carryFacts, factsOf, type LeadFact } from '../../lambdas/domain/report-facts.ts';
import { reportHtml, reportText, slaReport } from '../../lambdas/domain/sla-report.ts';
import { leadOfStory } from '../support/lead-state.ts';
import { loadDefaultSla } from '../support/sla.ts';

const sla = loadDefaultSla();
/** Monday 30 Nov 2026, UTC (Berlin is UTC+1: working hours 07:00-16:00 UTC) */
const at = (time: string, day = '2026-11-30') => `${day}T${time}:00.000Z`;

const lead = leadOfStory;

const created = { at: at('08:00'), kind: 'created', to: 'lead/new', by: 'form' };
const toSql = { at: at('08:30'), kind: 'stage', from: 'lead/new', to: 'sql/new', by: 'workflow' };
const toJonas = { at: at('09:00'), kind: 'owner', to: 'jonas', by: 'workflow' };
/** the ladder ran out on Jonas's handover: over to Katrin (tasks/advance.ts handToManager, ladder done) */
const overTo = (to: string, time = '12:00', day?: string) => ({
  at: at(time, day),
  kind: 'escalation',
  from: 'jonas',
  to,
  by: 'workflow',
  data: { takenOver: at('09:00') },
});
const story = (id: string, ...steps: Omit<TimelineEntry, 'reasons'>[]) =>
  lead(id, [created, toSql, toJonas, ...steps]);

describe('the takeover report fact', () => {
  it.each([
    [
      'the ladder ran out: over to the queue manager',
      [overTo('katrin')],
      [{ kind: 'takeover', at: at('12:00'), manager: 'katrin', rep: 'jonas', queue: 'equipment-sales' }],
    ],
    [
      'nobody in the SLA to hand it to: the ops address',
      [overTo('ops')],
      [{ kind: 'takeover', at: at('12:00'), manager: 'ops', rep: 'jonas', queue: 'equipment-sales' }],
    ],
    [
      'the manager told while the ladder goes on (the owner has no manager; an owner away and nobody free)',
      [{ at: at('12:00'), kind: 'escalation', from: 'jonas', to: 'katrin', by: 'workflow' }],
      [],
    ],
    [
      'a takeover stored before ADR 0090 (its entry says nothing of it)',
      [{ at: at('12:00'), kind: 'escalation', from: 'jonas', to: 'priya', by: 'workflow' }],
      [],
    ],
  ] as const)('%s', (_case, steps, expected) => {
    // Arrange
    const state = story('lead-over', ...steps);
    // Act
    const facts = factsOf(sla, state).filter((fact) => fact.kind === 'takeover');
    // Assert
    expect(facts.map(({ kind, at, manager, rep, queue }) => ({ kind, at, manager, rep, queue }))).toEqual(
      expected,
    );
  });

  it.each([
    ['on one timeline', 0],
    ['the first takeover moved off the state (ADR 0021): its carry', 4],
  ] as const)(
    'a later reassign rung of the same handover hands it over again: one takeover, %s',
    (_case, moving) => {
      // Arrange: a ladder with a second reassign rung after maxReassignments was reached ("4bh reassign; 1bd
      // reassign") hands Jonas's handover over at 12:00 and again the next day; then Lena's handover runs out too
      const lenaFromKatrin = {
        at: at('09:00', '2026-12-02'),
        kind: 'owner',
        from: 'jonas',
        to: 'lena',
        by: 'console:katrin',
      };
      const lenasOver = {
        ...overTo('katrin', '12:00', '2026-12-03'),
        from: 'lena',
        data: { takenOver: at('09:00', '2026-12-02') },
      };
      const whole = story(
        'lead-twice',
        overTo('katrin'),
        overTo('katrin', '12:00', '2026-12-01'),
        lenaFromKatrin,
        lenasOver,
      );
      const carry = carryFacts(sla, whole, whole.timeline.slice(0, moving));
      const state = {
        ...whole,
        timeline: whole.timeline.slice(moving),
        timelineSpilled: moving,
        ...(carry ? { factsCarry: carry } : {}),
      } as LeadState;
      const before = factsOf(sla, { ...whole, timeline: whole.timeline.slice(0, moving) } as LeadState);
      // Act
      const facts = [...before, ...factsOf(sla, state)].filter((fact) => fact.kind === 'takeover');
      // Assert
      expect(facts.map(({ at, rep }) => [at, rep])).toEqual([
        [at('12:00'), 'jonas'],
        [at('12:00', '2026-12-03'), 'lena'],
      ]);
    },
  );

  it("a handoff's 'the lead needs an owner' is no takeover", () => {
    // Arrange: nobody in the queue could take the lead: its manager is asked (tasks/handoff.ts needsOwner)
    const state = lead('lead-needs', [
      created,
      toSql,
      { at: at('09:00'), kind: 'escalation', to: 'katrin', by: 'workflow' },
      { at: at('10:00'), kind: 'owner', to: 'jonas', by: 'console:katrin' },
    ]);
    // Act
    const facts = factsOf(sla, state);
    // Assert
    expect(facts.filter((fact) => fact.kind === 'takeover')).toEqual([]);
    expect(facts.find((fact) => fact.kind === 'handover')?.waitedHours).toBe(1);
  });
});

const WINDOW = { from: at('00:00'), to: at('00:00', '2026-12-01'), now: new Date(at('00:00', '2026-12-08')) };
const lenaAt = (time: string, day?: string) => ({
  at: at(time, day),
  kind: 'owner',
  from: 'jonas',
  to: 'lena',
  by: 'console:katrin',
});

describe('what became of the leads over to a manager', () => {
  it.each([
    ['given to a rep 2.5 business hours later', [lenaAt('14:30')], 'givenOn', [2.5]],
    [
      'a call logged while it stayed with its owner',
      [{ at: at('13:00'), kind: 'attempt', from: 'sql/new', to: 'sql/attempting-contact', by: 'rep:jonas' }],
      'touched',
      [],
    ],
    [
      'recycled untouched: the cadence ran out (its breach)',
      [
        {
          at: at('15:00'),
          kind: 'stage',
          from: 'sql/new',
          to: 'mql/recycled-not-ready',
          by: 'workflow',
        },
        { at: at('15:00'), kind: 'breach', by: 'workflow' },
      ],
      'recycled',
      [],
    ],
    [
      'disqualified by a person, untouched',
      [{ at: at('15:00'), kind: 'status', from: 'sql/new', to: 'sql/unqualified', by: 'console:katrin' }],
      'ended',
      [],
    ],
    ['nothing yet', [], 'open', []],
    [
      'given on after the window (Tuesday 08:00 UTC: four business hours of the Monday, one of the Tuesday)',
      [lenaAt('08:00', '2026-12-01')],
      'givenOn',
      [5],
    ],
  ] as const)('%s', (_case, steps, fate, hours) => {
    // Arrange
    const facts = factsOf(sla, story('lead-fate', overTo('katrin'), ...steps));
    // Act
    const report = slaReport(sla, facts, { ...WINDOW, followedUntil: WINDOW.now.toISOString() });
    // Assert
    const total = report.sales.takeovers!.total;
    const fates = { givenOn: 0, touched: 0, recycled: 0, ended: 0, open: 0, [fate]: 1 };
    expect(total).toMatchObject({ overTo: 1, ...fates });
    expect(total.givenOnHours.n).toBe(hours.length);
    expect(total.givenOnHours.p50).toBe(hours[0] ?? null);
  });

  it.each([
    ['and nothing since: still open', [], 'open'],
    ['then the manager gave it to Lena: given to a rep', [lenaAt('14:30')], 'givenOn'],
  ] as const)(
    "a call Mike made while the lead was his, synced after the takeover, is no touch of Jonas's handover, %s",
    (_case, steps, fate) => {
      // Arrange: Mike had the lead first, the ladder gave it to Jonas, then over to Katrin; the CRM syncs Mike's call
      // afterwards, with its time (the workflow still reminds Katrin: Jonas has made no first touch)
      const mike = { at: at('08:40'), kind: 'owner', to: 'mike', by: 'workflow' };
      const mikeToJonas = { at: at('09:00'), kind: 'owner', from: 'mike', to: 'jonas', by: 'workflow' };
      const mikesCall = {
        at: at('13:00'),
        kind: 'attempt',
        from: 'sql/new',
        to: 'sql/attempting-contact',
        by: 'rep:mike',
        data: { occurredAt: at('08:50') },
      };
      const state = lead('lead-synced', [
        created,
        toSql,
        mike,
        mikeToJonas,
        overTo('katrin'),
        mikesCall,
        ...steps,
      ]);
      // Act
      const report = slaReport(sla, factsOf(sla, state), {
        ...WINDOW,
        followedUntil: WINDOW.now.toISOString(),
      });
      // Assert
      const fates = { givenOn: 0, touched: 0, recycled: 0, ended: 0, open: 0, [fate]: 1 };
      expect(report.sales.takeovers!.total).toMatchObject({ overTo: 1, ...fates });
    },
  );

  it('a takeover followed no further than the report reads: still open when the hand-on came after that', () => {
    // Arrange: given on on Tuesday; the report knows the facts up to the window's end only
    const facts = factsOf(sla, story('lead-later', overTo('katrin'), lenaAt('08:00', '2026-12-01')));
    // Act
    const report = slaReport(sla, facts, WINDOW);
    // Assert
    expect(report.sales.takeovers!.total).toMatchObject({ overTo: 1, givenOn: 0, open: 1 });
  });

  it('per queue and per manager, named by the SLA, and the sales figures as before', () => {
    // Arrange: two leads over to Katrin (one given to Lena), one to Priya (ops), and one never over to anyone
    const leads = [
      story('a', overTo('katrin'), lenaAt('13:00')),
      story('b', overTo('katrin', '12:30')),
      story('c', overTo('priya', '13:00')),
      story('d'),
    ];
    const facts: LeadFact[] = leads.flatMap((state) => factsOf(sla, state));
    const before = facts.filter((fact) => fact.kind !== 'takeover');
    // Act
    const report = slaReport(sla, facts, WINDOW);
    // Assert
    const over = report.sales.takeovers!;
    expect(over.total).toMatchObject({ overTo: 3, givenOn: 1, open: 2 });
    expect(over.byQueue).toEqual([
      expect.objectContaining({
        id: 'equipment-sales',
        name: 'Equipment sales',
        overTo: 3,
        managers: [
          { id: 'katrin', name: 'Katrin Vogel' },
          { id: 'priya', name: 'Priya Shah' },
        ],
      }),
    ]);
    expect(over.byManager.map((row) => [row.name, row.overTo, row.givenOn])).toEqual([
      ['Katrin Vogel', 2, 1],
      ['Priya Shah', 1, 0],
    ]);
    // the sales figures (handovers, escalations, reps' rows) are those of the facts without the takeovers
    const { takeovers: _t, ...sales } = report.sales;
    const { takeovers: _none, ...salesBefore } = slaReport(sla, before, WINDOW).sales;
    expect(sales).toEqual(salesBefore);
  });

  it.each([
    [
      "Katrin's team, the lead of Dan's team over to her",
      { reps: ['jonas', 'lena'], managers: ['katrin'] },
      1,
    ],
    ["Katrin's team, no managers named: the owner's team only", { reps: ['jonas', 'lena'] }, 0],
    ["Dan's team: the owner's", { reps: ['carla', 'mike'], managers: ['dan'] }, 1],
    ["Priya's: neither her team's nor over to her", { reps: [], managers: ['priya'] }, 0],
  ] as const)("a manager's report: %s", (_case, scope, expected) => {
    // Arrange: Carla (Dan's team) let the lead lie; the ladder handed it over to Katrin (the queue's manager)
    const carla = story('e', { ...overTo('katrin'), from: 'carla' }).timeline.map((entry) =>
      entry.kind === 'owner' ? { ...entry, to: 'carla' } : entry,
    );
    const facts = factsOf(sla, lead('e', carla));
    // Act
    const report = slaReport(sla, facts, { ...WINDOW, ...scope });
    // Assert
    expect(report.sales.takeovers!.total.overTo).toBe(expected);
  });

  it.each([
    ['en', ['Over to the managers', 'Katrin Vogel', 'Equipment sales', 'Given to a rep']],
    ['ar', ['المحالون إلى المديرين', 'Katrin Vogel', 'مبيعات المعدات', 'أُسند إلى مندوب']],
  ] as const)('the page in %s names the manager and the queue', (locale, expected) => {
    // Arrange
    const facts = factsOf(sla, story('a', overTo('katrin'), lenaAt('13:00')));
    const report = slaReport(sla, facts, WINDOW);
    // Act
    const html = reportHtml(report, { locale, sla });
    // Assert
    for (const text of expected) expect(html).toContain(text);
  });

  it('the text report says it per queue and per manager', () => {
    // Arrange
    const facts = factsOf(sla, story('a', overTo('katrin'), lenaAt('13:00')));
    // Act
    const text = reportText(slaReport(sla, facts, WINDOW));
    // Assert
    expect(text).toContain('Over to the managers');
    expect(text).toMatch(/Equipment sales +over to Katrin Vogel 1: given to a rep 1 \(after p50 1 h/);
    expect(text).toMatch(/Katrin Vogel +over to them 1:/);
  });

  it('a report of an older LeadPact (no takeovers) draws as before', () => {
    // Arrange
    const { takeovers: _t, ...sales } = slaReport(sla, [], WINDOW).sales;
    const older = { ...slaReport(sla, [], WINDOW), sales };
    // Act
    const html = reportHtml(older, { locale: 'en', sla });
    const text = reportText(older);
    // Assert
    expect(html).not.toContain('Over to the managers');
    expect(text).not.toContain('Over to the managers');
  });
});
