/**
 * What a lead's engagement-event history costs the readers that run for it, measured on dynalite (in a
 * child process, so this process's heap is the reader's alone, as in a Lambda) through the real
 * DynamoDbLeadStore, the real task handlers (workflow-harness.ts: the ASL on aws-local-stepfunctions,
 * virtual time) and the real GET /leads/{id} handler, sla/default.yaml.
 *
 * For a lead with N stored events (page views of ~300 B of url, title and referrer, as a tracker sends them;
 * and events at the size POST /leads/{id}/events takes at most: 20 properties of 1,000 characters), with its
 * engagement tally consistent (the normal case, lambdas/domain/engagement-tally.ts), in either layout:
 * 'apart' (ADR 0057: events after the state, outside the wake's read) and 'before' (a lead from before ADR
 * 0057: events before the state, in the wake's read, as every lead's were):
 *   1. the wake's read (LeadStore.loadLead): Query requests (1 MB pages), read units, wall time, heap
 *   2. one whole wake (its timer fires: Advance, Park): requests, read units, wall time
 *   3. GET /leads/{id}: requests, read units, wall time, heap, response bytes
 * Against the Advance Lambda's limits (lib/workflow.ts: 512 MB, 60 s). Heap: the most heapUsed seen above
 * the figure before the call (sampled every millisecond), and what the call's result keeps.
 * Prints figures; asserts nothing.
 *   npx tsx bench/event-history.ts [sizes...]      (npm run bench:history)
 *   e.g. `npx tsx bench/event-history.ts 1000 10000 50000 max:1000 max:10000` (the default)
 */
import { type ChildProcess, fork } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { BatchWriteCommand } from '@aws-sdk/lib-dynamodb';
import { createLeadStoreDocumentClient, DynamoDbLeadStore } from '../lambdas/adapters/dynamodb-lead-store.ts';
import { ENTITIES, ENTITY_ATTRIBUTE, eventKey, trailKey } from '../lambdas/adapters/table-definition.ts';
import { getLeadHandler } from '../lambdas/api/lead-read.ts';
import { rejudgeLead } from '../lambdas/domain/lead-state.ts';
import { storyCarrier } from '../lambdas/domain/story-carry.ts';
import { type StoredEvent, updateLead } from '../lambdas/ports/lead-store.ts';
import { ensureTable, localDynamoDbClient, startDynalite } from '../local/dynalite.ts';
import { type DynamoDbRecorder, recordDynamoDbCommands } from '../test/support/dynamodb-recorder.ts';
import { personEvent } from '../test/support/person-event.ts';
import { loadDefaultSla } from '../test/support/sla.ts';
import { exampleLead, workflowHarness } from '../test/support/workflow-harness.ts';
import { seededRandom } from './seeded-random.ts';

/** Mon 2026-11-30 08:00Z */
const T0 = new Date('2026-11-30T08:00:00.000Z');
const YEAR_MS = 365 * 24 * 3_600_000;
const ADVANCE_MEMORY_MB = 512;
const ADVANCE_TIMEOUT_S = 60;

type Kind = 'page view' | 'max';

function parseSize(arg: string): { kind: Kind; count: number } {
  const [kind, count] = arg.startsWith('max:')
    ? (['max', arg.slice(4)] as const)
    : (['page view', arg] as const);
  const n = Number(count);
  if (!Number.isSafeInteger(n) || n <= 0) throw new Error(`${arg}: a count of events, or max:<count>`);
  return { kind, count: n };
}

