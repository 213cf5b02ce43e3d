/**
 * takeWaitToken's UpdateItem on dynalite, against the rest of the store: the state item it leaves carries
 * exactly the index attributes a full write of that state would (table-definition.ts leadIndexKeys: the due
 * index moved, the owner, stage, search and events indexes as they were), and a writer that read the lead
 * before the signal took the token cannot put it back (its conditional put on the version it read fails).
 */
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { DynamoDbLeadStore } from '../../lambdas/adapters/dynamodb-lead-store.ts';
import { GLOBAL_INDEXES, leadIndexKeys, stateKey } from '../../lambdas/adapters/table-definition.ts';
import type { LeadState } from '../../lambdas/ports/lead-store.ts';
import { useDynalite } from '../support/dynalite.ts';
import { FIXTURE_LEAD_ID, handedOff } from '../support/lead-state.ts';

const HANDED = '2026-11-30T08:00:00.000Z';
const NOW = '2026-11-30T12:00:00.000Z';
const INDEX_ATTRIBUTES = GLOBAL_INDEXES.flatMap((index) => [index.partitionKey, index.sortKey]);

describe('takeWaitToken on DynamoDB (dynalite): the item and its writers', () => {
  const dynalite = useDynalite();
  const store = () => new DynamoDbLeadStore(dynalite.doc, { tableName: dynalite.tableName });
  const indexAttributes = async () => {
    const { Item } = await dynalite.doc.send(
      new GetCommand({ TableName: dynalite.tableName, Key: stateKey(FIXTURE_LEAD_ID), ConsistentRead: true }),
    );
    return Object.fromEntries(Object.entries(Item ?? {}).filter(([name]) => INDEX_ATTRIBUTES.includes(name)));
  };

  it.each([
    ['parked until later', '2026-12-07T12:00:00.000Z'],
    ['overdue already', '2026-11-30T11:00:00.000Z'],
    ['no deadline', undefined],
  ])('leaves the index attributes a full write of the state would (%s)', async (_case, dueAt) => {
    // Arrange
    const leads = store();
    const lead: LeadState = handedOff(HANDED, 'jonas', {
      leadId: FIXTURE_LEAD_ID,
      waitToken: 'token-1',
      ...(dueAt ? { dueAt } : {}),
    });
    await leads.createLead(lead);
    // Act
    const taken = await leads.takeWaitToken(FIXTURE_LEAD_ID, 'token-1', NOW);
    // Assert
    const after = (await leads.getLead(FIXTURE_LEAD_ID))!;
    expect(taken).toBe(true);
    expect(await indexAttributes()).toEqual(leadIndexKeys(after));
  });

  it('a writer that read the lead with the token cannot write it back after the signal took it', async () => {
    // Arrange
    const leads = store();
    await leads.createLead(
      handedOff(HANDED, 'jonas', {
        leadId: FIXTURE_LEAD_ID,
        waitToken: 'token-1',
        dueAt: '2026-12-07T12:00:00.000Z',
      }),
    );
    const read = (await leads.getLead(FIXTURE_LEAD_ID))!;
    // Act
    const taken = await leads.takeWaitToken(FIXTURE_LEAD_ID, 'token-1', NOW);
    const put = await leads.saveLead(
      { ...read, version: read.version + 1, updatedAt: NOW },
      read.version,
      read,
    );
    // Assert
    expect(taken).toBe(true);
    expect(put).toBe('conflict');
    expect((await leads.getLead(FIXTURE_LEAD_ID))?.waitToken).toBeUndefined();
  });
});
