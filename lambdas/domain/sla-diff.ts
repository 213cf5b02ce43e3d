/**
 * What changed between two versions of the SLA, term by term (GLOSSARY.md), and what the change
 * does to leads in flight before any lead is looked at: which removed ids have a successor in
 * `migrations` and which would strand a lead that refers to them. Pure; `leadpact sla diff`
 * adds the leads of a store (lambdas/tasks/migrate-leads.ts surveys them).
 */
import { localDate } from './routing.ts';
import type { MigrationKind } from './sla-migration.ts';
import type { Sla } from './sla-schema.ts';

/** Items of one id-keyed list of the SLA that were added, removed or changed. */
export interface ListDiff {
  /** the glossary term or SLA section, e.g. reps, dealStages, scoring */
  readonly term: string;
  /** where in the file, e.g. routing.reps */
  readonly section: string;
  readonly added: readonly string[];
  /** `to`: the successor the new SLA's migrations name */
  readonly removed: readonly { readonly id: string; readonly to?: string }[];
  /** the fields of each item that differ */
  readonly changed: readonly { readonly id: string; readonly fields: readonly string[] }[];
}

/** One setting (a leaf of a section that is not an id-keyed list) that differs. */
export interface SettingChange {
  readonly term: string;
  readonly path: string;
  readonly from: unknown;
  readonly to: unknown;
}

/** A removed id leads can refer to, and what happens to them. */
export interface Removal {
  readonly kind: MigrationKind;
  readonly id: string;
  readonly to?: string;
  /** `renamed` (the successor is new), `merged` (it existed before), `stranding` or `reclassified` */
  readonly effect: 'renamed' | 'merged' | 'stranding' | 'reclassified' | 'routing';
  /** a mapping that would fit, when one is obvious (a status with the same setWhen) */
  readonly suggestion?: string;
  /**
   * a rep's successor who is out of office on `at` or within the week after it (`diffSla`'s `at`): the leads
   * moved to them wait for their first-touch deadline, then go to the queue's rotation (ADR 0043)
   */
  readonly successorAway?: { readonly name: string; readonly from: string; readonly to: string };
}

export interface SlaDiff {
  readonly from: string;
  readonly to: string;
  readonly lists: readonly ListDiff[];
  readonly settings: readonly SettingChange[];
  readonly removals: readonly Removal[];
}

type Item = { readonly id: string };

const LISTS: readonly {
  term: string;
  section: string;
  kind?: MigrationKind;
  get: (sla: Sla) => readonly Item[];
}[] = [
  { term: 'icp', section: 'icp.criteria', get: (s) => s.icp.criteria },
  { term: 'personas', section: 'personas', get: (s) => s.personas },
  { term: 'leadTypes', section: 'leadTypes', kind: 'leadTypes', get: (s) => s.leadTypes },
  { term: 'dealStages', section: 'deals.stages', kind: 'dealStages', get: (s) => s.deals.stages },
  { term: 'statuses', section: 'leadStatuses', kind: 'statuses', get: (s) => s.leadStatuses },
  { term: 'scoring', section: 'scoring.engagement', get: (s) => s.scoring.engagement },
  { term: 'scoring', section: 'scoring.negative', get: (s) => s.scoring.negative },
  { term: 'contact', section: 'contact.cadences', get: (s) => s.contact.cadences },
  { term: 'contact', section: 'contact.outcomes', get: (s) => s.contact.outcomes },
  { term: 'reps', section: 'routing.reps', kind: 'reps', get: (s) => s.routing.reps },
  { term: 'managers', section: 'routing.managers', get: (s) => s.routing.managers },
  { term: 'queues', section: 'routing.queues', kind: 'queues', get: (s) => s.routing.queues },
  { term: 'tracks', section: 'nurture.tracks', kind: 'tracks', get: (s) => s.nurture.tracks },
  { term: 'nurture', section: 'nurture.templates', get: (s) => s.nurture.templates },
  { term: 'forms', section: 'forms', get: (s) => s.forms },
];

/** Everything else, compared leaf by leaf (the id-keyed lists above are left out). */
const SETTINGS: readonly { term: string; section: string; get: (sla: Sla) => unknown }[] = [
  { term: 'sla', section: 'version', get: (s) => s.version },
  { term: 'sla', section: 'name', get: (s) => s.name },
  { term: 'calendar', section: 'calendar', get: (s) => s.calendar },
  { term: 'regions', section: 'regions', get: (s) => s.regions },
  { term: 'icp', section: 'icp.tiers', get: (s) => s.icp.tiers },
  { term: 'icp', section: 'fieldValues', get: (s) => s.fieldValues },
  { term: 'journey', section: 'journey', get: (s) => s.journey },
  { term: 'lifecycle', section: 'lifecycle', get: (s) => s.lifecycle },
  { term: 'leadTypes', section: 'leadTypes[].overrides.thresholds', get: (s) => typeThresholds(s) },
  { term: 'dealStages', section: 'deals.lostCoolOff', get: (s) => s.deals.lostCoolOff },
  { term: 'thresholds', section: 'scoring.thresholds', get: (s) => s.scoring.thresholds },
  { term: 'scoring', section: 'scoring.decay', get: (s) => s.scoring.decay },
  { term: 'scoring', section: 'scoring.matrix', get: (s) => s.scoring.matrix },
  { term: 'routing', section: 'routing.strategy', get: (s) => s.routing.strategy },
  { term: 'routing', section: 'routing.honourWorkingHours', get: (s) => s.routing.honourWorkingHours },
  { term: 'routing', section: 'routing.accounts', get: (s) => accounts(s) },
  { term: 'handoff', section: 'handoff', get: (s) => s.handoff },
  { term: 'cadences', section: 'contact.defaultCadence', get: (s) => s.contact.defaultCadence },
  { term: 'contact', section: 'contact.decideWithin', get: (s) => s.contact.decideWithin },
  { term: 'nurture', section: 'nurture.senderName', get: (s) => s.nurture.senderName },
  { term: 'marketing', section: 'marketing', get: (s) => s.marketing },
  { term: 'marketing', section: 'consent', get: (s) => s.consent },
  { term: 'migrations', section: 'migrations', get: (s) => s.migrations },
];

