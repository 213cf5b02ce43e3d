/**
 * "Due today" (the console overview per rep, `/console/leads?due=today`, `?owner=<rep>&due=today`) served by
 * the next-step index (GSI10, ADR 0053): on dynalite and in the in-memory twin it answers exactly what the
 * list answered when it read every open lead (the reference below: every lead the viewer may see, read with
 * its attempts, whose next cadence step falls due before the end of the day, in the list's order), page by
 * page, over a varied seeded set (owners, an owner away, an owner the SLA lacks, attempts, clock starts,
 * reassignments, lead types and their cadences, the Christmas holidays, connected, deals, disqualified,
 * recycled, customers, leads with no facts or facts of an earlier handover), under onReassign restart and
 * continue, at two moments; it reads far fewer leads than it did; the attempt's write sets the facts; and a
 * lead written before the index is listed all along, and by its facts once the deploy's migration gave them.
 */

import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../bench/seeded-random.ts';
import { DynamoDbLeadQueries } from '../../lambdas/adapters/dynamodb-lead-queries.ts';
import { DynamoDbLeadStore } from '../../lambdas/adapters/dynamodb-lead-store.ts';
import { leadItem } from '../../lambdas/adapters/lead-item.ts';
import { MemoryLeadQueries } from '../../lambdas/adapters/memory-lead-queries.ts';
import { MemoryLeadStore } from '../../lambdas/adapters/memory-lead-store.ts';
import { keyTime } from '../../lambdas/adapters/table-definition.ts';
import { endOfDay } from '../../lambdas/api/console/views.ts';
import type { ApiDeps } from '../../lambdas/api/deps.ts';
import { type LeadListItem, listLeads, listQuerySchema } from '../../lambdas/api/lead-list.ts';
import { logAttempt } from '../../lambdas/api/sales-actions.ts';
import { withFactsReadOnce } from '../../lambdas/api/sla-report.ts';
import { type Viewer, viewerFor } from '../../lambdas/api/viewer.ts';
import type { Attempt, LeadState, TimelineEntry } from '../../lambdas/domain/lead-state.ts';
import type { Sla } from '../../lambdas/domain/sla-schema.ts';
import { cadenceLogAfter, leadPastContact } from '../../lambdas/domain/sla-standing.ts';
import type { LeadStore } from '../../lambdas/ports/lead-store.ts';
import { migrateLeads } from '../../lambdas/tasks/migrate-leads.ts';
import { useDynalite } from '../support/dynalite.ts';
import { withRep } from '../support/sla.ts';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** Wednesday 2 December 2026, 15:00 in Berlin; and the day before Christmas Eve (24-26 are holidays) */
const MOMENTS = [new Date('2026-12-02T14:00:00.000Z'), new Date('2026-12-23T14:00:00.000Z')];
const REPS = ['jonas', 'lena', 'mats', 'sofia', 'carla', 'mike'];
const TYPES = ['equipment-sales', 'existing-customer', 'maintenance-services'];

/** the default SLA, Sofia out of office in the first week of December, and onReassign as asked */
function testSla(onReassign: 'restart' | 'continue'): Sla {
  const sla = withRep('sofia', { outOfOffice: [{ from: '2026-11-30', to: '2026-12-06' }] });
  return { ...sla, contact: { ...sla.contact, onReassign } };
}

type Kind = 'contact' | 'connected' | 'deal' | 'disqualified' | 'recycled' | 'customer' | 'badTiming';
type Facts = 'written' | 'none' | 'stale';

/**
 * A lead as the writes make it: a handoff (the facts from the clock's start), attempts (each applied as the
 * attempt's write does, cadenceLogAfter), maybe a reassignment (which keeps the facts: they count as none
 * under restart), maybe attempts after it; then its kind. `facts`: 'none' drops them (a lead written before
 * them, rewritten since), 'stale' keeps the facts of the handoff after a reassignment with no attempt since.
 */
