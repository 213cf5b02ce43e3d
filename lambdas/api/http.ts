/**
 * HTTP edge helpers shared by the API handlers: the error shape every route answers with,
 * body parsing (JSON and plain HTML form posts) with a size limit, and input validation
 * that names the failing field. Nothing here knows about leads.
 */

import { TextDecoder } from 'node:util';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import * as z from 'zod';
import { type FieldIssue, fieldIssue } from '../domain/form-values.ts';
import type { KnownOf, Refusal } from '../domain/refusal.ts';
import { isDependencyBusy } from '../ports/dependency-busy.ts';
import { isMailThrottled } from '../ports/mailer.ts';
import { shownValue } from './known-values.ts';
import { MultipartError, type MultipartPart, multipartBoundary, parseMultipart } from './multipart.ts';
import { type RepeatedNames, repeatedNames } from './repeated-names.ts';
import { undeclaredCharsets } from './undeclared-charset.ts';
import { decodeWindows1252 } from './windows-1252.ts';

export type HttpEvent = APIGatewayProxyEventV2;
export type HttpResult = APIGatewayProxyStructuredResultV2;

export interface FieldError {
  readonly path: string;
  readonly message: string;
  /** why, as data, for an edge that words it in its reader's language (the console); not in the API's JSON */
  readonly refusal?: Refusal;
}

/** An error the client can fix; becomes `{ "error": { code, message, fields } }` with its status. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly fields: readonly FieldError[] = [],
    readonly headers: Record<string, string> = {},
    /** why, as data, for an edge that words it in its reader's language (the console); not in the API's JSON */
    readonly refusal?: Refusal,
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
    {
      error: {
        code: error.code,
        message: error.message,
        fields: error.fields.map(({ path, message }) => ({ path, message })),
      },
    },
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

/** The request's media type: its content-type without parameters, lower case ('' when none is sent). */
export function mediaTypeOf(event: HttpEvent): string {
  return (header(event, 'content-type') ?? '').split(';')[0]!.trim().toLowerCase();
}

export type BodyKind = 'json' | 'form';

/** The request body's bytes as the client sent them (API Gateway base64-encodes binary bodies). */
export function bodyBytes(event: HttpEvent): Buffer {
  const raw = event.body ?? '';
  return event.isBase64Encoded ? Buffer.from(raw, 'base64') : Buffer.from(raw, 'utf8');
}

/**
 * Parses the request body as JSON or as a form post (application/x-www-form-urlencoded).
 * 413 above `maxBytes`, 415 for other media types, 400 for a body that does not parse or, as JSON, gives a
 * name twice in one object (jsonBody).
 */
export function parseBody(
  event: HttpEvent,
  options: { maxBytes: number; accept: readonly BodyKind[] },
): { kind: BodyKind; data: unknown } {
  const bytes = bodyBytes(event);
  if (bytes.length > options.maxBytes) {
    throw new HttpError(
      413,
      'payload_too_large',
      `the body is ${bytes.length} bytes; the limit is ${options.maxBytes}`,
    );
  }
  const mediaType = mediaTypeOf(event);
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
  // a byte order mark first (some .NET and Power Automate senders write one) is no part of the content
  const text = bytes.toString('utf8').replace(/^\uFEFF/, '');
  if (kind === 'form') return { kind, data: parseForm(text) };
  return { kind, data: jsonBody(text) };
}

/**
 * A JSON text as parsed, with the names it gives twice in one object (repeated-names.ts), which JSON.parse
 * hides by keeping the last value: the one reading of every JSON body. 400 `invalid_json` when it is not JSON.
 */
export function readJson(text: string): { data: unknown; repeated?: RepeatedNames } {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    throw new HttpError(400, 'invalid_json', 'the body is not valid JSON');
  }
  const repeated = repeatedNames(text);
  return { data, ...(repeated ? { repeated } : {}) };
}

/** 400 naming a name a JSON body gives twice in one object (`path`: where, as repeated-names.ts gives it). */
export function nameGivenTwice(path: string, message = 'the request is invalid'): HttpError {
  return new HttpError(400, 'invalid_request', message, [
    { path, message: 'a name given once in its object, not twice' },
  ]);
}

