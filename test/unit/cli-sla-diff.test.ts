import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { processIo } from '../../bin/commands/io.ts';
import { impactOn, render } from '../../bin/commands/sla-diff.ts';
import { MemoryLeadStore } from '../../lambdas/adapters/memory-lead-store.ts';
import { diffSla } from '../../lambdas/domain/sla-diff.ts';
import { parseSla } from '../../lambdas/domain/sla-file.ts';
import type { Sla } from '../../lambdas/domain/sla-schema.ts';
import { handedOff, leadState } from '../support/lead-state.ts';
import { runCli } from '../support/run-cli.ts';
import { loadDefaultSla } from '../support/sla.ts';
import { CHANGED_VERSION, changedSlaText, JONAS_TO_LENA } from '../support/sla-change.ts';

const dir = mkdtempSync(join(tmpdir(), 'leadpact-sla-diff-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const file = (name: string, text: string) => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};
const WITH = file('with.yaml', changedSlaText(JONAS_TO_LENA));
const WITHOUT = file('without.yaml', changedSlaText());

const run = runCli;

const parsed = (path: string): Sla => {
  const result = parseSla(processIo.readFile(path));
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  return result.sla;
};

describe('leadpact sla diff (static)', () => {
  it('lists the change term by term and the fate of each removed id (--json)', async () => {
    const { code, out } = await run('sla', 'diff', 'sla/default.yaml', WITH, '--json');

    expect(code).toBe(0);
    const diff = JSON.parse(out);
    expect(diff).toMatchObject({ from: '2026.11-kessler-1', to: CHANGED_VERSION });
    expect(diff.lists).toEqual(
      expect.arrayContaining([
        {
          term: 'reps',
          section: 'routing.reps',
          added: [],
          removed: [{ id: 'jonas', to: 'lena' }],
          changed: [],
        },
        {
          term: 'dealStages',
          section: 'deals.stages',
          added: ['qualification'],
          removed: [{ id: 'discovery', to: 'qualification' }],
          changed: [],
        },
        {
          term: 'queues',
          section: 'routing.queues',
          added: [],
          removed: [],
          changed: [{ id: 'equipment-sales', fields: ['reps'] }],
        },
      ]),
    );
    expect(diff.settings).toContainEqual({
      term: 'routing',
      path: 'routing.accounts.hofmann-chemie.de',
      from: 'jonas',
      to: 'lena',
    });
    expect(diff.removals).toEqual([
      { kind: 'dealStages', id: 'discovery', to: 'qualification', effect: 'renamed' },
      { kind: 'reps', id: 'jonas', to: 'lena', effect: 'merged' },
    ]);
    expect(diff.impact).toEqual({ source: 'static', leads: [], stranded: 0 });
  });

  it.each([
    ['the day before his absence', '2026-12-20T09:00:00Z', true],
    ['a week before it', '2026-12-14T09:00:00Z', true],
    ['two weeks before it', '2026-12-06T09:00:00Z', false],
    ['after it', '2027-01-04T09:00:00Z', false],
  ])('says a successor is out of office when the change applies (%s)', async (_case, at, said) => {
    // Arrange: Jonas leaves and his leads go to Mats, away 2026-12-21 to 2027-01-03 (an ops trial: the
    // successor got the leads and their "New SQL" emails, and the rotation took them only at each deadline)
    const toMats = file('to-mats.yaml', changedSlaText({ ...JONAS_TO_LENA, reps: { jonas: 'mats' } }));

    // Act
    const { code, out } = await run('sla', 'diff', 'sla/default.yaml', toMats, '--at', at);

    // Assert
    expect(code).toBe(0);
    const line = out.split('\n').find((text) => text.includes('rep jonas')) ?? '';
    expect(line).toContain('move to mats (merged)');
    if (said)
      expect(line).toContain(
        "Mats Lindqvist is out of office 2026-12-21 to 2027-01-03: the leads moved to them wait for their first-touch deadline, then go to the queue's rotation",
      );
    else expect(line).not.toContain('out of office');
  });

  it('marks removed ids without a successor as stranding, and exits 0 (no lead is known)', async () => {
    const { code, out } = await run('sla', 'diff', 'sla/default.yaml', WITHOUT);

    expect(code).toBe(0);
    expect(out).toContain('  reps        routing.reps: removed jonas');
    expect(out).toContain(
      'leads owned by rep jonas: would strand every lead in flight that refers to it: add migrations.reps.jonas',
    );
    expect(out).toContain(
      'deals in stage discovery: would strand every lead in flight that refers to it: add migrations.dealStages.discovery',
    );
  });

  it('shows thresholds and durations as written', async () => {
    const raised = file(
      'raised.yaml',
      changedSlaText(JONAS_TO_LENA)
        .replace(/thresholds:\n(\s+)mql: 60/, 'thresholds:\n$1mql: 70')
        .replace('firstTouchWithin: 4bh', 'firstTouchWithin: 3bh'),
    );
    const { code, out } = await run('sla', 'diff', 'sla/default.yaml', raised);

    expect(code).toBe(0);
    expect(out).toContain('thresholds  scoring.thresholds.mql: 60 -> 70');
    expect(out).toContain('handoff     handoff.firstTouchWithin: "4bh" -> "3bh"');
  });

  it('suggests the status with the same setWhen for a removed status', async () => {
    const renamed = file('status.yaml', changedSlaText(JONAS_TO_LENA).replace('id: new\n', 'id: fresh\n'));
    const { out } = await run('sla', 'diff', 'sla/default.yaml', renamed, '--json');

    expect(JSON.parse(out).removals).toContainEqual({
      kind: 'statuses',
      id: 'new',
      effect: 'stranding',
      suggestion: 'fresh',
    });
  });

  it.each([
    [
      ['sla', 'diff', 'sla/default.yaml'],
      'leadpact: sla diff needs two SLA files: leadpact sla diff <old.yaml> <new.yaml> [--data DIR]',
    ],
    [
      ['sla', 'diff', 'sla/default.yaml', WITH, '--url', 'http://x'],
      'leadpact: sla diff --url needs --token T (the API token) or --aws (authMode iam: AWS credentials)',
    ],
    [
      ['sla', 'diff', 'sla/default.yaml', WITH, '--url', 'http://127.0.0.1:9', '--token', 't'],
      /^leadpact: cannot reach http:\/\/127\.0\.0\.1:9: /,
    ],
    [
      ['sla', 'diff', 'sla/default.yaml', WITH, '--data', dir, '--url', 'http://x'],
      'leadpact: sla diff takes --data DIR or --url API, not both',
    ],
    [
      ['sla', 'diff', 'sla/default.yaml', WITH, '--data', join(dir, 'nothing')],
      /^leadpact: no LeadPact data in ".*nothing"/,
    ],
    [
      ['sla', 'diff', 'sla/default.yaml', 'test/fixtures/sla/wrong-types.yaml'],
      /wrong-types\.yaml: 7 errors$/,
    ],
  ])('%j: exit 2 with a message', async (argv, message) => {
    const { code, err } = await run(...argv);

    expect(code).toBe(2);
    if (typeof message === 'string') expect(err).toBe(message);
    else expect(err).toMatch(message);
  });
});

describe('the in-flight impact on a store', () => {
  const NOW = new Date('2026-12-01T09:00:00.000Z');
  const before = loadDefaultSla();

  async function storeWith(...leads: Parameters<typeof leadState>[0][]) {
    const store = new MemoryLeadStore();
    for (const lead of leads) await store.createLead(leadState(lead));
    return store;
  }

  it('names the stranded lead, with its address and what it refers to', async () => {
    const jonas = handedOff('2026-11-30T08:00:00.000Z', 'jonas', {
      leadId: 'LeadJonas0000000000000',
      dueAt: '2026-11-30T12:00:00.000Z',
    });
    const ended = handedOff('2026-11-30T08:00:00.000Z', 'jonas', { leadId: 'LeadEnded0000000000000' });
    const store = await storeWith(jonas, ended);

    const impact = await impactOn(store, before, parsed(WITHOUT), NOW);

    expect(impact).toMatchObject({ source: 'data', checked: 1, stranded: 1, at: NOW.toISOString() });
    expect(impact.leads).toEqual([
      expect.objectContaining({
        leadId: 'LeadJonas0000000000000',
        email: 'petra@plant.example',
        ownerId: 'jonas',
        stranded: true,
        references: [expect.objectContaining({ kind: 'reps', id: 'jonas', strands: true })],
      }),
    ]);
  });

  it('out of time, the leads of a removed rep are read first and the check says it is incomplete (a 23,000-lead trial)', async () => {
    // Arrange: 30 leads of other reps, their ids before Jonas's; Jonas leaves with no successor
    const others = Array.from({ length: 30 }, (_, i) =>
      handedOff('2026-11-30T08:00:00.000Z', 'lena', {
        leadId: `LeadLena${String(i).padStart(14, '0')}`,
        dueAt: '2026-11-30T12:00:00.000Z',
      }),
    );
    const jonas = handedOff('2026-11-30T08:00:00.000Z', 'jonas', {
      leadId: 'LeadZJonas000000000000',
      dueAt: '2026-11-30T12:00:00.000Z',
    });
    const store = await storeWith(...others, jonas);
    let looks = 0;

    // Act: time for one lead only
    const impact = await impactOn(store, before, parsed(WITHOUT), NOW, { outOfTime: () => ++looks > 1 });
    const text = render(diffSla(before, parsed(WITHOUT), NOW), impact, 'the stack at https://api.example');

    // Assert: Jonas's lead was the one read (before: the first by id, Lena's), and nothing says "safe"
    expect(impact).toMatchObject({ read: 1, unread: 30, stranded: 1 });
    expect(impact.leads.map((lead) => lead.leadId)).toEqual(['LeadZJonas000000000000']);
    expect(text).toContain('1 read, 30 not read (the time ran out)');
    expect(text).toMatch(/^1 lead would be stranded/m);
  });

  it.each([
    ['the stack at https://api.example', "The deploy's migration reads every lead and fails the deploy"],
    ['the data in ./data', 'leadpact dev reads every lead at start and refuses to start'],
  ])('%s, read in part with none stranded: "incomplete", never "no lead would be stranded"', (where, net) => {
    const impact = {
      source: 'data' as const,
      checked: 3,
      read: 3,
      unread: 40,
      unchecked: 40,
      leads: [],
      stranded: 0,
    };

    const text = render(diffSla(before, parsed(WITH), NOW), { ...impact, at: NOW.toISOString() }, where);

    expect(text).toContain(
      'No lead read would be stranded, but 40 in flight were not read in the time this check has: it is incomplete.',
    );
    expect(text).toContain(net);
    expect(text).not.toContain('No lead would be stranded');
  });

  it('with the mapping nothing is stranded, and the lead is listed with its successor', async () => {
    const store = await storeWith(
      handedOff('2026-11-30T08:00:00.000Z', 'jonas', { dueAt: '2026-11-30T12:00:00.000Z' }),
    );

    const impact = await impactOn(store, before, parsed(WITH), NOW);

    expect(impact.stranded).toBe(0);
    expect(impact.leads[0]!.references).toEqual([
      expect.objectContaining({ kind: 'reps', id: 'jonas', to: 'lena', strands: false }),
    ]);
  });

  it('names a lead a shorter cadence recycles at its next wake', async () => {
    // Arrange: Jonas's lead with two attempts logged; the new SLA's standard cadence has two steps
    const shorter: Sla = {
      ...before,
      version: 'shorter-cadence',
      contact: {
        ...before.contact,
        cadences: before.contact.cadences.map((cadence) =>
          cadence.id === 'standard' ? { ...cadence, steps: cadence.steps.slice(0, 2) } : cadence,
        ),
      },
    };
    const store = await storeWith(
      handedOff('2026-11-30T08:00:00.000Z', 'jonas', {
        leadId: 'LeadTwoCalls000000000A',
        dueAt: '2026-12-01T12:00:00.000Z',
      }),
    );
    for (const [i, at] of ['2026-11-30T08:30:00.000Z', '2026-11-30T09:30:00.000Z'].entries())
      await store.appendAttempt('LeadTwoCalls000000000A', {
        attemptId: `call-${i}`,
        at,
        outcomeId: 'no-answer',
        repId: 'jonas',
      });

    // Act
    const impact = await impactOn(store, before, shorter, NOW);
    const unchanged = await impactOn(store, before, before, NOW);

    // Assert
    expect(impact.leads).toEqual([
      expect.objectContaining({
        leadId: 'LeadTwoCalls000000000A',
        cadenceEnds: { logged: 2, of: 2, breach: false },
      }),
    ]);
    expect(unchanged.leads).toEqual([]);
    expect(render(diffSla(before, shorter), impact, 'the store')).toContain(
      'recycled at its next wake: the new cadence has 2 steps and 2 are logged',
    );
  });

  it('names a lead a lowered threshold moves now', async () => {
    const lowered = parseSla(changedSlaText(JONAS_TO_LENA).replace(/mql: 60/, 'mql: 5'));
    if (!lowered.ok) throw new Error(JSON.stringify(lowered.errors));
    const store = new MemoryLeadStore();
    await store.createLead(
      leadState({
        email: 'sam@kessler-client.example',
        fields: { email: 'sam@kessler-client.example', industry: 'chemicals' },
        stage: 'lead',
        dueAt: NOW.toISOString(),
      }),
    );

    const impact = await impactOn(store, before, lowered.sla, NOW);

    expect(impact.leads).toEqual([
      expect.objectContaining({ stageMove: { from: 'lead', to: 'mql' }, stranded: false, references: [] }),
    ]);
  });
});
