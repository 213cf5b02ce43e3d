/**
 * The reconciler on AWS: a function run every few minutes by an EventBridge schedule. It reads the
 * due index (GSI3, never a Scan), asks Step Functions whether each due lead's execution is alive
 * (DescribeExecution) and starts the next generation of any that is not (StartExecution). What it
 * repaired is a metric (LeadPact/LeadsRestarted), alarmed: a restart means something lost a
 * workflow (a failure the lead retries, a lost start), and ops should look.
 */
import { Duration } from 'aws-cdk-lib';
import { Alarm, ComparisonOperator, Metric, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import { Rule, Schedule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { LeadPactFunction } from './leadpact-function.ts';
import { suppress, XRAY_WILDCARD } from './nag.ts';
import type { LeadStore } from './store.ts';
import type { LeadWorkflow } from './workflow.ts';

export interface ReconcilerProps {
  readonly store: LeadStore;
  readonly workflow: LeadWorkflow;
  readonly logRetention: RetentionDays;
  /**
   * the parsed SLA as JSON (config.slaJson): the index pass gives a lead the index entries a writer with the SLA
   * gives (no next-step entry past its contact phase: ADR 0053)
   */
  readonly slaJson: string;
  /** minutes between runs (default 5) */
  readonly everyMinutes?: number;
}

/** The namespace and name the reconcile function publishes (lambdas/aws/reconcile-leads.ts). */
export const LEADS_RESTARTED_METRIC = { namespace: 'LeadPact', metricName: 'LeadsRestarted' } as const;

export class Reconciler extends Construct {
  readonly function: LeadPactFunction;
  readonly schedule: Rule;
  readonly restarted: Metric;

  constructor(scope: Construct, id: string, props: ReconcilerProps) {
    super(scope, id);
    const every = props.everyMinutes ?? 5;
    this.function = new LeadPactFunction(this, 'Function', {
      entry: 'reconcile-leads.ts',
      description: 'Reconciler: restart every lead that is due and has no live workflow execution',
      timeout: Duration.minutes(Math.min(every, 5)),
      memorySize: 512,
      logRetention: props.logRetention,
      slaJson: props.slaJson,
    });
    props.store.grantReadDueIndex(this.function);
    // where the last run's walk of the due index stopped, when more leads were due than a run checks
    props.store.grantDueCursor(this.function);
    // the execution's name on the lead before it starts (erase stops it by that name)
    props.store.grantRecordExecution(this.function);
    props.workflow.grantStart(this.function);
    props.workflow.grantDescribe(this.function);
    // a live execution parked on a token a signal took and could not deliver: sent again (GetItem, then
    // SendTaskSuccess)
    props.store.grantReadLead(this.function);
    props.workflow.grantSignal(this.function);
    // the index pass after each run: every lead brought to today's index keys (reindex-leads.ts)
    props.store.grantIndexPass(this.function);
    // the retention pass after it (erase-unconfirmed.ts, ADR 0092): a lead's events and attempts read (Query,
    // IndexPass's), its erase written (GetItem, PutItem: ReadLead's and IndexPass's), its progress item put
    // (IndexPass's); what is new is the erase's own: its history deleted and its execution stopped, as DELETE does
    props.store.grantEraseHistory(this.function);
    props.workflow.grantStop(this.function);
    suppress(this.function, XRAY_WILDCARD);

    this.schedule = new Rule(this, 'Schedule', {
      description: `Every ${every} minutes: restart leads that are due with no live execution`,
      schedule: Schedule.rate(Duration.minutes(every)),
      targets: [new LambdaFunction(this.function.function, { retryAttempts: 2 })],
    });
    this.restarted = new Metric({
      ...LEADS_RESTARTED_METRIC,
      statistic: 'Sum',
      period: Duration.minutes(15),
    });
  }

  /** An alarm on any restart (threshold from context: alarms.leadsRestarted). */
  alarm(scope: Construct, threshold: number): Alarm {
    return new Alarm(scope, 'LeadsRestarted', {
      metric: this.restarted,
      threshold,
      evaluationPeriods: 1,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: TreatMissingData.NOT_BREACHING,
      alarmDescription: `The reconciler restarted ${threshold}+ lead workflows in 15 minutes: a lead was due with no live execution (a workflow failure being retried, a lost start). The leads are back on track; the function's log names them. Look for the cause in the FailedExecutions alarm and the task logs.`,
    });
  }
}
