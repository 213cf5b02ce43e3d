import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import {
  expiryAfter,
  firstOps,
  SIGN_IN_LINK_TTL_SECONDS,
  signInUrl,
  signSignInToken,
} from '../../lambdas/domain/sign-in.ts';
import { parseSla } from '../../lambdas/domain/sla-file.ts';
import { formatSlaNote, slaNotes } from '../../lambdas/domain/sla-notes.ts';
import {
  DEFAULT_WEBHOOK_SECRET_ENV,
  parseWebhookConfig,
  resolveSubscriptions,
  WebhookConfigError,
} from '../../lambdas/domain/webhook-config.ts';
import { redactWebhookUrl } from '../../lambdas/domain/webhook-url-redaction.ts';
import type { WebhookSubscription } from '../../lambdas/domain/webhooks.ts';
import { StrandedLeadsError } from '../../lambdas/tasks/migrate-leads.ts';
import { startLocalRuntime } from '../../local/runtime.ts';
import { type CliIo, DEFAULT_SLA_FILE, readInput } from './io.ts';
import { formatSlaErrors } from './validate.ts';

/**
 * `leadpact dev [--port 3000] [--data DIR] [--sla FILE] [--speed N] [--mail-port 8005] [--mail-endpoint URL]
 * [--mail-rate N] [--mail-quota N] [--iam enforce|off] [--webhook URL]... [--config FILE]`: LeadPact on embedded emulators until Ctrl-C.
 * `--iam enforce` (the default) runs each handler with its function's role from the synthesized stack
 * (bin/commands/iam-profile.ts, cached); `--iam off` skips it. `--mail-endpoint` sends through an SES
 * emulator already running (its inbox survives restarts of LeadPact) instead of starting one. `--mail-rate N`
 * has the emulator refuse sends over N a second as SES does (14 for a new production account, 1 in the
 * sandbox; ADR 0051); `--mail-quota N` a send past N in the SLA clock's last 24 hours, as SES's daily quota
 * does (200 in the sandbox), nurture leaving the stack's reserve of it to the SLA's emails (ADR 0067).
 * `--webhook URL` subscribes URL to every event, signed with LEADPACT_WEBHOOK_SECRET; `--config FILE` is a
 * JSON file with `webhooks: [{ url, events, secretEnv }]` (docs/integrations.md).
 */
