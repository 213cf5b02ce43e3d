/**
 * `leadpact simulate [--sla file] [--leads 10000] [--days 90] [--seed 42] [--scenario file]
 * [--compare other-sla.yaml] [--json] [--html report.html] [--store memory|dynalite]`: months of synthetic
 * leads through the real workflow in seconds (local/simulate/), and the SLA report they give. With
 * --compare, the same leads and people under a second SLA, side by side. Same seed, same output, byte for
 * byte (--json). A progress bar on stderr when it is a terminal and the output is not --json.
 * Exit 0 with the report, 2 on a usage error or an invalid SLA or scenario file.
 */
import { randomBytes } from 'node:crypto';
import { open, rm, stat } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { parseSla } from '../../lambdas/domain/sla-file.ts';
import type { Sla } from '../../lambdas/domain/sla-schema.ts';
import { impactOn } from '../../lambdas/tasks/sla-impact.ts';
import { writeFileAtomic } from '../../local/atomic-file.ts';
import { retimedClocks } from '../../local/simulate/in-flight-clocks.ts';
import { countFacts, type OperationCounts } from '../../local/simulate/operations.ts';
import {
  parseScenario,
  resolveScenario,
  type Scenario,
  type ScenarioInput,
  scenarioWarnings,
} from '../../local/simulate/scenario.ts';
import {
  comparisonHtml,
  comparisonText,
  differences,
  type InFlightImpact,
  inFlightImpact,
  inFlightText,
  type SimulationFigures,
  simulationHtml,
  simulationText,
} from '../../local/simulate/simulation-report.ts';
import {
  memoryBackend,
  type SimulationProgress,
  type StoreBackend,
  simulate,
} from '../../local/simulate/simulator.ts';
import { syntheticLeads } from '../../local/simulate/synthetic-leads.ts';
import { type CliIo, DEFAULT_SLA_FILE, readInput } from './io.ts';
import { formatSlaErrors } from './validate.ts';

export interface SimulateIo extends CliIo {
  /** a terminal on stderr: draw the progress bar */
  readonly progress?: (text: string) => void;
}

/**
 * A run holds every lead in memory (its state, facts and executions): ~45 KB each on top of ~0.2 GB
 * (bench:simulate: 0.22 GB for 1,000, 0.63 GB for 10,000), so 50,000 is ~2.5 GB, under Node's default heap
 * here (~4 GB); the former bound, 1,000,000, would need ~45 GB (a heap-out-of-memory crash part way).
 */
const MAX_LEADS = 50_000;
const MAX_DAYS = 400;

function wholeNumber(
  name: string,
  value: string | undefined,
  fallback: number,
  min: number,
  max: number,
  why?: string,
): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(n) || n < min || n > max)
    throw new Error(
      `--${name} must be a whole number from ${min} to ${max}${why ? ` (${why})` : ''}, got "${value}"`,
    );
  return n;
}

