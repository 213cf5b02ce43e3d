/**
 * An adaptive response-time floor for a route whose timing must not tell its cases apart (POST /leads:
 * known, new and bot posts; ADR 0010). The route reports how long its real work took; every answer waits
 * until the floor: a high quantile of the recent work times, within bounds. Only answers slower than the
 * floor (the tail beyond the quantile) stay distinguishable. Pure: times are passed in, nothing is read.
 */

export interface ResponseFloorOptions {
  /** how many recent work times the floor is computed from */
  readonly window: number;
  /** the quantile of those times the floor sits at (0.99: 1 answer in 100 may end later) */
  readonly quantile: number;
  /** below this many samples (a fresh process or container) the floor is `initialMs` */
  readonly minSamples: number;
  readonly initialMs: number;
  /** the floor never goes below minMs nor above maxMs (a flood of slow posts cannot slow every answer more) */
  readonly minMs: number;
  readonly maxMs: number;
}

export const RESPONSE_FLOOR_DEFAULTS: ResponseFloorOptions = {
  window: 512,
  quantile: 0.99,
  minSamples: 16,
  initialMs: 100,
  minMs: 10,
  maxMs: 1_500,
};

export class ResponseFloor {
  private readonly options: ResponseFloorOptions;
  /** the window's times in arrival order (a ring: `next` is the oldest once full) */
  private readonly samples: number[] = [];
  /** the same times in ascending order, kept so as each arrives (no sort per answer: issue 15) */
  private readonly sorted: number[] = [];
  private next = 0;

  constructor(options: Partial<ResponseFloorOptions> = {}) {
    this.options = { ...RESPONSE_FLOOR_DEFAULTS, ...options };
    const { window, quantile, minMs, maxMs } = this.options;
    if (!(window >= 1) || !(quantile > 0 && quantile <= 1) || !(minMs >= 0 && maxMs >= minMs)) {
      throw new RangeError('ResponseFloor: window >= 1, 0 < quantile <= 1, 0 <= minMs <= maxMs');
    }
  }

  /** Reports how long one real piece of work took (ms); the oldest report beyond the window is forgotten. */
  observe(ms: number): void {
    if (!Number.isFinite(ms) || ms < 0) return;
    if (this.samples.length < this.options.window) this.samples.push(ms);
    else {
      this.sorted.splice(lowerBound(this.sorted, this.samples[this.next]!), 1);
      this.samples[this.next] = ms;
    }
    this.sorted.splice(lowerBound(this.sorted, ms), 0, ms);
    this.next = (this.next + 1) % this.options.window;
  }

  /** The floor now (ms): the quantile of the recent work times, or initialMs while they are too few; within bounds. */
  current(): number {
    const { minSamples, initialMs, quantile, minMs, maxMs } = this.options;
    const sorted = this.sorted;
    const floor =
      sorted.length >= minSamples
        ? sorted[Math.min(sorted.length - 1, Math.ceil(quantile * sorted.length) - 1)]!
        : initialMs;
    return Math.min(maxMs, Math.max(minMs, floor));
  }

  /** How long to wait (ms) before answering, for an answer whose work started at `startedAt` and it is `now`. */
  waitFor(startedAt: number, now: number): number {
    return Math.max(0, this.current() - (now - startedAt));
  }
}

/** The first index of `sorted` (ascending) whose value is not below `value`. */
function lowerBound(sorted: readonly number[], value: number): number {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (sorted[middle]! < value) low = middle + 1;
    else high = middle;
  }
  return low;
}
