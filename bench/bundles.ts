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
 *    call happens at init), with the environment the stack gives that function (its own variables and
 *    NODE_OPTIONS, placeholders for the ARNs and names CloudFormation fills in). The empty handler runs
 *    with Lambda's defaults (no variables of ours). The samples are interleaved: each round spawns the
 *    empty handler and then every function, so machine load moves all of them alike.
 *    Two figures per function, each the median over rounds of its value over that round's empty handler:
 *    - CPU: user + system time of the process (all its threads) until the handler is ready, as the
 *      process reports it (process.cpuUsage()); what the target is judged on, because load on a shared
 *      machine moves it little;
 *    - wall: spawn to exit, as seen from here; printed beside it, read it only at low load (uptime).
 *    Target (issue 15): <= 2x the empty handler for every function. Node here is 20; Lambda runs 24:
 *    the ratios carry over better than the milliseconds.
 * 3. Where init goes (LEADPACT_BENCH_PROFILE=1): one more run of each bundle under --cpu-prof, its
 *    samples mapped back through the source map to the package or source file they ran in, plus V8's
 *    compile of the bundle, Node's built-in modules and garbage collection.
 *
 * LEADPACT_BENCH_ONLY=<regex> measures only the functions whose name matches (e.g. 'Park|Advance');
 * LEADPACT_BENCH_ROUNDS=<n> (default 9).
 * What it all costs on AWS: npm run bench:cost (bench/cost.ts, from counted operations).
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import { SourceMap } from 'node:module';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { App, Token } from 'aws-cdk-lib';
import type { CfnFunction } from 'aws-cdk-lib/aws-lambda';
import { build } from 'esbuild';
import { ENV } from '../lambdas/aws/shared/env.ts';
import { cdkJsonContext, readConfig } from '../lib/config.ts';
import { BUNDLING, LeadPactFunction, slaDefine } from '../lib/leadpact-function.ts';
import { LeadPactStack } from '../lib/leadpact-stack.ts';
import { PROJECT_ROOT } from '../lib/paths.ts';
import { runProcess } from '../test/support/run-process.ts';

const ROUNDS = Number(process.env.LEADPACT_BENCH_ROUNDS ?? 9);
const ONLY = process.env.LEADPACT_BENCH_ONLY ? new RegExp(process.env.LEADPACT_BENCH_ONLY) : undefined;
const PROFILE = process.env.LEADPACT_BENCH_PROFILE === '1';
const TARGET_OWN_KB = 150;
const TARGET_INIT_RATIO = 2;

// ---------- 1. bundles ----------

const app = new App({ context: { ...cdkJsonContext(), 'aws:cdk:bundling-stacks': [] } });
const config = readConfig((key) => app.node.tryGetContext(key));
const stack = new LeadPactStack(app, 'LeadPactBench', { config });
const functions = stack.node
  .findAll()
  .filter((node): node is LeadPactFunction => node instanceof LeadPactFunction)
  .map((fn) => ({ name: fn.node.path.replace(/^LeadPactBench\//, ''), fn }))
  .filter(({ name }) => !ONLY || ONLY.test(name));

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
  /** the function's environment variables in the stack (tokens replaced by placeholders) */
  readonly env: Readonly<Record<string, string>>;
}

async function bundle(
  name: string,
  entry: string | { contents: string },
  slaJson?: string,
): Promise<Omit<Bundle, 'memoryMb' | 'env'>> {
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
    alias: { ...BUNDLING.alias },
    absWorkingDir: PROJECT_ROOT,
    metafile: true,
    logLevel: 'silent',
  });
  const output = Object.entries(result.metafile.outputs).find(([path]) => path.endsWith('.mjs'))![1];
  let own = 0;
  for (const [path, input] of Object.entries(output.inputs)) {
    if (!path.includes('node_modules')) own += input.bytesInOutput;
  }
  const zod = Object.keys(output.inputs).some((path) => path.includes('node_modules/zod/'));
  return { name, file, bytes: output.bytes, own, modules: Object.keys(output.inputs).length, zod };
}

/** What CloudFormation fills in at deploy: a placeholder of the right shape for each variable we set. */
const PLACEHOLDERS: Readonly<Record<string, string>> = {
  [ENV.tableName]: 'bench-table',
  [ENV.stateMachineArn]: 'arn:aws:states:eu-central-1:123456789012:stateMachine:bench',
  [ENV.leadIdSecretArn]: 'arn:aws:secretsmanager:eu-central-1:123456789012:secret:lead-id',
  [ENV.actionSecretArn]: 'arn:aws:secretsmanager:eu-central-1:123456789012:secret:action',
  [ENV.botCheckSecretArn]: 'arn:aws:secretsmanager:eu-central-1:123456789012:secret:bot-check',
  [ENV.configurationSet]: 'bench',
  [ENV.publicBaseUrl]: 'https://api.example.com',
};

/** The function's variables as the stack sets them; a value CloudFormation resolves gets its placeholder. */
function functionEnv(fn: LeadPactFunction): Record<string, string> {
  const cfn = fn.function.node.defaultChild as CfnFunction;
  const resolved = stack.resolve(cfn.environment) as { variables?: Record<string, unknown> } | undefined;
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(resolved?.variables ?? {})) {
    if (typeof value === 'string' && !Token.isUnresolved(value)) env[key] = value;
    else env[key] = PLACEHOLDERS[key] ?? `bench-${key.toLowerCase()}`;
  }
  return env;
}

