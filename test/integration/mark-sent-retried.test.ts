/**
 * The mark that says a claim's emails went out (`SENT#<claim>`), written by a wake after its sends, failing
 * past the SDK's three tries: the wake tries again (tasks/mark-sent.ts, as the park always did), so the
 * email is confirmed and never sent again once the claim's lease is over. Before, one failed mark ended
 * the task (or, in Advance's last flush, was only logged), and the next wake sent the email again.
 * INJECTED FAULT: a proxy between the client and dynalite (real sockets) answers 500 to the next
 * `failures` mark writes before they reach dynalite; every other request passes.
 */
import { afterEach, describe, expect, it } from 'vitest';
import {
  createLeadStoreDocumentClient,
  DynamoDbLeadStore,
} from '../../lambdas/adapters/dynamodb-lead-store.ts';
import { abandonedEntries, confirmSent, type OutboxEntry } from '../../lambdas/domain/outbox.ts';
import type { Notifier } from '../../lambdas/tasks/notifier.ts';
import { Wake } from '../../lambdas/tasks/wake.ts';
import { localDynamoDbClient } from '../../local/dynalite.ts';
import { useDynalite } from '../support/dynalite.ts';
import { type FaultProxy, startFaultProxy } from '../support/fault-proxy.ts';
import { FIXTURE_LEAD_ID, handedOff } from '../support/lead-state.ts';
import { loadDefaultSla } from '../support/sla.ts';

const sla = loadDefaultSla();
const NOW = new Date('2026-11-30T10:00:00.000Z');
const CLAIM = 'claim-of-the-park';

/** a reminder the park claimed and recorded as sent in its write (ADR 0025): only its mark is owed */
const reminder: OutboxEntry = {
  key: 'attempt:1:2026-11-30T09:00:00.000Z:1',
  what: 'attempt 1 reminder to jonas',
  at: NOW.toISOString(),
  email: { type: 'attemptDue', repId: 'jonas', step: 1, of: 6, channel: 'phone', dueAt: NOW.toISOString() },
  claim: CLAIM,
  recorded: true,
};

describe('a mark of sent emails that fails past the SDK retries', () => {
  const dynalite = useDynalite();
  let proxy: FaultProxy | undefined;
  afterEach(async () => {
    await proxy?.close();
    proxy = undefined;
  });

  it.each([3, 6])(
    '%i failed tries in a row: the wake tries again, the email is confirmed, never sent again',
    async (failures) => {
      // Arrange: the lead as the park wrote it; the next `failures` mark writes fail
      let armed = failures;
      proxy = await startFaultProxy({
        target: dynalite.server.endpoint,
        service: 'dynamodb',
        rate: 1,
        kinds: ['error500'],
        phases: ['before'],
        eligible: (request) =>
          request.operation === 'PutItem' && request.body.toString().includes('"SENT#') && armed-- > 0,
      });
      const store = new DynamoDbLeadStore(
        createLeadStoreDocumentClient(localDynamoDbClient(proxy.endpoint)),
        {
          tableName: dynalite.tableName,
        },
      );
      await store.createLead(handedOff('2026-11-30T09:00:00.000Z', 'jonas', { outbox: [reminder] }));
      const sent: string[] = [];
      const notifier = new Proxy({} as Notifier, {
        get: (_, kind) => async () => void sent.push(String(kind)),
      });
      const wake = new Wake({ sla, store, clock: { now: () => NOW }, notifier }, NOW);

      // Act
      const snapshot = (await store.loadLead(FIXTURE_LEAD_ID))!;
      await wake.send(snapshot, [reminder]);

      // Assert: sent once and marked; a wake past the lease finds nothing abandoned
      expect(proxy.counts().byFault).toEqual({ 'error500/before': failures });
      expect(sent).toEqual(['attemptDue']);
      expect(await store.isMarkedSent(FIXTURE_LEAD_ID, CLAIM)).toBe(true);
      const later = (await store.loadLead(FIXTURE_LEAD_ID))!;
      expect(later.confirmed).toEqual([CLAIM]);
      expect(
        abandonedEntries(
          confirmSent(later.state, later.confirmed ?? []),
          new Date(NOW.getTime() + 3_600_000),
        ).map((e) => e.key),
      ).not.toContain(reminder.key);
    },
  );
});
