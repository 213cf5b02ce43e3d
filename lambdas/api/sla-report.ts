/**
 * GET /reports/sla: did both sides keep the agreement? The report of domain/sla-report.ts over the
 * report facts of the window (read day by day from the index, never lead by lead). A rep gets their own
 * figures, a manager their team's.
 */
import * as z from 'zod';
import { repCalendar, startOfLocalDay } from '../domain/business-hours.ts';
import type { LeadFact } from '../domain/report-facts.ts';
import { ladderEndsAt } from '../domain/sla-breach.ts';
import { type SlaReport, slaReport } from '../domain/sla-report.ts';
import type { Sla } from '../domain/sla-schema.ts';
import { type LeadQueries, TooManyFactsError } from '../ports/lead-queries.ts';
import { type ApiDeps, extendDeps } from './deps.ts';
import { HttpError, type HttpEvent, json, validate } from './http.ts';
import { ISO_DAY_OR_TIME, isIsoDayOrTime } from './iso-time.ts';
import { oneOfKnown, shownValue, unknownValueMessage } from './known-values.ts';
import { apiHandler } from './middleware.ts';
import { formerOwners, type Viewer, viewerOf } from './viewer.ts';

const DAY = 86_400_000;
/** the longest window: one index query per day */
export const MAX_REPORT_DAYS = 400;
/**
 * The most report facts one report reads: the function holds them all and judges them within its 15 s (334,000
 * facts, 30 days at 100x, took slaReport 1.7-2.6 s alone on the 2-core dev machine, `bench/report.ts 100000 0`;
 * read from the index at ~400 bytes each, 300,000 are ~120 MB). 400 days at 100x are ~4.4 million facts (~1.8
 * GB): the function ran out of memory or time and API Gateway answered 503. Past it: 400 naming `from`.
 */
export const MAX_REPORT_FACTS = 300_000;
/** without `from`: the last seven days */
export const DEFAULT_REPORT_DAYS = 7;

/** An ISO time with its offset, or a date: that day's midnight in `zone` (the SLA calendar's: the company's days). */
const isoOrDay = (zone: string) =>
  z
    .string()
    .refine(isIsoDayOrTime, ISO_DAY_OR_TIME)
    .transform((value) =>
      (value.length === 10 ? startOfLocalDay(zone, value) : new Date(value)).toISOString(),
    );

/** an SLA id (sla-schema.ts idSchema), at most 64 characters: a rep who left the SLA may still have facts or leads */
const REP_ID = /^[a-z0-9][a-z0-9_-]{0,63}$/i;

export function reportQuerySchema(deps: Pick<ApiDeps, 'sla'>) {
  const day = isoOrDay(deps.sla.calendar.timeZone);
  const queues = deps.sla.routing.queues.map((queue) => queue.id);
  return z
    .object({
      from: day.optional(),
      to: day.optional(),
      // a rep the SLA no longer names is looked up in the facts read and the owner index (buildReport)
      rep: oneOfKnown(knownReps(deps.sla), 'rep', 'rep', (value) => REP_ID.test(value)).optional(),
      queue: oneOfKnown(queues, 'queue', 'queue').optional(),
    })
    .strict();
}

export type ReportQuery = z.output<ReturnType<typeof reportQuerySchema>>;

/** The reps a report names as known: the SLA's, and those who left it while its migrations name them. */
function knownReps(sla: Sla): string[] {
  return [...sla.routing.reps.map((rep) => rep.id), ...formerOwners(sla)];
}

/**
 * `rep` naming a rep the SLA does not have is a rep who left it (ADR 0084 amended) when its migrations name them,
 * a fact read for the report names them, or the owner index holds a lead of theirs (one read, only for such a
 * name); anything else is a typo: 400 naming `rep` and the value, listing the reps, never a report of nobody.
 */
