/**
 * The three lead types the benches run through the whole local runtime (test/support/e2e.ts: dynalite,
 * the SES emulator, the ASL on aws-local-stepfunctions, the API server), sla/default.yaml, manual time,
 * driven over HTTP as test/e2e/scenarios.test.ts does (the same steps as bench/workflow.ts):
 *   hot       a hot lead: SQL at once, a reminder, "Connected" from the email, meeting booked, deal
 *             stages, a stale-deal reminder, won (customer)
 *   uncontacted  an SQL never contacted: every reminder, escalation, reassignment, recycled, nurtured
 *             after the cool-off
 *   cold      a cold lead: confirms its subscription (the guide form asks for double opt-in), nurtured,
 *             then engagement events make it an MQL, then an SQL handed off at once
 * A Run counts what the scenario's hands did: API requests by route, timers fired.
 */
import { confirmationSubject, consentLinkOf, type E2e, exampleLead, linksOf } from '../test/support/e2e.ts';

/** The scenario's hands: HTTP and time, counting requests and timers. */
export class Run {
  timersFired = 0;
  /** API requests by route key (`POST /leads`, `POST /actions/{token}`, ...) */
  readonly requests = new Map<string, number>();

  constructor(readonly e2e: E2e) {}

  async advanceTo(to: Date | string): Promise<void> {
    this.timersFired += await this.e2e.advanceTo(to);
  }

  async call(method: string, target: string, json?: unknown, form?: string): Promise<void> {
    const options = form !== undefined ? { form } : json === undefined ? {} : { json };
    const response = await this.e2e.request(method, target, options);
    if (response.status >= 400) throw new Error(`${method} ${target}: ${response.status} ${response.text}`);
    const key = `${method} ${routePath(target)}`;
    this.requests.set(key, (this.requests.get(key) ?? 0) + 1);
    await this.e2e.settle();
  }
}

/** The route a request went to, in API Gateway syntax. */
function routePath(target: string): string {
  const path = target.startsWith('http') ? new URL(target).pathname : target.split('?')[0]!;
  return path
    .replace(/^\/(actions|unsubscribe|consent)\/[^/]+$/, '/$1/{token}')
    .replace(/^\/leads\/[^/]+(\/[a-z]+)?$/, (_match, tail: string | undefined) => `/leads/{id}${tail ?? ''}`);
}

export interface LeadScenario {
  readonly id: 'hot' | 'uncontacted' | 'cold';
  readonly name: string;
  /** runs the scenario; the lead's id */
  readonly run: (run: Run) => Promise<string>;
}

export const LEAD_SCENARIOS: readonly LeadScenario[] = [
  {
    id: 'hot',
    name: 'hot SQL lead: contacted, deal won',
    async run(run) {
      const { e2e } = run;
      const hot = exampleLead('hot');
      const leadId = e2e.leadIdOf(String(hot.email));
      await run.call('POST', '/leads', hot);
      // the first-touch deadline (13:00 Berlin): the owner is reminded
      await run.advanceTo('2026-11-30T12:00:00.000Z');
      const [, reminder] = await e2e.mailsAbout(String(hot.email));
      const links = linksOf(reminder!);
      await run.call('POST', links.Connected!);
      await run.advanceTo('2026-12-07T09:00:00.000Z');
      await run.call('POST', links['Meeting booked']!);
      await run.call('PUT', `/leads/${leadId}/deal`, { stage: 'discovery' });
      await run.advanceTo('2026-12-08T09:00:00.000Z');
      await run.call('PUT', `/leads/${leadId}/deal`, { stage: 'quote-presented' });
      await run.advanceTo('2026-12-17T09:00:00.000Z');
      const stale = (await e2e.mailsAbout(String(hot.email))).at(-1)!;
      await run.call('POST', linksOf(stale)['Move to Closed won']!);
      return leadId;
    },
  },
  {
    id: 'uncontacted',
    name: 'SQL never contacted: escalated, recycled, nurtured',
    async run(run) {
      const hot = exampleLead('hot');
      const leadId = run.e2e.leadIdOf(String(hot.email));
      await run.call('POST', '/leads', hot);
      // recycled Thu 12-10 19:00Z; the cool-off ends 30 days later with the first nurture email
      await run.advanceTo('2027-01-09T19:00:00.000Z');
      return leadId;
    },
  },
  {
    id: 'cold',
    name: 'cold lead: nurtured, MQL, then SQL',
    async run(run) {
      const cold = exampleLead('cold');
      const leadId = run.e2e.leadIdOf(String(cold.email));
      await run.call('POST', '/leads', cold);
      // the person opens the confirmation email's link (a page) and confirms (double opt-in, the default)
      await run.advanceTo('2026-11-30T08:10:00.000Z');
      const confirmation = (await run.e2e.mailsTo(String(cold.email))).find(
        (mail) => mail.subject === confirmationSubject(run.e2e.sla),
      );
      const link = confirmation && consentLinkOf(confirmation);
      if (!link) throw new Error('cold lead: no confirmation email with a link');
      await run.call('GET', link);
      await run.call('POST', link, undefined, '');
      await run.advanceTo('2026-12-09T10:00:00.000Z');
      const at = run.e2e.now().toISOString();
      await run.call('POST', `/leads/${leadId}/events`, {
        events: [
          { eventId: 'webinar-1', type: 'webinar_attended', occurredAt: at },
          { eventId: 'webinar-2', type: 'webinar_attended', occurredAt: at },
          { eventId: 'pricing-1', type: 'pricing_page_view', occurredAt: at },
        ],
      });
      await run.call('POST', `/leads/${leadId}/events`, {
        events: [{ eventId: 'demo-1', type: 'demo_request', occurredAt: at }],
      });
      return leadId;
    },
  },
];
