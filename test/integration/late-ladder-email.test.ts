/**
 * An email of the first-touch ladder that goes out late must still be true when it goes. A verification trial
 * (2026-12-07, "race", finding 2) had SES refuse the takeover's send: the workflow recorded the failure and the
 * reconciler ran it again 15 minutes later, after ops had given the lead to Lena. Katrin then read "Over to you …
 * It stays with Carla Ruiz until you decide", Carla "It stays with you until Katrin Vogel decides" in the same round
 * as "Reassigned: now with Lena Hartmann"; after Carla's first touch, Katrin read "no first touch after 3 reps" five
 * minutes after one was logged. Only "Still over to you" was checked at its send (ADR 0085). The escalation to the
 * owner's manager (and the owner's copy) and the owner's "Due now" state the same thing and went late the same way.
 * With no fault at all, a "Still over to you" claimed by the park still goes out after a reassignment that lands
 * in the milliseconds between the park's write and its send (the trial's free race, `ops -2`): the lead is not read
 * again before the send (a timed round stays one read; ADR 0085, amended), and the email's links answer 410.
 *
 * Now each is dropped at its send when the lead moved past it (another owner or handover, a first touch, the lead
 * with sales, the lead closed: a status of Unqualified set alone keeps its owner and handover), and the story says so
 * (`emailDropped`, rule `outbox.dropped`), as for other dropped emails.
 *
 * Wiring: the whole local runtime (dynalite, aws-ses-v2-local, the ASL on aws-local-stepfunctions, the API over
 * HTTP), the default SLA and its hot lead on a manual clock: Jonas, Mike, then Carla let it lie; Dan is told of
 * Carla at 2026-12-01T21:00Z, the ladder hands the lead to Katrin at 23:00Z.
 * INJECTED: SES answers 500 (test/support/fault-proxy.ts) to the one kind of email under test, until the lead moved
 * on; the reconciler, which runs on its own timer in a deployment, is run by the test every 15 minutes. The
 * same-round race is made deterministic by holding the park's write until ops' reassignment has landed.
 */
import { describe, expect, it } from 'vitest';
import { type E2e, exampleLead, type HttpResponse, MINUTE, startE2e } from '../support/e2e.ts';
import { type FaultProxy, sesBehindFaults } from '../support/fault-proxy.ts';

const KATRIN = 'katrin.vogel@kessler-industrial.example';
const CARLA = 'carla.ruiz@kessler-industrial.example';
const DAN = 'dan.whitaker@kessler-industrial.example';
const LENA = 'lena.hartmann@kessler-industrial.example';

/** Carla's "Due now", Dan's escalation of Carla (and her copy), the takeover (and Carla's copy) */
const DUE_NOW = { at: '2026-12-01T19:00:00.000Z', subject: /^Due now:/, to: [CARLA] };
const ESCALATION = { at: '2026-12-01T21:00:00.000Z', subject: /^Escalation:.*Carla Ruiz/, to: [DAN, CARLA] };
const TAKEOVER = { at: '2026-12-01T23:00:00.000Z', subject: /^Over to /, to: [KATRIN, CARLA] };

type Then =
  | 'nothing'
  | 'ops give the lead to Lena'
  | "Carla's first touch is logged"
  | 'Carla sets it to Unqualified';

const act: Record<Then, (e: E2e, leadId: string) => Promise<HttpResponse | undefined>> = {
  nothing: async () => undefined,
  'ops give the lead to Lena': (e, leadId) =>
    e.request('POST', `/leads/${leadId}/owner`, { json: { owner: 'lena', reason: 'ops' } }),
  "Carla's first touch is logged": (e, leadId) =>
    e.request('POST', `/leads/${leadId}/attempts`, {
      json: { attemptId: 'crm-carla-1', outcome: 'no-answer', channel: 'phone' },
    }),
  // a status alone, no attempt: the lead is closed with its owner kept (lifecycle.ts statusSetByRep)
  'Carla sets it to Unqualified': (e, leadId) =>
    e.request('PATCH', `/leads/${leadId}/status`, { json: { status: 'unqualified' } }),
};

/** the hot lead, run to 1 ms before `at` */
async function hotLeadBefore(e: E2e, at: string): Promise<string> {
  const hot = exampleLead('hot');
  const leadId = e.leadIdOf(String(hot.email));
  await e.postLead(hot);
  await e.settle();
  await e.advanceTo(new Date(Date.parse(at) - 1));
  return leadId;
}

const dropped = (lead: { timeline: { kind: string; reasons: { rule: string; detail: string }[] }[] }) =>
  lead.timeline
    .filter((entry) => entry.kind === 'emailDropped' && entry.reasons[0]?.rule === 'outbox.dropped')
    .map((entry) => entry.reasons[0]!.detail);

