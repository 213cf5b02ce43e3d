/**
 * The escalation ladder's emails in their reader's language, the workflow's reasons included: a lead
 * nobody touches climbs the ladder (reminder, manager, reassignment, ... the manager's takeover) through
 * the real wake and park (tasks/advance.ts, tasks/park.ts), the outbox and the EmailNotifier, with an
 * Arabic-speaking team. The reasons the workflow records ("the first touch was 4 business hours
 * overdue", "no first touch after 3 reps") reach each email as data and are written in its language.
 */
import { describe, expect, it } from 'vitest';
import { MemoryLeadStore } from '../../lambdas/adapters/memory-lead-store.ts';
import type { EmailMessage } from '../../lambdas/domain/email-templates.ts';
import type { Sla } from '../../lambdas/domain/sla-schema.ts';
import { advance } from '../../lambdas/tasks/advance.ts';
import { EmailNotifier } from '../../lambdas/tasks/email-notifier.ts';
import { park } from '../../lambdas/tasks/park.ts';
import { FIXTURE_LEAD_ID, handedOff } from '../support/lead-state.ts';
import { parkInputOf } from '../support/park-input.ts';
import { loadDefaultSla } from '../support/sla.ts';

/** handed to Jonas on Monday 09:00 Berlin */
const HANDED = '2026-11-30T08:00:00.000Z';
const HOUR = 3_600_000;

/** English the workflow writes for ops (timeline, audit): never in an Arabic reader's email */
const ENGLISH_REASON =
  /first touch|business hours|overdue|no longer|needs an owner|reassigned|no other rep|maxReassignments|handoff\./i;

function teamIn(locale: string): Sla {
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

/** Wakes the lead every hour for two weeks (or until the takeover), delivering through the EmailNotifier. */
async function climbLadder(sla: Sla): Promise<{ kind: string; subject: string; text: string }[]> {
  const store = new MemoryLeadStore();
  // as the handoff leaves it: Jonas the owner, on the timeline since the handoff
  const lead = handedOff(HANDED, 'jonas', { leadId: FIXTURE_LEAD_ID, slaVersion: sla.version });
  await store.createLead({
    ...lead,
    timeline: [...lead.timeline, { at: HANDED, kind: 'owner', to: 'jonas', by: 'workflow', reasons: [] }],
  });
  const sent: EmailMessage[] = [];
  let at = new Date(HANDED);
  const clock = { now: () => at };
  const notifier = new EmailNotifier({
    sla,
    clock,
    publicBaseUrl: 'https://leads.kessler.example',
    actionSecret: 'secret-for-links-0123456789abcdef',
    mailer: {
      send: async (message) => {
        sent.push(message);
        return { messageId: `m-${sent.length}` };
      },
    },
  });
  const input = { leadId: FIXTURE_LEAD_ID, cycle: 1, generation: 0, loops: 0, startedAt: HANDED };
  for (let hour = 1; hour <= 14 * 24; hour++) {
    at = new Date(Date.parse(HANDED) + hour * HOUR);
    const step = await advance({ sla, store, clock, notifier }, input);
    // the park writes the wake's change and sends what it claimed (ADR 0025)
    await park({ sla, store, clock, notifier }, parkInputOf(step, 'token'));
    if (sent.some((message) => message.tags?.kind === 'manager-takeover')) break;
  }
  return sent.map((message) => ({
    kind: message.tags?.kind ?? '',
    subject: message.subject,
    text: message.text,
  }));
}

describe("the escalation ladder's reasons in the reader's language", () => {
  it('an Arabic-speaking team reads why a lead was reassigned and handed to the manager in Arabic', async () => {
    // Act
    const emails = await climbLadder(teamIn('ar'));

    // Assert
    const kinds = new Set(emails.map((email) => email.kind));
    expect(kinds).toContain('reassigned-to-you');
    expect(kinds).toContain('reassigned-away');
    expect(kinds).toContain('manager-takeover');
    for (const email of emails.filter(
      (e) => e.kind.startsWith('reassigned') || e.kind === 'manager-takeover',
    )) {
      expect(`${email.subject}\n${email.text}`, email.kind).not.toMatch(ENGLISH_REASON);
    }
    const takeover = emails.find((email) => email.kind === 'manager-takeover')!;
    expect(takeover.subject).toMatch(/لا تواصل أول بعد [3٣] مندوبين/);
    expect(takeover.text).toContain('أُعيد إسناده مرتين دون أول تواصل، وهو أقصى ما تسمح به الاتفاقية');
    const reassigned = emails.find((email) => email.kind === 'reassigned-to-you')!;
    expect(reassigned.text).toMatch(/تجاوز أول تواصل موعده بـ.*ساع/);
  });

  it('an English-speaking team reads the same reasons in English, without rule ids', async () => {
    // Act
    const emails = await climbLadder(teamIn('en'));

    // Assert
    const takeover = emails.find((email) => email.kind === 'manager-takeover')!;
    expect(takeover.subject).toContain('no first touch after 3 reps');
    expect(takeover.text).toContain(
      'it was reassigned 2 times without a first touch, the most the SLA allows',
    );
    expect(takeover.text).not.toContain('maxReassignments');
    const reassigned = emails.find((email) => email.kind === 'reassigned-to-you')!;
    expect(reassigned.text).toMatch(/the first touch was [\d.]+ business hours overdue/);
  });
});

describe("a cadence step's note in the reader's language", () => {
  /** the worked example's standard cadence, each step's note in Arabic too */
  function withArabicNote(locale: string): Sla {
    const sla = teamIn(locale);
    return {
      ...sla,
      contact: {
        ...sla.contact,
        cadences: sla.contact.cadences.map((cadence) =>
          cadence.id === 'standard'
            ? {
                ...cadence,
                steps: cadence.steps.map((step) => ({
                  ...step,
                  note: 'Call now.',
                  notes: { ar: 'اتصل الآن.' },
                })),
              }
            : cadence,
        ),
      },
    };
  }

  it.each([
    ['ar', 'اتصل الآن.', 'Call now.'],
    ['en', 'Call now.', 'اتصل الآن.'],
  ])('a rep reading %s gets the note in it (steps[].notes, else note)', async (locale, wanted, other) => {
    // Act
    const emails = await climbLadder(withArabicNote(locale));

    // Assert: the first attempt reminder
    const attempt = emails.find((email) => email.kind === 'attempt-due')!;
    expect(attempt).toBeDefined();
    expect(attempt.text).toContain(wanted);
    expect(attempt.text).not.toContain(other);
  });
});
