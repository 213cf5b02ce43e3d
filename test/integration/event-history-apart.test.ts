/**
 * ADR 0057 on dynalite: a lead's engagement events are stored apart from what its wake reads, so a wake of a
 * lead with thousands of events reads what a wake of a new lead reads, and the tally still answers for the
 * whole history (repaired after a writer's crash, replayed in full after an SLA change, replays ignored,
 * nothing left after an erase). The real task handlers on the real ASL (workflow-harness.ts), the real events
 * route, DynamoDbLeadStore; virtual time.
 */
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { Context } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { DynamoDbLeadStore } from '../../lambdas/adapters/dynamodb-lead-store.ts';
import { leadPartition } from '../../lambdas/adapters/table-definition.ts';
import { extendDeps } from '../../lambdas/api/deps.ts';
import type { HttpEvent } from '../../lambdas/api/http.ts';
import { getLeadHandler } from '../../lambdas/api/lead-read.ts';
import { submissionSchema } from '../../lambdas/api/lead-submission.ts';
import { submitLead } from '../../lambdas/api/leads-public.ts';
import { type LeadState, rejudgeLead } from '../../lambdas/domain/lead-state.ts';
import type { Sla } from '../../lambdas/domain/sla-schema.ts';
import { storyCarrier } from '../../lambdas/domain/story-carry.ts';
import { updateLead } from '../../lambdas/ports/lead-store.ts';
import { PENDING_STALE_MS } from '../../lambdas/tasks/advance.ts';
import { dyingStore } from '../support/dying-store.ts';
import { useDynalite } from '../support/dynalite.ts';
import { loadDefaultSla } from '../support/sla.ts';
import { exampleLead, type WorkflowHarness, workflowHarness } from '../support/workflow-harness.ts';

/** Mon 2026-11-30 08:00Z = 09:00 Berlin */
const T0 = new Date('2026-11-30T08:00:00.000Z');
const DAY = 86_400_000;
const sla = loadDefaultSla();
/** events a lead has here: many times what one 4 KB read unit or one wake's Query used to carry */
const HISTORY = 1_500;

/** Page views (and some downloads and webinars) of ~300 B, over the 60 days before T0, in requests of 100. */
function history(count: number, prefix = 'pv') {
  const types = ['page_view', 'page_view', 'page_view', 'content_download', 'webinar_attended'];
  return Array.from({ length: count }, (_, i) => ({
    eventId: `${prefix}-${i}`,
    type: types[i % types.length]!,
    occurredAt: new Date(T0.getTime() - 60 * DAY + Math.floor((i * 60 * DAY) / count)).toISOString(),
    properties: {
      url: `https://www.nordkraft-anlagen.example/de/produkte/kessel-${i % 40}?utm_source=newsletter&utm_campaign=q4`,
      title: `Dampfkessel ${i % 40} - Industrielle Anlagen | Nordkraft`,
      referrer: 'https://www.google.com/search?q=industrie+dampfkessel+hersteller',
    },
    ...(i % 5 === 3 ? { contentTags: ['case-study'] } : {}),
  }));
}

async function post(h: WorkflowHarness, leadId: string, events: ReturnType<typeof history>) {
  for (let i = 0; i < events.length; i += 100) {
    const response = await h.postEvents(leadId, events.slice(i, i + 100));
    expect(response.statusCode).toBe(200);
  }
}

/** The lead judged from its whole stored history with no tally: what the tally must answer. */
async function fullReplay(h: WorkflowHarness, lead: LeadState, at: Date, with_: Sla = sla) {
  const { tally: _tally, ...untallied } = lead;
  const events = await h.store.listEvents(lead.leadId);
  return { replayed: rejudgeLead(with_, untallied, events, at, 'test') ?? untallied, events };
}

