/**
 * A burst on the public route, then a count of what survived it (issue 8): autocannon drives
 * POST /leads with 200 connections for 30 s against the whole local runtime (dynalite in memory,
 * the SES emulator, the lead workflow on aws-local-stepfunctions, the API server) running in a
 * child process of this script, so the load generator does not share the server's event loop.
 * The per-address rate limit is raised for the run; everything else is `leadpact dev` as shipped
 * (real time, the reconciler on its 10 s timer, sla/default.yaml).
 *
 * The mix: about half the posts are new emails, half repeat a pool of 200 emails; a share of
 * both are hot leads (a demo request from an ICP fit, as examples/leads/hot.json) that become
 * SQLs and get an owner at once, the rest are cold (examples/leads/cold.json).
 * After the burst: every accepted leadId (202 {leadId}) is read back with GET /leads/{id}
 * (lost = accepted but not readable, target 0), then polled until every SQL has an owner or a
 * timeout passes (target 100% owned). Prints figures; asserts nothing.
 *   npx tsx bench/load.ts [--seconds 30] [--connections 200] [--settle 180]   (npm run bench:load)
 * The last line is for scripts:
 *   load: N requests, X req/s, p50 Y ms, p99 Z ms, 5xx: A, lost: B, SQLs owned: C/D (P%)
 * Traffic goes to 127.0.0.1 only.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { connectSesEmulator } from '../local/ses.ts';

const { values: flags } = parseArgs({
  options: {
    seconds: { type: 'string', default: '30' },
    connections: { type: 'string', default: '200' },
    /** how long to wait for the workflows to give every SQL an owner after the burst */
    settle: { type: 'string', default: '180' },
    /**
     * after the burst, wait up to this many seconds for the reconciler to restart every workflow the
     * burst stopped (its first retry is 5 minutes after the failure): 0 skips the wait
     */
    'await-retries': { type: 'string', default: '0' },
    /** share of posts that are hot leads (demo request from an ICP fit) */
    hot: { type: 'string', default: '0.2' },
    /** write a V8 CPU profile of the runtime (the child process) into this directory */
    profile: { type: 'string' },
    /** internal: run the local runtime and print its address (the child process) */
    serve: { type: 'boolean', default: false },
  },
});
const SECONDS = positive('seconds');
const CONNECTIONS = positive('connections');
const SETTLE_SECONDS = positive('settle');
const HOT_SHARE = Number(flags.hot);
const AWAIT_RETRIES_SECONDS = Number(flags['await-retries']) || 0;
const POOL = 200;
const NEW_SHARE = 0.5;
const READ_CONCURRENCY = 16;
const ADMIN_TOKEN = 'bench-load';
const READY = 'bench-load ready ';

function positive(name: 'seconds' | 'connections' | 'settle'): number {
  const value = Number(flags[name]);
  if (!(value > 0)) {
    console.error(`--${name} "${flags[name]}" must be a positive number`);
    process.exit(2);
  }
  return value;
}

// ---------- the child: the local runtime with the rate limit raised ----------
if (flags.serve) {
  const { parseSla } = await import('../lambdas/domain/sla-file.ts');
  const { startLocalRuntime } = await import('../local/runtime.ts');
  const parsed = parseSla(readFileSync('sla/default.yaml', 'utf8'));
  if (!parsed.ok) throw new Error(`sla/default.yaml does not parse: ${JSON.stringify(parsed.errors)}`);
  const runtime = await startLocalRuntime({
    sla: parsed.sla,
    port: 0,
    adminToken: ADMIN_TOKEN,
    // 200 connections from one address would measure the limiter (120/min), not the route
    rateLimit: { perMinute: 1_000_000_000, burst: 1_000_000_000 },
  });
  process.stdout.write(`${READY}${JSON.stringify({ url: runtime.url, mail: runtime.mail.endpoint })}\n`);
  await new Promise<void>((resolve) => process.once('SIGTERM', resolve));
  setTimeout(() => process.exit(0), 5000).unref();
  await runtime.close();
  process.exit(0);
}

