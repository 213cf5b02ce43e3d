/**
 * What a manager or a rep corrects by hand: `POST /leads/{id}/owner` (reassign to another rep of
 * the SLA) and `PATCH /leads/{id}/fields` (correct what is known about the person; the timeline
 * records each field's old and new value, and the lead is judged again). Both record the acting
 * person (viewer.ts: `rep:<id>`, `manager:<id>`, `ops:<id>`, or the API caller) and signal the
 * workflow, which re-reads the lead and re-plans.
 */

import * as z from 'zod';
import { cleanMultilineText } from '../domain/clean-text.ts';
import { customFieldRefusal, readCorrection } from '../domain/form-values.ts';
import { withHandoverTerms } from '../domain/handover-terms.ts';
import type { FieldValue } from '../domain/lead.ts';
import { assignedKey, waitsForOwner } from '../domain/lead-plan.ts';
import {
  handedOffTo,
  type LeadState,
  nextHandoverAt,
  rejudgeLead,
  storyInstant,
  type TimelineEntry,
  wakingChange,
  withTimeline,
  withWakeWanted,
} from '../domain/lead-state.ts';
import { sentOrClaimed } from '../domain/outbox.ts';
import type { Rep } from '../domain/sla-schema.ts';
import { reassignedWithCadenceLog } from '../domain/sla-standing.ts';
import { withTakeoverStored } from '../domain/takeover-reminder.ts';
import { inTime } from '../ports/invocation-time.ts';
import { updateLead } from '../ports/lead-store.ts';
import { type ApiDeps, MAX_BODY_BYTES } from './deps.ts';
import {
  type FieldError,
  HttpError,
  type HttpEvent,
  isReservedName,
  isStorableNumber,
  json,
  ownKeysOnly,
  parseBody,
  STORABLE_NUMBER_MESSAGE,
  unprocessable,
  validate,
} from './http.ts';
import { leadIdParam } from './lead-access.ts';
import { apiHandler } from './middleware.ts';
import { overToReps, requireAllowed, requireRepInReach } from './permissions.ts';
import { CONTENDED_UPDATE, loadLead, requireHandedOff, requireOpen } from './sales-actions.ts';
import { type Viewer, viewerOf } from './viewer.ts';
import { withWakeLeftToReconciler } from './written-already.ts';

const FIELD_KEY = /^[A-Za-z][A-Za-z0-9_.-]{0,63}$/;
const MAX_FIELDS = 20;

const ownerSchema = z
  .object({
    owner: z.string().min(1).max(64),
    reason: z.string().overwrite(cleanMultilineText).trim().max(500).optional(),
  })
  .strict();

export const fieldsSchema = z
  .object({
    fields: ownKeysOnly(
      z
        .record(
          z.string(),
          z.union(
            [
              z.string().overwrite(cleanMultilineText).trim().max(1000),
              z.number().refine(isStorableNumber, STORABLE_NUMBER_MESSAGE),
              z.boolean(),
              z.null(),
            ],
            { message: 'a string, number, boolean, or null to clear it' },
          ),
        )
        .superRefine((fields, ctx) => {
          const keys = Object.keys(fields);
          if (keys.length === 0) ctx.addIssue({ code: 'custom', path: [], message: 'at least one field' });
          if (keys.length > MAX_FIELDS)
            ctx.addIssue({ code: 'custom', path: [], message: `at most ${MAX_FIELDS} fields` });
          for (const key of keys) {
            if (key === 'email')
              ctx.addIssue({
                code: 'custom',
                path: [key],
                message: 'the email is who the lead is: post a new lead instead',
              });
            else if (!FIELD_KEY.test(key) || isReservedName(key))
              ctx.addIssue({
                code: 'custom',
                path: [key],
                message: 'a letter, then letters, digits, _ . - (max 64)',
              });
          }
        }),
    ),
  })
  .strict();

const body = <T extends z.ZodType>(schema: T, event: HttpEvent) =>
  validate(schema, parseBody(event, { maxBytes: MAX_BODY_BYTES, accept: ['json'] }).data);

const view = (lead: LeadState) => ({
  leadId: lead.leadId,
  stage: lead.stage,
  status: lead.status,
  ownerId: lead.ownerId ?? null,
  fields: lead.fields,
});

export function postOwnerHandler(api: ApiDeps) {
  const route = 'POST /leads/{id}/owner';
  const deps = withWakeLeftToReconciler(api, route);
  return apiHandler(route, async (event: HttpEvent) => {
    const input = body(ownerSchema, event);
    const lead = await reassign(deps, viewerOf(deps.sla, event, deps.clock.now()), leadIdParam(event), input);
    return json(200, view(lead));
  });
}

