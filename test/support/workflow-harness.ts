/**
 * The lead workflow without emulators: the real ASL file on aws-local-stepfunctions (LocalStepFunctions),
 * the real task handlers, MemoryLeadStore (or a store the test passes: DynamoDbLeadStore on dynalite), a ManualScheduler (virtual time moves only when the test says)
 * and a recording Notifier. Input enters as the API enters it: submitLead for form posts, and the real
 * route handlers (invoked with API Gateway v2-shaped events) for engagement events, attempts, deal moves
 * and erasure, so the workflow is signalled exactly as in production.
 *
 * Nothing here is timed: time is virtual, and `advanceTo` fires every due timer in order and waits for
 * the work each one causes before the next.
 */

import { readFileSync } from 'node:fs';
import type { Context } from 'aws-lambda';
import { MemoryLeadStore } from '../../lambdas/adapters/memory-lead-store.ts';
import { postConsentHandler } from '../../lambdas/api/consent.ts';
import type { ApiDeps } from '../../lambdas/api/deps.ts';
import type { HttpEvent, HttpResult } from '../../lambdas/api/http.ts';
import { deleteLeadHandler } from '../../lambdas/api/lead-erase.ts';
import { postEventsHandler } from '../../lambdas/api/lead-events.ts';
import { postAttemptHandler, putDealHandler } from '../../lambdas/api/lead-sales.ts';
import { submissionSchema } from '../../lambdas/api/lead-submission.ts';
import { submitLead } from '../../lambdas/api/leads-public.ts';
import type { LambdaHttpHandler } from '../../lambdas/api/middleware.ts';
import { CONSENT_LINK_TTL_SECONDS, linkExpiry, signActionToken } from '../../lambdas/domain/action-links.ts';
import { leadIdFor } from '../../lambdas/domain/lead-id.ts';
import type { Attempt, LeadState } from '../../lambdas/domain/lead-state.ts';
import type { Sla } from '../../lambdas/domain/sla-schema.ts';
import type { LeadStore } from '../../lambdas/ports/lead-store.ts';
import { advanceStep } from '../../lambdas/tasks/advance-step.ts';
import type { TaskDeps } from '../../lambdas/tasks/deps.ts';
import { handoff } from '../../lambdas/tasks/handoff.ts';
import { type MigrationReport, migrateLeads } from '../../lambdas/tasks/migrate-leads.ts';
import type { Notifier } from '../../lambdas/tasks/notifier.ts';
import { park } from '../../lambdas/tasks/park.ts';
import { recordEndedExecution, recordFailure } from '../../lambdas/tasks/record-failure.ts';
import { LocalWorkflow } from '../../local/local-workflow.ts';
import { ManualScheduler } from '../../local/scheduler.ts';
import { type LocalExecution, LocalStepFunctions } from '../../local/step-functions.ts';
import { loadDefaultSla } from './sla.ts';

export type NotificationKind = keyof Notifier;

/** One email the workflow asked for. `to` is the rep (or manager) it goes to; the lead for nurture; 'ops' for alerts. */
export interface Notification {
  readonly kind: NotificationKind;
  readonly to: string;
  /** virtual time, ISO */
  readonly at: string;
  readonly leadId?: string;
  /** attempt reminders: the step; nurture: the track and email index; reassignment: the previous owner */
  readonly detail?: string;
}

/** A Notifier that records every send; `failWhen` makes chosen sends throw (an injected fault). */
export class RecordingNotifier implements Notifier {
  readonly notifications: Notification[] = [];
  /** sends that threw, in order (not in `notifications`) */
  readonly failures: Notification[] = [];
  failWhen: (notification: Notification) => boolean = () => false;

  constructor(private readonly clock: { now(): Date }) {}

  private async record(notification: Omit<Notification, 'at'>): Promise<void> {
    const full: Notification = { ...notification, at: this.clock.now().toISOString() };
    if (this.failWhen(full)) {
      this.failures.push(full);
      throw new Error(`injected fault: ${full.kind} to ${full.to}`);
    }
    this.notifications.push(full);
  }

