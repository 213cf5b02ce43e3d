/**
 * A recycle or a disqualification in the millisecond of a handover ends it (ADR 0091, amended). The hot lead is with
 * Jonas; on one clock millisecond the API gives it to Lena and Lena's status is set to "Recycled - not ready" or
 * "Unqualified": the change is stamped no earlier than the story (storyInstant), so at her handover's very instant.
 * The SLA report ends a handover at anything of its instant that follows it on the story, as it did an erase: Lena
 * had the lead for no time, and her cadence asked no step of her. Before, only an erase or a later handover ended a
 * handover at its instant, and the report read Lena's handover as one whose cadence asked all 6 steps.
 * The whole local runtime: the workflow, the API over HTTP, GET /reports/sla.
 */
import { expect, it } from 'vitest';
import { E2E_ADMIN_TOKEN, hotLeadWithJonas, startE2e } from '../support/e2e.ts';

interface RepRow {
  id: string;
  handovers: number;
  firstTouch: { met: number; breached: number; pending: number };
  cadenceAttempts: number;
}

it.each([
  ['recycled (Recycled - not ready)', 'recycled-not-ready'],
  ['disqualified (Unqualified)', 'unqualified'],
])('a lead %s in the millisecond of its handover ends it: no cadence step asked', async (_name, status) => {
  // Arrange: the hot lead handed to Jonas, on Mon 30 Nov 10:00Z
  const e = await startE2e({ port: 4764, mailPort: 4765 });
  try {
    const id = await hotLeadWithJonas(e);

    // Act: to Lena, then her status, within one millisecond of the clock; the report weeks later
    const toLena = await e.request('POST', `/leads/${id}/owner`, { json: { owner: 'lena', reason: 'a' } });
    const changed = await e.request('PATCH', `/leads/${id}/status`, { json: { status } });
    await e.settle();
    await e.advanceTo('2026-12-20T00:00:00.000Z');
    const lead = await e.readLead(id);
    const report = await e.request('GET', '/reports/sla?from=2026-11-23T00:00:00Z&to=2026-12-20T00:00:00Z', {
      token: E2E_ADMIN_TOKEN,
    });

    // Assert: the change shares the handover's instant and follows it; Lena's handover ended at it
    expect([toLena.status, changed.status]).toEqual([200, 200]);
    const handover = lead.timeline.findIndex((entry) => entry.kind === 'owner' && entry.to === 'lena');
    const change = lead.timeline.findIndex((entry, index) => index > handover && entry.to?.endsWith(status));
    expect(change).toBeGreaterThan(handover);
    expect(lead.timeline[change]!.at).toBe(lead.timeline[handover]!.at);
    const lena = (report.body as { sales: { byRep: RepRow[] } }).sales.byRep.find((row) => row.id === 'lena');
    // no step of her cadence was asked; her first touch is judged as any lead's sent back untouched (a recycle or
    // a disqualification ends no first-touch promise: sla-report.ts ENDS_A_FIRST_TOUCH)
    expect(lena).toMatchObject({
      handovers: 1,
      firstTouch: { met: 0, breached: 1, pending: 0 },
      cadenceAttempts: 0,
    });
  } finally {
    await e.close();
  }
});
