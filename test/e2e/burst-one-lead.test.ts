/**
 * A burst of ~100 concurrent changes on ONE handed-over SQL, through every path that changes it, while its
 * timer fires: contact attempts, status and deal changes over the API (with Idempotency-Keys, and exact
 * duplicates of some), one-click links from the rep's "New SQL" email (some pressed twice), the owner's console
 * forms (one sent twice), a manager's reassignment from the console, a fields correction, form re-posts by the
 * same person (with and without marketing consent) and engagement events (one replayed). Every one of these
 * writes its change with the wake it wants (withWakeWanted, wakingChange: lead-state.ts) and signals the token
 * that write took; here they all race one lead, each other and its parked execution's timer.
 *
 * The whole local runtime (dynalite, the SES emulator, the ASL on aws-local-stepfunctions, the API server over
 * real HTTP), the manual clock: it moves past the first-touch deadline as the burst is sent, and an hour on once
 * a third is answered, firing the due timers without waiting for the burst's work (the timer's wake races the
 * requests); then everything settles. What must hold (each check can fail): no 5xx; a refusal only as
 * documented (404, 409 used, 410), never for mere concurrency, with a body that says why; every accepted
 * change on the lead's timeline exactly once, no refused one; a duplicate (by Idempotency-Key, console request
 * id, the same link) applied once; the version only grows; every email once; the lead parked with a live
 * execution and a due time, or closed, never stranded; the reconciler finds nothing to do; GET /leads/{id} and
 * the console page say what the store says. A form re-post that gave up its write to the lead's other writers
 * is ADR 0010's documented deferral (202, its event stored, no 'submitted' entry): counted from its log line
 * and reported, its event checked.
 *
 * Found by it: an action link's claim and the events route answered 409 for mere concurrency (1 to 3 of the 6
 * link presses "Please try again" in every run; an event post 409 with its event stored, one run in five):
 * test/integration/hot-lead-writes.test.ts pins both.
 *
 * The second case runs a third of the burst while DynamoDB throttles past the SDK's retries (35% of its
 * requests, seeded; INJECTED by test/support/fault-proxy.ts), then sends each refused request again, as the
 * 503 says. A 503 `temporarily_unavailable` left nothing of its request, but what its answer or docs/api.md
 * say: a link's "Saved, not finished yet", an attempt committed before its item (the same id again completes
 * it). Found by it: form posts answered 503 with their submission written, or their event stored
 * (test/integration/form-post-written-then-busy.test.ts); a deal move, a status or a reassignment answered 503
 * after its write, its workflow signal or its report facts throttled (one CI run in several), which a resend
 * without a key applied twice (test/integration/signal-busy-after-write.test.ts, test/unit/observed-lead-store).
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { HttpEvent } from '../../lambdas/api/http.ts';
import { attemptIdFromKey } from '../../lambdas/api/request-key.ts';
import { attemptKey } from '../../lambdas/domain/lead-plan.ts';
import type { LeadState } from '../../lambdas/domain/lead-state.ts';
import { withMovedEntries } from '../../lambdas/ports/lead-store.ts';
import type { ManualScheduler } from '../../local/scheduler.ts';
import { consoleFetch, csrfOf, signIn, textOf } from '../support/console.ts';
import { type E2e, exampleLead, linksOf, startE2e, titleOf } from '../support/e2e.ts';
import { type FaultProxy, startFaultProxy } from '../support/fault-proxy.ts';

const JONAS = 'jonas.berger@kessler-industrial.example';
const KATRIN = 'katrin.vogel@kessler-industrial.example';
/** the first-touch deadline of a lead handed off at Mon 09:00 Berlin: 13:00 Berlin (4 business hours) */
const FIRST_TOUCH_DUE = '2026-11-30T12:00:00.000Z';
const OPEN_RATE = { perMinute: 1_000_000, burst: 1_000_000 };

/** One request of the burst and what it asks, so its answer can be held against the lead afterwards. */
interface Sent {
  readonly label: string;
  /**
   * What makes copies one change: the Idempotency-Key, the console's request or attempt id, the link, the
   * event id; a request of its own otherwise. Of one identity at most one change may land.
   */
  readonly identity: string;
  /** the timeline entry an accepted change leaves (`kind|by|first reason's rule`); none for events */
  readonly entry?: string;
  /** the attempt id it logs, when it logs one the test knows */
  readonly attemptId?: string;
  /** the engagement event it stores */
  readonly eventId?: string;
  readonly send: () => Promise<Answer>;
}

