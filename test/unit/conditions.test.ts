import { describe, expect, it } from 'vitest';
import {
  compileCondition,
  conditionHolds,
  describeCondition,
  type FactValue,
  leadFacts,
  type MatchOps,
  matchesCondition,
  regionOf,
} from '../../lambdas/domain/conditions.ts';
import { makeSla } from '../support/sla.ts';

describe('matchesCondition', () => {
  const cases: [string, MatchOps, FactValue | undefined, boolean][] = [
    // equals: trimmed, case-insensitive, numbers and booleans as form strings
    ['equals: case and spaces ignored', { equals: 'Software' }, '  software ', true],
    ['equals: different text', { equals: 'Software' }, 'Softwares', false],
    ['equals: number vs numeric string', { equals: 250 }, '250', true],
    ['equals: number vs number', { equals: 250 }, 250, true],
    ['equals: number vs other number', { equals: 250 }, '251', false],
    ['equals: numeric string vs number', { equals: '250' }, 250, true],
    ['equals: number vs words', { equals: 250 }, 'many', false],
    ['equals: true vs "yes"', { equals: true }, 'yes', true],
    ['equals: true vs checkbox "on"', { equals: true }, 'on', true],
    ['equals: true vs false', { equals: true }, false, false],
    ['equals: false vs "No"', { equals: false }, 'No', true],
    ['equals: missing value', { equals: 'x' }, undefined, false],
    // in / notIn
    ['in: any listed', { in: ['DE', 'AT'] }, 'de', true],
    ['in: not listed', { in: ['DE', 'AT'] }, 'CH', false],
    ['in: numbers from strings', { in: [1, 2] }, '2', true],
    ['notIn: not listed', { notIn: ['gmail.com'] }, 'acme.com', true],
    ['notIn: listed, other case', { notIn: ['gmail.com'] }, 'GMAIL.com', false],
    ['notIn: missing is not evidence', { notIn: ['gmail.com'] }, undefined, false],
    // contains: substring, case-insensitive, any of a list
    ['contains: substring', { contains: 'soft' }, 'Microsoft', true],
    ['contains: any of a list', { contains: ['student', 'intern'] }, 'Marketing INTERN', true],
    ['contains: none of a list', { contains: ['student', 'intern'] }, 'CEO', false],
    ['contains: in a number', { contains: '25' }, 250, true],
    // gte / lte: numbers and numeric strings only
    ['gte: numeric string', { gte: 50 }, '250', true],
    ['gte: equal bound holds', { gte: 50 }, 50, true],
    ['gte: below', { gte: 50 }, '49.9', false],
    ['gte+lte: above the range', { gte: 50, lte: 200 }, 250, false],
    ['gte+lte: inside, spaced string', { gte: 50, lte: 200 }, ' 120 ', true],
    ['lte: words are not numbers', { lte: 10 }, 'lots', false],
    ['lte: exponent is not a form number', { lte: 100 }, '1e1', false],
    ['gte: boolean is not a number', { gte: 0 }, true, false],
    // exists: blank strings are what empty inputs post
    ['exists: text', { exists: true }, 'x', true],
    ['exists: zero is a value', { exists: true }, 0, true],
    ['exists: false is a value', { exists: true }, false, true],
    ['exists: empty string', { exists: true }, '', false],
    ['exists: blank string', { exists: true }, '   ', false],
    ['exists: missing', { exists: true }, undefined, false],
    ['exists false: missing', { exists: false }, undefined, true],
    ['exists false: blank', { exists: false }, ' ', true],
    ['exists false: present', { exists: false }, 'x', false],
    ['exists false + notIn: missing fails notIn', { exists: false, notIn: ['a'] }, undefined, false],
    // all given operators must hold
    ['in and notIn together', { in: ['software', 'saas'], notIn: ['SaaS'] }, 'saas', false],
    ['contains and gte together', { contains: '0', gte: 100 }, '50', false],
    ['contains and gte both hold', { contains: '0', gte: 100 }, '500', true],
    // several values (overlapping regions): one must satisfy the operators, none may be excluded
    ['several: in, one listed', { in: ['europe'] }, ['dach', 'europe'], true],
    ['several: equals one', { equals: 'DACH' }, ['europe', 'dach'], true],
    ['several: in, none listed', { in: ['americas'] }, ['dach', 'europe'], false],
    ['several: notIn, one excluded', { notIn: ['dach'] }, ['europe', 'dach'], false],
    ['several: notIn, none excluded', { notIn: ['americas'] }, ['europe', 'dach'], true],
    ['several: in europe but not dach', { in: ['europe'], notIn: ['dach'] }, ['europe', 'dach'], false],
    ['several: contains', { contains: 'ach' }, ['europe', 'dach'], true],
    ['several: one value must meet all operators', { gte: 10, lte: 20 }, [5, 25], false],
    ['several: one value meets all operators', { gte: 10, lte: 20 }, [5, 15], true],
    ['several: none is missing', { exists: true }, [], false],
    ['several: none, exists false', { exists: false }, [], true],
    ['several: blanks are missing', { exists: true }, ['', ' '], false],
    ['several: one present', { exists: true }, ['', 'x'], true],
  ];

  it.each(cases)('%s', (_name, ops, value, expected) => {
    // Act
    const result = matchesCondition(ops, value);
    // Assert
    expect(result).toBe(expected);
  });

  it('compiles each operators object once', () => {
    // Arrange
    const ops: MatchOps = { in: ['a', 'b'] };
    // Act / Assert
    expect(compileCondition(ops)).toBe(compileCondition(ops));
  });
});

