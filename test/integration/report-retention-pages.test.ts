/**
 * The retention of sign-ups never confirmed (ADR 0092) on the report's pages. The SLA report counted the leads the
 * SLA's `consent.eraseUnconfirmedAfterDays` erased (`retention` in GET /reports/sla, `leadpact report` text), but the
 * `--html` page and the console's Reports page did not show it. Now both do, in English and Arabic, when the SLA sets
 * it; a SLA that erases none by itself shows nothing of it. The local runtime (dynalite, real sockets), its own
 * reconciler erasing the lead, the CLI over HTTP, the pages in Chromium at 390 and 1280 px.
 */
import { mkdirSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Sla } from '../../lambdas/domain/sla-schema.ts';
import { type LocalRuntime, startLocalRuntime } from '../../local/runtime.ts';
import { launchChromium, layoutAt, shootBothWidths } from '../support/chromium.ts';
import { signIn } from '../support/console.ts';
import { leadState } from '../support/lead-state.ts';
import { ADMIN_TOKEN } from '../support/local-api.ts';
import { runCli } from '../support/run-cli.ts';
import { loadDefaultSla } from '../support/sla.ts';

/** not committed: the e2e folder's screenshots are ignored (.gitignore) */
const SHOTS = new URL('../e2e/__screenshots__/', import.meta.url).pathname;
/** a sign-up asked to confirm on 1 June: its link lapsed on 1 July, erasable 90 days later */
const GIVEN = '2026-06-01T08:00:00.000Z';
/** Monday 7 December 2026, 09:00 Berlin */
const NOW = new Date('2026-12-07T08:00:00.000Z');
const KATRIN = 'katrin.vogel@kessler-industrial.example'; // a manager, English
const PRIYA = 'priya.shah@kessler-industrial.example'; // a manager, Arabic here

const signUp = (leadId: string) =>
  leadState(
    {
      leadId,
      consent: {
        mode: 'double',
        givenAt: GIVEN,
        askedAt: GIVEN,
        formId: 'efficiency-guide',
        requestId: `r-${leadId}`,
        text: 'Send me useful content',
      },
      sent: [`consent:r-${leadId}`],
      timeline: [{ at: GIVEN, kind: 'created', to: 'lead', by: 'form', reasons: [] }],
    },
    GIVEN,
  );

/** sla/default.yaml, Priya reading Arabic; `erase`: the days after which it erases sign-ups never confirmed */
function slaWith(erase: number | undefined): Sla {
  const sla = loadDefaultSla();
  return {
    ...sla,
    routing: {
      ...sla.routing,
      managers: sla.routing.managers.map((manager) =>
        manager.id === 'priya' ? { ...manager, locale: 'ar' } : manager,
      ),
    },
    consent: { ...sla.consent, ...(erase === undefined ? {} : { eraseUnconfirmedAfterDays: erase }) },
  };
}

const run = runCli;

async function consoleReportText(runtime: LocalRuntime, email: string, shots: string) {
  const cookie = await signIn(runtime, email);
  const browser = await launchChromium();
  try {
    const [name, ...value] = cookie.split('=');
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    await context.addCookies([{ name: name!, value: value.join('='), url: runtime.url }]);
    const tab = await context.newPage();
    const answer = await tab.goto(`${runtime.url}/console/reports?period=7d`);
    const text = (await tab.evaluate('document.body.innerText')) as string;
    const widths = await shootBothWidths(tab, `${SHOTS}${shots}`);
    return { status: answer?.status(), text, widths };
  } finally {
    await browser.close();
  }
}

