/** SLA time under --speed never runs backwards across a restart, even after a kill (no clean stop). */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { keepVirtualTime, loadVirtualTime, resumeFrom } from '../../local/virtual-clock-file.ts';

const dirs: string[] = [];
afterEach(async () => {
  await Promise.all(dirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

async function clockFile(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'leadpact-clock-'));
  dirs.push(dir);
  return join(dir, 'clock.json');
}

describe('the saved virtual clock', () => {
  it('after a kill, resumes at or after any time the killed process could reach before its next save', async () => {
    // Arrange: a clock at 600x, saved every 50 ms
    const file = await clockFile();
    let now = Date.parse('2026-12-02T10:00:00.000Z');
    const clock = { now: () => new Date(now) };
    const keeper = keepVirtualTime(file, clock, { everyMs: 50, speed: 600 });
    // the first save is written in the background: wait for it (a busy machine may take a while)
    for (let tries = 0; tries < 400 && !(await loadVirtualTime(file)); tries++)
      await new Promise((resolve) => setTimeout(resolve, 5));
    // Act: the process runs on for one more interval of virtual time, then is killed (no stop)
    now += 50 * 600;
    const reached = now;
    const saved = await loadVirtualTime(file);
    // Assert
    expect(saved!.getTime()).toBeGreaterThanOrEqual(reached);
    expect(resumeFrom(saved, new Date('2026-12-02T10:00:00.000Z')).getTime()).toBeGreaterThanOrEqual(reached);
    await keeper.stop();
  });

  it('a clean stop saves the exact time', async () => {
    // Arrange
    const file = await clockFile();
    const clock = { now: () => new Date('2026-12-02T10:00:00.000Z') };
    const keeper = keepVirtualTime(file, clock, { everyMs: 50, speed: 3600 });
    // Act
    await keeper.stop();
    // Assert
    expect((await loadVirtualTime(file))?.toISOString()).toBe('2026-12-02T10:00:00.000Z');
  });

  it.each([
    ['no saved time', undefined, '2026-12-02T10:00:00.000Z'],
    ['a saved time behind the wall clock', '2026-12-01T00:00:00.000Z', '2026-12-02T10:00:00.000Z'],
    ['a saved time ahead (a fast clock)', '2026-12-09T00:00:00.000Z', '2026-12-09T00:00:00.000Z'],
  ])('resumes from the later of the saved time and the wall clock: %s', (_name, saved, expected) => {
    const from = resumeFrom(saved ? new Date(saved) : undefined, new Date('2026-12-02T10:00:00.000Z'));
    expect(from.toISOString()).toBe(expected);
  });
});
