/**
 * A manager's escalation and takeover reach two people, the manager and the lead's owner, and a link cannot
 * tell who pressed it. So each gets a copy of their own, with links signed for them: what the owner logs from
 * theirs is credited to the owner (`rep:carla`), its page shows times on the owner's clock (Carla works in
 * Chicago: CST); what the manager logs from theirs is the manager's (`manager:dan`), the email and its page on the
 * manager's clock (here Dan manages from Riyadh: GMT+3; ADR 0083). (Found in a trial: Carla pressed "Connected" in
 * the escalation to Dan she was copied on, and the timeline said Dan did it; her page said CET. And in another: a
 * manager read the owner's clock in the email and the company's on its page.)
 *
 * Wiring: the real local runtime (dynalite, the DynamoDB store, the HTTP server) with an action secret; the
 * real EmailNotifier and outbox delivery render the emails; the Mailer port keeps them in memory.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OutboxEmail } from '../../lambdas/domain/outbox.ts';
import type { EmailMessage, Mailer } from '../../lambdas/ports/mailer.ts';
import { EmailNotifier } from '../../lambdas/tasks/email-notifier.ts';
import { deliver } from '../../lambdas/tasks/outbox-delivery.ts';
import type { RunningServer } from '../../local/http-server.ts';
import { startApiServer } from '../../local/http-server.ts';
import { ADMIN_TOKEN, SQL_LEAD, useLocalApi } from '../support/local-api.ts';
import { loadDefaultSla } from '../support/sla.ts';

const SECRET = 'escalation-owner-copy-secret-5c1e';
const CARLA = 'carla.ruiz@kessler-industrial.example';
const DAN = 'dan.whitaker@kessler-industrial.example';

const ESCALATION: OutboxEmail = {
  type: 'managerEscalation',
  repId: 'carla',
  managerId: 'dan',
  dueAt: '2026-11-27T19:00:00.000Z',
  overdue: 2,
};
const TAKEOVER: OutboxEmail = {
  type: 'managerTakeover',
  ownerId: 'carla',
  managerId: 'dan',
  headline: 'no first touch after 3 reps',
  why: 'it was reassigned twice without a first touch, the most the SLA allows',
  owners: ['jonas', 'mike', 'carla'],
};

/** The worked example, Dan (Carla's manager) reading times in Riyadh */
function danInRiyadh() {
  const sla = loadDefaultSla();
  const managers = sla.routing.managers.map((m) => (m.id === 'dan' ? { ...m, timeZone: 'Asia/Riyadh' } : m));
  return { ...sla, routing: { ...sla.routing, managers } };
}

describe("the owner's copy of a manager's escalation", () => {
  const api = useLocalApi({ sla: danInRiyadh() });
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

  /** The messages of one email about Carla's lead, as its outbox entry sends them. */
  async function deliverEmail(leadId: string, email: OutboxEmail): Promise<EmailMessage[]> {
    const lead = (await api.runtime.deps.store.getLead(leadId))!;
    const notifier = new EmailNotifier({
      sla: api.sla,
      mailer,
      clock: api.clock,
      publicBaseUrl: server.url,
      actionSecret: SECRET,
    });
    const before = sent.length;
    await deliver(
      { sla: api.sla, store: api.runtime.deps.store, clock: api.clock, notifier },
      lead,
      email,
      `${email.type}:${leadId}`,
    );
    return sent.slice(before);
  }

  it.each([
    ['escalation', 'Carla, the owner', ESCALATION, CARLA, 'rep:carla', 'CST'],
    ['escalation', 'Dan, the manager', ESCALATION, DAN, 'manager:dan', 'GMT+3'],
    ['takeover', 'Carla, the owner', TAKEOVER, CARLA, 'rep:carla', 'CST'],
    ['takeover', 'Dan, the manager', TAKEOVER, DAN, 'manager:dan', 'GMT+3'],
  ])(
    'the %s: %s gets a message of their own; "Connected" in it is credited to them, its page on their clock',
    async (_email, _reader, email, address, by, zone) => {
      // Arrange: Carla owns the lead; the email goes out
      const leadId = await api.createLead({ email: api.uniqueEmail('escalated'), ...SQL_LEAD });
      await api.handOff(leadId, 'carla');
      const messages = await deliverEmail(leadId, email);
      const mine = messages.filter((message) => message.to.includes(address));
      const text = mine[0]?.text ?? '';
      const url = /- Connected: (\S+)/.exec(text)?.[1];

      // Act
      const page = await (await fetch(url ?? server.url)).text();
      const pressed = await fetch(url ?? server.url, { method: 'POST', redirect: 'manual' });

      // Assert
      expect(messages.map((message) => [message.to, message.cc ?? []])).toEqual([
        [[DAN], []],
        [[CARLA], []],
      ]);
      expect(mine).toHaveLength(1);
      expect(url, text).toBeDefined();
      expect(page).toMatch(new RegExp(`expires [^<]*${zone.replace('+', '\\+')}`));
      expect(pressed.status).toBe(200);
      const lead = await api.runtime.deps.store.getLead(leadId);
      expect(lead?.timeline.at(-1)).toMatchObject({ kind: 'attempt', by });
    },
  );
});
