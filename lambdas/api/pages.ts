/**
 * Small HTML pages for people who follow a link from an email (action links, unsubscribe): one
 * column, big buttons, no scripts, no external resources. The middy wrapper answers every error
 * as such a page too, with the error's status, instead of the API's JSON.
 */
import middy from '@middy/core';
import { escapeHtml } from '../domain/email-templates.ts';
import { localeField, shippedLanguage, textDirection } from '../domain/locale.ts';
import { type ErrorText, pageText } from '../domain/page-text.ts';
import type { Sla } from '../domain/sla-schema.ts';
import { LeadConflictError } from '../ports/lead-store.ts';
import { asKnownError, HttpError, type HttpEvent, type HttpResult, header, logRouteFailure } from './http.ts';
import type { LambdaHttpHandler, RouteHandler } from './middleware.ts';

export interface PageContent {
  readonly title: string;
  /** paragraphs of plain text (escaped here) */
  readonly paragraphs?: readonly string[];
  /**
   * a POST form to the current URL with one button: the only way a page acts; `fields` posted with it as hidden
   * inputs (the attempt a "Logged already?" page asked about)
   */
  readonly confirm?: {
    readonly label: string;
    readonly danger?: boolean;
    readonly fields?: Readonly<Record<string, string>>;
  };
  readonly tone?: 'neutral' | 'success' | 'problem';
  /** ways on from here, after the paragraphs: the first drawn as the page's button, the rest as plain links */
  readonly links?: readonly { readonly href: string; readonly label: string }[];
  /** the reader's language (locale.ts): the page's `lang`, and `dir="rtl"` for Arabic; default English */
  readonly locale?: string;
}

/**
 * A refusal with a page of its own (a stale action link: "This lead moved to Lena Hartmann"), for
 * handlers that throw from deep inside, e.g. a conditional write's check. Rendered as is, with its status.
 */
export class PageError extends HttpError {
  constructor(
    status: number,
    code: string,
    readonly content: PageContent,
  ) {
    super(status, code, content.title);
    this.name = 'PageError';
  }
}

/**
 * Headers for every page: never cached; no Referer, so the token in the URL does not leak to
 * another site; no framing (a confirm button must not be clickjacked); no scripts at all.
 */
export const PAGE_HEADERS: Readonly<Record<string, string>> = {
  'content-type': 'text/html; charset=utf-8',
  'cache-control': 'no-store',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
  'x-robots-tag': 'noindex, nofollow',
  'content-security-policy':
    "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
};

const ACCENT = { neutral: '#0b5cad', success: '#067647', problem: '#b42318' } as const;

export function htmlPage(status: number, content: PageContent): HttpResult {
  const accent = ACCENT[content.tone ?? 'neutral'];
  const locale = content.locale ?? 'en';
  const paragraphs = (content.paragraphs ?? [])
    .map((text) => `<p style="margin:0 0 14px;font-size:17px;line-height:1.5">${escapeHtml(text)}</p>`)
    .join('');
  const form = content.confirm
    ? '<form method="post" action="" style="margin:20px 0 0">' +
      Object.entries(content.confirm.fields ?? {})
        .map(
          ([name, value]) => `<input type="hidden" name="${escapeHtml(name)}" value="${escapeHtml(value)}">`,
        )
        .join('') +
      `<button type="submit" style="display:block;width:100%;min-height:52px;padding:14px 16px;border:0;border-radius:8px;background:${content.confirm.danger ? ACCENT.problem : ACCENT.neutral};color:#ffffff;font-size:18px;font-weight:bold;cursor:pointer">${escapeHtml(content.confirm.label)}</button>` +
      '</form>'
    : '';
  const links = (content.links ?? [])
    .map(({ href, label }, index) =>
      index === 0
        ? `<a href="${escapeHtml(href)}" style="display:block;margin:20px 0 0;padding:14px 16px;border-radius:8px;background:${ACCENT.neutral};color:#ffffff;font-size:18px;font-weight:bold;text-align:center;text-decoration:none">${escapeHtml(label)}</a>`
        : `<p style="margin:16px 0 0;font-size:16px;text-align:center"><a href="${escapeHtml(href)}" style="color:${ACCENT.neutral}">${escapeHtml(label)}</a></p>`,
    )
    .join('');
  const body =
    `<!DOCTYPE html><html lang="${escapeHtml(locale)}" dir="${textDirection(locale)}"><head><meta charset="utf-8">` +
    '<meta name="viewport" content="width=device-width, initial-scale=1">' +
    `<title>${escapeHtml(content.title)}</title></head>` +
    '<body style="margin:0;padding:16px 12px;background:#f2f4f7;font-family:-apple-system,Segoe UI,Roboto,Helvetica,Arial,sans-serif;color:#1a1a1a">' +
    `<main style="max-width:520px;margin:0 auto;padding:22px 18px;overflow-wrap:anywhere;background:#ffffff;border-radius:10px;border-top:6px solid ${accent}">` +
    `<h1 style="margin:0 0 14px;font-size:22px;line-height:1.3">${escapeHtml(content.title)}</h1>` +
    paragraphs +
    form +
    links +
    '</main></body></html>';
  return { statusCode: status, headers: { ...PAGE_HEADERS }, body };
}

