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

import { type ActionLink, CONSENT_LINK_TTL_SECONDS, type LinkTone } from './action-links.ts';
import { localDayOf } from './business-hours.ts';
import { asChannel, type Channel, channelTheRepCanUse } from './cadence.ts';
import { cleanLine } from './clean-text.ts';
import { consentLocale } from './consent.ts';
import { type Dialable, dialable } from './dial.ts';
import type { Duration } from './duration.ts';
import { durationFigure } from './duration-figure.ts';
import { type EmailText, emailText } from './email-text.ts';
import { graphemes } from './graphemes.ts';
import type { HandoverCause, TakeoverHeadline } from './handover-cause.ts';
import type { FieldValue, Reason } from './lead.ts';
import type { Absence, LadderAhead } from './lead-plan.ts';
import { type LeadState, phoneOf } from './lead-state.ts';
import {
  arabicLangAttribute,
  isolated,
  languageOf,
  leadLocale,
  personLocale,
  type ShippedLanguage,
  shippedLanguage,
  textDirection,
  writtenIn,
} from './locale.ts';
import { personZone } from './person-zone.ts';
import { fieldValueName, localName, pickLocal, senderNameIn, slaNameIn } from './sla-names.ts';
import type { DealStage, Rep, Sla, TEMPLATE_VARIABLES, Template, TemplateContent } from './sla-schema.ts';

export type { ActionLink } from './action-links.ts';

/** An email to send: what the Mailer port (ports/mailer.ts) takes. */
export interface EmailMessage {
  readonly to: readonly string[];
  readonly cc?: readonly string[];
  readonly subject: string;
  readonly text: string;
  readonly html: string;
  /** the display name in From: the company's sender name (nurture.senderName) */
  readonly fromName?: string;
  /** extra headers, e.g. List-Unsubscribe and List-Unsubscribe-Post on nurture mail */
  readonly headers?: Readonly<Record<string, string>>;
  /**
   * the record the email is about, when its reader gets several (a lead, to its owner and managers): the
   * mailer threads every email with one key together (In-Reply-To, References); dot-atom text
   */
  readonly thread?: string;
  /**
   * marketing mail (nurture, and the double opt-in confirmation an anonymous form asks for): held while only the
   * part of SES's daily quota kept for the SLA's own emails is left (ADR 0067); everything else (reps, managers,
   * ops) goes first
   */
  readonly bulk?: boolean;
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
      | 'leadId'
      | 'email'
      | 'total'
      | 'fitTier'
      | 'leadType'
      | 'persona'
      | 'journeyStage'
      | 'deal'
      | 'fieldIssues'
    >
  >;

/** Someone who receives email: a rep or a manager from the SLA. */
export interface Recipient {
  readonly name: string;
  /** their name in other languages (ADR 0024) */
  readonly names?: Readonly<Record<string, string>> | undefined;
  readonly email: string;
  /** the language of their emails (routing.reps[].locale, routing.managers[].locale) */
  readonly locale?: string | undefined;
  /** the zone they read times in (routing.reps[].timeZone, routing.managers[].timeZone); default: the calendar's */
  readonly timeZone?: string | undefined;
}

export type EmailKind =
  | 'sql-assigned'
  | 'attempt-due'
  | 'first-touch-overdue'
  | 'manager-escalation'
  | 'manager-escalation-copy'
  | 'reassigned-to-you'
  | 'reassigned-away'
  | 'stale-deal'
  | 'stale-deal-covering'
  | 'decide-due'
  | 'decide-due-manager'
  | 'decide-due-covering'
  | 'manager-takeover'
  | 'manager-takeover-copy'
  | 'manager-takeover-reminder'
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

/** An email whose links log the first touch (the new SQL, the overdue reminder, the escalation). */
interface FirstTouchLinksOptions {
  /**
   * the channel its outcome links log the first touch with (the cadence's step 1: email-notifier.ts signs it), named
   * in their heading ("Log the outcome of your first call"); none: "of your first touch"
   */
  readonly firstTouchChannel?: Channel;
}

export interface SqlAssignedOptions extends ReminderOptions, FirstTouchLinksOptions {
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
    /** attempts logged in this handover: fewer than step - 1 (the schedule moved on) is said in the email */
    readonly logged?: number;
    readonly dueAt: Date;
    /** phone, email, linkedin, ... */
    readonly channel: Channel | string;
    readonly note?: string;
    /** the note per language (steps[].notes): the rep reads theirs, else `note` */
    readonly notes?: Readonly<Record<string, string>>;
  };
}

export interface FirstTouchOverdueOptions extends ReminderOptions, FirstTouchLinksOptions {
  readonly rep: Rep;
  readonly dueAt: Date;
  /** sla-breach.ts evaluateFirstTouch().overdueBy.businessHours */
  readonly overdueBusinessHours: number;
  /** what the ladder does next if no first touch is logged, and when; none said when absent (nothing left) */
  readonly ahead?: LadderAhead;
}

/** The manager a stand-in is told in place of (ADR 0048), and the last day (YYYY-MM-DD) they are away. */
export interface StandsInFor {
  readonly manager: Recipient;
  readonly until: string;
}

export interface ManagerEscalationOptions extends ReminderOptions, FirstTouchLinksOptions {
  /** the reader, the email's times in their zone (`timeZone`, else the calendar's: ADR 0083) */
  readonly manager: Recipient;
  /** the manager is told in place of one out of office: the email says whose place it is */
  readonly standsInFor?: StandsInFor;
  /** the lead's owner: gets a copy of their own (`ownersCopy`), its times in the owner's zone */
  readonly owner: Rep;
  /**
   * this is the owner's own copy: to the owner, in their language, with links signed for them (what they
   * log is credited to them). Otherwise the manager's: to the manager alone, links acting for the owner.
   */
  readonly ownersCopy?: boolean;
  readonly dueAt: Date;
  readonly overdueBusinessHours: number;
  /** when the ladder reassigns the lead if no first touch is logged by then; absent: it will not (none said) */
  readonly reassignedAt?: Date;
}

export interface ReassignedToYouOptions extends ReminderOptions, FirstTouchLinksOptions {
  readonly rep: Rep;
  readonly previousOwner?: Recipient;
  /** why: a cause, said in the rep's language; a string (an outbox entry from before causes) as is */
  readonly reason?: HandoverCause | string;
  /** the new first-touch due time, if the SLA clock restarts */
  readonly dueAt?: Date;
  /**
   * what the buttons are for, as the lead stands: a first touch's outcomes (the default), a later attempt's,
   * the decision after a connect (open a deal, recycle, disqualify), or the open deal's stages
   */
  readonly linksFor?: 'first-touch' | 'attempt' | 'decide' | 'deal';
}

export interface ReassignedAwayOptions {
  readonly now: Date;
  readonly rep: Rep;
  readonly newOwner: Recipient;
  readonly reason?: HandoverCause | string;
}

export interface ManagerTakeoverOptions extends ReminderOptions, FirstTouchLinksOptions {
  /** the queue's manager, or ops */
  readonly manager: Recipient;
  /** the manager is told in place of one out of office: the email says whose place it is */
  readonly standsInFor?: StandsInFor;
  /** the lead's owner, who gets a copy of their own (`ownersCopy`); none when the SLA no longer names them */
  readonly owner?: Rep;
  /** this is the owner's own copy (see ManagerEscalationOptions.ownersCopy); needs `owner` */
  readonly ownersCopy?: boolean;
  /** the subject's short why: "no first touch after 3 reps" (a string: an outbox entry from before) */
  readonly headline: TakeoverHeadline | string;
  /** the whole why, in a sentence */
  readonly why: HandoverCause | string;
  /** the first-touch deadline the owner was given */
  readonly dueAt?: Date;
  /** who had the lead, in order (names) */
  readonly owners: readonly string[];
  /**
   * the lead's console page, where the manager gives it to a rep: the one link for a lead nobody owns, a plain
   * link under the outcome links otherwise (ADR 0088); not in the owner's copy
   */
  readonly consoleUrl?: string;
  /** "still over to you" (ADR 0085): the manager's reminder of the takeover at `since` (not with `ownersCopy`) */
  readonly reminder?: { readonly since: Date; readonly recycleAt: Date };
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
  /** the copied manager (`cc`) stands in for one out of office (ADR 0048) */
  readonly standsInFor?: StandsInFor;
  /** copied too: the manager the lead was over to (ADR 0085) */
  readonly alsoCc?: Recipient;
}

export interface StaleDealOptions extends ReminderOptions {
  readonly rep: Rep;
  /** default: the lead's deal stage */
  readonly stage?: Pick<DealStage, 'id' | 'name'>;
  /** when the deal entered the stage; default: the lead's deal.since */
  readonly since?: Date;
  /**
   * the owner is out of office: to the manager who covers for them instead, about the owner's deal (its links
   * act for the owner; ADR 0043, amended)
   */
  readonly covering?: {
    readonly manager: Recipient;
    readonly away: Absence;
    /** the covering manager stands in for one out of office too: the email says whose place it is */
    readonly standsInFor?: StandsInFor;
  };
}

export interface DecideDueOptions extends ReminderOptions {
  /** the lead's owner: the reminder's reader, or (with `manager`) whose lead it is */
  readonly rep: Rep;
  /** the manager's copy: to the manager, about the owner's lead (its links act for the owner) */
  readonly manager?: Recipient;
  /** the owner's manager, named in the owner's reminder when copied */
  readonly copied?: Recipient;
  /** with `manager`: the owner is out of office, and the manager covers for them (ADR 0043, amended) */
  readonly away?: Absence;
  /** with `manager`: they stand in for a manager out of office (ADR 0048): the email says whose place */
  readonly standsInFor?: StandsInFor;
  /** when the lead was connected */
  readonly connectedAt: Date;
  /** when the clock started: the connection, or a later handover to the owner */
  readonly since: Date;
  /** the n-th reminder: n x within since `since` */
  readonly n: number;
  /** contact.decideWithin */
  readonly within: Duration;
}

export interface NurtureOptions {
  readonly template: Template;
  /** the signed unsubscribe URL (action-links.ts signUnsubscribeUrl) */
  readonly unsubscribeUrl: string;
}

