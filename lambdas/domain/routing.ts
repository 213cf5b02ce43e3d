/**
 * Who works a handed-off lead: the queue (by lead type and region), the account owner for
 * known companies, and the rep within a queue (round robin or weighted, skipping reps who
 * are away, full or excluded, preferring reps in their working hours).
 */
import type { Reason } from './lead.ts';
import type { LeadState } from './lead-state.ts';
import type { Rep, Routing, Sla } from './sla-schema.ts';

export type RoutingStrategy = Routing['strategy'];

export interface RoutedQueue {
  readonly id: string;
  readonly reps: readonly string[];
  readonly strategy: RoutingStrategy;
}

/** The queue of every rep when no declared queue serves a lead; not a valid SLA id, so it cannot clash. */
export const ALL_REPS_QUEUE = '*';

export interface QueueRequest {
  readonly leadTypeId: string;
  /** the lead's region id (sla.regions), when known */
  readonly region?: string;
  /** the lead's ISO country code */
  readonly country?: string;
  /** a queue id that wins over matching (the lead type's override, when the caller resolved it) */
  readonly queueOverride?: string;
}

export function chooseQueue(sla: Sla, request: QueueRequest): { queue: RoutedQueue; reasons: Reason[] } {
  const reasons: Reason[] = [];
  const { queues, strategy } = sla.routing;
  const toRouted = (queue: (typeof queues)[number]): RoutedQueue => ({
    id: queue.id,
    reps: queue.reps,
    strategy: queue.strategy ?? strategy,
  });

  const leadType = sla.leadTypes.find((type) => type.id === request.leadTypeId);
  const overrideId = request.queueOverride ?? leadType?.overrides.queue;
  if (overrideId !== undefined) {
    const override = queues.find((queue) => queue.id === overrideId);
    if (override) {
      reasons.push({
        rule: `routing.queue.${override.id}`,
        detail: `lead type ${request.leadTypeId} goes to ${override.name}`,
      });
      return { queue: toRouted(override), reasons };
    }
    reasons.push({
      rule: 'routing.queue',
      detail: `override queue "${overrideId}" is not declared: matching instead`,
    });
  }

  const country = request.country?.toUpperCase();
  const servesRegion = (entry: string) =>
    entry === request.region ||
    entry === country ||
    (country !== undefined && (sla.regions[entry] ?? []).includes(country));
  for (const queue of queues) {
    const typeOk = queue.leadTypes.length === 0 || queue.leadTypes.includes(request.leadTypeId);
    const regionOk = queue.regions.length === 0 || queue.regions.some(servesRegion);
    if (typeOk && regionOk) {
      const where =
        [request.region, country].filter((part) => part !== undefined).join('/') || 'unknown region';
      reasons.push({
        rule: `routing.queue.${queue.id}`,
        detail: `${queue.name} serves lead type ${request.leadTypeId} in ${where}`,
      });
      return { queue: toRouted(queue), reasons };
    }
  }

  reasons.push({
    rule: 'routing.queue',
    detail:
      queues.length === 0
        ? 'no queues declared: one queue of all reps'
        : 'no queue matched: one queue of all reps',
  });
  return { queue: { id: ALL_REPS_QUEUE, reps: sla.routing.reps.map((rep) => rep.id), strategy }, reasons };
}

/** The queue routing chooses for a lead: by its type, and the country it gave. */
export function leadQueue(sla: Sla, lead: Pick<LeadState, 'leadType' | 'fields'>): RoutedQueue {
  const country = typeof lead.fields.country === 'string' ? lead.fields.country : undefined;
  return chooseQueue(sla, { leadTypeId: lead.leadType, ...(country ? { country } : {}) }).queue;
}

