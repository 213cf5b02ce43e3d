/**
 * The owners the console's lead list offers beyond the SLA's reps: reps who have left the SLA but still hold
 * leads (GET /leads?owner=<id> lists them: lead-list.ts requireKnownOwner), named by the name recorded for them.
 */
import { TooManyFactsError } from '../../ports/lead-queries.ts';
import type { ApiDeps } from '../deps.ts';
import { formerOwners, type Viewer } from '../viewer.ts';

/** at most this many facts read to find one former owner's name (the day they were given their latest lead) */
const MAX_NAME_FACTS = 5_000;

export interface FormerOwner {
  readonly id: string;
  /** the SLA's name of them when they were given their latest lead (a report fact's repName), else null */
  readonly name: string | null;
}

/**
 * A manager's and ops' former owners still holding a lead (a rep sees only their own leads): those the SLA's
 * migrations name, and `asked` (the list's owner filter) when the SLA has no rep of that id, in that order, each
 * once. One read of the owner index per id; for each holding a lead, one read of that lead and of the report
 * facts of the day it was given to them, whose handover fact recorded their name (report-facts.ts repName).
 */
export async function formerOwnersHolding(
  deps: Pick<ApiDeps, 'sla' | 'queries' | 'store'>,
  viewer: Viewer,
  asked: string | undefined,
): Promise<FormerOwner[]> {
  const { sla, queries } = deps;
  if (viewer.role === 'rep' || !queries) return [];
  const ids = formerOwners(sla);
  if (asked !== undefined && !sla.routing.reps.some((rep) => rep.id === asked) && !ids.includes(asked))
    ids.push(asked);
  const found: FormerOwner[] = [];
  for (const id of ids) {
    let leadId: string | undefined;
    for await (const held of queries.candidates({ owners: [id] })) {
      leadId = held.leadId;
      break;
    }
    if (leadId === undefined) continue;
    found.push({ id, name: await recordedName(deps, id, leadId) });
  }
  return found;
}

/** The name a report fact recorded for `rep` the day they were given `leadId` (its ownerSince); null if none. */
async function recordedName(
  deps: Pick<ApiDeps, 'queries' | 'store'>,
  rep: string,
  leadId: string,
): Promise<string | null> {
  const lead = await deps.store.getLead(leadId);
  const since = lead?.ownerId === rep ? lead.ownerSince : undefined;
  if (!since || !deps.queries) return null;
  const day = since.slice(0, 10);
  try {
    const facts = await deps.queries.listFacts(day, day, { max: MAX_NAME_FACTS });
    return facts.findLast((fact) => fact.rep === rep && fact.repName)?.repName ?? null;
  } catch (error) {
    if (error instanceof TooManyFactsError) return null;
    throw error;
  }
}
