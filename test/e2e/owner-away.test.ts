/**
 * An owner who goes out of office holding a lead (the real runtime, manual time; ADR 0043). Mats (away
 * 2026-12-21 to 2027-01-03 in sla/default.yaml) gets an existing customer's lead on Friday 18 December and
 * logs the first attempt; step 3 falls due on Monday, his first day away. Before, steps 3 to 6 were reminded
 * to his empty desk and on 4 January the lead was recycled as an SLA breach. Now the queue's rotation gives it
 * to a rep who is there, both are told why, and the cadence starts afresh for the new owner.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { type E2e, linksOf, startE2e } from '../support/e2e.ts';
import { NORDKRAFT_LEAD as LEAD, MATS, NORDKRAFT_QUOTE } from '../support/nordkraft.ts';

let e2e: E2e | undefined;
afterEach(async () => {
  await e2e?.close();
  e2e = undefined;
});

describe('an owner out of office when the next contact step falls due', () => {
  it('the lead goes to a rep who is there, both told why; the cadence restarts for them; no breach on 4 Jan', async () => {
    // Arrange: Fri 18 Dec 2026 09:00 Berlin; nordkraft.se is Mats's account
    e2e = await startE2e({ time: { manual: new Date('2026-12-18T08:00:00.000Z') } });
    const posted = await e2e.postLead(NORDKRAFT_QUOTE);
    await e2e.settle();
    const leadId = (posted.body as { leadId: string }).leadId;
    expect((await e2e.readLead(leadId)).owner?.id).toBe('mats');
    const [assigned] = await e2e.mailsTo(MATS);
    expect((await e2e.request('POST', linksOf(assigned!)['No answer']!)).status).toBe(200);
    await e2e.settle();

    // Act: to Monday 10:30 Berlin (step 3 due at 10:00, Mats's first day away)
    await e2e.advanceTo('2026-12-21T09:30:00.000Z');

    // Assert: a rep who is there has it, told why, with a fresh first touch; Mats hears where it went
    const lead = await e2e.readLead(leadId);
    const owner = e2e.sla.routing.reps.find((rep) => rep.id === lead.owner?.id)!;
    expect(owner.id).not.toBe('mats');
    const toOwner = await e2e.mailsTo(owner.email);
    expect(toOwner.map((mail) => mail.subject)).toEqual([
      expect.stringMatching(/^Reassigned to you: Astrid Nilsson \(Nordkraft AB\) - first touch by /),
    ]);
    const why =
      'Mats Lindqvist is out of office from Mon 21 Dec 2026 to Sun 3 Jan 2027, when attempt 3 falls due';
    expect(toOwner[0]!.text).toContain(`this lead was reassigned to you from Mats Lindqvist: ${why}.`);
    const toMats = await e2e.mailsTo(MATS);
    expect(toMats.map((mail) => mail.subject)).toEqual([
      expect.stringMatching(/^New SQL: /),
      expect.stringMatching(/^Attempt 2\/6: /),
      `Reassigned: Astrid Nilsson (Nordkraft AB) - now with ${owner.name}`,
    ]);
    expect(toMats[2]!.text).toContain(`you no longer need to act on this lead: ${why}.`);
    const handover = lead.timeline.find((entry) => entry.kind === 'owner' && entry.from === 'mats');
    expect(handover?.to).toBe(owner.id);
    expect(handover?.reasons[0]?.rule).toBe('routing.ownerAway');

    // Act: the new owner logs the first touch from the email; then on past 4 January
    expect((await e2e.request('POST', linksOf(toOwner[0]!)['No answer']!)).status).toBe(200);
    await e2e.settle();
    await e2e.advanceTo('2027-01-04T17:00:00.000Z');

    // Assert: the cadence counts from the new owner's handover (attempt 2 of 6 next); no recycle, no breach;
    // nothing more to Mats
    const after = await e2e.readLead(leadId);
    expect(after.owner?.id).toBe(owner.id);
    expect(after.leadStatus).not.toBe('recycled');
    expect(after.timeline.filter((entry) => entry.kind === 'breach')).toEqual([]);
    const subjects = (await e2e.mailsTo(owner.email)).map((mail) => mail.subject);
    expect(subjects[1]).toMatch(/^Attempt 2\/6: Astrid Nilsson/);
    expect(subjects.filter((subject) => subject.startsWith('SLA breach'))).toEqual([]);
    expect(await e2e.mailsTo(MATS)).toHaveLength(3);
  });
});
