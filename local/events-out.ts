/**
 * Events out on the local runtime: the same publisher and sender the Lambdas run (lambdas/tasks/events-out.ts).
 * There is no DynamoDB stream in dynalite, so:
 * - after each lead write (the store's observer) the lead is published at once: the fast path;
 * - a sweep (at start-up, then on a timer) publishes every lead written since its watermark whose story
 *   is past its cursor (ADR 0031): a crash between a write and its publish loses nothing, the write itself
 *   put the lead in the events index;
 * - a lead's publishes, the fast path's and the sweep's, run one at a time on the lead's chain, and each queues
 *   the first sends of the deliveries it stored on the chain of the lead and the subscription: a lead's events
 *   are first sent to each subscription in story order (docs/integrations.md). A retry, and a delivery a stop or
 *   crash left unsent, go with a later sweep, after newer events;
 * - a retry waits on the scheduler (virtual time under --speed or in tests), not on a real timer.
 */
import { type LeadState, storyLength } from '../lambdas/domain/lead-state.ts';
import type { WebhookDelivery } from '../lambdas/domain/webhooks.ts';
import type { LeadWriteObserver } from '../lambdas/ports/lead-queries.ts';
import {
  deliverAll,
  type EventsOutDeps,
  type PublishReport,
  publishLead,
  SweepCircuit,
  warnCutOff,
} from '../lambdas/tasks/events-out.ts';
import type { Scheduler } from './scheduler.ts';

const FAR_FUTURE = '9999-12-31T00:00:00.000Z';

export interface EventsOutFigures {
  readonly published: number;
  readonly delivered: number;
  readonly retrying: number;
  readonly failed: number;
}

/** pages of 100 listed leads one sweep publishes before it sends the due deliveries */
const SWEEP_PAGES = 10;
/** due deliveries of each subscription one sweep attempts (deliverDue's default) */
const SWEEP_DELIVERIES = 200;
/** leads of one subscription a sweep sends to at once (as deliverAll's lanes) */
const LANES = 4;

/** the chain of a lead's deliveries to one subscription: its publish's sends and a sweep's, one at a time */
const laneOf = (leadId: string, subscriptionId: string) => `${leadId}\n${subscriptionId}`;

export class LocalEventsOut implements LeadWriteObserver {
  private readonly pending = new Set<Promise<unknown>>();
  /** one chain per lead (and one for sweeps, one for replays): a lead's publishes run one at a time */
  private readonly chains = new Map<string, Promise<unknown>>();
  private timer: NodeJS.Timeout | undefined;
  private retry: { at: number; cancel: () => void } | undefined;
  private stopped = false;
  private readonly counts = { published: 0, delivered: 0, retrying: 0, failed: 0 };

  constructor(
    readonly deps: EventsOutDeps,
    private readonly scheduler: Scheduler,
    private readonly everyMs: number,
  ) {}

  /** the store's observer: never fails or slows the write; the sweep is the safety net */
  leadWritten(state: LeadState): Promise<void> {
    this.track(this.publish(state.leadId, storyLength(state)));
    return Promise.resolve();
  }

  /** a sweep now, in the background (idle() waits for it), then on the timer */
  startUp(): void {
    this.track(this.sweep());
    if (this.everyMs > 0 && !this.stopped) {
      this.timer = setInterval(() => this.track(this.sweep()), this.everyMs);
      this.timer.unref();
    }
  }

  /** publishes every listed lead and attempts every due delivery */
  sweep(): Promise<void> {
    return this.serial('*sweep', async () => {
      // a bounded pass: on a busy runtime writes keep listing leads, and an open-ended loop here starved
      // the due deliveries below (pending ones from before a crash were never sent: e2e events-crash);
      // a lead still changing is published by its own write's nudge, the next sweep takes the rest
      const circuit = new SweepCircuit();
      for (let page = 0; page < SWEEP_PAGES; page++) {
        const leads = await this.deps.log.leadsWithNewEntries(100, this.deps.clock.now());
        if (leads.length === 0) break;
        let moved = 0;
        // each on the lead's chain, as its own write's publish, and sending what it stored at once on the lead's
        // lanes (behind the sweep's circuit): a publish beside the lead's own stored the deliveries of the write
        // that one was about to publish, the lead's publish then found them stored and sent none, and this
        // sweep's due pass sent them only after its pages, when the lead's later events had gone out (a trial:
        // attempt #3 a second after the recycle; test/e2e/webhook-order-sweep-publish.test.ts)
        for (const leadId of leads) if ((await this.publish(leadId, undefined, circuit))?.marked) moved++;
        // leads still changing are published by their own write's nudge
        if (moved === 0) break;
      }
      // each subscription (the bus is one) in four lanes of its own, one lead each, behind the sweep's circuit
      // (ADR 0056): a receiver that hangs holds up only its own deliveries, and after four unanswered
      // attempts in a row gets no more in this sweep. A lead's deliveries to one subscription go on the chain
      // of that lead and subscription, the one its publish's sends to it take: never beside them, and queued
      // from the lead's chain, so behind the first sends of every delivery stored before this pass listed them
      const due = await this.deps.log.dueDeliveries(this.deps.clock.now().toISOString(), SWEEP_DELIVERIES);
      const queues = new Map<string, Map<string, WebhookDelivery[]>>();
      for (const delivery of due) {
        const byLead = queues.get(delivery.subscriptionId) ?? new Map<string, WebhookDelivery[]>();
        queues.set(delivery.subscriptionId, byLead);
        byLead.set(delivery.leadId, [...(byLead.get(delivery.leadId) ?? []), delivery]);
      }
      const worker = async (
        subscriptionId: string,
        byLead: Map<string, WebhookDelivery[]>,
        leads: string[],
      ) => {
        for (let leadId = leads.shift(); leadId !== undefined; leadId = leads.shift()) {
          if (circuit.isOpen(subscriptionId)) return;
          const mine = await this.inStoryOrder(byLead.get(leadId) ?? []);
          // queued, not awaited, on the lead's chain (an object: a promise would be awaited there)
          const queued = await this.serial(leadId, async () => ({
            sent: this.serial(laneOf(leadId, subscriptionId), async () =>
              this.count(await deliverAll(this.deps, mine, Number.POSITIVE_INFINITY, { circuit })),
            ),
          }));
          await queued?.sent;
        }
      };
      await Promise.all(
        [...queues].flatMap(([subscriptionId, byLead]) => {
          const leads = [...byLead.keys()];
          return Array.from({ length: Math.min(LANES, leads.length) }, () =>
            worker(subscriptionId, byLead, leads),
          );
        }),
      );
      warnCutOff(circuit);
      await this.armRetry();
    });
  }

