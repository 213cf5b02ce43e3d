/**
 * The Lambda glue in lambdas/aws/shared: route dispatch per function, Park resuming its own execution,
 * SES feedback marking a lead undeliverable, the paced bulk import, and the environment contract. The
 * store is MemoryLeadStore (it passes the DynamoDB adapter's contract tests); the workflow is the
 * recording one. No AWS SDK mocks: where Step Functions would be called, the test passes a function and
 * records the call (there is no Step Functions API emulator to point the SDK at).
 */
import { readFileSync } from 'node:fs';
import type { Context } from 'aws-lambda';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { MemoryLeadStore } from '../../lambdas/adapters/memory-lead-store.ts';
import type { ApiDeps } from '../../lambdas/api/deps.ts';
import { CONSOLE_ROUTES } from '../../lambdas/api/groups/console.ts';
import { EMAIL_LINK_ROUTES } from '../../lambdas/api/groups/email-links.ts';
import { HEALTH_ROUTES } from '../../lambdas/api/groups/health.ts';
import { LEAD_API_ROUTES } from '../../lambdas/api/groups/lead-api.ts';
import { LEAD_ERASE_ROUTES } from '../../lambdas/api/groups/lead-erase.ts';
import { LEAD_FORM_ROUTES } from '../../lambdas/api/groups/lead-form.ts';
import { LEAD_QUERY_ROUTES } from '../../lambdas/api/groups/lead-queries.ts';
import { SLA_IMPACT_ROUTES } from '../../lambdas/api/groups/sla-impact.ts';
import { WEBHOOK_ROUTES } from '../../lambdas/api/groups/webhooks.ts';
import type { HttpEvent } from '../../lambdas/api/http.ts';
import type { RouteDefinition } from '../../lambdas/api/route-definition.ts';
import { ROUTES } from '../../lambdas/api/routes.ts';
import { dispatcher, groupHandlers } from '../../lambdas/aws/shared/api-dispatch.ts';
import {
  API_FUNCTION_GROUPS,
  API_GROUP_NAMES,
  type ApiFunctionGroup,
  groupOf,
} from '../../lambdas/aws/shared/api-groups.ts';
import { listEnv, requiredEnv } from '../../lambdas/aws/shared/env.ts';
import { importBatch } from '../../lambdas/aws/shared/import-batch.ts';
import { fromAddress, opsOnlyNotifier } from '../../lambdas/aws/shared/mail.ts';
import { applyMailFeedback, type SesEventRecord } from '../../lambdas/aws/shared/mail-feedback.ts';
import { parkOrResume } from '../../lambdas/aws/shared/park-callback.ts';
import { bundledSla } from '../../lambdas/aws/shared/sla.ts';
import { stepTask } from '../../lambdas/aws/shared/step-task.ts';
import { unavailable } from '../../lambdas/aws/shared/unavailable.ts';
import { resumeExecution, routeExecution } from '../../lambdas/aws/shared/workflow.ts';
import { leadIdFor } from '../../lambdas/domain/lead-id.ts';
import { type LeadState, newLeadState } from '../../lambdas/domain/lead-state.ts';
import { parseSla } from '../../lambdas/domain/sla-file.ts';
import type { Sla } from '../../lambdas/domain/sla-schema.ts';
import type { EmailMessage } from '../../lambdas/ports/mailer.ts';
import type { Workflow } from '../../lambdas/ports/workflow.ts';
import { advance } from '../../lambdas/tasks/advance.ts';
import type { TaskDeps } from '../../lambdas/tasks/deps.ts';
import { handoff } from '../../lambdas/tasks/handoff.ts';
import { MAX_LOOPS_PER_EXECUTION, ROUTE_ERRORS, type StepPayload } from '../../lambdas/tasks/payload.ts';
import { RecordingWorkflow } from '../../local/recording-workflow.ts';
import { leadLifecycleAslText } from '../../statemachines/lead-lifecycle.ts';

