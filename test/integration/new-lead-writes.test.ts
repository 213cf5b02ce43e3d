/**
 * A new lead's writes and its workflow start, on the real local runtime (dynalite, the observed store, the
 * DynamoDB fact log): the start follows the submission event and the state, beside the create's report
 * facts (docs/scaling.md); a fact put meeting DynamoDB busy is logged (the post answered), one failing otherwise
 * fails the post, the start having run beside it either way, and the events publisher puts the lost facts; a failing start leaves the facts stored, with the lead due now for the
 * reconciler; a state's facts are put at once; a repeat post stores no fact of a creation and starts nothing.
 */

import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { QueryCommand } from '@aws-sdk/client-dynamodb';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { DynamoDbFactLog } from '../../lambdas/adapters/dynamodb-fact-log.ts';
import { createLeadStoreDocumentClient } from '../../lambdas/adapters/dynamodb-lead-store.ts';
import type { ApiDeps } from '../../lambdas/api/deps.ts';
import { submissionSchema } from '../../lambdas/api/lead-submission.ts';
import { submitLead } from '../../lambdas/api/leads-public.ts';
import { applyToLead, newLeadState, withTimeline } from '../../lambdas/domain/lead-state.ts';
import { latestFacts } from '../../lambdas/domain/report-facts.ts';
import type { Workflow } from '../../lambdas/ports/workflow.ts';
import { LOCAL_TABLE } from '../../local/runtime.ts';
import { SQL_LEAD, useLocalApi } from '../support/local-api.ts';

/** The sort key of a command's item as it leaves the client (marshalled or not yet). */
function sortKey(input: Record<string, unknown>): string | undefined {
  const sk = ((input.Item ?? input.Key) as Record<string, unknown> | undefined)?.sk;
  return typeof sk === 'string' ? sk : (sk as { S?: string } | undefined)?.S;
}

let gates = 0;
/**
 * A middleware on the runtime's DynamoDB client that hands every PutItem of an item whose sort key starts
 * with `prefix` to `hold` before it is sent (a fault or a delay the emulator cannot make).
 */
function onPut(client: DynamoDBClient, prefix: string, hold: () => Promise<void>): () => void {
  const name = `testGate${++gates}`;
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const input = args.input as Record<string, unknown>;
      if (context.commandName === 'PutItemCommand' && sortKey(input)?.startsWith(prefix)) await hold();
      return next(args);
    },
    { step: 'initialize', name },
  );
  return () => client.middlewareStack.remove(name);
}

/** A door a held request waits at until it is opened; counts who waits. */
function door() {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => {
    open = resolve;
  });
  const state = { waiting: 0, most: 0 };
  return {
    state,
    open,
    async pass() {
      state.waiting++;
      state.most = Math.max(state.most, state.waiting);
      await opened;
      state.waiting--;
    },
  };
}

/** A workflow that only records what it was asked (and can fail its start). */
function recordingWorkflow(failStart = false) {
  const starts: string[] = [];
  const signals: string[] = [];
  const workflow: Workflow = {
    start: async (leadId) => {
      starts.push(leadId);
      if (failStart) throw new Error('StartExecution failed');
    },
    signal: async (lead) => {
      signals.push(lead.leadId);
    },
    stop: async () => {},
  };
  return { workflow, starts, signals };
}

