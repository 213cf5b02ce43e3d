/**
 * Lambda entry point: GET /health (group 'health', shared/api-groups.ts). It touches nothing, so it is
 * built from the clock and the SLA's version (an environment variable the stack sets) alone: no AWS SDK,
 * no SLA, no keys in this bundle.
 */
import './shared/source-mapped-stacks.ts';
import { HEALTH_ROUTES } from '../api/groups/health.ts';
import { systemClock } from '../ports/clock.ts';
import { dispatcher, groupHandlers } from './shared/api-dispatch.ts';
import { ENV, requiredEnv } from './shared/env.ts';

export const handler = dispatcher(
  groupHandlers('health', HEALTH_ROUTES, {
    sla: { version: requiredEnv(ENV.slaVersion) },
    clock: systemClock,
  }),
);
