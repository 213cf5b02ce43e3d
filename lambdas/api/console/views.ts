/**
 * The console's pages (GET): the overview (the period at a glance, overdue first touches, today's due
 * attempts per rep), the lead list, a lead's page with what the viewer may do, the reports (per rep, per
 * queue, marketing) and the SLA itself. Each reads through the same functions as the API (listLeads,
 * buildReport, slaStanding) with the signed-in person as the viewer, so a rep sees their own leads, a
 * manager their team's, ops everything.
 */
import { randomUUID } from 'node:crypto';
import { localDayOf, startOfLocalDay, type WorkingCalendar } from '../../domain/business-hours.ts';
import { type Channel, channelTheRepCanUse } from '../../domain/cadence.ts';
import { firstDayOfWeek, lastDayOfWeek, startOfWeek } from '../../domain/calendar-week.ts';
import { confirmationKey, consentStatus, linkExpiresAt } from '../../domain/consent.ts';
import type { Duration } from '../../domain/duration.ts';
import { countryName, formatFullTime, languageName } from '../../domain/email-templates.ts';
import { emailText } from '../../domain/email-text.ts';
import { waitsForOwner } from '../../domain/lead-plan.ts';
import { type LeadState, phoneOf, withEarlierEntries } from '../../domain/lead-state.ts';
import { isTerminal } from '../../domain/lifecycle.ts';
import { outcomesTheRepCanHave } from '../../domain/outcome-reach.ts';
import type { LeadFact } from '../../domain/report-facts.ts';
import { isReturnPath, type Person, people } from '../../domain/sign-in.ts';
import { CHANNELS, LIFECYCLE_STAGES } from '../../domain/sla-constants.ts';
import { localName, ruleNameIn, slaNameIn, nameOf as slaNameOf } from '../../domain/sla-names.ts';
import type { SalesFigures, SalesRow, SlaReport, TakeoverRow } from '../../domain/sla-report.ts';
import type { Sla } from '../../domain/sla-schema.ts';
import { slaStanding } from '../../domain/sla-standing.ts';
import { SEARCH_MATCH_CAP } from '../../ports/lead-queries.ts';
import type { ApiDeps } from '../deps.ts';
import { HttpError, type HttpEvent, validate } from '../http.ts';
import { leadIdParam } from '../lead-access.ts';
import { type LeadListItem, listLeads, listQuerySchema, requireKnownOwner } from '../lead-list.ts';
import { allowed, overToReps, requireAllowed } from '../permissions.ts';
import { buildReport, MAX_REPORT_FACTS, reportQuerySchema, withFactsReadOnce } from '../sla-report.ts';
import { formerOwners, type Viewer } from '../viewer.ts';
import { formerOwnersHolding } from './former-owners.ts';
import { consoleHandler } from './handler.ts';
import {
  actorName,
  attemptByName,
  barChart,
  type Column,
  csrfField,
  dealStageName,
  duration,
  emailLink,
  esc,
  type Html,
  histogram,
  input,
  langOf,
  ltrWithRtlRuns,
  managerName,
  notice,
  own,
  page,
  percent,
  phoneLink,
  redirect,
  repName,
  select,
  stageName,
  statusName,
  table,
  time,
  typeName,
  type Ui,
  uiFor,
  weekdayName,
  zoneNameIn,
} from './html.ts';
import { type ConsoleSession, sessionOf } from './session.ts';
import { browserUi, signInPage } from './sign-in.ts';
import { calendarOf, zoneOf } from './viewer-calendar.ts';
import { failingNotice } from './webhooks.ts';
import { workingCalendarSection } from './working-calendar.ts';

const DAY = 86_400_000;

/** GET /console: the sign-in form, or the overview for someone signed in. */
export function overviewHandler(shared: ApiDeps) {
  return consoleHandler('GET /console', shared, async (event: HttpEvent) => {
    // the team's report and the company's read the week's facts once
    const deps = withFactsReadOnce(shared);
    const session = await sessionOf(deps, event);
    if (!session) return signInPage(undefined, event.queryStringParameters?.to, browserUi(deps, event));
    const { sla } = deps;
    const ui = uiFor(session.locale);
    const { t } = ui;
    const now = deps.clock.now();
    const zone = zoneOf(sla, session);
    // to now, this second included (a report window's end is exclusive)
    const to = new Date(now.getTime() + 1000).toISOString();
    const from = new Date(now.getTime() - 7 * DAY).toISOString();
    const rep = session.person.role === 'rep';
    const [{ team: report, all }, overdue, due, failing, waiting] = await Promise.all([
      reportsFor(deps, session.viewer, { from, to }),
      listLeads(deps, session.viewer, { overdue: 'true', limit: 25 }),
      dueToday(deps, session.viewer, now, zone, ui),
      failingNotice(deps, session),
      // a rep is never asked to decide who works a lead (ADR 0041)
      rep ? undefined : listLeads(deps, session.viewer, { needsOwner: 'true', limit: 25 }),
    ]);
    const sales = report.sales.total;
    const leadsLink = (item: LeadListItem) => leadLink(item.id, item.name || item.company, t.leads.unnamed);
    const n = (value: number) => ui.num(value);
    const o = t.overview;
    // a change made on a lead's page that took the lead out of the viewer's reach (lead-actions.ts)
    const doneKey = event.queryStringParameters?.done ?? '';
    const leftText =
      event.queryStringParameters?.left === '1' && Object.hasOwn(t.lead.done, doneKey)
        ? `${t.lead.done[doneKey as keyof typeof t.lead.done]} ${t.lead.leftYourLeads}`
        : undefined;
    const left = leftText ? notice(leftText, 'success') : '';
    const body =
      left +
      failing +
      (waiting ? waitingSection(sla, waiting, zone, ui) : '') +
      `<p class="lead-in">${o.lastDays(time(from, zone, ui), ours(slaNameIn(sla, ui.locale), ui), `<bdi dir="ltr">${esc(sla.version)}</bdi>`)} <a href="/console/reports">${esc(o.fullReport)}</a></p>` +
      `<section aria-labelledby="glance"><h2 id="glance">${esc(o.glance)}</h2><div class="cards">` +
      card(
        o.firstTouch,
        percent(sales.firstTouch.rate, ui),
        o.firstTouchDetail(
          n(sales.firstTouch.met),
          n(sales.firstTouch.breached),
          n(sales.firstTouch.pending),
        ),
        rateTone(sales.firstTouch.rate, 0.9),
      ) +
      card(
        o.response,
        duration(sales.responseHours.p50Minutes, ui),
        o.responseDetail(
          duration(sales.responseHours.p90Minutes, ui),
          sales.responseHours.n,
          n(sales.responseHours.n),
        ),
      ) +
      card(o.attempts, n(sales.attempts), o.attemptsDetail(n(sales.cadenceAttempts))) +
      (rep ? '' : marketingCards(all, ui)) +
      '</div></section>' +
      (rep ? '' : funnelChart(sla, all, ui)) +
      `<section aria-labelledby="overdue"><h2 id="overdue">${esc(o.overdue)}</h2>` +
      table<LeadListItem>(
        o.overdueCaption,
        [
          { label: t.leads.lead, cell: leadsLink },
          { label: t.leads.company, cell: (item) => ownOr(item.company) },
          { label: t.leads.owner, cell: (item) => esc(ownerOf(sla, item, ui)) },
          { label: o.wasDue, cell: (item) => time(item.sla.firstTouch?.dueAt, zone, ui) },
        ],
        overdue.items,
        o.overdueEmpty,
      ) +
      // the first 25: the rest are a click away, page by page (nothing capped away, as due today)
      (overdue.next
        ? `<p>${esc(o.overdueShown(n(overdue.items.length)))} <a href="/console/leads?overdue=true">${esc(o.allOverdue)}</a></p>`
        : '') +
      '</section>' +
      `<section aria-labelledby="today"><h2 id="today">${esc(o.dueToday)}</h2>${due}</section>`;
    return page({ title: o.title, section: 'overview', session, announce: leftText }, body);
  });
}

/**
 * The SQLs nobody in their queue could take, whose manager was asked to decide who works them (ADR 0041):
 * the most urgent list a manager has, so it comes first, and only when a lead waits.
 */
function waitingSection(
  _sla: Sla,
  waiting: { items: LeadListItem[]; next: string | null },
  zone: string,
  ui: Ui,
): string {
  if (!waiting.items.length) return '';
  const { t } = ui;
  const more = waiting.next
    ? `<p><a href="/console/leads?needsOwner=true">${esc(t.overview.allWaiting)}</a></p>`
    : '';
  return (
    `<section aria-labelledby="waiting"><h2 id="waiting">${esc(t.overview.waiting)}</h2>` +
    table<LeadListItem>(
      t.overview.waitingCaption,
      [
        {
          label: t.leads.lead,
          cell: (item) => leadLink(item.id, item.name || item.company, t.leads.unnamed),
        },
        { label: t.leads.company, cell: (item) => ownOr(item.company) },
        { label: t.overview.lastChange, cell: (item) => time(item.updatedAt, zone, ui) },
      ],
      waiting.items,
      // never shown: the section is left out while no lead waits
      '',
    ) +
    more +
    '</section>'
  );
}

