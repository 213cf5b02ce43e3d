/**
 * What `leadpact simulate` feeds the workflow: a scenario, written as YAML (docs/simulate.md, JSON Schema
 * in sla/scenario.schema.json). Every field is optional; what is left out is derived from the SLA
 * (its personas, forms, lead types, ICP values and reps) by `resolveScenario`, so
 * `leadpact simulate` with no scenario file runs a plausible month of the worked example.
 */
import { parseDocument } from 'yaml';
import * as z from 'zod';
import type { Sla } from '../../lambdas/domain/sla-schema.ts';

const share = z.number().min(0).max(1);
const weight = z.number().min(0);
const hours = z
  .number()
  .min(0)
  .max(24 * 365);
/**
 * tracked events a lead a week: each is a post, a workflow wake and a re-judgement, so a rate without bound
 * is a run without end (100,000 a week kept 5 leads running for minutes); 100 is 14 a day
 */
const eventRate = z.number().min(0).max(100);
const day = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'a date, YYYY-MM-DD')
  .superRefine((value, ctx) => {
    // Date.parse takes 2027-02-30 as 2027-03-02: a day that does not exist would start the run elsewhere
    const parsed = Date.parse(`${value}T00:00:00Z`);
    if (
      !/^\d{4}-\d{2}-\d{2}$/.test(value) ||
      (!Number.isNaN(parsed) && new Date(parsed).toISOString().startsWith(value))
    )
      return;
    ctx.addIssue({ code: 'custom', message: `"${value}" is not a day of the calendar` });
  });

const repBehaviourSchema = z
  .object({
    /** business hours from an email ("New SQL", "attempt due", "reassigned to you") to the rep's attempt */
    responseMedianHours: hours.optional(),
    responseP90Hours: hours.optional(),
    /** share of attempts that reach the person */
    connectRate: share.optional(),
    /** of those connected, the share that books a meeting (opens a deal) */
    meetingRate: share.optional(),
    /** of those connected, the share that says no (disqualified) or not now (recycled) */
    notInterestedRate: share.optional(),
    notNowRate: share.optional(),
    /** share of leads the rep never touches (escalation and reassignment follow) */
    ignoreRate: share.optional(),
    /** days, counted from the scenario's start, the rep is away and answers nothing (besides the SLA's out of office) */
    outOfOfficeDays: z.array(z.number().int().min(0)).optional(),
  })
  .strict();

export type RepBehaviourInput = z.input<typeof repBehaviourSchema>;

const managerBehaviourSchema = z
  .object({
    /**
     * business hours (the SLA calendar's: a manager has no hours of their own, ADR 0083) from "Over to you" to
     * giving the lead to a rep of its queue (ADR 0088)
     */
    responseMedianHours: hours.optional(),
    responseP90Hours: hours.optional(),
    /** share of takeovers the manager leaves with the owner (the cadence then recycles the lead) */
    ignoreRate: share.optional(),
  })
  .strict();

export const scenarioSchema = z
  .object({
    /** the first simulated day, UTC (default 2027-01-04, a Monday) */
    start: day.optional(),
    arrivals: z
      .object({
        /** relative weight of each weekday */
        weekdays: z
          .object({
            mon: weight,
            tue: weight,
            wed: weight,
            thu: weight,
            fri: weight,
            sat: weight,
            sun: weight,
          })
          .partial()
          .strict()
          .optional(),
        /** 24 relative weights, one per hour of the day in the SLA calendar's time zone */
        hours: z.array(weight).length(24).optional(),
        /** campaign spikes: on `day` (0-based from start) for `days`, arrivals x `factor` */
        campaigns: z
          .array(
            z
              .object({
                name: z.string().min(1),
                day: z.number().int().min(0),
                days: z.number().int().min(1).default(1),
                factor: z.number().min(0),
              })
              .strict(),
          )
          .optional(),
      })
      .strict()
      .optional(),
    mix: z
      .object({
        /** share of leads per persona id of the SLA ("none": a title no persona matches) */
        personas: z.record(z.string(), weight).optional(),
        /** how well the company fits the ICP: ideal, partial, poor */
        fit: z.object({ ideal: weight, partial: weight, poor: weight }).partial().strict().optional(),
        /** share of leads per form id of the SLA ("none": a plain post with no form) */
        forms: z.record(z.string(), weight).optional(),
        /** share of leads from the accounts an existing-customer type matches */
        existingCustomers: share.optional(),
        /** share of leads on a free-mail address */
        freeMail: share.optional(),
        /** share of posts that tick the marketing-consent box */
        marketingConsent: share.optional(),
        /** of those, the share that confirm the double opt-in email, and the mean hours until they do */
        consentConfirmed: share.optional(),
        consentConfirmHours: hours.optional(),
      })
      .strict()
      .optional(),
    engagement: z
      .object({
        /** engagement events per week by the lead's journey stage */
        eventsPerWeek: z
          .object({ awareness: eventRate, consideration: eventRate, decision: eventRate })
          .partial()
          .strict()
          .optional(),
        /** after each event, the chance the lead moves one journey stage on */
        advanceChance: share.optional(),
        /** mean days a lead stays interested (then stops engaging) */
        interestDays: z.number().min(0).optional(),
      })
      .strict()
      .optional(),
    reps: z
      .object({
        default: repBehaviourSchema.optional(),
        /** per rep id of the SLA, over the default */
        byRep: z.record(z.string(), repBehaviourSchema).optional(),
      })
      .strict()
      .optional(),
    managers: z
      .object({
        default: managerBehaviourSchema.optional(),
        /** per manager id of the SLA, over the default */
        byManager: z.record(z.string(), managerBehaviourSchema).optional(),
      })
      .strict()
      .optional(),
    deals: z
      .object({
        /** mean days a deal stays in a stage before the rep moves it */
        daysPerStage: z.number().min(0).optional(),
        /** share of deals won (the rest lost) */
        winRate: share.optional(),
      })
      .strict()
      .optional(),
  })
  .strict();

