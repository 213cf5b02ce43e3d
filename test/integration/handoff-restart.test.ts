/**
 * The "New SQL" email and a restart under load: the Handoff task sends it, and the Park that would record it
 * sent never runs (the local runtime stopped, or the execution died, between the two: under load the Park
 * waits behind other tasks for seconds, so every restart caught some leads there). The restarted execution
 * must not send it again. On DynamoDB (dynalite) with the real tasks (handoff, advance); the notifier records
 * what it is asked to send.
 *
 * Reproduced first in the local runtime (60 hot leads, 20 ms per DynamoDB request, `--speed 60`, five
 * restarts 300 ms apart): two leads got "New SQL" twice.
 */
import { describe, expect, it } from 'vitest';
import { DynamoDbLeadStore } from '../../lambdas/adapters/dynamodb-lead-store.ts';
import { storyCarrier } from '../../lambdas/domain/story-carry.ts';
import { advance } from '../../lambdas/tasks/advance.ts';
import type { TaskDeps } from '../../lambdas/tasks/deps.ts';
import { handoff } from '../../lambdas/tasks/handoff.ts';
import type { Notifier } from '../../lambdas/tasks/notifier.ts';
import { useDynalite } from '../support/dynalite.ts';
import { FIXTURE_LEAD_ID, leadState } from '../support/lead-state.ts';
import { loadDefaultSla } from '../support/sla.ts';

const sla = loadDefaultSla();
/** Monday 2026-12-07, 10:00 in Berlin */
const AT = new Date('2026-12-07T09:00:00.000Z');
const MINUTE = 60_000;

describe('a restart between the Handoff that sent "New SQL" and the Park that records it', () => {
  const dynalite = useDynalite();

  it('the restarted execution does not send it again', async () => {
    // Arrange: an SQL with no owner; its Handoff runs and sends, and its Park never runs
    const store = new DynamoDbLeadStore(dynalite.doc, {
      tableName: dynalite.tableName,
      carry: storyCarrier(sla),
    });
    await store.createLead(
      leadState({ leadId: FIXTURE_LEAD_ID, stage: 'sql', status: 'new', slaVersion: sla.version }),
    );
    const sent: string[] = [];
    const notifier = new Proxy({} as Notifier, {
      get: (_, kind) => async () => {
        sent.push(String(kind));
      },
    });
    const deps = (at: Date): TaskDeps => ({ sla, store, notifier, clock: { now: () => at } });
    const input = { leadId: FIXTURE_LEAD_ID, cycle: 1, generation: 0, loops: 0, startedAt: AT.toISOString() };
    await handoff(deps(AT), input);
    expect(sent).toEqual(['sqlAssigned']);

    // Act: the reconciler restarts the lead (the next generation) after a restart, past the claim's lease
    const later = new Date(AT.getTime() + 5 * MINUTE);
    const restarted = { ...input, generation: 1, startedAt: later.toISOString() };
    let step = await advance(deps(later), restarted);
    if (step.next === 'handoff') step = await handoff(deps(later), restarted);

    // Assert: still one "New SQL"; the lead parks for its first touch
    expect(sent).toEqual(['sqlAssigned']);
    expect(step.next).toBe('park');
  });
});
