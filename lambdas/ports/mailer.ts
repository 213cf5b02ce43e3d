/**
 * Sending email. SES v2 in AWS and locally (aws-ses-v2-local); the workflow and API only see this.
 * The message is the domain's EmailMessage (email-templates.ts renders it).
 */
import type { EmailMessage } from '../domain/email-templates.ts';

export type { EmailMessage } from '../domain/email-templates.ts';

export interface Mailer {
  /**
   * throws MailThrottled when the sending rate or quota refused the message, MailHeld when a bulk message is
   * held for the quota's reserve, MailNotWanted when `options.stillWanted` said no before a new try (nothing
   * was sent either way)
   */
  send(message: EmailMessage, options?: SendOptions): Promise<{ messageId: string }>;
}

export interface SendOptions {
  /**
   * Asked before each new try of a send the mail service refused for its rate (its own retries wait a second or
   * two): false drops the message (MailNotWanted). Nurture asks whether the person still consents: one who
   * unsubscribed while the send waited gets nothing (a privacy trial: emails went 0.2 to 2 s after the
   * withdrawal was answered). Not asked before the first try: the caller checked then.
   */
  readonly stillWanted?: () => Promise<boolean>;
}

/** The error name of a message dropped because `stillWanted` said no before a retry (MailNotWanted). */
export const MAIL_NOT_WANTED = 'LeadPact.MailNotWanted';

/** A message not sent: while its send waited for the rate, its reason to be sent went (SendOptions.stillWanted). */
export class MailNotWanted extends Error {
  constructor(message: string) {
    super(message);
    this.name = MAIL_NOT_WANTED;
  }
}

/** Whether an error is a message dropped by its `stillWanted`. */
export function isMailNotWanted(error: unknown): error is MailNotWanted {
  return error instanceof Error && error.name === MAIL_NOT_WANTED;
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
