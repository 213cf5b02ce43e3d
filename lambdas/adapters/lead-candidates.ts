/**
 * What both LeadQueries implementations share: the position of a lead in a list's order and a merge of
 * sorted streams (one per index partition) into one, both descending.
 */
import type { CadenceLog } from '../domain/lead-state.ts';
import type { LeadCandidate } from '../ports/lead-queries.ts';
import {
  FIRST_TOUCH_INDEX,
  keptDeadlineOfKey,
  keptDeadlineOfStepKey,
  keyTime,
  NEXT_STEP_INDEX,
} from './table-definition.ts';

/** Position in the stage and search lists: newest created first. */
export const createdPosition = (createdAt: string, leadId: string) => `${keyTime(createdAt)}#${leadId}`;
/** Position in the owner list (the owner index is by update): newest update first. */
export const updatedPosition = (updatedAt: string, leadId: string) => `${keyTime(updatedAt)}#${leadId}`;

/**
 * A first-touch index entry (or a lead state, with the key the index holds it by) as a candidate with its
 * handover's facts, in the owner list's order; the deadline its handover kept, when its key holds one (ADR 0062).
 */
export function handoverCandidate(
  item: Readonly<Record<string, unknown>>,
  sortKey: unknown = item[FIRST_TOUCH_INDEX.sortKey],
): LeadCandidate {
  const leadId = String(item.leadId);
  const updatedAt = String(item.updatedAt);
  const keptDueAt = typeof sortKey === 'string' ? keptDeadlineOfKey(sortKey) : undefined;
  return {
    leadId,
    position: updatedPosition(updatedAt, leadId),
    handover: {
      ownerId: String(item.ownerId),
      leadType: String(item.leadType),
      handedOffAt: String(item.handedOffAt),
      ...(typeof item.ownerSince === 'string' ? { ownerSince: item.ownerSince } : {}),
      updatedAt,
      ...(keptDueAt ? { keptDueAt } : {}),
    },
  };
}

/**
 * A next-step index entry (or a lead state, with the key the index holds it by) as a candidate with its cadence
 * facts, in the list's `order`; the deadline its handover kept, when its key holds one (ADR 0065).
 */
export function nextStepCandidate(
  item: Readonly<Record<string, unknown>>,
  order: 'updated' | 'created',
  sortKey: unknown = item[NEXT_STEP_INDEX.sortKey],
): LeadCandidate {
  const keptDueAt = typeof sortKey === 'string' ? keptDeadlineOfStepKey(sortKey) : undefined;
  const leadId = String(item.leadId);
  const updatedAt = String(item.updatedAt);
  const log = item.cadenceLog as CadenceLog | undefined;
  return {
    leadId,
    position:
      order === 'updated'
        ? updatedPosition(updatedAt, leadId)
        : createdPosition(String(item.createdAt), leadId),
    step: {
      ownerId: String(item.ownerId),
      stage: String(item.stage),
      status: String(item.status),
      leadType: String(item.leadType),
      handedOffAt: String(item.handedOffAt),
      ...(typeof item.ownerSince === 'string' ? { ownerSince: item.ownerSince } : {}),
      ...(log && typeof log === 'object'
        ? {
            cadenceLog: {
              since: String(log.since),
              attempts: Number(log.attempts),
              ...(typeof log.lastAt === 'string' ? { lastAt: log.lastAt } : {}),
            },
          }
        : {}),
      updatedAt,
      ...(keptDueAt ? { keptDueAt } : {}),
    },
  };
}

/** Merges streams that are each in descending `position` order into one, dropping repeated lead ids. */
export async function* mergeDescending<T extends { readonly leadId: string; readonly position: string }>(
  streams: readonly AsyncIterable<T>[],
): AsyncGenerator<T> {
  const iterators = streams.map((stream) => stream[Symbol.asyncIterator]());
  const heads = await Promise.all(iterators.map((iterator) => iterator.next()));
  const seen = new Set<string>();
  for (;;) {
    let best = -1;
    for (let i = 0; i < heads.length; i++) {
      const head = heads[i]!;
      if (head.done) continue;
      if (best === -1 || head.value.position > (heads[best]!.value as T).position) best = i;
    }
    if (best === -1) return;
    const value = heads[best]!.value as T;
    heads[best] = await iterators[best]!.next();
    if (seen.has(value.leadId)) continue;
    seen.add(value.leadId);
    yield value;
  }
}
