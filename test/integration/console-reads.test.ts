/**
 * What a console page reads from DynamoDB, counted on the local runtime's client (dynalite): the report
 * facts of a window read once per page view (not once for the team's figures, again for the company's and
 * again for the histogram), and a manager's search reading only the leads that match (not every open lead
 * of the team). Counts, never times; bench/console.ts has the figures at 20,000 leads.
 */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { BatchWriteCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { DynamoDbLeadQueries } from '../../lambdas/adapters/dynamodb-lead-queries.ts';
import { leadItem } from '../../lambdas/adapters/lead-item.ts';
import { leadPartition } from '../../lambdas/adapters/table-definition.ts';
import type { LeadState } from '../../lambdas/domain/lead-state.ts';
import { SEARCH_MATCH_CAP } from '../../lambdas/ports/lead-queries.ts';
import { consoleFetch, signIn, textOf } from '../support/console.ts';
import { useDynalite } from '../support/dynalite.ts';
import { leadState } from '../support/lead-state.ts';
import { SQL_LEAD, salesRoutes, useLocalApi } from '../support/local-api.ts';

const api = useLocalApi({ eventsOff: true });

const KATRIN = 'katrin.vogel@kessler-industrial.example'; // manager of Jonas, Lena, Mats, Sofia

let katrin: Promise<string> | undefined;
/** Katrin's session, signed in once (one sign-in link a minute) */
const katrinCookie = () => {
  katrin ??= signIn(api.runtime, KATRIN);
  return katrin;
};

interface Sent {
  readonly name: string;
  /** a Query's `:pk` or a GetItem's `pk` */
  readonly pk: string | undefined;
}

/** Every command the client sends from now on, with the partition it reads. */
function recordReads(client: DynamoDBClient): Sent[] {
  const sent: Sent[] = [];
  const plain = (value: unknown) =>
    typeof value === 'string' ? value : (value as { S?: string } | undefined)?.S;
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const input = args.input as {
        Key?: Record<string, unknown>;
        ExpressionAttributeValues?: Record<string, unknown>;
      };
      sent.push({
        name: context.commandName ?? 'unknown',
        pk: plain(input.Key?.pk) ?? plain(input.ExpressionAttributeValues?.[':pk']),
      });
      return next(args);
    },
    { step: 'initialize', name: `consoleReads${Math.random().toString(36).slice(2)}` },
  );
  return sent;
}

const countBy = (values: readonly string[]) => {
  const counts = new Map<string, number>();
  for (const value of values) counts.set(value, (counts.get(value) ?? 0) + 1);
  return counts;
};

describe('the report facts a page reads', () => {
  it.each([
    ['/console/reports?period=30d', 31],
    ['/console/reports?period=last-week', 7],
    ['/console', 8],
  ])('%s as a manager reads each day of facts once', async (path, leastDays) => {
    // Arrange
    const cookie = await katrinCookie();
    const sent = recordReads(api.runtime.dynamoDb);
    // Act
    const answer = await consoleFetch(api.runtime, 'GET', path, { cookie });
    // Assert
    expect(answer.status).toBe(200);
    const days = countBy(sent.flatMap(({ pk }) => (pk?.startsWith('FACTS#') ? [pk] : [])));
    expect(days.size).toBeGreaterThanOrEqual(leastDays);
    expect([...days].filter(([, times]) => times > 1)).toEqual([]);
  });
});

describe("a manager's search", () => {
  it('reads the leads that match, not every open lead of the team', async () => {
    // Arrange: eight open leads of Jonas (Katrin's team), two of them named Zephyrine
    const handOff = async (lastName: string) => {
      const leadId = await api.createLead({
        email: api.uniqueEmail(lastName.toLowerCase()),
        firstName: 'Petra',
        lastName,
        company: `${lastName} GmbH`,
        ...SQL_LEAD,
      });
      await api.handOff(leadId, 'jonas');
      return leadId;
    };
    const others = [];
    for (let i = 0; i < 6; i++) others.push(await handOff(`Alderton${i}`));
    const wanted = [await handOff('Zephyrine'), await handOff('Zephyrine')];
    const cookie = await katrinCookie();
    const sent = recordReads(api.runtime.dynamoDb);
    // Act
    const answer = await consoleFetch(api.runtime, 'GET', '/console/leads?q=zephyrine', { cookie });
    // Assert: both found; none of the other six read
    expect(answer.status).toBe(200);
    for (const leadId of wanted) expect(answer.text).toContain(`/console/leads/${leadId}`);
    expect(textOf(answer.text)).not.toContain('Alderton');
    const read = new Set(sent.flatMap(({ name, pk }) => (name === 'GetItemCommand' && pk ? [pk] : [])));
    expect(others.filter((leadId) => read.has(leadPartition(leadId)))).toEqual([]);
  });
});

