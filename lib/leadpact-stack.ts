/**
 * LeadPact on AWS, one stack: the lead table, the HMAC keys, email (SES), the lead workflow (Step
 * Functions and its task functions), the HTTP API, bulk import, and alarms. Outputs: the API URL, a
 * ready-to-paste form, the inbox and SES steps, the import queue.
 */
import { Annotations, CfnOutput, Fn, Stack, type StackProps } from 'aws-cdk-lib';
import type { Queue } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { ENV } from '../lambdas/aws/shared/env.ts';
import { formConsentText } from '../lambdas/domain/consent.ts';
import { LeadPactAlarms } from './alarms.ts';
import { LeadPactApi } from './api.ts';
import type { LeadPactConfig } from './config.ts';
import { LeadPactDashboard } from './dashboard.ts';
import { LeadPactEvents } from './events.ts';
import { PublicFormApi } from './form-api.ts';
import { formSnippet, thankYouUrl } from './form-snippet.ts';
import { BulkImport } from './import.ts';
import type { LeadPactFunction } from './leadpact-function.ts';
import { Mail } from './mail.ts';
import { Reconciler } from './reconciler.ts';
import { LeadPactSecrets } from './secrets.ts';
import { SlaMigration } from './sla-migration.ts';
import { LeadStore } from './store.ts';
import { LeadWorkflow } from './workflow.ts';

/** Said at every synth while sesSandbox is on (the default: what a new AWS account has). */
export const SES_SANDBOX_MESSAGE =
  'sesSandbox is true (the default, what a new AWS account has): SES delivers only to verified addresses, 200 emails a day, so leads get no email unless you verify their address in SES. Request production access (docs/deploy.md step 5), then deploy with -c sesSandbox=false (or set it in cdk.json).';

/** Said at every synth without mailDomain: the address identity has no DKIM key of yours. */
export const NO_MAIL_DOMAIN_MESSAGE =
  'mailDomain is empty: SES verifies the sender address alone and signs with no DKIM key of yours, so big mailbox providers tend to put the emails in spam. Deploy with -c mailDomain=<your domain> (the From address on it) and add the DNS records of the DnsRecords output (docs/deploy.md step 5).';

/** Said at synth with mailDomain: what to add at the DNS provider once the deploy printed DnsRecords. */
export function mailDomainMessage(mailDomain: {
  readonly domain: string;
  readonly mailFrom?: string;
}): string {
  const records = [
    '3 DKIM CNAME records',
    ...(mailDomain.mailFrom ? [`the MX and SPF TXT records of ${mailDomain.mailFrom}`] : []),
    `a DMARC TXT record at _dmarc.${mailDomain.domain}`,
  ].join(', ');
  return `mailDomain is ${mailDomain.domain}: after the deploy, add the records of the DnsRecords output at your DNS provider (${records}). SES sends nothing from ${mailDomain.domain} until it sees the DKIM records (docs/deploy.md step 5).`;
}

export interface LeadPactStackProps extends StackProps {
  readonly config: LeadPactConfig;
}

export class LeadPactStack extends Stack {
  readonly config: LeadPactConfig;
  readonly store: LeadStore;
  readonly secrets: LeadPactSecrets;
  readonly mail: Mail;
  readonly workflow: LeadWorkflow;
  readonly api: LeadPactApi;
  readonly formApi: PublicFormApi;
  readonly bulkImport: BulkImport;
  readonly reconciler: Reconciler;
  readonly events: LeadPactEvents;
  readonly slaMigration: SlaMigration;
  readonly alarms: LeadPactAlarms;
  readonly dashboard: LeadPactDashboard;

