/**
 * The SLA page's working calendar: what "4 business hours" counts, so a rep can check a due time by hand. The
 * company's zone, working days and hours, and its next holidays; then the reps who work on a calendar of their
 * own (a zone, days, hours or holidays the SLA gives them), each with what their clock runs on.
 */
import { localDayOf, repCalendar, type WorkingCalendar } from '../../domain/business-hours.ts';
import { firstDayOfWeek } from '../../domain/calendar-week.ts';
import { formatDate } from '../../domain/email-templates.ts';
import { WEEKDAYS, type Weekday } from '../../domain/sla-constants.ts';
import { localName } from '../../domain/sla-names.ts';
import type { Rep, Sla } from '../../domain/sla-schema.ts';
import { esc, type Html, own, table, type Ui, weekdayName, zoneNameIn } from './html.ts';

/** How many of the holidays ahead are named; the rest are counted. */
const HOLIDAYS_SHOWN = 4;

/** The "Working calendar" section: the company's calendar, then the reps on their own. */
export function workingCalendarSection(sla: Sla, now: Date, ui: Ui): Html {
  const c = ui.t.sla.calendar;
  const company = sla.calendar;
  const item = (label: string, valueHtml: Html) => `<li>${esc(label)}: ${valueHtml}</li>`;
  const ownCalendars = sla.routing.reps.filter(hasOwnCalendar);
  return (
    `<section aria-labelledby="s-calendar"><h2 id="s-calendar">${esc(c.title)}</h2>` +
    `<p>${esc(c.intro)}</p><ul>` +
    item(c.timeZone, zoneHtml(company.timeZone, now, ui)) +
    item(c.workingTime, workingTimeHtml(company, ui)) +
    item(c.holidaysAhead, holidaysAheadHtml(company, now, ui)) +
    '</ul>' +
    (ownCalendars.length === 0
      ? ''
      : table<Rep>(
          c.ownCalendars,
          [
            { label: c.rep, cell: (rep) => own(localName(rep, ui.locale)) },
            { label: c.timeZone, cell: (rep) => zoneHtml(repCalendar(sla, rep).timeZone, now, ui) },
            { label: c.workingTime, cell: (rep) => workingTimeHtml(repCalendar(sla, rep), ui) },
            {
              label: c.holidaysAhead,
              cell: (rep) =>
                rep.holidays ? holidaysAheadHtml(repCalendar(sla, rep), now, ui) : esc(c.companyHolidays),
            },
          ],
          ownCalendars,
          ui.t.layout.none,
        )) +
    '</section>'
  );
}

function hasOwnCalendar(rep: Rep): boolean {
  return Boolean(rep.timeZone || rep.workingDays || rep.workingHours || rep.holidays);
}

/** "Asia/Riyadh (GMT+3)": the zone as the SLA names it, left to right, with its short name now. */
function zoneHtml(zone: string, now: Date, ui: Ui): Html {
  return `<bdi dir="ltr">${esc(zone)}</bdi> (<bdi>${esc(zoneNameIn(zone, now, ui))}</bdi>)`;
}

/** "Sunday to Thursday, 09:00 to 17:00": the days from the week's first, runs of three or more as a range. */
function workingTimeHtml(calendar: WorkingCalendar, ui: Ui): Html {
  const c = ui.t.sla.calendar;
  const hours = c.hoursHtml(
    `<bdi dir="ltr">${esc(calendar.workingHours.start)}</bdi>`,
    `<bdi dir="ltr">${esc(calendar.workingHours.end)}</bdi>`,
  );
  return `${esc(workingDaysText(calendar.workingDays, ui))}${esc(ui.t.layout.comma)}${hours}`;
}

function workingDaysText(workingDays: readonly Weekday[], ui: Ui): string {
  const c = ui.t.sla.calendar;
  if (WEEKDAYS.every((day) => workingDays.includes(day))) return c.everyDay;
  const first = WEEKDAYS.indexOf(firstDayOfWeek(workingDays));
  const week = WEEKDAYS.map((_, i) => WEEKDAYS[(first + i) % 7]!);
  const runs: Weekday[][] = [];
  week.forEach((day, i) => {
    if (!workingDays.includes(day)) return;
    if (i > 0 && workingDays.includes(week[i - 1]!)) runs.at(-1)!.push(day);
    else runs.push([day]);
  });
  return runs
    .flatMap((run) =>
      run.length >= 3
        ? [c.daysRange(weekdayName(run[0]!, ui), weekdayName(run.at(-1)!, ui))]
        : run.map((day) => weekdayName(day, ui)),
    )
    .join(ui.t.layout.comma);
}

/** The next few holidays from today (in the calendar's zone), then how many more the SLA lists. */
function holidaysAheadHtml(calendar: WorkingCalendar, now: Date, ui: Ui): Html {
  const c = ui.t.sla.calendar;
  const today = localDayOf(calendar.timeZone, now);
  const ahead = [...new Set(calendar.holidays)].filter((day) => day >= today).sort();
  if (ahead.length === 0) return esc(c.noHolidays);
  const more = ahead.length - HOLIDAYS_SHOWN;
  return (
    ahead
      .slice(0, HOLIDAYS_SHOWN)
      .map((day) => `<time datetime="${esc(day)}">${esc(formatDate(day, ui.locale))}</time>`)
      .join(esc(c.holidaySeparator)) + (more > 0 ? esc(c.moreHolidays(more, ui.num(more))) : '')
  );
}