/**
 * A JSON body that is a request, not a form post (the token routes, POST /sla/impact): parsed, and refused
 * with 400 naming a name it gives twice in one object. `{"owner":"mats","owner":"lena"}` is two changes, not
 * the last one: which was meant is for the sender to say.
 */
export function jsonBody(text: string): unknown {
  const { data, repeated } = readJson(text);
  if (repeated) throw nameGivenTwice(repeated.first);
  return data;
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
    // a map's key the schema refuses (an event property's name): what is wrong with it, not zod's "Invalid key"
    if (issue.code === 'invalid_key')
      return [{ path: path || '(body)', message: issue.issues.map((inner) => inner.message).join('; ') }];
    // a text over its limit: the limit as data, for a reader in another language
    // a name the SLA does not have (known-values.ts oneOfKnown): the value given, for the console to quote
    const unknownOf = issue.code === 'custom' ? (issue.params?.unknownOf as KnownOf | undefined) : undefined;
    const refusal: Refusal | undefined =
      issue.code === 'too_big' && issue.origin === 'string'
        ? { kind: 'tooLong', max: Number(issue.maximum) }
        : unknownOf
          ? { kind: 'unknownValue', of: unknownOf, value: shownValue(String(valueAt(data, issue.path))) }
          : undefined;
    return [{ path: path || '(body)', message: issue.message, ...(refusal ? { refusal } : {}) }];
  });
  throw new HttpError(400, 'invalid_request', message, fields);
}

