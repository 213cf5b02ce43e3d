/**
 * The SLA report's and the lead list's time over 10,000 leads. Prints figures; never asserts.
 *   npx tsx bench/report.ts [leads] [dynaliteLeads]     (defaults 10000 and 2000)
 *
 * Each lead gets a realistic timeline (created, MQL, SQL, handover, attempts, some reassigned, some
 * recycled) spread over 30 days; its facts are derived (report-facts.ts) and stored. Measured:
 * - memory: the in-memory twin (the simulator's store): listFacts + slaReport over the 30 days;
 * - dynalite: the first `dynaliteLeads` of them in the embedded DynamoDB (written with BatchWriteItem to
 *   arrange; dynalite writes ~600 items/s here, so 10,000 leads would take over a minute to arrange), then GET /reports/sla's work (DynamoDbLeadQueries.listFacts by day + slaReport) and
 *   one page of GET /leads (25 items: index query, then each lead and its attempts read).
 * Target: the report under 1 s locally (docs/decisions/0016-report-facts.md).
 */
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { DynamoDbLeadQueries } from '../lambdas/adapters/dynamodb-lead-queries.ts';
import { createLeadStoreDocumentClient, DynamoDbLeadStore } from '../lambdas/adapters/dynamodb-lead-store.ts';
import { MemoryLeadQueries } from '../lambdas/adapters/memory-lead-queries.ts';
import {
  ENTITIES,
  ENTITY_ATTRIBUTE,
  factKeys,
  leadIndexKeys,
  stateKey,
} from '../lambdas/adapters/table-definition.ts';
import type { ApiDeps } from '../lambdas/api/deps.ts';
import { listLeads, listQuerySchema } from '../lambdas/api/lead-list.ts';
import type { LeadState, TimelineEntry } from '../lambdas/domain/lead-state.ts';
import { factsOf } from '../lambdas/domain/report-facts.ts';
import { parseSla } from '../lambdas/domain/sla-file.ts';
import { slaReport } from '../lambdas/domain/sla-report.ts';
import { ensureTable, localDynamoDbClient, startDynalite } from '../local/dynalite.ts';
import { seedTable } from './seed-table.ts';
import { seededRandom } from './seeded-random.ts';

const LEADS = Number(process.argv[2] ?? 10_000);
const DYNALITE_LEADS = Math.min(LEADS, Number(process.argv[3] ?? 2_000));
const DAYS = 30;
const START = Date.parse('2026-11-02T07:00:00.000Z');
const HOUR = 3_600_000;
const REPS = ['jonas', 'lena', 'mats', 'carla', 'mike', 'sofia'];

const parsed = parseSla(readFileSync('sla/default.yaml', 'utf8'));
if (!parsed.ok) throw new Error('sla/default.yaml does not parse');
const sla = parsed.sla;

function makeLead(n: number, rnd: () => number): LeadState {
  const created = START + Math.floor(rnd() * DAYS) * 24 * HOUR + Math.floor(rnd() * 9) * HOUR;
  const iso = (offsetHours: number) => new Date(created + offsetHours * HOUR).toISOString();
  const entries: Omit<TimelineEntry, 'reasons'>[] = [{ at: iso(0), kind: 'created', to: 'lead', by: 'form' }];
  const rep = REPS[n % REPS.length]!;
  if (rnd() < 0.6) entries.push({ at: iso(1), kind: 'stage', from: 'lead', to: 'mql', by: 'form' });
  if (entries.length > 1 && rnd() < 0.6) {
    entries.push({ at: iso(2), kind: 'stage', from: 'mql', to: 'sql', by: 'workflow' });
    entries.push({ at: iso(2), kind: 'owner', to: rep, by: 'workflow' });
    const touch = rnd() * 8;
    if (rnd() < 0.85) {
      entries.push({
        at: iso(2 + touch),
        kind: 'attempt',
        from: 'sql/new',
        to: 'sql/attempting-contact',
        by: `rep:${rep}`,
      });
      if (rnd() < 0.5)
        entries.push({
          at: iso(30),
          kind: 'attempt',
          from: 'sql/attempting-contact',
          to: 'sql/attempting-contact',
          by: `rep:${rep}`,
        });
      const outcome = rnd();
      if (outcome < 0.2)
        entries.push({
          at: iso(50),
          kind: 'deal',
          from: 'sql/attempting-contact',
          to: 'opportunity/open-deal',
          by: `rep:${rep}`,
        });
      else if (outcome < 0.36)
        entries.push({
          at: iso(60),
          kind: 'status',
          from: 'sql/attempting-contact',
          to: 'lead/recycled-not-ready',
          by: `rep:${rep}`,
        });
    } else {
      entries.push({ at: iso(8), kind: 'email', by: 'workflow' });
      entries.push({
        at: iso(12),
        kind: 'owner',
        from: rep,
        to: REPS[(n + 1) % REPS.length]!,
        by: 'workflow',
      });
    }
  }
  const timeline = entries.map((entry) => ({
    reasons: entry.kind === 'email' ? [{ rule: 'workflow.escalate', detail: 'reminded' }] : [],
    ...entry,
  }));
  const last = timeline.at(-1)!;
  const stage = (
    timeline
      .filter(
        (e) => e.to?.split('/')[0] && ['lead', 'mql', 'sql', 'opportunity'].includes(e.to.split('/')[0]!),
      )
      .at(-1)?.to ?? 'lead'
  ).split('/')[0];
  const owner = timeline.filter((e) => e.kind === 'owner').at(-1)?.to;
  return {
    leadId: `bench${String(n).padStart(17, '0')}`,
    cycle: 1,
    version: 1,
    email: `lead${n}@plant${n % 97}.example`,
    fields: { firstName: `First${n}`, lastName: `Last${n}`, company: `Plant ${n % 500}`, country: 'DE' },
    marketingConsent: true,
    unsubscribed: false,
    undeliverable: false,
    slaVersion: sla.version,
    judgedAt: iso(0),
    stage,
    status: timeline.some((e) => e.kind === 'attempt') ? 'attempting-contact' : owner ? 'new' : 'nurturing',
    leadType: 'equipment-sales',
    journeyStage: 'awareness',
    fit: 50,
    fitTier: 'B',
    engagement: 20,
    total: 70,
    ...(owner ? { ownerId: owner, handedOffAt: iso(2), ownerSince: iso(2) } : {}),
    sent: [],
    createdAt: iso(0),
    updatedAt: last.at,
    timeline,
    timelineDropped: 0,
  } as LeadState;
}

