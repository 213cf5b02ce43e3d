/**
 * The scenarios 1-6 end to end: the whole local runtime (dynalite, the SES emulator, the ASL
 * on aws-local-stepfunctions, the API server) with sla/default.yaml, driven over real HTTP, with every
 * email read back from the SES emulator's store (to, cc, subject, text/HTML, List-Unsubscribe headers)
 * and the states each execution entered read from the local engine.
 *
 * Time is virtual and moves only by advanceTo; it starts on Mon 2026-11-30 09:00 Berlin (08:00Z).
 * Berlin is UTC+1 and Chicago UTC-6 throughout. A runtime is shared only by tests that do not move
 * its clock; each test posts its own lead (its own email address).
 */
import { describe, expect, it } from 'vitest';
import {
  confirmationSubject,
  DAY,
  exampleLead,
  HANDOFF_STATES,
  HOUR,
  type LeadView,
  linksOf,
  listUnsubscribeUrl,
  MINUTE,
  nurtureSubject,
  roundsOf,
  MONDAY_0900_BERLIN as T0,
  titleOf,
} from '../support/e2e.ts';
import { useRuntime } from '../support/use-runtime.ts';

const JONAS = 'jonas.berger@kessler-industrial.example';
const MIKE = 'mike.okafor@kessler-industrial.example';
const KATRIN = 'katrin.vogel@kessler-industrial.example';
const CARLA = 'carla.ruiz@kessler-industrial.example';
const DAN = 'dan.whitaker@kessler-industrial.example';

const PETRA = 'Petra Schneider (Brauhaus Werke GmbH)';
/** in a subject of at most 78 characters, the company cut after a word, as far as the subject needs */
const PETRA_CUT = 'Petra Schneider (Brauhaus Werke…)';
const PETRA_SHORT = 'Petra Schneider (Brauhaus…)';
const STILL = `Still over to you: ${PETRA_SHORT} - no first touch after 3 reps`;
const JAMIE = 'Jamie Lee (Lee Auto Repair)';

/** to, cc and subject: what a rep sees in the inbox list. */
const envelope = (mails: readonly { to: readonly string[]; cc: readonly string[]; subject: string }[]) =>
  mails.map(({ to, cc, subject }) => ({ to, cc, subject }));

/** one round of a parked lead: Advance, then the Park state waiting in a phase (ADR 0036) */
const contactRound = ['Advance', 'Park:contact'];
const dealRound = ['Advance', 'Park:deal'];
const nurtureRound = ['Advance', 'Park:nurture'];
/** a round that ends the execution: the Park state routes the step to Done */
const endRound = ['Advance', 'Park', 'Done'];

