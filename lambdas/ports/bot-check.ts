/**
 * An optional bot check on the public form (off by default): a CAPTCHA widget on the web page puts a
 * token in the form post (`field`); the provider's server-side verify says whether a person solved it.
 */
export interface BotCheck {
  /** the form field the provider's widget fills, e.g. cf-turnstile-response */
  readonly field: string;
  /** true when the provider accepts the token; throws when the provider cannot be asked */
  verify(token: string, remoteIp?: string): Promise<boolean>;
}
