/** The lead workflow for a Lambda function: one Step Functions client per container. */
import { SendTaskFailureCommand, SendTaskSuccessCommand, SFNClient } from '@aws-sdk/client-sfn';
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

/** what Step Functions answers for a token that timed out, was used already or belongs to no task */
const SPENT_TOKEN = ['TaskTimedOut', 'TaskDoesNotExist', 'InvalidToken'];

/** SendTaskSuccess for a parked execution; a token that expired or was used already is not an error. */
export async function resumeExecution(sfn: Pick<SFNClient, 'send'>, taskToken: string): Promise<void> {
  try {
    await sfn.send(new SendTaskSuccessCommand({ taskToken, output: '{}' }));
  } catch (error) {
    if (!SPENT_TOKEN.includes((error as Error).name)) throw error;
  }
}

/**
 * SendTaskFailure with a route error (ADR 0036): the Park state's Catch takes the execution on to Handoff,
 * ContinueAsNew or Done. A token already spent (a timeout, a second delivery of this invocation) is not an
 * error: the execution went on without it.
 */
export async function routeExecution(
  sfn: Pick<SFNClient, 'send'>,
  taskToken: string,
  error: string,
  cause: string,
): Promise<void> {
  try {
    await sfn.send(new SendTaskFailureCommand({ taskToken, error, cause }));
  } catch (failure) {
    if (!SPENT_TOKEN.includes((failure as Error).name)) throw failure;
  }
}
