/**
 * Picks the owner for a lead (handoff or reassignment): the account owner for the fast lane,
 * else the queue's rotation honouring working hours, out of office and capacity. The rotation
 * is a turn counter per queue, taken with one atomic increment: a burst of handoffs never
 * fights over a shared item (docs/decisions/0011-rotation-by-turns.md).
 */
import { isWorkingTime, repCalendar } from '../domain/business-hours.ts';
import { isLive, type OwnerPick, pickHandover, planReservation, RELEASED_AT } from '../domain/capacity.ts';
import { emailDomain, type Reason } from '../domain/lead.ts';
import type { LeadState } from '../domain/lead-state.ts';
import { statusFor } from '../domain/lifecycle.ts';
import { accountOwner, awayBetween, chooseOwner, chooseQueue, ownerCandidates } from '../domain/routing.ts';
import { firstTouchDue } from '../domain/sla-breach.ts';
import type { Rep } from '../domain/sla-schema.ts';
import type { TaskDeps } from './deps.ts';

export interface Assignment {
  readonly rep: Rep | undefined;
  readonly reasons: Reason[];
}

export async function assignOwner(
  deps: TaskDeps,
  lead: LeadState,
  options: {
    assignTo: 'queue' | 'accountOwner';
    exclude?: readonly string[];
    /** only a rep present up to the first touch they would get, else nobody (routing.ts presentOnly) */
    presentOnly?: boolean;
    /** reps who had the lead before in this handoff: taken only when nobody else can (routing.ts formerOwners) */
    formerOwners?: readonly string[];
    /** the lead's owner pick as the caller's read of the lead found it (LeadSnapshot): no read of its own */
    ownerPick?: { readonly pick: OwnerPick | undefined };
  },
): Promise<Assignment> {
  const { sla } = deps;
  const reasons: Reason[] = [];
  const calendars = new Map(sla.routing.reps.map((rep) => [rep.id, repCalendar(sla, rep)]));
  const dueIfTaken = (repId: string, at: Date) =>
    firstTouchDue(sla, calendars.get(repId) ?? sla.calendar, at, lead.leadType);
  if (options.assignTo === 'accountOwner' && lead.email) {
    const owner = accountOwner(sla, emailDomain(lead.email));
    // an account owner away before the first touch would be due cannot make it: the queue can
    const now = deps.clock.now();
    const away = owner && awayBetween(sla, owner.rep, now, dueIfTaken(owner.rep.id, now));
    const passedOver = [...(options.exclude ?? []), ...(options.formerOwners ?? [])];
    if (owner && !away && !passedOver.includes(owner.rep.id))
      return { rep: owner.rep, reasons: owner.reasons };
    reasons.push({
      rule: 'routing.accountOwner',
      detail: away
        ? `the account owner ${owner!.rep.name} is out of office ${away.from} to ${away.to}: routing by queue`
        : 'no account owner available: routing by queue',
    });
  }
  const country = typeof lead.fields.country === 'string' ? lead.fields.country : undefined;
  const { queue, reasons: queueReasons } = chooseQueue(sla, {
    leadTypeId: lead.leadType,
    ...(country ? { country } : {}),
  });
  reasons.push(...queueReasons);

  const request = {
    queue,
    at: deps.clock.now(),
    ...(options.exclude ? { exclude: options.exclude } : {}),
    ...(options.presentOnly ? { presentOnly: true } : {}),
    ...(options.formerOwners ? { formerOwners: options.formerOwners } : {}),
    isWorkingTime: (repId: string, at: Date) => {
      const cal = calendars.get(repId);
      return cal ? isWorkingTime(cal, at) : false;
    },
    firstTouchDue: dueIfTaken,
  };
  // capacity is counted for the rep the rotation lands on, not for every rep of the queue (a Query of
  // the owner index each), and a place is reserved with that rep (ADR 0040): at capacity, that rep drops
  // out and the same turn picks among the others
  const openLeads: Record<string, number> = {};
  // a pick of this handover made before (ADR 0045): its rep first, without a turn; the places of the reps
  // this pick does not end with are given back
  const picks = new OwnerPicks(deps, lead, options.ownerPick);
  const done = async (rep: Rep | undefined, why: readonly Reason[]): Promise<Assignment> => {
    await picks.releaseAllBut(rep?.id);
    return { rep, reasons: [...reasons, ...why] };
  };
  // only a capped rep of the queue holds places: a queue without one reads no pick
  const capped = queue.reps.some(
    (id) => sla.routing.reps.find((rep) => rep.id === id)?.capacity !== undefined,
  );
  const before = capped ? await picks.before() : undefined;
  if (before?.capacity !== undefined) {
    const eligible = ownerCandidates(sla, { ...request, openLeads }).candidates.some(
      (rep) => rep.id === before.id,
    );
    const place = eligible ? await reservePlace(deps, lead.leadId, before.id, before.capacity) : undefined;
    if (place === 'held')
      return done(before, [
        {
          rule: 'routing.pickedBefore',
          detail: `${before.name} was picked for this handover before (a retry)`,
        },
      ]);
    if (place) openLeads[before.id] = place.open;
  }
  let turn: number | undefined;
  for (;;) {
    // one atomic increment, only when there is a choice to make: concurrent handoffs get distinct turns
    if (turn === undefined && ownerCandidates(sla, { ...request, openLeads }).candidates.length > 1)
      turn = await deps.store.nextTurn(queue.id);
    const choice = chooseOwner(sla, { ...request, openLeads, ...(turn === undefined ? {} : { turn }) });
    const rep = sla.routing.reps.find((candidate) => candidate.id === choice.ownerId);
    if (!rep || rep.capacity === undefined || rep.id in openLeads) return done(rep, choice.reasons);
    // recorded before a place is taken: a retry after a crash between the two finds the rep
    const place = await reservePlace(deps, lead.leadId, rep.id, rep.capacity, () => picks.record(rep.id));
    if (place === 'held') return done(rep, choice.reasons);
    openLeads[rep.id] = place.open;
  }
}

