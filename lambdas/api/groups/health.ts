/**
 * The routes of the 'health' function (lambdas/aws/shared/api-groups.ts): liveness and the SLA version.
 * Its handler needs no store, workflow or key, so the function bundles no AWS SDK and no SLA.
 */
import { type HealthDeps, healthHandler } from '../health.ts';
import type { RouteDefinition } from '../route-definition.ts';

export const HEALTH_ROUTES: readonly RouteDefinition<HealthDeps>[] = [
  { method: 'GET', path: '/health', access: 'public', make: healthHandler },
];
