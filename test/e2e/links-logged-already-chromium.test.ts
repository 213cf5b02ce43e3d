/**
 * The one-click links' "Logged already?" page (actions.ts requireNotLoggedAlready, ADR 0074 amended) as headless
 * Chromium shows it, worded by the channel of the attempt it asks about (ADR 0087, amended): a rep who pressed
 * "No answer" in an "Email attempt due" email and then the same link of another email was asked "Was it another
 * call? ... the same call?", in English, German and Arabic alike. Now the page asks by the channel the link logs or
 * the attempt logged had ("Did you write again? ... the same email?"), by neither when they disagree (an attempt).
 *
 * Wiring as pages-in-chromium.test.ts: a second API server with an action secret on the runtime's deps, links
 * signed as the emails sign them. Jonas reads English, Mats German, Lena Arabic. Screenshots at 390 and 1280 px
 * land in test-results/pages/ for a person to look at.
 */
import { mkdirSync } from 'node:fs';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { handoverOf, signActionToken } from '../../lambdas/domain/action-links.ts';
import type { Channel } from '../../lambdas/domain/cadence.ts';
import type { Sla } from '../../lambdas/domain/sla-schema.ts';
import { type RunningServer, startApiServer } from '../../local/http-server.ts';
import { launchChromium } from '../support/chromium.ts';
import { ADMIN_TOKEN, useLocalApi } from '../support/local-api.ts';
import { loadDefaultSla } from '../support/sla.ts';

const SECRET = 'logged-already-secret-8b3f1e6a0c';
const SHOTS = 'test-results/pages';
const PHONE = 390;
const DESKTOP = 1280;

/** the worked example, German supported too; Mats reads German, Lena Arabic */
function sla(): Sla {
  const base = loadDefaultSla();
  const locales: Readonly<Record<string, string>> = { mats: 'de', lena: 'ar' };
  return {
    ...base,
    // German beside the worked example's English and Arabic: the links' pages ship it
    locales: { ...base.locales, supported: [...base.locales.supported, 'de'] },
    routing: {
      ...base.routing,
      reps: base.routing.reps.map((rep) => (locales[rep.id] ? { ...rep, locale: locales[rep.id] } : rep)),
    },
  };
}

const READER = {
  en: { rep: 'jonas', lead: { firstName: 'Petra', lastName: 'Schneider', company: 'Brauhaus Werke' } },
  de: {
    rep: 'mats',
    lead: { firstName: 'Jürgen', lastName: 'Bauer', company: 'Bauer Maschinenbau', locale: 'de' },
  },
  ar: {
    rep: 'lena',
    lead: { firstName: 'سلمى', lastName: 'حداد', company: 'شركة الخليج للأغذية', locale: 'ar' },
  },
} as const;

const SQL = {
  jobTitle: 'Plant Manager',
  industry: 'manufacturing',
  employees: 800,
  country: 'DE',
  formId: 'demo-request',
  marketingConsent: true,
};

/** a call named: English "call", German Anruf/Telefonat, Arabic مكالمة, اتصل or اتصالات */
const CALL_WORDS = { en: /\bcall/i, de: /anruf|telefon/i, ar: /مكالم|اتصل|اتصالات/ } as const;

