/**
 * `leadpact dev` in one process, no AWS account, no Docker: dynalite (in memory, or on disk
 * with a data directory), the SES emulator (aws-ses-v2-local, with its inbox viewer), the lead
 * workflow's ASL on aws-local-stepfunctions, and the API server, all running the same handler
 * modules Lambda runs. Time is a scheduler: real time, `speed` times faster, or moved by hand.
 */

import { randomBytes } from 'node:crypto';
import { access, mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDbEventLog } from '../lambdas/adapters/dynamodb-event-log.ts';
import { DynamoDbFactLog } from '../lambdas/adapters/dynamodb-fact-log.ts';
import { DynamoDbLeadQueries } from '../lambdas/adapters/dynamodb-lead-queries.ts';
import { createLeadStoreDocumentClient, DynamoDbLeadStore } from '../lambdas/adapters/dynamodb-lead-store.ts';
import { DynamoDbSignInLedger } from '../lambdas/adapters/dynamodb-sign-in-ledger.ts';
import { FetchWebhookTransport } from '../lambdas/adapters/fetch-webhook-transport.ts';
import { observeWrites } from '../lambdas/adapters/observed-lead-store.ts';
import { fromAddress, SesMailer } from '../lambdas/adapters/ses-mailer.ts';
import { SesSendQuota } from '../lambdas/adapters/ses-send-quota.ts';
import type { ApiDeps } from '../lambdas/api/deps.ts';
import { LOCAL_ORIGINS } from '../lambdas/api/middleware.ts';
import type { RouteDefinition } from '../lambdas/api/routes.ts';
import { groupOf, routeKey } from '../lambdas/aws/shared/api-groups.ts';
import { ENV } from '../lambdas/aws/shared/env.ts';
import { RESERVATION_LIVE_MS } from '../lambdas/domain/capacity.ts';
import { OUTBOX_LEASE_MS, type OutboxLease } from '../lambdas/domain/outbox.ts';
import type { Sla } from '../lambdas/domain/sla-schema.ts';
import { leadPastContact } from '../lambdas/domain/sla-standing.ts';
import { storyCarrier } from '../lambdas/domain/story-carry.ts';
import { BUS_SUBSCRIPTION_ID } from '../lambdas/domain/webhook-config.ts';
import { DELIVERY_LEASE_MS, type WebhookSubscription } from '../lambdas/domain/webhooks.ts';
import { type Clock, systemClock } from '../lambdas/ports/clock.ts';
import type { EventBus, WebhookTransport } from '../lambdas/ports/events.ts';
import type { LeadWriteObserver } from '../lambdas/ports/lead-queries.ts';
import type { LeadStore } from '../lambdas/ports/lead-store.ts';
import { DEFAULT_MAIL_RESERVE_PERCENT } from '../lambdas/ports/mailer.ts';
import { advanceStep } from '../lambdas/tasks/advance-step.ts';
import type { TaskDeps } from '../lambdas/tasks/deps.ts';
import { EmailNotifier } from '../lambdas/tasks/email-notifier.ts';
import { handoff } from '../lambdas/tasks/handoff.ts';
import { migrateLeads } from '../lambdas/tasks/migrate-leads.ts';
import { park } from '../lambdas/tasks/park.ts';
import { recordEndedExecution, recordFailure } from '../lambdas/tasks/record-failure.ts';
import { repairLeadsAfterCrash } from './crash-repair.ts';
import { dataDirSecret } from './data-dir-secret.ts';
import { demoRoutes } from './demo-page.ts';
import { ensureTable, localDynamoDbClient, repairIndexes, startDynalite } from './dynalite.ts';
import { LocalEventsOut } from './events-out.ts';
import { startApiServer } from './http-server.ts';
import { authorize, type IamCheck, type IamLog, type IamRole, iamEnforcement } from './iam/enforce.ts';
import type { IamProfile } from './iam/profile.ts';
import { LocalReconciler, RECONCILE_EVERY_MS } from './local-reconciler.ts';
import { LocalWorkflow } from './local-workflow.ts';
import { RecordingWorkflow } from './recording-workflow.ts';
import { ManualScheduler, RealTimeScheduler, type Scheduler } from './scheduler.ts';
import { scrubAfterErase } from './scrub-on-erase.ts';
import { connectSesEmulator, localSesClient, type SesEmulator, startSesEmulator } from './ses.ts';
import { LocalStepFunctions, type RetryTiming } from './step-functions.ts';
import { keepVirtualTime, loadVirtualTime, removeLeftTemps, resumeFrom } from './virtual-clock-file.ts';

