/**
 * The question a repeated attempt gets before it is logged (ADR 0074, domain/same-call.ts): "You logged No answer
 * (Email) with the same note at 09:02", worded by the channel logged ("Did you write again? ... It was the same
 * email": ADR 0087's words by channel, never a call for an email). Two ways on: log it as another attempt (the
 * same fields posted again with `again`, the attempt asked about, and the same attempt id, so a double tap is
 * still one attempt), or back to the lead, where the attempt is logged once already. 409: nothing was written.
 */
import type { Attempt } from '../../domain/lead-state.ts';
import { localName } from '../../domain/sla-names.ts';
import type { Sla } from '../../domain/sla-schema.ts';
import type { HttpResult } from '../http.ts';
import { csrfField, esc, page, time, uiFor } from './html.ts';
import type { ConsoleSession } from './session.ts';

export function sameCallPage(
  sla: Sla,
  session: ConsoleSession,
  zone: string,
  leadId: string,
  logged: Attempt,
  posted: Readonly<Record<string, string>>,
): HttpResult {
  const ui = uiFor(session.locale);
  const f = ui.t.lead;
  const outcome = sla.contact.outcomes.find((o) => o.id === logged.outcomeId);
  // the attempt asked about repeats this one, channel and all; one logged without a channel is named by none
  const channel = logged.channel;
  const base = `/console/leads/${esc(leadId)}`;
  const resent = Object.entries(posted)
    .filter(([name]) => name !== 'csrf' && name !== 'again')
    .map(([name, value]) => `<input type="hidden" name="${esc(name)}" value="${esc(value)}">`)
    .join('');
  return page(
    { title: f.sameCall.title, status: 409, session, section: 'leads' },
    `<p class="notice info" role="status">${f.sameCall.loggedHtml(
      `<strong>${esc(outcome ? localName(outcome, ui.locale) : logged.outcomeId)}</strong>`,
      channel === undefined ? undefined : esc(f.channels[channel] ?? channel),
      time(logged.at, zone, ui),
      Boolean(logged.note),
    )}</p>` +
      `<p>${esc(f.sameCall.askAgain(channel))}</p>` +
      `<form method="post" action="${base}/attempts">${csrfField(session)}${resent}` +
      `<input type="hidden" name="again" value="${esc(logged.attemptId)}">` +
      `<button type="submit">${esc(f.sameCall.logAnother)}</button></form>` +
      `<p><a class="button" href="${base}">${esc(f.sameCall.sameOne(channel))}</a></p>`,
  );
}