// ---------- the emails ----------

/** How one reader is written to: their words (email-text.ts), locale, zone and formats. */
interface Voice {
  readonly t: EmailText;
  readonly locale: string;
  readonly zone: string;
  /** "Tue 16 Jan 2024, 14:00 CET" in the reader's locale */
  full(at: Date): string;
  short(at: Date, now: Date): string;
  /** a calendar date ("2026-12-21", a rep's out of office) in the reader's words: "Mon 21 Dec 2026" */
  date(day: string): string;
  /** "2.5 business hours" */
  hours(hours: number): string;
  /** a number in the reader's digits and separators */
  num(n: number): string;
  /** a duration as the SLA means it, in words: "5 business days", "2 weeks" */
  span(duration: Pick<Duration, 'amount' | 'unit' | 'business'>): string;
}

function voice(sla: Sla, person: { readonly locale?: string | undefined } | undefined, zone: string): Voice {
  const locale = person ? personLocale(sla, person) : sla.locales.default;
  return voiceFor(locale, zone);
}

function voiceFor(locale: string, zone: string): Voice {
  const t = emailText(shippedLanguage(locale));
  const num = (n: number) => numberFormat(locale).format(n);
  return {
    t,
    locale,
    zone,
    full: (at) => formatFullTime(at, zone, locale),
    short: (at, now) => formatShortTime(at, zone, now, locale),
    date: (day) => formatDate(day, locale),
    hours: (hours) => {
      const figure = durationFigure({ minutes: Math.max(0, hours * 60), hours });
      return figure.unit === 'minutes'
        ? t.businessMinutes(figure.value, num(figure.value))
        : t.businessHours(figure.value, num(figure.value));
    },
    num,
    span: (duration) => t.span(duration.amount, duration.unit, duration.business, num(duration.amount)),
  };
}

/** A person's name as the reader writes it (their `names` entry in the reader's locale, else `name`). */
function who(person: Recipient, v: Voice): string {
  return localName(person, v.locale);
}

/**
 * Why the workflow moved a lead, in the reader's language; a rep by their name there, else their id. `touchedLate`:
 * the takeover's headline names a rep who made a first touch (ADR 0089).
 */
function causeText(sla: Sla, cause: HandoverCause | string, v: Voice, touchedLate = false): string {
  if (typeof cause === 'string') return cause;
  const h = v.t.handover;
  const rep = (id: string) => {
    const found = sla.routing.reps.find((candidate) => candidate.id === id);
    return found ? who(found, v) : id;
  };
  switch (cause.kind) {
    case 'overdue':
      return h.overdue(cause.hours === undefined ? undefined : v.hours(cause.hours));
    case 'ownerLeft':
      return h.ownerLeft(rep(cause.ownerId));
    case 'ladderDone':
      return h.ladderDone(cause.reassignments, v.num(cause.reassignments), touchedLate);
    case 'ownerMissing':
      return h.ownerMissing(cause.ownerId, cause.slaVersion, cause.noRep === true);
    case 'ownerAway':
      return h.ownerAway(
        rep(cause.ownerId),
        v.date(cause.from),
        v.date(cause.to),
        cause.step === 1 ? undefined : v.num(cause.step),
        cause.noRep === true,
        cause.hadItBefore === true,
      );
    case 'noOtherRep':
      return h.noOtherRep(rep(cause.ownerId));
    case 'noManager':
      return h.noManager(rep(cause.ownerId));
    case 'manual': {
      const person = [...sla.routing.managers, ...sla.routing.reps].find(
        (candidate) => candidate.id === cause.by,
      );
      return h.manual(person ? who(person, v) : undefined, cause.note);
    }
    case 'nobodyFree': {
      const queue = sla.routing.queues.find((candidate) => candidate.id === cause.queueId);
      return h.nobodyFree(queue ? localName(queue, v.locale) : undefined);
    }
  }
}

/**
 * A takeover's headline in the reader's language (ADR 0089): "no first touch after 3 reps", or, when some of them
 * did make one, how many did not and who did, a rep by their name there, else their id. An entry from before the
 * data (LeadPact's English) as it is.
 */
function headlineText(sla: Sla, headline: TakeoverHeadline | string, v: Voice): string {
  if (typeof headline === 'string') return headline;
  const h = v.t.handover;
  if (headline.kind === 'needsOwner') return h.needsOwner;
  const touchedBy = headline.touchedBy ?? [];
  if (touchedBy.length === 0) return h.noFirstTouch(headline.reps, v.num(headline.reps));
  const of = headline.reps + touchedBy.length;
  const names = new Intl.ListFormat(v.locale, { type: 'conjunction' }).format(
    touchedBy.map((id) => {
      const found = sla.routing.reps.find((candidate) => candidate.id === id);
      const name = found ? who(found, v) : id;
      // each name isolated in an Arabic list, so "و" and the commas between Latin names stay in the list's order
      return shippedLanguage(v.locale) === 'ar' ? isolated(name) : name;
    }),
  );
  return h.someTouched(headline.reps, v.num(headline.reps), of, v.num(of), names, touchedBy.length > 1);
}

/** A takeover's headline as LeadPact's English says it (the timeline, the ops address, logs): headlineText's. */
export function takeoverHeadlineText(sla: Sla, headline: TakeoverHeadline): string {
  return headlineText(sla, headline, voiceFor('en', 'UTC'));
}

/** To the owner: a new SQL, who it is, why it qualified, when the first touch is due. */
export function sqlAssignedEmail(sla: Sla, lead: EmailLead, options: SqlAssignedOptions): RenderedEmail {
  const v = voice(sla, options.rep, personZone(sla, options.rep));
  const { t } = v;
  const due = v.short(options.dueAt, options.now);
  return render(sla, v, {
    kind: 'sql-assigned',
    lead,
    to: [options.rep.email],
    subject: (title) => t.sqlAssigned.subject(title, due),
    preheader: t.sqlAssigned.preheader(due),
    heading: t.sqlAssigned.heading(leadName(lead, t)),
    callout: t.sqlAssigned.callout(v.full(options.dueAt)),
    intro: t.sqlAssigned.intro(who(options.rep, v), slaNameIn(sla, v.locale)),
    reach: true,
    sections: [qualification(sla, lead, options.reasons, v), leadDetails(lead, v, { reachAbove: true })],
    links: { heading: t.sqlAssigned.links(options.firstTouchChannel), items: options.actionLinks },
    footer: linkFooter(options, v),
  });
}

/**
 * To the owner: cadence step N of M is due, with its channel and note. A call or text step to a lead who gave no phone
 * says to write by the time instead (its subject is what a rep on a phone reads first); the step stays a call.
 */
export function attemptDueEmail(sla: Sla, lead: EmailLead, options: AttemptDueOptions): RenderedEmail {
  const v = voice(sla, options.rep, personZone(sla, options.rep));
  const { t } = v;
  const { dueAt } = options.step;
  const note = pickLocal(options.step.notes, v.locale) ?? options.step.note;
  const [step, of] = [v.num(options.step.step), v.num(options.step.of)];
  const channel = t.channel(String(options.step.channel));
  // a call or text the rep cannot make (no phone given): the rule its links' channel follows (email-notifier.ts)
  const given = asChannel(String(options.step.channel));
  const write = given !== undefined && channelTheRepCanUse(given, phoneOf(lead) !== undefined) === undefined;
  const due = v.short(dueAt, options.now);
  // the cadence's schedule moves on without attempts (lead-plan.ts cadenceSchedule): "Attempt 3 of 6" to a rep who
  // logged none reads as if two were made; the console's "where it stands" says the same
  const { logged } = options.step;
  const behind =
    logged !== undefined && logged < options.step.step - 1
      ? t.attemptDue.behind(logged, v.num(logged), of)
      : undefined;
  const intro = [behind, note ? t.attemptDue.intro(note) : undefined].filter(Boolean).join(' ');
  return render(sla, v, {
    kind: 'attempt-due',
    lead,
    to: [options.rep.email],
    subject: (title) =>
      write
        ? t.attemptDue.subjectWrite(step, of, title, due)
        : t.attemptDue.subject(step, of, title, channel, due),
    preheader: write
      ? t.attemptDue.preheaderWrite(step, of, due)
      : t.attemptDue.preheader(step, of, channel, due),
    heading: t.attemptDue.heading(step, of, leadName(lead, t)),
    callout: write ? t.attemptDue.calloutWrite(v.full(dueAt)) : t.attemptDue.callout(channel, v.full(dueAt)),
    intro: intro || undefined,
    reach: true,
    sections: [leadDetails(lead, v, { reachAbove: true })],
    links: { heading: t.attemptDue.links, items: options.actionLinks },
    footer: linkFooter(options, v),
  });
}

/** To the owner: the first touch is overdue. */
export function firstTouchOverdueEmail(
  sla: Sla,
  lead: EmailLead,
  options: FirstTouchOverdueOptions,
): RenderedEmail {
  const v = voice(sla, options.rep, personZone(sla, options.rep));
  const { t } = v;
  const late = v.hours(options.overdueBusinessHours);
  const name = leadName(lead, t);
  const due = v.full(options.dueAt);
  // the first reminder fires at the due time itself: "due now" reads better than "0 minutes late"
  const dueNow = options.overdueBusinessHours < 1 / 60;
  const m = t.firstTouchOverdue;
  return render(sla, v, {
    kind: 'first-touch-overdue',
    lead,
    to: [options.rep.email],
    subject: (title) => (dueNow ? m.subjectDueNow(title) : m.subjectLate(title, late)),
    preheader: dueNow ? m.preheaderDueNow : m.preheaderLate(late),
    heading: dueNow ? m.headingDueNow(name) : m.headingLate(name),
    callout: dueNow ? m.calloutDueNow(due) : m.calloutLate(late, due),
    calloutNote: ladderAheadText(options.ahead, v),
    reach: true,
    sections: [leadDetails(lead, v, { reachAbove: true })],
    links: { heading: m.links(options.firstTouchChannel), items: options.actionLinks },
    footer: linkFooter(options, v),
  });
}

/**
 * To the owner: what the ladder does next if no first touch is logged, with its times in the reader's zone; nothing
 * when it does nothing more (the cadence's reminders go on).
 */
