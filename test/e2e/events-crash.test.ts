/**
 * Events out across crashes: `leadpact dev --data DIR --webhook URL` killed with SIGKILL while forms post
 * leads and the receiver is down (answering 500), then started again on the same data with the receiver
 * back. Every accepted lead's story reaches the receiver (lead.created and lead.judged for each, and
 * lead.assigned for each hot one), each verified by the `standardwebhooks` package; a repeat carries the
 * same webhook-id and the same event; nothing is left failed. A kill between a lead's write and its
 * publish is what the events index and the start-up sweep exist for (ADR 0022).
 *
 * The CLI runs as a child process (a real SIGKILL, nothing flushed); the receiver and the SES emulator
 * run in this process, so they outlive every run.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SesEmulator, startSesEmulator } from '../../local/ses.ts';
import { exampleLead } from '../support/e2e.ts';
import { type RunningDev, startDev } from '../support/run-process.ts';
import {
  startWebhookReceiver,
  TEST_WEBHOOK_SECRET,
  type WebhookReceiver,
} from '../support/webhook-receiver.ts';

const TOKEN = 'events-crash-admin-token-7f2a';
/** each run is killed once it accepted this many leads and the receiver saw a delivery, plus these ms */
const KILL_AT = [
  { leads: 6, thenMs: 0 },
  { leads: 6, thenMs: 300 },
];

const until = async (done: () => boolean, ms: number) => {
  const deadline = Date.now() + ms;
  while (!done() && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 25));
};

function startCli(dataDir: string, mailEndpoint: string, webhook: string): Promise<RunningDev> {
  return startDev(
    [
      '--data',
      dataDir,
      '--speed',
      '600',
      '--mail-endpoint',
      mailEndpoint,
      '--webhook',
      webhook,
      '--iam',
      'off',
    ],
    { LEADPACT_ADMIN_TOKEN: TOKEN, LEADPACT_WEBHOOK_SECRET: TEST_WEBHOOK_SECRET },
  );
}

interface Accepted {
  readonly leadId: string;
  readonly hot: boolean;
}

/** Posts leads (four at a time) until `stop()`; returns those answered 202. */
function postUntilStopped(
  url: string,
  run: number,
): { count: () => number; stop: () => Promise<Accepted[]> } {
  const accepted: Accepted[] = [];
  let stopped = false;
  let n = 0;
  const poster = async () => {
    while (!stopped) {
      const i = n++;
      const hot = i % 2 === 0;
      try {
        const response = await fetch(`${url}/leads`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({
            ...exampleLead(hot ? 'hot' : 'cold'),
            email: `e${run}.n${i}@events-${run}-${i}.example`,
          }),
        });
        if (response.status === 202) {
          const { leadId } = (await response.json()) as { leadId: string };
          accepted.push({ leadId, hot });
        }
      } catch {
        // killed mid-request: the lead may or may not be stored; it was not accepted
        return;
      }
    }
  };
  const posters = [poster(), poster(), poster(), poster()];
  return {
    count: () => accepted.length,
    stop: async () => {
      stopped = true;
      await Promise.all(posters);
      return accepted;
    },
  };
}

