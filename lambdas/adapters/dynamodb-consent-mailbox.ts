/**
 * A mailbox's confirmation-email claim on DynamoDB (LeadStore.claimConsentMailbox, ADR 0075): one conditional
 * PutItem of its own item (`MAILBOX#<hash>` / `CONSENT`), no read, no transaction. Taken when there is none,
 * when its window is over (`until` compared in the condition: dynalite has no TTL, and a stale item is simply
 * overwritten), or when it is the same request's (a wake retried after its put landed). Concurrent requests
 * for one mailbox: one put wins, the others fail their condition.
 */
import { type DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { MailboxClaim } from '../domain/mailbox.ts';
import { isConditionalCheckFailed } from './dynamodb-lead-store.ts';
import { consentMailboxKey, ENTITIES, ENTITY_ATTRIBUTE, PARTITION_KEY } from './table-definition.ts';

export async function claimConsentMailbox(
  doc: DynamoDBDocumentClient,
  tableName: string,
  claim: MailboxClaim,
): Promise<'claimed' | 'taken'> {
  try {
    await doc.send(
      new PutCommand({
        TableName: tableName,
        Item: {
          ...consentMailboxKey(claim.mailbox),
          [ENTITY_ATTRIBUTE]: ENTITIES.consentMailbox,
          requestId: claim.requestId,
          at: claim.at,
          until: claim.until,
          // when the item may be deleted (nothing reads it after its window)
          expiresAt: claim.until,
        },
        ConditionExpression: 'attribute_not_exists(#pk) OR #until <= :at OR #requestId = :requestId',
        ExpressionAttributeNames: { '#pk': PARTITION_KEY, '#until': 'until', '#requestId': 'requestId' },
        ExpressionAttributeValues: { ':at': claim.at, ':requestId': claim.requestId },
      }),
    );
    return 'claimed';
  } catch (error) {
    if (isConditionalCheckFailed(error)) return 'taken';
    throw error;
  }
}