function ladderAheadText(ahead: LadderAhead | undefined, v: Voice): string | undefined {
  const { managerToldAt, reassignedAt } = ahead ?? {};
  const m = v.t.ladderAhead;
  if (managerToldAt && reassignedAt)
    return m.managerToldThenReassigned(v.full(managerToldAt), v.full(reassignedAt));
  if (managerToldAt) return m.managerTold(v.full(managerToldAt));
  if (reassignedAt) return m.reassigned(v.full(reassignedAt));
  return undefined;
}

/** An intro, and when the reader stands in for a manager out of office, a sentence saying whose place it is. */
function withStandIn(intro: string, standsInFor: StandsInFor | undefined, v: Voice): string {
  return standsInFor
    ? `${intro} ${v.t.standIn(who(standsInFor.manager, v), v.date(standsInFor.until))}`
    : intro;
}

/**
 * To the owner's manager: the first touch is overdue. The owner gets a copy of their own (`ownersCopy`), not a
 * cc: a link cannot tell who pressed it, so each reader's links are signed for that reader.
 */
export function managerEscalationEmail(
  sla: Sla,
  lead: EmailLead,
  options: ManagerEscalationOptions,
): RenderedEmail {
  const { owner, manager, ownersCopy } = options;
  const reader = ownersCopy ? owner : manager;
  const v = voice(sla, reader, personZone(sla, reader));
  const { t } = v;
  const late = v.hours(options.overdueBusinessHours);
  const m = t.managerEscalation;
  const slaName = slaNameIn(sla, v.locale);
  return render(sla, v, {
    kind: ownersCopy ? 'manager-escalation-copy' : 'manager-escalation',
    lead,
    to: [(ownersCopy ? owner : manager).email],
    subject: (title) => m.subject(title, who(owner, v), late),
    preheader: m.preheader(late),
    heading: m.heading(leadName(lead, t)),
    callout: m.callout(who(owner, v), late, v.full(options.dueAt)),
    calloutNote: options.reassignedAt && t.ladderAhead.reassigned(v.full(options.reassignedAt)),
    intro: ownersCopy
      ? m.ownersCopy(who(owner, v), slaName, who(manager, v))
      : withStandIn(m.intro(who(manager, v), slaName, who(owner, v)), options.standsInFor, v),
    reach: true,
    sections: [leadDetails(lead, v, { reachAbove: true })],
    links: {
      heading: (ownersCopy ? t.firstTouchOverdue : m).links(options.firstTouchChannel),
      items: options.actionLinks,
    },
    footer: linkFooter(options, v),
  });
}

/** To the new owner: the lead was reassigned to them. */
export function reassignedToYouEmail(
  sla: Sla,
  lead: EmailLead,
  options: ReassignedToYouOptions,
): RenderedEmail {
  const v = voice(sla, options.rep, personZone(sla, options.rep));
  const { t } = v;
  const m = t.reassignedToYou;
  const due = options.dueAt ? v.short(options.dueAt, options.now) : undefined;
  const from = options.previousOwner && who(options.previousOwner, v);
  return render(sla, v, {
    kind: 'reassigned-to-you',
    lead,
    to: [options.rep.email],
    subject: (title) => m.subject(title, due),
    preheader: m.preheader(from),
    heading: m.heading(leadName(lead, t)),
    callout: options.dueAt ? m.callout(v.full(options.dueAt)) : undefined,
    intro: m.intro(who(options.rep, v), from, options.reason && causeText(sla, options.reason, v)),
    reach: true,
    sections: [leadDetails(lead, v, { reachAbove: true })],
    links: {
      heading: {
        'first-touch': t.sqlAssigned.links(options.firstTouchChannel),
        attempt: t.attemptDue.links,
        decide: t.decideDue.links,
        deal: t.staleDeal.links,
      }[options.linksFor ?? 'first-touch'],
      items: options.actionLinks,
    },
    footer: linkFooter(options, v),
  });
}

/** To the previous owner: the lead is no longer theirs. No action links: it is not theirs to act on. */
export function reassignedAwayEmail(
  sla: Sla,
  lead: EmailLead,
  options: ReassignedAwayOptions,
): RenderedEmail {
  const v = voice(sla, options.rep, personZone(sla, options.rep));
  const m = v.t.reassignedAway;
  return render(sla, v, {
    kind: 'reassigned-away',
    lead,
    to: [options.rep.email],
    subject: (title) => m.subject(title, who(options.newOwner, v)),
    preheader: m.preheader(who(options.newOwner, v)),
    heading: m.heading(leadName(lead, v.t)),
    callout: m.callout(who(options.newOwner, v)),
    intro: m.intro(who(options.rep, v), options.reason && causeText(sla, options.reason, v)),
    sections: [],
    footer: m.footer,
  });
}

/**
 * To the queue's manager (or ops), the owner getting a copy of their own (`ownersCopy`): the escalation ladder ran out (no first touch
 * after `maxReassignments` reassignments), or nobody could take the lead. The lead stays with its
 * owner; the links act for the owner, as in the manager's escalation.
 */
export function managerTakeoverEmail(
  sla: Sla,
  lead: EmailLead,
  options: ManagerTakeoverOptions,
): RenderedEmail {
  // the owner's own copy (see managerEscalationEmail): in their language and zone, their links
  const ownersCopy = options.ownersCopy ? options.owner : undefined;
  const reader = ownersCopy ?? options.manager;
  const v = voice(sla, reader, personZone(sla, reader));
  const { t } = v;
  const m = t.managerTakeover;
  const due = options.dueAt ? m.wasDue(v.full(options.dueAt)) : '';
  const stays = options.owner ? m.staysWith(who(options.owner, v)) : m.nobody;
  const { headline: summary } = options;
  const touchedBy =
    typeof summary === 'string' || summary.kind !== 'noFirstTouch' ? [] : (summary.touchedBy ?? []);
  const why = causeText(sla, options.why, v, touchedBy.length > 0);
  const owners = options.owners.length > 0 ? [{ title: m.whoHadIt, list: options.owners }] : [];
  const asksForContact = options.actionLinks.length > 0;
  const headline = headlineText(sla, options.headline, v);
  // "still over to you": the manager's own reminder (the owner has their cadence's)
  const still = ownersCopy ? undefined : options.reminder;
  const since = still ? v.full(still.since) : '';
  return render(sla, v, {
    kind: ownersCopy ? 'manager-takeover-copy' : still ? 'manager-takeover-reminder' : 'manager-takeover',
    lead,
    to: [(ownersCopy ?? options.manager).email],
    // the owner's copy says whose decision it is now: "Over to you" read as the lead being theirs outright (trial)
    subject: (title) =>
      ownersCopy
        ? m.ownersCopySubject(title, headline, who(options.manager, v))
        : still
          ? m.stillSubject(title, headline)
          : m.subject(title, headline),
    preheader: still ? m.stillPreheader(since) : m.preheader(headline),
    heading: ownersCopy
      ? m.ownersCopyHeading(leadName(lead, t), who(options.manager, v))
      : still
        ? m.stillHeading(leadName(lead, t))
        : m.heading(leadName(lead, t)),
    callout: `${capitalise(headline)}${due}`,
    intro: ownersCopy
      ? m.ownersCopy(who(ownersCopy, v), slaNameIn(sla, v.locale), why, who(options.manager, v))
      : withStandIn(
          still
            ? m.stillIntro(who(options.manager, v), slaNameIn(sla, v.locale), since, stays) +
                m.recycledBy(v.full(still.recycleAt))
            : m.intro(who(options.manager, v), slaNameIn(sla, v.locale), why, stays),
          options.standsInFor,
          v,
        ),
    // its links log the first touch (the owner's, or the manager's for the owner): how to reach the lead first
    reach: asksForContact,
    sections: [leadDetails(lead, v, { reachAbove: asksForContact }), ...owners],
    ...(options.actionLinks.length > 0
      ? {
          links: {
            heading: (ownersCopy ? t.firstTouchOverdue : t.managerEscalation).links(
              options.firstTouchChannel,
            ),
            items: options.actionLinks,
          },
        }
      : options.consoleUrl
        ? {
            links: {
              heading: m.decide,
              items: [{ label: m.openInConsole, url: options.consoleUrl, tone: 'primary' as const }],
              plain: true,
            },
          }
        : {}),
    // beside the outcome links, the page where the manager decides who works it (ADR 0088)
    ...(options.actionLinks.length > 0 && options.consoleUrl && !ownersCopy
      ? { pageLink: { label: m.openLead, url: options.consoleUrl } }
      : {}),
    footer: options.actionLinks.length > 0 ? linkFooter(options, v) : t.plainFooter,
  });
}

/**
 * To the owner, the manager copied: the lead went back to marketing because the cadence ran out.
 * Says how many attempts were logged and whether that breached the SLA. No action links: the lead
 * is no longer the owner's to act on.
 */
export function leadRecycledEmail(sla: Sla, lead: EmailLead, options: LeadRecycledOptions): RenderedEmail {
  const { breach } = options;
  // one email, the manager copied: in the zone of whom it is to
  const v = voice(sla, options.to, personZone(sla, options.to));
  const { t } = v;
  const m = t.leadRecycled;
  const [logged, of] = [v.num(options.logged), v.num(options.of)];
  // done: every step logged, or more than the cadence has since an SLA change shortened it
  const what = breach ? m.whatBreach(logged, of) : m.whatDone(logged);
  const back = options.coolOffUntil ? m.back(v.full(options.coolOffUntil)) : '';
  const { cc, standsInFor } = options;
  const copied =
    cc && standsInFor ? m.copied(who(cc, v), who(standsInFor.manager, v), v.date(standsInFor.until)) : '';
  return render(sla, v, {
    kind: 'lead-recycled',
    lead,
    to: [options.to.email],
    ...(options.cc || options.alsoCc
      ? {
          cc: [options.cc?.email, options.alsoCc?.email].filter(
            (email): email is string => email !== undefined,
          ),
        }
      : {}),
    subject: (title) => (breach ? m.subjectBreach(title, logged, of) : m.subjectDone(title, logged)),
    preheader: what,
    heading: breach ? m.headingBreach(leadName(lead, t)) : m.headingDone(leadName(lead, t)),
    callout: what,
    intro: m.intro(who(options.to, v), options.ownerName, slaNameIn(sla, v.locale), breach, back) + copied,
    sections: [leadDetails(lead, v)],
    footer: m.footer,
  });
}

