/**
 * A sales change sent again is applied once: the `Idempotency-Key` header of `PUT /leads/{id}/deal` and
 * `PATCH /leads/{id}/status` (a CRM or a phone retrying after a lost answer), and a console form's request
 * id (a double tap). As Stripe does it (and the IETF's Idempotency-Key draft): the key is the caller's; the
 * change's own write records `<key digest>.<request digest>` on the lead (`appliedRequests`, ADR 0047), so
 * the same request again writes nothing, answers as a success and signals the workflow again (the signal of
 * the first may be what failed), and the same key with another request is a 422 naming the header.
 */
import { createHash } from 'node:crypto';
import { type LeadState, withAppliedRequest, withSignalTaken } from '../domain/lead-state.ts';
import { HttpError, type HttpEvent, header, unprocessable } from './http.ts';
import type { SalesOnce } from './sales-actions.ts';

export const IDEMPOTENCY_KEY_HEADER = 'Idempotency-Key';
/** visible ASCII, as Stripe's keys (a UUID is the usual one) */
const KEY_PATTERN = /^[\x21-\x7e]{1,255}$/;

const digest = (text: string, chars: number) =>
  createHash('sha256').update(text).digest('base64url').slice(0, chars);

/** A keyed request's once, and whether it was found applied (a replay) by the time the change returned. */
export type KeyedOnce = SalesOnce & { readonly replayed: boolean };

/**
 * The caller a key belongs to: `by`, with an assumed role's session name left out. API Gateway gives an IAM
 * caller's ARN (lead-access.ts actor), and an assumed role's names its session, which a retry need not share
 * (credentials renewed, a task or instance restarted, a session name per run): the role is the integration.
 */
export function keyScope(by: string): string {
  return by.replace(/^(api:arn:[\w-]+:sts::\d+:assumed-role\/[^/]+)\/.*$/, '$1');
}

/**
 * The once of a keyed request: `key` scoped to `by` (a key of another caller is another key), `request` what
 * the request asks (its route and validated input), `now` for the workflow signal the write takes.
 */
export function keyedOnce(by: string, key: string, request: string, now: Date): KeyedOnce {
  const id = digest(`${keyScope(by)}\n${key}`, 16);
  const mark = `${id}.${digest(request, 10)}`;
  let replayed = false;
  return {
    get replayed() {
      return replayed;
    },
    done: (current: LeadState) => {
      const found = current.appliedRequests?.find((applied) => applied.startsWith(`${id}.`));
      if (found !== undefined && found !== mark) {
        throw unprocessable(IDEMPOTENCY_KEY_HEADER, 'this key was used for another change of this lead');
      }
      replayed = found !== undefined;
      return replayed;
    },
    // the signal's token is taken in the same write (ADR 0045): if the signal fails, the reconciler sends it
    mark: (next: LeadState) => withAppliedRequest(withSignalTaken(next, now), mark),
  };
}

/** The request's `Idempotency-Key`, or undefined without the header; 400 naming it when malformed. */
function idempotencyKey(event: HttpEvent): string | undefined {
  const key = header(event, IDEMPOTENCY_KEY_HEADER);
  if (key === undefined) return undefined;
  if (!KEY_PATTERN.test(key)) {
    throw new HttpError(400, 'invalid_request', `the ${IDEMPOTENCY_KEY_HEADER} header is invalid`, [
      { path: IDEMPOTENCY_KEY_HEADER, message: '1-255 visible ASCII characters (a UUID, say)' },
    ]);
  }
  return key;
}

/**
 * A contact attempt's id from the request's `Idempotency-Key` (POST /leads/{id}/attempts without an
 * `attemptId`): the same caller's same key is the same attempt, logged once (the route's own replay rule).
 */
export function attemptIdFromKey(event: HttpEvent, by: string): string | undefined {
  const key = idempotencyKey(event);
  return key === undefined ? undefined : `key-${digest(`${keyScope(by)}\n${key}`, 22)}`;
}

/**
 * The request's `Idempotency-Key` as a once, or undefined without the header; 400 naming it when malformed.
 * `route` and `input` (as validated) are what the request asks: the same key with another ask is a 422.
 */
export function idempotencyKeyOnce(
  event: HttpEvent,
  route: string,
  by: string,
  input: unknown,
  now: Date,
): KeyedOnce | undefined {
  const key = idempotencyKey(event);
  return key === undefined ? undefined : keyedOnce(by, key, `${route}\n${JSON.stringify(input)}`, now);
}
