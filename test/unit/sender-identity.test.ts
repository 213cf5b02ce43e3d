/**
 * Who sends a marketing email (ADR 0071): the SLA's `nurture.postalAddress` (CAN-SPAM asks a postal address of
 * every commercial email), `privacyUrl` (GDPR art. 13) and `imprintUrl` (DDG § 5) in the footer of nurture and
 * consent emails, in the reader's language; the notes `sla validate` prints when a file that sends marketing
 * email leaves one out; what the schema refuses.
 */
import { describe, expect, it } from 'vitest';
import type { ConsentRecord } from '../../lambdas/domain/consent.ts';
import {
  consentConfirmationEmail,
  type EmailLead,
  nurtureEmail,
} from '../../lambdas/domain/email-templates.ts';
import { parseSla } from '../../lambdas/domain/sla-file.ts';
import { slaNotes } from '../../lambdas/domain/sla-notes.ts';
import type { Sla } from '../../lambdas/domain/sla-schema.ts';
import { germanTeam, loadDefaultSla, makeSla } from '../support/sla.ts';

const ADDRESS = 'Kessler Industrial GmbH, Industriestraße 12, 70565 Stuttgart, Germany';
const PRIVACY = 'https://kessler-industrial.example/privacy';
const IMPRINT = 'https://kessler-industrial.example/imprint';
const UNSUBSCRIBE = 'https://leads.kessler-industrial.example/unsubscribe/token';
const CONFIRM = 'https://leads.kessler-industrial.example/consent/token';

/** The keys of the sender's identity (ADR 0071). */
type Identity = Pick<Partial<Sla['nurture']>, 'postalAddress' | 'privacyUrl' | 'imprintUrl'>;

/** The German team's SLA (en, ar, de) with the sender's identity as `identity` says. */
function withIdentity(identity: Identity): Sla {
  const sla = germanTeam();
  const { postalAddress: _a, privacyUrl: _p, imprintUrl: _i, ...nurture } = sla.nurture;
  return { ...sla, nurture: { ...nurture, ...identity } };
}

const full = withIdentity({ postalAddress: ADDRESS, privacyUrl: PRIVACY, imprintUrl: IMPRINT });

const lead = (locale: string): EmailLead & { leadId: string } => ({
  leadId: `lead-${locale}`,
  email: 'karin.weber@mueller-maschinenbau.example',
  fields: { locale, firstName: 'Karin' },
});

const consent = (locale: string): ConsentRecord => ({
  mode: 'double',
  givenAt: '2026-12-07T11:00:00.000Z',
  formId: 'newsletter',
  text: 'Send me email.',
  locale,
  requestId: 'r1',
});

const emails = {
  nurture: (sla: Sla, locale: string) =>
    nurtureEmail(sla, lead(locale), { template: sla.nurture.templates[0]!, unsubscribeUrl: UNSUBSCRIBE }),
  consent: (sla: Sla, locale: string) =>
    consentConfirmationEmail(sla, { ...lead(locale), consent: consent(locale) }, CONFIRM, 'unused'),
};

describe("a marketing email's footer names who sends it", () => {
  it.each<[keyof typeof emails, string, string, string]>([
    ['nurture', 'en', 'Privacy policy', 'Imprint'],
    ['nurture', 'de', 'Datenschutzerklärung', 'Impressum'],
    ['nurture', 'ar', 'سياسة الخصوصية', 'بيانات الناشر'],
    ['consent', 'en', 'Privacy policy', 'Imprint'],
    ['consent', 'de', 'Datenschutzerklärung', 'Impressum'],
    ['consent', 'ar', 'سياسة الخصوصية', 'بيانات الناشر'],
  ])('%s email in %s: the postal address, "%s" and "%s" links', (kind, locale, privacy, imprint) => {
    // Act
    const email = emails[kind](full, locale);

    // Assert
    const footer = email.text.slice(email.text.lastIndexOf('\n--\n'));
    expect(footer).toContain(`\n${ADDRESS}\n${privacy}: ${PRIVACY}\n${imprint}: ${IMPRINT}`);
    expect(email.html).toContain(
      `<br><span dir="auto">${ADDRESS}</span><br><a href="${PRIVACY}" style="color:#555555;text-decoration:underline">${privacy}</a> &middot; <a href="${IMPRINT}" style="color:#555555;text-decoration:underline">${imprint}</a>`,
    );
  });

  it('the nurture footer keeps its unsubscribe link, after the sentence in HTML and last in text', () => {
    // Arrange: a template that does not place {{unsubscribeUrl}} itself
    const template = { id: 'plain', locales: {}, subject: 'Hi', text: 'Hello.' };

    // Act
    const email = nurtureEmail(full, lead('en'), { template, unsubscribeUrl: UNSUBSCRIBE });

    // Assert
    expect(email.text).toMatch(
      new RegExp(`--\\nYou get this email from .+\\n${ADDRESS}\\n.+\\n.+\\nUnsubscribe: ${UNSUBSCRIBE}\\n$`),
    );
    expect(email.html).toMatch(
      /because you asked us for information\. <a href="[^"]+"[^>]*>Unsubscribe<\/a><br>/,
    );
  });

  it.each<[string, Identity, string[], string[]]>([
    ['none of them: the footer as before', {}, [], ['<br>', 'Privacy policy', 'Imprint']],
    ['the address alone', { postalAddress: ADDRESS }, [ADDRESS], ['Privacy policy', 'Imprint']],
    [
      'the privacy notice alone',
      { privacyUrl: PRIVACY },
      [`Privacy policy: ${PRIVACY}`],
      ['Imprint', ADDRESS],
    ],
  ])('%s', (_what, identity, present, absent) => {
    // Arrange
    const sla = withIdentity(identity);

    // Act
    const email = emails.nurture(sla, 'en');

    // Assert
    for (const text of present) expect(email.text).toContain(text);
    for (const text of absent) expect(`${email.text}${email.html}`).not.toContain(text);
  });

  it('a consent email of an SLA that names none ends as before: no separator, no links', () => {
    // Act
    const email = emails.consent(withIdentity({}), 'en');

    // Assert
    expect(email.text).not.toContain('\n--\n');
    expect(email.html).not.toContain('<br>');
  });

  it('the address is text: escaped in HTML', () => {
    // Arrange
    const sla = withIdentity({ postalAddress: 'Bob & Sons <b>Ltd</b>, 1 Main St' });

    // Act
    const email = emails.nurture(sla, 'en');

    // Assert
    expect(email.html).toContain(
      '<br><span dir="auto">Bob &amp; Sons &lt;b&gt;Ltd&lt;/b&gt;, 1 Main St</span>',
    );
    expect(email.text).toContain('\nBob & Sons <b>Ltd</b>, 1 Main St\n');
  });
});