export async function simulateCommand(args: readonly string[], io: SimulateIo): Promise<number> {
  const { values } = parseArgs({
    args: [...args],
    strict: true,
    options: {
      sla: { type: 'string' },
      leads: { type: 'string' },
      days: { type: 'string' },
      seed: { type: 'string' },
      scenario: { type: 'string' },
      compare: { type: 'string' },
      json: { type: 'boolean' },
      html: { type: 'string' },
      store: { type: 'string' },
    },
  });
  const leadCount = wholeNumber(
    'leads',
    values.leads,
    10_000,
    1,
    MAX_LEADS,
    'a run holds every lead in memory, ~45 KB each',
  );
  const days = wholeNumber('days', values.days, 90, 1, MAX_DAYS);
  const seed = wholeNumber('seed', values.seed, 42, 0, 2 ** 32 - 1);
  const storeKind = values.store ?? 'memory';
  if (storeKind !== 'memory' && storeKind !== 'dynalite')
    throw new Error(`--store must be memory or dynalite, got "${storeKind}"`);
  if (values.json && values.html) throw new Error('simulate takes --json or --html FILE, not both');
  // a page it cannot write is said now, not after minutes of simulation
  if (values.html) await checkWritable('--html', values.html);

  const slaFile = values.sla ?? DEFAULT_SLA_FILE;
  const sla = loadSla(io, slaFile);
  if (!sla) return 2;
  const other = values.compare ? loadSla(io, values.compare) : undefined;
  if (values.compare && !other) return 2;
  let input: ScenarioInput = {};
  if (values.scenario)
    input = parseScenario(readInput(io, values.scenario, 'scenario file'), values.scenario);

  const scenario = resolveScenarioOf(values.scenario, sla, input, days);
  // on stderr, before the run: what the scenario says that this run never reaches (stdout stays the report)
  for (const line of scenarioWarnings(sla, input, { days }))
    io.err(`${values.scenario ?? 'the scenario'}: warning: ${line}`);
  // the candidate's people, resolved before either run: a scenario naming what B lacks fails now, not after A
  let otherScenario: Scenario | undefined;
  try {
    otherScenario = other ? resolveScenario(other, input, { days }) : undefined;
  } catch (error) {
    throw new Error(
      `${values.scenario ?? 'the scenario'} does not fit --compare ${values.compare}: ${(error as Error).message}`,
    );
  }
  // one set of leads for both SLAs: --compare changes the agreement, not the traffic
  const leads = syntheticLeads(sla, scenario, { leads: leadCount, days, seed });
  const backend = storeKind === 'dynalite' ? dynaliteBackend : memoryBackend;
  const started = performance.now();
  const bar = values.json ? undefined : io.progress;
  let inFlight: InFlightImpact | undefined;
  const run = async (runSla: Sla, label: string): Promise<SimulationFigures> =>
    simulate({
      sla: runSla,
      scenario: runSla === sla || !otherScenario ? scenario : otherScenario,
      leads,
      days,
      seed,
      backend: (counts) => backend(runSla, counts),
      ...(bar ? { onProgress: progressBar(bar, label, started) } : {}),
      // --compare: what B would do to the leads A's run left in flight (sla diff's in-flight impact)
      ...(other && runSla === sla
        ? {
            atEnd: async (store, at) => {
              inFlight = inFlightImpact(
                await impactOn(store, sla, other, at),
                sla,
                other,
                await retimedClocks(store, sla, other, at),
              );
            },
          }
        : {}),
    });
  const figures = await run(sla, other ? 'A' : '');
  const compared = other ? await run(other, 'B') : undefined;
  bar?.('\r\x1b[2K');
  const seconds = ((performance.now() - started) / 1000).toFixed(1);

  const a = { name: `${sla.name} (${slaFile})`, figures };
  // what made the leads, so a saved report says how to run it again (a simulate trial: the seed alone did not)
  const source = values.scenario ? { scenario: values.scenario } : {};
  const scenarioWords = values.scenario ? `, scenario ${values.scenario}` : '';
  const b = compared && other ? { name: `${other.name} (${values.compare})`, figures: compared } : undefined;
  if (values.json) {
    io.out(
      JSON.stringify(
        b
          ? {
              seed,
              ...source,
              baseline: a,
              candidate: b,
              differences: differences(a.figures, b.figures),
              inFlight,
            }
          : { seed, ...source, ...figures },
        null,
        2,
      ),
    );
  } else if (values.html) {
    await writeFileAtomic(
      resolve(values.html),
      b
        ? comparisonHtml(a, b, inFlight)
        : simulationHtml(
            `Simulation: ${leadCount} leads, ${days} days, seed ${seed}${scenarioWords}`,
            figures,
          ),
    ).catch((error: NodeJS.ErrnoException) => {
      throw new Error(`cannot write --html "${values.html}" (${error.code ?? error.message})`);
    });
    io.out(`wrote ${values.html} (${seconds} s)`);
  } else {
    io.out(
      b
        ? `${comparisonText(a, b)}\n\n${inFlight ? `${inFlightText(inFlight)}\n\n` : ''}${simulationText(figures)}\n\n${simulationText(compared!)}`
        : simulationText(figures),
    );
    io.out(`\nseed ${seed}${scenarioWords}, store ${storeKind}`);
    // the wall time on the terminal only: stdout is the same bytes for the same seed
    bar?.(`simulated in ${seconds} s\n`);
  }
  return 0;
}

