/**
 * Report facts a write lost are put by the events publisher (ADR 0016 amended), on dynalite: a write puts
 * its facts after its state, and when that put fails (INJECTED FAULT: a fact log that throws after the state
 * is written, as a throttled put or a Lambda that dies there does; dynalite cannot be made to refuse one
 * put) the retry finds the change made and writes nothing new. The publisher follows every write that
 * added entries: with the fact log it puts the facts of the entries it publishes, each a conditional put, so
 * only the lost ones land and nothing is counted twice.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { DynamoDbEventLog } from '../../lambdas/adapters/dynamodb-event-log.ts';
import { DynamoDbFactLog } from '../../lambdas/adapters/dynamodb-fact-log.ts';
import { DynamoDbLeadQueries } from '../../lambdas/adapters/dynamodb-lead-queries.ts';
import { DynamoDbLeadStore } from '../../lambdas/adapters/dynamodb-lead-store.ts';
import { observeWrites } from '../../lambdas/adapters/observed-lead-store.ts';
import { submissionEvent } from '../../lambdas/domain/forms.ts';
import { newLeadState, storyLength } from '../../lambdas/domain/lead-state.ts';
import { factsOf } from '../../lambdas/domain/report-facts.ts';
import { type EventsOutDeps, publishLead } from '../../lambdas/tasks/events-out.ts';
import { useDynalite } from '../support/dynalite.ts';
import { ManualClock, SQL_LEAD } from '../support/local-api.ts';
import { loadDefaultSla } from '../support/sla.ts';

const sla = loadDefaultSla();
const T0 = new Date('2026-11-30T08:00:00.000Z');
const DAY = T0.toISOString().slice(0, 10);

describe('the events publisher puts the report facts a write lost', () => {
  const dynamo = useDynalite();
  let raw: DynamoDbLeadStore;
  let facts: DynamoDbFactLog;
  let queries: DynamoDbLeadQueries;
  let deps: EventsOutDeps;

  beforeEach(() => {
    const clock = new ManualClock();
    clock.set(T0);
    raw = new DynamoDbLeadStore(dynamo.doc, { tableName: dynamo.tableName });
    facts = new DynamoDbFactLog(dynamo.doc, dynamo.tableName, sla);
    queries = new DynamoDbLeadQueries(dynamo.doc, dynamo.tableName);
    deps = {
      sla,
      store: raw,
      log: new DynamoDbEventLog(dynamo.doc, dynamo.tableName),
      subscriptions: [],
      transport: { post: async () => ({ statusCode: 200 }) },
      clock,
    };
  });

  let n = 0;
  /** a demo request's new lead, written by a store whose fact put fails after the state landed */
  async function writtenWithFactsLost() {
    const leadId = `LeadFacts${String(++n).padStart(13, '0')}`;
    const fields = { ...SQL_LEAD, firstName: 'Petra' };
    const event = {
      ...submissionEvent(sla, fields, T0.toISOString(), `e${n}`),
      receivedAt: T0.toISOString(),
    };
    const lead = newLeadState(
      sla,
      { leadId, email: `petra${n}@plant.example`, fields, marketingConsent: false },
      [event],
      T0,
      'form',
    );
    const failing = observeWrites(raw, {
      leadWritten: async () => {
        throw new Error('ProvisionedThroughputExceededException (injected: the fact put after the state)');
      },
    });
    await expect(failing.createLead(lead)).rejects.toThrow('injected');
    return lead;
  }

  const factsOfLead = async (leadId: string) =>
    (await queries.listFacts(DAY, DAY))
      .filter((fact) => fact.leadId === leadId)
      .map((fact) => `${fact.at} ${fact.kind} ${fact.seq}`)
      .sort();

  it.each([
    ['with the fact log', true],
    ['without it (as before)', false],
  ])("%s: the lead's facts are stored after its publish: %s", async (_, withFacts) => {
    // Arrange
    const lead = await writtenWithFactsLost();
    const expected = factsOf(sla, lead)
      .map((fact) => `${fact.at} ${fact.kind} ${fact.seq}`)
      .sort();
    expect(expected.length).toBeGreaterThan(0);
    expect(await factsOfLead(lead.leadId)).toEqual([]);

    // Act
    const report = await publishLead(withFacts ? { ...deps, facts } : deps, lead.leadId, storyLength(lead));

    // Assert
    expect(report.marked).toBe(true);
    expect(await factsOfLead(lead.leadId)).toEqual(withFacts ? expected : []);
  });

  it('facts the write did put are not put twice, and a publish again puts nothing', async () => {
    // Arrange: a write whose facts landed
    const lead = await writtenWithFactsLost();
    await facts.leadWritten(lead);
    const stored = await factsOfLead(lead.leadId);
    dynamo.resetRecording();

    // Act
    await publishLead({ ...deps, facts }, lead.leadId, storyLength(lead));
    const again = await publishLead({ ...deps, facts }, lead.leadId, storyLength(lead));

    // Assert
    expect(await factsOfLead(lead.leadId)).toEqual(stored);
    expect(again.events).toEqual([]);
    // the first publish looked them up in one request and put none; the second read only the cursor
    const factPuts = dynamo.commands.filter((command) => command.sortKey?.startsWith('FACT#'));
    expect(factPuts).toEqual([]);
    expect(dynamo.commands.filter((command) => command.name === 'BatchGetItemCommand')).toHaveLength(1);
  });
  it.each([
    // the error the repair fails with, the cursor moves
    ['ProvisionedThroughputExceededException', false],
    ['ValidationException', true],
  ])(
    'a repair that fails with %s holds up no event: the lead is published, the error logged; the cursor moves: %s',
    async (name, moves) => {
      // Arrange (INJECTED FAULT: a fact repair that fails, as one past the SDK's retries does)
      const lead = await writtenWithFactsLost();
      const logged: string[] = [];
      const error = console.error;
      console.error = (line: string) => logged.push(line);
      const failing = {
        putMissing: async () => {
          throw Object.assign(new Error('refused'), { name });
        },
      };

      // Act
      const report = await publishLead({ ...deps, facts: failing }, lead.leadId, storyLength(lead)).finally(
        () => {
          console.error = error;
        },
      );

      // Assert
      expect(report.marked).toBe(moves);
      expect(report.events.map((event) => event.type)).toContain('lead.created');
      expect(logged.join('\n')).toContain(name);
      // the sweep lists a lead whose cursor stayed
      const listed = await deps.log.leadsWithNewEntries(100, T0);
      expect(listed.includes(lead.leadId)).toBe(!moves);
    },
  );

  it("a repair refused for a busy table is done by the sweep's next publish: the facts land, each event delivered once", async () => {
    // Arrange (INJECTED FAULT: the repair refused once for throughput, as past the SDK's retries)
    const lead = await writtenWithFactsLost();
    const expected = factsOf(sla, lead)
      .map((fact) => `${fact.at} ${fact.kind} ${fact.seq}`)
      .sort();
    let refusals = 1;
    const busyOnce = {
      putMissing: async (state: Parameters<DynamoDbFactLog['putMissing']>[0], since?: number) => {
        if (refusals-- > 0)
          throw Object.assign(new Error('throughput exceeded'), {
            name: 'ProvisionedThroughputExceededException',
          });
        return facts.putMissing(state, since);
      },
    };
    const subscribed = {
      ...deps,
      facts: busyOnce,
      subscriptions: [{ id: 'crm', url: 'https://crm.example/hook', events: ['*'], secret: 's3cret' }],
    };
    const error = console.error;
    console.error = () => undefined;

    // Act: the write's publish, then the sweep's
    const first = await publishLead(subscribed, lead.leadId, storyLength(lead)).finally(() => {
      console.error = error;
    });
    const listed = await deps.log.leadsWithNewEntries(100, T0);
    const again = await publishLead(subscribed, lead.leadId);

    // Assert
    expect(first.marked).toBe(false);
    expect(listed).toContain(lead.leadId);
    expect(await factsOfLead(lead.leadId)).toEqual(expected);
    expect(again.marked).toBe(true);
    expect(first.deliveries.length).toBeGreaterThan(0);
    expect(again.deliveries).toEqual([]);
    expect(await deps.log.leadsWithNewEntries(100, T0)).not.toContain(lead.leadId);
  });
});
