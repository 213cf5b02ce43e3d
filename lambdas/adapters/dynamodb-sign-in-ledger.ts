/**
 * The console's sign-in state on DynamoDB (ports/sign-in-ledger.ts), with the console function's grants
 * alone (GetItem, PutItem, Query, and UpdateItem for the counts: lib/api.ts), no transactions, no TTL
 * (decision 0003):
 * - used sign-in links: one item per link (`SIGNIN#<nonce>`), put with attribute_not_exists;
 * - sessions: `PERSON#<role>#<id>` / `SESSION#<session id>`, put at sign-in, put again with `endedAt`
 *   at sign-out or revocation; a request reads its session item (GetItem, consistent);
 * - revocation: `PERSON#<role>#<id>` / `REVOKED` with the time, then every open session item of the
 *   partition (Query, consistent) is ended;
 * - sign-in email counts: `PERSON#<role>#<id>` / `EMAILS#<window>`, one UpdateItem (ADD, on the condition
 *   that the count is under the cap and the ask is not the last one counted) per email; a refused one reads
 *   the item (GetItem, consistent) to tell a full window from this ask counted already.
 * Items are ~100 bytes per sign-in and are never read again once expired (`expiresAt` says when they may be deleted).
 */
import {
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import type { PersonKey, SignInLedger } from '../ports/sign-in-ledger.ts';
import { isConditionalCheckFailed } from './dynamodb-lead-store.ts';
import {
  ENTITIES,
  ENTITY_ATTRIBUTE,
  PARTITION_KEY,
  personPartition,
  revocationKey,
  SESSION_SK_PREFIX,
  SORT_KEY,
  sessionKey,
  signInEmailsKey,
  signInKey,
} from './table-definition.ts';

export class DynamoDbSignInLedger implements SignInLedger {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async claim(nonce: string, expiresAt: string): Promise<'claimed' | 'used'> {
    try {
      await this.doc.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...signInKey(nonce), [ENTITY_ATTRIBUTE]: ENTITIES.signIn, expiresAt },
          ConditionExpression: 'attribute_not_exists(#sk)',
          ExpressionAttributeNames: { '#sk': SORT_KEY },
        }),
      );
      return 'claimed';
    } catch (error) {
      if (isConditionalCheckFailed(error)) return 'used';
      throw error;
    }
  }

  async wasClaimed(nonce: string): Promise<boolean> {
    const { Item } = await this.doc.send(
      new GetCommand({ TableName: this.tableName, Key: signInKey(nonce), ConsistentRead: true }),
    );
    return Item !== undefined;
  }

  async openSession(person: PersonKey, sessionId: string, expiresAt: string): Promise<void> {
    try {
      await this.doc.send(
        new PutCommand({
          TableName: this.tableName,
          Item: sessionItem(person, sessionId, { expiresAt }),
          // a session id is random: never reopen one that was ended
          ConditionExpression: 'attribute_not_exists(#sk)',
          ExpressionAttributeNames: { '#sk': SORT_KEY },
        }),
      );
    } catch (error) {
      if (!isConditionalCheckFailed(error)) throw error;
    }
  }

  async sessionLive(person: PersonKey, sessionId: string): Promise<boolean> {
    const { Item } = await this.doc.send(
      new GetCommand({
        TableName: this.tableName,
        Key: sessionKey(person.role, person.id, sessionId),
        ConsistentRead: true,
      }),
    );
    return Item !== undefined && Item.endedAt === undefined;
  }

  async endSession(person: PersonKey, sessionId: string, at: string): Promise<void> {
    // a put, not an update: the ended record stays ended, whatever it held
    await this.doc.send(
      new PutCommand({
        TableName: this.tableName,
        Item: sessionItem(person, sessionId, { endedAt: at }),
      }),
    );
  }

  async revokePerson(person: PersonKey, at: string): Promise<number> {
    // the mark first: a sign-in that opens a session after the Query below reads it and ends its own session
    await this.doc.send(
      new PutCommand({
        TableName: this.tableName,
        Item: { ...revocationKey(person.role, person.id), [ENTITY_ATTRIBUTE]: ENTITIES.revocation, at },
      }),
    );
    let ended = 0;
    let start: Record<string, unknown> | undefined;
    do {
      const page = await this.doc.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: '#pk = :pk AND begins_with(#sk, :session)',
          ExpressionAttributeNames: { '#pk': PARTITION_KEY, '#sk': SORT_KEY },
          ExpressionAttributeValues: {
            ':pk': personPartition(person.role, person.id),
            ':session': SESSION_SK_PREFIX,
          },
          ConsistentRead: true,
          ...(start ? { ExclusiveStartKey: start } : {}),
        }),
      );
      for (const item of page.Items ?? []) {
        if (item.endedAt !== undefined || typeof item.sessionId !== 'string') continue;
        await this.endSession(person, item.sessionId, at);
        ended++;
      }
      start = page.LastEvaluatedKey;
    } while (start);
    return ended;
  }

  async revokedAt(person: PersonKey): Promise<string | undefined> {
    const { Item } = await this.doc.send(
      new GetCommand({
        TableName: this.tableName,
        Key: revocationKey(person.role, person.id),
        ConsistentRead: true,
      }),
    );
    return typeof Item?.at === 'string' ? Item.at : undefined;
  }

  async countEmail(
    person: PersonKey,
    window: string,
    cap: number,
    ask: string,
    expiresAt: string,
  ): Promise<'counted' | 'full'> {
    const Key = signInEmailsKey(person.role, person.id, window);
    try {
      await this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key,
          UpdateExpression: 'SET #entity = :entity, #lastAsk = :ask, #expiresAt = :expiresAt ADD #count :one',
          // under the cap, and not this ask again (an SDK retry of a write that counted, its answer lost)
          ConditionExpression:
            '(attribute_not_exists(#count) OR #count < :cap) AND (attribute_not_exists(#lastAsk) OR #lastAsk <> :ask)',
          ExpressionAttributeNames: {
            '#entity': ENTITY_ATTRIBUTE,
            '#count': 'count',
            '#lastAsk': 'lastAsk',
            '#expiresAt': 'expiresAt',
          },
          ExpressionAttributeValues: {
            ':entity': ENTITIES.signInEmails,
            ':ask': ask,
            ':expiresAt': expiresAt,
            ':one': 1,
            ':cap': cap,
          },
        }),
      );
      return 'counted';
    } catch (error) {
      if (!isConditionalCheckFailed(error)) throw error;
    }
    // refused: the window is full, or this very ask counted already
    const { Item } = await this.doc.send(
      new GetCommand({ TableName: this.tableName, Key, ConsistentRead: true }),
    );
    return Item?.lastAsk === ask ? 'counted' : 'full';
  }
}

/** A session's item: opened (`expiresAt`) or ended (`endedAt`). */
function sessionItem(
  person: PersonKey,
  sessionId: string,
  state: { expiresAt: string } | { endedAt: string },
) {
  return {
    ...sessionKey(person.role, person.id, sessionId),
    [ENTITY_ATTRIBUTE]: ENTITIES.session,
    sessionId,
    ...state,
  };
}
