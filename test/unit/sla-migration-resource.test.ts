/**
 * The SLA migration on deploy (lambdas/aws/migrate-leads.ts): what the custom resource's function answers
 * CloudFormation, on MemoryLeadStore (it passes the DynamoDB adapter's contract tests) with the migration
 * runner itself. A stranded lead fails the deploy with the lead and the mapping to add, and nothing is
 * written; a mapped lead is rewritten, due now and its execution signalled; the answer reaches the
 * pre-signed URL as CloudFormation reads it (a real HTTP server stands in for S3).
 */
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { MemoryLeadStore } from '../../lambdas/adapters/memory-lead-store.ts';
import {
  type CustomResourceEvent,
  MAX_REASON,
  MIGRATION_RESOURCE_ID,
  migrationResponse,
  respond,
} from '../../lambdas/aws/shared/sla-migration-resource.ts';
import type { LeadState } from '../../lambdas/domain/lead-state.ts';
import { slaHash } from '../../lambdas/domain/sla-hash.ts';
import type { Sla, SlaInput } from '../../lambdas/domain/sla-schema.ts';
import { migrateLeads } from '../../lambdas/tasks/migrate-leads.ts';
import { RecordingWorkflow } from '../../local/recording-workflow.ts';
import { handedOff } from '../support/lead-state.ts';
import { loadDefaultSla } from '../support/sla.ts';

const NOW = new Date('2026-12-02T09:00:00.000Z');
const HANDOFF = '2026-11-30T08:00:00.000Z';
const clock = { now: () => NOW };

/** sla/default.yaml without rep jonas, with the given migrations. */
function slaWithoutJonas(migrations: Partial<SlaInput['migrations']> = {}): Sla {
  const base = loadDefaultSla();
  return {
    ...base,
    version: '2026.12-without-jonas',
    routing: {
      ...base.routing,
      reps: base.routing.reps.filter((rep) => rep.id !== 'jonas'),
      queues: base.routing.queues.map((queue) => ({
        ...queue,
        reps: queue.reps.filter((r) => r !== 'jonas'),
      })),
    },
    migrations: { ...base.migrations, ...migrations },
  } as Sla;
}

function event(sla: Sla, overrides: Partial<CustomResourceEvent> = {}): CustomResourceEvent {
  return {
    RequestType: 'Update',
    ResponseURL: 'https://cloudformation-custom-resource-response.example/',
    StackId: 'arn:aws:cloudformation:eu-central-1:123456789012:stack/LeadPact/1',
    RequestId: 'request-1',
    LogicalResourceId: 'SlaMigrationF25A4593',
    PhysicalResourceId: MIGRATION_RESOURCE_ID,
    ResourceProperties: {
      ServiceToken: 'arn:fn',
      SlaVersion: sla.version,
      SlaHash: slaHash(JSON.stringify(sla)),
    },
    ...overrides,
  };
}

async function jonasLeads(store: MemoryLeadStore, count = 1): Promise<LeadState[]> {
  const leads: LeadState[] = [];
  for (let i = 0; i < count; i++) {
    const lead = handedOff(HANDOFF, 'jonas', {
      leadId: `LeadOfJonas${String(i).padStart(11, '0')}`,
      dueAt: '2026-12-03T10:00:00.000Z',
      waitToken: `token-${i}`,
    });
    expect(await store.createLead(lead)).toBe('created');
    leads.push(lead);
  }
  return leads;
}

beforeEach(() => {
  vi.spyOn(console, 'log').mockImplementation(() => {});
  vi.spyOn(console, 'warn').mockImplementation(() => {});
  vi.spyOn(console, 'error').mockImplementation(() => {});
});
afterEach(() => vi.restoreAllMocks());