describe.each([
  {
    as: 'form' as const,
    // a plain HTML form names its thank-you page and is redirected there
    extra: (url: string) => ({ _redirect: `${url}/thanks` }),
    expected: (url: string) => ({ status: 303, location: `${url}/thanks`, body: undefined }),
  },
  {
    as: 'json' as const,
    extra: () => ({}),
    expected: (_url: string, leadId: string) => ({ status: 202, location: null, body: { leadId } }),
  },
])('1. a hot lead from the web form ($as)', ({ as, extra, expected }) => {
  const e = useRuntime();

  it('is an SQL at once, reminded, connected by the email link, then a deal that goes stale and is won', async () => {
    // Arrange
    const hot = exampleLead('hot');
    const email = String(hot.email);
    const leadId = e().leadIdOf(email);
    const payload = { ...hot, ...extra(e().url) };

    // Act 1: the form post (Mon 09:00 Berlin)
    const posted = await e().postLead(payload, as);
    await e().settle();

    // Assert 1: an SQL handed to Jonas at once, who gets the assignment email
    const answer = { status: posted.status, location: posted.headers.get('location'), body: posted.body };
    expect(answer).toEqual(expected(e().url, leadId));
    expect(await e().readLead(leadId)).toMatchObject({
      lifecycleStage: 'sql',
      leadStatus: 'new',
      owner: { id: 'jonas', name: 'Jonas Berger' },
      handedOffAt: T0.toISOString(),
    });
    expect(e().execution(leadId).statesVisited).toEqual(HANDOFF_STATES);
    const [assigned, ...others] = await e().mailsAbout(email);
    expect(others).toEqual([]);
    expect(envelope([assigned!])).toEqual([
      { to: [JONAS], cc: [], subject: `New SQL: ${PETRA} - first touch by 13:00 CET` },
    ]);
    expect(assigned!.text).toContain('First touch due by Mon 30 Nov 2026, 13:00 CET');
    // why, in the SLA's words; rule ids stay in the API (GET /leads/{id}) and the console
    expect(assigned!.text).toContain(
      'Plant Manager at a food and beverage company of 850 people in Germany, asked for a demo.',
    );
    expect(assigned!.text).not.toContain('qualify.sql');
    expect(Object.keys(linksOf(assigned!))).toEqual(
      expect.arrayContaining(['No answer', 'Connected', 'Meeting booked', 'Not interested']),
    );

    // Act 2: nothing is due before the first-touch deadline (13:00 Berlin); then the owner is reminded
    await e().advanceTo('2026-11-30T11:59:00.000Z');
    const early = (await e().mailsAbout(email)).slice(1);
    await e().advanceTo('2026-11-30T12:00:00.000Z');

    // Assert 2: the reminder, by a timer: one round Advance, Park (waiting in the contact phase)
    expect(early).toEqual([]);
    const reminders = (await e().mailsAbout(email)).slice(1);
    expect(envelope(reminders)).toEqual([
      { to: [JONAS], cc: [], subject: `Due now: ${PETRA} - first touch` },
    ]);
    expect(roundsOf(e().execution(leadId), HANDOFF_STATES.length)).toEqual([contactRound]);

    // Act 3: "Connected" in that email: GET shows a confirmation page and changes nothing, POST acts
    const connected = linksOf(reminders[0]!).Connected!;
    const before = await e().readLead(leadId);
    const confirmation = await e().request('GET', connected);
    const unchanged = await e().readLead(leadId);
    const done = await e().request('POST', connected);
    await e().settle();

    // Assert 3
    expect(confirmation.status).toBe(200);
    expect(titleOf(confirmation.text)).toBe(`Log outcome: Connected for ${PETRA}?`);
    expect(confirmation.text).toContain('<form method="post"');
    expect(unchanged).toEqual(before);
    expect(done.status).toBe(200);
    expect(titleOf(done.text)).toBe('Done: Log outcome: Connected');
    const afterConnect = await e().readLead(leadId);
    expect(afterConnect).toMatchObject({ lifecycleStage: 'sql', leadStatus: 'connected' });
    expect(afterConnect.attempts).toMatchObject([{ outcomeId: 'connected', repId: 'jonas' }]);

    // Act 4: a week passes
    await e().advanceTo('2026-12-07T09:00:00.000Z');

    // Assert 4: no more reminders or escalations; the lead waits in the deal phase
    expect(await e().mailsAbout(email)).toHaveLength(2);
    expect(roundsOf(e().execution(leadId), HANDOFF_STATES.length)).toEqual([contactRound, dealRound]);

    // Act 5: the meeting booked (its link in the same email), then deal stages through the API
    const meeting = await e().request('POST', linksOf(reminders[0]!)['Meeting booked']!);
    await e().settle();
    const discovery = await e().request('PUT', `/leads/${leadId}/deal`, { json: { stage: 'discovery' } });
    await e().settle();
    await e().advanceTo('2026-12-08T09:00:00.000Z');
    const quote = await e().request('PUT', `/leads/${leadId}/deal`, { json: { stage: 'quote-presented' } });
    await e().settle();
    // quote presented is stale after 9d: Thu 2026-12-17 10:00 Berlin
    await e().advanceTo('2026-12-17T08:59:00.000Z');
    const beforeStale = await e().mailsAbout(email);
    await e().advanceTo('2026-12-17T09:00:00.000Z');

    // Assert 5
    expect(meeting.status).toBe(200);
    expect(discovery.status).toBe(200);
    expect(discovery.body).toMatchObject({
      stage: 'opportunity',
      status: 'open-deal',
      deal: { stageId: 'discovery' },
    });
    expect(quote.status).toBe(200);
    expect(quote.body).toMatchObject({ stage: 'opportunity', deal: { stageId: 'quote-presented' } });
    expect(beforeStale).toHaveLength(2);
    const stale = (await e().mailsAbout(email)).slice(2);
    expect(envelope(stale)).toEqual([
      { to: [JONAS], cc: [], subject: `Stale deal: ${PETRA} - Quote presented for 9 days` },
    ]);

    // Act 6: "Move to Closed won" in the stale-deal email
    const won = linksOf(stale[0]!)['Move to Closed won']!;
    const wonConfirmation = await e().request('GET', won);
    const wonDone = await e().request('POST', won);
    await e().settle();

    // Assert 6: a customer; the execution has ended
    expect(wonConfirmation.status).toBe(200);
    expect(wonDone.status).toBe(200);
    const lead = await e().readLead(leadId);
    expect(lead).toMatchObject({ lifecycleStage: 'customer', deal: { stageId: 'closed-won' } });
    const execution = e().execution(leadId);
    expect(execution.status).toBe('SUCCEEDED');
    expect(execution.stateTransitions).toBe(execution.statesVisited.length);
    expect(execution.stateTransitions).toBeLessThanOrEqual(40);
    // rounds: the reminder (timer), connected (signal), meeting booked, discovery, quote presented
    // (signals), the stale reminder (timer), won (signal): then Done
    expect(roundsOf(execution, HANDOFF_STATES.length)).toEqual([
      contactRound,
      dealRound,
      dealRound,
      dealRound,
      dealRound,
      dealRound,
      endRound,
    ]);
    expect(await e().mailsAbout(email)).toHaveLength(3);

    // Assert: GET /leads/{id} tells the story, each step with its reason
    const story = lead.timeline.map(({ at, kind, by, to, reasons }) => ({
      at,
      kind,
      by,
      to,
      rules: reasons.map((reason) => reason.rule),
    }));
    const step = (at: string, kind: string, by: string, rule: string, to?: string) =>
      expect.objectContaining({ at, kind, by, rules: expect.arrayContaining([rule]), ...(to ? { to } : {}) });
    expect(story).toEqual([
      step('2026-11-30T08:00:00.000Z', 'created', 'form', 'lifecycle.created', 'sql'),
      step('2026-11-30T08:00:00.000Z', 'judged', 'form', 'qualify.sql', 'sql'),
      step('2026-11-30T08:00:00.000Z', 'handoff', 'workflow', 'lifecycle.handoff'),
      step('2026-11-30T08:00:00.000Z', 'owner', 'workflow', 'routing.roundRobin', 'jonas'),
      step('2026-11-30T08:00:00.000Z', 'email', 'workflow', 'workflow.assigned'),
      // the first-touch reminder: the rung on the timeline (events out: lead.escalated), then its email
      step('2026-11-30T12:00:00.000Z', 'overdue', 'workflow', 'handoff.escalation.remindOwner', 'jonas'),
      step('2026-11-30T12:00:00.000Z', 'email', 'workflow', 'workflow.escalate'),
      step('2026-11-30T12:00:00.000Z', 'attempt', 'rep:jonas', 'contact.outcome.connected'),
      step('2026-12-07T09:00:00.000Z', 'attempt', 'rep:jonas', 'contact.outcome.meeting-booked'),
      step('2026-12-07T09:00:00.000Z', 'deal', 'api:admin', 'deals.stage.discovery'),
      step('2026-12-08T09:00:00.000Z', 'deal', 'api:admin', 'deals.stage.quote-presented'),
      step('2026-12-17T09:00:00.000Z', 'email', 'workflow', 'workflow.stale'),
      step('2026-12-17T09:00:00.000Z', 'deal', 'rep:jonas', 'deals.stage.closed-won'),
    ]);
    for (const entry of lead.timeline) {
      expect(entry.reasons.length, `${entry.kind} at ${entry.at}`).toBeGreaterThan(0);
      for (const reason of entry.reasons) expect(reason.detail.trim()).not.toBe('');
    }
  });
});

