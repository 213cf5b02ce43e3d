/**
 * What a person does to a lead from the console (form posts, then 303 back to the lead's page): log an
 * attempt, open or move the deal, set a status, reassign, correct fields. Each goes through the same
 * code as the API route (sales-actions.ts, lead-manage.ts) with the signed-in person as the actor, after
 * the checks every console write makes (session, same origin, CSRF token: session.ts) and the viewer's
 * reach (a lead outside it is 404). Bad input is 400 naming the field; nothing is stored.
 */

import * as z from 'zod';
import { instantOfLocalTime } from '../../domain/business-hours.ts';
import { cleanMultilineText } from '../../domain/clean-text.ts';
import { asciiDigits } from '../../domain/form-values.ts';
import type { LeadState } from '../../domain/lead-state.ts';
import { CHANNELS } from '../../domain/sla-constants.ts';
import type { ApiDeps } from '../deps.ts';
import { HttpError, type HttpEvent, validate } from '../http.ts';
import { leadIdParam } from '../lead-access.ts';
import { correctFields, fieldsSchema, reassign } from '../lead-manage.ts';
import { allowed, requireAllowed } from '../permissions.ts';
import { keyedOnce } from '../request-key.ts';
import { loadLead, logAttempt, setDealStage, setStatus } from '../sales-actions.ts';
import { withWakeLeftToReconciler } from '../written-already.ts';
import { consoleHandler } from './handler.ts';
import { redirect } from './html.ts';
import { type ConsoleSession, formOf, requireWriteSession } from './session.ts';
import { CORRECTABLE, zoneOf } from './views.ts';

type Act = (
  deps: ApiDeps,
  session: ConsoleSession,
  leadId: string,
  form: Readonly<Record<string, string>>,
) => Promise<Done>;

/**
 * What the action did (the notice's key) and the lead as its write left it: where to send the browser is
 * decided on that state, not on a read after the change (a read that fails would answer 503 "send it again"
 * for a change that was stored).
 */
interface Done {
  readonly done: string;
  readonly lead: LeadState;
}

const optionalText = (max: number) =>
  z
    .string()
    .overwrite(cleanMultilineText)
    .trim()
    .max(max)
    .optional()
    .transform((value) => (value === '' ? undefined : value));

const attemptForm = z.object({
  attemptId: z.string().regex(/^[A-Za-z0-9_.:-]{1,100}$/, '1-100 characters of A-Z a-z 0-9 _ . : -'),
  outcome: z.string().min(1, 'choose an outcome').max(64),
  channel: z.enum(CHANNELS, { message: `one of ${CHANNELS.join(', ')}` }).optional(),
  note: optionalText(2000),
  /** when it happened, on the viewer's clock (a datetime-local input, read by instantOfLocalTime); empty: now */
  at: z.string().trim().optional(),
});

/** the form's request id (views.ts): the same post again is applied once (request-key.ts) */
const requestId = z
  .string()
  .regex(/^[A-Za-z0-9_.:-]{1,100}$/, '1-100 characters of A-Z a-z 0-9 _ . : -')
  .optional();

const dealForm = z.object({
  requestId,
  stage: z.string().min(1, 'choose a deal stage').max(64),
  amount: z
    .string()
    .trim()
    .optional()
    .transform((value, ctx) => {
      if (value === undefined || value === '') return undefined;
      // Arabic-Indic digits read as digits (a phone's keyboard may send them), as the form's counts do;
      // thousands grouped with commas ("1,200,000") read as the number they group
      const digits = asciiDigits(value);
      const amount = Number(
        /^\d{1,3}(?:,\d{3})+(?:\.\d+)?$/.test(digits) ? digits.replaceAll(',', '') : digits,
      );
      if (!Number.isFinite(amount) || amount < 0 || amount > 1e12) {
        ctx.addIssue({ code: 'custom', message: 'a number from 0 to 1,000,000,000,000' });
        return z.NEVER;
      }
      return amount;
    }),
});

const statusForm = z.object({ status: z.string().min(1, 'choose a status').max(64), requestId });
const ownerForm = z.object({ owner: z.string().min(1, 'choose a rep').max(64), reason: optionalText(500) });

/** The form's own fields, without the CSRF token. */
function fieldsOf(form: Readonly<Record<string, string>>): Record<string, string> {
  const { csrf: _csrf, ...rest } = form;
  return rest;
}

/** An erased lead is gone for the console (404); the action itself checks the viewer's reach (permissions.ts). */
async function notErased(deps: ApiDeps, leadId: string): Promise<void> {
  const lead = await loadLead(deps, leadId);
  if (lead.erasedAt) throw new HttpError(404, 'not_found', 'no such lead');
}

