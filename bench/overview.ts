/**
 * What the console's overview costs as leads pile up: GET /console for a manager and for ops, over HTTP
 * against the real local runtime (dynalite in memory), and the overview's "Overdue first touches" list on
 * its own (GET /leads?overdue=true, 25 items), at each lead count asked for. Prints the time and the
 * DynamoDB requests of each (counted on the store's client), and, beside the overdue list, what reading
 * every untouched handed-over lead costs (the list's way before the first-touch index, ADR 0044): the
 * owner index's `new` leads of every rep, each lead and its attempts read. Prints figures; never asserts.
 *   npx tsx bench/overview.ts [300,3000] [terms]     (npm run bench:overview)
 * `terms`: every handed-over lead carries the terms of its handover (ADR 0059: every handover since stores them),
 * so the first-touch index keys it by the deadline it was given (ADR 0062); without it none does (stored before).
 *
 * The leads (seeded by BatchWriteItem, as a full write of each would put them): a third still in marketing,
 * the rest handed over to the default SLA's reps over the last 30 days: most touched (attempts logged, some
 * connected or with an open deal), a few untouched and past their first-touch deadline (overdue), some
 * handed over in the last hours (not yet due), some reassigned, recycled or erased. "Now" is a Wednesday
 * afternoon in Berlin.
 */
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { leadItem } from '../lambdas/adapters/lead-item.ts';
import { attemptKey, ENTITIES, ENTITY_ATTRIBUTE } from '../lambdas/adapters/table-definition.ts';
import { listItem } from '../lambdas/api/lead-list.ts';
import { withHandoverTerms } from '../lambdas/domain/handover-terms.ts';
import type { Attempt, LeadState, TimelineEntry } from '../lambdas/domain/lead-state.ts';
import { parseSla } from '../lambdas/domain/sla-file.ts';
import { startLocalRuntime } from '../local/runtime.ts';
import { consoleFetch, signIn } from '../test/support/console.ts';
import { seedTable } from './seed-table.ts';
import { seededRandom } from './seeded-random.ts';

const COUNTS = (process.argv[2] ?? '300,3000').split(',').map(Number);
const TERMS = process.argv[3] === 'terms';
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** Wednesday 2 December 2026, 15:00 in Berlin */
const NOW = new Date('2026-12-02T14:00:00.000Z');
const REPS = ['jonas', 'lena', 'mats', 'carla', 'mike', 'sofia'];

const parsed = parseSla(readFileSync('sla/default.yaml', 'utf8'));
if (!parsed.ok) throw new Error('sla/default.yaml does not parse');
const sla = parsed.sla;

type Kind = 'marketing' | 'touched' | 'deal' | 'notYetDue' | 'overdue' | 'reassigned' | 'recycled' | 'erased';
const MIX: readonly [Kind, number][] = [
  ['marketing', 0.33],
  ['touched', 0.37],
  ['deal', 0.1],
  ['notYetDue', 0.05],
  ['overdue', 0.04],
  ['reassigned', 0.04],
  ['recycled', 0.04],
  ['erased', 0.03],
];

function kindOf(r: number): Kind {
  let sum = 0;
  for (const [kind, share] of MIX) {
    sum += share;
    if (r < sum) return kind;
  }
  return 'marketing';
}

function makeLead(run: string, n: number, rnd: () => number): { lead: LeadState; attempts: Attempt[] } {
  const kind = kindOf(rnd());
  const rep = REPS[n % REPS.length]!;
  // handed over in the last 30 days (the not-yet-due ones in the last 90 minutes)
  const handoff =
    kind === 'notYetDue' ? NOW.getTime() - rnd() * 1.5 * HOUR : NOW.getTime() - (1 + rnd() * 29) * DAY;
  const created = handoff - 2 * HOUR;
  const iso = (ms: number) => new Date(ms).toISOString();
  const entry = (at: number, kind: TimelineEntry['kind'], extra: Partial<TimelineEntry>): TimelineEntry =>
    ({ at: iso(at), kind, by: 'workflow', reasons: [], ...extra }) as TimelineEntry;
  const timeline: TimelineEntry[] = [entry(created, 'created', { to: 'mql', by: 'form' })];
  const attempts: Attempt[] = [];
  let stage: LeadState['stage'] = 'mql';
  let status = 'nurturing';
  let owner: string | undefined;
  let ownerSince: number | undefined;
  let updated = created;
  if (kind !== 'marketing') {
    stage = 'sql';
    status = 'new';
    owner = rep;
    ownerSince = handoff;
    timeline.push(entry(handoff, 'stage', { from: 'mql', to: 'sql' }), entry(handoff, 'owner', { to: rep }));
    updated = handoff;
  }
  if (kind === 'touched' || kind === 'deal' || kind === 'recycled') {
    const at = handoff + rnd() * 3 * HOUR;
    attempts.push({ attemptId: `${run}-${n}-1`, at: iso(at), outcomeId: 'no-answer', repId: rep });
    status = 'attempting-contact';
    updated = at;
  }
  if (kind === 'deal') {
    stage = 'opportunity';
    status = 'open-deal';
    updated += HOUR;
  }
  if (kind === 'recycled') {
    stage = 'lead';
    status = 'recycled-not-ready';
    updated += DAY;
  }
  if (kind === 'reassigned') {
    const to = REPS[(n + 1) % REPS.length]!;
    owner = to;
    ownerSince = handoff + 6 * HOUR;
    timeline.push(entry(ownerSince, 'owner', { from: rep, to }));
    updated = ownerSince;
  }
  const lead = {
    leadId: `ov${run}${String(n).padStart(7, '0')}`,
    cycle: 1,
    version: 1,
    ...(kind === 'erased' ? { erasedAt: iso(updated + HOUR) } : { email: `lead${n}@plant${n % 97}.example` }),
    fields:
      kind === 'erased' ? {} : { firstName: `First${n}`, lastName: `Last${n}`, company: `Plant ${n % 500}` },
    marketingConsent: true,
    unsubscribed: false,
    undeliverable: false,
    slaVersion: sla.version,
    judgedAt: iso(created),
    stage,
    status,
    leadType: 'equipment-sales',
    journeyStage: 'awareness',
    fit: 50,
    fitTier: 'B',
    engagement: 20,
    total: 70,
    ...(owner ? { ownerId: owner, handedOffAt: iso(handoff), ownerSince: iso(ownerSince!) } : {}),
    ...(stage === 'opportunity'
      ? { deal: { stageId: 'discovery', since: iso(updated), amount: 10_000 } }
      : {}),
    sent: [],
    createdAt: iso(created),
    updatedAt: iso(updated + (n % 1000)),
    timeline,
    timelineDropped: 0,
  } as unknown as LeadState;
  return { lead: TERMS ? withHandoverTerms(sla, lead) : lead, attempts };
}

