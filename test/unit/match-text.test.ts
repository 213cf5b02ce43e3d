import { describe, expect, it } from 'vitest';
import { judgeLead } from '../../lambdas/domain/judge.ts';
import type { LeadInput } from '../../lambdas/domain/lead.ts';
import { arabicStem, matchText } from '../../lambdas/domain/match-text.ts';
import { inferSeniority, matchPersona } from '../../lambdas/domain/persona.ts';
import type { Seniority } from '../../lambdas/domain/sla-schema.ts';
import { loadDefaultSla } from '../support/sla.ts';

describe('matchText', () => {
  it.each<[string, string, string]>([
    ['the article goes', 'المصنع', 'مصنع'],
    ['article after wa', 'والمصنع', 'مصنع'],
    ['article after bi', 'بالمصنع', 'مصنع'],
    ['li + article', 'للمبيعات', 'مبيعات'],
    ['feminine ending goes', 'مديرة', 'مدير'],
    ['feminine and article', 'المهندسة', 'مهندس'],
    ['hamza alef', 'الإنتاج', 'انتاج'],
    ['madda alef', 'آلات', 'الات'],
    ['alef maqsura', 'مستشفى', 'مستشفي'],
    ['hamza on waw', 'مسؤول', 'مسوول'],
    ['hamza on yaa', 'رئيس', 'رييس'],
    ['tashkeel removed', 'مُدِيرُ', 'مدير'],
    ['tatweel removed', 'مـديـر', 'مدير'],
    ['presentation forms folded (NFKC)', 'ﻣﺪﻳﺮ', 'مدير'],
    ['a short word keeps its article (its ة read as ه)', 'الة', 'اله'],
    ['a short word keeps its feminine ending, read as ه', 'دقة', 'دقه'],
    ['the feminine ending written as ه goes (ADR 0054)', 'مديره', 'مدير'],
    ['ه for ة, with the article', 'المهندسه', 'مهندس'],
    ['any final ه goes as the feminine ending would (ADR 0054)', 'توجيه', 'توجي'],
    ['a short word keeps its final ه', 'وجه', 'وجه'],
    ['a whole title', 'مديرة المصنع', 'مدير مصنع'],
    ['Latin is only lower-cased', 'Alpha Plant Manager', 'alpha plant manager'],
    ['mixed scripts', 'Plant مدير المصنع', 'plant مدير مصنع'],
    ['German ä ü written out', 'Geschäftsführer', 'geschaeftsfuehrer'],
    ['German written out as typed', 'Geschaeftsfuehrer', 'geschaeftsfuehrer'],
    ['German ö written out', 'Fördertechnik', 'foerdertechnik'],
    ['German ß as ss', 'Straßenbau', 'strassenbau'],
    ['German capital ẞ as ss', 'STRAẞENBAU', 'strassenbau'],
    ['German umlauts typed as two code points (NFD)', 'Gescha\u0308ftsfu\u0308hrer', 'geschaeftsfuehrer'],
    ['ae after a vowel is kept', 'Israel', 'israel'],
    ['ae as typed is kept', 'Michael', 'michael'],
    ['ue after a vowel is kept', 'Bauer', 'bauer'],
    ['ue after q is kept', 'Queen', 'queen'],
    ['Latin accents are kept', 'Gérant', 'gérant'],
    // a German agent noun's feminine form reads as its masculine (a Geschäftsführerin was no persona, her
    // male colleague an SQL)
    ['German -erin as -er', 'Geschäftsführerin', 'geschaeftsfuehrer'],
    ['German -erin in a title', 'Leiterin Einkauf', 'leiter einkauf'],
    ['German -orin as -or', 'Direktorin', 'direktor'],
    ['German -eurin as -eur', 'Ingenieurin', 'ingenieur'],
    ['German plural -innen', 'Geschäftsführerinnen', 'geschaeftsfuehrer'],
    ['a short word keeps its -in', 'Erin', 'erin'],
    ['-in after no -er is kept', 'Berlin Admin', 'berlin admin'],
    ['English -ine is kept', 'Engineering Marine', 'engineering marine'],
  ])('%s: %s -> %s', (_what, input, expected) => {
    expect(matchText(input)).toBe(expected);
  });

  it.each<[string, string]>([
    ['الصيانة', 'صيان'],
    ['وال', 'وال'],
    ['الى', 'الى'],
  ])('arabicStem(%s) = %s', (word, stem) => {
    expect(arabicStem(word)).toBe(stem);
  });
});

