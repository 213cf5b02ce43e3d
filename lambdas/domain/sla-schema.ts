/**
 * The SLA file's schema: the written agreement between marketing and sales (GLOSSARY.md),
 * one section per term. Defaults keep a small file small: a valid SLA needs only a
 * `version` and its reps. Cross-references are checked in sla-references.ts.
 */
import * as z from 'zod';
import { calendarMs, DURATION_HINT, parseDuration } from './duration.ts';
import { PRESET_NAMES } from './form-presets.ts';
import { languageOf, SHIPPED_LANGUAGES } from './locale.ts';
import {
  CHANNELS,
  ESCALATION_ACTIONS,
  LIFECYCLE_STAGES,
  type LifecycleStage,
  OUTCOME_ACTIONS,
  SENIORITIES,
  STATUS_MOMENTS,
  WEEKDAYS,
} from './sla-constants.ts';

export * from './sla-constants.ts';

// ---------- building blocks ----------

/** A BCP 47 language tag: "en", "ar", "en-GB", "ar-EG". */
export const localeTagSchema = z
  .string()
  .regex(/^[A-Za-z]{2,3}(?:-[A-Za-z0-9]{2,8})*$/, 'a language tag such as "en", "ar" or "en-GB"')
  .refine(
    (tag) => {
      try {
        return Intl.getCanonicalLocales(tag).length === 1;
      } catch {
        return false;
      }
    },
    { message: 'not a valid BCP 47 language tag' },
  );

/** The languages of the SLA's people: emails and pages are written in one of `supported`. */
const localesSchema = z
  .object({
    /** for leads that name no language (form, browser) and reps without `locale` */
    default: localeTagSchema.default('en'),
    /** languages leads and reps may get; LeadPact ships its own text in SHIPPED_LANGUAGES (English, Arabic, German) */
    supported: z.array(localeTagSchema).min(1).default(['en']),
  })
  .strict()
  .superRefine((locales, ctx) => {
    if (!locales.supported.includes(locales.default)) {
      ctx.addIssue({
        code: 'custom',
        path: ['default'],
        message: `"${locales.default}" must be one of supported (${locales.supported.join(', ')})`,
      });
    }
    locales.supported.forEach((tag, index) => {
      if (!(SHIPPED_LANGUAGES as readonly string[]).includes(languageOf(tag))) {
        ctx.addIssue({
          code: 'custom',
          path: ['supported', index],
          message: `LeadPact ships email and page text in English (en), Arabic (ar) and German (de); "${tag}" is none of them`,
        });
      }
    });
  });
export type Locales = z.infer<typeof localesSchema>;

/**
 * The same name in other languages, beside `name` (ADR 0024): locale (one of locales.supported) ->
 * the name a reader in that locale sees. Optional everywhere: a file without it reads as before.
 */
export const localNamesSchema = z.record(localeTagSchema, z.string().min(1));

export const idSchema = z
  .string()
  .regex(
    /^[a-z0-9][a-z0-9_-]*$/i,
    'an id: Latin letters (a-z), digits, "-" and "_", starting with a letter or digit; the name people read goes in `name` (or `names`), in any script',
  );

/**
 * No SLA term is longer than this: a deadline past it is beyond any plan, and past JavaScript's dates (a
 * `firstTouchWithin: 99999999999h` handed every SQL to nobody: the deadline was an invalid date) or slow to
 * count in business time. A business day or hour counts as at least a calendar one.
 */
const LONGEST_DURATION_DAYS = 5 * 366;

export const durationSchema = z
  .string()
  .transform((text, ctx) => {
    const duration = parseDuration(text);
    if (!duration) {
      ctx.issues.push({ code: 'custom', message: `"${text}" is not ${DURATION_HINT}`, input: text });
      return z.NEVER;
    }
    if (calendarMs(duration) > LONGEST_DURATION_DAYS * 86_400_000) {
      ctx.issues.push({
        code: 'custom',
        message: `"${text}" is longer than 5 years: no SLA term needs that long (at most ${LONGEST_DURATION_DAYS}d)`,
        input: text,
      });
      return z.NEVER;
    }
    return duration;
  })
  .meta({ description: DURATION_HINT });

/** The first-touch window: 0 would make every lead overdue the moment it is handed over. */
const firstTouchWindow = durationSchema.refine(
  (duration) => duration.amount > 0,
  'a rep needs some time for the first touch: more than 0',
);

/**
 * A duration in minutes where two of the same kind can be compared without a calendar: minutes and hours, or
 * days and weeks (a business day's hours depend on the calendar: not comparable with business hours here).
 */
function comparableMinutes(d: { amount: number; unit: string }): number | undefined {
  const minutes = { minutes: 1, hours: 60, days: 24 * 60, weeks: 7 * 24 * 60 }[d.unit];
  return minutes === undefined ? undefined : d.amount * minutes;
}

