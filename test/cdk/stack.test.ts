/**
 * The LeadPact stack, synthesized with every function bundled by esbuild, asserted on intent: each
 * function's policy lists exactly its actions on exact resources; the state machine is the ASL file with
 * every placeholder substituted; the table is table-definition.ts; the routes are ROUTES with the right
 * authorization; logs are kept for a bounded time; alarms watch what can fail. No snapshots.
 */
import { existsSync, readdirSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { CfnElement } from 'aws-cdk-lib';
import { Match } from 'aws-cdk-lib/assertions';
import type { CfnRole } from 'aws-cdk-lib/aws-iam';
import { beforeAll, describe, expect, it } from 'vitest';
import { GLOBAL_INDEXES, PARTITION_KEY, SORT_KEY } from '../../lambdas/adapters/table-definition.ts';
import { ROUTES } from '../../lambdas/api/routes.ts';
import {
  API_FUNCTION_GROUPS,
  DEFAULT_ROUTE_KEY,
  groupOf,
  routeKey,
} from '../../lambdas/aws/shared/api-groups.ts';
import { ENV } from '../../lambdas/aws/shared/env.ts';
import { HELD_MESSAGE } from '../../lambdas/tasks/held-mail.ts';
import { HANDOFF_FALLBACK_MESSAGE } from '../../lambdas/tasks/payload.ts';
import { FORM_ROUTES, ROUTE_SCOPES } from '../../lib/api.ts';
import { DEFAULT_CONTEXT } from '../../lib/config.ts';
import type { LeadPactFunction } from '../../lib/leadpact-function.ts';
import { LAMBDA_ENTRY_DIR } from '../../lib/paths.ts';
import { PARTITION_PLACEHOLDER, partitionAware } from '../../lib/workflow.ts';
import {
  LEAD_LIFECYCLE_PLACEHOLDERS,
  leadLifecycleAslText,
  placeholdersIn,
} from '../../statemachines/lead-lifecycle.ts';
import {
  actionsOf,
  resourcesOf,
  type Statement,
  type Synthesized,
  statementsOf,
  synthesize,
} from './synth.ts';

let synth: Synthesized;
let functions: Record<string, LeadPactFunction>;

beforeAll(() => {
  synth = synthesize();
  functions = synth.stack.functions();
}, 300_000);

const id = (element: unknown) => synth.stack.getLogicalId(element as CfnElement);
const roleId = (fn: LeadPactFunction) => id(fn.role.node.defaultChild as CfnRole);
/** A function's environment variables as deployed. */
const envOf = (fn: LeadPactFunction): Record<string, unknown> =>
  synth.template.findResources('AWS::Lambda::Function')[id(fn.function.node.defaultChild)]!.Properties
    .Environment.Variables;
/** An output's text, with each CloudFormation token as <token>. */
const textOf = (value: unknown): string =>
  typeof value === 'string'
    ? value
    : ((value as { 'Fn::Join'?: [string, unknown[]] })['Fn::Join']?.[1] ?? [])
        .map((part) => (typeof part === 'string' ? part : '<token>'))
        .join('');

describe('functions: the house defaults', () => {
  it('every entry module in lambdas/aws is deployed by exactly one function, and every function has one', () => {
    // Arrange
    const entries = readdirSync(LAMBDA_ENTRY_DIR).filter((file) => file.endsWith('.ts'));
    // Act
    const deployed = Object.values(functions).map((fn) => basename(fn.entry));
    // Assert
    expect(deployed.sort()).toEqual(entries.sort());
    for (const fn of Object.values(functions)) expect(existsSync(fn.entry), fn.entry).toBe(true);
  });

  it('each runs nodejs24.x on arm64 with X-Ray, JSON logs to its own log group, an explicit timeout and memory', () => {
    // Arrange
    const lambdas = synth.template.findResources('AWS::Lambda::Function');
    // Assert
    expect(Object.keys(lambdas)).toHaveLength(Object.keys(functions).length);
    for (const [name, fn] of Object.entries(functions)) {
      const props = lambdas[id(fn.function.node.defaultChild)]!.Properties;
      expect(props.Runtime, name).toBe('nodejs24.x');
      expect(props.Architectures, name).toEqual(['arm64']);
      expect(props.TracingConfig, name).toEqual({ Mode: 'Active' });
      expect(props.LoggingConfig, name).toEqual({
        LogFormat: 'JSON',
        ApplicationLogLevel: 'INFO',
        SystemLogLevel: 'WARN',
        LogGroup: { Ref: id(fn.logGroup.node.defaultChild) },
      });
      expect(props.Timeout, name).toBeGreaterThan(0);
      expect(props.Timeout, name).toBeLessThanOrEqual(900);
      expect(props.MemorySize, name).toBeGreaterThanOrEqual(256);
      expect(props.Handler, name).toBe('index.handler');
      // source maps are read when a stack is (lambdas/aws/shared/source-mapped-stacks.ts), not at every init
      expect(props.Environment?.Variables?.NODE_OPTIONS, name).toBeUndefined();
      expect(props.Role, name).toEqual({ 'Fn::GetAtt': [roleId(fn), 'Arn'] });
    }
  });

  it('the functions that run the SLA get it bundled (the reconciler and the bounce handler for its index rule); health does not need it', () => {
    // Assert
    const withoutSla = Object.entries(functions)
      .filter(([, fn]) => !fn.runsSla)
      .map(([name]) => name);
    expect(withoutSla.sort()).toEqual(['Api-health']);
    // health answers the SLA's version from its environment
    expect(envOf(functions['Api-health']!)[ENV.slaVersion]).toBe(synth.stack.config.sla.version);
  });

  it('every log group keeps its logs for the configured time (no log group is kept forever)', () => {
    // Arrange
    const groups = synth.template.findResources('AWS::Logs::LogGroup');
    // Assert: one per function, the state machine's, the API's and the form API's access logs
    expect(Object.keys(groups)).toHaveLength(Object.keys(functions).length + 3);
    for (const [logicalId, group] of Object.entries(groups)) {
      expect(group.Properties.RetentionInDays, logicalId).toBe(DEFAULT_CONTEXT.logRetentionDays);
    }
  });

  it('API functions serve only their own routes: a function per group of lambdas/aws/shared/api-groups.ts', () => {
    // Assert
    for (const group of Object.keys(API_FUNCTION_GROUPS)) {
      expect(basename(functions[`Api-${group}`]!.entry)).toBe(`api-${group}.ts`);
    }
  });
});

describe('IAM: each function may do exactly what it does, on exactly what it does it to', () => {
  const table = () => synth.resolve(synth.stack.store.table.tableArn);
  const ownerIndex = () => ({ 'Fn::Join': ['', [table(), '/index/GSI1']] });
  const dueIndex = () => ({ 'Fn::Join': ['', [table(), '/index/GSI3']] });
  const index = (name: string) => ({ 'Fn::Join': ['', [table(), `/index/${name}`]] });
  const stateMachine = () => synth.resolve(synth.stack.workflow.stateMachine.stateMachineArn);
  const ownStateMachineArn = () => synth.resolve(synth.stack.workflow.ownArn);
  const leadIdKey = () => synth.resolve(synth.stack.secrets.leadIdKey.secretArn);
  const actionKey = () => synth.resolve(synth.stack.secrets.actionLinkKey.secretArn);
  const sendEmail = () => [
    synth.resolve(synth.stack.mail.identity.emailIdentityArn),
    synth.resolve(synth.stack.mail.configurationSetArn),
  ];
  const executions = () =>
    synth.resolve(
      synth.stack.formatArn({
        service: 'states',
        resource: 'execution',
        resourceName: `${synth.stack.workflow.stateMachineName}:*`,
        arnFormat: 'arn:aws:service:region:account:resource:resourceName' as never,
      }),
    );

  type Expected = Record<string, { actions: string[]; resources: () => unknown[]; condition?: unknown }>;
  // sesSandbox is on by default (a new account is in the sandbox): SES also authorizes against each
  // verified recipient identity, so the senders may address identity/*, From pinned to the sender
  const sandboxRecipients = {
    actions: ['ses:SendEmail'],
    resources: () => [
      {
        'Fn::Join': [
          '',
          [
            'arn:',
            { Ref: 'AWS::Partition' },
            ':ses:',
            { Ref: 'AWS::Region' },
            ':',
            { Ref: 'AWS::AccountId' },
            ':identity/*',
          ],
        ],
      },
    ],
    condition: { StringEquals: { 'ses:FromAddress': DEFAULT_CONTEXT.senderEmail } },
  };
  // BatchWriteItem: a write that moves the oldest timeline entries to their own items (ADR 0032)
  const readWrite = {
    actions: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:Query', 'dynamodb:BatchWriteItem'],
    resources: () => [table()],
  };
  const update = {
    actions: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:BatchWriteItem'],
    resources: () => [table()],
  };
  const signal = { actions: ['states:SendTaskSuccess'], resources: () => [stateMachine()] };
  // the token is taken off the lead before the signal: one conditional UpdateItem, no read
  const takeToken = { actions: ['dynamodb:UpdateItem'], resources: () => [table()] };
  const start = { actions: ['states:StartExecution'], resources: () => [stateMachine()] };
  // the rotation's turn counter: an atomic ADD on the queue's routing item (nextTurn)
  const turns = { actions: ['dynamodb:UpdateItem'], resources: () => [table()] };

  const EXPECTED: Record<string, Expected> = {
    'Api-lead-form': {
      ReadWriteLeads: readWrite,
      StartLeadWorkflow: start,
      SignalLeadWorkflow: signal,
      TakeWaitToken: takeToken,
      ReadLeadIdKey: { actions: ['secretsmanager:GetSecretValue'], resources: () => [leadIdKey()] },
    },
    'Api-health': {},
    // a signal to a dormant lead starts its next generation: they may start executions too
    'Api-lead-api': {
      ReadWriteLeads: readWrite,
      SignalLeadWorkflow: signal,
      TakeWaitToken: takeToken,
      StartLeadWorkflow: start,
    },
    // lists and the report: read only, the table (a lead, its attempts) and the indexes they read
    'Api-lead-queries': {
      QueryLeads: {
        actions: ['dynamodb:GetItem', 'dynamodb:Query'],
        resources: () => [
          table(),
          ...['GSI1', 'GSI2', 'GSI4', 'GSI5', 'GSI6', 'GSI8', 'GSI9', 'GSI10', 'GSI11'].map(index),
        ],
      },
    },
    // a new SLA file against the leads in flight: read only, the due, owner and stage indexes list them
    'Api-sla-impact': {
      SurveyLeadsInFlight: {
        actions: ['dynamodb:GetItem', 'dynamodb:Query'],
        resources: () => [table(), ...['GSI1', 'GSI3', 'GSI2'].map(index)],
      },
    },
    'Api-lead-erase': {
      ReadWriteLeads: readWrite,
      EraseLeadHistory: {
        actions: ['dynamodb:BatchWriteItem', 'dynamodb:DeleteItem'],
        resources: () => [table()],
      },
      StopLeadWorkflow: { actions: ['states:StopExecution'], resources: () => [executions()] },
    },
    // the webhook delivery log: a delivery (GetItem), a replay (PutItem), the log by status (GSI7)
    'Api-webhooks': {
      ReadReplayDeliveries: { actions: ['dynamodb:GetItem', 'dynamodb:PutItem'], resources: () => [table()] },
      ReadDeliveryIndex: { actions: ['dynamodb:Query'], resources: () => [index('GSI7')] },
    },
    // the console: the lead API's writes, the lists' reads, the action-link key (sign-in links, sessions,
    // CSRF tokens) and SES for the sign-in email; no erase, no rotation, no stop
    'Api-console': {
      ReadWriteLeads: readWrite,
      QueryLeads: {
        actions: ['dynamodb:GetItem', 'dynamodb:Query'],
        resources: () => [
          table(),
          ...['GSI1', 'GSI2', 'GSI4', 'GSI5', 'GSI6', 'GSI8', 'GSI9', 'GSI10', 'GSI11'].map(index),
        ],
      },
      SignalLeadWorkflow: signal,
      TakeWaitToken: takeToken,
      StartLeadWorkflow: start,
      ReadActionLinkKey: { actions: ['secretsmanager:GetSecretValue'], resources: () => [actionKey()] },
      SendEmailAsLeadPact: { actions: ['ses:SendEmail'], resources: sendEmail },
      SendEmailToSandboxRecipients: sandboxRecipients,
      // the sign-in emails' hour and day counts: an atomic ADD under the cap (ports/sign-in-ledger.ts countEmail)
      CountSignInEmails: { actions: ['dynamodb:UpdateItem'], resources: () => [table()] },
      // events out for ops: failing endpoints (the log by status, GSI7) and a replay (GetItem, PutItem)
      ReadReplayDeliveries: { actions: ['dynamodb:GetItem', 'dynamodb:PutItem'], resources: () => [table()] },
      ReadDeliveryIndex: { actions: ['dynamodb:Query'], resources: () => [index('GSI7')] },
    },
    'Api-email-links': {
      ReadWriteLeads: readWrite,
      SignalLeadWorkflow: signal,
      TakeWaitToken: takeToken,
      StartLeadWorkflow: start,
      ReadActionLinkKey: { actions: ['secretsmanager:GetSecretValue'], resources: () => [actionKey()] },
    },
    Advance: {
      ReadWriteLeads: readWrite,
      ReadOwnerIndex: { actions: ['dynamodb:Query'], resources: () => [ownerIndex()] },
      TakeRotationTurns: turns,
      SendEmailAsLeadPact: { actions: ['ses:SendEmail'], resources: sendEmail },
      SendEmailToSandboxRecipients: sandboxRecipients,
      ReadActionLinkKey: { actions: ['secretsmanager:GetSecretValue'], resources: () => [actionKey()] },
      // nurture leaves a reserve of SES's daily quota to the SLA's emails (ADR 0067): GetAccount takes no resource
      ReadSendQuota: { actions: ['ses:GetAccount'], resources: () => ['*'] },
    },
    Handoff: {
      ReadWriteLeads: readWrite,
      ReadOwnerIndex: { actions: ['dynamodb:Query'], resources: () => [ownerIndex()] },
      TakeRotationTurns: turns,
      SendEmailAsLeadPact: { actions: ['ses:SendEmail'], resources: sendEmail },
      SendEmailToSandboxRecipients: sandboxRecipients,
      ReadActionLinkKey: { actions: ['secretsmanager:GetSecretValue'], resources: () => [actionKey()] },
    },
    // Park writes the wake's change with its token (PutItem; after Handoff an UpdateItem in place), reads
    // the lead back after a lost answer (GetItem), sends the claimed emails and marks them sent with the
    // write's report facts (BatchWriteItem, ADR 0025); RecordFailure and MailFeedback read-modify-write one lead (updateLead): no Query
    Park: {
      ParkLeads: { actions: ['dynamodb:UpdateItem'], resources: () => [table()] },
      UpdateLeads: update,
      MarkSentWithFacts: { actions: ['dynamodb:BatchWriteItem'], resources: () => [table()] },
      SendEmailAsLeadPact: { actions: ['ses:SendEmail'], resources: sendEmail },
      SendEmailToSandboxRecipients: sandboxRecipients,
      ReadActionLinkKey: { actions: ['secretsmanager:GetSecretValue'], resources: () => [actionKey()] },
      // nurture leaves a reserve of SES's daily quota to the SLA's emails (ADR 0067): GetAccount takes no resource
      ReadSendQuota: { actions: ['ses:GetAccount'], resources: () => ['*'] },
      ResumeParkedTask: {
        actions: ['states:SendTaskSuccess', 'states:SendTaskFailure'],
        resources: () => [ownStateMachineArn()],
      },
    },
    // no opsEmail in the default context: nothing to send
    RecordFailure: { UpdateLeads: update },
    MailFeedback: { UpdateLeads: update },
    ImportConsumer: {
      ReadWriteLeads: readWrite,
      StartLeadWorkflow: start,
      SignalLeadWorkflow: signal,
      TakeWaitToken: takeToken,
      ReadLeadIdKey: { actions: ['secretsmanager:GetSecretValue'], resources: () => [leadIdKey()] },
    },
    // reads the due index (after its cursor), looks executions up and starts them; before a start it records the execution's
    // name on the lead (one conditional UpdateItem); then the index pass walks the stage index, and the retention
    // pass erases the sign-ups never confirmed (ADR 0092)
    Reconciler: {
      ReadDueIndex: { actions: ['dynamodb:Query'], resources: () => [dueIndex()] },
      // its cursor over the due index (DueCursor): where the last run stopped when more were due than it checks
      ReconcilerDueCursor: {
        actions: ['dynamodb:GetItem', 'dynamodb:PutItem'],
        resources: () => [table()],
        condition: { 'ForAllValues:StringEquals': { 'dynamodb:LeadingKeys': ['RECONCILER'] } },
      },
      RecordLeadExecution: { actions: ['dynamodb:UpdateItem'], resources: () => [table()] },
      StartLeadWorkflow: start,
      DescribeLeadWorkflow: { actions: ['states:DescribeExecution'], resources: () => [executions()] },
      // a live execution parked on a token a signal could not deliver: the lead read, the token sent again
      ReadLead: { actions: ['dynamodb:GetItem'], resources: () => [table()] },
      SignalLeadWorkflow: signal,
      // the index pass (reindex-leads.ts): the stage index walked, a lead's attempts read, its progress put
      IndexPass: {
        actions: ['dynamodb:Query', 'dynamodb:PutItem'],
        resources: () => [table(), index('GSI2')],
      },
      // the retention pass (erase-unconfirmed.ts, ADR 0092): a sign-up never confirmed erased as DELETE erases it,
      // its history deleted and its execution stopped; the rest is the grants above (Query, GetItem, PutItem)
      EraseLeadHistory: {
        actions: ['dynamodb:BatchWriteItem', 'dynamodb:DeleteItem'],
        resources: () => [table()],
      },
      StopLeadWorkflow: { actions: ['states:StopExecution'], resources: () => [executions()] },
    },
    // events out: reads a lead, stores deliveries, moves the cursor and leases (UpdateItem), reads GSI7,
    // puts events on its bus; no webhook key without webhooks in the context
    EventsPublisher: {
      PublishLeadEvents: {
        actions: ['dynamodb:BatchGetItem', 'dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem'],
        resources: () => [table()],
      },
      ReadLeadTimeline: { actions: ['dynamodb:Query'], resources: () => [table()] },
      ReadEventsIndex: { actions: ['dynamodb:Query'], resources: () => [index('GSI7')] },
      PutLeadEvents: {
        actions: ['events:PutEvents'],
        resources: () => [synth.resolve(synth.stack.events.bus.eventBusArn)],
      },
    },
    // the SLA migration on deploy: finds in-flight leads by the due index, the mapped reps' owner index and
    // (dormant ones) the stage index, rewrites each (GetItem, conditional PutItem), wakes its parked execution
    // or makes a dormant one its judgement moves due (each one's events: Query); never starts one
    SlaMigration: {
      UpdateLeads: update,
      ReadDueIndex: { actions: ['dynamodb:Query'], resources: () => [dueIndex()] },
      ReadOwnerIndex: { actions: ['dynamodb:Query'], resources: () => [ownerIndex()] },
      ReadDormantLeads: { actions: ['dynamodb:Query'], resources: () => [table(), index('GSI2')] },
      SignalLeadWorkflow: signal,
      TakeWaitToken: takeToken,
    },
  };

  /** Statements CDK adds for a wiring the test names: the function's own log group, X-Ray, a queue. */
  function house(name: string, fn: LeadPactFunction, statement: Statement): boolean {
    const actions = actionsOf(statement);
    if (actions.join() === 'logs:CreateLogStream,logs:PutLogEvents') {
      return JSON.stringify(statement.Resource) === JSON.stringify(synth.resolve(fn.logGroup.logGroupArn));
    }
    if (actions.join() === 'xray:PutTelemetryRecords,xray:PutTraceSegments')
      return statement.Resource === '*';
    if (name === 'MailFeedback' && actions.every((a) => a.startsWith('sqs:'))) {
      // the on-failure destination: send to the feedback dead-letter queue only
      return (
        actions.join() === 'sqs:GetQueueAttributes,sqs:GetQueueUrl,sqs:SendMessage' &&
        JSON.stringify(statement.Resource) ===
          JSON.stringify(synth.resolve(synth.stack.mail.feedbackDeadLetters.queueArn))
      );
    }
    if (name === 'RecordFailure' && actions.every((a) => a.startsWith('sqs:'))) {
      // the on-failure destination of the failed-execution events (ADR 0038): that dead-letter queue only
      return (
        actions.join() === 'sqs:GetQueueAttributes,sqs:GetQueueUrl,sqs:SendMessage' &&
        JSON.stringify(statement.Resource) ===
          JSON.stringify(synth.resolve(synth.stack.workflow.failedExecutionDeadLetters.queueArn))
      );
    }
    if (name === 'EventsPublisher' && actions.every((a) => a.startsWith('sqs:'))) {
      // the stream source's on-failure destination: send to the events dead-letter queue only
      return (
        actions.join() === 'sqs:GetQueueAttributes,sqs:GetQueueUrl,sqs:SendMessage' &&
        JSON.stringify(statement.Resource) ===
          JSON.stringify(synth.resolve(synth.stack.events.deadLetters.queueArn))
      );
    }
    if (name === 'EventsPublisher' && actions.every((a) => a.startsWith('dynamodb:'))) {
      // the stream source: read the table's stream (ListStreams takes no resource)
      const stream = JSON.stringify(synth.resolve(synth.stack.store.table.tableStreamArn));
      return (
        (actions.join() === 'dynamodb:DescribeStream,dynamodb:GetRecords,dynamodb:GetShardIterator' &&
          JSON.stringify(statement.Resource) === stream) ||
        (actions.join() === 'dynamodb:ListStreams' && statement.Resource === '*')
      );
    }
    if (name === 'ImportConsumer' && actions.every((a) => a.startsWith('sqs:'))) {
      // the event source: consume the import queue only
      return (
        actions.join() ===
          'sqs:ChangeMessageVisibility,sqs:DeleteMessage,sqs:GetQueueAttributes,sqs:GetQueueUrl,sqs:ReceiveMessage' &&
        JSON.stringify(statement.Resource) ===
          JSON.stringify(synth.resolve(synth.stack.bulkImport.queue.queueArn))
      );
    }
    return false;
  }

  it('the test covers every function', () => {
    expect(Object.keys(EXPECTED).sort()).toEqual(Object.keys(functions).sort());
  });

  it.each(Object.keys(EXPECTED))('%s', (name) => {
    // Arrange
    const fn = functions[name]!;
    const expected = EXPECTED[name]!;
    // Act
    const statements = statementsOf(synth.template, roleId(fn));
    const granted = statements.filter((statement) => !house(name, fn, statement));
    // Assert: every statement allows; the granted ones are exactly the expected ones, by intent
    for (const statement of statements) expect(statement.Effect).toBe('Allow');
    expect(granted.map((statement) => statement.Sid).sort()).toEqual(Object.keys(expected).sort());
    for (const statement of granted) {
      const want = expected[statement.Sid!]!;
      expect(actionsOf(statement), statement.Sid).toEqual([...want.actions].sort());
      expect(resourcesOf(statement), statement.Sid).toEqual(want.resources());
      expect(statement.Condition, statement.Sid).toEqual(want.condition);
    }
    // and the house statements are there: its own logs, X-Ray
    expect(statements.length - granted.length).toBeGreaterThanOrEqual(2);
  });

  it('no function role has a managed policy (AWSLambdaBasicExecutionRole writes to any log group)', () => {
    for (const [name, fn] of Object.entries(functions)) {
      const role = synth.template.findResources('AWS::IAM::Role')[roleId(fn)]!;
      expect(role.Properties.ManagedPolicyArns, name).toBeUndefined();
    }
  });

  it('the state machine invokes exactly its four task functions and starts only itself (ContinueAsNew)', () => {
    // Arrange
    const roleLogicalId = id(synth.stack.workflow.stateMachine.role.node.defaultChild);
    // Act
    const statements = statementsOf(synth.template, roleLogicalId).filter((statement) => statement.Sid);
    // Assert
    expect(statements.map((statement) => statement.Sid).sort()).toEqual([
      'ContinueAsNew',
      'InvokeTaskFunctions',
    ]);
    const invoke = statements.find((statement) => statement.Sid === 'InvokeTaskFunctions')!;
    expect(actionsOf(invoke)).toEqual(['lambda:InvokeFunction']);
    expect(resourcesOf(invoke)).toEqual(
      LEAD_LIFECYCLE_PLACEHOLDERS.map((name) => synth.resolve(synth.stack.workflow.tasks[name].functionArn)),
    );
    const continueAsNew = statements.find((statement) => statement.Sid === 'ContinueAsNew')!;
    expect(actionsOf(continueAsNew)).toEqual(['states:StartExecution']);
    expect(resourcesOf(continueAsNew)).toEqual([ownStateMachineArn()]);
    // the ARN built from the name is the state machine's own
    synth.template.hasResourceProperties('AWS::StepFunctions::StateMachine', {
      StateMachineName: synth.stack.workflow.stateMachineName,
    });
  });

  it('the only wildcard resources are the actions that take no resource, and erase and the reconciler on its own executions', () => {
    // Arrange
    const policies = synth.template.findResources('AWS::IAM::Policy');
    const wildcards: string[] = [];
    // Act
    for (const policy of Object.values(policies)) {
      for (const statement of policy.Properties.PolicyDocument.Statement as Statement[]) {
        const text = JSON.stringify(statement.Resource);
        if (text.includes('*'))
          wildcards.push(
            ...actionsOf(statement).map(
              (action) => `${action} ${text.includes(':execution:') ? 'executions' : '*'}`,
            ),
          );
      }
    }
    // Assert
    const allowed = new Set([
      'xray:PutTraceSegments *',
      'xray:PutTelemetryRecords *',
      'xray:GetSamplingRules *',
      'xray:GetSamplingTargets *',
      'logs:CreateLogDelivery *',
      'logs:GetLogDelivery *',
      'logs:UpdateLogDelivery *',
      'logs:DeleteLogDelivery *',
      'logs:ListLogDeliveries *',
      'logs:PutResourcePolicy *',
      'logs:DescribeResourcePolicies *',
      'logs:DescribeLogGroups *',
      'states:StopExecution executions',
      'states:DescribeExecution executions',
      // sesSandbox (the default): every verified recipient identity, ses:FromAddress pinned (lib/mail.ts)
      'ses:SendEmail *',
      // the account's sending quota, read by the tasks that send nurture (ADR 0067): GetAccount takes no resource
      'ses:GetAccount *',
      // the events publisher's stream source (lib/events.ts): ListStreams takes no resource
      'dynamodb:ListStreams *',
    ]);
    expect(wildcards.filter((wildcard) => !allowed.has(wildcard))).toEqual([]);
  });
});

describe('state machine: the ASL file, every placeholder substituted', () => {
  it('is the file as is, with a substitution for every placeholder in it, each the right function', () => {
    // Arrange
    const machine = Object.values(synth.template.findResources('AWS::StepFunctions::StateMachine'))[0]!
      .Properties;
    // Act
    const used = placeholdersIn(machine.DefinitionString as string);
    // Assert: the file's placeholders, and the partition
    expect(used.sort()).toEqual([...LEAD_LIFECYCLE_PLACEHOLDERS, PARTITION_PLACEHOLDER].sort());
    expect(Object.keys(machine.DefinitionSubstitutions).sort()).toEqual(used.sort());
    for (const name of LEAD_LIFECYCLE_PLACEHOLDERS) {
      expect(machine.DefinitionSubstitutions[name], name).toEqual(
        synth.resolve(synth.stack.workflow.tasks[name].functionArn),
      );
    }
    expect(machine.StateMachineType).toBe('STANDARD');
  });

  it('is partition-aware: no ARN names the aws partition, the service integrations take the stack partition', () => {
    // Arrange
    const machine = Object.values(synth.template.findResources('AWS::StepFunctions::StateMachine'))[0]!
      .Properties;
    const definition = JSON.parse(machine.DefinitionString as string) as {
      States: Record<string, { Type: string; Resource?: string }>;
    };
    // Act
    const resources = Object.values(definition.States).flatMap((state) =>
      state.Resource ? [state.Resource] : [],
    );
    // Assert
    expect(machine.DefinitionString).not.toContain('arn:aws:');
    expect(machine.DefinitionSubstitutions[PARTITION_PLACEHOLDER]).toEqual({ Ref: 'AWS::Partition' });
    expect(resources.length).toBeGreaterThan(0);
    for (const resource of resources) expect(resource).toMatch(/^arn:\$\{Partition\}:states:::/);
    // the file itself keeps real ARNs for the local engine; any other hard-coded one fails the synth
    expect(leadLifecycleAslText()).toContain('"arn:aws:states:::lambda:invoke"');
    expect(() => partitionAware('{"Resource": "arn:aws:lambda:eu-central-1:1:function:f"}')).toThrow(
      'hard-codes an arn:aws: ARN',
    );
  });

  it('logs ALL events (without execution data) and traces with X-Ray', () => {
    synth.template.hasResourceProperties('AWS::StepFunctions::StateMachine', {
      LoggingConfiguration: { Level: 'ALL', IncludeExecutionData: false, Destinations: Match.anyValue() },
      TracingConfiguration: { Enabled: true },
    });
  });

  it('the park states call the Park function with the task token; Park may resume its own execution', () => {
    // Arrange
    const machine = Object.values(synth.template.findResources('AWS::StepFunctions::StateMachine'))[0]!
      .Properties;
    const definition = JSON.parse(machine.DefinitionString as string) as {
      States: Record<
        string,
        { Resource?: string; Parameters?: { FunctionName?: string; Payload?: Record<string, unknown> } }
      >;
    };
    // Act
    const parks = Object.values(definition.States).filter((state) =>
      state.Resource?.endsWith('.waitForTaskToken'),
    );
    // Assert
    expect(parks.length).toBeGreaterThan(0);
    for (const state of parks) {
      expect(state.Parameters?.FunctionName).toBe(`\${ParkFunctionArn}`);
      expect(state.Parameters?.Payload?.['taskToken.$']).toBe('$$.Task.Token');
      // the emails the wake sent travel to the park, which records them (tasks/park.ts)
      expect(state.Parameters?.Payload?.['sent.$']).toBe('$.Payload.sent');
    }
  });
});

describe('table: derived from table-definition.ts', () => {
  it('has its keys, its indexes with their projections, and nothing more', () => {
    // Arrange
    const tableProps = Object.values(synth.template.findResources('AWS::DynamoDB::Table'))[0]!.Properties;
    // Assert
    expect(tableProps.KeySchema).toEqual([
      { AttributeName: PARTITION_KEY, KeyType: 'HASH' },
      { AttributeName: SORT_KEY, KeyType: 'RANGE' },
    ]);
    expect(tableProps.GlobalSecondaryIndexes).toEqual(
      GLOBAL_INDEXES.map((index) => ({
        IndexName: index.indexName,
        KeySchema: [
          { AttributeName: index.partitionKey, KeyType: 'HASH' },
          { AttributeName: index.sortKey, KeyType: 'RANGE' },
        ],
        Projection: { ProjectionType: index.projectionType, NonKeyAttributes: [...index.nonKeyAttributes] },
      })),
    );
    const keyNames = [
      PARTITION_KEY,
      SORT_KEY,
      ...GLOBAL_INDEXES.flatMap((index) => [index.partitionKey, index.sortKey]),
    ];
    expect(tableProps.AttributeDefinitions).toEqual(
      keyNames.map((name) => ({ AttributeName: name, AttributeType: 'S' })),
    );
    expect(tableProps.LocalSecondaryIndexes).toBeUndefined();
    // no TTL: the store keeps no expiring items (docs/decisions/0003)
    expect(tableProps.TimeToLiveSpecification).toBeUndefined();
  });

  it('is on demand, with point-in-time recovery, KMS encryption, deletion protection, and is retained', () => {
    synth.template.hasResource('AWS::DynamoDB::Table', {
      Properties: {
        BillingMode: 'PAY_PER_REQUEST',
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
        SSESpecification: { SSEEnabled: true },
        DeletionProtectionEnabled: true,
      },
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
    });
  });
});

describe('API: the routes of lambdas/api/routes.ts', () => {
  it('one route per entry of ROUTES but the form, no other; public routes without auth, the rest with IAM', () => {
    // Arrange
    const routes = Object.values(synth.template.findResources('AWS::ApiGatewayV2::Route')).map(
      (r) => r.Properties,
    );
    const httpRoutes = ROUTES.filter((route) => !FORM_ROUTES.includes(routeKey(route)));
    // Assert: POST /leads is on the form's REST API only (behind WAF), never reachable round it; $default
    // answers any other address (below)
    expect(routes.map((route) => route.RouteKey).sort()).toEqual(
      [...httpRoutes.map(routeKey), DEFAULT_ROUTE_KEY].sort(),
    );
    expect(routes.map((route) => route.RouteKey)).not.toContain('POST /leads');
    for (const route of httpRoutes) {
      const deployed = routes.find((candidate) => candidate.RouteKey === routeKey(route))!;
      // session (the console): the signed cookie is checked by the handler (ADR 0017), no IAM on the route
      expect(deployed.AuthorizationType, routeKey(route)).toBe(
        route.access === 'authenticated' ? 'AWS_IAM' : 'NONE',
      );
    }
  });

  it('each route reaches the function of its group', () => {
    // Arrange
    const routes = synth.template.findResources('AWS::ApiGatewayV2::Route');
    const integrations = synth.template.findResources('AWS::ApiGatewayV2::Integration');
    // Assert
    for (const route of Object.values(routes)) {
      const key = route.Properties.RouteKey as string;
      const integrationId = (route.Properties.Target['Fn::Join'][1] as unknown[])[1] as { Ref: string };
      const integration = integrations[integrationId.Ref]!.Properties;
      expect(integration.IntegrationType, key).toBe('AWS_PROXY');
      expect(integration.PayloadFormatVersion, key).toBe('2.0');
      expect(integration.IntegrationUri, key).toEqual(
        synth.resolve(functions[`Api-${groupOf(key)}`]!.function.functionArn),
      );
    }
  });

  it('an address no route has ($default) reaches the health function, with no authorizer and no permission (ADR 0077)', () => {
    // Arrange
    const [route, ...others] = Object.values(
      synth.template.findResources('AWS::ApiGatewayV2::Route', { Properties: { RouteKey: '$default' } }),
    );
    const integrationId = (route!.Properties.Target['Fn::Join'][1] as unknown[])[1] as { Ref: string };
    const integration = synth.template.findResources('AWS::ApiGatewayV2::Integration')[integrationId.Ref]!;
    const health = functions['Api-health']!;
    // Assert: API Gateway's own {"message":"Not Found"} before; now the health function's page or JSON error
    expect(others).toEqual([]);
    expect(route!.Properties.AuthorizationType).toBe('NONE');
    // the function granted nothing (IAM below: 'Api-health': {})
    expect(integration.Properties.IntegrationUri).toEqual(synth.resolve(health.function.functionArn));
    // the page is in the browser's language among the SLA's: health gets the SLA's locales, not the SLA
    expect(JSON.parse(String(envOf(health)[ENV.slaLocales]))).toEqual({
      default: synth.stack.config.sla.locales.default,
      supported: synth.stack.config.sla.locales.supported,
    });
    expect(health.runsSla).toBe(false);
  });

  it('the $default stage throttles every route and writes access logs', () => {
    synth.template.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      StageName: '$default',
      AutoDeploy: true,
      DefaultRouteSettings: {
        ThrottlingRateLimit: DEFAULT_CONTEXT.apiRateLimit,
        ThrottlingBurstLimit: DEFAULT_CONTEXT.apiBurstLimit,
      },
      AccessLogSettings: { DestinationArn: Match.anyValue(), Format: Match.stringLikeRegexp('routeKey') },
    });
  });

  it('access logs name no person: no source IP, no path (lead ids), no user agent', () => {
    const stage = Object.values(synth.template.findResources('AWS::ApiGatewayV2::Stage'))[0]!.Properties;
    const format = stage.AccessLogSettings.Format as string;
    for (const variable of ['$context.identity.sourceIp', '$context.path', '$context.identity.userAgent']) {
      expect(format).not.toContain(variable);
    }
  });

  it('CORS admits the allowed origins, for the form', () => {
    synth.template.hasResourceProperties('AWS::ApiGatewayV2::Api', {
      ProtocolType: 'HTTP',
      CorsConfiguration: Match.objectLike({
        AllowOrigins: DEFAULT_CONTEXT.allowedOrigins,
        AllowMethods: Match.arrayWith(['POST']),
        AllowHeaders: ['content-type'],
      }),
    });
  });

  it('API functions know the allowed origins; only lead-form and import hold the lead-id key', () => {
    for (const [name, fn] of Object.entries(functions)) {
      const env = envOf(fn);
      if (name.startsWith('Api-'))
        expect(env[ENV.allowedOrigins], name).toBe(DEFAULT_CONTEXT.allowedOrigins.join(','));
      expect(ENV.leadIdSecretArn in env, name).toBe(name === 'Api-lead-form' || name === 'ImportConsumer');
    }
  });
});

