/** Sending email. SES v2 in AWS and locally (aws-ses-v2-local); the workflow and API only see this. */
export interface EmailMessage {
  readonly to: readonly string[];
  readonly cc?: readonly string[];
  readonly subject: string;
  readonly text: string;
  readonly html: string;
  /** extra headers, e.g. List-Unsubscribe and List-Unsubscribe-Post on nurture mail */
  readonly headers?: Readonly<Record<string, string>>;
  /** for tracing and bounce handling: leadId, kind (sql-assigned, attempt-due, ...) */
  readonly tags?: Readonly<Record<string, string>>;
}

export interface Mailer {
  send(message: EmailMessage): Promise<{ messageId: string }>;
}
