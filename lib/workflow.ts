/**
 * The lead workflow: statemachines/lead-lifecycle.asl.json deployed as is, with a definition
 * substitution for every placeholder (typed: a new placeholder without a function does not compile),
 * all events logged, X-Ray on. Its task functions are LeadPact functions with exactly the access their
 * task needs. Grants for the API side: start an execution, signal a parked one (SendTaskSuccess),
 * stop one (erase).
 *
 * The file's service integrations name the `aws` partition (the local engine runs the file and wants
 * real ARNs); deployed, each takes the stack's partition through one more substitution, `${Partition}`
 * (partitionAware below), so the stack works in aws-cn and aws-us-gov too.
 *
 * The state machine has a fixed name derived from the stack name, so the policies that point back at it
 * (ContinueAsNew starting its own next execution; Park resuming its own task) can name its ARN without
 * referring to the resource, which would be a dependency cycle.
 */
import { ArnFormat, Aws, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Rule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { SqsDestination } from 'aws-cdk-lib/aws-lambda-destinations';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { DefinitionBody, LogLevel, StateMachine, StateMachineType } from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { ENV } from '../lambdas/aws/shared/env.ts';
import {
  LEAD_LIFECYCLE_PLACEHOLDERS,
  type LeadLifecyclePlaceholder,
  leadLifecycleAslText,
} from '../statemachines/lead-lifecycle.ts';
import { LeadPactFunction } from './leadpact-function.ts';
import type { Mail } from './mail.ts';
import { suppress, XRAY_WILDCARD } from './nag.ts';
import type { LeadPactSecrets } from './secrets.ts';
import type { LeadStore } from './store.ts';

export interface LeadWorkflowProps {
  readonly store: LeadStore;
  readonly mail: Mail;
  readonly secrets: LeadPactSecrets;
  readonly slaJson: string;
  readonly opsEmail?: string;
  readonly logRetention: RetentionDays;
}

export class LeadWorkflow extends Construct {
  readonly stateMachine: StateMachine;
  readonly stateMachineName: string;
  /** the task functions, by the placeholder their ARN fills */
  readonly tasks: Readonly<Record<LeadLifecyclePlaceholder, LeadPactFunction>>;
  /** the ends of failed executions that RecordFailure could not take in a day of EventBridge's retries */
  readonly failedExecutionDeadLetters: Queue;

  constructor(scope: Construct, id: string, props: LeadWorkflowProps) {
    super(scope, id);
    const { store, mail, secrets, slaJson, logRetention } = props;
    const opsEmail = props.opsEmail ? { [ENV.opsEmail]: props.opsEmail } : undefined;

    const advance = new LeadPactFunction(this, 'Advance', {
      entry: 'task-advance.ts',
      description:
        'Workflow task Advance: judge the lead, send what is due, hand an SQL off, plan the next step',
      timeout: Duration.seconds(60),
      memorySize: 512,
      logRetention,
      slaJson,
      ...(opsEmail ? { environment: opsEmail } : {}),
    });
    const handoff = new LeadPactFunction(this, 'Handoff', {
      entry: 'task-handoff.ts',
      description:
        "Workflow task Handoff: a handoff Advance's own try failed (ADR 0049): pick the owner, email the rep",
      timeout: Duration.seconds(60),
      memorySize: 512,
      logRetention,
      slaJson,
      ...(opsEmail ? { environment: opsEmail } : {}),
    });
    for (const fn of [advance, handoff]) {
      store.grantReadWriteLeads(fn);
      store.grantReadOwnerIndex(fn);
      // handoff and reassignment take the queue's next turn (an atomic ADD)
      store.grantTakeTurns(fn);
      secrets.grantActionLinkKey(fn);
    }
    // Advance sends the outbox's emails, nurture among them (ADR 0067: it leaves a reserve of SES's quota);
    // Handoff sends its own claim only (the rep's email)
    mail.grantSendNurture(advance);
    mail.grantSend(handoff);
    const park = new LeadPactFunction(this, 'Park', {
      entry: 'task-park.ts',
      description:
        "Workflow park states: write the wake's change with the task token, send the emails it claimed, or resume at once",
      timeout: Duration.seconds(60),
      memorySize: 512,
      logRetention,
      slaJson,
      ...(opsEmail ? { environment: opsEmail } : {}),
    });
    // park writes the wake's change, its claimed emails and the token in one conditional PutItem (or
    // updates token and deadline in place after Handoff), reads the lead back after a lost answer
    // (GetItem), sends the emails and marks them sent with the write's report facts (BatchWriteItem): no
    // Query, no rotation (ADR 0025)
    store.grantParkLeads(park);
    store.grantUpdateLeads(park);
    store.grantMarkSent(park);
    mail.grantSendNurture(park);
    secrets.grantActionLinkKey(park);
    const recordFailure = new LeadPactFunction(this, 'RecordFailure', {
      entry: 'task-record-failure.ts',
      description: 'Workflow Catch path: record the failure on the lead and alert ops',
      timeout: Duration.seconds(30),
      memorySize: 256,
      logRetention,
      slaJson,
      ...(opsEmail ? { environment: opsEmail } : {}),
    });
    store.grantUpdateLeads(recordFailure);
    if (props.opsEmail) mail.grantSend(recordFailure);

    this.tasks = {
      AdvanceFunctionArn: advance,
      HandoffFunctionArn: handoff,
      ParkFunctionArn: park,
      RecordFailureFunctionArn: recordFailure,
    };

    const stack = Stack.of(this);
    this.stateMachineName = `${stack.stackName}-lead-lifecycle`.slice(0, 80);
    const executionLogs = new LogGroup(this, 'ExecutionLogs', {
      // the vendedlogs prefix keeps CloudWatch Logs' resource policy from growing per log group
      logGroupName: `/aws/vendedlogs/states/${this.stateMachineName}`,
      retention: logRetention,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    this.stateMachine = new StateMachine(this, 'LeadLifecycle', {
      stateMachineName: this.stateMachineName,
      stateMachineType: StateMachineType.STANDARD,
      comment: 'LeadPact: one execution per lead and cycle',
      definitionBody: DefinitionBody.fromString(partitionAware(leadLifecycleAslText())),
      definitionSubstitutions: {
        ...Object.fromEntries(
          LEAD_LIFECYCLE_PLACEHOLDERS.map((name) => [name, this.tasks[name].functionArn]),
        ),
        [PARTITION_PLACEHOLDER]: Aws.PARTITION,
      },
      // every event; execution data (inputs, outputs, error causes) stays out: it may name a person
      logs: { destination: executionLogs, level: LogLevel.ALL, includeExecutionData: false },
      tracingEnabled: true,
    });
    // the task states invoke exactly these functions (unqualified ARNs, as in the definition)
    this.stateMachine.addToRolePolicy(
      new PolicyStatement({
        sid: 'InvokeTaskFunctions',
        actions: ['lambda:InvokeFunction'],
        resources: LEAD_LIFECYCLE_PLACEHOLDERS.map((name) => this.tasks[name].functionArn),
      }),
    );
    // ContinueAsNew starts the next execution of this same state machine
    this.stateMachine.addToRolePolicy(
      new PolicyStatement({
        sid: 'ContinueAsNew',
        actions: ['states:StartExecution'],
        resources: [this.ownArn],
      }),
    );
    // Park resumes its own task when the lead changed meanwhile or is gone, and fails it with the route
    // error of a step that does not park (lambdas/aws/task-park.ts, ADR 0036)
    park.allow(
      new PolicyStatement({
        sid: 'ResumeParkedTask',
        actions: ['states:SendTaskSuccess', 'states:SendTaskFailure'],
        resources: [this.ownArn],
      }),
    );

    // every execution that fails or times out, whatever its Catch did (an error no Catch takes, a
    // RecordFailure that failed too): RecordFailure records it on the lead unless the Catch did, so the
    // reconciler restarts the lead (ADR 0038). EventBridge retries the delivery for a day
    this.failedExecutionDeadLetters = new Queue(this, 'FailedExecutionDeadLetters', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    suppress(this.failedExecutionDeadLetters, {
      id: 'AwsSolutions-SQS3',
      reason:
        'This queue is itself the dead-letter queue of the failed-execution rule target and of RecordFailure (on-failure destination); its depth is alarmed.',
    });
    new Rule(this, 'FailedExecutionRule', {
      description: 'LeadPact: a lead execution failed or timed out: record it on the lead (ADR 0038)',
      eventPattern: {
        source: ['aws.states'],
        detailType: [EXECUTION_STATUS_CHANGE],
        detail: { status: ['FAILED', 'TIMED_OUT'], stateMachineArn: [this.stateMachine.stateMachineArn] },
      },
      targets: [
        new LambdaFunction(recordFailure.function, {
          deadLetterQueue: this.failedExecutionDeadLetters,
          retryAttempts: 185,
          maxEventAge: Duration.hours(24),
        }),
      ],
    });
    // EventBridge's retries and dead-letter queue cover the delivery to Lambda's asynchronous queue only:
    // an error of the function itself (DynamoDB out in the same outage) is retried twice by Lambda within
    // minutes, then dropped, unless it goes somewhere. The same alarmed queue (the Catch path invokes the
    // function synchronously: this applies to the event path alone)
    recordFailure.function.configureAsyncInvoke({
      onFailure: new SqsDestination(this.failedExecutionDeadLetters),
      retryAttempts: 2,
      maxEventAge: Duration.hours(6),
    });

    for (const fn of Object.values(this.tasks)) suppress(fn, XRAY_WILDCARD);
    suppress(this.stateMachine, {
      id: 'AwsSolutions-IAM5',
      reason:
        'The state machine role needs Resource * only for actions without resource-level permissions, which CDK adds: X-Ray (xray:PutTraceSegments, PutTelemetryRecords, GetSamplingRules, GetSamplingTargets; tracing is on) and log delivery for LogLevel.ALL (logs:CreateLogDelivery, GetLogDelivery, UpdateLogDelivery, DeleteLogDelivery, ListLogDeliveries, PutResourcePolicy, DescribeResourcePolicies, DescribeLogGroups).',
      appliesTo: ['Resource::*'],
    });
  }

  /** This state machine's ARN, built from its name (no reference to the resource: see the module comment). */
  get ownArn(): string {
    return Stack.of(this).formatArn({
      service: 'states',
      resource: 'stateMachine',
      resourceName: this.stateMachineName,
      arnFormat: ArnFormat.COLON_RESOURCE_NAME,
    });
  }

  /** Where links in the emails point (the API's URL, or a custom domain): every task that renders email. */
  setPublicBaseUrl(url: string): void {
    // Park sends the emails a wake claimed (ADR 0025)
    for (const fn of [
      this.tasks.AdvanceFunctionArn,
      this.tasks.HandoffFunctionArn,
      this.tasks.ParkFunctionArn,
    ]) {
      fn.addEnvironment(ENV.publicBaseUrl, url);
    }
  }

  /** Start a lead's execution (new lead, a lead back after erasure): StartExecution on this state machine. */
  grantStart(fn: LeadPactFunction): void {
    fn.allow(
      new PolicyStatement({
        sid: 'StartLeadWorkflow',
        actions: ['states:StartExecution'],
        resources: [this.stateMachine.stateMachineArn],
      }),
    );
    fn.addEnvironment(ENV.stateMachineArn, this.stateMachine.stateMachineArn);
  }

  /** Wake a parked execution after changing its lead: SendTaskSuccess, authorized on this state machine. */
  grantSignal(fn: LeadPactFunction): void {
    fn.allow(
      new PolicyStatement({
        sid: 'SignalLeadWorkflow',
        actions: ['states:SendTaskSuccess'],
        resources: [this.stateMachine.stateMachineArn],
      }),
    );
    fn.addEnvironment(ENV.stateMachineArn, this.stateMachine.stateMachineArn);
  }

  /** Is a lead's execution alive (the reconciler): DescribeExecution on this state machine's executions only. */
  grantDescribe(fn: LeadPactFunction): void {
    fn.allow(
      new PolicyStatement({
        sid: 'DescribeLeadWorkflow',
        actions: ['states:DescribeExecution'],
        resources: [this.executionsArn()],
      }),
    );
    fn.addEnvironment(ENV.stateMachineArn, this.stateMachine.stateMachineArn);
    suppress(fn, {
      id: 'AwsSolutions-IAM5',
      reason:
        "The reconciler looks up a lead's execution, named <leadId>-c<cycle>-g<generation> at run time: the wildcard covers the executions of the LeadPact state machine only.",
      appliesTo: [/^Resource::arn:<AWS::Partition>:states:<AWS::Region>:<AWS::AccountId>:execution:.*:\*$/],
    });
  }

  private executionsArn(): string {
    return Stack.of(this).formatArn({
      service: 'states',
      resource: 'execution',
      resourceName: `${this.stateMachineName}:*`,
      arnFormat: ArnFormat.COLON_RESOURCE_NAME,
    });
  }

  /** Stop a lead's executions (erase): StopExecution on this state machine's executions only. */
  grantStop(fn: LeadPactFunction): void {
    const executions = this.executionsArn();
    fn.allow(
      new PolicyStatement({
        sid: 'StopLeadWorkflow',
        actions: ['states:StopExecution'],
        resources: [executions],
      }),
    );
    fn.addEnvironment(ENV.stateMachineArn, this.stateMachine.stateMachineArn);
    suppress(fn, {
      id: 'AwsSolutions-IAM5',
      reason:
        "Erase stops the lead's executions, named <leadId>-c<cycle>-g<generation> at run time: the wildcard covers the executions of the LeadPact state machine only.",
      appliesTo: [/^Resource::arn:<AWS::Partition>:states:<AWS::Region>:<AWS::AccountId>:execution:.*:\*$/],
    });
  }
}

/** What Step Functions names the EventBridge event of an execution's status change (Standard workflows). */
export const EXECUTION_STATUS_CHANGE = 'Step Functions Execution Status Change';

/** The definition substitution that carries the stack's partition (aws, aws-cn, aws-us-gov). */
export const PARTITION_PLACEHOLDER = 'Partition';

/**
 * The definition with every `arn:aws:` ARN written `arn:${Partition}:`. Only the service integration
 * ARNs (`arn:aws:states:::...`) may be hard-coded in the file; any other is an error here, at synth.
 */
export function partitionAware(text: string): string {
  const aware = text.replaceAll('"arn:aws:states:::', `"arn:\${${PARTITION_PLACEHOLDER}}:states:::`);
  if (aware.includes('arn:aws:'))
    throw new Error(
      'statemachines/lead-lifecycle.asl.json hard-codes an arn:aws: ARN other than a service integration: use a placeholder',
    );
  return aware;
}