interface Answer {
  readonly status: number;
  readonly text: string;
  readonly body?: unknown;
  readonly headers: Headers;
}

interface Answered extends Sent {
  readonly answer: Answer;
}

/**
 * The burst's lead: hot, posted, settled to an SQL owned by Jonas with its "New SQL" email sent. With a phone: the
 * burst presses that email's "Left voicemail", offered only for a lead a rep can call (ADR 0087).
 */
async function handedOffLead(e2e: E2e, email: string) {
  const lead = { ...exampleLead('hot'), email, phone: '+49 30 1234567' };
  expect((await e2e.postLead(lead)).status).toBe(202);
  await e2e.settle();
  const leadId = e2e.leadIdOf(email);
  const state = await e2e.runtime.deps.store.getLead(leadId);
  expect(state).toMatchObject({ stage: 'sql', ownerId: 'jonas', waitToken: expect.any(String) });
  const assigned = (await e2e.mailsTo(JONAS)).find((mail) => mail.subject.startsWith('New SQL:'));
  expect(assigned).toBeDefined();
  return { lead, leadId, state: state!, links: linksOf(assigned!) };
}

/** An accepted answer: 2xx, or a console form's 303 back to the lead with what it did. */
function accepted(sent: Answered): boolean {
  const { status, headers } = sent.answer;
  if (status === 303) return /[?&]done=(?!nothing)/.test(headers.get('location') ?? '');
  return status >= 200 && status < 300;
}

/** Who a timeline entry is by, as `kind|by|rule`. */
const entryKey = (entry: LeadState['timeline'][number]) =>
  `${entry.kind}|${entry.by}|${entry.reasons[0]?.rule ?? ''}`;

/** The multiset of `keys` as sorted `key x count` lines. */
function tally(keys: readonly string[]): string[] {
  const counts = new Map<string, number>();
  for (const key of keys) counts.set(key, (counts.get(key) ?? 0) + 1);
  return [...counts].map(([key, count]) => `${key} x${count}`).sort();
}

/**
 * The burst's requests, interleaved by kind (a seeded order: the same list each run). `scale` 1 is ~100
 * requests; the throttled case runs a smaller one.
 */