function events(kind: Kind, count: number, seed: number): StoredEvent[] {
  const random = seededRandom(seed);
  const word = (length: number) =>
    Array.from({ length }, () => String.fromCharCode(97 + Math.floor(random() * 26))).join('');
  return Array.from({ length: count }, (_, i) => {
    // spread over the year before T0, in order
    const occurredAt = new Date(T0.getTime() - YEAR_MS + Math.floor((i * YEAR_MS) / count)).toISOString();
    const properties: Record<string, string> =
      kind === 'page view'
        ? {
            url: `https://www.nordkraft-anlagen.example/de/produkte/${word(12)}/${word(18)}?utm_source=newsletter&utm_medium=email&utm_campaign=${word(10)}`,
            title: `${word(8)} ${word(6)} ${word(11)} - Industrielle Dampfkessel und Anlagen | Nordkraft`,
            referrer: `https://www.google.com/search?q=${word(9)}+${word(7)}+${word(10)}&client=firefox-b-d`,
          }
        : Object.fromEntries(Array.from({ length: 20 }, (_, p) => [`property${p}`, word(1000)]));
    return {
      eventId: `evt-${seed}-${String(i).padStart(6, '0')}-${word(8)}`,
      type: 'page_view',
      occurredAt,
      properties,
      ...(kind === 'max' ? { contentTags: Array.from({ length: 10 }, () => word(64)) } : {}),
      receivedAt: occurredAt,
    };
  });
}

/** Heap in use (MB) while `work` runs: the most above the figure before it, and what its result keeps. */
async function heapOf<T>(work: () => Promise<T>): Promise<{ result: T; peakMb: number; keptMb: number }> {
  gc();
  const before = process.memoryUsage().heapUsed;
  let peak = before;
  const sampler = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().heapUsed);
  }, 1);
  try {
    const result = await work();
    peak = Math.max(peak, process.memoryUsage().heapUsed);
    gc();
    const kept = process.memoryUsage().heapUsed - before;
    return { result, peakMb: (peak - before) / 2 ** 20, keptMb: kept / 2 ** 20 };
  } finally {
    clearInterval(sampler);
  }
}

let gcFunction: (() => void) | undefined;
function gc(): void {
  if (!gcFunction) {
    setFlagsFromString('--expose-gc');
    gcFunction = runInNewContext('gc') as () => void;
  }
  gcFunction();
}

function figures(recorder: DynamoDbRecorder) {
  const queries = recorder.commands.filter((c) => c.name === 'QueryCommand');
  const reads = recorder.commands.filter((c) =>
    ['QueryCommand', 'GetItemCommand', 'BatchGetItemCommand'].includes(c.name),
  );
  return {
    requests: recorder.commands.length,
    queries: queries.length,
    readUnits: reads.reduce((sum, c) => sum + c.capacityUnits, 0),
  };
}

const fmt = (n: number, digits = 0) =>
  n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });

