/** An execution's states as tests read them: in rounds, each waiting Park named with its phase. */
import type { LocalExecution } from '../../local/step-functions.ts';

/**
 * The states an execution entered, each Park that waited named with the phase it waited in ('Park:contact',
 * as AWS's history shows it in the Park state's input); a Park that routed the step on (to Handoff,
 * ContinueAsNew or Done: ADR 0036) stays 'Park'.
 */
export function labelledStates(execution: LocalExecution): string[] {
  let parks = 0;
  return execution.statesVisited.map((state) => {
    if (state !== 'Park') return state;
    const phase = execution.parkedIn[parks++];
    return phase ? `Park:${phase}` : state;
  });
}

/** The states an execution entered after the first `from`, in rounds that each end parked or finished. */
export function roundsOf(execution: LocalExecution, from = 0): string[][] {
  const rounds: string[][] = [];
  let round: string[] = [];
  for (const state of labelledStates(execution).slice(from)) {
    round.push(state);
    if (/^(Park:\w+|Done|Failed)$/.test(state)) {
      rounds.push(round);
      round = [];
    }
  }
  if (round.length) rounds.push(round);
  return rounds;
}
