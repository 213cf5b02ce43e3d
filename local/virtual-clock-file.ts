/**
 * SLA time under `--speed` runs ahead of the wall clock. With a data directory it must never run
 * backwards across a restart, or timelines read "judged" before "created" and timers fire twice:
 * the virtual time is saved (atomically) every second and on close, and a restart resumes from
 * the later of the saved time and the wall clock.
 */
import { readdir, readFile, rm, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { Clock } from '../lambdas/ports/clock.ts';
import { writeFileAtomic } from './atomic-file.ts';

/**
 * The saved virtual time, or undefined when there is none (a new data directory). A file that is there but
 * holds no time (damaged by hand, a disk fault) stops the start with one line: resuming from the wall clock
 * would set SLA time back (weeks, after a run under --speed), and the next save would make that permanent.
 * Writes are atomic, so a kill never leaves it half written (only a temp file beside it: removeLeftTemps).
 */
export async function loadVirtualTime(file: string): Promise<Date | undefined> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  const virtualNow = savedTime(text);
  if (virtualNow === undefined)
    throw new Error(
      `${file} is damaged: it holds no SLA time, and starting from the wall clock would set the SLA clock back (timers already set would wait that much longer). Nothing was started: write the last SLA time you saw (the "time" of /health, or the latest time on a lead's story) into it as {"virtualNow": "<that time, ISO 8601 in UTC>"}, or delete the file to restart the SLA clock from now`,
    );
  return virtualNow;
}

function savedTime(text: string): Date | undefined {
  try {
    const { virtualNow } = JSON.parse(text) as { virtualNow?: unknown };
    const ms = typeof virtualNow === 'string' ? Date.parse(virtualNow) : Number.NaN;
    return Number.isNaN(ms) ? undefined : new Date(ms);
  } catch {
    return undefined;
  }
}

/**
 * Removes `<file>.<hex>.tmp` a process killed between writing its temp file and renaming it left (atomic-file.ts).
 * Only by the process that holds the data directory (after its store opened: LevelDB's lock), and only those
 * last written before `startedAt` (this process's own saves may be writing one).
 */
export async function removeLeftTemps(file: string, startedAt: Date): Promise<void> {
  const prefix = `${basename(file)}.`;
  const names = await readdir(dirname(file)).catch(() => [] as string[]);
  await Promise.all(
    names
      .filter((name) => name.startsWith(prefix) && /\.[0-9a-f]{12}\.tmp$/.test(name))
      .map(async (name) => {
        const path = join(dirname(file), name);
        const written = await stat(path).then(
          (stats) => stats.mtimeMs,
          () => Number.POSITIVE_INFINITY,
        );
        if (written < startedAt.getTime()) await rm(path, { force: true });
      }),
  );
}

/** The start time for a resumed clock: never before the saved time. */
export function resumeFrom(saved: Date | undefined, wanted: Date): Date {
  return saved && saved > wanted ? saved : wanted;
}

export interface ClockKeeper {
  /** saves once more and stops */
  stop(): Promise<void>;
}

/**
 * Saves the virtual time to `file` every `everyMs` real milliseconds. A kill comes without warning,
 * so each periodic save records a lease: the time the clock may reach before the next save (now
 * plus three intervals of virtual time, at `speed` virtual seconds per second). A restart after a
 * kill resumes from the lease, never from before a time the killed process had already used; it
 * may jump up to three intervals ahead. A clean stop saves the exact time.
 */
export function keepVirtualTime(
  file: string,
  clock: Clock,
  options: { everyMs?: number; speed?: number } = {},
): ClockKeeper {
  const everyMs = options.everyMs ?? 1000;
  const leaseMs = 3 * everyMs * (options.speed ?? 1);
  let writing = Promise.resolve();
  const save = (aheadMs: number) => {
    writing = writing
      .then(() =>
        writeFileAtomic(
          file,
          JSON.stringify({ virtualNow: new Date(clock.now().getTime() + aheadMs).toISOString() }),
        ),
      )
      .catch((error: unknown) =>
        console.error(
          JSON.stringify({ level: 'warn', msg: 'could not save the virtual clock', error: String(error) }),
        ),
      );
    return writing;
  };
  const timer = setInterval(() => save(leaseMs), everyMs);
  timer.unref();
  void save(leaseMs);
  return {
    async stop() {
      clearInterval(timer);
      await save(0);
    },
  };
}