// ---------- the bodies ----------
const hotExample = JSON.parse(readFileSync('examples/leads/hot.json', 'utf8')) as Record<string, unknown>;
const coldExample = JSON.parse(readFileSync('examples/leads/cold.json', 'utf8')) as Record<string, unknown>;
const run = Date.now().toString(36);
const hotEmail = (key: string) => `load.${run}.${key}@brauhaus-werke.example`;
const coldEmail = (key: string) => `load.${run}.${key}@gmail.com`;
/** pool email i is hot for the first HOT_SHARE of the pool, so repeats keep the hot share */
const pool = Array.from({ length: POOL }, (_, i) =>
  i < Math.round(POOL * HOT_SHARE)
    ? { hot: true, key: `pool${i}`, email: hotEmail(`pool${i}`) }
    : { hot: false, key: `pool${i}`, email: coldEmail(`pool${i}`) },
);

interface Post {
  readonly hot: boolean;
  readonly repeat: boolean;
  readonly body: string;
}
/** the example lead with this email; the key in the last name tells the reps' emails apart */
function body(hot: boolean, key: string, email: string): string {
  const example = hot ? hotExample : coldExample;
  return JSON.stringify({ ...example, email, lastName: `${example.lastName} ${key}` });
}
let sequence = 0;
function nextPost(): Post {
  const repeat = Math.random() >= NEW_SHARE;
  if (repeat) {
    const { hot, key, email } = pool[Math.floor(Math.random() * POOL)]!;
    return { hot, repeat, body: body(hot, key, email) };
  }
  const hot = Math.random() < HOT_SHARE;
  const key = `n${sequence++}`;
  return { hot, repeat, body: body(hot, key, hot ? hotEmail(key) : coldEmail(key)) };
}

// ---------- start the runtime in a child process ----------
const started = performance.now();
const logLevels = new Map<string, number>();
/** POST /leads answered 500 by the runtime (its error log line), whether or not a client was still there */
let serverErrors = 0;
const logMessages = new Map<string, number>();
const profileArgs = flags.profile ? ['--cpu-prof', `--cpu-prof-dir=${flags.profile}`] : [];
const child = spawn(
  process.execPath,
  [...profileArgs, '--import', 'tsx', fileURLToPath(import.meta.url), '--serve'],
  { stdio: ['ignore', 'pipe', 'pipe'] },
);
const { url, mail } = await new Promise<{ url: string; mail: string }>((resolve, reject) => {
  child.once('exit', (code) => reject(new Error(`the runtime exited (${code}) before it was ready`)));
  watchLogs(child, (line) => {
    if (line.startsWith(READY))
      resolve(JSON.parse(line.slice(READY.length)) as { url: string; mail: string });
  });
});
if (!url.startsWith('http://127.0.0.1:')) throw new Error(`the runtime listens on ${url}, not 127.0.0.1`);
console.log(
  `runtime up at ${url} in ${((performance.now() - started) / 1000).toFixed(1)} s (child pid ${child.pid})`,
);

/** CPU seconds a process has used (user + system), from /proc; NaN where there is none. */
function cpuSeconds(pid: number | undefined): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return Number.NaN;
  }
}

