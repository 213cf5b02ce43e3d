/**
 * An erase in the millisecond of two reassignments (a verification trial of 2026-12-07, trial 2 finding 2): the hot
 * lead is with Jonas; on one clock millisecond the API gives it to Lena, then to Mats (his handover moved a
 * millisecond later by nextHandoverAt, ADR 0091), then erases it. The erase is stamped no earlier than the story it
 * ends (domain/lead-state.ts storyInstant), so the report ends Mats's handover at it: no breach, no step asked.
 * Before, the erase was stamped with the request's time, a millisecond before Mats's handover began; the report
 * found nothing ending that handover and counted a lead erased at once as a breach that asked all 6 steps.
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
  ['in the same millisecond', 0],
  ['1 ms later', 1],
])(
  'an erase %s as two reassignments ends the last handover: no breach, no step asked',
  async (_name, gap) => {
    // Arrange: the hot lead handed to Jonas, on Mon 30 Nov 10:00Z
    const e = await startE2e({ port: 4710, mailPort: 4711 });
    try {
      const id = await hotLeadWithJonas(e);

      // Act: to Lena, to Mats, then the erase, all within one millisecond of the clock (or the erase 1 ms later)
      const toLena = await e.request('POST', `/leads/${id}/owner`, { json: { owner: 'lena', reason: 'a' } });
      const toMats = await e.request('POST', `/leads/${id}/owner`, { json: { owner: 'mats', reason: 'b' } });
      if (gap > 0) await e.advanceBy(gap);
      const erased = await e.request('DELETE', `/leads/${id}`);
      await e.settle();
      await e.advanceTo('2026-12-20T00:00:00.000Z');
      const lead = await e.readLead(id);
      const report = await e.request(
        'GET',
        '/reports/sla?from=2026-11-23T00:00:00Z&to=2026-12-20T00:00:00Z',
        { token: E2E_ADMIN_TOKEN },
      );

      // Assert
      expect([toLena.status, toMats.status, erased.status]).toEqual([200, 200, 200]);
      const mats = (report.body as { sales: { byRep: RepRow[] } }).sales.byRep.find(
        (row) => row.id === 'mats',
      );
      expect(mats).toMatchObject({
        handovers: 1,
        firstTouch: { met: 0, breached: 0, pending: 0 },
        cadenceAttempts: 0,
      });
      // the story in time order: the erase is not before the handover it ends, and is the time the API answered
      const toMatsEntry = lead.timeline.filter((entry) => entry.kind === 'owner').at(-1);
      const erasedEntry = lead.timeline.at(-1);
      expect([toMatsEntry?.to, erasedEntry?.kind]).toEqual(['mats', 'erased']);
      expect(erasedEntry!.at >= toMatsEntry!.at).toBe(true);
      expect((erased.body as { erasedAt: string }).erasedAt).toBe(erasedEntry!.at);
    } finally {
      await e.close();
    }
  },
);
