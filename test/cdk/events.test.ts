/**
 * Events out in the synthesized stack: the bus, the publisher on the table's stream (filtered to writes
 * with entries to publish) and its sweep schedule, the dead-letter queue, least-privilege grants, one
 * Secrets Manager key per webhook. Then the same events reach "the bus": the local runtime publishes a
 * hot lead through the EventBridge adapter to a PutEvents stand-in under the bus name the template gives
 * the publisher, and they are exactly the events the webhook receiver verified.
 */
import { Match } from 'aws-cdk-lib/assertions';
import type { CfnFunction } from 'aws-cdk-lib/aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EventBridgeBus } from '../../lambdas/adapters/eventbridge-bus.ts';
import { EVENTS_INDEX } from '../../lambdas/adapters/table-definition.ts';
import { ENV } from '../../lambdas/aws/shared/env.ts';
import { webhookSubscriptions } from '../../lambdas/aws/shared/webhook-subscriptions.ts';
import { authorize, type IamCheck } from '../../local/iam/enforce.ts';
import { type CfnTemplate, roleStatements, templateResolver } from '../../local/iam/template-policy.ts';
import { exampleLead, startE2e } from '../support/e2e.ts';
import { type EventBridgeStandIn, startEventBridgeStandIn } from '../support/eventbridge-stand-in.ts';
import {
  startWebhookReceiver,
  TEST_WEBHOOK_SECRET,
  type WebhookReceiver,
} from '../support/webhook-receiver.ts';
import { actionsOf, type Synthesized, statementsOf, synthesize } from './synth.ts';

const WEBHOOKS = [
  { id: 'hubspot', url: 'https://crm.example.com/hooks/leadpact', events: ['lead.*', 'deal.stage_changed'] },
  // the receiver's URL in a secret of its own (a Slack URL is its credential: ADR 0064)
  { id: 'sales-slack', urlSecret: true, events: ['lead.assigned'] },
];

let synth: Synthesized;
beforeAll(() => {
  synth = synthesize({ bundle: false, context: { webhooks: WEBHOOKS } });
}, 120_000);

const publisherRole = () =>
  (synth.stack.resolve(synth.stack.events.publisher.role.roleName) as { Ref: string }).Ref;

