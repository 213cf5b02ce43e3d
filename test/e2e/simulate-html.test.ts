/**
 * `leadpact simulate --html`: one self-contained page (no script, nothing fetched), its charts inline SVG,
 * laid out in headless Chromium at 390 px (no sideways scroll) and 1280 px. With SIMULATE_SCREENSHOTS=1
 * the screenshots land in $TMPDIR/leadpact-simulate/ to look at.
 */
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../bin/cli.ts';
import { type CliIo, processIo } from '../../bin/commands/io.ts';
import { launchChromium, layoutAt } from '../support/chromium.ts';

const SCREENSHOTS = process.env.SIMULATE_SCREENSHOTS === '1';
const SHOTS = join(tmpdir(), 'leadpact-simulate');
const quiet: CliIo = { out: () => undefined, err: () => undefined, readFile: processIo.readFile };

describe('leadpact simulate --html', () => {
  let browser: Browser;
  let page: Page;
  const requested: string[] = [];
  const dir = mkdtempSync(join(tmpdir(), 'leadpact-simulate-html-'));

  beforeAll(async () => {
    browser = await launchChromium();
    page = await browser.newPage();
    await page.route('**/*', (route) => {
      requested.push(route.request().url());
      return route.abort();
    });
    if (SCREENSHOTS) mkdirSync(SHOTS, { recursive: true });
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
  });

  it.each([
    ['report.html', []],
    ['compare.html', ['--compare', 'test/fixtures/sla/strict.yaml']],
  ])(
    'renders %s with its charts, self-contained, at 390 and 1280 px',
    async (file, extra) => {
      // Arrange
      const path = join(dir, file);
      const code = await main(
        ['simulate', '--leads', '80', '--days', '14', '--seed', '5', '--html', path, ...extra],
        quiet,
      );
      expect(code).toBe(0);
      const html = readFileSync(path, 'utf8');

      // Act
      const phone = await layoutAt(page, html, 390, SCREENSHOTS ? join(SHOTS, `${file}-390.png`) : undefined);
      const desktop = await layoutAt(
        page,
        html,
        1280,
        SCREENSHOTS ? join(SHOTS, `${file}-1280.png`) : undefined,
      );
      const charts = (await page.evaluate(
        `[...document.querySelectorAll('figure svg')].map((svg) => ({ label: svg.getAttribute('aria-label'), width: svg.getBoundingClientRect().width, shapes: svg.querySelectorAll('rect').length }))`,
      )) as { label: string; width: number; shapes: number }[];

      // Assert
      expect(requested).toEqual([]);
      expect(html).not.toMatch(/<script|<link|https?:\/\/(?!www\.w3\.org)/);
      expect(phone.scrollWidth).toBeLessThanOrEqual(390);
      expect(desktop.scrollWidth).toBeLessThanOrEqual(1280);
      const labels = charts.map((chart) => chart.label);
      for (const label of [
        'Funnel: leads reaching each stage',
        'First-touch response time (business hours)',
        'First touch within the SLA, per rep',
        'Emails per day',
        'AWS cost per 1,000 leads, by line (US cents)',
      ])
        expect(labels).toContain(label);
      for (const chart of charts) {
        expect(chart.width).toBeGreaterThan(200);
        expect(chart.shapes).toBeGreaterThan(0);
      }
      expect(desktop.text).toMatch(/first touch in SLA/i);
      if (extra.length) {
        expect(desktop.text).toMatch(/First touch breached \(handovers\).*\(worse\)/);
        // sla diff's in-flight impact on the leads A left open, in words
        expect(desktop.text).toMatch(
          /Leads in flight\n[\s\S]*of the \d+ A left in flight would move stage or hold an id B lacks/,
        );
      }
    },
    120_000,
  );

  it.each([
    ['takeovers.html', [], 1],
    ['takeovers-compare.html', ['--compare', 'test/fixtures/sla/strict.yaml'], 2],
  ])(
    "shows the report's managers section in %s, as the report draws it, at 390 and 1280 px",
    async (file, extra, sections) => {
      // Arrange: reps who let most leads lie, so the ladder runs out and leads go over to the managers
      const scenario = join(dir, 'neglect.yaml');
      writeFileSync(
        scenario,
        'mix: { fit: { ideal: 0.6, partial: 0.3, poor: 0.1 } }\nreps: { default: { ignoreRate: 0.7 } }\n',
      );
      const path = join(dir, file);
      const code = await main(
        [
          'simulate',
          '--leads',
          '120',
          '--days',
          '21',
          '--seed',
          '5',
          '--scenario',
          scenario,
          '--html',
          path,
          ...extra,
        ],
        quiet,
      );
      expect(code).toBe(0);
      const html = readFileSync(path, 'utf8');

      // Act
      const phone = await layoutAt(page, html, 390, SCREENSHOTS ? join(SHOTS, `${file}-390.png`) : undefined);
      const desktop = await layoutAt(
        page,
        html,
        1280,
        SCREENSHOTS ? join(SHOTS, `${file}-1280.png`) : undefined,
      );
      const managersColumn = (await page.evaluate(
        `[...document.querySelectorAll('td.names')].map((cell) => ({ text: cell.textContent, align: getComputedStyle(cell).textAlign }))`,
      )) as { text: string; align: string }[];

      // Assert
      expect(phone.scrollWidth).toBeLessThanOrEqual(390);
      expect(desktop.scrollWidth).toBeLessThanOrEqual(1280);
      expect(desktop.text.match(/Over to the managers/g)).toHaveLength(sections);
      expect(desktop.text).toMatch(/Over to\tLeads\tGiven to a rep\tGiven on after p50 \/ p90/);
      expect(desktop.text).toMatch(/All\t[^\t]*Katrin Vogel[^\t]*\t[1-9]\d*\t[1-9]/);
      expect(desktop.text).toMatch(/\d+ leads? over to a manager/);
      expect(managersColumn.length).toBeGreaterThan(0);
      for (const cell of managersColumn) expect(cell.align).toBe('left');
    },
    120_000,
  );
});
