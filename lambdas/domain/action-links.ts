/**
 * Signed action links: the one-click links in reps' reminder emails (log an outcome, set a status,
 * move the deal) and the unsubscribe link in nurture email. A token is the link's only credential:
 *
 *   <base64url(JSON payload)>.<base64url(HMAC-SHA256(secret, "leadpact-action.v1." + payload part))>
 *
 * It names the lead, the workflow cycle, the action and its value, a nonce, an expiry and (in links
 * made since links were bound to their handover) the owner the link was sent for and when that owner
 * got the lead. An outcome link in a reminder that names a cadence step carries that step's channel, so
 * the attempt it logs says how it was made. Verifying checks the signature in constant time, then the
 * expiry. Single use is the caller's part: it adds the nonce to the lead's usedActionNonces with a conditional write
 * (lead-state.ts). Whether a verified link still applies to the lead as it is now is linkStanding's
 * part: a link acts only within the handover it was sent in (see linkStanding for the rules).
 *
 * Pure apart from node:crypto's HMAC, which is deterministic; no clock reads (`now` is passed in).
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Channel } from './cadence.ts';
import type { LeadState } from './lead-state.ts';
import { isTerminal } from './lifecycle.ts';
import { shippedLanguage } from './locale.ts';
import { endsSales, openDeal } from './open-deal.ts';
import { ANY_ATTEMPT, type AttemptReach, outcomesTheRepCanHave } from './outcome-reach.ts';
import { pageText } from './page-text.ts';
import { CHANNELS } from './sla-constants.ts';
import { localName, nameOf } from './sla-names.ts';
import type { OutcomeAction, Sla, StatusMoment } from './sla-schema.ts';

export const ACTION_KINDS = ['outcome', 'status', 'deal', 'unsubscribe', 'consent'] as const;
export type ActionKind = (typeof ACTION_KINDS)[number];

export interface ActionPayload {
  readonly leadId: string;
  /** the lead's workflow cycle the link was made for: a link from an earlier cycle is out of date */
  readonly cycle: number;
  readonly action: ActionKind;
  /** outcome id, status id, deal stage id; "" for unsubscribe; the consent request's id for consent */
  readonly value: string;
  /** unique per link: the key of single use */
  readonly nonce: string;
  /** expiry, epoch seconds: the token is valid while now < exp */
  readonly exp: number;
  /**
   * The handover the link was made in: the rep who owned the lead (the one the email went to, or
   * whose lead a manager's escalation is about) and when that rep got it. Absent in links signed
   * before links were bound to their handover ("legacy" links, see linkStanding).
   */
  readonly handover?: Handover;
  /** the manager an escalation email went to: acts on behalf of the owner, and is credited for it */
  readonly managerId?: string;
  /**
   * An outcome link's channel: the cadence step's the email asked for ("Email attempt due"), logged with the
   * attempt. Absent in links of emails that name no step (a first touch, an escalation) and in links signed
   * before links carried it: their attempt is logged without a channel.
   */
  readonly channel?: Channel;
}

/** One owner's tenure of a lead: who, and since when (epoch milliseconds). */
export interface Handover {
  readonly ownerId: string;
  /** epoch ms of the lead's ownerSince (else handedOffAt) when the link was made */
  readonly since: number;
}

export type ActionTokenFailure = 'malformed' | 'tampered' | 'expired';

export type VerifiedActionToken =
  | { readonly ok: true; readonly payload: ActionPayload }
  | {
      readonly ok: false;
      readonly reason: ActionTokenFailure;
      /** an expired link's signed reader (the rep it was bound to, the manager it went to): its pages' language */
      readonly reader?: { readonly ownerId?: string; readonly managerId?: string };
    };

/** How long a reminder's links work. */
export const ACTION_LINK_TTL_SECONDS = 14 * 86_400;
/** Unsubscribe links must keep working long after the mail was sent (CAN-SPAM asks 30 days at least). */
export const UNSUBSCRIBE_LINK_TTL_SECONDS = 730 * 86_400;
/** A double opt-in confirmation link works for 30 days; after that the consent stays unconfirmed. */
export const CONSENT_LINK_TTL_SECONDS = 30 * 86_400;
/** Secrets shorter than this are a misconfiguration (an empty environment variable, say). */
export const MIN_SECRET_LENGTH = 16;

