/**
 * What each deployed function weighs and how fast it starts. Prints figures; never asserts.
 *   npx tsx bench/bundles.ts   (npm run bench:bundles)
 *
 * 1. Bundles: the stack is synthesized without bundling, every LeadPactFunction is bundled again with
 *    the stack's own esbuild settings (lib/leadpact-function.ts BUNDLING, the SLA define), and esbuild's
 *    metafile splits the minified output into our code (lambdas/, statemachines/) and node_modules, and
 *    says whether zod is in it (docs/decisions/0014: zod only in the functions that parse request bodies).
 *    Target (issue 5): <= 150 KB of our own code per function.
 * 2. Init: each bundle is imported in a fresh Node process, as Lambda's init phase does (a stub
 *    Secrets Manager endpoint answers the GetSecretValue calls the entry points make at init; no other
 *    call happens at init), with the environment the stack gives it (NODE_OPTIONS=--enable-source-maps
 *    included). The samples are interleaved: each round spawns the empty handler and then every function,
 *    so machine load moves all of them alike; a function's ratio is the median over rounds of its time
 *    over that round's empty handler. Target (issue 15): ratio <= 2x for every function.
 *    Node here is 20; Lambda runs 24: the ratios carry over better than the milliseconds.
 * What it all costs on AWS: npm run bench:cost (bench/cost.ts, from counted operations).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import { App } from 'aws-cdk-lib';
import type { CfnFunction } from 'aws-cdk-lib/aws-lambda';
import { build } from 'esbuild';
import { ENV } from '../lambdas/aws/shared/env.ts';
import { cdkJsonContext, readConfig } from '../lib/config.ts';
import { BUNDLING, LeadPactFunction, slaDefine } from '../lib/leadpact-function.ts';
import { LeadPactStack } from '../lib/leadpact-stack.ts';
import { PROJECT_ROOT } from '../lib/paths.ts';
import { runProcess } from '../test/support/run-process.ts';

const ROUNDS = 9;
const TARGET_OWN_KB = 150;
const TARGET_INIT_RATIO = 2;

// ---------- 1. bundles ----------

const app = new App({ context: { ...cdkJsonContext(), 'aws:cdk:bundling-stacks': [] } });
const config = readConfig((key) => app.node.tryGetContext(key));
const stack = new LeadPactStack(app, 'LeadPactBench', { config });
const functions = stack.node
  .findAll()
  .filter((node): node is LeadPactFunction => node instanceof LeadPactFunction)
  .map((fn) => ({ name: fn.node.path.replace(/^LeadPactBench\//, ''), fn }));

const outDir = mkdtempSync(join(tmpdir(), 'leadpact-bundles-'));

interface Bundle {
  readonly name: string;
  readonly file: string;
  readonly bytes: number;
  readonly own: number;
  readonly modules: number;
  readonly memoryMb: number;
  /** zod is in the bundle */
  readonly zod: boolean;
}

async function bundle(name: string, entry: string | { contents: string }, slaJson?: string): Promise<Bundle> {
  const file = join(outDir, name.replace(/\W+/g, '-'), 'index.mjs');
  const result = await build({
    ...(typeof entry === 'string'
      ? { entryPoints: [entry] }
      : { stdin: { contents: entry.contents, loader: 'ts', resolveDir: PROJECT_ROOT } }),
    bundle: true,
    outfile: file,
    format: BUNDLING.format,
    target: BUNDLING.target,
    platform: BUNDLING.platform,
    mainFields: [...BUNDLING.mainFields],
    minify: BUNDLING.minify,
    sourcemap: BUNDLING.sourcemap,
    sourcesContent: BUNDLING.sourcesContent,
    banner: { js: BUNDLING.banner },
    define: slaDefine(slaJson),
    metafile: true,
    logLevel: 'silent',
  });
  const output = Object.entries(result.metafile.outputs).find(([path]) => path.endsWith('.mjs'))![1];
  let own = 0;
  for (const [path, input] of Object.entries(output.inputs)) {
    if (!path.includes('node_modules')) own += input.bytesInOutput;
  }
  const zod = Object.keys(output.inputs).some((path) => path.includes('node_modules/zod/'));
  return {
    name,
    file,
    bytes: output.bytes,
    own,
    modules: Object.keys(output.inputs).length,
    memoryMb: 0,
    zod,
  };
}