const runtime = await startLocalRuntime({
  sla,
  workflows: 'record',
  reconcileEveryMs: 0,
  events: { off: true, sweepEveryMs: 0 },
  clock: { now: () => new Date(NOW) },
});
let requests = 0;
runtime.dynamoDb.middlewareStack.add(
  (next) => async (args) => {
    requests++;
    return next(args);
  },
  { step: 'initialize', name: 'benchCount' },
);
const doc = DynamoDBDocumentClient.from(runtime.dynamoDb, {
  marshallOptions: { removeUndefinedValues: true },
});
const measure = async (fn: () => Promise<unknown>) => {
  const before = requests;
  const start = performance.now();
  const result = await fn();
  return { ms: performance.now() - start, requests: requests - before, result };
};
const fmt = (m: { ms: number; requests: number }) => `${m.ms.toFixed(0)} ms, ${m.requests} DynamoDB requests`;

try {
  const katrin = await signIn(runtime, 'katrin.vogel@kessler-industrial.example');
  const ops = await signIn(runtime, 'priya.shah@kessler-industrial.example');
  let seeded = 0;
  const all: { lead: LeadState; attempts: Attempt[] }[] = [];
  const rnd = seededRandom(44);
  for (const count of COUNTS) {
    const made = Array.from({ length: count - seeded }, (_, i) => makeLead('b', seeded + i, rnd));
    await seedTable(doc, [
      ...made.map(({ lead }) => leadItem(lead)),
      ...made.flatMap(({ lead, attempts }) =>
        attempts.map((attempt) => ({
          ...attemptKey(lead.leadId, attempt.attemptId),
          [ENTITY_ATTRIBUTE]: ENTITIES.attempt,
          ...attempt,
        })),
      ),
    ]);
    all.push(...made);
    seeded = count;
    const overdue = all.filter(
      ({ lead, attempts }) =>
        lead.ownerId &&
        !lead.erasedAt &&
        listItem(sla, lead, attempts, NOW).sla.firstTouch?.state === 'breached' &&
        attempts.length === 0,
    ).length;
    const untouched = all.filter(
      ({ lead }) => lead.ownerId && !lead.erasedAt && lead.status === 'new',
    ).length;
    console.log(`\n${count} leads: ${untouched} handed over and untouched, ${overdue} of them overdue`);
    // warm the route (the first request loads the handler modules)
    await consoleFetch(runtime, 'GET', '/console', { cookie: ops });
    for (const [who, cookie] of [
      ['manager (Katrin)', katrin],
      ['ops', ops],
    ] as const) {
      const page = await measure(() => consoleFetch(runtime, 'GET', '/console', { cookie }));
      const status = (page.result as { status: number }).status;
      console.log(`  GET /console as ${who}: ${fmt(page)} (${status})`);
    }
    const list = await measure(() =>
      fetch(`${runtime.url}/leads?overdue=true&limit=25`, {
        headers: { authorization: `Bearer ${runtime.adminToken}` },
      }).then((r) => r.json() as Promise<{ items: unknown[]; next: string | null }>),
    );
    const page = list.result as { items: unknown[]; next: string | null };
    console.log(
      `  overdue first touches (GET /leads?overdue=true, 25): ${fmt(list)}, ${page.items.length} shown${page.next ? ', more' : ''}`,
    );
    const every = await measure(async () => {
      const store = runtime.deps.store;
      const queries = runtime.deps.queries!;
      let read = 0;
      for await (const candidate of queries.candidates({ owners: REPS, status: 'new' })) {
        const lead = await store.getLead(candidate.leadId);
        if (lead?.ownerId) await store.listAttempts(lead.leadId);
        read++;
      }
      return read;
    });
    console.log(`  reading every untouched handed-over lead (the list's way before ADR 0044): ${fmt(every)}`);
  }
} finally {
  await runtime.close();
}
