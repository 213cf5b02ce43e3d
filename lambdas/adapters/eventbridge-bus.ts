/**
 * EventBus on Amazon EventBridge: one PutEvents per call (at most 10 events), `source` leadpact,
 * `detail-type` the event's type (`lead.stage_changed`, ...), `detail` the event itself. A partial failure
 * throws, so the sender retries: a rule's target may see an event twice, always with the same `detail.id`.
 */
import { type EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { EVENT_SOURCE, type LeadEvent } from '../domain/lead-events.ts';
import type { EventBus } from '../ports/events.ts';

export class EventBridgeBus implements EventBus {
  constructor(
    private readonly client: EventBridgeClient,
    private readonly busName: string,
  ) {}

  async publish(events: readonly LeadEvent[]): Promise<void> {
    if (events.length === 0) return;
    const { FailedEntryCount, Entries } = await this.client.send(
      new PutEventsCommand({
        Entries: events.map((event) => ({
          EventBusName: this.busName,
          Source: EVENT_SOURCE,
          DetailType: event.type,
          Time: new Date(event.time),
          Resources: [],
          Detail: JSON.stringify(event),
        })),
      }),
    );
    if (FailedEntryCount) {
      const codes = (Entries ?? []).flatMap((entry) => (entry.ErrorCode ? [entry.ErrorCode] : []));
      throw new Error(
        `EventBridge refused ${FailedEntryCount} of ${events.length} events (${codes.join(', ')})`,
      );
    }
  }
}