describe('2. an SQL never contacted', () => {
  const e = useRuntime();

  it('every owner gets a fresh clock and the whole ladder; after 2 reassignments the queue manager takes over; the recycle is a breach, emailed; then nurtured after the cool-off', async () => {
    // Arrange: the hot lead, handed to Jonas on Mon 09:00 Berlin
    const hot = exampleLead('hot');
    const email = String(hot.email);
    const leadId = e().leadIdOf(email);
    await e().postLead(hot);
    await e().settle();

    // Act 1: until the last owner's cadence has run out (Mon 2026-12-14 09:00 Chicago)
    await e().advanceTo('2026-12-15T00:00:00.000Z');

    // Assert 1: every email of the ladder, for each owner, to and cc the right people
    const mails = await e().mailsAbout(email, 'Petra Schneider');
    expect(envelope(mails)).toEqual([
      { to: [JONAS], cc: [], subject: `New SQL: ${PETRA} - first touch by 13:00 CET` },
      // nothing before the first-touch deadline; then the ladder, and step 2 an hour after the deadline
      { to: [JONAS], cc: [], subject: `Due now: ${PETRA} - first touch` },
      { to: [JONAS], cc: [], subject: `Attempt 2/6: ${PETRA} - email by 14:00 CET` },
      // the manager told; the owner gets a copy of their own (their links, credited to them)
      { to: [KATRIN], cc: [], subject: `Escalation: ${PETRA_SHORT} - Jonas Berger, 2 business hours late` },
      { to: [JONAS], cc: [], subject: `Escalation: ${PETRA_SHORT} - Jonas Berger, 2 business hours late` },
      // +4bh = 17:00 Berlin: Mike (Chicago, 10:00) gets it with a fresh clock: first touch by 14:00 CST
      { to: [MIKE], cc: [], subject: `Reassigned to you: ${PETRA_SHORT} - first touch by 14:00 CST` },
      { to: [JONAS], cc: [], subject: `Reassigned: ${PETRA} - now with Mike Okafor` },
      // ... and is escalated like Jonas
      { to: [MIKE], cc: [], subject: `Due now: ${PETRA} - first touch` },
      { to: [MIKE], cc: [], subject: `Attempt 2/6: ${PETRA} - email by 15:00 CST` },
      { to: [DAN], cc: [], subject: `Escalation: ${PETRA_SHORT} - Mike Okafor, 2 business hours late` },
      { to: [MIKE], cc: [], subject: `Escalation: ${PETRA_SHORT} - Mike Okafor, 2 business hours late` },
      // not back to Jonas: Carla, Tue 09:00 Chicago
      { to: [CARLA], cc: [], subject: `Reassigned to you: ${PETRA_SHORT} - first touch by 13:00 CST` },
      { to: [MIKE], cc: [], subject: `Reassigned: ${PETRA} - now with Carla Ruiz` },
      { to: [CARLA], cc: [], subject: `Due now: ${PETRA} - first touch` },
      { to: [CARLA], cc: [], subject: `Attempt 2/6: ${PETRA} - email by 14:00 CST` },
      { to: [DAN], cc: [], subject: `Escalation: ${PETRA_SHORT} - Carla Ruiz, 2 business hours late` },
      { to: [CARLA], cc: [], subject: `Escalation: ${PETRA_SHORT} - Carla Ruiz, 2 business hours late` },
      // maxReassignments (2) reached: the queue's manager, Katrin, takes over; Carla gets her own copy
      { to: [KATRIN], cc: [], subject: `Over to you: ${PETRA_CUT} - no first touch after 3 reps` },
      // the owner's copy names whose decision it is; the longer subject cuts the company further
      {
        to: [CARLA],
        cc: [],
        subject: `Over to Katrin Vogel: ${PETRA_SHORT} - no first touch after 3 reps`,
      },
      // the lead stays with Carla, her cadence goes on; Katrin is reminded each business day in Carla's
      // calendar (handoff.remindManagerEvery: 1bd) until a first touch is logged or the lead is recycled. Petra
      // gave no phone: the cadence's call steps tell Carla to write by their deadline
      { to: [CARLA], cc: [], subject: `Attempt 3/6: ${PETRA} - write by 14:00 CST` },
      { to: [KATRIN], cc: [], subject: STILL },
      { to: [KATRIN], cc: [], subject: STILL },
      { to: [CARLA], cc: [], subject: `Attempt 4/6: ${PETRA} - LinkedIn by 14:00 CST` },
      { to: [KATRIN], cc: [], subject: STILL },
      { to: [KATRIN], cc: [], subject: STILL },
      { to: [CARLA], cc: [], subject: `Attempt 5/6: ${PETRA} - write by 14:00 CST` },
      { to: [KATRIN], cc: [], subject: STILL },
      { to: [KATRIN], cc: [], subject: STILL },
      { to: [KATRIN], cc: [], subject: STILL },
      { to: [CARLA], cc: [], subject: `Attempt 6/6: ${PETRA} - email by 14:00 CST` },
      { to: [KATRIN], cc: [], subject: STILL },
      // recycled with none of six attempts: a breach, the owner and her manager told, and Katrin, who held the
      // decision (the lead was over to her)
      { to: [CARLA], cc: [DAN, KATRIN], subject: `SLA breach: ${PETRA} recycled - 0 of 6 attempts` },
    ]);
    const takeover = mails[17]!;
    expect(takeover.text).toContain('Katrin Vogel, the SLA');
    expect(takeover.text).toContain(
      'it was reassigned 2 times without a first touch, the most the SLA allows',
    );
    for (const name of ['Jonas Berger', 'Mike Okafor', 'Carla Ruiz']) expect(takeover.text).toContain(name);
    // "still over to you": when it came to Katrin, what happens if nobody acts, links that log for Carla
    const still = mails.find((mail) => mail.subject === STILL)!;
    expect(still.text).toContain('Katrin Vogel, the SLA');
    expect(still.text).toMatch(/handed this lead to you on Wed 2 Dec 2026, 00:00 CET, and no first touch/);
    expect(still.text).toContain('the lead goes back to marketing, counted as a breach of the SLA');
    expect(Object.keys(linksOf(still))).toEqual(Object.keys(linksOf(takeover)));
    const breach = mails.at(-1)!;
    expect(breach.text).toContain('Cadence expired with 0 of 6 attempts logged, no connection');
    expect(breach.html).not.toContain('jonas'); // names, not ids
    // recycled: back to marketing, the reason true, the breach on the record
    const lead = await e().readLead(leadId);
    expect(lead).toMatchObject({ lifecycleStage: 'lead', leadStatus: 'recycled-not-ready', owner: null });
    const { timeline } = lead;
    expect(timeline.find((entry) => entry.kind === 'cadence')?.reasons[0]?.detail).toMatch(
      /^cadence expired with 0 of 6 attempts logged, no connection/,
    );
    expect(
      timeline.filter((entry) => entry.kind === 'breach').map((entry) => entry.reasons[0]?.rule),
    ).toEqual(['sla.breach.cadence']);
    // every timed action costs one round: Advance, Park
    const rounds = roundsOf(e().execution(leadId), HANDOFF_STATES.length);
    // (16 of the ladder and the cadence, 8 of the manager's reminders)
    expect(rounds).toEqual([...Array(24).fill(contactRound), ['Advance', 'Park:coolOff']]);

    // Act 2: the 30d cool-off ends Wed 2027-01-13 15:00Z (the expiry, Mon 12-14 15:00Z, + 30d)
    await e().advanceTo('2027-01-13T14:59:00.000Z');
    const duringCoolOff = await e().mailsTo(email);
    await e().advanceTo('2027-01-13T15:00:00.000Z');

    // Assert 2: back in marketing, its consent (ticked on the demo form, never confirmed) is asked for
    // first; once confirmed, a nurture email to the lead, with a working unsubscribe link
    expect(duringCoolOff).toEqual([]);
    expect(envelope(await e().mailsTo(email))).toEqual([
      { to: [email], cc: [], subject: confirmationSubject(e().sla) },
    ]);
    await e().confirmSubscription(email);
    const nurture = (await e().mailsTo(email)).slice(1);
    expect(envelope(nurture)).toEqual([
      // she asked for a demo (decision stage): track ready-to-decide, email 1 offers the demo again
      { to: [email], cc: [], subject: nurtureSubject(e().sla, 'demo-follow-up', hot) },
    ]);
    const unsubscribe = listUnsubscribeUrl(nurture[0]!);
    expect(unsubscribe).toMatch(new RegExp(`^${e().url}/unsubscribe/`));
    expect(nurture[0]!.headers['List-Unsubscribe-Post']).toBe('List-Unsubscribe=One-Click');
    expect(nurture[0]!.text).toContain(`Unsubscribe: ${unsubscribe}`);
    expect(nurture[0]!.html).toContain(`href="${unsubscribe}"`);
    const page = await e().request('GET', unsubscribe!);
    expect(page.status).toBe(200);
    expect(titleOf(page.text)).toBe('Unsubscribe from Kessler Industrial?');
    expect(await e().readLead(leadId)).toMatchObject({ unsubscribed: false });
    const confirmed = await e().request('POST', unsubscribe!, { form: {} });
    expect(confirmed.status).toBe(200);
    expect(titleOf(confirmed.text)).toBe('You are unsubscribed');
    expect(await e().readLead(leadId)).toMatchObject({ unsubscribed: true, marketingConsent: false });
  });
});

