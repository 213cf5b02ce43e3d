/**
 * POST /leads/{id}/events: engagement events from tracking systems (one, or a batch of up to
 * 100). Each is stored once (a replayed eventId is a no-op); the lead is judged again and a
 * crossed threshold moves its stage at once and wakes its workflow.
 */

import { randomUUID } from 'node:crypto';
import { asksAgain, withdrawn } from '../domain/consent.ts';
import {
  judgementMoved,
  type LeadState,
  rejudgeLead,
  rejudgeWithNewEvents,
  type StoredEvent,
  storyInstant,
  withTimeline,
  withWakeWanted,
} from '../domain/lead-state.ts';
import { dueForNews, updateLead } from '../ports/lead-store.ts';
import { type ApiDeps, MAX_BODY_BYTES } from './deps.ts';
import { batchSchema, engagementEventSchema, isBatch } from './engagement-event.ts';
import { type HttpEvent, json, parseBody, unprocessable, validate } from './http.ts';
import { MAX_CLOCK_SKEW_MS, requireLead } from './lead-access.ts';
import { apiHandler } from './middleware.ts';
import { requireAllowed } from './permissions.ts';
import { CONTENDED_UPDATE } from './sales-actions.ts';
import { viewerOf } from './viewer.ts';
import { withWakeLeftToReconciler } from './written-already.ts';

/**
 * Whether a change of the lead by engagement events wakes its workflow: a parked lead for what changes its
 * path (its stage, an unsubscribe), a dormant one for any change of its judgement (a new journey stage may
 * bring a nurture track with something to send).
 */
function wakes(before: LeadState, after: LeadState | undefined, unsubscribed: boolean): boolean {
  if (!after) return false;
  if (after.stage !== before.stage || (unsubscribed && !before.unsubscribed)) return true;
  return after.dormant !== undefined && judgementMoved(before, after);
}

