/**
 * SesMailer through the real SES v2 client against aws-ses-v2-local in this process, read back from
 * the emulator's store (GET /store): what a rep's inbox would show.
 */
import type { SESv2Client } from '@aws-sdk/client-sesv2';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { isThrottled, SesMailer } from '../../lambdas/adapters/ses-mailer.ts';
import { nurtureEmail } from '../../lambdas/domain/email-templates.ts';
import { type EmailMessage, isMailThrottled, MAIL_NOT_WANTED } from '../../lambdas/ports/mailer.ts';
import { localSesClient, type SesEmulator, startSesEmulator } from '../../local/ses.ts';
import { makeSla } from '../support/sla.ts';

const FROM = 'LeadPact <leadpact@kessler.example>';

const MESSAGE: EmailMessage = {
  to: ['jonas.berger@kessler.example'],
  cc: ['katrin.vogel@kessler.example'],
  subject: 'New SQL: Petra Schneider (Brauhaus Werke) - first touch by 14:00 CET',
  text: 'New SQL: Petra Schneider\nFirst touch due by Fri 27 Nov 2026, 14:00 CET\n',
  html: '<!DOCTYPE html><html><body><h1>New SQL: Petra Schneider</h1></body></html>',
  tags: { kind: 'sql-assigned', leadId: 'cwuexibhMk3wI9vL9g2kQF' },
};

