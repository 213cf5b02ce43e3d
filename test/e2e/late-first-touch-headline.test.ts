/**
 * The takeover's headline when one of the reps did make a first touch, logged late (ADR 0089): a verification
 * trial's manager read "no first touch after 4 reps" though Mats had called; his call came in by a CRM's sync
 * hours after it was made, when the ladder had already passed the lead on. Through the whole local runtime
 * (dynalite, the SES emulator, the ASL on aws-local-stepfunctions, the API over HTTP) with sla/default.yaml and
 * manual time: the hot lead goes Jonas (Mon 09:00 CET), Mike (Mon 10:00 CST), Carla (Tue 09:00 CST); Mike called
 * on Mon at 11:00 CST and the CRM posts the call with its time (`at`) later; Katrin takes the lead over on
 * Wed 2 Dec 00:00 CET, and is reminded from then on each business day (ADR 0085).
 */
import { describe, expect, it } from 'vitest';
import type { SlaReport } from '../../lambdas/domain/sla-report.ts';
import { E2E_ADMIN_TOKEN, exampleLead } from '../support/e2e.ts';
import { useRuntime } from '../support/use-runtime.ts';

const KATRIN = 'katrin.vogel@kessler-industrial.example';
const CARLA = 'carla.ruiz@kessler-industrial.example';
/** Mike's call: Mon 30 Nov 11:00 CST, while the lead was his (Mon 10:00 CST to Tue 09:00 CST) */
const MIKES_CALL = '2026-11-30T17:00:00.000Z';
/** Katrin's takeover is Wed 2 Dec 00:00 CET (Tue 1 Dec 23:00Z); her first two reminders fall by Fri 4 Dec */
const AFTER_TAKEOVER = '2026-12-01T23:30:00.000Z';
const AFTER_TWO_REMINDERS = '2026-12-05T00:00:00.000Z';
const TOUCHED = '2 of 3 reps made no first touch; Mike Okafor did';

/** the subjects of the manager's emails about the lead ("Over to you", "Still over to you"), and Carla's copy */
async function takeoverSubjects(e: ReturnType<ReturnType<typeof useRuntime>>): Promise<string[]> {
  return (await e.mails())
    .filter((mail) => /^(Still over to you|Over to)/.test(mail.subject))
    .filter((mail) => mail.to.includes(KATRIN) || mail.to.includes(CARLA))
    .map((mail) => mail.subject);
}

/** the CRM's sync: Mike's call, posted with the time it was made */
async function syncMikesCall(e: ReturnType<ReturnType<typeof useRuntime>>, leadId: string): Promise<void> {
  const logged = await e.request('POST', `/leads/${leadId}/attempts`, {
    json: { outcome: 'no-answer', channel: 'phone', at: MIKES_CALL },
  });
  expect(logged.status, logged.text).toBe(201);
  await e.settle();
}

describe('a first touch logged after the ladder passed the lead on, before the takeover', () => {
  const e = useRuntime();

  it('"Over to you" and its reminders say how many reps made no first touch and that Mike did', async () => {
    // Arrange: the hot lead, with Carla since Tue 09:00 CST; the CRM syncs Mike's Monday call on Tue 10:00 CST
    const hot = exampleLead('hot');
    const leadId = e().leadIdOf(String(hot.email));
    await e().postLead(hot);
    await e().settle();
    await e().advanceTo('2026-12-01T16:00:00.000Z');
    expect((await e().readLead(leadId)).owner?.id).toBe('carla');
    await syncMikesCall(e(), leadId);

    // Act: Carla lets it lie; the ladder hands it to Katrin, who is reminded twice
    await e().advanceTo(AFTER_TAKEOVER);
    const atTakeover = await takeoverSubjects(e());
    await e().advanceTo(AFTER_TWO_REMINDERS);

    // Assert: the call is Mike's, and no email claims that none of the three reps made a first touch
    const lead = await e().readLead(leadId);
    expect(lead.attempts.map(({ at, repId }) => ({ at, repId }))).toEqual([
      { at: MIKES_CALL, repId: 'mike' },
    ]);
    expect(atTakeover).toEqual([
      `Over to you: Petra Schneider (Brauhaus…) - ${TOUCHED}`,
      `Over to Katrin Vogel: Petra Schneider (Brauhaus…) - ${TOUCHED}`,
    ]);
    // the reminders still come (Carla, the owner now, has made none) and read the same
    expect((await takeoverSubjects(e())).slice(atTakeover.length)).toEqual([
      `Still over to you: Petra Schneider (Brauhaus…) - ${TOUCHED}`,
      `Still over to you: Petra Schneider (Brauhaus…) - ${TOUCHED}`,
    ]);
    // why it is Katrin's does not say the reassignments were without any first touch either
    const [over] = (await e().mailsTo(KATRIN)).filter((mail) => mail.subject.startsWith('Over to you:'));
    expect(over!.text).toContain(
      'it was reassigned 2 times with no first touch logged in time, the most the SLA allows',
    );
    const escalation = lead.timeline.find((entry) => entry.kind === 'escalation');
    expect(escalation?.reasons[0]?.detail).toMatch(new RegExp(`^${TOUCHED}: `));
  });
});

describe('a first touch logged after the takeover', () => {
  const e = useRuntime();

  it('the takeover said what was known then; the reminders after the sync say Mike did', async () => {
    // Arrange: nobody's call logged by the takeover
    const hot = exampleLead('hot');
    const leadId = e().leadIdOf(String(hot.email));
    await e().postLead(hot);
    await e().settle();
    await e().advanceTo(AFTER_TAKEOVER);
    const atTakeover = await takeoverSubjects(e());
    expect(atTakeover).toEqual([
      'Over to you: Petra Schneider (Brauhaus Werke…) - no first touch after 3 reps',
      'Over to Katrin Vogel: Petra Schneider (Brauhaus…) - no first touch after 3 reps',
    ]);

    // Act: the CRM syncs Mike's Monday call on Wed; Katrin's reminders follow
    await syncMikesCall(e(), leadId);
    await e().advanceTo(AFTER_TWO_REMINDERS);

    // Assert
    expect((await takeoverSubjects(e())).slice(atTakeover.length)).toEqual([
      `Still over to you: Petra Schneider (Brauhaus…) - ${TOUCHED}`,
      `Still over to you: Petra Schneider (Brauhaus…) - ${TOUCHED}`,
    ]);
  });

  it("the SLA report's managers section reads it as the reminders do: Mike's call is no touch after it, still open", async () => {
    // Arrange: the story above, up to after Katrin's two reminders (Carla, the owner, has made no first touch)
    // Act
    const answer = await e().request('GET', '/reports/sla?from=2026-11-30&to=2026-12-03', {
      token: E2E_ADMIN_TOKEN,
    });
    // Assert
    expect(answer.status).toBe(200);
    expect((answer.body as SlaReport).sales.takeovers?.total).toMatchObject({
      overTo: 1,
      givenOn: 0,
      touched: 0,
      open: 1,
    });
  });
});