/** The rep owning a known company, by email domain; a subdomain belongs to its parent's account. */
export function accountOwner(sla: Sla, emailDomain: string): { rep: Rep; reasons: Reason[] } | undefined {
  const domain = emailDomain.trim().toLowerCase();
  if (domain === '') return undefined;
  // the most specific account wins: eu.acme.com over acme.com
  const account = sla.routing.accounts
    .map((candidate) => ({ ...candidate, domain: candidate.domain.trim().toLowerCase() }))
    .filter((candidate) => domain === candidate.domain || domain.endsWith(`.${candidate.domain}`))
    .sort((a, b) => b.domain.length - a.domain.length)[0];
  const rep = account && sla.routing.reps.find((candidate) => candidate.id === account.owner);
  if (!account || !rep) return undefined;
  return {
    rep,
    reasons: [{ rule: 'routing.account', detail: `${account.domain} is ${rep.name}'s account` }],
  };
}

export interface OwnerRequest extends CandidateRequest {
  /**
   * This pick's turn in the queue's rotation: 1, 2, 3, ... from an atomic counter per queue, so
   * concurrent handoffs get distinct turns and never fight over a shared rotation state. Not needed
   * (and not taken, assign-owner.ts) when one rep alone can take the lead.
   */
  readonly turn?: number;
}

export interface CandidateRequest {
  readonly queue: RoutedQueue;
  readonly at: Date;
  /** open leads per rep id (missing = none: a rep not counted yet counts as under capacity) */
  readonly openLeads: Readonly<Record<string, number>>;
  /** reps who must not get the lead, e.g. the owner it is being reassigned away from */
  readonly exclude?: readonly string[];
  /** from business-hours.ts, passed in so routing stays independent of it */
  readonly isWorkingTime: (repId: string, at: Date) => boolean;
  /**
   * The first-touch deadline the rep would be given taking the lead at `at` (sla-breach.ts firstTouchDue in
   * their calendar): a rep out of office on a day up to it is passed over while someone else can take the lead
   */
  readonly firstTouchDue?: (repId: string, at: Date) => Date;
  /**
   * Only reps present up to that deadline: nobody rather than an absent rep (a lead taken from an owner who is
   * away, ADR 0043, goes to its manager instead of to another empty desk)
   */
  readonly presentOnly?: boolean;
  /**
   * Reps who had the lead before in this handoff (an owner away, ADR 0043 amended): chosen only when nobody
   * else can take it, by the same rules (exclude, presence, capacity, working hours)
   */
  readonly formerOwners?: readonly string[];
}

export type OwnerChoice =
  | { readonly ownerId: string; readonly reasons: Reason[] }
  | { readonly ownerId: undefined; readonly reasons: Reason[] };

/**
 * The reps the rotation chooses among now: eligible (not excluded, not out of office, under capacity as
 * far as `openLeads` counts) and, when the SLA honours working hours, at work; when nobody eligible is, those
 * whose first touch would fall due soonest. With the reasons the others were left out. Reps who had the lead
 * before (`formerOwners`) are among them only when nobody else can take it.
 */
export function ownerCandidates(
  sla: Sla,
  request: CandidateRequest,
): { candidates: Rep[]; reasons: Reason[] } {
  const former = request.formerOwners ?? [];
  if (former.length === 0) return candidatesPassingOver(sla, request, []);
  const fresh = candidatesPassingOver(sla, request, former);
  if (fresh.candidates.length > 0) return fresh;
  const back = candidatesPassingOver(sla, request, []);
  if (back.candidates.length > 0)
    back.reasons.push({
      rule: 'routing.formerOwner',
      detail: `nobody who has not had the lead before can take it: choosing among those who had it (${back.candidates.map((rep) => rep.name).join(', ')})`,
    });
  return back;
}

