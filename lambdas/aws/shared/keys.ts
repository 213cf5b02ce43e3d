/** The deployment's HMAC keys this function was granted, read from Secrets Manager once, at init. */
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { ENV, type Env, optionalEnv } from './env.ts';
import { readSecrets } from './secrets.ts';

export interface DeploymentKeys {
  /** HMAC key for lead ids */
  readonly leadId: string | undefined;
  /** HMAC key for action and unsubscribe links */
  readonly action: string | undefined;
}

export async function deploymentKeys(
  env: Env = process.env,
  client: () => SecretsManagerClient = () => new SecretsManagerClient({}),
): Promise<DeploymentKeys> {
  const ids = {
    leadId: optionalEnv(ENV.leadIdSecretArn, env),
    action: optionalEnv(ENV.actionSecretArn, env),
  };
  if (!ids.leadId && !ids.action) return { leadId: undefined, action: undefined };
  return readSecrets(client(), ids);
}
