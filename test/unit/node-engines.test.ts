/**
 * `npm ci` prints no engine warning on the Node version the README names: every package the lockfile
 * installs (optional platform packages aside, as npm skips them) accepts it, and so does LeadPact's own
 * `engines`. Measured with npm 11 (`npm ci --dry-run` with process.version set): 22.11 warns for rolldown,
 * vite, yargs; 22.12 is clean; Node 20.20 warns for aws-local-stepfunctions (>=22).
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';

// semver is npm's own range logic (installed with vitest's tree); typed here for what the test uses
const semver = createRequire(import.meta.url)('semver') as {
  satisfies(version: string, range: string): boolean;
};

interface LockedPackage {
  readonly version?: string;
  readonly optional?: boolean;
  readonly hasInstallScript?: boolean;
  readonly engines?: { readonly node?: string } | readonly string[];
}

const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
const lock = JSON.parse(readFileSync(new URL('../../package-lock.json', import.meta.url), 'utf8')) as {
  packages: Record<string, LockedPackage>;
};
const own = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
  engines: { node: string };
  allowScripts?: Record<string, boolean>;
};

describe('the Node version the README names', () => {
  const named = /Node\.js (\d+\.\d+(?:\.\d+)?) or newer/.exec(readme)?.[1];
  const version = named && named.split('.').length === 2 ? `${named}.0` : named;

  it('is a precise version (major.minor) in the quick start', () => {
    expect(named, 'README: "Node.js X.Y or newer"').toMatch(/^\d+\.\d+/);
  });

  it('is accepted by every package npm ci installs, and by LeadPact itself', () => {
    const refusing = Object.entries(lock.packages)
      .filter(([path, pkg]) => path !== '' && !pkg.optional)
      .flatMap(([path, pkg]) => {
        const range = Array.isArray(pkg.engines) ? undefined : (pkg.engines as { node?: string })?.node;
        return range && !semver.satisfies(version!, range) ? [`${path} (${range})`] : [];
      });
    expect(refusing).toEqual([]);
    expect(semver.satisfies(version!, own.engines.node)).toBe(true);
  });
});

describe('npm ci prints nothing else to review', () => {
  it('every package with an install script has an allowScripts entry (npm 11 skips the rest, and lists them)', () => {
    // Arrange: npm 11.x blocks dependency install scripts not named in package.json's allowScripts and ends
    // `npm ci` with "N packages have install scripts not yet covered by allowScripts"
    const withScripts = Object.entries(lock.packages)
      .filter(([path, pkg]) => path !== '' && pkg.hasInstallScript)
      .map(([path]) => path.slice(path.lastIndexOf('node_modules/') + 'node_modules/'.length));
    // Act
    const uncovered = withScripts.filter((name) => own.allowScripts?.[name] === undefined);
    // Assert
    expect(withScripts.length).toBeGreaterThan(0);
    expect(uncovered).toEqual([]);
  });
});