  nurture: Notifier['nurture'] = (lead, track, index) =>
    this.record({ kind: 'nurture', to: 'lead', leadId: lead.leadId, detail: `${track.id}#${index}` });
  consentRequest: Notifier['consentRequest'] = (lead) =>
    this.record({ kind: 'consentRequest', to: 'lead', leadId: lead.leadId });
  sqlAssigned: Notifier['sqlAssigned'] = (lead, rep) =>
    this.record({ kind: 'sqlAssigned', to: rep.id, leadId: lead.leadId });
  attemptDue: Notifier['attemptDue'] = (lead, rep, due) =>
    this.record({ kind: 'attemptDue', to: rep.id, leadId: lead.leadId, detail: `${due.step}/${due.of}` });
  firstTouchOverdue: Notifier['firstTouchOverdue'] = (lead, rep) =>
    this.record({ kind: 'firstTouchOverdue', to: rep.id, leadId: lead.leadId });
  managerEscalation: Notifier['managerEscalation'] = (lead, rep, manager) =>
    this.record({
      kind: 'managerEscalation',
      to: manager.id,
      leadId: lead.leadId,
      detail: `owner ${rep.id}`,
    });
  reassigned: Notifier['reassigned'] = (lead, from, to) =>
    this.record({ kind: 'reassigned', to: to.id, leadId: lead.leadId, detail: `from ${from?.id}` });
  managerTakeover: Notifier['managerTakeover'] = (lead, owner, manager, takeover) =>
    this.record({
      kind: 'managerTakeover',
      to: manager?.id ?? 'ops',
      leadId: lead.leadId,
      detail: `owner ${owner?.id}: ${takeover.headline}${takeover.reminder ? ` (still, ${takeover.reminder.n})` : ''}`,
    });
  recycled: Notifier['recycled'] = (lead, owner, manager, recycled) =>
    this.record({
      kind: 'recycled',
      to: owner?.id ?? manager?.id ?? 'nobody',
      leadId: lead.leadId,
      detail: `${recycled.logged}/${recycled.of}${recycled.breach ? ' breach' : ''} cc ${manager?.id}${recycled.overTo ? ` and ${recycled.overTo.id}` : ''}`,
    });
  // the owner out of office: the manager covering for them reads the reminder instead (ADR 0043, amended)
  staleDeal: Notifier['staleDeal'] = (lead, rep, stage, _since, covering) =>
    this.record({
      kind: 'staleDeal',
      to: covering?.manager.id ?? rep.id,
      leadId: lead.leadId,
      detail: `${stage.id}${covering ? ` for ${rep.id}, away` : ''}`,
    });
  decideDue: Notifier['decideDue'] = (lead, rep, manager, due) =>
    this.record({
      kind: 'decideDue',
      to: due.away && manager ? manager.id : rep.id,
      leadId: lead.leadId,
      detail: `n=${due.n} since=${due.since.toISOString()}${
        manager ? (due.away ? ` for ${rep.id}, away` : ` cc ${manager.id}`) : ''
      }`,
    });
  opsAlert: Notifier['opsAlert'] = (subject) => this.record({ kind: 'opsAlert', to: 'ops', detail: subject });
}

/** One invocation of a task handler (what Lambda would bill). */
export interface TaskCall {
  readonly task: 'advance' | 'handoff' | 'park' | 'recordFailure';
  readonly leadId: string;
  /** virtual time, ISO */
  readonly at: string;
}