describe('2b. the reassignment notice', () => {
  const e = useRuntime();

  it('does not give the new owner a first-touch time that had passed before the lead was theirs', async () => {
    // Arrange: the hot lead, handed to Jonas Mon 09:00 Berlin, never touched
    const hot = exampleLead('hot');
    await e().postLead(hot);
    await e().settle();

    // Act: reassigned to Mike at 17:00 Berlin = Mon 10:00 Chicago (16:00Z)
    await e().advanceTo('2026-11-30T16:00:00.000Z');

    // Assert: she got it at 10:00 CST; a first touch "by 06:00 CST" (Jonas' old deadline) cannot be met
    const [notice] = (await e().mailsTo(MIKE)).filter((mail) => mail.subject.startsWith('Reassigned to you'));
    expect(notice).toBeDefined();
    const due = /first touch by (\d\d):(\d\d) CST$/.exec(notice!.subject);
    const dueMinutes = due ? Number(due[1]) * 60 + Number(due[2]) : Number.POSITIVE_INFINITY;
    expect(dueMinutes, notice!.subject).toBeGreaterThanOrEqual(10 * 60);
  });
});

describe('3. a cold lead', () => {
  const e = useRuntime();

  it('is nurtured on schedule; engagement events make it an MQL, then an SQL handed off in the same instant', async () => {
    // Arrange: a maintenance technician at a small US shop who downloaded a guide: nurtured
    const cold = exampleLead('cold');
    const email = String(cold.email);
    const leadId = e().leadIdOf(email);

    // Act 1: the post (double opt-in: a confirmation email, nothing else), the person confirms from the
    // inbox, then a week of nurture (track decision-makers: an email at once, one 7d later)
    await e().postLead(cold);
    await e().settle();
    const beforeConfirming = await e().mailsTo(email);
    const confirmed = await e().confirmSubscription(email);
    const atOnce = await e().mailsTo(email);
    await e().advanceTo(new Date(T0.getTime() + 7 * DAY - MINUTE));
    const justBefore = await e().mailsTo(email);
    await e().advanceTo(new Date(T0.getTime() + 7 * DAY));

    // Assert 1
    const asked = { to: [email], cc: [], subject: confirmationSubject(e().sla) };
    expect(envelope(beforeConfirming)).toEqual([asked]);
    expect(titleOf(confirmed.text)).toBe('Your subscription is confirmed');
    expect(envelope(atOnce)).toEqual([
      asked,
      { to: [email], cc: [], subject: nurtureSubject(e().sla, 'case-study', cold) },
    ]);
    expect(justBefore).toHaveLength(2);
    const nurture = (await e().mailsTo(email)).slice(1);
    expect(envelope(nurture)).toEqual([
      { to: [email], cc: [], subject: nurtureSubject(e().sla, 'case-study', cold) },
      { to: [email], cc: [], subject: nurtureSubject(e().sla, 'roi-calculator', cold) },
    ]);
    for (const mail of nurture) {
      expect(listUnsubscribeUrl(mail)).toMatch(new RegExp(`^${e().url}/unsubscribe/`));
      expect(mail.headers['List-Unsubscribe-Post']).toBe('List-Unsubscribe=One-Click');
    }
    expect(await e().readLead(leadId)).toMatchObject({ lifecycleStage: 'lead', owner: null });
    // generation 0 asked for the confirmation and ended; the confirmation started generation 1. The
    // track is done after its second email: the execution ends and the lead is dormant until news
    expect(roundsOf(e().runtime.engine.executionsOf(leadId)[0]!)).toEqual([endRound]);
    expect(roundsOf(e().latestExecution(leadId))).toEqual([nurtureRound, endRound]);

    // Act 2: Wed 12-09 11:00 Berlin, two webinars and the pricing page
    await e().advanceTo('2026-12-09T10:00:00.000Z');
    const at = e().now().toISOString();
    const toMql = await e().postEvents(leadId, [
      { eventId: 'webinar-1', type: 'webinar_attended', occurredAt: at },
      { eventId: 'webinar-2', type: 'webinar_attended', occurredAt: at },
      { eventId: 'pricing-1', type: 'pricing_page_view', occurredAt: at },
    ]);
    await e().settle();

    // Assert 2: an MQL, still marketing's; the signal woke the workflow (no timer fired)
    expect(toMql.status).toBe(200);
    expect(toMql.body).toMatchObject({ stage: 'mql', appended: 3 });
    expect(await e().readLead(leadId)).toMatchObject({ lifecycleStage: 'mql', owner: null });
    // the news started generation 2: a decision-stage lead enters track ready-to-decide (demo offer) and parks
    const woken = e().latestExecution(leadId);
    expect(woken.generation).toBe(2);
    expect(roundsOf(woken).at(-1)).toEqual(nurtureRound);
    expect(await e().mailsTo(JONAS)).toEqual([]);

    // Act 3: a demo request, a second look at the prices and a case study, at the same virtual
    // instant; settle() only, no timer. A tier-D lead (fit 20, free mail -20) needs all of it to
    // pass SQL at 145: about 150; the demo request alone leaves it an MQL at about 125
    const toSql = await e().postEvents(leadId, [
      { eventId: 'demo-1', type: 'demo_request', occurredAt: at },
      { eventId: 'pricing-2', type: 'pricing_page_view', occurredAt: at },
      { eventId: 'case-1', type: 'content_download', occurredAt: at, contentTags: ['case-study'] },
    ]);
    await e().settle();

    // Assert 3: handed off in that instant by the signal, not at the next timer
    expect(toSql.body).toMatchObject({ stage: 'sql' });
    expect(e().now().toISOString()).toBe(at);
    expect(await e().readLead(leadId)).toMatchObject({
      lifecycleStage: 'sql',
      leadStatus: 'new',
      owner: { id: 'jonas' },
      handedOffAt: at,
    });
    expect(envelope(await e().mailsTo(JONAS))).toEqual([
      { to: [JONAS], cc: [], subject: `New SQL: ${JAMIE} - first touch by 15:00 CET` },
    ]);
    const states = e().latestExecution(leadId).statesVisited;
    expect(states.slice(-HANDOFF_STATES.length)).toEqual(HANDOFF_STATES);
  });
});

