/**
 * A number as a person types it into a form, read as the value a condition compares: a count ("1,200",
 * "10k", "500-1000") or an amount of money ("€25,000,000", "25 Mio. €", "SAR 25M"). Text in ASCII digits
 * (form-values.ts asciiDigits reads an Arabic keyboard's first). Pure: no I/O, no clock.
 */

/** A magnitude word after a number, lower-cased, and what it multiplies by. */
const MAGNITUDES: Readonly<Record<string, number>> = {
  k: 1e3,
  tsd: 1e3,
  'tsd.': 1e3,
  thousand: 1e3,
  tausend: 1e3,
  ألف: 1e3,
  الف: 1e3,
  m: 1e6,
  mm: 1e6,
  mn: 1e6,
  mio: 1e6,
  'mio.': 1e6,
  million: 1e6,
  millions: 1e6,
  millionen: 1e6,
  مليون: 1e6,
  ملايين: 1e6,
  b: 1e9,
  bn: 1e9,
  mrd: 1e9,
  'mrd.': 1e9,
  billion: 1e9,
  billions: 1e9,
  milliarde: 1e9,
  milliarden: 1e9,
  مليار: 1e9,
  مليارات: 1e9,
};

/** Longest first, dots escaped: one alternation of every magnitude word. */
const MAGNITUDE = Object.keys(MAGNITUDES)
  .sort((a, b) => b.length - a.length)
  .map((word) => word.replace('.', '\\.'))
  .join('|');
const NUMBER = String.raw`\d[\d ,._']*`;
/**
 * A number, its magnitude, and what may follow: a range's upper bound (its lower bound counts), "+" or "or
 * more". Anchored, so a magnitude is a whole word: "25 Mio." is 25 million, "25 miles" no number.
 */
const COUNT = new RegExp(
  String.raw`^\s*(${NUMBER})\s*(${MAGNITUDE})?\s*(?:(?:-|–|to|bis)\s*${NUMBER}\s*(?:${MAGNITUDE})?|\+|or more)?\s*$`,
  'i',
);

/**
 * "850", "1,200", "10k", "1.5k", "2,5 Mio.", "25 Mrd", "25 مليون", "500-1000" (its lower bound), "1000+",
 * "10,001 or more". A last "." or "," before one or two digits is a decimal point ("2.5M", "1,5k",
 * "1,234.56"); before three, a thousands separator ("1.200", "10,001", "25.000.000"). A fraction is cut off.
 * Undefined: no number.
 */
export function postedCount(text: string): number | undefined {
  const match = COUNT.exec(text);
  if (!match) return undefined;
  const digits = match[1]!.replace(/[ _']/g, '');
  const decimal = /^(.*)[.,](\d{1,2})$/.exec(digits);
  const whole = Number((decimal ? decimal[1]! : digits).replace(/[.,]/g, ''));
  const fraction = decimal ? Number(decimal[2]) / 10 ** decimal[2]!.length : 0;
  const factor = match[2] === undefined ? 1 : MAGNITUDES[match[2].toLowerCase()]!;
  return whole * factor + Math.floor(Math.round(fraction * factor * 100) / 100);
}

/**
 * A currency as a form's visitor writes it beside an amount: a symbol (€ $ US$ £ ¥ ₹ ₺ ر.س د.إ), an ISO
 * 4217 code of the markets LeadPact's forms come from, or its name (Euro, Dollar, ريال, درهم). A code or name
 * is a whole word: "EURO" is a name, "EURX" no currency.
 */
const CURRENCY = new RegExp(
  [
    String.raw`US\$|[€$£¥₹₺]|ر\.س\.?|د\.إ\.?`,
    String.raw`(?<!\p{L})(?:EUR|USD|GBP|CHF|SAR|AED|QAR|KWD|BHD|OMR|JOD|EGP|MAD|TRY|JPY|CNY|INR|CAD|AUD|NZD|SEK|NOK|DKK|PLN|CZK|HUF|BRL|MXN|ZAR|SGD|HKD|euros?|dollars?|ريال|درهم)(?!\p{L})`,
  ].join('|'),
  'giu',
);

/**
 * An amount of money: a count (postedCount) with a currency before or after it, or beside each bound of a
 * range: "€25,000,000", "25000000 €", "25 Mio. €", "EUR 25.000.000", "$25M", "USD 25,000,000", "€1M-€5M".
 * The figure is taken as is: no currency is converted (the SLA's revenue bands are in the one currency its
 * company writes them in; sla-reference.md). Undefined: no amount.
 */
export function postedAmount(text: string): number | undefined {
  return postedCount(text.replace(CURRENCY, ' '));
}
