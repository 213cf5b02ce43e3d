/**
 * A call logged again from a form the browser gave back (ADR 0074). A phone that lost the answer to "Log
 * attempt", or a rep who pressed back after "The attempt is logged.", is shown the lead's page again with the
 * outcome and note they chose restored, but with a new request id (a browser restores what a person changed,
 * never a server-rendered hidden field): sent, it would be a second attempt of one call. So an attempt that
 * repeats one already logged (the same outcome, channel and note; the same time given, or none given and the
 * earlier one minutes ago) is asked about before it is logged. Asked, not refused: two genuine "no answer"
 * calls minutes apart are two attempts.
 */
import type { Attempt, TimelineEntry } from './lead-state.ts';

/**
 * How recent a logged attempt must be for the same one without a time given to be asked about: a phone's
 * retry or a press of back comes within minutes, and the cadence's steps are hours and days apart.
 */
export const SAME_CALL_WINDOW_MS = 15 * 60_000;

/** An attempt as a person asks to log it. */
export interface CallToLog {
  readonly outcomeId: string;
  readonly channel?: string;
  readonly note?: string;
  /** when it happened, if the person gave a time (ISO) */
  readonly at?: string;
}

/** The newest logged attempt `call` repeats, or undefined: then it is a call of its own. */
export function sameCallLogged(logged: readonly Attempt[], call: CallToLog, now: Date): Attempt | undefined {
  return newestRepeated(logged, call, now, true);
}

/**
 * The newest attempt the lead's story tells of that `call` repeats, among those `seen` (the attempts read before
 * the write, which sameCallLogged judged) lacks: an attempt logged by another request between that read and the
 * write that logs this one (two tabs within milliseconds, ADR 0074 amended). Asked of the state the logging write
 * replaces, so of two such posts one logs and the other is asked. The story tells an attempt's id, outcome,
 * channel and time (logAttempt records them on its entry), not its note: two such posts with another note are
 * asked about too. Entries that name no attempt id were stored before it was recorded: their attempts are seen.
 */
export function sameCallInStory(
  timeline: readonly TimelineEntry[],
  seen: ReadonlySet<string>,
  call: CallToLog,
  now: Date,
): Attempt | undefined {
  const told = timeline.flatMap((entry) => {
    const attempt = attemptToldBy(entry);
    return attempt && !seen.has(attempt.attemptId) ? [attempt] : [];
  });
  return newestRepeated(told, call, now, false);
}

/** What an attempt's story entry tells of it (no note), or undefined for another entry or one naming no attempt. */
function attemptToldBy(entry: TimelineEntry): Attempt | undefined {
  const attemptId = entry.data?.attemptId;
  if (entry.kind !== 'attempt' || typeof attemptId !== 'string') return undefined;
  const outcome = entry.reasons.find((reason) => reason.rule.startsWith(OUTCOME_RULE));
  if (!outcome) return undefined;
  const { channel, occurredAt } = entry.data ?? {};
  return {
    attemptId,
    at: typeof occurredAt === 'string' ? occurredAt : entry.at,
    outcomeId: outcome.rule.slice(OUTCOME_RULE.length),
    ...(typeof channel === 'string' ? { channel } : {}),
  };
}

const OUTCOME_RULE = 'contact.outcome.';

/** The newest of `logged` that `call` repeats (with `byNote`, only one with the same note). */
function newestRepeated(
  logged: readonly Attempt[],
  call: CallToLog,
  now: Date,
  byNote: boolean,
): Attempt | undefined {
  const since = now.getTime() - SAME_CALL_WINDOW_MS;
  const repeats = (attempt: Attempt) =>
    attempt.outcomeId === call.outcomeId &&
    attempt.channel === call.channel &&
    (!byNote || attempt.note === call.note) &&
    (call.at === undefined
      ? Date.parse(attempt.at) >= since
      : Date.parse(attempt.at) === Date.parse(call.at));
  return logged
    .filter(repeats)
    .reduce<Attempt | undefined>(
      (newest, attempt) =>
        newest === undefined || Date.parse(attempt.at) > Date.parse(newest.at) ? attempt : newest,
      undefined,
    );
}

/**
 * The attempt a one-click outcome link repeats (ADR 0074, amended): the newest attempt logged, by any way in,
 * with the same outcome in the link's handover (`handoverSince`, ISO) at most SAME_CALL_WINDOW_MS before `now`,
 * and after `askedAbout` (the time of the attempt the person was asked about and answered "another attempt").
 * Read from the lead's story, so the write that logs can ask it of the state it replaces: two links of one call
 * pressed at the same instant (the manager's, who logs for the owner, and the owner's own) cannot both pass. A
 * call made earlier and logged in this handover is an earlier owner's (`occurredAt` before it): not asked about.
 * A link carries no note and its channel is its email's, not the call's: the outcome and the minutes decide.
 */
export function sameOutcomeLogged(
  timeline: readonly TimelineEntry[],
  outcomeId: string,
  handoverSince: string,
  now: Date,
  askedAbout?: string,
): TimelineEntry | undefined {
  const since = Math.max(Date.parse(handoverSince), now.getTime() - SAME_CALL_WINDOW_MS);
  const rule = `${OUTCOME_RULE}${outcomeId}`;
  return timeline.findLast((entry) => {
    if (entry.kind !== 'attempt' || !entry.reasons.some((reason) => reason.rule === rule)) return false;
    const occurred = entry.data?.occurredAt;
    const happened = typeof occurred === 'string' ? Date.parse(occurred) : Date.parse(entry.at);
    return (
      Date.parse(entry.at) >= since &&
      !(happened < Date.parse(handoverSince)) &&
      (askedAbout === undefined || Date.parse(entry.at) > Date.parse(askedAbout))
    );
  });
}

/**
 * The channel a link's "Logged already?" page words the attempt by (ADR 0087, amended): the one the link logs (its
 * email's step) and the one logged (its story entry's `data.channel`, recorded since the console's asking in the
 * write), whichever is known; both known and different, neither (the question then names an attempt, not a call
 * that may have been an email).
 */
export function channelAskedAbout(
  linkChannel: string | undefined,
  logged: TimelineEntry,
): string | undefined {
  const loggedChannel = typeof logged.data?.channel === 'string' ? logged.data.channel : undefined;
  if (linkChannel === undefined) return loggedChannel;
  return loggedChannel === undefined || loggedChannel === linkChannel ? linkChannel : undefined;
}