/** GET /console/leads: the list, with filters and search. */
export function leadsPageHandler(deps: ApiDeps) {
  const schema = listQuerySchema(deps.sla);
  return consoleHandler('GET /console/leads', deps, async (event: HttpEvent) => {
    const session = await sessionOf(deps, event);
    if (!session) return redirect('/console');
    const { sla } = deps;
    const ui = uiFor(session.locale);
    const { t } = ui;
    const l = t.leads;
    const zone = zoneOf(sla, session);
    const params = cleanParams(event.queryStringParameters, [
      'q',
      'stage',
      'status',
      'type',
      'owner',
      'overdue',
      'needsOwner',
      'due',
      'cursor',
    ]);
    // due=today: the console's own filter (the next cadence step is due before the end of the viewer's day)
    const { due, ...apiParams } = params;
    if (due !== undefined && due !== 'today')
      throw new HttpError(400, 'invalid_request', 'the filters are invalid', [
        { path: 'due', message: 'today, or leave it out' },
      ]);
    const query = validate(schema, { ...apiParams, limit: '25' }, 'the filters are invalid');
    await requireKnownOwner(deps, query, 'the filters are invalid');
    const dueBy = due ? new Date(endOfDay(deps.clock.now(), zone)).toISOString() : undefined;
    const list = await listLeads(deps, session.viewer, query, dueBy ? { dueBy } : {});
    const owners = reachableReps(sla, session.viewer);
    // a rep who has left the SLA but still holds leads (a manager's, ops'): an option too, by the name recorded
    const holding = await formerOwnersHolding(deps, session.viewer, params.owner);
    const formers = holding.map((former) => ({
      value: former.id,
      label: t.reports.formerRep(former.name ?? former.id),
    }));
    // their leads' owner, by that name too (the SLA has none for them)
    const recorded = new Map(holding.flatMap((former) => (former.name ? [[former.id, former.name]] : [])));
    const filters =
      '<form class="filters card" method="get" action="/console/leads" role="search">' +
      input('q', l.search, params.q, { type: 'search' }) +
      // stage, status, type and owner folded (on a phone the list starts on the first screen), open when set
      `<details class="more"${params.stage || params.status || params.type || params.owner ? ' open' : ''}><summary>${esc(owners.length > 1 || formers.length ? l.moreOwner : l.more)}</summary>` +
      select(
        'stage',
        l.stage,
        LIFECYCLE_STAGES.map((id) => ({ value: id, label: stageName(sla, id, ui) })),
        params.stage,
        { blank: l.anyStage },
      ) +
      select(
        'status',
        l.status,
        sla.leadStatuses.map((s) => ({ value: s.id, label: localName(s, ui.locale) })),
        params.status,
        { blank: l.anyStatus },
      ) +
      select(
        'type',
        l.type,
        sla.leadTypes.map((type) => ({ value: type.id, label: localName(type, ui.locale) })),
        params.type,
        { blank: l.anyType },
      ) +
      (owners.length > 1 || formers.length
        ? select(
            'owner',
            l.owner,
            [...owners.map((r) => ({ value: r.id, label: localName(r, ui.locale) })), ...formers],
            params.owner,
            { blank: l.anyone },
          )
        : '') +
      '</details>' +
      `<label class="check"><input type="checkbox" name="overdue" value="true"${params.overdue === 'true' ? ' checked' : ''}> ${esc(l.overdueOnly)}</label>` +
      (session.person.role === 'rep'
        ? ''
        : `<label class="check"><input type="checkbox" name="needsOwner" value="true"${params.needsOwner === 'true' ? ' checked' : ''}> ${esc(l.waitingOnly)}</label>`) +
      `<label class="check"><input type="checkbox" name="due" value="today"${due ? ' checked' : ''}> ${esc(l.dueTodayOnly)}</label>` +
      `<div class="actions"><button type="submit">${esc(l.show)}</button> <a href="/console/leads">${esc(l.clear)}</a></div></form>`;
    const columns: Column<LeadListItem>[] = [
      {
        label: l.lead,
        cell: (item) =>
          item.name
            ? leadLink(item.id, item.name, l.unnamed)
            : item.email
              ? `<a href="/console/leads/${esc(item.id)}" dir="ltr">${esc(item.email)}</a>`
              : leadLink(item.id, null, l.unnamed),
      },
      { label: l.company, cell: (item) => ownOr(item.company) },
      { label: l.stage, cell: (item) => esc(stageName(sla, item.stage, ui)) },
      { label: l.status, cell: (item) => esc(statusName(sla, item.status, ui)) },
      {
        label: l.owner,
        cell: (item) => esc((item.owner && recorded.get(item.owner.id)) ?? ownerOf(sla, item, ui)),
      },
      { label: l.score, cell: (item) => ui.num(item.score), numeric: true },
      { label: l.firstTouch, cell: (item) => firstTouchText(item.sla.firstTouch, zone, ui) },
      {
        label: l.nextStep,
        cell: (item) =>
          item.sla.nextStep
            ? `${esc(l.stepOf(ui.num(item.sla.nextStep.step), ui.num(item.sla.nextStep.of)))}${t.layout.comma}${time(item.sla.nextStep.dueAt, zone, ui)}`
            : '–',
      },
    ];
    // page by page: the next one (the cursor) and, past the first, back to the first (the same filters)
    const { cursor: _cursor, ...sameFilters } = params;
    const pages = [
      ...(params.cursor
        ? [
            `<a class="button" href="/console/leads?${esc(new URLSearchParams(sameFilters).toString())}">${esc(l.firstPage)}</a>`,
          ]
        : []),
      ...(list.next
        ? [
            `<a class="button" href="/console/leads?${esc(new URLSearchParams({ ...params, cursor: list.next }).toString())}">${esc(l.nextPage)}</a>`,
          ]
        : []),
    ];
    const next = pages.length
      ? `<nav class="pages" aria-label="${esc(l.pages)}">${pages.join(' ')}</nav>`
      : '';
    // a search cut at its cap (ops' search, without an owner filter): said above the list, not left silent
    const cut = list.truncated
      ? `<p class="notice info" role="status">${esc(l.searchCut(SEARCH_MATCH_CAP, ui.num(SEARCH_MATCH_CAP)))}</p>`
      : '';
    return page(
      { title: l.title, section: 'leads', session },
      filters + cut + table(l.title, columns, list.items, l.empty) + next,
    );
  });
}

/** GET /console/leads/{id}: the lead's story and the buttons for what the viewer may do. */
export function leadPageHandler(deps: ApiDeps) {
  return consoleHandler('GET /console/leads/{id}', deps, async (event: HttpEvent) => {
    const session = await sessionOf(deps, event);
    // signed out (a link from an email): sign in, then back to this lead (a lead id's shape only)
    if (!session) {
      const back = `/console/leads/${event.pathParameters?.id ?? ''}`;
      return redirect(isReturnPath(back) ? `/console?to=${encodeURIComponent(back)}` : '/console');
    }
    const { sla } = deps;
    const leadId = leadIdParam(event);
    const stored = await deps.store.getLead(leadId);
    if (!stored || stored.erasedAt) throw new HttpError(404, 'not_found', 'no such lead');
    requireAllowed(deps.sla, session.viewer, stored, 'read');
    // the story shows the latest changes: those moved off the state item too, when the tail is shorter (ADR 0021)
    const [attempts, earlier] = await Promise.all([
      deps.store.listAttempts(leadId),
      (stored.timelineSpilled ?? 0) > 0 && stored.timeline.length < STORY_SHOWN
        ? deps.store.listMovedEntries(stored)
        : Promise.resolve([]),
    ]);
    const lead = withEarlierEntries(stored, earlier);
    const now = deps.clock.now();
    const ui = uiFor(session.locale);
    const { t } = ui;
    const f = t.lead;
    const zone = zoneOf(sla, session);
    const standing = slaStanding(sla, { lead, attempts, now });
    const doneKey = event.queryStringParameters?.done ?? '';
    const done = Object.hasOwn(f.done, doneKey) ? f.done[doneKey as keyof typeof f.done] : undefined;
    const name = leadTitle(lead, ui);
    const n = (value: number) => ui.num(value);
    const facts: [string, Html][] = [
      [f.email, lead.email ? emailLink(lead.email) : '–'],
      [f.company, ownOr(text(lead.fields.company))],
      [f.jobTitle, ownOr(text(lead.fields.jobTitle))],
      [f.phone, phoneFact(lead, ui)],
      ...ownWords(lead, ui),
      ...formIssues(lead, ui),
      [f.stage, esc(stageName(sla, lead.stage, ui))],
      [f.status, esc(statusName(sla, lead.status, ui))],
      [f.type, esc(typeName(sla, lead.leadType, ui))],
      [f.persona, esc(lead.persona ? slaNameOf(sla.personas, lead.persona, ui.locale, '–') : '–')],
      [f.owner, esc(lead.ownerId ? repName(sla, lead.ownerId, ui) : f.notHandedOver)],
      [
        f.score,
        f.scoreDetailHtml(n(lead.total), n(lead.fit), `<bdi>${esc(lead.fitTier)}</bdi>`, n(lead.engagement)),
      ],
      [f.marketingEmail, consentFact(sla, lead, zone, ui, now)],
      [f.judgedBy, `<bdi>${esc(lead.slaVersion)}</bdi>`],
    ];
    const sections =
      (done ? notice(done, 'success') : '') +
      // on a phone the actions are a thousand pixels down, under the facts and the SLA standing: one tap there
      `<nav class="jump" aria-label="${esc(f.jump)}"><a class="tap" href="#do">${esc(f.whatYouCanDo)}</a><a class="tap" href="#story">${esc(f.story)}</a></nav>` +
      `<dl class="facts card">${facts.map(([k, v]) => `<div><dt>${esc(k)}</dt><dd>${v}</dd></div>`).join('')}</dl>` +
      standingSection(sla, standing, now, zone, ui) +
      actionsSection(deps, session, lead, ui, standing.cadence?.scheduledChannel ?? undefined) +
      whySection(sla, lead, zone, ui) +
      table(
        f.attempts,
        [
          { label: f.when, cell: (a) => time(a.at, zone, ui) },
          {
            label: f.outcome,
            cell: (a) => esc(slaNameOf(sla.contact.outcomes, a.outcomeId, ui.locale)),
          },
          {
            label: f.channel,
            cell: (a) => esc(a.channel ? (f.channels[a.channel] ?? a.channel) : '–'),
          },
          { label: f.by, cell: (a) => esc(attemptByName(sla, a.repId, ui)) },
          { label: f.note, cell: (a) => (a.note ? own(a.note) : '') },
        ],
        attempts.slice(-ATTEMPTS_SHOWN),
        f.noAttempts,
      ) +
      (attempts.length > ATTEMPTS_SHOWN
        ? `<p class="hint">${esc(f.latestAttempts(n(ATTEMPTS_SHOWN), attempts.length, n(attempts.length)))}</p>`
        : '') +
      dealSection(sla, lead, zone, ui) +
      timelineSection(sla, lead, zone, ui);
    return page(
      { title: name, heading: leadHeading(lead, ui), section: 'leads', session, announce: done },
      sections,
    );
  });
}

