/**
 * POST /leads through the local server (dynalite in memory, the DynamoDB store, the real HTTP server):
 * latency at 1 and 32 concurrent clients for new leads and repeat posts, the handler's own time against a
 * bare PutItem round trip on the same dynalite, and DynamoDB requests and write units per post.
 * Prints figures; never asserts.
 *   npx tsx bench/ingest.ts        (npm run bench:ingest)
 *
 * Targets (issue 3): handler time <= 2.5x a bare PutItem; a new lead costs <= 3 writes.
 * Write units are what dynalite reports for the table; in AWS every state write also updates the
 * stage/day index (GSI2; GSI1 too once a rep owns the lead), which dynalite does not charge.
 */
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import type { Context } from 'aws-lambda';
import type { HttpEvent } from '../lambdas/api/http.ts';
import { submitLeadHandler } from '../lambdas/api/leads-public.ts';
import { leadIdFor } from '../lambdas/domain/lead-id.ts';
import { parseSla } from '../lambdas/domain/sla-file.ts';
import { LOCAL_TABLE, startLocalRuntime } from '../local/runtime.ts';
import { type DynamoDbRecorder, recordDynamoDbCommands } from '../test/support/dynamodb-recorder.ts';

const REQUESTS = 500;
const WARMUP = 100;
const CONCURRENCY = [1, 32] as const;
const TARGET_RATIO = 2.5;
const TARGET_WRITES_PER_NEW_LEAD = 3;

const parsed = parseSla(readFileSync('sla/default.yaml', 'utf8'));
if (!parsed.ok) {
  console.error('sla/default.yaml does not parse:', parsed.errors);
  process.exit(1);
}

/** A realistic form post (the hot example lead) with its own email. */
function leadBody(email: string): string {
  return JSON.stringify({
    email,
    firstName: 'Petra',
    lastName: 'Schneider',
    company: 'Brauhaus Werke GmbH',
    jobTitle: 'Plant Manager',
    department: 'operations',
    country: 'DE',
    employees: 850,
    revenue: 140_000_000,
    industry: 'food-and-beverage',
    interest: 'compressors',
    message: 'We are replacing two compressor lines in Q2 and would like a demo.',
    marketingConsent: true,
    formId: 'demo-request',
    pageUrl: 'https://kessler-industrial.example/demo',
    utm_source: 'google',
    utm_medium: 'cpc',
    utm_campaign: 'compressors-dach',
  });
}

const emailOf = (run: string, i: number) => `bench.${run}.${i}@brauhaus-werke.example`;

interface Figures {
  readonly p50: number;
  readonly p99: number;
  readonly max: number;
  readonly perSecond: number;
}

function figures(samples: number[], wallMs: number): Figures {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]!;
  return { p50: at(0.5), p99: at(0.99), max: sorted.at(-1)!, perSecond: (samples.length / wallMs) * 1000 };
}

/** Runs `count` calls with `clients` concurrent callers; the latency of each call in ms. */
async function drive(count: number, clients: number, call: (i: number) => Promise<void>): Promise<Figures> {
  const samples: number[] = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: clients }, async () => {
      for (let i = next++; i < count; i = next++) {
        const t = performance.now();
        await call(i);
        samples.push(performance.now() - t);
      }
    }),
  );
  return figures(samples, performance.now() - started);
}

interface Cost {
  readonly requests: number;
  readonly breakdown: string;
  readonly writes: number;
  readonly writeUnits: number;
}

function costPer(recorder: DynamoDbRecorder, posts: number): Cost {
  const counts = new Map<string, number>();
  for (const name of recorder.names()) {
    const short = name.replace(/Command$/, '').replace(/Item$/, '');
    counts.set(short, (counts.get(short) ?? 0) + 1);
  }
  const breakdown = [...counts]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([name, n]) => `${name} ${(n / posts).toFixed(2).replace(/\.00$/, '')}`)
    .join(', ');
  return {
    requests: recorder.commands.length / posts,
    breakdown,
    writes: recorder.writeRequests() / posts,
    writeUnits: recorder.writeUnits() / posts,
  };
}

const runtime = await startLocalRuntime({
  sla: parsed.sla,
  port: 0,
  adminToken: 'bench',
  // the ingest path alone: workflow starts and signals are recorded, not run in this process
  workflows: 'record',
  // the default throttle (120/min per address) would measure the limiter, not the route
  rateLimit: { perMinute: 1_000_000_000, burst: 1_000_000_000 },
});
const recorder = recordDynamoDbCommands(runtime.dynamoDb);

async function post(email: string): Promise<void> {
  const response = await fetch(`${runtime.url}/leads`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: leadBody(email),
  });
  await response.arrayBuffer();
  if (response.status !== 202) throw new Error(`POST /leads answered ${response.status}`);
}

// the handler alone, as Lambda invokes it: the same middy stack, no HTTP
const handler = submitLeadHandler(runtime.deps);
const context = { awsRequestId: 'bench', getRemainingTimeInMillis: () => 30_000 } as unknown as Context;
async function invoke(email: string): Promise<void> {
  const event = {
    version: '2.0',
    routeKey: 'POST /leads',
    rawPath: '/leads',
    rawQueryString: '',
    headers: { 'content-type': 'application/json' },
    requestContext: { http: { method: 'POST', path: '/leads', sourceIp: '127.0.0.1' } },
    body: leadBody(email),
    isBase64Encoded: false,
  } as unknown as HttpEvent;
  const result = await handler(event, context);
  if (result.statusCode !== 202) throw new Error(`the handler answered ${result.statusCode}`);
}

