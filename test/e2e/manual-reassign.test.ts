/**
 * A person gives a lead to another rep (POST /leads/{id}/owner, the console's reassign): the workflow
 * tells the new owner ("reassigned to you", with the fresh first-touch deadline and who decided) and the
 * previous one ("now with …"), once each. Before, neither heard of it: the new owner's clock ran with
 * nobody told.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type E2e, exampleLead, startE2e } from '../support/e2e.ts';

const JONAS = 'jonas.berger@kessler-industrial.example';
const LENA = 'lena.hartmann@kessler-industrial.example';

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
    const answer = await e2e.postLead({ ...exampleLead('hot'), email: 'buyer@plant-reassign.example' });
    await e2e.settle();
    const leadId = (answer.body as { leadId: string }).leadId;
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
      expect.stringMatching(/^Reassigned to you: Petra Schneider \(Brauhaus Werke GmbH\) - first touch by /),
    ]);
    expect(toLena[0]?.text).toContain(
      'this lead was reassigned to you from Jonas Berger: sales operations decided so ("speaks Bavarian").',
    );
    const toJonas = await e2e.mailsTo(JONAS);
    expect(toJonas.map((mail) => mail.subject)).toEqual([
      expect.stringMatching(/^New SQL: /),
      'Reassigned: Petra Schneider (Brauhaus Werke GmbH) - now with Lena Hartmann',
    ]);
    // told once: a later wake sends nothing more
    await e2e.advanceBy(60 * 60_000);
    const reassigned = (await e2e.mails()).filter((mail) => mail.subject.startsWith('Reassigned'));
    expect(reassigned).toHaveLength(2);
    const lead = await e2e.readLead(leadId);
    expect(lead.owner?.id).toBe('lena');
    expect(lead.timeline.filter((entry) => entry.kind === 'failure')).toEqual([]);
  }, 60_000);
});
