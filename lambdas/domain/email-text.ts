/**
 * LeadPact's own words in its emails, per shipped language (locale.ts SHIPPED_LANGUAGES): labels,
 * headings, subjects and sentences around the data. The SLA's own text (names, nurture templates)
 * comes from the SLA; this file holds only what LeadPact writes itself. Numbers and dates arrive
 * already formatted for the locale (email-templates.ts, Intl).
 *
 * Pure: data and string functions only.
 */
import type { Channel } from './cadence.ts';
import type { DurationUnit } from './duration.ts';
import { isolated, type ShippedLanguage } from './locale.ts';

export interface EmailText {
  readonly unnamedLead: string;
  readonly who: string;
  readonly name: string;
  readonly company: string;
  readonly jobTitle: string;
  readonly phone: string;
  readonly email: string;
  /** how to reach a lead who gave no phone, before the address: "No phone given: write to" */
  readonly noPhone: string;
  readonly country: string;
  readonly message: string;
  /** the lead's language, so the rep can answer in it */
  readonly language: string;
  readonly whyQualified: string;
  readonly score: string;
  readonly fitTier: string;
  readonly leadType: string;
  readonly persona: string;
  readonly journeyStage: string;
  readonly someone: string;
  /** "Plant Manager at a food and beverage company of 850 people in Germany, asked for a demo." */
  summary(parts: {
    who: string;
    industry?: string;
    company?: string;
    people?: string;
    /** the number `people` formats: a language's plural picks the noun's form by it */
    headcount?: number;
    country?: string;
    did: readonly string[];
  }): string;
  /** what an engagement event says about the lead, or undefined to leave it out */
  did(event: string): string | undefined;
  journeyStageName(stage: string): string;
  channel(channel: string): string;
  buttonsNote: string;
  linksNote: string;
  linkFooter(expiry: string | undefined): string;
  /** the footer of an email with no action link (its only link, if any, a console page) */
  plainFooter: string;
  businessHours(hours: number, formatted: string): string;
  businessMinutes(minutes: number, formatted: string): string;
  days(days: number, formatted: string): string;
  /** a duration of the SLA in words: "5 business days", "1 week", "4 hours" */
  span(amount: number, unit: DurationUnit, business: boolean, formatted: string): string;
  /** an out-of-office period, its days already in the reader's words: "Mon 21 Dec 2026 to Sun 3 Jan 2027" */
  dateRange(from: string, to: string): string;
  /** a due time on the reader's next day, the time already in their words: "tomorrow 14:00 CET" */
  tomorrowAt(time: string): string;
  /** the reader is told in place of a manager out of office (ADR 0048): whose place, until when */
  standIn(manager: string, until: string): string;

  sqlAssigned: {
    subject(title: string, due: string): string;
    preheader(due: string): string;
    heading(name: string): string;
    callout(due: string): string;
    intro(rep: string, sla: string): string;
    /** the links' heading; `channel`: the one they log the first touch with, named as an attempt made so */
    links(channel: Channel | undefined): string;
  };
  attemptDue: {
    subject(step: string, of: string, title: string, channel: string, due: string): string;
    preheader(step: string, of: string, channel: string, due: string): string;
    heading(step: string, of: string, name: string): string;
    callout(channel: string, due: string): string;
    /**
     * A call or text step to a lead who gave no phone (cadence.ts needsANumber): the rep is told to write by the
     * time instead, in the subject, the preheader and the callout, never to phone (the body: "No phone given:
     * write to ..."); the step stays the cadence's call (ADR 0079)
     */
    subjectWrite(step: string, of: string, title: string, due: string): string;
    preheaderWrite(step: string, of: string, due: string): string;
    calloutWrite(due: string): string;
    intro(note: string): string;
    /** fewer attempts logged than steps before this one: the schedule moved on without them */
    /** `count` attempts logged (`logged` as the reader writes the number) of `of` steps */
    behind(count: number, logged: string, of: string): string;
    links: string;
  };
  firstTouchOverdue: {
    subjectDueNow(title: string): string;
    subjectLate(title: string, late: string): string;
    preheaderDueNow: string;
    preheaderLate(late: string): string;
    headingDueNow(name: string): string;
    headingLate(name: string): string;
    calloutDueNow(due: string): string;
    calloutLate(late: string, due: string): string;
    /** the links' heading; `channel`: the one they log the first touch with, named as an attempt made so */
    links(channel: Channel | undefined): string;
  };
  /**
   * What the first-touch ladder does next if no first touch is logged (email-templates.ts ladderAheadText), its
   * times in full: to the owner (overdue reminder, their copy of an escalation) and the manager (reassigned only)
   */
  ladderAhead: {
    managerTold(at: string): string;
    reassigned(at: string): string;
    managerToldThenReassigned(managerAt: string, reassignAt: string): string;
  };
  managerEscalation: {
    subject(title: string, owner: string, late: string): string;
    preheader(late: string): string;
    heading(name: string): string;
    callout(owner: string, late: string, due: string): string;
    intro(manager: string, sla: string, owner: string): string;
    /** the intro of the owner's own copy, whose links are theirs */
    ownersCopy(owner: string, sla: string, manager: string): string;
    /** the links' heading (they act for the owner); `channel`: the one they log the first touch with */
    links(channel: Channel | undefined): string;
  };
  reassignedToYou: {
    subject(title: string, due: string | undefined): string;
    preheader(from: string | undefined): string;
    heading(name: string): string;
    callout(due: string): string;
    intro(rep: string, from: string | undefined, reason: string | undefined): string;
  };
  reassignedAway: {
    subject(title: string, owner: string): string;
    preheader(owner: string): string;
    heading(name: string): string;
    callout(owner: string): string;
    intro(rep: string, reason: string | undefined): string;
    footer: string;
  };
  /** why the workflow moved a lead between people (domain/handover-cause.ts) */
  handover: {
    overdue(hours: string | undefined): string;
    ownerLeft(owner: string): string;
    /**
     * `touchedLate`: a rep the ladder passed it from did make a first touch, logged after that (ADR 0089): the
     * reassignments were for none logged in time
     */
    ladderDone(times: number, formatted: string, touchedLate: boolean): string;
    ownerMissing(owner: string, slaVersion: string, noRep: boolean): string;
    /**
     * `from`, `to`: the absence's first and last day, in words; `step`: the attempt due, undefined for the first
     * touch; `noRep`: nobody present can take the lead; `hadItBefore`: only reps who had it since its handoff can
     */
    ownerAway(
      owner: string,
      from: string,
      to: string,
      step: string | undefined,
      noRep: boolean,
      hadItBefore: boolean,
    ): string;
    noOtherRep(owner: string): string;
    noManager(owner: string): string;
    /** `queue`: its name; undefined for the queue of all reps (no queue fits the lead) */
    nobodyFree(queue: string | undefined): string;
    /** `by`: who gave the lead (their name), undefined for ops' API key; `note`: their words */
    manual(by: string | undefined, note: string | undefined): string;
    needsOwner: string;
    noFirstTouch(reps: number, formatted: string): string;
    /**
     * some reps who had the lead since its handoff made a first touch (ADR 0089): `none` of the `of` reps made none
     * (0: each did, the current owner before it came back to them); `names`: those who did, as a list in the
     * reader's language, `many`: more than one; `noneN` and `ofN` the counts in the reader's digits
     */
    someTouched(none: number, noneN: string, of: number, ofN: string, names: string, many: boolean): string;
  };
  managerTakeover: {
    subject(title: string, headline: string): string;
    /** the owner's own copy: the lead went to `manager` to decide, not to the reader */
    ownersCopySubject(title: string, headline: string, manager: string): string;
    preheader(headline: string): string;
    heading(name: string): string;
    ownersCopyHeading(name: string, manager: string): string;
    wasDue(due: string): string;
    staysWith(owner: string): string;
    nobody: string;
    intro(manager: string, sla: string, why: string, stays: string): string;
    /** the intro of the owner's own copy, whose links are theirs */
    ownersCopy(owner: string, sla: string, why: string, manager: string): string;
    whoHadIt: string;
    /** the link to the lead's console page, for a lead nobody owns */
    decide: string;
    openInConsole: string;
    /** the plain link to the lead's console page beside the outcome links: where the manager gives it to a rep (ADR 0088) */
    openLead: string;
    /** "still over to you" (ADR 0085): a reminder of the takeover, to the manager; `since` when it came to them */
    stillSubject(title: string, headline: string): string;
    stillPreheader(since: string): string;
    stillHeading(name: string): string;
    stillIntro(manager: string, sla: string, since: string, stays: string): string;
    /** a sentence after the intro: the cadence recycles the lead at `at` if no first touch is logged by then */
    recycledBy(at: string): string;
  };
  leadRecycled: {
    whatBreach(logged: string, of: string): string;
    whatDone(logged: string): string;
    subjectBreach(title: string, logged: string, of: string): string;
    subjectDone(title: string, logged: string): string;
    headingBreach(name: string): string;
    headingDone(name: string): string;
    back(until: string): string;
    intro(to: string, owner: string | undefined, sla: string, breach: boolean, back: string): string;
    /** the copied manager stands in for one out of office (ADR 0048): a sentence after the intro */
    copied(deputy: string, manager: string, until: string): string;
    footer: string;
  };
  staleDeal: {
    stage: string;
    since: string;
    deal: string;
    amount: string;
    subject(title: string, stage: string, days: string): string;
    preheader(stage: string, days: string): string;
    heading(name: string): string;
    callout(stage: string, days: string): string;
    intro: string;
    links: string;
    /**
     * the owner is out of office (ADR 0043, amended): the reminder goes to the manager who covers for them;
     * `away` the period ("Mon 21 Dec 2026 to Sun 3 Jan 2027"), `until` its last day
     */
    owner: string;
    outOfOffice: string;
    coveringSubject(title: string, owner: string, until: string): string;
    coveringPreheader(stage: string, days: string, owner: string): string;
    coveringIntro(manager: string, owner: string, away: string): string;
    coveringLinks: string;
  };
  /** connected, no deal within contact.decideWithin: the owner's reminder and the manager's copy */
  decideDue: {
    decision: string;
    connected: string;
    ownerSince: string;
    owner: string;
    reminder: string;
    /** who connected, in calloutHandedOver, for the owner's own email */
    you: string;
    subject(title: string, ago: string): string;
    preheader(ago: string): string;
    heading(name: string): string;
    /** "You connected with Petra Schmidt (Kessler) on Mon 30 Nov 2026, 10:00 CET, 5 business days ago; no deal yet." */
    callout(title: string, on: string, ago: string): string;
    /** the owner got the lead after it was connected: `owner` ("you", or their name) has had it for `ago` */
    calloutHandedOver(title: string, on: string, owner: string, ago: string): string;
    /**
     * `manager`: the name of the one copied, once someone is; `theirs`: that is the owner's own manager (not
     * a queue's manager, ops, or a deputy standing in for an away manager: ADR 0048)
     */
    intro(rep: string, sla: string, within: string, manager: string | undefined, theirs?: boolean): string;
    links: string;
    managerSubject(title: string, owner: string, ago: string): string;
    managerPreheader(owner: string, ago: string): string;
    managerCallout(owner: string, title: string, on: string, ago: string): string;
    managerIntro(manager: string, owner: string, sla: string, within: string, n: string): string;
    managerLinks: string;
    /** the owner is out of office (ADR 0043, amended): the reminder goes to the manager who covers for them */
    outOfOffice: string;
    coveringSubject(title: string, owner: string, until: string): string;
    coveringPreheader(owner: string, ago: string): string;
    coveringIntro(manager: string, owner: string, away: string, sla: string, within: string): string;
  };
  nurture: {
    footer(sender: string): string;
    unsubscribe: string;
    greeting: string;
    /** the links to the sender's privacy notice and imprint (nurture.privacyUrl, imprintUrl) */
    privacy: string;
    imprint: string;
  };
  /** double opt-in: the one email that asks a person to confirm their subscription */
  /** the console's sign-in link (lambdas/api/console/sign-in.ts) */
  signIn: {
    subject: string;
    hello(name: string): string;
    intro(slaName: string): string;
    button: string;
    /** "Sign in: <url>" in the text part: the label before the link */
    linkLabel: string;
    expiry(minutes: number): string;
  };
  consent: {
    /** the greeting: no name (the form that gave it is unconfirmed, and anyone can post it) */
    readonly hello: string;
    subject(sender: string): string;
    intro(sender: string): string;
    /**
     * when the box was ticked and on which of the SLA's forms (never the posted page URL: anyone can post any),
     * so a person asked days later (a lead that went to sales first) knows what this is about
     */
    given(when: string, form: string | undefined): string;
    /** how long the button works */
    expires(days: string): string;
    button: string;
    agreed(text: string): string;
    ignore: string;
  };
}

