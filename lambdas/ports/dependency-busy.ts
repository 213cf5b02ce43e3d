/**
 * Whether an error from an AWS client (DynamoDB, Step Functions, Secrets Manager, EventBridge, SES) says the
 * service was busy or briefly failing, after the SDK's own retries: throttling (DynamoDB's
 * ProvisionedThroughputExceededException, ThrottlingException, RequestLimitExceeded; Step Functions'
 * ThrottlingException), a 5xx, or a connection that timed out or was reset. The same request later will
 * likely succeed, so an API route answers 503 with Retry-After (http.ts asKnownError), not 500. An error of
 * ours or of the deployment (a ValidationException, an AccessDeniedException, a missing table) is not one.
 * Reads the shape SDK v3 errors have (`name`, `$fault`, `$retryable`, `$metadata.httpStatusCode`, a Node
 * `code`): no SDK import, so the check costs no bundle.
 */
const THROTTLED = new Set([
  'ThrottlingException',
  'Throttling',
  'ThrottledException',
  'RequestThrottled',
  'RequestThrottledException',
  'TooManyRequestsException',
  'ProvisionedThroughputExceededException',
  'RequestLimitExceeded',
  'TransactionInProgressException',
]);

/** 5xx-like and network failures by name or code (the SDK's transient errors) */
const TRANSIENT = new Set([
  'InternalServerError',
  'InternalFailure',
  'InternalServerException',
  'ServiceUnavailable',
  'ServiceUnavailableException',
  'TimeoutError',
  'RequestTimeout',
  'RequestTimeoutException',
  'ECONNRESET',
  'ECONNREFUSED',
  'EPIPE',
  'ETIMEDOUT',
]);

interface SdkErrorShape {
  readonly name?: unknown;
  readonly code?: unknown;
  readonly $fault?: unknown;
  readonly $retryable?: unknown;
  readonly $metadata?: { readonly httpStatusCode?: unknown };
}

export function isDependencyBusy(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const shape = error as SdkErrorShape;
  const name = typeof shape.name === 'string' ? shape.name : '';
  const code = typeof shape.code === 'string' ? shape.code : '';
  if (THROTTLED.has(name) || TRANSIENT.has(name) || TRANSIENT.has(code)) return true;
  // only errors an AWS client raised from here on: a plain Error of ours with a status is not one
  if (!('$metadata' in shape)) return false;
  const status = shape.$metadata?.httpStatusCode;
  return (
    shape.$retryable !== undefined ||
    shape.$fault === 'server' ||
    status === 429 ||
    (typeof status === 'number' && status >= 500)
  );
}
