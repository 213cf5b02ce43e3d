/**
 * The console's focus rings can be seen (an accessibility review, WCAG 1.4.11 non-text contrast): each ring is at
 * least 3:1 against every background it is drawn on (it stands 2 px off its control, on the page, a card or the
 * top bar). The orange ring before was 2.35:1 on a card and 2.13:1 on the page.
 */
import { describe, expect, it } from 'vitest';
import { CONSOLE_CSS } from '../../lambdas/api/console/style.ts';

/** WCAG's relative luminance of #rrggbb */
function luminance(hex: string): number {
  const [r, g, b] = [1, 3, 5].map((at) => {
    const c = Number.parseInt(hex.slice(at, at + 2), 16) / 255;
    return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
}
const contrast = (a: string, b: string) => {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi! + 0.05) / (lo! + 0.05);
};
const colorOf = (pattern: RegExp) => pattern.exec(CONSOLE_CSS)?.[1] ?? 'none';

describe('focus rings against what they sit on', () => {
  const ring = colorOf(/a:focus-visible[^{]*\{outline:3px solid (#[0-9a-f]{6})/);
  const topRing = colorOf(/\.top :focus-visible[^{]*\{outline-color:(#[0-9a-f]{6})/);
  // the skip link shows over the top bar: its ring is drawn on the bar
  const skipRing = colorOf(/\.skip:focus-visible[^{]*\{outline-color:(#[0-9a-f]{6})/);
  const page = colorOf(/body\{[^}]*background:(#[0-9a-f]{6})/);
  const topBar = colorOf(/\.top\{[^}]*background:(#[0-9a-f]{6})/);

  it.each([
    ['the page', () => ring, () => page],
    ['a card (white)', () => ring, () => '#ffffff'],
    ['the top bar', () => topRing, () => topBar],
    ['the top bar, under the skip link', () => skipRing, () => topBar],
  ])('on %s: at least 3:1', (_, ringColor, background) => {
    expect(contrast(ringColor(), background())).toBeGreaterThanOrEqual(3);
  });
});