/** Domain separation: a signature made for anything else with the same key never verifies here. */
const SIGNING_CONTEXT = 'leadpact-action.v1.';
const SIGNATURE_BYTES = 32;
const BASE64URL = /^[A-Za-z0-9_-]+$/;
/** longest token accepted before any work is done */
const MAX_TOKEN_LENGTH = 1024;

/** The payload on the wire, with short keys to keep URLs short. */
interface Wire {
  readonly l: string;
  readonly c: number;
  readonly a: ActionKind;
  readonly v: string;
  readonly n: string;
  readonly e: number;
  /** handover: owner id and since (epoch ms), both or neither */
  readonly o?: string;
  readonly s?: number;
  /** the manager an escalation went to; only with a handover */
  readonly m?: string;
  /** an outcome link's channel (the cadence step's); only on an outcome link */
  readonly ch?: Channel;
}

const ID_ON_WIRE = /^[A-Za-z0-9_-]{1,64}$/;
const NONCE = /^[A-Za-z0-9_.-]{1,64}$/;
const VALUE = /^[A-Za-z0-9_.-]{0,64}$/;
const WIRE_KEYS: ReadonlySet<string> = new Set(['l', 'c', 'a', 'v', 'n', 'e', 'o', 's', 'm', 'ch']);

/**
 * The wire payload checked by hand (no zod: this module runs in the workflow's Lambda functions, which
 * parse no untrusted input but these tokens; docs/decisions/0014). The first problem, as `key: message`.
 */
function wireProblem(data: unknown): string | undefined {
  if (typeof data !== 'object' || data === null || Array.isArray(data)) return '(payload): not an object';
  const wire = data as Record<string, unknown>;
  for (const key of Object.keys(wire)) if (!WIRE_KEYS.has(key)) return `${key}: unknown key`;
  const text = (key: string, pattern: RegExp, optional = false) =>
    (optional && wire[key] === undefined) || (typeof wire[key] === 'string' && pattern.test(wire[key]));
  const int = (key: string, min: number, optional = false) =>
    (optional && wire[key] === undefined) ||
    (typeof wire[key] === 'number' && Number.isSafeInteger(wire[key]) && wire[key] >= min);
  if (!text('l', ID_ON_WIRE)) return 'l: 1-64 characters of A-Z a-z 0-9 _ -';
  if (!int('c', 1)) return 'c: a positive integer';
  if (!(ACTION_KINDS as readonly unknown[]).includes(wire.a)) return `a: one of ${ACTION_KINDS.join(', ')}`;
  if (!text('v', VALUE)) return 'v: 0-64 characters of A-Z a-z 0-9 _ . -';
  if (!text('n', NONCE)) return 'n: 1-64 characters of A-Z a-z 0-9 _ . -';
  if (!int('e', 0)) return 'e: a non-negative integer';
  if (!text('o', ID_ON_WIRE, true)) return 'o: 1-64 characters of A-Z a-z 0-9 _ -';
  if (!int('s', 0, true)) return 's: a non-negative integer';
  if (!text('m', ID_ON_WIRE, true)) return 'm: 1-64 characters of A-Z a-z 0-9 _ -';
  if ((wire.o === undefined) !== (wire.s === undefined)) return 'o: o and s go together';
  if (wire.m !== undefined && wire.o === undefined) return 'm: m needs o';
  if (wire.ch !== undefined && !(CHANNELS as readonly unknown[]).includes(wire.ch))
    return `ch: one of ${CHANNELS.join(', ')}`;
  if (wire.ch !== undefined && wire.a !== 'outcome') return 'ch: only on an outcome link';
  return undefined;
}

