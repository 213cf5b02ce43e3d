/**
 * Synthetic leads for the simulator: when each arrives (weekly and daily rhythm in the SLA calendar's time
 * zone, campaign spikes) and what its form post says (persona, ICP fit, form, consent), all drawn from a
 * seeded Prng, so the same seed gives the same leads. The engagement a lead shows later is drawn as the
 * simulation runs (simulator.ts), from the lead's journey stage and interest.
 */
import type { Sla } from '../../lambdas/domain/sla-schema.ts';
import { Prng } from './prng.ts';
import { JOURNEY, type JourneyStage, type Scenario } from './scenario.ts';

const HOUR = 3_600_000;
const DAY = 86_400_000;

export interface SyntheticLead {
  readonly index: number;
  /** epoch ms */
  readonly arrivesAt: number;
  /** the POST /leads body */
  readonly post: Record<string, unknown>;
  /** the journey stage the lead starts in (its form says; else awareness) */
  readonly journey: JourneyStage;
  /** epoch ms after which the lead engages no more */
  readonly interestUntil: number;
  /** confirms the double opt-in email, and after how many hours */
  readonly confirmsConsentAfterHours?: number;
}

const FIRST_NAMES = [
  'Ada',
  'Ben',
  'Chiara',
  'Dmitri',
  'Elif',
  'Femi',
  'Greta',
  'Hiro',
  'Ines',
  'Jon',
  'Kai',
  'Lea',
];
const OTHER_TITLES = ['Marketing Assistant', 'Sales Manager', 'Consultant', 'Office Manager', 'Student'];
const POOR_VALUES: Record<string, string | number> = {
  industry: 'retail',
  employees: 12,
  revenue: 900_000,
  country: 'ZA',
};
const FREE_MAIL = ['gmail.com', 'outlook.com', 'gmx.de'];

/** Arrival times: N draws from the hour slots of `days` days, weighted by weekday, hour and campaign. */
export function arrivalTimes(
  sla: Sla,
  scenario: Scenario,
  leads: number,
  days: number,
  prng: Prng,
): number[] {
  const start = Date.parse(`${scenario.start}T00:00:00Z`);
  const local = new Intl.DateTimeFormat('en-US', {
    timeZone: sla.calendar.timeZone,
    weekday: 'short',
    hour: 'numeric',
    hourCycle: 'h23',
  });
  const weekdayIndex: Record<string, number> = { Sun: 0, Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6 };
  const cumulative: number[] = [];
  let total = 0;
  for (let slot = 0; slot < days * 24; slot++) {
    const at = new Date(start + slot * HOUR);
    const parts = Object.fromEntries(local.formatToParts(at).map((part) => [part.type, part.value]));
    const dayOfRun = Math.floor(slot / 24);
    const campaign = scenario.campaigns
      .filter((c) => dayOfRun >= c.day && dayOfRun < c.day + c.days)
      .reduce((factor, c) => factor * c.factor, 1);
    total +=
      (scenario.weekdays[weekdayIndex[parts.weekday!]!] ?? 0) *
      (scenario.hours[Number(parts.hour)] ?? 0) *
      campaign;
    cumulative.push(total);
  }
  if (total <= 0) throw new RangeError('the scenario gives no arrivals (all weekday or hour weights are 0)');
  const times: number[] = [];
  for (let i = 0; i < leads; i++) {
    const r = prng.next() * total;
    let lo = 0;
    let hi = cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cumulative[mid]! > r) hi = mid;
      else lo = mid + 1;
    }
    // to the second: the report's times are ISO, and equal times keep their draw order
    times.push(start + lo * HOUR + Math.floor(prng.next() * 3600) * 1000);
  }
  return times.sort((a, b) => a - b);
}

type Criterion = Sla['icp']['criteria'][number];

/** A value of `criterion`'s field that matches it (ideal) or, with `match` false, one that does not. */
function valueFor(sla: Sla, criterion: Criterion, match: boolean, prng: Prng): [string, string | number] {
  const c = criterion as Criterion & { in?: unknown[]; gte?: number; lte?: number; equals?: unknown };
  const field = c.field === 'region' ? 'country' : c.field;
  if (!match) return [field, POOR_VALUES[field] ?? 'other'];
  if (c.field === 'region' && c.in) {
    const regions = sla.regions as Record<string, readonly string[]>;
    const region = String(prng.pick(c.in));
    return ['country', prng.pick(regions[region] ?? [region])];
  }
  if (c.in) return [field, prng.pick(c.in) as string | number];
  if (c.equals !== undefined) return [field, c.equals as string | number];
  if (c.gte !== undefined || c.lte !== undefined) {
    const low = c.gte ?? 0;
    const high = c.lte ?? low * 4 + 1000;
    return [field, Math.round(low + prng.next() * (high - low))];
  }
  return [field, POOR_VALUES[field] ?? 'other'];
}

