/**
 * What ops watch on AWS beyond each function's errors (stack.test.ts 'alarms'): the public form's own 5xx
 * answers, alarmed (the form is a REST API of its own behind WAF, ADR 0015: the HTTP API's 5xx metric never
 * sees it, and a handled failure answered 500 or 503 is no Lambda error), DynamoDB throttling, alarmed, and one
 * dashboard that shows leads coming in, the workflow, the functions, the table and email at a glance.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_CONTEXT } from '../../lib/config.ts';
import { type Synthesized, synthesize } from './synth.ts';

let synth: Synthesized;
beforeAll(() => {
  synth = synthesize({ bundle: false });
}, 120_000);

type Props = Record<string, unknown>;
const alarms = () =>
  Object.values(synth.template.findResources('AWS::CloudWatch::Alarm')).map((a) => a.Properties as Props);
const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

describe('alarms ops need on AWS', () => {
  it("alarms on the public form's 5xx answers, by its REST API's name, to the ops topic", () => {
    // Arrange
    const formApiName = synth.resolve(synth.stack.formApi.restApi.restApiName);
    // the stack's own name: another stack's REST API in the account would not share its metrics
    expect(formApiName).toBe(`${synth.stack.stackName}-form`);
    const topic = synth.resolve(synth.stack.alarms.topic.topicArn);

    // Act
    const form5xx = alarms().find(
      (alarm) =>
        alarm.Namespace === 'AWS/ApiGateway' &&
        alarm.MetricName === '5XXError' &&
        (alarm.Dimensions as { Name: string; Value: unknown }[]).some(
          (d) => d.Name === 'ApiName' && same(d.Value, formApiName),
        ),
    );

    // Assert
    expect(form5xx).toMatchObject({
      Statistic: 'Sum',
      Period: 300,
      Threshold: DEFAULT_CONTEXT.alarmForm5xx,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      AlarmActions: [topic],
    });
    expect(String(form5xx?.AlarmDescription)).toMatch(/form/i);
  });

  it("alarms on the table's throttled reads and writes together", () => {
    // Arrange
    const table = synth.resolve(synth.stack.store.table.tableName);

    // Act
    const throttles = alarms().find((alarm) =>
      JSON.stringify(alarm.Metrics ?? []).includes('WriteThrottleEvents'),
    );

    // Assert
    expect(throttles).toBeDefined();
    const metrics = (throttles!.Metrics as { MetricStat?: { Metric: Props }; Expression?: string }[])
      .filter((m) => m.MetricStat)
      .map((m) => m.MetricStat!.Metric);
    expect(metrics.map((m) => m.MetricName).sort()).toEqual(['ReadThrottleEvents', 'WriteThrottleEvents']);
    for (const metric of metrics) expect(metric.Dimensions).toEqual([{ Name: 'TableName', Value: table }]);
    expect(throttles!.Threshold).toBe(DEFAULT_CONTEXT.alarmThrottles);
  });
});

describe('the dashboard', () => {
  const body = () => {
    const dashboards = Object.values(synth.template.findResources('AWS::CloudWatch::Dashboard'));
    expect(dashboards).toHaveLength(1);
    return JSON.stringify(dashboards[0]!.Properties.DashboardBody);
  };

  it.each<[string, (s: Synthesized) => unknown]>([
    ['the public form API', (s) => s.stack.formApi.restApi.restApiName],
    ['the state machine', (s) => s.stack.workflow.stateMachine.stateMachineArn],
    ['the table', (s) => s.stack.store.table.tableName],
    ['the import dead-letter queue', (s) => s.stack.bulkImport.deadLetters.queueName],
  ])('shows %s', (_name, thing) => {
    // Arrange: the reference as the template writes it inside the body's Fn::Join (a plain name: in its text)
    const resolved = synth.resolve(thing(synth));
    const ref =
      typeof resolved === 'string'
        ? JSON.stringify(JSON.stringify(resolved)).slice(1, -1)
        : JSON.stringify(resolved);

    // Assert
    expect(body()).toContain(ref);
  });

  it('shows every function, and every alarm in its status widget', () => {
    // Arrange
    const text = body();
    const functions = Object.values(synth.stack.functions());
    const everyAlarm = synth.stack.alarms.alarms;

    // Assert
    for (const fn of functions)
      expect(text, fn.node.path).toContain(JSON.stringify(synth.resolve(fn.function.functionName)));
    expect(everyAlarm.length).toBeGreaterThan(functions.length);
    for (const alarm of everyAlarm)
      expect(text, alarm.node.path).toContain(JSON.stringify(synth.resolve(alarm.alarmArn)));
  });

  it('gives its URL as an output', () => {
    const outputs = synth.template.findOutputs('DashboardUrl');
    expect(JSON.stringify(Object.values(outputs)[0]?.Value)).toContain('#dashboards:name=');
  });
});