/** A signed token for the payload. Throws on a payload that could never verify (a programming error). */
export function signActionToken(payload: ActionPayload, secret: string): string {
  const wire: Wire = {
    l: payload.leadId,
    c: payload.cycle,
    a: payload.action,
    v: payload.value,
    n: payload.nonce,
    e: payload.exp,
    ...(payload.handover ? { o: payload.handover.ownerId, s: payload.handover.since } : {}),
    ...(payload.managerId === undefined ? {} : { m: payload.managerId }),
    ...(payload.channel === undefined ? {} : { ch: payload.channel }),
  };
  const problem = wireProblem(wire);
  if (problem !== undefined) throw new TypeError(`invalid action payload: ${problem}`);
  return signToken(SIGNING_CONTEXT, wire, secret);
}

/**
 * Checks a token: its shape (malformed), its signature in constant time (tampered: also a token
 * signed with another secret), then its expiry at `now` (expired).
 */
export function verifyActionToken(token: string, secret: string, now: Date): VerifiedActionToken {
  const opened = openToken(SIGNING_CONTEXT, token, secret);
  if (!opened.ok) return opened;
  const decoded = opened.data;
  if (wireProblem(decoded) !== undefined) return fail('malformed');
  const { l, c, a, v, n, e, o, s, m, ch } = decoded as Wire;
  if (Math.floor(now.getTime() / 1000) >= e)
    return o === undefined && m === undefined
      ? fail('expired')
      : {
          ok: false,
          reason: 'expired',
          reader: {
            ...(o === undefined ? {} : { ownerId: o }),
            ...(m === undefined ? {} : { managerId: m }),
          },
        };
  return {
    ok: true,
    payload: {
      leadId: l,
      cycle: c,
      action: a,
      value: v,
      nonce: n,
      exp: e,
      ...(o !== undefined && s !== undefined ? { handover: { ownerId: o, since: s } } : {}),
      ...(m === undefined ? {} : { managerId: m }),
      ...(ch === undefined ? {} : { channel: ch }),
    },
  };
}

/**
 * The signing every LeadPact token shares (action links here; sign-in links and console sessions in
 * sign-in.ts): `<base64url(JSON)>.<base64url(HMAC-SHA256(secret, context + body))>`. The context
 * separates the kinds: a token signed for one context never verifies in another with the same key.
 */
export function signToken(context: string, wire: object, secret: string): string {
  checkSecret(secret);
  const body = Buffer.from(JSON.stringify(wire), 'utf8').toString('base64url');
  return `${body}.${sign(context, body, secret).toString('base64url')}`;
}

/**
 * The JSON a token carries when its signature is ours for `context` (checked in constant time);
 * the caller checks its shape and expiry.
 */
export function openToken(
  context: string,
  token: string,
  secret: string,
):
  | { readonly ok: true; readonly data: unknown }
  | { readonly ok: false; readonly reason: ActionTokenFailure } {
  checkSecret(secret);
  if (typeof token !== 'string' || token.length > MAX_TOKEN_LENGTH) return fail('malformed');
  const parts = token.split('.');
  if (parts.length !== 2) return fail('malformed');
  const [body, signature] = parts as [string, string];
  if (!BASE64URL.test(body) || !BASE64URL.test(signature)) return fail('malformed');
  const given = Buffer.from(signature, 'base64url');
  // a signature of the wrong length, or with non-canonical trailing bits, was not made by us
  if (given.length !== SIGNATURE_BYTES || given.toString('base64url') !== signature) return fail('malformed');
  if (!timingSafeEqual(given, sign(context, body, secret))) return fail('tampered');
  try {
    return { ok: true, data: JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) };
  } catch {
    return fail('malformed');
  }
}

/** The expiry (epoch seconds) of a link made at `now`. */
export function linkExpiry(now: Date, ttlSeconds: number = ACTION_LINK_TTL_SECONDS): number {
  return Math.floor(now.getTime() / 1000) + Math.floor(ttlSeconds);
}

/** `<base>/actions/<token>`: GET shows a confirmation page, POST acts. */
export function actionUrl(baseUrl: string, token: string): string {
  return `${trimSlash(baseUrl)}/actions/${encodeURIComponent(token)}`;
}

/** `<base>/unsubscribe/<token>`: GET shows a confirmation page, POST (also RFC 8058 one-click) unsubscribes. */
export function unsubscribeUrl(baseUrl: string, token: string): string {
  return `${trimSlash(baseUrl)}/unsubscribe/${encodeURIComponent(token)}`;
}

