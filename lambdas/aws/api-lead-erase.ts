/**
 * Lambda entry point: the API routes of group 'lead-erase' (shared/api-groups.ts), and only those: the bundle
 * holds these routes' handlers and nothing of the other groups. Dependencies are built once, at init.
 */
import './shared/source-mapped-stacks.ts';
import { LEAD_ERASE_ROUTES } from '../api/groups/lead-erase.ts';
import { apiDeps } from './shared/api-deps.ts';
import { dispatcher, groupHandlers } from './shared/api-dispatch.ts';

export const handler = dispatcher(groupHandlers('lead-erase', LEAD_ERASE_ROUTES, await apiDeps()));