describe('4. an existing customer', () => {
  const e = useRuntime();

  it('goes to the account owner at once, on the 2-business-hour SLA, and is never nurtured', async () => {
    // Arrange: a hot lead first takes Jonas' turn in the rotation
    await e().postLead({ ...exampleLead('hot'), email: 'r.vogt@brauhaus-werke.example', lastName: 'Vogt' });
    await e().settle();
    // with marketing consent, so that no nurture is down to the fast lane, not to consent
    const customer: Record<string, unknown> = { ...exampleLead('customer'), marketingConsent: true };
    const email = String(customer.email);
    const leadId = e().leadIdOf(email);

    // Act
    await e().postLead(customer);
    await e().settle();
    const atOnce = await e().mailsAbout(email);
    const lead = await e().readLead(leadId);
    await e().advanceBy(7 * DAY);

    // Assert: Jonas owns the Hofmann Chemie account: the lead is his at once, not the rotation's next rep
    expect(e().execution(leadId).statesVisited.slice(0, HANDOFF_STATES.length)).toEqual(HANDOFF_STATES);
    expect(lead).toMatchObject({
      leadType: 'existing-customer',
      lifecycleStage: 'sql',
      owner: { id: 'jonas' },
      handedOffAt: T0.toISOString(),
    });
    expect(lead.timeline.find((entry) => entry.kind === 'owner')?.reasons).toEqual([
      { rule: 'routing.account', detail: "hofmann-chemie.de is Jonas Berger's account" },
    ]);
    expect(envelope(atOnce)).toEqual([
      {
        to: [JONAS],
        cc: [],
        subject: 'New SQL: Thomas Brandt (Hofmann Chemie AG) - first touch by 11:00 CET',
      },
    ]);
    // a week on (the SLA chases Jonas meanwhile): not one email to the customer
    expect((await e().mailsAbout(email)).length).toBeGreaterThan(1);
    expect(await e().mailsTo(email)).toEqual([]);
  });
});

