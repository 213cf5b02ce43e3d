/**
 * Search finds a surname by the name a rep heard on the phone, without the particles it opens with (ADR 0082):
 * "Heide" finds Petra von der Heide, "Rashid" Omar Al-Rashid and Layla al Rashid, "Berg" Jan van den Berg, and
 * the whole surname still finds each. Through GET /leads on the local server (dynalite, the DynamoDB queries)
 * and the in-memory twin from the same states; and a lead keyed before (INDEX_KEYS_VERSION 7) as the index pass
 * re-keys it.
 */
import { UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  foldSearchQuery,
  foldSearchTerm,
  searchPartition,
  stateKey,
} from '../../lambdas/adapters/table-definition.ts';
import { LOCAL_TABLE } from '../../local/runtime.ts';
import { foundBySearch, foundByTwin, queriesOfSearch, useLocalApi } from '../support/local-api.ts';

describe('search by a surname without the particles it opens with', () => {
  const api = useLocalApi({ eventsOff: true });
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    // Arrange: surnames that open with particles, and some that open with the same letters as a word of their own
    const leads: [string, Record<string, string>][] = [
      ['heide', { firstName: 'Petra', lastName: 'von der Heide', company: 'Nordlicht AG' }],
      ['alRashid', { firstName: 'Omar', lastName: 'Al-Rashid', company: 'Fjord Pumps' }],
      ['spacedRashid', { firstName: 'Layla', lastName: 'al Rashid', company: 'Brauhaus Ost' }],
      ['berg', { firstName: 'Jan', lastName: 'van den Berg', company: 'Kessler Industrial' }],
      ['schmidt', { firstName: 'Karl', lastName: 'Schmidt', company: 'Rhein Metall' }],
      ['vondracek', { firstName: 'Tomas', lastName: 'Vondráček', company: 'Marsh Tools' }],
      ['le', { firstName: 'Minh', lastName: 'Le', company: 'Saigon Freight' }],
      ['saud', { firstName: 'فيصل', lastName: 'آل سعود', company: 'مؤسسة الواحة' }],
    ];
    for (const [key, fields] of leads)
      ids[key] = await api.createLead({ email: api.uniqueEmail('p'), ...fields });
  });

  const found = (q: string) => foundBySearch(api, ids, q);

  it.each([
    ['Heide', ['heide']],
    ['von der Heide', ['heide']],
    ['heide petra', ['heide']],
    ['Petra von der Heide', ['heide']],
    ['von', ['vondracek']],
    ['Al-Rashid', ['alRashid', 'spacedRashid']],
    ['Rashid', ['alRashid', 'spacedRashid']],
    ['al rashid', ['alRashid', 'spacedRashid']],
    ['van den Berg', ['berg']],
    ['Berg', ['berg']],
    ['Schmidt', ['schmidt']],
    ['Schmidt Karl', ['schmidt']],
    ['Le', ['le']],
    ['Le Minh', ['le']],
    ['Vond', ['vondracek']],
    ['سعود', ['saud']],
    ['آل سعود', ['saud']],
  ])('q=%s finds %j, in the table and in the twin', async (q, expected) => {
    // Act
    const viaApi = await found(q);
    const viaTwin = await foundByTwin(api, ids, foldSearchQuery(q));

    // Assert
    expect(viaApi).toEqual(expected);
    expect(viaTwin).toEqual(expected);
  });

  // five indexes; the surname index also without the particles a query opens with (as typed too: an entry not re-keyed)
  it.each([
    ['Schmidt', 5],
    ['von', 5],
    ['von der Heide', 6],
    ['Al-Rashid', 6],
  ])('searches %s with %i Queries', async (q, queries) => {
    // Act: the Queries the client sends while the search runs
    const sent = await queriesOfSearch(api, foldSearchQuery(q));

    // Assert
    expect(sent).toBe(queries);
  });

  it('finds a lead keyed before by its whole surname, and by the surname alone once the index pass re-keys it', async () => {
    // Arrange: the surname entry as INDEX_KEYS_VERSION 7 wrote it, particles and all
    const id = await api.createLead({
      email: api.uniqueEmail('p'),
      firstName: 'Sabine',
      lastName: 'ter Horst',
      company: 'Weser Logistik',
    });
    const before = foldSearchTerm('ter Horst Sabine');
    await api.runtime.dynamoDb.send(
      new UpdateItemCommand({
        TableName: LOCAL_TABLE,
        Key: marshall(stateKey(id)),
        UpdateExpression: 'SET gsi9pk = :partition, gsi9sk = :entry',
        ExpressionAttributeValues: marshall({
          ':partition': searchPartition('LAST#', before),
          ':entry': `${before}#${id}`,
        }),
      }),
    );
    const horst = { horst: id };

    // Act
    const asTypedBefore = await foundBySearch(api, horst, 'ter Horst');
    const surnameBefore = await foundBySearch(api, horst, 'Horst');
    const pass = await api.runtime.deps.store.indexLead!(id);
    const surnameAfter = await foundBySearch(api, horst, 'Horst');
    const asTypedAfter = await foundBySearch(api, horst, 'ter Horst');

    // Assert
    expect([asTypedBefore, surnameBefore]).toEqual([['horst'], []]);
    expect(pass).toBe('indexed');
    expect([surnameAfter, asTypedAfter]).toEqual([['horst'], ['horst']]);
  });
});
