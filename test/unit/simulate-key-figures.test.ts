/**
 * The figures `leadpact simulate` prints and `--compare` sets side by side (local/simulate/simulation-report.ts)
 * count the funnel as the SLA report does (ADR 0073): a lead at every stage it reached, a stage it went
 * straight past included. A deal won without an opportunity stage on the way is a customer, and it reached
 * Opportunity too; before, the simulator read `entered` (moves into the stage only) and said 0 opportunities.
 */
import { describe, expect, it } from 'vitest';
import type { LeadState, TimelineEntry } from '../../lambdas/domain/lead-state.ts';
import { factsOf } from '../../lambdas/domain/report-facts.ts';
import { costOf, OperationCounts } from '../../local/simulate/operations.ts';
import { keyFigures, simulationFigures } from '../../local/simulate/simulation-report.ts';
import { leadState } from '../support/lead-state.ts';
import { loadDefaultSla } from '../support/sla.ts';

const sla = loadDefaultSla();
const FROM = '2026-11-30T00:00:00.000Z';
const TO = '2026-12-07T00:00:00.000Z';

function leadThrough(n: number, stages: readonly string[]): LeadState {
  const at = (hour: number) => `2026-11-30T${String(8 + hour).padStart(2, '0')}:00:00.000Z`;
  const timeline: TimelineEntry[] = stages.map((to, i) =>
    i === 0
      ? { at: at(0), kind: 'created', to, by: 'form', reasons: [] }
      : { at: at(i), kind: 'stage', from: stages[i - 1], to, by: 'workflow', reasons: [] },
  );
  return leadState({ leadId: `LeadKeyFigures000000${String(n).padStart(2, '0')}`, timeline });
}

describe('simulate key figures', () => {
  // Arrange: two won straight from SQL (no opportunity on the way), one through an opportunity
  const leads = [
    leadThrough(1, ['sql', 'customer']),
    leadThrough(2, ['sql', 'customer']),
    leadThrough(3, ['sql', 'opportunity', 'customer']),
    leadThrough(4, ['mql']),
  ];
  const figures = simulationFigures({
    sla,
    facts: leads.flatMap((state) => factsOf(sla, state)),
    from: FROM,
    to: TO,
    emails: [],
    peakOpenExecutions: 0,
    openAtEnd: 0,
    leads: leads.length,
    cost: costOf(new OperationCounts(), leads.length),
    errors: 0,
  });

  it.each([
    ['Opportunities', 3],
    ['Customers', 3],
    ['MQLs', 4],
  ])('%s counts every lead that reached the stage: %i', (label, expected) => {
    // Act
    const figure = keyFigures(figures).find((candidate) => candidate.label === label);

    // Assert
    expect(figure?.value).toBe(expected);
  });
});
