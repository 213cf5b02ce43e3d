/**
 * The simulator's report: the SLA report (lambdas/domain/sla-report.ts, the same figures as GET /reports/sla
 * and `leadpact report`) over the run's report facts, extended with what only a simulation can say: emails
 * per type and per person per day, the response-time histogram, emails per day, peak open executions and
 * the AWS cost per 1,000 leads. Rendered as text, JSON, one HTML page with inline SVG charts, and a
 * side-by-side comparison of two SLAs on the same leads (--compare).
 */
import type { LeadFact } from '../../lambdas/domain/report-facts.ts';
import {
  reportHtml,
  reportTakeoversHtml,
  reportText,
  type SlaReport,
  slaReport,
} from '../../lambdas/domain/sla-report.ts';
import type { Sla } from '../../lambdas/domain/sla-schema.ts';
import type { DiffImpact } from '../../lambdas/tasks/sla-impact.ts';
import type { RetimedClocks } from './in-flight-clocks.ts';
import type { CostFigures } from './operations.ts';
import type { EmailKind, EmailRecord } from './simulator.ts';

const DAY = 86_400_000;
/** The emails by what a reader calls them (the JSON keeps the Notifier's ids) */
const EMAIL_KIND_NAMES: Readonly<Record<EmailKind, string>> = {
  sqlAssigned: 'New SQL',
  attemptDue: 'Attempt due',
  firstTouchOverdue: 'First touch overdue',
  managerEscalation: 'Escalation to the manager',
  reassigned: 'Reassigned',
  managerTakeover: 'Manager takes over',
  recycled: 'Recycled',
  staleDeal: 'Stale deal',
  decideDue: 'Decide after a connect',
  nurture: 'Nurture',
  consentRequest: 'Consent request',
  opsAlert: 'Ops alert',
};
/**
 * What a deployment pays for that the run does not count (docs/simulate.md#cost): events out (ADR 0022), whose
 * publisher made two thirds more DynamoDB requests than the run counted when the review replayed a run on the
 * runtime with it on (6,306 against 3,777 with it off; the run: 3,715)
 */
const NOT_COUNTED = 'not counted: events out (EventBridge, webhooks), bench:cost prices them';

export interface PersonEmails {
  readonly id: string;
  readonly name: string;
  readonly role: 'rep' | 'manager';
  readonly total: number;
  /** per day of the run */
  readonly perDay: number;
  /** the busiest day's count */
  readonly maxDay: number;
}

export interface SimulationFigures {
  readonly simulation: {
    readonly leads: number;
    readonly days: number;
    readonly from: string;
    readonly to: string;
    /** actions that failed inside the run (a handler threw): 0 in a healthy run */
    readonly errors: number;
  };
  readonly report: SlaReport;
  readonly emails: {
    readonly total: number;
    readonly byType: Readonly<Partial<Record<EmailKind, number>>>;
    readonly byPerson: readonly PersonEmails[];
    /** every email of each day of the run */
    readonly perDay: readonly number[];
  };
  /** first-touch response times (business hours) in buckets: label and count */
  readonly responseHistogram: readonly { readonly bucket: string; readonly count: number }[];
  readonly executions: { readonly peakOpen: number; readonly openAtEnd: number };
  readonly cost: CostFigures;
}

const BUCKETS: readonly [string, number][] = [
  ['< 1 h', 1],
  ['1-2 h', 2],
  ['2-4 h', 4],
  ['4-8 h', 8],
  ['8-16 h', 16],
  ['16-40 h', 40],
  ['40 h +', Number.POSITIVE_INFINITY],
];

const factOrder = (a: LeadFact, b: LeadFact) =>
  a.at < b.at
    ? -1
    : a.at > b.at
      ? 1
      : a.leadId < b.leadId
        ? -1
        : a.leadId > b.leadId
          ? 1
          : a.kind < b.kind
            ? -1
            : a.kind > b.kind
              ? 1
              : a.seq - b.seq;