export const LOCAL_TABLE = 'leadpact-local';
export const LOCAL_SENDER = 'leadpact@leadpact.local';
/** real time a capacity reservation covers at least, whatever `--speed` (a handoff's work under load: seconds) */
export const RESERVATION_REAL_MS = 10_000;

export interface LocalRuntimeOptions {
  readonly sla: Sla;
  /** 0 picks a free port */
  readonly port?: number;
  /** the SES emulator's port (0, the default, picks a free one; `leadpact dev` uses 8005) */
  readonly mailPort?: number;
  /** keep DynamoDB data, secrets and running workflows here across restarts; in memory when omitted */
  readonly dataDir?: string;
  readonly adminToken?: string;
  readonly allowedOrigins?: readonly string[];
  /** the secret Typeform signs its webhook posts with (docs/forms.md#typeform); absent: taken unsigned */
  readonly typeformSecret?: string;
  /**
   * Time: `{ speed: N }` runs N virtual seconds per real second (default 1); `{ manual: start }`
   * moves only through advanceTo() (tests, the simulator).
   */
  readonly time?: { readonly speed: number; readonly start?: Date } | { readonly manual: Date };
  /** a clock for the API only (tests that pin "now"); the workflow then waits in real time */
  readonly clock?: Clock;
  readonly rateLimit?: { perMinute: number; burst: number };
  readonly opsEmail?: string;
  /** 'record' only records what the API asks of the workflow (API tests); 'run' (default) runs it */
  readonly workflows?: 'run' | 'record';
  /** real milliseconds between reconciler sweeps (default 10 s); 0 turns the timer off */
  readonly reconcileEveryMs?: number;
  /** send through this SES (v2) endpoint instead of starting the emulator (`--mail-endpoint`) */
  readonly mailEndpoint?: string;
  /**
   * SES's maximum send rate, emails a real second, enforced by the emulator (`--mail-rate`; ADR 0051):
   * 14 for a new production account, 1 in the sandbox. Off by default.
   */
  readonly mailRate?: number;
  /**
   * SES's daily quota, enforced by the emulator over the last 24 hours of the SLA clock (`--mail-quota`;
   * ADR 0067): 200 in the sandbox, 50,000 for a new production account. Off by default.
   */
  readonly mailQuota?: number;
  /**
   * the share of that quota (%) nurture leaves to the SLA's own emails (default 10, the stack's
   * mailReservePercent); with IAM enforced, the template's variable on each function decides, as on AWS
   */
  readonly mailReservePercent?: number;
  /** how the local engine waits between task retries (local/step-functions.ts RetryTiming) */
  readonly retryTiming?: RetryTiming;
  /** the account's Lambda concurrency, enforced on the workflow's task invocations (LocalStepFunctions) */
  readonly lambdaConcurrency?: number;
  /**
   * Tests: every API function's timeout in ms, as Lambda enforces it (local/http-server.ts `timeoutMs`; ADR
   * 0068). Off by default, `npm start` included: dynalite on a shared laptop is slower than DynamoDB.
   */
  readonly apiTimeoutMs?: number;
  /**
   * IAM enforced (`leadpact dev --iam enforce`, the default there): each handler runs with its function's
   * role from the synthesized template (API routes by group, the tasks, the reconciler, the SLA migration),
   * every DynamoDB, SES, Step Functions and Secrets Manager call evaluated against it; a denied call
   * throws AccessDeniedException to the handler, as on AWS. `log` gets every check (default: denied
   * calls logged to stderr, naming role, action and resource). Omitted: no enforcement.
   */
  readonly iam?: { readonly profile: IamProfile; readonly log?: IamLog };
  /**
   * Tests: what the clients talk to instead of an emulator (a fault-injecting proxy), given the
   * emulator's endpoint. The table is still created directly.
   */
  /** events out: webhook subscriptions (secrets resolved), an EventBridge stand-in, the HTTP client */
  readonly events?: {
    readonly subscriptions?: readonly WebhookSubscription[];
    readonly bus?: EventBus;
    readonly transport?: WebhookTransport;
    /** real milliseconds between sweeps (default 10 s); 0 turns the timer off */
    readonly sweepEveryMs?: number;
    /** no publishing at all (bench/events.ts measures what events out adds); leads stay listed */
    readonly off?: boolean;
  };
  readonly endpoints?: {
    readonly dynamodb?: (endpoint: string) => Promise<string> | string;
    readonly ses?: (endpoint: string) => Promise<string> | string;
  };
}

