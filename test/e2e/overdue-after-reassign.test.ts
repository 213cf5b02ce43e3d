/**
 * A lead its first rep attempted, then reassigned (onReassign: restart), whose new owner's first touch is overdue
 * (ADR 0072; the manager trial's L6): its status stays "Attempting contact" (the person was called), and the new
 * handover owes a first touch all the same. Before, the overdue list read only the leads in the handoff status
 * ("New") from the first-touch index: the lead page said "breached" and "Due today" listed it late, but
 * `GET /leads?overdue=true` and the console's "Overdue first touches" left it off.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { consoleFetch, signIn, textOf } from '../support/console.ts';
import {
  E2E_ADMIN_TOKEN,
  type E2e,
  exampleLead,
  HOUR,
  MONDAY_0900_BERLIN,
  startE2e,
} from '../support/e2e.ts';

const KATRIN = 'katrin.vogel@kessler-industrial.example';

describe("a lead reassigned after its first rep's attempt", () => {
  let e2e: E2e;
  beforeAll(async () => {
    e2e = await startE2e();
  });
  afterAll(async () => {
    await e2e.close();
  });

  it("is an overdue first touch of its new owner in the API's list and the console's", async () => {
    // Arrange: Monday 09:00 Berlin, a hot lead handed to Jonas; he calls at 10:00 (no answer); at 11:00 ops gives
    // it to Lena (a fresh first touch, due 15:00); nobody calls until 16:00
    const posted = await e2e.postLead({ ...exampleLead('hot'), email: 'buyer@plant-reassigned.example' });
    await e2e.settle();
    const leadId = (posted.body as { leadId: string }).leadId;
    expect((await e2e.readLead(leadId)).owner?.id).toBe('jonas');
    await e2e.advanceTo(new Date(MONDAY_0900_BERLIN.getTime() + HOUR));
    const attempt = await e2e.request('POST', `/leads/${leadId}/attempts`, {
      json: { attemptId: 'jonas-1', outcome: 'no-answer', channel: 'phone' },
    });
    await e2e.advanceTo(new Date(MONDAY_0900_BERLIN.getTime() + 2 * HOUR));
    const reassigned = await e2e.request('POST', `/leads/${leadId}/owner`, {
      json: { owner: 'lena', reason: 'Jonas is on the trade fair stand' },
    });
    await e2e.settle();
    await e2e.advanceTo(new Date(MONDAY_0900_BERLIN.getTime() + 7 * HOUR));

    // Act
    const lead = await e2e.readLead(leadId);
    const all = await e2e.request('GET', '/leads?overdue=true', { token: E2E_ADMIN_TOKEN });
    const lenas = await e2e.request('GET', '/leads?overdue=true&owner=lena', { token: E2E_ADMIN_TOKEN });
    const cookie = await signIn(e2e.runtime, KATRIN);
    const overview = textOf((await consoleFetch(e2e.runtime, 'GET', '/console', { cookie })).text);
    const overdueSection = overview.slice(
      overview.indexOf('Overdue first touches'),
      overview.indexOf('Due today, per rep'),
    );
    const consoleList = textOf(
      (await consoleFetch(e2e.runtime, 'GET', '/console/leads?overdue=true', { cookie })).text,
    );

    // Assert: still "Attempting contact" (Jonas's call), Lena's first touch breached, and listed everywhere
    expect([attempt.status, reassigned.status]).toEqual([201, 200]);
    expect(lead.owner?.id).toBe('lena');
    expect(lead.leadStatus).toBe('attempting-contact');
    const standing = (lead as unknown as { sla: { firstTouch: { dueAt: string; state: string } } }).sla;
    expect(standing.firstTouch).toMatchObject({ dueAt: '2026-11-30T14:00:00.000Z', state: 'breached' });
    const ids = (answer: typeof all) =>
      (answer.body as { items: { id: string }[] }).items.map((item) => item.id);
    expect(ids(all)).toEqual([leadId]);
    expect(ids(lenas)).toEqual([leadId]);
    expect(overdueSection).toContain('Petra Schneider');
    expect(consoleList).toContain('Petra Schneider');
  }, 60_000);
});