export function simulationFigures(input: {
  sla: Sla;
  facts: readonly LeadFact[];
  from: string;
  to: string;
  emails: readonly EmailRecord[];
  peakOpenExecutions: number;
  openAtEnd: number;
  leads: number;
  cost: CostFigures;
  errors: number;
}): SimulationFigures {
  const { sla } = input;
  const start = Date.parse(input.from);
  const days = Math.round((Date.parse(input.to) - start) / DAY);
  // one order whatever the store listed them in: the report's "first" and "next" read facts in order
  const facts = [...input.facts].sort(factOrder);
  const report = slaReport(sla, facts, { from: input.from, to: input.to, now: new Date(input.to) });

  const byType: Partial<Record<EmailKind, number>> = {};
  const perDay = Array.from({ length: days }, () => 0);
  const perPerson = new Map<string, number[]>();
  for (const email of input.emails) {
    byType[email.kind] = (byType[email.kind] ?? 0) + 1;
    const day = Math.floor((email.at - start) / DAY);
    if (day >= 0 && day < days) perDay[day]! += 1;
    for (const to of email.to) {
      const counts = perPerson.get(to) ?? Array.from({ length: days }, () => 0);
      perPerson.set(to, counts);
      if (day >= 0 && day < days) counts[day]! += 1;
    }
  }
  const people = [
    ...sla.routing.reps.map((rep) => ({ id: rep.id, name: rep.name, role: 'rep' as const })),
    ...sla.routing.managers.map((manager) => ({
      id: manager.id,
      name: manager.name,
      role: 'manager' as const,
    })),
  ];
  const byPerson = people.map((person) => {
    const counts = perPerson.get(person.id) ?? [];
    const total = counts.reduce((sum, n) => sum + n, 0);
    return {
      ...person,
      total,
      perDay: Math.round((total / Math.max(1, days)) * 10) / 10,
      maxDay: Math.max(0, ...counts),
    };
  });
  const histogram = BUCKETS.map(([bucket]) => ({ bucket, count: 0 }));
  for (const fact of facts) {
    if (fact.kind !== 'touch' || fact.responseHours === undefined) continue;
    if (fact.at < input.from || fact.at >= input.to) continue;
    const index = BUCKETS.findIndex(([, upTo]) => fact.responseHours! < upTo);
    histogram[index]!.count += 1;
  }
  return {
    simulation: { leads: input.leads, days, from: input.from, to: input.to, errors: input.errors },
    report,
    emails: {
      total: input.emails.length,
      byType: Object.fromEntries(Object.entries(byType).sort(([a], [b]) => (a < b ? -1 : 1))),
      byPerson,
      perDay,
    },
    responseHistogram: histogram,
    executions: { peakOpen: input.peakOpenExecutions, openAtEnd: input.openAtEnd },
    cost: input.cost,
  };
}

// ---------- the figures that matter when two SLAs are compared ----------

export interface KeyFigure {
  readonly label: string;
  readonly value: number | null;
  /** +1: more is better, -1: less is better, 0: neither */
  readonly better: 1 | -1 | 0;
  readonly unit?: '%' | '$' | 'h';
}