function leadOf(sla: Sla, n: number, now: Date, rnd: () => number): { lead: LeadState; attempts: Attempt[] } {
  const pick = <T>(list: readonly T[]): T => list[Math.floor(rnd() * list.length)]!;
  const kind: Kind = pick([
    'contact',
    'contact',
    'contact',
    'contact',
    'contact',
    'connected',
    'deal',
    'disqualified',
    'recycled',
    'customer',
    'badTiming',
  ]);
  const owner = rnd() < 0.04 ? 'ghost' : pick(REPS);
  const leadType = pick(TYPES);
  // handed over from 30 days ago up to an hour ago, on the hour or at odd minutes
  const handoff = now.getTime() - Math.floor(rnd() * 30 * DAY) - HOUR - Math.floor(rnd() * 4) * 17 * 60_000;
  const iso = (ms: number) => new Date(ms).toISOString();
  const entry = (when: number, entryKind: TimelineEntry['kind'], extra: Partial<TimelineEntry>) =>
    ({ at: iso(when), kind: entryKind, by: 'workflow', reasons: [], ...extra }) as TimelineEntry;
  const created = handoff - 2 * HOUR;
  const reassigned = rnd() < 0.25 ? handoff + Math.floor(rnd() * (now.getTime() - handoff)) : undefined;
  const first = reassigned === undefined ? owner : pick(REPS.filter((rep) => rep !== owner));
  const timeline: TimelineEntry[] = [
    entry(created, 'created', { to: 'mql', by: 'form' }),
    entry(handoff, 'owner', { to: first }),
    ...(reassigned === undefined ? [] : [entry(reassigned, 'owner', { from: first, to: owner })]),
  ];
  let lead = {
    leadId: `next${String(n).padStart(4, '0')}`,
    cycle: 1,
    version: 1,
    email: `lead${n}@plant.example`,
    fields: { firstName: 'Lead', lastName: `N${n}`, company: `Plant ${n} GmbH` },
    marketingConsent: true,
    unsubscribed: false,
    undeliverable: false,
    slaVersion: sla.version,
    judgedAt: iso(created),
    stage: 'sql',
    status: 'new',
    leadType,
    journeyStage: 'awareness',
    fit: 50,
    fitTier: 'B',
    engagement: 20,
    total: 70,
    ownerId: first,
    handedOffAt: iso(handoff),
    ownerSince: iso(handoff),
    cadenceLog: { since: iso(handoff), attempts: 0 },
    sent: [],
    createdAt: iso(created),
    updatedAt: iso(handoff),
    timeline,
    timelineDropped: 0,
  } as unknown as LeadState;
  const attempts: Attempt[] = [];
  const attempt = (at: number) => {
    const made = { attemptId: `a-${n}-${attempts.length}`, at: iso(at), outcomeId: 'no-answer' };
    lead = {
      ...lead,
      status: 'attempting-contact',
      cadenceLog: cadenceLogAfter(sla, lead, made, attempts),
      updatedAt: iso(Math.max(Date.parse(lead.updatedAt), at)),
    };
    attempts.push(made);
  };
  // attempts before a reassignment (or all of them), a few hours to days apart, none after now
  const end = reassigned ?? now.getTime();
  let at = handoff;
  for (let i = Math.floor(rnd() * 8); i > 0; i--) {
    at += Math.floor(rnd() * 3 * DAY) + 10 * 60_000;
    if (at >= end) break;
    attempt(at);
  }
  if (reassigned !== undefined) {
    lead = { ...lead, ownerId: owner, ownerSince: iso(reassigned), updatedAt: iso(reassigned) };
    at = reassigned;
    for (let i = Math.floor(rnd() * 3); i > 0; i--) {
      at += Math.floor(rnd() * 2 * DAY) + 10 * 60_000;
      if (at >= now.getTime()) break;
      attempt(at);
    }
  }
  // a backdated attempt before the owner's handover, logged after it (counts under continue only)
  if (reassigned !== undefined && rnd() < 0.3) attempt(handoff + Math.floor((reassigned - handoff) / 2));
  const facts: Facts = rnd() < 0.1 ? 'none' : 'written';
  if (facts === 'none') {
    const { cadenceLog: _dropped, ...rest } = lead;
    lead = rest as LeadState;
  }
  if (kind === 'connected') lead = { ...lead, status: 'connected' };
  if (kind === 'badTiming') lead = { ...lead, status: 'bad-timing' };
  if (kind === 'disqualified') lead = { ...lead, status: 'unqualified' };
  if (kind === 'deal')
    lead = {
      ...lead,
      stage: 'opportunity',
      status: 'open-deal',
      deal: { stageId: 'discovery', since: lead.updatedAt, openedAt: lead.updatedAt },
    };
  if (kind === 'customer') lead = { ...lead, stage: 'customer', status: 'won' };
  if (kind === 'recycled') {
    const { ownerId: _o, ownerSince: _s, handedOffAt: _h, cadenceLog: _c, ...rest } = lead;
    lead = { ...rest, stage: 'lead', status: 'recycled-not-ready' } as LeadState;
  }
  // updatedAt apart for a stable order
  lead = { ...lead, updatedAt: iso(Date.parse(lead.updatedAt) + n * 1000) };
  return { lead, attempts };
}

