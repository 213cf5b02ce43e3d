/**
 * How fast the `leadpact` command starts: wall and CPU time of each command run as a user runs it
 * (node bin/leadpact-cli.js ...), next to a bare `node -e 0`, interleaved in rounds so machine load moves
 * all of them alike; medians. Before the rounds, one run fills the compiled-CLI cache (bin/compiled-cli.js),
 * as a user's first run does. Prints figures; never asserts.
 *   npx tsx bench/cli.ts        (npm run bench:cli)
 *
 * Target (issue 15): `leadpact sla validate` under 1 s wall.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';

const ROUNDS = 7;
const TARGET_VALIDATE_MS = 1000;

const COMMANDS: readonly (readonly [string, readonly string[]])[] = [
  ['node -e 0 (the floor)', ['-e', '0']],
  ['leadpact --version', ['bin/leadpact-cli.js', '--version']],
  ['leadpact --help', ['bin/leadpact-cli.js', '--help']],
  ['leadpact dev --help', ['bin/leadpact-cli.js', 'dev', '--help']],
  ['leadpact sla validate', ['bin/leadpact-cli.js', 'sla', 'validate']],
  ['leadpact sla schema', ['bin/leadpact-cli.js', 'sla', 'schema']],
  ['leadpact sla explain (hot lead)', ['bin/leadpact-cli.js', 'sla', 'explain', 'examples/leads/hot.json']],
  [
    'leadpact sla diff (through tsx)',
    ['bin/leadpact-cli.js', 'sla', 'diff', 'sla/default.yaml', 'sla/default.yaml'],
  ],
];

interface Sample {
  readonly wallMs: number;
  readonly cpuMs: number;
}

/** One run: wall time around the spawn; CPU time of the child from the kernel's account of reaped children. */
function sample(args: readonly string[]): Sample {
  const ticksBefore = childrenTicks();
  const started = performance.now();
  const result = spawnSync(process.execPath, args, { encoding: 'utf8' });
  const wallMs = performance.now() - started;
  if (result.status !== 0 && result.status !== 1)
    throw new Error(`${args.join(' ')}: exit ${result.status}: ${result.stderr}`);
  return { wallMs, cpuMs: ((childrenTicks() - ticksBefore) * 1000) / TICKS_PER_SECOND };
}

/** Linux's clock ticks per second (USER_HZ), the unit of /proc/self/stat's times. */
const TICKS_PER_SECOND = 100;

/** cutime + cstime of this process (/proc/self/stat fields 16 and 17): the CPU of its reaped children. */
function childrenTicks(): number {
  const stat = readFileSync('/proc/self/stat', 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return Number(fields[13]) + Number(fields[14]);
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

// the user's first run: fills the compiled-CLI cache (timed once, apart)
const first = sample(['bin/leadpact-cli.js', 'sla', 'validate']);

const samples = new Map<string, Sample[]>(COMMANDS.map(([name]) => [name, []]));
for (let round = 0; round < ROUNDS; round++) {
  for (const [name, args] of COMMANDS) samples.get(name)!.push(sample(args));
}

console.log(
  `\nleadpact start-up (node ${process.version}; median of ${ROUNDS} interleaved rounds; CPU = user + system of the process)\n`,
);
console.log(`${'command'.padEnd(36)}${'wall ms'.padStart(9)}${'CPU ms'.padStart(9)}`);
for (const [name] of COMMANDS) {
  const runs = samples.get(name)!;
  const wall = median(runs.map((run) => run.wallMs));
  const cpu = median(runs.map((run) => run.cpuMs));
  console.log(`${name.padEnd(36)}${wall.toFixed(0).padStart(9)}${cpu.toFixed(0).padStart(9)}`);
}
console.log(
  `${'first sla validate (builds the cache)'.padEnd(36)}${first.wallMs.toFixed(0).padStart(9)}${first.cpuMs.toFixed(0).padStart(9)}`,
);
const validate = median(samples.get('leadpact sla validate')!.map((run) => run.wallMs));
const validateCpu = median(samples.get('leadpact sla validate')!.map((run) => run.cpuMs));
console.log(
  `\nleadpact sla validate: ${validate.toFixed(0)} ms wall, ${validateCpu.toFixed(0)} ms CPU (target < ${TARGET_VALIDATE_MS} ms wall: ${validate < TARGET_VALIDATE_MS ? 'met' : 'missed'}; CPU ${validateCpu < TARGET_VALIDATE_MS ? 'under' : 'over'} it too)` +
    '\nWall time includes waiting for a CPU: on a loaded machine compare CPU ms, which load moves less.',
);