export function keyFigures(figures: SimulationFigures): KeyFigure[] {
  const r = figures.report;
  // leads that reached the stage or went past it, as the report's funnel counts them (ADR 0073)
  const stage = (id: string) => r.funnel.find((s) => s.stage === id)?.reached ?? 0;
  const t = r.sales.total;
  return [
    { label: 'MQLs', value: r.marketing.mqls.actual, better: 1 },
    { label: 'SQLs handed to sales', value: r.marketing.sqls.handedOver, better: 0 },
    { label: 'Opportunities', value: stage('opportunity'), better: 1 },
    { label: 'Customers', value: stage('customer'), better: 1 },
    // counted per handover, as the report does: a lead reassigned twice, untouched, is three breaches
    { label: 'First touch met (handovers)', value: t.firstTouch.met, better: 1 },
    { label: 'First touch breached (handovers)', value: t.firstTouch.breached, better: -1 },
    {
      label: 'First touch in SLA',
      value: t.firstTouch.rate === null ? null : t.firstTouch.rate * 100,
      better: 1,
      unit: '%',
    },
    // per handover, from its own clock: an SLA that reassigns sooner cuts the slow ones off and shortens it
    // without anyone answering faster (a simulate trial read "better" for a stricter SLA): neither better nor worse
    { label: 'Response p90 per handover (business hours)', value: t.responseHours.p90, better: 0, unit: 'h' },
    { label: 'Escalations', value: t.escalations, better: -1 },
    { label: 'Reassignments', value: t.reassignments, better: -1 },
    { label: 'Recycles', value: t.recycles, better: -1 },
    // the ladder ran out: each one a manager's decision to make (ADR 0090); a report without them says nothing
    { label: 'Over to a manager', value: r.sales.takeovers?.total.overTo ?? null, better: -1 },
    { label: 'Cadence breaches', value: t.cadenceBreaches, better: -1 },
    { label: 'Emails', value: figures.emails.total, better: 0 },
    { label: 'Peak open executions', value: figures.executions.peakOpen, better: 0 },
    { label: 'AWS cost per 1,000 leads', value: figures.cost.per1000LeadsTotal, better: -1, unit: '$' },
  ];
}

export interface Difference {
  readonly label: string;
  readonly baseline: number | null;
  readonly candidate: number | null;
  readonly change: number | null;
  /** a change of 5 % or more (or any for small counts): worth a look */
  readonly notable: boolean;
  /** better, worse, or neither for the funnel / the SLA */
  readonly verdict: 'better' | 'worse' | 'changed' | 'same';
}

export function differences(baseline: SimulationFigures, candidate: SimulationFigures): Difference[] {
  const a = keyFigures(baseline);
  const b = keyFigures(candidate);
  return a.map((figure, i) => {
    const other = b[i]!;
    const change =
      figure.value === null || other.value === null
        ? null
        : Math.round((other.value - figure.value) * 1000) / 1000;
    const base = Math.abs(figure.value ?? 0);
    const notable = change !== null && change !== 0 && (base < 20 || Math.abs(change) / base >= 0.05);
    const verdict =
      change === null || change === 0
        ? 'same'
        : figure.better === 0
          ? 'changed'
          : Math.sign(change) === figure.better
            ? 'better'
            : 'worse';
    return { label: figure.label, baseline: figure.value, candidate: other.value, change, notable, verdict };
  });
}

// ---------- text ----------

const fmt = (value: number | null, unit?: string) =>
  value === null
    ? '-'
    : unit === '$'
      ? `$${value.toFixed(2)}`
      : unit === '%'
        ? `${Math.round(value * 10) / 10}%`
        : unit === 'h'
          ? `${value} h`
          : String(Math.round(value * 10) / 10);

/** A change: percentages change by points */
const fmtChange = (value: number, unit?: string) =>
  unit === '%' ? `${Math.round(value * 10) / 10} pts` : fmt(value, unit);