export function patchFieldsHandler(api: ApiDeps) {
  const route = 'PATCH /leads/{id}/fields';
  const deps = withWakeLeftToReconciler(api, route);
  return apiHandler(route, async (event: HttpEvent) => {
    const input = body(fieldsSchema, event);
    const lead = await correctFields(
      deps,
      viewerOf(deps.sla, event, deps.clock.now()),
      leadIdParam(event),
      input.fields,
    );
    return json(200, view(lead));
  });
}

/** Gives the lead to another rep: a new handover (fresh first-touch clock under `onReassign: restart`). */
export async function reassign(
  deps: ApiDeps,
  viewer: Viewer,
  leadId: string,
  input: { owner: string; reason?: string },
): Promise<LeadState> {
  const lead = await loadLead(deps, leadId);
  requireAllowed(deps.sla, viewer, lead, 'reassign');
  requireOpen(deps, lead);
  // an SQL that waits for an owner (nobody in its queue could take it) is given by hand: its handoff
  if (!waitsForOwner(lead)) requireHandedOff(lead);
  const rep = deps.sla.routing.reps.find((candidate) => candidate.id === input.owner);
  if (!rep)
    throw unprocessable(
      'owner',
      `not a rep of the SLA; it has: ${deps.sla.routing.reps.map((r) => r.id).join(', ')}`,
      { kind: 'unknownRep' },
    );
  // a lead over to the viewer goes to any rep of its queue (ADR 0088)
  requireRepInReach(viewer, rep.id, 'owner', rep.name, overToReps(deps.sla, viewer, lead));
  const at = deps.clock.now();
  const { state } = await inTime(() =>
    updateLead(
      deps.store,
      leadId,
      // the wake the change wants is in its write (a parked token taken, a dormant lead due now): should this
      // request die before its signal, the reconciler wakes the lead, which tells the owners
      wakingChange((current) => {
        // each try at its own time, no earlier than the story it changes already holds (ADR 0091, amended)
        const now = storyInstant(current, deps.clock.now()).toISOString();
        // checked again on the state written: a lead moved out of reach, erased, closed or recycled since the
        // read is refused (a write that conflicts computes on the lead read again)
        requireAllowed(deps.sla, viewer, current, 'reassign');
        // the rep too: a lead no longer over to the viewer since the read goes only within their team
        requireRepInReach(viewer, rep.id, 'owner', rep.name, overToReps(deps.sla, viewer, current));
        requireOpen(deps, current);
        if (!waitsForOwner(current)) requireHandedOff(current);
        if (current.ownerId === rep.id) return undefined;
        if (waitsForOwner(current)) return handedOffByHand(deps, viewer, current, rep, now, input.reason);
        // the workflow tells both owners (the handoff task's "reassigned" email), once the signal wakes it
        const cause = {
          kind: 'manual' as const,
          ...(viewer.id ? { by: viewer.id } : {}),
          ...(input.reason ? { note: input.reason } : {}),
        };
        // a reassignment nobody was told of yet is replaced: the owner who was told (its `from`) hears where
        // the lead went, not the rep who had it in between untold; back to them, they hear only of the new
        // deadline (their links, bound to the handover, are stale): the handoff task drops a `from` that is the
        // owner, and the mark keeps it for a reassignment that follows
        // each handover its own instant (two calls in one millisecond, clocks of two hosts): the keys and the
        // links of the handover are bound to it, so one that equals the last is told nothing and links nothing
        // (the handoff's instant too: a handover with no ownerSince is keyed by it, handoverKey), and after a call
        // logged in the handover it ends, in that same millisecond: the call stays its owner's (ADR 0091). The story's
        // owner entry is dated at it too: the report's facts take a handover's instant from its entry, and two entries
        // of one instant left the first handover with no end (a breach that asked the whole cadence)
        const since = nextHandoverAt(current, now);
        const told = current.ownerUntold ? current.ownerUntold.from : current.ownerId;
        const ownerUntold = { ...(told ? { from: told } : {}), cause };
        return withTimeline(
          // the cadence facts of the new handover (ADR 0053): restarted with the clock, or standing with it; its
          // first-touch terms: the SLA's in force now (ADR 0059)
          withHandoverTerms(
            deps.sla,
            reassignedWithCadenceLog(deps.sla, current, {
              ...current,
              ownerId: rep.id,
              ownerSince: since,
              escalationsTaken: 0,
              // a handoff by hand nobody was told of yet: its "New SQL" email goes to the new owner, and that is all
              ...(handoffUntold(current) ? {} : { ownerUntold }),
              updatedAt: now,
            }),
          ),
          {
            at: since,
            kind: 'owner',
            ...(current.ownerId ? { from: current.ownerId } : {}),
            to: rep.id,
            by: viewer.by,
            reasons: [{ rule: 'owner.manual', detail: input.reason || `reassigned to ${rep.name}` }],
          },
        );
      }, at),
      CONTENDED_UPDATE.attempts,
      CONTENDED_UPDATE.maxDelayMs,
    ),
  );
  if (!state) throw new HttpError(404, 'not_found', `lead ${leadId} not found`);
  await deps.workflow.signal(state, 'owner');
  return state;
}