/** GET /console/reports: did both sides keep the agreement? Per rep, per queue, marketing. */
export function reportsPageHandler(deps: ApiDeps) {
  const schema = reportQuerySchema(deps);
  return consoleHandler('GET /console/reports', deps, async (event: HttpEvent) => {
    const session = await sessionOf(deps, event);
    // the team's report, the company's and the histogram read the window's facts once
    const once = withFactsReadOnce(deps);
    if (!session) return redirect('/console');
    const { sla } = deps;
    const ui = uiFor(session.locale);
    const r = ui.t.reports;
    const calendar = calendarOf(sla, session);
    const zone = calendar.timeZone;
    const now = deps.clock.now();
    const params = cleanParams(event.queryStringParameters, ['period', 'from', 'to', 'queue', 'rep']);
    const period = periodOf(params, now, calendar);
    const query = validate(
      schema,
      {
        from: period.from,
        to: period.to,
        ...(params.queue ? { queue: params.queue } : {}),
        ...(params.rep ? { rep: params.rep } : {}),
      },
      'the report filters are invalid',
    );
    const { team: report, all } = await reportsFor(once, session.viewer, query);
    // the days buildReport read first, with its bound: the same read
    const facts = once.queries
      ? await once.queries.listFacts(
          period.from.slice(0, 10),
          new Date(Date.parse(period.to) - 1).toISOString().slice(0, 10),
          { max: MAX_REPORT_FACTS },
        )
      : [];
    // a rep who has left the SLA, asked for by id (a manager's, ops'): an option of the filter, by the name recorded
    const former =
      params.rep && !sla.routing.reps.some((rep) => rep.id === params.rep)
        ? [{ value: params.rep, label: r.formerRep(report.window.repName ?? params.rep) }]
        : [];
    const reps = reachableReps(sla, session.viewer);
    const form =
      '<form class="filters card" method="get" action="/console/reports">' +
      select(
        'period',
        r.period,
        [
          {
            value: 'last-week',
            label: r.periods.lastWeek(
              weekdayName(firstDayOfWeek(calendar.workingDays), ui),
              weekdayName(lastDayOfWeek(calendar.workingDays), ui),
            ),
          },
          { value: '7d', label: r.periods.days7 },
          { value: 'this-week', label: r.periods.thisWeek },
          { value: '30d', label: r.periods.days30 },
          { value: 'custom', label: r.periods.custom },
        ],
        period.key,
      ) +
      // the rest folded away (a phone shows the figures sooner), open when one of them is in use
      `<details class="more"${period.key === 'custom' || params.queue || params.rep ? ' open' : ''}><summary>${esc(r.more)}</summary>` +
      input('from', r.from, localDate(period.from, zone), { type: 'date' }) +
      input('to', r.to, localDate(period.to, zone), { type: 'date' }) +
      select(
        'queue',
        r.queue,
        sla.routing.queues.map((q) => ({ value: q.id, label: localName(q, ui.locale) })),
        params.queue,
        { blank: r.allQueues },
      ) +
      (reps.length > 1 || former.length
        ? select(
            'rep',
            r.rep,
            [...reps.map((rep) => ({ value: rep.id, label: localName(rep, ui.locale) })), ...former],
            params.rep,
            { blank: r.allReps },
          )
        : '') +
      `</details><div class="actions"><button type="submit">${esc(ui.t.leads.show)}</button></div></form>`;
    const rowName = (row: SalesRow, kind: 'rep' | 'queue') => {
      const named = (kind === 'rep' ? sla.routing.reps : sla.routing.queues).find(
        (item) => item.id === row.id,
      );
      return named ? localName(named, ui.locale) : row.name;
    };
    const salesColumns = (kind: 'rep' | 'queue'): Column<SalesRow>[] => [
      { label: r.name, cell: (row) => (row.id === 'total' ? esc(r.all) : own(rowName(row, kind))) },
      ...figureColumns(ui),
    ];
    const totalRow: SalesRow = { id: 'total', name: r.all, ...report.sales.total };
    const body =
      form +
      `<p class="lead-in">${r.windowHtml(time(report.window.from, zone, ui), time(report.window.to, zone, ui), `<bdi>${esc(report.sla.version)}</bdi>`)}</p>` +
      `<section aria-labelledby="sales"><h2 id="sales">${esc(r.sales)}</h2>` +
      `<p>${esc(r.promise(durationIn(sla.handoff.firstTouchWithin, ui)))}</p>` +
      waitedText(report.sales.total.waitedForOwner, ui) +
      table(r.perRep, salesColumns('rep'), [...report.sales.byRep, totalRow], r.noHandovers) +
      table(r.perQueue, salesColumns('queue'), report.sales.byQueue, r.noHandovers) +
      salesLegend(sla, ui) +
      histogram(r.histogram, responseBins(sla, facts, report, session.viewer, query, ui), ui) +
      '</section>' +
      takeoverTable(sla, report, ui) +
      (session.person.role === 'rep'
        ? ''
        : marketingSection(sla, all, ui) +
          funnelChart(sla, all, ui) +
          funnelTable(sla, all, ui) +
          retentionSection(report, ui));
    return page({ title: r.title, section: 'reports', session }, body);
  });
}

/** GET /console/sla: the agreement in force, readable. */
export function slaPageHandler(deps: ApiDeps) {
  return consoleHandler('GET /console/sla', deps, async (event: HttpEvent) => {
    const session = await sessionOf(deps, event);
    if (!session) return redirect('/console');
    const { sla } = deps;
    const ui = uiFor(session.locale);
    const revoked = /^(rep|manager|ops):(.+)$/.exec(event.queryStringParameters?.revoked ?? '');
    const who = revoked ? people(sla).find((p) => p.role === revoked[1] && p.id === revoked[2]) : undefined;
    const ended = Number(event.queryStringParameters?.ended ?? 0);
    const doneText = who
      ? ui.t.sla.signedOut(
          personName(sla, who, ui),
          Number.isSafeInteger(ended) && ended > 0 ? ended : 0,
          ui.num(Number.isSafeInteger(ended) ? ended : 0),
        )
      : undefined;
    return page(
      {
        title: slaNameIn(sla, ui.locale),
        heading: ours(slaNameIn(sla, ui.locale), ui),
        section: 'sla',
        session,
        announce: doneText,
      },
      (doneText ? notice(doneText, 'success') : '') + slaBody(sla, session, deps.clock.now(), ui),
    );
  });
}

/**
 * The report as the viewer may see it (`team`: a rep's own figures, a manager's team's) and, for
 * managers and ops, the company's (`all`): marketing's MQLs and the funnel are counts of leads before any
 * rep had them, so a team's view of them would be empty. Two reads of the facts for a manager.
 */
async function reportsFor(
  deps: ApiDeps,
  viewer: Viewer,
  query: Parameters<typeof buildReport>[2],
): Promise<{ team: SlaReport; all: SlaReport }> {
  const team = await buildReport(deps, viewer, query);
  if (viewer.role !== 'manager') return { team, all: team };
  const { rep: _rep, ...companyWide } = query;
  return { team, all: await buildReport(deps, {}, companyWide) };
}

// ---------- the overview's parts ----------

function card(
  title: string,
  figure: string,
  detail: string,
  tone: 'good' | 'bad' | 'neutral' = 'neutral',
): Html {
  return `<div class="card figure ${tone}"><h3>${esc(title)}</h3><p class="big">${esc(figure)}</p><p>${esc(detail)}</p></div>`;
}

function rateTone(rate: number | null, target: number): 'good' | 'bad' | 'neutral' {
  if (rate === null) return 'neutral';
  return rate >= target ? 'good' : 'bad';
}

function marketingCards(report: SlaReport, ui: Ui): Html {
  const { mqls, sqls } = report.marketing;
  const o = ui.t.overview;
  return (
    card(
      o.mqls,
      mqls.target === null
        ? ui.num(mqls.actual)
        : o.mqlsOf(ui.num(mqls.actual), ui.num(Math.round(mqls.target))),
      mqls.target === null ? o.noMqlTarget : o.mqlCommitment,
      mqls.target === null ? 'neutral' : mqls.actual >= mqls.target ? 'good' : 'bad',
    ) +
    card(
      o.sqls,
      percent(sqls.acceptanceRate, ui),
      `${o.sqlsDetail(ui.num(sqls.handedOver), ui.num(sqls.rejected))}${sqls.targetRate === null ? '' : o.sqlsTarget(percent(sqls.targetRate, ui))}`,
      sqls.targetRate === null ? 'neutral' : rateTone(sqls.acceptanceRate, sqls.targetRate),
    )
  );
}

function funnelChart(sla: Sla, report: SlaReport, ui: Ui): Html {
  const o = ui.t.overview;
  return (
    `<section aria-labelledby="funnel"><h2 id="funnel">${esc(o.funnel)}</h2>` +
    barChart(
      o.funnelChart,
      report.funnel.map((stage) => ({
        label: stageName(sla, stage.stage, ui),
        value: stage.reached,
        text: o.funnelBar(
          ui.num(stage.reached),
          stage.conversionToNext === null ? null : percent(stage.conversionToNext, ui),
        ),
      })),
      ui,
      o.funnelNote(stageName(sla, 'sql', ui), stageName(sla, 'mql', ui)),
    ) +
    '</section>'
  );
}

function funnelTable(sla: Sla, report: SlaReport, ui: Ui): Html {
  const r = ui.t.reports;
  return table(
    r.timeInStage,
    [
      { label: ui.t.leads.stage, cell: (s) => esc(stageName(sla, s.stage, ui)) },
      { label: r.reached, cell: (s) => ui.num(s.reached), numeric: true },
      { label: r.onToNext, cell: (s) => ui.num(s.reachedNext), numeric: true },
      { label: r.conversionToNext, cell: (s) => percent(s.conversionToNext, ui), numeric: true },
      { label: r.stageMedian, cell: (s) => duration(s.hoursInStage.p50Minutes, ui), numeric: true },
      { label: r.stageP90, cell: (s) => duration(s.hoursInStage.p90Minutes, ui), numeric: true },
    ],
    report.funnel,
    ui.t.layout.none,
  );
}

