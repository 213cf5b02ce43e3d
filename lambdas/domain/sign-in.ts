/**
 * Passwordless sign-in for the people the SLA names (docs/decisions/0017-console-sessions.md): reps,
 * managers, and ops (the manager `routing.ops` names). Three signed things, all made by the token
 * machinery of the action links (action-links.ts: signToken/openToken), each under its own signing
 * context so one can never pass for another:
 *
 *   sign-in link   `leadpact-signin.v1.`   who, a nonce (its single use is the caller's conditional
 *                                          write), 15 minutes
 *   session        `leadpact-session.v1.`  who, a session id, 12 hours: the cookie's value
 *   CSRF token     `leadpact-csrf.v1.`     the session id: a hidden field in every console form
 *
 * The role is never trusted from a token alone: `personOf` looks the person up in the SLA as it is now,
 * so a person the SLA no longer names (or names in another role) is signed out at their next request.
 *
 * Pure: HMAC is deterministic, `now` is passed in.
 */
import { type ActionTokenFailure, openToken, signToken } from './action-links.ts';
import type { Sla } from './sla-schema.ts';

export const PERSON_ROLES = ['rep', 'manager', 'ops'] as const;
export type PersonRole = (typeof PERSON_ROLES)[number];

/** Someone the SLA names who may sign in to the console. */
export interface Person {
  readonly role: PersonRole;
  readonly id: string;
  readonly name: string;
  readonly email: string;
}

/** A sign-in link works this long after it was sent. */
export const SIGN_IN_LINK_TTL_SECONDS = 15 * 60;
/** A console session lasts a working day; then the person asks for a new link. */
export const SESSION_TTL_SECONDS = 12 * 3600;

/** Sign-in emails a person can be sent, whoever asks how often: one a minute, and these an hour and a day. */
export const SIGN_IN_EMAILS_PER_HOUR = 20;
export const SIGN_IN_EMAILS_PER_DAY = 50;

/** A window a sign-in email counts in: its key (unique per window of the same length), cap and end (ISO). */
export interface SignInEmailWindow {
  readonly key: string;
  readonly cap: number;
  readonly endsAt: string;
}

/**
 * The windows an ask for a sign-in email at `now` counts in: its minute (one email), its clock hour
 * (SIGN_IN_EMAILS_PER_HOUR) and its UTC day (SIGN_IN_EMAILS_PER_DAY). An hour lies within one day, so an
 * hour's count taken for an ask the day then refuses costs nothing the day would have allowed.
 */
export function signInEmailWindows(now: Date): {
  readonly minute: SignInEmailWindow;
  readonly hour: SignInEmailWindow;
  readonly day: SignInEmailWindow;
} {
  const minute = Math.floor(now.getTime() / 60_000);
  const window = (prefix: string, minutes: number, cap: number): SignInEmailWindow => {
    const n = Math.floor(minute / minutes);
    return { key: `${prefix}${n}`, cap, endsAt: new Date((n + 1) * minutes * 60_000).toISOString() };
  };
  return {
    minute: window('m', 1, 1),
    hour: window('h', 60, SIGN_IN_EMAILS_PER_HOUR),
    day: window('d', 1440, SIGN_IN_EMAILS_PER_DAY),
  };
}

const SIGN_IN_CONTEXT = 'leadpact-signin.v1.';
const SESSION_CONTEXT = 'leadpact-session.v1.';
const CSRF_CONTEXT = 'leadpact-csrf.v1.';

const ID = /^[A-Za-z0-9_-]{1,64}$/;
const NONCE = /^[A-Za-z0-9_-]{16,64}$/;

/** What a sign-in link or a session carries. */
export interface SignInClaim {
  readonly role: PersonRole;
  /** the person's id in the SLA */
  readonly personId: string;
  /** the link's single-use key, or the session's id */
  readonly nonce: string;
  /** epoch seconds: valid while now < exp */
  readonly exp: number;
  /** a sign-in link only: the console page to open once signed in (a lead's page: isReturnPath) */
  readonly to?: string;
}

interface Wire {
  readonly r: PersonRole;
  readonly p: string;
  readonly n: string;
  readonly e: number;
  readonly t?: string;
}

const RETURN_PATH = /^\/console\/leads\/[A-Za-z0-9_-]{1,64}$/;

/**
 * A page the console may open after a sign-in: a lead's page, nothing else (no other path, no other host),
 * so a link cannot send a person anywhere but this console.
 */
export function isReturnPath(to: unknown): to is string {
  return typeof to === 'string' && RETURN_PATH.test(to);
}

export type VerifiedClaim =
  | { readonly ok: true; readonly claim: SignInClaim }
  | { readonly ok: false; readonly reason: ActionTokenFailure };

// ---------- who may sign in ----------

/** Everyone who may sign in, ops first, then managers, then reps, each in the SLA's order. */
export function people(sla: Sla): Person[] {
  const { routing } = sla;
  const ops = routing.managers.filter((manager) => manager.id === routing.ops);
  const managers = routing.managers.filter((manager) => manager.id !== routing.ops);
  return [
    ...ops.map((m) => ({ role: 'ops' as const, id: m.id, name: m.name, email: m.email })),
    ...managers.map((m) => ({ role: 'manager' as const, id: m.id, name: m.name, email: m.email })),
    ...routing.reps.map((r) => ({ role: 'rep' as const, id: r.id, name: r.name, email: r.email })),
  ];
}

