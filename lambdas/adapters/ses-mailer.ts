/**
 * Mailer on Amazon SES v2 (SendEmail with Simple content): subject, text and HTML in UTF-8, SES
 * builds the MIME (RFC 2047 subjects, transfer encodings, multipart/alternative). Custom headers
 * (List-Unsubscribe, List-Unsubscribe-Post) travel as Simple content Headers, which SES and the
 * local emulator (aws-ses-v2-local) both accept, so no hand-built raw MIME is needed.
 *
 * Every email is marked as a program's (RFC 3834 `Auto-Submitted: auto-generated`, and Exchange's
 * `X-Auto-Response-Suppress`): a rep's out-of-office or an auto-reply rule answers none of them, so
 * the unmonitored sender gets no reply per reminder and no mail loop starts. An email about a record
 * (`thread`: the lead, for its owner and managers) names one stable root in `In-Reply-To` and
 * `References`, so clients that thread by reference (Apple Mail, Thunderbird, Outlook on the web's
 * reference grouping) show one conversation per lead. SES overwrites any Message-ID it is given
 * (SES header fields), hence a root that is never sent, as notification services do.
 *
 * The client is built by the caller, once per Lambda container at module scope (or
 * local/ses.ts localSesClient for the emulator).
 */
import { type SESv2Client, SendEmailCommand, type SendEmailCommandInput } from '@aws-sdk/client-sesv2';
import {
  type EmailMessage,
  isMailNotWanted,
  type Mailer,
  MailHeld,
  MailNotWanted,
  MailThrottled,
  type SendOptions,
} from '../ports/mailer.ts';
import type { SesSendQuota } from './ses-send-quota.ts';

export interface SesMailerOptions {
  /** the verified sender, e.g. `LeadPact <leadpact@example.com>` */
  readonly from: string;
  /** SES configuration set (event publishing: bounces, complaints, deliveries) */
  readonly configurationSetName?: string;
  readonly replyTo?: readonly string[];
  /**
   * the account's daily quota as this container knows it: a bulk email (nurture) is held, MailHeld before SES
   * sees it, once only the reserve for the SLA's own emails is left (ADR 0067)
   */
  readonly quota?: SesSendQuota;
}

/** SES limits on custom headers (SES v2 API reference, MessageHeader). */
const HEADER_NAME = /^[\x21-\x39\x3b-\x7e]{1,126}$/;
const HEADER_VALUE = /^[\x20-\x7e]{0,995}$/;
/** Headers SES sets itself from the request: giving them again would send two. */
const RESERVED_HEADERS = new Set([
  'from',
  'to',
  'cc',
  'bcc',
  'subject',
  'reply-to',
  'content-type',
  'content-transfer-encoding',
  'mime-version',
  'date',
  'message-id',
]);
/** SES message tags: names and values of ASCII letters, digits, `_` and `-`, at most 256 characters. */
/** A message id's left part: dot-atom text (RFC 5322 3.2.3), bounded. */
const THREAD_KEY = /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*$/;
const THREAD_KEY_MAX = 200;
/** RFC 3834 section 5; Exchange's values that silence out-of-office and auto-reply rules (not bounces). */
const AUTOMATED_HEADERS: readonly { Name: string; Value: string }[] = [
  { Name: 'Auto-Submitted', Value: 'auto-generated' },
  { Name: 'X-Auto-Response-Suppress', Value: 'OOF, AutoReply' },
];
const TAG_CHARS = /[^A-Za-z0-9_-]/g;
const TAG_MAX = 256;

export class SesMailer implements Mailer {
  constructor(
    private readonly client: SESv2Client,
    private readonly options: SesMailerOptions,
  ) {
    if (!options.from) throw new TypeError('SesMailer needs a from address');
  }

  async send(message: EmailMessage, options: SendOptions = {}): Promise<{ messageId: string }> {
    const input = this.input(message);
    const quota = this.options.quota;
    const held = await quota?.take(message.bulk === true);
    if (held) throw new MailHeld(held);
    const command = new SendEmailCommand(input);
    if (options.stillWanted) askBeforeEachRetry(command, options.stillWanted);
    const output = await this.client.send(command).catch((error: unknown) => {
      quota?.done(false);
      if (isMailNotWanted(error)) throw error;
      // past the SDK's own retries: the account's sending rate or daily quota (ADR 0051)
      if (isThrottled(error))
        throw new MailThrottled(`SES refused the send: ${messageOf(error)}`, { cause: error });
      throw error;
    });
    quota?.done(true);
    if (!output.MessageId) throw new Error('SES accepted the message without a MessageId');
    return { messageId: output.MessageId };
  }