function marketingSection(sla: Sla, report: SlaReport, ui: Ui): Html {
  const { mqls, sqls } = report.marketing;
  const r = ui.t.reports;
  // a status the report names by its SLA name: the reader's name for it
  const status = (name: string) => {
    const found = sla.leadStatuses.find((candidate) => candidate.name === name);
    return found ? localName(found, ui.locale) : name;
  };
  return (
    `<section aria-labelledby="marketing"><h2 id="marketing">${esc(r.marketing)}</h2><div class="cards">` +
    marketingCards(report, ui) +
    '</div>' +
    table(
      r.mqlsPerMonth,
      [
        { label: r.month, cell: (m) => esc(monthName(m.month, ui)) },
        { label: r.mqls, cell: (m) => ui.num(m.actual), numeric: true },
        {
          label: r.target,
          cell: (m) => (m.target === null ? '–' : ui.num(Math.round(m.target))),
          numeric: true,
        },
      ],
      mqls.byMonth,
      ui.t.layout.none,
    ) +
    table(
      r.rejections,
      [
        { label: ui.t.leads.status, cell: (row) => esc(status(row.status)) },
        { label: r.reason, cell: (row) => esc(ruleNameIn(sla, row.reason, ui.locale)) },
        { label: r.leads, cell: (row) => ui.num(row.count), numeric: true },
      ],
      sqls.rejections,
      r.noRejections,
    ) +
    '</section>'
  );
}

/** A report month ("2026-11") for the reader: as is in English, else in their language's words (Intl). */
function monthName(month: string, ui: Ui): string {
  if (ui.lang === 'en' || !/^\d{4}-\d{2}$/.test(month)) return month;
  return new Intl.DateTimeFormat(ui.locale, { month: 'long', year: 'numeric', timeZone: 'UTC' }).format(
    new Date(`${month}-15T12:00:00.000Z`),
  );
}

/**
 * The managers' part (ADR 0090): per queue and in all, the leads over to a manager in the period (named: the SLA's
 * names in the reader's language) and what became of each.
 */
function takeoverTable(sla: Sla, report: SlaReport, ui: Ui): Html {
  const over = report.sales.takeovers;
  if (!over) return '';
  const o = ui.t.reports.overTo;
  const c = o.columns;
  const n = (value: number) => ui.num(value);
  const named = (list: readonly { id: string; name: string }[], id: string, name: string) => {
    const found = list.find((item) => item.id === id);
    return found ? localName(found, ui.locale) : name;
  };
  const managers = (row: TakeoverRow) =>
    row.managers.map((m) => own(named(sla.routing.managers, m.id, m.name))).join(', ');
  const all: TakeoverRow = {
    id: 'total',
    name: ui.t.reports.all,
    managers: over.byManager.map((m) => ({ id: m.id, name: m.name })),
    ...over.total,
  };
  const rows = over.total.overTo === 0 ? [] : [...over.byQueue, all];
  return (
    `<section aria-labelledby="over-to"><h2 id="over-to">${esc(o.title)}</h2><p>${esc(o.note)}</p>` +
    table(
      ui.t.reports.perQueue,
      [
        {
          label: ui.t.reports.queue,
          cell: (row) =>
            row.id === 'total' ? esc(ui.t.reports.all) : own(named(sla.routing.queues, row.id, row.name)),
        },
        { label: c.managers, cell: managers },
        { label: c.leads, cell: (row) => n(row.overTo), numeric: true },
        { label: c.givenOn, cell: (row) => n(row.givenOn), numeric: true },
        { label: c.givenOnMedian, cell: (row) => duration(row.givenOnHours.p50Minutes, ui), numeric: true },
        { label: c.givenOnP90, cell: (row) => duration(row.givenOnHours.p90Minutes, ui), numeric: true },
        { label: c.touched, cell: (row) => n(row.touched), numeric: true },
        { label: c.recycled, cell: (row) => n(row.recycled), numeric: true },
        { label: c.ended, cell: (row) => n(row.ended), numeric: true },
        { label: c.open, cell: (row) => n(row.open), numeric: true },
      ],
      rows,
      o.none,
    ) +
    '</section>'
  );
}

/**
 * The retention of sign-ups never confirmed (ADR 0092): the leads the SLA erased in the period, the company's (an
 * erased lead has no queue or rep); nothing when the SLA erases none by itself (no consent.eraseUnconfirmedAfterDays).
 */
function retentionSection(report: SlaReport, ui: Ui): Html {
  const r = report.retention;
  if (!r || r.afterDays === null) return '';
  const t = ui.t.reports.retention;
  const after = durationIn(
    { amount: r.afterDays, unit: 'days', business: false, text: `${r.afterDays} days` },
    ui,
  );
  return (
    `<section aria-labelledby="retention"><h2 id="retention">${esc(t.title)}</h2>` +
    `<p>${t.erasedHtml(r.unconfirmedErased, ui.num(r.unconfirmedErased), esc(after))}</p></section>`
  );
}

/** How long the period's handovers had waited for an owner, nobody in their queue being free (ADR 0041). */
function waitedText(waited: SalesFigures['waitedForOwner'], ui: Ui): Html {
  if (!waited.n) return '';
  return `<p>${esc(ui.t.reports.waited(waited.n, ui.num(waited.n), duration(waited.p50Minutes, ui), duration(waited.p90Minutes, ui)))}</p>`;
}

function figureColumns(ui: Ui): Column<SalesFigures>[] {
  const c = ui.t.reports.columns;
  const n = (value: number) => ui.num(value);
  return [
    { label: c.handovers, cell: (r) => n(r.handovers), numeric: true },
    { label: c.met, cell: (r) => n(r.firstTouch.met), numeric: true },
    { label: c.breached, cell: (r) => n(r.firstTouch.breached), numeric: true },
    { label: c.pending, cell: (r) => n(r.firstTouch.pending), numeric: true },
    { label: c.within, cell: (r) => percent(r.firstTouch.rate, ui), numeric: true },
    { label: c.median, cell: (r) => duration(r.responseHours.p50Minutes, ui), numeric: true },
    { label: c.p90, cell: (r) => duration(r.responseHours.p90Minutes, ui), numeric: true },
    { label: c.attempts, cell: (r) => `${n(r.attempts)} / ${n(r.cadenceAttempts)}`, numeric: true },
    { label: c.cadenceBreaches, cell: (r) => n(r.cadenceBreaches), numeric: true },
    { label: c.escalations, cell: (r) => n(r.escalations), numeric: true },
    { label: c.reassigned, cell: (r) => n(r.reassignments), numeric: true },
    { label: c.recycled, cell: (r) => n(r.recycles), numeric: true },
  ];
}

/**
 * What each column of the sales tables counts, in the column's own words and the SLA's: why Met, Breached and
 * Pending may add up to fewer than the handovers, what Reassigned and the cadence count, how the median is taken.
 */
function salesLegend(sla: Sla, ui: Ui): Html {
  const c = ui.t.reports.columns;
  const l = ui.t.reports.legend;
  // the SLA's names of the statuses that send a lead back to marketing: "Recycled - not ready" or …
  const backToMarketing = sla.leadStatuses
    .filter((status) => status.setWhen === 'recycled')
    .map((status) => localName(status, ui.locale));
  // a term or two (the response's median and 90%) and what they count
  const terms: [readonly string[], string][] = [
    [[c.handovers], l.handovers],
    [[c.met], l.met(durationIn(sla.handoff.firstTouchWithin, ui))],
    [[c.breached], l.breached],
    [[c.pending], l.pending],
    [[c.within], l.within],
    [[c.median, c.p90], l.response],
    [[c.attempts], l.attempts],
    [[c.cadenceBreaches], l.cadenceBreaches],
    [[c.escalations], l.escalations],
    [[c.reassigned], l.reassigned],
    [
      [c.recycled],
      l.recycled(
        backToMarketing.length === 0
          ? null
          : new Intl.ListFormat(ui.locale, { type: 'disjunction' }).format(backToMarketing),
      ),
    ],
  ];
  return (
    `<section class="card legend" aria-labelledby="legend"><h3 id="legend">${esc(l.title)}</h3><dl>` +
    terms
      .map(
        ([names, meaning]) =>
          `${names.map((name) => `<dt>${esc(name)}</dt>`).join('')}<dd>${esc(meaning)}</dd>`,
      )
      .join('') +
    '</dl></section>'
  );
}

/** First touches of the period by business hours to respond, in bins; late bins red. */
function responseBins(
  sla: Sla,
  facts: readonly LeadFact[],
  report: SlaReport,
  viewer: Viewer,
  query: { rep?: string; queue?: string },
  ui: Ui,
) {
  const limit = businessHours(sla.handoff.firstTouchWithin);
  const edges = [1, 2, 4, 8, 16, 40];
  const counts = new Array<number>(edges.length + 1).fill(0);
  // a rep who has left the SLA, whose report a manager reached (buildReport): theirs, as the report's
  const former = query.rep !== undefined && !sla.routing.reps.some((rep) => rep.id === query.rep);
  for (const fact of facts) {
    if (fact.kind !== 'touch' || fact.responseHours === undefined) continue;
    if (fact.at < report.window.from || fact.at >= report.window.to) continue;
    if (
      viewer.owners &&
      !(fact.rep && (viewer.owners.includes(fact.rep) || (former && fact.rep === query.rep)))
    )
      continue;
    if (query.rep && fact.rep !== query.rep) continue;
    if (query.queue && fact.queue !== query.queue) continue;
    const bin = edges.findIndex((edge) => fact.responseHours! < edge);
    counts[bin === -1 ? edges.length : bin]! += 1;
  }
  const h = (range: string) => ui.t.layout.hours(range);
  const labels = [
    ui.t.layout.under(h(ui.num(1))),
    ...edges.slice(1).map((edge, i) => h(`${ui.num(edges[i]!)}-${ui.num(edge)}`)),
    ui.t.layout.andOver(h(ui.num(40))),
  ];
  return counts.map((value, i) => ({
    label: labels[i]!,
    value,
    text: String(value),
    tone: (limit !== undefined && (i === 0 ? 0 : edges[i - 1]!) >= limit ? 'bad' : 'good') as 'bad' | 'good',
  }));
}