export function simulationText(figures: SimulationFigures): string {
  const s = figures.simulation;
  const lines = [
    `Simulated ${s.leads} leads over ${s.days} days (${s.from.slice(0, 10)} to ${s.to.slice(0, 10)})${s.errors ? `; ${s.errors} actions failed` : ''}`,
    '',
    reportText(figures.report),
    '',
    'Emails',
    `  ${figures.emails.total} in all: ${Object.entries(figures.emails.byType)
      .map(([kind, n]) => `${EMAIL_KIND_NAMES[kind as EmailKind]} ${n}`)
      .join(', ')}`,
    '  Per person (a day on average, the busiest day)',
    ...figures.emails.byPerson.map(
      (p) =>
        `    ${p.name.padEnd(18)} ${p.role.padEnd(8)} ${String(p.total).padStart(6)} in all, ${p.perDay} a day, at most ${p.maxDay}`,
    ),
    '',
    'First-touch response times (business hours)',
    ...figures.responseHistogram.map((b) => `  ${b.bucket.padEnd(8)} ${String(b.count).padStart(6)}`),
    '',
    `Workflow executions: at most ${figures.executions.peakOpen} open at once, ${figures.executions.openAtEnd} open at the end`,
    '',
    `AWS cost per 1,000 leads: $${figures.cost.per1000LeadsTotal.toFixed(2)} (${figures.cost.region} list prices as of ${figures.cost.pricesAsOf}; ${NOT_COUNTED})`,
    ...Object.entries(figures.cost.per1000Leads).map(
      ([line, dollars]) => `  ${line.padEnd(28)} $${dollars.toFixed(4)}`,
    ),
  ];
  return lines.join('\n');
}

export function comparisonText(
  baseline: { name: string; figures: SimulationFigures },
  candidate: { name: string; figures: SimulationFigures },
): string {
  const rows = differences(baseline.figures, candidate.figures);
  const units = new Map(keyFigures(baseline.figures).map((f) => [f.label, f.unit]));
  const width = Math.max(...rows.map((r) => r.label.length));
  const mark = (r: Difference) =>
    r.verdict === 'better' ? '  better' : r.verdict === 'worse' ? '  WORSE' : '';
  return [
    `Same ${baseline.figures.simulation.leads} synthetic leads over ${baseline.figures.simulation.days} days, two SLAs`,
    `  A: ${baseline.name}`,
    `  B: ${candidate.name}`,
    '',
    `${''.padEnd(width)}  ${'A'.padStart(10)}  ${'B'.padStart(10)}  ${'B - A'.padStart(10)}`,
    ...rows.map((r) => {
      const unit = units.get(r.label);
      const change = r.change === null ? '-' : `${r.change > 0 ? '+' : ''}${fmtChange(r.change, unit)}`;
      return `${r.notable ? '*' : ' '}${r.label.padEnd(width - 1)}  ${fmt(r.baseline, unit).padStart(10)}  ${fmt(r.candidate, unit).padStart(10)}  ${change.padStart(10)}${r.notable ? mark(r) : ''}`;
    }),
    '',
    '* a change of 5 % or more',
  ].join('\n');
}

// ---------- the in-flight impact (--compare) ----------

/**
 * What switching from A to B would do to the leads A left open when the run ended: `leadpact sla diff`'s
 * in-flight impact (lambdas/tasks/sla-impact.ts) on the simulated store, summed up by move and by missing id.
 */
export interface InFlightImpact {
  /** leads in flight at the end of A's run that the survey looked at */
  readonly checked: number;
  /** the end of the run */
  readonly at: string;
  /** leads B would change (a stage move, a missing id, or both) */
  readonly affected: number;
  /** leads B would leave without a way forward (an id gone, no successor in `migrations`) */
  readonly stranded: number;
  /** B's judgement moves them now where A's would not: stage ids and names, and how many leads */
  readonly moves: readonly {
    readonly from: string;
    readonly fromName: string;
    readonly to: string;
    readonly toName: string;
    readonly leads: number;
  }[];
  /** ids open leads hold that B lacks: what, the id and its name in A, the successor B names, how many leads */
  readonly missing: readonly {
    readonly what: string;
    readonly id: string;
    readonly name: string;
    readonly to?: string;
    /** the successor's name in B */
    readonly toName?: string;
    readonly strands: boolean;
    readonly leads: number;
  }[];
  /** the clocks of the leads with sales: how many keep their handover's terms, what B still re-times (in-flight-clocks.ts) */
  readonly clocks?: RetimedClocks;
}

