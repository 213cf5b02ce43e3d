/**
 * A new lead's form post: the workflow starts once both the submission event and the state are stored
 * (the first wake judges the lead on its events), and beside the create's report facts rather than after
 * them (two round trips in turn, not three: bench/ingest.ts). The writes' latency is what is varied here:
 * a slow event write, slow report facts (an observer that waits), each in turn.
 */
import { describe, expect, it } from 'vitest';
import { MemoryLeadStore } from '../../lambdas/adapters/memory-lead-store.ts';
import { observeWrites } from '../../lambdas/adapters/observed-lead-store.ts';
import { submissionSchema } from '../../lambdas/api/lead-submission.ts';
import { submitLead } from '../../lambdas/api/leads-public.ts';
import { leadIdFor } from '../../lambdas/domain/lead-id.ts';
import type { StoredEvent } from '../../lambdas/ports/lead-store.ts';
import type { Workflow } from '../../lambdas/ports/workflow.ts';
import { exampleLead } from '../support/e2e.ts';
import { loadDefaultSla } from '../support/sla.ts';

const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

class SlowEventStore extends MemoryLeadStore {
  constructor(private readonly eventMs: number) {
    super();
  }
  override async appendEvent(leadId: string, event: StoredEvent): Promise<'appended' | 'duplicate'> {
    await wait(this.eventMs);
    return super.appendEvent(leadId, event);
  }
}

describe("a new lead's workflow start", () => {
  it.each([
    ['the event write is the slow one', 30, 0],
    ['the report facts are the slow ones', 0, 30],
  ])(
    '%s: it starts after the event and the state are stored, beside the facts',
    async (_, eventMs, factsMs) => {
      // Arrange
      const sla = loadDefaultSla();
      const log: string[] = [];
      const inner = new SlowEventStore(eventMs);
      const store = observeWrites(inner, {
        leadWritten: async () => {
          log.push('facts start');
          await wait(factsMs);
          log.push('facts end');
        },
      });
      const workflow: Pick<Workflow, 'start' | 'signal'> = {
        start: async (leadId) => {
          const events = await inner.listEvents(leadId);
          const state = await inner.getLead(leadId);
          log.push(`start (${events.length} event, ${state ? 'state' : 'no state'})`);
        },
        signal: async () => undefined,
      };
      const clock = { now: () => new Date('2026-11-30T08:00:00.000Z') };
      const deps = {
        sla,
        store,
        workflow: workflow as Workflow,
        clock,
        leadIdSecret: 's'.repeat(32),
        allowedOrigins: [],
      };
      const submission = submissionSchema.parse(exampleLead('hot'));

      // Act
      await submitLead(deps, submission, leadIdFor(submission.email, deps.leadIdSecret));

      // Assert
      expect(log).toContain('start (1 event, state)');
      expect(log.filter((line) => line.startsWith('start'))).toHaveLength(1);
      // beside the facts: with slow facts the start comes before their end
      if (factsMs > 0) expect(log).toEqual(['facts start', 'start (1 event, state)', 'facts end']);
    },
  );
});
