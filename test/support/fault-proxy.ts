/**
 * A fault-injecting HTTP proxy for tests (real sockets on 127.0.0.1): it forwards every request to
 * one target (dynalite, the SES emulator) and, at a set rate, answers instead the way a real
 * service or network fails:
 *
 * - `throttle`: DynamoDB's `ThrottlingException` (HTTP 400, `x-amzn-ErrorType`), or SES's
 *   `TooManyRequestsException` (HTTP 429);
 * - `error500`, `error503`: an internal error / service unavailable;
 * - `timeout`: holds the request past any reasonable client timeout (`timeoutMs`), then drops the
 *   connection (the local SDK clients set no request timeout, so the hang ends by a reset, as a
 *   load balancer's idle timeout ends it);
 * - `slow`: answers correctly, `slowMs` late;
 * - `drop`: destroys the socket without an answer (ECONNRESET / "socket hang up").
 *
 * Each fault strikes `before` the target sees the request (nothing happened) or `after` it was
 * forwarded and answered (the write happened, the answer is lost or replaced by the error): the
 * nastiest case, since a client retry then repeats a write that already took effect.
 *
 * Decisions come from a seeded PRNG (mulberry32), so a run injects the same sequence of faults for
 * the same sequence of requests; concurrency may reorder which request gets which. Everything
 * injected is counted, by kind, phase and operation.
 */
import {
  Agent,
  createServer,
  request as httpRequest,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';

export type FaultKind = 'throttle' | 'error500' | 'error503' | 'timeout' | 'slow' | 'drop';
export type FaultPhase = 'before' | 'after';
/** the error dialect of the target: DynamoDB (JSON 1.0, `__type`) or SES v2 (REST-JSON) */
export type FaultService = 'dynamodb' | 'ses';

export const FAULT_KINDS: readonly FaultKind[] = [
  'throttle',
  'error500',
  'error503',
  'timeout',
  'slow',
  'drop',
];

export interface ProxiedRequest {
  readonly method: string;
  readonly path: string;
  /** DynamoDB's `X-Amz-Target` operation (`PutItem`), else `<METHOD> <path without query>` */
  readonly operation: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: Buffer;
}

export interface FaultProxyOptions {
  /** where requests go: `http://127.0.0.1:<port>` */
  readonly target: string;
  readonly service: FaultService;
  /** share of requests that get a fault, 0..1 (changeable later with setRate) */
  readonly rate?: number;
  /** PRNG seed (default 1) */
  readonly seed?: number;
  /** the kinds to draw from, evenly (default all) */
  readonly kinds?: readonly FaultKind[];
  /** the phases to draw from, evenly (default both) */
  readonly phases?: readonly FaultPhase[];
  /** which requests may get a fault (default all) */
  readonly eligible?: (request: ProxiedRequest) => boolean;
  /** how long a `timeout` holds the request before dropping it (default 250 ms) */
  readonly timeoutMs?: number;
  /** how late a `slow` answer comes (default 100 ms) */
  readonly slowMs?: number;
}

export interface InjectedFault {
  readonly kind: FaultKind;
  readonly phase: FaultPhase;
  readonly operation: string;
}

export interface FaultCounts {
  /** requests received */
  readonly requests: number;
  /** requests the target saw (forwarded: clean ones and every `after` fault) */
  readonly forwarded: number;
  /** faults injected in all */
  readonly injected: number;
  /** by `<kind>/<phase>`, e.g. `drop/after` */
  readonly byFault: Readonly<Record<string, number>>;
  /** by operation, e.g. `PutItem`, `POST /v2/email/outbound-emails` */
  readonly byOperation: Readonly<Record<string, number>>;
}

export interface FaultProxy {
  /** `http://127.0.0.1:<port>`: give this to the client instead of the target */
  readonly endpoint: string;
  setRate(rate: number): void;
  counts(): FaultCounts;
  /** every fault injected, in order */
  faults(): readonly InjectedFault[];
  close(): Promise<void>;
}

/** mulberry32: a small, good enough, seeded PRNG */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'transfer-encoding', 'proxy-connection', 'upgrade']);

