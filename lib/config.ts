/**
 * Deployment settings: CDK context (cdk.json, or `-c key=value`) over the defaults below, checked
 * before anything is built. The SLA file is read and validated here, so an invalid SLA fails
 * `cdk synth` with exactly the errors `leadpact sla validate` prints.
 */
import { readFileSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { formatSlaErrors } from '../bin/commands/validate.ts';
import type { ItemFormat } from '../lambdas/adapters/lead-item.ts';
import { encodeBundledSla, MAX_BUNDLED_SLA_CHARS } from '../lambdas/aws/shared/sla-define.ts';
import { nearestName } from '../lambdas/domain/nearest-name.ts';
import { parseSla } from '../lambdas/domain/sla-file.ts';
import { formatSlaNote, slaNotes } from '../lambdas/domain/sla-notes.ts';
import type { Sla } from '../lambdas/domain/sla-schema.ts';
/** The defaults; cdk.json's "context" lists the same keys and values (a test keeps them equal). */
import {
  parseWebhookConfig,
  type WebhookConfig,
  WebhookConfigError,
} from '../lambdas/domain/webhook-config.ts';
import { DEFAULT_MAIL_RESERVE_PERCENT } from '../lambdas/ports/mailer.ts';
import { PROJECT_ROOT } from './paths.ts';

export const DEFAULT_CONTEXT = {
  /** the SLA the functions run, relative to the project root */
  slaFile: 'sla/default.yaml',
  /** the From address of every email; SES must verify it (docs/deploy.md) */
  senderEmail: 'leadpact@example.com',
  /** origins allowed to post the form (CORS and the thank-you redirect); "*" for any */
  allowedOrigins: ['https://www.example.com'],
  /** authorization of the non-public routes: "iam" (SigV4) or "jwt" (needs jwtIssuer and jwtAudience) */
  authMode: 'iam',
  jwtIssuer: '',
  jwtAudience: [] as string[],
  /** alarms and workflow failure emails go here; empty: alarms only reach the SNS topic */
  opsEmail: '',
  /** the URL links in emails point to, when the API sits behind a custom domain; empty: the API's URL */
  publicBaseUrl: '',
  /** bump after changing a key in Secrets Manager: the functions holding keys restart and read it (docs/deploy.md) */
  keysVersion: '1',
  /**
   * how the functions write a lead's state item: "body" (the lead compressed in one attribute, ADR 0037) or
   * "plain" (every field an attribute, as before it). Both are read either way; upgrading a deployment from a
   * version before ADR 0037, deploy once with "plain", then with "body" (docs/deploy.md: a rollback stays safe)
   */
  stateItemFormat: 'body',
  /**
   * SES sandbox, what a new account has (true): SES delivers only to verified addresses and also authorizes
   * against each recipient; widens ses:SendEmail to identity/* (From still pinned). False once AWS granted production access
   */
  sesSandbox: true,
  /** your sending domain (e.g. example.org): a domain identity with Easy DKIM; senderEmail must be on it. Empty: an address identity */
  mailDomain: '',
  /** a custom MAIL FROM subdomain of mailDomain (e.g. "mail": mail.example.org), so SPF aligns for DMARC; empty: none */
  mailFromSubdomain: '',
  /**
   * the share of SES's daily quota (%) that nurture leaves to the SLA's own emails (reps, managers, ops, consent
   * confirmations): a nurture email is dropped, its lead's timeline says so, once only this much is left (ADR 0067). 0: none; at most 90
   */
  mailReservePercent: DEFAULT_MAIL_RESERVE_PERCENT,
  logRetentionDays: 90,
  /** POST /leads: requests per second and burst (the public route: a flood stops here) */
  formRateLimit: 20,
  formBurstLimit: 40,
  /** POST /leads per client address (AWS WAF rate-based rule, docs/decisions/0015): requests per window */
  formRateLimitPerClient: 100,
  /** the WAF rule's window in seconds: 60, 120, 300 or 600 */
  formRateWindowSeconds: 300,
  /** the form's optional bot check: "" (off), turnstile, hcaptcha or recaptcha; its secret key in Secrets Manager */
  botCheckProvider: '',
  botCheckSecretArn: '',
  /** the ARN of a Secrets Manager secret holding the secret Typeform signs its webhook posts with ("": unsigned) */
  typeformSecretArn: '',
  /**
   * events out (docs/integrations.md): webhook subscriptions, [{ url, events, secretEnv }]. On AWS each gets
   * its own Secrets Manager secret (generated; secretEnv names it only locally): the deliverer reads it
   */
  webhooks: [] as { url: string; events?: string[]; secretEnv?: string; id?: string }[],
  /** every other route, together */
  apiRateLimit: 50,
  apiBurstLimit: 100,
  /** bulk import: concurrent consumers, messages per batch, executions started per second per consumer */
  importMaxConcurrency: 2,
  importBatchSize: 10,
  importStartsPerSecond: 5,
  /** alarm thresholds: errors per 5 minutes, messages waiting, rates (0.05 = 5 %) */
  alarmFunctionErrors: 1,
  alarmFailedExecutions: 1,
  alarmLeadsRestarted: 1,
  alarmDlqMessages: 1,
  alarmApi5xx: 5,
  /** the public form's 5xx answers per 5 minutes: each may be a lead that did not get in */
  alarmForm5xx: 1,
  /** the table's throttled reads and writes per 5 minutes (the SDK retries them; many mean a hot key or a quota) */
  alarmThrottles: 25,
  alarmBounceRate: 0.05,
  alarmComplaintRate: 0.001,
};

export type ContextKey = keyof typeof DEFAULT_CONTEXT;

export interface LeadPactConfig {
  readonly slaFile: string;
  /** the SLA file's text, validated */
  readonly slaText: string;
  readonly sla: Sla;
  /** the parsed SLA as JSON: what the functions get (lambdas/aws/shared/sla.ts) */
  readonly slaJson: string;
  readonly senderEmail: string;
  readonly allowedOrigins: readonly string[];
  readonly auth:
    | { readonly mode: 'iam' }
    | { readonly mode: 'jwt'; readonly issuer: string; readonly audience: string[] };
  readonly opsEmail?: string;
  readonly publicBaseUrl?: string;
  readonly sesSandbox: boolean;
  /** the domain identity (Easy DKIM) and its optional custom MAIL FROM domain; absent: an address identity */
  readonly mailDomain?: { readonly domain: string; readonly mailFrom?: string };
  /** the share of SES's daily quota (%) nurture leaves to the SLA's own emails (ADR 0067); 0: none */
  readonly mailReservePercent: number;
  readonly keysVersion: string;
  readonly stateItemFormat: ItemFormat;
  readonly logRetention: RetentionDays;
  readonly throttle: {
    readonly form: { readonly rate: number; readonly burst: number };
    /** WAF: requests one client address may make per window */
    readonly formPerClient: { readonly limit: number; readonly windowSeconds: number };
    readonly api: { readonly rate: number; readonly burst: number };
  };
  /** events out: webhook subscriptions (their secrets live in Secrets Manager on AWS) */
  readonly webhooks: readonly WebhookConfig[];
  /** the form's CAPTCHA server-side verify; absent: off */
  readonly botCheck?: { readonly provider: string; readonly secretArn: string };
  /** the secret Typeform's webhook posts are signed with (docs/forms.md#typeform); absent: taken unsigned */
  readonly typeformSecretArn?: string;
  readonly bulkImport: {
    readonly maxConcurrency: number;
    readonly batchSize: number;
    readonly startsPerSecond: number;
  };
  readonly alarms: {
    readonly functionErrors: number;
    readonly failedExecutions: number;
    /** lead workflows the reconciler restarted in 15 minutes */
    readonly leadsRestarted: number;
    readonly dlqMessages: number;
    readonly api5xx: number;
    readonly form5xx: number;
    readonly throttles: number;
    readonly bounceRate: number;
    readonly complaintRate: number;
  };
  /** settings left at a placeholder: deployable, but not useful (the app prints them as warnings) */
  readonly placeholders: readonly string[];
}

/** A setting that cannot be deployed: the message says which and why. */
export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

type Lookup = (key: string) => unknown;

/**
 * Settings read besides DEFAULT_CONTEXT's: `stackName` (bin/leadpact.ts; default LeadPact, and so absent from
 * cdk.json). CDK's own context keys are told apart by their shape: feature flags (`@aws-cdk/...`), keys with a
 * colon (`aws:cdk:bundling-stacks`, cdk.context.json's lookups) and `acknowledged-issue-numbers`.
 */
const OTHER_SETTINGS = ['stackName'] as const;
const isCdkOwn = (key: string) =>
  key.startsWith('@') || key.includes(':') || key === 'acknowledged-issue-numbers';

/** CloudFormation's rule for a stack name: a letter, then letters, digits and hyphens, at most 128. */
const STACK_NAME = /^[A-Za-z][A-Za-z0-9-]{0,127}$/;

/**
 * Reads and checks every setting; throws ConfigError naming each problem. `given`: every context key the app
 * was given (cdk.json and `-c`): a name no setting has (a typo: `mailReservePercnt`) is a problem, not a default
 * deployed in silence.
 */
export function readConfig(
  lookup: Lookup,
  root: string = PROJECT_ROOT,
  given: readonly string[] = [],
): LeadPactConfig {
  const problems: string[] = [];
  const known: readonly string[] = [...Object.keys(DEFAULT_CONTEXT), ...OTHER_SETTINGS];
  for (const key of given) {
    if (known.includes(key) || isCdkOwn(key)) continue;
    const near = nearestName(key, known);
    problems.push(
      `${key}: no such setting${near ? ` (did you mean ${near}?)` : ''}; docs/deploy.md lists them`,
    );
  }
  const stackName = lookup('stackName');
  if (stackName !== undefined && (typeof stackName !== 'string' || !STACK_NAME.test(stackName)))
    problems.push(
      `stackName: ${JSON.stringify(stackName)} is no CloudFormation stack name (a letter, then letters, digits and hyphens, at most 128)`,
    );
  const raw = (key: ContextKey): unknown => lookup(key) ?? DEFAULT_CONTEXT[key];
  const text = (key: ContextKey): string => {
    const value = raw(key);
    if (typeof value !== 'string') {
      problems.push(`${key}: expected text, got ${JSON.stringify(value)}`);
      return '';
    }
    return value.trim();
  };
  const list = (key: ContextKey): string[] => {
    const value = raw(key);
    if (Array.isArray(value) && value.every((item) => typeof item === 'string'))
      return value.map((v) => v.trim());
    if (typeof value === 'string') {
      // from the command line: -c allowedOrigins=https://a.example,https://b.example (or a JSON array)
      if (value.trim().startsWith('[')) {
        try {
          const parsed: unknown = JSON.parse(value);
          if (Array.isArray(parsed) && parsed.every((item) => typeof item === 'string')) return parsed;
        } catch {
          // fall through to the comma list
        }
      }
      return value
        .split(',')
        .map((v) => v.trim())
        .filter((v) => v !== '');
    }
    problems.push(`${key}: expected a list of text, got ${JSON.stringify(value)}`);
    return [];
  };
  const number = (key: ContextKey, min: number, max: number, integer = true): number => {
    const value = raw(key);
    const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
    if (
      typeof n !== 'number' ||
      !Number.isFinite(n) ||
      n < min ||
      n > max ||
      (integer && !Number.isInteger(n))
    ) {
      problems.push(
        `${key}: expected ${integer ? 'a whole number' : 'a number'} from ${min} to ${max}, got ${JSON.stringify(value)}`,
      );
      return min;
    }
    return n;
  };
  const flag = (key: ContextKey): boolean => {
    const value = raw(key);
    if (value === true || value === 'true') return true;
    if (value === false || value === 'false') return false;
    problems.push(`${key}: expected true or false, got ${JSON.stringify(value)}`);
    return false;
  };

  const slaFile = text('slaFile');
  const senderEmail = text('senderEmail');
  if (!EMAIL.test(senderEmail)) problems.push(`senderEmail: "${senderEmail}" is not an email address`);
  const allowedOrigins = list('allowedOrigins');
  for (const origin of allowedOrigins) {
    if (origin !== '*' && !isOrigin(origin)) {
      // what a browser sends as Origin, exactly: a near miss says what to change
      const sent = originAsSent(origin);
      problems.push(
        sent
          ? `allowedOrigins: "${origin}" is not an origin as browsers send it: write "${sent}" (lower case, no trailing slash)`
          : `allowedOrigins: "${origin}" is not an origin (scheme://host[:port], no path), or "*"`,
      );
    }
    if (origin === '*' && allowedOrigins.length > 1)
      problems.push('allowedOrigins: "*" allows every origin: give it alone, or list the origins without it');
  }
  if (allowedOrigins.length === 0) problems.push('allowedOrigins: at least one origin (or "*")');
  const mode = text('authMode');
  let auth: LeadPactConfig['auth'] = { mode: 'iam' };
  if (mode === 'jwt') {
    const issuer = text('jwtIssuer');
    const audience = list('jwtAudience');
    if (!/^https:\/\/\S+$/.test(issuer))
      problems.push('jwtIssuer: authMode "jwt" needs the issuer URL (https://...)');
    if (audience.length === 0) problems.push('jwtAudience: authMode "jwt" needs at least one audience');
    auth = { mode: 'jwt', issuer, audience };
  } else if (mode !== 'iam') {
    problems.push(`authMode: "iam" or "jwt", got "${mode}"`);
  }
  const opsEmail = text('opsEmail');
  if (opsEmail && !EMAIL.test(opsEmail)) problems.push(`opsEmail: "${opsEmail}" is not an email address`);
  const publicBaseUrl = text('publicBaseUrl').replace(/\/+$/, '');
  if (publicBaseUrl && !/^https:\/\/[^/\s]+(\/\S*)?$/.test(publicBaseUrl)) {
    problems.push(`publicBaseUrl: "${publicBaseUrl}" is not an https URL`);
  }
  const mailDomain = text('mailDomain').toLowerCase().replace(/\.$/, '');
  const mailFromSubdomain = text('mailFromSubdomain').toLowerCase();
  if (mailDomain) {
    if (!DOMAIN.test(mailDomain)) problems.push(`mailDomain: "${mailDomain}" is not a domain name`);
    else if (!senderEmail.toLowerCase().endsWith(`@${mailDomain}`))
      problems.push(
        `senderEmail: "${senderEmail}" is not on mailDomain ${mailDomain}: send from an address on the domain you verify`,
      );
  }
  if (mailFromSubdomain && (!mailDomain || !/^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/.test(mailFromSubdomain)))
    problems.push(
      mailDomain
        ? `mailFromSubdomain: "${mailFromSubdomain}" is not one DNS label (e.g. "mail")`
        : 'mailFromSubdomain: needs mailDomain',
    );
  const webhooks = (() => {
    // from the command line: -c 'webhooks=[{"url":"https://crm.example/hook","events":["lead.*"]}]'
    let value = raw('webhooks');
    if (typeof value === 'string') {
      try {
        value = JSON.parse(value);
      } catch {
        problems.push('webhooks: expected a JSON list of { url, events, secretEnv }');
        return [];
      }
    }
    try {
      return parseWebhookConfig(value, 'webhooks', 'deployed');
    } catch (error) {
      if (!(error instanceof WebhookConfigError)) throw error;
      problems.push(error.message);
      return [];
    }
  })();
  const botCheckProvider = text('botCheckProvider');
  const botCheckSecretArn = text('botCheckSecretArn');
  if (botCheckProvider && !['turnstile', 'hcaptcha', 'recaptcha'].includes(botCheckProvider))
    problems.push(`botCheckProvider: "", "turnstile", "hcaptcha" or "recaptcha", got "${botCheckProvider}"`);
  if (botCheckProvider && !SECRET_ARN.test(botCheckSecretArn))
    problems.push(
      'botCheckSecretArn: botCheckProvider needs the ARN of the Secrets Manager secret holding its secret key',
    );
  const typeformSecretArn = text('typeformSecretArn');
  if (typeformSecretArn && !SECRET_ARN.test(typeformSecretArn))
    problems.push(
      `typeformSecretArn: the ARN of a Secrets Manager secret (arn:aws:secretsmanager:<region>:<account>:secret:<name>), got "${typeformSecretArn}"`,
    );
  const retentionDays = number('logRetentionDays', 1, 3653);
  if (!RETENTION_DAYS.includes(retentionDays)) {
    problems.push(
      `logRetentionDays: CloudWatch Logs keeps ${RETENTION_DAYS.join(', ')} days, not ${retentionDays}`,
    );
  }
  const windowSeconds = (seconds: number): number => {
    if ([60, 120, 300, 600].includes(seconds)) return seconds;
    problems.push(`formRateWindowSeconds: AWS WAF counts over 60, 120, 300 or 600 seconds, not ${seconds}`);
    return 300;
  };
  const itemFormat = text('stateItemFormat') || 'body';
  if (itemFormat !== 'body' && itemFormat !== 'plain')
    problems.push(`stateItemFormat: "body" or "plain", got "${itemFormat}"`);
  const stateItemFormat: ItemFormat = itemFormat === 'plain' ? 'plain' : 'body';
  const config = {
    slaFile,
    senderEmail,
    allowedOrigins,
    auth,
    ...(opsEmail ? { opsEmail } : {}),
    ...(publicBaseUrl ? { publicBaseUrl } : {}),
    sesSandbox: flag('sesSandbox'),
    ...(mailDomain
      ? {
          mailDomain: {
            domain: mailDomain,
            ...(mailFromSubdomain ? { mailFrom: `${mailFromSubdomain}.${mailDomain}` } : {}),
          },
        }
      : {}),
    mailReservePercent: number('mailReservePercent', 0, 90),
    keysVersion: String(raw('keysVersion')).trim() || '1',
    stateItemFormat,
    logRetention: retentionDays as RetentionDays,
    throttle: {
      form: { rate: number('formRateLimit', 1, 10_000), burst: number('formBurstLimit', 1, 5_000) },
      // WAF rate-based rules take 10 to 2,000,000,000 requests per window of 60, 120, 300 or 600 s
      formPerClient: {
        limit: number('formRateLimitPerClient', 10, 2_000_000_000),
        windowSeconds: windowSeconds(number('formRateWindowSeconds', 60, 600)),
      },
      api: { rate: number('apiRateLimit', 1, 10_000), burst: number('apiBurstLimit', 1, 5_000) },
    },
    webhooks,
    ...(botCheckProvider ? { botCheck: { provider: botCheckProvider, secretArn: botCheckSecretArn } } : {}),
    ...(typeformSecretArn ? { typeformSecretArn } : {}),
    bulkImport: {
      // SQS event sources take a maximum concurrency from 2 to 1000
      maxConcurrency: number('importMaxConcurrency', 2, 1000),
      batchSize: number('importBatchSize', 1, 100),
      startsPerSecond: number('importStartsPerSecond', 1, 100),
    },
    alarms: {
      functionErrors: number('alarmFunctionErrors', 1, 1_000_000),
      failedExecutions: number('alarmFailedExecutions', 1, 1_000_000),
      leadsRestarted: number('alarmLeadsRestarted', 1, 1_000_000),
      dlqMessages: number('alarmDlqMessages', 1, 1_000_000),
      api5xx: number('alarmApi5xx', 1, 1_000_000),
      form5xx: number('alarmForm5xx', 1, 1_000_000),
      throttles: number('alarmThrottles', 1, 1_000_000),
      bounceRate: number('alarmBounceRate', 0.0001, 1, false),
      complaintRate: number('alarmComplaintRate', 0.0001, 1, false),
    },
  };
  if (problems.length > 0)
    throw new ConfigError(`the deployment settings are invalid:\n  ${problems.join('\n  ')}`);

  const { text: slaText, sla, json: slaJson } = loadSla(slaFile, root);
  const placeholders = [
    ...(senderEmail.endsWith('@example.com') ? [`senderEmail is ${senderEmail}: SES cannot verify it`] : []),
    ...(allowedOrigins.some((o) => o.endsWith('example.com'))
      ? [`allowedOrigins is ${allowedOrigins.join(', ')}: your site's origin goes here`]
      : []),
    ...(opsEmail ? [] : ['opsEmail is empty: alarms reach the SNS topic but nobody is subscribed']),
    ...slaNotes(sla).map((note) => `${slaFile}: ${formatSlaNote(note)}`),
    ...exampleSenderPages(sla, slaFile),
    ...exampleAddresses(sla, slaFile),
  ].map((text) => (text.includes(slaFile) ? text : `${text} (set it in cdk.json or with -c)`));
  return { ...config, slaText, sla, slaJson, placeholders };
}

/**
 * Reads and validates the SLA file: ConfigError with `leadpact sla validate`'s output when invalid.
 * The functions get the parsed SLA as JSON, so it must survive JSON unchanged (plain data: no dates,
 * maps or functions): checked here rather than trusted.
 */
export function loadSla(file: string, root: string = PROJECT_ROOT): { text: string; sla: Sla; json: string } {
  const path = isAbsolute(file) ? file : join(root, file);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new ConfigError(
      `slaFile: cannot read ${file} (${(error as NodeJS.ErrnoException).code ?? 'error'})`,
    );
  }
  const parsed = parseSla(text);
  if (!parsed.ok) throw new ConfigError(formatSlaErrors(file, parsed.errors));
  const json = JSON.stringify(parsed.sla);
  if (!isDeepStrictEqual(JSON.parse(json), parsed.sla)) {
    throw new ConfigError(
      `${file}: the parsed SLA does not survive JSON unchanged; the functions could not run it`,
    );
  }
  // the bundles carry it on esbuild's command line, deflated: past Linux's limit for one argument, synth failed
  // with `spawnSync npx E2BIG` and a stack trace
  const bundled = encodeBundledSla(json).length;
  if (bundled > MAX_BUNDLED_SLA_CHARS)
    throw new ConfigError(
      `${file}: the SLA is too large to bundle into the functions (${Math.round(json.length / 1024)} KB as JSON, ${Math.round(bundled / 1024)} KB deflated; at most ${MAX_BUNDLED_SLA_CHARS / 1024} KB deflated)`,
    );
  return { text, sla: parsed.sla, json };
}

