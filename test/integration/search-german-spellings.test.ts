/**
 * Search finds a German name however a keyboard without umlauts writes it (a German team's trial): "Weiss" finds
 * Weiß, "Gross" Groß, "Mueller" Müller, "Koenig" König, and "Müller" a lead typed "Mueller". Through GET /leads
 * on the local server (dynalite, the DynamoDB queries) and the in-memory twin from the same states; and what it
 * costs in Queries.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { foldSearchQuery } from '../../lambdas/adapters/table-definition.ts';
import { foundBySearch, foundByTwin, queriesOfSearch, useLocalApi } from '../support/local-api.ts';

describe('search by the spellings of a German name without umlauts', () => {
  const api = useLocalApi({ eventsOff: true });
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    // Arrange: names with ß and umlauts, one typed without its umlaut, and one with neither (for contrast)
    const leads: [string, Record<string, string>][] = [
      ['weiss', { firstName: 'Anna', lastName: 'Weiß', company: 'Nordlicht AG' }],
      ['gross', { firstName: 'Jens', lastName: 'Groß', company: 'Fjord Pumps' }],
      ['mueller', { firstName: 'Petra', lastName: 'Müller', company: 'Brauhaus Ost' }],
      ['koenig', { firstName: 'Lukas', lastName: 'König', company: 'Elbe Kältetechnik' }],
      ['typedMueller', { firstName: 'Tobias', lastName: 'Mueller', company: 'Kessler Industrial' }],
      ['schmidt', { firstName: 'Karl', lastName: 'Schmidt', company: 'Rhein Metall' }],
    ];
    for (const [key, fields] of leads)
      ids[key] = await api.createLead({ email: api.uniqueEmail('de'), ...fields });
  });

  const found = (q: string) => foundBySearch(api, ids, q);

  it.each([
    ['Weiss', ['weiss']],
    ['Weiß', ['weiss']],
    ['weiss anna', ['weiss']],
    ['Gross', ['gross']],
    ['Groß', ['gross']],
    ['Mueller', ['mueller', 'typedMueller']],
    ['Müller', ['mueller', 'typedMueller']],
    ['muller', ['mueller']],
    ['Petra Mueller', ['mueller']],
    ['Tobias Müller', ['typedMueller']],
    ['Koenig', ['koenig']],
    ['König', ['koenig']],
    ['koen', ['koenig']],
    ['Elbe Kaeltetechnik', ['koenig']],
    ['Schmidt', ['schmidt']],
    ['Manuel', []],
  ])('q=%s finds %j, in the table and in the twin', async (q, expected) => {
    // Act
    const viaApi = await found(q);
    const viaTwin = await foundByTwin(api, ids, foldSearchQuery(q));

    // Assert
    expect(viaApi).toEqual(expected);
    expect(viaTwin).toEqual(expected);
  });

  // five indexes, each by every spelling (german-query-variants.ts): two for one place spelt two ways, at most four
  it.each([
    ['Schmidt', 5],
    ['Müller', 10],
    ['Weiss', 10],
    ['Manuel', 10],
    ['Grossmann Koenig', 20],
    ['Strasse Grosse Muellerstr', 20],
  ])('searches %s with %i Queries', async (q, queries) => {
    // Act: the Queries the client sends while the search runs
    const sent = await queriesOfSearch(api, foldSearchQuery(q));

    // Assert
    expect(sent).toBe(queries);
  });
});