/** Polls until `check` holds, at most `ms` (a start that never comes fails the test, not times it out). */
async function eventually(check: () => boolean, ms = 2_000): Promise<boolean> {
  const until = Date.now() + ms;
  while (!check()) {
    if (Date.now() > until) return false;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  return true;
}

describe('POST /leads, a new lead: its writes, then its workflow start', () => {
  const api = useLocalApi({ eventsOff: true });
  let removeGate: (() => void) | undefined;
  afterEach(() => {
    removeGate?.();
    removeGate = undefined;
  });

  const submission = (email: string) => submissionSchema.parse({ email, ...SQL_LEAD });
  /** where a form post stores its event: in the wake's read, before it knows the lead is new (ADR 0057 amended) */
  const SUBMISSION_EVENT_PREFIX = 'EVENT#';
  const deps = (workflow: Workflow): ApiDeps => ({ ...api.runtime.deps, workflow });
  async function storedSortKeys(leadId: string, prefix: string): Promise<string[]> {
    const { Items = [] } = await api.runtime.dynamoDb.send(
      new QueryCommand({
        TableName: LOCAL_TABLE,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
        ExpressionAttributeValues: { ':pk': { S: `LEAD#${leadId}` }, ':prefix': { S: prefix } },
        ConsistentRead: true,
      }),
    );
    return Items.map((item) => item.sk?.S ?? '');
  }

  it("a fact put meeting DynamoDB busy is logged, not the post's failure: the start ran beside it; the lead, due now, and its event are stored, its facts left to the events publisher", async () => {
    // Arrange
    const email = api.uniqueEmail('fact-busy');
    const leadId = api.leadIdOf(email);
    removeGate = onPut(api.runtime.dynamoDb, 'FACT#', async () => {
      throw Object.assign(new Error('throughput exceeded'), {
        name: 'ProvisionedThroughputExceededException',
      });
    });
    const { workflow, starts } = recordingWorkflow();
    const warnings = vi.spyOn(console, 'warn').mockImplementation(() => undefined);

    // Act
    const posting = submitLead(deps(workflow), submission(email), leadId);

    // Assert
    await expect(posting).resolves.toBeDefined();
    const warned = warnings.mock.calls.map(([line]) => String(line));
    warnings.mockRestore();
    expect(
      warned.some((line) => line.includes('report facts left to the events publisher')),
      warned.join('\n'),
    ).toBe(true);
    // the start does not wait for the facts (a lead whose facts failed is still worked)
    expect(starts).toEqual([leadId]);
    const lead = await api.runtime.deps.store.getLead(leadId);
    expect(lead).toMatchObject({ leadId });
    expect(lead?.dueAt).toBe(lead?.createdAt);
    expect(await api.runtime.deps.store.listEvents(leadId)).toHaveLength(1);
    expect(await storedSortKeys(leadId, 'FACT#')).toEqual([]);
  });

  it("a fact put failing otherwise (denied: the deployment's) fails the post, the start having run beside it", async () => {
    // Arrange
    const email = api.uniqueEmail('fact-denied');
    const leadId = api.leadIdOf(email);
    removeGate = onPut(api.runtime.dynamoDb, 'FACT#', async () => {
      throw Object.assign(new Error('not authorized to perform dynamodb:PutItem'), {
        name: 'AccessDeniedException',
      });
    });
    const { workflow, starts } = recordingWorkflow();

    // Act
    const posting = submitLead(deps(workflow), submission(email), leadId);

    // Assert
    await expect(posting).rejects.toThrow('not authorized');
    expect(starts).toEqual([leadId]);
    expect((await api.runtime.deps.store.getLead(leadId))?.dueAt).toBeDefined();
    expect(await storedSortKeys(leadId, 'FACT#')).toEqual([]);
  });

  it('a start that fails still leaves the facts stored (the reconciler starts the lead, due now)', async () => {
    // Arrange
    const email = api.uniqueEmail('start-fails');
    const leadId = api.leadIdOf(email);
    const { workflow, starts } = recordingWorkflow(true);

    // Act
    const posting = submitLead(deps(workflow), submission(email), leadId);

    // Assert
    await expect(posting).rejects.toThrow('StartExecution failed');
    expect(starts).toEqual([leadId]);
    const lead = await api.runtime.deps.store.getLead(leadId);
    expect(lead?.dueAt).toBe(lead?.createdAt);
    const expected = latestFacts(api.sla, lead!).length;
    expect(expected).toBeGreaterThan(0);
    expect(await storedSortKeys(leadId, 'FACT#')).toHaveLength(expected);
  });

  it('does not start the workflow before the submission event is stored', async () => {
    // Arrange
    const email = api.uniqueEmail('event-first');
    const leadId = api.leadIdOf(email);
    const events = door();
    removeGate = onPut(api.runtime.dynamoDb, SUBMISSION_EVENT_PREFIX, events.pass);
    const { workflow, starts } = recordingWorkflow();

    // Act
    const posting = submitLead(deps(workflow), submission(email), leadId);
    const created = await eventually(() => starts.length > 0, 300);
    const factsBeforeEvent = await storedSortKeys(leadId, 'FACT#');
    events.open();
    await posting;

    // Assert: the create and its facts went ahead, the start waited for the event
    expect(created).toBe(false);
    expect(factsBeforeEvent).not.toHaveLength(0);
    expect(starts).toEqual([leadId]);
    expect(await api.runtime.deps.store.listEvents(leadId)).toHaveLength(1);
  });

  it('a submission event that fails: the post answers only once the create and its facts are done, and starts nothing', async () => {
    // Arrange: the create's fact put held until the event's put has failed
    const email = api.uniqueEmail('event-fails');
    const leadId = api.leadIdOf(email);
    const facts = door();
    const removeFacts = onPut(api.runtime.dynamoDb, 'FACT#', facts.pass);
    removeGate = onPut(api.runtime.dynamoDb, SUBMISSION_EVENT_PREFIX, async () => {
      throw Object.assign(new Error('event put failed'), { name: 'InternalServerError' });
    });
    const { workflow, starts } = recordingWorkflow();
    let settled = false;

    // Act
    const posting = submitLead(deps(workflow), submission(email), leadId).finally(() => {
      settled = true;
    });
    const factHeld = await eventually(() => facts.state.waiting > 0);
    const settledWhileHeld = await eventually(() => settled, 100);
    facts.open();

    // Assert
    await expect(posting).rejects.toThrow('event put failed');
    removeFacts();
    expect(factHeld).toBe(true);
    expect(settledWhileHeld).toBe(false);
    expect(starts).toEqual([]);
    const lead = await api.runtime.deps.store.getLead(leadId);
    expect(lead?.dueAt).toBe(lead?.createdAt);
  });

  it('a repeat post stores no fact of a creation and starts nothing', async () => {
    // Arrange
    const email = api.uniqueEmail('repeat');
    const leadId = await api.createLead({ email, ...SQL_LEAD });
    const before = await storedSortKeys(leadId, 'FACT#');
    api.clock.set(new Date(api.clock.now().getTime() + 60_000));
    const { workflow, starts, signals } = recordingWorkflow();

    // Act
    await submitLead(deps(workflow), submission(email), leadId);

    // Assert
    expect(before).not.toHaveLength(0);
    expect(starts).toEqual([]);
    expect(signals).toEqual([leadId]);
    expect(await storedSortKeys(leadId, 'FACT#')).toEqual(before);
  });
});

describe('POST /leads with events out on: facts a failed put lost', () => {
  const api = useLocalApi();

  it('are put by the events publisher once it has published the lead', async () => {
    // Arrange: the create's fact puts fail once (INJECTED FAULT: dynalite cannot refuse one put)
    const email = api.uniqueEmail('facts-repaired');
    const leadId = api.leadIdOf(email);
    let failing = true;
    const removeGate = onPut(api.runtime.dynamoDb, 'FACT#', async () => {
      if (failing)
        throw Object.assign(new Error('throughput exceeded'), {
          name: 'ProvisionedThroughputExceededException',
        });
    });
    const { workflow } = recordingWorkflow();
    const deps: ApiDeps = { ...api.runtime.deps, workflow };
    const warnings = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    await submitLead(deps, submissionSchema.parse({ email, ...SQL_LEAD }), leadId);
    warnings.mockRestore();
    failing = false;
    removeGate();
    const lead = (await api.runtime.deps.store.getLead(leadId))!;
    const expected = latestFacts(api.sla, lead).length;

    // Act: the publisher follows the write (locally after it, and on the sweep)
    await api.runtime.events.sweep();
    await api.runtime.events.idle();

    // Assert
    expect(expected).toBeGreaterThan(0);
    const { Items = [] } = await api.runtime.dynamoDb.send(
      new QueryCommand({
        TableName: LOCAL_TABLE,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
        ExpressionAttributeValues: { ':pk': { S: `LEAD#${leadId}` }, ':prefix': { S: 'FACT#' } },
        ConsistentRead: true,
      }),
    );
    expect(Items).toHaveLength(expected);
  });
});

describe('DynamoDbFactLog: a state with several facts of one change', () => {
  const api = useLocalApi({ eventsOff: true });
  let removeGate: (() => void) | undefined;
  afterEach(() => {
    removeGate?.();
    removeGate = undefined;
  });

  it('puts them at once (one round trip, not one per fact), each once', async () => {
    // Arrange: a new SQL handed to a rep in the same instant: its stage and handover facts
    const at = api.clock.now();
    const email = api.uniqueEmail('several');
    const created = newLeadState(
      api.sla,
      { leadId: api.leadIdOf(email), email, fields: { ...SQL_LEAD }, marketingConsent: false },
      [],
      at,
      'form',
    );
    const handed = withTimeline(
      {
        ...applyToLead(api.sla, created, { kind: 'handedOff', ownerId: 'jonas' }, at, 'workflow', 'handoff')
          .state,
        ownerId: 'jonas',
        ownerSince: at.toISOString(),
        handedOffAt: at.toISOString(),
      },
      { at: at.toISOString(), kind: 'owner', to: 'jonas', by: 'workflow', reasons: [] },
    );
    const facts = latestFacts(api.sla, handed);
    expect(facts.length).toBeGreaterThan(1);
    const gate = door();
    removeGate = onPut(api.runtime.dynamoDb, 'FACT#', gate.pass);
    const log = new DynamoDbFactLog(
      createLeadStoreDocumentClient(api.runtime.dynamoDb),
      LOCAL_TABLE,
      api.sla,
    );

    // Act
    const writing = log.leadWritten(handed);
    const allInFlight = await eventually(() => gate.state.waiting === facts.length);
    gate.open();
    await writing;
    await log.leadWritten(handed);

    // Assert
    expect(allInFlight).toBe(true);
    expect(gate.state.most).toBe(facts.length);
    const { Count } = await api.runtime.dynamoDb.send(
      new QueryCommand({
        TableName: LOCAL_TABLE,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
        ExpressionAttributeValues: { ':pk': { S: `LEAD#${handed.leadId}` }, ':prefix': { S: 'FACT#' } },
        ConsistentRead: true,
      }),
    );
    expect(Count).toBe(facts.length);
  });
});
