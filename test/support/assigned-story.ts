/**
 * A lead handed to Jonas at `t0` and the attempts he logs after it, for the events-out tests on a story
 * longer than the state keeps (events-after-spill, events-carry-capped, events-erase-carry,
 * events-read-back-race): the same entries, so each test reads only what it does differently.
 */

import { DynamoDbEventLog } from '../../lambdas/adapters/dynamodb-event-log.ts';
import {
  type LeadState,
  newLeadState,
  type TimelineEntry,
  withTimeline,
} from '../../lambdas/domain/lead-state.ts';
import type { Sla } from '../../lambdas/domain/sla-schema.ts';
import type { EventsOutDeps } from '../../lambdas/tasks/events-out.ts';
import type { DynaliteHarness } from './dynalite.ts';
import { ManualClock } from './local-api.ts';

/** Jonas's assignment at `t0`, by the queue. */
export const assignmentAt = (t0: Date): TimelineEntry => ({
  at: t0.toISOString(),
  kind: 'owner',
  to: 'jonas',
  by: 'workflow',
  reasons: [{ rule: 'routing.queue', detail: 'assigned by the queue' }],
});

/** Jonas's n-th attempt (1-based), n minutes after `t0`: no answer. */
export const noAnswerAt =
  (t0: Date) =>
  (n: number): TimelineEntry => ({
    at: new Date(t0.getTime() + n * 60_000).toISOString(),
    kind: 'attempt',
    by: 'rep:jonas',
    reasons: [{ rule: 'contactAttempts.outcome.no_answer', detail: `attempt ${n}: no answer` }],
  });

/** A new lead from the form at `t0`, owned by Jonas since then (its story: created, judged, assigned). */
export function assignedLead(
  sla: Sla,
  leadId: string,
  t0: Date,
  fields: LeadState['fields'] = {},
  overrides: Partial<LeadState> = {},
): LeadState {
  const lead = newLeadState(
    sla,
    { leadId, email: 'petra@brauhaus.example', fields, marketingConsent: false },
    [],
    t0,
    'form',
  );
  return withTimeline(
    { ...lead, ...overrides, ownerId: 'jonas', ownerSince: t0.toISOString() },
    assignmentAt(t0),
  );
}

/**
 * Events out's dependencies on the harness's table: `store`, the DynamoDB event log, no webhook, a receiver
 * that accepts, a manual clock at `t0`; `extra` replaces any of them (a bus, subscriptions).
 */
export function eventsOutDeps(
  sla: Sla,
  dynamo: Pick<DynaliteHarness, 'doc' | 'tableName'>,
  store: EventsOutDeps['store'],
  t0: Date,
  extra: Partial<EventsOutDeps> = {},
): EventsOutDeps {
  const clock = new ManualClock();
  clock.set(t0);
  return {
    sla,
    store,
    log: new DynamoDbEventLog(dynamo.doc, dynamo.tableName),
    subscriptions: [],
    transport: { post: async () => ({ statusCode: 200 }) },
    clock,
    ...extra,
  };
}
