/**
 * Cutting text between graphemes (lambdas/domain/graphemes.ts) makes its Intl.Segmenter on the first cut
 * that segments, not when a module loads: making one loads ICU's break rules, ~6 ms of CPU that every
 * bundle carrying the text helpers paid at each cold start (docs/decisions/0026-lambda-init-budget.md).
 */
import { afterEach, describe, expect, it, vi } from 'vitest';

const Segmenter = Intl.Segmenter;
let made = 0;
/** Intl.Segmenter, counting the instances made */
class CountingSegmenter extends Segmenter {
  constructor(...args: ConstructorParameters<typeof Intl.Segmenter>) {
    super(...args);
    made++;
  }
}

/** Intl, its Segmenter replaceable */
const intl = Intl as { Segmenter: typeof Intl.Segmenter };

afterEach(() => {
  intl.Segmenter = Segmenter;
});

describe('grapheme segmentation at load', () => {
  it('loading the text helpers and the email templates makes no segmenter; the first long cut makes one, once', async () => {
    // Arrange: fresh module instances, the constructor observed
    vi.resetModules();
    made = 0;
    intl.Segmenter = CountingSegmenter;

    // Act: load what every bundle with text loads, then cut
    const { cutText } = await import('../../lambdas/domain/clean-text.ts');
    await import('../../lambdas/domain/email-templates.ts');
    await import('../../lambdas/domain/form-values.ts');
    const atLoad = made;
    const short = cutText('Petra', 100);
    const afterShortCut = made;
    const cuts = [cutText('👩‍🔧👩‍🔧👩‍🔧', 6), cutText('e\u0301e\u0301e\u0301', 3)];

    // Assert
    expect(atLoad).toBe(0);
    expect(short).toBe('Petra');
    expect(afterShortCut).toBe(0);
    expect(cuts).toEqual(['👩‍🔧', 'e\u0301']);
    expect(made).toBe(1);
  });
});
