import { describe, expect, it } from 'vitest';
import { foldSearchTerm, searchTermsOf } from '../../lambdas/adapters/table-definition.ts';
import { withoutLeadingParticles } from '../../lambdas/domain/name-particles.ts';
import type { LeadState } from '../../lambdas/ports/lead-store.ts';

describe('a surname without the particles it opens with (ADR 0082)', () => {
  it.each([
    ['von der Heide', 'heide'],
    ['van den Berg', 'berg'],
    ['de la Cruz', 'cruz'],
    ['Al-Rashid', 'rashid'],
    ['el-Amrani', 'amrani'],
    ['al Rashid', 'rashid'],
    ['bin al-Rashid', 'rashid'],
    ['ter Horst Sabine', 'horst sabine'],
    ['آل سعود', 'سعود'],
    ['بن لادن', 'لادن'],
    // a name that opens with the letters of a particle, not the word: as it is
    ['Vondráček', 'vondracek'],
    ['Delgado', 'delgado'],
    ['Alvarez', 'alvarez'],
    ['Schmidt', 'schmidt'],
    // the article joined to an Arabic name stays (a query without it looks it up with it: ADR 0054 amended)
    ['الرشيد', 'الرشيد'],
    // particles alone: kept, so a Vietnamese Le is Le, and a query "von der" is looked up as typed
    ['Le', 'le'],
    ['von der', 'von der'],
    ['al-', 'al-'],
  ])('%s -> %s', (surname, expected) => {
    expect(withoutLeadingParticles(foldSearchTerm(surname))).toBe(expected);
  });
});

describe("the surname index's term", () => {
  const surnameTerm = (fields: Record<string, string>) =>
    searchTermsOf({ email: 'x@example.com', fields } as unknown as LeadState)['LAST#'];

  it.each([
    [{ firstName: 'Petra', lastName: 'von der Heide' }, 'heide petra'],
    [{ name: 'Petra von der Heide' }, 'heide petra'],
    [{ name: 'Omar Al-Rashid' }, 'rashid omar'],
    [{ firstName: 'Karl', lastName: 'Schmidt' }, 'schmidt karl'],
    [{ firstName: 'Minh', lastName: 'Le' }, 'le minh'],
  ])('%j -> %s', (fields, expected) => {
    expect(surnameTerm(fields)).toBe(expected);
  });
});
