/**
 * The SLA the bundles carry on esbuild's command line (sla-define.ts): deflated, so an SLA well past Linux's
 * 128 KB limit for one argument bundles (a 1,200-rep SLA's JSON failed synth with `spawnSync npx E2BIG`), and
 * one too large even so is a settings error naming the file, not a stack trace.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  decodeBundledSla,
  encodeBundledSla,
  MAX_BUNDLED_SLA_CHARS,
} from '../../lambdas/aws/shared/sla-define.ts';
import { ConfigError, loadSla } from '../../lib/config.ts';
import { PROJECT_ROOT } from '../../lib/paths.ts';

/** sla/default.yaml with `count` more reps, named by `name` */
function withReps(count: number, name: (n: number) => string): string {
  const file = readFileSync(join(PROJECT_ROOT, 'sla/default.yaml'), 'utf8');
  const at = file.indexOf('    - { id: jonas');
  const reps = Array.from(
    { length: count },
    (_, n) =>
      `    - { id: r${n}, name: ${name(n)}, email: rep${n}@kessler-industrial.example, manager: katrin }\n`,
  ).join('');
  const dir = mkdtempSync(join(tmpdir(), 'leadpact-sla-'));
  const path = join(dir, 'big.yaml');
  writeFileSync(path, file.slice(0, at) + reps + file.slice(at));
  return path;
}

describe('the SLA bundled into the functions', () => {
  it('comes back from the bundle as it went in', () => {
    // Arrange
    const { sla, json } = loadSla('sla/default.yaml');

    // Act
    const back = decodeBundledSla(encodeBundledSla(json));

    // Assert
    expect(back).toEqual(sla);
  });

  it('an SLA of 1,200 reps (its JSON past the 128 KB one argument may take) fits, deflated', () => {
    // Act
    const { json } = loadSla(withReps(1200, (n) => `Rep Number ${n}`));

    // Assert
    expect(json.length).toBeGreaterThan(128 * 1024);
    expect(encodeBundledSla(json).length).toBeLessThan(MAX_BUNDLED_SLA_CHARS);
  });

  it('one too large even deflated is a settings error naming the file and the limit', () => {
    // Arrange: names that do not compress
    const path = withReps(4000, () => randomBytes(40).toString('hex'));

    // Act
    const act = () => loadSla(path);

    // Assert
    expect(act).toThrow(ConfigError);
    expect(act).toThrow(
      /big\.yaml: the SLA is too large to bundle into the functions \(\d+ KB as JSON, \d+ KB deflated; at most 120 KB deflated\)/,
    );
  });
});
