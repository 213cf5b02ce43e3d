/**
 * Write units per state change for a lead with 500 timeline entries (issue 10, item 7; ADR 0021), measured
 * on dynalite through the DynamoDB adapter (ReturnConsumedCapacity, test/support/dynamodb-recorder.ts):
 *   before  the whole timeline on the state item (the adapter without `stored`: nothing moves, as before)
 *   after   a bounded tail on the state item, older entries in their own items (saveLead with `stored`)
 * Each change appends one entry, as a wake, a rep's update or an event does. Entries are ~1 KB (a
 * judgement with its reasons, the size the issue measured). Prints figures; never asserts.
 *   npx tsx bench/timeline-units.ts   (npm run bench:timeline; bench/cost.ts prints the same section)
 */
import { GetItemCommand } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import {
  createLeadStoreDocumentClient,
  DynamoDbLeadStore,
  TIMELINE_TAIL_KEEP,
  TIMELINE_TAIL_MAX,
} from '../lambdas/adapters/dynamodb-lead-store.ts';
import { fromLeadItem } from '../lambdas/adapters/lead-item.ts';
import type { LeadState, TimelineEntry } from '../lambdas/ports/lead-store.ts';
import { ensureTable, localDynamoDbClient, startDynalite } from '../local/dynalite.ts';
import { recordDynamoDbCommands } from '../test/support/dynamodb-recorder.ts';
import { handedOff } from '../test/support/lead-state.ts';

const ENTRIES = 500;
const CHANGES = 100;
const T0 = Date.parse('2026-11-30T08:00:00.000Z');

/** reasons per entry: 7 makes ~1.1 KB (JSON), 4 about 0.65 KB (500 of those still fit in one item) */
let REASONS = 4;

function entry(n: number): TimelineEntry {
  const reason = (rule: string, detail: string) => ({ rule, detail: `${detail} (entry ${n})` });
  return {
    at: new Date(T0 + n * 3_600_000).toISOString(),
    kind: 'judged',
    from: 'mql/working',
    to: 'mql/working',
    by: 'workflow',
    reasons: [
      reason('fit.industry.manufacturing', 'industry "manufacturing" is in the ideal customer profile: +25'),
      reason('fit.employees.200-1000', 'company size 800 employees is in the 200-1000 band: +20'),
      reason('fit.country.DE', 'country DE is a served market with a local sales team: +10'),
      reason(
        'fit.jobTitle.plant-manager',
        'job title "Plant Manager" matches the decision-maker persona: +15',
      ),
      reason(
        'engagement.page_view./pricing',
        'viewed /pricing 3 times in the last 7 days, decayed by half-life',
      ),
      reason('engagement.email_click.nurture-2', 'clicked the case study link in nurture email 2: +8'),
      reason(
        'lifecycle.mql.threshold',
        'total 78 is at or above the MQL threshold of 60 and below the SQL one',
      ),
    ].slice(-REASONS),
    version: 'default-2026-11',
  };
}

const state = (leadId: string, entries: number): LeadState =>
  handedOff('2026-11-30T09:00:00.000Z', 'jonas', {
    leadId,
    email: 'petra.schmidt@kessler-industrial.example',
    fields: {
      firstName: 'Petra',
      lastName: 'Schmidt',
      company: 'Kessler Industrial GmbH',
      jobTitle: 'Plant Manager',
      industry: 'manufacturing',
      employees: 800,
      country: 'DE',
    },
    sent: Array.from({ length: 12 }, (_, i) => `nurture:equipment:${i}`),
    timeline: Array.from({ length: entries }, (_, i) => entry(i)),
  });

