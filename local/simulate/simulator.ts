/**
 * `leadpact simulate`'s engine: synthetic leads and people through the real workflow, in one process, on a
 * virtual clock. What runs is what runs in AWS: the ASL file on aws-local-stepfunctions (LocalStepFunctions),
 * the task handlers, the API route handlers (middy, called with API Gateway v2-shaped events: the public
 * form, events, attempts, deal moves, the consent link), the email templates (rendered, captured, not sent),
 * the LeadStore (in memory by default, or on dynalite) and the report facts and SLA report.
 *
 * Time is a SimulationClock: the loop fires the next due timer (a lead arriving, a person acting, a parked
 * workflow's deadline), waits until every execution is parked or finished and every action it caused is
 * done, then takes the next. No sleeping, exact ordering, and for a seed the same run every time.
 *
 * People are a model (scenario.ts): leads engage by journey stage and confirm consent; reps answer each
 * "New SQL", "attempt due" and "reassigned to you" email after a response delay in their own business
 * hours (or ignore the lead), connect, book meetings, move deals. Managers read their escalations and let the
 * ladder run; a lead it hands over to them ("Over to you") they give to a rep of its queue after a delay in the
 * SLA calendar's business hours (POST /leads/{id}/owner as `manager:<id>`, as the console does, ADR 0088). The
 * reconciler does not run: with no faults injected nothing needs rescuing.
 */
import type { Context } from 'aws-lambda';
import { MemoryLeadQueries } from '../../lambdas/adapters/memory-lead-queries.ts';
import { MemoryLeadStore } from '../../lambdas/adapters/memory-lead-store.ts';
import { observeWrites } from '../../lambdas/adapters/observed-lead-store.ts';
import { postConsentHandler } from '../../lambdas/api/consent.ts';
import type { ApiDeps } from '../../lambdas/api/deps.ts';
import type { HttpEvent, HttpResult } from '../../lambdas/api/http.ts';
import { postEventsHandler } from '../../lambdas/api/lead-events.ts';
import { postOwnerHandler } from '../../lambdas/api/lead-manage.ts';
import { postAttemptHandler, putDealHandler } from '../../lambdas/api/lead-sales.ts';
import { submitLeadHandler } from '../../lambdas/api/leads-public.ts';
import type { LambdaHttpHandler } from '../../lambdas/api/middleware.ts';
import { groupOf } from '../../lambdas/aws/shared/api-groups.ts';
import { CONSENT_LINK_TTL_SECONDS, linkExpiry, signActionToken } from '../../lambdas/domain/action-links.ts';
import { addBusinessHours, repCalendar, type WorkingCalendar } from '../../lambdas/domain/business-hours.ts';
import type { EmailMessage } from '../../lambdas/domain/email-templates.ts';
import { normaliseEmail } from '../../lambdas/domain/lead-id.ts';
import type { LeadState } from '../../lambdas/domain/lead-state.ts';
import { managerOverTo, queueRepsOf } from '../../lambdas/domain/over-to.ts';
import { latestFacts } from '../../lambdas/domain/report-facts.ts';
import { ResponseFloor } from '../../lambdas/domain/response-floor.ts';
import type { Manager, Rep, Sla } from '../../lambdas/domain/sla-schema.ts';
import { takenOverNow } from '../../lambdas/domain/takeover-reminder.ts';
import type { LeadQueries, LeadWriteObserver } from '../../lambdas/ports/lead-queries.ts';
import type { LeadStore } from '../../lambdas/ports/lead-store.ts';
import { advanceStep } from '../../lambdas/tasks/advance-step.ts';
import type { TaskDeps } from '../../lambdas/tasks/deps.ts';
import { EmailNotifier } from '../../lambdas/tasks/email-notifier.ts';
import { handoff } from '../../lambdas/tasks/handoff.ts';
import type { Notifier } from '../../lambdas/tasks/notifier.ts';
import { park } from '../../lambdas/tasks/park.ts';
import { recordFailure } from '../../lambdas/tasks/record-failure.ts';
import type { PricedFunction } from '../aws-prices.ts';
import { LocalWorkflow } from '../local-workflow.ts';
import { LocalStepFunctions } from '../step-functions.ts';
import { costOf, countFactBatch, countFactPuts, countStore, OperationCounts } from './operations.ts';
import { Prng } from './prng.ts';
import {
  DEFAULT_MANAGER,
  DEFAULT_REP,
  JOURNEY,
  type JourneyStage,
  type RepBehaviour,
  type Scenario,
} from './scenario.ts';
import { SimulationClock } from './sim-clock.ts';
import { type SimulationFigures, simulationFigures } from './simulation-report.ts';
import { engagementCatalogue, type SyntheticLead } from './synthetic-leads.ts';

