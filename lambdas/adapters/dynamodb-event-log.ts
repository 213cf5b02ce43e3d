/**
 * EventLog on the lead table (table-definition.ts, GSI7): leads with entries not yet published are
 * listed by the write itself (the state item carries the index keys while storyLength > eventsPublished),
 * and each webhook delivery is an item of its own, in the index under its status.
 */
import {
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import type { DeliveryStatus, WebhookDelivery } from '../domain/webhooks.ts';
import type { DeliveryFilter, EventLog } from '../ports/events.ts';
import { isConditionalCheckFailed } from './dynamodb-lead-store.ts';
import {
  afterDeliveryQueue,
  DELIVERY_QUEUE_PREFIX,
  DUE_SHARDS,
  deliveryIndexPartition,
  deliveryIndexSortKey,
  deliveryKey,
  deliveryQueuePrefix,
  ENTITIES,
  ENTITY_ATTRIBUTE,
  EVENTS_INDEX,
  EVENTS_SWEEP_KEY,
  eventsCursorKey,
  eventsIndexPartition,
  keyTime,
  PARTITION_KEY,
  parseEventsIndexSortKey,
  SORT_KEY,
  withoutTableAttributes,
} from './table-definition.ts';

type Item = Record<string, unknown>;

/**
 * Deliveries a filtered page of the log reads at most (one request): past it, the page goes out short with a
 * cursor. About 0.5 MB of index items, a few DynamoDB calls.
 */
export const DELIVERY_LOG_READ_BUDGET = 1_000;
/** how many a filtered read asks DynamoDB for at a time (at least): matches may be few among them */
const FILTERED_READ_PAGE = 200;

/** how far behind `now` a sweep's watermark stays: a write stamped before a sweep may land after it */
export const SWEEP_MARGIN_MS = 5 * 60_000;

const watermarkOf = (shard: number) => `w${String(shard).padStart(2, '0')}`;

export class DynamoDbEventLog implements EventLog {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  /**
   * The sweep (ADR 0031): per shard, the state items written since the shard's watermark, oldest first;
   * those whose story is longer than their cursor need publishing. The watermark then moves up to the
   * first of those (a lead still unpublished is looked at again next time), and never past `now` less
   * SWEEP_MARGIN_MS: a write stamped a little before a sweep may land after it.
   */
  async leadsWithNewEntries(limit: number, now = new Date()): Promise<string[]> {
    const { Item: marks = {} } = await this.doc.send(
      new GetCommand({ TableName: this.tableName, Key: EVENTS_SWEEP_KEY, ConsistentRead: true }),
    );
    const margin = `${keyTime(new Date(now.getTime() - SWEEP_MARGIN_MS).toISOString())}#`;
    const shards = await Promise.all(
      Array.from({ length: DUE_SHARDS }, async (_, shard) => {
        const mark = typeof marks[watermarkOf(shard)] === 'string' ? String(marks[watermarkOf(shard)]) : '';
        const { Items = [] } = await this.doc.send(
          new QueryCommand({
            TableName: this.tableName,
            IndexName: EVENTS_INDEX.indexName,
            KeyConditionExpression: '#pk = :pk AND #sk > :mark',
            ExpressionAttributeNames: { '#pk': EVENTS_INDEX.partitionKey, '#sk': EVENTS_INDEX.sortKey },
            ExpressionAttributeValues: { ':pk': eventsIndexPartition(shard), ':mark': mark },
            Limit: limit,
          }),
        );
        const rows = Items.map((item) => {
          const sortKey = String(item[EVENTS_INDEX.sortKey]);
          // a row written before ADR 0031 names no length: published once, then left behind
          const row = parseEventsIndexSortKey(sortKey) ?? {
            at: sortKey,
            leadId: String(item.leadId),
            length: -1,
          };
          return { ...row, sortKey };
        });
        const published = await Promise.all(rows.map((row) => this.publishedThrough(row.leadId)));
        const pending = rows.map((row, i) => row.length < 0 || row.length > published[i]!);
        // the watermark: up to the row before the first unpublished one (or the last row read), never
        // into the margin; a legacy row does not hold it back
        const first = rows.findIndex((row, i) => pending[i] && row.length >= 0);
        const reached =
          first === -1 ? rows.at(-1)?.sortKey : first > 0 ? rows[first - 1]!.sortKey : undefined;
        const next = reached === undefined ? undefined : reached < margin ? reached : margin;
        if (next !== undefined && next > mark) await this.raiseWatermark(shard, next);
        return rows.filter((_, i) => pending[i]);
      }),
    );
    return shards
      .flat()
      .sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0))
      .slice(0, limit)
      .map((row) => row.leadId);
  }

  async publishedThrough(leadId: string): Promise<number> {
    const { Item } = await this.doc.send(
      new GetCommand({ TableName: this.tableName, Key: eventsCursorKey(leadId), ConsistentRead: true }),
    );
    return typeof Item?.published === 'number' ? Item.published : 0;
  }

  /** Moves the lead's cursor up to `seq` (never down): one small item, the state item is not written. */
  async markPublished(leadId: string, _version: number, seq: number): Promise<boolean> {
    try {
      await this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: eventsCursorKey(leadId),
          UpdateExpression: 'SET #published = :seq, #entity = :entity, leadId = :leadId',
          ConditionExpression: 'attribute_not_exists(#published) OR #published < :seq',
          ExpressionAttributeNames: { '#published': 'published', '#entity': ENTITY_ATTRIBUTE },
          ExpressionAttributeValues: { ':seq': seq, ':entity': ENTITIES.eventsCursor, ':leadId': leadId },
        }),
      );
      return true;
    } catch (error) {
      // at or past `seq` already: another publisher was first
      if (isConditionalCheckFailed(error)) return false;
      throw error;
    }
  }

  private async raiseWatermark(shard: number, to: string): Promise<void> {
    try {
      await this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: EVENTS_SWEEP_KEY,
          UpdateExpression: 'SET #mark = :to',
          ConditionExpression: 'attribute_not_exists(#mark) OR #mark < :to',
          ExpressionAttributeNames: { '#mark': watermarkOf(shard) },
          ExpressionAttributeValues: { ':to': to },
        }),
      );
    } catch (error) {
      // a sweep beside this one moved it further already
      if (!isConditionalCheckFailed(error)) throw error;
    }
  }

  async addDelivery(delivery: WebhookDelivery): Promise<'added' | 'exists'> {
    try {
      await this.doc.send(
        new PutCommand({
          TableName: this.tableName,
          Item: deliveryItem(delivery),
          ConditionExpression: 'attribute_not_exists(#sk)',
          ExpressionAttributeNames: { '#sk': SORT_KEY },
        }),
      );
      return 'added';
    } catch (error) {
      if (isConditionalCheckFailed(error)) return 'exists';
      throw error;
    }
  }

  async getDelivery(deliveryId: string): Promise<WebhookDelivery | undefined> {
    const { Item } = await this.doc.send(
      new GetCommand({ TableName: this.tableName, Key: deliveryKey(deliveryId), ConsistentRead: true }),
    );
    return Item ? fromItem(Item) : undefined;
  }

  /**
   * A page of the status's partition, newest first. With a filter (`where`) the index's items are tested as
   * they are read (a FilterExpression: the index projects subscriptionId, eventType and leadId), and reading
   * goes on until the page is full, the partition ends or DELIVERY_LOG_READ_BUDGET items were read: then the
   * page may be short, or empty, and its `next` goes on from the last item read.
   */
  async listDeliveries(
    status: DeliveryStatus,
    options: { limit: number; after?: string; where?: DeliveryFilter },
  ): Promise<{ deliveries: WebhookDelivery[]; next?: string }> {
    const filter = filterOf(options.where ?? {});
    const found: Item[] = [];
    let start = options.after ? decodeCursor(options.after, status) : undefined;
    let read = 0;
    for (;;) {
      const wanted = options.limit - found.length;
      const page = await this.doc.send(
        new QueryCommand({
          TableName: this.tableName,
          IndexName: EVENTS_INDEX.indexName,
          KeyConditionExpression: '#pk = :pk',
          ExpressionAttributeNames: { '#pk': EVENTS_INDEX.partitionKey, ...filter?.names },
          ExpressionAttributeValues: { ':pk': deliveryIndexPartition(status), ...filter?.values },
          ...(filter ? { FilterExpression: filter.expression } : {}),
          ScanIndexForward: false,
          Limit: filter
            ? Math.min(DELIVERY_LOG_READ_BUDGET - read, Math.max(wanted, FILTERED_READ_PAGE))
            : wanted,
          ...(start ? { ExclusiveStartKey: start } : {}),
        }),
      );
      const items = page.Items ?? [];
      read += page.ScannedCount ?? items.length;
      if (items.length >= wanted) {
        // full: the next page starts after the last delivery kept (more were read, or more may follow)
        const kept = items.slice(0, wanted);
        found.push(...kept);
        const more = items.length > wanted || page.LastEvaluatedKey !== undefined;
        return {
          deliveries: found.map(fromItem),
          ...(more ? { next: encodeCursor(indexKeyOf(kept.at(-1)!)) } : {}),
        };
      }
      found.push(...items);
      if (!page.LastEvaluatedKey) return { deliveries: found.map(fromItem) };
      start = page.LastEvaluatedKey;
      if (read >= DELIVERY_LOG_READ_BUDGET)
        return { deliveries: found.map(fromItem), next: encodeCursor(start) };
    }
  }

  /**
   * Each subscription's due head (ADR 0056): per queued status, the subscriptions are found one after the
   * other in the status's partition (one Query of one item each: the next queue's first key), and the due
   * ones read (one Query each, at most `limit`), so a receiver's backlog, however long, never hides another
   * subscription's due deliveries. Deliveries queued under the key before ADR 0056 (one range below a time)
   * are moved to their subscription's queue first, as they come due: one conditional write each, once.
   */
  async dueDeliveries(until: string, limit: number): Promise<WebhookDelivery[]> {
    const bound = `${keyTime(until)}$`;
    const queued = await Promise.all(
      (['pending', 'retrying'] as const).map(async (status) => {
        const partition = deliveryIndexPartition(status);
        await this.requeueOldKeys(partition, bound, limit);
        const out: WebhookDelivery[] = [];
        for (let after = DELIVERY_QUEUE_PREFIX; ; ) {
          const { Items: [head] = [] } = await this.queryIndex(
            partition,
            '#sk > :after',
            { ':after': after },
            1,
          );
          if (!head) break;
          const delivery = fromItem(head);
          const queue = deliveryQueuePrefix(delivery.subscriptionId);
          const end = `${queue}${bound}`;
          if (String(head[EVENTS_INDEX.sortKey]) < end) {
            if (limit === 1) out.push(delivery);
            else {
              const { Items = [] } = await this.queryIndex(
                partition,
                '#sk BETWEEN :queue AND :end',
                { ':queue': queue, ':end': end },
                limit,
              );
              for (const item of Items) out.push(fromItem(item));
            }
          }
          after = afterDeliveryQueue(delivery.subscriptionId);
        }
        return out;
      }),
    );
    return queued.flat().sort((a, b) => ((a.nextAttemptAt ?? '') < (b.nextAttemptAt ?? '') ? -1 : 1));
  }

  async queuedDeliveries(
    status: 'pending' | 'retrying',
    perSubscription: number,
  ): Promise<WebhookDelivery[]> {
    const partition = deliveryIndexPartition(status);
    const newest = { ScanIndexForward: false };
    // queued before ADR 0056 and not moved yet: one range below the queues
    const { Items: old = [] } = await this.queryIndex(
      partition,
      '#sk < :queues',
      { ':queues': DELIVERY_QUEUE_PREFIX },
      perSubscription,
      newest,
    );
    const out = old.map(fromItem);
    for (let after = DELIVERY_QUEUE_PREFIX; ; ) {
      const { Items: [head] = [] } = await this.queryIndex(partition, '#sk > :after', { ':after': after }, 1);
      if (!head) break;
      const { subscriptionId } = fromItem(head);
      after = afterDeliveryQueue(subscriptionId);
      const { Items = [] } = await this.queryIndex(
        partition,
        '#sk BETWEEN :queue AND :end',
        { ':queue': deliveryQueuePrefix(subscriptionId), ':end': after },
        perSubscription,
        newest,
      );
      for (const item of Items) out.push(fromItem(item));
    }
    return out;
  }

  /** deliveries queued before ADR 0056 (`<next attempt>#<id>`) and due: moved to their subscription's queue */
  private async requeueOldKeys(partition: string, bound: string, limit: number): Promise<void> {
    const { Items = [] } = await this.queryIndex(partition, '#sk < :bound', { ':bound': bound }, limit);
    await Promise.all(
      Items.map(async (item) => {
        const delivery = fromItem(item);
        const from = String(item[EVENTS_INDEX.sortKey]);
        const to = deliveryIndexSortKey(
          delivery.status,
          delivery.subscriptionId,
          delivery.nextAttemptAt ?? delivery.createdAt,
          delivery.deliveryId,
        );
        try {
          await this.doc.send(
            new UpdateCommand({
              TableName: this.tableName,
              Key: deliveryKey(delivery.deliveryId),
              UpdateExpression: 'SET #sk = :to',
              // still queued under that key: a sender's outcome (a Put) since then wrote the new one itself
              ConditionExpression: '#pk = :partition AND #sk = :from',
              ExpressionAttributeNames: { '#pk': EVENTS_INDEX.partitionKey, '#sk': EVENTS_INDEX.sortKey },
              ExpressionAttributeValues: { ':partition': partition, ':from': from, ':to': to },
            }),
          );
        } catch (error) {
          if (!isConditionalCheckFailed(error)) throw error;
        }
      }),
    );
  }

  private queryIndex(
    partition: string,
    sortCondition: string,
    values: Record<string, string>,
    limit: number,
    options: { readonly ScanIndexForward?: boolean } = {},
  ): Promise<{ Items?: Item[] }> {
    return this.doc.send(
      new QueryCommand({
        TableName: this.tableName,
        IndexName: EVENTS_INDEX.indexName,
        KeyConditionExpression: `#pk = :pk AND ${sortCondition}`,
        ExpressionAttributeNames: { '#pk': EVENTS_INDEX.partitionKey, '#sk': EVENTS_INDEX.sortKey },
        ExpressionAttributeValues: { ':pk': partition, ...values },
        Limit: limit,
        ...options,
      }),
    );
  }

  async claimDelivery(
    deliveryId: string,
    now: string,
    leaseUntil: string,
  ): Promise<WebhookDelivery | undefined> {
    try {
      const { Attributes } = await this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: deliveryKey(deliveryId),
          UpdateExpression: 'SET #lease = :until',
          ConditionExpression:
            'attribute_exists(#sk) AND #status IN (:pending, :retrying) AND (attribute_not_exists(#lease) OR #lease < :now)',
          ExpressionAttributeNames: { '#lease': 'leaseUntil', '#sk': SORT_KEY, '#status': 'status' },
          ExpressionAttributeValues: {
            ':until': leaseUntil,
            ':now': now,
            ':pending': 'pending',
            ':retrying': 'retrying',
          },
          ReturnValues: 'ALL_NEW',
        }),
      );
      return Attributes ? fromItem(Attributes) : undefined;
    } catch (error) {
      if (isConditionalCheckFailed(error)) return undefined;
      throw error;
    }
  }

  async saveDelivery(delivery: WebhookDelivery): Promise<void> {
    await this.doc.send(new PutCommand({ TableName: this.tableName, Item: deliveryItem(delivery) }));
  }

  async saveDeliveryUnlessLeased(delivery: WebhookDelivery, now: string): Promise<boolean> {
    try {
      await this.doc.send(
        new PutCommand({
          TableName: this.tableName,
          Item: deliveryItem(delivery),
          ConditionExpression: 'attribute_not_exists(#lease) OR #lease < :now',
          ExpressionAttributeNames: { '#lease': 'leaseUntil' },
          ExpressionAttributeValues: { ':now': now },
        }),
      );
      return true;
    } catch (error) {
      if (isConditionalCheckFailed(error)) return false;
      throw error;
    }
  }
}