describe('"Due today, per rep" on the overview', () => {
  it('reads no lead the owner index shows past its contact phase (connected, an open deal)', async () => {
    // Arrange: Jonas's leads: two connected, two with an open deal (no cadence step is due), one in contact
    const sales = salesRoutes(api);
    const past: string[] = [];
    for (let i = 0; i < 2; i++) {
      const connected = await sales.handedOffLead(`connected${i}`);
      expect((await sales.status(connected, { status: 'connected' })).status).toBe(200);
      const deal = await sales.handedOffLead(`deal${i}`);
      expect((await sales.deal(deal, { stage: 'discovery' })).status).toBe(200);
      past.push(connected, deal);
    }
    const inContact = await sales.handedOffLead('contact');
    const cookie = await katrinCookie();
    const sent = recordReads(api.runtime.dynamoDb);
    // Act
    const answer = await consoleFetch(api.runtime, 'GET', '/console', { cookie });
    // Assert: the lead in contact is read (and checked); none past the contact phase
    expect(answer.status).toBe(200);
    const read = new Set(sent.flatMap(({ name, pk }) => (name === 'GetItemCommand' && pk ? [pk] : [])));
    expect(read.has(leadPartition(inContact))).toBe(true);
    expect(past.filter((leadId) => read.has(leadPartition(leadId)))).toEqual([]);
  });
});

describe('an owner list narrowed by a search, on the indexes', () => {
  const dynalite = useDynalite();
  const owned = (n: number, company: string): LeadState =>
    leadState({
      leadId: `Search${String(n).padStart(16, '0')}`,
      email: `buyer${n}@example.com`,
      fields: { company },
      stage: 'sql',
      status: 'new',
      ownerId: 'jonas',
      handedOffAt: '2026-11-30T09:00:00.000Z',
      updatedAt: new Date(Date.parse('2026-11-30T09:00:00.000Z') + n * 1000).toISOString(),
    });

  async function arrange(leads: readonly LeadState[]): Promise<DynamoDbLeadQueries> {
    for (let i = 0; i < leads.length; i += 25)
      await dynalite.doc.send(
        new BatchWriteCommand({
          RequestItems: {
            [dynalite.tableName]: leads
              .slice(i, i + 25)
              .map((lead) => ({ PutRequest: { Item: leadItem(lead) } })),
          },
        }),
      );
    return new DynamoDbLeadQueries(dynalite.doc, dynalite.tableName);
  }

  const ids = async (queries: DynamoDbLeadQueries, q: string) => {
    const out: string[] = [];
    for await (const candidate of queries.candidates({ owners: ['jonas'], q })) out.push(candidate.leadId);
    return out;
  };

  it('lists only the matches, newest update first', async () => {
    // Arrange
    const queries = await arrange([owned(1, 'Zed Tools'), owned(2, 'Acme'), owned(3, 'Zed Works')]);
    // Act
    const found = await ids(queries, 'zed');
    // Assert
    expect(found).toEqual([owned(3, '').leadId, owned(1, '').leadId]);
  });

  it(`lists every owned lead when a search index holds more than ${SEARCH_MATCH_CAP} matches`, async () => {
    // Arrange: more matches of "ac" than one search index reads, and one owned lead that does not match
    const many = Array.from({ length: SEARCH_MATCH_CAP + 5 }, (_, n) => owned(n, `Acme ${n}`));
    const queries = await arrange([...many, owned(9_999, 'Zed Tools')]);
    // Act
    const found = await ids(queries, 'ac');
    // Assert: none of the matches capped away (the list's own filter drops the one that does not match)
    expect(found).toHaveLength(SEARCH_MATCH_CAP + 6);
  });
});

describe('the leads list, page by page', () => {
  it('a later page links to the next one and back to the first, with the same filters', async () => {
    // Arrange: more SQLs of Jonas than one page shows (25)
    for (let i = 0; i < 26; i++)
      await api.handOff(
        await api.createLead({
          email: api.uniqueEmail('paged'),
          firstName: 'Paula',
          lastName: `Paged${i}`,
          ...SQL_LEAD,
        }),
        'jonas',
      );
    const cookie = await katrinCookie();
    const first = await consoleFetch(api.runtime, 'GET', '/console/leads?owner=jonas', { cookie });
    const next = /href="(\/console\/leads\?[^"]*cursor=[^"]+)"[^>]*>Next page/.exec(first.text)?.[1];
    expect(next).toBeDefined();
    // Act
    const second = await consoleFetch(api.runtime, 'GET', next!.replace(/&amp;/g, '&'), { cookie });
    // Assert
    expect(second.status).toBe(200);
    expect(second.text).toMatch(/<a class="button" href="\/console\/leads\?owner=jonas">First page<\/a>/);
    expect(first.text).not.toContain('First page');
  });
});
