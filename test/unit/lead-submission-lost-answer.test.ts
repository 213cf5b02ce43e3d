/**
 * A form post whose conditional create landed but whose answer was lost: the SDK's own retry then
 * finds the item and the store answers 'exists'. The post made the lead, so it must start its
 * workflow (before: it was treated as a repeat post, signalled nothing, and the lead waited for the
 * reconciler). The lost answer is the fault injected here (INJECTED FAULT: a store that writes and
 * then answers 'exists'); test/e2e/faults.test.ts causes the same through a proxy at random.
 */
import { describe, expect, it } from 'vitest';
import { MemoryLeadStore } from '../../lambdas/adapters/memory-lead-store.ts';
import { submissionSchema } from '../../lambdas/api/lead-submission.ts';
import { submitLead } from '../../lambdas/api/leads-public.ts';
import { leadIdFor } from '../../lambdas/domain/lead-id.ts';
import type { LeadState } from '../../lambdas/domain/lead-state.ts';
import { RecordingWorkflow } from '../../local/recording-workflow.ts';
import { exampleLead } from '../support/e2e.ts';
import { loadDefaultSla } from '../support/sla.ts';

class LostCreateAnswerStore extends MemoryLeadStore {
  override async createLead(state: LeadState): Promise<'created' | 'exists'> {
    await super.createLead(state);
    return 'exists';
  }
}

describe('a form post whose create answer was lost', () => {
  it.each([
    ['the create landed, its answer was lost', true],
    ['a genuine repeat post of a known email', false],
  ])('%s', async (_name, lost) => {
    // Arrange
    const sla = loadDefaultSla();
    const store = lost ? new LostCreateAnswerStore() : new MemoryLeadStore();
    const workflow = new RecordingWorkflow();
    const clock = { now: () => new Date('2026-11-30T08:00:00.000Z') };
    const deps = { sla, store, workflow, clock, leadIdSecret: 's'.repeat(32), allowedOrigins: [] };
    const submission = submissionSchema.parse(exampleLead('hot'));
    const leadId = leadIdFor(submission.email, deps.leadIdSecret);
    if (!lost) await submitLead(deps, submission, leadId);
    workflow.calls.length = 0;
    // Act
    await submitLead(deps, submission, leadId);
    // Assert
    const lead = (await store.getLead(leadId))!;
    const submitted = lead.timeline.filter((entry) => entry.kind === 'submitted');
    if (lost) {
      expect(workflow.calls.map((call) => call.action)).toEqual(['start']);
      expect(submitted).toEqual([]);
      expect(lead.version).toBe(1);
    } else {
      expect(workflow.calls.map((call) => call.action)).toEqual(['signal']);
      expect(submitted).toHaveLength(1);
    }
  });
});