// ---------- which actions a reminder offers ----------

/** How an email shows a link: the likely good news stands out, the irreversible looks it. */
export type LinkTone = 'primary' | 'default' | 'danger';

/** One thing a rep can do from an email, before it is signed into a link. */
export interface ActionChoice {
  readonly action: Exclude<ActionKind, 'unsubscribe'>;
  readonly value: string;
  readonly label: string;
  readonly tone: LinkTone;
}

/** A signed link as an email shows it. */
export interface ActionLink {
  readonly label: string;
  readonly url: string;
  readonly tone?: LinkTone;
}

/**
 * A button's tone follows what its outcome does in the SLA: connecting is the way forward (primary), the next step
 * is routine (default), and recycling or disqualifying ends the rep's work on the lead at one press (danger, as a
 * lost deal is): "Not now" reads as the lead-ending choice it is, not as another "No answer".
 */
const OUTCOME_TONE: Readonly<Record<OutcomeAction, LinkTone>> = {
  nextStep: 'default',
  connected: 'primary',
  meetingBooked: 'primary',
  disqualify: 'danger',
  recycle: 'danger',
};

/** Rep-settable statuses offered when no outcome already does the same. */
const STATUS_FALLBACKS: readonly { outcome: OutcomeAction; moment: StatusMoment }[] = [
  { outcome: 'connected', moment: 'connected' },
  { outcome: 'recycle', moment: 'recycled' },
  { outcome: 'disqualify', moment: 'disqualified' },
];

/**
 * The links of a contact reminder: every outcome the SLA declares that the rep can have for the attempt (no answer,
 * connected, meeting booked, not interested, ...; not a voicemail in an email step, nor for a lead who gave no
 * phone: outcome-reach.ts), plus a status link for connected / recycle / disqualify where no outcome offered covers
 * it and the SLA lets reps set that status.
 */
export function contactActionChoices(
  sla: Sla,
  locale = sla.locales.default,
  reach: AttemptReach = ANY_ATTEMPT,
): ActionChoice[] {
  const offered = outcomesTheRepCanHave(sla, reach);
  const choices: ActionChoice[] = offered.map((outcome) => ({
    action: 'outcome',
    value: outcome.id,
    label: localName(outcome, locale),
    tone: OUTCOME_TONE[outcome.action],
  }));
  for (const fallback of STATUS_FALLBACKS) {
    if (offered.some((outcome) => outcome.action === fallback.outcome)) continue;
    const status = sla.leadStatuses.find((s) => s.setWhen === fallback.moment && s.repCanSet);
    if (status) {
      choices.push({
        action: 'status',
        value: status.id,
        label: localName(status, locale),
        tone: OUTCOME_TONE[fallback.outcome],
      });
    }
  }
  return choices;
}

/** The links of a deal reminder: move the deal to any other stage the SLA declares. */
export function dealActionChoices(
  sla: Sla,
  currentStageId?: string,
  locale = sla.locales.default,
): ActionChoice[] {
  const t = pageText(shippedLanguage(locale)).action;
  return sla.deals.stages
    .filter((stage) => stage.id !== currentStageId)
    .map((stage) => ({
      action: 'deal',
      value: stage.id,
      label: t.moveTo(localName(stage, locale)),
      tone: stage.won ? 'primary' : stage.lost ? 'danger' : 'default',
    }));
}

/**
 * The links of a "connected, no deal yet" reminder (contact.decideWithin): open a deal at the SLA's first
 * open stage, then each way to close the lead: recycle (not now), disqualify, by the status a rep may set,
 * else the outcome that does it.
 */
