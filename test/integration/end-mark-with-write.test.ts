/**
 * A wake that sends an email and ends (the last nurture email of a track, then dormant) writes once: the
 * email recorded as sent in that write (as the park records its claims, ADR 0025), the lead ended with no
 * due time for it (ADR 0038: a failure before the mark is retried, or recorded by the Catch or by the
 * failed execution's event); then it sends, then marks the claim (`SENT#`). Three requests, one state
 * write (ADR 0033 had two). A later wake does not send it again, whatever wrote the lead meanwhile. On
 * DynamoDB (dynalite) with the real Advance.
 * INJECTED FAULT: a rep's write lands between the wake's write and its mark (a store wrapper makes it at
 * that moment: the window cannot be hit on demand otherwise).
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

type Fault = 'none' | 'a rep writes first';

/** The store, with `fault` just before the wake's mark. */
function storeWith(real: DynamoDbLeadStore, fault: Fault): LeadStore {
  return new Proxy(real, {
    get(target, property, receiver) {
      if (property !== 'markSent') return Reflect.get(target, property, receiver);
      return async (...args: Parameters<LeadStore['markSent']>) => {
        if (fault === 'a rep writes first')
          await updateLead(real, FIXTURE_LEAD_ID, (current) => ({
            ...current,
            fields: { ...current.fields, note: 'called' },
          }));
        return (target as LeadStore).markSent(...args);
      };
    },
  });
}

describe('an ending wake that sends: one state write, then the mark', () => {
  const dynalite = useDynalite();

  it.each<[Fault]>([['none'], ['a rep writes first']])('%s: the email goes out once', async (fault) => {
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
    // the read, the write (the email recorded, the lead dormant, nothing due), the mark after the send
    if (fault === 'none')
      expect(requests).toEqual(['Query ', 'PutItem STATE', expect.stringMatching(/^PutItem SENT#/)]);
    expect(step).toMatchObject({ next: 'end' });
    const after = (await real.getLead(FIXTURE_LEAD_ID))!;
    expect(after.dormant).toBeDefined();
    expect(after.dueAt).toBeUndefined();
    expect(after.timeline.filter((entry) => entry.kind === 'email')).toHaveLength(1);
    // the later wake read the mark: the claim is off the outbox (that wake had nothing else to write)
    const { state, confirmed = [] } = (await real.loadLead(FIXTURE_LEAD_ID))!;
    expect((state.outbox ?? []).filter((entry) => !confirmed.includes(entry.claim ?? ''))).toEqual([]);
  });
});