  /** The SendEmail request for a message; throws on headers SES would refuse or that could inject others. */
  input(message: EmailMessage): SendEmailCommandInput {
    if (message.to.length === 0) throw new TypeError('an email needs at least one recipient');
    const headers = Object.entries(message.headers ?? {}).map(([name, value]) => {
      if (!HEADER_NAME.test(name) || RESERVED_HEADERS.has(name.toLowerCase())) {
        throw new TypeError(`header name not allowed: ${JSON.stringify(name)}`);
      }
      if (!HEADER_VALUE.test(value) || name.length + value.length > 996) {
        throw new TypeError(`header ${name}: the value must be printable ASCII, at most 995 characters`);
      }
      return { Name: name, Value: value };
    });
    const given = new Set(headers.map((header) => header.Name.toLowerCase()));
    for (const header of AUTOMATED_HEADERS) if (!given.has(header.Name.toLowerCase())) headers.push(header);
    if (message.thread !== undefined) {
      if (message.thread.length > THREAD_KEY_MAX || !THREAD_KEY.test(message.thread)) {
        throw new TypeError(`thread key not allowed in a message id: ${JSON.stringify(message.thread)}`);
      }
      const root = `<${message.thread}@${domainOf(bareAddress(this.options.from))}>`;
      for (const name of ['In-Reply-To', 'References']) {
        if (!given.has(name.toLowerCase())) headers.push({ Name: name, Value: root });
      }
    }
    const tags = Object.entries(message.tags ?? {})
      .map(([name, value]) => ({ Name: tag(name), Value: tag(value) }))
      .filter((t) => t.Name !== '' && t.Value !== '');
    return {
      FromEmailAddress: message.fromName
        ? fromAddress(message.fromName, bareAddress(this.options.from))
        : this.options.from,
      Destination: {
        ToAddresses: [...message.to],
        ...(message.cc && message.cc.length > 0 ? { CcAddresses: [...message.cc] } : {}),
      },
      ...(this.options.replyTo && this.options.replyTo.length > 0
        ? { ReplyToAddresses: [...this.options.replyTo] }
        : {}),
      Content: {
        Simple: {
          // a line break in a subject would end the header: SES refuses it, so fold it to a space
          Subject: { Data: message.subject.replace(/[\r\n]+/g, ' '), Charset: 'UTF-8' },
          Body: {
            Text: { Data: message.text, Charset: 'UTF-8' },
            Html: { Data: message.html, Charset: 'UTF-8' },
          },
          ...(headers.length > 0 ? { Headers: headers } : {}),
        },
      },
      ...(tags.length > 0 ? { EmailTags: tags } : {}),
      ...(this.options.configurationSetName
        ? { ConfigurationSetName: this.options.configurationSetName }
        : {}),
    };
  }
}

/**
 * The From header with the company's name: `"Kessler Industrial" <leads@kessler.example>`. A name
 * outside plain ASCII ("شركة كيسلر") is sent as an RFC 2047 encoded word, which SES requires for
 * non-ASCII display names; a name with quotes, angle brackets, backslashes or control characters
 * (which could forge another address) gives the address alone.
 */
export function fromAddress(senderName: string, email: string): string {
  const name = senderName.trim();
  if (name === '' || name.length > 64 || /["<>\\\p{Cc}]/u.test(name)) return email;
  if (/^[\x20-\x7e]+$/.test(name)) return `"${name}" <${email}>`;
  return `=?UTF-8?B?${Buffer.from(name, 'utf8').toString('base64')}?= <${email}>`;
}

/** `leads@kessler.example` from `"Kessler" <leads@kessler.example>` or the address itself. */
function bareAddress(from: string): string {
  return /<([^<>]+)>\s*$/.exec(from)?.[1] ?? from.trim();
}

/** `kessler.example` from `leads@kessler.example`; `leadpact.invalid` for an address without one. */
function domainOf(address: string): string {
  const domain = address.slice(address.lastIndexOf('@') + 1);
  return /^[A-Za-z0-9.-]+$/.test(domain) && address.includes('@') ? domain : 'leadpact.invalid';
}

/**
 * SES's answers to a send over the account's rate or quota: `TooManyRequestsException` (HTTP 429) from the
 * v2 API, `Throttling`/`ThrottlingException` ("Maximum sending rate exceeded", "Daily message quota
 * exceeded") as the SES guide names them, and `LimitExceededException` when it carries one of those messages
 * (the v2 API also uses that name for resource counts, which no retry fixes).
 */
const THROTTLED_NAMES = new Set(['TooManyRequestsException', 'Throttling', 'ThrottlingException']);
const QUOTA_MESSAGE = /sending rate exceeded|message quota exceeded/i;

export function isThrottled(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
  if (status === 429 || THROTTLED_NAMES.has(error.name)) return true;
  return error.name === 'LimitExceededException' && QUOTA_MESSAGE.test(error.message);
}

function messageOf(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

function tag(text: string): string {
  return text.replace(TAG_CHARS, '_').slice(0, TAG_MAX);
}

/**
 * Runs `stillWanted` before each try of the command after its first (inside the SDK's retries, which wait out
 * SES's rate): a no ends the send with MailNotWanted, which the SDK does not retry.
 */
function askBeforeEachRetry(command: SendEmailCommand, stillWanted: () => Promise<boolean>): void {
  let tries = 0;
  command.middlewareStack.add(
    (next) => async (args) => {
      if (tries++ > 0 && !(await stillWanted()))
        throw new MailNotWanted('not sent: its reason to be sent went while the send waited for the rate');
      return next(args);
    },
    // after the retry middleware (finalizeRequest, high priority): once per try
    { step: 'finalizeRequest', priority: 'low', name: 'leadpactStillWanted' },
  );
}