function burstRequests(
  e2e: E2e,
  leadId: string,
  lead: Record<string, unknown>,
  links: Record<string, string>,
  consoleOf: { jonas: string; katrin: string; csrfJonas: string; csrfKatrin: string },
  scale: number,
): Sent[] {
  const api = (method: string, route: string, json: unknown, key?: string) => async (): Promise<Answer> =>
    e2e.request(method, `/leads/${leadId}${route}`, {
      json,
      ...(key ? { headers: { 'idempotency-key': key } } : {}),
    });
  const form = (cookie: string, csrf: string, route: string, fields: Record<string, string>) => async () =>
    consoleFetch(e2e.runtime, 'POST', `/console/leads/${leadId}/${route}`, {
      cookie,
      form: { csrf, ...fields },
    });
  const groups: Sent[][] = [];
  const n = (count: number) => Math.max(1, Math.round(count * scale));

  // API contact attempts, each under its own Idempotency-Key; three keys sent three times
  const outcomes = ['no-answer', 'voicemail', 'no-answer', 'voicemail', 'connected', 'meeting-booked'];
  const attempts: Sent[] = [];
  for (let i = 0; i < n(36); i++) {
    const outcome = outcomes[i % outcomes.length]!;
    const key = `burst-attempt-${i}`;
    const sent: Sent = {
      label: `API attempt ${outcome} #${i}`,
      identity: `attempt-key-${i}`,
      entry: `attempt|api:admin|contact.outcome.${outcome}`,
      // the attempt id the route derives from the key (request-key.ts), for the admin token's caller
      attemptId: attemptIdFromKey(
        { headers: { 'idempotency-key': key } } as unknown as HttpEvent,
        'api:admin',
      ),
      send: api('POST', '/attempts', { outcome, channel: 'phone' }, key),
    };
    attempts.push(sent);
    if (i % 12 === 0)
      attempts.push({ ...sent, label: `${sent.label} (copy)` }, { ...sent, label: `${sent.label} (copy 2)` });
  }
  groups.push(attempts);

  // API status changes: keyed ones (two sent twice) and unkeyed ones
  const statuses: Sent[] = [];
  for (let i = 0; i < n(12); i++) {
    const status = i % 3 === 2 ? 'bad-timing' : 'connected';
    const key = i % 2 === 0 ? `burst-status-${i}` : undefined;
    const sent: Sent = {
      label: `API status ${status} #${i}${key ? '' : ' (no key)'}`,
      identity: key ?? `status-${i}`,
      entry: `status|api:admin|leadStatus.${status}`,
      send: api('PATCH', '/status', { status }, key),
    };
    statuses.push(sent);
    if (i % 6 === 0) statuses.push({ ...sent, label: `${sent.label} (copy)` });
  }
  groups.push(statuses);

  // API deal moves, keyed (two sent twice)
  const stages = ['discovery', 'quote-development', 'quote-presented'];
  const deals: Sent[] = [];
  for (let i = 0; i < n(10); i++) {
    const stage = stages[i % stages.length]!;
    const sent: Sent = {
      label: `API deal ${stage} #${i}`,
      identity: `deal-key-${i}`,
      entry: `deal|api:admin|deals.stage.${stage}`,
      send: api('PUT', '/deal', { stage, amount: 10_000 + i, name: 'Compressor lines' }, `burst-deal-${i}`),
    };
    deals.push(sent);
    if (i % 5 === 0) deals.push({ ...sent, label: `${sent.label} (copy)` });
  }
  groups.push(deals);

  // one-click links from the "New SQL" email; "No answer" and "Connected" pressed twice
  const linkOutcomes: [string, string][] = [
    ['No answer', 'no-answer'],
    ['Connected', 'connected'],
    ['Left voicemail', 'voicemail'],
    ['Meeting booked', 'meeting-booked'],
  ];
  const presses: Sent[] = [];
  for (const [label, outcome] of linkOutcomes.slice(0, Math.max(2, Math.round(4 * scale)))) {
    const url = links[label];
    if (!url) throw new Error(`no "${label}" link in the New SQL email`);
    const sent: Sent = {
      label: `link ${label}`,
      identity: `link ${label}`,
      entry: `attempt|rep:jonas|contact.outcome.${outcome}`,
      send: () => e2e.request('POST', url, { form: '' }),
    };
    presses.push(sent);
    if (outcome === 'no-answer' || outcome === 'connected')
      presses.push({ ...sent, label: `${label} (again)` });
  }
  groups.push(presses);

  // the owner's console: attempts (one form sent twice), a status and a deal under the page's request ids
  const { jonas, katrin, csrfJonas, csrfKatrin } = consoleOf;
  const consoleForms: Sent[] = [];
  for (let i = 0; i < n(3); i++) {
    const attemptId = `console-burst-attempt-${i}`;
    const sent: Sent = {
      label: `console attempt #${i}`,
      identity: attemptId,
      attemptId,
      entry: 'attempt|rep:jonas|contact.outcome.no-answer',
      send: form(jonas, csrfJonas, 'attempts', {
        attemptId,
        outcome: 'no-answer',
        channel: 'phone',
        note: '',
      }),
    };
    consoleForms.push(sent);
    if (i === 0) consoleForms.push({ ...sent, label: `${sent.label} (sent twice)` });
  }
  const consoleStatus: Sent = {
    label: 'console status connected',
    identity: 'console-burst-status',
    entry: 'status|rep:jonas|leadStatus.connected',
    send: form(jonas, csrfJonas, 'status', { status: 'connected', requestId: 'console-burst-status' }),
  };
  consoleForms.push(consoleStatus, { ...consoleStatus, label: `${consoleStatus.label} (sent twice)` });
  consoleForms.push({
    label: 'console deal quote-presented',
    identity: 'console-burst-deal',
    entry: 'deal|rep:jonas|deals.stage.quote-presented',
    send: form(jonas, csrfJonas, 'deal', {
      stage: 'quote-presented',
      amount: '42000',
      requestId: 'console-burst-deal',
    }),
  });
  groups.push(consoleForms);

  // the manager gives the lead to Lena; a fields correction
  groups.push([
    {
      label: 'console reassign to Lena',
      identity: 'reassign',
      entry: 'owner|manager:katrin|owner.manual',
      send: form(katrin, csrfKatrin, 'owner', { owner: 'lena', reason: 'she knows the brewery' }),
    },
    {
      label: 'API fields correction',
      identity: 'fields',
      entry: 'field|api:admin|fields.corrected',
      send: api('PATCH', '/fields', { fields: { phone: '+49 89 1234567' } }),
    },
  ]);

  // form re-posts by the same person, with and without marketing consent
  const reposts: Sent[] = [];
  for (let i = 0; i < n(6); i++) {
    reposts.push({
      label: `form re-post #${i} consent ${i % 2 === 0}`,
      identity: `repost-${i}`,
      entry: 'submitted|form|form.demo-request',
      send: () => e2e.postLead({ ...lead, marketingConsent: i % 2 === 0 }),
    });
  }
  groups.push(reposts);

  // engagement events, one replayed
  const events: Sent[] = [];
  for (let i = 0; i < n(5); i++) {
    const eventId = `burst-view-${i}`;
    const sent: Sent = {
      label: `event ${eventId}`,
      identity: eventId,
      eventId,
      send: () =>
        e2e.postEvents(leadId, [
          { eventId, type: 'pricing_page_view', occurredAt: '2026-11-30T07:55:00.000Z' },
        ]),
    };
    events.push(sent);
    if (i === 0) events.push({ ...sent, label: `${sent.label} (replayed)` });
  }
  groups.push(events);

  // round robin over the groups: every path is in flight from the first moment
  const mixed: Sent[] = [];
  for (let i = 0; groups.some((group) => i < group.length); i++)
    for (const group of groups) if (i < group.length) mixed.push(group[i]!);
  return mixed;
}

