/**
 * The SLA migration on deploy: a CloudFormation custom resource backed by one function
 * (lambdas/aws/migrate-leads.ts) that runs the migration runner with the SLA bundled into it. Its
 * properties carry the SLA's version and hash and the table's index names, so CloudFormation runs it on
 * create and on every deploy that changes the SLA, adds an index or raises INDEX_KEYS_VERSION (the runner gives the leads in flight the
 * entries of an index added since they were written: ADR 0044), after the table and the state machine are in place (the task functions then
 * already run the new SLA: the signalled leads are planned again by them at once) and, by the stack, after every
 * other function (none of the code before then writes a lead without the later index keys: ADR 0055). A lead the SLA's
 * `migrations` do not cover fails the resource: the deploy fails with the lead ids and the mapping to add,
 * and CloudFormation rolls the stack back to the SLA that was running (docs/deploy.md, section 10).
 */
import { CustomResource, Duration } from 'aws-cdk-lib';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { GLOBAL_INDEXES } from '../lambdas/adapters/table-definition.ts';
import { slaHash } from '../lambdas/domain/sla-hash.ts';
import type { Sla } from '../lambdas/domain/sla-schema.ts';
import { INDEX_KEYS_VERSION } from '../lambdas/ports/lead-store.ts';
import { LeadPactFunction } from './leadpact-function.ts';
import { suppress, XRAY_WILDCARD } from './nag.ts';
import type { LeadStore } from './store.ts';
import type { LeadWorkflow } from './workflow.ts';

export interface SlaMigrationProps {
  readonly store: LeadStore;
  readonly workflow: LeadWorkflow;
  readonly sla: Sla;
  /** the parsed SLA as JSON (config.slaJson): bundled into the function, and hashed into the resource */
  readonly slaJson: string;
  readonly logRetention: RetentionDays;
}

/** The function's timeout: the runner reads every in-flight lead in one call (docs/deploy.md, section 10). */
export const MIGRATION_TIMEOUT = Duration.minutes(15);

export class SlaMigration extends Construct {
  readonly function: LeadPactFunction;
  readonly resource: CustomResource;

  constructor(scope: Construct, id: string, props: SlaMigrationProps) {
    super(scope, id);
    const { store, workflow } = props;
    this.function = new LeadPactFunction(this, 'Function', {
      entry: 'migrate-leads.ts',
      description:
        "SLA migration on deploy: move in-flight leads off ids the SLA no longer has, by its 'migrations'",
      timeout: MIGRATION_TIMEOUT,
      memorySize: 1024,
      logRetention: props.logRetention,
      slaJson: props.slaJson,
    });
    // what the runner calls: the due index, the mapped reps' owner index and the stage index to find the leads,
    // GetItem and a conditional PutItem per lead, SendTaskSuccess to wake a parked execution
    store.grantUpdateLeads(this.function);
    store.grantReadDueIndex(this.function);
    store.grantReadOwnerIndex(this.function);
    // the dormant leads its judgement moves (a lowered SQL threshold): the stage index, and each one's events
    store.grantReadDormantLeads(this.function);
    workflow.grantSignal(this.function);
    store.grantTakeWaitToken(this.function);
    suppress(this.function, XRAY_WILDCARD);

    this.resource = new CustomResource(this, 'Resource', {
      resourceType: 'Custom::LeadPactSlaMigration',
      // CloudFormation invokes the function itself; the function answers on the pre-signed URL
      serviceToken: this.function.functionArn,
      // a function that never answers (it always does, 15 s before its timeout) fails the deploy soon
      serviceTimeout: Duration.seconds(MIGRATION_TIMEOUT.toSeconds() + 120),
      // and the table's indexes: a deploy that adds one runs the migration, which gives the leads in flight
      // its entries (LeadStore.indexLead, ADR 0044)
      properties: {
        SlaVersion: props.sla.version,
        SlaHash: slaHash(props.slaJson),
        Indexes: GLOBAL_INDEXES.map((index) => index.indexName).join(','),
        // and the index keys' version: a deploy whose code keys an index anew (ADR 0062: GSI8 by the deadline a
        // handover kept) runs it, which re-keys the leads in flight at once (the index pass does the rest)
        IndexKeys: String(INDEX_KEYS_VERSION),
      },
    });
    this.resource.node.addDependency(store.table, workflow.stateMachine);
  }
}
