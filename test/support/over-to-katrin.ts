/**
 * The default SLA's hot lead (examples/leads/hot.json) that nobody touches: handed to Jonas, then Mike, then Carla,
 * until the ladder's two reassignments are used up and it is over to Katrin, the Equipment sales queue's manager
 * (Tue 1 Dec 23:00Z, Wed 00:00 CET). The start of the e2e suites about a takeover (ADRs 0085, 0088, 0090).
 */
import { type E2e, exampleLead } from './e2e.ts';

/** Wed 2 Dec 00:30 CET: the ladder has handed the hot lead over to Katrin */
export const AFTER_TAKEOVER = '2026-12-01T23:30:00.000Z';

/** Posts the hot lead and runs the clock to AFTER_TAKEOVER with nobody touching it; the lead's id. */
export async function hotLeadOverToKatrin(e: E2e): Promise<string> {
  const hot = exampleLead('hot');
  const leadId = e.leadIdOf(String(hot.email));
  await e.postLead(hot);
  await e.settle();
  await e.advanceTo(AFTER_TAKEOVER);
  return leadId;
}