describe('a ladder email whose send SES refused, sent again after the lead moved on', () => {
  it.each<[string, Then, string[], typeof TAKEOVER, RegExp | undefined]>([
    ['the takeover', 'nothing', [KATRIN, CARLA], TAKEOVER, undefined],
    [
      'the takeover',
      'ops give the lead to Lena',
      [],
      TAKEOVER,
      /^handed to katrin: .*not sent\. .*Lena Hartmann/,
    ],
    ['the takeover', "Carla's first touch is logged", [], TAKEOVER, /^handed to katrin: .*first touch/],
    ['the escalation', 'nothing', [DAN, CARLA], ESCALATION, undefined],
    [
      'the escalation',
      'ops give the lead to Lena',
      [],
      ESCALATION,
      /told manager dan.*not sent\. .*Lena Hartmann/,
    ],
    ['the escalation', "Carla's first touch is logged", [], ESCALATION, /told manager dan.*first touch/],
    ['"Due now"', "Carla's first touch is logged", [], DUE_NOW, /reminded carla: not sent\. .*first touch/],
    [
      'the takeover',
      'Carla sets it to Unqualified',
      [],
      TAKEOVER,
      /^handed to katrin: .*closed as Unqualified/,
    ],
    [
      'the escalation',
      'Carla sets it to Unqualified',
      [],
      ESCALATION,
      /told manager dan.*closed as Unqualified/,
    ],
  ])(
    '%s refused, then %s: sent late to %j',
    async (_email, then, lateTo, email, story) => {
      // Arrange: SES refuses the email when the ladder sends it; the workflow records the failure
      let refusing = false;
      let ses: FaultProxy | undefined;
      const e = await startE2e({
        endpoints: {
          ses: sesBehindFaults(
            {
              kinds: ['error500'],
              phases: ['before'],
              eligible: (request) => refusing && subjectOf(request.body).match(email.subject) !== null,
            },
            (proxy) => {
              ses = proxy;
            },
          ),
        },
      });
      try {
        const leadId = await hotLeadBefore(e, email.at);
        const before = (await e.mails()).length;
        refusing = true;
        await e.advanceTo(email.at);
        const refused = (await e.mails()).slice(before).filter((mail) => email.subject.test(mail.subject));
        expect(refused).toEqual([]);
        expect(ses!.counts().injected).toBeGreaterThan(0);

        // Act: ten minutes later the lead moves on (or not); SES is back; the reconciler resumes the lead
        await e.advanceTo(new Date(Date.parse(email.at) + 10 * MINUTE));
        const answer = await act[then](e, leadId);
        await e.settle();
        refusing = false;
        for (
          let t = Date.parse(email.at) + 15 * MINUTE;
          t <= Date.parse(email.at) + 2 * 60 * MINUTE;
          t += 15 * MINUTE
        ) {
          await e.advanceTo(new Date(t));
          await e.runtime.reconciler.run();
          await e.settle();
        }

        // Assert
        if (answer) expect(answer.status, answer.text).toBeLessThan(300);
        const late = (await e.mails()).slice(before).filter((mail) => email.subject.test(mail.subject));
        expect(late.flatMap((mail) => mail.to)).toEqual(lateTo);
        const lead = await e.readLead(leadId);
        if (story) expect(dropped(lead)).toEqual([expect.stringMatching(story)]);
        else expect(dropped(lead)).toEqual([]);
        if (then === 'ops give the lead to Lena') {
          // what is true goes out: Lena's handover, and Carla told of it
          expect((await e.mailsTo(LENA)).map((mail) => mail.subject)).toContainEqual(
            expect.stringMatching(/^Reassigned to you:/),
          );
        }
      } finally {
        await e.close();
        await ses?.close();
      }
    },
    60_000,
  );
});

describe('"Still over to you" claimed by the park while ops give the lead to Lena', () => {
  it('still goes when the reassignment lands between the park’s write and its send (the accepted window)', async () => {
    // Arrange: the first reminder falls due on Thu 3 Dec 14:00Z; the write that claims it lands, then ops'
    // reassignment lands before the send (held deterministically: the trial saw it in a free race)
    const e = await startE2e();
    try {
      const leadId = await hotLeadBefore(e, '2026-12-03T14:00:00.000Z');
      const before = (await e.mails()).length;
      let reassigned: HttpResponse | undefined;
      e.runtime.dynamoDb.middlewareStack.add(
        (next, context) => async (args) => {
          const result = await next(args);
          // the write of the lead's state that claims the reminder landed (a refused one throws)
          const claimsReminder =
            context.commandName === 'PutItemCommand' && JSON.stringify(args.input).includes('"takeover:');
          if (claimsReminder && !reassigned)
            reassigned = await e.request('POST', `/leads/${leadId}/owner`, { json: { owner: 'lena' } });
          return result;
        },
        { step: 'initialize', name: 'reassignAfterTheClaim' },
      );

      // Act
      await e.advanceTo('2026-12-03T14:00:00.000Z');
      await e.settle();
      e.runtime.dynamoDb.middlewareStack.remove('reassignAfterTheClaim');

      // Assert: Lena has the lead; the reminder claimed before it went once (not read again), and only that one
      expect(reassigned?.status, reassigned?.text).toBe(200);
      const mails = (await e.mails()).slice(before).map((mail) => `${mail.to.join(',')} | ${mail.subject}`);
      expect(mails.filter((mail) => mail.includes('Still over to you'))).toHaveLength(1);
      expect(mails).toContainEqual(expect.stringMatching(/^lena\.hartmann@.* \| Reassigned to you:/));
      const lead = await e.readLead(leadId);
      expect(lead.owner?.id).toBe('lena');
      expect(dropped(lead)).toEqual([]);
    } finally {
      await e.close();
    }
  }, 60_000);
});

/** the subject of an SES v2 SendEmail request (Simple content), '' when not one */
function subjectOf(body: Buffer): string {
  try {
    const parsed = JSON.parse(body.toString('utf8')) as {
      Content?: { Simple?: { Subject?: { Data?: string } } };
    };
    return parsed.Content?.Simple?.Subject?.Data ?? '';
  } catch {
    return '';
  }
}
