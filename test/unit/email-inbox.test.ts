/**
 * The emails as an inbox receives them, whatever the lead wrote: the size Gmail clips at (~102 KB of
 * HTML, "[Message clipped]"), the subject a phone's list shows, and the thread key the mailer turns
 * into In-Reply-To/References (one conversation per lead in a rep's inbox).
 */
import { describe, expect, it } from 'vitest';
import type { ActionLink } from '../../lambdas/domain/action-links.ts';
import { parseDuration } from '../../lambdas/domain/duration.ts';
import {
  attemptDueEmail,
  consentConfirmationEmail,
  decideDueEmail,
  type EmailLead,
  firstTouchOverdueEmail,
  leadRecycledEmail,
  managerEscalationEmail,
  managerTakeoverEmail,
  nurtureEmail,
  type RenderedEmail,
  reassignedAwayEmail,
  reassignedToYouEmail,
  sqlAssignedEmail,
  staleDealEmail,
} from '../../lambdas/domain/email-templates.ts';
import { graphemes } from '../../lambdas/domain/graphemes.ts';
import type { Reason } from '../../lambdas/domain/lead.ts';
import type { Sla } from '../../lambdas/domain/sla-schema.ts';
import { loadDefaultSla, withRep } from '../support/sla.ts';

const english = loadDefaultSla();
const arabic = withRep('jonas', { locale: 'ar' }, english);

const NOW = new Date('2026-12-07T08:30:00Z');
const DUE = new Date('2026-12-09T13:00:00Z');
const LEAD_ID = 'Yg7pEZa0jZyueRxwvC3qhp';
/** what the API lets a lead's fields hold at most (form-values.ts): names 100, company 200, title 150, message 5,000 */
const at = (text: string, max: number) => text.repeat(Math.ceil(max / text.length)).slice(0, max);

/** a lead whose every field is at its bound, in characters that cost the most bytes once escaped and encoded */
function worstLead(message: string): EmailLead {
  return {
    leadId: LEAD_ID,
    email: `${'a'.repeat(64)}@${'b'.repeat(180)}.example`,
    fields: {
      firstName: at('"عبدالرحمن" ', 100),
      lastName: at('&آل سعود ', 100),
      company: at('<شركة> & "المصانع" ', 200),
      jobTitle: at('"مدير" & <المصنع> ', 150),
      phone: '+49 (89) 1234-5678 ext. 123456',
      country: 'SA',
      employees: 10_000_000,
      industry: at('food-and-beverage ', 100),
      locale: 'ar-SA',
      message,
    },
    total: 987.5,
    fitTier: 'A',
    leadType: 'equipment-sales',
    persona: 'plant-manager',
    journeyStage: 'decision',
    deal: {
      stageId: 'quote-presented',
      since: '2026-11-20T08:00:00.000Z',
      openedAt: '2026-11-01T10:00:00.000Z',
    },
  };
}

/** every engagement rule of the SLA fired, each twice: the longest "why they qualified" there can be */
function allReasons(sla: Sla): Reason[] {
  const rules = sla.scoring.engagement.map((rule) => ({
    rule: `engagement.${rule.id}`,
    points: rule.points,
    detail: rule.id,
  }));
  return [...rules, ...rules];
}

/** the most buttons any email carries (a deal's stages), each link as long as a signed one */
const LINKS: ActionLink[] = Array.from({ length: 9 }, (_, i) => ({
  label: at('"تم التواصل" & ', 40),
  url: `https://leads.kessler-industrial.example/actions/${'e'.repeat(420)}${i}.${'s'.repeat(43)}`,
  tone: i === 0 ? 'primary' : 'default',
}));

function staffEmails(sla: Sla, lead: EmailLead): [string, RenderedEmail][] {
  const rep = sla.routing.reps.find((candidate) => candidate.id === 'jonas')!;
  const manager = sla.routing.managers[0]!;
  const reminder = { now: NOW, actionLinks: LINKS, linksExpireAt: DUE };
  const decide = { connectedAt: NOW, since: NOW, n: 2, within: parseDuration('5bd')!, ...reminder };
  const why = { kind: 'manual', by: 'katrin', note: at('"لأن" & <العميل> ', 500) } as const;
  return [
    ['sql-assigned', sqlAssignedEmail(sla, lead, { rep, dueAt: DUE, reasons: allReasons(sla), ...reminder })],
    [
      'attempt-due',
      attemptDueEmail(sla, lead, {
        rep,
        step: { step: 6, of: 6, dueAt: DUE, channel: 'linkedin', note: at('"اذكر" & <الحالة> ', 500) },
        ...reminder,
      }),
    ],
    [
      'first-touch-overdue',
      firstTouchOverdueEmail(sla, lead, { rep, dueAt: DUE, overdueBusinessHours: 123.4, ...reminder }),
    ],
    [
      'manager-escalation',
      managerEscalationEmail(sla, lead, {
        manager,
        owner: rep,
        dueAt: DUE,
        overdueBusinessHours: 123.4,
        ...reminder,
      }),
    ],
    [
      'reassigned-to-you',
      reassignedToYouEmail(sla, lead, { rep, previousOwner: manager, reason: why, dueAt: DUE, ...reminder }),
    ],
    ['reassigned-away', reassignedAwayEmail(sla, lead, { now: NOW, rep, newOwner: manager, reason: why })],
    [
      'manager-takeover',
      managerTakeoverEmail(sla, lead, {
        manager,
        owner: rep,
        headline: { kind: 'noFirstTouch', reps: 5 },
        why,
        dueAt: DUE,
        owners: sla.routing.reps.map((r) => r.name),
        ...reminder,
      }),
    ],
    [
      'lead-recycled',
      leadRecycledEmail(sla, lead, {
        now: NOW,
        to: rep,
        cc: manager,
        logged: 2,
        of: 6,
        breach: true,
        coolOffUntil: DUE,
      }),
    ],
    ['stale-deal', staleDealEmail(sla, lead, { rep, ...reminder })],
    ['decide-due', decideDueEmail(sla, lead, { rep, ...decide })],
    ['decide-due-manager', decideDueEmail(sla, lead, { rep, manager, ...decide })],
  ];
}