describe('the public form behind AWS WAF (ADR 0015)', () => {
  const restApiId = () => synth.resolve(synth.stack.formApi.restApi.restApiId);

  it('POST /leads on a regional REST API stage, throttled, proxied to the lead-form function', () => {
    synth.template.hasResourceProperties('AWS::ApiGateway::RestApi', {
      EndpointConfiguration: { Types: ['REGIONAL'] },
    });
    synth.template.hasResourceProperties('AWS::ApiGateway::Resource', { PathPart: 'leads' });
    synth.template.hasResourceProperties('AWS::ApiGateway::Method', {
      HttpMethod: 'POST',
      AuthorizationType: 'NONE',
      Integration: Match.objectLike({ Type: 'AWS_PROXY' }),
    });
    synth.template.hasResourceProperties('AWS::ApiGateway::Stage', {
      StageName: 'form',
      MethodSettings: Match.arrayWith([
        Match.objectLike({
          ThrottlingRateLimit: DEFAULT_CONTEXT.formRateLimit,
          ThrottlingBurstLimit: DEFAULT_CONTEXT.formBurstLimit,
        }),
      ]),
      AccessLogSetting: Match.objectLike({ Format: Match.stringLikeRegexp('wafStatus') }),
    });
  });

  it('a WAF web ACL blocks a client address past the limit with 429, and guards that stage', () => {
    synth.template.hasResourceProperties('AWS::WAFv2::WebACL', {
      Scope: 'REGIONAL',
      DefaultAction: { Allow: {} },
      Rules: [
        Match.objectLike({
          Name: 'PerClientRateLimit',
          Action: { Block: { CustomResponse: { ResponseCode: 429, CustomResponseBodyKey: 'tooMany' } } },
          Statement: {
            RateBasedStatement: {
              Limit: DEFAULT_CONTEXT.formRateLimitPerClient,
              EvaluationWindowSec: DEFAULT_CONTEXT.formRateWindowSeconds,
              AggregateKeyType: 'IP',
            },
          },
        }),
      ],
    });
    const [association] = Object.values(synth.template.findResources('AWS::WAFv2::WebACLAssociation'));
    expect(association!.Properties.WebACLArn).toEqual(synth.resolve(synth.stack.formApi.webAcl.attrArn));
    expect(JSON.stringify(association!.Properties.ResourceArn)).toContain(':apigateway:');
    expect(JSON.stringify(association!.Properties.ResourceArn)).toContain(JSON.stringify(restApiId()));
    expect(JSON.stringify(association!.Properties.ResourceArn)).toContain('/stages/');
  });

  it('the form snippet posts to the form API; FormUrl is an output', () => {
    const outputs = synth.template.findOutputs('*');
    expect(outputs.FormUrl).toBeDefined();
    expect(JSON.stringify(outputs.FormSnippet!.Value)).toContain(JSON.stringify(restApiId()));
  });
});

