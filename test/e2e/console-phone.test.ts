/**
 * The console on a rep's phone, in headless Chromium against the whole local runtime: a touch screen 390 px
 * wide, a lead whose name and company are Arabic. What a thumb taps is at least 44 px tall (the nav, sign
 * out, the list's lead links, Clear, every button; links inside a sentence excepted), the lead's phone and
 * email are links that call and write, kept left to right, and the lead's own words keep their own direction
 * in an English page (the name before the company, whatever the script). Screenshots at 390 and 1280 px in
 * test/e2e/__screenshots__/.
 */
import { mkdirSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, shootBothWidths } from '../support/chromium.ts';
import { signIn } from '../support/console.ts';
import { type E2e, exampleLead, MONDAY_0900_BERLIN, startE2e } from '../support/e2e.ts';

const SHOTS = new URL('./__screenshots__/', import.meta.url).pathname;
const PHONE = 390;
const SALMA = {
  ...exampleLead('hot'),
  email: 'salma.haddad@gulf-foods.example',
  firstName: 'سلمى',
  lastName: 'حداد',
  company: 'شركة الخليج للأغذية',
  phone: '+49 30 1234567',
  locale: 'ar',
};

/** what a thumb taps on the page, below 44 px tall or wide: links inside running text are not counted */
const SMALL_TARGETS = `(() => {
  const targets = [...document.querySelectorAll('a, button, summary, select, input:not([type=hidden]):not([type=checkbox])')]
    .filter((el) => !el.closest('p') || el.closest('.actions'));
  return targets
    .map((el) => { const box = el.getBoundingClientRect(); return { what: (el.textContent || el.getAttribute('name') || el.tagName).trim().slice(0, 40), height: Math.round(box.height), width: Math.round(box.width) }; })
    .filter((t) => t.height > 0 && (t.height < 44 || t.width < 44));
})()`;

describe('the console on a phone, in headless Chromium', () => {
  let e2e: E2e | undefined;
  let browser: Browser | undefined;
  let leadId = '';
  let page: Page | undefined;

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    e2e = await startE2e({ time: { manual: MONDAY_0900_BERLIN } });
    expect((await e2e.postLead(SALMA)).status).toBe(202);
    await e2e.settle();
    leadId = e2e.leadIdOf(SALMA.email);
    const ownerId = (await e2e.readLead(leadId)).owner?.id;
    const rep = e2e.sla.routing.reps.find((candidate) => candidate.id === ownerId);
    if (!rep) throw new Error('the lead was not handed to a rep');
    const cookie = await signIn(e2e.runtime, rep.email);
    const [name, value] = [cookie.slice(0, cookie.indexOf('=')), cookie.slice(cookie.indexOf('=') + 1)];
    browser = await launchChromium();
    const context = await browser.newContext({
      viewport: { width: PHONE, height: 844 },
      hasTouch: true,
      isMobile: true,
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
    for (const { width, scrollWidth } of await shootBothWidths(p, `${SHOTS}console-phone-${shot}`)) {
      expect(scrollWidth, `${path} at ${width} px scrolls sideways`).toBeLessThanOrEqual(width);
    }
    await p.setViewportSize({ width: PHONE, height: 844 });
    return p;
  }

  it('every target a thumb taps is at least 44 px, on the overview, the list and the lead', async () => {
    for (const [path, shot] of [
      ['/console', 'overview'],
      ['/console/leads?due=today', 'due-today'],
      [`/console/leads/${leadId}`, 'lead'],
    ] as const) {
      const p = await open(path, shot);
      expect(await p.evaluate(SMALL_TARGETS), `${path}: targets under 44 px`).toEqual([]);
    }
  });

  it("the lead's phone calls and its email writes, both left to right", async () => {
    const p = await open(`/console/leads/${leadId}`, 'lead');
    const phone = p.locator('a[href^="tel:"]');
    expect(await phone.count(), 'a link that calls').toBe(1);
    expect(await phone.getAttribute('href')).toBe('tel:+49301234567');
    expect(await phone.textContent()).toBe('+49 30 1234567');
    expect(await phone.getAttribute('dir')).toBe('ltr');
    const email = p.locator('a[href^="mailto:"]');
    expect(await email.count(), 'a link that writes').toBe(1);
    expect(await email.getAttribute('href')).toBe(`mailto:${SALMA.email}`);
    expect(await email.getAttribute('dir')).toBe('ltr');
  });

  it("the lead's own words keep their direction: the Arabic name reads before the Arabic company", async () => {
    for (const path of [`/console/leads/${leadId}`, '/console/leads']) {
      const p = await open(path, path.endsWith('leads') ? 'list' : 'lead');
      // each of the lead's words is isolated (<bdi>), so the comma between two right-to-left runs does not
      // join them into one run read right to left (the company first)
      const isolated = (await p.evaluate(
        `[...document.querySelectorAll('main bdi')].map((el) => el.textContent)`,
      )) as string[];
      expect(isolated, path).toContain(`${SALMA.firstName} ${SALMA.lastName}`);
      expect(isolated, path).toContain(SALMA.company);
    }
    // as the eye sees it in the heading: the name's box starts left of the company's (LTR page, name first)
    const p = await open(`/console/leads/${leadId}`, 'lead');
    const [name, company] = (await p.evaluate(
      `[...document.querySelectorAll('main h1 bdi')].map((el) => el.getBoundingClientRect().left)`,
    )) as number[];
    expect(name).toBeLessThan(company!);
  });

  it("the fields that correct the lead's words show them in their own direction, the phone left to right", async () => {
    const p = await open(`/console/leads/${leadId}`, 'lead');
    const direction = (id: string) =>
      p.evaluate(`getComputedStyle(document.getElementById(${JSON.stringify(id)})).direction`);
    expect(await direction('c-firstName')).toBe('rtl');
    expect(await direction('c-company')).toBe('rtl');
    expect(await direction('c-phone')).toBe('ltr');
  });

  it("a lead's page takes a thumb to what the rep can do from its first screen", async () => {
    // Arrange
    const p = await open(`/console/leads/${leadId}`, 'lead');
    const jump = p.getByRole('link', { name: 'What you can do' });
    // Act
    const jumpBottom = (await jump.boundingBox())?.y;
    await jump.tap();
    await p.waitForFunction(`document.getElementById('do').getBoundingClientRect().top < 844`);
    // Assert: the link is on the first screen; the actions, ~1,000 px down, are in view after the tap
    expect(jumpBottom, 'the link, px from the top').toBeLessThan(844);
    const top = (await p.evaluate(`document.getElementById('do').getBoundingClientRect().top`)) as number;
    expect(top).toBeGreaterThan(-1); // scrolled to its heading (half a pixel of rounding)
    expect(top).toBeLessThan(844);
  });

  it("a rep's list shows its first lead on the phone's first screen, the filters folded until asked for", async () => {
    const p = await open('/console/leads?due=today', 'list-first-screen');
    const bottom = (await p.evaluate(
      `document.querySelector('.rows tbody tr').getBoundingClientRect().bottom`,
    )) as number;
    expect(bottom, 'the first lead card ends, px from the top').toBeLessThanOrEqual(844);
    // a filter that is set stays in sight (its fold open)
    const filtered = await open('/console/leads?status=new', 'list-filtered');
    expect(await filtered.locator('#f-status').isVisible()).toBe(true);
  });
});
