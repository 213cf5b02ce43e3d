/**
 * Nurture leaves a reserve of SES's daily quota to the SLA's own emails (ADR 0067): SesMailer with
 * SesSendQuota through the real SES v2 client against the local SES, which enforces a daily quota as SES
 * does ("Daily message quota exceeded.") and answers GetAccount's SendQuota from it. Without the reserve, a
 * nurture list spends the quota and the rep's "New SQL" email is refused with it.
 */
import type { SESv2Client } from '@aws-sdk/client-sesv2';
import { afterEach, describe, expect, it } from 'vitest';
import { SesMailer } from '../../lambdas/adapters/ses-mailer.ts';
import {
  bulkRefusal,
  readingLifeMs,
  reservedEmails,
  SesSendQuota,
} from '../../lambdas/adapters/ses-send-quota.ts';
import { type EmailMessage, isMailThrottled, MailHeld } from '../../lambdas/ports/mailer.ts';
import { type IamCheck, iamEnforcement } from '../../local/iam/enforce.ts';
import { localSesClient, type SesEmulator, startSesEmulator } from '../../local/ses.ts';

const FROM = 'LeadPact <leadpact@kessler.example>';
const DAY_MS = 24 * 60 * 60 * 1000;

const nurture = (n: number): EmailMessage => ({
  to: [`reader-${n}@plant.example`],
  subject: `Maintenance checklist ${n}`,
  text: 'The checklist.',
  html: '<p>The checklist.</p>',
  bulk: true,
  tags: { kind: 'nurture' },
});
const staff = (n: number): EmailMessage => ({
  to: ['jonas.berger@kessler.example'],
  subject: `New SQL ${n}`,
  text: 'A new SQL.',
  html: '<p>A new SQL.</p>',
  tags: { kind: 'sql-assigned' },
});

/** every send in turn: 'sent', 'held' for the reserve (MailHeld), or 'throttled by SES' (MailThrottled) */
async function sendAll(mailer: SesMailer, messages: readonly EmailMessage[]): Promise<string[]> {
  const outcomes: string[] = [];
  for (const message of messages)
    outcomes.push(
      await mailer.send(message).then(
        () => 'sent',
        (error: unknown) =>
          error instanceof MailHeld ? 'held' : isMailThrottled(error) ? 'throttled by SES' : String(error),
      ),
    );
  return outcomes;
}

describe('the reserve, pure', () => {
  it.each([
    // max, reserve %, sent, refused
    [20, 10, 17, false],
    [20, 10, 18, true],
    [200, 10, 179, false],
    [200, 10, 180, true],
    [50_000, 10, 44_999, false],
    [50_000, 10, 45_000, true],
    [20, 0, 19, false],
    [-1, 10, 1_000_000, false],
    [7, 10, 6, true],
  ])('quota %d, reserve %d per cent, %d sent: a bulk email waits: %s', (max, reserve, sent, refused) => {
    // Act
    const why = bulkRefusal({ max, sent }, reserve);

    // Assert
    expect(why !== undefined).toBe(refused);
    if (why) expect(why).toContain(`${sent} of ${max}`);
  });

  it.each([
    // max, reserve %, rate, life ms
    [200, 10, 1, 10_000],
    [50_000, 10, 14, 30_000],
    [20, 10, 10, 100],
    [20, 10, undefined, 30_000],
    [-1, 10, 14, 30_000],
  ])(
    'quota %d, reserve %d per cent, %s a second: a reading serves %d ms (the rate sends half the reserve in it)',
    (max, reserve, rate, life) => {
      // Act, Assert
      expect(readingLifeMs({ max, sent: 0, ...(rate === undefined ? {} : { rate }) }, reserve, 30_000)).toBe(
        life,
      );
      expect(reservedEmails(max, reserve) / 2).toBeGreaterThanOrEqual(
        rate && max > 0 && life < 30_000 ? (rate * life) / 1000 : 0,
      );
    },
  );
});

