/**
 * The SLA report of a rep who has left the SLA. Mats, Lena and Sofia worked leads on Monday, then ops took them out
 * of the SLA (Mats's open lead to Jonas by `migrations.reps`; Lena's lead had gone to Jonas already; Sofia's was
 * disqualified, so it keeps her name). A manager then asked for exactly their report, and `GET /reports/sla?rep=mats`,
 * `leadpact report --rep mats` and the console's report answered 400 "no rep mats": the report knew the SLA's reps
 * only. Now a rep the SLA no longer names is reported while its migrations, the window's report facts or a lead name
 * them, by the name their facts recorded (not the id); an id nothing names is still 400, naming `rep` and the value.
 * Two starts of the local runtime on one data directory (dynalite on disk), real sockets, the console in Chromium.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { applyToLead, withTimeline } from '../../lambdas/domain/lead-state.ts';
import { parseSla } from '../../lambdas/domain/sla-file.ts';
import type { SlaReport } from '../../lambdas/domain/sla-report.ts';
import type { Sla } from '../../lambdas/domain/sla-schema.ts';
import { updateLead } from '../../lambdas/ports/lead-store.ts';
import { type LocalRuntime, startLocalRuntime } from '../../local/runtime.ts';
import { launchChromium, shootBothWidths } from '../support/chromium.ts';
import { signIn } from '../support/console.ts';
import { ADMIN_TOKEN, type ErrorBody, SQL_LEAD } from '../support/local-api.ts';
import { runCli } from '../support/run-cli.ts';
import { loadDefaultSla } from '../support/sla.ts';

/** Monday 2026-11-30, 10:00 Berlin */
const MONDAY = new Date('2026-11-30T09:00:00.000Z');
const HOUR = 3_600_000;
const DAY = 86_400_000;
const MONDAY_WINDOW = 'from=2026-11-30&to=2026-12-01';
const WEDNESDAY_WINDOW = 'from=2026-12-02&to=2026-12-03';
/** not committed: the e2e folder's screenshots are ignored (.gitignore) */
const SHOTS = new URL('../e2e/__screenshots__/', import.meta.url).pathname;
const KATRIN = 'katrin.vogel@kessler-industrial.example'; // managed Mats, Lena and Sofia; reads English
const LEFT = ['mats', 'lena', 'sofia'];

/** sla/default.yaml after Mats, Lena and Sofia left: a new version, Mats's open leads to Jonas */
function slaAfterTheyLeftText(): string {
  const doc = parse(readFileSync(new URL('../../sla/default.yaml', import.meta.url), 'utf8')) as {
    version: string;
    routing: {
      reps: { id: string }[];
      queues: { reps: string[] }[];
      accounts: { owner: string }[];
    };
    migrations?: unknown;
  };
  doc.version = '2026.12-kessler-left';
  doc.routing.reps = doc.routing.reps.filter((rep) => !LEFT.includes(rep.id));
  for (const queue of doc.routing.queues) queue.reps = queue.reps.filter((rep) => !LEFT.includes(rep));
  doc.routing.accounts = doc.routing.accounts.filter((account) => !LEFT.includes(account.owner));
  doc.migrations = { reps: { mats: 'jonas' } };
  return stringify(doc);
}

class Clock {
  constructor(public current: Date) {}
  now(): Date {
    return new Date(this.current.getTime());
  }
}

const run = runCli;