function deliveryItem(delivery: WebhookDelivery): Item {
  const when =
    delivery.status === 'delivered'
      ? delivery.deliveredAt
      : delivery.status === 'failed'
        ? delivery.lastAttemptAt
        : delivery.nextAttemptAt;
  return {
    ...delivery,
    ...deliveryKey(delivery.deliveryId),
    [ENTITY_ATTRIBUTE]: ENTITIES.delivery,
    [EVENTS_INDEX.partitionKey]: deliveryIndexPartition(delivery.status),
    [EVENTS_INDEX.sortKey]: deliveryIndexSortKey(
      delivery.status,
      delivery.subscriptionId,
      when ?? delivery.createdAt,
      delivery.deliveryId,
    ),
  };
}

function fromItem(item: Item): WebhookDelivery {
  return withoutTableAttributes<WebhookDelivery>(item);
}

/** The FilterExpression of a filter (undefined: none), on attributes the events index projects. */
function filterOf(
  where: DeliveryFilter,
): { expression: string; names: Record<string, string>; values: Record<string, string> } | undefined {
  const tests = (['subscriptionId', 'eventType', 'leadId'] as const).flatMap((name) => {
    const value = where[name];
    return value === undefined ? [] : [{ name, value }];
  });
  if (tests.length === 0) return undefined;
  return {
    expression: tests.map(({ name }) => `#${name} = :${name}`).join(' AND '),
    names: Object.fromEntries(tests.map(({ name }) => [`#${name}`, name])),
    values: Object.fromEntries(tests.map(({ name, value }) => [`:${name}`, value])),
  };
}

