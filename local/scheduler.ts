/**
 * Local time: the Clock the handlers read and the timers the parked workflows wait on.
 * - `RealTimeScheduler(speed)`: virtual time runs `speed` times faster than the wall clock
 *   (`leadpact dev --speed 3600`: an hour a second), starting now.
 * - `ManualScheduler`: time moves only when a test or the simulator advances it; each timer
 *   fires in order, and the caller waits for the work it caused to settle before the next.
 */
import type { Clock } from '../lambdas/ports/clock.ts';

export interface Scheduler extends Clock {
  /** calls `fire` at virtual time `when` (at once if it has passed); returns a cancel function */
  at(when: Date, fire: () => void): () => void;
}

/** setTimeout takes at most 2^31-1 ms; longer waits are re-armed. */
const MAX_TIMEOUT_MS = 2 ** 31 - 1;

export class RealTimeScheduler implements Scheduler {
  private readonly realStart = Date.now();
  private readonly virtualStart: number;

  constructor(
    readonly speed = 1,
    start: Date = new Date(),
  ) {
    if (!(speed > 0)) throw new RangeError('speed must be positive');
    this.virtualStart = start.getTime();
  }

  now(): Date {
    return new Date(this.virtualStart + (Date.now() - this.realStart) * this.speed);
  }

  at(when: Date, fire: () => void): () => void {
    let timer: NodeJS.Timeout | undefined;
    const arm = () => {
      const realDelay = (when.getTime() - this.now().getTime()) / this.speed;
      if (realDelay <= 0) {
        timer = setTimeout(fire, 0);
        return;
      }
      timer = setTimeout(realDelay > MAX_TIMEOUT_MS ? arm : fire, Math.min(realDelay, MAX_TIMEOUT_MS));
    };
    arm();
    return () => clearTimeout(timer);
  }
}

interface Timer {
  readonly when: number;
  readonly seq: number;
  readonly fire: () => void;
}

export class ManualScheduler implements Scheduler {
  private current: number;
  private seq = 0;
  private timers: Timer[] = [];

  constructor(start: Date) {
    this.current = start.getTime();
  }

  now(): Date {
    return new Date(this.current);
  }

  at(when: Date, fire: () => void): () => void {
    const timer: Timer = { when: Math.max(when.getTime(), this.current), seq: this.seq++, fire };
    this.timers.push(timer);
    this.timers.sort((a, b) => a.when - b.when || a.seq - b.seq);
    return () => {
      this.timers = this.timers.filter((candidate) => candidate !== timer);
    };
  }

  /** the next pending timer's time, if any */
  nextTimer(): Date | undefined {
    const first = this.timers[0];
    return first ? new Date(first.when) : undefined;
  }

  /**
   * Moves time to `target`, firing due timers one at a time in order; after each, `settle`
   * waits for the work it started (so the next timer sees its effects).
   */
  async advanceTo(target: Date, settle: () => Promise<void>): Promise<number> {
    let fired = 0;
    await settle();
    for (;;) {
      const next = this.timers[0];
      if (!next || next.when > target.getTime()) break;
      this.timers.shift();
      this.current = next.when;
      next.fire();
      fired++;
      await settle();
    }
    if (target.getTime() > this.current) this.current = target.getTime();
    return fired;
  }
}
