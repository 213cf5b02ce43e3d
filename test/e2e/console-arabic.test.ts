/**
 * The console on an Arabic rep's phone, in headless Chromium against the whole local runtime: the reps read
 * Arabic (their SLA entry's locale), so the console is Arabic, right to left. At 390 px the lead's page does
 * not scroll sideways, every target a thumb taps is at least 44 px, the page's start is on the right (the
 * brand, the headings, the first column), the lead's phone and email stay left to right, and a rep logs an
 * attempt with taps alone and reads the confirmation in Arabic. Screenshots at 390 and 1280 px in
 * test/e2e/__screenshots__/ (console-arabic-*), beside the English ones of console-phone.test.ts.
 */
import { mkdirSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Sla } from '../../lambdas/domain/sla-schema.ts';
import { launchChromium, shootBothWidths } from '../support/chromium.ts';
import { signIn } from '../support/console.ts';
import { type E2e, exampleLead, MONDAY_0900_BERLIN, startE2e } from '../support/e2e.ts';
import { loadDefaultSla } from '../support/sla.ts';

const SHOTS = new URL('./__screenshots__/', import.meta.url).pathname;
const PHONE = 390;
const PETRA = {
  ...exampleLead('hot'),
  email: 'petra.schneider@example-plant.example',
  phone: '+49 30 1234567',
};

/** Every rep and manager reads Arabic: whoever the lead goes to, and their manager. */
function arabicReps(): Sla {
  const sla = loadDefaultSla();
  return {
    ...sla,
    routing: {
      ...sla.routing,
      reps: sla.routing.reps.map((rep) => ({ ...rep, locale: 'ar' })),
      managers: sla.routing.managers.map((manager) => ({ ...manager, locale: 'ar' })),
    },
  };
}

/** what a thumb taps on the page, below 44 px tall or wide: links inside running text are not counted */
const SMALL_TARGETS = `(() => {
  const targets = [...document.querySelectorAll('a, button, summary, select, input:not([type=hidden]):not([type=checkbox])')]
    .filter((el) => !el.closest('p') || el.closest('.actions'));
  return targets
    .map((el) => { const box = el.getBoundingClientRect(); return { what: (el.textContent || el.getAttribute('name') || el.tagName).trim().slice(0, 40), height: Math.round(box.height), width: Math.round(box.width) }; })
    .filter((t) => t.height > 0 && (t.height < 44 || t.width < 44));
})()`;

/** boxes that reach past the viewport's left or right edge (an overflow a right-to-left page hides to the left) */
const OUTSIDE = `(() => [...document.querySelectorAll('main *, header *')]
  .filter((el) => !el.closest('.scroll') && !el.closest('.skip'))
  .map((el) => ({ el, box: el.getBoundingClientRect() }))
  .filter(({ box }) => box.width > 0 && (box.left < -1 || box.right > innerWidth + 1))
  .map(({ el, box }) => el.tagName + '.' + el.className + ' ' + Math.round(box.left) + '..' + Math.round(box.right)))()`;

