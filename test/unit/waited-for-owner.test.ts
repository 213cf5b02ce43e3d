/**
 * How long a lead waited for an owner because nobody in its queue could take it (ADR 0041): the hours from
 * the handoff's "the lead needs an owner" escalation to its first owner, on that handover's report fact
 * (report-facts.ts), carried across moves of the oldest entries, and in the SLA report as percentiles
 * (sla-report.ts), in text and in both shipped languages' pages.
 */
import { describe, expect, it } from 'vitest';
import type { LeadState } from '../../lambdas/domain/lead-state.ts';
import { carryFacts, factsOf, type LeadFact } from '../../lambdas/domain/report-facts.ts';
import { reportHtml, reportText, slaReport } from '../../lambdas/domain/sla-report.ts';
import { leadOfStory } from '../support/lead-state.ts';
import { loadDefaultSla } from '../support/sla.ts';

const sla = loadDefaultSla();
const at = (time: string) => `2026-11-30T${time}:00.000Z`;

const lead = leadOfStory;

const created = { at: at('08:00'), kind: 'created', to: 'lead/new', by: 'form' };
const toSql = { at: at('09:00'), kind: 'stage', from: 'lead/new', to: 'sql/new', by: 'workflow' };
/** the handoff found nobody: its manager is asked (tasks/handoff.ts needsOwner) */
const needsOwner = (time: string) => ({ at: at(time), kind: 'escalation', to: 'katrin', by: 'workflow' });
const owner = (time: string, to: string, by = 'workflow', from?: string) => ({
  at: at(time),
  kind: 'owner',
  to,
  by,
  ...(from ? { from } : {}),
});

const handovers = (state: LeadState): LeadFact[] => factsOf(sla, state).filter((f) => f.kind === 'handover');

describe('the hours a lead waited for an owner', () => {
  it.each([
    ['handed to a rep who came back 3.5 h later', [needsOwner('09:00'), owner('12:30', 'jonas')], [3.5]],
    [
      'given to a rep by its manager',
      [needsOwner('09:00'), owner('10:15', 'lena', 'console:katrin')],
      [1.25],
    ],
    ['handed over at once (it never waited)', [owner('09:00', 'jonas')], [undefined]],
    [
      'waited, then reassigned by the ladder: only the first handover waited',
      [
        needsOwner('09:00'),
        owner('11:00', 'jonas'),
        needsOwner('13:00'),
        owner('14:00', 'lena', 'workflow', 'jonas'),
      ],
      [2, undefined],
    ],
  ] as const)('%s', (_case, steps, expected) => {
    // Arrange
    const state = lead('lead-wait', [created, toSql, ...steps]);
    // Act
    const facts = handovers(state);
    // Assert
    expect(facts.map((fact) => fact.waitedHours)).toEqual(expected);
  });

  it('a wait that ended in a recycle does not count towards the next handover', () => {
    // Arrange: asked, then sent back to marketing, then an SQL again and handed over at once
    const state = lead('lead-recycled', [
      created,
      toSql,
      needsOwner('09:00'),
      {
        at: at('10:00'),
        kind: 'status',
        from: 'sql/new',
        to: 'mql/recycled-not-ready',
        by: 'console:katrin',
      },
      { at: at('11:00'), kind: 'stage', from: 'mql/recycled-not-ready', to: 'sql/new', by: 'workflow' },
      owner('11:00', 'jonas'),
    ]);
    // Act / Assert
    expect(handovers(state).map((fact) => fact.waitedHours)).toEqual([undefined]);
  });

  it('the same hours when the escalation moved off the state before the owner came (the carry)', () => {
    // Arrange: the escalation and all before it moved off; the handover is on the tail
    const whole = lead('lead-moved', [created, toSql, needsOwner('09:00'), owner('15:00', 'jonas')]);
    const moving = whole.timeline.slice(0, 3);
    const carry = carryFacts(sla, whole, moving)!;
    const tail: LeadState = {
      ...whole,
      timeline: whole.timeline.slice(3),
      timelineSpilled: 3,
      factsCarry: carry,
    };
    // Act
    const facts = handovers(tail);
    // Assert
    expect(carry.waitingSince).toBe(at('09:00'));
    expect(facts.map((fact) => fact.waitedHours)).toEqual([6]);
    expect(facts).toEqual(handovers(whole));
  });

  it("the ladder's hand-over to the manager (the lead had an owner) is no wait, also where the walk does not know that owner", () => {
    // Arrange: the tail of a lead whose first handover to Jonas is no longer on the state and no carry stands
    // (entries dropped at the cap, as the in-memory store of the simulator does; moved by a function of the
    // code before carries); the ladder ran out ("no first touch", advance.ts handToManager, from Jonas) and
    // Katrin then gave the lead to Lena
    const ladderDone = { at: at('10:00'), kind: 'escalation', from: 'jonas', to: 'katrin', by: 'workflow' };
    const whole = lead('lead-ladder', [
      created,
      toSql,
      owner('09:00', 'jonas'),
      ladderDone,
      owner('14:00', 'lena', 'console:katrin', 'jonas'),
    ]);
    const tail: LeadState = { ...whole, timeline: whole.timeline.slice(3), timelineDropped: 3 };
    // Act
    const facts = handovers(tail);
    // Assert: a handover, and no lead waited for an owner
    expect(facts).toHaveLength(1);
    expect(facts[0]?.waitedHours).toBeUndefined();
  });

  it('the report gives the waits as percentiles, and says so in text and on both pages', () => {
    // Arrange: two leads waited (1 h and 5 h), one did not
    const facts = [
      lead('a', [created, toSql, needsOwner('09:00'), owner('10:00', 'jonas')]),
      lead('b', [created, toSql, needsOwner('09:00'), owner('14:00', 'jonas')]),
      lead('c', [created, toSql, owner('09:00', 'jonas')]),
    ].flatMap((state) => factsOf(sla, state));
    // Act
    const report = slaReport(sla, facts, {
      from: '2026-11-30T00:00:00.000Z',
      to: '2026-12-01T00:00:00.000Z',
      now: new Date('2026-12-01T00:00:00.000Z'),
    });
    // Assert
    expect(report.sales.total.waitedForOwner).toEqual({
      n: 2,
      p50: 3,
      p90: 5,
      p50Minutes: 180,
      p90Minutes: 300,
    });
    expect(report.sales.total.handovers).toBe(3);
    expect(report.sales.byQueue[0]?.waitedForOwner).toEqual({
      n: 2,
      p50: 3,
      p90: 5,
      p50Minutes: 180,
      p90Minutes: 300,
    });
    expect(reportText(report)).toContain('waited for an owner p50 3 h, p90 5 h (n=2)');
    expect(reportHtml(report)).toContain('2 leads waited for an owner');
    expect(reportHtml(report, { locale: 'ar' })).toContain('انتظر 2 من العملاء المحتملين مالكًا');
  });

  it('a report with no wait says nothing of it', () => {
    // Arrange
    const facts = factsOf(sla, lead('c', [created, toSql, owner('09:00', 'jonas')]));
    // Act
    const report = slaReport(sla, facts, {
      from: '2026-11-30T00:00:00.000Z',
      to: '2026-12-01T00:00:00.000Z',
      now: new Date('2026-12-01T00:00:00.000Z'),
    });
    // Assert
    expect(report.sales.total.waitedForOwner).toEqual({
      n: 0,
      p50: null,
      p90: null,
      p50Minutes: null,
      p90Minutes: null,
    });
    expect(reportText(report)).not.toContain('waited for an owner');
    expect(reportHtml(report)).not.toContain('waited for an owner');
  });
});
