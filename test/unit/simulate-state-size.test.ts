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

describe('StateItemSizes, sizes the samples do not span', () => {
  it('never sizes a bigger lead below its compressed body when the samples so far fell as leads grew', () => {
    // Arrange: the two writes compressed so far: a lead of notes deflate cannot shrink, then a bigger one
    // of repetitive notes (a smaller body): the line through them falls
    const lead = (leadId: string, notes: string) =>
      frozenCopy(handedOff('2026-11-30T09:00:00.000Z', 'jonas', { leadId, fields: { notes } }));
    const sizes = new StateItemSizes();
    const first = lead('LeadSizedNoise0000001', noise(2_000, 7));
    const second = lead('LeadSizedRepeat000001', 'call back after the trade fair; '.repeat(120));
    sizes.bytes(first);
    for (let n = 0; n < 15; n++) sizes.bytes(first);
    sizes.bytes(second);
    // Act: a lead with 40 KB of notes, sized by the line
    const big = lead('LeadSizedBig000000001', noise(40_000, 11));
    const estimated = sizes.bytes(big);
    // Assert
    expect(estimated).toBeGreaterThan(exact(big) / 2);
    expect(estimated).toBeLessThan(exact(big) * 2);
  });
});

describe('StateItemSizes, a small lead after big ones', () => {
  it('never sizes it below what the best compression seen would give', () => {
    // Arrange: the writes compressed so far are big leads whose bodies grow fast with size (notes deflate
    // cannot shrink): the line through them crosses zero above a small lead's size
    const lead = (leadId: string, notes: string) =>
      frozenCopy(handedOff('2026-11-30T09:00:00.000Z', 'jonas', { leadId, fields: { notes } }));
    const sizes = new StateItemSizes();
    const bigger = lead('LeadSizedNoise0000002', noise(20_000, 3));
    const big = lead('LeadSizedNoise0000003', 'a repeated line of notes. '.repeat(300) + noise(8_000, 5));
    sizes.bytes(big);
    for (let n = 0; n < 15; n++) sizes.bytes(big);
    sizes.bytes(bigger);
    // Act: a lead with almost nothing, sized by the line
    const small = lead('LeadSizedSmall0000001', 'ok');
    const estimated = sizes.bytes(small);
    // Assert: its body (the estimate but the plain attributes) at least half the real one
    expect(estimated - statePlainBytes(small)).toBeGreaterThanOrEqual(stateBodyBytes(small) / 2);
  });
});
