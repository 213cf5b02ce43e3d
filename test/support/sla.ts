import { type Sla, type SlaInput, slaSchema } from '../../lambdas/domain/sla-schema.ts';

/** A parsed SLA for tests: the given sections over a minimal valid file (one rep, defaults elsewhere). */
export function makeSla(overrides: Partial<SlaInput> = {}): Sla {
  return slaSchema.parse({
    version: 'test-1',
    routing: { reps: [{ id: 'ann', name: 'Ann', email: 'ann@example.com' }] },
    ...overrides,
  });
}
