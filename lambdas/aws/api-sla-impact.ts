/**
 * Lambda entry point: the API routes of group 'sla-impact' (shared/api-groups.ts), and only those: a new SLA
 * file checked against the leads in flight. Dependencies are built once, at init.
 */
import './shared/source-mapped-stacks.ts';
import { SLA_IMPACT_ROUTES } from '../api/groups/sla-impact.ts';
import { apiDeps } from './shared/api-deps.ts';
import { dispatcher, groupHandlers } from './shared/api-dispatch.ts';

export const handler = dispatcher(groupHandlers('sla-impact', SLA_IMPACT_ROUTES, await apiDeps()));
