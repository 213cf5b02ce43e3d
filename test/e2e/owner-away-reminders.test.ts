/**
 * The reminders of a lead its owner keeps, while the owner is out of office (ADR 0043, amended): the real
 * runtime with manual time, emails read back from the SES emulator, their links pressed over HTTP.
 *
 * Mats (away 2026-12-21 to 2027-01-03 in sla/default.yaml, manager Katrin) gets Nordkraft's lead (his
 * account) on Mon 7 Dec 2026 and connects at once. "No deal yet" (contact.decideWithin 5bd) goes to him on
 * 14 Dec; on 21 Dec, his first day away, it goes to Katrin instead, who opens the deal for him from it. The
 * deal (Discovery, stale every 10 days) is stale on 31 Dec, still in his absence: Katrin is reminded. On
 * 10 Jan, back, Mats is. The lead and the deal stay his throughout.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { type E2e, linksOf, startE2e, titleOf } from '../support/e2e.ts';
import { NORDKRAFT_LEAD as LEAD, MATS, NORDKRAFT_QUOTE } from '../support/nordkraft.ts';

const KATRIN = 'katrin.vogel@kessler-industrial.example';
const ASTRID = 'Astrid Nilsson (Nordkraft AB)';
const OPEN_DEAL = 'Open a deal in Discovery / meeting booked';

let e2e: E2e | undefined;
afterEach(async () => {
  await e2e?.close();
  e2e = undefined;
});

const envelope = (mails: readonly { to: readonly string[]; cc: readonly string[]; subject: string }[]) =>
  mails.map(({ to, cc, subject }) => ({ to, cc, subject }));

describe('reminders while the owner is out of office', () => {
  it('"No deal yet" and the stale deal go to his manager while Mats is away, and to Mats again once he is back', async () => {
    // Arrange: Mon 7 Dec 2026 09:00 Berlin; nordkraft.se is Mats's account; he connects from the new-SQL email
    e2e = await startE2e({ time: { manual: new Date('2026-12-07T08:00:00.000Z') } });
    const posted = await e2e.postLead(NORDKRAFT_QUOTE);
    await e2e.settle();
    const leadId = (posted.body as { leadId: string }).leadId;
    const [assigned] = await e2e.mailsTo(MATS);
    expect((await e2e.request('POST', linksOf(assigned!).Connected!)).status).toBe(200);
    await e2e.settle();
    expect(await e2e.readLead(leadId)).toMatchObject({ owner: { id: 'mats' }, leadStatus: 'connected' });

    // Act 1: 5 business days (Mon 14 Dec 09:00 Berlin), Mats at work
    await e2e.advanceTo('2026-12-14T08:00:00.000Z');

    // Assert 1: "No deal yet" to Mats, as ever
    expect(envelope((await e2e.mailsTo(MATS)).slice(1))).toEqual([
      { to: [MATS], cc: [], subject: `No deal yet: ${ASTRID} - connected 5 business days ago` },
    ]);

    // Act 2: 10 business days (Mon 21 Dec 09:00 Berlin), his first day away
    await e2e.advanceTo('2026-12-21T08:00:00.000Z');

    // Assert 2: to Katrin instead (no copy, nothing to Mats), saying he is away until when; the lead his
    expect(await e2e.mailsTo(MATS)).toHaveLength(2);
    const toKatrin = await e2e.mailsTo(KATRIN);
    expect(envelope(toKatrin)).toEqual([
      {
        to: [KATRIN],
        cc: [],
        subject: `No deal yet: ${ASTRID} - Mats Lindqvist is away until Sun 3 Jan 2027`,
      },
    ]);
    expect(toKatrin[0]!.text).toContain(
      'Katrin Vogel, Mats Lindqvist is out of office from Mon 21 Dec 2026 to Sun 3 Jan 2027, so this reminder about their lead comes to you instead.',
    );
    expect(Object.keys(linksOf(toKatrin[0]!))).toEqual([OPEN_DEAL, 'Recycled - not ready', 'Unqualified']);
    expect((await e2e.readLead(leadId)).owner?.id).toBe('mats');

    // Act 3: Katrin opens the deal for Mats from her email (GET confirms, POST acts)
    const open = linksOf(toKatrin[0]!)[OPEN_DEAL]!;
    const page = await e2e.request('GET', open);
    const done = await e2e.request('POST', open);
    await e2e.settle();

    // Assert 3: the deal is open, Mats's, and the story credits Katrin
    expect(titleOf(page.text)).toBe(`${OPEN_DEAL} for ${ASTRID}?`);
    expect(done.status).toBe(200);
    const opened = await e2e.readLead(leadId);
    expect(opened).toMatchObject({
      owner: { id: 'mats' },
      leadStatus: 'open-deal',
      deal: { stageId: 'discovery', since: '2026-12-21T08:00:00.000Z' },
    });
    expect(opened.timeline.some((entry) => entry.by === 'manager:katrin')).toBe(true);

    // Act 4: the deal stale after 10 days (Thu 31 Dec 09:00 Berlin), Mats still away
    await e2e.advanceTo('2026-12-31T08:00:00.000Z');

    // Assert 4: the stale reminder to Katrin, its links moving the deal for Mats; nothing to Mats
    expect(await e2e.mailsTo(MATS)).toHaveLength(2);
    const stale = (await e2e.mailsTo(KATRIN)).slice(1);
    expect(envelope(stale)).toEqual([
      {
        to: [KATRIN],
        cc: [],
        subject: `Stale deal: ${ASTRID} - Mats Lindqvist is away until Sun 3 Jan 2027`,
      },
    ]);
    expect(stale[0]!.text).toContain(
      'Katrin Vogel, Mats Lindqvist is out of office from Mon 21 Dec 2026 to Sun 3 Jan 2027, so this reminder about their deal comes to you instead.',
    );
    expect(stale[0]!.text).toContain('Move the deal (for the owner)');

    // Act 5: stale again after 10 more days (Sun 10 Jan 09:00 Berlin), Mats back since 4 Jan
    await e2e.advanceTo('2027-01-10T08:00:00.000Z');

    // Assert 5: to Mats again, nothing more to Katrin; the lead and the deal still his
    expect(envelope((await e2e.mailsTo(MATS)).slice(2))).toEqual([
      { to: [MATS], cc: [], subject: `Stale deal: ${ASTRID} - Discovery / meeting booked for 20 days` },
    ]);
    expect(await e2e.mailsTo(KATRIN)).toHaveLength(2);
    const after = await e2e.readLead(leadId);
    expect(after).toMatchObject({ owner: { id: 'mats' }, deal: { stageId: 'discovery' } });
    // the story: each reminder's email, to whom and why
    const reminders = after.timeline
      .filter((entry) => entry.kind === 'email' && /workflow\.(decide|stale)/.test(entry.reasons[0]!.rule))
      .map((entry) => [entry.at, entry.reasons[0]!.detail]);
    expect(reminders).toEqual([
      [
        '2026-12-14T08:00:00.000Z',
        'decide reminder 1 to mats: connected 2026-12-07T08:00:00.000Z, no deal after 1 x 5bd',
      ],
      [
        '2026-12-21T08:00:00.000Z',
        'decide reminder 2 to katrin for mats, out of office 2026-12-21 to 2027-01-03: connected 2026-12-07T08:00:00.000Z, no deal after 2 x 5bd',
      ],
      [
        '2026-12-31T08:00:00.000Z',
        'stale deal reminder to katrin for mats, out of office 2026-12-21 to 2027-01-03: Discovery / meeting booked since 2026-12-21T08:00:00.000Z',
      ],
      [
        '2027-01-10T08:00:00.000Z',
        'stale deal reminder to mats: Discovery / meeting booked since 2026-12-21T08:00:00.000Z',
      ],
    ]);
  });
});
