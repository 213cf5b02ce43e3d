/**
 * Lambda entry point: the API routes of group 'console' (shared/api-groups.ts), and only those: the
 * console's pages, its sign-in and its form posts. Dependencies are built once, at init.
 */
import './shared/source-mapped-stacks.ts';
import { CONSOLE_ROUTES } from '../api/groups/console.ts';
import { consoleDeps } from './shared/api-deps.ts';
import { dispatcher, groupHandlers } from './shared/api-dispatch.ts';

export const handler = dispatcher(groupHandlers('console', CONSOLE_ROUTES, await consoleDeps()));
