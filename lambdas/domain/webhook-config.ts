/**
 * Webhook subscriptions as configured: `webhooks: [{ url, events, secretEnv }]` in the CDK context
 * (cdk.json, `-c webhooks=...`) and in the local config (`leadpact dev --config FILE`), and
 * `leadpact dev --webhook URL` (every event, the secret in LEADPACT_WEBHOOK_SECRET). One parser, so both
 * reject the same mistakes with the same words. Pure: the environment is passed in.
 */
import { createHash } from 'node:crypto';
import { LEAD_EVENT_TYPES } from './lead-events.ts';
import { secretKey, type WebhookSubscription } from './webhooks.ts';

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

/** Checks `webhooks` (an array) and fills defaults; throws WebhookConfigError naming the field. */
export function parseWebhookConfig(raw: unknown, where = 'webhooks'): WebhookConfig[] {
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
      secretKey(secret);
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