  /**
   * One lead's due deliveries in story order (cycle, seq): the log lists those due at the same time in key
   * order, and its index does not hold the event, so each is read (a sweep sent a lead's `lead.created`
   * after its `lead.judged`: test/e2e/webhook-slow-receiver.test.ts)
   */
  private async inStoryOrder(due: readonly WebhookDelivery[]): Promise<WebhookDelivery[]> {
    if (due.length < 2) return [...due];
    const read = await Promise.all(due.map((delivery) => this.deps.log.getDelivery(delivery.deliveryId)));
    return read
      .filter((delivery): delivery is WebhookDelivery => delivery !== undefined)
      .sort((a, b) => a.event.cycle - b.event.cycle || a.event.seq - b.event.seq);
  }

  /** resolves when no publish or delivery is in flight */
  async idle(): Promise<void> {
    while (this.pending.size > 0) await Promise.allSettled([...this.pending]);
  }

  figures(): EventsOutFigures {
    return { ...this.counts };
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    this.retry?.cancel();
    await this.idle();
  }

  /** one delivery now (a replay): in the background, like a publish */
  deliver(deliveryId: string): Promise<void> {
    const work = this.serial('*replay', async () => {
      this.count(await deliverAll(this.deps, [{ deliveryId, leadId: '' }]));
      await this.armRetry();
    });
    this.track(work);
    return Promise.resolve();
  }

  /** `circuit`: a sweep's, for the sends of what its publish stored */
  private publish(
    leadId: string,
    written?: number,
    circuit?: SweepCircuit,
  ): Promise<PublishReport | undefined> {
    return this.serial(leadId, async () => {
      const report = await publishLead(this.deps, leadId, written);
      this.counts.published += report.events.length;
      if (report.deliveries.length > 0) {
        // each subscription's on its lane's chain (the lead and the subscription), where a sweep puts its
        // retries: a receiver that hangs holds up neither another subscription's sends nor a sweep's. Queued,
        // not awaited: the lead's next publish waits for none of them (a receiver that hung held the lead's next
        // change back from every other receiver until its timeout), and each lane keeps the story's order
        const bySubscription = new Map<string, WebhookDelivery[]>();
        for (const delivery of report.deliveries)
          bySubscription.set(delivery.subscriptionId, [
            ...(bySubscription.get(delivery.subscriptionId) ?? []),
            delivery,
          ]);
        const sends = [...bySubscription].map(([subscriptionId, mine]) =>
          this.serial(laneOf(leadId, subscriptionId), async () =>
            this.count(
              await deliverAll(this.deps, mine, Number.POSITIVE_INFINITY, circuit ? { circuit } : {}),
            ),
          ),
        );
        this.track(
          Promise.all(sends)
            .then(() => this.armRetry())
            .catch((error: unknown) => {
              console.error(
                JSON.stringify({ level: 'error', msg: 'events out failed', error: String(error) }),
              );
            }),
        );
      }
      return report;
    });
  }

  /**
   * One step at a time per key (a lead's publishes; a lead's sends to one subscription; sweeps; replays), keys
   * in parallel. Resolves with the step's result, undefined when it failed (logged) or the runtime stopped.
   */
  private serial<T>(key: string, work: () => Promise<T>): Promise<T | undefined> {
    const run = (this.chains.get(key) ?? Promise.resolve()).then(async () => {
      if (this.stopped) return undefined;
      return work().catch((error: unknown) => {
        console.error(JSON.stringify({ level: 'error', msg: 'events out failed', error: String(error) }));
        return undefined;
      });
    });
    this.chains.set(key, run);
    void run.finally(() => {
      if (this.chains.get(key) === run) this.chains.delete(key);
    });
    return run;
  }

  private track(work: Promise<unknown>): void {
    this.pending.add(work);
    void work.finally(() => this.pending.delete(work));
  }

  private count(report: { delivered: number; retrying: number; failed: number }): void {
    this.counts.delivered += report.delivered;
    this.counts.retrying += report.retrying;
    this.counts.failed += report.failed;
  }

  /** one scheduler timer at the earliest retry */
  private async armRetry(): Promise<void> {
    const [next] = await this.deps.log.dueDeliveries(FAR_FUTURE, 1);
    if (!next?.nextAttemptAt || this.stopped) return;
    // a delivery another sender holds is due again when its lease runs out, not before
    const at = Math.max(
      Date.parse(next.nextAttemptAt),
      next.leaseUntil ? Date.parse(next.leaseUntil) : 0,
      this.scheduler.now().getTime() + 1_000,
    );
    if (this.retry && this.retry.at <= at && this.retry.at > this.scheduler.now().getTime()) return;
    this.retry?.cancel();
    const cancel = this.scheduler.at(new Date(at), () => {
      this.retry = undefined;
      this.track(this.sweep());
    });
    this.retry = { at, cancel };
  }
}