/** Leads shown per rep on the overview; the rest are a click away, page by page. */
const DUE_SHOWN = 10;

/**
 * Today's due attempts per rep in reach: the first DUE_SHOWN of each rep's open leads whose next cadence
 * step is due before the end of the viewer's day, and, when there are more, a link to all of them
 * (/console/leads?owner=<rep>&due=today, paged with the list's cursor). Nothing is capped away.
 */
async function dueToday(deps: ApiDeps, viewer: Viewer, now: Date, zone: string, ui: Ui): Promise<Html> {
  const { sla } = deps;
  const o = ui.t.overview;
  const dueBy = new Date(endOfDay(now, zone)).toISOString();
  const reps = reachableReps(sla, viewer);
  const lists = await Promise.all(
    reps.map(async (rep) => ({
      rep,
      ...(await listLeads(deps, viewer, { owner: rep.id, limit: DUE_SHOWN }, { dueBy })),
    })),
  );
  // a manager's and ops': the leads still naming a rep who left the SLA (viewer.ts formerOwners), each former
  // owner's under a label naming them, with who the SLA gives them to and the way to reassign (the lead's page)
  const formers =
    viewer.role === 'rep'
      ? []
      : await Promise.all(
          formerOwners(sla).map(async (id) => ({
            id,
            ...(await listLeads(deps, viewer, { owner: id, limit: DUE_SHOWN }, { dueBy })),
          })),
        );
  const busy = lists.filter((list) => list.items.length > 0);
  const left = formers.filter((list) => list.items.length > 0);
  if (busy.length === 0 && left.length === 0) return `<p class="empty">${esc(o.nothingDue)}</p>`;
  const group = (owner: string, label: string, all: string, items: LeadListItem[], next: string | null) =>
    dueTable(o.dueCaption(label, items.length, ui.num(items.length), next !== null), items, now, zone, ui) +
    (next
      ? `<p><a href="/console/leads?${esc(new URLSearchParams({ owner, due: 'today' }).toString())}">${esc(all)}</a></p>`
      : '');
  return (
    busy
      .map(({ rep, items, next }) => {
        const name = localName(rep, ui.locale);
        return group(rep.id, name, o.allDueFor(name), items, next);
      })
      .join('') +
    left
      .map(({ id, items, next }) => {
        const to = sla.routing.reps.find((rep) => rep.id === sla.migrations.reps[id]);
        return (
          group(id, o.formerOwner(id), o.allDueForFormer(id), items, next) +
          `<p class="hint">${esc(o.formerNote(to ? localName(to, ui.locale) : null))}</p>`
        );
      })
      .join('')
  );
}

function dueTable(caption: string, items: LeadListItem[], now: Date, zone: string, ui: Ui): Html {
  const { t } = ui;
  return table<LeadListItem>(
    caption,
    [
      {
        label: t.leads.lead,
        cell: (item) =>
          item.name
            ? leadLink(item.id, item.name, t.leads.aLead)
            : item.email
              ? `<a href="/console/leads/${esc(item.id)}" dir="ltr">${esc(item.email)}</a>`
              : leadLink(item.id, null, t.leads.aLead),
      },
      { label: t.leads.company, cell: (item) => ownOr(item.company) },
      {
        label: t.overview.step,
        cell: (item) => esc(t.leads.stepOf(ui.num(item.sla.nextStep!.step), ui.num(item.sla.nextStep!.of))),
      },
      {
        label: t.overview.due,
        cell: (item) =>
          `${time(item.sla.nextStep!.dueAt, zone, ui)}${Date.parse(item.sla.nextStep!.dueAt!) < now.getTime() ? ` <strong class="late">${esc(t.overview.late)}</strong>` : ''}`,
      },
    ],
    [...items].sort((a, b) => (a.sla.nextStep!.dueAt! < b.sla.nextStep!.dueAt! ? -1 : 1)),
    t.overview.nothingDue,
  );
}

// ---------- the lead page's parts ----------

function standingSection(
  sla: Sla,
  standing: ReturnType<typeof slaStanding>,
  now: Date,
  zone: string,
  ui: Ui,
): Html {
  const f = ui.t.lead;
  const n = (value: number) => ui.num(value);
  const rows: [string, Html][] = [];
  rows.push([ui.t.leads.firstTouch, firstTouchText(standing.firstTouch, zone, ui)]);
  if (standing.cadence) {
    const cadence = sla.contact.cadences.find((c) => c.id === standing.cadence?.id);
    const c = standing.cadence;
    const name = esc(cadence ? localName(cadence, ui.locale) : f.cadence);
    const overdue = c.nextDueAt !== null && Date.parse(c.nextDueAt) <= now.getTime();
    rows.push([
      f.cadence,
      // a step past its deadline says so; a schedule that moved on without attempts names the step the owner's
      // reminders are at (their "Attempt 3/6"), so the page and the email agree
      overdue && c.scheduledStep !== null && c.scheduledStep > c.step
        ? f.cadenceBehindHtml(
            name,
            n(c.attempted),
            n(c.of),
            time(c.nextDueAt, zone, ui),
            n(c.scheduledStep),
            time(c.scheduledDueAt, zone, ui),
          )
        : (overdue ? f.cadenceOverdueHtml : f.cadenceDetailHtml)(
            name,
            n(c.step),
            n(c.of),
            n(c.attempted),
            time(c.nextDueAt, zone, ui),
          ),
    ]);
  }
  if (standing.escalation?.next)
    rows.push([
      f.escalation,
      f.escalationNextHtml(
        esc(f.escalations[standing.escalation.next.action] ?? standing.escalation.next.action),
        time(standing.escalation.next.dueAt, zone, ui),
      ),
    ]);
  rows.push([
    f.handovers,
    standing.handovers.length
      ? `<ol>${standing.handovers.map((h) => `<li>${esc(handoverOwner(sla, h.owner, ui))}${ui.t.layout.comma}${time(h.at, zone, ui)}${h.by === 'workflow' ? '' : f.byHtml(own(actorName(sla, h.by, ui)))}</li>`).join('')}</ol>`
      : esc(f.noHandovers),
  ]);
  return (
    `<section aria-labelledby="standing"><h2 id="standing">${esc(f.standing)}</h2>` +
    `<dl class="facts card">${rows.map(([k, v]) => `<div><dt>${esc(k)}</dt><dd>${v}</dd></div>`).join('')}</dl></section>`
  );
}

/** A handover's owner by the SLA's name in the reader's language, else the name it had then. */
function handoverOwner(
  sla: Sla,
  owner: { readonly id?: string; readonly name?: string | null },
  ui: Ui,
): string {
  const rep = owner.id === undefined ? undefined : sla.routing.reps.find((r) => r.id === owner.id);
  return rep ? localName(rep, ui.locale) : (owner.name ?? ui.t.people.formerRep);
}

/** A list item's owner by the SLA's name in the reader's language; a dash when it has none. */
function ownerOf(sla: Sla, item: LeadListItem, ui: Ui): string {
  if (!item.owner) return '–';
  const rep = sla.routing.reps.find((r) => r.id === item.owner?.id);
  return rep ? localName(rep, ui.locale) : (item.owner.name ?? ui.t.people.formerRep);
}

/** The form that gives the lead to a rep in the viewer's reach (POST …/owner), if the viewer may. */
function ownerForm(
  sla: Sla,
  session: ConsoleSession,
  lead: LeadState,
  base: string,
  ui: Ui,
  give: boolean,
): Html | undefined {
  if (!allowed(sla, session.viewer, lead, 'reassign')) return undefined;
  // a lead over to the viewer: any rep of its queue too (ADR 0088)
  const overTo = overToReps(sla, session.viewer, lead);
  const reachable = reachableReps(sla, session.viewer).map((rep) => rep.id);
  const reps = sla.routing.reps.filter(
    (rep) => rep.id !== lead.ownerId && (reachable.includes(rep.id) || overTo.includes(rep.id)),
  );
  if (!reps.length) return undefined;
  const f = ui.t.lead;
  return (
    `<form class="card stack" method="post" action="${base}/owner"><h3>${esc(give ? f.giveToRep : f.reassign)}</h3>${csrfField(session)}` +
    select(
      'owner',
      give ? f.rep : f.newOwner,
      reps.map((r) => ({ value: r.id, label: localName(r, ui.locale) })),
      undefined,
      { required: true, id: 'o-owner' },
    ) +
    input('reason', f.reasonOptional, '', { id: 'o-reason' }) +
    `<button type="submit">${esc(give ? f.giveLead : f.reassign)}</button></form>`
  );
}

/**
 * `dueChannel`: the channel of the cadence step due (its reminder's), the attempt form's default; none: phone. For a
 * lead who gave no phone, a call or text step defaults to email (their reminder says "No phone given: write to"), and
 * the outcomes offered are those a rep can have without a number (outcome-reach.ts: no "Left voicemail").
 */
