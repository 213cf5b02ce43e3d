/**
 * The managers in the SLA report (ADR 0090), through the whole local runtime: the escalation ladder runs out on
 * a hot lead of the Equipment sales queue (Jonas, Mike, Carla, nobody touching it) and hands it over to the
 * queue's manager, Katrin ("Over to you"); GET /reports/sla says so, still open; Katrin gives it to Mike in the
 * console the next morning; the report then counts it given to a rep, with the business hours it took, per queue
 * and per manager, by the SLA's names; her console's report says so too, and the report's page does, in
 * English and Arabic, at 390 and 1280 px (screenshots in /tmp/leadpact-report/). Before, the report said nothing
 * of what managers did with the leads handed to them.
 */
import { mkdirSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { businessHoursBetween } from '../../lambdas/domain/business-hours.ts';
import { reportHtml, type SlaReport } from '../../lambdas/domain/sla-report.ts';
import { launchChromium, layoutAt, offlinePage, shootBothWidths } from '../support/chromium.ts';
import { consoleFetch, giveInConsole, signIn } from '../support/console.ts';
import { E2E_ADMIN_TOKEN } from '../support/e2e.ts';
import { hotLeadOverToKatrin } from '../support/over-to-katrin.ts';
import { useRuntime } from '../support/use-runtime.ts';

const KATRIN = 'katrin.vogel@kessler-industrial.example';
/** Wed 2 Dec 10:00 CET: Katrin decides */
const KATRIN_DECIDES = '2026-12-02T09:00:00.000Z';
const QUERY = '/reports/sla?from=2026-11-30&to=2026-12-03';
const SHOTS = '/tmp/leadpact-report';

describe('the report says what the manager did with the lead handed over to her', () => {
  const e = useRuntime();
  let petra = '';
  let katrin = '';
  let browser: Browser | undefined;
  let page: Page;

  beforeAll(async () => {
    browser = await launchChromium();
    page = await offlinePage(browser);
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
  });

  const report = async () => {
    const answer = await e().request('GET', QUERY, { token: E2E_ADMIN_TOKEN });
    expect(answer.status).toBe(200);
    return answer.body as SlaReport;
  };

  it('the takeover is in the report, still open, named by the manager', async () => {
    // Arrange: the hot lead, nobody touching it, until the ladder runs out
    petra = await hotLeadOverToKatrin(e());
    expect((await e().readLead(petra)).owner?.id).toBe('carla');

    // Act
    const { sales } = await report();

    // Assert
    expect(sales.takeovers?.total).toMatchObject({ overTo: 1, givenOn: 0, touched: 0, open: 1 });
    expect(sales.takeovers?.byQueue).toEqual([
      expect.objectContaining({
        id: 'equipment-sales',
        name: 'Equipment sales',
        overTo: 1,
        open: 1,
        managers: [{ id: 'katrin', name: 'Katrin Vogel' }],
      }),
    ]);
    expect(sales.takeovers?.byManager.map((row) => [row.id, row.name, row.overTo])).toEqual([
      ['katrin', 'Katrin Vogel', 1],
    ]);
  });

  it('Katrin gives it to Mike in the console: given to a rep, after the business hours it took', async () => {
    // Arrange
    await e().advanceTo(KATRIN_DECIDES);
    katrin = await signIn(e().runtime, KATRIN);

    // Act
    const given = await giveInConsole(e().runtime, katrin, petra, 'mike', 'Chicago, free today');
    await e().settle();
    const { sales } = await report();

    // Assert
    expect(given.status).toBe(303);
    const { timeline } = await e().readLead(petra);
    const takenOver = timeline.find((entry) => entry.kind === 'escalation' && entry.to === 'katrin')!.at;
    const toMike = timeline.findLast((entry) => entry.kind === 'owner' && entry.to === 'mike')!.at;
    const hours = businessHoursBetween(e().sla.calendar, new Date(takenOver), new Date(toMike));
    console.log('taken over', takenOver, 'given to Mike', toMike, 'business hours', hours);
    expect(sales.takeovers?.total).toMatchObject({ overTo: 1, givenOn: 1, open: 0 });
    expect(sales.takeovers?.total.givenOnHours).toMatchObject({
      n: 1,
      p50: Math.round(hours * 10) / 10,
      p50Minutes: Math.round(hours * 60),
    });
    expect(sales.takeovers?.byManager[0]).toMatchObject({ id: 'katrin', givenOn: 1 });
  });

  it("Katrin's console report names her and the queue, in what became of the lead", async () => {
    // Act
    const page = await consoleFetch(
      e().runtime,
      'GET',
      '/console/reports?period=custom&from=2026-11-30&to=2026-12-03',
      { cookie: katrin },
    );

    // Assert
    expect(page.status).toBe(200);
    const section = page.text.slice(page.text.indexOf('id="over-to"'));
    expect(section).toContain('Over to the managers');
    expect(section).toContain('Katrin Vogel');
    expect(section).toContain('Equipment sales');
    expect(section).toMatch(/data-label="Given to a rep" class="num"><span>1<\/span>/);
  });

  it("Katrin's console report in Chromium, at 390 and 1280 px: the managers' table is on the page, nothing sideways", async () => {
    // Arrange
    const context = await browser!.newContext({ locale: 'en-GB' });
    const at = katrin.indexOf('=');
    await context.addCookies([{ name: katrin.slice(0, at), value: katrin.slice(at + 1), url: e().url }]);
    const tab = await context.newPage();
    mkdirSync(SHOTS, { recursive: true });

    // Act
    const opened = await tab.goto(`${e().url}/console/reports?period=custom&from=2026-11-30&to=2026-12-03`);
    const shots = await shootBothWidths(tab, `${SHOTS}/console-reports`);
    const section = tab.locator('section[aria-labelledby="over-to"]');
    for (const width of [390, 1280]) {
      await tab.setViewportSize({ width, height: 900 });
      await section.screenshot({ path: `${SHOTS}/console-reports-over-to-${width}.png` });
    }
    const text = (await section.textContent()) ?? '';
    await context.close();

    // Assert
    expect(opened?.status()).toBe(200);
    expect(text).toContain('Katrin Vogel');
    for (const { width, scrollWidth } of shots) expect(scrollWidth).toBeLessThanOrEqual(width);
  });

  it.each([
    ['en', 'Over to the managers', 'Equipment sales'],
    ['ar', 'المحالون إلى المديرين', 'مبيعات المعدات'],
  ] as const)('the report page in %s, at 390 and 1280 px', async (locale, heading, queue) => {
    // Arrange
    const html = reportHtml(await report(), { locale, sla: e().sla });
    mkdirSync(SHOTS, { recursive: true });

    // Act
    const narrow = await layoutAt(page, html, 390, `${SHOTS}/report-${locale}-390.png`);
    const wide = await layoutAt(page, html, 1280, `${SHOTS}/report-${locale}-1280.png`);

    // Assert: the section is there, named, and nothing scrolls the page sideways
    for (const layout of [narrow, wide]) {
      expect(layout.text).toContain(heading);
      expect(layout.text).toContain('Katrin Vogel');
      expect(layout.text).toContain(queue);
    }
    expect(narrow.scrollWidth).toBeLessThanOrEqual(390);
    expect(wide.scrollWidth).toBeLessThanOrEqual(1280);
  });
});
