/**
 * The routes of the 'console' function (lambdas/aws/shared/api-groups.ts): the console for reps,
 * managers and ops at /console. Server-rendered pages and form posts; the session cookie is the
 * credential (console/session.ts), checked by the handlers, so API Gateway runs no authorizer here.
 */
import { leadActionHandler } from '../console/lead-actions.ts';
import { consoleNotFoundHandler } from '../console/not-found.ts';
import {
  getSignInHandler,
  postRevokeSessionsHandler,
  postSignInHandler,
  postSignInRequestHandler,
  postSignOutHandler,
} from '../console/sign-in.ts';
import { consoleCssHandler } from '../console/style.ts';
import {
  leadPageHandler,
  leadsPageHandler,
  overviewHandler,
  reportsPageHandler,
  slaPageHandler,
} from '../console/views.ts';
import { replayFromConsoleHandler, webhooksPageHandler } from '../console/webhooks.ts';
import type { RouteDefinition } from '../route-definition.ts';

export const CONSOLE_ROUTES: readonly RouteDefinition[] = [
  { method: 'GET', path: '/console', access: 'session', responds: 'html', make: overviewHandler },
  {
    method: 'GET',
    path: '/console/console.css',
    access: 'public',
    responds: 'html',
    make: consoleCssHandler,
  },
  // sign-in: an email in, a link out; the link's signed, single-use token is the credential
  {
    method: 'POST',
    path: '/console/sign-in',
    access: 'public',
    responds: 'html',
    make: (deps) => postSignInRequestHandler(deps),
  },
  {
    method: 'GET',
    path: '/console/sign-in/{token}',
    access: 'public',
    responds: 'html',
    make: getSignInHandler,
  },
  {
    method: 'POST',
    path: '/console/sign-in/{token}',
    access: 'public',
    responds: 'html',
    make: postSignInHandler,
  },
  {
    method: 'POST',
    path: '/console/sign-out',
    access: 'session',
    responds: 'html',
    make: postSignOutHandler,
  },
  {
    method: 'POST',
    path: '/console/sessions/revoke',
    access: 'session',
    responds: 'html',
    make: postRevokeSessionsHandler,
  },
  { method: 'GET', path: '/console/leads', access: 'session', responds: 'html', make: leadsPageHandler },
  { method: 'GET', path: '/console/leads/{id}', access: 'session', responds: 'html', make: leadPageHandler },
  {
    method: 'POST',
    path: '/console/leads/{id}/attempts',
    access: 'session',
    responds: 'html',
    make: leadActionHandler('attempts'),
  },
  {
    method: 'POST',
    path: '/console/leads/{id}/deal',
    access: 'session',
    responds: 'html',
    make: leadActionHandler('deal'),
  },
  {
    method: 'POST',
    path: '/console/leads/{id}/status',
    access: 'session',
    responds: 'html',
    make: leadActionHandler('status'),
  },
  {
    method: 'POST',
    path: '/console/leads/{id}/owner',
    access: 'session',
    responds: 'html',
    make: leadActionHandler('owner'),
  },
  {
    method: 'POST',
    path: '/console/leads/{id}/fields',
    access: 'session',
    responds: 'html',
    make: leadActionHandler('fields'),
  },
  { method: 'GET', path: '/console/reports', access: 'session', responds: 'html', make: reportsPageHandler },
  { method: 'GET', path: '/console/sla', access: 'session', responds: 'html', make: slaPageHandler },
  // events out, for ops: failing endpoints and a replay button (console/webhooks.ts)
  {
    method: 'GET',
    path: '/console/webhooks',
    access: 'session',
    responds: 'html',
    make: webhooksPageHandler,
  },
  {
    method: 'POST',
    path: '/console/webhooks/deliveries/{id}/replay',
    access: 'session',
    responds: 'html',
    make: replayFromConsoleHandler,
  },
  // any other console address: a page, not API Gateway's JSON (a trailing slash goes to the page without it)
  {
    method: 'GET',
    path: '/console/{proxy+}',
    access: 'session',
    responds: 'html',
    make: (deps) => consoleNotFoundHandler(CONSOLE_ROUTES, deps),
  },
];