/** Counts the runtime's structured log lines by level and message (they carry no personal data). */
function watchLogs(process_: ChildProcess, onLine: (line: string) => void): void {
  for (const stream of [process_.stdout!, process_.stderr!]) {
    createInterface({ input: stream }).on('line', (line) => {
      onLine(line);
      try {
        const entry = JSON.parse(line) as { level?: string; msg?: string; message?: string };
        if (entry.level) logLevels.set(entry.level, (logLevels.get(entry.level) ?? 0) + 1);
        if (entry.level === 'error' && (entry as { route?: string }).route === 'POST /leads') serverErrors++;
        if (entry.level === 'error' || entry.level === 'warn') {
          const error = (entry as { error?: unknown }).error;
          const detail = typeof error === 'string' ? ` (${error.slice(0, 120)})` : '';
          const key = `${entry.level}: ${entry.msg ?? entry.message ?? line.slice(0, 160)}${detail}`;
          logMessages.set(key, (logMessages.get(key) ?? 0) + 1);
        }
      } catch {
        if (!line.startsWith(READY) && line.trim())
          logMessages.set(
            `text: ${line.slice(0, 120)}`,
            (logMessages.get(`text: ${line.slice(0, 120)}`) ?? 0) + 1,
          );
      }
    });
  }
}

// ---------- the burst ----------
interface Sent {
  hot: boolean;
  repeat: boolean;
}
const accepted = new Map<string, { hot: boolean; posts: number }>();
const statuses = new Map<number, number>();
let acceptedPosts = 0;
let newPosts = 0;
let hotPosts = 0;

console.log(
  `POST /leads: ${CONNECTIONS} connections for ${SECONDS} s; ~${NEW_SHARE * 100}% new emails, ~${(1 - NEW_SHARE) * 100}% repeats of ${POOL}; ~${(HOT_SHARE * 100).toFixed(0)}% hot`,
);
const loadBefore = loadavg()[0]!;
const cpuBefore = cpuSeconds(child.pid);
const result = await autocannon({
  url: `${url}/leads`,
  connections: CONNECTIONS,
  duration: SECONDS,
  // the local server answers 500 when a request passes the Lambda's 30 s: wait long enough to see it
  timeout: 40,
  requests: [
    {
      method: 'POST',
      path: '/leads',
      headers: { 'content-type': 'application/json' },
      setupRequest: (request, context) => {
        const post = nextPost();
        (context as { sent?: Sent }).sent = { hot: post.hot, repeat: post.repeat };
        return { ...request, body: post.body };
      },
      onResponse: (status, body, context) => {
        statuses.set(status, (statuses.get(status) ?? 0) + 1);
        const sent = (context as { sent?: Sent }).sent;
        if (!sent) return;
        if (!sent.repeat) newPosts++;
        if (sent.hot) hotPosts++;
        if (status !== 202) return;
        acceptedPosts++;
        const { leadId } = JSON.parse(body) as { leadId: string };
        const known = accepted.get(leadId);
        accepted.set(leadId, { hot: sent.hot || (known?.hot ?? false), posts: (known?.posts ?? 0) + 1 });
      },
    },
  ],
});

const burstCpu = cpuSeconds(child.pid) - cpuBefore;
const loadAfter = loadavg()[0]!;
const requests = result.requests.total;
const perSecond = requests / (result.duration || SECONDS);
const fiveXx = result['5xx'];

// ---------- read every accepted lead back ----------
interface LeadView {
  leadId: string;
  lifecycleStage: string;
  leadStatus: string;
  fields: Record<string, unknown>;
  owner: { id: string } | null;
  timeline: { at: string; kind: string; [key: string]: unknown }[];
  workflowError?: string;
}
const auth = { authorization: `Bearer ${ADMIN_TOKEN}` };

async function readLead(leadId: string): Promise<LeadView | { status: number }> {
  for (let attempt = 0; ; attempt++) {
    try {
      const response = await fetch(`${url}/leads/${leadId}`, { headers: auth });
      if (response.status === 200) return (await response.json()) as LeadView;
      await response.arrayBuffer();
      return { status: response.status };
    } catch (error) {
      if (attempt >= 3) return { status: -1 };
      await new Promise((resolve) => setTimeout(resolve, 200 * (attempt + 1)));
      void error;
    }
  }
}

