/**
 * Does `leadpact simulate` tell what the runtime does? A small seeded run (the trade-fair scenario: a slow rep
 * who ignores leads, so escalations and reassignments happen) is replayed on the real local runtime
 * (startE2e: dynalite, the SES emulator, the ASL, the HTTP API, a manual clock): every request the
 * simulator's people made, at its virtual time, over HTTP. The runtime's GET /reports/sla for the window must
 * be the simulator's report, and the emails each rep and manager finds in the inbox (to or copied) must be
 * the simulator's "emails per person".
 */
import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { CONSENT_LINK_TTL_SECONDS, linkExpiry, signActionToken } from '../../lambdas/domain/action-links.ts';
import { parseScenario, resolveScenario } from '../../local/simulate/scenario.ts';
import type { SimulationFigures } from '../../local/simulate/simulation-report.ts';
import { type SimulatedCall, simulate } from '../../local/simulate/simulator.ts';
import { syntheticLeads } from '../../local/simulate/synthetic-leads.ts';
import { E2E_ADMIN_TOKEN, type E2e, startE2e } from '../support/e2e.ts';
import { loadDefaultSla } from '../support/sla.ts';

const LEADS = 150;
const DAYS = 30;
const SEED = 11;

/** Every request of the run, in order, on the runtime at its time; the lead ids mapped by the post's answer. */
async function replay(e2e: E2e, calls: readonly SimulatedCall[]): Promise<string[]> {
  const ids = new Map<string, string>();
  const disagreements: string[] = [];
  for (const call of calls) {
    // an attempt refused in the run (the rep no longer owns the lead) is refused as the rep: the admin the
    // replay acts as could log it, so it is not replayed
    if (call.status >= 300 && call.route !== 'POST /leads') continue;
    if (call.at > e2e.now().getTime()) await e2e.advanceTo(new Date(call.at));
    const body = call.body as Record<string, unknown>;
    const id = ids.get(call.params.id ?? '') ?? '';
    let status: number;
    if (call.route === 'POST /leads') {
      const answer = await e2e.request('POST', '/leads', { json: body });
      status = answer.status;
      const runtimeId = (answer.body as { leadId?: string }).leadId;
      if (call.leadId && runtimeId) ids.set(call.leadId, runtimeId);
    } else if (call.route === 'POST /leads/{id}/events') {
      status = (await e2e.request('POST', `/leads/${id}/events`, { json: body })).status;
    } else if (call.route === 'POST /leads/{id}/attempts') {
      const repId = call.principal?.replace(/^rep:/, '');
      status = (await e2e.request('POST', `/leads/${id}/attempts`, { json: { ...body, repId } })).status;
    } else if (call.route === 'PUT /leads/{id}/deal') {
      status = (await e2e.request('PUT', `/leads/${id}/deal`, { json: body })).status;
    } else if (call.route === 'POST /leads/{id}/owner') {
      // a manager giving a lead over to them to a rep of its queue (ADR 0088); the admin may give it to anyone,
      // and the run asked only what the manager could: the same handover, told the same way
      status = (await e2e.request('POST', `/leads/${id}/owner`, { json: body })).status;
    } else {
      // the consent link, signed for the runtime's lead with the runtime's secret
      const simulated = JSON.parse(Buffer.from(call.params.token!.split('.')[0]!, 'base64url').toString());
      const leadId = ids.get(simulated.l) ?? '';
      const lead = await e2e.runtime.deps.store.getLead(leadId);
      const token = signActionToken(
        {
          leadId,
          cycle: lead!.cycle,
          action: 'consent',
          value: lead!.consent!.requestId,
          nonce: `sim-confirm-${lead!.consent!.requestId}`,
          exp: linkExpiry(e2e.now(), CONSENT_LINK_TTL_SECONDS),
        },
        e2e.runtime.deps.actionSecret ?? '',
      );
      status = (await e2e.request('POST', `/consent/${token}`, { form: '' })).status;
    }
    await e2e.settle();
    if (status < 300 !== call.status < 300)
      disagreements.push(
        `${new Date(call.at).toISOString()} ${call.route}: run ${call.status}, runtime ${status}`,
      );
  }
  return disagreements;
}

describe('leadpact simulate against the runtime', () => {
  let e2e: E2e | undefined;
  afterAll(async () => {
    await e2e?.close();
  });

  it('reports what the runtime reports, and counts the emails each person receives', async () => {
    // Arrange: the run, with every request its people made
    const sla = loadDefaultSla();
    const input = parseScenario(readFileSync('examples/scenarios/trade-fair.yaml', 'utf8'));
    const scenario = resolveScenario(sla, input);
    const leads = syntheticLeads(sla, scenario, { leads: LEADS, days: DAYS, seed: SEED });
    const calls: SimulatedCall[] = [];
    const figures: SimulationFigures = await simulate({
      sla,
      scenario,
      leads,
      days: DAYS,
      seed: SEED,
      onCall: (call) => calls.push(call),
    });
    const { from, to } = figures.simulation;
    expect(figures.report.sales.total.escalations).toBeGreaterThan(0);
    expect(figures.report.sales.total.reassignments).toBeGreaterThan(0);
    e2e = await startE2e({
      sla,
      time: { manual: new Date(from) },
      rateLimit: { perMinute: 1_000_000, burst: 1_000_000 },
      reconcileEveryMs: 0,
    });

    // Act
    const disagreements = await replay(e2e, calls);
    await e2e.advanceTo(new Date(Date.parse(to) - 1));
    const report = await e2e.request('GET', `/reports/sla?from=${from}&to=${to}`, { token: E2E_ADMIN_TOKEN });
    const mails = await e2e.mails();

    // Assert
    expect(disagreements).toEqual([]);
    expect(report.status).toBe(200);
    expect(report.body).toEqual(figures.report);
    expect(mails).toHaveLength(figures.emails.total);
    const people = [...sla.routing.reps, ...sla.routing.managers];
    const inbox = people.map((person) => ({
      id: person.id,
      emails: mails.filter((mail) => mail.to.includes(person.email) || mail.cc.includes(person.email)).length,
    }));
    expect(figures.emails.byPerson.map(({ id, total }) => ({ id, emails: total }))).toEqual(inbox);
  }, 240_000);
});
