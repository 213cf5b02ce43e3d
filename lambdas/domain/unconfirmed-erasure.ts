/**
 * The retention of sign-ups never confirmed (ADR 0092): which lead the SLA's `consent.eraseUnconfirmedAfterDays`
 * erases, and when. A lead is erased only when its ONLY reason to be held is a marketing sign-up whose confirmation
 * link lapsed unconfirmed (`consent.status` reads `expired`) that many days ago (or, when the person posted again
 * after the lapse, that many days after the last post):
 *
 * - its consent request was asked (the email went) and never confirmed, withdrawn or answered; a request given
 *   again after an unsubscribe is not (the person was a subscriber: not a sign-up never confirmed);
 * - nothing of sales, now or ever: below SQL, no owner, never handed over, recycled, connected, taken over or
 *   escalated, no deal, no cadence, no contact attempt;
 * - its story is the sign-up's: created, form posts, judgements and stage moves below SQL, and its consent email
 *   (a person's edit, an owner, a status set by a rep: kept), with no entry moved off or dropped (unknown: kept);
 * - every event on it is a post of the form it signed up on: another form's post (a demo request after a guide), a
 *   tracker's page view, an email click, a CRM's event is interest beyond the sign-up, and the lead is kept.
 *
 * Whatever is in doubt keeps the lead: erasing is the one change nobody can take back.
 *
 * Pure: the lead, its events and attempts, and `now` are passed in.
 */
import { consentStatus, linkExpiresAt } from './consent.ts';
import type { Reason } from './lead.ts';
import type { Attempt, LeadState, StoredEvent, TimelineEntry } from './lead-state.ts';
import { LIFECYCLE_STAGES } from './sla-constants.ts';
import type { Sla } from './sla-schema.ts';

/** The rule an erase by this retention records on the lead's timeline (and its report fact carries). */
export const UNCONFIRMED_ERASE_RULE = 'consent.eraseUnconfirmed';

const MS_DAY = 86_400_000;

/** Why a lead is kept; each names the first reason found, in the order checked. */
export type KeptBecause =
  /** the SLA sets no `consent.eraseUnconfirmedAfterDays` */
  | 'retention off'
  | 'erased already'
  | 'no consent request'
  | 'confirmed'
  | 'withdrawn'
  /** its email was never sent (its mailbox was asked for another request, ADR 0075) */
  | 'not asked'
  /** consent given again after an unsubscribe: the person was a subscriber */
  | 'subscribed before'
  /** the link has not lapsed yet (or lapsed, or the person last posted, fewer than the days ago) */
  | 'not yet due'
  /** is or was a sales lead (SQL or later, an owner, a handover, a deal, a cadence, an attempt) */
  | 'sales lead'
  /** its story holds more than a sign-up (a person's change), or is not all on the lead */
  | 'story beyond the sign-up'
  /** an event other than a form post (a tracker, a CRM, an email click) */
  | 'engagement beyond the sign-up';

export type UnconfirmedErasure =
  | {
      readonly erase: true /** ISO: when it became erasable (the link's lapse plus the days) */;
      readonly dueAt: string;
    }
  | {
      readonly erase: false;
      readonly kept: KeptBecause /** ISO: when it will be, if nothing changes */;
      readonly dueAt?: string;
    };

/** What the rule reads besides the state: the lead's events and contact attempts. */
export interface LeadHistory {
  readonly events: readonly Pick<StoredEvent, 'type' | 'properties'>[];
  readonly attempts: readonly Pick<Attempt, 'attemptId'>[];
}

const SALES_STAGES: ReadonlySet<string> = new Set(LIFECYCLE_STAGES.slice(LIFECYCLE_STAGES.indexOf('sql')));

/** The stages a lead this rule may erase can be in: every stage below SQL (the retention pass walks these). */
export const SIGN_UP_STAGES = LIFECYCLE_STAGES.slice(0, LIFECYCLE_STAGES.indexOf('sql'));

/** Timeline entries a sign-up's story is made of (an `email` only the consent request's). */
const SIGN_UP_ENTRIES: ReadonlySet<string> = new Set([
  'created',
  'submitted',
  'judged',
  'qualified',
  'stage',
]);

/**
 * The latest creation time a lead erasable at `now` can have (ISO): the retention pass lists no lead created
 * after it. Undefined when the retention is off.
 */
export function createdAtOrBefore(sla: Sla, now: Date): string | undefined {
  const days = sla.consent.eraseUnconfirmedAfterDays;
  if (days === undefined) return undefined;
  const lapse = linkExpiresAt({ givenAt: new Date(0).toISOString() }).getTime();
  return new Date(now.getTime() - lapse - days * MS_DAY).toISOString();
}

