import type { OutboxLease } from '../domain/outbox.ts';
import type { Sla } from '../domain/sla-schema.ts';
import type { Clock } from '../ports/clock.ts';
import type { LeadStore } from '../ports/lead-store.ts';
import type { Notifier } from './notifier.ts';

/** What the Step Functions task handlers need; built once per Lambda container or by the local runtime. */
export interface TaskDeps {
  readonly sla: Sla;
  readonly store: LeadStore;
  readonly clock: Clock;
  /**
   * How long a capacity reservation counts, in `clock` time (default RESERVATION_LIVE_MS, ADR 0040): it must
   * outlast a handoff's own work. The local runtime under `--speed N` runs `clock` N times faster than the
   * tasks, so it stretches this to cover seconds of real time.
   */
  readonly reservationLiveMs?: number;
  /**
   * When an outbox claim goes stale, in `clock` time (default DEFAULT_OUTBOX_LEASE: 150 s). The local runtime
   * under `--speed N` stretches it by N and names its start, before which every claim is stale (domain/outbox.ts).
   */
  readonly outboxLease?: OutboxLease;
  readonly notifier: Notifier;
  /** new ids (a wake's claim id): default crypto.randomUUID; the simulator passes a seeded one */
  readonly newId?: () => string;
}