describe('the SLA file: what it refuses and what it notes', () => {
  const yaml = (nurture: string) =>
    [
      'version: t-1',
      'routing:',
      '  reps: [{ id: ann, name: Ann, email: ann@example.com }]',
      'nurture:',
      nurture,
      '  templates: [{ id: w, subject: Hi, text: Hello }]',
      '  tracks: [{ id: t, name: T, emails: [{ template: w, delay: 1d }] }]',
    ].join('\n');

  it.each<[string, string, string]>([
    ['an http page', '  privacyUrl: http://kessler.example/privacy', 'nurture.privacyUrl'],
    ['a relative page', '  imprintUrl: /imprint', 'nurture.imprintUrl'],
    ['a script', '  privacyUrl: "javascript:alert(1)"', 'nurture.privacyUrl'],
    ['an address on two lines', '  postalAddress: "Kessler GmbH\\nStuttgart"', 'nurture.postalAddress'],
    ['an empty address', '  postalAddress: "  "', 'nurture.postalAddress'],
    ['an address of 301 characters', `  postalAddress: ${'a'.repeat(301)}`, 'nurture.postalAddress'],
  ])('refuses %s, naming the key', (_what, line, path) => {
    // Act
    const parsed = parseSla(yaml(line));

    // Assert
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.errors.map((error) => error.path)).toContain(path);
  });

  it('takes an address with umlauts and https pages', () => {
    // Act
    const parsed = parseSla(
      yaml(`  postalAddress: ${ADDRESS}\n  privacyUrl: ${PRIVACY}\n  imprintUrl: ${IMPRINT}`),
    );

    // Assert
    expect(parsed.ok && parsed.sla.nurture).toMatchObject({
      postalAddress: ADDRESS,
      privacyUrl: PRIVACY,
      imprintUrl: IMPRINT,
    });
  });

  const tracked = (identity: Identity, supported = ['en'], timeZone = 'America/New_York') =>
    makeSla({
      calendar: { timeZone },
      locales: { default: supported[0]!, supported },
      nurture: {
        templates: [{ id: 'w', subject: 'Hi', text: 'Hello' }],
        tracks: [{ id: 't', name: 'T', emails: [{ template: 'w', delay: '1d' }] }],
        ...identity,
      },
    });

  it.each<[string, Sla, string[]]>([
    ['no nurture track: no marketing email, no note', makeSla(), []],
    ['a track and nothing named', tracked({}), ['nurture.postalAddress', 'nurture.privacyUrl']],
    [
      'German spoken: the imprint too',
      tracked({}, ['en', 'de']),
      ['nurture.postalAddress', 'nurture.privacyUrl', 'nurture.imprintUrl'],
    ],
    [
      'an English SLA with address and privacy notice',
      tracked({ postalAddress: ADDRESS, privacyUrl: PRIVACY }),
      [],
    ],
    [
      'a German SLA without its imprint',
      tracked({ postalAddress: ADDRESS, privacyUrl: PRIVACY }, ['de-AT']),
      ['nurture.imprintUrl'],
    ],
    [
      'an English SLA on Berlin time (a German company writing in English): the imprint',
      tracked({ postalAddress: ADDRESS, privacyUrl: PRIVACY }, ['en'], 'Europe/Berlin'),
      ['nurture.imprintUrl'],
    ],
    [
      'on Vienna time too',
      tracked({ postalAddress: ADDRESS, privacyUrl: PRIVACY }, ['en'], 'Europe/Vienna'),
      ['nurture.imprintUrl'],
    ],
    ['the worked example (sla/default.yaml)', loadDefaultSla(), []],
  ])('notes: %s', (_what, sla, paths) => {
    // Act
    const notes = slaNotes(sla);

    // Assert
    expect(notes.map((note) => note.path)).toEqual(paths);
  });
});
