/**
 * Marketing consent, and the record that proves it (issue 10). A form post with the consent box
 * ticked records when, where (form id, page URL) and what text was consented to. Under double opt-in
 * (the SLA's `forms[].consent`, default `double`) the person is sent one confirmation email with a
 * signed, single-use link (action-links.ts, kind `consent`); nurture starts only once they confirm.
 * Unsubscribing withdraws the consent. Sales work is not consent-bound: an unconfirmed lead is still
 * judged and handed to a rep.
 *
 * Pure: times and ids are passed in.
 */
import { CONSENT_LINK_TTL_SECONDS } from './action-links.ts';
import { consentEntryData, consentFormLabel, formNameOf } from './consent-entry.ts';
import type { FieldValue } from './lead.ts';
import { type LeadState, type StoredEvent, withTimeline } from './lead-state.ts';
import { leadLocale, shippedLanguage } from './locale.ts';
import { pageText } from './page-text.ts';
import { pickLocal, senderNameIn } from './sla-names.ts';
import type { Form, Sla } from './sla-schema.ts';

export type ConsentMode = 'double' | 'single';

export interface ConsentRecord {
  readonly mode: ConsentMode;
  /** ISO: when the form was posted with the box ticked */
  readonly givenAt: string;
  /** where: the form's id and the page it was on, as the form posted them */
  readonly formId?: string;
  readonly pageUrl?: string;
  /** what: the consent text of the form in the SLA (forms[].consentText, else DEFAULT_CONSENT_TEXT) */
  readonly text: string;
  /**
   * the language the person read it in (the post's locale): the confirmation email and its pages use it,
   * whatever language the lead was first stored with. Absent on older records: the lead's.
   */
  readonly locale?: string;
  /** names this request: the confirmation link carries it, so a link confirms only the request it was sent for */
  readonly requestId: string;
  /**
   * ISO: when its confirmation email was claimed for sending (its link lives CONSENT_LINK_TTL_SECONDS from then).
   * A lead that went to sales first is asked when it first comes to nurture; absent until then, and on records
   * made before it was kept (their link is taken to date from `givenAt`).
   */
  readonly askedAt?: string;
  /**
   * Its confirmation email was not sent: the mailbox its address reaches (domain/mailbox.ts) was sent one for
   * another request within the window (ADR 0075), so a form cannot flood one inbox through an address's
   * spellings (`me+1@`, `m.e@gmail.com`). Nothing marketing goes out; the next post with the box ticked is a
   * new request, asked once the mailbox's window is over.
   */
  readonly notAsked?: NotAsked;
  /** ISO: when the person confirmed with the link (double opt-in) */
  readonly confirmedAt?: string;
  /** ISO: when the consent was withdrawn (unsubscribe) */
  readonly withdrawnAt?: string;
  /**
   * ISO: on consent given again after an unsubscribe, when the earlier consent was withdrawn. Such a request is
   * always double opt-in, and the lead stays unsubscribed until the person confirms it.
   */
  readonly previouslyWithdrawnAt?: string;
}

export interface NotAsked {
  /** ISO: when its email would have been claimed */
  readonly at: string;
  /** its mailbox was sent a confirmation email for another request within CONSENT_MAILBOX_WINDOW_MS before `at` */
  readonly reason: 'mailbox asked recently';
}

/**
 * The language of a lead's consent request (its confirmation email and pages): the one the person gave
 * consent in, else the lead's (ADR 0019). A lead first stored in English that ticks the box on an Arabic
 * form is asked in Arabic.
 */
export function consentLocale(sla: Sla, lead: Pick<LeadState, 'consent' | 'fields'>): string {
  const given = lead.consent?.locale;
  return given && sla.locales.supported.includes(given) ? given : leadLocale(sla, lead.fields);
}

/** What a form without a consentText in the SLA stores as the text consented to, in `locale`. */
export function defaultConsentText(sla: Sla, locale = sla.locales.default): string {
  return pageText(shippedLanguage(locale)).consent.defaultText(senderNameIn(sla, locale));
}

/**
 * A form's consent text in `locale` (forms[].consentTexts, else consentText, else the default): what
 * the embedded form shows beside its checkbox and what the lead's record stores.
 */
