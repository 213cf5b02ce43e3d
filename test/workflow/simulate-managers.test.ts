/**
 * The managers of `leadpact simulate`'s people model (ADR 0023, amended): when the escalation ladder runs out and
 * a lead is over to its queue's manager ("Over to you", ADR 0085), the simulated manager gives it to a rep of its
 * queue (POST /leads/{id}/owner as `manager:<id>`, as the console does, ADR 0088) after a delay in the SLA
 * calendar's business hours, so the report's takeover figures (ADR 0090) are those of people who act. Before,
 * managers never acted: every takeover was "still open" or "recycled untouched", none given on.
 */
import { describe, expect, it } from 'vitest';
import { parseScenario, resolveScenario } from '../../local/simulate/scenario.ts';
import { type SimulatedCall, simulate } from '../../local/simulate/simulator.ts';
import { syntheticLeads } from '../../local/simulate/synthetic-leads.ts';
import { loadDefaultSla } from '../support/sla.ts';

const sla = loadDefaultSla();
const DAYS = 30;
// many SQLs, and reps who let most of them lie: the ladder runs out often. The managers as the scenario's
// defaults have them (scenario.ts DEFAULT_MANAGER: a median of 3 business hours, p90 12)
const NEGLECT = `
mix: { fit: { ideal: 0.6, partial: 0.3, poor: 0.1 } }
reps:
  default: { ignoreRate: 0.7 }
`;

async function run(seed: number, text = NEGLECT) {
  const scenario = resolveScenario(sla, parseScenario(text, 'neglect.yaml'), { days: DAYS });
  const calls: SimulatedCall[] = [];
  const figures = await simulate({
    sla,
    scenario,
    leads: syntheticLeads(sla, scenario, { leads: 200, days: DAYS, seed }),
    days: DAYS,
    seed,
    onCall: (call) => calls.push(call),
  });
  return { figures, calls };
}

describe('leadpact simulate: managers', () => {
  it('give the leads over to them to a rep of the queue, after a delay in business hours', async () => {
    // Act
    const { figures, calls } = await run(7);

    // Assert
    const takeovers = figures.report.sales.takeovers!;
    expect(figures.simulation.errors).toBe(0);
    expect(takeovers.total.overTo).toBeGreaterThan(10);
    // most are given on; the rest are the run's last days (still open) or owners who called after all
    expect(takeovers.total.givenOn).toBeGreaterThan(takeovers.total.overTo * 0.8);
    expect(takeovers.total.givenOnHours.n).toBe(takeovers.total.givenOn);
    // the modelled median is 3 business hours, p90 12: the report reads about that back
    expect(takeovers.total.givenOnHours.p50).toBeGreaterThan(1);
    expect(takeovers.total.givenOnHours.p50).toBeLessThan(6);
    expect(takeovers.total.givenOnHours.p90).toBeLessThan(30);
    // each as the manager, answered, and to a rep of a queue that manager manages
    const given = calls.filter((call) => call.route === 'POST /leads/{id}/owner');
    expect(given.length).toBeGreaterThanOrEqual(takeovers.total.givenOn);
    for (const call of given) {
      const manager = call.principal?.replace(/^manager:/, '');
      const queues = sla.routing.queues.filter((queue) => queue.manager === manager);
      expect(call.principal).toMatch(/^manager:/);
      expect(call.status).toBe(200);
      expect(queues.flatMap((queue) => queue.reps)).toContain((call.body as { owner: string }).owner);
    }
  }, 120_000);

  it('gives the same figures for the same seed, and other ones for another seed', async () => {
    // Act
    const first = await run(5);
    const again = await run(5);
    const other = await run(6);

    // Assert
    expect(first.figures.report.sales.takeovers!.total.givenOn).toBeGreaterThan(0);
    expect(JSON.stringify(again.figures)).toBe(JSON.stringify(first.figures));
    expect(JSON.stringify(again.calls)).toBe(JSON.stringify(first.calls));
    expect(JSON.stringify(other.figures.report.sales.takeovers)).not.toBe(
      JSON.stringify(first.figures.report.sales.takeovers),
    );
  }, 180_000);

  it('leave a lead with its owner when the scenario says they ignore takeovers', async () => {
    // Act
    const { figures, calls } = await run(
      7,
      `${NEGLECT}managers:\n  byManager: { katrin: { ignoreRate: 1 } }\n`,
    );

    // Assert: Katrin gives nothing on; her takeovers end as the cadence or the run ends them
    const katrin = figures.report.sales.takeovers!.byManager.find((row) => row.id === 'katrin');
    expect(katrin?.overTo).toBeGreaterThan(0);
    expect(katrin?.givenOn).toBe(0);
    expect(calls.filter((call) => call.principal === 'manager:katrin')).toEqual([]);
  }, 120_000);
});
