/**
 * The console's session (docs/decisions/0017-console-sessions.md): a signed cookie made by sign-in
 * (domain/sign-in.ts), checked on every console request by the handler (API Gateway lets the console
 * routes through without an authorizer: the cookie is the credential, as the token is for email links).
 *
 * Cookie: `__Host-leadpact_session`, `HttpOnly`, `SameSite=Lax`, `Secure`, `Path=/`, 12 hours. The `__Host-`
 * prefix makes the browser refuse that name from anything but this host over https, with no `Domain` and no
 * other path: a sibling subdomain or a page on another port cannot toss in a cookie of its own that the browser
 * would send first (a more specific path) and sign the person in as someone else (ADR 0069). On this machine
 * (localhost, 127.0.0.0/8, [::1]: `npm start` over plain http, where a browser keeps no `Secure` cookie) it is
 * `leadpact_session`, `Path=/console`, without `Secure`.
 *
 * The cookie alone is not enough: its session must still be open in the ledger (ports/sign-in-ledger.ts),
 * so signing out, or ops revoking the person's sessions, ends it on the server at once.
 *
 * Writes (every POST) are CSRF-safe twice over: the `Origin` (else `Sec-Fetch-Site`) must be this
 * site, and the form must carry the session's CSRF token (an HMAC of the session id, csrfTokenOf).
 */

import { acceptedLanguages, closestLocale, personLocale } from '../../domain/locale.ts';
import {
  csrfTokenMatches,
  csrfTokenOf,
  type Person,
  personOf,
  verifySessionToken,
} from '../../domain/sign-in.ts';
import { localName } from '../../domain/sla-names.ts';
import type { Sla } from '../../domain/sla-schema.ts';
import type { ApiDeps } from '../deps.ts';
import { HttpError, type HttpEvent, header, parseBody } from '../http.ts';
import { isLocalOrigin } from '../middleware.ts';
import { type Viewer, viewerFor } from '../viewer.ts';

export const SESSION_COOKIE = 'leadpact_session';
/** the cookie's name over https: the browser keeps it only if Secure, Path=/, and no Domain (ADR 0069) */
export const HOST_SESSION_COOKIE = `__Host-${SESSION_COOKIE}`;
/** the cookie's path on this machine (plain http) */
export const COOKIE_PATH = '/console';

/** The request came to this machine by a local name (plain http: no `Secure`, no `__Host-` cookie). */
function servedLocally(event: HttpEvent): boolean {
  const host = header(event, 'host') ?? event.requestContext.domainName ?? '';
  return isLocalOrigin(`http://${host}`);
}

/** The session cookie's name where this request came: `__Host-` unless served on this machine. */
export function sessionCookieName(event: HttpEvent): string {
  return servedLocally(event) ? SESSION_COOKIE : HOST_SESSION_COOKIE;
}

export interface ConsoleSession {
  readonly person: Person;
  readonly viewer: Viewer;
  /** the CSRF token every form of this session carries (field `csrf`) */
  readonly csrf: string;
  /** the session's id */
  readonly nonce: string;
  /** the person's locale (their SLA entry's, else the SLA's default): the console speaks it (console-text.ts) */
  readonly locale: string;
  /** the person's name in that locale */
  readonly name: string;
}

/**
 * A person's locale and their name in it, from their entry in the SLA (a rep's or a manager's `locale` and
 * `names`), else the SLA's default: the language their emails are in, and the console's.
 */
export function readerOf(sla: Sla, person: Person): { readonly locale: string; readonly name: string } {
  // ops is one of the managers (routing.ops names them)
  const entry =
    person.role === 'rep'
      ? sla.routing.reps.find((rep) => rep.id === person.id)
      : sla.routing.managers.find((manager) => manager.id === person.id);
  const locale = personLocale(sla, entry ?? {});
  return { locale, name: entry ? localName(entry, locale) : person.name };
}

/**
 * The locale of a request's reader once its session was read: an error page drawn after that (a lead not
 * found, a form at fault) speaks it too (handler.ts). Weak: it goes with the event.
 */
const readers = new WeakMap<HttpEvent, string>();

export function localeOfEvent(event: HttpEvent | undefined): string | undefined {
  return event ? readers.get(event) : undefined;
}

export function rememberLocale(event: HttpEvent, locale: string): void {
  readers.set(event, locale);
}

/**
 * The signed-in person of a request once its session was read: an error page drawn after that tells a time on
 * their clock (handler.ts). Weak: it goes with the event.
 */
const signedIn = new WeakMap<HttpEvent, Person>();

export function personOfEvent(event: HttpEvent | undefined): Person | undefined {
  return event ? signedIn.get(event) : undefined;
}

/**
 * The reader's locale before anyone signed in: the browser's language (Accept-Language) when the SLA supports
 * it, else the SLA's default (ADR 0019, the console amendment).
 */
export function browserLocale(sla: Sla, event: HttpEvent | undefined): string {
  const { supported } = sla.locales;
  const wanted = acceptedLanguages(event ? header(event, 'accept-language') : undefined)
    .map((range) => closestLocale(range, supported))
    .find((locale) => locale !== undefined);
  return wanted ?? sla.locales.default;
}

