/**
 * Lambda entry point: the API routes of group 'webhooks' (shared/api-groups.ts), and only those: the
 * webhook delivery log and its replay (the deliverer's next run sends a replayed delivery). Dependencies
 * are built once, at init.
 */
import './shared/source-mapped-stacks.ts';
import { WEBHOOK_ROUTES } from '../api/groups/webhooks.ts';
import { apiDeps, deliveryLog, extendDeps } from './shared/api-deps.ts';
import { dispatcher, groupHandlers } from './shared/api-dispatch.ts';

export const handler = dispatcher(
  groupHandlers('webhooks', WEBHOOK_ROUTES, extendDeps(await apiDeps(), { events: deliveryLog() })),
);
