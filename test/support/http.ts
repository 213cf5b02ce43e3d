/**
 * Requests and responses as the tests make and read them over real HTTP (fetch): the body encoding and the
 * response reading that local-api.ts (the API on its own) and e2e.ts (the whole runtime) share. No vitest
 * import: bench/ uses it too, through e2e.ts.
 */

export interface HttpResponse {
  readonly status: number;
  readonly headers: Headers;
  readonly text: string;
  /** the body parsed as JSON; undefined when it is not JSON */
  readonly body: unknown;
}

export interface BodyOptions {
  /** sent as application/json (JSON.stringify) */
  readonly json?: unknown;
  /** sent as application/x-www-form-urlencoded */
  readonly form?: Record<string, string> | string;
  /** sent byte for byte as given (a signed body), with the content type `headers` names */
  readonly raw?: string;
}

/** The request body for `json` (first), `form` or `raw`, with its content type set in `headers`; undefined for none. */
export function encodeBody(options: BodyOptions, headers: Record<string, string>): string | undefined {
  if (options.json !== undefined) {
    headers['content-type'] = 'application/json';
    return JSON.stringify(options.json);
  }
  if (options.form !== undefined) {
    headers['content-type'] = 'application/x-www-form-urlencoded';
    return typeof options.form === 'string' ? options.form : new URLSearchParams(options.form).toString();
  }
  return options.raw;
}

/** Reads the whole response: its text, and that text as JSON when it is JSON. */
export async function readResponse(response: Response): Promise<HttpResponse> {
  const text = await response.text();
  let parsed: unknown;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    parsed = undefined;
  }
  return { status: response.status, headers: response.headers, text, body: parsed };
}
