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
import { SourceMap } from 'node:module';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { App } from 'aws-cdk-lib';
import type { CfnFunction } from 'aws-cdk-lib/aws-lambda';
import { build } from 'esbuild';
import { ENV } from '../lambdas/aws/shared/env.ts';
import { cdkJsonContext, readConfig } from '../lib/config.ts';
import { BUNDLING, LeadPactFunction, slaDefine } from '../lib/leadpact-function.ts';
import { LeadPactStack } from '../lib/leadpact-stack.ts';
import { PROJECT_ROOT } from '../lib/paths.ts';
import {
  functionEnvironment,
  type InitSample,
  initOnce,
  startLambdaInit,
} from '../test/support/lambda-init.ts';

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
  /** the AWS SDK client packages in the bundle (client-dynamodb, lib-dynamodb, ...) */
  readonly sdkClients: readonly string[];
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
  const sdkClients = [
    ...new Set(
      Object.keys(output.inputs).flatMap(
        (path) => /node_modules\/@aws-sdk\/(client-[a-z0-9-]+|lib-dynamodb)\//.exec(path)?.[1] ?? [],
      ),
    ),
  ].sort();
  return {
    name,
    file,
    bytes: output.bytes,
    own,
    modules: Object.keys(output.inputs).length,
    zod,
    sdkClients,
  };
}

const empty = await bundle('empty', { contents: 'export const handler = async () => ({});' });
const bundles: Bundle[] = [];
for (const { name, fn } of functions) {
  const b = await bundle(name, fn.entry, fn.runsSla ? config.slaJson : undefined);
  const memoryMb = (fn.function.node.defaultChild as CfnFunction).memorySize ?? 128;
  bundles.push({ ...b, memoryMb, env: functionEnvironment(stack, fn) });
}

/**
 * The SDK floor of a function: a bundle that only constructs the SDK clients the function bundles and
 * reads the secrets its environment names (what its init does with the SDK), and nothing of ours. Its
 * ratio says how much of the function's init the SDK alone takes; the rest is our code.
 */
const SDK_CLIENTS: Readonly<Record<string, { readonly imports: string; readonly make: string }>> = {
  'client-dynamodb': {
    imports: "import { DynamoDBClient } from '@aws-sdk/client-dynamodb';",
    make: 'new DynamoDBClient({})',
  },
  'lib-dynamodb': {
    imports:
      "import { DynamoDBClient as DocBase } from '@aws-sdk/client-dynamodb'; import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';",
    make: 'DynamoDBDocumentClient.from(new DocBase({}))',
  },
  'client-eventbridge': {
    imports: "import { EventBridgeClient } from '@aws-sdk/client-eventbridge';",
    make: 'new EventBridgeClient({})',
  },
  'client-sfn': { imports: "import { SFNClient } from '@aws-sdk/client-sfn';", make: 'new SFNClient({})' },
  'client-sesv2': {
    imports: "import { SESv2Client } from '@aws-sdk/client-sesv2';",
    make: 'new SESv2Client({})',
  },
  'client-secrets-manager': {
    imports: "import { SecretsManagerClient, GetSecretValueCommand } from '@aws-sdk/client-secrets-manager';",
    make: 'new SecretsManagerClient({})',
  },
};
const SECRET_VARIABLES = [ENV.leadIdSecretArn, ENV.actionSecretArn, ENV.botCheckSecretArn];

function floorSource(clients: readonly string[]): string {
  const known = clients.filter((client) => SDK_CLIENTS[client]);
  const secrets = clients.includes('client-secrets-manager')
    ? `const sm = new SecretsManagerClient({});
       const ids = ${JSON.stringify(SECRET_VARIABLES)}.map((name) => process.env[name]).filter(Boolean);
       await Promise.all(ids.map((SecretId) => sm.send(new GetSecretValueCommand({ SecretId }))));`
    : '';
  return `${known.map((client) => SDK_CLIENTS[client]!.imports).join('\n')}
const clients = [${known.map((client) => SDK_CLIENTS[client]!.make).join(', ')}];
${secrets}
export const handler = async () => clients.length;`;
}

/** One floor bundle per set of clients (and secrets the functions read): name -> floor bundle. */
const floors = new Map<string, Pick<Bundle, 'name' | 'file' | 'env' | 'bytes'>>();
const floorOf = new Map<string, string>();
for (const b of bundles) {
  if (b.sdkClients.length === 0) continue;
  const secrets = SECRET_VARIABLES.filter((name) => b.env[name]);
  const key = `sdk: ${b.sdkClients.join(' + ')}${secrets.length > 0 ? ` + ${secrets.length} secret(s)` : ''}`;
  floorOf.set(b.name, key);
  if (floors.has(key)) continue;
  const floor = await bundle(key, { contents: floorSource(b.sdkClients) });
  floors.set(key, { ...floor, env: Object.fromEntries(secrets.map((name) => [name, b.env[name]!])) });
}