const empty = await bundle('empty', { contents: 'export const handler = async () => ({});' });
const bundles: Bundle[] = [];
for (const { name, fn } of functions) {
  const b = await bundle(name, fn.entry, fn.runsSla ? config.slaJson : undefined);
  const memoryMb = (fn.function.node.defaultChild as CfnFunction).memorySize ?? 128;
  bundles.push({ ...b, memoryMb, env: functionEnv(fn) });
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

/** What Lambda's runtime gives every function (credentials, region), here with the stub's endpoint. */
const lambdaEnv: Record<string, string> = {
  PATH: process.env.PATH ?? '',
  AWS_REGION: 'eu-central-1',
  AWS_ACCESS_KEY_ID: 'AKIABENCHBENCHBENCH0',
  AWS_SECRET_ACCESS_KEY: 'bench',
  AWS_SESSION_TOKEN: 'bench',
  AWS_ENDPOINT_URL_SECRETS_MANAGER: secretsUrl,
  AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  AWS_SDK_JS_SUPPRESS_MAINTENANCE_MODE_MESSAGE: '1',
};

// the probe reports how long the import took, and its CPU and wall time since the process started
const PROBE = `
const started = performance.now();
const module = await import(process.argv[1]);
if (typeof module.handler !== 'function') throw new Error('no handler');
const cpu = process.cpuUsage();
console.log(JSON.stringify({ importMs: performance.now() - started, cpuMs: (cpu.user + cpu.system) / 1000 }));
`;

interface Sample {
  /** spawn to exit, seen from here */
  readonly wallMs: number;
  /** CPU of the process until the handler was ready */
  readonly cpuMs: number;
  /** the import alone, wall */
  readonly importMs: number;
}

interface Init {
  readonly wallMs: number;
  readonly cpuMs: number;
  readonly importMs: number;
  /** median over rounds of wall / that round's empty handler wall */
  readonly wallRatio: number;
  /** median over rounds of CPU / that round's empty handler CPU */
  readonly cpuRatio: number;
}

async function sample(
  file: string,
  env: Readonly<Record<string, string>>,
  extraArgs: readonly string[] = [],
): Promise<Sample | { error: string }> {
  const started = performance.now();
  // asynchronously: a blocking spawn would stall the stub server in this process
  const result = await runProcess(
    process.execPath,
    [...extraArgs, '--input-type=module', '-e', PROBE, pathToFileURL(file).href],
    { env: { ...lambdaEnv, ...env } },
  );
  const wallMs = performance.now() - started;
  if (result.code !== 0) return { error: result.stderr.trim().split('\n').slice(-3).join(' | ') };
  const { importMs, cpuMs } = JSON.parse(result.stdout.trim().split('\n').at(-1)!) as {
    importMs: number;
    cpuMs: number;
  };
  return { wallMs, cpuMs, importMs };
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const kb = (bytes: number) => (bytes / 1024).toFixed(1);

/** Every bundle, ROUNDS times, interleaved with the empty handler (a first round warms the file cache). */
async function measureAll(): Promise<{ empty: Init; inits: Map<string, Init | { error: string }> }> {
  const all: readonly Pick<Bundle, 'name' | 'file' | 'env'>[] = [{ ...empty, env: {} }, ...bundles];
  const samples = new Map<string, Sample[]>(all.map((b) => [b.name, []]));
  const errors = new Map<string, string>();
  for (let round = 0; round <= ROUNDS; round++) {
    for (const b of all) {
      if (errors.has(b.name)) continue;
      const result = await sample(b.file, b.env);
      if ('error' in result) errors.set(b.name, result.error);
      else if (round > 0) samples.get(b.name)!.push(result);
    }
  }
  if (errors.has(empty.name)) throw new Error(`the empty handler did not load: ${errors.get(empty.name)}`);
  const baseline = samples.get(empty.name)!;
  const summary = (runs: Sample[]): Init => ({
    wallMs: median(runs.map((run) => run.wallMs)),
    cpuMs: median(runs.map((run) => run.cpuMs)),
    importMs: median(runs.map((run) => run.importMs)),
    wallRatio: median(runs.map((run, i) => run.wallMs / baseline[i]!.wallMs)),
    cpuRatio: median(runs.map((run, i) => run.cpuMs / baseline[i]!.cpuMs)),
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
  `esbuild ${BUNDLING.format}, minified, ${BUNDLING.target}; AWS SDK bundled (credentials: ${Object.values(BUNDLING.alias).join(', ')}); ${ROUNDS} rounds of fresh processes, interleaved`,
);
console.log(
  `empty handler: ${kb(empty.bytes)} KB, CPU ${baseline.cpuMs.toFixed(1)} ms, wall ${baseline.wallMs.toFixed(0)} ms, import ${baseline.importMs.toFixed(1)} ms\n`,
);
const header = [
  'function',
  'MB',
  'bundle KB',
  'own KB',
  'deps KB',
  'zod',
  'NODE_OPTIONS',
  'CPU ms',
  'x empty',
  'wall ms',
  'x empty',
  'import ms',
];
const rows: string[][] = [];
let worst = 0;
let worstName = '';
for (const b of bundles) {
  const init = inits.get(b.name)!;
  const ok = 'error' in init ? undefined : init;
  if (ok && ok.cpuRatio > worst) {
    worst = ok.cpuRatio;
    worstName = b.name;
  }
  const flag = (ratio: number) => `${ratio.toFixed(2)}${ratio > TARGET_INIT_RATIO ? ' !' : ''}`;
  rows.push([
    b.name,
    String(b.memoryMb),
    kb(b.bytes),
    `${kb(b.own)}${b.own / 1024 > TARGET_OWN_KB ? ' !' : ''}`,
    kb(b.bytes - b.own),
    b.zod ? 'yes' : 'no',
    b.env.NODE_OPTIONS ?? '-',
    ok ? ok.cpuMs.toFixed(1) : 'failed',
    ok ? flag(ok.cpuRatio) : '-',
    ok ? ok.wallMs.toFixed(0) : '-',
    ok ? flag(ok.wallRatio) : '-',
    ok ? ok.importMs.toFixed(1) : 'error' in init ? init.error.slice(0, 60) : '',
  ]);
}
table(header, rows);
console.log(
  `targets: own code <= ${TARGET_OWN_KB} KB, init <= ${TARGET_INIT_RATIO}x the empty handler's ("!" marks a miss)`,
);
console.log(
  `worst init ratio (CPU): ${worst.toFixed(2)}x, ${worstName} (target <= ${TARGET_INIT_RATIO}x for every function: ${worst <= TARGET_INIT_RATIO ? 'met' : 'missed'})`,
);
console.log(
  `(bundled from ${relative(PROJECT_ROOT, outDir) || outDir}; "own" = lambdas/ and statemachines/ code in the minified output;`,
);
console.log(' wall figures move with machine load: read them at a low load average)');
console.log('what it costs on AWS: npm run bench:cost (counted operations at dated list prices)');

// ---------- 3. where init goes ----------

if (PROFILE) {
  console.log('\nwhere init goes (self CPU time of one profiled run, ms; --cpu-prof at 100 us)');
  for (const b of [{ ...empty, env: {} }, ...bundles]) {
    const dir = join(outDir, 'profiles', b.name.replace(/\W+/g, '-'));
    const result = await sample(b.file, b.env, [
      '--cpu-prof',
      `--cpu-prof-dir=${dir}`,
      '--cpu-prof-interval=100',
    ]);
    if ('error' in result) continue;
    const profile = join(dir, readdirSync(dir).find((name) => name.endsWith('.cpuprofile'))!);
    const parts = initBreakdown(profile, b.file);
    const total = [...parts.values()].reduce((sum, ms) => sum + ms, 0);
    const top = [...parts]
      .sort((x, y) => y[1] - x[1])
      .slice(0, 8)
      .map(([part, ms]) => `${part} ${ms.toFixed(1)}`);
    console.log(`${b.name} (${total.toFixed(0)} ms): ${top.join(', ')}`);
  }
}

secretServer.close();
if (!process.env.LEADPACT_BENCH_KEEP) rmSync(outDir, { recursive: true, force: true });

/**
 * Self time of a CPU profile by where it ran: a function of the bundle is mapped through the bundle's
 * source map to its package (node_modules/<name>) or source file; Node's own work is named by what it
 * does (compiling the bundle, loading built-in modules, garbage collection, start-up).
 */
function initBreakdown(profileFile: string, bundleFile: string): Map<string, number> {
  const profile = JSON.parse(readFileSync(profileFile, 'utf8')) as {
    nodes: { readonly id: number; readonly callFrame: Frame }[];
    samples: number[];
    timeDeltas: number[];
  };
  const map = new SourceMap(JSON.parse(readFileSync(`${bundleFile}.map`, 'utf8')));
  const bundleUrl = pathToFileURL(bundleFile).href;
  const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
  const parts = new Map<string, number>();
  profile.samples.forEach((id, i) => {
    const ms = (profile.timeDeltas[i] ?? 0) / 1000;
    const frame = nodes.get(id)!.callFrame;
    const part = partOf(frame, bundleUrl, map);
    parts.set(part, (parts.get(part) ?? 0) + ms);
  });
  parts.delete('(idle)');
  return parts;
}

function partOf(frame: Frame, bundleUrl: string, map: SourceMap): string {
  if (frame.url === bundleUrl) {
    const entry = map.findEntry(frame.lineNumber, frame.columnNumber) as { originalSource?: string };
    const source = entry.originalSource ? fileURLToPath(new URL(entry.originalSource, bundleUrl)) : '';
    const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(source);
    if (pkg) return pkg[1]!;
    return source ? relative(PROJECT_ROOT, source) : 'bundle (unmapped)';
  }
  if (frame.functionName === 'compileSourceTextModule') return 'V8 compile';
  if (frame.functionName === 'compileForInternalLoader') return 'node built-ins';
  if (frame.functionName === '(garbage collector)') return 'GC';
  if (frame.functionName === '(idle)') return '(idle)';
  if (frame.url.startsWith('node:') || frame.url === '') return 'node';
  return frame.url;
}
interface Frame {
  readonly functionName: string;
  readonly url: string;
  readonly lineNumber: number;
  readonly columnNumber: number;
}

function table(head: string[], body: string[][]): void {
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((row) => row[i]!.length)));
  const line = (cells: string[]) =>
    cells.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join('  ');
  console.log(line(head));
  for (const row of body) console.log(line(row));
}
