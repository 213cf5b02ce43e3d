/**
 * The console's server-side sign-in state (docs/decisions/0017-console-sessions.md, 0029):
 * - single use of sign-in links: a link's nonce is claimed once, with one conditional write, so of two
 *   POSTs of the same link (a double click, a replay) exactly one signs in;
 * - sessions: every session a sign-in opens is recorded, and a request's session counts only while its
 *   record is open, so signing out ends it for real (a copied cookie stops working at once);
 * - revocation: ops end every session of a person at once (a lost laptop, someone leaving the team);
 *   links the person was sent before that are refused too;
 * - sign-in email caps: a count per person and window (a clock hour, a UTC day), taken one email at a time
 *   and never past its cap (console/sign-in.ts claimSignInEmail).
 */
export interface PersonKey {
  readonly role: string;
  readonly id: string;
}

export interface SignInLedger {
  /** 'claimed' the first time a nonce is claimed; 'used' ever after. `expiresAt` (ISO) is kept for cleanup. */
  claim(nonce: string, expiresAt: string): Promise<'claimed' | 'used'>;
  /** Whether the nonce was claimed (read strongly consistent): a used link's page offers no button. */
  wasClaimed(nonce: string): Promise<boolean>;
  /** Records a session a sign-in opened (its id is the session token's nonce). */
  openSession(person: PersonKey, sessionId: string, expiresAt: string): Promise<void>;
  /** Whether the session was opened and has not been ended (read strongly consistent). */
  sessionLive(person: PersonKey, sessionId: string): Promise<boolean>;
  /** Ends one session (sign out). Ending an ended or unknown session is harmless. */
  endSession(person: PersonKey, sessionId: string, at: string): Promise<void>;
  /**
   * Ends every session of the person and records `at` as their revocation time (links sent before it
   * are refused). Returns how many open sessions it ended.
   */
  revokePerson(person: PersonKey, at: string): Promise<number>;
  /** The person's last revocation time (ISO), if any. */
  revokedAt(person: PersonKey): Promise<string | undefined>;
  /**
   * Counts one sign-in email to the person in `window` (a key naming it, e.g. `h493811` for a clock hour),
   * unless `cap` were counted in it already: 'counted' or 'full'. Atomic: of any number of concurrent calls,
   * at most `cap` count. `ask` names the ask: the same ask again (a retry whose first answer was lost) is
   * answered 'counted' and counted once, while no other ask counted since. `expiresAt` (ISO): the window's
   * end, when its count may be deleted.
   */
  countEmail(
    person: PersonKey,
    window: string,
    cap: number,
    ask: string,
    expiresAt: string,
  ): Promise<'counted' | 'full'>;
}

/** In memory: the simulator and unit tests. */
export class MemorySignInLedger implements SignInLedger {
  private readonly used = new Set<string>();
  private readonly sessions = new Map<string, { person: string; ended: boolean }>();
  private readonly revoked = new Map<string, string>();
  private readonly counts = new Map<string, { count: number; lastAsk: string }>();

  async claim(nonce: string): Promise<'claimed' | 'used'> {
    if (this.used.has(nonce)) return 'used';
    this.used.add(nonce);
    return 'claimed';
  }

  async wasClaimed(nonce: string): Promise<boolean> {
    return this.used.has(nonce);
  }

  async openSession(person: PersonKey, sessionId: string): Promise<void> {
    if (!this.sessions.has(sessionId)) this.sessions.set(sessionId, { person: keyOf(person), ended: false });
  }

  async sessionLive(person: PersonKey, sessionId: string): Promise<boolean> {
    const session = this.sessions.get(sessionId);
    return session !== undefined && session.person === keyOf(person) && !session.ended;
  }

  async endSession(person: PersonKey, sessionId: string): Promise<void> {
    const session = this.sessions.get(sessionId);
    if (session && session.person === keyOf(person)) session.ended = true;
  }

  async revokePerson(person: PersonKey, at: string): Promise<number> {
    this.revoked.set(keyOf(person), at);
    let ended = 0;
    for (const session of this.sessions.values())
      if (session.person === keyOf(person) && !session.ended) {
        session.ended = true;
        ended++;
      }
    return ended;
  }

  async revokedAt(person: PersonKey): Promise<string | undefined> {
    return this.revoked.get(keyOf(person));
  }

  async countEmail(person: PersonKey, window: string, cap: number, ask: string): Promise<'counted' | 'full'> {
    const key = `${keyOf(person)}:${window}`;
    const counted = this.counts.get(key) ?? { count: 0, lastAsk: '' };
    // as the DynamoDB adapter: the last ask that counted is answered 'counted' again, counted once
    if (counted.lastAsk === ask) return 'counted';
    if (counted.count >= cap) return 'full';
    this.counts.set(key, { count: counted.count + 1, lastAsk: ask });
    return 'counted';
  }
}

const keyOf = (person: PersonKey) => `${person.role}:${person.id}`;
