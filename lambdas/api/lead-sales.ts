/**
 * The sales side, for reps and a CRM: log a contact attempt, move the deal, set the lead
 * status. The HTTP edge only: the actions themselves (SLA checks, lifecycle rules, the write and
 * the workflow signal) live in sales-actions.ts, shared with the one-click email links.
 */
import * as z from 'zod';
import { cleanMultilineText, cleanText } from '../domain/clean-text.ts';
import type { LeadState } from '../domain/lead-state.ts';
import { CHANNELS } from '../domain/sla-constants.ts';
import { type ApiDeps, MAX_BODY_BYTES } from './deps.ts';
import {
  type HttpEvent,
  isStorableNumber,
  json,
  parseBody,
  STORABLE_NUMBER_MESSAGE,
  validate,
} from './http.ts';
import { leadIdParam } from './lead-access.ts';
import { apiHandler } from './middleware.ts';
import { attemptIdFromKey, idempotencyKeyOnce } from './request-key.ts';
import { logAttempt, setDealStage, setStatus } from './sales-actions.ts';
import { viewerOf } from './viewer.ts';
import { withWakeLeftToReconciler } from './written-already.ts';

const attemptSchema = z
  .object({
    attemptId: z
      .string()
      .regex(/^[A-Za-z0-9_.:-]{1,100}$/, '1-100 characters of A-Z a-z 0-9 _ . : -')
      .optional(),
    outcome: z.string().min(1).max(64),
    at: z.iso.datetime({ offset: true, message: 'an ISO-8601 time' }).optional(),
    channel: z.enum(CHANNELS).optional(),
    note: z.string().overwrite(cleanMultilineText).trim().max(2000).optional(),
    repId: z
      .string()
      .overwrite((value) => cleanText(value))
      .max(64)
      .optional(),
  })
  .strict();

const dealSchema = z
  .object({
    stage: z.string().min(1).max(64),
    amount: z.number().nonnegative().max(1e12).refine(isStorableNumber, STORABLE_NUMBER_MESSAGE).optional(),
    name: z
      .string()
      .overwrite((value) => cleanText(value))
      .trim()
      .max(200)
      .optional(),
  })
  .strict();

const statusSchema = z.object({ status: z.string().min(1).max(64) }).strict();

const body = <T extends z.ZodType>(schema: T, event: HttpEvent) =>
  validate(schema, parseBody(event, { maxBytes: MAX_BODY_BYTES, accept: ['json'] }).data);

const view = (lead: LeadState) => ({
  leadId: lead.leadId,
  stage: lead.stage,
  status: lead.status,
  ownerId: lead.ownerId ?? null,
  deal: lead.deal ?? null,
});

export function postAttemptHandler(api: ApiDeps) {
  const route = 'POST /leads/{id}/attempts';
  const deps = withWakeLeftToReconciler(api, route);
  return apiHandler(route, async (event: HttpEvent) => {
    const input = body(attemptSchema, event);
    const viewer = viewerOf(deps.sla, event, deps.clock.now());
    // an Idempotency-Key stands for the attemptId a client did not give (the id given wins)
    const keyed = input.attemptId === undefined ? attemptIdFromKey(event, viewer.by) : undefined;
    const logged = await logAttempt(
      deps,
      leadIdParam(event),
      keyed === undefined ? input : { ...input, attemptId: keyed },
      viewer,
    );
    return json(logged.duplicate ? 200 : 201, {
      ...view(logged.lead),
      attemptId: logged.attemptId,
      duplicate: logged.duplicate,
    });
  });
}

/**
 * The actor with the request's `Idempotency-Key` (request-key.ts), and the answer's header that tells a
 * replay: `Idempotent-Replayed: true` when the same request was applied before and nothing changed now.
 */
function keyed(deps: ApiDeps, event: HttpEvent, route: string, input: unknown) {
  const viewer = viewerOf(deps.sla, event, deps.clock.now());
  const once = idempotencyKeyOnce(event, route, viewer.by, input, deps.clock.now());
  return {
    actor: once ? { ...viewer, once } : viewer,
    headers: (): Record<string, string> => (once?.replayed ? { 'idempotent-replayed': 'true' } : {}),
  };
}

export function putDealHandler(api: ApiDeps) {
  const route = 'PUT /leads/{id}/deal';
  const deps = withWakeLeftToReconciler(api, route);
  return apiHandler(route, async (event: HttpEvent) => {
    const input = body(dealSchema, event);
    const { actor, headers } = keyed(deps, event, route, input);
    const lead = await setDealStage(deps, leadIdParam(event), input, actor);
    return json(200, view(lead), headers());
  });
}

export function patchStatusHandler(api: ApiDeps) {
  const route = 'PATCH /leads/{id}/status';
  const deps = withWakeLeftToReconciler(api, route);
  return apiHandler(route, async (event: HttpEvent) => {
    const input = body(statusSchema, event);
    const { actor, headers } = keyed(deps, event, route, input);
    const lead = await setStatus(deps, leadIdParam(event), input, actor);
    return json(200, view(lead), headers());
  });
}
