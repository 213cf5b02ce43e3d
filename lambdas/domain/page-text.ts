/**
 * LeadPact's own words on the pages people open (ADR 0019, 0024), per shipped language (locale.ts):
 * the rep's action pages (confirm, done, a link that no longer applies), the lead's unsubscribe and
 * consent pages, the form's thank-you and error pages, the embedded form and errors as pages. The
 * SLA's own words (names, the sender, consent texts) are passed in, already in the reader's language
 * (sla-names.ts). Pure: data and string functions only.
 */
import { attemptWords } from './attempt-words.ts';
import { isolated, type ShippedLanguage } from './locale.ts';

export interface UnsubscribeText {
  readonly question: (sender: string) => string;
  readonly consequence: (sender: string) => string;
  readonly button: string;
  readonly done: string;
}

/** The rep's one-click links: what a link does, its pages, and why a link no longer applies. */
export interface ActionText {
  /** "Log outcome: Connected" */
  outcome(name: string): string;
  status(name: string): string;
  deal(name: string): string;
  /** the deal buttons in a stale-deal email: "Move to Quote presented" */
  moveTo(stage: string): string;
  /** the deal button in a "connected, no deal yet" email: "Open a deal in Discovery" */
  openDeal(stage: string): string;
  unsubscribe: string;
  consent: string;
  confirmTitle(what: string, lead: string): string;
  pressToConfirm: string;
  worksOnce(expires: string): string;
  yes(what: string): string;
  doneTitle(what: string): string;
  doneNow(lead: string, stage: string, status: string): string;
  /**
   * before the button of a link that ends the rep's work on the lead (link-ends-work.ts): where the press leaves
   * the lead, by the SLA's names, and whose list it leaves (`list`: yourList, or listOf the owner for a manager)
   */
  recycles(lead: string, stage: string, status: string, list: string): string;
  disqualifies(lead: string, stage: string, status: string, list: string): string;
  yourList: string;
  listOf(rep: string): string;
  /** a link pressed again after it acted (a reload of the done page, a second device) */
  alreadyDone(what: string): string;
  /**
   * An outcome link pressed again after it logged its attempt (a double tap on "Log another attempt", the page sent
   * again, the link opened again): that attempt, logged once, when (`on`: on(at)) and by whom, by name
   */
  loggedOnce(outcome: string, lead: string, on: string, by: string | undefined): string;
  /** ...and, pressed from a "Logged already?" page, the attempt that page asked about, which it was logged beside */
  loggedBesides(on: string, by: string | undefined): string;
  /**
   * An outcome link that repeats an attempt logged minutes ago in its handover, by another link or any way in
   * (domain/same-call.ts sameOutcomeLogged): asked, not logged. `on` is on(at); `by` whoever logged it, by name.
   * `sameCallAsk`'s `channel`: the attempt's asked about (same-call.ts channelAskedAbout, a CHANNELS id), worded by
   * attempt-words.ts as the console words it ("Did you write again? ... the same email?"); none: an attempt
   */
  sameCallTitle: string;
  sameCallLogged(outcome: string, lead: string, on: string, by: string | undefined): string;
  sameCallAsk(channel: string | undefined): string;
  logAnother: string;
  closePage: string;
  anotherRep: string;
  on(at: string): string;
  nothingChanged: string;
  movedOnTitle(rep: string): string;
  movedOn(lead: string, rep: string, on: string): string;
  movedOnNext(rep: string): string;
  handedOverAgainTitle: string;
  handedOverAgain(lead: string, on: string): string;
  readerLeftTitle: string;
  readerLeft(lead: string): string;
  dealOpenTitle: string;
  dealOpen(lead: string, stage: string, on: string): string;
  moveTheDeal: string;
  signedOutTitle: string;
  signedOut(lead: string): string;
  useNewest: string;
  recycledTitle: string;
  dealLostTitle: string;
  recycled(lead: string, on: string, lostStage: string | undefined, status: string): string;
  qualifyAgain: string;
  customerTitle: string;
  customer(lead: string, wonStage: string | undefined, on: string): string;
  nothingLeft: string;
  disqualifiedTitle: string;
  disqualified(lead: string, status: string): string;
  notHandedOff(stage: string): string;
  notInSla(value: string): string;
  closedCustomer: string;
  closedDisqualified: string;
}

export interface ConsentText {
  /** what a form without a consent text in the SLA stores as the text consented to */
  defaultText(sender: string): string;
  confirmTitle(sender: string): string;
  pressToConfirm(sender: string): string;
  agreed(text: string): string;
  button: string;
  confirmedTitle: string;
  thanks(sender: string): string;
  everyEmail: string;
  noLongerTitle: string;
  noLonger(sender: string): string;
  /** the lead was erased since the email: nothing to confirm (never "you unsubscribed": nobody did) */
  erased(sender: string): string;
  expired: string;
  nothingChanged: string;
}

/** The public form's pages (a browser's post): thank you, or what to fix. */
export interface FormPageText {
  thanksTitle: string;
  thanksIn: string;
  thanksClose: string;
  /**
   * after a post that ticked the marketing box on a double opt-in form: what the person does next. Said of the post
   * alone, never of what is stored (whether the address is known or confirmed is nobody's business on this page)
   */
  confirmByEmail: string;
  titleOrigin: string;
  titleType: string;
  titleTooLarge: string;
  titleCheck: string;
  emailRequired: string;
  emailInvalid: string;
  originNotAllowed: string;
  botCheck: string;
  /** the post's shape (a file, a charset, a body LeadPact cannot read): by status */
  unreadable: string;
  /** a 415's file input (its name as the form sends it; none when the post names none): remove it from the form */
  fileField(name?: string): string;
  tooLarge: string;
  /** a 503 from a busy dependency: the post may simply be sent again */
  busy: string;
  busyTitle: string;
  tryLater: string;
  goBack: string;
  notSaved: string;
}

/** The embeddable form (GET /forms/{formId}.js). */
export interface FormScriptText {
  readonly labels: Readonly<Record<string, string>>;
  readonly consent: string;
  readonly send: string;
  readonly thanks: string;
  /** a network error or a failure of ours (5xx): the visitor may send again */
  readonly failed: string;
  /** what a field's browser check wants, shown in its bubble (the input's title) beside "match the format" */
  readonly hints: Readonly<Record<string, string>>;
}

