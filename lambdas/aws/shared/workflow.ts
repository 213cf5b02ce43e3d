/** The lead workflow for a Lambda function: one Step Functions client per container. */
import { SendTaskSuccessCommand, SFNClient } from '@aws-sdk/client-sfn';
import { StepFunctionsWorkflow } from '../../adapters/step-functions-workflow.ts';
import type { Clock } from '../../ports/clock.ts';
import type { LeadStore } from '../../ports/lead-store.ts';
import type { Workflow } from '../../ports/workflow.ts';
import { ENV, type Env, optionalEnv } from './env.ts';
import { unavailable } from './unavailable.ts';

let client: SFNClient | undefined;

export function sfnClient(): SFNClient {
  client ??= new SFNClient({});
  return client;
}

export function workflow(store: LeadStore, clock: Clock, env: Env = process.env): Workflow {
  const arn = optionalEnv(ENV.stateMachineArn, env);
  if (!arn) return unavailable<Workflow>('the lead workflow');
  return new StepFunctionsWorkflow(sfnClient(), arn, store, clock);
}

/** SendTaskSuccess for a parked execution; a token that expired or was used already is not an error. */
export async function resumeExecution(sfn: Pick<SFNClient, 'send'>, taskToken: string): Promise<void> {
  try {
    await sfn.send(new SendTaskSuccessCommand({ taskToken, output: '{}' }));
  } catch (error) {
    if (!['TaskTimedOut', 'TaskDoesNotExist', 'InvalidToken'].includes((error as Error).name)) throw error;
  }
}
