/**
 * The house middy stack for API handlers: middleware first, handler last. Every response,
 * including errors, leaves as JSON in the shape `{ "error": { code, message, fields } }`,
 * and an unexpected error is logged without personal data and answered 500 without detail.
 */
import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import { LeadConflictError } from '../ports/lead-store.ts';
import {
  asKnownError,
  errorResponse,
  HttpError,
  type HttpEvent,
  type HttpResult,
  header,
  logRouteFailure,
} from './http.ts';

export type RouteHandler = (event: HttpEvent) => Promise<HttpResult>;
/** A route as Lambda (and the local server) invokes it. */
export type LambdaHttpHandler = (event: HttpEvent, context: Context) => Promise<HttpResult>;

export interface CorsPolicy {
  /** exact origins ("https://www.example.com"); "*" allows any */
  readonly allowedOrigins: readonly string[];
  readonly methods: string;
}

export function corsHeaders(policy: CorsPolicy, origin: string | undefined): Record<string, string> {
  if (!origin || !isAllowedOrigin(policy, origin)) return {};
  return {
    'access-control-allow-origin': origin,
    'access-control-allow-methods': policy.methods,
    'access-control-allow-headers': 'content-type',
    'access-control-max-age': '600',
    vary: 'origin',
  };
}

/**
 * In allowedOrigins: any origin on this machine (localhost, 127.0.0.0/8, [::1], *.localhost) and a page
 * opened from a file (`Origin: null`). `npm start` allows it; a deployed stack never does (lib/config.ts).
 */
export const LOCAL_ORIGINS = 'local';

/** allowedOrigins' entry for any origin (CORS only: a thank-you redirect goes to named origins alone) */
export const ANY_ORIGIN = '*';

export function isAllowedOrigin(policy: CorsPolicy, origin: string): boolean {
  return (
    policy.allowedOrigins.includes(ANY_ORIGIN) ||
    policy.allowedOrigins.includes(origin) ||
    (policy.allowedOrigins.includes(LOCAL_ORIGINS) && isLocalOrigin(origin))
  );
}

export function isLocalOrigin(origin: string): boolean {
  if (origin === 'null') return true;
  try {
    const url = new URL(origin);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return false;
    const host = url.hostname;
    return (
      host === 'localhost' ||
      host.endsWith('.localhost') ||
      host === '[::1]' ||
      /^127(\.\d{1,3}){3}$/.test(host)
    );
  } catch {
    return false;
  }
}

/**
 * What an error thrown by a route answers: itself when an HttpError, 409 for a lost race on the lead, else
 * 500 without detail, logged (the route and error class only: messages may carry personal data).
 */
export function asHttpError(route: string, thrown: unknown): HttpError {
  const error = asKnownError(thrown, route);
  if (error instanceof HttpError) return error;
  if (error instanceof LeadConflictError)
    return new HttpError(409, 'conflict', 'the lead is being changed concurrently; retry');
  logRouteFailure(route, error);
  return new HttpError(500, 'internal', 'something went wrong on our side');
}

/** Wraps a route: errors to JSON, CORS headers when a policy is given, one structured log line per failure. */
export function apiHandler(route: string, handler: RouteHandler, cors?: CorsPolicy): LambdaHttpHandler {
  return middy<HttpEvent, HttpResult>()
    .use({
      after: async (request) => {
        if (cors && request.response) {
          request.response.headers = {
            ...request.response.headers,
            ...corsHeaders(cors, header(request.event, 'origin')),
          };
        }
      },
      onError: async (request) => {
        const response = errorResponse(asHttpError(route, request.error));
        if (cors)
          response.headers = { ...response.headers, ...corsHeaders(cors, header(request.event, 'origin')) };
        request.response = response;
      },
    })
    .handler(handler);
}
