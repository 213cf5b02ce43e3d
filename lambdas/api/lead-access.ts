/** What every authenticated lead route does first: a well-formed id, an existing lead. */
import { LEAD_ID_PATTERN } from '../domain/lead-id.ts';
import type { LeadState } from '../domain/lead-state.ts';
import type { ApiDeps } from './deps.ts';
import { HttpError, type HttpEvent, notFound } from './http.ts';

export function leadIdParam(event: HttpEvent): string {
  const id = event.pathParameters?.id ?? '';
  if (!LEAD_ID_PATTERN.test(id)) {
    throw new HttpError(400, 'invalid_request', 'the lead id is malformed', [
      { path: 'id', message: 'a lead id is 22 characters of A-Z a-z 0-9 - _' },
    ]);
  }
  return id;
}

export async function requireLead(deps: ApiDeps, event: HttpEvent): Promise<LeadState> {
  const leadId = leadIdParam(event);
  const lead = await deps.store.getLead(leadId);
  if (!lead) throw notFound(`lead ${leadId}`);
  return lead;
}

/** Who made the change, for the timeline: the authorizer's principal when there is one. */
export function actor(event: HttpEvent): string {
  const context = event.requestContext as {
    authorizer?: { principalId?: string; jwt?: { claims?: { sub?: string } }; iam?: { userArn?: string } };
  };
  // a person signed in (viewer.ts) is recorded as themselves: rep:<id>, manager:<id>, ops:<id>
  const person = context.authorizer?.principalId;
  if (person && /^(rep|manager|ops):/.test(person)) return person;
  // JWT (sub), IAM (the caller's ARN, from HTTP API's IAM authorizer) or the local bearer token
  const who =
    context.authorizer?.jwt?.claims?.sub ??
    context.authorizer?.iam?.userArn ??
    context.authorizer?.principalId;
  return who ? `api:${who}` : 'api';
}

/** Timestamps from callers: not in the future beyond a small clock skew. */
export const MAX_CLOCK_SKEW_MS = 5 * 60_000;