describe('the migration resource answers CloudFormation', () => {
  it('a lead the mapping does not cover fails the deploy, naming the lead and the mapping to add; nothing is written', async () => {
    // Arrange
    const store = new MemoryLeadStore();
    const [lead] = await jonasLeads(store);
    const sla = slaWithoutJonas();
    const workflow = new RecordingWorkflow();
    // Act
    const response = await migrationResponse(event(sla), {
      store,
      sla,
      clock,
      workflow,
      migrate: migrateLeads,
    });
    // Assert
    expect(response.Status).toBe('FAILED');
    expect(response.Reason).toContain('would strand 1 lead in flight');
    expect(response.Reason).toContain(`lead ${lead!.leadId}: owner "jonas"`);
    expect(response.Reason).toContain('migrations.reps.jonas: <the id of its successor in this SLA>');
    expect(response).toMatchObject({
      PhysicalResourceId: MIGRATION_RESOURCE_ID,
      RequestId: 'request-1',
      LogicalResourceId: 'SlaMigrationF25A4593',
    });
    expect(await store.getLead(lead!.leadId)).toEqual(lead);
    expect(workflow.calls).toEqual([]);
  });

  it.each(['Create', 'Update'] as const)(
    'on %s a mapped lead is rewritten to the successor, due now, and its parked execution signalled',
    async (requestType) => {
      // Arrange
      const store = new MemoryLeadStore();
      const [lead] = await jonasLeads(store);
      const sla = slaWithoutJonas({ reps: { jonas: 'lena' } });
      const workflow = new RecordingWorkflow();
      // Act
      const response = await migrationResponse(
        event(sla, {
          RequestType: requestType,
          ...(requestType === 'Create' ? { PhysicalResourceId: undefined } : {}),
        }),
        { store, sla, clock, workflow, migrate: migrateLeads },
      );
      // Assert
      expect(response).toMatchObject({
        Status: 'SUCCESS',
        PhysicalResourceId: MIGRATION_RESOURCE_ID,
        Data: { slaVersion: sla.version, checked: '1', migrated: '1' },
      });
      const stored = (await store.getLead(lead!.leadId))!;
      expect(stored.ownerId).toBe('lena');
      expect(stored.dueAt).toBe(NOW.toISOString());
      expect(JSON.stringify(stored.timeline)).toContain('jonas');
      expect((await store.listDueLeads(NOW.toISOString())).map((due) => due.leadId)).toEqual([lead!.leadId]);
      expect(workflow.calls).toEqual([{ action: 'signal', leadId: lead!.leadId, detail: 'SLA migration' }]);
    },
  );

  it('Delete does nothing, whatever the leads refer to', async () => {
    // Arrange
    const store = new MemoryLeadStore();
    const [lead] = await jonasLeads(store);
    const sla = slaWithoutJonas();
    // Act
    const response = await migrationResponse(event(sla, { RequestType: 'Delete' }), {
      store,
      sla,
      clock,
      migrate: migrateLeads,
    });
    // Assert
    expect(response.Status).toBe('SUCCESS');
    expect(await store.getLead(lead!.leadId)).toEqual(lead);
  });

  it('a request for another SLA than the bundled one (a rollback reaching the new code) does nothing', async () => {
    // Arrange
    const store = new MemoryLeadStore();
    const [lead] = await jonasLeads(store);
    const sla = slaWithoutJonas({ reps: { jonas: 'lena' } });
    const other = event(sla, {
      ResourceProperties: { SlaVersion: 'older', SlaHash: slaHash(JSON.stringify(loadDefaultSla())) },
    });
    // Act
    const response = await migrationResponse(other, { store, sla, clock, migrate: migrateLeads });
    // Assert
    expect(response.Status).toBe('SUCCESS');
    expect(await store.getLead(lead!.leadId)).toEqual(lead);
  });

  it('many stranded leads: the reason stays under the 4 KiB CloudFormation takes', async () => {
    // Arrange
    const store = new MemoryLeadStore();
    await jonasLeads(store, 60);
    const sla = slaWithoutJonas();
    // Act
    const response = await migrationResponse(event(sla), { store, sla, clock, migrate: migrateLeads });
    // Assert
    expect(response.Status).toBe('FAILED');
    expect(response.Reason).toContain('would strand 60 leads');
    expect(response.Reason!.length).toBeLessThanOrEqual(MAX_REASON);
    expect(JSON.stringify(response).length).toBeLessThan(4096);
  });
});

describe('respond: the answer PUT to the pre-signed URL', () => {
  it('sends the JSON body with an empty content type, and fails when the URL refuses it', async () => {
    // Arrange: a server in the place of S3's pre-signed URL
    const received: { method?: string; url?: string; headers?: IncomingHttpHeaders; body: string }[] = [];
    const server = createServer((request, reply) => {
      let body = '';
      request.on('data', (chunk) => {
        body += chunk;
      });
      request.on('end', () => {
        received.push({ method: request.method, url: request.url, headers: request.headers, body });
        reply.statusCode = request.url?.includes('expired') ? 403 : 200;
        reply.end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const answer = {
      Status: 'FAILED' as const,
      Reason: 'SLA "x" would strand 1 lead',
      PhysicalResourceId: MIGRATION_RESOURCE_ID,
      StackId: 'stack',
      RequestId: 'request-1',
      LogicalResourceId: 'SlaMigration',
    };
    try {
      // Act
      await respond(`${base}/signed?X-Amz-Signature=abc`, answer);
      const refused = respond(`${base}/expired`, answer);
      // Assert
      await expect(refused).rejects.toThrow('HTTP 403');
      expect(received[0]!.method).toBe('PUT');
      expect(received[0]!.url).toBe('/signed?X-Amz-Signature=abc');
      expect(received[0]!.headers?.['content-type'] ?? '').toBe('');
      expect(JSON.parse(received[0]!.body)).toEqual(answer);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
