/**
 * The routes of the 'sla-impact' function (lambdas/aws/shared/api-groups.ts): a new SLA file checked against
 * the leads in flight, read only. Apart from the lead lists: it parses an SLA file (the YAML parser and the
 * SLA's schema, which no other API function bundles) and reads the due index.
 */
import type { RouteDefinition } from '../route-definition.ts';
import { slaImpactHandler } from '../sla-impact.ts';

export const SLA_IMPACT_ROUTES: readonly RouteDefinition[] = [
  { method: 'POST', path: '/sla/impact', access: 'authenticated', make: slaImpactHandler },
];