const EVENTS_EN: Readonly<Record<string, string>> = {
  demo_request: 'asked for a demo',
  quote_request: 'asked for a quote',
  pricing_page_view: 'read the prices',
  webinar_attended: 'attended a webinar',
  content_download: 'downloaded content',
  form_submission: 'filled in a form',
  email_click: 'clicked a link in an email',
  page_view: 'visited the website',
};

const EVENTS_AR: Readonly<Record<string, string>> = {
  demo_request: 'طلب عرضًا توضيحيًا',
  quote_request: 'طلب عرض سعر',
  pricing_page_view: 'اطّلع على الأسعار',
  webinar_attended: 'حضر ندوة عبر الإنترنت',
  content_download: 'نزّل محتوى',
  form_submission: 'ملأ نموذجًا',
  email_click: 'نقر رابطًا في رسالة',
  page_view: 'زار الموقع',
};

const list = (items: readonly string[], and: string, comma: string) =>
  items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(comma)}${and}${items[items.length - 1]}`;

/** A first touch made by a channel, after "your first": "call" ("Log the outcome of your first call"). */
const FIRST_TOUCH_EN: Readonly<Record<Channel, string>> = {
  phone: 'call',
  email: 'email',
  linkedin: 'LinkedIn message',
  sms: 'SMS',
  video: 'video call',
};

const en: EmailText = {
  unnamedLead: 'Unnamed lead',
  who: 'Who',
  name: 'Name',
  company: 'Company',
  jobTitle: 'Job title',
  phone: 'Phone',
  email: 'Email',
  noPhone: 'No phone given: write to',
  country: 'Country',
  message: 'Message',
  language: 'Language',
  whyQualified: 'Why they qualified',
  score: 'Score',
  fitTier: 'Fit tier',
  leadType: 'Lead type',
  persona: 'Persona',
  journeyStage: 'Journey stage',
  someone: 'Someone',
  summary({ who, industry, company, people, country, did }) {
    const at = industry ? ` at a ${industry} company` : company ? ` at ${company}` : '';
    const size = people ? `${at ? ' of' : ' at a company of'} ${people} people` : '';
    const where = country ? ` in ${country}` : '';
    const acts = did.length > 0 ? `, ${list(did, ' and ', ', ')}` : '';
    return `${who}${at}${size}${where}${acts}.`;
  },
  did: (event) => EVENTS_EN[event],
  journeyStageName: (stage) => {
    const words = stage.replace(/[-_]+/g, ' ');
    return words.charAt(0).toUpperCase() + words.slice(1);
  },
  channel: (channel) => (channel === 'linkedin' ? 'LinkedIn' : channel === 'sms' ? 'SMS' : channel),
  buttonsNote: 'Each button opens a confirmation page first.',
  linksNote: 'each link opens a confirmation page',
  linkFooter: (expiry) =>
    `Sent by LeadPact. Each action link works once${expiry ? ` and expires ${expiry}` : ''}; forward this email only to someone who may act on the lead.`,
  plainFooter: 'Sent by LeadPact. Forward this email only to someone who may see the lead.',
  businessHours: (hours, n) => `${n} business ${hours === 1 ? 'hour' : 'hours'}`,
  businessMinutes: (minutes, n) => `${n} business ${minutes === 1 ? 'minute' : 'minutes'}`,
  days: (days, n) => `${n} ${days === 1 ? 'day' : 'days'}`,
  span: (amount, unit, business, n) => {
    const word = { minutes: 'minute', hours: 'hour', days: 'day', weeks: 'week' }[unit];
    return `${n} ${business ? 'business ' : ''}${word}${amount === 1 ? '' : 's'}`;
  },
  dateRange: (from, to) => `${from} to ${to}`,
  tomorrowAt: (time) => `tomorrow ${time}`,
  standIn: (manager, until) => `You get this in place of ${manager}, who is out of office until ${until}.`,
  sqlAssigned: {
    subject: (title, due) => `New SQL: ${title} - first touch by ${due}`,
    preheader: (due) => `First touch due by ${due}`,
    heading: (name) => `New SQL: ${name}`,
    callout: (due) => `First touch due by ${due}`,
    intro: (rep, sla) => `${rep}, this lead is yours under the SLA "${sla}".`,
    links: (channel) => `Log the outcome of your first ${channel ? FIRST_TOUCH_EN[channel] : 'touch'}`,
  },
  attemptDue: {
    subject: (step, of, title, channel, due) => `Attempt ${step}/${of}: ${title} - ${channel} by ${due}`,
    preheader: (step, of, channel, due) => `Attempt ${step} of ${of} (${channel}) due by ${due}`,
    heading: (step, of, name) => `Attempt ${step} of ${of}: ${name}`,
    callout: (channel, due) => `${channel.charAt(0).toUpperCase()}${channel.slice(1)} attempt due by ${due}`,
    subjectWrite: (step, of, title, due) => `Attempt ${step}/${of}: ${title} - write by ${due}`,
    preheaderWrite: (step, of, due) => `Attempt ${step} of ${of} due by ${due}: no phone given, so write`,
    calloutWrite: (due) => `Write by ${due} (no phone given)`,
    intro: (note) => `From the cadence: ${note}`,
    behind: (count, logged, of) =>
      `${count === 0 ? 'No attempt is logged yet' : `Only ${logged} of ${of} attempts ${count === 1 ? 'is' : 'are'} logged`}: the cadence keeps its schedule, so this is the step due now. Log each attempt you make, the earlier ones too (with the time you made them).`,
    links: 'Log the outcome of this attempt',
  },
  firstTouchOverdue: {
    subjectDueNow: (title) => `Due now: ${title} - first touch`,
    subjectLate: (title, late) => `Overdue: ${title} - first touch ${late} late`,
    preheaderDueNow: 'The first touch is due now',
    preheaderLate: (late) => `First touch overdue by ${late}`,
    headingDueNow: (name) => `First touch due now: ${name}`,
    headingLate: (name) => `First touch overdue: ${name}`,
    calloutDueNow: (due) => `Due by ${due}: now`,
    calloutLate: (late, due) => `Overdue by ${late} (it was due by ${due})`,
    links: (channel) => `Log the outcome of your first ${channel ? FIRST_TOUCH_EN[channel] : 'touch'}`,
  },
  ladderAhead: {
    managerTold: (at) => `Your manager is told at ${at} if no first touch is logged by then.`,
    reassigned: (at) =>
      `The lead is reassigned to the next rep at ${at} if no first touch is logged by then.`,
    managerToldThenReassigned: (managerAt, reassignAt) =>
      `If no first touch is logged, your manager is told at ${managerAt} and the lead is reassigned to the next rep at ${reassignAt}.`,
  },
  managerEscalation: {
    subject: (title, owner, late) => `Escalation: ${title} - ${owner}, ${late} late`,
    preheader: (late) => `No first touch yet: ${late} past the SLA`,
    heading: (name) => `Escalation: ${name}`,
    callout: (owner, late, due) => `No first touch by ${owner}: overdue by ${late} (due by ${due})`,
    intro: (manager, sla, owner) =>
      `${manager}, the SLA "${sla}" escalates this lead to you. ${owner} gets a copy of their own.`,
    ownersCopy: (owner, sla, manager) =>
      `${owner}, the SLA "${sla}" escalates this lead to ${manager}; this is your copy. What you log below is logged as yours.`,
    links: (channel) =>
      channel
        ? `Log the outcome of the first ${FIRST_TOUCH_EN[channel]} (for the owner)`
        : 'Log the outcome (for the owner)',
  },
  reassignedToYou: {
    subject: (title, due) => `Reassigned to you: ${title}${due ? ` - first touch by ${due}` : ''}`,
    preheader: (from) => `Reassigned to you${from ? ` from ${from}` : ''}`,
    heading: (name) => `Reassigned to you: ${name}`,
    callout: (due) => `First touch due by ${due}`,
    intro: (rep, from, reason) =>
      `${rep}, this lead was reassigned to you${from ? ` from ${from}` : ''}${reason ? `: ${reason}` : ''}.`,
  },
  reassignedAway: {
    subject: (title, owner) => `Reassigned: ${title} - now with ${owner}`,
    preheader: (owner) => `Now with ${owner}`,
    heading: (name) => `Reassigned: ${name}`,
    callout: (owner) => `This lead is now with ${owner}.`,
    intro: (rep, reason) => `${rep}, you no longer need to act on this lead${reason ? `: ${reason}` : ''}.`,
    footer: 'Links in earlier emails about this lead no longer act on it: it is with its new owner now.',
  },
  handover: {
    overdue: (hours) => (hours ? `the first touch was ${hours} overdue` : 'the first touch was overdue'),
    ownerLeft: (owner) => `${owner} is no longer in the SLA`,
    ladderDone: (times, n, touchedLate) =>
      `it was reassigned ${times === 1 ? 'once' : `${n} times`} ${touchedLate ? 'with no first touch logged in time' : 'without a first touch'}, the most the SLA allows`,
    ownerMissing: (owner, version, noRep) =>
      `the owner "${owner}" is not in SLA ${version}${noRep ? ' and no rep of the queue can take the lead' : ''}`,
    ownerAway: (owner, from, to, step, noRep, hadItBefore) =>
      `${owner} is out of office from ${from} to ${to}, when ${step === undefined ? 'the first touch' : `attempt ${step}`} falls due${noRep ? ', and nobody present in the queue can take the lead' : ''}${hadItBefore ? ', and nobody present in the queue who has not had the lead since its handoff can take it' : ''}`,
    noOtherRep: (owner) => `no other rep of the queue can take the lead from ${owner}`,
    noManager: (owner) => `${owner} has no manager in this SLA`,
    nobodyFree: (queue) =>
      `nobody ${queue ? `in ${queue} ` : ''}can take it now (out of office or at capacity); LeadPact tries again every hour and gives it to the first rep who can`,
    manual: (by, note) => `${by ?? 'sales operations'} decided so${note ? ` ("${note}")` : ''}`,
    needsOwner: 'the lead needs an owner',
    noFirstTouch: (reps, n) => (reps > 1 ? `no first touch after ${n} reps` : 'no first touch'),
    someTouched: (none, noneN, _of, ofN, names) =>
      none > 0
        ? `${noneN} of ${ofN} reps made no first touch; ${names} did`
        : `no first touch since it was last handed over; ${names} had made one`,
  },
  managerTakeover: {
    subject: (title, headline) => `Over to you: ${title} - ${headline}`,
    ownersCopySubject: (title, headline, manager) => `Over to ${manager}: ${title} - ${headline}`,
    preheader: (headline) => `The SLA cannot place this lead: ${headline}`,
    heading: (name) => `Over to you: ${name}`,
    ownersCopyHeading: (name, manager) => `Over to ${manager}: ${name}`,
    wasDue: (due) => ` (first touch was due by ${due})`,
    staysWith: (owner) =>
      `It stays with ${owner} until you decide who works it; the links below act for ${owner}.`,
    nobody: 'Nobody in the SLA owns it now: please decide who works it.',
    intro: (manager, sla, why, stays) =>
      `${manager}, the SLA "${sla}" hands this lead to you: ${why}. ${stays}`,
    ownersCopy: (owner, sla, why, manager) =>
      `${owner}, the SLA "${sla}" hands this lead to ${manager}: ${why}. It stays with you until ${manager} decides who works it; this is your copy, and what you log below is logged as yours.`,
    whoHadIt: 'Who had it',
    decide: 'Decide who works it',
    openInConsole: 'Give the lead to a rep in the console',
    openLead: 'Open the lead in the console',
    stillSubject: (title, headline) => `Still over to you: ${title} - ${headline}`,
    stillPreheader: (since) => `Yours to decide since ${since}; no first touch is logged yet`,
    stillHeading: (name) => `Still over to you: ${name}`,
    stillIntro: (manager, sla, since, stays) =>
      `${manager}, the SLA "${sla}" handed this lead to you on ${since}, and no first touch has been logged since. ${stays}`,
    recycledBy: (at) =>
      ` If none is logged by ${at}, the lead goes back to marketing, counted as a breach of the SLA.`,
  },
  leadRecycled: {
    whatBreach: (logged, of) => `Cadence expired with ${logged} of ${of} attempts logged, no connection`,
    whatDone: (of) => `All ${of} attempts logged, no connection`,
    subjectBreach: (title, logged, of) => `SLA breach: ${title} recycled - ${logged} of ${of} attempts`,
    subjectDone: (title, of) => `Recycled: ${title} - ${of} attempts, no connection`,
    headingBreach: (name) => `SLA breach, recycled: ${name}`,
    headingDone: (name) => `Recycled: ${name}`,
    back: (until) => ` It may come back to sales after ${until}, on new interest.`,
    intro: (to, owner, sla, breach, back) =>
      `${to}, ${owner ? `${owner}'s lead` : 'this lead'} went back to marketing under the SLA "${sla}".` +
      (breach ? ' It counts as a breach of the SLA: attempts were missing.' : '') +
      back,
    copied: (deputy, manager, until) =>
      ` ${deputy} is copied in place of ${manager}, who is out of office until ${until}.`,
    footer: 'Sent by LeadPact. Links in earlier emails about this lead no longer act on it.',
  },
  staleDeal: {
    stage: 'Stage',
    since: 'In stage since',
    deal: 'Deal',
    amount: 'Amount',
    subject: (title, stage, days) => `Stale deal: ${title} - ${stage} for ${days}`,
    preheader: (stage, days) => `${stage} for ${days}: move it on or close it`,
    heading: (name) => `Stale deal: ${name}`,
    callout: (stage, days) => `In ${stage} for ${days}`,
    intro: 'Move the deal to where it stands, so the forecast and the SLA reports stay true.',
    links: 'Move the deal',
    owner: 'Owner',
    outOfOffice: 'Out of office',
    coveringSubject: (title, owner, until) => `Stale deal: ${title} - ${owner} is away until ${until}`,
    coveringPreheader: (stage, days, owner) =>
      `${stage} for ${days}, and ${owner} is away: move it on for them`,
    coveringIntro: (manager, owner, away) =>
      `${manager}, ${owner} is out of office from ${away}, so this reminder about their deal comes to you instead. Move the deal to where it stands for ${owner}, so the forecast and the SLA reports stay true, or leave it until they are back: the deal stays theirs.`,
    coveringLinks: 'Move the deal (for the owner)',
  },
  decideDue: {
    decision: 'Connected, no deal yet',
    connected: 'Connected on',
    ownerSince: 'Yours since',
    owner: 'Owner',
    reminder: 'Reminder',
    you: 'you',
    subject: (title, ago) => `No deal yet: ${title} - connected ${ago} ago`,
    preheader: (ago) => `Connected ${ago} ago: open a deal, or close the lead`,
    heading: (name) => `No deal yet: ${name}`,
    callout: (title, on, ago) => `You connected with ${title} on ${on}, ${ago} ago; no deal yet.`,
    calloutHandedOver: (title, on, owner, ago) =>
      `${title} was connected on ${on}; ${owner === 'you' ? 'you have' : `${owner} has`} had the lead for ${ago}; no deal yet.`,
    intro: (rep, sla, within, manager, theirs) =>
      `${rep}, the SLA "${sla}" asks for a decision within ${within} of a connect: open a deal, or close the lead as not now or unqualified.` +
      (manager
        ? ` ${manager}${theirs ? ', your manager,' : ''} gets a copy of this reminder.`
        : ' From the next reminder on, your manager gets a copy.'),
    links: 'Decide',
    managerSubject: (title, owner, ago) => `No deal yet: ${title} - ${owner}'s lead, connected ${ago} ago`,
    managerPreheader: (owner, ago) => `${owner}'s lead: connected ${ago} ago, no deal yet`,
    managerCallout: (owner, title, on, ago) =>
      `${owner} connected with ${title} on ${on}, ${ago} ago; no deal yet.`,
    managerIntro: (manager, owner, sla, within, n) =>
      `${manager}, this is ${owner}'s lead. The SLA "${sla}" asks for a deal, or the lead closed, within ${within} of a connect; ${owner} has had reminder ${n} and you get this copy.`,
    managerLinks: 'Decide (for the owner)',
    outOfOffice: 'Out of office',
    coveringSubject: (title, owner, until) => `No deal yet: ${title} - ${owner} is away until ${until}`,
    coveringPreheader: (owner, ago) => `${owner}'s lead, connected ${ago} ago, no deal yet; ${owner} is away`,
    coveringIntro: (manager, owner, away, sla, within) =>
      `${manager}, ${owner} is out of office from ${away}, so this reminder about their lead comes to you instead. The SLA "${sla}" asks for a deal, or the lead closed, within ${within} of a connect. Decide for ${owner} with the links below, or leave it until they are back: the lead stays theirs.`,
  },
  nurture: {
    footer: (sender) => `You get this email from ${sender} because you asked us for information.`,
    unsubscribe: 'Unsubscribe',
    greeting: 'Hello',
    privacy: 'Privacy policy',
    imprint: 'Imprint',
  },
  signIn: {
    subject: 'Your LeadPact sign-in link',
    hello: (name) => `Hello ${name},`,
    intro: (slaName) => `Sign in to the LeadPact console (${slaName}).`,
    button: 'Sign in',
    linkLabel: 'Sign in',
    expiry: (minutes) =>
      `The link works once, for ${minutes} minutes. If you did not ask for it, ignore this email.`,
  },
  consent: {
    hello: 'Hello,',
    subject: (sender) => `Please confirm your subscription to ${sender}`,
    intro: (sender) => `You asked to hear from ${sender}. Please confirm, so we know it was you.`,
    given: (when, form) => `The request was made on ${when}${form ? `, on the form "${form}"` : ''}.`,
    expires: (days) => `The button works for ${days} days.`,
    button: 'Confirm my subscription',
    agreed: (text) => `What you agreed to: "${text}"`,
    ignore: 'If you did not ask for this, ignore this email: we will send you no marketing email.',
  },
};

