/**
 * An adversarial crash run of `leadpact dev --data DIR`: a mixed workload (new hot leads, newsletter and guide
 * leads with consent, re-posts of known addresses, engagement events with demo requests and page views, sales
 * updates as a rep or a CRM makes them, consent and unsubscribe links from the inbox, requests that must be
 * refused), SIGKILLs of the runtime at random moments (mid-burst, during its start-up repair), restarts on the
 * same data, then SLA time run fast until every clock of the SLA has passed. Then it checks what "no lead
 * slips" means against the API, the SES emulator's inbox and the store, and prints figures and violations.
 * Asserts nothing (bench/): the exit code is 0 whatever it finds.
 *
 *   npx tsx bench/chaos.ts [--rounds 6] [--seed 1] [--leads-per-round 70] [--speed 1800]
 *                          [--drain-speed 36000] [--drain-days 45] [--port 4100] [--mail-port 4101]
 *   (npm run bench:chaos)
 *
 * The runtime runs as a child process (`node bin/leadpact-cli.js dev`, what `npm start` runs, so a SIGKILL
 * kills the runtime itself); the SES emulator runs in this process (`--mail-endpoint`), so the emails of every
 * run are read together. Traffic goes to 127.0.0.1 only; the public posts come from many loopback source
 * addresses (127.0.1.x), as many visitors, so the per-address rate limit of the public routes stays out of it.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { STOP_DRAIN_MS } from '../bin/commands/dev.ts';
import { openLocalStore } from '../bin/commands/local-store.ts';
import { addDuration, repCalendar } from '../lambdas/domain/business-hours.ts';
import { planNext } from '../lambdas/domain/lead-plan.ts';
import { typePath } from '../lambdas/domain/lead-type.ts';
import { parseSla } from '../lambdas/domain/sla-file.ts';
import { type StoredEmail, startSesEmulator } from '../local/ses.ts';
import { seededRandom } from './seeded-random.ts';

const { values: flags } = parseArgs({
  options: {
    rounds: { type: 'string', default: '6' },
    seed: { type: 'string', default: '1' },
    'leads-per-round': { type: 'string', default: '70' },
    speed: { type: 'string', default: '1800' },
    'drain-speed': { type: 'string', default: '36000' },
    'drain-days': { type: 'string', default: '45' },
    port: { type: 'string', default: '4100' },
    'mail-port': { type: 'string', default: '4101' },
    /** SES's send rate, emails a second (14 on a new production account): sends over it are refused */
    'mail-rate': { type: 'string' },
    data: { type: 'string' },
    keep: { type: 'boolean', default: false },
  },
});
const ROUNDS = Number(flags.rounds);
const SPEED = Number(flags.speed);
const DRAIN_SPEED = Number(flags['drain-speed']);
const DRAIN_DAYS = Number(flags['drain-days']);
const PER_ROUND = Number(flags['leads-per-round']);
const PORT = Number(flags.port);
const TOKEN = 'chaos-admin-token-7f3e1a';
const random = seededRandom(Number(flags.seed));
const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
const chance = (p: number) => random() < p;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

const slaParsed = parseSla(readFileSync(new URL('../sla/default.yaml', import.meta.url), 'utf8'));
if (!slaParsed.ok) throw new Error('sla/default.yaml does not parse');
const sla = slaParsed.sla;

// ---------- HTTP: node:http so each visitor posts from its own loopback address ----------

interface Answer {
  readonly status: number;
  readonly body: string;
  json<T = Record<string, unknown>>(): T;
}

let down = false;
const figures = {
  requests: 0,
  refusedWhileDown: 0,
  connectionErrors: 0,
  byStatus: new Map<number, number>(),
  refusals: new Map<string, number>(),
  fiveXx: [] as { route: string; status: number; body: string; round: number }[],
};
let round = 0;

function call(
  method: string,
  path: string,
  options: {
    json?: unknown;
    form?: Record<string, string>;
    auth?: boolean;
    from?: string;
    headers?: Record<string, string>;
  } = {},
): Promise<Answer | undefined> {
  const headers: Record<string, string> = { accept: 'application/json', ...(options.headers ?? {}) };
  let body: string | undefined;
  if (options.json !== undefined) {
    body = JSON.stringify(options.json);
    headers['content-type'] = 'application/json';
  } else if (options.form) {
    body = new URLSearchParams(options.form).toString();
    headers['content-type'] = 'application/x-www-form-urlencoded';
  }
  if (options.auth) headers.authorization = `Bearer ${TOKEN}`;
  if (body !== undefined) headers['content-length'] = String(Buffer.byteLength(body));
  figures.requests++;
  return new Promise((resolve) => {
    const req = httpRequest(
      {
        host: '127.0.0.1',
        port: PORT,
        method,
        path,
        headers,
        localAddress: options.from,
        agent: false,
        timeout: 60_000,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          const status = res.statusCode ?? 0;
          figures.byStatus.set(status, (figures.byStatus.get(status) ?? 0) + 1);
          if (status >= 400 && status < 500) {
            const code = /"code":"([a-z_]+)"/.exec(text)?.[1] ?? 'html';
            const key = `${status} ${code}`;
            figures.refusals.set(key, (figures.refusals.get(key) ?? 0) + 1);
          }
          if (status >= 500)
            figures.fiveXx.push({
              route: `${method} ${path.replace(/\/leads\/[^/?]+/, '/leads/{id}').replace(/\/(actions|consent|unsubscribe)\/.*/, '/$1/{token}')}`,
              status,
              body: text.slice(0, 300),
              round,
            });
          resolve({ status, body: text, json: <T>() => JSON.parse(text) as T });
        });
        res.on('error', () => {
          figures.connectionErrors++;
          resolve(undefined);
        });
      },
    );
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', () => {
      if (down) figures.refusedWhileDown++;
      else figures.connectionErrors++;
      resolve(undefined);
    });
    if (body !== undefined) req.write(body);
    req.end();
  });
}

// ---------- the runtime as a child process ----------

interface Running {
  readonly child: ChildProcess;
  readonly exited: Promise<void>;
  log: string;
}

