/**
 * The demo page `npm start` serves at `/`: a real lead form (a plain HTML form post to
 * POST /leads, no JavaScript), a thank-you page, and links to the inbox where the reps'
 * emails arrive. What a newcomer clicks first.
 */
import { defaultConsentText, formConsentText } from '../lambdas/domain/consent.ts';
import { escapeHtml } from '../lambdas/domain/email-templates.ts';
import {
  localeField,
  type ShippedLanguage,
  shippedLanguage,
  textDirection,
} from '../lambdas/domain/locale.ts';
import { pickLocal, slaNameIn } from '../lambdas/domain/sla-names.ts';
import type { Sla } from '../lambdas/domain/sla-schema.ts';
import type { ExtraRoute } from './http-server.ts';

export interface DemoPageOptions {
  readonly sla: Sla;
  /** the API's own URL (the form posts here and is redirected back) */
  readonly apiUrl: string;
  /** the SES emulator's inbox viewer */
  readonly inboxUrl: string;
  /** virtual seconds per real second, shown so the reader knows why reminders come fast */
  readonly speed: number;
}

const STYLE = `body{font:16px/1.5 system-ui,sans-serif;margin:0;background:#f6f7f9;color:#1d2330}
main{max-width:40rem;margin:0 auto;padding:1.5rem;overflow-wrap:anywhere}h1{font-size:1.6rem;margin:.2rem 0}
form{background:#fff;border:1px solid #d9dde3;border-radius:10px;padding:1.2rem;display:grid;gap:.8rem}
label{display:grid;gap:.25rem;font-weight:600;font-size:.95rem}
input,select,textarea{font:inherit;padding:.55rem .6rem;border:1px solid #b8bfca;border-radius:6px;min-width:0;width:100%;box-sizing:border-box}
button{font:inherit;font-weight:700;padding:.75rem;border:0;border-radius:8px;background:#1f5eff;color:#fff;cursor:pointer}
.row{display:grid;grid-template-columns:1fr 1fr;gap:.8rem}.hint{color:#5b6472;font-size:.9rem}
input[type=checkbox]{width:auto}.row>*{min-width:0}@media (max-width:32rem){main{padding:1rem}.row{grid-template-columns:1fr}}
.hp{position:absolute;width:1px;height:1px;overflow:hidden;clip-path:inset(50%);white-space:nowrap}
a{color:#1f5eff}code{background:#eceff3;padding:0 .25rem;border-radius:4px}
[dir=rtl] input[type=email],[dir=rtl] input[type=tel]{direction:ltr;text-align:right}`;

/** The industries and interests the demo form offers: the values the worked example's SLA scores and routes by. */
const INDUSTRIES = [
  'manufacturing',
  'chemicals',
  'food-and-beverage',
  'pharma',
  'energy',
  'automotive',
  'retail',
] as const;
const INTERESTS = ['compressors', 'pumps', 'maintenance', 'spare-parts'] as const;

/** The demo page's words: English and Arabic, as the emails and pages LeadPact ships (ADR 0024). */
interface DemoText {
  readonly intro: (speed: number, version: string) => string;
  readonly heading: string;
  readonly lead: (inbox: string) => string;
  readonly firstName: string;
  readonly lastName: string;
  readonly email: string;
  readonly phone: string;
  readonly callsBack: string;
  readonly company: string;
  readonly jobTitle: string;
  readonly jobTitleExample: string;
  readonly country: string;
  readonly countryExample: string;
  readonly employees: string;
  readonly employeesExample: string;
  readonly industry: string;
  readonly choose: string;
  readonly interest: string;
  /** the choices' words; the values posted are the keys, which the SLA's rules match */
  readonly industries: Readonly<Record<(typeof INDUSTRIES)[number], string>>;
  readonly interests: Readonly<Record<(typeof INTERESTS)[number], string>>;
  readonly need: string;
  readonly message: string;
  readonly send: string;
  readonly ops: (api: string, inbox: string) => string;
  readonly thanksTitle: string;
  readonly thanksHeading: string;
  readonly thanks: (inbox: string) => string;
  readonly again: string;
}

