/**
 * A nurture email at the moment of sending (tasks/outbox-delivery.ts deliver): it is bulk mail (it leaves the
 * daily quota's reserve to the SLA's emails, ADR 0067), and a person who unsubscribed or withdrew consent since
 * the email was planned gets none (a send retried for SES's rate, ADR 0051, may come minutes after the plan):
 * the delivery answers OutboxTargetMissing, which the wake records as `emailDropped`, not as sent.
 */
import { describe, expect, it } from 'vitest';
import type { LeadState } from '../../lambdas/domain/lead-state.ts';
import { type EmailMessage, MailNotWanted } from '../../lambdas/ports/mailer.ts';
import { EmailNotifier } from '../../lambdas/tasks/email-notifier.ts';
import { deliver, OutboxTargetMissing } from '../../lambdas/tasks/outbox-delivery.ts';
import { leadState } from '../support/lead-state.ts';
import { loadDefaultSla } from '../support/sla.ts';

const sla = loadDefaultSla();
const NOW = new Date('2026-12-07T09:00:00.000Z');
const track = sla.nurture.tracks.find((candidate) => candidate.id === 'engineer-awareness')!;

async function nurtureTo(lead: LeadState): Promise<EmailMessage[] | 'dropped'> {
  const sent: EmailMessage[] = [];
  const notifier = new EmailNotifier({
    sla,
    mailer: {
      async send(message) {
        sent.push(message);
        return { messageId: `m${sent.length}` };
      },
    },
    clock: { now: () => NOW },
    publicBaseUrl: 'https://leads.example',
    actionSecret: 'nurture-send-checks-secret',
  });
  try {
    await deliver({ sla, clock: { now: () => NOW }, notifier } as never, lead, {
      type: 'nurture',
      trackId: track.id,
      index: 0,
    });
  } catch (error) {
    if (error instanceof OutboxTargetMissing && sent.length === 0) return 'dropped';
    throw error;
  }
  return sent;
}

describe('nurture at the moment of sending', () => {
  it.each([
    ['subscribed', 1, { marketingConsent: true, unsubscribed: false }],
    ['unsubscribed since the plan', 0, { marketingConsent: false, unsubscribed: true }],
    ['whose consent was withdrawn since the plan', 0, { marketingConsent: false, unsubscribed: false }],
  ])('a lead %s gets %d email(s), else a drop', async (_, count, consent) => {
    // Arrange
    const lead = leadState({ email: 'rana@plant.example', ...consent });

    // Act
    const sent = await nurtureTo(lead);

    // Assert
    if (count === 0) expect(sent).toBe('dropped');
    else {
      expect(sent).toHaveLength(count);
      expect((sent as EmailMessage[])[0]!.bulk).toBe(true);
    }
  });
});

describe('nurture whose send waited for the rate', () => {
  it('the mailer asked stillWanted and heard no: the delivery drops it as unsubscribed', async () => {
    // Arrange: a mailer whose send is refused for the rate, then asks before its retry; the lead as stored says
    // the person unsubscribed meanwhile
    const lead = leadState({ email: 'rana@plant.example', marketingConsent: true, unsubscribed: false });
    const asked: boolean[] = [];
    const notifier = new EmailNotifier({
      sla,
      mailer: {
        async send(_message, options) {
          const wanted = (await options?.stillWanted?.()) ?? true;
          asked.push(wanted);
          if (!wanted) throw new MailNotWanted('not sent');
          return { messageId: 'm1' };
        },
      },
      clock: { now: () => NOW },
      publicBaseUrl: 'https://leads.example',
      actionSecret: 'nurture-send-checks-secret',
    });
    const store = { getLead: async () => ({ ...lead, marketingConsent: false, unsubscribed: true }) };

    // Act
    const outcome = await deliver({ sla, clock: { now: () => NOW }, notifier, store } as never, lead, {
      type: 'nurture',
      trackId: track.id,
      index: 0,
    }).then(
      () => 'sent',
      (error: Error) => (error instanceof OutboxTargetMissing ? error.message : error.name),
    );

    // Assert
    expect(asked).toEqual([false]);
    expect(outcome).toBe(
      "The person unsubscribed or withdrew consent while the send waited for the mail service's rate.",
    );
  });
});
