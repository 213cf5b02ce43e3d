/**
 * The HTTP edge helpers: body parsing (JSON and plain form posts, base64 bodies, size limits, media types),
 * validation errors naming fields, the error shape, and the guards on what the store can keep.
 */
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  type BodyKind,
  errorResponse,
  HttpError,
  type HttpEvent,
  header,
  isReservedName,
  isStorableNumber,
  json,
  jsonBody,
  jsonFormBody,
  parseBody,
  unprocessable,
  validate,
} from '../../lambdas/api/http.ts';

function makeEvent(
  body: string | undefined,
  headers: Record<string, string> = {},
  base64 = false,
): HttpEvent {
  return {
    version: '2.0',
    routeKey: 'POST /leads',
    rawPath: '/leads',
    rawQueryString: '',
    headers,
    requestContext: {} as HttpEvent['requestContext'],
    isBase64Encoded: base64,
    ...(body === undefined ? {} : { body }),
  };
}

const BOTH: readonly BodyKind[] = ['json', 'form'];

/** The HttpError a call throws, or a failure when it throws nothing (or something else). */
function thrown(call: () => unknown): HttpError {
  try {
    call();
  } catch (error) {
    if (error instanceof HttpError) return error;
    throw error;
  }
  throw new Error('expected an HttpError');
}

