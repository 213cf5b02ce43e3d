/**
 * The field names web-form vendors document, mapped to LeadPact's own (docs/forms.md). Names are
 * compared by their key (`fieldKey`): lower case, letters and digits only, so "First Name",
 * "first_name", "firstName" and "FIRSTNAME" are one name. Pure data.
 *
 * Sources: Salesforce Web-to-Lead's generated form (first_name, last_name, title, description,
 * employees, revenue, emailOptOut, oid, retURL, 00N... custom field ids); HubSpot's contact
 * properties in the Forms API v3 `fields[]` (firstname, lastname, jobtitle, numemployees,
 * annualrevenue, mobilephone); Mautic's contact field aliases inside `mauticform[...]` (position,
 * `title` there being the salutation) and its `mauticform[return]`; Webflow's label-named fields
 * (Name, Email, Message); Netlify's `netlify-honeypot` example `bot-field` and its `form-name`;
 * Formspree's `_gotcha` and `_next`; Contact Form 7's `your-*` names and hidden `_wpcf7*` fields; Marketo's Forms 2.0 field names (the SOAP names its forms post: Title,
 * MobilePhone, Unsubscribed, LeadSource) and the hidden fields forms2.min.js adds to its post (munchkinId, formid,
 * formVid, _mktoReferrer, _mkt_trk: its tracking cookie, checksum, checksumFields; lpId, subId, lpurl,
 * followupLpId, cr, kw, q and returnURL/retURL from landing pages).
 */

import { readSpellingVariants } from './arabic-letters.ts';

export const PRESET_NAMES = ['salesforce', 'hubspot', 'mautic', 'marketo', 'webflow', 'netlify'] as const;
export type PresetName = (typeof PRESET_NAMES)[number];

/** What a posted name can mean besides a lead field. */
export const RETURN_URL = '(return-url)';
export const DROPPED = '(dropped)';

export interface FormPreset {
  /** field key -> a LeadPact field name, RETURN_URL or DROPPED */
  readonly aliases: Readonly<Record<string, string>>;
  /** names of hidden fields only bots fill */
  readonly honeypots: readonly string[];
}

/**
 * A posted name as compared: lower case, letters and digits only; Arabic as its writers type it, read alike
 * (as job titles and search read it): tashkeel and the tatweel dropped, أ إ آ ٱ read as ا, ة as ه and ى as ي,
 * so "البريد الإلكتروني" and "البريد الالكتروني" are one name.
 */
export function fieldKey(name: string): string {
  return readSpellingVariants(
    name
      .normalize('NFKC')
      .toLowerCase()
      .replace(ARABIC_MARKS, '')
      .replace(/[أإآٱ]/g, 'ا'),
  ).replace(/[^\p{L}\p{N}]/gu, '');
}
/** Arabic marks (tashkeel, superscript alef, Quranic marks) and the tatweel. */
const ARABIC_MARKS = /[\u0610-\u061A\u064B-\u065F\u0670\u06D6-\u06ED\u0640]/g;

/**
 * A field labelled as a question or an invitation, as hosted forms (Typeform) and label-named fields
 * (Webflow) name them, without the asking: "What's your first name?" and "Your First Name:" are "first
 * name", "Please enter your work email" is "work email", "What are you interested in?" is "interested in".
 * English only; other labels are returned as given.
 */
