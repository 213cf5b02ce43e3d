/**
 * Where a word begins and ends, in any script, for regular expressions: a letter or digit of any script
 * continues a word ("\b" only knows ASCII, so it would split "مدير" or "Geschäftsführer").
 */

/** Not after a letter or digit: the place where a word begins. */
export const WORD_START = '(?<![\\p{L}\\p{N}])';

/** Not before a letter or digit: the place where a word ends. */
export const WORD_END = '(?![\\p{L}\\p{N}])';
