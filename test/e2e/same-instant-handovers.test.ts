/**
 * Two reassignments in one millisecond (a verification trial of 2026-12-07, finding 3): after the ladder handed
 * the hot lead over to Katrin, she gives it to Mike in the console, and ops give it to Jonas through the API
 * with the clock not moved. Each handover is its own instant (lead-manage.ts: one strictly later than the one
 * before, whatever the clock says), and the story dates the owner entry at that instant, so the report judges
 * Mike's handover as ended before its deadline, as it does with a 1 ms gap. Before, both entries had the same
 * time, the report found nothing ending Mike's handover and counted it as a breach that asked all 6 steps
 * ("mike: breached 2, 0/8" where a 1 ms gap gives "breached 1, 0/2").
 * The whole local runtime: the ladder on the workflow, the console and the API over HTTP, GET /reports/sla.
 */
import { expect, it } from 'vitest';
import { giveInConsole, signIn } from '../support/console.ts';
import { E2E_ADMIN_TOKEN, exampleLead, startE2e } from '../support/e2e.ts';

const KATRIN = 'katrin.vogel@kessler-industrial.example';
/** a minute after the ladder handed the lead over to Katrin (Wed 2 Dec 00:00 CET) */
const AFTER_TAKEOVER = '2026-12-01T23:01:00.000Z';

interface RepRow {
  id: string;
  handovers: number;
  firstTouch: { met: number; breached: number; pending: number };
  attempts: number;
  cadenceAttempts: number;
}

it.each([
  ['in the same millisecond', 0],
  ['1 ms apart', 1],
])(
  "Katrin gives the lead to Mike and ops give it to Jonas %s: Mike's handover asks nothing",
  async (_name, gap) => {
    // Arrange: Jonas, Mike and Carla let the hot lead lie; the ladder hands it over to Katrin
    const e = await startE2e({ port: 4580, mailPort: 4581 });
    try {
      const hot = exampleLead('hot');
      const petra = e.leadIdOf(String(hot.email));
      await e.postLead(hot);
      await e.settle();
      await e.advanceTo(AFTER_TAKEOVER);
      const katrin = await signIn(e.runtime, KATRIN);

      // Act: Katrin to Mike in the console, then ops to Jonas, `gap` ms later
      const byKatrin = await giveInConsole(e.runtime, katrin, petra, 'mike', 'Mike knows the plant');
      await e.settle();
      if (gap > 0) await e.advanceBy(gap);
      const byOps = await e.request('POST', `/leads/${petra}/owner`, { json: { owner: 'jonas' } });
      await e.settle();
      await e.advanceTo('2026-12-12T00:00:00.000Z');
      const lead = await e.readLead(petra);
      const report = await e.request(
        'GET',
        '/reports/sla?from=2026-11-30T00:00:00Z&to=2026-12-12T00:00:00Z',
        {
          token: E2E_ADMIN_TOKEN,
        },
      );

      // Assert
      expect([byKatrin.status, byOps.status]).toEqual([303, 200]);
      const mike = (report.body as { sales: { byRep: RepRow[] } }).sales.byRep.find(
        (row) => row.id === 'mike',
      );
      // the ladder's handover (breached, 2 steps asked by the reassignment) and Katrin's: given away before its
      // deadline, it is none of met, breached or pending, and asked no step
      expect(mike).toMatchObject({
        handovers: 2,
        firstTouch: { met: 0, breached: 1, pending: 0 },
        attempts: 0,
        cadenceAttempts: 2,
      });
      const [toMike, toJonas] = lead.timeline.filter((entry) => entry.kind === 'owner').slice(-2);
      expect([toMike?.to, toJonas?.to]).toEqual(['mike', 'jonas']);
      // two handovers, in order: the story says so
      expect(Date.parse(toJonas!.at)).toBeGreaterThan(Date.parse(toMike!.at));
    } finally {
      await e.close();
    }
  },
);
