/**
 * Every email LeadPact sends, as plain text and HTML: the rep's reminders (new SQL, attempt due,
 * overdue, escalation, reassignment, stale deal) and the SLA's nurture templates.
 *
 * - All data is escaped in HTML (escapeHtml); the text part stays plain. Subjects carry no line breaks.
 * - Subjects are short enough to triage on a phone: what happened, then the lead's name and company.
 * - Times are shown in the rep's own zone with its abbreviation ("14:00 CET").
 * - Reminders carry action links the caller has already signed (action-links.ts); the HTML shows
 *   them as big buttons, the text part lists them.
 * - HTML is one column, inline styles only, so it reads on a phone and in any client.
 *
 * Pure: no I/O, no clock reads (the caller passes `now`).
 */
import type { ActionLink, LinkTone } from './action-links.ts';
import { repCalendar } from './business-hours.ts';
import type { Channel } from './cadence.ts';
import { cleanLine } from './clean-text.ts';
import type { FieldValue, Reason } from './lead.ts';
import type { LeadState } from './lead-state.ts';
import type { DealStage, Rep, Sla, TEMPLATE_VARIABLES, Template } from './sla-schema.ts';

export type { ActionLink } from './action-links.ts';

/** An email to send: what the Mailer port (ports/mailer.ts) takes. */
export interface EmailMessage {
  readonly to: readonly string[];
  readonly cc?: readonly string[];
  readonly subject: string;
  readonly text: string;
  readonly html: string;
  /** extra headers, e.g. List-Unsubscribe and List-Unsubscribe-Post on nurture mail */
  readonly headers?: Readonly<Record<string, string>>;
  /** for tracing and bounce handling: leadId, kind (sql-assigned, attempt-due, ...) */
  readonly tags?: Readonly<Record<string, string>>;
}

/** A rendered email, ready for the Mailer port (the caller may add tags). */
export interface RenderedEmail extends EmailMessage {
  /** `kind` (sql-assigned, attempt-due, ...) and `leadId` when known */
  readonly tags: Readonly<Record<string, string>>;
}

/** What the templates read from a lead; a LeadState fits. */
export type EmailLead = Pick<LeadState, 'fields'> &
  Partial<
    Pick<
      LeadState,
      'leadId' | 'email' | 'total' | 'fitTier' | 'leadType' | 'persona' | 'journeyStage' | 'deal'
    >
  >;

/** Someone who receives email: a rep or a manager from the SLA. */
export interface Recipient {
  readonly name: string;
  readonly email: string;
}

export type EmailKind =
  | 'sql-assigned'
  | 'attempt-due'
  | 'first-touch-overdue'
  | 'manager-escalation'
  | 'reassigned-to-you'
  | 'reassigned-away'
  | 'stale-deal'
  | 'manager-takeover'
  | 'lead-recycled'
  | 'nurture';

interface ReminderOptions {
  /** when the email is made: decides whether a due time needs its day */
  readonly now: Date;
  /** signed links (action-links.ts), in the order to show */
  readonly actionLinks: readonly ActionLink[];
  /** when the links stop working, for the footer */
  readonly linksExpireAt?: Date;
}

export interface SqlAssignedOptions extends ReminderOptions {
  readonly rep: Rep;
  /** first touch due by */
  readonly dueAt: Date;
  /** why the lead qualified: the judgement's reasons (rules that fired, with points) */
  readonly reasons: readonly Reason[];
}

export interface AttemptDueOptions extends ReminderOptions {
  readonly rep: Rep;
  /** the cadence step (cadence.ts CadenceStepDue fits) */
  readonly step: {
    readonly step: number;
    readonly of: number;
    readonly dueAt: Date;
    /** phone, email, linkedin, ... */
    readonly channel: Channel | string;
    readonly note?: string;
  };
}

export interface FirstTouchOverdueOptions extends ReminderOptions {
  readonly rep: Rep;
  readonly dueAt: Date;
  /** sla-breach.ts evaluateFirstTouch().overdueBy.businessHours */
  readonly overdueBusinessHours: number;
}

export interface ManagerEscalationOptions extends ReminderOptions {
  readonly manager: Recipient;
  /** the lead's owner: copied, and whose zone the times are shown in */
  readonly owner: Rep;
  readonly dueAt: Date;
  readonly overdueBusinessHours: number;
}

export interface ReassignedToYouOptions extends ReminderOptions {
  readonly rep: Rep;
  readonly previousOwner?: Recipient;
  /** e.g. "first touch 4 business hours overdue" */
  readonly reason?: string;
  /** the new first-touch due time, if the SLA clock restarts */
  readonly dueAt?: Date;
}