async function startRuntime(dataDir: string, speed: number, mailEndpoint: string): Promise<Running> {
  const child = spawn(
    process.execPath,
    [
      'bin/leadpact-cli.js',
      'dev',
      '--port',
      String(PORT),
      '--data',
      dataDir,
      '--speed',
      String(speed),
      '--mail-endpoint',
      mailEndpoint,
    ],
    { env: { ...process.env, LEADPACT_ADMIN_TOKEN: TOKEN }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const running: Running = {
    child,
    exited: new Promise<void>((resolve) => child.once('exit', () => resolve())),
    log: '',
  };
  const keep = (chunk: Buffer) => {
    running.log += chunk;
    if (running.log.length > 2_000_000) running.log = running.log.slice(-1_000_000);
  };
  child.stderr!.on('data', keep);
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the runtime did not start:\n${running.log}`)), 60_000);
    child.stdout!.on('data', (chunk: Buffer) => {
      keep(chunk);
      if (/API\s+http:\/\/127\.0\.0\.1:\d+/.test(running.log)) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.once('exit', (code) => reject(new Error(`the runtime exited (${code}):\n${running.log}`)));
  });
  down = false;
  return running;
}

const logs: string[] = [];
/**
 * How long before a send a stop may have come and still be the reason for its copy: a SIGTERM lets a task at work
 * finish its round for up to STOP_DRAIN_MS (a send waiting for SES's rate goes out then, its mark may not), and
 * the emulator records whole seconds
 */
const STOP_SLACK_MS = STOP_DRAIN_MS + 1000;
/** the stop nearest to a real time, as a violation names it: when, and how far from that time */
function nearestStop(atMs: number): string {
  const [nearest] = [...stops].sort((a, b) => Math.abs(a - atMs) - Math.abs(b - atMs));
  return nearest === undefined
    ? 'none'
    : `${new Date(nearest).toISOString()} (${((nearest - atMs) / 1000).toFixed(1)} s from the first)`;
}
/** real times of every stop (SIGKILL or SIGTERM): a stop cuts off a task at work, as a kill does (runtime.ts close) */
const stops: number[] = [];
async function kill(running: Running, signal: NodeJS.Signals): Promise<void> {
  down = true;
  stops.push(Date.now());
  running.child.kill(signal);
  await running.exited;
  logs.push(running.log);
}

async function slaNow(): Promise<Date | undefined> {
  const answer = await call('GET', '/health');
  if (answer?.status !== 200) return undefined;
  return new Date(answer.json<{ time: string }>().time);
}

// ---------- the workload ----------

type Kind = 'hot' | 'warm' | 'newsletter';
interface Lead {
  readonly n: number;
  readonly kind: Kind;
  readonly email: string;
  readonly firstName: string;
  readonly lastName: string;
  leadId?: string;
  /** asked for a demo (a demo-request post or a demo_request event) in a request that was answered 2xx */
  demoAsked: boolean;
  /** a demo request whose answer was lost (a kill): it may have landed */
  demoMaybe: boolean;
  /** sales changes answered 2xx, in order */
  sales: string[];
  /** sales changes whose answer was lost */
  salesMaybe: number;
  consentConfirmed: boolean;
  unsubscribed: boolean;
  /** refused requests' markers that must not be stored */
  refusedEventIds: string[];
  refusedAttemptIds: string[];
}

const leads: Lead[] = [];
/** posts of a new lead that got no answer (a kill) and stored it all the same */
let unansweredStored = 0;
const byId = new Map<string, Lead>();
const counts = {
  posts: 0,
  reposts: 0,
  events: 0,
  demoEvents: 0,
  sales: 0,
  links: 0,
  refusedSent: 0,
  pileOns: 0,
  refusedAnswered4xx: 0,
  refusedNot4xx: [] as string[],
};

const visitor = (n: number) => `127.0.1.${(n % 250) + 1}`;

function leadBody(lead: Lead, formId: string): Record<string, unknown> {
  const base = { email: lead.email, firstName: lead.firstName, lastName: lead.lastName };
  if (lead.kind === 'newsletter')
    return {
      ...base,
      company: 'Chaos Garage',
      jobTitle: 'Maintenance Technician',
      country: 'US',
      employees: 12,
      industry: 'retail',
      marketingConsent: true,
      formId,
    };
  return {
    ...base,
    company: `Chaos Plant ${lead.n}`,
    jobTitle: 'Plant Manager',
    department: 'operations',
    country: pick(['DE', 'AT', 'US', 'FR']),
    employees: 850,
    revenue: 140_000_000,
    industry: 'food-and-beverage',
    interest: 'compressors',
    marketingConsent: chance(0.7),
    formId,
  };
}

async function postLead(lead: Lead, formId: string, asForm: boolean): Promise<void> {
  const body = leadBody(lead, formId);
  const answer = asForm
    ? await call('POST', '/leads', {
        form: Object.fromEntries(Object.entries(body).map(([k, v]) => [k, String(v)])),
        from: visitor(lead.n),
      })
    : await call('POST', '/leads', { json: body, from: visitor(lead.n) });
  if (formId === 'demo-request') {
    if (answer?.status === 202) lead.demoAsked = true;
    else lead.demoMaybe = true;
  }
  if (answer?.status === 202) {
    const { leadId } = answer.json<{ leadId: string }>();
    if (lead.leadId && lead.leadId !== leadId) throw new Error(`lead ${lead.email}: id changed`);
    lead.leadId = leadId;
    byId.set(leadId, lead);
  }
}

async function newLead(): Promise<void> {
  const n = leads.length;
  const kind: Kind = random() < 0.4 ? 'hot' : random() < 0.5 ? 'warm' : 'newsletter';
  const lead: Lead = {
    n,
    kind,
    email: `chaos.${n}@${kind === 'newsletter' ? 'gmail.com' : `plant${n}.example`}`,
    firstName: `Cx${n}`,
    lastName: `Chaos${kind}`,
    demoAsked: false,
    demoMaybe: false,
    sales: [],
    salesMaybe: 0,
    consentConfirmed: false,
    unsubscribed: false,
    refusedEventIds: [],
    refusedAttemptIds: [],
  };
  leads.push(lead);
  counts.posts++;
  const form = kind === 'hot' ? 'demo-request' : kind === 'warm' ? 'efficiency-guide' : 'newsletter';
  await postLead(lead, form, chance(0.4));
}

async function repost(): Promise<void> {
  const lead = pick(leads.filter((candidate) => candidate.leadId));
  if (!lead) return;
  counts.reposts++;
  // a warm lead comes back for a demo; others post their own form again
  const form =
    lead.kind === 'warm' && chance(0.5)
      ? 'demo-request'
      : lead.kind === 'hot'
        ? 'demo-request'
        : lead.kind === 'warm'
          ? 'case-study-download'
          : 'newsletter';
  await postLead(lead, form, chance(0.5));
}

let eventSeq = 0;
async function events(chosen?: Lead): Promise<void> {
  const lead = chosen ?? pick(leads.filter((candidate) => candidate.leadId));
  if (!lead?.leadId) return;
  counts.events++;
  const demo = lead.kind === 'warm' && chance(0.35);
  const now = (await slaNow()) ?? new Date();
  const at = new Date(now.getTime() - 60_000).toISOString();
  const list = demo
    ? [{ eventId: `chaos-${eventSeq++}`, type: 'demo_request', occurredAt: at }]
    : Array.from({ length: 1 + Math.floor(random() * 3) }, () => ({
        eventId: `chaos-${eventSeq++}`,
        type: 'page_view',
        occurredAt: at,
        properties: { path: pick(['/blog/air-leaks', '/guides/compressed-air', '/pumps']) },
      }));
  if (demo) counts.demoEvents++;
  const answer = await call('POST', `/leads/${lead.leadId}/events`, { json: { events: list }, auth: true });
  if (demo) {
    if (answer?.status === 200) lead.demoAsked = true;
    else lead.demoMaybe = true;
  }
}

/** a sales change as a rep or a CRM makes it, on a lead the API says a rep owns */
async function salesUpdate(chosen?: Lead): Promise<void> {
  const candidates = leads.filter((lead) => lead.leadId && (lead.demoAsked || lead.demoMaybe));
  // half of the demo requesters are never touched: their reps are reminded, escalated, reassigned
  const lead = chosen ?? pick(candidates.filter((candidate) => candidate.n % 2 === 0));
  if (!lead?.leadId) return;
  const view = await call('GET', `/leads/${lead.leadId}`, { auth: true });
  if (view?.status !== 200) return;
  const state = view.json<{
    owner: { id: string } | null;
    lifecycleStage: string;
    deal: { stageId: string } | null;
  }>();
  if (!state.owner) return;
  counts.sales++;
  const key = `chaos-sales-${counts.sales}`;
  let change: { method: string; path: string; json: unknown; label: string };
  const roll = random();
  if (state.deal) {
    const next: Record<string, string[]> = {
      discovery: ['quote-development', 'on-hold', 'closed-lost', 'closed-won'],
      'quote-development': ['quote-presented', 'closed-lost'],
      'quote-presented': ['closed-won', 'closed-lost', 'on-hold'],
      'on-hold': ['discovery', 'closed-lost'],
    };
    const stage = pick(next[state.deal.stageId] ?? ['discovery']);
    change = {
      method: 'PUT',
      path: `/leads/${lead.leadId}/deal`,
      json: { stage, amount: 48_000 },
      label: `deal:${stage}`,
    };
  } else if (roll < 0.45) {
    const outcome = pick(['no-answer', 'voicemail', 'connected', 'meeting-booked', 'no-answer']);
    change = {
      method: 'POST',
      path: `/leads/${lead.leadId}/attempts`,
      json: { outcome, channel: 'phone', attemptId: key },
      label: `attempt:${outcome}`,
    };
  } else if (roll < 0.8) {
    change = {
      method: 'PUT',
      path: `/leads/${lead.leadId}/deal`,
      json: { stage: 'discovery', amount: 30_000 },
      label: 'deal:discovery',
    };
  } else {
    const status = pick(['connected', 'bad-timing', 'recycled-not-ready']);
    change = {
      method: 'PATCH',
      path: `/leads/${lead.leadId}/status`,
      json: { status },
      label: `status:${status}`,
    };
  }
  const answer = await call(change.method, change.path, {
    json: change.json,
    auth: true,
    headers: { 'idempotency-key': key },
  });
  if (answer && answer.status < 300) lead.sales.push(change.label);
  else if (!answer) lead.salesMaybe++;
}

/** everything at once on one lead a rep works: a re-post, events, two sales changes */
async function pileOn(): Promise<void> {
  const lead = pick(
    leads.filter(
      (candidate) =>
        candidate.leadId && candidate.n % 2 === 0 && (candidate.demoAsked || candidate.demoMaybe),
    ),
  );
  if (!lead) return;
  counts.pileOns++;
  await Promise.all([
    postLead(lead, 'demo-request', chance(0.5)),
    events(lead),
    salesUpdate(lead),
    salesUpdate(lead),
  ]);
}

/** requests that must be refused, and leave nothing behind */
async function refused(): Promise<void> {
  const lead = pick(leads.filter((candidate) => candidate.leadId));
  counts.refusedSent++;
  const roll = random();
  let answer: Answer | undefined;
  let what: string;
  if (roll < 0.3 || !lead?.leadId) {
    what = 'POST /leads bad email';
    answer = await call('POST', '/leads', {
      json: {
        email: `not-an-email-${counts.refusedSent}`,
        firstName: 'Refused',
        lastName: `Zzrefused${counts.refusedSent}`,
      },
      from: visitor(counts.refusedSent),
    });
  } else if (roll < 0.65) {
    what = 'POST events bad type';
    const good = `chaos-refused-${counts.refusedSent}-a`;
    const bad = `chaos-refused-${counts.refusedSent}-b`;
    lead.refusedEventIds.push(good, bad);
    answer = await call('POST', `/leads/${lead.leadId}/events`, {
      json: {
        events: [
          { eventId: good, type: 'page_view', occurredAt: new Date(Date.now() - DAY).toISOString() },
          { eventId: bad, type: 'Bad Type!', occurredAt: new Date().toISOString() },
        ],
      },
      auth: true,
    });
  } else {
    what = 'POST attempts unknown outcome';
    const attemptId = `chaos-refused-${counts.refusedSent}`;
    lead.refusedAttemptIds.push(attemptId);
    answer = await call('POST', `/leads/${lead.leadId}/attempts`, {
      json: { outcome: 'teleported', attemptId },
      auth: true,
    });
  }
  if (answer) {
    if (answer.status >= 400 && answer.status < 500) counts.refusedAnswered4xx++;
    else counts.refusedNot4xx.push(`${what}: ${answer.status} ${answer.body.slice(0, 120)}`);
  }
}

/** consent confirmations and unsubscribes, pressed from the emails in the inbox */
const pressed = new Set<string>();
async function pressLinks(emails: readonly StoredEmail[]): Promise<void> {
  for (const email of emails) {
    const text = email.body.text ?? '';
    const consent = /(http:\/\/127\.0\.0\.1:\d+\/consent\/\S+)/.exec(text)?.[1];
    const unsubscribe = /(http:\/\/127\.0\.0\.1:\d+\/unsubscribe\/\S+)/.exec(text)?.[1];
    const to = email.destination.to[0] ?? '';
    const lead = leads.find((candidate) => candidate.email === to);
    if (!lead) continue;
    for (const [url, kind] of [
      [consent, 'consent'],
      [unsubscribe, 'unsubscribe'],
    ] as const) {
      if (!url || pressed.has(url)) continue;
      // confirm most consents; unsubscribe from a fifth of the nurture emails
      if (kind === 'consent' && lead.n % 5 === 4) continue;
      if (kind === 'unsubscribe' && lead.n % 5 !== 1) continue;
      pressed.add(url);
      counts.links++;
      const path = new URL(url).pathname;
      const answer = await call('POST', path, {
        form: kind === 'unsubscribe' ? { 'List-Unsubscribe': 'One-Click' } : {},
        from: visitor(lead.n),
      });
      if (answer?.status === 200) {
        if (kind === 'consent') lead.consentConfirmed = true;
        else lead.unsubscribed = true;
      } else if (!answer || answer.status >= 500) pressed.delete(url);
    }
  }
}

/** One round of traffic: bursts of concurrent requests of every kind, until `stop`. */
async function traffic(
  until: () => boolean,
  target: number,
  readInbox: () => Promise<StoredEmail[]>,
): Promise<void> {
  let made = 0;
  while (!until()) {
    const burst = 4 + Math.floor(random() * 12);
    const work: Promise<void>[] = [];
    for (let i = 0; i < burst; i++) {
      const roll = random();
      if (made < target && (roll < 0.45 || leads.length < 5)) {
        made++;
        work.push(newLead());
      } else if (roll < 0.55) work.push(repost());
      else if (roll < 0.72) work.push(events());
      else if (roll < 0.88) work.push(salesUpdate());
      else if (roll < 0.93) work.push(pileOn());
      else work.push(refused());
    }
    if (chance(0.3)) work.push(readInbox().then(pressLinks, () => undefined));
    await Promise.all(work);
    await sleep(random() * 400);
  }
}

// ---------- the run ----------

/** a stretch of SLA time the runtime was up for, at its speed; the gaps between are restarts (the clock jumps) */
interface UpSegment {
  readonly from: number;
  readonly to: number;
  readonly speed: number;
}
const segments: UpSegment[] = [];

/** real seconds of run time between two SLA times: the stretches the runtime was up, each at its speed */
function realSecondsBetween(from: number, to: number): number {
  let seconds = 0;
  for (const segment of segments) {
    const overlap = Math.min(to, segment.to) - Math.max(from, segment.from);
    if (overlap > 0) seconds += overlap / 1000 / segment.speed;
  }
  return seconds;
}

interface KillRecord {
  readonly round: number;
  readonly atMs: number;
  readonly afterStartMs: number;
  readonly requestsInFlight: number;
}

async function main(): Promise<void> {
  const dataDir = flags.data ?? (await mkdtemp(join(tmpdir(), 'leadpact-chaos-')));
  const mail = await startSesEmulator({
    port: Number(flags['mail-port']),
    ...(flags['mail-rate'] ? { sendRate: Number(flags['mail-rate']) } : {}),
  });
  const inbox = () => mail.messages();
  const kills: KillRecord[] = [];
  const started = Date.now();
  const out = (line: string) => console.log(`[${((Date.now() - started) / 1000).toFixed(1)} s] ${line}`);
  try {
    // 0. move SLA time to a Monday morning (the wall clock may be on a weekend), then stop cleanly
    {
      const warm = await startRuntime(dataDir, 36_000, mail.endpoint);
      for (;;) {
        const now = await slaNow();
        if (!now) break;
        const berlin = new Intl.DateTimeFormat('en-GB', {
          timeZone: 'Europe/Berlin',
          weekday: 'short',
          hour: 'numeric',
          hourCycle: 'h23',
        }).formatToParts(now);
        const day = berlin.find((part) => part.type === 'weekday')?.value;
        const hour = Number(berlin.find((part) => part.type === 'hour')?.value);
        if (day && !['Sat', 'Sun', 'Fri'].includes(day) && hour >= 8 && hour < 10) break;
        await sleep(20);
      }
      out(`SLA time moved to ${(await slaNow())?.toISOString()}`);
      await kill(warm, 'SIGTERM');
    }

    // 1. rounds of traffic, each ended by a SIGKILL at a random moment
    for (round = 1; round <= ROUNDS; round++) {
      if (round % 4 === 0) {
        // a kill before the API is up: while the store opens, the start-up repairs, the reconciler resumes
        const child = spawn(
          process.execPath,
          [
            'bin/leadpact-cli.js',
            'dev',
            '--port',
            String(PORT),
            '--data',
            dataDir,
            '--speed',
            String(SPEED),
            '--mail-endpoint',
            mail.endpoint,
          ],
          {
            env: { ...process.env, LEADPACT_ADMIN_TOKEN: TOKEN },
            stdio: 'ignore',
          },
        );
        const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
        const afterMs = 300 + random() * 3000;
        await sleep(afterMs);
        stops.push(Date.now());
        kills.push({ round, atMs: Date.now(), afterStartMs: -afterMs, requestsInFlight: 0 });
        child.kill('SIGKILL');
        await exited;
        out(`round ${round}: killed ${(afterMs / 1000).toFixed(1)} s after its spawn`);
      }
      const runtime = await startRuntime(dataDir, SPEED, mail.endpoint);
      const startedAt = Date.now();
      const slaStart = await slaNow();
      // every third round dies during its start-up (the reconciler resuming, the crash repair)
      const lifeMs = round % 3 === 0 ? 300 + random() * 1500 : 4000 + random() * 9000;
      const inFlightBefore = figures.requests;
      const traffic$ = traffic(() => down, PER_ROUND, inbox);
      await sleep(lifeMs);
      kills.push({
        round,
        atMs: Date.now(),
        afterStartMs: Date.now() - startedAt,
        requestsInFlight: figures.requests - inFlightBefore,
      });
      const slaKill = await slaNow();
      await kill(runtime, 'SIGKILL');
      if (slaStart && slaKill)
        segments.push({ from: slaStart.getTime(), to: slaKill.getTime(), speed: SPEED });
      await traffic$;
      out(
        `round ${round}: SLA time ${slaStart?.toISOString()} to ${slaKill?.toISOString()}, killed after ${(Date.now() - startedAt) / 1000} s; leads ${leads.length}, accepted ${byId.size}`,
      );
    }

    // 2. a last start that stays up: a little more traffic, then SLA time runs on until every clock has passed
    let runtime = await startRuntime(dataDir, SPEED, mail.endpoint);
    const calmFrom = await slaNow();
    const calm = Date.now() + 8000;
    await traffic(() => Date.now() > calm, PER_ROUND / 2, inbox);
    await pressLinks(await inbox());
    const calmTo = await slaNow();
    await kill(runtime, 'SIGTERM');
    if (calmFrom && calmTo) segments.push({ from: calmFrom.getTime(), to: calmTo.getTime(), speed: SPEED });
    runtime = await startRuntime(dataDir, DRAIN_SPEED, mail.endpoint);
    const drainFrom = (await slaNow())!;
    const drainUntil = new Date(drainFrom.getTime() + DRAIN_DAYS * DAY);
    out(
      `draining SLA time from ${drainFrom.toISOString()} to ${drainUntil.toISOString()} at ${DRAIN_SPEED}x`,
    );
    const overdueSeen = new Map<string, number>();
    for (;;) {
      const now = await slaNow();
      if (!now || now > drainUntil) break;
      await pressLinks(await inbox());
      // anything the SLA says is due and left undone: the escalation ladder's next rung past due
      for (const lead of leads) {
        if (!lead.leadId || !chance(0.15)) continue;
        const view = await call('GET', `/leads/${lead.leadId}`, { auth: true });
        if (view?.status !== 200) continue;
        const due = view.json<{ sla: { escalation: { next: { dueAt: string } | null } | null } }>().sla
          ?.escalation?.next?.dueAt;
        const at = await slaNow();
        if (due && at && Date.parse(due) > drainFrom.getTime()) {
          // real seconds a rung due during the drain has waited
          const late = (at.getTime() - Date.parse(due)) / 1000 / DRAIN_SPEED;
          if (late > (overdueSeen.get(lead.leadId) ?? 0)) overdueSeen.set(lead.leadId, late);
        }
      }
      await sleep(500);
    }
    // a new lead whose post got no answer (a kill) may be stored: find it by its name, and hold it to the same rules
    for (const lead of leads) {
      if (lead.leadId) continue;
      const found = await call('GET', `/leads?q=${lead.firstName}`, { auth: true });
      const item =
        found?.status === 200
          ? found
              .json<{ items: { id: string; name: string }[] }>()
              .items.find((candidate) => candidate.name === `${lead.firstName} ${lead.lastName}`)
          : undefined;
      if (item) {
        lead.leadId = item.id;
        byId.set(item.id, lead);
        // its one post was the demo request that made it
        if (lead.kind === 'hot' && lead.demoMaybe) lead.demoAsked = true;
        unansweredStored++;
      }
    }
    const end = (await slaNow())!;
    segments.push({ from: drainFrom.getTime(), to: end.getTime(), speed: DRAIN_SPEED });
    const views = new Map<string, LeadViewBody>();
    for (const lead of leads) {
      if (!lead.leadId) continue;
      const view = await call('GET', `/leads/${lead.leadId}`, { auth: true });
      if (view?.status === 200) views.set(lead.leadId, view.json<LeadViewBody>());
      else views.set(lead.leadId, { missing: view?.status ?? 0 } as unknown as LeadViewBody);
    }
    const searchRefused = await call('GET', '/leads?q=Zzrefused', { auth: true });
    await kill(runtime, 'SIGTERM');
    const emails = await inbox();
    if (flags.keep || flags.data) await writeFile(join(dataDir, 'emails.json'), JSON.stringify(emails));
    throttled = mail.throttledSends?.();
    await check({ dataDir, kills, views, emails, end, overdueSeen, searchRefused });
  } finally {
    await mail.close();
    if (!flags.data && !flags.keep) await rm(dataDir, { recursive: true, force: true });
    else {
      await writeFile(join(dataDir, 'runtime-logs.txt'), logs.join('\n==== restart ====\n'));
      console.log(`data and runtime logs kept in ${dataDir}`);
    }
  }
}

interface LeadViewBody {
  readonly lifecycleStage: string;
  readonly leadStatus: string;
  readonly owner: { id: string } | null;
  readonly deal: { stageId: string } | null;
  readonly attempts: { attemptId: string }[];
  readonly events: { eventId: string }[];
  readonly timeline: {
    at: string;
    kind: string;
    from?: string;
    to?: string;
    reasons?: { rule: string; detail: string }[];
  }[];
  readonly missing?: number;
}

// ---------- the invariants ----------

async function check(input: {
  dataDir: string;
  kills: KillRecord[];
  views: Map<string, LeadViewBody>;
  emails: StoredEmail[];
  end: Date;
  overdueSeen: Map<string, number>;
  searchRefused: Answer | undefined;
}): Promise<void> {
  const { kills, views, emails, end } = input;
  const violations: string[] = [];
  const violate = (kind: string, detail: string) => violations.push(`${kind}: ${detail}`);
  const repsByEmail = new Map(sla.routing.reps.map((rep) => [rep.email, rep.id]));

  // 5xx while the runtime was up
  for (const answer of figures.fiveXx)
    violate('5xx', `${answer.route} ${answer.status} (round ${answer.round}) ${answer.body}`);
  for (const line of counts.refusedNot4xx) violate('refused request not answered 4xx', line);

  // every accepted lead readable
  for (const [leadId, view] of views)
    if (view.missing !== undefined) violate('accepted lead unreadable', `${leadId} -> ${view.missing}`);

  // emails: one per dedupe key (the same recipient, subject and body), a repeat only after a kill caught it in flight
  const copies = new Map<string, StoredEmail[]>();
  for (const email of emails) {
    const key = `${email.destination.to.join(',')}|${email.destination.cc.join(',')}|${email.subject}|${email.body.text ?? email.body.html}`;
    copies.set(key, [...(copies.get(key) ?? []), email]);
  }
  let repeats = 0;
  let repeatsAfterAKill = 0;
  for (const list of copies.values()) {
    if (list.length < 2) continue;
    repeats += list.length - 1;
    const first = list[0]!.at * 1000;
    const explained = stops.filter(
      (at) => at >= first - STOP_SLACK_MS && at <= list[1]!.at * 1000 + 1000,
    ).length;
    if (explained >= list.length - 1) repeatsAfterAKill += list.length - 1;
    else
      violate(
        'email sent twice with no kill in between',
        `${list.length} x "${list[0]!.subject}" to ${list[0]!.destination.to.join(',')} at ${list.map((e) => new Date(e.at * 1000).toISOString()).join(', ')}; the nearest stop ${nearestStop(first)}`,
      );
  }

  // per lead
  let sqlsHandedOff = 0;
  let demoNotSql = 0;
  let consentCopiesAfterAStop = 0;
  let untouchedChecked = 0;
  const storyOf = (view: LeadViewBody, rule: string) =>
    view.timeline.filter((entry) => entry.reasons?.some((reason) => reason.rule.startsWith(rule)));
  for (const lead of leads) {
    if (!lead.leadId) continue;
    const view = input.views.get(lead.leadId);
    if (!view || view.missing !== undefined) continue;
    const name = `${lead.firstName} ${lead.lastName}`;
    const newSql = emails.filter((email) => email.subject.startsWith(`New SQL: ${name} `));
    const handoffs = view.timeline.filter((entry) => entry.kind === 'handoff');
    const assignedEntries = storyOf(view, 'workflow.assigned');
    // a tier-A plant manager who asks for a demo scores an SQL (75 + 10 + 60), unless an unsubscribe took its
    // 30 points: crossing the threshold moves the stage at once, and an SQL is handed off and its rep told
    const reachedSql = view.timeline.some((entry) => entry.to === 'sql' || entry.to?.startsWith('sql/'));
    if (lead.demoAsked && !reachedSql) {
      if (lead.unsubscribed || view.timeline.some((entry) => entry.kind === 'unsubscribed')) demoNotSql++;
      else
        violate(
          'demo request never an SQL',
          `${name} ${lead.leadId}: ${view.lifecycleStage}/${view.leadStatus}`,
        );
    }
    if (reachedSql) {
      if (handoffs.length === 0)
        violate('SQL never handed off', `${name} ${lead.leadId}: ${view.lifecycleStage}/${view.leadStatus}`);
      else sqlsHandedOff++;
      const distinct = new Set(newSql.map((email) => `${email.destination.to.join(',')}|${email.body.text}`))
        .size;
      if (distinct < assignedEntries.length || newSql.length === 0)
        violate(
          '"New SQL" missing',
          `${name} ${lead.leadId}: ${newSql.length} emails for ${assignedEntries.length} assignments`,
        );
      if (newSql.length > distinct) {
        const extra = newSql.length - distinct;
        const near = newSql.some((email) => stops.some((at) => Math.abs(at - email.at * 1000) < 15_000));
        if (!near)
          violate('"New SQL" repeated with no kill near', `${name} ${lead.leadId}: ${extra} repeats`);
      }
      // untouched by sales: the ladder ran and the cadence ran out
      if (lead.sales.length === 0 && lead.salesMaybe === 0 && lead.n % 2 === 1 && handoffs.length > 0) {
        untouchedChecked++;
        const reminded = storyOf(view, 'handoff.escalation.remindOwner');
        const managerTold = storyOf(view, 'handoff.escalation.notifyManager');
        const exhausted = storyOf(view, 'contact.cadenceExhausted');
        // time enough since the last handover: the ladder within a week (a weekend, holidays), the six-step
        // cadence (ten business days, restarted by each reassignment) within five
        const lastHandover = Date.parse(view.timeline.findLast((entry) => entry.kind === 'owner')?.at ?? '');
        const since = end.getTime() - lastHandover;
        if (
          ((reminded.length === 0 || managerTold.length === 0) && since > 7 * DAY) ||
          (exhausted.length === 0 && since > 35 * DAY)
        )
          violate(
            'untouched SQL missed its ladder',
            `${name} ${lead.leadId}: remindOwner ${reminded.length}, notifyManager ${managerTold.length}, cadenceExhausted ${exhausted.length}; now ${view.lifecycleStage}/${view.leadStatus}`,
          );
      }
    } else if (newSql.length > 0 && lead.kind === 'newsletter') {
      // a newsletter reader at a small garage never scores an SQL
      violate('SQL without a demo request', `${name} ${lead.leadId}`);
    }
    // timeliness of the ladder: each rung against its time (the first-touch deadline plus the rung's `after`, in
    // the owner's calendar), counted in real seconds of run time (a restart's jump of the clock excluded)
    let dueOfOwner: { owner: string; due: Date } | undefined;
    for (const entry of view.timeline) {
      for (const reason of entry.reasons ?? []) {
        const rung = sla.handoff.escalation.findIndex(
          (step) => reason.rule === `handoff.escalation.${step.action}`,
        );
        const reassign = /^handoff\.escalation\.(\d+)$/.exec(reason.rule);
        const due = /\(due ([^)]+)\)/.exec(reason.detail)?.[1];
        if (rung >= 0 && due && entry.from) dueOfOwner = { owner: entry.from, due: new Date(due) };
        const index = rung >= 0 ? rung : reassign ? Number(reassign[1]) - 1 : -1;
        const step = sla.handoff.escalation[index];
        const ownerId = entry.from;
        if (!step || !dueOfOwner || dueOfOwner.owner !== ownerId) continue;
        const rep = sla.routing.reps.find((candidate) => candidate.id === ownerId);
        if (!rep) continue;
        const expected = addDuration(repCalendar(sla, rep), dueOfOwner.due, step.after);
        const real = realSecondsBetween(expected.getTime(), Date.parse(entry.at));
        lateness.push(real);
        if (real > LATE_REAL_S)
          violate(
            'escalation rung late',
            `${name} ${lead.leadId}: ${reason.rule} of ${ownerId} ${real.toFixed(1)} s of run time late (due ${expected.toISOString()}, taken ${entry.at})`,
          );
      }
    }
    // marketing email follows consent: a confirmation per request, nurture once confirmed, none after an unsubscribe
    const toLead = emails.filter((email) => email.destination.to.includes(lead.email));
    const everUnsubscribed = view.timeline.some((entry) => entry.kind === 'unsubscribed');
    // the confirmation emails of each consent request (its id in the link's token; a copy's link may expire later)
    const byRequest = new Map<string, number[]>();
    for (const email of toLead) {
      const token = /\/consent\/([^.\s]+)/.exec(email.body.text ?? '')?.[1];
      if (!token) continue;
      const request =
        (JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as { v?: string }).v ?? token;
      byRequest.set(request, [...(byRequest.get(request) ?? []), email.at * 1000]);
    }
    for (const [request, times] of byRequest) {
      for (let i = 1; i < times.length; i++) {
        // a copy is the at-least-once promise only when a stop came between the two (docs/reliability.md)
        if (!stops.some((at) => at >= times[i - 1]! - STOP_SLACK_MS && at <= times[i]! + 1000))
          violate(
            'consent confirmation sent twice with no stop between',
            `${name} ${lead.leadId}: request ${request}`,
          );
        else consentCopiesAfterAStop++;
      }
    }
    const confirmedAt = view.timeline.filter((entry) => entry.kind === 'consent').map((entry) => entry.at);
    const unsubscribedAt = view.timeline
      .filter((entry) => entry.kind === 'unsubscribed')
      .map((entry) => entry.at);
    const nurtureAt = storyOf(view, 'workflow.nurture').map((entry) => entry.at);
    for (const at of nurtureAt) {
      const lastUnsubscribe = unsubscribedAt.filter((u) => u < at).at(-1);
      const lastConfirm = confirmedAt.filter((c) => c < at).at(-1);
      if (lastUnsubscribe && (!lastConfirm || lastConfirm < lastUnsubscribe))
        violate('nurture email after an unsubscribe', `${name} ${lead.leadId}: at ${at}`);
      if (!lastConfirm)
        violate('nurture email before consent was confirmed', `${name} ${lead.leadId}: at ${at}`);
    }
    const handedOff = view.timeline.some((entry) => entry.kind === 'handoff');
    if (confirmedAt.length > 0 && nurtureAt.length === 0 && !handedOff && !everUnsubscribed)
      violate(
        'consent confirmed, never nurtured',
        `${name} ${lead.leadId}: ${view.lifecycleStage}/${view.leadStatus}`,
      );
    // refused requests stored nothing
    for (const eventId of lead.refusedEventIds)
      if (view.events.some((event) => event.eventId === eventId))
        violate('refused event stored', `${name} ${eventId}`);
    for (const attemptId of lead.refusedAttemptIds)
      if (view.attempts.some((attempt) => attempt.attemptId === attemptId))
        violate('refused attempt stored', `${name} ${attemptId}`);
    // the last sales change is where the lead stands (unless the lead moved on by time: a recycle, a cool-off)
    const last = lead.sales.at(-1);
    if (last === 'deal:closed-won' && view.lifecycleStage !== 'customer')
      violate('won deal, not a customer', `${name} ${lead.leadId}: ${view.lifecycleStage}`);
    const waited = input.overdueSeen.get(lead.leadId) ?? 0;
    if (waited > LATE_REAL_S)
      violate(
        'escalation rung left past due during the drain',
        `${name} ${lead.leadId}: ${waited.toFixed(1)} s of run time past due`,
      );
  }
  if (input.searchRefused?.status === 200) {
    const found = input.searchRefused.json<{ leads?: unknown[]; items?: unknown[] }>();
    const list = found.leads ?? found.items ?? [];
    if (list.length > 0)
      violate('refused lead post stored', `${list.length} found by GET /leads?q=Zzrefused`);
  }

  // the store: every lead not ended has something due, none is stuck
  const store = await openLocalStore(input.dataDir);
  const storeNow = store.slaTime ?? end;
  let dormant = 0;
  let ended = 0;
  let parked = 0;
  let failures = 0;
  try {
    for (const lead of leads) {
      if (!lead.leadId) continue;
      const state = await store.store.getLead(lead.leadId);
      if (!state) {
        violate('accepted lead missing from the store', lead.leadId);
        continue;
      }
      if (state.workflowError) failures++;
      // as the workflow reads them (tasks/advance.ts): the attempts since the handoff
      const attempts = (await store.store.listAttempts(lead.leadId)).filter(
        (attempt) => state.handedOffAt !== undefined && attempt.at >= state.handedOffAt,
      );
      const plan = planNext(sla, {
        lead: state,
        attempts,
        now: storeNow,
        skipNurture: typePath(sla, state.leadType).skipNurture,
      });
      const name = `${lead.firstName} ${lead.lastName} ${lead.leadId}`;
      if (plan.kind === 'end') {
        if (plan.dormant) dormant++;
        else ended++;
        continue;
      }
      parked++;
      if (state.dueAt === undefined && !state.dormant)
        violate(
          'lead with a way forward and nothing due',
          `${name}: plan ${plan.kind}${plan.kind === 'park' ? ` ${plan.phase} wake ${plan.wakeAt.toISOString()}` : ''}, ${state.stage}/${state.status}`,
        );
      else if (state.dueAt === undefined && state.dormant)
        violate(
          'dormant lead the plan says has work',
          `${name}: plan ${plan.kind}${plan.kind === 'park' ? ` ${plan.phase} ${plan.actions.map((a) => a.type).join(',')} wake ${plan.wakeAt.toISOString()}` : ''}, ${state.stage}/${state.status}`,
        );
      else if (state.dueAt && Date.parse(state.dueAt) < storeNow.getTime() - 2 * DAY)
        violate(
          'lead stuck: due long ago',
          `${name}: due ${state.dueAt}, now ${storeNow.toISOString()}, ${state.stage}/${state.status}`,
        );
      // (a park's timer counts from the park, a moment after the plan: seconds of SLA time at this speed)
      else if (
        plan.kind === 'park' &&
        state.dueAt &&
        plan.wakeAt.getTime() < Date.parse(state.dueAt) - 5_000 * DRAIN_SPEED &&
        plan.actions.length === 0
      )
        violate(
          'lead parked past its next due time',
          `${name}: due ${state.dueAt}, plan wakes ${plan.wakeAt.toISOString()}`,
        );
    }
  } finally {
    await store.close();
  }

  // figures
  const sorted = [...lateness].sort((a, b) => a - b);
  const q = (p: number) =>
    sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!.toFixed(2) : '-';
  const emailsByKind = new Map<string, number>();
  for (const email of emails) {
    const kind = email.subject.replace(/:.*$/, '').replace(/\d+/g, 'n').slice(0, 40);
    emailsByKind.set(kind, (emailsByKind.get(kind) ?? 0) + 1);
  }
  const toReps = emails.filter((email) => email.destination.to.some((to) => repsByEmail.has(to))).length;
  console.log('\n---- figures ----');
  console.log(
    `leads posted ${leads.length} (hot ${leads.filter((l) => l.kind === 'hot').length}, warm ${leads.filter((l) => l.kind === 'warm').length}, newsletter ${leads.filter((l) => l.kind === 'newsletter').length}); accepted ${byId.size} (of which stored with their answer lost ${unansweredStored}); demo asked ${leads.filter((l) => l.demoAsked).length} (+${leads.filter((l) => !l.demoAsked && l.demoMaybe).length} answer lost); SQLs handed off ${sqlsHandedOff}; demo but unsubscribed, no SQL ${demoNotSql}; untouched SQLs checked ${untouchedChecked}`,
  );
  console.log(
    `requests ${figures.requests}: ${[...figures.byStatus]
      .sort((a, b) => a[0] - b[0])
      .map(([s, n]) => `${s}:${n}`)
      .join(
        ' ',
      )}; no answer while killed ${figures.refusedWhileDown}, connection errors while up ${figures.connectionErrors}`,
  );
  console.log(`4xx by code: ${[...figures.refusals].map(([k, n]) => `${k}: ${n}`).join(', ')}`);
  console.log(
    `workload: posts ${counts.posts}, reposts ${counts.reposts}, event posts ${counts.events} (demo ${counts.demoEvents}), sales changes ${counts.sales}, pile-ons on one lead ${counts.pileOns}, links pressed ${counts.links}, refused ${counts.refusedSent} (4xx ${counts.refusedAnswered4xx})`,
  );
  console.log(
    `kills ${kills.length} (at s after the API was up; negative: s after the spawn, before it): ${kills.map((k) => `r${k.round}@${(k.afterStartMs / 1000).toFixed(1)}s`).join(' ')}`,
  );
  console.log(
    `emails ${emails.length} (to reps ${toReps}), repeats ${repeats} (after a stop ${repeatsAfterAKill}; consent confirmations sent again after a stop ${consentCopiesAfterAStop}); ${[...emailsByKind].map(([k, n]) => `${k}: ${n}`).join('; ')}`,
  );
  console.log(
    `store at ${storeNow.toISOString()}: parked ${parked}, dormant ${dormant}, ended ${ended}, with a recorded workflow failure ${failures}`,
  );
  console.log(
    `escalation rungs, real seconds of run time late: p50 ${q(0.5)} p90 ${q(0.9)} max ${sorted.at(-1)?.toFixed(2) ?? '-'} over ${sorted.length} rungs`,
  );
  if (throttled !== undefined) {
    console.log(`sends refused for the SES rate: ${throttled}`);
    // SES's rate is per real second; the drain runs SLA time DRAIN_SPEED times faster, so a morning's reminders
    // after a weekend queue for it there as they never would at 1x: rungs late by that queue are the rate's
    const perSlaHour = (Number(flags['mail-rate']) * 3600) / DRAIN_SPEED;
    console.log(
      `  the drain at ${DRAIN_SPEED}x lets SES send ${perSlaHour.toFixed(1)} emails per SLA hour (at 1x: ${Number(flags['mail-rate']) * 3600}): ` +
        'rungs late during the drain are that queue (--drain-speed 3600 for a drain the rate does not bound)',
    );
  }
  console.log(`violations ${violations.length}`);
  const grouped = new Map<string, string[]>();
  for (const violation of violations) {
    const kind = violation.slice(0, violation.indexOf(':'));
    grouped.set(kind, [...(grouped.get(kind) ?? []), violation]);
  }
  for (const [kind, list] of grouped) {
    console.log(`  ${kind}: ${list.length}`);
    for (const line of list.slice(0, 5)) console.log(`    ${line.slice(0, 400)}`);
  }
  console.log(
    `chaos: leads ${byId.size}, kills ${kills.length}, emails ${emails.length}, repeats ${repeats}, violations ${violations.length}`,
  );
}
const lateness: number[] = [];
let throttled: number | undefined;
/** a rung this many real seconds of run time late is missed, not slow (the reconciler sweeps every 10 s) */
const LATE_REAL_S = 25;

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
