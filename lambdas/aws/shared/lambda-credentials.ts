/**
 * The AWS SDK's credential chain as a Lambda function needs it: the credentials Lambda puts in the
 * environment (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN), nothing else.
 *
 * The bundles alias `@aws-sdk/credential-provider-node` to this module (lib/leadpact-function.ts,
 * BUNDLING.alias): the default chain it replaces also reads profiles and SSO caches from files, runs
 * credential processes, exchanges web identity tokens and asks the instance metadata service, with
 * nested STS, SSO and sign-in clients for it, ~140 KB of every bundle that a Lambda function never runs
 * and that cost ~15 % of its cold start (docs/decisions/0026-lambda-init-budget.md). The local runtime
 * and the CLI are not bundled: they keep the SDK's own chain.
 *
 * Same export as the package it stands in for, so the SDK clients' runtimeConfig imports it unchanged.
 */

type Env = Readonly<Record<string, string | undefined>>;

/** What the SDK's signer takes (the shape of `AwsCredentialIdentity` in @smithy/types). */
export interface LambdaCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string;
  readonly expiration?: Date;
  readonly accountId?: string;
}

/** The credentials in `env`, or a clear error naming the variables when Lambda did not set them. */
export function credentialsFromEnv(env: Env = process.env): LambdaCredentials {
  const accessKeyId = env['AWS_ACCESS_KEY_ID'];
  const secretAccessKey = env['AWS_SECRET_ACCESS_KEY'];
  if (!accessKeyId || !secretAccessKey) {
    throw new Error(
      'no AWS credentials in the environment (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY): LeadPact bundles read ' +
        'only the credentials Lambda sets (lambdas/aws/shared/lambda-credentials.ts)',
    );
  }
  const sessionToken = env['AWS_SESSION_TOKEN'];
  const expiration = env['AWS_CREDENTIAL_EXPIRATION'];
  const accountId = env['AWS_ACCOUNT_ID'];
  return {
    accessKeyId,
    secretAccessKey,
    ...(sessionToken ? { sessionToken } : {}),
    ...(expiration ? { expiration: new Date(expiration) } : {}),
    ...(accountId ? { accountId } : {}),
  };
}

/** Stands in for `defaultProvider` of `@aws-sdk/credential-provider-node` (the clients pass their config). */
export const defaultProvider =
  (_init?: unknown): (() => Promise<LambdaCredentials>) =>
  async () =>
    credentialsFromEnv();
