/**
 * The FormSnippet output (lib/form-snippet.ts): the plain form ops paste into their site, in the
 * language of the page it goes on, with the direction, the labels and the consent text of that language
 * and the lead's locale posted with it.
 */
import { describe, expect, it } from 'vitest';
import { formSnippet } from '../../lib/form-snippet.ts';

const API = 'https://forms.kessler.example';

describe('the form snippet', () => {
  it('is English by default: labels, consent and button, left to right', () => {
    // Act
    const html = formSnippet({ apiUrl: API, formId: 'demo-request' });

    // Assert
    expect(html).toContain('lang="en" dir="ltr"');
    expect(html).toContain('Work email');
    expect(html).toContain('>Send</button>');
    expect(html).toContain('<input type="hidden" name="locale" value="en">');
  });

  it('in Arabic: Arabic labels, consent text and button, right to left, the locale posted with the lead', () => {
    // Act
    const html = formSnippet({
      apiUrl: API,
      formId: 'demo-request',
      locale: 'ar',
      consentText: 'أوافق على تلقي رسائل كيسلر',
    });

    // Assert
    expect(html).toContain('lang="ar" dir="rtl"');
    for (const label of [
      'البريد الإلكتروني للعمل',
      'الاسم الأول',
      'اسم العائلة',
      'الشركة',
      'المسمى الوظيفي',
      'الدولة',
    ])
      expect(html).toContain(label);
    expect(html).toContain('أوافق على تلقي رسائل كيسلر');
    expect(html).toContain('>إرسال</button>');
    expect(html).toContain('<input type="hidden" name="locale" value="ar">');
    expect(html).not.toMatch(/Work email|First name|Last name|Company|Job title|Country|>Send</);
  });

  it('escapes a consent text', () => {
    // Act
    const html = formSnippet({ apiUrl: API, consentText: '<b>yes</b> & more' });

    // Assert
    expect(html).toContain('&lt;b&gt;yes&lt;/b&gt; &amp; more');
  });
});
