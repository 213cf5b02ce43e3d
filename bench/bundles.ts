/**
 * What each deployed function weighs and how fast it starts, and what LeadPact costs on AWS.
 * Prints figures; never asserts.   npx tsx bench/bundles.ts   (npm run bench:bundles)
 *
 * 1. Bundles: the stack is synthesized without bundling, every LeadPactFunction is bundled again with
 *    the stack's own esbuild settings (lib/leadpact-function.ts BUNDLING, the SLA define), and esbuild's
 *    metafile splits the minified output into our code (lambdas/, statemachines/) and node_modules.
 *    Target (issue 5): <= 150 KB of our own code per function.
 * 2. Init: each bundle is imported in a fresh Node process, as Lambda's init phase does (a stub
 *    Secrets Manager endpoint answers the GetSecretValue calls the entry points make at init; no other
 *    call happens at init). Reported: the whole process (start to exit) and the import alone, each a
 *    median of RUNS, as a ratio to an empty handler bundled the same way. Target: ratio <= 2x.
 *    Node here is 20; Lambda runs 24: the ratios carry over better than the milliseconds.
 * 3. Cost: the AWS bill for 1,000, 10,000 and 100,000 leads a month at list prices (PRICES below, dated), from
 *    per-lead counts (PER_LEAD below: bench/workflow's measured scenarios, weighted by a funnel).
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

const RUNS = 9;
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
  return { name, file, bytes: output.bytes, own, modules: Object.keys(output.inputs).length, memoryMb: 0 };
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
};

const PROBE = `
const started = performance.now();
const module = await import(process.argv[1]);
if (typeof module.handler !== 'function') throw new Error('no handler');
console.log(JSON.stringify({ importMs: performance.now() - started }));
`;

interface Init {
  readonly processMs: number;
  readonly importMs: number;
}

async function measureInit(file: string): Promise<Init | { error: string }> {
  const processRuns: number[] = [];
  const importRuns: number[] = [];
  for (let i = 0; i < RUNS + 1; i++) {
    const started = performance.now();
    // asynchronously: a blocking spawn would stall the stub server in this process
    const result = await runProcess(
      process.execPath,
      ['--input-type=module', '-e', PROBE, pathToFileURL(file).href],
      { env: lambdaEnv },
    );
    const elapsed = performance.now() - started;
    if (result.code !== 0) return { error: result.stderr.trim().split('\n').slice(-3).join(' | ') };
    if (i === 0) continue; // the first run warms the file cache
    processRuns.push(elapsed);
    importRuns.push((JSON.parse(result.stdout.trim().split('\n').at(-1)!) as { importMs: number }).importMs);
  }
  return { processMs: median(processRuns), importMs: median(importRuns) };
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const kb = (bytes: number) => (bytes / 1024).toFixed(1);

const baseline = await measureInit(empty.file);
if ('error' in baseline) throw new Error(`the empty handler did not load: ${baseline.error}`);

console.log(`LeadPact functions: bundle and init (node ${process.version} here; Lambda runs nodejs24.x)`);
console.log(
  `esbuild ${BUNDLING.format}, minified, ${BUNDLING.target}; AWS SDK bundled; median of ${RUNS} fresh processes`,
);
console.log(
  `empty handler: ${kb(empty.bytes)} KB, process ${baseline.processMs.toFixed(0)} ms, import ${baseline.importMs.toFixed(1)} ms\n`,
);
const header = ['function', 'MB', 'bundle KB', 'own KB', 'deps KB', 'process ms', 'x empty', 'import ms'];
const rows: string[][] = [];
for (const b of bundles) {
  const init = await measureInit(b.file);
  const ok = 'error' in init ? undefined : init;
  rows.push([
    b.name,
    String(b.memoryMb),
    kb(b.bytes),
    `${kb(b.own)}${b.own / 1024 > TARGET_OWN_KB ? ' !' : ''}`,
    kb(b.bytes - b.own),
    ok ? ok.processMs.toFixed(0) : 'failed',
    ok
      ? `${(ok.processMs / baseline.processMs).toFixed(2)}${ok.processMs / baseline.processMs > TARGET_INIT_RATIO ? ' !' : ''}`
      : '-',
    ok ? ok.importMs.toFixed(1) : 'error' in init ? init.error.slice(0, 60) : '',
  ]);
}
table(header, rows);
console.log(
  `targets: own code <= ${TARGET_OWN_KB} KB, process init <= ${TARGET_INIT_RATIO}x the empty handler's ("!" marks a miss)`,
);
console.log(
  `(bundled from ${relative(PROJECT_ROOT, outDir) || outDir}; "own" = lambdas/ and statemachines/ code in the minified output)\n`,
);
secretServer.close();
rmSync(outDir, { recursive: true, force: true });

// ---------- 3. cost ----------

/**
 * AWS list prices, us-east-1, ARM Lambda, on-demand DynamoDB, Standard workflows, HTTP API; no free
 * tier. As published by AWS in mid-2025 (the DynamoDB on-demand price is the one after the November 2024
 * cut; Lambda bills the init phase since August 2025). Not re-checked from this machine (no internet):
 * check https://aws.amazon.com/pricing before quoting.
 */