describe('who may call what: IAM mode', () => {
  const policies = () => synth.template.findResources('AWS::IAM::ManagedPolicy');
  const invokeArn = (method: string, path: string) =>
    synth.resolve(synth.stack.api.httpApi.arnForExecuteApi(method, path, '$default'));

  it('every authenticated route has exactly one scope; public routes none', () => {
    const scoped = Object.values(ROUTE_SCOPES).flat().sort();
    const authenticated = ROUTES.filter((r) => r.access === 'authenticated')
      .map(routeKey)
      .sort();
    expect(scoped).toEqual(authenticated);
  });

  it('integrations (CRM, tracker) get a managed policy to read and write leads, never to erase or replay webhooks', () => {
    const policy =
      policies()[synth.stack.getLogicalId(synth.stack.api.integrationPolicy!.node.defaultChild as never)]!;
    const [statement, ...others] = policy.Properties.PolicyDocument.Statement;
    expect(others).toEqual([]);
    expect(statement).toMatchObject({ Effect: 'Allow', Action: 'execute-api:Invoke' });
    expect(statement.Resource).toEqual([
      invokeArn('GET', '/leads/*'),
      invokeArn('GET', '/leads'),
      invokeArn('GET', '/reports/sla'),
      invokeArn('POST', '/leads/*/events'),
      invokeArn('POST', '/leads/*/attempts'),
      invokeArn('PUT', '/leads/*/deal'),
      invokeArn('PATCH', '/leads/*/status'),
      invokeArn('POST', '/leads/*/owner'),
      invokeArn('PATCH', '/leads/*/fields'),
    ]);
    expect(JSON.stringify(statement.Resource)).not.toContain('DELETE');
    expect(JSON.stringify(statement.Resource)).not.toContain('/sla/impact');
  });

  it('ops get an admin managed policy: every authenticated route, erase included, and nothing public', () => {
    const policy =
      policies()[synth.stack.getLogicalId(synth.stack.api.adminPolicy!.node.defaultChild as never)]!;
    const [statement] = policy.Properties.PolicyDocument.Statement;
    expect(statement.Resource).toContainEqual(invokeArn('DELETE', '/leads/*'));
    expect(statement.Resource).toContainEqual(invokeArn('GET', '/webhooks/deliveries'));
    expect(statement.Resource).toContainEqual(invokeArn('POST', '/webhooks/deliveries/*/replay'));
    expect(statement.Resource).toContainEqual(invokeArn('POST', '/sla/impact'));
    expect(statement.Resource).toHaveLength(13);
    expect(Object.keys(policies())).toHaveLength(2);
  });

  it('both policy ARNs are stack outputs', () => {
    const outputs = synth.template.findOutputs('*');
    expect(outputs.IntegrationPolicyArn!.Value).toEqual(
      synth.resolve(synth.stack.api.integrationPolicy!.managedPolicyArn),
    );
    expect(outputs.AdminPolicyArn!.Value).toEqual(
      synth.resolve(synth.stack.api.adminPolicy!.managedPolicyArn),
    );
  });
});

