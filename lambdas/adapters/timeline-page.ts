/**
 * Timeline entries moved off the state item (ADR 0021, ADR 0032), in pages (ADR 0042): one item holds up to
 * PAGE_ENTRIES consecutive entries, compressed as the state's body is (lead-item.ts), keyed
 * `TIMELINE#<last position>#<first position>` (9 digits each). A move of 12 entries of ~0.65 KB was 12
 * items and ~12 write units; as one page it is one item of ~0.6 KB.
 *
 * - Keyed by its last position first, a page of entries below a state's base sorts below that base, so the
 *   range `TIMELINE#<timelineDropped>` to `TIMELINE#<base - 1>#~` finds every page holding one of its entries.
 * - The first position in the key keeps a page apart from an item of one entry (`TIMELINE#<position>`, as
 *   moves wrote them before pages, and as a function of that code still running during a deploy writes
 *   them): neither replaces the other; both read.
 * - Writers that raced may have left pages that overlap (a move's count depends on the version it read): an
 *   entry's content at a position never changes, so a read merges pages by position.
 */
import type { TimelineEntry } from '../ports/lead-store.ts';
import { decodeBody, encodeBody } from './lead-item.ts';
import {
  ENTITIES,
  ENTITY_ATTRIBUTE,
  SORT_KEY,
  timelineKey,
  withoutTableAttributes,
} from './table-definition.ts';

type Item = Record<string, unknown>;

/** entries per page: a move of the tail (12) is one page; an old lead's first move of 496 is 20, one request */
export const PAGE_ENTRIES = 25;
/** a page's body past this is split in two (DynamoDB's item limit is 400 KB; entries are ~1 KB, rarely 10) */
const PAGE_BODY_MAX_BYTES = 300_000;

const BODY_ATTRIBUTE = 'body';

/**
 * The page items of `entries`, the first at position `base`: the same keys for the same arguments. `as`
 * rewrites each entry (erase: `erasedEntry`) after the pages were cut, so a rewrite lands on the same keys
 * whatever it does to the entries' sizes.
 */
export function timelinePages(
  leadId: string,
  base: number,
  entries: readonly TimelineEntry[],
  as?: (entry: TimelineEntry) => TimelineEntry,
): Item[] {
  const pages: Item[] = [];
  for (let i = 0; i < entries.length; i += PAGE_ENTRIES) {
    for (const { first, cut, body } of cuts(base + i, entries.slice(i, i + PAGE_ENTRIES))) {
      pages.push({
        ...pageKey(leadId, first, first + cut.length - 1),
        [ENTITY_ATTRIBUTE]: ENTITIES.timeline,
        [BODY_ATTRIBUTE]: as ? encodeBody({ entries: cut.map(as) }) : body,
      });
    }
  }
  return pages;
}

/** `entries` cut into pages whose body (the entries as given) stays under PAGE_BODY_MAX_BYTES. */
function cuts(
  first: number,
  entries: readonly TimelineEntry[],
): { first: number; cut: readonly TimelineEntry[]; body: Uint8Array }[] {
  const body = encodeBody({ entries });
  if (entries.length > 1 && body.length > PAGE_BODY_MAX_BYTES) {
    const half = Math.ceil(entries.length / 2);
    return [...cuts(first, entries.slice(0, half)), ...cuts(first + half, entries.slice(half))];
  }
  return [{ first, cut: entries, body }];
}

/** `TIMELINE#<last>#<first>`, 9 digits each */
function pageKey(leadId: string, first: number, last: number) {
  const key = timelineKey(leadId, last);
  const [, firstDigits] = timelineKey(leadId, first).sk.split('#');
  return { ...key, sk: `${key.sk}#${firstDigits}` };
}

/** The last sort key of the range of pages whose last entry is at or before `position`. */
export function pagesThrough(leadId: string, position: number): string {
  return `${timelineKey(leadId, position).sk}#~`;
}

/** The entries of timeline items (pages, or items of one entry as written before pages) by position, merged. */
export function entriesOfPages(leadId: string, items: readonly Item[]): Map<number, TimelineEntry> {
  const out = new Map<number, TimelineEntry>();
  for (const item of items) {
    const [, last, first] = String(item[SORT_KEY]).split('#').map(Number);
    if (item[BODY_ATTRIBUTE] === undefined) {
      out.set(last!, withoutTableAttributes<TimelineEntry>(item));
      continue;
    }
    const entries = decodeBody(item[BODY_ATTRIBUTE], leadId).entries as TimelineEntry[];
    if (first === undefined || first + entries.length - 1 !== last) {
      throw new Error(
        `lead ${leadId}: timeline page ${String(item[SORT_KEY])} holds ${entries.length} entries`,
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
