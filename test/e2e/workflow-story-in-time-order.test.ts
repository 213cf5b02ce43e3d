/**
 * The workflow's writes keep the lead's story in time order too (ADR 0091, amended). The hot lead is with Jonas; on
 * one clock millisecond the API gives it to Lena, then to Mats (and Carla) (each handover moved a millisecond later by
 * nextHandoverAt), and the signal wakes the workflow, which tells the reps (the "reassigned" email) in that same
 * millisecond. Each entry a workflow write adds is stamped no earlier than the story it commits on
 * (domain/lead-state.ts inStoryOrder): the email is not dated before the handover it tells of. Before, the email's
 * entry took the wake's own time, a millisecond before Mats's owner entry that it follows.
 * The whole local runtime on its manual clock: the workflow, the API over HTTP.
 */
import { expect, it } from 'vitest';
import { hotLeadWithJonas, startE2e } from '../support/e2e.ts';

it.each([
  ['two reassignments', ['lena', 'mats'], '2026-11-30T10:00:00.001Z'],
  ['three reassignments', ['lena', 'mats', 'carla'], '2026-11-30T10:00:00.002Z'],
])(
  'the workflow telling of %s in one millisecond writes its entries in time order',
  async (_name, owners, lastAt) => {
    // Arrange: the hot lead handed to Jonas, on Mon 30 Nov 10:00Z
    const e = await startE2e({ port: 4760, mailPort: 4761 });
    try {
      const id = await hotLeadWithJonas(e);

      // Act: to each owner in turn within one millisecond of the clock; the signals wake the workflow in it
      const answers: number[] = [];
      for (const owner of owners)
        answers.push(
          (await e.request('POST', `/leads/${id}/owner`, { json: { owner, reason: 'a' } })).status,
        );
      await e.settle();
      const lead = await e.readLead(id);

      // Assert: the last handover moved a millisecond per reassignment before it; the workflow's email to its owner
      // follows it, dated no earlier; and no entry of the story is dated before one it follows
      expect(answers).toEqual(owners.map(() => 200));
      const last = owners.at(-1)!;
      const story = lead.timeline.map(
        (entry) => `${entry.at} ${entry.kind} ${entry.reasons[0]?.detail ?? ''}`,
      );
      const handover = lead.timeline.findIndex((entry) => entry.kind === 'owner' && entry.to === last);
      expect(lead.timeline[handover]?.at, story.join('\n')).toBe(lastAt);
      const told = lead.timeline.findIndex(
        (entry, index) =>
          index > handover &&
          entry.kind === 'email' &&
          entry.reasons[0]?.detail?.includes(`email to ${last}`),
      );
      expect(told, story.join('\n')).toBeGreaterThan(handover);
      const outOfOrder = lead.timeline.filter((entry, index) =>
        lead.timeline.slice(0, index).some((before) => before.at > entry.at),
      );
      expect(
        outOfOrder.map((entry) => `${entry.at} ${entry.kind}`),
        story.join('\n'),
      ).toEqual([]);
    } finally {
      await e.close();
    }
  },
);
