/**
 * Property-based fuzzing (fast-check) of every route in lambdas/api/routes.ts, through a real socket to the
 * local runtime (dynalite, the DynamoDB store, the HTTP server; workflows recorded). Requests go out byte for
 * byte (test/support/raw-http.ts), so they may carry what `fetch` refuses to send: duplicate or missing
 * headers, raw bytes in the path, invalid UTF-8, a Content-Length that lies, chunked bodies.
 *
 * Inputs: bodies near the route's schema with hostile values (wrong types, huge strings, NUL and C0/C1
 * controls, lone surrogates, bidi overrides, markup, header breaks, 1e309 / -0 / NaN as JSON tokens, deep
 * nesting, __proto__ / constructor keys, duplicate keys), arbitrary JSON, malformed JSON, form posts with
 * repeated keys and broken escapes, multipart, text/plain, no or odd content types, bodies over the limits;
 * path ids with slashes, unicode, broken escapes, very long; action and unsubscribe tokens that are random,
 * mangled, signed with another key, or signed with the real key around hostile or stale payloads; with and
 * without (and with broken or duplicated) admin tokens, origins and Accept headers.
 *
 * Properties, for every request:
 * - never 5xx; nothing is logged at error level (an unexpected failure the handler swallowed);
 * - a 4xx is the API's JSON `{ error: { code, message, fields } }`, except that the routes for people
 *   following links from email (responds: 'html') answer with an HTML page (whatever the Accept header
 *   says); the server's own edge refusals before a route runs (unparsable HTTP, 404 no route, 405, 413
 *   over the read limit) stay JSON there too;
 * - nothing is stored from a rejected request: a raw Scan of the whole table and the workflow calls are
 *   the same before and after every 4xx;
 * - an authenticated route never answers 2xx to a request without the admin token;
 * - a 303 from the form goes to an allowed origin only; pages never carry a script or an injected tag;
 * - Object.prototype is never polluted.
 *
 * Bounded: a fixed seed (printed; API_FUZZ_SEED=<n> replays another) and numRuns per route (API_FUZZ_SCALE
 * multiplies them) keep the file well under a minute.
 */
import { createHmac } from 'node:crypto';
import { type AttributeValue, ScanCommand } from '@aws-sdk/client-dynamodb';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it, type MockInstance, vi } from 'vitest';
import { EVENTS_SWEEP_KEY } from '../../lambdas/adapters/table-definition.ts';
import { type HttpEvent, wantsHtml } from '../../lambdas/api/http.ts';
import { ROUTES, type RouteDefinition } from '../../lambdas/api/routes.ts';
import {
  ACTION_KINDS,
  type ActionPayload,
  type Handover,
  handoverOf,
  signActionToken,
} from '../../lambdas/domain/action-links.ts';
import { csrfTokenOf, signSessionToken, signSignInToken } from '../../lambdas/domain/sign-in.ts';
import { CHANNELS } from '../../lambdas/domain/sla-constants.ts';
import { LOCAL_TABLE } from '../../local/runtime.ts';
import {
  ADMIN_TOKEN,
  ALLOWED_ORIGIN,
  exampleLead,
  OTHER_ORIGIN,
  T0,
  useLocalApi,
} from '../support/local-api.ts';
import { type RawRequest, type RawResponse, rawRequest } from '../support/raw-http.ts';
import { changedSlaText, JONAS_TO_LENA } from '../support/sla-change.ts';

const SEED = Number(process.env.API_FUZZ_SEED ?? 20_261_127);
const SCALE = Number(process.env.API_FUZZ_SCALE ?? 1);
const runs = (n: number) => Math.max(1, Math.round(n * SCALE));
console.info(`api-fuzz: fast-check seed ${SEED}, scale ${SCALE} (API_FUZZ_SEED / API_FUZZ_SCALE to change)`);

/** Refusals the server itself makes before any route's handler runs: JSON on every path. */
const EDGE_CODES = new Set([
  'bad_request',
  'headers_too_large',
  'not_found',
  'method_not_allowed',
  'payload_too_large',
  'too_many_requests',
  'origin_not_allowed',
]);
const MAX_BODY = 16 * 1024;
const READ_LIMIT = MAX_BODY * 4;
const T0_SECONDS = Math.floor(T0.getTime() / 1000);

// ---------- values ----------

/** Spliced raw into JSON text: number tokens JSON.stringify cannot produce, and some that are not JSON. */
class Raw {
  constructor(readonly text: string) {}
}
/** A JSON object as a list of entries: duplicate keys and `__proto__` kept as written. */
class Obj {
  constructor(readonly entries: readonly (readonly [string, unknown])[]) {}
}

function toJson(value: unknown): string {
  if (value instanceof Raw) return value.text;
  if (value instanceof Obj)
    return `{${value.entries.map(([key, v]) => `${JSON.stringify(key)}:${toJson(v)}`).join(',')}}`;
  if (Array.isArray(value)) return `[${value.map(toJson).join(',')}]`;
  return JSON.stringify(value) ?? 'null';
}

/** encodeURIComponent that also takes lone surrogates (as the bytes of their code point, not UTF-8). */
function encode(text: string): string {
  try {
    return encodeURIComponent(text);
  } catch {
    return [...text]
      .map((char) => {
        const code = char.charCodeAt(0);
        if (char.length === 1 && code >= 0xd800 && code <= 0xdfff)
          return `%${(0xe0 | (code >> 12)).toString(16)}%${(0x80 | ((code >> 6) & 0x3f)).toString(16)}%${(0x80 | (code & 0x3f)).toString(16)}`.toUpperCase();
        return encodeURIComponent(char);
      })
      .join('');
  }
}

const NASTY = [
  '\u0000',
  '\u0007',
  '\b',
  '\r\n',
  '\n',
  '\r',
  '\t',
  '\u001b[31m',
  '\u007f',
  '\u0085',
  '\u009b',
  '\u2028',
  '\u2029',
  '\u202e',
  '\u202d',
  '\u2066',
  '\u2069',
  '\u200f',
  '\u200b',
  '\ufeff',
  '\ufffd',
  '\ud800',
  '\udfff',
  '\udc00\ud800',
  'e\u0301',
  '\u{1f469}\u{1f3fd}\u200d\u{1f4bb}',
  '\u0130',
  'ß',
  'ﷺ',
  '<script>alert(1)</script>',
  '"><img src=x onerror=alert(1)>',
  "'; DROP TABLE leads; --",
  '{{constructor.constructor("alert(1)")()}}',
  // biome-ignore lint/suspicious/noTemplateCurlyInString: a template-injection probe, meant literally
  '${7*7}',
  '%00',
  '%E0%A4%A',
  '../../etc/passwd',
  '\r\nBcc: victim@example.com',
  '\nSubject: win',
  '=?utf-8?b?PHNjcmlwdD4=?=',
  '__proto__',
  'constructor',
  'prototype',
  'toString',
  '$ne',
  'NaN',
  '-0',
  '1e309',
  '',
  ' ',
] as const;
const nasty = fc.constantFrom(...NASTY);
const utf16 = fc.string({
  unit: fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c)),
  maxLength: 30,
});
/** Hostile text that fits a field: controls, surrogates, bidi, markup, header breaks, any code unit. */
const shortHostile: fc.Arbitrary<string> = fc.oneof(
  {
    weight: 3,
    arbitrary: fc
      .array(fc.oneof(nasty, fc.string({ maxLength: 6 })), { minLength: 1, maxLength: 5 })
      .map((p) => p.join('')),
  },
  { weight: 2, arbitrary: fc.string({ maxLength: 30 }) },
  { weight: 2, arbitrary: utf16 },
  { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 15 }) },
);
/** ... and sometimes far too long for it. */
const hostileText: fc.Arbitrary<string> = fc.oneof(
  { weight: 8, arbitrary: shortHostile },
  {
    weight: 1,
    arbitrary: fc
      .tuple(fc.constantFrom('x', 'é', '\u202e', '\u0000', '𝔸', '<'), fc.integer({ min: 100, max: 20_000 }))
      .map(([unit, n]) => unit.repeat(Math.ceil(n / unit.length))),
  },
);
/** Mostly a value the route accepts, sometimes a hostile one. */
const mostly = <T>(valid: fc.Arbitrary<T>, hostile: fc.Arbitrary<unknown> = hostileText) =>
  fc.oneof({ weight: 4, arbitrary: valid }, { weight: 1, arbitrary: hostile });
const NUMBER_TOKENS = [
  '1e309',
  '-1e309',
  '-0',
  '0',
  '1e-400',
  '1e-131',
  '123456789012345678901234567890',
  '9007199254740993',
  '-5',
  '0.5',
  '1E3',
];
const NOT_JSON_TOKENS = [
  'NaN',
  'Infinity',
  '-Infinity',
  '0x10',
  '01',
  '.5',
  '1.',
  '+1',
  '1_000',
  'undefined',
  "'x'",
];
const numberToken = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...NUMBER_TOKENS) },
  { weight: 1, arbitrary: fc.constantFrom(...NOT_JSON_TOKENS) },
);
const scalar: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 4, arbitrary: hostileText },
  { weight: 1, arbitrary: fc.double() },
  { weight: 1, arbitrary: fc.integer() },
  { weight: 1, arbitrary: fc.boolean() },
  { weight: 1, arbitrary: fc.constant(null) },
  { weight: 2, arbitrary: numberToken.map((token) => new Raw(token)) },
);
const PROTO_KEYS = [
  '__proto__',
  'constructor',
  'prototype',
  'toString',
  'hasOwnProperty',
  'valueOf',
  '__defineGetter__',
];
const deepNesting = fc
  .tuple(fc.constantFrom('[', '{"a":'), fc.integer({ min: 50, max: 6000 }))
  .map(([open, depth]) => new Raw(open.repeat(depth) + '1' + (open === '[' ? ']' : '}').repeat(depth)));