/**
 * Sends all at once. The clock first moves to `deadline` firing the due timers without waiting for their work
 * (the parked execution's timer wakes it as the requests arrive); once a third have answered it moves on by an
 * hour the same way (whatever is parked then fires among the rest).
 */
async function burst(
  e2e: E2e,
  requests: readonly Sent[],
  deadline?: string,
): Promise<{ answered: Answered[]; fired: number }> {
  // the manual scheduler fires every due timer now, without waiting for the requests' work to settle
  const scheduler = e2e.runtime.scheduler as ManualScheduler;
  const unwaited = async () => undefined;
  let fired = deadline ? await scheduler.advanceTo(new Date(deadline), unwaited) : 0;
  let answers = 0;
  let moved: Promise<void> = Promise.resolve();
  const answered = await Promise.all(
    requests.map(async (sent) => {
      const answer = await sent.send();
      if (deadline && ++answers === Math.floor(requests.length / 3)) {
        moved = scheduler.advanceTo(new Date(Date.parse(deadline) + 3_600_000), unwaited).then((count) => {
          fired += count;
        });
      }
      return { ...sent, answer };
    }),
  );
  await moved;
  await e2e.settle();
  return { answered, fired };
}

/** Reads the version over and over while `running` (one read at a time), for the "only grows" check. */
function watchVersion(e2e: E2e, leadId: string): { stop(): Promise<number[]> } {
  const seen: number[] = [];
  let running = true;
  const loop = (async () => {
    while (running) {
      const lead = await e2e.runtime.deps.store.getLead(leadId).catch(() => undefined);
      if (lead) seen.push(lead.version);
    }
  })();
  return {
    async stop() {
      running = false;
      await loop;
      return seen;
    },
  };
}

