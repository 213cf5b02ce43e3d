/**
 * The console's "Waiting for an owner" (ADR 0041): a hot lead nobody in its queue can take (every rep out of
 * office) is listed on a manager's overview, first, in headless Chromium against the whole local runtime;
 * the manager opens it, gives it to a rep, and the list is gone (shown only when a lead waits). A rep's overview has no such list.
 * Screenshots at 390 and 1280 px into test/e2e/__screenshots__/.
 */
import { mkdirSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, shootBothWidths } from '../support/chromium.ts';
import { signInLinkFor } from '../support/console.ts';
import { E2E_ADMIN_TOKEN, type E2e, exampleLead, MONDAY_0900_BERLIN, startE2e } from '../support/e2e.ts';
import { everyoneAway, loadDefaultSla } from '../support/sla.ts';

const SHOTS = new URL('./__screenshots__/', import.meta.url).pathname;
const KATRIN = 'katrin.vogel@kessler-industrial.example';
const JONAS = 'jonas.berger@kessler-industrial.example';

describe('leads waiting for an owner, on the console', () => {
  let e2e: E2e;
  let browser: Browser;
  let leadId = '';
  const errors: string[] = [];

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    e2e = await startE2e({ sla: everyoneAway(loadDefaultSla()), time: { manual: MONDAY_0900_BERLIN } });
    const posted = await e2e.postLead({ ...exampleLead('hot'), email: 'petra@brauhaus-waiting.example' });
    await e2e.settle();
    leadId = (posted.body as { leadId: string }).leadId;
    browser = await launchChromium();
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await e2e?.close();
  });

  async function signedIn(email: string): Promise<Page> {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    page.on('pageerror', (error) => errors.push(error.message));
    const since = Date.now() - 1000;
    await page.goto(`${e2e.url}/console`);
    await page.getByLabel('Your work email').fill(email);
    await page.getByLabel('Your work email').press('Enter');
    await page.waitForURL(`${e2e.url}/console/sign-in`);
    let link: string | undefined;
    for (let i = 0; i < 50 && !link; i++) {
      link = await signInLinkFor(e2e.runtime, email, since);
      if (!link) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    await page.goto(link!);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(`${e2e.url}/console`);
    return page;
  }

  /** 390 px: nothing wider than the screen; screenshots at 390 and 1280 px. */
  async function shoot(page: Page, name: string): Promise<void> {
    for (const { width, scrollWidth } of await shootBothWidths(page, `${SHOTS}console-${name}`))
      expect(scrollWidth, `${name} at ${width} px scrolls sideways`).toBeLessThanOrEqual(width);
  }

  const waitingSection = (page: Page) => page.locator('section', { has: page.locator('#waiting') });

  it('a manager sees the lead first on the overview, gives it to a rep, and the list is gone', async () => {
    // Arrange: nobody could take the lead; Katrin, the queue's manager, was asked
    expect((await e2e.readLead(leadId)).owner).toBeNull();
    const page = await signedIn(KATRIN);

    // Assert: listed first, with the lead's name linking to its page
    expect((await page.locator('main h2').allInnerTexts())[0]).toBe('Waiting for an owner');
    const rows = waitingSection(page).locator('tbody tr');
    expect(await rows.count()).toBe(1);
    expect(await rows.first().textContent()).toContain('Brauhaus Werke GmbH');
    await shoot(page, 'manager-waiting-for-owner');

    // Act: two hours later (the hourly retries found nobody), Katrin opens the lead and gives it to Lena
    await e2e.advanceBy(2 * 60 * 60_000);
    await page.reload();
    await rows.first().getByRole('link').click();
    await page.waitForURL(`${e2e.url}/console/leads/${leadId}`);
    await page.getByLabel('Rep', { exact: true }).selectOption({ label: 'Lena Hartmann' });
    await page.getByRole('button', { name: 'Give the lead' }).click();
    await page.waitForLoadState();
    await e2e.settle();
    await page.goto(`${e2e.url}/console`);

    // Assert
    expect((await e2e.readLead(leadId)).owner?.id).toBe('lena');
    expect(await page.locator('main h2').allInnerTexts()).not.toContain('Waiting for an owner');
    // the report tells how long it waited before the first-touch clock started
    // (a minute on: the period this week ends now, not included)
    await e2e.advanceBy(60_000);
    await page.goto(`${e2e.url}/console/reports?period=this-week`);
    expect(await page.locator('main').textContent()).toContain(
      'Before that clock started, 1 lead waited for an owner because nobody in the queue could take them: median 2 h, 90% within 2 h.',
    );
    await shoot(page, 'manager-reports-waited');
    const day = MONDAY_0900_BERLIN.toISOString().slice(0, 10);
    const report = await e2e.request('GET', `/reports/sla?from=${day}&to=2026-12-01`, {
      token: E2E_ADMIN_TOKEN,
    });
    expect(report.status, report.text).toBe(200);
    expect(
      (report.body as { sales: { total: { waitedForOwner: unknown } } }).sales.total.waitedForOwner,
    ).toEqual({
      n: 1,
      p50: 2,
      p90: 2,
      p50Minutes: 120,
      p90Minutes: 120,
    });
  }, 60_000);

  it("a rep's overview has no such list", async () => {
    // Act
    const page = await signedIn(JONAS);

    // Assert
    expect(await page.locator('main h2').allInnerTexts()).not.toContain('Waiting for an owner');
  }, 60_000);

  it('no page logged an error', () => {
    expect(errors).toEqual([]);
  });
});