const HOUR = 3_600_000;
const DAY = 86_400_000;
const LAMBDA_CONTEXT = {} as Context;
/** fixed secrets: the same seed gives the same lead ids (they are HMACs), and nothing leaves the process */
const LEAD_ID_SECRET = 'leadpact-simulate-lead-id-secret-0123456789';
const ACTION_SECRET = 'leadpact-simulate-action-secret-0123456789';

export interface StoreBackend {
  readonly store: LeadStore;
  readonly queries: LeadQueries;
  /** told of every lead state written: the report facts, and counting their puts (countFacts) */
  readonly observers: readonly LeadWriteObserver[];
  /** a lead's state as stored, when the store keeps a frozen copy (its JSON bytes known without serialising) */
  readonly storedState?: (leadId: string) => LeadState | undefined;
  close(): Promise<void>;
}

export interface SimulationProgress {
  readonly leadsArrived: number;
  readonly leads: number;
  /** SLA days simulated so far */
  readonly day: number;
  readonly days: number;
}

export interface SimulationOptions {
  readonly sla: Sla;
  readonly scenario: Scenario;
  readonly leads: readonly SyntheticLead[];
  readonly days: number;
  readonly seed: number;
  /** the in-memory store when omitted; `counts` is where the backend counts its report-fact puts */
  readonly backend?: (counts: OperationCounts) => Promise<StoreBackend>;
  readonly onProgress?: (progress: SimulationProgress) => void;
  /**
   * Called when the run has ended, with the store as the run left it (reads through it are not counted)
   * and the end of the run: --compare surveys the leads still in flight (sla diff's impact).
   */
  readonly atEnd?: (store: LeadStore, at: Date) => Promise<void>;
  /** told of every API request the people made, with its answer: a run can be replayed on the runtime */
  readonly onCall?: (call: SimulatedCall) => void;
}

/** One API request of the people model, as the route handler answered it. */
export interface SimulatedCall {
  readonly at: number;
  readonly route: string;
  readonly params: Readonly<Record<string, string>>;
  readonly body: unknown;
  readonly principal?: string;
  readonly status: number;
  /** POST /leads: the lead id it answered with */
  readonly leadId?: string;
}

/**
 * The in-memory LeadStore and its query twin (the default), keeping report facts only. Each write's facts
 * are derived once, counted as the puts DynamoDbFactLog makes, and stored.
 */
export async function memoryBackend(sla: Sla, counts: OperationCounts): Promise<StoreBackend> {
  const queries = new MemoryLeadQueries(sla, { keep: 'facts-only' });
  // shared frozen values: nothing the run calls mutates what it reads (ADR 0023)
  const store = new MemoryLeadStore({ share: true });
  const facts: LeadWriteObserver = {
    async leadWritten(state, since) {
      const latest = latestFacts(sla, state, since);
      countFactPuts(latest.length, counts);
      queries.addFacts(latest);
    },
    // as DynamoDbFactLog: the facts and the park's outbox mark in one BatchWriteItem
    async leadWrittenAndSent(state, mark, since) {
      const latest = latestFacts(sla, state, since);
      countFactBatch(latest.length, counts);
      queries.addFacts(latest);
      await store.markSent(state.leadId, mark.claim, mark.at);
    },
  };
  return {
    store,
    queries,
    observers: [facts],
    storedState: (leadId) => store.storedState(leadId),
    close: async () => undefined,
  };
}

