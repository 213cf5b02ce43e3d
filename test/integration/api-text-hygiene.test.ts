/**
 * Text hygiene at the edge, through the real local server: every text a lead can carry (a form post, a
 * JSON post, event properties and tags, an attempt's note, a deal's name) is stored cleaned (clean-text.ts:
 * NFC, no C0 controls but "\n" in long text, no lone surrogates, no bidi overrides), and Arabic survives.
 */
import { describe, expect, it } from 'vitest';
import { SQL_LEAD, useLocalApi } from '../support/local-api.ts';

const ARABIC_NAME = 'مريم';
const ARABIC_LAST_NAME = 'الحسيني';
const ARABIC_MESSAGE = 'مرحباً، نحتاج إلى عرض سعر لـ\u200F 20 مضخة.\nشكراً لكم';
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point
const FORBIDDEN = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069\ud800-\udfff]/;

/** every string in a value, deep */
function strings(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (typeof value !== 'object' || value === null) return [];
  return Object.values(value).flatMap(strings);
}

describe('text hygiene at the edge', () => {
  const api = useLocalApi();

  it('stores a plain form post cleaned, Arabic intact', async () => {
    // Arrange
    const email = api.uniqueEmail('arabic');

    // Act
    const response = await api.postForm({
      email,
      firstName: ARABIC_NAME,
      lastName: ARABIC_LAST_NAME,
      company: 'شركة\u202E النور\u0000',
      message: ARABIC_MESSAGE.replace('\n', '\r\n'),
    });

    // Assert
    expect(response.status, response.text).toBe(202);
    const stored = await api.runtime.deps.store.getLead(api.leadIdOf(email));
    expect(stored?.fields).toEqual({
      firstName: ARABIC_NAME,
      lastName: ARABIC_LAST_NAME,
      company: 'شركة النور',
      message: ARABIC_MESSAGE,
    });
  });

  it('stores a JSON post cleaned: lone surrogates, controls, overrides, NFD', async () => {
    // Arrange
    const email = api.uniqueEmail('json');

    // Act
    const response = await api.postLead({
      email,
      firstName: 'Zoe\u0308\ud800',
      lastName: "O'Brien\u0000\u0007",
      company: 'Brauhaus\r\nWerke',
      message: 'line 1\r\nline 2\u2067\u2069',
      utm_campaign: 'invoice\u202Efdp.exe',
      plantNotes: 'a\rb',
    });

    // Assert
    expect(response.status, response.text).toBe(202);
    const stored = await api.runtime.deps.store.getLead(api.leadIdOf(email));
    expect(stored?.fields).toEqual({
      firstName: 'Zoë\ufffd',
      lastName: "O'Brien",
      company: 'Brauhaus Werke',
      message: 'line 1\nline 2',
      utm_campaign: 'invoicefdp.exe',
      plantNotes: 'a\nb',
    });
    const [event] = await api.runtime.deps.store.listEvents(api.leadIdOf(email));
    expect(event?.properties).toMatchObject({ utm_campaign: 'invoicefdp.exe' });
  });

  it('stores text pasted with zero-width spaces without them: it reads, matches and scores as typed', async () => {
    // Arrange: a job title, an interest and a country copied from a web page
    const email = api.uniqueEmail('zero-width');

    // Act
    const response = await api.postLead({
      email,
      jobTitle: 'Plant\u200B Manager',
      interest: 'maintenance\u200B',
      country: 'DE\u2060',
    });

    // Assert: as if typed (the plant-manager persona, the maintenance lead type, Germany)
    expect(response.status, response.text).toBe(202);
    const stored = await api.runtime.deps.store.getLead(api.leadIdOf(email));
    expect(stored?.fields).toMatchObject({
      jobTitle: 'Plant Manager',
      interest: 'maintenance',
      country: 'DE',
    });
    expect(stored).toMatchObject({ persona: 'plant-manager', leadType: 'maintenance-services' });
    expect(stored?.fieldIssues ?? []).toEqual([]);
  });

  it('cuts a full name into first and last name without splitting an emoji', async () => {
    // Arrange: each word one code unit over the 100 a name keeps, an emoji across the cut
    const email = api.uniqueEmail('full-name');
    const first = `${'a'.repeat(99)}\u{1F600}`;
    const last = `${'b'.repeat(99)}\u{1F600}z`;

    // Act
    const response = await api.postLead({ email, name: `${first} ${last}` });

    // Assert
    expect(response.status, response.text).toBe(202);
    const stored = await api.runtime.deps.store.getLead(api.leadIdOf(email));
    expect(stored?.fields).toMatchObject({ firstName: 'a'.repeat(99), lastName: 'b'.repeat(99) });
    for (const text of strings(stored?.fields)) expect(text).not.toMatch(FORBIDDEN);
  });

  it('stores what did not read (field issues) cleaned: no controls, overrides or half an emoji', async () => {
    // Arrange: values that do not read, with controls, an override and an emoji across the 200 kept
    const email = api.uniqueEmail('issues');

    // Act
    const response = await api.postLead({
      email,
      employees: '\u202Elots\u0000\u0007',
      jobTitle: `${'x'.repeat(199)}\u{1F600}`,
      'plant\u202Enotes': 'v',
    });

    // Assert
    expect(response.status, response.text).toBe(202);
    const stored = await api.runtime.deps.store.getLead(api.leadIdOf(email));
    expect(stored?.fieldIssues).toEqual([
      { field: 'employees', value: 'lots', message: expect.any(String) },
      { field: 'jobTitle', value: 'x'.repeat(199), message: 'at most 150 characters' },
      { field: 'plantnotes', value: 'v', message: 'not a usable field name' },
    ]);
    for (const text of strings(stored?.fieldIssues)) expect(text).not.toMatch(FORBIDDEN);
  });

  it('stores event properties and content tags cleaned', async () => {
    // Arrange
    const leadId = await api.createLead({ email: api.uniqueEmail('events') });

    // Act
    const response = await api.request('POST', `/leads/${leadId}/events`, {
      json: {
        eventId: 'pv-hygiene',
        type: 'page_view',
        occurredAt: '2026-11-27T09:00:00Z',
        properties: { title: 'Pumps\r\n\u202Efor sale\u0000', arabic: ARABIC_NAME },
        contentTags: ['pumps\u2066'],
      },
    });

    // Assert
    expect(response.status, response.text).toBe(200);
    const event = (await api.runtime.deps.store.listEvents(leadId)).find((e) => e.eventId === 'pv-hygiene');
    expect(event?.properties).toEqual({ title: 'Pumps for sale', arabic: ARABIC_NAME });
    expect(event?.contentTags).toEqual(['pumps']);
  });

  it("stores an attempt's note (lines kept) and a deal's name (one line) cleaned", async () => {
    // Arrange
    const leadId = await api.createLead({ email: api.uniqueEmail('sales'), ...SQL_LEAD });
    await api.handOff(leadId);

    // Act
    const attempt = await api.request('POST', `/leads/${leadId}/attempts`, {
      json: { outcome: 'connected', note: `Spoke to ${ARABIC_NAME}\r\n\u202Ecall back\u0007` },
    });
    const deal = await api.request('PUT', `/leads/${leadId}/deal`, {
      json: { stage: 'discovery', name: 'Pumps\r\nfor\u2068 Werke\ud83d' },
    });

    // Assert
    expect(attempt.status, attempt.text).toBe(201);
    expect(deal.status, deal.text).toBe(200);
    const [stored] = await api.runtime.deps.store.listAttempts(leadId);
    expect(stored?.note).toBe(`Spoke to ${ARABIC_NAME}\ncall back`);
    const lead = await api.runtime.deps.store.getLead(leadId);
    expect(lead?.deal?.name).toBe('Pumps for Werke\ufffd');
    for (const text of strings(lead)) expect(text).not.toMatch(FORBIDDEN);
  });
});