/** To the owner: the deal has sat in its stage longer than the SLA's staleAfter. */
export function staleDealEmail(sla: Sla, lead: EmailLead, options: StaleDealOptions): RenderedEmail {
  const deal = lead.deal;
  const stageId = options.stage?.id ?? deal?.stageId;
  const sinceIso = options.since?.toISOString() ?? deal?.since;
  if (!stageId || !sinceIso) throw new Error('staleDealEmail: the lead has no deal');
  const { covering } = options;
  // the times in the reader's zone: the covering manager's, else the owner's
  const reader = covering?.manager ?? options.rep;
  const v = voice(sla, reader, personZone(sla, reader));
  const { t } = v;
  const m = t.staleDeal;
  const declared = sla.deals.stages.find((s) => s.id === stageId);
  const stage = declared ? localName(declared, v.locale) : (options.stage?.name ?? stageId);
  const days = Math.max(0, Math.floor((options.now.getTime() - Date.parse(sinceIso)) / 86_400_000));
  const forDays = t.days(days, v.num(days));
  const details: Row[] = [
    [m.stage, stage],
    [m.since, v.full(new Date(sinceIso))],
    ...(deal?.name ? [[m.deal, deal.name] as Row] : []),
    ...(deal?.amount !== undefined ? [[m.amount, v.num(deal.amount)] as Row] : []),
  ];
  if (covering) {
    const owner = who(options.rep, v);
    const away = t.dateRange(v.date(covering.away.from), v.date(covering.away.to));
    return render(sla, v, {
      kind: 'stale-deal-covering',
      lead,
      to: [covering.manager.email],
      subject: (title) => m.coveringSubject(title, owner, v.date(covering.away.to)),
      preheader: m.coveringPreheader(stage, forDays, owner),
      heading: m.heading(leadName(lead, t)),
      callout: m.callout(stage, forDays),
      intro: withStandIn(m.coveringIntro(who(covering.manager, v), owner, away), covering.standsInFor, v),
      sections: [
        { title: m.deal, rows: [...details, [m.owner, owner], [m.outOfOffice, away]] },
        leadDetails(lead, v),
      ],
      links: { heading: m.coveringLinks, items: options.actionLinks },
      footer: linkFooter(options, v),
    });
  }
  return render(sla, v, {
    kind: 'stale-deal',
    lead,
    to: [options.rep.email],
    subject: (title) => m.subject(title, stage, forDays),
    preheader: m.preheader(stage, forDays),
    heading: m.heading(leadName(lead, t)),
    callout: m.callout(stage, forDays),
    intro: m.intro,
    sections: [{ title: m.deal, rows: details }, leadDetails(lead, v)],
    links: { heading: m.links, items: options.actionLinks },
    footer: linkFooter(options, v),
  });
}

/**
 * Connected and no deal within `contact.decideWithin`: to the owner ("You connected with ... on ..., 5
 * business days ago; no deal yet."), or with `manager` the manager's copy, which says whose lead it is. The
 * links decide: open a deal at the SLA's first stage, recycle (not now), disqualify (decideActionChoices).
 */
export function decideDueEmail(sla: Sla, lead: EmailLead, options: DecideDueOptions): RenderedEmail {
  const reader = options.manager ?? options.rep;
  const v = voice(sla, reader, personZone(sla, reader));
  const { t } = v;
  const m = t.decideDue;
  const ago = v.span({ ...options.within, amount: options.within.amount * options.n });
  const within = v.span(options.within);
  const title = leadTitle(lead, t);
  const on = v.full(options.connectedAt);
  const owner = who(options.rep, v);
  // the owner got the lead after it was connected (a reassignment): the clock is theirs since then
  const handedOver = options.since.getTime() > options.connectedAt.getTime();
  const details: Row[] = [
    [m.connected, on],
    ...(handedOver ? [[m.ownerSince, v.full(options.since)] as Row] : []),
    [m.owner, owner],
    [m.reminder, v.num(options.n)],
  ];
  const sla_ = slaNameIn(sla, v.locale);
  if (options.manager && options.away) {
    // the owner is out of office: the manager who covers for them gets the reminder instead
    const away = t.dateRange(v.date(options.away.from), v.date(options.away.to));
    const back = v.date(options.away.to);
    return render(sla, v, {
      kind: 'decide-due-covering',
      lead,
      to: [options.manager.email],
      subject: (subjectLine) => m.coveringSubject(subjectLine, owner, back),
      preheader: m.coveringPreheader(owner, ago),
      heading: m.heading(leadName(lead, t)),
      callout: handedOver
        ? m.calloutHandedOver(title, on, owner, ago)
        : m.managerCallout(owner, title, on, ago),
      intro: withStandIn(
        m.coveringIntro(who(options.manager, v), owner, away, sla_, within),
        options.standsInFor,
        v,
      ),
      sections: [{ title: m.decision, rows: [...details, [m.outOfOffice, away]] }, leadDetails(lead, v)],
      links: { heading: m.managerLinks, items: options.actionLinks },
      footer: linkFooter(options, v),
    });
  }
  if (options.manager) {
    return render(sla, v, {
      kind: 'decide-due-manager',
      lead,
      to: [options.manager.email],
      subject: (subjectLine) => m.managerSubject(subjectLine, owner, ago),
      preheader: m.managerPreheader(owner, ago),
      heading: m.heading(leadName(lead, t)),
      callout: handedOver
        ? m.calloutHandedOver(title, on, owner, ago)
        : m.managerCallout(owner, title, on, ago),
      intro: withStandIn(
        m.managerIntro(who(options.manager, v), owner, sla_, within, v.num(options.n)),
        options.standsInFor,
        v,
      ),
      sections: [{ title: m.decision, rows: details }, leadDetails(lead, v)],
      links: { heading: m.managerLinks, items: options.actionLinks },
      footer: linkFooter(options, v),
    });
  }
  return render(sla, v, {
    kind: 'decide-due',
    lead,
    to: [options.rep.email],
    subject: (subjectLine) => m.subject(subjectLine, ago),
    preheader: m.preheader(ago),
    heading: m.heading(leadName(lead, t)),
    callout: handedOver ? m.calloutHandedOver(title, on, m.you, ago) : m.callout(title, on, ago),
    intro: m.intro(
      owner,
      sla_,
      within,
      options.copied ? who(options.copied, v) : undefined,
      options.copied !== undefined && options.copied.email === managerOf(sla, options.rep)?.email,
    ),
    sections: [{ title: m.decision, rows: details }, leadDetails(lead, v)],
    links: { heading: m.links, items: options.actionLinks },
    footer: linkFooter(options, v),
  });
}

/** The rep's own manager (routing.reps[].manager), if the SLA names one. */
function managerOf(sla: Sla, rep: Rep): Recipient | undefined {
  return rep.manager ? sla.routing.managers.find((manager) => manager.id === rep.manager) : undefined;
}

/**
 * An SLA nurture template for the lead, in the lead's locale (the template's variant for it, else the
 * template itself): {{variable}} (TEMPLATE_VARIABLES) replaced by the lead's values, escaped in HTML
 * and plain in text; `{{{variable}}}` is escaped too (nothing is ever inserted raw). A variable with no
 * value leaves no gap before punctuation ("Hello {{firstName}}," -> "Hello,") nor two spaces. Without an HTML
 * template, the HTML is made from the text: one paragraph per blank-line block, its line breaks
 * joined (YAML's wrapping is not the author's), URLs as short links. The footer carries the one
 * unsubscribe link unless the template places {{unsubscribeUrl}} itself; the headers ask mail
 * clients for one-click unsubscribe (RFC 8058).
 */
export function nurtureEmail(sla: Sla, lead: EmailLead, options: NurtureOptions): RenderedEmail {
  if (!lead.email) throw new Error('nurtureEmail: the lead has no email address (erased?)');
  const locale = leadLocale(sla, lead.fields);
  const v = voiceFor(locale, sla.calendar.timeZone);
  const { t } = v;
  const content = templateFor(options.template, locale);
  const values = templateValues(sla, lead, options.unsubscribeUrl, v);
  const subject = oneLine(fill(content.subject, (name) => values[name]));
  const text = reflow(fill(content.text, (name) => values[name])).trimEnd();
  // one unsubscribe per part: the footer's, unless the template places {{unsubscribeUrl}} itself
  const places = (part: string) =>
    [...part.matchAll(VARIABLE)].some((match) => match[1] === 'unsubscribeUrl');
  const bodyHtml = content.html
    ? fill(content.html, (name) => (values[name] === undefined ? undefined : escapeHtml(values[name]!)))
    : textToHtml(content.text, values, t);
  const sender = senderNameIn(sla, locale);
  const identity = senderIdentity(sla, t);
  const footerText =
    t.nurture.footer(sender) +
    identity.text +
    (places(content.text) ? '' : `\n${t.nurture.unsubscribe}: ${options.unsubscribeUrl}`);
  const footerHtml =
    escapeHtml(t.nurture.footer(sender)) +
    (places(content.html ?? content.text)
      ? ''
      : ` <a href="${safeHref(options.unsubscribeUrl)}" style="${FOOTER_LINK_STYLE}">${escapeHtml(t.nurture.unsubscribe)}</a>`) +
    identity.html;
  return {
    to: [lead.email],
    subject,
    text: `${text}\n\n--\n${footerText}\n`,
    html: page(
      v,
      subject,
      undefined,
      `<div style="font-size:16px;line-height:1.5;color:#1a1a1a">${bodyHtml}</div>`,
      footerHtml,
    ),
    headers: unsubscribeHeaders(options.unsubscribeUrl),
    fromName: sender,
    bulk: true,
    tags: { kind: 'nurture', ...(lead.leadId ? { leadId: lead.leadId } : {}), template: options.template.id },
  };
}

const FOOTER_LINK_STYLE = 'color:#555555;text-decoration:underline';

