/** One API route: its method, path, who may call it, and the factory of its middy handler. */
import type { ApiDeps } from './deps.ts';
import type { LambdaHttpHandler } from './middleware.ts';

export interface RouteDefinition<Deps = ApiDeps> {
  readonly method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /**
   * API Gateway syntax: /leads/{id}; a last segment `{name+}` is greedy (the rest of the path, slashes
   * included), and a route with one is taken only when no other route matches
   */
  readonly path: string;
  /**
   * public: no credentials (or a signed token in the path); authenticated: API Gateway's authorizer
   * (IAM or JWT; locally the bearer token); session: the console's signed session cookie, checked by
   * the handler itself (console/session.ts), so API Gateway lets these through without an authorizer
   */
  readonly access: 'public' | 'authenticated' | 'session';
  /** what the route answers with: JSON (default), or HTML pages for people following links from emails */
  readonly responds?: 'json' | 'html';
  /** the handler, made once per Lambda container (or once by the local server) from what it needs */
  readonly make: (deps: Deps) => LambdaHttpHandler;
}

/** A route path's parameters and the pattern a request path must match (`{id}`: one segment; `{name+}`: the rest). */
export function routePattern(path: string): {
  readonly pattern: RegExp;
  readonly params: string[];
  readonly greedy: boolean;
} {
  const params: string[] = [];
  const source = path.replace(/\{(\w+)(\+?)\}/g, (_match, name: string, greedy: string) => {
    params.push(name);
    return greedy ? '(.+)' : '([^/]+)';
  });
  return { pattern: new RegExp(`^${source}$`), params, greedy: path.endsWith('+}') };
}