/** Where a page read up to an item ends: its table and index keys, as DynamoDB's LastEvaluatedKey names them. */
function indexKeyOf(item: Item): Record<string, unknown> {
  return Object.fromEntries(
    [PARTITION_KEY, SORT_KEY, EVENTS_INDEX.partitionKey, EVENTS_INDEX.sortKey].map((name) => [
      name,
      item[name],
    ]),
  );
}

function encodeCursor(key: Record<string, unknown>): string {
  return Buffer.from(JSON.stringify(key)).toString('base64url');
}

/** The cursor of a page of `status`; anything else is a RangeError (the handler answers 400). */
function decodeCursor(cursor: string, status: DeliveryStatus): Record<string, unknown> {
  let key: unknown;
  try {
    key = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw new RangeError('not a cursor');
  }
  const names = ['pk', 'sk', EVENTS_INDEX.partitionKey, EVENTS_INDEX.sortKey];
  const valid =
    typeof key === 'object' &&
    key !== null &&
    Object.keys(key).length === names.length &&
    names.every((name) => typeof (key as Record<string, unknown>)[name] === 'string') &&
    (key as Record<string, unknown>)[EVENTS_INDEX.partitionKey] === deliveryIndexPartition(status) &&
    String((key as Record<string, unknown>).pk).startsWith('DELIVERY#');
  if (!valid) throw new RangeError('not a cursor');
  return key as Record<string, unknown>;
}
