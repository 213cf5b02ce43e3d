/**
 * An erase while a lead's webhooks are being sent (docs/integrations.md: `lead.created` carries the contact
 * "until the lead is erased"; the reasons may quote the form). A sender posts one lead's deliveries one after
 * another; a slow receiver stretches that run, and an erase can land between two posts. What leaves after
 * the erase must carry none of the person's data. On dynalite.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { DynamoDbLeadStore } from '../../lambdas/adapters/dynamodb-lead-store.ts';
import { eraseLead } from '../../lambdas/domain/lead-state.ts';
import { storyCarrier } from '../../lambdas/domain/story-carry.ts';
import { updateLead } from '../../lambdas/ports/lead-store.ts';
import { deliverAll, type EventsOutDeps, publishLead } from '../../lambdas/tasks/events-out.ts';
import { assignedLead, eventsOutDeps } from '../support/assigned-story.ts';
import { useDynalite } from '../support/dynalite.ts';
import { loadDefaultSla } from '../support/sla.ts';
import { TEST_WEBHOOK_SECRET } from '../support/webhook-receiver.ts';

const sla = loadDefaultSla();
const T0 = new Date('2026-11-30T08:00:00.000Z');
const LEAD = 'LeadErasedInFlight0001';

describe('a webhook run an erase overtakes', () => {
  const dynamo = useDynalite();
  let store: DynamoDbLeadStore;
  let posts: { body: string; afterErase: boolean }[];
  let deps: EventsOutDeps;

  beforeEach(() => {
    store = new DynamoDbLeadStore(dynamo.doc, { tableName: dynamo.tableName, carry: storyCarrier(sla) });
    posts = [];
    let erased = false;
    deps = eventsOutDeps(sla, dynamo, store, T0, {
      subscriptions: [
        { id: 'crm', url: 'https://crm.example/hooks', events: ['*'], secret: TEST_WEBHOOK_SECRET },
      ],
      transport: {
        // the receiver is slow: while it answers the first post, ops erase the lead (DELETE /leads/{id})
        post: async (_url, _headers, body) => {
          posts.push({ body, afterErase: erased });
          if (!erased) {
            await store.deleteLeadHistory(LEAD);
            await updateLead(store, LEAD, (current) =>
              eraseLead(current, new Date(T0.getTime() + 60_000), 'ops'),
            );
            erased = true;
          }
          return { statusCode: 204 };
        },
      },
    });
  });

  it('sends no contact and no reasons once the erase is stored', async () => {
    // Arrange: a lead from the form, its events published, none sent yet
    const lead = assignedLead(sla, LEAD, T0, {
      firstName: 'Petra',
      jobTitle: 'Head of Brewing',
      company: 'Brauhaus',
    });
    expect(await store.createLead(lead)).toBe('created');
    const { deliveries } = await publishLead(deps, LEAD);
    expect(deliveries.length).toBeGreaterThan(2);

    // Act: one run sends them, the erase lands during the first post
    await deliverAll(deps, deliveries);

    // Assert: the first post (before the erase) had the contact; nothing after it has personal data
    expect(posts[0]!.afterErase).toBe(false);
    expect(posts[0]!.body).toContain('petra@brauhaus.example');
    const later = posts.filter((post) => post.afterErase);
    expect(later.length).toBe(deliveries.length - 1);
    for (const post of later) {
      const event = JSON.parse(post.body).data;
      expect(event.contact).toBeUndefined();
      expect(event.reasons).toEqual([]);
      expect(post.body).not.toMatch(/petra|Brewing|Brauhaus/i);
    }
  });
});