describe('5. unsubscribe, erase, replay', () => {
  describe('unsubscribe', () => {
    const e = useRuntime();

    it("a one-click POST to the List-Unsubscribe URL stops the lead's nurture emails", async () => {
      // Arrange: the cold lead got its first nurture email
      const cold = exampleLead('cold');
      const email = String(cold.email);
      const leadId = e().leadIdOf(email);
      await e().postLead(cold);
      await e().settle();
      await e().confirmSubscription(email);
      const [, first] = await e().mailsTo(email);
      const url = listUnsubscribeUrl(first!)!;
      await e().advanceBy(HOUR);

      // Act: what a mail client's unsubscribe button sends (RFC 8058)
      const unsubscribedAt = e().now().toISOString();
      const response = await e().request('POST', url, { form: 'List-Unsubscribe=One-Click' });
      await e().settle();
      await e().advanceTo('2027-03-01T00:00:00.000Z');

      // Assert
      expect(response.status).toBe(200);
      expect(titleOf(response.text)).toBe('You are unsubscribed');
      expect(await e().readLead(leadId)).toMatchObject({
        unsubscribed: true,
        marketingConsent: false,
        consent: { status: 'withdrawn', withdrawnAt: unsubscribedAt },
      });
      expect(envelope(await e().mailsTo(email))).toEqual([
        { to: [email], cc: [], subject: confirmationSubject(e().sla) },
        { to: [email], cc: [], subject: nurtureSubject(e().sla, 'case-study', cold) },
      ]);
    });
  });

  describe('erase', () => {
    const e = useRuntime();

    it('DELETE /leads/{id} stops everything: the execution is ABORTED and no email follows', async () => {
      // Arrange
      const hot = exampleLead('hot');
      const email = String(hot.email);
      const leadId = e().leadIdOf(email);
      await e().postLead(hot);
      await e().settle();
      await e().advanceBy(30 * MINUTE);

      // Act
      const response = await e().request('DELETE', `/leads/${leadId}`);
      await e().settle();
      await e().advanceBy(60 * DAY);

      // Assert
      expect(response.status).toBe(200);
      const execution = e().execution(leadId);
      expect(execution.status).toBe('ABORTED');
      expect(e().runtime.engine.active()).toEqual([]);
      expect(envelope(await e().mailsAbout(email, 'Petra Schneider'))).toEqual([
        { to: [JONAS], cc: [], subject: `New SQL: ${PETRA} - first touch by 13:00 CET` },
      ]);
      expect(await e().readLead(leadId)).toMatchObject({
        email: null,
        erasedAt: '2026-11-30T08:30:00.000Z',
        eventCount: 0,
      });
    });
  });

  describe('replay', () => {
    const e = useRuntime();

    it('an event posted again (same eventId and occurredAt) changes nothing', async () => {
      // Arrange: the cold lead with one pricing-page view
      const cold = exampleLead('cold');
      const leadId = e().leadIdOf(String(cold.email));
      await e().postLead(cold);
      await e().settle();
      const event = { eventId: 'pricing-7', type: 'pricing_page_view', occurredAt: e().now().toISOString() };
      const first = await e().postEvents(leadId, [event]);
      await e().settle();
      const before = await e().readLead(leadId);
      const mailsBefore = await e().mails();
      // (the first event woke the lead, dormant while its consent awaits confirmation: generation 1)
      const statesBefore = [...e().latestExecution(leadId).statesVisited];

      // Act
      const replay = await e().postEvents(leadId, [event]);
      await e().settle();

      // Assert
      expect(first.body).toMatchObject({ appended: 1, duplicates: 0 });
      expect(replay.status).toBe(200);
      expect(replay.body).toMatchObject({ appended: 0, duplicates: 1, totalScore: before.scores.total });
      const after: LeadView = await e().readLead(leadId);
      expect(after).toEqual(before);
      expect(await e().mails()).toEqual(mailsBefore);
      expect(e().latestExecution(leadId).statesVisited).toEqual(statesBefore);
    });
  });
});

