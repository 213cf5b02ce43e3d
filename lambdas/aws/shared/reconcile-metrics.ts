/** What the reconcile function publishes: CloudWatch metrics in its log (the embedded metric format). */
import type { ReconcileReport } from '../../tasks/reconcile.ts';

export const RECONCILE_METRICS_NAMESPACE = 'LeadPact';

/** One log line CloudWatch turns into four metrics (the embedded metric format). */
export function metricsRecord(report: ReconcileReport, at: Date): Record<string, unknown> {
  return {
    _aws: {
      Timestamp: at.getTime(),
      CloudWatchMetrics: [
        {
          Namespace: RECONCILE_METRICS_NAMESPACE,
          Dimensions: [[]],
          Metrics: [
            { Name: 'LeadsRestarted', Unit: 'Count' },
            { Name: 'LeadsDueChecked', Unit: 'Count' },
            { Name: 'ReconcileFailures', Unit: 'Count' },
            { Name: 'SignalsResent', Unit: 'Count' },
          ],
        },
      ],
    },
    msg: 'reconciled',
    LeadsRestarted: report.restarted,
    LeadsDueChecked: report.checked,
    ReconcileFailures: report.failed,
    SignalsResent: report.resumed,
    leads: report.restartedLeads,
  };
}
