/**
 * Sending email. SES v2 in AWS and locally (aws-ses-v2-local); the workflow and API only see this.
 * The message is the domain's EmailMessage (email-templates.ts renders it).
 */
import type { EmailMessage } from '../domain/email-templates.ts';

export type { EmailMessage } from '../domain/email-templates.ts';

export interface Mailer {
  send(message: EmailMessage): Promise<{ messageId: string }>;
}