function valueTree(keys: fc.Arbitrary<string>): fc.Arbitrary<unknown> {
  const { value } = fc.letrec<{ value: unknown; array: unknown[]; object: Obj }>((tie) => ({
    value: fc.oneof({ depthSize: 'small', maxDepth: 4 }, scalar, tie('array'), tie('object')),
    array: fc.array(tie('value'), { maxLength: 4 }),
    object: fc.array(fc.tuple(keys, tie('value')), { maxLength: 5 }).map((entries) => new Obj(entries)),
  }));
  return fc.oneof({ weight: 8, arbitrary: value }, { weight: 1, arbitrary: deepNesting });
}

type Entries = (readonly [string, unknown])[];

/**
 * An object near the route's schema: the required fields and some optional ones with plausible values
 * (hostile text included where the route cleans it), then, half the time, damage: a field replaced by any
 * value, duplicated (JSON.parse keeps the last, a form post the first) or dropped, a hostile key added, or
 * prototype-pollution keys carrying nested objects.
 */
function nearValid(
  fields: Record<string, fc.Arbitrary<unknown>>,
  keys: fc.Arbitrary<string>,
  required: readonly string[] = [],
  damaged = true,
): fc.Arbitrary<Obj> {
  const tree = valueTree(keys);
  const names = Object.keys(fields);
  const base = fc.tuple(
    ...names.map((name) =>
      required.includes(name)
        ? fields[name]!.map((v): Entries => [[name, v]])
        : fc.option(fields[name]!, { freq: 2 }).map((v): Entries => (v === null ? [] : [[name, v]])),
    ),
  );
  const damage = fc.oneof(
    { weight: 4, arbitrary: fc.constant([] as ['replace' | 'duplicate' | 'drop', string, unknown][]) },
    {
      weight: 4,
      arbitrary: fc.array(
        fc.tuple(
          fc.constantFrom('replace' as const, 'replace' as const, 'duplicate' as const, 'drop' as const),
          fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...names) }, { weight: 1, arbitrary: keys }),
          tree,
        ),
        { minLength: 1, maxLength: 2 },
      ),
    },
    // prototype pollution: as a key, and as the nested objects lodash-style merges walk
    {
      weight: 1,
      arbitrary: fc.constantFrom(...PROTO_KEYS).map((key) => [
        [
          'replace' as const,
          key,
          new Obj([
            ['polluted', 'yes'],
            ['prototype', new Obj([['polluted', 'yes']])],
          ]),
        ] as ['replace' | 'duplicate' | 'drop', string, unknown],
      ]),
    },
  );
  return fc.tuple(base, damaged ? damage : fc.constant([])).map(([parts, ops]) => {
    let entries: Entries = parts.flat();
    for (const [op, key, value] of ops) {
      if (op === 'drop') entries = entries.filter(([k]) => k !== key);
      else if (op === 'duplicate') entries = [...entries, [key, value]];
      else entries = [...entries.filter(([k]) => k !== key), [key, value]];
    }
    return new Obj(entries);
  });
}

// ---------- bodies on the wire ----------

interface WireBody {
  readonly contentType?: string | readonly string[];
  readonly bytes?: Uint8Array;
  readonly chunked?: boolean;
  /** a Content-Length smaller than the body */
  readonly shortLength?: number;
}

function formText(obj: Obj, style: 'encoded' | 'raw'): string {
  const pairs: string[] = [];
  const add = (key: string, value: unknown) => {
    if (value instanceof Obj) for (const [k, v] of value.entries) add(`${key}[${k}]`, v);
    else if (Array.isArray(value)) for (const v of value) add(key, v);
    else {
      const text = value instanceof Raw ? value.text : String(value);
      pairs.push(style === 'encoded' ? `${encode(key)}=${encode(text)}` : `${key}=${text}`);
    }
  };
  for (const [key, value] of obj.entries) add(key, value);
  return pairs.join('&');
}

function multipart(obj: Obj): { contentType: string; text: string } {
  const boundary = '----leadpactfuzz7MA4YWxkTrZu0gW';
  const parts = obj.entries.map(
    ([key, value]) =>
      `--${boundary}\r\nContent-Disposition: form-data; name="${key}"\r\n\r\n${value instanceof Raw ? value.text : typeof value === 'string' ? value : toJson(value)}\r\n`,
  );
  return {
    contentType: `multipart/form-data; boundary=${boundary}`,
    text: `${parts.join('')}--${boundary}--\r\n`,
  };
}

const utf8 = (text: string) => Buffer.from(text, 'utf8');
const INVALID_UTF8 = [
  [0xff],
  [0xc0, 0xaf],
  [0xed, 0xa0, 0x80],
  [0xe2, 0x82],
  [0xf8, 0x88, 0x80, 0x80, 0x80],
  [0x80],
  [0xfe, 0xff],
];

/** Byte-level damage: invalid UTF-8, a BOM, a cut, padding past a limit. */
const mutation = fc.oneof(
  { weight: 12, arbitrary: fc.constant((bytes: Buffer) => bytes) },
  {
    weight: 2,
    arbitrary: fc
      .tuple(fc.constantFrom(...INVALID_UTF8), fc.double({ min: 0, max: 1, noNaN: true }))
      .map(([bad, at]) => (bytes: Buffer) => {
        const i = Math.floor(at * bytes.length);
        return Buffer.concat([bytes.subarray(0, i), Buffer.from(bad), bytes.subarray(i)]);
      }),
  },
  {
    weight: 1,
    arbitrary: fc.constant((bytes: Buffer) => Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), bytes])),
  },
  {
    weight: 1,
    arbitrary: fc
      .double({ min: 0, max: 1, noNaN: true })
      .map((at) => (bytes: Buffer) => bytes.subarray(0, Math.floor(at * bytes.length))),
  },
  {
    weight: 1,
    arbitrary: fc
      .constantFrom(MAX_BODY, MAX_BODY + 1, MAX_BODY * 4 - 1, READ_LIMIT + 1, READ_LIMIT * 2)
      .map(
        (size) => (bytes: Buffer) =>
          Buffer.concat([bytes, Buffer.alloc(Math.max(0, size - bytes.length), 0x20)]),
      ),
  },
);

const ODD_TYPES = [
  'text/plain',
  'text/plain; charset=utf-8',
  'application/xml',
  'text/html',
  '*/*',
  '',
  ';;;',
  'application/json, text/plain',
  'application/jsonp',
  'application/json; charset=latin1',
  'APPLICATION/JSON',
  'application/vnd.api+json',
  'application/x-www-form-urlencoded; charset=utf-8',
  'application/octet-stream',
  'multipart/form-data',
];

function wireBody(obj: fc.Arbitrary<Obj>, keys: fc.Arbitrary<string>, form: boolean): fc.Arbitrary<WireBody> {
  const tree = valueTree(keys);
  const text: fc.Arbitrary<{ text: string; kind: 'json' | 'form' }> = fc.oneof(
    { weight: 8, arbitrary: obj.map((o) => ({ text: toJson(o), kind: 'json' as const })) },
    {
      weight: form ? 4 : 1,
      arbitrary: obj.map((o) => ({ text: formText(o, 'encoded'), kind: 'form' as const })),
    },
    { weight: 1, arbitrary: obj.map((o) => ({ text: formText(o, 'raw'), kind: 'form' as const })) },
    { weight: 2, arbitrary: tree.map((v) => ({ text: toJson(v), kind: 'json' as const })) },
    {
      weight: 1,
      arbitrary: fc.tuple(obj, fc.double({ min: 0, max: 1, noNaN: true })).map(([o, at]) => ({
        text: toJson(o).slice(0, Math.floor(at * toJson(o).length)),
        kind: 'json' as const,
      })),
    },
    {
      weight: 1,
      arbitrary: fc
        .constantFrom(
          '{',
          '}',
          '[}',
          '{"a":1,}',
          '{"a" 1}',
          "{'a':1}",
          'null',
          '""',
          '0',
          'true',
          '[]',
          '{}',
          '{"__proto__":{"polluted":1}}',
          '%7B%7D',
          'a=%zz&a=%&=&&b',
        )
        .map((t) => ({ text: t, kind: 'json' as const })),
    },
    {
      weight: 1,
      arbitrary: fc
        .string({ unit: 'binary', maxLength: 200 })
        .map((t) => ({ text: t, kind: 'json' as const })),
    },
  );
  return fc
    .tuple(
      text,
      fc.oneof(
        { weight: 10, arbitrary: fc.constant('matching') },
        { weight: 1, arbitrary: fc.constant('multipart') },
        { weight: 1, arbitrary: fc.constant('none') },
        { weight: 2, arbitrary: fc.constantFrom(...ODD_TYPES) },
        // two Content-Type headers (Node keeps the first)
        { weight: 1, arbitrary: fc.constantFrom(...ODD_TYPES).map((t) => ['application/json', t]) },
      ),
      obj,
      mutation,
      fc.oneof(
        { weight: 20, arbitrary: fc.constant('plain') },
        { weight: 1, arbitrary: fc.constant('chunked') },
        { weight: 1, arbitrary: fc.constant('short') },
      ),
    )
    .map(([{ text: t, kind }, type, o, damage, framing]) => {
      let contentType: string | readonly string[] | undefined;
      let bytes: Buffer = utf8(t);
      if (type === 'matching')
        contentType = kind === 'json' ? 'application/json' : 'application/x-www-form-urlencoded';
      else if (type === 'multipart') {
        const m = multipart(o);
        contentType = m.contentType;
        bytes = utf8(m.text);
      } else if (type !== 'none') contentType = type;
      bytes = damage(bytes);
      return {
        ...(contentType === undefined ? {} : { contentType }),
        bytes,
        ...(framing === 'chunked' ? { chunked: true } : {}),
        ...(framing === 'short' && bytes.length > 1 ? { shortLength: Math.floor(bytes.length / 2) } : {}),
      };
    });
}

