/**
 * The console's reasons (the lead page's "why it scores this way" and its story) are the workflow's English
 * sentences, and they quote the SLA's and the lead's words: an Arabic job title, Arabic industry keywords. Drawn
 * in Chromium, the quote marks, brackets and the "(+2)" after an Arabic quote stay where the sentence put them
 * (an Arabic-first team's trial saw `"مدير إدارة تقنية (+2) "المعلومات`: a number after Arabic letters takes
 * their direction, and so do the marks between).
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ltrWithRtlRuns } from '../../lambdas/api/console/html.ts';
import { launchChromium, offlinePage } from '../support/chromium.ts';

let browser: Browser;
beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
});

type Box = { left: number; right: number };

/** Where each of `parts` (in the order given, each found after the one before) is drawn in the reason line. */
async function drawn(reason: string, parts: readonly string[]): Promise<Box[]> {
  const page = await offlinePage(browser);
  await page.setContent(
    `<!doctype html><html lang="ar" dir="rtl"><body><ul><li id="r" lang="en" dir="ltr" style="white-space:nowrap">${ltrWithRtlRuns(reason)}</li></ul></body></html>`,
  );
  const boxes = (await page.evaluate(
    `((parts) => {
      const li = document.getElementById('r');
      const walker = document.createTreeWalker(li, NodeFilter.SHOW_TEXT);
      const nodes = [];
      let text = '';
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        nodes.push({ node, from: text.length });
        text += node.textContent;
      }
      const at = (offset) => {
        const hit = nodes.findLast((n) => n.from <= offset);
        return [hit.node, offset - hit.from];
      };
      let after = 0;
      return parts.map((part) => {
        const start = text.indexOf(part, after);
        after = start + part.length;
        const range = document.createRange();
        range.setStart(...at(start));
        range.setEnd(...at(start + part.length - 1));
        range.setEnd(range.endContainer, range.endOffset + 1);
        const rect = range.getBoundingClientRect();
        return { left: rect.left, right: rect.right };
      });
    })(${JSON.stringify(parts)})`,
  )) as Box[];
  await page.close();
  return boxes;
}

describe('a reason quoting Arabic words, on an Arabic console page', () => {
  it.each([
    {
      name: 'a job title, then its points',
      reason: 'job title has "مدير إدارة تقنية المعلومات" (+2)',
      parts: ['has', '"', 'مدير إدارة تقنية المعلومات', '"', '(+2)'],
    },
    {
      name: 'a list of keywords, Latin and Arabic, then the weight',
      reason: 'industry in [manufacturing, energy, صناعة, طاقة] (weight 30 of 100)',
      parts: ['energy', 'صناعة', 'طاقة', ']', '(weight'],
    },
  ])('$name: each part left to right, as the sentence has them', async ({ reason, parts }) => {
    // Act
    const boxes = await drawn(reason, parts);

    // Assert: every part starts at or after the end of the one before it (1 px of rounding)
    for (let i = 1; i < boxes.length; i++)
      expect(
        boxes[i]!.left,
        `${parts[i - 1]} then ${parts[i]}: ${JSON.stringify(boxes)}`,
      ).toBeGreaterThanOrEqual(boxes[i - 1]!.right - 1);
  });
});
