/**
 * The simulator's clock: a Scheduler whose time moves only when the simulation loop takes the next due
 * timer. Timers sit in a binary heap ordered by (time, insertion order), so ordering is exact and
 * deterministic, and a cancel is O(1) (the heap drops cancelled entries lazily). ManualScheduler
 * (local/scheduler.ts) sorts its whole list on every insert and filters it on every cancel: fine for a
 * test's few leads, quadratic for 10,000.
 */
import type { Scheduler } from '../scheduler.ts';

interface Timer {
  readonly when: number;
  readonly seq: number;
  readonly fire: () => void;
  cancelled: boolean;
}

export class SimulationClock implements Scheduler {
  private current: number;
  private seq = 0;
  private readonly heap: Timer[] = [];
  private live = 0;

  constructor(start: Date) {
    this.current = start.getTime();
  }

  now(): Date {
    return new Date(this.current);
  }

  nowMs(): number {
    return this.current;
  }

  at(when: Date, fire: () => void): () => void {
    return this.atMs(when.getTime(), fire);
  }

  atMs(when: number, fire: () => void): () => void {
    const timer: Timer = { when: Math.max(when, this.current), seq: this.seq++, fire, cancelled: false };
    this.push(timer);
    this.live++;
    return () => {
      if (timer.cancelled) return;
      timer.cancelled = true;
      this.live--;
    };
  }

  /** timers still to fire */
  get pending(): number {
    return this.live;
  }

  /** the next live timer's time, if any */
  nextAt(): number | undefined {
    this.dropCancelled();
    return this.heap[0]?.when;
  }

  /** Moves time to the next timer due at or before `until`, fires it, and says whether one fired. */
  fireNext(until: number): boolean {
    this.dropCancelled();
    const first = this.heap[0];
    if (!first || first.when > until) return false;
    this.pop();
    first.cancelled = true;
    this.live--;
    this.current = first.when;
    first.fire();
    return true;
  }

  /** Moves time forward to `to` (never back) without firing anything. */
  moveTo(to: number): void {
    if (to > this.current) this.current = to;
  }

  private dropCancelled(): void {
    while (this.heap.length > 0 && this.heap[0]!.cancelled) this.pop();
  }

  private static before(a: Timer, b: Timer): boolean {
    return a.when < b.when || (a.when === b.when && a.seq < b.seq);
  }

  private push(timer: Timer): void {
    const heap = this.heap;
    heap.push(timer);
    let i = heap.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!SimulationClock.before(heap[i]!, heap[parent]!)) break;
      [heap[i], heap[parent]] = [heap[parent]!, heap[i]!];
      i = parent;
    }
  }

  private pop(): void {
    const heap = this.heap;
    const last = heap.pop()!;
    if (heap.length === 0) return;
    heap[0] = last;
    let i = 0;
    for (;;) {
      const left = 2 * i + 1;
      const right = left + 1;
      let smallest = i;
      if (left < heap.length && SimulationClock.before(heap[left]!, heap[smallest]!)) smallest = left;
      if (right < heap.length && SimulationClock.before(heap[right]!, heap[smallest]!)) smallest = right;
      if (smallest === i) break;
      [heap[i], heap[smallest]] = [heap[smallest]!, heap[i]!];
      i = smallest;
    }
  }
}
