/**
 * POST /sla/impact stays under Lambda's 6 MB response limit when the change touches many leads in flight: at
 * 100x (100,000-150,000 open leads, docs/scaling.md) a rep removed or a threshold moved lists tens of thousands
 * of leads, ~350 bytes each. The handler runs on an in-memory store holding 20,000 leads of a removed rep (what
 * DynamoDB would hand it within its 10 s; dynalite takes minutes to hold them), its answer measured as Lambda
 * returns it. Before the fix it listed every one: 6.55 MB, Lambda's "Response payload size exceeded" on AWS.
 */
import type { Context } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { MemoryLeadStore } from '../../lambdas/adapters/memory-lead-store.ts';
import type { HttpEvent, HttpResult } from '../../lambdas/api/http.ts';
import { slaImpactHandler } from '../../lambdas/api/sla-impact.ts';
import { LAMBDA_RESPONSE_LIMIT_BYTES, lambdaResponseBytes } from '../../local/http-server.ts';
import { handedOff } from '../support/lead-state.ts';
import { useLocalApi } from '../support/local-api.ts';
import { personEvent } from '../support/person-event.ts';
import { changedSlaText } from '../support/sla-change.ts';

const LEADS = 20_000;

describe('POST /sla/impact with 20,000 leads of a removed rep', () => {
  const api = useLocalApi();

  it('lists the leads that fit under the limit and counts the rest', async () => {
    // Arrange: jonas's leads in flight; the new file removes jonas with no successor
    const store = new MemoryLeadStore();
    for (let i = 0; i < LEADS; i++) {
      await store.createLead(
        handedOff('2026-11-30T09:00:00.000Z', 'jonas', {
          leadId: `Lead${String(i).padStart(18, '0')}`,
          email: `petra.lange.${i}@stadtwerke-nordkraft-industrial.example`,
          stage: 'sql',
          dueAt: '2026-12-01T09:00:00.000Z',
        }),
      );
    }
    const { queries: _queries, ...deps } = api.runtime.deps;
    const handler = slaImpactHandler({ ...deps, store }, 600_000);
    const event = {
      ...personEvent('POST /sla/impact', 'admin', ''),
      headers: { 'content-type': 'application/yaml' },
      body: changedSlaText(),
    } as HttpEvent;

    // Act
    const result = (await handler(event, {} as Context)) as HttpResult;

    // Assert
    expect(result.statusCode, String(result.body).slice(0, 300)).toBe(200);
    expect(lambdaResponseBytes(result)).toBeLessThan(LAMBDA_RESPONSE_LIMIT_BYTES);
    const { impact } = JSON.parse(String(result.body)) as {
      impact: { checked: number; stranded: number; leads: { leadId: string }[]; leadsOmitted?: number };
    };
    expect(impact.checked).toBe(LEADS);
    expect(impact.stranded).toBe(LEADS);
    expect(impact.leads.length).toBeGreaterThan(1000);
    expect(impact.leads.length + (impact.leadsOmitted ?? 0)).toBe(LEADS);
    // the first by id, as listed before
    expect(impact.leads[0]?.leadId).toBe(`Lead${'0'.repeat(18)}`);
  }, 120_000);
});
