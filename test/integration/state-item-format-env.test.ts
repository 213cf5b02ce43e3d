/**
 * A Lambda function's store writes the state item format its environment names (ADR 0037's two-step
 * upgrade, lambdas/aws/shared/store.ts): `LEADPACT_STATE_ITEM_FORMAT=plain` writes every field as an
 * attribute, as a version before ADR 0037 reads it; unset, the compressed body. Both read either. On dynalite,
 * the SDK pointed at it by its endpoint variable as the function's would be.
 */
import { GetItemCommand } from '@aws-sdk/client-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import { describe, expect, it } from 'vitest';
import { BODY_ATTRIBUTE } from '../../lambdas/adapters/lead-item.ts';
import { stateKey } from '../../lambdas/adapters/table-definition.ts';
import { ENV } from '../../lambdas/aws/shared/env.ts';
import { leadStore } from '../../lambdas/aws/shared/store.ts';
import { useDynalite, useLambdaEnvironment } from '../support/dynalite.ts';
import { leadState } from '../support/lead-state.ts';

describe("a function's store writes the format its environment names", () => {
  const dynalite = useDynalite();
  useLambdaEnvironment(dynalite);

  it.each([
    ['unset: the compressed body', undefined, true],
    ['plain: every field an attribute', 'plain', false],
  ])('%s, and the other format reads it back', async (_, format, compressed) => {
    // Arrange
    const env = { [ENV.tableName]: dynalite.tableName, ...(format ? { [ENV.stateItemFormat]: format } : {}) };
    const other = {
      [ENV.tableName]: dynalite.tableName,
      ...(format ? {} : { [ENV.stateItemFormat]: 'plain' }),
    };
    const lead = leadState({ leadId: 'LeadFormatEnv000000001', fields: { company: 'Kessler' } });
    // Act
    await leadStore(env).createLead(lead);
    // Assert
    const { Item } = await dynalite.client.send(
      new GetItemCommand({
        TableName: dynalite.tableName,
        Key: marshall(stateKey(lead.leadId)),
        ConsistentRead: true,
      }),
    );
    expect(BODY_ATTRIBUTE in Item!).toBe(compressed);
    expect('fields' in Item!).toBe(!compressed);
    expect(await leadStore(other).getLead(lead.leadId)).toEqual(lead);
  });
});
