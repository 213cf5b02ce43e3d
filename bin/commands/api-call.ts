/**
 * One call of a running LeadPact API from the CLI (`report --url`, `sla diff --url`): a bearer token (`--token`:
 * the local admin token, a JWT) or an AWS Signature V4 (`--aws`: `authMode: iam`), JSON back, and the API's
 * error (its fields named) or an unreachable host as one Error the CLI prints.
 */
import { awsFromEnvironment, signRequest } from './sigv4.ts';

interface ApiErrorBody {
  readonly error?: { readonly message: string; readonly fields?: { path: string; message: string }[] };
}

/** How the CLI authenticates: a bearer token, or the AWS credentials of the environment. */
export type ApiAuth = { readonly token: string } | { readonly aws: true };

/** `--token T` or `--aws` (not both, one of them), as a command's options give them. */
export function apiAuth(command: string, values: { token?: string; aws?: boolean }): ApiAuth {
  if (values.token && values.aws) throw new Error(`${command} --url takes --token T or --aws, not both`);
  if (values.aws) return { aws: true };
  if (!values.token)
    throw new Error(
      `${command} --url needs --token T (the API token) or --aws (authMode iam: AWS credentials)`,
    );
  return { token: values.token };
}

export async function callApi<T>(
  target: URL,
  auth: ApiAuth,
  init: { method?: string; headers?: Record<string, string>; body?: string } = {},
  /** how a field of the API's error is named to the user (a query parameter is the command's --flag) */
  fieldName: (path: string) => string = (path) => path,
  now: () => Date = () => new Date(),
): Promise<T> {
  const method = init.method ?? 'GET';
  const base = { accept: 'application/json', ...init.headers };
  const headers =
    'token' in auth
      ? { ...base, authorization: `Bearer ${auth.token}` }
      : signRequest({
          method,
          url: target,
          headers: base,
          body: init.body ?? '',
          service: 'execute-api',
          now: now(),
          ...awsFromEnvironment(target),
        });
  // fetch sends Host itself, from the URL: the value signed (sigv4.ts signs target.host)
  const { host: _host, ...sent } = headers as Record<string, string>;
  let response: Response;
  try {
    response = await fetch(target, { ...init, method, headers: sent });
  } catch (error) {
    throw new Error(
      `cannot reach ${target.origin}: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  const body = (await response.json().catch(() => undefined)) as (T & ApiErrorBody) | undefined;
  if (!response.ok || !body || body.error) {
    const fields = body?.error?.fields
      ?.map((field) => `${fieldName(field.path)}: ${field.message}`)
      .join('; ');
    const message = (body as { message?: string } | undefined)?.message;
    throw new Error(
      `the API answered ${response.status}: ${fields || body?.error?.message || message || response.statusText}`,
    );
  }
  return body;
}
