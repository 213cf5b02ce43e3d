/**
 * The `leadpact` command. Each subcommand is a function of (arguments, io) returning an
 * exit code, so tests run it in process; bin/leadpact-cli.js is the executable shim.
 */

// each command is imported when it runs: `sla validate` must not load the local runtime (emulators,
// the AWS SDK, the workflow engine) that only `dev` needs
import { type CliIo, DEFAULT_SLA_FILE, processIo } from './commands/io.ts';

const USAGE = `leadpact: the sales and marketing SLA, executed

Usage:
  leadpact sla validate [file]                  check an SLA file (default ${DEFAULT_SLA_FILE})
  leadpact sla explain <lead.json> [options]    judge one lead and say why
      --sla <file>     the SLA to judge by (default ${DEFAULT_SLA_FILE})
      --at <ISO time>  judge as of this time (default: now)
      --events <file>  add engagement events (a POST /leads/{id}/events body)
      --json           machine-readable output
  leadpact sla diff <old.yaml> <new.yaml>       what an SLA change does, term by term and to leads in flight
      --data DIR       check the leads of leadpact dev's store in DIR (stop leadpact dev first)
      --at <ISO time>  judge as of this time (default: the store's SLA clock, else now)
      --json           machine-readable output
                       exit 1: a lead would be stranded (add a mapping to migrations)
  leadpact sla schema                           print the SLA file's JSON Schema
  leadpact dev [options]                        LeadPact locally on embedded emulators (npm start)
      --port 3000        the API and demo page
      --mail-port 8005   the SES emulator and its inbox viewer
      --mail-endpoint URL  send through an SES emulator already running instead
      --data DIR         keep leads, workflows and the SLA clock across restarts (default: in memory)
      --speed N          N seconds of SLA time per real second (3600: an hour a second)
      --sla FILE         the SLA to run (default ${DEFAULT_SLA_FILE})
      --origin URL       allow a web form on this origin to post leads (repeatable)
      --ops-email ADDR   send workflow failure alerts here
  leadpact report [options]                     did both sides keep the SLA? (GET /reports/sla)
      --url API --token T  from a running API
      --data DIR       from the store of leadpact dev --data DIR (stop leadpact dev first)
      --from, --to     the window, ISO date or time (default: the last 7 days)
      --rep ID, --queue ID  one rep's or one queue's figures
      --json           machine-readable output
      --html FILE      write the report as an HTML page
      --sla FILE       with --data: the SLA to report against (default ${DEFAULT_SLA_FILE})
  leadpact help                                 this text`;

export async function main(argv: readonly string[], io: CliIo = processIo): Promise<number> {
  const [group, command, ...rest] = argv;
  try {
    if (group === 'dev') return await (await import('./commands/dev.ts')).devCommand(argv.slice(1), io);
    if (group === 'report')
      return await (await import('./commands/report.ts')).reportCommand(argv.slice(1), io);
    if (group === 'sla' && command === 'validate')
      return (await import('./commands/validate.ts')).validateCommand(rest, io);
    if (group === 'sla' && command === 'explain')
      return (await import('./commands/explain.ts')).explainCommand(rest, io);
    if (group === 'sla' && command === 'diff')
      return await (await import('./commands/sla-diff.ts')).slaDiffCommand(rest, io);
    if (group === 'sla' && command === 'schema') {
      const { slaJsonSchema } = await import('../lambdas/domain/sla-json-schema.ts');
      io.out(JSON.stringify(slaJsonSchema(), null, 2));
      return 0;
    }
    if (group === undefined || group === 'help' || group === '--help' || group === '-h') {
      io.out(USAGE);
      return group === undefined ? 2 : 0;
    }
    io.err(`leadpact: unknown command "${argv.join(' ')}"\n\n${USAGE}`);
    return 2;
  } catch (error) {
    // Usage errors (bad flags, unreadable files) are the user's to fix: one line, no stack.
    io.err(`leadpact: ${error instanceof Error ? error.message : String(error)}`);
    return 2;
  }
}

const invokedDirectly = import.meta.url === `file://${process.argv[1]}`;
if (invokedDirectly) process.exitCode = await main(process.argv.slice(2));
