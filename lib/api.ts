/**
 * The HTTP API (docs/decisions/0007-http-api.md): every route of lambdas/api/routes.ts, each served by
 * the function of its group (lambdas/aws/shared/api-groups.ts) with exactly that group's permissions. Public
 * routes take no credentials (the web form, health, links in emails: their signed token is the
 * credential); the rest sit behind IAM (SigV4) or a JWT authorizer, by context authMode. The $default
 * stage throttles all routes, POST /leads harder, logs every request as JSON (no IP, no path: no
 * personal data), and CORS admits the allowed origins.
 */
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import {
  CorsHttpMethod,
  HttpApi,
  HttpMethod,
  HttpNoneAuthorizer,
  HttpRoute,
  HttpRouteKey,
  HttpStage,
  type IHttpRouteAuthorizer,
  LogGroupLogDestination,
} from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpIamAuthorizer, HttpJwtAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import { ManagedPolicy, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { LogGroup } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { ROUTES } from '../lambdas/api/routes.ts';
import {
  type ApiFunctionGroup,
  DEFAULT_ROUTE_KEY,
  groupOf,
  routeKey,
  UNKNOWN_ADDRESS_GROUP,
} from '../lambdas/aws/shared/api-groups.ts';
import { ENV } from '../lambdas/aws/shared/env.ts';
import { BUS_SUBSCRIPTION_ID } from '../lambdas/domain/webhook-config.ts';
import type { LeadPactConfig } from './config.ts';
import { LeadPactFunction } from './leadpact-function.ts';
import type { Mail } from './mail.ts';
import { suppress, XRAY_WILDCARD } from './nag.ts';
import type { LeadPactSecrets } from './secrets.ts';
import type { LeadStore } from './store.ts';
import type { LeadWorkflow } from './workflow.ts';

export interface LeadPactApiProps {
  readonly config: LeadPactConfig;
  readonly store: LeadStore;
  readonly workflow: LeadWorkflow;
  readonly secrets: LeadPactSecrets;
  /** the console's sign-in emails */
  readonly mail: Mail;
}

/** What each group's function may do, in grants. */
type GroupGrants = (fn: LeadPactFunction, props: LeadPactApiProps) => void;

interface GroupSpec {
  readonly description: string;
  readonly memorySize: number;
  readonly grants: GroupGrants;
  /** false: the function does not run the SLA (the SLA's version is in its environment instead) */
  readonly runsSla?: false;
  /**
   * it reads the webhook delivery log: the configured subscriptions' ids are in its environment, so a filter
   * naming none of them (and nothing in the log) is refused, not answered empty
   */
  readonly readsDeliveryLog?: true;
}

const GROUPS: Record<ApiFunctionGroup, GroupSpec> = {
  'lead-form': {
    description: 'POST /leads: the public web form',
    memorySize: 512,
    grants: (fn, { store, workflow, secrets, config }) => {
      store.grantReadWriteLeads(fn);
      workflow.grantStart(fn);
      workflow.grantSignal(fn);
      store.grantTakeWaitToken(fn);
      secrets.grantLeadIdKey(fn);
      // the optional bot check (docs/security.md): the provider's secret key, read once at init
      if (config.botCheck) {
        fn.allow(
          new PolicyStatement({
            sid: 'ReadBotCheckSecret',
            actions: ['secretsmanager:GetSecretValue'],
            resources: [config.botCheck.secretArn],
          }),
        );
        fn.addEnvironment(ENV.botCheckProvider, config.botCheck.provider);
        fn.addEnvironment(ENV.botCheckSecretArn, config.botCheck.secretArn);
      }
      // Typeform's webhook signing secret (docs/forms.md#typeform), read once at init
      if (config.typeformSecretArn) {
        fn.allow(
          new PolicyStatement({
            sid: 'ReadTypeformSecret',
            actions: ['secretsmanager:GetSecretValue'],
            resources: [config.typeformSecretArn],
          }),
        );
        fn.addEnvironment(ENV.typeformSecretArn, config.typeformSecretArn);
      }
    },
  },
  health: {
    description: 'GET /health',
    memorySize: 256,
    grants: () => undefined,
    runsSla: false,
  },
  'lead-api': {
    description: 'Authenticated lead routes: events, attempts, deal, status, read',
    memorySize: 512,
    grants: (fn, { store, workflow }) => {
      store.grantReadWriteLeads(fn);
      workflow.grantSignal(fn);
      store.grantTakeWaitToken(fn);
      // an event for a dormant lead starts its next generation (StartExecution)
      workflow.grantStart(fn);
    },
  },
  'lead-queries': {
    description: 'Lead lists and the SLA report: read only, served by the indexes',
    memorySize: 1024,
    grants: (fn, { store }) => {
      store.grantQueryLeads(fn);
    },
  },
  'sla-impact': {
    description: 'POST /sla/impact: a new SLA file checked against the leads in flight, read only',
    memorySize: 1024,
    grants: (fn, { store }) => {
      store.grantSurveyLeads(fn);
    },
  },
  'lead-erase': {
    description: 'DELETE /leads/{id}: erase a lead',
    memorySize: 512,
    grants: (fn, { store, workflow }) => {
      store.grantReadWriteLeads(fn);
      store.grantEraseHistory(fn);
      workflow.grantStop(fn);
    },
  },
  console: {
    description: 'The console for reps, managers and ops: pages, sign-in by email link, form posts',
    memorySize: 1024,
    grants: (fn, { store, workflow, secrets, mail }) => {
      // reads and writes leads (attempts, deals, status, owner, fields) and the used sign-in links
      store.grantReadWriteLeads(fn);
      // lists and the report, from the indexes
      store.grantQueryLeads(fn);
      workflow.grantSignal(fn);
      store.grantTakeWaitToken(fn);
      workflow.grantStart(fn);
      // the key that signs sign-in links, sessions and CSRF tokens (the action links' key)
      secrets.grantActionLinkKey(fn);
      // sign-in links by email, counted per person against the hour's and the day's caps
      mail.grantSend(fn);
      store.grantCountSignInEmails(fn);
      // events out's delivery log for ops: failing endpoints, replay (lambdas/api/console/webhooks.ts)
      store.grantWebhookLog(fn);
    },
    readsDeliveryLog: true,
  },
  'email-links': {
    description: 'One-click action, unsubscribe and consent links from emails',
    memorySize: 512,
    grants: (fn, { store, workflow, secrets }) => {
      store.grantReadWriteLeads(fn);
      workflow.grantSignal(fn);
      store.grantTakeWaitToken(fn);
      // an action or an unsubscribe on a dormant lead starts its next generation (StartExecution)
      workflow.grantStart(fn);
      secrets.grantActionLinkKey(fn);
    },
  },
  webhooks: {
    description: 'The webhook delivery log and its replay',
    memorySize: 256,
    grants: (fn, { store }) => {
      store.grantWebhookLog(fn);
    },
    readsDeliveryLog: true,
  },
};

/**
 * Who may call what (JWT mode: the scopes a token must carry; IAM mode: the managed policies): every
 * authenticated route in exactly one group. `leads:read` reads a lead's story (personal data),
 * `leads:write` posts events, attempts, deals and statuses, `leads:erase` erases a lead, `sla:check` checks a
 * new SLA file against the leads in flight (ops, before a deploy: it lists leads with their email).
 */
export const ROUTE_SCOPES = {
  'leads:read': ['GET /leads/{id}', 'GET /leads', 'GET /reports/sla'],
  'leads:write': [
    'POST /leads/{id}/events',
    'POST /leads/{id}/attempts',
    'PUT /leads/{id}/deal',
    'PATCH /leads/{id}/status',
    'POST /leads/{id}/owner',
    'PATCH /leads/{id}/fields',
  ],
  'leads:erase': ['DELETE /leads/{id}'],
  'webhooks:manage': ['GET /webhooks/deliveries', 'POST /webhooks/deliveries/{id}/replay'],
  'sla:check': ['POST /sla/impact'],
} as const satisfies Record<string, readonly string[]>;

export type RouteScope = keyof typeof ROUTE_SCOPES;

/**
 * The scopes a JWT may carry for a route of `scope`: the scope itself (`leads:read`: Auth0, Okta, Entra
 * ID, Keycloak name scopes freely) or Amazon Cognito's form of it, `<resource server>/<scope>`
 * (`leads/read`: Cognito always joins a resource server's identifier and the scope's name with a
 * slash, so it cannot issue `leads:read`). API Gateway lets a token through with any one of them.
 */
export function acceptedScopes(scope: RouteScope): string[] {
  return [scope, scope.replace(':', '/')];
}

/** The scope of an authenticated route key; undefined for a route in no group (a test forbids that). */
export function scopeOf(key: string): RouteScope | undefined {
  return (Object.keys(ROUTE_SCOPES) as RouteScope[]).find((scope) =>
    (ROUTE_SCOPES[scope] as readonly string[]).includes(key),
  );
}

/** Routes served by the public form's REST API (lib/form-api.ts) instead of the HTTP API. */
export const FORM_ROUTES: readonly string[] = ['POST /leads'];

/** What an integration (CRM, tracker) may call in IAM mode: read and write, never erase. */
export const INTEGRATION_SCOPES: readonly RouteScope[] = ['leads:read', 'leads:write'];
/** What ops may call in IAM mode: everything behind the authorizer, erase included. */
export const ADMIN_SCOPES: readonly RouteScope[] = [
  'leads:read',
  'leads:write',
  'leads:erase',
  'webhooks:manage',
  'sla:check',
];

/** The access log line: what happened to which route, never who (no IP) or which lead (no path). */
const ACCESS_LOG = AccessLogFormat.custom(
  JSON.stringify({
    requestId: '$context.requestId',
    time: '$context.requestTime',
    routeKey: '$context.routeKey',
    status: '$context.status',
    protocol: '$context.protocol',
    responseLength: '$context.responseLength',
    latencyMs: '$context.responseLatency',
    integrationStatus: '$context.integrationStatus',
    integrationLatencyMs: '$context.integrationLatency',
    integrationError: '$context.integrationErrorMessage',
    authorizerError: '$context.authorizer.error',
    error: '$context.error.message',
  }),
);

export class LeadPactApi extends Construct {
  readonly httpApi: HttpApi;
  readonly stage: HttpStage;
  readonly functions: Readonly<Record<ApiFunctionGroup, LeadPactFunction>>;
  readonly routes: ReadonlyMap<string, HttpRoute>;
  /** IAM mode: managed policies to attach to the integration's and the ops' IAM principals */
  readonly integrationPolicy?: ManagedPolicy;
  readonly adminPolicy?: ManagedPolicy;

  constructor(scope: Construct, id: string, props: LeadPactApiProps) {
    super(scope, id);
    const { config } = props;

    this.httpApi = new HttpApi(this, 'Http', {
      description: 'LeadPact API',
      createDefaultStage: false,
      corsPreflight: {
        allowOrigins: [...config.allowedOrigins],
        allowMethods: [CorsHttpMethod.GET, CorsHttpMethod.POST, CorsHttpMethod.OPTIONS],
        allowHeaders: ['content-type'],
        maxAge: Duration.minutes(10),
      },
    });

    const functions = {} as Record<ApiFunctionGroup, LeadPactFunction>;
    for (const [group, spec] of Object.entries(GROUPS) as [ApiFunctionGroup, GroupSpec][]) {
      const fn = new LeadPactFunction(this, pascal(group), {
        entry: `api-${group}.ts`,
        description: spec.description,
        timeout: Duration.seconds(15),
        memorySize: spec.memorySize,
        logRetention: config.logRetention,
        ...(spec.runsSla === false ? {} : { slaJson: config.slaJson }),
        environment: {
          [ENV.allowedOrigins]: config.allowedOrigins.join(','),
          ...(spec.runsSla === false
            ? {
                [ENV.slaVersion]: config.sla.version,
                [ENV.slaLocales]: JSON.stringify({
                  default: config.sla.locales.default,
                  supported: config.sla.locales.supported,
                }),
              }
            : {}),
          ...(spec.readsDeliveryLog
            ? {
                [ENV.webhookIds]: [BUS_SUBSCRIPTION_ID, ...config.webhooks.map((webhook) => webhook.id)].join(
                  ',',
                ),
              }
            : {}),
        },
      });
      spec.grants(fn, props);
      suppress(fn, XRAY_WILDCARD);
      functions[group] = fn;
    }
    this.functions = functions;

    const integrations = Object.fromEntries(
      Object.entries(functions).map(([group, fn]) => [
        group,
        new HttpLambdaIntegration(`${pascal(group)}Integration`, fn.function),
      ]),
    ) as Record<ApiFunctionGroup, HttpLambdaIntegration>;

    const authorizer: IHttpRouteAuthorizer =
      config.auth.mode === 'jwt'
        ? new HttpJwtAuthorizer('Jwt', config.auth.issuer, { jwtAudience: config.auth.audience })
        : new HttpIamAuthorizer();

    const routes = new Map<string, HttpRoute>();
    for (const route of ROUTES) {
      const key = routeKey(route);
      // the public form is served by its own REST API behind AWS WAF (lib/form-api.ts, ADR 0015): not
      // here, where WAF cannot reach and a bot could go round the per-client limit
      if (FORM_ROUTES.includes(key)) continue;
      const group = groupOf(key);
      if (!group)
        throw new Error(`no function serves ${key}: add it to a group in lambdas/aws/shared/api-groups.ts`);
      // session: the console's cookie is the credential, checked by its handler (lambdas/api/console/session.ts);
      // API Gateway cannot read it, so these routes have no authorizer and no scope, by design (ADR 0017)
      const open = route.access === 'public' || route.access === 'session';
      const scope = open ? undefined : scopeOf(key);
      if (!open && !scope)
        throw new Error(`${key} is authenticated but has no scope: add it to ROUTE_SCOPES in lib/api.ts`);
      if (open && scopeOf(key))
        throw new Error(
          `${key} is ${route.access}: it takes no authorizer, so it must not be in ROUTE_SCOPES`,
        );
      const httpRoute = new HttpRoute(this, `Route${pascal(`${route.method} ${route.path}`)}`, {
        httpApi: this.httpApi,
        routeKey: HttpRouteKey.with(route.path, HttpMethod[route.method]),
        integration: integrations[group],
        authorizer: open ? new HttpNoneAuthorizer() : authorizer,
        // JWT: the token must carry the route's scope (any token for the audience is not enough)
        ...(scope && config.auth.mode === 'jwt' ? { authorizationScopes: acceptedScopes(scope) } : {}),
      });
      if (open) {
        suppress(httpRoute, {
          id: 'AwsSolutions-APIG4',
          reason: key.includes(' /console')
            ? `${key} belongs to the console: its credential is the signed, HttpOnly session cookie (or, for sign-in, the signed single-use link), checked by the handler (lambdas/api/console/session.ts, ADR 0017); API Gateway's authorizers cannot read a cookie.`
            : key === 'GET /health'
              ? 'GET /health is a liveness check for monitors; it answers the SLA version and the time, nothing about leads.'
              : key === 'GET /forms/{file}'
                ? "GET /forms/{file} serves the embeddable form's script for a website: the SLA's form names, nothing about leads."
                : `${key} is opened from a link in an email: the HMAC-signed, expiring, single-use token in the path is the credential (lambdas/domain/action-links.ts); GET only shows a confirmation page.`,
        });
      }
      routes.set(key, httpRoute);
    }
    // any other address, or a method its path does not take (a mistyped link, an old bookmark): the health
    // function's answer, a page for a browser and the API's JSON error for a program, instead of API Gateway's own
    // `{"message":"Not Found"}` (lambdas/api/unknown-address.ts, ADR 0077). API Gateway answers CORS preflights
    // before any route, so this one never sees them.
    const unknownAddress = new HttpRoute(this, 'RouteDefault', {
      httpApi: this.httpApi,
      routeKey: HttpRouteKey.DEFAULT,
      integration: integrations[UNKNOWN_ADDRESS_GROUP],
      authorizer: new HttpNoneAuthorizer(),
    });
    suppress(unknownAddress, {
      id: 'AwsSolutions-APIG4',
      reason:
        '$default answers an address no route has (404) or a method its path does not take (405): a page or a JSON error naming no lead, from the health function, which holds no permission, key or data.',
    });
    routes.set(DEFAULT_ROUTE_KEY, unknownAddress);
    this.routes = routes;
    if (config.auth.mode === 'iam') {
      this.integrationPolicy = this.invokePolicy(
        'IntegrationPolicy',
        'LeadPact API for integrations (CRM, tracker): read leads, post events, attempts, deals and statuses; no erase',
        INTEGRATION_SCOPES,
      );
      this.adminPolicy = this.invokePolicy(
        'AdminPolicy',
        'LeadPact API for ops: every authenticated route, erase included',
        ADMIN_SCOPES,
      );
    }

    const accessLogs = new LogGroup(this, 'AccessLogs', {
      retention: config.logRetention,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    this.stage = new HttpStage(this, 'DefaultStage', {
      httpApi: this.httpApi,
      stageName: '$default',
      autoDeploy: true,
      throttle: { rateLimit: config.throttle.api.rate, burstLimit: config.throttle.api.burst },
      accessLogSettings: { destination: new LogGroupLogDestination(accessLogs), format: ACCESS_LOG },
    });
  }

  /** A managed policy allowing execute-api:Invoke on the routes of `scopes`, on the $default stage only. */
  private invokePolicy(id: string, description: string, scopes: readonly RouteScope[]): ManagedPolicy {
    const resources = scopes.flatMap((scope) =>
      ROUTE_SCOPES[scope].map((key) => {
        const [method, path] = key.split(' ') as [string, string];
        return this.httpApi.arnForExecuteApi(method, path.replace(/\{[^}]+\}/g, '*'), '$default');
      }),
    );
    const policy = new ManagedPolicy(this, id, {
      description,
      statements: [
        new PolicyStatement({ sid: 'InvokeLeadPactApi', actions: ['execute-api:Invoke'], resources }),
      ],
    });
    suppress(policy, {
      id: 'AwsSolutions-IAM5',
      reason:
        'The * stands for the lead id in the route path (/leads/{id}/...), or the delivery id (/webhooks/deliveries/{id}/replay): the caller may call these routes for any lead or delivery, which is what an integration or ops do; the API, stage, method and route are exact.',
      appliesTo: [
        /^Resource::arn:<AWS::Partition>:execute-api:<AWS::Region>:<AWS::AccountId>:<ApiHttp[A-Za-z0-9]+>\/\$default\/[A-Z]+\/leads\/\*(\/[a-z]+)?$/,
        /^Resource::arn:<AWS::Partition>:execute-api:<AWS::Region>:<AWS::AccountId>:<ApiHttp[A-Za-z0-9]+>\/\$default\/POST\/webhooks\/deliveries\/\*\/replay$/,
      ],
    });
    return policy;
  }

  /** Where the console's sign-in links point (the stack's publicBaseUrl, else the API's URL). */
  setPublicBaseUrl(url: string): void {
    this.functions.console.addEnvironment(ENV.publicBaseUrl, url);
  }

  /** The API's base URL (the $default stage has no path). */
  get url(): string {
    return this.httpApi.apiEndpoint;
  }
}

function pascal(text: string): string {
  return text
    .split(/[^A-Za-z0-9]+/)
    .filter((part) => part !== '')
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join('');
}
