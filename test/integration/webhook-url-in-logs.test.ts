/**
 * A receiver's URL is its credential (Slack, Discord, a Teams workflow's `sig=`): what the sender stores of a
 * delivery and what it logs about a failed attempt never hold it (lambdas/domain/webhook-url-redaction.ts).
 * The real sender (tasks/events-out.ts) on dynalite; the log lines captured from console. The transport is a
 * stand-in that fails quoting the URL it was given: Node's fetch does not quote it (measured: `fetch failed`
 * with a code, or the code of an unparsable URL), but a proxy's or another client's message may, and the
 * sender stores and logs whatever error it gets.
 */
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { DynamoDbLeadStore } from '../../lambdas/adapters/dynamodb-lead-store.ts';
import { storyCarrier } from '../../lambdas/domain/story-carry.ts';
import { deliverAll, type EventsOutDeps, publishLead } from '../../lambdas/tasks/events-out.ts';
import { assignedLead, eventsOutDeps } from '../support/assigned-story.ts';
import { useDynalite } from '../support/dynalite.ts';
import { loadDefaultSla } from '../support/sla.ts';
import { TEST_WEBHOOK_SECRET } from '../support/webhook-receiver.ts';

const sla = loadDefaultSla();
const T0 = new Date('2026-11-30T08:00:00.000Z');
const LEAD = 'LeadWebhookUrlInLogs001';
const SLACK_TOKEN = 'kB8vZq3Wn5YtR2xLp9MdHs4F';
const SIG = 'Vx3kQ9mZp2Lw8RtY5nBc1HdG7fJs4AeU0oXiKqWl6yM';
const SLACK = `https://hooks.slack.com/services/T024BE7LD/B06KQ7Z1X9P/${SLACK_TOKEN}`;
const TEAMS = `https://prod-27.westeurope.logic.azure.com:443/workflows/4f1c2b3a9d8e4c7f/triggers/manual/paths/invoke?api-version=2016-06-01&sig=${SIG}`;

describe('what the sender stores and logs of a webhook URL', () => {
  const dynamo = useDynalite();
  let deps: EventsOutDeps;
  let store: DynamoDbLeadStore;
  let logged: string[];
  let posted: string[];

  beforeEach(() => {
    logged = [];
    posted = [];
    for (const level of ['log', 'info', 'warn', 'error'] as const)
      vi.spyOn(console, level).mockImplementation((...args: unknown[]) => {
        logged.push(args.map(String).join(' '));
      });
    store = new DynamoDbLeadStore(dynamo.doc, { tableName: dynamo.tableName, carry: storyCarrier(sla) });
    deps = eventsOutDeps(sla, dynamo, store, T0, {
      subscriptions: [
        { id: 'slack', url: SLACK, events: ['*'], secret: TEST_WEBHOOK_SECRET },
        { id: 'teams', url: TEAMS, events: ['*'], secret: TEST_WEBHOOK_SECRET },
      ],
      transport: {
        post: async (url) => {
          posted.push(url);
          throw new TypeError(`request to ${url} failed: socket hang up`);
        },
      },
    });
  });

  it('posts to the whole URL, stores and logs it redacted', async () => {
    // Arrange
    expect(await store.createLead(assignedLead(sla, LEAD, T0))).toBe('created');
    const { deliveries } = await publishLead(deps, LEAD);

    // Act
    const report = await deliverAll(deps, deliveries);

    // Assert: sent to the receiver's own URL
    expect(report.retrying).toBe(deliveries.length);
    expect(new Set(posted)).toEqual(new Set([SLACK, TEAMS]));
    // stored: the items as DynamoDB holds them
    for (const { deliveryId, subscriptionId } of deliveries) {
      const { Item } = await dynamo.doc.send(
        new GetCommand({
          TableName: dynamo.tableName,
          Key: { pk: `DELIVERY#${deliveryId}`, sk: 'DELIVERY' },
        }),
      );
      const item = JSON.stringify(Item);
      expect(item).not.toContain(SLACK_TOKEN);
      expect(item).not.toContain(SIG);
      expect(Item).toMatchObject(
        subscriptionId === 'slack'
          ? {
              url: 'https://hooks.slack.com/services/***/***/***',
              lastError: 'request to https://hooks.slack.com/services/***/***/*** failed: socket hang up',
            }
          : {
              url: 'https://prod-27.westeurope.logic.azure.com/workflows/***/triggers/manual/paths/invoke?api-version=***&sig=***',
            },
      );
    }
    // logged: a line per failed attempt, none with a credential
    expect(logged.filter((line) => line.includes('webhook delivery failed'))).toHaveLength(deliveries.length);
    expect(logged.filter((line) => line.includes(SLACK_TOKEN) || line.includes(SIG))).toEqual([]);
  });
});