function putItem(i: number, padding: number, conditional = false): Promise<unknown> {
  return runtime.dynamoDb.send(
    new PutItemCommand({
      TableName: LOCAL_TABLE,
      Item: { pk: { S: `BENCH#${i}` }, sk: { S: 'PUT' }, data: { S: 'x'.repeat(padding) } },
      ...(conditional
        ? { ConditionExpression: 'attribute_not_exists(#pk)', ExpressionAttributeNames: { '#pk': 'pk' } }
        : {}),
    }),
  );
}

function getItem(i: number): Promise<unknown> {
  return runtime.dynamoDb.send(
    new GetItemCommand({
      TableName: LOCAL_TABLE,
      Key: { pk: { S: `BENCH#${i}` }, sk: { S: 'PUT' } },
      ConsistentRead: true,
    }),
  );
}

// ---------- warm up (JIT, dynalite, sockets) ----------
await drive(WARMUP, 8, (i) => post(emailOf('warm', i)));
await drive(WARMUP, 1, (i) => invoke(emailOf('warm-handler', i)));
await drive(WARMUP, 1, async (i) => void (await putItem(-i - 1, 10)));

// ---------- HTTP: new leads and repeat posts at 1 and 32 clients ----------
interface Row {
  readonly name: string;
  readonly clients: number;
  readonly latency: Figures;
  readonly cost: Cost;
}
const rows: Row[] = [];
for (const clients of CONCURRENCY) {
  for (const kind of ['new lead', 'repeat post'] as const) {
    recorder.reset();
    // a repeat post sends the emails of the new-lead run again
    const latency = await drive(REQUESTS, clients, (i) => post(emailOf(`c${clients}`, i)));
    rows.push({ name: `POST /leads, ${kind}`, clients, latency, cost: costPer(recorder, REQUESTS) });
  }
}

// ---------- the handler against a bare PutItem, one at a time ----------
recorder.reset();
const handlerNew = await drive(REQUESTS, 1, (i) => invoke(emailOf('handler', i)));
const handlerCost = costPer(recorder, REQUESTS);
const handlerRepeat = await drive(REQUESTS, 1, (i) => invoke(emailOf('handler', i)));
const barePut = await drive(REQUESTS, 1, async (i) => void (await putItem(i, 10)));
// the state item of a lead as the handler stored it: what a new lead's main write carries
const sample = await runtime.deps.store.getLead(leadIdFor(emailOf('handler', 0), runtime.deps.leadIdSecret));
const stateBytes = Buffer.byteLength(JSON.stringify(sample));
const bigPut = await drive(REQUESTS, 1, async (i) => void (await putItem(REQUESTS + i, stateBytes, true)));
const consistentGet = await drive(REQUESTS, 1, async (i) => void (await getItem(i)));
const health = await drive(REQUESTS, 1, async () => {
  const response = await fetch(`${runtime.url}/health`);
  await response.arrayBuffer();
});

await runtime.close();

// ---------- report ----------
const ms = (n: number) => n.toFixed(2).padStart(7);
const pad = (text: string, width: number) => text.padEnd(width);
console.log(
  `\nPOST /leads through the local server (${REQUESTS} requests per row, JSON body, dynalite in memory)\n`,
);
console.log(
  `${pad('scenario', 26)}${pad('clients', 9)}${'p50 ms'.padStart(7)}  ${'p99 ms'.padStart(7)}  ${'max ms'.padStart(7)}  ${'req/s'.padStart(6)}   DynamoDB per post`,
);
for (const row of rows) {
  console.log(
    `${pad(row.name, 26)}${pad(String(row.clients), 9)}${ms(row.latency.p50)}  ${ms(row.latency.p99)}  ${ms(row.latency.max)}  ${row.latency.perSecond.toFixed(0).padStart(6)}   ` +
      `${row.cost.requests.toFixed(2)} requests (${row.cost.breakdown}); ${row.cost.writes.toFixed(2)} writes, ${row.cost.writeUnits.toFixed(2)} WCU`,
  );
}

const newLead = rows.find((row) => row.name.endsWith('new lead') && row.clients === 1)!;
console.log(
  `\nHandler time (middy handler in process, 1 at a time) against a bare PutItem on the same dynalite\n`,
);
console.log(`${pad('', 50)}${'p50 ms'.padStart(7)}  ${'p99 ms'.padStart(7)}`);
const line = (name: string, f: Figures) => console.log(`${pad(name, 50)}${ms(f.p50)}  ${ms(f.p99)}`);
line('handler, new lead', handlerNew);
line('handler, repeat post', handlerRepeat);
line('bare PutItem (small item)', barePut);
line(`conditional PutItem, lead-state size (${stateBytes} B)`, bigPut);
line('GetItem, consistent read', consistentGet);
line('HTTP round trip, GET /health (the HTTP floor)', health);
line('HTTP round trip, new lead (from the table)', newLead.latency);
const ratio = handlerNew.p50 / barePut.p50;
console.log(
  `\nratio handler (new lead) / bare PutItem, p50:   ${ratio.toFixed(2)}x   (target <= ${TARGET_RATIO}x: ${ratio <= TARGET_RATIO ? 'met' : 'missed'})`,
);
console.log(
  `ratio handler (repeat post) / bare PutItem:    ${(handlerRepeat.p50 / barePut.p50).toFixed(2)}x`,
);
console.log(
  `writes per new lead:                           ${handlerCost.writes.toFixed(2)}   (target <= ${TARGET_WRITES_PER_NEW_LEAD}: ${handlerCost.writes <= TARGET_WRITES_PER_NEW_LEAD ? 'met' : 'missed'}; ${handlerCost.writeUnits.toFixed(2)} WCU on the table)`,
);
console.log(
  '\nWCU: as dynalite reports them for the table; in AWS each state write also writes the stage/day index.',
);