const empty = await bundle('empty', { contents: 'export const handler = async () => ({});' });
const bundles: Bundle[] = [];
for (const { name, fn } of functions) {
  const b = await bundle(name, fn.entry, fn.runsSla ? config.slaJson : undefined);
  bundles.push({ ...b, memoryMb: (fn.function.node.defaultChild as CfnFunction).memorySize ?? 128 });
}

// ---------- 2. init ----------

const secretServer = createServer((request, response) => {
  request.resume();
  request.on('end', () => {
    response.setHeader('content-type', 'application/x-amz-json-1.1');
    response.end(
      JSON.stringify({
        ARN: 'arn:aws:secretsmanager:eu-central-1:123456789012:secret:bench',
        Name: 'bench',
        SecretString: 'b'.repeat(64),
      }),
    );
  });
});
await new Promise<void>((resolve) => secretServer.listen(0, '127.0.0.1', resolve));
const secretsUrl = `http://127.0.0.1:${(secretServer.address() as AddressInfo).port}`;

const lambdaEnv: Record<string, string> = {
  PATH: process.env.PATH ?? '',
  NODE_OPTIONS: '--enable-source-maps',
  AWS_REGION: 'eu-central-1',
  AWS_ACCESS_KEY_ID: 'AKIABENCHBENCHBENCH0',
  AWS_SECRET_ACCESS_KEY: 'bench',
  AWS_ENDPOINT_URL_SECRETS_MANAGER: secretsUrl,
  AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  AWS_SDK_JS_SUPPRESS_MAINTENANCE_MODE_MESSAGE: '1',
  [ENV.tableName]: 'bench-table',
  [ENV.stateMachineArn]: 'arn:aws:states:eu-central-1:123456789012:stateMachine:bench',
  [ENV.leadIdSecretArn]: 'arn:aws:secretsmanager:eu-central-1:123456789012:secret:lead-id',
  [ENV.actionSecretArn]: 'arn:aws:secretsmanager:eu-central-1:123456789012:secret:action',
  [ENV.allowedOrigins]: 'https://www.example.com',
  [ENV.senderEmail]: 'leadpact@example.com',
  [ENV.configurationSet]: 'bench',
  [ENV.publicBaseUrl]: 'https://api.example.com',
  [ENV.importStartsPerSecond]: '5',
  [ENV.slaVersion]: config.sla.version,
};

const PROBE = `
const started = performance.now();
const module = await import(process.argv[1]);
if (typeof module.handler !== 'function') throw new Error('no handler');
console.log(JSON.stringify({ importMs: performance.now() - started }));
`;

interface Init {
  /** median process time, start to exit, ms */
  readonly processMs: number;
  /** median import time inside the process, ms */
  readonly importMs: number;
  /** median over rounds of process time / that round's empty handler process time */
  readonly ratio: number;
}

interface Sample {
  readonly processMs: number;
  readonly importMs: number;
}

