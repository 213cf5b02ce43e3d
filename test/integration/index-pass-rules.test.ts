/**
 * The index pass, the SLA migration and the bounce handler as their Lambda functions build their stores
 * (lambdas/aws/reconcile-leads.ts, migrate-leads.ts, mail-feedback.ts): the next-step index (GSI10, ADR 0053) is sparse by the SLA's rule (a
 * lead past its contact phase, connected or disqualified, gets no entry). A store built without that rule
 * gave every such lead at rest an entry, and counted its attempts for it (one Query each): entries no writer
 * with the SLA makes, that "Due today" reads in every owner's range for as long as the lead rests.
 */
import { GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { beforeEach, describe, expect, it } from 'vitest';
import { DynamoDbLeadStore } from '../../lambdas/adapters/dynamodb-lead-store.ts';
import { NEXT_STEP_INDEX, stateKey } from '../../lambdas/adapters/table-definition.ts';
import { ENV } from '../../lambdas/aws/shared/env.ts';
import { encodeBundledSla } from '../../lambdas/aws/shared/sla-define.ts';
import type { LeadState } from '../../lambdas/domain/lead-state.ts';
import { statusFor } from '../../lambdas/domain/lifecycle.ts';
import { leadPastContact } from '../../lambdas/domain/sla-standing.ts';
import { INDEX_KEYS_VERSION } from '../../lambdas/ports/lead-store.ts';
import { useDynalite, useLambdaEnvironment } from '../support/dynalite.ts';
import { handedOff } from '../support/lead-state.ts';
import { loadDefaultSla } from '../support/sla.ts';

const sla = loadDefaultSla();
const AT = '2026-11-30T08:00:00.000Z';

describe('the index pass as the reconciler function runs it', () => {
  const dynamo = useDynalite();
  useLambdaEnvironment(dynamo);
  beforeEach(() => {
    process.env[ENV.tableName] = dynamo.tableName;
    process.env[ENV.stateMachineArn] = 'arn:aws:states:eu-central-1:123456789012:stateMachine:test';
    // what esbuild's define puts in the bundle (lib/leadpact-function.ts slaDefine)
    (globalThis as Record<string, unknown>).__LEADPACT_SLA__ = encodeBundledSla(JSON.stringify(sla));
  });

  /** a lead written by a writer with the SLA, then its item as before GSI10: no facts, no next-step entry */
  const atRestBeforeGsi10 = async (leadId: string, lead: LeadState) => {
    const store = new DynamoDbLeadStore(dynamo.doc, {
      tableName: dynamo.tableName,
      indexRules: { pastContact: (state) => leadPastContact(sla, state) },
    });
    await store.createLead(lead);
    await dynamo.doc.send(
      new UpdateCommand({
        TableName: dynamo.tableName,
        Key: stateKey(leadId),
        UpdateExpression: 'REMOVE cadenceLog, gsi10pk, gsi10sk, gsi9pk, gsi9sk',
      }),
    );
  };
  const itemOf = async (leadId: string) =>
    (
      await dynamo.doc.send(
        new GetCommand({ TableName: dynamo.tableName, Key: stateKey(leadId), ConsistentRead: true }),
      )
    ).Item!;

  it('gives a lead in contact its next-step entry, and none to a connected or a disqualified one', async () => {
    // Arrange
    const lead = (leadId: string, status: string) =>
      handedOff(AT, 'jonas', { leadId, email: `${leadId}@plant.example`, status, createdAt: AT });
    const leads = {
      attempting: lead('PassRulesAttempting0001', 'new'),
      connected: lead('PassRulesConnected00001', statusFor(sla, 'connected')),
      disqualified: lead('PassRulesDisqualified01', statusFor(sla, 'disqualified')),
    };
    for (const [, state] of Object.entries(leads)) await atRestBeforeGsi10(state.leadId, state);
    // the pass noted this version long enough ago to walk (INDEX_PASS_WAIT_MS)
    await new DynamoDbLeadStore(dynamo.doc, { tableName: dynamo.tableName }).saveIndexPass(
      { version: INDEX_KEYS_VERSION, stage: 0, revision: 1, checked: 0, indexed: 0, startedAt: AT },
      undefined,
    );
    expect(leadPastContact(sla, leads.connected) && leadPastContact(sla, leads.disqualified)).toBe(true);
    const { handler } = await import('../../lambdas/aws/reconcile-leads.ts');
    // Act
    await handler();
    // Assert: the pass ran (the lead in contact has its entry), and gave the others what a writer would
    expect((await itemOf(leads.attempting.leadId))[NEXT_STEP_INDEX.partitionKey]).toBe('STEP#jonas');
    expect((await itemOf(leads.connected.leadId))[NEXT_STEP_INDEX.partitionKey]).toBeUndefined();
    expect((await itemOf(leads.disqualified.leadId))[NEXT_STEP_INDEX.partitionKey]).toBeUndefined();
    expect((await itemOf(leads.disqualified.leadId)).cadenceLog).toBeUndefined();
  });

  it('the bounce handler, marking a connected lead undeliverable, gives it no next-step entry', async () => {
    // Arrange: a connected lead (with sales: no cadence step) as the API wrote it; a complaint of an email it
    // got while nurtured comes in late
    const leadId = 'FeedbackConnected000001';
    const lead = handedOff(AT, 'jonas', {
      leadId,
      email: 'petra@plant.example',
      status: statusFor(sla, 'connected'),
      createdAt: AT,
    });
    await new DynamoDbLeadStore(dynamo.doc, {
      tableName: dynamo.tableName,
      indexRules: { pastContact: (state) => leadPastContact(sla, state) },
    }).createLead(lead);
    expect((await itemOf(leadId))[NEXT_STEP_INDEX.partitionKey]).toBeUndefined();
    const { handler } = await import('../../lambdas/aws/mail-feedback.ts');
    // Act
    await handler({
      detail: {
        eventType: 'Complaint',
        complaint: { complainedRecipients: [{ emailAddress: 'petra@plant.example' }] },
        mail: { tags: { leadId: [leadId], kind: ['nurture'] } },
      },
    } as unknown as Parameters<typeof handler>[0]);
    // Assert
    const read = new DynamoDbLeadStore(dynamo.doc, { tableName: dynamo.tableName });
    expect((await read.getLead(leadId))?.undeliverable).toBe(true);
    expect((await itemOf(leadId))[NEXT_STEP_INDEX.partitionKey]).toBeUndefined();
  });
});
