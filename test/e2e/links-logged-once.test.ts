/**
 * After "Logged already?" (ADR 0074 amended: Katrin's "No answer" for Carla logged the call a minute before Carla
 * pressed her own), Carla answers "Log another attempt". A double tap on that button, the page sent again, or the
 * link opened again answered only "This link was already used" / "Already done: Log outcome: No answer": nothing
 * said whether her attempt was logged, when or by whom, and she could not tell it from Katrin's. Now every repeat
 * says that this link's attempt was logged once, when and by whom, beside which attempt it was asked about, and
 * where the lead stands; and logs nothing twice. The whole local runtime over HTTP (the ladder, the emails in the
 * SES emulator, the links pressed as a browser does), the page in Chromium at 390 and 1280 px.
 */
import { mkdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { launchChromium, shootBothWidths } from '../support/chromium.ts';
import { type E2e, exampleLead, linksOf, MINUTE, startE2e, titleOf } from '../support/e2e.ts';

const KATRIN = 'katrin.vogel@kessler-industrial.example';
const CARLA = 'carla.ruiz@kessler-industrial.example';
/** Thu 3 Dec, after Katrin's first "Still over to you" and Carla's "Attempt 3/6" (08:30 in Carla's Chicago) */
const BOTH_EMAILED = '2026-12-03T14:30:00.000Z';
/** not committed: the e2e folder's screenshots are ignored (.gitignore) */
const SHOTS = new URL('./__screenshots__/', import.meta.url).pathname;
const PETRA = '\u2068Petra Schneider\u2069 (\u2068Brauhaus Werke GmbH\u2069)';
const LOGGED_ONCE = `“No answer” was logged for ${PETRA} once with this link on Thu 3 Dec 2026, 08:31 CST, by Carla Ruiz.`;
const BESIDE_KATRINS =
  'It is an attempt of its own, as “Log another attempt” asked, beside the one logged on Thu 3 Dec 2026, 08:30 CST, by Katrin Vogel.';
const STANDS = `${PETRA} is now Sales qualified lead, status Attempting contact.`;

type Answer = { readonly status: number; readonly text: string };

/** Katrin's "No answer" logs the call; a minute later Carla's own asks "Logged already?": her link and its answer */
async function askedLoggedAlready(e: E2e) {
  const hot = exampleLead('hot');
  const petra = e.leadIdOf(String(hot.email));
  await e.postLead(hot);
  await e.settle();
  await e.advanceTo(BOTH_EMAILED);
  const still = (await e.mailsTo(KATRIN))
    .filter((mail) => mail.subject.startsWith('Still over to you'))
    .at(-1)!;
  const own = (await e.mailsTo(CARLA)).filter((mail) => mail.subject.startsWith('Attempt 3/6')).at(-1)!;
  expect((await e.request('POST', linksOf(still)['No answer']!, { form: '' })).status).toBe(200);
  await e.settle();
  await e.advanceBy(MINUTE);
  const link = linksOf(own)['No answer']!;
  const asked = await e.request('POST', link, { form: '' });
  expect(titleOf(asked.text)).toBe('Logged already?');
  const again = /<input type="hidden" name="again" value="([^"]+)">/.exec(asked.text)?.[1] ?? '';
  return { petra, link, again };
}

describe('a repeat after "Log another attempt" says what was logged, once, when and by whom', () => {
  it.each<{
    flow: string;
    repeat: (e: E2e, link: string, again: string) => Promise<Answer[]>;
    besides: boolean;
  }>([
    {
      flow: '"Log another attempt" pressed twice',
      repeat: async (e, link, again) => [
        await e.request('POST', link, { form: { again } }),
        await e.request('POST', link, { form: { again } }),
      ],
      besides: true,
    },
    {
      flow: '"Log another attempt" double-tapped (two posts at once)',
      repeat: (e, link, again) =>
        Promise.all([
          e.request('POST', link, { form: { again } }),
          e.request('POST', link, { form: { again } }),
        ]),
      besides: true,
    },
    {
      flow: 'the first press sent again after "Log another attempt" logged',
      repeat: async (e, link, again) => [
        await e.request('POST', link, { form: { again } }),
        await e.request('POST', link, { form: '' }),
      ],
      besides: false,
    },
    {
      flow: 'the link opened again after "Log another attempt" logged',
      repeat: async (e, link, again) => [
        await e.request('POST', link, { form: { again } }),
        await e.request('GET', link),
      ],
      besides: false,
    },
  ])(
    '$flow: one more attempt; every repeat says it was logged once, when, by whom',
    async ({ repeat, besides }) => {
      // Arrange
      const e = await startE2e({ port: 4650, mailPort: 4651 });
      try {
        const { petra, link, again } = await askedLoggedAlready(e);

        // Act
        const answers = await repeat(e, link, again);
        await e.settle();

        // Assert: Katrin's attempt and Carla's other one, no third; one press logged it, the other says so
        expect((await e.readLead(petra)).attempts).toHaveLength(2);
        expect(answers.map((answer) => answer.status).sort()).toEqual([200, 409]);
        expect(titleOf(answers.find((answer) => answer.status === 200)!.text)).toBe(
          'Done: Log outcome: No answer',
        );
        const repeated = answers.find((answer) => answer.status === 409)!.text;
        expect(repeated).toContain(LOGGED_ONCE);
        expect(repeated.includes(BESIDE_KATRINS)).toBe(besides);
        expect(repeated).toContain(STANDS);
        expect(repeated).not.toContain('<button');
      } finally {
        await e.close();
      }
    },
    60_000,
  );

  it('in Chromium: the question open in two tabs, "Log another attempt" pressed in both: the second says what was logged', async () => {
    // Arrange: Carla opened her link twice (two tabs), pressed it in each and was asked "Logged already?" in each
    mkdirSync(SHOTS, { recursive: true });
    const e = await startE2e({ port: 4652, mailPort: 4653 });
    const browser = await launchChromium();
    try {
      const { petra, link } = await askedLoggedAlready(e);
      const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
      const asked = async () => {
        const tab = await context.newPage();
        await tab.goto(link);
        await Promise.all([tab.waitForNavigation(), tab.locator('button[type=submit]').click()]);
        expect(await tab.textContent('h1')).toBe('Logged already?');
        return tab;
      };
      const [first, second] = [await asked(), await asked()];
      await Promise.all([first.waitForNavigation(), first.locator('button[type=submit]').click()]);
      expect(await first.textContent('h1')).toBe('Done: Log outcome: No answer');

      // Act: the other tab's "Log another attempt"
      const [answer] = await Promise.all([
        second.waitForNavigation(),
        second.locator('button[type=submit]').click(),
      ]);
      const text = (await second.textContent('main')) ?? '';
      const widths = await shootBothWidths(second, `${SHOTS}link-logged-once`);
      await e.settle();

      // Assert
      expect(answer?.status()).toBe(409);
      expect(text).toContain(LOGGED_ONCE);
      expect(text).toContain(BESIDE_KATRINS);
      expect(text).toContain(STANDS);
      expect((await e.readLead(petra)).attempts).toHaveLength(2);
      for (const { width, scrollWidth } of widths)
        expect(scrollWidth, `${width} px`).toBeLessThanOrEqual(width);
    } finally {
      await browser.close();
      await e.close();
    }
  }, 60_000);
});