export interface LocalRuntime {
  readonly url: string;
  readonly adminToken: string;
  readonly dynamoEndpoint: string;
  /** the client the store sends through: add middleware to observe or count its commands */
  readonly dynamoDb: DynamoDBClient;
  readonly deps: ApiDeps;
  /** records every start/signal/stop, then passes it to the local Step Functions */
  readonly workflow: RecordingWorkflow;
  readonly engine: LocalStepFunctions;
  readonly scheduler: Scheduler;
  readonly mail: SesEmulator;
  /** the local reconciler: `run()` sweeps now (tests), `figures()` is what GET /health shows */
  readonly reconciler: LocalReconciler;
  /** events out: the publisher and webhook sender (sweep(), idle(), figures()) */
  readonly events: LocalEventsOut;
  /** resolves when every workflow is parked or finished and no event is in flight */
  settle(): Promise<void>;
  /** manual time only: fire every timer up to `to`, in order, settling after each */
  advanceTo(to: Date | string): Promise<number>;
  /**
   * Stops everything. `drainMs`: first let a task at work finish its round (its sends answered and marked) for
   * up to that long, as a Ctrl-C of `leadpact dev` does; without it a task at work is cut off like a kill, and
   * the next start on the same data repairs it (which may send an email again).
   */
  close(options?: { readonly drainMs?: number }): Promise<void>;
}

export async function startLocalRuntime(options: LocalRuntimeOptions): Promise<LocalRuntime> {
  // what a start that fails part way has opened, closed again in reverse (a port in use, a data directory
  // another process holds, a refused SLA): the process then ends with its one line instead of hanging on
  // a listening emulator or the clock file's timer
  const undo: (() => unknown)[] = [];
  try {
    return await start(options, undo);
  } catch (error) {
    for (const step of undo.reverse())
      await Promise.resolve()
        .then(step)
        .catch(() => undefined);
    throw error;
  }
}