  constructor(scope: Construct, id: string, props: LeadPactStackProps) {
    super(scope, id, {
      description: 'LeadPact: the sales and marketing SLA, executed (API, workflow, store, email)',
      ...props,
    });
    const { config } = props;
    this.config = config;
    const logRetention = config.logRetention;

    this.store = new LeadStore(this, 'Store', { stateItemFormat: config.stateItemFormat });
    this.secrets = new LeadPactSecrets(this, 'Secrets', { keysVersion: config.keysVersion });
    this.mail = new Mail(this, 'Mail', {
      senderEmail: config.senderEmail,
      sesSandbox: config.sesSandbox,
      ...(config.mailDomain ? { mailDomain: config.mailDomain } : {}),
      reservePercent: config.mailReservePercent,
      store: this.store,
      slaJson: config.slaJson,
      logRetention,
    });
    this.workflow = new LeadWorkflow(this, 'Workflow', {
      store: this.store,
      mail: this.mail,
      secrets: this.secrets,
      slaJson: config.slaJson,
      ...(config.opsEmail ? { opsEmail: config.opsEmail } : {}),
      logRetention,
    });
    this.api = new LeadPactApi(this, 'Api', {
      config,
      store: this.store,
      workflow: this.workflow,
      secrets: this.secrets,
      mail: this.mail,
    });
    this.workflow.setPublicBaseUrl(config.publicBaseUrl ?? this.api.url);
    this.api.setPublicBaseUrl(config.publicBaseUrl ?? this.api.url);
    // POST /leads on its own REST API behind AWS WAF: a per-client rate limit (ADR 0015)
    this.formApi = new PublicFormApi(this, 'FormApi', {
      formFunction: this.api.functions['lead-form'],
      allowedOrigins: config.allowedOrigins,
      throttle: config.throttle.form,
      perClientLimit: config.throttle.formPerClient.limit,
      windowSeconds: config.throttle.formPerClient.windowSeconds,
      logRetention,
    });
    // the form's script (GET /forms/{file}, on the HTTP API) renders a form that must post to that stage
    this.api.functions['lead-form'].addEnvironment(ENV.formUrl, this.formApi.urlForFunction);
    this.bulkImport = new BulkImport(this, 'Import', {
      config,
      store: this.store,
      workflow: this.workflow,
      secrets: this.secrets,
    });
    this.reconciler = new Reconciler(this, 'Reconciler', {
      store: this.store,
      workflow: this.workflow,
      slaJson: config.slaJson,
      logRetention,
    });
    // events out: the bus, the publisher on the table's stream, the webhook deliveries
    this.events = new LeadPactEvents(this, 'Events', {
      store: this.store,
      slaJson: config.slaJson,
      webhooks: config.webhooks,
      logRetention,
    });
    // on deploy: in-flight leads move off ids the new SLA lacks, or the deploy fails naming them
    this.slaMigration = new SlaMigration(this, 'SlaMigration', {
      store: this.store,
      workflow: this.workflow,
      sla: config.sla,
      slaJson: config.slaJson,
      logRetention,
    });
    // ...once every function runs this code: one of the code before (in a deploy that adds a later index) could
    // write a lead without that index's keys after the migration gave them and recorded the index complete
    // (ADR 0055, amended). The task functions are before it already (the state machine names them)
    for (const fn of Object.values(this.functions()))
      if (fn !== this.slaMigration.function) this.slaMigration.resource.node.addDependency(fn);
    this.alarms = new LeadPactAlarms(this, 'Alarms', {
      thresholds: config.alarms,
      ...(config.opsEmail ? { opsEmail: config.opsEmail } : {}),
      functions: this.functions(),
      stateMachine: this.workflow.stateMachine,
      deadLetterQueues: this.deadLetterQueues(),
      httpApi: this.api.httpApi,
      formApi: this.formApi.restApi,
      table: this.store.table,
      reconciler: this.reconciler,
    });
    this.dashboard = new LeadPactDashboard(this, 'Dashboard', {
      functions: this.functions(),
      stateMachine: this.workflow.stateMachine,
      table: this.store.table,
      httpApi: this.api.httpApi,
      formApi: this.formApi.restApi,
      deadLetterQueues: this.deadLetterQueues(),
      leadsRestarted: this.reconciler.restarted,
      alarms: this.alarms.alarms,
    });

    for (const warning of config.placeholders) {
      Annotations.of(this).addWarningV2('leadpact:placeholder', warning);
    }
    if (config.sesSandbox) Annotations.of(this).addWarningV2('leadpact:ses-sandbox', SES_SANDBOX_MESSAGE);
    if (config.mailDomain) Annotations.of(this).addInfo(mailDomainMessage(config.mailDomain));
    else Annotations.of(this).addWarningV2('leadpact:no-mail-domain', NO_MAIL_DOMAIN_MESSAGE);
    this.outputs();
  }

  /** Every dead-letter queue, by what lands in it. */
  deadLetterQueues(): Record<string, Queue> {
    return {
      Import: this.bulkImport.deadLetters,
      MailFeedback: this.mail.feedbackDeadLetters,
      EventsOut: this.events.deadLetters,
      FailedExecutions: this.workflow.failedExecutionDeadLetters,
    };
  }

  /** Every LeadPact function, by a readable name. */
  functions(): Record<string, LeadPactFunction> {
    const api = Object.fromEntries(
      Object.entries(this.api.functions).map(([group, fn]) => [`Api-${group}`, fn]),
    );
    const tasks = Object.fromEntries(
      Object.entries(this.workflow.tasks).map(([placeholder, fn]) => [
        placeholder.replace(/FunctionArn$/, ''),
        fn,
      ]),
    );
    return {
      ...api,
      ...tasks,
      MailFeedback: this.mail.feedbackHandler,
      ImportConsumer: this.bulkImport.consumer,
      Reconciler: this.reconciler.function,
      EventsPublisher: this.events.publisher,
      SlaMigration: this.slaMigration.function,
    };
  }

