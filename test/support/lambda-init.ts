/**
 * A Lambda function's init phase, reproduced in a fresh Node process: its bundle imported with the
 * environment the stack gives it (CloudFormation's values replaced by placeholders of the right shape)
 * plus what Lambda's runtime adds (credentials, region), and a stub Secrets Manager endpoint for the
 * GetSecretValue calls the entry points make at init. No vitest import: bench/bundles.ts uses it too.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pathToFileURL } from 'node:url';
import { type Stack, Token } from 'aws-cdk-lib';
import type { CfnFunction } from 'aws-cdk-lib/aws-lambda';
import { ENV } from '../../lambdas/aws/shared/env.ts';
import type { LeadPactFunction } from '../../lib/leadpact-function.ts';
import { runProcess } from './run-process.ts';

/** What CloudFormation fills in at deploy: a placeholder of the right shape for each variable we set. */
const PLACEHOLDERS: Readonly<Record<string, string>> = {
  [ENV.tableName]: 'bench-table',
  [ENV.stateMachineArn]: 'arn:aws:states:eu-central-1:123456789012:stateMachine:bench',
  [ENV.leadIdSecretArn]: 'arn:aws:secretsmanager:eu-central-1:123456789012:secret:lead-id',
  [ENV.actionSecretArn]: 'arn:aws:secretsmanager:eu-central-1:123456789012:secret:action',
  [ENV.botCheckSecretArn]: 'arn:aws:secretsmanager:eu-central-1:123456789012:secret:bot-check',
  [ENV.typeformSecretArn]: 'arn:aws:secretsmanager:eu-central-1:123456789012:secret:typeform',
  [ENV.configurationSet]: 'bench',
  [ENV.publicBaseUrl]: 'https://api.example.com',
};

/** The function's variables as the stack sets them; a value CloudFormation resolves gets its placeholder. */
export function functionEnvironment(stack: Stack, fn: LeadPactFunction): Record<string, string> {
  const cfn = fn.function.node.defaultChild as CfnFunction;
  const resolved = stack.resolve(cfn.environment) as { variables?: Record<string, unknown> } | undefined;
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(resolved?.variables ?? {})) {
    if (typeof value === 'string' && !Token.isUnresolved(value)) env[key] = value;
    else env[key] = PLACEHOLDERS[key] ?? `bench-${key.toLowerCase()}`;
  }
  return env;
}

export interface LambdaInitHarness {
  /** Lambda's own variables (credentials, region) and the stub's endpoint */
  readonly baseEnv: Readonly<Record<string, string>>;
  /** secrets read since start */
  readonly secretReads: () => number;
  close(): Promise<void>;
}

/** Starts the stub Secrets Manager endpoint (any secret id answers 64 characters). */
export async function startLambdaInit(): Promise<LambdaInitHarness> {
  let reads = 0;
  const server: Server = createServer((request, response) => {
    request.resume();
    request.on('end', () => {
      reads++;
      response.setHeader('content-type', 'application/x-amz-json-1.1');
      response.end(
        JSON.stringify({
          ARN: 'arn:aws:secretsmanager:eu-central-1:123456789012:secret:bench',
          Name: 'bench',
          SecretString: 'b'.repeat(64),
        }),
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    baseEnv: {
      PATH: process.env.PATH ?? '',
      AWS_REGION: 'eu-central-1',
      AWS_ACCESS_KEY_ID: 'AKIABENCHBENCHBENCH0',
      AWS_SECRET_ACCESS_KEY: 'bench',
      AWS_SESSION_TOKEN: 'bench',
      AWS_ENDPOINT_URL_SECRETS_MANAGER: url,
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
      AWS_SDK_JS_SUPPRESS_MAINTENANCE_MODE_MESSAGE: '1',
    },
    secretReads: () => reads,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

// the probe reports how long the import took, and the process's CPU time when the handler was ready
const PROBE = `
const started = performance.now();
const module = await import(process.argv[1]);
if (typeof module.handler !== 'function') throw new Error('no handler');
const cpu = process.cpuUsage();
console.log(JSON.stringify({ importMs: performance.now() - started, cpuMs: (cpu.user + cpu.system) / 1000 }));
`;

export interface InitSample {
  /** spawn to exit, seen from the caller */
  readonly wallMs: number;
  /** CPU of the process (all its threads) until the handler was ready */
  readonly cpuMs: number;
  /** the import alone, wall */
  readonly importMs: number;
}

/** Imports `bundleFile` in a fresh process as Lambda's init does; its figures, or the error it died of. */
export async function initOnce(
  harness: LambdaInitHarness,
  bundleFile: string,
  env: Readonly<Record<string, string>>,
  nodeArgs: readonly string[] = [],
): Promise<InitSample | { error: string }> {
  const started = performance.now();
  // asynchronously: a blocking spawn would stall the stub server in this process
  const result = await runProcess(
    process.execPath,
    [...nodeArgs, '--input-type=module', '-e', PROBE, pathToFileURL(bundleFile).href],
    { env: { ...harness.baseEnv, ...env } },
  );
  const wallMs = performance.now() - started;
  if (result.code !== 0) {
    const lines = result.stderr.trim().split('\n');
    return { error: lines.find((line) => /^\w*Error\b/.test(line)) ?? lines.slice(-3).join(' | ') };
  }
  const { importMs, cpuMs } = JSON.parse(result.stdout.trim().split('\n').at(-1)!) as {
    importMs: number;
    cpuMs: number;
  };
  return { wallMs, cpuMs, importMs };
}