describe('6. action links that must do nothing', () => {
  const e = useRuntime();

  /** A hot lead of its own, handed off; its assignment email's links. */
  async function assignedLead(local: string): Promise<{ leadId: string; links: Record<string, string> }> {
    const email = `${local}@brauhaus-werke.example`;
    await e().postLead({ ...exampleLead('hot'), email, lastName: local });
    await e().settle();
    const [assigned] = await e().mailsAbout(email);
    return { leadId: e().leadIdOf(email), links: linksOf(assigned!) };
  }

  it('a tampered link (one character changed) is refused, GET and POST alike', async () => {
    // Arrange
    const { leadId, links } = await assignedLead('tampered');
    const url = links.Connected!;
    const at = url.lastIndexOf('/') + 12; // inside the signed payload
    const tampered = url.slice(0, at) + (url[at] === 'A' ? 'B' : 'A') + url.slice(at + 1);
    const before = await e().readLead(leadId);

    // Act
    const get = await e().request('GET', tampered);
    const post = await e().request('POST', tampered);
    await e().settle();

    // Assert
    expect(tampered).not.toBe(url);
    expect([get.status, post.status]).toEqual([400, 400]);
    expect(titleOf(post.text)).toBe('This link does not work');
    expect(await e().readLead(leadId)).toEqual(before);
  });

  it('a used link is refused the second time (409) and changes nothing more', async () => {
    // Arrange
    const { leadId, links } = await assignedLead('reused');
    const first = await e().request('POST', links['No answer']!);
    await e().settle();
    const before = await e().readLead(leadId);

    // Act
    const second = await e().request('POST', links['No answer']!);
    await e().settle();

    // Assert
    expect(first.status).toBe(200);
    expect(before.attempts).toHaveLength(1);
    expect(second.status).toBe(409);
    expect(titleOf(second.text)).toBe('This link was already used');
    expect(await e().readLead(leadId)).toEqual(before);
  });

  it('GET (a mail scanner following every link) only shows confirmation pages', async () => {
    // Arrange
    const { leadId, links } = await assignedLead('scanned');
    const before = await e().readLead(leadId);

    // Act: every link in the email, fetched as a scanner does
    const pages = await Promise.all(Object.values(links).map((url) => e().request('GET', url)));
    await e().settle();

    // Assert: pages that ask for a POST; the lead is as it was, and the links are still unused
    expect(pages.map((page) => page.status)).toEqual(Object.values(links).map(() => 200));
    for (const page of pages) expect(page.text).toContain('<form method="post"');
    expect(await e().readLead(leadId)).toEqual(before);
    expect(before).toMatchObject({ leadStatus: 'new', attempts: [] });
    expect((await e().request('POST', links.Connected!)).status).toBe(200);
  });
});

