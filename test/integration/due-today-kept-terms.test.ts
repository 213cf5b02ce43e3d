/**
 * "Due today" (the console overview's "Due today, per rep", `/console/leads?due=today`: listLeads with `dueBy`)
 * by the terms each handover keeps (ADR 0059): a lead whose first touch has no attempt yet has its next step at
 * the deadline its handover was given, whatever SLA is deployed since. On dynalite and in the in-memory twin,
 * compared with the exact reference (every lead read with its attempts and judged by its standing):
 * - after a looser SLA (24 hours for every lead type, each later step two business days on), the leads whose
 *   kept deadline falls today are listed (ADR 0065: they were left off until the deployed deadline fell due too),
 *   under onReassign restart (the next-step index's bucket `00`) and continue (a reassigned lead: bucket `--`);
 * - after a stricter SLA (1 business hour), a lead whose kept deadline is tomorrow is not listed, nor read;
 * - a lead keyed as before ADR 0065 is listed as before until the deploy's migration re-keys it, then by its terms.
 */

import { GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { DynamoDbLeadQueries } from '../../lambdas/adapters/dynamodb-lead-queries.ts';
import { DynamoDbLeadStore } from '../../lambdas/adapters/dynamodb-lead-store.ts';
import { MemoryLeadQueries } from '../../lambdas/adapters/memory-lead-queries.ts';
import { MemoryLeadStore } from '../../lambdas/adapters/memory-lead-store.ts';
import { keyTime } from '../../lambdas/adapters/table-definition.ts';
import { endOfDay } from '../../lambdas/api/console/views.ts';
import type { ApiDeps } from '../../lambdas/api/deps.ts';
import { type LeadListItem, listLeads, listQuerySchema } from '../../lambdas/api/lead-list.ts';
import { type Viewer, viewerFor } from '../../lambdas/api/viewer.ts';
import { parseDuration } from '../../lambdas/domain/duration.ts';
import { withHandoverTerms } from '../../lambdas/domain/handover-terms.ts';
import type { Attempt, LeadState, TimelineEntry } from '../../lambdas/domain/lead-state.ts';
import type { Sla } from '../../lambdas/domain/sla-schema.ts';
import { cadenceLogAfter, leadPastContact } from '../../lambdas/domain/sla-standing.ts';
import type { LeadStore } from '../../lambdas/ports/lead-store.ts';
import { migrateLeads } from '../../lambdas/tasks/migrate-leads.ts';
import { useDynalite } from '../support/dynalite.ts';
import { withRep } from '../support/sla.ts';

/** Wednesday 2 December 2026, 15:00 in Berlin; the day ends at 23:00Z */
const NOW = new Date('2026-12-02T14:00:00.000Z');
const DUE_BY = new Date(endOfDay(NOW, 'Europe/Berlin')).toISOString();

/** the default SLA (first touch within 4 business hours), Sofia away this week, onReassign as asked */
function testSla(onReassign: 'restart' | 'continue'): Sla {
  const sla = withRep('sofia', { outOfOffice: [{ from: '2026-11-30', to: '2026-12-06' }] });
  return { ...sla, contact: { ...sla.contact, onReassign } };
}

/** a later, looser deploy: first touch within 24 hours for every lead type, each later step 2 business days on */
function looserSla(sla: Sla): Sla {
  const day = parseDuration('24h')!;
  const twoDays = parseDuration('2bd')!;
  return {
    ...sla,
    version: `${sla.version}-loose`,
    handoff: { ...sla.handoff, firstTouchWithin: day },
    leadTypes: sla.leadTypes.map((type) =>
      type.overrides.handoff?.firstTouchWithin
        ? {
            ...type,
            overrides: { ...type.overrides, handoff: { ...type.overrides.handoff, firstTouchWithin: day } },
          }
        : type,
    ),
    contact: {
      ...sla.contact,
      cadences: sla.contact.cadences.map((cadence) => ({
        ...cadence,
        steps: cadence.steps.map((step, i) => (i === 0 ? step : { ...step, delay: twoDays })),
      })),
    },
  };
}

/** a later, stricter deploy: first touch within 1 business hour */
function stricterSla(sla: Sla): Sla {
  return {
    ...sla,
    version: `${sla.version}-strict`,
    handoff: { ...sla.handoff, firstTouchWithin: parseDuration('1bh')! },
  };
}

interface Spec {
  readonly name: string;
  readonly owner: string;
  /** handed over (ISO) */
  readonly handoff: string;
  /** reassigned to `owner` by a person at this time (ISO); `from` had it before */
  readonly reassigned?: { readonly at: string; readonly from: string };
  readonly attempts?: readonly string[];
  /** the handover stored the terms of the SLA in force then (ADR 0059), or none (a handover before it) */
  readonly terms: boolean;
}

/** A lead in contact as the writes make it: the handoff's facts, each attempt's, a reassignment's, the terms. */
function leadOf(sla: Sla, spec: Spec, n: number): { lead: LeadState; attempts: Attempt[] } {
  const iso = (when: string | number) => new Date(when).toISOString();
  const created = Date.parse(spec.handoff) - 2 * 3_600_000;
  const entry = (when: string | number, kind: TimelineEntry['kind'], extra: Partial<TimelineEntry>) =>
    ({ at: iso(when), kind, by: 'workflow', reasons: [], ...extra }) as TimelineEntry;
  const first = spec.reassigned?.from ?? spec.owner;
  let lead = {
    leadId: `kept${String(n).padStart(4, '0')}`,
    cycle: 1,
    version: 1,
    email: `${spec.name.toLowerCase()}@plant.example`,
    fields: { firstName: 'Lead', lastName: spec.name, company: `${spec.name} GmbH` },
    marketingConsent: true,
    unsubscribed: false,
    undeliverable: false,
    slaVersion: sla.version,
    judgedAt: iso(created),
    stage: 'sql',
    status: 'new',
    leadType: 'equipment-sales',
    journeyStage: 'awareness',
    fit: 50,
    fitTier: 'B',
    engagement: 20,
    total: 70,
    ownerId: first,
    handedOffAt: iso(spec.handoff),
    ownerSince: iso(spec.handoff),
    cadenceLog: { since: iso(spec.handoff), attempts: 0 },
    sent: [],
    createdAt: iso(created),
    updatedAt: iso(Date.parse(spec.handoff) + n * 60_000),
    timeline: [
      entry(created, 'created', { to: 'mql', by: 'form' }),
      entry(spec.handoff, 'owner', { to: first }),
      ...(spec.reassigned ? [entry(spec.reassigned.at, 'owner', { from: first, to: spec.owner })] : []),
    ],
    timelineDropped: 0,
    // in flight: its workflow waits for a timer (the due index lists it; the deploy's migration walks it)
    dueAt: '2026-12-02T16:00:00.000Z',
  } as unknown as LeadState;
  if (spec.terms) lead = withHandoverTerms(sla, lead);
  const attempts: Attempt[] = [];
  for (const [i, when] of (spec.attempts ?? []).entries()) {
    const made = { attemptId: `a-${n}-${i}`, at: iso(when), outcomeId: 'no-answer' };
    lead = { ...lead, status: 'attempting-contact', cadenceLog: cadenceLogAfter(sla, lead, made, attempts) };
    attempts.push(made);
  }
  if (spec.reassigned) {
    // a person's reassignment (api/lead-manage.ts): a new handover with the terms of the SLA in force; under
    // restart the facts start again (none yet), under continue they stand (the next-step index's `--`)
    const ownerSince = iso(spec.reassigned.at);
    const moved = {
      ...lead,
      ownerId: spec.owner,
      ownerSince,
      updatedAt: iso(Date.parse(ownerSince) + n * 60_000),
    };
    const facts =
      sla.contact.onReassign === 'restart' ? { cadenceLog: { since: ownerSince, attempts: 0 } } : {};
    lead = withHandoverTerms(sla, { ...moved, ...facts } as LeadState);
  }
  return { lead, attempts };
}

async function arrange(
  sla: Sla,
  specs: readonly Spec[],
  store: LeadStore,
  observer?: MemoryLeadQueries,
): Promise<void> {
  for (const [n, spec] of specs.entries()) {
    const { lead, attempts } = leadOf(sla, spec, n);
    expect(await store.createLead(lead)).toBe('created');
    await observer?.leadWritten(lead);
    for (const attempt of attempts) await store.appendAttempt(lead.leadId, attempt);
  }
}

function depsOf(sla: Sla, store: LeadStore, queries: ApiDeps['queries']): ApiDeps {
  return { sla, store, queries, clock: { now: () => new Date(NOW) } } as unknown as ApiDeps;
}

/** every page of "due today", `limit` at a time */
async function duePages(deps: ApiDeps, viewer: Viewer, limit: number): Promise<LeadListItem[]> {
  const schema = listQuerySchema(deps.sla);
  const items: LeadListItem[] = [];
  let cursor: string | undefined;
  do {
    const page = await listLeads(
      deps,
      viewer,
      schema.parse({ limit: String(limit), ...(cursor ? { cursor } : {}) }),
      { dueBy: DUE_BY },
    );
    items.push(...page.items);
    cursor = page.next ?? undefined;
  } while (cursor);
  return items;
}

/** The reference: every lead the viewer may see, read with its attempts, whose next step is due before the day's end. */
async function reference(deps: ApiDeps, viewer: Viewer): Promise<LeadListItem[]> {
  const schema = listQuerySchema(deps.sla);
  const all: LeadListItem[] = [];
  let cursor: string | undefined;
  do {
    const page = await listLeads(deps, viewer, schema.parse({ limit: '100', ...(cursor ? { cursor } : {}) }));
    all.push(...page.items);
    cursor = page.next ?? undefined;
  } while (cursor);
  const position = (item: LeadListItem) => `${keyTime(item.updatedAt)}#${item.id}`;
  return all
    .filter((item) => item.sla.nextStep?.dueAt && item.sla.nextStep.dueAt < DUE_BY)
    .sort((a, b) => (position(a) < position(b) ? 1 : position(a) > position(b) ? -1 : 0));
}

const names = (items: readonly LeadListItem[]) => items.map((item) => item.name);

/** A store and its twin with the same leads, read under `deployed`; the dynalite store told its rule, as deployed. */
async function bothSides(
  db: ReturnType<typeof useDynalite>,
  before: Sla,
  deployed: Sla,
  specs: readonly Spec[],
): Promise<{ deps: ApiDeps; memory: ApiDeps; store: DynamoDbLeadStore }> {
  const store = new DynamoDbLeadStore(db.doc, {
    tableName: db.tableName,
    indexRules: { pastContact: (lead) => leadPastContact(deployed, lead) },
  });
  await arrange(before, specs, store);
  await store.markIndexesComplete();
  const memoryStore = new MemoryLeadStore();
  const twin = new MemoryLeadQueries(deployed);
  await arrange(before, specs, memoryStore, twin);
  return {
    deps: depsOf(deployed, store, new DynamoDbLeadQueries(db.doc, db.tableName)),
    memory: depsOf(deployed, memoryStore, twin),
    store,
  };
}

/** handed over under the default SLA (4 business hours), Berlin's working day 08:00-17:00 */
const LOOSER_CASE: readonly Spec[] = [
  // Wednesday 12:00 Berlin: kept due 16:00 today (the deployed 24 hours: tomorrow)
  { name: 'KeptDueThisAfternoon', owner: 'jonas', handoff: '2026-12-02T11:00:00Z', terms: true },
  // Wednesday 09:00: kept due 13:00, passed (the deployed: tomorrow 09:00)
  { name: 'KeptDueThisMorning', owner: 'lena', handoff: '2026-12-02T08:00:00Z', terms: true },
  // Wednesday 14:30: kept due Thursday 09:30, not today
  { name: 'KeptDueTomorrow', owner: 'jonas', handoff: '2026-12-02T13:30:00Z', terms: true },
  // no terms: the deployed 24 hours (Tuesday 10:00 + 24 h: today; Wednesday 09:00 + 24 h: tomorrow)
  { name: 'NoTermsDueToday', owner: 'lena', handoff: '2026-12-01T09:00:00Z', terms: false },
  { name: 'NoTermsDueTomorrow', owner: 'jonas', handoff: '2026-12-02T08:00:00Z', terms: false },
  // touched on Monday: step 2 follows the deployed cadence, 2 business days after the attempt (today 10:00)
  {
    name: 'KeptTouchedMonday',
    owner: 'jonas',
    handoff: '2026-11-30T08:00:00Z',
    attempts: ['2026-11-30T09:00:00Z'],
    terms: true,
  },
  // handed to Mats Wednesday 08:30, given to Lena by a person at 10:00 under the 4 business hours: under
  // restart due 14:00, under continue (the handoff's clock) 12:30; both passed, the deployed ones tomorrow
  {
    name: 'KeptReassigned',
    owner: 'lena',
    handoff: '2026-12-02T07:30:00Z',
    reassigned: { at: '2026-12-02T09:00:00Z', from: 'mats' },
    terms: true,
  },
];

describe('"due today" by the terms each handover keeps (ADR 0059, ADR 0065)', () => {
  const db = useDynalite();

  for (const onReassign of ['restart', 'continue'] as const)
    it(`lists a lead whose kept deadline falls today after a looser SLA is deployed, on dynalite and in the twin (onReassign ${onReassign})`, async () => {
      // Arrange: handed over under the default SLA; then the looser one deployed; now Wednesday 15:00 Berlin
      const before = testSla(onReassign);
      const deployed = looserSla(before);
      const { deps, memory } = await bothSides(db, before, deployed, LOOSER_CASE);
      const katrin = viewerFor(deployed, 'manager', 'katrin');
      const jonas = viewerFor(deployed, 'rep', 'jonas');
      const ops = viewerFor(deployed, 'ops', 'priya');

      for (const [who, viewer] of [
        ['katrin', katrin],
        ['jonas', jonas],
        ['ops', ops],
      ] as const) {
        // Act
        const expected = await reference(deps, viewer);
        const listed = await duePages(deps, viewer, 2);
        const twinListed = await duePages(memory, viewer, 2);

        // Assert: what reading every lead answers, on both sides
        expect(names(listed).sort(), who).toEqual(names(expected).sort());
        if (viewer !== ops) expect(listed, who).toEqual(expected);
        expect(names(twinListed), `${who} (twin)`).toEqual(names(listed));
      }
      // the kept deadlines of today are there; tomorrow's and the deployed deadline of tomorrow are not
      expect(names(await reference(deps, katrin)).sort()).toEqual(
        [
          'KeptDueThisAfternoon',
          'KeptDueThisMorning',
          'KeptReassigned',
          'KeptTouchedMonday',
          'NoTermsDueToday',
        ].map((name) => `Lead ${name}`),
      );
      const afternoon = (await duePages(deps, jonas, 25)).find(
        (item) => item.name === 'Lead KeptDueThisAfternoon',
      );
      expect(afternoon?.sla.nextStep).toEqual({ step: 1, of: 6, dueAt: '2026-12-02T15:00:00.000Z' });
    });

  it('does not list (nor read) a lead whose kept deadline is tomorrow after a stricter SLA is deployed', async () => {
    // Arrange: Wednesday 14:30 Berlin under 4 business hours (due Thursday 09:30); 1 business hour deployed
    // (due 15:30 today by it); and a lead without terms handed over at the same moment (the deployed hour)
    const before = testSla('restart');
    const deployed = stricterSla(before);
    const specs: Spec[] = [
      { name: 'KeptDueTomorrow', owner: 'jonas', handoff: '2026-12-02T13:30:00Z', terms: true },
      { name: 'NoTermsDueToday', owner: 'jonas', handoff: '2026-12-02T13:30:00Z', terms: false },
    ];
    const { deps, memory, store } = await bothSides(db, before, deployed, specs);
    let reads = 0;
    const counting = new Proxy(store, {
      get(target, name, receiver) {
        if (name === 'getLead') reads++;
        return Reflect.get(target, name, receiver);
      },
    });
    const jonas = viewerFor(deployed, 'rep', 'jonas');
    const expected = await reference(deps, jonas);

    // Act
    const listed = await duePages({ ...deps, store: counting } as ApiDeps, jonas, 25);
    const twinListed = await duePages(memory, jonas, 25);

    // Assert: the lead follows its standing (tomorrow), as the workflow and the overdue list do
    expect(names(expected)).toEqual(['Lead NoTermsDueToday']);
    expect(listed).toEqual(expected);
    expect(twinListed).toEqual(expected);
    expect(reads).toBe(1);
  });

  it("lists a lead keyed as before ADR 0065 as before, and by its kept deadline once the deploy's migration re-keys it", async () => {
    // Arrange: the lead due this afternoon by its terms, its next-step entry keyed as written before
    const before = testSla('restart');
    const deployed = looserSla(before);
    const specs = [LOOSER_CASE[0]!];
    const { deps, store } = await bothSides(db, before, deployed, specs);
    const { lead } = leadOf(before, specs[0]!, 0);
    const oldKey = `00#${keyTime(lead.handedOffAt!)}#${lead.leadId}`;
    await db.doc.send(
      new UpdateCommand({
        TableName: db.tableName,
        Key: { pk: `LEAD#${lead.leadId}`, sk: 'STATE' },
        UpdateExpression: 'SET gsi10sk = :sk',
        ExpressionAttributeValues: { ':sk': oldKey },
      }),
    );
    const jonas = viewerFor(deployed, 'rep', 'jonas');
    const unmoved = names(await duePages(deps, jonas, 25));
    const read = await store.getLead(lead.leadId);

    // Act
    const report = await migrateLeads({ store, sla: deployed, clock: { now: () => new Date(NOW) } });

    // Assert: left off by the deployed deadline while keyed as before (never worse than before); listed once
    // keyed by the deadline it kept; the lead itself unchanged; a second look finds nothing to do
    expect(unmoved).toEqual([]);
    expect(report.indexed).toBe(1);
    expect(names(await duePages(deps, jonas, 25))).toEqual(['Lead KeptDueThisAfternoon']);
    const { gsi10sk } = (
      await db.doc.send(
        new GetCommand({ TableName: db.tableName, Key: { pk: `LEAD#${lead.leadId}`, sk: 'STATE' } }),
      )
    ).Item!;
    expect(gsi10sk).not.toBe(oldKey);
    expect(await store.getLead(lead.leadId)).toEqual(read);
    expect(await store.indexLead(lead.leadId)).toBe('unchanged');
  });
});
