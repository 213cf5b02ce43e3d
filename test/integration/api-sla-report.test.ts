/**
 * GET /reports/sla and `leadpact report` through the real local runtime: report facts written as leads
 * change (observeWrites + the DynamoDB fact log on dynalite), read back by day from GSI2; the API and
 * the command (--url, --data) give the same figures; a retried write stores no fact twice; bad input
 * names its field.
 */
import { readFileSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Context } from 'aws-lambda';
import { afterAll, describe, expect, it } from 'vitest';
import type { HttpEvent, HttpResult } from '../../lambdas/api/http.ts';
import { slaReportHandler } from '../../lambdas/api/sla-report.ts';
import { applyToLead, withTimeline } from '../../lambdas/domain/lead-state.ts';
import { parseSla } from '../../lambdas/domain/sla-file.ts';
import type { SlaReport } from '../../lambdas/domain/sla-report.ts';
import { updateLead } from '../../lambdas/ports/lead-store.ts';
import { startLocalRuntime } from '../../local/runtime.ts';
import {
  ADMIN_TOKEN,
  DAY,
  expectError,
  type LocalApi,
  SQL_LEAD,
  T0,
  useLocalApi,
} from '../support/local-api.ts';
import { personEvent } from '../support/person-event.ts';
import { runCli } from '../support/run-cli.ts';
import { loadDefaultSla } from '../support/sla.ts';

/** Monday 2026-11-30, 10:00 Berlin */
const MONDAY = new Date('2026-11-30T09:00:00.000Z');
const HOUR = 3_600_000;

const run = runCli;

const nextDay = (day: string) => new Date(Date.parse(day) + DAY).toISOString().slice(0, 10);

async function handTo(
  api: Pick<LocalApi, 'sla' | 'clock'>,
  store: LocalApi['runtime']['deps']['store'],
  leadId: string,
  rep: string,
) {
  const now = api.clock.now();
  await updateLead(store, leadId, (current) =>
    withTimeline(
      {
        ...applyToLead(api.sla, current, { kind: 'handedOff', ownerId: rep }, now, 'workflow', 'handoff')
          .state,
        ownerId: rep,
        ownerSince: now.toISOString(),
        handedOffAt: now.toISOString(),
      },
      { at: now.toISOString(), kind: 'owner', to: rep, by: 'workflow', reasons: [] },
    ),
  );
}