// ---------- 2. init ----------

const harness = await startLambdaInit();

interface Init {
  readonly wallMs: number;
  readonly cpuMs: number;
  readonly importMs: number;
  /** median over rounds of wall / that round's empty handler wall */
  readonly wallRatio: number;
  /** median over rounds of CPU / that round's empty handler CPU */
  readonly cpuRatio: number;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const kb = (bytes: number) => (bytes / 1024).toFixed(1);

/** Every bundle, ROUNDS times, interleaved with the empty handler (a first round warms the file cache). */
async function measureAll(): Promise<{ empty: Init; inits: Map<string, Init | { error: string }> }> {
  const all: readonly Pick<Bundle, 'name' | 'file' | 'env'>[] = [
    { ...empty, env: {} },
    ...bundles,
    ...floors.values(),
  ];
  const samples = new Map<string, InitSample[]>(all.map((b) => [b.name, []]));
  const errors = new Map<string, string>();
  for (let round = 0; round <= ROUNDS; round++) {
    for (const b of all) {
      if (errors.has(b.name)) continue;
      const result = await initOnce(harness, b.file, b.env);
      if ('error' in result) errors.set(b.name, result.error);
      else if (round > 0) samples.get(b.name)!.push(result);
    }
  }
  if (errors.has(empty.name)) throw new Error(`the empty handler did not load: ${errors.get(empty.name)}`);
  const baseline = samples.get(empty.name)!;
  const summary = (runs: InitSample[]): Init => ({
    wallMs: median(runs.map((run) => run.wallMs)),
    cpuMs: median(runs.map((run) => run.cpuMs)),
    importMs: median(runs.map((run) => run.importMs)),
    wallRatio: median(runs.map((run, i) => run.wallMs / baseline[i]!.wallMs)),
    cpuRatio: median(runs.map((run, i) => run.cpuMs / baseline[i]!.cpuMs)),
  });
  const inits = new Map<string, Init | { error: string }>();
  for (const b of [...bundles, ...floors.values()]) {
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
  'SDK floor CPU x empty',
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
    ok ? ok.importMs.toFixed(1) : 'error' in init ? init.error.slice(0, 100) : '',
    floorRatio(b.name),
  ]);
}
table(header, rows);
console.log('\nSDK floors (the clients alone, and the secrets read at init; no code of ours):');
for (const [key, floor] of floors) {
  const init = inits.get(key)!;
  console.log(
    `  ${key}: ${kb(floor.bytes)} KB, ${'error' in init ? `failed: ${init.error}` : `CPU ${init.cpuMs.toFixed(1)} ms, ${init.cpuRatio.toFixed(2)}x empty`}`,
  );
}
console.log(
  `targets: own code <= ${TARGET_OWN_KB} KB, init <= ${TARGET_INIT_RATIO}x the empty handler's ("!" marks a miss)`,
);
console.log(
  `worst init ratio (CPU): ${worst.toFixed(2)}x, ${worstName} (target <= ${TARGET_INIT_RATIO}x for every function: ${worst <= TARGET_INIT_RATIO ? 'met' : 'missed'})`,
);
const overFloor = bundles.filter((b) => {
  const key = floorOf.get(b.name);
  const init = key ? inits.get(key) : undefined;
  return init && !('error' in init) && init.cpuRatio > TARGET_INIT_RATIO;
});
if (overFloor.length > 0) {
  console.log(
    `the SDK floor alone is over ${TARGET_INIT_RATIO}x for ${overFloor.length} of ${bundles.length} functions (${overFloor.map((b) => b.name).join(', ')}): ` +
      'with the SDK bundled and loaded at init, no code of ours can bring those to the target here',
  );
}
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
    const result = await initOnce(harness, b.file, b.env, [
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

await harness.close();
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

function floorRatio(name: string): string {
  const key = floorOf.get(name);
  const init = key ? inits.get(key) : undefined;
  if (!key) return 'no SDK';
  return init && !('error' in init) ? init.cpuRatio.toFixed(2) : '-';
}

function table(head: string[], body: string[][]): void {
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((row) => row[i]!.length)));
  const line = (cells: string[]) =>
    cells.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join('  ');
  console.log(line(head));
  for (const row of body) console.log(line(row));
}
