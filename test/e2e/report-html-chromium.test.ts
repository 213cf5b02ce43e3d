/**
 * The SLA report's page (`leadpact report --html`, reportHtml) in headless Chromium: the funnel chart's
 * stage names, in English and Arabic, each clear of its bar and its figure, at 390 and 1280 px. The SLA's
 * own names ("Marketing qualified lead") are what the chart must make room for.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reportHtml, slaReport } from '../../lambdas/domain/sla-report.ts';
import { launchChromium, layoutAt, offlinePage } from '../support/chromium.ts';
import { loadDefaultSla } from '../support/sla.ts';

interface Row {
  readonly name: string;
  readonly nameBox: { readonly left: number; readonly right: number };
  readonly bar: { readonly left: number; readonly right: number };
  readonly figure: { readonly left: number; readonly right: number };
}

describe('the SLA report page in Chromium', () => {
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    browser = await launchChromium();
    page = await offlinePage(browser);
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
  });

  it.each([
    ['en', 390],
    ['en', 1280],
    ['ar', 390],
    ['ar', 1280],
  ] as const)(
    '%s at %i px: every stage name of the funnel chart is clear of its bar and figure',
    async (locale, width) => {
      // Arrange: the default SLA, one lead in each of two stages so that some bars are drawn
      const sla = loadDefaultSla();
      const fact = (leadId: string, stage: 'lead' | 'sql') => ({
        kind: 'stage' as const,
        leadId,
        at: '2026-11-24T10:00:00.000Z',
        seq: 0,
        leadType: 'equipment-sales',
        stage,
      });
      const report = slaReport(sla, [fact('a', 'lead'), fact('b', 'sql')], {
        from: '2026-11-23T00:00:00.000Z',
        to: '2026-11-30T00:00:00.000Z',
        now: new Date('2026-11-30T00:00:00.000Z'),
      });

      // Act
      const layout = await layoutAt(page, reportHtml(report, { sla, locale }), width);
      const rows = (await page.evaluate(`[...document.querySelectorAll('svg g')].map((g) => {
      const [name, figure] = g.querySelectorAll('text');
      const box = (element) => { const r = element.getBoundingClientRect(); return { left: r.left, right: r.right }; };
      return { name: name.textContent, nameBox: box(name), bar: box(g.querySelector('rect')), figure: box(figure) };
    })`)) as Row[];

      // Assert
      expect(layout.scrollWidth).toBeLessThanOrEqual(width);
      expect(rows).toHaveLength(6);
      for (const row of rows) {
        const clear =
          locale === 'ar'
            ? row.nameBox.left >= Math.max(row.bar.right, row.figure.right)
            : row.nameBox.right <= Math.min(row.bar.left, row.figure.left);
        expect(clear, `${row.name}: ${JSON.stringify(row)}`).toBe(true);
      }
    },
  );
});