/**
 * The picks of one handover of a lead (ADR 0045): the rep an earlier pick reserved a place with (one item in
 * the lead's partition), recorded before each place this pick takes; the places of the reps a pick does not
 * end with are given back, so a retried pick never holds places with two reps for one lead.
 */
class OwnerPicks {
  private readonly handover: string;
  /**
   * reps that may hold a place for this lead from an earlier pick of this handover (this pick's own places
   * are given back by reservePlace unless held: a rep it found full holds none of them)
   */
  private readonly reps = new Set<string>();
  private recorded: string | undefined;

  constructor(
    private readonly deps: TaskDeps,
    private readonly lead: LeadState,
    /** the pick as the caller read it with the lead; absent: read here */
    private readonly known?: { readonly pick: OwnerPick | undefined },
  ) {
    this.handover = pickHandover(lead);
  }

  /**
   * the capped rep an earlier pick of this handover reserved with (one read, unless the caller's read of the
   * lead brought it), if the SLA still has them
   */
  async before(): Promise<Rep | undefined> {
    const pick = this.known ? this.known.pick : await this.deps.store.getOwnerPick(this.lead.leadId);
    if (!pick || pick.handover !== this.handover) return undefined;
    this.recorded = pick.repId;
    this.reps.add(pick.repId);
    return this.deps.sla.routing.reps.find((rep) => rep.id === pick.repId);
  }

  async record(repId: string): Promise<void> {
    if (this.recorded === repId) return;
    await this.deps.store.putOwnerPick(this.lead.leadId, {
      handover: this.handover,
      repId,
      at: this.deps.clock.now().toISOString(),
    });
    this.recorded = repId;
  }

  /** gives back the lead's live places with the reps it was picked for but does not go to */
  async releaseAllBut(repId: string | undefined): Promise<void> {
    for (const other of this.reps)
      if (other !== repId) await releasePlace(this.deps, this.lead.leadId, other);
  }
}