const parsed = parseSla(readFileSync('sla/default.yaml', 'utf8'));
if (!parsed.ok) throw new Error('sla/default.yaml does not parse');
const sla: Sla = parsed.sla;
const NOW = new Date('2026-11-30T09:00:00.000Z');
const clock = { now: () => NOW };
const KEY = 'k'.repeat(64);

async function storedLead(
  store: MemoryLeadStore,
  email = 'petra@brauhaus-werke.example',
): Promise<LeadState> {
  const lead = newLeadState(
    sla,
    { leadId: leadIdFor(email, KEY), email, fields: { company: 'Brauhaus Werke' }, marketingConsent: true },
    [],
    NOW,
    'test',
  );
  await store.createLead(lead);
  return lead;
}

function apiDeps(store: MemoryLeadStore, workflow: Workflow = new RecordingWorkflow()): ApiDeps {
  return { sla, store, workflow, clock, leadIdSecret: KEY, allowedOrigins: ['https://www.example.com'] };
}

// the handlers log one JSON line per outcome: keep them out of the test output
beforeEach(() => {
  for (const level of ['info', 'warn', 'error'] as const)
    vi.spyOn(console, level).mockImplementation(() => undefined);
});
afterEach(() => {
  vi.restoreAllMocks();
});

/** The routes each group's entry point (lambdas/aws/api-<group>.ts) imports. */
const GROUP_ROUTES: Record<ApiFunctionGroup, readonly RouteDefinition[]> = {
  'lead-form': LEAD_FORM_ROUTES,
  health: HEALTH_ROUTES,
  'lead-api': LEAD_API_ROUTES,
  'lead-queries': LEAD_QUERY_ROUTES,
  'sla-impact': SLA_IMPACT_ROUTES,
  'lead-erase': LEAD_ERASE_ROUTES,
  'email-links': EMAIL_LINK_ROUTES,
  webhooks: WEBHOOK_ROUTES,
  console: CONSOLE_ROUTES,
};

const event = (routeKey: string): HttpEvent =>
  ({ routeKey, headers: {}, requestContext: {}, isBase64Encoded: false }) as unknown as HttpEvent;

describe('API functions: one per group of routes', () => {
  it('the groups cover ROUTES exactly, each route in one group', () => {
    for (const route of ROUTES) expect(groupOf(`${route.method} ${route.path}`)).toBeDefined();
    expect(Object.values(API_FUNCTION_GROUPS).flat()).toHaveLength(ROUTES.length);
  });

  it.each(API_GROUP_NAMES)(
    "group %s gets a handler for each of its routes, made by the route's own factory",
    (group) => {
      // Act
      const handlers = groupHandlers(group, GROUP_ROUTES[group], apiDeps(new MemoryLeadStore()));
      // Assert
      expect([...handlers.keys()]).toEqual([...API_FUNCTION_GROUPS[group]]);
    },
  );

  it("ROUTES is every group's routes, each once", () => {
    expect(Object.values(GROUP_ROUTES).flat()).toHaveLength(ROUTES.length);
    expect(new Set(Object.values(GROUP_ROUTES).flat())).toEqual(new Set(ROUTES));
  });

  it('a group naming a route its routes lack fails at init, naming it', () => {
    expect(() => groupHandlers('lead-api', LEAD_API_ROUTES.slice(1), apiDeps(new MemoryLeadStore()))).toThrow(
      'POST /leads/{id}/events',
    );
  });

  it('routes of another group fail at init, naming them', () => {
    expect(() => groupHandlers('health', ROUTES, apiDeps(new MemoryLeadStore()))).toThrow(
      'group health does not serve POST /leads',
    );
  });

  it('the dispatcher runs the handler of the event route key', async () => {
    // Arrange
    const handler = dispatcher(groupHandlers('health', HEALTH_ROUTES, apiDeps(new MemoryLeadStore())));
    // Act
    const response = await handler(event('GET /health'), {} as Context);
    // Assert
    expect(response.statusCode).toBe(200);
    expect(JSON.parse(response.body!)).toMatchObject({ status: 'ok', slaVersion: sla.version });
  });

  it('a route key the function does not serve answers 404 in the error shape', async () => {
    // Arrange
    const handler = dispatcher(groupHandlers('health', HEALTH_ROUTES, apiDeps(new MemoryLeadStore())));
    // Act
    const response = await handler(event('DELETE /leads/{id}'), {} as Context);
    // Assert
    expect(response.statusCode).toBe(404);
    expect(JSON.parse(response.body!).error.code).toBe('not_found');
  });
});

