/**
 * The console's error pages in their reader's language (ADR 0019, the console amendment): a page no route
 * has (404), a form post's address visited (405), a form refused before the session was read (401, 403),
 * each in the signed-in person's locale, else, before sign-in, the browser's Accept-Language among the SLA's
 * locales. They were English whatever the reader (the catch-all route never read the session, and an
 * error thrown before a session was read had no reader). A program that asks for JSON gets the API's error.
 * Over real HTTP, on dynalite.
 */
import { describe, expect, it } from 'vitest';
import { consoleFetch, signIn, textOf } from '../support/console.ts';
import { expectError, MINUTE, T0, useLocalApi } from '../support/local-api.ts';
import { withRep } from '../support/sla.ts';

const api = useLocalApi({ sla: withRep('lena', { locale: 'ar', names: { ar: 'لينا هارتمان' } }) });
const LENA = 'lena.hartmann@kessler-industrial.example'; // Arabic
const JONAS = 'jonas.berger@kessler-industrial.example'; // English (the SLA's default)
const ARABIC = { 'accept-language': 'ar-SA,ar;q=0.9,en;q=0.5' };
const LEAD = '/console/leads/AAAAAAAAAAAAAAAAAAAAAA';

/** Latin words on the page outside data and the brand: none on an Arabic page */
function englishWords(html: string): string[] {
  const text = textOf(html.replace(/<bdi[^>]*>[\s\S]*?<\/bdi>/g, ' ')).replace('LeadPact', ' ');
  return text.match(/[A-Za-z]{2,}/g) ?? [];
}

describe('the console’s error pages in the reader’s language', () => {
  it('before sign-in: 404, 405, 401 and 403 follow the browser’s Arabic', async () => {
    // Act
    const seen = {
      notFound: await consoleFetch(api.runtime, 'GET', '/console/nothing-here', { headers: ARABIC }),
      formAddress: await consoleFetch(api.runtime, 'GET', '/console/sign-out', { headers: ARABIC }),
      signedOut: await consoleFetch(api.runtime, 'POST', `${LEAD}/attempts`, {
        headers: ARABIC,
        form: { outcome: 'no-answer' },
      }),
      crossSite: await consoleFetch(api.runtime, 'POST', `${LEAD}/attempts`, {
        headers: ARABIC,
        origin: 'https://evil.example',
        form: { outcome: 'no-answer' },
      }),
      badLink: await consoleFetch(api.runtime, 'POST', '/console/sign-in/not.a-token', { headers: ARABIC }),
    };

    // Assert
    expect(seen.notFound.status).toBe(404);
    expect(seen.formAddress.status).toBe(405);
    expect(seen.formAddress.headers.get('allow')).toBe('POST');
    expect(seen.signedOut.status).toBe(401);
    expect(seen.crossSite.status).toBe(403);
    for (const [name, answer] of Object.entries(seen)) {
      expect(answer.headers.get('content-type'), name).toMatch(/^text\/html/);
      expect(answer.text, name).toMatch(/<html lang="ar" dir="rtl">/);
      expect(englishWords(answer.text), `${name}: English words on the Arabic page`).toEqual([]);
    }
    expect(textOf(seen.notFound.text)).toContain('لا توجد صفحة بهذا العنوان في لوحة التحكم.');
    expect(textOf(seen.formAddress.text)).toContain('هذا العنوان يستقبل النماذج فقط');
    // an English browser still reads English
    const english = await consoleFetch(api.runtime, 'GET', '/console/nothing-here', {
      headers: { 'accept-language': 'de-DE,en;q=0.8' },
    });
    expect(english.text).toMatch(/<html lang="en" dir="ltr">/);
    expect(textOf(english.text)).toContain('There is no page at this address in the console.');
  });

  it('after sign-in: the person’s locale, whatever the browser says', async () => {
    // Arrange
    const lena = await signIn(api.runtime, LENA);
    api.clock.set(new Date(T0.getTime() + 2 * MINUTE));
    const jonas = await signIn(api.runtime, JONAS);

    // Act
    const arabic = {
      notFound: await consoleFetch(api.runtime, 'GET', '/console/nothing-here', {
        cookie: lena,
        headers: { 'accept-language': 'en' },
      }),
      formAddress: await consoleFetch(api.runtime, 'GET', `${LEAD}/attempts`, { cookie: lena }),
      crossSite: await consoleFetch(api.runtime, 'POST', `${LEAD}/attempts`, {
        cookie: lena,
        origin: 'https://evil.example',
        form: { outcome: 'no-answer' },
      }),
    };
    const english = await consoleFetch(api.runtime, 'GET', '/console/nothing-here', {
      cookie: jonas,
      headers: ARABIC,
    });

    // Assert
    for (const [name, answer] of Object.entries(arabic)) {
      expect(answer.text, name).toMatch(/<html lang="ar" dir="rtl">/);
      expect(englishWords(answer.text), `${name}: English words on the Arabic page`).toEqual([]);
    }
    expect(arabic.notFound.status).toBe(404);
    expect(arabic.formAddress.status).toBe(405);
    expect(arabic.crossSite.status).toBe(403);
    expect(english.status).toBe(404);
    expect(english.text).toMatch(/<html lang="en" dir="ltr">/);
    expect(textOf(english.text)).toContain('There is no page at this address in the console.');
  });

  it('a program that asks for JSON gets the API’s error, not a page', async () => {
    // Act
    const missing = await api.request('GET', '/console/nothing-here', {
      token: null,
      headers: { accept: 'application/json', ...ARABIC },
    });
    const formAddress = await api.request('GET', '/console/sign-out', {
      token: null,
      headers: { accept: 'application/json' },
    });

    // Assert
    expectError(missing, 404, 'not_found');
    expectError(formAddress, 405, 'method_not_allowed');
    expect(formAddress.headers.get('allow')).toBe('POST');
  });
});
