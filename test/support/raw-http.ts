/**
 * HTTP/1.1 over a bare TCP socket, for requests `fetch` refuses to make: duplicate or missing headers,
 * raw bytes in the path, a Content-Length that lies, invalid UTF-8. The request goes out byte for byte
 * as given (plus Host and Connection: close unless `bare`); the response is read until the server
 * closes the connection (Connection: close; a `bare` request must say so itself or time out). No vitest import.
 */
import { connect } from 'node:net';

export interface RawRequest {
  readonly method: string;
  /** the request target exactly as sent: percent-encode it yourself, or don't */
  readonly target: string | Uint8Array;
  /** in order, duplicates kept */
  readonly headers?: readonly (readonly [string, string])[];
  readonly body?: Uint8Array;
  /** send no Host, Connection or Content-Length of our own */
  readonly bare?: boolean;
}

export interface RawResponse {
  readonly status: number;
  /** lower-case names; repeated headers joined with ", " */
  readonly headers: ReadonlyMap<string, string>;
  readonly body: Buffer;
  readonly text: string;
}

export async function rawRequest(url: string, request: RawRequest, timeoutMs = 15_000): Promise<RawResponse> {
  const { hostname, port } = new URL(url);
  const lines: Buffer[] = [
    Buffer.from(`${request.method} `, 'latin1'),
    typeof request.target === 'string' ? Buffer.from(request.target, 'utf8') : Buffer.from(request.target),
    Buffer.from(' HTTP/1.1\r\n', 'latin1'),
  ];
  const headers = [...(request.headers ?? [])];
  const has = (name: string) => headers.some(([key]) => key.toLowerCase() === name);
  if (!request.bare) {
    if (!has('host')) headers.unshift(['Host', `${hostname}:${port}`]);
    headers.push(['Connection', 'close']);
    if (request.body && !has('content-length') && !has('transfer-encoding'))
      headers.push(['Content-Length', String(request.body.length)]);
  }
  for (const [name, value] of headers) lines.push(Buffer.from(`${name}: ${value}\r\n`, 'utf8'));
  lines.push(Buffer.from('\r\n', 'latin1'));
  if (request.body) lines.push(Buffer.from(request.body));
  const bytes = Buffer.concat(lines);

  const received = await new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = [];
    const socket = connect({ host: hostname, port: Number(port) });
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`no answer within ${timeoutMs} ms to ${request.method} ${String(request.target)}`));
    }, timeoutMs);
    const done = () => {
      clearTimeout(timer);
      resolve(Buffer.concat(chunks));
    };
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('end', done);
    socket.on('close', done);
    // a server that answers before reading the whole body may reset: what it said still counts
    socket.on('error', (error) => {
      if (chunks.length) return done();
      clearTimeout(timer);
      reject(error);
    });
    // write, don't end: Node's server aborts a request whose client half-closes before the answer
    socket.write(bytes);
  });
  return parseResponse(received);
}

function parseResponse(received: Buffer): RawResponse {
  let bytes = received;
  // an interim answer (100 Continue) precedes the real one
  while (
    /^HTTP\/1\.[01] 1\d\d /.test(bytes.subarray(0, 16).toString('latin1')) &&
    bytes.indexOf('\r\n\r\n') >= 0
  )
    bytes = bytes.subarray(bytes.indexOf('\r\n\r\n') + 4);
  const headEnd = bytes.indexOf('\r\n\r\n');
  if (headEnd < 0) throw new Error(`no HTTP response head in ${JSON.stringify(bytes.toString('latin1'))}`);
  const [statusLine, ...headerLines] = bytes.subarray(0, headEnd).toString('latin1').split('\r\n');
  const status = /^HTTP\/1\.[01] (\d{3})/.exec(statusLine ?? '');
  if (!status) throw new Error(`not an HTTP status line: ${JSON.stringify(statusLine)}`);
  const headers = new Map<string, string>();
  for (const line of headerLines) {
    const colon = line.indexOf(':');
    const name = line.slice(0, colon).trim().toLowerCase();
    const value = line.slice(colon + 1).trim();
    headers.set(name, headers.has(name) ? `${headers.get(name)}, ${value}` : value);
  }
  let body = bytes.subarray(headEnd + 4);
  if (headers.get('transfer-encoding')?.toLowerCase() === 'chunked') body = dechunk(body);
  else if (headers.has('content-length')) body = body.subarray(0, Number(headers.get('content-length')));
  return { status: Number(status[1]), headers, body, text: body.toString('utf8') };
}

function dechunk(bytes: Buffer): Buffer {
  const parts: Buffer[] = [];
  let at = 0;
  for (;;) {
    const lineEnd = bytes.indexOf('\r\n', at);
    if (lineEnd < 0) break;
    const size = Number.parseInt(bytes.subarray(at, lineEnd).toString('latin1'), 16);
    if (!size) break;
    parts.push(bytes.subarray(lineEnd + 2, lineEnd + 2 + size));
    at = lineEnd + 2 + size + 2;
  }
  return Buffer.concat(parts);
}
