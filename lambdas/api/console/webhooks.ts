/**
 * Events out in the console, for ops (issue 14: "the console shows failing endpoints"): GET
 * /console/webhooks groups the deliveries that are failing (retrying, or failed for good) by endpoint
 * (a webhook URL, or the EventBridge bus) with the last error, and lists the latest failed ones, each
 * with a Replay button: POST /console/webhooks/deliveries/{id}/replay sends it again, the same way as
 * the API's replay route (webhook-deliveries.ts: same webhook-id, a fresh retry schedule). Reps and
 * managers get 403; the page reads at most a few pages of the delivery log (the events index), never
 * the leads.
 */

import { redactUrlsIn, redactWebhookUrl } from '../../domain/webhook-url-redaction.ts';
import type { WebhookDelivery } from '../../domain/webhooks.ts';
import type { ApiDeps } from '../deps.ts';
import { HttpError, type HttpEvent } from '../http.ts';
import { replayDelivery } from '../webhook-deliveries.ts';
import { consoleHandler } from './handler.ts';
import {
  csrfField,
  EN,
  esc,
  type Html,
  notice,
  page,
  redirect,
  table,
  time,
  type Ui,
  uiFor,
} from './html.ts';
import { type ConsoleSession, formOf, requireWriteSession, sessionOf } from './session.ts';

/** deliveries read per status: enough to name every failing endpoint of a bad hour */
const READ_PER_STATUS = 200;
/** the failed deliveries listed with a Replay button */
const FAILED_LISTED = 25;

/** One endpoint (a subscription) that is failing: deliveries waiting for a retry and deliveries given up on. */
export interface FailingEndpoint {
  readonly subscriptionId: string;
  /** redacted (webhook-url-redaction.ts): two subscriptions may show the same */
  readonly url: string;
  readonly retrying: number;
  readonly failed: number;
  /** the most recent attempt's error and time, among its failing deliveries */
  readonly lastError?: string;
  readonly lastAttemptAt?: string;
}

/**
 * Groups failing deliveries by subscription (a redacted URL may be two receivers' own: two Slack hooks), the
 * most recently failing first. Pure.
 */
export function failingEndpoints(
  retrying: readonly WebhookDelivery[],
  failed: readonly WebhookDelivery[],
): FailingEndpoint[] {
  const bySubscription = new Map<
    string,
    { url: string; retrying: number; failed: number; last?: WebhookDelivery }
  >();
  for (const [status, deliveries] of [
    ['retrying', retrying],
    ['failed', failed],
  ] as const) {
    for (const delivery of deliveries) {
      const entry = bySubscription.get(delivery.subscriptionId) ?? {
        url: redactWebhookUrl(delivery.url),
        retrying: 0,
        failed: 0,
      };
      entry[status] += 1;
      if ((delivery.lastAttemptAt ?? '') > (entry.last?.lastAttemptAt ?? '')) entry.last = delivery;
      bySubscription.set(delivery.subscriptionId, entry);
    }
  }
  return [...bySubscription.entries()]
    .map(([subscriptionId, { url, retrying: r, failed: f, last }]) => ({
      subscriptionId,
      url,
      retrying: r,
      failed: f,
      ...(last?.lastError ? { lastError: redactUrlsIn(last.lastError) } : {}),
      ...(last?.lastAttemptAt ? { lastAttemptAt: last.lastAttemptAt } : {}),
    }))
    .sort((a, b) => (b.lastAttemptAt ?? '').localeCompare(a.lastAttemptAt ?? ''));
}

/** The overview's line for ops when endpoints are failing (empty otherwise, and for everyone else). */
export async function failingNotice(deps: ApiDeps, session: ConsoleSession): Promise<Html> {
  if (session.person.role !== 'ops') return '';
  const failing = (await failingNow(deps, 50))?.endpoints;
  if (!failing || failing.length === 0) return '';
  const ui = uiFor(session.locale);
  const w = ui.t.webhooks;
  const names = failing.slice(0, 3).map((endpoint) => endpointName(endpoint, failing, ui));
  const namesHtml = `<bdi dir="ltr">${esc(names.join(', '))}${failing.length > 3 ? ', ...' : ''}</bdi>`;
  return `<p class="notice problem" role="alert">${w.failingNoticeHtml(failing.length, ui.num(failing.length), namesHtml)} <a href="/console/webhooks">${esc(w.seeAndReplay)}</a></p>`;
}

/**
 * The endpoints failing now and the failed deliveries read for them (newest first), or undefined where
 * there is no delivery log (events out off).
 */
export async function failingNow(
  deps: Pick<ApiDeps, 'events'>,
  limit = READ_PER_STATUS,
): Promise<{ endpoints: FailingEndpoint[]; failed: WebhookDelivery[] } | undefined> {
  if (!deps.events) return undefined;
  // the retrying ones per subscription: a page of their partition is one subscription's queue (ADR 0056)
  const [retrying, failed] = await Promise.all([
    deps.events.log.queuedDeliveries('retrying', limit),
    deps.events.log.listDeliveries('failed', { limit }),
  ]);
  return { endpoints: failingEndpoints(retrying, failed.deliveries), failed: failed.deliveries };
}

