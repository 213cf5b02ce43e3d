/**
 * A withdrawal written after what it did not stop (a verification trial of 2026-12-07, trial 2 finding 4): a person
 * ticks the box on the efficiency guide; their withdrawal (an `unsubscribe` event through the API, the public form
 * posted with `optOut`, or the unsubscribe link of a nurture email) reads the lead, and its write is held while the
 * lead moves on five minutes later (the confirmation, which sends nurture email 1; the person's own form post). The
 * write conflicts and is tried again. Each try takes its time afresh from the clock and is stamped no earlier than the
 * story it changes (domain/lead-state.ts storyInstant, ADR 0091 amended): the withdrawal is dated after the email it
 * did not stop, and the consent record reads confirmed, then withdrawn. Before, every try reused the time of the
 * request's first read: "withdrawn at 08:00, confirmed and emailed at 08:05", status withdrawn.
 * The whole local runtime: dynalite, the workflow, the SES emulator's inbox, real HTTP, a manual clock.
 */
import { expect, it } from 'vitest';
import { type E2e, listUnsubscribeUrl, startE2e } from '../support/e2e.ts';
import { pauseNextCall } from '../support/pausing.ts';

const EMAIL = 'rae@plant.example';
const SIGN_UP = {
  email: EMAIL,
  firstName: 'Rae',
  jobTitle: 'Maintenance Engineer',
  marketingConsent: true,
  formId: 'efficiency-guide',
};
const FIVE_MINUTES = 5 * 60 * 1000;

interface Row {
  /** the store call the withdrawal makes after it read the lead and before it writes: held */
  hold: 'appendEvent' | 'markEventsPending';
  /** what is done before the withdrawal is sent */
  before(e: E2e): Promise<unknown>;
  withdraw(e: E2e, leadId: string): Promise<{ status: number }>;
  /** what lands while the withdrawal's write is held */
  meanwhile(e: E2e): Promise<unknown>;
}

const confirm = (e: E2e) => e.confirmSubscription(EMAIL);

it.each<[string, Row]>([
  [
    'an unsubscribe event (POST /leads/{id}/events) racing the confirmation',
    {
      hold: 'appendEvent',
      before: async () => undefined,
      withdraw: (e, leadId) =>
        e.request('POST', `/leads/${leadId}/events`, {
          json: { eventId: 'u-1', type: 'unsubscribe', occurredAt: '2026-11-30T08:00:00.000Z' },
        }),
      meanwhile: confirm,
    },
  ],
  [
    'the form posted with optOut racing the confirmation',
    {
      hold: 'appendEvent',
      before: async () => undefined,
      withdraw: (e) => e.postLead({ email: EMAIL, optOut: true }),
      meanwhile: confirm,
    },
  ],
  [
    'the unsubscribe link of nurture email 1 racing a form post of the person',
    {
      hold: 'markEventsPending',
      before: confirm,
      withdraw: async (e) => {
        const nurture = (await e.mailsTo(EMAIL)).find((mail) => listUnsubscribeUrl(mail) !== undefined);
        return e.request('POST', listUnsubscribeUrl(nurture!)!);
      },
      meanwhile: (e) => e.postLead({ email: EMAIL, phone: '+49 171 2345678' }),
    },
  ],
])('%s: the withdrawal is stamped at its write, after what it did not stop', async (_name, row) => {
  // Arrange: the sign-up with the box ticked (its confirmation email goes at once), on Mon 30 Nov 08:00Z
  const e = await startE2e({ port: 4714, mailPort: 4715 });
  try {
    const leadId = e.leadIdOf(EMAIL);
    await e.postLead(SIGN_UP);
    await e.settle();
    await row.before(e);
    await e.settle();

    // Act: the withdrawal reads the lead and is held before its write; five minutes later the lead moves on; the
    // withdrawal goes on (its write, computed on the lead as read, conflicts and is tried again on the lead as it is)
    const held = pauseNextCall(e.runtime.deps.store, row.hold);
    const withdrawing = row.withdraw(e, leadId);
    await held.reached;
    await e.advanceBy(FIVE_MINUTES);
    await row.meanwhile(e);
    await e.settle();
    held.release();
    const withdrawal = await withdrawing;
    await e.settle();
    const lead = await e.readLead(leadId);

    // Assert
    expect(withdrawal.status).toBeLessThan(300);
    const times = lead.timeline.map((entry) => entry.at);
    const unsubscribed = lead.timeline.filter((entry) => entry.kind === 'unsubscribed').at(-1);
    const emails = lead.timeline.filter((entry) => entry.kind === 'email');
    expect(lead.consent).toMatchObject({ status: 'withdrawn', withdrawnAt: unsubscribed?.at });
    // written last, dated last: after the confirmation and after nurture email 1, which it did not stop
    expect(emails.map((entry) => entry.reasons[0]?.detail)).toContain(
      'nurture email 1 of track decision-makers',
    );
    expect(unsubscribed!.at >= lead.consent!.confirmedAt!).toBe(true);
    expect(unsubscribed!.at >= emails.at(-1)!.at).toBe(true);
    // the story in time order
    expect(times).toEqual([...times].sort());
  } finally {
    await e.close();
  }
});
