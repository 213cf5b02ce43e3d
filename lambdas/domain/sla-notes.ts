/**
 * What a valid SLA leaves out that a law on marketing email asks for (ADR 0071): said by `leadpact sla validate`,
 * `npm start` and `cdk synth` as notes, never as errors (a file that passed before still passes; an SLA that
 * sends no marketing email needs none of it).
 *
 * Pure: no I/O, no clock.
 */
import { languageOf } from './locale.ts';
import type { Sla } from './sla-schema.ts';

/** The calendars of the countries whose law asks an imprint of a business's email: Germany, Austria, Switzerland. */
const IMPRINT_ZONES: ReadonlySet<string> = new Set([
  'Europe/Berlin',
  'Europe/Busingen',
  'Europe/Vienna',
  'Europe/Zurich',
]);

/** One note: the SLA key it is about and what to do. */
export interface SlaNote {
  readonly path: string;
  readonly message: string;
}

/** The notes for `sla`, in the order of its keys; none when it sends no marketing email. */
export function slaNotes(sla: Sla): SlaNote[] {
  const { nurture } = sla;
  const notes: SlaNote[] = [];
  // nurture emails, and the confirmation a double opt-in form sends: marketing email from the company
  const marketing = nurture.tracks.length > 0;
  if (!marketing) return notes;
  if (nurture.postalAddress === undefined) {
    notes.push({
      path: 'nurture.postalAddress',
      message:
        'not set: nurture emails go out without your postal address, which CAN-SPAM (US) asks of every marketing email. Add the address as printed on a letter.',
    });
  }
  if (nurture.privacyUrl === undefined) {
    notes.push({
      path: 'nurture.privacyUrl',
      message:
        'not set: nurture and consent emails link no privacy notice (GDPR art. 13 asks that a person can read how their data is used). Add its https:// address.',
    });
  }
  // a company in Germany, Austria or Switzerland owes an imprint whatever language its emails are in
  const german =
    sla.locales.supported.some((tag) => languageOf(tag) === 'de') || IMPRINT_ZONES.has(sla.calendar.timeZone);
  if (german && nurture.imprintUrl === undefined) {
    notes.push({
      path: 'nurture.imprintUrl',
      message:
        'not set: the SLA speaks German or keeps German, Austrian or Swiss time, and its marketing emails link no imprint (Impressum: DDG § 5, ECG § 5, UWG Art. 3). Add its https:// address.',
    });
  }
  return notes;
}

/** A note as the CLI prints it: `note: nurture.postalAddress: not set: ...` */
export function formatSlaNote(note: SlaNote): string {
  return `note: ${note.path}: ${note.message}`;
}