function actionsSection(
  deps: ApiDeps,
  session: ConsoleSession,
  lead: LeadState,
  ui: Ui,
  dueChannel: Channel | undefined,
): Html {
  const { sla } = deps;
  const f = ui.t.lead;
  const closed = isTerminal(sla, { stage: lead.stage, status: lead.status });
  const csrf = csrfField(session);
  const base = `/console/leads/${esc(lead.leadId)}`;
  const forms: Html[] = [];
  // one id per rendered form: a double tap (or a resent post) of the same choice is applied once. Random as
  // well as timed: two tabs of one session rendered in the same millisecond are two forms, not one (a call
  // logged in each would be one attempt)
  const requestId = `console-${esc(session.nonce.slice(0, 8))}-${Date.now().toString(36)}-${randomUUID().slice(0, 8)}`;
  const once = `<input type="hidden" name="requestId" value="${requestId}">`;
  if (!closed && lead.ownerId) {
    const hasPhone = phoneOf(lead) !== undefined;
    forms.push(
      `<form class="card stack" method="post" action="${base}/attempts"><h3>${esc(f.logAttempt)}</h3>${csrf}` +
        `<input type="hidden" name="attemptId" value="${requestId}">` +
        select(
          'outcome',
          f.outcome,
          outcomesTheRepCanHave(sla, { hasPhone }).map((o) => ({
            value: o.id,
            label: localName(o, ui.locale),
          })),
          undefined,
          { required: true, id: 'a-outcome' },
        ) +
        select(
          'channel',
          f.channel,
          CHANNELS.map((c) => ({ value: c, label: f.channels[c] ?? c })),
          channelTheRepCanUse(dueChannel, hasPhone) ?? (hasPhone ? 'phone' : 'email'),
          { id: 'a-channel' },
        ) +
        input('note', f.noteOptional, '', { id: 'a-note' }) +
        input('at', f.whenOptional, '', {
          type: 'datetime-local',
          id: 'a-at',
          hint: f.whenHint(zoneNameIn(zoneOf(sla, session), deps.clock.now(), ui)),
        }) +
        `<button type="submit">${esc(f.logAttemptButton)}</button></form>`,
    );
    forms.push(
      `<form class="card stack" method="post" action="${base}/deal"><h3>${esc(lead.deal ? f.moveDeal : f.openDeal)}</h3>${csrf}${once}` +
        select(
          'stage',
          f.dealStage,
          sla.deals.stages.map((s) => ({ value: s.id, label: localName(s, ui.locale) })),
          lead.deal?.stageId,
          { required: true, id: 'd-stage' },
        ) +
        input('amount', f.amountOptional, lead.deal?.amount === undefined ? '' : String(lead.deal.amount), {
          type: 'number',
          id: 'd-amount',
        }) +
        `<button type="submit">${esc(f.saveDeal)}</button></form>`,
    );
    const settable = sla.leadStatuses.filter((s) => s.repCanSet && s.id !== lead.status);
    if (settable.length)
      forms.push(
        `<form class="card stack" method="post" action="${base}/status"><h3>${esc(f.setStatus)}</h3>${csrf}${once}` +
          select(
            'status',
            f.status,
            settable.map((s) => ({ value: s.id, label: localName(s, ui.locale) })),
            undefined,
            { required: true, id: 's-status' },
          ) +
          `<button type="submit">${esc(f.setStatusButton)}</button></form>`,
      );
    const form = ownerForm(sla, session, lead, base, ui, false);
    if (form) forms.push(form);
  }
  // an SQL nobody in its queue could take (everyone away or at capacity): a person hands it off
  const waiting = !closed && waitsForOwner(lead);
  const give = waiting ? ownerForm(sla, session, lead, base, ui, true) : undefined;
  if (give) forms.push(give);
  forms.push(
    `<form class="card stack" method="post" action="${base}/fields"><h3>${esc(f.correct)}</h3>${csrf}` +
      CORRECTABLE.map(([key, label]) =>
        // the phone as a phone number: a phone's keypad, left to right
        input(key, f.fields[key] ?? label, text(lead.fields[key]) ?? '', {
          id: `c-${key}`,
          ...(key === 'phone' ? { type: 'tel' } : {}),
        }),
      ).join('') +
      `<button type="submit">${esc(f.saveCorrections)}</button></form>`,
  );
  return `<section aria-labelledby="do"><h2 id="do">${esc(f.whatYouCanDo)}</h2>${closed ? notice(f.closed(lead.stage === 'customer')) : ''}${lead.ownerId ? '' : notice(waiting ? f.waitingNotice : f.noOwnerNotice)}<div class="forms">${forms.join('')}</div></section>`;
}

export const CORRECTABLE: readonly (readonly [string, string])[] = [
  ['firstName', 'First name'],
  ['lastName', 'Last name'],
  ['company', 'Company'],
  ['jobTitle', 'Job title'],
  ['phone', 'Phone'],
  ['country', 'Country'],
];

/** May marketing email this person, and since when (the consent record, issue 10: double opt-in). */
function consentFact(sla: Sla, lead: LeadState, zone: string, ui: Ui, now: Date): Html {
  const c = ui.t.lead.consent;
  const at = (iso: string | undefined) => time(iso, zone, ui);
  if (lead.undeliverable) return esc(c.bounced);
  const record = lead.consent;
  const form = sla.forms.find((candidate) => candidate.id === record?.formId);
  const where = form?.name
    ? c.onFormHtml(esc(localName({ name: form.name, names: form.names }, ui.locale)))
    : '';
  // consent given again after an unsubscribe: unsubscribed until the person confirms
  if (lead.unsubscribed && record && !record.withdrawnAt && !record.confirmedAt)
    return c.reconfirmHtml(
      record.previouslyWithdrawnAt ? at(record.previouslyWithdrawnAt) : '',
      at(record.givenAt),
      where,
    );
  if (lead.unsubscribed || record?.withdrawnAt)
    return c.unsubscribedHtml(record?.withdrawnAt ? at(record.withdrawnAt) : '');
  if (!record) return esc(lead.marketingConsent ? c.givenBefore : c.none);
  if (record.confirmedAt) return c.confirmedHtml(at(record.confirmedAt), where);
  if (record.mode === 'single') return c.singleHtml(at(record.givenAt), where);
  if (record.notAsked) return c.notAskedHtml(at(record.givenAt), where, at(record.notAsked.at));
  // a lead that went straight to sales is asked only when it first comes to nurture (lead-plan.ts planNurture)
  const asked = record.askedAt ?? record.givenAt;
  if (consentStatus(record, lead.sent, now) === 'expired')
    return c.expiredHtml(at(asked), at(linkExpiresAt(record).toISOString()), where);
  if (!record.askedAt && !lead.sent.includes(confirmationKey(record)))
    return c.notSentHtml(at(record.givenAt), where);
  return c.askedHtml(at(asked), where);
}

function whySection(sla: Sla, lead: LeadState, zone: string, ui: Ui): Html {
  const f = ui.t.lead;
  const judged = lead.timeline.findLast((entry) => entry.kind === 'judged');
  if (!judged || judged.reasons.length === 0) return '';
  // the entry is written when the type, persona or journey changes; engagement since (events, points fading)
  // moves the score without one: say so, rather than let the reasons contradict the score above them
  const then = typeof judged.data?.total === 'number' ? judged.data.total : undefined;
  const moved =
    then !== undefined && then !== lead.total
      ? `<p>${esc(f.scoreMoved(ui.num(then), ui.num(lead.total)))}</p>`
      : '';
  return (
    `<section aria-labelledby="why"><h2 id="why">${esc(f.why)}</h2>` +
    `<p>${f.lastJudgedHtml(esc(stageName(sla, judged.to ?? lead.stage, ui)), time(judged.at, zone, ui), `<bdi>${esc(judged.version ?? lead.slaVersion)}</bdi>`)}</p>` +
    `<ul class="reasons">${judged.reasons.map((r) => reasonItem(sla, r.detail, zone, ui)).join('')}</ul>${moved}</section>`
  );
}

/**
 * A reason the workflow wrote (English, as recorded in the lead's story: the audit trail's own words), its
 * names and times for the reader (humanize); in another language's page marked as English, left to right.
 */
function reasonItem(sla: Sla, detail: string, zone: string, ui: Ui): Html {
  const words = ltrWithRtlRuns(humanize(sla, detail, zone));
  return ui.lang === 'en' ? `<li>${words}</li>` : `<li lang="en" dir="ltr">${words}</li>`;
}

function dealSection(sla: Sla, lead: LeadState, zone: string, ui: Ui): Html {
  if (!lead.deal) return '';
  const f = ui.t.lead;
  const stage = sla.deals.stages.find((s) => s.id === lead.deal?.stageId);
  return (
    `<section aria-labelledby="deal"><h2 id="deal">${esc(f.deal)}</h2><dl class="facts card">` +
    `<div><dt>${esc(f.stage)}</dt><dd>${esc(dealStageName(sla, lead.deal.stageId, ui))}${stage ? ` (${ui.num(stage.probability / 100, { style: 'percent' })})` : ''}${f.sinceHtml(time(lead.deal.since, zone, ui))}</dd></div>` +
    `<div><dt>${esc(f.amount)}</dt><dd>${lead.deal.amount === undefined ? '–' : esc(ui.num(lead.deal.amount))}</dd></div>` +
    `<div><dt>${esc(f.opened)}</dt><dd>${time(lead.deal.openedAt, zone, ui)}</dd></div></dl></section>`
  );
}

/** changes the lead page's story shows, newest first */
const STORY_SHOWN = 100;
/**
 * attempts the lead page lists, the latest: a note is up to 2,000 characters (12 KB as HTML), and a lead's
 * attempts are not bounded, so all of them could pass Lambda's 6 MB response limit (1,000 did: 12 MB)
 */
const ATTEMPTS_SHOWN = 100;

