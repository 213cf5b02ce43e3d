/**
 * Used sign-in links on DynamoDB: one item per link (`SIGNIN#<nonce>`), put with
 * attribute_not_exists. No TTL (decision 0003): an item is ~100 bytes per sign-in and is never read
 * again once the link has expired (`expiresAt` says when it may be deleted).
 */
import { type DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { SignInLedger } from '../ports/sign-in-ledger.ts';
import { isConditionalCheckFailed } from './dynamodb-lead-store.ts';
import { ENTITIES, ENTITY_ATTRIBUTE, SORT_KEY, signInKey } from './table-definition.ts';

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
}