async function requireKnownRep(
  deps: Pick<ApiDeps, 'sla' | 'queries'>,
  rep: string,
  facts: readonly LeadFact[],
  from: string,
): Promise<void> {
  const known = knownReps(deps.sla);
  // the facts of the window and after it (a day read before `from`, the SLA's midnight in UTC days, is not the window's)
  if (known.includes(rep) || facts.some((fact) => fact.rep === rep && fact.at >= from)) return;
  if (deps.queries) for await (const _held of deps.queries.candidates({ owners: [rep] })) return;
  throw new HttpError(400, 'invalid_request', 'the query is invalid', [
    {
      path: 'rep',
      message: `${unknownValueMessage('rep', rep, known)} (and no report fact of the window or lead names them)`,
      refusal: { kind: 'unknownValue', of: 'rep', value: shownValue(rep) },
    },
  ]);
}

export function slaReportHandler(deps: ApiDeps, maxFacts = MAX_REPORT_FACTS) {
  const schema = reportQuerySchema(deps);
  return apiHandler('GET /reports/sla', async (event: HttpEvent) => {
    const query = validate(schema, event.queryStringParameters ?? {}, 'the query is invalid');
    return json(200, await buildReport(deps, viewerOf(deps.sla, event, deps.clock.now()), query, maxFacts));
  });
}

/** Days past the window read to judge its handovers: longer first-touch deadlines than that stay pending. */
export const MAX_JUDGING_DAYS = 31;

/**
 * Until when the report reads facts to judge the window's handovers (exclusive): just past the latest moment the
 * escalation ladder of a handover in the window could end it (its first-touch deadline, then its ladder's last
 * step: a rep whose lead the ladder moved on is asked only the cadence steps due while they had it), not after
 * now, not more than MAX_JUDGING_DAYS past `to`; `to` when none falls after it.
 */
function knownUntilOf(sla: Sla, facts: readonly LeadFact[], from: string, to: string, now: Date): string {
  // the ladder ends later for a later deadline on one calendar: the latest deadline of each rep's is enough
  const latestDue = new Map<string | undefined, string>();
  for (const fact of facts) {
    if (fact.kind !== 'handover' || fact.at < from || fact.at >= to || !fact.dueAt) continue;
    if (fact.dueAt > (latestDue.get(fact.rep) ?? '')) latestDue.set(fact.rep, fact.dueAt);
  }
  let latest = to;
  for (const [repId, dueAt] of latestDue) {
    const rep = sla.routing.reps.find((candidate) => candidate.id === repId);
    const cal = rep ? repCalendar(sla, rep) : sla.calendar;
    const endsBy = new Date(ladderEndsAt(sla, cal, new Date(dueAt)).getTime() + 1).toISOString();
    if (endsBy > latest) latest = endsBy;
  }
  const cap = Math.min(now.getTime(), Date.parse(to) + MAX_JUDGING_DAYS * DAY);
  return new Date(Math.max(Date.parse(to), Math.min(Date.parse(latest), cap))).toISOString();
}