export function formConsentText(sla: Sla, form: Form | undefined, locale = sla.locales.default): string {
  return pickLocal(form?.consentTexts, locale) ?? form?.consentText ?? defaultConsentText(sla, locale);
}

/** The consent mode of the SLA form `formId` names (no form, or one without `consent`: double). */
export function consentModeOf(sla: Sla, formId: unknown): ConsentMode {
  const form =
    typeof formId === 'string' ? sla.forms.find((candidate) => candidate.id === formId) : undefined;
  return form?.consent ?? 'double';
}

/** The record of a form post's consent: its form's mode (default double) and text. */
export function consentFor(
  sla: Sla,
  fields: Readonly<Record<string, FieldValue>>,
  givenAt: Date,
  requestId: string,
): ConsentRecord {
  const formId = typeof fields.formId === 'string' ? fields.formId : undefined;
  const pageUrl = typeof fields.pageUrl === 'string' ? fields.pageUrl : undefined;
  const form = formId === undefined ? undefined : sla.forms.find((candidate) => candidate.id === formId);
  const at = givenAt.toISOString();
  const mode = consentModeOf(sla, formId);
  // the language the person read it in (the post's locale, as the form's page); a post that names none (a
  // form builder's server posts without one) records none: the lead's then applies (consentLocale)
  const locale = leadLocale(sla, fields);
  return {
    mode,
    givenAt: at,
    ...(formId === undefined ? {} : { formId }),
    ...(pageUrl === undefined ? {} : { pageUrl }),
    text: formConsentText(sla, form, locale),
    ...(typeof fields.locale === 'string' ? { locale } : {}),
    requestId,
    // single opt-in: the ticked box is the confirmation
    ...(mode === 'single' ? { confirmedAt: at } : {}),
  };
}

/**
 * The record a repeat post leaves. A request awaiting confirmation stands while its link lives (a repeat post
 * never sends a second confirmation email, so a form cannot be used to mail someone over and over); once its
 * link has expired unconfirmed, the new post is a new request (one new email); a single opt-in form's ticked box
 * answers it (the person gave consent where the SLA takes the tick as given). A confirmed consent stands. A
 * post with consent on a lead without a record adds one. Consent given again after an unsubscribe (the record
 * withdrawn, or the lead unsubscribed) is a new request, double opt-in whatever the form's mode (the person
 * said no before: only the link in an email may say yes again, as HubSpot's opt-back-in email); the lead stays
 * unsubscribed until it is confirmed.
 */
export function mergeConsent(
  current: ConsentRecord | undefined,
  posted: ConsentRecord | undefined,
  at: Date,
  lead: Pick<LeadState, 'unsubscribed' | 'unsubscribedAt'> = { unsubscribed: false },
): ConsentRecord | undefined {
  if (!posted) return current;
  if (current && awaitsConfirmation(current)) {
    // a request never asked (its mailbox was, for another: ADR 0075) is no request to keep
    if (current.notAsked || linkExpired(current, at)) return renewed(current, posted);
    // a single opt-in form's ticked box is the consent itself: it answers the request too (not after an unsubscribe)
    return posted.mode === 'single' && current.previouslyWithdrawnAt === undefined && !lead.unsubscribed
      ? posted
      : current;
  }
  if (!current) return lead.unsubscribed ? askedAgain(posted, lead.unsubscribedAt) : posted;
  if (!current.withdrawnAt && !lead.unsubscribed) return current;
  return askedAgain(posted, current.withdrawnAt ?? lead.unsubscribedAt);
}

/** A double opt-in request not yet confirmed nor withdrawn. */
function awaitsConfirmation(record: ConsentRecord | undefined): boolean {
  return record !== undefined && record.mode === 'double' && !record.confirmedAt && !record.withdrawnAt;
}

/** Has the link of the request expired by `at`? (dated from its email, else from `givenAt`: the email goes then or later) */
function linkExpired(record: ConsentRecord, at: Date): boolean {
  return at.getTime() >= linkExpiresAt(record).getTime();
}

/** When the request's confirmation link stops working: CONSENT_LINK_TTL_SECONDS after its email (else its post). */
export function linkExpiresAt(record: Pick<ConsentRecord, 'askedAt' | 'givenAt'>): Date {
  return new Date(Date.parse(record.askedAt ?? record.givenAt) + CONSENT_LINK_TTL_SECONDS * 1000);
}