const PRICES_AS_OF = '2025-08-01';
const PRICES = {
  stateTransition: 0.025 / 1000,
  lambdaRequest: 0.2 / 1e6,
  lambdaGbSecondArm: 0.0000133334,
  dynamoWriteUnit: 0.625 / 1e6,
  dynamoReadUnit: 0.125 / 1e6,
  dynamoStorageGbMonth: 0.25,
  dynamoPitrGbMonth: 0.2,
  sesEmail: 0.1 / 1000,
  httpApiRequest: 1.0 / 1e6,
  logsIngestGb: 0.5,
  xrayTrace: 5.0 / 1e6,
  secretMonth: 0.4,
  alarmMonth: 0.1,
} as const;

/**
 * One lead, averaged over a funnel of 100 leads with sla/default.yaml: 70 like bench/workflow's scenario 3
 * (cold: nurtured, engages, becomes an SQL) and 30 like the mean of its scenarios 1 and 2 (a hot SQL that
 * becomes a customer; an SQL never contacted, escalated, reassigned, recycled). Counts measured by
 * `npm run bench:workflow` on the local runtime (the same ASL and handlers) on 2026-11-27:
 *                              scenario 3   scenarios 1, 2   per lead (0.7 / 0.3)
 *   state transitions                  14       26, 35          0.7 x 14 + 0.3 x 30.5  = 19.0
 *   task invocations                    9       16, 23          0.7 x 9 + 0.3 x 19.5   = 12.2
 *   DynamoDB requests                  84      110, 163         = 99.8, of which writes 0.7 x 27 + 0.3 x 42.5 = 31.7
 *   emails                              4        3, 11          0.7 x 4 + 0.3 x 7      = 4.9
 * Not measured there, estimated: API calls per lead 6.7 (1 form post, 3 tracked events, 0.3 x 9 rep actions);
 * Lambda time (tasks ~0.1 s at ~0.4 GB, API ~0.08 s at 0.5 GB); the lead item ~10 KB, so a write costs
 * ~12 write units (10 for the item, 1 for each index entry) and a strongly consistent read ~2 read units on
 * average (the item 3, a query 1); CloudWatch Logs ~1.5 KB per transition (ALL) and 0.5 KB per invocation;
 * storage ~20 KB per lead (its state item and events), counted for the month's new leads only.
 */
const PER_LEAD = {
  stateTransitions: 19.0,
  lambdaInvocations: 12.2 + 6.7,
  lambdaGbSeconds: 12.2 * 0.1 * 0.4 + 6.7 * 0.08 * 0.5,
  dynamoWriteUnits: 31.7 * 12,
  dynamoReadUnits: (99.8 - 31.7) * 2,
  sesEmails: 4.9,
  httpRequests: 6.7,
  logBytes: 19.0 * 1500 + (12.2 + 6.7) * 500,
  storageBytes: 20_000,
} as const;
/**
 * Cold starts (init is billed since August 2025, ~0.4 s at 0.5 GB): an idle container lives ~10 minutes, so
 * each of the 11 functions starts cold about once per 10-minute window it is used in: with r invocations per
 * function per window, a fraction of about 1 / (1 + r) of invocations is cold.
 */
