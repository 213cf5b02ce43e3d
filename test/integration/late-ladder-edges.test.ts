/**
 * The four edges the late-send check (domain/late-send.ts, ADR 0085 amended) left open, each on the whole local
 * runtime with a manual clock: an email of the first-touch ladder whose send SES refused is sent again by the
 * reconciler's wake, and by then
 *  1. an SLA edit changed `contact.onReassign` (or the ladder) after the owner's first touch was logged: the
 *     cadence facts count from the clock start of the SLA they were written under, and the deployed SLA's reading
 *     alone hid the touch ("Over to you … no first touch after 3 reps" went out); a changed ladder hides nothing;
 *  2. the entry was claimed before the `handover` stamp was kept (older data), and the lead went to Lena and back to
 *     Carla: checked by its owner only, the stale takeover passed; its key names the handover it was planned on;
 *  3. the escalation went to Dan's deputy while Dan was out of office, and Dan is back: it said "You get this in
 *     place of Dan Whitaker, who is out of office until 1 Dec" to the deputy, and Dan heard nothing;
 *  4. the takeover was dropped (Carla's first touch came first), and the cadence later recycles the lead: Katrin,
 *     who was never told, was copied on the breach email as the manager the lead was over to.
 *
 * Wiring: dynalite, aws-ses-v2-local, the ASL on aws-local-stepfunctions, the API over HTTP; sla/default.yaml and its
 * hot lead: Jonas, Mike, then Carla let it lie; Dan is told of Carla at 2026-12-01T21:00Z, the ladder hands the lead
 * to Katrin at 23:00Z. INJECTED: SES answers 500 (test/support/fault-proxy.ts) to the one email under test until the
 * test lets it through; the reconciler, on its own timer in a deployment, is run by the test every 15 minutes. An
 * SLA edit is a restart on the same data directory with the edited SLA, as `leadpact dev --data` runs one.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseDuration } from '../../lambdas/domain/duration.ts';
import type { Sla } from '../../lambdas/domain/sla-schema.ts';
import { updateLead } from '../../lambdas/ports/lead-store.ts';
import { type E2e, exampleLead, type LeadView, MINUTE, startE2e } from '../support/e2e.ts';
import { type FaultProxy, sesBehindFaults } from '../support/fault-proxy.ts';
import { loadDefaultSla } from '../support/sla.ts';

const KATRIN = 'katrin.vogel@kessler-industrial.example';
const CARLA = 'carla.ruiz@kessler-industrial.example';
const DAN = 'dan.whitaker@kessler-industrial.example';
const PRIYA = 'priya.shah@kessler-industrial.example';

const ESCALATION = { at: '2026-12-01T21:00:00.000Z', subject: /^Escalation:.*Carla Ruiz/ };
const TAKEOVER = { at: '2026-12-01T23:00:00.000Z', subject: /^Over to / };
/** this file's own ports (the API and the SES emulator); the emulators' others are picked free */
const PORTS = { port: 4670, mailPort: 4671 };

/** A runtime whose SES refuses the emails matching `subject` while `refusing()` says so. */
async function refusingRuntime(
  subject: RegExp,
  refusing: () => boolean,
  options: Parameters<typeof startE2e>[0] = {},
): Promise<{ e: E2e; ses: () => FaultProxy | undefined }> {
  let ses: FaultProxy | undefined;
  const e = await startE2e({
    ...PORTS,
    ...options,
    endpoints: {
      ses: sesBehindFaults(
        {
          kinds: ['error500'],
          phases: ['before'],
          eligible: (request) => refusing() && subjectOf(request.body).match(subject) !== null,
        },
        (proxy) => {
          ses = proxy;
        },
      ),
    },
  });
  return { e, ses: () => ses };
}

/** the hot lead, run to 1 ms before `at`; its id */
async function hotLeadBefore(e: E2e, at: string): Promise<string> {
  const hot = exampleLead('hot');
  const leadId = e.leadIdOf(String(hot.email));
  await e.postLead(hot);
  await e.settle();
  await e.advanceTo(new Date(Date.parse(at) - 1));
  return leadId;
}

