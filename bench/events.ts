/**
 * Events out, measured on the whole local runtime (dynalite, the SES emulator, the ASL, the API server)
 * with a webhook receiver on a real socket (127.0.0.1) that verifies each delivery with `standardwebhooks`:
 *   1. delivery latency: wall-clock time from sending POST /leads to the receiver holding that lead's
 *      `lead.created`, over LEADS leads posted one after another: p50, p99, max
 *   2. the added cost per change: the hot lead's story (form, connected call, deal from discovery to won)
 *      with events out off, then on with one subscriber; DynamoDB requests and writes per state write,
 *      and the capacity units the writes cost (dynalite reports the table's, not the index's)
 * Prints figures; asserts nothing.
 *   npx tsx bench/events.ts        (npm run bench:events)
 */
import { performance } from 'node:perf_hooks';
import { recordDynamoDbCommands } from '../test/support/dynamodb-recorder.ts';
import { type E2e, exampleLead, MINUTE, startE2e } from '../test/support/e2e.ts';
import { startWebhookReceiver, TEST_WEBHOOK_SECRET } from '../test/support/webhook-receiver.ts';

const LEADS = 200;

const percentile = (sorted: readonly number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;

async function latency(): Promise<void> {
  const receiver = await startWebhookReceiver();
  const arrived = new Map<string, number>();
  const received = receiver.received;
  const push = received.push.bind(received);
  received.push = (...items) => {
    for (const item of items) {
      if (item.payload.type === 'lead.created')
        arrived.set(String(item.payload.data.leadId), performance.now());
    }
    return push(...items);
  };
  const e2e = await startE2e({
    time: { speed: 1 },
    rateLimit: { perMinute: 1_000_000, burst: 1_000_000 },
    events: {
      subscriptions: [{ id: 'bench', url: receiver.url, events: ['*'], secret: TEST_WEBHOOK_SECRET }],
      sweepEveryMs: 0,
    },
  });
  const answered = new Map<string, number>();
  try {
    for (let i = 0; i < LEADS; i++) {
      const email = `bench.${i}@latency.example`;
      const sent = performance.now();
      const response = await e2e.postLead({ email, firstName: 'Bench', jobTitle: 'Plant Manager' });
      if (response.status !== 202) throw new Error(`POST /leads: ${response.status}`);
      answered.set(e2e.leadIdOf(email), sent);
    }
    const deadline = performance.now() + 60_000;
    while (arrived.size < LEADS && performance.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    const ms = [...answered].flatMap(([leadId, at]) => {
      const got = arrived.get(leadId);
      return got === undefined ? [] : [got - at];
    });
    ms.sort((a, b) => a - b);
    console.log(
      `1. delivery latency, POST /leads sent -> lead.created verified by the receiver (${LEADS} leads, one at a time):`,
    );
    console.log(
      `   received ${ms.length}/${LEADS}; p50 ${percentile(ms, 50).toFixed(1)} ms, p99 ${percentile(ms, 99).toFixed(1)} ms, max ${ms.at(-1)!.toFixed(1)} ms; ${receiver.rejected.length} failed verification`,
    );
  } finally {
    await e2e.close();
    await receiver.close();
  }
}

/** The hot lead's story, as test/e2e/events-out.test.ts runs it. */
async function story(e2e: E2e): Promise<void> {
  const hot = exampleLead('hot');
  const leadId = e2e.leadIdOf(String(hot.email));
  await e2e.postLead(hot);
  await e2e.settle();
  await e2e.advanceBy(30 * MINUTE);
  await e2e.request('POST', `/leads/${leadId}/attempts`, {
    json: { attemptId: 'call-1', outcome: 'connected' },
  });
  await e2e.settle();
  for (const stage of ['discovery', 'quote-presented', 'closed-won']) {
    await e2e.request('PUT', `/leads/${leadId}/deal`, { json: { stage } });
    await e2e.settle();
  }
}

async function cost(): Promise<void> {
  const rows: {
    name: string;
    requests: number;
    writes: number;
    units: number;
    stateWrites: number;
    events: number;
  }[] = [];
  for (const on of [false, true]) {
    const receiver = await startWebhookReceiver();
    const e2e = await startE2e({
      events: on
        ? {
            subscriptions: [{ id: 'bench', url: receiver.url, events: ['*'], secret: TEST_WEBHOOK_SECRET }],
            sweepEveryMs: 0,
          }
        : { off: true },
    });
    const recorder = recordDynamoDbCommands(e2e.runtime.dynamoDb);
    try {
      await story(e2e);
      await e2e.settle();
      rows.push({
        name: on ? 'events on (1 webhook subscriber)' : 'events off',
        requests: recorder.commands.length,
        writes: recorder.writeRequests(),
        units: recorder.writeUnits(),
        stateWrites: recorder.stateWrites(),
        events: receiver.accepted().length,
      });
    } finally {
      await e2e.close();
      await receiver.close();
    }
  }
  const [off, on] = rows as [(typeof rows)[0], (typeof rows)[0]];
  console.log('2. the hot lead from form to won deal (one story), DynamoDB:');
  for (const row of rows) {
    console.log(
      `   ${row.name.padEnd(44)} ${row.requests} requests, ${row.writes} writes (${row.units.toFixed(1)} WCU), ${row.stateWrites} state writes, ${row.events} events delivered`,
    );
  }
  const changes = off.stateWrites;
  console.log(
    `   added per state write (change): ${((on.requests - off.requests) / changes).toFixed(2)} requests, ${((on.writes - off.writes) / changes).toFixed(2)} writes, ${((on.units - off.units) / changes).toFixed(2)} WCU`,
  );
  console.log(
    `   added per event delivered: ${((on.writes - off.writes) / Math.max(1, on.events)).toFixed(2)} writes (the delivery item: put, lease, outcome), + the cursor update per publish`,
  );
}

await latency();
await cost();
