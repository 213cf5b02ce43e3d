/**
 * Timeline entries for story fixtures (the carries' tests): one after another, 47 minutes apart from `t0`
 * (no two at one instant), with a placeholder reason unless the entry names its own; `nurture(n)` is n
 * judgements that change nothing, the bulk of a long MQL stay.
 */
import type { LeadState, TimelineEntry } from '../../lambdas/domain/lead-state.ts';

export type EntryDraft = Omit<TimelineEntry, 'at' | 'reasons'> & { reasons?: TimelineEntry['reasons'] };

export function storyEntries(t0: number) {
  let step = 0;
  const next = (entry: EntryDraft): TimelineEntry =>
    ({
      at: new Date(t0 + 47 * 60_000 * step++).toISOString(),
      reasons: [{ rule: 'fixture', detail: 'fixture' }],
      ...entry,
    }) as TimelineEntry;
  const nurture = (n: number) =>
    Array.from({ length: n }, () =>
      next({ kind: 'judged', from: 'mql/nurturing', to: 'mql/nurturing', by: 'workflow' }),
    );
  return { next, nurture };
}

/** A lead of type equipment-sales in Germany holding `timeline` on its state, for the facts' walks. */
export const storyLead =
  (leadId: string, t0: number) =>
  (timeline: readonly TimelineEntry[], extra: Partial<LeadState> = {}): LeadState =>
    ({
      leadId,
      leadType: 'equipment-sales',
      fields: { country: 'DE' },
      timeline,
      timelineDropped: 0,
      updatedAt: timeline.at(-1)?.at ?? new Date(t0).toISOString(),
      ...extra,
    }) as unknown as LeadState;
