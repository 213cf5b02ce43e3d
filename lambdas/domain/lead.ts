/**
 * What the domain knows about a lead: the fields a form (or a CRM) gave, and the
 * engagement events that happened to it. Times are ISO-8601 UTC strings at the edges
 * and `Date` inside the domain; no function here reads the clock.
 */

export type FieldValue = string | number | boolean;

/** Form fields: email, firstName, lastName, company, jobTitle, phone, country (ISO code), employees,
 *  revenue, industry, interest, department, seniority, message, formId, utm_*, pageUrl, ... */
export type LeadFields = Readonly<Record<string, FieldValue | undefined>>;

export interface EngagementEvent {
  /** unique per lead; a replayed event with the same id is ignored */
  readonly eventId?: string;
  /** e.g. page_view, email_open, email_click, content_download, webinar_attended, pricing_page_view,
   *  demo_request, form_submission, unsubscribe */
  readonly type: string;
  /** ISO-8601 UTC */
  readonly occurredAt: string;
  readonly properties?: Readonly<Record<string, FieldValue>>;
  readonly contentTags?: readonly string[];
}

export interface LeadInput {
  readonly email: string;
  readonly fields: LeadFields;
  readonly events: readonly EngagementEvent[];
}

/** One rule that fired in a decision, so a rep or ops can see why. */
export interface Reason {
  /** the rule family and id, e.g. "icp.industry", "engagement.demo-request", "leadType.existing-customer" */
  readonly rule: string;
  /** points it contributed, where it is a scoring rule */
  readonly points?: number;
  readonly detail: string;
}

/** Lower-cased email domain, "" when the email has none. */
export function emailDomain(email: string): string {
  const at = email.lastIndexOf('@');
  return at < 0
    ? ''
    : email
        .slice(at + 1)
        .trim()
        .toLowerCase();
}
