import { describe, expect, it } from 'vitest';
import {
  type ActionLink,
  contactActionChoices,
  dealActionChoices,
  signActionLinks,
} from '../../lambdas/domain/action-links.ts';
import { parseDuration } from '../../lambdas/domain/duration.ts';
import {
  attemptDueEmail,
  decideDueEmail,
  type EmailLead,
  escapeHtml,
  firstTouchOverdueEmail,
  formatBusinessHours,
  formatFullTime,
  formatShortTime,
  managerEscalationEmail,
  managerTakeoverEmail,
  nurtureEmail,
  type RenderedEmail,
  reassignedAwayEmail,
  reassignedToYouEmail,
  sqlAssignedEmail,
  staleDealEmail,
  zoneAbbreviation,
} from '../../lambdas/domain/email-templates.ts';
import type { Reason } from '../../lambdas/domain/lead.ts';
import type { Rep, Sla, Template } from '../../lambdas/domain/sla-schema.ts';
import { makeSla } from '../support/sla.ts';

// Company calendar Europe/Berlin (CET = UTC+1, CEST = UTC+2); Carl works in America/Chicago (CST = UTC-6).
const sla: Sla = makeSla({
  name: 'Kessler SLA',
  calendar: { timeZone: 'Europe/Berlin' },
  routing: {
    managers: [{ id: 'mia', name: 'Mia Manager', email: 'mia@kessler.example' }],
    reps: [
      { id: 'ann', name: 'Ann Berg', email: 'ann@kessler.example', manager: 'mia' },
      { id: 'carl', name: 'Carl Ruiz', email: 'carl@kessler.example', timeZone: 'America/Chicago' },
    ],
  },
  personas: [{ id: 'engineer', name: 'Maintenance engineer', match: { jobTitleKeywords: ['engineer'] } }],
  scoring: { engagement: [{ id: 'demo-request', event: 'demo_request', points: 60 }] },
  nurture: {
    senderName: 'Kessler Industrial',
    templates: [
      {
        id: 'welcome',
        subject: '{{firstName}}, a guide for {{company}}',
        text: 'Hello {{firstName}},\n\nread it at https://kessler.example/guide?a=1&b=2.\n\nUnsubscribe: {{unsubscribeUrl}}',
      },
      {
        id: 'rich',
        subject: 'For {{ company }}',
        text: 'Hello {{firstName}}',
        html: '<p>Hello <b>{{firstName}}</b> ({{{persona}}})</p><a href="{{unsubscribeUrl}}">Unsubscribe</a>',
      },
    ],
  },
});
const ann = sla.routing.reps[0]!;
const carl = sla.routing.reps[1]!;
const mia = sla.routing.managers[0]!;

/** Tue 13 Jan 2026 14:00 CET = 07:00 CST */
const DUE = new Date('2026-01-13T13:00:00Z');
/** the same morning, 09:30 CET */
const NOW = new Date('2026-01-13T08:30:00Z');

const petra: EmailLead = {
  leadId: 'lead_0123456789abcdefgh',
  email: 'petra.schneider@brauhaus.example',
  fields: {
    firstName: 'Petra',
    lastName: 'Schneider',
    company: 'Brauhaus Werke',
    jobTitle: 'Plant Manager',
    phone: '+49 (89) 123-456',
    country: 'DE',
    message: 'Two lines to replace.\nDemo please.',
  },
  total: 135,
  fitTier: 'A',
  leadType: 'prospect',
  journeyStage: 'decision',
  deal: {
    stageId: 'quote-presented',
    since: '2026-01-04T08:00:00.000Z',
    openedAt: '2025-12-01T10:00:00.000Z',
  },
};

const hostile: EmailLead = {
  ...petra,
  fields: {
    firstName: '<script>alert(1)</script>',
    company: '"Bob & Sons"',
    jobTitle: '"><b>CEO</b>',
    message: "Hi</div><img src=x onerror=alert(1)> it's me",
  },
  persona: 'engineer',
};

const REASONS: Reason[] = [
  { rule: 'engagement.demo-request', points: 60, detail: 'demo request form' },
  { rule: 'icp.industry', points: 30, detail: 'industry food-and-beverage' },
  { rule: 'negative.free-mail', points: -20, detail: 'free-mail domain' },
  { rule: 'leadType.prospect', detail: 'a new prospect' },
];

const LINKS: ActionLink[] = [
  { label: 'Connected', url: 'https://api.example/actions/aaa', tone: 'primary' },
  { label: 'Not interested', url: 'https://api.example/actions/bbb', tone: 'danger' },
];

const welcome = sla.nurture.templates[0]!;
const rich = sla.nurture.templates[1]!;
const UNSUBSCRIBE = 'https://api.example/unsubscribe/tok.sig';

type Make = (lead: EmailLead) => RenderedEmail;

/** connected Tue 2026-01-06 09:00 Berlin; 5 business days a time (contact.decideWithin) */
const CONNECTED = new Date('2026-01-06T08:00:00Z');
const DECIDE = { connectedAt: CONNECTED, since: CONNECTED, n: 2, within: parseDuration('5bd')! };

const KINDS: [string, Make][] = [
  [
    'sqlAssigned',
    (lead) =>
      sqlAssignedEmail(sla, lead, { rep: ann, dueAt: DUE, reasons: REASONS, actionLinks: LINKS, now: NOW }),
  ],
  [
    'attemptDue',
    (lead) =>
      attemptDueEmail(sla, lead, {
        rep: ann,
        step: { step: 3, of: 6, dueAt: DUE, channel: 'phone', note: 'Mention the <b>case study</b>' },
        actionLinks: LINKS,
        now: NOW,
      }),
  ],
  [
    'firstTouchOverdue',
    (lead) =>
      firstTouchOverdueEmail(sla, lead, {
        rep: ann,
        dueAt: DUE,
        overdueBusinessHours: 2.5,
        actionLinks: LINKS,
        now: NOW,
      }),
  ],
  [
    'managerEscalation',
    (lead) =>
      managerEscalationEmail(sla, lead, {
        manager: mia,
        owner: ann,
        dueAt: DUE,
        overdueBusinessHours: 2,
        actionLinks: LINKS,
        now: NOW,
      }),
  ],
  [
    'reassignedToYou',
    (lead) =>
      reassignedToYouEmail(sla, lead, {
        rep: carl,
        previousOwner: ann,
        reason: 'first touch 4 business hours overdue',
        dueAt: DUE,
        actionLinks: LINKS,
        now: NOW,
      }),
  ],
  ['reassignedAway', (lead) => reassignedAwayEmail(sla, lead, { rep: ann, newOwner: carl, now: NOW })],
  ['staleDeal', (lead) => staleDealEmail(sla, lead, { rep: ann, actionLinks: LINKS, now: NOW })],
  [
    'decideDue',
    (lead) => decideDueEmail(sla, lead, { rep: ann, ...DECIDE, n: 1, actionLinks: LINKS, now: NOW }),
  ],
  [
    'decideDue (manager)',
    (lead) => decideDueEmail(sla, lead, { rep: ann, manager: mia, ...DECIDE, actionLinks: LINKS, now: NOW }),
  ],
  [
    'nurture (text template)',
    (lead) => nurtureEmail(sla, lead, { template: welcome, unsubscribeUrl: UNSUBSCRIBE }),
  ],
  [
    'nurture (HTML template)',
    (lead) => nurtureEmail(sla, lead, { template: rich, unsubscribeUrl: UNSUBSCRIBE }),
  ],
];

