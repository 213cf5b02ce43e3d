/**
 * Webhook subscriptions as configured: `webhooks: [{ url, events, secretEnv }]` in the CDK context
 * (cdk.json, `-c webhooks=...`) and in the local config (`leadpact dev --config FILE`), and
 * `leadpact dev --webhook URL` (every event, the secret in LEADPACT_WEBHOOK_SECRET). One parser, so both
 * reject the same mistakes with the same words. Pure: the environment is passed in.
 */
import { createHash } from 'node:crypto';
import { BlockList, isIP } from 'node:net';
import { LEAD_EVENT_TYPES } from './lead-events.ts';
import { signingKeys, type WebhookSubscription } from './webhooks.ts';

export interface WebhookConfig {
  /** stable name (default: derived from the url): part of each delivery's id */
  readonly id: string;
  readonly url: string;
  /** event types, `*` (the default) or `lead.*` / `deal.*` */
  readonly events: readonly string[];
  /** the environment variable that holds the `whsec_` secret */
  readonly secretEnv: string;
}

export const DEFAULT_WEBHOOK_SECRET_ENV = 'LEADPACT_WEBHOOK_SECRET';

export class WebhookConfigError extends Error {
  constructor(
    readonly path: string,
    message: string,
  ) {
    super(`${path}: ${message}`);
    this.name = 'WebhookConfigError';
  }
}

const PATTERNS = new Set<string>(['*', 'lead.*', 'deal.*', ...LEAD_EVENT_TYPES]);

/**
 * Which receivers a sender may post to. `local` (leadpact dev): any http(s) URL, loopback and private
 * addresses included, since a receiver on the laptop or the LAN is the point. `deployed` (the CDK context):
 * https only (lead.created carries the contact) and no address inside AWS or the function itself: loopback
 * (the Lambda runtime API), link-local (instance metadata, 169.254.169.254 and fd00:ec2::254), private,
 * shared and reserved ranges, `localhost` and `*.internal` names.
 */
export type WebhookUrlPolicy = 'local' | 'deployed';

/** Checks `webhooks` (an array) and fills defaults; throws WebhookConfigError naming the field. */
export function parseWebhookConfig(
  raw: unknown,
  where = 'webhooks',
  policy: WebhookUrlPolicy = 'local',
): WebhookConfig[] {
  if (raw === undefined) return [];
  if (!Array.isArray(raw))
    throw new WebhookConfigError(where, 'must be a list of { url, events, secretEnv }');
  const ids = new Set<string>();
  return raw.map((entry: unknown, index) => {
    const at = `${where}[${index}]`;
    if (typeof entry !== 'object' || entry === null) throw new WebhookConfigError(at, 'must be an object');
    const { url, events, secretEnv, id } = entry as Record<string, unknown>;
    if (typeof url !== 'string' || !isHttpUrl(url))
      throw new WebhookConfigError(`${at}.url`, 'must be an http(s) URL');
    const refused = policy === 'deployed' ? deployedUrlProblem(new URL(url)) : undefined;
    if (refused) throw new WebhookConfigError(`${at}.url`, refused);
    const list = events === undefined ? ['*'] : events;
    if (!Array.isArray(list) || list.length === 0 || list.some((type) => !PATTERNS.has(String(type)))) {
      throw new WebhookConfigError(
        `${at}.events`,
        `must list event types (${LEAD_EVENT_TYPES.join(', ')}), "lead.*", "deal.*" or "*"`,
      );
    }
    const env = secretEnv ?? DEFAULT_WEBHOOK_SECRET_ENV;
    if (typeof env !== 'string' || !/^[A-Z_][A-Z0-9_]*$/.test(env))
      throw new WebhookConfigError(`${at}.secretEnv`, 'must name an environment variable (A-Z, 0-9, _)');
    const name = id === undefined ? defaultId(url) : id;
    if (typeof name !== 'string' || !/^[a-zA-Z0-9_-]{1,64}$/.test(name))
      throw new WebhookConfigError(`${at}.id`, 'must be 1-64 letters, digits, - or _');
    if (ids.has(name)) throw new WebhookConfigError(`${at}.id`, `"${name}" is used twice`);
    ids.add(name);
    return { id: name, url, events: list.map(String), secretEnv: env };
  });
}

/** The subscriptions with their secrets from `env`; a missing or malformed secret names its variable. */
export function resolveSubscriptions(
  configs: readonly WebhookConfig[],
  env: Readonly<Record<string, string | undefined>>,
): WebhookSubscription[] {
  return configs.map((config) => {
    const secret = env[config.secretEnv];
    if (!secret)
      throw new WebhookConfigError(config.secretEnv, `is not set (the webhook secret for ${config.url})`);
    try {
      signingKeys(secret);
    } catch (error) {
      throw new WebhookConfigError(config.secretEnv, (error as Error).message);
    }
    return { id: config.id, url: config.url, events: config.events, secret };
  });
}

function defaultId(url: string): string {
  return `wh_${createHash('sha256').update(url).digest('hex').slice(0, 12)}`;
}

function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === 'https:' || url.protocol === 'http:';
  } catch {
    return false;
  }
}

/** address ranges a deployed sender never posts to (IPv4-mapped IPv6 addresses are checked as IPv4) */
const INTERNAL = new BlockList();
for (const [prefix, bits] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['224.0.0.0', 3],
] as const)
  INTERNAL.addSubnet(prefix, bits, 'ipv4');
for (const [prefix, bits] of [
  ['::', 127],
  ['fc00::', 7],
  ['fe80::', 10],
  ['ff00::', 8],
] as const)
  INTERNAL.addSubnet(prefix, bits, 'ipv6');

function deployedUrlProblem(url: URL): string | undefined {
  if (url.protocol !== 'https:') return 'must be an https URL on AWS (events carry personal data)';
  // URL has normalised the host: 0x7f000001 is 127.0.0.1 here, IPv6 comes in brackets
  const host = url.hostname.replace(/^\[|\]$/g, '').toLowerCase();
  const internal =
    isIP(host) !== 0
      ? isInternalAddress(host)
      : host === 'localhost' || /\.(localhost|internal|local)\.?$/.test(host);
  return internal
    ? `"${url.hostname}" is an internal address (loopback, link-local, private or reserved): a deployed sender posts only to public receivers`
    : undefined;
}

/** An IP address in a range a deployed sender never posts to (an IPv4-mapped IPv6 address as its IPv4). */
export function isInternalAddress(address: string): boolean {
  const host = address.toLowerCase();
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(host)?.[1];
  const hex = /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(host);
  const v4 =
    mapped ??
    (hex
      ? [hex[1]!, hex[2]!]
          .flatMap((part) => [Number.parseInt(part, 16) >> 8, Number.parseInt(part, 16) & 255])
          .join('.')
      : undefined);
  if (v4 || isIP(host) === 4) return INTERNAL.check(v4 ?? host, 'ipv4');
  return isIP(host) === 6 && INTERNAL.check(host, 'ipv6');
}
