// The `leadpact` usage texts, in plain JavaScript: bin/leadpact-cli.js answers --help and --version with
// them before any TypeScript loads (no tsx, no esbuild: ~0.1 s), and bin/cli.ts prints the same texts.

const DEFAULT_SLA_FILE = 'sla/default.yaml';

export const SLA_USAGE = `Usage:
  leadpact sla validate [file]                  check an SLA file (default ${DEFAULT_SLA_FILE})
  leadpact sla explain <lead.json> [options]    judge one lead and say why
      --sla <file>     the SLA to judge by (default ${DEFAULT_SLA_FILE})
      --at <ISO time>  judge as of this time (default: now)
      --events <file>  add engagement events (a POST /leads/{id}/events body)
      --json           machine-readable output
  leadpact sla diff <old.yaml> <new.yaml>       what an SLA change does, term by term and to leads in flight
      --data DIR       check the leads of leadpact dev's store in DIR (stop leadpact dev first)
      --url API --token T  check the leads of a running stack (POST /sla/impact; ops)
                       (--aws instead of --token: sign with the environment's AWS credentials, authMode iam)
      --at <ISO time>  judge as of this time (default: the store's SLA clock, else now)
      --json           machine-readable output
                       exit 1: a lead would be stranded (add a mapping to migrations)
  leadpact sla retention [file] --data DIR      which sign-ups never confirmed consent.eraseUnconfirmedAfterDays
                                                would erase now, from leadpact dev's store (changes nothing)
      --at <ISO time>  as of this time (default: the store's SLA clock, else now)
      --limit N        list at most N leads (default 100)
      --json           machine-readable output
  leadpact sla schema                           print the SLA file's JSON Schema`;

export const DEV_USAGE = `Usage:
  leadpact dev [options]                        LeadPact locally on embedded emulators (npm start)
      --port 3000        the API and demo page
      --mail-port 8005   the SES emulator and its inbox viewer
      --mail-endpoint URL  send through an SES emulator already running instead
      --mail-rate N      refuse sends over N a second, as SES does (14 in production, 1 in the sandbox)
      --mail-quota N     refuse sends past N a day, as SES does (200 in the sandbox); nurture stops short of it
      --data DIR         keep leads, workflows and the SLA clock across restarts (default: in memory)
      --speed N          N seconds of SLA time per real second (3600: an hour a second)
      --sla FILE         the SLA to run (default ${DEFAULT_SLA_FILE})
      --origin URL       allow a web form on this origin to post leads (repeatable)
      --ops-email ADDR   send workflow failure alerts here
      --iam enforce|off  run each handler with its function's IAM role from the synthesized
                         stack, denied calls fail as on AWS (default enforce; off: a little faster)
      --webhook URL      send every lead event to URL, signed (Standard Webhooks) with the
                         whsec_ key in LEADPACT_WEBHOOK_SECRET (repeatable)
      --config FILE      { "webhooks": ["url", "events", "secretEnv" ] } (docs/integrations.md)`;

export const REPORT_USAGE = `Usage:
  leadpact report [options]                     did both sides keep the SLA? (GET /reports/sla)
      --url API --token T  from a running API (--aws instead of --token: authMode iam)
      --data DIR       from the store of leadpact dev --data DIR (stop leadpact dev first)
      --from, --to     the window, ISO date or time (default: the last 7 days)
      --rep ID, --queue ID  one rep's or one queue's figures (--rep: also a rep who has left
                       the SLA, while report facts of the window or leads name them)
      --json           machine-readable output
      --html FILE      write the report as an HTML page
      --locale TAG     the page's language, one of the SLA's (default: the SLA's default)
      --sla FILE       the SLA to report against with --data, and its names in the page's
                       language (default ${DEFAULT_SLA_FILE}); with --url, the SLA the API runs:
                       another version's file is not used, and said so on stderr`;

export const SIMULATE_USAGE = `Usage:
  leadpact simulate [options]                   months of synthetic leads through the real workflow, in seconds
      --sla FILE         the SLA to run (default ${DEFAULT_SLA_FILE})
      --leads 10000      how many leads arrive
      --days 90          how many SLA days to run
      --seed 42          the same seed gives the same report, byte for byte
      --scenario FILE    arrivals, mix, engagement, rep behaviour (YAML; docs/simulate.md)
      --compare FILE     a second SLA on the same leads, side by side
      --json             machine-readable output (no progress bar)
      --html FILE        write the report as an HTML page with charts
      --store memory|dynalite  the lead store (default memory; dynalite for smaller runs)`;

export const USAGE = `leadpact: the sales and marketing SLA, executed

${SLA_USAGE}
${DEV_USAGE.replace('Usage:\n', '')}
${REPORT_USAGE.replace('Usage:\n', '')}
${SIMULATE_USAGE.replace('Usage:\n', '')}
  leadpact --version                            the version of LeadPact
  leadpact help                                 this text (also --help, and after a command: leadpact sla --help)`;

const HELP = new Set(['--help', '-h', 'help']);

/**
 * What to print for a help or version request, or undefined when `argv` asks for something else.
 * `leadpact` alone prints the usage and exits 2 (a usage error); a help request exits 0.
 * @param {readonly string[]} argv the arguments after `leadpact`
 * @param {() => string} version the package's version (read only when asked for)
 * @returns {{ text: string; code: number; stream: 'out' | 'err' } | undefined}
 */
export function usageFor(argv, version) {
  const [group, command] = argv;
  if (group === undefined) return { text: USAGE, code: 2, stream: 'err' };
  if (group === '--version' || group === '-v' || group === 'version') {
    return { text: `leadpact ${version()}`, code: 0, stream: 'out' };
  }
  if (HELP.has(group)) return { text: USAGE, code: 0, stream: 'out' };
  if (
    group === 'sla' &&
    (command === undefined || HELP.has(command) || argv.slice(2).some((a) => HELP.has(a)))
  ) {
    return {
      text: `leadpact sla: check, explain and compare SLA files, and preview its retention\n\n${SLA_USAGE}`,
      code: command === undefined ? 2 : 0,
      stream: command === undefined ? 'err' : 'out',
    };
  }
  if (group === 'simulate' && argv.slice(1).some((a) => HELP.has(a))) {
    return {
      text: `leadpact simulate: what an SLA would do, before it goes live\n\n${SIMULATE_USAGE}`,
      code: 0,
      stream: 'out',
    };
  }
  if (group === 'report' && argv.slice(1).some((a) => HELP.has(a))) {
    return {
      text: `leadpact report: did both sides keep the SLA?\n\n${REPORT_USAGE}`,
      code: 0,
      stream: 'out',
    };
  }
  if (group === 'dev' && argv.slice(1).some((a) => HELP.has(a))) {
    return {
      text: `leadpact dev: LeadPact on one machine, no AWS account\n\n${DEV_USAGE}`,
      code: 0,
      stream: 'out',
    };
  }
  return undefined;
}
