/**
 * A request's commit write stops in time for its Lambda function's timeout (ADR 0068). Through the real local
 * server (dynalite, the DynamoDB store, HTTP over a socket) with the API functions' timeout enforced as
 * Lambda enforces it: requests on a lead that kept changing used to try on until middy's early timeout answered
 * 503 "ask again" while their change went on and was stored once the lead calmed down; now each answers 409
 * "retry" in time, and nothing of it is stored. On the store itself: only a commit write (`inTime`) stops early; a write after it (a
 * signal's, a claim given back) keeps its tries, late in the invocation too.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { DynamoDbLeadStore } from '../../lambdas/adapters/dynamodb-lead-store.ts';
import { extendDeps } from '../../lambdas/api/deps.ts';
import { inTime, withInvocationTime } from '../../lambdas/ports/invocation-time.ts';
import { LeadConflictError, type LeadStore, updateLead } from '../../lambdas/ports/lead-store.ts';
import { type RunningServer, startApiServer } from '../../local/http-server.ts';
import { useDynalite } from '../support/dynalite.ts';
import { pastTimeout } from '../support/function-timeout.ts';
import { FIXTURE_LEAD_ID, handedOff } from '../support/lead-state.ts';
import { ADMIN_TOKEN, salesRoutes, useLocalApi } from '../support/local-api.ts';

/** The API functions' timeout here: a fifth of it (400 ms) is kept to finish a request after its last try. */
const TIMEOUT_MS = 2_000;
const REQUESTS = 6;

afterEach(() => {
  vi.restoreAllMocks();
});

describe('API requests on a lead that keeps changing, under a function timeout (real HTTP, dynalite)', {
  timeout: 60_000,
}, () => {
  const api = useLocalApi();
  let server: RunningServer;
  /** while set, every write of that lead by the server below meets another writer's change first */
  let hotLead: string | undefined;
  let changes = 0;

  beforeAll(async () => {
    // The one stand-in: the store the server writes through lands another writer's change of a hot lead (a
    // tracker's stream of events, a CRM sync) just before each of its writes, the instant a real race would,
    // so the contention lasts as long as the test wants, whatever the machine's speed
    const store = api.runtime.deps.store;
    const raced = new Proxy(store, {
      get(target, property, receiver) {
        const value = Reflect.get(target, property, receiver);
        if (property !== 'saveLead') return typeof value === 'function' ? value.bind(target) : value;
        return async (...args: Parameters<LeadStore['saveLead']>) => {
          if (args[0].leadId === hotLead) {
            changes++;
            await updateLead(target, args[0].leadId, (current) => ({
              ...current,
              fields: { ...current.fields, hot: String(changes) },
            }));
          }
          return target.saveLead(...args);
        };
      },
    });
    server = await startApiServer({
      deps: extendDeps(api.runtime.deps, { store: raced }),
      adminToken: ADMIN_TOKEN,
      port: 0,
      rateLimit: { perMinute: 1_000_000, burst: 1_000_000 },
      timeoutMs: TIMEOUT_MS,
    });
  });

  afterAll(async () => {
    await server?.close();
  });

  it('each attempt is answered 409 in time, and none is stored', async () => {
    // Arrange
    const leadId = await salesRoutes(api).handedOffLead('budget');
    hotLead = leadId;

    // Act
    const responses = await Promise.all(
      Array.from({ length: REQUESTS }, (_, i) =>
        fetch(`${server.url}/leads/${leadId}/attempts`, {
          method: 'POST',
          headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
          body: JSON.stringify({ attemptId: `dialer-${i}`, outcome: 'no-answer' }),
        }).then(async (response) => ({ status: response.status, body: (await response.json()) as unknown })),
      ),
    );
    // the lead calms down: a request answered early that went on in the process (Lambda would freeze it, then
    // resume it in its container's next request) now gets its write in; give it the time
    hotLead = undefined;
    await new Promise((resolve) => setTimeout(resolve, TIMEOUT_MS));

    // Assert: "retry", in time, for each; nothing of them stored
    expect(responses.map((response) => response.status)).toEqual(Array(REQUESTS).fill(409));
    for (const { body } of responses) expect(body).toMatchObject({ error: { code: 'conflict' } });
    expect(await api.runtime.deps.store.listAttempts(leadId)).toEqual([]);
    expect(changes).toBeGreaterThan(REQUESTS);
  });
});

describe('a function that runs past its timeout (real HTTP, dynalite)', () => {
  // 5 ms: middy's early timeout (5 ms before it) fires at once; no form post that writes the table is that quick
  const api = useLocalApi({ apiTimeoutMs: 5 });

  it('is answered as on AWS: middy early 503, or API Gateway bare 500 when that had no time to run', async () => {
    // Arrange
    vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    vi.spyOn(console, 'error').mockImplementation(() => undefined);

    // Act
    const response = await api.request('POST', '/leads', {
      json: { email: api.uniqueEmail('slow'), source: 'web' },
    });
    // the post goes on in the process: let it finish before the runtime closes
    await new Promise((resolve) => setTimeout(resolve, 500));

    // Assert
    expect(pastTimeout(response.status, response.text), response.text).toBe(true);
  });
});

describe('which writes stop early, late in an invocation (dynalite)', () => {
  const dynalite = useDynalite();

  it.each([
    ['a commit write (inTime)', true, 'gives up at its first conflict'],
    ['a write after the commit (a signal taking the token, a claim given back)', false, 'keeps its tries'],
  ])('%s %s', async (_what, commit, _outcome) => {
    // Arrange: a lead, an invocation that began with 15 s and has 2 s left (under the 3 s kept)
    const store = new DynamoDbLeadStore(dynalite.doc, { tableName: dynalite.tableName });
    await store.createLead(handedOff('2026-11-30T08:00:00.000Z', 'jonas', { leadId: FIXTURE_LEAD_ID }));
    let left = 15_000;
    const clock = { getRemainingTimeInMillis: () => left };
    let tries = 0;
    // its first try meets another writer's change of the lead (a real conflict on the version)
    const change = async (current: Awaited<ReturnType<typeof store.getLead>> & object) => {
      if (tries++ === 0)
        await updateLead(store, current.leadId, (other) => ({
          ...other,
          updatedAt: '2026-11-30T09:00:00.000Z',
        }));
      return { ...current, status: 'attempting-contact' };
    };

    // Act
    const outcome = await withInvocationTime(clock, async () => {
      left = 2_000;
      const write = () => updateLead(store, FIXTURE_LEAD_ID, change);
      return (commit ? inTime(write) : write()).then(
        (result) => result.result,
        (error: unknown) => (error instanceof LeadConflictError ? 'conflict' : error),
      );
    });

    // Assert
    expect(outcome).toBe(commit ? 'conflict' : 'saved');
    expect(tries).toBe(commit ? 1 : 2);
    expect((await store.getLead(FIXTURE_LEAD_ID))?.status).toBe(commit ? 'new' : 'attempting-contact');
  });
});
