/**
 * An email sent twice (at least once: a sender that died after the mail service accepted it, a claim
 * gone stale and sent again; docs/reliability.md "Emails: at least once") is the same email: its links
 * are the same links. A rep who presses "No answer" in one copy and again in the other logs one attempt,
 * not two (the second press is "already used"); a different email's link still acts.
 *
 * Wiring: the real local runtime (dynalite, the DynamoDB store, the HTTP server) with an action secret;
 * the real EmailNotifier and outbox delivery (tasks/outbox-delivery.ts) render the emails; the Mailer
 * port keeps them in memory (this project's own port, in place of the SES emulator).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OutboxEmail } from '../../lambdas/domain/outbox.ts';
import type { EmailMessage, Mailer } from '../../lambdas/ports/mailer.ts';
import { EmailNotifier } from '../../lambdas/tasks/email-notifier.ts';
import { deliver } from '../../lambdas/tasks/outbox-delivery.ts';
import type { RunningServer } from '../../local/http-server.ts';
import { startApiServer } from '../../local/http-server.ts';
import { ADMIN_TOKEN, SQL_LEAD, useLocalApi } from '../support/local-api.ts';

const SECRET = 'resent-email-links-secret-7b2f4d';

describe('the links of an email sent twice', () => {
  const api = useLocalApi();
  let server: RunningServer;
  const sent: EmailMessage[] = [];
  const mailer: Mailer = {
    async send(message) {
      sent.push(message);
      return { messageId: `m${sent.length}` };
    },
  };

  beforeAll(async () => {
    server = await startApiServer({
      deps: { ...api.runtime.deps, actionSecret: SECRET },
      adminToken: ADMIN_TOKEN,
      port: 0,
      rateLimit: { perMinute: 1_000_000, burst: 1_000_000 },
    });
  });

  afterAll(async () => {
    await server?.close();
  });

  /** the "New SQL" email of the lead's handoff to Jonas, as its outbox entry sends it */
  async function sendNewSql(leadId: string, key: string): Promise<string> {
    const lead = (await api.runtime.deps.store.getLead(leadId))!;
    const notifier = new EmailNotifier({
      sla: api.sla,
      mailer,
      clock: api.clock,
      publicBaseUrl: server.url,
      actionSecret: SECRET,
    });
    const email: OutboxEmail = { type: 'sqlAssigned', repId: 'jonas', dueAt: '2026-11-27T14:00:00.000Z' };
    const before = sent.length;
    await deliver(
      { sla: api.sla, store: api.runtime.deps.store, clock: api.clock, notifier },
      lead,
      email,
      key,
    );
    expect(sent).toHaveLength(before + 1);
    const text = sent.at(-1)!.text ?? '';
    const url = /- No answer: (\S+)/.exec(text)?.[1];
    expect(url, text).toBeDefined();
    return url!;
  }

  const press = async (url: string) => (await fetch(url, { method: 'POST', redirect: 'manual' })).status;

  it('"No answer" pressed in both copies logs one attempt; the second press is "already used"', async () => {
    // Arrange: the same outbox entry sent twice, a minute apart (the lease ran out, the next wake sent it again)
    const leadId = await api.createLead({ email: api.uniqueEmail('resent'), ...SQL_LEAD });
    await api.handOff(leadId, 'jonas');
    const key = `assigned:1:jonas:${api.clock.now().toISOString()}`;
    const first = await sendNewSql(leadId, key);
    api.clock.advance(60_000);
    const copy = await sendNewSql(leadId, key);

    // Act
    const pressed = [await press(first), await press(copy)];

    // Assert
    expect(pressed).toEqual([200, 409]);
    expect(await api.runtime.deps.store.listAttempts(leadId)).toHaveLength(1);
  });

  it("another email's link acts: only copies share their links (the same outcome soon after is asked about first)", async () => {
    // Arrange: two different emails (two keys) about the same lead
    const leadId = await api.createLead({ email: api.uniqueEmail('other'), ...SQL_LEAD });
    await api.handOff(leadId, 'jonas');
    const one = await sendNewSql(leadId, 'first-email');
    const other = await sendNewSql(leadId, 'second-email');

    // Act: both pressed; the other's link, asked "Logged already?" (ADR 0088, amended), says it was another call
    const first = await press(one);
    const asked = await fetch(other, { method: 'POST', redirect: 'manual' });
    const page = await asked.text();
    const again = /<input type="hidden" name="again" value="([^"]+)">/.exec(page)?.[1];
    const second = await fetch(other, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ again: again ?? '' }).toString(),
    });

    // Assert: not "already used" (a copy's answer): its own link, asked, then logged
    expect([first, asked.status, second.status]).toEqual([200, 409, 200]);
    expect(page).toContain('Logged already?');
    expect(await api.runtime.deps.store.listAttempts(leadId)).toHaveLength(2);
  });
});
