/**
 * A writer that runs without the SLA (the bounce handler: lambdas/aws/mail-feedback.ts, its store from
 * lambdas/aws/shared/store.ts `leadStore()`) cannot carry the report facts' walk (ADR 0030). Should its write
 * move the oldest timeline entries off the lead (ADR 0032: whenever the tail holds 16), the lead's carry is
 * gone for good, and every later change's facts count attempts and stage times from the tail alone. On
 * dynalite, with both stores built as the Lambda functions build them.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { DynamoDbLeadQueries } from '../../lambdas/adapters/dynamodb-lead-queries.ts';
import { ENV } from '../../lambdas/aws/shared/env.ts';
import { applyMailFeedback } from '../../lambdas/aws/shared/mail-feedback.ts';
import { leadStore } from '../../lambdas/aws/shared/store.ts';
import {
  type LeadState,
  newLeadState,
  type TimelineEntry,
  withTimeline,
} from '../../lambdas/domain/lead-state.ts';
import { factsOf, type LeadFact } from '../../lambdas/domain/report-facts.ts';
import { updateLead } from '../../lambdas/ports/lead-store.ts';
import { useDynalite, useLambdaEnvironment } from '../support/dynalite.ts';
import { loadDefaultSla } from '../support/sla.ts';

const sla = loadDefaultSla();
const T0 = Date.parse('2026-11-02T08:00:00.000Z');
const HOUR = 3_600_000;
const LEAD_ID = 'LeadBouncedFacts000001';
const EMAIL = 'petra@brauhaus.example';

/** an entry an hour: nurtured past two tails, an SQL handed to Jonas, 20 attempts, connected */
function story(): TimelineEntry[] {
  let hour = 1;
  const entry = (fields: Omit<TimelineEntry, 'at' | 'reasons'>): TimelineEntry => ({
    at: new Date(T0 + HOUR * hour++).toISOString(),
    reasons: [{ rule: 'fixture', detail: 'one change of a long story' }],
    ...fields,
  });
  const judged = () => entry({ kind: 'judged', from: 'mql/nurturing', to: 'mql/nurturing', by: 'workflow' });
  const attempt = () =>
    entry({ kind: 'attempt', from: 'sql/attempting-contact', to: 'sql/attempting-contact', by: 'rep:jonas' });
  return [
    entry({ kind: 'stage', from: 'lead/new', to: 'mql/nurturing', by: 'workflow' }),
    ...Array.from({ length: 32 }, judged),
    entry({ kind: 'stage', from: 'mql/nurturing', to: 'sql/new', by: 'workflow' }),
    entry({ kind: 'owner', to: 'jonas', by: 'workflow' }),
    ...Array.from({ length: 20 }, attempt),
    entry({ kind: 'stage', from: 'sql/attempting-contact', to: 'opportunity/connected', by: 'rep:jonas' }),
  ];
}

const identity = (fact: LeadFact) => `${fact.kind}@${fact.at}#${fact.seq}`;
const attemptNos = (facts: readonly LeadFact[]) =>
  facts
    .filter((fact) => fact.kind === 'attempt')
    .sort((a, b) => identity(a).localeCompare(identity(b)))
    .map((fact) => fact.attemptNo);

describe('report facts when a writer without the SLA writes a lead whose tail is full', () => {
  const dynamo = useDynalite();
  // the Lambda environment the stores are built from: the table, and the SDK pointed at dynalite
  useLambdaEnvironment(dynamo);
  beforeEach(() => {
    vi.spyOn(console, 'info').mockImplementation(() => undefined);
  });
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('a bounce marks the lead undeliverable mid-cadence: the later attempts are still numbered from the handover', async () => {
    // Arrange: the workflow's and the API's store (with the SLA), and the bounce handler's (without)
    const env = { [ENV.tableName]: dynamo.tableName };
    const runtime = leadStore(env, sla);
    const feedback = leadStore(env);
    let whole = newLeadState(
      sla,
      { leadId: LEAD_ID, email: EMAIL, fields: { country: 'DE' }, marketingConsent: false },
      [],
      new Date(T0),
      'form',
    );
    expect(await runtime.createLead(whole)).toBe('created');
    // Act: change after change; the first time the tail holds 16 entries after the handover, a nurture email
    // sent earlier bounces
    let bounced = false;
    for (const entry of story()) {
      const stored = (await runtime.getLead(LEAD_ID))!;
      if (!bounced && whole.timeline.some((e) => e.kind === 'owner') && stored.timeline.length === 16) {
        const outcome = await applyMailFeedback(
          { store: feedback, clock: { now: () => new Date(Date.parse(stored.updatedAt) + 1000) } },
          {
            eventType: 'Bounce',
            bounce: { bounceType: 'Permanent', bouncedRecipients: [{ emailAddress: EMAIL }] },
            mail: { tags: { leadId: [LEAD_ID], kind: ['nurture'] } },
          },
        );
        expect(outcome).toBe('marked');
        const marked = (await runtime.getLead(LEAD_ID))!;
        whole = withTimeline({ ...whole, undeliverable: true }, marked.timeline.at(-1)!);
        bounced = true;
      }
      const change = (current: LeadState) => ({ ...withTimeline(current, entry), updatedAt: entry.at });
      whole = change(whole);
      expect((await updateLead(runtime, LEAD_ID, change)).result).toBe('saved');
    }
    // Assert: the attempts' facts the writes stored are those of the whole story (1, 2, ... 20)
    expect(bounced).toBe(true);
    const facts = (
      await new DynamoDbLeadQueries(dynamo.doc, dynamo.tableName).listFacts('2026-11-01', '2026-12-31')
    ).filter((fact) => fact.leadId === LEAD_ID);
    const expected = factsOf(sla, whole);
    expect(attemptNos(expected)).toHaveLength(20);
    expect(attemptNos(facts)).toEqual(attemptNos(expected));
  });
});
