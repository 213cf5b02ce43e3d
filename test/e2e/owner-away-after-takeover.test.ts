/**
 * An owner away after the ladder ran out (the real runtime, manual time; ADR 0043 amended). The hot lead is
 * let lie by Jonas, Mike and Carla (sla/default.yaml's scenario 2): Katrin, the queue's manager, takes it over
 * on Tue 1 Dec 17:00 Chicago and it stays with Carla. Carla is out of office from Wed 2 Dec, when attempt 3
 * falls due (14:00 Chicago): the rotation gives the lead to a rep who is there. Before, it passed over Carla
 * alone, and at 20:00 Berlin the only rep at work was Mike, who had let its first touch lie the day before:
 * he got a fresh handover and the whole ladder, and Katrin a second "Over to you".
 */
import { afterEach, describe, expect, it } from 'vitest';
import { type E2e, exampleLead, startE2e } from '../support/e2e.ts';
import { loadDefaultSla } from '../support/sla.ts';

const KATRIN = 'katrin.vogel@kessler-industrial.example';
const CARLA_AWAY = { from: '2026-12-02', to: '2026-12-04' };
const CARLAS_ABSENCE =
  'Carla Ruiz is out of office from Wed 2 Dec 2026 to Fri 4 Dec 2026, when attempt 3 falls due';
const ONLY_FORMER_OWNERS =
  'nobody present in the queue who has not had the lead since its handoff can take it';

let e2e: E2e | undefined;
afterEach(async () => {
  await e2e?.close();
  e2e = undefined;
});

/** sla/default.yaml with these reps out of office over Carla's absence */
function awayFromWednesday(repIds: readonly string[]) {
  const sla = loadDefaultSla();
  return {
    ...sla,
    routing: {
      ...sla.routing,
      reps: sla.routing.reps.map((rep) =>
        repIds.includes(rep.id) ? { ...rep, outOfOffice: [CARLA_AWAY] } : rep,
      ),
    },
  };
}

describe('an owner away when a step falls due, after the queue manager took the lead over', () => {
  it.each([
    {
      present: 'Lena and Mats, who have not had the lead, are there',
      away: ['carla'],
      goesTo: ['lena', 'mats'],
      backToFormerOwner: false,
      reps: 4,
    },
    {
      present: 'only Jonas and Mike, who had it, are there: back to Mike, the one at work',
      away: ['carla', 'lena', 'mats'],
      goesTo: ['mike'],
      backToFormerOwner: true,
      reps: 3,
    },
  ])('$present', async ({ away, goesTo, backToFormerOwner, reps }) => {
    // Arrange: the hot lead to Jonas on Mon 30 Nov 09:00 Berlin; the ladder's takeover on Tue 17:00 Chicago
    e2e = await startE2e({ sla: awayFromWednesday(away) });
    const posted = await e2e.postLead(exampleLead('hot'));
    await e2e.settle();
    const leadId = (posted.body as { leadId: string }).leadId;
    await e2e.advanceTo('2026-12-02T00:30:00.000Z');
    const takenOver = await e2e.readLead(leadId);
    expect(takenOver.timeline.filter((entry) => entry.kind === 'owner').map((entry) => entry.to)).toEqual([
      'jonas',
      'mike',
      'carla',
    ]);
    expect((await e2e.mailsTo(KATRIN)).filter((mail) => mail.subject.startsWith('Over to you'))).toHaveLength(
      1,
    );

    // Act: past Wed 14:00 Chicago, attempt 3's due time on Carla's first day away
    await e2e.advanceTo('2026-12-02T20:30:00.000Z');

    // Assert: the lead went where the row says, and the timeline and the new owner's email say why
    const lead = await e2e.readLead(leadId);
    const newOwner = e2e.sla.routing.reps.find((rep) => rep.id === lead.owner?.id)!;
    expect(goesTo).toContain(newOwner.id);
    const handover = lead.timeline.find((entry) => entry.kind === 'owner' && entry.from === 'carla')!;
    expect(handover.to).toBe(newOwner.id);
    expect(handover.reasons[0]!.rule).toBe('routing.ownerAway');
    expect(handover.reasons[0]!.detail.includes(`${ONLY_FORMER_OWNERS}: back to ${newOwner.name}`)).toBe(
      backToFormerOwner,
    );
    const reassigned = (await e2e.mailsTo(newOwner.email)).filter((mail) =>
      mail.subject.startsWith('Reassigned to you'),
    );
    const why = backToFormerOwner ? `${CARLAS_ABSENCE}, and ${ONLY_FORMER_OWNERS}` : CARLAS_ABSENCE;
    expect(reassigned.at(-1)!.text).toContain(`this lead was reassigned to you from Carla Ruiz: ${why}.`);

    // Act: on past the new owner's ladder (Thu 3 Dec 13:00 Chicago)
    await e2e.advanceTo('2026-12-03T20:00:00.000Z');

    // Assert: a new handover gets the whole ladder; still untouched, Katrin hears of it once more, counting
    // a rep who had the lead twice once
    const overToKatrin = (await e2e.mailsTo(KATRIN)).filter((mail) => mail.subject.startsWith('Over to you'));
    expect(overToKatrin.map((mail) => mail.subject)).toEqual([
      expect.stringMatching(/ - no first touch after 3 reps$/),
      expect.stringMatching(new RegExp(` - no first touch after ${reps} reps$`)),
    ]);
  });
});
