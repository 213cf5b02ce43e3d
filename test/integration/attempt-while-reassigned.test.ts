/**
 * A call logged while the lead changes hands (the race trial of 2026-12-07, finding 1): the attempt's request has
 * read the lead, and the lead is given to another rep (ops over the API, a manager in the console, the workflow's
 * ladder) before the attempt is written. The call is the rep's who had the lead when it happened, and the three
 * places that count it say so together: the attempt stored (`repId`), the workflow (the new owner's first-touch
 * ladder runs on, or stops) and the SLA report (whose attempt and whose first touch).
 *
 * The interleaving is forced: the attempt's request is held at its next store call after its read
 * (`listAttempts`) while the reassignment is written, then goes on. Holding a store call is a fault no request can
 * cause from outside (the race is a few milliseconds wide), so the test does it; nothing is faked: the held call
 * is made as it was, only later. The whole local runtime runs: dynalite, the SES emulator, the ASL on
 * aws-local-stepfunctions, the API over HTTP, the console signed in; the clock is manual, as in test/e2e.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { consoleFetch, csrfOf, signIn } from '../support/console.ts';
import { E2E_ADMIN_TOKEN, type E2e, exampleLead, startE2e } from '../support/e2e.ts';
import { pauseNextCall } from '../support/pausing.ts';

const DAN = 'dan.whitaker@kessler-industrial.example';
/** the hot lead's story on the default SLA: Jonas, then Mike, then Carla let it lie (the ladder's reassignments) */
const MIKE_TO_CARLA = '2026-12-01T15:00:00.000Z';
const CARLA_HAS_IT = '2026-12-01T22:00:00.000Z';

interface ByRep {
  id: string;
  attempts: number;
  firstTouch: { met: number; breached: number };
}

