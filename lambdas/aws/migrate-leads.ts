/**
 * Lambda entry point: the SLA migration on deploy, a CloudFormation custom resource (lib/sla-migration.ts)
 * run after the table and the state machine are in place, on create and whenever the SLA changes. It runs
 * lambdas/tasks/migrate-leads.ts with the bundled SLA: every in-flight lead that refers to an id the SLA
 * no longer has is rewritten by the SLA's `migrations`, made due now and its parked execution signalled
 * (a lead without one is restarted by the reconciler), and every other parked lead is signalled to plan again
 * under the new SLA; a lead the mapping does not cover fails the deploy
 * with the lead ids and the mapping to add (lambdas/aws/shared/sla-migration-resource.ts).
 */
import './shared/source-mapped-stacks.ts';
import type { Context } from 'aws-lambda';
import { systemClock } from '../ports/clock.ts';
import { migrateLeads } from '../tasks/migrate-leads.ts';
import { bundledSla } from './shared/sla.ts';
import {
  type CustomResourceEvent,
  type CustomResourceResponse,
  MIGRATION_RESOURCE_ID,
  migrationResponse,
  respond,
} from './shared/sla-migration-resource.ts';
import { indexRulesOf, leadQueries, leadStore } from './shared/store.ts';
import { workflow } from './shared/workflow.ts';

// its indexLead gives the entries a writer with the SLA gives (no next-step entry past contact: ADR 0053)
const store = leadStore(process.env, undefined, indexRulesOf(bundledSla));
const queries = leadQueries();
/** answer CloudFormation this long before the function's own timeout, whatever the migration is doing */
const MARGIN_MS = 15_000;

export const handler = async (event: CustomResourceEvent, context: Context): Promise<void> => {
  let response: CustomResourceResponse;
  try {
    const sla = bundledSla();
    const work = migrationResponse(event, {
      store,
      sla,
      clock: systemClock,
      workflow: workflow(store, systemClock),
      queries,
      migrate: migrateLeads,
    });
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<CustomResourceResponse>((resolve) => {
      timer = setTimeout(
        () =>
          resolve({
            Status: 'FAILED',
            Reason: `SLA migration did not finish in time (the leads migrated so far stay migrated; deploy again to go on). SLA ${sla.version}`,
            PhysicalResourceId: event.PhysicalResourceId ?? MIGRATION_RESOURCE_ID,
            StackId: event.StackId,
            RequestId: event.RequestId,
            LogicalResourceId: event.LogicalResourceId,
          }),
        Math.max(1000, context.getRemainingTimeInMillis() - MARGIN_MS),
      );
    });
    response = await Promise.race([work, deadline]);
    clearTimeout(timer);
  } catch (error) {
    // no SLA in the bundle, or a bug: CloudFormation must still hear, or it waits for the service timeout
    response = {
      Status: 'FAILED',
      Reason: `SLA migration could not run: ${String(error)}`.slice(0, 1000),
      PhysicalResourceId: event.PhysicalResourceId ?? MIGRATION_RESOURCE_ID,
      StackId: event.StackId,
      RequestId: event.RequestId,
      LogicalResourceId: event.LogicalResourceId,
    };
  }
  console.log(
    JSON.stringify({
      level: 'info',
      msg: 'SLA migration answered',
      requestType: event.RequestType,
      status: response.Status,
      data: response.Data,
    }),
  );
  await respond(event.ResponseURL, response);
};
