/**
 * Bulk import: a queue of leads (one POST /leads body per message) and a consumer that stores each and
 * starts its workflow at a bounded rate: at most `maxConcurrency` consumers (the SQS event source's
 * maximum concurrency, not reserved concurrency: that would throttle the poller, and throttled messages
 * count as receives and go to the DLQ; it would also fail to deploy on accounts whose concurrency quota
 * is still 10), each starting at most `startsPerSecond` leads a second. A message that keeps failing
 * goes to the dead-letter queue after 5 receives; its depth is alarmed. docs/scaling.md has the figures.
 */
import { Duration } from 'aws-cdk-lib';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { ENV } from '../lambdas/aws/shared/env.ts';
import type { LeadPactConfig } from './config.ts';
import { LeadPactFunction } from './leadpact-function.ts';
import { suppress, XRAY_WILDCARD } from './nag.ts';
import type { LeadPactSecrets } from './secrets.ts';
import type { LeadStore } from './store.ts';
import type { LeadWorkflow } from './workflow.ts';

export interface BulkImportProps {
  readonly config: LeadPactConfig;
  readonly store: LeadStore;
  readonly workflow: LeadWorkflow;
  readonly secrets: LeadPactSecrets;
}

/** receives before a message goes to the dead-letter queue */
export const IMPORT_MAX_RECEIVES = 5;

export class BulkImport extends Construct {
  readonly queue: Queue;
  readonly deadLetters: Queue;
  readonly consumer: LeadPactFunction;

  constructor(scope: Construct, id: string, props: BulkImportProps) {
    super(scope, id);
    const { batchSize, maxConcurrency, startsPerSecond } = props.config.bulkImport;
    // a full batch at the paced rate, plus time for each lead's writes
    const timeout = Duration.seconds(
      Math.min(900, Math.ceil(batchSize / startsPerSecond) + batchSize * 2 + 10),
    );

    this.deadLetters = new Queue(this, 'DeadLetters', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    suppress(this.deadLetters, {
      id: 'AwsSolutions-SQS3',
      reason: 'This queue is the dead-letter queue of the import queue; its depth is alarmed.',
    });
    this.queue = new Queue(this, 'Leads', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(4),
      // AWS's advice for Lambda consumers: six times the function timeout
      visibilityTimeout: Duration.seconds(timeout.toSeconds() * 6),
      deadLetterQueue: { queue: this.deadLetters, maxReceiveCount: IMPORT_MAX_RECEIVES },
    });

    this.consumer = new LeadPactFunction(this, 'Consumer', {
      entry: 'import-leads.ts',
      description: 'Bulk import: store each lead and start its workflow at a bounded rate',
      timeout,
      memorySize: 512,
      logRetention: props.config.logRetention,
      slaJson: props.config.slaJson,
      environment: {
        [ENV.importStartsPerSecond]: String(startsPerSecond),
        [ENV.allowedOrigins]: props.config.allowedOrigins.join(','),
      },
    });
    props.store.grantReadWriteLeads(this.consumer);
    props.workflow.grantStart(this.consumer);
    props.workflow.grantSignal(this.consumer);
    props.store.grantTakeWaitToken(this.consumer);
    props.secrets.grantLeadIdKey(this.consumer);
    this.consumer.function.addEventSource(
      new SqsEventSource(this.queue, { batchSize, maxConcurrency, reportBatchItemFailures: true }),
    );
    suppress(this.consumer, XRAY_WILDCARD);
  }
}
