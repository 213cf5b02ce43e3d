/**
 * A burst of leads against SES's sending rate (ADR 0051). The local SES refuses sends over its rate as SES
 * does (`TooManyRequestsException`, "Maximum sending rate exceeded."), and the local engine waits between
 * task retries on the ASL's own schedule, both scaled by the same factor: at scale 0.1, 10 emails a second
 * and 300 leads (one email each at first: a backlog of 30 s) stand for AWS's 1 a second (the sandbox) and
 * 300 s, or 14 a second and ~4,200 leads imported at once.
 *
 * The burst is compared with the same burst through an SES without a rate: every email once (recipient
 * and subject), no failure recorded, no failed execution, no ops alert, no handoff fallback alarmed. Before
 * ADR 0051 a throttled send took the generic task retries (6, capped at 60 s: ~1 minute on average, 2 at
 * most on AWS) and then RecordFailure: here 21 to 53 of the 300 leads failed (their first email waited for
 * the reconciler, 5 minutes later), ops got one alert per failed lead (itself throttled), and Advance
 * logged the alarmed handoff fallback for ~86 leads.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { HANDOFF_FALLBACK_MESSAGE } from '../../lambdas/tasks/payload.ts';
import { BURST_OPS, type BurstOutcome, burstLeads, burstOutcome } from '../support/burst.ts';
import { type E2e, startE2e } from '../support/e2e.ts';

const LEADS = Number(process.env.SES_RATE_LEADS ?? 300);
const RATE = Number(process.env.SES_RATE ?? 10);
const SCALE = Number(process.env.SES_RATE_SCALE ?? 0.1);

interface BurstResult extends BurstOutcome {
  readonly throttled: number;
  /** Advance's alarmed "handoff failed" warnings (lib/alarms.ts HandoffFallbacks) */
  readonly fallbacksAlarmed: number;
  /** real ms from the first post until every workflow settled */
  readonly ms: number;
  /** virtual seconds the run moved on after the burst settled */
  readonly waited: number;
}

let e2e: E2e | undefined;
afterEach(async () => {
  await e2e?.close();
  e2e = undefined;
  vi.restoreAllMocks();
});

async function runBurst(rated: boolean, expected = 0): Promise<BurstResult> {
  e2e = await startE2e({
    rateLimit: { perMinute: 100_000, burst: 10_000 },
    opsEmail: BURST_OPS,
    ...(rated ? { mailRate: RATE, retryTiming: { scale: SCALE } } : {}),
  });
  const logged = vi.spyOn(console, 'error');
  const started = performance.now();
  const answers = await Promise.all(burstLeads(LEADS).map((lead) => e2e!.postLead(lead)));
  expect(answers.map((answer) => answer.status)).toEqual(answers.map(() => 202));
  await e2e.settle();
  // a failed send parks its lead for a second (the next wake sends it at once): virtual time moves on by
  // seconds, as real time does on AWS, until the emails the clean run sent are out or a minute passed
  let waited = 0;
  while (waited < 60 && (await e2e.mails()).length < expected) {
    await e2e.advanceBy(1000);
    waited++;
  }
  const ms = performance.now() - started;
  const outcome = await burstOutcome(
    e2e,
    answers.map((answer) => (answer.body as { leadId: string }).leadId),
  );
  return {
    ...outcome,
    throttled: e2e.runtime.mail.throttledSends?.() ?? 0,
    fallbacksAlarmed: logged.mock.calls.filter((call) => String(call[0]).includes(HANDOFF_FALLBACK_MESSAGE))
      .length,
    ms,
    waited,
  };
}

describe(`a burst of ${LEADS} leads against an SES rate of ${RATE}/s (ADR 0051)`, () => {
  it('sends every email once, records no failure and alerts nobody, as without a rate', async () => {
    // Arrange: what the burst sends when SES takes everything
    const clean = await runBurst(false);
    await e2e!.close();
    e2e = undefined;

    // Act: the same burst, SES refusing sends over its rate
    const rated = await runBurst(
      true,
      [...clean.emails.values()].reduce((sum, count) => sum + count, 0),
    );

    // Assert
    console.info(
      JSON.stringify({
        leads: LEADS,
        rate: RATE,
        scale: SCALE,
        clean: { emails: clean.emails.size, ms: Math.round(clean.ms) },
        rated: {
          emails: [...rated.emails.values()].reduce((sum, count) => sum + count, 0),
          throttled: rated.throttled,
          failures: rated.failures,
          failedExecutions: rated.failedExecutions,
          opsAlerts: rated.opsAlerts,
          fallbacksAlarmed: rated.fallbacksAlarmed,
          ms: Math.round(rated.ms),
          virtualSeconds: rated.waited,
        },
      }),
    );
    expect(clean.failures + clean.failedExecutions + clean.opsAlerts).toBe(0);
    expect(rated.throttled).toBeGreaterThan(0);
    expect(rated.failures).toBe(0);
    expect(rated.failedExecutions).toBe(0);
    expect(rated.opsAlerts).toBe(0);
    expect(rated.fallbacksAlarmed).toBe(0);
    expect([...rated.emails.entries()].filter(([, count]) => count > 1)).toEqual([]);
    expect([...rated.emails.keys()].sort()).toEqual([...clean.emails.keys()].sort());
  }, 240_000);
});