/**
 * Who sends a marketing email, for its footer (ADR 0071): the company's postal address (CAN-SPAM), links to its
 * privacy notice (GDPR art. 13) and imprint (DDG § 5), each as the SLA's `nurture` names it; nothing when it
 * names none. `text` and `html` each start with a line break, to follow the footer's sentence.
 */
function senderIdentity(sla: Sla, t: EmailText): { text: string; html: string } {
  const { postalAddress, privacyUrl, imprintUrl } = sla.nurture;
  const links = [
    { label: t.nurture.privacy, url: privacyUrl },
    { label: t.nurture.imprint, url: imprintUrl },
  ].filter((link): link is { label: string; url: string } => link.url !== undefined);
  const text = [postalAddress, ...links.map((link) => `${link.label}: ${link.url}`)]
    .filter((line) => line !== undefined)
    .map((line) => `\n${line}`)
    .join('');
  const htmlLinks = links
    .map(
      (link) => `<a href="${safeHref(link.url)}" style="${FOOTER_LINK_STYLE}">${escapeHtml(link.label)}</a>`,
    )
    .join(' &middot; ');
  // the address in its own direction (a German address in an Arabic email reads left to right)
  const address =
    postalAddress === undefined ? undefined : `<span dir="auto">${escapeHtml(postalAddress)}</span>`;
  const html = [address, htmlLinks || undefined]
    .filter((line) => line !== undefined)
    .map((line) => `<br>${line}`)
    .join('');
  return { text, html };
}

/**
 * Double opt-in: the one email that asks a person to confirm (domain/consent.ts), in their language,
 * one button to the confirmation page, what they consented to quoted.
 */
export function consentConfirmationEmail(
  sla: Sla,
  lead: Pick<LeadState, 'email' | 'leadId' | 'consent' | 'fields'>,
  confirmUrl: string,
  consentText: string,
): RenderedEmail {
  if (!lead.email) throw new Error('consentConfirmationEmail: the lead has no email address (erased?)');
  // in the language consent was given in (the form's), whatever the lead was first stored with
  const v = voiceFor(consentLocale(sla, lead), sla.calendar.timeZone);
  const { t } = v;
  const sender = senderNameIn(sla, v.locale);
  const what = lead.consent?.text ?? consentText;
  // no name: anyone can post a form with any address and any "name" (a phishing line: "Your invoice is overdue,
  // pay at ..."), and this email goes to that address from the company's sender before anyone confirmed it
  const { hello } = t.consent;
  const subject = t.consent.subject(sender);
  const form = sla.forms.find((candidate) => candidate.id === lead.consent?.formId);
  const given = lead.consent
    ? t.consent.given(
        v.full(new Date(lead.consent.givenAt)),
        form?.name === undefined ? undefined : localName({ name: form.name, names: form.names }, v.locale),
      )
    : undefined;
  const intro = [t.consent.intro(sender), given].filter(Boolean).join(' ');
  const expires = t.consent.expires(v.num(CONSENT_LINK_TTL_SECONDS / 86_400));
  const text = [
    hello,
    '',
    intro,
    '',
    `${t.consent.button}: ${confirmUrl}`,
    expires,
    '',
    t.consent.agreed(what),
    '',
    t.consent.ignore,
  ].join('\n');
  const identity = senderIdentity(sla, t);
  const body = [
    `<p style="margin:0 0 16px">${escapeHtml(hello)}</p>`,
    `<p style="margin:0 0 24px">${escapeHtml(intro)}</p>`,
    `<div style="margin:0 0 8px">${button(confirmUrl, t.consent.button, 'primary')}</div>`,
    `<p style="margin:0 0 24px;color:#555555;font-size:14px">${escapeHtml(expires)}</p>`,
    `<p style="margin:0 0 8px;color:#555555;font-size:14px">${escapeHtml(t.consent.agreed(what))}</p>`,
  ].join('\n');
  return {
    to: [lead.email],
    subject,
    text: `${text}${identity.text ? `\n\n--${identity.text}` : ''}\n`,
    html: page(
      v,
      subject,
      undefined,
      `<div style="font-size:16px;line-height:1.5;color:#1a1a1a">${body}</div>`,
      escapeHtml(t.consent.ignore) + identity.html,
    ),
    fromName: sender,
    // asked for by an anonymous form: it stops at the part of the daily quota kept for the SLA's own emails, as
    // nurture does (ADR 0067, amended), so sign-ups, a burst or a bot's, cannot spend the rep's "New SQL" email
    bulk: true,
    tags: { kind: 'consent-confirmation', ...(lead.leadId ? { leadId: lead.leadId } : {}) },
  };
}

