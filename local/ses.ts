/**
 * The local SES: aws-ses-v2-local (the SES v1 and v2 APIs, a web inbox at `/`, every email at
 * `GET /store`) in this process, and the same @aws-sdk/client-sesv2 client the Lambdas use, pointed at it.
 *
 * The package exports its server as a function; its store is module state, so every emulator
 * started in one process shares one store (one per `leadpact dev`, and one per test file, since
 * vitest runs each file in its own worker). What it stores per email (StoredEmail): from, to, cc,
 * bcc, subject, text and HTML bodies, and for Simple content the custom headers.
 */
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { SESv2Client, type SESv2ClientConfig } from '@aws-sdk/client-sesv2';
import { localEndpointConfig } from './local-endpoint.ts';

const require = createRequire(import.meta.url);
const emulator = require('aws-ses-v2-local') as {
  default: (config?: { host?: string; port?: number }) => Promise<Server>;
};

/** The default port of `--mail-port`. */
export const DEFAULT_MAIL_PORT = 8005;

/** An email as aws-ses-v2-local keeps it (GET /store). */
export interface StoredEmail {
  readonly messageId: string;
  readonly from: string;
  readonly replyTo: readonly string[];
  readonly destination: {
    readonly to: readonly string[];
    readonly cc: readonly string[];
    readonly bcc: readonly string[];
  };
  readonly subject: string;
  readonly body: { readonly html?: string; readonly text?: string };
  readonly attachments: readonly unknown[];
  /** custom headers of Simple and Template content (raw MIME messages keep none) */
  readonly headers?: readonly { readonly name: string; readonly value: string }[];
  /** epoch seconds */
  readonly at: number;
}

export interface SesEmulator {
  /** `http://127.0.0.1:<port>`: the SES endpoint */
  readonly endpoint: string;
  readonly port: number;
  /** the web inbox viewer */
  readonly inboxUrl: string;
  /** every email sent so far, oldest first */
  messages(): Promise<StoredEmail[]>;
  /** forgets every email (and template) */
  clear(): Promise<void>;
  close(): Promise<void>;
  /** sends refused for the sending rate so far (an emulator started here with `sendRate`) */
  throttledSends?(): number;
  /** sends refused for the daily quota so far (an emulator started here with `dailyQuota`) */
  quotaRefusedSends?(): number;
}

export interface StartSesEmulatorOptions {
  /** default 8005; 0 picks a free port */
  readonly port?: number;
  /**
   * SES's maximum send rate, emails a second, enforced as SES enforces it (ADR 0051): a send over it is
   * refused with `TooManyRequestsException` (HTTP 429, "Maximum sending rate exceeded."), nothing stored.
   * A new production account has 14, the sandbox 1. Off by default (`leadpact dev` stays fast);
   * `--mail-rate N` or a test turns it on.
   */
  readonly sendRate?: number;
  /**
   * SES's daily quota (Max24HourSend), enforced as SES enforces it: a send past it in the last 24 hours is
   * refused with `LimitExceededException` ("Daily message quota exceeded."), nothing stored. The sandbox has 200,
   * a new production account 50,000. GetAccount answers it with SentLast24Hours (ADR 0067). Off by default:
   * GetAccount then answers Max24HourSend -1, SES's "no quota" (`--mail-quota N` or a test turns it on).
   */
  readonly dailyQuota?: number;
  /** the clock of the 24 hours (default real time; the local runtime gives its SLA clock) */
  readonly now?: () => number;
}

/** SES v2 sends (SendEmail, SendBulkEmail): what the sending rate counts. */
const SEND_PATHS = new Set(['/v2/email/outbound-emails', '/v2/email/outbound-bulk-emails']);

/**
 * A token bucket of `perSecond` tokens, full at the start: a second's worth of sends may go at once, then
 * one every 1/perSecond s. The clock is real time (SES's rate is per real second, whatever `--speed` does).
 */
export function sendRateLimiter(perSecond: number, now: () => number = () => performance.now()) {
  if (!(perSecond > 0)) throw new RangeError(`a send rate must be above 0, not ${perSecond}`);
  // a rate under one a second still holds one send (else nothing would ever go)
  const capacity = Math.max(1, perSecond);
  let tokens = capacity;
  let last = now();
  return {
    /** takes a token if there is one */
    take(): boolean {
      const at = now();
      tokens = Math.min(capacity, tokens + ((at - last) / 1000) * perSecond);
      last = at;
      if (tokens < 1) return false;
      tokens -= 1;
      return true;
    },
  };
}

