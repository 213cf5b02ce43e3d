/**
 * The events-out function's handler (lambdas/aws/events-out.ts builds its dependencies at init): a batch
 * of stream records publishes each lead named by a new image (and attempts the deliveries just made);
 * anything else (the schedule) is the sweep.
 */
import type { DynamoDBStreamEvent } from 'aws-lambda';
import { EVENTS_INDEX, parseEventsIndexSortKey } from '../../adapters/table-definition.ts';
import type { WebhookDelivery } from '../../domain/webhooks.ts';
import { deliverAll, deliverDue, type EventsOutDeps, publishLead } from '../../tasks/events-out.ts';

/** no delivery starts after this much of an invocation (its timeout is 120 s, a delivery's 15 s) */
const BUDGET_MS = 90_000;

export function eventsOutHandler(deps: EventsOutDeps) {
  return async (event: Partial<DynamoDBStreamEvent>) => {
    const started = Date.now();
    const budget = () => Math.max(0, BUDGET_MS - (Date.now() - started));
    if (Array.isArray(event.Records)) {
      // per lead, the longest story its images in this batch name (the events index key carries it)
      const leads = new Map<string, number | undefined>();
      for (const record of event.Records) {
        const image = record.dynamodb?.NewImage;
        const leadId = image?.leadId?.S;
        if (!leadId) continue;
        const length = parseEventsIndexSortKey(image?.[EVENTS_INDEX.sortKey]?.S ?? '')?.length;
        const known = leads.has(leadId) ? leads.get(leadId) : length;
        leads.set(leadId, known === undefined || length === undefined ? undefined : Math.max(known, length));
      }
      let published = 0;
      const deliveries: WebhookDelivery[] = [];
      for (const [leadId, written] of leads) {
        const report = await publishLead(deps, leadId, written);
        published += report.events.length;
        deliveries.push(...report.deliveries);
      }
      // the batch's deliveries at once, each subscription in its own lanes (a lead's in story order): a receiver
      // that fails or hangs costs one try per batch, not one per lead, and holds up no other subscriber (the
      // bus included); what it, or the budget, leaves undelivered stays due: the sweep takes it
      if (deliveries.length > 0) await deliverAll(deps, deliveries, budget(), { stopOnFailure: true });
      console.log(
        JSON.stringify({ level: 'info', msg: 'events published', leads: leads.size, events: published }),
      );
      return { leads: leads.size, events: published };
    }
    // the schedule: leads the index still lists, then due deliveries: each subscription's due head, in its
    // own lanes, behind the sweep's circuit (ADR 0056), so a receiver that is down delays no other
    let published = 0;
    const listed = await deps.log.leadsWithNewEntries(100, deps.clock.now());
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
}
