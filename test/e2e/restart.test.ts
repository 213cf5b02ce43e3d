/**
 * `leadpact dev --data DIR`: state survives a restart. A lead parked in its contact cadence
 * when the process stops resumes from DynamoDB (on disk) with its deadlines, as after a
 * continue-as-new: the next reminders arrive on time and nothing already sent is sent again.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { exampleLead, MONDAY_0900_BERLIN, startE2e } from '../support/e2e.ts';

describe('a restart with a data directory', () => {
  const dirs: string[] = [];
  afterAll(async () => {
    await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })));
  });

  it('resumes a parked lead from its stored deadlines: reminders continue, none repeats', async () => {
    // Arrange: a hot lead handed off to Jonas at Mon 09:00 Berlin, then the process stops
    const dataDir = await mkdtemp(join(tmpdir(), 'leadpact-data-'));
    dirs.push(dataDir);
    const first = await startE2e({ dataDir, time: { manual: MONDAY_0900_BERLIN } });
    const lead = exampleLead('hot');
    const posted = await first.postLead(lead);
    expect(posted.status).toBe(202);
    const { leadId } = posted.body as { leadId: string };
    await first.settle();
    const before = (await first.mails()).map((mail) => mail.subject);
    expect(before).toEqual([expect.stringMatching(/^New SQL: Petra Schneider/)]);
    await first.close();

    // Act: start again on the same data, at the same virtual moment, and run to the first-touch deadline
    const second = await startE2e({ dataDir, time: { manual: MONDAY_0900_BERLIN } });
    try {
      await second.settle();
      await second.advanceTo(new Date(MONDAY_0900_BERLIN.getTime() + 4 * 3_600_000));

      // Assert: the same lead id (the secret is kept); the reconciler found the lead due with no
      // live execution (the engine of the old process is gone) and started its recorded generation
      // again; the first-touch reminder at the deadline (13:00 Berlin), once
      expect(second.leadIdOf(String(lead.email))).toBe(leadId);
      const execution = second.execution(leadId);
      expect(execution.name).toBe(`${leadId}-c1-g0`);
      expect(execution.status).toBe('PARKED');
      const after = (await second.mails()).map((mail) => mail.subject);
      expect(after).toEqual([expect.stringMatching(/^Due now: Petra Schneider .* - first touch$/)]);
      // GET /health counts what the reconciler repaired: the one parked lead, at start-up
      const health = await second.request('GET', '/health', { token: null });
      expect(health.body).toMatchObject({ reconciler: { resumedAtStartUp: 1, restarted: 1, failed: 0 } });
      const view = await second.readLead(leadId);
      expect(view).toMatchObject({ lifecycleStage: 'sql', leadStatus: 'new', owner: { id: 'jonas' } });
    } finally {
      await second.close();
    }
  });
});
