/**
 * Event times as milliseconds. Scoring reads every event's time for every lead, and
 * `Date.parse` costs ~250 ns a call; the edges store the one shape `toISOString` writes
 * ("2024-06-30T12:00:00.000Z"), so that shape is read by hand and anything else goes to
 * `Date.parse`, which makes the result the same as `Date.parse` for every input.
 */

const ZERO = 48;

/** Two decimal digits at `at`, or -1. */
function two(text: string, at: number): number {
  const a = text.charCodeAt(at) - ZERO;
  const b = text.charCodeAt(at + 1) - ZERO;
  return a >= 0 && a <= 9 && b >= 0 && b <= 9 ? a * 10 + b : -1;
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/** Milliseconds since the epoch for an ISO-8601 time, NaN when it is not one (as `Date.parse`). */
export function isoTimeMs(text: string): number {
  const length = text.length;
  if (
    length < 20 ||
    text.charCodeAt(length - 1) !== 90 /* Z */ ||
    text.charCodeAt(4) !== 45 /* - */ ||
    text.charCodeAt(7) !== 45 ||
    text.charCodeAt(10) !== 84 /* T */ ||
    text.charCodeAt(13) !== 58 /* : */ ||
    text.charCodeAt(16) !== 58
  ) {
    return Date.parse(text);
  }
  const century = two(text, 0);
  const yy = two(text, 2);
  const month = two(text, 5);
  const day = two(text, 8);
  const hour = two(text, 11);
  const minute = two(text, 14);
  const second = two(text, 17);
  const year = century * 100 + yy;
  // years before 100 and every edge case go to Date.parse
  if (
    century < 0 ||
    yy < 0 ||
    year < 100 ||
    month < 1 ||
    month > 12 ||
    day < 1 ||
    day > daysInMonth(year, month) ||
    hour < 0 ||
    hour > 23 ||
    minute < 0 ||
    minute > 59 ||
    second < 0 ||
    second > 59
  ) {
    return Date.parse(text);
  }
  let ms = 0;
  if (length > 20) {
    // ".s", ".ss", ".sss" or longer: milliseconds are the first three digits
    if (text.charCodeAt(19) !== 46 /* . */ || length === 21) return Date.parse(text);
    let scale = 100;
    for (let i = 20; i < length - 1; i++) {
      const digit = text.charCodeAt(i) - ZERO;
      if (digit < 0 || digit > 9) return Date.parse(text);
      ms += digit * scale;
      scale /= 10;
    }
    ms = Math.floor(ms);
  }
  return (
    daysFromCivil(year, month, day) * 86_400_000 + hour * 3_600_000 + minute * 60_000 + second * 1_000 + ms
  );
}

/** Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm; years >= 100 here). */
function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const dayOfYear = Math.floor((153 * (month > 2 ? month - 3 : month + 9) + 2) / 5) + day - 1;
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146_097 + dayOfEra - 719_468;
}
