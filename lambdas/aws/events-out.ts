/**
 * Lambda entry point: events out (lambdas/tasks/events-out.ts, docs/decisions/0022-events-out.md).
 * - From the table's stream (lib/events.ts filters it to state items the events index lists): each
 *   lead written is published (EventBridge, then one webhook delivery per subscription), and the
 *   deliveries just made are attempted at once.
 * - Every minute from a schedule: the sweep. Leads the index still lists are published (a crashed or
 *   failed publish loses nothing), due deliveries are attempted (the retry schedule).
 * A failed stream batch is retried by Lambda, then goes to the stack's dead-letter queue; the sweep
 * publishes those leads anyway, since the write itself listed them.
 */
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { DynamoDBStreamEvent } from 'aws-lambda';
import { EventBridgeBus } from '../adapters/eventbridge-bus.ts';
import { FetchWebhookTransport } from '../adapters/fetch-webhook-transport.ts';
import type { WebhookSubscription } from '../domain/webhooks.ts';
import { systemClock } from '../ports/clock.ts';
import { deliverAll, deliverDue, type EventsOutDeps, publishLead } from '../tasks/events-out.ts';
import { ENV, optionalEnv, requiredEnv } from './shared/env.ts';
import { readSecret } from './shared/secrets.ts';
import { bundledSla } from './shared/sla.ts';
import { eventLog, leadStore } from './shared/store.ts';

const deps: EventsOutDeps = {
  sla: bundledSla(),
  store: leadStore(),
  log: eventLog(),
  bus: new EventBridgeBus(new EventBridgeClient({}), requiredEnv(ENV.eventBusName)),
  subscriptions: await subscriptions(),
  transport: new FetchWebhookTransport(),
  clock: systemClock,
};

/** The subscriptions of the stack's context, each with its secret read once (at init). */
async function subscriptions(): Promise<WebhookSubscription[]> {
  const configured = JSON.parse(optionalEnv(ENV.webhooks) ?? '[]') as {
    id: string;
    url: string;
    events: string[];
    secretArn: string;
  }[];
  const client = new SecretsManagerClient({});
  return Promise.all(
    configured.map(async ({ secretArn, ...subscription }) => {
      const value = (await readSecret(client, secretArn)).trim();
      // the stack generates the base64 part; ops may also put a whole whsec_ key of their own
      return { ...subscription, secret: value.startsWith('whsec_') ? value : `whsec_${value}` };
    }),
  );
}

/** no delivery starts after this much of an invocation (its timeout is 120 s, a delivery's 15 s) */
const BUDGET_MS = 90_000;

export const handler = async (event: Partial<DynamoDBStreamEvent>) => {
  const started = Date.now();
  const budget = () => Math.max(0, BUDGET_MS - (Date.now() - started));
  if (Array.isArray(event.Records)) {
    const leads = new Set(
      event.Records.flatMap((record) => {
        const leadId = record.dynamodb?.NewImage?.leadId?.S;
        return leadId ? [leadId] : [];
      }),
    );
    let published = 0;
    for (const leadId of leads) {
      const report = await publishLead(deps, leadId);
      published += report.events.length;
      // what the budget leaves undelivered stays due: the next sweep takes it
      if (report.deliveries.length > 0) await deliverAll(deps, report.deliveries, budget());
    }
    console.log(
      JSON.stringify({ level: 'info', msg: 'events published', leads: leads.size, events: published }),
    );
    return { leads: leads.size, events: published };
  }
  // the schedule: leads the index still lists, then due deliveries
  let published = 0;
  const listed = await deps.log.leadsWithNewEntries(100);
  for (const leadId of listed) published += (await publishLead(deps, leadId)).events.length;
  const delivered = await deliverDue(deps, 200, budget());
  console.log(
    JSON.stringify({
      level: 'info',
      msg: 'events sweep',
      leads: listed.length,
      events: published,
      ...delivered,
    }),
  );
  return { leads: listed.length, events: published, ...delivered };
};
