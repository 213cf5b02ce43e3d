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
import type { EventLog } from '../ports/events.ts';
import { isConditionalCheckFailed } from './dynamodb-lead-store.ts';
import {
  DUE_SHARDS,
  deliveryIndexPartition,
  deliveryKey,
  ENTITIES,
  ENTITY_ATTRIBUTE,
  EVENTS_INDEX,
  eventsIndexPartition,
  keyTime,
  SORT_KEY,
  stateKey,
  TABLE_ATTRIBUTES,
} from './table-definition.ts';

type Item = Record<string, unknown>;

export class DynamoDbEventLog implements EventLog {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async leadsWithNewEntries(limit: number): Promise<string[]> {
    const shards = await Promise.all(
      Array.from({ length: DUE_SHARDS }, async (_, shard) => {
        const { Items } = await this.doc.send(
          new QueryCommand({
            TableName: this.tableName,
            IndexName: EVENTS_INDEX.indexName,
            KeyConditionExpression: '#pk = :pk',
            ExpressionAttributeNames: { '#pk': EVENTS_INDEX.partitionKey },
            ExpressionAttributeValues: { ':pk': eventsIndexPartition(shard) },
            Limit: limit,
          }),
        );
        return (Items ?? []).map((item) => ({
          leadId: String(item.leadId),
          at: String(item[EVENTS_INDEX.sortKey]),
        }));
      }),
    );
    return shards
      .flat()
      .sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0))
      .slice(0, limit)
      .map((lead) => lead.leadId);
  }

  async markPublished(leadId: string, version: number, seq: number): Promise<boolean> {
    try {
      await this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: stateKey(leadId),
          UpdateExpression: 'SET #published = :seq REMOVE #gpk, #gsk',
          ConditionExpression: '#version = :version',
          ExpressionAttributeNames: {
            '#published': 'eventsPublished',
            '#version': 'version',
            '#gpk': EVENTS_INDEX.partitionKey,
            '#gsk': EVENTS_INDEX.sortKey,
          },
          ExpressionAttributeValues: { ':seq': seq, ':version': version },
        }),
      );
      return true;
    } catch (error) {
      if (isConditionalCheckFailed(error)) return false;
      throw error;
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

  async listDeliveries(
    status: DeliveryStatus,
    options: { limit: number; after?: string },
  ): Promise<{ deliveries: WebhookDelivery[]; next?: string }> {
    const page = await this.doc.send(
      new QueryCommand({
        TableName: this.tableName,
        IndexName: EVENTS_INDEX.indexName,
        KeyConditionExpression: '#pk = :pk',
        ExpressionAttributeNames: { '#pk': EVENTS_INDEX.partitionKey },
        ExpressionAttributeValues: { ':pk': deliveryIndexPartition(status) },
        ScanIndexForward: false,
        Limit: options.limit,
        ...(options.after ? { ExclusiveStartKey: decodeCursor(options.after, status) } : {}),
      }),
    );
    return {
      deliveries: (page.Items ?? []).map((item) => fromItem(item)),
      ...(page.LastEvaluatedKey ? { next: encodeCursor(page.LastEvaluatedKey) } : {}),
    };
  }

  async dueDeliveries(until: string, limit: number): Promise<WebhookDelivery[]> {
    const bound = `${keyTime(until)}$`;
    const out: WebhookDelivery[] = [];
    for (const status of ['pending', 'retrying'] as const) {
      const { Items } = await this.doc.send(
        new QueryCommand({
          TableName: this.tableName,
          IndexName: EVENTS_INDEX.indexName,
          KeyConditionExpression: '#pk = :pk AND #sk < :bound',
          ExpressionAttributeNames: { '#pk': EVENTS_INDEX.partitionKey, '#sk': EVENTS_INDEX.sortKey },
          ExpressionAttributeValues: { ':pk': deliveryIndexPartition(status), ':bound': bound },
          Limit: limit,
        }),
      );
      for (const item of Items ?? []) out.push(fromItem(item));
    }
    return out.sort((a, b) => ((a.nextAttemptAt ?? '') < (b.nextAttemptAt ?? '') ? -1 : 1)).slice(0, limit);
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
    [EVENTS_INDEX.sortKey]: `${keyTime(when ?? delivery.createdAt)}#${delivery.deliveryId}`,
  };
}

function fromItem(item: Item): WebhookDelivery {
  const out: Item = { ...item };
  for (const name of TABLE_ATTRIBUTES) delete out[name];
  return out as unknown as WebhookDelivery;
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
