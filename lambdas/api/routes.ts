/**
 * Every API route in one table: the local server serves it and the CDK stack deploys it, so
 * the two cannot drift. `public` routes take no credentials (the web form); the rest sit
 * behind the authorizer. Each group's routes live in lambdas/api/groups/, so the Lambda function
 * of a group (lambdas/aws/api-<group>.ts) bundles only its own handlers.
 */
import { CONSOLE_ROUTES } from './groups/console.ts';
import { EMAIL_LINK_ROUTES } from './groups/email-links.ts';
import { HEALTH_ROUTES } from './groups/health.ts';
import { LEAD_API_ROUTES } from './groups/lead-api.ts';
import { LEAD_ERASE_ROUTES } from './groups/lead-erase.ts';
import { LEAD_FORM_ROUTES } from './groups/lead-form.ts';
import { LEAD_QUERY_ROUTES } from './groups/lead-queries.ts';
import { SLA_IMPACT_ROUTES } from './groups/sla-impact.ts';
import { WEBHOOK_ROUTES } from './groups/webhooks.ts';
import type { RouteDefinition } from './route-definition.ts';

export type { RouteDefinition } from './route-definition.ts';

export const ROUTES: readonly RouteDefinition[] = [
  ...LEAD_FORM_ROUTES,
  ...HEALTH_ROUTES,
  ...LEAD_QUERY_ROUTES,
  ...SLA_IMPACT_ROUTES,
  ...LEAD_API_ROUTES,
  ...LEAD_ERASE_ROUTES,
  ...EMAIL_LINK_ROUTES,
  ...WEBHOOK_ROUTES,
  ...CONSOLE_ROUTES,
];
