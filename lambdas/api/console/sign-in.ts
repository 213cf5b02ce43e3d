/**
 * Passwordless sign-in to the console (docs/decisions/0017-console-sessions.md):
 *
 *   POST /console/sign-in            an email; if the SLA names that person, a sign-in link goes to it
 *                                    (SES). Every email gets the same page in the same time (no
 *                                    enumeration: a response floor, as the public form has)
 *   GET  /console/sign-in/{token}    a page with one button; changes nothing (mail scanners follow links)
 *   POST /console/sign-in/{token}    claims the link once (conditional write), sets the session cookie
 *   POST /console/sign-out           ends the session on the server and clears the cookie
 *   POST /console/sessions/revoke    (ops) ends every session of a person, voids their earlier links
 *
 * The tokens are made by the action links' machinery (domain/action-links.ts signToken/openToken,
 * through domain/sign-in.ts) under their own signing contexts.
 */
import { randomBytes } from 'node:crypto';
import { escapeHtml, safeHref } from '../../domain/email-templates.ts';
import { emailText } from '../../domain/email-text.ts';
import { personLocale, shippedLanguage, textDirection } from '../../domain/locale.ts';
import {
  expiryAfter,
  isReturnPath,
  type Person,
  type PersonRole,
  personByEmail,
  personOf,
  SESSION_TTL_SECONDS,
  SIGN_IN_LINK_TTL_SECONDS,
  type SignInClaim,
  signInEmailWindows,
  signInUrl,
  signSessionToken,
  signSignInToken,
  verifySignInToken,
} from '../../domain/sign-in.ts';
import { localName, senderNameIn, slaNameIn } from '../../domain/sla-names.ts';
import type { PersonKey, SignInLedger } from '../../ports/sign-in-ledger.ts';
import type { ApiDeps } from '../deps.ts';
import { equalised, realTiming, type Timing } from '../equalised.ts';
import { HttpError, type HttpEvent } from '../http.ts';
import { consoleHandler } from './handler.ts';
import { EN, esc, input, page, redirect, type Ui, uiFor } from './html.ts';
import {
  browserLocale,
  formOf,
  readerOf,
  rememberLocale,
  requireSameOrigin,
  requireWriteSession,
  sessionCookie,
  sessionOf,
  wallNow,
} from './session.ts';

const EMAIL = /^[^\s@]{1,64}@[^\s@]{1,253}$/;
const FORM_BYTES = 4096;
/**
 * The reader of a page before anyone signed in: the browser's language (Accept-Language) when the SLA supports
 * it, else the SLA's default. An Arabic rep tapping a console link in an Arabic email on their phone is asked
 * to sign in in Arabic. Remembered for an error page of the same request (handler.ts).
 */
export function browserUi(deps: Pick<ApiDeps, 'sla'>, event: HttpEvent | undefined): Ui {
  const locale = browserLocale(deps.sla, event);
  if (event) rememberLocale(event, locale);
  return uiFor(locale);
}

/**
 * The sign-in form: what GET /console shows to someone without a session. `to`: the lead page they came
 * for (an emailed console link), opened once they sign in.
 */
export function signInPage(message?: string, to?: string, ui: Ui = EN): ReturnType<typeof page> {
  const t = ui.t.signIn;
  return page(
    { title: t.title, ui },
    (message ? `<p class="notice info" role="status">${esc(message)}</p>` : '') +
      `<p>${esc(t.intro)}</p>` +
      '<form class="card stack" method="post" action="/console/sign-in">' +
      (isReturnPath(to) ? `<input type="hidden" name="to" value="${esc(to)}">` : '') +
      input('email', t.email, '', { type: 'email', required: true, autocomplete: 'email' }) +
      `<button type="submit">${esc(t.send)}</button></form>`,
  );
}

