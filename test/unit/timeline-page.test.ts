/**
 * Pages of moved timeline entries (ADR 0042, lambdas/adapters/timeline-page.ts): their keys, the cut of
 * entries too large for one page, and a rewrite of the same entries (erase) landing on the same keys.
 */
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  entriesBetween,
  entriesOfPages,
  PAGE_ENTRIES,
  timelinePages,
} from '../../lambdas/adapters/timeline-page.ts';
import { erasedEntry, type TimelineEntry } from '../../lambdas/domain/lead-state.ts';

const LEAD = 'LeadWithPages000000001';
const entry = (n: number, detail = `judged (${n})`): TimelineEntry => ({
  at: new Date(Date.UTC(2026, 10, 30, 8) + n * 60_000).toISOString(),
  kind: 'judged',
  by: 'workflow',
  reasons: [{ rule: 'fit.title', detail }],
});

describe('timeline pages', () => {
  it.each([
    [1, 12, ['TIMELINE#000000012#000000001']],
    [0, PAGE_ENTRIES + 1, ['TIMELINE#000000024#000000000', 'TIMELINE#000000025#000000025']],
  ])('from position %i, %i entries: keyed by their last position, then their first', (base, count, keys) => {
    // Act
    const pages = timelinePages(
      LEAD,
      base,
      Array.from({ length: count }, (_, i) => entry(base + i)),
    );
    // Assert
    expect(pages.map((page) => page.sk)).toEqual(keys);
  });

  it('entries too large for one page are cut in two, and an erased rewrite lands on the same keys', () => {
    // Arrange: 25 entries quoting ~20 KB of text that does not compress (a pasted attachment, say)
    const entries = Array.from({ length: PAGE_ENTRIES }, (_, i) =>
      entry(i, randomBytes(15_000).toString('base64')),
    );
    // Act
    const pages = timelinePages(LEAD, 0, entries);
    const erased = timelinePages(LEAD, 0, entries, erasedEntry);
    // Assert: cut, every page under DynamoDB's item limit, the rewrite on the same keys with no text left
    expect(pages.length).toBeGreaterThan(1);
    for (const page of pages) expect((page.body as Uint8Array).length).toBeLessThan(400_000);
    expect(erased.map((page) => page.sk)).toEqual(pages.map((page) => page.sk));
    const back = entriesBetween(entriesOfPages(LEAD, erased), 0, PAGE_ENTRIES);
    expect(back).toEqual(entries.map(erasedEntry));
    expect(entriesBetween(entriesOfPages(LEAD, pages), 0, PAGE_ENTRIES)).toEqual(entries);
  });
});