describe('Advance and Handoff on AWS: every step carries what the Park state reads (ADR 0036)', () => {
  /** the $.Payload fields the Park state reads (its Parameters and its timeout), from the ASL as deployed */
  const park = JSON.parse(leadLifecycleAslText()).States.Park as {
    Parameters: { Payload: Record<string, string> };
    TimeoutSecondsPath: string;
  };
  const fields = [park.TimeoutSecondsPath, ...Object.values(park.Parameters.Payload)]
    .filter((path) => path.startsWith('$.Payload.'))
    .map((path) => path.slice('$.Payload.'.length));
  const deps = (store: MemoryLeadStore): TaskDeps => ({
    sla,
    store,
    clock,
    // these steps send nothing
    notifier: { send: async () => Promise.reject(new Error('no email expected')) } as never,
  });
  const ref = { cycle: 1, generation: 0, loops: 0, startedAt: NOW.toISOString() };

  it.each([
    [
      'Advance, the lead gone',
      'end',
      async () =>
        stepTask(advance, deps(new MemoryLeadStore()))({ leadId: 'GoneLead00000000000000', ...ref }),
    ],
    [
      'Handoff, the lead gone',
      'end',
      async () =>
        stepTask(handoff, deps(new MemoryLeadStore()))({ leadId: 'GoneLead00000000000000', ...ref }),
    ],
    [
      'Advance, at the loop limit',
      'continueAsNew',
      async () => {
        const store = new MemoryLeadStore();
        const lead = await storedLead(store);
        return stepTask(
          advance,
          deps(store),
        )({ ...ref, leadId: lead.leadId, loops: MAX_LOOPS_PER_EXECUTION });
      },
    ],
  ] as const)(
    '%s: a step that goes on to %s has every field the Park state reads',
    async (_name, next, run) => {
      // Act
      const step: StepPayload = await run();
      // Assert
      expect(step.next).toBe(next);
      expect(fields).toEqual(
        expect.arrayContaining(['next', 'phase', 'version', 'waitSeconds', 'sent', 'planned']),
      );
      for (const field of fields) expect(step, field).toHaveProperty(field);
      expect(Number.isInteger(step.waitSeconds) && step.waitSeconds! >= 1).toBe(true);
    },
  );
});

