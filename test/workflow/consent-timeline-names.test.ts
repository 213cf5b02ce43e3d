/**
 * The lead's story says where a consent was confirmed in the SLA's words: the form's name, as the
 * console shows it to a person ("the form "Compressed-air efficiency guide""), not its id. Through the
 * real POST /consent/{token} handler and workflow (the harness).
 */
import { describe, expect, it } from 'vitest';
import { exampleLead, workflowHarness } from '../support/workflow-harness.ts';

/** Mon 2026-11-30 08:00Z = 09:00 Berlin */
const T0 = new Date('2026-11-30T08:00:00.000Z');

describe('confirming a subscription, in the lead story', () => {
  it('names the form by the SLA name it has', async () => {
    // Arrange
    const h = workflowHarness({ start: T0 });
    const leadId = await h.submit(exampleLead('cold'));
    await h.advanceTo('2026-11-30T09:00:00.000Z');

    // Act
    const answer = await h.confirmConsent(leadId);

    // Assert
    expect(answer.statusCode).toBe(200);
    const entry = (await h.lead(leadId)).timeline.find((e) => e.kind === 'consent');
    expect(entry?.reasons).toEqual([
      {
        rule: 'consent.confirmed',
        detail: `confirmed the subscription given on the form "Compressed-air efficiency guide" at ${T0.toISOString()}`,
      },
    ]);
  });
});
