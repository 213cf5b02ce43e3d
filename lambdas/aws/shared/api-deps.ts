/**
 * The API handlers' dependencies for one Lambda function, built once at init: the bundled SLA, the
 * store, the workflow, the keys this function was granted. What the stack did not grant is a stand-in
 * that throws naming it (shared/unavailable.ts); the lead-id key throws when read without the grant.
 */

import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { isBotCheckProvider, siteverifyBotCheck } from '../../adapters/siteverify-bot-check.ts';
import { type ApiDeps, extendDeps } from '../../api/deps.ts';
import { systemClock } from '../../ports/clock.ts';
import { ENV, type Env, listEnv, optionalEnv } from './env.ts';
import { type DeploymentKeys, deploymentKeys } from './keys.ts';
import { sesMailer } from './mail.ts';
import { readSecret } from './secrets.ts';
import { bundledSla } from './sla.ts';
import { eventLog, leadQueries, leadStore, signInLedger } from './store.ts';
import { workflow } from './workflow.ts';

export async function apiDeps(env: Env = process.env): Promise<ApiDeps> {
  const sla = bundledSla();
  const store = leadStore(env, sla);
  const clock = systemClock;
  const { keys, ...secrets } = await apiSecrets(env);
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
    ...(optionalEnv(ENV.formUrl, env) ? { formUrl: optionalEnv(ENV.formUrl, env) } : {}),
    ...secrets,
  };
}

/**
 * The secrets an API function reads at init (the deployment keys, the bot check's and Typeform's when
 * configured): all at once, with one client, made only when a secret is to be read. In turn, with a
 * client each, LeadForm's init waited for three round trips (docs/decisions/0026-lambda-init-budget.md).
 */
export async function apiSecrets(
  env: Env,
  makeClient: () => SecretsManagerClient = () => new SecretsManagerClient({}),
): Promise<{ keys: DeploymentKeys } & Pick<ApiDeps, 'botCheck' | 'typeformSecret'>> {
  let shared: SecretsManagerClient | undefined;
  const client = () => {
    shared ??= makeClient();
    return shared;
  };
  const [keys, bot, typeform] = await Promise.all([
    deploymentKeys(env, client),
    botCheck(env, client),
    typeformSecret(env, client),
  ]);
  return { keys, ...bot, ...typeform };
}

/** The secret Typeform signs its webhook posts with, when the stack was given one (lead-form only), read at init. */
async function typeformSecret(
  env: Env,
  client: () => SecretsManagerClient,
): Promise<Pick<ApiDeps, 'typeformSecret'>> {
  const secretArn = optionalEnv(ENV.typeformSecretArn, env);
  if (!secretArn) return {};
  return { typeformSecret: await readSecret(client(), secretArn) };
}

/** The form's bot check when the stack configured one (lead-form only): its secret read once, at init. */
async function botCheck(env: Env, client: () => SecretsManagerClient): Promise<Pick<ApiDeps, 'botCheck'>> {
  const provider = optionalEnv(ENV.botCheckProvider, env);
  const secretArn = optionalEnv(ENV.botCheckSecretArn, env);
  if (!provider || !secretArn) return {};
  if (!isBotCheckProvider(provider)) throw new Error(`${ENV.botCheckProvider}: unknown provider ${provider}`);
  const secret = await readSecret(client(), secretArn);
  return { botCheck: siteverifyBotCheck({ provider, secret }) };
}

/**
 * The console's dependencies: the API's, plus SES for sign-in emails, the ledger of used sign-in links
 * and the public URL the links point to (else the API's own domain, from API Gateway's request context).
 */
export async function consoleDeps(env: Env = process.env): Promise<ApiDeps> {
  const deps = await apiDeps(env);
  const publicBaseUrl = optionalEnv(ENV.publicBaseUrl, env);
  const extra: Partial<ApiDeps> = {
    ...(optionalEnv(ENV.senderEmail, env) ? { mailer: sesMailer(deps.sla, env) } : {}),
    signIns: signInLedger(env),
    // events out's delivery log: ops see failing endpoints and replay (console/webhooks.ts)
    events: deliveryLog(env),
    ...(publicBaseUrl ? { publicBaseUrl } : {}),
  };
  return extendDeps(deps, extra);
}

/**
 * The webhook delivery log as its readers have it (the webhooks and console functions): the log, and the ids of
 * the subscriptions the sender delivers to when the stack named them (a filter naming none of them and nothing
 * in the log is refused: api/delivery-log-query.ts requireKnownSubscription).
 */
export function deliveryLog(env: Env = process.env): NonNullable<ApiDeps['events']> {
  return {
    log: eventLog(env),
    ...(env[ENV.webhookIds] === undefined ? {} : { subscriptions: listEnv(ENV.webhookIds, env) }),
  };
}

export { extendDeps };