  private outputs(): void {
    const { config } = this;
    const apiUrl = config.publicBaseUrl ?? this.api.url;
    new CfnOutput(this, 'ApiUrl', {
      description: 'The LeadPact API (events, attempts, deals, statuses, reads, erase, links in emails)',
      value: apiUrl,
    });
    new CfnOutput(this, 'FormUrl', {
      description: 'Web forms post leads to <FormUrl>/leads (a REST API stage behind AWS WAF, ADR 0015)',
      value: this.formApi.url,
    });
    // one form per language the SLA supports: FormSnippet in its default, FormSnippetAr, ... in the others
    const form = config.sla.forms[0];
    for (const locale of [
      config.sla.locales.default,
      ...config.sla.locales.supported.filter((tag) => tag !== config.sla.locales.default),
    ]) {
      const suffix =
        locale === config.sla.locales.default
          ? ''
          : locale
              .split('-')
              .map((part) => part.charAt(0).toUpperCase() + part.slice(1).toLowerCase())
              .join('');
      new CfnOutput(this, `FormSnippet${suffix}`, {
        description: `Paste into your site (a page in ${locale}): a plain HTML form that posts leads to LeadPact`,
        value: formSnippet({
          apiUrl: this.formApi.url,
          // the script is served by the HTTP API (GET /forms/{file}); the post goes to the form's REST stage
          scriptUrl: this.api.httpApi.apiEndpoint,
          locale,
          ...(form ? { formId: form.id } : {}),
          ...(form && (form.consentText || form.consentTexts)
            ? { consentText: formConsentText(config.sla, form, locale) }
            : {}),
          ...(thankYouUrl(config.allowedOrigins) ? { thankYouUrl: thankYouUrl(config.allowedOrigins)! } : {}),
        }),
      });
    }
    const identity = config.mailDomain
      ? `1. Add the DNS records of the DnsRecords output at your DNS provider: SES verifies ${config.mailDomain.domain} (Easy DKIM) when it sees them, until then it sends nothing.`
      : `1. Open the email "Amazon Web Services - Email Address Verification Request" sent to ${config.senderEmail} and click the link: until then SES sends nothing.`;
    new CfnOutput(this, 'InboxSetup', {
      description: 'What to do after the first deploy (docs/deploy.md has the detail)',
      value: [
        identity,
        config.opsEmail
          ? `2. Confirm the SNS subscription email sent to ${config.opsEmail}: alarms reach you only after that.`
          : '2. Set opsEmail (cdk.json) and deploy again, or subscribe to the AlarmTopic yourself: alarms reach nobody now.',
        config.sesSandbox
          ? '3. The account is taken to be in the SES sandbox (sesSandbox=true): verify each recipient (reps, managers, test leads) in the SES console; request production access (docs/deploy.md step 5), then deploy with -c sesSandbox=false.'
          : '3. sesSandbox=false: the account must have SES production access, or every email fails.',
        config.mailDomain
          ? '4. Publish a DMARC record for the domain (the last line of DnsRecords, unless the domain has one already): start with p=none, read the reports a few weeks, then p=quarantine.'
          : '4. For deliverability, deploy with -c mailDomain=<your domain> (Easy DKIM) and send from an address on it.',
      ].join(' '),
    });
    const records = this.mail.dnsRecords(this.region);
    if (records) {
      new CfnOutput(this, 'DnsRecords', {
        description: `DNS records to add for ${config.mailDomain?.domain}: DKIM (3 CNAME), MAIL FROM (MX, SPF) when set, DMARC`,
        value: Fn.join(' | ', records),
      });
    }
    new CfnOutput(this, 'SenderIdentity', { value: this.mail.identity.emailIdentityName });
    new CfnOutput(this, 'ConfigurationSet', { value: this.mail.configurationSet.configurationSetName });
    new CfnOutput(this, 'ImportQueueUrl', {
      description: 'Bulk import: one POST /leads JSON body per message (aws sqs send-message-batch)',
      value: this.bulkImport.queue.queueUrl,
    });
    if (this.api.integrationPolicy && this.api.adminPolicy) {
      new CfnOutput(this, 'IntegrationPolicyArn', {
        description: 'IAM mode: attach to the role or user a CRM or tracker signs its API calls with (SigV4)',
        value: this.api.integrationPolicy.managedPolicyArn,
      });
      new CfnOutput(this, 'AdminPolicyArn', {
        description:
          'IAM mode: attach to the ops role (e.g. an IAM Identity Center permission set) that may read and erase leads',
        value: this.api.adminPolicy.managedPolicyArn,
      });
    }
    new CfnOutput(this, 'ActionLinkKeyArn', {
      description:
        'The Secrets Manager secret that signs the links in emails: rotate with put-secret-value, then deploy with keysVersion+1 (docs/deploy.md step 11)',
      value: this.secrets.actionLinkKey.secretArn,
    });
    new CfnOutput(this, 'AlarmTopicArn', { value: this.alarms.topic.topicArn });
    new CfnOutput(this, 'DashboardUrl', {
      description: 'Alarms, leads coming in, the workflows, the functions, the table and email on one page',
      value: this.dashboard.url,
    });
    new CfnOutput(this, 'EventBusName', {
      value: this.events.bus.eventBusName,
      description:
        'Every lead event (source leadpact, detail-type lead.created, ...): add rules here (docs/integrations.md)',
    });
    new CfnOutput(this, 'EventBusArn', { value: this.events.bus.eventBusArn });
    new CfnOutput(this, 'StateMachineArn', { value: this.workflow.stateMachine.stateMachineArn });
    new CfnOutput(this, 'TableName', { value: this.store.table.tableName });
  }
}
