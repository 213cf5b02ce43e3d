/**
 * Which Lambda function serves which API route. One function per group of routes that need the
 * same permissions (docs/decisions/0007-http-api.md): the public form apart (it is the one route
 * the internet can flood, and the only one holding the lead-id key), erase apart (the only one
 * allowed to delete history and stop executions), health with no permissions at all.
 *
 * Pure data keyed by `METHOD /path` (API Gateway's route key), so the CDK app and the Lambda
 * entry points read the same table; a test checks that it covers lambdas/api/routes.ts exactly.
 */
export const API_FUNCTION_GROUPS = {
  /** the web form: creates leads, starts and wakes workflows; and the embeddable form's script (the SLA's forms) */
  'lead-form': ['POST /leads', 'GET /forms/{file}'],
  /** liveness and the SLA version: touches nothing, bundles no SDK and no SLA */
  health: ['GET /health'],
  /** other systems and reps through the API: events, attempts, deals, status, read */
  'lead-api': [
    'POST /leads/{id}/events',
    'POST /leads/{id}/attempts',
    'PUT /leads/{id}/deal',
    'PATCH /leads/{id}/status',
    'POST /leads/{id}/owner',
    'PATCH /leads/{id}/fields',
    'GET /leads/{id}',
  ],
  /** lead lists and the SLA report: read only, from the indexes */
  'lead-queries': ['GET /leads', 'GET /reports/sla'],
  /** a new SLA file checked against the leads in flight (ops): read only, parses an SLA file */
  'sla-impact': ['POST /sla/impact'],
  /** the right to be forgotten: deletes history, stops executions */
  'lead-erase': ['DELETE /leads/{id}'],
  /** one-click links in emails: the signed token is the credential */
  'email-links': [
    'GET /actions/{token}',
    'POST /actions/{token}',
    'GET /unsubscribe/{token}',
    'POST /unsubscribe/{token}',
    'GET /consent/{token}',
    'POST /consent/{token}',
  ],
  /** events out: the webhook delivery log and its replay (ops) */
  webhooks: ['GET /webhooks/deliveries', 'POST /webhooks/deliveries/{id}/replay'],
  /** the console for people (reps, managers, ops): pages and form posts; the session cookie is the credential */
  console: [
    'GET /console',
    'GET /console/console.css',
    'POST /console/sign-in',
    'GET /console/sign-in/{token}',
    'POST /console/sign-in/{token}',
    'POST /console/sign-out',
    'POST /console/sessions/revoke',
    'GET /console/leads',
    'GET /console/leads/{id}',
    'POST /console/leads/{id}/attempts',
    'POST /console/leads/{id}/deal',
    'POST /console/leads/{id}/status',
    'POST /console/leads/{id}/owner',
    'POST /console/leads/{id}/fields',
    'GET /console/reports',
    'GET /console/sla',
    'GET /console/webhooks',
    'POST /console/webhooks/deliveries/{id}/replay',
    'GET /console/{proxy+}',
  ],
} as const satisfies Record<string, readonly string[]>;

export type ApiFunctionGroup = keyof typeof API_FUNCTION_GROUPS;

/**
 * The function behind API Gateway's `$default` route: any address no route has, or a method its path does not
 * take (lambdas/api/unknown-address.ts, ADR 0077). Health's: it needs no permission, no key and no SLA.
 */
export const UNKNOWN_ADDRESS_GROUP: ApiFunctionGroup = 'health';

/** API Gateway's route key for a request no other route takes (UNKNOWN_ADDRESS_GROUP's function answers it). */
export const DEFAULT_ROUTE_KEY = '$default';

/** Every route key of every group as a method and a path (what the `$default` route checks a path against). */
export function apiRoutes(): { readonly method: string; readonly path: string }[] {
  return Object.values(API_FUNCTION_GROUPS)
    .flat()
    .map((key) => {
      const [method, path] = key.split(' ') as [string, string];
      return { method, path };
    });
}

export const API_GROUP_NAMES = Object.keys(API_FUNCTION_GROUPS) as ApiFunctionGroup[];

/** API Gateway's route key for a route: `POST /leads/{id}/events`. */
export function routeKey(route: { readonly method: string; readonly path: string }): string {
  return `${route.method} ${route.path}`;
}

/** The group serving a route key ($default: UNKNOWN_ADDRESS_GROUP), or undefined when no function serves it. */
export function groupOf(key: string): ApiFunctionGroup | undefined {
  if (key === DEFAULT_ROUTE_KEY) return UNKNOWN_ADDRESS_GROUP;
  return API_GROUP_NAMES.find((group) => (API_FUNCTION_GROUPS[group] as readonly string[]).includes(key));
}
