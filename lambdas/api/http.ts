/**
 * HTTP edge helpers shared by the API handlers: the error shape every route answers with,
 * body parsing (JSON and plain HTML form posts) with a size limit, and input validation
 * that names the failing field. Nothing here knows about leads.
 */
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import type { z } from 'zod';

export type HttpEvent = APIGatewayProxyEventV2;
export type HttpResult = APIGatewayProxyStructuredResultV2;

export interface FieldError {
  readonly path: string;
  readonly message: string;
}

/** An error the client can fix; becomes `{ "error": { code, message, fields } }` with its status. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly fields: readonly FieldError[] = [],
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = 'HttpError';
  }
}

export const notFound = (what: string) => new HttpError(404, 'not_found', `${what} not found`);

export function json(status: number, body: unknown, headers: Record<string, string> = {}): HttpResult {
  return {
    statusCode: status,
    headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', ...headers },
    body: JSON.stringify(body),
  };
}

export function errorResponse(error: HttpError): HttpResult {
  return json(
    error.status,
    { error: { code: error.code, message: error.message, fields: error.fields } },
    error.headers,
  );
}

export function header(event: HttpEvent, name: string): string | undefined {
  const wanted = name.toLowerCase();
  for (const [key, value] of Object.entries(event.headers ?? {})) {
    if (key.toLowerCase() === wanted) return value;
  }
  return undefined;
}

export type BodyKind = 'json' | 'form';

/**
 * Parses the request body as JSON or as a form post (application/x-www-form-urlencoded).
 * 413 above `maxBytes`, 415 for other media types, 400 for a body that does not parse.
 */
export function parseBody(
  event: HttpEvent,
  options: { maxBytes: number; accept: readonly BodyKind[] },
): { kind: BodyKind; data: unknown } {
  const raw = event.body ?? '';
  const bytes = event.isBase64Encoded ? Buffer.from(raw, 'base64') : Buffer.from(raw, 'utf8');
  if (bytes.length > options.maxBytes) {
    throw new HttpError(
      413,
      'payload_too_large',
      `the body is ${bytes.length} bytes; the limit is ${options.maxBytes}`,
    );
  }
  const mediaType = (header(event, 'content-type') ?? '').split(';')[0]!.trim().toLowerCase();
  const kind: BodyKind | undefined =
    mediaType === 'application/json' || mediaType.endsWith('+json')
      ? 'json'
      : mediaType === 'application/x-www-form-urlencoded'
        ? 'form'
        : undefined;
  if (!kind || !options.accept.includes(kind)) {
    const accepted = options.accept
      .map((k) => (k === 'json' ? 'application/json' : 'application/x-www-form-urlencoded'))
      .join(' or ');
    throw new HttpError(
      415,
      'unsupported_media_type',
      `send ${accepted}${mediaType ? `, not ${mediaType}` : ''}`,
      [{ path: 'content-type', message: `expected ${accepted}` }],
    );
  }
  const text = bytes.toString('utf8');
  if (kind === 'form') return { kind, data: parseForm(text) };
  try {
    return { kind, data: JSON.parse(text) };
  } catch {
    throw new HttpError(400, 'invalid_json', 'the body is not valid JSON');
  }
}

/** A form post as a plain object; a repeated name keeps its first value. No prototype keys. */
function parseForm(text: string): Record<string, string> {
  const data: Record<string, string> = Object.create(null);
  for (const [key, value] of new URLSearchParams(text)) {
    if (!(key in data)) data[key] = value;
  }
  return data;
}

/** Validates with a zod schema; 400 naming every failing field. */
export function validate<T extends z.ZodType>(
  schema: T,
  data: unknown,
  message = 'the request is invalid',
): z.output<T> {
  const result = schema.safeParse(data);
  if (result.success) return result.data;
  const fields = result.error.issues.flatMap((issue): FieldError[] => {
    const path = issue.path.map(String).join('.');
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => ({ path: path ? `${path}.${key}` : key, message: 'unknown field' }));
    }
    return [{ path: path || '(body)', message: issue.message }];
  });
  throw new HttpError(400, 'invalid_request', message, fields);
}

/**
 * A number the store keeps exactly as given: the AWS SDK refuses numbers beyond 2^53 - 1 and DynamoDB
 * refuses magnitudes below 1e-130, so anything outside would fail at write time (a 500) instead of here.
 */
export function isStorableNumber(value: number): boolean {
  const magnitude = Math.abs(value);
  return value === 0 || (magnitude >= 1e-130 && magnitude <= Number.MAX_SAFE_INTEGER);
}

export const STORABLE_NUMBER_MESSAGE = 'a number between -9007199254740991 and 9007199254740991';

/**
 * Names an object inherits (constructor, toString, ...): as keys of caller-named maps (custom fields,
 * event properties) they break code that reads `map[key]` and the SDK's marshalling of the item.
 */
export function isReservedName(name: string): boolean {
  return name in Object.prototype;
}

/** 422: the request is well formed but the SLA or the lead's state does not allow it. */
export function unprocessable(path: string, message: string): HttpError {
  return new HttpError(422, 'unprocessable', message, [{ path, message }]);
}
