/**
 * GET /leads: lead lists for reps, managers and other systems, served by the indexes (LeadQueries),
 * newest first, `limit` at a time with an opaque cursor. Each item carries where the lead stands under
 * the SLA (domain/sla-standing.ts, the read model of GET /leads/{id}).
 */
import * as z from 'zod';
import {
  foldSearchQuery,
  isWaitingForOwner,
  keyTime,
  matchesSearch,
  NEXT_STEP_INDEX,
  SEARCH_PARTITION_CHARS,
  searchTermsOf,
} from '../adapters/table-definition.ts';
import type { LeadState } from '../domain/lead-state.ts';
import { statusFor } from '../domain/lifecycle.ts';
import { LIFECYCLE_STAGES } from '../domain/sla-constants.ts';
import type { Sla } from '../domain/sla-schema.ts';
import {
  dueStepBases,
  firstTouchDeadline,
  nextStepDueFromFacts,
  overdueClockStarts,
  pastContact,
  slaStanding,
} from '../domain/sla-standing.ts';
import type { LeadCandidate, LeadCandidateQuery } from '../ports/lead-queries.ts';
import type { ApiDeps } from './deps.ts';
import { HttpError, type HttpEvent, json, validate } from './http.ts';
import { ISO_DAY_OR_TIME, isIsoDayOrTime } from './iso-time.ts';
import { oneOfKnown, shownValue, unknownValueMessage } from './known-values.ts';
import { apiHandler } from './middleware.ts';
import { inReach } from './permissions.ts';
import { formerOwners, type Viewer, viewerOf } from './viewer.ts';

export const DEFAULT_LIMIT = 25;
export const MAX_LIMIT = 100;
/** a search prefix is at most this long (docs/api.md: 2 to 100 characters) */
const MAX_SEARCH_CHARS = 100;
const idPattern = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;
const isoOrDay = z
  .string()
  .refine(isIsoDayOrTime, ISO_DAY_OR_TIME)
  .transform((value) => new Date(value.length === 10 ? `${value}T00:00:00Z` : value).toISOString());

export function listQuerySchema(sla: Sla) {
  const statuses = sla.leadStatuses.map((status) => status.id);
  const types = sla.leadTypes.map((type) => type.id);
  return z
    .object({
      // any other id shaped like one is looked up in the owner index (requireKnownOwner)
      owner: oneOfKnown(knownOwners(sla), 'rep', 'rep', (value) => idPattern.test(value)).optional(),
      stage: oneOfKnown(LIFECYCLE_STAGES, 'stage', 'lifecycle stage').optional(),
      status: oneOfKnown(statuses, 'status', 'lead status').optional(),
      type: oneOfKnown(types, 'leadType', 'lead type').optional(),
      overdue: z.enum(['true', 'false'], { message: 'true or false' }).optional(),
      needsOwner: z.enum(['true', 'false'], { message: 'true or false' }).optional(),
      q: z
        .string()
        .max(MAX_SEARCH_CHARS, `at most ${MAX_SEARCH_CHARS} characters`)
        .transform(foldSearchQuery)
        .refine(
          (value) => value.length >= SEARCH_PARTITION_CHARS,
          `at least ${SEARCH_PARTITION_CHARS} characters`,
        )
        .optional(),
      from: isoOrDay.optional(),
      to: isoOrDay.optional(),
      limit: z.coerce
        .number({ message: `a whole number from 1 to ${MAX_LIMIT}` })
        .int(`a whole number from 1 to ${MAX_LIMIT}`)
        .min(1, `a whole number from 1 to ${MAX_LIMIT}`)
        .max(MAX_LIMIT, `a whole number from 1 to ${MAX_LIMIT}`)
        .default(DEFAULT_LIMIT),
      cursor: z.string().max(400).optional(),
    })
    .strict()
    .refine((query) => !query.from || !query.to || query.from < query.to, {
      message: 'must be after from',
      path: ['to'],
    });
}

export type ListQuery = z.output<ReturnType<typeof listQuerySchema>>;

/** An owner the SLA knows: a rep of it, or one who left it while its migrations name them (their leads wait to move). */
function knownOwners(sla: Sla): string[] {
  return [...sla.routing.reps.map((rep) => rep.id), ...formerOwners(sla)];
}

