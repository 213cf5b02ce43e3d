/**
 * A rep's capacity under a burst (ADR 0040). The owner index says which leads a rep holds open, but it
 * lags: handoffs that run at once each count the rep's open leads before any of them is written, and all
 * of them see room. So a pick of a capped rep also reserves a place: a small item at a position, written
 * only if that position is free (a conditional put). Picks that read the same reservations choose the same
 * position, one of them wins it and the others read again and count the winner.
 *
 * A reservation counts while it is live (RESERVATION_LIVE_MS): long enough for the handoff's write to reach
 * the owner index, after which the index counts the lead. A lead both listed by the index and reserved counts
 * once. Pure: the store reads the reservations and writes the position this plans.
 */

import type { LeadState } from './lead-state.ts';

/** how long a reservation counts after its pick: the handoff's state write lands well within it */
export const RESERVATION_LIVE_MS = 10 * 60_000;

export interface CapacityReservation {
  /** the position it holds: a token the picks compete for, not a rank */
  readonly position: number;
  readonly leadId: string;
  /** when it was picked (ISO) */
  readonly at: string;
}

export interface CapacityRequest {
  readonly repId: string;
  readonly leadId: string;
  readonly capacity: number;
  /** the rep's open leads as the owner index lists them now (it may miss a pick of a moment ago) */
  readonly open: readonly string[];
  /** now (ISO) */
  readonly at: string;
  /** how long a reservation counts, on the clock of `at` (default RESERVATION_LIVE_MS) */
  readonly liveMs?: number;
}

export type CapacityPlan =
  /** the lead is the rep's already (listed open, or reserved by this pick or an earlier try, within capacity) */
  | { readonly kind: 'held' }
  /**
   * this lead's live reservation takes the rep past capacity: another pick that differed on an expiry took
   * a second position for the same place at the same moment. Give it back and read again.
   */
  | { readonly kind: 'release'; readonly reservation: CapacityReservation }
  /** no room: `open` counts the index's open leads and the live reservations it does not list yet */
  | { readonly kind: 'full'; readonly open: number }
  /** room: reserve this position; `replacing` is the expired reservation there, if any */
  | { readonly kind: 'reserve'; readonly position: number; readonly replacing?: CapacityReservation };

export function isLive(
  reservation: CapacityReservation,
  at: string,
  liveMs: number = RESERVATION_LIVE_MS,
): boolean {
  return Date.parse(at) - Date.parse(reservation.at) < liveMs;
}

/**
 * The rep a pick of an owner reserved a place with, for one handover of one lead (ADR 0045): a pick made again
 * for the same handover (a task retried after its write was lost, a handoff that lost its write to a
 * concurrent change and decides again) takes that rep again instead of a new turn, or gives the place back.
 */
export interface OwnerPick {
  /** pickHandover of the lead the pick was for */
  readonly handover: string;
  readonly repId: string;
  /** when it was picked (ISO) */
  readonly at: string;
}

/**
 * The handover a pick decides, from the lead before it: its first owner of this stay in sales (the cycle and
 * the recycle it qualified after), or the owner after the current one (the handover it ends).
 */
export function pickHandover(
  lead: Pick<LeadState, 'cycle' | 'ownerId' | 'ownerSince' | 'handedOffAt' | 'recycledAt'>,
): string {
  return lead.ownerId === undefined
    ? `${lead.cycle}:first:${lead.recycledAt ?? 'first'}`
    : `${lead.cycle}:after:${lead.ownerId}:${lead.ownerSince ?? lead.handedOffAt ?? ''}`;
}

/** What a given-back reservation holds (`release`): long expired, so its position is free for any pick. */
export const RELEASED_AT = new Date(0).toISOString();

/**
 * What a pick of a capped rep does with the reservations it read. The position is the lowest one that is
 * free or holds an expired reservation, so picks that read the same items compete for the same position.
 * A live reservation keeps its position even once the index lists its lead: replacing it on that ground
 * would let two picks whose index reads differ take two positions for one place.
 *
 * Picks that differ on whether a reservation has expired (clocks a few seconds apart, or reads either side
 * of the moment) do not compete for the same position: one replaces the expired one, the other takes the
 * next free one, and both puts land. So a pick reads the reservations again after its put, and its own live
 * reservation holds the place only if the rep is within capacity counting every live reservation; past it,
 * the plan is to give it back (every pick that sees the excess gives its own back, and they compete again).
 */
export function planReservation(
  request: CapacityRequest,
  reservations: readonly CapacityReservation[],
): CapacityPlan {
  const live = reservations.filter((reservation) => isLive(reservation, request.at, request.liveMs));
  const open = new Set(request.open);
  if (open.has(request.leadId)) return { kind: 'held' };
  const counted = new Set([...open, ...live.map((reservation) => reservation.leadId)]);
  const own = live.find((reservation) => reservation.leadId === request.leadId);
  if (own) return counted.size <= request.capacity ? { kind: 'held' } : { kind: 'release', reservation: own };
  if (counted.size >= request.capacity) return { kind: 'full', open: counted.size };
  const byPosition = new Map(reservations.map((reservation) => [reservation.position, reservation]));
  for (let position = 0; ; position++) {
    const there = byPosition.get(position);
    if (!there) return { kind: 'reserve', position };
    if (!isLive(there, request.at, request.liveMs)) return { kind: 'reserve', position, replacing: there };
  }
}
