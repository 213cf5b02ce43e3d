/**
 * The routes of the 'email-links' function (lambdas/aws/shared/api-groups.ts): one-click links in emails.
 * The signed token is the credential; GET only shows a confirmation page, POST acts.
 */
import {
  getActionHandler,
  getUnsubscribeHandler,
  postActionHandler,
  postUnsubscribeHandler,
} from '../actions.ts';
import { getConsentHandler, postConsentHandler } from '../consent.ts';
import type { RouteDefinition } from '../route-definition.ts';

export const EMAIL_LINK_ROUTES: readonly RouteDefinition[] = [
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
