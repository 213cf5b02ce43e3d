/**
 * What each console page a manager uses costs at a sales team's scale: DynamoDB requests, read units
 * (as dynalite reports them), items read (Query's ScannedCount, GetItem's item, BatchGetItem's items), the
 * server's time and the HTML's bytes, for a manager (Katrin, 10 reps), a rep (Jonas) and ops (Priya), over
 * HTTP against the real local runtime (dynalite in memory). Prints figures; never asserts.
 *   npx tsx bench/console.ts [leads] [deals] [terms]     (npm run bench:console; 20,000 leads by default)
 * `terms`: every handed-over lead carries the terms of its handover (ADR 0059: every handover since stores them),
 * so the next-step index holds its kept deadline (ADR 0065) and "due today" reaches it; without it none does.
 *
 * The data set (seeded with BatchWriteItem, as a full write of each lead would put it; ~2-3 minutes for
 * 20,000 leads): the default SLA plus six reps, so Katrin manages ten; leads created over the last year.
 * ~23 % are open leads (~85 % of them of those ten reps: ~390 each at 20,000), the rest in marketing or closed. Open leads:
 * new (a few overdue), attempting contact (1-3 attempts), connected, open deals. Every lead's report facts
 * (factsOf) are stored: a year of them. With `deals`, most open leads are open deals or connected (no
 * cadence step due): what "Due today, per rep" reads when few steps are due. "Now" is Wednesday 2 December 2026, 15:00 in Berlin.
 */
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { leadItem } from '../lambdas/adapters/lead-item.ts';
import { attemptKey, ENTITIES, ENTITY_ATTRIBUTE, factKeys } from '../lambdas/adapters/table-definition.ts';
import { withHandoverTerms } from '../lambdas/domain/handover-terms.ts';
import type { Attempt, LeadState, TimelineEntry } from '../lambdas/domain/lead-state.ts';
import { factsOf } from '../lambdas/domain/report-facts.ts';
import { parseSla } from '../lambdas/domain/sla-file.ts';
import { leadPastContact } from '../lambdas/domain/sla-standing.ts';
import { startLocalRuntime } from '../local/runtime.ts';
import { consoleFetch, signIn } from '../test/support/console.ts';
import { recordDynamoDbCommands } from '../test/support/dynamodb-recorder.ts';
import { seedTable } from './seed-table.ts';
import { seededRandom } from './seeded-random.ts';

const LEADS = Number(process.argv[2] ?? 20_000);
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const NOW = new Date('2026-12-02T14:00:00.000Z');
const EXTRA = ['anna', 'ben', 'chloe', 'david', 'elif', 'farid'];
const TEAM = ['jonas', 'lena', 'mats', 'sofia', ...EXTRA];
const OTHERS = ['carla', 'mike'];

// the default SLA with six more reps on Katrin's team
const yaml = readFileSync('sla/default.yaml', 'utf8').replace(
  /\n {2}queues:\n/,
  `\n${EXTRA.map((id) => `    - { id: ${id}, name: ${id[0]!.toUpperCase()}${id.slice(1)} Example, email: ${id}@kessler-industrial.example, manager: katrin }`).join('\n')}\n  queues:\n`,
);
const parsed = parseSla(yaml);
if (!parsed.ok) throw new Error(`the bench SLA does not parse: ${JSON.stringify(parsed)}`);
const sla = parsed.sla;

type Kind = 'marketing' | 'new' | 'overdue' | 'attempting' | 'connected' | 'deal' | 'closed';
// `deals`: most open leads past the contact phase (open deals, connected): few steps due today
const DEALS: readonly [Kind, number][] = [
  ['marketing', 0.6],
  ['new', 0.005],
  ['overdue', 0.002],
  ['attempting', 0.01],
  ['connected', 0.05],
  ['deal', 0.168],
  ['closed', 0.165],
];
const TERMS = process.argv.slice(3).includes('terms');
const MIX: readonly [Kind, number][] = process.argv.slice(3).includes('deals')
  ? DEALS
  : [
      ['marketing', 0.6],
      ['new', 0.03],
      ['overdue', 0.005],
      ['attempting', 0.13],
      ['connected', 0.03],
      ['deal', 0.04],
      ['closed', 0.165],
    ];

function kindOf(r: number): Kind {
  let sum = 0;
  for (const [kind, share] of MIX) {
    sum += share;
    if (r < sum) return kind;
  }
  return 'marketing';
}

