/**
 * An attempt logged from a cadence step's reminder is made the way the step asks ("Email attempt due"), against
 * the whole local runtime: the rep's "Attempt 2/6 ... email" reminder, read from the SES emulator's inbox, its
 * "No answer" link posted as a phone posts it; the attempt stored carries `channel: email`. The console's
 * attempt form offers the due step's channel first, not Phone whatever the step (a rep's trial on a phone: the
 * link logged no channel, the console showed "–", and the form said Phone for an email step). The first touch too:
 * the "New SQL" email's links carry step 1's channel (phone), so the first attempt is not the one without a channel.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { consoleFetch, signIn } from '../support/console.ts';
import { type E2e, exampleLead, HOUR, linksOf, MINUTE, startE2e } from '../support/e2e.ts';

/** the hot lead of the worked example: an SQL at once, on the standard cadence (phone, email, phone, ...) */
const PETRA = {
  ...exampleLead('hot'),
  email: 'petra.channel@brauhaus-werke.example',
  phone: '+49 30 7654321',
};

/** the same, with no phone: the cadence's calls cannot be made, the rep writes instead */
const NILS = { ...exampleLead('hot'), email: 'nils.nophone@brauhaus-werke.example' };

/** another hot lead, handed off at once: nobody logs anything before the "New SQL" email's link is followed */
// with a phone: a first touch by phone needs one (a lead who gave none is written to, its links name no channel)
const ODA = {
  ...exampleLead('hot'),
  email: 'oda.firsttouch@brauhaus-werke.example',
  phone: '+49 30 1234567',
};

/** the channel the console's attempt form has selected */
const selectedChannel = (html: string) =>
  /<select id="a-channel"[^>]*>[\s\S]*?<option value="([a-z]+)" selected>/.exec(html)?.[1];

/** the outcomes the console's attempt form offers */
const offeredOutcomes = (html: string) =>
  [
    .../<select id="a-outcome"[^>]*>([\s\S]*?)<\/select>/
      .exec(html)![1]!
      .matchAll(/<option value="([a-z-]+)"/g),
  ].map(([, value]) => value);

/** the console lead page's attempts, each row's outcome and channel as the page says them */
function attemptsTable(html: string): { outcome: string; channel: string }[] {
  const table = /<caption>Contact attempts<\/caption>[\s\S]*?<\/table>/.exec(html)?.[0] ?? '';
  const cell = (row: string, label: string) =>
    new RegExp(`data-label="${label}"[^>]*><span>([^<]*)</span>`).exec(row)?.[1] ?? '';
  return [...table.matchAll(/<tr role="row">([\s\S]*?)<\/tr>/g)]
    .map(([, row]) => row!)
    .filter((row) => row.includes('role="cell"'))
    .map((row) => ({ outcome: cell(row, 'Outcome'), channel: cell(row, 'Channel') }));
}

describe("an attempt logged from a step's reminder", () => {
  let e2e: E2e;
  let leadId = '';
  let repEmail = '';
  let cookie = '';

  beforeAll(async () => {
    // Monday 09:00 Berlin: the lead is handed to a rep at once, and the rep calls at 09:10 (step 1, phone)
    e2e = await startE2e();
    expect((await e2e.postLead(PETRA)).status).toBe(202);
    await e2e.settle();
    leadId = e2e.leadIdOf(PETRA.email);
    const ownerId = (await e2e.readLead(leadId)).owner?.id;
    repEmail = e2e.sla.routing.reps.find((rep) => rep.id === ownerId)?.email ?? '';
    cookie = await signIn(e2e.runtime, repEmail);
    await e2e.advanceBy(10 * MINUTE);
    const called = await e2e.request('POST', `/leads/${leadId}/attempts`, {
      json: { attemptId: 'call-1', outcome: 'no-answer', channel: 'phone' },
    });
    expect(called.status, called.text).toBe(201);
    await e2e.settle();
  });
  afterAll(() => e2e?.close());

  it("carries the channel of the step its reminder names, and the console offers the next step's", async () => {
    // Arrange: step 2 (email, 1 business hour after the call) falls due; its reminder reaches the rep
    await e2e.advanceBy(HOUR + 5 * MINUTE);
    const reminder = (await e2e.mailsTo(repEmail)).find((mail) => mail.subject.startsWith('Attempt 2/6'));
    if (!reminder) throw new Error('no reminder of step 2 reached the rep');
    const noAnswer = linksOf(reminder)['No answer'];
    if (!noAnswer) throw new Error('the reminder has no "No answer" link');
    const formBefore = await consoleFetch(e2e.runtime, 'GET', `/console/leads/${leadId}`, { cookie });

    // Act: the rep sent the email and taps "No answer" in the reminder
    const pressed = await e2e.request('POST', noAnswer, { form: '' });
    await e2e.settle();
    const formAfter = await consoleFetch(e2e.runtime, 'GET', `/console/leads/${leadId}`, { cookie });

    // Assert
    expect(reminder.subject).toContain(' - email by ');
    expect(pressed.status, pressed.text).toBe(200);
    const lead = await e2e.readLead(leadId);
    expect(lead.attempts.map(({ outcomeId, channel }) => ({ outcomeId, channel }))).toEqual([
      { outcomeId: 'no-answer', channel: 'phone' },
      { outcomeId: 'no-answer', channel: 'email' },
    ]);
    // the form offers the due step's channel: email for step 2, then phone for step 3
    expect(selectedChannel(formBefore.text)).toBe('email');
    expect(selectedChannel(formAfter.text)).toBe('phone');
  });
});