export function decideActionChoices(sla: Sla, locale = sla.locales.default): ActionChoice[] {
  const t = pageText(shippedLanguage(locale)).action;
  const first = sla.deals.stages.find((stage) => !stage.won && !stage.lost);
  const choices: ActionChoice[] = first
    ? [{ action: 'deal', value: first.id, label: t.openDeal(localName(first, locale)), tone: 'primary' }]
    : [];
  const closes: readonly { outcome: OutcomeAction; moment: StatusMoment }[] = [
    { outcome: 'recycle', moment: 'recycled' },
    { outcome: 'disqualify', moment: 'disqualified' },
  ];
  for (const close of closes) {
    const status = sla.leadStatuses.find((s) => s.setWhen === close.moment && s.repCanSet);
    const outcome = sla.contact.outcomes.find((o) => o.action === close.outcome);
    if (status)
      choices.push({
        action: 'status',
        value: status.id,
        label: localName(status, locale),
        tone: OUTCOME_TONE[close.outcome],
      });
    else if (outcome)
      choices.push({
        action: 'outcome',
        value: outcome.id,
        label: localName(outcome, locale),
        tone: OUTCOME_TONE[close.outcome],
      });
  }
  return choices;
}

export interface LinkContext {
  /** public base URL of the API, e.g. https://api.example.com or http://127.0.0.1:3000 */
  readonly baseUrl: string;
  readonly secret: string;
  readonly leadId: string;
  readonly cycle: number;
  /** epoch seconds, see linkExpiry */
  readonly exp: number;
  /** unique per email (e.g. randomBytes(9).toString('base64url')); each link gets `<nonce>.<i>` */
  readonly nonce: string;
  /** the handover the email is sent in (handoverOf); action links act only within it */
  readonly handover?: Handover;
  /** set on a manager's escalation email: the manager acts on behalf of the handover's owner */
  readonly managerId?: string;
  /** the channel of the cadence step the email asks for ("Email attempt due"): its outcome links log it */
  readonly channel?: Channel;
}

/**
 * Signs each choice into a link; every link has its own nonce, so each works once. Outcome links carry the
 * context's channel (the attempt they log was made that way); status and deal links log no attempt.
 */
export function signActionLinks(choices: readonly ActionChoice[], context: LinkContext): ActionLink[] {
  return choices.map((choice, i) => ({
    label: choice.label,
    tone: choice.tone,
    url: actionUrl(
      context.baseUrl,
      signActionToken(
        {
          leadId: context.leadId,
          cycle: context.cycle,
          action: choice.action,
          value: choice.value,
          nonce: `${context.nonce}.${i.toString(36)}`,
          exp: context.exp,
          ...(context.handover ? { handover: context.handover } : {}),
          ...(context.handover && context.managerId !== undefined ? { managerId: context.managerId } : {}),
          ...(choice.action === 'outcome' && context.channel !== undefined
            ? { channel: context.channel }
            : {}),
        },
        context.secret,
      ),
    ),
  }));
}

/** The unsubscribe link for a nurture email (also the List-Unsubscribe header's URL). */
export function signUnsubscribeUrl(context: LinkContext): string {
  return unsubscribeUrl(
    context.baseUrl,
    signActionToken(
      {
        leadId: context.leadId,
        cycle: context.cycle,
        action: 'unsubscribe',
        value: '',
        nonce: context.nonce,
        exp: context.exp,
      },
      context.secret,
    ),
  );
}

/** `<base>/consent/<token>`: GET shows a page with a button, POST confirms the subscription (consent.ts). */
export function consentUrl(baseUrl: string, token: string): string {
  return `${trimSlash(baseUrl)}/consent/${encodeURIComponent(token)}`;
}

/** The double opt-in link of a consent request (`requestId`, consent.ts): confirms that request only. */
export function signConsentUrl(context: LinkContext, requestId: string): string {
  return consentUrl(
    context.baseUrl,
    signActionToken(
      {
        leadId: context.leadId,
        cycle: context.cycle,
        action: 'consent',
        value: requestId,
        nonce: context.nonce,
        exp: context.exp,
      },
      context.secret,
    ),
  );
}

// ---------- does a link still apply to the lead? ----------

/** The lead's current handover: its owner and since when; undefined while nobody owns it. */
export function handoverOf(
  lead: Pick<LeadState, 'ownerId' | 'ownerSince' | 'handedOffAt'>,
): Handover | undefined {
  const since = lead.ownerSince ?? lead.handedOffAt;
  if (lead.ownerId === undefined || since === undefined) return undefined;
  const ms = Date.parse(since);
  return Number.isFinite(ms) ? { ownerId: lead.ownerId, since: ms } : undefined;
}

