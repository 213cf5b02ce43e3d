/**
 * `leadpact sla retention [file] --data DIR`: ops' preview of what the SLA's retention of sign-ups never confirmed
 * (ADR 0092) would erase, from a stopped `leadpact dev --data DIR` store, changing nothing.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startLocalRuntime } from '../../local/runtime.ts';
import { leadState } from '../support/lead-state.ts';
import { ADMIN_TOKEN } from '../support/local-api.ts';
import { runCli } from '../support/run-cli.ts';
import { loadDefaultSla } from '../support/sla.ts';

const run = runCli;

const GIVEN = '2026-06-01T08:00:00.000Z';
const NOW = new Date('2026-12-07T08:00:00.000Z');
const signUp = (leadId: string, overrides: Parameters<typeof leadState>[0] = {}) =>
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
      ...overrides,
    },
    GIVEN,
  );

describe('leadpact sla retention --data', () => {
  const dirs: string[] = [];
  afterAll(async () => {
    for (const dir of dirs) await rm(dir, { recursive: true, force: true });
  });

  it('lists the sign-ups never confirmed the SLA would erase, not a sales lead, and erases nothing', async () => {
    // Arrange: a stopped store (the SLA it ran sets no retention) with a sign-up whose link lapsed in July and an
    // SQL handed to a rep whose consent lapsed the same day; the SLA file ops mean to deploy erases after 90 days
    const dir = await mkdtemp(join(tmpdir(), 'leadpact-retention-'));
    dirs.push(dir);
    const runtime = await startLocalRuntime({
      sla: loadDefaultSla(),
      dataDir: dir,
      port: 0,
      adminToken: ADMIN_TOKEN,
      clock: { now: () => NOW },
      workflows: 'record',
    });
    try {
      await runtime.deps.store.createLead(signUp('RetentionSignUp0000000A'));
      await runtime.deps.store.createLead(
        signUp('RetentionSales00000000A', {
          stage: 'sql',
          status: 'new',
          ownerId: 'carla',
          handedOffAt: GIVEN,
        }),
      );
    } finally {
      await runtime.close();
    }
    const slaFile = join(dir, 'sla.yaml');
    const yaml = await readFile(new URL('../../sla/default.yaml', import.meta.url), 'utf8');
    await writeFile(slaFile, `${yaml}\nconsent:\n  eraseUnconfirmedAfterDays: 90\n`);

    // Act
    const text = await run('sla', 'retention', slaFile, '--data', dir, '--at', NOW.toISOString());
    const json = await run('sla', 'retention', slaFile, '--data', dir, '--at', NOW.toISOString(), '--json');
    const off = await run('sla', 'retention', '--data', dir, '--at', NOW.toISOString());

    // Assert
    expect(text.code, text.err).toBe(0);
    expect(text.out.split('\n')).toEqual([
      `Sign-ups never confirmed that the retention would erase at ${NOW.toISOString()} (90 days after the confirmation link lapsed): 1`,
      '  RetentionSignUp0000000A  lead       erasable since 2026-09-29T08:00:00.000Z',
    ]);
    expect(JSON.parse(json.out)).toEqual({
      at: NOW.toISOString(),
      leads: [
        { leadId: 'RetentionSignUp0000000A', stage: 'lead', erasableSince: '2026-09-29T08:00:00.000Z' },
      ],
      truncated: false,
    });
    expect(off.out).toContain('sets no consent.eraseUnconfirmedAfterDays: no lead is erased by itself');
    // nothing changed: the preview again lists the same lead
    expect((await run('sla', 'retention', slaFile, '--data', dir, '--at', NOW.toISOString())).out).toBe(
      text.out,
    );
  });
});