/** Sums up sla diff's per-lead impact; names come from the SLA the leads ran under (A), successors' from B. */
export function inFlightImpact(
  impact: DiffImpact,
  baseline: Sla,
  candidate: Sla,
  clocks?: RetimedClocks,
): InFlightImpact {
  const stageName = (stage: string) =>
    baseline.lifecycle.names[stage as keyof Sla['lifecycle']['names']] ?? stage;
  const moves = new Map<string, { from: string; to: string; leads: number }>();
  const missing = new Map<
    string,
    { what: string; kind: string; id: string; to?: string; strands: boolean; leads: number }
  >();
  for (const lead of impact.leads) {
    if (lead.stageMove) {
      const key = `${lead.stageMove.from}>${lead.stageMove.to}`;
      const move = moves.get(key) ?? { ...lead.stageMove, leads: 0 };
      move.leads++;
      moves.set(key, move);
    }
    for (const ref of lead.references) {
      const key = `${ref.kind}:${ref.id}`;
      const entry = missing.get(key) ?? {
        what: ref.what,
        kind: ref.kind,
        id: ref.id,
        ...(ref.to ? { to: ref.to } : {}),
        strands: ref.strands,
        leads: 0,
      };
      entry.leads++;
      missing.set(key, entry);
    }
  }
  const byCount = <T extends { leads: number }>(a: T & { key: string }, b: T & { key: string }) =>
    b.leads - a.leads || (a.key < b.key ? -1 : 1);
  return {
    checked: impact.checked ?? 0,
    at: impact.at ?? '',
    affected: impact.leads.length,
    stranded: impact.stranded,
    moves: [...moves]
      .map(([key, m]) => ({ key, ...m }))
      .sort(byCount)
      .map(({ from, to, leads }) => ({ from, fromName: stageName(from), to, toName: stageName(to), leads })),
    missing: [...missing]
      .map(([key, m]) => ({ key, ...m }))
      .sort(byCount)
      .map(({ what, kind, id, to, strands, leads }) => ({
        what,
        id,
        name: nameOf(baseline, kind, id),
        ...(to ? { to, toName: nameOf(candidate, kind, to) } : {}),
        strands,
        leads,
      })),
    ...(clocks ? { clocks } : {}),
  };
}

/** an id's name in the SLA (reps, deal stages, statuses, lead types, tracks, queues), else the id */
function nameOf(sla: Sla, kind: string, id: string): string {
  const lists: Record<string, readonly { id: string; name: string }[]> = {
    reps: sla.routing.reps,
    dealStages: sla.deals.stages,
    statuses: sla.leadStatuses,
    leadTypes: sla.leadTypes,
    tracks: sla.nurture.tracks,
    queues: sla.routing.queues,
  };
  return lists[kind]?.find((item) => item.id === id)?.name ?? id;
}

const leadsWord = (n: number) => `${n} lead${n === 1 ? '' : 's'}`;

function inFlightLines(impact: InFlightImpact): string[] {
  const lines = [
    `${leadsWord(impact.affected)} of the ${impact.checked} A left in flight would move stage or hold an id B lacks; ${impact.stranded === 0 ? 'none' : leadsWord(impact.stranded)} stranded.`,
  ];
  const clocks = impact.clocks;
  if (clocks && clocks.withSales > 0) {
    const parts = [
      [clocks.firstTouchOverdue, 'first touch overdue at once', 'first touches overdue at once'],
      [clocks.firstTouchSooner, 'first touch due sooner', 'first touches due sooner'],
      [clocks.firstTouchLater, 'first touch due later', 'first touches due later'],
      [clocks.escalationNow, 'escalation due at once', 'escalations due at once'],
      [clocks.cadenceChanged, 'cadence changed', 'cadences changed'],
    ]
      .filter(([n]) => (n as number) > 0)
      .map(([n, one, many]) => `${n} ${n === 1 ? one : many}`);
    lines.push(
      parts.length === 0
        ? `B keeps the SLA clocks of the ${clocks.withSales} with sales as A runs them: ${
            clocks.keptTerms === clocks.withSales
              ? 'each keeps the deadline and ladder of its handover (ADR 0059).'
              : `${clocks.keptTerms} keep the deadline and ladder of their handover (ADR 0059).`
          }`
        : `Of the ${clocks.withSales} with sales, B re-times the clocks A runs (${clocks.keptTerms} keep the deadline and ladder of their handover, ADR 0059; the cadence, and a clock with no terms stored, follow the SLA deployed): ${parts.join(', ')}.`,
    );
  }
  for (const move of impact.moves)
    lines.push(
      `${leadsWord(move.leads)} would move from ${move.fromName} to ${move.toName} at once (B's scoring)`,
    );
  for (const gone of impact.missing)
    lines.push(
      `${leadsWord(gone.leads)} hold ${gone.what} ${gone.name}, which B lacks: ${
        gone.to
          ? `they move to ${gone.toName ?? gone.to} (migrations)`
          : gone.strands
            ? 'STRANDED (B names no successor in migrations)'
            : 'judged again'
      }`,
    );
  return lines;
}