describe('"Logged already?" of a one-click link, worded by the channel, in headless Chromium', () => {
  const api = useLocalApi({ sla: sla(), port: 4730 });
  let server: RunningServer;
  let browser: Browser;
  let nonces = 0;

  beforeAll(async () => {
    server = await startApiServer({
      deps: { ...api.runtime.deps, actionSecret: SECRET },
      adminToken: ADMIN_TOKEN,
      port: 4731,
      rateLimit: { perMinute: 1_000_000, burst: 1_000_000 },
    });
    browser = await launchChromium();
    mkdirSync(SHOTS, { recursive: true });
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  /** a "No answer" link of an email whose cadence step is by `channel` (none: a manager's email, naming none) */
  async function noAnswerLink(leadId: string, channel: Channel | undefined): Promise<string> {
    const stored = await api.runtime.deps.store.getLead(leadId);
    const handover = stored && handoverOf(stored);
    return signActionToken(
      {
        leadId,
        cycle: 1,
        action: 'outcome',
        value: 'no-answer',
        nonce: `l${++nonces}`,
        exp: Math.floor(api.clock.now().getTime() / 1000) + 3600,
        ...(handover ? { handover } : {}),
        ...(channel ? { channel } : {}),
      },
      SECRET,
    );
  }

  it.each([
    {
      language: 'en' as const,
      logged: 'email' as const,
      pressed: 'email' as const,
      title: 'Logged already?',
      asks: ['Did you write again?', 'Was it the same email?'],
    },
    {
      language: 'de' as const,
      logged: 'email' as const,
      pressed: 'email' as const,
      title: 'Schon erfasst?',
      asks: ['Haben Sie noch eine E-Mail geschrieben?', 'War es dieselbe E-Mail?'],
    },
    {
      language: 'ar' as const,
      logged: 'email' as const,
      pressed: 'email' as const,
      title: 'سُجّلت من قبل؟',
      asks: ['هل كتبت رسالة بريد إلكتروني أخرى؟', 'أم هي رسالة البريد الإلكتروني نفسها؟'],
    },
    {
      language: 'en' as const,
      logged: 'linkedin' as const,
      pressed: undefined,
      title: 'Logged already?',
      asks: ['Did you send another LinkedIn message?', 'Was it the same LinkedIn message?'],
    },
    {
      language: 'en' as const,
      logged: 'phone' as const,
      pressed: 'sms' as const,
      title: 'Logged already?',
      asks: ['Did you try again?', 'Was it the same attempt?'],
    },
  ])(
    '$language: "No answer" logged by a $logged link, then pressed in another email (step by $pressed): $asks.0',
    async ({ language, logged, pressed, title, asks }) => {
      // Arrange: the lead with the reader; one email's "No answer" pressed (logged); another email's link
      const leadId = await api.createLead({
        email: api.uniqueEmail(`asked-${language}`),
        ...SQL,
        ...READER[language].lead,
      });
      await api.handOff(leadId, READER[language].rep);
      const first = await noAnswerLink(leadId, logged);
      expect((await fetch(`${server.url}/actions/${first}`, { method: 'POST' })).status).toBe(200);
      const second = await noAnswerLink(leadId, pressed);
      const page = await browser.newPage();

      // Act: open the second link, press its button, as a rep does
      await page.goto(`${server.url}/actions/${second}`);
      const [answer] = await Promise.all([page.waitForNavigation(), page.locator('button').click()]);
      const shot = `action-logged-already-${language}-${logged}-${pressed ?? 'none'}`;
      await page.setViewportSize({ width: DESKTOP, height: 800 });
      await page.screenshot({ path: `${SHOTS}/${shot}-${DESKTOP}.png`, fullPage: true });
      await page.setViewportSize({ width: PHONE, height: 800 });
      await page.screenshot({ path: `${SHOTS}/${shot}-${PHONE}.png`, fullPage: true });
      const seen = (await page.evaluate(`({
        scrollWidth: Math.max(document.documentElement.scrollWidth, document.body.scrollWidth),
        lang: document.documentElement.getAttribute('lang'),
        title: document.querySelector('h1').innerText,
        text: document.body.innerText.replace(/[\\u2068\\u2069]/g, ''),
      })`)) as { scrollWidth: number; lang: string; title: string; text: string };
      await page.close();

      // Assert: asked, not logged; the question names the channel, never a call for another channel
      expect(answer?.status()).toBe(409);
      expect(seen).toMatchObject({ lang: language, title });
      for (const words of asks) expect(seen.text).toContain(words);
      if (logged !== 'phone') expect(seen.text).not.toMatch(CALL_WORDS[language]);
      expect(seen.scrollWidth).toBeLessThanOrEqual(PHONE);
      expect((await api.runtime.deps.store.listAttempts(leadId)).length).toBe(1);
    },
  );
});
