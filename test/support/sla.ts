import { readFileSync } from 'node:fs';
import { parseSla } from '../../lambdas/domain/sla-file.ts';
import { type Rep, type Sla, type SlaInput, slaSchema } from '../../lambdas/domain/sla-schema.ts';

/** sla/default.yaml, parsed; throws with the errors when it does not parse. */
export function loadDefaultSla(): Sla {
  const parsed = parseSla(readFileSync(new URL('../../sla/default.yaml', import.meta.url), 'utf8'));
  if (!parsed.ok) throw new Error(`sla/default.yaml does not parse: ${JSON.stringify(parsed.errors)}`);
  return parsed.sla;
}

/** A parsed SLA for tests: the given sections over a minimal valid file (one rep, defaults elsewhere). */
export function makeSla(overrides: Partial<SlaInput> = {}): Sla {
  return slaSchema.parse({
    version: 'test-1',
    routing: { reps: [{ id: 'ann', name: 'Ann', email: 'ann@example.com' }] },
    ...overrides,
  });
}

/** The SLA with every rep out of office for the whole test window: a handoff finds nobody. */
export function everyoneAway(sla: Sla): Sla {
  const away = [{ from: '2026-11-01', to: '2027-01-31' }];
  return {
    ...sla,
    routing: { ...sla.routing, reps: sla.routing.reps.map((rep) => ({ ...rep, outOfOffice: away })) },
  };
}

/** The SLA (default: sla/default.yaml) with one manager out of office from `from` to `to`, with a deputy or none. */
export function managerAway(
  managerId: string,
  away: { readonly from: string; readonly to: string },
  deputy?: string,
  sla: Sla = loadDefaultSla(),
): Sla {
  return {
    ...sla,
    routing: {
      ...sla.routing,
      managers: sla.routing.managers.map((manager) =>
        manager.id === managerId
          ? { ...manager, outOfOffice: [{ ...away }], ...(deputy ? { deputy } : {}) }
          : manager,
      ),
    },
  };
}

/** The SLA (default: sla/default.yaml) with one rep changed: `withRep('jonas', { capacity: 40 })`. */
export function withRep(repId: string, change: Partial<Rep>, sla: Sla = loadDefaultSla()): Sla {
  return {
    ...sla,
    routing: {
      ...sla.routing,
      reps: sla.routing.reps.map((rep) => (rep.id === repId ? { ...rep, ...change } : rep)),
    },
  };
}

/**
 * The SLA (default: sla/default.yaml) with the guide form (the cold lead's) on single opt-in: its ticked box is
 * the consent, nurture starts at once.
 */
export function guideOnSingleOptIn(sla: Sla = loadDefaultSla()): Sla {
  return {
    ...sla,
    forms: sla.forms.map((form) =>
      form.id === 'efficiency-guide' ? { ...form, consent: 'single' as const } : form,
    ),
  };
}
