/**
 * No lead left behind under faults: 200 leads (40 hot leads that become SQLs, get an owner, the
 * contact cadence's reminders and the escalations up to a reassignment; 160 cold leads with
 * marketing consent that get a nurture email) run through the whole local runtime, through the
 * same sequence of virtual time: once clean, then with a fault-injecting proxy
 * (test/support/fault-proxy.ts, real sockets) between the runtime's clients and dynalite / the SES
 * emulator. Every lead must end as in the clean run (stage, status, type, owner, handoff time, the
 * owners and emails its timeline records, its outbox) and the multiset of emails (recipients +
 * subject) must be equal: none missing, none twice. Both runs go through the proxies; only the
 * faulty ones get a rate.
 *
 * The faults are INJECTED FAULTs on the wire, not mocks: DynamoDB throttling, HTTP 500/503, a hang
 * that ends in a reset, a slow answer, a dropped connection; each before the request reaches the
 * emulator, or after it did its work (the write happened, the answer is lost).
 *
 * What absorbs what: the SDK clients (maxAttempts 3) retry throttling, 5xx and dropped or reset
 * connections themselves; what is left after three tries reaches our code as an error, fails the
 * task, and the state machine's Retry runs the task again (6 times, locally 200 ms apart); a task
 * that still fails goes to RecordFailure, and the reconciler (run by the test after every instant
 * of virtual time, as its timer would) restarts the lead. A lost answer to a write that landed
 * reaches our code as a conflict (the SDK's retry finds the condition false): code that runs again
 * on the lead as written must not do twice what it did once.
 *
 * SES SendEmail has no idempotency key: a lost answer to a send that went out is sent again (the
 * third test counts exactly that), so the main comparison injects SES faults before the send only.
 */
import { describe, expect, it } from 'vitest';
import { submissionSchema } from '../../lambdas/api/lead-submission.ts';
import { submitLead } from '../../lambdas/api/leads-public.ts';
import type { LeadState } from '../../lambdas/domain/lead-state.ts';
import { pendingKeys } from '../../lambdas/domain/outbox.ts';
import type { Sla } from '../../lambdas/domain/sla-schema.ts';
import type { ManualScheduler } from '../../local/scheduler.ts';
import { type E2e, exampleLead, MONDAY_0900_BERLIN, startE2e } from '../support/e2e.ts';
import {
  type FaultCounts,
  type FaultPhase,
  type FaultProxy,
  startFaultProxy,
} from '../support/fault-proxy.ts';
import { loadDefaultSla } from '../support/sla.ts';

const HOT = Number(process.env.FAULT_HOT ?? 40);
const COLD = Number(process.env.FAULT_COLD ?? 160);
/**
 * Until when the run goes (posts at Mon 09:00 Berlin): the handoffs and the first nurture emails,
 * the cadence's second reminder (10:00), the escalations (13:00 owner reminded, 15:00 manager told,
 * 17:00 reassigned to Carla in Chicago, who gets the lead's next reminder).
 */
const RUN_UNTIL = new Date(process.env.FAULT_UNTIL ?? '2026-11-30T16:30:00.000Z');
const TEST_MS = Number(process.env.FAULT_TEST_MS ?? 60_000);

interface LeadOutcome {
  readonly stage: string;
  readonly status: string;
  readonly type: string;
  readonly owner: string | null;
  readonly handedOffAt: string | null;
  /** timeline entries that record business facts: emails sent, owners given */
  readonly emailEntries: number;
  readonly owners: string;
  /** the lead's outbox: keys sent, keys still claimed and not marked sent */
  readonly sent: string;
  readonly pending: string;
}

interface RunResult {
  readonly leads: Map<string, LeadOutcome>;
  /** `to | cc | subject` -> how many times */
  readonly emails: Map<string, number>;
  readonly emailCount: number;
  readonly postRetries: number;
  readonly dynamo: FaultCounts;
  readonly ses: FaultCounts;
  readonly restartedByReconciler: number;
  readonly failuresRecorded: number;
  readonly ms: number;
  /** of which posting the leads */
  readonly postMs: number;
}