describe('GET /reports/sla', () => {
  const api = useLocalApi();
  const window = `from=2026-11-30&to=2026-12-01`;

  /** three SQLs to jonas at 10:00 Berlin (due 14:00 Berlin): one touched after 1 h, one after 5 h, one never */
  async function arrange() {
    api.clock.set(MONDAY);
    const ids: string[] = [];
    for (const name of ['a', 'b', 'c'])
      ids.push(await api.createLead({ email: api.uniqueEmail(name), ...SQL_LEAD }));
    for (const id of ids) await handTo(api, api.runtime.deps.store, id, 'jonas');
    api.clock.set(new Date(MONDAY.getTime() + HOUR));
    expect(
      (await api.request('POST', `/leads/${ids[0]}/attempts`, { json: { outcome: 'no-answer' } })).status,
    ).toBe(201);
    api.clock.set(new Date(MONDAY.getTime() + 5 * HOUR));
    expect(
      (await api.request('POST', `/leads/${ids[1]}/attempts`, { json: { outcome: 'no-answer' } })).status,
    ).toBe(201);
    api.clock.set(new Date(MONDAY.getTime() + DAY));
    return ids;
  }

  it('reports first touch and response times from the facts the writes left, per rep and queue', async () => {
    // Arrange
    await arrange();

    // Act
    const response = await api.request('GET', `/reports/sla?${window}`);

    // Assert
    expect(response.status, response.text).toBe(200);
    const report = response.body as SlaReport;
    expect(report.sales.total).toMatchObject({
      handovers: 3,
      firstTouch: { met: 1, breached: 2, pending: 0, rate: 0.333 },
      // 1 h and 5 h: the median halfway between them, 90% within the longer
      responseHours: { n: 2, p50: 3, p90: 5, p50Minutes: 180, p90Minutes: 300 },
      attempts: 2,
    });
    expect(report.sales.byRep.map((row) => [row.name, row.handovers])).toEqual([['Jonas Berger', 3]]);
    expect(report.sales.byQueue.map((row) => row.name)).toEqual(['Equipment sales']);
    expect(report.marketing.sqls.handedOver).toBe(3);
    expect(report.funnel.find((stage) => stage.stage === 'sql')?.entered).toBe(3);

    // and `leadpact report --url` prints the same figures
    const cli = await run(
      'report',
      '--url',
      api.url,
      '--token',
      ADMIN_TOKEN,
      '--from',
      '2026-11-30',
      '--to',
      '2026-12-01',
      '--json',
    );
    expect(cli.code, cli.err).toBe(0);
    expect(JSON.parse(cli.out)).toEqual(report);
    const text = await run(
      'report',
      '--url',
      api.url,
      '--token',
      ADMIN_TOKEN,
      '--from',
      '2026-11-30',
      '--to',
      '2026-12-01',
    );
    expect(text.out).toContain('Jonas Berger');
  });

  it('refuses a window with more report facts than a report reads, naming from (the 15 s function at 100x)', async () => {
    // Arrange: the day's facts, and a handler that reads at most a few of them (MAX_REPORT_FACTS in small)
    await arrange();
    const stored = await api.runtime.deps.queries!.listFacts('2026-11-30', '2026-11-30');
    const event = (cap: number) =>
      slaReportHandler(api.runtime.deps, cap)(
        {
          ...personEvent('GET /reports/sla', 'admin', ''),
          rawQueryString: window,
          queryStringParameters: { from: '2026-11-30', to: '2026-12-01' },
        } as HttpEvent,
        {} as Context,
      ) as Promise<HttpResult>;

    // Act
    const over = await event(stored.length - 1);
    const within = await event(stored.length + 10);

    // Assert
    expect(stored.length).toBeGreaterThan(3);
    expect(over.statusCode, String(over.body)).toBe(400);
    expect(JSON.parse(String(over.body))).toMatchObject({
      error: {
        code: 'invalid_request',
        fields: [
          { path: 'from', message: expect.stringContaining(`more than ${stored.length - 1} report facts`) },
        ],
      },
    });
    expect(within.statusCode, String(within.body)).toBe(200);
  });

  it('stores each fact once when the same state is written again', async () => {
    // Arrange
    const ids = await arrange();
    const before = (await api.runtime.deps.queries!.listFacts('2026-11-30', '2026-11-30')).length;
    const lead = (await api.runtime.deps.store.getLead(ids[1]!))!;

    // Act: the write of the attempt's state, repeated (a retry whose first answer was lost)
    await api.runtime.deps.store.saveLead({ ...lead, version: lead.version + 1 }, lead.version);

    // Assert
    expect((await api.runtime.deps.queries!.listFacts('2026-11-30', '2026-11-30')).length).toBe(before);
  });

  it.each([
    ['from=last-week', 'from'],
    ['rep=nobody', 'rep'],
    ['queue=nowhere', 'queue'],
    ['from=2026-12-02&to=2026-12-01', 'to'],
    ['from=2024-01-01&to=2026-01-01', 'from'],
    ['period=week', 'period'],
    // a year before any report fact: was a 500 (a RangeError building the day keys)
    ['from=0050-01-01&to=0050-02-01', 'from'],
    ['from=0001-01-01&to=0002-02-01', 'from'],
    // a day that does not exist: was rolled over to 2 March
    ['from=2026-02-30', 'from'],
    ['to=2026-04-31', 'to'],
    // a month or a day no month has: was a 500 (a RangeError checking it)
    ['from=2026-13-01', 'from'],
    ['from=2026-00-10', 'from'],
    ['to=2026-12-32', 'to'],
    // a time without its offset: was read in the zone the server runs in
    ['from=2026-12-21T10:00:00', 'from'],
    ['from=2026-12-21T25:00:00Z', 'from'],
  ])('answers 400 naming the field for %s', async (query, field) => {
    expectError(await api.request('GET', `/reports/sla?${query}`), 400, 'invalid_request', field);
  });

  it('answers 401 without a token', async () => {
    expectError(await api.request('GET', '/reports/sla', { token: null }), 401, 'unauthorized');
  });

  it("reads a date as that day in the SLA's time zone (Berlin), not UTC's", async () => {
    // Arrange: an SQL handed to mats on Monday 7 December at 00:30 in Berlin (Sunday 23:30 UTC)
    api.clock.set(new Date('2026-12-06T23:30:00.000Z'));
    const id = await api.createLead({ email: api.uniqueEmail('midnight'), ...SQL_LEAD });
    await handTo(api, api.runtime.deps.store, id, 'mats');

    // Act
    const monday = await api.request('GET', '/reports/sla?from=2026-12-07&to=2026-12-08&rep=mats');
    const sunday = await api.request('GET', '/reports/sla?from=2026-12-06&to=2026-12-07&rep=mats');

    // Assert
    expect(monday.status, monday.text).toBe(200);
    expect((monday.body as SlaReport).window).toMatchObject({
      from: '2026-12-06T23:00:00.000Z',
      to: '2026-12-07T23:00:00.000Z',
    });
    expect((monday.body as SlaReport).sales.total.handovers).toBe(1);
    expect((sunday.body as SlaReport).sales.total.handovers).toBe(0);
  });

  it('judges a first touch logged late with the time it happened (a CRM syncing a call), as the lead reads', async () => {
    // Arrange: an SQL handed to lena Wednesday 10:00 Berlin (due 14:00 Berlin, 13:00Z); she called at
    // 11:00 Berlin, and her CRM logged the call at 16:00 Berlin, with the call's time
    const wednesday = new Date('2026-12-02T09:00:00.000Z');
    api.clock.set(wednesday);
    const id = await api.createLead({ email: api.uniqueEmail('synced'), ...SQL_LEAD });
    await handTo(api, api.runtime.deps.store, id, 'lena');
    api.clock.set(new Date(wednesday.getTime() + 6 * HOUR));
    const logged = await api.request('POST', `/leads/${id}/attempts`, {
      json: { outcome: 'no-answer', at: new Date(wednesday.getTime() + HOUR).toISOString() },
    });
    expect(logged.status, logged.text).toBe(201);
    const read = await api.request('GET', `/leads/${id}`);
    expect(read.body).toMatchObject({ sla: { firstTouch: { state: 'met' } } });

    // Act
    const response = await api.request('GET', '/reports/sla?from=2026-12-02&to=2026-12-03&rep=lena');

    // Assert
    expect(response.status, response.text).toBe(200);
    expect((response.body as SlaReport).sales.total).toMatchObject({
      handovers: 1,
      firstTouch: { met: 1, breached: 0, pending: 0, rate: 1 },
      responseHours: { n: 1, p50: 1, p90: 1 },
    });
  });
});