/** The template's variant for the locale (the tag, else its language), else the template itself. */
export function templateFor(template: Template, locale: string): TemplateContent {
  const variants = Object.entries(template.locales ?? {});
  const exact = variants.find(([tag]) => tag.toLowerCase() === locale.toLowerCase());
  const language = variants.find(([tag]) => tag.toLowerCase() === languageOf(locale));
  return exact?.[1] ?? language?.[1] ?? template;
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

// ---------- times and numbers ----------

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

const numberFormats = new Map<string, Intl.NumberFormat>();

function numberFormat(locale: string): Intl.NumberFormat {
  let f = numberFormats.get(locale);
  if (!f) {
    f = new Intl.NumberFormat(locale, { maximumFractionDigits: 1 });
    numberFormats.set(locale, f);
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

const isEnglish = (locale: string) => languageOf(locale) === 'en';

/**
 * How another language writes a weekday and a month in a full date: Arabic spells them out ("الاثنين، 7 ديسمبر
 * 2026"), German abbreviates them as English does ("Mo., 7. Dez. 2026, 12:00 MEZ").
 */
const FULL_DATE_WIDTH: Readonly<Record<Exclude<ShippedLanguage, 'en'>, 'long' | 'short'>> = {
  ar: 'long',
  de: 'short',
};

function fullDate(locale: string): Intl.DateTimeFormatOptions {
  const language = shippedLanguage(locale);
  const width = language === 'en' ? 'long' : FULL_DATE_WIDTH[language];
  return { weekday: width, day: 'numeric', month: width, year: 'numeric' };
}

/** Intl's own words for a time in a locale other than English (zone as Intl names it there). */
function localTime(at: Date, zone: string, locale: string, date: Intl.DateTimeFormatOptions): string {
  return formatter(locale, zone, {
    ...date,
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
    timeZoneName: 'short',
  }).format(at);
}

/**
 * A due time for a subject line, as the reader counts days from `now` in their zone: "14:00 CET" today,
 * "tomorrow 14:00 CET", "Thu 14:00 CET" within the next six days (a weekday names one day only), "12 Dec 14:00 CET"
 * beyond them or before today; other locales in Intl's words for the day and time ("morgen 14:00 MEZ",
 * "Do, 14:00 MEZ", "12. Dez., 14:00 MEZ"). A phone's inbox shows only the subject: a bare time days away
 * reads as today.
 */
export function formatShortTime(at: Date, zone: string, now: Date, locale = 'en'): string {
  const days = (Date.parse(localDayOf(zone, at)) - Date.parse(localDayOf(zone, now))) / 86_400_000;
  const day: DayNamed = days === 0 || days === 1 ? 'none' : days > 1 && days < 7 ? 'weekday' : 'date';
  const time = isEnglish(locale)
    ? englishShortTime(at, zone, day)
    : localTime(at, zone, locale, DAY_IN_INTL[day]);
  return days === 1 ? emailText(shippedLanguage(locale)).tomorrowAt(time) : time;
}

/** What of its day a subject's deadline names: none today or tomorrow (a word says it), else its weekday or date. */
type DayNamed = 'none' | 'weekday' | 'date';

const DAY_IN_INTL: Readonly<Record<DayNamed, Intl.DateTimeFormatOptions>> = {
  none: {},
  weekday: { weekday: 'short' },
  date: { day: 'numeric', month: 'short' },
};

function englishShortTime(at: Date, zone: string, day: DayNamed): string {
  const p = parts(at, zone);
  const named = { none: '', weekday: `${p.weekday} `, date: `${p.day} ${p.month} ` }[day];
  return `${named}${p.time} ${zoneAbbreviation(zone, at)}`;
}

/**
 * A time in full for an email body: "Tue 16 Jan 2024, 14:00 CET"; other locales in Intl's words for them
 * ("Di., 16. Jan. 2024, 14:00 MEZ").
 */
export function formatFullTime(at: Date, zone: string, locale = 'en'): string {
  if (!isEnglish(locale)) return localTime(at, zone, locale, fullDate(locale));
  const p = parts(at, zone);
  return `${p.weekday} ${p.day} ${p.month} ${p.year}, ${p.time} ${zoneAbbreviation(zone, at)}`;
}

/** A calendar date for an email body: "Mon 21 Dec 2026"; other locales in Intl's words for them. */
export function formatDate(day: string, locale = 'en'): string {
  const at = new Date(`${day}T12:00:00.000Z`);
  if (Number.isNaN(at.getTime())) return day;
  if (!isEnglish(locale)) return formatter(locale, 'UTC', fullDate(locale)).format(at);
  const p = parts(at, 'UTC');
  return `${p.weekday} ${p.day} ${p.month} ${p.year}`;
}

/** "45 business minutes", "1 business hour", "2.5 business hours". */
export function formatBusinessHours(hours: number, locale = 'en'): string {
  return voiceFor(locale, 'UTC').hours(hours);
}

// ---------- the lead ----------

function field(lead: EmailLead, name: string): string | undefined {
  const value: FieldValue | undefined = lead.fields[name];
  if (value === undefined || value === '') return undefined;
  return String(value);
}

/** "Petra Schneider"; the email address, or "Unnamed lead", when no name is known. */
export function leadName(lead: EmailLead, t: EmailText = emailText('en')): string {
  const name = [field(lead, 'firstName'), field(lead, 'lastName')].filter(Boolean).join(' ');
  return oneLine(name || lead.email || t.unnamedLead);
}

/** "Petra Schneider (Brauhaus Werke)" for a sentence, each part cut short. */
function leadTitle(lead: EmailLead, t: EmailText): string {
  const company = field(lead, 'company');
  const name = cut(leadName(lead, t), 40);
  return company ? `${name} (${cut(oneLine(company), 40)})` : name;
}

/** A lead id as a message id's left part takes it (ids are base64url). */
const THREAD_ID = /^[A-Za-z0-9_-]{1,100}$/;

/**
 * The longest subject a reader sees whole: RFC 5322's 78 characters a line, about what Gmail's list and
 * Outlook's reading pane show, and twice what a phone's list shows (its start, so what happened comes first).
 */
export const SUBJECT_MAX = 78;

/**
 * The subject with the lead's title, "Petra Schneider (Brauhaus Werke)", fitted to SUBJECT_MAX characters as a
 * reader counts them: the company cut after a word first, then the name. Only the lead's words are cut, never
 * what happened or when, and never below what still tells leads apart (12 characters of the company, 16 of
 * the name): a subject whose own words are long (an owner away until a date) runs over rather than lose the lead.
 */
function fitSubject(make: (title: string) => string, lead: EmailLead, t: EmailText): string {
  const name = leadName(lead, t);
  const company = field(lead, 'company') && oneLine(field(lead, 'company')!);
  const whole = oneLine(make(company ? `${name} (${company})` : name));
  if (length(whole) <= SUBJECT_MAX) return whole;
  const room = SUBJECT_MAX - length(make(''));
  if (!company) return oneLine(make(name === lead.email ? name : cutAtWord(name, Math.max(16, room))));
  // an address (a lead with no name) is kept whole: cut, it names no one
  const address = name === lead.email;
  // a name too long to leave the company 12 shares the room with it ("شركة…" alone tells no company apart)
  const nameFits = address || length(name) + 3 + 12 <= room;
  const forCompany = nameFits ? room - length(name) - 3 : Math.floor((room - 3) / 2);
  const shortCompany = cutAtWord(company, Math.max(12, forCompany));
  const shortName = address ? name : cutAtWord(name, Math.max(16, room - length(shortCompany) - 3));
  return oneLine(make(`${shortName} (${shortCompany})`));
}

function length(text: string): number {
  let count = 0;
  for (const _ of graphemes(text)) count++;
  return count;
}

/** At most `max` characters, cut after a whole word with "…" (inside one only when a single word is longer). */
function cutAtWord(text: string, max: number): string {
  if (length(text) <= max) return text;
  const kept = cut(text, max).slice(0, -1);
  // the last word kept is whole when a space follows it in the text
  const space = /^\s/.test(text.slice(kept.length)) ? kept.length : kept.search(/\s\S*$/);
  const words = space > 0 ? kept.slice(0, space) : kept;
  return `${words.replace(/[\s,;:&+/–—-]+$/u, '')}…`;
}

/** `own`: the lead's own words (a name, a company), shown in their own direction (`<bdi>`) */
/** a row of facts; a phone's `dial` links only its one number (dial.ts), what surrounds it beside the link */
type Row = readonly [label: string, value: string, href?: string, own?: boolean, dial?: Dialable];

interface Section {
  readonly title: string;
  /** a sentence before the rows */
  readonly summary?: string;
  readonly rows?: readonly Row[];
  readonly list?: readonly string[];
  /** a block of the lead's own words, line breaks kept */
  readonly quote?: string;
  /** the quote's label in the text part */
  readonly quoteLabel?: string;
}

/** Who the lead is; `reachAbove`: the email shows how to reach them under its headline, so not again here. */
function leadDetails(lead: EmailLead, v: Voice, { reachAbove = false } = {}): Section {
  const { t } = v;
  const rows: Row[] = [[t.name, leadName(lead, t), undefined, true]];
  const company = field(lead, 'company');
  const jobTitle = field(lead, 'jobTitle');
  const phone = phoneOf(lead)?.value;
  const country = field(lead, 'country');
  if (company) rows.push([t.company, company, undefined, true]);
  if (jobTitle) rows.push([t.jobTitle, jobTitle, undefined, true]);
  if (phone && !reachAbove) rows.push([t.phone, phone, undefined, false, dialable(phone)]);
  if (lead.email && !reachAbove) rows.push([t.email, lead.email, `mailto:${lead.email}`]);
  if (country) rows.push([t.country, countryName(country, v.locale)]);
  const language = field(lead, 'locale');
  if (language) rows.push([t.language, languageName(language, v.locale)]);
  const message = field(lead, 'message');
  return { title: t.who, rows, ...(message ? { quote: message, quoteLabel: t.message } : {}) };
}

/**
 * Why the lead qualified, as a rep reads it: one sentence in the SLA's words ("Plant Manager at a
 * food and beverage company of 850 people in Germany, asked for a demo"), then the score and the
 * SLA's names for the type, persona and stage. Rule ids and expressions stay in the console and the
 * API (GET /leads/{id}); the engagement rules that fired only say what the lead did.
 */
function qualification(sla: Sla, lead: EmailLead, reasons: readonly Reason[], v: Voice): Section {
  const { t } = v;
  const type = sla.leadTypes.find((candidate) => candidate.id === lead.leadType);
  const persona = sla.personas.find((candidate) => candidate.id === lead.persona);
  const rules = [...sla.scoring.engagement, ...(type?.overrides?.engagement ?? [])];
  const did: string[] = [];
  for (const reason of reasons) {
    if (!reason.rule.startsWith('engagement.')) continue;
    const rule = rules.find((candidate) => `engagement.${candidate.id}` === reason.rule);
    const words = rule?.event ? t.did(rule.event) : undefined;
    if (words && !did.includes(words)) did.push(words);
  }
  const employees = Number(field(lead, 'employees'));
  const industry = industryWords(sla, field(lead, 'industry'), v.locale);
  const company = field(lead, 'company');
  const country = field(lead, 'country');
  const summary = t.summary({
    who: oneLine(field(lead, 'jobTitle') ?? (persona && localName(persona, v.locale)) ?? t.someone),
    ...(industry ? { industry } : {}),
    ...(company ? { company } : {}),
    ...(Number.isFinite(employees) && employees > 0
      ? { people: v.num(employees), headcount: employees }
      : {}),
    ...(country ? { country: countryName(country, v.locale, false) } : {}),
    did,
  });
  const rows: Row[] = [];
  if (lead.total !== undefined) rows.push([t.score, v.num(round(lead.total))]);
  if (lead.fitTier) rows.push([t.fitTier, lead.fitTier]);
  if (lead.leadType && lead.leadType !== 'default') {
    rows.push([t.leadType, type ? localName(type, v.locale) : lead.leadType]);
  }
  if (persona) rows.push([t.persona, localName(persona, v.locale)]);
  const journey = lead.journeyStage && journeyStageIn(sla, lead.journeyStage, v);
  if (journey) rows.push([t.journeyStage, journey]);
  return { title: t.whyQualified, summary, rows };
}

/**
 * A journey stage for the reader: `journey.namesByLocale` (the tag, else its language), else LeadPact's name
 * (its three default stages; any other stage's id as words); undefined when that is not in the reader's
 * script, rather than an English id in an Arabic email.
 */
function journeyStageIn(sla: Sla, stage: string, v: Voice): string | undefined {
  // an SLA object built before the key existed (a compiled SLA of an older version) has none
  const byLocale = sla.journey.namesByLocale ?? {};
  const tag =
    Object.keys(byLocale).find((t) => t.toLowerCase() === v.locale.toLowerCase()) ??
    Object.keys(byLocale).find((t) => t.toLowerCase() === languageOf(v.locale));
  const named = tag === undefined ? undefined : byLocale[tag]?.[stage];
  if (named) return named;
  const shipped = v.t.journeyStageName(stage);
  return writtenIn(shipped, v.locale) ? shipped : undefined;
}

/**
 * The lead's industry as the "why" sentence says it: the SLA's name of the value in the reader's language
 * (`fieldValues.industry`), else the value itself with its dashes as spaces; either only when it is written
 * in the reader's script. A form's value is usually an English id (`food-and-beverage`): an Arabic rep's
 * sentence leaves it out rather than read "في شركة food and beverage".
 */
function industryWords(sla: Sla, value: string | undefined, locale: string): string | undefined {
  if (!value) return undefined;
  const words = oneLine(fieldValueName(sla, 'industry', value, locale) ?? value.replace(/[-_]+/g, ' '));
  return writtenIn(words, locale) ? words : undefined;
}

/** "Arabic" in the reader's language (Intl), the tag itself when Intl knows no name. */
export function languageName(tag: string, locale: string): string {
  try {
    return new Intl.DisplayNames([locale, 'en'], { type: 'language' }).of(tag) ?? tag;
  } catch {
    return tag;
  }
}

/** "Germany (DE)" in the reader's language (Intl); the code alone when Intl knows no name. */
export function countryName(code: string, locale: string, withCode = true): string {
  if (!/^[A-Z]{2}$/.test(code)) return code;
  const key = `${locale}|${code}|${withCode}`;
  let known = countryNames.get(key);
  if (known === undefined) {
    known = displayCountry(code, locale, withCode);
    // a few hundred codes x the supported locales at most; bounded anyway
    if (countryNames.size > 10_000) countryNames.clear();
    countryNames.set(key, known);
  }
  return known;
}

/** Intl.DisplayNames is costly to construct (the simulator renders thousands of emails): names are kept. */
const countryNames = new Map<string, string>();

function displayCountry(code: string, locale: string, withCode: boolean): string {
  try {
    const name = new Intl.DisplayNames([locale, 'en'], { type: 'region' }).of(code);
    if (!name || name === code) return code;
    return withCode ? `${name} (${code})` : name;
  } catch {
    return code;
  }
}

// ---------- nurture templates ----------

type TemplateVariable = (typeof TEMPLATE_VARIABLES)[number];

function templateValues(
  sla: Sla,
  lead: EmailLead,
  unsubscribe: string,
  v: Voice,
): Record<string, string | undefined> {
  const named = sla.personas.find((p) => p.id === lead.persona);
  const persona = named && localName(named, v.locale);
  const values: Record<TemplateVariable, string> = {
    firstName: field(lead, 'firstName') ?? '',
    lastName: field(lead, 'lastName') ?? '',
    company: field(lead, 'company') ?? '',
    jobTitle: field(lead, 'jobTitle') ?? '',
    persona: persona ?? '',
    journeyStage: (lead.journeyStage && journeyStageIn(sla, lead.journeyStage, v)) || '',
    unsubscribeUrl: unsubscribe,
    senderName: senderNameIn(sla, v.locale),
  };
  return values;
}

/** The same syntax reference validation reads (sla-references.ts): {{ name }} or {{{ name }}}. */
const VARIABLE = /\{\{\{?\s*([^}\s]+)\s*\}?\}\}/g;
/** Punctuation that follows a word directly (Latin and Arabic). */
const CLOSING = /^[,.;:!?،؛؟)]/;

/**
 * The text before an empty value, without the space that would be left beside another: punctuation or a
 * space follows ("Hello {{firstName}}," -> "Hello,"; "في مرحلة {{journeyStage}} من" -> "في مرحلة من", not
 * two spaces).
 */
function withoutGap(before: string, after: string): string {
  return CLOSING.test(after) || /^[ \t]/.test(after) ? before.replace(/[ \t]+$/, '') : before;
}

/**
 * Replaces known variables; an unknown one (validation rejects them) is left as written. An empty
 * value takes the space before it when punctuation or a space follows (withoutGap).
 */
function fill(template: string, value: (name: string) => string | undefined): string {
  let out = '';
  let last = 0;
  for (const match of template.matchAll(VARIABLE)) {
    const replacement = value(match[1]!);
    let before = template.slice(last, match.index);
    const after = template.slice(match.index + match[0].length);
    if (replacement === '') before = withoutGap(before, after);
    out += before + (replacement ?? match[0]);
    last = match.index + match[0].length;
  }
  return out + template.slice(last);
}

/** A line that starts a list item keeps its line break. */
const LIST_ITEM = /^\s*(?:[-*•]|\d+[.)])\s/;

