/**
 * IAM enforced as AWS enforces it: each handler runs with the role its function has in the synthesized
 * template (the bundle's own source: the route groups of lambdas/aws/shared/api-groups.ts, the task,
 * reconciler entry points), its SDK clients carrying local/iam/enforce.ts. DynamoDB is dynalite; Step
 * Functions and SES are stand-ins that answer after the middleware has evaluated the call (there is no
 * SFN emulator, and the middleware runs in `initialize`, before anything would be sent, so what is
 * authorized is exactly what AWS would authorize). The function's environment is the template's,
 * resolved for the same fake account, region and names as its policy.
 */

import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { SESv2Client } from '@aws-sdk/client-sesv2';
import { SFNClient } from '@aws-sdk/client-sfn';
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { MetadataBearer, Pluggable } from '@smithy/types';
import type { CfnFunction } from 'aws-cdk-lib/aws-lambda';
import type { Context } from 'aws-lambda';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { DynamoDbEventLog } from '../../lambdas/adapters/dynamodb-event-log.ts';
import { DynamoDbFactLog } from '../../lambdas/adapters/dynamodb-fact-log.ts';
import { DynamoDbLeadQueries } from '../../lambdas/adapters/dynamodb-lead-queries.ts';
import {
  createLeadStoreDocumentClient,
  DynamoDbLeadStore,
} from '../../lambdas/adapters/dynamodb-lead-store.ts';
import { DynamoDbSignInLedger } from '../../lambdas/adapters/dynamodb-sign-in-ledger.ts';
import { EventBridgeBus } from '../../lambdas/adapters/eventbridge-bus.ts';
import { observeWrites } from '../../lambdas/adapters/observed-lead-store.ts';
import { SesMailer } from '../../lambdas/adapters/ses-mailer.ts';
import { StepFunctionsWorkflow } from '../../lambdas/adapters/step-functions-workflow.ts';
import { stateKey } from '../../lambdas/adapters/table-definition.ts';
import { failuresNow } from '../../lambdas/api/console/webhooks.ts';
import { type ApiDeps, extendDeps } from '../../lambdas/api/deps.ts';
import type { HttpEvent, HttpResult } from '../../lambdas/api/http.ts';
import { submissionSchema } from '../../lambdas/api/lead-submission.ts';
import { submitLead } from '../../lambdas/api/leads-public.ts';
import { ROUTES } from '../../lambdas/api/routes.ts';
import { dispatcher, groupHandlers } from '../../lambdas/aws/shared/api-dispatch.ts';
import { type ApiFunctionGroup, groupOf } from '../../lambdas/aws/shared/api-groups.ts';
import { ENV } from '../../lambdas/aws/shared/env.ts';
import { importBatch } from '../../lambdas/aws/shared/import-batch.ts';
import { fromAddress, opsOnlyNotifier } from '../../lambdas/aws/shared/mail.ts';
import { applyMailFeedback } from '../../lambdas/aws/shared/mail-feedback.ts';
import { parkOrResume } from '../../lambdas/aws/shared/park-callback.ts';
import { resumeExecution, routeExecution } from '../../lambdas/aws/shared/workflow.ts';
import { signActionToken } from '../../lambdas/domain/action-links.ts';
import type { LeadEvent } from '../../lambdas/domain/lead-events.ts';
import type { Sla } from '../../lambdas/domain/sla-schema.ts';
import { storyCarrier } from '../../lambdas/domain/story-carry.ts';
import { newDelivery } from '../../lambdas/domain/webhooks.ts';
import { updateLead, withTimeline } from '../../lambdas/ports/lead-store.ts';
import { advance } from '../../lambdas/tasks/advance.ts';
import { advanceStep } from '../../lambdas/tasks/advance-step.ts';
import { assignOwner } from '../../lambdas/tasks/assign-owner.ts';
import type { TaskDeps } from '../../lambdas/tasks/deps.ts';
import { EmailNotifier } from '../../lambdas/tasks/email-notifier.ts';
import { eraseUnconfirmed } from '../../lambdas/tasks/erase-unconfirmed.ts';
import { deliverAll, deliverDue, type EventsOutDeps, publishLead } from '../../lambdas/tasks/events-out.ts';
import { handoff } from '../../lambdas/tasks/handoff.ts';
import { park } from '../../lambdas/tasks/park.ts';
import type { AdvanceInput, StepPayload } from '../../lambdas/tasks/payload.ts';
import { reconcile } from '../../lambdas/tasks/reconcile.ts';
import { recordFailure } from '../../lambdas/tasks/record-failure.ts';
import { INDEX_PASS_WAIT_MS, reindexLeads } from '../../lambdas/tasks/reindex-leads.ts';
import { authorize, type IamCheck, iamEnforcement } from '../../local/iam/enforce.ts';
import type { PolicyStatement } from '../../local/iam/evaluate.ts';
import { type CfnTemplate, roleStatements, templateResolver } from '../../local/iam/template-policy.ts';
import { dyingStore } from '../support/dying-store.ts';
import { useDynalite } from '../support/dynalite.ts';
import { leadState } from '../support/lead-state.ts';
import { ManualClock, SQL_LEAD } from '../support/local-api.ts';
import { loadDefaultSla } from '../support/sla.ts';
import { changedSlaText, JONAS_TO_LENA } from '../support/sla-change.ts';
import { TEST_WEBHOOK_SECRET } from '../support/webhook-receiver.ts';
import { type Synthesized, synthesize } from './synth.ts';

const SECRET = 'iam-enforced-test-secret-0123456789';
const MINUTE = 60_000;
const sla = loadDefaultSla();

/** Step Functions as far as LeadPact uses it: executions by name, callbacks recorded. */
class StepFunctionsStandIn {
  readonly executions = new Map<string, { status: string; input: string }>();
  readonly calls: { command: string; input: Record<string, unknown> }[] = [];

  answer(command: string, input: Record<string, unknown>): object {
    this.calls.push({ command, input });
    const fail = (name: string) => Object.assign(new Error(name), { name, $fault: 'client', $metadata: {} });
    const nameOf = (arn: unknown) => String(arn).split(':').at(-1)!;
    switch (command) {
      case 'StartExecutionCommand': {
        const name = String(input.name);
        if (this.executions.has(name)) throw fail('ExecutionAlreadyExists');
        this.executions.set(name, { status: 'RUNNING', input: String(input.input) });
        return { executionArn: `${input.stateMachineArn}:${name}`, startDate: new Date() };
      }
      case 'DescribeExecutionCommand': {
        const execution = this.executions.get(nameOf(input.executionArn));
        if (!execution) throw fail('ExecutionDoesNotExist');
        return { status: execution.status };
      }
      case 'StopExecutionCommand': {
        const execution = this.executions.get(nameOf(input.executionArn));
        if (!execution) throw fail('ExecutionDoesNotExist');
        execution.status = 'ABORTED';
        return { stopDate: new Date() };
      }
      case 'SendTaskSuccessCommand':
      case 'SendTaskFailureCommand':
        return {};
      default:
        throw new Error(`stand-in: ${command} not modelled`);
    }
  }

  started(): string[] {
    return this.calls.filter((c) => c.command === 'StartExecutionCommand').map((c) => String(c.input.name));
  }
}

/** Answers every command from `respond` after the IAM middleware ran (priority low in initialize). */
function answeredBy(
  respond: (command: string, input: Record<string, unknown>) => object,
): Pluggable<object, MetadataBearer> {
  return {
    applyToStack(stack) {
      stack.add(
        (_next, context) => async (args) => ({
          output: {
            $metadata: {},
            ...respond(String(context.commandName), args.input as Record<string, unknown>),
          },
          response: {},
        }),
        { step: 'initialize', priority: 'low', name: 'standIn' },
      );
    },
  };
}

