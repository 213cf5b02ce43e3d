/**
 * The escalation ladder never hands a lead back to a rep who already let it lie in this handoff, also on a
 * long lead whose handoff moved off its state with older entries (ADR 0021): the wake reads them back
 * (one Query) for the reps to exclude, or take them from the facts carry its moves wrote. On dynalite through the DynamoDB adapter, several leads so the
 * rotation's turns pass every rep of the queue.
 */
import { describe, expect, it } from 'vitest';
import { DynamoDbLeadStore } from '../../lambdas/adapters/dynamodb-lead-store.ts';
import type { LeadState, TimelineEntry } from '../../lambdas/domain/lead-state.ts';
import { storyCarrier } from '../../lambdas/domain/story-carry.ts';
import { updateLead } from '../../lambdas/ports/lead-store.ts';
import { advance } from '../../lambdas/tasks/advance.ts';
import type { Notifier } from '../../lambdas/tasks/notifier.ts';
import { park } from '../../lambdas/tasks/park.ts';
import { useDynalite } from '../support/dynalite.ts';
import { handedOff } from '../support/lead-state.ts';
import { parkInputOf } from '../support/park-input.ts';
import { loadDefaultSla } from '../support/sla.ts';

const sla = loadDefaultSla();
/** handed to Jonas on Monday 09:00 Berlin, reassigned to Lena at 13:00 (she let it lie too) */
const HANDED = '2026-11-30T08:00:00.000Z';
const TO_LENA = '2026-11-30T12:00:00.000Z';
/** Tuesday 15:00 Berlin: Lena's first touch is four business hours late, the ladder's reassign is due */
const WAKE = new Date('2026-12-01T14:00:00.000Z');
const MINUTE = 60_000;

const owner = (at: string, to: string, from?: string): TimelineEntry => ({
  at,
  kind: 'owner',
  to,
  ...(from ? { from } : {}),
  by: 'workflow',
  reasons: [{ rule: 'routing.queue', detail: `assigned to ${to}` }],
});
const judged = (n: number): TimelineEntry => ({
  at: new Date(Date.parse(TO_LENA) + (n + 1) * MINUTE).toISOString(),
  kind: 'judged',
  from: 'sql/new',
  to: 'sql/new',
  by: 'workflow',
  reasons: [{ rule: 'fixture', detail: `judgement ${n} of a long story` }],
});

describe('reassignment on a lead whose handoff moved off its state', () => {
  const dynalite = useDynalite();

  it.each([
    ['moved by a store without the carry: read back from the moved entries', false, 4],
    ['moved with the facts carry, which lists them (ADR 0030): nothing read back', true, 0],
  ])('excludes every rep since the handoff, %s', async (_, carried, reads) => {
    // Arrange: moved entries read back are counted
    const moving = new DynamoDbLeadStore(dynalite.doc, {
      tableName: dynalite.tableName,
      ...(carried ? { carry: storyCarrier(sla) } : {}),
    });
    let readBack = 0;
    const store = new Proxy(moving, {
      get(target, property, receiver) {
        if (property === 'listMovedEntries') readBack++;
        return Reflect.get(target, property, receiver);
      },
    });
    const notifier = new Proxy({} as Notifier, { get: () => async () => undefined });
    const deps = { sla, store, clock: { now: () => WAKE }, notifier };
    const leads: string[] = [];
    for (let i = 0; i < 4; i++) {
      const leadId = `LeadLongReassign0000${i}`;
      const lead: LeadState = handedOff(HANDED, 'lena', {
        leadId,
        slaVersion: sla.version,
        leadType: 'equipment-sales',
        fields: { country: 'DE', firstName: 'Petra', company: 'Brauhaus' },
        ownerSince: TO_LENA,
        reassignments: 1,
        escalationsTaken: 2,
        timeline: [owner(HANDED, 'jonas'), owner(TO_LENA, 'lena', 'jonas')],
      });
      expect(await store.createLead(lead)).toBe('created');
      for (let batch = 0; batch < 12; batch++)
        await updateLead(store, leadId, (current) => ({
          ...current,
          timeline: [...current.timeline, ...Array.from({ length: 10 }, (_, n) => judged(batch * 10 + n))],
        }));
      const stored = (await store.getLead(leadId))!;
      expect(stored.timeline.some((entry) => entry.kind === 'owner')).toBe(false);
      leads.push(leadId);
    }
    // Act: each lead's wake and its park, as the state machine runs them
    const owners: string[] = [];
    for (const leadId of leads) {
      const step = await advance(deps, { leadId, cycle: 1, generation: 0, loops: 0, startedAt: HANDED });
      await park(deps, parkInputOf(step, `token-${leadId}`));
      owners.push((await store.getLead(leadId))!.ownerId ?? 'none');
    }
    // Assert: reassigned, and never back to Jonas or Lena
    expect(owners.filter((id) => id === 'lena')).toEqual([]);
    expect(owners.filter((id) => id === 'jonas')).toEqual([]);
    expect(owners.filter((id) => id !== 'none').length).toBe(4);
    expect(readBack).toBe(reads);
  });
});
