/**
 * A full name in one form field as a first and a last name (full-name.ts): Arabic two-word given names stay
 * together, however they are typed; Latin names are split as before, first word and the rest.
 */
import { describe, expect, it } from 'vitest';
import { splitFullName } from '../../lambdas/domain/full-name.ts';

describe('splitFullName', () => {
  it.each<[string, string, string, string | undefined]>([
    // Arabic: a word that opens a name takes the next word
    ['عبد and the next word', 'عبد الرحمن القحطاني', 'عبد الرحمن', 'القحطاني'],
    ['عبد الله', 'عبد الله الغامدي', 'عبد الله', 'الغامدي'],
    ['عبد العزيز, a longer last name', 'عبد العزيز بن فهد آل سعود', 'عبد العزيز', 'بن فهد آل سعود'],
    ['عبد with tashkeel', 'عَبْدُ الرَّحْمَن القحطاني', 'عَبْدُ الرَّحْمَن', 'القحطاني'],
    ['عبد stretched with tatweel', 'عبـــد الرحمن القحطاني', 'عبـــد الرحمن', 'القحطاني'],
    ['عبدالله written as one word', 'عبدالله القحطاني', 'عبدالله', 'القحطاني'],
    ['أبو with hamza', 'أبو بكر الصديق', 'أبو بكر', 'الصديق'],
    ['ابو without hamza', 'ابو بكر الصديق', 'ابو بكر', 'الصديق'],
    ['أبو then عبد: a chain', 'أبو عبد الله الشافعي', 'أبو عبد الله', 'الشافعي'],
    ['أم', 'أم كلثوم إبراهيم', 'أم كلثوم', 'إبراهيم'],
    ['ابن opening the name', 'ابن خلدون', 'ابن خلدون', undefined],
    ['the compound name alone', 'عبد الرحمن', 'عبد الرحمن', undefined],
    ['عبد alone', 'عبد', 'عبد', undefined],
    // Arabic: a word that closes a name joins the word before it
    ['الدين', 'نور الدين زنكي', 'نور الدين', 'زنكي'],
    ['الدين with shadda', 'صلاح الدِّين الأيوبي', 'صلاح الدِّين', 'الأيوبي'],
    ['الإسلام with hamza', 'سيف الإسلام القذافي', 'سيف الإسلام', 'القذافي'],
    ['الاسلام without hamza', 'سيف الاسلام القذافي', 'سيف الاسلام', 'القذافي'],
    ['الله', 'فتح الله يوسف', 'فتح الله', 'يوسف'],
    // Arabic: son / daughter of begins the last name; a compound later in the name stays in the last name
    ['بن begins the last name', 'محمد بن سلمان', 'محمد', 'بن سلمان'],
    ['بنت begins the last name', 'فاطمة بنت محمد', 'فاطمة', 'بنت محمد'],
    ['a compound name in the last name', 'محمد عبد الله', 'محمد', 'عبد الله'],
    ['نور الدين in the last name', 'محمد نور الدين', 'محمد', 'نور الدين'],
    ['a plain Arabic name', 'مريم الحسيني', 'مريم', 'الحسيني'],
    // Latin: as before, the first word and the rest
    ['two words', 'Petra Schmidt', 'Petra', 'Schmidt'],
    ['a hyphenated first name', 'Jean-Luc Picard', 'Jean-Luc', 'Picard'],
    ['a two-word first name', 'Ana María de la Cruz', 'Ana', 'María de la Cruz'],
    ['a particle', 'Ludwig van Beethoven', 'Ludwig', 'van Beethoven'],
    ['one word', 'Cher', 'Cher', undefined],
    ['spaces around and between', '  Petra   Schmidt ', 'Petra', 'Schmidt'],
  ])('%s: %s', (_what, fullName, firstName, lastName) => {
    // Act
    const parts = splitFullName(fullName);

    // Assert
    expect(parts).toEqual({ firstName, ...(lastName ? { lastName } : {}) });
  });

  it('gives no name for blank text', () => {
    // Act, Assert
    expect(splitFullName('   ')).toEqual({});
  });
});
