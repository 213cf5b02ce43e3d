/**
 * Links in emails that no longer apply (issue 8 item 5, issue 9 item 4), end to end: the whole local
 * runtime with sla/default.yaml, the links taken from the emails the workflow really sent (read back
 * from the SES emulator), pressed over HTTP. An old owner's link after the escalation ladder reassigned
 * the lead, and a link from an email of a lead that was recycled since, show what happened to the lead
 * with no button, and change nothing; the new owner's links act, credited to the new owner.
 *
 * Time is virtual: Mon 2026-11-30 09:00 Berlin (08:00Z). Jonas gets the hot lead at once, first touch
 * by 13:00 CET; Katrin (his manager) is copied at 15:00 CET; at 17:00 CET the lead goes to the next
 * rep of the queue (read from the lead: the rotation is routing's business, not this test's).
 */
import { describe, expect, it } from 'vitest';
import { type E2e, exampleLead, linksOf, type Mail, titleOf } from '../support/e2e.ts';
import { useRuntime } from '../support/use-runtime.ts';

const JONAS = 'jonas.berger@kessler-industrial.example';
const KATRIN = 'katrin.vogel@kessler-industrial.example';
const PETRA = 'Petra Schneider (Brauhaus Werke GmbH)';

async function onlyMail(e: E2e, to: string, subject: RegExp): Promise<Mail> {
  const found = (await e.mailsTo(to)).filter((mail) => subject.test(mail.subject));
  expect(
    found.map((mail) => mail.subject),
    `mails to ${to}`,
  ).toHaveLength(1);
  return found[0]!;
}

/** the text of a page's paragraphs, unescaped enough for the assertions below */
/** the page's paragraphs as read (without the invisible isolates around a lead's name and company) */
const paragraphsOf = (html: string) =>
  [...html.matchAll(/<p[^>]*>([^<]*)<\/p>/g)].map((match) =>
    match[1]!.replace(/&amp;/g, '&').replace(/[\u2068\u2069]/g, ''),
  );

describe('an old owner after a reassignment', () => {
  const e = useRuntime();

  it("gets a page saying the lead moved to the new owner and acts on nothing; the new owner's links act, credited to them", async () => {
    // Arrange: the hot lead, handed to Jonas at once; nobody acts, so Katrin is copied, then it is reassigned
    const hot = exampleLead('hot');
    const leadId = e().leadIdOf(String(hot.email));
    await e().postLead(hot);
    await e().settle();
    const jonasLinks = linksOf(await onlyMail(e(), JONAS, /^New SQL: /));
    await e().advanceTo('2026-11-30T14:30:00.000Z');
    const katrinLinks = linksOf(await onlyMail(e(), KATRIN, /^Escalation: /));
    const katrinBefore = await e().request('GET', katrinLinks['No answer']!);
    await e().advanceTo('2026-11-30T16:00:00.000Z');
    const before = await e().readLead(leadId);
    const next = e().sla.routing.reps.find((rep) => rep.id === before.owner?.id)!;
    const nextLinks = linksOf(await onlyMail(e(), next.email, /^Reassigned to you: /));

    // Act
    const shown = await e().request('GET', jonasLinks.Connected!);
    const pressed = await e().request('POST', jonasLinks.Connected!, { form: {} });
    const manager = await e().request('GET', katrinLinks['No answer']!);
    await e().settle();
    const unchanged = await e().readLead(leadId);
    const pressedByNext = await e().request('POST', nextLinks['No answer']!, { form: {} });
    await e().settle();
    const after = await e().readLead(leadId);

    // Assert: while Jonas had the lead, Katrin's link offered the action on his behalf
    expect(katrinBefore.status, katrinBefore.text).toBe(200);
    expect(katrinBefore.text).toContain('<form method="post"');
    expect(next.id).not.toBe('jonas');
    for (const response of [shown, pressed, manager]) {
      expect(response.status, response.text).toBe(410);
      expect(titleOf(response.text)).toBe(`This lead moved to ${next.name}`);
      expect(response.text).not.toContain('<form');
      expect(response.text).not.toMatch(new RegExp(`\\b(${next.id}|jonas)\\b`));
    }
    expect(paragraphsOf(shown.text)).toEqual([
      `${PETRA} was handed to ${next.name} on Mon 30 Nov 2026, 17:00 CET, after this email was sent.`,
      `${next.name} gets the reminders and the links for it now.`,
      'This link no longer does anything; nothing was changed.',
    ]);
    expect(unchanged).toEqual(before);
    expect(pressedByNext.status, pressedByNext.text).toBe(200);
    expect(titleOf(pressedByNext.text)).toBe('Done: Log outcome: No answer');
    expect(after.attempts).toMatchObject([{ outcomeId: 'no-answer', repId: next.id }]);
    expect(after.timeline.filter((entry) => entry.kind === 'attempt')).toMatchObject([
      { by: `rep:${next.id}` },
    ]);
  });
});

describe('a link from the email of a lead recycled since', () => {
  const e = useRuntime();

  it('shows that the lead was recycled, with no button, and changes nothing', async () => {
    // Arrange: Jonas presses "Not now" (recycle) in the New SQL email
    const hot = exampleLead('hot');
    const leadId = e().leadIdOf(String(hot.email));
    await e().postLead(hot);
    await e().settle();
    const links = linksOf(await onlyMail(e(), JONAS, /^New SQL: /));
    const recycled = await e().request('POST', links['Not now']!, { form: {} });
    await e().settle();
    const before = await e().readLead(leadId);

    // Act: later, another link of the same email
    const shown = await e().request('GET', links.Connected!);
    const pressed = await e().request('POST', links.Connected!, { form: {} });
    await e().settle();

    // Assert
    expect(recycled.status, recycled.text).toBe(200);
    expect(before).toMatchObject({ lifecycleStage: 'lead', leadStatus: 'recycled-not-ready', owner: null });
    for (const response of [shown, pressed]) {
      expect(response.status, response.text).toBe(410);
      expect(titleOf(response.text)).toBe('This lead was recycled');
      expect(response.text).not.toContain('<form');
      expect(response.text).not.toContain('Log outcome');
    }
    expect(paragraphsOf(shown.text)).toEqual([
      `${PETRA} went back to marketing on Mon 30 Nov 2026, 09:00 CET; its status now: Recycled - not ready.`,
      'Should it qualify again, its owner gets a new email with new links.',
      'This link no longer does anything; nothing was changed.',
    ]);
    expect(await e().readLead(leadId)).toEqual(before);
  });
});
