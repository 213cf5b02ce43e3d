/**
 * One Lambda function serves a group of routes (api-groups.ts): API Gateway names the matched route
 * in `event.routeKey`, and the function hands the event to that route's own middy handler, made once
 * from its group's routes (lambdas/api/groups/) with the function's dependencies.
 */
import type { Context } from 'aws-lambda';
import { errorResponse, type HttpEvent, type HttpResult, notFound } from '../../api/http.ts';
import type { LambdaHttpHandler } from '../../api/middleware.ts';
import type { RouteDefinition } from '../../api/route-definition.ts';
import { withInvocationTime } from '../../ports/invocation-time.ts';
import { API_FUNCTION_GROUPS, type ApiFunctionGroup, routeKey } from './api-groups.ts';

/**
 * The handlers of a group's routes, by route key. A route key of the group with no route in `routes`,
 * or a route in `routes` the group does not name, is an error at init.
 */
export function groupHandlers<Deps>(
  group: ApiFunctionGroup,
  routes: readonly RouteDefinition<Deps>[],
  deps: Deps,
): Map<string, LambdaHttpHandler> {
  const keys: readonly string[] = API_FUNCTION_GROUPS[group];
  const extra = routes.map(routeKey).filter((key) => !keys.includes(key));
  if (extra.length > 0) throw new Error(`group ${group} does not serve ${extra.join(', ')}`);
  const handlers = new Map<string, LambdaHttpHandler>();
  for (const key of API_FUNCTION_GROUPS[group]) {
    const route = routes.find((candidate) => routeKey(candidate) === key);
    if (!route)
      throw new Error(`group ${group} names ${key}, which its routes (lambdas/api/groups/) do not define`);
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
    // the route's loops stop in time for the function's timeout (ADR 0068)
    return withInvocationTime(context, () => handler({ ...event, routeKey: key }, context));
  };
}
