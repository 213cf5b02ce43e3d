/** How Arabic names are also written, for a search query (arabic-query-variants.ts): a table. */
import { describe, expect, it } from 'vitest';
import { arabicQueryVariants } from '../../lambdas/domain/arabic-query-variants.ts';

describe('arabicQueryVariants', () => {
  it.each([
    ['عبد الله', ['عبد الله', 'عبدالله']],
    ['عبدالله', ['عبدالله', 'عبد الله']],
    ['محمد عبدالعزيز', ['محمد عبدالعزيز', 'محمد عبد العزيز']],
    ['ابو بكر', ['ابو بكر', 'ابوبكر']],
    ['ابوظبي', ['ابوظبي', 'ابو ظبي']],
    // a family name said without its article
    ['قحطاني', ['قحطاني', 'القحطاني']],
    ['نوره قحطاني', ['نوره قحطاني', 'نوره القحطاني']],
    ['قحط', ['قحط', 'القحط']],
    // with its article: only what has it
    ['القحطاني', ['القحطاني']],
    // a compound's own word, a lineage, a particle: no article
    ['عبده', ['عبده']],
    ['محمد بن سلمان', ['محمد بن سلمان']],
    ['ابو', ['ابو']],
    // Latin: itself alone
    ['schmidt', ['schmidt']],
    ['abdul rahman', ['abdul rahman']],
  ])('%s: %j', (q, expected) => {
    expect(arabicQueryVariants(q)).toEqual(expected);
  });
});
