/**
 * SES's daily sending quota as this container knows it, so that nurture leaves the last part of it to the
 * SLA's own emails (ADR 0067). SES counts every email against one quota per account and Region and refuses
 * all of them alike once it is spent: a marketing list could otherwise spend the day's quota and hold a rep's
 * "New SQL" email and every reminder until the quota frees up (ADR 0051: up to 24 h).
 *
 * The quota is read with GetAccount (SendQuota: Max24HourSend, MaxSendRate, SentLast24Hours); the sends made
 * here since are counted on top of it. Other containers' sends since are not, but SES's rate bounds them: a
 * reading serves only while the account's rate could have sent half the reserve since it was taken (at most
 * `maxAgeMs`: 30 s; 10 s in the sandbox's 1 a second and 200 a day), so nurture can overrun its part by at
 * most half the reserve, whatever the number of containers. A read that fails (denied, throttled) leaves the
 * reading before it in use for up to 2 minutes (stale: others' sends since are unseen), else no reserve until
 * a read succeeds, and says so: SES still enforces the quota itself, so nothing worse than before the reserve
 * can happen.
 */
import { GetAccountCommand, type SESv2Client } from '@aws-sdk/client-sesv2';

/** A reading that cannot be taken again serves on for this many QUOTA_READING_MAX_AGE_MS at most (2 minutes). */
const STALE_READING_LIVES = 4;

/** How long a reading of the quota serves before it is read again (a send rate of 14/s moves it by 420). */
export const QUOTA_READING_MAX_AGE_MS = 30_000;

export interface SendQuotaReading {
  /** Max24HourSend; -1 (or any value under 1): no daily quota */
  readonly max: number;
  /** SentLast24Hours */
  readonly sent: number;
  /** MaxSendRate, emails a second; absent or under 0: unknown */
  readonly rate?: number;
}

/** The emails of the quota that bulk mail leaves to the others (0: none, or no quota). Pure. */
export function reservedEmails(max: number, reservePercent: number): number {
  if (!(max >= 1) || !(reservePercent > 0)) return 0;
  return max - Math.floor((max * (100 - reservePercent)) / 100);
}

/**
 * How long a reading serves (ms): while the account's rate could have sent at most half the reserve, at most
 * `cap`. Unknown rate or no reserve: `cap`. Pure.
 */
export function readingLifeMs(reading: SendQuotaReading, reservePercent: number, cap: number): number {
  const reserve = reservedEmails(reading.max, reservePercent);
  if (reserve === 0 || !(reading.rate !== undefined && reading.rate > 0)) return cap;
  return Math.min(cap, (reserve / 2 / reading.rate) * 1000);
}

/**
 * Why a bulk email (nurture) must wait for the quota, or undefined when it may go: the bulk emails may use
 * the quota up to (100 - reservePercent) % of Max24HourSend, the rest is the SLA's own emails'. Pure.
 */
export function bulkRefusal(reading: SendQuotaReading, reservePercent: number): string | undefined {
  const reserve = reservedEmails(reading.max, reservePercent);
  if (reserve === 0 || reading.sent < reading.max - reserve) return undefined;
  return (
    `SES's daily quota: ${reading.sent} of ${reading.max} sent in the last 24 hours; ` +
    `the last ${reservePercent} % is kept for the SLA's own emails`
  );
}

export interface SesSendQuotaOptions {
  /** the share of Max24HourSend kept for the SLA's own emails, 0-90 (0: no reserve, no reading) */
  readonly reservePercent: number;
  /** the longest a reading serves (default QUOTA_READING_MAX_AGE_MS; shorter at a low rate: readingLifeMs) */
  readonly maxAgeMs?: number;
  /** a real-time clock in milliseconds (the reading's age) */
  readonly now?: () => number;
  /** where a failed reading is told (default console.warn: the function's log) */
  readonly warn?: (message: string) => void;
}

