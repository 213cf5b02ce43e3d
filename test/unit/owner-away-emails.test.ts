/**
 * The emails of a lead taken from an owner who is out of office when a contact step falls due (ADR 0043,
 * HandoverCause `ownerAway`): each reader is told the absence and the step in their language (en, ar). And
 * the reminders of a lead the owner keeps ("No deal yet", a stale deal) that go to the manager covering for
 * them while they are away (ADR 0043, amended).
 */
import { describe, expect, it } from 'vitest';
import { parseDuration } from '../../lambdas/domain/duration.ts';
import {
  decideDueEmail,
  type EmailLead,
  managerTakeoverEmail,
  reassignedAwayEmail,
  reassignedToYouEmail,
  staleDealEmail,
} from '../../lambdas/domain/email-templates.ts';
import type { HandoverCause } from '../../lambdas/domain/handover-cause.ts';
import type { OutboxEmail } from '../../lambdas/domain/outbox.ts';
import type { Sla } from '../../lambdas/domain/sla-schema.ts';
import type { EmailMessage } from '../../lambdas/ports/mailer.ts';
import { EmailNotifier } from '../../lambdas/tasks/email-notifier.ts';
import { deliver } from '../../lambdas/tasks/outbox-delivery.ts';
import { handedOff, withDeal } from '../support/lead-state.ts';
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
const away = (step: number, noRep?: boolean, hadItBefore?: boolean): HandoverCause => ({
  kind: 'ownerAway',
  ownerId: 'mats',
  from: '2026-12-21',
  to: '2027-01-03',
  step,
  ...(noRep ? { noRep } : {}),
  ...(hadItBefore ? { hadItBefore } : {}),
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
    {
      locale: 'en',
      cause: away(3, false, true),
      expected:
        'when attempt 3 falls due, and nobody present in the queue who has not had the lead since its handoff can take it',
    },
    {
      locale: 'ar',
      cause: away(3, false, true),
      expected:
        'حين يحين موعد المحاولة 3، ولا يستطيع تولّيه من الحاضرين في الطابور إلا من سبق أن تولّاه منذ تسليمه',
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

describe('the reminders that go to the manager covering for an owner who is away', () => {
  const AWAY = { from: '2026-12-21', to: '2027-01-03' };
  const LINK = { label: 'x', url: 'https://leads.example/a/x', tone: 'primary' as const };
  const connectedAt = new Date('2026-12-07T09:00:00.000Z');
  const inDeal: EmailLead = {
    ...lead,
    deal: { stageId: 'discovery', since: '2026-12-11T09:00:00.000Z', openedAt: '2026-12-11T09:00:00.000Z' },
  };
  const manager = (locale: string) => ({ ...katrin, ...(locale === 'ar' ? { locale } : {}) });

  it.each([
    {
      locale: 'en',
      subject: 'No deal yet: Astrid Nilsson (Nordkraft AB) - Mats Lindqvist is away until Sun 3 Jan 2027',
      intro:
        'Katrin Vogel, Mats Lindqvist is out of office from Mon 21 Dec 2026 to Sun 3 Jan 2027, so this reminder about their lead comes to you instead.',
      stays:
        'Decide for Mats Lindqvist with the links below, or leave it until they are back: the lead stays theirs.',
      row: 'Out of office: Mon 21 Dec 2026 to Sun 3 Jan 2027',
    },
    {
      locale: 'ar',
      subject: 'لا صفقة بعد: Astrid Nilsson (Nordkraft AB) - Mats Lindqvist في إجازة حتى الأحد، 3 يناير 2027',
      intro:
        '\u2068Katrin Vogel\u2069، هذا العميل لدى \u2068Mats Lindqvist\u2069، علمًا بأن \u2068Mats Lindqvist\u2069 في إجازة من الاثنين، 21 ديسمبر 2026 إلى الأحد، 3 يناير 2027، لذا يصلك هذا التذكير بدلًا من \u2068Mats Lindqvist\u2069.',
      stays: 'يبقى العميل لدى \u2068Mats Lindqvist\u2069.',
      row: 'في إجازة: من الاثنين، 21 ديسمبر 2026 إلى الأحد، 3 يناير 2027',
    },
  ])('$locale: "No deal yet" to Katrin, not to Mats, saying he is away until when', (row) => {
    // Act
    const email = decideDueEmail(sla, lead, {
      rep: rep('mats'),
      manager: manager(row.locale),
      away: AWAY,
      connectedAt,
      since: connectedAt,
      n: 2,
      within: parseDuration('5bd')!,
      actionLinks: [LINK],
      now: NOW,
    });
    // Assert
    expect([email.to, email.cc, email.tags.kind]).toEqual([
      ['katrin.vogel@kessler-industrial.example'],
      undefined,
      'decide-due-covering',
    ]);
    expect(email.subject).toBe(row.subject);
    expect(email.text).toContain(row.intro);
    expect(email.text).toContain(row.stays);
    expect(email.text.replace(/ +/g, ' ')).toContain(row.row);
  });

  it.each([
    {
      locale: 'en',
      subject: 'Stale deal: Astrid Nilsson (Nordkraft AB) - Mats Lindqvist is away until Sun 3 Jan 2027',
      callout: 'In Discovery / meeting booked for 10 days',
      intro:
        'Katrin Vogel, Mats Lindqvist is out of office from Mon 21 Dec 2026 to Sun 3 Jan 2027, so this reminder about their deal comes to you instead.',
      stays: 'or leave it until they are back: the deal stays theirs.',
      links: 'Move the deal (for the owner)',
    },
    {
      locale: 'ar',
      subject: 'صفقة راكدة: Astrid Nilsson (Nordkraft AB) - Mats Lindqvist في إجازة حتى الأحد، 3 يناير 2027',
      callout: 'في \u2068الاستكشاف / حُجز اجتماع\u2069 منذ 10 أيام',
      intro:
        '\u2068Katrin Vogel\u2069، هذه صفقة \u2068Mats Lindqvist\u2069، علمًا بأن \u2068Mats Lindqvist\u2069 في إجازة من الاثنين، 21 ديسمبر 2026 إلى الأحد، 3 يناير 2027، لذا يصلك هذا التذكير بدلًا من \u2068Mats Lindqvist\u2069.',
      stays: 'تبقى الصفقة لدى \u2068Mats Lindqvist\u2069.',
      links: 'انقل الصفقة (نيابة عن المسؤول)',
    },
  ])('$locale: the stale deal to Katrin, not to Mats, the deal his', (row) => {
    // Act
    const email = staleDealEmail(sla, inDeal, {
      rep: rep('mats'),
      covering: { manager: manager(row.locale), away: AWAY },
      actionLinks: [LINK],
      now: NOW,
    });
    // Assert
    expect([email.to, email.cc, email.tags.kind]).toEqual([
      ['katrin.vogel@kessler-industrial.example'],
      undefined,
      'stale-deal-covering',
    ]);
    expect(email.subject).toBe(row.subject);
    expect(email.text).toContain(row.callout);
    expect(email.text).toContain(row.intro);
    expect(email.text).toContain(row.stays);
    expect(email.text).toContain(row.links);
  });
});

describe('a covering reminder sent (again) from its outbox entry', () => {
  const AWAY = { from: '2026-12-21', to: '2027-01-03' };
  const matsLead = withDeal(
    handedOff('2026-12-07T08:00:00.000Z', 'mats', { email: lead.email!, fields: lead.fields }),
    'discovery',
    '2026-12-11T09:00:00.000Z',
  );
  /** Katrin gone from the SLA between the claim and the send */
  const withoutKatrin: Sla = {
    ...sla,
    routing: { ...sla.routing, managers: sla.routing.managers.filter((manager) => manager.id !== 'katrin') },
  };

  async function send(email: OutboxEmail, on: Sla = sla): Promise<{ to: string; subject: string }[]> {
    const sent: EmailMessage[] = [];
    const notifier = new EmailNotifier({
      sla: on,
      mailer: {
        async send(message) {
          sent.push(message);
          return { messageId: `m${sent.length}` };
        },
      },
      clock: { now: () => NOW },
      publicBaseUrl: 'https://leads.example',
      actionSecret: 'owner-away-emails-secret',
    });
    await deliver({ sla: on, clock: { now: () => NOW }, notifier } as never, matsLead, email, 'key:1');
    return sent.map((message) => ({ to: message.to.join(','), subject: message.subject }));
  }

  const stale: OutboxEmail = {
    type: 'staleDeal',
    repId: 'mats',
    stageId: 'discovery',
    since: '2026-12-11T09:00:00.000Z',
    managerId: 'katrin',
    away: AWAY,
  };
  const decide: OutboxEmail = {
    type: 'decideDue',
    repId: 'mats',
    managerId: 'katrin',
    away: AWAY,
    connectedAt: '2026-12-07T09:00:00.000Z',
    since: '2026-12-07T09:00:00.000Z',
    n: 2,
    within: '5bd',
  };

  it.each([
    {
      name: 'the stale deal: to Katrin',
      email: stale,
      expected: [
        {
          to: 'katrin.vogel@kessler-industrial.example',
          subject: 'Stale deal: Astrid Nilsson (Nordkraft AB) - Mats Lindqvist is away until Sun 3 Jan 2027',
        },
      ],
    },
    {
      name: '"No deal yet": to Katrin only, no copy and nothing to Mats',
      email: decide,
      expected: [
        {
          to: 'katrin.vogel@kessler-industrial.example',
          subject: 'No deal yet: Astrid Nilsson (Nordkraft AB) - Mats Lindqvist is away until Sun 3 Jan 2027',
        },
      ],
    },
    {
      name: 'the stale deal, Katrin no longer in the SLA: to Mats after all',
      email: stale,
      on: withoutKatrin,
      expected: [
        {
          to: 'mats.lindqvist@kessler-industrial.example',
          subject: 'Stale deal: Astrid Nilsson (Nordkraft AB) - Discovery / meeting booked for 10 days',
        },
      ],
    },
    {
      name: '"No deal yet", Katrin no longer in the SLA: to Mats after all',
      email: decide,
      on: withoutKatrin,
      expected: [
        {
          to: 'mats.lindqvist@kessler-industrial.example',
          subject: 'No deal yet: Astrid Nilsson (Nordkraft AB) - connected 10 business days ago',
        },
      ],
    },
  ])('$name', async (row) => {
    // Act
    const sent = await send(row.email, row.on);
    // Assert
    expect(sent).toEqual(row.expected);
  });
});

describe('a stand-in for a manager out of office (ADR 0048) reads whose place it is', () => {
  const dan = sla.routing.managers.find((manager) => manager.id === 'dan')!;
  it.each([
    {
      locale: 'en',
      expected: 'You get this in place of Katrin Vogel, who is out of office until Fri 4 Dec 2026.',
    },
    { locale: 'ar', expected: 'نيابةً عن' },
  ])('$locale: in the takeover, and nothing of it without a stand-in', ({ locale, expected }) => {
    // Arrange
    const options = {
      manager: { ...dan, ...(locale === 'ar' ? { locale } : {}) },
      owner: rep('jonas'),
      headline: { kind: 'noFirstTouch', reps: 3 } as const,
      why: { kind: 'overdue' } as const,
      owners: ['Jonas Berger'],
      actionLinks: [],
      now: NOW,
    };

    // Act
    const standing = managerTakeoverEmail(sla, lead, {
      ...options,
      standsInFor: { manager: katrin, until: '2026-12-04' },
    });
    const own = managerTakeoverEmail(sla, lead, options);

    // Assert
    expect(standing.text).toContain(expected);
    expect(own.text).not.toContain(expected);
  });
});