export interface ReassignedAwayOptions {
  readonly now: Date;
  readonly rep: Rep;
  readonly newOwner: Recipient;
  readonly reason?: string;
}

export interface ManagerTakeoverOptions extends ReminderOptions {
  /** the queue's manager, or ops */
  readonly manager: Recipient;
  /** the lead's owner, copied; none when the SLA no longer names them */
  readonly owner?: Rep;
  /** the subject's short why: "no first touch after 3 reps" */
  readonly headline: string;
  /** the whole why, in a sentence */
  readonly why: string;
  /** the first-touch deadline the owner was given */
  readonly dueAt?: Date;
  /** who had the lead, in order (names) */
  readonly owners: readonly string[];
}

export interface LeadRecycledOptions {
  readonly now: Date;
  /** the owner, or the manager when the SLA no longer names the owner */
  readonly to: Recipient;
  /** the owner's manager (or the queue's), copied */
  readonly cc?: Recipient;
  /** the owner's name, when the email goes to someone else */
  readonly ownerName?: string;
  /** attempts logged in the handover, and the cadence's steps */
  readonly logged: number;
  readonly of: number;
  /** attempts were missing: the SLA was breached */
  readonly breach: boolean;
  /** the lead may qualify again after this */
  readonly coolOffUntil?: Date;
  /** the zone for times (the owner's) */
  readonly timeZone?: string;
}

export interface StaleDealOptions extends ReminderOptions {
  readonly rep: Rep;
  /** default: the lead's deal stage */
  readonly stage?: Pick<DealStage, 'id' | 'name'>;
  /** when the deal entered the stage; default: the lead's deal.since */
  readonly since?: Date;
}

export interface NurtureOptions {
  readonly template: Template;
  /** the signed unsubscribe URL (action-links.ts signUnsubscribeUrl) */
  readonly unsubscribeUrl: string;
}

// ---------- the emails ----------

/** To the owner: a new SQL, who it is, why it qualified, when the first touch is due. */
export function sqlAssignedEmail(sla: Sla, lead: EmailLead, options: SqlAssignedOptions): RenderedEmail {
  const zone = repZone(sla, options.rep);
  const due = formatShortTime(options.dueAt, zone, options.now);
  const name = leadName(lead);
  return render({
    kind: 'sql-assigned',
    lead,
    to: [options.rep.email],
    subject: `New SQL: ${subjectTitle(lead)} - first touch by ${due}`,
    preheader: `First touch due by ${due}`,
    heading: `New SQL: ${name}`,
    callout: `First touch due by ${formatFullTime(options.dueAt, zone)}`,
    intro: `${options.rep.name}, this lead is yours under the SLA "${sla.name}".`,
    sections: [leadDetails(lead), qualification(lead, options.reasons)],
    links: { heading: 'Log the outcome of your first touch', items: options.actionLinks },
    footer: linkFooter(options, zone),
  });
}

/** To the owner: cadence step N of M is due, with its channel and note. */
export function attemptDueEmail(sla: Sla, lead: EmailLead, options: AttemptDueOptions): RenderedEmail {
  const zone = repZone(sla, options.rep);
  const { step, of, dueAt, channel, note } = options.step;
  const due = formatShortTime(dueAt, zone, options.now);
  return render({
    kind: 'attempt-due',
    lead,
    to: [options.rep.email],
    subject: `Attempt ${step}/${of}: ${subjectTitle(lead)} - ${channel} by ${due}`,
    preheader: `Attempt ${step} of ${of} (${channel}) due by ${due}`,
    heading: `Attempt ${step} of ${of}: ${leadName(lead)}`,
    callout: `${capitalise(channel)} attempt due by ${formatFullTime(dueAt, zone)}`,
    intro: note ? `From the cadence: ${note}` : undefined,
    sections: [leadDetails(lead)],
    links: { heading: 'Log the outcome of this attempt', items: options.actionLinks },
    footer: linkFooter(options, zone),
  });
}

/** To the owner: the first touch is overdue. */
export function firstTouchOverdueEmail(
  sla: Sla,
  lead: EmailLead,
  options: FirstTouchOverdueOptions,
): RenderedEmail {
  const zone = repZone(sla, options.rep);
  const late = formatBusinessHours(options.overdueBusinessHours);
  // the first reminder fires at the due time itself: "due now" reads better than "0 minutes late"
  const dueNow = options.overdueBusinessHours < 1 / 60;
  return render({
    kind: 'first-touch-overdue',
    lead,
    to: [options.rep.email],
    subject: dueNow
      ? `Due now: ${subjectTitle(lead)} - first touch`
      : `Overdue: ${subjectTitle(lead)} - first touch ${late} late`,
    preheader: dueNow ? 'The first touch is due now' : `First touch overdue by ${late}`,
    heading: dueNow ? `First touch due now: ${leadName(lead)}` : `First touch overdue: ${leadName(lead)}`,
    callout: dueNow
      ? `Due by ${formatFullTime(options.dueAt, zone)}: now`
      : `Overdue by ${late} (it was due by ${formatFullTime(options.dueAt, zone)})`,
    intro: 'The SLA escalates to your manager and then reassigns the lead if it stays untouched.',
    sections: [leadDetails(lead)],
    links: { heading: 'Log the outcome of your first touch', items: options.actionLinks },
    footer: linkFooter(options, zone),
  });
}

