/**
 * The SLA report against ground truth: leads with known rep behaviour (on time, late, never, a Friday
 * evening, a weekend, late the day before and touched the next, a call logged after the lead changed hands)
 * driven through the whole local runtime on the manual clock, the owners as routing chose them, and the
 * expected first-touch verdicts and response times computed here from the stories alone: deadlines by a
 * minute-stepping walk over the owner's working calendar read with Intl (not lambdas/domain/business-hours.ts).
 */
import { describe, expect, it } from 'vitest';
import type { SlaReport } from '../../lambdas/domain/sla-report.ts';
import { E2E_ADMIN_TOKEN, type E2e, exampleLead, MINUTE } from '../support/e2e.ts';
import { useRuntime } from '../support/use-runtime.ts';
import { isWorkingInstant } from '../support/wall-clock-oracle.ts';

/** The owner's working minute at `t`: the SLA file's calendar, the rep's own zone, days and hours where given. */
function isWorkingMinute(e2e: E2e, repId: string, t: number): boolean {
  const { calendar } = e2e.sla;
  const rep = e2e.sla.routing.reps.find((candidate) => candidate.id === repId)!;
  return isWorkingInstant(
    {
      timeZone: rep.timeZone ?? calendar.timeZone,
      workingDays: rep.workingDays ?? calendar.workingDays,
      workingHours: rep.workingHours ?? calendar.workingHours,
      holidays: rep.holidays ?? calendar.holidays,
    },
    t,
  );
}

/** The default SLA's first touch: 4 business hours of the owner's from the handover, minute by minute. */
function dueOf(e2e: E2e, repId: string, handover: string): string {
  let t = Date.parse(handover);
  let left = 4 * 60;
  while (left > 0) {
    if (isWorkingMinute(e2e, repId, t)) left -= 1;
    t += MINUTE;
  }
  return new Date(t).toISOString();
}

/** Business hours of the owner's between two instants, minute by minute. */
function businessHours(e2e: E2e, repId: string, from: string, to: string): number {
  let minutes = 0;
  for (let t = Date.parse(from); t < Date.parse(to); t += MINUTE)
    if (isWorkingMinute(e2e, repId, t)) minutes++;
  return minutes / 60;
}

interface Handover {
  readonly lead: string;
  readonly rep: string;
  readonly at: string;
}

/** The lead's handovers as the API shows them (routing and the ladder chose the owners). */
async function handovers(e2e: E2e, leadId: string): Promise<Handover[]> {
  const lead = await e2e.readLead(leadId);
  return lead.timeline
    .filter((entry) => entry.kind === 'owner' && entry.to && !entry.to.includes('/'))
    .map((entry) => ({ lead: leadId, rep: entry.to!, at: entry.at }));
}

async function postHot(e2e: E2e, email: string): Promise<string> {
  const answer = await e2e.postLead({ ...exampleLead('hot'), email });
  expect(answer.status, answer.text).toBeLessThan(300);
  await e2e.settle();
  return e2e.leadIdOf(email);
}

async function call(e2e: E2e, leadId: string, json: Record<string, unknown> = {}): Promise<void> {
  const logged = await e2e.request('POST', `/leads/${leadId}/attempts`, {
    json: { outcome: 'no-answer', ...json },
  });
  expect(logged.status, logged.text).toBe(201);
  await e2e.settle();
}

async function report(e2e: E2e, query: string): Promise<SlaReport> {
  const response = await e2e.request('GET', `/reports/sla?${query}`, { token: E2E_ADMIN_TOKEN });
  expect(response.status, response.text).toBe(200);
  return response.body as SlaReport;
}

