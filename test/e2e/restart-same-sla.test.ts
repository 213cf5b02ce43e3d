/**
 * A restart of `leadpact dev --data DIR` on the SLA the store was last migrated to skips the SLA migration (ADR
 * 0070: a 23,000-lead trial's restarts took 160-296 s, the API down meanwhile, the migration reading every lead
 * in flight again), and the reconciler's start-up still resumes every parked lead: its timer fires on time.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { exampleLead, MONDAY_0900_BERLIN, startE2e } from '../support/e2e.ts';

const SKIPPED = 'SLA migration skipped';

/** the messages of the structured log lines written to console.log from now on */
function logMessages(): () => string[] {
  const spy = vi.spyOn(console, 'log');
  return () =>
    spy.mock.calls.map(([line]) => {
      try {
        return String((JSON.parse(String(line)) as { msg?: unknown }).msg ?? '');
      } catch {
        return '';
      }
    });
}

describe('a restart on the same SLA', () => {
  const dirs: string[] = [];
  afterEach(() => {
    vi.restoreAllMocks();
  });
  afterAll(async () => {
    await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })));
  });

  it('skips the SLA migration, and a parked lead’s timer still fires: the first-touch reminder at its deadline', async () => {
    // Arrange: a hot lead handed off to Jonas at Mon 09:00 Berlin, parked until its first-touch deadline (13:00)
    const dataDir = await mkdtemp(join(tmpdir(), 'leadpact-same-sla-'));
    dirs.push(dataDir);
    const firstLog = logMessages();
    const first = await startE2e({ dataDir, time: { manual: MONDAY_0900_BERLIN } });
    const posted = await first.postLead(exampleLead('hot'));
    expect(posted.status).toBe(202);
    const { leadId } = posted.body as { leadId: string };
    await first.settle();
    await first.close();
    expect(firstLog().filter((msg) => msg.startsWith(SKIPPED))).toEqual([]);
    vi.restoreAllMocks();

    // Act: start again on the same data and SLA, and run to the first-touch deadline
    const secondLog = logMessages();
    const second = await startE2e({ dataDir, time: { manual: MONDAY_0900_BERLIN } });
    try {
      await second.settle();
      await second.advanceTo(new Date(MONDAY_0900_BERLIN.getTime() + 4 * 3_600_000));

      // Assert: the migration skipped, in one log line; the lead resumed at start-up and reminded once, on time
      expect(secondLog().filter((msg) => msg.startsWith(SKIPPED))).toHaveLength(1);
      const health = await second.request('GET', '/health', { token: null });
      expect(health.body).toMatchObject({ reconciler: { resumedAtStartUp: 1 } });
      expect(second.execution(leadId).status).toBe('PARKED');
      const mails = (await second.mails()).map((mail) => mail.subject);
      expect(mails).toEqual([expect.stringMatching(/^Due now: Petra Schneider .* - first touch$/)]);
    } finally {
      await second.close();
    }
  });
});
