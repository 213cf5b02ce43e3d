/**
 * Events out in the console, for ops (issue 14: "the console shows failing endpoints"): GET
 * /console/webhooks groups the deliveries that are failing (retrying, or failed for good) by endpoint
 * (a webhook URL, or the EventBridge bus) with the last error, tells an endpoint whose latest attempt failed
 * (failing) from one that has taken a delivery since (answering again, its failed deliveries waiting for a
 * replay), and lists the latest failed ones, each
 * with a Replay button: POST /console/webhooks/deliveries/{id}/replay sends it again, the same way as
 * the API's replay route (webhook-deliveries.ts: same webhook-id, a fresh retry schedule). Reps and
 * managers get 403; the page reads at most a few pages of the delivery log (the events index), never
 * the leads. An endpoint whose latest success is older than the newest page of delivered deliveries (a busy
 * other one filled it) is taken as failing: the console says "answering" only of what it read. Each endpoint
 * links to its deliveries: with the delivery log's query (subscription, status, type, leadId, cursor) the page
 * lists those first (endpoint-deliveries.ts).
 */

import { redactUrlsIn, redactWebhookUrl } from '../../domain/webhook-url-redaction.ts';
import type { WebhookDelivery } from '../../domain/webhooks.ts';
import { deliveryLogPage, parseDeliveryLogQuery, requireKnownSubscription } from '../delivery-log-query.ts';
import type { ApiDeps } from '../deps.ts';
import { HttpError, type HttpEvent } from '../http.ts';
import { replayDelivery } from '../webhook-deliveries.ts';
import {
  endpointDeliveriesHref,
  endpointDeliveriesSection,
  SECTION_QUERY_NAMES,
} from './endpoint-deliveries.ts';
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
import { zoneOf } from './viewer-calendar.ts';

/** deliveries read per status: enough to name every failing endpoint of a bad hour */
const READ_PER_STATUS = 200;
/** the failed deliveries listed with a Replay button */
const FAILED_LISTED = 25;

/**
 * One endpoint (a subscription) with failed deliveries: waiting for a retry, or given up on and waiting for a
 * replay. Failing while its latest attempt failed; answering again once it has taken a delivery since.
 */
export interface EndpointWithFailures {
  readonly subscriptionId: string;
  /** redacted (webhook-url-redaction.ts): two subscriptions may show the same */
  readonly url: string;
  readonly retrying: number;
  readonly failed: number;
  /** the most recent attempt's error and time, among its failing deliveries */
  readonly lastError?: string;
  readonly lastAttemptAt?: string;
  /** when it last took a delivery, if after `lastAttemptAt`: it answers again (undefined: failing) */
  readonly answeringSince?: string;
}

/** Its latest attempt failed (nothing delivered to it since). */
export function isFailing(endpoint: Pick<EndpointWithFailures, 'answeringSince'>): boolean {
  return endpoint.answeringSince === undefined;
}

/**
 * Groups failing deliveries by subscription (a redacted URL may be two receivers' own: two Slack hooks), each
 * answering again when one of `delivered` (newest first, any subscription's) reached it after its latest
 * failed attempt; the failing first, the most recently failing first. Pure.
 */
export function endpointsWithFailures(
  retrying: readonly WebhookDelivery[],
  failed: readonly WebhookDelivery[],
  delivered: readonly WebhookDelivery[] = [],
): EndpointWithFailures[] {
  const lastDelivered = new Map<string, string>();
  for (const delivery of delivered) {
    const at = delivery.deliveredAt ?? '';
    if (at > (lastDelivered.get(delivery.subscriptionId) ?? ''))
      lastDelivered.set(delivery.subscriptionId, at);
  }
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
    .map(([subscriptionId, { url, retrying: r, failed: f, last }]) => {
      const since = lastDelivered.get(subscriptionId);
      return {
        subscriptionId,
        url,
        retrying: r,
        failed: f,
        ...(last?.lastError ? { lastError: redactUrlsIn(last.lastError) } : {}),
        ...(last?.lastAttemptAt ? { lastAttemptAt: last.lastAttemptAt } : {}),
        ...(since && since > (last?.lastAttemptAt ?? '') ? { answeringSince: since } : {}),
      };
    })
    .sort(
      (a, b) =>
        Number(isFailing(b)) - Number(isFailing(a)) ||
        (b.lastAttemptAt ?? '').localeCompare(a.lastAttemptAt ?? ''),
    );
}