/** The Notifier method that sends an email of each template kind (the `kind` tag of the rendered email). */
const KIND_OF_TAG: Readonly<Record<string, EmailKind>> = {
  'sql-assigned': 'sqlAssigned',
  'attempt-due': 'attemptDue',
  'first-touch-overdue': 'firstTouchOverdue',
  'manager-escalation': 'managerEscalation',
  'manager-escalation-copy': 'managerEscalation',
  'reassigned-to-you': 'reassigned',
  'reassigned-away': 'reassigned',
  'manager-takeover': 'managerTakeover',
  'manager-takeover-copy': 'managerTakeover',
  'manager-takeover-reminder': 'managerTakeover',
  'lead-recycled': 'recycled',
  'stale-deal': 'staleDeal',
  'stale-deal-covering': 'staleDeal',
  'decide-due': 'decideDue',
  'decide-due-covering': 'decideDue',
  'decide-due-manager': 'decideDue',
  nurture: 'nurture',
  'consent-confirmation': 'consentRequest',
  'ops-alert': 'opsAlert',
};

/**
 * The Mailer of the run: counts, measures and records each email as it was sent (its kind and every rep or
 * manager it reaches, addressed or copied), sends nothing.
 */
class CapturingMailer {
  readonly sent: EmailRecord[] = [];
  private readonly people: ReadonlyMap<string, string>;
  constructor(
    sla: Sla,
    private readonly counts: OperationCounts,
    private readonly clock: SimulationClock,
  ) {
    const people = [...sla.routing.reps, ...sla.routing.managers];
    this.people = new Map(people.map((person) => [person.email.toLowerCase(), person.id]));
  }
  async send(message: EmailMessage): Promise<{ messageId: string }> {
    this.counts.emails++;
    this.counts.emailBytes += message.html.length + message.text.length;
    const kind = KIND_OF_TAG[message.tags?.kind ?? ''];
    if (!kind) throw new Error(`an email of an unknown kind: ${message.tags?.kind}`);
    const to: string[] = [];
    for (const address of [...message.to, ...(message.cc ?? [])]) {
      const id = this.people.get(address.toLowerCase());
      if (id && !to.includes(id)) to.push(id);
    }
    this.sent.push({ kind, at: this.clock.nowMs(), to });
    return { messageId: `sim-${this.counts.emails}` };
  }
}

export type EmailKind = keyof Notifier;

export interface EmailRecord {
  readonly kind: EmailKind;
  /** the reps and managers it reaches (to or copied); none for emails to leads and ops */
  readonly to: readonly string[];
  readonly at: number;
}

export async function simulate(options: SimulationOptions): Promise<SimulationFigures> {
  const { scenario, days } = options;
  const start = Date.parse(`${scenario.start}T00:00:00Z`);
  const end = start + days * DAY;
  // the engine's JSONPath library throws (and catches) an Error per scalar it reads: without stack traces
  // that costs next to nothing (measured: 5 % of a run's CPU). The errors of a run are counted, not traced.
  const stackTraceLimit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    return await run(options, start, end);
  } finally {
    Error.stackTraceLimit = stackTraceLimit;
  }
}