describe('the console on an Arabic rep’s phone, in headless Chromium', () => {
  let e2e: E2e | undefined;
  let browser: Browser | undefined;
  let leadId = '';
  let page: Page | undefined;
  let managerCookie = '';
  let repCookie = '';

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    e2e = await startE2e({ sla: arabicReps(), time: { manual: MONDAY_0900_BERLIN } });
    expect((await e2e.postLead(PETRA)).status).toBe(202);
    await e2e.settle();
    leadId = e2e.leadIdOf(PETRA.email);
    const ownerId = (await e2e.readLead(leadId)).owner?.id;
    const rep = e2e.sla.routing.reps.find((candidate) => candidate.id === ownerId);
    if (!rep) throw new Error('the lead was not handed to a rep');
    const cookie = await signIn(e2e.runtime, rep.email);
    managerCookie = await signIn(
      e2e.runtime,
      e2e.sla.routing.managers.find((manager) => manager.id === rep.manager)!.email,
    );
    const [name, value] = [cookie.slice(0, cookie.indexOf('=')), cookie.slice(cookie.indexOf('=') + 1)];
    repCookie = value;
    browser = await launchChromium();
    const context = await browser.newContext({
      viewport: { width: PHONE, height: 844 },
      hasTouch: true,
      isMobile: true,
      locale: 'ar',
    });
    await context.addCookies([{ name, value, url: e2e.url }]);
    page = await context.newPage();
  });

  afterAll(async () => {
    await browser?.close();
    await e2e?.close();
  });

  async function open(path: string, shot: string): Promise<Page> {
    const p = page!;
    await p.setViewportSize({ width: PHONE, height: 844 });
    expect((await p.goto(`${e2e!.url}${path}`))?.status()).toBe(200);
    expect(await p.locator('form.who').count(), `${path}: signed in`).toBe(1);
    for (const { width, scrollWidth } of await shootBothWidths(p, `${SHOTS}console-arabic-${shot}`)) {
      expect(scrollWidth, `${path} at ${width} px scrolls sideways`).toBeLessThanOrEqual(width);
    }
    await p.setViewportSize({ width: PHONE, height: 844 });
    return p;
  }

  it('the lead’s page at 390 px: right to left, nothing past either edge, every target at least 44 px', async () => {
    // Act
    const p = await open(`/console/leads/${leadId}`, 'lead');

    // Assert
    expect(await p.evaluate('[document.documentElement.lang, document.documentElement.dir]')).toEqual([
      'ar',
      'rtl',
    ]);
    expect(await p.evaluate(OUTSIDE), 'boxes past an edge').toEqual([]);
    expect(await p.evaluate(SMALL_TARGETS), 'targets under 44 px').toEqual([]);
    // the page starts on the right: the heading and the facts' labels hug the right edge
    const [h1Right, dtRight, mainRight] = (await p.evaluate(
      `[document.querySelector('main h1').getBoundingClientRect().right, document.querySelector('.facts dt').getBoundingClientRect().right, document.querySelector('main').getBoundingClientRect().right]`,
    )) as number[];
    expect(mainRight! - h1Right!, 'the heading starts at the right').toBeLessThan(30);
    expect(mainRight! - dtRight!, 'the labels start at the right').toBeLessThan(40);
    // the phone and the email stay left to right, in the right-to-left page
    const direction = (selector: string) =>
      p.evaluate(`getComputedStyle(document.querySelector(${JSON.stringify(selector)})).direction`);
    expect(await direction('a[href^="tel:"]')).toBe('ltr');
    expect(await direction('a[href^="mailto:"]')).toBe('ltr');
  });

  it('a rep logs an attempt with taps alone and reads the confirmation in Arabic', async () => {
    // Arrange
    const p = await open(`/console/leads/${leadId}`, 'lead');
    await p.getByRole('link', { name: 'ما يمكنك فعله' }).tap();
    await p.waitForFunction(`document.getElementById('do').getBoundingClientRect().top < 844`);

    // Act
    await p.selectOption('#a-outcome', 'no-answer');
    await Promise.all([
      p.waitForURL(/done=attempt/),
      p.getByRole('button', { name: 'تسجيل المحاولة' }).tap(),
    ]);

    // Assert
    expect(await p.locator('.notice.success').textContent()).toBe('سُجّلت المحاولة.');
    expect(await p.locator('table').first().textContent()).toContain('لا رد');
    for (const { width, scrollWidth } of await shootBothWidths(p, `${SHOTS}console-arabic-lead-done`))
      expect(scrollWidth, `the confirmed page at ${width} px scrolls sideways`).toBeLessThanOrEqual(width);
  });

  it('the manager’s overview and report at 390 px: right to left, the funnel mirrored, nothing past either edge', async () => {
    // Arrange: the manager's session in the same browser
    const [name, value] = [
      managerCookie.slice(0, managerCookie.indexOf('=')),
      managerCookie.slice(managerCookie.indexOf('=') + 1),
    ];
    await page!.context().addCookies([{ name, value, url: e2e!.url }]);
    try {
      for (const [path, shot] of [
        ['/console', 'manager-overview'],
        ['/console/reports?period=30d', 'manager-report'],
      ] as const) {
        // Act
        const p = await open(path, shot);

        // Assert
        expect(await p.evaluate('document.documentElement.dir'), path).toBe('rtl');
        expect(await p.evaluate(OUTSIDE), `${path}: boxes past an edge`).toEqual([]);
        expect(await p.evaluate(SMALL_TARGETS), `${path}: targets under 44 px`).toEqual([]);
        // the funnel's labels start at the chart's right edge (its bars grow leftwards)
        const [label, chart] = (await p.evaluate(
          `[document.querySelector('#funnel ~ .chart svg text').getBoundingClientRect().right, document.querySelector('#funnel ~ .chart svg').getBoundingClientRect().right]`,
        )) as number[];
        expect(chart! - label!, `${path}: the funnel's first label starts at the right`).toBeLessThan(4);
      }
    } finally {
      // the rep's session again, for the tests after this one
      await page!.context().addCookies([{ name, value: repCookie, url: e2e!.url }]);
    }
  });

  it('an error page (a lead that is not there) is Arabic too, its way back a 44 px button', async () => {
    // Act
    const p = page!;
    await p.setViewportSize({ width: PHONE, height: 844 });
    const answer = await p.goto(`${e2e!.url}/console/leads/AAAAAAAAAAAAAAAAAAAAAA`);

    // Assert
    expect(answer?.status()).toBe(404);
    expect(await p.evaluate('document.documentElement.dir')).toBe('rtl');
    expect(await p.locator('h1').textContent()).toBe('غير موجود');
    expect(await p.evaluate(SMALL_TARGETS), 'targets under 44 px').toEqual([]);
    for (const { width, scrollWidth } of await shootBothWidths(p, `${SHOTS}console-arabic-not-found`))
      expect(scrollWidth, `the error page at ${width} px scrolls sideways`).toBeLessThanOrEqual(width);
  });

  it('the overview, the list and the SLA at 390 px: right to left, nothing past either edge, 44 px targets', async () => {
    for (const [path, shot] of [
      ['/console', 'overview'],
      ['/console/leads', 'list'],
      ['/console/leads?due=today&status=attempting-contact', 'list-filtered'],
      ['/console/sla', 'sla'],
    ] as const) {
      const p = await open(path, shot);
      expect(await p.evaluate('document.documentElement.dir'), path).toBe('rtl');
      expect(await p.evaluate(OUTSIDE), `${path}: boxes past an edge`).toEqual([]);
      expect(await p.evaluate(SMALL_TARGETS), `${path}: targets under 44 px`).toEqual([]);
    }
  });
});
