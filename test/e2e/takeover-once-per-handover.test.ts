/**
 * One handover goes over to a manager once (ADR 0085, adversarial review of 3ccafc53). The schema lets an SLA's
 * escalation ladder go on after its reassign rung ("4bh reassign" then "1bd reassign"); once `maxReassignments` is
 * reached the first of them hands the lead over to the queue's manager ("Over to you"), and the next one did so
 * again: a second "Over to you" about the same handover, its takeover stored anew (the "Still over to you" reminders
 * counted from the second, so one of them did not come) and a second takeover in the SLA report. Through the whole
 * local runtime (dynalite, the SES emulator, the ASL on aws-local-stepfunctions, the API over HTTP), sla/default.yaml
 * with that one rung more, manual time: the hot lead goes Jonas, Mike, Carla; Katrin takes it over on Wed 2 Dec
 * 00:00 CET; the later rung falls due on Wed afternoon.
 */
import { describe, expect, it } from 'vitest';
import { parseDuration } from '../../lambdas/domain/duration.ts';
import type { SlaReport } from '../../lambdas/domain/sla-report.ts';
import type { Sla } from '../../lambdas/domain/sla-schema.ts';
import { E2E_ADMIN_TOKEN } from '../support/e2e.ts';
import { hotLeadOverToKatrin } from '../support/over-to-katrin.ts';
import { loadDefaultSla } from '../support/sla.ts';
import { useRuntime } from '../support/use-runtime.ts';

const KATRIN = 'katrin.vogel@kessler-industrial.example';
/** Sat 5 Dec 01:00 CET: the later reassign rung has fallen due (Wed), Katrin's reminders of Thu and Fri with it */
const AFTER_TWO_REMINDERS = '2026-12-05T00:00:00.000Z';

/** sla/default.yaml whose ladder goes on after its reassign rung: one more, a business day after the deadline */
function ladderGoesOn(): Sla {
  const sla = loadDefaultSla();
  const after = parseDuration('1bd');
  if (!after) throw new Error('1bd does not read as a duration');
  return {
    ...sla,
    handoff: { ...sla.handoff, escalation: [...sla.handoff.escalation, { after, action: 'reassign' }] },
  };
}

describe('a ladder with a reassign rung after the one that handed the lead over', () => {
  const e = useRuntime({ sla: ladderGoesOn() });

  it('hands the handover over once: one "Over to you", the reminders from it, one takeover in the report', async () => {
    // Arrange: the hot lead, nobody touching it, until the ladder hands it over to Katrin
    const leadId = await hotLeadOverToKatrin(e());
    const takenOver = (await e().readLead(leadId)).timeline.filter((entry) => entry.kind === 'escalation');
    expect(takenOver).toHaveLength(1);

    // Act: the later rung falls due; Carla still lets the lead lie
    await e().advanceTo(AFTER_TWO_REMINDERS);

    // Assert: one "Over to you", then a reminder each business day counted from it
    const subjects = (await e().mailsTo(KATRIN))
      .map((mail) => mail.subject)
      .filter((subject) => /^(Still over to you|Over to you)/.test(subject))
      .map((subject) => subject.split(':')[0]);
    expect(subjects).toEqual(['Over to you', 'Still over to you', 'Still over to you']);
    const lead = await e().readLead(leadId);
    expect(lead.owner?.id).toBe('carla');
    expect(lead.timeline.filter((entry) => entry.kind === 'escalation')).toHaveLength(1);
    const answer = await e().request('GET', '/reports/sla?from=2026-11-30&to=2026-12-05', {
      token: E2E_ADMIN_TOKEN,
    });
    expect(answer.status).toBe(200);
    expect((answer.body as SlaReport).sales.takeovers?.total).toMatchObject({ overTo: 1, open: 1 });
  });
});