export function isTimeZone(name: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

/**
 * Abbreviations a runtime takes as a zone but that are not the place a person means: EST is UTC-5 all year (no
 * daylight saving), so a New York rep written that way is an hour off all summer; CST, PST are no zone at all.
 */
const ZONE_ABBREVIATIONS: Readonly<Record<string, string>> = {
  EST: 'America/New_York',
  EDT: 'America/New_York',
  CST: 'America/Chicago',
  CDT: 'America/Chicago',
  MST: 'America/Denver (America/Phoenix: no daylight saving)',
  MDT: 'America/Denver',
  PST: 'America/Los_Angeles',
  PDT: 'America/Los_Angeles',
  HST: 'Pacific/Honolulu',
};

export const timeZoneSchema = z.string().superRefine((name, ctx) => {
  const place = ZONE_ABBREVIATIONS[name.toUpperCase()];
  if (place)
    ctx.addIssue({
      code: 'custom',
      message: `"${name}" is an abbreviation, not a place: its clock does not follow daylight saving as the people there do; write the place, such as ${place}`,
    });
  else if (!isTimeZone(name))
    ctx.addIssue({
      code: 'custom',
      message: 'not an IANA time zone name (e.g. "Europe/Berlin", "America/Chicago")',
    });
});

const clockTime = z
  .string()
  .regex(/^(([01]\d|2[0-3]):[0-5]\d|24:00)$/, 'a 24-hour time "HH:MM" (24:00 for the end of the day)')
  .meta({ description: 'a 24-hour time "HH:MM"' });

const isoDate = z.iso.date({ message: 'a date "YYYY-MM-DD"' });

const scalar = z.union([z.string(), z.number(), z.boolean()]);

/** Operators that test one value (a form field, an event property). All given operators must hold. */
const matchOps = {
  equals: scalar.optional(),
  in: z.array(scalar).min(1).optional(),
  notIn: z.array(scalar).min(1).optional(),
  contains: z.union([z.string(), z.array(z.string()).min(1)]).optional(),
  gte: z.number().optional(),
  lte: z.number().optional(),
  exists: z.boolean().optional(),
};
const MATCH_OP_KEYS = Object.keys(matchOps) as (keyof typeof matchOps)[];

const hasAnOperator = (value: Record<string, unknown>) =>
  MATCH_OP_KEYS.some((key) => value[key] !== undefined);
const operatorMessage = { message: `give at least one of: ${MATCH_OP_KEYS.join(', ')}` };

/** A strict object of `shape` followed by the match operators, at least one of which must be given. */
function withMatchOps<Shape extends z.ZodRawShape>(shape: Shape) {
  return z
    .object({ ...shape, ...matchOps })
    .strict()
    .refine(hasAnOperator, operatorMessage);
}

/** `{ field, <operators> }`: fields are form fields plus derived ones (emailDomain, region, persona, leadType, fitTier). */
export const conditionSchema = withMatchOps({ field: z.string().min(1) });
export type Condition = z.infer<typeof conditionSchema>;

const workingHoursSchema = z
  .object({ start: clockTime.default('09:00'), end: clockTime.default('17:00') })
  .strict()
  .refine((h) => h.start < h.end, { message: 'working hours must end after they start', path: ['end'] });

// ---------- 1. calendar (used by every SLA clock) ----------

export const calendarSchema = z
  .object({
    timeZone: timeZoneSchema.default('UTC'),
    workingDays: z.array(z.enum(WEEKDAYS)).default(['mon', 'tue', 'wed', 'thu', 'fri']),
    workingHours: workingHoursSchema.prefault({}),
    holidays: z.array(isoDate).default([]),
  })
  .strict();
export type Calendar = z.infer<typeof calendarSchema>;

// ---------- 2. ideal customer profile ----------

const icpCriterionSchema = withMatchOps({
  id: idSchema,
  description: z.string().optional(),
  field: z.string().min(1),
  weight: z.number().positive(),
  /** criteria sharing a group are alternatives: only the best match counts, and only once in the total */
  group: idSchema.optional(),
});

const tiersSchema = z
  .object({
    A: z.number().min(0).max(100).default(75),
    B: z.number().min(0).max(100).default(50),
    C: z.number().min(0).max(100).default(25),
  })
  .strict()
  .refine((t) => t.A > t.B && t.B > t.C, { message: 'tier minimums must fall: A > B > C' });

export const icpSchema = z
  .object({
    description: z.string().optional(),
    criteria: z.array(icpCriterionSchema).default([]),
    /** minimum fit score (0-100) for each tier; below C is tier D */
    tiers: tiersSchema.prefault({}),
  })
  .strict();
export type IcpCriterion = z.infer<typeof icpCriterionSchema>;

/**
 * A form value as a person reads it (`fieldValues.<field>.<value>`): `name` in the SLA's own words, `names` in
 * other languages. Used where LeadPact writes a lead's value into a sentence (the industry in a rep's "why").
 */
const fieldValueSchema = z
  .object({
    name: z.string().min(1).optional(),
    /** the name in other languages: locale -> name (ADR 0024) */
    names: localNamesSchema.optional(),
  })
  .strict()
  .refine((value) => value.name !== undefined || value.names !== undefined, {
    message: 'give name, names or both',
  });
export type FieldValueName = z.infer<typeof fieldValueSchema>;

/** field -> the value as the form posts it (matched as conditions match: trimmed, case ignored) -> its names */
export const fieldValuesSchema = z
  .record(z.string().min(1), z.record(z.string().min(1), fieldValueSchema))
  .default({});

// ---------- 3. buyer personas ----------

const personaSchema = z
  .object({
    id: idSchema,
    name: z.string().min(1),
    /** the name in other languages: locale -> name (ADR 0024) */
    names: localNamesSchema.optional(),
    description: z.string().optional(),
    match: z
      .object({
        jobTitleKeywords: z.array(z.string().min(1)).default([]),
        seniority: z.array(z.enum(SENIORITIES)).default([]),
        departments: z.array(z.string().min(1)).default([]),
      })
      .strict()
      .refine((m) => m.jobTitleKeywords.length + m.departments.length > 0, {
        message: 'a persona needs jobTitleKeywords or departments to match on',
      }),
    /** points added to the total score of leads with this persona (may be negative) */
    scoreBonus: z.number().default(0),
    /** the nurture track this persona prefers over the persona x journey-stage match */
    nurtureTrack: idSchema.optional(),
  })
  .strict();
export type Persona = z.infer<typeof personaSchema>;

// ---------- 4. buyer's journey ----------

const journeySignalSchema = z
  .object({
    stage: idSchema,
    events: z.array(z.string().min(1)).default([]),
    contentTags: z.array(z.string().min(1)).default([]),
  })
  .strict();

export const journeySchema = z
  .object({
    stages: z.array(idSchema).min(1).default(['awareness', 'consideration', 'decision']),
    /** an event of these types, or content with these tags, shows the lead has reached the stage */
    signals: z.array(journeySignalSchema).default([]),
    /** the stages' names per language: locale -> stage -> name (LeadPact names its three default stages) */
    namesByLocale: z.record(localeTagSchema, z.record(idSchema, z.string().min(1))).default({}),
  })
  .strict();
export type Journey = z.infer<typeof journeySchema>;

// ---------- 5. lifecycle stages ----------

const lifecycleStageSchema = z.enum(LIFECYCLE_STAGES);

const DEFAULT_STAGE_NAMES: Record<LifecycleStage, string> = {
  subscriber: 'Subscriber',
  lead: 'Lead',
  mql: 'Marketing qualified lead',
  sql: 'Sales qualified lead',
  opportunity: 'Opportunity',
  customer: 'Customer',
};

export const lifecycleSchema = z
  .object({
    /** display names; the stage ids and their order are fixed, so every SLA means the same by "mql" */
    names: z.partialRecord(lifecycleStageSchema, z.string().min(1)).default({}),
    /** the display names in other languages: locale -> stage -> name (ADR 0024) */
    namesByLocale: z
      .record(localeTagSchema, z.partialRecord(lifecycleStageSchema, z.string().min(1)))
      .default({}),
    /** the only backward moves allowed: sales hands a lead back to marketing */
    recycle: z.array(z.object({ from: lifecycleStageSchema, to: lifecycleStageSchema }).strict()).prefault([
      { from: 'sql', to: 'lead' },
      { from: 'opportunity', to: 'lead' },
    ]),
    /** when a contact becomes an opportunity: when a deal is opened, or at the first successful attempt */
    opportunityWhen: z.enum(['dealCreated', 'firstConnect']).default('dealCreated'),
    /** form ids that only subscribe (newsletter, blog): such contacts enter as subscribers, not leads */
    subscriberForms: z.array(z.string().min(1)).default([]),
  })
  .strict()
  .transform((lifecycle) => ({ ...lifecycle, names: { ...DEFAULT_STAGE_NAMES, ...lifecycle.names } }));
export type Lifecycle = z.infer<typeof lifecycleSchema>;

// ---------- 9. lead score (before lead types, which override parts of it) ----------

const thresholdsSchema = z
  .object({ mql: z.number().default(50), sql: z.number().default(100) })
  .strict()
  .refine((t) => t.mql < t.sql, {
    message: 'the MQL threshold must be below the SQL threshold',
    path: ['mql'],
  });
export type Thresholds = z.infer<typeof thresholdsSchema>;

const matrixRowSchema = z
  .object({ mql: z.number().nullable(), sql: z.number().nullable() })
  .strict()
  .refine((r) => r.mql === null || r.sql === null || r.mql < r.sql, {
    message: 'the MQL engagement threshold must be below the SQL one',
    path: ['mql'],
  });
/** fit tier x engagement: per tier, the engagement score needed for MQL and SQL (null = never) */
const matrixSchema = z
  .object({ A: matrixRowSchema, B: matrixRowSchema, C: matrixRowSchema, D: matrixRowSchema })
  .strict();
export type ScoreMatrix = z.infer<typeof matrixSchema>;

const engagementRuleSchema = z
  .object({
    id: idSchema,
    description: z.string().optional(),
    /** event type, e.g. page_view, email_click, content_download, webinar_attended, demo_request */
    event: z.string().min(1),
    /** conditions on the event's properties, all must hold */
    where: z.array(conditionSchema).default([]),
    /** the event must carry one of these content tags */
    contentTags: z.array(z.string().min(1)).default([]),
    points: z.number().refine((n) => n !== 0, 'points must not be 0'),
    /** most points this rule may give one lead (absolute value), before decay */
    cap: z.number().positive().optional(),
    /** count only the first matching event */
    once: z.boolean().default(false),
  })
  .strict();
export type EngagementRule = z.infer<typeof engagementRuleSchema>;

const negativeRuleSchema = withMatchOps({
  id: idSchema,
  description: z.string().optional(),
  field: z.string().min(1),
  points: z.number().negative(),
});
export type NegativeRule = z.infer<typeof negativeRuleSchema>;

export const scoringSchema = z
  .object({
    engagement: z.array(engagementRuleSchema).default([]),
    /** points taken off for who the lead is (free-mail domains, competitors, students); never decays */
    negative: z.array(negativeRuleSchema).default([]),
    /** positive engagement points halve every halfLife; omit for no decay */
    decay: z
      .object({
        halfLife: durationSchema.refine(
          (duration) => duration.amount > 0,
          'points need some time to halve: more than 0 (leave out `decay` for points that never fade)',
        ),
      })
      .strict()
      .optional(),
    /** total score (fit + engagement + persona bonus + negative) needed for MQL and SQL */
    thresholds: thresholdsSchema.prefault({}),
    /** optional: judge by fit tier x engagement score instead of the total */
    matrix: matrixSchema.optional(),
  })
  .strict();
export type Scoring = z.infer<typeof scoringSchema>;

// ---------- 6. lead types ----------

const leadTypeSchema = z
  .object({
    id: idSchema,
    name: z.string().min(1),
    /** the name in other languages: locale -> name (ADR 0024) */
    names: localNamesSchema.optional(),
    description: z.string().optional(),
    /** omit to match every lead (a catch-all, which must come last) */
    match: z
      .object({
        emailDomains: z.array(z.string().min(1)).default([]),
        /** all must hold */
        all: z.array(conditionSchema).default([]),
        /** at least one must hold */
        any: z.array(conditionSchema).default([]),
      })
      .strict()
      .refine((m) => m.emailDomains.length + m.all.length + m.any.length > 0, {
        message: 'give emailDomains, all or any (or omit match for a catch-all)',
      })
      .optional(),
    overrides: z
      .object({
        /** either or both; the other comes from scoring.thresholds */
        thresholds: z.object({ mql: z.number().optional(), sql: z.number().optional() }).strict().optional(),
        matrix: matrixSchema.optional(),
        /** extra engagement rules for this type */
        engagement: z.array(engagementRuleSchema).default([]),
        /** engagement or negative rule ids that do not apply to this type */
        ignoreRules: z.array(idSchema).default([]),
        queue: idSchema.optional(),
        cadence: idSchema.optional(),
        nurtureTrack: idSchema.optional(),
        /** skip nurture entirely: hand off at once (existing customers, service requests) */
        skipNurture: z.boolean().default(false),
        /** who gets the lead: the queue's rotation, or the account owner from routing.accounts */
        assignTo: z.enum(['queue', 'accountOwner']).default('queue'),
        handoff: z.object({ firstTouchWithin: firstTouchWindow.optional() }).strict().optional(),
      })
      .strict()
      .prefault({}),
  })
  .strict();
export type LeadType = z.infer<typeof leadTypeSchema>;

// ---------- 8. lead status ----------

const leadStatusSchema = z
  .object({
    id: idSchema,
    name: z.string().min(1),
    /** the name in other languages: locale -> name (ADR 0024) */
    names: localNamesSchema.optional(),
    description: z.string().optional(),
    /** the workflow sets this status at that moment */
    setWhen: z.enum(STATUS_MOMENTS).optional(),
    /** reps (and a CRM) may set it through the API */
    repCanSet: z.boolean().default(false),
  })
  .strict();
export type LeadStatus = z.infer<typeof leadStatusSchema>;

const DEFAULT_STATUSES: z.input<typeof leadStatusSchema>[] = [
  { id: 'nurturing', name: 'Nurturing', setWhen: 'created' },
  { id: 'new', name: 'New', setWhen: 'handoff' },
  { id: 'attempting-contact', name: 'Attempting contact', setWhen: 'firstAttempt' },
  { id: 'connected', name: 'Connected', setWhen: 'connected', repCanSet: true },
  { id: 'open-deal', name: 'Open deal', setWhen: 'dealOpened' },
  { id: 'unqualified', name: 'Unqualified', setWhen: 'disqualified', repCanSet: true },
  { id: 'recycled-not-ready', name: 'Recycled - not ready', setWhen: 'recycled', repCanSet: true },
  { id: 'won', name: 'Won', setWhen: 'won' },
];

// ---------- 7. deal stages ----------

const dealStageSchema = z
  .object({
    id: idSchema,
    name: z.string().min(1),
    /** the name in other languages: locale -> name (ADR 0024) */
    names: localNamesSchema.optional(),
    probability: z.number().min(0).max(100),
    /** remind the owner when a deal sits in this stage longer than this */
    staleAfter: durationSchema
      .refine((duration) => duration.amount > 0, 'a deal is stale after some time: more than 0')
      .optional(),
    won: z.boolean().default(false),
    lost: z.boolean().default(false),
    onHold: z.boolean().default(false),
  })
  .strict();
export type DealStage = z.infer<typeof dealStageSchema>;

export const dealsSchema = z
  .object({
    stages: z
      .array(dealStageSchema)
      .min(2)
      .prefault([
        { id: 'discovery', name: 'Discovery / meeting booked', probability: 20, staleAfter: '14d' },
        { id: 'quote-development', name: 'Quote development', probability: 40, staleAfter: '10d' },
        { id: 'quote-presented', name: 'Quote presented', probability: 60, staleAfter: '7d' },
        { id: 'closed-won', name: 'Closed won', probability: 100, won: true },
        { id: 'closed-lost', name: 'Closed lost', probability: 0, lost: true },
        { id: 'on-hold', name: 'On hold', probability: 10, staleAfter: '30d', onHold: true },
      ]),
    /** after a lost deal, wait this long before the contact re-enters nurture */
    lostCoolOff: durationSchema.prefault('90d'),
  })
  .strict();
export type Deals = z.infer<typeof dealsSchema>;

// ---------- routing ----------

const outOfOfficeSchema = z
  .object({ from: isoDate, to: isoDate })
  .strict()
  .refine((o) => o.from <= o.to, { message: '"to" must not be before "from"', path: ['to'] });

const repSchema = z
  .object({
    id: idSchema,
    name: z.string().min(1),
    /** the name in other languages: locale -> name (ADR 0024) */
    names: localNamesSchema.optional(),
    email: z.email(),
    /** a manager id (routing.managers) for escalations */
    manager: idSchema.optional(),
    /** default: the calendar's */
    timeZone: timeZoneSchema.optional(),
    workingDays: z.array(z.enum(WEEKDAYS)).optional(),
    workingHours: workingHoursSchema.optional(),
    /** the rep's own public holidays, local dates in the rep's zone; default: the calendar's */
    holidays: z.array(isoDate).optional(),
    /** most open leads at once; omit for no limit */
    capacity: z.number().int().positive().optional(),
    outOfOffice: z.array(outOfOfficeSchema).default([]),
    /** share of leads under the weighted strategy */
    weight: z.number().positive().default(1),
    /** the language of this rep's emails (one of locales.supported); default: locales.default */
    locale: localeTagSchema.optional(),
  })
  .strict();
export type Rep = z.infer<typeof repSchema>;

const managerSchema = z
  .object({
    id: idSchema,
    name: z.string().min(1),
    /** the name in other languages: locale -> name (ADR 0024) */
    names: localNamesSchema.optional(),
    email: z.email(),
    /** the language of this manager's emails (one of locales.supported); default: locales.default */
    locale: localeTagSchema.optional(),
    /** the zone this manager reads times in (emails, link pages, console); default: the calendar's. Display only (ADR 0083) */
    timeZone: timeZoneSchema.optional(),
    /** dates away (the calendar's time zone): what this manager would hear of goes to the deputy, else ops */
    outOfOffice: z.array(outOfOfficeSchema).default([]),
    /** a manager id (routing.managers): hears of this manager's escalations while they are out of office */
    deputy: idSchema.optional(),
  })
  .strict();
export type Manager = z.infer<typeof managerSchema>;

const queueSchema = z
  .object({
    id: idSchema,
    name: z.string().min(1),
    /** the name in other languages: locale -> name (ADR 0024) */
    names: localNamesSchema.optional(),
    /** lead types this queue serves; empty = any */
    leadTypes: z.array(idSchema).default([]),
    /** regions (see `regions`) or ISO country codes this queue serves; empty = any */
    regions: z.array(z.string().min(1)).default([]),
    reps: z.array(idSchema).min(1),
    strategy: z.enum(['roundRobin', 'weighted']).optional(),
    /** a manager id (routing.managers): gets this queue's leads when the escalation ladder runs out */
    manager: idSchema.optional(),
  })
  .strict();
export type Queue = z.infer<typeof queueSchema>;

export const routingSchema = z
  .object({
    strategy: z.enum(['roundRobin', 'weighted']).default('roundRobin'),
    /** prefer reps inside their working hours at assignment time */
    honourWorkingHours: z.boolean().default(true),
    managers: z.array(managerSchema).default([]),
    /** a manager id: hears of a lead nobody else can take (no queue manager, no rep, owner gone) */
    ops: idSchema.optional(),
    reps: z.array(repSchema).min(1),
    /** first match wins (lead type, then region); omitted: one queue of all reps */
    queues: z.array(queueSchema).default([]),
    /** existing accounts: email domain -> owning rep, for the accountOwner fast lane */
    accounts: z.array(z.object({ domain: z.string().min(1), owner: idSchema }).strict()).default([]),
  })
  .strict();
export type Routing = z.infer<typeof routingSchema>;

// ---------- handoff SLA ----------

export const handoffSchema = z
  .object({
    /** first touch due this long after handoff (business time is the usual choice) */
    firstTouchWithin: firstTouchWindow.prefault('4bh'),
    /** steps taken when the first touch is overdue; `after` counts from the due time */
    escalation: z
      .array(z.object({ after: durationSchema, action: z.enum(ESCALATION_ACTIONS) }).strict())
      // the ladder is climbed in its order, each step when its own `after` has passed: one earlier than the
      // step before it waits for that one (a "4bh reassign" after "6bh notifyManager" reassigns at 6bh)
      .superRefine((steps, ctx) => {
        for (let i = 1; i < steps.length; i++) {
          const [before, step] = [steps[i - 1]!.after, steps[i]!.after];
          const [a, b] = [comparableMinutes(before), comparableMinutes(step)];
          const days = (unit: string) => unit === 'days' || unit === 'weeks';
          // business days against business hours: as many hours as the calendar's working day, not known here
          const mixed = before.business && days(before.unit) !== days(step.unit);
          if (a === undefined || b === undefined || before.business !== step.business || mixed || b >= a)
            continue;
          ctx.addIssue({
            code: 'custom',
            path: [i, 'after'],
            message: `"${step.text}" comes before the step above it ("${before.text}"): the ladder's steps are taken in order, so list them from the earliest`,
          });
        }
      })
      .prefault([
        { after: '0h', action: 'remindOwner' },
        { after: '2bh', action: 'notifyManager' },
        { after: '4bh', action: 'reassign' },
      ]),
    /**
     * reassignments by the ladder per handoff; when the ladder's reassign step is due after this
     * many, the lead goes to its queue's manager (else ops) instead of another rep
     */
    maxReassignments: z.number().int().nonnegative().default(2),
    /**
     * after the ladder hands a lead to its queue's manager ("Over to you") and no first touch is logged, the
     * manager is reminded every this ("Still over to you"), in the owner's calendar, until a first touch is
     * logged, the lead has another owner, or the cadence recycles it (ADR 0085). Absent: told once
     */
    remindManagerEvery: durationSchema
      .refine((duration) => duration.amount > 0, 'a reminder needs some time between: more than 0')
      .optional(),
  })
  .strict();
export type Handoff = z.infer<typeof handoffSchema>;

// ---------- 10. contact attempts ----------

/**
 * A cadence step's note for the rep, in any language: a hint in the attempt's reminder email, and carried
 * with it on the lead's state item (the outbox: ADR 0050's bound), so a bound, with the length it found.
 */
export const STEP_NOTE_MAX = 500;
const stepNoteSchema = z.string().max(STEP_NOTE_MAX, {
  error: (issue) =>
    `a note for the rep is at most ${STEP_NOTE_MAX} characters (this one has ${String(issue.input).length}): it is a hint in the attempt's reminder email`,
});

const cadenceSchema = z
  .object({
    id: idSchema,
    name: z.string().min(1),
    /** the name in other languages: locale -> name (ADR 0024) */
    names: localNamesSchema.optional(),
    steps: z
      .array(
        z
          .object({
            channel: z.enum(CHANNELS),
            /**
             * after the previous attempt, or while it is not logged after the previous step's
             * deadline; step 1 is the first touch, due at the first-touch deadline (its delay is when
             * it is asked for: a reminder then if that is after the handover)
             */
            delay: durationSchema,
            /** for the rep, in the attempt's reminder; at most STEP_NOTE_MAX characters */
            note: stepNoteSchema.optional(),
            /** the note in other languages: locale -> note (ADR 0024), each at most STEP_NOTE_MAX characters */
            notes: z.record(localeTagSchema, stepNoteSchema.min(1)).optional(),
          })
          .strict(),
      )
      .min(1),
    /** when all steps are done without connecting: recycle, and wait this long before nurturing again */
    coolOff: durationSchema.prefault('30d'),
  })
  .strict();
export type Cadence = z.infer<typeof cadenceSchema>;

const outcomeSchema = z
  .object({
    id: idSchema,
    name: z.string().min(1),
    /** the name in other languages: locale -> name (ADR 0024) */
    names: localNamesSchema.optional(),
    action: z.enum(OUTCOME_ACTIONS),
    /**
     * the channels an attempt can have this outcome on (a voicemail: phone); absent: every channel. A rep is
     * offered it only for a step by one of them, and not for a lead with no phone if they all need a number
     * (outcome-reach.ts, ADR 0087)
     */
    channels: z.array(z.enum(CHANNELS)).min(1).optional(),
  })
  .strict();
export type Outcome = z.infer<typeof outcomeSchema>;

export const contactSchema = z
  .object({
    defaultCadence: idSchema.default('standard'),
    /**
     * at a reassignment: restart = the new owner gets a fresh first-touch deadline and the cadence
     * from step 1; continue = the deadlines of the first handoff stand
     */
    onReassign: z.enum(['restart', 'continue']).default('restart'),
    /**
     * once connected (a connect or a booked meeting, no deal yet), the owner opens a deal, disqualifies or
     * recycles the lead within this; past it the owner is reminded, and again every `decideWithin`, the
     * owner's manager copied from the second reminder on. Absent: a connected lead waits for a deal unchased
     */
    decideWithin: durationSchema
      .refine((duration) => duration.amount > 0, 'a connected lead needs some time to decide: more than 0')
      .optional(),
    cadences: z
      .array(cadenceSchema)
      .min(1)
      .prefault([
        {
          id: 'standard',
          name: 'Standard',
          steps: [
            { channel: 'phone', delay: '0bh' },
            { channel: 'email', delay: '1bh' },
            { channel: 'phone', delay: '1bd' },
            { channel: 'email', delay: '2bd' },
            { channel: 'phone', delay: '2bd' },
            { channel: 'email', delay: '3bd' },
          ],
        },
      ]),
    outcomes: z
      .array(outcomeSchema)
      .min(1)
      .prefault([
        { id: 'no-answer', name: 'No answer', action: 'nextStep' },
        { id: 'voicemail', name: 'Left voicemail', action: 'nextStep', channels: ['phone'] },
        { id: 'connected', name: 'Connected', action: 'connected' },
        { id: 'meeting-booked', name: 'Meeting booked', action: 'meetingBooked' },
        { id: 'not-interested', name: 'Not interested', action: 'disqualify' },
        { id: 'bad-data', name: 'Bad contact data', action: 'disqualify' },
        { id: 'not-now', name: 'Not now (recycle)', action: 'recycle' },
      ]),
  })
  .strict();
export type Contact = z.infer<typeof contactSchema>;

// ---------- nurture ----------

const templateContentSchema = z
  .object({ subject: z.string().min(1), text: z.string().min(1), html: z.string().optional() })
  .strict();
export type TemplateContent = z.infer<typeof templateContentSchema>;

const templateSchema = z
  .object({
    id: idSchema,
    subject: z.string().min(1),
    text: z.string().min(1),
    html: z.string().optional(),
    /** the same email in other languages: locale (one of locales.supported) -> subject, text, html */
    locales: z.record(localeTagSchema, templateContentSchema).default({}),
  })
  .strict();
export type Template = z.infer<typeof templateSchema>;

const trackSchema = z
  .object({
    id: idSchema,
    name: z.string().min(1),
    /** the name in other languages: locale -> name (ADR 0024) */
    names: localNamesSchema.optional(),
    /** persona id or "*" */
    persona: z.string().default('*'),
    /** journey stage or "*" */
    journeyStage: z.string().default('*'),
    emails: z.array(z.object({ template: idSchema, delay: durationSchema }).strict()).min(1),
    /** lifecycle stages at which the track stops (unsubscribe always stops it) */
    stopAt: z.array(lifecycleStageSchema).default(['sql']),
  })
  .strict();
export type Track = z.infer<typeof trackSchema>;

/** A page a person opens from an email: an absolute https address. */
const webPageUrlSchema = z.string().refine((value) => {
  try {
    return new URL(value).protocol === 'https:' && /^https:\/\//i.test(value);
  } catch {
    return false;
  }
}, 'a web page address starting with https://');

export const nurtureSchema = z
  .object({
    senderName: z.string().default('LeadPact'),
    /** the sender name in other languages: locale -> name (ADR 0024) */
    senderNames: localNamesSchema.optional(),
    /**
     * Who sends, in the footer of every marketing email (nurture and the consent confirmation): the company's
     * postal address (CAN-SPAM asks a valid physical postal address of every commercial email), its privacy
     * notice (GDPR art. 13) and its imprint (Germany's DDG § 5), ADR 0071
     */
    postalAddress: z
      .string()
      .trim()
      .min(1)
      .max(300, 'at most 300 characters: the address as it is printed on a letter')
      .refine((value) => !/[\r\n]/.test(value), 'one line: separate the parts with commas')
      .optional(),
    privacyUrl: webPageUrlSchema.optional(),
    imprintUrl: webPageUrlSchema.optional(),
    templates: z.array(templateSchema).default([]),
    tracks: z.array(trackSchema).default([]),
  })
  .strict();
export type Nurture = z.infer<typeof nurtureSchema>;

// ---------- marketing commitments ----------

export const marketingSchema = z
  .object({
    mqlsPerMonth: z.number().int().nonnegative().optional(),
    /** share of handed-over SQLs that sales should accept (not disqualify), percent */
    sqlAcceptanceRate: z.number().min(0).max(100).optional(),
  })
  .strict();

/**
 * Marketing consent across forms (docs/sla-reference.md#consent). `eraseUnconfirmedAfterDays`: a lead whose only
 * reason to be held is a sign-up never confirmed (its confirmation link lapsed, nothing of sales, no engagement
 * beyond its form posts: domain/unconfirmed-erasure.ts) is erased this many days after the link lapsed, by the
 * reconciler's retention pass (tasks/erase-unconfirmed.ts, ADR 0092). Absent: never (the default).
 */
export const consentSchema = z
  .object({
    eraseUnconfirmedAfterDays: z.number().int().min(1).max(3650).optional(),
  })
  .strict();

// ---------- web forms ----------

/** A form's field mapping (docs/sla-reference.md#forms, docs/forms.md): presets, aliases, honeypots. */
const formMappingShape = {
  /** the vendor whose field names the form posts (form-presets.ts); none: LeadPact reads them all */
  preset: z.union([z.enum(PRESET_NAMES), z.array(z.enum(PRESET_NAMES)).min(1)]).optional(),
  /** LeadPact field (or a custom name) -> the posted name(s) that fill it, compared case-insensitively */
  fields: z
    .record(
      z
        .string()
        .regex(/^[A-Za-z][A-Za-z0-9_.-]{0,63}$/, 'a field name: a letter, then letters, digits, _ . -'),
      z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]),
    )
    .optional(),
  /** hidden fields only bots fill, besides the presets' (_gotcha, Netlify's bot-field) */
  honeypots: z.array(z.string().min(1)).optional(),
};
const formMappingSchema = z.object(formMappingShape).strict();
export type FormMapping = z.infer<typeof formMappingSchema>;

