/**
 * The local stand-in for API Gateway: a real HTTP server that turns requests into API Gateway
 * v2 (HTTP API) events for the same handler modules Lambda runs, plays the authorizer (a bearer
 * token), answers CORS preflights and throttles the public route. `curl` works against it.
 */
import { randomUUID, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse, STATUS_CODES } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import type { Context } from 'aws-lambda';
import type { ApiDeps } from '../lambdas/api/deps.ts';
import { MAX_BODY_BYTES, MAX_SLA_BYTES } from '../lambdas/api/deps.ts';
import { errorResponse, HttpError, type HttpEvent, type HttpResult } from '../lambdas/api/http.ts';
import { formRefusal, submitLeadHandler } from '../lambdas/api/leads-public.ts';
import { corsHeaders, isAllowedOrigin, type LambdaHttpHandler } from '../lambdas/api/middleware.ts';
import { routePattern } from '../lambdas/api/route-definition.ts';
import { ROUTES, type RouteDefinition } from '../lambdas/api/routes.ts';
import { unknownAddressHandler } from '../lambdas/api/unknown-address.ts';
import { DEFAULT_ROUTE_KEY } from '../lambdas/aws/shared/api-groups.ts';
import { withInvocationTime } from '../lambdas/ports/invocation-time.ts';

export interface ExtraRoute {
  readonly method: string;
  /** exact path or a prefix ending in "/" */
  readonly path: string;
  readonly handle: (req: IncomingMessage, res: ServerResponse, body: Buffer) => Promise<void> | void;
}

export interface ApiServerOptions {
  readonly deps: ApiDeps;
  /** each route's own deps (`leadpact dev --iam enforce`: its function's role); default `deps` */
  readonly depsFor?: (definition: RouteDefinition) => ApiDeps;
  readonly adminToken: string;
  readonly port?: number;
  readonly host?: string;
  /** public POST /leads per client address; API Gateway throttling plays this part in AWS */
  readonly rateLimit?: { readonly perMinute: number; readonly burst: number };
  /** pages and links beside the API (the demo page, action links) */
  readonly extraRoutes?: readonly ExtraRoute[];
  /**
   * The API functions' timeout in ms, as Lambda enforces it (tests; ADR 0068): the context counts down from
   * it, so middy's early timeout answers as on AWS, and a handler that has not answered by then gets API
   * Gateway's answer to a timed-out function (500 `{"message":"Internal Server Error"}`) and Lambda's log line.
   * The handler's work is not stopped (Lambda's would be). Absent: the context answers 30 s, always.
   */
  readonly timeoutMs?: number;
}

export interface RunningServer {
  readonly url: string;
  readonly port: number;
  close(): Promise<void>;
}

interface CompiledRoute {
  readonly definition: RouteDefinition;
  readonly pattern: RegExp;
  readonly params: string[];
  /** its last segment is `{name+}`: taken only when no other route of the method matches, as API Gateway does */
  readonly greedy: boolean;
  readonly handler: LambdaHttpHandler;
}

/**
 * The largest body read before answering 413; the handlers apply their own, smaller limits (an SLA file for
 * POST /sla/impact is the largest they take).
 */
const READ_LIMIT = Math.max(MAX_BODY_BYTES * 4, MAX_SLA_BYTES);

/**
 * Lambda's limit on a synchronous invocation's response: the handler's result serialized as JSON (API
 * Gateway's envelope: status, headers and the body as one JSON string, so every quote and backslash of a
 * JSON body counts twice; base64 for a binary body). Past it Lambda fails the invocation ("Response payload
 * size exceeded maximum allowed payload size (6291556 bytes)") and API Gateway answers 500 with its own
 * `{"message":"Internal Server Error"}`: the local server answers the same, so a route that could grow past it
 * fails here first.
 */
export const LAMBDA_RESPONSE_LIMIT_BYTES = 6_291_556;

