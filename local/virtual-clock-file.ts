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

/** Saves `clock.now()` to `file` every `everyMs` real milliseconds. */
export function keepVirtualTime(file: string, clock: Clock, everyMs = 1000): ClockKeeper {
  let writing = Promise.resolve();
  const save = () => {
    writing = writing
      .then(() => writeFileAtomic(file, JSON.stringify({ virtualNow: clock.now().toISOString() })))
      .catch((error: unknown) =>
        console.error(
          JSON.stringify({ level: 'warn', msg: 'could not save the virtual clock', error: String(error) }),
        ),
      );
    return writing;
  };
  const timer = setInterval(save, everyMs);
  timer.unref();
  void save();
  return {
    async stop() {
      clearInterval(timer);
      await save();
    },
  };
}