describe('events out: the synthesized stack', () => {
  it('creates the bus and names it in the outputs', () => {
    synth.template.resourceCountIs('AWS::Events::EventBus', 1);
    const outputs = synth.template.findOutputs('*');
    expect(outputs.EventBusName!.Value).toEqual(synth.resolve(synth.stack.events.bus.eventBusName));
  });

  it('streams the table (new images) to the publisher, only writes that left entries to publish, with a dead-letter queue', () => {
    synth.template.hasResourceProperties('AWS::DynamoDB::Table', {
      StreamSpecification: { StreamViewType: 'NEW_IMAGE' },
    });
    synth.template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      EventSourceArn: Match.anyValue(),
      StartingPosition: 'TRIM_HORIZON',
      BisectBatchOnFunctionError: true,
      MaximumRetryAttempts: 5,
      FilterCriteria: {
        Filters: [
          {
            Pattern: JSON.stringify({
              dynamodb: { NewImage: { [EVENTS_INDEX.partitionKey]: { S: [{ exists: true }] } } },
            }),
          },
        ],
      },
      DestinationConfig: { OnFailure: { Destination: Match.anyValue() } },
    });
  });

  it('sweeps every minute (leads still listed, deliveries due)', () => {
    synth.template.hasResourceProperties('AWS::Events::Rule', {
      ScheduleExpression: 'rate(1 minute)',
      Targets: [Match.objectLike({ Arn: synth.resolve(synth.stack.events.publisher.function.functionArn) })],
    });
  });

  it('grants the publisher exactly what it does: PutEvents on the bus, the lead table, the events index, its webhook keys', () => {
    const statements = statementsOf(synth.template, publisherRole());
    const bySid = Object.fromEntries(statements.map((s) => [s.Sid, s]));
    expect(actionsOf(bySid.PutLeadEvents!)).toEqual(['events:PutEvents']);
    expect(bySid.PutLeadEvents!.Resource).toEqual(synth.resolve(synth.stack.events.bus.eventBusArn));
    expect(actionsOf(bySid.PublishLeadEvents!)).toEqual([
      'dynamodb:BatchGetItem',
      'dynamodb:GetItem',
      'dynamodb:PutItem',
      'dynamodb:UpdateItem',
    ]);
    // a lead whose older entries moved to their own items is read whole: one Query of its partition
    expect(actionsOf(bySid.ReadLeadTimeline!)).toEqual(['dynamodb:Query']);
    expect(bySid.ReadLeadTimeline!.Resource).toEqual(synth.resolve(synth.stack.store.table.tableArn));
    expect(actionsOf(bySid.ReadEventsIndex!)).toEqual(['dynamodb:Query']);
    expect(JSON.stringify(bySid.ReadEventsIndex!.Resource)).toContain(`/index/${EVENTS_INDEX.indexName}`);
    expect([bySid.ReadWebhookKeys!.Resource].flat()).toEqual([
      synth.resolve(synth.stack.events.webhookSecrets.hubspot!.secretArn),
      synth.resolve(synth.stack.events.webhookSecrets['sales-slack']!.secretArn),
      synth.resolve(synth.stack.events.webhookUrlSecrets['sales-slack']!.secretArn),
    ]);
    // nothing else but its logs, X-Ray and the stream it reads
    const other = statements.filter(
      (s) =>
        ![
          'PutLeadEvents',
          'PublishLeadEvents',
          'ReadLeadTimeline',
          'ReadEventsIndex',
          'ReadWebhookKeys',
        ].includes(String(s.Sid)),
    );
    expect(
      other
        .flatMap(actionsOf)
        .filter(
          (a) =>
            !/^(logs|xray|dynamodb:(DescribeStream|GetRecords|GetShardIterator|ListStreams)|sqs:(SendMessage|GetQueueAttributes|GetQueueUrl))/.test(
              a,
            ),
        ),
    ).toEqual([]);
  });

  it.each<['webhooks' | 'console']>([['webhooks'], ['console']])(
    "names the subscriptions' ids (the bus's first) to the %s function, which reads the delivery log",
    (group) => {
      // Arrange
      const fn =
        synth.template.toJSON().Resources[
          synth.stack.getLogicalId(synth.stack.api.functions[group].function.node.defaultChild as CfnFunction)
        ];
      // Act
      const env = fn.Properties.Environment.Variables as Record<string, string>;
      // Assert: a delivery log filter naming none of them (and nothing in the log) is refused, not answered empty
      expect(env[ENV.webhookIds]).toBe('eventbridge,hubspot,sales-slack');
    },
  );

  it('gives the publisher its subscriptions (ids, urls, events, key ARNs: never a key)', () => {
    const fn =
      synth.template.toJSON().Resources[
        synth.stack.getLogicalId(synth.stack.events.publisher.function.node.defaultChild as CfnFunction)
      ];
    const resolve = templateResolver(synth.template.toJSON() as CfnTemplate);
    const env = resolve(fn.Properties.Environment.Variables) as Record<string, string>;
    expect(JSON.parse(env[ENV.webhooks]!)).toEqual([
      {
        id: 'hubspot',
        url: WEBHOOKS[0]!.url,
        events: WEBHOOKS[0]!.events,
        secretArn: expect.stringMatching(/^arn:aws:secretsmanager:/),
      },
      {
        id: 'sales-slack',
        urlSecretArn: expect.stringMatching(/^arn:aws:secretsmanager:/),
        events: ['lead.assigned'],
        secretArn: expect.stringMatching(/^arn:aws:secretsmanager:/),
      },
    ]);
    synth.template.hasResourceProperties('AWS::SecretsManager::Secret', {
      GenerateSecretString: { PasswordLength: 44, ExcludePunctuation: true, IncludeSpace: false },
    });
  });

  it("keeps a urlSecret subscription's URL in a secret of its own, named in an output, generated until ops fill it", () => {
    const urlSecret = synth.stack.events.webhookUrlSecrets['sales-slack']!;
    const logicalId = synth.stack.getLogicalId(urlSecret.node.defaultChild as never);
    const resource = synth.template.toJSON().Resources[logicalId];
    expect(resource.Properties.Description).toMatch(/receiver URL of webhook subscription sales-slack/);
    // a generated value (no URL anywhere in the template), kept when the stack goes
    expect(resource.Properties.GenerateSecretString).toMatchObject({ PasswordLength: 32 });
    expect(resource.Properties).not.toHaveProperty('SecretString');
    expect(resource.DeletionPolicy).toBe('Retain');
    const outputs = synth.template.findOutputs('WebhookUrlSecretsalesslack');
    expect(outputs.WebhookUrlSecretsalesslack!.Value).toEqual(synth.resolve(urlSecret.secretArn));
    // and the signing key's description does not pretend to know the URL
    const keyId = synth.stack.getLogicalId(
      synth.stack.events.webhookSecrets['sales-slack']!.node.defaultChild as never,
    );
    expect(synth.template.toJSON().Resources[keyId].Properties.Description).toMatch(
      /its URL in its own secret/,
    );
  });

  it("refuses two urlSecret ids that name the same output (they differ only in '-' or '_'), naming the id", () => {
    // the output is WebhookUrlSecret + the id's letters and digits: sales-slack and sales_slack both made
    // WebhookUrlSecretsalesslack, and synth failed on a construct name clash that named neither webhook
    const webhooks = [
      { id: 'sales-slack', urlSecret: true },
      { id: 'sales_slack', urlSecret: true },
    ];

    // Act / Assert
    expect(() => synthesize({ bundle: false, context: { webhooks } })).toThrow(
      /webhooks\[1\]\.id: "sales_slack" names the same output as "sales-slack" \(WebhookUrlSecretsalesslack\)/,
    );
  });

  it("the publisher, IAM enforced on its own role, reads a urlSecret subscription's URL and every key from the ARNs its environment names", async () => {
    // Arrange: the publisher's role and environment as the template gives them; ops put the Slack URL in its secret
    const template = synth.template.toJSON() as CfnTemplate;
    const resolve = templateResolver(template);
    const fn = synth.stack.functions().EventsPublisher!;
    const fnId = synth.stack.getLogicalId(fn.function.node.defaultChild as CfnFunction);
    const roleId = (synth.stack.resolve(fn.role.roleName) as { Ref: string }).Ref;
    const role = { name: 'EventsPublisher', statements: roleStatements(template, roleId, resolve) };
    const env = resolve(
      (template.Resources[fnId]!.Properties!.Environment as { Variables: unknown }).Variables,
    ) as Record<string, string>;
    const urlArn = resolve(synth.resolve(synth.stack.events.webhookUrlSecrets['sales-slack']!.secretArn));
    const slack = 'https://hooks.slack.com/services/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';
    const checks: IamCheck[] = [];

    // Act: what lambdas/aws/events-out.ts does at init, each GetSecretValue authorized against the role
    const subscriptions = await webhookSubscriptions(env[ENV.webhooks], async (arn) => {
      authorize('secretsmanager', 'GetSecretValueCommand', { SecretId: arn }, role, checks);
      return arn === urlArn ? slack : 'c2lnbmluZy1rZXktMDEyMzQ1Njc4OWFiY2RlZg==';
    });

    // Assert: three secrets read (two keys, one URL), none denied; the URL in use, nowhere in the template
    expect(checks.map((check) => check.allowed)).toEqual([true, true, true]);
    expect(subscriptions.map((subscription) => [subscription.id, subscription.url])).toEqual([
      ['hubspot', WEBHOOKS[0]!.url],
      ['sales-slack', slack],
    ]);
    expect(subscriptions[1]).not.toHaveProperty('unusable');
    expect(JSON.stringify(template)).not.toContain('hooks.slack.com');
  });

  it('passes cdk-nag with webhooks configured', () => {
    const errors = synth.annotations.findError('*', Match.stringLikeRegexp('AwsSolutions-.*'));
    expect(errors.map((e) => `${e.id}: ${String(e.entry.data).slice(0, 120)}`)).toEqual([]);
  });
});

