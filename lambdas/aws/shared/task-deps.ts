/**
 * The workflow tasks' dependencies, built once at init. Advance and Handoff send email with signed links
 * (the action-link key); RecordFailure only alerts ops (no key: mail.ts opsOnlyNotifier).
 */
import { systemClock } from '../../ports/clock.ts';
import type { TaskDeps } from '../../tasks/deps.ts';
import { EmailNotifier } from '../../tasks/email-notifier.ts';
import { ENV, type Env, optionalEnv, requiredEnv } from './env.ts';
import { deploymentKeys } from './keys.ts';
import { opsOnlyNotifier, sesMailer } from './mail.ts';
import { bundledSla } from './sla.ts';
import { leadStore } from './store.ts';

export async function taskDeps(env: Env = process.env): Promise<TaskDeps> {
  const sla = bundledSla();
  const keys = await deploymentKeys(env);
  if (!keys.action) throw new Error('the action-link key is not available to this function (not granted)');
  const opsEmail = optionalEnv(ENV.opsEmail, env);
  return {
    sla,
    store: leadStore(env, sla),
    clock: systemClock,
    notifier: new EmailNotifier({
      sla,
      mailer: sesMailer(sla, env),
      clock: systemClock,
      publicBaseUrl: requiredEnv(ENV.publicBaseUrl, env),
      actionSecret: keys.action,
      ...(opsEmail ? { opsEmail } : {}),
    }),
  };
}

export function failureDeps(env: Env = process.env): TaskDeps {
  const sla = bundledSla();
  const opsEmail = optionalEnv(ENV.opsEmail, env);
  return {
    sla,
    store: leadStore(env, sla),
    clock: systemClock,
    notifier: opsOnlyNotifier(opsEmail ? sesMailer(sla, env) : undefined, opsEmail),
  };
}
