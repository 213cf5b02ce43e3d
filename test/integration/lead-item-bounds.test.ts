/**
 * The state item stays bounded whatever outsiders post (issue 10, item 7): a form post or a PATCH never
 * grows a lead past what DynamoDB takes (400 KB an item). A state write refused for size freezes the lead
 * (every later write is refused: no judgement, no handoff, the SLA's clocks run out), so the bound must hold
 * before the write. Through the real local server on dynalite; the item's size read raw.
 */
import { randomBytes } from 'node:crypto';
import { GetItemCommand } from '@aws-sdk/client-dynamodb';
import { describe, expect, it } from 'vitest';
import { MAX_LEGAL_CONSENTS_BYTES } from '../../lambdas/api/leads-public.ts';
import { MAX_LEAD_CUSTOM_BYTES, MAX_LEAD_CUSTOM_FIELDS } from '../../lambdas/domain/form-values.ts';
import { LOCAL_TABLE } from '../../local/runtime.ts';
import { expectError, useLocalApi } from '../support/local-api.ts';

const api = useLocalApi();

/** The state item's size as DynamoDB counts it, near enough: attribute names and values (binary as bytes). */
async function stateItemBytes(leadId: string): Promise<number> {
  const { Item } = await api.runtime.dynamoDb.send(
    new GetItemCommand({ TableName: LOCAL_TABLE, Key: { pk: { S: `LEAD#${leadId}` }, sk: { S: 'STATE' } } }),
  );
  let bytes = 0;
  for (const [name, value] of Object.entries(Item ?? {})) {
    bytes += Buffer.byteLength(name);
    bytes += value.B ? value.B.length : Buffer.byteLength(JSON.stringify(Object.values(value)[0]));
  }
  return bytes;
}

/** Text that does not compress: random letters of Arabic and CJK (2 and 3 bytes each in UTF-8). */
function incompressible(chars: number): string {
  const bytes = randomBytes(chars * 2);
  let text = '';
  for (let i = 0; i < chars; i++) {
    const pick = bytes.readUInt16BE(i * 2);
    text += String.fromCharCode(pick % 2 ? 0x0621 + (pick % 26) : 0x4e00 + (pick % 20_000));
  }
  return text;
}

/** Text that compresses least per character: random CJK ideographs and Hangul syllables (3 bytes each). */
function densest(chars: number): string {
  const bytes = randomBytes(chars * 2);
  let text = '';
  for (let i = 0; i < chars; i++) {
    const pick = bytes.readUInt16BE(i * 2) % 32_000;
    text += String.fromCharCode(pick < 20_900 ? 0x4e00 + pick : 0xac00 + (pick - 20_900));
  }
  return text;
}

describe('custom fields across many posts', () => {
  it('keep the lead writable: every post is taken, the state item stays small, the fields past the bound are flagged', async () => {
    // Arrange: 40 posts of one address, each with 5 custom fields of its own of 1,000 characters (~12 KB)
    const email = api.uniqueEmail('many-fields');
    const leadId = api.leadIdOf(email);
    const statuses: number[] = [];

    // Act
    for (let post = 0; post < 40; post++) {
      const lead: Record<string, unknown> = { email };
      for (let field = 0; field < 5; field++) lead[`p${post}_f${field}`] = incompressible(1000);
      statuses.push((await api.postLead(lead)).status);
    }

    // Assert: taken, bounded, and a later change still writes
    expect(statuses.filter((status) => status !== 202)).toEqual([]);
    const bytes = await stateItemBytes(leadId);
    expect(bytes).toBeLessThan(120_000);
    const stored = (await api.runtime.deps.store.getLead(leadId))!;
    const custom = Object.keys(stored.fields).filter((name) => /^p\d+_f\d$/.test(name));
    expect(custom.length).toBeLessThanOrEqual(MAX_LEAD_CUSTOM_FIELDS);
    expect(custom.length).toBeGreaterThan(0);
    const customBytes = custom.reduce(
      (sum, name) => sum + Buffer.byteLength(name) + Buffer.byteLength(String(stored.fields[name])),
      0,
    );
    expect(customBytes).toBeLessThanOrEqual(MAX_LEAD_CUSTOM_BYTES);
    expect(stored.fieldIssues?.at(-1)).toEqual({
      field: 'p39_f4',
      value: expect.any(String),
      message: expect.stringContaining('custom fields'),
    });
    const corrected = await api.request('PATCH', `/leads/${leadId}/fields`, {
      json: { fields: { jobTitle: 'Plant Manager' } },
    });
    expect(corrected.status, corrected.text).toBe(200);
  }, 120_000);
});