describe('email', () => {
  it('the sender identity sends through a configuration set with reputation metrics and suppression', () => {
    synth.template.hasResourceProperties('AWS::SES::ConfigurationSet', {
      ReputationOptions: { ReputationMetricsEnabled: true },
      SuppressionOptions: { SuppressedReasons: ['BOUNCE', 'COMPLAINT'] },
    });
    synth.template.hasResourceProperties('AWS::SES::EmailIdentity', {
      EmailIdentity: DEFAULT_CONTEXT.senderEmail,
      ConfigurationSetAttributes: Match.anyValue(),
    });
  });

  it('bounces and complaints go to EventBridge, where a rule hands them to the feedback function', () => {
    synth.template.hasResourceProperties('AWS::SES::ConfigurationSetEventDestination', {
      EventDestination: Match.objectLike({
        Enabled: true,
        MatchingEventTypes: Match.arrayEquals(['bounce', 'complaint']),
        EventBridgeDestination: Match.anyValue(),
      }),
    });
    synth.template.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: {
        source: ['aws.ses'],
        'detail-type': ['Email Bounced', 'Email Complaint Received'],
        detail: { mail: { tags: { 'ses:configuration-set': [Match.anyValue()] } } },
      },
      Targets: [
        Match.objectLike({
          Arn: synth.resolve(functions.MailFeedback!.function.functionArn),
          DeadLetterConfig: Match.anyValue(),
          RetryPolicy: Match.anyValue(),
        }),
      ],
    });
  });

  it('the workflow emails point at the API and send as the configured sender', () => {
    for (const name of ['Advance', 'Handoff']) {
      const env = envOf(functions[name]!);
      expect(env[ENV.senderEmail], name).toBe(DEFAULT_CONTEXT.senderEmail);
      expect(env[ENV.publicBaseUrl], name).toEqual(synth.resolve(synth.stack.api.httpApi.apiEndpoint));
    }
  });
});

