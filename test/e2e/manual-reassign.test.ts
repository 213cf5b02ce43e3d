/**
 * A person gives a lead to another rep (POST /leads/{id}/owner, the console's reassign): the workflow
 * tells the new owner ("reassigned to you", with the fresh first-touch deadline and who decided) and the
 * previous one ("now with …"), once each. Before, neither heard of it: the new owner's clock ran with
 * nobody told.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROUTES } from '../../lambdas/api/routes.ts';
import { type E2e, exampleLead, holdSignals, linksOf, startE2e } from '../support/e2e.ts';
import { personEvent } from '../support/person-event.ts';
import { everyoneAway, loadDefaultSla } from '../support/sla.ts';

const JONAS = 'jonas.berger@kessler-industrial.example';
const LENA = 'lena.hartmann@kessler-industrial.example';
const KATRIN = 'katrin.vogel@kessler-industrial.example';

/** A hot lead posted and the workflow settled: handed off to a rep when one can take it. */
async function postHotLead(e2e: E2e, email: string): Promise<string> {
  const answer = await e2e.postLead({ ...exampleLead('hot'), email });
  await e2e.settle();
  return (answer.body as { leadId: string }).leadId;
}

/** The lead's owner, then two other reps of the queue at work (Jonas, Lena, Mats). */
async function threeReps(e2e: E2e, leadId: string) {
  const rep = (id: string) => e2e.sla.routing.reps.find((candidate) => candidate.id === id)!;
  const first = rep((await e2e.readLead(leadId)).owner!.id);
  const [between, last] = ['jonas', 'lena', 'mats'].filter((id) => id !== first.id).map(rep);
  return [first, between!, last!] as const;
}