describe('Park on AWS: resume at once when nobody else will send the token', () => {
  /** the Park function's calls to Step Functions, recorded */
  const recorded = () => {
    const resumed: string[] = [];
    const routed: { token: string; error: string }[] = [];
    const callbacks = {
      resume: async (token: string) => void resumed.push(token),
      route: async (token: string, error: string) => void routed.push({ token, error }),
    };
    return { resumed, routed, callbacks };
  };

  it('parked: the token is on the lead and nobody resumes', async () => {
    // Arrange
    const store = new MemoryLeadStore();
    const lead = await storedLead(store);
    const { resumed, routed, callbacks } = recorded();
    // Act
    const result = await parkOrResume({ store, clock }, callbacks, {
      leadId: lead.leadId,
      cycle: 1,
      phase: 'nurture',
      version: lead.version,
      waitSeconds: 60,
      taskToken: 'token-1',
    });
    // Assert
    expect(result).toEqual({ outcome: 'parked' });
    expect(resumed).toEqual([]);
    expect(routed).toEqual([]);
    expect((await store.getLead(lead.leadId))?.waitToken).toBe('token-1');
  });

  it('changed since Advance: resumes its own task with the token', async () => {
    // Arrange
    const store = new MemoryLeadStore();
    const lead = await storedLead(store);
    await store.saveLead({ ...lead, version: lead.version + 1 }, lead.version);
    const { resumed, routed, callbacks } = recorded();
    // Act
    const result = await parkOrResume({ store, clock }, callbacks, {
      leadId: lead.leadId,
      cycle: 1,
      phase: 'nurture',
      version: lead.version,
      waitSeconds: 60,
      taskToken: 'token-2',
    });
    // Assert
    expect(result).toEqual({ outcome: 'changed' });
    expect(resumed).toEqual(['token-2']);
    expect(routed).toEqual([]);
  });

  it.each([
    ['handoff', 'LeadPact.Handoff'],
    ['continueAsNew', 'LeadPact.ContinueAsNew'],
    ['end', 'LeadPact.End'],
  ] as const)(
    'a step that goes on to %s fails its task with %s and writes nothing (ADR 0036)',
    async (next, error) => {
      // Arrange
      const store = new MemoryLeadStore();
      const lead = await storedLead(store);
      const { resumed, routed, callbacks } = recorded();
      // Act
      const result = await parkOrResume({ store, clock }, callbacks, {
        leadId: lead.leadId,
        cycle: 1,
        next: next satisfies StepPayload['next'],
        phase: null,
        version: lead.version,
        waitSeconds: 300,
        taskToken: 'token-r',
      });
      // Assert
      expect(result).toEqual({ outcome: 'routed' });
      expect(routed).toEqual([{ token: 'token-r', error }]);
      expect(ROUTE_ERRORS[next]).toBe(error);
      expect(resumed).toEqual([]);
      expect(await store.getLead(lead.leadId)).toEqual(lead);
    },
  );

  it('gone (another cycle, erased, missing): answers changed and resumes too, so Advance ends the execution', async () => {
    // Arrange
    const store = new MemoryLeadStore();
    const { resumed, routed, callbacks } = recorded();
    // Act
    const result = await parkOrResume({ store, clock }, callbacks, {
      leadId: 'NoSuchLead000000000000',
      cycle: 1,
      phase: 'deal',
      version: 1,
      waitSeconds: 60,
      taskToken: 'token-3',
    });
    // Assert
    expect(result).toEqual({ outcome: 'changed' });
    expect(resumed).toEqual(['token-3']);
    expect(routed).toEqual([]);
  });

  it.each([
    ['resumeExecution', (sfn: never) => resumeExecution(sfn, 't')],
    ['routeExecution', (sfn: never) => routeExecution(sfn, 't', 'LeadPact.End', 'ends')],
  ] as const)('%s: a token that timed out or was used is no error; anything else is', async (_name, call) => {
    // Arrange: Step Functions' answers for a dead token (a fault no emulator produces: a stub send)
    const failing = (name: string) => ({
      send: async () => {
        throw Object.assign(new Error(name), { name });
      },
    });
    // Act / Assert
    for (const name of ['TaskTimedOut', 'TaskDoesNotExist', 'InvalidToken']) {
      await expect(call(failing(name) as never)).resolves.toBeUndefined();
    }
    await expect(call(failing('ThrottlingException') as never)).rejects.toThrow('ThrottlingException');
  });
});

