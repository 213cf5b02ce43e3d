/**
 * Single use of console sign-in links (domain/sign-in.ts): a link's nonce is claimed once, with one
 * conditional write, so of two POSTs of the same link (a double click, a replay) exactly one signs in.
 */
export interface SignInLedger {
  /** 'claimed' the first time a nonce is claimed; 'used' ever after. `expiresAt` (ISO) is kept for cleanup. */
  claim(nonce: string, expiresAt: string): Promise<'claimed' | 'used'>;
}

/** In memory: the simulator and unit tests. */
export class MemorySignInLedger implements SignInLedger {
  private readonly used = new Set<string>();

  async claim(nonce: string): Promise<'claimed' | 'used'> {
    if (this.used.has(nonce)) return 'used';
    this.used.add(nonce);
    return 'claimed';
  }
}