const typeThresholds = (sla: Sla) =>
  Object.fromEntries(sla.leadTypes.map((type) => [type.id, type.overrides.thresholds ?? null]));
const accounts = (sla: Sla) =>
  Object.fromEntries(sla.routing.accounts.map((account) => [account.domain, account.owner]));

/** What the SLA's `migrations` cannot cover: kinds whose references strand a lead without a successor. */
const STRANDING: ReadonlySet<MigrationKind> = new Set(['reps', 'dealStages', 'statuses']);

/** the days after `at` in which a successor's absence is worth saying (a deploy is days, not months, ahead) */
const AWAY_HORIZON_DAYS = 7;

/** `at`: when the change applies (now), for a successor's absence; none: not said. */
export function diffSla(before: Sla, after: Sla, at?: Date): SlaDiff {
  const lists: ListDiff[] = [];
  const removals: Removal[] = [];
  for (const list of LISTS) {
    const old = new Map(list.get(before).map((item) => [item.id, item]));
    const now = new Map(list.get(after).map((item) => [item.id, item]));
    const added = [...now.keys()].filter((id) => !old.has(id));
    const removed = [...old.keys()]
      .filter((id) => !now.has(id))
      .map((id) => {
        const to = list.kind ? after.migrations[list.kind][id] : undefined;
        return to === undefined ? { id } : { id, to };
      });
    const changed = [...now.entries()].flatMap(([id, item]) => {
      const was = old.get(id);
      if (!was) return [];
      const fields = changedFields(was, item);
      return fields.length ? [{ id, fields }] : [];
    });
    if (added.length || removed.length || changed.length) {
      lists.push({ term: list.term, section: list.section, added, removed, changed });
    }
    if (!list.kind) continue;
    const kind = list.kind;
    for (const { id, to } of removed) {
      if (to !== undefined) {
        const away = kind === 'reps' && at ? successorAway(after, to, at) : undefined;
        removals.push({
          kind,
          id,
          to,
          effect: old.has(to) ? 'merged' : 'renamed',
          ...(away ? { successorAway: away } : {}),
        });
        continue;
      }
      const suggestion = suggest(before, after, kind, id);
      removals.push({
        kind,
        id,
        effect: kind === 'queues' ? 'routing' : STRANDING.has(kind) ? 'stranding' : 'reclassified',
        ...(suggestion ? { suggestion } : {}),
      });
    }
  }
  const settings = SETTINGS.flatMap(({ term, section, get }) =>
    leafChanges(normal(get(before)), normal(get(after)), section).map((change) => ({ term, ...change })),
  );
  return { from: before.version, to: after.version, lists, settings, removals };
}

/** A successor that fits without asking: the status the workflow sets at the same moment. */
function suggest(before: Sla, after: Sla, kind: MigrationKind, id: string): string | undefined {
  if (kind !== 'statuses') return undefined;
  const moment = before.leadStatuses.find((status) => status.id === id)?.setWhen;
  return moment ? after.leadStatuses.find((status) => status.setWhen === moment)?.id : undefined;
}

/** Plain JSON values: a parsed duration is compared (and shown) as the text it was written as. */
function normal(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(normal);
  if (value !== null && typeof value === 'object') {
    const record = value as Record<string, unknown>;
    if (typeof record.text === 'string' && typeof record.unit === 'string' && 'business' in record)
      return record.text;
    return Object.fromEntries(
      Object.entries(record)
        .filter(([, v]) => v !== undefined)
        .map(([k, v]) => [k, normal(v)]),
    );
  }
  return value;
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

function changedFields(before: object, after: object): string[] {
  const a = normal(before) as Record<string, unknown>;
  const b = normal(after) as Record<string, unknown>;
  return [...new Set([...Object.keys(a), ...Object.keys(b)])].filter((key) => !same(a[key], b[key]));
}

/** Leaf paths that differ; lists are compared whole. */
function leafChanges(a: unknown, b: unknown, path: string): { path: string; from: unknown; to: unknown }[] {
  if (same(a, b)) return [];
  const isRecord = (v: unknown): v is Record<string, unknown> =>
    v !== null && typeof v === 'object' && !Array.isArray(v);
  if (isRecord(a) && isRecord(b)) {
    return [...new Set([...Object.keys(a), ...Object.keys(b)])].flatMap((key) =>
      leafChanges(a[key], b[key], `${path}.${key}`),
    );
  }
  return [{ path, from: a ?? null, to: b ?? null }];
}

/** The successor rep's absence overlapping `at`'s local day or the week after it (their zone), if any. */
function successorAway(sla: Sla, repId: string, at: Date): Removal['successorAway'] {
  const rep = sla.routing.reps.find((candidate) => candidate.id === repId);
  if (!rep) return undefined;
  const zone = rep.timeZone ?? sla.calendar.timeZone;
  const first = localDate(at, zone);
  const last = localDate(new Date(at.getTime() + AWAY_HORIZON_DAYS * 86_400_000), zone);
  const period = rep.outOfOffice.find((candidate) => candidate.from <= last && first <= candidate.to);
  return period && { name: rep.name, from: period.from, to: period.to };
}