describe('escaping', () => {
  it.each(KINDS)('%s escapes every value in HTML and keeps the text part plain', (_kind, make) => {
    // Act
    const email = make(hostile);

    // Assert
    expect(email.html).not.toContain('<script>');
    expect(email.html).not.toContain('<img');
    expect(email.html).not.toContain('<b>CEO</b>');
    expect(email.html).not.toContain('"Bob & Sons"');
    expect(email.html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(email.html).toContain('&quot;Bob &amp; Sons&quot;');
    expect(email.text).toContain('<script>alert(1)</script>');
    expect(email.text).not.toContain('&lt;');
    expect(email.subject).not.toMatch(/[\r\n]/);
  });

  it('escapes the lead-supplied message, job title and the cadence note in the body', () => {
    // Act
    const email = KINDS[1]![1](hostile);

    // Assert
    expect(email.html).toContain('&quot;&gt;&lt;b&gt;CEO&lt;/b&gt;');
    expect(email.html).toContain('Hi&lt;/div&gt;&lt;img src=x onerror=alert(1)&gt; it&#39;s me');
    expect(email.html).toContain('Mention the &lt;b&gt;case study&lt;/b&gt;');
  });

  // biome-ignore format: one row per case reads as a table
  it.each([
    ['javascript: URL becomes an inert link', 'javascript:alert(1)', 'href="#"'],
    ['data: URL becomes an inert link', 'data:text/html,<script>x</script>', 'href="#"'],
    ['& and quotes are escaped in the attribute', 'https://x.example/a?b=1&c="2"', 'href="https://x.example/a?b=1&amp;c=&quot;2&quot;"'],
  ])('action link URLs: %s', (_name, url, expected) => {
    // Arrange
    const links: ActionLink[] = [{ label: 'Go', url }];

    // Act
    const email = sqlAssignedEmail(sla, petra, { rep: ann, dueAt: DUE, reasons: [], actionLinks: links, now: NOW });

    // Assert
    expect(email.html).toContain(expected);
  });

  it.each([
    ['<', '&lt;'],
    ['>', '&gt;'],
    ['&', '&amp;'],
    ['"', '&quot;'],
    ["'", '&#39;'],
    ['plain', 'plain'],
  ])('escapeHtml(%j) is %j', (input, expected) => {
    expect(escapeHtml(input)).toBe(expected);
  });
});

describe('subjects a rep can triage on a phone', () => {
  // biome-ignore format: one row per case reads as a table
  it.each([
    ['sqlAssigned', 'New SQL: Petra Schneider (Brauhaus Werke) - first touch by 14:00 CET'],
    ['attemptDue', 'Attempt 3/6: Petra Schneider (Brauhaus Werke) - phone by 14:00 CET'],
    ['firstTouchOverdue', 'Overdue: Petra Schneider (Brauhaus…) - first touch 2.5 business hours late'],
    ['managerEscalation', 'Escalation: Petra Schneider (Brauhaus Werke) - Ann Berg, 2 business hours late'],
    ['reassignedToYou', 'Reassigned to you: Petra Schneider (Brauhaus Werke) - first touch by 07:00 CST'],
    ['reassignedAway', 'Reassigned: Petra Schneider (Brauhaus Werke) - now with Carl Ruiz'],
    ['staleDeal', 'Stale deal: Petra Schneider (Brauhaus Werke) - Quote presented for 9 days'],
    ['decideDue', 'No deal yet: Petra Schneider (Brauhaus Werke) - connected 5 business days ago'],
    ['decideDue (manager)', "No deal yet: Petra Schneider (Brauhaus…) - Ann Berg's lead, connected 10 business days ago"],
    ['nurture (text template)', 'Petra, a guide for Brauhaus Werke'],
  ])('%s: %s', (kind, expected) => {
    // Arrange
    const make = KINDS.find(([name]) => name === kind)![1];

    // Act
    const email = make(petra);

    // Assert
    expect(email.subject).toBe(expected);
  });

  // biome-ignore format: one row per case reads as a table
  it.each([
    ['no name: the email address', {}, 'New SQL: petra.schneider@brauhaus.example - first touch by 14:00 CET'],
    ['little room (78 characters a subject): the company cut after a word', { company: 'Brauhaus Werke' }, 'New SQL: petra.schneider@brauhaus.example (Brauhaus…) - first touch by 14:00 CET'],
    ['a cut that ends a word keeps it', { firstName: 'Petra', company: `Brauhaus ${'W'.repeat(24)} Nord` }, `New SQL: Petra (Brauhaus ${'W'.repeat(24)}…) - first touch by 14:00 CET`],
    ['a long company is cut after a word', { firstName: 'Petra', company: 'Brauhaus Werke GmbH & Co. KG Niederlassung Süd' }, 'New SQL: Petra (Brauhaus Werke GmbH & Co. KG…) - first touch by 14:00 CET'],
    ['no company: no brackets', { firstName: 'Petra' }, 'New SQL: Petra - first touch by 14:00 CET'],
    ['a name and company of one long word each are cut inside it', { firstName: 'A'.repeat(60), company: 'B'.repeat(60) }, `New SQL: ${'A'.repeat(19)}… (${'B'.repeat(18)}…) - first touch by 14:00 CET`],
    ['line breaks never reach the subject', { firstName: 'Petra\r\nBcc: x@evil.example', company: 'Werke' }, 'New SQL: Petra Bcc: x@evil.example (Werke) - first touch by 14:00 CET'],
    ['lone surrogates, controls and bidi overrides never reach the subject (text stored before cleaning)', { firstName: 'Pe\u0000tra\ud800', lastName: '\u202Egnp.exe', company: 'We\u2066rke\u0007' }, 'New SQL: Petra\ufffd gnp.exe (Werke) - first touch by 14:00 CET'],
    ['a cut never splits an emoji', { firstName: `${'A'.repeat(40)}😀😀😀` }, `New SQL: ${'A'.repeat(40)}😀… - first touch by 14:00 CET`],
    ['an Arabic name survives, its RLM kept', { firstName: 'مريم\u200F', lastName: 'الحسيني', company: 'شركة النور' }, 'New SQL: مريم\u200F الحسيني (شركة النور) - first touch by 14:00 CET'],
  ])('%s', (_name, fields, expected) => {
    // Act
    const email = sqlAssignedEmail(sla, { ...petra, fields }, { rep: ann, dueAt: DUE, reasons: [], actionLinks: [], now: NOW });

    // Assert
    expect(email.subject).toBe(expected);
  });
});

describe("times in the rep's own zone", () => {
  // biome-ignore format: one row per case reads as a table
  it.each([
    ['Berlin rep, winter', ann, '2026-01-13T13:00:00Z', '2026-01-13T08:30:00Z', '14:00 CET', 'Tue 13 Jan 2026, 14:00 CET'],
    ['Berlin rep, summer', ann, '2026-07-14T12:00:00Z', '2026-07-14T07:00:00Z', '14:00 CEST', 'Tue 14 Jul 2026, 14:00 CEST'],
    ['Chicago rep, winter', carl, '2026-01-13T13:00:00Z', '2026-01-13T12:00:00Z', '07:00 CST', 'Tue 13 Jan 2026, 07:00 CST'],
    ['Chicago rep, summer', carl, '2026-07-14T12:00:00Z', '2026-07-14T11:00:00Z', '07:00 CDT', 'Tue 14 Jul 2026, 07:00 CDT'],
    // 02:00 CET on Wednesday is still Tuesday 19:00 in Chicago: "same day" is judged in the rep's zone
    ['Chicago rep, due after midnight in Berlin', carl, '2026-01-14T01:00:00Z', '2026-01-13T20:00:00Z', '19:00 CST', 'Tue 13 Jan 2026, 19:00 CST'],
  ])('%s', (_name, rep: Rep, dueAt, now, short, full) => {
    // Act
    const email = sqlAssignedEmail(sla, petra, { rep, dueAt: new Date(dueAt), reasons: [], actionLinks: [], now: new Date(now) });

    // Assert
    expect(email.subject).toBe(`New SQL: Petra Schneider (Brauhaus Werke) - first touch by ${short}`);
    expect(email.text).toContain(`First touch due by ${full}`);
    expect(email.html).toContain(`First touch due by ${full}`);
  });

  // biome-ignore format: one row per case reads as a table
  it.each([
    ['same local day: the time', '2026-01-13T13:00:00Z', '2026-01-13T08:30:00Z', '14:00 CET'],
    ['the next local day: tomorrow and time', '2026-01-14T08:00:00Z', '2026-01-13T16:00:00Z', 'tomorrow 09:00 CET'],
    ['within six days: weekday and time', '2026-01-19T08:00:00Z', '2026-01-13T16:00:00Z', 'Mon 09:00 CET'],
    ['six local days on, under 6 x 24 hours or over', '2026-01-19T16:00:00Z', '2026-01-13T08:00:00Z', 'Mon 17:00 CET'],
    ["seven local days on: the date (the weekday is today's)", '2026-01-20T08:00:00Z', '2026-01-13T16:00:00Z', '20 Jan 09:00 CET'],
    ['a week or more ahead: the date', '2026-01-21T08:00:00Z', '2026-01-13T16:00:00Z', '21 Jan 09:00 CET'],
    ['in the past: the date', '2026-01-12T08:00:00Z', '2026-01-13T16:00:00Z', '12 Jan 09:00 CET'],
  ])('formatShortTime, %s', (_name, at, now, expected) => {
    expect(formatShortTime(new Date(at), 'Europe/Berlin', new Date(now))).toBe(expected);
  });

  // biome-ignore format: one row per case reads as a table
  it.each([
    ['Europe/Berlin', '2026-01-13T12:00:00Z', 'CET'],
    ['Europe/Berlin', '2026-07-13T12:00:00Z', 'CEST'],
    ['America/Chicago', '2026-01-13T12:00:00Z', 'CST'],
    ['America/New_York', '2026-07-13T12:00:00Z', 'EDT'],
    ['Europe/London', '2026-01-13T12:00:00Z', 'GMT'],
    ['Europe/London', '2026-07-13T12:00:00Z', 'BST'],
    ['UTC', '2026-07-13T12:00:00Z', 'UTC'],
    ['Asia/Tokyo', '2026-07-13T12:00:00Z', 'GMT+9'],
  ])('zoneAbbreviation(%s at %s) is %s', (zone, at, expected) => {
    expect(zoneAbbreviation(zone, new Date(at))).toBe(expected);
  });

  it('formats a full time with weekday, date, year and zone', () => {
    expect(formatFullTime(new Date('2026-03-29T00:30:00Z'), 'Europe/Berlin')).toBe(
      'Sun 29 Mar 2026, 01:30 CET',
    );
  });

  it.each([
    [0.25, '15 business minutes'],
    [0.9993, '1 business hour'], // 59.96 minutes: an hour, not "60 business minutes" (duration-figure.ts)
    [1, '1 business hour'],
    [2.5, '2.5 business hours'],
    [3.04, '3 business hours'],
  ])('formatBusinessHours(%d) is %j', (hours, expected) => {
    expect(formatBusinessHours(hours)).toBe(expected);
  });
});

describe("a manager reads times in their own zone, the owner's copy in the owner's", () => {
  // Carl works in Chicago; Rania manages from Riyadh (GMT+3, no daylight saving); Mia has no zone of her own
  const rania = {
    ...mia,
    id: 'rania',
    name: 'Rania Saleh',
    email: 'rania@kessler.example',
    timeZone: 'Asia/Riyadh',
  };
  const escalation = (manager: typeof mia, ownersCopy: boolean) =>
    managerEscalationEmail(sla, petra, {
      manager,
      owner: carl,
      ownersCopy,
      dueAt: DUE,
      overdueBusinessHours: 2,
      actionLinks: LINKS,
      now: NOW,
    });
  const takeover = (manager: typeof mia, ownersCopy: boolean) =>
    managerTakeoverEmail(sla, petra, {
      manager,
      owner: carl,
      ownersCopy,
      headline: { kind: 'noFirstTouch', reps: 3 },
      why: { kind: 'ladderDone', reassignments: 2 },
      dueAt: DUE,
      owners: ['Ann Berg', 'Carl Ruiz'],
      actionLinks: LINKS,
      now: NOW,
    });

  // biome-ignore format: one row per case reads as a table
  it.each<[string, () => RenderedEmail, string, string]>([
    ["the escalation to a manager with a zone: hers", () => escalation(rania, false), 'rania@kessler.example', 'Tue 13 Jan 2026, 16:00 GMT+3'],
    ["the escalation to a manager without one: the calendar's", () => escalation(mia, false), 'mia@kessler.example', 'Tue 13 Jan 2026, 14:00 CET'],
    ["the escalation's copy to the owner: his", () => escalation(rania, true), 'carl@kessler.example', 'Tue 13 Jan 2026, 07:00 CST'],
    ["the takeover by a manager with a zone: hers", () => takeover(rania, false), 'rania@kessler.example', 'Tue 13 Jan 2026, 16:00 GMT+3'],
    ["the takeover by a manager without one: the calendar's", () => takeover(mia, false), 'mia@kessler.example', 'Tue 13 Jan 2026, 14:00 CET'],
    ["the takeover's copy to the owner: his", () => takeover(rania, true), 'carl@kessler.example', 'Tue 13 Jan 2026, 07:00 CST'],
  ])('%s', (_case, make, to, due) => {
    // Act
    const email = make();

    // Assert: the first touch's due time, labelled with the reader's zone, in both parts
    expect(email.to).toEqual([to]);
    expect(email.text).toContain(due);
    expect(email.html).toContain(due);
  });

  it("the manager's copy of a decision due is in the manager's zone too", () => {
    // Act
    const email = decideDueEmail(sla, petra, {
      rep: carl,
      manager: rania,
      ...DECIDE,
      actionLinks: LINKS,
      now: NOW,
    });

    // Assert: connected Tue 6 Jan 2026 09:00 CET, 11:00 in Riyadh (02:00 in Carl's Chicago)
    expect(email.text).toContain('Tue 6 Jan 2026, 11:00 GMT+3');
  });
});

describe('action links', () => {
  const context = {
    baseUrl: 'https://api.example',
    secret: 'a-secret-of-at-least-16-chars',
    leadId: 'lead_0123456789abcdefgh',
    cycle: 1,
    exp: 1_800_000_000,
    nonce: 'n0nce',
  };

  it('an attempt reminder carries a link for every SLA outcome, in text and HTML', () => {
    // Arrange
    const links = signActionLinks(contactActionChoices(sla), context);

    // Act
    const email = attemptDueEmail(sla, petra, {
      rep: ann,
      step: { step: 1, of: 6, dueAt: DUE, channel: 'phone' },
      actionLinks: links,
      now: NOW,
    });

    // Assert
    expect(links.map((link) => link.label)).toEqual(sla.contact.outcomes.map((outcome) => outcome.name));
    for (const link of links) {
      expect(email.text).toContain(`${link.label}: ${link.url}`);
      expect(email.html).toContain(`href="${escapeHtml(link.url)}"`);
      expect(email.html).toContain(`>${escapeHtml(link.label)}</a>`);
    }
  });

  it.each([
    ['none logged at step 3', 3, 0, 'No attempt is logged yet: the cadence keeps its schedule'],
    ['one logged at step 3', 3, 1, 'Only 1 of 6 attempts is logged: the cadence keeps its schedule'],
    ['two logged at step 4', 4, 2, 'Only 2 of 6 attempts are logged: the cadence keeps its schedule'],
    ['two logged at step 3: on schedule', 3, 2, undefined],
    ['an entry written before `logged` was kept', 3, undefined, undefined],
  ])(
    'an attempt reminder says when fewer attempts are logged than steps before it: %s',
    (_case, step, logged, said) => {
      // Act
      const email = attemptDueEmail(sla, petra, {
        rep: ann,
        step: { step, of: 6, dueAt: DUE, channel: 'phone', ...(logged === undefined ? {} : { logged }) },
        actionLinks: [],
        now: NOW,
      });

      // Assert: the rep reading "Attempt 3 of 6" knows whether two were logged
      expect(email.subject).toContain(`Attempt ${step}/6`);
      if (said) {
        expect(email.text).toContain(said);
        expect(email.html).toContain(said);
      } else expect(email.text).not.toContain('logged yet');
      if (!said) expect(email.text).not.toContain('keeps its schedule');
    },
  );

  it('a stale-deal reminder carries a link for every other deal stage', () => {
    // Arrange
    const links = signActionLinks(dealActionChoices(sla, 'quote-presented'), context);

    // Act
    const email = staleDealEmail(sla, petra, { rep: ann, actionLinks: links, now: NOW });

    // Assert
    const others = sla.deals.stages.filter((stage) => stage.id !== 'quote-presented');
    expect(links.map((link) => link.label)).toEqual(others.map((stage) => `Move to ${stage.name}`));
    for (const link of links) {
      expect(email.text).toContain(`${link.label}: ${link.url}`);
      expect(email.html).toContain(`href="${escapeHtml(link.url)}"`);
    }
  });

  it('buttons are big tap targets styled inline, the irreversible ones in red', () => {
    // Act
    const email = KINDS[0]![1](petra);

    // Assert
    expect(email.html).toMatch(
      /<td [^>]*bgcolor="#0b5cad"[^>]*><a href="https:\/\/api\.example\/actions\/aaa" style="display:block;padding:14px 16px;color:#ffffff/,
    );
    expect(email.html).toMatch(/<a href="https:\/\/api\.example\/actions\/bbb" style="[^"]*color:#b42318/);
    expect(email.html).not.toMatch(/<style|class=/);
    expect(email.html).toContain('<meta name="viewport" content="width=device-width, initial-scale=1">');
  });

  it('the reassigned-away notice carries no action links', () => {
    // Act
    const email = reassignedAwayEmail(sla, petra, { rep: ann, newOwner: carl, now: NOW });

    // Assert
    expect(email.html).not.toContain('/actions/');
    expect(email.text).not.toContain('/actions/');
  });
});

describe('the reminders', () => {
  it('the new-SQL email says who the lead is and why they qualified, in plain words without rule ids', () => {
    // Act
    const email = KINDS[0]![1](petra);

    // Assert
    expect(email.to).toEqual(['ann@kessler.example']);
    expect(email.tags).toEqual({ kind: 'sql-assigned', leadId: 'lead_0123456789abcdefgh' });
    for (const expected of [
      'Brauhaus Werke',
      'Plant Manager',
      '+49 (89) 123-456',
      'petra.schneider@brauhaus.example',
      'Germany (DE)',
      'Plant Manager at Brauhaus Werke in Germany, asked for a demo.',
      'Score',
      '135',
    ]) {
      expect(email.text).toContain(expected);
      expect(email.html).toContain(escapeHtml(expected));
    }
    for (const ruleId of ['engagement.', 'negative.', 'leadType.', 'icp.', 'free-mail domain']) {
      expect(email.text).not.toContain(ruleId);
      expect(email.html).not.toContain(ruleId);
    }
    expect(email.text).toContain('    > Two lines to replace.\n    > Demo please.');
    expect(email.html).toContain('href="tel:+4989123456"');
    expect(email.html).toContain('href="mailto:petra.schneider@brauhaus.example"');
  });

  /** the reminders that ask the reader to contact the lead (a first touch, an attempt) */
  const ASKS_FOR_CONTACT: [string, Make][] = [
    ...KINDS.filter(([kind]) =>
      ['sqlAssigned', 'attemptDue', 'firstTouchOverdue', 'managerEscalation', 'reassignedToYou'].includes(
        kind,
      ),
    ),
    [
      "managerEscalation (the owner's copy)",
      (lead) =>
        managerEscalationEmail(sla, lead, {
          manager: mia,
          owner: ann,
          ownersCopy: true,
          dueAt: DUE,
          overdueBusinessHours: 2,
          actionLinks: LINKS,
          now: NOW,
        }),
    ],
  ];

  it.each(ASKS_FOR_CONTACT)(
    '%s: how to reach the lead (a call link, a mail link) comes under the headline, before the outcome buttons',
    (_kind, make) => {
      // Act
      const email = make(petra);

      // Assert: the rep calls first and logs after; each link once, so the rep never wonders which to tap
      const firstButton = email.html.indexOf('https://api.example/actions/');
      expect(email.html.indexOf('href="tel:+4989123456"')).toBeGreaterThan(email.html.indexOf('</h1>'));
      expect(email.html.indexOf('href="tel:+4989123456"')).toBeLessThan(firstButton);
      expect(email.html.indexOf('href="mailto:petra.schneider@brauhaus.example"')).toBeLessThan(firstButton);
      expect(email.html.match(/href="tel:/g)).toHaveLength(1);
      expect(email.html.match(/href="mailto:/g)).toHaveLength(1);
      const text = email.text.indexOf('https://api.example/actions/');
      expect(email.text.indexOf('+49 (89) 123-456')).toBeLessThan(text);
      expect(email.text.indexOf('petra.schneider@brauhaus.example')).toBeLessThan(text);
    },
  );

  it.each(ASKS_FOR_CONTACT)(
    '%s to a lead who gave no phone: says so, and offers the email',
    (_kind, make) => {
      // Arrange
      const { phone: _phone, ...fields } = petra.fields;

      // Act
      const email = make({ ...petra, fields });

      // Assert
      const firstButton = email.html.indexOf('https://api.example/actions/');
      const said = email.html.indexOf(
        'No phone given: write to</span> <a href="mailto:petra.schneider@brauhaus.example"',
      );
      expect(said).toBeGreaterThan(-1);
      expect(said).toBeLessThan(firstButton);
      expect(email.html).not.toContain('href="tel:');
      expect(email.text).toContain('No phone given: write to petra.schneider@brauhaus.example');
    },
  );

  it('a phone the form gave that did not read as one is still in the email, as given, with its call link', () => {
    // Arrange: "Mobil" after the number: kept in fieldIssues, not in fields (form-values.ts)
    const { phone: _read, ...fields } = petra.fields;
    const messy: EmailLead = {
      ...petra,
      fields,
      fieldIssues: [{ field: 'phone', value: '+49 171 2345678 Mobil', message: 'a phone number' }],
    };

    // Act
    const email = KINDS[0]![1](messy);

    // Assert
    expect(email.text).toContain('+49 171 2345678 Mobil');
    expect(email.html).toContain('href="tel:+491712345678"');
  });

  it.each([
    // an extension glued onto the number dials another line (Berlin numbers vary in length)
    ['+49 30 1234567 ext 89', '+49301234567', '+49 30 1234567'],
    ['+1 (415) 555-0100 x 12', '+14155550100', '+1 (415) 555-0100'],
    // a phone the form could not read: one number, letters around it, linked alone
    ['Mobil: +49 171 2345678', '+491712345678', '+49 171 2345678'],
    // the national trunk "(0)" after a country code is not dialled from abroad (+49 030 is no number)
    ['+49 (0)30 1234567', '+49301234567', '+49 (0)30 1234567'],
    // the same after the international prefix 00 (0049 030 is no number either)
    ['0049 (0)30 1234567', '0049301234567', '0049 (0)30 1234567'],
    ['0041 (0)44 668 18 00', '0041446681800', '0041 (0)44 668 18 00'],
    // a space after the "+" (the form reads it as a phone): the plus is the number's, dialled with it
    ['+ 49 30 1234567', '+49301234567', '+ 49 30 1234567'],
  ])('the call link of %s dials exactly the number it shows', (given, tel, shown) => {
    // Arrange
    const read = /^\+?[0-9 ().\-/]+(?:\s*(?:ext|x)\s*\d+)?$/.test(given);
    const { phone: _phone, ...fields } = petra.fields;
    const lead: EmailLead = read
      ? { ...petra, fields: { ...fields, phone: given } }
      : { ...petra, fields, fieldIssues: [{ field: 'phone', value: given, message: 'a phone number' }] };

    // Act
    const email = KINDS[0]![1](lead);

    // Assert: one call link, its text the number it dials; the rest of what was given beside it
    const links = [...email.html.matchAll(/<a href="tel:([^"]*)"[^>]*>([^<]*)<\/a>/g)];
    expect(links.map(([, href, text]) => [href, text])).toEqual([[tel, shown]]);
    expect(email.text).toContain(given);
  });

  it.each([
    // lookalike digits (fullwidth, mathematical, Arabic-Indic) are shown but never dialled
    ['+49 171 2345678 or +１ ９００ ５５５ ０１９９'],
    ['+1 415 555 𝟎𝟏𝟎𝟎'],
    ['+1 415 555 0100 / +44 20 7946 0999'],
    // a letter that looks like a digit, glued to the number
    ['+49 171 234567З'],
    ['+49 171 234567O'],
    // direction marks reorder the groups of a number in the text, not in the link
    ['+1 555 \u200f0100 \u200f9999'],
    ['+٩٦٦ ٥٠ ١٢٣ ٤٥٦٧'],
    // a vanity number: its letters are digits on a keypad, so the digits alone dial a shorter, other number
    ['+1 800 FLOWERS'],
    ['1 800 GOT JUNK'],
  ])(
    'a phone the form could not read whose digits a link would not dial as shown (%s): as given, no call link',
    (given) => {
      // Arrange
      const { phone: _phone, ...fields } = petra.fields;
      const lead: EmailLead = {
        ...petra,
        fields,
        fieldIssues: [{ field: 'phone', value: given, message: 'a phone number' }],
      };

      // Act
      const email = KINDS[0]![1](lead);

      // Assert
      expect(email.html).not.toContain('href="tel:');
      expect(email.html).toContain(escapeHtml(given));
      expect(email.text).toContain(given);
    },
  );

  it('the escalation goes to the manager alone: the owner gets a copy of their own', () => {
    // Act
    const email = KINDS[3]![1](petra);

    // Assert
    expect(email.to).toEqual(['mia@kessler.example']);
    expect(email.cc).toBeUndefined();
    expect(email.text).toContain(
      'No first touch by Ann Berg: overdue by 2 business hours (due by Tue 13 Jan 2026, 14:00 CET)',
    );
  });

  it("the owner's copy of the escalation goes to the owner, says the manager was told, and its links are the owner's", () => {
    // Act
    const email = managerEscalationEmail(sla, petra, {
      manager: mia,
      owner: ann,
      ownersCopy: true,
      dueAt: DUE,
      overdueBusinessHours: 2,
      actionLinks: LINKS,
      now: NOW,
    });

    // Assert
    expect([email.to, email.cc, email.tags.kind]).toEqual([
      ['ann@kessler.example'],
      undefined,
      'manager-escalation-copy',
    ]);
    expect(email.text).toContain('escalates this lead to Mia Manager; this is your copy.');
    expect(email.text).toContain('Log the outcome of your first touch');
  });

  it.each([
    ["the manager's", false, 'Over to you: ', 'Over to you: Petra'],
    // "Over to you" on the owner's copy read as the lead being theirs outright (a trial)
    ["the owner's copy", true, 'Over to Mia Manager: ', 'Over to Mia Manager: Petra'],
  ])('the takeover: %s says whose decision it is', (_copy, ownersCopy, subject, heading) => {
    // Act
    const email = managerTakeoverEmail(sla, petra, {
      manager: mia,
      owner: ann,
      ...(ownersCopy ? { ownersCopy: true } : {}),
      headline: 'no first touch after 3 reps',
      why: 'reassigned twice without a first touch',
      owners: ['Ann Berg'],
      actionLinks: LINKS,
      now: NOW,
    });

    // Assert
    expect(email.subject.startsWith(subject)).toBe(true);
    expect(email.text).toContain(heading);
  });

  it('the stale-deal email counts whole days in the stage, from the given stage and time when passed', () => {
    // Act
    const email = staleDealEmail(sla, petra, {
      rep: ann,
      actionLinks: [],
      now: NOW,
      stage: { id: 'on-hold', name: 'On hold' },
      since: new Date('2025-12-13T08:30:00Z'),
    });

    // Assert
    expect(email.subject).toBe('Stale deal: Petra Schneider (Brauhaus Werke) - On hold for 31 days');
  });

  it("the decide reminder says when the rep connected and how long ago, by the SLA's names; from the second on the manager is named", () => {
    // Act
    const first = decideDueEmail(sla, petra, { rep: ann, ...DECIDE, n: 1, actionLinks: LINKS, now: NOW });
    const second = decideDueEmail(sla, petra, {
      rep: ann,
      copied: mia,
      ...DECIDE,
      actionLinks: LINKS,
      now: NOW,
    });

    // Assert
    expect(first.to).toEqual(['ann@kessler.example']);
    expect(first.tags).toEqual({ kind: 'decide-due', leadId: 'lead_0123456789abcdefgh' });
    expect(first.text).toContain(
      'You connected with Petra Schneider (Brauhaus Werke) on Tue 6 Jan 2026, 09:00 CET, 5 business days ago; no deal yet.',
    );
    expect(first.text).toContain('From the next reminder on, your manager gets a copy.');
    expect(second.text).toContain('10 business days ago; no deal yet.');
    expect(second.text).toContain('Mia Manager, your manager, gets a copy of this reminder.');
  });

  it("the manager's copy goes to the manager and says whose lead it is", () => {
    // Act
    const email = decideDueEmail(sla, petra, {
      rep: ann,
      manager: mia,
      ...DECIDE,
      actionLinks: LINKS,
      now: NOW,
    });

    // Assert
    expect([email.to, email.cc, email.tags.kind]).toEqual([
      ['mia@kessler.example'],
      undefined,
      'decide-due-manager',
    ]);
    expect(email.text).toContain("Mia Manager, this is Ann Berg's lead.");
    expect(email.text).toContain(
      'Ann Berg connected with Petra Schneider (Brauhaus Werke) on Tue 6 Jan 2026, 09:00 CET, 10 business days ago; no deal yet.',
    );
  });

  it('a lead handed to its owner after the connect: the owner has had it since then', () => {
    // Act
    const email = decideDueEmail(sla, petra, {
      rep: ann,
      ...DECIDE,
      since: new Date('2026-01-08T08:00:00Z'),
      n: 1,
      actionLinks: LINKS,
      now: NOW,
    });

    // Assert
    expect(email.text).toContain(
      'Petra Schneider (Brauhaus Werke) was connected on Tue 6 Jan 2026, 09:00 CET; you have had the lead for 5 business days; no deal yet.',
    );
  });

  it('a stale-deal email for a lead without a deal is a programming error', () => {
    expect(() =>
      staleDealEmail(sla, { ...petra, deal: undefined }, { rep: ann, actionLinks: [], now: NOW }),
    ).toThrow(/no deal/);
  });
});

describe('nurture', () => {
  it('fills the variables: plain in text, escaped in HTML, with an unsubscribe footer and headers', () => {
    // Act
    const email = nurtureEmail(sla, hostile, { template: rich, unsubscribeUrl: `${UNSUBSCRIBE}?x=1&y=2` });

    // Assert
    expect(email.to).toEqual(['petra.schneider@brauhaus.example']);
    expect(email.subject).toBe('For "Bob & Sons"');
    expect(email.text).toMatch(
      /^Hello <script>alert\(1\)<\/script>\n\n--\nYou get this email from Kessler Industrial/,
    );
    // the HTML template places the unsubscribe link; the text part gets the footer's, once
    expect(email.text.match(/Unsubscribe/g)).toHaveLength(1);
    expect(email.text).toContain(`Unsubscribe: ${UNSUBSCRIBE}?x=1&y=2`);
    // triple braces are escaped too: nothing is ever inserted raw
    expect(email.html).toContain(
      '<p>Hello <b>&lt;script&gt;alert(1)&lt;/script&gt;</b> (Maintenance engineer)</p>',
    );
    expect(email.html).toContain(`<a href="${UNSUBSCRIBE}?x=1&amp;y=2">Unsubscribe</a>`);
    expect(email.html.match(/\?x=1&amp;y=2/g)).toHaveLength(1);
    expect(email.html.match(/Unsubscribe/g)).toHaveLength(1);
    expect(email.headers).toEqual({
      'List-Unsubscribe': `<${UNSUBSCRIBE}?x=1&y=2>`,
      'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
    });
    expect(email.tags).toEqual({ kind: 'nurture', leadId: 'lead_0123456789abcdefgh', template: 'rich' });
  });

  it("makes HTML from a text template: paragraphs, the author's URLs and the unsubscribe URL as links", () => {
    // Act
    const email = nurtureEmail(
      sla,
      { ...petra, fields: { ...petra.fields, company: 'https://evil.example' } },
      {
        template: welcome,
        unsubscribeUrl: UNSUBSCRIBE,
      },
    );

    // Assert
    expect(email.html).toContain('<p style="margin:0 0 16px">Hello Petra,</p>');
    // the author's URL shows as its host and path, never the whole address
    expect(email.html).toContain(
      '<a href="https://kessler.example/guide?a=1&amp;b=2" style="color:#0b5cad;word-break:break-word">kessler.example/guide</a>.',
    );
    // "Unsubscribe: {{unsubscribeUrl}}" is one "Unsubscribe" link, and the footer has none
    expect(email.html).toContain(
      `<p style="margin:0 0 16px"><a href="${UNSUBSCRIBE}" style="color:#0b5cad;word-break:break-word">Unsubscribe</a></p>`,
    );
    expect(email.html.match(/Unsubscribe/g)).toHaveLength(1);
    expect(email.html).not.toContain(`>${UNSUBSCRIBE}<`);
    // a URL in the lead's own data stays text
    expect(email.subject).toBe('Petra, a guide for https://evil.example');
    expect(email.html).not.toContain('href="https://evil.example"');
  });

  it('leaves a missing value empty and an unknown variable as written', () => {
    // Arrange
    const template: Template = {
      id: 't',
      locales: {},
      subject: 'Hi {{firstName}}{{nickname}}',
      text: 'Dear {{jobTitle}}.',
    };

    // Act
    const email = nurtureEmail(
      sla,
      { email: 'x@example.com', fields: {} },
      { template, unsubscribeUrl: UNSUBSCRIBE },
    );

    // Assert
    expect(email.subject).toBe('Hi {{nickname}}');
    expect(email.text).toMatch(/^Dear\./);
  });

  it.each<[string, string, string]>([
    ['no first name: no "Hello ,"', 'Hello {{firstName}},\n\nBody.', 'Hello,\n\nBody.'],
    ['Arabic comma', 'مرحبًا {{firstName}}،\n\nنص.', 'مرحبًا،\n\nنص.'],
    ['an empty value in the middle leaves one space, not two', 'For {{company}} and you.', 'For and you.'],
    [
      "YAML's wrapping is joined, paragraphs kept",
      'One line\nwraps here.\n\nSecond\nparagraph.',
      'One line wraps here.\n\nSecond paragraph.',
    ],
    ['list items keep their breaks', 'Steps:\n- one\n- two', 'Steps:\n- one\n- two'],
  ])('text templates read right: %s', (_what, text, expected) => {
    // Arrange
    const template: Template = { id: 't', locales: {}, subject: 'S', text };

    // Act
    const email = nurtureEmail(
      sla,
      { email: 'x@example.com', fields: {} },
      { template, unsubscribeUrl: UNSUBSCRIBE },
    );

    // Assert
    expect(email.text.split('\n\n--\n')[0]).toBe(expected);
    expect(email.html).not.toMatch(/\s,/);
  });

  it('refuses a lead without an email address (erased)', () => {
    expect(() =>
      nurtureEmail(sla, { fields: {} }, { template: welcome, unsubscribeUrl: UNSUBSCRIBE }),
    ).toThrow(/no email address/);
  });
});

describe("the industry in a rep's 'why', in the rep's language", () => {
  /** the SLA above with Arabic, Ann reading Arabic, and names for some industry values (fieldValues) */
  const arabic = (fieldValues?: Sla['fieldValues']): Sla => ({
    ...sla,
    locales: { default: 'en', supported: ['en', 'ar'] },
    routing: { ...sla.routing, reps: [{ ...ann, locale: 'ar' }, carl] },
    ...(fieldValues ? { fieldValues } : {}),
  });
  const NAMED: Sla['fieldValues'] = {
    industry: {
      'food-and-beverage': { name: 'food and beverage', names: { ar: 'الأغذية والمشروبات' } },
      chemicals: { name: 'chemical' },
    },
  };
  const working = (industry: string): EmailLead => ({
    ...petra,
    fields: { ...petra.fields, jobTitle: 'مدير المصنع', employees: 850, industry },
  });
  const why = (target: Sla, rep: Rep, lead: EmailLead) =>
    sqlAssignedEmail(target, lead, { rep, dueAt: DUE, reasons: REASONS, actionLinks: LINKS, now: NOW }).text;

  it.each<[string, Sla['fieldValues'] | undefined, string, string]>([
    [
      'the SLA names the value in Arabic: that name',
      NAMED,
      'food-and-beverage',
      'مدير المصنع في شركة من قطاع الأغذية والمشروبات تضم 850 موظفًا في ألمانيا، طلب عرضًا توضيحيًا.',
    ],
    [
      'the value matched as conditions match it (case, spaces)',
      NAMED,
      ' Food-And-Beverage ',
      'مدير المصنع في شركة من قطاع الأغذية والمشروبات تضم 850 موظفًا في ألمانيا، طلب عرضًا توضيحيًا.',
    ],
    [
      'named in English only: left out, not an English word in an Arabic sentence',
      NAMED,
      'chemicals',
      'مدير المصنع في Brauhaus Werke تضم 850 موظفًا في ألمانيا، طلب عرضًا توضيحيًا.',
    ],
    [
      'no name at all (an SLA without fieldValues): left out',
      undefined,
      'food-and-beverage',
      'مدير المصنع في Brauhaus Werke تضم 850 موظفًا في ألمانيا، طلب عرضًا توضيحيًا.',
    ],
    [
      'an Arabic value the form posted (free text): as written',
      undefined,
      'صناعات غذائية',
      'مدير المصنع في شركة من قطاع صناعات غذائية تضم 850 موظفًا في ألمانيا، طلب عرضًا توضيحيًا.',
    ],
  ])('%s', (_case, fieldValues, industry, sentence) => {
    // Act
    const text = why(arabic(fieldValues), { ...ann, locale: 'ar' }, working(industry));

    // Assert
    expect(text).toContain(sentence);
  });

  it.each<[string, Sla['fieldValues'] | undefined, string, string]>([
    [
      'no name: the value with its dashes as spaces, as before',
      undefined,
      'food-and-beverage',
      'food and beverage',
    ],
    ['named: the SLA’s name', NAMED, 'chemicals', 'chemical'],
    ['an Arabic value: left out of the English sentence', undefined, 'صناعات غذائية', ''],
  ])('an English reader: %s', (_case, fieldValues, industry, words) => {
    // Act
    const text = why(arabic(fieldValues), carl, working(industry));

    // Assert
    expect(text).toContain(
      words
        ? `مدير المصنع at a ${words} company of 850 people in Germany, asked for a demo.`
        : 'مدير المصنع at Brauhaus Werke of 850 people in Germany, asked for a demo.',
    );
  });
});

describe("a journey stage of the SLA's own in the rep's language", () => {
  /** three stages of the team's own: LeadPact ships names for awareness, consideration and decision only */
  const own = (namesByLocale?: Sla['journey']['namesByLocale']): Sla => ({
    ...sla,
    locales: { default: 'en', supported: ['en', 'ar'] },
    journey: {
      stages: ['research', 'evaluation', 'decision'],
      signals: [],
      namesByLocale: namesByLocale ?? {},
    },
  });
  const evaluating: EmailLead = { ...petra, journeyStage: 'evaluation' };
  const rowOf = (target: Sla, rep: Rep) =>
    sqlAssignedEmail(target, evaluating, { rep, dueAt: DUE, reasons: [], actionLinks: [], now: NOW })
      .text.split('\n')
      .find((line) => /Journey stage|مرحلة رحلة المشتري/.test(line));

  it.each<[string, Sla['journey']['namesByLocale'] | undefined, 'ar' | 'en', RegExp]>([
    ['named in Arabic: that name', { ar: { evaluation: 'التقييم' } }, 'ar', /مرحلة رحلة المشتري: +التقييم$/],
    ['English: the id as words, as before', undefined, 'en', /Journey stage: +Evaluation$/],
  ])('%s', (_case, namesByLocale, locale, row) => {
    // Act
    const line = rowOf(own(namesByLocale), { ...ann, locale });

    // Assert
    expect(line).toMatch(row);
  });

  it('not named in Arabic: the row is left out, not the English id in an Arabic email', () => {
    // Act
    const line = rowOf(own(), { ...ann, locale: 'ar' });

    // Assert
    expect(line).toBeUndefined();
  });

  it('not named in Arabic: a nurture email that names the stage mid-sentence reads with one space, not two', () => {
    // Arrange: an Arabic lead in the team's own stage, a template that names the stage inside its sentences
    const template: Template = {
      id: 'stage',
      locales: {
        ar: {
          subject: 'دليلك في مرحلة {{journeyStage}} من رحلتك',
          text: 'مرحبًا {{firstName}}،\n\nأنت الآن في مرحلة {{journeyStage}} من رحلة الشراء.\nإليك دليلًا.',
        },
      },
      subject: 'Your {{journeyStage}} guide',
      text: 'Hello {{firstName}},\n\nYou are in the {{journeyStage}} stage.',
    };
    const lead: EmailLead = {
      ...evaluating,
      fields: { ...evaluating.fields, firstName: 'فاطمة', locale: 'ar' },
    };

    // Act
    const email = nurtureEmail(own(), lead, { template, unsubscribeUrl: UNSUBSCRIBE });

    // Assert
    expect(email.subject).toBe('دليلك في مرحلة من رحلتك');
    expect(email.text).toContain('أنت الآن في مرحلة من رحلة الشراء. إليك دليلًا.');
    expect(email.html).toContain('أنت الآن في مرحلة من رحلة الشراء. إليك دليلًا.');
    for (const part of [email.subject, email.text, email.html]) expect(part).not.toMatch(/[^\s] {2,}[^\s]/);
  });
});

describe('an Arabic lead in an English email is marked Arabic for a screen reader (WCAG 3.1.2)', () => {
  // Arrange: an English rep's "New SQL" email about a lead who wrote in Arabic
  const omar: EmailLead = {
    ...petra,
    fields: {
      firstName: 'عمر',
      lastName: 'حداد',
      company: 'شركة النيل للأغذية',
      jobTitle: 'مدير المصنع',
      country: 'DE',
      message: 'نستبدل خطّي ضواغط في الربع الثاني.',
    },
  };

  it('its name, company and message carry lang="ar"; Latin words claim no language', () => {
    // Act
    const email = sqlAssignedEmail(sla, omar, {
      rep: ann,
      dueAt: DUE,
      reasons: REASONS,
      actionLinks: LINKS,
      now: NOW,
    });
    const english = sqlAssignedEmail(sla, petra, {
      rep: ann,
      dueAt: DUE,
      reasons: REASONS,
      actionLinks: LINKS,
      now: NOW,
    });

    // Assert: before, every one of them read with the email's English voice
    expect(email.html).toMatch(/<html lang="en"/);
    expect(email.html).toContain('<bdi dir="auto" lang="ar">شركة النيل للأغذية</bdi>');
    expect(email.html).toContain('<bdi dir="auto" lang="ar">مدير المصنع</bdi>');
    expect(email.html).toMatch(/<div dir="auto" lang="ar"[^>]*>نستبدل خطّي/);
    // "why they qualified", an English sentence quoting the Arabic job title: that run alone is Arabic
    expect(email.html).toContain('<bdi lang="ar">مدير المصنع</bdi>');
    expect(english.html).not.toContain('lang="ar"');
  });
});

describe("the first-touch ladder's emails say when the lead is reassigned, in the reader's zone and language", () => {
  const readers: Sla = { ...sla, locales: { default: 'en', supported: ['en', 'ar', 'de'] } };
  const reading = (rep: Rep, locale: string): Rep => ({ ...rep, locale });
  /** the ladder's next rungs after the reminder at DUE (14:00 CET): the manager 16:00 CET, the reassignment 17:00 CET */
  const MANAGER_AT = new Date('2026-01-13T15:00:00Z');
  const REASSIGN_AT = new Date('2026-01-13T16:00:00Z');
  const overdue = (rep: Rep, ahead: { managerToldAt?: Date; reassignedAt?: Date } | undefined) =>
    firstTouchOverdueEmail(readers, petra, {
      rep,
      dueAt: DUE,
      overdueBusinessHours: 0,
      ...(ahead ? { ahead } : {}),
      actionLinks: LINKS,
      now: DUE,
    });
  const escalation = (owner: Rep, manager: Rep | typeof mia, ownersCopy: boolean, reassignedAt?: Date) =>
    managerEscalationEmail(readers, petra, {
      manager,
      owner,
      ownersCopy,
      dueAt: DUE,
      overdueBusinessHours: 2,
      ...(reassignedAt ? { reassignedAt } : {}),
      actionLinks: LINKS,
      now: MANAGER_AT,
    });

  it.each<[string, () => RenderedEmail, string]>([
    [
      'the reminder, in English in Berlin: the manager, then the reassignment',
      () => overdue(ann, { managerToldAt: MANAGER_AT, reassignedAt: REASSIGN_AT }),
      'If no first touch is logged, your manager is told at Tue 13 Jan 2026, 16:00 CET and the lead is reassigned to the next rep at Tue 13 Jan 2026, 17:00 CET.',
    ],
    [
      'the reminder, in English in Chicago: the reassignment only (no manager rung left)',
      () => overdue(carl, { reassignedAt: REASSIGN_AT }),
      'The lead is reassigned to the next rep at Tue 13 Jan 2026, 10:00 CST if no first touch is logged by then.',
    ],
    [
      'the reminder, in Arabic',
      () => overdue(reading(ann, 'ar'), { reassignedAt: REASSIGN_AT }),
      'يُعاد إسناد العميل إلى المندوب التالي في الثلاثاء، 13 يناير 2026 في 17:00 غرينتش+1 إن لم يُسجَّل أول تواصل حتى ذلك الحين.',
    ],
    [
      'the reminder, in German',
      () => overdue(reading(ann, 'de'), { managerToldAt: MANAGER_AT, reassignedAt: REASSIGN_AT }),
      'Ohne erfassten Erstkontakt wird Ihre Führungskraft am Di., 13. Jan. 2026, 16:00 MEZ informiert, und der Lead geht am Di., 13. Jan. 2026, 17:00 MEZ an die nächste Person der Queue.',
    ],
    [
      "the manager's escalation, in the manager's zone (the calendar's: Mia has none of her own), not the owner's",
      () => escalation(carl, mia, false, REASSIGN_AT),
      'The lead is reassigned to the next rep at Tue 13 Jan 2026, 17:00 CET if no first touch is logged by then.',
    ],
    [
      "the manager's escalation, in German",
      () => escalation(ann, { ...mia, locale: 'de' }, false, REASSIGN_AT),
      'Der Lead geht am Di., 13. Jan. 2026, 17:00 MEZ an die nächste Person der Queue, wenn bis dahin kein Erstkontakt erfasst ist.',
    ],
    [
      "the owner's copy, in English",
      () => escalation(ann, mia, true, REASSIGN_AT),
      'The lead is reassigned to the next rep at Tue 13 Jan 2026, 17:00 CET if no first touch is logged by then.',
    ],
    [
      "the owner's copy, in Arabic",
      () => escalation(reading(ann, 'ar'), mia, true, REASSIGN_AT),
      'يُعاد إسناد العميل إلى المندوب التالي في الثلاثاء، 13 يناير 2026 في 17:00 غرينتش+1 إن لم يُسجَّل أول تواصل حتى ذلك الحين.',
    ],
  ])('%s', (_case, make, expected) => {
    // Act
    const email = make();

    // Assert: the time the workflow reassigns, in both parts, above the buttons
    expect(email.text).toContain(expected);
    expect(email.html).toContain(escapeHtml(expected));
    expect(email.html.indexOf(escapeHtml(expected))).toBeLessThan(
      email.html.indexOf('https://api.example/actions/'),
    );
  });

  /** a reassignment, in the words of each language */
  const REASSIGNS = /reassign|nächste Person|zugewiesen|إسناد/i;

  it.each<[string, () => RenderedEmail]>([
    ['the reminder, the ladder done (nothing ahead)', () => overdue(ann, {})],
    ['the reminder, from an entry claimed before the times were kept', () => overdue(ann, undefined)],
    [
      'the reminder, maxReassignments reached (the manager only)',
      () => overdue(ann, { managerToldAt: MANAGER_AT }),
    ],
    [
      'the reminder in German, no reassign rung',
      () => overdue(reading(ann, 'de'), { managerToldAt: MANAGER_AT }),
    ],
    ['the reminder in Arabic, no reassign rung', () => overdue(reading(ann, 'ar'), {})],
    ["the manager's escalation, no reassignment left", () => escalation(ann, mia, false)],
    ["the owner's copy in Arabic, no reassignment left", () => escalation(reading(ann, 'ar'), mia, true)],
  ])('%s: says nothing of a reassignment', (_case, make) => {
    // Act
    const email = make();

    // Assert
    expect(email.text).not.toMatch(REASSIGNS);
    expect(email.html).not.toMatch(REASSIGNS);
  });
});