export async function startFaultProxy(options: FaultProxyOptions): Promise<FaultProxy> {
  const target = new URL(options.target);
  const random = seededRandom(options.seed ?? 1);
  const kinds = options.kinds ?? FAULT_KINDS;
  const phases = options.phases ?? (['before', 'after'] as const);
  const timeoutMs = options.timeoutMs ?? 250;
  const slowMs = options.slowMs ?? 100;
  let rate = options.rate ?? 0;
  const agent = new Agent({ keepAlive: true, maxSockets: 64 });
  const injected: InjectedFault[] = [];
  let requests = 0;
  let forwarded = 0;
  const pending = new Set<NodeJS.Timeout>();

  const later = (ms: number, fire: () => void) => {
    const timer = setTimeout(() => {
      pending.delete(timer);
      fire();
    }, ms);
    pending.add(timer);
  };

  /** the decision for one request: always three draws, so the sequence does not depend on the rate */
  const decide = (request: ProxiedRequest): InjectedFault | undefined => {
    const strike = random();
    const kind = kinds[Math.floor(random() * kinds.length)]!;
    const phase = phases[Math.floor(random() * phases.length)]!;
    if (strike >= rate || kinds.length === 0 || phases.length === 0) return undefined;
    if (options.eligible && !options.eligible(request)) return undefined;
    return { kind, phase, operation: request.operation };
  };

  const forward = (
    request: ProxiedRequest,
  ): Promise<{ status: number; headers: IncomingHttpHeaders; body: Buffer }> =>
    new Promise((resolve, reject) => {
      const headers: Record<string, string | string[]> = {};
      for (const [name, value] of Object.entries(request.headers)) {
        if (value !== undefined && !HOP_BY_HOP.has(name)) headers[name] = value;
      }
      headers['content-length'] = String(request.body.length);
      const outgoing = httpRequest(
        {
          host: target.hostname,
          port: target.port,
          method: request.method,
          path: request.path,
          headers,
          agent,
        },
        (incoming) => {
          const chunks: Buffer[] = [];
          incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
          incoming.on('end', () =>
            resolve({
              status: incoming.statusCode ?? 502,
              headers: incoming.headers,
              body: Buffer.concat(chunks),
            }),
          );
          incoming.on('error', reject);
        },
      );
      outgoing.on('error', reject);
      forwarded++;
      outgoing.end(request.body);
    });

  const reply = (res: ServerResponse, status: number, headers: IncomingHttpHeaders, body: Buffer) => {
    if (res.destroyed) return;
    const out: Record<string, string | string[]> = {};
    for (const [name, value] of Object.entries(headers)) {
      if (value !== undefined && !HOP_BY_HOP.has(name) && name !== 'content-length') out[name] = value;
    }
    out['content-length'] = String(body.length);
    res.writeHead(status, out);
    res.end(body);
  };

  const errorReply = (res: ServerResponse, kind: 'throttle' | 'error500' | 'error503') => {
    const dynamo = options.service === 'dynamodb';
    const [status, type, message] =
      kind === 'throttle'
        ? dynamo
          ? [
              400,
              'com.amazonaws.dynamodb.v20120810#ThrottlingException',
              'Rate of requests exceeds the allowed throughput.',
            ]
          : [429, 'TooManyRequestsException', 'Maximum sending rate exceeded.']
        : kind === 'error500'
          ? [
              500,
              dynamo ? 'com.amazonaws.dynamodb.v20120810#InternalServerError' : 'InternalFailure',
              'Internal server error (INJECTED FAULT)',
            ]
          : [
              503,
              dynamo ? 'com.amazonaws.dynamodb.v20120810#ServiceUnavailable' : 'ServiceUnavailable',
              'Service unavailable (INJECTED FAULT)',
            ];
    const body = Buffer.from(JSON.stringify(dynamo ? { __type: type, message } : { message }));
    reply(
      res,
      status,
      {
        'content-type': dynamo ? 'application/x-amz-json-1.0' : 'application/json',
        'x-amzn-errortype': type.split('#').at(-1)!,
        'x-amzn-requestid': `fault-${injected.length}`,
      },
      body,
    );
  };

  /** INJECTED FAULT: what the client gets instead of the target's answer (a `slow` one is only late) */
  const inject = (res: ServerResponse, kind: Exclude<FaultKind, 'slow'>) => {
    switch (kind) {
      case 'throttle':
      case 'error500':
      case 'error503':
        errorReply(res, kind);
        return;
      case 'drop':
        res.socket?.destroy();
        return;
      case 'timeout':
        later(timeoutMs, () => res.socket?.destroy());
        return;
    }
  };
  const sleep = (ms: number) => new Promise<void>((resolve) => later(ms, resolve));

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    requests++;
    const path = req.url ?? '/';
    const amzTarget = req.headers['x-amz-target'];
    const request: ProxiedRequest = {
      method: req.method ?? 'GET',
      path,
      operation:
        typeof amzTarget === 'string'
          ? (amzTarget.split('.').at(-1) ?? amzTarget)
          : `${req.method} ${path.split('?')[0]}`,
      headers: req.headers,
      body: Buffer.concat(chunks),
    };
    const fault = decide(request);
    if (fault) injected.push(fault);
    if (fault?.phase === 'before') {
      if (fault.kind !== 'slow') {
        inject(res, fault.kind);
        return;
      }
      await sleep(slowMs);
    }
    let answer: { status: number; headers: IncomingHttpHeaders; body: Buffer };
    try {
      answer = await forward(request);
    } catch {
      res.socket?.destroy();
      return;
    }
    if (fault?.phase === 'after') {
      if (fault.kind !== 'slow') {
        // the target did the work; the client never learns it
        inject(res, fault.kind);
        return;
      }
      await sleep(slowMs);
    }
    reply(res, answer.status, answer.headers, answer.body);
  };

  const server: Server = createServer((req, res) => {
    handle(req, res).catch(() => res.socket?.destroy());
  });
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;

  return {
    endpoint: `http://127.0.0.1:${port}`,
    setRate(next) {
      rate = next;
    },
    counts() {
      const byFault: Record<string, number> = {};
      const byOperation: Record<string, number> = {};
      for (const fault of injected) {
        byFault[`${fault.kind}/${fault.phase}`] = (byFault[`${fault.kind}/${fault.phase}`] ?? 0) + 1;
        byOperation[fault.operation] = (byOperation[fault.operation] ?? 0) + 1;
      }
      return { requests, forwarded, injected: injected.length, byFault, byOperation };
    },
    faults: () => [...injected],
    close() {
      for (const timer of pending) clearTimeout(timer);
      pending.clear();
      agent.destroy();
      return new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}

/**
 * A DynamoDB proxy for lost-answer tests: once armed, the next request `matches` accepts is answered HTTP 500,
 * `before` dynalite sees it or `after` it did the work (the answer lost); every other request passes.
 */
export async function startOneShotFault(
  target: string,
  phase: FaultPhase,
  matches: (request: ProxiedRequest) => boolean,
): Promise<{ proxy: FaultProxy; arm(): void }> {
  let armed = false;
  const proxy = await startFaultProxy({
    target,
    service: 'dynamodb',
    rate: 1,
    kinds: ['error500'],
    phases: [phase],
    eligible: (request) => {
      if (!armed || !matches(request)) return false;
      armed = false;
      return true;
    },
  });
  return {
    proxy,
    arm: () => {
      armed = true;
    },
  };
}

/**
 * An e2e runtime's SES endpoint behind a fault proxy (startE2e's `endpoints.ses`): every eligible send gets a
 * fault of `options`' kinds (rate 1 unless given); `started` is handed the proxy, to read its counts or close it.
 */
export function sesBehindFaults(
  options: Omit<FaultProxyOptions, 'target' | 'service'>,
  started: (proxy: FaultProxy) => void,
): (target: string) => Promise<string> {
  return async (target) => {
    const proxy = await startFaultProxy({ rate: 1, ...options, target, service: 'ses' });
    started(proxy);
    return proxy.endpoint;
  };
}
