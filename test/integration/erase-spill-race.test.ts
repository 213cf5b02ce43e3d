/**
 * Erase (DELETE /leads/{id}) racing a park whose write moves the lead's oldest timeline entries to items
 * of their own (ADR 0021, ADR 0025), on DynamoDB (dynalite): the park's write was planned before the erase
 * and runs while it does (StopExecution does not stop a park Lambda already running). Whatever the order,
 * no moved entry keeps the reasons it had before the erase (they quote personal data).
 * The interleavings are arranged with hooks on the store and the client (no fault is injected): the erase
 * handler and the park run as they do on AWS, each step against dynalite.
 */
import type { Context } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { DynamoDbLeadStore, TIMELINE_TAIL_MAX } from '../../lambdas/adapters/dynamodb-lead-store.ts';
import { TIMELINE_SK_PREFIX } from '../../lambdas/adapters/table-definition.ts';
import type { ApiDeps } from '../../lambdas/api/deps.ts';
import type { HttpEvent } from '../../lambdas/api/http.ts';
import { deleteLeadHandler } from '../../lambdas/api/lead-erase.ts';
import { afterErasedCycle, newLeadState, type TimelineEntry } from '../../lambdas/domain/lead-state.ts';
import { storyCarrier } from '../../lambdas/domain/story-carry.ts';
import { type LeadStore, updateLead } from '../../lambdas/ports/lead-store.ts';
import type { Workflow } from '../../lambdas/ports/workflow.ts';
import { advance } from '../../lambdas/tasks/advance.ts';
import type { Notifier } from '../../lambdas/tasks/notifier.ts';
import { park } from '../../lambdas/tasks/park.ts';
import type { StepPayload } from '../../lambdas/tasks/payload.ts';
import { useDynalite } from '../support/dynalite.ts';
import { FIXTURE_LEAD_ID, handedOff } from '../support/lead-state.ts';
import { parkInputOf } from '../support/park-input.ts';
import { loadDefaultSla } from '../support/sla.ts';

const sla = loadDefaultSla();
const HANDED = '2026-11-30T08:00:00.000Z';
const OVERDUE = new Date('2026-11-30T12:30:00.000Z');
const input = { leadId: FIXTURE_LEAD_ID, cycle: 1, generation: 0, loops: 0, startedAt: HANDED };
const notifier = new Proxy({} as Notifier, { get: () => async () => undefined });

/** entries quoting the person: the tail is full, the park's write (two more entries) moves the oldest */
const STORY_LENGTH = TIMELINE_TAIL_MAX - 1;
const story: TimelineEntry[] = Array.from({ length: STORY_LENGTH }, (_, n) => ({
  at: new Date(Date.parse(HANDED) - (STORY_LENGTH - n) * 60_000).toISOString(),
  kind: 'judged',
  by: 'workflow',
  reasons: [{ rule: 'fit.title', detail: `job title "Head of Plant, Petra Schulz" (${n})` }],
}));

const eraseEvent = {
  pathParameters: { id: FIXTURE_LEAD_ID },
  requestContext: {},
  headers: {},
} as unknown as HttpEvent;

/** a PutItem or a BatchWriteItem's put (the move writes its entries in batches) */
type SentInput = {
  Item?: { sk?: string };
  RequestItems?: Record<string, { PutRequest?: { Item?: { sk?: string } } }[]>;
};
const writesTimelineItem = (input: SentInput): boolean =>
  [
    input.Item,
    ...Object.values(input.RequestItems ?? {}).flatMap((puts) => puts.map((put) => put.PutRequest?.Item)),
  ].some((item) => String(item?.sk ?? '').startsWith(TIMELINE_SK_PREFIX));

