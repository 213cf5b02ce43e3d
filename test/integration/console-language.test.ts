/**
 * The console in its reader's language (ADR 0019: a person reads LeadPact in the locale the SLA gives them,
 * as their emails are): an Arabic rep who taps through from an Arabic email lands in an Arabic console, right
 * to left, with the SLA's Arabic names; an English rep's console is as before. Every page a rep uses: the
 * overview, the list (filters, due today), a lead's page with its forms, the confirmation after a form, the
 * error pages, the sign-in pages. On the Arabic pages no English word is left but the data (a lead's own
 * words, addresses, the workflow's recorded reasons: isolated in <bdi>, or marked lang="en").
 */
import { describe, expect, it } from 'vitest';
import type { Sla } from '../../lambdas/domain/sla-schema.ts';
import { consoleFetch, csrfOf, signIn, textOf } from '../support/console.ts';
import { MINUTE, SQL_LEAD, T0, useLocalApi } from '../support/local-api.ts';
import { withRep } from '../support/sla.ts';

/** Lena (a rep), Katrin (her manager) and Priya (ops) read Arabic; everyone else English, the SLA's default */
function arabicReaders(): Sla {
  const sla = withRep('lena', { locale: 'ar', names: { ar: 'لينا هارتمان' } });
  const managers = sla.routing.managers.map((manager) =>
    manager.id === 'katrin'
      ? { ...manager, locale: 'ar', names: { ar: 'كاترين فوغل' } }
      : manager.id === 'priya'
        ? { ...manager, locale: 'ar' }
        : manager,
  );
  return { ...sla, routing: { ...sla.routing, managers } };
}

const api = useLocalApi({ sla: arabicReaders() });
const LENA = 'lena.hartmann@kessler-industrial.example'; // Arabic
const JONAS = 'jonas.berger@kessler-industrial.example'; // English (the SLA's default)
const KATRIN = 'katrin.vogel@kessler-industrial.example'; // Arabic, manager of Lena and Jonas
const DAN = 'dan.whitaker@kessler-industrial.example'; // English, manager
const PRIYA = 'priya.shah@kessler-industrial.example'; // Arabic, ops

let minute = 0;
/** Each sign-in in its own minute: one link per person per minute. */
function freshMinute(): void {
  minute += 2;
  api.clock.set(new Date(T0.getTime() + minute * MINUTE));
}

async function leadOwnedBy(owner: string, label: string): Promise<string> {
  const leadId = await api.createLead({
    email: api.uniqueEmail(label),
    firstName: 'Petra',
    lastName: label,
    company: `${label} GmbH`,
    phone: '+49 30 1234567',
    ...SQL_LEAD,
  });
  await api.handOff(leadId, owner);
  return leadId;
}

/**
 * The words of a page that are the console's own, not data: its text and the attributes people read or
 * hear (aria-label, data-label, title; the page's <title> is its heading, checked as text), without people's
 * names (the SLA's, as it gives them: Latin letters when it has no Arabic name for someone), without what is isolated as data (<bdi>, a link kept left to right, an
 * element marked lang="en"), and without the brand.
 */
function uiWords(html: string): string[] {
  const withoutData = html
    .replace(/<bdi[^>]*>[\s\S]*?<\/bdi>/g, ' ')
    .replace(/<code[^>]*>[\s\S]*?<\/code>/g, ' ')
    .replace(/<a [^>]*dir="ltr"[^>]*>[\s\S]*?<\/a>/g, ' ')
    .replace(/<(\w+)[^>]*lang="en"[^>]*>[\s\S]*?<\/\1>/g, ' ')
    .replace(/<input [^>]*type="hidden"[^>]*>/g, ' ');
  const attributes = [...withoutData.matchAll(/(?:aria-label|data-label|title)="([^"]*)"/g)].map((m) => m[1]);
  const people = [...api.sla.routing.reps, ...api.sla.routing.managers].map((person) => person.name);
  const text = people.reduce(
    (words, name) => words.replaceAll(name, ' '),
    [textOf(withoutData), ...attributes].join(' ').replace(/&lt;|&gt;/g, ' '),
  );
  return (text.match(/[A-Za-z]{2,}/g) ?? []).filter((word) => !BRANDS.includes(word));
}

/** Names written in Latin letters in every language */
const BRANDS = ['LeadPact', 'LinkedIn'];