describe('a reassignment by hand', () => {
  let e2e: E2e;
  beforeAll(async () => {
    e2e = await startE2e();
  });
  afterAll(async () => {
    await e2e.close();
  });

  it('tells the new owner and the previous one, once, with who decided and why', async () => {
    // Arrange: a hot lead handed off to Jonas
    const leadId = await postHotLead(e2e, 'buyer@plant-reassign.example');
    expect((await e2e.readLead(leadId)).owner?.id).toBe('jonas');

    // Act: ops gives it to Lena, then posts the same again (a double click)
    const first = await e2e.request('POST', `/leads/${leadId}/owner`, {
      json: { owner: 'lena', reason: 'speaks Bavarian' },
    });
    const again = await e2e.request('POST', `/leads/${leadId}/owner`, {
      json: { owner: 'lena', reason: 'speaks Bavarian' },
    });
    await e2e.settle();

    // Assert
    expect([first.status, again.status]).toEqual([200, 200]);
    const toLena = await e2e.mailsTo(LENA);
    expect(toLena.map((mail) => mail.subject)).toEqual([
      // at most 78 characters: the company is cut after a word
      expect.stringMatching(/^Reassigned to you: Petra Schneider \(Brauhaus…\) - first touch by /),
    ]);
    expect(toLena[0]?.text).toContain(
      'this lead was reassigned to you from Jonas Berger: sales operations decided so ("speaks Bavarian").',
    );
    const toJonas = await e2e.mailsTo(JONAS);
    expect(toJonas.map((mail) => mail.subject)).toEqual([
      expect.stringMatching(/^New SQL: /),
      'Reassigned: Petra Schneider (Brauhaus Werke GmbH) - now with Lena Hartmann',
    ]);
    // the links of the "New SQL" email are bound to Jonas's handover: the email says they no longer act, and
    // they do not (a press answers that the lead moved to Lena)
    expect(toJonas[1]?.text).toContain('Links in earlier emails about this lead no longer act on it');
    const oldLink = linksOf(toJonas[0]!)['No answer']!;
    const pressed = await fetch(oldLink, { method: 'POST', redirect: 'manual' });
    expect(pressed.status).toBe(410);
    expect(await pressed.text()).toContain('This lead moved to Lena Hartmann');
    // told once: a later wake sends nothing more
    await e2e.advanceBy(60 * 60_000);
    const reassigned = (await e2e.mails()).filter((mail) => mail.subject.startsWith('Reassigned'));
    expect(reassigned).toHaveLength(2);
    const lead = await e2e.readLead(leadId);
    expect(lead.owner?.id).toBe('lena');
    expect(lead.timeline.filter((entry) => entry.kind === 'failure')).toEqual([]);
  }, 60_000);
  it('of a connected lead: the new owner is told with no first-touch deadline, and the SLA report owes none', async () => {
    // Arrange: its owner connects with the hot lead
    const leadId = await postHotLead(e2e, 'buyer@plant-connected.example');
    const connected = await e2e.request('POST', `/leads/${leadId}/attempts`, {
      json: { attemptId: 'c-1', outcome: 'connected', channel: 'phone' },
    });
    expect(connected.status, connected.text).toBe(201);
    await e2e.settle();

    // Act: ops gives it to another rep of the queue; two hours pass
    const [, to] = await threeReps(e2e, leadId);
    const moved = await e2e.request('POST', `/leads/${leadId}/owner`, { json: { owner: to.id } });
    await e2e.settle();
    await e2e.advanceBy(2 * 60 * 60_000);

    // Assert
    expect(moved.status, moved.text).toBe(200);
    const told = (await e2e.mailsTo(to.email)).filter((mail) => mail.text.includes('plant-connected'));
    expect(told.map((mail) => mail.subject)).toEqual([
      'Reassigned to you: Petra Schneider (Brauhaus Werke GmbH)',
    ]);
    const lead = (await e2e.request('GET', `/leads/${leadId}`)).body as { sla: { firstTouch: unknown } };
    expect(lead.sla.firstTouch).toBeNull();
    // its buttons are what a connected lead needs next (open a deal, or close it), not a first touch's outcomes
    expect(told[0]!.text).not.toContain('first touch');
    expect(told[0]!.text).toContain('Decide (each link opens a confirmation page)');
    expect(Object.keys(linksOf(told[0]!))).toContain('Open a deal in Discovery / meeting booked');
    expect(Object.keys(linksOf(told[0]!))).not.toContain('No answer');
  }, 60_000);
  it('of a lead with an open deal: the new owner gets the deal buttons, not a first touch’s outcomes', async () => {
    // Arrange: its owner connects and opens a deal
    const leadId = await postHotLead(e2e, 'buyer@plant-deal.example');
    await e2e.request('POST', `/leads/${leadId}/attempts`, {
      json: { attemptId: 'd-1', outcome: 'connected', channel: 'phone' },
    });
    const deal = await e2e.request('PUT', `/leads/${leadId}/deal`, { json: { stage: 'discovery' } });
    expect(deal.status, deal.text).toBe(200);
    await e2e.settle();

    // Act: ops gives it to another rep of the queue
    const [, to] = await threeReps(e2e, leadId);
    expect((await e2e.request('POST', `/leads/${leadId}/owner`, { json: { owner: to.id } })).status).toBe(
      200,
    );
    await e2e.settle();

    // Assert
    const told = (await e2e.mailsTo(to.email)).filter((mail) => mail.text.includes('plant-deal'));
    expect(told.map((mail) => mail.subject)).toEqual([
      'Reassigned to you: Petra Schneider (Brauhaus Werke GmbH)',
    ]);
    expect(told[0]!.text).not.toContain('first touch');
    expect(told[0]!.text).toContain('Move the deal (each link opens a confirmation page)');
    const labels = Object.keys(linksOf(told[0]!));
    expect(labels).toContain('Move to Quote presented');
    expect(labels).not.toContain('Move to Discovery / meeting booked');
    expect(labels).not.toContain('No answer');
  }, 60_000);
  /**
   * Two reassignments land before the workflow wakes (its signal is held: a wake still busy, Step Functions'
   * latency): the owner who was told (Jonas, "New SQL") must hear where the lead went, the rep who had it
   * for a moment and was never told (Lena) must get nothing, the last owner hears it came from Jonas.
   */
  it('of a reassignment nobody was told of yet: the told owner hears where it went, the one in between nothing', async () => {
    // Arrange: a hot lead handed off (the rotation picks the rep); the workflow's signals held
    const leadId = await postHotLead(e2e, 'buyer@plant-twice.example');
    const [first, between, last] = await threeReps(e2e, leadId);
    const before = (await e2e.mails()).length;
    const signals = holdSignals(e2e);

    // Act: first -> between -> last, then the workflow wakes
    const toBetween = await e2e.request('POST', `/leads/${leadId}/owner`, { json: { owner: between.id } });
    const toLast = await e2e.request('POST', `/leads/${leadId}/owner`, { json: { owner: last.id } });
    await signals.release();
    await e2e.settle();

    // Assert
    expect([toBetween.status, toLast.status]).toEqual([200, 200]);
    const sent = (await e2e.mails()).slice(before);
    expect(sent.map((mail) => ({ to: mail.to, subject: mail.subject }))).toEqual(
      expect.arrayContaining([
        { to: [last.email], subject: expect.stringMatching(/^Reassigned to you: /) },
        {
          to: [first.email],
          subject: `Reassigned: Petra Schneider (Brauhaus Werke GmbH) - now with ${last.name}`,
        },
      ]),
    );
    expect(sent).toHaveLength(2);
    expect(sent.find((mail) => mail.to.includes(last.email))?.text).toContain(
      `this lead was reassigned to you from ${first.name}`,
    );
    expect(sent.filter((mail) => mail.to.includes(between.email))).toEqual([]);
  }, 60_000);

  it('away, back and away again before the workflow wakes: the told owner hears where it went last', async () => {
    // Arrange
    const leadId = await postHotLead(e2e, 'buyer@plant-thrice.example');
    const [first, between, last] = await threeReps(e2e, leadId);
    const before = (await e2e.mails()).length;
    const signals = holdSignals(e2e);

    // Act: first -> between -> first -> last, then the workflow wakes
    for (const to of [between, first, last])
      await e2e.request('POST', `/leads/${leadId}/owner`, { json: { owner: to.id } });
    await signals.release();
    await e2e.settle();

    // Assert
    const sent = (await e2e.mails()).slice(before);
    expect(sent.map((mail) => ({ to: mail.to, subject: mail.subject }))).toEqual(
      expect.arrayContaining([
        { to: [last.email], subject: expect.stringMatching(/^Reassigned to you: /) },
        {
          to: [first.email],
          subject: `Reassigned: Petra Schneider (Brauhaus Werke GmbH) - now with ${last.name}`,
        },
      ]),
    );
    expect(sent).toHaveLength(2);
  }, 60_000);

  it('back to the owner who was told, before the workflow wakes: only they hear of it (a fresh deadline), nobody else', async () => {
    // Arrange
    const leadId = await postHotLead(e2e, 'buyer@plant-back.example');
    const owner = (await e2e.readLead(leadId)).owner?.id;
    const other = owner === 'lena' ? 'mats' : 'lena';
    const before = (await e2e.mails()).length;
    const signals = holdSignals(e2e);

    // Act: owner -> other -> owner
    await e2e.request('POST', `/leads/${leadId}/owner`, { json: { owner: other } });
    await e2e.request('POST', `/leads/${leadId}/owner`, { json: { owner } });
    await signals.release();
    await e2e.settle();

    // Assert: nothing to the rep in between, and nothing "from" or "now with" the owner to the owner
    const sent = (await e2e.mails()).slice(before);
    const ownerEmail = e2e.sla.routing.reps.find((rep) => rep.id === owner)!.email;
    const otherEmail = e2e.sla.routing.reps.find((rep) => rep.id === other)!.email;
    expect(sent.filter((mail) => mail.to.includes(otherEmail))).toEqual([]);
    expect(sent.map((mail) => ({ to: mail.to, subject: mail.subject }))).toEqual([
      { to: [ownerEmail], subject: expect.stringMatching(/^Reassigned to you: /) },
    ]);
    expect(sent[0]?.text).not.toContain(' from ');
  }, 60_000);
  /**
   * Two reassignments at the same instant (the virtual clock of a test or the simulator; two API calls in
   * one millisecond, or on hosts whose clocks differ): the second handover must not share the first's
   * ownerSince, or its "reassigned" key is the first's, already sent, and the mark is never cleared.
   */
  it('back to the first owner at the same instant: both are told, the workflow settles, the links follow', async () => {
    // Arrange: a hot lead handed off, then given to another rep (told); the clock does not move
    const leadId = await postHotLead(e2e, 'buyer@plant-instant.example');
    const rep = (id: string) => e2e.sla.routing.reps.find((candidate) => candidate.id === id)!;
    const first = rep((await e2e.readLead(leadId)).owner!.id);
    const second = rep(first.id === 'lena' ? 'jonas' : 'lena');
    await e2e.request('POST', `/leads/${leadId}/owner`, { json: { owner: second.id } });
    await e2e.settle();
    const secondLinks = linksOf((await e2e.mailsTo(second.email)).at(-1)!);
    const before = (await e2e.mails()).length;

    // Act: back to the first owner, at the same instant
    const back = await e2e.request('POST', `/leads/${leadId}/owner`, { json: { owner: first.id } });
    const settled = await Promise.race([
      e2e.settle().then(() => true),
      new Promise<false>((resolve) => setTimeout(() => resolve(false), 10_000)),
    ]);

    // Assert
    expect(back.status, back.text).toBe(200);
    expect(settled, 'the workflow settles').toBe(true);
    const sent = (await e2e.mails()).slice(before);
    expect(sent.map((mail) => ({ to: mail.to, subject: mail.subject }))).toEqual(
      expect.arrayContaining([
        { to: [first.email], subject: expect.stringMatching(/^Reassigned to you: /) },
        {
          to: [second.email],
          subject: `Reassigned: Petra Schneider (Brauhaus Werke GmbH) - now with ${first.name}`,
        },
      ]),
    );
    expect(sent).toHaveLength(2);
    const stale = await e2e.request('POST', secondLinks['No answer']!, { form: {} });
    const fresh = await e2e.request(
      'POST',
      linksOf(sent.find((mail) => mail.to.includes(first.email))!)['No answer']!,
      { form: {} },
    );
    await e2e.settle();
    expect([stale.status, fresh.status]).toEqual([410, 200]);
    expect((await e2e.readLead(leadId)).attempts).toMatchObject([
      { outcomeId: 'no-answer', repId: first.id },
    ]);
  }, 60_000);
});