export function postSignInRequestHandler(deps: ApiDeps, timing: Timing = realTiming()) {
  return consoleHandler('POST /console/sign-in', deps, async (event: HttpEvent) => {
    const ui = browserUi(deps, event);
    requireSameOrigin(event);
    const form = formOf(event, FORM_BYTES);
    const email = (form.email ?? '').trim();
    if (!EMAIL.test(email) || email.length > 254)
      throw new HttpError(400, 'invalid_request', 'the email is not valid', [
        { path: 'email', message: 'a valid email address' },
      ]);
    const { mailer, signIns, actionSecret } = deps;
    if (!mailer || !signIns || !actionSecret)
      throw new HttpError(503, 'not_configured', 'sign-in is not set up on this server');
    const started = timing.now();
    await equalised(timing, started, async () => {
      const person = personByEmail(deps.sla, email);
      if (!person) return { observe: false };
      const now = wallNow(deps);
      if (!(await claimSignInEmail(signIns, person, now))) return { observe: false };
      const claim: SignInClaim = {
        role: person.role,
        personId: person.id,
        nonce: randomBytes(18).toString('base64url'),
        exp: expiryAfter(now, SIGN_IN_LINK_TTL_SECONDS),
        ...(isReturnPath(form.to) ? { to: form.to } : {}),
      };
      const url = signInUrl(baseUrl(deps, event), signSignInToken(claim, actionSecret));
      await mailer.send(signInEmail(deps, person, url));
      return { observe: true };
    });
    const t = ui.t.signIn;
    return page(
      { title: t.checkTitle, ui },
      `<p class="notice success" role="status">${t.maybeSentHtml(`<bdi dir="ltr">${esc(email)}</bdi>`)}</p>` +
        `<p>${t.worksOnceHtml(ui.num(SIGN_IN_LINK_TTL_SECONDS / 60))}</p>`,
    );
  });
}

export { SIGN_IN_EMAILS_PER_DAY, SIGN_IN_EMAILS_PER_HOUR } from '../../domain/sign-in.ts';

/**
 * Whether a sign-in email may go to the person now: one a minute, at most SIGN_IN_EMAILS_PER_HOUR in a clock
 * hour and SIGN_IN_EMAILS_PER_DAY in a UTC day (domain/sign-in.ts signInEmailWindows). Anyone can ask for
 * anyone's link (the console cannot tell who asks), so without the hour's and the day's caps a stranger asking
 * once a minute sends a person 1,440 emails a day from the company's SES account, using its daily quota up for
 * the leads' own emails. The minute's is a single-use claim (the ledger's claim), so at most one ask a minute
 * per person goes on; the hour's and the day's are counters, each taken with one conditional write that never
 * passes its cap however many asks run at once (the ledger's countEmail). An ask costs at most four requests
 * (the claim, two counts, a read when a count is full), whatever the caps hold: a stranger asking without end
 * costs the table little.
 */
export async function claimSignInEmail(
  signIns: NonNullable<ApiDeps['signIns']>,
  person: { readonly role: string; readonly id: string },
  now: Date,
): Promise<boolean> {
  const { minute, hour, day } = signInEmailWindows(now);
  // each claim and count is kept until its window ends (expiresAt: when it may be deleted); deleted sooner,
  // the window would allow more again. The minute's claim is named by the minute's number, as it always was
  const claimed = await signIns.claim(
    `request_${person.role}_${person.id}_${minute.key.slice(1)}`,
    minute.endsAt,
  );
  if (claimed === 'used') return false;
  // names this ask, so a retried count (an answer lost on the way) is counted once
  const ask = randomBytes(12).toString('base64url');
  for (const window of [hour, day])
    if ((await signIns.countEmail(person, window.key, window.cap, ask, window.endsAt)) === 'full')
      return false;
  return true;
}

export function getSignInHandler(deps: ApiDeps) {
  return consoleHandler('GET /console/sign-in/{token}', deps, async (event: HttpEvent) => {
    // the link names its person: the page is in their language, an error of the link in the browser's
    browserUi(deps, event);
    const { claim, person } = readLink(deps, event);
    // the link opened again by the person it signed in (the email read twice, a tab left open): they are in,
    // and its button would only answer that the link was used
    const session = await sessionOf(deps, event);
    if (session && session.person.role === person.role && session.person.id === person.id)
      return redirect('/console');
    // a used or revoked link offers no button its POST would refuse: the page says so at once
    if (await deps.signIns?.wasClaimed(claim.nonce)) throw usedLink();
    if (deps.signIns && (await linkRevoked(deps.signIns, person, claim.exp))) throw revokedLink();
    const reader = readerOf(deps.sla, person);
    rememberLocale(event, reader.locale);
    const ui = uiFor(reader.locale);
    const t = ui.t.signIn;
    return page(
      { title: t.confirmTitle(reader.name), ui },
      `<p>${esc(t.confirm(reader.name, ui.t.layout.roles[person.role].toLowerCase()))}</p>` +
        `<form method="post" action=""><button type="submit">${esc(t.button)}</button></form>` +
        `<p class="hint">${esc(t.nothingUntil)}</p>`,
    );
  });
}