/** the reconciler every 15 minutes from `from` to `to` (ms), as it runs on its own timer in a deployment */
async function reconcileUntil(e: E2e, from: number, to: number): Promise<void> {
  for (let t = from; t <= to; t += 15 * MINUTE) {
    await e.advanceTo(new Date(t));
    await e.runtime.reconciler.run();
    await e.settle();
  }
}

const dropped = (lead: LeadView) =>
  lead.timeline
    .filter((entry) => entry.kind === 'emailDropped' && entry.reasons[0]?.rule === 'outbox.dropped')
    .map((entry) => entry.reasons[0]!.detail);

const carlasFirstTouch = (e: E2e, leadId: string) =>
  e.request('POST', `/leads/${leadId}/attempts`, {
    json: { attemptId: 'crm-carla-1', outcome: 'no-answer', channel: 'phone' },
  });

describe('1. an SLA edit after the first touch, before the refused takeover is sent again', () => {
  const dirs: string[] = [];
  afterAll(async () => {
    await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })));
  });
  const standard = loadDefaultSla();
  const continuing: Sla = {
    ...standard,
    version: `${standard.version}-continue`,
    contact: { ...standard.contact, onReassign: 'continue' },
  };
  const shorterLadder: Sla = {
    ...standard,
    version: `${standard.version}-ladder`,
    handoff: {
      ...standard.handoff,
      escalation: [
        { after: parseDuration('0h')!, action: 'remindOwner' },
        { after: parseDuration('1bh')!, action: 'reassign' },
      ],
    },
  };

  it.each<[string, Sla]>([
    ['onReassign: restart -> continue (the clock of the handoff)', continuing],
    ['a shorter ladder (kept by the handover: nothing to hide)', shorterLadder],
  ])(
    '%s: the takeover is dropped, the first touch seen',
    async (_edit, edited) => {
      // Arrange: the takeover refused at 23:00 under sla/default.yaml; Carla's first touch at 23:10
      const dataDir = await mkdtemp(join(tmpdir(), 'leadpact-late-edges-'));
      dirs.push(dataDir);
      let refusing = false;
      const first = await refusingRuntime(TAKEOVER.subject, () => refusing, { dataDir });
      let leadId: string;
      try {
        leadId = await hotLeadBefore(first.e, TAKEOVER.at);
        refusing = true;
        await first.e.advanceTo(TAKEOVER.at);
        expect(first.ses()!.counts().injected).toBeGreaterThan(0);
        await first.e.advanceTo(new Date(Date.parse(TAKEOVER.at) + 10 * MINUTE));
        const touched = await carlasFirstTouch(first.e, leadId);
        expect(touched.status, touched.text).toBeLessThan(300);
        await first.e.settle();
      } finally {
        await first.e.close();
        await first.ses()?.close();
      }

      // Act: the edited SLA deployed at 23:12 (a restart on the same data); SES answers; the reconciler runs
      const e = await startE2e({
        ...PORTS,
        dataDir,
        sla: edited,
        time: { manual: new Date(Date.parse(TAKEOVER.at) + 12 * MINUTE) },
      });
      try {
        await e.settle();
        await reconcileUntil(e, Date.parse(TAKEOVER.at) + 15 * MINUTE, Date.parse(TAKEOVER.at) + 60 * MINUTE);

        // Assert: no "Over to you" about a lead Carla touched; the story says why
        const late = (await e.mails()).filter((mail) => TAKEOVER.subject.test(mail.subject));
        expect(late.flatMap((mail) => mail.to)).toEqual([]);
        const lead = await e.readLead(leadId);
        expect(dropped(lead)).toEqual([expect.stringMatching(/^handed to katrin: .*first touch was logged/)]);
      } finally {
        await e.close();
      }
    },
    90_000,
  );
});

