/**
 * Scrubbing dynalite's LevelDB, so that a value that was overwritten or deleted (an erased lead) leaves no
 * copy in the store's files. Three things stand in the way, each measured on dynalite 4 / classic-level 3:
 *
 * 1. LevelDB never rewrites a value in place: a put or delete appends to the write-ahead log (`*.log`) and
 *    later to sorted tables (`*.ldb`); old values go only when a compaction merges them away. `CompactRange`
 *    flushes the memtable (which retires the old log) and merges each level into the next, dropping
 *    overwritten and deleted values, and deletes the obsolete files before it returns.
 * 2. But CompactRange merges each level only into the next one down, and the flushed memtable lands on a level
 *    chosen by the key range of what it holds: measured, a compaction after an erase still left copies in a
 *    table file. Two marker keys, one below and one above every dynalite key, put and deleted in one batch,
 *    give the flushed table the whole key range, so it lands above every level that holds files and each
 *    merge takes in all of the level below: the whole store is rewritten. The markers vanish in the merge
 *    (a put and its delete).
 * 3. A compaction keeps every version an open iterator's snapshot may still read, and dynalite never closed
 *    its iterators (its streams call `iterator.return()`, which abstract-level 3 iterators lack): every query
 *    ever made pinned the data of its moment, for the life of the process. Iterators are therefore made to
 *    close at their end and on `return()`, and a scrub first waits (briefly) for the iterators opened before
 *    it, since one opened before an erase could still read the erased values.
 */

/** The part of classic-level (abstract-level 3) that the scrub uses. */
export interface LevelDb {
  readonly status: string;
  /** resolves once open (at once when it is); rejects with why it cannot open (e.g. LEVEL_LOCKED in `cause`) */
  open(): Promise<void>;
  batch(
    operations: ({ type: 'put'; key: string; value: number } | { type: 'del'; key: string })[],
  ): Promise<void>;
  compactRange(start: Uint8Array, end: Uint8Array, options: { keyEncoding: 'view' }): Promise<void>;
}

interface LevelIterator {
  next(...args: unknown[]): Promise<unknown>;
  close(): Promise<void>;
  return?: () => Promise<{ done: true; value: undefined }>;
}

/** the iterator factories of abstract-level 3; dynalite's streams use keys() and values() */
const ITERATOR_METHODS = ['iterator', 'keys', 'values'] as const;

/** every key dynalite writes starts with a lowercase ASCII prefix (`table~`, `item-…`, `index-…`, `tag-…`) */
const FIRST_KEY = new Uint8Array(0);
const PAST_LAST_KEY = new Uint8Array(8).fill(0xff);
const LOW_MARKER = '\u0000leadpact-scrub';
const HIGH_MARKER = '\u007fleadpact-scrub';
/** how long a scrub waits for older iterators (a query in flight) before it compacts anyway */
const ITERATOR_WAIT_MS = 2_000;

export interface LevelScrubber {
  /**
   * Rewrites the store without any overwritten or deleted value. One compaction at a time: a call gets a
   * run that starts after the call (the one running may have started before the caller's writes); calls
   * made meanwhile share it. Resolves at once when the store is closing or closed (the next open scrubs).
   */
  scrub(): Promise<void>;
  /** iterators open now (a test of the iterator fix) */
  openIterators(): number;
}

/** Patches `db`'s iterators to close (see 3. above) and returns its scrubber. Call it before any request. */
export function levelScrubber(db: LevelDb): LevelScrubber {
  const open = new Set<Promise<void>>();
  const target = db as unknown as Record<string, (...args: unknown[]) => LevelIterator>;
  for (const method of ITERATOR_METHODS) {
    const create = target[method];
    if (typeof create !== 'function') throw new Error(`the LevelDB store has no ${method}()`);
    target[method] = function (this: unknown, ...args: unknown[]) {
      const iterator = create.apply(this, args);
      let settle = () => {};
      const closed = new Promise<void>((resolve) => {
        settle = resolve;
      });
      open.add(closed);
      const close = iterator.close.bind(iterator);
      const next = iterator.next.bind(iterator);
      iterator.close = async () => {
        try {
          await close();
        } finally {
          open.delete(closed);
          settle();
        }
      };
      iterator.next = async (...nextArgs: unknown[]) => {
        const item = await next(...nextArgs);
        if (item === undefined) await iterator.close();
        return item;
      };
      iterator.return = async () => {
        await iterator.close();
        return { done: true, value: undefined };
      };
      return iterator;
    };
  }

  const compact = async () => {
    if (db.status === 'closing' || db.status === 'closed') return;
    const older = [...open];
    if (older.length > 0) {
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        Promise.all(older),
        new Promise((resolve) => {
          timer = setTimeout(resolve, ITERATOR_WAIT_MS);
        }),
      ]);
      clearTimeout(timer);
    }
    await db.batch([
      { type: 'put', key: LOW_MARKER, value: 0 },
      { type: 'put', key: HIGH_MARKER, value: 0 },
      { type: 'del', key: LOW_MARKER },
      { type: 'del', key: HIGH_MARKER },
    ]);
    await db.compactRange(FIRST_KEY, PAST_LAST_KEY, { keyEncoding: 'view' });
  };

  let last: Promise<void> = Promise.resolve();
  let queued: Promise<void> | undefined;
  return {
    scrub() {
      queued ??= last
        .catch(() => undefined)
        .then(() => {
          queued = undefined;
          return compact();
        });
      last = queued;
      return queued;
    },
    openIterators: () => open.size,
  };
}
