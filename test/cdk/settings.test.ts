/**
 * Deployment settings: cdk.json and the defaults agree, bad settings and an invalid SLA stop synth with
 * the reason (for the SLA, exactly what `leadpact sla validate` prints), and the other settings change
 * what is deployed: JWT authorization, the ops email, the SES sandbox grant. The variant synth skips
 * esbuild (it asserts wiring only; stack.test.ts bundles every function).
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CfnElement } from 'aws-cdk-lib';
import { Match } from 'aws-cdk-lib/assertions';
import type { CfnRole } from 'aws-cdk-lib/aws-iam';
import { beforeAll, describe, expect, it } from 'vitest';
import { formatSlaErrors } from '../../bin/commands/validate.ts';
import { ROUTES } from '../../lambdas/api/routes.ts';
import { routeKey } from '../../lambdas/aws/shared/api-groups.ts';
import { ENV } from '../../lambdas/aws/shared/env.ts';
import { parseSla } from '../../lambdas/domain/sla-file.ts';
import { FORM_ROUTES } from '../../lib/api.ts';
import { ConfigError, cdkJsonContext, DEFAULT_CONTEXT, readConfig } from '../../lib/config.ts';
import { SES_SANDBOX_MESSAGE } from '../../lib/leadpact-stack.ts';
import { PROJECT_ROOT } from '../../lib/paths.ts';
import { isAllowed } from '../../local/iam/evaluate.ts';
import {
  type CfnTemplate,
  FAKE_ACCOUNT,
  FAKE_PARTITION,
  FAKE_REGION,
  roleStatements,
  templateResolver,
} from '../../local/iam/template-policy.ts';
import { runProcess } from '../support/run-process.ts';
import { actionsOf, type Synthesized, statementsOf, synthesize } from './synth.ts';

const INVALID_SLA = 'test/fixtures/sla/wrong-types.yaml';
const context = (settings: Record<string, unknown>) => (key: string) => settings[key];

const run = (command: string, args: string[], env: Record<string, string> = {}) =>
  runProcess(command, args, { cwd: PROJECT_ROOT, env: { ...process.env, ...env } });

describe('defaults', () => {
  it('cdk.json sets exactly the defaults lib/config.ts documents', () => {
    expect(cdkJsonContext()).toEqual(DEFAULT_CONTEXT);
    expect(JSON.parse(readFileSync(join(PROJECT_ROOT, 'cdk.json'), 'utf8')).app).toBe(
      'npx tsx bin/leadpact.ts',
    );
  });

  it('the defaults synthesize, and say which settings are placeholders', () => {
    // Act
    const config = readConfig(context({}));
    // Assert
    expect(config.slaFile).toBe('sla/default.yaml');
    expect(config.auth).toEqual({ mode: 'iam' });
    // a new account is in the SES sandbox
    expect(config.sesSandbox).toBe(true);
    expect(config.mailDomain).toBeUndefined();
    expect(config.placeholders.join('\n')).toMatch(/senderEmail[\s\S]*allowedOrigins[\s\S]*opsEmail/);
    expect(config.placeholders.at(-1)).toMatch(
      /^9 reps and managers in sla\/default\.yaml \(.+\) have example addresses/,
    );
  });

  it('the parsed SLA survives JSON unchanged (the functions get it as JSON)', () => {
    const config = readConfig(context({}));
    expect(JSON.parse(config.slaJson)).toEqual(config.sla);
  });
});

describe('an invalid SLA stops synth with the errors `leadpact sla validate` prints', () => {
  it('readConfig throws exactly formatSlaErrors of the file', () => {
    // Arrange
    const parsed = parseSla(readFileSync(join(PROJECT_ROOT, INVALID_SLA), 'utf8'));
    if (parsed.ok) throw new Error('the fixture should be invalid');
    // Act / Assert
    expect(() => readConfig(context({ slaFile: INVALID_SLA }))).toThrow(
      new ConfigError(formatSlaErrors(INVALID_SLA, parsed.errors)),
    );
  });

  it('the CDK app exits 1 printing the same lines as the CLI, and no stack trace', async () => {
    // Arrange
    const out = mkdtempSync(join(tmpdir(), 'leadpact-synth-'));
    try {
      // Act: as `cdk synth -c slaFile=...` runs the app
      const [app, cli] = await Promise.all([
        run(process.execPath, ['--import', 'tsx', 'bin/leadpact.ts'], {
          CDK_CONTEXT_JSON: JSON.stringify({ slaFile: INVALID_SLA }),
          CDK_OUTDIR: out,
        }),
        run(process.execPath, ['bin/leadpact-cli.js', 'sla', 'validate', INVALID_SLA]),
      ]);
      // Assert
      expect(cli.code).toBe(1);
      expect(app.code).toBe(1);
      expect(app.stderr.trim()).toBe(cli.stderr.trim());
      expect(app.stderr).not.toMatch(/\n\s+at /);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  }, 60_000);

  it('a missing SLA file is named', () => {
    expect(() => readConfig(context({ slaFile: 'sla/nope.yaml' }))).toThrow(
      /slaFile: cannot read sla\/nope\.yaml/,
    );
  });
});

describe('settings are checked before anything is built', () => {
  it.each<[string, Record<string, unknown>, RegExp]>([
    ['jwt without issuer and audience', { authMode: 'jwt' }, /jwtIssuer[\s\S]*jwtAudience/],
    ['an unknown auth mode', { authMode: 'cognito' }, /authMode: "iam" or "jwt"/],
    ['an origin with a path', { allowedOrigins: ['https://www.example.org/form'] }, /is not an origin/],
    ['no origin at all', { allowedOrigins: [] }, /at least one origin/],
    [
      'an origin in capitals',
      { allowedOrigins: ['https://WWW.Acme.example'] },
      /"https:\/\/WWW\.Acme\.example" is not an origin as browsers send it: write "https:\/\/www\.acme\.example"/,
    ],
    [
      'an origin with a trailing slash',
      { allowedOrigins: ['https://www.acme.example/'] },
      /write "https:\/\/www\.acme\.example" \(lower case, no trailing slash\)/,
    ],
    [
      '"*" beside origins',
      { allowedOrigins: ['*', 'https://a.example'] },
      /"\*" allows every origin: give it alone/,
    ],
    ['a sender that is no address', { senderEmail: 'leads' }, /senderEmail/],
    ['a retention CloudWatch does not offer', { logRetentionDays: 42 }, /logRetentionDays/],
    ['a rate that is not a number', { formRateLimit: 'fast' }, /formRateLimit/],
    ['an SQS concurrency below 2', { importMaxConcurrency: 1 }, /importMaxConcurrency/],
    ['a bounce rate above 1', { alarmBounceRate: 5 }, /alarmBounceRate/],
    ['a mail domain that is no domain', { mailDomain: 'not a domain' }, /mailDomain: "not a domain"/],
    [
      'a sender off the mail domain',
      { mailDomain: 'example.org', senderEmail: 'leads@example.com' },
      /senderEmail: "leads@example.com" is not on mailDomain example.org/,
    ],
    ['a MAIL FROM without a domain', { mailFromSubdomain: 'mail' }, /mailFromSubdomain: needs mailDomain/],
    [
      'a mail reserve over 90 %',
      { mailReservePercent: 95 },
      /mailReservePercent: expected a whole number from 0 to 90/,
    ],
    ['an unknown bot check', { botCheckProvider: 'captchaco' }, /botCheckProvider: "", "turnstile"/],
    [
      'a bot check without its secret',
      { botCheckProvider: 'hcaptcha' },
      /botCheckSecretArn: botCheckProvider needs/,
    ],
    [
      'a Typeform secret that is no ARN',
      { typeformSecretArn: 'typeform-secret' },
      /typeformSecretArn: the ARN/,
    ],
    [
      'a WAF window WAF does not offer',
      { formRateWindowSeconds: 90 },
      /formRateWindowSeconds: AWS WAF counts over/,
    ],
    // a deployed sender posts from AWS: no plain http (lead.created carries the contact), and no address
    // inside AWS or the function (the Lambda runtime API is on 127.0.0.1, instance metadata on 169.254.169.254)
    ...(
      [
        ['http://crm.example.com/hooks', /webhooks\[0\]\.url: .*https/],
        ['https://169.254.169.254/latest/meta-data/', /webhooks\[0\]\.url: .*internal/],
        ['https://127.0.0.1:9001/2018-06-01/runtime/invocation/next', /webhooks\[0\]\.url: .*internal/],
        ['https://0x7f000001/hooks', /webhooks\[0\]\.url: .*internal/],
        ['https://10.0.3.7/hooks', /webhooks\[0\]\.url: .*internal/],
        ['https://[::1]/hooks', /webhooks\[0\]\.url: .*internal/],
        ['https://[fd00:ec2::254]/hooks', /webhooks\[0\]\.url: .*internal/],
        ['https://[::ffff:169.254.169.254]/hooks', /webhooks\[0\]\.url: .*internal/],
        ['https://localhost/hooks', /webhooks\[0\]\.url: .*internal/],
        ['https://ip-10-0-0-1.ec2.internal/hooks', /webhooks\[0\]\.url: .*internal/],
        // localhost as a fully qualified name, and IPv6 forms that carry an internal IPv4 address
        ['https://localhost./hooks', /webhooks\[0\]\.url: .*internal/],
        ['https://metadata.google.internal./hooks', /webhooks\[0\]\.url: .*internal/],
        ['https://[::169.254.169.254]/hooks', /webhooks\[0\]\.url: .*internal/],
        ['https://[64:ff9b::a9fe:a9fe]/hooks', /webhooks\[0\]\.url: .*internal/],
        ['https://[2002:a9fe:a9fe::]/hooks', /webhooks\[0\]\.url: .*internal/],
        // a password in the URL would be in the template, the delivery log and every failure's log line
        ['https://integration:S3cr3t@crm.example.com/hooks', /webhooks\[0\]\.url: .*user name or password/],
      ] as const
    ).map(([url, message]): [string, Record<string, unknown>, RegExp] => [
      `a webhook to ${url}`,
      { webhooks: [{ url }] },
      message,
    ]),
    // the EventBridge bus is a subscriber under this id: a webhook of the same id shared its deliveries' ids
    // (the bus's came first, the webhook's were 'already added') and got none
    [
      'a webhook with the id of the EventBridge bus',
      { webhooks: [{ url: 'https://crm.example.com/hooks', id: 'eventbridge' }] },
      /webhooks\[0\]\.id: "eventbridge" is the EventBridge bus's/,
    ],
    // ignored, a misspelled key sent a receiver every event (events: the default) or signed with another key
    [
      'a webhook with a misspelled key',
      { webhooks: [{ id: 'crm', url: 'https://crm.example.com/hooks', event: ['lead.assigned'] }] },
      /webhooks\[0\]\.event: no such key \(did you mean events\?\)/,
    ],
    [
      'a webhook given -c as JSON, with a key no subscription takes',
      { webhooks: '[{"id":"crm","url":"https://crm.example.com/hooks","enabled":false}]' },
      /webhooks\[0\]\.enabled: no such key; to stop sending to a subscription, take it out of the list/,
    ],
  ])('%s', (_name, settings, message) => {
    expect(() => readConfig(context(settings))).toThrow(message);
  });

  it.each<[string, Record<string, unknown>, RegExp]>([
    [
      'a setting misspelled (its default would deploy in silence)',
      { mailReservePercnt: 0 },
      /mailReservePercnt: no such setting \(did you mean mailReservePercent\?\)/,
    ],
    ['a setting no one has', { colour: 'blue' }, /colour: no such setting; docs\/deploy\.md lists them/],
    [
      'a stack name CloudFormation refuses',
      { stackName: 'leadpact_staging' },
      /stackName: "leadpact_staging" is no CloudFormation stack name/,
    ],
    ['an empty stack name', { stackName: '' }, /stackName: "" is no CloudFormation stack name/],
  ])('refuses %s, naming it', (_name, settings, message) => {
    expect(() => readConfig(context(settings), undefined, Object.keys(settings))).toThrow(message);
  });

  it("takes CDK's own context keys and stackName as given", () => {
    const given = {
      '@aws-cdk/core:newStyleStackSynthesis': true,
      'aws:cdk:bundling-stacks': [],
      'acknowledged-issue-numbers': [1],
      stackName: 'LeadPact-staging',
    };
    expect(() => readConfig(context(given), undefined, Object.keys(given))).not.toThrow();
  });

  it('values from the command line (-c key=value) are text: lists, numbers and flags are read from it', () => {
    // Act
    const config = readConfig(
      context({
        allowedOrigins: 'https://www.example.org, https://shop.example.org',
        jwtAudience: '["a","b"]',
        authMode: 'jwt',
        jwtIssuer: 'https://auth.example.org/',
        formRateLimit: '7',
        sesSandbox: 'true',
      }),
    );
    // Assert
    expect(config.allowedOrigins).toEqual(['https://www.example.org', 'https://shop.example.org']);
    expect(config.auth).toEqual({ mode: 'jwt', issuer: 'https://auth.example.org/', audience: ['a', 'b'] });
    expect(config.throttle.form.rate).toBe(7);
    expect(config.sesSandbox).toBe(true);
  });
});

describe('a deployment with JWT authorization, an ops email and the SES sandbox', () => {
  let synth: Synthesized;
  const settings = {
    senderEmail: 'leads@example.org',
    allowedOrigins: ['https://www.example.org', 'https://shop.example.org'],
    authMode: 'jwt',
    jwtIssuer: 'https://auth.example.org/',
    jwtAudience: ['leadpact-api'],
    opsEmail: 'ops@example.org',
    sesSandbox: true,
    mailReservePercent: 25,
  };

  beforeAll(() => {
    synth = synthesize({ context: settings, bundle: false });
  }, 120_000);

  const roleOf = (name: string) =>
    synth.stack.getLogicalId(
      synth.stack.functions()[name]!.role.node.defaultChild as CfnRole as unknown as CfnElement,
    );

  it('authenticated routes use the JWT authorizer with the issuer and audience; public routes none', () => {
    // Arrange
    const routes = Object.values(synth.template.findResources('AWS::ApiGatewayV2::Route')).map(
      (r) => r.Properties,
    );
    const authorizers = synth.template.findResources('AWS::ApiGatewayV2::Authorizer');
    // Assert
    expect(Object.values(authorizers).map((a) => a.Properties)).toEqual([
      expect.objectContaining({
        AuthorizerType: 'JWT',
        IdentitySource: ['$request.header.Authorization'],
        JwtConfiguration: { Issuer: settings.jwtIssuer, Audience: settings.jwtAudience },
      }),
    ]);
    for (const route of ROUTES.filter((r) => !FORM_ROUTES.includes(routeKey(r)))) {
      const deployed = routes.find((candidate) => candidate.RouteKey === routeKey(route))!;
      // the console's session routes: the cookie is checked by the handler, API Gateway has no authorizer for it
      if (route.access === 'public' || route.access === 'session') {
        expect(deployed.AuthorizationType, routeKey(route)).toBe('NONE');
      } else {
        expect(deployed.AuthorizationType, routeKey(route)).toBe('JWT');
        expect(deployed.AuthorizerId, routeKey(route)).toEqual({ Ref: Object.keys(authorizers)[0] });
      }
    }
  });

  it.each([
    // each scope also in Amazon Cognito's form (<resource server>/<scope>): Cognito cannot issue `leads:read`
    ['GET /leads/{id}', ['leads:read', 'leads/read']],
    ['GET /leads', ['leads:read', 'leads/read']],
    ['GET /reports/sla', ['leads:read', 'leads/read']],
    ['POST /leads/{id}/events', ['leads:write', 'leads/write']],
    ['POST /leads/{id}/attempts', ['leads:write', 'leads/write']],
    ['PUT /leads/{id}/deal', ['leads:write', 'leads/write']],
    ['PATCH /leads/{id}/status', ['leads:write', 'leads/write']],
    ['DELETE /leads/{id}', ['leads:erase', 'leads/erase']],
    ['GET /webhooks/deliveries', ['webhooks:manage', 'webhooks/manage']],
    ['POST /sla/impact', ['sla:check', 'sla/check']],
    ['GET /consent/{token}', undefined],
  ])('%s needs one of the scopes %j (a token for the audience alone is not enough)', (key, scopes) => {
    const route = Object.values(synth.template.findResources('AWS::ApiGatewayV2::Route')).find(
      (r) => r.Properties.RouteKey === key,
    )!;
    expect(route.Properties.AuthorizationScopes).toEqual(scopes);
  });

  it('JWT mode creates no IAM policies for callers (the identity provider grants the scopes)', () => {
    expect(synth.template.findResources('AWS::IAM::ManagedPolicy')).toEqual({});
  });

  it('CORS admits both origins', () => {
    synth.template.hasResourceProperties('AWS::ApiGatewayV2::Api', {
      CorsConfiguration: Match.objectLike({ AllowOrigins: settings.allowedOrigins }),
    });
  });

  it('ops get the alarms by email, and RecordFailure may email them (through the sender identity only)', () => {
    synth.template.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'email',
      Endpoint: settings.opsEmail,
    });
    const sids = statementsOf(synth.template, roleOf('RecordFailure')).map((s) => s.Sid);
    expect(sids).toContain('SendEmailAsLeadPact');
    const env =
      synth.template.findResources('AWS::Lambda::Function')[
        synth.stack.getLogicalId(
          synth.stack.functions().RecordFailure!.function.node.defaultChild as CfnElement,
        )
      ]!.Properties.Environment.Variables;
    expect(env[ENV.opsEmail]).toBe(settings.opsEmail);
  });

  it.each([
    ['Advance', true],
    ['Handoff', false],
    ['Park', true],
    ['RecordFailure', false],
    ['Api-console', false],
  ])('%s reads the SES quota for the nurture reserve (ADR 0067): %s', (name, reads) => {
    // Arrange
    const fn = synth.stack.functions()[name]!;
    const env =
      synth.template.findResources('AWS::Lambda::Function')[
        synth.stack.getLogicalId(fn.function.node.defaultChild as CfnElement)
      ]!.Properties.Environment.Variables;
    // Act
    const quota = statementsOf(synth.template, roleOf(name)).find((s) => s.Sid === 'ReadSendQuota');
    // Assert
    expect(quota ? actionsOf(quota) : undefined).toEqual(reads ? ['ses:GetAccount'] : undefined);
    expect(env[ENV.mailReservePercent]).toBe(reads ? '25' : undefined);
  });

  it('in the SES sandbox, senders may address any verified identity, From pinned to the sender', () => {
    // Act
    const sandbox = statementsOf(synth.template, roleOf('Advance')).find(
      (s) => s.Sid === 'SendEmailToSandboxRecipients',
    )!;
    // Assert
    expect(actionsOf(sandbox)).toEqual(['ses:SendEmail']);
    expect(JSON.stringify(sandbox.Resource)).toContain(':identity/*');
    expect(sandbox.Condition).toEqual({ StringEquals: { 'ses:FromAddress': settings.senderEmail } });
  });

  it('cdk-nag: no unsuppressed error here either; the settings are no longer placeholders', () => {
    expect(synth.annotations.findError('*', Match.stringLikeRegexp('AwsSolutions-.*'))).toEqual([]);
    const warnings = synth.annotations.findWarning('*', Match.anyValue()).map((w) => String(w.entry.data));
    expect(warnings.filter((w) => /senderEmail|allowedOrigins|opsEmail/.test(w))).toEqual([]);
    // the example SLA's team is fictional: that warning stays until the SLA names real people
    expect(warnings.filter((w) => w.includes('have example addresses'))).toHaveLength(1);
  });
});

describe('email that arrives: a domain identity with Easy DKIM, a custom MAIL FROM, the DNS records to add', () => {
  let synth: Synthesized;
  const settings = {
    senderEmail: 'leads@example.org',
    mailDomain: 'example.org',
    mailFromSubdomain: 'mail',
    sesSandbox: false,
    mailReservePercent: 0,
    botCheckProvider: 'turnstile',
    botCheckSecretArn: 'arn:aws:secretsmanager:eu-central-1:123456789012:secret:leadpact/turnstile-AbCdEf',
    typeformSecretArn: 'arn:aws:secretsmanager:eu-central-1:123456789012:secret:leadpact/typeform-AbCdEf',
  };

  beforeAll(() => {
    synth = synthesize({ context: settings, bundle: false });
  }, 120_000);

  it('one identity: the domain, signing with Easy DKIM, MAIL FROM mail.example.org, in the configuration set', () => {
    const identities = Object.values(synth.template.findResources('AWS::SES::EmailIdentity'));
    expect(identities.map((i) => i.Properties)).toEqual([
      expect.objectContaining({
        EmailIdentity: 'example.org',
        DkimAttributes: { SigningEnabled: true },
        MailFromAttributes: { MailFromDomain: 'mail.example.org', BehaviorOnMxFailure: 'USE_DEFAULT_VALUE' },
        ConfigurationSetAttributes: { ConfigurationSetName: expect.anything() },
      }),
    ]);
  });

  it('the senders may send as the domain identity (no sandbox grant once out of the sandbox)', () => {
    const role = synth.stack.getLogicalId(
      synth.stack.functions().Advance!.role.node.defaultChild as CfnRole as unknown as CfnElement,
    );
    const statements = statementsOf(synth.template, role);
    const send = statements.find((s) => s.Sid === 'SendEmailAsLeadPact')!;
    const domainIdentity = synth.stack.getLogicalId(
      synth.stack.mail.identity.node.defaultChild as unknown as CfnElement,
    );
    expect(JSON.stringify(send.Resource)).toContain(`":identity/",{"Ref":"${domainIdentity}"}`);
    expect(statements.map((s) => s.Sid)).not.toContain('SendEmailToSandboxRecipients');
    // no reserve (mailReservePercent 0): no quota to read
    expect(statements.map((s) => s.Sid)).not.toContain('ReadSendQuota');
  });

  it.each([['Advance'], ['Handoff'], ['Park'], ['Api-console']])(
    '%s may send from the sender address only, not from any other address of the domain',
    (name) => {
      // Arrange: the role as AWS evaluates it. Only the domain is verified, so SES authorizes a send from any
      // address on it against the domain identity (and the configuration set), with ses:FromAddress the address
      const template = synth.template.toJSON() as CfnTemplate;
      const statements = roleStatements(
        template,
        synth.stack.getLogicalId(
          synth.stack.functions()[name]!.role.node.defaultChild as CfnRole as unknown as CfnElement,
        ),
        templateResolver(template),
      );
      const resources = [
        `arn:${FAKE_PARTITION}:ses:${FAKE_REGION}:${FAKE_ACCOUNT}:identity/example.org`,
        ...statements
          .flatMap((statement) => [statement.Resource ?? []].flat())
          .filter((resource) => resource.includes(':configuration-set/')),
      ];
      const mayFrom = (address: string) =>
        resources.every((resource) =>
          isAllowed(statements, {
            action: 'ses:SendEmail',
            resource,
            context: { 'ses:FromAddress': address },
          }),
        );
      // Act, Assert
      expect(resources).toHaveLength(2);
      expect(mayFrom(settings.senderEmail)).toBe(true);
      expect(mayFrom('ceo@example.org')).toBe(false);
    },
  );

  it('outputs the DNS records: three DKIM CNAMEs, the MAIL FROM MX and SPF, a DMARC record', () => {
    const outputs = synth.template.findOutputs('*');
    const text = JSON.stringify(outputs.DnsRecords!.Value);
    expect(text.match(/ CNAME /g)).toHaveLength(3);
    expect(text).toContain('mail.example.org MX 10 feedback-smtp.');
    expect(text).toContain('mail.example.org TXT \\"v=spf1 include:amazonses.com ~all\\"');
    expect(text).toContain('_dmarc.example.org TXT \\"v=DMARC1; p=none;');
    // each record as it is pasted at a DNS provider: the DMARC one ends with its value, no advice after it
    expect(text).toMatch(/rua=mailto:dmarc-reports@example\.org\\""\]\]\}$/);
    expect(JSON.stringify(outputs.InboxSetup!.Value)).toContain(
      'Add the DNS records of the DnsRecords output',
    );
  });

  it.each([
    [
      'the bot check’s provider secret',
      'ReadBotCheckSecret',
      settings.botCheckSecretArn,
      ENV.botCheckSecretArn,
    ],
    ['Typeform’s signing secret', 'ReadTypeformSecret', settings.typeformSecretArn, ENV.typeformSecretArn],
  ])('%s: only the form function may read it, and is told its ARN', (_, sid, arn, variable) => {
    const reading = Object.entries(synth.stack.functions()).filter(([, fn]) => {
      const role = synth.stack.getLogicalId(fn.role.node.defaultChild as CfnRole as unknown as CfnElement);
      return statementsOf(synth.template, role).some((s) => s.Sid === sid);
    });
    expect(reading.map(([name]) => name)).toEqual(['Api-lead-form']);
    const fn = synth.stack.functions()['Api-lead-form']!;
    const role = synth.stack.getLogicalId(fn.role.node.defaultChild as CfnRole as unknown as CfnElement);
    const statement = statementsOf(synth.template, role).find((s) => s.Sid === sid)!;
    expect(statement.Resource).toBe(arn);
    const env =
      synth.template.findResources('AWS::Lambda::Function')[
        synth.stack.getLogicalId(fn.function.node.defaultChild as CfnElement)
      ]!.Properties.Environment.Variables;
    expect(env[variable]).toBe(arn);
  });

  it('the bot check knows its provider', () => {
    const fn = synth.stack.functions()['Api-lead-form']!;
    const env =
      synth.template.findResources('AWS::Lambda::Function')[
        synth.stack.getLogicalId(fn.function.node.defaultChild as CfnElement)
      ]!.Properties.Environment.Variables;
    expect(env[ENV.botCheckProvider]).toBe('turnstile');
  });

  it('out of the sandbox, no synth-time sandbox message', () => {
    const warnings = synth.annotations.findWarning('*', Match.stringLikeRegexp('sesSandbox is true'));
    expect(warnings).toEqual([]);
  });
});

describe('the SES sandbox default says what it means at synth', () => {
  it('a warning names the sandbox, what it does to email, and how to turn it off', () => {
    const synth = synthesize({ bundle: false });
    const warnings = synth.annotations
      .findWarning('*', Match.stringLikeRegexp('sesSandbox is true'))
      .map((w) => String(w.entry.data));
    expect(warnings).toEqual([SES_SANDBOX_MESSAGE + ' [ack: leadpact:ses-sandbox]']);
    expect(SES_SANDBOX_MESSAGE).toMatch(/only to verified addresses[\s\S]*-c sesSandbox=false/);
  }, 120_000);
});

describe('a webhook URL in the template is the sender’s alone', () => {
  it('the signing key’s secret describes its subscription by the redacted URL (a Slack URL is the credential)', () => {
    // Arrange
    const token = 'kB8vZq3Wn5YtR2xLp9MdHs4F';
    const url = `https://hooks.slack.com/services/T024BE7LD/B06KQ7Z1X9P/${token}`;
    // Act
    const synth = synthesize({ context: { webhooks: [{ id: 'slack', url }] }, bundle: false });
    // Assert: DescribeSecret and ListSecrets show a description to more than those who may read the key
    const secrets = Object.values(synth.template.findResources('AWS::SecretsManager::Secret')).map((secret) =>
      String((secret as { Properties: { Description?: string } }).Properties.Description),
    );
    const described = secrets.filter((description) => description.includes('subscription slack'));
    expect(described).toEqual([
      'LeadPact: the Standard Webhooks signing key of subscription slack (https://hooks.slack.com/services/***/***/***); the receiver\'s key is "whsec_" + this value',
    ]);
  }, 120_000);
});
