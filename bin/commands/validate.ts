import { parseArgs } from 'node:util';
import { parseSla, type SlaError } from '../../lambdas/domain/sla-file.ts';
import { formatSlaNote, slaNotes } from '../../lambdas/domain/sla-notes.ts';
import type { Sla } from '../../lambdas/domain/sla-schema.ts';
import { type CliIo, DEFAULT_SLA_FILE, readInput } from './io.ts';

/**
 * `leadpact sla validate [file]`: 0 and a one-line summary (and on stderr the SLA's notes: sla-notes.ts), or 1 and
 * every error with its place.
 */
export function validateCommand(args: readonly string[], io: CliIo): number {
  const { positionals } = parseArgs({ args: [...args], allowPositionals: true, strict: true });
  const file = positionals[0] ?? DEFAULT_SLA_FILE;
  const result = parseSla(readInput(io, file, 'SLA file'));
  if (!result.ok) {
    io.err(formatSlaErrors(file, result.errors));
    return 1;
  }
  io.out(`${file}: valid. ${summarise(result.sla)}`);
  // what the law on marketing email asks that the file leaves out: on stderr, the exit stays 0
  for (const note of slaNotes(result.sla)) io.err(`${file}: ${formatSlaNote(note)}`);
  return 0;
}

export function formatSlaErrors(file: string, errors: readonly SlaError[]): string {
  const lines = errors.map(
    (e) => `${file}:${e.line}:${e.column}  ${e.path ? `${e.path}: ` : ''}${e.message}`,
  );
  return `${lines.join('\n')}\n${file}: ${errors.length} error${errors.length === 1 ? '' : 's'}`;
}

function summarise(sla: Sla): string {
  const count = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
  return [
    `SLA "${sla.version}"`,
    count(sla.leadTypes.length, 'lead type'),
    count(sla.personas.length, 'persona'),
    count(sla.routing.queues.length, 'queue'),
    count(sla.routing.reps.length, 'rep'),
    count(sla.contact.cadences.length, 'cadence'),
    `MQL at ${sla.scoring.thresholds.mql}, SQL at ${sla.scoring.thresholds.sql}`,
    `first touch within ${sla.handoff.firstTouchWithin.text}`,
  ].join(', ');
}
