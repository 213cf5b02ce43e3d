/**
 * Email: the SES sending identity (context senderEmail), a configuration set with reputation metrics
 * and account suppression for bounces and complaints, and its bounce and complaint events on the default
 * EventBridge bus, where a rule hands them to the feedback function, which marks the lead's email
 * undeliverable (lambdas/aws/shared/mail-feedback.ts). Events that cannot be delivered or handled land
 * in a dead-letter queue (alarmed).
 */
import { Arn, ArnFormat, Duration, Stack } from 'aws-cdk-lib';
import { EventBus, Rule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { SqsDestination } from 'aws-cdk-lib/aws-lambda-destinations';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import {
  ConfigurationSet,
  DkimIdentity,
  EmailIdentity,
  EmailSendingEvent,
  EventDestination,
  Identity,
  MailFromBehaviorOnMxFailure,
  SuppressionReasons,
} from 'aws-cdk-lib/aws-ses';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { ENV } from '../lambdas/aws/shared/env.ts';
import { LeadPactFunction } from './leadpact-function.ts';
import { suppress, XRAY_WILDCARD } from './nag.ts';
import type { LeadStore } from './store.ts';

export interface MailProps {
  readonly senderEmail: string;
  readonly sesSandbox: boolean;
  /** verify this domain (Easy DKIM, optional custom MAIL FROM) instead of the sender address alone */
  readonly mailDomain?: { readonly domain: string; readonly mailFrom?: string };
  readonly store: LeadStore;
  readonly logRetention: RetentionDays;
  /** the share of SES's daily quota (%) nurture leaves to the SLA's own emails (ADR 0067); 0 or absent: none */
  readonly reservePercent?: number;
  /**
   * the parsed SLA as JSON (config.slaJson): the feedback function's write gives the lead the index entries a
   * writer with the SLA gives (no next-step entry past its contact phase: ADR 0053)
   */
  readonly slaJson?: string;
}

/** The SES event types the feedback rule takes (EventBridge detail-type of the configuration set's events). */
export const FEEDBACK_DETAIL_TYPES = ['Email Bounced', 'Email Complaint Received'];

export class Mail extends Construct {
  readonly configurationSet: ConfigurationSet;
  readonly identity: EmailIdentity;
  readonly feedbackHandler: LeadPactFunction;
  /** bounce and complaint events that could not be delivered to, or handled by, the feedback function */
  readonly feedbackDeadLetters: Queue;
  private readonly senderEmail: string;
  private readonly sesSandbox: boolean;
  private readonly reservePercent: number;
  readonly mailDomain?: { readonly domain: string; readonly mailFrom?: string };

  constructor(scope: Construct, id: string, props: MailProps) {
    super(scope, id);
    this.senderEmail = props.senderEmail;
    this.sesSandbox = props.sesSandbox;
    this.reservePercent = props.reservePercent ?? 0;
    this.configurationSet = new ConfigurationSet(this, 'ConfigurationSet', {
      reputationMetrics: true,
      sendingEnabled: true,
      suppressionReasons: SuppressionReasons.BOUNCES_AND_COMPLAINTS,
    });
    // a domain identity signs with Easy DKIM and covers every address on the domain (the sender's too);
    // without a domain, the sender address alone is verified (no DKIM of our own: deliverability suffers)
    this.identity = props.mailDomain
      ? new EmailIdentity(this, 'Domain', {
          identity: Identity.domain(props.mailDomain.domain),
          configurationSet: this.configurationSet,
          dkimIdentity: DkimIdentity.easyDkim(),
          dkimSigning: true,
          ...(props.mailDomain.mailFrom
            ? {
                mailFromDomain: props.mailDomain.mailFrom,
                // if the MAIL FROM MX record is missing, SES falls back to amazonses.com rather than refusing
                mailFromBehaviorOnMxFailure: MailFromBehaviorOnMxFailure.USE_DEFAULT_VALUE,
              }
            : {}),
        })
      : new EmailIdentity(this, 'Sender', {
          identity: Identity.email(props.senderEmail),
          configurationSet: this.configurationSet,
        });
    this.mailDomain = props.mailDomain;

    this.feedbackDeadLetters = new Queue(this, 'FeedbackDeadLetters', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    suppress(this.feedbackDeadLetters, {
      id: 'AwsSolutions-SQS3',
      reason:
        'This queue is itself the dead-letter queue of the bounce/complaint rule target and of the feedback function (on-failure destination); its depth is alarmed.',
    });

    this.feedbackHandler = new LeadPactFunction(this, 'FeedbackHandler', {
      entry: 'mail-feedback.ts',
      description: 'SES bounce and complaint events: mark the lead email undeliverable',
      timeout: Duration.seconds(30),
      memorySize: 256,
      logRetention: props.logRetention,
      ...(props.slaJson === undefined ? {} : { slaJson: props.slaJson }),
    });
    // marks the lead undeliverable with updateLead (GetItem, PutItem): no Query
    props.store.grantUpdateLeads(this.feedbackHandler);
    this.feedbackHandler.function.configureAsyncInvoke({
      onFailure: new SqsDestination(this.feedbackDeadLetters),
      retryAttempts: 2,
      maxEventAge: Duration.hours(6),
    });
    suppress(this.feedbackHandler, XRAY_WILDCARD);

    this.configurationSet.addEventDestination('Feedback', {
      destination: EventDestination.eventBus(EventBus.fromEventBusName(this, 'DefaultBus', 'default')),
      events: [EmailSendingEvent.BOUNCE, EmailSendingEvent.COMPLAINT],
    });
    new Rule(this, 'FeedbackRule', {
      description: 'LeadPact: SES bounces and complaints of the LeadPact configuration set',
      eventPattern: {
        source: ['aws.ses'],
        detailType: FEEDBACK_DETAIL_TYPES,
        detail: { mail: { tags: { 'ses:configuration-set': [this.configurationSet.configurationSetName] } } },
      },
      targets: [
        new LambdaFunction(this.feedbackHandler.function, {
          deadLetterQueue: this.feedbackDeadLetters,
          retryAttempts: 8,
          maxEventAge: Duration.hours(6),
        }),
      ],
    });
  }

  /**
   * The DNS records to add for the domain identity, one per line (`NAME TYPE VALUE`): the three DKIM
   * CNAMEs, and for a custom MAIL FROM domain its MX and SPF records; a DMARC record to start with.
   * Undefined without mailDomain.
   */
  dnsRecords(region: string): string[] | undefined {
    const mailDomain = this.mailDomain;
    if (!mailDomain) return undefined;
    const id = this.identity;
    return [
      `${id.dkimDnsTokenName1} CNAME ${id.dkimDnsTokenValue1}`,
      `${id.dkimDnsTokenName2} CNAME ${id.dkimDnsTokenValue2}`,
      `${id.dkimDnsTokenName3} CNAME ${id.dkimDnsTokenValue3}`,
      ...(mailDomain.mailFrom
        ? [
            `${mailDomain.mailFrom} MX 10 feedback-smtp.${region}.amazonses.com`,
            `${mailDomain.mailFrom} TXT "v=spf1 include:amazonses.com ~all"`,
          ]
        : []),
      // the record alone, as it is pasted at a DNS provider; the advice (p=none first) is in InboxSetup
      `_dmarc.${mailDomain.domain} TXT "v=DMARC1; p=none; rua=mailto:dmarc-reports@${mailDomain.domain}"`,
    ];
  }

  get configurationSetArn(): string {
    return Stack.of(this).formatArn({
      service: 'ses',
      resource: 'configuration-set',
      resourceName: this.configurationSet.configurationSetName,
      arnFormat: ArnFormat.SLASH_RESOURCE_NAME,
    });
  }

  /**
   * Send email as the LeadPact sender through its configuration set: ses:SendEmail on those two only. A domain
   * identity verifies every address on the domain, so there the From address is pinned to the sender too
   * (ses:FromAddress): the functions may not send as anyone else of the company.
   */
  grantSend(fn: LeadPactFunction): void {
    // with a domain the condition is on the identity alone: the configuration set authorizes no sender by itself
    const pinned = this.mailDomain !== undefined;
    fn.allow(
      new PolicyStatement({
        sid: 'SendEmailAsLeadPact',
        actions: ['ses:SendEmail'],
        resources: pinned
          ? [this.identity.emailIdentityArn]
          : [this.identity.emailIdentityArn, this.configurationSetArn],
        ...(pinned ? { conditions: { StringEquals: { 'ses:FromAddress': this.senderEmail } } } : {}),
      }),
    );
    if (pinned) {
      fn.allow(
        new PolicyStatement({
          sid: 'SendEmailThroughConfigurationSet',
          actions: ['ses:SendEmail'],
          resources: [this.configurationSetArn],
        }),
      );
    }
    if (this.sesSandbox) {
      // in the sandbox SES also authorizes against each verified recipient identity; From stays pinned
      fn.allow(
        new PolicyStatement({
          sid: 'SendEmailToSandboxRecipients',
          actions: ['ses:SendEmail'],
          resources: [
            Arn.format(
              {
                service: 'ses',
                resource: 'identity',
                resourceName: '*',
                arnFormat: ArnFormat.SLASH_RESOURCE_NAME,
              },
              Stack.of(this),
            ),
          ],
          conditions: { StringEquals: { 'ses:FromAddress': this.senderEmail } },
        }),
      );
      suppress(fn, {
        id: 'AwsSolutions-IAM5',
        reason:
          'sesSandbox is on: SES sandbox authorizes sending against every verified recipient identity, whose names are not known at deploy; the ses:FromAddress condition still pins the sender. Turn sesSandbox off once out of the sandbox.',
        appliesTo: [/^Resource::arn:<AWS::Partition>:ses:<AWS::Region>:<AWS::AccountId>:identity\/\*$/],
      });
    }
    fn.addEnvironment(ENV.senderEmail, this.senderEmail);
    fn.addEnvironment(ENV.configurationSet, this.configurationSet.configurationSetName);
  }

  /**
   * grantSend, for a function that also sends nurture: with a reserve, it reads SES's daily quota
   * (ses:GetAccount, which takes no resource) so that nurture leaves the reserve to the SLA's own emails
   * (ADR 0067).
   */
  grantSendNurture(fn: LeadPactFunction): void {
    this.grantSend(fn);
    if (this.reservePercent === 0) return;
    fn.allow(new PolicyStatement({ sid: 'ReadSendQuota', actions: ['ses:GetAccount'], resources: ['*'] }));
    suppress(fn, {
      id: 'AwsSolutions-IAM5',
      reason:
        "ses:GetAccount (the account's sending quota, read so that nurture leaves a reserve of it to the SLA's emails, ADR 0067) supports no resource-level permission: its resource is *",
      appliesTo: ['Resource::*'],
    });
    fn.addEnvironment(ENV.mailReservePercent, String(this.reservePercent));
  }
}