describe('a lead erased while its rep had it', () => {
  const api = useLocalApi();

  // handed to jonas at 10:00 Berlin: first touch due 14:00; the cadence's step 1 is due then, step 2 1bh after the
  // call (or after 14:00 without one), step 3 a business day after that. One day each: the report's window
  it.each([
    {
      day: '2026-11-30',
      given: 'untouched, erased at 11:00, before its deadline: neither met nor breached (was breached)',
      calledAfter: undefined,
      erasedAfter: 1,
      firstTouch: { met: 0, breached: 0, pending: 0, rate: null },
      attempts: 0,
      cadenceAttempts: 0,
    },
    {
      day: '2026-12-01',
      given: 'untouched, erased at 14:30, past its deadline: breached, step 1 asked',
      calledAfter: undefined,
      erasedAfter: 4.5,
      firstTouch: { met: 0, breached: 1, pending: 0, rate: 0 },
      attempts: 0,
      cadenceAttempts: 1,
    },
    {
      day: '2026-12-02',
      given: 'called at 11:00, erased at 13:00: met, steps 1 and 2 asked (step 2 due 12:00)',
      calledAfter: 1,
      erasedAfter: 3,
      firstTouch: { met: 1, breached: 0, pending: 0, rate: 1 },
      attempts: 1,
      cadenceAttempts: 2,
    },
  ])('$given', async ({ day, calledAfter, erasedAfter, firstTouch, attempts, cadenceAttempts }) => {
    // Arrange
    const handedOver = new Date(`${day}T09:00:00.000Z`);
    api.clock.set(handedOver);
    const id = await api.createLead({ email: api.uniqueEmail('erased'), ...SQL_LEAD });
    await handTo(api, api.runtime.deps.store, id, 'jonas');
    if (calledAfter !== undefined) {
      api.clock.set(new Date(handedOver.getTime() + calledAfter * HOUR));
      const called = await api.request('POST', `/leads/${id}/attempts`, { json: { outcome: 'no-answer' } });
      expect(called.status, called.text).toBe(201);
    }
    api.clock.set(new Date(handedOver.getTime() + erasedAfter * HOUR));
    const erased = await api.request('DELETE', `/leads/${id}`);
    expect(erased.status, erased.text).toBe(200);
    api.clock.set(new Date(handedOver.getTime() + DAY));

    // Act
    const response = await api.request('GET', `/reports/sla?from=${day}&to=${nextDay(day)}&rep=jonas`);

    // Assert
    expect(response.status, response.text).toBe(200);
    expect((response.body as SlaReport).sales.total).toMatchObject({
      handovers: 1,
      firstTouch,
      attempts,
      cadenceAttempts,
    });
    // the erase's own fact holds no personal data of the lead: ids, times, counts (and no queue: the country it was
    // read from is gone), and the rep's name as the SLA gives it (ADR 0084 amended)
    const facts = await api.runtime.deps.queries!.listFacts(day, day);
    const erase = facts.find((fact) => fact.leadId === id && fact.kind === 'erase');
    expect(erase).toEqual({
      kind: 'erase',
      leadId: id,
      at: new Date(handedOver.getTime() + erasedAfter * HOUR).toISOString(),
      seq: 0,
      leadType: expect.any(String),
      rep: 'jonas',
      repName: 'Jonas Berger',
      stepsDue: cadenceAttempts,
    });
  });
});

