/**
 * SES's daily quota is the account's, for every email at once: a nurture list could spend it and hold the
 * rep's "New SQL" email and every reminder until it frees up (up to 24 hours, ADR 0051). Nurture leaves the
 * last 10 % of it to the SLA's own emails (ADR 0067). The whole local runtime with IAM enforced (each task as
 * its role in the synthesized stack: Advance and Park read the quota with ses:GetAccount), the local SES
 * enforcing a daily quota over the SLA clock's last 24 hours; its rate is high enough that every check reads
 * the quota afresh (a reading serves while the rate could send half the reserve).
 */
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { synthesizeIamProfile } from '../../bin/commands/iam-profile.ts';
import type { IamCheck } from '../../local/iam/enforce.ts';
import type { IamProfile } from '../../local/iam/profile.ts';
import { type E2e, startE2e } from '../support/e2e.ts';
import { guideOnSingleOptIn } from '../support/sla.ts';

const QUOTA = 20;
/** floor(20 x 90 %): what nurture may use of the day's quota */
const NURTURE_LIMIT = 18;
/** as many as the quota: without the reserve, they spend it all */
const READERS = 20;

const reader = (n: number) => ({
  formId: 'efficiency-guide',
  email: `reader-${n}@plant-${n}.example`,
  firstName: 'Rana',
  lastName: `Reader ${n}`,
  company: `Plant ${n}`,
  marketingConsent: true,
});

const HOT = {
  formId: 'demo-request',
  email: 'petra.schneider@brauhaus-werke.example',
  firstName: 'Petra',
  lastName: 'Schneider',
  company: 'Brauhaus Werke GmbH',
  jobTitle: 'Plant Manager',
  country: 'DE',
  employees: 850,
  industry: 'food-and-beverage',
  message: 'Two compressor lines to replace in Q2: a demo, please.',
};

describe("nurture leaves a reserve of SES's daily quota to the SLA's emails (ADR 0067)", () => {
  let profile: IamProfile;
  let e2e: E2e | undefined;
  beforeAll(async () => {
    profile = await synthesizeIamProfile();
  }, 120_000);
  afterEach(async () => {
    await e2e?.close();
    e2e = undefined;
  });

  it("a nurture list stops at 90 % of the quota: the rest is dropped and said so, a new SQL's rep is emailed, a held reader's demo request handed over", async () => {
    // Arrange
    const checks: IamCheck[] = [];
    e2e = await startE2e({
      sla: guideOnSingleOptIn(),
      iam: { profile, log: checks },
      mailQuota: QUOTA,
      mailRate: 1000,
    });
    const toReaders = async () =>
      (await e2e!.mails()).filter((mail) => mail.to.some((to) => to.startsWith('reader-')));

    // Act 1: 20 readers download the guide, each ticking the box, one after another
    for (let n = 0; n < READERS; n++) {
      expect((await e2e.postLead(reader(n))).status).toBe(202);
      await e2e.settle();
    }
    const nurtured = await toReaders();
    // Act 2: a demo request
    expect((await e2e.postLead(HOT)).status).toBe(202);
    await e2e.settle();
    const hot = await e2e.readLead(e2e.leadIdOf(HOT.email));
    const aboutHot = (await e2e.mails()).filter((mail) => mail.subject.includes('Petra Schneider'));

    // Assert: nurture stopped short of the quota, the last two readers' emails dropped and said so (no
    // failure, nothing retried); the rep got the new SQL, SES refused nothing
    expect(nurtured).toHaveLength(NURTURE_LIMIT);
    const held = [READERS - 2, READERS - 1].map((n) => e2e!.leadIdOf(reader(n).email));
    for (const leadId of held) {
      const view = await e2e.readLead(leadId);
      expect(view.timeline.filter((entry) => entry.kind === 'failure')).toEqual([]);
      const dropped = view.timeline.filter((entry) => entry.kind === 'emailDropped');
      expect(dropped).toHaveLength(1);
      expect(dropped[0]!.reasons[0]!.rule).toBe('mail.quotaReserve');
      expect(dropped[0]!.reasons[0]!.detail).toContain('18 of 20');
    }
    expect(hot.owner).not.toBeNull();
    expect(aboutHot).toHaveLength(1);
    const rep = e2e.sla.routing.reps.find((candidate) => candidate.id === hot.owner!.id)!;
    expect(aboutHot[0]!.to).toEqual([rep.email]);
    expect(e2e.runtime.mail.quotaRefusedSends?.()).toBe(0);
    expect(checks.filter((check) => !check.allowed)).toEqual([]);
    const quotaReaders = new Set(
      checks.filter((check) => check.action === 'ses:GetAccount').map((check) => check.role),
    );
    expect([...quotaReaders].sort()).toEqual(['Park']);

    // Act 3: a held reader asks for a demo: the lead she is now goes to a rep at once (her dropped email is
    // not sent again, nor does it hold up the rep's)
    const heldReader = reader(READERS - 1);
    expect(
      (await e2e.postLead({ ...HOT, email: heldReader.email, firstName: 'Rana', lastName: 'Reader' })).status,
    ).toBe(202);
    await e2e.settle();
    const converted = await e2e.readLead(held[1]!);

    // Assert: handed over, its rep emailed; nothing more to the reader
    expect(converted.owner).not.toBeNull();
    expect((await e2e.mails()).filter((mail) => mail.subject.includes('Rana Reader'))).toHaveLength(1);
    expect((await toReaders()).filter((mail) => mail.to.includes(heldReader.email))).toEqual([]);
  }, 120_000);

  it("sign-ups a bot posts for strangers stop at 90 % of the quota: their confirmations are dropped, a new SQL's rep is emailed", async () => {
    // Arrange: double opt-in (the default): every sign-up with the box ticked asks its address to confirm
    const checks: IamCheck[] = [];
    e2e = await startE2e({ iam: { profile, log: checks }, mailQuota: QUOTA, mailRate: 1000 });

    // Act: 20 sign-ups for addresses of strangers, then a demo request
    for (let n = 0; n < READERS; n++) {
      expect((await e2e.postLead(reader(n))).status).toBe(202);
      await e2e.settle();
    }
    expect((await e2e.postLead(HOT)).status).toBe(202);
    await e2e.settle();

    // Assert: 18 confirmations went, the last two were dropped and said so; the rep got the new SQL, SES refused
    // nothing; no confirmation greets anyone by the name the form gave
    const confirmations = (await e2e.mails()).filter((mail) =>
      mail.to.some((to) => to.startsWith('reader-')),
    );
    expect(confirmations).toHaveLength(NURTURE_LIMIT);
    expect(confirmations.filter((mail) => /Rana/.test(`${mail.text}${mail.html}`))).toEqual([]);
    for (const n of [READERS - 2, READERS - 1]) {
      const view = await e2e.readLead(e2e.leadIdOf(reader(n).email));
      const dropped = view.timeline.filter((entry) => entry.kind === 'emailDropped');
      expect(dropped.map((entry) => entry.reasons[0]!.rule)).toEqual(['mail.quotaReserve']);
    }
    const hot = await e2e.readLead(e2e.leadIdOf(HOT.email));
    expect(hot.owner).not.toBeNull();
    const rep = e2e.sla.routing.reps.find((candidate) => candidate.id === hot.owner!.id)!;
    expect(
      (await e2e.mails()).filter((mail) => mail.subject.includes('Petra Schneider')).map((mail) => mail.to),
    ).toEqual([[rep.email]]);
    expect(e2e.runtime.mail.quotaRefusedSends?.()).toBe(0);
    expect(checks.filter((check) => !check.allowed)).toEqual([]);
  }, 120_000);
});