/**
 * Leads around the index's bounds: for each number of attempts a cadence has (0 to 5), a lead whose latest
 * attempt (its handoff, with none) is at each point of a two-hour grid over the five days before `now`, of each
 * lead type in turn: their steps fall due from days ago to days ahead, many just before or after the day's end.
 */
function gridLeads(sla: Sla, now: Date): { lead: LeadState; attempts: Attempt[] }[] {
  const iso = (ms: number) => new Date(ms).toISOString();
  const out: { lead: LeadState; attempts: Attempt[] }[] = [];
  for (let n = 0; n <= 5; n++)
    for (let base = now.getTime() - 5 * DAY; base <= now.getTime(); base += 2 * HOUR) {
      const leadId = `grid${String(out.length).padStart(4, '0')}`;
      const handoff = base - n * 3 * HOUR;
      let lead = {
        leadId,
        cycle: 1,
        version: 1,
        email: `${leadId}@plant.example`,
        fields: { firstName: 'Grid', lastName: leadId },
        marketingConsent: true,
        unsubscribed: false,
        undeliverable: false,
        slaVersion: sla.version,
        judgedAt: iso(handoff),
        stage: 'sql',
        status: n ? 'attempting-contact' : 'new',
        leadType: TYPES[out.length % TYPES.length]!,
        journeyStage: 'awareness',
        fit: 50,
        fitTier: 'B',
        engagement: 20,
        total: 70,
        ownerId: 'jonas',
        handedOffAt: iso(handoff),
        ownerSince: iso(handoff),
        cadenceLog: { since: iso(handoff), attempts: 0 },
        sent: [],
        createdAt: iso(handoff - HOUR),
        updatedAt: iso(base + out.length * 1000),
        timeline: [],
        timelineDropped: 0,
      } as unknown as LeadState;
      const attempts: Attempt[] = [];
      for (let i = n; i >= 1; i--) {
        const made = {
          attemptId: `g-${out.length}-${i}`,
          at: iso(base - (i - 1) * 3 * HOUR),
          outcomeId: 'no-answer',
        };
        lead = { ...lead, cadenceLog: cadenceLogAfter(sla, lead, made, attempts) };
        attempts.push(made);
      }
      out.push({ lead, attempts });
    }
  return out;
}

function leadsOf(sla: Sla, now: Date, count: number): { lead: LeadState; attempts: Attempt[] }[] {
  const rnd = seededRandom(53);
  return Array.from({ length: count }, (_, n) => leadOf(sla, n, now, rnd));
}

async function arrange(
  made: readonly { lead: LeadState; attempts: Attempt[] }[],
  store: LeadStore,
  observer?: MemoryLeadQueries,
): Promise<void> {
  for (const { lead, attempts } of made) {
    expect(await store.createLead(lead)).toBe('created');
    await observer?.leadWritten(lead);
    for (const attempt of attempts) await store.appendAttempt(lead.leadId, attempt);
  }
}

function depsOf(sla: Sla, store: LeadStore, queries: ApiDeps['queries'], now: Date): ApiDeps {
  return {
    sla,
    store,
    queries,
    clock: { now: () => new Date(now) },
    workflow: { signal: async () => undefined },
  } as unknown as ApiDeps;
}

/** every page of "due today", `limit` at a time */
async function duePages(
  deps: ApiDeps,
  viewer: Viewer,
  dueBy: string,
  limit: number,
  owner?: string,
): Promise<LeadListItem[][]> {
  const schema = listQuerySchema(deps.sla);
  const pages: LeadListItem[][] = [];
  let cursor: string | undefined;
  do {
    const page = await listLeads(
      deps,
      viewer,
      schema.parse({ limit: String(limit), ...(owner ? { owner } : {}), ...(cursor ? { cursor } : {}) }),
      { dueBy },
    );
    pages.push(page.items);
    cursor = page.next ?? undefined;
  } while (cursor);
  return pages;
}

