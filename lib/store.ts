/**
 * The lead table, derived from lambdas/adapters/table-definition.ts (keys, indexes, projections):
 * on-demand, point-in-time recovery, encryption with the AWS managed key, deletion protection, retained
 * when the stack goes. No TTL attribute: the store keeps no expiring items (docs/decisions/0003).
 * Grants name what a function does with leads, each on exactly the table or index it touches.
 */
import { RemovalPolicy } from 'aws-cdk-lib';
import {
  AttributeType,
  BillingMode,
  ProjectionType,
  StreamViewType,
  Table,
  TableEncryption,
} from 'aws-cdk-lib/aws-dynamodb';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import type { ItemFormat } from '../lambdas/adapters/lead-item.ts';
import {
  DUE_CURSOR_PARTITION,
  DUE_INDEX,
  EVENTS_INDEX,
  GLOBAL_INDEXES,
  type IndexDefinition,
  OWNER_INDEX,
  PARTITION_KEY,
  QUERY_INDEXES,
  SORT_KEY,
  STAGE_DAY_INDEX,
} from '../lambdas/adapters/table-definition.ts';
import { ENV } from '../lambdas/aws/shared/env.ts';
import type { LeadPactFunction } from './leadpact-function.ts';

export interface LeadStoreProps {
  /** how the functions write a lead's state item (ADR 0037); both formats are read. Default 'body' */
  readonly stateItemFormat?: ItemFormat;
}

export class LeadStore extends Construct {
  readonly table: Table;
  private readonly stateItemFormat: ItemFormat;

  constructor(scope: Construct, id: string, props: LeadStoreProps = {}) {
    super(scope, id);
    this.stateItemFormat = props.stateItemFormat ?? 'body';
    this.table = new Table(this, 'Leads', {
      partitionKey: { name: PARTITION_KEY, type: AttributeType.STRING },
      sortKey: { name: SORT_KEY, type: AttributeType.STRING },
      billingMode: BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      encryption: TableEncryption.AWS_MANAGED,
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
      // events out (docs/decisions/0022-events-out.md): the publisher follows the lead writes
      stream: StreamViewType.NEW_IMAGE,
    });
    for (const index of GLOBAL_INDEXES) this.table.addGlobalSecondaryIndex(gsiProps(index));
  }

  /**
   * Read, create and update leads (state, events, attempts, queue rotations, capacity reservations of ADR
   * 0040): GetItem, PutItem, Query on the
   * table, and BatchWriteItem for a write that moves the oldest timeline entries to their own items (ADR 0032).
   */
  grantReadWriteLeads(fn: LeadPactFunction): void {
    fn.allow(
      new PolicyStatement({
        sid: 'ReadWriteLeads',
        actions: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:Query', 'dynamodb:BatchWriteItem'],
        resources: [this.table.tableArn],
      }),
    );
    this.bindTable(fn);
  }

  /**
   * Read-modify-write one lead's state, nothing else (updateLead: GetItem, then a conditional PutItem, and
   * BatchWriteItem when the write moves the oldest timeline entries to their own items, ADR 0032): the
   * functions that never list a partition or append an event.
   */
  grantUpdateLeads(fn: LeadPactFunction): void {
    fn.allow(
      new PolicyStatement({
        sid: 'UpdateLeads',
        actions: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:BatchWriteItem'],
        resources: [this.table.tableArn],
      }),
    );
    this.bindTable(fn);
  }

  /**
   * Take a parked workflow's task token off its lead before signalling it (LeadStore.takeWaitToken): one
   * conditional UpdateItem of the state, no read. Beside `workflow.grantSignal` wherever a function signals.
   */
  grantTakeWaitToken(fn: LeadPactFunction): void {
    fn.allow(
      new PolicyStatement({
        sid: 'TakeWaitToken',
        actions: ['dynamodb:UpdateItem'],
        resources: [this.table.tableArn],
      }),
    );
    this.bindTable(fn);
  }

  /**
   * Count the console's sign-in emails (ports/sign-in-ledger.ts countEmail): one conditional UpdateItem (an
   * atomic ADD under the cap) per window of a person's, a clock hour's and a UTC day's.
   */
  grantCountSignInEmails(fn: LeadPactFunction): void {
    fn.allow(
      new PolicyStatement({
        sid: 'CountSignInEmails',
        actions: ['dynamodb:UpdateItem'],
        resources: [this.table.tableArn],
      }),
    );
    this.bindTable(fn);
  }

  /**
   * Park a lead's workflow (tasks/park.ts, LeadStore.parkLead): one conditional UpdateItem of its state
   * (the task token, the deadline, the emails just sent), no read.
   */
  grantParkLeads(fn: LeadPactFunction): void {
    fn.allow(
      new PolicyStatement({
        sid: 'ParkLeads',
        actions: ['dynamodb:UpdateItem'],
        resources: [this.table.tableArn],
      }),
    );
    this.bindTable(fn);
  }

