/**
 * The SLA migration on deploy runs with exactly its function's role: the runner
 * (lambdas/tasks/migrate-leads.ts) on DynamoDB (dynalite) and Step Functions (a stand-in answering after
 * the IAM middleware, local/iam/enforce.ts), its SDK clients carrying the statements the synthesized
 * template gives the SlaMigration function. A jonas lead is moved to lena and its parked execution woken
 * with no denial; without the lead grant the same run is denied, as on AWS.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SFNClient } from '@aws-sdk/client-sfn';
import type { MetadataBearer, Pluggable } from '@smithy/types';
import type { CfnFunction } from 'aws-cdk-lib/aws-lambda';
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { DynamoDbLeadQueries } from '../../lambdas/adapters/dynamodb-lead-queries.ts';
import {
  createLeadStoreDocumentClient,
  DynamoDbLeadStore,
} from '../../lambdas/adapters/dynamodb-lead-store.ts';
import { StepFunctionsWorkflow } from '../../lambdas/adapters/step-functions-workflow.ts';
import { ENV } from '../../lambdas/aws/shared/env.ts';
import type { Sla } from '../../lambdas/domain/sla-schema.ts';
import { migrateLeads } from '../../lambdas/tasks/migrate-leads.ts';
import { type IamCheck, iamEnforcement } from '../../local/iam/enforce.ts';
import type { PolicyStatement } from '../../local/iam/evaluate.ts';
import { type CfnTemplate, roleStatements, templateResolver } from '../../local/iam/template-policy.ts';
import { useDynalite } from '../support/dynalite.ts';
import { handedOff } from '../support/lead-state.ts';
import { loadDefaultSla } from '../support/sla.ts';
import { type Synthesized, synthesize } from './synth.ts';

const NOW = new Date('2026-12-02T09:00:00.000Z');
const clock = { now: () => NOW };
const CREDENTIALS = { accessKeyId: 'AKIDLOCAL', secretAccessKey: 'local' };
const LEAD_ID = 'LeadOfJonas00000000000';

/** sla/default.yaml without rep jonas, whose leads go to lena. */
function slaWithoutJonas(): Sla {
  const base = loadDefaultSla();
  return {
    ...base,
    version: '2026.12-without-jonas',
    routing: {
      ...base.routing,
      reps: base.routing.reps.filter((rep) => rep.id !== 'jonas'),
      queues: base.routing.queues.map((queue) => ({
        ...queue,
        reps: queue.reps.filter((r) => r !== 'jonas'),
      })),
    },
    migrations: { ...base.migrations, reps: { jonas: 'lena' } },
  } as Sla;
}

/** Answers every Step Functions command after the IAM middleware ran, recording it. */
function standIn(calls: string[]): Pluggable<object, MetadataBearer> {
  return {
    applyToStack(stack) {
      stack.add(
        (_next, context) => async () => {
          calls.push(String(context.commandName));
          return { output: { $metadata: {} }, response: {} };
        },
        { step: 'initialize', priority: 'low', name: 'standIn' },
      );
    },
  };
}

