/**
 * AWS list prices for the cost model (bench/cost.ts, and `leadpact simulate`'s cost per 1,000 leads), in
 * one dated table. us-east-1, on-demand, no free
 * tier: ARM Lambda, DynamoDB on demand (the price after the November 2024 cut), Step Functions Standard,
 * SES outbound, HTTP API, CloudWatch Logs ingestion, X-Ray traces recorded. Lambda bills the init phase
 * since August 2025. As published by AWS on the date below and not re-checked from this machine (it has
 * no internet): check https://aws.amazon.com/pricing before quoting a figure.
 *
 * Plain data, no imports: nothing in lambdas/ or lib/ depends on it. It lives in local/ (not bench/) so the
 * `leadpact simulate` command can price what it counts with the same table; bench/prices.ts re-exports it.
 */
export const PRICES_AS_OF = '2025-08-01';
export const PRICES_REGION = 'us-east-1';

export const PRICES = {
  /** Step Functions Standard, per state transition */
  stateTransition: 0.025 / 1000,
  /** Lambda, per request */
  lambdaRequest: 0.2 / 1e6,
  /** Lambda ARM (Graviton), per GB-second */
  lambdaGbSecondArm: 0.0000133334,
  /** DynamoDB on demand, per write request unit (1 KB) */
  dynamoWriteUnit: 0.625 / 1e6,
  /** DynamoDB on demand, per read request unit (4 KB strongly consistent, 8 KB eventually) */
  dynamoReadUnit: 0.125 / 1e6,
  /** DynamoDB standard table class, per GB-month stored */
  dynamoStorageGbMonth: 0.25,
  /** point-in-time recovery, per GB-month */
  dynamoPitrGbMonth: 0.2,
  /** SES outbound, per email */
  sesEmail: 0.1 / 1000,
  /** HTTP API, per request (first 300 million a month) */
  httpApiRequest: 1.0 / 1e6,
  /** CloudWatch Logs, per GB ingested */
  logsIngestGb: 0.5,
  /** X-Ray, per trace recorded */
  xrayTrace: 5.0 / 1e6,
  /** Secrets Manager, per secret and month */
  secretMonth: 0.4,
  /** CloudWatch, per standard alarm and month (a metric math alarm: per metric it reads) */
  alarmMonth: 0.1,
  /** CloudWatch, per dashboard and month (an account's first three are free: priced as if those are used) */
  dashboardMonth: 3.0,
} as const;

/**
 * What the counts cannot give and the model assumes, each stated once (bench/cost.ts prints them):
 * in-region latencies that make up a Lambda's billed duration, log bytes, and the X-Ray sampling share.
 */
export const ASSUMPTIONS = {
  /** a Lambda invocation's own CPU work besides its calls, ms */
  invocationBaseMs: 5,
  /** one DynamoDB request from Lambda, in region, ms */
  dynamoRequestMs: 6,
  /** one SES SendEmail from Lambda, ms */
  sesSendMs: 40,
  /** CloudWatch Logs bytes per state transition (state machine logging ALL) and per Lambda invocation */
  logBytesPerTransition: 1500,
  logBytesPerInvocation: 500,
  /** share of invocations X-Ray records (the default rule: 1 a second, then 5 %) */
  xraySampled: 0.05,
} as const;

/**
 * Memory (MB) of each function that a simulated lead runs on, as lib/ deploys it: the simulator cannot
 * synthesize the stack (runtime code never imports lib/), so the figures are here and
 * test/cdk/function-memory.test.ts checks them against the synthesized stack.
 */
export const FUNCTION_MEMORY_MB = {
  Advance: 512,
  Handoff: 512,
  Park: 512,
  RecordFailure: 256,
  'Api-lead-form': 512,
  'Api-lead-api': 512,
  'Api-email-links': 512,
} as const;

export type PricedFunction = keyof typeof FUNCTION_MEMORY_MB;
