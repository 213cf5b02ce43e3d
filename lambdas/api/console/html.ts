/**
 * The console's HTML: one layout, a few components, inline SVG charts. Server-rendered, no scripts
 * (the content security policy allows none), one stylesheet (GET /console/console.css). Every value is
 * escaped here; people see the SLA's names, never ids.
 */

import { type ConsoleLanguage, consoleLanguage, consoleLocale } from '../../domain/console-language.ts';
import { dialable } from '../../domain/dial.ts';
import { durationFigure } from '../../domain/duration-figure.ts';
import { formatFullTime, zoneAbbreviation } from '../../domain/email-templates.ts';
import { arabicLangAttribute, canonicalTag, textDirection } from '../../domain/locale.ts';
import { WEEKDAYS, type Weekday } from '../../domain/sla-constants.ts';
import { localName, nameOf, stageNameIn } from '../../domain/sla-names.ts';
import type { Sla } from '../../domain/sla-schema.ts';
import type { HttpResult } from '../http.ts';
import { type ConsoleText, consoleText } from './console-text.ts';
import type { ConsoleSession } from './session.ts';

/**
 * Who reads a page: their locale (a person's SLA entry, personLocale) as the console draws it (console-language.ts:
 * a German reader's console is the English one), the language of the console's own words in it (console-text.ts),
 * its direction, and numbers as that locale writes them (Intl).
 */
export interface Ui {
  readonly locale: string;
  readonly lang: ConsoleLanguage;
  readonly dir: 'ltr' | 'rtl';
  readonly t: ConsoleText;
  /** a number as the reader's locale writes it */
  num(value: number, options?: Intl.NumberFormatOptions): string;
}

const uis = new Map<string, Ui>();

export function uiFor(locale = 'en'): Ui {
  let ui = uis.get(locale);
  if (!ui) {
    const lang = consoleLanguage(locale);
    const tag = canonicalTag(consoleLocale(locale)) ?? lang;
    const formats = new Map<string, Intl.NumberFormat>();
    ui = {
      locale: tag,
      lang,
      dir: textDirection(tag),
      t: consoleText(lang),
      num: (value, options = {}) => {
        const key = JSON.stringify(options);
        let format = formats.get(key);
        if (!format) {
          format = new Intl.NumberFormat(tag, options);
          formats.set(key, format);
        }
        return format.format(value);
      },
    };
    uis.set(locale, ui);
  }
  return ui;
}

export const EN: Ui = uiFor('en');

/**
 * Pages of the console: no caching, a Referer only to this site (sign-in links carry a token; and with
 * `no-referrer` browsers send `Origin: null`, which the CSRF check then cannot read), no framing, no scripts.
 */
export const CONSOLE_HEADERS: Readonly<Record<string, string>> = {
  'content-type': 'text/html; charset=utf-8',
  'cache-control': 'no-store',
  'referrer-policy': 'same-origin',
  'x-frame-options': 'DENY',
  'x-robots-tag': 'noindex, nofollow',
  'content-security-policy':
    "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
};