describe('SES feedback: a bounce or complaint of the lead makes its email undeliverable', () => {
  const record = (
    lead: LeadState,
    overrides: Partial<SesEventRecord> = {},
    address = lead.email!,
  ): SesEventRecord => ({
    eventType: 'Bounce',
    bounce: {
      bounceType: 'Permanent',
      bounceSubType: 'General',
      bouncedRecipients: [{ emailAddress: address }],
    },
    mail: { tags: { leadId: [lead.leadId], kind: ['nurture'], 'ses:configuration-set': ['leadpact'] } },
    ...overrides,
  });

  it('a permanent bounce of the lead address: undeliverable, with a timeline entry saying why', async () => {
    // Arrange
    const store = new MemoryLeadStore();
    const lead = await storedLead(store);
    // Act
    const outcome = await applyMailFeedback({ store, clock }, record(lead, {}, lead.email!.toUpperCase()));
    // Assert
    const after = (await store.getLead(lead.leadId))!;
    expect(outcome).toBe('marked');
    expect(after.undeliverable).toBe(true);
    expect(after.timeline.at(-1)).toMatchObject({
      kind: 'undeliverable',
      by: 'system:ses',
      reasons: [{ rule: 'mail.bounce' }],
    });
  });

  it('a complaint marks it too; a second event changes nothing', async () => {
    // Arrange
    const store = new MemoryLeadStore();
    const lead = await storedLead(store);
    const complaint = record(lead, {
      eventType: 'Complaint',
      complaint: { complainedRecipients: [{ emailAddress: lead.email! }] },
    });
    // Act
    const first = await applyMailFeedback({ store, clock }, complaint);
    const second = await applyMailFeedback({ store, clock }, complaint);
    // Assert
    expect([first, second]).toEqual(['marked', 'already-marked']);
    expect((await store.getLead(lead.leadId))!.timeline.at(-1)?.reasons[0]?.rule).toBe('mail.complaint');
  });

  it('a rep address bouncing on an email about the lead leaves the lead alone, and warns ops', async () => {
    // Arrange
    const store = new MemoryLeadStore();
    const lead = await storedLead(store);
    // Act
    const outcome = await applyMailFeedback({ store, clock }, record(lead, {}, 'rep@kessler.example'));
    // Assert
    expect(outcome).toBe('not-the-lead');
    expect((await store.getLead(lead.leadId))!.undeliverable).toBe(false);
    const warning = vi
      .mocked(console.warn)
      .mock.calls.map((call) => String(call[0]))
      .join('\n');
    expect(warning).toContain('check the addresses in the SLA');
    expect(warning).not.toContain('rep@kessler.example');
  });

  it.each<[string, (lead: LeadState) => SesEventRecord, string]>([
    [
      'a transient bounce',
      (lead) =>
        record(lead, {
          bounce: { bounceType: 'Transient', bouncedRecipients: [{ emailAddress: lead.email! }] },
        }),
      'transient',
    ],
    [
      'no leadId tag (an ops alert)',
      (lead) => record(lead, { mail: { tags: { kind: ['ops-alert'] } } }),
      'no-lead-tag',
    ],
    ['another event type', (lead) => record(lead, { eventType: 'Delivery' }), 'ignored'],
    ['an unknown lead', (lead) => record({ ...lead, leadId: 'NoSuchLead000000000000' }), 'lead-gone'],
  ])('%s changes nothing', async (_name, make, expected) => {
    // Arrange
    const store = new MemoryLeadStore();
    const lead = await storedLead(store);
    // Act
    const outcome = await applyMailFeedback({ store, clock }, make(lead));
    // Assert
    expect(outcome).toBe(expected);
    expect((await store.getLead(lead.leadId))!.undeliverable).toBe(false);
  });
});

