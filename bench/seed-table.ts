/**
 * Puts items into a local table (the runtime's, unless named) fast, for benches that need a table of a real team's size: BatchWriteItem
 * of 25 (DynamoDB's limit), eight at a time, unprocessed items sent again.
 */
import { BatchWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { LOCAL_TABLE } from '../local/runtime.ts';

export async function seedTable(
  doc: DynamoDBDocumentClient,
  items: Record<string, unknown>[],
  tableName: string = LOCAL_TABLE,
): Promise<void> {
  const batches: Record<string, unknown>[][] = [];
  for (let i = 0; i < items.length; i += 25) batches.push(items.slice(i, i + 25));
  let next = 0;
  await Promise.all(
    Array.from({ length: 8 }, async () => {
      while (next < batches.length) {
        let pending = batches[next++]!.map((Item) => ({ PutRequest: { Item } }));
        while (pending.length) {
          const out = await doc.send(new BatchWriteCommand({ RequestItems: { [tableName]: pending } }));
          pending = (out.UnprocessedItems?.[tableName] ?? []) as typeof pending;
        }
      }
    }),
  );
}