describe('parseBody', () => {
  it.each([
    ['application/json', 'json'],
    ['application/json; charset=utf-8', 'json'],
    ['APPLICATION/JSON', 'json'],
    [' application/json ;charset=UTF-8', 'json'],
    ['application/vnd.leadpact+json', 'json'],
    ['application/x-www-form-urlencoded', 'form'],
    ['application/x-www-form-urlencoded; charset=UTF-8', 'form'],
  ])('reads content type %j as %s', (contentType, kind) => {
    // Arrange
    const body = kind === 'json' ? '{"email":"a@b.example"}' : 'email=a%40b.example';

    // Act
    const parsed = parseBody(makeEvent(body, { 'Content-Type': contentType }), {
      maxBytes: 1024,
      accept: BOTH,
    });

    // Assert
    expect(parsed).toEqual({ kind, data: { email: 'a@b.example' } });
  });

  it.each([
    ['text/plain', BOTH],
    ['multipart/form-data; boundary=x', BOTH],
    ['application/xml', BOTH],
    ['application/jsonp', BOTH],
    ['', BOTH],
    ['application/x-www-form-urlencoded', ['json'] as const],
  ])('answers 415 naming content-type for %j', (contentType, accept) => {
    // Arrange
    const event = makeEvent('{}', contentType ? { 'content-type': contentType } : {});

    // Act
    const error = thrown(() => parseBody(event, { maxBytes: 1024, accept }));

    // Assert
    expect(error).toMatchObject({ status: 415, code: 'unsupported_media_type' });
    expect(error.fields.map((field) => field.path)).toEqual(['content-type']);
  });

  it.each([
    ['at the limit', 16_384, undefined],
    ['one byte over', 16_385, 413],
    ['far over', 100_000, 413],
  ])('checks the size %s (%i bytes)', (_kind, size, status) => {
    // Arrange
    const body = JSON.stringify({ message: 'x'.repeat(size - 14) });
    expect(Buffer.byteLength(body)).toBe(size);
    const event = makeEvent(body, { 'content-type': 'application/json' });

    // Act
    const act = () => parseBody(event, { maxBytes: 16_384, accept: BOTH });

    // Assert
    if (status === undefined) expect(act().kind).toBe('json');
    else expect(thrown(act)).toMatchObject({ status, code: 'payload_too_large' });
  });

  it('counts bytes, not characters: 5,000 emoji are 20,000 bytes', () => {
    // Arrange
    const event = makeEvent(JSON.stringify({ m: '😀'.repeat(5_000) }), {
      'content-type': 'application/json',
    });

    // Act
    const error = thrown(() => parseBody(event, { maxBytes: 16_384, accept: BOTH }));

    // Assert
    expect(error.status).toBe(413);
  });

  it('checks the size before the media type (a huge text/plain body is 413)', () => {
    // Act
    const error = thrown(() =>
      parseBody(makeEvent('x'.repeat(20_000), { 'content-type': 'text/plain' }), {
        maxBytes: 16_384,
        accept: BOTH,
      }),
    );

    // Assert
    expect(error.status).toBe(413);
  });

  it.each([
    ['JSON', 'application/json', '{"email":"zoë@b.example","n":1}', { email: 'zoë@b.example', n: 1 }],
    [
      'a form',
      'application/x-www-form-urlencoded',
      'email=zo%C3%AB%40b.example&n=1',
      { email: 'zoë@b.example', n: '1' },
    ],
  ])('decodes a base64 body (API Gateway binary) holding %s', (_kind, contentType, text, data) => {
    // Arrange
    const event = makeEvent(
      Buffer.from(text, 'utf8').toString('base64'),
      { 'content-type': contentType },
      true,
    );

    // Act
    const parsed = parseBody(event, { maxBytes: 1024, accept: BOTH });

    // Assert
    expect(parsed.data).toEqual(data);
  });

  it('applies the size limit to the decoded bytes of a base64 body', () => {
    // Arrange: 1,000 bytes are 1,336 characters of base64
    const encoded = Buffer.from(JSON.stringify({ m: 'x'.repeat(992) })).toString('base64');
    const event = makeEvent(encoded, { 'content-type': 'application/json' }, true);

    // Act
    const parsed = parseBody(event, { maxBytes: 1_000, accept: BOTH });

    // Assert
    expect(encoded.length).toBeGreaterThan(1_000);
    expect(parsed.kind).toBe('json');
  });

  it.each([
    ['JSON', 'application/json', '\uFEFF{"email":"a@b.example"}'],
    ['a form', 'application/x-www-form-urlencoded', '\uFEFFemail=a%40b.example'],
  ])('reads %s that starts with a byte order mark (.NET, Power Automate)', (_kind, type, body) => {
    // Act
    const parsed = parseBody(makeEvent(body, { 'content-type': type }), { maxBytes: 1_000, accept: BOTH });

    // Assert
    expect({ ...(parsed.data as object) }).toEqual({ email: 'a@b.example' });
  });

  it.each([
    ['an empty body', ''],
    ['no body at all', undefined],
    ['a cut-off object', '{"email":'],
    ['single quotes', "{'email':'a@b.example'}"],
    ['a trailing comma', '{"email":"a@b.example",}'],
    ['NaN', '{"n":NaN}'],
  ])('answers 400 invalid_json for %s', (_kind, body) => {
    // Act
    const error = thrown(() =>
      parseBody(makeEvent(body, { 'content-type': 'application/json' }), {
        maxBytes: 1_000_000,
        accept: BOTH,
      }),
    );

    // Assert
    expect(error).toMatchObject({ status: 400, code: 'invalid_json' });
  });

  it.each([
    [
      'a repeated name keeps its first value',
      'email=a%40b.example&email=c%40d.example',
      { email: 'a@b.example' },
    ],
    ['+ is a space', 'firstName=Ada+Lovelace', { firstName: 'Ada Lovelace' }],
    ['an empty value stays empty', 'firstName=&email=x', { firstName: '', email: 'x' }],
    ['a name without a value', 'subscribe', { subscribe: '' }],
    ['bracketed names are plain names', 'a%5Bb%5D=1', { 'a[b]': '1' }],
  ])('parses a form post: %s', (_kind, body, data) => {
    // Act
    const parsed = parseBody(makeEvent(body, { 'content-type': 'application/x-www-form-urlencoded' }), {
      maxBytes: 1024,
      accept: BOTH,
    });

    // Assert
    expect({ ...(parsed.data as object) }).toEqual(data);
  });

  it('keeps __proto__ in a form post as a plain key of an object without a prototype', () => {
    // Act
    const parsed = parseBody(
      makeEvent('__proto__=x&constructor=y', { 'content-type': 'application/x-www-form-urlencoded' }),
      { maxBytes: 1024, accept: BOTH },
    );

    // Assert
    const data = parsed.data as Record<string, unknown>;
    expect(Object.getPrototypeOf(data)).toBeNull();
    expect(Object.keys(data)).toEqual(['__proto__', 'constructor']);
    expect(({} as Record<string, unknown>).x).toBeUndefined();
  });
});

