/**
 * `leadpact dev` in one process, no AWS account, no Docker: dynalite (in memory, or on disk
 * with a data directory), the SES emulator (aws-ses-v2-local, with its inbox viewer), the lead
 * workflow's ASL on aws-local-stepfunctions, and the API server, all running the same handler
 * modules Lambda runs. Time is a scheduler: real time, `speed` times faster, or moved by hand.
 */

import { randomBytes } from 'node:crypto';
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDbEventLog } from '../lambdas/adapters/dynamodb-event-log.ts';
import { DynamoDbFactLog } from '../lambdas/adapters/dynamodb-fact-log.ts';
import { DynamoDbLeadQueries } from '../lambdas/adapters/dynamodb-lead-queries.ts';
import { createLeadStoreDocumentClient, DynamoDbLeadStore } from '../lambdas/adapters/dynamodb-lead-store.ts';
import { FetchWebhookTransport } from '../lambdas/adapters/fetch-webhook-transport.ts';
import { observeWrites } from '../lambdas/adapters/observed-lead-store.ts';
import { fromAddress, SesMailer } from '../lambdas/adapters/ses-mailer.ts';
import type { ApiDeps } from '../lambdas/api/deps.ts';
import { LOCAL_ORIGINS } from '../lambdas/api/middleware.ts';
import type { Sla } from '../lambdas/domain/sla-schema.ts';
import type { WebhookSubscription } from '../lambdas/domain/webhooks.ts';
import type { Clock } from '../lambdas/ports/clock.ts';
import type { EventBus, WebhookTransport } from '../lambdas/ports/events.ts';
import { advance } from '../lambdas/tasks/advance.ts';
import type { TaskDeps } from '../lambdas/tasks/deps.ts';
import { EmailNotifier } from '../lambdas/tasks/email-notifier.ts';
import { handoff } from '../lambdas/tasks/handoff.ts';
import { migrateLeads } from '../lambdas/tasks/migrate-leads.ts';
import { park } from '../lambdas/tasks/park.ts';
import { recordFailure } from '../lambdas/tasks/record-failure.ts';
import { writeFileAtomic } from './atomic-file.ts';
import { demoRoutes } from './demo-page.ts';
import { ensureTable, localDynamoDbClient, startDynalite } from './dynalite.ts';
import { LocalEventsOut } from './events-out.ts';
import { startApiServer } from './http-server.ts';
import { LocalReconciler, RECONCILE_EVERY_MS } from './local-reconciler.ts';
import { LocalWorkflow } from './local-workflow.ts';
import { RecordingWorkflow } from './recording-workflow.ts';
import { ManualScheduler, RealTimeScheduler, type Scheduler } from './scheduler.ts';
import { scrubAfterErase } from './scrub-on-erase.ts';
import { connectSesEmulator, localSesClient, type SesEmulator, startSesEmulator } from './ses.ts';
import { LocalStepFunctions } from './step-functions.ts';
import { keepVirtualTime, loadVirtualTime, resumeFrom } from './virtual-clock-file.ts';

export const LOCAL_TABLE = 'leadpact-local';
export const LOCAL_SENDER = 'leadpact@leadpact.local';

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
  close(): Promise<void>;
}

