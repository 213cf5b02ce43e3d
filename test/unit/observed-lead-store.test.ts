/**
 * observeWrites: observers are told in turn after a write, every one even when one fails (the first
 * failure is thrown once all were told, DynamoDB busy logged instead); nothing is told when the lead was there already. A create's
 * `alongside` (the caller's next step) runs beside the observers, once the lead was created, never else.
 */
import { describe, expect, it, vi } from 'vitest';
import { MemoryLeadStore } from '../../lambdas/adapters/memory-lead-store.ts';
import { observeWrites } from '../../lambdas/adapters/observed-lead-store.ts';
import { type LeadState, newLeadState } from '../../lambdas/domain/lead-state.ts';
import type { LeadWriteObserver } from '../../lambdas/ports/lead-queries.ts';
import type { LeadStore } from '../../lambdas/ports/lead-store.ts';
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
function observer(name: string, log: string[], fails: boolean | 'busy' = false): LeadWriteObserver {
  return {
    leadWritten: async () => {
      log.push(`${name} start`);
      await new Promise((resolve) => setTimeout(resolve, 5));
      log.push(`${name} end`);
      if (fails === 'busy') throw Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' });
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

  it("throws a later observer's failure that is no busy dependency, a busy one before it notwithstanding", async () => {
    // Arrange
    const log: string[] = [];
    const store = observeWrites(
      new MemoryLeadStore(),
      observer('facts', log, 'busy'),
      observer('events', log, true),
    );
    const warnings = vi.spyOn(console, 'warn').mockImplementation(() => undefined);

    // Act
    const thrown = await store.createLead(lead('f')).then(
      () => undefined,
      (error: Error) => error,
    );
    warnings.mockRestore();

    // Assert
    expect(thrown?.message).toBe('events failed');
    expect(log).toEqual(['facts start', 'facts end', 'events start', 'events end']);
  });

  it.each([
    ['createLead', (store: LeadStore) => store.createLead(lead('b')), 'created'],
    [
      'saveLead',
      async (store: LeadStore) => {
        const stored = lead('s');
        await store.createLead(stored);
        return store.saveLead({ ...stored, version: stored.version + 1 }, stored.version, stored);
      },
      'saved',
    ],
  ] as const)(
    '%s: an observer meeting DynamoDB busy is logged, not thrown: the lead is written, the events publisher puts its facts',
    async (_name, write, written) => {
      // Arrange: the fact log throttled past the SDK's retries (on the second write for saveLead)
      const log: string[] = [];
      let writes = 0;
      const facts: LeadWriteObserver = {
        leadWritten: async (state, since) => {
          if (++writes === (written === 'saved' ? 2 : 1))
            return observer('facts', log, 'busy').leadWritten(state, since);
        },
      };
      const store = observeWrites(new MemoryLeadStore(), facts, observer('events', log));
      const warnings = vi.spyOn(console, 'warn').mockImplementation(() => undefined);

      // Act
      const result = await write(store);
      const warned = warnings.mock.calls.map(([line]) => JSON.parse(String(line)));
      warnings.mockRestore();

      // Assert
      expect(result).toBe(written);
      // every observer told of the write (the save's lead was created first, told to the events observer alone)
      expect(log.slice(-4)).toEqual(['facts start', 'facts end', 'events start', 'events end']);
      expect(warned).toEqual([
        expect.objectContaining({
          level: 'warn',
          msg: expect.stringContaining('events publisher'),
          error: 'ThrottlingException',
        }),
      ]);
    },
  );

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