async function start(options: LocalRuntimeOptions, undo: (() => unknown)[]): Promise<LocalRuntime> {
  const startedAt = new Date();
  if (options.dataDir) await mkdir(options.dataDir, { recursive: true });
  const storePath = options.dataDir ? join(options.dataDir, 'dynamodb') : undefined;
  // the keys before the store: a store never exists without them, so a key file missing beside one was lost
  const storeExisted = storePath !== undefined && (await exists(join(storePath, 'CURRENT')));
  const [leadIdSecret, actionSecret] = await Promise.all([
    dataDirSecret({
      dataDir: options.dataDir,
      name: 'lead-id-secret',
      env: 'LEADPACT_LEAD_ID_SECRET',
      storeExisted,
    }),
    dataDirSecret({
      dataDir: options.dataDir,
      name: 'action-secret',
      env: 'LEADPACT_ACTION_SECRET',
      storeExisted,
    }),
  ]);
  const clockPath = options.dataDir ? join(options.dataDir, 'clock.json') : undefined;
  const scheduler = schedulerFor(options, clockPath ? await loadVirtualTime(clockPath) : undefined);
  const clockFile =
    clockPath && scheduler instanceof RealTimeScheduler
      ? keepVirtualTime(clockPath, scheduler, { speed: scheduler.speed })
      : undefined;
  undo.push(() => clockFile?.stop());
  // under --speed N the SLA clock runs N times faster than a send: an outbox claim holds for 150 s of real time,
  // as on AWS, and every claim made before this start is stale at once (its process is gone: a kill, a stop)
  const outboxLease: OutboxLease | undefined =
    scheduler instanceof RealTimeScheduler
      ? { ms: OUTBOX_LEASE_MS * scheduler.speed, abandonedBefore: scheduler.now().getTime() }
      : undefined;
  const dynamo = await startDynalite(storePath ? { path: storePath } : {});
  undo.push(() => dynamo.close());
  // the data directory is this process's now (the store's lock): a temp file a killed one left can go
  if (clockPath) await removeLeftTemps(clockPath, startedAt);
  // the clients hand their requests to dynalite in this process, without a socket (local/in-process-http.ts)
  const inProcess = { requestHandler: dynamo.requestHandler };
  const direct = localDynamoDbClient(dynamo.endpoint, inProcess);
  undo.push(() => direct.destroy());
  // a data directory an older version made may lack an index added since: added in place, filled below
  const { indexesAdded } = await ensureTable(direct, LOCAL_TABLE, {
    addMissingIndexes: dynamo.addMissingIndexes,
  });
  // a data directory a killed process left: every item back in its indexes (dynalite is not atomic
  // there). A clean stop leaves a marker, so only a start after a crash pays for the rewrite.
  const cleanStop = options.dataDir ? join(options.dataDir, 'clean-stop') : undefined;
  const wasClean = cleanStop ? await exists(cleanStop) : true;
  if (cleanStop) {
    // the marker goes first: a crash during the rewrite leaves a start that rewrites again
    await rm(cleanStop, { force: true });
    if (!wasClean || indexesAdded.length > 0) await repairIndexes(direct, LOCAL_TABLE);
  }
  const via = options.endpoints;
  const dynamoVia = via?.dynamodb ? await via.dynamodb(dynamo.endpoint) : dynamo.endpoint;
  // a test's proxy in between: over HTTP through it
  const dynamoConfig = via?.dynamodb ? {} : inProcess;
  const client = via?.dynamodb ? localDynamoDbClient(dynamoVia) : direct;
  undo.push(() => client.destroy());
  // an SES endpoint already running (a shared inbox, a test's emulator) or our own emulator
  const mail = options.mailEndpoint
    ? connectSesEmulator(options.mailEndpoint)
    : await startSesEmulator({
        port: options.mailPort ?? 0,
        ...(options.mailRate === undefined ? {} : { sendRate: options.mailRate }),
        ...(options.mailQuota === undefined ? {} : { dailyQuota: options.mailQuota }),
        now: () => scheduler.now().getTime(),
      });
  undo.push(() => mail.close());
  const sesVia = via?.ses ? await via.ses(mail.endpoint) : mail.endpoint;
  const ses = localSesClient(sesVia);
  undo.push(() => ses.destroy());
  // events out (docs/decisions/0022-events-out.md): every lead state written is published at once; the
  // sweep catches what a crash interrupted. Created below, as its own function, before anything writes.
  let eventsOut: LocalEventsOut | undefined;
  const publishOnWrite: LeadWriteObserver = {
    leadWritten: (state) => eventsOut?.leadWritten(state) ?? Promise.resolve(),
  };
  const storeOn = (dynamoClient: DynamoDBClient) => {
    // an erase compacts dynalite's files, so no copy of the erased data stays under --data (local/scrub-on-erase.ts)
    const doc = createLeadStoreDocumentClient(dynamoClient);
    const raw = scrubAfterErase(
      new DynamoDbLeadStore(doc, {
        tableName: LOCAL_TABLE,
        carry: storyCarrier(options.sla),
        // a lead past its contact phase gets no next-step entry (ADR 0053)
        indexRules: { pastContact: (lead) => leadPastContact(options.sla, lead) },
      }),
      dynamo.scrub,
    );
    // every lead state written also writes its report facts (GET /reports/sla reads them by day)
    const store = observeWrites(
      raw,
      new DynamoDbFactLog(doc, LOCAL_TABLE, options.sla),
      ...(options.events?.off ? [] : [publishOnWrite]),
    );
    return { store, raw, doc, queries: new DynamoDbLeadQueries(doc, LOCAL_TABLE) };
  };
  const { store, raw, queries, doc } = storeOn(client);
  // after a crash: a wake that ended its lead and died before its emails were sent left nothing due (what
  // Step Functions' retries and EventBridge do on AWS died with the process): due when its claims are; and the
  // report facts a write did not get to are put (local/crash-repair.ts)
  if (!wasClean)
    await repairLeadsAfterCrash(
      direct,
      LOCAL_TABLE,
      raw,
      new DynamoDbFactLog(doc, LOCAL_TABLE, options.sla),
      scheduler.now(),
      outboxLease,
    );
  // IAM enforced: a client per function, carrying its role (local/iam/enforce.ts)
  const iamLog: IamLog = options.iam?.log ?? logDenied;
  const perFunction: { destroy(): void }[] = [];
  const asFunction = (name: string) => {
    if (!options.iam)
      return { store, raw, queries, doc, ses, role: undefined, env: {} as Record<string, string> };
    const fn = options.iam.profile.functions[name];
    if (!fn) throw new Error(`IAM enforcement: the stack has no function ${name}`);
    const role: IamRole = {
      name,
      statements: fn.statements,
      taskTokenStateMachine: options.iam.profile.stateMachineArn,
      ...(options.iam.profile.sesIdentities ? { sesIdentities: options.iam.profile.sesIdentities } : {}),
    };
    const enforce = iamEnforcement(role, iamLog);
    const dynamoClient = localDynamoDbClient(dynamoVia, dynamoConfig);
    dynamoClient.middlewareStack.use(enforce);
    const sesClient = localSesClient(sesVia);
    sesClient.middlewareStack.use(enforce);
    perFunction.push(dynamoClient, sesClient);
    undo.push(
      () => dynamoClient.destroy(),
      () => sesClient.destroy(),
    );
    return { ...storeOn(dynamoClient), ses: sesClient, role, env: fn.env };
  };
  /** a deployment key the function reads at init: only with its variable set and GetSecretValue granted */
  const keyFor = (fn: ReturnType<typeof asFunction>, variable: string, value: string): string | undefined => {
    if (!fn.role) return value;
    const arn = fn.env[variable];
    if (!arn) return undefined;
    authorize('secretsmanager', 'GetSecretValueCommand', { SecretId: arn }, fn.role, iamLog);
    return value;
  };
  // the publisher reads leads and writes deliveries as the stack's EventsPublisher function
  const publisherFn = asFunction('EventsPublisher');
  const eventLog = new DynamoDbEventLog(publisherFn.doc, LOCAL_TABLE);
  eventsOut = new LocalEventsOut(
    {
      sla: options.sla,
      store: publisherFn.raw,
      log: eventLog,
      // as the stack's publisher: the facts of what it publishes, put again (only what a write lost lands)
      facts: new DynamoDbFactLog(publisherFn.doc, LOCAL_TABLE, options.sla),
      ...(options.events?.bus ? { bus: options.events.bus } : {}),
      subscriptions: options.events?.subscriptions ?? [],
      transport: options.events?.transport ?? new FetchWebhookTransport(),
      clock: scheduler,
      // a lease outlasts the transport's (wall-clock) timeout in SLA time too
      // and a receiver's Retry-After (wall-clock seconds) is waited for in SLA time too
      ...(scheduler instanceof RealTimeScheduler
        ? { leaseMs: DELIVERY_LEASE_MS * scheduler.speed, clockSpeed: scheduler.speed }
        : {}),
    },
    scheduler,
    options.events?.sweepEveryMs ?? RECONCILE_EVERY_MS,
  );
  const events: LocalEventsOut = eventsOut;
  // an SLA change: in-flight leads referring to ids it removed follow its `migrations` before anything
  // runs, or the start refuses (StrandedLeadsError names them); the reconciler then re-plans them. A start on the
  // SLA the store was last migrated to in full reads no lead: the runner finds its mark (ADR 0070)
  const migrationFn = asFunction('SlaMigration');
  await migrateLeads({
    store: migrationFn.store,
    queries: migrationFn.queries,
    sla: options.sla,
    clock: scheduler,
  });

  // the public URL is known once the server listens; links and the demo form's origin need it
  const site = { url: '' };
  // npm start takes posts from any local origin (a second dev server, a page opened from a file)
  const allowedOrigins = [...(options.allowedOrigins ?? []), LOCAL_ORIGINS];
  // under --speed N the SLA clock runs N times faster than a handoff works: a capacity reservation counts
  // for 10 minutes of SLA time or 10 real seconds, whichever is longer (ADR 0040)
  const reservationLife =
    scheduler instanceof RealTimeScheduler
      ? { reservationLiveMs: Math.max(RESERVATION_LIVE_MS, scheduler.speed * RESERVATION_REAL_MS) }
      : {};
  const taskDepsOf = (name: string): TaskDeps => {
    const fn = asFunction(name);
    // nurture leaves a reserve of SES's daily quota to the SLA's emails (ADR 0067): as the template sets it. An
    // emulator started elsewhere (--mail-endpoint) answers no GetAccount: no reserve, rather than a warning a read
    const reserve = options.mailEndpoint
      ? undefined
      : fn.role
        ? fn.env[ENV.mailReservePercent]
        : String(options.mailReservePercent ?? DEFAULT_MAIL_RESERVE_PERCENT);
    const quota = reserve ? new SesSendQuota(fn.ses, { reservePercent: Number(reserve) }) : undefined;
    const notifier = new EmailNotifier({
      sla: options.sla,
      mailer: new SesMailer(fn.ses, {
        from: fromAddress(options.sla.nurture.senderName, LOCAL_SENDER),
        ...(quota ? { quota } : {}),
      }),
      clock: scheduler,
      get publicBaseUrl() {
        return site.url;
      },
      actionSecret: keyFor(fn, ENV.actionSecretArn, actionSecret) ?? '',
      ...(options.opsEmail ? { opsEmail: options.opsEmail } : {}),
    });
    return {
      sla: options.sla,
      store: fn.store,
      clock: scheduler,
      ...reservationLife,
      ...(outboxLease ? { outboxLease } : {}),
      notifier,
    };
  };
  const [advanceDeps, handoffDeps, parkDeps, failureDeps] = [
    'Advance',
    'Handoff',
    'Park',
    'RecordFailure',
  ].map(taskDepsOf) as [TaskDeps, TaskDeps, TaskDeps, TaskDeps];
  // IAM enforced: the state machine's own role is asked before each task, as Step Functions asks it
  const machine = options.iam?.profile.stateMachine;
  const machineRole: IamRole | undefined = machine
    ? { name: 'StateMachine', statements: machine.statements }
    : undefined;
  const engine: LocalStepFunctions = new LocalStepFunctions(
    {
      advance: (input) => advanceStep(advanceDeps, input),
      handoff: (input) => handoff(handoffDeps, input),
      park: (input) => park(parkDeps, input),
      recordFailure: (input) => recordFailure(failureDeps, input),
      // EventBridge's rule on the state machine, on AWS: an execution that failed or was stopped (ADR 0038)
      executionEnded: (ended) => recordEndedExecution(failureDeps, ended),
    },
    scheduler,
    machine && machineRole && options.iam
      ? {
          invoke: (placeholder) =>
            authorize(
              'lambda',
              'InvokeCommand',
              { FunctionName: machine.taskFunctions[placeholder] ?? `not-substituted:${placeholder}` },
              machineRole,
              iamLog,
            ),
          startExecution: () =>
            authorize(
              'states',
              'StartExecutionCommand',
              { stateMachineArn: options.iam?.profile.stateMachineArn },
              machineRole,
              iamLog,
            ),
        }
      : undefined,
    options.retryTiming,
    options.lambdaConcurrency,
  );
  const workflowOf = (fnStore: LeadStore, role: IamRole | undefined) =>
    new LocalWorkflow(
      engine,
      fnStore,
      scheduler,
      role && options.iam
        ? {
            stateMachineArn: options.iam.profile.stateMachineArn,
            check: (command, input) => authorize('states', command, input, role, iamLog),
          }
        : undefined,
    );
  const localWorkflow = workflowOf(store, undefined);
  const workflow = new RecordingWorkflow(options.workflows === 'record' ? undefined : localWorkflow);
  const reconcilerFn = asFunction('Reconciler');
  const reconcilerWorkflow = workflowOf(reconcilerFn.store, reconcilerFn.role);
  const reconciler = new LocalReconciler(
    {
      store: reconcilerFn.store,
      executions: reconcilerWorkflow.executions,
      clock: scheduler,
    },
    options.reconcileEveryMs ?? RECONCILE_EVERY_MS,
    { store: reconcilerFn.store, queries: reconcilerFn.queries },
    // the retention of sign-ups never confirmed (ADR 0092), under the reconciler's role as on AWS
    {
      sla: options.sla,
      store: reconcilerFn.store,
      queries: reconcilerFn.queries,
      workflow: reconcilerWorkflow,
    },
  );
  const depsOf = (fn: ReturnType<typeof asFunction>, recorder: RecordingWorkflow) => {
    const leadIdKey = keyFor(fn, ENV.leadIdSecretArn, leadIdSecret);
    const actionKey = keyFor(fn, ENV.actionSecretArn, actionSecret);
    const deps: ApiDeps & { publicBaseUrl: string } = {
      sla: options.sla,
      store: fn.store,
      queries: fn.queries,
      workflow: recorder,
      // the webhook delivery log and its replay (lambdas/api/groups/webhooks.ts)
      events: {
        log: new DynamoDbEventLog(fn.doc, LOCAL_TABLE),
        deliverNow: (deliveryId: string) => events.deliver(deliveryId),
        // the ids the sender delivers to: a filter naming none of them (and nothing in the log) is refused
        subscriptions: [
          ...(options.events?.bus ? [BUS_SUBSCRIPTION_ID] : []),
          ...(options.events?.subscriptions ?? []).map((subscription) => subscription.id),
        ],
      },
      clock: options.clock ?? scheduler,
      // sign-in links and console sessions expire in real time, whatever --speed does to the SLA's clock
      wallClock: options.clock ?? systemClock,
      get leadIdSecret(): string {
        if (!leadIdKey) throw new Error('the lead-id key is not available to this function (not granted)');
        return leadIdKey;
      },
      allowedOrigins,
      ...(options.typeformSecret ? { typeformSecret: options.typeformSecret } : {}),
      ...(actionKey ? { actionSecret: actionKey } : {}),
      // the console's sign-in: links by email, each used once (docs/decisions/0017-console-sessions.md)
      mailer: new SesMailer(fn.ses, { from: fromAddress(options.sla.nurture.senderName, LOCAL_SENDER) }),
      signIns: new DynamoDbSignInLedger(fn.doc, LOCAL_TABLE),
      get publicBaseUrl() {
        return site.url;
      },
      ...(options.workflows === 'record'
        ? {}
        : { healthFigures: () => ({ reconciler: reconciler.figures() }) }),
    };
    return deps;
  };
  const deps = depsOf({ store, raw, queries, doc, ses, role: undefined, env: {} }, workflow);
  // IAM enforced: each route group runs as its function (lambdas/aws/shared/api-groups.ts)
  const groupDeps = new Map<string, ApiDeps>();
  const depsFor = options.iam
    ? (definition: RouteDefinition): ApiDeps => {
        const group = groupOf(routeKey(definition));
        if (!group) throw new Error(`IAM enforcement: no function serves ${routeKey(definition)}`);
        let found = groupDeps.get(group);
        if (!found) {
          const fn = asFunction(`Api-${group}`);
          const recorder = new RecordingWorkflow(
            options.workflows === 'record' ? undefined : workflowOf(fn.store, fn.role),
            workflow.calls,
          );
          found = depsOf(fn, recorder);
          groupDeps.set(group, found);
        }
        return found;
      }
    : undefined;
  const adminToken = options.adminToken ?? generatedAdminToken();
  const speed = options.time && 'speed' in options.time ? options.time.speed : 1;
  const server = await startApiServer({
    deps,
    ...(depsFor ? { depsFor } : {}),
    ...(options.apiTimeoutMs === undefined ? {} : { timeoutMs: options.apiTimeoutMs }),
    adminToken,
    ...(options.port === undefined ? {} : { port: options.port }),
    ...(options.rateLimit ? { rateLimit: options.rateLimit } : {}),
    extraRoutes: demoRoutes({
      sla: options.sla,
      get apiUrl() {
        return site.url;
      },
      inboxUrl: mail.inboxUrl,
      speed,
    }),
  });
  undo.push(() => server.close());
  site.url = server.url;
  allowedOrigins.push(server.url, server.url.replace('127.0.0.1', 'localhost'));

  // every lead with something due gets its execution back (after a restart: all parked leads),
  // then the same sweep runs on a timer: the safety net for a lost start or a failed workflow
  undo.push(
    () => reconciler.stop(),
    () => events.stop(),
  );
  if (options.workflows !== 'record') {
    await reconciler.startUp();
  }
  // in the background: a start-up with many leads to publish answers at once (idle() waits for it)
  if (!options.events?.off) events.startUp();
  // a workflow's write publishes events; events start no workflow work
  const settle = async () => {
    await engine.settle();
    await events.idle();
  };

  return {
    url: server.url,
    adminToken,
    dynamoEndpoint: dynamo.endpoint,
    dynamoDb: client,
    deps,
    workflow,
    engine,
    scheduler,
    mail,
    settle,
    async advanceTo(to) {
      if (!(scheduler instanceof ManualScheduler)) throw new Error('advanceTo needs time: { manual: start }');
      return scheduler.advanceTo(new Date(to), settle);
    },
    reconciler,
    events,
    async close(options = {}) {
      await reconciler.stop();
      await events.stop();
      await clockFile?.stop();
      // a task at work now (a wake between its write and its sends) finishes its round within `drainMs`: one cut
      // off by the stop leaves the next start to repair it as after a crash (no clean-stop marker), and a send
      // it made but did not mark goes again
      if (options.drainMs) {
        let timer: NodeJS.Timeout | undefined;
        await Promise.race([
          engine.settle(),
          new Promise<void>((resolve) => {
            timer = setTimeout(resolve, options.drainMs);
          }),
        ]);
        clearTimeout(timer);
      }
      const quiet = engine.isIdle();
      for (const execution of engine.active()) engine.stopExecution(execution.name);
      await server.close();
      await mail.close();
      ses.destroy();
      for (const c of perFunction) c.destroy();
      client.destroy();
      if (direct !== client) direct.destroy();
      await dynamo.close();
      if (cleanStop && quiet) await writeFile(cleanStop, '');
    },
  };
}