export function questionStem(label: string): string {
  return withoutTrailingMarks(label.trim())
    .replace(
      /^(?:what(?:['’]?s| is| are)|please (?:enter|give|provide|share|tell us)|enter|provide)\s+/iu,
      '',
    )
    .replace(/^(?:your|you)\s+/iu, '');
}

/** The label without the spaces and marks it ends with ("? *", ":"), in one pass from its end. */
function withoutTrailingMarks(label: string): string {
  // a regex anchored at the end (/[\s?:*.!]+$/) is tried from every character of a long run of them: quadratic,
  // seconds for a 64 KB title
  let end = label.length;
  while (end > 0 && TRAILING_MARK.test(label.charAt(end - 1))) end--;
  return label.slice(0, end);
}
const TRAILING_MARK = /^[\s?:*.!]$/u;

/** LeadPact's own names and the obvious variants of them, whatever the vendor. */
export const COMMON: FormPreset = {
  aliases: keyed({
    // each with the Arabic labels a form on an Arabic site has (fieldKey reads their spellings alike)
    email: [
      'email',
      'e-mail',
      'email address',
      'work email',
      'business email',
      'your-email',
      'mail',
      'البريد الإلكتروني',
      'بريد إلكتروني',
      'البريد',
      'الإيميل',
    ],
    firstName: ['firstName', 'first', 'given name', 'fname', 'forename', 'الاسم الأول'],
    lastName: ['lastName', 'last', 'surname', 'family name', 'lname', 'اسم العائلة', 'الكنية'],
    name: ['name', 'full name', 'your-name', 'contact name', 'الاسم', 'الاسم الكامل'],
    company: [
      'company',
      'company name',
      'organization',
      'organisation',
      'organization name',
      'الشركة',
      'اسم الشركة',
      'المؤسسة',
    ],
    jobTitle: [
      'jobTitle',
      'job title',
      'job',
      'role',
      'job role',
      'position',
      'المسمى الوظيفي',
      'الوظيفة',
      'المنصب',
    ],
    phone: [
      'phone',
      'phone number',
      'telephone',
      'tel',
      'your-phone',
      'الهاتف',
      'رقم الهاتف',
      'الجوال',
      'رقم الجوال',
      'الموبايل',
      'رقم الموبايل',
    ],
    country: ['country', 'country code', 'country_code', 'الدولة', 'البلد'],
    employees: ['employees', 'number of employees', 'employee count', 'company size', 'عدد الموظفين'],
    revenue: ['revenue', 'annual revenue'],
    industry: ['industry'],
    interest: ['interest', 'interested in'],
    department: ['department'],
    seniority: ['seniority'],
    message: [
      'message',
      'your-message',
      'comments',
      'comment',
      'enquiry',
      'inquiry',
      'how can we help',
      'الرسالة',
      'رسالتك',
      'الاستفسار',
    ],
    marketingConsent: ['marketingConsent', 'opt in', 'email opt in', 'subscribe'],
    optOut: ['optOut', 'opt out', 'email opt out', 'unsubscribe'],
    formId: ['formId'],
    pageUrl: ['pageUrl', 'page url', 'page uri', 'pageUri'],
    website: ['website', 'company website', 'web site'],
    locale: ['locale', 'language', 'lang'],
    utm_source: ['utm_source'],
    utm_medium: ['utm_medium'],
    utm_campaign: ['utm_campaign'],
    utm_term: ['utm_term'],
    utm_content: ['utm_content'],
    gclid: ['gclid'],
    fbclid: ['fbclid'],
    msclkid: ['msclkid'],
    [RETURN_URL]: ['_redirect', '_next', 'redirect', 'redirect_url', 'return_url'],
    // a form builder's own plumbing, never a person's answer: Contact Form 7's hidden fields
    [DROPPED]: [
      '_charset_',
      '_wpcf7',
      '_wpcf7_version',
      '_wpcf7_locale',
      '_wpcf7_unit_tag',
      '_wpcf7_container_post',
      '_wpcf7_posted_data_hash',
      '_wpcf7_recaptcha_response',
    ],
  }),
  honeypots: ['_gotcha'],
};

export const PRESETS: Readonly<Record<PresetName, FormPreset>> = {
  salesforce: {
    aliases: keyed({
      firstName: ['first_name'],
      lastName: ['last_name'],
      jobTitle: ['title'],
      message: ['description'],
      phone: ['mobile'],
      country: ['country_code'],
      website: ['URL'],
      employees: ['employees'],
      revenue: ['revenue', 'annual_revenue'],
      optOut: ['emailOptOut'],
      leadSource: ['lead_source'],
      salutation: ['salutation'],
      [RETURN_URL]: ['retURL'],
      // submit: the generated form's button (<input type="submit" name="submit">)
      [DROPPED]: [
        'oid',
        'debug',
        'debugEmail',
        'encoding',
        'captcha_settings',
        'g-recaptcha-response',
        'submit',
      ],
    }),
    honeypots: [],
  },
  hubspot: {
    aliases: keyed({
      firstName: ['firstname'],
      lastName: ['lastname'],
      jobTitle: ['jobtitle'],
      phone: ['mobilephone'],
      employees: ['numemployees'],
      revenue: ['annualrevenue'],
      website: ['website'],
      hutk: ['hutk'],
    }),
    honeypots: [],
  },
  mautic: {
    aliases: keyed({
      firstName: ['firstname'],
      lastName: ['lastname'],
      jobTitle: ['position'],
      salutation: ['title'],
      phone: ['mobile'],
      message: ['f_message'],
      [RETURN_URL]: ['return'],
      mauticFormId: ['formId'],
      mauticFormName: ['formName'],
      [DROPPED]: ['messenger', 'submit'],
    }),
    honeypots: [],
  },
  marketo: {
    aliases: keyed({
      jobTitle: ['Title'],
      phone: ['MobilePhone'],
      optOut: ['Unsubscribed'],
      leadSource: ['LeadSource'],
      salutation: ['Salutation'],
      pageUrl: ['_mktoReferrer'],
      marketoFormId: ['formid'],
      [RETURN_URL]: ['returnURL', 'retURL'],
      [DROPPED]: [
        'munchkinId',
        'formVid',
        '_mkt_trk',
        'checksum',
        'checksumFields',
        'lpId',
        'subId',
        'lpurl',
        'followupLpId',
        'cr',
        'kw',
        'q',
      ],
    }),
    honeypots: [],
  },
  webflow: {
    aliases: keyed({ message: ['Message'], company: ['Company'] }),
    honeypots: [],
  },
  netlify: {
    aliases: keyed({ formName: ['form-name'] }),
    honeypots: ['bot-field'],
  },
};

/**
 * Posted names that stand for a lead field only where the post gives that field no value under another name:
 * the vendors' mobile number (Salesforce's and Mautic's `mobile`, HubSpot's `mobilephone`, Marketo's
 * `MobilePhone`) is the lead's phone on a form that asks for no other, and beside a phone stays a custom field
 * under its own name (the two joined were no phone number at all, and the rep had none to dial).
 */
export const SECOND_CHOICES: ReadonlyMap<string, string> = new Map(
  Object.entries(keyed({ phone: ['mobile', 'mobilephone', 'MobilePhone', 'mobile phone'] })),
);

function keyed(table: Record<string, readonly string[]>): Record<string, string> {
  const aliases: Record<string, string> = {};
  for (const [target, names] of Object.entries(table)) {
    for (const name of names) aliases[fieldKey(name)] = target;
  }
  return aliases;
}

/**
 * The hidden fields only Marketo's forms library posts (`munchkinId`, `formVid`, `_mktoReferrer`, `_mkt_trk`):
 * a post with one is Marketo's, and its names (`formid` its own form number, `Title` the job title) read as such.
 */
const MARKETO_SIGNS = new Set(['munchkinid', 'formvid', 'mktoreferrer', 'mkttrk']);

/** The vendor a post's names give away (those only its own forms post), if any. */
export function vendorOfNames(names: Iterable<string>): PresetName | undefined {
  for (const name of names) if (MARKETO_SIGNS.has(fieldKey(name))) return 'marketo';
  return undefined;
}