describe('the SLA report against the stories of its leads', () => {
  const runtime = useRuntime();

  it('a call the previous owner made, logged after a manager gave the lead away, is that owner’s touch', async () => {
    // Arrange: Mon 09:00 Berlin the lead goes to a rep, who calls at 09:30; at 11:00 ops gives the lead to
    // another rep; at 12:00 the call is logged with the time it happened. The new owner never calls.
    const e2e = runtime();
    const leadId = await postHot(e2e, 'buyer@late-logged.example');
    const [first] = await handovers(e2e, leadId);
    const other = first!.rep === 'lena' ? 'jonas' : 'lena';
    await e2e.advanceTo('2026-11-30T10:00:00.000Z');
    const moved = await e2e.request('POST', `/leads/${leadId}/owner`, {
      json: { owner: other, reason: 'load' },
    });
    expect(moved.status, moved.text).toBe(200);
    await e2e.settle();
    await e2e.advanceTo('2026-11-30T11:00:00.000Z');
    await call(e2e, leadId, { at: '2026-11-30T08:30:00.000Z', repId: first!.rep });
    await e2e.advanceTo('2026-11-30T15:00:00.000Z');

    // Act
    const figures = await report(e2e, 'from=2026-11-30&to=2026-12-01');

    // Assert: the first owner met theirs in half an hour; the second's deadline (4 business hours from 11:00
    // Berlin) passed untouched
    const second = (await handovers(e2e, leadId))[1]!;
    expect(second.rep).toBe(other);
    expect(dueOf(e2e, other, second.at) < e2e.now().toISOString()).toBe(true);
    const row = (id: string) => figures.sales.byRep.find((candidate) => candidate.id === id);
    expect(row(first!.rep)).toMatchObject({
      handovers: 1,
      attempts: 1,
      firstTouch: { met: 1, breached: 0, pending: 0 },
      responseHours: { n: 1, p50: businessHours(e2e, first!.rep, first!.at, '2026-11-30T08:30:00.000Z') },
    });
    expect(row(other)).toMatchObject({
      handovers: 1,
      attempts: 0,
      firstTouch: { met: 0, breached: 1, pending: 0 },
      responseHours: { n: 0 },
    });
  });
});

