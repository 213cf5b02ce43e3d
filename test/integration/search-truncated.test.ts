/**
 * A search without an owner filter reads at most SEARCH_MATCH_CAP matches per search index and spelling
 * (ADR 0054): past that the list was cut, and said nothing. Now GET /leads says so (`truncated: true`, beside
 * the fields it always had) and the console tells ops "showing the first N; narrow your search", in their
 * language. A search under the cap, and an owner's search (which lists every owned match), are not cut.
 * Over real HTTP on dynalite; the leads written straight into the table (hundreds, in batches).
 */
import { BatchWriteCommand, DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { leadItem } from '../../lambdas/adapters/lead-item.ts';
import type { LeadState } from '../../lambdas/domain/lead-state.ts';
import { SEARCH_MATCH_CAP } from '../../lambdas/ports/lead-queries.ts';
import { LOCAL_TABLE } from '../../local/runtime.ts';
import { consoleFetch, signIn, textOf } from '../support/console.ts';
import { leadState } from '../support/lead-state.ts';
import { type LocalApi, useLocalApi } from '../support/local-api.ts';
import { loadDefaultSla } from '../support/sla.ts';

const PRIYA = 'priya.shah@kessler-industrial.example'; // ops
const KATRIN = 'katrin.vogel@kessler-industrial.example'; // manager of Jonas

function acme(n: number): LeadState {
  return leadState({
    leadId: `Acme${String(n).padStart(18, '0')}`,
    email: `buyer${n}@acme-${n}.example`,
    fields: { firstName: 'Petra', lastName: `Buyer${n}`, company: `Acme ${n}` },
    stage: 'sql',
    status: 'new',
    ownerId: 'jonas',
    handedOffAt: '2026-11-26T09:00:00.000Z',
    createdAt: new Date(Date.parse('2026-11-26T09:00:00.000Z') + n * 1000).toISOString(),
    updatedAt: new Date(Date.parse('2026-11-26T09:00:00.000Z') + n * 1000).toISOString(),
  });
}

/** SEARCH_MATCH_CAP + 5 leads whose company starts with "Acme", and one "Zed Tools" */
async function arrange(api: LocalApi): Promise<void> {
  const doc = DynamoDBDocumentClient.from(api.runtime.dynamoDb);
  const leads = [
    ...Array.from({ length: SEARCH_MATCH_CAP + 5 }, (_, n) => acme(n)),
    { ...acme(9_999), email: 'zed@zed.example', fields: { company: 'Zed Tools' } },
  ];
  for (let i = 0; i < leads.length; i += 25)
    await doc.send(
      new BatchWriteCommand({
        RequestItems: {
          [LOCAL_TABLE]: leads.slice(i, i + 25).map((lead) => ({ PutRequest: { Item: leadItem(lead) } })),
        },
      }),
    );
}

describe('a search cut at its cap says so', () => {
  const api = useLocalApi({ eventsOff: true });

  it('GET /leads answers truncated: true past the cap, false under it; items and next as before', async () => {
    // Arrange
    await arrange(api);

    // Act
    const cut = await api.request('GET', '/leads?q=acme');
    const whole = await api.request('GET', '/leads?q=zed');
    const owners = await api.request('GET', '/leads?q=acme&owner=jonas');

    // Assert
    expect(cut.status).toBe(200);
    const page = cut.body as { items: unknown[]; next: string | null; truncated: boolean };
    expect(Object.keys(page).sort()).toEqual(['items', 'next', 'truncated']);
    expect(page.items).toHaveLength(25);
    expect(page.next).toEqual(expect.any(String));
    expect(page.truncated).toBe(true);
    // the next page of the same search is cut too
    const second = await api.request('GET', `/leads?q=acme&cursor=${page.next}`);
    expect((second.body as { truncated: boolean }).truncated).toBe(true);
    expect(whole.body).toMatchObject({ next: null, truncated: false });
    expect((whole.body as { items: unknown[] }).items).toHaveLength(1);
    // an owner's search lists every owned match (the owner index, narrowed): nothing cut
    expect((owners.body as { truncated: boolean }).truncated).toBe(false);
  });

  it('the console tells ops to narrow the search; a manager’s search (their team’s) is not cut', async () => {
    // Arrange
    const priya = await signIn(api.runtime, PRIYA);
    api.clock.set(new Date(api.clock.now().getTime() + 2 * 60_000));
    const katrin = await signIn(api.runtime, KATRIN);

    // Act
    const ops = await consoleFetch(api.runtime, 'GET', '/console/leads?q=acme', { cookie: priya });
    const few = await consoleFetch(api.runtime, 'GET', '/console/leads?q=zed', { cookie: priya });
    const manager = await consoleFetch(api.runtime, 'GET', '/console/leads?q=acme', { cookie: katrin });

    // Assert
    expect(ops.status).toBe(200);
    expect(textOf(ops.text)).toContain(
      `This search matches more leads than it reads: showing the first ${SEARCH_MATCH_CAP} matches of each field (email, name, company). Narrow your search.`,
    );
    expect(ops.text).toMatch(/<p class="notice info" role="status">This search matches more/);
    expect(textOf(few.text)).not.toContain('Narrow your search');
    expect(manager.status).toBe(200);
    expect(textOf(manager.text)).not.toContain('Narrow your search');
  });
});

describe('a search cut at its cap, in Arabic', () => {
  const sla = loadDefaultSla();
  const api = useLocalApi({
    eventsOff: true,
    sla: {
      ...sla,
      routing: {
        ...sla.routing,
        managers: sla.routing.managers.map((m) => (m.id === 'priya' ? { ...m, locale: 'ar' } : m)),
      },
    },
  });

  it('tells Arabic ops in Arabic, the number as Arabic writes it', async () => {
    // Arrange
    await arrange(api);
    const priya = await signIn(api.runtime, PRIYA);

    // Act
    const ops = await consoleFetch(api.runtime, 'GET', '/console/leads?q=acme', { cookie: priya });

    // Assert
    expect(ops.text).toMatch(/<html lang="ar" dir="rtl">/);
    const n = new Intl.NumberFormat('ar').format(SEARCH_MATCH_CAP);
    expect(textOf(ops.text)).toContain(
      `يطابق هذا البحث عملاء محتملين أكثر مما يقرأ: تُعرض أول ${n} نتيجة من كل حقل (البريد والاسم والشركة). ضيّق بحثك.`,
    );
  });
});