function allEmails(sla: Sla, lead: EmailLead): [string, RenderedEmail][] {
  const unsubscribe = `https://leads.kessler-industrial.example/unsubscribe/${'u'.repeat(200)}.${'s'.repeat(43)}`;
  return [
    ...staffEmails(sla, lead),
    ...sla.nurture.templates.map(
      (template) =>
        [`nurture ${template.id}`, nurtureEmail(sla, lead, { template, unsubscribeUrl: unsubscribe })] as [
          string,
          RenderedEmail,
        ],
    ),
    [
      'consent',
      consentConfirmationEmail(
        sla,
        { leadId: LEAD_ID, email: lead.email!, fields: lead.fields },
        unsubscribe,
        at('"أرسلوا" & <لي> ', 1000),
      ),
    ],
  ];
}

/** Gmail clips a message whose HTML is over 102 KB; counted as sent: UTF-8, quoted-printable (each byte
 * outside printable ASCII, and "=", takes three), a soft line break every 76 characters. */
function quotedPrintableBytes(html: string): number {
  let bytes = 0;
  for (const byte of Buffer.from(html, 'utf8')) bytes += byte > 0x7e || byte === 0x3d ? 3 : 1;
  return Math.ceil(bytes * (78 / 76));
}

const GMAIL_CLIPS_AT = 102 * 1024;
/** our own bound: room under Gmail's for the headers of a forward, a client's quoting, a longer SLA text */
const HTML_BUDGET = 75 * 1024;

const MESSAGES: [string, string][] = [
  ['escaped ASCII (& < > " everywhere)', at('"&<>\' ', 5000)],
  ['Arabic', at('نستبدل خطين للضواغط في الربع الثاني ونود عرضًا توضيحيًا. ', 5000)],
  ['CJK (three bytes a character)', at('我们计划在第二季度更换两条压缩机生产线', 5000)],
  ['emoji', at('🙂🏭', 5000)],
];

describe('what Gmail clips', () => {
  it.each(MESSAGES)(
    'every email of a lead at every field bound, message in %s, stays under the budget as sent',
    (_name, message) => {
      for (const sla of [english, arabic]) {
        for (const [kind, email] of allEmails(sla, worstLead(message))) {
          // Assert
          const sent = quotedPrintableBytes(email.html);
          expect(sent, `${kind}: ${sent} bytes`).toBeLessThanOrEqual(HTML_BUDGET);
          expect(sent).toBeLessThan(GMAIL_CLIPS_AT);
        }
      }
    },
  );

  it("puts every action button before the lead's own words, so a clip could only hide what follows them", () => {
    for (const [kind, email] of staffEmails(english, worstLead(MESSAGES[0]![1]))) {
      const quote = email.html.indexOf('white-space:pre-wrap');
      const lastButton = email.html.lastIndexOf('/actions/');
      if (lastButton >= 0 && quote >= 0) expect(lastButton, kind).toBeLessThan(quote);
    }
  });
});

describe('the plain-text part', () => {
  const hrefs = (html: string) =>
    [...html.matchAll(/href="(https?:[^"]+)"/g)].map((match) => match[1]!.replace(/&amp;/g, '&'));
  const urls = (text: string) => [...text.matchAll(/https?:\/\/\S+/g)].map((match) => match[0]);

  it.each([
    ['English', english],
    ['Arabic', arabic],
  ] as const)('offers every link the HTML does, and no other (%s)', (_name, sla) => {
    for (const [kind, email] of allEmails(sla, worstLead('Call me: https://example.com/not-a-link'))) {
      // Assert: the same links, the lead's own URL in neither as a link
      expect(
        new Set(urls(email.text).filter((url) => !url.includes('example.com/not-a-link'))),
        kind,
      ).toEqual(new Set(hrefs(email.html)));
    }
  });
});

