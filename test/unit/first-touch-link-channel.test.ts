/**
 * The emails that ask for the first touch sign the channel of the cadence's step 1 into their outcome links, as an
 * attempt-due reminder signs its step's, and their links' heading names it ("Log the outcome of your first call").
 * A rep's trial on a phone: "No answer" tapped in the "New SQL" email stored an attempt with no channel, so the
 * first (most important) touch was the one attempt whose channel nobody knew.
 *
 * Wiring: the real EmailNotifier renders and signs; the Mailer port keeps the messages in memory; each outcome link
 * is verified with the same secret (action-links.ts verifyActionToken), as the action route does.
 */
import { describe, expect, it } from 'vitest';
import { verifyActionToken } from '../../lambdas/domain/action-links.ts';
import type { Channel } from '../../lambdas/domain/cadence.ts';
import type { LeadState } from '../../lambdas/domain/lead-state.ts';
import type { Sla } from '../../lambdas/domain/sla-schema.ts';
import type { EmailNotifier } from '../../lambdas/tasks/email-notifier.ts';
import { capturingNotifier } from '../support/capturing-notifier.ts';
import { FIXTURE_LEAD_ID, handedOff } from '../support/lead-state.ts';
import { loadDefaultSla } from '../support/sla.ts';

const SECRET = 'first-touch-link-channel-secret-7d2a';
/** handed to Jonas on Monday 09:00 Berlin; the first touch due by 13:00 */
const HANDED = '2026-11-30T08:00:00.000Z';
const DUE = new Date('2026-11-30T12:00:00.000Z');
const NOW = new Date('2026-11-30T14:00:00.000Z');

const SLA = loadDefaultSla();
/** the lead's phone: a first touch by phone needs one */
const PHONE = { phone: '+49 30 1234567' };
const rep = (sla: Sla, id: string) => sla.routing.reps.find((candidate) => candidate.id === id)!;
const manager = (sla: Sla, id: string) => sla.routing.managers.find((candidate) => candidate.id === id)!;

/** The worked example with its cadences' first steps made by other channels: standard by email, service by LinkedIn. */
function firstStepsBy(standard: Channel, service: Channel): Sla {
  const cadences = SLA.contact.cadences.map((cadence) => {
    const channel = { standard, service }[cadence.id];
    const [first, ...rest] = cadence.steps;
    return channel && first ? { ...cadence, steps: [{ ...first, channel }, ...rest] } : cadence;
  });
  return { ...SLA, contact: { ...SLA.contact, cadences } };
}

/** The messages `send` makes through a notifier of `sla`, with each one's outcome links' channels and heading. */
async function sent(sla: Sla, send: (notifier: EmailNotifier) => Promise<void>) {
  const { notifier, messages } = capturingNotifier(sla, { now: NOW, actionSecret: SECRET });
  await send(notifier);
  return messages.map((message) => ({
    kind: message.tags?.kind,
    text: message.text,
    channels: [...message.text.matchAll(/https:\/\/leads\.kessler\.example\/actions\/([A-Za-z0-9_.-]+)/g)]
      .map(([, token]) => verifyActionToken(token!, SECRET, NOW))
      .flatMap((verified) => (verified.ok && verified.payload.action === 'outcome' ? [verified.payload] : []))
      .map((payload) => payload.channel),
  }));
}

type Send = (sla: Sla, lead: LeadState) => (notifier: EmailNotifier) => Promise<void>;

/** Every email that asks for the first touch, by the kinds its messages are tagged with. */
// biome-ignore format: one row per email reads as a table
const FIRST_TOUCH_EMAILS: readonly [string, readonly string[], Send][] = [
  ['the new SQL', ['sql-assigned'], (sla, lead) => (n) => n.sqlAssigned(lead, rep(sla, 'jonas'), DUE, [])],
  ['the overdue first touch', ['first-touch-overdue'], (sla, lead) => (n) => n.firstTouchOverdue(lead, rep(sla, 'jonas'), DUE, 1)],
  ["the manager's escalation and the owner's copy", ['manager-escalation', 'manager-escalation-copy'], (sla, lead) => (n) => n.managerEscalation(lead, rep(sla, 'jonas'), manager(sla, 'katrin'), DUE, 2)],
  ['a reassignment with a new first-touch deadline', ['reassigned-to-you', 'reassigned-away'], (sla, lead) => (n) => n.reassigned({ ...lead, ownerId: 'lena' }, rep(sla, 'jonas'), rep(sla, 'lena'), DUE)],
  ["the manager's takeover after no first touch, and the owner's copy", ['manager-takeover', 'manager-takeover-copy'], (sla, lead) => (n) => n.managerTakeover(lead, rep(sla, 'jonas'), manager(sla, 'katrin'), { headline: 'no first touch after 3 reps', why: 'reassigned twice without a first touch', owners: ['jonas'], dueAt: DUE })],
];

