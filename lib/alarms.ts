/**
 * Alarms to one SNS topic (ops email subscribed when opsEmail is set): a function's errors, failed
 * workflow executions, messages in a dead-letter queue, API and public form 5xx answers, the table's
 * throttling, and the SES account's bounce
 * and complaint rates (AWS reviews an account at 5 % bounces / 0.1 % complaints and may pause sending
 * at 10 % / 0.5 %). Thresholds come from context (lib/config.ts).
 */
import { Duration, Stack } from 'aws-cdk-lib';
import type { RestApi } from 'aws-cdk-lib/aws-apigateway';
import type { HttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import {
  Alarm,
  ComparisonOperator,
  type IMetric,
  MathExpression,
  Metric,
  TreatMissingData,
} from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import type { Table } from 'aws-cdk-lib/aws-dynamodb';
import { FilterPattern, MetricFilter } from 'aws-cdk-lib/aws-logs';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import type { Queue } from 'aws-cdk-lib/aws-sqs';
import type { StateMachine } from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { HELD_MESSAGE } from '../lambdas/tasks/held-mail.ts';
import { HANDOFF_FALLBACK_MESSAGE } from '../lambdas/tasks/payload.ts';
import type { LeadPactConfig } from './config.ts';
import type { LeadPactFunction } from './leadpact-function.ts';
import type { Reconciler } from './reconciler.ts';

export interface LeadPactAlarmsProps {
  readonly thresholds: LeadPactConfig['alarms'];
  readonly opsEmail?: string;
  readonly functions: Readonly<Record<string, LeadPactFunction>>;
  readonly stateMachine: StateMachine;
  readonly deadLetterQueues: Readonly<Record<string, Queue>>;
  readonly httpApi: HttpApi;
  /** the public form's REST API (ADR 0015): its own 5xx metric, which the HTTP API's never counts */
  readonly formApi: RestApi;
  readonly table: Table;
  readonly reconciler: Reconciler;
}

export class LeadPactAlarms extends Construct {
  readonly topic: Topic;
  readonly alarms: Alarm[] = [];

  constructor(scope: Construct, id: string, props: LeadPactAlarmsProps) {
    super(scope, id);
    const { thresholds } = props;
    this.topic = new Topic(this, 'Topic', { displayName: 'LeadPact alarms', enforceSSL: true });
    if (props.opsEmail) this.topic.addSubscription(new EmailSubscription(props.opsEmail));
    const fiveMinutes = Duration.minutes(5);

    for (const [name, fn] of Object.entries(props.functions)) {
      this.alarm(`${name}Errors`, {
        metric: fn.metricErrors({ period: fiveMinutes, statistic: 'Sum' }),
        threshold: thresholds.functionErrors,
        description: `LeadPact function ${name} failed ${thresholds.functionErrors}+ times in 5 minutes. Logs: its log group; the API and park paths retry, the workflow catches.`,
      });
    }
    this.alarm('FailedExecutions', {
      metric: props.stateMachine.metricFailed({ period: fiveMinutes, statistic: 'Sum' }),
      threshold: thresholds.failedExecutions,
      description:
        'A lead workflow failed after its retries: the lead records workflowError, ops got an email, and the reconciler restarts the lead with growing waits (docs/reliability.md). Fix the cause if it persists.',
    });
    this.adopt(props.reconciler.alarm(this, thresholds.leadsRestarted));
    // Advance's own handoff failed and was left to the Handoff state (ADR 0049): no Lambda error counts it
    const advance = props.functions.Advance;
    if (advance) {
      const fallbacks = new MetricFilter(this, 'HandoffFallbacksFilter', {
        logGroup: advance.logGroup,
        filterPattern: FilterPattern.stringValue('$.msg', '=', HANDOFF_FALLBACK_MESSAGE),
        metricNamespace: `LeadPact/${Stack.of(this).stackName}`,
        metricName: 'HandoffFallbacks',
        metricValue: '1',
      });
      this.alarm('HandoffFallbacks', {
        metric: fallbacks.metric({ period: fiveMinutes, statistic: 'Sum' }),
        threshold: thresholds.functionErrors,
        description: `Advance could not hand ${thresholds.functionErrors}+ leads off itself in 5 minutes and left them to the Handoff state (slower, not lost): its log's "${HANDOFF_FALLBACK_MESSAGE}" lines name the lead and the error (SES refusing, a missing grant).`,
      });
    }
    // nurture emails dropped for SES's daily quota reserve (ADR 0067): the quota is nearly spent; no error counts it
    const nurtureSenders = [props.functions.Advance, props.functions.Park].filter((fn) => fn !== undefined);
    if (nurtureSenders.length > 0) {
      const metric = { metricNamespace: `LeadPact/${Stack.of(this).stackName}`, metricName: 'NurtureHeld' };
      const filters = nurtureSenders.map(
        (fn, index) =>
          new MetricFilter(this, `NurtureHeldFilter${index}`, {
            logGroup: fn.logGroup,
            filterPattern: FilterPattern.stringValue('$.msg', '=', HELD_MESSAGE),
            ...metric,
            metricValue: '1',
          }),
      );
      this.alarm('NurtureHeld', {
        metric: filters[0]!.metric({ period: fiveMinutes, statistic: 'Sum' }),
        threshold: 1,
        description: `Nurture emails were dropped: SES's daily quota is down to the reserve kept for the SLA's own emails (mailReservePercent, ADR 0067). Rep and manager emails still go. Ask AWS for a higher daily quota (docs/scaling.md). Advance's and Park's logs, msg "${HELD_MESSAGE}", name each lead and email.`,
      });
    }
    for (const [name, queue] of Object.entries(props.deadLetterQueues)) {
      this.alarm(`${name}DeadLetters`, {
        metric: queue.metricApproximateNumberOfMessagesVisible({ period: fiveMinutes, statistic: 'Maximum' }),
        threshold: thresholds.dlqMessages,
        description: `Messages wait in the ${name} dead-letter queue: read them, fix the cause, redrive (docs/deploy.md).`,
      });
    }
    this.alarm('Api5xx', {
      metric: props.httpApi.metricServerError({ period: fiveMinutes, statistic: 'Sum' }),
      threshold: thresholds.api5xx,
      description: `The API answered 5xx ${thresholds.api5xx}+ times in 5 minutes (handlers log the route and error class).`,
    });
    // a form post answered 500 or 503 is handled by the handler, so no function error counts it, and the form
    // is not on the HTTP API: without this, a form that fails for everyone alarms nobody
    this.alarm('Form5xx', {
      metric: props.formApi.metricServerError({ period: fiveMinutes, statistic: 'Sum' }),
      threshold: thresholds.form5xx,
      description: `The public form answered 5xx ${thresholds.form5xx}+ times in 5 minutes: people's posts may not have got in (a 503 asked them to send again). The LeadForm function's log names the error; a busy dependency logs "temporarily_unavailable".`,
    });
    this.alarm('TableThrottles', {
      metric: new MathExpression({
        expression: 'reads + writes',
        usingMetrics: {
          reads: props.table.metric('ReadThrottleEvents', { statistic: 'Sum', period: fiveMinutes }),
          writes: props.table.metric('WriteThrottleEvents', { statistic: 'Sum', period: fiveMinutes }),
        },
        label: 'throttled reads and writes',
        period: fiveMinutes,
      }),
      threshold: thresholds.throttles,
      description: `DynamoDB throttled ${thresholds.throttles}+ reads and writes of the lead table in 5 minutes. The SDK and the workflow retry them, and a request still refused answers 503 with Retry-After; many mean a hot lead or an account quota (docs/scaling.md).`,
    });
    this.alarm('BounceRate', {
      metric: sesReputation('Reputation.BounceRate'),
      threshold: thresholds.bounceRate,
      description: `The SES account bounce rate reached ${thresholds.bounceRate * 100} % (AWS reviews at 5 %, may pause sending at 10 %).`,
    });
    this.alarm('ComplaintRate', {
      metric: sesReputation('Reputation.ComplaintRate'),
      threshold: thresholds.complaintRate,
      description: `The SES account complaint rate reached ${thresholds.complaintRate * 100} % (AWS reviews at 0.1 %, may pause sending at 0.5 %).`,
    });
  }

  private alarm(id: string, props: { metric: IMetric; threshold: number; description: string }): void {
    const alarm = new Alarm(this, id, {
      metric: props.metric,
      threshold: props.threshold,
      evaluationPeriods: 1,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: TreatMissingData.NOT_BREACHING,
      alarmDescription: props.description,
    });
    this.adopt(alarm);
  }

  /** Sends an alarm's changes to the topic. */
  private adopt(alarm: Alarm): void {
    alarm.addAlarmAction(new SnsAction(this.topic));
    alarm.addOkAction(new SnsAction(this.topic));
    this.alarms.push(alarm);
  }
}

function sesReputation(metricName: string): Metric {
  return new Metric({ namespace: 'AWS/SES', metricName, statistic: 'Maximum', period: Duration.hours(1) });
}
