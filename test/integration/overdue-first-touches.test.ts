/**
 * The overdue first touches list (GET /leads?overdue=true, the console overview's table) served by the
 * first-touch index (ADR 0044): on dynalite and in the in-memory twin it answers exactly what reading every
 * handed-over lead answers (the reference below: every lead the viewer may see, in any status, whose current
 * handover's first touch is late: ADR 0072), page by page, for ops, managers and a rep, over a
 * mixed set of leads; it reads only the leads it shows (and the one that says a next page exists); and a
 * lead written before the index is listed once the SLA migration of the deploy gave it its entries.
 */

import { GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { DynamoDbLeadQueries } from '../../lambdas/adapters/dynamodb-lead-queries.ts';
import { DynamoDbLeadStore } from '../../lambdas/adapters/dynamodb-lead-store.ts';
import { decodeBody, encodeBody, leadItem } from '../../lambdas/adapters/lead-item.ts';
import { MemoryLeadQueries } from '../../lambdas/adapters/memory-lead-queries.ts';
import { MemoryLeadStore } from '../../lambdas/adapters/memory-lead-store.ts';
import { keyTime } from '../../lambdas/adapters/table-definition.ts';
import type { ApiDeps } from '../../lambdas/api/deps.ts';
import { type LeadListItem, listLeads, listQuerySchema } from '../../lambdas/api/lead-list.ts';
import { type Viewer, viewerFor } from '../../lambdas/api/viewer.ts';
import { parseDuration } from '../../lambdas/domain/duration.ts';
import { withHandoverTerms } from '../../lambdas/domain/handover-terms.ts';
import type { Attempt, LeadState, TimelineEntry } from '../../lambdas/domain/lead-state.ts';
import type { Sla } from '../../lambdas/domain/sla-schema.ts';
import type { LeadStore } from '../../lambdas/ports/lead-store.ts';
import { migrateLeads } from '../../lambdas/tasks/migrate-leads.ts';
import { useDynalite } from '../support/dynalite.ts';
import { withRep } from '../support/sla.ts';

/** Wednesday 2 December 2026, 15:00 in Berlin (09:00 in Chicago) */
const NOW = new Date('2026-12-02T14:00:00.000Z');
const HOUR = 3_600_000;
const at = (iso: string) => new Date(iso).toISOString();

/** the default SLA, with Sofia out of office this week (an owner away) */
function testSla(): Sla {
  return withRep('sofia', { outOfOffice: [{ from: '2026-11-30', to: '2026-12-06' }] });
}

interface Spec {
  readonly name: string;
  readonly owner?: string;
  /** handed over (ISO) */
  readonly handoff?: string;
  /** reassigned to `owner` at this time (ISO); `from` had it before */
  readonly reassigned?: { readonly at: string; readonly from: string };
  readonly status?: string;
  readonly stage?: LeadState['stage'];
  readonly leadType?: string;
  readonly attempts?: readonly string[];
  readonly erased?: boolean;
  /** last write (ISO); default: the latest of handoff, reassignment and attempts, plus the lead's index in minutes */
  readonly updated?: string;
}

/** the mixed set: overdue, not yet due, touched, recycled, erased, reassigned, an owner away, another type */
const SPECS: readonly Spec[] = [
  { name: 'OverdueMonday', owner: 'jonas', handoff: '2026-11-30T09:00:00Z' },
  { name: 'OverdueTuesday', owner: 'lena', handoff: '2026-12-01T08:00:00Z' },
  { name: 'OverdueWeekend', owner: 'lena', handoff: '2026-11-28T11:00:00Z' },
  { name: 'OverdueChicago', owner: 'carla', handoff: '2026-12-01T15:00:00Z' },
  { name: 'OverdueMats', owner: 'mats', handoff: '2026-11-27T09:00:00Z' },
  { name: 'OverdueMike', owner: 'mike', handoff: '2026-11-26T16:00:00Z' },
  {
    name: 'OverdueLongAgo',
    owner: 'jonas',
    handoff: '2026-10-05T09:00:00Z',
    updated: '2026-10-20T09:00:00Z',
  },
  { name: 'NotYetDue', owner: 'jonas', handoff: '2026-12-02T13:30:00Z' },
  { name: 'NotYetDueChicago', owner: 'mike', handoff: '2026-12-02T13:00:00Z' },
  // handed over at the same moment: the existing customer's 2 business hours passed, the 4 have not
  {
    name: 'CustomerTypeOverdue',
    owner: 'jonas',
    handoff: '2026-12-02T11:30:00Z',
    leadType: 'existing-customer',
  },
  { name: 'EquipmentNotYetDue', owner: 'jonas', handoff: '2026-12-02T11:30:00Z' },
  {
    name: 'Touched',
    owner: 'jonas',
    handoff: '2026-11-30T09:00:00Z',
    status: 'attempting-contact',
    attempts: ['2026-11-30T10:00:00Z'],
  },
  // an attempt logged, the status not moved (a late first touch): breached, but met, so not listed
  {
    name: 'LateTouchStillNew',
    owner: 'lena',
    handoff: '2026-11-30T09:00:00Z',
    attempts: ['2026-12-01T16:00:00Z'],
  },
  {
    name: 'Recycled',
    owner: 'lena',
    handoff: '2026-11-20T09:00:00Z',
    stage: 'lead',
    status: 'recycled-not-ready',
    attempts: ['2026-11-20T10:00:00Z'],
  },
  { name: 'Erased', owner: 'jonas', handoff: '2026-11-30T09:00:00Z', erased: true },
  // onReassign: restart: Lena's clock started an hour ago
  {
    name: 'ReassignedFresh',
    owner: 'lena',
    handoff: '2026-11-30T09:00:00Z',
    reassigned: { at: '2026-12-02T13:00:00Z', from: 'jonas' },
  },
  {
    name: 'ReassignedOverdue',
    owner: 'mike',
    handoff: '2026-11-27T09:00:00Z',
    reassigned: { at: '2026-12-01T09:00:00Z', from: 'carla' },
  },
  { name: 'OwnerAway', owner: 'sofia', handoff: '2026-11-30T10:00:00Z', leadType: 'maintenance-services' },
  { name: 'OwnerNotInSla', owner: 'ghost', handoff: '2026-11-30T10:00:00Z' },
  // Jonas called (no answer), then Lena got it (restart): "Attempting contact", her first touch late (ADR 0072)
  {
    name: 'AttemptedThenReassigned',
    owner: 'lena',
    handoff: '2026-11-30T09:00:00Z',
    status: 'attempting-contact',
    attempts: ['2026-11-30T10:00:00Z'],
    reassigned: { at: '2026-12-01T09:00:00Z', from: 'jonas' },
  },
  // ...and Lena called too: her first touch is made
  {
    name: 'ReassignedThenAttempted',
    owner: 'lena',
    handoff: '2026-11-30T09:00:00Z',
    status: 'attempting-contact',
    attempts: ['2026-11-30T10:00:00Z', '2026-12-01T15:00:00Z'],
    reassigned: { at: '2026-12-01T09:00:00Z', from: 'jonas' },
  },
  { name: 'Customer', owner: 'jonas', handoff: '2026-11-30T10:00:00Z', stage: 'customer', status: 'won' },
  { name: 'Marketing' },
];

function leadOf(sla: Sla, spec: Spec, n: number): { lead: LeadState; attempts: Attempt[] } {
  const created = spec.handoff ? Date.parse(spec.handoff) - 2 * HOUR : NOW.getTime() - 5 * HOUR;
  const entry = (when: string, kind: TimelineEntry['kind'], extra: Partial<TimelineEntry>) =>
    ({ at: at(when), kind, by: 'workflow', reasons: [], ...extra }) as TimelineEntry;
  const timeline: TimelineEntry[] = [
    entry(new Date(created).toISOString(), 'created', { to: 'mql', by: 'form' }),
  ];
  const firstOwner = spec.reassigned?.from ?? spec.owner;
  if (spec.handoff && firstOwner) timeline.push(entry(spec.handoff, 'owner', { to: firstOwner }));
  if (spec.reassigned)
    timeline.push(entry(spec.reassigned.at, 'owner', { from: spec.reassigned.from, to: spec.owner }));
  const attempts = (spec.attempts ?? []).map((when, i) => ({
    attemptId: `a-${n}-${i}`,
    at: at(when),
    outcomeId: 'no-answer',
    repId: spec.owner,
  }));
  const times = [spec.handoff, spec.reassigned?.at, ...(spec.attempts ?? [])]
    .filter((t): t is string => t !== undefined)
    .map((t) => Date.parse(t));
  const updated = spec.updated ? Date.parse(spec.updated) : Math.max(created, ...times) + n * 60_000;
  // the cadence facts its writers keep (ADR 0053): counted from the current handover (onReassign: restart); a
  // recycle drops them
  const since = spec.reassigned?.at ?? spec.handoff;
  const counted = attempts.filter((attempt) => since && Date.parse(attempt.at) >= Date.parse(since));
  const cadenceLog =
    since && spec.owner && (spec.stage ?? 'sql') === 'sql'
      ? {
          since: at(since),
          attempts: counted.length,
          ...(counted.length ? { lastAt: counted.at(-1)!.at } : {}),
        }
      : undefined;
  const lead = {
    leadId: `overdue${String(n).padStart(4, '0')}`,
    cycle: 1,
    version: 1,
    ...(spec.erased
      ? { erasedAt: new Date(updated).toISOString() }
      : { email: `${spec.name.toLowerCase()}@plant.example` }),
    fields: spec.erased ? {} : { firstName: 'Lead', lastName: spec.name, company: `${spec.name} GmbH` },
    marketingConsent: true,
    unsubscribed: false,
    undeliverable: false,
    slaVersion: sla.version,
    judgedAt: new Date(created).toISOString(),
    stage: spec.stage ?? (spec.owner ? 'sql' : 'mql'),
    status: spec.status ?? (spec.owner ? 'new' : 'nurturing'),
    leadType: spec.leadType ?? 'equipment-sales',
    journeyStage: 'awareness',
    fit: 50,
    fitTier: 'B',
    engagement: 20,
    total: 70,
    ...(spec.owner && spec.handoff
      ? {
          ownerId: spec.owner,
          handedOffAt: at(spec.handoff),
          ownerSince: at(spec.reassigned?.at ?? spec.handoff),
        }
      : {}),
    ...(cadenceLog ? { cadenceLog } : {}),
    sent: [],
    createdAt: new Date(created).toISOString(),
    updatedAt: new Date(updated).toISOString(),
    timeline,
    timelineDropped: 0,
  } as unknown as LeadState;
  return { lead, attempts };
}

async function arrange(sla: Sla, store: LeadStore, observer?: MemoryLeadQueries): Promise<void> {
  for (const [n, spec] of SPECS.entries()) {
    const { lead, attempts } = leadOf(sla, spec, n);
    expect(await store.createLead(lead)).toBe('created');
    await observer?.leadWritten(lead);
    for (const attempt of attempts) await store.appendAttempt(lead.leadId, attempt);
  }
}

function depsOf(sla: Sla, store: LeadStore, queries: ApiDeps['queries']): ApiDeps {
  return {
    sla,
    store,
    queries,
    clock: { now: () => new Date(NOW) },
  } as unknown as ApiDeps;
}

/** every page of the overdue list, `limit` at a time */
async function overduePages(deps: ApiDeps, viewer: Viewer, limit: number): Promise<LeadListItem[][]> {
  const schema = listQuerySchema(deps.sla);
  const pages: LeadListItem[][] = [];
  let cursor: string | undefined;
  do {
    const page = await listLeads(
      deps,
      viewer,
      schema.parse({ overdue: 'true', limit: String(limit), ...(cursor ? { cursor } : {}) }),
    );
    pages.push(page.items);
    cursor = page.next ?? undefined;
  } while (cursor);
  return pages;
}

/**
 * The reference: every open lead of each rep of the SLA the viewer may see (all of the pages of the rep's list, in
 * any status), whose current handover has no first touch and is past its deadline, newest update first. (Before
 * ADR 0072 the index and this reference read the SLA's handoff status only.)
 */
async function reference(deps: ApiDeps, viewer: Viewer): Promise<LeadListItem[]> {
  const schema = listQuerySchema(deps.sla);
  const owners = viewer.owners ?? deps.sla.routing.reps.map((rep) => rep.id);
  const all: LeadListItem[] = [];
  for (const owner of owners) {
    let cursor: string | undefined;
    do {
      const page = await listLeads(
        deps,
        viewer,
        schema.parse({ owner, limit: '100', ...(cursor ? { cursor } : {}) }),
      );
      all.push(...page.items);
      cursor = page.next ?? undefined;
    } while (cursor);
  }
  const position = (item: LeadListItem) => `${keyTime(item.updatedAt)}#${item.id}`;
  return all
    .filter(
      (item) =>
        item.owner !== null &&
        owners.includes(item.owner.id) &&
        item.sla.firstTouch?.state === 'breached' &&
        item.sla.firstTouch.metAt === null,
    )
    .sort((a, b) => (position(a) < position(b) ? 1 : position(a) > position(b) ? -1 : 0));
}

const VIEWERS = (sla: Sla): [string, Viewer][] => [
  ['ops', viewerFor(sla, 'ops', 'priya')],
  ['manager katrin', viewerFor(sla, 'manager', 'katrin')],
  ['manager dan', viewerFor(sla, 'manager', 'dan')],
  ['rep jonas', viewerFor(sla, 'rep', 'jonas')],
  ['rep lena', viewerFor(sla, 'rep', 'lena')],
];

describe('overdue first touches from the first-touch index', () => {
  const db = useDynalite();

  it('answers what reading every handed-over lead answers, in any status, page by page, on dynalite and in the twin', async () => {
    // Arrange: the same leads in dynalite and in the in-memory store and its twin
    const sla = testSla();
    const store = new DynamoDbLeadStore(db.doc, { tableName: db.tableName });
    const deps = depsOf(sla, store, new DynamoDbLeadQueries(db.doc, db.tableName));
    await arrange(sla, store);
    const memoryStore = new MemoryLeadStore();
    const twin = new MemoryLeadQueries(sla);
    await arrange(sla, memoryStore, twin);
    const memory = depsOf(sla, memoryStore, twin);

    for (const [who, viewer] of VIEWERS(sla)) {
      // Act
      const expected = await reference(deps, viewer);
      const pages = await overduePages(deps, viewer, 3);
      const twinPages = await overduePages(memory, viewer, 3);

      // Assert: the same items in the same order, three at a time
      expect(pages.flat(), who).toEqual(expected);
      expect(twinPages.flat(), `${who} (twin)`).toEqual(expected);
      expect(
        pages.slice(0, -1).every((page) => page.length === 3),
        who,
      ).toBe(true);
    }
    // the set is mixed as intended: ops sees every overdue lead of the SLA's reps, and only those
    const names = (await reference(deps, viewerFor(sla, 'ops', 'priya'))).map((item) => item.name);
    expect(names.sort()).toEqual(
      [
        'AttemptedThenReassigned',
        'CustomerTypeOverdue',
        'OverdueChicago',
        'OverdueLongAgo',
        'OverdueMats',
        'OverdueMike',
        'OverdueMonday',
        'OverdueTuesday',
        'OverdueWeekend',
        'OwnerAway',
        'ReassignedOverdue',
      ].map((name) => `Lead ${name}`),
    );
  });

  it("lists a lead written before the index once the deploy's migration gives it its entries", async () => {
    // Arrange: Jonas's overdue lead as written before GSI8: no gsi8 keys, handedOffAt and ownerSince in the body
    const sla = testSla();
    const store = new DynamoDbLeadStore(db.doc, { tableName: db.tableName });
    const deps = depsOf(sla, store, new DynamoDbLeadQueries(db.doc, db.tableName));
    const { lead } = leadOf(sla, SPECS[0]!, 0);
    const due = { ...lead, dueAt: '2026-12-02T15:00:00.000Z' };
    const item = leadItem(due);
    const rest = decodeBody(item.body, due.leadId);
    item.body = encodeBody({ ...rest, handedOffAt: due.handedOffAt, ownerSince: due.ownerSince });
    for (const name of ['gsi8pk', 'gsi8sk', 'handedOffAt', 'ownerSince']) delete item[name];
    await db.doc.send(new PutCommand({ TableName: db.tableName, Item: item }));
    const viewer = viewerFor(sla, 'rep', 'jonas');
    const before = await overduePages(deps, viewer, 25);
    const read = await store.getLead(due.leadId);

    // Act
    const report = await migrateLeads({ store, sla, clock: { now: () => new Date(NOW) } });

    // Assert: listed now, the lead itself unchanged but for the cadence facts the next-step index is keyed by
    // (ADR 0053: no attempt since its handoff); a second run finds nothing to add
    expect(before.flat()).toEqual([]);
    expect(report.indexed).toBe(1);
    expect((await overduePages(deps, viewer, 25)).flat().map((item) => item.name)).toEqual([
      'Lead OverdueMonday',
    ]);
    expect(await store.getLead(due.leadId)).toEqual({
      ...read,
      cadenceLog: { since: new Date(due.handedOffAt!).toISOString(), attempts: 0 },
    });
    expect(await store.indexLead(due.leadId)).toBe('unchanged');
  });

  it('reads only the leads it shows, and the one that says a next page exists', async () => {
    // Arrange: 3 overdue leads, then 30 handed over in the last hour (not yet due), newer than all of them
    const sla = testSla();
    const store = new DynamoDbLeadStore(db.doc, { tableName: db.tableName });
    const deps = depsOf(sla, store, new DynamoDbLeadQueries(db.doc, db.tableName));
    await arrange(sla, store);
    for (let i = 0; i < 30; i++) {
      const { lead } = leadOf(
        sla,
        { name: `Fresh${i}`, owner: 'jonas', handoff: '2026-12-02T13:15:00Z' },
        100 + i,
      );
      await store.createLead(lead);
    }
    const viewer = viewerFor(sla, 'rep', 'jonas');
    db.resetRecording();

    // Act
    const page = await listLeads(deps, viewer, listQuerySchema(sla).parse({ overdue: 'true', limit: '2' }));

    // Assert: Jonas's 3 overdue leads: 2 shown, the third read to know a next page exists; none of the 30, nor
    // his touched lead; and the index pass's item (whether untouched leads may still be keyed by status: ADR 0072)
    expect(page.items.map((item) => item.name)).toEqual(['Lead CustomerTypeOverdue', 'Lead OverdueMonday']);
    expect(page.next).not.toBeNull();
    const reads = db.commandNames().filter((name) => name === 'GetItemCommand').length;
    expect(reads).toBe(3 + 1);
  });
});

/** the test SLA with the first touch loosened from 4 business hours to 24 hours: a later deploy */
function looserSla(sla: Sla): Sla {
  return {
    ...sla,
    version: `${sla.version}-loose`,
    handoff: { ...sla.handoff, firstTouchWithin: parseDuration('24h')! },
  };
}

describe('overdue first touches by the terms each handover keeps (ADR 0059)', () => {
  const db = useDynalite();

  /** handed over under `terms` (its handoverTerms), or with none (a lead handed over before ADR 0059) */
  const KEPT: readonly (Spec & { readonly terms: 'four hours' | '24 hours' | 'none' })[] = [
    // Wednesday 09:00 Berlin under 4 business hours: due 13:00, 6 hours untouched at 15:00
    { name: 'KeptFourHoursLate', owner: 'jonas', handoff: '2026-12-02T08:00:00Z', terms: 'four hours' },
    // 12:00 Berlin under 4 business hours: due 16:00, not yet
    { name: 'KeptFourHoursNotYet', owner: 'lena', handoff: '2026-12-02T11:00:00Z', terms: 'four hours' },
    // no terms: the deployed 24 hours count (due Thursday 09:00, not yet; Tuesday 09:00, late)
    { name: 'NoTermsNotYet', owner: 'jonas', handoff: '2026-12-02T08:00:00Z', terms: 'none' },
    { name: 'NoTermsLate', owner: 'lena', handoff: '2026-11-30T08:00:00Z', terms: 'none' },
    // under the 24 hours: due a minute ago, and due now (not past yet)
    { name: 'KeptDayLate', owner: 'mats', handoff: '2026-12-01T13:59:00Z', terms: '24 hours' },
    { name: 'KeptDayDueNow', owner: 'mats', handoff: '2026-12-01T14:00:00Z', terms: '24 hours' },
  ];

  async function arrangeKept(under: Sla, store: LeadStore, observer?: MemoryLeadQueries): Promise<void> {
    const terms = { 'four hours': under, '24 hours': looserSla(under) } as const;
    for (const [n, spec] of KEPT.entries()) {
      // in flight: its workflow waits for the next rung of the ladder (the due index lists it)
      const { lead } = leadOf(under, spec, 200 + n);
      const waiting = { ...lead, dueAt: '2026-12-02T16:00:00.000Z' };
      const stored = spec.terms === 'none' ? waiting : withHandoverTerms(terms[spec.terms], waiting);
      expect(await store.createLead(stored)).toBe('created');
      await observer?.leadWritten(stored);
    }
  }

  it('lists a lead past the deadline its handover kept after a looser SLA is deployed, on dynalite and in the twin', async () => {
    // Arrange: handed over under 4 business hours; then 24 hours deployed; now Wednesday 15:00 Berlin
    const before = testSla();
    const deployed = looserSla(before);
    const store = new DynamoDbLeadStore(db.doc, { tableName: db.tableName });
    await arrangeKept(before, store);
    const memoryStore = new MemoryLeadStore();
    const twin = new MemoryLeadQueries(deployed);
    await arrangeKept(before, memoryStore, twin);
    const deps = depsOf(deployed, store, new DynamoDbLeadQueries(db.doc, db.tableName));
    const memory = depsOf(deployed, memoryStore, twin);
    const katrin = viewerFor(deployed, 'manager', 'katrin');

    // Act
    const pages = await overduePages(deps, katrin, 25);
    const twinPages = await overduePages(memory, katrin, 25);
    const expected = await reference(deps, katrin);

    // Assert: the kept deadline passed two hours ago; the one not yet due and the lead without terms whose
    // deployed deadline is tomorrow are not listed; a kept deadline a minute ago is, one at this minute not yet
    const names = (items: LeadListItem[]) => items.map((item) => item.name);
    expect(names(pages.flat())).toEqual(['Lead KeptFourHoursLate', 'Lead KeptDayLate', 'Lead NoTermsLate']);
    expect(pages.flat()).toEqual(expected);
    expect(twinPages.flat()).toEqual(expected);
    expect(pages.flat()[0]!.sla.firstTouch).toEqual({
      dueAt: '2026-12-02T12:00:00.000Z',
      metAt: null,
      state: 'breached',
    });
  });

  it("lists a lead keyed by its clock start before ADR 0062 once the deploy's migration re-keys it", async () => {
    // Arrange: the late lead with its terms, as written before: its entry keyed by the clock start
    const before = testSla();
    const deployed = looserSla(before);
    const store = new DynamoDbLeadStore(db.doc, { tableName: db.tableName });
    await arrangeKept(before, store);
    const { lead } = leadOf(before, KEPT[0]!, 200);
    await db.doc.send(
      new UpdateCommand({
        TableName: db.tableName,
        Key: { pk: `LEAD#${lead.leadId}`, sk: 'STATE' },
        UpdateExpression: 'SET gsi8sk = :sk',
        ExpressionAttributeValues: { ':sk': `new#${keyTime(lead.handedOffAt!)}#${lead.leadId}` },
      }),
    );
    const deps = depsOf(deployed, store, new DynamoDbLeadQueries(db.doc, db.tableName));
    const katrin = viewerFor(deployed, 'manager', 'katrin');
    const listed = async () => (await overduePages(deps, katrin, 25)).flat().map((item) => item.name);
    const unmoved = await listed();
    const read = await store.getLead(lead.leadId);

    // Act
    const report = await migrateLeads({ store, sla: deployed, clock: { now: () => new Date(NOW) } });

    // Assert: left off by the deployed deadline while keyed by its clock start; listed once keyed by the deadline
    // it kept; the lead itself unchanged but for the cadence facts (ADR 0053, as above); a second look finds nothing
    expect(unmoved).toEqual(['Lead KeptDayLate', 'Lead NoTermsLate']);
    expect(report.indexed).toBeGreaterThanOrEqual(1);
    expect(await listed()).toEqual(['Lead KeptFourHoursLate', 'Lead KeptDayLate', 'Lead NoTermsLate']);
    const { gsi8sk } = (
      await db.doc.send(
        new GetCommand({ TableName: db.tableName, Key: { pk: `LEAD#${lead.leadId}`, sk: 'STATE' } }),
      )
    ).Item!;
    expect(gsi8sk).toBe(`-#due#2026-12-02T12:00:00.000Z#${lead.leadId}`);
    expect(await store.getLead(lead.leadId)).toEqual({
      ...read,
      cadenceLog: { since: '2026-12-02T08:00:00.000Z', attempts: 0 },
    });
    expect(await store.indexLead(lead.leadId)).toBe('unchanged');
  });
});