/**
 * The reference: "due today" as reading every lead answers it. Every lead the viewer may see (the list with
 * no filter, every page: the owner index, or the stage index for ops), each read with its attempts, whose
 * next step falls due before `dueBy`, in the list's order (by update for an owner or a viewer limited to
 * owners, by creation for ops); for ops, the SLA's reps' leads (as its overdue list, ADR 0044).
 */
async function reference(
  deps: ApiDeps,
  viewer: Viewer,
  dueBy: string,
  owner?: string,
): Promise<LeadListItem[]> {
  const schema = listQuerySchema(deps.sla);
  const all: LeadListItem[] = [];
  let cursor: string | undefined;
  do {
    const page = await listLeads(
      deps,
      viewer,
      schema.parse({ limit: '100', ...(owner ? { owner } : {}), ...(cursor ? { cursor } : {}) }),
    );
    all.push(...page.items);
    cursor = page.next ?? undefined;
  } while (cursor);
  const reps = deps.sla.routing.reps.map((rep) => rep.id);
  const byUpdate = owner !== undefined || viewer.owners !== undefined;
  const position = (item: LeadListItem) =>
    `${keyTime(byUpdate ? item.updatedAt : item.createdAt)}#${item.id}`;
  return all
    .filter((item) => {
      const due = item.sla.nextStep?.dueAt;
      return due && due < dueBy && (owner || (item.owner && reps.includes(item.owner.id)));
    })
    .sort((a, b) => (position(a) < position(b) ? 1 : position(a) > position(b) ? -1 : 0));
}

const VIEWERS = (sla: Sla): [string, Viewer][] => [
  ['ops', viewerFor(sla, 'ops', 'priya')],
  ['manager katrin', viewerFor(sla, 'manager', 'katrin')],
  ['manager dan', viewerFor(sla, 'manager', 'dan')],
  ['rep jonas', viewerFor(sla, 'rep', 'jonas')],
  ['rep carla', viewerFor(sla, 'rep', 'carla')],
];