describe('bulk import: each message a lead, at a bounded rate', () => {
  const message = (id: string, body: unknown) => ({
    messageId: id,
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });

  it('stores each lead, starts its workflow, and reports only the failures back to SQS', async () => {
    // Arrange
    const store = new MemoryLeadStore();
    const workflow = new RecordingWorkflow();
    const sleeps: number[] = [];
    let now = 0;
    const records = [
      message('m1', { email: 'anna@plant.example', company: 'Plant', formId: 'demo-request' }),
      message('m2', '{not json'),
      message('m3', { email: 'not-an-email' }),
      message('m4', { email: 'bert@plant.example', _gotcha: 'bot?' }),
    ];
    // Act
    const response = await importBatch(apiDeps(store, workflow), records, {
      perSecond: 2,
      now: () => now,
      sleep: async (ms) => {
        sleeps.push(ms);
        now += ms;
      },
    });
    // Assert
    expect(response.batchItemFailures).toEqual([{ itemIdentifier: 'm2' }, { itemIdentifier: 'm3' }]);
    expect(workflow.calls.filter((call) => call.action === 'start')).toHaveLength(2);
    expect(await store.getLead(leadIdFor('anna@plant.example', KEY))).toBeDefined();
    expect(await store.getLead(leadIdFor('bert@plant.example', KEY))).toBeDefined();
    // 2 a second: 500 ms between consecutive leads
    expect(sleeps).toEqual([500, 500, 500]);
  });

  it('reads each message as POST /leads reads the same JSON: a HubSpot export is imported, not refused', async () => {
    // Arrange: what a CRM export holds (before, each of these failed the strict schema and went to the
    // dead-letter queue: a country name, a vendor's field names, a size range with dots, revenue with a currency)
    const store = new MemoryLeadStore();
    const records = [
      message('h1', {
        email: 'jurgen.muller@kessler-kunde.example',
        firstname: 'Jürgen',
        lastname: 'Müller',
        jobtitle: 'Geschäftsführer',
        country: 'Germany',
        numemployees: '1.000-4.999',
        annualrevenue: '€25M',
        employees_note: { nested: true },
      }),
    ];

    // Act
    const response = await importBatch(apiDeps(store, new RecordingWorkflow()), records, {
      perSecond: 1000,
      sleep: async () => {},
    });

    // Assert
    expect(response.batchItemFailures).toEqual([]);
    const lead = await store.getLead(leadIdFor('jurgen.muller@kessler-kunde.example', KEY));
    expect(lead?.fields).toMatchObject({
      firstName: 'Jürgen',
      lastName: 'Müller',
      jobTitle: 'Geschäftsführer',
      country: 'DE',
      revenue: 25_000_000,
    });
    // what does not read is kept as a field issue, as a form post's is
    expect(lead?.fieldIssues?.map((issue) => issue.field)).toContain('employees_note');
  });

  it('a rate that is not positive is refused', async () => {
    await expect(importBatch(apiDeps(new MemoryLeadStore()), [], { perSecond: 0 })).rejects.toThrow(
      /perSecond/,
    );
  });
});

describe('the environment contract', () => {
  it('requiredEnv names a missing variable; listEnv splits a comma list', () => {
    expect(() => requiredEnv('LEADPACT_NOPE', {})).toThrow('LEADPACT_NOPE');
    expect(listEnv('X', { X: ' https://a.example , ,https://b.example' })).toEqual([
      'https://a.example',
      'https://b.example',
    ]);
  });

  it('a dependency the stack did not grant throws naming it, and does not look like a promise', async () => {
    const store = unavailable<MemoryLeadStore>('the lead table');
    await expect(async () => store.getLead('x')).rejects.toThrow('the lead table is not available');
    expect(await Promise.resolve(store)).toBe(store);
  });

  it('outside a bundle there is no SLA, and the error says where it comes from', () => {
    expect(() => bundledSla()).toThrow(/CDK stack bundles it/);
  });

  it('the From header carries the SLA sender name only when SES takes it as is', () => {
    expect(fromAddress('Kessler Industrial', 'leads@kessler.example')).toBe(
      '"Kessler Industrial" <leads@kessler.example>',
    );
    expect(fromAddress('Kessler "Best" <x>', 'leads@kessler.example')).toBe('leads@kessler.example');
  });

  it('RecordFailure notifier: alerts ops, refuses lead emails (it holds no link key)', async () => {
    // Arrange
    const sent: EmailMessage[] = [];
    const notifier = opsOnlyNotifier(
      {
        send: async (message) => {
          sent.push(message);
          return { messageId: '1' };
        },
      },
      'ops@example.org',
    );
    // Act
    await notifier.opsAlert('LeadPact: failed', 'lead X <failed>');
    // Assert
    expect(sent).toEqual([
      expect.objectContaining({
        to: ['ops@example.org'],
        subject: 'LeadPact: failed',
        text: 'lead X <failed>',
      }),
    ]);
    expect(sent[0]!.html).toContain('&lt;failed&gt;');
    await expect(notifier.nurture({} as never, {} as never, 0)).rejects.toThrow('ops alerts only');
  });
});