/**
 * An SQL that waits for an owner (everyone out of office) is given by hand, then given again before the
 * workflow wakes: the last rep gets the "New SQL" email of the handoff, and that is all; the rep in between
 * was never told and gets nothing.
 */
describe('a waiting SQL given by hand twice before the workflow wakes', () => {
  let e2e: E2e;
  /** an API route called as a person (the authorizer's principal): the local server knows only the token */
  const asPerson = (route: string, principal: string, leadId: string, body?: unknown) => {
    const definition = ROUTES.find((candidate) => `${candidate.method} ${candidate.path}` === route)!;
    return definition.make(e2e.runtime.deps as never)(
      personEvent(route, principal, leadId, body),
      {} as never,
    ) as Promise<{ statusCode: number; body?: string }>;
  };
  beforeAll(async () => {
    const base = everyoneAway(loadDefaultSla());
    e2e = await startE2e({
      sla: {
        ...base,
        // existing customers skip nurture and go to the queue (no account owner's fast lane)
        leadTypes: base.leadTypes.map((type) =>
          type.id === 'existing-customer' && type.overrides
            ? { ...type, overrides: { ...type.overrides, assignTo: 'queue' as const } }
            : type,
        ),
      },
    });
  });
  afterAll(async () => {
    await e2e.close();
  });

  it('tells only the last rep, with the "New SQL" email', async () => {
    // Arrange: a hot lead nobody can take; its manager was told
    const leadId = await postHotLead(e2e, 'buyer@plant-waiting.example');
    expect((await e2e.readLead(leadId)).owner).toBeNull();
    expect((await e2e.mails()).map((mail) => mail.subject)).toContainEqual(
      expect.stringMatching(/the lead needs an owner/i),
    );
    const before = (await e2e.mails()).length;
    const signals = holdSignals(e2e);

    // Act: given to Lena, then to Jonas, then the workflow wakes
    const toLena = await e2e.request('POST', `/leads/${leadId}/owner`, { json: { owner: 'lena' } });
    const toJonas = await e2e.request('POST', `/leads/${leadId}/owner`, { json: { owner: 'jonas' } });
    await signals.release();
    await e2e.settle();

    // Assert
    expect([toLena.status, toJonas.status]).toEqual([200, 200]);
    expect((await e2e.readLead(leadId)).owner?.id).toBe('jonas');
    const sent = (await e2e.mails()).slice(before);
    expect(sent.map((mail) => ({ to: mail.to, subject: mail.subject }))).toEqual([
      { to: [JONAS], subject: expect.stringMatching(/^New SQL: /) },
    ]);
  }, 60_000);
  /**
   * A lead type that skips nurture (existing customers, here routed by queue) is handed off below sql: when nobody can take it,
   * its manager is asked to decide who works it, as for an SQL; they must be able to see it and give it.
   */
  it('an existing customer below sql that waits: the manager who was asked sees it and gives it to a rep', async () => {
    // Arrange: an existing customer's guide download (a low score), nobody free; Katrin is asked
    const answer = await e2e.postLead({
      email: 't.brandt@hofmann-chemie.de',
      firstName: 'Thomas',
      lastName: 'Brandt',
      company: 'Hofmann Chemie AG',
      country: 'DE',
      formId: 'efficiency-guide',
    });
    await e2e.settle();
    const leadId = (answer.body as { leadId: string }).leadId;
    const waiting = await e2e.runtime.deps.store.getLead(leadId);
    expect(waiting?.stage).not.toBe('sql');
    expect(waiting?.ownerId).toBeUndefined();
    expect(
      (await e2e.mailsTo(KATRIN))
        .filter((mail) => mail.subject.includes('Thomas Brandt'))
        .map((m) => m.subject),
    ).toEqual([expect.stringMatching(/needs an owner/i)]);

    // Act: Katrin opens the lead and gives it to Lena (the API with her identity, as the console does)
    const reads = await asPerson('GET /leads/{id}', 'manager:katrin', leadId);
    const given = await asPerson('POST /leads/{id}/owner', 'manager:katrin', leadId, { owner: 'lena' });
    await e2e.settle();

    // Assert
    expect(reads.statusCode, reads.body).toBe(200);
    expect(given.statusCode, given.body).toBe(200);
    expect((await e2e.readLead(leadId)).owner?.id).toBe('lena');
    expect((await e2e.mailsTo(LENA)).map((mail) => mail.subject)).toContainEqual(
      expect.stringMatching(/^New SQL: Thomas Brandt/),
    );
  }, 60_000);
});
