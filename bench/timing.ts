/**
 * Can the response time of POST /leads tell whether an email is known? Posts known emails (repeat
 * posts), new emails and honeypot posts (a bot's, stored nothing) in a shuffled order, one at a time,
 * through the real local runtime over a socket, and prints p50/p90 per kind and the accuracy of the best
 * single time threshold that separates two kinds (50% = a coin toss; issue 8 measured 96.7% before).
 * Prints figures; never asserts (ADR 0010).
 *   npx tsx bench/timing.ts [--posts N] [--workflows run|record]     (npm run bench:timing)
 *
 * --workflows run (default) is `npm start`: the local Step Functions run each lead's workflow in the same
 * process; record only records the workflow calls (the API on its own, less noise).
 */
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { parseSla } from '../lambdas/domain/sla-file.ts';
import { startLocalRuntime } from '../local/runtime.ts';

const { values: args } = parseArgs({
  options: {
    posts: { type: 'string', default: '300' },
    warmup: { type: 'string', default: '150' },
    workflows: { type: 'string', default: 'run' },
  },
});
const POSTS_PER_KIND = Number(args.posts);
const WARMUP = Number(args.warmup);
const WORKFLOWS = args.workflows === 'record' ? 'record' : 'run';
const KINDS = ['known', 'new', 'honeypot'] as const;
type Kind = (typeof KINDS)[number];

const parsed = parseSla(readFileSync('sla/default.yaml', 'utf8'));
if (!parsed.ok) {
  console.error('sla/default.yaml does not parse:', parsed.errors);
  process.exit(1);
}

/** A realistic form post (a plant manager's demo request) with its own email; a bot fills the honeypot. */
function body(email: string, bot = false): string {
  return new URLSearchParams({
    email,
    firstName: 'Petra',
    lastName: 'Schneider',
    company: 'Brauhaus Werke GmbH',
    jobTitle: 'Plant Manager',
    country: 'DE',
    employees: '850',
    industry: 'food-and-beverage',
    message: 'We are replacing two compressor lines in Q2 and would like a demo.',
    marketingConsent: 'on',
    formId: 'demo-request',
    ...(bot ? { _gotcha: 'http://spam.example' } : {}),
  }).toString();
}

const run = Math.random().toString(36).slice(2, 8);
let emails = 0;
const freshEmail = () => `timing.${run}.${++emails}@brauhaus-werke.example`;

const runtime = await startLocalRuntime({
  sla: parsed.sla,
  port: 0,
  workflows: WORKFLOWS,
  rateLimit: { perMinute: 1_000_000, burst: 1_000_000 },
});

async function post(email: string, bot = false): Promise<number> {
  const started = performance.now();
  const response = await fetch(`${runtime.url}/leads`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: body(email, bot),
  });
  await response.arrayBuffer();
  const took = performance.now() - started;
  if (response.status !== 202) throw new Error(`POST /leads answered ${response.status}`);
  return took;
}

try {
  // the known emails, posted once before the measured run
  const known = Array.from({ length: POSTS_PER_KIND }, freshEmail);
  for (const email of known) await post(email);
  // warm up: connections, JIT, and whatever the route learns from recent posts
  for (let i = 0; i < WARMUP; i++)
    await post(i % 3 === 0 ? known[i % known.length]! : freshEmail(), i % 3 === 2);

  const order = shuffled(KINDS.flatMap((kind) => Array<Kind>(POSTS_PER_KIND).fill(kind)));
  const times: Record<Kind, number[]> = { known: [], new: [], honeypot: [] };
  let nextKnown = 0;
  for (const kind of order) {
    const email = kind === 'known' ? known[nextKnown++]! : freshEmail();
    times[kind].push(await post(email, kind === 'honeypot'));
  }

  console.log(
    `POST /leads timing: ${POSTS_PER_KIND} posts per kind, shuffled, one at a time, workflows: ${WORKFLOWS}`,
  );
  console.log('kind        p50 ms   p90 ms   p99 ms');
  for (const kind of KINDS) {
    const sorted = [...times[kind]].sort((a, b) => a - b);
    console.log(
      `${kind.padEnd(10)} ${fmt(quantile(sorted, 0.5))} ${fmt(quantile(sorted, 0.9))} ${fmt(quantile(sorted, 0.99))}`,
    );
  }
  console.log('best single-threshold accuracy (50% = a coin toss):');
  const pairs: [string, number[], number[]][] = [
    ['known vs new', times.known, times.new],
    ['known vs honeypot', times.known, times.honeypot],
    ['new vs honeypot', times.new, times.honeypot],
    ['known vs new or honeypot (balanced)', times.known, balancedOthers(times)],
  ];
  for (const [name, a, b] of pairs)
    console.log(`  ${name.padEnd(38)} ${(100 * bestThreshold(a, b)).toFixed(1)}%`);
  // what pure chance scores with this many samples: two random sets of posts of every kind mixed
  const pooled = shuffled(KINDS.flatMap((kind) => times[kind]));
  const noise = bestThreshold(
    pooled.slice(0, POSTS_PER_KIND),
    pooled.slice(POSTS_PER_KIND, 2 * POSTS_PER_KIND),
  );
  console.log(`  ${'noise: two random sets of mixed posts'.padEnd(38)} ${(100 * noise).toFixed(1)}%`);
} finally {
  await runtime.settle();
  await runtime.close();
}

function shuffled<T>(items: readonly T[]): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

function fmt(ms: number): string {
  return ms.toFixed(1).padStart(8);
}

function quantile(sorted: readonly number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;
}

/** As many "not known" samples as known ones, alternately new and honeypot (spread over the whole run). */
function balancedOthers(times: Record<Kind, number[]>): number[] {
  const others = times.new.map((ms, i) => (i % 2 === 0 ? ms : (times.honeypot[i] ?? ms)));
  return others.slice(0, times.known.length);
}

/**
 * The best accuracy of one threshold t classifying "a if slower than t" (or "a if faster"), over equally
 * many samples of a and b (the longer one cut), so always guessing one kind scores 50%.
 */
function bestThreshold(aAll: readonly number[], bAll: readonly number[]): number {
  const n = Math.min(aAll.length, bAll.length);
  const all = [
    ...aAll.slice(0, n).map((ms) => ({ ms, a: true })),
    ...bAll.slice(0, n).map((ms) => ({ ms, a: false })),
  ].sort((x, y) => x.ms - y.ms);
  // threshold below everything: all called "a" when slower -> n of 2n right
  let aAbove = n;
  let bBelow = 0;
  let best = 0.5;
  for (let i = 0; i < all.length; i++) {
    if (all[i]!.a) aAbove--;
    else bBelow++;
    if (i + 1 < all.length && all[i + 1]!.ms === all[i]!.ms) continue;
    const right = (aAbove + bBelow) / (2 * n);
    best = Math.max(best, right, 1 - right);
  }
  return best;
}
