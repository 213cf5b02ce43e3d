/**
 * `leadpact dev --data DIR` stopped (Ctrl-C / SIGTERM) while a wake waits for the mail service's answer to a
 * send that went out. The stop used to cut the wake off like a kill: the email was delivered but never marked
 * sent, so the restart's repair sent it again (the person got the confirmation twice). The stop now lets a task
 * at work finish its round, for up to two seconds, before it stops the engine; a stop that waited for nothing
 * leaves its clean-stop marker, so the restart repairs nothing.
 *
 * Real process and signal; the mail service is the SES emulator behind the fault proxy, which forwards each send
 * and answers it 1.5 s late (INJECTED: the delay).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SesEmulator, startSesEmulator } from '../../local/ses.ts';
import { exampleLead } from '../support/e2e.ts';
import { type FaultProxy, startFaultProxy } from '../support/fault-proxy.ts';
import { startDevOnData } from '../support/run-process.ts';

const TOKEN = 'stop-drains-send-token-4c1d';

const startCli = (dataDir: string, mailEndpoint: string) => startDevOnData(dataDir, mailEndpoint, TOKEN);

describe('Ctrl-C while a wake waits for its send to be answered, then a restart on the same data', () => {
  let dataDir: string;
  let mail: SesEmulator;
  let slow: FaultProxy;
  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'leadpact-stop-drains-'));
    mail = await startSesEmulator({ port: 0 });
    slow = await startFaultProxy({
      target: mail.endpoint,
      service: 'ses',
      rate: 1,
      kinds: ['slow'],
      phases: ['after'],
      slowMs: 1_500,
    });
  });
  afterAll(async () => {
    await slow.close();
    await mail.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('sends the confirmation email once', async () => {
    // Arrange: a cold lead with the consent box ticked: its wake sends the confirmation through the slow service
    const first = await startCli(dataDir, slow.endpoint);
    const lead = { ...exampleLead('cold'), email: 'kim.stop@lee-auto.example', firstName: 'Kim' };
    const confirmations = async () =>
      (await mail.messages()).filter(
        (email) =>
          email.destination.to.includes(lead.email) && email.subject.includes('confirm your subscription'),
      );
    const posted = await fetch(`${first.url}/leads`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(lead),
    });
    expect(posted.status).toBe(202);
    const deadline = Date.now() + 20_000;
    while ((await confirmations()).length === 0 && Date.now() < deadline)
      await new Promise((resolve) => setTimeout(resolve, 20));
    expect(await confirmations()).toHaveLength(1);

    // Act: Ctrl-C while the answer is 1.5 s away, then a restart with the mail service answering at once
    first.child.kill('SIGINT');
    await first.exited;
    const second = await startCli(dataDir, mail.endpoint);
    try {
      // the restart's repair and a sweep or two of the reconciler (a resend would come from them)
      await new Promise((resolve) => setTimeout(resolve, 4_000));

      // Assert
      expect(await confirmations()).toHaveLength(1);
    } finally {
      second.child.kill('SIGTERM');
      await second.exited;
    }
  }, 60_000);
});
