/**
 * ADR 0057 amended, reviewed for events lost or counted twice when the moves of an event between the wake's read
 * (`EVENT#`) and its place apart (`TRAIL#`) race other writers: dynalite, the real task handlers on the real
 * ASL (workflow-harness.ts), the real form post, events route and erase. The interleavings are forced: a caller
 * is held at a chosen call (test/support/pausing.ts) while another runs; nothing is faked.
 */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { Context } from 'aws-lambda';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  createLeadStoreDocumentClient,
  DynamoDbLeadStore,
} from '../../lambdas/adapters/dynamodb-lead-store.ts';
import { leadPartition } from '../../lambdas/adapters/table-definition.ts';
import { postUnsubscribeHandler } from '../../lambdas/api/actions.ts';
import { extendDeps } from '../../lambdas/api/deps.ts';
import type { HttpEvent } from '../../lambdas/api/http.ts';
import { deleteLeadHandler } from '../../lambdas/api/lead-erase.ts';
import { submissionSchema } from '../../lambdas/api/lead-submission.ts';
import { submitLead } from '../../lambdas/api/leads-public.ts';
import { linkExpiry, signActionToken } from '../../lambdas/domain/action-links.ts';
import { type LeadState, rejudgeLead } from '../../lambdas/domain/lead-state.ts';
import { storyCarrier } from '../../lambdas/domain/story-carry.ts';
import { localDynamoDbClient } from '../../local/dynalite.ts';
import { dyingStore } from '../support/dying-store.ts';
import { useDynalite } from '../support/dynalite.ts';
import { pauseDynamoDbCommand, pausingStore, plain } from '../support/pausing.ts';
import { loadDefaultSla } from '../support/sla.ts';
import { exampleLead, type WorkflowHarness, workflowHarness } from '../support/workflow-harness.ts';

/** Mon 2026-11-30 08:00Z = 09:00 Berlin */
const T0 = new Date('2026-11-30T08:00:00.000Z');
const DAY = 86_400_000;
const sla = loadDefaultSla();

function pageViews(count: number) {
  return Array.from({ length: count }, (_, i) => ({
    eventId: `pv-${i}`,
    type: i % 3 === 2 ? 'content_download' : 'page_view',
    occurredAt: new Date(T0.getTime() - 20 * DAY + i * 3_600_000).toISOString(),
    properties: { url: `https://www.nordkraft-anlagen.example/de/produkte/kessel-${i}` },
  }));
}

/** The lead judged from its whole stored history with no tally: what the tally must answer. */
async function fullReplay(h: WorkflowHarness, lead: LeadState) {
  const { tally: _tally, ...untallied } = lead;
  const events = await h.store.listEvents(lead.leadId);
  return {
    replayed: rejudgeLead(sla, untallied, events, new Date(lead.judgedAt), 'test') ?? untallied,
    events,
  };
}

/** Resolves with `promise`, or fails the test after `ms`: a held call never reached is a test that proves nothing. */
function within<T>(promise: Promise<T>, what: string, ms = 10_000): Promise<T> {
  return Promise.race([
    promise,
    new Promise<T>((_, reject) => setTimeout(() => reject(new Error(`not reached: ${what}`)), ms)),
  ]);
}