/**
 * `owner` naming no owner the SLA knows is a typo (400 naming it and the value, listing the reps), never an empty
 * list, unless the owner index holds a lead of theirs: a rep who left the SLA with no migration naming them keeps
 * the leads whose workflow had ended (disqualified: nothing due, so no migration moves them and the deploy does
 * not refuse), and those stay listed by their owner as before. One read of the index, only for such a name.
 */
export async function requireKnownOwner(deps: ApiDeps, query: ListQuery, message: string): Promise<void> {
  const owner = query.owner;
  const known = knownOwners(deps.sla);
  if (owner === undefined || known.includes(owner) || !deps.queries) return;
  for await (const _held of deps.queries.candidates({ owners: [owner] })) return;
  throw new HttpError(400, 'invalid_request', message, [
    {
      path: 'owner',
      message: unknownValueMessage('rep', owner, known),
      refusal: { kind: 'unknownValue', of: 'rep', value: shownValue(owner) },
    },
  ]);
}

export function listLeadsHandler(deps: ApiDeps) {
  const schema = listQuerySchema(deps.sla);
  return apiHandler('GET /leads', async (event: HttpEvent) => {
    const query = validate(schema, event.queryStringParameters ?? {}, 'the query is invalid');
    await requireKnownOwner(deps, query, 'the query is invalid');
    const page = await listLeads(deps, viewerOf(deps.sla, event, deps.clock.now()), query);
    return json(200, page);
  });
}

export interface LeadListItem {
  readonly id: string;
  readonly name: string | null;
  readonly company: string | null;
  readonly email: string | null;
  readonly stage: string;
  readonly stageName: string;
  readonly status: string;
  readonly statusName: string;
  readonly type: string;
  readonly owner: { readonly id: string; readonly name: string | null } | null;
  readonly score: number;
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly sla: {
    readonly firstTouch: {
      readonly dueAt: string;
      readonly metAt: string | null;
      readonly state: 'due' | 'met' | 'breached';
    } | null;
    readonly nextStep: { readonly step: number; readonly of: number; readonly dueAt: string | null } | null;
  };
}

/** Filters the console adds to the API's (not query parameters of GET /leads). */
export interface ListOptions {
  /** only leads whose next cadence step is due before this time (ISO): the console's "due today" */
  readonly dueBy?: string;
}

/** One page of the list (GET /leads answers it as is). */
export interface LeadPage {
  readonly items: LeadListItem[];
  /** the cursor of the next page, null on the last */
  readonly next: string | null;
  /**
   * true when the list was cut: a search (`q`) without an owner filter reads at most SEARCH_MATCH_CAP matches
   * per search index and spelling (ADR 0054), and one held more, so leads that match may be missing from
   * every page: narrow the search. False otherwise.
   */
  readonly truncated: boolean;
}

