/**
 * A lead that was waiting for an owner when the list of such leads came (ADR 0041 amended): its manager was
 * asked before, so its state item was written without the owner index's waiting keys, and the handoff's
 * hourly retries find nobody and write nothing. On DynamoDB (dynalite) with the real tasks (advance,
 * handoff, park), wake after wake at each park's deadline, as the state machine runs them.
 */
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { DynamoDbLeadQueries } from '../../lambdas/adapters/dynamodb-lead-queries.ts';
import { DynamoDbLeadStore } from '../../lambdas/adapters/dynamodb-lead-store.ts';
import { OWNER_INDEX, stateKey } from '../../lambdas/adapters/table-definition.ts';
import { unplacedKey } from '../../lambdas/domain/outbox.ts';
import { storyCarrier } from '../../lambdas/domain/story-carry.ts';
import { advance } from '../../lambdas/tasks/advance.ts';
import type { TaskDeps } from '../../lambdas/tasks/deps.ts';
import { handoff } from '../../lambdas/tasks/handoff.ts';
import type { Notifier } from '../../lambdas/tasks/notifier.ts';
import { park } from '../../lambdas/tasks/park.ts';
import { useDynalite } from '../support/dynalite.ts';
import { FIXTURE_LEAD_ID, leadState } from '../support/lead-state.ts';
import { parkInputOf } from '../support/park-input.ts';
import { everyoneAway, loadDefaultSla } from '../support/sla.ts';

/** everyone of every queue out of office: each handoff finds nobody */
const sla = everyoneAway(loadDefaultSla());
const notifier = new Proxy({} as Notifier, { get: () => async () => undefined });
const HOUR = 3_600_000;

describe('a lead waiting for an owner since before the list', () => {
  const dynalite = useDynalite();

  it('is on the list after its next hourly handoff, and later retries write nothing', async () => {
    // Arrange: an SQL with no owner whose manager was asked ("needs an owner" sent), its state item as
    // written before the list (no owner index keys)
    const store = new DynamoDbLeadStore(dynalite.doc, {
      tableName: dynalite.tableName,
      carry: storyCarrier(sla),
    });
    const queries = new DynamoDbLeadQueries(dynalite.doc, dynalite.tableName);
    const sql = leadState({ leadId: FIXTURE_LEAD_ID, stage: 'sql', status: 'new', slaVersion: sla.version });
    await store.createLead({ ...sql, sent: [unplacedKey(sql)] });
    await dynalite.doc.send(
      new UpdateCommand({
        TableName: dynalite.tableName,
        Key: stateKey(FIXTURE_LEAD_ID),
        UpdateExpression: 'REMOVE #pk, #sk',
        ExpressionAttributeNames: { '#pk': OWNER_INDEX.partitionKey, '#sk': OWNER_INDEX.sortKey },
      }),
    );
    const waiting = async () => {
      const ids: string[] = [];
      for await (const candidate of queries.candidates({ waitingForOwner: true })) ids.push(candidate.leadId);
      return ids;
    };
    expect(await waiting()).toEqual([]);
    const deps: Omit<TaskDeps, 'clock'> = { sla, store, notifier };
    const input = {
      leadId: FIXTURE_LEAD_ID,
      cycle: 1,
      generation: 0,
      loops: 0,
      startedAt: '2026-12-07T09:00:00.000Z',
    };
    /** one wake at `at`: advance, the handoff it asks for, the park that follows */
    const wake = async (at: Date) => {
      const clock = { now: () => at };
      let step = await advance({ ...deps, clock }, input);
      if (step.next === 'handoff') step = await handoff({ ...deps, clock }, input);
      expect(step.next).toBe('park');
      expect(await park({ ...deps, clock }, parkInputOf(step, `token-${at.getTime()}`))).toBe('parked');
    };

    // Act: the next hourly wake
    await wake(new Date('2026-12-07T09:00:00.000Z'));

    // Assert: listed, still without an owner
    expect(await waiting()).toEqual([FIXTURE_LEAD_ID]);
    const listed = (await store.getLead(FIXTURE_LEAD_ID))!;
    expect(listed.ownerId).toBeUndefined();

    // Act: the wakes of the hours after
    for (let hour = 1; hour <= 3; hour++)
      await wake(new Date(Date.parse('2026-12-07T09:00:00.000Z') + hour * HOUR));

    // Assert: still listed; nothing but the parks wrote (the state's last change is the listing write)
    expect(await waiting()).toEqual([FIXTURE_LEAD_ID]);
    expect((await store.getLead(FIXTURE_LEAD_ID))!.updatedAt).toBe(listed.updatedAt);
  });
});
