/**
 * The Workflow port on AWS Step Functions: StartExecution named from the lead and cycle
 * (a second start of the same name is a no-op), SendTaskSuccess with the token taken off the
 * lead (so one signaller uses it), StopExecution on erase (from the lead's recorded generation on).
 */
import {
  DescribeExecutionCommand,
  SendTaskSuccessCommand,
  type SFNClient,
  StartExecutionCommand,
  StopExecutionCommand,
} from '@aws-sdk/client-sfn';
import type { Clock } from '../ports/clock.ts';
import type { LeadStore } from '../ports/lead-store.ts';
import type { ExecutionState, Executions, SignalledLead, Workflow } from '../ports/workflow.ts';
import { executionName, takeDormancy, takeWaitToken } from './wait-token.ts';

export class StepFunctionsWorkflow implements Workflow {
  /** the reconciler's view of the same executions */
  readonly executions: Executions = {
    state: (leadId, cycle, generation) => this.executionState(leadId, cycle, generation),
    start: (leadId, cycle, generation) => this.startGeneration(leadId, cycle, generation),
    resume: (token) => this.sendSuccess(token),
  };

  constructor(
    private readonly client: SFNClient,
    private readonly stateMachineArn: string,
    private readonly store: LeadStore,
    private readonly clock: Clock,
  ) {}

  async start(leadId: string, cycle: number, generation = 0): Promise<void> {
    await this.startGeneration(leadId, cycle, generation);
  }

  private async startGeneration(
    leadId: string,
    cycle: number,
    generation: number,
  ): Promise<'started' | 'exists'> {
    const input = {
      Payload: { leadId, cycle, generation, loops: 0, startedAt: this.clock.now().toISOString() },
    };
    try {
      await this.client.send(
        new StartExecutionCommand({
          stateMachineArn: this.stateMachineArn,
          name: executionName(leadId, cycle, generation),
          input: JSON.stringify(input),
        }),
      );
      return 'started';
    } catch (error) {
      // the lead's execution for this cycle exists already: starting is idempotent
      if ((error as Error).name !== 'ExecutionAlreadyExists') throw error;
      return 'exists';
    }
  }

  private async executionState(leadId: string, cycle: number, generation: number): Promise<ExecutionState> {
    const arn = this.stateMachineArn.replace(':stateMachine:', ':execution:');
    try {
      const { status } = await this.client.send(
        new DescribeExecutionCommand({
          executionArn: `${arn}:${executionName(leadId, cycle, generation)}`,
        }),
      );
      return status === 'RUNNING' || status === 'PENDING_REDRIVE' ? 'running' : 'ended';
    } catch (error) {
      // never started, or purged (Step Functions keeps ended executions 90 days)
      if ((error as Error).name === 'ExecutionDoesNotExist') return 'missing';
      throw error;
    }
  }

  async signal(lead: SignalledLead, _reason: string): Promise<void> {
    const { leadId, waitToken } = lead;
    if (!waitToken && lead.signalled) {
      // the change's write took the token (withSignalTaken): it is only to be sent; should that fail, the
      // lead is due with the token kept as `signalled`, and the reconciler sends it again
      await this.sendSuccess(lead.signalled).catch((error: Error) =>
        console.error(
          JSON.stringify({ level: 'error', msg: 'signal not delivered', leadId, error: error.name }),
        ),
      );
      return;
    }
    if (!waitToken) {
      // a dormant lead's execution ended with nothing due: this news starts the next generation
      const next = lead.dormant ? await takeDormancy(this.store, leadId, this.clock.now()) : undefined;
      if (!next) return;
      try {
        await this.start(leadId, next.cycle, next.generation);
      } catch (error) {
        // the lead is due now (takeDormancy): the reconciler starts it within minutes; the change
        // that signalled is saved, so its request must not fail
        console.error(
          JSON.stringify({
            level: 'error',
            msg: 'could not start a woken lead',
            leadId,
            error: String(error),
          }),
        );
      }
      return;
    }
    if (!(await takeWaitToken(this.store, leadId, waitToken, this.clock.now()))) return;
    try {
      await this.sendSuccess(waitToken);
    } catch (error) {
      // throttled or failing past the SDK's retries: the change that signalled is saved and the lead is due
      // now, with the token kept as `signalled`; the reconciler sends it again (reconcile.ts). The request
      // that signalled must not fail for it
      console.error(
        JSON.stringify({ level: 'error', msg: 'signal not delivered', leadId, error: (error as Error).name }),
      );
    }
  }

  /** SendTaskSuccess; 'gone' when the park timed out or was resumed meanwhile (its timer path re-reads the lead anyway). */
  private async sendSuccess(token: string): Promise<'resumed' | 'gone'> {
    try {
      await this.client.send(new SendTaskSuccessCommand({ taskToken: token, output: '{}' }));
      return 'resumed';
    } catch (error) {
      if (['TaskTimedOut', 'TaskDoesNotExist', 'InvalidToken'].includes((error as Error).name)) return 'gone';
      throw error;
    }
  }

  /**
   * Stops the lead's executions of the cycle from its recorded generation on: that one, the next (a
   * continue-as-new may be in flight), and any later ones that exist (the reconciler may have walked
   * past ended ones). Older generations are not looked for: they ended before the recorded one began,
   * and Step Functions purges ended executions after 90 days, so their absence says nothing.
   * A missing execution is not an error; stopping an ended one changes nothing.
   */
  async stop(leadId: string, cycle: number, generation: number, execution?: string): Promise<void> {
    const arn = this.stateMachineArn.replace(':stateMachine:', ':execution:');
    // the one last started, by the name recorded on the lead: stopped whatever was purged before it
    const recorded = execution ? generationOf(execution, leadId, cycle) : undefined;
    if (execution && recorded !== undefined) {
      try {
        await this.client.send(
          new StopExecutionCommand({ executionArn: `${arn}:${execution}`, cause: 'lead erased' }),
        );
      } catch (error) {
        if ((error as Error).name !== 'ExecutionDoesNotExist') throw error;
      }
    }
    // the walk (leads recorded before the name was, and a continue-as-new in flight after it)
    const from = Math.max(generation, recorded === undefined ? generation : recorded + 1);
    for (let next = from; next < from + STOP_GENERATIONS; next++) {
      try {
        await this.client.send(
          new StopExecutionCommand({
            executionArn: `${arn}:${executionName(leadId, cycle, next)}`,
            cause: 'lead erased',
          }),
        );
      } catch (error) {
        if ((error as Error).name !== 'ExecutionDoesNotExist') throw error;
        // the recorded generation may never have started (a wake whose start failed), or be purged:
        // its successor is still tried; past that, generations are used in order, so none follow
        if (next > from || recorded !== undefined) return;
      }
    }
  }
}

/** The generation an execution name of this lead and cycle names, or undefined for any other name. */
function generationOf(name: string, leadId: string, cycle: number): number | undefined {
  const prefix = `${leadId}-c${cycle}-g`;
  if (!name.startsWith(prefix)) return undefined;
  const generation = Number(name.slice(prefix.length));
  return Number.isSafeInteger(generation) && generation >= 0 ? generation : undefined;
}

/** generations tried from the recorded one on (as many as the reconciler walks past ended ones) */
const STOP_GENERATIONS = 8;