const DOMAIN = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;

/** a Secrets Manager secret's ARN, in any partition */
const SECRET_ARN = /^arn:aws[a-z-]*:secretsmanager:[^:]+:\d{12}:secret:\S+$/;
const EMAIL = /^[^\s@<>"]+@[^\s@<>"]+\.[^\s@<>"]+$/;

/** Reserved example domains (RFC 2606): mail to them never arrives. */
const EXAMPLE_DOMAIN = /(^|\.)(example|invalid|test|localhost)$|(^|\.)example\.(com|net|org)$/i;

/** The privacy notice and imprint of marketing emails' footers (ADR 0071) when they are the example's. */
function exampleSenderPages(sla: Sla, slaFile: string): string[] {
  return (['privacyUrl', 'imprintUrl'] as const)
    .filter((key) => {
      const url = sla.nurture[key];
      return url !== undefined && EXAMPLE_DOMAIN.test(new URL(url).hostname);
    })
    .map(
      (key) =>
        `nurture.${key} in ${slaFile} is an example address (${sla.nurture[key]}): every marketing email links it (put your company's page there)`,
    );
}

/** One warning naming the SLA's reps and managers whose address is on an example domain, if any. */
function exampleAddresses(sla: Sla, slaFile: string): string[] {
  const people = [...sla.routing.reps, ...sla.routing.managers].filter((person) =>
    EXAMPLE_DOMAIN.test(person.email.split('@')[1] ?? ''),
  );
  if (people.length === 0) return [];
  return [
    `${people.length} reps and managers in ${slaFile} (${people.map((p) => p.id).join(', ')}) have example addresses: SES cannot deliver their emails (put your team's addresses in the SLA)`,
  ];
}

/** The origin a browser would send for a near miss (capitals, a trailing slash), else undefined. */
function originAsSent(value: string): string | undefined {
  try {
    const url = new URL(value);
    const bare = url.pathname === '/' && url.search === '' && url.hash === '';
    return (url.protocol === 'https:' || url.protocol === 'http:') && bare ? url.origin : undefined;
  } catch {
    return undefined;
  }
}

function isOrigin(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === 'https:' || url.protocol === 'http:') && url.origin === value;
  } catch {
    return false;
  }
}

/** The retention periods CloudWatch Logs offers. */
const RETENTION_DAYS: readonly number[] = Object.values(RetentionDays).filter(
  (value): value is number => typeof value === 'number' && value > 0,
);

/**
 * The context in cdk.json: the CLI passes it to the app; an App built in a test or a bench must be
 * given it (new App({ context: cdkJsonContext() })) to synthesize what `cdk synth` synthesizes.
 */
export function cdkJsonContext(root: string = PROJECT_ROOT): Record<string, unknown> {
  const json = JSON.parse(readFileSync(join(root, 'cdk.json'), 'utf8')) as {
    context?: Record<string, unknown>;
  };
  return { ...json.context };
}