export class SesSendQuota {
  private reading: (SendQuotaReading & { readonly at: number; readonly lifeMs: number }) | undefined;
  /** a read that failed at this time is not tried again until maxAgeMs after it */
  private failedAt: number | undefined;
  private reading$: Promise<void> | undefined;
  private sentSinceReading = 0;
  /** emails whose place is taken and whose send has not answered yet (counted against the quota meanwhile) */
  private inFlight = 0;
  private readonly maxAgeMs: number;
  private readonly now: () => number;
  private readonly warn: (message: string) => void;

  constructor(
    private readonly client: SESv2Client,
    readonly options: SesSendQuotaOptions,
  ) {
    if (!(options.reservePercent >= 0 && options.reservePercent <= 90))
      throw new RangeError(`the mail reserve must be 0-90 %, not ${options.reservePercent}`);
    this.maxAgeMs = options.maxAgeMs ?? QUOTA_READING_MAX_AGE_MS;
    this.now = options.now ?? Date.now;
    this.warn = options.warn ?? ((message) => console.warn(message));
  }

  /**
   * Takes a place in the quota for one email before it is sent: why a bulk email is held instead, or undefined
   * with the place counted (sends at once through one container all see each other's places, not one reading
   * that each passes). The send's answer gives it back: `done`.
   */
  async take(bulk: boolean): Promise<string | undefined> {
    if (bulk && this.options.reservePercent > 0) await this.readIfOld();
    // the check and the count in one step (no await between): sends waiting on the same reading see each other
    const held = bulk ? this.heldNow() : undefined;
    if (held === undefined) this.inFlight++;
    return held;
  }

  /** The send of a place taken answered: it went, or not. */
  done(sent: boolean): void {
    this.inFlight--;
    if (sent) this.sentSinceReading++;
  }

  /** Reads the quota when the reading is past its life (and no read failed lately); one read at a time. */
  private async readIfOld(): Promise<void> {
    const fresh = this.reading !== undefined && this.now() - this.reading.at < this.reading.lifeMs;
    const failedLately = this.failedAt !== undefined && this.now() - this.failedAt < this.maxAgeMs;
    if (fresh || failedLately) return;
    // concurrent sends wait for the same answer
    this.reading$ ??= this.read().finally(() => {
      this.reading$ = undefined;
    });
    await this.reading$;
  }

  /** Why a bulk email must wait now, or undefined (no reserve, the quota unknown, or room left). */
  private heldNow(): string | undefined {
    if (this.options.reservePercent === 0) return undefined;
    // a reading kept past failed reads serves a few of its readings' life at most: then no reserve (fail open),
    // rather than nurture dropped for days on figures a day old
    if (!this.reading || this.now() - this.reading.at >= STALE_READING_LIVES * this.maxAgeMs)
      return undefined;
    return bulkRefusal(
      { max: this.reading.max, sent: this.reading.sent + this.sentSinceReading + this.inFlight },
      this.options.reservePercent,
    );
  }

  private async read(): Promise<void> {
    const at = this.now();
    try {
      const account = await this.client.send(new GetAccountCommand({}));
      const quota = account.SendQuota;
      if (quota?.Max24HourSend === undefined || quota.SentLast24Hours === undefined)
        throw new Error('GetAccount answered without SendQuota');
      const reading = {
        max: quota.Max24HourSend,
        sent: quota.SentLast24Hours,
        ...(quota.MaxSendRate === undefined ? {} : { rate: quota.MaxSendRate }),
      };
      this.reading = {
        ...reading,
        at,
        lifeMs: readingLifeMs(reading, this.options.reservePercent, this.maxAgeMs),
      };
      this.sentSinceReading = 0;
      this.failedAt = undefined;
    } catch (error) {
      // the reading before, if any, serves on (its own sends still counted on it): a throttled GetAccount in a
      // burst of containers must not leave the burst unguarded; without one there is no reserve until a read
      this.failedAt = at;
      const why = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
      this.warn(
        this.reading
          ? `LeadPact: SES's sending quota could not be read again (${why}); the reading of ${Math.round((at - this.reading.at) / 1000)} s ago serves on (ADR 0067)`
          : `LeadPact: SES's sending quota could not be read (${why}); nurture keeps no reserve for the SLA's emails for ${Math.round(this.maxAgeMs / 1000)} s (ADR 0067)`,
      );
    }
  }
}