describe('SesMailer on aws-ses-v2-local', () => {
  let emulator: SesEmulator;
  let client: SESv2Client;
  let mailer: SesMailer;

  beforeAll(async () => {
    emulator = await startSesEmulator({ port: 0 });
    client = localSesClient(emulator.endpoint);
    mailer = new SesMailer(client, { from: FROM, configurationSetName: 'leadpact-local' });
  });

  beforeEach(async () => {
    await emulator.clear();
  });

  afterAll(async () => {
    client?.destroy();
    await emulator?.close();
  });

  it('delivers subject, recipients, text and HTML as sent', async () => {
    // Act
    const { messageId } = await mailer.send(MESSAGE);

    // Assert
    const [stored, ...more] = await emulator.messages();
    expect(more).toHaveLength(0);
    expect(stored).toMatchObject({
      messageId,
      from: FROM,
      destination: { to: MESSAGE.to, cc: MESSAGE.cc, bcc: [] },
      subject: MESSAGE.subject,
      body: { text: MESSAGE.text, html: MESSAGE.html },
    });
    // no Reply-To: a rep's reply (quoting the email) goes to the sender, never to the lead
    expect(stored?.replyTo).toEqual([]);
  });

  it('delivers a nurture email with its List-Unsubscribe headers (RFC 8058 one-click)', async () => {
    // Arrange
    const sla = makeSla({
      nurture: {
        templates: [{ id: 'welcome', subject: 'Hallo {{firstName}}', text: 'Hallo {{firstName}}!' }],
      },
    });
    const unsubscribe = 'http://127.0.0.1:3000/unsubscribe/eyJsIjoi.c2ln';
    const email = nurtureEmail(
      sla,
      { leadId: 'cwuexibhMk3wI9vL9g2kQF', email: 'petra@brauhaus.example', fields: { firstName: 'Jörg' } },
      { template: sla.nurture.templates[0]!, unsubscribeUrl: unsubscribe },
    );

    // Act
    await mailer.send(email);

    // Assert
    const [stored] = await emulator.messages();
    expect(stored?.destination.to).toEqual(['petra@brauhaus.example']);
    expect(stored?.destination.cc).toEqual([]);
    expect(stored?.subject).toBe('Hallo Jörg');
    expect(stored?.headers).toEqual(
      expect.arrayContaining([
        { name: 'List-Unsubscribe', value: `<${unsubscribe}>` },
        { name: 'List-Unsubscribe-Post', value: 'List-Unsubscribe=One-Click' },
      ]),
    );
    expect(stored?.body.text).toContain(`Unsubscribe: ${unsubscribe}`);
    expect(stored?.body.html).toContain(`href="${unsubscribe}"`);
  });

  // biome-ignore format: one row per case reads as a table
  it.each([
    ['umlauts', 'Überfällig: Jörg Müller (Größe & Söhne) - Erstkontakt 2,5 Std. überfällig'],
    ['an en dash and an ellipsis', 'Attempt 3/6: Petra – Brauhaus Werke…'],
    ['emoji outside the BMP', 'Deal won 🎉 Brauhaus Werke'],
    ['non-Latin scripts', 'Новый лид: Пётр (Завод) / 新しいリード'],
    ['a subject longer than one header line', `Stale deal: ${'Ä'.repeat(120)}`],
  ])('keeps a UTF-8 subject with %s intact', async (_name, subject) => {
    // Act
    await mailer.send({ ...MESSAGE, subject, text: `${subject}\n`, html: `<p>${subject}</p>` });

    // Assert
    const [stored] = await emulator.messages();
    expect(stored?.subject).toBe(subject);
    expect(stored?.body.text).toBe(`${subject}\n`);
    expect(stored?.body.html).toBe(`<p>${subject}</p>`);
  });

  it("marks every email as sent by a program (RFC 3834), so a rep's out-of-office answers none of them", async () => {
    // Act
    await mailer.send(MESSAGE);

    // Assert
    const [stored] = await emulator.messages();
    expect(stored?.headers).toEqual(
      expect.arrayContaining([
        { name: 'Auto-Submitted', value: 'auto-generated' },
        { name: 'X-Auto-Response-Suppress', value: 'OOF, AutoReply' },
      ]),
    );
  });

  it("threads the emails about one record: In-Reply-To and References name one stable root on the sender's domain", async () => {
    // Act
    await mailer.send({ ...MESSAGE, thread: 'lead.cwuexibhMk3wI9vL9g2kQF' });
    await mailer.send({
      ...MESSAGE,
      subject: 'Attempt 2/6: Petra Schneider',
      thread: 'lead.cwuexibhMk3wI9vL9g2kQF',
    });
    await mailer.send({ ...MESSAGE, thread: 'lead.other-lead_9' });

    // Assert
    const [first, second, other] = await emulator.messages();
    const root = '<lead.cwuexibhMk3wI9vL9g2kQF@kessler.example>';
    for (const stored of [first, second]) {
      expect(stored?.headers).toEqual(
        expect.arrayContaining([
          { name: 'In-Reply-To', value: root },
          { name: 'References', value: root },
        ]),
      );
    }
    expect(other?.headers).toEqual(
      expect.arrayContaining([{ name: 'References', value: '<lead.other-lead_9@kessler.example>' }]),
    );
  });

  it('threads nothing without a thread key (a nurture email to a lead starts no conversation)', async () => {
    // Act
    await mailer.send(MESSAGE);

    // Assert
    const [stored] = await emulator.messages();
    const names = (stored?.headers ?? []).map((header) => header.name);
    expect(names).not.toContain('In-Reply-To');
    expect(names).not.toContain('References');
  });

  it('refuses a thread key that would not make a message id, sending nothing', async () => {
    await expect(mailer.send({ ...MESSAGE, thread: 'lead x>\r\nBcc: a@b' })).rejects.toThrow(/thread/);
    expect(await emulator.messages()).toEqual([]);
  });

  it('folds a line break in a subject to a space instead of starting a new header', async () => {
    // Act
    await mailer.send({ ...MESSAGE, subject: 'Hello\r\nBcc: everyone@evil.example' });

    // Assert
    const [stored] = await emulator.messages();
    expect(stored?.subject).toBe('Hello Bcc: everyone@evil.example');
    expect(stored?.destination.bcc).toEqual([]);
  });

  // biome-ignore format: one row per case reads as a table
  it.each([
    ['a line break in a value (header injection)', { 'List-Unsubscribe': '<https://x.example>\r\nBcc: everyone@evil.example' }, /printable ASCII/],
    ['a non-ASCII value', { 'List-Unsubscribe': '<https://x.example/ü>' }, /printable ASCII/],
    ['a value over 995 characters', { 'X-Long': 'x'.repeat(996) }, /995/],
    ['a colon in the name', { 'X-Bad:Name': 'v' }, /not allowed/],
    ['a header SES sets itself', { Subject: 'other' }, /not allowed/],
    ['Bcc, in any case', { bcc: 'everyone@evil.example' }, /not allowed/],
  ])('refuses %s, sending nothing', async (_name, headers, message) => {
    // Act
    const sending = mailer.send({ ...MESSAGE, headers });

    // Assert
    await expect(sending).rejects.toThrow(message);
    expect(await emulator.messages()).toEqual([]);
  });

  it('refuses a message without recipients, sending nothing', async () => {
    await expect(mailer.send({ ...MESSAGE, to: [] })).rejects.toThrow(/at least one recipient/);
    expect(await emulator.messages()).toEqual([]);
  });

  it('sends the configuration set, reply-to and tags SES accepts', () => {
    // Arrange
    const withReplyTo = new SesMailer(client, {
      from: FROM,
      configurationSetName: 'leadpact',
      replyTo: ['sales@kessler.example'],
    });

    // Act
    const input = withReplyTo.input({ ...MESSAGE, tags: { kind: 'sql-assigned', 'lead id': 'a/b+c' } });

    // Assert
    expect(input.ConfigurationSetName).toBe('leadpact');
    expect(input.ReplyToAddresses).toEqual(['sales@kessler.example']);
    expect(input.EmailTags).toEqual([
      { Name: 'kind', Value: 'sql-assigned' },
      { Name: 'lead_id', Value: 'a_b_c' },
    ]);
    expect(input.Content?.Simple?.Subject).toEqual({ Data: MESSAGE.subject, Charset: 'UTF-8' });
  });
});

