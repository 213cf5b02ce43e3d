/**
 * BotCheck over a CAPTCHA provider's siteverify endpoint (Cloudflare Turnstile, hCaptcha, Google
 * reCAPTCHA: the same form-encoded POST of secret, response and remoteip, answering `{ "success" }`).
 * The secret comes from Secrets Manager on AWS (lib/api.ts grants it) or the environment locally.
 */
import type { BotCheck } from '../ports/bot-check.ts';

export const BOT_CHECK_PROVIDERS = {
  turnstile: {
    field: 'cf-turnstile-response',
    verifyUrl: 'https://challenges.cloudflare.com/turnstile/v0/siteverify',
  },
  hcaptcha: { field: 'h-captcha-response', verifyUrl: 'https://api.hcaptcha.com/siteverify' },
  recaptcha: { field: 'g-recaptcha-response', verifyUrl: 'https://www.google.com/recaptcha/api/siteverify' },
} as const;

export type BotCheckProvider = keyof typeof BOT_CHECK_PROVIDERS;

export function isBotCheckProvider(name: string): name is BotCheckProvider {
  return Object.hasOwn(BOT_CHECK_PROVIDERS, name);
}

export interface SiteverifyOptions {
  readonly provider: BotCheckProvider;
  readonly secret: string;
  /** another endpoint speaking the same protocol (tests: a local server) */
  readonly verifyUrl?: string;
  /** the provider's answer must come within this (default 3 s): the visitor is waiting */
  readonly timeoutMs?: number;
}

export function siteverifyBotCheck(options: SiteverifyOptions): BotCheck {
  const { field, verifyUrl } = BOT_CHECK_PROVIDERS[options.provider];
  const url = options.verifyUrl ?? verifyUrl;
  return {
    field,
    async verify(token, remoteIp) {
      const body = new URLSearchParams({ secret: options.secret, response: token });
      if (remoteIp) body.set('remoteip', remoteIp);
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body,
        signal: AbortSignal.timeout(options.timeoutMs ?? 3000),
      });
      if (!response.ok) throw new Error(`bot check: the provider answered ${response.status}`);
      const answer = (await response.json()) as { success?: unknown };
      return answer.success === true;
    },
  };
}
