/**
 * A webhook URL as LeadPact shows it: wherever a receiver's URL is shown, stored for display, logged or put
 * in an error (the delivery log's `url`, the console, `leadpact dev`'s banner, a config error, the stack's
 * secret descriptions), so that reading it does not let anyone post to the receiver as LeadPact. Many
 * receivers take the URL itself as the credential: Slack's `/services/T…/B…/<token>`, Zapier's
 * `/hooks/catch/<account>/<hook>/`, Discord's `/api/webhooks/<id>/<token>`, a Teams or Power Automate
 * workflow's `sig=` query, Pipedream's host name. The rule (docs/integrations.md#what-the-log-shows-of-a-url):
 *
 * - kept: the scheme, the host and the port; a user name, password and fragment are dropped;
 * - the query: every parameter's name is kept, its value masked (`?sig=***&api-version=***`); a parameter
 *   without `=` is masked whole;
 * - the path, on a known vendor's host (VENDORS): a segment is kept only if it is one of the vendor's
 *   fixed route words (`services`, `hooks`, `catch`, `webhooks`, ...), every other segment is masked;
 *   Pipedream's per-endpoint host label is masked too;
 * - the path, anywhere else: a segment is masked when it looks like a secret (looksSecret): a UUID, a run
 *   of 20 or more letters and digits, or a segment of 16 or more characters with a run of 8 or more that
 *   mixes letters and digits. Words (`hooks`, `leadpact`, `order-events-2024`) are kept;
 * - a masked part is `***`. Redacting a redacted URL changes nothing.
 *
 * Not caught: a short random segment (under 16 characters) or one of letters only under 20, on a host not
 * in the list. The subscription id stays beside the URL (the delivery log's `subscriptionId`) to tell two
 * receivers apart. Pure.
 */

export const MASK = '***';

interface Vendor {
  /** the host, lower case */
  readonly host: RegExp;
  /** path segments shown as they are (the vendor's route words); every other segment is masked */
  readonly words: RegExp;
  /** the host's first label is the endpoint's own (Pipedream): masked */
  readonly maskFirstLabel?: boolean;
}

/** Receivers whose URL is the credential, by host. */
const VENDORS: readonly Vendor[] = [
  // Slack incoming webhooks and workflow triggers
  { host: /^hooks\.slack(-gov)?\.com$/, words: /^(services|triggers|workflows)$/ },
  // Zapier's catch hooks
  { host: /^hooks\.zapier\.com$/, words: /^(hooks|catch|silent)$/ },
  // Make (formerly Integromat): the whole path is the hook's key
  { host: /^hook\.([a-z0-9-]+\.)?(make\.com|integromat\.com|make\.celonis\.com)$/, words: /^$/ },
  // Discord: /api[/v10]/webhooks/<id>/<token>[/slack|/github]
  {
    host: /^((ptb|canary)\.)?discord(app)?\.com$/,
    words: /^(api|webhooks|v\d{1,2}|slack|github)$/,
  },
  // Microsoft Teams incoming webhooks, Power Automate and Logic Apps workflows (the sig= query is the key)
  {
    host: /(^|\.)(logic\.azure\.com|webhook\.office\.com|powerplatform\.com|powerautomate\.com)$|^outlook\.office(365)?\.com$/,
    words:
      /^(workflows|triggers|manual|paths|invoke|powerautomate|automations|direct|webhook|webhookb2|IncomingWebhook)$/,
  },
  // n8n cloud: /webhook/<uuid>
  { host: /\.app\.n8n\.cloud$/, words: /^(webhook|webhook-test|webhook-waiting|form|form-test)$/ },
  // Pipedream: https://<endpoint>.m.pipedream.net
  { host: /^[^.]+\.m\.pipedream\.net$/, words: /^$/, maskFirstLabel: true },
  // IFTTT Webhooks: /trigger/<event>/with/key/<key>
  { host: /^maker\.ifttt\.com$/, words: /^(trigger|with|key|json)$/ },
  // Google Chat: /v1/spaces/<space>/messages?key=...&token=...
  { host: /^chat\.googleapis\.com$/, words: /^(v1|spaces|messages)$/ },
];

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A path segment (percent-decoded) that looks like a token rather than a word: see the file's rule. */
export function looksSecret(segment: string): boolean {
  if (UUID.test(segment)) return true;
  const runs = segment.split(/[^A-Za-z0-9]+/);
  if (runs.some((run) => run.length >= 20)) return true;
  return (
    segment.length >= 16 && runs.some((run) => run.length >= 8 && /[A-Za-z]/.test(run) && /[0-9]/.test(run))
  );
}

/** The URL as shown (the rule above). A bare scheme (`eventbridge:`, the bus) is shown as it is. */
export function redactWebhookUrl(url: string): string {
  if (/^[a-z][a-z0-9+.-]*:$/i.test(url)) return url;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return MASK;
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return `${parsed.protocol}${MASK}`;
  const host = parsed.hostname.toLowerCase().replace(/\.$/, '');
  const vendor = VENDORS.find((candidate) => candidate.host.test(host));
  const shownHost = vendor?.maskFirstLabel
    ? `${MASK}${parsed.host.slice(parsed.host.indexOf('.'))}`
    : parsed.host;
  const path = parsed.pathname
    .split('/')
    .map((segment) => {
      if (segment === '' || segment === MASK) return segment;
      const decoded = safeDecode(segment);
      const secret = vendor ? !vendor.words.test(decoded) : looksSecret(decoded);
      return secret ? MASK : segment;
    })
    .join('/');
  const query = parsed.search
    .slice(1)
    .split('&')
    .filter((pair) => pair !== '')
    .map((pair) => {
      const at = pair.indexOf('=');
      if (at < 0) return MASK;
      return at === pair.length - 1 ? pair : `${pair.slice(0, at)}=${MASK}`;
    });
  return `${parsed.protocol}//${shownHost}${path}${query.length > 0 ? `?${query.join('&')}` : ''}`;
}

/** Text with every http(s) URL in it redacted (an error message that quotes the receiver's URL). */
export function redactUrlsIn(text: string): string {
  // a sentence's punctuation after a URL is not part of it
  return text.replace(/\bhttps?:\/\/[^\s"'<>`]*[^\s"'<>`.,;:!?)\]]/gi, (url) => redactWebhookUrl(url));
}

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
