/**
 * The emails of a lead taken from an owner who is out of office when a contact step falls due (ADR 0043,
 * HandoverCause `ownerAway`): each reader is told the absence and the step in their language (en, ar).
 */
import { describe, expect, it } from 'vitest';
import {
  type EmailLead,
  managerTakeoverEmail,
  reassignedAwayEmail,
  reassignedToYouEmail,
} from '../../lambdas/domain/email-templates.ts';
import type { HandoverCause } from '../../lambdas/domain/handover-cause.ts';
import type { Sla } from '../../lambdas/domain/sla-schema.ts';
import { loadDefaultSla } from '../support/sla.ts';

const base = loadDefaultSla();
/** sla/default.yaml, with Arabic supported */
const sla: Sla = { ...base, locales: { ...base.locales, supported: ['en', 'ar'] } };
const rep = (id: string, locale?: string) => {
  const found = sla.routing.reps.find((candidate) => candidate.id === id)!;
  return locale ? { ...found, locale } : found;
};
const katrin = sla.routing.managers.find((manager) => manager.id === 'katrin')!;
const NOW = new Date('2026-12-21T09:00:00.000Z');
const lead: EmailLead = {
  leadId: 'lead_0123456789abcdefgh',
  email: 'a.nilsson@nordkraft.se',
  fields: { firstName: 'Astrid', lastName: 'Nilsson', company: 'Nordkraft AB' },
  leadType: 'existing-customer',
};
const away = (step: number, noRep?: boolean): HandoverCause => ({
  kind: 'ownerAway',
  ownerId: 'mats',
  from: '2026-12-21',
  to: '2027-01-03',
  step,
  ...(noRep ? { noRep } : {}),
});

describe('the emails of a reassignment because the owner is away', () => {
  it.each([
    {
      locale: 'en',
      cause: away(3),
      expected:
        'Mats Lindqvist is out of office from Mon 21 Dec 2026 to Sun 3 Jan 2027, when attempt 3 falls due',
    },
    {
      locale: 'en',
      cause: away(1),
      expected:
        'Mats Lindqvist is out of office from Mon 21 Dec 2026 to Sun 3 Jan 2027, when the first touch falls due',
    },
    {
      locale: 'ar',
      cause: away(3),
      expected: 'في إجازة من الاثنين، 21 ديسمبر 2026 إلى الأحد، 3 يناير 2027، حين يحين موعد المحاولة 3',
    },
  ])(
    '$locale, step $cause.step: the new owner and Mats are told the absence',
    ({ locale, cause, expected }) => {
      // Act
      const toYou = reassignedToYouEmail(sla, lead, {
        rep: rep('lena', locale),
        previousOwner: rep('mats'),
        reason: cause,
        dueAt: new Date('2026-12-21T11:00:00.000Z'),
        actionLinks: [],
        now: NOW,
      });
      const awayMail = reassignedAwayEmail(sla, lead, {
        rep: rep('mats', locale),
        newOwner: rep('lena'),
        reason: cause,
        now: NOW,
      });
      // Assert
      expect(toYou.text).toContain(expected);
      expect(awayMail.text).toContain(expected);
    },
  );

  it.each([
    { locale: 'en', expected: 'and nobody present in the queue can take the lead' },
    { locale: 'ar', expected: 'ولا يستطيع أي مندوب حاضر في الطابور تولّي العميل' },
  ])(
    '$locale: nobody present, the manager is told why and no first-touch deadline for step 3',
    ({ locale, expected }) => {
      // Act
      const email = managerTakeoverEmail(sla, lead, {
        manager: { ...katrin, ...(locale === 'ar' ? { locale } : {}) },
        owner: rep('mats'),
        headline: { kind: 'needsOwner' },
        why: away(3, true),
        owners: ['Mats Lindqvist'],
        actionLinks: [],
        now: NOW,
      });
      // Assert
      expect(email.text).toContain(expected);
      expect(email.text).toContain(locale === 'en' ? 'attempt 3 falls due' : 'المحاولة 3');
    },
  );
});