async function run(options: SimulationOptions, start: number, end: number): Promise<SimulationFigures> {
  const { sla, scenario, days, seed } = options;
  const clock = new SimulationClock(new Date(start));
  const counts = new OperationCounts();
  const backend = await (options.backend ?? ((c: OperationCounts) => memoryBackend(sla, c)))(counts);
  const store = observeWrites(countStore(backend.store, counts, backend.storedState), ...backend.observers);
  const mailer = new CapturingMailer(sla, counts, clock);
  const people = new People(sla, scenario, seed, clock);

  const email = new EmailNotifier({
    sla,
    mailer,
    clock,
    publicBaseUrl: 'https://leadpact.invalid',
    actionSecret: ACTION_SECRET,
  });
  // the real notifier renders and sends every email (the mailer records it); the people model reads the ones
  // addressed to it
  const notifier: Notifier = {
    nurture: (...args) => email.nurture(...args),
    consentRequest: async (lead) => {
      await email.consentRequest(lead);
      people.consentRequested(lead);
    },
    sqlAssigned: async (lead, rep, dueAt, reasons) => {
      await email.sqlAssigned(lead, rep, dueAt, reasons);
      people.repGotLead(lead, rep);
    },
    attemptDue: async (lead, rep, due) => {
      await email.attemptDue(lead, rep, due);
      people.repReminded(lead, rep);
    },
    firstTouchOverdue: async (lead, rep, dueAt, overdueHours, ahead) => {
      await email.firstTouchOverdue(lead, rep, dueAt, overdueHours, ahead);
      people.repReminded(lead, rep);
    },
    managerEscalation: (...args) => email.managerEscalation(...args),
    reassigned: async (lead, from, to, dueAt, reason) => {
      await email.reassigned(lead, from, to, dueAt, reason);
      people.repGotLead(lead, to);
    },
    managerTakeover: async (lead, owner, manager, takeover) => {
      await email.managerTakeover(lead, owner, manager, takeover);
      // "Over to you" and "Still over to you": the manager gives the lead on (the ops address decides nothing)
      if (manager) people.managerTold(lead, manager, takeover.owners);
    },
    recycled: (...args) => email.recycled(...args),
    staleDeal: (...args) => email.staleDeal(...args),
    decideDue: (...args) => email.decideDue(...args),
    opsAlert: (...args) => email.opsAlert(...args),
  };

  // ids as the seed gives them (a post's event, a wake's claim, an attempt): with random ones the compressed
  // state item's size, and so the write units, moved by a byte from one run of a seed to the next (ADR 0037)
  const ids = Prng.forStream(seed, 'ids');
  const newId = () => ids.uuid();
  const taskDeps: TaskDeps = { sla, store, clock, notifier, newId };
  const task =
    <I, O>(fn: PricedFunction, run: (input: I) => Promise<O>) =>
    (input: I) => {
      counts.invoke(fn);
      return run(input);
    };
  const engine = new LocalStepFunctions(
    {
      advance: task('Advance', (input) => advanceStep(taskDeps, input)),
      handoff: task('Handoff', (input) => handoff(taskDeps, input)),
      park: task('Park', (input) => park(taskDeps, input)),
      recordFailure: task('RecordFailure', (input) => recordFailure(taskDeps, input)),
    },
    clock,
  );
  const workflow = new LocalWorkflow(engine, store, clock);
  const apiDeps: ApiDeps = {
    sla,
    store,
    queries: backend.queries,
    workflow,
    clock,
    newId,
    leadIdSecret: LEAD_ID_SECRET,
    allowedOrigins: [],
    actionSecret: ACTION_SECRET,
    publicBaseUrl: 'https://leadpact.invalid',
  };
  // the public form answers no sooner than a floor (ADR 0010) in real time: nothing to hide from here
  const noWait = { now: () => 0, sleep: async () => undefined, floor: new ResponseFloor() };
  const routes = {
    'POST /leads': submitLeadHandler(apiDeps, noWait),
    'POST /leads/{id}/events': postEventsHandler(apiDeps),
    'POST /leads/{id}/attempts': postAttemptHandler(apiDeps),
    'PUT /leads/{id}/deal': putDealHandler(apiDeps),
    'POST /leads/{id}/owner': postOwnerHandler(apiDeps),
    'POST /consent/{token}': postConsentHandler(apiDeps),
  } satisfies Record<string, LambdaHttpHandler>;
  const call = async (
    route: keyof typeof routes,
    params: Record<string, string>,
    body: unknown,
    principal?: string,
  ): Promise<HttpResult> => {
    const group = groupOf(route);
    counts.apiRequests++;
    counts.invoke(`Api-${group}` as PricedFunction);
    const [method, template] = route.split(' ') as [string, string];
    const path = template.replace(/\{(\w+)\}/g, (_, name: string) => params[name] ?? '');
    const at = clock.nowMs();
    const result = await routes[route](
      {
        version: '2.0',
        routeKey: route,
        rawPath: path,
        rawQueryString: '',
        headers: { 'content-type': 'application/json', accept: 'application/json' },
        pathParameters: params,
        requestContext: {
          http: { method, path, sourceIp: '127.0.0.1' },
          ...(principal ? { authorizer: { principalId: principal } } : {}),
        },
        body: JSON.stringify(body),
        isBase64Encoded: false,
      } as unknown as HttpEvent,
      LAMBDA_CONTEXT,
    );
    if (options.onCall) {
      const leadId =
        route === 'POST /leads' ? (JSON.parse(result.body ?? '{}') as { leadId?: string }).leadId : undefined;
      options.onCall({
        at,
        route,
        params,
        body,
        ...(principal ? { principal } : {}),
        status: result.statusCode ?? 500,
        ...(leadId ? { leadId } : {}),
      });
    }
    return result;
  };
  people.connect({ call, store: backend.store, leadIdSecret: LEAD_ID_SECRET });

  // every action runs to its end, then every execution it woke parks or ends, before the next timer
  const pending = new Set<Promise<unknown>>();
  people.track = (work) => {
    const promise = work().catch((error: unknown) => {
      people.errors.push(String(error));
    });
    pending.add(promise);
    void promise.finally(() => pending.delete(promise));
  };
  const settle = async () => {
    for (;;) {
      if (pending.size > 0) await Promise.all([...pending]);
      await engine.settle();
      if (pending.size === 0) return;
    }
  };

  for (const lead of options.leads) if (lead.arrivesAt < end) people.arrive(lead);
  let peakOpen = 0;
  let fired = 0;
  let lastDay = -1;
  while (clock.fireNext(end - 1)) {
    await settle();
    fired++;
    if (engine.openExecutions > peakOpen) peakOpen = engine.openExecutions;
    const dayNow = Math.floor((clock.nowMs() - start) / DAY);
    if (options.onProgress && (dayNow !== lastDay || fired % 2000 === 0)) {
      lastDay = dayNow;
      options.onProgress({ leadsArrived: people.arrived, leads: options.leads.length, day: dayNow, days });
    }
  }
  clock.moveTo(end);
  options.onProgress?.({ leadsArrived: people.arrived, leads: options.leads.length, day: days, days });
  await options.atEnd?.(backend.store, new Date(end));

  for (const execution of engine.allExecutions()) counts.transitions += execution.stateTransitions;
  const facts = await backend.queries.listFacts(
    new Date(start).toISOString().slice(0, 10),
    new Date(end - 1).toISOString().slice(0, 10),
  );
  const figures = simulationFigures({
    sla,
    facts,
    from: new Date(start).toISOString(),
    to: new Date(end).toISOString(),
    emails: mailer.sent,
    peakOpenExecutions: peakOpen,
    openAtEnd: engine.openExecutions,
    leads: people.arrived,
    cost: costOf(counts, people.arrived),
    errors: people.errors.length,
  });
  // stop what still runs, so nothing holds the process (parks wait on the clock, which no longer moves)
  for (const execution of engine.active()) engine.stopExecution(execution.name);
  await backend.close();
  return figures;
}

