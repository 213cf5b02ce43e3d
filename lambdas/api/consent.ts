/**
 * Double opt-in: the link in the confirmation email (domain/consent.ts). The signed token is the
 * credential (routes.ts lists the routes as public):
 *
 *   GET  /consent/{token}   a page with one button; changes nothing (mail scanners follow links)
 *   POST /consent/{token}   confirms the consent request the link names, then wakes the workflow so
 *                           nurture starts
 *
 * A link that does not verify answers 400 (nothing stored); an expired one 410. A replayed link
 * changes nothing and says the subscription is confirmed; a link whose consent was withdrawn since
 * (unsubscribed), or which names an older request, answers 410 and changes nothing.
 */
import { type ActionPayload, verifyActionToken } from '../domain/action-links.ts';
import { confirmConsent, consentLocale } from '../domain/consent.ts';
import { withWakeWanted } from '../domain/lead-state.ts';
import { shippedLanguage } from '../domain/locale.ts';
import { type ConsentText, pageText } from '../domain/page-text.ts';
import { senderNameIn } from '../domain/sla-names.ts';
import { inTime } from '../ports/invocation-time.ts';
import { updateLead } from '../ports/lead-store.ts';
import type { ApiDeps } from './deps.ts';
import { HttpError, type HttpEvent, type HttpResult } from './http.ts';
import { htmlPage, PageError, pageHandler, requestLocale, setPageLocale } from './pages.ts';
import { CONTENDED_UPDATE } from './sales-actions.ts';
import { writtenAlready } from './written-already.ts';

export function getConsentHandler(deps: ApiDeps) {
  return pageHandler(
    'GET /consent/{token}',
    async (event: HttpEvent) => {
      const payload = readConsentToken(deps, event);
      const lead = await deps.store.getLead(payload.leadId);
      // the language consent was given in, as its confirmation email (ADR 0019)
      const locale = setPageLocale(
        event,
        lead ? consentLocale(deps.sla, lead) : requestLocale(deps.sla, event),
      );
      const t = consentText(locale);
      const sender = senderNameIn(deps.sla, locale);
      const outcome = lead ? confirmConsent(lead, payload.value, deps.clock.now(), deps.sla) : undefined;
      if (!outcome || outcome.kind === 'noLongerApplies')
        throw noLongerApplies(sender, locale, !lead || lead.erasedAt !== undefined);
      if (outcome.kind === 'alreadyConfirmed') return confirmedPage(sender, locale);
      return htmlPage(200, {
        title: t.confirmTitle(sender),
        paragraphs: [t.pressToConfirm(sender), t.agreed(lead?.consent?.text ?? '')],
        confirm: { label: t.button },
        locale,
      });
    },
    (event) => requestLocale(deps.sla, event),
  );
}

export function postConsentHandler(deps: ApiDeps) {
  const route = 'POST /consent/{token}';
  return pageHandler(
    route,
    async (event: HttpEvent) => {
      const payload = readConsentToken(deps, event);
      let refused = false;
      let erased = false;
      let locale = requestLocale(deps.sla, event);
      // conditional write: of two concurrent POSTs one confirms, the other finds it confirmed
      // a lead busy with other writers (sales, the workflow) is waited out as a sales change waits it out: the
      // person pressed once, and a "please try again" page loses the confirmation
      const { state, result } = await inTime(() =>
        updateLead(
          deps.store,
          payload.leadId,
          (current) => {
            locale = consentLocale(deps.sla, current);
            const now = deps.clock.now();
            const outcome = confirmConsent(current, payload.value, now, deps.sla);
            if (outcome.kind === 'noLongerApplies') refused = true;
            erased = current.erasedAt !== undefined;
            // the wake the confirmation wants is in its write (a parked token taken, a dormant lead due now): should
            // this request die before the signal below, the reconciler wakes the lead and nurture starts
            return outcome.kind === 'confirmed' ? withWakeWanted(outcome.lead, now) : undefined;
          },
          CONTENDED_UPDATE.attempts,
          CONTENDED_UPDATE.maxDelayMs,
        ),
      );
      setPageLocale(event, locale);
      const sender = senderNameIn(deps.sla, locale);
      if (result === 'missing' || refused)
        throw noLongerApplies(sender, locale, result === 'missing' || erased);
      // nurture starts: wake the workflow (a dormant lead starts its next generation)
      // a signal busy past the SDK's retries leaves the lead due now, which the reconciler wakes: the page says done
      if (result === 'saved' && state)
        await writtenAlready(route, state.leadId, 'consent confirmed; its wake left to the reconciler', () =>
          deps.workflow.signal(state, 'consent confirmed'),
        );
      return confirmedPage(sender, locale);
    },
    (event) => requestLocale(deps.sla, event),
  );
}

/** The token's payload, when it is a valid, unexpired consent link: else 400 (or 410 when expired). */
function readConsentToken(deps: ApiDeps, event: HttpEvent): ActionPayload {
  if (!deps.actionSecret) {
    throw new HttpError(503, 'not_configured', 'links from emails are not set up on this server');
  }
  const verified = verifyActionToken(event.pathParameters?.token ?? '', deps.actionSecret, deps.clock.now());
  if (!verified.ok) {
    if (verified.reason === 'expired') {
      const locale = requestLocale(deps.sla, event);
      const t = consentText(locale);
      throw new PageError(410, 'expired', {
        title: pageText(shippedLanguage(locale)).errors.titles.expired!,
        paragraphs: [t.expired, t.nothingChanged],
        tone: 'problem',
        locale,
      });
    }
    throw invalidLink();
  }
  if (verified.payload.action !== 'consent' || verified.payload.value === '') throw invalidLink();
  return verified.payload;
}

function consentText(locale: string): ConsentText {
  return pageText(shippedLanguage(locale)).consent;
}

function confirmedPage(sender: string, locale: string): HttpResult {
  const t = consentText(locale);
  return htmlPage(200, {
    title: t.confirmedTitle,
    paragraphs: [t.thanks(sender), t.everyEmail],
    tone: 'success',
    locale,
  });
}

/** The link's request is gone: withdrawn or replaced (`noLonger`), or the lead erased since (`erased`). */
function noLongerApplies(sender: string, locale: string, erased: boolean): PageError {
  const t = consentText(locale);
  return new PageError(410, 'link_no_longer_applies', {
    title: t.noLongerTitle,
    paragraphs: [erased ? t.erased(sender) : t.noLonger(sender), t.nothingChanged],
    tone: 'problem',
    locale,
  });
}

function invalidLink(): HttpError {
  return new HttpError(
    400,
    'invalid_link',
    'this link is incomplete or was changed; open it from the email again',
    [{ path: 'token', message: 'not a valid confirmation link' }],
  );
}