export type ScenarioInput = z.input<typeof scenarioSchema>;

export interface RepBehaviour {
  readonly responseMedianHours: number;
  readonly responseP90Hours: number;
  readonly connectRate: number;
  readonly meetingRate: number;
  readonly notInterestedRate: number;
  readonly notNowRate: number;
  readonly ignoreRate: number;
  readonly outOfOfficeDays: readonly number[];
}

/** What a manager does with a lead over to them (ADR 0023, amended): gives it to a rep of its queue. */
export interface ManagerBehaviour {
  readonly responseMedianHours: number;
  readonly responseP90Hours: number;
  readonly ignoreRate: number;
}

export const JOURNEY = ['awareness', 'consideration', 'decision'] as const;
export type JourneyStage = (typeof JOURNEY)[number];

/** A scenario with every default filled in from the SLA. */
export interface Scenario {
  readonly start: string;
  readonly weekdays: readonly number[];
  readonly hours: readonly number[];
  readonly campaigns: readonly { name: string; day: number; days: number; factor: number }[];
  readonly personas: readonly { id: string | null; weight: number }[];
  readonly fit: { readonly ideal: number; readonly partial: number; readonly poor: number };
  readonly forms: readonly { id: string | null; weight: number }[];
  readonly existingCustomers: number;
  readonly freeMail: number;
  readonly marketingConsent: number;
  readonly consentConfirmed: number;
  readonly consentConfirmHours: number;
  readonly eventsPerWeek: Readonly<Record<JourneyStage, number>>;
  readonly advanceChance: number;
  readonly interestDays: number;
  readonly reps: Readonly<Record<string, RepBehaviour>>;
  readonly managers: Readonly<Record<string, ManagerBehaviour>>;
  readonly daysPerStage: number;
  readonly winRate: number;
}

const WEEKDAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;
/** B2B form traffic: office hours, a lunch dip, little at night */
const DEFAULT_HOURS = [1, 0.5, 0.5, 0.5, 0.5, 1, 2, 4, 7, 9, 9, 8, 6, 7, 8, 8, 7, 5, 4, 3, 3, 2, 2, 1];
/**
 * Inbound B2B traffic is mostly outside the ICP: a tenth of posts from companies meeting every criterion,
 * three in ten meeting about half, the rest none (the first defaults, 35 % ideal and 40 % partial, made 73 %
 * of leads MQLs under sla/default.yaml; these make about four in ten, and one in ten an SQL: docs/simulate.md)
 */
const DEFAULT_FIT = { ideal: 0.1, partial: 0.3, poor: 0.6 };
/** tracked events a week after the form post, by journey stage: most leads come back once or twice */
const DEFAULT_EVENTS_PER_WEEK: Record<JourneyStage, number> = {
  awareness: 0.25,
  consideration: 0.5,
  decision: 1,
};
/** a rep the scenario does not describe */
export const DEFAULT_REP: RepBehaviour = {
  responseMedianHours: 2,
  responseP90Hours: 10,
  connectRate: 0.35,
  meetingRate: 0.35,
  notInterestedRate: 0.15,
  notNowRate: 0.1,
  ignoreRate: 0.08,
  outOfOfficeDays: [],
};

