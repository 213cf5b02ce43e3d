/**
 * The contract between the CDK stack and the Lambda entry points: the environment variables a
 * function may get (each set by the grant that gives the permission it stands for) and the
 * esbuild `define` that carries the SLA. Shared by lib/ and lambdas/aws/, so neither can misspell it.
 */
export const ENV = {
  /** the lead table (store.grant*) */
  tableName: 'LEADPACT_TABLE_NAME',
  /** 'plain' while a deployment upgrades from before ADR 0037 (context stateItemFormat); unset: 'body' */
  stateItemFormat: 'LEADPACT_STATE_ITEM_FORMAT',
  /** the lead lifecycle state machine (workflow.grantStart / grantSignal / grantStop) */
  stateMachineArn: 'LEADPACT_STATE_MACHINE_ARN',
  /** Secrets Manager ARN of the HMAC key for lead ids (secrets.grantLeadIdKey) */
  leadIdSecretArn: 'LEADPACT_LEAD_ID_SECRET_ARN',
  /** Secrets Manager ARN of the HMAC key for action and unsubscribe links (secrets.grantActionLinkKey) */
  actionSecretArn: 'LEADPACT_ACTION_SECRET_ARN',
  /** the deployment's key version (context keysVersion): only there so a change restarts the function */
  keysVersion: 'LEADPACT_KEYS_VERSION',
  /** comma-separated origins allowed to post the form */
  allowedOrigins: 'LEADPACT_ALLOWED_ORIGINS',
  /** the verified SES sender address (mail.grantSend) */
  senderEmail: 'LEADPACT_SENDER_EMAIL',
  /** the SES configuration set whose events reach the bounce handler (mail.grantSend) */
  configurationSet: 'LEADPACT_CONFIGURATION_SET',
  /**
   * the share of SES's daily quota, in %, that nurture leaves to the SLA's own emails (mail.grantSendNurture,
   * context mailReservePercent; ADR 0067); unset: no reserve
   */
  mailReservePercent: 'LEADPACT_MAIL_RESERVE_PERCENT',
  /** where links in emails point: the API's URL */
  publicBaseUrl: 'LEADPACT_PUBLIC_BASE_URL',
  /** where web forms post (the FormUrl output: the form's REST API stage behind WAF); the form's script posts here */
  formUrl: 'LEADPACT_FORM_URL',
  /** workflow failure alerts go here (optional) */
  opsEmail: 'LEADPACT_OPS_EMAIL',
  /** the SLA's version, for a function that reports it but does not run the SLA (GET /health) */
  slaVersion: 'LEADPACT_SLA_VERSION',
  /**
   * the SLA's `locales` as JSON ({ default, supported }), for a function that words a page but does not run
   * the SLA (the health function's page for an address no route has)
   */
  slaLocales: 'LEADPACT_SLA_LOCALES',
  /** the public form's bot check: turnstile | hcaptcha | recaptcha (context botCheckProvider); unset: off */
  botCheckProvider: 'LEADPACT_BOT_CHECK_PROVIDER',
  /** Secrets Manager ARN of the bot check provider's secret key (context botCheckSecretArn) */
  botCheckSecretArn: 'LEADPACT_BOT_CHECK_SECRET_ARN',
  /** Secrets Manager ARN of the secret Typeform signs its webhook posts with (context typeformSecretArn) */
  typeformSecretArn: 'LEADPACT_TYPEFORM_SECRET_ARN',
  /** events out: the EventBridge bus the publisher puts events on (events.grantPublish) */
  eventBusName: 'LEADPACT_EVENT_BUS_NAME',
  /** events out: the webhook subscriptions, JSON [{ id, url, events, secretArn }] (events.grantDeliver) */
  webhooks: 'LEADPACT_WEBHOOKS',
  /**
   * the delivery log's readers (the webhooks and console functions): the ids of the subscriptions the sender
   * delivers to, the bus's `eventbridge` first, comma-separated; unset (a stack before it): not checked
   */
  webhookIds: 'LEADPACT_WEBHOOK_IDS',
  /** bulk import: executions started per second per consumer instance */
  importStartsPerSecond: 'LEADPACT_IMPORT_STARTS_PER_SECOND',
} as const;

/** The identifier esbuild replaces with the SLA file's text (JSON string literal) at bundle time. */
export const SLA_DEFINE = '__LEADPACT_SLA__';

export type Env = Readonly<Record<string, string | undefined>>;

/** A variable the function cannot run without: a missing one fails the init, naming it. */
export function requiredEnv(name: string, env: Env = process.env): string {
  const value = env[name];
  if (value === undefined || value === '') {
    throw new Error(`environment variable ${name} is not set: the stack grants and sets it; redeploy`);
  }
  return value;
}

export function optionalEnv(name: string, env: Env = process.env): string | undefined {
  const value = env[name];
  return value === undefined || value === '' ? undefined : value;
}

/** A comma-separated list; empty entries dropped. */
export function listEnv(name: string, env: Env = process.env): string[] {
  return (env[name] ?? '')
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '');
}