/**
 * The overview's line for ops when endpoints are failing, or have failed deliveries to replay while answering
 * again (empty otherwise, and for everyone else).
 */
export async function failingNotice(deps: ApiDeps, session: ConsoleSession): Promise<Html> {
  if (session.person.role !== 'ops') return '';
  const endpoints = (await failuresNow(deps, 50))?.endpoints;
  if (!endpoints || endpoints.length === 0) return '';
  const ui = uiFor(session.locale);
  const w = ui.t.webhooks;
  const namesHtml = (some: readonly EndpointWithFailures[]) =>
    `<bdi dir="ltr">${esc(
      some
        .slice(0, 3)
        .map((endpoint) => endpointName(endpoint, endpoints, ui))
        .join(', '),
    )}${some.length > 3 ? ', ...' : ''}</bdi>`;
  const failing = endpoints.filter(isFailing);
  const answering = endpoints.filter((endpoint) => !isFailing(endpoint));
  const sentences = [
    failing.length > 0 ? w.failingNoticeHtml(failing.length, ui.num(failing.length), namesHtml(failing)) : '',
    answering.length > 0
      ? w.toReplayNoticeHtml(answering.length, ui.num(answering.length), namesHtml(answering))
      : '',
  ].filter(Boolean);
  // a failing endpoint is an alert; failed deliveries of one answering again wait for ops, no alarm
  const tone =
    failing.length > 0 ? 'class="notice problem" role="alert"' : 'class="notice info" role="status"';
  return `<p ${tone}>${esc(w.eventsOut)} ${sentences.join(' ')} <a href="/console/webhooks">${esc(w.seeAndReplay)}</a></p>`;
}

/**
 * The endpoints with failed deliveries now (failing, or answering again) and the failed deliveries read for
 * them (newest first), or undefined where there is no delivery log (events out off).
 */
export async function failuresNow(
  deps: Pick<ApiDeps, 'events'>,
  limit = READ_PER_STATUS,
): Promise<{ endpoints: EndpointWithFailures[]; failed: WebhookDelivery[] } | undefined> {
  if (!deps.events) return undefined;
  // the retrying ones per subscription: a page of their partition is one subscription's queue (ADR 0056);
  // the latest delivered (newest first by deliveredAt) tell an endpoint answering again from a failing one
  const [retrying, failed, delivered] = await Promise.all([
    deps.events.log.queuedDeliveries('retrying', limit),
    deps.events.log.listDeliveries('failed', { limit }),
    deps.events.log.listDeliveries('delivered', { limit }),
  ]);
  return {
    endpoints: endpointsWithFailures(retrying, failed.deliveries, delivered.deliveries),
    failed: failed.deliveries,
  };
}

/**
 * An endpoint as a person reads it: the bus by name, a URL redacted (webhook-url-redaction.ts: a Slack,
 * Zapier or Discord URL is the receiver's credential); with its subscription id when another endpoint of
 * `all` reads the same.
 */
