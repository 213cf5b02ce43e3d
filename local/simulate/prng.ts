/**
 * A seeded pseudo-random generator for the simulator (never Math.random): mulberry32, 32 bits of state,
 * fast, and the same sequence for the same seed on every machine. Not for secrets.
 * Streams are split by name (`fork`) so adding a draw in one part of the model (say, rep behaviour)
 * does not shift every other part's sequence.
 */
export class Prng {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** A new generator seeded from this seed and `name` (FNV-1a of the name mixed in). */
  static forStream(seed: number, name: string): Prng {
    let hash = 0x811c9dc5 ^ (seed >>> 0);
    for (let i = 0; i < name.length; i++) {
      hash ^= name.charCodeAt(i);
      hash = Math.imul(hash, 0x01000193);
    }
    return new Prng(hash >>> 0);
  }

  /** uniform in [0, 1) */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** a version-4-shaped UUID from four draws: ids that are the same for the same seed */
  uuid(): string {
    const hex = Array.from({ length: 4 }, () =>
      Math.floor(this.next() * 4294967296)
        .toString(16)
        .padStart(8, '0'),
    ).join('');
    const variant = ((Number.parseInt(hex[16]!, 16) & 0x3) | 0x8).toString(16);
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
  }

  /** true with probability p */
  chance(p: number): boolean {
    return this.next() < p;
  }

  /** an integer in [min, max] */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new RangeError('pick from an empty list');
    return items[Math.floor(this.next() * items.length)]!;
  }

  /** an index by weight (weights >= 0, not all 0) */
  weighted(weights: readonly number[]): number {
    const total = weights.reduce((sum, w) => sum + w, 0);
    let r = this.next() * total;
    for (let i = 0; i < weights.length; i++) {
      r -= weights[i]!;
      if (r < 0) return i;
    }
    return weights.length - 1;
  }

  /** exponential with the given mean */
  exponential(mean: number): number {
    return -Math.log(1 - this.next()) * mean;
  }

  /** log-normal with the given median and p90 (a response delay: most quick, a long tail) */
  logNormal(median: number, p90: number): number {
    const sigma = Math.log(Math.max(p90, median * 1.0001) / median) / 1.2815515655446004;
    // Box-Muller
    const u = 1 - this.next();
    const v = this.next();
    const z = Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
    return median * Math.exp(sigma * z);
  }
}
