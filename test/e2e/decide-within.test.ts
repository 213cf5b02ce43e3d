/**
 * contact.decideWithin end to end (sla/default.yaml: 5bd): a connected lead with no deal is chased. The whole
 * local runtime with manual time; emails read back from the SES emulator, their links pressed over HTTP.
 *
 * Petra (the hot example lead) is handed to Jonas (manager Katrin) on Mon 2026-11-30 09:00 Berlin (T0) and
 * connected at once by the "Connected" link of the new-SQL email. 5 business days later (Mon 12-07 09:00
 * Berlin) Jonas is reminded; 10 (Mon 12-14) again, Katrin gets a copy; "Open a deal" in that reminder opens
 * the deal and no further reminder comes (the deal's own stale timer takes over: Discovery, 10 days).
 */
import { describe, expect, it } from 'vitest';
import { exampleLead, linksOf, MONDAY_0900_BERLIN as T0, titleOf } from '../support/e2e.ts';
import { useRuntime } from '../support/use-runtime.ts';

const JONAS = 'jonas.berger@kessler-industrial.example';
const KATRIN = 'katrin.vogel@kessler-industrial.example';
const PETRA = 'Petra Schneider (Brauhaus Werke GmbH)';
/** in a subject of at most 78 characters, the company cut after a word */
const PETRA_CUT = 'Petra Schneider (Brauhaus Werke…)';
const OPEN_DEAL = 'Open a deal in Discovery / meeting booked';

const envelope = (mails: readonly { to: readonly string[]; cc: readonly string[]; subject: string }[]) =>
  mails.map(({ to, cc, subject }) => ({ to, cc, subject }));

describe('contact.decideWithin: connected, no deal yet', () => {
  const e = useRuntime();

  it('reminds the owner after 5 business days and every 5 after, the manager copied from the second; "Open a deal" ends it', async () => {
    // Arrange: handed to Jonas at T0, connected by the link in the new-SQL email
    const hot = exampleLead('hot');
    const email = String(hot.email);
    const leadId = e().leadIdOf(email);
    await e().postLead(hot);
    await e().settle();
    const [assigned] = await e().mailsAbout(email);
    const connect = await e().request('POST', linksOf(assigned!).Connected!);
    await e().settle();
    expect(connect.status).toBe(200);
    expect(await e().readLead(leadId)).toMatchObject({ leadStatus: 'connected', deal: null });

    // Act 1: up to a minute before 5 business days, then the moment (Mon 12-07 09:00 Berlin)
    await e().advanceTo('2026-12-07T07:59:00.000Z');
    const early = (await e().mailsAbout(email, PETRA)).slice(1);
    await e().advanceTo('2026-12-07T08:00:00.000Z');

    // Assert 1: nothing early; then one reminder, to Jonas only, in the SLA's words with its names
    expect(early).toEqual([]);
    const first = (await e().mailsAbout(email, PETRA)).slice(1);
    expect(envelope(first)).toEqual([
      { to: [JONAS], cc: [], subject: `No deal yet: ${PETRA_CUT} - connected 5 business days ago` },
    ]);
    expect(first[0]!.text).toContain(
      `You connected with ${PETRA} on Mon 30 Nov 2026, 09:00 CET, 5 business days ago; no deal yet.`,
    );
    expect(first[0]!.text).toContain('From the next reminder on, your manager gets a copy.');
    expect(Object.keys(linksOf(first[0]!))).toEqual([OPEN_DEAL, 'Recycled - not ready', 'Unqualified']);

    // Act 2: the next 5 business days (Mon 12-14 09:00 Berlin); a wake in between sends nothing twice
    await e().advanceTo('2026-12-10T08:00:00.000Z');
    const between = (await e().mailsAbout(email, PETRA)).slice(2);
    await e().advanceTo('2026-12-14T08:00:00.000Z');

    // Assert 2: the second reminder to Jonas, and Katrin's copy saying whose lead it is
    expect(between).toEqual([]);
    const second = (await e().mailsAbout(email, PETRA)).slice(2);
    expect(envelope(second)).toEqual([
      {
        to: [JONAS],
        cc: [],
        subject: `No deal yet: Petra Schneider (Brauhaus…) - connected 10 business days ago`,
      },
      {
        to: [KATRIN],
        cc: [],
        subject: `No deal yet: Petra Schneider (Brauhaus…) - Jonas Berger's lead, connected 10 business days ago`,
      },
    ]);
    expect(second[0]!.text).toContain('Katrin Vogel, your manager, gets a copy of this reminder.');
    expect(second[1]!.text).toContain("Katrin Vogel, this is Jonas Berger's lead.");

    // Act 3: "Open a deal" in Jonas's second reminder: GET confirms and changes nothing, POST opens the deal
    const open = linksOf(second[0]!)[OPEN_DEAL]!;
    const page = await e().request('GET', open);
    const unchanged = await e().readLead(leadId);
    const done = await e().request('POST', open);
    await e().settle();

    // Assert 3
    expect(page.status).toBe(200);
    expect(titleOf(page.text)).toBe(`${OPEN_DEAL} for ${PETRA}?`);
    expect(unchanged).toMatchObject({ leadStatus: 'connected', deal: null });
    expect(done.status).toBe(200);
    expect(titleOf(done.text)).toBe(`Done: ${OPEN_DEAL}`);
    expect(await e().readLead(leadId)).toMatchObject({
      lifecycleStage: 'opportunity',
      leadStatus: 'open-deal',
      deal: { stageId: 'discovery', since: '2026-12-14T08:00:00.000Z' },
    });

    // Act 4: to just before the deal's own stale time (Discovery: 10 days, Thu 12-24 09:00 Berlin)
    await e().advanceTo('2026-12-24T07:59:00.000Z');

    // Assert 4: no further reminder of any kind
    expect((await e().mailsAbout(email, PETRA)).slice(4)).toEqual([]);

    // Assert: the story has each reminder's email, with why
    const lead = await e().readLead(leadId);
    const decides = lead.timeline
      .filter((entry) => entry.reasons.some((reason) => reason.rule === 'workflow.decide'))
      .map(({ at, kind, reasons }) => ({ at, kind, detail: reasons[0]!.detail }));
    expect(decides).toEqual([
      {
        at: '2026-12-07T08:00:00.000Z',
        kind: 'email',
        detail: `decide reminder 1 to jonas: connected ${T0.toISOString()}, no deal after 1 x 5bd`,
      },
      {
        at: '2026-12-14T08:00:00.000Z',
        kind: 'email',
        detail: `decide reminder 2 to jonas (copy to katrin): connected ${T0.toISOString()}, no deal after 2 x 5bd`,
      },
    ]);
  });
});