/**
 * The language of the page a request gets, set by a handler once it knows the reader (the rep a link
 * was sent to, the lead); an error thrown after that is a page in that language too.
 */
const readerLocales = new WeakMap<HttpEvent, string>();

export function setPageLocale(event: HttpEvent, locale: string): string {
  readerLocales.set(event, locale);
  return locale;
}

/**
 * The language of a page whose reader is not known yet (a link that does not verify): the browser's
 * best supported language (Accept-Language), else the SLA's default.
 */
export function requestLocale(sla: Pick<Sla, 'locales'>, event: HttpEvent): string {
  return localeField(sla, {}, header(event, 'accept-language')).locale ?? sla.locales.default;
}

/** An error as a page in `locale`: its status, its message; an unexpected error is logged and answered 500 without detail. */
export function errorPage(thrown: unknown, route: string, locale = 'en'): HttpResult {
  const error = asKnownError(thrown, route);
  if (error instanceof PageError) return htmlPage(error.status, { locale, ...error.content });
  const text = pageText(shippedLanguage(locale)).errors;
  if (error instanceof HttpError) {
    const known = text.sentences[error.code];
    const paragraph = known ?? (shippedLanguage(locale) === 'en' ? sentence(error.message) : text.generic);
    return withHeaders(
      htmlPage(error.status, {
        title: pageTitle(error, text),
        paragraphs: [paragraph],
        tone: 'problem',
        locale,
      }),
      error.headers,
    );
  }
  if (error instanceof LeadConflictError) {
    return htmlPage(409, {
      title: text.conflictTitle,
      paragraphs: [text.conflict],
      tone: 'problem',
      locale,
    });
  }
  logRouteFailure(route, error);
  return htmlPage(500, {
    title: text.byStatus.broken,
    paragraphs: [text.brokenSentence],
    tone: 'problem',
    locale,
  });
}

/**
 * Wraps a route that answers with pages: every error becomes a page too, in the reader's language
 * (setPageLocale) or else the request's (`fallbackLocale`, e.g. requestLocale).
 */
export function pageHandler(
  route: string,
  handler: RouteHandler,
  fallbackLocale: (event: HttpEvent) => string = () => 'en',
): LambdaHttpHandler {
  return middy<HttpEvent, HttpResult>()
    .use({
      onError: async (request) => {
        const locale = readerLocales.get(request.event) ?? fallbackLocale(request.event);
        request.response = errorPage(request.error, route, locale);
      },
    })
    .handler(handler);
}

function pageTitle(error: HttpError, text: ErrorText): string {
  const titled = text.titles[error.code];
  if (titled) return titled;
  if (error.status === 410) return text.byStatus.gone;
  if (error.status === 409) return text.byStatus.nothingToDo;
  if (error.status === 404) return text.byStatus.notFound;
  if (error.status === 503) return text.byStatus.unavailable;
  if (error.status >= 500) return text.byStatus.broken;
  return text.byStatus.notWorking;
}

function sentence(text: string): string {
  const trimmed = text.trim();
  const capital = trimmed.charAt(0).toUpperCase() + trimmed.slice(1);
  return /[.!?]$/.test(capital) ? capital : `${capital}.`;
}

/** The result with `headers` added (a 503's Retry-After). */
export function withHeaders(result: HttpResult, headers: Record<string, string>): HttpResult {
  return { ...result, headers: { ...result.headers, ...headers } };
}
