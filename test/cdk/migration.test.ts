/**
 * The SLA migration on deploy (lib/sla-migration.ts): one custom resource backed directly by its function,
 * run after the table and the state machine are in place, carrying the SLA's version and hash so that a
 * changed SLA runs it again; its function runs the bundled SLA and may do exactly what the migration runner
 * does (lambdas/tasks/migrate-leads.ts), nothing more. The synth skips esbuild (wiring only).
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CfnElement } from 'aws-cdk-lib';
import { Match } from 'aws-cdk-lib/assertions';
import type { CfnRole } from 'aws-cdk-lib/aws-iam';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENV } from '../../lambdas/aws/shared/env.ts';
import { slaHash } from '../../lambdas/domain/sla-hash.ts';
import { INDEX_KEYS_VERSION } from '../../lambdas/ports/lead-store.ts';
import { MIGRATION_TIMEOUT } from '../../lib/sla-migration.ts';
import { actionsOf, resourcesOf, type Synthesized, statementsOf, synthesize } from './synth.ts';

const RESOURCE_TYPE = 'Custom::LeadPactSlaMigration';
let synth: Synthesized;
let changed: Synthesized;
let dir: string;

beforeAll(() => {
  synth = synthesize({ bundle: false });
  // the same SLA with another version: what ops deploy after editing sla/default.yaml
  dir = mkdtempSync(join(tmpdir(), 'leadpact-migration-'));
  const file = join(dir, 'changed.yaml');
  const text = readFileSync('sla/default.yaml', 'utf8');
  writeFileSync(file, text.replace(/^version: .*$/m, 'version: "2026.12-changed"'));
  changed = synthesize({ bundle: false, context: { slaFile: file } });
}, 120_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const id = (s: Synthesized, element: unknown) => s.stack.getLogicalId(element as CfnElement);
const migrationResource = (s: Synthesized) => {
  const resources = s.template.findResources(RESOURCE_TYPE);
  expect(Object.keys(resources)).toHaveLength(1);
  return Object.values(resources)[0]!;
};

describe('the migration custom resource', () => {
  it('is backed directly by the migration function (no provider framework function)', () => {
    // Arrange
    const fn = synth.stack.slaMigration.function;
    // Act
    const resource = migrationResource(synth);
    // Assert
    expect(resource.Properties.ServiceToken).toEqual({
      'Fn::GetAtt': [id(synth, fn.function.node.defaultChild), 'Arn'],
    });
    expect(Object.keys(synth.template.findResources('AWS::Lambda::Function'))).toHaveLength(
      Object.keys(synth.stack.functions()).length,
    );
  });

  it('runs after the table and the state machine are in place', () => {
    // Act
    const dependsOn = migrationResource(synth).DependsOn as string[];
    // Assert
    expect(dependsOn).toContain(id(synth, synth.stack.store.table.node.defaultChild));
    expect(dependsOn).toContain(id(synth, synth.stack.workflow.stateMachine.node.defaultChild));
  });

  it('runs after every other function runs the new code: one of the code before could write a lead without the later index keys after the migration recorded them complete (ADR 0055)', () => {
    // Arrange
    const others = Object.entries(synth.stack.functions()).filter(([name]) => name !== 'SlaMigration');
    // Act
    const dependsOn = migrationResource(synth).DependsOn as string[];
    // Assert
    expect(others.length).toBeGreaterThan(10);
    expect(
      others
        .filter(([, fn]) => !dependsOn.includes(id(synth, fn.function.node.defaultChild)))
        .map(([name]) => name),
    ).toEqual([]);
  });

  it("carries the SLA's version and hash: a changed SLA changes the properties, so CloudFormation runs it again", () => {
    // Act
    const before = migrationResource(synth).Properties;
    const after = migrationResource(changed).Properties;
    // Assert
    expect(before.SlaVersion).toBe(synth.stack.config.sla.version);
    expect(before.SlaHash).toBe(slaHash(synth.stack.config.slaJson));
    expect(after.SlaVersion).toBe('2026.12-changed');
    expect(after.SlaHash).toBe(slaHash(changed.stack.config.slaJson));
    expect(after.SlaHash).not.toBe(before.SlaHash);
  });

  it("carries the table's indexes: a deploy that adds one runs it again, which gives the leads in flight its entries (ADR 0044)", () => {
    // Act
    const properties = migrationResource(synth).Properties;
    // Assert
    expect(properties.Indexes).toBe('GSI1,GSI2,GSI3,GSI4,GSI5,GSI6,GSI7,GSI8,GSI9,GSI10,GSI11');
  });

  it("carries the index keys' version: a deploy whose code keys an index anew runs it again, which re-keys the leads in flight (ADR 0062)", () => {
    // Act
    const properties = migrationResource(synth).Properties;
    // Assert
    expect(properties.IndexKeys).toBe(String(INDEX_KEYS_VERSION));
  });

  it('gives up after the function could have answered: the service timeout exceeds the function timeout', () => {
    // Arrange
    const fn = synth.stack.slaMigration.function;
    const props =
      synth.template.findResources('AWS::Lambda::Function')[id(synth, fn.function.node.defaultChild)]!
        .Properties;
    // Act
    const serviceTimeout = Number(migrationResource(synth).Properties.ServiceTimeout);
    // Assert
    expect(props.Timeout).toBe(MIGRATION_TIMEOUT.toSeconds());
    expect(serviceTimeout).toBeGreaterThan(props.Timeout);
    expect(serviceTimeout).toBeLessThanOrEqual(3600);
  });
});

describe('the migration function', () => {
  it('runs the bundled SLA and knows the table and the state machine', () => {
    // Arrange
    const fn = synth.stack.slaMigration.function;
    // Act
    const env =
      synth.template.findResources('AWS::Lambda::Function')[id(synth, fn.function.node.defaultChild)]!
        .Properties.Environment.Variables;
    // Assert
    expect(fn.runsSla).toBe(true);
    expect(env[ENV.tableName]).toEqual(synth.resolve(synth.stack.store.table.tableName));
    expect(env[ENV.stateMachineArn]).toEqual(
      synth.resolve(synth.stack.workflow.stateMachine.stateMachineArn),
    );
  });

  it('may do exactly what the runner does: the due, owner and stage indexes, GetItem/PutItem, wake a parked execution', () => {
    // Arrange
    const fn = synth.stack.slaMigration.function;
    const table = synth.resolve(synth.stack.store.table.tableArn);
    const index = (name: string) => ({ 'Fn::Join': ['', [table, `/index/${name}`]] });
    const stateMachine = synth.resolve(synth.stack.workflow.stateMachine.stateMachineArn);
    // Act
    const statements = statementsOf(synth.template, id(synth, fn.role.node.defaultChild as CfnRole));
    const granted = statements.filter((statement) => statement.Sid !== undefined);
    // Assert: the granted statements, and the house ones (its own log group, X-Ray) besides
    expect(
      Object.fromEntries(
        granted.map((statement) => [
          statement.Sid,
          { actions: actionsOf(statement), resources: resourcesOf(statement), effect: statement.Effect },
        ]),
      ),
    ).toEqual({
      UpdateLeads: {
        actions: ['dynamodb:BatchWriteItem', 'dynamodb:GetItem', 'dynamodb:PutItem'],
        resources: [table],
        effect: 'Allow',
      },
      ReadDueIndex: { actions: ['dynamodb:Query'], resources: [index('GSI3')], effect: 'Allow' },
      ReadOwnerIndex: { actions: ['dynamodb:Query'], resources: [index('GSI1')], effect: 'Allow' },
      ReadDormantLeads: { actions: ['dynamodb:Query'], resources: [table, index('GSI2')], effect: 'Allow' },
      SignalLeadWorkflow: { actions: ['states:SendTaskSuccess'], resources: [stateMachine], effect: 'Allow' },
      TakeWaitToken: { actions: ['dynamodb:UpdateItem'], resources: [table], effect: 'Allow' },
    });
    expect(granted).toHaveLength(6);
    expect(statements.filter((statement) => statement.Sid === undefined).map(actionsOf)).toEqual([
      ['logs:CreateLogStream', 'logs:PutLogEvents'],
      ['xray:PutTelemetryRecords', 'xray:PutTraceSegments'],
    ]);
  });

  it('passes cdk-nag (AwsSolutions) with no unsuppressed finding on the migration', () => {
    // Act
    const errors = synth.annotations
      .findError('*', Match.stringLikeRegexp('AwsSolutions-.*'))
      .concat(synth.annotations.findWarning('*', Match.stringLikeRegexp('AwsSolutions-.*')))
      .filter((message) => message.id.includes('/SlaMigration/'));
    // Assert
    expect(errors.map((message) => `${message.id}: ${String(message.entry.data)}`)).toEqual([]);
  });
});