describe('the outcome links of an email that asks for the first touch', () => {
  it.each(FIRST_TOUCH_EMAILS)(
    '%s: log the first touch by phone, as step 1 of the cadence says',
    async (_email, kinds, send) => {
      // Arrange: an equipment-sales lead, on the standard cadence (phone, email, phone, ...)
      const lead = handedOff(HANDED, 'jonas', {
        leadId: FIXTURE_LEAD_ID,
        leadType: 'equipment-sales',
        fields: PHONE,
      });

      // Act
      const messages = await sent(SLA, send(SLA, lead));

      // Assert: every outcome link of every message with links says phone, and its heading says a call
      expect(messages.map((message) => message.kind)).toEqual(kinds);
      const withLinks = messages.filter((message) => message.channels.length > 0);
      expect(withLinks.length).toBeGreaterThan(0);
      for (const message of withLinks) {
        expect(new Set(message.channels), message.kind).toEqual(new Set(['phone']));
        expect(message.text, message.kind).toMatch(/Log the outcome of (your|the) first call/);
      }
    },
  );

  // biome-ignore format: one row per lead type reads as a table
  it.each([
    ['an equipment-sales lead: the standard cadence starts by email', 'equipment-sales', 'email', 'first email'],
    ['a service request: its own cadence starts on LinkedIn', 'maintenance-services', 'linkedin', 'first LinkedIn message'],
  ] as const)('%s', async (_name, leadType, channel, touch) => {
    // Arrange
    const sla = firstStepsBy('email', 'linkedin');
    const lead = handedOff(HANDED, 'jonas', { leadId: FIXTURE_LEAD_ID, leadType, fields: PHONE });

    // Act
    const [newSql] = await sent(sla, (n) => n.sqlAssigned(lead, rep(sla, 'jonas'), DUE, []));

    // Assert
    expect(new Set(newSql!.channels)).toEqual(new Set([channel]));
    expect(newSql!.text).toContain(`Log the outcome of your ${touch}`);
  });

  it.each([
    [
      'a reassignment of a lead with no first-touch deadline',
      (n: EmailNotifier, lead: LeadState) =>
        n.reassigned({ ...lead, ownerId: 'lena' }, rep(SLA, 'jonas'), rep(SLA, 'lena'), undefined),
    ],
    [
      "the takeover of an absent owner's later step (no first touch due)",
      (n: EmailNotifier, lead: LeadState) =>
        n.managerTakeover(lead, rep(SLA, 'jonas'), manager(SLA, 'katrin'), {
          headline: 'the lead needs an owner',
          why: 'Jonas is away',
          owners: [],
        }),
    ],
  ])('%s: its outcome links name no step, and sign no channel', async (_name, send) => {
    // Arrange
    const lead = handedOff(HANDED, 'jonas', {
      leadId: FIXTURE_LEAD_ID,
      leadType: 'equipment-sales',
      fields: PHONE,
    });

    // Act
    const messages = await sent(SLA, (n) => send(n, lead));

    // Assert
    const channels = messages.flatMap((message) => message.channels);
    expect(channels.length).toBeGreaterThan(0);
    expect(new Set(channels)).toEqual(new Set([undefined]));
    for (const message of messages) expect(message.text).not.toContain('first call');
  });

  it('a lead who gave no phone: the first call cannot be made, the links name no channel', async () => {
    // Arrange: the standard cadence starts with a call; the lead left the phone field empty
    const lead = handedOff(HANDED, 'jonas', { leadId: FIXTURE_LEAD_ID, leadType: 'equipment-sales' });

    // Act
    const [newSql] = await sent(SLA, (n) => n.sqlAssigned(lead, rep(SLA, 'jonas'), DUE, []));

    // Assert
    expect(new Set(newSql!.channels)).toEqual(new Set([undefined]));
    expect(newSql!.text).not.toContain('first call');
    expect(newSql!.text).toContain('No phone given');
  });

  it.each([
    ['a lead with a phone: the call step signs phone', PHONE, 'phone'],
    ['a lead who gave no phone: the call step signs none', {}, undefined],
  ] as const)('a later step by phone, %s', async (_name, fields, channel) => {
    // Arrange: step 3 of the standard cadence, a call
    const lead = handedOff(HANDED, 'jonas', { leadId: FIXTURE_LEAD_ID, leadType: 'equipment-sales', fields });

    // Act
    const [reminder] = await sent(SLA, (n) =>
      n.attemptDue(lead, rep(SLA, 'jonas'), { step: 3, of: 6, dueAt: DUE, channel: 'phone' }),
    );

    // Assert
    expect(new Set(reminder!.channels)).toEqual(new Set([channel]));
  });
});
