/**
 * The lead's state item keeps what DynamoDB reads as attributes and the rest of the lead in one compressed
 * `body` (ADR 0037, lambdas/adapters/lead-item.ts), on dynalite through the DynamoDB adapter: every field
 * comes back as written (Arabic text included), an item written before `body` still reads, entries the
 * park appends with `list_append` come after the body's, every attribute a condition or an update of the
 * adapter names is a plain one, and the item is billed for fewer write units than the plain form.
 */
import { GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import { beforeEach, describe, expect, it } from 'vitest';
import { DynamoDbLeadStore } from '../../lambdas/adapters/dynamodb-lead-store.ts';
import {
  BODY_ATTRIBUTE,
  fromLeadItem,
  leadItem,
  PLAIN_STATE_ATTRIBUTES,
} from '../../lambdas/adapters/lead-item.ts';
import {
  ENTITIES,
  ENTITY_ATTRIBUTE,
  leadIndexKeys,
  stateKey,
  TABLE_ATTRIBUTES,
} from '../../lambdas/adapters/table-definition.ts';
import type { LeadState, TimelineEntry } from '../../lambdas/ports/lead-store.ts';
import { useDynalite } from '../support/dynalite.ts';
import { handedOff } from '../support/lead-state.ts';

const AT = '2026-11-30T09:00:00.000Z';

const judged = (n: number): TimelineEntry => ({
  at: new Date(Date.parse(AT) + n * 60_000).toISOString(),
  kind: 'judged',
  from: 'mql/working',
  to: 'sql/new',
  by: 'workflow',
  reasons: [
    { rule: 'fit.industry', detail: `الصناعة "تصنيع" ضمن الملف المثالي للعميل (${n})` },
    { rule: 'engagement.demo_request', detail: `requested a demo on /pricing (${n})` },
  ],
  version: 'default-2026-11',
});

/** a lead with most optional fields set: what a handed-off SQL in Arabic carries */
function richLead(overrides: Partial<LeadState> = {}): LeadState {
  return handedOff(AT, 'jonas', {
    leadId: 'LeadItemCodec000000001',
    email: 'layla@masnaa.example',
    fields: { firstName: 'ليلى', lastName: 'الحسن', company: 'مصنع الخليج', employees: 800, country: 'SA' },
    consent: {
      text: 'أوافق على تلقي رسائل البريد',
      formId: 'guide',
      formName: 'Guide',
      pageUrl: 'https://masnaa.example/ar/guide?utm=x',
      at: AT,
      mode: 'double',
      confirmedAt: AT,
    } as never,
    tally: { sum: 3.25, at: AT } as never,
    waitToken: 'token-1',
    dueAt: '2026-11-30T13:00:00.000Z',
    generation: 2,
    execution: 'LeadItemCodec000000001-c1-g2',
    timeline: [judged(1), judged(2), judged(3)],
    version: 4,
    ...overrides,
  });
}

describe('the state item: plain attributes for DynamoDB, the rest in a compressed body', () => {
  const dynalite = useDynalite();
  let store: DynamoDbLeadStore;
  beforeEach(() => {
    store = new DynamoDbLeadStore(dynalite.doc, { tableName: dynalite.tableName });
  });

  const rawItem = async (leadId: string) => {
    const { Item, ConsumedCapacity } = await dynalite.client.send(
      new GetItemCommand({
        TableName: dynalite.tableName,
        Key: marshall(stateKey(leadId)),
        ConsistentRead: true,
        ReturnConsumedCapacity: 'TOTAL',
      }),
    );
    return { item: Item!, readUnits: ConsumedCapacity?.CapacityUnits ?? 0 };
  };

  it('reads back every field as written, through getLead and loadLead', async () => {
    // Arrange
    const lead = richLead();
    // Act
    await store.createLead(lead);
    // Assert
    expect(await store.getLead(lead.leadId)).toEqual(lead);
    expect((await store.loadLead(lead.leadId))?.state).toEqual(lead);
  });

  it('keeps only plain attributes beside the body: no personal field is an attribute of its own', async () => {
    // Arrange
    const lead = richLead();
    // Act
    await store.createLead(lead);
    // Assert
    const { item } = await rawItem(lead.leadId);
    expect(item[BODY_ATTRIBUTE]?.B).toBeInstanceOf(Uint8Array);
    expect(item.timeline).toEqual({ L: [] });
    for (const name of Object.keys(item)) {
      expect(
        PLAIN_STATE_ATTRIBUTES.has(name) || TABLE_ATTRIBUTES.includes(name) || name === BODY_ATTRIBUTE,
        name,
      ).toBe(true);
    }
    for (const name of ['email', 'fields', 'consent', 'tally', 'judgedAt'])
      expect(item[name], name).toBeUndefined();
    for (const name of ['leadId', 'stage', 'status', 'ownerId', 'dueAt', 'waitToken', 'version', 'sent'])
      expect(item[name], name).toBeDefined();
  });

  it('reads an item written before the body existed, and the next full write compresses it', async () => {
    // Arrange: the item as the adapter wrote it before ADR 0037, every field an attribute
    const lead = richLead();
    await dynalite.doc.send(
      new PutCommand({
        TableName: dynalite.tableName,
        Item: {
          ...lead,
          ...stateKey(lead.leadId),
          [ENTITY_ATTRIBUTE]: ENTITIES.lead,
          ...leadIndexKeys(lead),
        },
      }),
    );
    // Act
    const read = await store.getLead(lead.leadId);
    const next = { ...read!, status: 'attempting', version: read!.version + 1 };
    await store.saveLead(next, read!.version);
    // Assert
    expect(read).toEqual(lead);
    expect(await store.getLead(lead.leadId)).toEqual(next);
    const { item } = await rawItem(lead.leadId);
    expect(item.email).toBeUndefined();
    expect(item[BODY_ATTRIBUTE]).toBeDefined();
  });

  it("puts the entries the park's update appends after the body's, and a full write folds them in", async () => {
    // Arrange: a park that meets another version records its sent emails with list_append
    const lead = richLead();
    await store.createLead(lead);
    const sent = [4, 5].map((n) => ({ key: `nurture:guide:${n}`, entry: { ...judged(n), kind: 'email' } }));
    // Act
    const outcome = await store.parkLead({
      leadId: lead.leadId,
      cycle: lead.cycle,
      expectedVersion: lead.version - 1,
      waitToken: 'token-2',
      dueAt: '2026-12-01T09:00:00.000Z',
      sent: sent as never,
    });
    const appended = (await store.getLead(lead.leadId))!;
    await store.saveLead({ ...appended, version: appended.version + 1 }, appended.version);
    const { item } = await rawItem(lead.leadId);
    // Assert
    expect(outcome).toBe('changed');
    expect(appended.timeline).toEqual([...lead.timeline, ...sent.map((one) => one.entry)]);
    expect(appended.sent).toEqual([...lead.sent, ...sent.map((one) => one.key)]);
    expect(item.timeline).toEqual({ L: [] });
    expect((await store.getLead(lead.leadId))!.timeline).toEqual(appended.timeline);
  });

  it('names only plain attributes in its conditions and updates of the state item', async () => {
    // Arrange: every update and conditional write the adapter makes on a state item, each path
    const names = new Set<string>();
    const middleware = 'collect-expression-names';
    dynalite.doc.middlewareStack.add(
      (next) => async (args) => {
        const input = args.input as { Key?: { sk?: unknown }; Item?: { sk?: unknown } } & {
          ExpressionAttributeNames?: Record<string, string>;
        };
        if ((input.Key ?? input.Item)?.sk === 'STATE')
          for (const name of Object.values(input.ExpressionAttributeNames ?? {})) names.add(name);
        return next(args);
      },
      { step: 'initialize', name: middleware },
    );
    try {
      const lead = richLead();
      await store.createLead(lead);
      await store.saveLead({ ...lead, version: lead.version + 1 }, lead.version);
      const park = { leadId: lead.leadId, cycle: 1, waitToken: 'token-3', dueAt: '2026-12-02T09:00:00.000Z' };
      const sent = [{ key: 'nurture:guide:9', entry: judged(9) }];
      await store.parkLead({ ...park, expectedVersion: lead.version + 1, sent });
      await store.parkLead({
        ...park,
        expectedVersion: 1,
        sent: [{ key: 'nurture:guide:10', entry: judged(10) }],
      });
      await store.takeWaitToken(lead.leadId, 'token-3', '2026-12-01T09:00:00.000Z');
      await store.recordExecution(lead.leadId, 1, 3);
      // Act
      const unplain = [...names].filter(
        (name) => !PLAIN_STATE_ATTRIBUTES.has(name) && !TABLE_ATTRIBUTES.includes(name),
      );
      // Assert
      expect(names.size).toBeGreaterThan(8);
      expect(unplain).toEqual([]);
    } finally {
      dynalite.doc.middlewareStack.remove(middleware);
    }
  });

  it.each([
    ['NaN', Number.NaN],
    ['Infinity', Number.POSITIVE_INFINITY],
  ])(
    'refuses a lead with %s in its body, as DynamoDB refuses it in an attribute, and keeps the stored one',
    async (_, bad) => {
      // Arrange: a judgement gone wrong (JSON would keep it as null: a lead that reads back fit null)
      const lead = richLead();
      await store.createLead(lead);
      const broken = { ...lead, fit: bad, tally: { sum: bad, at: AT } as never, version: lead.version + 1 };
      // Act
      const saved = store.saveLead(broken, lead.version);
      // Assert
      await expect(saved).rejects.toThrow(/not allowed|NaN|Infinity/);
      expect(await store.getLead(lead.leadId)).toEqual(lead);
    },
  );

  it('is billed fewer write units than the same lead with every field an attribute', async () => {
    // Arrange: a lead with a tail of 12 entries
    const lead = richLead({ timeline: Array.from({ length: 12 }, (_, n) => judged(n)) });
    const plainItem = {
      ...lead,
      ...stateKey(lead.leadId),
      [ENTITY_ATTRIBUTE]: ENTITIES.lead,
      ...leadIndexKeys(lead),
    };
    const units = async (item: Record<string, unknown>) => {
      const { ConsumedCapacity } = await dynalite.client.send(
        new PutItemCommand({
          TableName: dynalite.tableName,
          Item: marshall(item, { removeUndefinedValues: true }),
          ReturnConsumedCapacity: 'TOTAL',
        }),
      );
      return ConsumedCapacity?.CapacityUnits ?? 0;
    };
    // Act (two leads: a put that replaces an item is billed for the larger of the two)
    const before = await units(plainItem);
    const after = await units(leadItem({ ...lead, leadId: 'LeadItemCodec000000002' }));
    // Assert
    expect(after).toBeLessThan(before);
    expect(after).toBeLessThanOrEqual(Math.ceil(before / 2));
  });
});

describe('fromLeadItem', () => {
  it.each([
    ['bytes, as the SDK reads them', (body: Uint8Array) => body],
    ['base64, as in a stream record', (body: Uint8Array) => Buffer.from(body).toString('base64')],
  ])('decodes a body given as %s', (_, form) => {
    // Arrange
    const lead = richLead();
    const item = leadItem(lead);
    // Act
    const read = fromLeadItem({ ...item, [BODY_ATTRIBUTE]: form(item[BODY_ATTRIBUTE] as Uint8Array) });
    // Assert
    expect(read).toEqual(lead);
  });

  it('refuses a body in a format it does not know, naming the lead', () => {
    // Arrange
    const item = leadItem(richLead());
    const body = Uint8Array.from(item[BODY_ATTRIBUTE] as Uint8Array);
    body[0] = 9;
    // Act
    const read = () => fromLeadItem({ ...item, [BODY_ATTRIBUTE]: body });
    // Assert
    expect(read).toThrow(/LeadItemCodec000000001.*unknown format/);
  });
});