describe('secrets', () => {
  it('two HMAC keys, generated by Secrets Manager at deploy (never in the template), retained', () => {
    const secrets = synth.template.findResources('AWS::SecretsManager::Secret');
    expect(Object.keys(secrets)).toHaveLength(2);
    for (const secret of Object.values(secrets)) {
      expect(secret.Properties.GenerateSecretString).toMatchObject({
        PasswordLength: 64,
        ExcludePunctuation: true,
      });
      expect(secret.Properties.SecretString).toBeUndefined();
      expect(secret.DeletionPolicy).toBe('Retain');
    }
  });
});

describe('key rotation', () => {
  it('exactly the functions holding a key carry keysVersion, so bumping it restarts them', () => {
    for (const [name, fn] of Object.entries(functions)) {
      const env = envOf(fn);
      const holdsKey = ENV.leadIdSecretArn in env || ENV.actionSecretArn in env;
      expect(env[ENV.keysVersion], name).toBe(holdsKey ? DEFAULT_CONTEXT.keysVersion : undefined);
    }
  });
});

describe('bulk import', () => {
  it('a queue with a dead-letter queue feeds the consumer at a bounded rate', () => {
    // Arrange
    const consumer = functions.ImportConsumer!;
    const timeout = synth.template.findResources('AWS::Lambda::Function')[
      id(consumer.function.node.defaultChild)
    ]!.Properties.Timeout as number;
    // Assert
    synth.template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      FunctionName: { Ref: id(consumer.function.node.defaultChild) },
      BatchSize: DEFAULT_CONTEXT.importBatchSize,
      ScalingConfig: { MaximumConcurrency: DEFAULT_CONTEXT.importMaxConcurrency },
      FunctionResponseTypes: ['ReportBatchItemFailures'],
    });
    synth.template.hasResourceProperties('AWS::SQS::Queue', {
      RedrivePolicy: {
        deadLetterTargetArn: synth.resolve(synth.stack.bulkImport.deadLetters.queueArn),
        maxReceiveCount: 5,
      },
      VisibilityTimeout: timeout * 6,
      SqsManagedSseEnabled: true,
    });
    expect(envOf(consumer)[ENV.importStartsPerSecond]).toBe(String(DEFAULT_CONTEXT.importStartsPerSecond));
  });

  it('the batch fits in the function timeout at the paced rate', () => {
    const consumer = functions.ImportConsumer!;
    const timeout = synth.template.findResources('AWS::Lambda::Function')[
      id(consumer.function.node.defaultChild)
    ]!.Properties.Timeout as number;
    expect(timeout).toBeGreaterThan(DEFAULT_CONTEXT.importBatchSize / DEFAULT_CONTEXT.importStartsPerSecond);
  });
});

