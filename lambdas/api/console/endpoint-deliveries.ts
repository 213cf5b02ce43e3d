/**
 * One endpoint's deliveries on the console's Webhooks page (/console/webhooks?subscription=crm#deliveries, the
 * link beside each endpoint): the delivery log filtered as GET /webhooks/deliveries filters it (the same
 * query: status, subscription, type, leadId, cursor; delivery-log-query.ts), with a form to narrow it to an
 * event type or a lead, and a next page while the log has more. Read only; a failed one has its Replay button.
 */
import { LEAD_EVENT_TYPES } from '../../domain/lead-events.ts';
import { redactUrlsIn, redactWebhookUrl } from '../../domain/webhook-url-redaction.ts';
import { DELIVERY_STATUSES, type WebhookDelivery } from '../../domain/webhooks.ts';
import type { DeliveryLogQuery } from '../delivery-log-query.ts';
import { esc, type Html, input, select, table, time, type Ui } from './html.ts';

/** The query names of the section: those of the delivery log, which the page passes on as they came. */
export const SECTION_QUERY_NAMES = ['status', 'subscription', 'type', 'leadId', 'cursor', 'limit'] as const;

/** The page's link to one endpoint's failed deliveries (its section). */
export function endpointDeliveriesHref(subscriptionId: string): string {
  return `/console/webhooks?${new URLSearchParams({ subscription: subscriptionId, status: 'failed' }).toString()}#deliveries`;
}

export function endpointDeliveriesSection(options: {
  readonly query: DeliveryLogQuery;
  readonly page: { readonly deliveries: readonly WebhookDelivery[]; readonly next?: string };
  readonly ui: Ui;
  readonly zone: string;
  readonly replayButton: (delivery: WebhookDelivery) => Html;
  /** the endpoint as the page's endpoints table names it (its address), when known */
  readonly endpoint?: string;
}): Html {
  const { query, page, ui, zone, replayButton, endpoint } = options;
  const w = ui.t.webhooks;
  const { subscriptionId, eventType, leadId } = query.where;
  const ltr = (value: string) => `<bdi dir="ltr">${esc(value)}</bdi>`;
  // the address the endpoints table shows, and the id the link carries (a trial could not tell which row it was)
  const named =
    subscriptionId && endpoint && !endpoint.endsWith(`(${subscriptionId})`)
      ? `${endpoint} (${subscriptionId})`
      : (endpoint ?? subscriptionId);
  const heading = named ? w.deliveriesToHtml(ltr(named)) : esc(w.deliveries);
  const filters =
    '<form class="filters card" method="get" action="/console/webhooks#deliveries" role="search">' +
    (subscriptionId ? `<input type="hidden" name="subscription" value="${esc(subscriptionId)}">` : '') +
    select(
      'status',
      w.status,
      DELIVERY_STATUSES.map((status) => ({ value: status, label: w.statusNames[status] })),
      query.status,
    ) +
    select(
      'type',
      w.event,
      LEAD_EVENT_TYPES.map((type) => ({ value: type, label: type })),
      eventType,
      { blank: w.anyEvent },
    ) +
    input('leadId', w.leadId, leadId, { hint: w.leadIdHint }) +
    `<div class="actions"><button type="submit">${esc(w.show)}</button> <a href="/console/webhooks">${esc(w.allEndpoints)}</a></div></form>`;
  const when =
    query.status === 'delivered'
      ? { label: w.deliveredAt, at: (d: WebhookDelivery) => d.deliveredAt }
      : query.status === 'failed'
        ? { label: w.lastAttempt, at: (d: WebhookDelivery) => d.lastAttemptAt }
        : { label: w.nextAttempt, at: (d: WebhookDelivery) => d.nextAttemptAt };
  const list = table<WebhookDelivery>(
    w.newestFirst(w.statusNames[query.status]),
    [
      { label: w.event, cell: (d) => ltr(d.eventType) },
      ...(query.status === 'failed' ? [{ label: w.sendAgain, cell: replayButton }] : []),
      { label: w.lead, cell: (d) => `<a href="/console/leads/${esc(d.leadId)}">${ltr(d.leadId)}</a>` },
      ...(subscriptionId
        ? []
        : [{ label: w.endpoint, cell: (d: WebhookDelivery) => ltr(redactWebhookUrl(d.url)) }]),
      { label: when.label, cell: (d) => time(when.at(d), zone, ui) },
      { label: w.attempts, cell: (d) => ui.num(d.attempts), numeric: true },
      // a delivered one has no error to show
      ...(query.status === 'delivered'
        ? []
        : [
            {
              label: w.lastError,
              cell: (d: WebhookDelivery) =>
                d.lastError ? `<bdi dir="ltr" class="addr">${esc(redactUrlsIn(d.lastError))}</bdi>` : '–',
            },
          ]),
    ],
    page.deliveries,
    w.noneMatch,
  );
  // a page cut short by the read budget says so: an empty page is not the end while a cursor follows
  const short = page.next && page.deliveries.length < query.limit ? `<p>${esc(w.readOn)}</p>` : '';
  const same = {
    status: query.status,
    ...(subscriptionId ? { subscription: subscriptionId } : {}),
    ...(eventType ? { type: eventType } : {}),
    ...(leadId ? { leadId } : {}),
  };
  const link = (params: Record<string, string>, label: string) =>
    `<a class="button" href="/console/webhooks?${esc(new URLSearchParams(params).toString())}#deliveries">${esc(label)}</a>`;
  const pages = [
    ...(query.cursor ? [link(same, w.firstPage)] : []),
    ...(page.next ? [link({ ...same, cursor: page.next }, w.nextPage)] : []),
  ];
  return (
    `<section aria-labelledby="deliveries"><h2 id="deliveries">${heading}</h2>` +
    filters +
    list +
    short +
    (pages.length ? `<nav class="pages" aria-label="${esc(w.pages)}">${pages.join(' ')}</nav>` : '') +
    '</section>'
  );
}
