/**
 * A restart of `leadpact dev --data DIR` while the workflow is at work: the "New SQL" email of a handoff is
 * sent, and the runtime stops before the Park that follows records it. Under load (a burst of leads, every
 * DynamoDB request slower) every restart caught some leads there, and their reps got "New SQL" again after
 * the restart: once per restart. Here one lead, stopped the moment its email is in the inbox.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { LocalRuntime } from '../../local/runtime.ts';
import { type E2e, exampleLead, MINUTE, MONDAY_0900_BERLIN, startE2e } from '../support/e2e.ts';

/**
 * The Park's write (it stores the task token) this much slower: as under load, where the Park task waits behind
 * other tasks for seconds. A wrapper of the runtime's DynamoDB client: the one stand-in here.
 */
function slowPark(runtime: LocalRuntime, ms: number): void {
  runtime.dynamoDb.middlewareStack.add(
    (next) => async (args) => {
      const input = args.input as { UpdateExpression?: string };
      if (input.UpdateExpression?.includes('#waitToken = :token'))
        await new Promise((resolve) => setTimeout(resolve, ms));
      return next(args);
    },
    { step: 'initialize', name: 'slowPark' },
  );
}

describe('a restart while a handoff is in flight', () => {
  const dirs: string[] = [];
  afterAll(async () => {
    await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })));
  });

  it('sends "New SQL" once: stopped with its Park under way (the claim is recorded as sent when made, and the mark follows the send)', async () => {
    // Arrange: a hot lead; the runtime stops as soon as the "New SQL" email is in the inbox
    const dataDir = await mkdtemp(join(tmpdir(), 'leadpact-inflight-'));
    dirs.push(dataDir);
    const first = await startE2e({ dataDir, time: { manual: MONDAY_0900_BERLIN } });
    slowPark(first.runtime, 1_000);
    expect((await first.postLead(exampleLead('hot'))).status).toBe(202);
    const newSql = async (e2e: E2e) =>
      (await e2e.mails()).filter((mail) => mail.subject.startsWith('New SQL:')).length;
    for (let waited = 0; (await newSql(first)) === 0 && waited < 10_000; waited += 5)
      await new Promise((resolve) => setTimeout(resolve, 5));
    expect(await newSql(first)).toBe(1);
    await first.close();

    // Act: start again on the same data, past the claim's lease (the restarted wake would send it again then)
    const second = await startE2e({ dataDir, time: { manual: MONDAY_0900_BERLIN } });
    try {
      await second.settle();
      await second.advanceBy(10 * MINUTE);

      // Assert
      expect(await newSql(second)).toBe(0);
    } finally {
      await second.close();
    }
  });
});
