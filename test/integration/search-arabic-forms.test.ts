/**
 * Search finds an Arabic name however it is also written (an Arabic-first team's trial): "عبد الله" and
 * "عبدالله" each find the other, and a family name without its article ("قحطاني") finds "القحطاني". Through
 * GET /leads on the local server (dynalite, the DynamoDB queries) and the in-memory twin from the same states.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { foldSearchTerm } from '../../lambdas/adapters/table-definition.ts';
import { foundBySearch, foundByTwin, useLocalApi } from '../support/local-api.ts';

describe('search by the other ways an Arabic name is written', () => {
  const api = useLocalApi({ eventsOff: true });
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    // Arrange: a spaced compound, a joined one, and a name with neither (Latin, for contrast)
    const leads: [string, Record<string, string>][] = [
      ['spaced', { firstName: 'عبد الله', lastName: 'القحطاني', company: 'شركة الأفق للتقنية' }],
      ['joined', { firstName: 'عبدالرحمن', lastName: 'العمري', company: 'مؤسسة النخبة' }],
      ['latin', { firstName: 'Petra', lastName: 'Schmidt', company: 'Kessler Industrial GmbH' }],
    ];
    for (const [key, fields] of leads)
      ids[key] = await api.createLead({ email: api.uniqueEmail(key), ...fields });
  });

  const found = (q: string) => foundBySearch(api, ids, q);

  it.each([
    ['عبدالله', ['spaced']],
    ['عبد الله القحطاني', ['spaced']],
    ['عبد الرحمن', ['joined']],
    ['قحطاني', ['spaced']],
    ['عمري', ['joined']],
    ['افق', ['spaced']],
    ['القحطاني', ['spaced']],
    ['schmidt', ['latin']],
  ])('q=%s finds %j, in the table and in the twin', async (q, expected) => {
    // Act
    const viaApi = await found(q);
    const viaTwin = await foundByTwin(api, ids, foldSearchTerm(q));

    // Assert
    expect(viaApi).toEqual(expected);
    expect(viaTwin).toEqual(expected);
  });
});