describe('6b. an expired action link', () => {
  const e = useRuntime();

  it('works until 14 days after the email, then is refused (410) and changes nothing', async () => {
    // Arrange
    const hot = exampleLead('hot');
    const email = String(hot.email);
    const leadId = e().leadIdOf(email);
    await e().postLead(hot);
    await e().settle();
    const [assigned] = await e().mailsAbout(email);
    const url = linksOf(assigned!).Connected!;
    // a meeting booked from the same email keeps the lead Jonas's (no reassignment makes the link
    // stale first): the only limit left on the link is its age
    expect((await e().request('POST', linksOf(assigned!)['Meeting booked']!)).status).toBe(200);
    await e().settle();
    await e().advanceTo(new Date(T0.getTime() + 14 * DAY - MINUTE));
    const lastMinute = await e().request('GET', url);
    await e().advanceTo(new Date(T0.getTime() + 14 * DAY));
    const before = await e().readLead(leadId);

    // Act
    const get = await e().request('GET', url);
    const post = await e().request('POST', url);
    await e().settle();

    // Assert
    expect(lastMinute.status).toBe(200);
    expect([get.status, post.status]).toEqual([410, 410]);
    expect(titleOf(post.text)).toBe('This link has expired');
    expect(await e().readLead(leadId)).toEqual(before);
  });
});