describe('2. a takeover claimed before the handover stamp was kept, the lead given to Lena and back to Carla', () => {
  it('is dropped at its send: Carla has a new handover, ops decided', async () => {
    // Arrange: the takeover refused at 23:00; its outbox entry as the release before the stamp stored it
    let refusing = false;
    const { e, ses } = await refusingRuntime(TAKEOVER.subject, () => refusing);
    try {
      const leadId = await hotLeadBefore(e, TAKEOVER.at);
      const before = (await e.mails()).length;
      refusing = true;
      await e.advanceTo(TAKEOVER.at);
      expect(ses()!.counts().injected).toBeGreaterThan(0);
      const { state } = await updateLead(e.runtime.deps.store, leadId, (current) => ({
        ...current,
        outbox: (current.outbox ?? []).map((entry) => {
          const { handover: _stamp, ...older } = entry.email as typeof entry.email & { handover?: string };
          return { ...entry, email: older as typeof entry.email };
        }),
      }));
      const entry = state!.outbox!.find((candidate) => candidate.email.type === 'managerTakeover')!;
      expect(entry.email).not.toHaveProperty('handover');

      // Act: ops give the lead to Lena at 23:05 and back to Carla at 23:06; SES answers; the reconciler runs
      await e.advanceTo(new Date(Date.parse(TAKEOVER.at) + 5 * MINUTE));
      const toLena = await e.request('POST', `/leads/${leadId}/owner`, { json: { owner: 'lena' } });
      await e.advanceTo(new Date(Date.parse(TAKEOVER.at) + 6 * MINUTE));
      const back = await e.request('POST', `/leads/${leadId}/owner`, { json: { owner: 'carla' } });
      await e.settle();
      refusing = false;
      await reconcileUntil(e, Date.parse(TAKEOVER.at) + 15 * MINUTE, Date.parse(TAKEOVER.at) + 60 * MINUTE);

      // Assert: Carla has the lead on a new handover; "It stays with Carla Ruiz until you decide" is not sent
      expect([toLena.status, back.status]).toEqual([200, 200]);
      const lead = await e.readLead(leadId);
      expect(lead.owner?.id).toBe('carla');
      const late = (await e.mails()).slice(before).filter((mail) => TAKEOVER.subject.test(mail.subject));
      expect(late.flatMap((mail) => mail.to)).toEqual([]);
      expect(dropped(lead)).toEqual([expect.stringMatching(/^handed to katrin: .*handed over again/)]);
    } finally {
      await e.close();
      await ses()?.close();
    }
  }, 60_000);
});