/** To the owner's manager, the owner copied: the first touch is overdue. */
export function managerEscalationEmail(
  sla: Sla,
  lead: EmailLead,
  options: ManagerEscalationOptions,
): RenderedEmail {
  const zone = repZone(sla, options.owner);
  const late = formatBusinessHours(options.overdueBusinessHours);
  return render({
    kind: 'manager-escalation',
    lead,
    to: [options.manager.email],
    cc: [options.owner.email],
    subject: `Escalation: ${subjectTitle(lead)} - ${options.owner.name}, ${late} late`,
    preheader: `No first touch yet: ${late} past the SLA`,
    heading: `Escalation: ${leadName(lead)}`,
    callout: `No first touch by ${options.owner.name}: overdue by ${late} (due by ${formatFullTime(options.dueAt, zone)})`,
    intro: `${options.manager.name}, the SLA "${sla.name}" escalates this lead to you. ${options.owner.name} is copied.`,
    sections: [leadDetails(lead)],
    links: { heading: 'Log the outcome (for the owner)', items: options.actionLinks },
    footer: linkFooter(options, zone),
  });
}

/** To the new owner: the lead was reassigned to them. */
export function reassignedToYouEmail(
  sla: Sla,
  lead: EmailLead,
  options: ReassignedToYouOptions,
): RenderedEmail {
  const zone = repZone(sla, options.rep);
  const due = options.dueAt ? formatShortTime(options.dueAt, zone, options.now) : undefined;
  const from = options.previousOwner ? ` from ${options.previousOwner.name}` : '';
  return render({
    kind: 'reassigned-to-you',
    lead,
    to: [options.rep.email],
    subject: `Reassigned to you: ${subjectTitle(lead)}${due ? ` - first touch by ${due}` : ''}`,
    preheader: `Reassigned to you${from}`,
    heading: `Reassigned to you: ${leadName(lead)}`,
    callout: options.dueAt ? `First touch due by ${formatFullTime(options.dueAt, zone)}` : undefined,
    intro: `${options.rep.name}, this lead was reassigned to you${from}${options.reason ? `: ${options.reason}` : ''}.`,
    sections: [leadDetails(lead)],
    links: { heading: 'Log the outcome of your first touch', items: options.actionLinks },
    footer: linkFooter(options, zone),
  });
}

/** To the previous owner: the lead is no longer theirs. No action links: it is not theirs to act on. */
export function reassignedAwayEmail(
  _sla: Sla,
  lead: EmailLead,
  options: ReassignedAwayOptions,
): RenderedEmail {
  return render({
    kind: 'reassigned-away',
    lead,
    to: [options.rep.email],
    subject: `Reassigned: ${subjectTitle(lead)} - now with ${options.newOwner.name}`,
    preheader: `Now with ${options.newOwner.name}`,
    heading: `Reassigned: ${leadName(lead)}`,
    callout: `This lead is now with ${options.newOwner.name}.`,
    intro: `${options.rep.name}, you no longer need to act on this lead${options.reason ? `: ${options.reason}` : ''}.`,
    sections: [],
    footer: 'Links in earlier emails about this lead may still work; please leave it to its new owner.',
  });
}

/**
 * To the queue's manager (or ops), the owner copied: the escalation ladder ran out (no first touch
 * after `maxReassignments` reassignments), or nobody could take the lead. The lead stays with its
 * owner; the links act for the owner, as in the manager's escalation.
 */
export function managerTakeoverEmail(
  sla: Sla,
  lead: EmailLead,
  options: ManagerTakeoverOptions,
): RenderedEmail {
  const zone = options.owner ? repZone(sla, options.owner) : sla.calendar.timeZone;
  const due = options.dueAt ? ` (first touch was due by ${formatFullTime(options.dueAt, zone)})` : '';
  const stays = options.owner
    ? `It stays with ${options.owner.name} until you decide who works it; the links below act for ${options.owner.name}.`
    : 'Nobody in the SLA owns it now: please decide who works it.';
  const owners = options.owners.length > 0 ? [{ title: 'Who had it', list: options.owners }] : [];
  return render({
    kind: 'manager-takeover',
    lead,
    to: [options.manager.email],
    ...(options.owner ? { cc: [options.owner.email] } : {}),
    subject: `Over to you: ${subjectTitle(lead)} - ${options.headline}`,
    preheader: `The SLA cannot place this lead: ${options.headline}`,
    heading: `Over to you: ${leadName(lead)}`,
    callout: `${capitalise(options.headline)}${due}`,
    intro: `${options.manager.name}, the SLA "${sla.name}" hands this lead to you: ${options.why}. ${stays}`,
    sections: [leadDetails(lead), ...owners],
    ...(options.actionLinks.length > 0
      ? { links: { heading: 'Log the outcome (for the owner)', items: options.actionLinks } }
      : {}),
    footer: linkFooter(options, zone),
  });
}

