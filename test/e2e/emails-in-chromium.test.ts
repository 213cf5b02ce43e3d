/**
 * Every kind of email LeadPact sends, in English and Arabic, rendered as a phone shows it: headless
 * Chromium at 390 px (and 1280 px for the screenshots). Realistic data from the worked example, with
 * action and unsubscribe links as long as the signed ones (~200 characters).
 *
 * Asserted: no horizontal scroll at 390 px, `lang`/`dir` of the reader's locale, no "Hello ," with no
 * first name, no rule ids in what a rep reads. With EMAIL_SCREENSHOTS=1, screenshots at 390 and 1280 px
 * land in $TMPDIR/leadpact-emails/ (docs/architecture.md: look at them after changing a template).
 */
import { mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type ActionChoice,
  type ActionLink,
  contactActionChoices,
  dealActionChoices,
  decideActionChoices,
} from '../../lambdas/domain/action-links.ts';
import { parseDuration } from '../../lambdas/domain/duration.ts';
import {
  attemptDueEmail,
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
import type { Reason } from '../../lambdas/domain/lead.ts';
import type { Sla } from '../../lambdas/domain/sla-schema.ts';
import { launchChromium, layoutAt, offlinePage } from '../support/chromium.ts';
import { loadDefaultSla } from '../support/sla.ts';

/** EMAIL_SCREENSHOTS=1 saves each email at 390 and 1280 px to look at */
const SCREENSHOTS = process.env.EMAIL_SCREENSHOTS === '1';
const SHOTS = join(tmpdir(), 'leadpact-emails');
const PHONE = 390;
const DESKTOP = 1280;
const NOW = new Date('2026-11-30T08:30:00Z');
const DUE = new Date('2026-11-30T12:00:00Z');
/** connected Mon 2026-11-16 09:00 Berlin, no deal: the second reminder of contact.decideWithin 5bd */
const DECIDE = {
  connectedAt: new Date('2026-11-16T08:00:00Z'),
  since: new Date('2026-11-16T08:00:00Z'),
  n: 2,
  within: parseDuration('5bd')!,
};
/** the owner (Mats) out of office: his reminders go to his manager (ADR 0043, amended) */
const AWAY = { from: '2026-12-21', to: '2027-01-03' };
/** a signed link is ~200 characters of base64url: the kind that overflowed the nurture emails */
const TOKEN = `${'eyJsIjoibGVhZF8wMTIzNDU2Nzg5YWJjZGVmZ2giLCJjIjoxLCJhIjoiY29ubmVjdGVkIn0'.repeat(2)}.sig${'Q'.repeat(40)}`;
const BASE = 'https://leads.kessler-industrial.example';
/** rule ids (family.id) as judge.ts writes them: only the console and the API show them */
const RULE_ID = /\b(?:icp|engagement|negative|persona|leadType|qualify|journey|fit)\.[a-z0-9-]+/;

/** The worked example, its reps and managers reading `locale`. */
function slaIn(locale: 'en' | 'ar'): Sla {
  const sla = loadDefaultSla();
  return {
    ...sla,
    routing: {
      ...sla.routing,
      reps: sla.routing.reps.map((rep) => ({ ...rep, locale })),
      managers: sla.routing.managers.map((manager) => ({ ...manager, locale })),
    },
  };
}

const LEADS: Record<'en' | 'ar', EmailLead> = {
  en: {
    leadId: 'lead_0123456789abcdefgh',
    email: 'petra.schneider@brauhaus-werke.example',
    fields: {
      firstName: 'Petra',
      lastName: 'Schneider',
      company: 'Brauhaus Werke GmbH',
      jobTitle: 'Plant Manager',
      phone: '+49 89 1234 5678',
      country: 'DE',
      employees: 850,
      industry: 'food-and-beverage',
      message: 'We are replacing two compressor lines in Q2 and would like a demo.',
    },
    total: 185,
    fitTier: 'A',
    leadType: 'equipment-sales',
    persona: 'plant-manager',
    journeyStage: 'decision',
    deal: {
      stageId: 'quote-presented',
      since: '2026-11-16T08:00:00.000Z',
      openedAt: '2026-11-02T10:00:00.000Z',
    },
  },
  ar: {
    leadId: 'lead_9876543210abcdefgh',
    email: 'salma.haddad@gulf-foods.example',
    fields: {
      company: 'شركة الخليج للأغذية',
      jobTitle: 'مديرة المصنع',
      phone: '+971 4 123 4567',
      country: 'AE',
      employees: 850,
      industry: 'food-and-beverage',
      message: 'نستبدل خطّي ضواغط في الربع الثاني ونود عرضًا توضيحيًا.',
      locale: 'ar',
    },
    total: 185,
    fitTier: 'A',
    leadType: 'equipment-sales',
    persona: 'plant-manager',
    journeyStage: 'decision',
    deal: {
      stageId: 'quote-presented',
      since: '2026-11-16T08:00:00.000Z',
      openedAt: '2026-11-02T10:00:00.000Z',
    },
  },
};

const REASONS: Reason[] = [
  {
    rule: 'icp.core-industry',
    points: 30,
    detail: 'industry in [manufacturing, chemicals, food-and-beverage]',
  },
  { rule: 'icp.budget', points: 25, detail: 'revenue >= 20000000' },
  { rule: 'engagement.demo-request', points: 60, detail: 'demo_request (once)' },
  { rule: 'persona.plant-manager', detail: 'Petra the Plant Manager: match score 5' },
];

/** the buttons as the notifier makes them: the SLA's outcomes, named in the rep's language */
function links(sla: Sla, choices = contactActionChoices): ActionLink[] {
  const locale = sla.routing.reps[0]?.locale ?? sla.locales.default;
  return (choices as (sla: Sla, locale: string) => ActionChoice[])(sla, locale).map((choice, index) => ({
    label: choice.label,
    url: `${BASE}/actions/${TOKEN}${index}`,
    tone: choice.tone,
  }));
}

type Make = (sla: Sla, lead: EmailLead) => RenderedEmail;

const REP_EMAILS: [string, Make][] = [
  [
    'sql-assigned',
    (sla, lead) =>
      sqlAssignedEmail(sla, lead, {
        rep: sla.routing.reps[0]!,
        dueAt: DUE,
        reasons: REASONS,
        actionLinks: links(sla),
        now: NOW,
        linksExpireAt: new Date('2026-12-14T08:30:00Z'),
      }),
  ],
  [
    'attempt-due',
    (sla, lead) =>
      attemptDueEmail(sla, lead, {
        rep: sla.routing.reps[0]!,
        step: {
          step: 3,
          of: 6,
          dueAt: DUE,
          channel: 'linkedin',
          note: 'Connect with a short personal note.',
        },
        actionLinks: links(sla),
        now: NOW,
      }),
  ],
  [
    // a call step to a lead who gave no phone: it says to write by the time, not to phone
    'attempt-due no-phone',
    (sla, lead) =>
      attemptDueEmail(sla, withoutPhone(lead), {
        rep: sla.routing.reps[0]!,
        step: { step: 3, of: 6, dueAt: DUE, channel: 'phone' },
        // the outcomes the notifier offers such a lead (ADR 0087): no voicemail
        actionLinks: links(sla, (s: Sla, locale?: string) =>
          contactActionChoices(s, locale, { hasPhone: false }),
        ),
        now: NOW,
      }),
  ],
  [
    'first-touch-overdue',
    (sla, lead) =>
      firstTouchOverdueEmail(sla, lead, {
        rep: sla.routing.reps[0]!,
        dueAt: DUE,
        overdueBusinessHours: 2.5,
        actionLinks: links(sla),
        now: NOW,
      }),
  ],
  [
    'manager-escalation',
    (sla, lead) =>
      managerEscalationEmail(sla, lead, {
        manager: sla.routing.managers[0]!,
        owner: sla.routing.reps[0]!,
        dueAt: DUE,
        overdueBusinessHours: 2,
        actionLinks: links(sla),
        now: NOW,
      }),
  ],
  [
    'reassigned-to-you',
    (sla, lead) =>
      reassignedToYouEmail(sla, lead, {
        rep: sla.routing.reps[1]!,
        previousOwner: sla.routing.reps[0]!,
        reason: { kind: 'overdue', hours: 4 },
        dueAt: DUE,
        actionLinks: links(sla),
        now: NOW,
      }),
  ],
  [
    'reassigned-to-you by-hand',
    (sla, lead) =>
      reassignedToYouEmail(sla, lead, {
        rep: sla.routing.reps[1]!,
        previousOwner: sla.routing.reps[0]!,
        reason: { kind: 'manual', by: sla.routing.managers[0]!.id, note: 'speaks the language' },
        dueAt: DUE,
        actionLinks: links(sla),
        now: NOW,
      }),
  ],
  [
    'reassigned-away',
    (sla, lead) =>
      reassignedAwayEmail(sla, lead, {
        rep: sla.routing.reps[0]!,
        newOwner: sla.routing.reps[1]!,
        reason: { kind: 'overdue', hours: 4 },
        now: NOW,
      }),
  ],
  [
    'manager-takeover',
    (sla, lead) =>
      managerTakeoverEmail(sla, lead, {
        manager: sla.routing.managers[0]!,
        owner: sla.routing.reps[0]!,
        headline: { kind: 'noFirstTouch', reps: 3 },
        why: { kind: 'ladderDone', reassignments: 2 },
        dueAt: DUE,
        owners: sla.routing.reps.slice(0, 3).map((rep) => rep.name),
        actionLinks: links(sla),
        now: NOW,
      }),
  ],
  [
    'manager-takeover-reminder',
    (sla, lead) =>
      managerTakeoverEmail(sla, lead, {
        manager: sla.routing.managers[0]!,
        owner: sla.routing.reps[0]!,
        headline: { kind: 'noFirstTouch', reps: 3 },
        why: 'no first touch since the lead was handed over',
        dueAt: DUE,
        owners: sla.routing.reps.slice(0, 3).map((rep) => rep.name),
        actionLinks: links(sla),
        now: NOW,
        reminder: { since: new Date('2026-12-01T16:00:00Z'), recycleAt: new Date('2026-12-11T08:00:00Z') },
      }),
  ],
  [
    // a rep's first touch logged late (a CRM's sync after the ladder passed the lead on): who did (ADR 0089)
    'manager-takeover touched',
    (sla, lead) =>
      managerTakeoverEmail(sla, lead, {
        manager: sla.routing.managers[0]!,
        owner: sla.routing.reps[0]!,
        headline: { kind: 'noFirstTouch', reps: 2, touchedBy: [sla.routing.reps[2]!.id] },
        why: { kind: 'ladderDone', reassignments: 2 },
        dueAt: DUE,
        owners: sla.routing.reps.slice(0, 3).map((rep) => rep.name),
        actionLinks: links(sla),
        now: NOW,
      }),
  ],
  [
    'manager-takeover-reminder touched',
    (sla, lead) =>
      managerTakeoverEmail(sla, lead, {
        manager: sla.routing.managers[0]!,
        owner: sla.routing.reps[0]!,
        headline: { kind: 'noFirstTouch', reps: 2, touchedBy: [sla.routing.reps[2]!.id] },
        why: 'no first touch since the lead was handed over',
        dueAt: DUE,
        owners: sla.routing.reps.slice(0, 3).map((rep) => rep.name),
        actionLinks: links(sla),
        now: NOW,
        reminder: { since: new Date('2026-12-01T16:00:00Z'), recycleAt: new Date('2026-12-11T08:00:00Z') },
      }),
  ],
  [
    'manager-takeover needs-owner',
    (sla, lead) =>
      managerTakeoverEmail(sla, lead, {
        manager: sla.routing.managers[0]!,
        headline: { kind: 'needsOwner' },
        why: { kind: 'nobodyFree', queueId: sla.routing.queues[0]!.id },
        owners: [],
        actionLinks: [],
        consoleUrl: 'https://leads.example.com/console/leads/abc',
        now: NOW,
      }),
  ],
  [
    'lead-recycled',
    (sla, lead) =>
      leadRecycledEmail(sla, lead, {
        now: NOW,
        to: sla.routing.reps[0]!,
        cc: sla.routing.managers[0]!,
        logged: 4,
        of: 6,
        breach: true,
        coolOffUntil: new Date('2027-01-29T08:30:00Z'),
        // the copied manager stands in for one out of office (ADR 0048)
        standsInFor: { manager: sla.routing.managers[1]!, until: '2027-01-08' },
      }),
  ],
  [
    'stale-deal',
    (sla, lead) =>
      staleDealEmail(
        sla,
        { ...lead, deal: { ...lead.deal!, amount: 184000 } },
        {
          rep: sla.routing.reps[0]!,
          actionLinks: links(sla).slice(0, 4),
          now: NOW,
        },
      ),
  ],
  [
    'stale-deal covering',
    (sla, lead) =>
      staleDealEmail(
        sla,
        { ...lead, deal: { ...lead.deal!, amount: 184000 } },
        {
          rep: sla.routing.reps[2]!,
          covering: { manager: sla.routing.managers[0]!, away: AWAY },
          actionLinks: links(sla, (of, locale) => dealActionChoices(of, 'quote-presented', locale)),
          now: NOW,
        },
      ),
  ],
  [
    'decide-due',
    (sla, lead) =>
      decideDueEmail(sla, withoutDeal(lead), {
        rep: sla.routing.reps[0]!,
        ...DECIDE,
        n: 1,
        actionLinks: links(sla, decideActionChoices),
        now: NOW,
      }),
  ],
  [
    'decide-due-manager',
    (sla, lead) =>
      decideDueEmail(sla, withoutDeal(lead), {
        rep: sla.routing.reps[0]!,
        manager: sla.routing.managers[0]!,
        ...DECIDE,
        actionLinks: links(sla, decideActionChoices),
        now: NOW,
      }),
  ],
  [
    'decide-due covering',
    (sla, lead) =>
      decideDueEmail(sla, withoutDeal(lead), {
        rep: sla.routing.reps[2]!,
        manager: sla.routing.managers[0]!,
        away: AWAY,
        ...DECIDE,
        actionLinks: links(sla, decideActionChoices),
        now: NOW,
      }),
  ],
];

function withoutDeal(lead: EmailLead): EmailLead {
  const { deal: _deal, ...rest } = lead;
  return rest;
}

const NURTURE: [string, Make][] = loadDefaultSla().nurture.templates.map((template) => [
  `nurture ${template.id}`,
  (sla, lead) =>
    nurtureEmail(
      sla,
      // no first name: the greeting must still read right
      { ...lead, fields: withoutName(lead.fields) },
      { template, unsubscribeUrl: `${BASE}/unsubscribe/${TOKEN}` },
    ),
]);

function withoutPhone(lead: EmailLead): EmailLead {
  const { phone: _phone, ...fields } = lead.fields;
  return { ...lead, fields };
}

function withoutName(fields: EmailLead['fields']): EmailLead['fields'] {
  const { firstName: _first, lastName: _last, ...rest } = fields;
  return rest;
}

describe('every email in Chromium at 390 px', () => {
  let browser: Browser | undefined;
  let page: Page | undefined;
  beforeAll(async () => {
    if (SCREENSHOTS) mkdirSync(SHOTS, { recursive: true });
    browser = await launchChromium();
    page = await offlinePage(browser);
  });
  afterAll(async () => {
    await browser?.close();
  });

  const cases = (['en', 'ar'] as const).flatMap((locale) =>
    [
      ...REP_EMAILS.map(([kind, make]) => [kind, make, true] as const),
      ...NURTURE.map(([kind, make]) => [kind, make, false] as const),
    ].map(([kind, make, toRep]) => [locale, kind, make, toRep] as const),
  );

  it.each(cases)(
    "%s %s: no horizontal scroll, the reader's lang and dir",
    async (locale, kind, make, toRep) => {
      // Arrange
      const sla = slaIn(locale);
      const email = make(sla, LEADS[locale]);
      const name = `${kind.replace(/\s+/g, '-')}.${locale}`;

      // Act
      const phone = await layoutAt(
        page!,
        email.html,
        PHONE,
        SCREENSHOTS ? join(SHOTS, `${name}.390.png`) : undefined,
      );
      if (SCREENSHOTS) await layoutAt(page!, email.html, DESKTOP, join(SHOTS, `${name}.1280.png`));

      // Assert
      expect(phone.scrollWidth).toBeLessThanOrEqual(PHONE);
      expect(phone.lang).toBe(locale);
      expect(phone.dir).toBe(locale === 'ar' ? 'rtl' : 'ltr');
      expect(phone.text).not.toMatch(/\S\s+[,،]/);
      expect(email.fromName).toBe('Kessler Industrial');
      if (toRep) {
        expect(email.html).not.toMatch(RULE_ID);
        expect(email.text).not.toMatch(RULE_ID);
      } else {
        // one unsubscribe, shown as a word, never as the long signed URL
        expect(phone.text.match(locale === 'ar' ? /إلغاء الاشتراك/g : /Unsubscribe/g)).toHaveLength(1);
        expect(phone.text).not.toContain(TOKEN);
      }
      if (locale === 'ar') expect(phone.text).toMatch(/[\u0600-\u06FF]{3}/);
      // the SLA's names in the reader's language (names.ar): the persona, the buttons
      if (locale === 'ar' && toRep) {
        expect(phone.text).not.toMatch(/Petra the Plant Manager|Left voicemail|Wrong number/);
        // the workflow's reasons too (reassigned, takeover): said in Arabic, not LeadPact's English
        expect(phone.text).not.toMatch(/first touch|business hours|overdue|reassigned|\breps\b/i);
      }
    },
  );

  it.each([
    ['en', 'en'],
    ['ar', 'ar'],
  ] as const)(
    "a rep's email in %s: the lead's phone and email are links a thumb can tap, at least 44 px tall",
    async (locale, who) => {
      // Arrange: the new-SQL email, the lead's phone and email among its facts
      const email = REP_EMAILS[0]![1](slaIn(locale), LEADS[who]);
      await layoutAt(page!, email.html, PHONE);

      // Act: the links that call and write, as laid out at 390 px
      const targets = (await page!.evaluate(
        `[...document.querySelectorAll('a[href^="tel:"], a[href^="mailto:"]')].map((a) => ({ href: a.getAttribute('href'), height: Math.round(a.getBoundingClientRect().height) }))`,
      )) as { href: string; height: number }[];

      // Assert: both there, both tall enough to tap
      expect(targets.map((t) => t.href.split(':')[0])).toEqual(['tel', 'mailto']);
      for (const target of targets) expect(target.height, target.href).toBeGreaterThanOrEqual(44);
    },
  );

  it("an English rep's email shows an Arabic lead's own words right to left, each in its own direction", async () => {
    // Arrange: the Arabic lead (its company, its message with Latin words and numbers), English reps
    const lead: EmailLead = {
      ...LEADS.ar,
      fields: { ...LEADS.ar.fields, message: 'نحتاج 20 مضخة (Pumps) قبل 1.3.' },
    };
    const email = REP_EMAILS[0]![1](slaIn('en'), lead);
    await layoutAt(page!, email.html, PHONE);

    // Act: the direction and alignment the browser gives the element holding each text
    const shown = (text: string) =>
      page!.evaluate(`(() => {
        const el = [...document.querySelectorAll('div, bdi, a')].findLast((d) => d.textContent === ${JSON.stringify(text)});
        if (!el) return 'missing';
        const style = getComputedStyle(el);
        return style.direction + ' ' + style.textAlign;
      })()`);

    // Assert: an Arabic sentence laid out left to right reads its runs in the wrong order
    expect(await shown(String(lead.fields.message))).toMatch(/^rtl (start|right)$/);
    expect(await shown(String(lead.fields.company))).toMatch(/^rtl /);
    expect(await shown(String(lead.email))).toMatch(/^ltr /);
  });
});