/** ownerCandidates, with the reps `passedOver` left out as having had the lead before. */
function candidatesPassingOver(
  sla: Sla,
  request: CandidateRequest,
  passedOver: readonly string[],
): { candidates: Rep[]; reasons: Reason[] } {
  const { queue, at } = request;
  const reasons: Reason[] = [];
  const eligible: Rep[] = [];
  for (const repId of queue.reps) {
    const rep = sla.routing.reps.find((candidate) => candidate.id === repId);
    const why = !rep
      ? `rep "${repId}" is not declared`
      : (ineligibility(sla, rep, request) ??
        (passedOver.includes(rep.id) ? `${rep.name} had the lead before` : undefined));
    if (why) reasons.push({ rule: 'routing.eligibility', detail: why });
    else if (rep) eligible.push(rep);
  }
  const present = presentUntilDue(sla, eligible, request, reasons);
  if (present.length === 0 || !sla.routing.honourWorkingHours) return { candidates: present, reasons };
  const working = present.filter((rep) => request.isWorkingTime(rep.id, at));
  if (working.length > 0) return { candidates: working, reasons };
  const soonest = dueSoonest(present, request);
  reasons.push({
    rule: 'routing.workingHours',
    detail:
      soonest.length < present.length
        ? `nobody eligible is in working hours: choosing among those whose first touch would fall due soonest (${soonest.map((rep) => rep.name).join(', ')})`
        : 'nobody eligible is in working hours: choosing among all eligible reps',
  });
  return { candidates: soonest, reasons };
}

/**
 * Of reps none of whom is at work, those whose first-touch deadline would come soonest (a Saturday lead goes to
 * the reps who open first on Monday, not to a zone that opens hours later); all of them when the deadline is
 * not known or the same for all.
 */
function dueSoonest(reps: Rep[], request: CandidateRequest): Rep[] {
  const { firstTouchDue, at } = request;
  if (!firstTouchDue) return reps;
  const dues = reps.map((rep) => firstTouchDue(rep.id, at).getTime());
  const earliest = Math.min(...dues);
  return reps.filter((_, index) => dues[index] === earliest);
}

/**
 * The eligible reps who are not out of office on any day up to the first-touch deadline they would get:
 * a rep away on Monday cannot make a Friday evening lead's Monday deadline. All of them when that
 * leaves nobody (someone still gets the lead, and the ladder chases it).
 */
function presentUntilDue(sla: Sla, eligible: Rep[], request: CandidateRequest, reasons: Reason[]): Rep[] {
  const { firstTouchDue, at } = request;
  if (!firstTouchDue || eligible.length === 0) return eligible;
  const present: Rep[] = [];
  const away: Reason[] = [];
  for (const rep of eligible) {
    const period = awayBetween(sla, rep, at, firstTouchDue(rep.id, at));
    if (period)
      away.push({
        rule: 'routing.outOfOffice',
        detail: `${rep.name} is out of office ${period.from} to ${period.to}, before the first touch would be due`,
      });
    else present.push(rep);
  }
  if (present.length > 0 || request.presentOnly) {
    reasons.push(...away);
    return present;
  }
  reasons.push({
    rule: 'routing.outOfOffice',
    detail: 'everyone eligible is out of office before the first touch would be due: choosing among them all',
  });
  return eligible;
}

/** The rep's out-of-office period overlapping the local dates (in the rep's zone) from `from` to `to`, if any. */
export function awayBetween(
  sla: Sla,
  rep: Rep,
  from: Date,
  to: Date,
): Rep['outOfOffice'][number] | undefined {
  const zone = rep.timeZone ?? sla.calendar.timeZone;
  const first = localDate(from, zone);
  const last = localDate(to < from ? from : to, zone);
  return rep.outOfOffice.find((period) => period.from <= last && first <= period.to);
}

/**
 * The owner's out-of-office period when a step falls due at `dueAt`, if they are away that day (their local
 * date) and not back by `now` (a wake that comes after their return finds them there): ADR 0043.
 */
export function awayWhenDue(
  sla: Sla,
  rep: Rep,
  dueAt: Date,
  now: Date,
): Rep['outOfOffice'][number] | undefined {
  const period = awayBetween(sla, rep, dueAt, dueAt);
  return period && localDate(now, rep.timeZone ?? sla.calendar.timeZone) <= period.to ? period : undefined;
}

/**
 * Round robin by turns: the reps who can take the lead now (ownerCandidates), in queue order (each
 * `weight` times, spread out, under the weighted strategy), form one cycle; turn n takes position n of
 * it. Over consecutive turns with the same reps available every rep gets its exact share, and a rep who
 * is away gets no run of leads on return (there is no backlog to catch up on).
 */