describe('a week of leads: on time, late, never, a Friday evening, a weekend, late one day and touched the next', () => {
  const runtime = useRuntime();

  it('the report gives the verdicts and response times the stories give', async () => {
    const e2e = runtime();
    // Arrange: Mon 30 Nov 09:00 Berlin three leads; one called at 10:00, one at 14:00 Berlin, one never
    const onTime = await postHot(e2e, 'buyer@on-time.example');
    const late = await postHot(e2e, 'buyer@late.example');
    const never = await postHot(e2e, 'buyer@never.example');
    const touches = new Map<string, string>();
    const touch = async (leadId: string) => {
      await call(e2e, leadId);
      touches.set(leadId, e2e.now().toISOString());
    };
    await e2e.advanceTo('2026-11-30T09:00:00.000Z');
    await touch(onTime);
    await e2e.advanceTo('2026-11-30T13:00:00.000Z');
    await touch(late);
    // Thu 3 Dec 16:00 Berlin: due Fri; called Fri 14:00 Berlin, late
    await e2e.advanceTo('2026-12-03T15:00:00.000Z');
    const lateThenTouched = await postHot(e2e, 'buyer@touched-next-day.example');
    // Thu 16:30 Berlin, called Fri 08:30 Berlin: after Thursday, before its deadline
    await e2e.advanceTo('2026-12-03T15:30:00.000Z');
    const nextMorning = await postHot(e2e, 'buyer@touched-next-morning.example');
    await e2e.advanceTo('2026-12-04T07:30:00.000Z');
    await touch(nextMorning);
    await e2e.advanceTo('2026-12-04T13:00:00.000Z');
    await touch(lateThenTouched);
    // Fri 4 Dec 18:00 Berlin: Berlin has gone home, Chicago is at work; called at 20:00Z
    await e2e.advanceTo('2026-12-04T17:00:00.000Z');
    const evening = await postHot(e2e, 'buyer@friday-evening.example');
    await e2e.advanceTo('2026-12-04T20:00:00.000Z');
    await touch(evening);
    // Sat 5 Dec noon Berlin: called Mon 7 Dec 09:30 Berlin
    await e2e.advanceTo('2026-12-05T11:00:00.000Z');
    const weekend = await postHot(e2e, 'buyer@weekend.example');
    await e2e.advanceTo('2026-12-07T08:30:00.000Z');
    await touch(weekend);
    await e2e.advanceTo('2026-12-07T12:00:00.000Z');
    const now = e2e.now().toISOString();

    // the expected figures, from the stories: each handover's deadline in its owner's calendar
    const all: Handover[] = [];
    for (const leadId of [onTime, late, never, lateThenTouched, nextMorning, evening, weekend])
      all.push(...(await handovers(e2e, leadId)));
    const expected = (from: string, to: string) => {
      let met = 0;
      let breached = 0;
      let pending = 0;
      const response: number[] = [];
      for (const [i, handover] of all.entries()) {
        if (handover.at < from || handover.at >= to) continue;
        const due = dueOf(e2e, handover.rep, handover.at);
        const next = all.slice(i + 1).find((later) => later.lead === handover.lead)?.at;
        const touched = touches.get(handover.lead);
        const mine = touched && touched >= handover.at && (!next || touched < next) ? touched : undefined;
        // judged by what is known now: a touch after the window still answers a handover in it
        if (mine) {
          if (mine <= due) met++;
          else breached++;
        } else if (next && next <= due) continue;
        else if (due < now) breached++;
        else pending++;
      }
      for (const [leadId, touched] of touches) {
        if (touched < from || touched >= to) continue;
        const handover = all.filter((h) => h.lead === leadId && h.at <= touched).at(-1)!;
        response.push(Math.round(businessHours(e2e, handover.rep, handover.at, touched) * 1000) / 1000);
      }
      return { met, breached, pending, response: response.sort((a, b) => a - b) };
    };

    for (const [from, to] of [
      ['2026-11-29T23:00:00.000Z', '2026-12-07T23:00:00.000Z'], // the week, Berlin
      ['2026-12-02T23:00:00.000Z', '2026-12-03T23:00:00.000Z'], // Thursday: late, touched on Friday
      ['2026-12-03T23:00:00.000Z', '2026-12-04T23:00:00.000Z'], // Friday: the touch, the evening lead
      ['2026-11-29T23:00:00.000Z', '2026-11-30T23:00:00.000Z'], // Monday: the never-touched lead's ladder
    ] as const) {
      // Act
      const figures = await report(e2e, `from=${from}&to=${to}`);

      // Assert
      const want = expected(from, to);
      const { firstTouch, responseHours } = figures.sales.total;
      expect(
        {
          met: firstTouch.met,
          breached: firstTouch.breached,
          pending: firstTouch.pending,
          n: responseHours.n,
        },
        `${from} to ${to}`,
      ).toEqual({ met: want.met, breached: want.breached, pending: want.pending, n: want.response.length });
      // the median halfway between the two middle times when there are an even number; 90% by nearest rank
      const sorted = want.response;
      const median =
        (sorted[Math.floor((sorted.length - 1) / 2)]! + sorted[Math.ceil((sorted.length - 1) / 2)]!) / 2;
      const ninetieth = sorted[Math.max(0, Math.ceil((90 * sorted.length) / 100) - 1)]!;
      if (sorted.length)
        expect(
          [responseHours.p50, responseHours.p90, responseHours.p50Minutes, responseHours.p90Minutes],
          `${from} to ${to}`,
        ).toEqual([
          Math.round(median * 10) / 10,
          Math.round(ninetieth * 10) / 10,
          Math.round(median * 60),
          Math.round(ninetieth * 60),
        ]);
    }
    // the stories as told: the never-touched lead went down the ladder
    expect(all.filter((handover) => handover.lead === never).length).toBeGreaterThan(1);
  });
});
