/**
 * One mailbox, one confirmation email a day (ADR 0075, a security trial). Posts of `bomb.target+1@` ... `+5@`
 * with the box ticked made five leads and five "Please confirm your subscription" emails, all delivered to one
 * inbox through plus-addressing: a form that floods a stranger's inbox from the company's SES account. Now the
 * mailbox the address reaches (lower-cased, +tag dropped, Gmail's dots and googlemail.com folded) is claimed
 * with one conditional put of its own item: one email per mailbox per 24 hours; the other leads are stored and
 * judged, their consent record says they were not asked, and a sign-up after the window is asked normally.
 *
 * On the local runtime: HTTP through a real socket, dynalite, the real workflow, the SES emulator's mail store.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { confirmationSubject, DAY, type E2e, type Mail, startE2e } from '../support/e2e.ts';

describe('a double opt-in confirmation email per mailbox, not per address', () => {
  let e2e: E2e;

  beforeAll(async () => {
    e2e = await startE2e();
  });
  afterAll(() => e2e?.close());

  const confirmationsTo = async (mailbox: RegExp) =>
    (await e2e.mails()).filter(
      (mail: Mail) => mail.subject === confirmationSubject(e2e.sla) && mail.to.some((to) => mailbox.test(to)),
    );
  const subscribe = (email: string) =>
    e2e.postLead({ email, firstName: 'Bo', marketingConsent: true, formId: 'newsletter' });

  it.each([
    [
      'plus tags',
      [1, 2, 3, 4, 5].map((n) => `bomb.target+${n}@example.org`),
      /^bomb\.target\+\d@example\.org$/,
    ],
    [
      "Gmail's dots, case and googlemail.com",
      [
        'bombtarget@gmail.com',
        'bomb.target@gmail.com',
        'B.O.M.B.target@googlemail.com',
        'bomb.target+x@GMAIL.com',
        'bombtar.get@googlemail.com',
      ],
      /@(gmail|googlemail)\.com$/i,
    ],
  ] satisfies [string, string[], RegExp][])(
    '%s: concurrent posts send one email; the others are stored, not asked',
    async (_case, emails, mailbox) => {
      // Act: posted at once
      const posted = await Promise.all(emails.map(subscribe));
      await e2e.settle();

      // Assert: every post accepted and stored; one confirmation email; the others' records say why not
      expect(posted.map((response) => response.status)).toEqual([202, 202, 202, 202, 202]);
      expect(await confirmationsTo(mailbox)).toHaveLength(1);
      const records = await Promise.all(
        emails.map(async (email) => (await e2e.readLead(e2e.leadIdOf(email))).consent),
      );
      expect(records.map((record) => record?.status).sort()).toEqual([
        'awaiting confirmation',
        'not asked',
        'not asked',
        'not asked',
        'not asked',
      ]);
    },
  );

  it('a later wake of a lead not asked sends nothing; a sign-up after the window is asked', async () => {
    // Arrange: one mailbox asked, a second spelling not
    await subscribe('late.comer+a@example.org');
    await e2e.settle();
    await subscribe('late.comer+b@example.org');
    await e2e.settle();
    const late = /^late\.comer\+\w@example\.org$/;
    expect(await confirmationsTo(late)).toHaveLength(1);

    // Act 1: the not-asked lead woken again within the window (an engagement event), and posted again
    const woken = await e2e.postEvents(e2e.leadIdOf('late.comer+b@example.org'), [
      { eventId: 'late-view-1', type: 'page_view', occurredAt: e2e.now().toISOString() },
    ]);
    expect(woken.status).toBeLessThan(300);
    await e2e.settle();
    await subscribe('late.comer+b@example.org');
    await e2e.settle();

    // Assert 1: still one
    expect(await confirmationsTo(late)).toHaveLength(1);

    // Act 2: a day later, the same spelling signs up again
    await e2e.advanceBy(DAY + 60_000);
    await subscribe('late.comer+b@example.org');
    await e2e.settle();

    // Assert 2: asked normally
    expect(await confirmationsTo(late)).toHaveLength(2);
    expect((await e2e.readLead(e2e.leadIdOf('late.comer+b@example.org'))).consent?.status).toBe(
      'awaiting confirmation',
    );
  });
});