/**
 * To the owner, the manager copied: the lead went back to marketing because the cadence ran out.
 * Says how many attempts were logged and whether that breached the SLA. No action links: the lead
 * is no longer the owner's to act on.
 */
export function leadRecycledEmail(sla: Sla, lead: EmailLead, options: LeadRecycledOptions): RenderedEmail {
  const { logged, of, breach } = options;
  const zone = options.timeZone ?? sla.calendar.timeZone;
  const what = breach
    ? `Cadence expired with ${logged} of ${of} attempts logged, no connection`
    : `All ${of} attempts logged, no connection`;
  const whose = options.ownerName ? `${options.ownerName}'s lead` : 'This lead';
  const back = options.coolOffUntil
    ? ` It may come back to sales after ${formatFullTime(options.coolOffUntil, zone)}, on new interest.`
    : '';
  return render({
    kind: 'lead-recycled',
    lead,
    to: [options.to.email],
    ...(options.cc ? { cc: [options.cc.email] } : {}),
    subject: breach
      ? `SLA breach: ${subjectTitle(lead)} recycled - ${logged} of ${of} attempts`
      : `Recycled: ${subjectTitle(lead)} - ${of} attempts, no connection`,
    preheader: what,
    heading: `${breach ? 'SLA breach, recycled' : 'Recycled'}: ${leadName(lead)}`,
    callout: what,
    intro:
      `${options.to.name}, ${whose === 'This lead' ? 'this lead' : whose} went back to marketing under the SLA "${sla.name}".` +
      (breach ? ' It counts as a breach of the SLA: attempts were missing.' : '') +
      back,
    sections: [leadDetails(lead)],
    footer: 'Sent by LeadPact. Links in earlier emails about this lead no longer act on it.',
  });
}

/** To the owner: the deal has sat in its stage longer than the SLA's staleAfter. */
export function staleDealEmail(sla: Sla, lead: EmailLead, options: StaleDealOptions): RenderedEmail {
  const deal = lead.deal;
  const stageId = options.stage?.id ?? deal?.stageId;
  const sinceIso = options.since?.toISOString() ?? deal?.since;
  if (!stageId || !sinceIso) throw new Error('staleDealEmail: the lead has no deal');
  const zone = repZone(sla, options.rep);
  const stage = options.stage?.name ?? sla.deals.stages.find((s) => s.id === stageId)?.name ?? stageId;
  const days = Math.max(0, Math.floor((options.now.getTime() - Date.parse(sinceIso)) / 86_400_000));
  const forDays = `${days} ${days === 1 ? 'day' : 'days'}`;
  const details: Row[] = [
    ['Stage', stage],
    ['In stage since', formatFullTime(new Date(sinceIso), zone)],
    ...(deal?.name ? [['Deal', deal.name] as Row] : []),
    ...(deal?.amount !== undefined ? [['Amount', deal.amount.toLocaleString('en-US')] as Row] : []),
  ];
  return render({
    kind: 'stale-deal',
    lead,
    to: [options.rep.email],
    subject: `Stale deal: ${subjectTitle(lead)} - ${stage} for ${forDays}`,
    preheader: `${stage} for ${forDays}: move it on or close it`,
    heading: `Stale deal: ${leadName(lead)}`,
    callout: `In ${stage} for ${forDays}`,
    intro: 'Move the deal to where it stands, so the forecast and the SLA reports stay true.',
    sections: [{ title: 'Deal', rows: details }, leadDetails(lead)],
    links: { heading: 'Move the deal', items: options.actionLinks },
    footer: linkFooter(options, zone),
  });
}

/**
 * An SLA nurture template for the lead: {{variable}} (TEMPLATE_VARIABLES) replaced by the lead's
 * values, escaped in HTML and plain in text; `{{{variable}}}` is escaped too (nothing is ever
 * inserted raw). Without an HTML template, the HTML is made from the text. Both carry an
 * unsubscribe footer, and the headers ask mail clients for one-click unsubscribe (RFC 8058).
 */
