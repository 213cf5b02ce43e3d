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
import './shared/source-mapped-stacks.ts';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { EventBridgeBus } from '../adapters/eventbridge-bus.ts';
import { FetchWebhookTransport } from '../adapters/fetch-webhook-transport.ts';
import { systemClock } from '../ports/clock.ts';
import type { EventsOutDeps } from '../tasks/events-out.ts';
import { ENV, optionalEnv, requiredEnv } from './shared/env.ts';
import { eventsOutHandler } from './shared/events-out-handler.ts';
import { readSecret } from './shared/secrets.ts';
import { bundledSla } from './shared/sla.ts';
import { eventLog, factLog, leadStore } from './shared/store.ts';
import { webhookSubscriptions } from './shared/webhook-subscriptions.ts';

const sla = bundledSla();
const secretsClient = new SecretsManagerClient({});
const facts = factLog(sla);
const deps: EventsOutDeps = {
  sla,
  store: leadStore(),
  ...(facts ? { facts } : {}),
  log: eventLog(),
  bus: new EventBridgeBus(new EventBridgeClient({}), requiredEnv(ENV.eventBusName)),
  subscriptions: await webhookSubscriptions(optionalEnv(ENV.webhooks), (arn) =>
    readSecret(secretsClient, arn),
  ),
  transport: new FetchWebhookTransport({ publicOnly: true }),
  clock: systemClock,
};

export const handler = eventsOutHandler(deps);