/** Arabic plural of counted nouns: 1, 2, 3-10, 11+ (Intl.PluralRules picks the form). */
const arabicPlural = new Intl.PluralRules('ar');
const arCount = (n: number, formatted: string, forms: Record<Intl.LDMLPluralRule, string>) =>
  forms[arabicPlural.select(n)].replace('#', formatted);

/** Arabic plural forms of a count of reps (`#` is the number). */
const AR_REPS: Record<Intl.LDMLPluralRule, string> = {
  zero: '# مندوب',
  one: 'مندوب واحد',
  two: 'مندوبَين',
  few: '# مندوبين',
  many: '# مندوبًا',
  other: '# مندوب',
};

/** Arabic plural forms of a span of time (`#` is the number), plain and in business units: one table for every text. */
const AR_SPANS: Record<string, Record<Intl.LDMLPluralRule, string>> = {
  minutes: {
    zero: '# دقيقة',
    one: 'دقيقة واحدة',
    two: 'دقيقتان',
    few: '# دقائق',
    many: '# دقيقة',
    other: '# دقيقة',
  },
  hours: {
    zero: '# ساعة',
    one: 'ساعة واحدة',
    two: 'ساعتان',
    few: '# ساعات',
    many: '# ساعة',
    other: '# ساعة',
  },
  days: { zero: '# يوم', one: 'يوم واحد', two: 'يومان', few: '# أيام', many: '# يومًا', other: '# يوم' },
  weeks: {
    zero: '# أسبوع',
    one: 'أسبوع واحد',
    two: 'أسبوعان',
    few: '# أسابيع',
    many: '# أسبوعًا',
    other: '# أسبوع',
  },
};

