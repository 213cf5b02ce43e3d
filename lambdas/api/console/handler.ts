/**
 * The middy wrapper of every console route: an error becomes a console page with its status, naming
 * the fields at fault and a way back; an unexpected error is logged without personal data and answered
 * 500 without detail.
 */
import middy from '@middy/core';
import { LeadConflictError } from '../../ports/lead-store.ts';
import { asKnownError, HttpError, type HttpEvent, type HttpResult, logRouteFailure } from '../http.ts';
import type { LambdaHttpHandler, RouteHandler } from '../middleware.ts';
import { esc, page } from './html.ts';
import { CORRECTABLE } from './views.ts';

const TITLES: Readonly<Record<number, string>> = {
  400: 'That did not work',
  401: 'Please sign in',
  403: 'Not allowed',
  404: 'Not found',
  409: 'Nothing changed',
  410: 'This link has expired',
  413: 'Too much at once',
  415: 'That did not work',
  422: 'Not possible under the SLA',
  503: 'Not available',
};

export function consoleHandler(route: string, handler: RouteHandler): LambdaHttpHandler {
  return middy<HttpEvent, HttpResult>()
    .use({
      onError: async (request) => {
        request.response = consoleError(request.error, route, request.event);
      },
    })
    .handler(handler);
}

export function consoleError(thrown: unknown, route: string, event?: HttpEvent): HttpResult {
  const error = asKnownError(thrown);
  const back = backLink(event);
  if (error instanceof HttpError) {
    const fields = error.fields.length
      ? `<ul class="fields">${error.fields.map((f) => `<li><strong>${esc(fieldLabel(f.path))}</strong>: ${esc(f.message)}</li>`).join('')}</ul>`
      : '';
    return page(
      { title: TITLES[error.status] ?? 'That did not work', status: error.status, headers: error.headers },
      `<p class="notice problem" role="alert">${esc(sentence(error.message))}</p>${fields}${back}`,
    );
  }
  if (error instanceof LeadConflictError) {
    return page(
      { title: 'Please try again', status: 409 },
      `<p class="notice problem" role="alert">The lead was being changed at the same moment; nothing was changed. Go back and send the form again.</p>${back}`,
    );
  }
  logRouteFailure(route, error);
  return page(
    { title: 'Something went wrong', status: 500 },
    `<p class="notice problem" role="alert">Something went wrong on our side; nothing was changed. Please try again in a minute.</p>${back}`,
  );
}

/** A correction's field as the lead's page labels it (`fields.phone`: Phone); any other path as it is. */
function fieldLabel(path: string): string {
  return CORRECTABLE.find(([key]) => path === `fields.${key}`)?.[1] ?? path;
}

/** Back to the lead a form was about, else the console's start. */
function backLink(event: HttpEvent | undefined): string {
  const id = event?.pathParameters?.id;
  const href = id && /^[A-Za-z0-9_-]{22}$/.test(id) ? `/console/leads/${id}` : '/console';
  return `<p><a class="button" href="${href}">Back</a></p>`;
}

function sentence(text: string): string {
  const trimmed = text.trim();
  const capital = trimmed.charAt(0).toUpperCase() + trimmed.slice(1);
  return /[.!?]$/.test(capital) ? capital : `${capital}.`;
}
