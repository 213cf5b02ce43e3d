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
import { confirmConsent } from '../domain/consent.ts';
import { updateLead } from '../ports/lead-store.ts';
import type { ApiDeps } from './deps.ts';
import { HttpError, type HttpEvent, type HttpResult } from './http.ts';
import { htmlPage, PageError, pageHandler } from './pages.ts';

export function getConsentHandler(deps: ApiDeps) {
  return pageHandler('GET /consent/{token}', async (event: HttpEvent) => {
    const payload = readConsentToken(deps, event);
    const lead = await deps.store.getLead(payload.leadId);
    const sender = deps.sla.nurture.senderName;
    const outcome = lead ? confirmConsent(lead, payload.value, deps.clock.now()) : undefined;
    if (!outcome || outcome.kind === 'noLongerApplies') throw noLongerApplies(sender);
    if (outcome.kind === 'alreadyConfirmed') return confirmedPage(sender);
    return htmlPage(200, {
      title: `Confirm your subscription to ${sender}`,
      paragraphs: [
        `Press the button to confirm that you want marketing email from ${sender}. Nothing happens until you do.`,
        `You agreed to: "${lead?.consent?.text ?? ''}"`,
      ],
      confirm: { label: 'Confirm my subscription' },
    });
  });
}

export function postConsentHandler(deps: ApiDeps) {
  return pageHandler('POST /consent/{token}', async (event: HttpEvent) => {
    const payload = readConsentToken(deps, event);
    const sender = deps.sla.nurture.senderName;
    let refused = false;
    // conditional write: of two concurrent POSTs one confirms, the other finds it confirmed
    const { state, result } = await updateLead(deps.store, payload.leadId, (current) => {
      const outcome = confirmConsent(current, payload.value, deps.clock.now());
      if (outcome.kind === 'noLongerApplies') refused = true;
      return outcome.kind === 'confirmed' ? outcome.lead : undefined;
    });
    if (result === 'missing' || refused) throw noLongerApplies(sender);
    // nurture starts: wake the workflow (a dormant lead starts its next generation)
    if (result === 'saved' && state) await deps.workflow.signal(state, 'consent confirmed');
    return confirmedPage(sender);
  });
}

/** The token's payload, when it is a valid, unexpired consent link: else 400 (or 410 when expired). */
function readConsentToken(deps: ApiDeps, event: HttpEvent): ActionPayload {
  if (!deps.actionSecret) {
    throw new HttpError(503, 'not_configured', 'links from emails are not set up on this server');
  }
  const verified = verifyActionToken(event.pathParameters?.token ?? '', deps.actionSecret, deps.clock.now());
  if (!verified.ok) {
    if (verified.reason === 'expired') {
      throw new PageError(410, 'expired', {
        title: 'This link has expired',
        paragraphs: [
          'Confirmation links work for 30 days. Sign up again on our website to get a new one.',
          'Nothing was changed.',
        ],
        tone: 'problem',
      });
    }
    throw invalidLink();
  }
  if (verified.payload.action !== 'consent' || verified.payload.value === '') throw invalidLink();
  return verified.payload;
}

function confirmedPage(sender: string): HttpResult {
  return htmlPage(200, {
    title: 'Your subscription is confirmed',
    paragraphs: [
      `Thank you. You will get marketing email from ${sender}.`,
      'Every email has a link to unsubscribe.',
    ],
    tone: 'success',
  });
}

function noLongerApplies(sender: string): PageError {
  return new PageError(410, 'link_no_longer_applies', {
    title: 'This link no longer applies',
    paragraphs: [
      `You unsubscribed from ${sender} since, or signed up again with a newer link.`,
      'Nothing was changed.',
    ],
    tone: 'problem',
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