/** One page of the list: the index narrows, each candidate is read and checked against every filter. */
export async function listLeads(
  deps: ApiDeps,
  viewer: Viewer,
  query: ListQuery,
  options: ListOptions = {},
): Promise<LeadPage> {
  if (!deps.queries) throw new HttpError(503, 'unavailable', 'lead queries are not available here');
  const filters = filterKey(query) + (options.dueBy ? `|due<${options.dueBy}` : '');
  const after = query.cursor === undefined ? undefined : readCursor(query.cursor, filters);
  // a manager reaches the leads of an owner who left the SLA (permissions.ts inReach): `owner=<that id>` too
  const leftSla = (owner: string) =>
    viewer.role === 'manager' && viewer.reps !== undefined && !viewer.reps.includes(owner);
  if (query.owner && viewer.owners && !viewer.owners.includes(query.owner) && !leftSla(query.owner))
    return { items: [], next: null, truncated: false };
  const overdue = query.overdue === 'true';
  const needsOwner = query.needsOwner === 'true';
  // a lead waiting for an owner is in no rep's reach (permissions.ts inReach): a manager's, ops', a program's
  if (needsOwner && viewer.owners && viewer.role !== 'manager')
    return { items: [], next: null, truncated: false };
  // the owner index serves an owner and a viewer limited to owners; the first-touch index the overdue list
  // (handed over, no attempt in the current handover, whatever the status: ADR 0072), over the same owners
  // "due today" (ADR 0053): the next-step index over the same owners, or every rep of the SLA for a viewer
  // with no owner filter (whose list is by creation, as the stage index's)
  const dueBy = options.dueBy;
  // ...once the deploy's migration gave the leads written before it their entries (else the owner index)
  const nextStep =
    dueBy !== undefined &&
    !overdue &&
    !needsOwner &&
    ((await deps.queries.indexComplete?.(NEXT_STEP_INDEX.indexName)) ?? true);
  // a manager's and ops' owners include the reps who left the SLA while its migrations name them (viewer.ts
  // formerOwners): their leads wait to be moved, and must not drop out of every list meanwhile
  const former = viewer.role === 'manager' || !viewer.owners ? formerOwners(deps.sla) : [];
  // a manager's overdue list reads the leads of the queues they manage too: a lead the ladder handed over to
  // them is overdue by definition, and theirs to decide (permissions.ts inReach keeps only those, ADR 0088)
  const overTo = overdue ? (viewer.queueReps ?? []) : [];
  const owners = query.owner
    ? [query.owner]
    : viewer.owners
      ? [...new Set([...viewer.owners, ...former, ...overTo])]
      : overdue || nextStep
        ? [...deps.sla.routing.reps.map((rep) => rep.id), ...former]
        : undefined;
  const now = deps.clock.now();
  const candidateQuery: LeadCandidateQuery = needsOwner
    ? { waitingForOwner: true, ...(query.status ? { status: query.status } : {}) }
    : nextStep && owners
      ? {
          nextStep: {
            startedBy: dueStepBases(deps.sla, owners, new Date(dueBy)),
            order: query.owner || viewer.owners ? 'updated' : 'created',
            // and the leads whose handover kept a deadline before the day's end (ADR 0059, ADR 0065)
            keptDueBefore: dueBy,
          },
        }
      : overdue && owners
        ? // the first-touch index (ADR 0044): per owner, only the leads whose clock started early enough to be late
          // and, keyed by it, the leads whose handover kept a deadline that passed (ADR 0059, ADR 0062)
          {
            firstTouch: {
              handoffStatus: statusFor(deps.sla, 'handoff'),
              startedBy: overdueClockStarts(deps.sla, owners, now),
              keptDueBefore: now.toISOString(),
            },
          }
        : owners
          ? {
              owners,
              ...(query.status ? { status: query.status } : {}),
              // the search indexes narrow the owners' leads: only the matches are read
              ...(query.q !== undefined ? { q: query.q } : {}),
            }
          : query.q !== undefined
            ? { q: query.q }
            : {
                ...(query.stage ? { stage: query.stage } : {}),
                ...(query.status ? { status: query.status } : {}),
                ...(query.type ? { type: query.type } : {}),
                ...(query.from ? { from: query.from } : {}),
                ...(query.to ? { to: query.to } : {}),
              };
  const items: { item: LeadListItem; position: string }[] = [];
  let more = false;
  const load = async (candidate: LeadCandidate) => {
    // an index entry whose deadline has not passed is not read (the index holds what it is computed from: the
    // deadline its handover kept, else the handover's facts under the SLA deployed)
    const handover = candidate.handover;
    const deadline =
      handover &&
      (handover.keptDueAt ? new Date(handover.keptDueAt) : firstTouchDeadline(deps.sla, handover));
    if (overdue && deadline && now <= deadline) return undefined;
    // "due today": a lead the owner index shows past its contact phase has no step due (ADR 0053)
    if (options.dueBy && candidate.summary && pastContact(deps.sla, candidate.summary)) return undefined;
    // nor one whose next step the next-step index's facts put after it (undefined: they cannot say)
    const stepDue = candidate.step && nextStepDueFromFacts(deps.sla, candidate.step, now);
    if (
      options.dueBy &&
      candidate.step &&
      stepDue !== undefined &&
      !(stepDue && stepDue.toISOString() < options.dueBy)
    )
      return undefined;
    const lead = await deps.store.getLead(candidate.leadId);
    if (!lead || !matches(deps.sla, lead, query, viewer)) return undefined;
    const attempts = lead.ownerId ? await deps.store.listAttempts(lead.leadId) : [];
    const item = listItem(deps.sla, lead, attempts, now);
    const late = item.sla.firstTouch?.state === 'breached' && item.sla.firstTouch.metAt === null;
    if (overdue && !late) return undefined;
    const due = item.sla.nextStep?.dueAt;
    if (options.dueBy && !(due && due < options.dueBy)) return undefined;
    return { item, position: candidate.position };
  };
  const candidates = deps.queries
    .candidates({ ...candidateQuery, ...(after ? { after } : {}) })
    [Symbol.asyncIterator]();
  let exhausted = false;
  let truncated = false;
  // read in batches of what is still missing plus one (the one that says whether a next page exists)
  while (!more && !exhausted) {
    const batch: LeadCandidate[] = [];
    while (batch.length < query.limit + 1 - items.length) {
      const next = await candidates.next();
      if (next.done) {
        exhausted = true;
        break;
      }
      if (next.value.truncated) truncated = true;
      batch.push(next.value);
    }
    for (const entry of await Promise.all(batch.map(load))) {
      if (!entry) continue;
      if (items.length === query.limit) {
        more = true;
        break;
      }
      items.push(entry);
    }
  }
  await candidates.return?.();
  const last = items.at(-1);
  return {
    items: items.map((entry) => entry.item),
    next: more && last ? writeCursor(last.position, filters) : null,
    truncated,
  };
}

