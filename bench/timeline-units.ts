/**
 * Write units per state change for a lead with 500 timeline entries (issue 10, item 7; ADR 0021, ADR 0032,
 * ADR 0037), measured on dynalite through the DynamoDB adapter (ReturnConsumedCapacity,
 * test/support/dynamodb-recorder.ts), for both item formats (`itemFormat`: 'plain', every field an attribute,
 * as before ADR 0037; 'body', the compressed body), each:
 *   every entry on the state item (the adapter without `stored`: nothing moves)
 *   a bounded tail on the state item, older entries in pages of their own (saveLead with `stored`, ADR 0042)
 * Each change appends one entry, as a wake, a rep's update or an event does. Entries are ~1 KB (a
 * judgement with its reasons, the size the issue measured). Prints figures; never asserts.
 *   npx tsx bench/timeline-units.ts   (npm run bench:timeline; bench/cost.ts prints the same section)
 */
import { type DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import {
  createLeadStoreDocumentClient,
  DynamoDbLeadStore,
  TIMELINE_TAIL_KEEP,
  TIMELINE_TAIL_MAX,
} from '../lambdas/adapters/dynamodb-lead-store.ts';
import type { ItemFormat } from '../lambdas/adapters/lead-item.ts';
import { PAGE_ENTRIES } from '../lambdas/adapters/timeline-page.ts';
import type { LeadState, TimelineEntry } from '../lambdas/ports/lead-store.ts';
import { ensureTable, localDynamoDbClient, startDynalite } from '../local/dynalite.ts';
import { type DynamoDbRecorder, recordDynamoDbCommands } from '../test/support/dynamodb-recorder.ts';
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

/** One layout's figures: the lead with every entry on the item, the tail with moves, the bare state, the move. */
async function measureFormat(client: DynamoDBClient, recorder: DynamoDbRecorder, itemFormat: ItemFormat) {
  const tableName = `bench-timeline-${itemFormat}`;
  await ensureTable(client, tableName);
  const store = new DynamoDbLeadStore(createLeadStoreDocumentClient(client), { tableName, itemFormat });

  const itemUnits = async (leadId: string) => {
    const { ConsumedCapacity } = await client.send(
      new GetItemCommand({
        TableName: tableName,
        Key: { pk: { S: `LEAD#${leadId}` }, sk: { S: 'STATE' } },
        ReturnConsumedCapacity: 'TOTAL',
      }),
    );
    const lead = await store.getLead(leadId);
    return { readUnits: ConsumedCapacity?.CapacityUnits ?? 0, tail: lead?.timeline.length ?? 0 };
  };

  /** CHANGES changes of one entry each; per change: write units and write requests */
  async function changes(leadId: string, moving: boolean) {
    let units = 0;
    let pageUnits = 0;
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
      pageUnits += recorder.commands
        .filter((command) => command.name === 'BatchWriteItemCommand')
        .reduce((sum, command) => sum + command.capacityUnits, 0);
      writes += recorder.writeRequests();
      requests += recorder.commands.length;
    }
    return {
      units: units / CHANGES,
      pageUnits: pageUnits / CHANGES,
      writes: writes / CHANGES,
      requests: requests / CHANGES,
    };
  }

  // with entries of ~1.1 KB, 500 of them may not fit in one item at all
  REASONS = 7;
  const big = await store.createLead(state('big', ENTRIES)).then(
    () => 'stored',
    (error: Error) => `refused (${error.name})`,
  );
  REASONS = 4;
  // every entry on the state item: every change rewrites them all
  await store.createLead(state('before', ENTRIES));
  const whole = await changes('before', false);
  const wholeItem = await itemUnits('before');
  // the tail: the lead's first write moves all but the tail off the item (an old lead's one-time move)
  await store.createLead(state('after', ENTRIES));
  const first = (await store.getLead('after'))!;
  recorder.reset();
  await store.saveLead({ ...first, version: first.version + 1 }, first.version, first);
  const migration = { units: recorder.writeUnits(), writes: recorder.writeRequests() };
  const tail = await changes('after', true);
  const tailItem = await itemUnits('after');
  await store.createLead(state('bare', 0));
  const bareItem = await itemUnits('bare');
  return { big, whole, wholeItem, migration, tail, tailItem, bareItem };
}

export async function timelineWriteUnits(): Promise<string> {
  const dynamo = await startDynalite();
  const client = localDynamoDbClient(dynamo.endpoint);
  const recorder = recordDynamoDbCommands(client);
  REASONS = 7;
  const bigBytes = JSON.stringify(entry(1)).length;
  REASONS = 4;
  const plain = await measureFormat(client, recorder, 'plain');
  const body = await measureFormat(client, recorder, 'body');
  client.destroy();
  await dynamo.close();

  const entryBytes = JSON.stringify(entry(1)).length;
  const moved = TIMELINE_TAIL_MAX - TIMELINE_TAIL_KEEP;
  const row = (label: string, of: (f: typeof plain) => string) =>
    `  ${label.padEnd(58)}${of(plain).padEnd(32)}${of(body)}`;
  return [
    `Timeline write units per state change, a lead with ${ENTRIES} entries of ~${entryBytes} B (JSON), ${CHANGES} changes of one entry each (dynalite's consumed capacity)`,
    `  ${''.padEnd(58)}${'plain (ADR 0032)'.padEnd(32)}compressed body (ADR 0037)`,
    row('every entry on the state item, per change', (f) => `${f.whole.units.toFixed(1)} WCU`),
    row(
      `tail ${TIMELINE_TAIL_KEEP}-${TIMELINE_TAIL_MAX}, the rest in pages (ADR 0042), per change`,
      (f) => `${f.tail.units.toFixed(1)} WCU`,
    ),
    row(
      '  of which the state write / the pages of moved entries',
      (f) => `${(f.tail.units - f.tail.pageUnits).toFixed(2)} / ${f.tail.pageUnits.toFixed(2)} WCU`,
    ),
    row(
      '  item writes / requests per change (moves included)',
      (f) => `${f.tail.writes.toFixed(2)} / ${f.tail.requests.toFixed(2)}`,
    ),
    row('reading the state (strong), every entry on it', (f) => `${f.wholeItem.readUnits} RCU`),
    row(`reading the state (strong), tail (now ${body.tailItem.tail})`, (f) => `${f.tailItem.readUnits} RCU`),
    row('reading the state with no timeline (its own attributes)', (f) => `${f.bareItem.readUnits} RCU`),
    row(
      `an old lead's first write moves ${ENTRIES - TIMELINE_TAIL_KEEP} entries once`,
      (f) => `${f.migration.writes} writes, ${f.migration.units.toFixed(0)} WCU`,
    ),
    row(`${ENTRIES} entries of ~${bigBytes} B on one state item`, (f) => f.big),
    `  the move of ${moved} entries every ${moved} changes is in the per-change figures: one page of up to ${PAGE_ENTRIES} entries, compressed (one item per entry before ADR 0042: 2.9 WCU per change).`,
    '  target (issue 10): one write unit per change. The state write alone is at least 1: its own attributes and six index keys are ~1 KB before the body.',
  ].join('\n');
}

const invokedDirectly = import.meta.url === `file://${process.argv[1]}`;
if (invokedDirectly) console.log(await timelineWriteUnits());
