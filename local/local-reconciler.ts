/**
 * The reconciler in the local runtime: the same code the scheduled Lambda runs on AWS
 * (lambdas/tasks/reconcile.ts), once at start-up for every lead with something due (after a
 * restart the engine holds no execution: every parked lead resumes), then on a real-time timer.
 * Its figures are in GET /health.
 */

import {
  eraseUnconfirmed,
  type RetentionDeps,
  type RetentionReport,
} from '../lambdas/tasks/erase-unconfirmed.ts';
import { type ReconcileDeps, type ReconcileReport, reconcile } from '../lambdas/tasks/reconcile.ts';
import { type ReindexDeps, type ReindexReport, reindexLeads } from '../lambdas/tasks/reindex-leads.ts';

/** real milliseconds between sweeps */
export const RECONCILE_EVERY_MS = 10_000;
/** start-up looks this far ahead: every lead with a due time at all */
const FAR_FUTURE = new Date('9999-12-31T00:00:00.000Z');

export interface ReconcilerFigures {
  readonly runs: number;
  readonly lastRunAt?: string;
  /** leads restarted since start-up (the count AWS publishes as the LeadsRestarted metric) */
  readonly restarted: number;
  readonly resumedAtStartUp: number;
  readonly failed: number;
  readonly last?: ReconcileReport;
  /** the index pass (tasks/reindex-leads.ts) as the last run left it */
  readonly indexPass?: ReindexReport;
  /** the retention pass (tasks/erase-unconfirmed.ts): its last run, and the leads it erased since start-up */
  readonly retention?: RetentionReport & { readonly erasedSinceStartUp: number };
}

export class LocalReconciler {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<ReconcileReport | undefined> = Promise.resolve(undefined);
  private stopped = false;
  private state: {
    runs: number;
    lastRunAt?: string;
    restarted: number;
    resumedAtStartUp: number;
    failed: number;
    last?: ReconcileReport;
    indexPass?: ReindexReport;
    retention?: RetentionReport & { readonly erasedSinceStartUp: number };
  } = {
    runs: 0,
    restarted: 0,
    resumedAtStartUp: 0,
    failed: 0,
  };

  constructor(
    private readonly deps: ReconcileDeps,
    private readonly everyMs: number,
    /** the index pass, run after each sweep as the scheduled Lambda runs it (none: not run) */
    private readonly reindex?: Pick<ReindexDeps, 'store' | 'queries'>,
    /** the retention pass, run after the index pass as the scheduled Lambda runs it (none: not run) */
    private readonly retention?: Omit<RetentionDeps, 'clock'>,
  ) {}

  /** resumes every lead with something due, then sweeps on the timer */
  async startUp(): Promise<ReconcileReport | undefined> {
    const report = await this.run({ until: FAR_FUTURE, limit: 1_000_000 });
    if (report) this.state.resumedAtStartUp = report.restarted;
    if (this.everyMs > 0 && !this.stopped) {
      this.timer = setInterval(() => void this.run(), this.everyMs);
      this.timer.unref();
    }
    return report;
  }

  /**
   * One sweep (runs one at a time). Locally the engine knows exactly which executions are alive,
   * so no grace is needed: a due lead without one is repaired at once. Answers once the sweep is done;
   * the index pass then runs in the same turn, before the next sweep (start-up does not wait for it).
   */
  run(options: { until?: Date; limit?: number } = {}): Promise<ReconcileReport | undefined> {
    let answer: (report: ReconcileReport | undefined) => void = () => undefined;
    const answered = new Promise<ReconcileReport | undefined>((resolve) => {
      answer = resolve;
    });
    this.running = this.running.then(async () => {
      const report = this.stopped ? undefined : await this.sweep(options);
      answer(report);
      if (!report || this.stopped) return report;
      if (this.reindex) {
        const indexPass = await reindexLeads({ ...this.reindex, clock: this.deps.clock }).catch(
          (error: unknown) => {
            console.error(JSON.stringify({ level: 'error', msg: 'index pass failed', error: String(error) }));
            return undefined;
          },
        );
        if (indexPass) this.state = { ...this.state, indexPass };
      }
      if (this.retention && !this.stopped) {
        const retention = await eraseUnconfirmed({ ...this.retention, clock: this.deps.clock }).catch(
          (error: unknown) => {
            console.error(
              JSON.stringify({ level: 'error', msg: 'retention pass failed', error: String(error) }),
            );
            return undefined;
          },
        );
        if (retention)
          this.state = {
            ...this.state,
            retention: {
              ...retention,
              erasedSinceStartUp: (this.state.retention?.erasedSinceStartUp ?? 0) + retention.erased,
            },
          };
      }
      return report;
    });
    return answered;
  }

  private async sweep(options: { until?: Date; limit?: number }): Promise<ReconcileReport | undefined> {
    const report = await reconcile(this.deps, { graceMs: 0, ...options }).catch((error: unknown) => {
      console.error(JSON.stringify({ level: 'error', msg: 'reconciler run failed', error: String(error) }));
      return undefined;
    });
    if (!report) return undefined;
    this.state = {
      ...this.state,
      runs: this.state.runs + 1,
      lastRunAt: this.deps.clock.now().toISOString(),
      restarted: this.state.restarted + report.restarted,
      failed: this.state.failed + report.failed,
      last: report,
    };
    if (report.restarted > 0 || report.failed > 0) {
      console.log(
        JSON.stringify({
          level: report.failed > 0 ? 'warn' : 'info',
          msg: 'reconciler restarted lead workflows',
          checked: report.checked,
          restarted: report.restarted,
          failed: report.failed,
          leads: report.restartedLeads,
        }),
      );
    }
    return report;
  }

  figures(): ReconcilerFigures {
    return { ...this.state };
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    await this.running;
  }
}
