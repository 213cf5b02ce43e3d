/**
 * Ids the simulator makes from its seed (ADR 0037): a post's submission event, a wake's claim and an attempt
 * without one take `newId` from their deps when given (crypto.randomUUID otherwise), and the simulator gives
 * a seeded one, so a seed writes the same bytes on every run (random ids compress to a byte more or less).
 */
import { describe, expect, it } from 'vitest';
import { MemoryLeadStore } from '../../lambdas/adapters/memory-lead-store.ts';
import { submissionSchema } from '../../lambdas/api/lead-submission.ts';
import { submitLead } from '../../lambdas/api/leads-public.ts';
import { leadIdFor } from '../../lambdas/domain/lead-id.ts';
import { Wake } from '../../lambdas/tasks/wake.ts';
import { RecordingWorkflow } from '../../local/recording-workflow.ts';
import { Prng } from '../../local/simulate/prng.ts';
import { exampleLead } from '../support/e2e.ts';
import { loadDefaultSla } from '../support/sla.ts';

const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('seeded ids', () => {
  it('Prng.uuid: version-4-shaped, the same sequence for the same seed, another for another', () => {
    // Arrange
    const draw = (seed: number) => {
      const prng = Prng.forStream(seed, 'ids');
      return Array.from({ length: 50 }, () => prng.uuid());
    };
    // Act
    const first = draw(7);
    // Assert
    for (const id of first) expect(id).toMatch(UUID_V4);
    expect(new Set(first).size).toBe(50);
    expect(draw(7)).toEqual(first);
    expect(draw(8)).not.toEqual(first);
  });

  it("a post's submission event and a wake's claim take the deps' ids", async () => {
    // Arrange
    const sla = loadDefaultSla();
    const store = new MemoryLeadStore();
    const ids = ['event-id-from-the-seed', 'wake-id-from-the-seed'];
    const newId = () => ids.shift()!;
    const clock = { now: () => new Date('2026-11-30T08:00:00.000Z') };
    const deps = {
      sla,
      store,
      workflow: new RecordingWorkflow(),
      clock,
      newId,
      leadIdSecret: 's'.repeat(32),
      allowedOrigins: [],
    };
    const submission = submissionSchema.parse(exampleLead('hot'));
    const leadId = leadIdFor(submission.email, deps.leadIdSecret);
    // Act
    await submitLead(deps, submission, leadId);
    const wake = new Wake({ sla, store, clock, newId, notifier: undefined as never }, clock.now());
    // Assert
    expect((await store.getLead(leadId))?.createdByEvent).toBe('event-id-from-the-seed');
    expect(wake.id).toBe('wake-id-from-the-seed');
  });
});
