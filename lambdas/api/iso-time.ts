/**
 * What a query's `from` and `to` may be (GET /reports/sla, GET /leads): a date (`2026-11-23`) or an ISO-8601
 * time with its offset (`2026-11-23T08:00:00Z`, `2026-11-23T09:00:00+01:00`), from 1970. A day that does not
 * exist (`2026-02-30`) is refused, not rolled over; a time without an offset too, since it would be read in
 * whatever zone the server runs in; a year before 1970 too (no lead or report fact is older, and the index's
 * day keys cannot be built for one).
 */
export const ISO_DAY_OR_TIME =
  'a date (2026-11-23) or an ISO-8601 time with its offset (2026-11-23T08:00:00Z), from 1970';

export function isIsoDayOrTime(value: string): boolean {
  const day = /^(\d{4})-\d{2}-\d{2}/.exec(value)?.[0];
  if (!day || day < '1970-01-01') return false;
  // a month or a day out of range (2026-13-01, 2026-12-32) is no time at all; one the month lacks rolls over
  const midnight = Date.parse(`${day}T00:00:00.000Z`);
  if (Number.isNaN(midnight) || !new Date(midnight).toISOString().startsWith(day)) return false;
  if (value.length === day.length) return true;
  const time = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:\d{2})$/i.test(value);
  const at = Date.parse(value);
  return time && !Number.isNaN(at) && at >= 0;
}
