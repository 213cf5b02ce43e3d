/**
 * Lambda entry point: the API routes of group 'email-links' (shared/api-groups.ts), and only those: the bundle
 * holds these routes' handlers and nothing of the other groups. Dependencies are built once, at init.
 */
import './shared/source-mapped-stacks.ts';
import { EMAIL_LINK_ROUTES } from '../api/groups/email-links.ts';
import { apiDeps, extendDeps } from './shared/api-deps.ts';
import { dispatcher, groupHandlers } from './shared/api-dispatch.ts';
import { signInLedger } from './shared/store.ts';

// the sign-in ledger: a person ops signed out everywhere has their emailed links refused too (extendDeps keeps
// the deps' getters: the lead-id key, not granted here, is never read)
export const handler = dispatcher(
  groupHandlers('email-links', EMAIL_LINK_ROUTES, extendDeps(await apiDeps(), { signIns: signInLedger() })),
);
