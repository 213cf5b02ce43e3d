/**
 * The SLA a report's page names things by (`leadpact report --url ... --html`): the SLA file at hand, when it is the
 * version the server reported against. Any other file would name stages, reps and queues by another agreement, so
 * the page then keeps the report's own names and says so on stderr: which file was read, which version the server
 * reports, and how to pass the right one. A file named with --sla must be readable; the default one may be absent.
 */
import { parseSla } from '../../lambdas/domain/sla-file.ts';
import type { SlaReport } from '../../lambdas/domain/sla-report.ts';
import type { Sla } from '../../lambdas/domain/sla-schema.ts';
import { type CliIo, DEFAULT_SLA_FILE, readInput } from './io.ts';
import { formatSlaErrors } from './validate.ts';

/** The SLA of `report` from `file` (--sla), else from the default file; undefined, said on stderr, when it is not. */
export function slaOfReport(io: CliIo, report: SlaReport, file: string | undefined): Sla | undefined {
  const path = file ?? DEFAULT_SLA_FILE;
  const read = readSlaFile(io, path, file !== undefined);
  if (read.sla?.version === report.sla.version) return read.sla;
  io.err(
    [
      `leadpact report: ${read.sla ? `${path} is SLA version ${read.sla.version}` : `no SLA read (${read.why})`}, ` +
        `the server reports version ${report.sla.version} ("${report.sla.name}").`,
      `  The page names stages, reps and queues as the report does (by their SLA name, not their names in the page's language)` +
        `${report.sla.timeZone ? ` and reads its dates in ${report.sla.timeZone}, the zone the report states` : ''}.`,
      `  For the SLA's own names, pass the SLA file the server runs: --sla sla/<file>.yaml (version ${report.sla.version}).`,
    ].join('\n'),
  );
  return undefined;
}

function readSlaFile(io: CliIo, path: string, named: boolean): { sla?: Sla; why?: string } {
  let text: string;
  try {
    text = readInput(io, path, 'SLA file');
  } catch (error) {
    if (named) throw error;
    return { why: (error as Error).message };
  }
  const parsed = parseSla(text);
  if (parsed.ok) return { sla: parsed.sla };
  if (named) throw new Error(formatSlaErrors(path, parsed.errors));
  return { why: `${path} is not a valid SLA: leadpact sla validate ${path}` };
}
