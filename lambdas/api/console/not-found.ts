/**
 * GET /console/{proxy+}: any console address no GET route has. A browser gets a page, never API Gateway's
 * JSON `{"message":"Not Found"}`: an address with a trailing slash (`/console/leads/`, as a bookmark or a
 * hand-typed one has it) goes to the page without it; an address of a form post (`/console/sign-out`) is
 * 405 naming the method (Allow), as the API answers; anything else is the console's "Not found" page with
 * the way back. API Gateway takes a route with a greedy `{proxy+}` only when no other route matches, and
 * the local server does the same (local/http-server.ts), so every page of the console keeps its own route.
 * Both pages are in the reader's language (handler.ts: the signed-in person's, else the browser's among the
 * SLA's locales); a program asking for JSON gets the API's error.
 */
import type { ApiDeps } from '../deps.ts';
import { HttpError, type HttpEvent } from '../http.ts';
import { type RouteDefinition, routePattern } from '../route-definition.ts';
import { consoleHandler } from './handler.ts';
import { redirect } from './html.ts';

export function consoleNotFoundHandler(
  routes: readonly Pick<RouteDefinition, 'method' | 'path'>[],
  deps: ApiDeps,
) {
  const others = routes
    .map((route) => ({ method: route.method, ...routePattern(route.path) }))
    .filter((route) => !route.greedy);
  return consoleHandler(
    'GET /console/{proxy+}',
    deps,
    async (event: HttpEvent) => {
      const path = event.rawPath ?? '';
      const trimmed = path.replace(/\/+$/, '');
      // the same address without its trailing slash, its query kept (a path of /console only: no open redirect)
      if (trimmed !== path && trimmed.startsWith('/console')) {
        const query = event.rawQueryString ? `?${event.rawQueryString}` : '';
        return redirect(`${trimmed}${query}`);
      }
      const allow = others.filter((route) => route.pattern.test(path)).map((route) => route.method);
      if (allow.length > 0)
        throw new HttpError(
          405,
          'method_not_allowed',
          'this address only takes what a form sends; open the page from the console',
          [],
          {
            allow: allow.join(', '),
          },
        );
      throw new HttpError(404, 'not_found', 'there is no page at this address in the console');
    },
    { programs: 'json' },
  );
}