async function main(): Promise<void> {
  const sizes = (
    process.argv.slice(2).length ? process.argv.slice(2) : ['1000', '10000', '50000', 'max:1000', 'max:10000']
  ).map(parseSize);
  const child: ChildProcess = fork(new URL(import.meta.url).pathname, ['--serve'], { stdio: 'inherit' });
  try {
    const port = await new Promise<number>((resolve, reject) => {
      child.once('message', (m) => resolve((m as { port: number }).port));
      child.once('exit', (code) => reject(new Error(`dynalite exited (${code})`)));
    });
    const client = localDynamoDbClient(`http://127.0.0.1:${port}`);
    const recorder = recordDynamoDbCommands(client);
    const doc = createLeadStoreDocumentClient(client);
    const tableName = 'history-bench';
    await ensureTable(client, tableName);
    const sla = loadDefaultSla();
    const store = new DynamoDbLeadStore(doc, { tableName, carry: storyCarrier(sla) });
    console.log(
      `Event history per lead: dynalite (a child process), DynamoDbLeadStore, sla/default.yaml; Advance has ${ADVANCE_MEMORY_MB} MB and ${ADVANCE_TIMEOUT_S} s`,
    );
    console.log(
      '| events | size | layout | stored MB | wake read: queries | read units | ms | heap peak MB | kept MB | whole wake: requests | read units | ms | GET /leads/{id}: requests | read units | ms | heap peak MB | body KB |',
    );
    console.log('|---:|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
    let seed = 0;
    for (const { kind, count, layout } of sizes.flatMap((size) =>
      (['before', 'apart'] as const).map((layout) => ({ ...size, layout })),
    )) {
      seed++;
      const h = workflowHarness({ start: T0, sla, store });
      const leadId = await h.submit({ ...exampleLead('hot'), email: `history.${seed}@nordkraft.example` });
      const key = layout === 'apart' ? trailKey : eventKey;
      if (layout === 'before') {
        // a lead from before ADR 0057: no eventsApart, its events where its wake reads them
        // (its submission is in the read already: a form post stores it there, ADR 0057 amended)
        await updateLead(store, leadId, ({ eventsApart: _apart, ...current }) => current);
      }
      // Arrange: N events stored as appendEvent stores them (BatchWriteItem: seeding speed), then the tally
      // made consistent with them, as the events route's folds keep it
      const history = events(kind, count, seed);
      let storedBytes = 0;
      const batches: StoredEvent[][] = [];
      for (let i = 0; i < history.length; i += 25) batches.push(history.slice(i, i + 25));
      for (let i = 0; i < batches.length; i += 8) {
        await Promise.all(
          batches.slice(i, i + 8).map((batch) =>
            doc.send(
              new BatchWriteCommand({
                RequestItems: {
                  [tableName]: batch.map((event) => {
                    const Item = {
                      ...event,
                      ...key(leadId, event.occurredAt, event.eventId),
                      [ENTITY_ATTRIBUTE]: ENTITIES.event,
                    };
                    storedBytes += JSON.stringify(Item).length;
                    return { PutRequest: { Item } };
                  }),
                },
              }),
            ),
          ),
        );
      }
      await updateLead(store, leadId, (current) =>
        rejudgeLead(sla, current, history, h.clock.now(), 'bench'),
      );
      const seeded = await store.getLead(leadId);
      if (seeded?.tally?.count !== count)
        throw new Error(`tally ${seeded?.tally?.count} for ${count} events`);

      // 1. the wake's read
      recorder.reset();
      const started = performance.now();
      const read = await heapOf(() => store.loadLead(leadId));
      const readMs = performance.now() - started;
      const readFigures = figures(recorder);
      const readEvents = read.result?.events.length ?? 0;

      // 2. one whole wake: the lead's timer fires
      const dueAt = seeded.dueAt;
      recorder.reset();
      const wakeStarted = performance.now();
      let wakeFigures = { requests: Number.NaN, queries: Number.NaN, readUnits: Number.NaN };
      let wakeMs = Number.NaN;
      if (dueAt) {
        await h.advanceTo(new Date(Date.parse(dueAt) + 1000));
        wakeMs = performance.now() - wakeStarted;
        wakeFigures = figures(recorder);
      }

      // 3. GET /leads/{id}
      const get = getLeadHandler(h.apiDeps);
      recorder.reset();
      const getStarted = performance.now();
      const answer = await heapOf(async () =>
        get(personEvent('GET /leads/{id}', 'bench', leadId), {} as never),
      );
      const getMs = performance.now() - getStarted;
      const getFigures = figures(recorder);
      const body = (answer.result as { body?: string; statusCode: number }).body ?? '';
      if ((answer.result as { statusCode: number }).statusCode !== 200)
        throw new Error(`GET: ${body.slice(0, 200)}`);

      console.log(
        `| ${fmt(count)} | ${kind} | ${layout} | ${fmt(storedBytes / 2 ** 20, 1)} | ${readFigures.queries} | ${fmt(readFigures.readUnits, 1)} | ${fmt(readMs)} | ${fmt(read.peakMb, 1)} | ${fmt(read.keptMb, 1)} | ${wakeFigures.requests} | ${fmt(wakeFigures.readUnits, 1)} | ${fmt(wakeMs)} | ${getFigures.requests} | ${fmt(getFigures.readUnits, 1)} | ${fmt(getMs)} | ${fmt(answer.peakMb, 1)} | ${fmt(body.length / 1024)} |`,
      );
      // with the form's submission event
      if (readEvents !== (layout === 'apart' ? 0 : count + 1))
        console.log(`  (the wake's read returned ${readEvents} events)`);
    }
  } finally {
    child.kill();
  }
}

if (process.argv.includes('--serve')) {
  // the child: dynalite in memory, its port to the parent
  const server = await startDynalite();
  process.send?.({ port: server.port });
  // ends with its parent
  process.on('disconnect', () => process.exit(0));
} else {
  await main();
  // the harnesses' engines and the client's sockets would keep this process alive
  process.exit(0);
}
