/**
 * Every API route in one table: the local server serves it and the CDK stack deploys it, so
 * the two cannot drift. `public` routes take no credentials (the web form); the rest sit
 * behind the authorizer.
 */
import {
  getActionHandler,
  getUnsubscribeHandler,
  postActionHandler,
  postUnsubscribeHandler,
} from './actions.ts';
import { getConsentHandler, postConsentHandler } from './consent.ts';
import type { ApiDeps } from './deps.ts';
import { healthHandler } from './health.ts';
import { deleteLeadHandler } from './lead-erase.ts';
import { postEventsHandler } from './lead-events.ts';
import { getLeadHandler } from './lead-read.ts';
import { patchStatusHandler, postAttemptHandler, putDealHandler } from './lead-sales.ts';
import { submitLeadHandler } from './leads-public.ts';
import type { LambdaHttpHandler } from './middleware.ts';

export interface RouteDefinition {
  readonly method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** API Gateway syntax: /leads/{id} */
  readonly path: string;
  readonly access: 'public' | 'authenticated';
  /** what the route answers with: JSON (default), or HTML pages for people following links from emails */
  readonly responds?: 'json' | 'html';
  readonly make: (deps: ApiDeps) => LambdaHttpHandler;
}

export const ROUTES: readonly RouteDefinition[] = [
  { method: 'POST', path: '/leads', access: 'public', make: submitLeadHandler },
  { method: 'GET', path: '/health', access: 'public', make: healthHandler },
  { method: 'POST', path: '/leads/{id}/events', access: 'authenticated', make: postEventsHandler },
  { method: 'POST', path: '/leads/{id}/attempts', access: 'authenticated', make: postAttemptHandler },
  { method: 'PUT', path: '/leads/{id}/deal', access: 'authenticated', make: putDealHandler },
  { method: 'PATCH', path: '/leads/{id}/status', access: 'authenticated', make: patchStatusHandler },
  { method: 'GET', path: '/leads/{id}', access: 'authenticated', make: getLeadHandler },
  { method: 'DELETE', path: '/leads/{id}', access: 'authenticated', make: deleteLeadHandler },
  // links in emails: the signed token is the credential; GET only shows a confirmation page
  { method: 'GET', path: '/actions/{token}', access: 'public', responds: 'html', make: getActionHandler },
  { method: 'POST', path: '/actions/{token}', access: 'public', responds: 'html', make: postActionHandler },
  {
    method: 'GET',
    path: '/unsubscribe/{token}',
    access: 'public',
    responds: 'html',
    make: getUnsubscribeHandler,
  },
  {
    method: 'POST',
    path: '/unsubscribe/{token}',
    access: 'public',
    responds: 'html',
    make: postUnsubscribeHandler,
  },
  // double opt-in: the link in the confirmation email (consent.ts)
  { method: 'GET', path: '/consent/{token}', access: 'public', responds: 'html', make: getConsentHandler },
  { method: 'POST', path: '/consent/{token}', access: 'public', responds: 'html', make: postConsentHandler },
];