function makeLead(n: number, rnd: () => number): { lead: LeadState; attempts: Attempt[] } {
  const kind = kindOf(rnd());
  // most open leads are Katrin's team's, the rest Dan's reps'
  const rep = rnd() < 0.85 ? TEAM[n % TEAM.length]! : OTHERS[n % OTHERS.length]!;
  const iso = (ms: number) => new Date(ms).toISOString();
  // created over the last year; open leads mostly in the last 90 days, new ones in the last days
  const age =
    kind === 'new'
      ? rnd() * 0.2 * DAY
      : kind === 'overdue'
        ? (1 + rnd() * 5) * DAY
        : kind === 'marketing' || kind === 'closed'
          ? rnd() * 365 * DAY
          : rnd() * 90 * DAY;
  const created = NOW.getTime() - age - 3 * HOUR;
  const handoff = created + 2 * HOUR;
  const entry = (
    at: number,
    entryKind: TimelineEntry['kind'],
    extra: Partial<TimelineEntry>,
  ): TimelineEntry =>
    ({ at: iso(at), kind: entryKind, by: 'workflow', reasons: [], ...extra }) as TimelineEntry;
  const timeline: TimelineEntry[] = [entry(created, 'created', { to: 'mql', by: 'form' })];
  const attempts: Attempt[] = [];
  let stage: LeadState['stage'] = 'mql';
  let status = 'nurturing';
  let owner: string | undefined;
  let updated = created;
  if (kind !== 'marketing') {
    stage = 'sql';
    status = 'new';
    owner = rep;
    timeline.push(entry(handoff, 'stage', { from: 'mql', to: 'sql' }), entry(handoff, 'owner', { to: rep }));
    updated = handoff;
  }
  if (kind === 'attempting' || kind === 'connected' || kind === 'deal' || kind === 'closed') {
    const count = 1 + Math.floor(rnd() * 3);
    for (let i = 0; i < count; i++) {
      const at = Math.min(handoff + (1 + i * 30 + rnd() * 3) * HOUR, NOW.getTime() - HOUR);
      attempts.push({ attemptId: `c-${n}-${i}`, at: iso(at), outcomeId: 'no-answer', repId: rep });
      timeline.push(
        entry(at, 'attempt', { from: `sql/${status}`, to: 'sql/attempting-contact', by: `rep:${rep}` }),
      );
      status = 'attempting-contact';
      updated = at;
    }
  }
  if (kind === 'connected') status = 'connected';
  if (kind === 'deal') {
    stage = 'opportunity';
    status = 'open-deal';
    updated += HOUR;
    timeline.push(entry(updated, 'deal', { from: 'sql/attempting-contact', to: 'opportunity/open-deal' }));
  }
  if (kind === 'closed') {
    stage = 'lead';
    status = 'recycled-not-ready';
    owner = undefined;
    updated += DAY;
    timeline.push(
      entry(updated, 'status', { from: 'sql/attempting-contact', to: 'lead/recycled-not-ready' }),
    );
  }
  const lead = {
    leadId: `cs${String(n).padStart(20, '0')}`,
    cycle: 1,
    version: 1,
    email: `lead${n}@plant${n % 97}.example`,
    fields: { firstName: `First${n}`, lastName: `Last${n}`, company: `Plant ${n % 500}`, country: 'DE' },
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
    ...(owner ? { ownerId: owner, handedOffAt: iso(handoff), ownerSince: iso(handoff) } : {}),
    // this handover's cadence facts, as the handoff and each attempt's write set them (ADR 0053)
    ...(owner
      ? {
          cadenceLog: {
            since: iso(handoff),
            attempts: attempts.length,
            ...(attempts.length ? { lastAt: attempts.at(-1)!.at } : {}),
          },
        }
      : {}),
    ...(stage === 'opportunity'
      ? { deal: { stageId: 'discovery', since: iso(updated), amount: 10_000 } }
      : {}),
    sent: [],
    createdAt: iso(created),
    updatedAt: iso(updated),
    timeline,
    timelineDropped: 0,
  } as unknown as LeadState;
  return { lead: TERMS && owner ? withHandoverTerms(sla, lead) : lead, attempts };
}

const runtime = await startLocalRuntime({
  sla,
  workflows: 'record',
  reconcileEveryMs: 0,
  events: { off: true, sweepEveryMs: 0 },
  clock: { now: () => new Date(NOW) },
});
// items read per request, beside the recorder's requests and units
let items = 0;
runtime.dynamoDb.middlewareStack.add(
  (next) => async (args) => {
    const result = await next(args);
    const out = result.output as {
      ScannedCount?: number;
      Item?: unknown;
      Responses?: Record<string, unknown[]>;
    };
    items +=
      out.ScannedCount ??
      (out.Item ? 1 : 0) + Object.values(out.Responses ?? {}).reduce((sum, list) => sum + list.length, 0);
    return result;
  },
  { step: 'initialize', name: 'benchItems' },
);
const recorder = recordDynamoDbCommands(runtime.dynamoDb);
const doc = DynamoDBDocumentClient.from(runtime.dynamoDb, {
  marshallOptions: { removeUndefinedValues: true },
});

