/**
 * The consent request speaks the language consent was given in. A person first known in English (a
 * demo request without the box ticked) who later subscribes on the Arabic newsletter form is asked to
 * confirm in Arabic: the email, its page and the page after the button. Before, the email was English
 * around the Arabic consent text, because the lead's stored language is its first post's.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type E2e, startE2e } from '../support/e2e.ts';

const ARABIC = /[\u0600-\u06FF]/;

describe('the confirmation of consent, in the language it was given in', () => {
  let e2e: E2e;

  beforeAll(async () => {
    e2e = await startE2e();
  });
  afterAll(() => e2e?.close());

  it.each([
    ['Arabic after English', 'en', 'ar', true],
    ['English after Arabic', 'ar', 'en', false],
  ])('%s: the email and its pages', async (_case, first, then, arabic) => {
    // Arrange
    const email = `omar.${first}.${then}@gulf-foods.example`;
    await e2e.postLead({ email, firstName: 'Omar', locale: first, formId: 'demo-request' });
    await e2e.settle();

    // Act
    const posted = await e2e.postLead({ email, locale: then, formId: 'newsletter', marketingConsent: true });
    await e2e.settle();

    // Assert
    expect(posted.status).toBe(202);
    const mails = await e2e.mailsTo(email);
    const confirm = mails.find((mail) => /\/consent\//.test(mail.text));
    expect(confirm).toBeDefined();
    expect(ARABIC.test(confirm!.subject)).toBe(arabic);
    expect(/dir="rtl"/.test(confirm!.html)).toBe(arabic);
    const url = String(confirm!.text).match(/https?:\/\/\S+\/consent\/\S+/)![0];
    const page = await e2e.request('GET', url, { headers: { accept: 'text/html' } });
    expect(page.status).toBe(200);
    expect(page.text).toContain(`lang="${then}"`);
    const done = await e2e.confirmSubscription(email);
    expect(done.text).toContain(`lang="${then}"`);
    expect((await e2e.readLead(e2e.leadIdOf(email))).consent).toMatchObject({ status: 'confirmed' });
  });

  it('a post that names no language (a webhook from a server: Elementor, Typeform) asks in the lead’s', async () => {
    // Arrange: first known in Arabic, then subscribed by a form builder's server (no locale, no Accept-Language)
    const email = 'omar.server@gulf-foods.example';
    await e2e.postLead({ email, firstName: 'Omar', locale: 'ar', formId: 'demo-request' });
    await e2e.settle();
    const form = new URLSearchParams([
      ['fields[e][type]', 'email'],
      ['fields[e][value]', email],
      ['fields[c][type]', 'acceptance'],
      ['fields[c][title]', 'Subscribe'],
      ['fields[c][value]', 'on'],
    ]).toString();

    // Act
    const posted = await e2e.request('POST', '/leads?formId=newsletter', { form });
    await e2e.settle();

    // Assert
    expect(posted.status).toBe(202);
    const confirm = (await e2e.mailsTo(email)).find((mail) => /\/consent\//.test(mail.text));
    expect(confirm).toBeDefined();
    expect(ARABIC.test(confirm!.subject)).toBe(true);
    expect(ARABIC.test(confirm!.text)).toBe(true);
    const url = String(confirm!.text).match(/https?:\/\/\S+\/consent\/\S+/)![0];
    const page = await e2e.request('GET', url, { headers: { accept: 'text/html' } });
    expect(page.text).toContain('lang="ar"');
  });
});
