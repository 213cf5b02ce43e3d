/**
 * Lambda entry point: the API routes of group 'lead-queries' (shared/api-groups.ts), and only those: lead
 * lists and the SLA report. Dependencies are built once, at init.
 */
import './shared/source-mapped-stacks.ts';
import { LEAD_QUERY_ROUTES } from '../api/groups/lead-queries.ts';
import { apiDeps } from './shared/api-deps.ts';
import { dispatcher, groupHandlers } from './shared/api-dispatch.ts';

export const handler = dispatcher(groupHandlers('lead-queries', LEAD_QUERY_ROUTES, await apiDeps()));
