/**
 * A bundled function signs its AWS calls with the credentials Lambda puts in the environment: the
 * bundles alias the SDK's default credential chain to lambdas/aws/shared/lambda-credentials.ts
 * (lib/leadpact-function.ts BUNDLE_ALIASES; docs/decisions/0026-lambda-init-budget.md). The store of a
 * Lambda function (lambdas/aws/shared/store.ts) is bundled with the functions' own esbuild settings and
 * run in a fresh Node process against dynalite.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENV } from '../../lambdas/aws/shared/env.ts';
import { BUNDLING } from '../../lib/leadpact-function.ts';
import { PROJECT_ROOT } from '../../lib/paths.ts';
import { useDynalite } from '../support/dynalite.ts';
import { runProcess } from '../support/run-process.ts';

const ENTRY = `import { leadStore } from '${join(PROJECT_ROOT, 'lambdas/aws/shared/store.ts')}';
const store = leadStore();
export const handler = async (leadId: string) => (await store.getLead(leadId)) ?? null;
`;

const dynalite = useDynalite();
let dir: string;
let bundle: string;
let modules: string[];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'leadpact-credentials-'));
  writeFileSync(join(dir, 'entry.ts'), ENTRY);
  bundle = join(dir, 'out', 'index.mjs');
  const result = await build({
    entryPoints: [join(dir, 'entry.ts')],
    bundle: true,
    outfile: bundle,
    format: BUNDLING.format,
    platform: BUNDLING.platform,
    target: BUNDLING.target,
    mainFields: [...BUNDLING.mainFields],
    minify: BUNDLING.minify,
    banner: { js: BUNDLING.banner },
    alias: { ...BUNDLING.alias },
    absWorkingDir: PROJECT_ROOT,
    metafile: true,
    logLevel: 'silent',
  });
  modules = Object.keys(result.metafile.inputs);
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Runs the bundled handler in a fresh process with `env`; its JSON result or its error. */
async function invoke(env: Record<string, string>): Promise<{ result?: unknown; error?: string }> {
  const script = `
    const m = await import(${JSON.stringify(pathToFileURL(bundle).href)});
    try { console.log(JSON.stringify({ result: await m.handler('no-such-lead') })); }
    catch (error) { console.log(JSON.stringify({ error: String(error.message) })); }`;
  const run = await runProcess(process.execPath, ['--input-type=module', '-e', script], {
    env: {
      PATH: process.env.PATH ?? '',
      AWS_REGION: 'eu-central-1',
      AWS_ENDPOINT_URL_DYNAMODB: dynalite.server.endpoint,
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
      [ENV.tableName]: dynalite.tableName,
      ...env,
    },
  });
  expect(run.code, run.stderr).toBe(0);
  return JSON.parse(run.stdout.trim().split('\n').at(-1)!) as { result?: unknown; error?: string };
}

describe('a bundled function and its credentials', () => {
  it('bundles the stand-in, not the default chain', () => {
    expect(modules).toContain('lambdas/aws/shared/lambda-credentials.ts');
    expect(modules.some((path) => path.includes('@aws-sdk/credential-provider-node/'))).toBe(false);
    expect(modules.some((path) => path.includes('@aws-sdk/nested-clients/'))).toBe(false);
  });

  it('signs a real request with the credentials Lambda sets (key, secret, session token)', async () => {
    // Act
    const outcome = await invoke({
      AWS_ACCESS_KEY_ID: 'ASIABUNDLEDTEST00001',
      AWS_SECRET_ACCESS_KEY: 'bundled-secret',
      AWS_SESSION_TOKEN: 'bundled-session',
    });
    // Assert: dynalite answered the GetItem on this test's table (no such lead), so it was signed and sent
    expect(outcome).toEqual({ result: null });
  });

  it('without credentials in the environment, the call fails naming the variables it reads', async () => {
    // Arrange: a profile would satisfy the SDK's default chain; the stand-in reads the environment only
    // Act
    const outcome = await invoke({ AWS_PROFILE: 'default', HOME: dir });
    // Assert
    expect(outcome.error).toContain('AWS_ACCESS_KEY_ID');
    expect(outcome.error).toContain('lambda-credentials.ts');
  });
});