describe('a lead a manager takes from its rep early', () => {
  const api = useLocalApi();

  // handed to jonas at 10:00 Berlin: step 1 of the cadence is due at 14:00 (the first-touch deadline), step 2 1 bh
  // after the call before it; a manager gives the lead to lena (POST /leads/{id}/owner). One day each: the window
  it.each([
    {
      day: '2026-12-08',
      given: 'untouched, given to lena at 11:00: jonas is asked no step (was 6 of the cadence)',
      calledAfter: undefined,
      takenAfter: 1,
      jonas: { handovers: 1, attempts: 0, cadenceAttempts: 0 },
    },
    {
      day: '2026-12-09',
      given:
        'called at 11:00, given to lena at 13:00: jonas is asked steps 1 and 2, step 2 due 12:00 (was 6)',
      calledAfter: 1,
      takenAfter: 3,
      jonas: { handovers: 1, attempts: 1, cadenceAttempts: 2 },
    },
  ])('$given', async ({ day, calledAfter, takenAfter, jonas }) => {
    // Arrange
    const handedOver = new Date(`${day}T09:00:00.000Z`);
    api.clock.set(handedOver);
    const id = await api.createLead({ email: api.uniqueEmail('taken-early'), ...SQL_LEAD });
    await handTo(api, api.runtime.deps.store, id, 'jonas');
    if (calledAfter !== undefined) {
      api.clock.set(new Date(handedOver.getTime() + calledAfter * HOUR));
      const called = await api.request('POST', `/leads/${id}/attempts`, { json: { outcome: 'no-answer' } });
      expect(called.status, called.text).toBe(201);
    }
    api.clock.set(new Date(handedOver.getTime() + takenAfter * HOUR));
    const taken = await api.request('POST', `/leads/${id}/owner`, {
      json: { owner: 'lena', reason: 'jonas is on a customer visit' },
    });
    expect(taken.status, taken.text).toBe(200);
    api.clock.set(new Date(handedOver.getTime() + (takenAfter + 1) * HOUR));
    const window = `from=${day}&to=${nextDay(day)}`;

    // Act
    const ofJonas = await api.request('GET', `/reports/sla?${window}&rep=jonas`);
    const ofLena = await api.request('GET', `/reports/sla?${window}&rep=lena`);

    // Assert: jonas answers only for the steps due while he had the lead; lena's cadence starts at her handover
    expect(ofJonas.status, ofJonas.text).toBe(200);
    expect((ofJonas.body as SlaReport).sales.total).toMatchObject(jonas);
    expect((ofLena.body as SlaReport).sales.total).toMatchObject({
      handovers: 1,
      reassignments: 1,
      cadenceAttempts: 6,
    });
  });
});