/** The in-flight impact as text: `leadpact sla diff`'s words, summed up. */
export function inFlightText(impact: InFlightImpact): string {
  return [
    `In flight at the end of A's run (leadpact sla diff's impact, as of ${impact.at}):`,
    ...inFlightLines(impact).map((line) => `  ${line}`),
  ].join('\n');
}

// ---------- HTML ----------

const escapeHtml = (value: string) =>
  value.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c,
  );

interface Bar {
  readonly label: string;
  readonly value: number;
  readonly text?: string;
}

/** Horizontal bars, one SVG: labels left, values right; scales to the page width. */
function barChart(title: string, bars: readonly Bar[], color = '#2f6f9f'): string {
  const max = Math.max(1, ...bars.map((bar) => bar.value));
  const row = 26;
  // labels and value texts get the width they need (at ~7.5 px a character): the longest bar's text fits
  const labelWidth = Math.min(220, Math.max(60, ...bars.map((bar) => Math.ceil(bar.label.length * 7.5)))) + 8;
  const textWidth =
    Math.min(
      140,
      Math.max(40, ...bars.map((bar) => Math.ceil((bar.text ?? String(bar.value)).length * 7.5))),
    ) + 8;
  const barSpace = 480 - labelWidth - textWidth;
  const body = bars
    .map((bar, i) => {
      const width = Math.round((bar.value / max) * barSpace);
      return `<g transform="translate(0,${i * row})"><text x="0" y="17" font-size="13">${escapeHtml(bar.label)}</text><rect x="${labelWidth}" y="5" width="${width}" height="16" fill="${color}"></rect><text x="${labelWidth + 6 + width}" y="17" font-size="13">${escapeHtml(bar.text ?? String(bar.value))}</text></g>`;
    })
    .join('');
  return `<figure><figcaption>${escapeHtml(title)}</figcaption><svg role="img" aria-label="${escapeHtml(title)}" viewBox="0 0 480 ${Math.max(row, bars.length * row)}" width="480">${body}</svg></figure>`;
}

/** Columns over time (emails per day). */
function columnChart(title: string, values: readonly number[]): string {
  const max = Math.max(1, ...values);
  const width = 480;
  const height = 140;
  const step = width / Math.max(1, values.length);
  const columns = values
    .map((value, i) => {
      const h = Math.round((value / max) * (height - 20));
      return `<rect x="${(i * step).toFixed(1)}" y="${height - h}" width="${Math.max(1, step - 1).toFixed(1)}" height="${h}" fill="#5a8f3c"><title>day ${i + 1}: ${value}</title></rect>`;
    })
    .join('');
  return `<figure><figcaption>${escapeHtml(title)} (most: ${max})</figcaption><svg role="img" aria-label="${escapeHtml(title)}" viewBox="0 0 ${width} ${height}" width="${width}">${columns}<line x1="0" y1="${height}" x2="${width}" y2="${height}" stroke="#888"></line></svg></figure>`;
}

