/**
 * The SLA's names in the reader's language (ADR 0024): `names` beside `name`, `senderNames`,
 * `lifecycle.namesByLocale`, `forms[].consentTexts`; validated against `locales.supported`; an SLA
 * without them reads as before; the buttons of reps' emails and the link pages use them.
 */
import { describe, expect, it } from 'vitest';
import {
  contactActionChoices,
  dealActionChoices,
  describeAction,
} from '../../lambdas/domain/action-links.ts';
import { consentFor, defaultConsentText, formConsentText } from '../../lambdas/domain/consent.ts';
import { parseSla } from '../../lambdas/domain/sla-file.ts';
import {
  fieldValueName,
  localName,
  nameOf,
  senderNameIn,
  slaNameIn,
  stageNameIn,
} from '../../lambdas/domain/sla-names.ts';
import { loadDefaultSla } from '../support/sla.ts';

const LOCALES = 'locales: { default: en, supported: [en, ar, ar-EG] }\n';

function parse(yaml: string) {
  return parseSla(
    `version: t-1\n${yaml}\nrouting:\n  reps:\n    - { id: ann, name: Ann, email: ann@example.com, names: { ar: آن } }\n`,
  );
}

describe('localName', () => {
  const persona = {
    name: 'Petra the Plant Manager',
    names: { ar: 'بترا، مديرة المصنع', 'ar-EG': 'بترا (مصر)' },
  };

  it.each([
    ['en', 'Petra the Plant Manager'],
    ['ar', 'بترا، مديرة المصنع'],
    ['ar-EG', 'بترا (مصر)'],
    ['ar-SA', 'بترا، مديرة المصنع'],
    ['AR-eg', 'بترا (مصر)'],
    ['en-GB', 'Petra the Plant Manager'],
  ])('%s reads %s', (locale, expected) => {
    expect(localName(persona, locale)).toBe(expected);
  });

  it('falls back to name when a thing has no names at all (an old SLA file)', () => {
    expect(localName({ name: 'Connected' }, 'ar')).toBe('Connected');
  });
});

describe('the worked example in Arabic', () => {
  const sla = loadDefaultSla();

  it('names personas, lead types, statuses, deal stages, outcomes and the SLA in Arabic, and keeps English for English', () => {
    expect(nameOf(sla.personas, 'plant-manager', 'ar')).toBe('بترا، مديرة المصنع');
    expect(nameOf(sla.leadTypes, 'equipment-sales', 'ar')).toBe('مبيعات المعدات');
    expect(nameOf(sla.leadStatuses, 'connected', 'ar')).toBe('تم التواصل');
    expect(nameOf(sla.deals.stages, 'quote-presented', 'ar')).toBe('قُدّم عرض السعر');
    expect(nameOf(sla.contact.outcomes, 'not-now', 'ar')).toBe('ليس الآن');
    expect(slaNameIn(sla, 'ar')).toBe('Kessler Industrial - اتفاقية التسويق والمبيعات');
    expect(nameOf(sla.personas, 'plant-manager', 'en')).toBe('Petra the Plant Manager');
    expect(slaNameIn(sla, 'en')).toBe('Kessler Industrial - marketing & sales SLA');
  });

  it('labels the buttons of a rep email in the rep language', () => {
    expect(contactActionChoices(sla, 'ar').map((choice) => choice.label)).toContain('تم التواصل');
    expect(contactActionChoices(sla, 'en').map((choice) => choice.label)).toContain('Left voicemail');
    expect(dealActionChoices(sla, 'discovery', 'ar').map((choice) => choice.label)).toContain(
      'نقل إلى \u2068أُغلقت رابحة\u2069',
    );
    expect(dealActionChoices(sla, 'discovery', 'en').map((choice) => choice.label)).toContain(
      'Move to Closed won',
    );
  });

  it('describes a link on its page in the reader language', () => {
    expect(describeAction(sla, { action: 'outcome', value: 'connected' }, 'ar')).toBe(
      'تسجيل النتيجة: \u2068تم التواصل\u2069',
    );
    expect(describeAction(sla, { action: 'deal', value: 'on-hold' }, 'en')).toBe('Move the deal to: On hold');
  });

  it('stores the consent text a lead read: Arabic for an Arabic lead, English otherwise', () => {
    const at = new Date('2026-11-30T08:00:00Z');
    expect(consentFor(sla, { formId: 'demo-request', locale: 'ar' }, at, 'r1').text).toBe(
      'أرسلوا لي محتوى مفيدًا (يمكنني إلغاء الاشتراك في أي وقت)',
    );
    expect(consentFor(sla, { formId: 'demo-request' }, at, 'r2').text).toBe(
      'Send me useful content (you can unsubscribe any time)',
    );
    expect(formConsentText(sla, undefined, 'ar')).toBe(defaultConsentText(sla, 'ar'));
    expect(defaultConsentText(sla, 'ar')).toContain('Kessler Industrial');
  });
});

describe('lifecycle stage names', () => {
  it("use LeadPact's Arabic names while the SLA keeps LeadPact's English ones", () => {
    const parsed = parse(LOCALES);
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
    expect(stageNameIn(parsed.sla, 'sql', 'ar')).toBe('عميل مؤهل للمبيعات');
    expect(stageNameIn(parsed.sla, 'sql', 'en')).toBe('Sales qualified lead');
  });

  it("use the SLA's own name, or its namesByLocale, when it gives them", () => {
    const parsed = parse(
      `${LOCALES}lifecycle:\n  names: { sql: SQL, mql: MQL }\n  namesByLocale: { ar: { sql: عميل جاهز للبيع } }\n`,
    );
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
    expect(stageNameIn(parsed.sla, 'sql', 'ar')).toBe('عميل جاهز للبيع');
    expect(stageNameIn(parsed.sla, 'sql', 'ar-EG')).toBe('عميل جاهز للبيع');
    // renamed in English, not in Arabic: the author's word, not LeadPact's translation of another word
    expect(stageNameIn(parsed.sla, 'mql', 'ar')).toBe('MQL');
    expect(stageNameIn(parsed.sla, 'lead', 'ar')).toBe('عميل محتمل');
  });
});