function endpointName(
  endpoint: Pick<EndpointWithFailures, 'url' | 'subscriptionId'>,
  all: readonly Pick<EndpointWithFailures, 'url' | 'subscriptionId'>[],
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
    // ops read times in their own zone, else the SLA calendar's (ADR 0083)
    const zone = zoneOf(deps.sla, session);
    const replayedId = event.queryStringParameters?.replayed;
    const done =
      replayedId && /^dlv_[0-9a-f]{32}$/.test(replayedId)
        ? `<p class="notice success" role="status">${w.replayed(`<bdi dir="ltr">${esc(replayedId)}</bdi>`)}</p>`
        : '';
    if (!deps.events)
      return page({ title: w.title, section: 'webhooks', session }, `${done}${notice(w.off)}`);
    const [{ endpoints, failed }, deliveries] = await Promise.all([
      failuresNow(deps).then((now) => now ?? { endpoints: [], failed: [] }),
      deliveriesAsked(deps, event),
    ]);
    const failing = endpoints.filter(isFailing).length;
    const answering = endpoints.length - failing;
    const summary =
      (endpoints.length === 0 ? notice(w.allAnswering, 'success') : '') +
      (failing > 0 ? notice(w.failing(failing, ui.num(failing)), 'problem') : '') +
      (answering > 0 ? notice(w.answeringAgain(answering, ui.num(answering))) : '');
    // an endpoint's address, an event's type and an endpoint's error: the systems' own words, left to right
    const data = (value: string) => `<bdi dir="ltr">${esc(value)}</bdi>`;
    // an address (or an error quoting one) is one long word: it wraps anywhere rather than run off a phone
    const address = (value: string) => `<bdi dir="ltr" class="addr">${esc(value)}</bdi>`;
    const endpointTable = table<EndpointWithFailures>(
      w.failingEndpoints,
      [
        { label: w.endpoint, cell: (row) => address(endpointName(row, endpoints, ui)) },
        {
          label: w.now,
          cell: (row) =>
            row.answeringSince === undefined
              ? esc(w.nowFailing)
              : w.answeringSinceHtml(time(row.answeringSince, zone, ui)),
        },
        { label: w.retrying, cell: (row) => ui.num(row.retrying), numeric: true },
        { label: w.failed, cell: (row) => ui.num(row.failed), numeric: true },
        { label: w.lastError, cell: (row) => (row.lastError ? address(row.lastError) : '–') },
        { label: w.lastAttempt, cell: (row) => time(row.lastAttemptAt, zone, ui) },
        {
          label: w.deliveries,
          cell: (row) =>
            `<a href="${esc(endpointDeliveriesHref(row.subscriptionId))}" aria-label="${esc(w.deliveriesOf(endpointName(row, endpoints, ui)))}">${esc(w.deliveries)}</a>`,
        },
      ],
      endpoints,
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
        { label: w.endpoint, cell: (d) => address(endpointName(d, endpoints, ui)) },
        { label: w.attempts, cell: (d) => ui.num(d.attempts), numeric: true },
        { label: w.lastError, cell: (d) => (d.lastError ? address(redactUrlsIn(d.lastError)) : '–') },
      ],
      failed.slice(0, FAILED_LISTED),
      w.none,
    );
    const askedId = deliveries?.query.where.subscriptionId;
    const askedEndpoint = askedId
      ? (endpoints.find((endpoint) => endpoint.subscriptionId === askedId) ??
        deliveries?.page.deliveries.find((delivery) => delivery.subscriptionId === askedId))
      : undefined;
    const asked = deliveries
      ? endpointDeliveriesSection({
          ...deliveries,
          ui,
          zone,
          replayButton,
          ...(askedEndpoint ? { endpoint: endpointName(askedEndpoint, endpoints, ui) } : {}),
        })
      : '';
    const body: Html =
      done +
      summary +
      asked +
      `<section aria-labelledby="endpoints"><h2 id="endpoints">${esc(w.endpoints)}</h2>${endpointTable}</section>` +
      // one endpoint's deliveries asked for: every endpoint's failed ones are a link away, not a second list
      // below (a phone scrolled 5,000 px past the filtered list, a verification trial)
      (asked
        ? `<p><a href="/console/webhooks#failed">${esc(w.allFailedDeliveries)}</a></p>`
        : `<section aria-labelledby="failed"><h2 id="failed">${esc(w.failedDeliveries)}</h2>${failedTable}` +
          `<p>${w.replayNoteHtml}</p></section>`);
    return page({ title: w.title, section: 'webhooks', session }, body);
  });
}

/**
 * The deliveries the page's query asks for (an endpoint's link, the section's form), or undefined when it
 * asks for none. Only the delivery log's names are read; an empty one (a form's blank choice) is left out.
 */
async function deliveriesAsked(deps: ApiDeps, event: HttpEvent) {
  const given = Object.fromEntries(
    Object.entries(event.queryStringParameters ?? {}).filter(
      ([name, value]) => (SECTION_QUERY_NAMES as readonly string[]).includes(name) && value,
    ),
  );
  if (!deps.events || Object.keys(given).length === 0) return undefined;
  const query = parseDeliveryLogQuery(given);
  const page = await deliveryLogPage(deps.events.log, query);
  await requireKnownSubscription(deps.events.log, deps.events.subscriptions, query, page);
  return { query, page };
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