/**
 * Where a verified action link stands against the lead as it is now. Only `applies` may act; every
 * other answer is what happened to the lead since the email, for a page that offers nothing.
 */
export type LinkStanding =
  | { readonly kind: 'applies' }
  | { readonly kind: 'erased' }
  /** made for an earlier cycle of the lead (the person was erased and came back) */
  | { readonly kind: 'outOfDate' }
  | { readonly kind: 'used' }
  /** a customer; `dealStageId` is the won stage when the lead has a deal */
  | { readonly kind: 'customer'; readonly dealStageId?: string; readonly at?: string }
  | { readonly kind: 'disqualified'; readonly statusId: string }
  /** back with marketing; `lostStageId` when a lost deal sent it back */
  | {
      readonly kind: 'recycled';
      readonly statusId: string;
      readonly at?: string;
      readonly lostStageId?: string;
    }
  /** another rep has the lead now (reassigned, or handed off to them after a recycle) */
  | { readonly kind: 'movedOn'; readonly ownerId: string; readonly at?: string }
  /** the same rep, but a later handover (recycled and handed to them again, or reassigned back) */
  | { readonly kind: 'handedOverAgain'; readonly at?: string }
  /** nobody owns the lead, and it was never recycled: a legacy link made before any handoff */
  | { readonly kind: 'notHandedOff' }
  /** the person the link was sent to (the manager of an escalation, else the rep) is no longer in the SLA */
  | { readonly kind: 'readerLeft' }
  /**
   * a status or outcome that would recycle or disqualify the lead, which has an open deal now: the deal closes
   * first (open-deal.ts)
   */
  | { readonly kind: 'dealOpen'; readonly dealStageId: string; readonly since: string };

/**
 * Whether the link still applies to the lead, checked in this order: erased; another cycle; used; its
 * reader still in the SLA; closed (a customer, disqualified); then the handover.
 *
 * A bound link (one with `handover`) applies only while the lead is in that very handover: the same
 * owner *and* the same ownerSince. So an old owner's link does nothing after a reassignment, and a
 * link from the first handoff does nothing in a later handoff of the same cycle (recycled, qualified
 * again, handed to the same rep again), whoever holds it then.
 *
 * A legacy link (no `handover`; signed before this rule, all expired 14 days after it shipped) does
 * not say whom it was sent to. It is treated as "whoever owns the lead" only if the owner is unchanged
 * since the link was made: every legacy action link was signed with exp = issue time +
 * ACTION_LINK_TTL_SECONDS, so the lead's current handover must have begun at or before that issue
 * time. A handover after it means the link belongs to an earlier owner or handover: it does nothing.
 */
export function linkStanding(sla: Sla, lead: LeadState, payload: ActionPayload): LinkStanding {
  const standing = handoverStanding(sla, lead, payload);
  if (standing.kind !== 'applies' || !endsSalesLink(sla, payload)) return standing;
  const deal = openDeal(sla, lead);
  return deal ? { kind: 'dealOpen', dealStageId: deal.stage.id, since: deal.since } : standing;
}

/** A status or outcome link whose action would recycle or disqualify the lead (open-deal.ts endsSales). */
function endsSalesLink(sla: Sla, payload: ActionPayload): boolean {
  if (payload.action === 'status') return endsSales(sla, payload.value);
  if (payload.action !== 'outcome') return false;
  const action = sla.contact.outcomes.find((outcome) => outcome.id === payload.value)?.action;
  return action === 'recycle' || action === 'disqualify';
}