/**
 * The signed-in person, with the form's request id as a key (request-key.ts): the same post again (a double
 * tap, a resent form) is applied once and answers as the first did. The key is the id with the choice, so
 * the same form sent back with another choice (the browser's back button) is a change of its own.
 */
function formActor(
  deps: ApiDeps,
  session: ConsoleSession,
  requestId: string | undefined,
  act: string,
  input: unknown,
) {
  if (!requestId) return session.viewer;
  const ask = `console ${act}\n${JSON.stringify(input)}`;
  return {
    ...session.viewer,
    once: keyedOnce(session.viewer.by, `${requestId}\n${ask}`, ask, deps.clock.now()),
  };
}

const ACTS: Readonly<Record<string, Act>> = {
  async attempts(deps, session, leadId, form) {
    const { at: local, ...input } = validate(attemptForm.strict(), fieldsOf(form), 'the attempt is invalid');
    // a call made earlier, logged now (from the car, after the meeting): its time on the rep's own clock
    const at = local ? instantOfLocalTime(zoneOf(deps.sla, session), local) : undefined;
    if (local && !at)
      throw new HttpError(400, 'invalid_request', 'the attempt is invalid', [
        { path: 'at', message: 'a date and time' },
      ]);
    await notErased(deps, leadId);
    const { lead } = await logAttempt(
      deps,
      leadId,
      { ...input, ...(input.note ? {} : { note: undefined }), ...(at ? { at: at.toISOString() } : {}) },
      session.viewer,
    );
    return { done: 'attempt', lead };
  },
  async deal(deps, session, leadId, form) {
    const { requestId, ...input } = validate(dealForm.strict(), fieldsOf(form), 'the deal is invalid');
    await notErased(deps, leadId);
    const deal = { stage: input.stage, ...(input.amount === undefined ? {} : { amount: input.amount }) };
    const lead = await setDealStage(deps, leadId, deal, formActor(deps, session, requestId, 'deal', deal));
    return { done: 'deal', lead };
  },
  async status(deps, session, leadId, form) {
    const { requestId, ...input } = validate(statusForm.strict(), fieldsOf(form), 'the status is invalid');
    await notErased(deps, leadId);
    const lead = await setStatus(deps, leadId, input, formActor(deps, session, requestId, 'status', input));
    return { done: 'status', lead };
  },
  async owner(deps, session, leadId, form) {
    const input = validate(ownerForm.strict(), fieldsOf(form), 'the reassignment is invalid');
    const lead = await reassign(deps, session.viewer, leadId, {
      owner: input.owner,
      ...(input.reason ? { reason: input.reason } : {}),
    });
    return { done: 'owner', lead };
  },
  async fields(deps, session, leadId, form) {
    const given = fieldsOf(form);
    for (const key of Object.keys(given))
      if (!CORRECTABLE.some(([name]) => name === key))
        throw new HttpError(400, 'invalid_request', 'the corrections are invalid', [
          { path: key, message: 'unknown field' },
        ]);
    const lead = await loadLead(deps, leadId);
    if (lead.erasedAt) throw new HttpError(404, 'not_found', 'no such lead');
    requireAllowed(session.viewer, lead, 'fields');
    // only what changed: an emptied input clears the field, an untouched one changes nothing
    const changes: Record<string, string | null> = {};
    for (const [key] of CORRECTABLE) {
      if (!(key in given)) continue;
      const now = (given[key] ?? '').trim();
      const before = lead.fields[key];
      const was = before === undefined || before === null ? '' : String(before).trim();
      if (now !== was) changes[key] = now === '' ? null : now;
    }
    if (Object.keys(changes).length === 0) return { done: 'nothing', lead };
    const input = validate(fieldsSchema, { fields: changes }, 'the corrections are invalid');
    return { done: 'fields', lead: await correctFields(deps, session.viewer, leadId, input.fields) };
  },
};

/** POST /console/leads/{id}/<action> */
export function leadActionHandler(action: keyof typeof ACTS & string) {
  const route = `POST /console/leads/{id}/${action}`;
  return (api: ApiDeps) => {
    const deps = withWakeLeftToReconciler(api, route);
    return consoleHandler(route, deps, async (event: HttpEvent) => {
      const form = formOf(event);
      const session = await requireWriteSession(deps, event, form);
      const leadId = leadIdParam(event);
      const { done, lead } = await ACTS[action]!(deps, session, leadId, form);
      // a change that took the lead out of the viewer's reach (a rep's recycle, a lost deal, a reassignment):
      // its page would answer 404, so the notice goes on the overview
      const stays = !lead.erasedAt && allowed(session.viewer, lead, 'read');
      return redirect(stays ? `/console/leads/${leadId}?done=${done}` : `/console?done=${done}&left=1`);
    });
  };
}

export const CONSOLE_ACTIONS = Object.keys(ACTS);