async function pages(cookie: string, leadId: string) {
  const get = (path: string) => consoleFetch(api.runtime, 'GET', path, { cookie });
  const lead = await get(`/console/leads/${leadId}`);
  // a form sent: logged, then the lead's page with the confirmation
  const logged = await consoleFetch(api.runtime, 'POST', `/console/leads/${leadId}/attempts`, {
    cookie,
    form: { csrf: csrfOf(lead.text), attemptId: `lang-${leadId}`, outcome: 'no-answer', channel: 'phone' },
  });
  expect(logged.status).toBe(303);
  const refused = await consoleFetch(api.runtime, 'POST', `/console/leads/${leadId}/attempts`, {
    cookie,
    form: { csrf: csrfOf(lead.text), attemptId: `lang2-${leadId}`, outcome: '' },
  });
  return {
    overview: await get('/console'),
    list: await get('/console/leads?stage=sql&q=pe'),
    dueToday: await get('/console/leads?due=today'),
    lead: await get(`/console/leads/${leadId}`),
    done: await get(logged.headers.get('location')!),
    refused,
    missing: await get('/console/leads/AAAAAAAAAAAAAAAAAAAAAA'),
    reports: await get('/console/reports?period=30d'),
    sla: await get('/console/sla'),
    badReport: await get('/console/reports?period=fortnight'),
  };
}