/** The bytes of a handler's result as Lambda returns it to API Gateway. */
export function lambdaResponseBytes(result: HttpResult): number {
  return Buffer.byteLength(JSON.stringify(result));
}

export async function startApiServer(options: ApiServerOptions): Promise<RunningServer> {
  const routes = ROUTES.map((definition) =>
    compile(definition, options.depsFor?.(definition) ?? options.deps),
  );
  const unknownAddress = unknownAddressHandler({ routes: ROUTES, locales: options.deps.sla.locales });
  const limiter = rateLimiter(options.rateLimit ?? { perMinute: 120, burst: 30 });
  const token = Buffer.from(options.adminToken);

  // no Host header is no reason to refuse with Node's bare 400: nothing here reads it
  const server = createServer({ requireHostHeader: false }, (req, res) => {
    handle(req, res).catch((error: unknown) => {
      console.error(JSON.stringify({ level: 'error', msg: 'local server failure', error: String(error) }));
      if (!res.headersSent)
        send(res, errorResponse(new HttpError(500, 'internal', 'something went wrong on our side')));
    });
  });
  // an idle kept-alive connection stays open a minute, as API Gateway's and a load balancer's do, not Node's 5 s:
  // a client that sends on it just as the server closes it gets ECONNRESET, and with the event loop paused by a
  // large store (a 23,000-lead trial: pauses up to 6 s) 58 form posts were lost that way under load
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
  // what Node's HTTP parser refuses (a malformed request line, header or chunk, headers over 16 KB) and
  // CONNECT get the API's JSON error too, instead of Node's bare 400 or a closed connection
  server.on('clientError', (error: NodeJS.ErrnoException, socket: Duplex) => {
    const inFlight = (socket as Duplex & { _httpMessage?: ServerResponse })._httpMessage;
    if (inFlight?.req.complete) {
      // bytes after a whole request (a Content-Length shorter than the body, a pipelined request) broke
      // the parser while that request is being handled: answer it, then close. A 400 written now would
      // reach the client as the answer to the request that is acting.
      inFlight.once('close', () => socket.destroy());
      return;
    }
    if (error.code === 'ECONNRESET' || !socket.writable || inFlight?.headersSent) {
      socket.destroy();
      return;
    }
    const tooLarge = error.code === 'HPE_HEADER_OVERFLOW';
    socket.end(
      rawErrorResponse(
        tooLarge
          ? new HttpError(431, 'headers_too_large', 'the request line and headers exceed 16 KB')
          : new HttpError(400, 'bad_request', 'the request is not well-formed HTTP'),
      ),
    );
  });
  server.on('connect', (_req: IncomingMessage, socket: Duplex) => {
    socket.end(rawErrorResponse(new HttpError(405, 'method_not_allowed', 'CONNECT is not supported')));
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = requestUrl(req.url ?? '/');
    if (!url)
      return send(res, errorResponse(new HttpError(400, 'bad_request', 'the request target is not a URL')));
    const method = (req.method ?? 'GET').toUpperCase();
    const body = await readBody(req);
    // the client went away mid-body (or the body broke the parser, which clientError answered): no one to answer
    if (body === 'gone') return;
    if (body === 'too large') {
      // the rest of the body is never read: the connection cannot carry another request, so the answer
      // closes it (kept alive, the client's next request on it would meet a reset)
      res.shouldKeepAlive = false;
      const tooLarge = new HttpError(413, 'payload_too_large', `the body exceeds ${READ_LIMIT} bytes`);
      // the public form answers a browser with a page, as its handler does for a body over its own limit
      const form = routes.find(
        (route) =>
          route.definition.make === submitLeadHandler &&
          method === 'POST' &&
          route.pattern.test(url.pathname),
      );
      if (form) {
        const event = toApiGatewayEvent(
          req,
          url,
          form,
          Buffer.alloc(0),
          req.socket?.remoteAddress ?? '',
          undefined,
        );
        return send(res, formRefusal(options.deps, event, tooLarge));
      }
      return send(res, errorResponse(tooLarge));
    }

    const extra = options.extraRoutes?.find(
      (route) =>
        route.method === method &&
        (route.path.length > 1 && route.path.endsWith('/')
          ? url.pathname.startsWith(route.path)
          : url.pathname === route.path),
    );
    if (extra) return extra.handle(req, res, body);

    const matches = routes.filter((route) => route.pattern.test(url.pathname));
    if (matches.length > 0 && method === 'OPTIONS') return preflight(req, res, matches);
    const route =
      matches.find((candidate) => candidate.definition.method === method && !candidate.greedy) ??
      matches.find((candidate) => candidate.definition.method === method);
    const sourceIp = req.socket.remoteAddress ?? '127.0.0.1';
    if (!route) {
      // no route takes it (a path only a greedy {proxy+} route of another method takes included): API Gateway's
      // $default route, answered as the health function answers it there: a page or a 404/405 JSON (ADR 0077)
      const event = toApiGatewayEvent(req, url, UNKNOWN_ADDRESS, body, sourceIp, undefined);
      return send(res, await unknownAddress(event, lambdaContext(DEFAULT_ROUTE_KEY, undefined)));
    }

    // the console's sign-in request is public too: the same per-address limit keeps it from mailing in bulk
    if (route.definition.access === 'public' && method === 'POST') {
      const wait = limiter(sourceIp);
      if (wait > 0) {
        const retryAfter = String(Math.ceil(wait / 1000));
        return send(
          res,
          errorResponse(
            new HttpError(429, 'too_many_requests', 'slow down', [], { 'retry-after': retryAfter }),
          ),
        );
      }
    }
    let principal: string | undefined;
    // 'session' routes (the console) check their cookie in the handler, as on AWS: no bearer token here
    if (route.definition.access === 'authenticated') {
      principal = authorize(req, token);
      if (!principal) {
        return send(
          res,
          errorResponse(
            new HttpError(401, 'unauthorized', 'send Authorization: Bearer <admin token>', [], {
              'www-authenticate': 'Bearer realm="leadpact"',
            }),
          ),
        );
      }
    }
    const event = toApiGatewayEvent(req, url, route, body, sourceIp, principal);
    const { timeoutMs } = options;
    const context = lambdaContext(`${route.definition.method}-${route.definition.path}`, timeoutMs);
    // the route's loops stop in time for the function's timeout, as the Lambda entry has them (ADR 0068)
    const invoked = withInvocationTime(context, () => route.handler(event, context));
    const result = timeoutMs === undefined ? await invoked : await withinTimeout(invoked, timeoutMs);
    const where = `${route.definition.method} ${route.definition.path}`;
    if (result === 'timed out') {
      console.error(
        JSON.stringify({
          level: 'error',
          msg: `Task timed out after ${(timeoutMs! / 1000).toFixed(2)} seconds`,
          route: where,
        }),
      );
      return send(res, FUNCTION_FAILED);
    }
    const bytes = lambdaResponseBytes(result);
    if (bytes > LAMBDA_RESPONSE_LIMIT_BYTES) {
      console.error(
        JSON.stringify({
          level: 'error',
          msg: 'Response payload size exceeded maximum allowed payload size (6291556 bytes)',
          route: where,
          bytes,
        }),
      );
      return send(res, FUNCTION_FAILED);
    }
    send(res, result);
  }

  function preflight(req: IncomingMessage, res: ServerResponse, matches: CompiledRoute[]): void {
    const origin = req.headers.origin;
    const isPublic = matches.some((route) => route.definition.access === 'public');
    const policy = { allowedOrigins: options.deps.allowedOrigins, methods: 'POST, OPTIONS' };
    if (!isPublic || !origin || !isAllowedOrigin(policy, origin)) {
      // a web developer reads this in the browser's network panel: on the form route, which origin and how
      const refusal =
        isPublic && origin
          ? new HttpError(
              403,
              'origin_not_allowed',
              `posts from ${origin} are not allowed: add it to the allowed origins (allowedOrigins on deploy, --origin locally)`,
              [{ path: 'origin', message: 'not an allowed origin' }],
            )
          : new HttpError(403, 'origin_not_allowed', 'this origin may not call this route');
      send(res, errorResponse(refusal));
      return;
    }
    send(res, { statusCode: 204, headers: corsHeaders(policy, origin), body: '' });
  }

  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    // a port in use is the user's to fix: one line that says which flag, not an unhandled 'error' event
    server.once('error', (error: NodeJS.ErrnoException) =>
      reject(
        new Error(
          error.code === 'EADDRINUSE' || error.code === 'EACCES'
            ? `the API could not listen on ${host}:${options.port ?? 0} (${error.code === 'EACCES' ? 'not allowed here;' : 'is the port in use?'} try another --port)`
            : `the API could not listen on ${host}:${options.port ?? 0}: ${error.message}`,
        ),
      ),
    );
    server.listen(options.port ?? 0, host, resolve);
  });
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://${options.host ?? '127.0.0.1'}:${port}`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function compile(definition: RouteDefinition, deps: ApiDeps): CompiledRoute {
  return { definition, ...routePattern(definition.path), handler: definition.make(deps) };
}

