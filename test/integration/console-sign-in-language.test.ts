/**
 * The console's sign-in email is in its reader's language (ADR 0019: every email a person gets is in
 * theirs), with their name and the SLA’s as the SLA gives them in it (the console too: console-language.test.ts).
 * An Arabic rep asked for a link and got "Hello Faisal Al-Harbi, Sign in to the LeadPact console".
 */
import { describe, expect, it } from 'vitest';
import { consoleFetch, signIn, signInLinkFor } from '../support/console.ts';
import { useLocalApi } from '../support/local-api.ts';
import { withRep } from '../support/sla.ts';

const api = useLocalApi({ sla: withRep('lena', { locale: 'ar', names: { ar: 'لينا هارتمان' } }) });
const LENA = 'lena.hartmann@kessler-industrial.example';
const JONAS = 'jonas.berger@kessler-industrial.example';

async function signInEmailTo(email: string) {
  const since = Math.floor(Date.now() / 1000);
  const asked = await consoleFetch(api.runtime, 'POST', '/console/sign-in', { form: { email } });
  expect(asked.status).toBe(200);
  const mails = (await api.runtime.mail.messages()).filter(
    (mail) => mail.destination.to.includes(email) && mail.at >= since,
  );
  return mails.at(-1)!;
}

describe("the console's sign-in email", () => {
  it('is Arabic, right to left, for a rep whose locale is Arabic, with the SLA’s Arabic names', async () => {
    // Act
    const mail = await signInEmailTo(LENA);

    // Assert
    expect(mail.subject).toBe('رابط تسجيل الدخول إلى LeadPact');
    expect(mail.body.text).toContain('مرحبًا \u2068لينا هارتمان\u2069،');
    expect(mail.body.text).toContain('Kessler Industrial - اتفاقية التسويق والمبيعات');
    expect(mail.body.text).not.toMatch(/Hello|Sign in to|Lena Hartmann/);
    // the console speaks Arabic to her too: the email no longer says it is in English ("باللغة الإنجليزية")
    expect(mail.body.text).not.toContain('الإنجليزية');
    expect(mail.body.html).toMatch(/<html lang="ar" dir="rtl">/);
    // the link still signs her in (a new one, the next minute: one link per person per minute)
    expect(await signInLinkFor(api.runtime, LENA)).toMatch(/\/console\/sign-in\/\S+$/);
    api.clock.set(new Date(api.clock.now().getTime() + 60_000));
    expect(await signIn(api.runtime, LENA)).toMatch(/^leadpact_session=/);
  });

  it('stays English for an English rep', async () => {
    // Act
    api.clock.set(new Date(api.clock.now().getTime() + 120_000));
    const mail = await signInEmailTo(JONAS);

    // Assert
    expect(mail.subject).toBe('Your LeadPact sign-in link');
    expect(mail.body.text).toContain('Hello Jonas Berger,');
    expect(mail.body.html).toMatch(/<html lang="en" dir="ltr">/);
    // a titled document, as every other email is (an accessibility review: axe's document-title)
    expect(mail.body.html).toContain('<title>Your LeadPact sign-in link</title>');
  });
});
