/**
 * Timeline entries moved off the state item (ADR 0021, ADR 0032), in pages (ADR 0042): one item holds up to
 * PAGE_ENTRIES consecutive entries, compressed as the state's body is (lead-item.ts), keyed by the position
 * of its LAST entry (`TIMELINE#<seq>`, table-definition.ts timelineKey) with the first one's in `first`. A
 * move of 12 entries of ~0.65 KB was 12 items and ~12 write units; as one page it is one item of ~0.6 KB.
 *
 * Keyed by the last position, a page of entries below a state's base sorts below that base, so the range
 * `[timelineDropped, base - 1]` finds every page that holds one of its entries. Writers that raced may have
 * left pages that overlap (a move's count depends on the version it read): an entry's content at a position
 * never changes, so a read merges pages by position. Items written before pages (one entry each, its fields
 * as attributes) read as pages of one.
 */
import type { TimelineEntry } from '../ports/lead-store.ts';
import { decodeBody, encodeBody } from './lead-item.ts';
import { ENTITIES, ENTITY_ATTRIBUTE, SORT_KEY, TABLE_ATTRIBUTES, timelineKey } from './table-definition.ts';

type Item = Record<string, unknown>;

/** entries per page: a move of the tail (12) is one page; an old lead's first move of 496 is 20, one request */
export const PAGE_ENTRIES = 25;
/** a page's body past this is split in two (DynamoDB's item limit is 400 KB; entries are ~1 KB, rarely 10) */
const PAGE_BODY_MAX_BYTES = 300_000;

const FIRST_ATTRIBUTE = 'first';
const BODY_ATTRIBUTE = 'body';

/** The page items for `entries`, the first at position `base`: the same items for the same arguments. */
export function timelinePages(leadId: string, base: number, entries: readonly TimelineEntry[]): Item[] {
  const pages: Item[] = [];
  for (let i = 0; i < entries.length; i += PAGE_ENTRIES) {
    pages.push(...pagesOf(leadId, base + i, entries.slice(i, i + PAGE_ENTRIES)));
  }
  return pages;
}

function pagesOf(leadId: string, first: number, entries: readonly TimelineEntry[]): Item[] {
  const body = encodeBody({ entries });
  if (body.length > PAGE_BODY_MAX_BYTES && entries.length > 1) {
    const half = Math.ceil(entries.length / 2);
    return [
      ...pagesOf(leadId, first, entries.slice(0, half)),
      ...pagesOf(leadId, first + half, entries.slice(half)),
    ];
  }
  return [
    {
      ...timelineKey(leadId, first + entries.length - 1),
      [ENTITY_ATTRIBUTE]: ENTITIES.timeline,
      [FIRST_ATTRIBUTE]: first,
      [BODY_ATTRIBUTE]: body,
    },
  ];
}

/** The entries of timeline items (pages, or single entries as written before pages) by position, merged. */
export function entriesOfPages(leadId: string, items: readonly Item[]): Map<number, TimelineEntry> {
  const out = new Map<number, TimelineEntry>();
  for (const item of items) {
    const last = Number(String(item[SORT_KEY]).split('#')[1]);
    if (item[BODY_ATTRIBUTE] === undefined) {
      const entry: Item = { ...item };
      for (const name of TABLE_ATTRIBUTES) delete entry[name];
      out.set(last, entry as unknown as TimelineEntry);
      continue;
    }
    const entries = decodeBody(item[BODY_ATTRIBUTE], leadId).entries as TimelineEntry[];
    const first = Number(item[FIRST_ATTRIBUTE]);
    if (first + entries.length - 1 !== last) {
      throw new Error(
        `lead ${leadId}: timeline page ${String(item[SORT_KEY])} holds ${entries.length} entries from ${first}`,
      );
    }
    for (const [i, entry] of entries.entries()) out.set(first + i, entry);
  }
  return out;
}

/** The entries of `pages` (entriesOfPages) at positions [from, to), in order. */
export function entriesBetween(
  pages: ReadonlyMap<number, TimelineEntry>,
  from: number,
  to: number,
): TimelineEntry[] {
  return [...pages]
    .filter(([seq]) => seq >= from && seq < to)
    .sort(([a], [b]) => a - b)
    .map(([, entry]) => entry);
}