describe('the report of a rep who has left the SLA', () => {
  let dir = '';
  let slaFile = '';
  let runtime: LocalRuntime | undefined;
  const clock = new Clock(MONDAY);
  // one sign-in for the file's console visits (sign-in links are limited per mailbox)
  let katrin: Promise<string> | undefined;
  const katrinCookie = () => {
    katrin ??= signIn(runtime!, KATRIN);
    return katrin;
  };
  const get = async (path: string) => {
    const response = await fetch(`${runtime!.url}${path}`, {
      headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
    });
    return { status: response.status, body: (await response.json()) as unknown };
  };

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'leadpact-former-rep-'));
    slaFile = join(dir, 'sla-after.yaml');
    await writeFile(slaFile, slaAfterTheyLeftText());
    // Monday, on the SLA they were in: each gets a lead, Mats calls his, Lena's goes on to Jonas, Sofia's is
    // disqualified (its workflow ends: nothing due, so no migration reads it and the start does not refuse)
    const sla = loadDefaultSla();
    const first = await startLocalRuntime({
      sla,
      dataDir: dir,
      port: 0,
      adminToken: ADMIN_TOKEN,
      clock,
      workflows: 'record',
    });
    try {
      const call = async (method: string, path: string, json?: unknown) => {
        const response = await fetch(`${first.url}${path}`, {
          method,
          headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
          ...(json === undefined ? {} : { body: JSON.stringify(json) }),
        });
        expect(response.status, await response.clone().text()).toBeLessThan(300);
        return (await response.json()) as { leadId: string };
      };
      const handTo = async (leadId: string, rep: string) => {
        const now = clock.now();
        await updateLead(first.deps.store, leadId, (current) =>
          withTimeline(
            {
              ...applyToLead(sla, current, { kind: 'handedOff', ownerId: rep }, now, 'workflow', 'handoff')
                .state,
              ownerId: rep,
              ownerSince: now.toISOString(),
              handedOffAt: now.toISOString(),
            },
            {
              at: now.toISOString(),
              kind: 'owner',
              ...(current.ownerId ? { from: current.ownerId } : {}),
              to: rep,
              by: 'workflow',
              reasons: [],
            },
          ),
        );
      };
      const lead = async (label: string) =>
        (await call('POST', '/leads', { email: `${label}@plant.example`, lastName: label, ...SQL_LEAD }))
          .leadId;
      const ofMats = await lead('matsfall');
      const ofLena = await lead('lenafall');
      const ofSofia = await lead('sofiafall');
      await handTo(ofMats, 'mats');
      await handTo(ofLena, 'lena');
      await handTo(ofSofia, 'sofia');
      clock.current = new Date(MONDAY.getTime() + HOUR);
      await call('POST', `/leads/${ofMats}/attempts`, { outcome: 'no-answer' });
      clock.current = new Date(MONDAY.getTime() + 2 * HOUR);
      await handTo(ofLena, 'jonas');
      await call('PATCH', `/leads/${ofSofia}/status`, { status: 'unqualified' });
      await updateLead(first.deps.store, ofSofia, ({ dueAt: _due, waitToken: _token, ...rest }) => rest);
      await first.events.idle();
    } finally {
      await first.close();
    }
    // Thursday, on the SLA after they left
    clock.current = new Date(MONDAY.getTime() + 3 * DAY);
    const parsed = parseSla(readFileSync(slaFile, 'utf8'));
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
    runtime = await startLocalRuntime({
      sla: parsed.sla as Sla,
      dataDir: dir,
      port: 0,
      adminToken: ADMIN_TOKEN,
      clock,
      workflows: 'record',
    });
  }, 60_000);

  afterAll(async () => {
    await runtime?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it.each<[string, string, string, { handovers: number; attempts: number } | undefined]>([
    // rep, window, the name the report gives them, their row (none: nothing of theirs in the window)
    ['mats', MONDAY_WINDOW, 'Mats Lindqvist', { handovers: 1, attempts: 1 }],
    ['lena', MONDAY_WINDOW, 'Lena Hartmann', { handovers: 1, attempts: 0 }],
    ['sofia', MONDAY_WINDOW, 'Sofia Brandt', { handovers: 1, attempts: 0 }],
    // no fact of Sofia's on Wednesday, but her disqualified lead still names her: her (empty) report, by her id
    ['sofia', WEDNESDAY_WINDOW, 'sofia', undefined],
  ])('GET /reports/sla?rep=%s&%s: 200, named %s', async (rep, window, name, row) => {
    // Act
    const response = await get(`/reports/sla?${window}&rep=${rep}`);
    // Assert
    expect(response.status, JSON.stringify(response.body)).toBe(200);
    const report = response.body as SlaReport;
    expect(report.window).toMatchObject({ rep, repName: name });
    expect(
      report.sales.byRep.map(({ id, name, handovers, attempts }) => ({ id, name, handovers, attempts })),
    ).toEqual(row ? [{ id: rep, name, ...row }] : []);
  });

  it.each<[string, string]>([
    ['matz', MONDAY_WINDOW],
    // Lena: no migration names her, no lead holds her name, no fact of hers on Wednesday
    ['lena', WEDNESDAY_WINDOW],
  ])('GET /reports/sla?rep=%s&%s: 400 naming rep and the value', async (rep, window) => {
    // Act
    const response = await get(`/reports/sla?${window}&rep=${rep}`);
    // Assert
    expect(response.status, JSON.stringify(response.body)).toBe(400);
    const { error } = response.body as ErrorBody;
    expect(error.fields.map((field) => field.path)).toEqual(['rep']);
    expect(error.fields[0]!.message).toContain(`no rep "${rep}": the SLA has jonas, carla, mike, mats`);
    expect(error.fields[0]!.message).toContain('no report fact of the window or lead names them');
  });

  it('leadpact report --url --rep mats names him; --rep matz exits 2 naming the value', async () => {
    // Act
    const text = await run(
      'report',
      '--url',
      runtime!.url,
      '--token',
      ADMIN_TOKEN,
      '--from',
      '2026-11-30',
      '--to',
      '2026-12-01',
      '--rep',
      'mats',
    );
    const typo = await run('report', '--url', runtime!.url, '--token', ADMIN_TOKEN, '--rep', 'matz');
    // Assert
    expect(text.code, text.err).toBe(0);
    expect(text.out).toContain(', rep Mats Lindqvist;');
    expect(text.out).toMatch(/\n {2}Mats Lindqvist +handovers 1,/);
    expect(typo.code).toBe(2);
    expect(typo.err).toContain('--rep: no rep "matz": the SLA has');
  });

  it("the console's report for Katrin, their manager: Mats's figures under his name, the filter naming him", async () => {
    // Arrange
    mkdirSync(SHOTS, { recursive: true });
    const cookie = await katrinCookie();
    const browser = await launchChromium();
    try {
      const [name, ...value] = cookie.split('=');
      const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
      await context.addCookies([{ name: name!, value: value.join('='), url: runtime!.url }]);
      const tab = await context.newPage();
      // Act
      const answer = await tab.goto(`${runtime!.url}/console/reports?period=7d&rep=mats`);
      const text = (await tab.evaluate('document.body.innerText')) as string;
      const chosen = (await tab.evaluate(
        "document.querySelector('select[name=rep]').selectedOptions[0].textContent",
      )) as string;
      const widths = await shootBothWidths(tab, `${SHOTS}report-former-rep-katrin`);
      const typo = await tab.goto(`${runtime!.url}/console/reports?period=7d&rep=matz`);
      const typoText = (await tab.evaluate('document.body.innerText')) as string;
      // Assert
      expect(answer?.status()).toBe(200);
      expect(chosen).toBe('Mats Lindqvist (no longer in the SLA)');
      expect(text).toMatch(/Mats Lindqvist\s+1\s/);
      expect(text).not.toMatch(/\bmats\b/);
      for (const { width, scrollWidth } of widths)
        expect(scrollWidth, `${width} px`).toBeLessThanOrEqual(width);
      expect(typo?.status()).toBe(400);
      expect(typoText).toContain('matz');
    } finally {
      await browser.close();
    }
  }, 60_000);

  it.each<[string, string[], string | null]>([
    // the list's query; the owner filter's options (value: label; none: no filter offered); the one chosen
    // Sofia: no migration names her, her disqualified lead does (GET /leads?owner=sofia lists it): her name recorded
    [
      '?owner=sofia',
      [': Anyone', 'jonas: Jonas Berger', 'sofia: Sofia Brandt (no longer in the SLA)'],
      'Sofia Brandt (no longer in the SLA)',
    ],
    // Mats's open lead went to Jonas (migrations.reps), Lena's too: no former owner holds a lead, Katrin has one rep
    ['', [], null],
  ])(
    "the console's lead list for Katrin (/console/leads%s) offers a former owner holding leads, by the name recorded",
    async (query, options, chosen) => {
      // Arrange
      mkdirSync(SHOTS, { recursive: true });
      const cookie = await katrinCookie();
      const browser = await launchChromium();
      try {
        const [name, ...value] = cookie.split('=');
        const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
        await context.addCookies([{ name: name!, value: value.join('='), url: runtime!.url }]);
        const tab = await context.newPage();
        // Act
        const answer = await tab.goto(`${runtime!.url}/console/leads${query}`);
        const offered = (await tab.evaluate(
          "[...document.querySelectorAll('select[name=owner] option')].map((o) => o.value + ': ' + o.textContent)",
        )) as string[];
        const selected = (await tab.evaluate(
          "document.querySelector('select[name=owner]')?.selectedOptions[0].textContent ?? null",
        )) as string | null;
        const text = (await tab.evaluate('document.body.innerText')) as string;
        const widths = await shootBothWidths(tab, `${SHOTS}lead-list-former-owner${query ? '-sofia' : ''}`);
        // Assert
        expect(answer?.status()).toBe(200);
        expect(offered).toEqual(options);
        expect(selected).toBe(chosen);
        if (query) expect(text).toMatch(/sofiafall\s.*\sSofia Brandt\s/);
        for (const { width, scrollWidth } of widths)
          expect(scrollWidth, `${width} px`).toBeLessThanOrEqual(width);
      } finally {
        await browser.close();
      }
    },
    60_000,
  );

  it('leadpact report --data (the store stopped) --rep lena reports her by name; --rep matz exits 2', async () => {
    // Arrange: LevelDB takes one process: stop the runtime
    await runtime?.close();
    runtime = undefined;
    const window = ['--from', '2026-11-30', '--to', '2026-12-01'];
    // Act
    const json = await run('report', '--data', dir, '--sla', slaFile, ...window, '--rep', 'lena', '--json');
    const typo = await run('report', '--data', dir, '--sla', slaFile, ...window, '--rep', 'matz', '--json');
    // Assert
    expect(json.code, json.err).toBe(0);
    const report = JSON.parse(json.out) as SlaReport;
    expect(report.window.repName).toBe('Lena Hartmann');
    expect(report.sales.byRep.map((row) => [row.id, row.name, row.handovers])).toEqual([
      ['lena', 'Lena Hartmann', 1],
    ]);
    expect(typo.code).toBe(2);
    expect(typo.err).toContain('--rep: no rep "matz": the SLA has jonas, carla, mike, mats');
  });
});