describe('a lead with thousands of events (ADR 0057)', () => {
  const dynalite = useDynalite();
  const newStore = () =>
    new DynamoDbLeadStore(dynalite.doc, { tableName: dynalite.tableName, carry: storyCarrier(sla) });
  const readUnits = () =>
    dynalite.commands
      .filter((command) => command.name === 'QueryCommand' || command.name === 'GetItemCommand')
      .reduce((sum, command) => sum + command.capacityUnits, 0);

  async function leadWithHistory(count = HISTORY) {
    const store = newStore();
    const h = workflowHarness({ start: T0, sla, store });
    const leadId = await h.submit(exampleLead('hot'));
    await post(h, leadId, history(count));
    return { h, store, leadId };
  }

  it("is woken with one Query of a few read units, as a lead with none: its events are outside the wake's read", async () => {
    // Arrange
    const { store, leadId } = await leadWithHistory();
    const fresh = workflowHarness({ start: T0, sla, store });
    const newLeadId = await fresh.submit({ ...exampleLead('cold'), email: 'new.one@nordkraft.example' });
    dynalite.resetRecording();

    // Act
    const snapshot = await store.loadLead(leadId);
    const queries = dynalite.commandNames();
    const units = readUnits();
    dynalite.resetRecording();
    await store.loadLead(newLeadId);
    const newLeadUnits = readUnits();

    // Assert: 3,000 events of ~400 B are ~300 read units and two 1 MB pages when read
    expect(queries).toEqual(['QueryCommand']);
    expect(units).toBeLessThanOrEqual(newLeadUnits + 1);
    expect(units).toBeLessThanOrEqual(4);
    expect(snapshot?.state.tally?.count).toBe(HISTORY + 1);
    // the submission that created it is in the read (ADR 0057 amended), folded by its creation
    expect(snapshot?.events.map((event) => event.eventId)).toEqual([snapshot?.state.createdByEvent]);
  });

  it('a whole wake (its timer fires) reads the tally alone, and its score is the full replay of every event', async () => {
    // Arrange
    const { h, leadId } = await leadWithHistory();
    const before = await h.lead(leadId);
    expect(before.dueAt).toBeDefined();
    dynalite.resetRecording();

    // Act: 30 days on: the contact cadence's wakes, and engagement decays (default.yaml: half-life)
    await h.advanceTo(new Date(T0.getTime() + 30 * DAY));

    // Assert
    const after = await h.lead(leadId);
    const wakes = h.taskCalls.filter((call) => call.task === 'advance' && call.at > T0.toISOString());
    expect(wakes.length).toBeGreaterThan(0);
    const queries = dynalite.commands.filter((command) => command.name === 'QueryCommand');
    // the wakes' reads, and nothing of the history: a Query per wake, each of a few units
    expect(queries.length).toBeLessThanOrEqual(wakes.length);
    expect(readUnits()).toBeLessThanOrEqual(4 * wakes.length + 2);
    const { replayed, events } = await fullReplay(h, after, new Date(after.judgedAt));
    expect(events).toHaveLength(HISTORY + 1);
    expect(after.tally?.count).toBe(events.length);
    expect(after.engagement).toBe(replayed.engagement);
    expect(after.total).toBe(replayed.total);
    expect(after.journeyStage).toBe(replayed.journeyStage);
  });

  it('an SLA whose rules changed: the next wake replays every event (the tally was kept for the old rules)', async () => {
    // Arrange
    const { h, leadId } = await leadWithHistory();
    const changed: Sla = {
      ...sla,
      version: `${sla.version}-views-count-more`,
      scoring: {
        ...sla.scoring,
        engagement: sla.scoring.engagement.map((rule) =>
          rule.event === 'page_view' && rule.id === 'page-view' ? { ...rule, points: 2, cap: 5000 } : rule,
        ),
      },
    };
    const oldRules = (await h.lead(leadId)).tally?.rules;

    // Act
    await h.deploy(changed);
    await h.advanceTo(new Date(T0.getTime() + 8 * DAY));

    // Assert: every page view counts 2 (cap 5,000): only a replay of all of them gives that
    const after = await h.lead(leadId);
    expect(after.tally?.rules).not.toBe(oldRules);
    expect(after.tally?.count).toBe(HISTORY + 1);
    const { replayed } = await fullReplay(h, after, new Date(after.judgedAt), changed);
    expect(after.engagement).toBe(replayed.engagement);
    const views = after.tally?.perRule.reduce((most, rule) => Math.max(most, rule.matched), 0);
    expect(views).toBeGreaterThanOrEqual((HISTORY * 3) / 5);
  });

  it('an old event sent again (its id and time) is ignored: not stored twice, not counted twice', async () => {
    // Arrange
    const { h, leadId } = await leadWithHistory();
    const [first] = history(HISTORY);
    const before = await h.lead(leadId);

    // Act
    const response = await h.postEvents(leadId, [first!]);

    // Assert
    expect(JSON.parse(response.body ?? '{}')).toMatchObject({ appended: 0, duplicates: 1 });
    const after = await h.lead(leadId);
    expect(after.tally?.count).toBe(before.tally?.count);
    expect(await h.store.listEvents(leadId)).toHaveLength(HISTORY + 1);
    expect(after.engagement).toBe(before.engagement);
  });

  it('a writer that dies after storing its events, before folding them: the next wake folds them, and the stale mark goes', async () => {
    // Arrange: the events route's first steps by hand (its mark, its events), then nothing
    const { h, store, leadId } = await leadWithHistory(500);
    const at = h.clock.now().toISOString();
    await store.markEventsPending(leadId, { id: 'died', at });
    const quote = { eventId: 'quote-1', type: 'quote_request', occurredAt: at, receivedAt: at };
    expect(await store.appendEvent(leadId, quote)).toBe('appended');
    const before = await h.lead(leadId);

    // Act: the next wakes (a day on; then past the mark's staleness)
    await h.advanceTo(new Date(T0.getTime() + DAY));
    const repaired = await h.lead(leadId);
    await h.advanceTo(new Date(T0.getTime() + DAY + PENDING_STALE_MS + 8 * DAY));

    // Assert
    expect(before.tally?.count).toBe(501);
    expect(repaired.tally?.count).toBe(502);
    expect(repaired.engagement).not.toBe(before.engagement);
    const { replayed } = await fullReplay(h, repaired, new Date(repaired.judgedAt));
    expect(repaired.engagement).toBe(replayed.engagement);
    expect((await store.loadLead(leadId))?.pending).toBeUndefined();
  });

  it('GET /leads/{id} reads the newest events it shows, not the history, and counts them all', async () => {
    // Arrange
    const { h, leadId } = await leadWithHistory();
    const get = getLeadHandler(h.apiDeps);
    dynalite.resetRecording();

    // Act
    const response = await get(
      {
        version: '2.0',
        routeKey: 'GET /leads/{id}',
        rawPath: `/leads/${leadId}`,
        rawQueryString: '',
        headers: {},
        pathParameters: { id: leadId },
        requestContext: {
          http: { method: 'GET', path: `/leads/${leadId}` },
          authorizer: { principalId: 'test' },
        },
        isBase64Encoded: false,
      } as unknown as HttpEvent,
      {} as Context,
    );

    // Assert: 100 events of ~400 B are ~10 units; the 3,000 were ~300 and two 1 MB pages
    const body = JSON.parse((response as { body: string }).body);
    expect(body.eventCount).toBe(HISTORY + 1);
    expect(body.events).toHaveLength(100);
    // the hot example's submission (at T0), after the 99 newest page views
    expect(body.events.at(-1).occurredAt).toBe(T0.toISOString());
    expect(body.events.at(-2).eventId).toBe(`pv-${HISTORY - 1}`);
    expect(body.events[0].eventId).toBe(`pv-${HISTORY - 99}`);
    expect(readUnits()).toBeLessThan(40);
  });

  it('a form post to a known address: its event apart, folded, its mark gone', async () => {
    // Arrange
    const { h, store, leadId } = await leadWithHistory(200);

    // Act
    await h.submit({ ...exampleLead('hot'), message: 'again' });

    // Assert
    const snapshot = await store.loadLead(leadId);
    expect(snapshot?.pending).toBeUndefined();
    expect(snapshot?.events.map((event) => event.eventId)).toEqual([snapshot?.state.createdByEvent]);
    expect(snapshot?.state.tally?.count).toBe(202);
    expect(await store.listEvents(leadId)).toHaveLength(202);
  });

  it.each([
    ['after its first round trip (the create refused, its event stored in the read)', 'createLead'],
    ['after its state write, before the read copy goes', 'saveLead'],
  ] as const)(
    'a form post to a known address whose process dies %s: a wake folds its event, once stale moves it apart',
    async (_when, lastCall) => {
      // Arrange: the hot lead, parked until its first-touch reminder; the same person posts again and the
      // post's process dies (a fault injected into the store: every call after `lastCall` returned throws, as a
      // killed Lambda makes none; a SIGKILL cannot be timed between two requests of one post)
      const { h, store, leadId } = await leadWithHistory(50);
      const dying = dyingStore(store, { after: lastCall });
      const again = submissionSchema.parse({
        ...exampleLead('hot'),
        message: 'Can we also talk about service?',
      });
      const before = await h.lead(leadId);

      // Act: the post dies; the lead's reminder wakes it; a day on, its wakes find the event stale
      await expect(submitLead(extendDeps(h.apiDeps, { store: dying }), again, leadId)).rejects.toThrow(
        'the process died',
      );
      await h.advanceTo(new Date(Date.parse(before.dueAt!) + 60_000));
      const woken = await h.lead(leadId);
      await h.advanceTo(new Date(Date.parse(before.dueAt!) + PENDING_STALE_MS + DAY));

      // Assert: counted once; in the end apart, and the read holds the creation only
      expect(before.tally?.count).toBe(51);
      expect(woken.tally?.count).toBe(52);
      const { replayed } = await fullReplay(h, woken, new Date(woken.judgedAt));
      expect(woken.engagement).toBe(replayed.engagement);
      const snapshot = await store.loadLead(leadId);
      expect(snapshot?.events.map((event) => event.eventId)).toEqual([snapshot?.state.createdByEvent]);
      expect(snapshot?.state.tally?.count).toBe(52);
      expect(await store.listEvents(leadId)).toHaveLength(52);
    },
  );

  it('a lead from before ADR 0057 keeps its events where its wake reads them: the events route, a form post, replays', async () => {
    // Arrange: as stored before (no eventsApart, its submission as EVENT#)
    const store = newStore();
    const h = workflowHarness({ start: T0, sla, store });
    const leadId = await h.submit(exampleLead('hot'));
    // (its submission is in the read already: a form post stores it there, ADR 0057 amended)
    await updateLead(store, leadId, ({ eventsApart: _apart, ...current }) => current);
    const events = history(150, 'old');

    // Act
    await post(h, leadId, events);
    const replayed = await h.postEvents(leadId, events.slice(0, 3));
    await h.submit({ ...exampleLead('hot'), message: 'again' });
    await h.advanceTo(new Date(T0.getTime() + 2 * DAY));

    // Assert: all 152 in the wake's read, none apart, each counted once
    expect(JSON.parse(replayed.body ?? '{}')).toMatchObject({ appended: 0, duplicates: 3 });
    const snapshot = await store.loadLead(leadId);
    expect(snapshot?.events).toHaveLength(152);
    expect(await store.listEvents(leadId)).toHaveLength(152);
    expect(snapshot?.state.eventsApart).toBeUndefined();
    expect(snapshot?.state.tally?.count).toBe(152);
    expect(snapshot?.pending).toBeUndefined();
  });

  it('erase leaves no event, mark or copy of the lead behind', async () => {
    // Arrange
    const { h, store, leadId } = await leadWithHistory(300);
    await store.markEventsPending(leadId, { id: 'left', at: h.clock.now().toISOString() });

    // Act
    const response = await h.erase(leadId);

    // Assert
    expect(response.statusCode).toBeLessThan(300);
    const { Items } = await dynalite.doc.send(
      new QueryCommand({
        TableName: dynalite.tableName,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': leadPartition(leadId) },
        ConsistentRead: true,
      }),
    );
    // the state (anonymised), the report facts and the owner pick (ADR 0045: which rep), none of the person's
    const left = new Set((Items ?? []).map((item) => String(item.sk).split('#')[0]));
    expect([...left].filter((kind) => !['STATE', 'FACT', 'PICK'].includes(kind!))).toEqual([]);
    expect(await store.listEvents(leadId)).toEqual([]);
  });
});