try {
  const started = performance.now();
  const rnd = seededRandom(2026);
  const made = Array.from({ length: LEADS }, (_, n) => makeLead(n, rnd));
  const facts = made.flatMap(({ lead }) => factsOf(sla, lead));
  await seedTable(doc, [
    // as the deployed store writes them: a lead past contact gets no next-step entry
    ...made.map(({ lead }) => leadItem(lead, 'body', { pastContact: (l) => leadPastContact(sla, l) })),
    ...made.flatMap(({ lead, attempts }) =>
      attempts.map((attempt) => ({
        ...attemptKey(lead.leadId, attempt.attemptId),
        [ENTITY_ATTRIBUTE]: ENTITIES.attempt,
        ...attempt,
      })),
    ),
    ...facts.map((fact) => ({
      ...factKeys(fact),
      [ENTITY_ATTRIBUTE]: ENTITIES.fact,
      leadId: fact.leadId,
      fact,
    })),
  ]);
  const open = made.filter(({ lead }) => lead.ownerId);
  const perRep = TEAM.map((rep) => open.filter(({ lead }) => lead.ownerId === rep).length);
  console.log(
    `${LEADS} leads (${open.length} open with a rep; Katrin's ten reps ${Math.min(...perRep)}-${Math.max(...perRep)} each), ${made.reduce((s, m) => s + m.attempts.length, 0)} attempts, ${facts.length} report facts over a year; seeded in ${((performance.now() - started) / 1000).toFixed(0)} s`,
  );

  const katrin = await signIn(runtime, 'katrin.vogel@kessler-industrial.example');
  const jonas = await signIn(runtime, 'jonas.berger@kessler-industrial.example');
  const priya = await signIn(runtime, 'priya.shah@kessler-industrial.example');
  const someLead = open.find(({ lead, attempts }) => lead.ownerId === 'jonas' && attempts.length > 1)!.lead
    .leadId;

  const view = async (who: string, cookie: string, target: string) => {
    recorder.reset();
    items = 0;
    const start = performance.now();
    const response = await consoleFetch(runtime, 'GET', target, { cookie });
    const ms = performance.now() - start;
    const units = recorder.commands.reduce((sum, command) => sum + command.capacityUnits, 0);
    const bytes = Buffer.byteLength(response.text);
    console.log(
      `${`${who} ${target}`.padEnd(62)} ${String(response.status).padStart(3)} ${String(recorder.commands.length).padStart(6)} req ${units.toFixed(1).padStart(9)} RCU ${String(items).padStart(7)} items ${(ms / 1000).toFixed(2).padStart(6)} s ${String(bytes).padStart(8)} B`,
    );
    return response.text;
  };

  // warm the routes (the first request loads the handler modules)
  await consoleFetch(runtime, 'GET', '/console/sla', { cookie: priya });
  await view('manager', katrin, '/console');
  await view('rep', jonas, '/console');
  await view('ops', priya, '/console');
  let text = await view('manager', katrin, '/console/leads');
  for (let page = 2; page <= 3; page++) {
    const href = /href="(\/console\/leads\?[^"]*cursor=[^"]+)"/.exec(text)?.[1]?.replace(/&amp;/g, '&');
    if (!href) break;
    text = await view('manager', katrin, href);
  }
  await view('manager', katrin, '/console/leads?owner=jonas');
  await view('manager', katrin, '/console/leads?status=attempting-contact');
  await view('manager', katrin, '/console/leads?stage=sql');
  await view('manager', katrin, '/console/leads?q=last12');
  await view('manager', katrin, '/console/leads?q=first123');
  await view('rep', jonas, '/console/leads?q=first123');
  await view('ops', priya, '/console/leads?q=first123');
  await view('manager', katrin, '/console/leads?overdue=true');
  await view('manager', katrin, '/console/leads?due=today');
  await view('manager', katrin, '/console/leads?owner=jonas&due=today');
  await view('rep', jonas, '/console/leads');
  await view('ops', priya, '/console/leads');
  await view('ops', priya, '/console/leads?stage=mql');
  await view('manager', katrin, `/console/leads/${someLead}`);
  for (const period of ['last-week', '7d', '30d'])
    await view('manager', katrin, `/console/reports?period=${period}`);
  await view('manager', katrin, '/console/reports?period=custom&from=2025-12-03&to=2026-12-02');
  await view('rep', jonas, '/console/reports?period=30d');
  await view('ops', priya, '/console/reports?period=30d');
  await view('manager', katrin, '/console/sla');
} finally {
  await runtime.close();
}
