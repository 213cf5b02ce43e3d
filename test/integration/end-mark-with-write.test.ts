/**
 * A wake that sends an email and ends (the last nurture email of a track, then dormant) claims the email in
 * one write, sends it, and takes the claim and its due time off in the next: that write confirms the send,
 * so no `SENT#` mark is written (3 requests, not 4). When that write does not land (another writer came
 * first) or the wake fails after the send, the mark is written all the same, so no reader finds the claim
 * unconfirmed and sends the email again. On DynamoDB (dynalite) with the real Advance.
 * INJECTED FAULTS: a rep's write lands between the send and the wake's next write (a store wrapper makes
 * it, at that moment: the window cannot be hit on demand otherwise); the store refuses that write once.
 */
import { describe, expect, it } from 'vitest';
import { DynamoDbLeadStore } from '../../lambdas/adapters/dynamodb-lead-store.ts';
import { OUTBOX_LEASE_MS } from '../../lambdas/domain/outbox.ts';
import { storyCarrier } from '../../lambdas/domain/story-carry.ts';
import { type LeadStore, updateLead } from '../../lambdas/ports/lead-store.ts';
import { advance } from '../../lambdas/tasks/advance.ts';
import { ManualScheduler } from '../../local/scheduler.ts';
import { useDynalite } from '../support/dynalite.ts';
import { FIXTURE_LEAD_ID, lastOfTrack } from '../support/lead-state.ts';
import { loadDefaultSla } from '../support/sla.ts';
import { RecordingNotifier } from '../support/workflow-harness.ts';

const sla = loadDefaultSla();
/** Mon 2026-11-30 10:00Z */
const T0 = new Date('2026-11-30T10:00:00.000Z');
const input = { leadId: FIXTURE_LEAD_ID, cycle: 1, generation: 0, loops: 0, startedAt: T0.toISOString() };

type Fault = 'none' | 'a rep writes first' | 'the write fails';

/** The store, with `fault` at the wake's second state write (the one after the send). */
function storeWith(real: DynamoDbLeadStore, fault: Fault): LeadStore {
  let saves = 0;
  return new Proxy(real, {
    get(target, property, receiver) {
      if (property !== 'saveLead') return Reflect.get(target, property, receiver);
      return async (...args: Parameters<LeadStore['saveLead']>) => {
        if (++saves === 2 && fault === 'a rep writes first')
          await updateLead(real, FIXTURE_LEAD_ID, (current) => ({
            ...current,
            fields: { ...current.fields, note: 'called' },
          }));
        if (saves === 2 && fault === 'the write fails') throw new Error('injected: the store is unavailable');
        return (target as LeadStore).saveLead(...args);
      };
    },
  });
}

describe('an ending wake that sends: the write after the send confirms it', () => {
  const dynalite = useDynalite();

  it.each<[Fault, number]>([
    ['none', 0],
    ['a rep writes first', 1],
    ['the write fails', 1],
  ])('%s: the email goes out once, and %d mark', async (fault, marks) => {
    // Arrange
    const real = new DynamoDbLeadStore(dynalite.doc, {
      tableName: dynalite.tableName,
      carry: storyCarrier(sla),
    });
    await real.createLead(lastOfTrack(sla.version, T0.toISOString()));
    const clock = new ManualScheduler(T0);
    const notifier = new RecordingNotifier(clock);
    const store = storeWith(real, fault);
    dynalite.resetRecording();
    // Act
    const step = await advance({ sla, store, clock, notifier }, input).catch((error: Error) => error);
    const requests = dynalite.commands.map((c) => `${c.name.replace('Command', '')} ${c.sortKey ?? ''}`);
    // then a later wake, past the claim's lease: it must not send the email again
    await clock.advanceTo(new Date(T0.getTime() + OUTBOX_LEASE_MS + 60_000), async () => undefined);
    await advance({ sla, store: real, clock, notifier }, input);
    // Assert
    expect(notifier.notifications.filter((n) => n.kind === 'nurture')).toHaveLength(1);
    expect(requests.filter((r) => r.startsWith('PutItem SENT#'))).toHaveLength(marks);
    const after = (await real.getLead(FIXTURE_LEAD_ID))!;
    expect(after.outbox ?? []).toEqual([]);
    expect(after.dormant).toBeDefined();
    expect(after.dueAt).toBeUndefined();
    if (fault === 'none') {
      expect(step).toMatchObject({ next: 'end' });
      // the read, the claim with its due time, the write that takes both off: no mark
      expect(requests).toEqual(['Query ', 'PutItem STATE', 'PutItem STATE']);
    }
  });
});