/** Is the lead, with its events and attempts, erased by the retention at `now`? (No history given: the state alone, for a first look.) */
export function unconfirmedErasure(
  sla: Sla,
  lead: LeadState,
  now: Date,
  history?: LeadHistory,
): UnconfirmedErasure {
  const days = sla.consent.eraseUnconfirmedAfterDays;
  if (days === undefined) return { erase: false, kept: 'retention off' };
  if (lead.erasedAt) return { erase: false, kept: 'erased already' };
  const record = lead.consent;
  if (!record) return { erase: false, kept: 'no consent request' };
  if (record.withdrawnAt || lead.unsubscribed) return { erase: false, kept: 'withdrawn' };
  if (record.confirmedAt) return { erase: false, kept: 'confirmed' };
  if (record.notAsked) return { erase: false, kept: 'not asked' };
  if (record.previouslyWithdrawnAt !== undefined) return { erase: false, kept: 'subscribed before' };
  if (wasSalesLead(lead) || (history?.attempts.length ?? 0) > 0) return { erase: false, kept: 'sales lead' };
  if (!signUpStory(lead)) return { erase: false, kept: 'story beyond the sign-up' };
  if (history && !history.events.every((event) => signUpPost(sla, record.formId, event)))
    return { erase: false, kept: 'engagement beyond the sign-up' };
  // the days run from the lapse, or from the person's last post when later: a post of the form again after the
  // lapse (its box unticked: no new request) gave the data afresh, and is not erased the next day
  const from = Math.max(linkExpiresAt(record).getTime(), lastPostAt(lead));
  const dueAt = new Date(from + days * MS_DAY).toISOString();
  // asked and lapsed unconfirmed (the status GET /leads/{id} reads), and the days since
  if (consentStatus(record, lead.sent, now) !== 'expired' || now.toISOString() < dueAt)
    return { erase: false, kept: 'not yet due', dueAt };
  return { erase: true, dueAt };
}

/** Is or was it a sales lead? Every mark a handover, a rep or a deal leaves on the state, whatever came after. */
function wasSalesLead(lead: LeadState): boolean {
  return (
    SALES_STAGES.has(lead.stage) ||
    lead.ownerId !== undefined ||
    lead.handedOffAt !== undefined ||
    lead.ownerSince !== undefined ||
    lead.ownerUntold !== undefined ||
    lead.handoverTerms !== undefined ||
    lead.deal !== undefined ||
    lead.cadenceLog !== undefined ||
    lead.connectedAt !== undefined ||
    lead.coolOffUntil !== undefined ||
    lead.recycledAt !== undefined ||
    lead.takenOver !== undefined ||
    (lead.escalationsTaken ?? 0) > 0 ||
    (lead.reassignments ?? 0) > 0
  );
}

/** When the person last posted (the lead's creation or a form post on its story; all of it on the lead), in ms. */
function lastPostAt(lead: LeadState): number {
  let last = 0;
  for (const entry of lead.timeline) {
    const at = entry.kind === 'created' || entry.kind === 'submitted' ? Date.parse(entry.at) : Number.NaN;
    if (at > last) last = at;
  }
  return last;
}

/** Is its whole story on the lead, and a sign-up's? */
function signUpStory(lead: LeadState): boolean {
  if (lead.timelineDropped > 0 || (lead.timelineSpilled ?? 0) > 0) return false;
  return lead.timeline.every(signUpEntry);
}

function signUpEntry(entry: TimelineEntry): boolean {
  if (entry.kind === 'email') return entry.reasons[0]?.rule === 'workflow.consent';
  if (!SIGN_UP_ENTRIES.has(entry.kind)) return false;
  // a stage move by a person or a program (the API), or to sales, is not the sign-up's
  const to = entry.to?.split('/')[0];
  const bySystem = entry.by === 'form' || entry.by === 'workflow' || entry.by.startsWith('system:');
  return !(to !== undefined && SALES_STAGES.has(to)) && bySystem;
}

/**
 * A post of the form the person signed up on (its event type, sla.forms[].event else form_submission, and its
 * formId: domain/forms.ts): a post of another form (a demo or a quote request after a guide's download) is
 * interest beyond the sign-up.
 */
function signUpPost(
  sla: Sla,
  formId: string | undefined,
  event: Pick<StoredEvent, 'type' | 'properties'>,
): boolean {
  const form = formId === undefined ? undefined : sla.forms.find((candidate) => candidate.id === formId);
  return event.type === (form?.event ?? 'form_submission') && event.properties?.formId === formId;
}

/** The reason an erase by this retention records on the timeline (no personal data: the days and the rule). */
export function unconfirmedEraseReason(sla: Sla, expiredAt: string): Reason {
  return {
    rule: UNCONFIRMED_ERASE_RULE,
    detail: `erased ${sla.consent.eraseUnconfirmedAfterDays} days after its consent request lapsed unconfirmed (${expiredAt}): a sign-up never confirmed, nothing of sales`,
  };
}
