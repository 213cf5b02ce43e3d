/**
 * German seniority words, read on a job title in matchText form (lower case, ä ö ü ß as ae oe ue ss, so
 * "Geschaeftsfuehrer" reads as "Geschäftsführer"); the first row that matches decides, most specific first.
 *
 * German joins a role to what it heads in one word, so most rows read a word's ending: a word ending in
 * -leiter or -leiterin heads something ("Abteilungsleiter", "Einkaufsleiterin", "Werksleiter", and a bare
 * "Leiter Einkauf") and is a director, but a team, group, shift or project lead ("Teamleiter",
 * "Gruppenleiterin", "Schichtleiter", "Projektleiter") is a manager, and a division head ("Bereichsleiter",
 * above the departments) a vp. Words that end in -leiter and lead nobody are not read: a flight attendant
 * ("Flugbegleiter"), a semiconductor ("Halbleiter"), a superconductor, an optical fibre ("Lichtwellenleiter"),
 * a heat conductor. "Geschäftsführer(in)", "Vorstand" (also "Finanzvorstand"), "Vorstandsvorsitzende(r)",
 * "Inhaber(in)", "Gründer(in)" (also "Mitgründer"), "Eigentümer(in)" and "Präsident(in)" lead the company;
 * "GF" (its abbreviation) and "Mitglied der Geschäftsleitung" lead it too; "Vizepräsident(in)" is a vp. "Direktor(in)" is a director as "Director" is, and so is a "Prokurist(in)",
 * who holds the company's statutory power of attorney (Prokura). A compound ending in -manager or -managerin
 * ("Produktmanager", "Marketing Managerin") is a manager as "Product Manager" is. A genitive ("Assistentin des
 * Geschäftsführers", "Referent des Vorstands") is someone who works for the role, and is not read.
 *
 * Another language's table (French, Spanish) is a file like this one, listed in persona.ts inferSeniority.
 */
import type { Seniority } from './sla-constants.ts';
import { WORD_END, WORD_START } from './word-bounds.ts';

/** Whole words, each one of `words` (patterns in matchText form). */
const wholeWord = (...words: string[]) => `${WORD_START}(?:${words.join('|')})${WORD_END}`;

/** Words that end in one of `endings` (patterns in matchText form): a compound, or the word alone. */
const wordEnding = (...endings: string[]) => `(?:${endings.join('|')})${WORD_END}`;

/** What leads a team, not a unit: "Teamleiter", "Team-Leiterin", "Projektleiter". */
const TEAM = '(?:team|gruppen|schicht|projekt)[\\s-]?';

/** Words ending in -leiter that lead nobody: Flugbegleiter, Halbleiter, Supraleiter, Lichtwellenleiter, Wärmeleiter. */
const NOT_A_HEAD = '(?<!beg|halb|supra|licht|wellen|waerme)';

export const GERMAN_SENIORITY: readonly (readonly [Seniority, RegExp])[] = [
  [
    'c-level',
    new RegExp(
      `${wordEnding(
        'geschaeftsfuehrer(?:in)?',
        'geschaeftsfuehrende[rn]?',
        'vorstand',
        'vorstaendin',
        'inhaber(?:in)?',
        'gruender(?:in)?',
        'eigentuemer(?:in)?',
      )}|${wholeWord(
        'vorstands(?:vorsitzende[rn]?|mitglied|sprecher(?:in)?)',
        '(?<!vize[\\s-])praesident(?:in)?',
        // the usual abbreviation of Geschäftsführer, and a member of the executive board
        'gf',
        'mitglied\\s+der\\s+geschaeftsleitung',
      )}`,
      'u',
    ),
  ],
  [
    'vp',
    new RegExp(
      `${wholeWord('vize[\\s-]?praesident(?:in)?')}|${wordEnding('bereichs[\\s-]?leiter(?:in)?')}`,
      'u',
    ),
  ],
  ['manager', new RegExp(wordEnding(`${TEAM}leiter(?:in)?`), 'u')],
  [
    'director',
    new RegExp(
      `${wordEnding(`${NOT_A_HEAD}leiter(?:in)?`, 'direktor(?:in)?')}|${wholeWord('prokurist(?:in)?')}`,
      'u',
    ),
  ],
  ['manager', new RegExp(wordEnding('manager(?:in)?'), 'u')],
];
