/**
 * The console's own words, per console language (domain/console-language.ts: English and Arabic; a German
 * reader's console is English), as page-text.ts holds those of the action pages: a viewer reads the console in
 * their language (their SLA entry's `locale`, personLocale). The SLA's own words (stage, status, outcome, queue and rep names) come from the SLA in the
 * reader's language (domain/sla-names.ts); numbers and times are formatted by Intl for the locale. The
 * arguments of these functions are plain text; a caller escapes what it shows (html.ts esc) unless an
 * argument is named `html` (markup already escaped).
 */
import { attemptMade, attemptWords } from '../../domain/attempt-words.ts';
import type { ConsoleLanguage } from '../../domain/console-language.ts';
import { isolated } from '../../domain/locale.ts';

export interface ConsoleText {
  readonly layout: {
    readonly skip: string;
    readonly navLabel: string;
    readonly nav: {
      readonly overview: string;
      readonly leads: string;
      readonly reports: string;
      readonly sla: string;
      readonly webhooks: string;
    };
    readonly roles: { readonly rep: string; readonly manager: string; readonly ops: string };
    readonly signOut: string;
    /** between two parts of a line: ", " */
    readonly comma: string;
    /** a table with no rows */
    readonly none: string;
    /** "45 min", "2.5 h" */
    minutes(formatted: string): string;
    hours(formatted: string): string;
    /** a histogram's first and last bins around a span ("<1 h", "40 h+"): words where signs would read backwards */
    under(span: string): string;
    andOver(span: string): string;
    /** between the items of a list read out in one line (a chart's description): "; " */
    semicolon: string;
  };
  readonly people: {
    readonly nobody: string;
    /** who made an attempt the story cannot tell (a CRM's late sync naming no rep, its handover no longer on the state) */
    readonly notRecorded: string;
    readonly formerRep: string;
    formerPerson(role: 'rep' | 'manager' | 'ops'): string;
    readonly workflow: string;
    readonly lead: string;
    /** a change a form post made */
    readonly form: string;
    readonly integration: string;
    readonly emailLink: string;
    readonly formerStage: string;
    readonly opsAddress: string;
  };
  readonly errors: {
    readonly titles: Readonly<Record<number, string>>;
    readonly fallbackTitle: string;
    readonly conflictTitle: string;
    readonly conflict: string;
    readonly brokenTitle: string;
    readonly broken: string;
    readonly back: string;
    /** the sentence for an error's code, when the language has none of its own for the message */
    readonly codes: Readonly<Record<string, string>>;
    /** English messages the console and its API raise, in this language (empty in English: shown as written) */
    readonly messages: Readonly<Record<string, string>>;
    /** a field's problem this language has no words for */
    readonly invalidField: string;
    /** a request's own fields an error names (not a form's: those are labelled as the form shows them) */
    readonly fieldNames: Readonly<Record<string, string>>;
    /**
     * Why a form was refused, from the refusal's data (domain/refusal.ts; console/refusal-text.ts fills in the
     * SLA's names in this language, a list joined by `layout.comma`, and a time on the reader's clock)
     */
    readonly refusals: {
      /** `channel`: the attempt's (a CHANNELS id), worded as it is made ("the email was sent"); none: an attempt */
      attemptInFuture(channel: string | undefined): string;
      attemptBeforeHandoff(handedOffAt: string): string;
      unknownOutcome(known: string): string;
      unknownDealStage(known: string): string;
      unknownStatus(repsMaySet: string): string;
      statusNotForReps(status: string): string;
      unknownRep(known: string): string;
      repOutOfReach(rep: string, viewerIsRep: boolean): string;
      leadClosed(customer: boolean): string;
      notHandedOff(stage: string): string;
      tooLong(max: string): string;
      /** a filter's value the SLA does not have (the field's label says which filter), and what it has */
      unknownValue(value: string, known: string): string;
      /** a delivery log filter's subscription that is neither configured nor in the log, and the configured ones */
      unknownSubscription(value: string, configured: string): string;
    };
  };
  readonly overview: {
    readonly title: string;
    lastDays(fromHtml: string, slaHtml: string, versionHtml: string): string;
    readonly fullReport: string;
    readonly glance: string;
    readonly firstTouch: string;
    firstTouchDetail(met: string, breached: string, pending: string): string;
    readonly response: string;
    /** `count` leads touched in the period (`n`: it formatted): the median's sample */
    responseDetail(p90: string, count: number, n: string): string;
    readonly attempts: string;
    attemptsDetail(cadence: string): string;
    readonly mqls: string;
    mqlsOf(actual: string, target: string): string;
    readonly noMqlTarget: string;
    readonly mqlCommitment: string;
    readonly sqls: string;
    sqlsDetail(handed: string, rejected: string): string;
    sqlsTarget(rate: string): string;
    readonly overdue: string;
    readonly overdueCaption: string;
    readonly overdueEmpty: string;
    readonly allOverdue: string;
    /** the overdue table holds the first `shown` only: said, so a manager does not read the table as all of them */
    overdueShown(shown: string): string;
    readonly dueToday: string;
    readonly waiting: string;
    readonly waitingCaption: string;
    readonly allWaiting: string;
    readonly lastChange: string;
    readonly wasDue: string;
    readonly nothingDue: string;
    dueCaption(rep: string, count: number, formatted: string, more: boolean): string;
    allDueFor(rep: string): string;
    /** the label of a rep who left the SLA, by the id their leads still name (the SLA has no name for them) */
    formerOwner(id: string): string;
    /** under a former owner's leads: who the SLA's migrations give them to (null: nobody named), and how to reassign */
    formerNote(successor: string | null): string;
    allDueForFormer(id: string): string;
    readonly step: string;
    readonly due: string;
    readonly late: string;
    readonly funnel: string;
    readonly funnelChart: string;
    funnelBar(reached: string, conversionToNext: string | null): string;
    /** what the funnel's figures count, naming the SLA's SQL and MQL stages */
    funnelNote(sql: string, mql: string): string;
  };
  readonly leads: {
    readonly title: string;
    readonly search: string;
    readonly more: string;
    readonly moreOwner: string;
    readonly stage: string;
    readonly anyStage: string;
    readonly status: string;
    readonly anyStatus: string;
    readonly type: string;
    readonly anyType: string;
    readonly owner: string;
    readonly anyone: string;
    readonly overdueOnly: string;
    readonly waitingOnly: string;
    readonly dueTodayOnly: string;
    readonly show: string;
    readonly clear: string;
    readonly lead: string;
    readonly company: string;
    readonly score: string;
    readonly firstTouch: string;
    readonly nextStep: string;
    stepOf(step: string, of: string): string;
    readonly unnamed: string;
    readonly aLead: string;
    readonly empty: string;
    /** a search cut at its cap (GET /leads `truncated`): `count` matches kept per field, `formatted` by Intl */
    searchCut(count: number, formatted: string): string;
    readonly pages: string;
    readonly firstPage: string;
    readonly nextPage: string;
    readonly met: string;
    readonly breached: string;
    touchedHtml(timeHtml: string): string;
    wasDueHtml(timeHtml: string): string;
    dueHtml(timeHtml: string): string;
  };
  readonly lead: {
    readonly jump: string;
    readonly whatYouCanDo: string;
    readonly story: string;
    readonly email: string;
    readonly company: string;
    readonly jobTitle: string;
    readonly phone: string;
    readonly country: string;
    readonly language: string;
    readonly message: string;
    readonly stage: string;
    readonly status: string;
    readonly type: string;
    readonly persona: string;
    readonly owner: string;
    readonly notHandedOver: string;
    readonly score: string;
    scoreDetailHtml(total: string, fit: string, tierHtml: string, engagement: string): string;
    readonly marketingEmail: string;
    readonly judgedBy: string;
    readonly phoneAsGiven: string;
    readonly employees: string;
    readonly revenue: string;
    /** the values the form sent that did not read as their field (the lead's fieldIssues, the phone's aside) */
    readonly formIssues: string;
    readonly attempts: string;
    readonly when: string;
    readonly outcome: string;
    readonly channel: string;
    readonly by: string;
    readonly note: string;
    readonly noAttempts: string;
    latestAttempts(shown: string, total: number, formatted: string): string;
    readonly done: {
      readonly attempt: string;
      readonly deal: string;
      readonly status: string;
      readonly owner: string;
      readonly fields: string;
      readonly nothing: string;
    };
    /** after `done`, on the overview: the change took the lead out of the viewer's reach (a recycle, a lost deal) */
    readonly leftYourLeads: string;
    readonly standing: string;
    readonly cadence: string;
    cadenceDetailHtml(name: string, step: string, of: string, attempted: string, timeHtml: string): string;
    /** `step` past its deadline (`timeHtml`), and no later step yet */
    cadenceOverdueHtml(name: string, step: string, of: string, attempted: string, timeHtml: string): string;
    /** no attempt logged past several deadlines: the next to log was due at `dueHtml`, the schedule is at `scheduled` */
    cadenceBehindHtml(
      name: string,
      attempted: string,
      of: string,
      dueHtml: string,
      scheduled: string,
      scheduledHtml: string,
    ): string;
    readonly escalation: string;
    escalationNextHtml(action: string, timeHtml: string): string;
    readonly handovers: string;
    byHtml(nameHtml: string): string;
    readonly noHandovers: string;
    readonly escalations: Readonly<Record<string, string>>;
    readonly channels: Readonly<Record<string, string>>;
    readonly logAttempt: string;
    readonly noteOptional: string;
    readonly whenOptional: string;
    /** under the attempt form's time: fits every channel (the form has no scripts to follow the one chosen) */
    whenHint(zone: string): string;
    readonly logAttemptButton: string;
    /**
     * an attempt that repeats one logged minutes ago (ADR 0074): asked about before it is logged. `channel`: the
     * logged attempt's (a CHANNELS id), the words name what it was (a call, an email, a LinkedIn message);
     * none (an attempt logged without one): an attempt
     */
    readonly sameCall: {
      readonly title: string;
      /** `noted`: the attempts have a note (the same one); without, the sentence names none */
      loggedHtml(
        outcomeHtml: string,
        channelHtml: string | undefined,
        timeHtml: string,
        noted: boolean,
      ): string;
      askAgain(channel: string | undefined): string;
      readonly logAnother: string;
      sameOne(channel: string | undefined): string;
    };
    readonly moveDeal: string;
    readonly openDeal: string;
    readonly dealStage: string;
    readonly amountOptional: string;
    readonly saveDeal: string;
    readonly setStatus: string;
    readonly setStatusButton: string;
    readonly reassign: string;
    readonly newOwner: string;
    readonly reasonOptional: string;
    readonly giveLead: string;
    readonly giveToRep: string;
    readonly rep: string;
    readonly correct: string;
    readonly saveCorrections: string;
    readonly fields: Readonly<Record<string, string>>;
    closed(customer: boolean): string;
    readonly waitingNotice: string;
    readonly noOwnerNotice: string;
    readonly why: string;
    lastJudgedHtml(stage: string, timeHtml: string, versionHtml: string): string;
    scoreMoved(then: string, now: string): string;
    readonly deal: string;
    sinceHtml(timeHtml: string): string;
    readonly amount: string;
    readonly opened: string;
    latestChanges(shown: string): string;
    readonly kinds: Readonly<Record<string, string>>;
    /** a change of a kind `kinds` has no name for */
    otherKind(kind: string): string;
    readonly consent: {
      readonly bounced: string;
      onFormHtml(form: string): string;
      reconfirmHtml(withdrawnHtml: string, askedHtml: string, whereHtml: string): string;
      unsubscribedHtml(withdrawnHtml: string): string;
      readonly givenBefore: string;
      readonly none: string;
      confirmedHtml(timeHtml: string, whereHtml: string): string;
      singleHtml(timeHtml: string, whereHtml: string): string;
      notSentHtml(timeHtml: string, whereHtml: string): string;
      askedHtml(timeHtml: string, whereHtml: string): string;
      /** the confirmation link lapsed unconfirmed: the person never said yes */
      expiredHtml(askedHtml: string, expiredHtml: string, whereHtml: string): string;
      /** no confirmation email: its mailbox was sent one for another sign-up within the day (ADR 0075) */
      notAskedHtml(givenHtml: string, whereHtml: string, notAskedHtml: string): string;
    };
  };
  readonly reports: {
    readonly title: string;
    readonly period: string;
    readonly periods: {
      /** the calendar's week: "Last week (Monday to Sunday)", its first and last day's names */
      lastWeek(first: string, last: string): string;
      readonly days7: string;
      readonly thisWeek: string;
      readonly days30: string;
      readonly custom: string;
    };
    readonly more: string;
    readonly from: string;
    readonly to: string;
    readonly queue: string;
    readonly allQueues: string;
    readonly rep: string;
    readonly allReps: string;
    /** the rep filter's option for a rep who has left the SLA (their name as their facts recorded it) */
    formerRep(name: string): string;
    readonly name: string;
    readonly all: string;
    windowHtml(fromHtml: string, toHtml: string, versionHtml: string): string;
    readonly sales: string;
    promise(within: string): string;
    waited(count: number, leads: string, median: string, p90: string): string;
    readonly perRep: string;
    readonly perQueue: string;
    readonly noHandovers: string;
    readonly histogram: string;
    readonly columns: {
      readonly handovers: string;
      readonly met: string;
      readonly breached: string;
      readonly pending: string;
      readonly within: string;
      readonly median: string;
      readonly p90: string;
      readonly attempts: string;
      readonly cadenceBreaches: string;
      readonly escalations: string;
      readonly reassigned: string;
      readonly recycled: string;
    };
    /** what each column of the sales tables counts, under them: a manager checks a figure against the leads */
    readonly legend: {
      readonly title: string;
      readonly handovers: string;
      met(within: string): string;
      readonly breached: string;
      readonly pending: string;
      readonly within: string;
      readonly response: string;
      readonly attempts: string;
      readonly cadenceBreaches: string;
      readonly escalations: string;
      readonly reassigned: string;
      /** `statuses`: the SLA's names of the statuses that send a lead back to marketing */
      recycled(statuses: string | null): string;
    };
    readonly marketing: string;
    readonly mqlsPerMonth: string;
    readonly month: string;
    readonly mqls: string;
    readonly target: string;
    readonly rejections: string;
    readonly reason: string;
    readonly leads: string;
    readonly noRejections: string;
    readonly timeInStage: string;
    readonly reached: string;
    readonly onToNext: string;
    readonly conversionToNext: string;
    readonly stageMedian: string;
    readonly stageP90: string;
    /** the managers' part (ADR 0090): the leads over to a manager in the period and what became of each */
    readonly overTo: {
      readonly title: string;
      readonly note: string;
      readonly none: string;
      readonly columns: {
        readonly managers: string;
        readonly leads: string;
        readonly givenOn: string;
        readonly givenOnMedian: string;
        readonly givenOnP90: string;
        readonly touched: string;
        readonly recycled: string;
        readonly ended: string;
        readonly open: string;
      };
    };
    /**
     * The retention of sign-ups never confirmed (ADR 0092), shown when the SLA sets it: `count` the leads it erased
     * in the period (`formatted` as the page writes numbers), `after` the SLA's days ("90 days").
     */
    readonly retention: {
      readonly title: string;
      erasedHtml(count: number, formatted: string, after: string): string;
    };
  };
  readonly sla: {
    versionHtml(versionHtml: string): string;
    readonly marketing: string;
    readonly noMqlTarget: string;
    mqlsPerMonth(count: number, formatted: string): string;
    readonly noSqlTarget: string;
    sqlAcceptance(rate: string): string;
    thresholds(mql: string, sql: string): string;
    readonly sales: string;
    firstTouchHtml(withinHtml: string): string;
    /** the working calendar: what business hours and business days count */
    readonly calendar: {
      readonly title: string;
      readonly intro: string;
      readonly timeZone: string;
      readonly workingTime: string;
      readonly holidaysAhead: string;
      /** working days: "Monday to Friday" (a run of three or more days), else the days listed */
      daysRange(first: string, last: string): string;
      readonly everyDay: string;
      /** "08:00 to 17:00" */
      hoursHtml(startHtml: string, endHtml: string): string;
      /** between two holidays' dates (a date has commas of its own in Arabic) */
      readonly holidaySeparator: string;
      /** after the next few holidays: ", and 3 more" */
      moreHolidays(count: number, formatted: string): string;
      readonly noHolidays: string;
      /** a rep without holidays of their own */
      readonly companyHolidays: string;
      /** the table of reps whose zone, days, hours or holidays are their own */
      readonly ownCalendars: string;
      readonly rep: string;
    };
    lateHtml(stepsHtml: string): string;
    /** one escalation step: what, and after how long (null: at once) */
    stepHtml(actionHtml: string, afterHtml: string | null): string;
    readonly andThen: string;
    cadenceHtml(
      nameHtml: string,
      count: number,
      formatted: string,
      stepsHtml: string,
      coolOffHtml: string,
    ): string;
    attemptHtml(number: string, channelHtml: string, afterHtml: string | null): string;
    readonly stages: string;
    readonly stage: string;
    readonly statuses: string;
    readonly status: string;
    readonly meaning: string;
    readonly repsMaySet: string;
    readonly yes: string;
    readonly no: string;
    readonly outcomes: string;
    readonly outcome: string;
    readonly dealStages: string;
    readonly probability: string;
    readonly types: string;
    readonly type: string;
    readonly whatItIs: string;
    readonly queues: string;
    readonly queue: string;
    readonly reps: string;
    readonly manager: string;
    readonly people: string;
    readonly name: string;
    readonly role: string;
    readonly sessions: string;
    signOutLabel(name: string): string;
    readonly signOutEverywhere: string;
    teamOfHtml(managerHtml: string): string;
    readonly formerManager: string;
    signedOut(name: string, sessions: number, formatted: string): string;
  };
  readonly webhooks: {
    readonly title: string;
    /** what the overview's notice is about, before its sentences */
    readonly eventsOut: string;
    failingNoticeHtml(count: number, formatted: string, namesHtml: string): string;
    /** endpoints answering again whose failed deliveries (from before) wait for a replay */
    toReplayNoticeHtml(count: number, formatted: string, namesHtml: string): string;
    readonly seeAndReplay: string;
    readonly bus: string;
    replayed(idHtml: string): string;
    readonly off: string;
    readonly allAnswering: string;
    failing(count: number, formatted: string): string;
    answeringAgain(count: number, formatted: string): string;
    readonly endpoints: string;
    readonly failingEndpoints: string;
    readonly endpoint: string;
    /** the column that says whether an endpoint fails now or answers again */
    readonly now: string;
    readonly nowFailing: string;
    answeringSinceHtml(timeHtml: string): string;
    readonly retrying: string;
    readonly failed: string;
    readonly lastError: string;
    readonly lastAttempt: string;
    readonly failedDeliveries: string;
    /** the link from one endpoint's deliveries back to every endpoint's failed ones */
    readonly allFailedDeliveries: string;
    readonly failedForGood: string;
    readonly event: string;
    readonly sendAgain: string;
    readonly lead: string;
    readonly open: string;
    readonly attempts: string;
    replayLabel(event: string): string;
    readonly replay: string;
    readonly replayNoteHtml: string;
    readonly none: string;
    /** one endpoint's deliveries (the delivery log filtered): the link per endpoint, the section, its form */
    readonly deliveries: string;
    deliveriesOf(endpoint: string): string;
    deliveriesToHtml(endpointHtml: string): string;
    readonly deliveryFilters: string;
    readonly status: string;
    readonly statusNames: Readonly<Record<'pending' | 'retrying' | 'delivered' | 'failed', string>>;
    readonly anyEvent: string;
    readonly leadId: string;
    readonly leadIdHint: string;
    readonly show: string;
    readonly allEndpoints: string;
    /** the time column per status: when delivered, the last attempt, the next attempt */
    readonly deliveredAt: string;
    readonly nextAttempt: string;
    newestFirst(status: string): string;
    readonly noneMatch: string;
    readonly readOn: string;
    readonly pages: string;
    readonly firstPage: string;
    readonly nextPage: string;
  };
  readonly signIn: {
    readonly title: string;
    readonly intro: string;
    readonly email: string;
    readonly send: string;
    readonly checkTitle: string;
    maybeSentHtml(emailHtml: string): string;
    worksOnceHtml(minutes: string): string;
    confirmTitle(name: string): string;
    confirm(name: string, role: string): string;
    readonly button: string;
    readonly nothingUntil: string;
  };
}