export async function buildReport(
  deps: Pick<ApiDeps, 'sla' | 'clock' | 'queries'>,
  viewer: Pick<Viewer, 'owners'> & Partial<Pick<Viewer, 'role' | 'id'>>,
  query: ReportQuery,
  maxFacts = MAX_REPORT_FACTS,
): Promise<SlaReport> {
  if (!deps.queries) throw new HttpError(503, 'unavailable', 'the report is not available here');
  const now = deps.clock.now();
  const to = query.to ?? now.toISOString();
  const from = query.from ?? new Date(Date.parse(to) - DEFAULT_REPORT_DAYS * DAY).toISOString();
  if (from >= to)
    throw new HttpError(400, 'invalid_request', 'the query is invalid', [
      { path: 'to', message: 'must be after from' },
    ]);
  if (Date.parse(to) - Date.parse(from) > MAX_REPORT_DAYS * DAY)
    throw new HttpError(400, 'invalid_request', 'the query is invalid', [
      { path: 'from', message: `the window is at most ${MAX_REPORT_DAYS} days` },
    ]);
  // a manager reaches a rep who left the SLA, as their leads (permissions.ts inReach): the SLA says no team of theirs
  const leftSla = query.rep !== undefined && !deps.sla.routing.reps.some((rep) => rep.id === query.rep);
  const formerRepOfManager = leftSla && viewer.role === 'manager';
  if (query.rep && viewer.owners && !viewer.owners.includes(query.rep) && !formerRepOfManager)
    throw new HttpError(404, 'not_found', `rep ${query.rep} not found`);
  const lastDay = new Date(Date.parse(to) - 1).toISOString().slice(0, 10);
  const queries = deps.queries;
  const read = (fromDay: string, toDay: string, max: number) =>
    queries.listFacts(fromDay, toDay, { max }).catch((error: unknown) => {
      if (!(error instanceof TooManyFactsError)) throw error;
      const days = Math.max(1, Math.floor((Date.parse(to) - Date.parse(from)) / DAY));
      throw new HttpError(400, 'invalid_request', 'the query is invalid', [
        {
          path: 'from',
          message: `the window holds more than ${maxFacts} report facts (the most one report reads): ask for a shorter one than ${days} days`,
        },
      ]);
    });
  const facts = await read(from.slice(0, 10), lastDay, maxFacts);
  // a handover of the window is judged by what is known now: its touch or its deadline may come after `to`
  const knownUntil = knownUntilOf(deps.sla, facts, from, to, now);
  // a lead over to a manager in the window is followed to what became of it: up to now, MAX_JUDGING_DAYS at most
  // (ADR 0090), never short of knownUntil (capped the same way); the other figures still judge by knownUntil
  const readUntil = facts.some((fact) => fact.kind === 'takeover' && fact.at >= from && fact.at < to)
    ? new Date(
        Math.max(Date.parse(knownUntil), Math.min(now.getTime(), Date.parse(to) + MAX_JUDGING_DAYS * DAY)),
      ).toISOString()
    : knownUntil;
  const nextDay = new Date(Date.parse(`${lastDay}T00:00:00.000Z`) + DAY).toISOString().slice(0, 10);
  const later =
    readUntil > to && readUntil.slice(0, 10) >= nextDay
      ? await read(
          nextDay,
          new Date(Date.parse(readUntil) - 1).toISOString().slice(0, 10),
          maxFacts - facts.length,
        )
      : [];
  if (query.rep && leftSla) await requireKnownRep(deps, query.rep, [...facts, ...later], from);
  return slaReport(deps.sla, [...facts, ...later], {
    from,
    to,
    now,
    knownUntil,
    followedUntil: readUntil,
    ...(query.rep ? { rep: query.rep } : {}),
    ...(query.queue ? { queue: query.queue } : {}),
    ...(viewer.owners
      ? { reps: formerRepOfManager && query.rep ? [...viewer.owners, query.rep] : viewer.owners }
      : {}),
    // a manager's report has the leads over to them, whatever team their owner is in (ADR 0090)
    ...(viewer.owners && viewer.role === 'manager' && viewer.id ? { managers: [viewer.id] } : {}),
  });
}

/**
 * `deps` whose report facts are read once per window: a page that builds the team's report, the company's
 * and a histogram over the same window (the console's reports and overview) reads each day's facts once
 * instead of once for each. For one request: nothing is kept beyond it.
 */
export function withFactsReadOnce<D extends Pick<ApiDeps, 'queries'>>(deps: D): D {
  const queries = deps.queries;
  if (!queries) return deps;
  const read = new Map<string, Promise<LeadFact[]>>();
  // extendDeps, not a spread: the console is not granted the lead-id key, whose getter a spread would read
  return extendDeps(deps, {
    queries: {
      // every method of the queries wrapped: without indexComplete, "Due today" took the next-step index for
      // complete before the migration recorded it so (lead-list.ts: ADR 0053, 0055)
      ...(queries.indexComplete
        ? { indexComplete: (indexName: string) => queries.indexComplete!(indexName) }
        : {}),
      candidates: (query) => queries.candidates(query),
      listFacts: (fromDay, toDay, options = {}) => {
        const key = `${fromDay}|${toDay}|${options.max ?? ''}`;
        let facts = read.get(key);
        if (!facts) {
          facts = queries.listFacts(fromDay, toDay, options);
          read.set(key, facts);
        }
        return facts;
      },
    } satisfies LeadQueries,
  });
}