/** Errors as pages: titles by error code, and the sentence for the codes LeadPact knows. */
export interface ErrorText {
  readonly titles: Readonly<Record<string, string>>;
  readonly byStatus: {
    gone: string;
    nothingToDo: string;
    notFound: string;
    unavailable: string;
    broken: string;
    notWorking: string;
  };
  readonly sentences: Readonly<Record<string, string>>;
  readonly conflictTitle: string;
  readonly conflict: string;
  readonly brokenSentence: string;
  /** a sentence for an error LeadPact has no words for in this language */
  readonly generic: string;
  /** an address no route has, opened in a browser (api/unknown-address.ts) */
  readonly noPage: NoPageText;
}

/** The page for an address no route has: a mistyped link, an old bookmark, a program's address opened in a browser. */
export interface NoPageText {
  /** 404: nothing at all at this address */
  readonly notFound: string;
  /** 405: the address takes what a program or a form sends, not a visit */
  readonly notAPageTitle: string;
  readonly notAPage: string;
  /** the ways on: the console, and whether the service answers (GET /health) */
  readonly openConsole: string;
  readonly serviceStatus: string;
}

export interface PageText {
  readonly unsubscribe: UnsubscribeText;
  readonly action: ActionText;
  readonly consent: ConsentText;
  readonly form: FormPageText;
  readonly formScript: FormScriptText;
  readonly errors: ErrorText;
}

