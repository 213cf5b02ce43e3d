/**
 * The retention of sign-ups never confirmed (ADR 0092), on DynamoDB (dynalite) with the real ASL on the local
 * engine, the real tasks and handlers, and a manual clock: a lead that signed up and never confirmed is erased
 * `consent.eraseUnconfirmedAfterDays` after its confirmation link lapsed, through the erase path (workflow stopped,
 * events deleted, personal data gone, what erase keeps kept), and counted in the SLA report; a sales lead whose
 * consent lapsed just the same is kept; two passes at once erase each lead once; a pass that died after an erase's
 * write is finished by the next. Before, nothing erased them: ops had to find and erase each by hand.
 */
import { describe, expect, it } from 'vitest';
import { DynamoDbFactLog } from '../../lambdas/adapters/dynamodb-fact-log.ts';
import { DynamoDbLeadQueries } from '../../lambdas/adapters/dynamodb-lead-queries.ts';
import { DynamoDbLeadStore } from '../../lambdas/adapters/dynamodb-lead-store.ts';
import { observeWrites } from '../../lambdas/adapters/observed-lead-store.ts';
import { buildReport } from '../../lambdas/api/sla-report.ts';
import { consentStatus } from '../../lambdas/domain/consent.ts';
import type { Sla } from '../../lambdas/domain/sla-schema.ts';
import { storyCarrier } from '../../lambdas/domain/story-carry.ts';
import { unconfirmedErasure } from '../../lambdas/domain/unconfirmed-erasure.ts';
import type { LeadStore } from '../../lambdas/ports/lead-store.ts';
import {
  eraseUnconfirmed,
  previewUnconfirmed,
  type RetentionDeps,
} from '../../lambdas/tasks/erase-unconfirmed.ts';
import { useDynalite } from '../support/dynalite.ts';
import { type PausingStore, pausingStore } from '../support/pausing.ts';
import { loadDefaultSla } from '../support/sla.ts';
import { exampleLead, type WorkflowHarness, workflowHarness } from '../support/workflow-harness.ts';

/** Mon 2026-11-30 08:00Z = 09:00 Berlin */
const T0 = new Date('2026-11-30T08:00:00.000Z');
/** the confirmation link of a post at T0 lapses 30 days later; the SLA erases 90 days after that */
const LAPSED = '2026-12-30T08:00:00.000Z';
const DAY = 86_400_000;
const ERASABLE = new Date(Date.parse(LAPSED) + 90 * DAY);
const cold = exampleLead('cold');
const hot = exampleLead('hot');
const signUp = (name: string) => ({ ...cold, email: `${name}@gmail.com`, firstName: name });

const db = useDynalite();

function setUp(): {
  h: WorkflowHarness;
  sla: Sla;
  store: LeadStore;
  queries: DynamoDbLeadQueries;
  deps: () => RetentionDeps;
  paused: PausingStore<LeadStore>;
} {
  const sla: Sla = { ...loadDefaultSla(), consent: { eraseUnconfirmedAfterDays: 90 } };
  // as the functions build it: every state written also writes its report facts
  const storeOn = () =>
    observeWrites(
      new DynamoDbLeadStore(db.doc, { tableName: db.tableName, carry: storyCarrier(sla) }),
      new DynamoDbFactLog(db.doc, db.tableName, sla),
    );
  // the harness's functions' store: a test may hold one of their calls (test/support/pausing.ts)
  const paused = pausingStore(storeOn());
  const store = paused.store;
  const queries = new DynamoDbLeadQueries(db.doc, db.tableName);
  const h = workflowHarness({ start: T0, sla, store });
  // each call: another function instance (its own store object) on the same table
  const deps = (): RetentionDeps => ({
    sla,
    store: storeOn(),
    queries,
    workflow: h.workflow,
    clock: h.clock,
  });
  return { h, sla, store, queries, deps, paused };
}

async function unconfirmedErasedIn(
  setup: ReturnType<typeof setUp>,
  from: string,
  to: string,
): Promise<number | undefined> {
  const report = await buildReport(
    { sla: setup.sla, clock: setup.h.clock, queries: setup.queries },
    { owners: undefined },
    { from, to },
  );
  return report.retention?.unconfirmedErased;
}

