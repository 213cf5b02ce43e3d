/**
 * SLA time under `--speed` runs ahead of the wall clock. With a data directory it must never run
 * backwards across a restart, or timelines read "judged" before "created" and timers fire twice:
 * the virtual time is saved (atomically) every second and on close, and a restart resumes from
 * the later of the saved time and the wall clock.
 */
import { readFile } from 'node:fs/promises';
import type { Clock } from '../lambdas/ports/clock.ts';
import { writeFileAtomic } from './atomic-file.ts';

/** The saved virtual time, or undefined when there is none (or it is unreadable). */
export async function loadVirtualTime(file: string): Promise<Date | undefined> {
  try {
    const { virtualNow } = JSON.parse(await readFile(file, 'utf8')) as { virtualNow?: unknown };
    const ms = typeof virtualNow === 'string' ? Date.parse(virtualNow) : Number.NaN;
    return Number.isNaN(ms) ? undefined : new Date(ms);
  } catch {
    return undefined;
  }
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