const TEXT: Readonly<Record<ShippedLanguage, DemoText>> = {
  en: {
    intro: (speed, version) =>
      `LeadPact demo &middot; SLA <code>${version}</code> &middot; time runs ${speed}&times; faster`,
    heading: 'Request a demo',
    lead: (inbox) =>
      `Post a lead as a website visitor would. LeadPact judges it against the SLA, and if it qualifies a rep
gets an assignment email, then timed reminders. <a href="${inbox}" target="_blank" rel="noopener">Open the inbox</a> to read them.`,
    firstName: 'First name',
    lastName: 'Last name',
    email: 'Work email',
    phone: 'Phone',
    callsBack: '(a rep calls you back first)',
    company: 'Company',
    jobTitle: 'Job title',
    jobTitleExample: 'Plant Manager',
    country: 'Country',
    countryExample: 'Germany or DE',
    employees: 'Employees',
    employeesExample: '850 or 500-1000',
    industry: 'Industry',
    choose: 'Choose…',
    interest: 'Interested in',
    industries: {
      manufacturing: 'Manufacturing',
      chemicals: 'Chemicals',
      'food-and-beverage': 'Food and beverage',
      pharma: 'Pharma',
      energy: 'Energy',
      automotive: 'Automotive',
      retail: 'Retail',
    },
    interests: {
      compressors: 'Compressors',
      pumps: 'Pumps',
      maintenance: 'Maintenance',
      'spare-parts': 'Spare parts',
    },
    need: 'What do you need?',
    message: 'Message',
    send: 'Send',
    ops: (api, inbox) =>
      `Ops: the API is at <code>${api}</code>; see the admin token in the terminal and
<code>GET /leads/{id}</code> for a lead's story. The inbox viewer is at <a href="${inbox}">${inbox}</a>.`,
    thanksTitle: 'Thank you',
    thanksHeading: 'Thank you!',
    thanks: (inbox) => `Your request is in. If it qualifies, a rep has just been assigned:
<a href="${inbox}" target="_blank" rel="noopener">see the email in the inbox</a>.`,
    again: 'Post another lead',
  },
  ar: {
    intro: (speed, version) =>
      `عرض LeadPact التجريبي &middot; الاتفاقية <code dir="ltr">${version}</code> &middot; يمضي الوقت أسرع ${speed} مرة`,
    heading: 'اطلب عرضًا توضيحيًا',
    lead: (inbox) =>
      `أرسل بيانات عميل محتمل كما يفعل زائر الموقع. يقيّمه LeadPact وفق الاتفاقية، وإن تأهل تصل المندوب رسالة
إسناد ثم تذكيرات في مواعيدها. <a href="${inbox}" target="_blank" rel="noopener">افتح صندوق البريد</a> لقراءتها.`,
    firstName: 'الاسم الأول',
    lastName: 'اسم العائلة',
    email: 'البريد الإلكتروني للعمل',
    phone: 'الهاتف',
    callsBack: '(يتصل بك المندوب أولًا)',
    company: 'الشركة',
    jobTitle: 'المسمى الوظيفي',
    jobTitleExample: 'مدير المصنع',
    country: 'الدولة',
    countryExample: 'الإمارات أو AE',
    employees: 'عدد الموظفين',
    employeesExample: '850 أو 500-1000',
    industry: 'القطاع',
    choose: 'اختر…',
    interest: 'مهتم بـ',
    industries: {
      manufacturing: 'التصنيع',
      chemicals: 'الكيماويات',
      'food-and-beverage': 'الأغذية والمشروبات',
      pharma: 'الأدوية',
      energy: 'الطاقة',
      automotive: 'السيارات',
      retail: 'التجزئة',
    },
    interests: {
      compressors: 'الضواغط',
      pumps: 'المضخات',
      maintenance: 'الصيانة',
      'spare-parts': 'قطع الغيار',
    },
    need: 'ماذا تحتاج؟',
    message: 'الرسالة',
    send: 'إرسال',
    ops: (api, inbox) =>
      `للمشغّلين: الواجهة البرمجية على <code dir="ltr">${api}</code>؛ رمز المشرف في الطرفية، و<code dir="ltr">GET /leads/{id}</code>
يروي قصة العميل. صندوق البريد على <a href="${inbox}" dir="ltr">${inbox}</a>.`,
    thanksTitle: 'شكرًا لك',
    thanksHeading: 'شكرًا لك!',
    thanks: (inbox) => `وصل طلبك. إن تأهل، فقد أُسند للتو إلى مندوب:
<a href="${inbox}" target="_blank" rel="noopener">شاهد الرسالة في صندوق البريد</a>.`,
    again: 'أرسل عميلًا آخر',
  },
  de: {
    intro: (speed, version) =>
      `LeadPact-Demo &middot; SLA <code>${version}</code> &middot; die Zeit läuft ${speed}-mal so schnell`,
    heading: 'Demo anfragen',
    lead: (inbox) =>
      `Senden Sie einen Lead, wie es ein Besucher der Website täte. LeadPact bewertet ihn nach dem SLA; ist er
qualifiziert, erhält der Vertrieb eine Zuweisung per E-Mail und danach terminierte Erinnerungen. <a href="${inbox}" target="_blank" rel="noopener">Öffnen Sie den Posteingang</a>, um sie zu lesen.`,
    firstName: 'Vorname',
    lastName: 'Nachname',
    email: 'Geschäftliche E-Mail-Adresse',
    phone: 'Telefon',
    callsBack: '(wir rufen Sie zuerst zurück)',
    company: 'Unternehmen',
    jobTitle: 'Position',
    jobTitleExample: 'Werksleiter',
    country: 'Land',
    countryExample: 'Deutschland oder DE',
    employees: 'Anzahl Beschäftigte',
    employeesExample: '850 oder 500-1000',
    industry: 'Branche',
    choose: 'Bitte wählen…',
    interest: 'Interesse an',
    industries: {
      manufacturing: 'Fertigung',
      chemicals: 'Chemie',
      'food-and-beverage': 'Lebensmittel und Getränke',
      pharma: 'Pharma',
      energy: 'Energie',
      automotive: 'Automobil',
      retail: 'Handel',
    },
    interests: {
      compressors: 'Kompressoren',
      pumps: 'Pumpen',
      maintenance: 'Wartung',
      'spare-parts': 'Ersatzteile',
    },
    need: 'Was benötigen Sie?',
    message: 'Nachricht',
    send: 'Absenden',
    ops: (api, inbox) =>
      `Für Ops: Die API liegt unter <code>${api}</code>; das Admin-Token steht im Terminal, und
<code>GET /leads/{id}</code> zeigt die Geschichte eines Leads. Der Posteingang liegt unter <a href="${inbox}">${inbox}</a>.`,
    thanksTitle: 'Vielen Dank',
    thanksHeading: 'Vielen Dank!',
    thanks: (
      inbox,
    ) => `Ihre Anfrage ist eingegangen. Ist sie qualifiziert, wurde sie soeben jemandem im Vertrieb zugewiesen:
<a href="${inbox}" target="_blank" rel="noopener">die E-Mail im Posteingang ansehen</a>.`,
    again: 'Weiteren Lead senden',
  },
};

