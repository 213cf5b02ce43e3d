/**
 * One CloudWatch dashboard for the stack (output DashboardUrl): what an ops person opens when an alarm
 * mails them, or on a Monday. Top to bottom: every alarm's state; leads coming in (the public form's
 * requests and 4xx/5xx, and the HTTP API's); the lead workflows (started, failed, timed out) and the leads
 * the reconciler restarted; each function's errors, throttles and p99 duration; the table's capacity and
 * throttling; email (the SES account's sends, bounces, complaints) and the dead-letter queues. Graphs only
 * of metrics AWS or the stack publish already: nothing here costs a request of the running code.
 */
import { Duration, Stack } from 'aws-cdk-lib';
import type { RestApi } from 'aws-cdk-lib/aws-apigateway';
import type { HttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import {
  type Alarm,
  AlarmStatusWidget,
  Dashboard,
  GraphWidget,
  type IMetric,
  Metric,
  TextWidget,
} from 'aws-cdk-lib/aws-cloudwatch';
import type { Table } from 'aws-cdk-lib/aws-dynamodb';
import type { Queue } from 'aws-cdk-lib/aws-sqs';
import type { StateMachine } from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import type { LeadPactFunction } from './leadpact-function.ts';

export interface LeadPactDashboardProps {
  readonly functions: Readonly<Record<string, LeadPactFunction>>;
  readonly stateMachine: StateMachine;
  readonly table: Table;
  readonly httpApi: HttpApi;
  readonly formApi: RestApi;
  readonly deadLetterQueues: Readonly<Record<string, Queue>>;
  readonly leadsRestarted: Metric;
  readonly alarms: readonly Alarm[];
}

const FIVE_MINUTES = Duration.minutes(5);
const FULL = 24;
const HALF = 12;
const THIRD = 8;
const HEIGHT = 6;

export class LeadPactDashboard extends Construct {
  readonly dashboard: Dashboard;

  constructor(scope: Construct, id: string, props: LeadPactDashboardProps) {
    super(scope, id);
    const stack = Stack.of(this);
    this.dashboard = new Dashboard(this, 'Dashboard', {
      dashboardName: stack.stackName,
      defaultInterval: Duration.days(1),
    });
    const functions = Object.entries(props.functions);
    const perFunction = (metric: (fn: LeadPactFunction) => IMetric) =>
      functions.map(([name, fn]) => withLabel(metric(fn), name));
    const sum = { period: FIVE_MINUTES, statistic: 'Sum' };

    this.dashboard.addWidgets(
      new TextWidget({
        markdown: [
          `# LeadPact (stack ${stack.stackName})`,
          'An alarm mails the ops topic; what each means and what to do: docs/deploy.md (Alarms), docs/reliability.md, docs/scaling.md.',
        ].join('\n\n'),
        width: FULL,
        height: 2,
      }),
    );
    this.dashboard.addWidgets(
      new AlarmStatusWidget({
        title: 'Alarms',
        alarms: [...props.alarms],
        width: FULL,
        height: Math.max(3, Math.ceil(props.alarms.length / 6) + 1),
      }),
    );
    this.dashboard.addWidgets(
      graph('Public form: posts and answers (sum per 5 minutes)', HALF, [
        withLabel(props.formApi.metricCount(sum), 'posts'),
        withLabel(
          props.formApi.metricClientError(sum),
          '4xx (refused: a field, the origin, a bot, a rate limit)',
        ),
        withLabel(props.formApi.metricServerError(sum), '5xx (may not have got in)'),
      ]),
      graph('API and console: requests and answers (sum per 5 minutes)', HALF, [
        withLabel(props.httpApi.metricCount(sum), 'requests'),
        withLabel(props.httpApi.metricClientError(sum), '4xx'),
        withLabel(props.httpApi.metricServerError(sum), '5xx'),
      ]),
    );
    this.dashboard.addWidgets(
      graph('Lead workflows (sum per 5 minutes)', HALF, [
        withLabel(props.stateMachine.metricStarted(sum), 'started'),
        withLabel(props.stateMachine.metricFailed(sum), 'failed'),
        withLabel(props.stateMachine.metricTimedOut(sum), 'timed out'),
        withLabel(props.stateMachine.metricAborted(sum), 'stopped (erase, new cycle)'),
      ]),
      graph('Leads the reconciler restarted (sum per 15 minutes)', HALF, [
        withLabel(props.leadsRestarted, 'restarted'),
      ]),
    );
    this.dashboard.addWidgets(
      graph(
        'Function errors (sum per 5 minutes)',
        THIRD,
        perFunction((fn) => fn.function.metricErrors(sum)),
      ),
      graph(
        'Function throttles (sum per 5 minutes)',
        THIRD,
        perFunction((fn) => fn.function.metricThrottles(sum)),
      ),
      graph(
        'Function duration p99 (ms)',
        THIRD,
        perFunction((fn) => fn.function.metricDuration({ period: FIVE_MINUTES, statistic: 'p99' })),
      ),
    );
    this.dashboard.addWidgets(
      graph('Lead table: capacity used (units per 5 minutes)', HALF, [
        withLabel(props.table.metricConsumedReadCapacityUnits(sum), 'read units'),
        withLabel(props.table.metricConsumedWriteCapacityUnits(sum), 'write units'),
      ]),
      graph('Lead table: throttled (sum per 5 minutes)', HALF, [
        withLabel(props.table.metric('ReadThrottleEvents', sum), 'reads'),
        withLabel(props.table.metric('WriteThrottleEvents', sum), 'writes'),
      ]),
    );
    this.dashboard.addWidgets(
      graph(
        'Email: the SES account (sum per hour)',
        HALF,
        ['Send', 'Delivery', 'Bounce', 'Complaint', 'Reject'].map(
          (name) =>
            new Metric({
              namespace: 'AWS/SES',
              metricName: name,
              statistic: 'Sum',
              period: Duration.hours(1),
              label: name.toLowerCase(),
            }),
        ),
      ),
      graph(
        'Dead-letter queues: messages waiting',
        HALF,
        Object.entries(props.deadLetterQueues).map(([name, queue]) =>
          withLabel(
            queue.metricApproximateNumberOfMessagesVisible({ period: FIVE_MINUTES, statistic: 'Maximum' }),
            name,
          ),
        ),
      ),
    );
  }

  /** The dashboard in the CloudWatch console of the stack's region. */
  get url(): string {
    const region = Stack.of(this).region;
    return `https://${region}.console.aws.amazon.com/cloudwatch/home?region=${region}#dashboards:name=${this.dashboard.dashboardName}`;
  }
}

function graph(title: string, width: number, left: IMetric[]): GraphWidget {
  return new GraphWidget({ title, width, height: HEIGHT, left, leftYAxis: { min: 0 } });
}

function withLabel(metric: IMetric, label: string): IMetric {
  return metric instanceof Metric ? metric.with({ label }) : metric;
}