export async function devCommand(args: readonly string[], io: CliIo): Promise<number> {
  const { values } = parseArgs({
    args: [...args],
    strict: true,
    options: {
      port: { type: 'string', default: process.env.PORT ?? '3000' },
      data: { type: 'string' },
      sla: { type: 'string', default: DEFAULT_SLA_FILE },
      origin: { type: 'string', multiple: true },
      speed: { type: 'string', default: '1' },
      'mail-port': { type: 'string', default: '8005' },
      'mail-endpoint': { type: 'string' },
      'mail-rate': { type: 'string' },
      'mail-quota': { type: 'string' },
      'ops-email': { type: 'string' },
      webhook: { type: 'string', multiple: true },
      config: { type: 'string' },
      iam: { type: 'string', default: 'enforce' },
    },
  });
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new Error(`--port "${values.port}" is not a port number`);
  const speed = Number(values.speed);
  if (!(speed > 0))
    throw new Error(`--speed "${values.speed}" must be a positive number (virtual seconds per second)`);
  const mailPort = Number(values['mail-port']);
  if (!Number.isInteger(mailPort) || mailPort < 0 || mailPort > 65535) {
    throw new Error(`--mail-port "${values['mail-port']}" is not a port number`);
  }
  const mailRate = values['mail-rate'] === undefined ? undefined : Number(values['mail-rate']);
  if (mailRate !== undefined && !(mailRate > 0))
    throw new Error(`--mail-rate "${values['mail-rate']}" must be a positive number (emails a second)`);
  const mailQuota = values['mail-quota'] === undefined ? undefined : Number(values['mail-quota']);
  if (mailQuota !== undefined && !(Number.isInteger(mailQuota) && mailQuota > 0))
    throw new Error(`--mail-quota "${values['mail-quota']}" must be a whole number above 0 (emails a day)`);
  const webhooks = webhookSubscriptions(io, values.webhook ?? [], values.config);
  if (values.iam !== 'enforce' && values.iam !== 'off')
    throw new Error(`--iam "${values.iam}" must be enforce or off`);
  const parsed = parseSla(readInput(io, values.sla, 'SLA file'));
  if (!parsed.ok) {
    io.err(formatSlaErrors(values.sla, parsed.errors));
    return 1;
  }
  // the policies of the stack `cdk deploy` would create: cached, synthesized when lib/ changed
  const iam =
    values.iam === 'enforce'
      ? await (await import('./iam-profile.ts')).loadIamProfile(() =>
          io.out(
            'Reading the IAM policies of the stack lib/ deploys (synthesizing it: a few seconds, once per change to lib/ or lambdas/; --iam off skips this)...',
          ),
        )
      : undefined;
  if (values.data) reportStoreDamage(io, values.data);
  const started = startLocalRuntime({
    ...(iam ? { iam: { profile: iam.profile } } : {}),
    sla: parsed.sla,
    port,
    ...(values.data ? { dataDir: values.data } : {}),
    adminToken: process.env.LEADPACT_ADMIN_TOKEN || undefined,
    time: { speed },
    mailPort,
    ...(values['mail-endpoint'] ? { mailEndpoint: values['mail-endpoint'] } : {}),
    ...(mailRate === undefined ? {} : { mailRate }),
    ...(mailQuota === undefined ? {} : { mailQuota }),
    ...(values['ops-email'] ? { opsEmail: values['ops-email'] } : {}),
    events: { subscriptions: webhooks },
    allowedOrigins: values.origin ?? process.env.LEADPACT_ALLOWED_ORIGINS?.split(',').filter(Boolean) ?? [],
    ...(process.env.LEADPACT_TYPEFORM_SECRET ? { typeformSecret: process.env.LEADPACT_TYPEFORM_SECRET } : {}),
  }).catch((error: unknown) => {
    // the SLA would strand leads in flight (docs/sla-reference.md#migrations): say which, exit 1
    if (error instanceof StrandedLeadsError) return error;
    throw error;
  });
  const runtime = await started;
  if (runtime instanceof StrandedLeadsError) {
    io.err(`leadpact: ${values.sla}: ${runtime.message}`);
    return 1;
  }
  // a newcomer is in the console in one click: a sign-in link for the SLA's first ops person (else a manager)
  const ops = firstOps(parsed.sla);
  const consoleLink =
    ops && runtime.deps.actionSecret
      ? signInUrl(
          runtime.url,
          signSignInToken(
            {
              role: ops.role,
              personId: ops.id,
              nonce: randomBytes(18).toString('base64url'),
              exp: expiryAfter(new Date(), SIGN_IN_LINK_TTL_SECONDS * 4 * 24),
            },
            runtime.deps.actionSecret,
          ),
        )
      : undefined;
  io.out(
    [
      `LeadPact is running locally with SLA "${parsed.sla.version}" (${values.sla})`,
      `  console      ${runtime.url}/console   (reps, managers and ops sign in with an emailed link)`,
      ...(consoleLink && ops
        ? [
            `  sign in      ${consoleLink}`,
            `               (as ${ops.name}, ${ops.role}; works once, for a day)`,
          ]
        : []),
      `  demo         ${runtime.url}/   (a lead form; post a lead and watch the inbox)`,
      `  inbox        ${runtime.mail.inboxUrl}   (every email LeadPact sends: reps, managers, nurture)`,
      ...(mailRate === undefined
        ? []
        : [
            `  mail rate    ${mailRate} emails a second (--mail-rate: a send over it is refused, as SES refuses it)`,
          ]),
      ...(mailQuota === undefined
        ? []
        : [
            `  mail quota   ${mailQuota} emails a day (--mail-quota: a send past it is refused, as SES refuses it; nurture stops short of it, leaving the stack's mailReservePercent to the SLA's emails)`,
          ]),
      `  API          ${runtime.url}   (POST /leads is public; other routes need the token)`,
      `  forms        posts from any local origin (localhost, 127.0.0.1, a file)${values.origin?.length ? ` and ${values.origin.join(', ')}` : ''} are accepted; a deployed stack takes only its allowedOrigins`,
      `  admin token  ${runtime.adminToken}${process.env.LEADPACT_ADMIN_TOKEN ? ' (from LEADPACT_ADMIN_TOKEN)' : ' (generated; set LEADPACT_ADMIN_TOKEN to choose it)'}`,
      `  DynamoDB     ${runtime.dynamoEndpoint} (dynalite, ${values.data ? `data in ${values.data}` : 'in memory'})`,
      `  webhooks     ${webhooks.length === 0 ? 'none (--webhook URL, or webhooks in --config FILE)' : webhooks.map((w) => `${redactWebhookUrl(w.url)} (${w.events.join(', ')})`).join('; ')}`,
      `  IAM          ${iam ? `enforced: each handler runs with its function's role from the synthesized stack (${Object.keys(iam.profile.functions).length} functions, ${iam.from === 'cache' ? 'cached' : 'synthesized'} in ${Math.round(iam.ms)} ms; --iam off skips it)` : 'off (--iam enforce runs each handler with its role from the synthesized stack)'}`,
      `  time         ${speed === 1 ? 'real time' : `${speed}x (${speed >= 3600 ? `${speed / 3600} h` : `${speed} s`} of SLA time per second)`}`,
      ...slaNotes(parsed.sla).map((note) => `  ${formatSlaNote(note)}`),
      '',
      'Try:',
      `  curl -si ${runtime.url}/leads -d email=ada@example.com -d firstName=Ada -d jobTitle="Plant Manager"`,
      `  curl -si ${runtime.url}/leads -H 'content-type: application/json' --data @examples/leads/hot.json`,
      `  curl -s ${runtime.url}/leads/<leadId> -H 'authorization: Bearer ${runtime.adminToken}'`,
      '',
      'Ctrl-C stops it.',
    ].join('\n'),
  );
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  // a second Ctrl-C, or a close that hangs on a keep-alive socket, must not keep the terminal
  const force = () => process.exit(130);
  process.once('SIGINT', force);
  setTimeout(force, STOP_DRAIN_MS + 3000).unref();
  io.out('stopping...');
  // a task at work finishes its round first (its emails sent and marked): cut off, its email could go twice
  await runtime.close({ drainMs: STOP_DRAIN_MS });
  process.exit(0);
}