function handoverStanding(sla: Sla, lead: LeadState, payload: ActionPayload): LinkStanding {
  if (lead.erasedAt) return { kind: 'erased' };
  if (lead.cycle !== payload.cycle) return { kind: 'outOfDate' };
  if (lead.usedActionNonces?.includes(payload.nonce)) return { kind: 'used' };
  // a link acts for the person it was sent to: one who left the SLA (a manager removed, a rep gone) no longer can
  if (!readerInSla(sla, lead, payload)) return { kind: 'readerLeft' };
  if (isTerminal(sla, { stage: lead.stage, status: lead.status })) {
    if (lead.stage !== 'customer') return { kind: 'disqualified', statusId: lead.status };
    const won = lead.deal && sla.deals.stages.find((stage) => stage.id === lead.deal?.stageId)?.won;
    return won && lead.deal
      ? { kind: 'customer', dealStageId: lead.deal.stageId, at: lead.deal.since }
      : { kind: 'customer' };
  }
  const current = handoverOf(lead);
  if (!current) return lead.recycledAt ? recycledStanding(sla, lead) : { kind: 'notHandedOff' };
  const at = new Date(current.since).toISOString();
  const bound = payload.handover;
  if (bound) {
    if (bound.ownerId !== current.ownerId) return { kind: 'movedOn', ownerId: current.ownerId, at };
    return bound.since === current.since ? { kind: 'applies' } : { kind: 'handedOverAgain', at };
  }
  const issuedAt = payload.exp - ACTION_LINK_TTL_SECONDS;
  return Math.floor(current.since / 1000) <= issuedAt
    ? { kind: 'applies' }
    : { kind: 'movedOn', ownerId: current.ownerId, at };
}

/**
 * Whether the person a link was sent to is still in the SLA: the manager an escalation went to, else the rep
 * it was bound to (or, for a link made before links were bound, the lead's owner). A lead nobody owns has no
 * rep to check (its standing says so).
 */
function readerInSla(sla: Sla, lead: LeadState, payload: ActionPayload): boolean {
  if (payload.managerId !== undefined)
    return sla.routing.managers.some((manager) => manager.id === payload.managerId);
  const repId = payload.handover?.ownerId ?? lead.ownerId;
  return repId === undefined || sla.routing.reps.some((rep) => rep.id === repId);
}

function recycledStanding(sla: Sla, lead: LeadState): LinkStanding {
  const at = lead.recycledAt;
  // the timeline entry of the recycle names the rule that made it: a lost deal is "deals.stage.<id>"
  const entry = lead.timeline.findLast((candidate) => candidate.at === at);
  const lostStageId = entry?.reasons
    ?.map((reason) => /^deals\.stage\.(.+)$/.exec(reason.rule)?.[1])
    .find((id) => id !== undefined && sla.deals.stages.some((stage) => stage.id === id && stage.lost));
  return {
    kind: 'recycled',
    statusId: lead.status,
    ...(at ? { at } : {}),
    ...(lostStageId ? { lostStageId } : {}),
  };
}

/**
 * What a link does, in words for its confirmation page: "Log outcome: Connected", by the SLA's names in
 * `locale`. `lead`: the lead it acts on, as it was before (a deal link on a lead with no deal opens one).
 */
export function describeAction(
  sla: Sla,
  payload: Pick<ActionPayload, 'action' | 'value'>,
  locale = sla.locales.default,
  lead?: Pick<LeadState, 'deal'>,
): string {
  const t = pageText(shippedLanguage(locale)).action;
  switch (payload.action) {
    case 'outcome':
      return t.outcome(nameOf(sla.contact.outcomes, payload.value, locale));
    case 'status':
      return t.status(nameOf(sla.leadStatuses, payload.value, locale));
    case 'deal':
      return lead && !lead.deal
        ? t.openDeal(nameOf(sla.deals.stages, payload.value, locale))
        : t.deal(nameOf(sla.deals.stages, payload.value, locale));
    case 'unsubscribe':
      return t.unsubscribe;
    case 'consent':
      return t.consent;
  }
}

// ---------- internals ----------

function sign(context: string, body: string, secret: string): Buffer {
  return createHmac('sha256', secret).update(context).update(body).digest();
}

function checkSecret(secret: string): void {
  if (typeof secret !== 'string' || secret.length < MIN_SECRET_LENGTH) {
    throw new TypeError(`the action-link secret must be at least ${MIN_SECRET_LENGTH} characters`);
  }
}

function fail(reason: ActionTokenFailure): { readonly ok: false; readonly reason: ActionTokenFailure } {
  return { ok: false, reason };
}

function trimSlash(url: string): string {
  return url.replace(/\/+$/, '');
}
