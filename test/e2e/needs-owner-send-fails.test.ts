/**
 * The "needs an owner" email (ec09cf5) whose send fails (SES answers 500 past the SDK's three attempts):
 * the Handoff task fails and Step Functions runs it again. Any other failed send is due again at once
 * (domain/outbox.ts staleClaimAt: the park is no longer than the claim's due time); the handoff that
 * found nobody parked a fixed hour, so the manager heard of the waiting lead an hour late.
 * INJECTED: SES 500s on the wire (test/support/fault-proxy.ts), for the first three sends of that email.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type E2e, exampleLead, MINUTE, startE2e } from '../support/e2e.ts';
import { type FaultProxy, sesBehindFaults } from '../support/fault-proxy.ts';
import { everyoneAway, loadDefaultSla } from '../support/sla.ts';

const KATRIN = 'katrin.vogel@kessler-industrial.example';

describe('a "needs an owner" email whose send fails', () => {
  let e2e: E2e;
  let ses: FaultProxy | undefined;
  let failures = 3;
  beforeAll(async () => {
    e2e = await startE2e({
      sla: everyoneAway(loadDefaultSla()),
      endpoints: {
        ses: sesBehindFaults(
          {
            kinds: ['error500'],
            phases: ['before'],
            eligible: (request) => {
              if (failures === 0 || !request.body.toString('utf8').includes('needs an owner')) return false;
              failures--;
              return true;
            },
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

  it('is sent again within minutes, not at the next hourly try', async () => {
    // Arrange: a hot lead nobody can take (everyone out of office)
    const answer = await e2e.postLead({ ...exampleLead('hot'), email: 'buyer@plant-ses-down.example' });
    const leadId = (answer.body as { leadId: string }).leadId;

    // Act: the handoff's send fails three times, the task is run again; five minutes pass
    await e2e.settle();
    await e2e.advanceBy(5 * MINUTE);

    // Assert
    expect(failures).toBe(0);
    expect((await e2e.readLead(leadId)).owner).toBeNull();
    const toKatrin = (await e2e.mailsTo(KATRIN)).map((mail) => mail.subject);
    expect(toKatrin).toEqual([expect.stringMatching(/needs an owner/i)]);
    // and once: the hourly tries that follow tell nobody again
    await e2e.advanceBy(2 * 60 * MINUTE);
    expect(await e2e.mailsTo(KATRIN)).toHaveLength(1);
  }, 60_000);

  it('is not sent at all once a person gave the lead a rep while SES was down', async () => {
    // Arrange: SES refuses the email until the lead has an owner
    failures = 1_000;
    const answer = await e2e.postLead({
      ...exampleLead('hot'),
      email: 'buyer@plant-given-meanwhile.example',
    });
    const leadId = (answer.body as { leadId: string }).leadId;
    await e2e.settle();
    const before = (await e2e.mailsTo(KATRIN)).length;

    // Act: ops gives it to Lena, SES is back, the workflow runs again
    const given = await e2e.request('POST', `/leads/${leadId}/owner`, { json: { owner: 'lena' } });
    failures = 0;
    await e2e.settle();
    await e2e.advanceBy(30 * MINUTE);

    // Assert: Lena has her "New SQL" email; Katrin is not asked about a lead that has an owner
    expect(given.status, given.text).toBe(200);
    expect((await e2e.readLead(leadId)).owner?.id).toBe('lena');
    const toLena = (await e2e.mailsTo('lena.hartmann@kessler-industrial.example')).map(
      (mail) => mail.subject,
    );
    expect(toLena.filter((subject) => subject.startsWith('New SQL:'))).toHaveLength(1);
    expect(await e2e.mailsTo(KATRIN)).toHaveLength(before);
  }, 60_000);
});