const en: PageText = {
  unsubscribe: {
    question: (sender) => `Unsubscribe from ${sender}?`,
    consequence: (sender) => `You will get no more marketing emails from ${sender}.`,
    button: 'Unsubscribe',
    done: 'You are unsubscribed',
  },
  action: {
    outcome: (name) => `Log outcome: ${name}`,
    status: (name) => `Set status: ${name}`,
    deal: (name) => `Move the deal to: ${name}`,
    moveTo: (stage) => `Move to ${stage}`,
    openDeal: (stage) => `Open a deal in ${stage}`,
    unsubscribe: 'Unsubscribe from our emails',
    consent: 'Confirm your subscription',
    confirmTitle: (what, lead) => `${what} for ${lead}?`,
    pressToConfirm: 'Press the button to confirm. Nothing happens until you do.',
    worksOnce: (expires) => `This link works once and expires ${expires}.`,
    yes: (what) => `Yes: ${what}`,
    doneTitle: (what) => `Done: ${what}`,
    doneNow: (lead, stage, status) => `${lead} is now ${stage}, status ${status}.`,
    recycles: (lead, stage, status, list) =>
      `${lead} goes back to marketing as ${stage}, status ${status}, and leaves ${list}. The links in the email cannot undo this.`,
    disqualifies: (lead, stage, status, list) =>
      `${lead} is closed as ${stage}, status ${status}, and leaves ${list}; nothing more happens to it. The links in the email cannot undo this.`,
    yourList: 'your list',
    listOf: (rep) => `${rep}'s list`,
    alreadyDone: (what) => `Already done: ${what}. Nothing was done twice.`,
    loggedOnce: (outcome, lead, on, by) =>
      `“${outcome}” was logged for ${lead} once with this link${on}${by ? `, by ${by}` : ''}.`,
    loggedBesides: (on, by) =>
      `It is an attempt of its own, as “Log another attempt” asked, beside the one logged${on}${by ? `, by ${by}` : ''}.`,
    sameCallTitle: 'Logged already?',
    sameCallLogged: (outcome, lead, on, by) =>
      `“${outcome}” was logged for ${lead}${on}${by ? `, by ${by}` : ''}. This press is not logged yet.`,
    sameCallAsk: (channel) => {
      const { again, same } = attemptWords('en', channel);
      return `${again} Then log it as another attempt. Was it the same ${same}? Then it is logged already and counts once: you can close this page.`;
    },
    logAnother: 'Log another attempt',
    closePage: 'You can close this page.',
    anotherRep: 'another rep',
    on: (at) => ` on ${at}`,
    nothingChanged: 'This link no longer does anything; nothing was changed.',
    movedOnTitle: (rep) => `This lead moved to ${rep}`,
    movedOn: (lead, rep, on) => `${lead} was handed to ${rep}${on}, after this email was sent.`,
    movedOnNext: (rep) => `${rep} gets the reminders and the links for it now.`,
    handedOverAgainTitle: 'This lead was handed over again',
    handedOverAgain: (lead, on) => `${lead} was handed over again${on}, after this email was sent.`,
    signedOutTitle: 'This link was signed out',
    signedOut: (lead) =>
      `You were signed out everywhere after this email was sent, so its links no longer act on ${lead}. Sign in to the console to work the lead; emails sent from now on have working links.`,
    dealOpenTitle: 'This lead has an open deal',
    dealOpen: (lead, stage, on) => `${lead} has an open deal in ${stage}${on}.`,
    moveTheDeal:
      'Work it through the deal: moving the deal to a lost stage sends the lead back to marketing.',
    readerLeftTitle: 'This link is no longer yours to use',
    readerLeft: (lead) =>
      `It was sent to someone the SLA no longer names, so it cannot act on ${lead}. Whoever works the lead now gets their own links.`,
    useNewest: 'Use the links in the newest email about it.',
    recycledTitle: 'This lead was recycled',
    dealLostTitle: 'The deal was lost',
    recycled: (lead, on, lost, status) =>
      `${lead} went back to marketing${on}${lost ? `: the deal was closed lost (${lost})` : ''}; its status now: ${status}.`,
    qualifyAgain: 'Should it qualify again, its owner gets a new email with new links.',
    customerTitle: 'This lead is a customer',
    customer: (lead, won, on) =>
      won ? `${lead} is a customer: the deal was closed won (${won})${on}.` : `${lead} is a customer.`,
    nothingLeft: 'Nothing is left to do from this email.',
    disqualifiedTitle: 'This lead was disqualified',
    disqualified: (lead, status) => `${lead} was disqualified (status: ${status}).`,
    notHandedOff: (stage) =>
      `The lead is ${stage}, not yet handed to a rep; this link works once a rep owns it.`,
    notInSla: (value) => `"${value}" is not in the SLA any more; use a newer email.`,
    closedCustomer: 'The lead is a customer.',
    closedDisqualified: 'The lead is disqualified.',
  },
  consent: {
    defaultText: (sender) => `Send me marketing email from ${sender}. I can unsubscribe at any time.`,
    confirmTitle: (sender) => `Confirm your subscription to ${sender}`,
    pressToConfirm: (sender) =>
      `Press the button to confirm that you want marketing email from ${sender}. Nothing happens until you do.`,
    agreed: (text) => `You agreed to: "${text}"`,
    button: 'Confirm my subscription',
    confirmedTitle: 'Your subscription is confirmed',
    thanks: (sender) => `Thank you. You will get marketing email from ${sender}.`,
    everyEmail: 'Every email has a link to unsubscribe.',
    noLongerTitle: 'This link no longer applies',
    noLonger: (sender) => `You unsubscribed from ${sender} since, or signed up again with a newer link.`,
    erased: (sender) =>
      `Your details with ${sender} were deleted since, so there is nothing to confirm. To get its email, sign up again on its website.`,
    expired: 'Confirmation links work for 30 days. Sign up again on our website to get a new one.',
    nothingChanged: 'Nothing was changed.',
  },
  form: {
    thanksTitle: 'Thank you',
    thanksIn: 'Your details are in. We will be in touch soon.',
    thanksClose: 'You can close this page or go back to the site.',
    confirmByEmail:
      'To get our emails, confirm your address with the link in the email we send you (unless you confirmed it before).',
    titleOrigin: 'This form cannot send leads here yet',
    titleType: 'This form sends something we cannot take',
    titleTooLarge: 'This form sent too much',
    titleCheck: 'Please check the form',
    emailRequired: 'Email: please enter your email address, so we can reply.',
    emailInvalid: 'Email: please enter a valid email address, such as name@company.com.',
    originNotAllowed:
      'This site is not yet allowed to send leads here; its owner can add it to the allowed origins.',
    botCheck: 'The check that you are a person did not pass; please solve it and send the form again.',
    unreadable: 'The form sent something we cannot read (a file, or an unusual encoding).',
    fileField: (name) =>
      name
        ? `${name}: file uploads are not accepted.`
        : 'The form sent a file: file uploads are not accepted.',
    tooLarge: 'The form sent more text than we take; please shorten the message.',
    tryLater: 'Something went wrong on our side; please try again in a minute.',
    busy: 'We could not take your details just now. Please send the form again in a few seconds.',
    busyTitle: 'Please try again',
    goBack: 'Go back, correct it and send the form again: nothing was saved.',
    notSaved: 'Nothing was saved. Please try again later or contact us another way.',
  },
  formScript: {
    labels: {
      email: 'Work email',
      firstName: 'First name',
      lastName: 'Last name',
      company: 'Company',
      jobTitle: 'Job title',
      phone: 'Phone',
      country: 'Country',
      employees: 'Employees',
      message: 'Message',
    },
    consent: 'Send me useful content (unsubscribe any time)',
    send: 'Send',
    thanks: 'Thank you: your details are in. We will be in touch soon.',
    failed: 'The form could not be sent; please try again.',
    hints: { employees: 'A number, such as 850 or 1,200' },
  },
  errors: {
    titles: {
      invalid_link: 'This link does not work',
      expired: 'This link has expired',
      out_of_date: 'This link is out of date',
      used: 'This link was already used',
      erased: 'This lead was erased',
      closed: 'This lead is closed',
      not_handed_off: 'Not yet',
      not_configured: 'Not available',
      unprocessable: 'This link does not work',
      not_passed_on: 'Saved, not finished yet',
    },
    byStatus: {
      gone: 'This link has expired',
      nothingToDo: 'Nothing to do',
      notFound: 'Not found',
      unavailable: 'Not available',
      broken: 'Something went wrong',
      notWorking: 'This link does not work',
    },
    sentences: {
      invalid_link: 'This link is incomplete or was changed; open it from the email again.',
      expired_action: 'Links in reminder emails work for a limited time; use a newer email or the API.',
      expired_unsubscribe:
        'This unsubscribe link has expired; reply to any of our emails and we will unsubscribe you.',
      out_of_date: 'The lead has moved on since this email was sent; use a newer email.',
      used: 'This link was already used; each link in an email works once.',
      erased: 'The lead this link is for was erased.',
      not_found: 'The lead this link is for does not exist.',
      not_configured: 'Links from emails are not set up on this server.',
      temporarily_unavailable: 'We are busy just now. Please try again in a few seconds.',
      not_passed_on:
        'Your change is saved, but could not be passed on yet. Press the button again in a minute to pass it on; nothing is applied twice.',
    },
    conflictTitle: 'Please try again',
    conflict: 'The lead was being changed at the same moment. Go back and press the button again.',
    brokenSentence: 'Something went wrong on our side; nothing was changed. Please try again in a minute.',
    generic: 'This did not work; nothing was changed.',
    noPage: {
      notFound: 'There is no page at this address. Check the address, or start from the console.',
      notAPageTitle: 'Not a page',
      notAPage:
        'This address is for programs and forms to send to, not a page to open. Start from the console.',
      openConsole: 'Open the console',
      serviceStatus: 'Service status',
    },
  },
};