function page(title: string, locale: string, body: string): string {
  return `<!doctype html><html lang="${escapeHtml(locale)}" dir="${textDirection(locale)}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${escapeHtml(title)}</title><style>${STYLE}</style></head><body><main>${body}</main></body></html>`;
}

/** The page's language: `?lang=` (the switch link), else the browser's, among the SLA's; else its default. */
export function demoLocale(sla: Sla, requested: string | null, acceptLanguage: string | undefined): string {
  return (
    localeField(sla, requested ? { locale: requested } : {}, acceptLanguage).locale ?? sla.locales.default
  );
}

/** A language by its own name ("Deutsch", "العربية", "English"), for the link to the page in it. */
function ownName(tag: string): string {
  return new Intl.DisplayNames([tag], { type: 'language' }).of(tag) ?? tag;
}

export function demoPage(options: DemoPageOptions, locale = options.sla.locales.default): string {
  const { sla } = options;
  const t = TEXT[shippedLanguage(locale)];
  const forms = sla.forms.length ? sla.forms : [{ id: 'contact', name: 'Contact us', names: undefined }];
  // the rep calls first when the SLA's default cadence starts with a phone step: ask for the number
  const cadence = sla.contact.cadences.find((c) => c.id === sla.contact.defaultCadence);
  const callFirst = cadence?.steps[0]?.channel === 'phone';
  // the other language the SLA supports, offered as a link (the form posts the page's language)
  const other = sla.locales.supported.find((tag) => shippedLanguage(tag) !== shippedLanguage(locale));
  const inbox = escapeHtml(options.inboxUrl);
  const form = sla.forms.find((f) => f.id === 'demo-request');
  const consent = form ? formConsentText(sla, form, locale) : defaultConsentText(sla, locale);
  return page(
    `${slaNameIn(sla, locale)}: LeadPact`,
    locale,
    `<p class="hint">${t.intro(options.speed, escapeHtml(sla.version))}${other ? ` &middot; <a href="/?lang=${escapeHtml(other)}" lang="${escapeHtml(other)}">${escapeHtml(ownName(other))}</a>` : ''}</p>
<h1>${escapeHtml(t.heading)}</h1>
<p>${t.lead(inbox)}</p>
<form method="post" action="/leads">
  <div class="row"><label>${t.firstName}<input name="firstName" autocomplete="given-name" required></label>
  <label>${t.lastName}<input name="lastName" autocomplete="family-name"></label></div>
  <label>${t.email}<input name="email" type="email" autocomplete="email" required></label>
  <label><span>${t.phone}${callFirst ? ` <span class="hint" style="font-weight:400">${t.callsBack}</span>` : ''}</span><input name="phone" type="tel" autocomplete="tel" maxlength="40" placeholder="+49 89 1234 5678"></label>
  <div class="row"><label>${t.company}<input name="company" autocomplete="organization"></label>
  <label>${t.jobTitle}<input name="jobTitle" autocomplete="organization-title" placeholder="${escapeHtml(t.jobTitleExample)}"></label></div>
  <div class="row"><label>${t.country}<input name="country" autocomplete="country-name" maxlength="60" placeholder="${escapeHtml(t.countryExample)}"></label>
  <label>${t.employees}<input name="employees" inputmode="numeric" maxlength="20" placeholder="${escapeHtml(t.employeesExample)}"></label></div>
  <div class="row"><label>${t.industry}<select name="industry"><option value="">${t.choose}</option>${INDUSTRIES.map(
    (value) => `<option value="${value}">${escapeHtml(t.industries[value])}</option>`,
  ).join('')}</select></label>
  <label>${t.interest}<select name="interest">${INTERESTS.map((value) => `<option value="${value}">${escapeHtml(t.interests[value])}</option>`).join('')}</select></label></div>
  <label>${t.need}<select name="formId">${forms
    .map(
      (f) =>
        `<option value="${escapeHtml(f.id)}">${escapeHtml(pickLocal(f.names, locale) ?? f.name ?? f.id)}</option>`,
    )
    .join('')}</select></label>
  <label>${t.message}<textarea name="message" rows="3"></textarea></label>
  <label style="display:flex;gap:.5rem;align-items:center;font-weight:400"><input type="checkbox" name="marketingConsent" value="true"> ${escapeHtml(consent)}</label>
  <input class="hp" name="_gotcha" tabindex="-1" autocomplete="off" aria-hidden="true">
  <input type="hidden" name="locale" value="${escapeHtml(locale)}">
  <input type="hidden" name="_redirect" value="${escapeHtml(options.apiUrl)}/thanks${locale === sla.locales.default ? '' : `?lang=${escapeHtml(locale)}`}">
  <button type="submit">${t.send}</button>
</form>
<p class="hint">${t.ops(escapeHtml(options.apiUrl), inbox)}</p>`,
  );
}