describe('custom fields across many PATCHes', () => {
  it('refuse a new one past the bound with a 422 naming it; changing one the lead has still works', async () => {
    // Arrange: a lead, then PATCHes of 20 new custom fields each until the bound
    const leadId = await api.createLead({ email: api.uniqueEmail('patched') });
    for (let batch = 0; batch * 20 < MAX_LEAD_CUSTOM_FIELDS; batch++) {
      const fields = Object.fromEntries(
        Array.from({ length: 20 }, (_, i) => [`b${batch}_${i}`, `value ${batch}.${i}`]),
      );
      const response = await api.request('PATCH', `/leads/${leadId}/fields`, { json: { fields } });
      expect(response.status, response.text).toBe(200);
    }

    // Act
    const refused = await api.request('PATCH', `/leads/${leadId}/fields`, {
      json: { fields: { oneTooMany: 'x' } },
    });
    const changed = await api.request('PATCH', `/leads/${leadId}/fields`, {
      json: { fields: { b0_0: 'changed' } },
    });

    // Assert
    expectError(refused, 422, 'unprocessable', 'fields.oneTooMany');
    expect(changed.status, changed.text).toBe(200);
    const stored = (await api.runtime.deps.store.getLead(leadId))!;
    expect(stored.fields.oneTooMany).toBeUndefined();
    expect(stored.fields.b0_0).toBe('changed');
  });

  it('refuse a value that would pass the bytes bound, naming the field', async () => {
    // Arrange: a lead whose custom fields hold all but a little of the bound (values of 1,000 characters
    // of 3 bytes: 3 KB each)
    const leadId = await api.createLead({ email: api.uniqueEmail('patched-bytes') });
    const fill = Math.floor(MAX_LEAD_CUSTOM_BYTES / 3_010);
    for (let i = 0; i < fill; i += 5) {
      const fields = Object.fromEntries(
        Array.from({ length: Math.min(5, fill - i) }, (_, j) => [`big${i + j}`, '界'.repeat(1000)]),
      );
      const response = await api.request('PATCH', `/leads/${leadId}/fields`, { json: { fields } });
      expect(response.status, response.text).toBe(200);
    }

    // Act
    const refused = await api.request('PATCH', `/leads/${leadId}/fields`, {
      json: { fields: { big0: '界'.repeat(1000), last: '界'.repeat(1000) } },
    });

    // Assert: nothing of the request is written
    expectError(refused, 422, 'unprocessable', 'fields.last');
    expect((await api.runtime.deps.store.getLead(leadId))!.fields.last).toBeUndefined();
  });
});

