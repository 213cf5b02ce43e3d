/**
 * A bulk email the daily quota's reserve holds (ADR 0067, MailHeld) in a wake's sends, on dynalite: the
 * wake goes on with the lead's other emails, the held one is dropped and its timeline says so, recorded or
 * not, and no later wake sends it (nothing is left failed or abandoned). The mailer holds nurture as the
 * SesMailer does past the reserve; the rep's email goes.
 */
import { describe, expect, it } from 'vitest';
import { DynamoDbLeadStore } from '../../lambdas/adapters/dynamodb-lead-store.ts';
import { abandonedEntries, confirmSent, type OutboxEntry } from '../../lambdas/domain/outbox.ts';
import { type EmailMessage, MailHeld } from '../../lambdas/ports/mailer.ts';
import { EmailNotifier } from '../../lambdas/tasks/email-notifier.ts';
import { Wake } from '../../lambdas/tasks/wake.ts';
import { useDynalite } from '../support/dynalite.ts';
import { FIXTURE_LEAD_ID, handedOff } from '../support/lead-state.ts';
import { loadDefaultSla } from '../support/sla.ts';

const sla = loadDefaultSla();
const NOW = new Date('2026-11-30T10:00:00.000Z');
const CLAIM = 'claim-of-the-wake';

const nurture = (recorded: boolean): OutboxEntry => ({
  key: 'nurture:1:engineer-awareness:0',
  what: 'nurture email 1 of Engineers, early research',
  at: NOW.toISOString(),
  email: { type: 'nurture', trackId: 'engineer-awareness', index: 0 },
  ...(recorded ? { claim: CLAIM, recorded: true } : { claim: CLAIM }),
});
const reminder = (recorded: boolean): OutboxEntry => ({
  key: 'attempt:1:2026-11-30T09:00:00.000Z:1',
  what: 'attempt 1 reminder to jonas',
  at: NOW.toISOString(),
  email: { type: 'attemptDue', repId: 'jonas', step: 1, of: 6, channel: 'phone', dueAt: NOW.toISOString() },
  ...(recorded ? { claim: CLAIM, recorded: true } : { claim: CLAIM }),
});

/**
 * A subscribed lead with `entries` in its outbox on dynalite, and a wake whose mailer holds bulk mail as the
 * SesMailer does past the reserve and hands every other email to `other` (which records or refuses it).
 */
async function arrange(
  tableName: string,
  doc: ConstructorParameters<typeof DynamoDbLeadStore>[0],
  entries: readonly OutboxEntry[],
  other: (message: EmailMessage) => void,
) {
  const store = new DynamoDbLeadStore(doc, { tableName });
  await store.createLead(
    handedOff('2026-11-30T09:00:00.000Z', 'jonas', {
      outbox: [...entries],
      marketingConsent: true,
      email: 'rana@plant.example',
    }),
  );
  const notifier = new EmailNotifier({
    sla,
    mailer: {
      async send(message) {
        if (message.bulk) throw new MailHeld("SES's daily quota: 18 of 20 sent in the last 24 hours");
        other(message);
        return { messageId: 'm1' };
      },
    },
    clock: { now: () => NOW },
    publicBaseUrl: 'https://leads.example',
    actionSecret: 'held-mail-wake-secret',
  });
  return { store, wake: new Wake({ sla, store, clock: { now: () => NOW }, notifier }, NOW) };
}

describe('a held bulk email in a wake', () => {
  const dynalite = useDynalite();

  it.each([
    ['claimed and recorded (the park, ADR 0025)', true],
    ['claimed, recorded by the next write', false],
  ])('%s: the nurture email is dropped and said so, the reminder after it goes', async (_, recorded) => {
    // Arrange: a subscribed lead with the nurture email first in the outbox, a mailer holding bulk mail
    const entries = [nurture(recorded), reminder(recorded)];
    const sent: EmailMessage[] = [];
    const { store, wake } = await arrange(dynalite.tableName, dynalite.doc, entries, (m) => sent.push(m));
    const warn = console.warn;
    console.warn = () => undefined;

    // Act: the sends, then the wake's write (what records unrecorded entries)
    let snapshot = (await store.loadLead(FIXTURE_LEAD_ID))!;
    await wake.send(snapshot, entries, snapshot.state, { markWithNextWrite: true }).finally(() => {
      console.warn = warn;
    });
    snapshot = (await store.loadLead(FIXTURE_LEAD_ID))!;
    await wake.save(snapshot, confirmSent(snapshot.state, [CLAIM]));
    await wake.flushMarks(FIXTURE_LEAD_ID);
    const after = (await store.loadLead(FIXTURE_LEAD_ID))!;

    // Assert
    expect(sent.map((message) => message.tags?.kind)).toEqual(['attempt-due']);
    const dropped = after.state.timeline.filter((entry) => entry.kind === 'emailDropped');
    expect(dropped).toHaveLength(1);
    expect(dropped[0]!.reasons[0]).toMatchObject({ rule: 'mail.quotaReserve' });
    expect(dropped[0]!.reasons[0]!.detail).toContain('18 of 20');
    expect(
      abandonedEntries(confirmSent(after.state, after.confirmed ?? []), new Date(NOW.getTime() + 3_600_000)),
    ).toEqual([]);
  });
});

