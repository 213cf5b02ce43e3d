/**
 * An API route's event as API Gateway gives it for a person (the authorizer's principal, `rep:<id>`,
 * `manager:<id>`): the local server only knows the API token, so tests call the route's handler with it.
 */
import type { HttpEvent } from '../../lambdas/api/http.ts';

export function personEvent(route: string, principal: string, leadId: string, body?: unknown): HttpEvent {
  const [method, path] = route.split(' ') as [string, string];
  return {
    version: '2.0',
    routeKey: route,
    rawPath: path.replace('{id}', leadId),
    rawQueryString: '',
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    pathParameters: { id: leadId },
    requestContext: {
      domainName: 'localhost',
      http: { method, path: path.replace('{id}', leadId), sourceIp: '127.0.0.1' },
      authorizer: { principalId: principal },
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    isBase64Encoded: false,
  } as unknown as HttpEvent;
}
