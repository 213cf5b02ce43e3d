/**
 * A list or report filtered by a name that cannot exist is refused, naming the parameter and the value, with the
 * known values: an ops engineer who typed `subscription=crmm` read "no deliveries" and concluded all was quiet;
 * `owner=jonsa` listed no leads. Before, `GET /webhooks/deliveries?subscription=nosuch`, `GET /leads?owner=nosuch`
 * and their console pages answered 200 with an empty list, and the refusals of `status`, `type`, `stage`, `rep`
 * and `queue` listed the known ids without the value given. A name that exists and has nothing (a rep with no
 * lead, a subscription configured and sent nothing yet, one taken out of the configuration whose deliveries stay
 * in the log) is still 200 and empty. Through the local runtime's HTTP server (a real socket) on dynalite; the
 * console's refusal pages in headless Chromium, at 390 and 1280 px.
 */
import { mkdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { main } from '../../bin/cli.ts';
import { type CliIo, processIo } from '../../bin/commands/io.ts';
import type { LeadEvent } from '../../lambdas/domain/lead-events.ts';
import type { Sla } from '../../lambdas/domain/sla-schema.ts';
import type { WebhookDelivery } from '../../lambdas/domain/webhooks.ts';
import { launchChromium, shootBothWidths } from '../support/chromium.ts';
import { signIn } from '../support/console.ts';
import { ADMIN_TOKEN, type ErrorBody, useLocalApi } from '../support/local-api.ts';
import { loadDefaultSla } from '../support/sla.ts';

/** not committed: the e2e folder's screenshots are ignored (.gitignore) */
const SHOTS = new URL('../e2e/__screenshots__/', import.meta.url).pathname;
const PRIYA = 'priya.shah@kessler-industrial.example'; // ops, reads English
const KATRIN = 'katrin.vogel@kessler-industrial.example'; // a manager, reads Arabic here

/** the worked example, its manager Katrin reading Arabic */
function withArabicManager(): Sla {
  const sla = loadDefaultSla();
  return {
    ...sla,
    routing: {
      ...sla.routing,
      managers: sla.routing.managers.map((manager) =>
        manager.id === 'katrin' ? { ...manager, locale: 'ar' } : manager,
      ),
    },
  };
}

/** a failed delivery of `subscriptionId`, as the sender stores it */
function failedDelivery(subscriptionId: string): WebhookDelivery {
  const at = '2026-11-27T09:00:00.000Z';
  return {
    deliveryId: `dlv_${'0'.repeat(31)}1`,
    subscriptionId,
    url: 'https://old-crm.example.com/hooks',
    eventId: 'evt_1',
    eventType: 'lead.created',
    leadId: 'LeadAda000000000000000',
    event: { id: 'evt_1', type: 'lead.created' } as unknown as LeadEvent,
    status: 'failed',
    attempts: 8,
    createdAt: at,
    lastAttemptAt: at,
    lastError: 'HTTP 500',
    lastStatusCode: 500,
  };
}

describe('a filter naming what cannot exist: 400 naming the parameter, the value and the known values', () => {
  const api = useLocalApi({
    sla: withArabicManager(),
    // configured now: crm (nothing sent to it yet); old-crm was taken out, its failed delivery stays in the log
    webhooks: [
      { id: 'crm', url: 'http://127.0.0.1:4510/hooks', events: ['*'], secret: `whsec_${'a'.repeat(44)}` },
    ],
  });
  // one sign-in link per person a minute: each signs in once
  const cookies = new Map<string, Promise<string>>();
  const cookieOf = (email: string) => {
    if (!cookies.has(email)) cookies.set(email, signIn(api.runtime, email));
    return cookies.get(email)!;
  };
  let seeded = false;
  const seed = async () => {
    if (seeded) return;
    await api.runtime.events.deps.log.addDelivery(failedDelivery('old-crm'));
    seeded = true;
  };

  it.each<[string, string, string, string[]]>([
    ['/leads?owner=jonsa', 'owner', 'jonsa', ['jonas', 'lena', 'sofia']],
    ['/leads?owner=jonas&status=nosuch', 'status', 'nosuch', ['new', 'attempting-contact']],
    ['/leads?type=nosuch', 'type', 'nosuch', ['equipment-sales', 'maintenance-services']],
    ['/leads?stage=sqll', 'stage', 'sqll', ['subscriber', 'sql', 'customer']],
    ['/reports/sla?rep=jonsa', 'rep', 'jonsa', ['jonas', 'mike']],
    ['/reports/sla?queue=sales', 'queue', 'sales', ['service-desk', 'equipment-sales']],
    ['/webhooks/deliveries?subscription=crmm', 'subscription', 'crmm', ['crm']],
    ['/webhooks/deliveries?status=delivered&subscription=nosuch', 'subscription', 'nosuch', ['crm']],
  ])('GET %s: 400 naming %s and "%s", with the known values', async (target, parameter, value, known) => {
    // Arrange
    await seed();
    // Act
    const response = await api.request('GET', target);
    // Assert
    expect(response.status, response.text).toBe(400);
    const { error } = response.body as ErrorBody;
    expect(error.code).toBe('invalid_request');
    expect(error.fields.map((field) => field.path)).toEqual([parameter]);
    expect(error.fields[0]!.message).toContain(`"${value}"`);
    for (const id of known) expect(error.fields[0]!.message).toContain(id);
  });

  it.each<[string, number]>([
    ['/leads?owner=mike', 0],
    ['/leads?owner=jonas&status=new', 0],
    ['/webhooks/deliveries?status=delivered&subscription=crm', 0],
    ['/webhooks/deliveries?status=delivered&subscription=old-crm', 0],
    ['/webhooks/deliveries?status=failed&subscription=old-crm', 1],
  ])('GET %s: a name that exists answers 200 with what it has (%i)', async (target, count) => {
    // Arrange
    await seed();
    // Act
    const response = await api.request('GET', target);
    // Assert
    expect(response.status, response.text).toBe(200);
    const body = response.body as { items?: unknown[]; deliveries?: unknown[] };
    expect((body.items ?? body.deliveries)?.length).toBe(count);
  });

  it('GET /reports/sla?rep=mike: a rep with nothing in the window has a report', async () => {
    // Act
    const response = await api.request('GET', '/reports/sla?rep=mike');
    // Assert
    expect(response.status, response.text).toBe(200);
  });

  it.each<[string, string, string]>([
    ['--rep', 'jonsa', 'jonas'],
    ['--queue', 'sales', 'service-desk'],
  ])(
    "leadpact report %s %s against the API: exit 2, naming the value and the SLA's",
    async (flag, value, known) => {
      // Arrange
      const err: string[] = [];
      const io: CliIo = { out: () => undefined, err: (text) => err.push(text), readFile: processIo.readFile };
      // Act
      const code = await main(['report', '--url', api.url, '--token', ADMIN_TOKEN, flag, value], io);
      // Assert
      expect(code).toBe(2);
      expect(err.join('\n')).toContain(`${flag}: no ${flag.slice(2)} "${value}": the SLA has`);
      expect(err.join('\n')).toContain(known);
    },
  );

  it.each<[string, string, string, number, string[]]>([
    // who, page, the field's label on the page, status, what the page says (the SLA's names, not its ids)
    [PRIYA, '/console/leads?owner=jonsa', 'Owner', 400, ['“jonsa”', 'Jonas Berger', 'Sofia Brandt']],
    [PRIYA, '/console/leads?status=nosuch', 'Status', 400, ['“nosuch”', 'Attempting contact']],
    [PRIYA, '/console/reports?queue=sales', 'Queue', 400, ['“sales”', 'Service desk', 'Equipment sales']],
    [PRIYA, '/console/webhooks?subscription=crmm', 'Subscription', 400, ['“crmm”', 'crm']],
    [KATRIN, '/console/leads?owner=jonsa', 'المالك', 400, ['«jonsa»', 'Jonas Berger']],
    [KATRIN, '/console/reports?queue=sales', 'الطابور', 400, ['«sales»', 'مكتب الخدمة']],
  ])(
    '%s opens %s in Chromium: a %s page saying what is wrong',
    async (email, target, label, status, said) => {
      // Arrange
      await seed();
      mkdirSync(SHOTS, { recursive: true });
      const cookie = await cookieOf(email);
      const browser = await launchChromium();
      try {
        const [name, ...value] = cookie.split('=');
        const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
        await context.addCookies([{ name: name!, value: value.join('='), url: api.url }]);
        const tab = await context.newPage();
        // Act
        const answer = await tab.goto(`${api.url}${target}`);
        const text = (await tab.evaluate('document.body.innerText')) as string;
        const shot = `${SHOTS}unknown-filter-${target.replace(/[^a-z]+/g, '-')}-${email.slice(0, 5)}`;
        const widths = await shootBothWidths(tab, shot);
        // Assert
        expect(answer?.status()).toBe(status);
        expect(text).toContain(label);
        for (const words of said) expect(text).toContain(words);
        for (const { width, scrollWidth } of widths)
          expect(scrollWidth, `${width} px`).toBeLessThanOrEqual(width);
      } finally {
        await browser.close();
      }
    },
    60_000,
  );
});
