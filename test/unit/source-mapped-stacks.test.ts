/**
 * Stack traces of a bundled function point at the TypeScript source without `--enable-source-maps`
 * (lambdas/aws/shared/source-mapped-stacks.ts): a tiny entry is bundled with the functions' own esbuild
 * settings and run in a fresh Node process, as Lambda runs it.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BUNDLING } from '../../lib/leadpact-function.ts';
import { PROJECT_ROOT } from '../../lib/paths.ts';
import { runProcess } from '../support/run-process.ts';

// the throw is on line 4 of the fixture, column 9
const FIXTURE = `import '${join(PROJECT_ROOT, 'lambdas/aws/shared/source-mapped-stacks.ts')}';

function explode(): never {
  throw new Error('boom');
}

export function handler(): string {
  try {
    explode();
  } catch (error) {
    return (error as Error).stack ?? '';
  }
}
`;

let dir: string;
let bundle: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'leadpact-stacks-'));
  writeFileSync(join(dir, 'fixture.ts'), FIXTURE);
  bundle = join(dir, 'out', 'index.mjs');
  await build({
    entryPoints: [join(dir, 'fixture.ts')],
    bundle: true,
    outfile: bundle,
    format: BUNDLING.format,
    platform: BUNDLING.platform,
    target: BUNDLING.target,
    minify: BUNDLING.minify,
    sourcemap: BUNDLING.sourcemap,
    sourcesContent: BUNDLING.sourcesContent,
    banner: { js: BUNDLING.banner },
    logLevel: 'silent',
  });
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Imports the bundle in a fresh process, runs `between` (JS) and prints the handler's stack. */
async function stackOf(options: { between?: string; nodeOptions?: string } = {}): Promise<string> {
  const script = `
    const m = await import(${JSON.stringify(pathToFileURL(bundle).href)});
    ${options.between ?? ''}
    console.log(m.handler());`;
  const result = await runProcess(process.execPath, ['--input-type=module', '-e', script], {
    env: {
      PATH: process.env.PATH ?? '',
      ...(options.nodeOptions ? { NODE_OPTIONS: options.nodeOptions } : {}),
    },
  });
  expect(result.stderr).toBe('');
  expect(result.code).toBe(0);
  return result.stdout;
}

describe('source-mapped stacks in a bundle', () => {
  it('a frame in the bundle names the source file, line and column', async () => {
    // Act
    const stack = await stackOf();
    // Assert
    expect(stack).toMatch(/^Error: boom\n/);
    expect(stack).toMatch(/at \S+ \(\S*fixture\.ts:4:9\)/);
    expect(stack).not.toContain('index.mjs:');
  });

  it('the source map is read when a stack is first read, not when the bundle loads', async () => {
    // Act: the map is gone after the import; were it read at load, the frame would still be mapped
    const stack = await stackOf({
      between: `(await import('node:fs')).renameSync(${JSON.stringify(`${bundle}.map`)}, ${JSON.stringify(`${bundle}.map.away`)});`,
    });
    // Assert: unmapped (the bundle's own location), and still a well-formed stack
    expect(stack).toMatch(/^Error: boom\n/);
    expect(stack).toContain('index.mjs:');
    expect(stack).not.toContain('fixture.ts');
    // Cleanup
    const { renameSync } = await import('node:fs');
    renameSync(`${bundle}.map.away`, `${bundle}.map`);
  });

  it('leaves stacks to Node when Node maps them itself (--enable-source-maps)', async () => {
    // Act
    const stack = await stackOf({ nodeOptions: '--enable-source-maps' });
    // Assert: Node's own mapping (absolute path of the fixture), not ours
    expect(stack).toContain(`${join(dir, 'fixture.ts')}:4:9`);
  });
});