const COLD_START = {
  seconds: 0.4,
  gb: 0.5,
  fraction: (leads: number) => 1 / (1 + (leads * PER_LEAD.lambdaInvocations) / 11 / (30 * 24 * 6)),
};
/** X-Ray records about 1 trace a second plus 5 % of the rest */
const tracedFraction = (leads: number) =>
  Math.min(1, (30 * 86_400 * 1) / (leads * PER_LEAD.lambdaInvocations) + 0.05);
const FIXED = { secrets: 2, alarms: 17 };

console.log(
  `AWS cost model, list prices as of ${PRICES_AS_OF} (us-east-1, no free tier; see PRICES in bench/bundles.ts)`,
);
const costRows: string[][] = [];
const lines = (leads: number) => {
  const invocations = leads * PER_LEAD.lambdaInvocations;
  return {
    'Step Functions transitions': leads * PER_LEAD.stateTransitions * PRICES.stateTransition,
    'Lambda requests': invocations * PRICES.lambdaRequest,
    'Lambda compute (ARM)': leads * PER_LEAD.lambdaGbSeconds * PRICES.lambdaGbSecondArm,
    'Lambda init (cold starts)':
      invocations *
      COLD_START.fraction(leads) *
      COLD_START.seconds *
      COLD_START.gb *
      PRICES.lambdaGbSecondArm,
    'DynamoDB requests':
      leads *
      (PER_LEAD.dynamoWriteUnits * PRICES.dynamoWriteUnit + PER_LEAD.dynamoReadUnits * PRICES.dynamoReadUnit),
    'DynamoDB storage + PITR':
      ((leads * PER_LEAD.storageBytes) / 1e9) * (PRICES.dynamoStorageGbMonth + PRICES.dynamoPitrGbMonth),
    'SES emails': leads * PER_LEAD.sesEmails * PRICES.sesEmail,
    'HTTP API': leads * PER_LEAD.httpRequests * PRICES.httpApiRequest,
    'CloudWatch Logs ingestion': ((leads * PER_LEAD.logBytes) / 1e9) * PRICES.logsIngestGb,
    'X-Ray traces': invocations * tracedFraction(leads) * PRICES.xrayTrace,
    'Secrets Manager (2 keys)': FIXED.secrets * PRICES.secretMonth,
    'CloudWatch alarms (17)': FIXED.alarms * PRICES.alarmMonth,
  };
};
const VOLUMES = [1_000, 10_000, 100_000];
const bills = VOLUMES.map(lines);
for (const item of Object.keys(bills[0]!) as (keyof ReturnType<typeof lines>)[]) {
  costRows.push([item, ...bills.map((bill) => `$${bill[item].toFixed(2)}`)]);
}
const total = (bill: Record<string, number>) => Object.values(bill).reduce((sum, value) => sum + value, 0);
costRows.push(['total per month', ...bills.map((bill) => `$${total(bill).toFixed(2)}`)]);
costRows.push(['per lead', ...bills.map((bill, i) => `$${(total(bill) / VOLUMES[i]!).toFixed(4)}`)]);
table(['', ...VOLUMES.map((n) => `${n.toLocaleString('en-US')} leads/month`)], costRows);
// a lead with nothing due parks for 30 days at a time: Advance + Route + Park, two invocations
const dormantPer1000 =
  (3 * PRICES.stateTransition + 2 * PRICES.lambdaRequest + 0.2 * PRICES.lambdaGbSecondArm) * 1000;
console.log(
  `\nand the stock: a dormant lead (nothing due) wakes every 30 days: $${dormantPer1000.toFixed(3)} per 1,000 dormant leads a month (docs/scaling.md)`,
);

function table(head: string[], body: string[][]): void {
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((row) => row[i]!.length)));
  const line = (cells: string[]) =>
    cells.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join('  ');
  console.log(line(head));
  for (const row of body) console.log(line(row));
}