const formSchema = z
  .object({
    ...formMappingShape,
    /** what the form posts as formId */
    id: z
      .string()
      .regex(/^[A-Za-z0-9_.-]{1,100}$/, 'a form id: letters, digits, "-", "_" and "." (at most 100)'),
    name: z.string().optional(),
    /** the name in other languages (the embedded form's title): locale -> name (ADR 0024) */
    names: localNamesSchema.optional(),
    /** the engagement event a submission of this form counts as (scoring and journey rules match it) */
    event: z.string().min(1).default('form_submission'),
    contentTags: z.array(z.string().min(1)).default([]),
    /**
     * Marketing consent given on this form: "double" (default) sends one confirmation email and
     * nurture starts only after the person confirms with its link; "single" takes the ticked box as is
     */
    consent: z.enum(['double', 'single']).default('double'),
    /** the consent text shown beside the form's checkbox: stored on the lead as what was consented to */
    consentText: z.string().min(1).max(1000).optional(),
    /** the consent text in other languages: locale -> text, shown and stored in the lead's language */
    consentTexts: z.record(localeTagSchema, z.string().min(1).max(1000)).optional(),
  })
  .strict();
export type Form = z.infer<typeof formSchema>;

// ---------- migrations: an SLA change and the leads in flight ----------

/** removed id -> its successor in this SLA (docs/sla-reference.md#migrations) */
const idMapSchema = z.record(idSchema, idSchema).default({});

