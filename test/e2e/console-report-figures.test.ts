/**
 * The console's report as a manager checks it against the leads (an outside trial): response times read as
 * measured (15 and 45 minutes: a median of 30 min, not 0.3 h read back as 18 min), the median as people take
 * it (halfway between the two middle times), a Cadence breaches column as the CLI, HTML and JSON have, and a
 * note under the tables saying what each column counts. Two hot leads through the whole local runtime on the
 * manual clock, the page in headless Chromium; screenshots at 390 and 1280 px into test/e2e/__screenshots__/.
 */
import { mkdirSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SlaReport } from '../../lambdas/domain/sla-report.ts';
import { launchChromium, shootBothWidths } from '../support/chromium.ts';
import { signInLinkFor } from '../support/console.ts';
import {
  E2E_ADMIN_TOKEN,
  type E2e,
  exampleLead,
  MINUTE,
  MONDAY_0900_BERLIN,
  startE2e,
} from '../support/e2e.ts';

const SHOTS = new URL('./__screenshots__/', import.meta.url).pathname;
const PRIYA = 'priya.shah@kessler-industrial.example'; // ops: every rep's figures
const PER_REP = 'First touch and attempts per rep';

describe('the console report, checked by hand against its leads', () => {
  let e2e: E2e;
  let browser: Browser;
  let page: Page;
  const errors: string[] = [];

  beforeAll(async () => {
    // Arrange: Monday 09:00 Berlin two hot leads are handed over; the first is called 15 minutes later, the
    // second 45 minutes later (business minutes: a working Monday morning); the page a minute after that
    mkdirSync(SHOTS, { recursive: true });
    e2e = await startE2e({ time: { manual: MONDAY_0900_BERLIN } });
    const leads: string[] = [];
    for (const email of ['first@figures-by-hand.example', 'second@figures-by-hand.example']) {
      const posted = await e2e.postLead({ ...exampleLead('hot'), email });
      expect(posted.status, posted.text).toBeLessThan(300);
      await e2e.settle();
      leads.push(e2e.leadIdOf(email));
    }
    for (const [leadId, after] of [
      [leads[0]!, 15],
      [leads[1]!, 45],
    ] as const) {
      await e2e.advanceTo(new Date(MONDAY_0900_BERLIN.getTime() + after * MINUTE));
      const logged = await e2e.request('POST', `/leads/${leadId}/attempts`, {
        json: { outcome: 'no-answer' },
      });
      expect(logged.status, logged.text).toBe(201);
      await e2e.settle();
    }
    await e2e.advanceBy(MINUTE);
    browser = await launchChromium();
    page = await signedIn(PRIYA);
    await page.goto(`${e2e.url}/console/reports?period=this-week`);
  }, 90_000);
  afterAll(async () => {
    await browser?.close();
    await e2e?.close();
  });

  async function signedIn(email: string): Promise<Page> {
    const signing = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    signing.on('pageerror', (error) => errors.push(error.message));
    const since = Date.now() - 1000;
    await signing.goto(`${e2e.url}/console`);
    await signing.getByLabel('Your work email').fill(email);
    await signing.getByLabel('Your work email').press('Enter');
    await signing.waitForURL(`${e2e.url}/console/sign-in`);
    let link: string | undefined;
    for (let i = 0; i < 50 && !link; i++) {
      link = await signInLinkFor(e2e.runtime, email, since);
      if (!link) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    await signing.goto(link!);
    await signing.getByRole('button', { name: 'Sign in' }).click();
    await signing.waitForURL(`${e2e.url}/console`);
    return signing;
  }

  /** The "All" row's figure under a column of the per-rep table. */
  const allRowFigure = (column: string) =>
    page
      .getByRole('table', { name: PER_REP })
      .getByRole('row')
      .filter({ has: page.getByRole('rowheader', { name: 'All', exact: true }) })
      .locator(`td[data-label="${column}"]`)
      .textContent({ timeout: 2000 });

  it.each([
    // column, the All row's figure: response times of 15 and 45 business minutes
    ['Response median', '30 min'],
    ['Response 90%', '45 min'],
    ['Handovers', '2'],
    ['Met', '2'],
    ['Cadence breaches', '0'],
  ])('%s reads %s', async (column, figure) => {
    // Act
    const cell = await allRowFigure(column);

    // Assert
    expect(cell?.trim()).toBe(figure);
  });

  it('the API gives the same figures: hours to a tenth as before, and the minutes measured', async () => {
    // Act
    const day = MONDAY_0900_BERLIN.toISOString().slice(0, 10);
    const answer = await e2e.request('GET', `/reports/sla?from=${day}&to=2026-12-01`, {
      token: E2E_ADMIN_TOKEN,
    });

    // Assert
    expect(answer.status, answer.text).toBe(200);
    expect((answer.body as SlaReport).sales.total.responseHours).toEqual({
      n: 2,
      p50: 0.5,
      p90: 0.8,
      p50Minutes: 30,
      p90Minutes: 45,
    });
  });

  it.each([
    // column, words its note must say
    ['Handovers', 'is none of the three'],
    ['Met', 'within 4 business hours of the handover'],
    ['Breached', 'after the deadline'],
    ['Pending', 'deadline is still ahead'],
    ['Within SLA', 'Met out of Met plus Breached'],
    ['Response median', 'halfway between the two middle ones'],
    ['Response 90%', 'halfway between the two middle ones'],
    ['Attempts / cadence', 'only the steps that had fallen due by then'],
    ['Cadence breaches', 'ran out with attempts missing'],
    ['Escalations', 'late first touch'],
    ['Reassigned', 'Leads taken away from the rep are not counted here'],
    ['Recycled', 'Recycled - not ready'],
  ])('the table has a %s column and the note under it says what it counts', async (column, words) => {
    // Act
    const headers = await page
      .getByRole('table', { name: PER_REP })
      .getByRole('columnheader')
      .allInnerTexts();
    const note = await page
      .locator(
        `xpath=//*[contains(@class, "legend")]//dt[normalize-space() = "${column}"]/following-sibling::dd[1]`,
      )
      .textContent({ timeout: 2000 });

    // Assert
    expect(headers).toContain(column);
    expect(note).toContain(words);
  });

  it('the page fits a phone and a desktop, and logged no error', async () => {
    // Act
    const widths = await shootBothWidths(page, `${SHOTS}console-report-figures`);

    // Assert
    for (const { width, scrollWidth } of widths)
      expect(scrollWidth, `at ${width} px the page scrolls sideways`).toBeLessThanOrEqual(width);
    // at 1280 px the sales tables show every column, Recycled included, without scrolling in their box
    expect(widths.find(({ width }) => width === 1280)?.hiddenSideways).toEqual([]);
    expect(errors).toEqual([]);
  });
});