interface Wiring {
  call(route: string, params: Record<string, string>, body: unknown, principal?: string): Promise<HttpResult>;
  /** the store underneath, uncounted: what the people model reads is not the system's cost */
  store: LeadStore;
  leadIdSecret: string;
}

/**
 * The people around the system: leads who engage and confirm consent, reps who answer their emails.
 * Each has its own Prng stream per lead, so one lead's story does not shift another's.
 */
class People {
  arrived = 0;
  readonly errors: string[] = [];
  track: (work: () => Promise<unknown>) => void = () => undefined;
  private wiring!: Wiring;
  /** by the lead's email (normalised, as the lead stores it) */
  private readonly byEmail = new Map<string, LeadModel>();
  private readonly calendars = new Map<string, WorkingCalendar>();
  private readonly catalogue: ReturnType<typeof engagementCatalogue>;
  private readonly start: number;
  private attemptSeq = 0;
  private eventSeq = 0;
  /** outcome ids of the SLA by action */
  private readonly outcomes: Record<string, string[]>;
  private readonly dealPath: string[];
  private readonly dealWon?: string;
  private readonly dealLost?: string;

  constructor(
    private readonly sla: Sla,
    private readonly scenario: Scenario,
    private readonly seed: number,
    private readonly clock: SimulationClock,
  ) {
    this.catalogue = engagementCatalogue(sla);
    this.start = Date.parse(`${scenario.start}T00:00:00Z`);
    this.outcomes = {};
    for (const outcome of sla.contact.outcomes) {
      const ids = this.outcomes[outcome.action] ?? [];
      ids.push(outcome.id);
      this.outcomes[outcome.action] = ids;
    }
    this.dealPath = sla.deals.stages
      .filter((stage) => !stage.won && !stage.lost && !stage.onHold)
      .map((stage) => stage.id);
    this.dealWon = sla.deals.stages.find((stage) => stage.won)?.id;
    this.dealLost = sla.deals.stages.find((stage) => stage.lost)?.id;
  }

  connect(wiring: Wiring): void {
    this.wiring = wiring;
  }