/** Fit fields: every top criterion matched (ideal), some (partial) or none (poor). */
function firmographics(sla: Sla, scenario: Scenario, prng: Prng): Record<string, string | number> {
  const tier = prng.weighted([scenario.fit.ideal, scenario.fit.partial, scenario.fit.poor]);
  const out: Record<string, string | number> = {};
  // the first criterion of each group (or alone) is the one an ideal lead meets
  const top = sla.icp.criteria.filter((criterion) => !(criterion as { group?: string }).group);
  for (const criterion of top) {
    const match = tier === 0 || (tier === 1 && prng.chance(0.5));
    const [field, value] = valueFor(sla, criterion, match, prng);
    if (out[field] === undefined) out[field] = value;
  }
  return out;
}

function journeyOfForm(sla: Sla, formId: string | null): JourneyStage {
  if (formId === null) return 'awareness';
  const form = sla.forms.find((candidate) => candidate.id === formId);
  if (!form) return 'awareness';
  let stage: JourneyStage = 'awareness';
  for (const signal of sla.journey.signals) {
    const hit =
      (signal.events ?? []).includes(form.event) ||
      (signal.contentTags ?? []).some((tag) => (form.contentTags ?? []).includes(tag));
    if (hit && JOURNEY.indexOf(signal.stage as JourneyStage) > JOURNEY.indexOf(stage))
      stage = signal.stage as JourneyStage;
  }
  return stage;
}

export function syntheticLeads(
  sla: Sla,
  scenario: Scenario,
  options: { leads: number; days: number; seed: number },
): SyntheticLead[] {
  const times = arrivalTimes(
    sla,
    scenario,
    options.leads,
    options.days,
    Prng.forStream(options.seed, 'arrivals'),
  );
  const prng = Prng.forStream(options.seed, 'leads');
  const accounts = sla.leadTypes.flatMap((type) => type.match?.emailDomains ?? []);
  return times.map((arrivesAt, index) => {
    const persona = scenario.personas[prng.weighted(scenario.personas.map((p) => p.weight))]!;
    const form = scenario.forms[prng.weighted(scenario.forms.map((f) => f.weight))]!;
    const match = persona.id ? sla.personas.find((p) => p.id === persona.id)?.match : undefined;
    // ASCII titles only: the Arabic ones match too (ADR 0019), the report reads the same either way
    const titles = (match?.jobTitleKeywords ?? []).filter((k) => /^[\x20-\x7e]+$/.test(k));
    const jobTitle = titles.length ? titleCase(prng.pick(titles)) : prng.pick(OTHER_TITLES);
    const domain =
      accounts.length > 0 && prng.chance(scenario.existingCustomers)
        ? prng.pick(accounts)
        : prng.chance(scenario.freeMail)
          ? prng.pick(FREE_MAIL)
          : `company-${index % 997}.example`;
    const consent = prng.chance(scenario.marketingConsent);
    const confirms = consent && prng.chance(scenario.consentConfirmed);
    const post: Record<string, unknown> = {
      email: `lead-${options.seed}-${index}@${domain}`,
      firstName: prng.pick(FIRST_NAMES),
      lastName: `Sim${index}`,
      company: `Company ${index % 997}`,
      jobTitle,
      ...(match?.seniority?.length ? { seniority: prng.pick(match.seniority) } : {}),
      ...firmographics(sla, scenario, prng),
      marketingConsent: consent,
      ...(form.id ? { formId: form.id } : {}),
    };
    return {
      index,
      arrivesAt,
      post,
      journey: journeyOfForm(sla, form.id),
      interestUntil: arrivesAt + Math.round(prng.exponential(scenario.interestDays) * DAY),
      ...(confirms
        ? { confirmsConsentAfterHours: Math.max(0.05, prng.exponential(scenario.consentConfirmHours)) }
        : {}),
    };
  });
}

const titleCase = (text: string) => text.replace(/\b[a-z]/g, (c) => c.toUpperCase());

/** Engagement events a lead in each journey stage shows, from the SLA's journey signals and scoring. */
export function engagementCatalogue(
  sla: Sla,
): Record<JourneyStage, { type: string; contentTags?: string[] }[]> {
  const signalled = new Set(sla.journey.signals.flatMap((signal) => signal.events ?? []));
  const awareness = sla.scoring.engagement
    .filter((rule) => rule.points > 0 && !signalled.has(rule.event))
    .map((rule) => ({ type: rule.event }));
  const forStage = (stage: JourneyStage) =>
    sla.journey.signals
      .filter((signal) => signal.stage === stage)
      .flatMap((signal) => [
        ...(signal.events ?? []).map((type) => ({ type })),
        ...(signal.contentTags ?? []).map((tag) => ({ type: 'content_download', contentTags: [tag] })),
      ]);
  const unique = (list: { type: string; contentTags?: string[] }[]) => [
    ...new Map(list.map((e) => [`${e.type}|${e.contentTags?.join(',') ?? ''}`, e])).values(),
  ];
  return {
    awareness: unique(awareness.length ? awareness : [{ type: 'page_view' }]),
    consideration: unique([...forStage('consideration'), { type: 'page_view' }]),
    decision: unique([...forStage('decision'), { type: 'page_view' }]),
  };
}
