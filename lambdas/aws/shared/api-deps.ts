/**
 * The API handlers' dependencies for one Lambda function, built once at init: the bundled SLA, the
 * store, the workflow, the keys this function was granted. What the stack did not grant is a stand-in
 * that throws naming it (shared/unavailable.ts); the lead-id key throws when read without the grant.
 */
import type { ApiDeps } from '../../api/deps.ts';
import { systemClock } from '../../ports/clock.ts';
import { ENV, type Env, listEnv } from './env.ts';
import { deploymentKeys } from './keys.ts';
import { bundledSla } from './sla.ts';
import { leadQueries, leadStore } from './store.ts';
import { workflow } from './workflow.ts';

export async function apiDeps(env: Env = process.env): Promise<ApiDeps> {
  const sla = bundledSla();
  const store = leadStore(env, sla);
  const clock = systemClock;
  const keys = await deploymentKeys(env);
  return {
    sla,
    store,
    queries: leadQueries(env),
    workflow: workflow(store, clock, env),
    clock,
    get leadIdSecret(): string {
      if (!keys.leadId) throw new Error('the lead-id key is not available to this function (not granted)');
      return keys.leadId;
    },
    allowedOrigins: listEnv(ENV.allowedOrigins, env),
    ...(keys.action ? { actionSecret: keys.action } : {}),
  };
}
