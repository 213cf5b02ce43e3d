/**
 * ADR 0088 (a lead over to a manager is in their reach) where an adversarial review found it too wide: the queue
 * widened by an edited field, an attempt credited to a rep who never had the lead, a reassignment racing a change
 * of owner, and the reach outliving the decision. The API's handlers on the local runtime; the takeover written as
 * the workflow's handToManager writes it.
 */
import { describe, expect, it } from 'vitest';
import { ROUTES } from '../../lambdas/api/routes.ts';
import { handoverKey } from '../../lambdas/domain/handover-terms.ts';
import { leadQueue } from '../../lambdas/domain/routing.ts';
import { updateLead } from '../../lambdas/ports/lead-store.ts';
import { MINUTE, sqlLeadOwnedBy, T0, useLocalApi } from '../support/local-api.ts';
import { personEvent } from '../support/person-event.ts';

const api = useLocalApi();
let minute = 0;
function freshMinute(): void {
  minute += 2;
  api.clock.set(new Date(T0.getTime() + minute * MINUTE));
}
const keyOf = (route: { method: string; path: string }) => `${route.method} ${route.path}`;
async function call(route: string, principal: string, leadId: string, body?: unknown) {
  const handler = ROUTES.find((c) => keyOf(c) === route)!.make(api.runtime.deps as never);
  return (await handler(personEvent(route, principal, leadId, body), {} as never)) as {
    statusCode: number;
    body?: string;
  };
}

async function overTo(label: string, owner: string, manager: string, extra: Record<string, unknown> = {}) {
  freshMinute();
  const leadId = await sqlLeadOwnedBy(api, owner, label, extra);
  await updateLead(api.runtime.deps.store, leadId, (current) => ({
    ...current,
    takenOver: {
      handover: handoverKey(current),
      to: manager,
      at: api.clock.now().toISOString(),
      reps: [...leadQueue(api.runtime.deps.sla, current).reps],
    },
  }));
  return leadId;
}

/**
 * The same takeover as the release before be17914 stored it (no `takenOver`): the ladder's reassign rung taken
 * (the default ladder's third) and its "Over to you" key sent on the current handover. The queue's manager.
 */
async function overToBeforeItWasStored(label: string, owner: string, extra: Record<string, unknown> = {}) {
  freshMinute();
  const leadId = await sqlLeadOwnedBy(api, owner, label, extra);
  await updateLead(api.runtime.deps.store, leadId, (current) => ({
    ...current,
    escalationsTaken: 3,
    sent: [...current.sent, `escalate:${current.cycle}:${handoverKey(current)}:3`],
  }));
  return leadId;
}

describe('a lead over to a manager: the reach is no wider than the decision (ADR 0088)', () => {
  it.each([
    ['stored by the takeover', () => overTo('Widen', 'sofia', 'dan', { interest: 'maintenance' })],
    [
      'read from a state of before be17914',
      () => overToBeforeItWasStored('WidenOlder', 'sofia', { interest: 'maintenance' }),
    ],
  ])(
    'a manager cannot widen "its queue" by editing the lead’s fields, then give it outside the queue (%s)',
    async (_name, arrange) => {
      // a service request over to Dan (service-desk: sofia, mats, mike); Jonas is Katrin's and not in that queue
      const leadId = await arrange();
      const before = await api.runtime.deps.store.getLead(leadId);
      expect(before?.leadType).toBe('maintenance-services');
      const control = await call('POST /leads/{id}/owner', 'manager:dan', leadId, { owner: 'jonas' });
      expect(control.statusCode, control.body).toBe(422);

      // Dan edits the field the lead type (and so the queue) is chosen by
      const edit = await call('PATCH /leads/{id}/fields', 'manager:dan', leadId, {
        fields: { interest: 'pumps' },
      });
      expect(edit.statusCode, edit.body).toBe(200);
      expect((await api.runtime.deps.store.getLead(leadId))?.leadType).toBe('equipment-sales');
      const given = await call('POST /leads/{id}/owner', 'manager:dan', leadId, { owner: 'jonas' });

      // the queue the lead was handed over in is service-desk: Jonas is out of it and out of Dan's team
      expect(given.statusCode, given.body).toBe(422);
    },
  );

  it('an attempt on a lead over to Katrin (Carla’s) cannot be credited to Jonas, who never had it', async () => {
    const leadId = await overTo('Credit', 'carla', 'katrin');
    const answer = await call('POST /leads/{id}/attempts', 'manager:katrin', leadId, {
      attemptId: 'credit-1',
      outcome: 'no-answer',
      repId: 'jonas',
    });
    expect(answer.statusCode, answer.body).toBe(422);
    // nothing from the refused request is stored
    expect(await api.runtime.deps.store.listAttempts(leadId)).toEqual([]);
  });

  it('the reassign re-checks the queue rule on the lead it writes (ops gave it to Mats between Katrin’s read and write)', async () => {
    const leadId = await overTo('Race', 'carla', 'katrin');
    const stale = await api.runtime.deps.store.getLead(leadId);
    // ops (Priya) give it to Mats (Katrin's team): a new handover, no longer over to Katrin
    const byDan = await call('POST /leads/{id}/owner', 'ops:priya', leadId, { owner: 'mats' });
    expect(byDan.statusCode, byDan.body).toBe(200);
    // Katrin's request read the lead before Dan's write (the read of loadLead returns the stale state once)
    const store = api.runtime.deps.store;
    const real = store.getLead.bind(store);
    let first = true;
    (store as { getLead: typeof store.getLead }).getLead = async (id: string) => {
      if (first && id === leadId) {
        first = false;
        return stale;
      }
      return real(id);
    };
    try {
      const byKatrin = await call('POST /leads/{id}/owner', 'manager:katrin', leadId, { owner: 'mike' });
      const now = await real(leadId);
      // a lead of Katrin's team (Mats'), not over to her: she gives it only within her team
      expect(byKatrin.statusCode, byKatrin.body).toBe(422);
      expect(now?.ownerId).toBe('mats');
    } finally {
      (store as { getLead: typeof store.getLead }).getLead = real;
    }
  });

  it('the reach ends when the lead is won (a customer is not "over to" anyone)', async () => {
    const leadId = await overTo('Won', 'carla', 'katrin');
    const won = await call('PUT /leads/{id}/deal', 'rep:carla', leadId, {
      stage: 'closed-won',
      amount: 1000,
    });
    expect(won.statusCode, won.body).toBe(200);
    expect((await api.runtime.deps.store.getLead(leadId))?.stage).toBe('customer');
    const read = await call('GET /leads/{id}', 'manager:katrin', leadId);
    expect(read.statusCode).toBe(404);
  });
});