/** What `data` holds at a zod issue's path. */
function valueAt(data: unknown, path: readonly PropertyKey[]): unknown {
  return path.reduce<unknown>(
    (at, key) =>
      at !== null && typeof at === 'object' ? (at as Record<PropertyKey, unknown>)[key] : undefined,
    data,
  );
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

/**
 * A map of caller-named keys (custom fields, event properties) that refuses an own `__proto__` key by name:
 * JSON.parse makes one, and zod's record drops it without an issue, so the rest would be stored without it.
 */
export function ownKeysOnly<T extends z.ZodType>(schema: T) {
  return z.preprocess((value, ctx) => {
    if (typeof value === 'object' && value !== null && Object.hasOwn(value, '__proto__'))
      ctx.issues.push({ code: 'custom', path: ['__proto__'], message: 'a reserved name', input: value });
    return value;
  }, schema);
}

/** 422: the request is well formed but the SLA or the lead's state does not allow it. */
export function unprocessable(path: string, message: string, refusal?: Refusal): HttpError {
  const field = { path, message, ...(refusal ? { refusal } : {}) };
  return new HttpError(422, 'unprocessable', message, [field], {}, refusal);
}

/** A form post's body as read: JSON as parsed, or an HTML form's fields in order (repeats kept). */
export type FormBody =
  | {
      readonly kind: 'json';
      readonly data: unknown;
      /**
       * The top-level members in order, every value of a name the post gives twice (JSON.parse keeps only the
       * last): present when one repeats (jsonFormBody)
       */
      readonly members?: readonly (readonly [string, unknown])[];
    }
  | {
      readonly kind: 'form' | 'multipart';
      readonly fields: readonly (readonly [string, string])[];
      /**
       * Values whose bytes are not text in the charset the post names, or, naming none, neither UTF-8 nor a
       * Western page's windows-1252 (an Arabic windows-1256 page without `_charset_`): left out of `fields`,
       * their bytes kept percent-encoded (ADR 0018)
       */
      readonly unreadable?: readonly FieldIssue[];
    };

/**
 * A form post's JSON text as its body: parsed, and with every value of a top-level name given twice (read as
 * a form's repeated name: two different emails are refused as in a form post). A name given twice in a nested
 * object (a vendor's record, HubSpot's `{ name, value }`) has no such reading and is refused naming it.
 */
export function jsonFormBody(text: string): FormBody {
  const { data, repeated } = readJson(text);
  if (repeated?.nested !== undefined) throw nameGivenTwice(repeated.nested, 'the lead is invalid');
  return { kind: 'json', data, ...(repeated?.members ? { members: repeated.members } : {}) };
}

/**
 * Reads the body of a form post: JSON, `application/x-www-form-urlencoded` or `multipart/form-data`
 * (text fields only: a file is refused with 415). A form's text is decoded with the charset the post
 * names: the content type's `charset`, else the form's `_charset_` field (browsers fill it with the
 * encoding they used), so a windows-1256 page's Arabic arrives as written; else UTF-8, or windows-1252
 * for an old Western page's bytes that are not UTF-8 (`M%FCller`: undeclared-charset.ts).
 */
export function readFormBody(event: HttpEvent, maxBytes: number): FormBody {
  const bytes = bodyBytes(event);
  const contentType = header(event, 'content-type') ?? '';
  const mediaType = mediaTypeOf(event);
  if (bytes.length > maxBytes) {
    const files = mediaType === 'multipart/form-data' ? fileFieldsIn(bytes.toString('latin1')) : [];
    if (files.length > 0) throw fileRefused(files);
    throw new HttpError(
      413,
      'payload_too_large',
      `the body is ${bytes.length} bytes; the limit is ${maxBytes}`,
    );
  }
  const declared = /;\s*charset="?([^";\s]+)"?/i.exec(contentType)?.[1];
  if (mediaType === 'application/json' || mediaType.endsWith('+json')) {
    return jsonFormBody(decoder(declared ?? 'utf-8').decode(bytes));
  }
  if (mediaType === 'application/x-www-form-urlencoded') {
    const pairs = splitUrlEncoded(bytes);
    const named = declared ?? asciiValue(pairs, '_charset_');
    const charsetOf = named ? () => named : undeclaredCharsets(pairs.flat());
    return readableFields(
      'form',
      pairs.map(([name, value]) => {
        const names = decoder(charsetOf(name));
        const decoded = names.decode(name);
        return {
          name: names.encoding === 'utf-8' ? decoded : withCharacterReferences(decoded),
          value,
          charset: charsetOf(value),
        };
      }),
    );
  }
  if (mediaType === 'multipart/form-data') {
    const boundary = multipartBoundary(contentType);
    if (!boundary) {
      throw new HttpError(400, 'invalid_request', 'the multipart post names no boundary', [
        { path: 'content-type', message: 'multipart/form-data needs a boundary' },
      ]);
    }
    let parts: MultipartPart[];
    try {
      parts = parseMultipart(bytes, boundary);
    } catch (error) {
      if (!(error instanceof MultipartError)) throw error;
      throw new HttpError(400, 'invalid_request', `the multipart post does not parse: ${error.message}`, [
        { path: '(body)', message: error.message },
      ]);
    }
    // a file input left empty: browsers send its part all the same, with no file name and no bytes (HTML's
    // form-data entry list); it carries nothing, so it is no reason to refuse the lead
    const sent = parts.filter((part) => !(part.filename === '' && part.data.length === 0));
    const files = sent.filter((part) => part.filename !== undefined).map((part) => part.name);
    if (files.length > 0) throw fileRefused(files);
    const charsetField = sent
      .find((part) => part.name === '_charset_')
      ?.data.toString('latin1')
      .trim();
    const named = declared || charsetField;
    const ownCharset = (part: MultipartPart) =>
      part.contentType && /;\s*charset="?([^";\s]+)"?/i.exec(part.contentType)?.[1];
    const undeclared = undeclaredCharsets(sent.filter((part) => !ownCharset(part)).map((part) => part.data));
    return readableFields(
      'multipart',
      sent.map((part) => ({
        name: part.name,
        value: part.data,
        charset: ownCharset(part) || named || undeclared(part.data),
      })),
    );
  }
  const accepted = 'application/x-www-form-urlencoded, multipart/form-data or application/json';
  throw new HttpError(
    415,
    'unsupported_media_type',
    `send ${accepted}${mediaType ? `, not ${mediaType}` : ''}`,
    [{ path: 'content-type', message: `expected ${accepted}` }],
  );
}

/** the message of each field a 415 for a file names (`fileRefused`): a form page says it in the visitor's language */
export const FILE_FIELD_REFUSED = 'file uploads are not accepted';
/** the path a 415 for a file gives when the post names no field for it */
export const FILE_FIELD_UNNAMED = '(file)';

/** 415 naming each file field (`cv`), so the form's owner knows which input to remove; `(file)` if none reads. */
function fileRefused(names: readonly string[]): HttpError {
  const named = [...new Set(names.filter((name) => name !== ''))];
  return new HttpError(
    415,
    'unsupported_media_type',
    'files cannot be sent with a lead: remove the file field from the form',
    (named.length > 0 ? named : [FILE_FIELD_UNNAMED]).map((path) => ({
      path,
      message: FILE_FIELD_REFUSED,
    })),
  );
}