describe('IAM enforced: the migration function', () => {
  const dynamo = useDynalite();
  let synth: Synthesized;
  let template: CfnTemplate;
  const clients: { destroy(): void }[] = [];

  beforeAll(() => {
    synth = synthesize({ bundle: false });
    template = synth.template.toJSON() as CfnTemplate;
  }, 120_000);
  beforeEach(() => {
    vi.spyOn(console, 'log').mockImplementation(() => {});
  });
  afterEach(() => {
    vi.restoreAllMocks();
    for (const client of clients.splice(0)) client.destroy();
  });

  function asMigrationFunction(edit: (statements: PolicyStatement[]) => PolicyStatement[] = (s) => s) {
    const logicalIdOf = (type: string) =>
      Object.entries(template.Resources).find(([, r]) => r.Type === type)![0];
    const resolve = templateResolver(template, {
      names: { [logicalIdOf('AWS::DynamoDB::Table')]: dynamo.tableName },
    });
    const fn = synth.stack.slaMigration.function;
    const roleId = (synth.stack.resolve(fn.role.roleName) as { Ref: string }).Ref;
    const env = resolve(
      template.Resources[synth.stack.getLogicalId(fn.function.node.defaultChild as CfnFunction)]!.Properties
        ?.Environment as { Variables: unknown },
    ) as { Variables: Record<string, string> };
    const checks: IamCheck[] = [];
    const sfnCalls: string[] = [];
    const role = {
      name: 'SlaMigration',
      statements: edit(roleStatements(template, roleId, resolve)),
      taskTokenStateMachine: resolve({ Ref: logicalIdOf('AWS::StepFunctions::StateMachine') }) as string,
    };
    const ddb = new DynamoDBClient({
      endpoint: dynamo.server.endpoint,
      region: 'us-east-1',
      credentials: CREDENTIALS,
    });
    ddb.middlewareStack.use(iamEnforcement(role, checks));
    const sfn = new SFNClient({ region: 'us-east-1', credentials: CREDENTIALS });
    sfn.middlewareStack.use(iamEnforcement(role, checks));
    sfn.middlewareStack.use(standIn(sfnCalls));
    clients.push(ddb, sfn);
    const store = new DynamoDbLeadStore(createLeadStoreDocumentClient(ddb), {
      tableName: env.Variables[ENV.tableName]!,
    });
    const workflow = new StepFunctionsWorkflow(sfn, env.Variables[ENV.stateMachineArn]!, store, clock);
    const queries = new DynamoDbLeadQueries(
      createLeadStoreDocumentClient(ddb),
      env.Variables[ENV.tableName]!,
    );
    const denials = () => checks.filter((check) => !check.allowed).map((c) => `${c.action} ${c.resource}`);
    return { store, queries, workflow, checks, denials, sfnCalls };
  }

  async function parkedJonasLead(): Promise<void> {
    const store = new DynamoDbLeadStore(dynamo.doc, { tableName: dynamo.tableName });
    const lead = handedOff('2026-11-30T08:00:00.000Z', 'jonas', {
      leadId: LEAD_ID,
      dueAt: '2026-12-03T10:00:00.000Z',
      waitToken: 'task-token-1',
    });
    expect(await store.createLead(lead)).toBe('created');
  }

  it('moves a lead to the successor and wakes its execution, with no denial', async () => {
    // Arrange
    await parkedJonasLead();
    const f = asMigrationFunction();
    // Act
    const report = await migrateLeads({
      store: f.store,
      queries: f.queries,
      sla: slaWithoutJonas(),
      clock,
      workflow: f.workflow,
    });
    // Assert
    expect(f.denials()).toEqual([]);
    expect(report.migrated).toEqual([LEAD_ID]);
    const stored = await new DynamoDbLeadStore(dynamo.doc, { tableName: dynamo.tableName }).getLead(LEAD_ID);
    expect(stored).toMatchObject({ ownerId: 'lena', dueAt: NOW.toISOString() });
    expect(f.sfnCalls).toEqual(['SendTaskSuccessCommand']);
    expect([...new Set(f.checks.map((c) => c.action))].sort()).toEqual([
      'dynamodb:GetItem',
      'dynamodb:PutItem',
      'dynamodb:Query',
      'dynamodb:UpdateItem',
      'states:SendTaskSuccess',
    ]);
  });

  it('without the lead grant the run is denied, as on AWS', async () => {
    // Arrange
    await parkedJonasLead();
    const f = asMigrationFunction((statements) => statements.filter((s) => s.Sid !== 'UpdateLeads'));
    // Act
    const run = migrateLeads({ store: f.store, sla: slaWithoutJonas(), clock, workflow: f.workflow });
    // Assert
    await expect(run).rejects.toThrow();
    expect(f.denials()).toContainEqual(expect.stringMatching(/^dynamodb:GetItem /));
  });

  it('without the stage index grant the dormant leads cannot be listed: denied, as on AWS', async () => {
    // Arrange
    await parkedJonasLead();
    const f = asMigrationFunction((statements) => statements.filter((s) => s.Sid !== 'ReadDormantLeads'));
    // Act
    const run = migrateLeads({
      store: f.store,
      queries: f.queries,
      sla: slaWithoutJonas(),
      clock,
      workflow: f.workflow,
    });
    // Assert
    await expect(run).rejects.toThrow();
    expect(f.denials()).toContainEqual(expect.stringMatching(/^dynamodb:Query .*\/index\/GSI2$/));
  });
});
