/**
 * The "New SQL" email whose send SES refuses: the Handoff's write records it as sent with its claim (ADR 0045),
 * a moment before the send. The lead's story said "Email: new SQL email to …" while the rep had nothing, and a
 * manager reading it believed the rep was told. Now the refused send takes that back ("Email not sent yet"),
 * and the retry that goes out says "Email" once, with one email to the rep.
 * INJECTED: SES 500s on the wire (test/support/fault-proxy.ts) for the "New SQL" email while `refusing`.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { consoleFetch, signIn } from '../support/console.ts';
import { type E2e, exampleLead, type LeadView, MINUTE, startE2e } from '../support/e2e.ts';
import { type FaultProxy, sesBehindFaults } from '../support/fault-proxy.ts';

const KATRIN = 'katrin.vogel@kessler-industrial.example';

/** the kinds of the story's entries about the "New SQL" email, oldest first */
const newSqlEntries = (lead: LeadView) =>
  lead.timeline
    .filter((entry) => entry.reasons.some((reason) => reason.detail.startsWith('new SQL email to')))
    .map((entry) => entry.kind);

/** the console lead page's story as a person reads it: tags dropped, white space as one space */
const storyText = (html: string) =>
  (/<section aria-labelledby="story">([\s\S]*?)<\/section>/.exec(html)?.[1] ?? '')
    .replace(/<[^>]+>/g, ' ')
    .replace(/\s+/g, ' ');

describe('a "New SQL" email whose send SES refuses', () => {
  let e2e: E2e;
  let ses: FaultProxy | undefined;
  let refusing = true;
  beforeAll(async () => {
    e2e = await startE2e({
      endpoints: {
        ses: sesBehindFaults(
          {
            kinds: ['error500'],
            phases: ['before'],
            eligible: (request) => refusing && request.body.toString('utf8').includes('New SQL'),
          },
          (proxy) => {
            ses = proxy;
          },
        ),
      },
    });
  });
  afterAll(async () => {
    await e2e.close();
    await ses?.close();
  });

  it('reads "not sent yet" while refused, then sent once, with one email to the rep', async () => {
    // Arrange: a hot lead, handed to a rep while SES refuses their "New SQL" email
    const answer = await e2e.postLead({ ...exampleLead('hot'), email: 'buyer@plant-refused.example' });
    const leadId = (answer.body as { leadId: string }).leadId;
    await e2e.settle();
    const refused = await e2e.readLead(leadId);
    const owner = e2e.sla.routing.reps.find((rep) => rep.id === refused.owner?.id)!;
    const cookie = await signIn(e2e.runtime, KATRIN);
    const pageWhileRefused = await consoleFetch(e2e.runtime, 'GET', `/console/leads/${leadId}`, { cookie });
    const newSqlWhileRefused = (await e2e.mailsTo(owner.email)).filter((mail) =>
      mail.subject.startsWith('New SQL:'),
    );

    // Act: SES takes emails again; the workflow sends the claim again
    refusing = false;
    await e2e.advanceBy(5 * MINUTE);
    const sent = await e2e.readLead(leadId);
    const pageSent = await consoleFetch(e2e.runtime, 'GET', `/console/leads/${leadId}`, { cookie });

    // Assert: while refused, nothing went and the story does not say it did
    expect(owner).toBeDefined();
    expect(newSqlWhileRefused).toEqual([]);
    expect(newSqlEntries(refused)).toEqual(['emailRetrying']);
    const storyWhileRefused = storyText(pageWhileRefused.text);
    expect(storyWhileRefused).toContain(`Email not sent yet by the workflow new SQL email to ${owner.name}`);
    expect(storyWhileRefused).not.toContain('Email by the workflow new SQL email');
    // once sent: one email, and one entry that says so, after the one that said it was not yet
    const toOwner = (await e2e.mailsTo(owner.email)).filter((mail) => mail.subject.startsWith('New SQL:'));
    expect(toOwner).toHaveLength(1);
    expect(newSqlEntries(sent)).toEqual(['emailRetrying', 'email']);
    expect(storyText(pageSent.text)).toContain(`Email by the workflow new SQL email to ${owner.name}`);
    // and it stays once: later wakes neither send it again nor add to the story
    await e2e.advanceBy(60 * MINUTE);
    expect(
      (await e2e.mailsTo(owner.email)).filter((mail) => mail.subject.startsWith('New SQL:')),
    ).toHaveLength(1);
    expect(newSqlEntries(await e2e.readLead(leadId))).toEqual(['emailRetrying', 'email']);
  }, 60_000);
});
