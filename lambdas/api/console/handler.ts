/**
 * The middy wrapper of every console route: an error becomes a console page with its status, naming
 * the fields at fault and a way back; an unexpected error is logged without personal data and answered
 * 500 without detail. The page is in the reader's language (ADR 0019, the console amendment): the
 * session's once it was read (session.ts localeOfEvent); an error before that (a page no route has, a form
 * refused before its session was read) reads the session then (errorReaderOf), else the browser's
 * Accept-Language among the SLA's locales. An error's English message is in their words when
 * console-text.ts has them, else the sentence for its code. On the catch-all (not-found.ts), a program that
 * asks for JSON (an Accept that ranks application/json above text/html, not a browser's navigation) gets the
 * API's JSON error instead.
 */
import middy from '@middy/core';
import type { Refusal } from '../../domain/refusal.ts';
import type { Sla } from '../../domain/sla-schema.ts';
import { LeadConflictError } from '../../ports/lead-store.ts';
import type { ApiDeps } from '../deps.ts';
import {
  acceptRanks,
  asKnownError,
  errorResponse,
  HttpError,
  type HttpEvent,
  type HttpResult,
  header,
  logRouteFailure,
} from '../http.ts';
import { asHttpError, type LambdaHttpHandler, type RouteHandler } from '../middleware.ts';
import { EN, esc, page, type Ui, uiFor } from './html.ts';
import { refusalText } from './refusal-text.ts';
import { errorReaderOf, localeOfEvent, personOfEvent } from './session.ts';
import { zoneOf } from './viewer-calendar.ts';
import { CORRECTABLE } from './views.ts';

/**
 * `deps`: the SLA's locales and the session, for an error that came before the reader was known.
 * `programs`: a caller that prefers JSON gets the API's error (the catch-all's 404 and 405, which answer for
 * addresses no page has, as the API's edge does); the console's own routes answer their refusals as pages.
 */
export function consoleHandler(
  route: string,
  deps: ApiDeps,
  handler: RouteHandler,
  options: { readonly programs?: 'json' } = {},
): LambdaHttpHandler {
  return middy<HttpEvent, HttpResult>()
    .use({
      onError: async (request) => {
        if (options.programs === 'json' && prefersJson(request.event)) {
          request.response = errorResponse(asHttpError(route, request.error));
          return;
        }
        await errorReaderOf(deps, request.event);
        request.response = consoleError(request.error, route, deps.sla, request.event);
      },
    })
    .handler(handler);
}

/**
 * A program, not a browser: an Accept that ranks application/json above text/html (a browser navigating,
 * `Sec-Fetch-Mode: navigate`, never is; no Accept, or any type, is a page as before).
 */
export function prefersJson(event: HttpEvent): boolean {
  if (header(event, 'sec-fetch-mode')?.toLowerCase() === 'navigate') return false;
  const { html, json } = acceptRanks(event);
  return json > 0 && json > html;
}

export function consoleError(thrown: unknown, route: string, sla: Sla, event?: HttpEvent): HttpResult {
  const error = asKnownError(thrown, route);
  const locale = localeOfEvent(event);
  const ui = locale ? uiFor(locale) : EN;
  const { errors } = ui.t;
  const back = backLink(event, ui);
  if (error instanceof HttpError) {
    // a refusal with its reason as data is worded from the data, on the signed-in person's clock
    const person = personOfEvent(event);
    const zone = person ? zoneOf(sla, { person }) : sla.calendar.timeZone;
    const why = (refusal: Refusal | undefined) => refusal && refusalText(refusal, sla, ui, zone);
    const fields = error.fields.length
      ? `<ul class="fields">${error.fields.map((f) => `<li><strong>${esc(fieldLabel(f.path, ui))}</strong>: ${esc(why(f.refusal) ?? message(f.message, undefined, ui) ?? errors.invalidField)}</li>`).join('')}</ul>`
      : '';
    const said = why(error.refusal) ?? message(error.message, error.code, ui) ?? errors.fallbackTitle;
    return page(
      {
        title: errors.titles[error.status] ?? errors.fallbackTitle,
        status: error.status,
        headers: error.headers,
        ui,
      },
      `<p class="notice problem" role="alert">${esc(sentence(said))}</p>${fields}${back}`,
    );
  }
  if (error instanceof LeadConflictError) {
    return page(
      { title: errors.conflictTitle, status: 409, ui },
      `<p class="notice problem" role="alert">${esc(errors.conflict)}</p>${back}`,
    );
  }
  logRouteFailure(route, error);
  return page(
    { title: errors.brokenTitle, status: 500, ui },
    `<p class="notice problem" role="alert">${esc(errors.broken)}</p>${back}`,
  );
}

/**
 * An error's message for the reader: English as written; another language's words for it, else the sentence
 * for its code (a field's problem: undefined, the caller says it is not valid).
 */
function message(text: string, code: string | undefined, ui: Ui): string | undefined {
  if (ui.lang === 'en') return text;
  const { messages, codes } = ui.t.errors;
  const known = Object.hasOwn(messages, text) ? messages[text] : undefined;
  return known ?? (code !== undefined && Object.hasOwn(codes, code) ? codes[code] : undefined);
}

/**
 * A field as the console's form labels it (`fields.phone`: Phone, `at`: When, `amount`: Amount), in every language
 * (a rep read "at: in the future" for the form's "When"); any other path as it is.
 */
function fieldLabel(path: string, ui: Ui): string {
  const key = CORRECTABLE.find(([name]) => path === `fields.${name}`)?.[0];
  if (key) return ui.t.lead.fields[key] ?? path;
  // a form's own fields (their names are the contract: the reader sees the label the form shows)
  const { lead, leads, reports } = ui.t;
  const labels: Readonly<Record<string, string>> = {
    outcome: lead.outcome,
    channel: lead.channel,
    note: lead.note,
    at: lead.when,
    stage: leads.stage,
    status: leads.status,
    type: leads.type,
    owner: leads.owner,
    amount: lead.amount,
    reason: lead.reasonOptional,
    q: leads.search,
    due: leads.dueTodayOnly,
    overdue: leads.overdueOnly,
    needsOwner: leads.waitingOnly,
    period: reports.period,
    from: reports.from,
    to: reports.to,
    queue: reports.queue,
    rep: reports.rep,
  };
  const names = ui.t.errors.fieldNames;
  return Object.hasOwn(labels, path) ? labels[path]! : Object.hasOwn(names, path) ? names[path]! : path;
}

/** Back to the lead a form was about, else the console's start. */
function backLink(event: HttpEvent | undefined, ui: Ui): string {
  const id = event?.pathParameters?.id;
  const href = id && /^[A-Za-z0-9_-]{22}$/.test(id) ? `/console/leads/${id}` : '/console';
  return `<p><a class="button" href="${href}">${esc(ui.t.errors.back)}</a></p>`;
}

function sentence(text: string): string {
  const trimmed = text.trim();
  const capital = trimmed.charAt(0).toUpperCase() + trimmed.slice(1);
  return /[.!?؟]$/.test(capital) ? capital : `${capital}.`;
}
