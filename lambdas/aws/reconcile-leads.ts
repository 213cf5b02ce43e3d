/**
 * Lambda entry point: the reconciler (lambdas/tasks/reconcile.ts), run by an EventBridge schedule
 * (lib/reconciler.ts). It restarts every lead that is due with no live execution and publishes what
 * it did as CloudWatch metrics in the log (embedded metric format: no PutMetricData permission):
 * LeadsRestarted (alarmed), LeadsDueChecked and ReconcileFailures, namespace LeadPact. Then, in the time
 * left, the index pass (lambdas/tasks/reindex-leads.ts) brings a batch of leads to today's index keys, and the
 * retention pass (lambdas/tasks/erase-unconfirmed.ts, ADR 0092) erases the sign-ups never confirmed the SLA's
 * `consent.eraseUnconfirmedAfterDays` allows. Invoked with `{"retention":"preview"}` (ops: `aws lambda invoke`), it
 * only answers which leads the retention would erase now, and changes nothing.
 */
import type { Context } from 'aws-lambda';
import './shared/source-mapped-stacks.ts';
import { StepFunctionsWorkflow } from '../adapters/step-functions-workflow.ts';
import { systemClock } from '../ports/clock.ts';
import { eraseUnconfirmed, previewUnconfirmed } from '../tasks/erase-unconfirmed.ts';
import { type ReconcileReport, reconcile } from '../tasks/reconcile.ts';
import { reindexLeads } from '../tasks/reindex-leads.ts';
import { ENV, requiredEnv } from './shared/env.ts';
import { metricsRecord } from './shared/reconcile-metrics.ts';
import { bundledSla } from './shared/sla.ts';
import { indexRulesOf, leadQueries, leadStore } from './shared/store.ts';
import { sfnClient } from './shared/workflow.ts';

// the index pass gives the entries a writer with the SLA gives (no next-step entry past contact: ADR 0053)
const store = leadStore(process.env, undefined, indexRulesOf(bundledSla));
const queries = leadQueries();
/** the retention's erases write their report facts as DELETE's do (a store with the SLA: the fact log) */
const retentionStore = leadStore(process.env, bundledSla());
/** the index pass stops a minute before the function's timeout */
const PASS_RESERVE_MS = 60_000;
const workflow = new StepFunctionsWorkflow(sfnClient(), requiredEnv(ENV.stateMachineArn), store, systemClock);

export const handler = async (
  event?: unknown,
  context?: Context,
): Promise<ReconcileReport | Awaited<ReturnType<typeof previewUnconfirmed>>> => {
  if (isPreview(event))
    return previewUnconfirmed(
      { sla: bundledSla(), store: retentionStore, queries, clock: systemClock },
      { limit: 1_000 },
    );
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
  const retention = await eraseUnconfirmed(
    { sla: bundledSla(), store: retentionStore, queries, workflow, clock: systemClock },
    {
      maxLeads: 1_000,
      outOfTime: () => (context ? context.getRemainingTimeInMillis() < PASS_RESERVE_MS : false),
    },
  ).catch((error: unknown) => {
    console.error(JSON.stringify({ level: 'error', msg: 'retention pass failed', error: String(error) }));
    return undefined;
  });
  if (retention && retention.checked + retention.erased + retention.failed > 0)
    console.log(JSON.stringify({ level: 'info', msg: 'retention pass', ...retention }));
  return report;
};

/** `{"retention":"preview"}`: ops asking what the retention would erase (the schedule's event is never this) */
function isPreview(event: unknown): boolean {
  return (
    typeof event === 'object' && event !== null && (event as { retention?: unknown }).retention === 'preview'
  );
}