describe('events out: the same events reach the bus', () => {
  let bridge: EventBridgeStandIn;
  let receiver: WebhookReceiver;
  beforeAll(async () => {
    bridge = await startEventBridgeStandIn();
    receiver = await startWebhookReceiver();
  });
  afterAll(async () => {
    await bridge?.close();
    await receiver?.close();
  });

  it('publishes a hot lead through the EventBridge adapter under the bus name the template gives the publisher', async () => {
    // Arrange: the publisher's environment as the template resolves it
    const fn =
      synth.template.toJSON().Resources[
        synth.stack.getLogicalId(synth.stack.events.publisher.function.node.defaultChild as CfnFunction)
      ];
    const env = templateResolver(synth.template.toJSON() as CfnTemplate)(
      fn.Properties.Environment.Variables,
    ) as Record<string, string>;
    const busName = env[ENV.eventBusName]!;
    const e = await startE2e({
      events: {
        bus: new EventBridgeBus(bridge.client(), busName),
        subscriptions: [{ id: 'crm', url: receiver.url, events: ['*'], secret: TEST_WEBHOOK_SECRET }],
        sweepEveryMs: 0,
      },
    });
    try {
      // Act
      await e.postLead(exampleLead('hot'));
      await e.settle();

      // Assert: every event on the bus, once, as the webhook receiver got it
      const onBus = bridge.entries.map((entry) => ({ ...entry, detail: JSON.parse(entry.Detail) }));
      expect(onBus.length).toBeGreaterThan(3);
      expect(onBus.every((entry) => entry.EventBusName === busName && entry.Source === 'leadpact')).toBe(
        true,
      );
      expect(onBus.map((entry) => entry.DetailType)).toEqual(onBus.map((entry) => entry.detail.type));
      expect(onBus.map((entry) => entry.detail.id)).toEqual(
        receiver.accepted().map((delivery) => delivery.id),
      );
      expect(onBus.map((entry) => entry.DetailType)).toEqual(
        expect.arrayContaining(['lead.created', 'lead.judged', 'lead.assigned']),
      );
    } finally {
      await e.close();
    }
  });
});
