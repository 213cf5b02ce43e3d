/**
 * A reminder's outcome links offer only the outcomes the rep can have for the attempt, by the SLA's
 * `outcomes[].channels` (ADR 0087). A verification trial: a lead who gave no phone got "Left voicemail" (and "Wrong
 * number") under "No phone given: write to ...", so a rep on a phone tapped it and the lead's story recorded a
 * voicemail nobody could leave.
 *
 * Wiring: the real EmailNotifier renders and signs; the Mailer port keeps the messages in memory; each outcome link
 * is verified with the same secret (action-links.ts verifyActionToken), as the action route does.
 */
import { describe, expect, it } from 'vitest';
import { verifyActionToken } from '../../lambdas/domain/action-links.ts';
import type { LeadState } from '../../lambdas/domain/lead-state.ts';
import type { EmailNotifier } from '../../lambdas/tasks/email-notifier.ts';
import { capturingNotifier } from '../support/capturing-notifier.ts';
import { FIXTURE_LEAD_ID, handedOff } from '../support/lead-state.ts';
import { loadDefaultSla } from '../support/sla.ts';

const SECRET = 'outcome-links-by-reach-secret-4c1e';
const HANDED = '2026-11-30T08:00:00.000Z';
const DUE = new Date('2026-11-30T12:00:00.000Z');
const NOW = new Date('2026-11-30T14:00:00.000Z');

const SLA = loadDefaultSla();
const JONAS = SLA.routing.reps.find((rep) => rep.id === 'jonas')!;
const WITH_PHONE = { phone: '+49 30 1234567' };
const NO_PHONE = {};

/** The outcome ids of the links of the one email `send` makes, in the email's order. */
async function outcomesOffered(send: (notifier: EmailNotifier) => Promise<void>): Promise<string[]> {
  const { notifier, messages } = capturingNotifier(SLA, { now: NOW, actionSecret: SECRET });
  await send(notifier);
  expect(messages).toHaveLength(1);
  return [...messages[0]!.text.matchAll(/https:\/\/leads\.kessler\.example\/actions\/([A-Za-z0-9_.-]+)/g)]
    .map(([, token]) => verifyActionToken(token!, SECRET, NOW))
    .flatMap((verified) =>
      verified.ok && verified.payload.action === 'outcome' ? [verified.payload.value] : [],
    );
}

const callStep3 = (lead: LeadState) => (n: EmailNotifier) =>
  n.attemptDue(lead, JONAS, { step: 3, of: 6, dueAt: DUE, channel: 'phone' });
const emailStep2 = (lead: LeadState) => (n: EmailNotifier) =>
  n.attemptDue(lead, JONAS, { step: 2, of: 6, dueAt: DUE, channel: 'email' });
const newSql = (lead: LeadState) => (n: EmailNotifier) => n.sqlAssigned(lead, JONAS, DUE, []);

describe("the outcomes a reminder's links offer", () => {
  // biome-ignore format: one row per email reads as a table
  it.each([
    ['a call step, the lead gave a phone: the call outcomes too', callStep3, WITH_PHONE, true],
    ['a call step, the lead gave no phone: no voicemail to leave', callStep3, NO_PHONE, false],
    ['the new SQL (a first call), the lead gave a phone', newSql, WITH_PHONE, true],
    ['the new SQL (a first call), the lead gave no phone', newSql, NO_PHONE, false],
    ['an email step, the lead gave a phone: no voicemail in an email', emailStep2, WITH_PHONE, false],
  ] as const)('%s', async (_name, email, fields, voicemail) => {
    // Arrange
    const lead = handedOff(HANDED, 'jonas', { leadId: FIXTURE_LEAD_ID, leadType: 'equipment-sales', fields });

    // Act
    const offered = await outcomesOffered(email(lead));

    // Assert: the outcomes every attempt can have stay, "Left voicemail" only where a call can be made
    expect(offered).toEqual(expect.arrayContaining(['no-answer', 'connected', 'meeting-booked', 'bad-data']));
    expect(offered.includes('voicemail')).toBe(voicemail);
  });
});
