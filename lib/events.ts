/**
 * Events out on AWS (docs/decisions/0022-events-out.md, docs/integrations.md): an EventBridge bus the
 * stack creates, where every lead event lands with `source` leadpact and `detail-type` its type
 * (`lead.stage_changed`, ...); one function that publishes them and delivers the webhooks, run by the
 * table's stream (state items the events index lists: a write that appended timeline entries) and by
 * a schedule every minute (the sweep: leads still listed, deliveries due for a retry). A stream batch
 * that keeps failing goes to a dead-letter queue (alarmed); the sweep publishes those leads anyway.
 * Each webhook subscription (context `webhooks`) gets a Secrets Manager secret the stack generates; one
 * with `urlSecret: true` also a secret for its receiver's URL, which ops fill (output `WebhookUrlSecret...`).
 */
import { CfnOutput, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { EventBus, Rule, Schedule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { FilterCriteria, FilterRule, StartingPosition } from 'aws-cdk-lib/aws-lambda';
import { DynamoEventSource, SqsDlq } from 'aws-cdk-lib/aws-lambda-event-sources';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { EVENTS_INDEX } from '../lambdas/adapters/table-definition.ts';
import { ENV } from '../lambdas/aws/shared/env.ts';
import type { WebhookConfig } from '../lambdas/domain/webhook-config.ts';
import { redactWebhookUrl } from '../lambdas/domain/webhook-url-redaction.ts';
import { LeadPactFunction } from './leadpact-function.ts';
import { suppress, XRAY_WILDCARD } from './nag.ts';
import type { LeadStore } from './store.ts';

export interface LeadPactEventsProps {
  readonly store: LeadStore;
  readonly slaJson: string;
  readonly webhooks: readonly WebhookConfig[];
  readonly logRetention: RetentionDays;
}

export class LeadPactEvents extends Construct {
  readonly bus: EventBus;
  readonly publisher: LeadPactFunction;
  readonly deadLetters: Queue;
  readonly schedule: Rule;
  /** one per subscription, by its id */
  readonly webhookSecrets: Readonly<Record<string, Secret>>;
  /** the receiver URL's secret of each subscription with `urlSecret`, by its id */
  readonly webhookUrlSecrets: Readonly<Record<string, Secret>>;

  constructor(scope: Construct, id: string, props: LeadPactEventsProps) {
    super(scope, id);
    this.bus = new EventBus(this, 'Bus', { description: 'LeadPact: every lead event (source leadpact)' });

    this.publisher = new LeadPactFunction(this, 'Publisher', {
      entry: 'events-out.ts',
      description: 'Events out: publish lead events to EventBridge and deliver the webhooks',
      timeout: Duration.minutes(2),
      memorySize: 512,
      logRetention: props.logRetention,
      slaJson: props.slaJson,
    });
    props.store.grantPublishEvents(this.publisher);
    this.grantPublish(this.publisher);
    const secrets: Record<string, Secret> = {};
    const urlSecrets: Record<string, Secret> = {};
    for (const webhook of props.webhooks) {
      const secret = new Secret(this, `WebhookSecret-${webhook.id}`, {
        // redacted: a description is shown to whoever may list or describe secrets, and a Slack or Teams URL
        // is the receiver's credential (webhook-url-redaction.ts)
        description: `LeadPact: the Standard Webhooks signing key of subscription ${webhook.id} (${webhook.url ? redactWebhookUrl(webhook.url) : 'its URL in its own secret'}); the receiver's key is "whsec_" + this value`,
        // 44 base64 characters (letters and digits only): a 33-byte key
        generateSecretString: { passwordLength: 44, excludePunctuation: true, includeSpace: false },
        removalPolicy: RemovalPolicy.RETAIN,
      });
      suppress(secret, {
        id: 'AwsSolutions-SMG4',
        reason:
          'A webhook signing key is shared with the receiver, which must be given the new key: ops rotate it deliberately, both keys in the secret for a while (docs/integrations.md, Rotating a key), not on a schedule.',
      });
      secrets[webhook.id] = secret;
      if (webhook.urlSecret) urlSecrets[webhook.id] = this.urlSecret(webhook.id);
    }
    this.webhookSecrets = secrets;
    this.webhookUrlSecrets = urlSecrets;
    this.grantDeliver(this.publisher, props.webhooks);
    suppress(this.publisher, XRAY_WILDCARD);

    this.deadLetters = new Queue(this, 'DeadLetters', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    suppress(this.deadLetters, {
      id: 'AwsSolutions-SQS3',
      reason:
        "This queue is itself the dead-letter queue of the publisher's stream source (on-failure destination); its depth is alarmed.",
    });
    this.publisher.function.addEventSource(
      new DynamoEventSource(props.store.table, {
        startingPosition: StartingPosition.TRIM_HORIZON,
        batchSize: 100,
        maxBatchingWindow: Duration.seconds(1),
        bisectBatchOnError: true,
        retryAttempts: 5,
        reportBatchItemFailures: false,
        onFailure: new SqsDlq(this.deadLetters),
        // only the writes that left entries to publish (the state item is in the events index)
        filters: [
          FilterCriteria.filter({
            dynamodb: { NewImage: { [EVENTS_INDEX.partitionKey]: { S: FilterRule.exists() } } },
          }),
        ],
      }),
    );

    this.schedule = new Rule(this, 'Sweep', {
      description: 'Every minute: publish leads still listed, retry webhook deliveries that are due',
      schedule: Schedule.rate(Duration.minutes(1)),
      targets: [new LambdaFunction(this.publisher.function, { retryAttempts: 2 })],
    });
  }

  /** Put events on the bus: events:PutEvents on this bus only. */
  grantPublish(fn: LeadPactFunction): void {
    fn.allow(
      new PolicyStatement({
        sid: 'PutLeadEvents',
        actions: ['events:PutEvents'],
        resources: [this.bus.eventBusArn],
      }),
    );
    fn.addEnvironment(ENV.eventBusName, this.bus.eventBusName);
  }

  /**
   * The secret that holds a subscription's receiver URL (`urlSecret`): created with a random value, which the
   * publisher reads as "not set" (no delivery is sent, each fails with the reason and is retried) until ops put
   * the URL in it (docs/integrations.md). So the URL, often the receiver's credential, is in neither cdk.json
   * nor the template nor the function's configuration; the output names the secret.
   */
  private urlSecret(id: string): Secret {
    const secret = new Secret(this, `WebhookUrl-${id}`, {
      description: `LeadPact: the receiver URL of webhook subscription ${id}; put the https URL here (aws secretsmanager put-secret-value --secret-id <this> --secret-string 'https://...'), then the publisher reads it at its next start`,
      generateSecretString: { passwordLength: 32, excludePunctuation: true, includeSpace: false },
      removalPolicy: RemovalPolicy.RETAIN,
    });
    suppress(secret, {
      id: 'AwsSolutions-SMG4',
      reason:
        "A webhook receiver's URL is issued by the receiver (Slack, Zapier, a CRM): ops replace it when the receiver does, not on a schedule.",
    });
    new CfnOutput(Stack.of(this), `WebhookUrlSecret${id.replace(/[^A-Za-z0-9]/g, '')}`, {
      description: `The secret to put webhook subscription ${id}'s receiver URL in`,
      value: secret.secretArn,
    });
    return secret;
  }

  /** Sign webhook deliveries: read each subscription's key (GetSecretValue on exactly those secrets). */
  private grantDeliver(fn: LeadPactFunction, webhooks: readonly WebhookConfig[]): void {
    if (webhooks.length === 0) return;
    fn.allow(
      new PolicyStatement({
        sid: 'ReadWebhookKeys',
        actions: ['secretsmanager:GetSecretValue'],
        resources: [
          ...webhooks.map((webhook) => this.webhookSecrets[webhook.id]!.secretArn),
          ...Object.values(this.webhookUrlSecrets).map((secret) => secret.secretArn),
        ],
      }),
    );
    fn.addEnvironment(
      ENV.webhooks,
      Stack.of(this).toJsonString(
        webhooks.map((webhook) => ({
          id: webhook.id,
          ...(webhook.urlSecret
            ? { urlSecretArn: this.webhookUrlSecrets[webhook.id]!.secretArn }
            : { url: webhook.url }),
          events: webhook.events,
          secretArn: this.webhookSecrets[webhook.id]!.secretArn,
        })),
      ),
    );
  }
}