const AR_BUSINESS: Record<string, Record<Intl.LDMLPluralRule, string>> = {
  minutes: {
    zero: '# دقيقة عمل',
    one: 'دقيقة عمل واحدة',
    two: 'دقيقتا عمل',
    few: '# دقائق عمل',
    many: '# دقيقة عمل',
    other: '# دقيقة عمل',
  },
  hours: {
    zero: '# ساعة عمل',
    one: 'ساعة عمل واحدة',
    two: 'ساعتا عمل',
    few: '# ساعات عمل',
    many: '# ساعة عمل',
    other: '# ساعة عمل',
  },
  days: {
    zero: '# يوم عمل',
    one: 'يوم عمل واحد',
    two: 'يوما عمل',
    few: '# أيام عمل',
    many: '# يوم عمل',
    other: '# يوم عمل',
  },
  weeks: {
    zero: '# أسبوع عمل',
    one: 'أسبوع عمل واحد',
    two: 'أسبوعا عمل',
    few: '# أسابيع عمل',
    many: '# أسبوع عمل',
    other: '# أسبوع عمل',
  },
};

/** A first touch made by a channel, after "نتيجة": "أول مكالمة" ("سجّل نتيجة أول مكالمة"). */
const FIRST_TOUCH_AR: Readonly<Record<Channel, string>> = {
  phone: 'أول مكالمة',
  email: 'أول رسالة بريد إلكتروني',
  linkedin: 'أول رسالة عبر لينكدإن',
  sms: 'أول رسالة نصية',
  video: 'أول مكالمة فيديو',
};

