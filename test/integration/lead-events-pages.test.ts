/**
 * GET /leads/{id} pages back through a lead's events (`eventsBefore`), so a subject-access export reads every one
 * (a privacy trial: 141 events held, 100 shown, no route to the other 41). On the local API (dynalite, HTTP).
 */
import { describe, expect, it } from 'vitest';
import { MINUTE, T0, useLocalApi } from '../support/local-api.ts';

const api = useLocalApi({ eventsOff: true });

interface EventsPage {
  eventCount: number;
  events: { eventId: string }[];
  eventsBefore: string | null;
}

/** `count` page views, a minute apart, the latest an hour before now; two at one instant at the page boundary */
async function leadWithEvents(count: number): Promise<{ leadId: string; ids: string[] }> {
  const leadId = await api.createLead({ email: api.uniqueEmail('pages'), industry: 'retail', country: 'DE' });
  const ids = Array.from({ length: count }, (_, i) => `pv-${String(i).padStart(3, '0')}`);
  const at = (i: number) =>
    new Date(T0.getTime() - (60 + count - (i === 41 ? 40 : i)) * MINUTE).toISOString();
  for (let from = 0; from < count; from += 100) {
    const events = ids.slice(from, from + 100).map((eventId, i) => ({
      eventId,
      type: 'page_view',
      occurredAt: at(from + i),
      properties: { path: '/p' },
    }));
    const posted = await api.request('POST', `/leads/${leadId}/events`, { json: { events } });
    expect(posted.status, posted.text).toBe(200);
  }
  return { leadId, ids };
}

describe('GET /leads/{id} pages back through the events', () => {
  it('140 events and the form post: 100, then the rest with eventsBefore, each once, then null', async () => {
    // Arrange
    const { leadId, ids } = await leadWithEvents(140);

    // Act: the first answer, then every page back it names
    const pages: EventsPage[] = [];
    let cursor: string | null | undefined;
    do {
      const query = cursor ? `?eventsBefore=${encodeURIComponent(cursor)}` : '';
      const answer = await api.request('GET', `/leads/${leadId}${query}`);
      expect(answer.status, answer.text).toBe(200);
      pages.push(answer.body as EventsPage);
      cursor = pages.at(-1)!.eventsBefore;
    } while (cursor && pages.length < 5);

    // Assert: every event once, newest page first; the count is the lead's whatever the page
    const seen = pages.flatMap((page) => page.events.map((event) => event.eventId));
    expect(pages.map((page) => page.events.length)).toEqual([100, 41]);
    expect(pages.map((page) => page.eventCount)).toEqual([141, 141]);
    expect(new Set(seen).size).toBe(141);
    for (const id of ids) expect(seen).toContain(id);
    expect(pages.at(-1)!.eventsBefore).toBeNull();
  });

  it.each(['yesterday', '2026-11-30T10:00:00.000Z', '2026-11-30T10:00:00.000Z_bad id!'])(
    'a cursor that is none (%s): 400 naming eventsBefore',
    async (cursor) => {
      // Arrange
      const leadId = await api.createLead({ email: api.uniqueEmail('cursor'), industry: 'retail' });
      // Act
      const answer = await api.request('GET', `/leads/${leadId}?eventsBefore=${encodeURIComponent(cursor)}`);
      // Assert
      expect(answer.status).toBe(400);
      expect(answer.text).toContain('eventsBefore');
    },
  );
});