function authorize(req: IncomingMessage, token: Buffer): string | undefined {
  const match = /^Bearer\s+(.+)$/i.exec(req.headers.authorization ?? '');
  if (!match) return undefined;
  const given = Buffer.from(match[1]!.trim());
  return given.length === token.length && timingSafeEqual(given, token) ? 'admin' : undefined;
}

async function readBody(req: IncomingMessage): Promise<Buffer | 'too large' | 'gone'> {
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of req) {
      size += (chunk as Buffer).length;
      if (size > READ_LIMIT) return 'too large';
      chunks.push(chunk as Buffer);
    }
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ECONNRESET') return 'gone';
    throw error;
  }
  return Buffer.concat(chunks);
}

/** The route API Gateway names `$default`: no other route takes the request. */
const UNKNOWN_ADDRESS = Symbol('$default');

function toApiGatewayEvent(
  req: IncomingMessage,
  url: URL,
  route: CompiledRoute | typeof UNKNOWN_ADDRESS,
  body: Buffer,
  sourceIp: string,
  principal: string | undefined,
): HttpEvent {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers[name.toLowerCase()] = Array.isArray(value) ? value.join(',') : value;
  }
  const known = route === UNKNOWN_ADDRESS ? undefined : route;
  const match = known?.pattern.exec(url.pathname);
  const params = known?.params ?? [];
  const pathParameters = Object.fromEntries(
    params.map((name, i) => [name, decodePathSegment(match![i + 1]!)]),
  );
  const routeKey = known ? `${known.definition.method} ${known.definition.path}` : DEFAULT_ROUTE_KEY;
  const now = new Date();
  return {
    version: '2.0',
    routeKey,
    rawPath: url.pathname,
    rawQueryString: url.search.replace(/^\?/, ''),
    headers,
    ...(url.search ? { queryStringParameters: Object.fromEntries(url.searchParams) } : {}),
    ...(params.length ? { pathParameters } : {}),
    requestContext: {
      accountId: 'local',
      apiId: 'local',
      domainName: headers.host ?? 'localhost',
      domainPrefix: 'localhost',
      http: {
        method: known?.definition.method ?? (req.method ?? 'GET').toUpperCase(),
        path: url.pathname,
        protocol: `HTTP/${req.httpVersion}`,
        sourceIp,
        userAgent: headers['user-agent'] ?? '',
      },
      requestId: randomUUID(),
      routeKey,
      stage: '$default',
      time: now.toUTCString(),
      timeEpoch: now.getTime(),
      ...(principal ? { authorizer: { principalId: principal } } : {}),
    },
    // as API Gateway does: text (JSON) as is, anything else (form posts in any charset, multipart) base64
    ...(body.length ? { body: textBody(headers) ? body.toString('utf8') : body.toString('base64') } : {}),
    isBase64Encoded: body.length > 0 && !textBody(headers),
  } as HttpEvent;
}