describe('a call logged while the lead is given to another rep', { timeout: 120_000 }, () => {
  let e: E2e | undefined;
  afterEach(async () => {
    await e?.close();
    e = undefined;
  });

  /**
   * hold: the attempt is read before the reassignment and written after it; none: it is written first, and the
   * reassignment follows in the same millisecond. gapMs: how far the clock moves between the two (0: the same
   * millisecond, as two hosts' clocks or a burst make it). maker: whose call it is, by the story it lands in.
   */
  it.each<{
    by: string;
    at: string;
    hold: boolean;
    gapMs: number;
    aheadMs: number;
    from: string;
    to: string;
    maker: string;
  }>([
    {
      by: 'ops over the API',
      at: CARLA_HAS_IT,
      hold: true,
      gapMs: 60_000,
      aheadMs: 0,
      from: 'carla',
      to: 'lena',
      maker: 'carla',
    },
    {
      by: 'a manager in the console',
      at: CARLA_HAS_IT,
      hold: true,
      gapMs: 60_000,
      aheadMs: 0,
      from: 'carla',
      to: 'mike',
      maker: 'carla',
    },
    {
      by: 'the workflow ladder',
      at: MIKE_TO_CARLA,
      hold: true,
      gapMs: 60_000,
      aheadMs: 0,
      from: 'mike',
      to: 'carla',
      maker: 'mike',
    },
    // the same millisecond: the call is written after the lead is Lena's from that very instant: hers, as a call
    // logged a moment after the reassignment is (ownerAt, the workflow's and the report's rule alike)
    {
      by: 'ops over the API',
      at: CARLA_HAS_IT,
      hold: true,
      gapMs: 0,
      aheadMs: 0,
      from: 'carla',
      to: 'lena',
      maker: 'lena',
    },
    // the same millisecond the other way round: the call was applied while Carla had the lead; the reassignment
    // begins its handover after it (ADR 0091), so the workflow does not take Carla's call as Lena's first touch
    {
      by: 'ops over the API',
      at: CARLA_HAS_IT,
      hold: false,
      gapMs: 0,
      aheadMs: 0,
      from: 'carla',
      to: 'lena',
      maker: 'carla',
    },
    // a call dated ahead of the server's clock (the CRM's clock 4 minutes fast, within the skew the API allows),
    // written while Carla has the lead, then the lead is given to Lena a minute later: the call was made before
    // it was logged, so before the reassignment: Carla's, and Lena's first touch is still chased (the workflow
    // counted it from its time, after Lena's handover began, as Lena's first touch while the report gave it
    // to Carla)
    {
      by: 'ops over the API',
      at: CARLA_HAS_IT,
      hold: false,
      gapMs: 60_000,
      aheadMs: 4 * 60_000,
      from: 'carla',
      to: 'lena',
      maker: 'carla',
    },
  ])(
    '$by, the attempt held: $hold, $gapMs ms apart, dated $aheadMs ms ahead: the call counts for $maker everywhere',
    async (row) => {
      // Arrange: the hot lead, handed off and let lie, up to the moment of the race; the console signed in before
      e = await startE2e();
      const hot = exampleLead('hot');
      const id = e.leadIdOf(String(hot.email));
      await e.postLead(hot);
      await e.settle();
      const callAt = new Date(Date.parse(row.at) - row.gapMs);
      await e.advanceTo(callAt);
      expect((await e.readLead(id)).owner?.id, 'the owner when the call is made').toBe(row.from);
      const dan = await signIn(e.runtime, DAN);
      const page = (await consoleFetch(e.runtime, 'GET', `/console/leads/${id}`, { cookie: dan })).text;
      const runtime = e.runtime;
      const reassign = async () => {
        // the clock reaches the reassignment (the workflow ladder's: its timer fires then)
        await e!.advanceTo(row.at);
        if (row.by === 'ops over the API') {
          const answer = await e!.request('POST', `/leads/${id}/owner`, {
            json: { owner: row.to, reason: 'ops' },
          });
          expect(answer.status, answer.text).toBe(200);
        } else if (row.by === 'a manager in the console') {
          const answer = await consoleFetch(runtime, 'POST', `/console/leads/${id}/owner`, {
            cookie: dan,
            form: { csrf: csrfOf(page), owner: row.to, reason: 'Dan gives it to Mike' },
          });
          expect(answer.status, answer.text).toBe(303);
        }
        await e!.settle();
      };
      const logCall = () =>
        e!.request('POST', `/leads/${id}/attempts`, {
          json: {
            attemptId: 'crm-call-1',
            outcome: 'no-answer',
            channel: 'phone',
            ...(row.aheadMs ? { at: new Date(callAt.getTime() + row.aheadMs).toISOString() } : {}),
          },
        });

      // Act: the CRM logs the call (no repId, no time: the owner's, now) as the lead changes hands
      let logged: Awaited<ReturnType<typeof logCall>>;
      if (row.hold) {
        const held = pauseNextCall(runtime.deps.store, 'listAttempts');
        const call = logCall();
        await held.reached;
        await reassign();
        held.release();
        logged = await call;
      } else {
        logged = await logCall();
        await reassign();
      }
      await e.settle();
      await e.advanceTo('2026-12-12T00:00:00.000Z');

      // Assert: the stored call, the workflow and the report tell the same story
      expect(logged.status, logged.text).toBe(201);
      const lead = await e.readLead(id);
      expect(lead.attempts.map((attempt) => attempt.repId)).toEqual([row.maker]);
      const report = await e.request(
        'GET',
        '/reports/sla?from=2026-11-30T00:00:00Z&to=2026-12-12T00:00:00Z',
        {
          token: E2E_ADMIN_TOKEN,
        },
      );
      const byRep = (report.body as { sales: { byRep: ByRep[] } }).sales.byRep;
      const rep = (repId: string) => byRep.find((candidate) => candidate.id === repId)!;
      const touchedByNewOwner = row.maker === row.to;
      expect(rep(row.maker).attempts, 'the call counted for the rep who made it').toBe(1);
      expect(rep(row.to).firstTouch.met, 'the new owner credited with a first touch').toBe(
        touchedByNewOwner ? 1 : 0,
      );
      if (!touchedByNewOwner) expect(rep(row.to).attempts, "the call counted as the new owner's").toBe(0);
      const chased = lead.timeline.some(
        (entry) => entry.kind === 'overdue' && entry.from === row.to && entry.at > row.at,
      );
      expect(chased, "the workflow chases the new owner's first touch").toBe(!touchedByNewOwner);
    },
  );
});