export type ConsentStatus = 'confirmed' | 'withdrawn' | 'awaiting confirmation' | 'expired' | 'not asked';

/**
 * Where the request stands at `now`: `expired` once its confirmation email was sent and its link has lapsed
 * unconfirmed (the person never said yes: no marketing email, and a repeat post makes a new request); a request
 * whose email has not gone yet (a lead that went to sales first) awaits confirmation.
 */
export function consentStatus(record: ConsentRecord, sentKeys: readonly string[], now: Date): ConsentStatus {
  if (record.withdrawnAt) return 'withdrawn';
  if (record.confirmedAt) return 'confirmed';
  if (record.notAsked) return 'not asked';
  const asked = record.askedAt !== undefined || sentKeys.includes(confirmationKey(record));
  return asked && linkExpired(record, now) ? 'expired' : 'awaiting confirmation';
}

/** The record as its confirmation email is claimed at `at`: its link dates from then. */
export function askedToConfirm(record: ConsentRecord, at: Date): ConsentRecord {
  return { ...record, askedAt: at.toISOString() };
}

/** The record whose confirmation email is not sent: its mailbox was sent one for another request lately. */
export function notAskedForMailbox(record: ConsentRecord, at: Date): ConsentRecord {
  return { ...record, notAsked: { at: at.toISOString(), reason: 'mailbox asked recently' } };
}

/** The new request that replaces an expired one; one given again after an unsubscribe stays so. */
function renewed(current: ConsentRecord, posted: ConsentRecord): ConsentRecord {
  return current.previouslyWithdrawnAt === undefined
    ? posted
    : askedAgain(posted, current.previouslyWithdrawnAt);
}

/** Consent given again after an unsubscribe: a double opt-in request, noting when the earlier was withdrawn. */
function askedAgain(posted: ConsentRecord, withdrawnAt: string | undefined): ConsentRecord {
  const { confirmedAt: _single, withdrawnAt: _withdrawn, ...request } = posted;
  return {
    ...request,
    mode: 'double',
    ...(withdrawnAt === undefined ? {} : { previouslyWithdrawnAt: withdrawnAt }),
  };
}

/**
 * May the lead be sent nurture email, by consent alone? `pending`: consent given under double opt-in,
 * not yet confirmed. A lead with marketingConsent but no record (made before records, or through the
 * API) counts as granted, as it did before.
 */
export function nurtureConsent(
  lead: Pick<LeadState, 'marketingConsent' | 'unsubscribed' | 'consent'>,
): 'granted' | 'pending' | 'none' {
  // consent given again after an unsubscribe awaits its confirmation while the lead is still unsubscribed
  if (awaitsConfirmation(lead.consent) && (lead.marketingConsent || lead.unsubscribed)) return 'pending';
  if (!lead.marketingConsent || lead.unsubscribed || lead.consent?.withdrawnAt) return 'none';
  return 'granted';
}

/** The dedupe key of a request's confirmation email: sent once per request. */
export function confirmationKey(record: Pick<ConsentRecord, 'requestId'>): string {
  return `consent:${record.requestId}`;
}

export type ConfirmOutcome =
  | { readonly kind: 'confirmed'; readonly lead: LeadState }
  /** a replayed link: nothing changes */
  | { readonly kind: 'alreadyConfirmed'; readonly at: string }
  /** withdrawn since, another request, or erased: the link no longer applies */
  | { readonly kind: 'noLongerApplies' };

/**
 * Confirms the request a link names. Idempotent: a replay answers alreadyConfirmed and changes nothing.
 * With the SLA, the timeline names the form by its name (what a person reads in the console), else by id.
 */