/** Paragraphs at blank lines; inside one, line breaks become spaces unless a line is a list item. */
function paragraphs(text: string): string[][] {
  return text
    .trim()
    .split(/\n\s*\n/)
    .map((paragraph) => {
      const lines: string[] = [];
      for (const line of paragraph.split('\n')) {
        const trimmed = line.trim();
        if (lines.length > 0 && !LIST_ITEM.test(line)) lines[lines.length - 1] += ` ${trimmed}`;
        else lines.push(trimmed);
      }
      return lines;
    });
}

/** The text part: the template's paragraphs, each on one line (mail clients wrap), list items kept. */
function reflow(text: string): string {
  return paragraphs(text)
    .map((lines) => lines.join('\n'))
    .join('\n\n');
}

/**
 * HTML from a text template: its paragraphs (as reflow), everything escaped. URLs the template author
 * wrote become links that show only their host and path, cut short; {{unsubscribeUrl}} becomes an
 * "Unsubscribe" link; URLs inside the lead's own values (a company named "http://...") stay text.
 */
function textToHtml(template: string, values: Record<string, string | undefined>, t: EmailText): string {
  return paragraphs(template)
    .map((lines) => {
      const html = lines
        .map((line) => {
          let out = '';
          let last = 0;
          for (const match of line.matchAll(VARIABLE)) {
            const name = match[1]!;
            const value = values[name];
            let before = line.slice(last, match.index);
            const after = line.slice(match.index + match[0].length);
            if (value === '') before = withoutGap(before, after);
            out += linkify(escapeHtml(before));
            if (value === undefined) out += escapeHtml(match[0]);
            else if (name === 'unsubscribeUrl') {
              // "Unsubscribe: {{unsubscribeUrl}}" shows one "Unsubscribe", as the link
              out = out.replace(labelBefore(t.nurture.unsubscribe), '');
              out += link(value, t.nurture.unsubscribe);
            } else out += escapeHtml(value);
            last = match.index + match[0].length;
          }
          return out + linkify(escapeHtml(line.slice(last)));
        })
        .join('<br>');
      return `<p style="margin:0 0 16px">${html}</p>`;
    })
    .join('');
}

/** The link's own label with a colon, just before it ("Unsubscribe: "), to drop from the text. */
function labelBefore(label: string): RegExp {
  return new RegExp(`${escapeHtml(label).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\s*:\\s*$`, 'iu');
}

/** Links http(s) URLs in already-escaped text, each shown as its host and path, cut to fit a phone. */
function linkify(escaped: string): string {
  return escaped.replace(/https?:\/\/[^\s<]+[^\s<.,;:!?)]/g, (url) => {
    const raw = url.replace(/&amp;/g, '&');
    return link(raw, shortUrl(raw));
  });
}

/** "kessler-industrial.example/guides/compressed-air": no scheme, no query, at most 40 characters. */
export function shortUrl(url: string): string {
  try {
    const parsed = new URL(url);
    const path = parsed.pathname === '/' ? '' : parsed.pathname.replace(/\/$/, '');
    return cut(`${parsed.host.replace(/^www\./, '')}${path}`, 40);
  } catch {
    return cut(url, 40);
  }
}

function link(url: string, label: string): string {
  return `<a href="${safeHref(url)}" style="color:#0b5cad;word-break:break-word">${escapeHtml(label)}</a>`;
}

// ---------- layout ----------

interface Layout {
  readonly kind: EmailKind;
  readonly lead: EmailLead;
  readonly to: readonly string[];
  readonly cc?: readonly string[];
  /** the subject around the lead's title ("Petra Schneider (Brauhaus Werke)"), which render fits to a line */
  readonly subject: (title: string) => string;
  /** the inbox preview line */
  readonly preheader: string;
  readonly heading: string;
  /** the one line that matters most, highlighted */
  readonly callout?: string | undefined;
  /** what comes of it if nothing is done, and when (the ladder's next step): in the callout's box, under it */
  readonly calloutNote?: string | undefined;
  readonly intro?: string | undefined;
  /**
   * the email asks the reader to contact the lead: how to reach them (a call link, a mail link) right under the
   * headline, before the buttons that log what came of it; a rep calls first and logs after
   */
  readonly reach?: boolean;
  readonly sections: readonly Section[];
  /** `plain`: links that act on nothing (a console page): no "each button opens a confirmation page" */
  readonly links?: {
    readonly heading: string;
    readonly items: readonly ActionLink[];
    readonly plain?: boolean;
  };
  /** a page to open beside the buttons (the lead's console page): a plain text link under them */
  readonly pageLink?: { readonly label: string; readonly url: string };
  readonly footer: string;
}

/** A button's fill, text and border. */
const BUTTON: Record<LinkTone, { readonly fill: string; readonly text: string; readonly border: string }> = {
  primary: { fill: '#0b5cad', text: '#ffffff', border: '#0b5cad' },
  default: { fill: '#ffffff', text: '#0b5cad', border: '#0b5cad' },
  danger: { fill: '#ffffff', text: '#b42318', border: '#b42318' },
};

/**
 * A button that works in every client: a whole-width table cell with its fill as `bgcolor` (Outlook on
 * Windows renders with Word, which ignores an `<a>`'s padding, display and background: it would show a
 * line of coloured text) and Outlook's own padding (`mso-padding-alt`); the link inside is a block with
 * the padding everywhere else, so the whole button is a 48 px tap target on a phone.
 */
function button(url: string, label: string, tone: LinkTone): string {
  const { fill, text, border } = BUTTON[tone];
  return (
    '<table role="presentation" width="100%" cellpadding="0" cellspacing="0" style="border-collapse:separate;margin:0 0 10px">' +
    `<tr><td align="center" bgcolor="${fill}" style="background:${fill};border:2px solid ${border};border-radius:8px;mso-padding-alt:14px 16px">` +
    `<a href="${safeHref(url)}" style="display:block;padding:14px 16px;color:${text};border-radius:8px;font-size:17px;font-weight:bold;line-height:20px;text-align:center;text-decoration:none">${escapeHtml(label)}</a>` +
    '</td></tr></table>'
  );
}

function render(sla: Sla, v: Voice, layout: Layout): RenderedEmail {
  const subject = fitSubject(layout.subject, layout.lead, v.t);
  const { leadId } = layout.lead;
  const tags = { kind: layout.kind, ...(leadId ? { leadId } : {}) };
  return {
    to: layout.to,
    ...(layout.cc ? { cc: layout.cc } : {}),
    subject,
    // every email to staff about this lead in one conversation (the mailer's In-Reply-To/References)
    ...(leadId && THREAD_ID.test(leadId) ? { thread: `lead.${leadId}` } : {}),
    text: renderText(layout, v),
    html: renderHtml(layout, subject, v),
    fromName: senderNameIn(sla, v.locale),
    tags,
  };
}

function renderText(layout: Layout, v: Voice): string {
  const lines: string[] = [layout.heading];
  if (layout.callout) lines.push(layout.callout);
  if (layout.calloutNote) lines.push(layout.calloutNote);
  if (layout.reach) {
    const rows = reachRows(layout.lead, v);
    const width = Math.max(0, ...rows.map(({ label }) => label.length)) + 2;
    if (rows.length > 0) lines.push('');
    for (const row of rows) lines.push(`${`${row.label}:`.padEnd(width)}${oneLine(row.text)}`);
  }
  if (layout.intro) lines.push('', layout.intro);
  for (const section of layout.sections) {
    lines.push('', `${section.title}:`);
    if (section.summary) lines.push(`  ${oneLine(section.summary)}`);
    const width = Math.max(0, ...(section.rows ?? []).map(([label]) => label.length)) + 2;
    for (const [label, value] of section.rows ?? [])
      lines.push(`  ${`${label}:`.padEnd(width)}${oneLine(value)}`);
    for (const item of section.list ?? []) lines.push(`  - ${oneLine(item)}`);
    if (section.quote) {
      lines.push(`  ${section.quoteLabel ?? 'Message'}:`);
      for (const line of section.quote.split(/\r?\n/)) lines.push(`    > ${line}`);
    }
  }
  if (layout.links && layout.links.items.length > 0) {
    lines.push('', `${layout.links.heading} (${v.t.linksNote}):`);
    for (const item of layout.links.items) lines.push(`  - ${item.label}: ${item.url}`);
  }
  if (layout.pageLink) lines.push('', `${layout.pageLink.label}: ${layout.pageLink.url}`);
  lines.push('', '--', layout.footer);
  return `${lines.join('\n')}\n`;
}