async function readAll(ids: readonly string[]): Promise<Map<string, LeadView | { status: number }>> {
  const views = new Map<string, LeadView | { status: number }>();
  let next = 0;
  await Promise.all(
    Array.from({ length: READ_CONCURRENCY }, async () => {
      for (let i = next++; i < ids.length; i = next++) views.set(ids[i]!, await readLead(ids[i]!));
    }),
  );
  return views;
}

const isView = (view: LeadView | { status: number } | undefined): view is LeadView =>
  view !== undefined && 'leadId' in view;
/** an SQL, or a lead further along that an SQL became (an owner is part of being handed off) */
const SQL_OR_LATER = new Set(['sql', 'opportunity', 'customer']);

const burstEnded = performance.now();
const ids = [...accepted.keys()];
const readStarted = performance.now();
const firstRead = await readAll(ids);
const readSeconds = (performance.now() - readStarted) / 1000;
const unreadable = ids.filter((id) => !isView(firstRead.get(id)));

// ---------- wait until every SQL (and every hot lead) has an owner, or the timeout ----------
const views = new Map(firstRead);
const hotIds = ids.filter((id) => accepted.get(id)!.hot);
const ownedOrDone = (id: string) => {
  const view = views.get(id);
  return isView(view) && view.owner !== null;
};
const waiting = () =>
  ids.filter((id) => {
    const view = views.get(id);
    if (!isView(view)) return false;
    return (SQL_OR_LATER.has(view.lifecycleStage) || accepted.get(id)!.hot) && !ownedOrDone(id);
  });
const settleDeadline = performance.now() + SETTLE_SECONDS * 1000;
let pending = waiting();
const progress: string[] = [];
while (pending.length > 0 && performance.now() < settleDeadline) {
  await new Promise((resolve) => setTimeout(resolve, 1000));
  for (const [id, view] of await readAll(pending)) views.set(id, view);
  pending = waiting();
  progress.push(`${((performance.now() - burstEnded) / 1000).toFixed(0)}s:${pending.length}`);
}
const settleSeconds = (performance.now() - burstEnded) / 1000;
// one last read of everything: a lead that was readable once must still be, and its final stage counts
const finalRead = await readAll(ids);
const lost = ids.filter((id) => !isView(finalRead.get(id)));
const finalViews = [...finalRead.values()].filter(isView);
const sqls = finalViews.filter((view) => SQL_OR_LATER.has(view.lifecycleStage));
const owned = sqls.filter((view) => view.owner !== null);
const hotNotSql = hotIds.filter((id) => {
  const view = finalRead.get(id);
  return isView(view) && !SQL_OR_LATER.has(view.lifecycleStage);
});
const failures = finalViews.filter((view) => view.timeline.some((entry) => entry.kind === 'failure'));
/** leads whose last timeline entry is a failure: stopped, waiting for the reconciler's retry */
const stillFailed = finalViews.filter((view) => view.timeline.at(-1)?.kind === 'failure');
const failureKinds = new Map<string, number>();
for (const view of failures) {
  for (const entry of view.timeline.filter((item) => item.kind === 'failure')) {
    const reasons = entry.reasons as { detail?: string }[] | undefined;
    const kind = (reasons?.[0]?.detail ?? '?').split(':')[0]!;
    failureKinds.set(kind, (failureKinds.get(kind) ?? 0) + 1);
  }
}
interface Health {
  reconciler?: { restarted?: number };
}
const getHealth = async () =>
  (await (await fetch(`${url}/health`)).json()) as Health & Record<string, unknown>;
let health = await getHealth();

