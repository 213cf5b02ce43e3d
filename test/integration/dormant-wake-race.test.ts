/**
 * A dormant lead woken while the execution that made it dormant is still at work. The wake that sends the
 * last nurture email of a track writes the lead dormant and sends; when that write's answer is lost, it reads
 * the lead again, and a signal in between (here: engagement that makes the lead an SQL) found it dormant and
 * started the next generation (takeDormancy). The older execution must then leave the lead to it: else both
 * hand it off and both keep waking it, every timed action twice, for the rest of its life. On DynamoDB (dynalite) with the real ASL on
 * the local engine (aws-local-stepfunctions), the real tasks and the real events route.
 */
import { readFileSync } from 'node:fs';
import type { Context } from 'aws-lambda';
import { describe, expect, it, vi } from 'vitest';
import { DynamoDbLeadStore } from '../../lambdas/adapters/dynamodb-lead-store.ts';
import type { HttpEvent, HttpResult } from '../../lambdas/api/http.ts';
import { postEventsHandler } from '../../lambdas/api/lead-events.ts';
import { storyCarrier } from '../../lambdas/domain/story-carry.ts';
import { useDynalite } from '../support/dynalite.ts';
import { roundsOf } from '../support/rounds.ts';
import { loadDefaultSla } from '../support/sla.ts';
import { exampleLead, workflowHarness } from '../support/workflow-harness.ts';

const sla = loadDefaultSla();
/** Mon 2026-11-30 08:00Z = 09:00 Berlin */
const T0 = new Date('2026-11-30T08:00:00.000Z');
/** its two page views (examples/events/cold-engagement.json starts with them) */
const pageViews = (
  JSON.parse(readFileSync('examples/events/cold-engagement.json', 'utf8')) as {
    events: Record<string, unknown>[];
  }
).events.slice(0, 2);
/** webinars, clicks, a demo request and pricing views: an SQL (as in test/workflow/engine.test.ts) */
const toSql = [
  { eventId: 'webinar-1', type: 'webinar_attended', occurredAt: '2026-12-07T07:00:00Z' },
  { eventId: 'webinar-2', type: 'webinar_attended', occurredAt: '2026-12-07T07:30:00Z' },
  ...[1, 2, 3, 4, 5].map((i) => ({
    eventId: `click-${i}`,
    type: 'email_click',
    occurredAt: `2026-12-07T07:4${i}:00Z`,
  })),
  { eventId: 'demo-1', type: 'demo_request', occurredAt: '2026-12-07T07:54:00Z' },
  { eventId: 'pricing-1', type: 'pricing_page_view', occurredAt: '2026-12-07T07:54:10Z' },
  { eventId: 'pricing-2', type: 'pricing_page_view', occurredAt: '2026-12-07T07:54:20Z' },
];

describe('a dormant lead woken while its ending wake still sends', () => {
  const dynalite = useDynalite();

  it('the next generation takes the lead; the one that made it dormant records its email and ends', async () => {
    // Arrange: a cold lead nurtured on track decision-makers (2 emails); the second, on Mon 12-07, is its last
    const store = new DynamoDbLeadStore(dynalite.doc, {
      tableName: dynalite.tableName,
      carry: storyCarrier(sla),
    });
    const h = workflowHarness({ start: T0, sla, store });
    const leadId = await h.submit(exampleLead('cold'));
    expect((await h.confirmConsent(leadId)).statusCode).toBe(200);
    expect((await h.postEvents(leadId, pageViews)).statusCode).toBe(200);
    // INJECTED FAULT: the wake's dormant write lands and its answer is lost; the engagement (the events
    // route: its write, its signal) lands before the SDK's retry reads the item back, so the store answers
    // 'conflict' (DynamoDbLeadStore.saveLead) and the wake reads the lead again, woken
    const save = store.saveLead.bind(store);
    let response: HttpResult | undefined;
    vi.spyOn(store, 'saveLead').mockImplementation(async (state, expected, stored) => {
      const result = await save(state, expected, stored);
      if (response || !state.dormant || stored?.dormant) return result;
      const path = `/leads/${leadId}/events`;
      response = await postEventsHandler(h.apiDeps)(
        {
          version: '2.0',
          routeKey: 'POST /leads/{id}/events',
          rawPath: path,
          rawQueryString: '',
          headers: { 'content-type': 'application/json' },
          pathParameters: { id: leadId },
          requestContext: { http: { method: 'POST', path }, authorizer: { principalId: 'test' } },
          body: JSON.stringify({ events: toSql }),
          isBase64Encoded: false,
        } as unknown as HttpEvent,
        {} as Context,
      );
      return 'conflict';
    });
    // Act: the last email, then the first day of the handoff's first-touch ladder
    await h.advanceTo('2026-12-08T00:00:00.000Z');
    // Assert: the signal started generation 2 (the lead was dormant when it came)
    expect(JSON.parse(response?.body ?? '{}')).toMatchObject({ stage: 'sql' });
    const executions = h.executions(leadId);
    const g1 = executions.find((execution) => execution.generation === 1)!;
    const g2 = executions.find((execution) => execution.generation === 2)!;
    expect(g2.status).toBe('PARKED');
    // generation 1 ended after its dormant wake: one execution works the lead, not two
    expect(g1.status).toBe('SUCCEEDED');
    expect(roundsOf(g1).at(-1)?.at(-1)).toBe('Done');
    expect(executions.filter((execution) => execution.status === 'PARKED')).toHaveLength(1);
    // one handoff (one rotation turn, one owner), each email once
    const handovers = (await h.lead(leadId)).timeline.filter((entry) => entry.kind === 'owner');
    expect(handovers).toHaveLength(1);
    const kinds = h.notificationsOf(leadId).map((n) => `${n.kind}:${n.to}:${n.detail ?? ''}`);
    expect(kinds.filter((kind) => kind === 'nurture:lead:decision-makers#1')).toHaveLength(1);
    expect(kinds.filter((kind) => kind.startsWith('sqlAssigned'))).toHaveLength(1);
    expect(new Set(kinds).size).toBe(kinds.length);
    const lead = await h.lead(leadId);
    expect(lead).toMatchObject({ stage: 'sql', generation: 2, execution: `${leadId}-c1-g2` });
    expect(lead.sent.filter((key) => key.startsWith('nurture:'))).toHaveLength(2);
    expect(lead.waitToken).toBeDefined();
  });
});
