/**
 * The webhook subscriptions the stack gave events out (`LEADPACT_WEBHOOKS`, lib/events.ts grantDeliver: ids,
 * events, the ARN of each signing key's secret, and either the receiver's URL or, with `urlSecret`, the ARN
 * of the secret that holds it), each secret read once at init.
 *
 * A URL read from its secret that is not set yet (the stack's generated value) or not allowed on AWS (http,
 * an internal address, a user name in it: webhook-config.ts) makes that subscription unusable: its
 * deliveries fail with the reason, retried on the schedule (tasks/events-out.ts), rather than the function
 * failing its init and with it the bus and every other subscription.
 */
import { NOT_A_URL, webhookUrlProblem, webhookUrlSecretOutput } from '../../domain/webhook-config.ts';
import type { WebhookSubscription } from '../../domain/webhooks.ts';

interface ConfiguredSubscription {
  readonly id: string;
  readonly url?: string;
  readonly urlSecretArn?: string;
  readonly events: string[];
  readonly secretArn: string;
}

export async function webhookSubscriptions(
  json: string | undefined,
  readSecret: (arn: string) => Promise<string>,
): Promise<WebhookSubscription[]> {
  const configured = JSON.parse(json ?? '[]') as ConfiguredSubscription[];
  return Promise.all(
    configured.map(async ({ secretArn, urlSecretArn, url, ...subscription }) => {
      const [value, stored] = await Promise.all([
        readSecret(secretArn),
        urlSecretArn ? readSecret(urlSecretArn) : undefined,
      ]);
      // the stack generates the base64 part; ops may also put a whole whsec_ key of their own, or two
      // during a rotation (`whsec_<new> whsec_<old>`: both sign, docs/integrations.md)
      const keys = value
        .trim()
        .split(/\s+/)
        .map((key) => (key.startsWith('whsec_') ? key : `whsec_${key}`));
      const receiver = url ?? (stored === undefined ? '' : storedUrl(stored));
      const problem = url === undefined ? webhookUrlProblem(receiver, 'deployed') : undefined;
      return {
        ...subscription,
        url: problem ? '' : receiver,
        secret: keys.join(' '),
        ...(problem
          ? {
              unusable:
                problem === NOT_A_URL
                  ? `its receiver URL is not set: put the https URL in its secret (stack output ${webhookUrlSecretOutput(subscription.id)})`
                  : `its receiver URL (in its secret) is not allowed: ${problem}`,
            }
          : {}),
      };
    }),
  );
}

/**
 * The URL as ops put it in its secret: plain text (`--secret-string 'https://...'`), or the AWS console's
 * key/value form, JSON with one value (any key, e.g. `{"url":"https://..."}`).
 */
function storedUrl(value: string): string {
  const text = value.trim();
  if (!text.startsWith('{')) return text;
  try {
    const values = Object.values(JSON.parse(text) as Record<string, unknown>);
    return values.length === 1 && typeof values[0] === 'string' ? values[0].trim() : text;
  } catch {
    return text;
  }
}
