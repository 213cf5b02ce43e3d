/**
 * GET /leads through the real local server (dynalite, the DynamoDB queries on the indexes): every
 * filter, search, the cursor, the overdue list, the SLA standing of each item, bad input naming its
 * field, and what a rep or a manager may see (listLeads with their viewer, on the same runtime).
 */
import { UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import { describe, expect, it } from 'vitest';
import { MemoryLeadQueries } from '../../lambdas/adapters/memory-lead-queries.ts';
import { foldSearchTerm, searchPartition, stateKey } from '../../lambdas/adapters/table-definition.ts';
import type { HttpEvent } from '../../lambdas/api/http.ts';
import { type ListQuery, listLeads, listQuerySchema } from '../../lambdas/api/lead-list.ts';
import { viewerOf } from '../../lambdas/api/viewer.ts';
import { applyToLead, withTimeline } from '../../lambdas/domain/lead-state.ts';
import { unplacedKey } from '../../lambdas/domain/outbox.ts';
import { updateLead } from '../../lambdas/ports/lead-store.ts';
import { LOCAL_TABLE } from '../../local/runtime.ts';
import { DAY, expectError, type LocalApi, MINUTE, SQL_LEAD, T0, useLocalApi } from '../support/local-api.ts';

interface Item {
  id: string;
  name: string | null;
  company: string | null;
  stage: string;
  status: string;
  type: string;
  owner: { id: string; name: string | null } | null;
  score: number;
  sla: { firstTouch: { dueAt: string; metAt: string | null; state: string } | null; nextStep: unknown };
}
interface Page {
  items: Item[];
  next: string | null;
}

/** hands the lead to a rep as the Handoff task does: the lifecycle move and an owner entry */
async function handTo(api: LocalApi, leadId: string, rep: string): Promise<void> {
  const now = api.clock.now();
  await updateLead(api.runtime.deps.store, leadId, (current) =>
    withTimeline(
      {
        ...applyToLead(api.sla, current, { kind: 'handedOff', ownerId: rep }, now, 'workflow', 'handoff')
          .state,
        ownerId: rep,
        ownerSince: now.toISOString(),
        handedOffAt: now.toISOString(),
      },
      { at: now.toISOString(), kind: 'owner', to: rep, by: 'workflow', reasons: [] },
    ),
  );
}

describe('GET /leads', () => {
  const api = useLocalApi();
  const tag = Math.random().toString(36).slice(2, 7);
  const list = async (query: string) => {
    const response = await api.request('GET', `/leads?${query}`);
    expect(response.status, response.text).toBe(200);
    return response.body as Page;
  };

  /** leads created in their own day (isolated by from/to), one minute apart, in this order */
  async function arrange(
    day: number,
    leads: Record<string, unknown>[],
  ): Promise<{ ids: string[]; window: string }> {
    const start = new Date(T0.getTime() + day * DAY);
    const ids: string[] = [];
    for (const [i, lead] of leads.entries()) {
      api.clock.set(new Date(start.getTime() + i * MINUTE));
      ids.push(
        await api.createLead({
          email: api.uniqueEmail(String(lead.firstName ?? 'x').toLowerCase()),
          ...lead,
        }),
      );
    }
    const window = `from=${start.toISOString()}&to=${new Date(start.getTime() + DAY).toISOString()}`;
    return { ids, window };
  }

  it('lists the leads created in a window, newest first, with name, company, stage, status, type, owner, score and SLA standing', async () => {
    // Arrange
    const { ids, window } = await arrange(100, [
      { firstName: 'Petra', lastName: 'Schneider', company: 'Brauhaus Werke', ...SQL_LEAD },
      { firstName: 'Ola', lastName: 'Nordmann', company: 'Fjord Pumps', jobTitle: 'Intern', country: 'NO' },
    ]);
    await handTo(api, ids[0]!, 'jonas');

    // Act
    const page = await list(window);

    // Assert
    expect(page.items.map((item) => item.id)).toEqual([ids[1], ids[0]]);
    expect(page.next).toBeNull();
    const petra = page.items[1]!;
    expect(petra).toMatchObject({
      name: 'Petra Schneider',
      company: 'Brauhaus Werke',
      stage: 'sql',
      status: 'new',
      owner: { id: 'jonas', name: 'Jonas Berger' },
    });
    expect(petra.score).toBeGreaterThan(0);
    expect(petra.sla.firstTouch).toMatchObject({ state: 'due', metAt: null });
    expect(page.items[0]!.owner).toBeNull();
    expect(page.items[0]!.sla.firstTouch).toBeNull();
  });

  it.each([
    [111, 'stage=sql', [0, 2]],
    [112, 'stage=lead', [1]],
    [113, 'status=new', [0, 2]],
    [114, 'owner=carla', [2]],
    [115, 'type=maintenance-services', [2]],
    [116, 'stage=sql&owner=jonas', [0]],
  ])('filters (day %i) by %s', async (day, filter, expected) => {
    // Arrange
    const { ids, window } = await arrange(day, [
      { firstName: 'Anna', company: 'Alpha', ...SQL_LEAD },
      { firstName: 'Bert', company: 'Beta', jobTitle: 'Intern', country: 'NO' },
      { firstName: 'Cleo', company: 'Gamma', ...SQL_LEAD, interest: 'maintenance' },
    ]);
    await handTo(api, ids[0]!, 'jonas');
    await handTo(api, ids[2]!, 'carla');

    // Act
    const page = await list(`${window}&${filter}`);

    // Assert
    expect(new Set(page.items.map((item) => item.id))).toEqual(new Set(expected.map((i) => ids[i])));
  });

  it.each([
    ['an email prefix', (t: string) => `zed.${t}`],
    ['a name prefix, any case and accents', (t: string) => `ZÉD ${t}`.toLowerCase()],
    ['a company prefix', (t: string) => `Zeta ${t} Pum`],
    ['its last name alone', (t: string) => t],
    ['its last name, then its first', (t: string) => `${t} Zed`],
    ['a word inside its company, the second on', (t: string) => `${t} Pum`],
  ])('finds a lead by %s', async (_what, q) => {
    // Arrange
    api.clock.set(new Date(T0.getTime() + 120 * DAY));
    const id = await api.createLead({
      email: `zed.${tag}@zeta.example`,
      firstName: 'Zed',
      lastName: tag,
      company: `Zeta ${tag} Pumps`,
    });
    await api.createLead({ email: `other.${tag}@zeta.example`, firstName: 'Other', company: 'Elsewhere' });

    // Act
    const page = await list(`q=${encodeURIComponent(q(tag))}`);

    // Assert
    expect(page.items.map((item) => item.id)).toEqual([id]);
  });

  it('finds an Arabic company by the word after شركة, with any spelling of ة', async () => {
    // Arrange: Arab companies are mostly written "شركة <name>" (company <name>): the name is the second word
    api.clock.set(new Date(T0.getTime() + 121 * DAY));
    const id = await api.createLead({
      email: `nile.${tag}@nile.example`,
      firstName: 'سلمى',
      company: `شركة النيل ${tag} للتجارة`,
    });
    await api.createLead({
      email: `gulf.${tag}@gulf.example`,
      firstName: 'سلمى',
      company: `شركة الخليج ${tag}`,
    });

    // Act
    const found = await list(`q=${encodeURIComponent(`النيل ${tag}`)}`);
    const bothCompanies = await list(
      `q=${encodeURIComponent('شركه')}&from=${new Date(T0.getTime() + 121 * DAY).toISOString()}`,
    );

    // Assert
    expect(found.items.map((item) => item.id)).toEqual([id]);
    expect(bothCompanies.items).toHaveLength(2);
  });

  it.each([
    ['مجموعة شركات', 'group of companies', 'الدلتا'],
    ['شركة مصنع', 'company factory', 'الأمل'],
  ])(
    'finds an Arabic company that opens with "%s" (%s) by its name, the third word',
    async (opening, _, name) => {
      // Arrange: two generic words before the name; the index skips them (searchTermsOf)
      api.clock.set(new Date(T0.getTime() + 122 * DAY));
      const id = await api.createLead({
        email: `delta.${tag}.${opening.length}@delta.example`,
        firstName: 'ليلى',
        company: `${opening} ${name}${tag}`,
      });

      // Act
      const found = await list(`q=${encodeURIComponent(`${name}${tag}`)}`);

      // Assert
      expect(found.items.map((item) => item.id)).toEqual([id]);
    },
  );

  it.each([
    ['مجموعة شركات', 'شركات', 'الريف'],
    ['شركة مصنع', 'مصنع', 'الوادي'],
  ])(
    'finds an Arabic company that opens with "%s" by its name after the first word ("%s ...", as before the skip)',
    async (opening, second, name) => {
      // Arrange: a rep remembers "شركات الريف" of مجموعة شركات الريف (the group is called by it); the index skips
      // the generic words, so the entry is الريف alone: a search for the second word on found nothing
      api.clock.set(new Date(T0.getTime() + 123 * DAY));
      const id = await api.createLead({
        email: `rif.${tag}.${opening.length}@rif.example`,
        firstName: 'سلمى',
        company: `${opening} ${name}${tag}`,
      });

      // Act
      const found = await list(`q=${encodeURIComponent(`${second} ${name}${tag}`)}`);

      // Assert
      expect(found.items.map((item) => item.id)).toEqual([id]);
    },
  );

  it('finds a company by its name after the first word while its entry is still keyed as before the skip', async () => {
    // Arrange: a lead the index pass has not re-keyed yet (INDEX_KEYS_VERSION 4): GSI11 holds شركات النخيل
    api.clock.set(new Date(T0.getTime() + 124 * DAY));
    const id = await api.createLead({
      email: `palm.${tag}@palm.example`,
      firstName: 'هند',
      company: `مجموعة شركات النخيل${tag}`,
    });
    const term = foldSearchTerm(`شركات النخيل${tag}`);
    await api.runtime.dynamoDb.send(
      new UpdateItemCommand({
        TableName: LOCAL_TABLE,
        Key: marshall(stateKey(id)),
        UpdateExpression: 'SET gsi11pk = :partition, gsi11sk = :entry',
        ExpressionAttributeValues: marshall({
          ':partition': searchPartition('WORDS#', term),
          ':entry': `${term}#${id}`,
        }),
      }),
    );

    // Act
    const found = await list(`q=${encodeURIComponent(`شركات النخيل${tag}`)}`);

    // Assert
    expect(found.items.map((item) => item.id)).toEqual([id]);
  });

  it('pages through a list with the cursor, every lead once', async () => {
    // Arrange
    const { ids, window } = await arrange(
      130,
      [1, 2, 3, 4, 5].map((n) => ({ firstName: `P${n}`, jobTitle: 'Intern' })),
    );

    // Act
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page: Page = await list(`${window}&limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      seen.push(...page.items.map((item) => item.id));
      cursor = page.next;
      pages += 1;
    } while (cursor && pages < 10);

    // Assert
    expect(seen).toEqual([...ids].reverse());
    expect(pages).toBe(3);
  });

  it('lists overdue first touches: handed over, no attempt, past the deadline', async () => {
    // Arrange: two leads to mats on a Monday morning; one gets an attempt
    const { ids } = await arrange(140, [
      { firstName: 'Late', ...SQL_LEAD },
      { firstName: 'Touched', ...SQL_LEAD },
    ]);
    await handTo(api, ids[0]!, 'mats');
    await handTo(api, ids[1]!, 'mats');
    const attempt = await api.request('POST', `/leads/${ids[1]}/attempts`, {
      json: { outcome: 'no-answer' },
    });
    expect(attempt.status, attempt.text).toBe(201);
    api.clock.advance(3 * DAY);

    // Act
    const page = await list('overdue=true&owner=mats');

    // Assert
    expect(page.items.map((item) => item.id)).toEqual([ids[0]]);
    expect(page.items[0]!.sla.firstTouch?.state).toBe('breached');
  });

  it('lists the leads waiting for an owner: no owner, and their manager was asked; not once a rep has them', async () => {
    // Arrange: an SQL whose handoff found nobody (the "needs an owner" email sent), an SQL not yet handed
    // off (its handoff still to come: nobody was asked), and one handed to Jonas
    const { ids } = await arrange(160, [
      { firstName: 'Waiting', ...SQL_LEAD },
      { firstName: 'Fresh', ...SQL_LEAD },
      { firstName: 'Owned', ...SQL_LEAD },
    ]);
    await updateLead(api.runtime.deps.store, ids[0]!, (current) => ({
      ...current,
      sent: [...current.sent, unplacedKey(current)],
    }));
    await handTo(api, ids[2]!, 'jonas');

    // Act
    const waiting = await list('needsOwner=true');

    // Assert
    expect(waiting.items.map((item) => [item.id, item.stage, item.owner])).toEqual([[ids[0], 'sql', null]]);
    // the in-memory twin (the simulator's) answers the same from the same states
    const twin = new MemoryLeadQueries(api.sla);
    for (const id of ids) await twin.leadWritten((await api.runtime.deps.store.getLead(id))!);
    const fromTwin: string[] = [];
    for await (const candidate of twin.candidates({ waitingForOwner: true })) fromTwin.push(candidate.leadId);
    expect(fromTwin).toEqual([ids[0]]);

    // Act: a person gives it to Lena
    await handTo(api, ids[0]!, 'lena');

    // Assert: off the list
    expect((await list('needsOwner=true')).items).toEqual([]);
  });

  it.each([
    ['limit=0', 'limit'],
    ['limit=101', 'limit'],
    ['stage=prospect', 'stage'],
    ['status=sleeping', 'status'],
    ['type=widgets', 'type'],
    ['q=a', 'q'],
    [`q=${'a'.repeat(101)}`, 'q'],
    ['from=yesterday', 'from'],
    ['from=2026-11-02&to=2026-11-01', 'to'],
    ['from=0050-01-01', 'from'],
    ['to=2026-02-30', 'to'],
    ['from=2026-13-01', 'from'],
    ['to=2026-12-32', 'to'],
    ['from=2026-11-02T10:00:00', 'from'],
    ['overdue=yes', 'overdue'],
    ['needsOwner=yes', 'needsOwner'],
    ['cursor=bm90LWEtY3Vyc29y', 'cursor'],
    ['colour=red', 'colour'],
  ])('answers 400 naming the field for %s', async (query, field) => {
    // Act
    const response = await api.request('GET', `/leads?${query}`);

    // Assert
    const body = expectError(response, 400, 'invalid_request', field);
    expect(body.error.fields.map((f) => f.path)).toContain(field);
  });

  it('refuses a cursor given out for other filters', async () => {
    // Arrange
    const { window } = await arrange(
      150,
      [1, 2, 3].map((n) => ({ firstName: `C${n}`, jobTitle: 'Intern' })),
    );
    const first = await list(`${window}&limit=1`);

    // Act
    const response = await api.request('GET', `/leads?${window}&limit=1&stage=lead&cursor=${first.next}`);

    // Assert
    expectError(response, 400, 'invalid_request', 'cursor');
  });

  it('answers 401 without a token', async () => {
    expectError(await api.request('GET', '/leads', { token: null }), 401, 'unauthorized');
  });

  describe('what a person sees', () => {
    const query = (raw: Record<string, string>): ListQuery => listQuerySchema(api.sla).parse(raw);
    const as = (principal: string) =>
      viewerOf(api.sla, {
        requestContext: { authorizer: { principalId: principal } },
      } as unknown as HttpEvent);

    it.each([
      ['rep:jonas', ['jonas'], 401],
      ['rep:carla', ['carla'], 402],
      ['manager:katrin', ['jonas', 'mats'], 403],
      ['manager:dan', ['carla'], 404],
      ['ops:priya', ['jonas', 'carla', 'mats'], 405],
    ] as const)('%s sees the leads of %j', async (principal, owners, day) => {
      // Arrange: each row its own day, so no row's leads are in another's window
      const { ids, window } = await arrange(day, [
        { firstName: 'J', ...SQL_LEAD },
        { firstName: 'C', ...SQL_LEAD },
        { firstName: 'M', ...SQL_LEAD },
      ]);
      await handTo(api, ids[0]!, 'jonas');
      await handTo(api, ids[1]!, 'carla');
      await handTo(api, ids[2]!, 'mats');
      const [from, to] = window.split('&').map((part) => part.split('=')[1]!);

      // Act
      const page = await listLeads(api.runtime.deps, as(principal), query({ from: from!, to: to! }));

      // Assert
      const byOwner = { jonas: ids[0], carla: ids[1], mats: ids[2] } as Record<string, string>;
      expect(new Set(page.items.map((item) => item.id))).toEqual(
        new Set(owners.map((owner) => byOwner[owner])),
      );
    });

    it.each([
      ['manager:katrin', true],
      ['ops:priya', true],
      ['rep:jonas', false],
    ] as const)('%s, asking for the leads waiting for an owner, sees one: %s', async (principal, sees) => {
      // Arrange: an SQL nobody could take, its manager asked
      const { ids } = await arrange(170, [{ firstName: 'Unplaced', ...SQL_LEAD }]);
      await updateLead(api.runtime.deps.store, ids[0]!, (current) => ({
        ...current,
        sent: [...current.sent, unplacedKey(current)],
      }));

      // Act
      const page = await listLeads(api.runtime.deps, as(principal), query({ needsOwner: 'true' }));

      // Assert
      expect(page.items.some((item) => item.id === ids[0])).toBe(sees);
      if (!sees) expect(page).toEqual({ items: [], next: null, truncated: false });
      await handTo(api, ids[0]!, 'jonas');
    });

    it("gives a rep nothing when they ask for another rep's leads", async () => {
      // Act
      const page = await listLeads(api.runtime.deps, as('rep:jonas'), query({ owner: 'carla' }));

      // Assert
      expect(page).toEqual({ items: [], next: null, truncated: false });
    });
  });
});