/** The invariants of one lead after a burst (see the file's header); returns figures for the report. */
async function expectHeld(
  e2e: E2e,
  leadId: string,
  before: LeadState,
  answered: readonly Answered[],
  katrin: string,
  /** identities applied by a copy answered otherwise (a link's 503 "Saved, not finished yet") */
  appliedAnyway: ReadonlySet<string> = new Set(),
  /**
   * form re-posts that gave up their write to the lead's other writers (ADR 0010's documented limit): answered
   * 202, their event stored and scored by the next wake, no 'submitted' entry
   */
  deferredPosts = 0,
  /**
   * form re-posts answered 503 whose event was stored before DynamoDB refused the rest, and whose lead could not
   * be made due either: nothing would read that event before a deadline days away (a dormant lead: never), so the
   * person is asked to send the form again, and the resend folds both (a submission counted twice at worst)
   */
  refusedPosts = 0,
) {
  const store = e2e.runtime.deps.store;
  // no 5xx; a refusal only as documented, saying why
  for (const sent of answered) {
    const { status, text } = sent.answer;
    expect(status, `${sent.label}: ${text.slice(0, 300)}`).toBeLessThan(500);
    if (status >= 400) {
      expect([404, 409, 410], `${sent.label}: ${status} ${text.slice(0, 300)}`).toContain(status);
      expect(text.length, `${sent.label}: a refusal says why`).toBeGreaterThan(0);
      if (sent.answer.body !== undefined)
        expect(sent.answer.body, sent.label).toMatchObject({ error: { code: expect.any(String) } });
      // mere concurrency is the server's to wait out, never the caller's refusal
      expect(text, `${sent.label}: ${status} ${text.slice(0, 300)}`).not.toMatch(
        /changed concurrently|"conflict"|changed at the same moment/,
      );
    }
  }

  // of copies of one change at most one applied it: one 201 per attempt key, one unreplayed per keyed change
  const byIdentity = new Map<string, Answered[]>();
  for (const sent of answered)
    byIdentity.set(sent.identity, [...(byIdentity.get(sent.identity) ?? []), sent]);
  for (const [identity, copies] of byIdentity) {
    const applied = copies.filter((copy) => {
      if (!accepted(copy)) return false;
      const body = copy.answer.body as { duplicate?: boolean } | undefined;
      if (body?.duplicate) return false;
      if (copy.answer.headers.get('idempotent-replayed') === 'true') return false;
      return true;
    });
    if (
      identity.startsWith('link ') ||
      identity.startsWith('attempt-key-') ||
      identity.startsWith('deal-key-')
    )
      expect(applied.length, `${identity}: applied by one copy at most`).toBeLessThanOrEqual(1);
    if (copies.some(accepted) && (identity.startsWith('attempt-key-') || identity.startsWith('deal-key-')))
      expect(applied.length, `${identity}: applied by one copy`).toBe(appliedAnyway.has(identity) ? 0 : 1);
  }

  // every accepted change on the timeline exactly once, no refused one: as multisets of `kind|by|rule`
  const after = (await store.getLead(leadId))!;
  const story = (await withMovedEntries(store, after)).timeline;
  const beforeLength = (await withMovedEntries(store, before)).timeline.length;
  const added = story.slice(beforeLength);
  const kinds = new Set(['attempt', 'status', 'deal', 'owner', 'field', 'submitted']);
  const landed = added.filter((entry) => kinds.has(entry.kind) && entry.by !== 'workflow').map(entryKey);
  const applied = (identity: string) =>
    byIdentity.get(identity)!.some(accepted) || appliedAnyway.has(identity);
  const expected = [...byIdentity.entries()]
    .filter(([identity]) => applied(identity))
    .map(([, copies]) => copies)
    .filter((copies) => copies[0]!.entry)
    .map((copies) => copies[0]!.entry!);
  for (let deferred = 0; deferred < deferredPosts; deferred++)
    expected.splice(expected.indexOf('submitted|form|form.demo-request'), 1);
  expect(tally(landed)).toEqual(tally(expected));

  // attempts: every accepted one stored once (the item) and no refused one; items and timeline entries agree
  const items = await store.listAttempts(leadId);
  const itemIds = items.map((item) => item.attemptId);
  expect(new Set(itemIds).size).toBe(itemIds.length);
  expect(items).toHaveLength(story.filter((entry) => entry.kind === 'attempt').length);
  for (const sent of answered) {
    const attemptId = (sent.answer.body as { attemptId?: string } | undefined)?.attemptId ?? sent.attemptId;
    if (attemptId === undefined) continue;
    expect(itemIds.includes(attemptId), `${sent.label} (${attemptId})`).toBe(applied(sent.identity));
  }

  // events: every form post's submission stored once (a deferred one too), each accepted event id once
  const events = await store.listEvents(leadId);
  const submission = e2e.sla.forms.find((form) => form.id === 'demo-request')?.event;
  const reposts = answered.filter((sent) => sent.identity.startsWith('repost-') && accepted(sent)).length;
  const submissions = events.filter((event) => event.type === submission).length;
  const repostAnswers = answered
    .filter((sent) => sent.identity.startsWith('repost-'))
    .map((sent) => `${sent.label} ${sent.answer.status}`)
    .join(', ');
  expect(submissions, repostAnswers).toBeGreaterThanOrEqual(1 + reposts);
  expect(submissions, repostAnswers).toBeLessThanOrEqual(1 + reposts + refusedPosts);
  for (const sent of answered.filter((candidate) => candidate.eventId)) {
    const stored = events.filter((event) => (event as { eventId?: string }).eventId === sent.eventId);
    const copies = byIdentity.get(sent.identity)!;
    expect(
      stored,
      `${sent.label}: ${copies.map((copy) => `${copy.answer.status} ${copy.answer.text.slice(0, 200)}`).join(' / ')}`,
    ).toHaveLength(applied(sent.identity) ? 1 : 0);
  }

  // the version grew by one write at least for each change applied
  expect(after.version - before.version).toBeGreaterThanOrEqual(expected.length);

  // never stranded: closed, or parked with a live execution and a due time; nothing failed
  const execution = e2e.latestExecution(leadId);
  const closed = after.stage === 'customer' || after.status === 'unqualified';
  if (!closed) {
    expect(after.waitToken, 'parked on a token').toBeDefined();
    expect(after.dueAt, 'with a due time').toBeDefined();
    expect(execution.status).toBe('PARKED');
  }
  expect(after.signalled, 'no signal left undelivered').toBeUndefined();
  expect(after.workflowError).toBeUndefined();
  expect(story.filter((entry) => entry.kind === 'failure')).toEqual([]);
  expect([...e2e.runtime.engine.allExecutions()].filter((run) => run.status === 'FAILED')).toEqual([]);

  // the reconciler finds nothing to resume or restart
  const report = await e2e.runtime.reconciler.run();
  expect(report).toMatchObject({ resumed: 0, restarted: 0, failed: 0 });
  await e2e.settle();

  // GET /leads/{id} and the console page say what the store says
  const settled = (await store.getLead(leadId))!;
  const whole = (await withMovedEntries(store, settled)).timeline;
  const view = await e2e.readLead(leadId);
  expect({
    stage: view.lifecycleStage,
    status: view.leadStatus,
    owner: view.owner?.id ?? null,
    deal: view.deal?.stageId ?? null,
    attempts: view.attempts.length,
    timeline: view.timeline.length,
    events: view.eventCount,
  }).toEqual({
    stage: settled.stage,
    status: settled.status,
    owner: settled.ownerId ?? null,
    deal: settled.deal?.stageId ?? null,
    attempts: (await store.listAttempts(leadId)).length,
    timeline: whole.length,
    events: (await store.listEvents(leadId)).length,
  });
  const page = await consoleFetch(e2e.runtime, 'GET', `/console/leads/${leadId}`, { cookie: katrin });
  expect(page.status).toBe(200);
  const text = textOf(page.text);
  const sla = e2e.sla;
  const owner = sla.routing.reps.find((rep) => rep.id === settled.ownerId);
  if (owner) expect(text).toContain(owner.name);
  expect(text).toContain(sla.leadStatuses.find((status) => status.id === settled.status)!.name);
  if (settled.deal)
    expect(text).toContain(sla.deals.stages.find((stage) => stage.id === settled.deal!.stageId)!.name);

  // every email once (the sign-in links aside: one per sign-in)
  const mails = (await e2e.mails()).filter((mail) => !/sign-in link/i.test(mail.subject));
  const envelopes = mails.map((mail) => `${mail.to.join(',')} | ${mail.cc.join(',')} | ${mail.subject}`);
  expect(envelopes.filter((envelope, i) => envelopes.indexOf(envelope) !== i)).toEqual([]);
  expect(mails.filter((mail) => mail.to.includes(JONAS) && mail.subject.startsWith('New SQL:'))).toHaveLength(
    1,
  );

  return { after: settled, story: whole, mails, landed };
}

