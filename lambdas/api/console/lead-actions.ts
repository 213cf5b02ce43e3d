/**
 * What a person does to a lead from the console (form posts, then 303 back to the lead's page): log an
 * attempt, open or move the deal, set a status, reassign, correct fields. Each goes through the same
 * code as the API route (sales-actions.ts, lead-manage.ts) with the signed-in person as the actor, after
 * the checks every console write makes (session, same origin, CSRF token: session.ts) and the viewer's
 * reach (a lead outside it is 404). Bad input is 400 naming the field; nothing is stored.
 */

import * as z from 'zod';
import { instantOfLocalTime } from '../../domain/business-hours.ts';
import { dealHasAlready, statusHasAlready } from '../../domain/changes-nothing.ts';
import { cleanMultilineText } from '../../domain/clean-text.ts';
import { asciiDigits } from '../../domain/form-values.ts';
import type { Attempt, LeadState } from '../../domain/lead-state.ts';
import { type CallToLog, sameCallInStory, sameCallLogged } from '../../domain/same-call.ts';
import { CHANNELS } from '../../domain/sla-constants.ts';
import type { Sla } from '../../domain/sla-schema.ts';
import type { ApiDeps } from '../deps.ts';
import { HttpError, type HttpEvent, type HttpResult, validate } from '../http.ts';
import { leadIdParam } from '../lead-access.ts';
import { correctFields, fieldsSchema, reassign } from '../lead-manage.ts';
import { allowed, type LeadAction, requireAllowed } from '../permissions.ts';
import { keyedOnce } from '../request-key.ts';
import { loadLead, logAttempt, setDealStage, setStatus } from '../sales-actions.ts';
import { withWakeLeftToReconciler } from '../written-already.ts';
import { consoleHandler } from './handler.ts';
import { redirect } from './html.ts';
import { sameCallPage } from './same-call.ts';
import { type ConsoleSession, formOf, requireWriteSession } from './session.ts';
import { zoneOf } from './viewer-calendar.ts';
import { CORRECTABLE } from './views.ts';

type Act = (
  deps: ApiDeps,
  session: ConsoleSession,
  leadId: string,
  form: Readonly<Record<string, string>>,
) => Promise<Done | Asked>;

/**
 * What the action did (the notice's key) and the lead as its write left it: where to send the browser is
 * decided on that state, not on a read after the change (a read that fails would answer 503 "send it again"
 * for a change that was stored).
 */
interface Done {
  readonly done: string;
  readonly lead: LeadState;
}

/** Nothing written: a question for the person first (same-call.ts), answered as a page. */
interface Asked {
  readonly ask: HttpResult;
}

const optionalText = (max: number) =>
  z
    .string()
    .overwrite(cleanMultilineText)
    .trim()
    .max(max)
    .optional()
    .transform((value) => (value === '' ? undefined : value));

const attemptId = z.string().regex(/^[A-Za-z0-9_.:-]{1,100}$/, '1-100 characters of A-Z a-z 0-9 _ . : -');