async function sample(file: string): Promise<Sample | { error: string }> {
  const started = performance.now();
  // asynchronously: a blocking spawn would stall the stub server in this process
  const result = await runProcess(
    process.execPath,
    ['--input-type=module', '-e', PROBE, pathToFileURL(file).href],
    { env: lambdaEnv },
  );
  const processMs = performance.now() - started;
  if (result.code !== 0) return { error: result.stderr.trim().split('\n').slice(-3).join(' | ') };
  const { importMs } = JSON.parse(result.stdout.trim().split('\n').at(-1)!) as { importMs: number };
  return { processMs, importMs };
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const kb = (bytes: number) => (bytes / 1024).toFixed(1);

/** Every bundle, ROUNDS times, interleaved with the empty handler (a first round warms the file cache). */
async function measureAll(): Promise<{ empty: Init; inits: Map<string, Init | { error: string }> }> {
  const samples = new Map<string, Sample[]>([empty, ...bundles].map((b) => [b.name, []]));
  const errors = new Map<string, string>();
  for (let round = 0; round <= ROUNDS; round++) {
    for (const b of [empty, ...bundles]) {
      if (errors.has(b.name)) continue;
      const result = await sample(b.file);
      if ('error' in result) errors.set(b.name, result.error);
      else if (round > 0) samples.get(b.name)!.push(result);
    }
  }
  if (errors.has(empty.name)) throw new Error(`the empty handler did not load: ${errors.get(empty.name)}`);
  const baseline = samples.get(empty.name)!;
  const summary = (runs: Sample[]): Init => ({
    processMs: median(runs.map((run) => run.processMs)),
    importMs: median(runs.map((run) => run.importMs)),
    ratio: median(runs.map((run, i) => run.processMs / baseline[i]!.processMs)),
  });
  const inits = new Map<string, Init | { error: string }>();
  for (const b of bundles) {
    const error = errors.get(b.name);
    inits.set(b.name, error ? { error } : summary(samples.get(b.name)!));
  }
  return { empty: summary(baseline), inits };
}

const { empty: baseline, inits } = await measureAll();

console.log(`LeadPact functions: bundle and init (node ${process.version} here; Lambda runs nodejs24.x)`);
console.log(
  `esbuild ${BUNDLING.format}, minified, ${BUNDLING.target}; AWS SDK bundled; ${ROUNDS} rounds of fresh processes, interleaved`,
);
console.log(
  `empty handler: ${kb(empty.bytes)} KB, process ${baseline.processMs.toFixed(0)} ms, import ${baseline.importMs.toFixed(1)} ms\n`,
);
const header = [
  'function',
  'MB',
  'bundle KB',
  'own KB',
  'deps KB',
  'zod',
  'process ms',
  'x empty',
  'import ms',
];
const rows: string[][] = [];
let worst = 0;
for (const b of bundles) {
  const init = inits.get(b.name)!;
  const ok = 'error' in init ? undefined : init;
  if (ok) worst = Math.max(worst, ok.ratio);
  rows.push([
    b.name,
    String(b.memoryMb),
    kb(b.bytes),
    `${kb(b.own)}${b.own / 1024 > TARGET_OWN_KB ? ' !' : ''}`,
    kb(b.bytes - b.own),
    b.zod ? 'yes' : 'no',
    ok ? ok.processMs.toFixed(0) : 'failed',
    ok ? `${ok.ratio.toFixed(2)}${ok.ratio > TARGET_INIT_RATIO ? ' !' : ''}` : '-',
    ok ? ok.importMs.toFixed(1) : 'error' in init ? init.error.slice(0, 60) : '',
  ]);
}
table(header, rows);
console.log(
  `targets: own code <= ${TARGET_OWN_KB} KB, process init <= ${TARGET_INIT_RATIO}x the empty handler's ("!" marks a miss)`,
);
console.log(
  `worst init ratio: ${worst.toFixed(2)}x (target <= ${TARGET_INIT_RATIO}x: ${worst <= TARGET_INIT_RATIO ? 'met' : 'missed'})`,
);
console.log(
  `(bundled from ${relative(PROJECT_ROOT, outDir) || outDir}; "own" = lambdas/ and statemachines/ code in the minified output)`,
);
console.log('what it costs on AWS: npm run bench:cost (counted operations at dated list prices)');
secretServer.close();
rmSync(outDir, { recursive: true, force: true });

function table(head: string[], body: string[][]): void {
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((row) => row[i]!.length)));
  const line = (cells: string[]) =>
    cells.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join('  ');
  console.log(line(head));
  for (const row of body) console.log(line(row));
}