interface FaultPlan {
  readonly rate: number;
  readonly seed: number;
  readonly dynamoPhases: readonly FaultPhase[];
  readonly sesPhases: readonly FaultPhase[];
}

/** the lead as stored (read directly from the store, past the proxy's faults, which are off by then) */
async function stored(e2e: E2e, email: string): Promise<LeadState> {
  const lead = await e2e.runtime.deps.store.getLead(e2e.leadIdOf(email));
  if (!lead) throw new Error(`no lead for ${email}: an accepted post was lost`);
  return lead;
}

/** the reconciler's sweep until nothing it restarts is left running */
async function sweep(e2e: E2e): Promise<void> {
  for (let round = 0; round < 5; round++) {
    const report = await e2e.runtime.reconciler.run();
    await e2e.settle();
    if (!report || report.restarted === 0) return;
  }
}

async function inPool<T>(items: readonly T[], size: number, work: (item: T) => Promise<void>) {
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      await work(items[index]!);
    }
  };
  await Promise.all(Array.from({ length: size }, worker));
}

/**
 * The default SLA with an equipment-sales queue whose owner does not depend on the order of
 * concurrent handoffs: Jonas (Berlin) and Carla (Chicago) never work at the same time, and
 * no capacity caps Jonas. The turn counter still runs (and takes the faults); who gets a lead
 * depends only on when.
 */
function faultSla(): Sla {
  const sla = structuredClone(loadDefaultSla()) as Sla & { routing: { queues: unknown[]; reps: unknown[] } };
  sla.routing.queues = sla.routing.queues.map((queue) =>
    queue.id === 'equipment-sales' ? { ...queue, reps: ['jonas', 'carla'] } : queue,
  );
  sla.routing.reps = sla.routing.reps.map((rep) => {
    if (rep.id !== 'jonas') return rep;
    const { capacity: _none, ...uncapped } = rep;
    return uncapped;
  });
  return sla;
}

function leadPayloads(): Record<string, unknown>[] {
  const hot = exampleLead('hot');
  const cold = exampleLead('cold');
  const payloads: Record<string, unknown>[] = [];
  for (let i = 0; i < Math.max(HOT, COLD); i++) {
    if (i < HOT)
      payloads.push({
        ...hot,
        email: `buyer${i}@werk${i}.example`,
        lastName: `Hot${i}`,
        company: `Werk ${i} GmbH`,
      });
    if (i < COLD) payloads.push({ ...cold, email: `tech${i}@gmail.com`, lastName: `Cold${i}` });
  }
  return payloads;
}