const attemptForm = z.object({
  attemptId,
  /** the attempt the person was asked about and logs this one beside (same-call.ts) */
  again: attemptId.optional(),
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
async function notErased(deps: ApiDeps, leadId: string): Promise<LeadState> {
  const lead = await loadLead(deps, leadId);
  if (lead.erasedAt) throw new HttpError(404, 'not_found', 'no such lead');
  return lead;
}

/**
 * The attempt logged minutes ago that this one repeats (domain/same-call.ts), unless it is the one the person
 * was asked about and answered "another attempt", or this attempt id was logged already (a resent post: the
 * route answers it as the duplicate it is); and the ids of the attempts read, which the write's own check
 * (sameCallInStory) leaves to this one.
 */
async function repeatedCall(
  deps: ApiDeps,
  leadId: string,
  attemptId: string,
  again: string | undefined,
  call: CallToLog,
): Promise<{ readonly same: Attempt | undefined; readonly seen: ReadonlySet<string> }> {
  const logged = await deps.store.listAttempts(leadId);
  const seen = new Set(logged.map((known) => known.attemptId));
  if (seen.has(attemptId)) return { same: undefined, seen };
  const same = sameCallLogged(logged, call, deps.clock.now());
  return { same: same?.attemptId === again ? undefined : same, seen };
}

/** Thrown inside the write that logs: the attempt another request logged since this one read (sameCallInStory). */
class LoggedMeanwhile extends Error {
  constructor(readonly attempt: Attempt) {
    super('the same attempt was logged meanwhile');
  }
}

/**
 * A deal or status form that asks for what the lead has already (domain/changes-nothing.ts): nothing to write,
 * unless it is the replay of the change that gave it (a double tap answers as its first press did). A lead
 * out of the viewer's reach is 404 first, as for any change.
 */
function changesNothing(
  sla: Sla,
  session: ConsoleSession,
  lead: LeadState,
  actor: ReturnType<typeof formActor>,
  action: LeadAction,
  hasAlready: boolean,
): boolean {
  requireAllowed(sla, session.viewer, lead, action);
  return hasAlready && !('once' in actor && actor.once.done(lead));
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
    const {
      at: local,
      again,
      ...input
    } = validate(attemptForm.strict(), fieldsOf(form), 'the attempt is invalid');
    // a call made earlier, logged now (from the car, after the meeting): its time on the rep's own clock
    const timeZone = zoneOf(deps.sla, session);
    const at = local ? instantOfLocalTime(timeZone, local) : undefined;
    if (local && !at)
      throw new HttpError(400, 'invalid_request', 'the attempt is invalid', [
        { path: 'at', message: 'a date and time' },
      ]);
    const current = await notErased(deps, leadId);
    requireAllowed(deps.sla, session.viewer, current, 'attempt');
    const call = {
      outcomeId: input.outcome,
      channel: input.channel,
      note: input.note,
      at: at?.toISOString(),
    };
    const asked = (same: Attempt) => ({
      ask: sameCallPage(deps.sla, session, zoneOf(deps.sla, session), leadId, same, form),
    });
    const { same, seen } = await repeatedCall(deps, leadId, input.attemptId, again, call);
    if (same) return asked(same);
    // asked again of the state the write replaces (ADR 0074 amended): an attempt logged since the read (another
    // tab's post in the same instant) that this one repeats is asked about, not logged beside it
    const guard = (state: LeadState) => {
      const meanwhile = sameCallInStory(state.timeline, seen, call, deps.clock.now());
      if (meanwhile && meanwhile.attemptId !== again) throw new LoggedMeanwhile(meanwhile);
    };
    try {
      const { lead } = await logAttempt(
        deps,
        leadId,
        { ...input, ...(input.note ? {} : { note: undefined }), ...(at ? { at: at.toISOString() } : {}) },
        { ...session.viewer, guard },
      );
      return { done: 'attempt', lead };
    } catch (error) {
      if (error instanceof LoggedMeanwhile) return asked(error.attempt);
      throw error;
    }
  },
  async deal(deps, session, leadId, form) {
    const { requestId, ...input } = validate(dealForm.strict(), fieldsOf(form), 'the deal is invalid');
    const current = await notErased(deps, leadId);
    const deal = { stage: input.stage, ...(input.amount === undefined ? {} : { amount: input.amount }) };
    const actor = formActor(deps, session, requestId, 'deal', deal);
    if (changesNothing(deps.sla, session, current, actor, 'deal', dealHasAlready(current, deal)))
      return { done: 'nothing', lead: current };
    const lead = await setDealStage(deps, leadId, deal, actor);
    return { done: 'deal', lead };
  },
  async status(deps, session, leadId, form) {
    const { requestId, ...input } = validate(statusForm.strict(), fieldsOf(form), 'the status is invalid');
    const current = await notErased(deps, leadId);
    const actor = formActor(deps, session, requestId, 'status', input);
    if (changesNothing(deps.sla, session, current, actor, 'status', statusHasAlready(current, input.status)))
      return { done: 'nothing', lead: current };
    const lead = await setStatus(deps, leadId, input, actor);
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
    requireAllowed(deps.sla, session.viewer, lead, 'fields');
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
      const answer = await ACTS[action]!(deps, session, leadId, form);
      if ('ask' in answer) return answer.ask;
      const { done, lead } = answer;
      // a change that took the lead out of the viewer's reach (a rep's recycle, a lost deal, a reassignment):
      // its page would answer 404, so the notice goes on the overview
      const stays = !lead.erasedAt && allowed(deps.sla, session.viewer, lead, 'read');
      return redirect(stays ? `/console/leads/${leadId}?done=${done}` : `/console?done=${done}&left=1`);
    });
  };
}

export const CONSOLE_ACTIONS = Object.keys(ACTS);