function matches(sla: Sla, lead: LeadState, query: ListQuery, viewer: Viewer): boolean {
  if (lead.erasedAt) return false;
  if (!inReach(sla, viewer, lead)) return false;
  if (query.owner && lead.ownerId !== query.owner) return false;
  if (query.needsOwner === 'true' && !isWaitingForOwner(lead)) return false;
  if (query.stage && lead.stage !== query.stage) return false;
  if (query.status && lead.status !== query.status) return false;
  if (query.type && lead.leadType !== query.type) return false;
  const created = keyTime(lead.createdAt);
  if (query.from && created < query.from) return false;
  if (query.to && created >= query.to) return false;
  if (query.q !== undefined) {
    const q = query.q;
    if (!matchesSearch(searchTermsOf(lead), q)) return false;
  }
  return true;
}

export function listItem(
  sla: Sla,
  lead: LeadState,
  attempts: Parameters<typeof slaStanding>[1]['attempts'],
  now: Date,
): LeadListItem {
  const standing = slaStanding(sla, { lead, attempts, now });
  const text = (value: unknown) => (typeof value === 'string' && value.trim() ? value.trim() : null);
  const name =
    [text(lead.fields.firstName), text(lead.fields.lastName)].filter(Boolean).join(' ') ||
    text(lead.fields.name);
  const owner = lead.ownerId
    ? { id: lead.ownerId, name: sla.routing.reps.find((rep) => rep.id === lead.ownerId)?.name ?? null }
    : null;
  return {
    id: lead.leadId,
    name,
    company: text(lead.fields.company),
    email: lead.email ?? null,
    stage: lead.stage,
    stageName: sla.lifecycle.names[lead.stage] ?? lead.stage,
    status: lead.status,
    statusName: sla.leadStatuses.find((status) => status.id === lead.status)?.name ?? lead.status,
    type: lead.leadType,
    owner,
    score: lead.total,
    createdAt: lead.createdAt,
    updatedAt: lead.updatedAt,
    sla: {
      firstTouch: standing.firstTouch,
      nextStep: standing.cadence
        ? { step: standing.cadence.step, of: standing.cadence.of, dueAt: standing.cadence.nextDueAt }
        : null,
    },
  };
}

// ---------- the cursor: opaque to clients, bound to the filters it was issued for ----------

function filterKey(query: ListQuery): string {
  const { cursor: _cursor, limit: _limit, ...filters } = query;
  return JSON.stringify(Object.entries(filters).sort(([a], [b]) => a.localeCompare(b)));
}

function writeCursor(position: string, filters: string): string {
  return Buffer.from(JSON.stringify({ p: position, f: hash(filters) })).toString('base64url');
}

function readCursor(cursor: string, filters: string): string {
  try {
    const parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as {
      p?: unknown;
      f?: unknown;
    };
    if (typeof parsed.p === 'string' && parsed.f === hash(filters)) return parsed.p;
  } catch {
    // falls through to the 400
  }
  throw new HttpError(400, 'invalid_request', 'the query is invalid', [
    { path: 'cursor', message: 'not a cursor this list gave out for these filters' },
  ]);
}

/** FNV-1a, enough to tell filter sets apart (the cursor is not a secret, only a position). */
function hash(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h.toString(36);
}