/**
 * What this version of the SLA does with leads that still refer to ids it no longer has: each map
 * names a removed id (a rep who left, a merged deal stage) and the id that takes its place. Applied
 * at start (locally) and on deploy (lambdas/domain/sla-migration.ts); a source must not exist in
 * this SLA, a target must.
 */
export const migrationsSchema = z
  .object({
    /** a removed rep -> the rep who takes over their open leads (a fresh handoff to them) */
    reps: idMapSchema,
    /** a removed deal stage -> the stage open deals move to */
    dealStages: idMapSchema,
    /** a removed nurture track -> the track leads continue in, at the same email */
    tracks: idMapSchema,
    /** a removed lead type -> its successor (the next judgement may classify again) */
    leadTypes: idMapSchema,
    /** a removed queue -> its successor (leads do not store a queue: for the record and `sla diff`) */
    queues: idMapSchema,
    /** a removed lead status -> the status leads in it take */
    statuses: idMapSchema,
  })
  .strict();
export type Migrations = z.infer<typeof migrationsSchema>;

// ---------- the whole agreement ----------

export const slaSchema = z
  .object({
    $schema: z.string().optional(),
    /** recorded on every lead it judges */
    version: z.string().min(1),
    name: z.string().default('LeadPact SLA'),
    /** the SLA's name in other languages: locale -> name (ADR 0024) */
    names: localNamesSchema.optional(),
    /** the languages of emails and pages (ADR 0019) */
    locales: localesSchema.prefault({}),
    calendar: calendarSchema.prefault({}),
    /** named groups of ISO country codes, usable as `region` in conditions and queues */
    regions: z.record(idSchema, z.array(z.string().regex(/^[A-Z]{2}$/, 'an ISO country code'))).default({}),
    icp: icpSchema.prefault({}),
    /** names of form values per language, e.g. industry food-and-beverage: { names: { ar: ... } } */
    fieldValues: fieldValuesSchema,
    personas: z.array(personaSchema).default([]),
    journey: journeySchema.prefault({}),
    lifecycle: lifecycleSchema.prefault({}),
    leadTypes: z.array(leadTypeSchema).default([]),
    leadStatuses: z.array(leadStatusSchema).prefault(DEFAULT_STATUSES),
    scoring: scoringSchema.prefault({}),
    deals: dealsSchema.prefault({}),
    routing: routingSchema,
    handoff: handoffSchema.prefault({}),
    contact: contactSchema.prefault({}),
    nurture: nurtureSchema.prefault({}),
    marketing: marketingSchema.prefault({}),
    /** marketing consent across forms: the retention of sign-ups never confirmed (ADR 0092) */
    consent: consentSchema.prefault({}),
    /** what each web form means: a post with formId "demo-request" can count as a demo_request event */
    forms: z.array(formSchema).default([]),
    /** the field mapping of every form that does not set its own (forms.<id>.preset / fields / honeypots) */
    formDefaults: formMappingSchema.prefault({}),
    /** what this version does with in-flight leads that refer to ids it removed */
    migrations: migrationsSchema.prefault({}),
  })
  .strict();

/** The SLA after parsing: defaults filled, durations parsed. */
export type Sla = z.infer<typeof slaSchema>;
/** The SLA as written in the file. */
export type SlaInput = z.input<typeof slaSchema>;