/** SES v2's GetAccount */
const ACCOUNT_PATH = '/v2/email/account';
const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * The sends of the last 24 hours against a daily quota (Max24HourSend): `room()` says whether one more fits,
 * `take()` counts it. `max` undefined: no quota (counted still, for GetAccount's SentLast24Hours).
 */
export function dailyQuotaCounter(max: number | undefined, now: () => number = Date.now) {
  if (max !== undefined && !(Number.isInteger(max) && max >= 1))
    throw new RangeError(`a daily quota must be a whole number above 0, not ${max}`);
  const sentAt: number[] = [];
  const sentLast24Hours = () => {
    const since = now() - DAY_MS;
    while (sentAt.length > 0 && sentAt[0]! <= since) sentAt.shift();
    return sentAt.length;
  };
  return {
    max,
    sentLast24Hours,
    /** whether a send now is within the quota (pruned on every call: a long run keeps a day of sends) */
    room: (): boolean => sentLast24Hours() < (max ?? Number.POSITIVE_INFINITY),
    /** counts a send */
    take(): void {
      sentAt.push(now());
    },
  };
}

function answer(response: ServerResponse, status: number, body: unknown, errorType?: string): void {
  response.writeHead(status, {
    'content-type': 'application/json',
    ...(errorType ? { 'x-amzn-errortype': errorType } : {}),
  });
  response.end(JSON.stringify(body));
}

/**
 * Puts SES's account limits in front of the emulator's own request handlers: the sending rate (when given),
 * the daily quota, and GetAccount's SendQuota from them.
 */
function enforceAccountLimits(
  server: Server,
  options: Pick<StartSesEmulatorOptions, 'sendRate' | 'dailyQuota' | 'now'>,
): { throttled: () => number; quotaRefused: () => number } {
  const limiter = options.sendRate === undefined ? undefined : sendRateLimiter(options.sendRate);
  const quota = dailyQuotaCounter(options.dailyQuota, options.now);
  let throttled = 0;
  let quotaRefused = 0;
  const handlers = server.listeners('request') as ((
    request: IncomingMessage,
    response: ServerResponse,
  ) => void)[];
  server.removeAllListeners('request');
  server.on('request', (request: IncomingMessage, response: ServerResponse) => {
    const path = (request.url ?? '').split('?')[0] ?? '';
    if (request.method === 'GET' && path === ACCOUNT_PATH) {
      request.resume();
      answer(response, 200, {
        ProductionAccessEnabled: true,
        SendingEnabled: true,
        EnforcementStatus: 'HEALTHY',
        SendQuota: {
          Max24HourSend: quota.max ?? -1,
          MaxSendRate: options.sendRate ?? -1,
          SentLast24Hours: quota.sentLast24Hours(),
        },
      });
      return;
    }
    if (request.method === 'POST' && SEND_PATHS.has(path)) {
      // a send refused for the quota takes no token of the rate, and one refused for the rate is not counted
      if (!quota.room()) {
        quotaRefused++;
        request.resume();
        answer(response, 400, { message: 'Daily message quota exceeded.' }, 'LimitExceededException');
        return;
      }
      if (limiter && !limiter.take()) {
        throttled++;
        request.resume();
        answer(response, 429, { message: 'Maximum sending rate exceeded.' }, 'TooManyRequestsException');
        return;
      }
      quota.take();
    }
    for (const handler of handlers) handler.call(server, request, response);
  });
  return { throttled: () => throttled, quotaRefused: () => quotaRefused };
}

/**
 * An SES emulator that runs elsewhere (another process, a shared inbox): the same reading
 * interface; close() leaves it running.
 */
export function connectSesEmulator(endpoint: string): SesEmulator {
  const url = new URL(endpoint);
  const base = url.origin;
  return {
    endpoint: base,
    port: Number(url.port || 80),
    inboxUrl: `${base}/`,
    messages: () => readStore(base),
    clear: () => clearStore(base),
    close: async () => undefined,
  };
}

async function readStore(endpoint: string): Promise<StoredEmail[]> {
  const response = await fetch(`${endpoint}/store`);
  if (!response.ok) throw new Error(`the SES emulator's store answered ${response.status}`);
  const store = (await response.json()) as { emails: StoredEmail[] };
  return store.emails;
}

async function clearStore(endpoint: string): Promise<void> {
  const response = await fetch(`${endpoint}/clear-store`, { method: 'POST' });
  if (!response.ok) throw new Error(`the SES emulator's clear-store answered ${response.status}`);
}

/** Starts aws-ses-v2-local in this process on 127.0.0.1. */
export async function startSesEmulator(options: StartSesEmulatorOptions = {}): Promise<SesEmulator> {
  const requested = options.port ?? DEFAULT_MAIL_PORT;
  const server = await emulator.default({ host: '127.0.0.1', port: requested });
  // the package resolves even when listen failed (its callback ignores the error): check
  if (!server.listening) {
    server.close();
    throw new Error(
      `the SES emulator could not listen on 127.0.0.1:${requested} (is the port in use? try another --mail-port)`,
    );
  }
  const { port } = server.address() as AddressInfo;
  const endpoint = `http://127.0.0.1:${port}`;
  const limits = enforceAccountLimits(server, options);
  let closing: Promise<void> | undefined;
  return {
    endpoint,
    port,
    inboxUrl: `${endpoint}/`,
    messages: () => readStore(endpoint),
    clear: () => clearStore(endpoint),
    ...(options.sendRate === undefined ? {} : { throttledSends: limits.throttled }),
    ...(options.dailyQuota === undefined ? {} : { quotaRefusedSends: limits.quotaRefused }),
    close() {
      closing ??= new Promise<void>((resolve, reject) => {
        server.close((error?: Error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      });
      return closing;
    },
  };
}

/**
 * An SES v2 client for a local endpoint only: region `local`, dummy credentials (the emulator wants
 * a signed request, any key). It refuses an endpoint that is missing or not on this machine, so a
 * test or `leadpact dev` can never send real email through an AWS account by accident.
 */
export function localSesClient(
  endpoint: string | undefined,
  config: Omit<SESv2ClientConfig, 'endpoint' | 'region' | 'credentials'> = {},
): SESv2Client {
  return new SESv2Client({ maxAttempts: 3, ...config, ...localEndpointConfig('localSesClient', endpoint) });
}
