/**
 * The routes of the 'webhooks' function (lambdas/aws/shared/api-groups.ts): the webhook delivery log
 * and its replay. Query strings are parsed by hand: no zod here.
 */
import type { RouteDefinition } from '../route-definition.ts';
import { listDeliveriesHandler, replayDeliveryHandler } from '../webhook-deliveries.ts';

export const WEBHOOK_ROUTES: readonly RouteDefinition[] = [
  { method: 'GET', path: '/webhooks/deliveries', access: 'authenticated', make: listDeliveriesHandler },
  {
    method: 'POST',
    path: '/webhooks/deliveries/{id}/replay',
    access: 'authenticated',
    make: replayDeliveryHandler,
  },
];