describe('moves of an event between the wake’s read and its place apart, raced (ADR 0057 amended)', () => {
  const dynalite = useDynalite();
  const clients: DynamoDBClient[] = [];
  afterEach(() => {
    for (const client of clients.splice(0)) client.destroy();
  });
  const storeOn = (doc = dynalite.doc) =>
    new DynamoDbLeadStore(doc, { tableName: dynalite.tableName, carry: storyCarrier(sla) });
  /** a store on a client of its own (another Lambda's), so that its requests alone can be held */
  const ownClient = () => {
    const client = localDynamoDbClient(dynalite.server.endpoint);
    clients.push(client);
    return { client, store: storeOn(createLeadStoreDocumentClient(client)) };
  };
  const again = (message: string) => submissionSchema.parse({ ...exampleLead('hot'), message });

  /**
   * The hot lead (an SQL parked until its first-touch reminder) with 20 events apart, and a form post of the
   * same person whose process died after its first round trip (its event left in the wake's read, ADR 0057
   * amended), folded by the wake of the reminder since: the next wake of the lead moves that event apart.
   */
  async function leadWithStaleCopy() {
    const gate = pausingStore(storeOn());
    const h = workflowHarness({ start: T0, sla, store: gate.store });
    const leadId = await h.submit(exampleLead('hot'));
    expect((await h.postEvents(leadId, pageViews(20))).statusCode).toBe(200);
    // (its process dies: the update that makes the lead due is among what it no longer does, logged)
    vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const dying = dyingStore(storeOn(), { after: 'createLead' });
    await expect(
      submitLead(extendDeps(h.apiDeps, { store: dying }), again('the post that died'), leadId),
    ).rejects.toThrow('the process died');
    const parked = await h.lead(leadId);
    await h.advanceTo(new Date(Date.parse(parked.dueAt!) + 60_000));
    const folded = await h.lead(leadId);
    // the reminder's wake folded it (22: the creation, 20 page views, the dead post's) and it is still in the read
    expect(folded.tally?.count).toBe(22);
    const snapshot = await h.store.loadLead(leadId);
    expect(snapshot?.events).toHaveLength(2);
    expect(folded.waitToken).toBeDefined();
    return { h, gate, leadId };
  }

  it("a form post whose history read straddles a wake's move of that event: every event counted once", async () => {
    // Arrange: the lead's next wake (a signal: a rep's update) held at its move of the dead post's event; a
    // second post of the person, its history read held between its two Queries (the EVENT# one not yet sent)
    const { h, gate, leadId } = await leadWithStaleCopy();
    const moving = gate.pauseAt('appendEvent');
    await h.workflow.signal(await h.lead(leadId), 'a rep updated the lead');
    await within(moving.reached, "the wake's move");
    const reader = ownClient();
    const readingOld = pauseDynamoDbCommand(
      reader.client,
      (name, input) =>
        name === 'QueryCommand' &&
        plain((input.ExpressionAttributeValues as Record<string, unknown> | undefined)?.[':prefix']) ===
          'EVENT#',
    );
    const posting = submitLead(
      extendDeps(h.apiDeps, { store: reader.store }),
      again('one more question'),
      leadId,
    );
    // (dynalite answers in turn: the Query of the place apart is answered before the wake moves)
    const heldRead = await Promise.race([
      readingOld.reached.then(() => 'held' as const),
      posting.then(() => 'done' as const),
    ]);

    // Act: the wake moves the event (apart, then out of the read) and is held before its park; then the post's
    // read of the wake's read is sent, and the post writes; then the wake parks
    const parking = gate.pauseAt('parkLead');
    moving.release();
    await within(parking.reached, "the wake's park");
    readingOld.release();
    await posting;
    parking.release();
    await h.settle();
    // and a later wake (the next reminder) judges the lead as it is stored
    await h.advanceTo(new Date(h.clock.now().getTime() + 2 * DAY));

    // Assert: 23 events stored (the dead post's apart, the second post's), each counted once
    expect(heldRead).toBe('held');
    const after = await h.lead(leadId);
    const { replayed, events } = await fullReplay(h, after);
    expect(events).toHaveLength(23);
    expect(after.tally?.count).toBe(23);
    expect(after.engagement).toBe(replayed.engagement);
  });

  it("an erase that runs while a wake moves an event apart leaves none of the person's events", async () => {
    // Arrange: the lead's next wake held at its move (its execution is stopped by the erase; a Lambda already
    // running goes on, as on AWS)
    const { h, gate, leadId } = await leadWithStaleCopy();
    const moving = gate.pauseAt('appendEvent');
    await h.workflow.signal(await h.lead(leadId), 'a rep updated the lead');
    await within(moving.reached, "the wake's move");

    // Act: the whole erase, then the wake goes on
    const erase = deleteLeadHandler(h.apiDeps);
    const erased = await erase(
      {
        version: '2.0',
        routeKey: 'DELETE /leads/{id}',
        rawPath: `/leads/${leadId}`,
        rawQueryString: '',
        headers: {},
        pathParameters: { id: leadId },
        requestContext: {
          http: { method: 'DELETE', path: `/leads/${leadId}` },
          authorizer: { principalId: 'ops' },
        },
        isBase64Encoded: false,
      } as unknown as HttpEvent,
      {} as Context,
    );
    moving.release();
    await h.settle();
    await gate.idle();

    // Assert: erased, and no event of the person in either place
    expect((erased as { statusCode: number }).statusCode).toBe(200);
    expect((await h.lead(leadId)).erasedAt).toBeDefined();
    const { Items } = await dynalite.doc.send(
      new QueryCommand({
        TableName: dynalite.tableName,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': leadPartition(leadId) },
        ConsistentRead: true,
      }),
    );
    const kinds = (Items ?? []).map((item) => String(item.sk).split('#')[0]);
    expect(kinds.filter((kind) => kind === 'EVENT' || kind === 'TRAIL')).toEqual([]);
  });

  it('a dead post whose event changes nothing else: its wake writes the repaired tally, a later one moves the copy, then wakes read one Query', async () => {
    // Arrange: the hot lead (an SQL already: a post again moves neither its stage nor its classification); the
    // same person posts again and the process dies after its first round trips (the lead made due, the event in
    // the read)
    const h = workflowHarness({ start: T0, sla, store: storeOn() });
    const leadId = await h.submit(exampleLead('hot'));
    expect((await h.postEvents(leadId, pageViews(20))).statusCode).toBe(200);
    vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const dying = dyingStore(storeOn(), { after: 'makeDueForNews' });
    await expect(
      submitLead(extendDeps(h.apiDeps, { store: dying }), again('the post that died'), leadId),
    ).rejects.toThrow('the process died');
    const before = await h.lead(leadId);
    /** a wake of the lead (what the reconciler's resend of its token does, ADR 0039 amended), 10 minutes on */
    const wake = async () => {
      await h.advanceTo(new Date(h.clock.now().getTime() + 10 * 60_000));
      await h.workflow.signal(await h.lead(leadId), 'woken');
      await h.settle();
      return h.lead(leadId);
    };

    // Act: three wakes, 10 minutes apart
    const first = await wake();
    await wake();
    dynalite.resetRecording();
    await wake();
    const queries = dynalite.commands.filter((command) => command.name === 'QueryCommand').length;

    // Assert: folded and written by the first, moved apart by the second; the third reads the lead alone
    expect(before.tally?.count).toBe(21);
    expect(first.tally?.count).toBe(22);
    const snapshot = await h.store.loadLead(leadId);
    expect(snapshot?.events.map((event) => event.eventId)).toEqual([snapshot?.state.createdByEvent]);
    const { replayed, events } = await fullReplay(h, snapshot!.state);
    expect(events).toHaveLength(22);
    expect(snapshot?.state.tally?.count).toBe(22);
    expect(snapshot?.state.engagement).toBe(replayed.engagement);
    // its wake's read (one Query), and none of the history
    expect(queries).toBe(1);
  });

  it('an unsubscribe whose process dies between its write and its event, clicked again: the event counted once (its -30 points)', async () => {
    // Arrange: the hot lead with 20 events apart; its unsubscribe link, whose first post dies at the event's put
    // (after the write that unsubscribes and folds it: INJECTED, as above)
    const h = workflowHarness({ start: T0, sla, store: storeOn() });
    const leadId = await h.submit(exampleLead('hot'));
    expect((await h.postEvents(leadId, pageViews(20))).statusCode).toBe(200);
    vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const click = async (store = storeOn()) => {
      const token = signActionToken(
        {
          leadId,
          cycle: 1,
          action: 'unsubscribe',
          value: '',
          nonce: `n-${h.clock.now().getTime()}`,
          exp: linkExpiry(h.clock.now()),
        },
        h.apiDeps.actionSecret!,
      );
      const path = `/unsubscribe/${token}`;
      const response = await postUnsubscribeHandler(extendDeps(h.apiDeps, { store }))(
        {
          version: '2.0',
          routeKey: 'POST /unsubscribe/{token}',
          rawPath: path,
          rawQueryString: '',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          pathParameters: { token },
          requestContext: { http: { method: 'POST', path } },
          body: '',
          isBase64Encoded: false,
        } as unknown as HttpEvent,
        {} as Context,
      ).catch((error: Error) => ({ statusCode: 500, error }));
      await h.settle();
      return (response as { statusCode: number }).statusCode;
    };
    const wake = async () => {
      await h.advanceTo(new Date(h.clock.now().getTime() + 10 * 60_000));
      const lead = await h.lead(leadId);
      if (lead.waitToken) await h.workflow.signal(lead, 'woken');
      await h.settle();
    };

    // Act: the click that dies; two wakes (the first repairs the tally, the next finds it whole and deletes the
    // click's stale mark); the person clicks again (the event stored now); two more wakes
    const died = await click(dyingStore(storeOn(), { at: 'appendEvent' }));
    await wake();
    await wake();
    const again = await click();
    await wake();
    await wake();

    // Assert: 22 events (the creation, 20 page views, the unsubscribe), each counted once
    expect(died).toBe(500);
    expect(again).toBe(200);
    const after = await h.lead(leadId);
    expect(after.unsubscribed).toBe(true);
    const { replayed, events } = await fullReplay(h, after);
    expect(events.map((event) => event.type)).toContain('unsubscribe');
    expect(events).toHaveLength(22);
    expect(after.tally?.count).toBe(22);
    expect(after.engagement).toBe(replayed.engagement);
    // and the second click's mark is gone, once a wake found the tally whole and the mark stale
    expect((await h.store.loadLead(leadId))?.pending).toBeUndefined();
  });
});