function renderHtml(layout: Layout, subject: string, v: Voice): string {
  const start = textDirection(v.locale) === 'rtl' ? 'right' : 'left';
  let body = `<h1 style="margin:0 0 12px;font-size:22px;line-height:1.3;color:#1a1a1a">${escapeHtml(layout.heading)}</h1>`;
  if (layout.callout) {
    const note = layout.calloutNote
      ? `<br><span style="display:inline-block;margin-top:6px;font-size:15px;font-weight:normal">${escapeHtml(layout.calloutNote)}</span>`
      : '';
    body += `<p style="margin:0 0 16px;padding:12px 14px;background:#fff4e5;border-${start}:4px solid #f79009;font-size:17px;font-weight:bold;color:#1a1a1a">${escapeHtml(layout.callout)}${note}</p>`;
  }
  if (layout.reach) body += reachHtml(reachRows(layout.lead, v));
  if (layout.intro) body += `<p style="margin:0 0 16px">${escapeHtml(layout.intro)}</p>`;
  if (layout.links && layout.links.items.length > 0)
    body += buttons(layout.links.heading, layout.links.items, v, layout.links.plain === true);
  if (layout.pageLink)
    // in the email's direction (a call link is read left to right; this label is words), 44 px tall for a thumb
    body += `<p style="margin:0 0 16px"><a href="${safeHref(layout.pageLink.url)}" style="display:inline-block;padding:12px 0;line-height:20px;color:#0b5cad">${escapeHtml(layout.pageLink.label)}</a></p>`;
  for (const section of layout.sections) body += sectionHtml(section, start);
  return page(v, subject, layout.preheader, body, escapeHtml(layout.footer));
}

function buttons(heading: string, items: readonly ActionLink[], v: Voice, plain: boolean): string {
  const links = items.map((item) => button(item.url, item.label, item.tone ?? 'default')).join('');
  const note = plain
    ? ''
    : `<p style="margin:0 0 20px;font-size:13px;color:#555555">${escapeHtml(v.t.buttonsNote)}</p>`;
  return `<h2 style="margin:8px 0 10px;font-size:16px;color:#1a1a1a">${escapeHtml(heading)}</h2>${links}${note}`;
}

function sectionHtml(section: Section, start: 'left' | 'right'): string {
  let html = `<h2 style="margin:20px 0 8px;font-size:16px;color:#1a1a1a">${escapeHtml(section.title)}</h2>`;
  if (section.summary) html += `<p style="margin:0 0 10px">${withArabicRuns(section.summary)}</p>`;
  if (section.rows && section.rows.length > 0) {
    const rows = section.rows
      .map(([label, value, href, own, dial]) => {
        const shown = dial
          ? dialHtml(dial)
          : href
            ? tapLink(href, value)
            : own
              ? `<bdi dir="auto"${arabicLangAttribute(value)}>${escapeHtml(value)}</bdi>`
              : escapeHtml(value);
        return `<tr><td style="padding:6px 0;border-bottom:1px solid #eeeeee"><div style="font-size:13px;color:#555555">${escapeHtml(label)}</div><div style="font-size:16px;color:#1a1a1a;word-break:break-word">${shown}</div></td></tr>`;
      })
      .join('');
    html += `<table role="presentation" width="100%" cellpadding="0" cellspacing="0" style="border-collapse:collapse">${rows}</table>`;
  }
  if (section.list && section.list.length > 0) {
    html += `<ul style="margin:8px 0 0;padding:0;padding-${start}:20px">${section.list.map((item) => `<li style="margin:0 0 6px">${withArabicRuns(item)}</li>`).join('')}</ul>`;
  }
  if (section.quote) {
    // the lead's own words: each paragraph in its own direction and aligned to its start, whatever the email's
    html += `<div dir="auto"${arabicLangAttribute(section.quote)} style="margin:10px 0 0;padding:10px 12px;background:#f5f5f5;border-radius:6px;white-space:pre-wrap;word-break:break-word;font-size:15px;unicode-bidi:plaintext;text-align:start">${escapeHtml(section.quote)}</div>`;
  }
  return html;
}

/**
 * A phone or mail link: read left to right in any language (isolated from RTL text), and 44 px tall for a thumb
 * (20 px of line, 12 px above and below).
 */
function tapLink(url: string, text: string): string {
  return `<a href="${safeHref(url)}" dir="ltr" style="display:inline-block;padding:12px 0;line-height:20px;color:#0b5cad">${escapeHtml(text)}</a>`;
}

/** A phone's one dialable number as a call link, what was given around it beside the link in its own direction. */
function dialHtml(dial: Dialable): string {
  return `${besideHtml(dial.before)}${tapLink(dial.href, dial.number)}${besideHtml(dial.after)}`;
}

/** the lead's own words in their own direction (an Arabic company in an English email) */
function besideHtml(text: string): string {
  return text.trim()
    ? `<bdi dir="auto"${arabicLangAttribute(text)}>${escapeHtml(text)}</bdi>`
    : escapeHtml(text);
}

/** One way to reach the lead: its label, the text part's line, and the HTML (a call or mail link). */
interface ReachRow {
  readonly label: string;
  readonly text: string;
  readonly html: string;
}

/**
 * How to reach the lead: the phone (its one number a call link, dial.ts) and the email address (a mail link); a
 * lead who gave no phone: "No phone given: write to <address>".
 */
function reachRows(lead: EmailLead, v: Voice): ReachRow[] {
  const { t } = v;
  const phone = phoneOf(lead)?.value;
  const { email } = lead;
  const rows: ReachRow[] = [];
  if (phone) {
    const dial = dialable(phone);
    rows.push({ label: t.phone, text: phone, html: dial ? dialHtml(dial) : escapeHtml(phone) });
  }
  if (email) {
    const mail = tapLink(`mailto:${email}`, email);
    rows.push(
      phone
        ? { label: t.email, text: email, html: mail }
        : {
            label: t.email,
            text: `${t.noPhone} ${email}`,
            html: `<span style="font-weight:normal">${escapeHtml(t.noPhone)}</span> ${mail}`,
          },
    );
  }
  return rows;
}

/** How to reach the lead, under the headline: a light box of labelled links, each a thumb's tap. */
function reachHtml(rows: readonly ReachRow[]): string {
  if (rows.length === 0) return '';
  const cells = rows
    .map(
      (row) =>
        `<tr><td style="padding:2px 14px"><div style="font-size:13px;color:#555555">${escapeHtml(row.label)}</div><div style="font-size:18px;font-weight:bold;color:#1a1a1a;word-break:break-word">${row.html}</div></td></tr>`,
    )
    .join('');
  return `<table role="presentation" width="100%" cellpadding="0" cellspacing="0" style="border-collapse:separate;margin:0 0 16px;background:#eef4fb;border-radius:8px"><tr><td style="padding:6px 0"><table role="presentation" width="100%" cellpadding="0" cellspacing="0">${cells}</table></td></tr></table>`;
}

/** a run of Arabic words (spaces between them only) inside a sentence of another language */
const ARABIC_RUN = /\p{Script=Arabic}+(?:[ \u00a0]+\p{Script=Arabic}+)*/gu;

/**
 * `text` escaped, each run of Arabic words in it isolated and marked Arabic (`<bdi lang="ar">`): an English
 * sentence quoting an Arabic job title is read with an Arabic voice for those words (WCAG 3.1.2), and its quote
 * marks and numbers stay where the sentence put them. Text of Arabic alone, or none, as it is.
 */
function withArabicRuns(text: string): string {
  if (writtenIn(text, 'ar') || text.search(ARABIC_RUN) === -1) return escapeHtml(text);
  let html = '';
  let at = 0;
  for (const match of text.matchAll(ARABIC_RUN)) {
    html += `${escapeHtml(text.slice(at, match.index))}<bdi lang="ar">${escapeHtml(match[0])}</bdi>`;
    at = match.index + match[0].length;
  }
  return html + escapeHtml(text.slice(at));
}

/**
 * The one-column page every email uses, in the reader's language and direction (`lang`, `dir`);
 * `footer` is HTML (already escaped by the caller).
 */
function page(v: Voice, title: string, preheader: string | undefined, body: string, footer: string): string {
  const hidden = preheader
    ? `<div style="display:none;max-height:0;overflow:hidden;opacity:0">${escapeHtml(preheader)}</div>`
    : '';
  const dir = textDirection(v.locale);
  const align = dir === 'rtl' ? 'right' : 'left';
  return (
    `<!DOCTYPE html><html lang="${escapeHtml(v.locale)}" dir="${dir}"><head><meta charset="utf-8">` +
    '<meta name="viewport" content="width=device-width, initial-scale=1">' +
    `<title>${escapeHtml(title)}</title></head>` +
    '<body style="margin:0;padding:0;background:#f2f4f7">' +
    hidden +
    '<table role="presentation" width="100%" cellpadding="0" cellspacing="0" style="background:#f2f4f7"><tr><td align="center" style="padding:16px 8px">' +
    '<table role="presentation" width="100%" cellpadding="0" cellspacing="0" style="max-width:600px;background:#ffffff;border-radius:8px">' +
    `<tr><td dir="${dir}" style="padding:20px 18px;text-align:${align};font-family:-apple-system,Segoe UI,Roboto,Helvetica,Arial,sans-serif;font-size:16px;line-height:1.5;color:#1a1a1a;word-break:break-word">${body}</td></tr>` +
    `<tr><td dir="${dir}" style="padding:14px 18px 20px;text-align:${align};font-family:-apple-system,Segoe UI,Roboto,Helvetica,Arial,sans-serif;font-size:13px;line-height:1.5;color:#555555;border-top:1px solid #eeeeee">${footer}</td></tr>` +
    '</table></td></tr></table></body></html>'
  );
}

function linkFooter(options: ReminderOptions, v: Voice): string {
  return v.t.linkFooter(options.linksExpireAt ? v.full(options.linksExpireAt) : undefined);
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

/** At most `max` characters as a reader counts them: never splits a surrogate pair, an accent or an emoji. */
function cut(text: string, max: number): string {
  if (text.length <= max) return text;
  let kept = '';
  let count = 0;
  for (const { segment } of graphemes(text)) {
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