describe('conditionHolds and describeCondition', () => {
  it.each([
    [
      { field: 'industry', in: ['software', 'saas'] },
      { industry: 'SaaS' },
      true,
      'industry in [software, saas]',
    ],
    [{ field: 'employees', gte: 200, lte: 999 }, { employees: '500' }, true, 'employees >= 200 and <= 999'],
    [{ field: 'phone', exists: false }, { phone: '' }, true, 'phone is missing'],
    [{ field: 'country', equals: 'DE' }, {}, false, 'country = DE'],
  ])('%o on %o -> %s', (condition, facts, holds, text) => {
    expect(conditionHolds(condition, facts)).toBe(holds);
    expect(describeCondition(condition)).toBe(text);
  });
});

describe('leadFacts', () => {
  const sla = makeSla({
    regions: { europe: ['DE', 'FR', 'AT'], dach: ['DE', 'AT', 'CH'], americas: ['US', 'CA'] },
  });

  it.each<[string | undefined, FactValue | undefined, string | undefined]>([
    ['CH', 'dach', 'dach'],
    ['FR', 'europe', 'europe'],
    ['AT', ['europe', 'dach'], 'europe'], // overlapping regions: all of them, in declaration order
    [' de ', ['europe', 'dach'], 'europe'],
    ['US', 'americas', 'americas'],
    ['JP', undefined, undefined],
    [undefined, undefined, undefined],
  ])('country %j -> region %j (first: %j)', (country, region, first) => {
    // Arrange
    const lead = { email: 'jane@acme.com', fields: { country }, events: [] };
    // Act
    const facts = leadFacts(sla, lead);
    // Assert
    expect(facts['region']).toEqual(region);
    expect(regionOf(sla, country)).toBe(first);
  });

  it('lets a region condition hold for a country in overlapping regions', () => {
    // Arrange
    const facts = leadFacts(sla, { email: 'jo@acme.de', fields: { country: 'DE' } });
    // Act / Assert
    expect(conditionHolds({ field: 'region', in: ['dach'] }, facts)).toBe(true);
    expect(conditionHolds({ field: 'region', equals: 'europe' }, facts)).toBe(true);
    expect(conditionHolds({ field: 'region', notIn: ['dach'] }, facts)).toBe(false);
  });

  it('keeps form fields and derives email, emailDomain and region, which a form cannot override', () => {
    // Arrange
    const lead = {
      email: ' Jane@Sub.Acme.COM ',
      fields: {
        jobTitle: 'CFO',
        emailDomain: 'spoof.com',
        region: 'americas',
        country: 'FR',
        employees: '250',
      },
      events: [],
    };
    // Act
    const facts = leadFacts(sla, lead);
    // Assert
    expect(facts).toEqual({
      jobTitle: 'CFO',
      country: 'FR',
      employees: '250',
      email: 'jane@sub.acme.com',
      emailDomain: 'sub.acme.com',
      region: 'europe',
    });
  });
});