export function thanksPage(options: DemoPageOptions, locale = options.sla.locales.default): string {
  const t = TEXT[shippedLanguage(locale)];
  return page(
    t.thanksTitle,
    locale,
    `<h1>${t.thanksHeading}</h1><p>${t.thanks(escapeHtml(options.inboxUrl))}</p>
<p><a href="/?lang=${escapeHtml(locale)}">${t.again}</a></p>`,
  );
}

export function demoRoutes(options: DemoPageOptions): ExtraRoute[] {
  // rendered per request: the API's URL is known only once the server listens
  const html =
    (body: (locale: string) => string) =>
    (req: import('node:http').IncomingMessage, res: import('node:http').ServerResponse) => {
      const url = new URL(req.url ?? '/', 'http://localhost');
      const accept = req.headers['accept-language'];
      const locale = demoLocale(
        options.sla,
        url.searchParams.get('lang'),
        typeof accept === 'string' ? accept : undefined,
      );
      res.writeHead(200, {
        'content-type': 'text/html; charset=utf-8',
        'content-language': locale,
        'cache-control': 'no-store',
        'content-security-policy':
          "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; base-uri 'none'",
        'x-content-type-options': 'nosniff',
      });
      res.end(body(locale));
    };
  return [
    { method: 'GET', path: '/', handle: html((locale) => demoPage(options, locale)) },
    { method: 'GET', path: '/thanks', handle: html((locale) => thanksPage(options, locale)) },
  ];
}