const FAKE_CREDENTIALS = { accessKeyId: 'AKIDLOCAL', secretAccessKey: 'local' };

describe('IAM enforced: every handler runs with its function role from the synthesized template', () => {
  const dynamo = useDynalite();
  let synth: Synthesized;
  let template: CfnTemplate;
  const clients: { destroy(): void }[] = [];
  let sfn: StepFunctionsStandIn;
  let checks: IamCheck[];
  let emails: Record<string, unknown>[];
  const clock = new ManualClock();
  let nonce = 0;

  beforeAll(() => {
    synth = synthesize({ bundle: false });
    template = synth.template.toJSON() as CfnTemplate;
  }, 120_000);

  afterEach(() => {
    for (const client of clients.splice(0)) client.destroy();
  });

  const tableLogicalId = () =>
    Object.entries(template.Resources).find(([, r]) => r.Type === 'AWS::DynamoDB::Table')![0];

  function fresh(): void {
    sfn = new StepFunctionsStandIn();
    checks = [];
    emails = [];
  }

  /** The role, environment and SDK clients of one function of the stack, as on AWS. */
  function asFunction(name: string, edit: (statements: PolicyStatement[]) => PolicyStatement[] = (s) => s) {
    const resolve = templateResolver(template, { names: { [tableLogicalId()]: dynamo.tableName } });
    const fn = synth.stack.functions()[name];
    if (!fn) throw new Error(`no function ${name}`);
    const roleId = (synth.stack.resolve(fn.role.roleName) as { Ref: string }).Ref;
    const fnId = synth.stack.getLogicalId(fn.function.node.defaultChild as CfnFunction);
    const env = resolve(
      (template.Resources[fnId]!.Properties?.Environment as { Variables?: unknown } | undefined)?.Variables ??
        {},
    ) as Record<string, string>;
    const stateMachine = Object.entries(template.Resources).find(
      ([, r]) => r.Type === 'AWS::StepFunctions::StateMachine',
    )![0];
    const role = {
      name,
      statements: edit(roleStatements(template, roleId, resolve)),
      taskTokenStateMachine: resolve({ Ref: stateMachine }) as string,
    };
    const enforce = iamEnforcement(role, checks);
    const ddb = new DynamoDBClient({
      endpoint: dynamo.server.endpoint,
      region: 'us-east-1',
      credentials: FAKE_CREDENTIALS,
    });
    ddb.middlewareStack.use(enforce);
    const sfnClient = new SFNClient({ region: 'us-east-1', credentials: FAKE_CREDENTIALS });
    sfnClient.middlewareStack.use(enforce);
    sfnClient.middlewareStack.use(answeredBy((command, input) => sfn.answer(command, input)));
    const ses = new SESv2Client({ region: 'us-east-1', credentials: FAKE_CREDENTIALS });
    ses.middlewareStack.use(enforce);
    ses.middlewareStack.use(
      answeredBy((_command, input) => {
        emails.push(input);
        return { MessageId: `m-${emails.length}` };
      }),
    );
    clients.push(ddb, sfnClient, ses);
    const tableName = env[ENV.tableName];
    const doc = createLeadStoreDocumentClient(ddb);
    const store = new DynamoDbLeadStore(doc, {
      tableName: tableName ?? 'not-granted',
    });
    const machineArn = env[ENV.stateMachineArn];
    const workflow = new StepFunctionsWorkflow(
      sfnClient,
      machineArn ?? 'arn:aws:states:::stateMachine:not-granted',
      store,
      clock,
    );
    /** a key the function reads at init: only with its environment variable and GetSecretValue on it */
    const secret = (variable: string): string | undefined => {
      const arn = env[variable];
      if (!arn) return undefined;
      authorize('secretsmanager', 'GetSecretValueCommand', { SecretId: arn }, role, checks);
      return SECRET;
    };
    const sender = env[ENV.senderEmail];
    const mailer = sender
      ? new SesMailer(ses, {
          from: fromAddress(sla.nurture.senderName, sender),
          ...(env[ENV.configurationSet] ? { configurationSetName: env[ENV.configurationSet] } : {}),
        })
      : undefined;
    return { env, store, workflow, secret, mailer, role, doc, tableName, sfn: sfnClient };
  }

  /** The events publisher's deps as lambdas/aws/events-out.ts builds them, on one function's clients. */
  function publisherDeps(
    f: ReturnType<typeof asFunction>,
    extra: Partial<EventsOutDeps> = {},
  ): EventsOutDeps {
    return {
      sla,
      store: f.store,
      log: new DynamoDbEventLog(f.doc, f.env[ENV.tableName]!),
      subscriptions: [],
      transport: { post: async () => ({ statusCode: 204 }) },
      clock,
      ...extra,
    };
  }

  /** ApiDeps as lambdas/aws/shared/api-deps.ts builds them, for one function */
  function apiDepsOf(name: string, edit?: (statements: PolicyStatement[]) => PolicyStatement[]): ApiDeps {
    const f = asFunction(name, edit);
    const actionSecret = f.secret(ENV.actionSecretArn);
    const leadIdKey = f.secret(ENV.leadIdSecretArn);
    return {
      sla,
      store: f.store,
      workflow: f.workflow,
      clock,
      get leadIdSecret(): string {
        if (!leadIdKey) throw new Error('the lead-id key is not available to this function (not granted)');
        return leadIdKey;
      },
      allowedOrigins: (f.env[ENV.allowedOrigins] ?? '').split(','),
      ...(actionSecret ? { actionSecret } : {}),
      // lambdas/aws/api-webhooks.ts adds the delivery log
      ...(name === 'Api-webhooks'
        ? {
            events: {
              log: new DynamoDbEventLog(f.doc, f.env[ENV.tableName] ?? 'not-granted'),
            },
          }
        : {}),
      // as consoleDeps (api-deps.ts) adds them: queries, SES for sign-in links, the ledger of used links
      ...(f.tableName
        ? {
            queries: new DynamoDbLeadQueries(f.doc, f.tableName),
            signIns: new DynamoDbSignInLedger(f.doc, f.tableName),
          }
        : {}),
      ...(f.mailer ? { mailer: f.mailer } : {}),
      ...(f.env[ENV.publicBaseUrl] ? { publicBaseUrl: f.env[ENV.publicBaseUrl] } : {}),
    };
  }

  async function callApi(
    method: string,
    path: string,
    routePath: string,
    body?: string,
    contentType = 'application/json',
    edit?: (statements: PolicyStatement[]) => PolicyStatement[],
    headers: Record<string, string> = {},
  ) {
    const key = `${method} ${routePath}`;
    const group = groupOf(key) as ApiFunctionGroup;
    const deps = apiDepsOf(`Api-${group}`, edit);
    // the group's own routes, as its entry point (lambdas/aws/api-<group>.ts) has them
    const routes = ROUTES.filter((route) => groupOf(`${route.method} ${route.path}`) === group);
    const handler = dispatcher(groupHandlers(group, routes, deps));
    const params = routePath.match(/\{(\w+)\}/g)?.map((p) => p.slice(1, -1)) ?? [];
    const values = new RegExp(`^${routePath.replace(/\{\w+\}/g, '([^/]+)')}$`).exec(path)!.slice(1);
    const event = {
      version: '2.0',
      routeKey: key,
      rawPath: path,
      rawQueryString: '',
      headers: { ...(body === undefined ? {} : { 'content-type': contentType }), ...headers },
      ...(params.length ? { pathParameters: Object.fromEntries(params.map((p, i) => [p, values[i]!])) } : {}),
      requestContext: {
        accountId: '000000000000',
        apiId: 'test',
        domainName: 'api.example.com',
        domainPrefix: 'api',
        http: { method, path, protocol: 'HTTP/1.1', sourceIp: '192.0.2.1', userAgent: 'test' },
        requestId: `r${++nonce}`,
        routeKey: key,
        stage: '$default',
        time: clock.now().toUTCString(),
        timeEpoch: clock.now().getTime(),
        authorizer: { principalId: 'crm' },
      },
      ...(body === undefined ? {} : { body }),
      isBase64Encoded: false,
    } as unknown as HttpEvent;
    const result = (await handler(event, {} as Context)) as HttpResult;
    return {
      status: result.statusCode,
      body: typeof result.body === 'string' ? result.body : '',
      headers: (result.headers ?? {}) as Record<string, string>,
    };
  }

  function taskDeps(name: string, edit?: (statements: PolicyStatement[]) => PolicyStatement[]): TaskDeps {
    const f = asFunction(name, edit);
    // RecordFailure alerts ops only (task-deps.ts failureDeps): no link key, no lead email
    if (name === 'RecordFailure')
      return { sla, store: f.store, clock, notifier: opsOnlyNotifier(f.mailer, undefined) };
    const actionSecret = f.secret(ENV.actionSecretArn);
    return {
      sla,
      store: f.store,
      clock,
      notifier: new EmailNotifier({
        sla,
        mailer: f.mailer!,
        clock,
        publicBaseUrl: 'https://api.example.com',
        actionSecret: actionSecret!,
      }),
    };
  }

  /** the role without one statement (by Sid): the grant removed */
  const without = (sid: string) => (statements: PolicyStatement[]) => statements.filter((s) => s.Sid !== sid);

  const denials = () =>
    checks.filter((check) => !check.allowed).map((c) => `${c.role} ${c.action} ${c.resource}`);

  async function postLead(lead: Record<string, unknown>): Promise<string> {
    const response = await callApi('POST', '/leads', '/leads', JSON.stringify(lead));
    expect(response.status, response.body).toBe(202);
    return (JSON.parse(response.body) as { leadId: string }).leadId;
  }

  /** the lead's execution ended with nothing due (Advance's 'end'): the next news starts generation 1 */
  async function makeDormant(leadId: string): Promise<void> {
    const admin = asFunction('Api-lead-form').store;
    await updateLead(admin, leadId, (current) => {
      const { waitToken: _t, dueAt: _d, ...rest } = current;
      return { ...rest, dormant: { at: clock.now().toISOString(), generation: 0 } };
    });
  }

  const unsubscribeToken = (leadId: string) =>
    signActionToken(
      {
        leadId,
        cycle: 1,
        action: 'unsubscribe',
        value: '',
        nonce: `n${++nonce}`,
        exp: Math.floor(clock.now().getTime() / 1000) + 3600,
      },
      SECRET,
    );

  it('a form post (lead-form) stores the lead and starts its execution', async () => {
    fresh();
    const leadId = await postLead({ email: `form.${nonce}@plant.example`, ...SQL_LEAD });
    expect(sfn.started()).toEqual([`${leadId}-c1-g0`]);
    expect(denials()).toEqual([]);
    expect(checks.map((c) => c.action)).toEqual(
      expect.arrayContaining(['dynamodb:PutItem', 'states:StartExecution', 'secretsmanager:GetSecretValue']),
    );
  });

  it('an event for a DORMANT lead (lead-api) starts its next generation: StartExecution is granted', async () => {
    fresh();
    const leadId = await postLead({
      email: `dormant.${nonce}@plant.example`,
      industry: 'retail',
      employees: 500,
      country: 'DE',
    });
    await makeDormant(leadId);
    checks.length = 0;
    const event = {
      eventId: 'pv-1',
      type: 'page_view',
      occurredAt: clock.now().toISOString(),
      properties: { path: '/pricing' },
    };
    const response = await callApi(
      'POST',
      `/leads/${leadId}/events`,
      '/leads/{id}/events',
      JSON.stringify(event),
    );
    expect(response.status, response.body).toBe(200);
    expect(denials()).toEqual([]);
    expect(sfn.started()).toContain(`${leadId}-c1-g1`);
  });

  it('an unsubscribe by email link on a DORMANT lead (email-links) starts its next generation', async () => {
    fresh();
    const leadId = await postLead({
      email: `unsub.${nonce}@plant.example`,
      industry: 'retail',
      employees: 500,
      country: 'DE',
      marketingConsent: true,
    });
    await makeDormant(leadId);
    checks.length = 0;
    const response = await callApi(
      'POST',
      `/unsubscribe/${unsubscribeToken(leadId)}`,
      '/unsubscribe/{token}',
      '',
      'application/x-www-form-urlencoded',
    );
    expect(response.status, response.body).toBe(200);
    expect(denials()).toEqual([]);
    expect(sfn.started()).toContain(`${leadId}-c1-g1`);
  });

  it('a hot lead: Advance (its wake and its handoff, ADR 0049), Park, an attempt (lead-api signals) and erase (lead-erase stops)', async () => {
    fresh();
    const leadId = await postLead({ email: `hot.${nonce}@plant.example`, ...SQL_LEAD });
    const start = JSON.parse(sfn.executions.get(`${leadId}-c1-g0`)!.input).Payload as AdvanceInput;
    const step: StepPayload = await advanceStep(taskDeps('Advance'), start);
    expect(step.next).toBe('park');
    expect(checks.filter((check) => check.role === 'Advance').map((check) => check.action)).toEqual(
      expect.arrayContaining(['dynamodb:UpdateItem', 'ses:SendEmail']),
    );
    const parkDeps = taskDeps('Park');
    expect(
      await park(parkDeps, {
        leadId,
        cycle: step.cycle,
        generation: step.generation,
        phase: step.phase!,
        version: step.version!,
        waitSeconds: step.waitSeconds!,
        taskToken: 'token-1',
      }),
    ).toBe('parked');
    clock.advance(MINUTE);
    const attempt = await callApi(
      'POST',
      `/leads/${leadId}/attempts`,
      '/leads/{id}/attempts',
      JSON.stringify({ outcome: 'connected' }),
    );
    expect(attempt.status, attempt.body).toBeLessThan(300);
    expect(sfn.calls.map((c) => c.command)).toContain('SendTaskSuccessCommand');
    const erase = await callApi('DELETE', `/leads/${leadId}`, '/leads/{id}');
    expect(erase.status, erase.body).toBeLessThan(300);
    expect(sfn.executions.get(`${leadId}-c1-g0`)?.status).toBe('ABORTED');
    expect(emails.length).toBeGreaterThan(0);
    expect(denials()).toEqual([]);
    expect([...new Set(checks.map((c) => c.action))]).toEqual(
      expect.arrayContaining([
        'dynamodb:UpdateItem',
        'dynamodb:BatchWriteItem',
        'states:StopExecution',
        'states:SendTaskSuccess',
        'ses:SendEmail',
      ]),
    );
  });

  it('a pick of a capped rep (ADR 0040): Handoff and, for a reassignment, Advance reserve a place with their roles', async () => {
    fresh();
    const leadId = await postLead({ email: `capped.${nonce}@plant.example`, ...SQL_LEAD });
    const start = JSON.parse(sfn.executions.get(`${leadId}-c1-g0`)!.input).Payload as AdvanceInput;
    const step = await advance(taskDeps('Advance'), start);
    expect(step.next).toBe('handoff');
    const capped = sla.routing.reps.filter((rep) => rep.capacity !== undefined).map((rep) => rep.id);
    const uncapped = sla.routing.reps.filter((rep) => rep.capacity === undefined).map((rep) => rep.id);
    // Act: the handoff (the first turn of a fresh table lands on a capped rep of the default SLA)
    await handoff(taskDeps('Handoff'), step);
    const admin = asFunction('Api-lead-form').store;
    const lead = (await admin.loadLead(leadId))!.state;
    // then a reassignment as the ladder's Advance does it, away from the owner, onto the other capped rep
    const reassigned = await assignOwner(taskDeps('Advance'), lead, {
      assignTo: 'queue',
      exclude: [lead.ownerId!, ...uncapped],
    });
    // Assert: both picks landed on capped reps and reserved a place, nothing denied
    expect(capped).toContain(lead.ownerId);
    expect(capped).toContain(reassigned.rep?.id);
    expect(reassigned.rep?.id).not.toBe(lead.ownerId);
    for (const repId of [lead.ownerId!, reassigned.rep!.id])
      expect((await admin.listCapacityReservations(repId)).map((r) => r.leadId)).toEqual([leadId]);
    expect(denials()).toEqual([]);
    const reserving = checks.filter((check) => /Handoff|Advance/.test(check.role));
    for (const role of ['Handoff', 'Advance'])
      expect(reserving.filter((check) => check.role === role).map((check) => check.action)).toEqual(
        expect.arrayContaining(['dynamodb:Query', 'dynamodb:PutItem']),
      );
  });

  it.each([
    ['with its grants', undefined],
    ['with ResumeParkedTask removed', 'ResumeParkedTask'],
  ])('Park routes a step that does not park with SendTaskFailure (ADR 0036), %s', async (_name, removed) => {
    fresh();
    const f = asFunction('Park', removed ? without(removed) : undefined);
    const callbacks = {
      resume: (token: string) => resumeExecution(f.sfn, token),
      route: (token: string, error: string, cause: string) => routeExecution(f.sfn, token, error, cause),
    };
    const routed = parkOrResume({ store: f.store, clock }, callbacks, {
      leadId: 'RoutedLead000000000000',
      cycle: 1,
      next: 'end',
      phase: null,
      version: 0,
      waitSeconds: 300,
      taskToken: 'token-end',
    });
    if (!removed) {
      await expect(routed).resolves.toEqual({ outcome: 'routed' });
      expect(denials()).toEqual([]);
      expect(sfn.calls).toEqual([
        { command: 'SendTaskFailureCommand', input: expect.objectContaining({ error: 'LeadPact.End' }) },
      ]);
      return;
    }
    await expect(routed).rejects.toThrow();
    expect(denials()).toEqual([expect.stringMatching(/^Park states:SendTaskFailure arn:aws:states:/)]);
  });

  it('the console (its own function): a sign-in link by email, the sign-in, a lead page, an attempt', async () => {
    fresh();
    const leadId = await postLead({ email: `console.${nonce}@plant.example`, ...SQL_LEAD });
    const start = JSON.parse(sfn.executions.get(`${leadId}-c1-g0`)!.input).Payload as AdvanceInput;
    let step: StepPayload = await advance(taskDeps('Advance'), start);
    for (let i = 0; step.next === 'handoff' && i < 3; i++) {
      step = await handoff(taskDeps('Handoff'), step);
      if (step.next !== 'park') step = await advance(taskDeps('Advance'), step);
    }
    const owner = (await asFunction('Api-lead-form').store.getLead(leadId))!.ownerId!;
    const rep = sla.routing.reps.find((candidate) => candidate.id === owner)!;
    // the later indexes recorded complete (by the deploy's migration, outside this role): the overview's "due today"
    // reads the next-step index then, not the owner index (ADR 0053, 0055)
    await new DynamoDbLeadStore(dynamo.doc, { tableName: dynamo.tableName }).markIndexesComplete();
    const site = { origin: 'https://api.example.com', host: 'api.example.com' };
    const form = 'application/x-www-form-urlencoded';
    emails = [];
    const asked = await callApi(
      'POST',
      '/console/sign-in',
      '/console/sign-in',
      `email=${encodeURIComponent(rep.email)}`,
      form,
      undefined,
      site,
    );
    expect(asked.status, asked.body).toBe(200);
    const text = String(
      (emails[0] as { Content?: { Simple?: { Body?: { Text?: { Data?: string } } } } })?.Content?.Simple?.Body
        ?.Text?.Data,
    );
    const link = /^Sign in: (\S+)$/m.exec(text)?.[1];
    expect(link, text).toMatch(/^https:\/\/.+\/console\/sign-in\//);
    const token = link!.split('/').at(-1)!;
    const signedIn = await callApi(
      'POST',
      `/console/sign-in/${token}`,
      '/console/sign-in/{token}',
      '',
      form,
      undefined,
      site,
    );
    expect(signedIn.status, signedIn.body).toBe(303);
    const cookie = signedIn.headers['set-cookie']!.split(';')[0]!;
    const page = await callApi(
      'GET',
      `/console/leads/${leadId}`,
      '/console/leads/{id}',
      undefined,
      form,
      undefined,
      { ...site, cookie },
    );
    expect(page.status, page.body).toBe(200);
    const csrf = /name="csrf" value="([^"]+)"/.exec(page.body)![1]!;
    const attempt = await callApi(
      'POST',
      `/console/leads/${leadId}/attempts`,
      '/console/leads/{id}/attempts',
      `outcome=connected&attemptId=console-1&csrf=${encodeURIComponent(csrf)}`,
      form,
      undefined,
      { ...site, cookie },
    );
    expect(attempt.status, attempt.body).toBe(303);
    const list = await callApi('GET', '/console', '/console', undefined, form, undefined, {
      ...site,
      cookie,
    });
    expect(list.status, list.body).toBe(200);
    expect(denials()).toEqual([]);
    // the overview's overdue first touches read the first-touch index (ADR 0044), granted to the console
    expect(
      checks.some(
        (c) =>
          c.role === 'Api-console' && c.action === 'dynamodb:Query' && c.resource.endsWith('/index/GSI8'),
      ),
    ).toBe(true);
    // and its "due today, per rep" the next-step index (ADR 0053)
    expect(
      checks.some(
        (c) =>
          c.role === 'Api-console' && c.action === 'dynamodb:Query' && c.resource.endsWith('/index/GSI10'),
      ),
    ).toBe(true);
    expect(checks.filter((c) => c.role === 'Api-console').map((c) => c.action)).toEqual(
      expect.arrayContaining([
        'ses:SendEmail',
        'dynamodb:PutItem',
        'dynamodb:GetItem',
        'dynamodb:Query',
        'secretsmanager:GetSecretValue',
      ]),
    );
  });

  it.each([
    ['as granted', (s: PolicyStatement[]) => s, 200, 1, []],
    [
      'with UpdateItem removed (CountSignInEmails, TakeWaitToken)',
      (s: PolicyStatement[]) => without('TakeWaitToken')(without('CountSignInEmails')(s)),
      500,
      0,
      ['Api-console dynamodb:UpdateItem'],
    ],
  ])(
    'the console, %s: a sign-in link by email is counted against the hour and the day (UpdateItem)',
    async (_name, edit, status, sent, denied) => {
      // Arrange: a minute of its own (one link per person a minute)
      fresh();
      clock.advance(2 * MINUTE);
      const rep = sla.routing.reps[1]!;
      const quiet = vi.spyOn(console, 'error').mockImplementation(() => undefined);

      // Act
      const asked = await callApi(
        'POST',
        '/console/sign-in',
        '/console/sign-in',
        `email=${encodeURIComponent(rep.email)}`,
        'application/x-www-form-urlencoded',
        edit,
        { origin: 'https://api.example.com', host: 'api.example.com' },
      );
      quiet.mockRestore();

      // Assert
      expect(asked.status, asked.body).toBe(status);
      expect(emails).toHaveLength(sent);
      expect(denials().map((d) => d.split(' ').slice(0, 2).join(' '))).toEqual(denied);
      expect(
        checks.filter((c) => c.role === 'Api-console' && c.action === 'dynamodb:UpdateItem').length,
      ).toBeGreaterThan(0);
    },
  );

  it('the reconciler (Query GSI3, DescribeExecution, StartExecution) restarts a due lead with no execution', async () => {
    fresh();
    const leadId = await postLead({ email: `due.${nonce}@plant.example`, ...SQL_LEAD });
    sfn.executions.clear(); // the execution was lost (purged, never started)
    checks.length = 0;
    clock.advance(60 * MINUTE);
    const f = asFunction('Reconciler');
    const report = await reconcile({ store: f.store, executions: f.workflow.executions, clock });
    expect(denials()).toEqual([]);
    expect(report).toMatchObject({ restarted: expect.any(Number) });
    expect(sfn.started().at(-1)).toMatch(new RegExp(`^${leadId}-c1-g\\d+$`));
    expect(checks.map((c) => `${c.action} ${c.resource.split(':').at(-1)}`)).toEqual(
      expect.arrayContaining([`dynamodb:Query table/${dynamo.tableName}/index/GSI3`]),
    );
  });

  it('the reconciler with more leads due than a run checks moves its cursor (GetItem, PutItem of its own item)', async () => {
    // Arrange: two leads due, their executions lost
    fresh();
    const first = await postLead({ email: `cursor1.${nonce}@plant.example`, ...SQL_LEAD });
    const second = await postLead({ email: `cursor2.${nonce}@plant.example`, ...SQL_LEAD });
    sfn.executions.clear();
    checks.length = 0;
    clock.advance(60 * MINUTE);
    const f = asFunction('Reconciler');
    // Act: one lead a run
    const runs = [
      await reconcile({ store: f.store, executions: f.workflow.executions, clock }, { limit: 1 }),
      await reconcile({ store: f.store, executions: f.workflow.executions, clock }, { limit: 1 }),
    ];
    // Assert: the cursor read and moved twice, nothing denied
    expect(runs.flatMap((run) => run.restartedLeads).sort()).toEqual([first, second].sort());
    expect(checks.filter((c) => c.action === 'dynamodb:PutItem').map((c) => c.allowed)).toEqual([true, true]);
    expect(denials()).toEqual([]);
  });

  it.each([
    ['as granted', undefined],
    ['with IndexPass removed', 'IndexPass'],
  ])('the reconciler index pass (Query GSI2, GetItem, UpdateItem, PutItem), %s', async (_name, removed) => {
    // Arrange: a lead whose item lacks its surname entry, as one written before GSI9 and at rest since
    fresh();
    const leadId = await postLead({
      email: `pass.${nonce}@plant.example`,
      firstName: 'Petra',
      lastName: 'Schmidt',
      ...SQL_LEAD,
    });
    await asFunction('Api-lead-form').doc.send(
      new UpdateCommand({
        TableName: dynamo.tableName,
        Key: stateKey(leadId),
        UpdateExpression: 'REMOVE gsi9pk, gsi9sk',
      }),
    );
    checks.length = 0;
    const f = asFunction('Reconciler', removed ? without(removed) : undefined);
    const queries = new DynamoDbLeadQueries(f.doc, f.tableName!);
    // Act
    // the new version noted, then walked once the code before cannot be writing (INDEX_PASS_WAIT_MS)
    const noted = await reindexLeads({ store: f.store, queries, clock }).catch((error: unknown) => error);
    clock.advance(INDEX_PASS_WAIT_MS);
    const pass = await reindexLeads({ store: f.store, queries, clock }).catch((error: unknown) => error);
    // Assert
    const item = await asFunction('Api-lead-form').store.getLead(leadId);
    expect(item).toBeDefined();
    if (removed) {
      // the pass cannot even note its version: it never walks, and the reconciler's own work is untouched
      expect([noted, pass]).toEqual([expect.any(Error), expect.any(Error)]);
      expect(denials()).toEqual([
        expect.stringMatching(/^Reconciler dynamodb:PutItem .*table\/[^/]+$/),
        expect.stringMatching(/^Reconciler dynamodb:PutItem .*table\/[^/]+$/),
      ]);
    } else {
      expect(denials()).toEqual([]);
      expect(pass).toMatchObject({ indexed: 1, failed: 0, done: true });
      expect(checks.map((c) => `${c.action} ${c.resource.split(':').at(-1)}`)).toEqual(
        expect.arrayContaining([
          `dynamodb:Query table/${dynamo.tableName}/index/GSI2`,
          `dynamodb:UpdateItem table/${dynamo.tableName}`,
          `dynamodb:PutItem table/${dynamo.tableName}`,
        ]),
      );
    }
  });

  it.each([
    ['as granted', undefined, []],
    ['with EraseLeadHistory removed', 'EraseLeadHistory', ['dynamodb:DeleteItem']],
    ['with StopLeadWorkflow removed', 'StopLeadWorkflow', ['states:StopExecution']],
  ])(
    'the reconciler retention pass erases a sign-up never confirmed (Query GSI2, GetItem, PutItem, StopExecution, DeleteItem), %s',
    async (_name, removed, denied) => {
      // Arrange: a guide's sign-up posted 200 days ago, asked to confirm, never confirmed; its execution running
      fresh();
      const retentionSla: Sla = { ...sla, consent: { eraseUnconfirmedAfterDays: 90 } };
      const at = new Date(clock.now().getTime() - 200 * 1_440 * MINUTE).toISOString();
      const leadId = `RetentionLead${String(++nonce).padStart(9, '0')}`;
      const execution = `${leadId}-c1-g0`;
      const consent = {
        mode: 'double' as const,
        givenAt: at,
        askedAt: at,
        requestId: `r${nonce}`,
        text: 'x',
      };
      const signUp = leadState(
        {
          leadId,
          consent: { ...consent, formId: 'efficiency-guide' },
          sent: [`consent:r${nonce}`],
          execution,
          generation: 0,
          timeline: [{ at, kind: 'created', to: 'lead', by: 'form', reasons: [] }],
        },
        at,
      );
      const writer = asFunction('Api-lead-form').store;
      await writer.createLead(signUp);
      await writer.appendEvent(leadId, {
        eventId: `e${nonce}`,
        type: 'content_download',
        occurredAt: at,
        receivedAt: at,
        properties: { formId: 'efficiency-guide' },
      });
      sfn.executions.set(execution, { status: 'RUNNING', input: '{}' });
      checks.length = 0;
      const f = asFunction('Reconciler', removed ? without(removed) : undefined);
      // as lambdas/aws/reconcile-leads.ts builds it: a store with the SLA (the erase's report facts)
      const store = observeWrites(
        new DynamoDbLeadStore(f.doc, { tableName: f.tableName!, carry: storyCarrier(retentionSla) }),
        new DynamoDbFactLog(f.doc, f.tableName!, retentionSla),
      );
      const queries = new DynamoDbLeadQueries(f.doc, f.tableName!);
      const quiet = vi.spyOn(console, 'error').mockImplementation(() => undefined);
      // Act
      const report = await eraseUnconfirmed({
        sla: retentionSla,
        store,
        queries,
        workflow: f.workflow,
        clock,
      });
      quiet.mockRestore();
      // Assert: erased in every case (the write is granted); the stop and the sweep only as granted
      expect((await writer.getLead(leadId))?.erasedAt).toBeDefined();
      expect(denials().map((d) => d.split(' ').slice(1, 2).join())).toEqual(denied);
      expect(report).toMatchObject(removed ? { failed: 1 } : { checked: 1, erased: 1, failed: 0 });
      expect(sfn.executions.get(execution)?.status).toBe(
        removed === 'StopLeadWorkflow' ? 'RUNNING' : 'ABORTED',
      );
      expect(await writer.listEvents(leadId)).toHaveLength(removed ? 1 : 0);
      if (!removed)
        expect(checks.map((c) => `${c.action} ${c.resource.split(':').at(-1)}`)).toEqual(
          expect.arrayContaining([
            `dynamodb:Query table/${dynamo.tableName}/index/GSI2`,
            `dynamodb:PutItem table/${dynamo.tableName}`,
            `dynamodb:DeleteItem table/${dynamo.tableName}`,
          ]),
        );
    },
  );

  it.each([
    ['as granted', undefined],
    ['with SignalLeadWorkflow removed', 'SignalLeadWorkflow'],
  ])(
    'the reconciler sends again a signal that was not delivered (GetItem, SendTaskSuccess), %s',
    async (_name, removed) => {
      // Arrange: a parked lead whose change took its token (`signalled`) and whose SendTaskSuccess failed: its
      // execution still runs, the lead is due now
      fresh();
      const leadId = await postLead({ email: `signalled.${nonce}@plant.example`, ...SQL_LEAD });
      expect(sfn.started()).toEqual([`${leadId}-c1-g0`]);
      await updateLead(asFunction('Api-lead-form').store, leadId, (current) => ({
        ...current,
        signalled: 'task-token-1',
        dueAt: clock.now().toISOString(),
      }));
      clock.advance(10 * MINUTE);
      checks.length = 0;
      const f = asFunction('Reconciler', removed ? without(removed) : undefined);
      // Act
      const report = await reconcile({ store: f.store, executions: f.workflow.executions, clock });
      // Assert
      const sent = sfn.calls.filter((call) => call.command === 'SendTaskSuccessCommand');
      if (removed) {
        expect(denials()).toEqual([
          expect.stringMatching(/^Reconciler states:SendTaskSuccess arn:aws:states:/),
        ]);
        expect(report).toMatchObject({ resumed: 0, failed: 1 });
        expect(sent).toEqual([]);
      } else {
        expect(denials()).toEqual([]);
        expect(report).toMatchObject({ resumed: 1, restarted: 0, failed: 0 });
        expect(sent.map((call) => call.input.taskToken)).toEqual(['task-token-1']);
        expect(checks.map((c) => `${c.action} ${c.resource.split(':').at(-1)}`)).toEqual(
          expect.arrayContaining([`dynamodb:GetItem table/${dynamo.tableName}`]),
        );
      }
      expect(sfn.started()).toEqual([`${leadId}-c1-g0`]);
    },
  );

  it("a known lead's news that dies (ADR 0057 amended): the form post makes it due (lead-form), Advance folds the event, then moves it apart and looks for an erase", async () => {
    // Arrange: the hot lead, parked until its first touch is due
    fresh();
    const email = `news.${nonce}@plant.example`;
    const leadId = await postLead({ email, ...SQL_LEAD });
    const start = JSON.parse(sfn.executions.get(`${leadId}-c1-g0`)!.input).Payload as AdvanceInput;
    const wakeAndPark = async (token: string) => {
      const step = await advanceStep(taskDeps('Advance'), start);
      expect(step.next).toBe('park');
      await park(taskDeps('Park'), {
        leadId,
        cycle: step.cycle,
        generation: step.generation,
        phase: step.phase!,
        version: step.version!,
        waitSeconds: step.waitSeconds!,
        taskToken: token,
        ...(step.sent ? { sent: step.sent } : {}),
        ...(step.planned ? { planned: step.planned } : {}),
      });
    };
    await wakeAndPark('token-1');
    checks.length = 0;

    // Act: the person posts again and the post's process dies after its update (INJECTED: a SIGKILL cannot be
    // timed between two requests); its next wakes, 10 minutes apart (the event stale by then)
    const form = apiDepsOf('Api-lead-form');
    const postedAt = clock.now().toISOString();
    const dying = dyingStore(form.store, { after: 'makeDueForNews' });
    await expect(
      submitLead(extendDeps(form, { store: dying }), submissionSchema.parse({ email, ...SQL_LEAD }), leadId),
    ).rejects.toThrow('the process died');
    const madeDue = await asFunction('Api-lead-form').store.getLead(leadId);
    clock.advance(10 * MINUTE);
    await wakeAndPark('token-2');
    clock.advance(10 * MINUTE);
    await wakeAndPark('token-3');

    // Assert: every call allowed; the event folded (the tally written) and out of the wake's read
    expect(denials()).toEqual([]);
    expect(madeDue?.dueAt).toBe(postedAt);
    const snapshot = await asFunction('Api-lead-form').store.loadLead(leadId);
    expect(snapshot?.state.tally?.count).toBe(2);
    expect(snapshot?.events.map((event) => event.eventId)).toEqual([snapshot?.state.createdByEvent]);
    // (the wake also reads its secret at init)
    expect(checks.filter((check) => check.role === 'Advance').map((check) => check.action)).toEqual(
      expect.arrayContaining([
        'dynamodb:Query',
        'dynamodb:GetItem',
        'dynamodb:PutItem',
        'dynamodb:BatchWriteItem',
      ]),
    );
    expect(checks.filter((check) => check.role === 'Api-lead-form').map((check) => check.action)).toContain(
      'dynamodb:UpdateItem',
    );
  });

  it('a new SLA against the leads in flight (sla-impact) reads the due, owner and stage indexes and each lead, writes nothing; without its grant, denied', async () => {
    fresh();
    const leadId = await postLead({ email: `impact.${nonce}@plant.example`, ...SQL_LEAD });
    await updateLead(asFunction('Api-lead-form').store, leadId, (current) => ({
      ...current,
      ownerId: 'jonas',
    }));
    checks.length = 0;

    // the mapping names jonas: his leads are listed from the owner index too (GSI1), as the deploy's migration does
    const allowed = await callApi(
      'POST',
      '/sla/impact',
      '/sla/impact',
      changedSlaText(JONAS_TO_LENA),
      'application/yaml',
    );
    const granted = [...checks];
    checks.length = 0;
    const refused = await callApi(
      'POST',
      '/sla/impact',
      '/sla/impact',
      changedSlaText(),
      'application/yaml',
      without('SurveyLeadsInFlight'),
    );

    expect(allowed.status, allowed.body).toBe(200);
    expect(granted.filter((check) => !check.allowed)).toEqual([]);
    expect(new Set(granted.map((c) => `${c.action} ${c.resource.split(':').at(-1)}`))).toEqual(
      new Set([
        `dynamodb:Query table/${dynamo.tableName}/index/GSI3`,
        `dynamodb:Query table/${dynamo.tableName}/index/GSI1`,
        `dynamodb:Query table/${dynamo.tableName}/index/GSI2`,
        `dynamodb:GetItem table/${dynamo.tableName}`,
      ]),
    );
    const { impact } = JSON.parse(allowed.body) as {
      impact: { leads: { leadId: string; stranded: boolean }[] };
    };
    expect(impact.leads).toContainEqual(expect.objectContaining({ leadId, stranded: false }));
    expect(refused.status).toBe(500);
    // the first read denied: the owner index (GSI1) of the rep the file removes, read before the rest
    expect(denials()).toContainEqual(
      expect.stringMatching(
        /^Api-sla-impact dynamodb:Query arn:aws:dynamodb:us-east-1:000000000000:table\/.*\/index\/GSI1$/,
      ),
    );
  });

  it.each([
    [
      'an event (lead-api)',
      'Api-lead-api',
      (leadId: string) =>
        [
          'POST',
          `/leads/${leadId}/events`,
          '/leads/{id}/events',
          JSON.stringify({ eventId: 'pv-9', type: 'page_view', occurredAt: clock.now().toISOString() }),
          'application/json',
        ] as const,
    ],
    [
      'an unsubscribe link (email-links)',
      'Api-email-links',
      (leadId: string) =>
        [
          'POST',
          `/unsubscribe/${unsubscribeToken(leadId)}`,
          '/unsubscribe/{token}',
          '',
          'application/x-www-form-urlencoded',
        ] as const,
    ],
  ])(
    'with the StartExecution grant removed, %s on a dormant lead is denied as on AWS and no execution starts',
    async (_name, fn, request) => {
      fresh();
      const leadId = await postLead({
        email: `denied.${nonce}@plant.example`,
        industry: 'retail',
        employees: 500,
        country: 'DE',
        marketingConsent: true,
      });
      await makeDormant(leadId);
      checks.length = 0;
      sfn.calls.length = 0;
      const [method, path, route, body, type] = request(leadId);
      await callApi(method, path, route, body, type, without('StartLeadWorkflow'));
      expect(denials()).toEqual([
        expect.stringMatching(
          new RegExp(`^${fn} states:StartExecution arn:aws:states:us-east-1:000000000000:stateMachine:`),
        ),
      ]);
      expect(sfn.started()).toEqual([]);
    },
  );

  it('events out: the publisher puts the lead events on the bus, stores and sends a webhook delivery, moves the cursor; the delivery log reads the index', async () => {
    fresh();
    const leadId = await postLead({ email: `events.${nonce}@plant.example`, ...SQL_LEAD });
    checks.length = 0;
    const f = asFunction('EventsPublisher');
    const published: Record<string, unknown>[] = [];
    const bridge = new EventBridgeClient({ region: 'us-east-1', credentials: FAKE_CREDENTIALS });
    bridge.middlewareStack.use(iamEnforcement(f.role, checks));
    bridge.middlewareStack.use(
      answeredBy((_command, input) => {
        published.push(...(input.Entries as Record<string, unknown>[]));
        return {
          FailedEntryCount: 0,
          Entries: (input.Entries as unknown[]).map((_, i) => ({ EventId: `e${i}` })),
        };
      }),
    );
    clients.push(bridge);
    const deps = publisherDeps(f, {
      bus: new EventBridgeBus(bridge, f.env[ENV.eventBusName]!),
      subscriptions: [
        { id: 'crm', url: 'http://127.0.0.1:9/hook', events: ['lead.created'], secret: TEST_WEBHOOK_SECRET },
      ],
    });
    const report = await publishLead(deps, leadId);
    const sent = await deliverAll(deps, report.deliveries);
    const log = await callApi('GET', '/webhooks/deliveries', '/webhooks/deliveries');
    expect(denials()).toEqual([]);
    expect(report.marked).toBe(true);
    expect(published.map((entry) => entry.DetailType)).toEqual(report.events.map((event) => event.type));
    expect(published[0]).toMatchObject({ Source: 'leadpact', EventBusName: f.env[ENV.eventBusName] });
    // one delivery per event to the bus, one to the webhook (lead.created only)
    expect(sent).toMatchObject({ attempted: report.events.length + 1, delivered: report.events.length + 1 });
    expect(log.status).toBe(200);
    expect(checks.map((c) => `${c.role} ${c.action}`)).toEqual(
      expect.arrayContaining([
        'EventsPublisher events:PutEvents',
        'EventsPublisher dynamodb:PutItem',
        'EventsPublisher dynamodb:UpdateItem',
        'Api-webhooks dynamodb:Query',
      ]),
    );
  });

  it.each([
    ['as granted', (s: PolicyStatement[]) => s, []],
    ['with ReadLeadTimeline removed', without('ReadLeadTimeline'), ['EventsPublisher dynamodb:Query']],
  ])(
    'events out on a long story (entries moved off the state), %s: the publisher reads the lead whole',
    async (_name, edit, denied) => {
      // Arrange: a lead whose story is longer than the state keeps (ADR 0021), written with the table's own access
      fresh();
      const leadId = await postLead({ email: `events-long.${nonce}@plant.example`, ...SQL_LEAD });
      const direct = new DynamoDbLeadStore(dynamo.doc, { tableName: dynamo.tableName });
      for (let n = 0; n < 100; n++) {
        await updateLead(direct, leadId, (current) =>
          withTimeline(current, {
            at: clock.now().toISOString(),
            kind: 'status',
            by: 'rep:jonas',
            reasons: [{ rule: 'test', detail: `note ${n}` }],
          }),
        );
      }
      expect((await direct.getLead(leadId))!.timelineSpilled ?? 0).toBeGreaterThan(0);
      checks.length = 0;
      const f = asFunction('EventsPublisher', edit);
      const deps = publisherDeps(f);

      // Act
      const outcome = await publishLead(deps, leadId).then(
        (report) => report,
        (error: Error) => error,
      );

      // Assert
      expect(denials().map((d) => d.split(' ').slice(0, 2).join(' '))).toEqual(denied);
      if (denied.length === 0) expect(outcome).toMatchObject({ marked: true });
      else expect(outcome).toBeInstanceOf(Error);
    },
  );

  it('with the PutEvents grant removed, putting events on the bus is denied and each is retried on the schedule', async () => {
    fresh();
    const leadId = await postLead({ email: `events-denied.${nonce}@plant.example`, ...SQL_LEAD });
    checks.length = 0;
    const f = asFunction('EventsPublisher', without('PutLeadEvents'));
    const bridge = new EventBridgeClient({ region: 'us-east-1', credentials: FAKE_CREDENTIALS });
    bridge.middlewareStack.use(iamEnforcement(f.role, checks));
    bridge.middlewareStack.use(answeredBy(() => ({ FailedEntryCount: 0, Entries: [] })));
    clients.push(bridge);
    const deps = publisherDeps(f, { bus: new EventBridgeBus(bridge, f.env[ENV.eventBusName]!) });
    const report = await publishLead(deps, leadId);
    const sent = await deliverAll(deps, report.deliveries);
    expect(sent).toMatchObject({ attempted: report.events.length, retrying: report.events.length });
    expect(denials()).toEqual(
      report.events.map(() => expect.stringMatching(/^EventsPublisher events:PutEvents arn:aws:events:/)),
    );
    const retrying = await deps.log.listDeliveries('retrying', { limit: 100 });
    expect(retrying.deliveries.filter((d) => d.leadId === leadId)).toHaveLength(report.events.length);
    expect(retrying.deliveries[0]!.lastError).toMatch(/not authorized to perform: events:PutEvents/);
  });

  it("events out's sweep: each subscription's due head read from the index, one queued under the key before ADR 0056 moved to its queue, and sent", async () => {
    // Arrange: two deliveries due to two subscriptions, one of them queued under the old key (`<when>#<id>`)
    fresh();
    checks.length = 0;
    const f = asFunction('EventsPublisher');
    const subscriptions = ['crm', 'erp'].map((id) => ({
      id,
      url: `http://127.0.0.1:9/${id}`,
      events: ['*'],
      secret: TEST_WEBHOOK_SECRET,
    }));
    const posted: string[] = [];
    const deps = publisherDeps(f, {
      subscriptions,
      transport: {
        post: async (url) => {
          posted.push(url);
          return { statusCode: 204 };
        },
      },
    });
    const event = (leadId: string) =>
      ({
        id: `evt_${leadId}_${nonce}`,
        type: 'lead.created',
        leadId,
        cycle: 1,
        seq: 0,
      }) as unknown as LeadEvent;
    const due = subscriptions.map((subscription) =>
      newDelivery(
        subscription,
        event(`LeadSweep${subscription.id}${nonce}`),
        new Date(clock.now().getTime() - 1_000),
      ),
    );
    for (const delivery of due) await deps.log.addDelivery(delivery);
    await dynamo.doc.send(
      new UpdateCommand({
        TableName: dynamo.tableName,
        Key: { pk: `DELIVERY#${due[1]!.deliveryId}`, sk: 'DELIVERY' },
        UpdateExpression: 'SET gsi7sk = :old',
        ExpressionAttributeValues: { ':old': `${due[1]!.nextAttemptAt}#${due[1]!.deliveryId}` },
      }),
    );

    // Act
    const sent = await deliverDue(deps);

    // Assert
    expect(denials()).toEqual([]);
    expect(sent).toMatchObject({ attempted: 2, delivered: 2 });
    expect(posted.sort()).toEqual(['http://127.0.0.1:9/crm', 'http://127.0.0.1:9/erp']);
    expect(checks.map((c) => `${c.role} ${c.action}`)).toEqual(
      expect.arrayContaining(['EventsPublisher dynamodb:Query', 'EventsPublisher dynamodb:UpdateItem']),
    );
  });

  it.each([
    ['as granted', (s: PolicyStatement[]) => s, []],
    ['with ReadDeliveryIndex removed', without('ReadDeliveryIndex'), ['Api-console dynamodb:Query']],
  ])(
    "the console's failing endpoints (ops): each subscription's retrying deliveries read from the index, %s",
    async (_name, edit, denied) => {
      // Arrange: a retrying delivery of each of two subscriptions
      fresh();
      const direct = new DynamoDbEventLog(dynamo.doc, dynamo.tableName);
      for (const id of ['crm', 'erp'])
        await direct.saveDelivery({
          ...newDelivery(
            { id, url: `https://${id}.example.com/hook`, events: ['*'], secret: TEST_WEBHOOK_SECRET },
            {
              id: `evt_${id}_${nonce}`,
              type: 'lead.created',
              leadId: `LeadFailing${id}${nonce}`,
            } as unknown as LeadEvent,
            clock.now(),
          ),
          status: 'retrying',
          attempts: 1,
          lastError: 'timeout',
        });
      checks.length = 0;
      const f = asFunction('Api-console', edit);
      // Act
      const read = await failuresNow({ events: { log: new DynamoDbEventLog(f.doc, f.tableName!) } }).then(
        (result) => result,
        (error: Error) => error,
      );
      // Assert (the failed deliveries' page is read beside them: denied alike)
      expect([...new Set(denials().map((d) => d.split(' ').slice(0, 2).join(' ')))]).toEqual(denied);
      if (denied.length > 0) expect(read).toBeInstanceOf(Error);
      else
        expect((read as Awaited<ReturnType<typeof failuresNow>>)!.endpoints.map((e) => e.url).sort()).toEqual(
          expect.arrayContaining(['https://crm.example.com/hook', 'https://erp.example.com/hook']),
        );
    },
  );

  it('with the StopExecution grant removed, erase (lead-erase) fails with AccessDeniedException', async () => {
    fresh();
    const leadId = await postLead({ email: `erase.${nonce}@plant.example`, ...SQL_LEAD });
    const response = await callApi(
      'DELETE',
      `/leads/${leadId}`,
      '/leads/{id}',
      undefined,
      undefined,
      without('StopLeadWorkflow'),
    );
    expect(response.status, response.body).toBeGreaterThanOrEqual(500);
    expect(denials()).toContainEqual(
      expect.stringMatching(/^Api-lead-erase states:StopExecution arn:aws:states:.*:execution:/),
    );
    expect(sfn.executions.get(`${leadId}-c1-g0`)?.status).toBe('RUNNING');
  });

  it('with the rotation grant removed, Advance is denied the turn of the handoff it runs, and leaves it to the Handoff state (ADR 0049)', async () => {
    fresh();
    const quiet = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const leadId = await postLead({ email: `gap-advance.${nonce}@plant.example`, ...SQL_LEAD });
    const start = JSON.parse(sfn.executions.get(`${leadId}-c1-g0`)!.input).Payload as AdvanceInput;
    const step = await advanceStep(taskDeps('Advance', without('TakeRotationTurns')), start).finally(() =>
      quiet.mockRestore(),
    );
    expect(step.next).toBe('handoff');
    expect(denials()).toContainEqual(expect.stringMatching(/^Advance dynamodb:UpdateItem arn:aws:dynamodb:/));
  });

  it('with the rotation grant removed, Handoff is denied the round-robin turn (dynamodb:UpdateItem), as it was on AWS', async () => {
    fresh();
    const leadId = await postLead({ email: `gap.${nonce}@plant.example`, ...SQL_LEAD });
    const start = JSON.parse(sfn.executions.get(`${leadId}-c1-g0`)!.input).Payload as AdvanceInput;
    const step = await advance(taskDeps('Advance'), start);
    expect(step.next).toBe('handoff');
    await expect(handoff(taskDeps('Handoff', without('TakeRotationTurns')), step)).rejects.toMatchObject({
      name: 'AccessDeniedException',
      message: expect.stringMatching(
        /Handoff.*dynamodb:UpdateItem on resource: arn:aws:dynamodb:us-east-1:000000000000:table\//,
      ),
    });
  });

  it('ImportConsumer imports a lead and starts it; RecordFailure records a failure; MailFeedback marks a bounce', async () => {
    fresh();
    const email = `import.${nonce}@plant.example`;
    const imported = await importBatch(
      apiDepsOf('ImportConsumer'),
      [{ messageId: 'm1', body: JSON.stringify({ email, ...SQL_LEAD }) }],
      { perSecond: 1000, sleep: async () => undefined },
    );
    expect(imported.batchItemFailures).toEqual([]);
    const [name] = sfn.started();
    expect(name).toMatch(/-c1-g0$/);
    const leadId = name!.replace(/-c1-g0$/, '');
    await recordFailure(taskDeps('RecordFailure'), {
      leadId,
      cycle: 1,
      generation: 0,
      error: { Error: 'States.TaskFailed', Cause: 'test' },
    });
    const feedback = asFunction('MailFeedback');
    const outcome = await applyMailFeedback(
      { store: feedback.store, clock },
      {
        eventType: 'Bounce',
        bounce: {
          bounceType: 'Permanent',
          bounceSubType: 'General',
          bouncedRecipients: [{ emailAddress: email }],
        },
        mail: { tags: { leadId: [leadId], kind: ['nurture'] } },
      },
    );
    expect(outcome).toBe('marked');
    const lead = await feedback.store.getLead(leadId);
    expect(lead?.workflowError?.count).toBe(1);
    expect(denials()).toEqual([]);
    expect([...new Set(checks.map((c) => c.role))].sort()).toEqual([
      'ImportConsumer',
      'MailFeedback',
      'RecordFailure',
    ]);
  });

  it('every function of the stack has a role whose statements and environment resolve (no intrinsic left over)', () => {
    const names = Object.keys(synth.stack.functions());
    expect(names.length).toBeGreaterThanOrEqual(12);
    for (const name of names) {
      const f = asFunction(name);
      expect(JSON.stringify([f.role.statements, f.env]), name).not.toMatch(/"(Ref|Fn::[A-Za-z]+)"/);
    }
  });

  it('with the SendEmail grant removed, Handoff cannot email the rep (the sandbox grant covers the identity, not the configuration set)', async () => {
    fresh();
    const leadId = await postLead({ email: `mail.${nonce}@plant.example`, ...SQL_LEAD });
    const start = JSON.parse(sfn.executions.get(`${leadId}-c1-g0`)!.input).Payload as AdvanceInput;
    const step = await advance(taskDeps('Advance'), start);
    expect(step.next).toBe('handoff');
    await expect(handoff(taskDeps('Handoff', without('SendEmailAsLeadPact')), step)).rejects.toMatchObject({
      name: 'AccessDeniedException',
      message: expect.stringMatching(
        /Handoff.*ses:SendEmail on resource: arn:aws:ses:us-east-1:000000000000:configuration-set\//,
      ),
    });
  });
});
