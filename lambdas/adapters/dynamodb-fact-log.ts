/**
 * Report facts on DynamoDB: after each lead state written, the facts of its latest change
 * (domain/report-facts.ts latestFacts) go into the lead's partition, one item per fact under a key
 * that is the fact's identity, each with one conditional put (attribute_not_exists), all at once: a retry, a
 * repeated write or two writers at once store it once, and nothing counts twice. No counter, no shared
 * item: the report reads facts by day (GSI2, `FACTS#<day>`).
 */
import { BatchWriteCommand, type DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { LeadState } from '../domain/lead-state.ts';
import { type LeadFact, latestFacts } from '../domain/report-facts.ts';
import type { Sla } from '../domain/sla-schema.ts';
import type { LeadWriteObserver } from '../ports/lead-queries.ts';
import { allSettledOrThrow } from '../ports/lead-store.ts';
import { isConditionalCheckFailed } from './dynamodb-lead-store.ts';
import { ENTITIES, ENTITY_ATTRIBUTE, factKeys, SORT_KEY, sentKey } from './table-definition.ts';

export class DynamoDbFactLog implements LeadWriteObserver {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly sla: Sla,
  ) {}

  /**
   * The facts and the outbox mark of the park's claim (ADR 0025) in one BatchWriteItem: plain puts, each
   * under its identity key, so a repeat writes the same items; UnprocessedItems are sent again.
   */
  async leadWrittenAndSent(
    state: LeadState,
    mark: { claim: string; at: string },
    since?: number,
  ): Promise<void> {
    let pending: Record<string, unknown>[] = [
      ...latestFacts(this.sla, state, since).map((fact) => ({
        ...factKeys(fact),
        [ENTITY_ATTRIBUTE]: ENTITIES.fact,
        leadId: fact.leadId,
        fact,
      })),
      { ...sentKey(state.leadId, mark.claim), [ENTITY_ATTRIBUTE]: ENTITIES.sent, at: mark.at },
    ].map((Item) => ({ PutRequest: { Item } }));
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