/** A handoff whose "New SQL" email is neither sent nor claimed (a handoff by hand, before the workflow woke). */
function handoffUntold(lead: LeadState): boolean {
  if (!lead.handedOffAt) return false;
  return !sentOrClaimed(lead, assignedKey(lead));
}

/**
 * The handoff of a waiting SQL, made by a person: the owner, the first-touch clock from now, the handoff on
 * the timeline; the workflow, once signalled, sends the rep the "New SQL" email as after any handoff.
 * Capacity does not hold a person's choice.
 */
function handedOffByHand(
  deps: ApiDeps,
  viewer: Viewer,
  lead: LeadState,
  rep: Rep,
  now: string,
  reason: string | undefined,
): LeadState {
  const reasons = [{ rule: 'owner.manual', detail: reason || `handed off to ${rep.name}` }];
  return { ...handedOffTo(deps.sla, lead, rep.id, new Date(now), viewer.by, reasons), updatedAt: now };
}

/**
 * Each correction read as a form post reads its field (form-values.ts); a value that does not read is a 400 naming
 * it; one that is empty once cleaned clears the field.
 */
function readCorrections(given: Record<string, FieldValue | null>): Record<string, FieldValue | null> {
  const fields: Record<string, FieldValue | null> = {};
  const issues: FieldError[] = [];
  for (const [key, value] of Object.entries(given)) {
    const read = value === null ? undefined : readCorrection(key, value);
    if (read && 'issue' in read)
      issues.push({
        path: `fields.${key}`,
        message: read.issue,
        ...('refusal' in read && read.refusal ? { refusal: read.refusal } : {}),
      });
    const given = read && 'value' in read ? read.value : value;
    // nothing left once cleaned (spaces only) clears the field, as null does: no field holds ""
    fields[key] = given === '' ? null : given;
  }
  if (issues.length > 0) throw new HttpError(400, 'invalid_request', 'the corrections are invalid', issues);
  return fields;
}

/** Sets or clears fields; each change is a timeline entry with the old and the new value. */
export async function correctFields(
  deps: ApiDeps,
  viewer: Viewer,
  leadId: string,
  given: Record<string, FieldValue | null>,
): Promise<LeadState> {
  const fields = readCorrections(given);
  const lead = await loadLead(deps, leadId);
  requireAllowed(deps.sla, viewer, lead, 'fields');
  if (lead.erasedAt) throw new HttpError(409, 'erased', 'the lead was erased');
  const events = await deps.store.listEvents(leadId);
  const { state, result } = await inTime(() =>
    updateLead(
      deps.store,
      leadId,
      (read) => {
        // each try at its own time, no earlier than the story it changes already holds (ADR 0091, amended)
        const at = storyInstant(read, deps.clock.now());
        const now = at.toISOString();
        requireAllowed(deps.sla, viewer, read, 'fields');
        // erased since the read: no personal data goes back onto it
        if (read.erasedAt) throw new HttpError(409, 'erased', 'the lead was erased');
        // a takeover read from an older state (ADR 0088 amended) is stored before the edit: its queue as the
        // type and country choose it now, which an edited field must not widen
        const current = withTakeoverStored(deps.sla, read);
        const next: Record<string, FieldValue> = { ...current.fields };
        const entries: TimelineEntry[] = [];
        for (const [key, value] of Object.entries(fields)) {
          const old = current.fields[key];
          if (value === null ? old === undefined : old === value) continue;
          if (value === null) delete next[key];
          else {
            // the lead's custom fields stay within their bound (form-values.ts): a 422 naming the field
            const why = customFieldRefusal(next, key, value);
            if (why) throw unprocessable(`fields.${key}`, why);
            next[key] = value;
          }
          entries.push({
            at: now,
            kind: 'field',
            ...(old === undefined ? {} : { from: String(old) }),
            ...(value === null ? {} : { to: String(value) }),
            by: viewer.by,
            reasons: [{ rule: 'fields.corrected', detail: key }],
          });
        }
        if (entries.length === 0) return undefined;
        const corrected = withTimeline({ ...current, fields: next, updatedAt: now }, ...entries);
        // what is known changed: the SLA judges the lead again (fit, type, persona, stage); the wake it wants is in
        // the write, as every signalled change's (a request that dies before its signal: the reconciler wakes it)
        return withWakeWanted(rejudgeLead(deps.sla, corrected, events, at, viewer.by) ?? corrected, at);
      },
      CONTENDED_UPDATE.attempts,
      CONTENDED_UPDATE.maxDelayMs,
    ),
  );
  if (!state) throw new HttpError(404, 'not_found', `lead ${leadId} not found`);
  if (result === 'saved') await deps.workflow.signal(state, 'fields');
  return state;
}