describe('alarms', () => {
  const alarms = () =>
    Object.values(synth.template.findResources('AWS::CloudWatch::Alarm')).map((a) => a.Properties);
  const topic = () => synth.resolve(synth.stack.alarms.topic.topicArn);

  it('every alarm notifies the ops topic', () => {
    expect(alarms().length).toBeGreaterThan(0);
    for (const alarm of alarms()) expect(alarm.AlarmActions).toEqual([topic()]);
  });

  it('watch each function, failed executions, restarted leads, the dead-letter queues, API 5xx and SES reputation', () => {
    // Arrange
    const watched = alarms().map((alarm) => `${alarm.Namespace} ${alarm.MetricName}`);
    // Assert
    expect(watched.filter((w) => w === 'AWS/Lambda Errors')).toHaveLength(Object.keys(functions).length);
    expect(watched).toContain('AWS/States ExecutionsFailed');
    expect(watched).toContain('LeadPact LeadsRestarted');
    // the import, SES feedback, events-out and failed-execution (ADR 0038) dead-letter queues
    expect(watched.filter((w) => w === 'AWS/SQS ApproximateNumberOfMessagesVisible')).toHaveLength(4);
    expect(watched).toContain('AWS/ApiGateway 5xx');
    expect(watched).toContain('AWS/SES Reputation.BounceRate');
    expect(watched).toContain('AWS/SES Reputation.ComplaintRate');
    const bounce = alarms().find((alarm) => alarm.MetricName === 'Reputation.BounceRate')!;
    expect(bounce.Threshold).toBe(DEFAULT_CONTEXT.alarmBounceRate);
  });

  it("counts Advance's handoffs left to the Handoff state (ADR 0049) from its log, alarmed as a function's errors", () => {
    // Arrange
    const filters = Object.values(synth.template.findResources('AWS::Logs::MetricFilter')).map(
      (f) => f.Properties,
    );
    const advanceLogs = synth.resolve(functions.Advance!.logGroup.logGroupName);
    // Act
    const filter = filters.find((f) => f.MetricTransformations[0].MetricName === 'HandoffFallbacks');
    const alarm = alarms().find((a) => a.MetricName === 'HandoffFallbacks');
    // Assert: the filter reads Advance's log group for the message advance-step.ts logs
    expect(filter).toBeDefined();
    expect(JSON.stringify(synth.resolve(filter!.LogGroupName))).toBe(JSON.stringify(advanceLogs));
    expect(filter!.FilterPattern).toBe(`{ $.msg = "${HANDOFF_FALLBACK_MESSAGE}" }`);
    expect(alarm).toMatchObject({
      Namespace: filter!.MetricTransformations[0].MetricNamespace,
      Statistic: 'Sum',
      Threshold: DEFAULT_CONTEXT.alarmFunctionErrors,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
    });
  });

  it("counts nurture emails dropped for SES's quota reserve (ADR 0067) from Advance's and Park's logs, alarmed at the first", () => {
    // Arrange
    const filters = Object.values(synth.template.findResources('AWS::Logs::MetricFilter')).map(
      (f) => f.Properties,
    );
    const logsOf = (name: string) => JSON.stringify(synth.resolve(functions[name]!.logGroup.logGroupName));
    // Act
    const held = filters.filter((f) => f.MetricTransformations[0].MetricName === 'NurtureHeld');
    const alarm = alarms().find((a) => a.MetricName === 'NurtureHeld');
    // Assert: one filter on each log group that sends nurture, for the message held-mail.ts logs
    expect(held.map((f) => JSON.stringify(synth.resolve(f.LogGroupName))).sort()).toEqual(
      [logsOf('Advance'), logsOf('Park')].sort(),
    );
    for (const filter of held) expect(filter.FilterPattern).toBe(`{ $.msg = "${HELD_MESSAGE}" }`);
    expect(alarm).toMatchObject({
      Namespace: held[0]!.MetricTransformations[0].MetricNamespace,
      Statistic: 'Sum',
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
    });
  });

  it('the topic takes only TLS publishers; without opsEmail nobody is subscribed (a synth warning says so)', () => {
    synth.template.resourceCountIs('AWS::SNS::Subscription', 0);
    const policy = Object.values(synth.template.findResources('AWS::SNS::TopicPolicy'))[0]!.Properties
      .PolicyDocument;
    expect(JSON.stringify(policy)).toContain('aws:SecureTransport');
    expect(synth.annotations.findWarning('*', Match.stringLikeRegexp('opsEmail is empty')).length).toBe(1);
  });
});