describe('validate', () => {
  const schema = z
    .object({ email: z.email(), tags: z.array(z.string()).max(2), nested: z.object({ n: z.number() }) })
    .strict();

  it('names every failing field by its dotted path', () => {
    // Act
    const error = thrown(() =>
      validate(schema, { email: 'x', tags: ['a', 1], nested: { n: 'one' }, extra: 1, more: 2 }),
    );

    // Assert
    expect(error).toMatchObject({ status: 400, code: 'invalid_request' });
    expect(error.fields.map((field) => field.path).sort()).toEqual([
      'email',
      'extra',
      'more',
      'nested.n',
      'tags.1',
    ]);
    expect(error.fields.find((field) => field.path === 'extra')?.message).toBe('unknown field');
  });

  it('names the body itself when it is not an object', () => {
    // Act
    const error = thrown(() => validate(schema, ['not', 'an', 'object'], 'the lead is invalid'));

    // Assert
    expect(error.message).toBe('the lead is invalid');
    expect(error.fields).toEqual([{ path: '(body)', message: expect.any(String) }]);
  });

  it('returns the parsed value when valid', () => {
    // Act
    const value = validate(schema, { email: 'a@b.example', tags: [], nested: { n: 1 } });

    // Assert
    expect(value).toEqual({ email: 'a@b.example', tags: [], nested: { n: 1 } });
  });
});

describe('responses and headers', () => {
  it('shapes every error as { error: { code, message, fields } } with its status and headers', () => {
    // Act
    const response = errorResponse(
      new HttpError(429, 'too_many_requests', 'slow down', [{ path: 'x', message: 'y' }], {
        'retry-after': '3',
      }),
    );

    // Assert
    expect(response.statusCode).toBe(429);
    expect(response.headers).toMatchObject({
      'content-type': 'application/json; charset=utf-8',
      'retry-after': '3',
    });
    expect(JSON.parse(String(response.body))).toEqual({
      error: { code: 'too_many_requests', message: 'slow down', fields: [{ path: 'x', message: 'y' }] },
    });
  });

  it('makes a 422 naming one field', () => {
    // Act
    const error = unprocessable('events.3.occurredAt', 'in the future');

    // Assert
    expect(error).toMatchObject({
      status: 422,
      code: 'unprocessable',
      fields: [{ path: 'events.3.occurredAt' }],
    });
  });

  it('answers JSON that is never cached', () => {
    // Act
    const response = json(202, { leadId: 'x' });

    // Assert
    expect(response.headers).toMatchObject({ 'cache-control': 'no-store' });
  });

  it.each(['content-type', 'Content-Type', 'CONTENT-TYPE'])('reads header %s whatever its case', (name) => {
    // Act
    const value = header(makeEvent('', { 'Content-type': 'text/plain' }), name);

    // Assert
    expect(value).toBe('text/plain');
  });
});

