/** The park's input as the state machine builds it from a wake's step (statemachines/lead-lifecycle.asl.json). */
import type { ParkInput, StepPayload } from '../../lambdas/tasks/payload.ts';

export const parkInputOf = (step: StepPayload, taskToken: string): ParkInput => ({
  leadId: step.leadId,
  cycle: step.cycle,
  generation: step.generation,
  phase: step.phase!,
  version: step.version!,
  waitSeconds: step.waitSeconds!,
  taskToken,
  sent: step.sent ?? [],
  planned: step.planned ?? null,
});
