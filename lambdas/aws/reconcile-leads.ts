/**
 * Lambda entry point: the reconciler (lambdas/tasks/reconcile.ts), run by an EventBridge schedule
 * (lib/reconciler.ts). It restarts every lead that is due with no live execution and publishes what
 * it did as CloudWatch metrics in the log (embedded metric format: no PutMetricData permission):
 * LeadsRestarted (alarmed), LeadsDueChecked and ReconcileFailures, namespace LeadPact.
 */
import './shared/source-mapped-stacks.ts';
import { StepFunctionsWorkflow } from '../adapters/step-functions-workflow.ts';
import { systemClock } from '../ports/clock.ts';
import { type ReconcileReport, reconcile } from '../tasks/reconcile.ts';
import { ENV, requiredEnv } from './shared/env.ts';
import { metricsRecord } from './shared/reconcile-metrics.ts';
import { leadStore } from './shared/store.ts';
import { sfnClient } from './shared/workflow.ts';

const store = leadStore();
const workflow = new StepFunctionsWorkflow(sfnClient(), requiredEnv(ENV.stateMachineArn), store, systemClock);

export const handler = async (): Promise<ReconcileReport> => {
  const report = await reconcile({ store, executions: workflow.executions, clock: systemClock });
  console.log(JSON.stringify(metricsRecord(report, systemClock.now())));
  return report;
};
