/**
 * The `leadpact` command. Each subcommand is a function of (arguments, io) returning an
 * exit code, so tests run it in process; bin/leadpact-cli.js is the executable shim.
 */

// each command is imported when it runs: `sla validate` must not load the local runtime (emulators,
// the AWS SDK, the workflow engine) that only `dev` needs
import { readFileSync } from 'node:fs';
import { type CliIo, processIo } from './commands/io.ts';
import { USAGE, usageFor } from './usage.js';

/** This package's version (package.json). */
function packageVersion(): string {
  return (
    JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }
  ).version;
}

export async function main(argv: readonly string[], io: CliIo = processIo): Promise<number> {
  const [group, command, ...rest] = argv;
  // --version, --help, `sla --help`, `dev --help`: the executable answers these before loading TypeScript
  const quick = usageFor(argv, packageVersion);
  if (quick) {
    (quick.stream === 'out' ? io.out : io.err)(quick.text);
    return quick.code;
  }
  try {
    if (group === 'dev') return await (await import('./commands/dev.ts')).devCommand(argv.slice(1), io);
    if (group === 'report')
      return await (await import('./commands/report.ts')).reportCommand(argv.slice(1), io);
    if (group === 'simulate') {
      const { simulateCommand } = await import('./commands/simulate.ts');
      // the progress bar only on a terminal, on stderr (stdout stays the report)
      const progress =
        io === processIo && process.stderr.isTTY ? (text: string) => process.stderr.write(text) : undefined;
      return await simulateCommand(argv.slice(1), progress ? { ...io, progress } : io);
    }
    if (group === 'sla' && command === 'validate')
      return (await import('./commands/validate.ts')).validateCommand(rest, io);
    if (group === 'sla' && command === 'explain')
      return (await import('./commands/explain.ts')).explainCommand(rest, io);
    if (group === 'sla' && command === 'diff')
      return await (await import('./commands/sla-diff.ts')).slaDiffCommand(rest, io);
    if (group === 'sla' && command === 'retention')
      return await (await import('./commands/retention.ts')).retentionCommand(rest, io);
    if (group === 'sla' && command === 'schema') {
      const { slaJsonSchema } = await import('../lambdas/domain/sla-json-schema.ts');
      io.out(JSON.stringify(slaJsonSchema(), null, 2));
      return 0;
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