  /** schedules the lead's form post */
  arrive(lead: SyntheticLead): void {
    this.clock.atMs(lead.arrivesAt, () =>
      this.track(async () => {
        // the person is known by email before the post: the workflow the post starts may email them (the
        // consent request) before the post answers with the lead's id
        const email = normaliseEmail(String(lead.post.email));
        const model: LeadModel = {
          lead,
          leadId: '',
          journey: lead.journey,
          prng: Prng.forStream(this.seed, `lead-${lead.index}`),
          dealMove: 0,
          ignoredBy: new Set(),
          answeredBy: new Set(),
        };
        this.byEmail.set(email, model);
        const response = await this.wiring.call('POST /leads', {}, lead.post);
        this.arrived++;
        const leadId = (JSON.parse(response.body ?? '{}') as { leadId?: string }).leadId;
        if (!leadId) {
          this.byEmail.delete(email);
          return;
        }
        model.leadId = leadId;
        this.nextEngagement(model);
      }),
    );
  }

  consentRequested(lead: LeadState): void {
    const model = lead.email ? this.byEmail.get(lead.email) : undefined;
    const hours = model?.lead.confirmsConsentAfterHours;
    if (!model || hours === undefined || model.consentConfirmed) return;
    model.consentConfirmed = true;
    this.clock.atMs(this.clock.nowMs() + hours * HOUR, () =>
      this.track(async () => {
        const current = await this.wiring.store.getLead(model.leadId);
        if (!current?.consent) return;
        const token = signActionToken(
          {
            leadId: model.leadId,
            cycle: current.cycle,
            action: 'consent',
            value: current.consent.requestId,
            nonce: `sim-confirm-${current.consent.requestId}`,
            exp: linkExpiry(this.clock.now(), CONSENT_LINK_TTL_SECONDS),
          },
          ACTION_SECRET,
        );
        await this.wiring.call('POST /consent/{token}', { token }, {});
      }),
    );
  }

  /** "New SQL" or "reassigned to you": the rep takes it on (after a delay) or ignores it for good */
  repGotLead(lead: LeadState, rep: Rep): void {
    const model = lead.email ? this.byEmail.get(lead.email) : undefined;
    if (!model) return;
    const behaviour = this.behaviour(rep.id);
    if (model.prng.chance(behaviour.ignoreRate)) {
      model.ignoredBy.add(rep.id);
      return;
    }
    this.answer(model, rep);
  }

  /** an attempt is due (or the first touch is late): the rep acts unless the rep ignores this lead */
  repReminded(lead: LeadState, rep: Rep): void {
    const model = lead.email ? this.byEmail.get(lead.email) : undefined;
    if (!model || model.ignoredBy.has(rep.id)) return;
    this.answer(model, rep);
  }

  private answer(model: LeadModel, rep: Rep): void {
    // one answer in flight per rep and lead: a reminder for an attempt already planned adds nothing
    if (model.answeredBy.has(rep.id)) return;
    model.answeredBy.add(rep.id);
    const behaviour = this.behaviour(rep.id);
    const at = this.whenRepActs(rep, behaviour, model.prng);
    this.clock.atMs(at, () =>
      this.track(async () => {
        model.answeredBy.delete(rep.id);
        await this.attempt(model, rep, behaviour);
      }),
    );
  }

  /**
   * "Over to you" (or "Still over to you" while nothing is planned): the manager gives the lead to a rep of its
   * queue after a delay in the SLA calendar's business hours, or leaves it with the owner (`ignoreRate`, once
   * per takeover). The decision is made on the lead as it is then: nothing is done once it is over to them no
   * longer (given on by someone else, recycled, with sales) or a call was logged since the takeover.
   */
  managerTold(lead: LeadState, manager: Manager, owners: readonly string[]): void {
    const model = lead.email ? this.byEmail.get(lead.email) : undefined;
    const over = takenOverNow(this.sla, lead);
    if (!model || !over || over.to !== manager.id) return;
    const key = `${manager.id} ${over.handover}`;
    const decided = model.managers ?? new Map<string, 'planned' | 'ignored' | 'done'>();
    model.managers = decided;
    if (decided.has(key)) return;
    // one stream per lead for its managers: a takeover does not shift the lead's own draws (reps, deal)
    model.managerPrng ??= Prng.forStream(this.seed, `manager-${model.lead.index}`);
    const prng = model.managerPrng;
    const behaviour = this.scenario.managers[manager.id] ?? DEFAULT_MANAGER;
    if (prng.chance(behaviour.ignoreRate)) {
      decided.set(key, 'ignored');
      return;
    }
    decided.set(key, 'planned');
    const at = this.whenManagerActs(manager, behaviour, prng);
    this.clock.atMs(at, () =>
      this.track(async () => {
        decided.set(key, 'done');
        await this.giveOn(model, manager, over.handover, owners, prng);
      }),
    );
  }