describe('events out: SIGKILL while the receiver is down, then a restart on the same data', () => {
  let mail: SesEmulator;
  let receiver: WebhookReceiver;
  let dataDir: string;
  beforeAll(async () => {
    mail = await startSesEmulator({ port: 0 });
    receiver = await startWebhookReceiver();
    dataDir = await mkdtemp(join(tmpdir(), 'leadpact-events-crash-'));
  });
  afterAll(async () => {
    await receiver.close();
    await mail.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  it("delivers every accepted lead's story once the receiver is back: none lost, repeats with the same id", async () => {
    // Arrange + Act: the receiver answers 500; each run is killed while four posters are busy
    receiver.failWith(500);
    const accepted: Accepted[] = [];
    for (const [run, kill] of KILL_AT.entries()) {
      const cli = await startCli(dataDir, mail.endpoint, receiver.url);
      const seen = receiver.received.length;
      const posting = postUntilStopped(cli.url, run);
      // killed while leads are posted, after deliveries began to fail (whatever the machine's load)
      await until(() => posting.count() >= kill.leads && receiver.received.length > seen, 30_000);
      await new Promise((resolve) => setTimeout(resolve, kill.thenMs));
      cli.child.kill('SIGKILL');
      await cli.exited;
      accepted.push(...(await posting.stop()));
    }
    const failedWhileDown = receiver.received.length;
    receiver.failWith(undefined);
    const last = await startCli(dataDir, mail.endpoint, receiver.url);
    const story = (leadId: string) =>
      new Set(
        receiver
          .accepted()
          .filter((d) => d.payload.data.leadId === leadId)
          .map((d) => d.payload.type),
      );
    const told = (lead: Accepted) => {
      const types = story(lead.leadId);
      return (
        types.has('lead.created') && types.has('lead.judged') && (!lead.hot || types.has('lead.assigned'))
      );
    };
    const headers = { authorization: `Bearer ${TOKEN}` };
    const log = async (status: string) =>
      (
        (await (
          await fetch(`${last.url}/webhooks/deliveries?status=${status}&limit=200`, { headers })
        ).json()) as {
          deliveries: { deliveryId: string }[];
        }
      ).deliveries;
    try {
      // every story told, or nothing left to retry: on a slow machine SLA time (600x) can run through the
      // whole retry schedule (about 16 h) while the receiver is down; such deliveries wait, failed, for a
      // replay, which is the promise (nothing lost, nothing silently dropped)
      const deadline = Date.now() + 150_000;
      while (Date.now() < deadline && !accepted.every(told)) {
        const [pending, retrying] = await Promise.all([log('pending'), log('retrying')]);
        if (pending.length === 0 && retrying.length === 0) break;
        await new Promise((resolve) => setTimeout(resolve, 500));
      }
      const failedForGood = accepted.every(told) ? [] : await log('failed');
      for (const { deliveryId } of failedForGood) {
        const replay = await fetch(`${last.url}/webhooks/deliveries/${deliveryId}/replay`, {
          method: 'POST',
          headers,
        });
        expect(replay.status).toBe(202);
      }
      await until(() => accepted.every(told), 30_000);

      // Assert: every accepted lead's story arrived, verified
      expect(accepted.length).toBeGreaterThanOrEqual(KILL_AT.length * 6);
      expect(failedWhileDown).toBeGreaterThan(0);
      expect(receiver.rejected).toEqual([]);
      const untold = accepted.filter((lead) => !told(lead));
      if (untold.length > 0) {
        // what the log holds for them: says whether an event was never published or is still waiting
        const all = (
          await Promise.all(['pending', 'retrying', 'failed', 'delivered'].map((status) => log(status)))
        ).flat() as unknown as { leadId: string }[];
        console.log(
          JSON.stringify({
            untold: untold.map((lead) => ({
              ...lead,
              received: [...story(lead.leadId)],
              log: all.filter((d) => d.leadId === lead.leadId),
            })),
          }),
        );
      }
      expect(untold.map((lead) => [...story(lead.leadId)])).toEqual([]);
      // a repeat is the same event under the same id (receivers dedupe on webhook-id)
      const byId = new Map<string, string>();
      for (const delivery of receiver.received) {
        const body = JSON.stringify(delivery.payload);
        expect(byId.get(delivery.id) ?? body, delivery.id).toBe(body);
        byId.set(delivery.id, body);
      }
      // nothing left failed: each one that ran out of retries was in the log, and its replay landed
      expect(await log('failed')).toEqual([]);
      const accepted2xx = receiver.accepted();
      console.log(
        JSON.stringify({
          leads: accepted.length,
          deliveredEvents: new Set(accepted2xx.map((d) => d.id)).size,
          repeats: accepted2xx.length - new Set(accepted2xx.map((d) => d.id)).size,
          answered500: failedWhileDown,
          replayedAfterRetriesRanOut: failedForGood.length,
        }),
      );
    } finally {
      last.child.kill('SIGTERM');
      await last.exited;
    }
  }, 300_000);
});
