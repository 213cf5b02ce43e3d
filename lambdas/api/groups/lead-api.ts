/**
 * The routes of the 'lead-api' function (lambdas/aws/shared/api-groups.ts): other systems and reps
 * through the authenticated API. They parse request bodies, so this function bundles zod.
 */
import { postEventsHandler } from '../lead-events.ts';
import { patchFieldsHandler, postOwnerHandler } from '../lead-manage.ts';
import { getLeadHandler } from '../lead-read.ts';
import { patchStatusHandler, postAttemptHandler, putDealHandler } from '../lead-sales.ts';
import type { RouteDefinition } from '../route-definition.ts';

export const LEAD_API_ROUTES: readonly RouteDefinition[] = [
  { method: 'POST', path: '/leads/{id}/events', access: 'authenticated', make: postEventsHandler },
  { method: 'POST', path: '/leads/{id}/attempts', access: 'authenticated', make: postAttemptHandler },
  { method: 'PUT', path: '/leads/{id}/deal', access: 'authenticated', make: putDealHandler },
  { method: 'PATCH', path: '/leads/{id}/status', access: 'authenticated', make: patchStatusHandler },
  { method: 'POST', path: '/leads/{id}/owner', access: 'authenticated', make: postOwnerHandler },
  { method: 'PATCH', path: '/leads/{id}/fields', access: 'authenticated', make: patchFieldsHandler },
  { method: 'GET', path: '/leads/{id}', access: 'authenticated', make: getLeadHandler },
];
