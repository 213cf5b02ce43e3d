/**
 * An "Over to you" dropped at its send (Carla's first touch came first, ADR 0085 amended) in the same wake as a send
 * SES refuses (an adversarial review of 2bb9ffa9). The drop is recorded by the wake's failure write (its note on the
 * story, its key in `sent`, its outbox entry gone), so no later wake drops it again: that write must also mark the
 * takeover `dropped`, else the lead stays over to Katrin, who was never told (console reach, the recycle's copy).
 *
 * Wiring: dynalite, aws-ses-v2-local, the ASL on aws-local-stepfunctions, the API over HTTP; sla/default.yaml and its
 * hot lead (Jonas, Mike, Carla, over to Katrin at 2026-12-01T23:00Z). INJECTED: SES answers 500
 * (test/support/fault-proxy.ts) to "Over to …" at 23:00, and to a reminder of Carla's ("Attempt 2/…") put on the
 * outbox after the takeover's entry, as a refused send leaves it (failed), until the test lets it through; the
 * reconciler, on its own timer in a deployment, is run by the test every 15 minutes.
 */
import { describe, expect, it } from 'vitest';
import { takenOverNow } from '../../lambdas/domain/takeover-reminder.ts';
import { updateLead } from '../../lambdas/ports/lead-store.ts';
import { type E2e, exampleLead, MINUTE, startE2e } from '../support/e2e.ts';
import { type FaultProxy, sesBehindFaults } from '../support/fault-proxy.ts';

const TAKEOVER = { at: '2026-12-01T23:00:00.000Z', subject: /^Over to / };
const REMINDER = /^Attempt \d+\/\d+:/;
/** this file's own ports (the API and the SES emulator) */
const PORTS = { port: 4740, mailPort: 4741 };

/** the reconciler every 15 minutes from `from` to `to` (ms), as it runs on its own timer in a deployment */
async function reconcileUntil(e: E2e, from: number, to: number): Promise<void> {
  for (let t = from; t <= to; t += 15 * MINUTE) {
    await e.advanceTo(new Date(t));
    await e.runtime.reconciler.run();
    await e.settle();
  }
}

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

describe('an "Over to you" dropped at its send, in a wake whose next send SES refuses', () => {
  it('leaves the lead over to nobody: the failure write that records the drop marks the takeover dropped', async () => {
    // Arrange: the takeover refused at 23:00; Carla's first touch at 23:10; a reminder of hers after it on the outbox
    let refusing: RegExp[] = [];
    let ses: FaultProxy | undefined;
    const e = await startE2e({
      ...PORTS,
      endpoints: {
        ses: sesBehindFaults(
          {
            kinds: ['error500'],
            phases: ['before'],
            eligible: (request) => refusing.some((subject) => subject.test(subjectOf(request.body))),
          },
          (proxy) => {
            ses = proxy;
          },
        ),
      },
    });
    try {
      const hot = exampleLead('hot');
      const leadId = e.leadIdOf(String(hot.email));
      await e.postLead(hot);
      await e.settle();
      await e.advanceTo(new Date(Date.parse(TAKEOVER.at) - 1));
      refusing = [TAKEOVER.subject, REMINDER];
      await e.advanceTo(TAKEOVER.at);
      expect(ses!.counts().injected).toBeGreaterThan(0);
      await e.advanceTo(new Date(Date.parse(TAKEOVER.at) + 10 * MINUTE));
      const touched = await e.request('POST', `/leads/${leadId}/attempts`, {
        json: { attemptId: 'crm-carla-1', outcome: 'no-answer', channel: 'phone' },
      });
      expect(touched.status, touched.text).toBeLessThan(300);
      await e.settle();
      const { state } = await updateLead(e.runtime.deps.store, leadId, (current) => ({
        ...current,
        outbox: [
          ...(current.outbox ?? []),
          {
            key: `remind:${current.cycle}:${current.ownerSince}:3`,
            what: 'reminder to carla: attempt 3 of 6 (phone)',
            at: new Date(Date.parse(TAKEOVER.at) + 10 * MINUTE).toISOString(),
            email: {
              type: 'attemptDue',
              repId: 'carla',
              step: 3,
              of: 6,
              channel: 'phone',
              dueAt: '2026-12-02T12:00:00.000Z',
            },
            failed: true,
          },
        ],
      }));
      expect(state!.outbox!.map((entry) => entry.email.type)).toEqual(['managerTakeover', 'attemptDue']);
      expect(takenOverNow(e.runtime.deps.sla, state!)?.to).toBe('katrin');

      // Act: the reconciler's wake drops the takeover, then SES refuses the reminder; later SES answers again
      await reconcileUntil(e, Date.parse(TAKEOVER.at) + 15 * MINUTE, Date.parse(TAKEOVER.at) + 30 * MINUTE);
      refusing = [];
      await reconcileUntil(e, Date.parse(TAKEOVER.at) + 45 * MINUTE, Date.parse(TAKEOVER.at) + 75 * MINUTE);

      // Assert: the takeover's drop is on the story, once, and the lead is over to nobody
      const lead = (await e.runtime.deps.store.getLead(leadId))!;
      expect(lead.outbox ?? []).toEqual([]);
      const drops = lead.timeline.filter(
        (entry) => entry.kind === 'emailDropped' && entry.reasons[0]?.rule === 'outbox.dropped',
      );
      expect(drops.map((entry) => entry.reasons[0]!.detail)).toEqual([
        expect.stringMatching(/^handed to katrin: .*first touch was logged/),
      ]);
      // and it never says it went (a mark of the dropped claim read as a refused send's retry that went out)
      const toldSent = lead.timeline.filter(
        (entry) =>
          entry.kind === 'email' &&
          entry.at > TAKEOVER.at &&
          entry.reasons[0]!.detail.startsWith('handed to katrin'),
      );
      expect(toldSent).toEqual([]);
      expect(lead.takenOver?.dropped).toBeDefined();
      expect(takenOverNow(e.runtime.deps.sla, lead)).toBeUndefined();
    } finally {
      await e.close();
      await ses?.close();
    }
  }, 90_000);
});