describe('the report pages show the sign-ups never confirmed the SLA erased', () => {
  const dirs: string[] = [];
  let erasing: LocalRuntime | undefined;
  let keeping: LocalRuntime | undefined;
  let now = NOW;
  const clock = { now: () => new Date(now.getTime()) };

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    const start = async (erase: number | undefined) => {
      const dir = await mkdtemp(join(tmpdir(), 'leadpact-retention-pages-'));
      dirs.push(dir);
      const runtime = await startLocalRuntime({
        sla: slaWith(erase),
        dataDir: dir,
        port: 0,
        adminToken: ADMIN_TOKEN,
        clock,
        workflows: 'record',
      });
      await runtime.deps.store.createLead(signUp('RetentionPagesSignUp00A'));
      // the reconciler's sweep, its retention pass after it (ADR 0092)
      await runtime.reconciler.run();
      return runtime;
    };
    erasing = await start(90);
    keeping = await start(undefined);
    // an hour later: the console's last 7 days, up to now, hold the erase
    now = new Date(NOW.getTime() + 3_600_000);
  }, 60_000);

  afterAll(async () => {
    await erasing?.close();
    await keeping?.close();
    for (const dir of dirs) await rm(dir, { recursive: true, force: true });
  });

  it.each<[string, string, RegExp, string]>([
    [
      'en',
      'Sign-ups never confirmed',
      /Erased in the period: 1\. .* 90 days after its confirmation link lapsed/,
      'ltr',
    ],
    ['ar', 'اشتراكات لم تُؤكَّد قط', /مُحي خلال الفترة: 1\. .*بعد 90 يومًا من انقضاء الرابط/, 'rtl'],
  ])(
    'leadpact report --html --locale %s: the page says %s, and what was erased',
    async (locale, heading, erased, dir) => {
      // Arrange
      const file = join(dirs[0]!, `report-${locale}.html`);
      // Act
      const wrote = await run(
        'report',
        '--url',
        erasing!.url,
        '--token',
        ADMIN_TOKEN,
        '--from',
        '2026-12-07',
        '--to',
        '2026-12-08',
        '--html',
        file,
        '--locale',
        locale,
      );
      const html = await readFile(file, 'utf8');
      const browser = await launchChromium();
      const layouts: { width: number; layout: Awaited<ReturnType<typeof layoutAt>> }[] = [];
      try {
        const tab = await browser.newPage();
        for (const width of [390, 1280])
          layouts.push({
            width,
            layout: await layoutAt(tab, html, width, `${SHOTS}report-retention-html-${locale}-${width}.png`),
          });
      } finally {
        await browser.close();
      }
      // Assert
      expect(wrote.code, wrote.err).toBe(0);
      for (const { width, layout } of layouts) {
        expect(layout.dir).toBe(dir);
        expect(layout.text).toContain(heading);
        expect(layout.text).toMatch(erased);
        expect(layout.scrollWidth, `${width} px`).toBeLessThanOrEqual(width);
      }
    },
    60_000,
  );

  it.each<[string, string, string, RegExp]>([
    [
      'Katrin',
      KATRIN,
      'Sign-ups never confirmed',
      /Erased in the period: 1\. .* 90 days after its confirmation link lapsed/,
    ],
    ['Priya', PRIYA, 'اشتراكات لم تُؤكَّد قط', /مُحي خلال الفترة: 1\. .*بعد 90 يومًا من انقضاء الرابط/],
  ])(
    "the console's Reports page for %s says what the SLA erased",
    async (who, email, heading, erased) => {
      // Act
      const page = await consoleReportText(erasing!, email, `report-retention-console-${who.toLowerCase()}`);
      // Assert
      expect(page.status).toBe(200);
      expect(page.text).toContain(heading);
      expect(page.text).toMatch(erased);
      for (const { width, scrollWidth } of page.widths)
        expect(scrollWidth, `${width} px`).toBeLessThanOrEqual(width);
    },
    60_000,
  );

  it('an SLA that erases none by itself: neither page speaks of it', async () => {
    // Arrange
    const file = join(dirs[1]!, 'report.html');
    // Act
    const wrote = await run('report', '--url', keeping!.url, '--token', ADMIN_TOKEN, '--html', file);
    const html = await readFile(file, 'utf8');
    const page = await consoleReportText(keeping!, KATRIN, 'report-retention-console-off');
    // Assert
    expect(wrote.code, wrote.err).toBe(0);
    expect(html).toContain('<h2>Funnel</h2>');
    expect(html).not.toContain('Sign-ups never confirmed');
    expect(page.status).toBe(200);
    expect(page.text).toContain('Funnel');
    expect(page.text).not.toContain('Sign-ups never confirmed');
  }, 60_000);
});