/** Gives back the lead's live reservation with the rep, if any (a refused put: it was gone already). */
export async function releasePlace(deps: TaskDeps, leadId: string, repId: string): Promise<void> {
  const at = deps.clock.now().toISOString();
  const reservations = await deps.store.listCapacityReservations(repId);
  for (const reservation of reservations) {
    if (reservation.leadId !== leadId || !isLive(reservation, at, deps.reservationLiveMs)) continue;
    await deps.store.putCapacityReservation(repId, { ...reservation, at: RELEASED_AT }, reservation);
  }
}

/**
 * Rounds a pick may lose beyond the rep's capacity before it gives up. Every lost round is another pick's
 * put that landed, which takes one of the rep's places (or is given back, when picks differed on an
 * expiry), so a burst of picks on one rep needs up to `capacity` rounds: a fixed budget failed the tasks of
 * a burst's last picks (60 at once on a capacity of 50: 19 of them).
 */
const RESERVE_ROUNDS_BEYOND_CAPACITY = 12;

/**
 * A place among the rep's open leads for this lead, or the count that fills the rep (ADR 0040): the owner
 * index's open leads, then the rep's reservations, then a conditional put of the position the plan names,
 * then the reservations read again to check that the place holds (picks that differ on an expiry do not
 * collide). A lost put means another pick took that position at the same moment, a given-back reservation
 * that another took the place: read again, with a short jittered wait, and count it.
 */
async function reservePlace(
  deps: TaskDeps,
  leadId: string,
  repId: string,
  capacity: number,
  /** before the first put of a place (the pick's record, ADR 0045) */
  beforePut: () => Promise<void> = async () => undefined,
): Promise<'held' | { readonly open: number }> {
  const open = await openLeadIds(deps, repId);
  const rounds = capacity + RESERVE_ROUNDS_BEYOND_CAPACITY;
  // a landed put costs no round, but its reading back does not loop forever either
  for (let lost = 0, round = 0; lost < rounds && round < 2 * rounds; round++) {
    const at = deps.clock.now().toISOString();
    const plan = planReservation(
      {
        repId,
        leadId,
        capacity,
        open,
        at,
        ...(deps.reservationLiveMs ? { liveMs: deps.reservationLiveMs } : {}),
      },
      await deps.store.listCapacityReservations(repId),
    );
    if (plan.kind === 'held') return 'held';
    if (plan.kind === 'full') return { open: plan.open };
    if (plan.kind === 'reserve') {
      await beforePut();
      // landed: the next round reads it back with the others' and holds it or gives it back
      if (
        await deps.store.putCapacityReservation(
          repId,
          { position: plan.position, leadId, at },
          plan.replacing,
        )
      )
        continue;
    } else {
      // past capacity: give it back (a refused put means it is no longer there: as good as given back)
      await deps.store.putCapacityReservation(
        repId,
        { ...plan.reservation, at: RELEASED_AT },
        plan.reservation,
      );
    }
    lost++;
    await new Promise((resolve) => setTimeout(resolve, spreadMs(leadId, lost)));
  }
  throw new Error(`could not reserve a place with rep ${repId}: ${rounds} rounds lost to other picks`);
}

/**
 * The wait after a lost round: up to 10 ms per round for the first rounds, then up to 40 ms, spread by the
 * lead so that picks that collided do not collide again, and the same for a replay (no random source: the
 * simulator's runs repeat per seed). Capped, so that the rounds of a large capacity stay within seconds.
 */
function spreadMs(leadId: string, round: number): number {
  let hash = round;
  for (let i = 0; i < leadId.length; i++) hash = (hash * 31 + leadId.charCodeAt(i)) >>> 0;
  return ((hash % 1000) / 100) * Math.min(round, SPREAD_ROUNDS);
}

const SPREAD_ROUNDS = 4;

/** Capacity counts leads still being worked: not disqualified, recycled or won. */
async function openLeadIds(deps: TaskDeps, repId: string): Promise<string[]> {
  const closed = new Set([statusFor(deps.sla, 'disqualified'), statusFor(deps.sla, 'recycled')]);
  const owned = await deps.store.listLeadsByOwner(repId);
  return owned
    .filter((lead) => lead.stage !== 'customer' && !closed.has(lead.status))
    .map((lead) => lead.leadId);
}
