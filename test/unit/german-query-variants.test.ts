/** How German names are also written, for a search query (german-query-variants.ts): a table. */
import { describe, expect, it } from 'vitest';
import { foldSearchQuery } from '../../lambdas/adapters/table-definition.ts';
import {
  GERMAN_QUERY_VARIANTS_MAX,
  germanQueryVariants,
} from '../../lambdas/domain/german-query-variants.ts';

describe('germanQueryVariants', () => {
  it.each([
    // ss and ß: each as the other
    ['weiss', ['weiss', 'weiß']],
    ['weiß', ['weiß', 'weiss']],
    ['gross', ['gross', 'groß']],
    // ae oe ue: as typed and as the stored fold of the umlaut
    ['mueller', ['mueller', 'muller']],
    ['koenig', ['koenig', 'konig']],
    ['baecker', ['baecker', 'backer']],
    ['koen', ['koen', 'kon']],
    // ä ö ü (kept by the query's fold): as the stored fold, and as ae oe ue
    ['müller', ['muller', 'mueller']],
    ['könig', ['konig', 'koenig']],
    ['bäcker', ['backer', 'baecker']],
    ['mü', ['mu', 'mue']],
    ['müller gr', ['muller gr', 'mueller gr']],
    // no umlaut after a vowel or q, nor as the query's last letters (Zoe, Joe)
    ['bauer', ['bauer']],
    ['feuer', ['feuer']],
    ['queen', ['queen']],
    ['zoe', ['zoe']],
    ['koe', ['koe']],
    // a false hit: a Query that finds nothing
    ['manuel', ['manuel', 'manul']],
    // two places: four spellings; past the cap, the later places as typed (ä ö ü as a o u)
    ['grossmann koenig', ['grossmann koenig', 'grossmann konig', 'großmann koenig', 'großmann konig']],
    [
      'strasse grosse muellerstr',
      [
        'strasse grosse muellerstr',
        'strasse große muellerstr',
        'straße grosse muellerstr',
        'straße große muellerstr',
      ],
    ],
    ['süssmüller', ['sussmuller', 'sußmuller', 'suessmuller', 'sueßmuller']],
    // nothing spelt two ways: itself alone
    ['schmidt', ['schmidt']],
    ['فاطمه', ['فاطمه']],
  ])('%s: %j', (q, expected) => {
    expect(germanQueryVariants(q)).toEqual(expected);
  });

  it.each(['strasse grosse muellerstr', 'süssmüller süssmüller', 'ssssssssssssss'])(
    '%s: at most GERMAN_QUERY_VARIANTS_MAX spellings, none with ä ö ü',
    (q) => {
      const variants = germanQueryVariants(q);
      expect(variants.length).toBeLessThanOrEqual(GERMAN_QUERY_VARIANTS_MAX);
      expect(variants.join('')).not.toMatch(/[äöü]/);
    },
  );
});

describe('foldSearchQuery', () => {
  it.each([
    ['Müller', 'müller'],
    ['MÜLLER', 'müller'],
    ['Mu\u0308ller', 'müller'],
    ['  Zoë   Köhler ', 'zoe köhler'],
    ['Weiß', 'weiß'],
    ['Ärzte Öl Über', 'ärzte öl über'],
    ['Zéd', 'zed'],
    ['فاطمة', 'فاطمه'],
  ])('%s: %s', (typed, folded) => {
    expect(foldSearchQuery(typed)).toBe(folded);
  });
});