/** Arabic plural of counted nouns (Intl.PluralRules picks the form: 1, 2, 3-10, 11+), `#` the number. */
const arabicPlural = new Intl.PluralRules('ar');
function arCount(n: number, formatted: string, forms: Record<Intl.LDMLPluralRule, string>): string {
  const rule = Number.isFinite(n) ? arabicPlural.select(n) : 'other';
  return forms[rule].replace('#', formatted);
}

/** An attempt's words by its channel (ADR 0087), one place for the console and the links' pages. */
const attemptWordsEn = (channel: string | undefined) => attemptWords('en', channel);
const attemptWordsAr = (channel: string | undefined) => attemptWords('ar', channel);

const en: ConsoleText = {
  layout: {
    skip: 'Skip to content',
    navLabel: 'Console',
    nav: { overview: 'Overview', leads: 'Leads', reports: 'Reports', sla: 'The SLA', webhooks: 'Webhooks' },
    roles: { rep: 'Rep', manager: 'Manager', ops: 'Ops' },
    signOut: 'Sign out',
    comma: ', ',
    none: 'None.',
    minutes: (n) => `${n} min`,
    hours: (n) => `${n} h`,
    under: (span) => `<${span}`,
    andOver: (span) => `${span}+`,
    semicolon: '; ',
  },
  people: {
    nobody: 'nobody',
    notRecorded: 'not recorded',
    formerRep: 'a former rep',
    formerPerson: (role) => `a former ${role}`,
    workflow: 'the workflow',
    lead: 'the lead',
    form: 'a form',
    integration: 'an integration (API)',
    emailLink: 'an email link',
    formerStage: 'a former stage',
    opsAddress: 'ops (the deployment’s address)',
  },
  errors: {
    titles: {
      400: 'That did not work',
      401: 'Please sign in',
      403: 'Not allowed',
      404: 'Not found',
      405: 'That did not work',
      409: 'Nothing changed',
      410: 'This link has expired',
      413: 'Too much at once',
      415: 'That did not work',
      422: 'Not possible under the SLA',
      503: 'Not available',
    },
    fallbackTitle: 'That did not work',
    conflictTitle: 'Please try again',
    conflict:
      'The lead was being changed at the same moment; nothing was changed. Go back and send the form again.',
    brokenTitle: 'Something went wrong',
    broken: 'Something went wrong on our side; nothing was changed. Please try again in a minute.',
    back: 'Back',
    codes: {},
    messages: {},
    invalidField: 'not valid',
    fieldNames: {
      origin: 'Where the request came from',
      csrf: 'The form’s token',
      token: 'The sign-in link',
      subscription: 'Subscription',
    },
    refusals: {
      attemptInFuture: (channel) =>
        `in the future: give the time the ${attemptMade('en', channel)}, now or earlier`,
      attemptBeforeHandoff: (at) =>
        `before the lead was handed off (${at}): contact attempts count from the handoff`,
      unknownOutcome: (known) => `unknown outcome; the SLA has: ${known}`,
      unknownDealStage: (known) => `unknown deal stage; the SLA has: ${known}`,
      unknownStatus: (known) => `unknown lead status; reps may set: ${known}`,
      statusNotForReps: (status) => `reps may not set “${status}”`,
      unknownRep: (known) => `not a rep of the SLA; it has: ${known}`,
      repOutOfReach: (rep, viewerIsRep) => `${rep} is not ${viewerIsRep ? 'you' : 'in your team'}`,
      leadClosed: (customer) => `the lead is ${customer ? 'a customer' : 'disqualified'}`,
      notHandedOff: (stage) => `the lead is ${stage}, not yet handed to a rep`,
      tooLong: (max) => `at most ${max} characters`,
      unknownValue: (value, known) => `the SLA has no “${value}”; it has: ${known}`,
      unknownSubscription: (value, configured) =>
        `no subscription “${value}”: none is configured under that id, and the log holds no delivery of it. Configured: ${configured}`,
    },
  },
  overview: {
    title: 'Overview',
    lastDays: (from, sla, version) =>
      `The last 7 days, ${from} to now, under SLA ${sla} (version ${version}).`,
    fullReport: 'Full report',
    glance: 'At a glance',
    firstTouch: 'First touch within SLA',
    firstTouchDetail: (met, breached, pending) => `${met} met, ${breached} breached, ${pending} pending`,
    response: 'Response time',
    responseDetail: (p90, count, n) =>
      count === 0
        ? 'no lead touched yet'
        : count === 1
          ? 'business hours to first touch, of the one lead touched'
          : `median business hours to first touch, of ${n} leads touched; 90% within ${p90}`,
    attempts: 'Attempts made',
    attemptsDetail: (cadence) => `the cadence asks ${cadence}`,
    mqls: 'MQLs delivered',
    mqlsOf: (actual, target) => `${actual} of ${target}`,
    noMqlTarget: 'the SLA sets no MQL target',
    mqlCommitment: 'marketing’s commitment, pro-rated to the period',
    sqls: 'SQLs sales accepted',
    sqlsDetail: (handed, rejected) => `${handed} handed over, ${rejected} rejected`,
    sqlsTarget: (rate) => `; the SLA asks ${rate}`,
    overdue: 'Overdue first touches',
    overdueCaption: 'Handed over, no attempt since, past the first-touch deadline',
    overdueEmpty: 'none: every handed-over lead was touched in time or is still within its deadline.',
    allOverdue: 'All overdue first touches',
    overdueShown: (shown) => `The first ${shown} are shown; there are more.`,
    dueToday: 'Due today, per rep',
    waiting: 'Waiting for an owner',
    waitingCaption: 'Nobody in its queue could take it: decide who works it',
    allWaiting: 'All leads waiting for an owner',
    lastChange: 'Last change',
    wasDue: 'Was due',
    nothingDue: 'Nothing is due today.',
    dueCaption: (rep, _count, n, more) => `${rep}: ${more ? `the first ${n} due` : `${n} due`}`,
    allDueFor: (rep) => `All leads due today for ${rep}`,
    formerOwner: (id) => `Former rep ${id} (no longer in the SLA)`,
    formerNote: (successor) =>
      successor
        ? `The SLA gives these leads to ${successor} at their next step; to choose someone now, reassign each from its page.`
        : 'Reassign each lead from its page.',
    allDueForFormer: (id) => `All leads of former rep ${id} due today`,
    step: 'Step',
    due: 'Due',
    late: 'late',
    funnel: 'Funnel',
    funnelChart: 'Leads that reached each stage in the period, and the share of them that reached the next',
    funnelBar: (reached, conversionToNext) =>
      `${reached}${conversionToNext === null ? '' : ` · ${conversionToNext} on to the next`}`,
    funnelNote: (sql, mql) =>
      `A lead counts at the stage it reached and at every stage before it: one that arrives at the ${sql} stage counts as an MQL too, and one sent back to marketing counts again only when it moves up again. The ${mql} bar is marketing's MQLs delivered.`,
  },
  leads: {
    title: 'Leads',
    search: 'Search (email, name or company: the first letters)',
    more: 'Stage, status, type',
    moreOwner: 'Stage, status, type, owner',
    stage: 'Stage',
    anyStage: 'Any stage',
    status: 'Status',
    anyStatus: 'Any status',
    type: 'Lead type',
    anyType: 'Any type',
    owner: 'Owner',
    anyone: 'Anyone',
    overdueOnly: 'Overdue first touch only',
    waitingOnly: 'Waiting for an owner only',
    dueTodayOnly: 'Next step due today only',
    show: 'Show',
    clear: 'Clear',
    lead: 'Lead',
    company: 'Company',
    score: 'Score',
    firstTouch: 'First touch',
    nextStep: 'Next step',
    stepOf: (step, of) => `${step} of ${of}`,
    unnamed: 'A lead without a name',
    aLead: 'A lead',
    empty: 'no lead matches these filters.',
    searchCut: (_count, n) =>
      `This search matches more leads than it reads: showing the first ${n} matches of each field (email, name, company). Narrow your search.`,
    pages: 'Pages',
    firstPage: 'First page',
    nextPage: 'Next page',
    met: 'met',
    breached: 'breached',
    touchedHtml: (at) => ` (touched ${at})`,
    wasDueHtml: (at) => `, was due ${at}`,
    dueHtml: (at) => `due ${at}`,
  },
  lead: {
    jump: 'On this page',
    whatYouCanDo: 'What you can do',
    story: 'Its story',
    email: 'Email',
    company: 'Company',
    jobTitle: 'Job title',
    phone: 'Phone',
    country: 'Country',
    language: 'Language',
    message: 'Message',
    stage: 'Stage',
    status: 'Status',
    type: 'Lead type',
    persona: 'Persona',
    owner: 'Owner',
    notHandedOver: 'not handed to a rep',
    score: 'Score',
    scoreDetailHtml: (total, fit, tier, engagement) =>
      `${total} (fit ${fit}, tier ${tier}; engagement ${engagement})`,
    marketingEmail: 'Marketing email',
    judgedBy: 'Judged by SLA',
    phoneAsGiven: '(as the form gave it: not read as a number)',
    employees: 'Employees',
    revenue: 'Annual revenue',
    formIssues: 'The form also sent',
    attempts: 'Contact attempts',
    when: 'When',
    outcome: 'Outcome',
    channel: 'Channel',
    by: 'By',
    note: 'Note',
    noAttempts: 'none yet.',
    latestAttempts: (shown, _total, total) => `The latest ${shown} of ${total} attempts.`,
    done: {
      attempt: 'The attempt is logged.',
      deal: 'The deal is updated.',
      status: 'The status is set.',
      owner: 'The lead is reassigned.',
      fields: 'The fields are corrected.',
      nothing: 'Nothing needed changing.',
    },
    leftYourLeads:
      'The lead has left your leads with it: it is with marketing now, or with another owner, so its page is no longer yours to open.',
    standing: 'Where it stands under the SLA',
    cadence: 'Cadence',
    cadenceDetailHtml: (name, step, of, attempted, at) =>
      `${name}: step ${step} of ${of}, ${attempted} attempted; next due ${at}`,
    cadenceOverdueHtml: (name, step, of, attempted, at) =>
      `${name}: step ${step} of ${of}, ${attempted} attempted; <strong class="late">overdue</strong> since ${at}`,
    cadenceBehindHtml: (name, attempted, of, due, scheduled, at) =>
      `${name}: ${attempted} of ${of} attempted, <strong class="late">overdue</strong> since ${due}; by its schedule step ${scheduled} was due ${at} (the step your reminders are at)`,
    escalation: 'Escalation',
    escalationNextHtml: (action, at) => `next: ${action}, ${at}`,
    handovers: 'Handovers',
    byHtml: (name) => ` by ${name}`,
    noHandovers: 'none',
    escalations: {
      remindOwner: 'remind the owner',
      notifyManager: 'tell the manager',
      reassign: 'reassign',
      handToManager: 'hand to the manager',
    },
    channels: { phone: 'Phone', email: 'Email', linkedin: 'LinkedIn', sms: 'SMS', video: 'Video call' },
    logAttempt: 'Log a contact attempt',
    noteOptional: 'Note (optional)',
    whenOptional: 'When (optional)',
    whenHint: (zone) =>
      `Leave it empty for just now; an attempt made earlier counts from its own time (${zone}).`,
    logAttemptButton: 'Log attempt',
    sameCall: {
      title: 'Logged already?',
      loggedHtml: (outcome, channel, at, noted) =>
        `You logged ${outcome}${channel ? ` (${channel})` : ''}${noted ? ' with the same note' : ''} at ${at}. This attempt is not logged yet.`,
      askAgain: (channel) => {
        const { again, same } = attemptWordsEn(channel);
        return `${again} Then log it as another attempt. Was it the same ${same}, logged again from another tab or from a page your browser gave back? Then it is logged already and counts once.`;
      },
      logAnother: 'Log another attempt',
      sameOne: (channel) => `It was the same ${attemptWordsEn(channel).same}`,
    },
    moveDeal: 'Move the deal',
    openDeal: 'Open a deal',
    dealStage: 'Deal stage',
    amountOptional: 'Amount (optional)',
    saveDeal: 'Save deal',
    setStatus: 'Set the status',
    setStatusButton: 'Set status',
    reassign: 'Reassign',
    newOwner: 'New owner',
    reasonOptional: 'Reason (optional)',
    giveLead: 'Give the lead',
    giveToRep: 'Give the lead to a rep',
    rep: 'Rep',
    correct: 'Correct what we know',
    saveCorrections: 'Save corrections',
    fields: {
      firstName: 'First name',
      lastName: 'Last name',
      company: 'Company',
      jobTitle: 'Job title',
      phone: 'Phone',
      country: 'Country',
    },
    closed: (customer) =>
      `This lead is ${customer ? 'a customer' : 'closed'}; only its fields can be corrected.`,
    waitingNotice:
      'Nobody in its queue could take this lead (everyone away or at capacity); LeadPact tries again every hour. Give it to a rep to hand it off now.',
    noOwnerNotice: 'No rep owns this lead yet: attempts and deals start after the handover.',
    why: 'Why it scores this way',
    lastJudgedHtml: (stage, at, version) => `Last judged ${stage} on ${at} by SLA ${version}:`,
    scoreMoved: (then, now) =>
      `The score was ${then} then and is ${now} now: engagement since (new events, and points fading with time) moved it.`,
    deal: 'Deal',
    sinceHtml: (at) => `, since ${at}`,
    amount: 'Amount',
    opened: 'Opened',
    latestChanges: (shown) => `The latest ${shown} changes.`,
    kinds: {
      created: 'Created',
      submitted: 'Submitted',
      judged: 'Judged',
      qualified: 'Qualified',
      stage: 'Stage',
      status: 'Status',
      owner: 'Owner',
      attempt: 'Attempt',
      deal: 'Deal',
      handoff: 'Handoff',
      cadence: 'Cadence',
      escalation: 'Escalation',
      overdue: 'Overdue',
      breach: 'Breach',
      undeliverable: 'Undeliverable',
      unsubscribed: 'Unsubscribed',
      erased: 'Erased',
      fields: 'Fields',
      field: 'Field',
      failure: 'Failure',
      consent: 'Consent',
      coolOff: 'Cool off',
      emailDropped: 'Email dropped',
      emailRetrying: 'Email not sent yet',
      needsOwner: 'Needs owner',
      email: 'Email',
      nurture: 'Nurture',
      reminder: 'Reminder',
    },
    // the kind in words: needsOwner is "Needs owner"
    otherKind: (kind) => {
      const spaced = kind.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();
      return spaced.charAt(0).toUpperCase() + spaced.slice(1);
    },
    consent: {
      bounced: 'no: the address bounced or complained',
      onFormHtml: (form) => ` on the form "${form}"`,
      reconfirmHtml: (withdrawn, asked, where) =>
        `no: unsubscribed${withdrawn ? ` ${withdrawn}` : ''}; asked to confirm again ${asked}${where}`,
      unsubscribedHtml: (withdrawn) => `no: unsubscribed${withdrawn ? ` ${withdrawn}` : ''}`,
      givenBefore: 'yes (given before consent records were kept)',
      none: 'no consent given',
      confirmedHtml: (at, where) => `yes: confirmed ${at}${where}`,
      singleHtml: (at, where) => `yes: given ${at}${where} (single opt-in)`,
      notSentHtml: (at, where) =>
        `not yet: given ${at}${where}; no confirmation email sent yet (it goes out when the lead comes to nurture)`,
      askedHtml: (at, where) => `not yet: asked to confirm ${at}${where}`,
      expiredHtml: (asked, expired, where) =>
        `no: asked to confirm ${asked}${where}; the link expired unconfirmed ${expired}`,
      notAskedHtml: (given, where, notAsked) =>
        `no: given ${given}${where}; not asked to confirm ${notAsked}: the same mailbox was sent a confirmation email for another sign-up that day (a new sign-up after it is asked)`,
    },
  },
  reports: {
    title: 'Reports',
    period: 'Period',
    periods: {
      lastWeek: (first, last) => `Last week (${first} to ${last})`,
      days7: 'Last 7 days',
      thisWeek: 'This week so far',
      days30: 'Last 30 days',
      custom: 'From and to below',
    },
    more: 'Dates, queue, rep',
    from: 'From (for “From and to below”)',
    to: 'To (a date, not included)',
    queue: 'Queue',
    allQueues: 'All queues',
    rep: 'Rep',
    allReps: 'All reps',
    formerRep: (name) => `${name} (no longer in the SLA)`,
    name: 'Name',
    all: 'All',
    windowHtml: (from, to, version) => `${from} to ${to} (not included), SLA version ${version}.`,
    sales: 'Sales against the SLA',
    promise: (within) => `The SLA promises a first touch within ${within} of the handover.`,
    waited: (count, leads, median, p90) =>
      `Before that clock started, ${count === 1 ? '1 lead' : `${leads} leads`} waited for an owner because nobody in the queue could take them: median ${median}, 90% within ${p90}.`,
    perRep: 'First touch and attempts per rep',
    perQueue: 'Per queue',
    noHandovers: 'no handovers in this period.',
    histogram: 'Response time: business hours from handover to first attempt (leads)',
    columns: {
      handovers: 'Handovers',
      met: 'Met',
      breached: 'Breached',
      pending: 'Pending',
      within: 'Within SLA',
      median: 'Response median',
      p90: 'Response 90%',
      attempts: 'Attempts / cadence',
      cadenceBreaches: 'Cadence breaches',
      escalations: 'Escalations',
      reassigned: 'Reassigned',
      recycled: 'Recycled',
    },
    legend: {
      title: 'What the columns count',
      handovers:
        'Leads the rep was given in the period: first handoffs and reassignments alike. Met, Breached and Pending can add up to fewer: a lead taken away or erased untouched before its deadline (a manager gave it to someone else, or its data was deleted) is none of the three, nobody having broken that promise; nor is a lead that was already connected or had a deal when it changed hands (no first touch is owed).',
      met: (within) => `The first attempt came within ${within} of the handover.`,
      breached: 'The first attempt came after the deadline, or none came and the deadline has passed.',
      pending: 'No attempt yet, and the deadline is still ahead.',
      within: 'Met out of Met plus Breached.',
      response:
        'Business hours from the handover to the first attempt, in the rep’s working calendar. The median is the middle time (with an even count, halfway between the two middle ones); 90% of first attempts came within the 90% time.',
      attempts:
        'Attempts logged, against the steps the cadence asks for: every step of each handover’s cadence, but a lead the rep no longer has (given to someone else, sent back to marketing, disqualified or erased) counts only the steps that had fallen due by then, and never fewer than the attempts the rep made while they had it, also one logged later. The next owner’s cadence counts from their own handover.',
      cadenceBreaches:
        'Cadences that ran out with attempts missing, counted on the rep who had the lead then.',
      escalations:
        'Steps of the SLA’s ladder for a late first touch taken on the rep’s leads: each reminder, copy to the manager or reassignment counts one.',
      reassigned:
        'Of the Handovers, those the rep got when a lead changed owner (the ladder or a manager moved it to them). Leads taken away from the rep are not counted here.',
      recycled: (statuses) =>
        `Leads sent back to marketing${statuses === null ? '' : ` (${statuses})`} while the rep had them.`,
    },
    marketing: 'Marketing against the SLA',
    mqlsPerMonth: 'MQLs per month',
    month: 'Month',
    mqls: 'MQLs',
    target: 'Target',
    rejections: 'Why sales rejected SQLs',
    reason: 'Reason',
    leads: 'Leads',
    noRejections: 'no SQL was rejected.',
    timeInStage: 'Stages reached, and time in each stage (wall-clock hours, of the leads that left it)',
    reached: 'Reached',
    onToNext: 'On to the next stage',
    conversionToNext: 'Conversion to the next stage',
    stageMedian: 'Median',
    stageP90: '90%',
    overTo: {
      title: 'Over to the managers: what became of the leads the ladder handed over',
      note: 'When the escalation ladder runs out, the lead goes over to its queue’s manager and stays with its owner until the manager decides who works it. Each lead over to a manager in the period counts once, by what came first after it: given to a rep, an attempt logged (the first touch), recycled untouched (the cadence ran out), disqualified or erased; still open when none of these has happened yet. Given on after: business hours of the company’s calendar from the takeover to the new owner.',
      none: 'no lead went over to a manager in this period.',
      columns: {
        managers: 'Over to',
        leads: 'Leads',
        givenOn: 'Given to a rep',
        givenOnMedian: 'Given on after, median',
        givenOnP90: 'Given on after, 90%',
        touched: 'First touch after it',
        recycled: 'Recycled untouched',
        ended: 'Disqualified or erased',
        open: 'Still open',
      },
    },
    retention: {
      title: 'Sign-ups never confirmed',
      erasedHtml: (_count, formatted, after) =>
        `Erased in the period: <strong>${formatted}</strong>. The SLA erases a lead kept only for a sign-up never confirmed ${after} after its confirmation link lapsed. An erased lead has no queue or rep any more: this counts all of them.`,
    },
  },
  sla: {
    versionHtml: (version) =>
      `Version ${version}. This is the agreement in force: what marketing delivers, what sales does with it.`,
    marketing: 'Marketing commits to',
    noMqlTarget: 'No MQL volume target.',
    mqlsPerMonth: (_count, n) => `${n} MQLs a month.`,
    noSqlTarget: 'No SQL acceptance target.',
    sqlAcceptance: (rate) => `At least ${rate} of the SQLs it hands over are accepted by sales.`,
    thresholds: (mql, sql) =>
      `A lead becomes an MQL at ${mql} points and an SQL at ${sql} points (fit plus engagement).`,
    sales: 'Sales commits to',
    firstTouchHtml: (within) => `A first touch within ${within} of the handover.`,
    calendar: {
      title: 'Working calendar',
      intro: 'Business hours and business days count only the working time below.',
      timeZone: 'Time zone',
      workingTime: 'Working days and hours',
      holidaysAhead: 'Holidays ahead',
      daysRange: (first, last) => `${first} to ${last}`,
      everyDay: 'every day',
      hoursHtml: (start, end) => `${start} to ${end}`,
      holidaySeparator: ', ',
      moreHolidays: (_count, n) => `, and ${n} more`,
      noHolidays: 'none',
      companyHolidays: 'the company’s',
      ownCalendars: 'Reps on a calendar of their own',
      rep: 'Rep',
    },
    lateHtml: (steps) => `When it is late: ${steps}.`,
    stepHtml: (action, after) => `${action} ${after === null ? 'at once' : `after ${after}`}`,
    andThen: ', then ',
    cadenceHtml: (name, _count, n, steps, coolOff) =>
      `Cadence “${name}”: ${n} attempts (${steps}); then recycle, back to nurture after ${coolOff}.`,
    attemptHtml: (number, channel, after) =>
      `${number}. ${channel}${after === null ? '' : ` after ${after}`}`,
    stages: 'Lifecycle stages',
    stage: 'Stage',
    statuses: 'Lead statuses',
    status: 'Status',
    meaning: 'Meaning',
    repsMaySet: 'Reps may set it',
    yes: 'yes',
    no: 'no',
    outcomes: 'Contact outcomes',
    outcome: 'Outcome',
    dealStages: 'Deal stages',
    probability: 'Probability',
    types: 'Lead types',
    type: 'Type',
    whatItIs: 'What it is',
    queues: 'Queues',
    queue: 'Queue',
    reps: 'Reps',
    manager: 'Manager',
    people: 'People',
    name: 'Name',
    role: 'Role',
    sessions: 'Sessions',
    // the button's visible words first (WCAG 2.5.3, label in name: a voice-control user says what they see)
    signOutLabel: (name) => `Sign out everywhere: ${name}`,
    signOutEverywhere: 'Sign out everywhere',
    teamOfHtml: (manager) => `rep, team of ${manager}`,
    formerManager: 'a former manager',
    signedOut: (name, sessions, n) =>
      `${name} is signed out everywhere${sessions > 0 ? ` (${n} ${sessions === 1 ? 'session' : 'sessions'} ended)` : ''}; links sent to them before now no longer work.`,
  },
  webhooks: {
    title: 'Webhooks',
    eventsOut: 'Events out:',
    failingNoticeHtml: (count, n, names) =>
      `${n} webhook endpoint${count === 1 ? ' is' : 's are'} failing (${names}).`,
    toReplayNoticeHtml: (count, n, names) =>
      `${n} webhook endpoint${count === 1 ? ' answers' : 's answer'} again, with failed deliveries to replay (${names}).`,
    seeAndReplay: 'See and replay',
    bus: 'The EventBridge bus',
    replayed: (id) => `Delivery ${id} was sent again; its outcome shows in the log below.`,
    off: 'Events out is not running here: there is no delivery log to show.',
    allAnswering: 'Every endpoint is answering: no delivery is waiting for a retry or has failed.',
    failing: (count, n) =>
      `${n} endpoint${count === 1 ? ' is' : 's are'} failing: the latest attempt failed. Retries run for about 16 hours; after that a delivery is failed and waits for a replay.`,
    answeringAgain: (count, n) =>
      `${n} endpoint${count === 1 ? ' answers' : 's answer'} again: ${count === 1 ? 'its' : 'their'} failed deliveries from before wait for a replay (below); retrying ones go at their next attempt.`,
    endpoints: 'Endpoints',
    failingEndpoints: 'Endpoints with failed deliveries',
    endpoint: 'Endpoint',
    now: 'Now',
    nowFailing: 'Failing',
    answeringSinceHtml: (at) => `Answering (took a delivery ${at})`,
    retrying: 'Retrying',
    failed: 'Failed',
    lastError: 'Last error',
    lastAttempt: 'Last attempt',
    failedDeliveries: 'Failed deliveries',
    allFailedDeliveries: 'Every endpoint’s failed deliveries',
    failedForGood: 'Failed for good, newest first',
    event: 'Event',
    sendAgain: 'Send again',
    lead: 'Lead',
    open: 'Open',
    attempts: 'Attempts',
    replayLabel: (event) => `Replay ${event}`,
    replay: 'Replay',
    replayNoteHtml:
      'A replay sends the same event under the same <code>webhook-id</code>, so a receiver that already has it drops the repeat. The API has the whole log: <code>GET /webhooks/deliveries?status=failed</code>.',
    none: 'none.',
    deliveries: 'Deliveries',
    deliveriesOf: (endpoint) => `Deliveries to ${endpoint}`,
    deliveriesToHtml: (endpoint) => `Deliveries to ${endpoint}`,
    deliveryFilters: 'Which deliveries',
    status: 'Status',
    statusNames: { pending: 'Pending', retrying: 'Retrying', delivered: 'Delivered', failed: 'Failed' },
    anyEvent: 'Any event',
    leadId: 'Lead id',
    leadIdHint: '22 characters, as in the lead’s address',
    show: 'Show',
    allEndpoints: 'All endpoints',
    deliveredAt: 'Delivered',
    nextAttempt: 'Next attempt',
    newestFirst: (status) => `${status}, newest first`,
    noneMatch: 'none match.',
    readOn:
      'This page stopped after reading part of the log: older deliveries may match. The next page reads on.',
    pages: 'Pages',
    firstPage: 'First page',
    nextPage: 'Next page',
  },
  signIn: {
    title: 'Sign in to the console',
    intro: 'Reps, managers and ops named in the SLA sign in with a link sent to their email. No password.',
    email: 'Your work email',
    send: 'Email me a sign-in link',
    checkTitle: 'Check your email',
    maybeSentHtml: (email) =>
      `If ${email} belongs to someone named in the SLA, a sign-in link is on its way.`,
    worksOnceHtml: (minutes) =>
      `The link works once, for ${minutes} minutes. Nothing arrived? Check the address and <a href="/console">ask again</a> in a minute.`,
    confirmTitle: (name) => `Sign in as ${name}?`,
    confirm: (name, role) => `You are signing in to LeadPact's console as ${name} (${role}).`,
    button: 'Sign in',
    nothingUntil: 'Nothing happens until you press the button. The link works once.',
  },
};