export function postSignInHandler(deps: ApiDeps) {
  return consoleHandler('POST /console/sign-in/{token}', deps, async (event: HttpEvent) => {
    requireSameOrigin(event);
    const { claim, person } = readLink(deps, event);
    const { signIns, actionSecret } = deps;
    if (!signIns || !actionSecret)
      throw new HttpError(503, 'not_configured', 'sign-in is not set up on this server');
    const revokedBefore = () => linkRevoked(signIns, person, claim.exp);
    if (await revokedBefore()) throw revokedLink();
    const used = await signIns.claim(claim.nonce, new Date(claim.exp * 1000).toISOString());
    if (used === 'used') throw usedLink();
    const now = wallNow(deps);
    const sessionId = randomBytes(18).toString('base64url');
    const exp = expiryAfter(now, SESSION_TTL_SECONDS);
    await signIns.openSession(person, sessionId, new Date(exp * 1000).toISOString());
    // a revocation that raced this sign-in either found the session above or is read here
    if (await revokedBefore()) {
      await signIns.endSession(person, sessionId, wallNow(deps).toISOString());
      throw revokedLink();
    }
    const session = signSessionToken(
      { role: claim.role, personId: claim.personId, nonce: sessionId, exp },
      actionSecret,
    );
    return redirect(claim.to ?? '/console', {
      'set-cookie': sessionCookie(event, session, SESSION_TTL_SECONDS),
    });
  });
}

/** Ends this session on the server (the cookie stops working everywhere it was copied) and clears it here. */
export function postSignOutHandler(deps: ApiDeps) {
  return consoleHandler('POST /console/sign-out', deps, async (event: HttpEvent) => {
    const session = await requireWriteSession(deps, event, formOf(event, FORM_BYTES));
    await deps.signIns?.endSession(session.person, session.nonce, wallNow(deps).toISOString());
    return redirect('/console', { 'set-cookie': sessionCookie(event, undefined, 0) });
  });
}

/**
 * POST /console/sessions/revoke (ops only): ends every session of a person the SLA names and voids the
 * sign-in links they were sent before now. For a lost laptop, or someone leaving the team (removing them
 * from the SLA also signs them out, at the next request after the deploy).
 */
export function postRevokeSessionsHandler(deps: ApiDeps) {
  return consoleHandler('POST /console/sessions/revoke', deps, async (event: HttpEvent) => {
    const form = formOf(event, FORM_BYTES);
    const session = await requireWriteSession(deps, event, form);
    if (session.person.role !== 'ops')
      throw new HttpError(403, 'forbidden', "only ops may end other people's sessions");
    const match = /^(rep|manager|ops):([A-Za-z0-9_-]{1,64})$/.exec(form.person ?? '');
    const person = match
      ? personOf(deps.sla, { role: match[1] as PersonRole, personId: match[2]! })
      : undefined;
    if (!person)
      throw new HttpError(422, 'unprocessable', 'the SLA names no such person', [
        { path: 'person', message: 'a person of the SLA, as role:id (e.g. rep:jonas)' },
      ]);
    for (const key of Object.keys(form))
      if (key !== 'person' && key !== 'csrf')
        throw new HttpError(400, 'invalid_request', 'the form is invalid', [
          { path: key, message: 'unknown field' },
        ]);
    const ended = await deps.signIns!.revokePerson(person, wallNow(deps).toISOString());
    const own = person.role === session.person.role && person.id === session.person.id;
    return redirect(
      `/console/sla?revoked=${encodeURIComponent(`${person.role}:${person.id}`)}&ended=${ended}`,
      own ? { 'set-cookie': sessionCookie(event, undefined, 0) } : {},
    );
  });
}

