/**
 * One call, two links (a verification trial of 2026-12-07, note 5): the lead is over to Katrin (ADR 0088), whose
 * "Still over to you" logs an outcome for its owner, Carla; Carla has her own "Attempt 3/6" email. Both press
 * "No answer" for the same call. Before, both presses answered "Done" and two attempts were logged, so the cadence
 * moved two steps and the report counted two. Now the second logging of that outcome within 15 minutes
 * (ADR 0074's window) asks "Logged already?" instead of logging, decided inside the write that logs (two presses at
 * the same instant cannot both pass), and "Log another attempt" on that page logs it when it was another call.
 * The whole local runtime over HTTP: the ladder, the emails in the SES emulator, the links pressed as a browser.
 */
import { expect, it } from 'vitest';
import { exampleLead, linksOf, MINUTE, startE2e, titleOf } from '../support/e2e.ts';

const KATRIN = 'katrin.vogel@kessler-industrial.example';
const CARLA = 'carla.ruiz@kessler-industrial.example';
/** Thu 3 Dec, after Katrin's first "Still over to you" and Carla's "Attempt 3/6" */
const BOTH_EMAILED = '2026-12-03T14:30:00.000Z';

it.each([
  { case: 'at the same instant', apart: 0, asked: 1 },
  { case: 'a minute apart', apart: MINUTE, asked: 1 },
  { case: '20 minutes apart (two calls)', apart: 20 * MINUTE, asked: 0 },
])("Katrin's and Carla's 'No answer' pressed $case", async ({ apart, asked }) => {
  // Arrange
  const e = await startE2e({ port: 4582, mailPort: 4583 });
  try {
    const hot = exampleLead('hot');
    const petra = e.leadIdOf(String(hot.email));
    await e.postLead(hot);
    await e.settle();
    await e.advanceTo(BOTH_EMAILED);
    const still = (await e.mailsTo(KATRIN))
      .filter((mail) => mail.subject.startsWith('Still over to you'))
      .at(-1)!;
    const own = (await e.mailsTo(CARLA)).filter((mail) => mail.subject.startsWith('Attempt 3/6')).at(-1)!;
    const katrinsLink = linksOf(still)['No answer']!;
    const carlasLink = linksOf(own)['No answer']!;

    // Act
    const presses =
      apart === 0
        ? await Promise.all([
            e.request('POST', katrinsLink, { form: '' }),
            e.request('POST', carlasLink, { form: '' }),
          ])
        : [
            await e.request('POST', katrinsLink, { form: '' }),
            await (async () => {
              await e.settle();
              await e.advanceBy(apart);
              return e.request('POST', carlasLink, { form: '' });
            })(),
          ];
    await e.settle();
    const logged = (await e.readLead(petra)).attempts;

    // Assert: the call is logged once; the other press asks, naming what was logged and when
    const titles = presses.map((press) => titleOf(press.text));
    expect(titles.filter((title) => title === 'Logged already?')).toHaveLength(asked);
    expect(presses.map((press) => press.status).sort()).toEqual(asked ? [200, 409] : [200, 200]);
    expect(logged).toHaveLength(2 - asked);
    expect(logged.every((attempt) => attempt.repId === 'carla' && attempt.outcomeId === 'no-answer')).toBe(
      true,
    );
    if (!asked) return;
    const question = presses.find((press) => press.status === 409)!;
    expect(question.text).toContain('“No answer” was logged for \u2068Petra Schneider\u2069');
    expect(question.text).toMatch(/Katrin Vogel|Carla Ruiz/);

    // Act again: it was another call after all
    const again = /<input type="hidden" name="again" value="([^"]+)">/.exec(question.text)?.[1];
    const asker = presses[0]!.status === 409 ? katrinsLink : carlasLink;
    const another = await e.request('POST', asker, { form: { again: again ?? '' } });
    await e.settle();

    // Assert: logged as a second attempt, once
    expect(another.status).toBe(200);
    expect((await e.readLead(petra)).attempts).toHaveLength(2);
  } finally {
    await e.close();
  }
});