const pct = (value: number | null) => (value === null ? '-' : `${Math.round(value * 1000) / 10}%`);

/** "3 leads over to a manager, " in the page's first line, when the ladder ran out in the run */
const overTo = (report: SlaReport) => {
  const n = report.sales.takeovers?.total.overTo ?? 0;
  return n === 0 ? '' : `<strong>${n}</strong> lead${n === 1 ? '' : 's'} over to a manager, `;
};

function figuresSection(figures: SimulationFigures): string {
  const r = figures.report;
  const t = r.sales.total;
  return [
    `<p class="lead">${figures.simulation.leads} leads over ${figures.simulation.days} days: <strong>${r.marketing.mqls.actual}</strong> MQLs${r.marketing.mqls.target === null ? '' : ` (target ${r.marketing.mqls.target})`}, <strong>${r.marketing.sqls.handedOver}</strong> SQLs handed to sales, first touch in SLA <strong>${pct(t.firstTouch.rate)}</strong>, ${overTo(r)}AWS cost <strong>$${figures.cost.per1000LeadsTotal.toFixed(2)}</strong> per 1,000 leads.</p>`,
    '<div class="charts">',
    barChart(
      'Funnel: leads reaching each stage',
      r.funnel.map((stage) => ({ label: stage.name, value: stage.reached })),
    ),
    barChart(
      'First-touch response time (business hours)',
      figures.responseHistogram.map((b) => ({ label: b.bucket, value: b.count })),
      '#8a5a9f',
    ),
    barChart(
      'First touch within the SLA, per rep',
      r.sales.byRep.map((rep) => ({
        label: rep.name,
        value: Math.round((rep.firstTouch.rate ?? 0) * 1000) / 10,
        text: `${pct(rep.firstTouch.rate)} of ${rep.firstTouch.met + rep.firstTouch.breached}`,
      })),
      '#c07a1a',
    ),
    columnChart('Emails per day', figures.emails.perDay),
    barChart(
      'AWS cost per 1,000 leads, by line (US cents)',
      Object.entries(figures.cost.per1000Leads).map(([line, dollars]) => ({
        label: line.replace(' (est.)', '*'),
        value: dollars * 100,
        text: `${(dollars * 100).toFixed(1)}¢`,
      })),
      '#9f2f4f',
    ),
    '</div>',
    '<h2>Emails per person</h2>',
    `<div class="scroll"><table><thead><tr><th>Person</th><th>Role</th><th>Emails</th><th>A day</th><th>Busiest day</th></tr></thead><tbody>${figures.emails.byPerson
      .map(
        (p) =>
          `<tr><th scope="row">${escapeHtml(p.name)}</th><td>${p.role}</td><td>${p.total}</td><td>${p.perDay}</td><td>${p.maxDay}</td></tr>`,
      )
      .join('')}</tbody></table></div>`,
    `<p>By type: ${Object.entries(figures.emails.byType)
      .map(([kind, n]) => `${escapeHtml(EMAIL_KIND_NAMES[kind as EmailKind])} ${n}`)
      .join(', ')}. Workflow executions open at once: at most ${figures.executions.peakOpen}.</p>`,
    `<p class="note">* estimated (Lambda billed time, log bytes, X-Ray sampling: bench/prices.ts ASSUMPTIONS). ${escapeHtml(figures.cost.region)} list prices as of ${escapeHtml(figures.cost.pricesAsOf)}. Not counted: ${escapeHtml(NOT_COUNTED.replace(/^not counted: /, ''))}.</p>`,
  ].join('\n');
}