describe('a call jonas made before a manager gave his lead to lena, logged on time or after', () => {
  const api = useLocalApi();

  // handed to jonas at 10:00 Berlin (first touch and step 1 due 14:00); a manager gives the lead to lena at 11:30,
  // before anything of the cadence fell due: the handover's end asks no step of jonas by the schedule alone
  it.each([
    {
      day: '2026-12-14',
      given: 'called at 11:00, his CRM logging the call at 12:30: 1 / 1 (was 1 / 0)',
      call: { madeAfter: 1, loggedAfter: 2.5 },
      jonas: { attempts: 1, cadenceAttempts: 1 },
      cli: 'attempts 1 of 1 in the cadence',
    },
    {
      day: '2026-12-15',
      given: 'called at 11:00, logged then: 1 / 1',
      call: { madeAfter: 1, loggedAfter: 1 },
      jonas: { attempts: 1, cadenceAttempts: 1 },
      cli: 'attempts 1 of 1 in the cadence',
    },
    {
      day: '2026-12-16',
      given: 'no call: 0 / 0',
      call: undefined,
      jonas: { attempts: 0, cadenceAttempts: 0 },
      cli: 'attempts 0 of 0 in the cadence',
    },
  ])('$given', async ({ day, call, jonas, cli }) => {
    // Arrange
    const handedOver = new Date(`${day}T09:00:00.000Z`);
    const hoursIn = (hours: number) => new Date(handedOver.getTime() + hours * HOUR);
    api.clock.set(handedOver);
    const id = await api.createLead({ email: api.uniqueEmail('late-logged'), ...SQL_LEAD });
    await handTo(api, api.runtime.deps.store, id, 'jonas');
    const logCall = async ({ madeAfter, loggedAfter }: { madeAfter: number; loggedAfter: number }) => {
      api.clock.set(hoursIn(loggedAfter));
      const logged = await api.request('POST', `/leads/${id}/attempts`, {
        json: { outcome: 'no-answer', at: hoursIn(madeAfter).toISOString() },
      });
      expect(logged.status, logged.text).toBe(201);
    };
    if (call && call.loggedAfter < 1.5) await logCall(call);
    api.clock.set(hoursIn(1.5));
    const taken = await api.request('POST', `/leads/${id}/owner`, {
      json: { owner: 'lena', reason: 'jonas is on a customer visit' },
    });
    expect(taken.status, taken.text).toBe(200);
    if (call && call.loggedAfter >= 1.5) await logCall(call);
    api.clock.set(hoursIn(8));
    const window = ['--from', day, '--to', nextDay(day), '--rep', 'jonas'];

    // Act
    const report = await api.request('GET', `/reports/sla?from=${day}&to=${nextDay(day)}&rep=jonas`);
    const text = await run('report', '--url', api.url, '--token', ADMIN_TOKEN, ...window);

    // Assert: what the cadence asked of jonas is never less than the calls he made while he had the lead
    expect(report.status, report.text).toBe(200);
    expect((report.body as SlaReport).sales.total).toMatchObject({ handovers: 1, ...jonas });
    expect(text.code, text.err).toBe(0);
    expect(text.out).toContain(cli);
  });
});

