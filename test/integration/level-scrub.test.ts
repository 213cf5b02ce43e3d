/**
 * local/level-scrub.ts on the LevelDB dynalite uses (classic-level, through dynalite's own `level`): a scrub
 * leaves no overwritten or deleted value in any file and keeps the live ones, also when an iterator was opened
 * before the overwrite. (test/e2e/erase-on-disk.test.ts covers the same through dynalite and the API.)
 */
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { type LevelDb, levelScrubber } from '../../local/level-scrub.ts';

interface TestLevel extends LevelDb {
  open(): Promise<void>;
  close(): Promise<void>;
  put(key: string, value: unknown): Promise<void>;
  del(key: string): Promise<void>;
  get(key: string): Promise<unknown>;
  values(): { next(): Promise<unknown>; close(): Promise<void> };
}

const fromDynalite = createRequire(createRequire(import.meta.url).resolve('dynalite'));
const { Level } = fromDynalite('level') as {
  Level: new (path: string, options: { valueEncoding: 'json' }) => TestLevel;
};

const SECRET = 'Quintessa Vormbruggen zyxwv-erase-probe@example.com';

async function copiesOnDisk(dir: string, needle: string): Promise<number> {
  let count = 0;
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const bytes = await readFile(join(dir, entry.name));
    for (let at = bytes.indexOf(needle); at >= 0; at = bytes.indexOf(needle, at + 1)) count++;
  }
  return count;
}

describe('levelScrubber', () => {
  const dirs: string[] = [];
  afterAll(async () => {
    await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })));
  });
  const openStore = async () => {
    const dir = await mkdtemp(join(tmpdir(), 'leadpact-level-'));
    dirs.push(dir);
    const db = new Level(dir, { valueEncoding: 'json' });
    await db.open();
    return { dir, db, scrubber: levelScrubber(db) };
  };

  it('drops overwritten and deleted values from every file and keeps the live ones', async () => {
    const { dir, db, scrubber } = await openStore();
    try {
      await db.put('item-a~1', { name: SECRET, n: 1 });
      await db.put('item-a~1', { name: 'erased', n: 2 });
      await db.put('item-a~2', { message: SECRET });
      await db.del('item-a~2');
      await db.put('item-b~1', { name: 'kept' });
      expect(await copiesOnDisk(dir, SECRET)).toBe(2);

      await scrubber.scrub();

      expect(await copiesOnDisk(dir, SECRET)).toBe(0);
      expect(await db.get('item-a~1')).toEqual({ name: 'erased', n: 2 });
      expect(await db.get('item-b~1')).toEqual({ name: 'kept' });
      expect(await db.get('item-a~2')).toBeUndefined();
      // the markers are gone too
      expect(await db.get('\u0000leadpact-scrub')).toBeUndefined();
      expect(await db.get('\u007fleadpact-scrub')).toBeUndefined();
    } finally {
      await db.close();
    }
  });

  it('closes iterators read to their end, and waits for an older one before it compacts', async () => {
    const { dir, db, scrubber } = await openStore();
    try {
      await db.put('item-a~1', { name: SECRET });
      const finished = db.values();
      while ((await finished.next()) !== undefined);
      expect(scrubber.openIterators()).toBe(0);

      // an iterator opened before the erase sees (and pins) the old value until it closes
      const reader = db.values();
      await db.put('item-a~1', { name: 'erased' });
      const scrubbed = scrubber.scrub();
      setTimeout(() => void reader.close(), 50);
      await scrubbed;

      expect(scrubber.openIterators()).toBe(0);
      expect(await copiesOnDisk(dir, SECRET)).toBe(0);
    } finally {
      await db.close();
    }
  });
});
