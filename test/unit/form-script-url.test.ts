/**
 * The form the script renders (GET /forms/{formId}.js) posts where POST /leads is served. On AWS that is
 * not the HTTP API serving the script (it has no POST /leads: 404) but the form's REST API stage behind
 * WAF, the FormUrl output, which the stack gives the function as LEADPACT_FORM_URL; locally, the server
 * that served the script.
 */
import type { Context } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import type { ApiDeps } from '../../lambdas/api/deps.ts';
import { formScriptHandler } from '../../lambdas/api/form-script.ts';
import type { HttpEvent } from '../../lambdas/api/http.ts';
import { loadDefaultSla } from '../support/sla.ts';

const sla = loadDefaultSla();

function scriptRequest(host: string): HttpEvent {
  return {
    version: '2.0',
    routeKey: 'GET /forms/{file}',
    rawPath: '/forms/demo-request.js',
    rawQueryString: '',
    headers: { host },
    pathParameters: { file: 'demo-request.js' },
    requestContext: { http: { method: 'GET', path: '/forms/demo-request.js' }, domainName: host },
    isBase64Encoded: false,
  } as unknown as HttpEvent;
}

async function actionOf(deps: Partial<ApiDeps>, host: string): Promise<string> {
  const result = await formScriptHandler({ sla, allowedOrigins: [], ...deps } as ApiDeps)(
    scriptRequest(host),
    {} as Context,
  );
  expect(result.statusCode).toBe(200);
  return /"action":"([^"]+)"/.exec(result.body ?? '')![1]!;
}

describe('where the script-rendered form posts', () => {
  it('on AWS: the form stage (FormUrl), not the HTTP API that served the script', async () => {
    const action = await actionOf(
      {
        formUrl: 'https://f0rm1d.execute-api.eu-central-1.amazonaws.com/form',
        publicBaseUrl: 'https://api.example.org',
      },
      'h77p1d.execute-api.eu-central-1.amazonaws.com',
    );
    expect(action).toBe(
      'https://f0rm1d.execute-api.eu-central-1.amazonaws.com/form/leads?formId=demo-request',
    );
  });

  it('with neither a form URL nor a public base URL: the host that served the script', async () => {
    expect(await actionOf({}, '127.0.0.1:3000')).toBe('https://127.0.0.1:3000/leads?formId=demo-request');
  });
});