/**
 * The locale of an error page whose request had no reader yet (the error came before its session was read,
 * or the route reads none): the signed-in person's, else the browser's (browserLocale). Remembered for the
 * request. A session that cannot be read now (the ledger failing) leaves the browser's.
 */
export async function errorReaderOf(deps: ApiDeps, event: HttpEvent): Promise<string> {
  const known = localeOfEvent(event);
  if (known) return known;
  try {
    const session = await sessionOf(deps, event);
    if (session) return session.locale;
  } catch {
    // the error page is drawn all the same, in the browser's language
  }
  const locale = browserLocale(deps.sla, event);
  rememberLocale(event, locale);
  return locale;
}

/**
 * The session the request's cookie carries, if it is valid now, its person is still in the SLA, and it
 * was not ended (signed out, or revoked by ops): one consistent read of the session's record.
 */
export async function sessionOf(deps: ApiDeps, event: HttpEvent): Promise<ConsoleSession | undefined> {
  if (!deps.actionSecret || !deps.signIns) return undefined;
  // only the name this host sets: a `leadpact_session` tossed in by a sibling subdomain is not read over https
  const token = cookieOf(event, sessionCookieName(event));
  if (!token) return undefined;
  const verified = verifySessionToken(token, deps.actionSecret, wallNow(deps));
  if (!verified.ok) return undefined;
  const person = personOf(deps.sla, verified.claim);
  if (!person) return undefined;
  if (!(await deps.signIns.sessionLive(person, verified.claim.nonce))) return undefined;
  const reader = readerOf(deps.sla, person);
  rememberLocale(event, reader.locale);
  signedIn.set(event, person);
  return {
    person,
    ...reader,
    // a deputy reaches the team of the manager they stand in for today (ADR 0048)
    viewer: viewerFor(deps.sla, person.role, person.id, deps.clock.now()),
    csrf: csrfTokenOf(verified.claim.nonce, deps.actionSecret),
    nonce: verified.claim.nonce,
  };
}

/** A console write: signed in, from this site, with the session's CSRF token. 401 / 403 otherwise. */
export async function requireWriteSession(
  deps: ApiDeps,
  event: HttpEvent,
  form: Readonly<Record<string, string>>,
): Promise<ConsoleSession> {
  requireSameOrigin(event);
  const session = await sessionOf(deps, event);
  if (!session) throw new HttpError(401, 'unauthorized', 'you are signed out; sign in again');
  if (!deps.actionSecret || !csrfTokenMatches(session.nonce, form.csrf ?? '', deps.actionSecret))
    throw new HttpError(403, 'csrf', 'the form is out of date; reload the page and try again', [
      { path: 'csrf', message: 'not the token of this session' },
    ]);
  return session;
}

/**
 * The request comes from a page of this site: its `Origin` names this host (browsers send it on every
 * POST), or, when there is none or it is `null` (a page with `Referrer-Policy: no-referrer`), the browser's
 * `Sec-Fetch-Site: same-origin`. A form on another site is refused (403).
 */
export function requireSameOrigin(event: HttpEvent): void {
  const host = header(event, 'host') ?? event.requestContext.domainName;
  const origin = header(event, 'origin');
  if (origin !== undefined && origin !== 'null') {
    try {
      const url = new URL(origin);
      const secure = url.protocol === 'https:' || (url.protocol === 'http:' && isLocalOrigin(origin));
      if (secure && url.host === host) return;
    } catch {
      // refused below
    }
  } else if (header(event, 'sec-fetch-site') === 'same-origin') return;
  throw new HttpError(403, 'cross_site', 'this form may only be sent from the console itself', [
    { path: 'origin', message: 'not this site' },
  ]);
}

/** `Set-Cookie` for a new session token; `undefined` clears the cookie. */
export function sessionCookie(event: HttpEvent, token: string | undefined, maxAgeSeconds: number): string {
  const local = servedLocally(event);
  return [
    `${sessionCookieName(event)}=${token ?? ''}`,
    `Path=${local ? COOKIE_PATH : '/'}`,
    `Max-Age=${token === undefined ? 0 : maxAgeSeconds}`,
    'HttpOnly',
    'SameSite=Lax',
    ...(local ? [] : ['Secure']),
  ].join('; ');
}

/** A cookie's value from the `Cookie` header (API Gateway v2 also passes them in `cookies`). */
export function cookieOf(event: HttpEvent, name: string): string | undefined {
  const all = [...(event.cookies ?? []), ...(header(event, 'cookie') ?? '').split(';')];
  for (const pair of all) {
    const at = pair.indexOf('=');
    if (at > 0 && pair.slice(0, at).trim() === name) return pair.slice(at + 1).trim();
  }
  return undefined;
}

/** A console form post (application/x-www-form-urlencoded, at most 16 KiB): its fields, first value wins. */
export function formOf(event: HttpEvent, maxBytes = 16 * 1024): Readonly<Record<string, string>> {
  return parseBody(event, { maxBytes, accept: ['form'] }).data as Record<string, string>;
}

/** Now, for expiries: real time (deps.wallClock) even when the SLA's clock runs faster. */
export function wallNow(deps: Pick<ApiDeps, 'clock' | 'wallClock'>): Date {
  return (deps.wallClock ?? deps.clock).now();
}
