/**
 * Lambda entry point: the reconciler (lambdas/tasks/reconcile.ts), run by an EventBridge schedule
 * (lib/reconciler.ts). It restarts every lead that is due with no live execution and publishes what
 * it did as CloudWatch metrics in the log (embedded metric format: no PutMetricData permission):
 * LeadsRestarted (alarmed), LeadsDueChecked and ReconcileFailures, namespace LeadPact. Then, in the time
 * left, the index pass (lambdas/tasks/reindex-leads.ts) brings a batch of leads to today's index keys.
 */
import type { Context } from 'aws-lambda';
import './shared/source-mapped-stacks.ts';
import { StepFunctionsWorkflow } from '../adapters/step-functions-workflow.ts';
import { systemClock } from '../ports/clock.ts';
import { type ReconcileReport, reconcile } from '../tasks/reconcile.ts';
import { reindexLeads } from '../tasks/reindex-leads.ts';
import { ENV, requiredEnv } from './shared/env.ts';
import { metricsRecord } from './shared/reconcile-metrics.ts';
import { leadQueries, leadStore } from './shared/store.ts';
import { sfnClient } from './shared/workflow.ts';

const store = leadStore();
const queries = leadQueries();
/** the index pass stops a minute before the function's timeout */
const PASS_RESERVE_MS = 60_000;
const workflow = new StepFunctionsWorkflow(sfnClient(), requiredEnv(ENV.stateMachineArn), store, systemClock);

export const handler = async (_event?: unknown, context?: Context): Promise<ReconcileReport> => {
  const report = await reconcile({ store, executions: workflow.executions, clock: systemClock });
  console.log(JSON.stringify(metricsRecord(report, systemClock.now())));
  const pass = await reindexLeads(
    { store, queries, clock: systemClock },
    {
      maxLeads: 2_000,
      outOfTime: () => (context ? context.getRemainingTimeInMillis() < PASS_RESERVE_MS : false),
    },
  ).catch((error: unknown) => {
    console.error(JSON.stringify({ level: 'error', msg: 'index pass failed', error: String(error) }));
    return undefined;
  });
  if (pass && pass.checked > 0) console.log(JSON.stringify({ level: 'info', msg: 'index pass', ...pass }));
  return report;
};
