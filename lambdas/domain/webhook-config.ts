/**
 * Webhook subscriptions as configured: `webhooks: [{ url, events, secretEnv }]` in the CDK context
 * (cdk.json, `-c webhooks=...`) and in the local config (`leadpact dev --config FILE`), and
 * `leadpact dev --webhook URL` (every event, the secret in LEADPACT_WEBHOOK_SECRET). One parser, so both
 * reject the same mistakes with the same words. Pure: the environment is passed in.
 */
import { createHash } from 'node:crypto';
import { BlockList, isIP } from 'node:net';
import { LEAD_EVENT_TYPES } from './lead-events.ts';
import { nearestName } from './nearest-name.ts';
import { redactWebhookUrl } from './webhook-url-redaction.ts';
import { SUBSCRIPTION_ID_PATTERN, signingKeys, type WebhookSubscription } from './webhooks.ts';

export interface WebhookConfig {
  /** stable name (default: derived from the url; required when the url is kept elsewhere): part of each delivery's id */
  readonly id: string;
  /** the receiver's URL as configured; absent when it is kept out of the configuration (`urlEnv`, `urlSecret`) */
  readonly url?: string;
  /** leadpact dev: the environment variable that holds the receiver's URL */
  readonly urlEnv?: string;
  /**
   * AWS: the receiver's URL is in a Secrets Manager secret the stack creates for the subscription (ops put it
   * there), never in cdk.json or the template: Slack's, Zapier's, Make's or Teams' URL is their credential
   */
  readonly urlSecret?: true;
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
 * shared and reserved ranges (IPv6 forms that carry an IPv4 address included), `localhost` and `*.internal`
 * names. Neither takes a user name or password in the URL.
 */
export type WebhookUrlPolicy = 'local' | 'deployed';

/** The subscription id of the EventBridge bus (tasks/events-out.ts BUS_SUBSCRIPTION): no webhook's. */
export const BUS_SUBSCRIPTION_ID = 'eventbridge';

/**
 * Checks `webhooks` (an array) and fills defaults; throws WebhookConfigError naming the field (a key no
 * subscription takes among them: SUBSCRIPTION_KEYS). `ids`: the
 * subscription ids of lists parsed before this one (`--webhook` before the config file), so no id is given
 * twice: two subscriptions under one id share their deliveries (the id is part of a delivery's), and one of
 * them got nothing, silently. The bus's id (BUS_SUBSCRIPTION_ID) is no webhook's for the same reason.
 */
export function parseWebhookConfig(
  raw: unknown,
  where = 'webhooks',
  policy: WebhookUrlPolicy = 'local',
  ids: Set<string> = new Set<string>(),
): WebhookConfig[] {
  if (raw === undefined) return [];
  if (!Array.isArray(raw))
    throw new WebhookConfigError(where, 'must be a list of { url, events, secretEnv }');
  /** the urlSecret subscription each URL-secret output name was given to */
  const outputs = new Map<string, string>();
  return raw.map((entry: unknown, index) => {
    const at = `${where}[${index}]`;
    if (typeof entry !== 'object' || entry === null || Array.isArray(entry))
      throw new WebhookConfigError(at, 'must be an object');
    const unknownKey = unknownSubscriptionKey(entry as Record<string, unknown>, at);
    if (unknownKey) throw unknownKey;
    const { url, events, secretEnv, id, urlEnv, urlSecret } = entry as Record<string, unknown>;
    const given = [
      url !== undefined && 'url',
      urlEnv !== undefined && 'urlEnv',
      urlSecret !== undefined && 'urlSecret',
    ].filter(Boolean);
    if (given.length > 1)
      throw new WebhookConfigError(
        `${at}.${given[1]}`,
        `give the receiver's URL one way: ${given.join(' or ')}`,
      );
    const kept: Pick<WebhookConfig, 'url' | 'urlEnv' | 'urlSecret'> = (() => {
      if (urlSecret !== undefined) {
        if (policy !== 'deployed')
          throw new WebhookConfigError(
            `${at}.urlSecret`,
            'is for the CDK context; locally name an environment variable in "urlEnv"',
          );
        if (urlSecret !== true) throw new WebhookConfigError(`${at}.urlSecret`, 'must be true (or left out)');
        return { urlSecret: true };
      }
      if (urlEnv !== undefined) {
        if (policy === 'deployed')
          throw new WebhookConfigError(
            `${at}.urlEnv`,
            'is for leadpact dev; on AWS use "urlSecret": true (the URL in Secrets Manager)',
          );
        if (typeof urlEnv !== 'string' || !ENV_NAME.test(urlEnv))
          throw new WebhookConfigError(`${at}.urlEnv`, 'must name an environment variable (A-Z, 0-9, _)');
        return { urlEnv };
      }
      const refused = typeof url === 'string' ? webhookUrlProblem(url, policy) : NOT_A_URL;
      if (refused) throw new WebhookConfigError(`${at}.url`, refused);
      return { url: url as string };
    })();
    const list = events === undefined ? ['*'] : events;
    if (!Array.isArray(list) || list.length === 0 || list.some((type) => !PATTERNS.has(String(type)))) {
      throw new WebhookConfigError(
        `${at}.events`,
        `must list event types (${LEAD_EVENT_TYPES.join(', ')}), "lead.*", "deal.*" or "*"`,
      );
    }
    const env = secretEnv ?? DEFAULT_WEBHOOK_SECRET_ENV;
    if (typeof env !== 'string' || !ENV_NAME.test(env))
      throw new WebhookConfigError(`${at}.secretEnv`, 'must name an environment variable (A-Z, 0-9, _)');
    // a URL kept elsewhere is not known here: the subscription needs a name of its own
    if (id === undefined && kept.url === undefined)
      throw new WebhookConfigError(
        `${at}.id`,
        `is required with ${kept.urlSecret ? 'urlSecret' : 'urlEnv'} (the URL is not in the configuration to name it by)`,
      );
    const name = id === undefined ? defaultId(kept.url!) : id;
    if (typeof name !== 'string' || !SUBSCRIPTION_ID_PATTERN.test(name))
      throw new WebhookConfigError(`${at}.id`, 'must be 1-64 letters, digits, - or _');
    // the bus's deliveries are keyed by it: a webhook of this id shared their ids, and got none of its own
    if (name === BUS_SUBSCRIPTION_ID)
      throw new WebhookConfigError(
        `${at}.id`,
        `"${name}" is the EventBridge bus's subscription id (its deliveries have it): give this webhook another`,
      );
    if (ids.has(name))
      throw new WebhookConfigError(
        `${at}.id`,
        `"${name}" is used twice${id === undefined ? ' (the same url twice: give each an "id")' : ''}`,
      );
    ids.add(name);
    // the stack names each URL secret in an output of the id's letters and digits: two ids apart only in '-'
    // or '_' would name one output, and synth failed on the clash without naming either webhook
    if (kept.urlSecret) {
      const output = webhookUrlSecretOutput(name);
      const taken = outputs.get(output);
      if (taken !== undefined)
        throw new WebhookConfigError(
          `${at}.id`,
          `"${name}" names the same output as "${taken}" (${output}): give the two ids different letters or digits`,
        );
      outputs.set(output, name);
    }
    return { id: name, ...kept, events: list.map(String), secretEnv: env };
  });
}

/**
 * The subscriptions with their URLs and secrets from `env` (leadpact dev); a missing or malformed secret, or a
 * URL variable unset or not a URL, names its variable.
 */
export function resolveSubscriptions(
  configs: readonly WebhookConfig[],
  env: Readonly<Record<string, string | undefined>>,
): WebhookSubscription[] {
  return configs.map((config) => {
    const url = config.urlEnv === undefined ? config.url : env[config.urlEnv]?.trim();
    if (config.urlEnv !== undefined) {
      if (!url)
        throw new WebhookConfigError(
          config.urlEnv,
          `is not set (the receiver's URL of webhook ${config.id})`,
        );
      const refused = webhookUrlProblem(url, 'local');
      if (refused) throw new WebhookConfigError(config.urlEnv, refused);
    }
    const secret = env[config.secretEnv];
    if (!secret)
      throw new WebhookConfigError(
        config.secretEnv,
        `is not set (the webhook secret for ${url ? redactWebhookUrl(url) : config.id})`,
      );
    try {
      signingKeys(secret);
    } catch (error) {
      throw new WebhookConfigError(config.secretEnv, (error as Error).message);
    }
    return { id: config.id, url: url ?? '', events: config.events, secret };
  });
}

/**
 * What is wrong with a receiver's URL under `policy` (webhook-config's rules, the same at synth, at start and
 * for a URL read from its secret on AWS); undefined: none.
 */
export function webhookUrlProblem(url: string, policy: WebhookUrlPolicy): string | undefined {
  if (!isHttpUrl(url)) return NOT_A_URL;
  // a password in the URL would sit in the template or config, the delivery log, the console and each failed
  // attempt's log line (fetch refuses such a URL, so every delivery failed, naming it); the signature is the proof
  const parsed = new URL(url);
  if (parsed.username || parsed.password)
    return 'must not carry a user name or password (they would be shown in the delivery log and logs); the receiver checks the signature';
  return policy === 'deployed' ? deployedUrlProblem(parsed) : undefined;
}

const ENV_NAME = /^[A-Z_][A-Z0-9_]*$/;

/** The keys a subscription takes (WebhookConfig's): any other is a mistake, refused by name. */
export const SUBSCRIPTION_KEYS = ['id', 'url', 'urlEnv', 'urlSecret', 'events', 'secretEnv'] as const;

/**
 * The first key of `entry` that no subscription takes, as the error that names it. Ignored, a typo changed
 * who gets what in silence: `event` for `events` sent every event (the contact's email with it) to a
 * receiver meant for one; `secretenv` signed with the default key; `enabled: false` kept sending. Pausing is
 * not a setting: a subscription taken out of the list gets nothing (its deliveries stay in the log).
 */
function unknownSubscriptionKey(entry: Record<string, unknown>, at: string): WebhookConfigError | undefined {
  const known: readonly string[] = SUBSCRIPTION_KEYS;
  const key = Object.keys(entry).find((name) => !known.includes(name));
  if (key === undefined) return undefined;
  const near = nearestName(key, known);
  const hint = near
    ? ` (did you mean ${near}?)`
    : PAUSE_KEYS.has(key.toLowerCase())
      ? '; to stop sending to a subscription, take it out of the list'
      : '';
  return new WebhookConfigError(
    `${at}.${key}`,
    `no such key${hint}; a subscription takes ${SUBSCRIPTION_KEYS.join(', ')}`,
  );
}

/** keys written to pause a subscription, which is done by taking it out of the list */
const PAUSE_KEYS = new Set(['enabled', 'disabled', 'paused', 'active']);

/**
 * The stack output that names the secret of a `urlSecret` subscription's receiver URL: `WebhookUrlSecret` and the
 * id's letters and digits (an output id is alphanumeric; parseWebhookConfig refuses two ids that give one name).
 */
export function webhookUrlSecretOutput(id: string): string {
  return `WebhookUrlSecret${id.replace(/[^A-Za-z0-9]/g, '')}`;
}

/** webhookUrlProblem's answer for what is no http(s) URL at all */
export const NOT_A_URL = 'must be an http(s) URL';

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
  // local-use NAT64 (a network's own translator) and Teredo (its IPv4 address is obscured); the forms that
  // carry an IPv4 address plainly are judged by it (isInternalAddress)
  ['64:ff9b:1::', 48],
  ['2001::', 32],
  ['fc00::', 7],
  ['fe80::', 10],
  ['ff00::', 8],
] as const)
  INTERNAL.addSubnet(prefix, bits, 'ipv6');