function statusCounts(answered: readonly Answered[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const { answer } of answered) counts[answer.status] = (counts[answer.status] ?? 0) + 1;
  return counts;
}

describe('a burst of ~100 concurrent changes on one handed-over SQL while its timer fires', () => {
  let e2e: E2e;
  beforeAll(async () => {
    e2e = await startE2e({ rateLimit: OPEN_RATE, reconcileEveryMs: 0 });
  });
  afterAll(async () => {
    await e2e?.close();
  });

  it('answers no 5xx, lands every accepted change once and no refused one, sends every email once, strands nothing', async () => {
    // Arrange: Petra's demo request, an SQL handed to Jonas; the owner and his manager signed in to the console
    const started = Date.now();
    const { lead, leadId, state, links } = await handedOffLead(e2e, 'petra.schneider@brauhaus-werke.example');
    const jonas = await signIn(e2e.runtime, JONAS);
    const katrin = await signIn(e2e.runtime, KATRIN);
    const pageOf = async (cookie: string) =>
      csrfOf((await consoleFetch(e2e.runtime, 'GET', `/console/leads/${leadId}`, { cookie })).text);
    const consoleOf = { jonas, katrin, csrfJonas: await pageOf(jonas), csrfKatrin: await pageOf(katrin) };
    const requests = burstRequests(e2e, leadId, lead, links, consoleOf, 1);
    const before = (await e2e.runtime.deps.store.getLead(leadId))!;
    expect(before.version).toBe(state.version);

    // Act: the first-touch deadline's timer fires as all are sent at once; a third answered, an hour more
    const warnings = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const versions = watchVersion(e2e, leadId);
    const { answered, fired } = await burst(e2e, requests, FIRST_TOUCH_DUE);
    const seen = await versions.stop();
    const deferredPosts = warnings.mock.calls.filter(([line]) =>
      String(line).includes('its re-judging left to the workflow'),
    ).length;
    warnings.mockRestore();

    // Assert
    expect(requests.length).toBeGreaterThanOrEqual(90);
    expect(fired, 'the first-touch timer fired during the burst').toBeGreaterThanOrEqual(1);
    const { after, story, mails, landed } = await expectHeld(
      e2e,
      leadId,
      before,
      answered,
      katrin,
      new Set(),
      deferredPosts,
    );
    expect(seen.length).toBeGreaterThan(1);
    expect(seen.filter((version, i) => i > 0 && version < seen[i - 1]!)).toEqual([]);
    expect(seen.at(-1)).toBeLessThanOrEqual(after.version);
    console.log(
      JSON.stringify({
        requests: answered.length,
        statuses: statusCounts(answered),
        changesLanded: landed.length,
        timelineEntries: story.length,
        versionFrom: before.version,
        versionTo: after.version,
        timersFired: fired,
        formPostsDeferred: deferredPosts,
        emails: mails.map(
          (mail) =>
            `${mail.to.join(',')}${mail.cc.length ? ` cc ${mail.cc.join(',')}` : ''} | ${mail.subject}`,
        ),
        end: {
          stage: after.stage,
          status: after.status,
          owner: after.ownerId,
          deal: after.deal?.stageId,
          dueAt: after.dueAt,
        },
        ms: Date.now() - started,
      }),
    );
  }, 60_000);
});

