/**
 * ADR 0038: every lead execution that fails or times out reaches the RecordFailure function through an
 * EventBridge rule on the default bus, whatever its Catch did; undelivered ends wait in an alarmed
 * dead-letter queue. Template assertions (the rule, its target's retry policy, the permission EventBridge
 * needs to invoke the function, the queue policy, the alarm).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { EXECUTION_STATUS_CHANGE } from '../../lib/workflow.ts';
import { type Synthesized, synthesize } from './synth.ts';

let synth: Synthesized;
// a synth takes seconds, more on a busy machine: the hook's own timeout, as the other template tests give theirs
beforeAll(() => {
  synth = synthesize({ bundle: false });
}, 120_000);

describe('failed executions are recorded on their lead (ADR 0038)', () => {
  const ruleOf = () => {
    const rules = Object.entries(synth.template.findResources('AWS::Events::Rule')).filter(
      ([, rule]) => rule.Properties.EventPattern?.source?.[0] === 'aws.states',
    );
    expect(rules).toHaveLength(1);
    return rules[0]!;
  };

  it("matches the lead state machine's failed and timed-out executions, not stopped or succeeded ones", () => {
    // Act
    const [, rule] = ruleOf();
    // Assert
    expect(rule.Properties.EventPattern).toEqual({
      source: ['aws.states'],
      'detail-type': [EXECUTION_STATUS_CHANGE],
      detail: {
        status: ['FAILED', 'TIMED_OUT'],
        stateMachineArn: [synth.resolve(synth.stack.workflow.stateMachine.stateMachineArn)],
      },
    });
    expect(rule.Properties.EventBusName).toBeUndefined(); // the default bus, where Step Functions sends them
  });

  it('invokes RecordFailure, retrying for a day, then into an alarmed dead-letter queue', () => {
    // Arrange
    const [ruleId, rule] = ruleOf();
    const recordFailure = synth.stack.workflow.tasks.RecordFailureFunctionArn.function;
    const queue = synth.stack.workflow.failedExecutionDeadLetters;
    // Assert: the target
    const targets = rule.Properties.Targets as Record<string, unknown>[];
    expect(targets).toHaveLength(1);
    expect(targets[0]).toMatchObject({
      Arn: synth.resolve(recordFailure.functionArn),
      RetryPolicy: { MaximumRetryAttempts: 185, MaximumEventAgeInSeconds: 86_400 },
      DeadLetterConfig: { Arn: synth.resolve(queue.queueArn) },
    });
    // EventBridge may invoke the function from this rule only (a resource policy: IAM on AWS alone)
    synth.template.hasResourceProperties('AWS::Lambda::Permission', {
      Action: 'lambda:InvokeFunction',
      Principal: 'events.amazonaws.com',
      FunctionName: synth.resolve(recordFailure.functionArn),
      SourceArn: { 'Fn::GetAtt': [ruleId, 'Arn'] },
    });
    // ... and send what it cannot deliver to the queue, over TLS only
    const policies = Object.values(synth.template.findResources('AWS::SQS::QueuePolicy')).map((p) =>
      JSON.stringify(p.Properties),
    );
    const queueRef = JSON.stringify(synth.resolve(queue.queueUrl));
    const policy = policies.find((text) => text.includes(queueRef));
    expect(policy).toContain('events.amazonaws.com');
    expect(policy).toContain('aws:SecureTransport');
    // the queue's depth is alarmed
    synth.template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Dimensions: [{ Name: 'QueueName', Value: synth.resolve(queue.queueName) }],
    });
  });

  it("sends an end the function itself failed on (after Lambda's own retries) to the same alarmed queue", () => {
    // EventBridge hands the event to Lambda's asynchronous queue: its retry policy and dead-letter queue cover
    // the delivery only. An error of the function (DynamoDB out through the same outage) is retried twice by
    // Lambda, within three minutes, and then dropped unless the function has an on-failure destination
    // Arrange
    const recordFailure = synth.stack.workflow.tasks.RecordFailureFunctionArn.function;
    const queue = synth.stack.workflow.failedExecutionDeadLetters;
    // Assert
    synth.template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
      FunctionName: synth.resolve(recordFailure.functionName),
      MaximumRetryAttempts: 2,
      MaximumEventAgeInSeconds: 6 * 3600,
      DestinationConfig: { OnFailure: { Destination: synth.resolve(queue.queueArn) } },
    });
    // the function's own role may send to it (Lambda sends the failed invocation's record as the function)
    const role = synth.resolve(recordFailure.role!.roleName);
    const policies = Object.values(synth.template.findResources('AWS::IAM::Policy'))
      .filter((p) => JSON.stringify(p.Properties.Roles).includes(JSON.stringify(role)))
      .map((p) => JSON.stringify(p.Properties.PolicyDocument));
    expect(policies.join()).toContain(JSON.stringify(synth.resolve(queue.queueArn)));
    expect(policies.join()).toContain('sqs:SendMessage');
  });
});