describe('what the store can keep', () => {
  it.each([
    [0, true],
    [-0, true],
    [1, true],
    [-1.5, true],
    [0.1 + 0.2, true],
    [Number.MAX_SAFE_INTEGER, true],
    [-Number.MAX_SAFE_INTEGER, true],
    [1e-130, true],
    [Number.MAX_SAFE_INTEGER + 2, false],
    [1e300, false],
    [1e-131, false],
    [-1e-200, false],
    [Number.POSITIVE_INFINITY, false],
    [Number.NaN, false],
  ])('isStorableNumber(%d) is %s', (value, storable) => {
    // Act + Assert
    expect(isStorableNumber(value)).toBe(storable);
  });

  it.each([
    ['constructor', true],
    ['toString', true],
    ['hasOwnProperty', true],
    ['valueOf', true],
    ['__proto__', true],
    ['company', false],
    ['Constructor', false],
    ['toStringTag', false],
  ])('isReservedName(%s) is %s', (name, reserved) => {
    // Act + Assert
    expect(isReservedName(name)).toBe(reserved);
  });
});

describe('jsonFormBody: the names JSON.parse hides', () => {
  it.each<[string, string, unknown]>([
    ['no name twice', '{"email":"a@x.example","a":{"b":[1,{"c":2}]}}', undefined],
    [
      'braces, quotes and names inside strings',
      '{"email":"a@x.example","note":"{\\"email\\":1} [\\"email\\"] \\\\","x":"email"}',
      undefined,
    ],
    [
      'a top-level name twice, escaped once',
      '{ "email" : "a@x.example" , "\\u0065mail" : ["b@x.example"] }',
      [
        ['email', 'a@x.example'],
        ['email', ['b@x.example']],
      ],
    ],
    ['the same name in two sibling objects', '{"a":{"v":1},"b":{"v":2},"c":[{"v":1},{"v":2}]}', undefined],
  ])('%s', (_case, text, members) => {
    // Act
    const body = jsonFormBody(text);

    // Assert
    expect(body).toEqual({ kind: 'json', data: JSON.parse(text), ...(members ? { members } : {}) });
  });

  it.each<[string, string]>([
    ['{"fields":[{"name":"email","value":"a","value":"b"}]}', 'fields[0].value'],
    ['{"a":{"b":[0,{"c":1,"c":2}]}}', 'a.b[1].c'],
  ])('refuses %s naming %s', (text, path) => {
    // Act + Assert
    expect(() => jsonFormBody(text)).toThrow(
      expect.objectContaining({
        status: 400,
        fields: [{ path, message: 'a name given once in its object, not twice' }],
      }),
    );
  });
});

describe('jsonBody: a request body refuses a name given twice (the token routes, POST /sla/impact)', () => {
  it.each<[string, string, string]>([
    ['a top-level name', '{"owner":"mats","owner":"lena"}', 'owner'],
    ['the same value twice', '{"eventId":"e1","eventId":"e1"}', 'eventId'],
    ['escaped once', '{"stage":"a","\\u0073tage":"b"}', 'stage'],
    ['inside an object', '{"fields":{"firstName":"A","firstName":"B"}}', 'fields.firstName'],
    ['inside a list', '{"events":[{"type":"a"},{"type":"b","type":"c"}]}', 'events[1].type'],
    ['the first in the text of two', '{"a":{"x":1,"x":2},"b":1,"b":2}', 'a.x'],
  ])('%s: 400 naming %s', (_case, text, path) => {
    // Act + Assert
    expect(() => jsonBody(text)).toThrow(
      expect.objectContaining({
        status: 400,
        code: 'invalid_request',
        fields: [{ path, message: 'a name given once in its object, not twice' }],
      }),
    );
  });

  it.each<[string, string]>([
    ['no name twice', '{"owner":"lena","reason":"speaks Bavarian"}'],
    ['one name in sibling objects', '{"events":[{"type":"a"},{"type":"b"}]}'],
    ['a name inside a string', '{"note":"\\"owner\\":1,\\"owner\\":2"}'],
  ])('%s: read as JSON.parse reads it', (_case, text) => {
    // Act + Assert
    expect(jsonBody(text)).toEqual(JSON.parse(text));
  });
});
