/**
 * One Lambda function serves a group of routes (api-groups.ts): API Gateway names the matched route
 * in `event.routeKey`, and the function hands the event to that route's own middy handler, made once
 * from lambdas/api/routes.ts with the function's dependencies.
 */
import type { Context } from 'aws-lambda';
import type { ApiDeps } from '../../api/deps.ts';
import { errorResponse, type HttpEvent, type HttpResult, notFound } from '../../api/http.ts';
import type { LambdaHttpHandler } from '../../api/middleware.ts';
import type { RouteDefinition } from '../../api/routes.ts';
import { API_FUNCTION_GROUPS, type ApiFunctionGroup, routeKey } from './api-groups.ts';

/** The handlers of a group's routes, by route key; a route key with no route in `routes` is an error. */
export function groupHandlers(
  group: ApiFunctionGroup,
  routes: readonly RouteDefinition[],
  deps: ApiDeps,
): Map<string, LambdaHttpHandler> {
  const handlers = new Map<string, LambdaHttpHandler>();
  for (const key of API_FUNCTION_GROUPS[group]) {
    const route = routes.find((candidate) => routeKey(candidate) === key);
    if (!route) throw new Error(`group ${group} names ${key}, which lambdas/api/routes.ts does not define`);
    handlers.set(key, route.make(deps));
  }
  return handlers;
}

/** A Lambda handler that runs the handler of the event's route key; another route answers 404 JSON. */
export function dispatcher(handlers: ReadonlyMap<string, LambdaHttpHandler>): LambdaHttpHandler {
  return async (event: HttpEvent, context: Context): Promise<HttpResult> => {
    // the public form's REST API (lib/form-api.ts) sends payload format 1.0: method and resource, no routeKey
    const rest = event as unknown as { httpMethod?: string; resource?: string };
    const key =
      event.routeKey ?? (rest.httpMethod && rest.resource ? `${rest.httpMethod} ${rest.resource}` : '');
    const handler = handlers.get(key);
    if (!handler) return errorResponse(notFound(`route ${key}`));
    return handler({ ...event, routeKey: key }, context);
  };
}