describe('erase racing a park that moves the oldest entries off the lead', () => {
  const dynalite = useDynalite();
  const newStore = (doc = dynalite.doc) =>
    new DynamoDbLeadStore(doc, { tableName: dynalite.tableName, carry: storyCarrier(sla) });
  const erase = (store: LeadStore) =>
    deleteLeadHandler({
      sla,
      store,
      clock: { now: () => OVERDUE },
      workflow: { stop: async () => undefined } as unknown as Workflow,
      leadIdSecret: 'test',
      allowedOrigins: [],
    } as ApiDeps)(eraseEvent, {} as Context);
  const parkStep = (store: LeadStore, step: StepPayload) =>
    park({ sla, store, clock: { now: () => OVERDUE }, notifier }, parkInputOf(step, 'token-racing'));
  async function plannedPark(store: LeadStore): Promise<StepPayload> {
    await store.createLead(
      handedOff(HANDED, 'jonas', { leadId: FIXTURE_LEAD_ID, slaVersion: sla.version, timeline: story }),
    );
    const step = await advance({ sla, store, clock: { now: () => OVERDUE }, notifier }, input);
    expect(step.planned).toBeTruthy();
    return step;
  }

  /**
   * The doc client with `race` run once, just before the park's first write of moved entries reaches
   * dynalite; `then` sees every later command first (it throws to fail one: an INJECTED FAULT).
   */
  function racingDoc(
    race: () => Promise<void>,
    then?: (input: SentInput & { Item?: { sk?: string } }) => void,
  ) {
    let raced = false;
    const doc = new Proxy(dynalite.doc, {
      get(target, property, receiver) {
        if (property !== 'send') return Reflect.get(target, property, receiver);
        return async (command: { input: SentInput }) => {
          if (!raced && writesTimelineItem(command.input)) {
            raced = true;
            await race();
          } else if (raced) then?.(command.input);
          return target.send(command as never);
        };
      },
    });
    return { doc, raced: () => raced };
  }

  /** What the park moved stays in the partition (it may not delete), as erase keeps entries: no reasons. */
  async function expectMovedWithoutPersonalData(store: DynamoDbLeadStore): Promise<void> {
    const moved = await store.listTimeline(FIXTURE_LEAD_ID);
    expect(moved.flatMap((entry) => entry.reasons)).toEqual([]);
    expect(JSON.stringify(moved)).not.toContain('Petra');
  }

  it('the park’s write lands after erase deleted the history and before erase wrote the lead: no moved entry survives', async () => {
    // Arrange: the park runs right after erase's deletion of the history
    const store = newStore();
    const step = await plannedPark(store);
    let parked: string | undefined;
    const erasing: LeadStore = new Proxy(store, {
      get(target, property, receiver) {
        const value = Reflect.get(target, property, receiver);
        if (property !== 'deleteLeadHistory' || typeof value !== 'function') return value;
        return async (leadId: string) => {
          await value.call(target, leadId);
          if (!parked) parked = await parkStep(store, step);
        };
      },
    });

    // Act
    const response = await erase(erasing);

    // Assert
    expect(response.statusCode).toBe(200);
    expect(parked).toBe('parked');
    const lead = (await store.getLead(FIXTURE_LEAD_ID))!;
    expect(lead.erasedAt).toBeDefined();
    expect(await store.listTimeline(FIXTURE_LEAD_ID)).toEqual([]);
    expect(JSON.stringify(lead)).not.toContain('Petra');
  });

  it('the park’s moved entries land after erase deleted the history, its state write then fails: what it moved keeps no personal data', async () => {
    // Arrange: erase runs whole as the park's first moved entry is about to be written
    const store = newStore();
    const step = await plannedPark(store);
    const { doc, raced } = racingDoc(async () => {
      expect((await erase(store)).statusCode).toBe(200);
    });

    // Act
    const parked = await parkStep(newStore(doc), step);

    // Assert
    expect(raced()).toBe(true);
    expect(parked).toBe('changed');
    expect((await store.getLead(FIXTURE_LEAD_ID))?.erasedAt).toBeDefined();
    await expectMovedWithoutPersonalData(store);
  });

  it('the park’s moved entries land after erase deleted the history, its state write then errors (no answer at all): what it moved keeps no personal data', async () => {
    // Arrange: erase runs whole as the park's first moved entry is about to be written; then the park's
    // state put fails with an error, not a refused condition (INJECTED FAULT: the connection resets past
    // the SDK's retries; a doc-client proxy, as the race above)
    const store = newStore();
    const step = await plannedPark(store);
    const { doc, raced } = racingDoc(
      async () => {
        expect((await erase(store)).statusCode).toBe(200);
      },
      (input) => {
        if (input.Item?.sk === 'STATE')
          throw Object.assign(new Error('INJECTED FAULT: socket hang up'), { name: 'TimeoutError' });
      },
    );

    // Act
    const parking = parkStep(newStore(doc), step);

    // Assert
    await expect(parking).rejects.toThrow('INJECTED FAULT');
    expect(raced()).toBe(true);
    expect((await store.getLead(FIXTURE_LEAD_ID))?.erasedAt).toBeDefined();
    await expectMovedWithoutPersonalData(store);
  });

  it('the park’s moved entries land after erase and after the person came back (a new cycle), its state write then fails: what it moved keeps no personal data', async () => {
    // Arrange: erase runs whole, then the person posts again (the restart as submitLead makes it), as the
    // park's first moved entry is about to be written: the lead is no longer erased when the park looks
    const store = newStore();
    const step = await plannedPark(store);
    const { doc, raced } = racingDoc(async () => {
      expect((await erase(store)).statusCode).toBe(200);
      const again = new Date(OVERDUE.getTime() + 60_000);
      await updateLead(store, FIXTURE_LEAD_ID, (current) =>
        afterErasedCycle(
          current,
          newLeadState(
            sla,
            {
              leadId: FIXTURE_LEAD_ID,
              email: 'petra@plant.example',
              fields: {},
              marketingConsent: false,
              cycle: current.cycle + 1,
            },
            [],
            again,
            'form',
          ),
        ),
      );
    });

    // Act
    const parked = await parkStep(newStore(doc), step);

    // Assert
    expect(raced()).toBe(true);
    expect(parked).toBe('changed');
    const lead = (await store.getLead(FIXTURE_LEAD_ID))!;
    expect(lead.cycle).toBe(2);
    expect(lead.erasedAt).toBeUndefined();
    // the erased cycle's entries this park moved stay (this writer may not delete), without their reasons
    const partition = await store.listTimeline(FIXTURE_LEAD_ID);
    expect(partition.length).toBeGreaterThan(0);
    expect(JSON.stringify(partition)).not.toContain('Petra');
  });
});
