/**
 * observeWrites: observers are told in turn after a write, every one even when one fails (the first
 * failure is thrown once all were told); nothing is told when the lead was there already. A create's
 * `alongside` (the caller's next step) runs beside the observers, once the lead was created, never else.
 */
import { describe, expect, it } from 'vitest';
import { MemoryLeadStore } from '../../lambdas/adapters/memory-lead-store.ts';
import { observeWrites } from '../../lambdas/adapters/observed-lead-store.ts';
import { type LeadState, newLeadState } from '../../lambdas/domain/lead-state.ts';
import type { LeadWriteObserver } from '../../lambdas/ports/lead-queries.ts';
import { loadDefaultSla } from '../support/sla.ts';

const sla = loadDefaultSla();
const lead = (id: string): LeadState =>
  newLeadState(
    sla,
    { leadId: id.padEnd(22, 'x'), email: `${id}@plant.example`, fields: {}, marketingConsent: false },
    [],
    new Date('2026-11-30T09:00:00.000Z'),
    'form',
  );

/** An observer that logs when it starts and ends, and may fail. */
function observer(name: string, log: string[], fails = false): LeadWriteObserver {
  return {
    leadWritten: async () => {
      log.push(`${name} start`);
      await new Promise((resolve) => setTimeout(resolve, 5));
      log.push(`${name} end`);
      if (fails) throw new Error(`${name} failed`);
    },
  };
}

describe('observeWrites', () => {
  it('tells every observer in turn, a failing one included, then throws its failure', async () => {
    // Arrange
    const log: string[] = [];
    const store = observeWrites(new MemoryLeadStore(), observer('facts', log, true), observer('events', log));

    // Act
    const creating = store.createLead(lead('a'));

    // Assert
    await expect(creating).rejects.toThrow('facts failed');
    expect(log).toEqual(['facts start', 'facts end', 'events start', 'events end']);
    expect(await store.getLead(lead('a').leadId)).toBeDefined();
  });

  it('tells nothing when the lead was there already', async () => {
    // Arrange
    const log: string[] = [];
    const inner = new MemoryLeadStore();
    await inner.createLead(lead('c'));
    const store = observeWrites(inner, observer('facts', log));

    // Act
    const result = await store.createLead(lead('c'));

    // Assert
    expect(result).toBe('exists');
    expect(log).toEqual([]);
  });

  it("runs the caller's next step beside the observers once the lead is created, and settles after both", async () => {
    // Arrange: the step logs its start before the observer ends only if the two overlap
    const log: string[] = [];
    const store = observeWrites(new MemoryLeadStore(), observer('facts', log));
    const alongside = async () => {
      log.push('start workflow');
      await new Promise((resolve) => setTimeout(resolve, 10));
      log.push('workflow started');
    };

    // Act
    const result = await store.createLead(lead('d'), alongside);

    // Assert
    expect(result).toBe('created');
    expect(log).toEqual(['facts start', 'start workflow', 'facts end', 'workflow started']);
  });

  it.each([
    ['the lead was there already', true, []],
    ['an observer fails', false, ['start workflow']],
  ])("with the caller's next step, when %s: it runs only for a created lead", async (_, exists, ran) => {
    // Arrange
    const log: string[] = [];
    const inner = new MemoryLeadStore();
    if (exists) await inner.createLead(lead('e'));
    const store = observeWrites(inner, observer('facts', [], !exists));

    // Act
    const creating = store.createLead(lead('e'), async () => {
      log.push('start workflow');
    });

    // Assert
    if (exists) expect(await creating).toBe('exists');
    else await expect(creating).rejects.toThrow('facts failed');
    expect(log).toEqual(ran);
  });
});
