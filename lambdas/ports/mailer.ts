/**
 * Sending email. SES v2 in AWS and locally (aws-ses-v2-local); the workflow and API only see this.
 * The message is the domain's EmailMessage (email-templates.ts renders it).
 */
import type { EmailMessage } from '../domain/email-templates.ts';

export type { EmailMessage } from '../domain/email-templates.ts';

export interface Mailer {
  /**
   * throws MailThrottled when the sending rate or quota refused the message, MailHeld when a bulk message is
   * held for the quota's reserve (nothing was sent either way)
   */
  send(message: EmailMessage): Promise<{ messageId: string }>;
}

/**
 * The share of the mail service's daily quota (%) that bulk email (nurture) leaves to the SLA's own emails
 * unless ops set another (context mailReservePercent; ADR 0067).
 */
export const DEFAULT_MAIL_RESERVE_PERCENT = 10;

/**
 * The error name a task fails with when the mail service refused a send for its rate or quota (SES's
 * "Maximum sending rate exceeded", "Daily message quota exceeded"): the state machine retries it on a
 * schedule of its own, long enough for the rate to let the burst through (ADR 0051). Step Functions
 * matches a Lambda error by this name (the Node runtime's errorType is the error's name).
 */
export const MAIL_THROTTLED = 'LeadPact.MailThrottled';

/** The send was refused for the sending rate or quota: nothing went out, a later try will go. */
export class MailThrottled extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = MAIL_THROTTLED;
  }
}

/** The error name of a bulk email held for the quota's reserve (MailHeld). */
export const MAIL_HELD = 'LeadPact.MailHeld';

/**
 * A bulk email (nurture) the mailer did not send because only the part of the daily quota kept for the SLA's
 * own emails is left (ADR 0067). Not a failure: the email is dropped, as a marketing tool's frequency cap
 * skips a contact, and the lead's timeline says so; nothing is retried.
 */
export class MailHeld extends Error {
  constructor(message: string) {
    super(message);
    this.name = MAIL_HELD;
  }
}

/** Whether an error is a bulk email held for the quota's reserve. */
export function isMailHeld(error: unknown): error is MailHeld {
  return error instanceof Error && error.name === MAIL_HELD;
}

/** Whether an error (from any task, wrapped or not) is a throttled send. */
export function isMailThrottled(error: unknown): boolean {
  return error instanceof Error && error.name === MAIL_THROTTLED;
}