export function postEventsHandler(api: ApiDeps) {
  const route = 'POST /leads/{id}/events';
  const deps = withWakeLeftToReconciler(api, route);
  return apiHandler(route, async (event: HttpEvent) => {
    const viewer = viewerOf(deps.sla, event, deps.clock.now());
    const data = parseBody(event, { maxBytes: MAX_BODY_BYTES * 4, accept: ['json'] }).data;
    const batch = isBatch(data);
    const events = batch ? validate(batchSchema, data).events : [validate(engagementEventSchema, data)];
    const lead = await requireLead(deps, event);
    requireAllowed(deps.sla, viewer, lead, 'events');
    const now = deps.clock.now();
    events.forEach((e, i) => {
      if (Date.parse(e.occurredAt) > now.getTime() + MAX_CLOCK_SKEW_MS) {
        throw unprocessable(`${batch ? `events.${i}.` : ''}occurredAt`, `${e.occurredAt} is in the future`);
      }
    });
    // an erased lead stays erased: later events are accepted and dropped
    if (lead.erasedAt)
      return json(202, { leadId: lead.leadId, appended: 0, duplicates: 0, ignored: events.length });

    // a lead's events apart from its wake's read (ADR 0057): this request's mark, before any is stored, says
    // its tally may lack them until the write below folds them (a wake that finds it reads the whole history).
    // A lead from before keeps its events where its wake reads them, as before
    const old = lead.eventsApart !== true;
    const mark = old ? undefined : { id: deps.newId?.() ?? randomUUID(), at: now.toISOString() };
    const toStore: StoredEvent[] = events.map((e) => ({
      ...e,
      occurredAt: new Date(e.occurredAt).toISOString(),
      receivedAt: now.toISOString(),
    }));
    const unsubscribed = events.some((e) => e.type === 'unsubscribe');
    const by = viewer.by;
    // events that will wake the lead (a demo request that makes it an SQL): it is made due now beside the mark,
    // so that a request that dies before its write and signal leaves a lead the reconciler wakes within
    // minutes, and that wake folds them (ADR 0057 amended). Judged on the lead as read (pure, no request)
    const predicted = rejudgeWithNewEvents(deps.sla, lead, toStore, now, by);
    const willWake = wakes(lead, predicted === 'replay' ? undefined : predicted, unsubscribed);
    const [, madeDue] = await Promise.all([
      mark ? deps.store.markEventsPending(lead.leadId, mark) : undefined,
      willWake ? deps.store.makeDueForNews(lead.leadId, now.toISOString()) : undefined,
    ]);
    // that update moved the lead's version: the write below computes on the lead as it made it (due now, the
    // next version), not as read, which would always conflict and cost a read of the lead and of its whole
    // history (the retry's replay). Safe: were another write to come between the read and the update, or after
    // it, the stored version is not this one, the write conflicts and its retry reads afresh
    const known = (madeDue === true && dueForNews(lead, now.toISOString())) || lead;
    const fresh: StoredEvent[] = [];
    for (const stored of toStore) {
      if ((await deps.store.appendEvent(lead.leadId, stored, { old })) === 'appended') fresh.push(stored);
    }
    const appended = fresh.length;

    // New events fold into the lead's tally: the history is not read. Anything else reads it whole:
    // a replayed event (an earlier attempt may have stored it and failed before judging) and every
    // retry of the write (the first may have landed with its answer lost: folding again would count
    // the events twice; the stored history holds each once).
    // The first try computes on the state read above (appending events leaves it as it was): no second
    // read unless the write finds it changed.
    let tries = 0;
    let erasedMeanwhile = false;
    const { state, result } = await updateLead(
      deps.store,
      lead.leadId,
      async (current) => {
        // erased since the read above: its sweeps may have run before the events were stored
        if (current.erasedAt) {
          erasedMeanwhile = true;
          return undefined;
        }
        // each try is stamped with its own time (a retry may come seconds later, after a confirmation or an email
        // it did not stop), and no earlier than the story it changes already holds: a withdrawal is never dated
        // before the confirmation or the email on the lead it is written after (ADR 0091, amended). The events keep
        // the request's time (receivedAt)
        const at = storyInstant(current, deps.clock.now());
        const folded =
          tries++ === 0 && appended === events.length
            ? rejudgeWithNewEvents(deps.sla, current, fresh, at, by)
            : 'replay';
        const judged =
          folded === 'replay'
            ? rejudgeLead(deps.sla, current, await deps.store.listEvents(current.leadId), at, by)
            : folded;
        // unsubscribed already: a request to subscribe again that awaits its confirmation is withdrawn
        // the timeline says so, as a link's or a form's unsubscribe does (and events out tell the CRM:
        // lead.unsubscribed, so it stops marketing to the person too)
        const next =
          !unsubscribed || (current.unsubscribed && !asksAgain(current))
            ? judged
            : withTimeline(
                withdrawn(
                  {
                    ...(judged ?? current),
                    unsubscribed: true,
                    marketingConsent: false,
                    updatedAt: at.toISOString(),
                  },
                  at,
                ),
                {
                  at: at.toISOString(),
                  kind: 'unsubscribed',
                  by,
                  reasons: [{ rule: 'consent.unsubscribe', detail: 'an unsubscribe event was posted' }],
                },
              );
        // a change that wakes the lead takes its parked token (or makes a dormant lead due) in this write: the
        // signal below sends it, or the reconciler does should this request die first (ADR 0039)
        return next && wakes(current, next, unsubscribed) ? withWakeWanted(next, at) : next;
      },
      // the events are stored already: a conflict is waited out as a sales change's is (sales-actions.ts), not
      // answered 409 with them stored and unfolded
      CONTENDED_UPDATE.attempts,
      CONTENDED_UPDATE.maxDelayMs,
      known,
    );
    if (erasedMeanwhile) {
      // nothing of an erased lead stays: the events this request stored go (an erase's sweep that follows this
      // read takes them too), and they are answered as an erased lead's are
      for (const stored of fresh) await deps.store.deleteEvent(lead.leadId, stored);
      if (mark) await deps.store.clearEventsPending(lead.leadId, [mark.id]);
      return json(202, { leadId: lead.leadId, appended: 0, duplicates: 0, ignored: events.length });
    }
    // folded (or found folded): the mark goes before the wake is signalled, which then reads the tally alone
    if (mark) await deps.store.clearEventsPending(lead.leadId, [mark.id]);
    const after = state ?? lead;
    // a parked lead wakes for what changes its path; a dormant one for any change (a new journey
    // stage may bring a nurture track with something to send)
    const changedPath = after.stage !== lead.stage || (unsubscribed && !lead.unsubscribed);
    if (changedPath || (after.dormant && result === 'saved' && judgementMoved(lead, after))) {
      await deps.workflow.signal(after, unsubscribed ? 'unsubscribed' : `stage ${after.stage}`);
    }
    return json(200, {
      leadId: lead.leadId,
      appended,
      duplicates: events.length - appended,
      stage: after.stage,
      status: after.status,
      totalScore: after.total,
    });
  });
}