/**
 * The names of the file fields of a multipart body too large to parse, from their part headers: lines of
 * at most 1,000 characters (a header, not a file's bytes) read with anchored, linear patterns.
 */
function fileFieldsIn(body: string): string[] {
  const names: string[] = [];
  for (const line of body.split(/\r?\n/)) {
    // a file input left empty names no file (`filename=""`): the post is too large for another reason
    if (line.length > 1000 || !/^content-disposition:/i.test(line) || !/;\s*filename\*?=(?!"")/i.test(line))
      continue;
    const name = /;\s*name="([^"]*)"/i.exec(line)?.[1];
    if (name !== undefined) names.push(Buffer.from(name, 'latin1').toString('utf8'));
    if (names.length >= 10) break;
  }
  return names;
}

/**
 * A form's fields as text. A value whose bytes are not text in its charset is never stored as U+FFFD
 * garbage: it leaves `fields` and becomes a field issue with its bytes percent-encoded, so ops can read
 * it once they know the page's encoding. An email stays (garbled), so the post is refused naming `email`.
 */
function readableFields(
  kind: 'form' | 'multipart',
  raw: readonly { name: string; value: Buffer; charset: string }[],
): FormBody {
  const fields: (readonly [string, string])[] = [];
  const unreadable: FieldIssue[] = [];
  for (const { name, value, charset } of raw) {
    const strict = decoder(charset, true);
    const text = (bytes: Buffer, as: Decoder) =>
      as.encoding === 'utf-8' ? as.decode(bytes) : withCharacterReferences(as.decode(bytes));
    try {
      fields.push([name, text(value, strict)]);
    } catch {
      if (/email/i.test(name)) fields.push([name, text(value, decoder(charset))]);
      else
        unreadable.push(
          fieldIssue(
            name,
            percentEncoded(value),
            `not ${charset.toUpperCase()} text: the page is in another encoding; add <input type="hidden" name="_charset_"> (or accept-charset="utf-8") to the form`,
          ),
        );
    }
  }
  return unreadable.length > 0 ? { kind, fields, unreadable } : { kind, fields };
}

