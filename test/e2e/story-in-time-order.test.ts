/**
 * A sales change written in the millisecond of two reassignments (the shape of trial 2 finding 2, through the other
 * routes that stamp the lead's story): the hot lead is with Jonas; on one clock millisecond the API gives it to Lena,
 * then to Mats (his handover moved a millisecond later by nextHandoverAt, ADR 0091), then changes it. Each try of the
 * change's write is stamped no earlier than the story it changes (storyInstant, ADR 0091 amended), so the story stays
 * in time order. Before, the status, deal and field handlers stamped the change with the request's time, before Mats's
 * owner entry that it follows.
 * The whole local runtime: the workflow, the API over HTTP.
 */
import { expect, it } from 'vitest';
import { hotLeadWithJonas, startE2e } from '../support/e2e.ts';

it.each([
  ['PATCH /leads/{id}/status (unqualified)', 'PATCH', 'status', { status: 'unqualified' }, 'status'],
  ['PUT /leads/{id}/deal (discovery)', 'PUT', 'deal', { stage: 'discovery' }, 'deal'],
  [
    'PATCH /leads/{id}/fields (a phone)',
    'PATCH',
    'fields',
    { fields: { phone: '+49 171 2345678' } },
    'field',
  ],
])(
  '%s in the millisecond of two reassignments is stamped after them',
  async (_name, method, path, body, kind) => {
    // Arrange: the hot lead handed to Jonas, on Mon 30 Nov 10:00Z
    const e = await startE2e({ port: 4716, mailPort: 4717 });
    try {
      const id = await hotLeadWithJonas(e);

      // Act: to Lena, to Mats, then the change, all within one millisecond of the clock
      await e.request('POST', `/leads/${id}/owner`, { json: { owner: 'lena', reason: 'a' } });
      await e.request('POST', `/leads/${id}/owner`, { json: { owner: 'mats', reason: 'b' } });
      const changed = await e.request(method, `/leads/${id}/${path}`, { json: body });
      await e.settle();
      const lead = await e.readLead(id);

      // Assert: the change is on the story after Mats's owner entry, and dated no earlier than anything before it
      expect(changed.status).toBe(200);
      const story = lead.timeline.map((entry) => `${entry.at} ${entry.kind}`);
      const toMats = lead.timeline.findLastIndex((entry) => entry.kind === 'owner' && entry.to === 'mats');
      const change = lead.timeline.findLastIndex((entry) => entry.kind === kind);
      expect(change, story.join('\n')).toBeGreaterThan(toMats);
      const latestBefore = lead.timeline
        .slice(0, change)
        .map((entry) => entry.at)
        .sort()
        .at(-1)!;
      expect(lead.timeline[change]!.at >= latestBefore, story.join('\n')).toBe(true);
    } finally {
      await e.close();
    }
  },
);
