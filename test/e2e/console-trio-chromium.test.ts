/**
 * The three pages ADR 0058 changed, in headless Chromium at 390 and 1280 px, in English and in Arabic: ops'
 * search cut at its cap (the notice above the list), a manager's overview with a former owner's lead due
 * today (its group, caption and note), and the 404 page of a browser that reads Arabic. Nothing scrolls
 * sideways, the notice and the note lie inside the viewport, the page is right to left in Arabic.
 * Screenshots in test/e2e/__screenshots__/ (console-trio-*).
 */
import { mkdirSync } from 'node:fs';
import { BatchWriteCommand, DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { leadItem } from '../../lambdas/adapters/lead-item.ts';
import type { Sla } from '../../lambdas/domain/sla-schema.ts';
import { SEARCH_MATCH_CAP } from '../../lambdas/ports/lead-queries.ts';
import { LOCAL_TABLE } from '../../local/runtime.ts';
import { launchChromium, shootBothWidths } from '../support/chromium.ts';
import { signIn } from '../support/console.ts';
import { leadState } from '../support/lead-state.ts';
import { type LocalApi, MINUTE, SQL_LEAD, T0, useLocalApi } from '../support/local-api.ts';
import { loadDefaultSla } from '../support/sla.ts';

const SHOTS = new URL('./__screenshots__/', import.meta.url).pathname;
const PRIYA = 'priya.shah@kessler-industrial.example'; // ops
const KATRIN = 'katrin.vogel@kessler-industrial.example'; // manager of Jonas (and Mats, before)

/** Mats left (Jonas his successor); Katrin and Priya read `locale` */
function slaFor(locale: 'en' | 'ar'): Sla {
  const sla = loadDefaultSla();
  return {
    ...sla,
    routing: {
      ...sla.routing,
      reps: sla.routing.reps.filter((rep) => rep.id !== 'mats'),
      queues: sla.routing.queues.map((queue) => ({ ...queue, reps: queue.reps.filter((r) => r !== 'mats') })),
      accounts: sla.routing.accounts.filter((account) => account.owner !== 'mats'),
      managers: sla.routing.managers.map((m) =>
        m.id === 'priya' || m.id === 'katrin' ? { ...m, locale } : m,
      ),
    },
    migrations: { ...sla.migrations, reps: { mats: 'jonas' } },
  };
}

/** more "Acme" leads than a search index reads, and one lead still Mats's, due today */
async function arrange(api: LocalApi): Promise<void> {
  const doc = DynamoDBDocumentClient.from(api.runtime.dynamoDb);
  const leads = Array.from({ length: SEARCH_MATCH_CAP + 5 }, (_, n) =>
    leadState({
      leadId: `Acme${String(n).padStart(18, '0')}`,
      email: `buyer${n}@acme-${n}.example`,
      fields: { firstName: 'Petra', lastName: `Buyer${n}`, company: `Acme Industrial Components ${n}` },
      stage: 'sql',
      status: 'new',
      ownerId: 'jonas',
      handedOffAt: '2026-11-26T09:00:00.000Z',
      createdAt: new Date(Date.parse('2026-11-26T09:00:00.000Z') + n * 1000).toISOString(),
      updatedAt: new Date(Date.parse('2026-11-26T09:00:00.000Z') + n * 1000).toISOString(),
    }),
  );
  for (let i = 0; i < leads.length; i += 25)
    await doc.send(
      new BatchWriteCommand({
        RequestItems: {
          [LOCAL_TABLE]: leads.slice(i, i + 25).map((lead) => ({ PutRequest: { Item: leadItem(lead) } })),
        },
      }),
    );
  const orphan = await api.createLead({
    email: api.uniqueEmail('orphan'),
    firstName: 'Ingrid',
    lastName: 'Sandvik-Haugland',
    company: 'Nordfjord Maskinverksted AS',
    ...SQL_LEAD,
  });
  await api.handOff(orphan, 'mats');
}

for (const locale of ['en', 'ar'] as const) {
  describe(`the changed console pages in Chromium (${locale})`, () => {
    const api = useLocalApi({ sla: slaFor(locale), eventsOff: true });
    let browser: Browser | undefined;
    const cookies: Record<string, string> = {};

    beforeAll(async () => {
      mkdirSync(SHOTS, { recursive: true });
      await arrange(api);
      cookies.priya = await signIn(api.runtime, PRIYA);
      api.clock.set(new Date(T0.getTime() + 2 * MINUTE));
      cookies.katrin = await signIn(api.runtime, KATRIN);
      browser = await launchChromium();
    });

    afterAll(async () => {
      await browser?.close();
    });

    /** the page at both widths (screenshots), nothing sideways; `selector`'s box inside the viewport at each */
    async function look(
      cookie: string | undefined,
      path: string,
      shot: string,
      selector: string,
      status = 200,
    ) {
      const context = await browser!.newContext({ locale: locale === 'ar' ? 'ar-SA' : 'en-GB' });
      if (cookie) {
        const at = cookie.indexOf('=');
        await context.addCookies([{ name: cookie.slice(0, at), value: cookie.slice(at + 1), url: api.url }]);
      }
      const page = await context.newPage();
      expect((await page.goto(`${api.url}${path}`))?.status()).toBe(status);
      expect(await page.evaluate('[document.documentElement.lang, document.documentElement.dir]')).toEqual(
        locale === 'ar' ? ['ar', 'rtl'] : ['en', 'ltr'],
      );
      expect(await page.locator(selector).count(), `${shot}: ${selector}`).toBeGreaterThan(0);
      for (const { width, scrollWidth } of await shootBothWidths(
        page,
        `${SHOTS}console-trio-${locale}-${shot}`,
      )) {
        expect(scrollWidth, `${shot} at ${width} px scrolls sideways`).toBeLessThanOrEqual(width);
        await page.setViewportSize({ width, height: 900 });
        const box = (await page.evaluate(
          `(() => { const b = document.querySelector(${JSON.stringify(selector)}).getBoundingClientRect(); return [b.left, b.right]; })()`,
        )) as [number, number];
        expect(box[0], `${shot} at ${width} px: ${selector} past the left edge`).toBeGreaterThanOrEqual(0);
        expect(box[1], `${shot} at ${width} px: ${selector} past the right edge`).toBeLessThanOrEqual(width);
      }
      const text = ((await page.locator(selector).first().textContent()) ?? '').trim();
      await context.close();
      return text;
    }

    it('ops’ search cut at its cap: the notice above the list', async () => {
      const said = await look(cookies.priya, '/console/leads?q=acme', 'search-cut', 'main p.notice.info');
      expect(said).toMatch(locale === 'ar' ? /ضيّق بحثك/ : /Narrow your search/);
    });

    it('a manager’s overview: the former owner’s lead due today, with the note on reassigning', async () => {
      const said = await look(
        cookies.katrin,
        '/console',
        'former-owner',
        'section[aria-labelledby="today"] p.hint',
      );
      expect(said).toMatch(locale === 'ar' ? /جوناس|Jonas/ : /Jonas Berger/);
    });

    it('the 404 page of a browser that reads the language, signed out', async () => {
      const said = await look(undefined, '/console/nothing-here', 'not-found', 'main p.notice.problem', 404);
      expect(said).toMatch(locale === 'ar' ? /لا توجد صفحة/ : /There is no page/);
    });
  });
}