describe('a lead moved on after its first-touch deadline, the report read for an hour before it', () => {
  const api = useLocalApi();

  it('asks the rep only the cadence steps due while they had it, though the move came after the deadline (was all 6: the report read no further than the deadline)', async () => {
    // Arrange: handed to jonas at 10:00 Berlin, first touch due 14:00, untouched; a manager gives the lead to lena
    // at 16:00 (two business hours late, as the ladder's manager is told), before the ladder's last step (18:00)
    const handedOver = new Date('2026-12-10T09:00:00.000Z');
    api.clock.set(handedOver);
    const id = await api.createLead({ email: api.uniqueEmail('moved-after-deadline'), ...SQL_LEAD });
    await handTo(api, api.runtime.deps.store, id, 'jonas');
    api.clock.set(new Date(handedOver.getTime() + 6 * HOUR));
    const taken = await api.request('POST', `/leads/${id}/owner`, {
      json: { owner: 'lena', reason: 'no first touch by the deadline' },
    });
    expect(taken.status, taken.text).toBe(200);
    api.clock.set(new Date(handedOver.getTime() + 7 * HOUR));

    // Act: the hour of the handover
    const report = await api.request(
      'GET',
      '/reports/sla?from=2026-12-10T09:00:00.000Z&to=2026-12-10T10:00:00.000Z&rep=jonas',
    );

    // Assert: the handover ended at 16:00; of the cadence, only the steps due by then were asked of jonas
    expect(report.status, report.text).toBe(200);
    const total = (report.body as SlaReport).sales.total;
    expect(total).toMatchObject({ handovers: 1, attempts: 0 });
    // step 1 due at the deadline (14:00), step 2 one business hour after it (15:00): both before 16:00
    expect(total.cadenceAttempts).toBe(2);
  });
});

describe('a call logged after the lead changed hands', () => {
  const api = useLocalApi();

  it("is the rep's who had the lead when the call was made, on the lead as in the report (was the new owner's on the lead)", async () => {
    // Arrange: handed to lena Wednesday 10:00 Berlin; she called at 11:00; the ladder gave the lead to mats at
    // 14:00; her CRM logged her call at 16:00, with its time and no rep
    const wednesday = new Date('2026-12-02T09:00:00.000Z');
    api.clock.set(wednesday);
    const id = await api.createLead({ email: api.uniqueEmail('changed-hands'), ...SQL_LEAD });
    await handTo(api, api.runtime.deps.store, id, 'lena');
    const reassigned = new Date(wednesday.getTime() + 4 * HOUR).toISOString();
    await updateLead(api.runtime.deps.store, id, (current) =>
      withTimeline(
        { ...current, ownerId: 'mats', ownerSince: reassigned },
        { at: reassigned, kind: 'owner', from: 'lena', to: 'mats', by: 'workflow', reasons: [] },
      ),
    );
    api.clock.set(new Date(wednesday.getTime() + 6 * HOUR));

    // Act
    const logged = await api.request('POST', `/leads/${id}/attempts`, {
      json: { outcome: 'no-answer', at: new Date(wednesday.getTime() + HOUR).toISOString() },
    });
    const read = await api.request('GET', `/leads/${id}`);
    const report = await api.request('GET', '/reports/sla?from=2026-12-02&to=2026-12-03&rep=lena');

    // Assert
    expect(logged.status, logged.text).toBe(201);
    expect((read.body as { attempts: { repId?: string }[] }).attempts.map((a) => a.repId)).toEqual(['lena']);
    expect((report.body as SlaReport).sales.total).toMatchObject({ attempts: 1, firstTouch: { met: 1 } });
  });
});

