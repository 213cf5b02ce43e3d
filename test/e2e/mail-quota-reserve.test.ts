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
import type { Sla } from '../../lambdas/domain/sla-schema.ts';
import type { IamCheck } from '../../local/iam/enforce.ts';
import type { IamProfile } from '../../local/iam/profile.ts';
import { type E2e, startE2e } from '../support/e2e.ts';
import { loadDefaultSla } from '../support/sla.ts';

const QUOTA = 20;
/** floor(20 x 90 %): what nurture may use of the day's quota */
const NURTURE_LIMIT = 18;
const READERS = 19;

/** The default SLA with the guide form on single opt-in: its ticked box is the consent, nurture starts at once. */
function guideOnSingleOptIn(): Sla {
  const sla = loadDefaultSla();
  return {
    ...sla,
    forms: sla.forms.map((form) =>
      form.id === 'efficiency-guide' ? { ...form, consent: 'single' as const } : form,
    ),
  };
}

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

  it('a nurture list stops at 90 % of the quota, the new SQL still reaches its rep, and the held nurture goes a day later', async () => {
    // Arrange
    const checks: IamCheck[] = [];
    e2e = await startE2e({
      sla: guideOnSingleOptIn(),
      iam: { profile, log: checks },
      mailQuota: QUOTA,
      mailRate: 1000,
      retryTiming: { scale: 0.001 },
    });
    const nurtureSent = async () =>
      (await e2e!.mails()).filter((mail) => mail.to.some((to) => to.startsWith('reader-')));

    // Act 1: 19 readers download the guide, each ticking the box, one after another
    for (let n = 0; n < READERS; n++) {
      expect((await e2e.postLead(reader(n))).status).toBe(202);
      await e2e.settle();
    }
    const afterList = await nurtureSent();
    // Act 2: a demo request
    expect((await e2e.postLead(HOT)).status).toBe(202);
    await e2e.settle();
    const hot = await e2e.readLead(e2e.leadIdOf(HOT.email));
    const repEmails = (await e2e.mails()).filter((mail) => mail.subject.includes('Petra Schneider'));

    // Assert: nurture stopped short of the quota; the rep got the new SQL
    expect(afterList).toHaveLength(NURTURE_LIMIT);
    expect(hot.owner).not.toBeNull();
    expect(repEmails.length).toBeGreaterThanOrEqual(1);
    expect(e2e.runtime.mail.quotaRefusedSends?.()).toBe(0);
    const held = await e2e.readLead(e2e.leadIdOf(reader(READERS - 1).email));
    expect(held.timeline.filter((entry) => entry.kind === 'failure').length).toBeGreaterThanOrEqual(1);
    expect(checks.filter((check) => !check.allowed)).toEqual([]);
    const quotaReaders = new Set(
      checks.filter((check) => check.action === 'ses:GetAccount').map((check) => check.role),
    );
    expect([...quotaReaders].every((role) => role === 'Advance' || role === 'Park')).toBe(true);
    expect(quotaReaders.size).toBeGreaterThanOrEqual(1);

    // Act 3: a day later the quota's 24 hours have passed; the reconciler restarts the held lead
    await e2e.advanceBy(24 * 60 * 60 * 1000 + 60_000);
    await e2e.runtime.reconciler.run();
    await e2e.settle();

    // Assert: its nurture email went, once
    const toHeld = (await nurtureSent()).filter((mail) => mail.to.includes(reader(READERS - 1).email));
    expect(toHeld).toHaveLength(1);
  }, 120_000);
});
