/**
 * A burst of leads on an account whose Lambda concurrency is 10, as many new accounts start. The local
 * engine refuses a task's invocation while 10 run (`Lambda.TooManyRequestsException`, as Lambda answers a
 * synchronous invoke past the concurrency) and waits between retries on the ASL's own schedule at scale 0.1;
 * every DynamoDB request takes 10 ms more, so invocations last as long as they overlap on AWS.
 *
 * The burst is compared with the same burst without a limit: every email once, no failure recorded, no
 * failed execution, no ops alert. The workflow's tasks only: the API's handlers (the form's own function on
 * AWS, throttled alike there) run outside the engine.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { BURST_OPS, type BurstOutcome, burstLeads, burstOutcome } from '../support/burst.ts';
import { type E2e, startE2e } from '../support/e2e.ts';

const LEADS = Number(process.env.LAMBDA_BURST_LEADS ?? 300);
const CONCURRENCY = Number(process.env.LAMBDA_CONCURRENCY ?? 10);
const SCALE = 0.1;

interface BurstResult extends BurstOutcome {
  readonly ms: number;
}

let e2e: E2e | undefined;
afterEach(async () => {
  await e2e?.close();
  e2e = undefined;
});

async function runBurst(limited: boolean): Promise<BurstResult> {
  e2e = await startE2e({
    rateLimit: { perMinute: 100_000, burst: 10_000 },
    opsEmail: BURST_OPS,
    ...(limited ? { lambdaConcurrency: CONCURRENCY, retryTiming: { scale: SCALE } } : {}),
  });
  e2e.runtime.dynamoDb.middlewareStack.add(
    (next) => async (args) => {
      await new Promise((resolve) => setTimeout(resolve, 10));
      return next(args);
    },
    { step: 'initialize', name: 'roundTrip' },
  );
  const leads = burstLeads(LEADS);
  const started = performance.now();
  const answers = await Promise.all(leads.map((lead) => e2e!.postLead(lead)));
  expect(answers.map((answer) => answer.status)).toEqual(answers.map(() => 202));
  await e2e.settle();
  const ms = performance.now() - started;
  const outcome = await burstOutcome(
    e2e,
    answers.map((answer) => (answer.body as { leadId: string }).leadId),
  );
  return {
    ...outcome,
    ms,
  };
}

describe(`a burst of ${LEADS} leads on a Lambda concurrency of ${CONCURRENCY}`, () => {
  it('runs every workflow through: every email once, no failure, no alert, as without the limit', async () => {
    // Arrange
    const free = await runBurst(false);
    await e2e!.close();
    e2e = undefined;

    // Act
    const limited = await runBurst(true);

    // Assert
    console.info(
      JSON.stringify({
        leads: LEADS,
        concurrency: CONCURRENCY,
        free: { emails: free.emails.size, ms: Math.round(free.ms) },
        limited: {
          failures: limited.failures,
          failedExecutions: limited.failedExecutions,
          opsAlerts: limited.opsAlerts,
          ms: Math.round(limited.ms),
        },
      }),
    );
    expect(free.failures + free.failedExecutions + free.opsAlerts).toBe(0);
    expect(limited.failures).toBe(0);
    expect(limited.failedExecutions).toBe(0);
    expect(limited.opsAlerts).toBe(0);
    expect([...limited.emails.entries()].filter(([, count]) => count > 1)).toEqual([]);
    expect([...limited.emails.keys()].sort()).toEqual([...free.emails.keys()].sort());
  }, 240_000);
});
