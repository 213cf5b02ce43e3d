/**
 * `leadpact dev --data DIR` killed (SIGKILL) while a wake whose plan ends the lead is sending its email: a cold
 * lead's double opt-in confirmation, after which the lead waits dormant for the person's click. That wake writes
 * once, the email recorded as sent and no due time (ADR 0038): on AWS a crash of its Lambda is retried by Step
 * Functions, and past that the failed execution reaches RecordFailure through EventBridge, which makes the lead
 * due. A killed local runtime loses the execution, its retries and the engine's end event with it; the restart's
 * reconciler only looks at leads with a due time. Found by the chaos review (kills right after an email): the
 * confirmation was never sent and the lead stayed dormant for good, nurture never starting.
 *
 * Real crash, no injection: the first run sends through an SES endpoint that takes the request and never answers,
 * so the wake is held between its write and the mail service's answer when the process is killed.
 */
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SesEmulator, startSesEmulator } from '../../local/ses.ts';
import { exampleLead } from '../support/e2e.ts';
import { startDevOnData } from '../support/run-process.ts';

const TOKEN = 'crash-ending-send-token-7a2e';

const startCli = (dataDir: string, mailEndpoint: string) => startDevOnData(dataDir, mailEndpoint, TOKEN);

describe('SIGKILL while an ending wake sends its email, then a restart on the same data', () => {
  let dataDir: string;
  let mail: SesEmulator;
  let silent: Server;
  let sendsStarted = 0;
  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'leadpact-crash-ending-'));
    mail = await startSesEmulator({ port: 0 });
    // a mail service that takes every request and never answers
    silent = createServer(() => {
      sendsStarted++;
    });
    silent.listen(0, '127.0.0.1');
    await once(silent, 'listening');
  });
  afterAll(async () => {
    silent.closeAllConnections();
    silent.close();
    await mail.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  // SIGTERM: a Ctrl-C stops the runtime while the send waits; the dev command waits 2 s for it, then stops
  it.each(['SIGKILL', 'SIGTERM'] as const)(
    '%s: sends the confirmation email once after the restart',
    async (signal) => {
      // Arrange: a cold lead with the consent box ticked; its wake writes (dormant, email recorded), then sends
      const silentUrl = `http://127.0.0.1:${(silent.address() as AddressInfo).port}`;
      const first = await startCli(dataDir, silentUrl);
      const lead = {
        ...exampleLead('cold'),
        email: `ending.${signal.toLowerCase()}@lee-auto.example`,
        firstName: 'Kim',
      };
      // counted before the post: the wake may send before the post's answer arrives
      const before = sendsStarted;
      const posted = await fetch(`${first.url}/leads`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(lead),
      });
      expect(posted.status).toBe(202);
      const deadline = Date.now() + 20_000;
      while (sendsStarted === before && Date.now() < deadline)
        await new Promise((resolve) => setTimeout(resolve, 20));
      expect(sendsStarted).toBeGreaterThan(before);

      // Act: the stop while the send waits for its answer, then a restart with a working mail service
      first.child.kill(signal);
      await first.exited;
      const second = await startCli(dataDir, mail.endpoint);
      try {
        const to = (subject: string) => async () =>
          (await mail.messages()).filter(
            (email) => email.destination.to.includes(lead.email as string) && email.subject.includes(subject),
          );
        const confirmations = to('confirm your subscription');
        const until = Date.now() + 25_000;
        while ((await confirmations()).length === 0 && Date.now() < until)
          await new Promise((resolve) => setTimeout(resolve, 200));
        // a little longer: a second copy would come from the same sweep or the next
        await new Promise((resolve) => setTimeout(resolve, 1_000));

        // Assert: the confirmation went out once
        expect(await confirmations()).toHaveLength(1);
      } finally {
        second.child.kill('SIGTERM');
        await second.exited;
      }
    },
    60_000,
  );
});