describe('"due today" from the next-step index', () => {
  const db = useDynalite();

  for (const onReassign of ['restart', 'continue'] as const)
    for (const now of MOMENTS)
      it(`answers what reading every lead answered, page by page, on dynalite and in the twin (onReassign ${onReassign}, ${now.toISOString().slice(0, 10)})`, async () => {
        // Arrange: the same leads in dynalite (its store told the SLA's rule, as deployed) and in memory
        const sla = testSla(onReassign);
        const made = leadsOf(sla, now, 160);
        const store = new DynamoDbLeadStore(db.doc, {
          tableName: db.tableName,
          indexRules: { pastContact: (lead) => leadPastContact(sla, lead) },
        });
        const deps = depsOf(sla, store, new DynamoDbLeadQueries(db.doc, db.tableName), now);
        await arrange(made, store);
        await store.markIndexesComplete();
        const memoryStore = new MemoryLeadStore();
        const twin = new MemoryLeadQueries(sla);
        await arrange(made, memoryStore, twin);
        const memory = depsOf(sla, memoryStore, twin, now);
        const ends = [
          new Date(endOfDay(now, 'Europe/Berlin')).toISOString(),
          new Date(endOfDay(now, 'America/Chicago')).toISOString(),
        ];
        let listed = 0;

        for (const dueBy of ends) {
          for (const [who, viewer] of VIEWERS(sla)) {
            // Act
            const expected = await reference(deps, viewer, dueBy);
            const pages = await duePages(deps, viewer, dueBy, 4);
            const twinPages = await duePages(memory, viewer, dueBy, 4);

            // Assert: the same items in the same order, four at a time
            expect(pages.flat(), `${who} ${dueBy}`).toEqual(expected);
            expect(twinPages.flat(), `${who} ${dueBy} (twin)`).toEqual(expected);
            expect(pages.slice(0, -1).every((page) => page.length === 4)).toBe(true);
            listed += expected.length;
          }
          // per owner, as the overview and its link ask (an owner the SLA lacks too)
          const ops = viewerFor(sla, 'ops', 'priya');
          for (const owner of [...REPS, 'ghost']) {
            const expected = await reference(deps, ops, dueBy, owner);
            expect((await duePages(deps, ops, dueBy, 10, owner)).flat(), `${owner} ${dueBy}`).toEqual(
              expected,
            );
            expect((await duePages(memory, ops, dueBy, 10, owner)).flat(), `${owner} (twin)`).toEqual(
              expected,
            );
          }
        }
        // the set is varied as intended: steps due, and many open leads in contact that are not
        expect(listed).toBeGreaterThan(20);
      }, 120_000);

  for (const now of MOMENTS)
    it(`lists every lead whose step falls due by the end of the day, and no other, at the index's bounds (${now.toISOString().slice(0, 10)})`, async () => {
      // Arrange
      const sla = testSla('restart');
      const made = gridLeads(sla, now);
      const store = new DynamoDbLeadStore(db.doc, { tableName: db.tableName });
      const deps = depsOf(sla, store, new DynamoDbLeadQueries(db.doc, db.tableName), now);
      await arrange(made, store);
      await store.markIndexesComplete();
      const memoryStore = new MemoryLeadStore();
      const twin = new MemoryLeadQueries(sla);
      await arrange(made, memoryStore, twin);
      const dueBy = new Date(endOfDay(now, 'Europe/Berlin')).toISOString();
      const ops = viewerFor(sla, 'ops', 'priya');

      // Act
      const expected = await reference(deps, ops, dueBy, 'jonas');
      const listed = (await duePages(deps, ops, dueBy, 100, 'jonas')).flat();
      const twinListed = (
        await duePages(depsOf(sla, memoryStore, twin, now), ops, dueBy, 100, 'jonas')
      ).flat();

      // Assert: the same; both sides of the bounds are in the set
      expect(listed).toEqual(expected);
      expect(twinListed).toEqual(expected);
      expect(expected.length).toBeGreaterThan(20);
      expect(made.length - expected.length).toBeGreaterThan(20);
    }, 120_000);

  it('reads only the leads that may be due (their facts say so), not every lead in contact', async () => {
    // Arrange
    const now = MOMENTS[0]!;
    const sla = testSla('restart');
    const made = leadsOf(sla, now, 160);
    const store = new DynamoDbLeadStore(db.doc, {
      tableName: db.tableName,
      indexRules: { pastContact: (lead) => leadPastContact(sla, lead) },
    });
    let reads = 0;
    const counting = new Proxy(store, {
      get(target, name, receiver) {
        if (name === 'getLead') reads++;
        return Reflect.get(target, name, receiver);
      },
    });
    const deps = depsOf(sla, counting, new DynamoDbLeadQueries(db.doc, db.tableName), now);
    await arrange(made, store);
    await store.markIndexesComplete();
    const dueBy = new Date(endOfDay(now, 'Europe/Berlin')).toISOString();
    const viewer = viewerFor(sla, 'manager', 'katrin');
    const expected = await reference(deps, viewer, dueBy);
    reads = 0;

    // Act
    const pages = await duePages(deps, viewer, dueBy, 100);

    // Assert: the due ones, plus those whose facts cannot say (none, or of an earlier handover)
    const open = made.filter(
      ({ lead }) => lead.ownerId && viewer.owners!.includes(lead.ownerId) && lead.stage !== 'customer',
    ).length;
    const unknown = made.filter(
      ({ lead }) =>
        lead.ownerId &&
        viewer.owners!.includes(lead.ownerId) &&
        (!lead.cadenceLog || lead.cadenceLog.since !== lead.ownerSince),
    ).length;
    expect(pages.flat()).toEqual(expected);
    expect(reads).toBeLessThanOrEqual(expected.length + unknown);
    expect(reads).toBeLessThan(open / 2);
  });

  it("sets the facts in the attempt's own write: counted once per attempt id, from this handover's clock", async () => {
    // Arrange: a lead handed over on Monday, reassigned on Tuesday (restart: the clock starts again)
    const now = MOMENTS[0]!;
    const sla = testSla('restart');
    const store = new DynamoDbLeadStore(db.doc, { tableName: db.tableName });
    const deps = depsOf(sla, store, undefined, now);
    const { lead } = leadOf(sla, 0, now, () => 0.5);
    const handed = {
      ...lead,
      stage: 'sql',
      status: 'new',
      ownerId: 'jonas',
      handedOffAt: '2026-11-30T09:00:00.000Z',
      ownerSince: '2026-11-30T09:00:00.000Z',
      cadenceLog: { since: '2026-11-30T09:00:00.000Z', attempts: 0 },
    } as LeadState;
    await store.createLead(handed);
    const ops = viewerFor(sla, 'ops', 'priya');
    const log = (attemptId: string, at: string) =>
      logAttempt(deps, handed.leadId, { attemptId, outcome: 'no-answer', at }, { ...ops, by: 'ops:priya' });

    // Act: two attempts, one of them twice, then a reassignment and a third attempt; and one dated before it
    await log('one', '2026-11-30T10:00:00.000Z');
    await log('two', '2026-11-30T15:00:00.000Z');
    await log('two', '2026-11-30T15:00:00.000Z');
    const afterTwo = (await store.getLead(handed.leadId))!.cadenceLog;
    const current = (await store.getLead(handed.leadId))!;
    await store.saveLead(
      { ...current, ownerId: 'lena', ownerSince: '2026-12-01T09:00:00.000Z', version: current.version + 1 },
      current.version,
    );
    await log('three', '2026-12-01T11:00:00.000Z');
    await log('backdated', '2026-11-30T16:00:00.000Z');
    // five at once, each twice: each counted once, whatever the order the writes won in
    await Promise.all(
      ['c1', 'c2', 'c3', 'c4', 'c5', 'c1', 'c2', 'c3', 'c4', 'c5'].map((id, i) =>
        log(id, `2026-12-02T0${(i % 5) + 1}:00:00.000Z`),
      ),
    );

    // Assert
    expect(afterTwo).toEqual({
      since: '2026-11-30T09:00:00.000Z',
      attempts: 2,
      lastAt: '2026-11-30T15:00:00.000Z',
    });
    expect((await store.getLead(handed.leadId))!.cadenceLog).toEqual({
      since: '2026-12-01T09:00:00.000Z',
      attempts: 6,
      lastAt: '2026-12-02T05:00:00.000Z',
    });
  });

  /** Leads in contact written before GSI10 (no gsi10 keys, no facts), some due today; what reading every lead lists. */
  async function leadsFromBeforeTheIndex() {
    const now = MOMENTS[0]!;
    const sla = testSla('restart');
    const store = new DynamoDbLeadStore(db.doc, {
      tableName: db.tableName,
      indexRules: { pastContact: (lead) => leadPastContact(sla, lead) },
    });
    const deps = depsOf(sla, store, new DynamoDbLeadQueries(db.doc, db.tableName), now);
    const made = leadsOf(sla, now, 60).filter(({ lead }) => lead.ownerId === 'jonas');
    for (const { lead, attempts } of made) {
      const { cadenceLog: _facts, ...old } = lead;
      // in flight: its workflow waits for a timer (the due index lists it)
      const item = leadItem({ ...old, dueAt: '2026-12-03T08:00:00.000Z' } as LeadState);
      for (const name of ['gsi10pk', 'gsi10sk']) delete item[name];
      await db.doc.send(new PutCommand({ TableName: db.tableName, Item: item }));
      for (const attempt of attempts) await store.appendAttempt(lead.leadId, attempt);
    }
    const dueBy = new Date(endOfDay(now, 'Europe/Berlin')).toISOString();
    const ops = viewerFor(sla, 'ops', 'priya');
    const expected = await reference(deps, ops, dueBy, 'jonas');
    return { now, sla, store, deps, dueBy, ops, expected };
  }

  it("lists a lead written before the index all along, and by its facts once the deploy's migration gave them", async () => {
    // Arrange: leads in contact written before GSI10 (no gsi10 keys, no facts), one of them due today
    const { now, sla, store, deps, dueBy, ops, expected } = await leadsFromBeforeTheIndex();
    const before = (await duePages(deps, ops, dueBy, 10, 'jonas')).flat();

    // Act
    const report = await migrateLeads({ store, sla, clock: { now: () => new Date(now) } });

    // Assert: listed before (the index is not complete: the owner index is read), and after, by the facts
    expect(expected.length).toBeGreaterThan(0);
    expect(before).toEqual(expected);
    expect(report.indexed).toBeGreaterThan(0);
    expect((await duePages(deps, ops, dueBy, 10, 'jonas')).flat()).toEqual(expected);
  });
  it('lists a lead written before the index on the console overview too (its deps read the facts once), until the index is complete', async () => {
    // Arrange: leads in contact written before GSI10 (no gsi10 keys, no facts), one of them due today
    const { deps, dueBy, ops, expected } = await leadsFromBeforeTheIndex();

    // Act: the overview's deps (console overview: one read of the report facts for all its cards)
    const overview = withFactsReadOnce(deps);
    const listed = (await duePages(overview, ops, dueBy, 10, 'jonas')).flat();

    // Assert: the owner index is read while the next-step index is not recorded complete
    expect(expected.length).toBeGreaterThan(0);
    expect(listed).toEqual(expected);
  });
});
