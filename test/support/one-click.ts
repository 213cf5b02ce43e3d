/** An RFC 8058 one-click unsubscribe post of a link's token, as a mail client sends it (API Gateway's event). */
import type { HttpEvent } from '../../lambdas/api/http.ts';

export function oneClickEvent(token: string): HttpEvent {
  const path = `/unsubscribe/${token}`;
  return {
    version: '2.0',
    routeKey: 'POST /unsubscribe/{token}',
    rawPath: path,
    rawQueryString: '',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    pathParameters: { token },
    requestContext: { http: { method: 'POST', path } },
    body: 'List-Unsubscribe=One-Click',
    isBase64Encoded: false,
  } as unknown as HttpEvent;
}