/** Throws naming the flag when `path` cannot be written: a directory, no such directory, not writable. */
async function checkWritable(flag: string, path: string): Promise<void> {
  const full = resolve(path);
  const cannot = (why: string) => new Error(`cannot write ${flag} "${path}": ${why}`);
  if ((await stat(full).catch(() => undefined))?.isDirectory()) throw cannot('it is a directory');
  if (!(await stat(dirname(full)).catch(() => undefined))?.isDirectory()) throw cannot('no such directory');
  // a probe where the atomic write puts its temp file
  const probe = `${full}.${randomBytes(6).toString('hex')}.tmp`;
  try {
    await (await open(probe, 'wx')).close();
  } catch (error) {
    throw cannot(`not writable (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
  }
  await rm(probe, { force: true });
}

/** The scenario for the SLA; its errors name the scenario file. */
function resolveScenarioOf(file: string | undefined, sla: Sla, input: ScenarioInput, days: number): Scenario {
  try {
    return resolveScenario(sla, input, { days });
  } catch (error) {
    throw new Error(`${file ?? 'the scenario'}: ${(error as Error).message}`);
  }
}

function loadSla(io: CliIo, file: string): Sla | undefined {
  const parsed = parseSla(readInput(io, file, 'SLA file'));
  if (!parsed.ok) {
    io.err(formatSlaErrors(file, parsed.errors));
    return undefined;
  }
  return parsed.sla;
}

/** The same run on dynalite (in memory, in this process): the DynamoDB adapter, its fact log and queries. */
async function dynaliteBackend(sla: Sla, counts: OperationCounts): Promise<StoreBackend> {
  const { startDynalite, localDynamoDbClient, ensureTable } = await import('../../local/dynalite.ts');
  const { createLeadStoreDocumentClient, DynamoDbLeadStore } = await import(
    '../../lambdas/adapters/dynamodb-lead-store.ts'
  );
  const { DynamoDbFactLog } = await import('../../lambdas/adapters/dynamodb-fact-log.ts');
  const { storyCarrier } = await import('../../lambdas/domain/story-carry.ts');
  const { DynamoDbLeadQueries } = await import('../../lambdas/adapters/dynamodb-lead-queries.ts');
  const table = 'leadpact-simulate';
  const dynamo = await startDynalite({});
  // in this process without a socket (local/in-process-http.ts)
  const client = localDynamoDbClient(dynamo.endpoint, { requestHandler: dynamo.requestHandler });
  await ensureTable(client, table);
  const doc = createLeadStoreDocumentClient(client);
  return {
    store: new DynamoDbLeadStore(doc, { tableName: table, carry: storyCarrier(sla) }),
    queries: new DynamoDbLeadQueries(doc, table),
    observers: [new DynamoDbFactLog(doc, table, sla), countFacts(sla, counts)],
    async close() {
      client.destroy();
      await dynamo.close();
    },
  };
}

function progressBar(draw: (text: string) => void, label: string, started: number) {
  let last = 0;
  return (p: SimulationProgress) => {
    const now = performance.now();
    if (now - last < 100 && p.day < p.days) return;
    last = now;
    const done = p.day / p.days;
    const width = 24;
    const filled = Math.round(done * width);
    const elapsed = (now - started) / 1000;
    const eta = done > 0.02 ? Math.max(0, elapsed / done - elapsed) : undefined;
    draw(
      `\r\x1b[2K${label ? `${label} ` : ''}[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] day ${p.day}/${p.days}, ${p.leadsArrived}/${p.leads} leads${eta === undefined ? '' : `, ETA ${eta.toFixed(0)} s`}`,
    );
  };
}