describe('sign-ups never confirmed are erased by the SLA retention', () => {
  it('signup -> the link lapses after 30 days -> 90 more days -> erased through the erase path, counted in the report', async () => {
    // Arrange: a sign-up on the guide's double opt-in form, never confirmed
    const setup = setUp();
    const { h, store } = setup;
    const leadId = await h.submit(signUp('jamie'));
    expect(await store.listEvents(leadId)).not.toHaveLength(0);
    // a day before it is erasable: the pass keeps it (the link lapsed 89 days ago: not even listed)
    await h.advanceTo(new Date(ERASABLE.getTime() - DAY));
    const early = await eraseUnconfirmed(setup.deps());
    const before = await h.lead(leadId);
    expect(consentStatus(before.consent!, before.sent, h.clock.now())).toBe('expired');
    expect(early).toMatchObject({ erased: 0, done: true });
    expect(before.erasedAt).toBeUndefined();

    // Act: the next day's walk
    await h.advanceTo(new Date(ERASABLE.getTime() + 60_000));
    const report = await eraseUnconfirmed(setup.deps());

    // Assert: erased as DELETE /leads/{id} erases, by the retention, and said so
    expect(report).toMatchObject({ checked: 1, erased: 1, failed: 0, done: true });
    const lead = await h.lead(leadId);
    expect(lead.erasedAt).toBe(h.clock.now().toISOString());
    expect(lead).toMatchObject({ fields: {}, marketingConsent: false, unsubscribed: true, stage: 'lead' });
    expect(lead.email).toBeUndefined();
    expect(lead.consent).toBeUndefined();
    expect(lead.createdAt).toBe(T0.toISOString());
    expect(lead.timeline.at(-1)).toMatchObject({
      kind: 'erased',
      by: 'system:retention',
      reasons: [{ rule: 'consent.eraseUnconfirmed' }],
    });
    expect(await store.listEvents(leadId)).toEqual([]);
    expect(h.executions(leadId).filter((execution) => execution.status === 'RUNNING')).toEqual([]);
    expect(await unconfirmedErasedIn(setup, '2027-03-01T00:00:00.000Z', '2027-04-30T00:00:00.000Z')).toBe(1);
    expect(await unconfirmedErasedIn(setup, '2027-02-01T00:00:00.000Z', '2027-03-01T00:00:00.000Z')).toBe(0);
  });

  it('a sales lead whose consent lapsed unconfirmed just the same is kept; the sign-up beside it is erased', async () => {
    // Arrange: Petra asks for a demo with the box ticked: an SQL, handed to a rep, asked to confirm only once the
    // cadence ran out and recycled her to nurture; she never confirms. Jamie signs up for the guide the same day.
    const setup = setUp();
    const { h } = setup;
    const salesLead = await h.submit(hot);
    const signUpOnly = await h.submit(signUp('jamie'));
    await h.advanceTo(new Date(T0.getTime() + 200 * DAY));
    const petra = await h.lead(salesLead);
    expect(consentStatus(petra.consent!, petra.sent, h.clock.now())).toBe('expired');
    expect(Date.parse(petra.consent!.askedAt!) + 120 * DAY).toBeLessThan(h.clock.now().getTime());
    expect(petra.recycledAt).toBeDefined();
    const history = {
      events: await h.store.listEvents(salesLead),
      attempts: await h.store.listAttempts(salesLead),
    };
    expect(unconfirmedErasure(setup.sla, petra, h.clock.now(), history)).toMatchObject({
      kept: 'sales lead',
    });
    // what ops would see first: the preview lists the sign-up only
    const preview = await previewUnconfirmed(setup.deps());
    expect(preview.leads.map((lead) => lead.leadId)).toEqual([signUpOnly]);

    // Act
    const report = await eraseUnconfirmed(setup.deps());

    // Assert
    expect(report).toMatchObject({ erased: 1, failed: 0 });
    expect((await h.lead(signUpOnly)).erasedAt).toBeDefined();
    const kept = await h.lead(salesLead);
    expect(kept.erasedAt).toBeUndefined();
    expect(kept.email).toBe(hot.email);
    expect(await h.store.listEvents(salesLead)).not.toHaveLength(0);
  });

  it('two passes at once erase each lead once', async () => {
    // Arrange: three sign-ups, erasable
    const setup = setUp();
    const { h } = setup;
    const ids = [];
    for (const name of ['amy', 'ben', 'cem']) ids.push(await h.submit(signUp(name)));
    await h.advanceTo(new Date(ERASABLE.getTime() + 60_000));

    // Act: two reconcilers' runs at the same moment, each its own store object, small batches
    const [a, b] = await Promise.all([
      eraseUnconfirmed(setup.deps(), { batch: 1 }),
      eraseUnconfirmed(setup.deps(), { batch: 1 }),
    ]);
    // and a third after both: nothing left
    const c = await eraseUnconfirmed(setup.deps());

    // Assert
    expect(a.erased + b.erased + c.erased).toBe(3);
    for (const leadId of ids) {
      const lead = await h.lead(leadId);
      expect(lead.erasedAt).toBeDefined();
      expect(lead.timeline.filter((entry) => entry.kind === 'erased')).toHaveLength(1);
      expect(await h.store.listEvents(leadId)).toEqual([]);
    }
    expect(await unconfirmedErasedIn(setup, '2027-03-01T00:00:00.000Z', '2027-04-30T00:00:00.000Z')).toBe(3);
  });

  it('a post of another form made while the erase is written (its write then conflicts) keeps the lead: judged on the events as they are then', async () => {
    // Arrange: a sign-up, erasable; the pass is held at its erase's write, the lead's events read before it
    const setup = setUp();
    const { h } = setup;
    const leadId = await h.submit(signUp('jamie'));
    await h.advanceTo(new Date(ERASABLE.getTime() + 60_000));
    const deps = setup.deps();
    const paused = pausingStore(deps.store as LeadStore);
    const atErase = paused.pauseAt('saveLead');
    const erasing = eraseUnconfirmed({ ...deps, store: paused.store });
    await atErase.reached;
    // meanwhile she downloads a case study (another form: interest beyond the sign-up), box unticked: its event is
    // stored and the lead made due (its version moves); the post is held at its own write
    const atPostWrite = setup.paused.pauseAt('saveLead');
    const posting = h.submit({ ...signUp('jamie'), formId: 'case-study-download', marketingConsent: false });
    await atPostWrite.reached;
    const mid = await h.lead(leadId);
    // the state alone still lets it pass: only its events tell
    expect(unconfirmedErasure(setup.sla, mid, h.clock.now())).toMatchObject({ erase: true });

    // Act: the erase's write goes on (it conflicts on the version and is tried again), then the post's
    atErase.release();
    const report = await erasing;
    atPostWrite.release();
    expect(await posting).toBe(leadId);

    // Assert: kept, with both posts
    expect(report).toMatchObject({ erased: 0 });
    const lead = await h.lead(leadId);
    expect(lead.erasedAt).toBeUndefined();
    expect(lead.cycle).toBe(mid.cycle);
    expect(lead.email).toBe('jamie@gmail.com');
    const forms = (await h.store.listEvents(leadId)).map((event) => event.properties?.formId);
    expect(forms).toEqual(expect.arrayContaining(['efficiency-guide', 'case-study-download']));
  });

  it('a run stops erasing when its time runs out within a batch (a slow StopExecution); the next run erases the rest', async () => {
    // Arrange: three sign-ups, erasable, in one batch. The function has 90 s left when the pass begins; each
    // StopExecution takes 25 s (throttled, retried by the SDK); the pass must stop with 60 s left (PASS_RESERVE_MS)
    const setup = setUp();
    const { h } = setup;
    const ids = [];
    for (const name of ['amy', 'ben', 'cem']) ids.push(await h.submit(signUp(name)));
    await h.advanceTo(new Date(ERASABLE.getTime() + 60_000));
    let remainingMs = 90_000;
    const deps = setup.deps();
    const slowStop: RetentionDeps['workflow'] = {
      stop: async (...args) => {
        remainingMs -= 25_000;
        return deps.workflow.stop(...args);
      },
    };

    // Act
    const first = await eraseUnconfirmed(
      { ...deps, workflow: slowStop },
      { outOfTime: () => remainingMs < 60_000 },
    );
    const erasedFirst = [];
    for (const leadId of ids) if ((await h.lead(leadId)).erasedAt) erasedFirst.push(leadId);
    const next = await eraseUnconfirmed(setup.deps());

    // Assert: the first run ended in its time (two erases: 40 s left), the third lead left claimed, erased next
    expect(first).toMatchObject({ erased: 2, failed: 0 });
    expect(remainingMs).toBe(40_000);
    expect(erasedFirst).toHaveLength(2);
    expect(next).toMatchObject({ erased: 1, failed: 0 });
    for (const leadId of ids) {
      const lead = await h.lead(leadId);
      expect(lead.timeline.filter((entry) => entry.kind === 'erased')).toHaveLength(1);
      expect(await h.store.listEvents(leadId)).toEqual([]);
    }
  });

  it('a person who posts the same form again after the lapse (the box unticked) is kept: the days run from that post', async () => {
    // Arrange: Jamie signs up for the guide, never confirms; a day before she is erasable she downloads it again
    const setup = setUp();
    const { h } = setup;
    const leadId = await h.submit(signUp('jamie'));
    await h.advanceTo(new Date(ERASABLE.getTime() - DAY));
    expect(await h.submit({ ...signUp('jamie'), marketingConsent: false })).toBe(leadId);
    const reposted = h.clock.now().getTime();

    // Act: the walks the day after the lapse plus the days, and 90 days after the new post
    await h.advanceTo(new Date(ERASABLE.getTime() + 60_000));
    const dayAfter = await eraseUnconfirmed(setup.deps());
    const keptThen = await h.lead(leadId);
    await h.advanceTo(new Date(reposted + 90 * DAY + 60_000));
    const later = await eraseUnconfirmed(setup.deps());

    // Assert: kept while her data is fresh, with both posts; erased 90 days after her last post
    expect(dayAfter).toMatchObject({ erased: 0 });
    expect(keptThen.erasedAt).toBeUndefined();
    expect(keptThen.email).toBe('jamie@gmail.com');
    expect(later).toMatchObject({ erased: 1 });
    expect((await h.lead(leadId)).erasedAt).toBeDefined();
  });

  it('erases that keep failing after their write (every StopExecution denied) stop the walk at maxClaimed: the progress item stays bounded', async () => {
    // Arrange: four sign-ups, erasable; INJECTED FAULT: every StopExecution fails (a grant missing, say)
    const setup = setUp();
    const { h } = setup;
    const ids = [];
    for (const name of ['amy', 'ben', 'cem', 'dan']) ids.push(await h.submit(signUp(name)));
    await h.advanceTo(new Date(ERASABLE.getTime() + 60_000));
    const failing: RetentionDeps['workflow'] = {
      stop: () => Promise.reject(new Error('injected fault: AccessDeniedException')),
    };

    // Act: two runs, batches of one, at most two leads left claimed
    const deps = { ...setup.deps(), workflow: failing };
    const first = await eraseUnconfirmed(deps, { batch: 1, maxClaimed: 2 });
    const second = await eraseUnconfirmed(deps, { batch: 1, maxClaimed: 2 });

    // Assert: two leads claimed (written erased, their sweep owed), the walk waits; the other two untouched
    const pass = await setup.store.readRetentionPass!();
    expect(pass?.claimed).toHaveLength(2);
    expect(first).toMatchObject({ erased: 0, failed: 2, done: false });
    expect(second).toMatchObject({ checked: 0, erased: 0, failed: 2, done: false });
    const erased = [];
    for (const leadId of ids) if ((await h.lead(leadId)).erasedAt) erased.push(leadId);
    expect(erased.sort()).toEqual(pass!.claimed!.map((claim) => claim.leadId).sort());
  });

  it('a pass that died after an erase was written is finished by the next: its events are deleted', async () => {
    // Arrange: a sign-up, erasable; INJECTED FAULT: the history's deletion fails once (the function dies there)
    const setup = setUp();
    const { h } = setup;
    const leadId = await h.submit(signUp('jamie'));
    await h.advanceTo(new Date(ERASABLE.getTime() + 60_000));
    const deps = setup.deps();
    let failures = 1;
    const dying = new Proxy(deps.store, {
      get(target, property, receiver) {
        if (property === 'deleteLeadHistory' && failures-- > 0)
          return () => Promise.reject(new Error('injected fault: the function died'));
        const value = Reflect.get(target, property, receiver);
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
    const first = await eraseUnconfirmed({ ...deps, store: dying });
    expect(first).toMatchObject({ erased: 0, failed: 1 });
    expect((await h.lead(leadId)).erasedAt).toBeDefined();
    expect(await h.store.listEvents(leadId)).not.toEqual([]);

    // Act: the next run
    const next = await eraseUnconfirmed(setup.deps());

    // Assert: swept, and no second erase written
    expect(next.failed).toBe(0);
    expect(await h.store.listEvents(leadId)).toEqual([]);
    expect((await h.lead(leadId)).timeline.filter((entry) => entry.kind === 'erased')).toHaveLength(1);
  });
});
