import { describe, expect, it } from 'vitest';
import type { Facts } from '../../lambdas/domain/conditions.ts';
import type { FieldValue } from '../../lambdas/domain/lead.ts';
import { inferSeniority, matchPersona } from '../../lambdas/domain/persona.ts';
import type { Seniority } from '../../lambdas/domain/sla-schema.ts';
import { makeSla } from '../support/sla.ts';

describe('inferSeniority', () => {
  it.each<[FieldValue | undefined, Seniority]>([
    ['Chief Executive Officer', 'c-level'],
    ['CEO & Founder', 'c-level'],
    ['Co-Founder', 'c-level'],
    ['cto', 'c-level'],
    ['CFO', 'c-level'],
    ['COO / CIO', 'c-level'],
    ['President', 'c-level'],
    ['Owner', 'c-level'],
    ['Vice President, Sales', 'vp'],
    ['Vice-President Marketing', 'vp'],
    ['Senior VP Marketing', 'vp'],
    ['SVP Finance', 'vp'],
    ['Director of IT', 'director'],
    ['Head of Growth', 'director'],
    ['Marketing Manager', 'manager'],
    ['Team Lead', 'manager'],
    ['Shift Supervisor', 'manager'],
    ['Software Engineer', 'individual'],
    ['Product Owner', 'individual'],
    ['Leadership Coach', 'individual'], // whole words: "lead" is not in "leadership"
    ['Managed Services Engineer', 'individual'],
    ['Directorate Clerk', 'individual'],
    ['Ingénieur', 'individual'],
    ['', 'individual'],
    [undefined, 'individual'],
    [42, 'individual'],
  ])('%j -> %s', (jobTitle, expected) => {
    expect(inferSeniority(jobTitle)).toBe(expected);
  });

  it.each<[string, FieldValue | undefined, Seniority]>([
    ['Software Engineer', 'VP', 'vp'],
    ['Software Engineer', ' c-level ', 'c-level'],
    ['CEO', 'individual', 'individual'],
    ['CEO', 'senior', 'c-level'], // not a seniority: the title decides
    ['CEO', 3, 'c-level'],
  ])('title %j with seniority field %j -> %s', (jobTitle, field, expected) => {
    expect(inferSeniority(jobTitle, field)).toBe(expected);
  });
});

describe('matchPersona', () => {
  const sla = makeSla({
    personas: [
      {
        id: 'finance-buyer',
        name: 'Fiona Finance',
        match: {
          jobTitleKeywords: ['finance', 'controller', 'CFO'],
          seniority: ['c-level', 'vp', 'director'],
          departments: ['finance'],
        },
      },
      {
        id: 'it-leader',
        name: 'Ian IT',
        match: {
          jobTitleKeywords: ['IT', 'infrastructure', 'CTO'],
          seniority: ['c-level', 'vp', 'director'],
          departments: ['IT', 'engineering'],
        },
      },
      {
        id: 'practitioner',
        name: 'Pat Practitioner',
        match: {
          jobTitleKeywords: ['analyst', 'engineer', 'accountant'],
          seniority: ['individual', 'manager'],
          departments: ['finance', 'engineering'],
        },
      },
      { id: 'arabic-manager', name: 'Mudir', match: { jobTitleKeywords: ['مدير'] } },
    ],
  });

  // scores: keyword 2, department 2, seniority +1
  it.each<[string, Facts, string | undefined, number]>([
    ['keyword + seniority', { jobTitle: 'CFO' }, 'finance-buyer', 3],
    ['keywords are whole words', { jobTitle: 'Financial Analyst', department: 'Finance' }, 'practitioner', 5],
    [
      'keyword + seniority beats a department hit',
      { jobTitle: 'Senior Engineer', department: 'IT' },
      'practitioner',
      3,
    ],
    ['keyword + director', { jobTitle: 'Head of IT' }, 'it-leader', 3],
    ['tie goes to the first declared', { jobTitle: 'CFO', department: 'IT' }, 'finance-buyer', 3],
    ['department only', { department: 'Engineering' }, 'practitioner', 3],
    ['seniority form field', { jobTitle: 'Controller', seniority: 'vp' }, 'finance-buyer', 3],
    ['multi-script whole words', { jobTitle: 'مدير المبيعات' }, 'arabic-manager', 2],
    ['no partial words in other scripts', { jobTitle: 'المديرون' }, undefined, 0],
    ['seniority alone is not a match', { jobTitle: 'Chief of Staff' }, undefined, 0],
    ['nothing', { jobTitle: 'Student', department: 'Sales' }, undefined, 0],
  ])('%s: %o -> %s', (_name, facts, expected, score) => {
    // Act
    const result = matchPersona(sla, facts);
    // Assert
    expect(result.persona?.id).toBe(expected);
    expect(result.reasons).toHaveLength(1);
    if (expected === undefined) {
      expect(result.reasons[0]!.rule).toBe('persona.none');
    } else {
      expect(result.reasons[0]!.rule).toBe(`persona.${expected}`);
      expect(result.reasons[0]!.detail).toContain(`match score ${score}`);
    }
  });

  it("explains the winning points with the SLA's own keywords", () => {
    // Act
    const result = matchPersona(sla, { jobTitle: 'Financial Analyst', department: 'Finance' });
    // Assert
    expect(result.seniority).toBe('individual');
    expect(result.reasons[0]).toEqual({
      rule: 'persona.practitioner',
      detail:
        'Pat Practitioner: job title has "analyst" (+2), department "finance" (+2), seniority individual (+1), match score 5',
    });
  });

  it('finds no persona when none is declared', () => {
    expect(matchPersona(makeSla(), { jobTitle: 'CFO' })).toEqual({
      persona: undefined,
      seniority: 'c-level',
      reasons: [{ rule: 'persona.none', detail: 'no persona matches job title or department (c-level)' }],
    });
  });
});