  /**
   * The park's outbox mark together with its write's report facts (ADR 0025): one BatchWriteItem of plain
   * puts in the lead's partition (lambdas/adapters/dynamodb-fact-log.ts leadWrittenAndSent).
   */
  grantMarkSent(fn: LeadPactFunction): void {
    fn.allow(
      new PolicyStatement({
        sid: 'MarkSentWithFacts',
        actions: ['dynamodb:BatchWriteItem'],
        resources: [this.table.tableArn],
      }),
    );
  }

  /** A rep's open leads (routing capacity): Query on the owner index only. */
  grantReadOwnerIndex(fn: LeadPactFunction): void {
    fn.allow(
      new PolicyStatement({
        sid: 'ReadOwnerIndex',
        actions: ['dynamodb:Query'],
        resources: [`${this.table.tableArn}/index/${OWNER_INDEX.indexName}`],
      }),
    );
  }

  /**
   * Lists and reports, read only: GetItem and Query on the table (a lead, its attempts) and Query on the
   * indexes the lists and the report read (owner, stage/day, search); no write of any kind.
   */
  grantQueryLeads(fn: LeadPactFunction): void {
    fn.allow(
      new PolicyStatement({
        sid: 'QueryLeads',
        actions: ['dynamodb:GetItem', 'dynamodb:Query'],
        resources: [
          this.table.tableArn,
          ...QUERY_INDEXES.map((index) => `${this.table.tableArn}/index/${index.indexName}`),
        ],
      }),
    );
    this.bindTable(fn);
  }

  /**
   * A new SLA file checked against the leads in flight (POST /sla/impact, tasks/sla-impact.ts), read only: the
   * due index, the owner index and the stage index list them (Query, as the deploy's migration does), GetItem reads each, a
   * Query of its partition its events (judged again under the new SLA). No write of any kind.
   */
  grantSurveyLeads(fn: LeadPactFunction): void {
    fn.allow(
      new PolicyStatement({
        sid: 'SurveyLeadsInFlight',
        actions: ['dynamodb:GetItem', 'dynamodb:Query'],
        resources: [
          this.table.tableArn,
          `${this.table.tableArn}/index/${OWNER_INDEX.indexName}`,
          `${this.table.tableArn}/index/${DUE_INDEX.indexName}`,
          // the dormant leads, by stage (tasks/migrate-leads.ts DORMANT_STAGES)
          `${this.table.tableArn}/index/${STAGE_DAY_INDEX.indexName}`,
        ],
      }),
    );
    this.bindTable(fn);
  }

  /**
   * The dormant leads an SLA change may move (tasks/migrate-leads.ts DORMANT_STAGES): Query on the stage index
   * (GSI2, the stages' partitions) to list them and on the table for each one's events (judged again). Read only.
   */
  grantReadDormantLeads(fn: LeadPactFunction): void {
    fn.allow(
      new PolicyStatement({
        sid: 'ReadDormantLeads',
        actions: ['dynamodb:Query'],
        resources: [this.table.tableArn, `${this.table.tableArn}/index/${STAGE_DAY_INDEX.indexName}`],
      }),
    );
    this.bindTable(fn);
  }

  /**
   * The reconciler's index pass (lambdas/tasks/reindex-leads.ts): Query on the stage index (GSI2) to walk every
   * lead, Query on the table (a lead's attempts, for its next-step facts: ADR 0053), PutItem of the pass's one
   * progress item; each lead's read and conditional update are the reconciler's ReadLead and RecordLeadExecution.
   */
  grantIndexPass(fn: LeadPactFunction): void {
    fn.allow(
      new PolicyStatement({
        sid: 'IndexPass',
        actions: ['dynamodb:Query', 'dynamodb:PutItem'],
        resources: [this.table.tableArn, `${this.table.tableArn}/index/${STAGE_DAY_INDEX.indexName}`],
      }),
    );
    this.bindTable(fn);
  }

  /** Take a queue's next rotation turn (assign-owner.ts): UpdateItem, an atomic ADD on the routing item. */
  grantTakeTurns(fn: LeadPactFunction): void {
    fn.allow(
      new PolicyStatement({
        sid: 'TakeRotationTurns',
        actions: ['dynamodb:UpdateItem'],
        resources: [this.table.tableArn],
      }),
    );
  }

  /**
   * The reconciler: record the execution it is about to start on the lead (LeadStore.recordExecution):
   * one conditional UpdateItem of the state item, no read.
   */
  grantRecordExecution(fn: LeadPactFunction): void {
    fn.allow(
      new PolicyStatement({
        sid: 'RecordLeadExecution',
        actions: ['dynamodb:UpdateItem'],
        resources: [this.table.tableArn],
      }),
    );
  }