// ---------- optionally: the reconciler restarts every stopped workflow ----------
let retries: { restarted: number; seconds: number; failedAgain: number } | undefined;
if (AWAIT_RETRIES_SECONDS > 0 && stillFailed.length > 0) {
  const before = health.reconciler?.restarted ?? 0;
  const waitStarted = performance.now();
  const deadline = waitStarted + AWAIT_RETRIES_SECONDS * 1000;
  console.log(
    `waiting up to ${AWAIT_RETRIES_SECONDS} s for the reconciler to restart ${stillFailed.length} stopped workflows...`,
  );
  while (performance.now() < deadline && (health.reconciler?.restarted ?? 0) - before < stillFailed.length) {
    await new Promise((resolve) => setTimeout(resolve, 5000));
    health = await getHealth();
  }
  await new Promise((resolve) => setTimeout(resolve, 5000));
  const again = await readAll(stillFailed.map((view) => view.leadId));
  retries = {
    restarted: (health.reconciler?.restarted ?? 0) - before,
    seconds: (performance.now() - waitStarted) / 1000,
    failedAgain: [...again.values()].filter(
      (view) => isView(view) && view.timeline.filter((entry) => entry.kind === 'failure').length > 1,
    ).length,
  };
}

// ---------- the emails: one "New SQL" per SQL, nothing sent twice ----------
const messages = await connectSesEmulator(mail).messages();
const sent = new Map<string, number>();
for (const message of messages) {
  const key = `${message.destination.to.join(',')} | ${message.subject}`;
  sent.set(key, (sent.get(key) ?? 0) + 1);
}
const duplicates = [...sent].filter(([, n]) => n > 1);
const newSqlMessages = messages.filter((message) => message.subject.startsWith('New SQL:'));
const newSqlEmails = newSqlMessages.length;
/** "New SQL: <first> <last> (<company>) - first touch by <due>"; the bench's last names are unique */
const nameOf = (subject: string) => /^New SQL: (.*?) \(/.exec(subject)?.[1] ?? subject;
const newSqlByLead = new Map<string, typeof newSqlMessages>();
for (const message of newSqlMessages) {
  const name = nameOf(message.subject);
  newSqlByLead.set(name, [...(newSqlByLead.get(name) ?? []), message]);
}
const sqlNames = new Set(sqls.map((view) => `${view.fields.firstName} ${view.fields.lastName}`));
const handedOffTwice = [...newSqlByLead].filter(([, list]) => list.length > 1);
const sqlsWithoutEmail = [...sqlNames].filter((name) => !newSqlByLead.has(name)).length;
/** hot posts still in flight when the run ended: stored, but their leadId never reached the bench */
const newSqlForUnknown = [...newSqlByLead.keys()].filter((name) => !sqlNames.has(name)).length;

// ---------- stop the runtime ----------
child.kill('SIGTERM');
await new Promise((resolve) => {
  if (child.exitCode !== null) resolve(undefined);
  else child.once('exit', resolve);
});

// ---------- report ----------
const pct = (part: number, whole: number) => (whole === 0 ? 'n/a' : `${((part / whole) * 100).toFixed(1)}%`);
const row = (name: string, value: string | number) => console.log(`  ${name.padEnd(40)}${value}`);
console.log(`\nPOST /leads burst (${CONNECTIONS} connections, ${SECONDS} s, one process for the runtime)`);
row('requests', requests);
row('requests/s', perSecond.toFixed(0));
row('latency p50 / p99 / max (ms)', `${result.latency.p50} / ${result.latency.p99} / ${result.latency.max}`);
row(
  'status codes',
  [...statuses]
    .sort(([a], [b]) => a - b)
    .map(([code, n]) => `${code}: ${n}`)
    .join(', '),
);
row(
  'runtime CPU in the burst',
  `${burstCpu.toFixed(1)} s (${pct(burstCpu, result.duration || SECONDS)} of one core; ${(requests / burstCpu).toFixed(0)} requests per CPU second)`,
);
row(
  'machine',
  `${cpus().length} cores, load average ${loadBefore.toFixed(1)} before, ${loadAfter.toFixed(1)} after the burst`,
);
row('5xx / errors / timeouts (client side)', `${fiveXx} / ${result.errors} / ${result.timeouts}`);
row('in flight when the run ended (abandoned)', Math.max(0, result.requests.sent - result.requests.total));
row('POST /leads 500s in the runtime log', serverErrors);
row('posts: new emails / repeats / hot', `${newPosts} / ${acceptedPosts - newPosts} / ${hotPosts}`);
row('accepted posts (202)', acceptedPosts);
row('distinct leads accepted', `${ids.length} (${hotIds.length} posted hot)`);
console.log('\nAfter the burst');
row(
  'read back (first pass)',
  `${ids.length - unreadable.length}/${ids.length} in ${readSeconds.toFixed(1)} s`,
);
row('lost (accepted, not readable at the end)', lost.length);
row('SQLs (or later)', `${sqls.length} (${hotNotSql.length} hot leads not SQL)`);
row('SQLs with an owner', `${owned.length}/${sqls.length} (${pct(owned.length, sqls.length)})`);
row('waited for owners', `${settleSeconds.toFixed(1)} s (timeout ${SETTLE_SECONDS} s)`);
if (progress.length > 0) row('leads still waiting, by time', progress.slice(-12).join(' '));
row(
  'leads with a workflow failure',
  `${failures.length} (${stillFailed.length} still stopped, retried by the reconciler later); ${
    [...failureKinds].map(([kind, n]) => `${kind} ${n}`).join(', ') || 'none'
  }`,
);
if (retries) {
  row(
    'restarted by the reconciler after that',
    `${retries.restarted} restarts in ${retries.seconds.toFixed(0)} s for ${stillFailed.length} stopped; ${retries.failedAgain} failed again`,
  );
}
row(
  'emails sent',
  `${messages.length}; "New SQL" ${newSqlEmails} for ${sqls.length} SQLs; sent twice (same to and subject): ${duplicates.length}`,
);
for (const [key, n] of duplicates.slice(0, 3)) row(`  ${n}x`, key);
row(
  '"New SQL" emails per SQL',
  `${sqls.length - sqlsWithoutEmail} SQLs have one or more, ${sqlsWithoutEmail} none, ${handedOffTwice.length} more than one; ${newSqlForUnknown} for leads posted in the last moment (no answer awaited)`,
);
for (const [, list] of handedOffTwice.slice(0, 3)) {
  for (const message of list)
    row(
      '',
      `${new Date(message.at * 1000).toISOString()} to ${message.destination.to.join(',')}: ${message.subject}`,
    );
}
row('runtime log lines by level', [...logLevels].map(([level, n]) => `${level} ${n}`).join(', ') || 'none');
for (const [message, n] of [...logMessages].sort(([, a], [, b]) => b - a).slice(0, 8))
  row(`  ${n}x`, message);
row('GET /health', JSON.stringify(health));

const unowned = sqls.filter((view) => view.owner === null);
for (const view of [...unowned, ...hotNotSql.map((id) => finalRead.get(id) as LeadView)].slice(0, 5)) {
  console.log(`\nno owner: ${view.leadId} (${view.lifecycleStage}, ${view.leadStatus})`);
  for (const entry of view.timeline) console.log(`  ${JSON.stringify(entry)}`);
}
for (const view of stillFailed.slice(0, 1)) {
  console.log(`\na failed workflow: ${view.leadId} (${view.lifecycleStage}, ${view.leadStatus})`);
  for (const entry of view.timeline) console.log(`  ${JSON.stringify(entry)}`);
}
for (const id of lost.slice(0, 5)) console.log(`lost: ${id} ${JSON.stringify(finalRead.get(id))}`);

console.log(
  `\nload: ${requests} requests, ${perSecond.toFixed(0)} req/s, p50 ${result.latency.p50} ms, p99 ${result.latency.p99} ms, ` +
    `5xx: ${fiveXx} (runtime log: ${serverErrors}), lost: ${lost.length}, SQLs owned: ${owned.length}/${sqls.length} (${pct(owned.length, sqls.length)})`,
);