function schedulerFor(options: LocalRuntimeOptions, saved: Date | undefined): Scheduler {
  const time = options.time;
  if (time && 'manual' in time) return new ManualScheduler(time.manual);
  if (options.clock && !time) {
    const clock = options.clock;
    // the API's clock is pinned by a test: timers wait in real time from its "now"
    return {
      now: () => clock.now(),
      at: (when, fire) => {
        const timer = setTimeout(
          fire,
          Math.min(2 ** 31 - 1, Math.max(0, when.getTime() - clock.now().getTime())),
        );
        return () => clearTimeout(timer);
      },
    };
  }
  // SLA time never runs backwards across a restart of the same data directory
  return new RealTimeScheduler(time?.speed ?? 1, resumeFrom(saved, time?.start ?? new Date()));
}

/** A denied call, as one log line naming the role, the action and the resource (no personal data in either). */
function logDenied(check: IamCheck): void {
  if (check.allowed) return;
  console.error(
    JSON.stringify({
      level: 'error',
      msg: 'IAM denied (AccessDeniedException)',
      role: check.role,
      action: check.action,
      resource: check.resource,
    }),
  );
}

const exists = (path: string): Promise<boolean> =>
  access(path).then(
    () => true,
    () => false,
  );

/**
 * The admin token `leadpact dev` makes when none is given: hex, so it pastes into any command. A
 * base64url one can start with "-", which `--token` (parseArgs) reads as a missing value.
 */
export function generatedAdminToken(): string {
  return randomBytes(18).toString('hex');
}