/** The person with this email (any case, surrounding spaces ignored): the first in `people` order. */
export function personByEmail(sla: Sla, email: string): Person | undefined {
  const wanted = email.trim().toLowerCase();
  if (wanted === '') return undefined;
  return people(sla).find((person) => person.email.toLowerCase() === wanted);
}

/** The person a claim names, if the SLA still names them in that role. */
export function personOf(sla: Sla, claim: Pick<SignInClaim, 'role' | 'personId'>): Person | undefined {
  return people(sla).find((person) => person.role === claim.role && person.id === claim.personId);
}

/** The first ops person of the SLA (what `npm start` signs in), else its first manager. */
export function firstOps(sla: Sla): Person | undefined {
  return people(sla).find((person) => person.role !== 'rep');
}

// ---------- tokens ----------

export function signSignInToken(claim: SignInClaim, secret: string): string {
  return signToken(SIGN_IN_CONTEXT, wireOf(claim), secret);
}

export function verifySignInToken(token: string, secret: string, now: Date): VerifiedClaim {
  return verify(SIGN_IN_CONTEXT, token, secret, now);
}

export function signSessionToken(claim: SignInClaim, secret: string): string {
  return signToken(SESSION_CONTEXT, wireOf(claim), secret);
}

export function verifySessionToken(token: string, secret: string, now: Date): VerifiedClaim {
  return verify(SESSION_CONTEXT, token, secret, now);
}

/** The CSRF token of a session: the signature of its id, so only this server can make it for this session. */
export function csrfTokenOf(sessionNonce: string, secret: string): string {
  // the signature part alone: the body (the session id) is known to the holder anyway
  return signToken(CSRF_CONTEXT, { n: sessionNonce }, secret).split('.')[1]!;
}

/** Whether a form's CSRF token is the one of this session (constant time through openToken). */
export function csrfTokenMatches(sessionNonce: string, given: string, secret: string): boolean {
  if (typeof given !== 'string' || given === '' || given.length > 100) return false;
  const body = signToken(CSRF_CONTEXT, { n: sessionNonce }, secret).split('.')[0]!;
  return openToken(CSRF_CONTEXT, `${body}.${given}`, secret).ok;
}

/** Epoch seconds `ttl` after `now`. */
export function expiryAfter(now: Date, ttlSeconds: number): number {
  return Math.floor(now.getTime() / 1000) + Math.floor(ttlSeconds);
}

/** `<base>/console/sign-in/<token>`: GET shows a button, POST signs in. */
export function signInUrl(baseUrl: string, token: string): string {
  return `${baseUrl.replace(/\/+$/, '')}/console/sign-in/${encodeURIComponent(token)}`;
}

function wireOf(claim: SignInClaim): Wire {
  const wire: Wire = {
    r: claim.role,
    p: claim.personId,
    n: claim.nonce,
    e: claim.exp,
    ...(claim.to === undefined ? {} : { t: claim.to }),
  };
  if (wireProblem(wire)) throw new TypeError(`invalid sign-in claim: ${wireProblem(wire)}`);
  return wire;
}

function verify(context: string, token: string, secret: string, now: Date): VerifiedClaim {
  const opened = openToken(context, token, secret);
  if (!opened.ok) return opened;
  if (wireProblem(opened.data) !== undefined) return { ok: false, reason: 'malformed' };
  const { r, p, n, e, t } = opened.data as Wire;
  if (Math.floor(now.getTime() / 1000) >= e) return { ok: false, reason: 'expired' };
  return {
    ok: true,
    claim: { role: r, personId: p, nonce: n, exp: e, ...(t === undefined ? {} : { to: t }) },
  };
}

function wireProblem(data: unknown): string | undefined {
  if (typeof data !== 'object' || data === null || Array.isArray(data)) return 'not an object';
  const wire = data as Record<string, unknown>;
  const keys = Object.keys(wire);
  const withReturn = keys.length === 5 && keys.includes('t');
  if ((keys.length !== 4 && !withReturn) || !['r', 'p', 'n', 'e'].every((key) => keys.includes(key)))
    return 'keys: r, p, n, e (and t)';
  if (withReturn && !isReturnPath(wire.t)) return 't: a lead page of the console';
  if (!(PERSON_ROLES as readonly unknown[]).includes(wire.r)) return `r: one of ${PERSON_ROLES.join(', ')}`;
  if (typeof wire.p !== 'string' || !ID.test(wire.p)) return 'p: a person id';
  if (typeof wire.n !== 'string' || !NONCE.test(wire.n)) return 'n: 16-64 characters of A-Z a-z 0-9 _ -';
  if (typeof wire.e !== 'number' || !Number.isSafeInteger(wire.e) || wire.e < 0) return 'e: epoch seconds';
  return undefined;
}