/** sla/default.yaml as another company runs it: its own version, its days in Riyadh */
function riyadhSlaYaml(): string {
  return readFileSync(new URL('../../sla/default.yaml', import.meta.url), 'utf8')
    .replace(/^version: .*$/m, 'version: "2026.12-riyadh-1"')
    .replace('timeZone: Europe/Berlin', 'timeZone: Asia/Riyadh');
}

describe('leadpact report --url --html against a server running another SLA than sla/default.yaml', () => {
  const riyadhYaml = riyadhSlaYaml();
  const parsed = parseSla(riyadhYaml);
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
  const api = useLocalApi({ sla: parsed.sla });
  const dirs: string[] = [];
  afterAll(async () => {
    for (const dir of dirs) await rm(dir, { recursive: true, force: true });
  });

  /** an SQL handed to jonas on Sunday 6 December, 12:00 in Riyadh; a directory with the server's SLA file */
  async function arrange() {
    api.clock.set(new Date('2026-12-06T09:00:00.000Z'));
    const id = await api.createLead({ email: api.uniqueEmail('riyadh'), ...SQL_LEAD });
    await handTo(api, api.runtime.deps.store, id, 'jonas');
    const dir = await mkdtemp(join(tmpdir(), 'leadpact-report-sla-'));
    dirs.push(dir);
    await writeFile(join(dir, 'riyadh.yaml'), riyadhYaml);
    return dir;
  }

  it.each<{ given: string; slaFile?: string; warning: string[]; queue: string; stage: string }>([
    {
      given: 'without --sla (sla/default.yaml, another version): says so, names as the report does',
      warning: [
        `sla/default.yaml is SLA version ${loadDefaultSla().version}, the server reports version 2026.12-riyadh-1`,
        'reads its dates in Asia/Riyadh, the zone the report states',
        '--sla sla/<file>.yaml (version 2026.12-riyadh-1)',
      ],
      queue: 'Equipment sales',
      stage: 'Sales qualified lead',
    },
    {
      given: "with --sla naming the server's SLA: its Arabic names, no warning",
      slaFile: 'riyadh.yaml',
      warning: [],
      queue: 'مبيعات المعدات',
      stage: 'عميل مؤهل للمبيعات',
    },
  ])(
    '$given; the window from 6 December, as asked, in Riyadh',
    async ({ slaFile, warning, queue, stage }) => {
      // Arrange
      const dir = await arrange();
      const html = join(dir, 'report.html');
      const slaArgs = slaFile ? ['--sla', join(dir, slaFile)] : [];

      // Act
      const result = await run(
        'report',
        '--url',
        api.url,
        '--token',
        ADMIN_TOKEN,
        '--html',
        html,
        '--locale',
        'ar',
        '--from',
        '2026-12-06',
        '--to',
        '2026-12-07',
        ...slaArgs,
      );

      // Assert
      expect(result.code, result.err).toBe(0);
      if (warning.length) for (const words of warning) expect(result.err).toContain(words);
      else expect(result.err).toBe('');
      const page = await readFile(html, 'utf8');
      expect(page).toContain('من <bdi>6 ديسمبر 2026 في 00:00 غرينتش+3</bdi>');
      expect(page).not.toContain('UTC');
      expect(page).toContain(`<th scope="row">${queue}</th>`);
      expect(page).toContain(`<th scope="row">${stage}</th>`);
    },
  );
});