describe('the reconciler', () => {
  it('runs every 5 minutes from an EventBridge schedule, invoking its function', () => {
    // Arrange
    const rules = Object.values(synth.template.findResources('AWS::Events::Rule')).map((r) => r.Properties);
    const reconciler = synth.resolve(synth.stack.reconciler.function.function.functionArn);
    // Act
    const schedule = rules.find((rule) =>
      (rule.Targets as { Arn: unknown }[]).some(
        (target) => JSON.stringify(target.Arn) === JSON.stringify(reconciler),
      ),
    );
    // Assert
    expect(schedule?.ScheduleExpression).toBe('rate(5 minutes)');
    expect(schedule?.State).toBe('ENABLED');
    const permissions = Object.values(synth.template.findResources('AWS::Lambda::Permission')).map(
      (p) => p.Properties,
    );
    expect(
      permissions.some(
        (p) =>
          p.Principal === 'events.amazonaws.com' &&
          JSON.stringify(p.FunctionName) === JSON.stringify(reconciler),
      ),
    ).toBe(true);
  });

  it('publishes LeadsRestarted, alarmed at the configured threshold over 15 minutes', () => {
    // Act
    const alarm = Object.values(synth.template.findResources('AWS::CloudWatch::Alarm'))
      .map((a) => a.Properties)
      .find((a) => a.MetricName === 'LeadsRestarted');
    // Assert
    expect(alarm).toMatchObject({
      Namespace: 'LeadPact',
      Statistic: 'Sum',
      Period: 900,
      Threshold: DEFAULT_CONTEXT.alarmLeadsRestarted,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      TreatMissingData: 'notBreaching',
    });
  });
});