export function nurtureEmail(sla: Sla, lead: EmailLead, options: NurtureOptions): RenderedEmail {
  if (!lead.email) throw new Error('nurtureEmail: the lead has no email address (erased?)');
  const values = templateValues(sla, lead, options.unsubscribeUrl);
  const { template } = options;
  const subject = oneLine(fill(template.subject, (name) => values[name]));
  const text = fill(template.text, (name) => values[name]).trimEnd();
  const bodyHtml = template.html
    ? fill(template.html, (name) => (values[name] === undefined ? undefined : escapeHtml(values[name]!)))
    : textToHtml(template.text, values);
  const sender = sla.nurture.senderName;
  const footerText = `You get this email from ${sender} because you asked us for information.\nUnsubscribe: ${options.unsubscribeUrl}`;
  const footerHtml =
    `You get this email from ${escapeHtml(sender)} because you asked us for information. ` +
    `<a href="${safeHref(options.unsubscribeUrl)}" style="color:#555555;text-decoration:underline">Unsubscribe</a>`;
  return {
    to: [lead.email],
    subject,
    text: `${text}\n\n--\n${footerText}\n`,
    html: page(
      subject,
      undefined,
      `<div style="font-size:16px;line-height:1.5;color:#1a1a1a">${bodyHtml}</div>`,
      footerHtml,
    ),
    headers: unsubscribeHeaders(options.unsubscribeUrl),
    tags: { kind: 'nurture', ...(lead.leadId ? { leadId: lead.leadId } : {}), template: template.id },
  };
}

/** RFC 2369 + RFC 8058: mail clients show an unsubscribe button that POSTs to the URL. */
export function unsubscribeHeaders(url: string): Record<string, string> {
  return {
    'List-Unsubscribe': `<${url}>`,
    'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
  };
}

// ---------- escaping ----------

const HTML_ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Escapes text for HTML content and quoted attribute values. */
export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]!);
}

/** An href that can only be a web, mail or phone link, escaped for an attribute. */
export function safeHref(url: string): string {
  return /^(https?:|mailto:|tel:)/i.test(url) ? escapeHtml(url) : '#';
}

// ---------- times ----------

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(locale: string, zone: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `${locale}|${zone}|${JSON.stringify(options)}`;
  let f = formatters.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat(locale, { ...options, timeZone: zone });
    formatters.set(key, f);
  }
  return f;
}

function parts(at: Date, zone: string) {
  const out: Record<string, string> = {};
  const f = formatter('en-GB', zone, {
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  });
  for (const part of f.formatToParts(at)) out[part.type] = part.value;
  return {
    weekday: out.weekday!,
    day: out.day!,
    month: out.month!,
    year: out.year!,
    time: `${out.hour}:${out.minute}`,
  };
}

/**
 * The zone's abbreviation at that instant: "CET", "CEST", "CST", "BST", "UTC"; an offset such as
 * "GMT+9" where the zone has no common abbreviation. en-US knows the American ones, en-GB the European.
 */
export function zoneAbbreviation(zone: string, at: Date): string {
  let fallback = '';
  for (const locale of ['en-US', 'en-GB']) {
    const name =
      formatter(locale, zone, { timeZoneName: 'short' })
        .formatToParts(at)
        .find((p) => p.type === 'timeZoneName')?.value ?? '';
    if (!/^GMT[+-]/.test(name) && name !== '') return name;
    fallback ||= name;
  }
  return fallback || zone;
}

/**
 * A due time for a subject line: "14:00 CET" on the same local day as `now`, "Tue 14:00 CET"
 * within the next six days, "Tue 12 Mar 14:00 CET" otherwise.
 */
export function formatShortTime(at: Date, zone: string, now: Date): string {
  const p = parts(at, zone);
  const today = parts(now, zone);
  const abbreviation = zoneAbbreviation(zone, at);
  const sameDay = p.day === today.day && p.month === today.month && p.year === today.year;
  if (sameDay) return `${p.time} ${abbreviation}`;
  const ahead = at.getTime() - now.getTime();
  if (ahead > 0 && ahead < 6 * 86_400_000) return `${p.weekday} ${p.time} ${abbreviation}`;
  return `${p.weekday} ${p.day} ${p.month} ${p.time} ${abbreviation}`;
}

/** A time in full for an email body: "Tue 16 Jan 2024, 14:00 CET". */
export function formatFullTime(at: Date, zone: string): string {
  const p = parts(at, zone);
  return `${p.weekday} ${p.day} ${p.month} ${p.year}, ${p.time} ${zoneAbbreviation(zone, at)}`;
}