describe('inferSeniority in Arabic', () => {
  it.each<[string, Seniority]>([
    ['مدير المصنع', 'manager'],
    ['مديرة المصنع', 'manager'],
    ['مديره المصنع', 'manager'],
    ['رئيسه قسم الهندسه', 'director'],
    ['المديره التنفيذيه', 'c-level'],
    ['نائبه الرئيس', 'vp'],
    ['مسؤول المشتريات', 'manager'],
    ['مشرف الوردية', 'manager'],
    ['رئيس فريق الصيانة', 'manager'],
    ['نائب مدير المصنع', 'manager'],
    ['مدير إدارة العمليات', 'director'],
    ['رئيس قسم الصيانة', 'director'],
    ['رئيسة قسم الهندسة', 'director'],
    ['نائب الرئيس للمبيعات', 'vp'],
    ['نائبة الرئيس', 'vp'],
    ['الرئيس التنفيذي', 'c-level'],
    ['المدير العام', 'c-level'],
    ['المديرة التنفيذية', 'c-level'],
    ['مؤسس الشركة', 'c-level'],
    ['رئيس مجلس الإدارة', 'c-level'],
    ['مهندس الصيانة', 'individual'],
    ['فني', 'individual'],
    ['المهندس الرئيسي', 'individual'], // "رئيسي" (main) is not "رئيس" (president)
  ])('%s -> %s', (jobTitle, expected) => {
    expect(inferSeniority(jobTitle)).toBe(expected);
  });
});

describe('personas of the worked example in Arabic', () => {
  const sla = loadDefaultSla();

  it.each<[string, string | undefined]>([
    ['مدير المصنع', 'plant-manager'],
    ['مديرة المصنع', 'plant-manager'],
    ['مديره المصنع', 'plant-manager'],
    ['مدير مصنع', 'plant-manager'],
    ['مدير الإنتاج', 'plant-manager'],
    ['مهندس الصيانة', 'maintenance-engineer'],
    ['مهندسة الصيانة', 'maintenance-engineer'],
    ['مهندسه الصيانه', 'maintenance-engineer'],
    ['الفني', 'maintenance-engineer'],
    ['مسؤول المشتريات', 'procurement-lead'],
    ['محاسب', undefined],
  ])('%s -> %s', (jobTitle, persona) => {
    expect(matchPersona(sla, { jobTitle }).persona?.id).toBe(persona);
  });

  it.each<[string, string]>([
    ['مدير المصنع', 'Plant Manager'],
    ['مديرة المصنع', 'Plant Manager'],
    ['مديره المصنع', 'Plant Manager'],
    ['مهندس الصيانة', 'Maintenance Engineer'],
    ['مهندسه الصيانه', 'Maintenance Engineer'],
    ['مسؤول المشتريات', 'Purchasing Manager'],
  ])('%s scores as its English twin %s', (arabic, english) => {
    // Arrange: the same lead twice, only the job title's language differs
    const lead = (jobTitle: string): LeadInput => ({
      email: 'x@brauhaus-werke.example',
      fields: { jobTitle, country: 'DE', employees: 850, industry: 'food-and-beverage', revenue: 140000000 },
      events: [],
    });
    const at = new Date('2026-12-01T10:00:00Z');

    // Act
    const ar = judgeLead(sla, lead(arabic), at);
    const en = judgeLead(sla, lead(english), at);

    // Assert
    expect(ar.persona).toBe(en.persona);
    expect(ar.seniority).toBe(en.seniority);
    expect(ar.totalScore).toBe(en.totalScore);
    expect(ar.persona).not.toBeNull();
  });
});