/** Bytes as printable ASCII with every other byte (and "%") as %XX: reversible, safe to show. */
function percentEncoded(bytes: Buffer): string {
  let out = '';
  for (const byte of bytes) {
    out +=
      byte >= 0x20 && byte < 0x7f && byte !== 0x25
        ? String.fromCharCode(byte)
        : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

interface Decoder {
  /** the WHATWG encoding the charset label names (`latin1` and `iso-8859-1` are `windows-1252`) */
  readonly encoding: string;
  decode(bytes: Uint8Array): string;
}

function decoder(charset: string, fatal = false): Decoder {
  let decoding: TextDecoder;
  try {
    // fatal: false (the default), so a stray byte becomes U+FFFD instead of losing the lead
    decoding = new TextDecoder(charset.trim().toLowerCase(), { fatal });
  } catch {
    throw new HttpError(415, 'unsupported_media_type', `the charset ${charset} is not supported`, [
      { path: 'charset', message: `${charset} is not a known character encoding` },
    ]);
  }
  return decoding.encoding === 'windows-1252' ? WINDOWS_1252 : decoding;
}

const WINDOWS_1252: Decoder = { encoding: 'windows-1252', decode: decodeWindows1252 };

/**
 * A character the page's encoding cannot hold, as a browser sends it from a form in that encoding: its decimal
 * reference (`&#1632;` for ٠, `&#128512;` for 😀: HTML's form submission). Read back as the character in a post
 * that is not UTF-8, so an Arabic keyboard's digits and an emoji arrive as typed. (A person who typed the
 * reference itself on such a page gets the character: the two are the same bytes.)
 */
function withCharacterReferences(text: string): string {
  return text.replace(/&#(\d{1,7});/g, (reference, digits: string) => {
    const point = Number(digits);
    const character = point > 0 && point <= 0x10ffff && (point < 0xd800 || point > 0xdfff);
    return character ? String.fromCodePoint(point) : reference;
  });
}

/** name=value pairs of a URL-encoded body as bytes ("+" a space, %XX a byte): decoded later with the charset. */
function splitUrlEncoded(bytes: Buffer): [Buffer, Buffer][] {
  const pairs: [Buffer, Buffer][] = [];
  for (const piece of bytes.toString('latin1').split('&')) {
    if (piece === '') continue;
    const equals = piece.indexOf('=');
    const name = equals < 0 ? piece : piece.slice(0, equals);
    const value = equals < 0 ? '' : piece.slice(equals + 1);
    pairs.push([percentDecode(name), percentDecode(value)]);
  }
  return pairs;
}

function percentDecode(text: string): Buffer {
  const out: number[] = [];
  for (let i = 0; i < text.length; i++) {
    const char = text.charCodeAt(i);
    if (char === 0x2b) out.push(0x20);
    else if (char === 0x25 && /^[0-9A-Fa-f]{2}$/.test(text.slice(i + 1, i + 3))) {
      out.push(Number.parseInt(text.slice(i + 1, i + 3), 16));
      i += 2;
    } else out.push(char & 0xff);
  }
  return Buffer.from(out);
}

function asciiValue(pairs: readonly [Buffer, Buffer][], name: string): string | undefined {
  const pair = pairs.find(([key]) => key.toString('latin1') === name);
  const value = pair?.[1].toString('latin1').trim();
  return value ? value : undefined;
}

/**
 * A browser navigating (a plain HTML form post) rather than a program calling the API: it gets HTML
 * pages and redirects, a program gets JSON. `Sec-Fetch-Mode: navigate`, or an Accept that ranks
 * text/html above JSON (a browser too old to send Sec-Fetch-Mode).
 */
export function wantsHtml(event: HttpEvent): boolean {
  const mode = header(event, 'sec-fetch-mode');
  if (mode?.toLowerCase() === 'navigate') return true;
  const { html, json } = acceptRanks(event);
  return html > 0 && html > json;
}

/**
 * The best quality an Accept header gives a page (text/html, application/xhtml+xml) and JSON
 * (application/json, any +json type); 0 for one it does not name (no Accept: both 0).
 */
export function acceptRanks(event: HttpEvent): { html: number; json: number } {
  let html = 0;
  let json = 0;
  for (const range of (header(event, 'accept') ?? '').split(',')) {
    const [type = '', ...params] = range.trim().toLowerCase().split(';');
    const q = Number(
      params
        .map((p) => p.trim())
        .find((p) => p.startsWith('q='))
        ?.slice(2) ?? '1',
    );
    const quality = Number.isFinite(q) ? q : 0;
    if (type === 'text/html' || type === 'application/xhtml+xml') html = Math.max(html, quality);
    if (type === 'application/json' || type.endsWith('+json')) json = Math.max(json, quality);
  }
  return { html, json };
}

/** The one log line of a route's unexpected failure: the route and error class only (messages may carry personal data). */
export function logRouteFailure(route: string, error: unknown, level: 'error' | 'warn' = 'error'): void {
  const failure = error instanceof Error ? error : undefined;
  (level === 'warn' ? console.warn : console.error)(
    JSON.stringify({
      level,
      route,
      error: failure?.name,
      stack: failure?.stack?.split('\n')[1]?.trim(),
    }),
  );
}

/** Seconds a client is asked to wait before it tries again a request a busy dependency refused. */
export const BUSY_RETRY_AFTER_SECONDS = 5;

/**
 * An error a route lets through as the HTTP error it means: a send SES refused for its rate or quota
 * (MailThrottled, ADR 0051) is 503 with Retry-After, nothing was sent; an AWS service that stayed busy past
 * the SDK's retries (throttled, a 5xx, a reset connection: ports/dependency-busy.ts) is 503 with Retry-After,
 * logged as a warning for `route`; any other error is itself.
 */
export function asKnownError(error: unknown, route: string): unknown {
  if (isMailThrottled(error))
    return new HttpError(
      503,
      'mail_throttled',
      'the email could not be sent just now; ask again in a minute',
      [],
      { 'retry-after': '60' },
    );
  if (isDependencyBusy(error)) {
    logRouteFailure(route, error, 'warn');
    return new HttpError(
      503,
      'temporarily_unavailable',
      'the service is busy just now; ask again in a few seconds',
      [],
      { 'retry-after': String(BUSY_RETRY_AFTER_SECONDS) },
    );
  }
  return error;
}
