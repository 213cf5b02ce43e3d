/**
 * How fast one lead is judged (type, persona, fit, engagement with decay, journey, thresholds)
 * against sla/default.yaml, with 50 varied events per lead. Prints figures; never asserts.
 *   npx tsx bench/score.ts
 */
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { judgeLead } from '../lambdas/domain/judge.ts';
import type { EngagementEvent, LeadInput } from '../lambdas/domain/lead.ts';
import { parseSla } from '../lambdas/domain/sla-file.ts';
import { seededRandom } from './seeded-random.ts';

const TARGET_PER_SECOND = 20_000;
const EVENTS_PER_LEAD = 50;
const LEADS = 64;
const AT = new Date('2026-03-02T10:00:00.000Z');
const DAY = 86_400_000;

const parsed = parseSla(readFileSync('sla/default.yaml', 'utf8'));
if (!parsed.ok) {
  console.error('sla/default.yaml does not parse:', parsed.errors);
  process.exit(1);
}
const sla = parsed.sla;

const EVENT_KINDS: readonly Omit<EngagementEvent, 'occurredAt'>[] = [
  { type: 'page_view', properties: { path: '/products/compressors' } },
  { type: 'page_view', properties: { path: '/blog/leak-detection' }, contentTags: ['blog'] },
  { type: 'email_open' },
  { type: 'email_click', properties: { campaign: 'spring-2026' } },
  { type: 'content_download', contentTags: ['case-study', 'chemicals'] },
  { type: 'content_download', contentTags: ['spec-sheet'] },
  { type: 'webinar_attended', contentTags: ['energy-savings'] },
  { type: 'pricing_page_view' },
  { type: 'form_submission', properties: { formId: 'contact' } },
  { type: 'demo_request' },
  { type: 'unsubscribe' },
];
const TITLES = ['Plant Manager', 'Maintenance Engineer', 'Head of Purchasing', 'CFO', 'Student', 'IT Admin'];
const INDUSTRIES = ['chemicals', 'automotive', 'pharma', 'retail', 'mining'];
const COUNTRIES = ['DE', 'US', 'FR', 'JP', 'SE', 'BR'];
const DOMAINS = [
  'hofmann-chemie.de',
  'acme-plant.example',
  'gmail.com',
  'eu.lakeshore-foods.com',
  'mill.example',
];
const INTERESTS = ['compressors', 'maintenance', 'pumps', 'spare-parts'];

function makeLead(seed: number): LeadInput {
  const next = seededRandom(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)]!;
  // chronological, as the store returns them, over a year; forms, demos and unsubscribes are rarer
  const ages = Array.from({ length: EVENTS_PER_LEAD }, () => next() * 365 * DAY).sort((a, b) => b - a);
  const events = ages.map((age, i): EngagementEvent => {
    const kind = next() < 0.95 ? pick(EVENT_KINDS.slice(0, 8)) : pick(EVENT_KINDS);
    return { eventId: `e${seed}-${i}`, occurredAt: new Date(AT.getTime() - age).toISOString(), ...kind };
  });
  return {
    email: `lead${seed}@${pick(DOMAINS)}`,
    fields: {
      firstName: 'Alex',
      jobTitle: pick(TITLES),
      department: next() < 0.5 ? 'Operations' : 'Engineering',
      company: `Plant ${seed}`,
      country: pick(COUNTRIES),
      industry: pick(INDUSTRIES),
      employees: String(Math.floor(next() * 8000)),
      revenue: Math.floor(next() * 80_000_000),
      interest: pick(INTERESTS),
      formId: next() < 0.2 ? 'newsletter' : 'contact',
    },
    events,
  };
}

const leads = Array.from({ length: LEADS }, (_, i) => makeLead(i + 1));
let sink = 0;

function run(durationMs: number): { count: number; elapsedMs: number } {
  const start = performance.now();
  let count = 0;
  let elapsedMs = 0;
  while (elapsedMs < durationMs) {
    for (let i = 0; i < 1_000; i++) {
      sink += judgeLead(sla, leads[count % LEADS]!, AT).totalScore;
      count++;
    }
    elapsedMs = performance.now() - start;
  }
  return { count, elapsedMs };
}

run(500); // warm up: JIT and the per-SLA compiled rules
// ten slices of ~0.2 s: the total, and the median slice, which shrugs off a noisy neighbour
const slices = Array.from({ length: 10 }, () => run(200));
const count = slices.reduce((sum, slice) => sum + slice.count, 0);
const elapsedMs = slices.reduce((sum, slice) => sum + slice.elapsedMs, 0);
const perSecond = (count / elapsedMs) * 1_000;
const sliceRates = slices.map((slice) => (slice.count / slice.elapsedMs) * 1_000).sort((a, b) => a - b);
const median = (sliceRates[4]! + sliceRates[5]!) / 2;

const stages = new Map<string, number>();
for (const lead of leads) {
  const stage = judgeLead(sla, lead, AT).qualifiesAs;
  stages.set(stage, (stages.get(stage) ?? 0) + 1);
}
const rate = (n: number) => Math.round(n).toLocaleString('en-US');

console.log(`judgeLead, SLA ${sla.version}, ${EVENTS_PER_LEAD} events per lead, ${LEADS} distinct leads`);
console.log(`  ${count.toLocaleString('en-US')} leads in ${(elapsedMs / 1_000).toFixed(2)} s`);
console.log(`  ${rate(perSecond)} leads/s, ${((elapsedMs * 1_000) / count).toFixed(1)} µs per lead`);
console.log(`  ${(perSecond / TARGET_PER_SECOND).toFixed(2)}x the ${rate(TARGET_PER_SECOND)}/s target`);
console.log(
  `  slices: median ${rate(median)}/s, slowest ${rate(sliceRates[0]!)}/s, fastest ${rate(sliceRates.at(-1)!)}/s`,
);
console.log(
  `  qualifies as: ${[...stages].map(([stage, n]) => `${stage} ${n}`).join(', ')} (checksum ${Math.round(sink)})`,
);