const ar: PageText = {
  unsubscribe: {
    question: (sender) => `إلغاء الاشتراك في رسائل ${isolated(sender)}؟`,
    consequence: (sender) => `لن تصلك بعد الآن رسائل تسويقية من ${isolated(sender)}.`,
    button: 'إلغاء الاشتراك',
    done: 'تم إلغاء اشتراكك',
  },
  action: {
    outcome: (name) => `تسجيل النتيجة: ${isolated(name)}`,
    status: (name) => `تعيين الحالة: ${isolated(name)}`,
    deal: (name) => `نقل الصفقة إلى: ${isolated(name)}`,
    moveTo: (stage) => `نقل إلى ${isolated(stage)}`,
    openDeal: (stage) => `فتح صفقة في ${isolated(stage)}`,
    unsubscribe: 'إلغاء الاشتراك في رسائلنا',
    consent: 'تأكيد اشتراكك',
    confirmTitle: (what, lead) => `${what} للعميل المحتمل ${isolated(lead)}؟`,
    pressToConfirm: 'اضغط الزر للتأكيد. لن يحدث شيء قبل ذلك.',
    worksOnce: (expires) => `يعمل هذا الرابط مرة واحدة، وتنتهي صلاحيته يوم ${expires}.`,
    yes: (what) => `نعم: ${what}`,
    doneTitle: (what) => `تم: ${what}`,
    doneNow: (lead, stage, status) =>
      `${isolated(lead)} الآن في مرحلة ${isolated(stage)}، والحالة ${isolated(status)}.`,
    recycles: (lead, stage, status, list) =>
      `سيعود العميل المحتمل ${isolated(lead)} إلى التسويق في مرحلة ${isolated(stage)}، والحالة ${isolated(status)}، ويخرج من ${list}. لا تستطيع روابط الرسالة التراجع عن ذلك.`,
    disqualifies: (lead, stage, status, list) =>
      `سيُغلق ملف العميل المحتمل ${isolated(lead)} في مرحلة ${isolated(stage)}، والحالة ${isolated(status)}، ويخرج من ${list}، ولن يحدث له شيء بعد ذلك. لا تستطيع روابط الرسالة التراجع عن ذلك.`,
    yourList: 'قائمتك',
    listOf: (rep) => `قائمة ${isolated(rep)}`,
    alreadyDone: (what) => `تم من قبل: ${what}. لم يُنفَّذ شيء مرتين.`,
    loggedOnce: (outcome, lead, on, by) =>
      `سُجّلت النتيجة «${isolated(outcome)}» لـ ${isolated(lead)} مرة واحدة عبر هذا الرابط${on}${by ? `، سجّلها ${isolated(by)}` : ''}.`,
    loggedBesides: (on, by) =>
      `وهي محاولة مستقلة، كما طلب زر «تسجيل محاولة أخرى»، إلى جانب المحاولة المسجّلة${on}${by ? `، سجّلها ${isolated(by)}` : ''}.`,
    sameCallTitle: 'سُجّلت من قبل؟',
    sameCallLogged: (outcome, lead, on, by) =>
      `سُجّلت النتيجة «${isolated(outcome)}» لـ ${isolated(lead)}${on}${by ? `، سجّلها ${isolated(by)}` : ''}. ولم تُسجَّل هذه الضغطة بعد.`,
    sameCallAsk: (channel) => {
      const { again, same } = attemptWords('ar', channel);
      return `${again} فسجّلها محاولةً أخرى. أم هي ${same}؟ فهي مسجّلة من قبل وتُحسب مرة واحدة: يمكنك إغلاق هذه الصفحة.`;
    },
    logAnother: 'تسجيل محاولة أخرى',
    closePage: 'يمكنك إغلاق هذه الصفحة.',
    anotherRep: 'مندوب آخر',
    on: (at) => ` يوم ${at}`,
    nothingChanged: 'لم يعد لهذا الرابط أي أثر؛ لم يتغير شيء.',
    movedOnTitle: (rep) => `انتقل هذا العميل المحتمل إلى ${isolated(rep)}`,
    movedOn: (lead, rep, on) =>
      `أُسند العميل المحتمل ${isolated(lead)} إلى ${isolated(rep)}${on}، بعد إرسال هذه الرسالة.`,
    movedOnNext: (rep) => `تصل التذكيرات والروابط الخاصة به الآن إلى ${isolated(rep)}.`,
    handedOverAgainTitle: 'أُسند هذا العميل المحتمل من جديد',
    handedOverAgain: (lead, on) =>
      `أُسند العميل المحتمل ${isolated(lead)} من جديد${on}، بعد إرسال هذه الرسالة.`,
    signedOutTitle: 'أُلغي هذا الرابط بتسجيل الخروج',
    signedOut: (lead) =>
      `سُجّل خروجك من كل الأجهزة بعد إرسال هذه الرسالة، لذا لم تعد روابطها تعمل على ${isolated(lead)}. سجّل الدخول إلى لوحة التحكم لمتابعة العميل المحتمل؛ أما الرسائل المرسلة من الآن فصاعدًا فروابطها تعمل.`,
    dealOpenTitle: 'لهذا العميل المحتمل صفقة مفتوحة',
    dealOpen: (lead, stage, on) => `لدى ${isolated(lead)} صفقة مفتوحة في مرحلة ${isolated(stage)}${on}.`,
    moveTheDeal: 'تابعه من خلال الصفقة: نقل الصفقة إلى مرحلة خسارة يعيد العميل المحتمل إلى التسويق.',
    readerLeftTitle: 'لم يعد بإمكانك استخدام هذا الرابط',
    readerLeft: (lead) =>
      `أُرسل إلى شخص لم تعد اتفاقية مستوى الخدمة تذكره، لذا لا يمكنه التصرف في ${isolated(lead)}. ومن يتابع العميل المحتمل الآن تصله روابطه الخاصة.`,
    useNewest: 'استخدم الروابط في أحدث رسالة عنه.',
    recycledTitle: 'أُعيد هذا العميل المحتمل إلى التسويق',
    dealLostTitle: 'خُسرت الصفقة',
    recycled: (lead, on, lost, status) =>
      `عاد العميل المحتمل ${isolated(lead)} إلى التسويق${on}${lost ? `: أُغلقت الصفقة خاسرة (${isolated(lost)})` : ''}؛ وحالته الآن: ${isolated(status)}.`,
    qualifyAgain: 'إن تأهّل من جديد، تصل إلى مالكه رسالة جديدة بروابط جديدة.',
    customerTitle: 'أصبح هذا العميل المحتمل عميلًا',
    customer: (lead, won, on) =>
      won
        ? `أصبح العميل المحتمل ${isolated(lead)} عميلًا: أُغلقت الصفقة رابحة (${isolated(won)})${on}.`
        : `أصبح العميل المحتمل ${isolated(lead)} عميلًا.`,
    nothingLeft: 'لم يبقَ شيء لفعله من هذه الرسالة.',
    disqualifiedTitle: 'استُبعد هذا العميل المحتمل',
    disqualified: (lead, status) => `استُبعد العميل المحتمل ${isolated(lead)} (الحالة: ${isolated(status)}).`,
    notHandedOff: (stage) =>
      `العميل المحتمل في مرحلة ${isolated(stage)}، ولم يُسند إلى مندوب بعد؛ يعمل هذا الرابط بعد إسناده.`,
    notInSla: (value) => `«${isolated(value)}» لم يعد في الاتفاقية؛ استخدم رسالة أحدث.`,
    closedCustomer: 'أصبح العميل المحتمل عميلًا.',
    closedDisqualified: 'استُبعد العميل المحتمل.',
  },
  consent: {
    defaultText: (sender) => `أرسلوا لي رسائل تسويقية من ${sender}. يمكنني إلغاء الاشتراك في أي وقت.`,
    confirmTitle: (sender) => `أكّد اشتراكك في رسائل ${isolated(sender)}`,
    pressToConfirm: (sender) =>
      `اضغط الزر لتأكيد رغبتك في تلقي رسائل تسويقية من ${isolated(sender)}. لن يحدث شيء قبل ذلك.`,
    agreed: (text) => `وافقت على: «${text}»`,
    button: 'تأكيد اشتراكي',
    confirmedTitle: 'تم تأكيد اشتراكك',
    thanks: (sender) => `شكرًا لك. ستصلك رسائل تسويقية من ${isolated(sender)}.`,
    everyEmail: 'في كل رسالة رابط لإلغاء الاشتراك.',
    noLongerTitle: 'لم يعد هذا الرابط صالحًا',
    noLonger: (sender) =>
      `ألغيت اشتراكك في رسائل ${isolated(sender)} منذ ذلك الحين، أو سجّلت من جديد برابط أحدث.`,
    erased: (sender) =>
      `حُذفت بياناتك لدى ${isolated(sender)} منذ ذلك الحين، فلا شيء لتأكيده. لتصلك رسائله سجّل من جديد في موقعه.`,
    expired: 'تبقى روابط التأكيد صالحة 30 يومًا. سجّل من جديد في موقعنا لتحصل على رابط جديد.',
    nothingChanged: 'لم يتغير شيء.',
  },
  form: {
    thanksTitle: 'شكرًا لك',
    thanksIn: 'وصلتنا بياناتك. سنتواصل معك قريبًا.',
    thanksClose: 'يمكنك إغلاق هذه الصفحة أو العودة إلى الموقع.',
    confirmByEmail:
      'لتصلك رسائلنا، أكّد عنوانك عبر الرابط في الرسالة التي نرسلها إليك (ما لم تكن أكّدته من قبل).',
    titleOrigin: 'لا يستطيع هذا النموذج إرسال البيانات إلى هنا بعد',
    titleType: 'أرسل هذا النموذج شيئًا لا نستطيع قبوله',
    titleTooLarge: 'أرسل هذا النموذج أكثر مما نقبل',
    titleCheck: 'يرجى مراجعة النموذج',
    emailRequired: 'البريد الإلكتروني: يرجى إدخال بريدك الإلكتروني لنتمكن من الرد عليك.',
    emailInvalid: 'البريد الإلكتروني: يرجى إدخال عنوان صحيح، مثل name@company.com.',
    originNotAllowed:
      'لم يُسمح لهذا الموقع بعد بإرسال البيانات إلى هنا؛ يستطيع صاحبه إضافته إلى المواقع المسموح بها.',
    botCheck: 'لم ينجح التحقق من أنك شخص حقيقي؛ يرجى إكماله وإرسال النموذج من جديد.',
    unreadable: 'أرسل النموذج شيئًا لا نستطيع قراءته (ملفًا، أو ترميزًا غير معتاد).',
    fileField: (name) =>
      `${name ? `الحقل «${isolated(name)}» ملف` : 'أرسل النموذج ملفًا'}، ولا نقبل الملفات مع البيانات: يرجى إرسال النموذج دون الملف.`,
    tooLarge: 'أرسل النموذج نصًا أطول مما نقبل؛ يرجى اختصار الرسالة.',
    tryLater: 'حدث خطأ من جهتنا؛ يرجى المحاولة بعد دقيقة.',
    busy: 'تعذّر علينا استلام بياناتك الآن. يرجى إرسال النموذج مرة أخرى بعد ثوانٍ.',
    busyTitle: 'يرجى المحاولة مرة أخرى',
    goBack: 'ارجع وصحّح ذلك ثم أرسل النموذج من جديد: لم يُحفظ شيء.',
    notSaved: 'لم يُحفظ شيء. يرجى المحاولة لاحقًا أو التواصل معنا بطريقة أخرى.',
  },
  formScript: {
    labels: {
      email: 'البريد الإلكتروني للعمل',
      firstName: 'الاسم الأول',
      lastName: 'اسم العائلة',
      company: 'الشركة',
      jobTitle: 'المسمى الوظيفي',
      phone: 'الهاتف',
      country: 'الدولة',
      employees: 'عدد الموظفين',
      message: 'الرسالة',
    },
    consent: 'أرسلوا لي محتوى مفيدًا (يمكنني إلغاء الاشتراك في أي وقت)',
    send: 'إرسال',
    thanks: 'شكرًا لك: وصلتنا بياناتك. سنتواصل معك قريبًا.',
    failed: 'تعذّر إرسال النموذج؛ يرجى المحاولة مرة أخرى.',
    hints: { employees: 'رقم، مثل ٨٥٠ أو ١٬٢٠٠' },
  },
  errors: {
    titles: {
      invalid_link: 'هذا الرابط لا يعمل',
      expired: 'انتهت صلاحية هذا الرابط',
      out_of_date: 'هذا الرابط قديم',
      used: 'استُخدم هذا الرابط من قبل',
      erased: 'حُذف هذا العميل المحتمل',
      closed: 'أُغلق ملف هذا العميل المحتمل',
      not_handed_off: 'ليس بعد',
      not_configured: 'غير متاح',
      unprocessable: 'هذا الرابط لا يعمل',
      not_passed_on: 'حُفظ التغيير ولم يكتمل بعد',
    },
    byStatus: {
      gone: 'انتهت صلاحية هذا الرابط',
      nothingToDo: 'لا شيء لفعله',
      notFound: 'غير موجود',
      unavailable: 'غير متاح',
      broken: 'حدث خطأ',
      notWorking: 'هذا الرابط لا يعمل',
    },
    sentences: {
      invalid_link: 'هذا الرابط ناقص أو تغيّر؛ افتحه من الرسالة مرة أخرى.',
      expired_action: 'تعمل روابط رسائل التذكير لمدة محدودة؛ استخدم رسالة أحدث أو الواجهة البرمجية.',
      expired_unsubscribe: 'انتهت صلاحية رابط إلغاء الاشتراك هذا؛ رُدّ على أي رسالة منا وسنلغي اشتراكك.',
      out_of_date: 'تغيّر وضع العميل المحتمل منذ إرسال هذه الرسالة؛ استخدم رسالة أحدث.',
      used: 'استُخدم هذا الرابط من قبل؛ يعمل كل رابط في الرسالة مرة واحدة.',
      erased: 'حُذف العميل المحتمل الذي يخصه هذا الرابط.',
      not_found: 'العميل المحتمل الذي يخصه هذا الرابط غير موجود.',
      not_configured: 'روابط الرسائل غير مفعّلة على هذا الخادم.',
      temporarily_unavailable: 'الخدمة مشغولة الآن. يرجى المحاولة مرة أخرى بعد ثوانٍ.',
      not_passed_on:
        'حُفظ التغيير، لكن تعذّر تمريره بعد. اضغط الزر مرة أخرى بعد دقيقة لتمريره؛ لن يُطبَّق شيء مرتين.',
    },
    conflictTitle: 'يرجى المحاولة مرة أخرى',
    conflict: 'كان العميل المحتمل يتغيّر في اللحظة نفسها. ارجع واضغط الزر مرة أخرى.',
    brokenSentence: 'حدث خطأ من جهتنا؛ لم يتغير شيء. يرجى المحاولة بعد دقيقة.',
    generic: 'لم ينجح ذلك؛ لم يتغير شيء.',
    noPage: {
      notFound: 'لا توجد صفحة بهذا العنوان. تحقّق من العنوان، أو ابدأ من لوحة التحكم.',
      notAPageTitle: 'ليست صفحة',
      notAPage: 'هذا العنوان تُرسل إليه البرامج والنماذج، وليس صفحة تُفتح. ابدأ من لوحة التحكم.',
      openConsole: 'افتح لوحة التحكم',
      serviceStatus: 'حالة الخدمة',
    },
  },
};