export function chooseOwner(sla: Sla, request: OwnerRequest): OwnerChoice {
  const { queue } = request;
  const { candidates, reasons } = ownerCandidates(sla, request);
  if (candidates.length === 0) {
    reasons.push({ rule: 'routing.noOwner', detail: `nobody in queue ${queue.id} can take the lead` });
    return { ownerId: undefined, reasons };
  }
  if (candidates.length === 1) {
    const only = candidates[0]!;
    reasons.push({
      rule: `routing.${queue.strategy}`,
      detail: `${only.name} is the only one in queue ${queue.id} who can take the lead now`,
    });
    return { ownerId: only.id, reasons };
  }
  const cycle = rotationCycle(
    candidates.map((rep) => ({ id: rep.id, weight: weightOf(sla, queue, rep.id) })),
  );
  const turn = Math.max(1, Math.floor(request.turn ?? 1));
  const ownerId = cycle[(turn - 1) % cycle.length]!;
  const owner = candidates.find((rep) => rep.id === ownerId)!;
  const share = queue.strategy === 'weighted' ? `, weight ${owner.weight}` : '';
  reasons.push({
    rule: `routing.${queue.strategy}`,
    detail: `${owner.name} is next in the rotation of queue ${queue.id} (turn ${turn}, ${candidates.length} available${share})`,
  });
  return { ownerId: owner.id, reasons };
}

/**
 * One cycle of the rotation: each rep `weight` times, interleaved by smooth weighted round robin
 * (weights 2 and 1 give A, B, A, not A, A, B); ties go to queue order.
 */
export function rotationCycle(reps: readonly { readonly id: string; readonly weight: number }[]): string[] {
  // weights are positive numbers (1.5 is allowed): whole slots to two decimals, reduced
  const scaled = reps.map((rep) => Math.max(1, Math.round(rep.weight * 100)));
  const divisor = scaled.reduce(gcd);
  const weights = scaled.map((weight) => weight / divisor);
  const total = weights.reduce((sum, weight) => sum + weight, 0);
  const current = reps.map(() => 0);
  const cycle: string[] = [];
  for (let slot = 0; slot < total; slot++) {
    let best = 0;
    weights.forEach((weight, i) => {
      current[i]! += weight;
      if (current[i]! > current[best]!) best = i;
    });
    current[best]! -= total;
    cycle.push(reps[best]!.id);
  }
  return cycle;
}

const gcd = (a: number, b: number): number => (b === 0 ? a : gcd(b, a % b));

/** Why a rep cannot take a lead now, or undefined when they can. */
function ineligibility(sla: Sla, rep: Rep, request: CandidateRequest): string | undefined {
  if (request.exclude?.includes(rep.id)) return `${rep.name} is excluded`;
  const day = localDate(request.at, rep.timeZone ?? sla.calendar.timeZone);
  const away = rep.outOfOffice.find((period) => period.from <= day && day <= period.to);
  if (away) return `${rep.name} is out of office ${away.from} to ${away.to}`;
  const open = request.openLeads[rep.id] ?? 0;
  if (rep.capacity !== undefined && open >= rep.capacity) {
    return `${rep.name} is at capacity (${open} open leads, capacity ${rep.capacity})`;
  }
  return undefined;
}

function weightOf(sla: Sla, queue: RoutedQueue, repId: string): number {
  if (queue.strategy !== 'weighted') return 1;
  return sla.routing.reps.find((rep) => rep.id === repId)?.weight ?? 1;
}

// building a formatter is costly and the zone set is small: keep one per zone (same output, no state)
const dateFormats = new Map<string, Intl.DateTimeFormat>();

/** The calendar date ("YYYY-MM-DD") at an instant in a time zone; Intl is pure given its zone data. */
export function localDate(at: Date, timeZone: string): string {
  let format = dateFormats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-CA', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
    });
    dateFormats.set(timeZone, format);
  }
  const parts = format.formatToParts(at);
  const part = (type: Intl.DateTimeFormatPartTypes) => parts.find((p) => p.type === type)?.value ?? '';
  return `${part('year')}-${part('month')}-${part('day')}`;
}
