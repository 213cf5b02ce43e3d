/**
 * Lambda entry point: GET /health (group 'health', shared/api-groups.ts), and API Gateway's `$default` route,
 * the answer for an address no route has (UNKNOWN_ADDRESS_GROUP, ADR 0077). It touches nothing, so it is built
 * from the clock and the SLA's version and locales (environment variables the stack sets) alone: no AWS SDK,
 * no SLA, no keys in this bundle.
 */
import './shared/source-mapped-stacks.ts';
import { HEALTH_ROUTES } from '../api/groups/health.ts';
import { unknownAddressHandler } from '../api/unknown-address.ts';
import type { Locales } from '../domain/sla-schema.ts';
import { systemClock } from '../ports/clock.ts';
import { dispatcher, groupHandlers } from './shared/api-dispatch.ts';
import { apiRoutes, DEFAULT_ROUTE_KEY } from './shared/api-groups.ts';
import { ENV, requiredEnv } from './shared/env.ts';

/** the SLA's `locales` as the stack wrote them (JSON: default, supported) */
const locales = JSON.parse(requiredEnv(ENV.slaLocales)) as Pick<Locales, 'default' | 'supported'>;

export const handler = dispatcher(
  new Map([
    ...groupHandlers('health', HEALTH_ROUTES, {
      sla: { version: requiredEnv(ENV.slaVersion) },
      clock: systemClock,
    }),
    [
      DEFAULT_ROUTE_KEY,
      unknownAddressHandler({
        routes: apiRoutes(),
        locales,
      }),
    ],
  ]),
);