/** Formal business German (Sie). */
const de: PageText = {
  unsubscribe: {
    question: (sender) => `Von E-Mails von ${sender} abmelden?`,
    consequence: (sender) => `Sie erhalten keine Werbe-E-Mails mehr von ${sender}.`,
    button: 'Abmelden',
    done: 'Sie sind abgemeldet',
  },
  action: {
    outcome: (name) => `Ergebnis erfassen: ${name}`,
    status: (name) => `Status setzen: ${name}`,
    deal: (name) => `Deal verschieben nach: ${name}`,
    moveTo: (stage) => `Verschieben nach ${stage}`,
    openDeal: (stage) => `Deal in ${stage} anlegen`,
    unsubscribe: 'Von unseren E-Mails abmelden',
    consent: 'Anmeldung bestätigen',
    confirmTitle: (what, lead) => `${what} für ${lead}?`,
    pressToConfirm: 'Bestätigen Sie mit der Schaltfläche. Vorher geschieht nichts.',
    worksOnce: (expires) => `Dieser Link funktioniert nur einmal und ist gültig bis ${expires}.`,
    yes: (what) => `Ja: ${what}`,
    doneTitle: (what) => `Erledigt: ${what}`,
    doneNow: (lead, stage, status) => `${lead} ist jetzt in der Phase ${stage} mit dem Status ${status}.`,
    recycles: (lead, stage, status, list) =>
      `${lead} geht zurück ans Marketing, in die Phase ${stage} mit dem Status ${status}, und verschwindet aus ${list}. Über die Links in der E-Mail lässt sich das nicht rückgängig machen.`,
    disqualifies: (lead, stage, status, list) =>
      `${lead} wird in der Phase ${stage} mit dem Status ${status} abgeschlossen und verschwindet aus ${list}; danach geschieht nichts mehr. Über die Links in der E-Mail lässt sich das nicht rückgängig machen.`,
    yourList: 'Ihrer Liste',
    listOf: (rep) => `der Liste von ${rep}`,
    alreadyDone: (what) => `Bereits erledigt: ${what}. Nichts wurde doppelt ausgeführt.`,
    loggedOnce: (outcome, lead, on, by) =>
      `„${outcome}“ wurde für ${lead} über diesen Link einmal erfasst${on}${by ? `, von ${by}` : ''}.`,
    loggedBesides: (on, by) =>
      `Es ist ein eigener Versuch, wie mit „Weiteren Versuch erfassen“ gewählt, neben dem Versuch, der${on} erfasst wurde${by ? `, von ${by}` : ''}.`,
    sameCallTitle: 'Schon erfasst?',
    sameCallLogged: (outcome, lead, on, by) =>
      `„${outcome}“ wurde für ${lead}${on} erfasst${by ? `, von ${by}` : ''}. Dieser Klick ist noch nicht erfasst.`,
    sameCallAsk: (channel) => {
      // the article agrees with the noun (derselbe Anruf, dieselbe E-Mail): the sentences around it name the attempt
      const { again, same } = attemptWords('de', channel);
      return `${again} Dann erfassen Sie das als weiteren Versuch. War es ${same}? Dann ist der Versuch schon erfasst und zählt einmal: Sie können diese Seite schließen.`;
    },
    logAnother: 'Weiteren Versuch erfassen',
    closePage: 'Sie können diese Seite schließen.',
    anotherRep: 'eine andere Person im Vertrieb',
    on: (at) => ` am ${at}`,
    nothingChanged: 'Dieser Link bewirkt nichts mehr; es wurde nichts geändert.',
    movedOnTitle: (rep) => `Dieser Lead wurde an ${rep} weitergegeben`,
    movedOn: (lead, rep, on) =>
      `${lead} wurde${on} an ${rep} übergeben, nachdem diese E-Mail verschickt wurde.`,
    movedOnNext: (rep) => `Erinnerungen und Links dazu erhält jetzt ${rep}.`,
    handedOverAgainTitle: 'Dieser Lead wurde erneut übergeben',
    handedOverAgain: (lead, on) =>
      `${lead} wurde${on} erneut übergeben, nachdem diese E-Mail verschickt wurde.`,
    signedOutTitle: 'Dieser Link gilt seit Ihrer Abmeldung nicht mehr',
    signedOut: (lead) =>
      `Sie wurden nach dem Versand dieser E-Mail auf allen Geräten abgemeldet, deshalb wirken ihre Links nicht mehr auf ${lead}. Melden Sie sich in der Konsole an, um den Lead zu bearbeiten; E-Mails, die ab jetzt verschickt werden, enthalten gültige Links.`,
    dealOpenTitle: 'Für diesen Lead gibt es einen offenen Deal',
    dealOpen: (lead, stage, on) => `${lead} hat einen offenen Deal in der Phase ${stage}${on}.`,
    moveTheDeal:
      'Bearbeiten Sie ihn über den Deal: Wird der Deal in eine verlorene Phase verschoben, geht der Lead zurück ans Marketing.',
    readerLeftTitle: 'Dieser Link ist nicht mehr für Sie bestimmt',
    readerLeft: (lead) =>
      `Er ging an jemanden, den das SLA nicht mehr nennt, und kann deshalb nichts an ${lead} ändern. Wer den Lead jetzt bearbeitet, erhält eigene Links.`,
    useNewest: 'Verwenden Sie die Links in der neuesten E-Mail dazu.',
    recycledTitle: 'Dieser Lead ging zurück ans Marketing',
    dealLostTitle: 'Der Deal ist verloren',
    recycled: (lead, on, lost, status) =>
      `${lead} ging${on} zurück ans Marketing${lost ? `: Der Deal wurde als verloren abgeschlossen (${lost})` : ''}; Status jetzt: ${status}.`,
    qualifyAgain:
      'Qualifiziert er sich erneut, erhält die zuständige Person eine neue E-Mail mit neuen Links.',
    customerTitle: 'Dieser Lead ist jetzt Kunde',
    customer: (lead, won, on) =>
      won ? `${lead} ist Kunde: Der Deal wurde${on} gewonnen (${won}).` : `${lead} ist Kunde.`,
    nothingLeft: 'Aus dieser E-Mail ist nichts mehr zu tun.',
    disqualifiedTitle: 'Dieser Lead wurde disqualifiziert',
    disqualified: (lead, status) => `${lead} wurde disqualifiziert (Status: ${status}).`,
    notHandedOff: (stage) =>
      `Der Lead ist in der Phase ${stage} und noch niemandem im Vertrieb zugewiesen; dieser Link funktioniert, sobald jemand zuständig ist.`,
    notInSla: (value) => `„${value}“ ist nicht mehr im SLA; verwenden Sie eine neuere E-Mail.`,
    closedCustomer: 'Der Lead ist Kunde.',
    closedDisqualified: 'Der Lead ist disqualifiziert.',
  },
  consent: {
    defaultText: (sender) =>
      `Ich möchte Werbe-E-Mails von ${sender} erhalten. Ich kann mich jederzeit wieder abmelden.`,
    confirmTitle: (sender) => `Anmeldung für E-Mails von ${sender} bestätigen`,
    pressToConfirm: (sender) =>
      `Bestätigen Sie mit der Schaltfläche, dass Sie Werbe-E-Mails von ${sender} erhalten möchten. Vorher geschieht nichts.`,
    agreed: (text) => `Ihre Einwilligung: „${text}“`,
    button: 'Anmeldung bestätigen',
    confirmedTitle: 'Ihre Anmeldung ist bestätigt',
    thanks: (sender) => `Vielen Dank. Sie erhalten ab jetzt Werbe-E-Mails von ${sender}.`,
    everyEmail: 'Jede E-Mail enthält einen Link zum Abmelden.',
    noLongerTitle: 'Dieser Link ist nicht mehr gültig',
    noLonger: (sender) =>
      `Sie haben sich inzwischen von E-Mails von ${sender} abgemeldet oder mit einem neueren Link erneut angemeldet.`,
    erased: (sender) =>
      `Ihre Daten bei ${sender} wurden inzwischen gelöscht, es gibt also nichts zu bestätigen. Wenn Sie E-Mails erhalten möchten, melden Sie sich auf der Website erneut an.`,
    expired:
      'Bestätigungslinks sind 30 Tage lang gültig. Melden Sie sich auf unserer Website erneut an, um einen neuen zu erhalten.',
    nothingChanged: 'Es wurde nichts geändert.',
  },
  form: {
    thanksTitle: 'Vielen Dank',
    thanksIn: 'Ihre Angaben sind bei uns eingegangen. Wir melden uns in Kürze bei Ihnen.',
    thanksClose: 'Sie können diese Seite schließen oder zur Website zurückkehren.',
    confirmByEmail:
      'Um unsere E-Mails zu erhalten, bestätigen Sie Ihre Adresse bitte über den Link in der E-Mail, die wir Ihnen senden (sofern Sie sie nicht bereits bestätigt haben).',
    titleOrigin: 'Dieses Formular kann hierher noch keine Anfragen senden',
    titleType: 'Dieses Formular sendet etwas, das wir nicht annehmen können',
    titleTooLarge: 'Dieses Formular hat zu viel gesendet',
    titleCheck: 'Bitte prüfen Sie das Formular',
    emailRequired: 'E-Mail: Bitte geben Sie Ihre E-Mail-Adresse an, damit wir antworten können.',
    emailInvalid: 'E-Mail: Bitte geben Sie eine gültige E-Mail-Adresse an, etwa name@firma.de.',
    originNotAllowed:
      'Diese Website darf noch keine Anfragen hierher senden; ihr Betreiber kann sie in die Liste der zugelassenen Ursprünge (allowed origins) aufnehmen.',
    botCheck:
      'Die Prüfung, ob Sie ein Mensch sind, war nicht erfolgreich; bitte lösen Sie sie und senden Sie das Formular erneut.',
    unreadable:
      'Das Formular hat etwas gesendet, das wir nicht lesen können (eine Datei oder eine ungewöhnliche Kodierung).',
    fileField: (name) =>
      name
        ? `${name}: Dateien können nicht hochgeladen werden.`
        : 'Das Formular hat eine Datei gesendet: Dateien können nicht hochgeladen werden.',
    tooLarge: 'Das Formular hat mehr Text gesendet, als wir annehmen; bitte kürzen Sie die Nachricht.',
    tryLater: 'Bei uns ist ein Fehler aufgetreten; bitte versuchen Sie es in einer Minute erneut.',
    busy: 'Wir konnten Ihre Angaben gerade nicht annehmen. Bitte senden Sie das Formular in einigen Sekunden erneut.',
    busyTitle: 'Bitte versuchen Sie es erneut',
    goBack:
      'Gehen Sie zurück, korrigieren Sie die Angabe und senden Sie das Formular erneut: Es wurde nichts gespeichert.',
    notSaved:
      'Es wurde nichts gespeichert. Bitte versuchen Sie es später erneut oder kontaktieren Sie uns auf anderem Weg.',
  },
  formScript: {
    labels: {
      email: 'Geschäftliche E-Mail-Adresse',
      firstName: 'Vorname',
      lastName: 'Nachname',
      company: 'Unternehmen',
      jobTitle: 'Position',
      phone: 'Telefon',
      country: 'Land',
      employees: 'Anzahl der Beschäftigten',
      message: 'Nachricht',
    },
    consent: 'Ich möchte nützliche Inhalte per E-Mail erhalten (jederzeit abbestellbar)',
    send: 'Absenden',
    thanks: 'Vielen Dank: Ihre Angaben sind bei uns eingegangen. Wir melden uns in Kürze bei Ihnen.',
    failed: 'Das Formular konnte nicht gesendet werden; bitte versuchen Sie es erneut.',
    hints: { employees: 'Eine Zahl, etwa 850 oder 1.200' },
  },
  errors: {
    titles: {
      invalid_link: 'Dieser Link funktioniert nicht',
      expired: 'Dieser Link ist abgelaufen',
      out_of_date: 'Dieser Link ist veraltet',
      used: 'Dieser Link wurde bereits verwendet',
      erased: 'Dieser Lead wurde gelöscht',
      closed: 'Dieser Lead ist abgeschlossen',
      not_handed_off: 'Noch nicht',
      not_configured: 'Nicht verfügbar',
      unprocessable: 'Dieser Link funktioniert nicht',
      not_passed_on: 'Gespeichert, aber noch nicht abgeschlossen',
    },
    byStatus: {
      gone: 'Dieser Link ist abgelaufen',
      nothingToDo: 'Nichts zu tun',
      notFound: 'Nicht gefunden',
      unavailable: 'Nicht verfügbar',
      broken: 'Ein Fehler ist aufgetreten',
      notWorking: 'Dieser Link funktioniert nicht',
    },
    sentences: {
      invalid_link:
        'Dieser Link ist unvollständig oder wurde verändert; öffnen Sie ihn erneut aus der E-Mail.',
      expired_action:
        'Links in Erinnerungs-E-Mails sind nur begrenzt gültig; verwenden Sie eine neuere E-Mail oder die API.',
      expired_unsubscribe:
        'Dieser Abmeldelink ist abgelaufen; antworten Sie auf eine unserer E-Mails, dann melden wir Sie ab.',
      out_of_date:
        'Beim Lead hat sich seit dem Versand dieser E-Mail etwas geändert; verwenden Sie eine neuere E-Mail.',
      used: 'Dieser Link wurde bereits verwendet; jeder Link in einer E-Mail funktioniert nur einmal.',
      erased: 'Der Lead, für den dieser Link gilt, wurde gelöscht.',
      not_found: 'Den Lead, für den dieser Link gilt, gibt es nicht.',
      not_configured: 'Links aus E-Mails sind auf diesem Server nicht eingerichtet.',
      temporarily_unavailable:
        'Wir sind gerade ausgelastet. Bitte versuchen Sie es in einigen Sekunden erneut.',
      not_passed_on:
        'Ihre Änderung ist gespeichert, konnte aber noch nicht weitergegeben werden. Klicken Sie in einer Minute erneut auf die Schaltfläche, um sie weiterzugeben; nichts wird doppelt ausgeführt.',
    },
    conflictTitle: 'Bitte versuchen Sie es erneut',
    conflict:
      'Der Lead wurde im selben Moment geändert. Gehen Sie zurück und klicken Sie erneut auf die Schaltfläche.',
    brokenSentence:
      'Bei uns ist ein Fehler aufgetreten; es wurde nichts geändert. Bitte versuchen Sie es in einer Minute erneut.',
    generic: 'Das hat nicht funktioniert; es wurde nichts geändert.',
    noPage: {
      notFound:
        'Unter dieser Adresse gibt es keine Seite. Prüfen Sie die Adresse oder beginnen Sie in der Konsole.',
      notAPageTitle: 'Keine Seite',
      notAPage:
        'An diese Adresse senden Programme und Formulare; sie ist keine Seite zum Öffnen. Beginnen Sie in der Konsole.',
      openConsole: 'Konsole öffnen',
      serviceStatus: 'Dienststatus',
    },
  },
};

const TEXT: Readonly<Record<ShippedLanguage, PageText>> = { en, ar, de };

export function pageText(language: ShippedLanguage): PageText {
  return TEXT[language];
}

export function unsubscribeText(language: ShippedLanguage): UnsubscribeText {
  return TEXT[language].unsubscribe;
}