// ---------- headers ----------

interface AuthChoice {
  readonly headers: readonly (readonly [string, string])[];
  /** whether the request carries the admin token; undefined: ambiguous (two Authorization headers) */
  readonly admin: boolean | undefined;
}

const validAuth = fc.constantFrom<AuthChoice>(
  { headers: [['Authorization', `Bearer ${ADMIN_TOKEN}`]], admin: true },
  { headers: [['authorization', `bearer   ${ADMIN_TOKEN}`]], admin: true },
  { headers: [['AUTHORIZATION', `BEARER ${ADMIN_TOKEN} `]], admin: true },
);
const invalidAuth = fc.oneof(
  fc.constantFrom<AuthChoice>(
    { headers: [], admin: false },
    { headers: [['Authorization', '']], admin: false },
    { headers: [['Authorization', 'Bearer']], admin: false },
    { headers: [['Authorization', 'Bearer ']], admin: false },
    { headers: [['Authorization', ADMIN_TOKEN]], admin: false },
    { headers: [['Authorization', `Bearer ${ADMIN_TOKEN}x`]], admin: false },
    { headers: [['Authorization', `Bearer ${ADMIN_TOKEN.slice(0, -1)}`]], admin: false },
    { headers: [['Authorization', `Bearer ${ADMIN_TOKEN.toUpperCase()}`]], admin: false },
    {
      headers: [['Authorization', `Basic ${Buffer.from(`admin:${ADMIN_TOKEN}`).toString('base64')}`]],
      admin: false,
    },
    { headers: [['Authorization', `Token ${ADMIN_TOKEN}`]], admin: false },
    { headers: [['Authorization', `Bearer ${'A'.repeat(8000)}`]], admin: false },
    { headers: [['X-Api-Key', ADMIN_TOKEN]], admin: false },
    { headers: [['Cookie', `token=${ADMIN_TOKEN}`]], admin: false },
    {
      headers: [
        ['Authorization', 'Bearer wrong'],
        ['Authorization', `Bearer ${ADMIN_TOKEN}`],
      ],
      admin: undefined,
    },
    {
      headers: [
        ['Authorization', `Bearer ${ADMIN_TOKEN}`],
        ['Authorization', 'Bearer wrong'],
      ],
      admin: undefined,
    },
  ),
  hostileText.map((t): AuthChoice => ({ headers: [['Authorization', `Bearer ${t}`]], admin: false })),
);

const otherHeaders: fc.Arbitrary<(readonly [string, string])[]> = fc
  .tuple(
    fc.constantFrom<(readonly [string, string])[]>(
      [],
      [],
      [['Origin', ALLOWED_ORIGIN]],
      [['Origin', OTHER_ORIGIN]],
      [['Origin', 'null']],
      [['Origin', 'https://www.kessler-industrial.example.evil.example']],
    ),
    fc.constantFrom<(readonly [string, string])[]>(
      [],
      [],
      [['Accept', 'text/html']],
      [['Accept', 'application/json']],
      [['Accept', '*/*']],
      [['Accept', 'text/html;q=0.1, application/json;q=0.9']],
      [['Accept', '\u00ff\u00fe']],
    ),
    fc.oneof(
      { weight: 10, arbitrary: fc.constant<(readonly [string, string])[]>([]) },
      {
        weight: 1,
        arbitrary: fc.constantFrom<(readonly [string, string])[]>(
          [['X-Forwarded-For', '1.2.3.4, 5.6.7.8']],
          [['Host', 'evil.example']],
          [['Host', '']],
          [['X-Large', 'x'.repeat(17_000)]],
          [['X-Bad', 'a\u0000b']],
          [['Bad Name', 'v']],
          [['X-Unicode', 'caf\u00e9 \u202e']],
          [['Content-Encoding', 'gzip']],
          [['Expect', '100-continue']],
          [['Transfer-Encoding', 'gzip']],
        ),
      },
    ),
  )
  .map(([a, b, c]) => [...a, ...b, ...c]);

// ---------- the request ----------

interface Fuzz {
  readonly route: RouteDefinition;
  readonly request: RawRequest;
  readonly admin: boolean | undefined;
}

function build(
  route: RouteDefinition,
  target: string,
  auth: AuthChoice,
  headers: readonly (readonly [string, string])[],
  body: WireBody | undefined,
  method = route.method as string,
): Fuzz {
  const all: (readonly [string, string])[] = [...auth.headers, ...headers];
  let bytes = body?.bytes;
  if (body?.contentType !== undefined) {
    for (const type of typeof body.contentType === 'string' ? [body.contentType] : body.contentType)
      all.push(['Content-Type', type]);
  }
  if (bytes && body?.chunked) {
    all.push(['Transfer-Encoding', 'chunked']);
    const half = Math.floor(bytes.length / 2);
    const chunk = (b: Buffer) =>
      b.length ? [Buffer.from(`${b.length.toString(16)}\r\n`), b, Buffer.from('\r\n')] : [];
    bytes = Buffer.concat([
      ...chunk(Buffer.from(bytes.subarray(0, half))),
      ...chunk(Buffer.from(bytes.subarray(half))),
      Buffer.from('0\r\n\r\n'),
    ]);
  } else if (bytes && body?.shortLength !== undefined) {
    all.push(['Content-Length', String(body.shortLength)]);
  }
  return {
    route,
    admin: auth.admin,
    request: { method, target, headers: all, ...(bytes ? { body: bytes } : {}) },
  };
}

const query = fc.oneof(
  { weight: 8, arbitrary: fc.constant('') },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      '?a=1&a=2',
      '?__proto__[polluted]=1',
      '?%zz',
      '?email=a@b.example',
      `?${'q'.repeat(3000)}`,
      '?',
      '?#x',
      '?token=..%2F',
    ),
  },
  { weight: 1, arbitrary: hostileText.map((t) => `?x=${encode(t)}`) },
);

const BASE64URL = [...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'];
const idLike = (length: number) =>
  fc.string({ unit: fc.constantFrom(...BASE64URL), minLength: length, maxLength: length });

/** A path segment as sent: mostly percent-encoded, sometimes raw. */
const hostileSegment: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: hostileText.map(encode) },
  {
    weight: 2,
    arbitrary: fc.constantFrom(
      '..',
      '.',
      '%2e%2e',
      '%2F',
      'a%2Fb',
      'a/b',
      'a/',
      '%00',
      '%',
      '%zz',
      '%E0%A4%A',
      '%ED%A0%80',
      '%C0%AF',
      '%E2%80%AE',
      'caf\u00e9',
      '%F0%9F%92%A9',
      ';',
      '~',
      '%20',
      'A%0D%0AX-Injected:%201',
      '__proto__',
      'constructor',
    ),
  },
  { weight: 1, arbitrary: fc.integer({ min: 23, max: 8000 }).map((n) => 'A'.repeat(n)) },
  { weight: 1, arbitrary: fc.constant('B'.repeat(17_000)) },
  {
    weight: 1,
    arbitrary: fc
      .tuple(idLike(22), fc.constantFrom('/', '/x', '%2F', '/..', '?', '#'))
      .map(([id, tail]) => id + tail),
  },
);

/**
 * What the server makes of the request target (local/http-server.ts): the route whose pattern and method
 * match the path as the WHATWG URL parser normalises it (`/leads/x/..` is `/leads`), the demo pages, a CORS
 * preflight, or nothing (404 or 405).
 */
function served(request: RawRequest): RouteDefinition | 'page' | 'preflight' | undefined {
  const target =
    typeof request.target === 'string' ? request.target : Buffer.from(request.target).toString('latin1');
  let pathname: string;
  try {
    pathname = (target.startsWith('/') ? new URL(`http://localhost${target}`) : new URL(target)).pathname;
  } catch {
    return undefined;
  }
  if (request.method === 'GET' && (pathname === '/' || pathname === '/thanks')) return 'page';
  const matches = ROUTES.filter((r) =>
    new RegExp(`^${r.path.replace(/\{\w+\+\}/g, '(.+)').replace(/\{\w+\}/g, '([^/]+)')}$`).test(pathname),
  );
  if (matches.length && request.method === 'OPTIONS') return 'preflight';
  // a greedy route ({proxy+}) only when no other route of the method matches, as API Gateway picks
  const ofMethod = matches.filter((r) => r.method === request.method);
  return ofMethod.find((r) => !r.path.endsWith('+}')) ?? ofMethod[0];
}