const ar: ConsoleText = {
  layout: {
    skip: 'انتقل إلى المحتوى',
    navLabel: 'لوحة التحكم',
    nav: {
      overview: 'نظرة عامة',
      leads: 'العملاء المحتملون',
      reports: 'التقارير',
      sla: 'الاتفاقية',
      webhooks: 'خطافات الويب',
    },
    roles: { rep: 'مندوب', manager: 'مدير', ops: 'العمليات' },
    signOut: 'تسجيل الخروج',
    comma: '، ',
    none: 'لا شيء.',
    minutes: (n) => `${n} د`,
    hours: (n) => `${n} س`,
    // "<1 س" and "40 س+" put the signs on the wrong side of the number for a right-to-left reader
    under: (span) => `أقل من ${span}`,
    andOver: (span) => `${span} فأكثر`,
    semicolon: '؛ ',
  },
  people: {
    nobody: 'لا أحد',
    notRecorded: 'غير مسجَّل',
    formerRep: 'مندوب سابق',
    formerPerson: (role) => ({ rep: 'مندوب سابق', manager: 'مدير سابق', ops: 'فريق عمليات سابق' })[role],
    workflow: 'سير العمل',
    lead: 'العميل المحتمل',
    form: 'نموذج',
    integration: 'تكامل (واجهة برمجية)',
    emailLink: 'رابط في رسالة',
    formerStage: 'مرحلة سابقة',
    opsAddress: 'العمليات (عنوان النظام)',
  },
  errors: {
    titles: {
      400: 'لم ينجح ذلك',
      401: 'يرجى تسجيل الدخول',
      403: 'غير مسموح',
      404: 'غير موجود',
      405: 'لم ينجح ذلك',
      409: 'لم يتغير شيء',
      410: 'انتهت صلاحية هذا الرابط',
      413: 'أكثر مما نقبل دفعة واحدة',
      415: 'لم ينجح ذلك',
      422: 'غير ممكن وفق الاتفاقية',
      503: 'غير متاح',
    },
    fallbackTitle: 'لم ينجح ذلك',
    conflictTitle: 'يرجى المحاولة مرة أخرى',
    conflict: 'كان العميل المحتمل يتغيّر في اللحظة نفسها؛ لم يتغير شيء. ارجع وأرسل النموذج مرة أخرى.',
    brokenTitle: 'حدث خطأ',
    broken: 'حدث خطأ من جهتنا؛ لم يتغير شيء. يرجى المحاولة بعد دقيقة.',
    back: 'رجوع',
    codes: {
      invalid_request: 'لم يُقبل ما أُرسل؛ لم يتغير شيء. راجع الحقول وحاول مرة أخرى.',
      unauthorized: 'انتهت جلستك؛ سجّل الدخول مرة أخرى.',
      forbidden: 'لا تملك صلاحية هذا الإجراء؛ لم يتغير شيء.',
      cross_site: 'لا يُقبل هذا النموذج إلا من لوحة التحكم نفسها.',
      csrf: 'النموذج قديم؛ أعد تحميل الصفحة وحاول مرة أخرى.',
      not_found: 'لا توجد صفحة أو عميل محتمل بهذا العنوان.',
      erased: 'حُذف هذا العميل المحتمل.',
      not_handed_off: 'لم يُسند العميل المحتمل إلى مندوب بعد.',
      unprocessable: 'لا تسمح الاتفاقية بذلك؛ لم يتغير شيء.',
      conflict: 'لم يتغير شيء.',
      temporarily_unavailable: 'الخدمة مشغولة الآن؛ يرجى المحاولة مرة أخرى بعد ثوانٍ.',
      method_not_allowed: 'هذا العنوان يستقبل النماذج فقط؛ افتح الصفحة من لوحة التحكم.',
      used: 'استُخدم رابط تسجيل الدخول هذا من قبل؛ اطلب رابطًا جديدًا من صفحة لوحة التحكم.',
      expired: 'تعمل روابط تسجيل الدخول لمدة محدودة؛ اطلب رابطًا جديدًا.',
      revoked: 'أُرسل هذا الرابط قبل إنهاء جلساتك؛ اطلب رابطًا جديدًا.',
      invalid_link: 'رابط تسجيل الدخول هذا ناقص أو تغيّر؛ افتحه من الرسالة مرة أخرى.',
      not_configured: 'هذه الخدمة غير مفعّلة على هذا الخادم.',
      unavailable: 'غير متاح هنا.',
    },
    messages: {
      'no such lead': 'هذا العميل المحتمل غير موجود.',
      'the filters are invalid': 'عوامل التصفية غير صالحة.',
      'the report filters are invalid': 'عوامل تصفية التقرير غير صالحة.',
      'there is no page at this address in the console': 'لا توجد صفحة بهذا العنوان في لوحة التحكم.',
      'the corrections are invalid': 'التصحيحات غير صالحة.',
      'the attempt is invalid': 'المحاولة غير صالحة.',
      'the deal is invalid': 'بيانات الصفقة غير صالحة.',
      'the status is invalid': 'الحالة غير صالحة.',
      'the reassignment is invalid': 'إعادة الإسناد غير صالحة.',
      'the lead was erased': 'حُذف هذا العميل المحتمل.',
      'choose an outcome': 'اختر نتيجة',
      'choose a deal stage': 'اختر مرحلة للصفقة',
      'choose a status': 'اختر حالة',
      'choose a rep': 'اختر مندوبًا',
      'a number from 0 to 1,000,000,000,000': 'رقم من 0 إلى 1,000,000,000,000',
      'unknown field': 'حقل غير معروف',
      'unknown parameter': 'معامل غير معروف',
      'today, or leave it out': 'اليوم، أو اتركه فارغًا',
      'one of last-week, this-week, 7d, 30d, custom': 'اختر فترة من القائمة',
      'not this site': 'ليس من هذا الموقع',
      'not the token of this session': 'ليس رمز هذه الجلسة',
      'not a valid sign-in link': 'ليس رابط تسجيل دخول صالحًا',
      'a date and time': 'تاريخ ووقت',
      'a phone number: digits, spaces, + ( ) - . / and an extension':
        'رقم هاتف: أرقام ومسافات و+ ( ) - . / ورقم داخلي',
      'a country name or two-letter ISO code': 'اسم دولة أو رمزها من حرفين (ISO)',
      'a rep cannot reassign; ask your manager': 'لا يمكن للمندوب إعادة الإسناد؛ اطلب ذلك من مديرك.',
    },
    invalidField: 'قيمة غير صالحة',
    fieldNames: {
      origin: 'مصدر الطلب',
      csrf: 'رمز النموذج',
      token: 'رابط تسجيل الدخول',
      subscription: 'الاشتراك',
    },
    refusals: {
      attemptInFuture: (channel) => `وقت في المستقبل: أدخل وقت ${attemptMade('ar', channel)}، الآن أو قبله`,
      attemptBeforeHandoff: (at) => `قبل إسناد العميل المحتمل (${at}): تُحتسب محاولات التواصل من وقت الإسناد`,
      unknownOutcome: (known) => `نتيجة غير معروفة؛ نتائج الاتفاقية: ${known}`,
      unknownDealStage: (known) => `مرحلة صفقة غير معروفة؛ مراحل الاتفاقية: ${known}`,
      unknownStatus: (known) => `حالة غير معروفة؛ يمكن للمندوبين تعيين: ${known}`,
      statusNotForReps: (status) => `لا يمكن للمندوبين تعيين الحالة «${isolated(status)}»`,
      unknownRep: (known) => `ليس مندوبًا في الاتفاقية؛ مندوبوها: ${known}`,
      repOutOfReach: (rep, viewerIsRep) => `${isolated(rep)} ${viewerIsRep ? 'شخص غيرك' : 'خارج فريقك'}`,
      leadClosed: (customer) =>
        customer ? 'أصبح هذا العميل المحتمل عميلًا' : 'أُغلق ملف هذا العميل المحتمل (غير مؤهل)',
      notHandedOff: (stage) => `العميل المحتمل في مرحلة «${isolated(stage)}»، ولم يُسند إلى مندوب بعد`,
      tooLong: (max) => `الحد الأقصى ${max} من الأحرف`,
      unknownValue: (value, known) => `لا يوجد «${isolated(value)}» في الاتفاقية؛ فيها: ${known}`,
      unknownSubscription: (value, configured) =>
        `لا يوجد اشتراك «${isolated(value)}»: لم يُضبط اشتراك بهذا المعرّف، ولا يحوي السجل أي تسليم له. المضبوطة: ${configured}`,
    },
  },
  overview: {
    title: 'نظرة عامة',
    // the SLA's name says it is an agreement ("… - اتفاقية التسويق والمبيعات"): not said twice
    lastDays: (from, sla, version) =>
      `آخر 7 أيام، من ${from} حتى الآن، وفق ${isolated(sla)} (الإصدار ${isolated(version)}).`,
    fullReport: 'التقرير الكامل',
    glance: 'لمحة سريعة',
    firstTouch: 'أول تواصل ضمن الاتفاقية',
    firstTouchDetail: (met, breached, pending) =>
      `في الموعد: ${met}، متأخر: ${breached}، قيد الانتظار: ${pending}`,
    response: 'زمن الاستجابة',
    responseDetail: (p90, count, n) =>
      count === 0
        ? 'لم يُتواصل مع أي عميل محتمل بعد'
        : count === 1
          ? 'ساعات العمل حتى أول تواصل، للعميل المحتمل الوحيد الذي تُوصل معه'
          : `الوسيط بساعات العمل حتى أول تواصل، من ${arCount(count, n, { zero: '# عميل محتمل', one: 'عميل محتمل واحد', two: 'عميلَين محتملَين', few: '# عملاء محتملين', many: '# عميلًا محتملًا', other: '# عميل محتمل' })} تُوصل معهم؛ 90% خلال ${p90}`,
    attempts: 'المحاولات المنفَّذة',
    attemptsDetail: (cadence) => `يطلب التسلسل ${cadence}`,
    mqls: 'العملاء المحتملون المؤهلون تسويقيًا',
    mqlsOf: (actual, target) => `${actual} من ${target}`,
    noMqlTarget: 'لا تحدد الاتفاقية هدفًا لهم',
    mqlCommitment: 'التزام التسويق، بنسبة الفترة',
    sqls: 'المؤهلون للمبيعات المقبولون',
    sqlsDetail: (handed, rejected) => `سُلّم: ${handed}، رُفض: ${rejected}`,
    sqlsTarget: (rate) => `؛ الاتفاقية تطلب ${rate}`,
    overdue: 'أول تواصل متأخر',
    overdueCaption: 'سُلّم دون أي محاولة منذ تسليمه، وتجاوز مهلة أول تواصل',
    overdueEmpty: 'لا شيء: كل عميل محتمل سُلّم تم التواصل معه في الموعد أو ما زال ضمن مهلته.',
    allOverdue: 'كل حالات أول تواصل المتأخرة',
    overdueShown: (shown) => `تظهر هنا أول ${shown}، وهناك المزيد.`,
    dueToday: 'المستحق اليوم لكل مندوب',
    waiting: 'بانتظار مالك',
    waitingCaption: 'لم يستطع أحد في طابوره استلامه: قرّر من يتابعه',
    allWaiting: 'كل العملاء المحتملين بانتظار مالك',
    lastChange: 'آخر تغيير',
    wasDue: 'كان مستحقًا',
    nothingDue: 'لا شيء مستحق اليوم.',
    dueCaption: (rep, count, n, more) =>
      `${isolated(rep)}: ${more ? `أول ${n} من المستحقين` : arCount(count, n, { zero: 'لا أحد', one: 'عميل محتمل واحد مستحق', two: 'عميلان محتملان مستحقان', few: '# عملاء محتملين مستحقين', many: '# عميلًا محتملًا مستحقًا', other: '# عميل محتمل مستحق' })}`,
    allDueFor: (rep) => `كل المستحق اليوم لدى ${isolated(rep)}`,
    // the id isolated (FSI … PDI): Latin letters in a right-to-left line
    formerOwner: (id) => `المندوب السابق ${isolated(id)} (لم يعد في الاتفاقية)`,
    formerNote: (successor) =>
      successor
        ? `تُسند الاتفاقية هؤلاء العملاء المحتملين إلى ${isolated(successor)} عند خطوتهم التالية؛ ولتختار أحدًا الآن أعد إسناد كل عميل محتمل من صفحته.`
        : 'أعد إسناد كل عميل محتمل من صفحته.',
    allDueForFormer: (id) => `كل المستحق اليوم من العملاء المحتملين لدى المندوب السابق ${isolated(id)}`,
    step: 'الخطوة',
    due: 'الموعد',
    late: 'متأخر',
    funnel: 'القمع',
    funnelChart: 'العملاء المحتملون الذين بلغوا كل مرحلة خلال الفترة، ونسبة من بلغ منهم المرحلة التالية',
    funnelBar: (reached, conversionToNext) =>
      `${reached}${conversionToNext === null ? '' : ` · ${conversionToNext} إلى التالية`}`,
    funnelNote: (sql, mql) =>
      `يُحتسب العميل المحتمل في المرحلة التي بلغها وفي كل مرحلة قبلها: من يصل في مرحلة ${isolated(sql)} يُحتسب مؤهلًا تسويقيًا أيضًا، ومن أُعيد إلى التسويق لا يُحتسب من جديد إلا إذا صعد مرة أخرى. شريط ${isolated(mql)} هو العملاء المحتملون المؤهلون تسويقيًا الذين قدّمهم التسويق.`,
  },
  leads: {
    title: 'العملاء المحتملون',
    search: 'بحث (البريد أو الاسم أو الشركة: الأحرف الأولى)',
    more: 'المرحلة، الحالة، النوع',
    moreOwner: 'المرحلة، الحالة، النوع، المالك',
    stage: 'المرحلة',
    anyStage: 'كل المراحل',
    status: 'الحالة',
    anyStatus: 'كل الحالات',
    type: 'نوع العميل المحتمل',
    anyType: 'كل الأنواع',
    owner: 'المالك',
    anyone: 'أي شخص',
    overdueOnly: 'المتأخر في أول تواصل فقط',
    waitingOnly: 'بانتظار مالك فقط',
    dueTodayOnly: 'الخطوة التالية مستحقة اليوم فقط',
    show: 'عرض',
    clear: 'مسح',
    lead: 'العميل المحتمل',
    company: 'الشركة',
    score: 'النقاط',
    firstTouch: 'أول تواصل',
    nextStep: 'الخطوة التالية',
    stepOf: (step, of) => `${step} من ${of}`,
    unnamed: 'عميل محتمل بلا اسم',
    aLead: 'عميل محتمل',
    empty: 'لا يوجد عميل محتمل يطابق عوامل التصفية هذه.',
    searchCut: (count, n) =>
      `يطابق هذا البحث عملاء محتملين أكثر مما يقرأ: تُعرض أول ${arCount(count, n, { zero: '# نتيجة', one: 'نتيجة واحدة', two: 'نتيجتين', few: '# نتائج', many: '# نتيجة', other: '# نتيجة' })} من كل حقل (البريد والاسم والشركة). ضيّق بحثك.`,
    pages: 'الصفحات',
    firstPage: 'الصفحة الأولى',
    nextPage: 'الصفحة التالية',
    met: 'في الموعد',
    breached: 'متأخر',
    // a time in Arabic begins with its weekday (Intl): "يوم الاثنين، 30 نوفمبر…"
    touchedHtml: (at) => ` (تم التواصل يوم ${at})`,
    wasDueHtml: (at) => `، كان مستحقًا يوم ${at}`,
    dueHtml: (at) => `مستحق يوم ${at}`,
  },
  lead: {
    jump: 'في هذه الصفحة',
    whatYouCanDo: 'ما يمكنك فعله',
    story: 'السجل',
    email: 'البريد الإلكتروني',
    company: 'الشركة',
    jobTitle: 'المسمى الوظيفي',
    phone: 'الهاتف',
    country: 'الدولة',
    language: 'اللغة',
    message: 'الرسالة',
    stage: 'المرحلة',
    status: 'الحالة',
    type: 'نوع العميل المحتمل',
    persona: 'الشخصية',
    owner: 'المالك',
    notHandedOver: 'لم يُسند إلى مندوب',
    score: 'النقاط',
    scoreDetailHtml: (total, fit, tier, engagement) =>
      `${total} (الملاءمة ${fit}، الفئة ${tier}؛ التفاعل ${engagement})`,
    marketingEmail: 'الرسائل التسويقية',
    judgedBy: 'قُيّم وفق الاتفاقية',
    phoneAsGiven: '(كما ورد في النموذج: لم يُقرأ كرقم)',
    employees: 'عدد الموظفين',
    revenue: 'الإيرادات السنوية',
    formIssues: 'وأرسل النموذج أيضًا',
    attempts: 'محاولات التواصل',
    when: 'الوقت',
    outcome: 'النتيجة',
    channel: 'القناة',
    by: 'بواسطة',
    note: 'ملاحظة',
    noAttempts: 'لا شيء بعد.',
    latestAttempts: (shown, total, formatted) =>
      `آخر ${shown} من ${arCount(total, formatted, { zero: '# محاولة', one: 'محاولة واحدة', two: 'محاولتين', few: '# محاولات', many: '# محاولة', other: '# محاولة' })}.`,
    done: {
      attempt: 'سُجّلت المحاولة.',
      deal: 'حُدّثت الصفقة.',
      status: 'عُيّنت الحالة.',
      owner: 'أُعيد إسناد العميل المحتمل.',
      fields: 'صُحّحت الحقول.',
      nothing: 'لم يكن هناك ما يحتاج إلى تغيير.',
    },
    leftYourLeads:
      'وخرج العميل المحتمل بذلك من عملائك المحتملين: صار لدى التسويق أو لدى مسؤول آخر، فلم تعد صفحته متاحة لك.',
    standing: 'وضعه وفق الاتفاقية',
    cadence: 'التسلسل',
    cadenceDetailHtml: (name, step, of, attempted, at) =>
      `${isolated(name)}: الخطوة ${step} من ${of}، نُفّذ منها ${attempted}؛ التالية مستحقة يوم ${at}`,
    cadenceOverdueHtml: (name, step, of, attempted, at) =>
      `${isolated(name)}: الخطوة ${step} من ${of}، نُفّذ منها ${attempted}؛ <strong class="late">متأخرة</strong> منذ ${at}`,
    cadenceBehindHtml: (name, attempted, of, due, scheduled, at) =>
      `${isolated(name)}: نُفّذ ${attempted} من ${of}، <strong class="late">متأخر</strong> منذ ${due}؛ حسب الجدول كانت الخطوة ${scheduled} مستحقة يوم ${at} (الخطوة التي تذكّرك بها الرسائل)`,
    escalation: 'التصعيد',
    escalationNextHtml: (action, at) => `التالي: ${action}، ${at}`,
    handovers: 'الإسنادات',
    byHtml: (name) => ` بواسطة ${isolated(name)}`,
    noHandovers: 'لا شيء',
    escalations: {
      remindOwner: 'تذكير المالك',
      notifyManager: 'إبلاغ المدير',
      reassign: 'إعادة الإسناد',
      handToManager: 'التسليم إلى المدير',
    },
    channels: {
      phone: 'الهاتف',
      email: 'البريد الإلكتروني',
      linkedin: 'LinkedIn',
      sms: 'رسالة نصية',
      video: 'مكالمة فيديو',
    },
    logAttempt: 'تسجيل محاولة تواصل',
    noteOptional: 'ملاحظة (اختياري)',
    whenOptional: 'متى (اختياري)',
    whenHint: (zone) => `اتركه فارغًا إن كان الآن؛ والمحاولة التي جرت قبل ذلك تُحسب من وقتها (${zone}).`,
    logAttemptButton: 'تسجيل المحاولة',
    sameCall: {
      title: 'سُجّلت من قبل؟',
      loggedHtml: (outcome, channel, at, noted) =>
        `سجّلتَ ${isolated(outcome)}${channel ? ` (${channel})` : ''}${noted ? ' بالملاحظة نفسها' : ''} في ${at}. ولم تُسجَّل هذه المحاولة بعد.`,
      askAgain: (channel) => {
        const { again, same } = attemptWordsAr(channel);
        return `${again} فسجّلها محاولةً أخرى. أم هي ${same} سُجّلت ثانيةً من تبويب آخر أو من صفحة أعادها المتصفح؟ فهي مسجّلة من قبل وتُحسب مرة واحدة.`;
      },
      logAnother: 'تسجيل محاولة أخرى',
      sameOne: (channel) => `إنها ${attemptWordsAr(channel).same}`,
    },
    moveDeal: 'نقل الصفقة',
    openDeal: 'فتح صفقة',
    dealStage: 'مرحلة الصفقة',
    amountOptional: 'المبلغ (اختياري)',
    saveDeal: 'حفظ الصفقة',
    setStatus: 'تعيين الحالة',
    setStatusButton: 'تعيين الحالة',
    reassign: 'إعادة الإسناد',
    newOwner: 'المالك الجديد',
    reasonOptional: 'السبب (اختياري)',
    giveLead: 'إسناد العميل المحتمل',
    giveToRep: 'إسناد العميل المحتمل إلى مندوب',
    rep: 'المندوب',
    correct: 'تصحيح البيانات',
    saveCorrections: 'حفظ التصحيحات',
    fields: {
      firstName: 'الاسم الأول',
      lastName: 'اسم العائلة',
      company: 'الشركة',
      jobTitle: 'المسمى الوظيفي',
      phone: 'الهاتف',
      country: 'الدولة',
    },
    closed: (customer) =>
      `${customer ? 'أصبح هذا العميل المحتمل عميلًا' : 'أُغلق ملف هذا العميل المحتمل'}؛ يمكن تصحيح بياناته فقط.`,
    waitingNotice:
      'لم يستطع أحد في طابوره استلام هذا العميل المحتمل (الجميع في إجازة أو بلغوا طاقتهم)؛ يحاول LeadPact مجددًا كل ساعة. أسنده إلى مندوب الآن.',
    noOwnerNotice: 'لم يُسند هذا العميل المحتمل إلى مندوب بعد: تبدأ المحاولات والصفقات بعد الإسناد.',
    why: 'سبب هذه النقاط',
    lastJudgedHtml: (stage, at, version) =>
      `آخر تقييم: ${isolated(stage)}، ${at}، وفق الاتفاقية ${isolated(version)}:`,
    scoreMoved: (then, now) =>
      `كانت النقاط ${then} حينها وهي الآن ${now}: غيّرها التفاعل اللاحق (أحداث جديدة، ونقاط تتناقص مع الوقت).`,
    deal: 'الصفقة',
    sinceHtml: (at) => `، منذ ${at}`,
    amount: 'المبلغ',
    opened: 'فُتحت',
    latestChanges: (shown) => `آخر ${shown} تغيير.`,
    kinds: {
      created: 'أُنشئ',
      submitted: 'أرسل نموذجًا',
      judged: 'قُيّم',
      qualified: 'تأهّل',
      stage: 'تغيّرت المرحلة',
      status: 'تغيّرت الحالة',
      owner: 'تغيّر المالك',
      attempt: 'محاولة تواصل',
      deal: 'الصفقة',
      handoff: 'الإسناد',
      cadence: 'التسلسل',
      escalation: 'تصعيد',
      overdue: 'تأخر',
      breach: 'إخلال بالاتفاقية',
      undeliverable: 'تعذّر التسليم',
      unsubscribed: 'ألغى الاشتراك',
      erased: 'حُذف',
      fields: 'صُحّحت البيانات',
      field: 'صُحّحت البيانات',
      failure: 'عطل',
      consent: 'الموافقة',
      coolOff: 'فترة التهدئة',
      emailDropped: 'لم تُرسل رسالة',
      emailRetrying: 'لم تُرسل الرسالة بعد',
      needsOwner: 'بانتظار مالك',
      email: 'رسالة إلكترونية',
      nurture: 'الرعاية',
      reminder: 'تذكير',
    },
    otherKind: (_kind) => 'تغيير',
    consent: {
      bounced: 'لا: ارتدّ البريد أو قُدّمت شكوى',
      onFormHtml: (form) => ` في نموذج «${isolated(form)}»`,
      reconfirmHtml: (withdrawn, asked, where) =>
        `لا: ألغى الاشتراك${withdrawn ? ` يوم ${withdrawn}` : ''}؛ طُلب منه التأكيد مجددًا يوم ${asked}${where}`,
      unsubscribedHtml: (withdrawn) => `لا: ألغى الاشتراك${withdrawn ? ` يوم ${withdrawn}` : ''}`,
      givenBefore: 'نعم (قبل حفظ سجلات الموافقة)',
      none: 'لم يوافق',
      confirmedHtml: (at, where) => `نعم: أكّد يوم ${at}${where}`,
      singleHtml: (at, where) => `نعم: وافق يوم ${at}${where} (موافقة مفردة)`,
      notSentHtml: (at, where) =>
        `ليس بعد: وافق يوم ${at}${where}؛ لم تُرسل رسالة التأكيد بعد (تُرسل حين ينتقل إلى الرعاية)`,
      askedHtml: (at, where) => `ليس بعد: طُلب منه التأكيد يوم ${at}${where}`,
      expiredHtml: (asked, expired, where) =>
        `لا: طُلب منه التأكيد يوم ${asked}${where}؛ انتهت صلاحية الرابط دون تأكيد يوم ${expired}`,
      notAskedHtml: (given, where, notAsked) =>
        `لا: وافق يوم ${given}${where}؛ لم يُطلب منه التأكيد يوم ${notAsked}: أُرسلت إلى صندوق البريد نفسه رسالة تأكيد لتسجيل آخر في ذلك اليوم (يُطلب التأكيد عند تسجيل جديد بعده)`,
    },
  },
  reports: {
    title: 'التقارير',
    period: 'الفترة',
    periods: {
      lastWeek: (first, last) => `الأسبوع الماضي (من ${first} إلى ${last})`,
      days7: 'آخر 7 أيام',
      thisWeek: 'هذا الأسبوع حتى الآن',
      days30: 'آخر 30 يومًا',
      custom: 'من وإلى أدناه',
    },
    more: 'التواريخ، الطابور، المندوب',
    from: 'من (لخيار «من وإلى أدناه»)',
    to: 'إلى (تاريخ غير مشمول)',
    queue: 'الطابور',
    allQueues: 'كل الطوابير',
    rep: 'المندوب',
    allReps: 'كل المندوبين',
    formerRep: (name) => `${isolated(name)} (لم يعد في الاتفاقية)`,
    name: 'الاسم',
    all: 'الكل',
    windowHtml: (from, to, version) =>
      `من ${from} إلى ${to} (غير مشمول)، إصدار الاتفاقية ${isolated(version)}.`,
    sales: 'المبيعات مقابل الاتفاقية',
    promise: (within) => `تعد الاتفاقية بأول تواصل خلال ${within} من الإسناد.`,
    waited: (count, leads, median, p90) =>
      `قبل أن تبدأ تلك المهلة، انتظر ${arCount(count, leads, { zero: '# عميل محتمل', one: 'عميل محتمل واحد', two: 'عميلان محتملان', few: '# عملاء محتملين', many: '# عميلًا محتملًا', other: '# عميل محتمل' })} مالكًا لأن أحدًا في الطابور لم يستطع استلامهم: الوسيط ${median}، و90% خلال ${p90}.`,
    perRep: 'أول تواصل والمحاولات لكل مندوب',
    perQueue: 'لكل طابور',
    noHandovers: 'لا إسنادات في هذه الفترة.',
    histogram: 'زمن الاستجابة: ساعات العمل من الإسناد حتى أول محاولة (عدد العملاء المحتملين)',
    columns: {
      handovers: 'الإسنادات',
      met: 'في الموعد',
      breached: 'متأخر',
      pending: 'قيد الانتظار',
      within: 'ضمن الاتفاقية',
      median: 'وسيط الاستجابة',
      p90: 'استجابة 90%',
      attempts: 'المحاولات / التسلسل',
      cadenceBreaches: 'إخلالات التسلسل',
      escalations: 'التصعيدات',
      reassigned: 'أُعيد إسنادها',
      recycled: 'أُعيدت للتسويق',
    },
    legend: {
      title: 'ما تعدّه الأعمدة',
      handovers:
        'العملاء المحتملون الذين أُسندوا إلى المندوب في الفترة: الإسناد الأول وإعادة الإسناد سواء. قد يقلّ مجموع «في الموعد» و«متأخر» و«قيد الانتظار» عنه: العميل المحتمل الذي سُحب أو حُذف دون تواصل قبل موعده (أسنده مدير إلى غيره، أو حُذفت بياناته) لا يُعدّ في أيّ منها، إذ لم يُخلّ أحد بذلك الوعد؛ ولا العميل المحتمل الذي كان قد تم التواصل معه أو له صفقة حين انتقل (لا يُستحق له أول تواصل).',
      met: (within) => `جاءت المحاولة الأولى خلال ${within} من الإسناد.`,
      breached: 'جاءت المحاولة الأولى بعد الموعد، أو لم تأتِ وقد مضى الموعد.',
      pending: 'لا محاولة بعد، والموعد لم يحن.',
      within: '«في الموعد» من مجموع «في الموعد» و«متأخر».',
      response:
        'ساعات العمل من الإسناد حتى المحاولة الأولى، في تقويم عمل المندوب. الوسيط هو الزمن الأوسط (ومع عدد زوجي، منتصف ما بين الزمنين الأوسطين)؛ و90% من المحاولات الأولى جاءت خلال زمن الـ90%.',
      attempts:
        'المحاولات المسجّلة، مقابل خطوات التسلسل المطلوبة: كل خطوات تسلسل كل إسناد، أما العميل المحتمل الذي لم يعد مع المندوب (أُسند إلى غيره أو أُعيد إلى التسويق أو استُبعد أو حُذف) فلا يُحسب له إلا ما حلّ موعده من الخطوات حتى ذلك الحين، ولا يقلّ ذلك أبدًا عن عدد المحاولات التي أجراها المندوب حين كان العميل المحتمل معه، ولو سُجّلت إحداها لاحقًا. ويُحسب تسلسل المالك التالي من إسناده هو.',
      cadenceBreaches: 'تسلسلات انتهت بمحاولات ناقصة، تُحسب على المندوب الذي كان العميل المحتمل معه حينها.',
      escalations:
        'خطوات سُلّم الاتفاقية لأول تواصل متأخر التي اتُّخذت على العملاء المحتملين لدى المندوب: كل تذكير أو نسخة إلى المدير أو إعادة إسناد تُعدّ واحدة.',
      reassigned:
        'من الإسنادات، ما تسلّمه المندوب حين انتقل العميل المحتمل من مالك إلى آخر (بالسُّلّم أو بقرار مدير). العملاء المحتملون الذين سُحبوا منه لا يُعدّون هنا.',
      recycled: (statuses) =>
        `العملاء المحتملون الذين أُعيدوا إلى التسويق${statuses === null ? '' : ` (${statuses})`} وهم مع المندوب.`,
    },
    marketing: 'التسويق مقابل الاتفاقية',
    mqlsPerMonth: 'المؤهلون تسويقيًا شهريًا',
    month: 'الشهر',
    mqls: 'المؤهلون تسويقيًا',
    target: 'الهدف',
    rejections: 'أسباب رفض المبيعات للمؤهلين',
    reason: 'السبب',
    leads: 'العملاء المحتملون',
    noRejections: 'لم يُرفض أي عميل محتمل مؤهل للمبيعات.',
    timeInStage: 'المراحل التي بلغوها، والمدة في كل مرحلة (ساعات فعلية، لمن غادرها)',
    reached: 'بلغوا',
    onToNext: 'انتقلوا إلى المرحلة التالية',
    conversionToNext: 'التحويل إلى المرحلة التالية',
    stageMedian: 'الوسيط',
    stageP90: '90%',
    overTo: {
      title: 'المحالون إلى المديرين: ما آل إليه العملاء المحتملون الذين أحالتهم خطوات التصعيد',
      note: 'حين تنفد خطوات التصعيد يُحال العميل المحتمل إلى مدير طابوره، ويبقى لدى مالكه حتى يقرر المدير من يتابعه. يُحتسب كل عميل محتمل أُحيل إلى مدير خلال الفترة مرة واحدة، بأول ما تلا الإحالة: أُسند إلى مندوب، أو سُجّلت محاولة تواصل (أول تواصل)، أو أُعيد إلى التسويق دون تواصل (انتهى التسلسل)، أو استُبعد أو مُحي؛ ويبقى مفتوحًا ما لم يحدث شيء من ذلك بعد. أُسند بعد: ساعات العمل في تقويم الشركة من الإحالة إلى المالك الجديد.',
      none: 'لم يُحَل أي عميل محتمل إلى مدير في هذه الفترة.',
      columns: {
        managers: 'أُحيل إلى',
        leads: 'العملاء المحتملون',
        givenOn: 'أُسند إلى مندوب',
        givenOnMedian: 'أُسند بعد، الوسيط',
        givenOnP90: 'أُسند بعد، 90%',
        touched: 'تواصل بعد الإحالة',
        recycled: 'أُعيد للتسويق دون تواصل',
        ended: 'استُبعد أو مُحي',
        open: 'لا يزال مفتوحًا',
      },
    },
    retention: {
      title: 'اشتراكات لم تُؤكَّد قط',
      erasedHtml: (_count, formatted, after) =>
        `مُحي خلال الفترة: <strong>${formatted}</strong>. تمحو الاتفاقية العميل المحتمل الذي لا سبب للاحتفاظ به إلا اشتراك انقضى رابط تأكيده دون تأكيد، بعد ${after} من انقضاء الرابط. لم يعد للعميل المحتمل الممحو طابور ولا مندوب: يشمل هذا العدد الجميع.`,
    },
  },
  sla: {
    versionHtml: (version) =>
      `الإصدار ${isolated(version)}. هذه هي الاتفاقية السارية: ما يقدّمه التسويق، وما تفعله المبيعات به.`,
    marketing: 'التزامات التسويق',
    noMqlTarget: 'لا هدف لعدد العملاء المحتملين المؤهلين تسويقيًا.',
    mqlsPerMonth: (_count, n) => `العملاء المحتملون المؤهلون تسويقيًا: ${n} شهريًا.`,
    noSqlTarget: 'لا هدف لنسبة قبول العملاء المحتملين المؤهلين للمبيعات.',
    sqlAcceptance: (rate) =>
      `تقبل المبيعات ${rate} على الأقل من العملاء المحتملين المؤهلين الذين يسلّمهم التسويق.`,
    thresholds: (mql, sql) =>
      `يصبح العميل المحتمل مؤهلًا تسويقيًا عند ${mql} نقطة، ومؤهلًا للمبيعات عند ${sql} نقطة (الملاءمة مع التفاعل).`,
    sales: 'التزامات المبيعات',
    firstTouchHtml: (within) => `أول تواصل خلال ${within} من الإسناد.`,
    calendar: {
      title: 'تقويم العمل',
      intro: 'ساعات العمل وأيام العمل في الاتفاقية لا تُحسب إلا في وقت العمل أدناه.',
      timeZone: 'المنطقة الزمنية',
      workingTime: 'أيام العمل وساعاته',
      holidaysAhead: 'العطل القادمة',
      daysRange: (first, last) => `من ${first} إلى ${last}`,
      everyDay: 'كل أيام الأسبوع',
      hoursHtml: (start, end) => `من الساعة ${start} إلى ${end}`,
      holidaySeparator: '؛ ',
      moreHolidays: (count, n) =>
        `؛ ثم ${arCount(count, n, { zero: '# عطلة', one: 'عطلة واحدة', two: 'عطلتان', few: '# عطل', many: '# عطلة', other: '# عطلة' })} بعدها`,
      noHolidays: 'لا توجد',
      companyHolidays: 'عطل الشركة',
      ownCalendars: 'مندوبون بتقويم عمل خاص بهم',
      rep: 'المندوب',
    },
    lateHtml: (steps) => `عند التأخر: ${steps}.`,
    stepHtml: (action, after) => `${action} ${after === null ? 'فورًا' : `بعد ${after}`}`,
    andThen: '، ثم ',
    cadenceHtml: (name, count, n, steps, coolOff) =>
      `التسلسل «${isolated(name)}»: ${arCount(count, n, { zero: '# محاولة', one: 'محاولة واحدة', two: 'محاولتان', few: '# محاولات', many: '# محاولة', other: '# محاولة' })} (${steps})؛ ثم يُعاد إلى الرعاية بعد ${coolOff}.`,
    attemptHtml: (number, channel, after) => `${number}. ${channel}${after === null ? '' : ` بعد ${after}`}`,
    stages: 'مراحل دورة الحياة',
    stage: 'المرحلة',
    statuses: 'حالات العملاء المحتملين',
    status: 'الحالة',
    meaning: 'المعنى',
    repsMaySet: 'يعيّنها المندوب',
    yes: 'نعم',
    no: 'لا',
    outcomes: 'نتائج التواصل',
    outcome: 'النتيجة',
    dealStages: 'مراحل الصفقة',
    probability: 'الاحتمال',
    types: 'أنواع العملاء المحتملين',
    type: 'النوع',
    whatItIs: 'الوصف',
    queues: 'الطوابير',
    queue: 'الطابور',
    reps: 'المندوبون',
    manager: 'المدير',
    people: 'الأشخاص',
    name: 'الاسم',
    role: 'الدور',
    sessions: 'الجلسات',
    signOutLabel: (name) => `الخروج من كل الأجهزة: ${isolated(name)}`,
    signOutEverywhere: 'الخروج من كل الأجهزة',
    teamOfHtml: (manager) => `مندوب، فريق ${isolated(manager)}`,
    formerManager: 'مدير سابق',
    signedOut: (name, sessions, n) =>
      `سُجّل خروج ${isolated(name)} من كل الأجهزة${sessions > 0 ? ` (انتهت ${arCount(sessions, n, { zero: '# جلسة', one: 'جلسة واحدة', two: 'جلستان', few: '# جلسات', many: '# جلسة', other: '# جلسة' })})` : ''}؛ لم تعد الروابط التي أُرسلت قبل الآن تعمل.`,
  },
  webhooks: {
    title: 'خطافات الويب',
    // a number as a figure, not a counted noun: no verb to agree with it
    eventsOut: 'الأحداث الصادرة:',
    failingNoticeHtml: (_count, n, names) => `عناوين خطافات لا تستجيب: ${n} (${isolated(names)}).`,
    toReplayNoticeHtml: (_count, n, names) =>
      `عناوين خطافات عادت تستجيب ولها تسليمات فاشلة تنتظر إعادة الإرسال: ${n} (${isolated(names)}).`,
    seeAndReplay: 'العرض وإعادة الإرسال',
    bus: 'ناقل EventBridge',
    replayed: (id) => `أُعيد إرسال التسليم ${isolated(id)}؛ تظهر نتيجته في السجل أدناه.`,
    off: 'الأحداث الصادرة غير مفعّلة هنا: لا يوجد سجل تسليم لعرضه.',
    allAnswering: 'كل العناوين تستجيب: لا تسليم بانتظار إعادة المحاولة أو فاشل.',
    failing: (_count, n) =>
      `عناوين لا تستجيب: ${n}، فشلت آخر محاولة إليها. تستمر إعادة المحاولة نحو 16 ساعة؛ بعدها يُعدّ التسليم فاشلًا وينتظر إعادة الإرسال.`,
    answeringAgain: (_count, n) =>
      `عناوين عادت تستجيب: ${n}. تسليماتها الفاشلة السابقة تنتظر إعادة الإرسال (أدناه)، وما يُعاد منها يُرسل في محاولته التالية.`,
    endpoints: 'العناوين',
    failingEndpoints: 'العناوين ذات التسليمات الفاشلة',
    endpoint: 'العنوان',
    now: 'الآن',
    nowFailing: 'لا يستجيب',
    answeringSinceHtml: (at) => `يستجيب (استلم تسليمًا ${at})`,
    retrying: 'قيد إعادة المحاولة',
    failed: 'فاشل',
    lastError: 'آخر خطأ',
    lastAttempt: 'آخر محاولة',
    failedDeliveries: 'التسليمات الفاشلة',
    allFailedDeliveries: 'التسليمات الفاشلة لكل نقاط الاستقبال',
    failedForGood: 'فشلت نهائيًا، الأحدث أولًا',
    event: 'الحدث',
    sendAgain: 'إعادة الإرسال',
    lead: 'العميل المحتمل',
    open: 'فتح',
    attempts: 'المحاولات',
    replayLabel: (event) => `إعادة إرسال ${event}`,
    replay: 'إعادة الإرسال',
    replayNoteHtml:
      'تُرسل إعادة الإرسال الحدث نفسه بمعرّف <code dir="ltr">webhook-id</code> نفسه، فيتجاهل المستقبِل التكرار إن كان قد استلمه. السجل الكامل في الواجهة البرمجية: <code dir="ltr">GET /webhooks/deliveries?status=failed</code>.',
    none: 'لا شيء.',
    deliveries: 'التسليمات',
    deliveriesOf: (endpoint) => `التسليمات إلى ${endpoint}`,
    deliveriesToHtml: (endpoint) => `التسليمات إلى ${endpoint}`,
    deliveryFilters: 'أي التسليمات',
    status: 'الحالة',
    statusNames: {
      pending: 'قيد الانتظار',
      retrying: 'قيد إعادة المحاولة',
      delivered: 'مُسلَّم',
      failed: 'فاشل',
    },
    anyEvent: 'أي حدث',
    leadId: 'معرّف العميل المحتمل',
    leadIdHint: '22 حرفًا، كما في عنوان صفحة العميل المحتمل',
    show: 'عرض',
    allEndpoints: 'كل العناوين',
    deliveredAt: 'وقت التسليم',
    nextAttempt: 'المحاولة التالية',
    newestFirst: (status) => `${isolated(status)}، الأحدث أولًا`,
    noneMatch: 'لا شيء يطابق.',
    readOn: 'توقفت هذه الصفحة بعد قراءة جزء من السجل: قد تطابق تسليمات أقدم. الصفحة التالية تكمل القراءة.',
    pages: 'الصفحات',
    firstPage: 'الصفحة الأولى',
    nextPage: 'الصفحة التالية',
  },
  signIn: {
    title: 'تسجيل الدخول إلى لوحة التحكم',
    intro:
      'يسجّل المندوبون والمديرون وفريق العمليات المذكورون في الاتفاقية الدخول برابط يصل إلى بريدهم. بلا كلمة مرور.',
    email: 'بريدك الإلكتروني للعمل',
    send: 'أرسل لي رابط الدخول',
    checkTitle: 'تحقّق من بريدك',
    maybeSentHtml: (email) => `إن كان ${email} لشخص مذكور في الاتفاقية، فرابط الدخول في طريقه إليه.`,
    worksOnceHtml: (minutes) =>
      `يعمل الرابط مرة واحدة، لمدة ${minutes} دقيقة. لم يصل شيء؟ تحقّق من العنوان و<a href="/console">اطلبه مجددًا</a> بعد دقيقة.`,
    confirmTitle: (name) => `تسجيل الدخول باسم ${isolated(name)}؟`,
    confirm: (name, role) => `أنت تسجّل الدخول إلى لوحة تحكم LeadPact باسم ${isolated(name)} (${role}).`,
    button: 'تسجيل الدخول',
    nothingUntil: 'لن يحدث شيء حتى تضغط الزر. يعمل الرابط مرة واحدة.',
  },
};

const TEXT: Readonly<Record<ConsoleLanguage, ConsoleText>> = { en, ar };

export function consoleText(language: ConsoleLanguage): ConsoleText {
  return TEXT[language];
}