function timelineSection(sla: Sla, lead: LeadState, zone: string, ui: Ui): Html {
  const f = ui.t.lead;
  const entries = [...lead.timeline].reverse().slice(0, STORY_SHOWN);
  // ids by the SLA's names ("sql/new": stage, status); a corrected field's values as the person wrote them
  // ("Müller/Söhne GmbH" read as two ids was "Müller, Söhne GmbH"; a value that is also an id, a rep's name)
  const named = (value: string | undefined, kind: string) =>
    value === undefined
      ? ''
      : kind === 'field'
        ? own(value)
        : esc(
            value
              .split('/')
              .map((part) => nameOf(sla, part, ui))
              .join(ui.t.layout.comma),
          );
  const items = entries
    .map((entry) => {
      const move =
        entry.from !== undefined || entry.to !== undefined
          ? `: ${entry.from === undefined ? '' : `${named(entry.from, entry.kind)} ${ui.dir === 'rtl' ? '←' : '→'} `}${named(entry.to, entry.kind)}`
          : '';
      const reasons = entry.reasons.length
        ? `<ul>${entry.reasons
            .slice(0, 6)
            .map((r) => reasonItem(sla, r.detail, zone, ui))
            .join('')}</ul>`
        : '';
      const kind = Object.hasOwn(f.kinds, entry.kind) ? f.kinds[entry.kind]! : f.otherKind(entry.kind);
      return `<li><p>${time(entry.at, zone, ui)} <strong>${esc(kind)}</strong>${move} <span class="by">${f.byHtml(own(actorName(sla, entry.by, ui))).trim()}</span></p>${reasons}</li>`;
    })
    .join('');
  return `<section aria-labelledby="story"><h2 id="story">${esc(f.story)}</h2><ol class="timeline">${items}</ol>${lead.timeline.length > STORY_SHOWN ? `<p class="hint">${esc(f.latestChanges(ui.num(STORY_SHOWN)))}</p>` : ''}</section>`;
}

/**
 * A reason the workflow wrote, for a person: people's ids by their names ("reminded jonas" is "reminded
 * Jonas Berger"), nurture tracks, forms, queues, lead types and statuses by theirs ("track ready-to-decide"
 * is `track "Asked for a demo or quote"`), lifecycle stages too ("sql -> opportunity" is "Sales qualified
 * lead → Opportunity"), ISO times in the reader's zone.
 */
export function humanize(sla: Sla, detail: string, zone: string): string {
  const people = new Map<string, string>([
    ...sla.routing.reps.map((rep) => [rep.id, rep.name] as const),
    ...sla.routing.managers.map((manager) => [manager.id, manager.name] as const),
  ]);
  const named = {
    track: sla.nurture.tracks,
    form: sla.forms,
    queue: sla.routing.queues,
    'lead type': sla.leadTypes,
    status: sla.leadStatuses,
  } as const;
  const stages = sla.lifecycle.names as Readonly<Record<string, string>>;
  const stage = (id: string) => (Object.hasOwn(stages, id) ? stages[id] : undefined);
  return (
    detail
      .replace(
        /\b(track|form|queue|lead type|status) ([a-z0-9][a-z0-9_.-]*[a-z0-9]|[a-z0-9])(?![a-z0-9_.-])/g,
        (whole, kind, id) => {
          const name = named[kind as keyof typeof named].find((item) => item.id === id)?.name;
          return name ? `${kind} "${name}"` : whole;
        },
      )
      // lifecycle stages: a move ("sql -> opportunity"), and a stage after "stage", "as" or "stays"
      .replace(/\b([a-z]+) -> ([a-z]+)\b/g, (whole, from: string, to: string) => {
        const names = [stage(from), stage(to)];
        return names[0] && names[1] ? `${names[0]} → ${names[1]}` : whole;
      })
      .replace(/\b(stage|as|stays) ([a-z]+)\b/g, (whole, word: string, id: string) => {
        const name = stage(id);
        return name ? `${word} ${name}` : whole;
      })
      .replace(/\b\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?Z\b/g, (iso) =>
        Number.isNaN(Date.parse(iso)) ? iso : formatFullTime(new Date(iso), zone),
      )
      .replace(/\b[a-z][a-z0-9_-]*\b/g, (word) => people.get(word) ?? word)
  );
}

/** An id in a timeline entry by the SLA's name in the reader's language (stage, status, rep, deal stage, outcome, type), else as is. */
function nameOf(sla: Sla, value: string, ui: Ui): string {
  const find = <T extends { readonly id: string }>(items: readonly T[]) =>
    items.find((item) => item.id === value);
  if (Object.hasOwn(sla.lifecycle.names, value)) return stageName(sla, value, ui);
  const named = find(sla.leadStatuses) ?? find(sla.routing.reps) ?? find(sla.routing.managers);
  if (named) return localName(named, ui.locale);
  // an escalation's or takeover's `to`: a manager, or the deployment's ops address
  if (value === 'ops') return ui.t.people.opsAddress;
  const other = find(sla.deals.stages) ?? find(sla.contact.outcomes) ?? find(sla.leadTypes);
  return other ? localName(other, ui.locale) : value;
}

// ---------- the SLA page ----------

function slaBody(sla: Sla, session: ConsoleSession, now: Date, ui: Ui): Html {
  const a = ui.t.sla;
  const n = (value: number) => ui.num(value);
  const thresholds = sla.scoring.thresholds;
  const list = (items: readonly string[]) => `<ul>${items.map((item) => `<li>${item}</li>`).join('')}</ul>`;
  const duration = (d: Duration) => esc(durationIn(d, ui));
  const channel = (id: string) => esc(ui.t.lead.channels[id] ?? id);
  // a status or type the SLA does not describe: a dash, not an empty "Meaning" line on a phone
  const described = (value: string | undefined) => (value ? own(value) : '–');
  return (
    `<p class="lead-in">${a.versionHtml(`<strong><bdi>${esc(sla.version)}</bdi></strong>`)}</p>` +
    `<section aria-labelledby="s-marketing"><h2 id="s-marketing">${esc(a.marketing)}</h2>` +
    list(
      [
        sla.marketing.mqlsPerMonth === undefined
          ? a.noMqlTarget
          : a.mqlsPerMonth(sla.marketing.mqlsPerMonth, n(sla.marketing.mqlsPerMonth)),
        sla.marketing.sqlAcceptanceRate === undefined
          ? a.noSqlTarget
          : a.sqlAcceptance(percent(sla.marketing.sqlAcceptanceRate / 100, ui)),
        a.thresholds(n(thresholds.mql), n(thresholds.sql)),
      ].map(esc),
    ) +
    `</section><section aria-labelledby="s-sales"><h2 id="s-sales">${esc(a.sales)}</h2>` +
    list([
      a.firstTouchHtml(duration(sla.handoff.firstTouchWithin)),
      a.lateHtml(
        sla.handoff.escalation
          .map((step) =>
            a.stepHtml(
              esc(ui.t.lead.escalations[step.action] ?? step.action),
              step.after.amount === 0 ? null : duration(step.after),
            ),
          )
          .join(esc(a.andThen)),
      ),
      ...sla.contact.cadences.map((c) =>
        a.cadenceHtml(
          esc(localName(c, ui.locale)),
          c.steps.length,
          n(c.steps.length),
          c.steps
            .map((s, i) => a.attemptHtml(n(i + 1), channel(s.channel), i === 0 ? null : duration(s.delay)))
            .join(ui.lang === 'ar' ? '؛ ' : '; '),
          duration(c.coolOff),
        ),
      ),
    ]) +
    '</section>' +
    workingCalendarSection(sla, now, ui) +
    table(
      a.stages,
      [{ label: a.stage, cell: (id: (typeof LIFECYCLE_STAGES)[number]) => esc(stageName(sla, id, ui)) }],
      LIFECYCLE_STAGES,
      ui.t.layout.none,
    ) +
    table(
      a.statuses,
      [
        { label: a.status, cell: (s: Sla['leadStatuses'][number]) => esc(localName(s, ui.locale)) },
        { label: a.meaning, cell: (s) => described(s.description) },
        { label: a.repsMaySet, cell: (s) => esc(s.repCanSet ? a.yes : a.no) },
      ],
      sla.leadStatuses,
      ui.t.layout.none,
    ) +
    table(
      a.outcomes,
      [{ label: a.outcome, cell: (o: Sla['contact']['outcomes'][number]) => esc(localName(o, ui.locale)) }],
      sla.contact.outcomes,
      ui.t.layout.none,
    ) +
    table(
      a.dealStages,
      [
        { label: a.stage, cell: (s: Sla['deals']['stages'][number]) => esc(localName(s, ui.locale)) },
        { label: a.probability, cell: (s) => percent(s.probability / 100, ui), numeric: true },
      ],
      sla.deals.stages,
      ui.t.layout.none,
    ) +
    table(
      a.types,
      [
        { label: a.type, cell: (t: Sla['leadTypes'][number]) => esc(localName(t, ui.locale)) },
        { label: a.whatItIs, cell: (t) => described(t.description) },
      ],
      sla.leadTypes,
      ui.t.layout.none,
    ) +
    table(
      a.queues,
      [
        { label: a.queue, cell: (q: Sla['routing']['queues'][number]) => esc(localName(q, ui.locale)) },
        {
          label: a.reps,
          cell: (q) => q.reps.map((id) => own(repName(sla, id, ui))).join(esc(ui.t.layout.comma)),
        },
        { label: a.manager, cell: (q) => (q.manager ? own(managerName(sla, q.manager, ui) ?? '–') : '–') },
      ],
      sla.routing.queues,
      ui.t.layout.none,
    ) +
    table<Person>(
      a.people,
      [
        { label: a.name, cell: (p) => own(personName(sla, p, ui)) },
        { label: a.role, cell: (p) => personRole(sla, p, ui) },
        // ops end anyone's sessions (a lost laptop, someone leaving the team): permissions of ADR 0029
        ...(session.person.role === 'ops'
          ? [
              {
                label: a.sessions,
                cell: (p: Person) =>
                  `<form method="post" action="/console/sessions/revoke">${csrfField(session)}<input type="hidden" name="person" value="${esc(`${p.role}:${p.id}`)}"><button type="submit" class="secondary" aria-label="${esc(a.signOutLabel(personName(sla, p, ui)))}">${esc(a.signOutEverywhere)}</button></form>`,
              },
            ]
          : []),
      ],
      people(sla),
      ui.t.layout.none,
    )
  );
}

/** A person of the SLA by their name in the reader's language. */
function personName(sla: Sla, person: Person, ui: Ui): string {
  const entry =
    person.role === 'rep'
      ? sla.routing.reps.find((r) => r.id === person.id)
      : sla.routing.managers.find((m) => m.id === person.id);
  return entry ? localName(entry, ui.locale) : person.name;
}