describe('buttons', () => {
  it.each([
    ['English', english],
    ['Arabic', arabic],
  ] as const)(
    "are table cells Outlook's Word engine paints, whole width, with the link inside (%s)",
    (_name, sla) => {
      const lead = worstLead('hello');
      const emails = allEmails(sla, lead).filter(([kind]) => !kind.startsWith('nurture'));
      for (const [kind, email] of emails) {
        const buttons = [...email.html.matchAll(/<a href="(https:[^"]+\/(?:actions|unsubscribe)\/[^"]+)"/g)];
        if (!['reassigned-away', 'lead-recycled'].includes(kind))
          expect(buttons.length, kind).toBeGreaterThan(0);
        for (const button of buttons) {
          // Assert: the cell before the link has its colour as bgcolor and Outlook's own padding
          const before = email.html.slice(0, button.index);
          const cell = before.slice(before.lastIndexOf('<td'));
          expect(cell, kind).toMatch(/^<td [^>]*bgcolor="#[0-9a-f]{6}"[^>]*mso-padding-alt:[^>]*>$/);
        }
      }
    },
  );
});

describe('threads', () => {
  it('gives every email to staff about one lead the same thread key, and another lead another', () => {
    // Act
    const one = staffEmails(english, worstLead('hello'));
    const other = staffEmails(english, { ...worstLead('hello'), leadId: 'OtherLead_000000000000' });

    // Assert
    for (const [kind, email] of one) expect(email.thread, kind).toBe(`lead.${LEAD_ID}`);
    for (const [kind, email] of other) expect(email.thread, kind).toBe('lead.OtherLead_000000000000');
  });

  it('threads no email to the lead (nurture, confirmation): each is a message of its own', () => {
    for (const [kind, email] of allEmails(english, worstLead('hello')).filter(([kind]) =>
      /^(nurture|consent)/.test(kind),
    )) {
      expect(email.thread, kind).toBeUndefined();
    }
  });
});

const SUBJECT_MAX = 78;
const length = (text: string) => [...graphemes(text)].length;

describe('subjects', () => {
  const long: EmailLead = {
    leadId: LEAD_ID,
    email: 'petra.schneider@brauhaus-werke.example',
    fields: {
      firstName: 'Petra-Alexandra Maria',
      lastName: 'Schneider-Wittelsbach von Hohenberg',
      company: 'Brauhaus Werke GmbH & Co. KG Niederlassung Süd – Abfüllung, Logistik und Instandhaltung',
    },
    journeyStage: 'decision',
    deal: {
      stageId: 'quote-presented',
      since: '2026-11-20T08:00:00.000Z',
      openedAt: '2026-11-01T10:00:00.000Z',
    },
  };
  const arabicLead: EmailLead = {
    ...long,
    fields: {
      firstName: 'عبدالرحمن محمد عبدالله',
      lastName: 'آل سعود الخالدي العتيبي',
      company: 'شركة المصانع الوطنية المتحدة للصناعات الغذائية والمشروبات المحدودة',
    },
  };

  /** a subject's own words (what happened, when, who else): its length with a one-letter lead */
  const ownWords = (sla: Sla) =>
    new Map(
      staffEmails(sla, { ...long, fields: { firstName: 'X' } }).map(([kind, e]) => [
        kind,
        length(e.subject) - 1,
      ]),
    );

  it.each([
    ['English', english, long],
    ['Arabic', arabic, arabicLead],
  ] as const)(
    'fit a subject line (%s): at most 78 characters, the lead cut after a whole word',
    (_name, sla, lead) => {
      const own = ownWords(sla);
      for (const [kind, email] of staffEmails(sla, lead)) {
        // Assert: 78, or the subject's own words and what a lead keeps at least (16 of the name, 12 of the company)
        const max = Math.max(SUBJECT_MAX, own.get(kind)! + 16 + 12 + 3);
        expect(length(email.subject), `${kind}: "${email.subject}"`).toBeLessThanOrEqual(max);
        for (const cut of email.subject.matchAll(/(\S+)…/g)) {
          const word = cut[1]!.replace(/^\(/, '');
          const words = [...Object.values(lead.fields)].join(' ').split(/\s+/);
          expect(words, `${kind}: "${email.subject}" cuts "${word}"`).toContain(word);
        }
      }
    },
  );

  it('share the room between a long name and a long company: the company keeps more than its first word', () => {
    // Act
    const [[, email]] = staffEmails(english, arabicLead) as [[string, RenderedEmail]];

    // Assert: "(شركة…)" alone (the word "company") would tell no company apart
    expect(email.subject).toMatch(/\(شركة \S+/u);
    expect(length(email.subject)).toBeLessThanOrEqual(SUBJECT_MAX);
  });

  it('keep a lead that fits whole', () => {
    const short: EmailLead = {
      ...long,
      fields: { firstName: 'Petra', lastName: 'Schneider', company: 'Brauhaus Werke' },
    };
    for (const [kind, email] of staffEmails(english, short).filter(([kind]) =>
      ['sql-assigned', 'attempt-due', 'stale-deal', 'reassigned-away'].includes(kind),
    )) {
      expect(email.subject, kind).toContain('Petra Schneider (Brauhaus Werke)');
    }
  });
});
