/** The routes of the 'lead-erase' function (lambdas/aws/shared/api-groups.ts): the right to be forgotten. */
import { deleteLeadHandler } from '../lead-erase.ts';
import type { RouteDefinition } from '../route-definition.ts';

export const LEAD_ERASE_ROUTES: readonly RouteDefinition[] = [
  { method: 'DELETE', path: '/leads/{id}', access: 'authenticated', make: deleteLeadHandler },
];