const time = async <T>(fn: () => Promise<T>): Promise<[T, number]> => {
  const start = performance.now();
  const result = await fn();
  return [result, performance.now() - start];
};

const rnd = seededRandom(11);
const leads = Array.from({ length: LEADS }, (_, n) => makeLead(n, rnd));
const window = {
  from: '2026-11-02T00:00:00.000Z',
  to: '2026-12-02T00:00:00.000Z',
  now: new Date('2026-12-05T00:00:00.000Z'),
};

// ---------- memory ----------
const memory = new MemoryLeadQueries(sla);
const allFacts = leads.flatMap((lead) => factsOf(sla, lead));
for (const lead of leads) {
  // the twin keeps the latest change's facts per write; write each lead once with its whole story
  await memory.leadWritten(lead);
}
console.log(`${LEADS} leads, ${allFacts.length} facts over ${DAYS} days`);
const [memFacts, memRead] = await time(() => memory.listFacts('2026-11-02', '2026-12-01'));
const [, memReport] = await time(async () => slaReport(sla, allFacts, window));
const [, warmReport] = await time(async () => slaReport(sla, allFacts, window));
console.log(
  `memory: listFacts ${memRead.toFixed(0)} ms (${memFacts.length} facts of the latest changes); slaReport over all ${allFacts.length} facts ${memReport.toFixed(0)} ms cold, ${warmReport.toFixed(0)} ms warm`,
);

// ---------- dynalite ----------
const dynamo = await startDynalite();
const client = localDynamoDbClient(dynamo.endpoint);
await ensureTable(client, 'bench');
const doc = createLeadStoreDocumentClient(client);
const stored = leads.slice(0, DYNALITE_LEADS);
const storedFacts = stored.flatMap((lead) => factsOf(sla, lead));
const items = [
  ...stored.map((lead) => ({
    ...lead,
    ...stateKey(lead.leadId),
    [ENTITY_ATTRIBUTE]: ENTITIES.lead,
    ...leadIndexKeys(lead),
  })),
  ...storedFacts.map((fact) => ({
    ...factKeys(fact),
    [ENTITY_ATTRIBUTE]: ENTITIES.fact,
    leadId: fact.leadId,
    fact,
  })),
];
const [, seed] = await time(() => seedTable(doc, items, 'bench'));
console.log(
  `dynalite: arranged ${DYNALITE_LEADS} leads (${items.length} items) in ${(seed / 1000).toFixed(1)} s`,
);
const queries = new DynamoDbLeadQueries(doc, 'bench');
const [dynFacts, dynRead] = await time(() => queries.listFacts('2026-11-02', '2026-12-01'));
const [report, dynReport] = await time(async () => slaReport(sla, dynFacts, window));
console.log(
  `dynalite: GET /reports/sla work ${(dynRead + dynReport).toFixed(0)} ms (listFacts ${dynRead.toFixed(0)} ms for ${dynFacts.length} facts in ${DAYS} day queries, slaReport ${dynReport.toFixed(0)} ms); ${report.sales.total.handovers} handovers`,
);
const deps = {
  sla,
  store: new DynamoDbLeadStore(doc, { tableName: 'bench' }),
  queries,
  clock: { now: () => window.now },
} as unknown as ApiDeps;
const schema = listQuerySchema(sla);
for (const [label, raw] of [
  ['all, newest first', {}],
  ['stage=sql', { stage: 'sql' }],
  ['owner=jonas', { owner: 'jonas' }],
  ['q=first12', { q: 'first12' }],
  ['overdue=true', { overdue: 'true' }],
] as const) {
  const [page, ms] = await time(() => listLeads(deps, { role: 'admin', by: 'bench' }, schema.parse(raw)));
  console.log(`dynalite: GET /leads ${label}: ${ms.toFixed(0)} ms for ${page.items.length} items`);
}
client.destroy();
await dynamo.close();