/**
 * An endpoint as a person reads it: the bus by name, a URL redacted (webhook-url-redaction.ts: a Slack,
 * Zapier or Discord URL is the receiver's credential); with its subscription id when another endpoint of
 * `all` reads the same.
 */
function endpointName(
  endpoint: Pick<FailingEndpoint, 'url' | 'subscriptionId'>,
  all: readonly Pick<FailingEndpoint, 'url' | 'subscriptionId'>[],
  ui: Ui = EN,
): string {
  if (endpoint.url.startsWith('eventbridge:')) return ui.t.webhooks.bus;
  const shown = redactWebhookUrl(endpoint.url);
  const twin = all.some(
    (other) => other.subscriptionId !== endpoint.subscriptionId && redactWebhookUrl(other.url) === shown,
  );
  return twin ? `${shown} (${endpoint.subscriptionId})` : shown;
}

function requireOps(session: ConsoleSession): void {
  if (session.person.role !== 'ops')
    throw new HttpError(403, 'forbidden', 'only ops see and replay webhook deliveries');
}

export function webhooksPageHandler(deps: ApiDeps) {
  return consoleHandler('GET /console/webhooks', deps, async (event: HttpEvent) => {
    const session = await sessionOf(deps, event);
    if (!session) return redirect('/console');
    requireOps(session);
    const ui = uiFor(session.locale);
    const w = ui.t.webhooks;
    // ops work in the SLA's own time zone (only reps have their own calendars)
    const zone = deps.sla.calendar.timeZone;
    const replayedId = event.queryStringParameters?.replayed;
    const done =
      replayedId && /^dlv_[0-9a-f]{32}$/.test(replayedId)
        ? `<p class="notice success" role="status">${w.replayed(`<bdi dir="ltr">${esc(replayedId)}</bdi>`)}</p>`
        : '';
    if (!deps.events)
      return page({ title: w.title, section: 'webhooks', session }, `${done}${notice(w.off)}`);
    const { endpoints: failing, failed } = (await failingNow(deps)) ?? { endpoints: [], failed: [] };
    const summary =
      failing.length === 0
        ? notice(w.allAnswering, 'success')
        : notice(w.failing(failing.length, ui.num(failing.length)), 'problem');
    // an endpoint's address, an event's type and an endpoint's error: the systems' own words, left to right
    const data = (value: string) => `<bdi dir="ltr">${esc(value)}</bdi>`;
    // an address (or an error quoting one) is one long word: it wraps anywhere rather than run off a phone
    const address = (value: string) => `<bdi dir="ltr" class="addr">${esc(value)}</bdi>`;
    const endpointTable = table<FailingEndpoint>(
      w.failingEndpoints,
      [
        { label: w.endpoint, cell: (row) => address(endpointName(row, failing, ui)) },
        { label: w.retrying, cell: (row) => ui.num(row.retrying), numeric: true },
        { label: w.failed, cell: (row) => ui.num(row.failed), numeric: true },
        { label: w.lastError, cell: (row) => (row.lastError ? address(row.lastError) : '–') },
        { label: w.lastAttempt, cell: (row) => time(row.lastAttemptAt, zone, ui) },
      ],
      failing,
      w.none,
    );
    // the button beside the event, so a phone shows it without scrolling the table sideways
    const replayButton = (delivery: WebhookDelivery) =>
      `<form method="post" action="/console/webhooks/deliveries/${esc(delivery.deliveryId)}/replay">${csrfField(session)}<button type="submit" class="row-action" aria-label="${esc(w.replayLabel(delivery.eventType))}">${esc(w.replay)}</button></form>`;
    const failedTable = table<WebhookDelivery>(
      w.failedForGood,
      [
        { label: w.event, cell: (d) => data(d.eventType) },
        { label: w.sendAgain, cell: replayButton },
        { label: w.lead, cell: (d) => `<a href="/console/leads/${esc(d.leadId)}">${esc(w.open)}</a>` },
        { label: w.endpoint, cell: (d) => address(endpointName(d, failing, ui)) },
        { label: w.attempts, cell: (d) => ui.num(d.attempts), numeric: true },
        { label: w.lastError, cell: (d) => (d.lastError ? address(redactUrlsIn(d.lastError)) : '–') },
      ],
      failed.slice(0, FAILED_LISTED),
      w.none,
    );
    const body: Html =
      done +
      summary +
      `<section aria-labelledby="endpoints"><h2 id="endpoints">${esc(w.endpoints)}</h2>${endpointTable}</section>` +
      `<section aria-labelledby="failed"><h2 id="failed">${esc(w.failedDeliveries)}</h2>${failedTable}` +
      `<p>${w.replayNoteHtml}</p></section>`;
    return page({ title: w.title, section: 'webhooks', session }, body);
  });
}

export function replayFromConsoleHandler(deps: ApiDeps) {
  return consoleHandler('POST /console/webhooks/deliveries/{id}/replay', deps, async (event: HttpEvent) => {
    const session = await requireWriteSession(deps, event, formOf(event));
    requireOps(session);
    if (!deps.events) throw new HttpError(503, 'unavailable', 'webhook deliveries are not available here');
    const delivery = await replayDelivery(deps, deps.events, event.pathParameters?.id ?? '');
    return redirect(`/console/webhooks?replayed=${encodeURIComponent(delivery.deliveryId)}`);
  });
}
