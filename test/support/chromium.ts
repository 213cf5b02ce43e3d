/**
 * Headless Chromium for tests that look at pages and emails as a person would: the Debian package
 * (/usr/bin/chromium) driven by playwright-core. Without it a test fails and says how to install it.
 */
import { existsSync } from 'node:fs';
import { type Browser, chromium, type Page } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';

export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `Chromium is not installed (${CHROMIUM} is missing). Install it with: ` +
        'apt-get update && apt-get install -y chromium',
    );
  }
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-quic',
    ],
  });
}

/** How an HTML document lays out at a viewport width: its scroll width and root lang/dir. */
export interface Layout {
  readonly scrollWidth: number;
  readonly lang: string | null;
  readonly dir: string | null;
  readonly text: string;
}

/** A page for setContent that loads nothing from the network (an email's links stay unfollowed). */
export async function offlinePage(browser: Browser): Promise<Page> {
  const page = await browser.newPage();
  await page.route('**/*', (route) => route.abort());
  return page;
}

/** Renders `html` at `width` px in `page`, optionally saves a full-page screenshot, and measures it. */
export async function layoutAt(
  page: Page,
  html: string,
  width: number,
  screenshot?: string,
): Promise<Layout> {
  await page.setViewportSize({ width, height: 800 });
  await page.setContent(html, { waitUntil: 'load' });
  if (screenshot) await page.screenshot({ path: screenshot, fullPage: true });
  // a string, evaluated in the page: this project's TypeScript has no DOM types
  return (await page.evaluate(`({
      scrollWidth: Math.max(document.documentElement.scrollWidth, document.body.scrollWidth),
      lang: document.documentElement.getAttribute('lang'),
      dir: document.documentElement.getAttribute('dir'),
      text: document.body.innerText,
    })`)) as Layout;
}

/**
 * The page as it is, at 390 px (a phone) and 1280 px: full-page screenshots `<prefix>-390.png` and
 * `<prefix>-1280.png` (and, at 390, `<prefix>-390-top.png`, what a phone shows first), and each width's
 * scroll width (at most the width: nothing scrolls sideways). Leaves the page at 1280 px.
 */
export async function shootBothWidths(
  page: Page,
  prefix: string,
): Promise<{ width: number; scrollWidth: number; hiddenSideways: string[] }[]> {
  const out: { width: number; scrollWidth: number; hiddenSideways: string[] }[] = [];
  for (const width of [390, 1280]) {
    await page.setViewportSize({ width, height: 900 });
    const scrollWidth = (await page.evaluate(
      'Math.max(document.documentElement.scrollWidth, document.body.scrollWidth)',
    )) as number;
    // boxes that scroll sideways inside the page (a table wider than the screen): what they are labelled
    const hiddenSideways = (await page.evaluate(
      "[...document.querySelectorAll('.scroll')].filter((box) => box.scrollWidth > box.clientWidth + 1).map((box) => box.getAttribute('aria-label') ?? '')",
    )) as string[];
    out.push({ width, scrollWidth, hiddenSideways });
    await page.screenshot({ path: `${prefix}-${width}.png`, fullPage: true });
    if (width === 390) await page.screenshot({ path: `${prefix}-390-top.png` });
  }
  await page.setViewportSize({ width: 1280, height: 900 });
  return out;
}
