/**
 * A console form sent again from a page the browser gave back (ADR 0074), in headless Chromium against the
 * whole local runtime: a rep logs "No answer", then presses back (after "The attempt is logged.", or from
 * Chrome's error page when the phone lost the server's answer) and taps "Log attempt" again. The browser
 * restores the outcome and the note but not the hidden request id, so the post is a new attempt to the server:
 * it asks ("Logged already?") instead of logging the call twice. Two deliberate calls stay two attempts; the
 * deal and status forms sent again change nothing. Screenshots of the question in test/e2e/__screenshots__/.
 */
import { mkdirSync } from 'node:fs';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, shootBothWidths } from '../support/chromium.ts';
import { signIn } from '../support/console.ts';
import { type E2e, exampleLead, MINUTE, MONDAY_0900_BERLIN, startE2e } from '../support/e2e.ts';

const SHOTS = new URL('./__screenshots__/', import.meta.url).pathname;
const NOTE = 'Rang 8 times, no voicemail';

describe('a console form sent again from a page the browser gave back, in headless Chromium', () => {
  let e2e: E2e;
  let browser: Browser;
  let leads = 0;
  /** a rep's session cookie, signed in once (the clock moves on between tests) */
  const cookies = new Map<string, string>();

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    e2e = await startE2e({ time: { manual: MONDAY_0900_BERLIN } });
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await e2e?.close();
  });

  /** A hot lead handed to a rep, and that rep's phone signed in to the console, on the lead's page. */
  async function repOnNewLead(): Promise<{ leadId: string; phone: Page; context: BrowserContext }> {
    const email = `back.${++leads}@kessler-back.example`;
    // with a phone: these are calls, and the form a browser renders again defaults to a call step's channel (a lead
    // with no phone defaults to email, ADR 0087)
    expect((await e2e.postLead({ ...exampleLead('hot'), email, phone: '+49 30 1234567' })).status).toBe(202);
    await e2e.settle();
    const leadId = e2e.leadIdOf(email);
    const ownerId = (await e2e.readLead(leadId)).owner?.id;
    const owner = e2e.sla.routing.reps.find((candidate) => candidate.id === ownerId);
    if (!owner) throw new Error('the lead was not handed to a rep');
    const cookie = cookies.get(owner.email) ?? (await signIn(e2e.runtime, owner.email));
    cookies.set(owner.email, cookie);
    const context = await browser.newContext({
      viewport: { width: 390, height: 844 },
      hasTouch: true,
      isMobile: true,
    });
    await context.addCookies([
      {
        name: cookie.slice(0, cookie.indexOf('=')),
        value: cookie.slice(cookie.indexOf('=') + 1),
        url: e2e.url,
      },
    ]);
    const phone = await context.newPage();
    await phone.goto(`${e2e.url}/console/leads/${leadId}`);
    return { leadId, phone, context };
  }

  const attemptForm = (page: Page) => page.locator('form[action$="/attempts"]').first();

  /**
   * Chooses "No answer" by phone with the note and taps "Log attempt"; waits for the page that answers. The
   * channel is chosen: after a call the form offers the next step's (email), and these are calls.
   */
  async function logNoAnswer(page: Page): Promise<void> {
    const form = attemptForm(page);
    await form.locator('[name=outcome]').selectOption('no-answer');
    await form.locator('[name=channel]').selectOption('phone');
    await form.locator('[name=note]').fill(NOTE);
    await Promise.all([page.waitForNavigation(), form.locator('button[type=submit]').tap()]);
  }

  const attemptsOf = async (leadId: string) => (await e2e.readLead(leadId)).attempts.length;

  it.each([
    ['after "The attempt is logged."', 'answered'],
    ["from Chrome's error page, the phone having lost the server's answer", 'dropped'],
  ] as const)(
    'log No answer, press back %s, tap Log attempt again: one attempt, and the rep is asked',
    async (_, how) => {
      // Arrange: the first tap logs the call
      const { leadId, phone, context } = await repOnNewLead();
      if (how === 'dropped') {
        const dropped = new Promise<void>((resolve) =>
          phone.route('**/attempts', async (route) => {
            await route.fetch({ maxRedirects: 0 }); // the server logs it; its answer never reaches the phone
            await route.abort('connectionreset');
            resolve();
          }),
        );
        await attemptForm(phone).locator('[name=outcome]').selectOption('no-answer');
        await attemptForm(phone).locator('[name=note]').fill(NOTE);
        await attemptForm(phone).locator('button[type=submit]').tap();
        await dropped;
        expect(await attemptsOf(leadId)).toBe(1);
        await phone.unroute('**/attempts');
      } else {
        await logNoAnswer(phone);
        expect(await phone.textContent('main')).toContain('The attempt is logged.');
      }
      await phone.goBack();
      const restored = attemptForm(phone);
      expect(await restored.locator('[name=outcome]').inputValue(), 'the browser restores the outcome').toBe(
        'no-answer',
      );
      expect(await restored.locator('[name=note]').inputValue(), 'and the note').toBe(NOTE);

      // Act: the rep taps "Log attempt" on the form the browser gave back
      const [answer] = await Promise.all([
        phone.waitForNavigation(),
        restored.locator('button[type=submit]').tap(),
      ]);

      // Assert: asked, not logged; "It was the same call" leads back to the lead with one attempt
      expect(answer?.status()).toBe(409);
      expect(await phone.textContent('h1')).toBe('Logged already?');
      expect(await phone.textContent('main')).toContain('You logged No answer (Phone) with the same note at');
      expect(await attemptsOf(leadId)).toBe(1);
      if (how === 'answered')
        for (const { width, scrollWidth } of await shootBothWidths(phone, `${SHOTS}console-same-call`))
          expect(scrollWidth, `the question at ${width} px scrolls sideways`).toBeLessThanOrEqual(width);
      await Promise.all([
        phone.waitForNavigation(),
        phone.getByRole('link', { name: 'It was the same call' }).tap(),
      ]);
      expect(phone.url()).toBe(`${e2e.url}/console/leads/${leadId}`);
      expect(await attemptsOf(leadId)).toBe(1);
      await context.close();
    },
  );

  it('two deliberate No answer calls minutes apart are two attempts; a third an hour later is not asked about', async () => {
    // Arrange: one call logged
    const { leadId, phone, context } = await repOnNewLead();
    await logNoAnswer(phone);
    await e2e.advanceBy(3 * MINUTE);

    // Act: the rep calls again, logs it from the page that said "The attempt is logged.", and confirms
    await logNoAnswer(phone);
    expect(await phone.textContent('h1')).toBe('Logged already?');
    await Promise.all([
      phone.waitForNavigation(),
      phone.getByRole('button', { name: 'Log another attempt' }).tap(),
    ]);
    const confirmed = await attemptsOf(leadId);
    await e2e.advanceBy(60 * MINUTE);
    await logNoAnswer(phone);

    // Assert
    expect(confirmed).toBe(2);
    expect(await phone.textContent('main')).toContain('The attempt is logged.');
    expect(await attemptsOf(leadId)).toBe(3);
    await context.close();
  });

  it.each([
    ['deal', '/deal', 'stage', 'discovery', 'The deal is updated.'],
    ['status', '/status', 'status', 'bad-timing', 'The status is set.'],
  ] as const)(
    'the %s form sent again from a page rendered before the change: one entry in the story',
    async (kind, action, field, value, saved) => {
      // Arrange: the lead's page in two tabs, both rendered before the change (as the page back gives)
      const { leadId, phone, context } = await repOnNewLead();
      const before = await context.newPage();
      await before.goto(`${e2e.url}/console/leads/${leadId}`);
      const form = phone.locator(`form[action$="${action}"]`);
      await form.locator(`[name=${field}]`).selectOption(value);
      await Promise.all([phone.waitForNavigation(), form.locator('button[type=submit]').tap()]);
      expect(await phone.textContent('main')).toContain(saved);

      // Act: the same choice from the other page
      const again = before.locator(`form[action$="${action}"]`);
      await again.locator(`[name=${field}]`).selectOption(value);
      await Promise.all([before.waitForNavigation(), again.locator('button[type=submit]').tap()]);

      // Assert
      expect(await before.textContent('main')).toContain('Nothing needed changing.');
      const story = (await e2e.readLead(leadId)).timeline.filter((entry) => entry.kind === kind);
      expect(story).toHaveLength(1);
      await context.close();
    },
  );
});