describe("3. the escalation to Dan's deputy, refused, sent again after Dan is back", () => {
  it('goes to Dan, without "in place of Dan Whitaker", and the story says so', async () => {
    // Arrange: Dan out of office on Mon 30 Nov and Tue 1 Dec (Berlin's calendar), Priya his deputy: the escalation of
    // Carla at 21:00Z (22:00 in Berlin) goes to Priya, and SES refuses it until Wed 2 Dec 00:15 in Berlin
    const standard = loadDefaultSla();
    const danAway: Sla = {
      ...standard,
      routing: {
        ...standard.routing,
        managers: standard.routing.managers.map((manager) =>
          manager.id === 'dan'
            ? { ...manager, outOfOffice: [{ from: '2026-11-30', to: '2026-12-01' }], deputy: 'priya' }
            : manager,
        ),
      },
    };
    let refusing = false;
    const { e, ses } = await refusingRuntime(ESCALATION.subject, () => refusing, { sla: danAway });
    try {
      const leadId = await hotLeadBefore(e, ESCALATION.at);
      const before = (await e.mails()).length;
      refusing = true;
      await e.advanceTo(ESCALATION.at);
      expect(ses()!.counts().injected).toBeGreaterThan(0);
      const claimed = await e.readLead(leadId);
      expect(claimed.timeline.filter((entry) => entry.kind === 'overdue').at(-1)?.to).toBe('priya');

      // Act: SES answers again at 23:14Z (00:14 Wed in Berlin: Dan is back); the reconciler runs
      await e.advanceTo(new Date(Date.parse(ESCALATION.at) + 134 * MINUTE));
      refusing = false;
      await reconcileUntil(
        e,
        Date.parse(ESCALATION.at) + 135 * MINUTE,
        Date.parse(ESCALATION.at) + 165 * MINUTE,
      );

      // Assert: Dan reads the escalation, addressed to him; Priya none; Carla's copy names Dan
      const late = (await e.mails()).slice(before).filter((mail) => ESCALATION.subject.test(mail.subject));
      expect(late.flatMap((mail) => mail.to).sort()).toEqual([CARLA, DAN]);
      expect(late.flatMap((mail) => mail.to)).not.toContain(PRIYA);
      const toDan = late.find((mail) => mail.to.includes(DAN))!;
      expect(toDan.text).not.toMatch(/in place of/);
      expect(late.find((mail) => mail.to.includes(CARLA))!.text).toContain('Dan Whitaker');
      const lead = await e.readLead(leadId);
      const story = lead.timeline.flatMap((entry) =>
        entry.kind === 'email' ? [entry.reasons[0]!.detail] : [],
      );
      expect(story).toContainEqual(
        expect.stringMatching(/told manager priya .*; sent to Dan Whitaker instead: back from out of office/),
      );
      expect(dropped(lead)).toEqual([]);
    } finally {
      await e.close();
      await ses()?.close();
    }
  }, 60_000);
});

describe('4. the takeover dropped for a first touch, the cadence recycling the lead later', () => {
  it('does not copy Katrin on the breach email: she was never told the lead was over to her', async () => {
    // Arrange: the takeover refused at 23:00; Carla's first touch at 23:10; dropped at the reconciler's resend
    let refusing = false;
    const { e, ses } = await refusingRuntime(TAKEOVER.subject, () => refusing);
    try {
      const leadId = await hotLeadBefore(e, TAKEOVER.at);
      const before = (await e.mails()).length;
      refusing = true;
      await e.advanceTo(TAKEOVER.at);
      expect(ses()!.counts().injected).toBeGreaterThan(0);
      await e.advanceTo(new Date(Date.parse(TAKEOVER.at) + 10 * MINUTE));
      const touched = await carlasFirstTouch(e, leadId);
      await e.settle();
      refusing = false;
      await reconcileUntil(e, Date.parse(TAKEOVER.at) + 15 * MINUTE, Date.parse(TAKEOVER.at) + 60 * MINUTE);
      expect(touched.status, touched.text).toBeLessThan(300);
      expect(dropped(await e.readLead(leadId))).toEqual([expect.stringMatching(/^handed to katrin: /)]);

      // Act: nothing else is logged; the cadence runs out (15 business days on)
      await e.advanceTo('2026-12-22T12:00:00.000Z');

      // Assert: recycled as a breach, told to Carla and her manager Dan; nothing to Katrin since the takeover
      const lead = await e.readLead(leadId);
      const recycle = lead.timeline
        .flatMap((entry) => entry.reasons)
        .filter((reason) => reason.detail.startsWith('recycle email'));
      expect(recycle).toEqual([
        expect.objectContaining({ detail: expect.stringMatching(/^recycle email to carla \(cc dan\):/) }),
      ]);
      const since = (await e.mails()).slice(before);
      expect(
        since.filter((mail) => /^SLA breach: .* recycled/.test(mail.subject)).flatMap((mail) => mail.to),
      ).toEqual([CARLA]);
      expect(
        since
          .filter((mail) => mail.to.includes(KATRIN) || mail.cc.includes(KATRIN))
          .map((mail) => mail.subject),
      ).toEqual([]);
    } finally {
      await e.close();
      await ses()?.close();
    }
  }, 90_000);
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