describe('SesMailer with a reserve, on the local SES with a daily quota', () => {
  let emulator: SesEmulator | undefined;
  let client: SESv2Client | undefined;
  afterEach(async () => {
    client?.destroy();
    await emulator?.close();
    emulator = undefined;
    client = undefined;
  });

  async function start(dailyQuota: number, clock = { now: Date.now() }) {
    emulator = await startSesEmulator({ port: 0, dailyQuota, now: () => clock.now });
    // the package's store is shared by every emulator of the process
    await emulator.clear();
    client = localSesClient(emulator.endpoint);
    return { emulator, client };
  }

  it('nurture stops at 90 % of the quota; the rep emails go on to the quota, then SES refuses them too', async () => {
    // Arrange: a quota of 20, 10 % kept for the SLA's emails
    const { emulator, client } = await start(20);
    const mailer = new SesMailer(client, {
      from: FROM,
      quota: new SesSendQuota(client, { reservePercent: 10 }),
    });

    // Act: a nurture list of 19, then three rep emails
    const bulk = await sendAll(
      mailer,
      Array.from({ length: 19 }, (_, n) => nurture(n)),
    );
    const reps = await sendAll(mailer, [staff(1), staff(2), staff(3)]);

    // Assert
    expect(bulk.filter((o) => o === 'sent')).toHaveLength(18);
    expect(bulk[18]).toBe('held');
    expect(reps).toEqual(['sent', 'sent', 'throttled by SES']);
    const stored = await emulator.messages();
    expect(stored).toHaveLength(20);
    expect(stored.filter((m) => m.subject.startsWith('New SQL'))).toHaveLength(2);
    // the SDK retries LimitExceededException as a throttle: the refused email was tried 3 times (maxAttempts)
    expect(emulator.quotaRefusedSends?.()).toBe(3);
  });

  it('twenty nurture emails at once through one container: 18 go, 2 held, and the rep email after them goes', async () => {
    // Arrange: a quota of 20, 10 % kept; one mailer (a container, or the local runtime's function) sending at once
    const { emulator, client } = await start(20);
    const mailer = new SesMailer(client, {
      from: FROM,
      quota: new SesSendQuota(client, { reservePercent: 10 }),
    });

    // Act
    const bulk = await Promise.all(
      Array.from({ length: 20 }, (_, n) =>
        mailer.send(nurture(n)).then(
          () => 'sent',
          (error: unknown) => (error instanceof MailHeld ? 'held' : String(error)),
        ),
      ),
    );
    const reps = await sendAll(mailer, [staff(1)]);

    // Assert: each send counted its place before it went, so none passed on a reading the others had moved
    expect(bulk.filter((o) => o === 'sent')).toHaveLength(18);
    expect(bulk.filter((o) => o === 'held')).toHaveLength(2);
    expect(reps).toEqual(['sent']);
    expect(emulator.quotaRefusedSends?.()).toBe(0);
  });

  it('without the reserve (0 %), the same list spends the quota and the rep email is refused', async () => {
    // Arrange
    const { emulator, client } = await start(20);
    const mailer = new SesMailer(client, {
      from: FROM,
      quota: new SesSendQuota(client, { reservePercent: 0 }),
    });

    // Act
    const bulk = await sendAll(
      mailer,
      Array.from({ length: 20 }, (_, n) => nurture(n)),
    );
    const reps = await sendAll(mailer, [staff(1)]);

    // Assert
    expect(bulk.every((o) => o === 'sent')).toBe(true);
    expect(reps).toEqual(['throttled by SES']);
    expect((await emulator.messages()).some((m) => m.subject.startsWith('New SQL'))).toBe(false);
  });

  it("counts its own sends on a reading and reads again once it is old; the quota's 24 hours free it", async () => {
    // Arrange: readings serving an hour (only this container sends), a clock for the emulator's 24 hours
    const clock = { now: Date.parse('2026-12-07T09:00:00Z') };
    const { client } = await start(10, clock);
    const quotaClock = { now: 0 };
    const checks: IamCheck[] = [];
    client.middlewareStack.use(
      iamEnforcement(
        {
          name: 'Advance',
          statements: [
            { Effect: 'Allow', Action: 'ses:SendEmail', Resource: '*' },
            { Effect: 'Allow', Action: 'ses:GetAccount', Resource: '*' },
          ],
        },
        checks,
      ),
    );
    const mailer = new SesMailer(client, {
      from: FROM,
      quota: new SesSendQuota(client, {
        reservePercent: 20,
        maxAgeMs: 3_600_000,
        now: () => quotaClock.now,
      }),
    });
    const reads = () => checks.filter((check) => check.action === 'ses:GetAccount').length;

    // Act 1: 9 nurture emails on one reading: 8 go, the ninth waits for the reserve
    const first = await sendAll(
      mailer,
      Array.from({ length: 9 }, (_, n) => nurture(n)),
    );
    const readsFirst = reads();
    // Act 2: a day later (SES's 24 hours), the reading old: read again, room again
    clock.now += DAY_MS;
    quotaClock.now += 3_600_000;
    const dayAfter = await sendAll(mailer, [nurture(9)]);

    // Assert
    expect(first).toEqual([...Array(8).fill('sent'), 'held']);
    expect(readsFirst).toBe(1);
    expect(dayAfter).toEqual(['sent']);
    expect(reads()).toBe(2);
  });

  it("a reading serves while SES's rate could send half the reserve, then the quota is read again", async () => {
    // Arrange: a quota of 20 (2 reserved) at 10 a second: a reading serves 100 ms
    emulator = await startSesEmulator({ port: 0, dailyQuota: 20, sendRate: 10 });
    await emulator.clear();
    client = localSesClient(emulator.endpoint);
    const checks: IamCheck[] = [];
    client.middlewareStack.use(
      iamEnforcement(
        { name: 'Advance', statements: [{ Effect: 'Allow', Action: 'ses:*', Resource: '*' }] },
        checks,
      ),
    );
    const clock = { now: 0 };
    const mailer = new SesMailer(client, {
      from: FROM,
      quota: new SesSendQuota(client, { reservePercent: 10, now: () => clock.now }),
    });
    const reads = () => checks.filter((check) => check.action === 'ses:GetAccount').length;

    // Act: two sends 99 ms apart on one reading, a third at 100 ms on a new one
    await sendAll(mailer, [nurture(1)]);
    clock.now = 99;
    await sendAll(mailer, [nurture(2)]);
    const within = reads();
    clock.now = 100;
    await sendAll(mailer, [nurture(3)]);

    // Assert
    expect(within).toBe(1);
    expect(reads()).toBe(2);
  });

  it.each([
    // how long after the reading the sends come, and what the eighth bulk email gets
    [2_000, 'held'],
    [4_000, 'sent'],
  ])(
    'a reading that cannot be taken again, %d ms old (its life 1 s): the eighth bulk email is %s',
    async (age, eighth) => {
      // Arrange: a quota of 10 (2 reserved at 20 %), read once; then GetAccount refused (INJECTED FAULT: a
      // throttled GetAccount, which the emulator cannot be made to answer)
      const { client } = await start(10);
      let refuse = false;
      client.middlewareStack.add(
        (next, context) => async (args) => {
          if (refuse && context.commandName === 'GetAccountCommand')
            throw Object.assign(new Error('Rate exceeded'), { name: 'TooManyRequestsException' });
          return next(args);
        },
        { step: 'initialize', name: 'refuseGetAccount' },
      );
      const clock = { now: 0 };
      const warnings: string[] = [];
      const mailer = new SesMailer(client, {
        from: FROM,
        quota: new SesSendQuota(client, {
          reservePercent: 20,
          maxAgeMs: 1_000,
          now: () => clock.now,
          warn: (m) => warnings.push(m),
        }),
      });

      // Act: one send on a reading, then the reading old and unreadable: 8 more
      await sendAll(mailer, [nurture(0)]);
      refuse = true;
      clock.now = age;
      const outcomes = await sendAll(
        mailer,
        Array.from({ length: 8 }, (_, n) => nurture(n + 1)),
      );

      // Assert: the old reading, with this container's sends on it, still holds the eighth bulk email for up
      // to four of its lives (a burst of containers throttled on GetAccount); older, no reserve (fail open)
      expect(outcomes).toEqual([...Array(7).fill('sent'), eighth]);
      expect(warnings[0]).toContain('serves on');
    },
  );

  it('a quota it may not read (GetAccount denied) keeps no reserve, says so once per interval, and sends', async () => {
    // Arrange: a role with SendEmail only
    const { client } = await start(20);
    const checks: IamCheck[] = [];
    client.middlewareStack.use(
      iamEnforcement(
        { name: 'Park', statements: [{ Effect: 'Allow', Action: 'ses:SendEmail', Resource: '*' }] },
        checks,
      ),
    );
    const warnings: string[] = [];
    const mailer = new SesMailer(client, {
      from: FROM,
      quota: new SesSendQuota(client, { reservePercent: 10, warn: (m) => warnings.push(m) }),
    });

    // Act
    const outcomes = await sendAll(
      mailer,
      Array.from({ length: 3 }, (_, n) => nurture(n)),
    );

    // Assert
    expect(outcomes).toEqual(['sent', 'sent', 'sent']);
    expect(checks.filter((c) => c.action === 'ses:GetAccount' && !c.allowed)).toHaveLength(1);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain('AccessDeniedException');
  });

  it('GetAccount answers the quota, the rate and the sends of the last 24 hours', async () => {
    // Arrange
    emulator = await startSesEmulator({ port: 0, dailyQuota: 50, sendRate: 14 });
    client = localSesClient(emulator.endpoint);
    const mailer = new SesMailer(client, { from: FROM });
    await sendAll(mailer, [staff(1), staff(2)]);
    const { GetAccountCommand } = await import('@aws-sdk/client-sesv2');

    // Act
    const account = await client.send(new GetAccountCommand({}));

    // Assert
    expect(account.SendQuota).toEqual({ Max24HourSend: 50, MaxSendRate: 14, SentLast24Hours: 2 });
  });
});