describe('the first touch logged from the "New SQL" email', () => {
  let e2e: E2e;
  let leadId = '';
  let repEmail = '';

  beforeAll(async () => {
    e2e = await startE2e();
    expect((await e2e.postLead(ODA)).status).toBe(202);
    await e2e.settle();
    leadId = e2e.leadIdOf(ODA.email);
    const ownerId = (await e2e.readLead(leadId)).owner?.id;
    repEmail = e2e.sla.routing.reps.find((rep) => rep.id === ownerId)?.email ?? '';
  });
  afterAll(() => e2e?.close());

  it("carries the channel of the cadence's step 1 (phone): the attempt stored and the console's table say so", async () => {
    // Arrange: the owner's "New SQL" email, its links headed by the first touch's channel
    const newSql = (await e2e.mailsTo(repEmail)).find((mail) => mail.subject.startsWith('New SQL:'));
    if (!newSql) throw new Error('no "New SQL" email reached the owner');
    const noAnswer = linksOf(newSql)['No answer'];
    if (!noAnswer) throw new Error('the "New SQL" email has no "No answer" link');
    await e2e.advanceBy(10 * MINUTE);

    // Act: the rep called, and taps "No answer": the confirmation page, then its button
    const page = await e2e.request('GET', noAnswer);
    const pressed = await e2e.request('POST', noAnswer, { form: '' });
    await e2e.settle();

    // Assert
    expect([page.status, pressed.status], pressed.text).toEqual([200, 200]);
    const lead = await e2e.readLead(leadId);
    expect(lead.attempts.map(({ outcomeId, channel }) => ({ outcomeId, channel }))).toEqual([
      { outcomeId: 'no-answer', channel: 'phone' },
    ]);
    const cookie = await signIn(e2e.runtime, repEmail);
    const leadPage = await consoleFetch(e2e.runtime, 'GET', `/console/leads/${leadId}`, { cookie });
    expect(attemptsTable(leadPage.text)).toEqual([{ outcome: 'No answer', channel: 'Phone' }]);
    expect(newSql.text).toContain('Log the outcome of your first call');
  });
});

describe('the attempt form for a lead who gave no phone', () => {
  let e2e: E2e;
  let leadId = '';
  let repEmail = '';

  beforeAll(async () => {
    e2e = await startE2e();
    expect((await e2e.postLead(NILS)).status).toBe(202);
    await e2e.settle();
    leadId = e2e.leadIdOf(NILS.email);
    const ownerId = (await e2e.readLead(leadId)).owner?.id;
    repEmail = e2e.sla.routing.reps.find((rep) => rep.id === ownerId)?.email ?? '';
  });
  afterAll(() => e2e?.close());

  it('offers email for the first call, and no "Left voicemail" (ADR 0087)', async () => {
    // Arrange
    const cookie = await signIn(e2e.runtime, repEmail);

    // Act
    const page = await consoleFetch(e2e.runtime, 'GET', `/console/leads/${leadId}`, { cookie });

    // Assert
    expect(selectedChannel(page.text)).toBe('email');
    expect(offeredOutcomes(page.text)).toEqual(expect.arrayContaining(['no-answer', 'connected']));
    expect(offeredOutcomes(page.text)).not.toContain('voicemail');
  });
});
