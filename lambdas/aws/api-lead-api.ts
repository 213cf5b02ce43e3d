/**
 * Lambda entry point: the API routes of group 'lead-api' (shared/api-groups.ts), and only those: the bundle
 * holds these routes' handlers and nothing of the other groups. Dependencies are built once, at init.
 */
import './shared/source-mapped-stacks.ts';
import { LEAD_API_ROUTES } from '../api/groups/lead-api.ts';
import { apiDeps } from './shared/api-deps.ts';
import { dispatcher, groupHandlers } from './shared/api-dispatch.ts';

export const handler = dispatcher(groupHandlers('lead-api', LEAD_API_ROUTES, await apiDeps()));
