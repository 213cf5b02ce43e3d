/**
 * What the synthesized bundles contain (docs/decisions/0014-compiled-sla-zod-at-the-edge.md): the stack
 * is synthesized with every function bundled by esbuild, as `cdk synth` does, and each function's staged
 * asset is read back. Its source map (sourcemap on, sources listed, no contents) names every module
 * esbuild put in the bundle, so the test sees what ships, not what the imports suggest.
 */
import { existsSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { App, Stack } from 'aws-cdk-lib';
import type { Asset } from 'aws-cdk-lib/aws-s3-assets';
import { beforeAll, describe, expect, it } from 'vitest';
import { API_GROUP_NAMES } from '../../lambdas/aws/shared/api-groups.ts';
import type { LeadPactFunction } from '../../lib/leadpact-function.ts';
import { functionEnvironment, initOnce, startLambdaInit } from '../support/lambda-init.ts';
import { synthesize } from './synth.ts';

let app: App;
let stack: Stack;
let functions: Record<string, LeadPactFunction>;

beforeAll(() => {
  const synth = synthesize();
  stack = synth.stack;
  app = synth.stack.node.root as App;
  functions = synth.stack.functions();
}, 180_000);

/** The staged bundle of a function, as `cdk synth` wrote it. */
function bundleOf(name: string): string {
  const asset = functions[name]!.function.node.findChild('Code') as Asset;
  return join(app.outdir, asset.assetPath, 'index.mjs');
}

/** The modules esbuild bundled into a function, as paths relative to the project root. */
function modulesOf(name: string): string[] {
  if (!functions[name]) throw new Error(`no function ${name}`);
  const map = `${bundleOf(name)}.map`;
  if (!existsSync(map)) throw new Error(`${name}: no bundle at ${map}`);
  const { sources } = JSON.parse(readFileSync(map, 'utf8')) as { sources: string[] };
  // esbuild writes sources relative to the map's directory: keep the part from the project on
  return sources.map((source) =>
    source.replace(/^(\.\.\/)+/, '').replace(/^.*?(?=node_modules\/|lambdas\/)/, ''),
  );
}

const has = (modules: readonly string[], pattern: RegExp) => modules.some((path) => pattern.test(path));
const ZOD = /node_modules\/zod\//;
const AWS_SDK = /node_modules\/@aws-sdk\//;
/** the one function whose input is an SLA file (a new one, checked against the leads in flight) */
const SLA_FILE_EDGE = 'Api-sla-impact';

describe('zod only at the edge', () => {
  // biome-ignore format: one row per function reads as a table
  it.each([
    // the workflow's tasks run the compiled SLA and parse nothing untrusted
    ['Advance', false],
    ['Handoff', false],
    ['Park', false],
    ['RecordFailure', false],
    ['Reconciler', false],
    ['MailFeedback', false],
    ['SlaMigration', false],
    // API functions: zod only where a request body is parsed
    ['Api-health', false],
    ['Api-lead-erase', false],
    ['Api-email-links', false],
    ['Api-lead-form', true],
    ['Api-lead-api', true],
    ['Api-sla-impact', true],
    // bulk import rows are the web form's input
    ['ImportConsumer', true],
  ])('%s bundles zod: %s', (name, expected) => {
    // Act
    const modules = modulesOf(name);
    // Assert
    expect(modules.length, name).toBeGreaterThan(0);
    expect(has(modules, ZOD), name).toBe(expected);
  });

  it('no function bundles the SLA schema or the YAML parser: the SLA ships as plain data', () => {
    for (const name of Object.keys(functions).filter((name) => name !== SLA_FILE_EDGE)) {
      const modules = modulesOf(name);
      expect(has(modules, /lambdas\/domain\/sla-(schema|file)\.ts$/), name).toBe(false);
      expect(has(modules, /node_modules\/yaml\//), name).toBe(false);
    }
  });

  it('but POST /sla/impact, whose request body is an SLA file, parses it as the CLI does (ADR 0014 amended)', () => {
    const modules = modulesOf(SLA_FILE_EDGE);
    expect(has(modules, /lambdas\/domain\/sla-file\.ts$/)).toBe(true);
    expect(has(modules, /node_modules\/yaml\//)).toBe(true);
  });

  it('health ships almost nothing: no AWS SDK, no SLA, no other route', () => {
    // Act
    const modules = modulesOf('Api-health');
    // Assert
    expect(has(modules, AWS_SDK)).toBe(false);
    expect(modules.filter((path) => path.startsWith('lambdas/api/groups/'))).toEqual([
      'lambdas/api/groups/health.ts',
    ]);
    expect(functions['Api-health']!.runsSla).toBe(false);
  });

  it('the functions that call AWS still bundle the SDK (the lockfile versions, not the runtime)', () => {
    for (const name of ['Advance', 'Park', 'Api-lead-form', 'Api-lead-api', 'Reconciler']) {
      expect(has(modulesOf(name), AWS_SDK), name).toBe(true);
    }
  });
});

describe('what every Lambda cold start loads (docs/decisions/0026-lambda-init-budget.md)', () => {
  it('no function bundles the SDK default credential chain: credentials come from the environment Lambda sets', () => {
    for (const name of Object.keys(functions)) {
      const modules = modulesOf(name);
      expect(
        has(
          modules,
          /node_modules\/@aws-sdk\/(credential-provider-(node|ini|sso|process|web-identity|login)|nested-clients|token-providers)\//,
        ),
        name,
      ).toBe(false);
      // every function that calls AWS signs with the stand-in instead
      if (has(modules, AWS_SDK)) expect(modules, name).toContain('lambdas/aws/shared/lambda-credentials.ts');
    }
  });

  it('no bundle carries all of zod: the locales esbuild can drop are dropped', () => {
    for (const name of Object.keys(functions)) {
      expect(has(modulesOf(name), /node_modules\/zod\/v4\/locales\/(?!en\.js)/), name).toBe(false);
    }
  });

  it('every function maps its stack traces when they are read (stack.test.ts: no --enable-source-maps)', () => {
    for (const name of Object.keys(functions)) {
      expect(modulesOf(name), name).toContain('lambdas/aws/shared/source-mapped-stacks.ts');
    }
  });
});

describe('every function starts with what the stack gives it', () => {
  // each synthesized bundle imported in a fresh process with its own environment from the template (and
  // Lambda's credentials), as Lambda's init does: a variable or grant its entry point needs and the stack
  // does not give fails here, not at the first cold start in AWS
  it('every bundle initialises and exports a handler', async () => {
    const harness = await startLambdaInit();
    try {
      const failures: string[] = [];
      for (const [name, fn] of Object.entries(functions)) {
        const outcome = await initOnce(harness, bundleOf(name), functionEnvironment(stack, fn));
        if ('error' in outcome) failures.push(`${name}: ${outcome.error}`);
      }
      expect(failures).toEqual([]);
      // the entry points read their keys at init, each granted key once per function that needs it
      expect(harness.secretReads()).toBeGreaterThan(0);
    } finally {
      await harness.close();
    }
  }, 120_000);
});

describe('one bundle per API route group', () => {
  it.each(API_GROUP_NAMES)('group %s has its own entry, bundling its own routes only', (group) => {
    // Act
    const fn = functions[`Api-${group}`]!;
    const groupModules = modulesOf(`Api-${group}`).filter((path) => path.startsWith('lambdas/api/groups/'));
    // Assert
    expect(basename(fn.entry)).toBe(`api-${group}.ts`);
    expect(groupModules).toEqual([`lambdas/api/groups/${group}.ts`]);
  });

  it('no two API functions share an entry', () => {
    const entries = API_GROUP_NAMES.map((group) => functions[`Api-${group}`]!.entry);
    expect(new Set(entries).size).toBe(API_GROUP_NAMES.length);
  });
});
