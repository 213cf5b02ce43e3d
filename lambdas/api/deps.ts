import type { Sla } from '../domain/sla-schema.ts';
import type { BotCheck } from '../ports/bot-check.ts';
import type { Clock } from '../ports/clock.ts';
import type { EventLog } from '../ports/events.ts';
import type { LeadQueries } from '../ports/lead-queries.ts';
import type { LeadStore } from '../ports/lead-store.ts';
import type { Mailer } from '../ports/mailer.ts';
import type { SignInLedger } from '../ports/sign-in-ledger.ts';
import type { Workflow } from '../ports/workflow.ts';

/** What the API handlers need; built once per Lambda container (or once by the local server). */
export interface ApiDeps {
  readonly sla: Sla;
  readonly store: LeadStore;
  /** lists and report facts from the indexes (GET /leads, GET /reports/sla); absent: those routes answer 503 */
  readonly queries?: LeadQueries;
  readonly workflow: Workflow;
  readonly clock: Clock;
  /** new ids (a post's submission event, an attempt without one): default crypto.randomUUID; the simulator
   * passes a seeded one, so the same seed writes the same bytes */
  readonly newId?: () => string;
  /** HMAC key for lead ids */
  readonly leadIdSecret: string;
  /** origins allowed to post the public form (CORS, thank-you redirects); "*" for any */
  readonly allowedOrigins: readonly string[];
  /** HMAC key for the action and unsubscribe links in emails (action-links.ts); without it those routes answer 503 */
  readonly actionSecret?: string;
  /** the API's public base URL, e.g. https://api.example.com: the links in emails point here */
  readonly publicBaseUrl?: string;
  /**
   * Where web forms post, when another URL serves POST /leads than the one serving this request (AWS: the
   * FormUrl output, the form's REST API stage behind WAF); the form's script renders its form to post there
   */
  readonly formUrl?: string;
  /**
   * Real time for what expires in people's hands (sign-in links, console sessions), when `clock` is not
   * (`npm start --speed N` runs the SLA's clock N times faster); default: `clock`
   */
  readonly wallClock?: Clock;
  /** the console's sign-in emails (console/sign-in.ts); absent: sign-in answers 503 */
  readonly mailer?: Mailer;
  /** single use of console sign-in links; absent: sign-in answers 503 */
  readonly signIns?: SignInLedger;
  /** the public form's optional CAPTCHA verify (off when absent) */
  readonly botCheck?: BotCheck;
  /**
   * The secret Typeform signs its webhook posts with (typeform-signature.ts). Set: a Typeform post must be
   * signed with it, and a signed one needs no bot check (Typeform's servers post it, no person's browser)
   */
  readonly typeformSecret?: string;
  /**
   * Events out: the webhook delivery log (GET /webhooks/deliveries, replay). `deliverNow` attempts a
   * replayed delivery at once (locally); on AWS the deliverer's next run takes it. `subscriptions`: the ids the
   * sender delivers to now (the bus's `eventbridge` among them), so a filter naming none of them and nothing in the
   * log is refused (delivery-log-query.ts requireKnownSubscription); absent: not known here, not checked. Absent
   * `events`: 503.
   */
  readonly events?: {
    readonly log: EventLog;
    readonly deliverNow?: (deliveryId: string) => Promise<void>;
    readonly subscriptions?: readonly string[];
  };
  /** extra figures for GET /health (the local runtime's reconciler); AWS publishes metrics instead */
  readonly healthFigures?: () => Record<string, unknown>;
}

/** Request bodies above this are refused with 413. */
export const MAX_BODY_BYTES = 16 * 1024;
/**
 * but a form post (POST /leads) may be this large: a message of the 5,000 characters a lead may hold is
 * ~30 KB URL-encoded in Arabic (6 bytes a letter), and a Typeform webhook post carries the whole form's
 * definition (every question, every choice of a country list) beside the answers; a refused post is a lost lead
 */
export const MAX_FORM_BODY_BYTES = 64 * 1024;
/** but an SLA file (POST /sla/impact; sla/default.yaml is ~24 KB) may be this large */
export const MAX_SLA_BYTES = 256 * 1024;

/**
 * `deps` with `extra` added (or replaced), getters kept as getters. Never `{ ...deps }`: a spread reads the
 * lead-id key's getter, which throws in a function not granted that key (the console, webhooks), so the
 * function would fail at every cold start (test/cdk/bundles.test.ts starts each bundle with its own grants;
 * test/cdk/iam-enforced.test.ts runs the console under its role).
 */
export function extendDeps<T extends object, E extends object>(deps: T, extra: E): T & E {
  const copy = Object.defineProperties({}, Object.getOwnPropertyDescriptors(deps));
  return Object.defineProperties(copy, Object.getOwnPropertyDescriptors(extra)) as T & E;
}
