/**
 * A damaged `--data` directory stops the start with one line instead of running wrong (a crash-safety trial):
 * - `lead-id-secret` empty answered 500 to every form post; holding anything else, or lost beside its store, it
 *   was silently replaced and a known person's next post became a second lead (two SQLs, two reps);
 * - `clock.json` unreadable restarted SLA time from the wall clock, weeks back after a run under --speed, and
 *   the next save made that permanent.
 * And what such a start left: nothing listening, nothing written. A temp file a killed save left is removed.
 */
import { mkdtemp, readdir, readFile, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { type LocalRuntime, type LocalRuntimeOptions, startLocalRuntime } from '../../local/runtime.ts';
import { loadDefaultSla } from '../support/sla.ts';

const dirs: string[] = [];
afterAll(async () => {
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

async function dataDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'leadpact-damage-'));
  dirs.push(dir);
  return dir;
}

const options = (dir: string, extra: Partial<LocalRuntimeOptions> = {}): LocalRuntimeOptions => ({
  sla: loadDefaultSla(),
  dataDir: dir,
  port: 0,
  mailPort: 0,
  workflows: 'record',
  time: { manual: new Date('2026-11-30T10:00:00.000Z') },
  ...extra,
});

async function post(runtime: LocalRuntime, email: string): Promise<{ status: number; leadId?: string }> {
  const answer = await fetch(`${runtime.url}/leads`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, firstName: 'Petra', lastName: 'Schmidt', company: 'Kessler GmbH' }),
  });
  const body = (await answer.json()) as { leadId?: string };
  return { status: answer.status, leadId: body.leadId };
}

/** A data directory with a store holding one lead, stopped cleanly: the lead's id. */
async function withOneLead(dir: string): Promise<string> {
  const runtime = await startLocalRuntime(options(dir));
  try {
    const posted = await post(runtime, 'petra.schmidt@kessler.example');
    expect(posted.status).toBe(202);
    return posted.leadId!;
  } finally {
    await runtime.close();
  }
}

describe('a damaged data directory', () => {
  it.each([
    ['empty', 'lead-id-secret', '', /lead-id-secret is damaged \(empty\)/],
    [
      'holding no key',
      'lead-id-secret',
      'short',
      /lead-id-secret is damaged \(5 characters that are not a key\)/,
    ],
    ['lost beside its store', 'lead-id-secret', undefined, /lead-id-secret is missing, but the store/],
    ['an empty action key', 'action-secret', '\n', /action-secret is damaged \(empty\)/],
  ])(
    'a key file %s (%s) stops the start naming it; restored, the same person is the same lead',
    async (_case, name, content, message) => {
      // Arrange: a store with one lead, then its key file damaged
      const dir = await dataDir();
      const leadId = await withOneLead(dir);
      const key = await readFile(join(dir, name), 'utf8');
      if (content === undefined) await rm(join(dir, name));
      else await writeFile(join(dir, name), content);

      // Act
      const refused = await startLocalRuntime(options(dir)).then(
        async (runtime) => {
          await runtime.close();
          return undefined;
        },
        (error: Error) => error.message,
      );

      // Assert: refused with the file and the ways out; the file left as it was (no new key written over it)
      expect(refused).toMatch(message);
      expect(refused).toContain('restore the file from a backup');
      if (content === undefined) expect(await readdir(dir)).not.toContain(name);
      else expect(await readFile(join(dir, name), 'utf8')).toBe(content);
      // restored: the store opens again (the refused start left no lock) and the known person is the same lead
      await writeFile(join(dir, name), key);
      const runtime = await startLocalRuntime(options(dir));
      try {
        expect(await post(runtime, 'petra.schmidt@kessler.example')).toEqual({ status: 202, leadId });
      } finally {
        await runtime.close();
      }
    },
  );

  it('a clock file that holds no time stops the start; a left temp file of a killed save is removed', async () => {
    // Arrange: a store run under a fast clock, stopped cleanly (clock.json holds its SLA time), then damaged
    const dir = await dataDir();
    const first = await startLocalRuntime(options(dir, { time: { speed: 3600 } }));
    await first.close();
    const saved = await readFile(join(dir, 'clock.json'), 'utf8');
    await writeFile(join(dir, 'clock.json'), 'not json');
    const left = join(dir, 'clock.json.0123456789ab.tmp');
    await writeFile(left, '{"virtualNow":"2026-1');
    await utimes(left, new Date(Date.now() - 60_000), new Date(Date.now() - 60_000));

    // Act
    const refused = await startLocalRuntime(options(dir, { time: { speed: 3600 } })).then(
      async (runtime) => {
        await runtime.close();
        return undefined;
      },
      (error: Error) => error.message,
    );

    // Assert
    expect(refused).toMatch(/clock\.json is damaged: it holds no SLA time/);
    // no made-up time that reads like this store's own (an ops trial nearly pasted it)
    expect(refused).toContain('"virtualNow": "<that time, ISO 8601 in UTC>"');
    expect(await readFile(join(dir, 'clock.json'), 'utf8')).toBe('not json');
    // fixed by hand as the message says: it starts, from the saved time, and the killed save's temp file is gone
    await writeFile(join(dir, 'clock.json'), saved);
    const runtime = await startLocalRuntime(options(dir, { time: { speed: 3600 } }));
    try {
      const { virtualNow } = JSON.parse(saved) as { virtualNow: string };
      expect(runtime.deps.clock.now().getTime()).toBeGreaterThanOrEqual(Date.parse(virtualNow));
      expect(
        (await readdir(dir)).filter((name) => name.endsWith('.tmp') && name.includes('0123456789ab')),
      ).toEqual([]);
    } finally {
      await runtime.close();
    }
  });
});