export function confirmConsent(lead: LeadState, requestId: string, at: Date, sla?: Sla): ConfirmOutcome {
  const record = lead.consent;
  // an unsubscribe since withdrew the record; a lead unsubscribed before the request (consent given again) may
  // confirm it: that subscribes it again
  if (lead.erasedAt || !record || record.withdrawnAt) return { kind: 'noLongerApplies' };
  // an older request's link on a lead subscribed since (a single opt-in form answered it): the person is told so
  if (record.requestId !== requestId)
    return record.confirmedAt && !lead.unsubscribed
      ? { kind: 'alreadyConfirmed', at: record.confirmedAt }
      : { kind: 'noLongerApplies' };
  if (record.confirmedAt) return { kind: 'alreadyConfirmed', at: record.confirmedAt };
  const now = at.toISOString();
  const form = consentFormLabel(record.formId, sla && formNameOf(sla, record.formId));
  return {
    kind: 'confirmed',
    lead: withTimeline(
      {
        ...lead,
        // consent given again after an unsubscribe: confirming it subscribes the person again
        unsubscribed: false,
        marketingConsent: true,
        consent: { ...record, confirmedAt: now },
        updatedAt: now,
      },
      {
        at: now,
        kind: 'consent',
        by: 'lead',
        reasons: [
          {
            rule: 'consent.confirmed',
            detail: `confirmed the subscription given on ${form} at ${record.givenAt}${
              lead.unsubscribed ? ': subscribed again after unsubscribing' : ''
            }`,
          },
        ],
        // what `lead.consent_confirmed` tells a CRM (consent-entry.ts): the event is derived from this entry
        data: consentEntryData(record),
      },
    ),
  };
}

/**
 * An unsubscribed lead whose consent, given again, awaits its confirmation: an unsubscribe now (an older email's
 * link, a tracker's event) withdraws that request, as a ticked opt-out does (optedOut), so its link no longer
 * subscribes the person.
 */
export function asksAgain(lead: Pick<LeadState, 'unsubscribed' | 'consent'>): boolean {
  return lead.unsubscribed && awaitsConfirmation(lead.consent);
}

/** The record withdrawn at `at` (unsubscribe); unchanged when there is none or it is already withdrawn. */
export function withdrawConsent(record: ConsentRecord | undefined, at: Date): ConsentRecord | undefined {
  if (!record || record.withdrawnAt) return record;
  return { ...record, withdrawnAt: at.toISOString() };
}

/**
 * The `unsubscribe` event of a link's unsubscribe at `at` (ISO) in the lead's `cycle`: one key (the event's id
 * and time) per lead, cycle and withdrawal, whichever link and however many posts made it.
 */
export function unsubscribeEventAt(cycle: number, at: string): StoredEvent {
  return {
    eventId: `unsubscribe-c${cycle}`,
    type: 'unsubscribe',
    occurredAt: at,
    receivedAt: at,
    properties: { source: 'email-link' },
  };
}

/**
 * The `unsubscribe` event the write that unsubscribed the lead with a link committed (`unsubscribedAt`): every
 * post of the lead's unsubscribe links, concurrent or retried after a crash, stores this one item with a
 * conditional put. None for a lead no link unsubscribed.
 */
export function unsubscribeEvent(lead: Pick<LeadState, 'cycle' | 'unsubscribedAt'>): StoredEvent | undefined {
  return lead.unsubscribedAt === undefined ? undefined : unsubscribeEventAt(lead.cycle, lead.unsubscribedAt);
}

/**
 * A form post with a ticked opt-out (Salesforce's `emailOptOut`, a form's `optOut`) on a known lead: unsubscribed
 * as by the link in an email, its consent (a request given again too) withdrawn. Unchanged when already so.
 */
export function optedOut(lead: LeadState, at: Date, formId: FieldValue | undefined): LeadState {
  if (lead.unsubscribed && !asksAgain(lead)) return lead;
  const now = at.toISOString();
  const form = typeof formId === 'string' ? `form ${formId}` : 'a form';
  return withTimeline(
    withdrawn({ ...lead, unsubscribed: true, marketingConsent: false, updatedAt: now }, at),
    {
      at: now,
      kind: 'unsubscribed',
      by: 'form',
      reasons: [{ rule: 'consent.optOut', detail: `ticked the opt-out on ${form}` }],
    },
  );
}

/** The lead with its consent record (if any) withdrawn at `at`. */
export function withdrawn<T extends Pick<LeadState, 'consent'>>(lead: T, at: Date): T {
  const consent = withdrawConsent(lead.consent, at);
  return consent ? { ...lead, consent } : lead;
}
