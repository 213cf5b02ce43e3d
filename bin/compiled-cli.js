// A compiled copy of the `leadpact` CLI, so the SLA commands start in plain Node: loading TypeScript
// through tsx costs ~0.4 s of CPU on every run (it starts esbuild's service), more than
// `leadpact sla validate` itself. The copy is bin/cli.ts bundled by esbuild (packages left to Node but
// zod and yaml, one file per lazily imported command) into node_modules/.cache/leadpact-cli/, rebuilt whenever one of its
// source files is newer than the build or Node changed. It is a cache, never a build step: delete it at
// will. Only commands whose modules find nothing beside themselves run from it (bin/leadpact-cli.js
// COMPILED_COMMANDS); `dev` and `sla diff` read files next to their modules and run through tsx.
import { mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const CACHE = join(ROOT, 'node_modules', '.cache', 'leadpact-cli');
const CURRENT = join(CACHE, 'current.json');

/**
 * The compiled CLI's entry file, when the cache holds one built from the sources as they are.
 * @returns {string | undefined}
 */
function cached() {
  try {
    const current = JSON.parse(readFileSync(CURRENT, 'utf8'));
    if (current.node !== process.version) return undefined;
    for (const input of current.inputs) {
      if (statSync(join(ROOT, input)).mtimeMs > current.builtAt) return undefined;
    }
    return join(CACHE, current.dir, 'cli.js');
  } catch {
    return undefined;
  }
}

/** Every bare import is external except zod and yaml (the SLA parser's), which are bundled. */
const BUNDLED_PACKAGES = {
  name: 'leadpact-bundled-packages',
  /** @param {import('esbuild').PluginBuild} build */
  setup(build) {
    build.onResolve({ filter: /^[^./]/ }, (args) =>
      /^(zod|yaml)(\/|$)/.test(args.path) || args.kind === 'entry-point'
        ? undefined
        : { path: args.path, external: true },
    );
  },
};

/**
 * Bundles bin/cli.ts into a new directory of the cache, then points current.json at it (written to a
 * temporary file and renamed: a concurrent run sees the old build or the new one, never half of one).
 * @returns {Promise<string>}
 */
async function build() {
  const { build: esbuild } = await import('esbuild');
  // taken before bundling: a source saved while esbuild runs is newer than the build
  const builtAt = Date.now();
  const dir = `build-${builtAt}-${process.pid}`;
  mkdirSync(CACHE, { recursive: true });
  const result = await esbuild({
    absWorkingDir: ROOT,
    entryPoints: ['bin/cli.ts'],
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: `node${process.versions.node.split('.')[0]}`,
    // packages are left to Node, but for the two every SLA command loads: bundled, they are one file each
    // to read instead of ~170 (and zod without its locales, which esbuild drops from `import * as z`)
    plugins: [BUNDLED_PACKAGES],
    // yaml's Node build is CommonJS and requires Node built-ins: give the ESM chunks a require
    banner: {
      js: "import { createRequire as __leadpactRequire } from 'node:module';const require = __leadpactRequire(import.meta.url);",
    },
    outdir: join(CACHE, dir),
    metafile: true,
    logLevel: 'error',
  });
  let previous;
  try {
    previous = JSON.parse(readFileSync(CURRENT, 'utf8')).dir;
  } catch {
    previous = undefined;
  }
  const temporary = `${CURRENT}.${process.pid}.tmp`;
  writeFileSync(
    temporary,
    JSON.stringify({ dir, builtAt, node: process.version, inputs: Object.keys(result.metafile.inputs) }),
  );
  renameSync(temporary, CURRENT);
  if (previous && previous !== dir) rmSync(join(CACHE, previous), { recursive: true, force: true });
  return join(CACHE, dir, 'cli.js');
}

/**
 * The compiled CLI's entry file, built first when the cache is missing or stale.
 * @returns {Promise<string>}
 */
export async function compiledCli() {
  return cached() ?? (await build());
}
