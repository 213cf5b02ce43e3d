/**
 * The local SES: aws-ses-v2-local (the SES v1 and v2 APIs, a web inbox at `/`, every email at
 * `GET /store`) in this process, and the same @aws-sdk/client-sesv2 client the Lambdas use, pointed at it.
 *
 * The package exports its server as a function; its store is module state, so every emulator
 * started in one process shares one store (one per `leadpact dev`, and one per test file, since
 * vitest runs each file in its own worker). What it stores per email (StoredEmail): from, to, cc,
 * bcc, subject, text and HTML bodies, and for Simple content the custom headers.
 */
import type { Server } from 'node:http';
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
}

export interface StartSesEmulatorOptions {
  /** default 8005; 0 picks a free port */
  readonly port?: number;
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
  let closing: Promise<void> | undefined;
  return {
    endpoint,
    port,
    inboxUrl: `${endpoint}/`,
    messages: () => readStore(endpoint),
    clear: () => clearStore(endpoint),
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