  private async giveOn(
    model: LeadModel,
    manager: Manager,
    handover: string,
    owners: readonly string[],
    prng: Prng,
  ): Promise<void> {
    const current = await this.wiring.store.getLead(model.leadId);
    if (!current || managerOverTo(this.sla, current) !== manager.id) return;
    const over = takenOverNow(this.sla, current);
    if (over?.handover !== handover) return;
    // the owner called after all (late, or a CRM's sync): the manager leaves it with them
    if (current.cadenceLog?.lastAt && current.cadenceLog.lastAt >= over.at) return;
    const day = new Date(this.clock.nowMs()).toISOString().slice(0, 10);
    const present = (id: string) => {
      const rep = this.sla.routing.reps.find((candidate) => candidate.id === id);
      const dayOfRun = Math.floor((this.clock.nowMs() - this.start) / DAY);
      return (
        rep !== undefined &&
        !rep.outOfOffice.some((period) => day >= period.from && day <= period.to) &&
        !this.behaviour(id).outOfOfficeDays.includes(dayOfRun)
      );
    };
    // a rep of its queue who is in today, not one who let it lie before (the email names them), else any other
    const queue = queueRepsOf(this.sla, current).filter((id) => id !== current.ownerId && present(id));
    const fresh = queue.filter((id) => !owners.includes(id));
    const choices = fresh.length > 0 ? fresh : queue;
    if (choices.length === 0) return;
    const to = prng.pick(choices);
    await this.wiring.call(
      'POST /leads/{id}/owner',
      { id: model.leadId },
      { owner: to, reason: 'given on after the ladder ran out' },
      `manager:${manager.id}`,
    );
  }

  private async attempt(model: LeadModel, rep: Rep, behaviour: RepBehaviour): Promise<void> {
    const prng = model.prng;
    let action = 'nextStep';
    if (prng.chance(behaviour.connectRate)) {
      const r = prng.next();
      if (r < behaviour.meetingRate) action = 'meetingBooked';
      else if (r < behaviour.meetingRate + behaviour.notInterestedRate) action = 'disqualify';
      else if (r < behaviour.meetingRate + behaviour.notInterestedRate + behaviour.notNowRate)
        action = 'recycle';
      else action = 'connected';
    }
    const outcome = this.outcomeFor(action, prng);
    if (!outcome) return;
    const response = await this.wiring.call(
      'POST /leads/{id}/attempts',
      { id: model.leadId },
      { attemptId: `sim-${++this.attemptSeq}`, outcome },
      `rep:${rep.id}`,
    );
    if ((response.statusCode ?? 500) >= 300) return;
    if (action === 'meetingBooked') this.moveDeal(model, rep, 0, HOUR);
  }

  private outcomeFor(action: string, prng: Prng): string | undefined {
    const ids = this.outcomes[action] ?? this.outcomes.nextStep;
    return ids && ids.length > 0 ? prng.pick(ids) : undefined;
  }

  /** the deal: through the SLA's open stages one by one, then won or lost */
  private moveDeal(model: LeadModel, rep: Rep, step: number, after: number): void {
    const move = ++model.dealMove;
    this.clock.atMs(this.clock.nowMs() + after, () =>
      this.track(async () => {
        if (move !== model.dealMove) return;
        const stage =
          step < this.dealPath.length
            ? this.dealPath[step]
            : model.prng.chance(this.scenario.winRate)
              ? this.dealWon
              : this.dealLost;
        if (!stage) return;
        const response = await this.wiring.call(
          'PUT /leads/{id}/deal',
          { id: model.leadId },
          { stage },
          `rep:${rep.id}`,
        );
        if ((response.statusCode ?? 500) < 300 && step < this.dealPath.length)
          this.moveDeal(
            model,
            rep,
            step + 1,
            Math.round(model.prng.exponential(this.scenario.daysPerStage) * DAY),
          );
      }),
    );
  }