/** "45 business minutes", "1 business hour", "2.5 business hours". */
export function formatBusinessHours(hours: number): string {
  if (hours < 1) {
    const minutes = Math.max(0, Math.round(hours * 60));
    return `${minutes} business ${minutes === 1 ? 'minute' : 'minutes'}`;
  }
  const rounded = Math.round(hours * 10) / 10;
  return `${rounded} business ${rounded === 1 ? 'hour' : 'hours'}`;
}

function repZone(sla: Sla, rep: Rep): string {
  return repCalendar(sla, rep).timeZone;
}

// ---------- the lead ----------

function field(lead: EmailLead, name: string): string | undefined {
  const value: FieldValue | undefined = lead.fields[name];
  if (value === undefined || value === '') return undefined;
  return String(value);
}

/** "Petra Schneider"; the email address, or "Unnamed lead", when no name is known. */
export function leadName(lead: EmailLead): string {
  const name = [field(lead, 'firstName'), field(lead, 'lastName')].filter(Boolean).join(' ');
  return oneLine(name || lead.email || 'Unnamed lead');
}

/** "Petra Schneider (Brauhaus Werke)", each part cut to fit a phone's subject line. */
function subjectTitle(lead: EmailLead): string {
  const company = field(lead, 'company');
  const name = cut(leadName(lead), 40);
  return company ? `${name} (${cut(oneLine(company), 40)})` : name;
}

type Row = readonly [label: string, value: string, href?: string];

interface Section {
  readonly title: string;
  readonly rows?: readonly Row[];
  readonly list?: readonly string[];
  /** a block of the lead's own words, line breaks kept */
  readonly quote?: string;
}

function leadDetails(lead: EmailLead): Section {
  const rows: Row[] = [['Name', leadName(lead)]];
  const company = field(lead, 'company');
  const jobTitle = field(lead, 'jobTitle');
  const phone = field(lead, 'phone');
  const country = field(lead, 'country');
  if (company) rows.push(['Company', company]);
  if (jobTitle) rows.push(['Job title', jobTitle]);
  if (phone) rows.push(['Phone', phone, `tel:${phone.replace(/[^+0-9]/g, '')}`]);
  if (lead.email) rows.push(['Email', lead.email, `mailto:${lead.email}`]);
  if (country) rows.push(['Country', countryName(country)]);
  const message = field(lead, 'message');
  return { title: 'Who', rows, ...(message ? { quote: message } : {}) };
}

function qualification(lead: EmailLead, reasons: readonly Reason[]): Section {
  const shown = reasons.slice(0, 12).map((reason) => {
    const points =
      reason.points === undefined || reason.points === 0
        ? ''
        : `${reason.points > 0 ? '+' : '-'}${Math.abs(round(reason.points))} `;
    return `${points}${reason.detail} (${reason.rule})`;
  });
  if (reasons.length > shown.length) shown.push(`and ${reasons.length - shown.length} more`);
  const rows: Row[] = [];
  if (lead.total !== undefined) rows.push(['Score', String(round(lead.total))]);
  if (lead.fitTier) rows.push(['Fit tier', lead.fitTier]);
  if (lead.leadType) rows.push(['Lead type', lead.leadType]);
  if (lead.persona) rows.push(['Persona', lead.persona]);
  return { title: 'Why they qualified', rows, list: shown };
}

function countryName(code: string): string {
  if (!/^[A-Z]{2}$/.test(code)) return code;
  try {
    const name = new Intl.DisplayNames(['en'], { type: 'region' }).of(code);
    return name && name !== code ? `${name} (${code})` : code;
  } catch {
    return code;
  }
}

// ---------- nurture templates ----------

type TemplateVariable = (typeof TEMPLATE_VARIABLES)[number];

function templateValues(sla: Sla, lead: EmailLead, unsubscribe: string): Record<string, string | undefined> {
  const persona = sla.personas.find((p) => p.id === lead.persona)?.name;
  const values: Record<TemplateVariable, string> = {
    firstName: field(lead, 'firstName') ?? '',
    lastName: field(lead, 'lastName') ?? '',
    company: field(lead, 'company') ?? '',
    jobTitle: field(lead, 'jobTitle') ?? '',
    persona: persona ?? '',
    journeyStage: lead.journeyStage ?? '',
    unsubscribeUrl: unsubscribe,
    senderName: sla.nurture.senderName,
  };
  return values;
}

/** The same syntax reference validation reads (sla-references.ts): {{ name }} or {{{ name }}}. */
const VARIABLE = /\{\{\{?\s*([^}\s]+)\s*\}?\}\}/g;

/** Replaces known variables; an unknown one (validation rejects them) is left as written. */
function fill(template: string, value: (name: string) => string | undefined): string {
  return template.replace(VARIABLE, (whole, name: string) => value(name) ?? whole);
}

