/**
 * `leadpact dev --iam enforce`: the whole local runtime with each handler running as its function's role
 * from the synthesized stack (bin/commands/iam-profile.ts builds the profile `leadpact dev` loads). With the
 * stack's real grants a hot lead goes form -> Advance -> Handoff -> Park -> an attempt -> erase with no
 * denial; with a grant removed from the profile, the same call is denied as AWS denies it: the handler gets
 * AccessDeniedException and a log line names role, action and resource.
 */
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { synthesizeIamProfile } from '../../bin/commands/iam-profile.ts';
import type { IamCheck } from '../../local/iam/enforce.ts';
import { type IamProfile, withStateMachineStatements, withStatements } from '../../local/iam/profile.ts';
import { E2E_ADMIN_TOKEN, type E2e, startE2e } from '../support/e2e.ts';
import { SQL_LEAD } from '../support/local-api.ts';
import { loadDefaultSla } from '../support/sla.ts';
import { typeformHeaders, typeformPost } from '../support/typeform.ts';

const TYPEFORM_SECRET = 'tf-webhook-secret-iam';

describe('leadpact dev with IAM enforced', () => {
  let profile: IamProfile;
  let e2e: E2e | undefined;

  beforeAll(async () => {
    profile = await synthesizeIamProfile();
  }, 120_000);

  afterEach(async () => {
    await e2e?.close();
    e2e = undefined;
    vi.restoreAllMocks();
  });

  async function start(withProfile: IamProfile, checks?: IamCheck[]): Promise<E2e> {
    e2e = await startE2e({ iam: { profile: withProfile, ...(checks ? { log: checks } : {}) } });
    return e2e;
  }

  const denied = (checks: readonly IamCheck[]) =>
    checks.filter((check) => !check.allowed).map((c) => `${c.role} ${c.action} ${c.resource}`);

  it("a Typeform resend after the lead was erased: the form's role deletes the event stored again (BatchWriteItem, granted)", async () => {
    // Arrange: a signed Typeform response, the lead erased
    const checks: IamCheck[] = [];
    e2e = await startE2e({ iam: { profile, log: checks }, typeformSecret: TYPEFORM_SECRET });
    const email = 'resent-after-erase@plant.example';
    const data = typeformPost(
      [{ id: 'e', title: 'Email', type: 'email', answer: { type: 'email', value: email } }],
      { token: 'respIam0001' },
    );
    const inner = data.form_response as Record<string, unknown>;
    const body = JSON.stringify({
      ...data,
      form_response: { ...inner, submitted_at: e2e.now().toISOString() },
    });
    const send = () =>
      e2e!.request('POST', '/leads?formId=demo-request', {
        headers: typeformHeaders(body, TYPEFORM_SECRET),
        raw: body,
      });
    expect((await send()).status).toBe(202);
    await e2e.settle();
    const leadId = e2e.leadIdOf(email);
    expect((await e2e.request('DELETE', `/leads/${leadId}`)).status).toBe(200);
    await e2e.settle();
    checks.length = 0;

    // Act
    const resent = await send();
    await e2e.settle();

    // Assert
    expect(resent.status).toBe(202);
    expect(denied(checks)).toEqual([]);
    expect(checks.map((c) => `${c.role} ${c.action}`)).toContain('Api-lead-form dynamodb:BatchWriteItem');
    expect(await e2e.runtime.deps.store.listEvents(leadId)).toEqual([]);
  });

  it("the reconciler's retention pass erases a sign-up never confirmed as its own role, with the real grants (ADR 0092)", async () => {
    // Arrange: the SLA erases sign-ups 90 days after their link lapsed; Jamie signs up for the guide, never confirms
    const checks: IamCheck[] = [];
    e2e = await startE2e({
      sla: { ...loadDefaultSla(), consent: { eraseUnconfirmedAfterDays: 90 } },
      iam: { profile, log: checks },
    });
    const email = 'never.confirmed@gmail.com';
    const posted = await e2e.request('POST', '/leads', {
      json: { email, firstName: 'Jamie', marketingConsent: true, formId: 'efficiency-guide' },
    });
    expect(posted.status).toBe(202);
    await e2e.settle();
    const leadId = e2e.leadIdOf(email);
    expect((await e2e.runtime.deps.store.getLead(leadId))?.consent?.askedAt).toBeDefined();
    await e2e.advanceTo(new Date(e2e.now().getTime() + 121 * 86_400_000));
    checks.length = 0;

    // Act: a sweep, then another (the retention runs after each sweep's answer, before the next sweep)
    await e2e.runtime.reconciler.run();
    await e2e.runtime.reconciler.run();

    // Assert
    expect(denied(checks)).toEqual([]);
    const lead = await e2e.runtime.deps.store.getLead(leadId);
    expect(lead?.erasedAt).toBeDefined();
    expect(lead?.timeline.at(-1)).toMatchObject({ kind: 'erased', by: 'system:retention' });
    expect(await e2e.runtime.deps.store.listEvents(leadId)).toEqual([]);
    expect(e2e.runtime.reconciler.figures().retention).toMatchObject({ erasedSinceStartUp: 1 });
    expect(checks.map((c) => `${c.role} ${c.action}`)).toEqual(
      expect.arrayContaining([
        'Reconciler dynamodb:Query',
        'Reconciler dynamodb:PutItem',
        'Reconciler dynamodb:DeleteItem',
      ]),
    );
  });

  it('with the real grants: form post, Advance (its wake and its handoff), Park, an attempt and erase pass, each as its own role', async () => {
    // Arrange
    const checks: IamCheck[] = [];
    const run = await start(profile, checks);
    // Act
    const posted = await run.postLead({ email: 'granted@plant.example', ...SQL_LEAD });
    await run.settle();
    const leadId = (posted.body as { leadId: string }).leadId;
    const handedOff = await run.runtime.deps.store.getLead(leadId);
    const attempt = await run.request('POST', `/leads/${leadId}/attempts`, {
      json: { outcome: 'connected' },
    });
    await run.settle();
    const erased = await run.request('DELETE', `/leads/${leadId}`);
    // Assert
    expect(posted.status).toBe(202);
    expect(handedOff?.ownerId).toBeTruthy();
    expect(attempt.status, attempt.text).toBeLessThan(300);
    expect(erased.status, erased.text).toBe(200);
    expect(denied(checks)).toEqual([]);
    const roles = new Set(checks.map((check) => check.role));
    for (const role of [
      'Api-lead-form',
      'StateMachine',
      'Advance',
      'Park',
      'Api-lead-api',
      'Api-lead-erase',
    ]) {
      expect(roles, role).toContain(role);
    }
    expect(checks.map((c) => `${c.role} ${c.action}`)).toEqual(
      expect.arrayContaining([
        'Api-lead-form states:StartExecution',
        'Api-lead-form secretsmanager:GetSecretValue',
        'StateMachine lambda:InvokeFunction',
        'Advance dynamodb:Query',
        'Advance ses:SendEmail',
        'Advance dynamodb:UpdateItem',
        'Api-lead-api states:SendTaskSuccess',
        'Api-lead-erase states:StopExecution',
      ]),
    );
  }, 60_000);

  it.each<[string, string, string]>([
    // the list's owner no SLA names: looked up in the owner index before the 400 (lead-list.ts requireKnownOwner)
    ['/leads?owner=matz', 'owner', 'Api-lead-queries dynamodb:Query'],
    // a subscription configured nowhere: each status read once more before the 400 (ADR 0084, amended)
    ['/webhooks/deliveries?subscription=nosuch', 'subscription', 'Api-webhooks dynamodb:Query'],
  ])(
    'with the real grants: GET %s reads what its role may, then refuses naming %s',
    async (target, parameter, read) => {
      // Arrange
      const checks: IamCheck[] = [];
      const run = await start(profile, checks);
      // Act
      const response = await run.request('GET', target, { token: E2E_ADMIN_TOKEN });
      // Assert
      expect(response.status, response.text).toBe(400);
      const body = response.body as { error: { fields: { path: string }[] } };
      expect(body.error.fields.map((field) => field.path)).toEqual([parameter]);
      expect(denied(checks)).toEqual([]);
      expect(checks.map((c) => `${c.role} ${c.action}`)).toContain(read);
    },
    60_000,
  );

  it('with a mail domain (Easy DKIM) and out of the SES sandbox, as cdk.json may say: the rep gets the handoff email, as on AWS', async () => {
    // Arrange: the stack verifies the domain, not the address; SES authorizes a send from an address on it
    // against the domain identity, which is what the senders are granted
    const domainProfile = await synthesizeIamProfile({
      mailDomain: 'example.org',
      senderEmail: 'leads@example.org',
      sesSandbox: false,
    });
    const checks: IamCheck[] = [];
    const run = await start(domainProfile, checks);
    // Act
    await run.postLead({ email: 'domain-mail@plant.example', ...SQL_LEAD });
    await run.settle();
    // Assert
    expect(denied(checks)).toEqual([]);
    expect(checks.filter((c) => c.action === 'ses:SendEmail' && c.allowed)).not.toEqual([]);
    expect((await run.mails()).map((mail) => mail.subject)).toContainEqual(expect.stringMatching(/^New SQL/));
  }, 120_000);

  it("without the rotation grant, the handoff (Advance's, then the Handoff state's: ADR 0049) is denied as on AWS: AccessDenied, logged, the failure recorded", async () => {
    // Arrange: the profile as if TakeRotationTurns had been left out of the stack
    const errors: string[] = [];
    vi.spyOn(console, 'error').mockImplementation((line: unknown) => {
      errors.push(String(line));
    });
    const run = await start(
      withStatements(
        withStatements(profile, 'Advance', (statements) =>
          statements.filter((statement) => statement.Sid !== 'TakeRotationTurns'),
        ),
        'Handoff',
        (statements) => statements.filter((statement) => statement.Sid !== 'TakeRotationTurns'),
      ),
    );
    // Act
    const posted = await run.postLead({ email: 'denied@plant.example', ...SQL_LEAD });
    await run.settle();
    const leadId = (posted.body as { leadId: string }).leadId;
    const lead = await run.runtime.deps.store.getLead(leadId);
    // Assert: one log line names the role, the action and the resource
    const lines = errors.map((text) => {
      try {
        return JSON.parse(text) as Record<string, string>;
      } catch {
        return undefined;
      }
    });
    const denials = lines.filter((entry) => entry?.msg === 'IAM denied (AccessDeniedException)');
    for (const role of ['Advance', 'Handoff'])
      expect(denials).toContainEqual(
        expect.objectContaining({
          role,
          action: 'dynamodb:UpdateItem',
          resource: 'arn:aws:dynamodb:us-east-1:000000000000:table/leadpact-local',
        }),
      );
    expect(lines).toContainEqual(
      expect.objectContaining({ msg: 'advance: the handoff failed, the Handoff state takes it', leadId }),
    );
    expect(lead?.ownerId).toBeUndefined();
    expect(JSON.stringify(lead?.workflowError)).toContain('AccessDeniedException');
  }, 60_000);

  it("without the state machine's grant to invoke Park, the park is denied as on AWS, and the failure is recorded on the lead", async () => {
    // Arrange: the state machine's role as if Park had been left out of InvokeTaskFunctions
    const checks: IamCheck[] = [];
    vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const park = profile.stateMachine!.taskFunctions.ParkFunctionArn!;
    const run = await start(
      withStateMachineStatements(profile, (statements) =>
        statements.map((statement) =>
          statement.Sid === 'InvokeTaskFunctions'
            ? { ...statement, Resource: [statement.Resource ?? []].flat().filter((arn) => arn !== park) }
            : statement,
        ),
      ),
      checks,
    );
    // Act
    const posted = await run.postLead({ email: 'nopark@plant.example', ...SQL_LEAD });
    await run.settle();
    const lead = await run.runtime.deps.store.getLead((posted.body as { leadId: string }).leadId);
    // Assert: Advance ran (its invoke allowed) and handed the lead off (ADR 0049); Park's invoke was denied by
    // the role, so no token was stored, and the failure is on the lead
    expect(park).toMatch(/^arn:aws:lambda:us-east-1:000000000000:function:/);
    expect(new Set(denied(checks))).toEqual(new Set([`StateMachine lambda:InvokeFunction ${park}`]));
    expect(checks.filter((c) => c.role === 'StateMachine' && c.allowed).length).toBeGreaterThan(0);
    expect(lead?.stage).toBe('sql');
    expect(lead?.ownerId).toBeTruthy();
    expect(lead?.waitToken).toBeUndefined();
    expect(JSON.stringify(lead?.workflowError)).toContain('AccessDeniedException');
  }, 60_000);

  it('without the form function StartExecution grant, a new lead is stored but its start is denied', async () => {
    // Arrange
    const checks: IamCheck[] = [];
    vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const run = await start(
      withStatements(profile, 'Api-lead-form', (statements) =>
        statements.filter((statement) => statement.Sid !== 'StartLeadWorkflow'),
      ),
      checks,
    );
    // Act
    await run.postLead({ email: 'nostart@plant.example', ...SQL_LEAD });
    await run.settle();
    // Assert
    expect(denied(checks)).toEqual([
      expect.stringMatching(
        /^Api-lead-form states:StartExecution arn:aws:states:us-east-1:000000000000:stateMachine:LeadPact-lead-lifecycle$/,
      ),
    ]);
    expect(run.runtime.engine.active()).toEqual([]);
  }, 60_000);
});