async function run(faults?: FaultPlan): Promise<RunResult> {
  const started = Date.now();
  const proxies: { dynamo?: FaultProxy; ses?: FaultProxy } = {};
  const e2e: E2e = await startE2e({
    sla: faultSla(),
    time: { manual: MONDAY_0900_BERLIN },
    reconcileEveryMs: 0,
    rateLimit: { perMinute: 1_000_000, burst: 1_000_000 },
    // both runs go through the proxies; only the faulty one gets a rate
    endpoints: {
      dynamodb: async (target) => {
        proxies.dynamo = await startFaultProxy({
          target,
          service: 'dynamodb',
          seed: faults?.seed ?? 1,
          phases: faults?.dynamoPhases ?? ['before', 'after'],
          timeoutMs: 100,
          slowMs: 50,
        });
        return proxies.dynamo.endpoint;
      },
      ses: async (target) => {
        proxies.ses = await startFaultProxy({
          target,
          service: 'ses',
          seed: (faults?.seed ?? 1) + 1,
          phases: faults?.sesPhases ?? ['before'],
          timeoutMs: 100,
          slowMs: 50,
        });
        return proxies.ses.endpoint;
      },
    },
  });
  const dynamo = proxies.dynamo!;
  const ses = proxies.ses!;
  try {
    // INJECTED FAULT: from here on, `rate` of the requests to dynalite and to SES fail
    dynamo.setRate(faults?.rate ?? 0);
    ses.setRate(faults?.rate ?? 0);

    // the posts, 16 at a time, through the route's own code (its schema, then submitLead) minus the
    // HTTP server and the response floor (ADR 0010), whose adaptive wait would dominate the run; a
    // post that fails (the 5xx a visitor would see) is posted again, as a visitor would
    let postRetries = 0;
    const payloads = leadPayloads();
    const postedEmails = payloads.map((payload) => String(payload.email));
    await inPool(payloads, 16, async (payload) => {
      const submission = submissionSchema.parse(payload);
      for (let attempt = 1; ; attempt++) {
        try {
          await submitLead(e2e.runtime.deps, submission, e2e.leadIdOf(submission.email));
          return;
        } catch (error) {
          if (attempt >= 5) throw error;
          postRetries++;
        }
      }
    });
    await e2e.settle();
    await sweep(e2e);
    const postMs = Date.now() - started;

    // the same virtual time in both runs: every timer due at one instant fires at once (as timers
    // do in AWS), then the work settles and the reconciler sweeps (what its timer does)
    const scheduler = e2e.runtime.scheduler as ManualScheduler;
    const end = RUN_UNTIL.getTime();
    for (let next = scheduler.nextTimer(); next && next.getTime() <= end; next = scheduler.nextTimer()) {
      await scheduler.advanceTo(next, () => Promise.resolve());
      await e2e.settle();
      await sweep(e2e);
    }
    await e2e.advanceTo(new Date(end));
    // read back with the faults off: the outcome, not the reading, is under test
    dynamo.setRate(0);
    ses.setRate(0);
    const leads = new Map<string, LeadOutcome>();
    let failuresRecorded = 0;
    for (const email of postedEmails) {
      const state = await stored(e2e, email);
      leads.set(email, {
        stage: state.stage,
        status: state.status,
        type: state.leadType,
        owner: state.ownerId ?? null,
        handedOffAt: state.handedOffAt ?? null,
        emailEntries: state.timeline.filter((entry) => entry.kind === 'email').length,
        owners: state.timeline
          .filter((entry) => entry.kind === 'owner')
          .map((entry) => `${entry.from ?? ''}>${entry.to ?? ''}`)
          .join(' '),
        // a consent request's key carries a random request id: the same email in either run
        sent: [...state.sent]
          .map((key) => key.replace(/^consent:.*/, 'consent:<request>'))
          .sort()
          .join(' '),
        pending: pendingKeys(state).sort().join(' '),
      });
      failuresRecorded += state.timeline.filter((entry) => entry.kind === 'failure').length;
      // no lead left behind: its workflow is alive, or it has nothing due
      const alive = e2e.runtime.engine
        .executionsOf(state.leadId)
        .some((execution) => execution.status === 'RUNNING' || execution.status === 'PARKED');
      if (state.dueAt && !alive)
        throw new Error(`lead ${email} is due at ${state.dueAt} with no live workflow`);
    }
    const sent = new Map<string, number>();
    const mails = await e2e.mails();
    for (const mail of mails) {
      const key = `${mail.to.join(',')} | ${mail.cc.join(',')} | ${mail.subject}`;
      sent.set(key, (sent.get(key) ?? 0) + 1);
    }
    return {
      leads,
      emails: sent,
      emailCount: mails.length,
      postRetries,
      dynamo: dynamo.counts(),
      ses: ses.counts(),
      restartedByReconciler: e2e.runtime.reconciler.figures().restarted,
      failuresRecorded,
      ms: Date.now() - started,
      postMs,
    };
  } finally {
    await e2e.close();
    await dynamo.close();
    await ses.close();
  }
}