function deployedUrlProblem(url: URL): string | undefined {
  if (url.protocol !== 'https:') return 'must be an https URL on AWS (events carry personal data)';
  // URL has normalised the host: 0x7f000001 is 127.0.0.1 here, IPv6 comes in brackets
  // and a fully qualified name's trailing dot is dropped (`localhost.` is localhost)
  const host = url.hostname
    .replace(/^\[|\]$/g, '')
    .replace(/\.$/, '')
    .toLowerCase();
  const internal =
    isIP(host) !== 0
      ? isInternalAddress(host)
      : host === 'localhost' || /\.(localhost|internal|local)$/.test(host);
  return internal
    ? `"${url.hostname}" is an internal address (loopback, link-local, private or reserved): a deployed sender posts only to public receivers`
    : undefined;
}

/**
 * An IP address in a range a deployed sender never posts to. An IPv6 address that carries an IPv4 one is
 * judged by that IPv4 address: IPv4-mapped (::ffff:a9fe:a9fe), IPv4-translated (::ffff:0:a9fe:a9fe),
 * IPv4-compatible (::169.254.169.254), NAT64
 * (64:ff9b::/96, what DNS64 answers for a public IPv4-only name) and 6to4 (2002::/16).
 */
export function isInternalAddress(address: string): boolean {
  const host = address.toLowerCase();
  if (isIP(host) === 4) return INTERNAL.check(host, 'ipv4');
  if (isIP(host) !== 6) return false;
  const groups = ipv6Groups(host);
  const v4 = (high: number, low: number) => [high >> 8, high & 255, low >> 8, low & 255].join('.');
  const zero = (from: number, to: number) => groups.slice(from, to).every((group) => group === 0);
  if (zero(0, 5) && groups[5] === 0xffff) return INTERNAL.check(v4(groups[6]!, groups[7]!), 'ipv4');
  // IPv4-translated (SIIT, ::ffff:0:a9fe:a9fe)
  if (zero(0, 4) && groups[4] === 0xffff && groups[5] === 0)
    return INTERNAL.check(v4(groups[6]!, groups[7]!), 'ipv4');
  if (zero(0, 6) && (groups[6] !== 0 || groups[7]! > 1))
    return INTERNAL.check(v4(groups[6]!, groups[7]!), 'ipv4');
  if (groups[0] === 0x64 && groups[1] === 0xff9b && zero(2, 6))
    return INTERNAL.check(v4(groups[6]!, groups[7]!), 'ipv4');
  if (groups[0] === 0x2002) return INTERNAL.check(v4(groups[1]!, groups[2]!), 'ipv4');
  return INTERNAL.check(host, 'ipv6');
}

/** The eight 16-bit groups of an IPv6 address (`::` expanded, a trailing dotted IPv4 part read as two). */
function ipv6Groups(address: string): number[] {
  const dotted = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(address);
  const text = dotted
    ? `${address.slice(0, dotted.index)}${((Number(dotted[1]) << 8) | Number(dotted[2])).toString(16)}:${((Number(dotted[3]) << 8) | Number(dotted[4])).toString(16)}`
    : address;
  const [head = '', tail] = text.split('::');
  const parse = (part: string) =>
    part === '' ? [] : part.split(':').map((group) => Number.parseInt(group, 16));
  const front = parse(head);
  const back = tail === undefined ? [] : parse(tail);
  return [...front, ...Array<number>(8 - front.length - back.length).fill(0), ...back];
}