export interface WorkflowHarness {
  /** the SLA the functions run (deploy changes it) */
  readonly sla: Sla;
  readonly store: LeadStore;
  readonly clock: ManualScheduler;
  readonly engine: LocalStepFunctions;
  readonly workflow: LocalWorkflow;
  readonly notifier: RecordingNotifier;
  readonly apiDeps: ApiDeps;
  readonly taskDeps: TaskDeps;
  /** every notification so far, in order */
  readonly notifications: readonly Notification[];
  /** every task handler invocation so far, in order */
  readonly taskCalls: readonly TaskCall[];
  /** Posts the lead as the public form does (an `events` array, as in examples/leads, is left out); settles; returns its id. */
  submit(payload: Record<string, unknown>): Promise<string>;
  /** Moves virtual time to `at`, firing each due timer in order and settling after each. */
  advanceTo(at: string | Date): Promise<number>;
  /** Waits until no execution is running (all parked or finished). */
  settle(): Promise<void>;
  lead(leadId: string): Promise<LeadState>;
  attempts(leadId: string): Promise<Attempt[]>;
  executions(leadId: string): LocalExecution[];
  /** POST /leads/{id}/events through the real handler; settles. */
  postEvents(leadId: string, events: readonly Record<string, unknown>[]): Promise<HttpResult>;
  /** POST /leads/{id}/attempts through the real handler; settles. */
  logAttempt(leadId: string, outcome: string, extra?: Record<string, unknown>): Promise<HttpResult>;
  /** PUT /leads/{id}/deal through the real handler; settles. */
  moveDeal(leadId: string, stage: string): Promise<HttpResult>;
  /** DELETE /leads/{id} through the real handler; settles. */
  erase(leadId: string): Promise<HttpResult>;
  /**
   * Double opt-in: POST /consent/{token} through the real handler, with the link the confirmation email
   * carries (signed for the lead's consent request); settles.
   */
  /** presses the confirmation link of the lead's consent request (or of the request `requestId`: an older email's) */
  confirmConsent(leadId: string, requestId?: string): Promise<HttpResult>;
  /** notifications for one lead (ops alerts carry the lead id in their subject) */
  notificationsOf(leadId: string): Notification[];
  /**
   * `cdk deploy` of a new SLA, as on AWS: the functions run it from now on (parked executions stay parked,
   * their timers as they were), then the SlaMigration custom resource runs migrateLeads with the workflow;
   * settles. `migration: false`: the functions updated and the migration not (yet) run, or a lead it did not reach.
   */
  deploy(sla: Sla, options?: { readonly migration?: boolean }): Promise<MigrationReport | undefined>;
}

export interface WorkflowHarnessOptions {
  /** virtual time at the start */
  readonly start: Date;
  /** sla/default.yaml when omitted */
  readonly sla?: Sla;
  readonly leadIdSecret?: string;
  /** a MemoryLeadStore when omitted */
  readonly store?: LeadStore;
  /**
   * INJECTED FAULT: the Catch path's RecordFailure function fails (throttled, out of memory) while this
   * answers true; the execution then fails with no failure recorded by the Catch
   */
  readonly recordFailureFails?: () => boolean;
}

const LAMBDA_CONTEXT = {} as Context;

/** sla/default.yaml, parsed (without the vitest hooks of local-api.ts, so scripts can use this file too). */
export const defaultSla = (): Sla => loadDefaultSla();

/** An example payload from examples/leads (with its `events`, which submit() leaves out). */
export function exampleLead(name: 'hot' | 'cold' | 'customer'): Record<string, unknown> {
  return JSON.parse(readFileSync(new URL(`../../examples/leads/${name}.json`, import.meta.url), 'utf8'));
}