/**
 * HTML from a text template: paragraphs at blank lines, line breaks kept, everything escaped.
 * URLs the template author wrote, and {{unsubscribeUrl}}, become links; URLs inside the lead's
 * own values (a company named "http://...") stay text.
 */
function textToHtml(template: string, values: Record<string, string | undefined>): string {
  return template
    .trim()
    .split(/\n\s*\n/)
    .map((paragraph) => {
      let html = '';
      let last = 0;
      for (const match of paragraph.matchAll(VARIABLE)) {
        html += linkify(escapeHtml(paragraph.slice(last, match.index)));
        const name = match[1]!;
        const value = values[name];
        if (value === undefined) html += escapeHtml(match[0]);
        else if (name === 'unsubscribeUrl') html += link(value, value);
        else html += escapeHtml(value);
        last = match.index + match[0].length;
      }
      html += linkify(escapeHtml(paragraph.slice(last)));
      return `<p style="margin:0 0 16px">${html.replace(/\n/g, '<br>')}</p>`;
    })
    .join('');
}

/** Links http(s) URLs in already-escaped text. */
function linkify(escaped: string): string {
  return escaped.replace(/https?:\/\/[^\s<]+[^\s<.,;:!?)]/g, (url) => {
    const raw = url.replace(/&amp;/g, '&');
    return `<a href="${safeHref(raw)}" style="color:#0b5cad">${url}</a>`;
  });
}

function link(url: string, label: string): string {
  return `<a href="${safeHref(url)}" style="color:#0b5cad">${escapeHtml(label)}</a>`;
}

// ---------- layout ----------

interface Layout {
  readonly kind: EmailKind;
  readonly lead: EmailLead;
  readonly to: readonly string[];
  readonly cc?: readonly string[];
  readonly subject: string;
  /** the inbox preview line */
  readonly preheader: string;
  readonly heading: string;
  /** the one line that matters most, highlighted */
  readonly callout?: string | undefined;
  readonly intro?: string | undefined;
  readonly sections: readonly Section[];
  readonly links?: { readonly heading: string; readonly items: readonly ActionLink[] };
  readonly footer: string;
}

const BUTTON: Record<LinkTone, string> = {
  primary: 'background:#0b5cad;color:#ffffff;border:2px solid #0b5cad',
  default: 'background:#ffffff;color:#0b5cad;border:2px solid #0b5cad',
  danger: 'background:#ffffff;color:#b42318;border:2px solid #b42318',
};

function render(layout: Layout): RenderedEmail {
  const subject = oneLine(layout.subject);
  const tags = { kind: layout.kind, ...(layout.lead.leadId ? { leadId: layout.lead.leadId } : {}) };
  return {
    to: layout.to,
    ...(layout.cc ? { cc: layout.cc } : {}),
    subject,
    text: renderText(layout),
    html: renderHtml(layout, subject),
    tags,
  };
}

function renderText(layout: Layout): string {
  const lines: string[] = [layout.heading];
  if (layout.callout) lines.push(layout.callout);
  if (layout.intro) lines.push('', layout.intro);
  for (const section of layout.sections) {
    lines.push('', `${section.title}:`);
    const width = Math.max(0, ...(section.rows ?? []).map(([label]) => label.length)) + 2;
    for (const [label, value] of section.rows ?? [])
      lines.push(`  ${`${label}:`.padEnd(width)}${oneLine(value)}`);
    for (const item of section.list ?? []) lines.push(`  - ${oneLine(item)}`);
    if (section.quote) {
      lines.push('  Message:');
      for (const line of section.quote.split(/\r?\n/)) lines.push(`    > ${line}`);
    }
  }
  if (layout.links && layout.links.items.length > 0) {
    lines.push('', `${layout.links.heading} (each link opens a confirmation page):`);
    for (const item of layout.links.items) lines.push(`  - ${item.label}: ${item.url}`);
  }
  lines.push('', '--', layout.footer);
  return `${lines.join('\n')}\n`;
}

function renderHtml(layout: Layout, subject: string): string {
  let body = `<h1 style="margin:0 0 12px;font-size:22px;line-height:1.3;color:#1a1a1a">${escapeHtml(layout.heading)}</h1>`;
  if (layout.callout) {
    body += `<p style="margin:0 0 16px;padding:12px 14px;background:#fff4e5;border-left:4px solid #f79009;font-size:17px;font-weight:bold;color:#1a1a1a">${escapeHtml(layout.callout)}</p>`;
  }
  if (layout.intro) body += `<p style="margin:0 0 16px">${escapeHtml(layout.intro)}</p>`;
  if (layout.links && layout.links.items.length > 0)
    body += buttons(layout.links.heading, layout.links.items);
  for (const section of layout.sections) body += sectionHtml(section);
  return page(subject, layout.preheader, body, escapeHtml(layout.footer));
}