function textBody(headers: Record<string, string>): boolean {
  const type = (headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  return type === 'application/json' || type.endsWith('+json');
}

/** A malformed escape (`%E0%A4%A`) stays as sent, for the handler to reject as a bad parameter. */
function decodePathSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

/** API Gateway's answer when the function failed, timed out or answered more than it may. */
const FUNCTION_FAILED: HttpResult = {
  statusCode: 500,
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify({ message: 'Internal Server Error' }),
};

/** The handler's answer, or 'timed out' when it has none after `timeoutMs` (the handler runs on regardless). */
async function withinTimeout(
  invoked: Promise<HttpResult>,
  timeoutMs: number,
): Promise<HttpResult | 'timed out'> {
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<'timed out'>((resolve) => {
    timer = setTimeout(() => resolve('timed out'), timeoutMs);
  });
  try {
    return await Promise.race([invoked, timedOut]);
  } finally {
    clearTimeout(timer);
  }
}

/** A Lambda context for the function of `name` (a route's method and path, or $default). */
function lambdaContext(name: string, timeoutMs: number | undefined): Context {
  const endsAt = timeoutMs === undefined ? undefined : performance.now() + timeoutMs;
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName: `leadpact-local-${name}`,
    functionVersion: '$LATEST',
    invokedFunctionArn: 'arn:aws:lambda:local:000000000000:function:leadpact-local',
    memoryLimitInMB: '256',
    awsRequestId: randomUUID(),
    logGroupName: 'local',
    logStreamName: 'local',
    getRemainingTimeInMillis: () =>
      endsAt === undefined ? 30_000 : Math.max(0, Math.round(endsAt - performance.now())),
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}

/**
 * The request target as a URL. A path (`/leads?x=1`) is only ever a path: `//host/x` does not name
 * another host, as API Gateway takes the path as sent; a full URL (a proxy's absolute form) is parsed as one.
 */
function requestUrl(target: string): URL | undefined {
  try {
    return target.startsWith('/') ? new URL(`http://localhost${target}`) : new URL(target);
  } catch {
    return undefined;
  }
}

/** An error answer written straight to a socket that has no ServerResponse (clientError, CONNECT). */
function rawErrorResponse(error: HttpError): string {
  const result = errorResponse(error);
  const body = result.body ?? '';
  const headers = {
    ...(result.headers as Record<string, string>),
    'x-content-type-options': 'nosniff',
    'content-length': String(Buffer.byteLength(body)),
    connection: 'close',
  };
  const head = Object.entries(headers).map(([name, value]) => `${name}: ${value}\r\n`);
  return `HTTP/1.1 ${error.status} ${STATUS_CODES[error.status] ?? ''}\r\n${head.join('')}\r\n${body}`;
}

function send(res: ServerResponse, result: HttpResult): void {
  res.writeHead(result.statusCode ?? 200, {
    'x-content-type-options': 'nosniff',
    ...(result.headers as Record<string, string>),
  });
  res.end(result.body ?? '');
}

/** Token bucket per client address; returns how long to wait (ms), 0 to go ahead. */
function rateLimiter(limit: { perMinute: number; burst: number }): (key: string) => number {
  const buckets = new Map<string, { tokens: number; at: number }>();
  const refillPerMs = limit.perMinute / 60_000;
  return (key) => {
    const now = Date.now();
    const bucket = buckets.get(key) ?? { tokens: limit.burst, at: now };
    bucket.tokens = Math.min(limit.burst, bucket.tokens + (now - bucket.at) * refillPerMs);
    bucket.at = now;
    buckets.set(key, bucket);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return 0;
    }
    return (1 - bucket.tokens) / refillPerMs;
  };
}