describe('the console in the reader’s language', () => {
  it('is Arabic, right to left, with the SLA’s Arabic names, on every page a rep uses: no English words but data', async () => {
    // Arrange
    freshMinute();
    const leadId = await leadOwnedBy('lena', 'Arabic');
    const cookie = await signIn(api.runtime, LENA);

    // Act
    const seen = await pages(cookie, leadId);

    // Assert
    expect(seen.refused.status).toBe(400);
    expect(seen.missing.status).toBe(404);
    expect(seen.badReport.status).toBe(400);
    for (const [name, answer] of Object.entries(seen)) {
      expect(answer.text, name).toMatch(/<html lang="ar" dir="rtl">/);
      expect(uiWords(answer.text), `${name}: English words on the Arabic page`).toEqual([]);
    }
    expect(textOf(seen.overview.text)).toContain('نظرة عامة');
    expect(seen.overview.text).toContain('لينا هارتمان');
    expect(textOf(seen.list.text)).toContain('عميل مؤهل للمبيعات'); // the SQL stage by its Arabic name
    expect(textOf(seen.lead.text)).toContain('ما يمكنك فعله');
    expect(seen.lead.text).toContain('<option value="no-answer">لا رد</option>'); // the outcome's Arabic name, its id kept
    expect(seen.lead.text).toContain('name="outcome"');
    expect(textOf(seen.done.text)).toContain('سُجّلت المحاولة.');
    expect(textOf(seen.done.text)).toContain('لا رد');
    expect(textOf(seen.refused.text)).toContain('اختر نتيجة');
    expect(textOf(seen.missing.text)).toContain('هذا العميل المحتمل غير موجود.');
    // the lead's address and phone left to right, in the right-to-left page
    expect(seen.lead.text).toMatch(/<a class="tap" dir="ltr" href="tel:\+49301234567">/);
    expect(seen.lead.text).toMatch(/<a class="tap" dir="ltr" href="mailto:/);
    expect(textOf(seen.reports.text)).toContain('المبيعات مقابل الاتفاقية');
    expect(textOf(seen.sla.text)).toContain('التزامات المبيعات');
    expect(textOf(seen.sla.text)).toContain('ثم إبلاغ المدير بعد ساعتي عمل'); // the dual after a preposition
    expect(textOf(seen.sla.text)).toContain('ست محاولات في عشرة أيام عمل'); // the cadence by its Arabic name
    expect(textOf(seen.reports.text)).toContain('تعد الاتفاقية بأول تواصل خلال 4 ساعات عمل من الإسناد.');
  });

  it('the manager’s overview and reports are Arabic for an Arabic manager, English for an English one', async () => {
    // Arrange: a lead in each team
    freshMinute();
    await leadOwnedBy('lena', 'Team');
    await leadOwnedBy('carla', 'Other');
    const katrin = await signIn(api.runtime, KATRIN);
    const dan = await signIn(api.runtime, DAN);
    const get = (cookie: string, path: string) => consoleFetch(api.runtime, 'GET', path, { cookie });

    // Act
    const arabic = {
      overview: await get(katrin, '/console'),
      reports: await get(katrin, '/console/reports?period=30d'),
      byRep: await get(katrin, '/console/reports?period=custom&from=2026-11-01&to=2026-12-01&rep=lena'),
    };
    const english = await get(dan, '/console/reports?period=30d');

    // Assert
    for (const [name, answer] of Object.entries(arabic)) {
      expect(answer.status, name).toBe(200);
      expect(answer.text, name).toMatch(/<html lang="ar" dir="rtl">/);
      expect(uiWords(answer.text), `${name}: English words on the Arabic page`).toEqual([]);
    }
    expect(arabic.overview.text).toContain('كاترين فوغل');
    expect(textOf(arabic.overview.text)).toContain('القمع');
    expect(textOf(arabic.reports.text)).toContain('التسويق مقابل الاتفاقية');
    expect(textOf(arabic.reports.text)).toContain('عميل مؤهل للمبيعات'); // the funnel's stages by their Arabic names
    expect(arabic.byRep.text).toContain('<option value="lena" selected>لينا هارتمان</option>');
    expect(english.text).toMatch(/<html lang="en" dir="ltr">/);
    expect(textOf(english.text)).toContain('Marketing against the SLA');
    expect(english.text).not.toMatch(/[\u0600-\u06FF]/);
  });

  it("names the response histogram's first and last bins in Arabic words, not '<' and '+' around an Arabic unit; Arabic semicolons", async () => {
    // Arrange
    freshMinute();
    const katrin = await signIn(api.runtime, KATRIN);

    // Act
    const reports = await consoleFetch(api.runtime, 'GET', '/console/reports?period=30d', { cookie: katrin });

    // Assert: a right-to-left reader read "<1 س" and "40 س+" with the signs on the wrong side of the number
    expect(reports.status).toBe(200);
    expect(textOf(reports.text)).toContain('أقل من 1 س');
    expect(textOf(reports.text)).toContain('40 س فأكثر');
    expect(reports.text).not.toMatch(/&lt;1 س|س\+/);
    expect(reports.text).toContain('أقل من 1 س: 0؛ 1-2 س: 0'); // the chart's description, with an Arabic semicolon
  });

  it('stays English, left to right, for an English rep', async () => {
    // Arrange
    freshMinute();
    const leadId = await leadOwnedBy('jonas', 'English');
    const cookie = await signIn(api.runtime, JONAS);

    // Act
    const seen = await pages(cookie, leadId);

    // Assert
    for (const [name, answer] of Object.entries(seen))
      expect(answer.text, name).toMatch(/<html lang="en" dir="ltr">/);
    expect(textOf(seen.overview.text)).toContain('Overdue first touches');
    expect(textOf(seen.list.text)).toContain('Sales qualified lead');
    expect(textOf(seen.lead.text)).toContain('What you can do');
    expect(seen.lead.text).toContain('<option value="no-answer">No answer</option>');
    expect(textOf(seen.done.text)).toContain('The attempt is logged.');
    expect(textOf(seen.refused.text)).toMatch(/Outcome\s*: choose an outcome/);
    expect(textOf(seen.missing.text)).toContain('No such lead.');
    expect(seen.overview.text).not.toMatch(/[\u0600-\u06FF]/);
  });

  it('ops read the overview, the SLA page (its sign-out buttons) and the webhooks page in Arabic', async () => {
    // Arrange
    freshMinute();
    const cookie = await signIn(api.runtime, PRIYA);
    const get = (path: string) => consoleFetch(api.runtime, 'GET', path, { cookie });

    // Act
    const seen = {
      overview: await get('/console'),
      sla: await get('/console/sla?revoked=rep:jonas&ended=3'),
      webhooks: await get('/console/webhooks'),
    };

    // Assert
    for (const [name, answer] of Object.entries(seen)) {
      expect(answer.status, name).toBe(200);
      expect(answer.text, name).toMatch(/<html lang="ar" dir="rtl">/);
      expect(uiWords(answer.text), `${name}: English words on the Arabic page`).toEqual([]);
    }
    expect(textOf(seen.sla.text)).toContain('(انتهت 3 جلسات)');
    expect(seen.sla.text).toContain('>الخروج من كل الأجهزة</button>');
    expect(textOf(seen.webhooks.text)).toContain('التسليمات الفاشلة');
  });

  it('asks an Arabic browser to sign in in Arabic, and the link’s page greets the person in theirs', async () => {
    // Act
    freshMinute();
    const form = await consoleFetch(api.runtime, 'GET', '/console', {
      headers: { 'accept-language': 'ar-SA,ar;q=0.9,en;q=0.5' },
    });
    const english = await consoleFetch(api.runtime, 'GET', '/console', {
      headers: { 'accept-language': 'de-DE,en;q=0.8' },
    });
    const asked = await consoleFetch(api.runtime, 'POST', '/console/sign-in', {
      form: { email: LENA },
      headers: { 'accept-language': 'ar' },
    });
    const link = /: (\S+\/console\/sign-in\/\S+)$/m.exec(
      (await api.runtime.mail.messages()).filter((m) => m.destination.to.includes(LENA)).at(-1)?.body.text ??
        '',
    )?.[1];
    const confirm = await consoleFetch(api.runtime, 'GET', link!);

    // Assert
    for (const [name, answer] of Object.entries({ form, asked, confirm })) {
      expect(answer.status, name).toBe(200);
      expect(answer.text, name).toMatch(/<html lang="ar" dir="rtl">/);
      expect(uiWords(answer.text), `${name}: English words on the Arabic page`).toEqual([]);
    }
    expect(textOf(form.text)).toContain('تسجيل الدخول إلى لوحة التحكم');
    expect(textOf(confirm.text)).toContain('لينا هارتمان');
    expect(english.text).toMatch(/<html lang="en" dir="ltr">/);
    expect(textOf(english.text)).toContain('Sign in to the console');
  });
});