const ar: EmailText = {
  unnamedLead: 'عميل محتمل بلا اسم',
  who: 'من هو',
  name: 'الاسم',
  company: 'الشركة',
  jobTitle: 'المسمى الوظيفي',
  phone: 'الهاتف',
  email: 'البريد الإلكتروني',
  noPhone: 'لم يترك رقم هاتف: اكتب إلى',
  country: 'البلد',
  message: 'الرسالة',
  language: 'اللغة',
  whyQualified: 'لماذا تأهّل',
  score: 'النقاط',
  fitTier: 'فئة الملاءمة',
  leadType: 'نوع العميل المحتمل',
  persona: 'الشخصية',
  journeyStage: 'مرحلة رحلة المشتري',
  someone: 'شخص',
  summary({ who, industry, company, people, headcount, country, did }) {
    // "a company in the X sector": reads right whatever form the name takes (الأغذية والمشروبات, صناعات غذائية)
    const at = industry
      ? ` في شركة من قطاع ${isolated(industry)}`
      : company
        ? ` في ${isolated(company)}`
        : '';
    const staff =
      headcount === undefined
        ? `${people} موظف`
        : arCount(headcount, people ?? '', {
            zero: '# موظف',
            one: 'موظفًا واحدًا',
            two: 'موظفَين',
            few: '# موظفين',
            many: '# موظفًا',
            other: '# موظف',
          });
    const size = people ? `${at ? '' : ' في شركة'} تضم ${staff}` : '';
    const where = country ? ` في ${isolated(country)}` : '';
    const acts = did.length > 0 ? `، ${list(did, ' و', '، ')}` : '';
    return `${isolated(who)}${at}${size}${where}${acts}.`;
  },
  did: (event) => EVENTS_AR[event],
  journeyStageName: (stage) =>
    ({ awareness: 'الوعي', consideration: 'الدراسة', decision: 'القرار' })[stage] ?? stage,
  channel: (channel) =>
    ({
      phone: 'الهاتف',
      email: 'البريد الإلكتروني',
      linkedin: 'لينكدإن',
      sms: 'رسالة نصية',
      video: 'مكالمة فيديو',
    })[channel] ?? channel,
  buttonsNote: 'كل زر يفتح صفحة تأكيد أولًا.',
  linksNote: 'كل رابط يفتح صفحة تأكيد',
  linkFooter: (expiry) =>
    `أُرسلت من LeadPact. كل رابط إجراء يعمل مرة واحدة${expiry ? ` وتنتهي صلاحيته ${expiry}` : ''}؛ ولا تُعِد توجيه هذه الرسالة إلا إلى من يحق له التصرف في هذا العميل.`,
  plainFooter: 'أُرسلت من LeadPact. لا تُعِد توجيه هذه الرسالة إلا إلى من يحق له الاطلاع على هذا العميل.',
  businessHours: (hours, n) => arCount(hours, n, AR_BUSINESS.hours!),
  businessMinutes: (minutes, n) => arCount(minutes, n, AR_BUSINESS.minutes!),
  days: (days, n) => arCount(days, n, AR_SPANS.days!),
  span: (amount, unit, business, n) => arCount(amount, n, (business ? AR_BUSINESS : AR_SPANS)[unit]!),
  dateRange: (from, to) => `من ${from} إلى ${to}`,
  // after the time: the subjects' "قبل" (by) reads "قبل 14:00 غدًا", as Arabic says it ("قبل غدًا" is not)
  tomorrowAt: (time) => `${time} غدًا`,
  standIn: (manager, until) => `تصلك هذه الرسالة نيابةً عن ${isolated(manager)} (خارج المكتب حتى ${until}).`,
  sqlAssigned: {
    subject: (title, due) => `عميل مؤهل للمبيعات جديد: ${isolated(title)} - أول تواصل قبل ${due}`,
    preheader: (due) => `أول تواصل مستحق قبل ${due}`,
    heading: (name) => `عميل مؤهل للمبيعات جديد: ${isolated(name)}`,
    callout: (due) => `أول تواصل مستحق قبل ${due}`,
    intro: (rep, sla) =>
      `${isolated(rep)}، هذا العميل المحتمل مسند إليك بموجب اتفاقية مستوى الخدمة "${isolated(sla)}".`,
    links: (channel) => `سجّل نتيجة ${channel ? FIRST_TOUCH_AR[channel] : 'أول تواصل'}`,
  },
  attemptDue: {
    subject: (step, of, title, channel, due) =>
      `المحاولة ${step}/${of}: ${isolated(title)} - ${channel} قبل ${due}`,
    preheader: (step, of, channel, due) => `المحاولة ${step} من ${of} (${channel}) مستحقة قبل ${due}`,
    heading: (step, of, name) => `المحاولة ${step} من ${of}: ${isolated(name)}`,
    callout: (channel, due) => `محاولة عبر ${channel} مستحقة قبل ${due}`,
    subjectWrite: (step, of, title, due) => `المحاولة ${step}/${of}: ${isolated(title)} - اكتب قبل ${due}`,
    preheaderWrite: (step, of, due) =>
      `المحاولة ${step} من ${of} مستحقة قبل ${due}: لم يترك رقم هاتف، فاكتب إليه`,
    calloutWrite: (due) => `اكتب قبل ${due} (لم يترك رقم هاتف)`,
    intro: (note) => `من تسلسل التواصل: ${note}`,
    behind: (count, logged, of) =>
      `${count === 0 ? 'لم تُسجَّل أي محاولة بعد' : count === 1 ? `سُجّلت محاولة واحدة فقط من ${of}` : `سُجّلت ${logged} فقط من ${of} محاولات`}: يمضي التسلسل وفق جدوله، فهذه هي الخطوة المستحقة الآن. سجّل كل محاولة تقوم بها، والسابقة أيضًا (بوقتها الفعلي).`,
    links: 'سجّل نتيجة هذه المحاولة',
  },
  firstTouchOverdue: {
    subjectDueNow: (title) => `مستحق الآن: ${isolated(title)} - أول تواصل`,
    subjectLate: (title, late) => `متأخر: ${isolated(title)} - أول تواصل متأخر ${late}`,
    preheaderDueNow: 'أول تواصل مستحق الآن',
    preheaderLate: (late) => `أول تواصل متأخر ${late}`,
    headingDueNow: (name) => `أول تواصل مستحق الآن: ${isolated(name)}`,
    headingLate: (name) => `أول تواصل متأخر: ${isolated(name)}`,
    calloutDueNow: (due) => `مستحق قبل ${due}: الآن`,
    calloutLate: (late, due) => `متأخر ${late} (كان مستحقًا قبل ${due})`,
    links: (channel) => `سجّل نتيجة ${channel ? FIRST_TOUCH_AR[channel] : 'أول تواصل'}`,
  },
  ladderAhead: {
    managerTold: (at) => `يُبلَّغ مديرك في ${at} إن لم يُسجَّل أول تواصل حتى ذلك الحين.`,
    reassigned: (at) => `يُعاد إسناد العميل إلى المندوب التالي في ${at} إن لم يُسجَّل أول تواصل حتى ذلك الحين.`,
    managerToldThenReassigned: (managerAt, reassignAt) =>
      `إن لم يُسجَّل أول تواصل، يُبلَّغ مديرك في ${managerAt} ويُعاد إسناد العميل إلى المندوب التالي في ${reassignAt}.`,
  },
  managerEscalation: {
    subject: (title, owner, late) => `تصعيد: ${isolated(title)} - ${isolated(owner)}، متأخر ${late}`,
    preheader: (late) => `لا تواصل أول بعد: ${late} بعد موعد الاتفاقية`,
    heading: (name) => `تصعيد: ${isolated(name)}`,
    callout: (owner, late, due) => `لم يتواصل ${isolated(owner)} بعد: متأخر ${late} (كان مستحقًا قبل ${due})`,
    intro: (manager, sla, owner) =>
      `${isolated(manager)}، تصعّد اتفاقية مستوى الخدمة "${isolated(sla)}" هذا العميل المحتمل إليك. وتصل إلى ${isolated(owner)} نسخة خاصة به.`,
    ownersCopy: (owner, sla, manager) =>
      `${isolated(owner)}، تصعّد اتفاقية مستوى الخدمة "${isolated(sla)}" هذا العميل المحتمل إلى ${isolated(manager)}؛ هذه نسختك. ما تسجّله أدناه يُسجَّل باسمك.`,
    links: (channel) =>
      channel ? `سجّل نتيجة ${FIRST_TOUCH_AR[channel]} (نيابة عن المسؤول)` : 'سجّل النتيجة (نيابة عن المسؤول)',
  },
  reassignedToYou: {
    subject: (title, due) => `أُسند إليك: ${isolated(title)}${due ? ` - أول تواصل قبل ${due}` : ''}`,
    preheader: (from) => `أُسند إليك${from ? ` من ${isolated(from)}` : ''}`,
    heading: (name) => `أُسند إليك: ${isolated(name)}`,
    callout: (due) => `أول تواصل مستحق قبل ${due}`,
    intro: (rep, from, reason) =>
      `${isolated(rep)}، أُعيد إسناد هذا العميل المحتمل إليك${from ? ` من ${isolated(from)}` : ''}${reason ? `: ${reason}` : ''}.`,
  },
  reassignedAway: {
    subject: (title, owner) => `أُعيد الإسناد: ${isolated(title)} - الآن لدى ${isolated(owner)}`,
    preheader: (owner) => `الآن لدى ${isolated(owner)}`,
    heading: (name) => `أُعيد الإسناد: ${isolated(name)}`,
    callout: (owner) => `هذا العميل المحتمل الآن لدى ${isolated(owner)}.`,
    intro: (rep, reason) =>
      `${isolated(rep)}، لم يعد عليك التصرف في هذا العميل${reason ? `: ${reason}` : ''}.`,
    footer: 'لم تعد الروابط في الرسائل السابقة عن هذا العميل تعمل عليه: إنه الآن لدى مسؤوله الجديد.',
  },
  handover: {
    overdue: (hours) => (hours ? `تجاوز أول تواصل موعده بـ${hours}` : 'تجاوز أول تواصل موعده'),
    ownerLeft: (owner) => `${isolated(owner)} لم يعد ضمن الاتفاقية`,
    ladderDone: (times, n, touchedLate) =>
      `أُعيد إسناده ${arCount(times, n, { zero: '# مرة', one: 'مرة واحدة', two: 'مرتين', few: '# مرات', many: '# مرة', other: '# مرة' })} ${touchedLate ? 'دون أول تواصل مسجَّل في موعده' : 'دون أول تواصل'}، وهو أقصى ما تسمح به الاتفاقية`,
    ownerMissing: (owner, version, noRep) =>
      `المسؤول "${isolated(owner)}" غير موجود في الاتفاقية ${isolated(version)}${noRep ? ' ولا يستطيع أي مندوب في الطابور تولّي العميل' : ''}`,
    ownerAway: (owner, from, to, step, noRep, hadItBefore) =>
      `${isolated(owner)} في إجازة من ${from} إلى ${to}، حين يحين موعد ${step === undefined ? 'أول تواصل' : `المحاولة ${step}`}${noRep ? '، ولا يستطيع أي مندوب حاضر في الطابور تولّي العميل' : ''}${hadItBefore ? '، ولا يستطيع تولّيه من الحاضرين في الطابور إلا من سبق أن تولّاه منذ تسليمه' : ''}`,
    noOtherRep: (owner) => `لا يستطيع أي مندوب آخر في الطابور تولّي العميل بدلًا من ${isolated(owner)}`,
    noManager: (owner) => `لا مدير لـ${isolated(owner)} في هذه الاتفاقية`,
    nobodyFree: (queue) =>
      `لا يستطيع أحد${queue ? ` في ${isolated(queue)}` : ''} تولّيه الآن (في إجازة أو بلغ حدّه الأقصى من العملاء)؛ يعيد LeadPact المحاولة كل ساعة ويسنده إلى أول مندوب يستطيع ذلك`,
    manual: (by, note) => `بقرار من ${by ? isolated(by) : 'عمليات المبيعات'}${note ? ` («${note}»)` : ''}`,
    needsOwner: 'العميل يحتاج إلى مسؤول',
    noFirstTouch: (reps, n) => (reps > 1 ? `لا تواصل أول بعد ${arCount(reps, n, AR_REPS)}` : 'لا تواصل أول'),
    someTouched: (none, noneN, of, ofN, names) =>
      none > 0
        ? `لا تواصل أول من ${noneN} من أصل ${arCount(of, ofN, AR_REPS)}؛ تواصل معه ${isolated(names)}`
        : `لا تواصل أول منذ آخر تسليم؛ تواصل معه ${isolated(names)} قبل ذلك`,
  },
  managerTakeover: {
    subject: (title, headline) => `إليك: ${isolated(title)} - ${headline}`,
    ownersCopySubject: (title, headline, manager) =>
      `إلى ${isolated(manager)}: ${isolated(title)} - ${headline}`,
    preheader: (headline) => `لا تستطيع الاتفاقية إسناد هذا العميل: ${headline}`,
    heading: (name) => `إليك: ${isolated(name)}`,
    ownersCopyHeading: (name, manager) => `إلى ${isolated(manager)}: ${isolated(name)}`,
    wasDue: (due) => ` (كان أول تواصل مستحقًا قبل ${due})`,
    staysWith: (owner) =>
      `يبقى لدى ${isolated(owner)} حتى تقرر من يتابعه؛ الروابط أدناه تعمل نيابة عن ${isolated(owner)}.`,
    nobody: 'لا أحد في الاتفاقية مسؤول عنه الآن: يُرجى تحديد من يتابعه.',
    intro: (manager, sla, why, stays) =>
      `${isolated(manager)}، تحيل اتفاقية مستوى الخدمة "${isolated(sla)}" هذا العميل إليك: ${why}. ${stays}`,
    ownersCopy: (owner, sla, why, manager) =>
      `${isolated(owner)}، تحيل اتفاقية مستوى الخدمة "${isolated(sla)}" هذا العميل إلى ${isolated(manager)}: ${why}. يبقى لديك حتى يقرر ${isolated(manager)} من يتابعه؛ هذه نسختك، وما تسجّله أدناه يُسجَّل باسمك.`,
    whoHadIt: 'من تولّاه',
    decide: 'قرّر من يتولّاه',
    openInConsole: 'أسند العميل إلى مندوب في لوحة التحكم',
    openLead: 'افتح العميل في لوحة التحكم',
    stillSubject: (title, headline) => `لا يزال القرار بيدك: ${isolated(title)} - ${headline}`,
    stillPreheader: (since) => `بانتظار قرارك منذ ${since}؛ لم يُسجَّل أول تواصل بعد`,
    stillHeading: (name) => `لا يزال القرار بيدك: ${isolated(name)}`,
    stillIntro: (manager, sla, since, stays) =>
      `${isolated(manager)}، أحالت اتفاقية مستوى الخدمة "${isolated(sla)}" هذا العميل إليك يوم ${since}، ولم يُسجَّل أول تواصل منذ ذلك الحين. ${stays}`,
    recycledBy: (at) => ` إن لم يُسجَّل أول تواصل حتى ${at}، يعود العميل إلى التسويق ويُحتسب إخلالًا بالاتفاقية.`,
  },
  leadRecycled: {
    whatBreach: (logged, of) => `انتهى تسلسل التواصل بتسجيل ${logged} من ${of} محاولات، دون تواصل`,
    whatDone: (of) => `سُجّلت المحاولات الـ${of} كلها، دون تواصل`,
    subjectBreach: (title, logged, of) =>
      `إخلال بالاتفاقية: أُعيد ${isolated(title)} إلى التسويق - ${logged} من ${of} محاولات`,
    subjectDone: (title, of) => `أُعيد إلى التسويق: ${isolated(title)} - ${of} محاولات دون تواصل`,
    headingBreach: (name) => `إخلال بالاتفاقية، أُعيد إلى التسويق: ${isolated(name)}`,
    headingDone: (name) => `أُعيد إلى التسويق: ${isolated(name)}`,
    back: (until) => ` قد يعود إلى المبيعات بعد ${until} إن أبدى اهتمامًا جديدًا.`,
    intro: (to, owner, sla, breach, back) =>
      `${isolated(to)}، عاد ${owner ? `العميل المحتمل لدى ${isolated(owner)}` : 'هذا العميل المحتمل'} إلى التسويق بموجب اتفاقية مستوى الخدمة "${isolated(sla)}".` +
      (breach ? ' ويُعدّ ذلك إخلالًا بالاتفاقية: كانت هناك محاولات ناقصة.' : '') +
      back,
    copied: (deputy, manager, until) =>
      ` نُسخت هذه الرسالة إلى ${isolated(deputy)} نيابةً عن ${isolated(manager)} (خارج المكتب حتى ${until}).`,
    footer: 'أُرسلت من LeadPact. لم تعد الروابط في الرسائل السابقة عن هذا العميل تعمل عليه.',
  },
  staleDeal: {
    stage: 'المرحلة',
    since: 'في المرحلة منذ',
    deal: 'الصفقة',
    amount: 'المبلغ',
    subject: (title, stage, days) => `صفقة راكدة: ${isolated(title)} - ${isolated(stage)} منذ ${days}`,
    preheader: (stage, days) => `${isolated(stage)} منذ ${days}: انقلها إلى المرحلة التالية أو أغلقها`,
    heading: (name) => `صفقة راكدة: ${isolated(name)}`,
    callout: (stage, days) => `في ${isolated(stage)} منذ ${days}`,
    intro: 'انقل الصفقة إلى حيث تقف فعلًا، ليبقى التوقع وتقارير الاتفاقية صحيحة.',
    links: 'انقل الصفقة',
    owner: 'المسؤول',
    outOfOffice: 'في إجازة',
    coveringSubject: (title, owner, until) =>
      `صفقة راكدة: ${isolated(title)} - ${isolated(owner)} في إجازة حتى ${until}`,
    coveringPreheader: (stage, days, owner) =>
      `${isolated(stage)} منذ ${days}؛ ${isolated(owner)} في إجازة، فانقلها نيابة عن المسؤول`,
    coveringIntro: (manager, owner, away) =>
      `${isolated(manager)}، هذه صفقة ${isolated(owner)}، علمًا بأن ${isolated(owner)} في إجازة ${away}، لذا يصلك هذا التذكير بدلًا من ${isolated(owner)}. انقل الصفقة إلى حيث تقف فعلًا نيابة عن ${isolated(owner)}، ليبقى التوقع وتقارير الاتفاقية صحيحة، أو اتركها إلى حين عودة ${isolated(owner)}. تبقى الصفقة لدى ${isolated(owner)}.`,
    coveringLinks: 'انقل الصفقة (نيابة عن المسؤول)',
  },
  decideDue: {
    decision: 'تم التواصل، ولا صفقة بعد',
    connected: 'تم التواصل في',
    ownerSince: 'لديك منذ',
    owner: 'المسؤول',
    reminder: 'التذكير',
    you: 'أنت',
    subject: (title, ago) => `لا صفقة بعد: ${isolated(title)} - تم التواصل قبل ${ago}`,
    preheader: (ago) => `تم التواصل قبل ${ago}: افتح صفقة أو أغلق العميل`,
    heading: (name) => `لا صفقة بعد: ${isolated(name)}`,
    callout: (title, on, ago) => `تواصلت مع ${isolated(title)} في ${on}، قبل ${ago}؛ ولا صفقة بعد.`,
    calloutHandedOver: (title, on, owner, ago) =>
      `تم التواصل مع ${isolated(title)} في ${on}؛ ${owner === 'أنت' ? 'والعميل لديك' : `والعميل لدى ${isolated(owner)}`} منذ ${ago}؛ ولا صفقة بعد.`,
    intro: (rep, sla, within, manager, theirs) =>
      `${isolated(rep)}، تطلب اتفاقية مستوى الخدمة "${isolated(sla)}" قرارًا خلال ${within} من التواصل: افتح صفقة، أو أغلق العميل بوصفه غير جاهز الآن أو غير مؤهل.` +
      (manager
        ? ` يتلقى ${isolated(manager)}${theirs ? '، مديرك،' : ''} نسخة من هذا التذكير.`
        : ' ابتداءً من التذكير التالي يتلقى مديرك نسخة منه.'),
    links: 'قرّر',
    managerSubject: (title, owner, ago) =>
      `لا صفقة بعد: ${isolated(title)} - عميل ${isolated(owner)}، تم التواصل قبل ${ago}`,
    managerPreheader: (owner, ago) => `عميل ${isolated(owner)}: تم التواصل قبل ${ago}، ولا صفقة بعد`,
    managerCallout: (owner, title, on, ago) =>
      `تواصل ${isolated(owner)} مع ${isolated(title)} في ${on}، قبل ${ago}؛ ولا صفقة بعد.`,
    managerIntro: (manager, owner, sla, within, n) =>
      `${isolated(manager)}، هذا العميل لدى ${isolated(owner)}. تطلب اتفاقية مستوى الخدمة "${isolated(sla)}" صفقة، أو إغلاق العميل، خلال ${within} من التواصل؛ تلقّى ${isolated(owner)} التذكير رقم ${n}، وهذه نسختك.`,
    managerLinks: 'قرّر (نيابة عن المسؤول)',
    outOfOffice: 'في إجازة',
    coveringSubject: (title, owner, until) =>
      `لا صفقة بعد: ${isolated(title)} - ${isolated(owner)} في إجازة حتى ${until}`,
    coveringPreheader: (owner, ago) =>
      `عميل ${isolated(owner)}: تم التواصل قبل ${ago}، ولا صفقة بعد؛ ${isolated(owner)} في إجازة`,
    coveringIntro: (manager, owner, away, sla, within) =>
      `${isolated(manager)}، هذا العميل لدى ${isolated(owner)}، علمًا بأن ${isolated(owner)} في إجازة ${away}، لذا يصلك هذا التذكير بدلًا من ${isolated(owner)}. تطلب اتفاقية مستوى الخدمة "${isolated(sla)}" صفقة، أو إغلاق العميل، خلال ${within} من التواصل. قرّر نيابة عن ${isolated(owner)} بالروابط أدناه، أو اتركه إلى حين عودة ${isolated(owner)}. يبقى العميل لدى ${isolated(owner)}.`,
  },
  nurture: {
    footer: (sender) => `تصلك هذه الرسالة من ${isolated(sender)} لأنك طلبت منا معلومات.`,
    unsubscribe: 'إلغاء الاشتراك',
    privacy: 'سياسة الخصوصية',
    imprint: 'بيانات الناشر',
    greeting: 'مرحبًا',
  },
  signIn: {
    subject: 'رابط تسجيل الدخول إلى LeadPact',
    hello: (name) => `مرحبًا ${isolated(name)}،`,
    intro: (slaName) => `سجّل الدخول إلى لوحة LeadPact (${isolated(slaName)}).`,
    button: 'تسجيل الدخول',
    linkLabel: 'تسجيل الدخول',
    expiry: (minutes) => `يعمل الرابط مرة واحدة لمدة ${minutes} دقيقة. إن لم تطلبه فتجاهل هذه الرسالة.`,
  },
  consent: {
    hello: 'مرحبًا،',
    subject: (sender) => `يرجى تأكيد اشتراكك في رسائل ${isolated(sender)}`,
    intro: (sender) => `طلبت أن تصلك رسائل من ${isolated(sender)}. يرجى التأكيد لنعرف أنك صاحب الطلب.`,
    given: (when, form) => `أُرسل الطلب في ${when}${form ? `، من نموذج «${isolated(form)}»` : ''}.`,
    expires: (days) => `يعمل الزر مدة ${days} يومًا.`,
    button: 'تأكيد اشتراكي',
    agreed: (text) => `ما وافقت عليه: «${text}»`,
    ignore: 'إن لم تطلب ذلك فتجاهل هذه الرسالة: لن نرسل إليك أي رسائل تسويقية.',
  },
};