function buttons(heading: string, items: readonly ActionLink[]): string {
  const links = items
    .map(
      (item) =>
        `<a href="${safeHref(item.url)}" style="display:block;margin:0 0 10px;padding:14px 16px;${BUTTON[item.tone ?? 'default']};border-radius:8px;font-size:17px;font-weight:bold;line-height:20px;text-align:center;text-decoration:none">${escapeHtml(item.label)}</a>`,
    )
    .join('');
  return `<h2 style="margin:8px 0 10px;font-size:16px;color:#1a1a1a">${escapeHtml(heading)}</h2>${links}<p style="margin:0 0 20px;font-size:13px;color:#555555">Each button opens a confirmation page first.</p>`;
}

function sectionHtml(section: Section): string {
  let html = `<h2 style="margin:20px 0 8px;font-size:16px;color:#1a1a1a">${escapeHtml(section.title)}</h2>`;
  if (section.rows && section.rows.length > 0) {
    const rows = section.rows
      .map(([label, value, href]) => {
        const shown = href
          ? `<a href="${safeHref(href)}" style="color:#0b5cad">${escapeHtml(value)}</a>`
          : escapeHtml(value);
        return `<tr><td style="padding:6px 0;border-bottom:1px solid #eeeeee"><div style="font-size:13px;color:#555555">${escapeHtml(label)}</div><div style="font-size:16px;color:#1a1a1a;word-break:break-word">${shown}</div></td></tr>`;
      })
      .join('');
    html += `<table role="presentation" width="100%" cellpadding="0" cellspacing="0" style="border-collapse:collapse">${rows}</table>`;
  }
  if (section.list && section.list.length > 0) {
    html += `<ul style="margin:8px 0 0;padding:0 0 0 20px">${section.list.map((item) => `<li style="margin:0 0 6px">${escapeHtml(item)}</li>`).join('')}</ul>`;
  }
  if (section.quote) {
    html += `<div style="margin:10px 0 0;padding:10px 12px;background:#f5f5f5;border-radius:6px;white-space:pre-wrap;word-break:break-word;font-size:15px">${escapeHtml(section.quote)}</div>`;
  }
  return html;
}

/** The one-column page every email uses; `footer` is HTML (already escaped by the caller). */
function page(title: string, preheader: string | undefined, body: string, footer: string): string {
  const hidden = preheader
    ? `<div style="display:none;max-height:0;overflow:hidden;opacity:0">${escapeHtml(preheader)}</div>`
    : '';
  return (
    '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">' +
    '<meta name="viewport" content="width=device-width, initial-scale=1">' +
    `<title>${escapeHtml(title)}</title></head>` +
    '<body style="margin:0;padding:0;background:#f2f4f7">' +
    hidden +
    '<table role="presentation" width="100%" cellpadding="0" cellspacing="0" style="background:#f2f4f7"><tr><td align="center" style="padding:16px 8px">' +
    '<table role="presentation" width="100%" cellpadding="0" cellspacing="0" style="max-width:600px;background:#ffffff;border-radius:8px">' +
    `<tr><td style="padding:20px 18px;font-family:-apple-system,Segoe UI,Roboto,Helvetica,Arial,sans-serif;font-size:16px;line-height:1.5;color:#1a1a1a">${body}</td></tr>` +
    `<tr><td style="padding:14px 18px 20px;font-family:-apple-system,Segoe UI,Roboto,Helvetica,Arial,sans-serif;font-size:13px;line-height:1.5;color:#555555;border-top:1px solid #eeeeee">${footer}</td></tr>` +
    '</table></td></tr></table></body></html>'
  );
}

function linkFooter(options: ReminderOptions, zone: string): string {
  const expiry = options.linksExpireAt ? ` and expires ${formatFullTime(options.linksExpireAt, zone)}` : '';
  return `Sent by LeadPact. Each action link works once${expiry}; forward this email only to someone who may act on the lead.`;
}

// ---------- text helpers ----------

/**
 * Cleaned text on one line (clean-text.ts: NFC, no controls, no lone surrogates, no bidi overrides;
 * line breaks and runs of white space one space): safe for a subject line, even from text stored
 * before the API cleaned it.
 */
function oneLine(text: string): string {
  return cleanLine(text);
}

const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/** At most `max` characters as a reader counts them: never splits a surrogate pair, an accent or an emoji. */
function cut(text: string, max: number): string {
  if (text.length <= max) return text;
  let kept = '';
  let count = 0;
  for (const { segment } of graphemes.segment(text)) {
    if (++count > max - 1) return `${kept.trimEnd()}…`;
    kept += segment;
  }
  return text;
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function round(n: number): number {
  return Math.round(n * 10) / 10;
}