/** what differs between two runs, lead by lead and email by email (empty when none) */
function differences(clean: RunResult, faulty: RunResult): string[] {
  const out: string[] = [];
  for (const [leadId, expected] of clean.leads) {
    const actual = faulty.leads.get(leadId);
    if (JSON.stringify(actual) !== JSON.stringify(expected))
      out.push(`lead ${leadId}: ${JSON.stringify(actual)} instead of ${JSON.stringify(expected)}`);
  }
  for (const key of new Set([...clean.emails.keys(), ...faulty.emails.keys()])) {
    const expected = clean.emails.get(key) ?? 0;
    const actual = faulty.emails.get(key) ?? 0;
    if (actual !== expected) out.push(`email ${key}: ${actual} sent instead of ${expected}`);
  }
  return out;
}

function summary(name: string, result: RunResult): string {
  return JSON.stringify({
    run: name,
    ms: result.ms,
    postMs: result.postMs,
    leads: result.leads.size,
    emails: result.emailCount,
    postRetries: result.postRetries,
    failuresRecorded: result.failuresRecorded,
    restartedByReconciler: result.restartedByReconciler,
    dynamo: result.dynamo,
    ses: result.ses,
  });
}

describe('200 leads under injected faults on DynamoDB and SES', () => {
  let clean: RunResult | undefined;

  it(
    'the clean run does what the SLA says: every hot lead owned, reminded and escalated, every cold lead nurtured',
    async () => {
      clean = await run();
      console.log(summary('clean', clean));
      const outcomes = [...clean.leads.values()];
      expect(outcomes).toHaveLength(HOT + COLD);
      // reassigned from Jonas to Carla at 17:00 Berlin (first touch 4 business hours overdue)
      expect(outcomes.filter((lead) => lead.owner === 'carla')).toHaveLength(HOT);
      expect(clean.failuresRecorded).toBe(0);
      expect(clean.restartedByReconciler).toBe(0);
      expect(clean.postRetries).toBe(0);
      expect(clean.dynamo.injected + clean.ses.injected).toBe(0);
      const count = (pattern: RegExp) =>
        [...clean!.emails].filter(([key]) => pattern.test(key)).reduce((sum, [, n]) => sum + n, 0);
      expect(count(/^jonas\.berger@[^|]+\|\s*\| New SQL: /)).toBe(HOT);
      expect(count(/^jonas\.berger@[^|]+\|\s*\| Attempt 2\/6: /)).toBe(HOT);
      expect(count(/^jonas\.berger@[^|]+\|\s*\| Due now: /)).toBe(HOT);
      // the manager told, and the owner a copy of their own (no cc: each their own links)
      expect(count(/^katrin\.vogel@[^|]+\|\s*\| Escalation: /)).toBe(HOT);
      expect(count(/^jonas\.berger@[^|]+\|\s*\| Escalation: /)).toBe(HOT);
      expect(count(/^carla\.ruiz@[^|]+\|\s*\| Reassigned to you: /)).toBe(HOT);
      expect(count(/^jonas\.berger@[^|]+\|\s*\| Reassigned: /)).toBe(HOT);
      expect(count(/^tech\d+@gmail\.com \|\s*\| /)).toBe(COLD);
      expect([...clean.emails.values()].every((n) => n === 1)).toBe(true);
    },
    TEST_MS,
  );

  it(
    'DynamoDB faults before and after the write, SES faults before the send: every lead ends as in the clean run, no email missing or twice',
    async () => {
      if (!clean) throw new Error('the clean run did not complete: nothing to compare with');
      // INJECTED FAULT: 6% of all requests to dynalite (either phase) and to SES (before it sends)
      const faulty = await run({
        rate: 0.06,
        seed: 42,
        dynamoPhases: ['before', 'after'],
        sesPhases: ['before'],
      });
      console.log(summary('faulty', faulty));
      // ~2,900 requests for the 200 leads since a wake reads once and writes once (ADR 0020): ~170 faults
      expect(faulty.dynamo.injected).toBeGreaterThan(120);
      expect(faulty.ses.injected).toBeGreaterThan(10);
      expect(differences(clean, faulty)).toEqual([]);
    },
    TEST_MS,
  );

  it(
    'SES faults after the send (accepted, answer lost): no email missing, and each extra copy is one lost answer',
    async () => {
      if (!clean) throw new Error('the clean run did not complete: nothing to compare with');
      // INJECTED FAULT: 6% of the requests to SES fail after the emulator stored the email, and 6%
      // of the requests to dynalite in either phase. SendEmail has no idempotency key: a client
      // that lost the answer cannot tell a sent email from an unsent one, so it sends again (the
      // SDK's retry, or the task's). At-least-once is the designed outcome (the outbox, ADR 0020)
      const faulty = await run({
        rate: 0.06,
        seed: 7,
        dynamoPhases: ['before', 'after'],
        sesPhases: ['after'],
      });
      console.log(summary('faulty, SES after', faulty));
      const lostAnswers = Object.entries(faulty.ses.byFault)
        .filter(([fault]) => fault.endsWith('/after') && !fault.startsWith('slow/'))
        .reduce((sum, [, n]) => sum + n, 0);
      expect(lostAnswers).toBeGreaterThan(5);
      const missing: string[] = [];
      const copies: string[] = [];
      let extra = 0;
      for (const [key, expected] of clean.emails) {
        const actual = faulty.emails.get(key) ?? 0;
        if (actual < expected) missing.push(`${key}: ${actual} of ${expected}`);
        else extra += actual - expected;
        if (actual > expected) copies.push(`${key}: ${actual} of ${expected}`);
      }
      const unexpected = [...faulty.emails.keys()].filter((key) => !clean!.emails.has(key));
      expect({ missing, unexpected }).toEqual({ missing: [], unexpected: [] });
      // every duplicate is a lost answer, and every lost answer a duplicate: nothing else sends twice
      // (which emails went out more than once, and the faults, say where a copy the count does not explain came from)
      expect(extra, JSON.stringify({ copies, ses: faulty.ses.byFault, dynamo: faulty.dynamo.byFault })).toBe(
        lostAnswers,
      );
      // the leads themselves end as in the clean run
      const leadDifferences = differences(clean, { ...faulty, emails: clean.emails });
      expect(leadDifferences).toEqual([]);
    },
    TEST_MS,
  );

  it('a reassignment whose write landed but whose answer was lost is recorded once', async () => {
    // INJECTED FAULT: the first write that gives the lead to Carla reaches dynalite, then the
    // answer is replaced by a 500; the SDK's retry finds the version moved (a conflict) and the
    // update runs again on the lead as written
    let struck = false;
    const proxies: FaultProxy[] = [];
    const e2e = await startE2e({
      sla: faultSla(),
      reconcileEveryMs: 0,
      endpoints: {
        dynamodb: async (target) => {
          const proxy = await startFaultProxy({
            target,
            service: 'dynamodb',
            rate: 1,
            kinds: ['error500'],
            phases: ['after'],
            eligible: (request) => {
              if (struck || request.operation !== 'PutItem') return false;
              struck = request.body.toString().includes('"ownerId":{"S":"carla"}');
              return struck;
            },
          });
          proxies.push(proxy);
          return proxy.endpoint;
        },
      },
    });
    try {
      const posted = await e2e.postLead({ ...exampleLead('hot'), email: 'once@werk.example' });
      expect(posted.status).toBe(202);
      await e2e.settle();
      await e2e.advanceTo(RUN_UNTIL);

      expect(proxies[0]!.counts().byFault).toEqual({ 'error500/after': 1 });
      const view = await stored(e2e, 'once@werk.example');
      expect(view.ownerId).toBe('carla');
      expect(
        view.timeline
          .filter((entry) => entry.kind === 'owner')
          .map((entry) => `${entry.from ?? ''}>${entry.to}`),
      ).toEqual(['>jonas', 'jonas>carla']);
      const subjects = (await e2e.mails()).map((mail) => mail.subject.split(':')[0]).sort();
      expect(subjects).toEqual([
        'Attempt 2/6',
        'Due now',
        'Escalation',
        // the owner's own copy of the escalation
        'Escalation',
        'New SQL',
        'Reassigned',
        'Reassigned to you',
      ]);
    } finally {
      await e2e.close();
      await Promise.all(proxies.map((proxy) => proxy.close()));
    }
  });

  it('a store fault right after an email went out, longer than the SDK retries: the email is sent once', async () => {
    // INJECTED FAULT: once SES has the "New SQL" email, the next 3 requests to dynalite (the SDK's
    // three tries to read the lead and record the send) fail with a 500 before reaching it
    let armed = 0;
    const proxies: FaultProxy[] = [];
    const proxy = async (target: string, service: 'dynamodb' | 'ses') => {
      const started = await startFaultProxy({
        target,
        service,
        rate: 1,
        kinds: ['error500'],
        phases: ['before'],
        eligible: (request) => {
          if (service === 'ses') {
            if (request.body.toString().includes('New SQL')) armed = 3;
            return false;
          }
          return armed-- > 0;
        },
      });
      proxies.push(started);
      return started.endpoint;
    };
    const e2e = await startE2e({
      sla: faultSla(),
      reconcileEveryMs: 0,
      endpoints: { dynamodb: (target) => proxy(target, 'dynamodb'), ses: (target) => proxy(target, 'ses') },
    });
    try {
      const posted = await e2e.postLead({ ...exampleLead('hot'), email: 'sent-once@werk.example' });
      expect(posted.status).toBe(202);
      await e2e.settle();

      expect(proxies[0]!.counts().byFault).toEqual({ 'error500/before': 3 });
      expect((await e2e.mails()).map((mail) => mail.subject.split(':')[0])).toEqual(['New SQL']);
      const view = await stored(e2e, 'sent-once@werk.example');
      expect(view.timeline.filter((entry) => entry.kind === 'email')).toHaveLength(1);
    } finally {
      await e2e.close();
      await Promise.all(proxies.map((started) => started.close()));
    }
  });

  it("a reassignment's second message failing past the SDK's retries: each rep gets their message once", async () => {
    // INJECTED FAULT: the previous owner's message of the reassignment (Jonas's "now with Carla") fails with a
    // 500 before reaching SES, three times (the SDK's three tries): the send fails after Carla's "reassigned to
    // you" went out; the retry sends only Jonas's (OutboxEntry.messagesSent), not Carla's again
    const proxies: FaultProxy[] = [];
    const e2e = await startE2e({
      sla: faultSla(),
      reconcileEveryMs: 0,
      endpoints: {
        ses: async (target) => {
          let strikes = 3;
          const proxy = await startFaultProxy({
            target,
            service: 'ses',
            rate: 1,
            kinds: ['error500'],
            phases: ['before'],
            eligible: (request) => request.body.toString().includes('now with') && strikes-- > 0,
          });
          proxies.push(proxy);
          return proxy.endpoint;
        },
      },
    });
    try {
      const posted = await e2e.postLead({ ...exampleLead('hot'), email: 'told-once@werk.example' });
      expect(posted.status).toBe(202);
      await e2e.settle();
      await e2e.advanceTo(RUN_UNTIL);

      expect(proxies[0]!.counts().byFault).toEqual({ 'error500/before': 3 });
      expect((await stored(e2e, 'told-once@werk.example')).ownerId).toBe('carla');
      const envelopes = (await e2e.mails()).map(
        (mail) => `${mail.to.join(',')} | ${mail.subject.split(':')[0]}`,
      );
      expect(envelopes.filter((envelope) => envelope.includes('| Reassigned')).sort()).toEqual([
        'carla.ruiz@kessler-industrial.example | Reassigned to you',
        'jonas.berger@kessler-industrial.example | Reassigned',
      ]);
      expect(envelopes.filter((envelope, i) => envelopes.indexOf(envelope) !== i)).toEqual([]);
    } finally {
      await e2e.close();
      await Promise.all(proxies.map((proxy) => proxy.close()));
    }
  });
});
