/**
 * Report facts on DynamoDB: after each lead state written, the facts of its latest change
 * (domain/report-facts.ts latestFacts) go into the lead's partition, one item per fact under a key
 * that is the fact's identity, each with one conditional put (attribute_not_exists), all at once: a retry, a
 * repeated write or two writers at once store it once, and nothing counts twice. No counter, no shared
 * item: the report reads facts by day (GSI2, `FACTS#<day>`).
 */
import {
  BatchGetCommand,
  BatchWriteCommand,
  type DynamoDBDocumentClient,
  PutCommand,
} from '@aws-sdk/lib-dynamodb';
import type { LeadState } from '../domain/lead-state.ts';
import { type LeadFact, latestFacts } from '../domain/report-facts.ts';
import type { Sla } from '../domain/sla-schema.ts';
import type { LeadWriteObserver } from '../ports/lead-queries.ts';
import { allSettledOrThrow } from '../ports/lead-store.ts';
import { isConditionalCheckFailed } from './dynamodb-lead-store.ts';
import {
  ENTITIES,
  ENTITY_ATTRIBUTE,
  factKeys,
  PARTITION_KEY,
  SORT_KEY,
  sentKey,
} from './table-definition.ts';

/** DynamoDB's BatchGetItem limit */
const BATCH_GET_LIMIT = 100;
/** DynamoDB's BatchWriteItem limit */
const BATCH_WRITE_LIMIT = 25;

export class DynamoDbFactLog implements LeadWriteObserver {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly sla: Sla,
  ) {}

  /**
   * The facts and the outbox mark of the park's claim (ADR 0025) in one BatchWriteItem (one per 25 puts,
   * DynamoDB's limit: a change with more facts was refused whole, the mark with it; the mark goes last): plain
   * puts, each under its identity key, so a repeat writes the same items; UnprocessedItems are sent again.
   */
  async leadWrittenAndSent(
    state: LeadState,
    mark: { claim: string; at: string },
    since?: number,
  ): Promise<void> {
    const puts: Record<string, unknown>[] = [
      ...latestFacts(this.sla, state, since).map((fact) => ({
        ...factKeys(fact),
        [ENTITY_ATTRIBUTE]: ENTITIES.fact,
        leadId: fact.leadId,
        fact,
      })),
      { ...sentKey(state.leadId, mark.claim), [ENTITY_ATTRIBUTE]: ENTITIES.sent, at: mark.at },
    ].map((Item) => ({ PutRequest: { Item } }));
    for (let i = 0; i < puts.length; i += BATCH_WRITE_LIMIT) {
      let pending = puts.slice(i, i + BATCH_WRITE_LIMIT);
      for (let attempt = 1; pending.length > 0; attempt++) {
        if (attempt > 1) {
          if (attempt > 6) throw new Error(`BatchWriteItem left ${pending.length} puts unprocessed`);
          await new Promise((resolve) => setTimeout(resolve, Math.random() * 25 * 2 ** attempt));
        }
        const { UnprocessedItems } = await this.doc.send(
          new BatchWriteCommand({ RequestItems: { [this.tableName]: pending as never } }),
        );
        pending = (UnprocessedItems?.[this.tableName] ?? []) as Record<string, unknown>[];
      }
    }
  }

  /**
   * The facts of `state`'s entries from `since` on that are not stored yet (the events publisher's repair of
   * a write that lost them, ADR 0016): one BatchGetItem of their keys (eventually consistent: a fact stored a
   * moment ago and not seen is put again, refused by its condition), then a conditional put of each one
   * missing. A read unit where a refused put cost a write unit, and one request where there was one per fact.
   */
  async putMissing(state: LeadState, since?: number): Promise<void> {
    const facts = latestFacts(this.sla, state, since);
    if (facts.length === 0) return;
    const stored = new Set<string>();
    for (let i = 0; i < facts.length; i += BATCH_GET_LIMIT) {
      let keys: Record<string, unknown>[] = facts.slice(i, i + BATCH_GET_LIMIT).map((fact) => {
        const { pk, sk } = factKeys(fact);
        return { [PARTITION_KEY]: pk, [SORT_KEY]: sk };
      });
      for (let attempt = 1; keys.length > 0; attempt++) {
        if (attempt > 1) {
          if (attempt > 6) throw new Error(`BatchGetItem left ${keys.length} keys unprocessed`);
          await new Promise((resolve) => setTimeout(resolve, Math.random() * 25 * 2 ** attempt));
        }
        const { Responses, UnprocessedKeys } = await this.doc.send(
          new BatchGetCommand({
            RequestItems: {
              [this.tableName]: {
                Keys: keys,
                ProjectionExpression: '#sk',
                ExpressionAttributeNames: { '#sk': SORT_KEY },
              },
            },
          }),
        );
        for (const item of Responses?.[this.tableName] ?? []) stored.add(String(item[SORT_KEY]));
        keys = (UnprocessedKeys?.[this.tableName]?.Keys ?? []) as Record<string, unknown>[];
      }
    }
    await allSettledOrThrow(
      facts.filter((fact) => !stored.has(factKeys(fact).sk)).map((fact) => this.putOnce(fact)),
    );
  }

  /** The facts' puts at once (independent items): one round trip however many; each is tried. */
  async leadWritten(state: LeadState, since?: number): Promise<void> {
    await allSettledOrThrow(latestFacts(this.sla, state, since).map((fact) => this.putOnce(fact)));
  }

  private async putOnce(fact: LeadFact): Promise<void> {
    try {
      await this.doc.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...factKeys(fact), [ENTITY_ATTRIBUTE]: ENTITIES.fact, leadId: fact.leadId, fact },
          ConditionExpression: 'attribute_not_exists(#sk)',
          ExpressionAttributeNames: { '#sk': SORT_KEY },
        }),
      );
    } catch (error) {
      if (!isConditionalCheckFailed(error)) throw error;
    }
  }
}