describe('a held bulk email beside a send that fails', () => {
  const dynalite = useDynalite();

  it('the failure write records the held email as dropped (its claim is marked with the sent ones): no timeline says it went', async () => {
    // Arrange: the nurture email held, the reminder after it refused (a failure the state machine retries)
    const entries = [nurture(true), reminder(true)];
    const { store, wake } = await arrange(dynalite.tableName, dynalite.doc, entries, () => {
      throw new Error('SES is down');
    });
    const warn = console.warn;
    console.warn = () => undefined;

    // Act
    const snapshot = (await store.loadLead(FIXTURE_LEAD_ID))!;
    const sent = await wake.send(snapshot, entries).then(
      () => 'sent',
      (error: Error) => error.message,
    );
    console.warn = warn;
    const after = (await store.loadLead(FIXTURE_LEAD_ID))!;

    // Assert: the task fails for the reminder; the nurture email is dropped and said so, the reminder due again
    expect(sent).toBe('SES is down');
    expect(after.state.timeline.filter((entry) => entry.kind === 'emailDropped')).toHaveLength(1);
    const outbox = after.state.outbox ?? [];
    expect(outbox.find((entry) => entry.key === reminder(true).key)?.failed).toBe(true);
    expect(outbox.find((entry) => entry.key === nurture(true).key)?.failed).toBeUndefined();
  });
});

describe('a nurture email to a person who unsubscribed since it was claimed', () => {
  const dynalite = useDynalite();

  it.each([
    ['claimed and recorded (the park, ADR 0025): its claim wrote "sent"', true],
    ['claimed, recorded by the next write', false],
  ])("%s: not sent, and the timeline says so after the claim's entry", async (_, recorded) => {
    // Arrange: the outbox as a wake claimed it; the person unsubscribed since (a privacy trial: the timeline
    // read "nurture email 1" as sent, with no word that it was not)
    const entries = [nurture(recorded), reminder(recorded)];
    const sent: EmailMessage[] = [];
    const { store, wake } = await arrange(dynalite.tableName, dynalite.doc, entries, (m) => sent.push(m));
    const before = (await store.loadLead(FIXTURE_LEAD_ID))!;
    await store.saveLead(
      { ...before.state, marketingConsent: false, unsubscribed: true, version: before.state.version + 1 },
      before.state.version,
      before.state,
    );

    // Act
    let snapshot = (await store.loadLead(FIXTURE_LEAD_ID))!;
    await wake.send(snapshot, entries, snapshot.state, { markWithNextWrite: true });
    snapshot = (await store.loadLead(FIXTURE_LEAD_ID))!;
    await wake.save(snapshot, confirmSent(snapshot.state, [CLAIM]));
    await wake.flushMarks(FIXTURE_LEAD_ID);
    const after = (await store.loadLead(FIXTURE_LEAD_ID))!;

    // Assert: only the reminder went; one `emailDropped` names the nurture email and why; nothing left to send
    expect(sent.map((message) => message.tags?.kind)).toEqual(['attempt-due']);
    const dropped = after.state.timeline.filter((entry) => entry.kind === 'emailDropped');
    expect(dropped).toHaveLength(1);
    expect(dropped[0]!.reasons[0]).toMatchObject({ rule: 'outbox.dropped' });
    expect(dropped[0]!.reasons[0]!.detail).toBe(
      'nurture email 1 of Engineers, early research: not sent. The person unsubscribed or withdrew consent since it was planned.',
    );
    expect(
      abandonedEntries(confirmSent(after.state, after.confirmed ?? []), new Date(NOW.getTime() + 3_600_000)),
    ).toEqual([]);
  });
});