// ---------- store snapshots ----------

function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'undefined';
}

// ---------- the tests ----------

describe('every route under fuzzing: never 5xx, 4xx in the agreed shape, nothing stored from a rejection', () => {
  const api = useLocalApi();
  const fixtures = {
    nurture: '',
    /** SQLs handed to jonas: fresh ones for each route that can close them */
    sqls: [] as string[],
    erased: '',
    emails: [] as string[],
    handover: undefined as Handover | undefined,
  };
  let errors: MockInstance<typeof console.error>;
  const prototypeNames = Object.getOwnPropertyNames(Object.prototype).sort();
  /** the table and the workflow calls as of the last check; undefined when something was accepted since */
  let known: string | undefined;
  const figures = { requests: 0, rejected: 0, accepted: 0, byStatus: new Map<number, number>() };

  beforeAll(async () => {
    const cold = api.uniqueEmail('cold');
    const gone = api.uniqueEmail('gone');
    fixtures.emails.push(cold, gone);
    fixtures.nurture = await api.createLead({ ...exampleLead('cold'), email: cold });
    await freshSqls();
    fixtures.erased = await api.createLead({ ...exampleLead('cold'), email: gone });
    expect((await api.request('DELETE', `/leads/${fixtures.erased}`)).status).toBe(200);
    errors = vi.spyOn(console, 'error');
  });

  /** Three new SQLs owned by jonas (the clock stands at T0: one handover for all). */
  async function freshSqls(): Promise<void> {
    fixtures.sqls = [];
    for (let i = 0; i < 3; i++) {
      const email = api.uniqueEmail('hot');
      fixtures.emails.push(email);
      const leadId = await api.createLead({ ...exampleLead('hot'), email });
      fixtures.handover = handoverOf(await api.handOff(leadId, 'jonas'));
      fixtures.sqls.push(leadId);
    }
    known = undefined;
  }

  const debug = new Map<string, number>();
  afterAll(() => {
    if (process.env.API_FUZZ_DEBUG)
      console.info(
        [...debug]
          .sort()
          .map(([k, n]) => `${k}: ${n}`)
          .join('\n'),
      );
    errors?.mockRestore();
    const statuses = [...figures.byStatus].sort(([a], [b]) => a - b).map(([s, n]) => `${s}: ${n}`);
    console.info(
      `api-fuzz: ${figures.requests} requests (${figures.rejected} rejected, ${figures.accepted} accepted); ${statuses.join(', ')}`,
    );
  });

  async function snapshot(): Promise<string> {
    // the events publisher follows each write in the background (local/events-out.ts): let it finish
    await api.runtime.events.idle();
    const items: string[] = [];
    let start: Record<string, AttributeValue> | undefined;
    do {
      const page = await api.runtime.dynamoDb.send(
        new ScanCommand({
          TableName: LOCAL_TABLE,
          ConsistentRead: true,
          ...(start ? { ExclusiveStartKey: start } : {}),
        }),
      );
      // the events sweep's watermarks move with the clock on the sweep's own timer, not with a request
      for (const item of page.Items ?? [])
        if (item.pk?.S !== EVENTS_SWEEP_KEY.pk) items.push(canonical(item));
      start = page.LastEvaluatedKey;
    } while (start);
    items.sort();
    return `${items.join('\n')}\nworkflow calls: ${api.runtime.workflow.calls.length}`;
  }

  function describeRequest(fuzz: Fuzz): string {
    const target =
      typeof fuzz.request.target === 'string'
        ? fuzz.request.target
        : Buffer.from(fuzz.request.target).toString('latin1');
    const body = fuzz.request.body ? Buffer.from(fuzz.request.body) : undefined;
    const shown = body
      ? JSON.stringify(body.toString('utf8').slice(0, 300)) +
        (body.length > 300 ? `… (${body.length} bytes)` : '')
      : '(no body)';
    return `${fuzz.request.method} ${target.slice(0, 200)} ${JSON.stringify(fuzz.request.headers?.map(([k, v]) => [k, v.slice(0, 80)]))} ${shown}`;
  }

  /** Sends one fuzzed request and checks every property on its answer. */
  async function check(fuzz: Fuzz): Promise<RawResponse> {
    const before = known ?? (await snapshot());
    errors.mockClear();
    const response = await rawRequest(api.url, fuzz.request);
    known = undefined; // until this answer's checks pass (a failed check must not leave a stale snapshot)
    const what = `${describeRequest(fuzz)}\n  -> ${response.status} ${response.headers.get('content-type')} ${response.text.slice(0, 300)}`;
    figures.requests++;
    figures.byStatus.set(response.status, (figures.byStatus.get(response.status) ?? 0) + 1);
    if (process.env.API_FUZZ_DEBUG) {
      const code = /"code":"([a-z_]+)"/.exec(response.text)?.[1] ?? '';
      const key = `${fuzz.route.method} ${fuzz.route.path} ${response.status} ${code}`;
      debug.set(key, (debug.get(key) ?? 0) + 1);
    }

    expect(response.status, what).toBeLessThan(500);
    expect(response.status, what).toBeGreaterThanOrEqual(200);
    const loggedErrors = errors.mock.calls.map((call) => call.map(String).join(' '));
    expect(loggedErrors, what).toEqual([]);
    expect(Object.getOwnPropertyNames(Object.prototype).sort(), what).toEqual(prototypeNames);
    expect(({} as Record<string, unknown>).polluted, what).toBeUndefined();

    const type = response.headers.get('content-type') ?? '';
    const head = fuzz.request.method === 'HEAD';
    const route = served(fuzz.request);
    if (route === 'page') return response; // the demo page and the thank-you page (`/leads/..` is `/`)
    // POST /leads and an address no route has (ADR 0077) answer a browser's navigation (Sec-Fetch-Mode: navigate,
    // or an Accept preferring HTML) with pages
    const navigation = wantsHtml({
      headers: Object.fromEntries(
        (fuzz.request.headers ?? []).map(([name, value]) => [name.toLowerCase(), value]),
      ),
    } as unknown as HttpEvent);
    const html =
      (route === undefined && navigation) ||
      (typeof route === 'object' &&
        (route.responds === 'html' || (route.method === 'POST' && route.path === '/leads' && navigation)));
    if (type.startsWith('text/html') && !head) {
      expect(html, what).toBe(true);
      expect(response.text, what).toMatch(/^<!DOCTYPE html>/);
      // the console draws its charts as inline SVG (lambdas/api/console/html.ts): those, and no other
      const console = typeof route === 'object' && route.path.startsWith('/console');
      const text = console
        ? response.text.replaceAll('<figure class="chart"><svg ', '<figure class="chart">')
        : response.text;
      expect(text, what).not.toMatch(/<script|<img|<iframe|<svg|javascript:/i);
      expect(response.headers.get('content-security-policy'), what).toContain("default-src 'none'");
    }

    if (response.status >= 400) {
      figures.rejected++;
      if (!(html && type.startsWith('text/html'))) {
        expect(type, what).toMatch(/^application\/json/);
        if (!head) {
          const body = JSON.parse(response.text) as {
            error: { code: unknown; message: unknown; fields?: unknown };
          };
          expect(Object.keys(body), what).toEqual(['error']);
          expect(body.error, what).toEqual({
            code: expect.any(String),
            message: expect.any(String),
            ...(body.error.fields === undefined ? {} : { fields: expect.any(Array) }),
          });
          for (const field of (body.error.fields ?? []) as unknown[])
            expect(field, what).toEqual({ path: expect.any(String), message: expect.any(String) });
          // no route, or the link routes (which answer their own refusals as pages): the server's edge only
          if (route === undefined || html) expect(EDGE_CODES, what).toContain(body.error.code);
          if (typeof route === 'object' && route.access === 'authenticated' && fuzz.admin === false) {
            if (!EDGE_CODES.has(String(body.error.code))) expect(body.error.code, what).toBe('unauthorized');
          }
        }
      }
      const after = await snapshot();
      if (after !== before) {
        const was = new Set(before.split('\n'));
        const now = new Set(after.split('\n'));
        const added = [...now].filter((line) => !was.has(line)).map((line) => line.slice(0, 2000));
        const removed = [...was].filter((line) => !now.has(line)).map((line) => line.slice(0, 2000));
        expect({ added, removed }, `stored from a rejected request: ${what}`).toEqual({
          added: [],
          removed: [],
        });
      }
      known = after;
    } else {
      figures.accepted++;
      if (route === 'preflight') {
        expect(response.status, what).toBe(204);
        return response;
      }
      expect(route, what).toBeDefined();
      if (typeof route !== 'object') return response;
      if (route.access === 'authenticated') expect(fuzz.admin, what).not.toBe(false);
      if (response.status === 303 && route.path === '/console/{proxy+}') {
        // an address with a trailing slash: the same address without it, in the console
        expect(response.headers.get('location'), what).toMatch(/^\/console(\/[^/?#][^?#]*)?(\?.*)?$/);
        expect(response.headers.get('location')?.split('?')[0]?.endsWith('/'), what).toBe(false);
      } else if (response.status === 303 && route.path.startsWith('/console')) {
        // the console: to its own pages only (sign-in, sign-out, a form's lead page, signed out to the start,
        // with the lead page to come back to)
        expect(response.headers.get('location'), what).toMatch(
          /^\/console(\/leads\/[\w-]{22}\?done=[a-z]+|\?to=%2Fconsole%2Fleads%2F[\w-]{1,64})?$/,
        );
      } else if (response.status === 303) {
        expect(`${route.method} ${route.path}`, what).toBe('POST /leads');
        const location = new URL(response.headers.get('location') ?? '');
        expect(
          [
            ALLOWED_ORIGIN,
            new URL(api.url).origin,
            new URL(api.url.replace('127.0.0.1', 'localhost')).origin,
          ],
          what,
        ).toContain(location.origin);
      } else if (!head && route.path === '/console/console.css') {
        expect(type, what).toMatch(/^text\/css/);
      } else if (!head) {
        expect(type, what).toMatch(html ? /^text\/html/ : /^application\/json/);
        if (!html) expect(JSON.parse(response.text), what).not.toHaveProperty('error');
      }
    }
    return response;
  }

  const options = (numRuns: number) => ({ seed: SEED, numRuns: runs(numRuns), endOnFailure: false });
  const route = (method: string, path: string) => ROUTES.find((r) => r.method === method && r.path === path)!;
  const fuzzRoute = async (arb: fc.Arbitrary<Fuzz>, numRuns: number) =>
    fc.assert(
      fc.asyncProperty(arb, async (fuzz) => void (await check(fuzz))),
      options(numRuns),
    );

  // ---------- per-route inputs (built inside tests: they need the fixtures) ----------

  const idFor = () =>
    fc.oneof(
      { weight: 6, arbitrary: fc.constantFrom(fixtures.nurture, ...fixtures.sqls, fixtures.erased) },
      { weight: 2, arbitrary: idLike(22) },
      { weight: 1, arbitrary: fc.constantFrom(21, 23).chain(idLike) },
      { weight: 3, arbitrary: hostileSegment },
    );
  const authFor = (r: RouteDefinition) =>
    r.access === 'authenticated'
      ? fc.oneof({ weight: 3, arbitrary: validAuth }, { weight: 1, arbitrary: invalidAuth })
      : fc.oneof(
          { weight: 3, arbitrary: fc.constant<AuthChoice>({ headers: [], admin: false }) },
          { weight: 1, arbitrary: invalidAuth },
        );

  const keysFor = (names: readonly string[]) =>
    fc.oneof(
      { weight: 4, arbitrary: fc.constantFrom(...names) },
      { weight: 1, arbitrary: fc.constantFrom(...PROTO_KEYS) },
      { weight: 2, arbitrary: hostileText },
    );

  const email = () =>
    fc.oneof(
      { weight: 6, arbitrary: fc.nat({ max: 10_000 }).map((n) => `fuzz.${n}@plant.example`) },
      { weight: 2, arbitrary: fc.constantFrom(...fixtures.emails) },
      { weight: 1, arbitrary: fc.constantFrom(...fixtures.emails).map((e) => ` ${e.toUpperCase()} `) },
      {
        weight: 2,
        arbitrary: fc.constantFrom(
          'a@b.example\r\nBcc: victim@example.com',
          'a@b.example\u0000',
          '"a b"@example.com',
          'ä@bücher.example',
          'a@[127.0.0.1]',
          '@example.com',
          'a@',
          `${'a'.repeat(250)}@b.example`,
          'a\u202e@b.example',
          'a@b.example,c@d.example',
          '<a@b.example>',
        ),
      },
      { weight: 1, arbitrary: hostileText.map((t) => `${t}@plant.example`) },
    );

  const leadFields = () => ({
    email: email(),
    firstName: mostly(fc.constant('Ada'), shortHostile),
    lastName: shortHostile,
    company: mostly(fc.constant('Brauhaus Werke'), hostileText),
    jobTitle: mostly(fc.constantFrom('Plant Manager', 'Maintenance Technician', 'CEO'), hostileText),
    phone: mostly(fc.constantFrom('+49 30 1234-56', '(555) 010.2000'), hostileText),
    country: mostly(fc.constantFrom('DE', 'us', 'SE'), fc.oneof(fc.constant('XX1'), hostileText)),
    employees: mostly(
      fc.constantFrom(800, '1,000', '12 000', 5),
      fc.oneof(
        fc.constantFrom(-1, 1e7 + 1, 1.5),
        numberToken.map((t) => new Raw(t)),
      ),
    ),
    revenue: mostly(
      fc.constantFrom(140_000_000, '2500000'),
      numberToken.map((t) => new Raw(t)),
    ),
    industry: mostly(fc.constantFrom('manufacturing', 'retail'), hostileText),
    message: mostly(fc.oneof(fc.constant('Line one\nline two'), shortHostile), fc.constant('m'.repeat(5001))),
    marketingConsent: mostly(
      fc.constantFrom(true, false, 'on', 'yes', '0'),
      fc.constantFrom('maybe', 1, null),
    ),
    formId: mostly(fc.constantFrom('demo-request', 'newsletter'), hostileText),
    pageUrl: mostly(
      fc.constant('https://kessler-industrial.example/demo'),
      fc.oneof(fc.constant('javascript:alert(1)'), hostileText),
    ),
    utm_source: shortHostile,
    _redirect: fc.constantFrom(
      `${ALLOWED_ORIGIN}/thanks`,
      `${ALLOWED_ORIGIN}/thanks?x=<script>"\r\n`,
      `${OTHER_ORIGIN}/thanks`,
      '//evil.example/x',
      'javascript:alert(1)',
      `${ALLOWED_ORIGIN}@evil.example/`,
      'https://www.kessler-industrial.example.evil.example/',
      'data:text/html,<script>alert(1)</script>',
      '/relative',
    ),
    _gotcha: fc.constantFrom('', '', 'i am a bot'),
    custom_note: shortHostile,
    'custom.field-2': mostly(fc.constantFrom(1, true, 'x'), fc.constant(1e-140)),
  });

  const eventObj = (damaged: boolean) =>
    nearValid(
      {
        eventId: mostly(idLike(12)),
        type: mostly(fc.constantFrom('page_view', 'email_click', 'webinar_attended', 'unsubscribe')),
        occurredAt: mostly(
          fc.constantFrom(
            '2026-11-27T09:00:00Z',
            '2026-11-27T09:00:00.000+14:00',
            '2026-11-26T23:00:00-05:00',
          ),
          fc.oneof(
            fc.constantFrom(
              '2027-06-01T00:00:00Z',
              '1970-01-01T00:00:00Z',
              '2026-02-30T00:00:00Z',
              '2026-11-27',
              '+275760-09-13T00:00:00Z',
            ),
            hostileText,
          ),
        ),
        properties: mostly(
          fc
            .dictionary(
              fc.constantFrom('page', 'url', 'campaign', 'score'),
              fc.oneof(shortHostile, fc.integer()),
            )
            .map((d) => new Obj(Object.entries(d))),
          valueTree(keysFor(['page', 'url', 'campaign', 'score'])),
        ),
        contentTags: mostly(
          fc.array(shortHostile, { maxLength: 3 }),
          fc.array(hostileText, { maxLength: 12 }),
        ),
      },
      keysFor(['eventId', 'type', 'occurredAt', 'properties', 'contentTags', 'events']),
      ['eventId', 'type', 'occurredAt'],
      damaged,
    );

  const eventsBody = (damaged: boolean): fc.Arbitrary<Obj> =>
    damaged
      ? fc.oneof(
          { weight: 3, arbitrary: eventObj(true) },
          {
            weight: 2,
            arbitrary: fc
              .array(eventObj(true), { minLength: 0, maxLength: 4 })
              .map((events) => new Obj([['events', events]])),
          },
          {
            weight: 1,
            arbitrary: eventObj(false).map(
              (e) => new Obj([['events', Array.from({ length: 101 }, () => e)]]),
            ),
          },
          {
            weight: 1,
            arbitrary: fc.tuple(eventObj(false), valueTree(keysFor(['x']))).map(
              ([e, extra]) =>
                new Obj([
                  ['events', [e]],
                  ['extra', extra],
                ]),
            ),
          },
        )
      : fc.oneof(
          eventObj(false),
          fc
            .array(eventObj(false), { minLength: 1, maxLength: 3 })
            .map((events) => new Obj([['events', events]])),
        );

  /**
   * A request to one route in which none, one or a few of its parts are hostile (auth, other headers, the
   * path, the body): one hostile part at a time reaches deeper into the handler than all of them at once.
   */
  type Part = 'auth' | 'headers' | 'target' | 'body';
  function requests(
    r: RouteDefinition,
    target: readonly [clean: fc.Arbitrary<string>, dirty: fc.Arbitrary<string>],
    body?: readonly [clean: fc.Arbitrary<WireBody | undefined>, dirty: fc.Arbitrary<WireBody | undefined>],
  ): fc.Arbitrary<Fuzz> {
    const parts: Part[] = ['auth', 'headers', 'target', ...(body ? (['body'] as const) : [])];
    const dirty = fc.oneof(
      { weight: 2, arbitrary: fc.constant<Part[]>([]) },
      { weight: 4, arbitrary: fc.constantFrom(...parts).map((part) => [part]) },
      { weight: 1, arbitrary: fc.subarray(parts, { minLength: 2 }) },
    );
    const cleanAuth: fc.Arbitrary<AuthChoice> =
      r.access === 'authenticated' ? validAuth : fc.constant({ headers: [], admin: false });
    const cleanHeaders = fc.constantFrom<(readonly [string, string])[]>(
      [],
      [['Origin', ALLOWED_ORIGIN]],
      [['Accept', 'text/html']],
      [['Accept', 'application/json']],
    );
    return dirty.chain((hostile) =>
      fc
        .tuple(
          hostile.includes('auth') ? invalidAuth : cleanAuth,
          hostile.includes('headers') ? otherHeaders : cleanHeaders,
          hostile.includes('target') ? target[1] : target[0],
          body ? (hostile.includes('body') ? body[1] : body[0]) : fc.constant(undefined),
        )
        .map(([auth, headers, path, b]) => build(r, path, auth, headers, b)),
    );
  }

  /** A clean body: the object as JSON (or, where the route takes forms, sometimes as a form post). */
  const cleanWire = (obj: fc.Arbitrary<Obj>, form: boolean): fc.Arbitrary<WireBody> =>
    fc
      .tuple(obj, form ? fc.boolean() : fc.constant(false))
      .map(([o, asForm]) =>
        asForm
          ? { contentType: 'application/x-www-form-urlencoded', bytes: utf8(formText(o, 'encoded')) }
          : { contentType: 'application/json', bytes: utf8(toJson(o)) },
      );
  /** [clean, dirty] bodies for a route's fields. */
  const bodies = (
    fields: Record<string, fc.Arbitrary<unknown>>,
    required: readonly string[],
    form = false,
  ): readonly [fc.Arbitrary<WireBody>, fc.Arbitrary<WireBody>] => {
    const keys = keysFor(Object.keys(fields));
    return [
      cleanWire(nearValid(fields, keys, required, false), form),
      wireBody(nearValid(fields, keys, required), keys, form),
    ];
  };
  /** a body where the route expects none: nothing, or anything */
  const noBody = (): readonly [fc.Arbitrary<WireBody | undefined>, fc.Arbitrary<WireBody | undefined>] => [
    fc.constant(undefined),
    wireBody(nearValid({ a: scalar }, keysFor(['a'])), keysFor(['a']), true),
  ];
  const leadPath = (suffix: string) =>
    [
      fc
        .constantFrom(fixtures.nurture, ...fixtures.sqls, fixtures.erased)
        .map((id) => `/leads/${id}${suffix}`),
      fc.tuple(idFor(), query).map(([id, q]) => `/leads/${id}${suffix}${q}`),
    ] as const;

  it('POST /leads: the public form', async () => {
    const r = route('POST', '/leads');
    await fuzzRoute(
      requests(
        r,
        [fc.constant('/leads'), query.map((q) => `/leads${q}`)],
        bodies(leadFields(), ['email'], true),
      ),
      140,
    );
  }, 120_000);

  it('GET /health', async () => {
    const r = route('GET', '/health');
    await fuzzRoute(requests(r, [fc.constant('/health'), query.map((q) => `/health${q}`)], noBody()), 30);
  }, 60_000);

  it('POST /leads/{id}/events', async () => {
    const r = route('POST', '/leads/{id}/events');
    const keys = keysFor(['events']);
    await fuzzRoute(
      requests(r, leadPath('/events'), [
        cleanWire(eventsBody(false), false),
        wireBody(eventsBody(true), keys, false),
      ]),
      80,
    );
  }, 120_000);

  it('POST /leads/{id}/attempts', async () => {
    await freshSqls();
    const r = route('POST', '/leads/{id}/attempts');
    const attempt = {
      attemptId: mostly(
        fc.oneof(fc.constantFrom('a1', 'a2', 'a3'), idLike(12)),
        fc.oneof(idLike(101), hostileText),
      ),
      outcome: mostly(fc.constantFrom(...api.sla.contact.outcomes.map((o) => o.id))),
      at: mostly(
        fc.constantFrom('2026-11-27T09:30:00Z', '2026-11-27T10:30:00+01:00'),
        fc.oneof(fc.constantFrom('2027-01-01T00:00:00Z', '2020-01-01T00:00:00Z'), hostileText),
      ),
      channel: mostly(fc.constantFrom(...CHANNELS)),
      note: mostly(shortHostile, fc.constant('n'.repeat(2001))),
      repId: mostly(fc.constantFrom('jonas', 'lena', 'nobody')),
    };
    await fuzzRoute(requests(r, leadPath('/attempts'), bodies(attempt, ['outcome'])), 80);
  }, 120_000);

  it('PUT /leads/{id}/deal', async () => {
    await freshSqls();
    const r = route('PUT', '/leads/{id}/deal');
    const deal = {
      stage: mostly(fc.constantFrom(...api.sla.deals.stages.map((s) => s.id))),
      amount: mostly(
        fc.constantFrom(25_000, 0, 0.01),
        fc.oneof(
          fc.constantFrom(-1, 1e12 + 1, '25000'),
          numberToken.map((t) => new Raw(t)),
        ),
      ),
      name: mostly(shortHostile),
    };
    await fuzzRoute(requests(r, leadPath('/deal'), bodies(deal, ['stage'])), 70);
  }, 120_000);

  it('PATCH /leads/{id}/status', async () => {
    await freshSqls();
    const r = route('PATCH', '/leads/{id}/status');
    const status = { status: mostly(fc.constantFrom(...api.sla.leadStatuses.map((s) => s.id))) };
    await fuzzRoute(requests(r, leadPath('/status'), bodies(status, ['status'])), 70);
  }, 120_000);

  it('GET /leads/{id}', async () => {
    const r = route('GET', '/leads/{id}');
    await fuzzRoute(requests(r, leadPath(''), noBody()), 60);
  }, 120_000);

  it('GET /leads: the lead list, whatever the query', async () => {
    const r = route('GET', '/leads');
    const clean = fc.constantFrom(
      '/leads',
      '/leads?stage=sql',
      '/leads?owner=jonas&limit=5',
      '/leads?q=pet',
      '/leads?overdue=true&status=new',
    );
    await fuzzRoute(requests(r, [clean, query.map((q) => `/leads${q}`)], noBody()), 60);
  }, 120_000);

  it('GET /reports/sla: the SLA report, whatever the window', async () => {
    const r = route('GET', '/reports/sla');
    const clean = fc.constantFrom(
      '/reports/sla',
      '/reports/sla?from=2026-11-01&to=2026-11-30',
      '/reports/sla?rep=jonas',
      '/reports/sla?queue=equipment-sales',
    );
    await fuzzRoute(requests(r, [clean, query.map((q) => `/reports/sla${q}`)], noBody()), 50);
  }, 120_000);

  it('GET /webhooks/deliveries: the delivery log, whatever the query', async () => {
    const r = route('GET', '/webhooks/deliveries');
    const clean = fc.constantFrom(
      '/webhooks/deliveries',
      '/webhooks/deliveries?status=failed',
      '/webhooks/deliveries?status=delivered&limit=5',
      '/webhooks/deliveries?status=retrying&cursor=eyJwayI6IngifQ',
    );
    await fuzzRoute(requests(r, [clean, query.map((q) => `/webhooks/deliveries${q}`)], noBody()), 50);
  }, 120_000);

  it('POST /webhooks/deliveries/{id}/replay: a delivery id, or anything else', async () => {
    const r = route('POST', '/webhooks/deliveries/{id}/replay');
    const clean = fc.stringMatching(/^[0-9a-f]{32}$/).map((hex) => `/webhooks/deliveries/dlv_${hex}/replay`);
    const dirty = fc
      .tuple(fc.string({ maxLength: 40 }), query)
      .map(([text, q]) => `/webhooks/deliveries/${encodeURIComponent(text) || 'x'}/replay${q}`);
    await fuzzRoute(requests(r, [clean, dirty], noBody()), 50);
  }, 120_000);

  it('POST /sla/impact: an SLA file, or anything else (it reads only: never stores)', async () => {
    const r = route('POST', '/sla/impact');
    const files = fc.constantFrom(
      changedSlaText(),
      changedSlaText(JONAS_TO_LENA),
      changedSlaText().replace('mql: 60', 'mql: 5'),
      'version: x\n',
      'routing: [',
      '',
      `# ${'x'.repeat(300 * 1024)}`,
    );
    const encode = (text: string) => new TextEncoder().encode(text);
    const clean = files.map((text) => ({ contentType: 'application/yaml', bytes: encode(text) }));
    const dirty = fc
      .tuple(
        fc.oneof(
          files,
          files.map((text) => JSON.stringify({ sla: text })),
          fc.constantFrom('{"sla":1}', '{"sla":null}', '{}', '[]', '{'),
          fc.string({ unit: 'binary', maxLength: 400 }),
        ),
        fc.constantFrom(...ODD_TYPES, 'application/yaml', 'text/yaml; charset=utf-8', 'application/json'),
      )
      .map(([text, contentType]) => ({ contentType, bytes: encode(text) }));
    await fuzzRoute(
      requests(r, [fc.constant('/sla/impact'), query.map((q) => `/sla/impact${q}`)], [clean, dirty]),
      30,
    );
  }, 240_000);

  it('POST /leads/{id}/owner', async () => {
    await freshSqls();
    const r = route('POST', '/leads/{id}/owner');
    const owner = {
      owner: mostly(fc.constantFrom('jonas', 'lena', 'nobody')),
      reason: mostly(shortHostile, fc.constant('r'.repeat(501))),
    };
    await fuzzRoute(requests(r, leadPath('/owner'), bodies(owner, ['owner'])), 60);
  }, 120_000);

  it('PATCH /leads/{id}/fields', async () => {
    await freshSqls();
    const r = route('PATCH', '/leads/{id}/fields');
    const fields = {
      fields: mostly(
        fc.record({ company: mostly(shortHostile), employees: mostly(fc.constantFrom(850, 0, null)) }),
        fc.oneof(fc.constant({}), scalar),
      ),
    };
    await fuzzRoute(requests(r, leadPath('/fields'), bodies(fields, ['fields'])), 60);
  }, 120_000);

  it.each(['GET', 'POST'] as const)(
    '%s /consent/{token}: a page, whatever the token',
    async (method) => {
      const r = route(method, '/consent/{token}');
      await fuzzRoute(
        requests(
          r,
          [
            idLike(40).map((token) => `/consent/${token}`),
            query.map((q) => `/consent/${encodeURIComponent(q)}`),
          ],
          noBody(),
        ),
        40,
      );
    },
    120_000,
  );

  // ---------- links in emails ----------

  /** [clean, dirty] tokens: signed with the real key (any payload), and everything else */
  function tokens(kind: 'action' | 'unsubscribe'): readonly [fc.Arbitrary<string>, fc.Arbitrary<string>] {
    const secret = api.runtime.deps.actionSecret!;
    const leadId = fc.oneof(
      { weight: 6, arbitrary: fc.constantFrom(...fixtures.sqls, fixtures.nurture, fixtures.erased) },
      { weight: 1, arbitrary: idLike(22) },
      { weight: 1, arbitrary: fc.constantFrom('__proto__', 'constructor', 'a'.repeat(64)) },
    );
    const values: Record<(typeof ACTION_KINDS)[number], string[]> = {
      outcome: api.sla.contact.outcomes.map((o) => o.id),
      status: api.sla.leadStatuses.map((s) => s.id),
      deal: api.sla.deals.stages.map((s) => s.id),
      unsubscribe: [''],
      consent: [''],
    };
    const action =
      kind === 'unsubscribe'
        ? fc.oneof(
            { weight: 4, arbitrary: fc.constant('unsubscribe' as const) },
            { weight: 1, arbitrary: fc.constantFrom(...ACTION_KINDS) },
          )
        : fc.oneof(
            { weight: 4, arbitrary: fc.constantFrom('outcome' as const, 'status' as const, 'deal' as const) },
            { weight: 1, arbitrary: fc.constant('unsubscribe' as const) },
          );
    const payload: fc.Arbitrary<ActionPayload> = fc
      .record({
        leadId,
        cycle: fc.constantFrom(1, 1, 1, 2, 99),
        action,
        value: fc.option(fc.constantFrom('nope', 'closed-won', 'no-answer', '__proto__', 'a'.repeat(64)), {
          freq: 4,
        }),
        nonce: fc.oneof(fc.constantFrom('n1', 'n2', 'n3'), idLike(16)),
        exp: fc.constantFrom(T0_SECONDS + 3600, T0_SECONDS + 3600, T0_SECONDS, T0_SECONDS - 1, 0, 2 ** 40),
        handover: fc.oneof(
          { weight: 4, arbitrary: fc.constant(fixtures.handover) },
          { weight: 1, arbitrary: fc.constant(undefined) },
          {
            weight: 1,
            arbitrary: fc.constantFrom<Handover>(
              { ownerId: 'lena', since: T0.getTime() },
              { ownerId: 'jonas', since: 0 },
            ),
          },
        ),
        managerId: fc.option(fc.constantFrom('katrin', 'dan', 'nobody'), { freq: 4 }),
      })
      .chain((p) =>
        fc.constantFrom(...values[p.action]).map(
          (known): ActionPayload => ({
            leadId: p.leadId,
            cycle: p.cycle,
            action: p.action,
            value: p.action === 'unsubscribe' ? '' : (p.value ?? known),
            nonce: p.nonce,
            exp: p.exp,
            ...(p.handover ? { handover: p.handover } : {}),
            ...(p.managerId && p.handover ? { managerId: p.managerId } : {}),
          }),
        ),
      );
    const signed = payload.map((p) => signActionToken(p, secret));
    /** the real key around any JSON: the payload parser must refuse what the signer never makes */
    const handSigned = fc
      .oneof(
        valueTree(keysFor(['l', 'c', 'a', 'v', 'n', 'e', 'o', 's', 'm'])),
        nearValid(
          {
            l: fc.oneof(fc.constantFrom(...fixtures.sqls), hostileText),
            c: fc.oneof(
              fc.constantFrom(1, 0, -1, 1.5, 2 ** 60),
              numberToken.map((t) => new Raw(t)),
            ),
            a: fc.oneof(fc.constantFrom(...ACTION_KINDS), hostileText),
            v: fc.oneof(fc.constantFrom('no-answer', 'closed-won', ''), hostileText),
            n: fc.oneof(fc.constant('n9'), hostileText),
            e: fc.oneof(
              fc.constantFrom(T0_SECONDS + 3600, 2 ** 53),
              numberToken.map((t) => new Raw(t)),
            ),
            o: fc.oneof(fc.constant('jonas'), hostileText),
            s: fc.oneof(
              fc.constant(fixtures.handover?.since ?? 0),
              numberToken.map((t) => new Raw(t)),
            ),
            m: fc.oneof(fc.constant('katrin'), hostileText),
          },
          keysFor(['l', 'c', 'a', 'v', 'n', 'e']),
        ),
      )
      .map((value) => {
        const body = Buffer.from(toJson(value), 'utf8').toString('base64url');
        return `${body}.${createHmac('sha256', secret).update('leadpact-action.v1.').update(body).digest('base64url')}`;
      });
    const mangled = fc
      .tuple(
        signed,
        fc.nat(),
        fc.constantFrom('flip', 'cut', 'append', 'swap', 'pad', 'plus', 'dots', 'case', 'otherKey'),
      )
      .map(([token, n, how]) => {
        const [body = '', signature = ''] = token.split('.');
        const at = n % token.length;
        switch (how) {
          case 'flip':
            return token.slice(0, at) + (token[at] === 'A' ? 'B' : 'A') + token.slice(at + 1);
          case 'cut':
            return token.slice(0, at);
          case 'append':
            return `${token}A`;
          case 'swap':
            return `${signature}.${body}`;
          case 'pad':
            return `${token}=`;
          case 'plus':
            return token.replaceAll('-', '+').replaceAll('_', '/');
          case 'dots':
            return `${body}.${signature}.${signature}`;
          case 'case':
            return token.toUpperCase();
          default:
            return `${body}.${createHmac('sha256', 'another-secret-of-16+').update('leadpact-action.v1.').update(body).digest('base64url')}`;
        }
      });
    return [
      signed,
      fc.oneof(
        { weight: 2, arbitrary: handSigned.map(encode) },
        { weight: 3, arbitrary: mangled.map(encode) },
        { weight: 2, arbitrary: hostileSegment },
        {
          weight: 1,
          arbitrary: fc.constantFrom(
            'x.y',
            '.',
            '..',
            'A'.repeat(1100),
            `${'A'.repeat(600)}.${'B'.repeat(43)}`,
          ),
        },
      ),
    ] as const;
  }

  /** The link routes: an empty post or RFC 8058's one-click body; hostile: any token, body or headers. */
  function linkRequests(method: 'GET' | 'POST', kind: 'action' | 'unsubscribe'): fc.Arbitrary<Fuzz> {
    const r = route(method, kind === 'action' ? '/actions/{token}' : '/unsubscribe/{token}');
    const [clean, dirty] = tokens(kind);
    const path = (token: string) => r.path.replace('{token}', token);
    return requests(
      r,
      [clean.map(path), fc.tuple(dirty, query).map(([token, q]) => `${path(token)}${q}`)],
      [
        fc.constantFrom<WireBody | undefined>(undefined, {
          contentType: 'application/x-www-form-urlencoded',
          bytes: utf8('List-Unsubscribe=One-Click'),
        }),
        wireBody(
          nearValid({ 'List-Unsubscribe': fc.constant('One-Click') }, keysFor(['x'])),
          keysFor(['x']),
          true,
        ),
      ],
    );
  }

  it('GET /actions/{token}: a confirmation page, whatever the token', async () => {
    await fuzzRoute(linkRequests('GET', 'action'), 60);
  }, 120_000);

  it('POST /actions/{token}: acts only on a valid, current, unused link', async () => {
    await freshSqls();
    await fuzzRoute(linkRequests('POST', 'action'), 90);
  }, 120_000);

  it('GET /unsubscribe/{token}', async () => {
    await fuzzRoute(linkRequests('GET', 'unsubscribe'), 40);
  }, 120_000);

  it('POST /unsubscribe/{token}', async () => {
    await freshSqls();
    await fuzzRoute(linkRequests('POST', 'unsubscribe'), 50);
  }, 120_000);

  it('any method on any route path, and CORS preflights', async () => {
    const methods = fc.constantFrom(
      'GET',
      'POST',
      'PUT',
      'PATCH',
      'DELETE',
      'OPTIONS',
      'HEAD',
      'TRACE',
      'CONNECT',
      'get',
      'FOO',
      'PROPFIND',
      'M-SEARCH',
    );
    await fuzzRoute(
      fc
        .tuple(
          fc.constantFrom(...ROUTES),
          methods,
          idFor(),
          // the request target: a path, a full URL (a proxy's form), or something only one of them parses
          fc.constantFrom<(path: string) => string>(
            (path) => path,
            (path) => path,
            (path) => path,
            (path) => `http://localhost${path}`,
            (path) => `//evil.example${path}`,
            (path) => `//[${path}`,
            (path) => `http://[x${path}`,
            (path) => `http://:99999${path}`,
            (path) => `/\\evil.example${path}`,
            () => '*',
          ),
          authFor(route('GET', '/leads/{id}')),
          otherHeaders,
          fc.option(wireBody(nearValid({ a: scalar }, keysFor(['a'])), keysFor(['a']), true)),
        )
        .map(([r, method, segment, form, auth, headers, b]) =>
          build(
            r,
            form(r.path.replace(/\{\w+\}/, segment)),
            auth,
            headers,
            method === 'GET' || method === 'HEAD' ? undefined : (b ?? undefined),
            method,
          ),
        ),
      60,
    );
  }, 120_000);

  describe('the console: cookies, CSRF tokens, origins and forms, hostile or not', () => {
    /** headers a browser of a signed-in person (or an attacker) would send */
    const sessions = () => {
      const secret = api.runtime.deps.actionSecret!;
      const exp = Math.floor(Date.now() / 1000) + 3600;
      const session = (role: 'rep' | 'ops', personId: string, nonce: string) => ({
        cookie: `leadpact_session=${signSessionToken({ role, personId, nonce, exp }, secret)}`,
        csrf: csrfTokenOf(nonce, secret),
      });
      return [
        session('rep', 'jonas', 'fuzz-session-rep-0001'),
        session('ops', 'priya', 'fuzz-session-ops-0001'),
      ];
    };
    const withSession = (arb: fc.Arbitrary<Fuzz>) => {
      const [rep, ops] = sessions();
      const same = api.url;
      const headers = fc.constantFrom<(readonly [string, string])[]>(
        [],
        [
          ['Cookie', rep!.cookie],
          ['Origin', same],
        ],
        [
          ['Cookie', ops!.cookie],
          ['Origin', same],
        ],
        [
          ['Cookie', ops!.cookie],
          ['Sec-Fetch-Site', 'same-origin'],
        ],
        [
          ['Cookie', ops!.cookie],
          ['Origin', OTHER_ORIGIN],
        ],
        [
          ['Cookie', 'leadpact_session=abc.def'],
          ['Origin', same],
        ],
        [['Cookie', `leadpact_session=${'A'.repeat(900)}.${'B'.repeat(43)}`]],
        [
          ['Cookie', `${rep!.cookie}; leadpact_session=x`],
          ['Origin', 'null'],
        ],
      );
      return fc.tuple(arb, headers).map(([fuzz, extra]) => ({
        ...fuzz,
        request: { ...fuzz.request, headers: [...(fuzz.request.headers ?? []), ...extra] },
      }));
    };
    const consoleForm = () => {
      const [rep, ops] = sessions();
      return bodies(
        {
          csrf: fc.oneof(fc.constantFrom(rep!.csrf, ops!.csrf), shortHostile),
          email: email(),
          outcome: mostly(fc.constantFrom('connected', 'no-answer'), hostileText),
          channel: mostly(fc.constantFrom(...CHANNELS), hostileText),
          attemptId: mostly(
            fc.nat({ max: 99 }).map((n) => `console-fuzz-${n}`),
            hostileText,
          ),
          note: shortHostile,
          stage: mostly(fc.constantFrom('discovery', 'closed-won'), hostileText),
          amount: mostly(fc.constantFrom('48000', '0'), fc.oneof(hostileText, fc.constant('1e309'))),
          status: mostly(fc.constantFrom('connected', 'bad-timing'), hostileText),
          owner: mostly(fc.constantFrom('lena', 'carla'), hostileText),
          reason: shortHostile,
          firstName: mostly(fc.constant('Ada'), shortHostile),
          company: mostly(fc.constant('Brauhaus Werke'), hostileText),
        },
        [],
        true,
      );
    };
    const consolePath = (path: string) =>
      [
        fc.constantFrom(...fixtures.sqls, fixtures.erased).map((id) => path.replace('{id}', id)),
        fc.tuple(idFor(), query).map(([id, q]) => `${path.replace('{id}', id)}${q}`),
      ] as const;
    const pages = [
      '/console',
      '/console/leads',
      '/console/leads/{id}',
      '/console/reports',
      '/console/sla',
      '/console/console.css',
    ];

    it.each(pages)(
      'GET %s',
      async (path) => {
        const pageQuery = fc.constantFrom(
          '',
          '?q=br',
          '?stage=sql&overdue=true',
          '?period=last-week',
          '?period=custom&from=2026-11-01&to=2026-11-30',
          '?owner=carla',
          '?cursor=abc',
          '?period=x',
          '?from=2026-13-45',
        );
        const target = path.includes('{id}')
          ? consolePath(path)
          : ([pageQuery.map((q) => `${path}${q}`), query.map((q) => `${path}${q}`)] as const);
        await fuzzRoute(withSession(requests(route('GET', path), target, noBody())), 25);
      },
      120_000,
    );

    it.each([
      '/console/sign-in',
      '/console/sign-out',
      '/console/leads/{id}/attempts',
      '/console/leads/{id}/deal',
      '/console/leads/{id}/status',
      '/console/leads/{id}/owner',
      '/console/leads/{id}/fields',
    ])(
      'POST %s',
      async (path) => {
        const target = path.includes('{id}')
          ? consolePath(path)
          : ([fc.constant(path), query.map((q) => `${path}${q}`)] as const);
        await fuzzRoute(withSession(requests(route('POST', path), target, consoleForm())), 30);
      },
      120_000,
    );

    it.each(['GET', 'POST'] as const)(
      '%s /console/sign-in/{token}: only a valid, unused link signs in',
      async (method) => {
        const secret = api.runtime.deps.actionSecret!;
        const exp = Math.floor(Date.now() / 1000) + 600;
        const tokens = fc.oneof(
          idLike(60),
          fc
            .nat({ max: 20 })
            .map((n) =>
              signSignInToken(
                { role: 'rep', personId: 'jonas', nonce: `fuzz-link-nonce-${n}0000`, exp },
                secret,
              ),
            ),
          fc.constant(
            signSignInToken({ role: 'ops', personId: 'nobody', nonce: 'fuzz-link-nobody-0000', exp }, secret),
          ),
          fc.constant(
            signSignInToken(
              { role: 'rep', personId: 'jonas', nonce: 'fuzz-link-expired-000', exp: 1 },
              secret,
            ),
          ),
          hostileSegment,
        );
        await fuzzRoute(
          withSession(
            requests(
              route(method, '/console/sign-in/{token}'),
              [
                tokens.map((t) => `/console/sign-in/${t}`),
                query.map((q) => `/console/sign-in/${encodeURIComponent(q)}`),
              ],
              method === 'GET' ? noBody() : consoleForm(),
            ),
          ),
          30,
        );
      },
      120_000,
    );
  });

  // last: it erases the fixtures the other routes act on
  it('DELETE /leads/{id}', async () => {
    await fuzzRoute(requests(route('DELETE', '/leads/{id}'), leadPath(''), noBody()), 50);
  }, 120_000);

  it('covers every route in lambdas/api/routes.ts', () => {
    const covered = new Set([
      'POST /leads',
      'GET /health',
      'GET /forms/{file}',
      'POST /leads/{id}/events',
      'POST /leads/{id}/attempts',
      'PUT /leads/{id}/deal',
      'PATCH /leads/{id}/status',
      'GET /leads/{id}',
      'DELETE /leads/{id}',
      'GET /actions/{token}',
      'POST /actions/{token}',
      'GET /unsubscribe/{token}',
      'POST /unsubscribe/{token}',
      'GET /leads',
      'GET /reports/sla',
      'POST /leads/{id}/owner',
      'POST /sla/impact',
      'PATCH /leads/{id}/fields',
      'GET /consent/{token}',
      'POST /consent/{token}',
      'GET /webhooks/deliveries',
      'POST /webhooks/deliveries/{id}/replay',
      ...ROUTES.filter((r) => r.path.startsWith('/console')).map((r) => `${r.method} ${r.path}`),
    ]);
    expect(ROUTES.map((r) => `${r.method} ${r.path}`).sort()).toEqual([...covered].sort());
    expect(figures.rejected).toBeGreaterThan(0);
    expect(figures.accepted).toBeGreaterThan(0);
  });
});
