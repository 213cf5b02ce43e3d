/**
 * The console as a person uses it, over real HTTP: ask for a sign-in link, read it from the SES
 * emulator's inbox, press the page's button, keep the cookie; read pages and send their forms with the
 * CSRF token the page carries. No vitest import: the Chromium test and the API test share it.
 */
import type { LocalRuntime } from '../../local/runtime.ts';

export interface ConsoleResponse {
  readonly status: number;
  readonly headers: Headers;
  readonly text: string;
}

export async function consoleFetch(
  runtime: LocalRuntime,
  method: string,
  target: string,
  options: {
    cookie?: string;
    form?: Record<string, string>;
    origin?: string | null;
    headers?: Record<string, string>;
  } = {},
): Promise<ConsoleResponse> {
  const url = target.startsWith('http') ? target : runtime.url + target;
  const headers: Record<string, string> = { ...options.headers };
  if (options.cookie) headers.cookie = options.cookie;
  // a browser sends its page's origin with every POST
  if (method !== 'GET' && options.origin !== null) headers.origin = options.origin ?? runtime.url;
  let body: string | undefined;
  if (options.form) {
    headers['content-type'] = 'application/x-www-form-urlencoded';
    body = new URLSearchParams(options.form).toString();
  }
  const response = await fetch(url, {
    method,
    headers,
    redirect: 'manual',
    ...(body === undefined ? {} : { body }),
  });
  return { status: response.status, headers: response.headers, text: await response.text() };
}

/**
 * A person gives a lead to `owner` on its console page, as a manager or ops does: the page read for its CSRF token,
 * then its owner form sent (303 when taken).
 */
export async function giveInConsole(
  runtime: LocalRuntime,
  cookie: string,
  leadId: string,
  owner: string,
  reason: string,
): Promise<ConsoleResponse> {
  const page = await consoleFetch(runtime, 'GET', `/console/leads/${leadId}`, { cookie });
  return consoleFetch(runtime, 'POST', `/console/leads/${leadId}/owner`, {
    cookie,
    form: { csrf: csrfOf(page.text), owner, reason },
  });
}

/** The newest sign-in link in the inbox of `email` (sent since `since`, epoch ms; the inbox counts seconds), or undefined. */
export async function signInLinkFor(
  runtime: LocalRuntime,
  email: string,
  since = 0,
): Promise<string | undefined> {
  // the sign-in email in any language: the one whose text carries a sign-in link
  const mails = (await runtime.mail.messages()).filter(
    (mail) =>
      mail.destination.to.includes(email) &&
      /\/console\/sign-in\/\S+$/m.test(mail.body.text ?? '') &&
      mail.at >= Math.floor(since / 1000),
  );
  const text = mails.at(-1)?.body.text ?? '';
  return /: (\S+\/console\/sign-in\/\S+)$/m.exec(text)?.[1];
}

/** Asks for a link, reads it from the inbox, signs in: the session cookie (`name=value`). */
export async function signIn(runtime: LocalRuntime, email: string): Promise<string> {
  const since = Date.now() - 1;
  const asked = await consoleFetch(runtime, 'POST', '/console/sign-in', { form: { email } });
  if (asked.status !== 200) throw new Error(`sign-in request: ${asked.status} ${asked.text}`);
  const link = await signInLinkFor(runtime, email, since);
  if (!link) throw new Error(`no sign-in link reached ${email}`);
  const answer = await consoleFetch(runtime, 'POST', link);
  const cookie = answer.headers.get('set-cookie');
  if (answer.status !== 303 || !cookie) throw new Error(`sign-in: ${answer.status} ${answer.text}`);
  return cookie.split(';')[0]!;
}

/** The CSRF token a console page's forms carry. */
export function csrfOf(html: string): string {
  const token = /name="csrf" value="([^"]+)"/.exec(html)?.[1];
  if (!token) throw new Error('the page has no CSRF token');
  return token;
}

/** The page's text without tags, spaces collapsed. */
export function textOf(html: string): string {
  return html
    .replace(/<title>[\s\S]*?<\/title>/g, ' ')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&amp;/g, '&')
    .replace(/&#39;/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/\s+/g, ' ')
    .trim();
}
