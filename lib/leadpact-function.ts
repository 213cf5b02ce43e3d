/**
 * Every LeadPact Lambda function, with the house defaults: bundled by esbuild locally (no Docker),
 * minified ESM with source maps (read only when a stack trace is), the newest Node runtime aws-cdk-lib offers, ARM64, an explicit
 * timeout and memory size, its own log group with retention, JSON logs, X-Ray tracing, and its own
 * role that starts with nothing but writing to that log group: every other permission comes from an
 * intent-named grant (store.grantReadWriteLeads(fn), workflow.grantSignal(fn), ...), which also sets
 * the environment variable the function reads for it (lambdas/aws/shared/env.ts).
 */
import { join } from 'node:path';
import { type Duration, RemovalPolicy } from 'aws-cdk-lib';
import type { MetricOptions } from 'aws-cdk-lib/aws-cloudwatch';
import {
  type IGrantable,
  type IPrincipal,
  type PolicyStatement,
  Role,
  ServicePrincipal,
} from 'aws-cdk-lib/aws-iam';
import {
  ApplicationLogLevel,
  Architecture,
  LoggingFormat,
  Runtime,
  SystemLogLevel,
  Tracing,
} from 'aws-cdk-lib/aws-lambda';
import { LogLevel, NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { SLA_DEFINE } from '../lambdas/aws/shared/env.ts';
import { encodeBundledSla } from '../lambdas/aws/shared/sla-define.ts';
import { LAMBDA_ENTRY_DIR, LOCK_FILE, PROJECT_ROOT } from './paths.ts';

/** The newest Node.js runtime this aws-cdk-lib knows (nodejs24.x). */
export const NODE_RUNTIME = Runtime.NODEJS_24_X;

/** ESM bundles still contain CommonJS dependencies that call require() for Node built-ins: give them one. */
export const ESM_REQUIRE_BANNER =
  "import { createRequire as __leadpactCreateRequire } from 'node:module';const require = __leadpactCreateRequire(import.meta.url);";

/**
 * Packages the bundles replace with a module of ours (paths relative to the project root, where esbuild
 * runs): the SDK's default credential chain becomes the environment Lambda sets
 * (lambdas/aws/shared/lambda-credentials.ts; docs/decisions/0026-lambda-init-budget.md).
 */
export const BUNDLE_ALIASES: Readonly<Record<string, string>> = {
  '@aws-sdk/credential-provider-node': './lambdas/aws/shared/lambda-credentials.ts',
};

/** The esbuild settings of every function; bench/bundles.ts bundles with the same ones. */
export const BUNDLING = {
  format: 'esm',
  target: 'node24',
  platform: 'node',
  mainFields: ['module', 'main'],
  minify: true,
  sourcemap: true,
  sourcesContent: false,
  banner: ESM_REQUIRE_BANNER,
  alias: BUNDLE_ALIASES,
} as const;

/** esbuild `define` for a function that runs the SLA: the parsed SLA's JSON, deflated (sla-define.ts), as a string literal. */
export function slaDefine(slaJson: string | undefined): Record<string, string> {
  return slaJson === undefined ? {} : { [SLA_DEFINE]: JSON.stringify(encodeBundledSla(slaJson)) };
}

export interface LeadPactFunctionProps {
  /** the entry module in lambdas/aws/, e.g. 'task-advance.ts' */
  readonly entry: string;
  readonly description: string;
  readonly timeout: Duration;
  readonly memorySize: number;
  readonly logRetention: RetentionDays;
  /** the parsed SLA as JSON (config.slaJson), for functions that run the SLA: bundled with esbuild `define` */
  readonly slaJson?: string;
  readonly environment?: Readonly<Record<string, string>>;
}

export class LeadPactFunction extends Construct implements IGrantable {
  readonly function: NodejsFunction;
  readonly role: Role;
  readonly logGroup: LogGroup;
  readonly grantPrincipal: IPrincipal;
  /** the entry module's path (bench/bundles.ts bundles it again to measure it) */
  readonly entry: string;
  /** whether the SLA is bundled into it */
  readonly runsSla: boolean;

  constructor(scope: Construct, id: string, props: LeadPactFunctionProps) {
    super(scope, id);
    this.entry = join(LAMBDA_ENTRY_DIR, props.entry);
    this.runsSla = props.slaJson !== undefined;
    this.logGroup = new LogGroup(this, 'Logs', {
      retention: props.logRetention,
      // operational logs go with the stack; the state of record (the table) is retained
      removalPolicy: RemovalPolicy.DESTROY,
    });
    this.role = new Role(this, 'Role', {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      description: `LeadPact ${id}: ${props.description}`.slice(0, 1000),
    });
    this.grantPrincipal = this.role;
    // its own log group only (no AWSLambdaBasicExecutionRole: that one may write to any log group)
    this.logGroup.grantWrite(this.role);

    this.function = new NodejsFunction(this, 'Function', {
      entry: this.entry,
      handler: 'handler',
      description: props.description,
      runtime: NODE_RUNTIME,
      architecture: Architecture.ARM_64,
      timeout: props.timeout,
      memorySize: props.memorySize,
      role: this.role,
      logGroup: this.logGroup,
      loggingFormat: LoggingFormat.JSON,
      applicationLogLevelV2: ApplicationLogLevel.INFO,
      systemLogLevelV2: SystemLogLevel.WARN,
      tracing: Tracing.ACTIVE,
      projectRoot: PROJECT_ROOT,
      depsLockFilePath: LOCK_FILE,
      // no NODE_OPTIONS=--enable-source-maps: it parses the source map at every cold start; stack traces
      // still point at the TypeScript source, mapped when first read (lambdas/aws/shared/source-mapped-stacks.ts)
      environment: { ...props.environment },
      bundling: {
        forceDockerBundling: false,
        format: OutputFormat.ESM,
        target: BUNDLING.target,
        mainFields: [...BUNDLING.mainFields],
        minify: BUNDLING.minify,
        sourceMap: BUNDLING.sourcemap,
        sourcesContent: BUNDLING.sourcesContent,
        banner: BUNDLING.banner,
        // the AWS SDK is bundled too: the lockfile's versions run in AWS, not the runtime's
        externalModules: [],
        define: slaDefine(props.slaJson),
        // esbuild runs in the project root (local bundling), where the alias paths are relative to
        esbuildArgs: {
          '--alias': Object.entries(BUNDLING.alias).map(([name, path]) => `${name}=${path}`),
        },
        // errors only: bench/bundles.ts reports the sizes
        logLevel: LogLevel.ERROR,
      },
    });
  }

  get functionArn(): string {
    return this.function.functionArn;
  }

  get functionName(): string {
    return this.function.functionName;
  }

  addEnvironment(key: string, value: string): void {
    this.function.addEnvironment(key, value);
  }

  /** Adds a statement to this function's own policy (grants call this; nothing else should). */
  allow(statement: PolicyStatement): void {
    this.role.addToPrincipalPolicy(statement);
  }

  metricErrors(props?: MetricOptions) {
    return this.function.metricErrors(props);
  }
}