const EVENTS_DE: Readonly<Record<string, string>> = {
  demo_request: 'eine Demo angefragt',
  quote_request: 'ein Angebot angefragt',
  pricing_page_view: 'die Preise angesehen',
  webinar_attended: 'an einem Webinar teilgenommen',
  content_download: 'Inhalte heruntergeladen',
  form_submission: 'ein Formular ausgefüllt',
  email_click: 'einen Link in einer E-Mail angeklickt',
  page_view: 'die Website besucht',
};

/** German counted nouns: one, else the plural (in the dative, as every German sentence here uses a span). */
const deCount = (n: number, formatted: string, one: string, other: string) =>
  `${formatted} ${n === 1 ? one : other}`;

/** A span of time in German, after "seit", "vor" or "innerhalb von": the dative ("seit 9 Tagen"). */
const DE_SPANS: Readonly<Record<DurationUnit, readonly [string, string]>> = {
  minutes: ['Minute', 'Minuten'],
  hours: ['Stunde', 'Stunden'],
  days: ['Tag', 'Tagen'],
  weeks: ['Woche', 'Wochen'],
};

const DE_BUSINESS: Readonly<Record<DurationUnit, readonly [string, string]>> = {
  minutes: ['Arbeitsminute', 'Arbeitsminuten'],
  hours: ['Arbeitsstunde', 'Arbeitsstunden'],
  days: ['Arbeitstag', 'Arbeitstagen'],
  weeks: ['Arbeitswoche', 'Arbeitswochen'],
};

/** A first touch made by a channel, in the genitive after "Ergebnis": "des ersten Anrufs". */
const FIRST_TOUCH_DE: Readonly<Record<Channel, string>> = {
  phone: 'des ersten Anrufs',
  email: 'der ersten E-Mail',
  linkedin: 'der ersten LinkedIn-Nachricht',
  sms: 'der ersten SMS',
  video: 'des ersten Videoanrufs',
};