describe('leadpact report --data', () => {
  const dirs: string[] = [];
  afterAll(async () => {
    for (const dir of dirs) await rm(dir, { recursive: true, force: true });
  });

  it('reads the facts of a stopped leadpact dev store and writes the HTML report', async () => {
    // Arrange: a store with one SQL handed to carla, then stopped
    const dir = await mkdtemp(join(tmpdir(), 'leadpact-report-'));
    dirs.push(dir);
    const sla = loadDefaultSla();
    const clock = {
      current: T0,
      now() {
        return new Date(this.current.getTime());
      },
    };
    const runtime = await startLocalRuntime({
      sla,
      dataDir: dir,
      port: 0,
      adminToken: ADMIN_TOKEN,
      clock,
      workflows: 'record',
    });
    try {
      const posted = await fetch(`${runtime.url}/leads`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: 'report.data@plant.example', ...SQL_LEAD }),
      });
      expect(posted.status).toBe(202);
      const { leadId } = (await posted.json()) as { leadId: string };
      await handTo({ sla, clock: { now: () => clock.now() } as never }, runtime.deps.store, leadId, 'carla');
    } finally {
      await runtime.close();
    }
    const html = join(dir, 'report.html');

    // Act
    const json = await run('report', '--data', dir, '--from', '2026-11-27', '--to', '2026-11-28', '--json');
    const page = await run(
      'report',
      '--data',
      dir,
      '--from',
      '2026-11-27',
      '--to',
      '2026-11-28',
      '--html',
      html,
    );

    // Assert
    expect(json.code, json.err).toBe(0);
    const report = JSON.parse(json.out) as SlaReport;
    expect(report.sales.byRep.map((row) => [row.id, row.handovers])).toEqual([['carla', 1]]);
    expect(page.code, page.err).toBe(0);
    expect(await readFile(html, 'utf8')).toContain('Carla Ruiz');
    // the same page for an Arabic-speaking manager: Arabic words, right to left
    const arabic = await run(
      'report',
      '--data',
      dir,
      '--from',
      '2026-11-27',
      '--to',
      '2026-11-28',
      '--html',
      html,
      '--locale',
      'ar',
    );
    expect(arabic.code, arabic.err).toBe(0);
    const arabicPage = await readFile(html, 'utf8');
    expect(arabicPage).toContain('<html lang="ar" dir="rtl">');
    expect(arabicPage).toContain('المبيعات مقابل التزاماتها');
    const unsupported = await run('report', '--data', dir, '--html', html, '--locale', 'fr');
    expect(unsupported.code).toBe(2);
    expect(unsupported.err).toContain("--locale: fr is not one of the SLA's languages (en, ar)");
  });

  it.each([
    [['report'], 'needs --url'],
    [['report', '--url', 'http://127.0.0.1:9', '--data', '/tmp'], 'needs --url'],
    [['report', '--url', 'http://127.0.0.1:9'], '--token'],
    [['report', '--data', '/tmp', '--json', '--html', 'x.html'], 'not both'],
  ])('refuses %j with a one-line usage error', async (argv, message) => {
    const result = await run(...argv);
    expect(result.code).toBe(2);
    expect(result.err).toContain(message);
  });
});

describe('leadpact report --queue: the header names the queue as the SLA does', () => {
  const api = useLocalApi();

  it.each<[string, string]>([
    ['service-desk', 'Service desk'],
    ['equipment-sales', 'Equipment sales'],
  ])(
    '--queue %s: the text header says "queue %s", GET /reports/sla window.queueName too',
    async (queue, name) => {
      // Arrange
      const window = ['--from', '2026-11-30', '--to', '2026-12-01', '--queue', queue];
      // Act
      const report = await api.request('GET', `/reports/sla?from=2026-11-30&to=2026-12-01&queue=${queue}`);
      const text = await run('report', '--url', api.url, '--token', ADMIN_TOKEN, ...window);
      // Assert
      expect(report.status, report.text).toBe(200);
      expect((report.body as SlaReport).window).toMatchObject({ queue, queueName: name });
      expect(text.code, text.err).toBe(0);
      expect(text.out.split('\n')[1]).toMatch(new RegExp(`, queue ${name}; \\d+ facts$`));
      expect(text.out).not.toContain(`queue ${queue}`);
    },
  );
});
