/**
 * Reads the deployment's HMAC keys from Secrets Manager, once per container (at init), in parallel.
 * Only the keys the function was granted are named in its environment; the rest stay undefined.
 */
import { GetSecretValueCommand, type SecretsManagerClient } from '@aws-sdk/client-secrets-manager';

export async function readSecret(client: SecretsManagerClient, secretId: string): Promise<string> {
  const output = await client.send(new GetSecretValueCommand({ SecretId: secretId }));
  const value = output.SecretString;
  if (!value) throw new Error(`secret ${secretId} has no string value`);
  return value;
}

/** Each named secret id read once; undefined ids give undefined values without a call. */
export async function readSecrets<K extends string>(
  client: SecretsManagerClient,
  ids: Readonly<Record<K, string | undefined>>,
): Promise<Record<K, string | undefined>> {
  const entries = await Promise.all(
    Object.entries<string | undefined>(ids).map(async ([name, id]) => [
      name,
      id === undefined ? undefined : await readSecret(client, id),
    ]),
  );
  return Object.fromEntries(entries) as Record<K, string | undefined>;
}