export function esc(value: unknown): string {
  return String(value ?? '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

/** Marks markup built here as safe to join without escaping again. */
export type Html = string;

export interface PageOptions {
  readonly title: string;
  /** the heading as markup, when it holds a lead's own words (own()); else the title, escaped */
  readonly heading?: Html;
  /** the nav entry to mark current */
  readonly section?: 'overview' | 'leads' | 'reports' | 'sla' | 'webhooks';
  readonly session?: ConsoleSession;
  readonly status?: number;
  readonly headers?: Record<string, string>;
  /** the reader, when no session says who (a sign-in page, an error before the session is read) */
  readonly ui?: Ui;
  /**
   * what the post that led here did ("The attempt is logged."), first in the page's title: a screen reader reads
   * the title of the page a form lands on, where a status notice already there at load is not announced
   */
  readonly announce?: string;
}

export function page(options: PageOptions, body: Html): HttpResult {
  const { session } = options;
  const ui = options.ui ?? (session ? uiFor(session.locale) : EN);
  const { t } = ui;
  const nav = session
    ? `<nav aria-label="${esc(t.layout.navLabel)}"><ul>` +
      (
        [
          ['overview', '/console', t.layout.nav.overview],
          ['leads', '/console/leads', t.layout.nav.leads],
          ['reports', '/console/reports', t.layout.nav.reports],
          ['sla', '/console/sla', t.layout.nav.sla],
          // events out's delivery log: ops only (console/webhooks.ts)
          ...(session.person.role === 'ops'
            ? ([['webhooks', '/console/webhooks', t.layout.nav.webhooks]] as const)
            : []),
        ] as const
      )
        .map(
          ([key, href, label]) =>
            `<li><a href="${href}"${options.section === key ? ' aria-current="page"' : ''}>${esc(label)}</a></li>`,
        )
        .join('') +
      '</ul></nav>' +
      `<form class="who" method="post" action="/console/sign-out">${csrfField(session)}` +
      `<span>${own(session.name ?? session.person.name)} <small>${esc(t.layout.roles[session.person.role])}</small></span>` +
      `<button type="submit" class="link">${esc(t.layout.signOut)}</button></form>`
    : '';
  const html =
    `<!DOCTYPE html><html lang="${esc(ui.locale)}" dir="${ui.dir}"><head><meta charset="utf-8">` +
    '<meta name="viewport" content="width=device-width, initial-scale=1">' +
    `<title>${options.announce ? `${esc(options.announce)} · ` : ''}${esc(options.title)} · LeadPact</title>` +
    // no favicon request (a 404 in every browser's console)
    '<link rel="icon" href="data:,"><link rel="stylesheet" href="/console/console.css"></head><body>' +
    `<a class="skip" href="#main">${esc(t.layout.skip)}</a>` +
    `<header class="top"><a class="brand" href="/console" dir="ltr">LeadPact</a>${nav}</header>` +
    `<main id="main" tabindex="-1"><h1>${options.heading ?? esc(options.title)}</h1>${body}</main></body></html>`;
  return {
    statusCode: options.status ?? 200,
    headers: { ...CONSOLE_HEADERS, ...(options.headers ?? {}) },
    body: html,
  };
}

/**
 * A lead's own words (a name, a company, a job title) in their own direction: isolated, so in an English page
 * an Arabic name and an Arabic company beside it are not read as one right-to-left run (the company first).
 */
export function own(value: string): Html {
  return `<bdi dir="auto"${langOf(value)}>${esc(value)}</bdi>`;
}

/** ` lang="ar"` for a person's own words in Arabic letters alone (locale.ts arabicLangAttribute) */
export const langOf: (value: string) => Html = arabicLangAttribute;

/** a run of right-to-left words: Hebrew, Arabic (with its presentation forms), spaces between them only */
const RTL_RUN =
  /[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefc]+(?:[ \u00a0]+[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefc]+)*/g;

/**
 * Left-to-right text (a reason the workflow wrote, in English) that quotes right-to-left words (an SLA keyword, a
 * job title): each run of them isolated, so the quote marks, brackets and numbers after it stay where the sentence
 * put them. Unisolated, `job title has "مدير إدارة" (+2)` drew as `"مدير (+2) "إدارة`: a number after Arabic letters
 * takes their direction, and so do the marks between.
 */
export function ltrWithRtlRuns(text: string): Html {
  let html = '';
  let at = 0;
  for (const match of text.matchAll(RTL_RUN)) {
    html += `${esc(text.slice(at, match.index))}<bdi${langOf(match[0])}>${esc(match[0])}</bdi>`;
    at = match.index + match[0].length;
  }
  return html + esc(text.slice(at));
}

/**
 * A phone number that calls when tapped, kept left to right (also in a right-to-left line): only its one
 * number is the link, and the link dials exactly what it shows (domain/dial.ts); what surrounds the number (an
 * extension, a word) stands beside it. A phone whose digits a link would not dial as shown is text, no link.
 */
export function phoneLink(value: string): Html {
  const dial = dialable(value);
  if (!dial) return `<bdi dir="ltr">${esc(value)}</bdi>`;
  const beside = (text: string) => (text.trim() ? own(text) : esc(text));
  return `${beside(dial.before)}<a class="tap" dir="ltr" href="${esc(dial.href)}">${esc(dial.number)}</a>${beside(dial.after)}`;
}

/** An email address that opens a new email when tapped, kept left to right. */
export function emailLink(value: string): Html {
  return `<a class="tap" dir="ltr" href="mailto:${esc(value)}">${esc(value)}</a>`;
}

export function csrfField(session: ConsoleSession): Html {
  return `<input type="hidden" name="csrf" value="${esc(session.csrf)}">`;
}

export function redirect(location: string, headers: Record<string, string> = {}): HttpResult {
  return {
    statusCode: 303,
    headers: { location, 'cache-control': 'no-store', 'referrer-policy': 'same-origin', ...headers },
    body: '',
  };
}

export function notice(text: string, tone: 'success' | 'problem' | 'info' = 'info'): Html {
  return `<p class="notice ${tone}" role="${tone === 'problem' ? 'alert' : 'status'}">${esc(text)}</p>`;
}

export interface Column<T> {
  readonly label: string;
  readonly cell: (row: T) => Html;
  /** right-aligned figures */
  readonly numeric?: boolean;
}

/**
 * A table. On a phone each row is a card: its first cell as the title, the others as "label: value" lines
 * (console.css, below 560 px), so no column hides off the side; wider, a table that would still not fit
 * scrolls inside its own box (the page never scrolls sideways). The roles keep it a table to screen
 * readers whichever way it is drawn.
 */
export function table<T>(
  caption: string,
  columns: readonly Column<T>[],
  rows: readonly T[],
  empty = 'None.',
): Html {
  if (rows.length === 0) return `<p class="empty"><strong>${esc(caption)}:</strong> ${esc(empty)}</p>`;
  const head = columns
    .map((c) => `<th scope="col" role="columnheader"${c.numeric ? ' class="num"' : ''}>${esc(c.label)}</th>`)
    .join('');
  const body = rows
    .map(
      (row) =>
        `<tr role="row">${columns.map((c, i) => (i === 0 ? `<th scope="row" role="rowheader">${c.cell(row)}</th>` : `<td role="cell" data-label="${esc(c.label)}"${c.numeric ? ' class="num"' : ''}><span>${c.cell(row)}</span></td>`)).join('')}</tr>`,
    )
    .join('');
  return `<div class="scroll rows" role="region" aria-label="${esc(caption)}" tabindex="0"><table role="table"><caption>${esc(caption)}</caption><thead role="rowgroup"><tr role="row">${head}</tr></thead><tbody role="rowgroup">${body}</tbody></table></div>`;
}

export function percent(rate: number | null | undefined, ui: Ui = EN): string {
  return rate === null || rate === undefined
    ? '–'
    : ui.num(Math.round(rate * 100) / 100, { style: 'percent', maximumFractionDigits: 0 });
}

/**
 * A duration the report measured, from its whole minutes (Percentiles' p50Minutes, p90Minutes), in the reader's
 * words: "15 min" under an hour, else hours to a tenth ("1.5 h"), as duration-figure.ts decides.
 */
export function duration(minutes: number | null | undefined, ui: Ui = EN): string {
  const figure = durationFigure({ minutes });
  return figure ? ui.t.layout[figure.unit](ui.num(figure.value)) : '–';
}

/** A time in a zone, as a person reads it ("Mon 30 Nov, 14:00 CET"; Intl's words in another locale), in a <time> element. */
export function time(iso: string | null | undefined, zone: string, ui: Ui = EN): Html {
  if (!iso) return '–';
  const at = new Date(iso);
  if (Number.isNaN(at.getTime())) return esc(iso);
  return `<time datetime="${esc(at.toISOString())}">${esc(formatFullTime(at, zone, ui.locale))}</time>`;
}

/** A Monday (Thursday 1 January 1970 + 4 days): the weekday names are read from the week it begins. */
const A_MONDAY = Date.UTC(1970, 0, 5, 12);

/** A weekday's name in the reader's language: "Sunday", "الأحد" (Intl's words). */
export function weekdayName(day: Weekday, ui: Ui): string {
  return new Intl.DateTimeFormat(ui.locale, { weekday: 'long', timeZone: 'UTC' }).format(
    A_MONDAY + WEEKDAYS.indexOf(day) * 86_400_000,
  );
}

/** The zone's short name as the viewer reads it: "CET" in English, Intl's own words in another language. */
export function zoneNameIn(zone: string, at: Date, ui: Ui): string {
  if (ui.lang === 'en') return zoneAbbreviation(zone, at);
  return (
    new Intl.DateTimeFormat(ui.locale, { timeZone: zone, timeZoneName: 'short' })
      .formatToParts(at)
      .find((part) => part.type === 'timeZoneName')?.value ?? zoneAbbreviation(zone, at)
  );
}

/** Who did something, by the SLA's names in the reader's language: `rep:jonas` is "Jonas Berger". */
export function actorName(sla: Sla, by: string | undefined, ui: Ui = EN): string {
  if (!by) return '–';
  const { people } = ui.t;
  const match = /^(rep|manager|ops):(.+)$/.exec(by);
  if (match) {
    const id = match[2];
    const person =
      sla.routing.reps.find((rep) => rep.id === id) ?? sla.routing.managers.find((m) => m.id === id);
    return person ? localName(person, ui.locale) : people.formerPerson(match[1] as 'rep' | 'manager' | 'ops');
  }
  if (by === 'workflow') return people.workflow;
  if (by === 'lead') return people.lead;
  if (by === 'form') return people.form;
  if (by.startsWith('api')) return people.integration;
  if (by === 'action-link') return people.emailLink;
  return by;
}

export function repName(sla: Sla, id: string | undefined | null, ui: Ui = EN): string {
  if (!id) return ui.t.people.nobody;
  const rep = sla.routing.reps.find((candidate) => candidate.id === id);
  return rep ? localName(rep, ui.locale) : ui.t.people.formerRep;
}

/**
 * Who made an attempt, for its row: the rep's name, or "not recorded" when the attempt names none (a call a CRM
 * synced late without a rep, whose handover the state no longer tells: lead-state.ts ownerAt). Never "nobody":
 * someone made it.
 */
export function attemptByName(sla: Sla, repId: string | undefined, ui: Ui = EN): string {
  return repId ? repName(sla, repId, ui) : ui.t.people.notRecorded;
}

/** A manager's name in the reader's language; undefined for an id the SLA no longer names. */
export function managerName(sla: Sla, id: string | undefined, ui: Ui = EN): string | undefined {
  const manager = id === undefined ? undefined : sla.routing.managers.find((m) => m.id === id);
  return manager ? localName(manager, ui.locale) : undefined;
}

export function stageName(sla: Sla, id: string, ui: Ui = EN): string {
  return stageNameIn(sla, id, ui.locale);
}

export function statusName(sla: Sla, id: string, ui: Ui = EN): string {
  return nameOf(sla.leadStatuses, id, ui.locale);
}

export function typeName(sla: Sla, id: string, ui: Ui = EN): string {
  return nameOf(sla.leadTypes, id, ui.locale);
}

export function dealStageName(sla: Sla, id: string | undefined, ui: Ui = EN): string {
  return nameOf(sla.deals.stages, id, ui.locale, id ? ui.t.people.formerStage : '–');
}

export function select(
  name: string,
  label: string,
  options: readonly { value: string; label: string }[],
  selected?: string,
  extra: { blank?: string; required?: boolean; id?: string } = {},
): Html {
  const id = extra.id ?? `f-${name}`;
  return (
    `<div class="field"><label for="${esc(id)}">${esc(label)}</label><select id="${esc(id)}" name="${esc(name)}"${extra.required ? ' required' : ''}>` +
    (extra.blank !== undefined ? `<option value="">${esc(extra.blank)}</option>` : '') +
    options
      .map(
        (o) =>
          `<option value="${esc(o.value)}"${o.value === selected ? ' selected' : ''}>${esc(o.label)}</option>`,
      )
      .join('') +
    '</select></div>'
  );
}

export function input(
  name: string,
  label: string,
  value: string | undefined,
  extra: { type?: string; id?: string; hint?: string; required?: boolean; autocomplete?: string } = {},
): Html {
  const id = extra.id ?? `f-${name}`;
  const type = extra.type ?? 'text';
  // what is typed shows in its own direction (an Arabic name right to left); numbers and addresses left to right
  const dir = ['email', 'tel', 'url', 'number'].includes(type) ? 'ltr' : 'auto';
  return (
    `<div class="field"><label for="${esc(id)}">${esc(label)}</label>` +
    `<input id="${esc(id)}" name="${esc(name)}" type="${esc(type)}" dir="${dir}" value="${esc(value ?? '')}"` +
    `${extra.required ? ' required' : ''}${extra.autocomplete ? ` autocomplete="${esc(extra.autocomplete)}"` : ''}` +
    `${extra.hint ? ` aria-describedby="${esc(id)}-hint"` : ''}>` +
    (extra.hint ? `<small id="${esc(id)}-hint" class="hint">${esc(extra.hint)}</small>` : '') +
    '</div>'
  );
}

// ---------- charts (inline SVG; presentation attributes only: the CSP allows no inline styles) ----------

export interface Bar {
  readonly label: string;
  readonly value: number;
  /** what the bar's end says, e.g. "42 · 35% on" */
  readonly text: string;
  readonly tone?: 'good' | 'bad' | 'neutral';
}

const TONE = { good: '#067647', bad: '#b42318', neutral: '#0b5cad' } as const;

/**
 * Horizontal bars (the funnel): one row per bar, the label above its bar so it fits a phone; `note`, under the
 * caption, says what the figures count. Right to left for a right-to-left reader: the label and the bar start at
 * the right edge, the figure at the left.
 */
export function barChart(title: string, bars: readonly Bar[], ui: Ui = EN, note?: string): Html {
  const width = 360;
  const row = 44;
  const max = Math.max(1, ...bars.map((bar) => bar.value));
  const height = bars.length * row + 4;
  const rtl = ui.dir === 'rtl';
  // text-anchor start/end follow the text's direction: the start of a right-to-left line is its right end
  const rows = bars
    .map((bar, i) => {
      const y = i * row;
      const w = Math.max(2, Math.round((bar.value / max) * (width - 4)));
      return (
        `<text x="${rtl ? width : 0}" y="${y + 14}" font-size="13" fill="#1a1a1a">${esc(bar.label)}</text>` +
        `<text x="${rtl ? 0 : width}" y="${y + 14}" font-size="13" fill="#475467" text-anchor="end">${esc(bar.text)}</text>` +
        `<rect x="${rtl ? width - w : 0}" y="${y + 20}" width="${w}" height="16" rx="3" fill="${TONE[bar.tone ?? 'neutral']}"></rect>`
      );
    })
    .join('');
  return (
    `<figure class="chart"><svg viewBox="0 0 ${width} ${height}" width="100%" role="img" aria-labelledby="${slug(title)}">` +
    `<title id="${slug(title)}">${esc(title)}: ${esc(bars.map((bar) => `${bar.label} ${bar.text}`).join(ui.t.layout.semicolon))}</title>${rows}</svg>` +
    `<figcaption>${esc(title)}${note === undefined ? '' : `<span class="hint">${esc(note)}</span>`}</figcaption></figure>`
  );
}

/** Vertical bars over ordered bins (the response-time histogram); the first bin at the right for a right-to-left reader. */
export function histogram(title: string, bins: readonly Bar[], ui: Ui = EN): Html {
  const width = 360;
  const chartHeight = 140;
  const gap = 6;
  const barWidth = (width - gap * (bins.length - 1)) / Math.max(1, bins.length);
  const max = Math.max(1, ...bins.map((bin) => bin.value));
  const bars = bins
    .map((bin, i) => {
      const start = Math.round(i * (barWidth + gap));
      const x = ui.dir === 'rtl' ? Math.round(width - start - barWidth) : start;
      const h = bin.value === 0 ? 0 : Math.max(2, Math.round((bin.value / max) * (chartHeight - 20)));
      const cx = Math.round(x + barWidth / 2);
      return (
        `<rect x="${x}" y="${chartHeight - h}" width="${Math.round(barWidth)}" height="${h}" rx="2" fill="${TONE[bin.tone ?? 'neutral']}"></rect>` +
        `<text x="${cx}" y="${chartHeight - h - 4}" font-size="12" text-anchor="middle" fill="#1a1a1a">${esc(ui.num(bin.value))}</text>` +
        `<text x="${cx}" y="${chartHeight + 16}" font-size="11" text-anchor="middle" fill="#475467">${esc(bin.label)}</text>`
      );
    })
    .join('');
  return (
    // overflow visible: an edge bin's label a little wider than its bar ("أقل من 1 س") reaches into the figure's padding
    `<figure class="chart"><svg viewBox="0 0 ${width} ${chartHeight + 22}" width="100%" overflow="visible" role="img" aria-labelledby="${slug(title)}">` +
    `<title id="${slug(title)}">${esc(title)}: ${esc(bins.map((bin) => `${bin.label}: ${bin.value}`).join(ui.t.layout.semicolon))}</title>` +
    `<line x1="0" y1="${chartHeight}" x2="${width}" y2="${chartHeight}" stroke="#d0d5dd"></line>${bars}</svg>` +
    `<figcaption>${esc(title)}</figcaption></figure>`
  );
}

/** An id for a chart's title: its words in any script (an Arabic title too), each chart its own. */
function slug(text: string): string {
  let hash = 0;
  for (const char of text) hash = (Math.imul(hash, 31) + char.codePointAt(0)!) | 0;
  return `c-${text.toLowerCase().replace(/[^a-z0-9]+/g, '-')}${(hash >>> 0).toString(36)}`;
}