export async function startLocalRuntime(options: LocalRuntimeOptions): Promise<LocalRuntime> {
  if (options.dataDir) await mkdir(options.dataDir, { recursive: true });
  const clockPath = options.dataDir ? join(options.dataDir, 'clock.json') : undefined;
  const scheduler = schedulerFor(options, clockPath ? await loadVirtualTime(clockPath) : undefined);
  const clockFile =
    clockPath && scheduler instanceof RealTimeScheduler
      ? keepVirtualTime(clockPath, scheduler, { speed: scheduler.speed })
      : undefined;
  const dynamo = await startDynalite(options.dataDir ? { path: join(options.dataDir, 'dynamodb') } : {});
  const direct = localDynamoDbClient(dynamo.endpoint);
  await ensureTable(direct, LOCAL_TABLE);
  const via = options.endpoints;
  const client = via?.dynamodb ? localDynamoDbClient(await via.dynamodb(dynamo.endpoint)) : direct;
  // an SES endpoint already running (a shared inbox, a test's emulator) or our own emulator
  const mail = options.mailEndpoint
    ? connectSesEmulator(options.mailEndpoint)
    : await startSesEmulator({ port: options.mailPort ?? 0 });
  const ses = localSesClient(via?.ses ? await via.ses(mail.endpoint) : mail.endpoint);
  // an erase compacts dynalite's files, so no copy of the erased data stays under --data (local/scrub-on-erase.ts)
  const doc = createLeadStoreDocumentClient(client);
  // every lead state written also writes its report facts (GET /reports/sla reads them by day) and
  // is published at once (events out; the sweep below catches what a crash interrupted)
  const eventLog = new DynamoDbEventLog(doc, LOCAL_TABLE);
  const rawStore = scrubAfterErase(new DynamoDbLeadStore(doc, { tableName: LOCAL_TABLE }), dynamo.scrub);
  const eventsOut = new LocalEventsOut(
    {
      sla: options.sla,
      store: rawStore,
      log: eventLog,
      ...(options.events?.bus ? { bus: options.events.bus } : {}),
      subscriptions: options.events?.subscriptions ?? [],
      transport: options.events?.transport ?? new FetchWebhookTransport(),
      clock: scheduler,
    },
    scheduler,
    options.events?.sweepEveryMs ?? RECONCILE_EVERY_MS,
  );
  const store = observeWrites(
    rawStore,
    new DynamoDbFactLog(doc, LOCAL_TABLE, options.sla),
    ...(options.events?.off ? [] : [eventsOut]),
  );
  const queries = new DynamoDbLeadQueries(doc, LOCAL_TABLE);
  // an SLA change: in-flight leads referring to ids it removed follow its `migrations` before anything
  // runs, or the start refuses (StrandedLeadsError names them); the reconciler then re-plans them
  await migrateLeads({ store, sla: options.sla, clock: scheduler }).catch(async (error: unknown) => {
    client.destroy();
    if (direct !== client) direct.destroy();
    await dynamo.close();
    throw error;
  });
  const [leadIdSecret, actionSecret] = await Promise.all([
    secret(options.dataDir, 'lead-id-secret', 'LEADPACT_LEAD_ID_SECRET'),
    secret(options.dataDir, 'action-secret', 'LEADPACT_ACTION_SECRET'),
  ]);

  // the public URL is known once the server listens; links and the demo form's origin need it
  const site = { url: '' };
  // npm start takes posts from any local origin (a second dev server, a page opened from a file)
  const allowedOrigins = [...(options.allowedOrigins ?? []), LOCAL_ORIGINS];
  const notifier = new EmailNotifier({
    sla: options.sla,
    mailer: new SesMailer(ses, { from: fromAddress(options.sla.nurture.senderName, LOCAL_SENDER) }),
    clock: scheduler,
    get publicBaseUrl() {
      return site.url;
    },
    actionSecret,
    ...(options.opsEmail ? { opsEmail: options.opsEmail } : {}),
  });
  const taskDeps: TaskDeps = { sla: options.sla, store, clock: scheduler, notifier };
  const engine: LocalStepFunctions = new LocalStepFunctions(
    {
      advance: (input) => advance(taskDeps, input),
      handoff: (input) => handoff(taskDeps, input),
      park: (input) => park(taskDeps, input),
      recordFailure: (input) => recordFailure(taskDeps, input),
    },
    scheduler,
  );
  const localWorkflow = new LocalWorkflow(engine, store, scheduler);
  const workflow = new RecordingWorkflow(options.workflows === 'record' ? undefined : localWorkflow);
  const reconciler = new LocalReconciler(
    { store, executions: localWorkflow.executions, clock: scheduler },
    options.reconcileEveryMs ?? RECONCILE_EVERY_MS,
  );
  const deps: ApiDeps & { publicBaseUrl: string } = {
    sla: options.sla,
    store,
    queries,
    workflow,
    events: { log: eventLog, deliverNow: (deliveryId) => eventsOut.deliver(deliveryId) },
    clock: options.clock ?? scheduler,
    leadIdSecret,
    allowedOrigins,
    actionSecret,
    get publicBaseUrl() {
      return site.url;
    },
    ...(options.workflows === 'record'
      ? {}
      : { healthFigures: () => ({ reconciler: reconciler.figures() }) }),
  };
  const adminToken = options.adminToken ?? randomBytes(18).toString('base64url');
  const speed = options.time && 'speed' in options.time ? options.time.speed : 1;
  const server = await startApiServer({
    deps,
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
  }).catch(async (error: unknown) => {
    // the API's port is taken (or refused): stop what started, so the process ends with the one line
    await clockFile?.stop();
    await mail.close();
    ses.destroy();
    client.destroy();
    if (direct !== client) direct.destroy();
    await dynamo.close();
    throw error;
  });
  site.url = server.url;
  allowedOrigins.push(server.url, server.url.replace('127.0.0.1', 'localhost'));

  // every lead with something due gets its execution back (after a restart: all parked leads),
  // then the same sweep runs on a timer: the safety net for a lost start or a failed workflow
  if (options.workflows !== 'record') {
    await reconciler.startUp();
  }
  // in the background: a start-up with many leads to publish answers at once (idle() waits for it)
  if (!options.events?.off) eventsOut.startUp();
  // a workflow's write publishes events; events start no workflow work
  const settle = async () => {
    await engine.settle();
    await eventsOut.idle();
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
    events: eventsOut,
    async close() {
      await reconciler.stop();
      await eventsOut.stop();
      await clockFile?.stop();
      for (const execution of engine.active()) engine.stopExecution(execution.name);
      await server.close();
      await mail.close();
      ses.destroy();
      client.destroy();
      if (direct !== client) direct.destroy();
      await dynamo.close();
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

/** Secrets must stay stable across restarts of a data directory (lead ids, links in sent mail). */
async function secret(dataDir: string | undefined, name: string, env: string): Promise<string> {
  const fromEnv = process.env[env];
  if (fromEnv) return fromEnv;
  if (!dataDir) return randomBytes(32).toString('base64url');
  const file = join(dataDir, name);
  try {
    return (await readFile(file, 'utf8')).trim();
  } catch {
    const value = randomBytes(32).toString('base64url');
    await mkdir(dataDir, { recursive: true });
    await writeFileAtomic(file, value, { mode: 0o600 });
    return value;
  }
}
