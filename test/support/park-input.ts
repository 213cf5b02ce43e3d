/**
 * The park's input as the state machine builds it from a wake's step (statemachines/lead-lifecycle.asl.json);
 * a step that is no park (end, handoff) gets a contact park of a minute, as tests that park after any wake need.
 */
import type { ParkInput, StepPayload } from '../../lambdas/tasks/payload.ts';

export const parkInputOf = (step: StepPayload, taskToken: string): ParkInput => ({
  leadId: step.leadId,
  cycle: step.cycle,
  generation: step.generation,
  phase: step.phase ?? 'contact',
  version: step.version ?? 0,
  waitSeconds: step.waitSeconds ?? 60,
  taskToken,
  sent: step.sent ?? [],
  planned: step.planned ?? null,
});