const STYLE =
  'body{font:15px/1.45 system-ui,sans-serif;margin:0 auto;padding:16px;max-width:1100px;color:#1b1b1b}h1{font-size:1.4em}table{border-collapse:collapse;font-size:14px}td,th{padding:4px 8px;border-bottom:1px solid #ddd;text-align:right}th[scope=row],thead th:first-child,.names{text-align:left}.scroll{overflow-x:auto;max-width:100%}svg{max-width:100%;height:auto}figure{margin:0 0 16px}figcaption{font-weight:600;margin-bottom:4px}.charts{display:grid;grid-template-columns:repeat(auto-fit,minmax(340px,1fr));gap:8px 32px}.note{color:#555;font-size:13px}.better{color:#1d6b2a;font-weight:600}.worse{color:#a3162b;font-weight:600}.lead{font-size:16px}';

export function simulationHtml(title: string, figures: SimulationFigures): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${escapeHtml(title)}</title><style>${STYLE}</style></head><body>
<h1>${escapeHtml(title)}</h1>
<p>${escapeHtml(figures.report.sla.name)} (version ${escapeHtml(figures.report.sla.version)}), ${escapeHtml(figures.simulation.from.slice(0, 10))} to ${escapeHtml(figures.simulation.to.slice(0, 10))}.</p>
${figuresSection(figures)}
<h2>The SLA report</h2>
${slaReportBody(figures.report)}
</body></html>`;
}

export function comparisonHtml(
  baseline: { name: string; figures: SimulationFigures },
  candidate: { name: string; figures: SimulationFigures },
  inFlight?: InFlightImpact,
): string {
  const rows = differences(baseline.figures, candidate.figures);
  const units = new Map(keyFigures(baseline.figures).map((f) => [f.label, f.unit]));
  const table = `<div class="scroll"><table><thead><tr><th></th><th>A</th><th>B</th><th>B - A</th></tr></thead><tbody>${rows
    .map((r) => {
      const unit = units.get(r.label);
      const cls =
        r.notable && (r.verdict === 'better' || r.verdict === 'worse') ? ` class="${r.verdict}"` : '';
      const change = r.change === null ? '-' : `${r.change > 0 ? '+' : ''}${fmtChange(r.change, unit)}`;
      return `<tr${cls}><th scope="row">${escapeHtml(r.label)}</th><td>${fmt(r.baseline, unit)}</td><td>${fmt(r.candidate, unit)}</td><td>${escapeHtml(change)}${r.notable && r.verdict !== 'changed' ? ` (${r.verdict})` : ''}</td></tr>`;
    })
    .join('')}</tbody></table></div>`;
  // each SLA's managers section as the report draws it (ADR 0090): the single run's page has it in its SLA report
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>Two SLAs on the same leads</title><style>${STYLE}</style></head><body>
<h1>Two SLAs on the same leads</h1>
<p>A: ${escapeHtml(baseline.name)}<br>B: ${escapeHtml(candidate.name)}</p>
${table}
${
  inFlight
    ? `<h2>Leads in flight</h2>
<p>The leads A left in flight when the run ended, judged as <code>leadpact sla diff</code> would judge them, as of ${escapeHtml(inFlight.at.slice(0, 16).replace('T', ' '))} UTC:</p>
<ul>${inFlightLines(inFlight)
        .map((line) => `<li${line.includes('STRANDED') ? ' class="worse"' : ''}>${escapeHtml(line)}</li>`)
        .join('')}</ul>`
    : ''
}
<h2>A: ${escapeHtml(baseline.name)}</h2>
${figuresSection(baseline.figures)}
${reportTakeoversHtml(baseline.figures.report)}
<h2>B: ${escapeHtml(candidate.name)}</h2>
${figuresSection(candidate.figures)}
${reportTakeoversHtml(candidate.figures.report)}
</body></html>`;
}

/** The SLA report's own page (reportHtml), without its document shell, as a section of this page. */
function slaReportBody(report: SlaReport): string {
  const html = reportHtml(report);
  const body = html.slice(html.indexOf('<body>') + 6, html.lastIndexOf('</body>'));
  // its h1 becomes a section of this page
  return body
    .replace(/<h1>[\s\S]*?<\/h1>/, '')
    .replace(/<h2>/g, '<h3>')
    .replace(/<\/h2>/g, '</h3>');
}
