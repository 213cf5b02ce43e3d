/**
 * One call of a running LeadPact API from the CLI (`report --url`, `sla diff --url`): the bearer token, JSON
 * back, and the API's error (its fields named) or an unreachable host as one Error the CLI prints.
 */
interface ApiErrorBody {
  readonly error?: { readonly message: string; readonly fields?: { path: string; message: string }[] };
}

export async function callApi<T>(
  target: URL,
  token: string,
  init: { method?: string; headers?: Record<string, string>; body?: string } = {},
  /** how a field of the API's error is named to the user (a query parameter is the command's --flag) */
  fieldName: (path: string) => string = (path) => path,
): Promise<T> {
  let response: Response;
  try {
    response = await fetch(target, {
      ...init,
      headers: { authorization: `Bearer ${token}`, accept: 'application/json', ...init.headers },
    });
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
    throw new Error(
      `the API answered ${response.status}: ${fields || body?.error?.message || response.statusText}`,
    );
  }
  return body;
}