/** A link sent before ops revoked the person's sessions is void (sent at: its expiry less its lifetime). */
async function linkRevoked(signIns: SignInLedger, person: PersonKey, exp: number): Promise<boolean> {
  const sentAt = new Date((exp - SIGN_IN_LINK_TTL_SECONDS) * 1000).toISOString();
  const revoked = await signIns.revokedAt(person);
  return revoked !== undefined && revoked >= sentAt;
}

function usedLink(): HttpError {
  return new HttpError(
    409,
    'used',
    'this sign-in link was used already; ask for a new one on the console page',
  );
}

function revokedLink(): HttpError {
  return new HttpError(
    410,
    'revoked',
    'this sign-in link was sent before your sessions were ended; ask for a new one',
  );
}

/** The link's claim and person: 400 for a link that is not ours, 410 expired, 404 for a person gone from the SLA. */
function readLink(deps: ApiDeps, event: HttpEvent) {
  if (!deps.actionSecret) throw new HttpError(503, 'not_configured', 'sign-in is not set up on this server');
  const verified = verifySignInToken(event.pathParameters?.token ?? '', deps.actionSecret, wallNow(deps));
  if (!verified.ok) {
    if (verified.reason === 'expired')
      throw new HttpError(
        410,
        'expired',
        `sign-in links work for ${SIGN_IN_LINK_TTL_SECONDS / 60} minutes; ask for a new one`,
      );
    throw new HttpError(
      400,
      'invalid_link',
      'this sign-in link is incomplete or was changed; open it from the email again',
      [{ path: 'token', message: 'not a valid sign-in link' }],
    );
  }
  const person = personOf(deps.sla, verified.claim);
  if (!person) throw new HttpError(404, 'not_found', 'the SLA no longer names this person');
  return { claim: verified.claim, person };
}

/** Where links point: the configured public URL, else the API's own domain (API Gateway's, not a header). */
function baseUrl(deps: ApiDeps, event: HttpEvent): string {
  return deps.publicBaseUrl || `https://${event.requestContext.domainName}`;
}

function signInEmail(deps: ApiDeps, person: Person, url: string) {
  const { sla } = deps;
  // in the person's language (ADR 0019), with their name and the SLA's as the SLA gives them in it
  const entry =
    person.role === 'rep'
      ? sla.routing.reps.find((rep) => rep.id === person.id)
      : sla.routing.managers.find((manager) => manager.id === person.id);
  const locale = personLocale(sla, entry ?? {});
  const t = emailText(shippedLanguage(locale)).signIn;
  const name = entry ? localName(entry, locale) : person.name;
  const minutes = SIGN_IN_LINK_TTL_SECONDS / 60;
  const slaName = slaNameIn(sla, locale);
  const text = [
    t.hello(name),
    '',
    t.intro(slaName),
    '',
    `${t.linkLabel}: ${url}`,
    '',
    t.expiry(minutes),
  ].join('\n');
  const dir = textDirection(locale);
  const html =
    `<!DOCTYPE html><html lang="${escapeHtml(locale)}" dir="${dir}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${escapeHtml(t.subject)}</title></head>` +
    '<body style="margin:0;padding:16px;background:#f2f4f7;font-family:-apple-system,Segoe UI,Roboto,Helvetica,Arial,sans-serif;color:#1a1a1a">' +
    `<div dir="${dir}" style="max-width:520px;margin:0 auto;padding:22px 18px;background:#ffffff;border-radius:10px;text-align:${dir === 'rtl' ? 'right' : 'left'}">` +
    `<p style="font-size:17px;margin:0 0 14px">${escapeHtml(t.hello(name))}</p>` +
    `<p style="font-size:17px;margin:0 0 20px">${escapeHtml(t.intro(slaName))}</p>` +
    `<p style="margin:0 0 20px"><a href="${safeHref(url)}" style="display:inline-block;padding:14px 22px;background:#0b5cad;color:#ffffff;border-radius:8px;font-weight:bold;text-decoration:none;font-size:17px">${escapeHtml(t.button)}</a></p>` +
    `<p style="font-size:14px;color:#475467;margin:0">${escapeHtml(t.expiry(minutes))}</p>` +
    '</div></body></html>';
  return {
    to: [person.email],
    subject: t.subject,
    text,
    html,
    fromName: senderNameIn(sla, locale),
    tags: { kind: 'console-sign-in' },
  };
}