export async function timelineWriteUnits(): Promise<string> {
  const dynamo = await startDynalite();
  const client = localDynamoDbClient(dynamo.endpoint);
  await ensureTable(client, 'bench-timeline');
  const recorder = recordDynamoDbCommands(client);
  const store = new DynamoDbLeadStore(createLeadStoreDocumentClient(client), { tableName: 'bench-timeline' });

  const itemUnits = async (leadId: string) => {
    const { ConsumedCapacity, Item } = await client.send(
      new GetItemCommand({
        TableName: 'bench-timeline',
        Key: { pk: { S: `LEAD#${leadId}` }, sk: { S: 'STATE' } },
        ReturnConsumedCapacity: 'TOTAL',
      }),
    );
    // the tail as the store reads it: the body's entries and any appended beside it (ADR 0037)
    const tail = Item ? fromLeadItem(unmarshall(Item)).timeline.length : 0;
    return { readUnits: ConsumedCapacity?.CapacityUnits ?? 0, tail };
  };

  /** CHANGES changes of one entry each; per change: write units and write requests */
  async function changes(leadId: string, moving: boolean) {
    let units = 0;
    let writes = 0;
    let requests = 0;
    for (let i = 0; i < CHANGES; i++) {
      const current = (await store.getLead(leadId))!;
      const next = {
        ...current,
        timeline: [...current.timeline, entry(ENTRIES + i)],
        version: current.version + 1,
      };
      recorder.reset();
      await store.saveLead(next, current.version, moving ? current : undefined);
      units += recorder.writeUnits();
      writes += recorder.writeRequests();
      requests += recorder.commands.length;
    }
    return { units: units / CHANGES, writes: writes / CHANGES, requests: requests / CHANGES };
  }

  // with entries of ~1.1 KB, 500 of them do not fit in one item at all
  REASONS = 7;
  const bigBytes = JSON.stringify(entry(1)).length;
  const bigBefore = await store.createLead(state('big', ENTRIES)).then(
    () => 'stored',
    (error: Error) => `refused: ${error.name} "${error.message}"`,
  );
  REASONS = 4;
  // before: 500 entries on the state item, every change rewrites them all
  await store.createLead(state('before', ENTRIES));
  const before = await changes('before', false);
  const beforeItem = await itemUnits('before');
  // after: the same lead; its first write moves all but the tail off the item (an old lead's one-time move)
  await store.createLead(state('after', ENTRIES));
  const first = (await store.getLead('after'))!;
  recorder.reset();
  await store.saveLead({ ...first, version: first.version + 1 }, first.version, first);
  const migration = { units: recorder.writeUnits(), writes: recorder.writeRequests() };
  const after = await changes('after', true);
  const afterItem = await itemUnits('after');
  const bare = state('bare', 0);
  await store.createLead(bare);
  const bareItem = await itemUnits('bare');
  client.destroy();
  await dynamo.close();

  const entryBytes = JSON.stringify(entry(1)).length;
  return [
    `Timeline write units per state change, a lead with ${ENTRIES} entries of ~${entryBytes} B (JSON), ${CHANGES} changes of one entry each (dynalite's consumed capacity)`,
    `  before (all on the state item)          ${before.units.toFixed(1)} WCU per change, ${before.writes.toFixed(2)} writes; reading the item: ${beforeItem.readUnits} RCU (strong)`,
    `  after  (tail ${TIMELINE_TAIL_KEEP}-${TIMELINE_TAIL_MAX}, the rest in own items)  ${after.units.toFixed(1)} WCU per change, ${after.writes.toFixed(2)} item writes in ${after.requests.toFixed(2)} requests (the move of ${TIMELINE_TAIL_MAX - TIMELINE_TAIL_KEEP} entries every ${TIMELINE_TAIL_MAX - TIMELINE_TAIL_KEEP} changes included); reading the item: ${afterItem.readUnits} RCU, tail now ${afterItem.tail}`,
    `  the same state with no timeline          reading it: ${bareItem.readUnits} RCU (the floor: the state's own attributes)`,
    `  an old lead's first write after the change moves ${ENTRIES - TIMELINE_TAIL_KEEP} entries once: ${migration.writes} writes, ${migration.units.toFixed(0)} WCU`,
    `  with entries of ~${bigBytes} B, a lead with ${ENTRIES} of them on the state item: ${bigBefore}`,
    '  target (issue 10): one write unit per change. Each entry is written once to its own item (~1 WCU each, in the average above).',
  ].join('\n');
}

const invokedDirectly = import.meta.url === `file://${process.argv[1]}`;
if (invokedDirectly) console.log(await timelineWriteUnits());
