/**
 * The simulator sizes a state write as the DynamoDB adapter writes it (ADR 0037): plain attributes plus the
 * compressed body, one write in sixteen compressed for real and the others by the ratio measured so far
 * (local/simulate/operations.ts StateItemSizes). Its estimate must stay close to compressing every write.
 */
import { describe, expect, it } from 'vitest';
import { frozenCopy, jsonBytes } from '../../lambdas/adapters/frozen-data.ts';
import { stateBodyBytes, statePlainBytes } from '../../lambdas/adapters/lead-item.ts';
import type { LeadState, TimelineEntry } from '../../lambdas/ports/lead-store.ts';
import { StateItemSizes } from '../../local/simulate/operations.ts';
import { handedOff } from '../support/lead-state.ts';

const PAGES = [
  '/pricing',
  '/case-studies/food',
  '/docs/install',
  '/blog/maintenance',
  '/contact',
  '/careers',
];
const RULES = [
  'fit.industry',
  'fit.employees',
  'fit.country',
  'engagement.page_view',
  'engagement.email_click',
];
/** entries as varied as a lead's: kinds, rules and texts differ from one to the next (a pseudo-random walk) */
const entry = (n: number): TimelineEntry => {
  const pick = <T>(list: readonly T[], salt: number) => list[(n * 7919 + salt * 104_729) % list.length]!;
  return {
    at: new Date(Date.parse('2026-11-30T09:00:00.000Z') + n * 3_517_000).toISOString(),
    kind: pick(['email', 'judged', 'status', 'attempt'], 1),
    from: pick(['sql/new', 'sql/attempting', 'mql/working'], 2),
    to: pick(['sql/attempting', 'sql/connected', 'sql/new'], 3),
    by: pick(['workflow', 'jonas', 'mats@plant.example'], 4),
    reasons: Array.from({ length: 1 + (n % 4) }, (_, i) => ({
      rule: pick(RULES, 5 + i),
      detail: `viewed ${pick(PAGES, 6 + i)} ${1 + ((n * 13 + i) % 9)} times, ${(n * 37 + i * 11) % 240} minutes ago`,
    })),
    version: 'default-2026-11',
  };
};

/** leads written 320 times, each tail growing to 16 entries and moving down to 4, as the adapter's does */
const versions: LeadState[] = Array.from({ length: 320 }, (_, n) =>
  handedOff('2026-11-30T09:00:00.000Z', 'jonas', {
    leadId: `LeadSized${String(n % 7).padStart(13, '0')}`,
    version: n + 1,
    fields: { firstName: 'Petra', company: `Kessler ${n}`, employees: 800 + n },
    timeline: Array.from({ length: 4 + (n % 13) }, (_, i) => entry(n + i)),
    dueAt: '2026-12-01T09:00:00.000Z',
  }),
);

const exact = (state: LeadState) => statePlainBytes(state) + stateBodyBytes(state);

describe('StateItemSizes', () => {
  it('measures the first write exactly and keeps the sum within 10 % of compressing every write', () => {
    // Arrange
    const sizes = new StateItemSizes();
    const frozen = versions.map((state) => frozenCopy(state));
    // Act
    const estimated = frozen.map((state) => sizes.bytes(state));
    // Assert
    const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);
    const real = frozen.map(exact);
    expect(estimated[0]).toBe(real[0]);
    expect(Math.abs(sum(estimated) - sum(real)) / sum(real)).toBeLessThan(0.1);
    expect(sum(real)).toBeLessThan(sum(frozen.map((state) => jsonBytes(state))) / 1.5);
    expect(sizes.ratio()).toBeGreaterThan(1.5);
  });
});

/** text that deflate cannot shrink much (a pseudo-random walk over 64 characters) */
const noise = (length: number, seed: number): string => {
  let x = seed;
  return Array.from({ length }, () => {
    x = (x * 1_103_515_245 + 12_345) % 2_147_483_648;
    return 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_'[x >>> 25]!;
  }).join('');
};

describe('StateItemSizes, lead by lead', () => {
  it('gives each write the same bytes whatever order the leads interleave in', () => {
    // Arrange: the same writes, each lead's in its own order, leads interleaved two ways
    const frozen = versions.map((state) => frozenCopy(state));
    const leads = [...new Set(frozen.map((state) => state.leadId))].reverse();
    const reordered = leads.flatMap((leadId) => frozen.filter((state) => state.leadId === leadId));
    const sizeOf = (order: readonly LeadState[]) => {
      const sizes = new StateItemSizes();
      return new Map(order.map((state) => [`${state.leadId}@${state.version}`, sizes.bytes(state)]));
    };
    // Act
    const inOrder = sizeOf(frozen);
    const otherOrder = sizeOf(reordered);
    // Assert
    expect(otherOrder.size).toBe(inOrder.size);
    for (const [write, bytes] of inOrder) expect(otherOrder.get(write), write).toBe(bytes);
  });

  it("measures a lead's write again when its rest grew by more than a quarter", () => {
    // Arrange: a lead of a few notes, then the same lead with 40 KB of notes deflate cannot shrink
    const lead = (notes: string, version: number) =>
      frozenCopy(
        handedOff('2026-11-30T09:00:00.000Z', 'jonas', {
          leadId: 'LeadSizedGrows0000001',
          version,
          fields: { notes },
        }),
      );
    const sizes = new StateItemSizes();
    sizes.bytes(lead('call back after the trade fair', 1));
    const grown = lead(noise(40_000, 11), 2);
    // Act
    const estimated = sizes.bytes(grown);
    // Assert
    expect(estimated).toBe(exact(grown));
  });
});