describe('startSesEmulator / localSesClient', () => {
  it('says so when the port is taken', async () => {
    // Arrange
    const first = await startSesEmulator({ port: 0 });

    // Act
    const second = startSesEmulator({ port: first.port });

    // Assert
    await expect(second).rejects.toThrow(/could not listen on 127\.0\.0\.1:\d+/);
    await first.close();
  });

  it('serves the inbox viewer', async () => {
    // Arrange
    const emulator = await startSesEmulator({ port: 0 });

    // Act
    const response = await fetch(emulator.inboxUrl);

    // Assert
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/text\/html/);
    await response.body?.cancel();
    await emulator.close();
  });

  // biome-ignore format: one row per case reads as a table
  it.each([
    ['no endpoint', undefined, /explicit local endpoint/],
    ['a real SES endpoint', 'https://email.eu-central-1.amazonaws.com', /refusing a non-local endpoint/],
    ['not a URL', 'localhost:8005', /refusing|not a URL/],
  ])('localSesClient refuses %s', (_name, endpoint, message) => {
    expect(() => localSesClient(endpoint)).toThrow(message);
  });
});

describe('SES sending rate (ADR 0051)', () => {
  let emulator: SesEmulator;
  let client: SESv2Client;
  afterAll(async () => {
    client?.destroy();
    await emulator?.close();
  });

  it('refuses sends over the emulator rate as SES does; the mailer says MailThrottled, nothing stored', async () => {
    // Arrange: 2 a second, no SDK retry (what reaches the mailer after the SDK's own retries)
    emulator = await startSesEmulator({ port: 0, sendRate: 2 });
    client = localSesClient(emulator.endpoint, { maxAttempts: 1 });
    const mailer = new SesMailer(client, { from: FROM });

    // Act: 4 at once
    const outcomes = await Promise.allSettled([1, 2, 3, 4].map(() => mailer.send(MESSAGE)));

    // Assert: the bucket's 2 go, the others are refused for the rate
    const refused = outcomes.flatMap((outcome) => (outcome.status === 'rejected' ? [outcome.reason] : []));
    expect(outcomes.filter((outcome) => outcome.status === 'fulfilled')).toHaveLength(2);
    expect(refused).toHaveLength(2);
    for (const error of refused) {
      expect(isMailThrottled(error)).toBe(true);
      expect(String(error)).toContain('Maximum sending rate exceeded');
    }
    expect(await emulator.messages()).toHaveLength(2);
    expect(emulator.throttledSends?.()).toBe(2);
  });

  it.each([
    ['no longer wanted (the person unsubscribed meanwhile): dropped, nothing stored', false],
    ['still wanted: sent once the rate lets it', true],
  ])('a send the rate makes wait asks stillWanted before its retry: %s', async (_case, wanted) => {
    // Arrange: 1 a second, the SDK's own retries (10 tries here: its jittered waits may all fall inside the
    // second); one send takes the second
    const limited = await startSesEmulator({ port: 0, sendRate: 1 });
    await limited.clear();
    const retrying = localSesClient(limited.endpoint, { maxAttempts: 10 });
    const mailer = new SesMailer(retrying, { from: FROM });
    await mailer.send(MESSAGE);
    let asked = 0;

    // Act: the next send is refused for the rate, and the SDK retries it
    const outcome = await mailer
      .send(
        { ...MESSAGE, subject: 'Nurture 1', bulk: true },
        {
          stillWanted: async () => {
            asked++;
            return wanted;
          },
        },
      )
      .then(
        () => 'sent',
        (error: Error) => error.name,
      );
    const stored = (await limited.messages()).map((message) => message.subject);
    retrying.destroy();
    await limited.close();

    // Assert: asked before the retry (not before the first try); a no sends nothing
    expect(asked).toBeGreaterThanOrEqual(1);
    if (wanted) {
      expect(outcome).toBe('sent');
      expect(stored).toEqual([MESSAGE.subject, 'Nurture 1']);
    } else {
      expect(outcome).toBe(MAIL_NOT_WANTED);
      expect(asked).toBe(1);
      expect(stored).toEqual([MESSAGE.subject]);
    }
  });

  it('tells a quota refusal from other errors', () => {
    const named = (name: string, message: string, status = 400) =>
      Object.assign(new Error(message), { name, $metadata: { httpStatusCode: status } });
    expect(isThrottled(named('TooManyRequestsException', 'Maximum sending rate exceeded.', 429))).toBe(true);
    expect(isThrottled(named('Throttling', 'Maximum sending rate exceeded.'))).toBe(true);
    expect(isThrottled(named('ThrottlingException', 'Daily message quota exceeded.'))).toBe(true);
    expect(isThrottled(named('LimitExceededException', 'Daily message quota exceeded.'))).toBe(true);
    // the v2 API's other LimitExceededException (too many resources) and a refused message are no throttle
    expect(isThrottled(named('LimitExceededException', 'Too many configuration sets.'))).toBe(false);
    expect(isThrottled(named('MessageRejected', 'Email address is not verified.'))).toBe(false);
  });
});
