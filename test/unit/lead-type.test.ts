import { describe, expect, it } from 'vitest';
import { leadFacts } from '../../lambdas/domain/conditions.ts';
import type { FieldValue } from '../../lambdas/domain/lead.ts';
import { classifyLeadType, domainMatches, typePath } from '../../lambdas/domain/lead-type.ts';
import { makeSla } from '../support/sla.ts';

const sla = makeSla({
  leadTypes: [
    {
      id: 'existing-customer',
      name: 'Existing customer',
      match: { emailDomains: ['acme.com', '@globex.io'] },
    },
    {
      id: 'partner',
      name: 'Partner',
      match: {
        all: [{ field: 'partnerId', exists: true }],
        any: [
          { field: 'interest', equals: 'resale' },
          { field: 'interest', equals: 'referral' },
        ],
      },
    },
    {
      id: 'service',
      name: 'Service',
      match: { any: [{ field: 'interest', in: ['maintenance', 'repair'] }] },
    },
    { id: 'cfo-deal', name: 'CFO deal', match: { all: [{ field: 'persona', equals: 'cfo' }] } },
    { id: 'new-business', name: 'New business' },
  ],
});

const factsOf = (email: string, fields: Record<string, FieldValue> = {}) => leadFacts(sla, { email, fields });

describe('classifyLeadType', () => {
  it.each([
    ['email domain listed', 'jane@acme.com', {}, 'existing-customer'],
    ['subdomain of a listed domain', 'jane@eu.acme.com', {}, 'existing-customer'],
    ['listed with a leading @', 'jo@globex.io', {}, 'existing-customer'],
    ['domain only ends with the text', 'jane@notacme.com', {}, 'new-business'],
    ['listed domain inside another', 'jane@acme.com.evil.io', {}, 'new-business'],
    ['all holds and one of any', 'p@reseller.de', { partnerId: 'P1', interest: 'Resale' }, 'partner'],
    ['all holds, none of any', 'p@reseller.de', { partnerId: 'P1', interest: 'other' }, 'new-business'],
    ['any holds, all does not', 'p@reseller.de', { interest: 'referral' }, 'new-business'],
    ['any with in', 'x@plant.de', { interest: 'Repair' }, 'service'],
    ['first match wins', 'jane@acme.com', { interest: 'repair' }, 'existing-customer'],
    ['derived persona fact', 'x@plant.de', { persona: 'cfo' }, 'cfo-deal'],
    ['nothing specific: catch-all', 'x@plant.de', {}, 'new-business'],
  ])('%s: %s %o -> %s', (_name, email, fields, expected) => {
    // Arrange
    const facts = factsOf(email, fields);
    // Act
    const result = classifyLeadType(sla, facts);
    // Assert
    expect(result.id).toBe(expected);
    expect(result.leadType?.id).toBe(expected);
    expect(result.reasons).toHaveLength(1);
    expect(result.reasons[0]!.rule).toBe(`leadType.${expected}`);
  });

  it('says why a type matched', () => {
    // Act
    const result = classifyLeadType(sla, factsOf('p@reseller.de', { partnerId: 'P1', interest: 'referral' }));
    // Assert
    expect(result.reasons).toEqual([
      { rule: 'leadType.partner', detail: 'Partner: partnerId exists; interest = referral' },
    ]);
  });

  it('uses "default" when no lead type is declared', () => {
    // Act
    const result = classifyLeadType(makeSla(), factsOf('jane@acme.com'));
    // Assert
    expect(result).toEqual({
      leadType: undefined,
      id: 'default',
      reasons: [{ rule: 'leadType.default', detail: 'no lead types declared' }],
    });
  });

  it('uses "default" when types are declared but none matches', () => {
    // Arrange
    const noCatchAll = makeSla({
      leadTypes: [{ id: 'vip', name: 'VIP', match: { emailDomains: ['vip.com'] } }],
    });
    // Act
    const result = classifyLeadType(noCatchAll, factsOf('jane@acme.com'));
    // Assert
    expect(result.leadType).toBeUndefined();
    expect(result.id).toBe('default');
  });
});

describe('domainMatches', () => {
  it.each([
    ['acme.com', 'acme.com', true],
    ['eu.acme.com', 'ACME.com', true],
    ['a.b.acme.com', 'acme.com', true],
    ['acme.com', '@acme.com', true],
    ['notacme.com', 'acme.com', false],
    ['acme.co', 'acme.com', false],
    ['', 'acme.com', false],
    ['acme.com', '', false],
  ])('%j under %j: %s', (domain, listed, expected) => {
    expect(domainMatches(domain, listed)).toBe(expected);
  });
});

describe('typePath', () => {
  const sla = makeSla({
    routing: {
      reps: [{ id: 'ann', name: 'Ann', email: 'ann@example.com' }],
      accounts: [{ domain: 'big.example', owner: 'ann' }],
    },
    leadTypes: [
      {
        id: 'customer',
        name: 'Customer',
        match: { emailDomains: ['big.example'] },
        overrides: { skipNurture: true, assignTo: 'accountOwner' },
      },
      { id: 'prospect', name: 'Prospect' },
    ],
  });

  it.each([
    ['customer', { skipNurture: true, assignTo: 'accountOwner' }],
    ['prospect', { skipNurture: false, assignTo: 'queue' }],
    ['a type the SLA no longer has', { skipNurture: false, assignTo: 'queue' }],
  ])('%s', (typeId, expected) => {
    expect(typePath(sla, typeId)).toEqual(expected);
  });
});
