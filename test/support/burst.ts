/**
 * A burst of leads through the local runtime and what it left (the AWS-quota tests, ADR 0051: an SES rate,
 * Lambda's concurrency): half hot (a "New SQL" email to a rep), half cold with consent (the lead's
 * confirmation email), every email counted once per recipient and subject.
 */
import { type E2e, exampleLead, type Mail } from './e2e.ts';

/** The ops address the burst tests give the runtime: an alert to it is a failure told. */
export const BURST_OPS = 'ops@kessler-industrial.example';

export interface BurstOutcome {
  /** `to | subject` -> how many times (a rep's address as "a rep": which rep depends on the handoffs' order) */
  readonly emails: Map<string, number>;
  readonly failures: number;
  readonly failedExecutions: number;
  readonly opsAlerts: number;
}

/** `count` leads of distinct people, hot and cold in turn. */
export function burstLeads(count: number): Record<string, unknown>[] {
  return Array.from({ length: count }, (_, i) =>
    i % 2 === 0
      ? { ...exampleLead('hot'), email: `buyer${i}@plant-${i}.example`, firstName: `Buyer${i}` }
      : { ...exampleLead('cold'), email: `reader${i}@garage-${i}.example`, firstName: `Reader${i}` },
  );
}

/** What the burst of `leadIds` left: its emails, failures on the leads' timelines, failed executions, ops alerts. */
export async function burstOutcome(
  e2e: E2e,
  leadIds: readonly string[],
): Promise<BurstOutcome & { mails: Mail[] }> {
  const views = await Promise.all(leadIds.map((leadId) => e2e.readLead(leadId)));
  const mails = await e2e.mails();
  const reps = new Set(e2e.sla.routing.reps.map((rep) => rep.email));
  const emails = new Map<string, number>();
  for (const mail of mails) {
    const key = `${mail.to.map((to) => (reps.has(to) ? 'a rep' : to)).join(',')} | ${mail.subject}`;
    emails.set(key, (emails.get(key) ?? 0) + 1);
  }
  return {
    mails,
    emails,
    failures: views.flatMap((view) => view.timeline.filter((entry) => entry.kind === 'failure')).length,
    failedExecutions: [...e2e.runtime.engine.allExecutions()].filter((run) => run.status === 'FAILED').length,
    opsAlerts: mails.filter((mail) => mail.to.includes(BURST_OPS)).length,
  };
}
