/** Lambda entry point: the API routes of group 'lead-queries' (shared/api-groups.ts). Dependencies are built once, at init. */
import { ROUTES } from '../api/routes.ts';
import { apiDeps } from './shared/api-deps.ts';
import { dispatcher, groupHandlers } from './shared/api-dispatch.ts';

export const handler = dispatcher(groupHandlers('lead-queries', ROUTES, await apiDeps()));