  /**
   * The reconciler: read a due lead whose execution is alive (GetItem), for the token a signal took and
   * could not deliver (`signalled`).
   */
  grantReadLead(fn: LeadPactFunction): void {
    fn.allow(
      new PolicyStatement({
        sid: 'ReadLead',
        actions: ['dynamodb:GetItem'],
        resources: [this.table.tableArn],
      }),
    );
  }

  /**
   * The reconciler: read and move its cursor over the due index (DueCursor: one item, GetItem and a
   * conditional PutItem), so a run goes on after the leads the last run checked.
   */
  grantDueCursor(fn: LeadPactFunction): void {
    fn.allow(
      new PolicyStatement({
        sid: 'ReconcilerDueCursor',
        actions: ['dynamodb:GetItem', 'dynamodb:PutItem'],
        resources: [this.table.tableArn],
        // its own item only (dueCursorKey)
        conditions: { 'ForAllValues:StringEquals': { 'dynamodb:LeadingKeys': [DUE_CURSOR_PARTITION] } },
      }),
    );
  }

  /** The reconciler: Query on the due index only (the leads with something due). */
  grantReadDueIndex(fn: LeadPactFunction): void {
    fn.allow(
      new PolicyStatement({
        sid: 'ReadDueIndex',
        actions: ['dynamodb:Query'],
        resources: [`${this.table.tableArn}/index/${DUE_INDEX.indexName}`],
      }),
    );
    this.bindTable(fn);
  }

  /**
   * Events out (lambdas/tasks/events-out.ts): read a lead and its publish cursor (GetItem), store its webhook
   * deliveries (a conditional PutItem each), move the cursor, the sweep's watermarks and lease deliveries
   * (conditional UpdateItem, ADR 0031),
   * Query the events index (leads to publish, deliveries due), and Query a lead's partition for the
   * timeline entries moved off its state item (ADR 0021): an event is derived with what came before it.
   */
  grantPublishEvents(fn: LeadPactFunction): void {
    fn.allow(
      new PolicyStatement({
        sid: 'PublishLeadEvents',
        // BatchGetItem: the report facts a write lost are looked up before they are put again (ADR 0016)
        actions: ['dynamodb:BatchGetItem', 'dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem'],
        resources: [this.table.tableArn],
      }),
    );
    fn.allow(
      new PolicyStatement({
        sid: 'ReadLeadTimeline',
        actions: ['dynamodb:Query'],
        resources: [this.table.tableArn],
      }),
    );
    fn.allow(
      new PolicyStatement({
        sid: 'ReadEventsIndex',
        actions: ['dynamodb:Query'],
        resources: [`${this.table.tableArn}/index/${EVENTS_INDEX.indexName}`],
      }),
    );
    this.bindTable(fn);
  }

  /** The webhook delivery log: GetItem and PutItem (a replay) on the table, Query on the events index. */
  grantWebhookLog(fn: LeadPactFunction): void {
    fn.allow(
      new PolicyStatement({
        sid: 'ReadReplayDeliveries',
        actions: ['dynamodb:GetItem', 'dynamodb:PutItem'],
        resources: [this.table.tableArn],
      }),
    );
    fn.allow(
      new PolicyStatement({
        sid: 'ReadDeliveryIndex',
        actions: ['dynamodb:Query'],
        resources: [`${this.table.tableArn}/index/${EVENTS_INDEX.indexName}`],
      }),
    );
    this.bindTable(fn);
  }

  /**
   * Erasure: delete a lead's events and attempts in batches (BatchWriteItem on the table), and events one by
   * one with a condition (DeleteItem) where a new life's event may have replaced one listed.
   */
  grantEraseHistory(fn: LeadPactFunction): void {
    fn.allow(
      new PolicyStatement({
        sid: 'EraseLeadHistory',
        actions: ['dynamodb:BatchWriteItem', 'dynamodb:DeleteItem'],
        resources: [this.table.tableArn],
      }),
    );
  }

  /** the table's name, and the state item format when it is not the default (ADR 0037's two-step upgrade) */
  private bindTable(fn: LeadPactFunction): void {
    fn.addEnvironment(ENV.tableName, this.table.tableName);
    if (this.stateItemFormat !== 'body') fn.addEnvironment(ENV.stateItemFormat, this.stateItemFormat);
  }
}

function gsiProps(index: IndexDefinition) {
  const base = {
    indexName: index.indexName,
    partitionKey: { name: index.partitionKey, type: AttributeType.STRING },
    sortKey: { name: index.sortKey, type: AttributeType.STRING },
  };
  switch (index.projectionType) {
    case 'INCLUDE':
      return {
        ...base,
        projectionType: ProjectionType.INCLUDE,
        nonKeyAttributes: [...index.nonKeyAttributes],
      };
    case 'KEYS_ONLY':
      return { ...base, projectionType: ProjectionType.KEYS_ONLY };
    default:
      return { ...base, projectionType: ProjectionType.ALL };
  }
}
