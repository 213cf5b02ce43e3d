/**
 * The simulator's parts that need no workflow: the seeded generator, the virtual clock's ordering, the
 * scenario file (its JSON Schema as committed, the example, defaults from the SLA), the synthetic leads.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Prng } from '../../local/simulate/prng.ts';
import {
  parseScenario,
  resolveScenario,
  ScenarioError,
  scenarioJsonSchema,
} from '../../local/simulate/scenario.ts';
import { SimulationClock } from '../../local/simulate/sim-clock.ts';
import { syntheticLeads } from '../../local/simulate/synthetic-leads.ts';
import { loadDefaultSla } from '../support/sla.ts';

describe('Prng (mulberry32)', () => {
  it('gives the sequence of the reference mulberry32 (bryc), and the same again for the same seed', () => {
    // Arrange: the reference implementation as published (github.com/bryc/code, PRNGs.md)
    const reference = (seed: number) => {
      let a = seed;
      return () => {
        a = (a + 0x6d2b79f5) | 0;
        let t = a;
        t = Math.imul(t ^ (t >>> 15), t | 1);
        t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
        return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
      };
    };
    const ours = new Prng(1);
    const again = new Prng(1);
    const theirs = reference(1);

    // Act
    const first = Array.from({ length: 1000 }, () => ours.next());

    // Assert
    expect(first).toEqual(Array.from({ length: 1000 }, () => theirs()));
    expect(Array.from({ length: 1000 }, () => again.next())).toEqual(first);
    expect(Math.min(...first)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...first)).toBeLessThan(1);
  });

  it('splits streams by name: one stream drawing more leaves the other unchanged', () => {
    // Act
    const leads = Prng.forStream(7, 'leads');
    const reps = Prng.forStream(7, 'reps');
    for (let i = 0; i < 50; i++) reps.next();

    // Assert
    expect(leads.next()).toBe(Prng.forStream(7, 'leads').next());
    expect(Prng.forStream(7, 'leads').next()).not.toBe(Prng.forStream(8, 'leads').next());
  });

  it('draws log-normal delays around their median with a p90 as asked', () => {
    // Act
    const prng = new Prng(3);
    const draws = Array.from({ length: 20_000 }, () => prng.logNormal(2, 10)).sort((x, y) => x - y);

    // Assert
    expect(draws[10_000]!).toBeGreaterThan(1.8);
    expect(draws[10_000]!).toBeLessThan(2.2);
    expect(draws[18_000]!).toBeGreaterThan(9);
    expect(draws[18_000]!).toBeLessThan(11);
  });
});

describe('SimulationClock', () => {
  it('fires by time, then in the order set; a cancelled timer never fires; time only moves forward', () => {
    // Arrange
    const clock = new SimulationClock(new Date('2027-01-04T00:00:00Z'));
    const fired: string[] = [];
    const at = (iso: string, name: string) => clock.at(new Date(iso), () => fired.push(name));
    at('2027-01-04T02:00:00Z', 'b1');
    at('2027-01-04T01:00:00Z', 'a');
    at('2027-01-04T02:00:00Z', 'b2');
    const cancel = at('2027-01-04T01:30:00Z', 'cancelled');
    at('2027-01-03T00:00:00Z', 'past: at once');
    cancel();

    // Act
    while (clock.fireNext(Date.parse('2027-01-04T01:59:59Z')));
    const stoppedAt = clock.now().toISOString();
    while (clock.fireNext(Number.POSITIVE_INFINITY));

    // Assert
    expect(fired).toEqual(['past: at once', 'a', 'b1', 'b2']);
    expect(stoppedAt).toBe('2027-01-04T01:00:00.000Z');
    expect(clock.now().toISOString()).toBe('2027-01-04T02:00:00.000Z');
    expect(clock.pending).toBe(0);
  });
});

describe('the scenario file', () => {
  it('has its JSON Schema committed as sla/scenario.schema.json (npm run scenario:schema)', () => {
    // Act
    const committed = JSON.parse(readFileSync('sla/scenario.schema.json', 'utf8'));

    // Assert
    expect(committed).toEqual(scenarioJsonSchema());
  });

  it('reads the example, and defaults the rest from the SLA', () => {
    // Arrange
    const sla = loadDefaultSla();

    // Act
    const scenario = resolveScenario(
      sla,
      parseScenario(readFileSync('examples/scenarios/trade-fair.yaml', 'utf8')),
    );
    const defaults = resolveScenario(sla);

    // Assert
    expect(scenario.campaigns).toEqual([{ name: 'Hannover Messe', day: 14, days: 4, factor: 3 }]);
    expect(scenario.reps.mike!.responseMedianHours).toBe(5);
    expect(scenario.reps.jonas!.responseMedianHours).toBe(1.5);
    expect(Object.keys(defaults.reps)).toEqual(sla.routing.reps.map((rep) => rep.id));
    // every manager of the SLA gives a lead over to them on (ADR 0023, amended)
    expect(Object.keys(defaults.managers)).toEqual(sla.routing.managers.map((manager) => manager.id));
    expect(defaults.managers.katrin).toEqual({ responseMedianHours: 3, responseP90Hours: 12, ignoreRate: 0 });
    expect(defaults.personas.map((p) => p.id)).toEqual([...sla.personas.map((p) => p.id), null]);
    expect(defaults.forms.map((f) => f.id)).toEqual([...sla.forms.map((f) => f.id), null]);
    // the calendar's working days carry the traffic
    expect(defaults.weekdays).toEqual([0.15, 1, 1, 1, 1, 1, 0.15]);
  });

  it.each([
    ['arrivals:\n  hours: [1, 2]\n', 'arrivals.hours: '],
    ['mix:\n  personas: { wizard: 1 }\n', 'mix.personas "wizard" is not in the SLA'],
    ['managers:\n  byManager: { boss: { ignoreRate: 1 } }\n', 'managers.byManager "boss" is not in the SLA'],
    ['colour: blue\n', 'Unrecognized key: "colour"'],
  ])('refuses %j naming the field', (text, message) => {
    // Act
    const attempt = () => resolveScenario(loadDefaultSla(), parseScenario(text, 's.yaml'));

    // Assert
    expect(attempt).toThrow(ScenarioError);
    expect(attempt).toThrow(message);
  });
});

describe('synthetic leads', () => {
  it('are the same for a seed, arrive in order inside the window, mostly on working days', () => {
    // Arrange
    const sla = loadDefaultSla();
    const scenario = resolveScenario(sla);

    // Act
    const leads = syntheticLeads(sla, scenario, { leads: 500, days: 28, seed: 5 });
    const again = syntheticLeads(sla, scenario, { leads: 500, days: 28, seed: 5 });

    // Assert
    expect(again).toEqual(leads);
    const start = Date.parse('2027-01-04T00:00:00Z');
    const times = leads.map((lead) => lead.arrivesAt);
    expect(times).toEqual([...times].sort((a, b) => a - b));
    expect(times[0]!).toBeGreaterThanOrEqual(start);
    expect(times.at(-1)!).toBeLessThan(start + 28 * 86_400_000);
    const weekend = leads.filter((lead) => [0, 6].includes(new Date(lead.arrivesAt).getUTCDay())).length;
    expect(weekend / leads.length).toBeLessThan(0.1);
    expect(new Set(leads.map((lead) => lead.post.email)).size).toBe(500);
  });
});