  /** the next engagement event while the lead is interested, at its journey stage's rate */
  private nextEngagement(model: LeadModel): void {
    const perWeek = this.scenario.eventsPerWeek[model.journey];
    if (!(perWeek > 0)) return;
    const at = this.clock.nowMs() + Math.round(model.prng.exponential(7 / perWeek) * DAY);
    if (at > model.lead.interestUntil) return;
    this.clock.atMs(at, () =>
      this.track(async () => {
        const options = this.catalogue[model.journey];
        // asking for a demo or a quote is rarer than reading about one
        const weights = options.map((option) => (option.type.endsWith('_request') ? 0.15 : 1));
        const choice = options[model.prng.weighted(weights)]!;
        await this.wiring.call(
          'POST /leads/{id}/events',
          { id: model.leadId },
          {
            events: [
              {
                eventId: `sim-${++this.eventSeq}`,
                type: choice.type,
                occurredAt: this.clock.now().toISOString(),
                ...(choice.contentTags ? { contentTags: choice.contentTags } : {}),
              },
            ],
          },
        );
        const rank = JOURNEY.indexOf(model.journey);
        if (rank < JOURNEY.length - 1 && model.prng.chance(this.scenario.advanceChance))
          model.journey = JOURNEY[rank + 1] as JourneyStage;
        this.nextEngagement(model);
      }),
    );
  }

  private behaviour(repId: string): RepBehaviour {
    return this.scenario.reps[repId] ?? DEFAULT_REP;
  }

  /** now + a delay in the SLA calendar's business hours (a manager has none of their own), past their days away */
  private whenManagerActs(
    manager: Manager,
    behaviour: { responseMedianHours: number; responseP90Hours: number },
    prng: Prng,
  ): number {
    return this.whenPresent(this.sla.calendar, behaviour, prng, (_day, localDay) =>
      manager.outOfOffice.some((period) => localDay >= period.from && localDay <= period.to),
    );
  }

  /** now + a response delay in the rep's business hours, past the rep's days away */
  private whenRepActs(rep: Rep, behaviour: RepBehaviour, prng: Prng): number {
    let calendar = this.calendars.get(rep.id);
    if (!calendar) {
      calendar = repCalendar(this.sla, rep);
      this.calendars.set(rep.id, calendar);
    }
    return this.whenPresent(
      calendar,
      behaviour,
      prng,
      (day, localDay) =>
        behaviour.outOfOfficeDays.includes(day) ||
        rep.outOfOffice.some((period) => localDay >= period.from && localDay <= period.to),
    );
  }

  /**
   * now + a response delay drawn from `behaviour` (log-normal, capped at 200 h) in `calendar`'s business hours,
   * moved to the next day's first quarter hour while `away` (the simulation's day number, the UTC date) says so
   */
  private whenPresent(
    calendar: WorkingCalendar,
    behaviour: { responseMedianHours: number; responseP90Hours: number },
    prng: Prng,
    away: (day: number, localDay: string) => boolean,
  ): number {
    const delay = Math.min(
      200,
      prng.logNormal(Math.max(0.01, behaviour.responseMedianHours), behaviour.responseP90Hours),
    );
    let at = addBusinessHours(calendar, this.clock.now(), delay).getTime();
    for (let guard = 0; guard < 60; guard++) {
      const day = Math.floor((at - this.start) / DAY);
      if (!away(day, new Date(at).toISOString().slice(0, 10))) break;
      at = addBusinessHours(calendar, new Date(this.start + (day + 1) * DAY), 0.25).getTime();
    }
    return Math.max(at, this.clock.nowMs());
  }
}

interface LeadModel {
  readonly lead: SyntheticLead;
  /** from the post's answer ('' until it answers) */
  leadId: string;
  journey: JourneyStage;
  readonly prng: Prng;
  dealMove: number;
  consentConfirmed?: boolean;
  /** reps that decided never to touch this lead */
  readonly ignoredBy: Set<string>;
  /** reps with an attempt planned on this lead */
  readonly answeredBy: Set<string>;
  /** per manager and takeover (`<manager> <handover>`): what the manager decided */
  managers?: Map<string, 'planned' | 'ignored' | 'done'>;
  /** the draws of the lead's managers, apart from the lead's own (made at its first takeover) */
  managerPrng?: Prng;
}