describe('outputs', () => {
  it('the API URL, a form to paste, the inbox steps, the import queue', () => {
    // Arrange
    const outputs = synth.template.findOutputs('*');
    // Assert
    expect(Object.keys(outputs)).toEqual(
      expect.arrayContaining(['ApiUrl', 'FormSnippet', 'InboxSetup', 'ImportQueueUrl', 'AlarmTopicArn']),
    );
    const form = textOf(outputs.FormSnippet!.Value);
    // the form posts to the form's REST API stage (behind WAF), not the HTTP API; its script comes from the HTTP API
    expect(form).toContain(
      '<form method="post" action="https://<token>.execute-api.<token>.<token>/<token>/leads" lang="en" dir="ltr" data-leadpact-form="demo-request">',
    );
    expect(form).toContain('<script src="<token>/forms/demo-request.js" async></script>');
    expect(form).toContain('name="_gotcha"');
    expect(form).toContain('<input type="hidden" name="formId" value="demo-request">');
    expect(form).toContain(
      '<input type="hidden" name="_redirect" value="https://www.example.com/thank-you">',
    );
    expect(form).toContain('lang="en" dir="ltr"');
    // the worked example also speaks Arabic: a form for an Arabic page, right to left
    const arabic = textOf(outputs.FormSnippetAr!.Value);
    expect(arabic).toContain('lang="ar" dir="rtl"');
    expect(arabic).toContain('البريد الإلكتروني للعمل');
    expect(arabic).toContain('<input type="hidden" name="locale" value="ar">');
    expect(outputs.ApiUrl!.Value).toEqual(synth.resolve(synth.stack.api.httpApi.apiEndpoint));
    expect(outputs.InboxSetup!.Value).toContain(DEFAULT_CONTEXT.senderEmail);
  });
});

describe('the stack is self-consistent', () => {
  it('the template has no dependency cycle (CloudFormation refuses one at deploy; synth does not check)', () => {
    // Arrange: resource -> the resources it names (Ref, Fn::GetAtt, Fn::Sub, DependsOn)
    const resources = synth.template.toJSON().Resources as Record<
      string,
      { Properties?: unknown; DependsOn?: string | string[] }
    >;
    const names = (value: unknown, into: Set<string>): Set<string> => {
      if (Array.isArray(value)) for (const item of value) names(item, into);
      else if (value && typeof value === 'object') {
        for (const [key, inner] of Object.entries(value)) {
          if (key === 'Ref' && typeof inner === 'string') into.add(inner);
          else if (key === 'Fn::GetAtt')
            into.add(Array.isArray(inner) ? String(inner[0]) : String(inner).split('.')[0]!);
          else if (key === 'Fn::Sub') {
            const [text, vars] = Array.isArray(inner) ? inner : [inner, undefined];
            for (const match of String(text).matchAll(/\$\{([^}.!]+)/g)) into.add(match[1]!);
            names(vars, into);
          } else names(inner, into);
        }
      }
      return into;
    };
    const edges = new Map(
      Object.entries(resources).map(([name, resource]) => [
        name,
        [...names(resource.Properties, new Set([resource.DependsOn ?? []].flat()))].filter(
          (dep) => dep in resources,
        ),
      ]),
    );
    // Act: depth-first search for a back edge
    const state = new Map<string, 'open' | 'done'>();
    const cycles: string[] = [];
    const visit = (name: string, path: string[]): void => {
      state.set(name, 'open');
      for (const dep of edges.get(name) ?? []) {
        if (state.get(dep) === 'open') cycles.push([...path, name, dep].join(' -> '));
        else if (!state.has(dep)) visit(dep, [...path, name]);
      }
      state.set(name, 'done');
    };
    for (const name of edges.keys()) if (!state.has(name)) visit(name, []);
    // Assert
    expect(cycles).toEqual([]);
  });

  it('every route key names a group and every group route exists (api-groups.ts and routes.ts agree)', () => {
    const keys = ROUTES.map(routeKey);
    expect(Object.values(API_FUNCTION_GROUPS).flat().sort()).toEqual([...keys].sort());
  });

  it('the lambdas/aws entry directory holds only entry modules (shared code lives in shared/)', () => {
    for (const file of readdirSync(LAMBDA_ENTRY_DIR)) {
      expect(file === 'shared' || file.endsWith('.ts'), join(LAMBDA_ENTRY_DIR, file)).toBe(true);
    }
  });
});

describe('cdk-nag (AwsSolutions) in the same synth', () => {
  it('no unsuppressed error', () => {
    // Act
    const errors = synth.annotations.findError('*', Match.stringLikeRegexp('AwsSolutions-.*'));
    // Assert: the message names the rule and the resource when this fails
    expect(errors.map((error) => `${error.id}: ${String(error.entry.data).slice(0, 160)}`)).toEqual([]);
  });

  it('no unsuppressed warning either', () => {
    const warnings = synth.annotations.findWarning('*', Match.stringLikeRegexp('AwsSolutions-.*'));
    expect(warnings.map((warning) => `${warning.id}: ${String(warning.entry.data).slice(0, 160)}`)).toEqual(
      [],
    );
  });

  it('every suppression is justified in words, and names the rule it waives', () => {
    // Arrange
    const suppressions = Object.entries(
      synth.template.toJSON().Resources as Record<string, { Metadata?: Record<string, unknown> }>,
    ).flatMap(([logicalId, resource]) =>
      (
        (resource.Metadata?.cdk_nag as { rules_to_suppress?: { id: string; reason: string }[] })
          ?.rules_to_suppress ?? []
      ).map((rule) => ({ logicalId, ...rule })),
    );
    // Assert
    expect(suppressions.length).toBeGreaterThan(0);
    for (const suppression of suppressions) {
      expect(suppression.id, suppression.logicalId).toMatch(/^AwsSolutions-[A-Z]+\d+$/);
      // (cdk-nag stores a reason with non-ASCII characters base64-encoded: keep them ASCII, readable in the template)
      expect(suppression.reason, suppression.logicalId).toMatch(/^[\x20-\x7e]+$/);
      expect(
        suppression.reason.split(/\s+/).length,
        `${suppression.logicalId} ${suppression.id}`,
      ).toBeGreaterThanOrEqual(12);
    }
  });
});
