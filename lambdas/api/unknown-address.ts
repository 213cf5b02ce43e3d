/**
 * $default: an address no route has, or a method its path does not take (a mistyped console link, an old
 * bookmark, `GET /leads/{id}/events`). API Gateway sends it here only when no route matches (ADR 0077); the
 * local server does the same. A browser (wantsHtml: a navigation, or an Accept ranking text/html above JSON)
 * gets a small page in its language among the SLA's, with the way to the console; a program gets the API's
 * JSON error as it always has: 404 `not_found` "no route <path>", or 405 `method_not_allowed` "use <methods>"
 * with `Allow` when a route takes the path with another method.
 */
import { shippedLanguage } from '../domain/locale.ts';
import { pageText } from '../domain/page-text.ts';
import type { Locales } from '../domain/sla-schema.ts';
import { errorResponse, HttpError, type HttpEvent, type HttpResult, wantsHtml } from './http.ts';
import type { LambdaHttpHandler } from './middleware.ts';
import { htmlPage, requestLocale, withHeaders } from './pages.ts';
import { routePattern } from './route-definition.ts';

export interface UnknownAddressDeps {
  /** every route the API serves (a greedy `{proxy+}` one never makes a path known: it takes any) */
  readonly routes: readonly { readonly method: string; readonly path: string }[];
  /** the SLA's locales: the page is in the browser's language among them, else the default */
  readonly locales: Pick<Locales, 'supported' | 'default'>;
}

export function unknownAddressHandler(deps: UnknownAddressDeps): LambdaHttpHandler {
  const known = deps.routes
    .map((route) => ({ method: route.method, ...routePattern(route.path) }))
    .filter((route) => !route.greedy);
  return async (event: HttpEvent): Promise<HttpResult> => {
    const path = event.rawPath || '/';
    const method = (event.requestContext?.http?.method ?? 'GET').toUpperCase();
    const takers = known.filter((route) => route.pattern.test(path)).map((route) => route.method);
    // a method a route of this path has, yet no route took the request: it is served elsewhere (POST /leads is
    // the form's own API on AWS), so nothing here to name
    const refusal =
      takers.length > 0 && !takers.includes(method)
        ? new HttpError(405, 'method_not_allowed', `use ${takers.join(', ')}`, [], {
            allow: takers.join(', '),
          })
        : new HttpError(404, 'not_found', `no route ${path}`);
    if (!wantsHtml(event)) return errorResponse(refusal);
    return withHeaders(noPage(refusal.status, requestLocale(deps, event)), refusal.headers);
  };
}

/** The page a person gets: what is wrong with the address, and the way to the console. */
function noPage(status: number, locale: string): HttpResult {
  const { errors } = pageText(shippedLanguage(locale));
  const { noPage: text } = errors;
  return htmlPage(status, {
    title: status === 405 ? text.notAPageTitle : errors.byStatus.notFound,
    paragraphs: [status === 405 ? text.notAPage : text.notFound],
    tone: 'problem',
    locale,
    links: [
      { href: '/console', label: text.openConsole },
      { href: '/health', label: text.serviceStatus },
    ],
  });
}