export function workflowHarness(options: WorkflowHarnessOptions): WorkflowHarness {
  let sla = options.sla ?? defaultSla();
  const store = options.store ?? new MemoryLeadStore();
  const clock = new ManualScheduler(options.start);
  const notifier = new RecordingNotifier(clock);
  // the SLA bundled into the functions: deploy() gives them another
  const taskDeps: { -readonly [K in keyof TaskDeps]: TaskDeps[K] } = { sla, store, clock, notifier };
  const taskCalls: TaskCall[] = [];
  const calls =
    <I extends { leadId: string }, O>(task: TaskCall['task'], fn: (input: I) => Promise<O>) =>
    (input: I) => {
      taskCalls.push({ task, leadId: input.leadId, at: clock.now().toISOString() });
      return fn(input);
    };
  const engine = new LocalStepFunctions(
    {
      advance: calls('advance', (input) => advanceStep(taskDeps, input)),
      handoff: calls('handoff', (input) => handoff(taskDeps, input)),
      park: calls('park', (input) => park(taskDeps, input)),
      recordFailure: calls('recordFailure', async (input) => {
        if (options.recordFailureFails?.())
          throw Object.assign(new Error('Rate exceeded'), { name: 'Lambda.TooManyRequestsException' });
        return recordFailure(taskDeps, input);
      }),
      // EventBridge's rule on executions that fail or are stopped, as on AWS (ADR 0038)
      executionEnded: (ended) => recordEndedExecution(taskDeps, ended),
    },
    clock,
  );
  const workflow = new LocalWorkflow(engine, store, clock);
  const apiDeps: { -readonly [K in keyof ApiDeps]: ApiDeps[K] } = {
    sla,
    store,
    workflow,
    clock,
    leadIdSecret: options.leadIdSecret ?? 'workflow-harness-secret-0123456789abcdef',
    allowedOrigins: [],
    actionSecret: 'workflow-harness-action-secret-0123456789',
    publicBaseUrl: 'https://leadpact.test',
  };
  const settle = () => engine.settle();

  const routes = {
    events: postEventsHandler(apiDeps),
    attempts: postAttemptHandler(apiDeps),
    deal: putDealHandler(apiDeps),
    erase: deleteLeadHandler(apiDeps),
    confirm: postConsentHandler(apiDeps),
  };
  async function call(
    handler: LambdaHttpHandler,
    method: string,
    path: string,
    leadId: string,
    body?: unknown,
  ): Promise<HttpResult> {
    const event = {
      version: '2.0',
      routeKey: `${method} ${path}`,
      rawPath: path.replace('{id}', leadId),
      rawQueryString: '',
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      pathParameters: { id: leadId },
      requestContext: {
        http: { method, path: path.replace('{id}', leadId) },
        authorizer: { principalId: 'test' },
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      isBase64Encoded: false,
    } as unknown as HttpEvent;
    const response = await handler(event, LAMBDA_CONTEXT);
    await settle();
    return response;
  }

  return {
    get sla() {
      return sla;
    },
    store,
    clock,
    engine,
    workflow,
    notifier,
    apiDeps,
    taskDeps,
    get notifications() {
      return notifier.notifications;
    },
    taskCalls,
    async submit(payload) {
      const { events: _events, ...form } = payload;
      const submission = submissionSchema.parse(form);
      const leadId = leadIdFor(submission.email, apiDeps.leadIdSecret);
      await submitLead(apiDeps, submission, leadId);
      await settle();
      return leadId;
    },
    advanceTo: (at) => clock.advanceTo(typeof at === 'string' ? new Date(at) : at, settle),
    settle,
    async lead(leadId) {
      const lead = await store.getLead(leadId);
      if (!lead) throw new Error(`no lead ${leadId}`);
      return lead;
    },
    attempts: (leadId) => store.listAttempts(leadId),
    executions: (leadId) => engine.executionsOf(leadId),
    postEvents: (leadId, events) => call(routes.events, 'POST', '/leads/{id}/events', leadId, { events }),
    logAttempt: (leadId, outcome, extra = {}) =>
      call(routes.attempts, 'POST', '/leads/{id}/attempts', leadId, { outcome, ...extra }),
    moveDeal: (leadId, stage) => call(routes.deal, 'PUT', '/leads/{id}/deal', leadId, { stage }),
    async confirmConsent(leadId, requestId) {
      const lead = await store.getLead(leadId);
      if (!lead?.consent) throw new Error(`lead ${leadId} has no consent request`);
      const request = requestId ?? lead.consent.requestId;
      const token = signActionToken(
        {
          leadId,
          cycle: lead.cycle,
          action: 'consent',
          value: request,
          nonce: `confirm-${request}`,
          exp: linkExpiry(clock.now(), CONSENT_LINK_TTL_SECONDS),
        },
        apiDeps.actionSecret!,
      );
      const path = `/consent/${token}`;
      const response = await routes.confirm(
        {
          version: '2.0',
          routeKey: 'POST /consent/{token}',
          rawPath: path,
          rawQueryString: '',
          headers: {},
          pathParameters: { token },
          requestContext: { http: { method: 'POST', path } },
          isBase64Encoded: false,
        } as unknown as HttpEvent,
        LAMBDA_CONTEXT,
      );
      await settle();
      return response;
    },
    erase: (leadId) => call(routes.erase, 'DELETE', '/leads/{id}', leadId),
    async deploy(next, deployOptions = {}) {
      sla = next;
      taskDeps.sla = next;
      apiDeps.sla = next;
      if (deployOptions.migration === false) return undefined;
      const report = await migrateLeads({ store, sla: next, clock, workflow });
      await settle();
      return report;
    },
    notificationsOf: (leadId) =>
      notifier.notifications.filter((n) => n.leadId === leadId || n.detail?.includes(leadId)),
  };
}