/** Formal business German (Sie): leads, reps and managers alike. */
const de: EmailText = {
  unnamedLead: 'Lead ohne Namen',
  who: 'Wer',
  name: 'Name',
  company: 'Unternehmen',
  jobTitle: 'Position',
  phone: 'Telefon',
  email: 'E-Mail',
  noPhone: 'Keine Telefonnummer angegeben: schreiben Sie an',
  country: 'Land',
  message: 'Nachricht',
  language: 'Sprache',
  whyQualified: 'Warum der Lead qualifiziert ist',
  score: 'Punktzahl',
  fitTier: 'Passungsstufe',
  leadType: 'Lead-Typ',
  persona: 'Persona',
  journeyStage: 'Phase der Customer Journey',
  someone: 'Jemand',
  summary({ who, industry, company, people, country, did }) {
    // the country in brackets: a German country name takes an article after "in" ("in der Schweiz") or not
    const at = industry
      ? ` bei einem Unternehmen der Branche „${industry}“`
      : company
        ? ` bei ${company}`
        : '';
    const size = people ? `${at ? '' : ' bei einem Unternehmen'} mit ${people} Beschäftigten` : '';
    const where = country ? ` (${country})` : '';
    const acts = did.length > 0 ? ` – hat ${list(did, ' und ', ', ')}` : '';
    return `${who}${at}${size}${where}${acts}.`;
  },
  did: (event) => EVENTS_DE[event],
  journeyStageName: (stage) =>
    ({ awareness: 'Aufmerksamkeit', consideration: 'Abwägung', decision: 'Entscheidung' })[stage] ??
    en.journeyStageName(stage),
  channel: (channel) =>
    ({
      phone: 'Telefon',
      email: 'E-Mail',
      linkedin: 'LinkedIn',
      sms: 'SMS',
      video: 'Videoanruf',
    })[channel] ?? channel,
  buttonsNote: 'Jede Schaltfläche öffnet zuerst eine Bestätigungsseite.',
  linksNote: 'jeder Link öffnet zuerst eine Bestätigungsseite',
  linkFooter: (expiry) =>
    `Gesendet von LeadPact. Jeder Aktionslink funktioniert nur einmal${expiry ? ` und ist gültig bis ${expiry}` : ''}. Leiten Sie diese E-Mail nur an Personen weiter, die den Lead bearbeiten dürfen.`,
  plainFooter:
    'Gesendet von LeadPact. Leiten Sie diese E-Mail nur an Personen weiter, die den Lead sehen dürfen.',
  businessHours: (hours, n) => deCount(hours, n, 'Arbeitsstunde', 'Arbeitsstunden'),
  businessMinutes: (minutes, n) => deCount(minutes, n, 'Arbeitsminute', 'Arbeitsminuten'),
  days: (days, n) => deCount(days, n, ...DE_SPANS.days),
  span: (amount, unit, business, n) => deCount(amount, n, ...(business ? DE_BUSINESS : DE_SPANS)[unit]),
  dateRange: (from, to) => `von ${from} bis ${to}`,
  tomorrowAt: (time) => `morgen ${time}`,
  standIn: (manager, until) =>
    `Sie erhalten diese E-Mail in Vertretung von ${manager}, abwesend bis ${until}.`,
  sqlAssigned: {
    subject: (title, due) => `Neuer SQL: ${title} – Erstkontakt bis ${due}`,
    preheader: (due) => `Erstkontakt fällig bis ${due}`,
    heading: (name) => `Neuer SQL: ${name}`,
    callout: (due) => `Erstkontakt fällig bis ${due}`,
    intro: (rep, sla) => `${rep}, dieser Lead ist Ihnen gemäß SLA „${sla}“ zugewiesen.`,
    links: (channel) => `Ergebnis ${channel ? FIRST_TOUCH_DE[channel] : 'des Erstkontakts'} erfassen`,
  },
  attemptDue: {
    subject: (step, of, title, channel, due) => `Versuch ${step}/${of}: ${title} – ${channel} bis ${due}`,
    preheader: (step, of, channel, due) => `Kontaktversuch ${step} von ${of} (${channel}) fällig bis ${due}`,
    heading: (step, of, name) => `Kontaktversuch ${step} von ${of}: ${name}`,
    callout: (channel, due) => `Kontaktversuch per ${channel} fällig bis ${due}`,
    subjectWrite: (step, of, title, due) => `Versuch ${step}/${of}: ${title} – schriftlich bis ${due}`,
    preheaderWrite: (step, of, due) =>
      `Kontaktversuch ${step} von ${of} fällig bis ${due}: keine Telefonnummer angegeben, also schriftlich`,
    calloutWrite: (due) => `Schriftlich bis ${due} (keine Telefonnummer angegeben)`,
    intro: (note) => `Aus der Kontaktsequenz: ${note}`,
    behind: (count, logged, of) =>
      `${count === 0 ? 'Noch ist kein Kontaktversuch erfasst' : `Erst ${logged} von ${of} Kontaktversuchen ${count === 1 ? 'ist' : 'sind'} erfasst`}: Die Kontaktsequenz hält ihren Zeitplan ein, deshalb ist jetzt dieser Schritt fällig. Erfassen Sie jeden Kontaktversuch, auch die früheren (mit dem Zeitpunkt, zu dem Sie sie unternommen haben).`,
    links: 'Ergebnis dieses Kontaktversuchs erfassen',
  },
  firstTouchOverdue: {
    subjectDueNow: (title) => `Jetzt fällig: ${title} – Erstkontakt`,
    subjectLate: (title, late) => `Überfällig: ${title} – Erstkontakt seit ${late} überfällig`,
    preheaderDueNow: 'Der Erstkontakt ist jetzt fällig',
    preheaderLate: (late) => `Erstkontakt seit ${late} überfällig`,
    headingDueNow: (name) => `Erstkontakt jetzt fällig: ${name}`,
    headingLate: (name) => `Erstkontakt überfällig: ${name}`,
    calloutDueNow: (due) => `Fällig bis ${due}: jetzt`,
    calloutLate: (late, due) => `Seit ${late} überfällig (fällig war er bis ${due})`,
    links: (channel) => `Ergebnis ${channel ? FIRST_TOUCH_DE[channel] : 'des Erstkontakts'} erfassen`,
  },
  ladderAhead: {
    managerTold: (at) =>
      `Ihre Führungskraft wird am ${at} informiert, wenn bis dahin kein Erstkontakt erfasst ist.`,
    reassigned: (at) =>
      `Der Lead geht am ${at} an die nächste Person der Queue, wenn bis dahin kein Erstkontakt erfasst ist.`,
    managerToldThenReassigned: (managerAt, reassignAt) =>
      `Ohne erfassten Erstkontakt wird Ihre Führungskraft am ${managerAt} informiert, und der Lead geht am ${reassignAt} an die nächste Person der Queue.`,
  },
  managerEscalation: {
    subject: (title, owner, late) => `Eskalation: ${title} – ${owner}, seit ${late} überfällig`,
    preheader: (late) => `Noch kein Erstkontakt: seit ${late} über der SLA-Frist`,
    heading: (name) => `Eskalation: ${name}`,
    callout: (owner, late, due) =>
      `Kein Erstkontakt durch ${owner}: seit ${late} überfällig (fällig bis ${due})`,
    intro: (manager, sla, owner) =>
      `${manager}, das SLA „${sla}“ eskaliert diesen Lead an Sie. ${owner} erhält eine eigene Kopie.`,
    ownersCopy: (owner, sla, manager) =>
      `${owner}, das SLA „${sla}“ eskaliert diesen Lead an ${manager}; dies ist Ihre Kopie. Was Sie unten erfassen, steht unter Ihrem Namen.`,
    links: (channel) =>
      channel
        ? `Ergebnis ${FIRST_TOUCH_DE[channel]} erfassen (für die zuständige Person)`
        : 'Ergebnis erfassen (für die zuständige Person)',
  },
  reassignedToYou: {
    subject: (title, due) => `Ihnen neu zugewiesen: ${title}${due ? ` – Erstkontakt bis ${due}` : ''}`,
    preheader: (from) => `Ihnen neu zugewiesen${from ? `, bisher bei ${from}` : ''}`,
    heading: (name) => `Ihnen neu zugewiesen: ${name}`,
    callout: (due) => `Erstkontakt fällig bis ${due}`,
    intro: (rep, from, reason) =>
      `${rep}, dieser Lead wurde Ihnen neu zugewiesen${from ? ` (bisher bei ${from})` : ''}${reason ? `: ${reason}` : ''}.`,
  },
  reassignedAway: {
    subject: (title, owner) => `Neu zugewiesen: ${title} – jetzt bei ${owner}`,
    preheader: (owner) => `Jetzt bei ${owner}`,
    heading: (name) => `Neu zugewiesen: ${name}`,
    callout: (owner) => `Dieser Lead liegt jetzt bei ${owner}.`,
    intro: (rep, reason) =>
      `${rep}, Sie müssen bei diesem Lead nichts mehr unternehmen${reason ? `: ${reason}` : ''}.`,
    footer:
      'Links in früheren E-Mails zu diesem Lead wirken nicht mehr: Er liegt jetzt bei der neuen zuständigen Person.',
  },
  handover: {
    overdue: (hours) =>
      hours ? `der Erstkontakt war seit ${hours} überfällig` : 'der Erstkontakt war überfällig',
    ownerLeft: (owner) => `${owner} ist nicht mehr im SLA`,
    ladderDone: (times, n, touchedLate) =>
      `er wurde ${times === 1 ? 'einmal' : `${n}-mal`} ${touchedLate ? 'ohne rechtzeitig erfassten Erstkontakt' : 'ohne Erstkontakt'} neu zugewiesen, so oft wie das SLA es höchstens zulässt`,
    ownerMissing: (owner, version, noRep) =>
      `die zuständige Person „${owner}“ ist nicht im SLA ${version}${noRep ? ', und niemand aus der Queue kann den Lead übernehmen' : ''}`,
    ownerAway: (owner, from, to, step, noRep, hadItBefore) =>
      `${owner} ist von ${from} bis ${to} abwesend, wenn ${step === undefined ? 'der Erstkontakt' : `Kontaktversuch ${step}`} fällig wird${noRep ? ', und niemand Anwesendes aus der Queue kann den Lead übernehmen' : ''}${hadItBefore ? ', und von den Anwesenden in der Queue kann ihn nur übernehmen, wer ihn seit der Übergabe schon hatte' : ''}`,
    noOtherRep: (owner) => `niemand sonst aus der Queue kann den Lead von ${owner} übernehmen`,
    noManager: (owner) => `für ${owner} ist in diesem SLA keine Führungskraft hinterlegt`,
    nobodyFree: (queue) =>
      `niemand${queue ? ` in ${queue}` : ''} kann ihn jetzt übernehmen (abwesend oder ausgelastet); LeadPact versucht es stündlich erneut und weist ihn der ersten Person zu, die ihn übernehmen kann`,
    manual: (by, note) => `auf Entscheidung von ${by ?? 'Sales Operations'}${note ? ` („${note}“)` : ''}`,
    needsOwner: 'der Lead braucht eine zuständige Person',
    noFirstTouch: (reps, n) => (reps > 1 ? `kein Erstkontakt durch ${n} Zuständige` : 'kein Erstkontakt'),
    someTouched: (none, noneN, _of, ofN, names, many) =>
      none > 0
        ? `kein Erstkontakt durch ${noneN} von ${ofN} Zuständigen; ${names} ${many ? 'haben' : 'hat'} ihn kontaktiert`
        : `kein Erstkontakt seit der letzten Übergabe; ${names} ${many ? 'hatten' : 'hatte'} ihn zuvor kontaktiert`,
  },
  managerTakeover: {
    subject: (title, headline) => `Zu Ihrer Entscheidung: ${title} – ${headline}`,
    ownersCopySubject: (title, headline, manager) =>
      `Zur Entscheidung bei ${manager}: ${title} – ${headline}`,
    preheader: (headline) => `Das SLA kann diesen Lead nicht zuweisen: ${headline}`,
    heading: (name) => `Zu Ihrer Entscheidung: ${name}`,
    ownersCopyHeading: (name, manager) => `Zur Entscheidung bei ${manager}: ${name}`,
    wasDue: (due) => ` (der Erstkontakt war fällig bis ${due})`,
    staysWith: (owner) =>
      `Er bleibt bei ${owner}, bis Sie entscheiden, wer ihn bearbeitet; die Links unten handeln für ${owner}.`,
    nobody: 'Im SLA ist derzeit niemand für ihn zuständig: Bitte entscheiden Sie, wer ihn bearbeitet.',
    intro: (manager, sla, why, stays) =>
      `${manager}, das SLA „${sla}“ übergibt diesen Lead an Sie: ${why}. ${stays}`,
    ownersCopy: (owner, sla, why, manager) =>
      `${owner}, das SLA „${sla}“ übergibt diesen Lead an ${manager}: ${why}. Er bleibt bei Ihnen, bis ${manager} entscheidet, wer ihn bearbeitet; dies ist Ihre Kopie, und was Sie unten erfassen, steht unter Ihrem Namen.`,
    whoHadIt: 'Bisher zuständig',
    decide: 'Entscheiden, wer ihn bearbeitet',
    openInConsole: 'Den Lead in der Konsole jemandem zuweisen',
    openLead: 'Den Lead in der Konsole öffnen',
    stillSubject: (title, headline) => `Weiterhin zu Ihrer Entscheidung: ${title} – ${headline}`,
    stillPreheader: (since) => `Seit ${since} zu Ihrer Entscheidung; noch kein Erstkontakt erfasst`,
    stillHeading: (name) => `Weiterhin zu Ihrer Entscheidung: ${name}`,
    stillIntro: (manager, sla, since, stays) =>
      `${manager}, das SLA „${sla}“ hat Ihnen diesen Lead am ${since} übergeben, und seitdem ist kein Erstkontakt erfasst. ${stays}`,
    recycledBy: (at) =>
      ` Wird bis ${at} keiner erfasst, geht der Lead zurück ans Marketing und zählt als Verstoß gegen das SLA.`,
  },
  leadRecycled: {
    whatBreach: (logged, of) =>
      `Kontaktsequenz abgelaufen, ${logged} von ${of} Kontaktversuchen erfasst, kein Kontakt zustande gekommen`,
    whatDone: (of) => `Alle ${of} Kontaktversuche erfasst, kein Kontakt zustande gekommen`,
    subjectBreach: (title, logged, of) =>
      `SLA-Verstoß: ${title} zurück ans Marketing – ${logged} von ${of} Kontaktversuchen`,
    subjectDone: (title, of) => `Zurück ans Marketing: ${title} – ${of} Kontaktversuche ohne Kontakt`,
    headingBreach: (name) => `SLA-Verstoß, zurück ans Marketing: ${name}`,
    headingDone: (name) => `Zurück ans Marketing: ${name}`,
    back: (until) => ` Bei neuem Interesse kann er ab ${until} wieder an den Vertrieb gehen.`,
    intro: (to, owner, sla, breach, back) =>
      `${to}, ${owner ? `der Lead von ${owner}` : 'dieser Lead'} ging gemäß SLA „${sla}“ zurück ans Marketing.` +
      (breach ? ' Das gilt als Verstoß gegen das SLA: Es fehlten Kontaktversuche.' : '') +
      back,
    copied: (deputy, manager, until) =>
      ` ${deputy} steht in Vertretung von ${manager} in Kopie (abwesend bis ${until}).`,
    footer: 'Gesendet von LeadPact. Links in früheren E-Mails zu diesem Lead wirken nicht mehr.',
  },
  staleDeal: {
    stage: 'Phase',
    since: 'In der Phase seit',
    deal: 'Deal',
    amount: 'Betrag',
    subject: (title, stage, days) => `Deal ohne Fortschritt: ${title} – seit ${days} in ${stage}`,
    preheader: (stage, days) => `Seit ${days} in ${stage}: voranbringen oder abschließen`,
    heading: (name) => `Deal ohne Fortschritt: ${name}`,
    callout: (stage, days) => `Seit ${days} in ${stage}`,
    intro:
      'Setzen Sie den Deal auf die Phase, in der er tatsächlich steht, damit Forecast und SLA-Berichte stimmen.',
    links: 'Deal verschieben',
    owner: 'Zuständig',
    outOfOffice: 'Abwesend',
    coveringSubject: (title, owner, until) =>
      `Deal ohne Fortschritt: ${title} – ${owner} ist abwesend bis ${until}`,
    coveringPreheader: (stage, days, owner) =>
      `Seit ${days} in ${stage}, und ${owner} ist abwesend: bitte in Vertretung voranbringen`,
    coveringIntro: (manager, owner, away) =>
      `${manager}, ${owner} ist ${away} abwesend, deshalb erhalten Sie diese Erinnerung zum Deal von ${owner}. Setzen Sie den Deal in Vertretung auf die Phase, in der er tatsächlich steht, damit Forecast und SLA-Berichte stimmen, oder lassen Sie ihn bis zur Rückkehr liegen: Der Deal bleibt bei ${owner}.`,
    coveringLinks: 'Deal verschieben (für die zuständige Person)',
  },
  decideDue: {
    decision: 'Kontakt hergestellt, noch kein Deal',
    connected: 'Kontakt am',
    ownerSince: 'Bei Ihnen seit',
    owner: 'Zuständig',
    reminder: 'Erinnerung',
    you: 'Sie',
    subject: (title, ago) => `Noch kein Deal: ${title} – Kontakt vor ${ago}`,
    preheader: (ago) => `Kontakt vor ${ago}: Deal anlegen oder Lead schließen`,
    heading: (name) => `Noch kein Deal: ${name}`,
    callout: (title, on, ago) => `Sie hatten am ${on} Kontakt mit ${title}, vor ${ago}; noch kein Deal.`,
    calloutHandedOver: (title, on, owner, ago) =>
      `Mit ${title} gab es am ${on} Kontakt; ${owner === 'Sie' ? 'Sie haben' : `${owner} hat`} den Lead seit ${ago}; noch kein Deal.`,
    intro: (rep, sla, within, manager, theirs) =>
      `${rep}, das SLA „${sla}“ verlangt innerhalb von ${within} nach einem Kontakt eine Entscheidung: Legen Sie einen Deal an, oder schließen Sie den Lead als „nicht jetzt“ oder „nicht qualifiziert“.` +
      (manager
        ? ` ${manager}${theirs ? ', Ihre Führungskraft,' : ''} erhält eine Kopie dieser Erinnerung.`
        : ' Ab der nächsten Erinnerung erhält Ihre Führungskraft eine Kopie.'),
    links: 'Entscheiden',
    managerSubject: (title, owner, ago) => `Noch kein Deal: ${title} – Lead von ${owner}, Kontakt vor ${ago}`,
    managerPreheader: (owner, ago) => `Lead von ${owner}: Kontakt vor ${ago}, noch kein Deal`,
    managerCallout: (owner, title, on, ago) =>
      `${owner} hatte am ${on} Kontakt mit ${title}, vor ${ago}; noch kein Deal.`,
    managerIntro: (manager, owner, sla, within, n) =>
      `${manager}, dies ist ein Lead von ${owner}. Das SLA „${sla}“ verlangt innerhalb von ${within} nach einem Kontakt einen Deal oder den Abschluss des Leads; ${owner} hat Erinnerung ${n} erhalten, Sie erhalten diese Kopie.`,
    managerLinks: 'Entscheiden (für die zuständige Person)',
    outOfOffice: 'Abwesend',
    coveringSubject: (title, owner, until) => `Noch kein Deal: ${title} – ${owner} ist abwesend bis ${until}`,
    coveringPreheader: (owner, ago) =>
      `Lead von ${owner}, Kontakt vor ${ago}, noch kein Deal; ${owner} ist abwesend`,
    coveringIntro: (manager, owner, away, sla, within) =>
      `${manager}, ${owner} ist ${away} abwesend, deshalb erhalten Sie diese Erinnerung zum Lead von ${owner}. Das SLA „${sla}“ verlangt innerhalb von ${within} nach einem Kontakt einen Deal oder den Abschluss des Leads. Entscheiden Sie mit den Links unten in Vertretung, oder lassen Sie den Lead bis zur Rückkehr liegen: Er bleibt bei ${owner}.`,
  },
  nurture: {
    footer: (sender) =>
      `Sie erhalten diese E-Mail von ${sender}, weil Sie bei uns Informationen angefordert haben.`,
    unsubscribe: 'Abmelden',
    privacy: 'Datenschutzerklärung',
    imprint: 'Impressum',
    greeting: 'Guten Tag',
  },
  signIn: {
    subject: 'Ihr Anmeldelink für LeadPact',
    hello: (name) => `Guten Tag ${name},`,
    intro: (slaName) => `melden Sie sich in der LeadPact-Konsole an (${slaName}).`,
    button: 'Anmelden',
    linkLabel: 'Anmelden',
    expiry: (minutes) =>
      `Der Link funktioniert einmal und ist ${minutes} Minuten lang gültig. Falls Sie ihn nicht angefordert haben, ignorieren Sie diese E-Mail.`,
  },
  consent: {
    hello: 'Guten Tag,',
    subject: (sender) => `Bitte bestätigen Sie Ihre Anmeldung für E-Mails von ${sender}`,
    intro: (sender) =>
      `Sie möchten E-Mails von ${sender} erhalten. Bitte bestätigen Sie Ihre Anmeldung, damit wir sicher sind, dass sie von Ihnen stammt.`,
    given: (when, form) => `Die Anmeldung ging am ${when} ein${form ? `, über das Formular „${form}“` : ''}.`,
    expires: (days) => `Der Link ist ${days} Tage lang gültig.`,
    button: 'Anmeldung bestätigen',
    agreed: (text) => `Ihre Einwilligung: „${text}“`,
    ignore:
      'Falls Sie sich nicht angemeldet haben, ignorieren Sie diese E-Mail einfach: Sie erhalten dann keine Werbung per E-Mail von uns.',
  },
};

const TEXT: Readonly<Record<ShippedLanguage, EmailText>> = { en, ar, de };

export function emailText(language: ShippedLanguage): EmailText {
  return TEXT[language];
}
