/**
 * A manager out of office (routing.managers[].outOfOffice, deputy: docs/sla-reference.md#routing), on the
 * real runtime with manual time, emails read back from the SES emulator: Katrin (Jonas's manager) is away
 * the week of Mon 30 Nov 2026, Dan her deputy. Jonas gets the hot lead at 09:00 Berlin and does not touch
 * it: the ladder's escalation two business hours late goes to Dan, with Jonas copied, and nothing to
 * Katrin's empty inbox; with Katrin there, it goes to her (the default SLA's scenario 2).
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { Sla } from '../../lambdas/domain/sla-schema.ts';
import { type E2e, exampleLead, linksOf, startE2e } from '../support/e2e.ts';
import { MATS, NORDKRAFT_QUOTE } from '../support/nordkraft.ts';
import { loadDefaultSla, managerAway } from '../support/sla.ts';

const KATRIN = 'katrin.vogel@kessler-industrial.example';
const DAN = 'dan.whitaker@kessler-industrial.example';
const JONAS = 'jonas.berger@kessler-industrial.example';

let e2e: E2e | undefined;
afterEach(async () => {
  await e2e?.close();
  e2e = undefined;
});

const katrinAway = (deputy: string | undefined): Sla =>
  managerAway('katrin', { from: '2026-11-30', to: '2026-12-04' }, deputy);

describe('a manager out of office', () => {
  it.each([
    ['her deputy Dan', 'dan', DAN],
    ['ops (Priya), with no deputy named', undefined, 'priya.shah@kessler-industrial.example'],
  ])(
    "Katrin away: the escalation of Jonas's untouched lead goes to %s, not to her inbox",
    async (_, deputy, to) => {
      // Arrange: Mon 30 Nov 2026 09:00 Berlin
      e2e = await startE2e({ sla: katrinAway(deputy) });
      const hot = exampleLead('hot');
      const posted = await e2e.postLead(hot);
      await e2e.settle();
      const leadId = (posted.body as { leadId: string }).leadId;
      expect((await e2e.readLead(leadId)).owner?.id).toBe('jonas');

      // Act: past the first touch and two business hours more (Mon 16:00 Berlin, before the reassignment)
      await e2e.advanceTo('2026-11-30T15:00:00.000Z');

      // Assert
      const escalations = (await e2e.mails()).filter((mail) => mail.subject.startsWith('Escalation:'));
      // the stand-in's, and Jonas's own copy (no cc: each their own links)
      expect(
        escalations.map(({ to, cc }) => ({ to, cc })).sort((a, b) => a.to[0]!.localeCompare(b.to[0]!)),
      ).toEqual(
        [
          { to: [to], cc: [] },
          { to: [JONAS], cc: [] },
        ].sort((a, b) => a.to[0]!.localeCompare(b.to[0]!)),
      );
      // the stand-in reads whose place it is, in the SLA's names
      expect(escalations.find((mail) => mail.to.includes(to))!.text).toContain(
        'You get this in place of Katrin Vogel, who is out of office until Fri 4 Dec 2026.',
      );
      expect(await e2e.mailsTo(KATRIN)).toEqual([]);
      const lead = await e2e.readLead(leadId);
      const escalated = lead.timeline.filter((entry) =>
        entry.reasons.some((r) => r.rule === 'routing.managers.outOfOffice'),
      );
      expect(escalated.length).toBeGreaterThan(0);
    },
  );
});

describe('a manager out of office, on the timeline', () => {
  it("Dan away the whole cadence: the recycle's copy to Katrin, his deputy, says on the lead's timeline why it went to her", async () => {
    // Arrange: Dan (Carla's manager) away for the three weeks the hot lead's cadence runs out in, Katrin his deputy
    const sla = loadDefaultSla();
    const away: Sla = {
      ...sla,
      routing: {
        ...sla.routing,
        managers: sla.routing.managers.map((manager) =>
          manager.id === 'dan'
            ? { ...manager, outOfOffice: [{ from: '2026-11-30', to: '2026-12-20' }], deputy: 'katrin' }
            : manager,
        ),
      },
    };
    e2e = await startE2e({ sla: away });
    const posted = await e2e.postLead(exampleLead('hot'));
    await e2e.settle();
    const leadId = (posted.body as { leadId: string }).leadId;

    // Act: until the cadence ran out (15 days), the last owner Carla
    await e2e.advanceTo('2026-12-18T12:00:00.000Z');

    // Assert
    const lead = await e2e.readLead(leadId);
    const copies = lead.timeline
      .flatMap((entry) => entry.reasons)
      .filter((reason) => reason.detail.startsWith('recycle email'));
    expect(copies).toHaveLength(1);
    expect(copies[0]!.detail).toContain(
      'recycle email to carla (cc katrin: Dan Whitaker is out of office 2026-11-30 to 2026-12-20',
    );
    // and so does the email, to Carla and Katrin alike
    const recycled = (await e2e.mailsTo(KATRIN)).filter((mail) => /recycled/i.test(mail.subject));
    expect(recycled).toHaveLength(1);
    expect(recycled[0]!.text).toContain(
      'Katrin Vogel is copied in place of Dan Whitaker, who is out of office until Sun 20 Dec 2026.',
    );
  }, 60_000);
});

describe('a reminder covering for an away rep, when their manager is away too', () => {
  it('"No deal yet" for Mats (away) goes to Dan, Katrin\'s deputy, and says whose place he takes', async () => {
    // Arrange: Mon 7 Dec 2026; Mats (away 21 Dec to 3 Jan in sla/default.yaml) connects with Nordkraft at once;
    // Katrin, his manager, is away 21 to 24 Dec, Dan her deputy
    e2e = await startE2e({
      sla: managerAway('katrin', { from: '2026-12-21', to: '2026-12-24' }, 'dan'),
      time: { manual: new Date('2026-12-07T08:00:00.000Z') },
    });
    const posted = await e2e.postLead(NORDKRAFT_QUOTE);
    await e2e.settle();
    const [assigned] = await e2e.mailsTo(MATS);
    expect((await e2e.request('POST', linksOf(assigned!).Connected!)).status).toBe(200);
    await e2e.settle();

    // Act: 10 business days later (Mon 21 Dec 09:00 Berlin), both away
    await e2e.advanceTo('2026-12-21T08:00:00.000Z');

    // Assert
    const toDan = (await e2e.mailsTo(DAN)).filter((mail) => mail.subject.startsWith('No deal yet'));
    expect(toDan).toHaveLength(1);
    expect(toDan[0]!.text).toContain(
      'You get this in place of Katrin Vogel, who is out of office until Thu 24 Dec 2026.',
    );
    expect(await e2e.mailsTo(KATRIN)).toEqual([]);
    expect((await e2e.readLead((posted.body as { leadId: string }).leadId)).owner?.id).toBe('mats');
  });
});