describe('consent notices of many HubSpot posts', () => {
  it('keep the newest within 32 KB: ten notices of 16 KB no longer take 160 KB of the state item', async () => {
    // Arrange: 12 posts of HubSpot's shape, each with a notice of 5 texts of 1,000 characters (~13 KB)
    const email = api.uniqueEmail('consents');
    const leadId = api.leadIdOf(email);
    const posted: string[] = [];

    // Act
    for (let post = 0; post < 12; post++) {
      const text = incompressible(1000);
      posted.push(text);
      const response = await api.postLead({
        fields: [{ name: 'email', value: email }],
        context: { pageUri: 'https://www.kessler-industrial.example/contact' },
        legalConsentOptions: {
          consent: {
            consentToProcess: true,
            text,
            communications: Array.from({ length: 4 }, (_, id) => ({
              value: true,
              subscriptionTypeId: id,
              text: incompressible(1000),
            })),
          },
        },
      });
      expect(response.status, response.text).toBe(202);
    }

    // Assert: the newest notices, the latest last, together within the bound
    const consents = (await api.runtime.deps.store.getLead(leadId))!.legalConsents ?? [];
    expect(Buffer.byteLength(JSON.stringify(consents))).toBeLessThanOrEqual(MAX_LEGAL_CONSENTS_BYTES);
    expect(consents.length).toBeGreaterThan(0);
    expect(consents.map((consent) => consent.text)).toEqual(posted.slice(-consents.length));
  }, 60_000);
});

describe('a lead with every collection at its bound', () => {
  it('still takes a change: the state item stays far below 400 KB', async () => {
    // Arrange: known fields at their longest (a form's message, then PATCHes of every other known name at the
    // longest its reader takes),
    // custom fields to their bound, 40 field issues, consent notices to their bound; all of text that
    // compresses least
    const email = api.uniqueEmail('worst-case');
    const leadId = api.leadIdOf(email);
    expect((await api.postLead({ email, message: densest(5000) })).status).toBe(202);
    // each known field at the longest value its reader takes (a correction is read as a form post is)
    const known: Record<string, string> = {
      firstName: densest(100),
      lastName: densest(100),
      company: densest(200),
      jobTitle: densest(150),
      phone: `+${'1'.repeat(39)} ext 123456`,
      country: 'DE',
      employees: '10000000',
      revenue: '10000000000000',
      industry: densest(100),
      interest: densest(100),
      department: densest(100),
      seniority: densest(50),
      website: densest(500),
      locale: 'ar-EG',
      formId: 'f'.repeat(100),
      pageUrl: `https://example.com/${'a'.repeat(975)}`, // a PATCH value is at most 1,000 characters
      utm_source: densest(200),
      utm_medium: densest(200),
      utm_campaign: densest(200),
      utm_term: densest(200),
      utm_content: densest(200),
      gclid: densest(200),
      fbclid: densest(500),
      msclkid: densest(200),
      hutk: densest(100),
    };
    const patch = async (fields: Record<string, string>) => {
      const response = await api.request('PATCH', `/leads/${leadId}/fields`, { json: { fields } });
      expect(response.status, response.text).toBe(200);
    };
    const names = Object.keys(known);
    for (let i = 0; i < names.length; i += 5)
      await patch(Object.fromEntries(names.slice(i, i + 5).map((name) => [name, known[name]!])));
    for (let i = 0; i < 10; i++) await patch({ [`c${i}`]: densest(1000) });
    for (let post = 0; post < 8; post++) {
      const bad = Object.fromEntries(
        Array.from({ length: 10 }, (_, i) => [`x${post}_${i}`, densest(1000)]).slice(0, 4),
      );
      expect((await api.postLead({ email, employees: `lots ${densest(190)}`, ...bad })).status).toBe(202);
    }
    for (let post = 0; post < 12; post++) {
      const response = await api.postLead({
        fields: [{ name: 'email', value: email }],
        legalConsentOptions: {
          consent: {
            consentToProcess: true,
            text: densest(1000),
            communications: [{ value: true, subscriptionTypeId: 1, text: densest(1000) }],
          },
        },
      });
      expect(response.status).toBe(202);
    }

    // Act: a change of 5 long values (each entry holds the old and the new)
    await patch({
      firstName: densest(100),
      lastName: densest(100),
      company: densest(200),
      jobTitle: densest(150),
      c0: densest(1000),
    });

    // Assert
    const bytes = await stateItemBytes(leadId);
    const stored = (await api.runtime.deps.store.getLead(leadId))!;
    expect(stored.fieldIssues).toHaveLength(40);
    expect(bytes).toBeLessThan(200_000);
  }, 120_000);
});
