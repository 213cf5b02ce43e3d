/**
 * The HTML form an ops engineer pastes into the website: a plain form post to POST /leads that works
 * without script, enhanced by the form's script (GET /forms/{formId}.js: validation, an in-page answer),
 * with the honeypot field bots fill and people never see, the SLA form it counts as, and a thank-you
 * page on the site (it must be on an allowed origin: the API refuses open redirects).
 */
import { HONEYPOT_FIELD, REDIRECT_FIELD } from '../lambdas/api/lead-submission.ts';
import { escapeHtml } from '../lambdas/domain/email-templates.ts';
import { shippedLanguage, textDirection } from '../lambdas/domain/locale.ts';
import { pageText } from '../lambdas/domain/page-text.ts';

export interface FormSnippetOptions {
  /** where the form posts: the URL POST /leads is under (may be a CloudFormation token: it is only concatenated) */
  readonly apiUrl: string;
  /** where GET /forms/{formId}.js is served, when another API than the form post's (default apiUrl) */
  readonly scriptUrl?: string;
  /** an SLA form id (sla.forms): what the post counts as */
  readonly formId?: string;
  /** where the browser goes after posting; omitted when no concrete origin is allowed */
  readonly thankYouUrl?: string;
  /** the language of the page it goes on (an SLA locale): labels, direction, the lead's locale; default en */
  readonly locale?: string;
  /** what the consent box says (the SLA form's consent text in that language); default LeadPact's words */
  readonly consentText?: string;
}

export function formSnippet(options: FormSnippetOptions): string {
  const hidden = (name: string, value: string) =>
    `<input type="hidden" name="${name}" value="${escapeHtml(value)}">`;
  const locale = options.locale ?? 'en';
  const t = pageText(shippedLanguage(locale)).formScript;
  const label = (name: string, attributes: string) =>
    `<label>${escapeHtml(t.labels[name] ?? name)} <input name="${name}" ${attributes}></label>`;
  return [
    `<form method="post" action="${options.apiUrl}/leads" lang="${escapeHtml(locale)}" dir="${textDirection(locale)}"${options.formId ? ` data-leadpact-form="${escapeHtml(options.formId)}"` : ''}>`,
    label('email', 'type="email" autocomplete="email" required'),
    label('firstName', 'autocomplete="given-name"'),
    label('lastName', 'autocomplete="family-name"'),
    label('company', 'autocomplete="organization"'),
    label('jobTitle', 'autocomplete="organization-title"'),
    label('country', 'autocomplete="country-name"'),
    `<label><input type="checkbox" name="marketingConsent" value="true"> ${escapeHtml(options.consentText ?? t.consent)}</label>`,
    // clipped in place: pushed off to the left, it would scroll a right-to-left (Arabic) page sideways
    `<input name="${HONEYPOT_FIELD}" tabindex="-1" autocomplete="off" aria-hidden="true" style="position:absolute;width:1px;height:1px;overflow:hidden;clip-path:inset(50%)">`,
    ...(options.formId ? [hidden('formId', options.formId)] : []),
    ...(options.thankYouUrl ? [hidden(REDIRECT_FIELD, options.thankYouUrl)] : []),
    // the lead's language (ADR 0019): its emails and the thank-you page follow the page's
    hidden('locale', locale),
    `<button type="submit">${escapeHtml(t.send)}</button>`,
    '</form>',
    // the form works as it is; the script (GET /forms/{formId}.js) adds validation and an in-page answer
    ...(options.formId
      ? [
          `<script src="${options.scriptUrl ?? options.apiUrl}/forms/${encodeURIComponent(options.formId)}.js" async></script>`,
        ]
      : []),
  ].join('\n');
}

/** The thank-you page for the snippet: /thank-you on the first concrete allowed origin. */
export function thankYouUrl(allowedOrigins: readonly string[]): string | undefined {
  const origin = allowedOrigins.find((candidate) => candidate !== '*');
  return origin ? `${origin}/thank-you` : undefined;
}