/**
 * a manager the scenario does not describe: reads "Over to you" within the working day, as a rule (a guess until
 * calibrated: the takeover is one email among a manager's many, and the console shows who is free)
 */
export const DEFAULT_MANAGER: ManagerBehaviour = {
  responseMedianHours: 3,
  responseP90Hours: 12,
  ignoreRate: 0,
};

export class ScenarioError extends Error {}

/** Parses a scenario file (YAML); throws ScenarioError naming each bad field. */
export function parseScenario(text: string, file = 'scenario'): ScenarioInput {
  const doc = parseDocument(text, { prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0)
    throw new ScenarioError(`${file}: YAML: ${doc.errors[0]!.message.split('\n')[0]}`);
  const parsed = scenarioSchema.safeParse(doc.toJS({ maxAliasCount: 100 }) ?? {});
  if (!parsed.success)
    throw new ScenarioError(
      `${file}: ${parsed.error.issues.map((issue) => `${issue.path.join('.') || '(top)'}: ${issue.message}`).join('; ')}`,
    );
  return parsed.data;
}

/**
 * The defaults, derived from the SLA, under what the scenario says. Errors, each naming its field: an id the
 * SLA does not know, weights that are all 0 (nothing to draw from), a rep's connected outcomes adding up to
 * more than 1, and with `run.days` a campaign that starts after the run's last day (it would never happen).
 */
export function resolveScenario(
  sla: Sla,
  input: ScenarioInput = {},
  run: { readonly days?: number } = {},
): Scenario {
  const personaIds = sla.personas.map((persona) => persona.id);
  const formIds = sla.forms.map((form) => form.id);
  const repIds = sla.routing.reps.map((rep) => rep.id);
  const unknown = (what: string, given: Iterable<string>, known: readonly string[]) => {
    for (const id of given)
      if (id !== 'none' && !known.includes(id))
        throw new ScenarioError(`${what} "${id}" is not in the SLA (known: ${known.join(', ')})`);
  };
  unknown('mix.personas', Object.keys(input.mix?.personas ?? {}), personaIds);
  unknown('mix.forms', Object.keys(input.mix?.forms ?? {}), formIds);
  unknown('reps.byRep', Object.keys(input.reps?.byRep ?? {}), repIds);
  const managerIds = sla.routing.managers.map((manager) => manager.id);
  unknown('managers.byManager', Object.keys(input.managers?.byManager ?? {}), managerIds);

  // personas: equal shares, a fifth of leads matching none
  const personas = input.mix?.personas
    ? Object.entries(input.mix.personas).map(([id, w]) => ({ id: id === 'none' ? null : id, weight: w }))
    : [...personaIds.map((id) => ({ id, weight: 0.8 / personaIds.length })), { id: null, weight: 0.2 }];
  // forms: content downloads most, demo and quote requests a few, the rest plain posts
  const defaultFormWeight = (id: string) => {
    const form = sla.forms.find((candidate) => candidate.id === id)!;
    if (['demo_request', 'quote_request'].includes(form.event)) return 0.04;
    if (form.event === 'content_download') return 0.2;
    if (form.id === 'service-request' || form.event === 'service_request') return 0.12;
    return 0.08;
  };
  const forms = input.mix?.forms
    ? Object.entries(input.mix.forms).map(([id, w]) => ({ id: id === 'none' ? null : id, weight: w }))
    : [...formIds.map((id) => ({ id, weight: defaultFormWeight(id) })), { id: null, weight: 0.1 }];
  const weekdaysIn = input.arrivals?.weekdays ?? {};
  const weekdayDefault = (d: (typeof WEEKDAYS)[number]) =>
    (sla.calendar.workingDays as readonly string[]).includes(d) ? 1 : 0.15;
  const base = { ...DEFAULT_REP, ...input.reps?.default };
  const reps = Object.fromEntries(
    repIds.map((id) => {
      const own = { ...base, ...input.reps?.byRep?.[id] };
      return [id, { ...own, responseP90Hours: Math.max(own.responseP90Hours, own.responseMedianHours) }];
    }),
  );
  const managerBase = { ...DEFAULT_MANAGER, ...input.managers?.default };
  const managers = Object.fromEntries(
    managerIds.map((id) => {
      const own = { ...managerBase, ...input.managers?.byManager?.[id] };
      return [id, { ...own, responseP90Hours: Math.max(own.responseP90Hours, own.responseMedianHours) }];
    }),
  );
  const fit = { ...DEFAULT_FIT, ...input.mix?.fit };
  const noWeight = (field: string, weights: readonly number[]) => {
    if (!weights.some((w) => w > 0)) throw new ScenarioError(`${field}: the weights are all 0`);
  };
  noWeight('mix.fit', Object.values(fit));
  noWeight(
    'mix.personas',
    personas.map((p) => p.weight),
  );
  noWeight(
    'mix.forms',
    forms.map((f) => f.weight),
  );
  for (const [field, given] of [
    ['reps.default', input.reps?.default],
    ...Object.entries(input.reps?.byRep ?? {}).map(([id, rep]) => [`reps.byRep.${id}`, rep] as const),
  ] as const) {
    if (!given) continue;
    const own = { ...base, ...given };
    const sum = own.meetingRate + own.notInterestedRate + own.notNowRate;
    if (sum > 1 + 1e-9)
      throw new ScenarioError(
        `${field}: meetingRate + notInterestedRate + notNowRate is ${Math.round(sum * 1000) / 1000}, more than 1 (they share the connected attempts)`,
      );
  }
  if (run.days !== undefined)
    (input.arrivals?.campaigns ?? []).forEach((campaign, i) => {
      if (campaign.day >= run.days!)
        throw new ScenarioError(
          `arrivals.campaigns.${i}.day: "${campaign.name}" starts on day ${campaign.day}, after the run's last day (day ${run.days! - 1} of --days ${run.days})`,
        );
    });
  return {
    start: input.start ?? '2027-01-04',
    weekdays: WEEKDAYS.map((d) => weekdaysIn[d] ?? weekdayDefault(d)),
    hours: input.arrivals?.hours ?? DEFAULT_HOURS,
    campaigns: (input.arrivals?.campaigns ?? []).map((c) => ({ ...c, days: c.days ?? 1 })),
    personas,
    fit,
    forms,
    existingCustomers: input.mix?.existingCustomers ?? 0.03,
    freeMail: input.mix?.freeMail ?? 0.1,
    marketingConsent: input.mix?.marketingConsent ?? 0.7,
    consentConfirmed: input.mix?.consentConfirmed ?? 0.6,
    consentConfirmHours: input.mix?.consentConfirmHours ?? 3,
    eventsPerWeek: { ...DEFAULT_EVENTS_PER_WEEK, ...input.engagement?.eventsPerWeek },
    advanceChance: input.engagement?.advanceChance ?? 0.15,
    interestDays: input.engagement?.interestDays ?? 21,
    reps,
    managers,
    daysPerStage: input.deals?.daysPerStage ?? 6,
    winRate: input.deals?.winRate ?? 0.3,
  };
}

/**
 * What the scenario says that the run will not do, each a line naming its field: a rep's day away
 * (`outOfOfficeDays`) on or after the run's last day, which the run never reaches. Warnings, not errors
 * (a scenario written for a longer run still runs a shorter one), unlike a campaign after the run's end
 * (resolveScenario), which is the traffic itself.
 */
export function scenarioWarnings(sla: Sla, input: ScenarioInput, run: { readonly days: number }): string[] {
  const after = (day: number) =>
    `day ${day} is after the run's last day (day ${run.days - 1} of --days ${run.days})`;
  const lines: string[] = [];
  for (const day of input.reps?.default?.outOfOfficeDays ?? [])
    if (day >= run.days)
      lines.push(`reps.default.outOfOfficeDays: ${after(day)}: no rep is away on it in this run`);
  for (const [id, rep] of Object.entries(input.reps?.byRep ?? {})) {
    const name = sla.routing.reps.find((candidate) => candidate.id === id)?.name ?? id;
    for (const day of rep.outOfOfficeDays ?? [])
      if (day >= run.days)
        lines.push(
          `reps.byRep.${id}.outOfOfficeDays: ${after(day)}: ${name} (${id}) is not away on it in this run`,
        );
  }
  return lines;
}

/** The scenario file's JSON Schema (sla/scenario.schema.json), for editor autocompletion. */
export function scenarioJsonSchema(): Record<string, unknown> {
  return {
    ...z.toJSONSchema(scenarioSchema, { io: 'input', unrepresentable: 'any' }),
    title: 'LeadPact simulation scenario',
    description:
      'What `leadpact simulate` feeds the workflow. Every field is optional. See docs/simulate.md.',
  };
}
