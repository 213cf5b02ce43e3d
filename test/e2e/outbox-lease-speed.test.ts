/**
 * `leadpact dev --speed N` and the outbox's lease (domain/outbox.ts OUTBOX_LEASE_MS: a claim older than 150 s
 * was left by a sender that will not come back). Found by bench/chaos.ts (SES at 5 emails a second, 7,200x): a
 * double opt-in email went out twice with no kill near. The lease was read on the SLA clock, which `--speed N`
 * runs N times faster than the tasks: at 3,600x a send still waiting for its answer after 42 ms of real time
 * (an SES send over the rate waits for it, ADR 0051; a busy machine) read as abandoned, and the next wake of
 * the lead (a form post of the same person starts the dormant lead's next generation) sent it again.
 *
 * Here SES answers 1.5 s late (a fault proxy on real sockets: the email is stored at once, its answer comes
 * late) while the person posts the form again. The email is sent once, as at 1x.
 */
import { describe, expect, it } from 'vitest';
import { confirmationSubject, type E2e, startE2e } from '../support/e2e.ts';
import { type FaultProxy, sesBehindFaults } from '../support/fault-proxy.ts';

const SEND = 'POST /v2/email/outbound-emails';
const LEAD = {
  email: 'nils.berg@gmail.com',
  firstName: 'Nils',
  jobTitle: 'Maintenance Technician',
  marketingConsent: true,
  formId: 'newsletter',
};

async function until(what: string, done: () => Promise<boolean>, ms = 10_000): Promise<void> {
  for (const end = Date.now() + ms; !(await done()); ) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe('a send slower than the lease in SLA time, under --speed', () => {
  it('sends the double opt-in email once when the person posts again while its answer is on its way', async () => {
    // Arrange: SLA time at 3,600x (the lease is 42 ms of real time); SES answers each send 1.5 s late
    let ses: FaultProxy | undefined;
    const e2e: E2e = await startE2e({
      time: { speed: 3600 },
      endpoints: {
        ses: sesBehindFaults(
          {
            kinds: ['slow'],
            phases: ['after'],
            slowMs: 1500,
            eligible: (request) => request.operation === SEND,
          },
          (proxy) => {
            ses = proxy;
          },
        ),
      },
    });
    try {
      const confirmations = async () =>
        (await e2e.mailsTo(LEAD.email)).filter((mail) => mail.subject === confirmationSubject(e2e.sla));
      expect((await e2e.postLead(LEAD)).status).toBe(202);
      // the email is in the inbox; the sender waits for SES's answer
      await until('the confirmation email in the inbox', async () => (await confirmations()).length > 0);

      // Act: the person posts the form again (the lead is dormant, awaiting confirmation: its next generation wakes)
      expect((await e2e.postLead(LEAD)).status).toBe(202);
      // both wakes done: every send answered, and a little more
      await until(
        'the sends answered',
        async () => ses!.counts().requests === ses!.counts().forwarded,
        10_000,
      );
      await new Promise((resolve) => setTimeout(resolve, 2500));

      // Assert
      expect((await confirmations()).length).toBe(1);
    } finally {
      await e2e.close();
      await ses?.close();
    }
  }, 30_000);
});