/** How long a Ctrl-C lets a task at work finish before the runtime stops (local/runtime.ts close). */
export const STOP_DRAIN_MS = 2_000;

/** --webhook URLs (every event, LEADPACT_WEBHOOK_SECRET) and the config file's `webhooks`, secrets resolved. */
function webhookSubscriptions(
  io: CliIo,
  urls: readonly string[],
  configFile: string | undefined,
): WebhookSubscription[] {
  let fromFile: unknown;
  if (configFile) {
    let config: unknown;
    try {
      config = JSON.parse(readInput(io, configFile, 'config file'));
    } catch (error) {
      if (error instanceof SyntaxError)
        throw new Error(`--config ${configFile}: not JSON (${error.message})`);
      throw error;
    }
    // a file of another shape (a list, a misspelled key) would start with no webhook and say nothing
    if (typeof config !== 'object' || config === null || Array.isArray(config))
      throw new Error(`--config ${configFile}: expected an object such as {"webhooks": [...]}`);
    const unknown = Object.keys(config).filter((key) => key !== 'webhooks');
    if (unknown.length > 0)
      throw new Error(
        `--config ${configFile}: unknown key ${unknown.map((key) => JSON.stringify(key)).join(', ')}; the file has "webhooks"`,
      );
    fromFile = (config as { webhooks?: unknown }).webhooks;
  }
  try {
    // one set of ids over both lists: an id twice would merge two subscriptions into one
    const ids = new Set<string>();
    const configs = [
      ...parseWebhookConfig(
        urls.map((url) => ({ url, events: ['*'], secretEnv: DEFAULT_WEBHOOK_SECRET_ENV })),
        '--webhook',
        'local',
        ids,
      ),
      ...parseWebhookConfig(fromFile, `${configFile}: webhooks`, 'local', ids),
    ];
    return resolveSubscriptions(configs, process.env);
  } catch (error) {
    if (error instanceof WebhookConfigError) throw new Error(error.message);
    throw error;
  }
}

/**
 * A store under --data that LevelDB cannot read (a file cut short by a disk fault or a copy, a restore that
 * missed one) fails inside dynalite, which throws the error out of a callback: the process ended on a stack
 * trace from node_modules, at the start or at the first read of a damaged block. One line naming the folder and
 * the way out instead, exit 1; any other uncaught error ends the process as before (its stack, exit 1).
 */
function reportStoreDamage(io: CliIo, dataDir: string): void {
  process.on('uncaughtException', (error: Error & { code?: string }) => {
    if (error?.code === 'LEVEL_IO_ERROR' || error?.code === 'LEVEL_CORRUPTION') {
      io.err(
        `leadpact: the store in ${dataDir} cannot be read (${error.message}): a file of it is damaged. Stop here and restore the --data folder from a backup (the whole folder: its keys belong to its store), or start with a new --data`,
      );
    } else console.error(error);
    process.exit(1);
  });
}