describe("the same burst, smaller, while DynamoDB throttles past the SDK's retries", () => {
  let e2e: E2e;
  let dynamo: FaultProxy | undefined;
  let busy = false;
  beforeAll(async () => {
    e2e = await startE2e({
      rateLimit: OPEN_RATE,
      reconcileEveryMs: 0,
      endpoints: {
        dynamodb: async (target) => {
          dynamo = await startFaultProxy({
            target,
            service: 'dynamodb',
            rate: 0.35,
            seed: 7,
            kinds: ['throttle'],
            phases: ['before'],
            eligible: () => busy,
          });
          return dynamo.endpoint;
        },
      },
    });
  });
  afterAll(async () => {
    busy = false;
    await e2e?.close();
    await dynamo?.close();
  });

  it('refuses some with 503 temporarily_unavailable and stores nothing of them; sent again, each lands once', async () => {
    // Arrange: as above, with a third of the burst
    const { lead, leadId, links } = await handedOffLead(e2e, 'anna.keller@brauhaus-werke.example');
    const jonas = await signIn(e2e.runtime, JONAS);
    const katrin = await signIn(e2e.runtime, KATRIN);
    const pageOf = async (cookie: string) =>
      csrfOf((await consoleFetch(e2e.runtime, 'GET', `/console/leads/${leadId}`, { cookie })).text);
    const consoleOf = { jonas, katrin, csrfJonas: await pageOf(jonas), csrfKatrin: await pageOf(katrin) };
    const requests = burstRequests(e2e, leadId, lead, links, consoleOf, 0.35);
    const before = (await e2e.runtime.deps.store.getLead(leadId))!;

    // Act: DynamoDB refuses about a third of its requests while the burst runs; then answers again
    const warnings = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const deferred = () =>
      warnings.mock.calls.filter(([line]) => String(line).includes('its re-judging left to the workflow'))
        .length;
    busy = true;
    const first = await Promise.all(requests.map(async (sent) => ({ ...sent, answer: await sent.send() })));
    busy = false;
    await e2e.settle();
    const refused = first.filter((sent) => sent.answer.status === 503);
    const afterRefusals = (await e2e.runtime.deps.store.getLead(leadId))!;
    const storyAfterRefusals = (await withMovedEntries(e2e.runtime.deps.store, afterRefusals)).timeline;

    // Assert: refusals as documented, and nothing of them stored (the timeline holds the accepted ones alone)
    expect(refused.length, 'the throttling refused some requests').toBeGreaterThan(0);
    for (const sent of refused) {
      expect(sent.answer.headers.get('retry-after'), sent.label).toMatch(/^\d+$/);
      if (sent.answer.body !== undefined)
        expect(sent.answer.body, sent.label).toMatchObject({ error: { code: 'temporarily_unavailable' } });
    }
    // nothing of a refused request stored, but what the answer says: a link's "Saved, not finished yet" (its
    // change written, its signal not), and an attempt whose 503 came after its commit (docs/api.md: its attempt
    // id or key again completes it); every other 503 left the lead as it was
    const kinds = new Set(['attempt', 'status', 'deal', 'owner', 'field', 'submitted']);
    const landedFirst = storyAfterRefusals
      .slice(before.timeline.length + (before.timelineSpilled ?? 0))
      .filter((entry) => kinds.has(entry.kind) && entry.by !== 'workflow')
      .map(entryKey);
    const byIdentity = new Map<string, Answered[]>();
    for (const sent of first) byIdentity.set(sent.identity, [...(byIdentity.get(sent.identity) ?? []), sent]);
    const saidSaved = (sent: Answered) =>
      sent.answer.status === 503 && titleOf(sent.answer.text) === 'Saved, not finished yet';
    const committed = (sent: Answered) =>
      sent.answer.status === 503 &&
      sent.attemptId !== undefined &&
      afterRefusals.sent.includes(attemptKey(sent.attemptId));
    const applied = [...byIdentity.values()].filter((copies) =>
      copies.some((copy) => accepted(copy) || saidSaved(copy) || committed(copy)),
    );
    const expectedFirst = applied.flatMap((copies) => (copies[0]!.entry ? [copies[0]!.entry] : []));
    for (let post = 0; post < deferred(); post++)
      expectedFirst.splice(expectedFirst.indexOf('submitted|form|form.demo-request'), 1);
    expect(tally(landedFirst), refused.map((sent) => sent.label).join(', ')).toEqual(tally(expectedFirst));
    // ... applied by that 503's request, when no copy answered 201 for it (a copy after it answered as a duplicate)
    const completedLater = refused.filter(
      (sent) => committed(sent) && !byIdentity.get(sent.identity)!.some((copy) => copy.answer.status === 201),
    );

    // Act 2: each refused request sent again, as the 503's Retry-After says (same keys, same links)
    const again = await Promise.all(refused.map(async (sent) => ({ ...sent, answer: await sent.send() })));
    await e2e.settle();

    // Assert 2: all the invariants of the big burst over both rounds
    // applied in the first round though answered 503: the link that said so, the attempts committed before theirs
    const saved = new Set([...refused.filter(saidSaved), ...completedLater].map((sent) => sent.identity));
    const deferredPosts = deferred();
    // a re-post refused 503 after its event was stored (its lead not made due): the resend stores its own
    const refusedPosts = refused.filter((sent) => sent.identity.startsWith('repost-')).length;
    warnings.mockRestore();
    await expectHeld(
      e2e,
      leadId,
      before,
      [...first.filter((sent) => sent.answer.status !== 503), ...again],
      katrin,
      saved,
      deferredPosts,
      refusedPosts,
    );
    console.log(
      JSON.stringify({
        requests: first.length,
        statuses: statusCounts(first),
        throttled: dynamo!.counts().byFault,
        committedThen503: completedLater.map((sent) => sent.label),
        formPostsDeferred: deferredPosts,
        sentAgain: statusCounts(again),
      }),
    );
  }, 60_000);
});
