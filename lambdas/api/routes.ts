/**
 * Every API route in one table: the local server serves it and the CDK stack deploys it, so
 * the two cannot drift. `public` routes take no credentials (the web form); the rest sit
 * behind the authorizer.
 */
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
];