describe('validation of names', () => {
  it('accepts names, senderNames, namesByLocale and consentTexts in supported languages', () => {
    const parsed = parse(
      `${LOCALES}names: { ar: الاتفاقية }\nnurture: { senderName: Kessler, senderNames: { ar: كيسلر } }\n` +
        'forms: [{ id: demo, name: Demo, names: { ar: عرض }, consentText: Yes, consentTexts: { ar: نعم } }]\n',
    );
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
    expect(senderNameIn(parsed.sla, 'ar')).toBe('كيسلر');
    expect(senderNameIn(parsed.sla, 'en')).toBe('Kessler');
    expect(nameOf(parsed.sla.routing.reps, 'ann', 'ar')).toBe('آن');
  });

  it('names a language the SLA does not support, with its path', () => {
    const parsed = parse(
      `${LOCALES}personas:\n  - { id: p, name: P, names: { de: Pe }, match: { jobTitleKeywords: [x] } }\n`,
    );
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(parsed.errors.map((error) => error.message)).toContainEqual(
      expect.stringContaining('unknown locale (locales.supported) "de"'),
    );
  });

  it('refuses an empty name and a tag that is not a language', () => {
    const parsed = parse(`${LOCALES}names: { ar: "", "not a tag": x }\n`);
    expect(parsed.ok).toBe(false);
  });
});

describe('journey stage names per language', () => {
  it('names a language the SLA does not support and a stage it does not have', () => {
    // Act
    const parsed = parse(
      `${LOCALES}journey:\n  stages: [research, evaluation]\n  namesByLocale: { ar: { evaluation: التقييم, buying: الشراء }, de: { research: Recherche } }\n`,
    );

    // Assert
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) {
      const messages = parsed.errors.map((error) => error.message);
      expect(messages).toContainEqual(expect.stringContaining('unknown locale (locales.supported) "de"'));
      expect(messages).toContainEqual(expect.stringContaining('"buying"'));
      expect(messages.join('\n')).not.toContain('"evaluation"');
    }
  });
});

describe("a cadence step's notes", () => {
  it('names a language the SLA does not support, with its path', () => {
    // Act
    const parsed = parse(
      `${LOCALES}contact:\n  cadences:\n    - { id: c, name: C, steps: [{ channel: phone, delay: 0bh, note: Call, notes: { de: Anrufen } }] }\n` +
        '  defaultCadence: c\n',
    );

    // Assert
    expect(parsed.ok).toBe(false);
    if (!parsed.ok)
      expect(parsed.errors).toContainEqual(
        expect.objectContaining({
          message: expect.stringContaining('unknown locale (locales.supported) "de"'),
        }),
      );
  });
});

describe('names of form values (fieldValues)', () => {
  it('reads a value by its name in the reader language, else its name, matched as conditions match', () => {
    // Arrange
    const parsed = parse(
      `${LOCALES}fieldValues:\n  industry:\n    food-and-beverage: { name: food and beverage, names: { ar: الأغذية والمشروبات } }\n` +
        '    chemicals: { names: { ar: الكيماويات } }\n',
    );
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));

    // Act
    const read = (value: string, locale: string) => fieldValueName(parsed.sla, 'industry', value, locale);

    // Assert
    expect(read('food-and-beverage', 'ar-SA')).toBe('الأغذية والمشروبات');
    expect(read(' Food-and-Beverage', 'ar')).toBe('الأغذية والمشروبات');
    expect(read('food-and-beverage', 'en')).toBe('food and beverage');
    expect(read('chemicals', 'en')).toBeUndefined();
    expect(read('mining', 'ar')).toBeUndefined();
    expect(fieldValueName(parsed.sla, 'interest', 'pumps', 'ar')).toBeUndefined();
  });

  it("names no value the SLA does not name, whatever a lead posts (an object's own names: constructor, toString)", () => {
    // Arrange: a lead's industry is free text; the SLA's map is a plain object
    const parsed = parse(
      `${LOCALES}fieldValues:\n  industry:\n    chemicals: { names: { ar: الكيماويات } }\n`,
    );
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));

    // Act
    const names = ['constructor', 'toString', 'hasOwnProperty', '__proto__', 'valueOf'].map((value) =>
      fieldValueName(parsed.sla, 'industry', value, 'en'),
    );

    // Assert: before, 'constructor' was named "Object" (Object.prototype.constructor's name)
    expect(names).toEqual([undefined, undefined, undefined, undefined, undefined]);
  });

  it('names a language the SLA does not support, with its path, and refuses a value with no name', () => {
    // Act
    const stray = parse(`${LOCALES}fieldValues: { industry: { mining: { names: { de: Bergbau } } } }\n`);
    const empty = parse(`${LOCALES}fieldValues: { industry: { mining: {} } }\n`);

    // Assert
    expect(stray.ok).toBe(false);
    if (!stray.ok)
      expect(stray.errors).toContainEqual(
        expect.objectContaining({
          message: expect.stringContaining('unknown locale (locales.supported) "de"'),
        }),
      );
    expect(empty.ok).toBe(false);
  });
});
