/**
 * An AWS SDK v3 request handler that hands each request to an emulator's Node request listener in this
 * process, without a socket: dynalite runs in the same process as the clients that call it, so the TCP
 * loopback, HTTP/1.1 framing and parsing on both sides, the agent's socket pool and the response stream
 * were CPU spent on nothing (issue 15: about a third of a DynamoDB request's CPU). The SDK still
 * serializes, signs and parses exactly as against AWS; the emulator gets the same method, path, headers
 * and body bytes and answers as over HTTP (status, headers, body). Its HTTP endpoint keeps serving
 * everything else (another process, the fault-injecting proxy of the tests, a CLI).
 *
 * The listener sees a minimal request (an EventEmitter with method, url, headers, then `data` and `end`)
 * and a minimal response (statusCode, setHeader/getHeader/removeHeader, write, end): what dynalite's
 * handler uses (node_modules/dynalite/index.js httpHandler). Not for frameworks that reach into Node's
 * IncomingMessage/ServerResponse internals (express: the SES emulator stays on HTTP).
 */
import { EventEmitter } from 'node:events';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { HttpRequest, HttpResponse, RequestHandler } from '@smithy/types';

export type RequestListener = (req: IncomingMessage, res: ServerResponse) => void;

class InProcessRequest extends EventEmitter {
  readonly httpVersion = '1.1';
  constructor(
    readonly method: string,
    readonly url: string,
    readonly headers: Record<string, string>,
  ) {
    super();
  }
}

class InProcessResponse {
  statusCode = 200;
  headersSent = false;
  finished = false;
  private readonly headers: Record<string, string> = {};
  private readonly chunks: Buffer[] = [];

  constructor(private readonly done: (response: HttpResponse) => void) {}

  setHeader(name: string, value: string | number | readonly string[]): this {
    this.headers[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : String(value);
    return this;
  }
  getHeader(name: string): string | undefined {
    return this.headers[name.toLowerCase()];
  }
  removeHeader(name: string): void {
    delete this.headers[name.toLowerCase()];
  }
  write(chunk: string | Uint8Array): boolean {
    this.headersSent = true;
    this.chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : Buffer.from(chunk));
    return true;
  }
  end(chunk?: string | Uint8Array): this {
    if (this.finished) return this;
    if (chunk !== undefined && chunk.length > 0) this.write(chunk);
    this.headersSent = true;
    this.finished = true;
    const body = this.chunks.length === 1 ? this.chunks[0]! : Buffer.concat(this.chunks);
    // a view, not a copy: the SDK reads the body once
    const bytes = new Uint8Array(body.buffer, body.byteOffset, body.byteLength);
    this.done({ statusCode: this.statusCode, headers: this.headers, body: bytes });
    return this;
  }
}

function requestBody(body: unknown): Buffer | undefined {
  if (body === undefined || body === null) return undefined;
  if (typeof body === 'string') return Buffer.from(body);
  if (body instanceof Uint8Array) return Buffer.from(body.buffer, body.byteOffset, body.byteLength);
  throw new Error('in-process request handler: only string and byte bodies are supported');
}

function pathOf(request: HttpRequest): string {
  const query = Object.entries(request.query ?? {}).flatMap(([key, value]) =>
    (Array.isArray(value) ? value : value === null ? [] : [value]).map(
      (one) => `${encodeURIComponent(key)}=${encodeURIComponent(one)}`,
    ),
  );
  return `${request.path || '/'}${query.length ? `?${query.join('&')}` : ''}`;
}

export type InProcessRequestHandler = RequestHandler<HttpRequest, HttpResponse> & {
  /** what the SDK calls on any handler it is given (socket timeouts, a logger): nothing to configure here */
  updateHttpClientConfig(): void;
  httpHandlerConfigs(): object;
  /**
   * Refuses new requests (as a closed port does: ECONNREFUSED) and resolves once every request in flight
   * has its answer, as an HTTP server's close() waits for its active connections.
   */
  stop(): Promise<void>;
};

/** The request handler for a client's `requestHandler` option: each request goes to `listener`. */
export function inProcessRequestHandler(listener: RequestListener): InProcessRequestHandler {
  let inFlight = 0;
  let stopped = false;
  let drained: (() => void) | undefined;
  const answered = () => {
    inFlight -= 1;
    if (inFlight === 0) drained?.();
  };
  return {
    metadata: { handlerProtocol: 'http/1.1' },
    handle(request, options?: { abortSignal?: { aborted: boolean } }) {
      if (stopped) {
        const error = new Error(`connect ECONNREFUSED ${request.hostname}:${request.port ?? ''}`);
        return Promise.reject(Object.assign(error, { code: 'ECONNREFUSED' }));
      }
      if (options?.abortSignal?.aborted) {
        const error = new Error('Request aborted');
        error.name = 'AbortError';
        return Promise.reject(error);
      }
      inFlight += 1;
      const answer = new Promise<{ response: HttpResponse }>((resolve, reject) => {
        const headers: Record<string, string> = {};
        for (const [name, value] of Object.entries(request.headers)) headers[name.toLowerCase()] = value;
        headers.host ??= request.port ? `${request.hostname}:${request.port}` : request.hostname;
        const body = requestBody(request.body);
        const req = new InProcessRequest(request.method, pathOf(request), headers);
        const res = new InProcessResponse((response) => resolve({ response }));
        try {
          listener(req as unknown as IncomingMessage, res as unknown as ServerResponse);
          if (body && body.length > 0) req.emit('data', body);
          req.emit('end');
        } catch (error) {
          reject(error);
        }
      });
      answer.then(answered, answered);
      return answer;
    },
    updateHttpClientConfig() {},
    httpHandlerConfigs: () => ({}),
    stop() {
      stopped = true;
      if (inFlight === 0) return Promise.resolve();
      return new Promise<void>((resolve) => {
        drained = resolve;
      });
    },
  };
}
