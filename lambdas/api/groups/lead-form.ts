/**
 * The routes of the 'lead-form' function (lambdas/aws/shared/api-groups.ts): only these handlers are
 * bundled into it, so each function ships the code of its own routes (docs/decisions/0014).
 */
import { formScriptHandler } from '../form-script.ts';
import { submitLeadHandler } from '../leads-public.ts';
import type { RouteDefinition } from '../route-definition.ts';

export const LEAD_FORM_ROUTES: readonly RouteDefinition[] = [
  { method: 'POST', path: '/leads', access: 'public', make: submitLeadHandler },
  // the embeddable form: GET /forms/demo-request.js (API Gateway paths cannot hold "{formId}.js")
  { method: 'GET', path: '/forms/{file}', access: 'public', make: formScriptHandler },
];