function personRole(sla: Sla, person: Person, ui: Ui): Html {
  const a = ui.t.sla;
  if (person.role !== 'rep') return esc(ui.t.layout.roles[person.role]);
  const rep = sla.routing.reps.find((r) => r.id === person.id);
  if (!rep?.manager) return esc(ui.t.layout.roles.rep);
  return a.teamOfHtml(own(managerName(sla, rep.manager, ui) ?? a.formerManager));
}

// ---------- helpers ----------

function firstTouchText(
  firstTouch: { dueAt: string; metAt: string | null; state: 'due' | 'met' | 'breached' } | null,
  zone: string,
  ui: Ui,
): Html {
  if (!firstTouch) return '–';
  const l = ui.t.leads;
  if (firstTouch.state === 'met')
    return `<span class="ok">${esc(l.met)}</span> ${time(firstTouch.metAt, zone, ui)}`;
  if (firstTouch.state === 'breached')
    return `<span class="late">${esc(l.breached)}</span>${firstTouch.metAt ? l.touchedHtml(time(firstTouch.metAt, zone, ui)) : l.wasDueHtml(time(firstTouch.dueAt, zone, ui))}`;
  return l.dueHtml(time(firstTouch.dueAt, zone, ui));
}

/** The reps whose leads the viewer may see, in the SLA's order. */
export function reachableReps(sla: Sla, viewer: Viewer): Sla['routing']['reps'] {
  return sla.routing.reps.filter((rep) => !viewer.owners || viewer.owners.includes(rep.id));
}

/** Query parameters a form sent: known names only, blanks dropped (an empty select means "any"). */
function cleanParams(
  params: HttpEvent['queryStringParameters'],
  names: readonly string[],
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(params ?? {})) {
    if (value === undefined || value.trim() === '') continue;
    if (!names.includes(key))
      throw new HttpError(400, 'invalid_request', 'the filters are invalid', [
        { path: key, message: 'unknown parameter' },
      ]);
    out[key] = value.trim();
  }
  return out;
}

/**
 * The report's window: a named period in the viewer's calendar, or from/to. Days are its zone's, midnight to
 * midnight; weeks begin on its first working day (Sunday for a Sunday-to-Thursday team), as calendar-week.ts says.
 */
export function periodOf(
  params: Record<string, string>,
  now: Date,
  calendar: Pick<WorkingCalendar, 'timeZone' | 'workingDays'>,
): { key: string; from: string; to: string } {
  const key = params.period ?? (params.from || params.to ? 'custom' : 'last-week');
  const zone = calendar.timeZone;
  const iso = (ms: number) => new Date(ms).toISOString();
  switch (key) {
    case 'last-week':
      return {
        key,
        from: startOfWeek(calendar, now, -1).toISOString(),
        to: startOfWeek(calendar, now).toISOString(),
      };
    case 'this-week':
      return { key, from: startOfWeek(calendar, now).toISOString(), to: now.toISOString() };
    case '7d':
      return { key, from: iso(now.getTime() - 7 * DAY), to: now.toISOString() };
    case '30d':
      return { key, from: iso(now.getTime() - 30 * DAY), to: now.toISOString() };
    case 'custom': {
      // dates are the viewer's days: midnight in their zone
      const day = (value: string | undefined) =>
        value && /^\d{4}-\d{2}-\d{2}$/.test(value) && !Number.isNaN(Date.parse(`${value}T12:00:00.000Z`))
          ? startOfLocalDay(zone, value).toISOString()
          : value;
      return {
        key,
        from: day(params.from) ?? iso(now.getTime() - 7 * DAY),
        to: day(params.to) ?? now.toISOString(),
      };
    }
    default:
      throw new HttpError(400, 'invalid_request', 'the report filters are invalid', [
        { path: 'period', message: 'one of last-week, this-week, 7d, 30d, custom' },
      ]);
  }
}

/** The day (YYYY-MM-DD) an instant falls on in `zone`. */
function localDate(isoTime: string, zone: string): string {
  return localDayOf(zone, new Date(isoTime));
}

/** The first instant of tomorrow in `zone`, epoch ms. */
export function endOfDay(now: Date, zone: string): number {
  return startOfLocalDay(zone, localDayOf(zone, now), 1).getTime();
}

/** A duration of the SLA in the reader's words: English as durationText says it, another language as its emails do. */
function durationIn(duration: Duration, ui: Ui): string {
  if (ui.lang === 'en') return durationText(duration);
  const span = emailText(ui.lang).span(
    duration.amount,
    duration.unit,
    duration.business,
    ui.num(duration.amount),
  );
  // the console says a duration after a preposition ("within", "after"): an Arabic dual is then genitive
  return ui.lang === 'ar' ? span.replace(/(\p{L}+)(تان|تا|ان|ا)(?=\s|$)/u, dualGenitive) : span;
}

/** An Arabic dual noun in the genitive: ساعتان → ساعتين, ساعتا عمل → ساعتي عمل, يومان → يومين. */
function dualGenitive(word: string, stem: string, ending: string): string {
  if (!DUALS.has(word)) return word;
  return `${stem}${{ تان: 'تين', تا: 'تي', ان: 'ين', ا: 'ي' }[ending]}`;
}

const DUALS = new Set(['ساعتان', 'ساعتا', 'دقيقتان', 'دقيقتا', 'يومان', 'يوما', 'أسبوعان', 'أسبوعا']);

function durationText(duration: Duration): string {
  const unit = duration.amount === 1 ? duration.unit.replace(/s$/, '') : duration.unit;
  return `${duration.amount} ${duration.business ? 'business ' : ''}${duration.business && unit.startsWith('day') ? unit.replace('day', 'working day') : unit}`.replace(
    'business working',
    'working',
  );
}

function businessHours(duration: Duration): number | undefined {
  if (duration.unit === 'hours') return duration.amount;
  if (duration.unit === 'minutes') return duration.amount / 60;
  return undefined;
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim()
    ? value.trim()
    : typeof value === 'number'
      ? String(value)
      : undefined;
}

/** The lead's title as the page's heading: its name and company each in their own direction. */
function leadHeading(lead: LeadState, ui: Ui): Html {
  const name = [text(lead.fields.firstName), text(lead.fields.lastName)].filter(Boolean).join(' ');
  const company = text(lead.fields.company);
  if (!name)
    return company
      ? own(company)
      : lead.email
        ? `<bdi dir="ltr">${esc(lead.email)}</bdi>`
        : esc(ui.t.leads.aLead);
  return company ? `${own(name)}${ui.t.layout.comma}${own(company)}` : own(name);
}

/**
 * A name the SLA gives in the reader's language (its own name, in Arabic "Kessler Industrial - اتفاقية …"):
 * isolated in the page's direction, so a Latin word at its start does not turn the Arabic name left to right.
 */
function ours(value: string, ui: Ui): Html {
  return `<bdi dir="${ui.dir}">${esc(value)}</bdi>`;
}

/** A link to a lead's page named by its own words (isolated, own()), else by `fallback` (an address, a phrase). */
function leadLink(id: string, name: string | null | undefined, fallback: string): Html {
  return `<a href="/console/leads/${esc(id)}">${name ? own(name) : esc(fallback)}</a>`;
}

/** A lead's own words, isolated (own()); a dash when there are none. */
/**
 * Where the lead is and what it wrote: its country, the language it wrote in (so the rep answers in it) and
 * its message, each in its own direction (an Arabic message is right to left in this English page), line
 * breaks kept. Only what the lead gave.
 */
function ownWords(lead: LeadState, ui: Ui): [string, Html][] {
  const rows: [string, Html][] = [];
  const country = text(lead.fields.country);
  const language = text(lead.fields.locale);
  const message = text(lead.fields.message);
  const f = ui.t.lead;
  if (country) rows.push([f.country, own(countryName(country, ui.locale))]);
  if (language) rows.push([f.language, own(languageName(language, ui.locale))]);
  if (message) rows.push([f.message, `<p class="own" dir="auto"${langOf(message)}>${esc(message)}</p>`]);
  return rows;
}

function ownOr(value: string | null | undefined): Html {
  return value ? own(value) : '–';
}

function leadTitle(lead: LeadState, ui: Ui): string {
  const name = [text(lead.fields.firstName), text(lead.fields.lastName)].filter(Boolean).join(' ');
  const company = text(lead.fields.company);
  return name
    ? company
      ? `${name}${ui.t.layout.comma}${company}`
      : name
    : (company ?? lead.email ?? ui.t.leads.aLead);
}

/**
 * What the form sent that did not read as its field (the lead's `fieldIssues`: a last name over its limit, a
 * company size of "lots", a message cut), as sent and with what was wrong, so the rep knows it was sent. The
 * phone's own issue shows beside the phone (phoneFact).
 */
function formIssues(lead: LeadState, ui: Ui): [string, Html][] {
  const f = ui.t.lead;
  const labels: Readonly<Record<string, string>> = {
    ...f.fields,
    company: f.company,
    jobTitle: f.jobTitle,
    country: f.country,
    locale: f.language,
    message: f.message,
    employees: f.employees,
    revenue: f.revenue,
  };
  const issues = (lead.fieldIssues ?? []).filter((issue) => issue.field !== 'phone');
  if (issues.length === 0) return [];
  // a value kept in part (a message cut) shows above: its note alone here
  const item = (issue: { field: string; value: string; message: string }) =>
    `<li><bdi>${esc(labels[issue.field] ?? issue.field)}</bdi>: ${lead.fields[issue.field] === undefined ? `<span class="own" dir="auto"${langOf(issue.value)}>${esc(issue.value)}</span> ` : ''}<small dir="ltr">(${esc(issue.message)})</small></li>`;
  return [[f.formIssues, `<ul class="issues">${issues.map(item).join('')}</ul>`]];
}

/** The phone as read, or as the form gave it when it did not read as one (said so): a rep still calls it. */
function phoneFact(lead: LeadState, ui: Ui): Html {
  const phone = phoneOf(lead);
  if (!phone) return esc('–');
  return phone.read
    ? phoneLink(phone.value)
    : `${phoneLink(phone.value)} <small>${esc(ui.t.lead.phoneAsGiven)}</small>`;
}
