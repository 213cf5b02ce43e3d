#!/usr/bin/env node
// The `leadpact` executable. Help and --version are answered here, in plain JavaScript (bin/usage.js).
// The SLA commands run from a compiled copy of the CLI (bin/compiled-cli.js: a cache rebuilt when a
// source changes), the rest through tsx, so there is no build step either way.
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { usageFor } from './usage.js';

/** `leadpact sla <command>`s whose modules read no file beside themselves: safe to run compiled */
const COMPILED_COMMANDS = new Set(['validate', 'explain', 'schema']);

// a reader that stopped early (`leadpact sla schema | head`) has had what it wanted: end quietly, as
// `cat` does, instead of an unhandled EPIPE and its stack trace
process.stdout.on('error', (error) => {
  if (error.code === 'EPIPE') process.exit(0);
  throw error;
});

const argv = process.argv.slice(2);
const quick = usageFor(
  argv,
  () => JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')).version,
);
if (quick) {
  (quick.stream === 'out' ? process.stdout : process.stderr).write(`${quick.text}\n`);
  process.exitCode = quick.code;
} else {
  let main;
  if (argv[0] === 'sla' && COMPILED_COMMANDS.has(argv[1] ?? '')) {
    try {
      const { compiledCli } = await import('./compiled-cli.js');
      ({ main } = await import(pathToFileURL(await compiledCli()).href));
    } catch {
      // no writable cache, or the sources do not bundle: tsx runs them (and reports any error)
      main = undefined;
    }
  }
  if (!main) {
    const { register } = await import('tsx/esm/api');
    register();
    ({ main } = await import('./cli.ts'));
  }
  process.exitCode = await main(argv);
}
