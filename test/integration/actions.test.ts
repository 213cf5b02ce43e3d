/**
 * The links in emails through the real local HTTP server, store and handlers: GET /actions/{token}
 * and GET /unsubscribe/{token} only show a confirmation page; POST acts, once. Tampered, expired,
 * out-of-date and used links change nothing. A link acts only in the handover it was sent in: after a
 * reassignment, a recycle, a second handoff, a won, lost or disqualified lead, GET and POST answer 410
 * with a page saying what happened (by the SLA's names) and no button.
 *
 * Wiring: startLocalRuntime (through useLocalApi) does not take an action secret yet, so this file starts a
 * second API server on the runtime's own deps (same store, clock and recorded workflow) with one added.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TIMELINE_TAIL_MAX } from '../../lambdas/adapters/dynamodb-lead-store.ts';
import {
  type ActionKind,
  type ActionPayload,
  type Handover,
  handoverOf,
  linkExpiry,
  signActionToken,
} from '../../lambdas/domain/action-links.ts';
import { escapeHtml, formatFullTime } from '../../lambdas/domain/email-templates.ts';
import { withTimeline } from '../../lambdas/domain/lead-state.ts';
import { updateLead } from '../../lambdas/ports/lead-store.ts';
import type { RunningServer } from '../../local/http-server.ts';
import { startApiServer } from '../../local/http-server.ts';
import { ADMIN_TOKEN, MINUTE, useLocalApi } from '../support/local-api.ts';

const SECRET = 'actions-test-secret-8d1f0c2b9e';

/** an SQL at once: a demo request from a plant manager at an ideal plant */
const SQL_LEAD = {
  firstName: 'Petra',
  lastName: 'Schneider',
  company: 'Brauhaus Werke',
  jobTitle: 'Plant Manager',
  industry: 'manufacturing',
  employees: 800,
  country: 'DE',
  formId: 'demo-request',
  marketingConsent: true,
};

interface Page {
  readonly status: number;
  readonly headers: Headers;
  readonly text: string;
}

describe('action and unsubscribe links', () => {
  const api = useLocalApi();
  let server: RunningServer;
  let nonces = 0;
  /** the handover each lead was handed off in: links are bound to it unless a test says otherwise */
  const handovers = new Map<string, Handover>();

  beforeAll(async () => {
    server = await startApiServer({
      deps: { ...api.runtime.deps, actionSecret: SECRET },
      adminToken: ADMIN_TOKEN,
      port: 0,
      rateLimit: { perMinute: 1_000_000, burst: 1_000_000 },
    });
  });

  afterAll(async () => {
    await server?.close();
  });

  async function page(method: 'GET' | 'POST', path: string, init: RequestInit = {}, base = server.url) {
    const response = await fetch(base + path, { method, redirect: 'manual', ...init });
    // the text as read: without the invisible isolates around the lead's name and company (their own test)
    const text = (await response.text()).replace(/[\u2068\u2069]/g, '');
    return { status: response.status, headers: response.headers, text } as Page;
  }

  /** a link as an email to the lead's owner carries it: bound to its handover (pass `handover: undefined` for a legacy link) */
  function token(leadId: string, action: ActionKind, value: string, over: Partial<ActionPayload> = {}) {
    const handover = 'handover' in over ? over.handover : handovers.get(leadId);
    return signActionToken(
      {
        leadId,
        cycle: 1,
        action,
        value,
        nonce: `n${++nonces}`,
        exp: Math.floor(api.clock.now().getTime() / 1000) + 3600,
        ...over,
        ...(handover ? { handover } : {}),
      },
      SECRET,
    );
  }

  const nonceOf = (t: string) =>
    (JSON.parse(Buffer.from(t.split('.')[0]!, 'base64url').toString('utf8')) as { n: string }).n;

  async function handedOffLead(ownerId = 'jonas'): Promise<string> {
    const leadId = await api.createLead({ email: api.uniqueEmail('sql'), ...SQL_LEAD });
    handovers.set(leadId, handoverOf(await api.handOff(leadId, ownerId))!);
    return leadId;
  }

  /** what the escalation ladder's reassignment writes (advance.ts): a new owner since now */
  async function reassign(leadId: string, to: string): Promise<void> {
    api.clock.advance(MINUTE);
    const at = api.clock.now().toISOString();
    await updateLead(api.runtime.deps.store, leadId, (current) =>
      withTimeline(
        { ...current, ownerId: to, ownerSince: at },
        { at, kind: 'owner', from: current.ownerId, to, by: 'workflow', reasons: [] },
      ),
    );
  }

  /** `count` changes of one entry each, as the workflow and the API write them (older entries move off the lead) */
  async function notes(leadId: string, count: number): Promise<void> {
    for (let n = 0; n < count; n++) {
      api.clock.advance(MINUTE);
      const at = api.clock.now().toISOString();
      await updateLead(api.runtime.deps.store, leadId, (current) =>
        withTimeline(current, {
          at,
          kind: 'event',
          by: 'form',
          reasons: [{ rule: 'event.page_view', detail: `${n}` }],
        }),
      );
    }
    const lead = await api.runtime.deps.store.getLead(leadId);
    expect(lead?.timeline.some((entry) => entry.at === lead.recycledAt)).toBe(false);
  }

  /** presses a link of the lead's current handover (a newer email), expecting it to act */
  async function press(leadId: string, action: ActionKind, value: string): Promise<void> {
    const lead = await api.runtime.deps.store.getLead(leadId);
    const response = await page(
      'POST',
      `/actions/${token(leadId, action, value, { handover: handoverOf(lead!) })}`,
    );
    expect(response.status, response.text).toBe(200);
  }

  const h1 = (title: string) =>
    `<h1 style="margin:0 0 14px;font-size:22px;line-height:1.3">${escapeHtml(title)}</h1>`;
  const paragraph = (text: string) => `${escapeHtml(text)}</p>`;
  const berlin = (iso: string | undefined) => formatFullTime(new Date(iso!), 'Europe/Berlin');

  /** everything a link could change */
  async function snapshot(leadId: string) {
    const state = await api.runtime.deps.store.getLead(leadId);
    const attempts = await api.runtime.deps.store.listAttempts(leadId);
    const events = await api.runtime.deps.store.listEvents(leadId);
    return {
      version: state?.version,
      stage: state?.stage,
      status: state?.status,
      ownerId: state?.ownerId,
      deal: state?.deal,
      unsubscribed: state?.unsubscribed,
      marketingConsent: state?.marketingConsent,
      usedActionNonces: state?.usedActionNonces ?? [],
      attempts: attempts.length,
      events: events.length,
      workflowCalls: api.workflowCalls(leadId).length,
    };
  }

  describe('GET /actions/{token}', () => {
    it('shows a confirmation page with a POST button and changes nothing', async () => {
      // Arrange
      const leadId = await handedOffLead();
      const link = token(leadId, 'outcome', 'connected');
      const before = await snapshot(leadId);

      // Act
      const response = await page('GET', `/actions/${link}`);

      // Assert
      expect(response.status, response.text).toBe(200);
      expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
      expect(response.headers.get('cache-control')).toBe('no-store');
      expect(response.headers.get('referrer-policy')).toBe('no-referrer');
      expect(response.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
      expect(response.text).toContain(
        `<h1 style="margin:0 0 14px;font-size:22px;line-height:1.3">${escapeHtml('Log outcome: Connected for Petra Schneider (Brauhaus Werke)?')}</h1>`,
      );
      expect(response.text).toContain('<form method="post" action=""');
      // T0 (Fri 27 Nov 10:00 UTC) + 1 hour, in Jonas's zone (the company's: Europe/Berlin)
      expect(response.text).toContain('This link works once and expires Fri 27 Nov 2026, 12:00 CET.');
      expect(await snapshot(leadId)).toEqual(before);
    });

    it.each([
      {
        link: 'outcome "Not now" (recycles)',
        action: 'outcome' as const,
        value: 'not-now',
        says: 'Petra Schneider (Brauhaus Werke) goes back to marketing as Lead, status Recycled - not ready, and leaves your list. The links in the email cannot undo this.',
      },
      {
        link: 'outcome "Not interested" (disqualifies)',
        action: 'outcome' as const,
        value: 'not-interested',
        says: 'Petra Schneider (Brauhaus Werke) is closed as Sales qualified lead, status Unqualified, and leaves your list; nothing more happens to it. The links in the email cannot undo this.',
      },
      {
        link: 'deal stage "Closed lost" (recycles after the cool-off)',
        action: 'deal' as const,
        value: 'closed-lost',
        dealFirst: true,
        says: 'Petra Schneider (Brauhaus Werke) goes back to marketing as Lead, status Recycled - not ready, and leaves your list. The links in the email cannot undo this.',
      },
      {
        link: 'a manager\'s escalation "Not now" (acts for the owner)',
        action: 'outcome' as const,
        value: 'not-now',
        managerId: 'katrin',
        says: "Petra Schneider (Brauhaus Werke) goes back to marketing as Lead, status Recycled - not ready, and leaves Jonas Berger's list. The links in the email cannot undo this.",
      },
    ])('$link: the confirmation says where the lead goes before a red button', async (row) => {
      // Arrange
      const leadId = await handedOffLead('jonas');
      if (row.dealFirst) await press(leadId, 'deal', 'discovery');
      const link = token(leadId, row.action, row.value, row.managerId ? { managerId: row.managerId } : {});
      const before = await snapshot(leadId);

      // Act
      const response = await page('GET', `/actions/${link}`);

      // Assert: the consequence comes before the button, which is red (the page's problem accent)
      expect(response.status, response.text).toBe(200);
      const said = response.text.indexOf(paragraph(row.says));
      expect(said, response.text).toBeGreaterThan(-1);
      expect(said).toBeLessThan(response.text.indexOf('<form method="post"'));
      expect(response.text).toMatch(/<button type="submit" style="[^"]*background:#b42318/);
      expect(await snapshot(leadId)).toEqual(before);
    });

    it.each([
      ['outcome', 'no-answer'],
      ['outcome', 'connected'],
      ['deal', 'discovery'],
    ] as const)(
      '%s "%s" keeps the lead with the rep: no consequence, a blue button',
      async (action, value) => {
        // Arrange
        const leadId = await handedOffLead('jonas');

        // Act
        const response = await page('GET', `/actions/${token(leadId, action, value)}`);

        // Assert
        expect(response.status, response.text).toBe(200);
        expect(response.text).not.toContain('leaves your list');
        expect(response.text).toMatch(/<button type="submit" style="[^"]*background:#0b5cad/);
      },
    );

    it('escapes the lead on the page', async () => {
      // Arrange
      const leadId = await api.createLead({
        email: api.uniqueEmail('xss'),
        ...SQL_LEAD,
        firstName: '<script>alert(1)</script>',
        company: '"Bob & Sons"',
      });
      handovers.set(leadId, handoverOf(await api.handOff(leadId))!);

      // Act
      const response = await page('GET', `/actions/${token(leadId, 'outcome', 'connected')}`);

      // Assert
      expect(response.status, response.text).toBe(200);
      expect(response.text).not.toContain('<script>');
      expect(response.text).toContain(
        '&lt;script&gt;alert(1)&lt;/script&gt; Schneider (&quot;Bob &amp; Sons&quot;)?',
      );
    });
  });

  describe('POST /actions/{token}', () => {
    // biome-ignore format: one row per case reads as a table
    it.each([
      ['log outcome Connected', 'outcome', 'connected', { status: 'connected', stage: 'sql', attempts: 1 }, 'attempt'],
      ['log outcome Not now (recycle)', 'outcome', 'not-now', { status: 'recycled-not-ready', stage: 'lead', attempts: 1 }, 'attempt'],
      ['set status Unqualified', 'status', 'unqualified', { status: 'unqualified', stage: 'sql', attempts: 0 }, 'status'],
      ['move the deal to Discovery', 'deal', 'discovery', { status: 'open-deal', stage: 'opportunity', attempts: 0 }, 'deal'],
    ] as const)('%s: acts once, then answers 409 and changes nothing', async (_name, action, value, expected, signal) => {
      // Arrange
      const leadId = await handedOffLead();
      const link = token(leadId, action, value);
      const before = await snapshot(leadId);

      // Act
      const first = await page('POST', `/actions/${link}`);
      const afterFirst = await snapshot(leadId);
      const second = await page('POST', `/actions/${link}`);
      const again = await page('GET', `/actions/${link}`);

      // Assert
      expect(first.status, first.text).toBe(200);
      expect(first.text).toContain('Done: ');
      expect(afterFirst).toMatchObject(expected);
      expect(afterFirst.usedActionNonces).toEqual([nonceOf(link)]);
      expect(afterFirst.workflowCalls).toBe(before.workflowCalls + 1);
      expect(api.workflowCalls(leadId).at(-1)).toEqual({ action: 'signal', detail: signal });
      expect(second.status, second.text).toBe(409);
      expect(second.text).toContain('This link was already used');
      expect(again.status, again.text).toBe(409);
      // the second press only signals the workflow again (its first signal may have failed)
      expect(await snapshot(leadId)).toEqual({ ...afterFirst, workflowCalls: afterFirst.workflowCalls + 1 });
      expect(api.workflowCalls(leadId).at(-1)).toEqual({ action: 'signal', detail: signal });
    });

    it('a "Left voicemail" link a lead who gave no phone was sent before (ADR 0087) still logs it, as it did', async () => {
      // Arrange: the lead left the phone field empty; the link was signed when every outcome was offered
      const leadId = await handedOffLead();
      const link = token(leadId, 'outcome', 'voicemail');

      // Act
      const pressed = await page('POST', `/actions/${link}`);

      // Assert
      expect(pressed.status, pressed.text).toBe(200);
      const attempts = await api.runtime.deps.store.listAttempts(leadId);
      expect(attempts.map((attempt) => attempt.outcomeId)).toEqual(['voicemail']);
    });

    it.each([
      ['log outcome No answer', 'outcome', 'no-answer', 'Log outcome: No answer', 'Attempting contact'],
      ['set status Connected', 'status', 'connected', 'Set status: Connected', 'Connected'],
    ] as const)(
      '%s pressed again (a reload of the done page, a second phone) says it was done, and does nothing twice',
      async (_name, action, value, what, status) => {
        // Arrange: the link pressed once
        const leadId = await handedOffLead();
        const link = token(leadId, action, value);
        expect((await page('POST', `/actions/${link}`)).status).toBe(200);
        const done = await snapshot(leadId);

        // Act: the browser posts the form again (reload), then the link is opened again
        const reload = await page('POST', `/actions/${link}`);
        const opened = await page('GET', `/actions/${link}`);

        // Assert: still 409 and nothing applied twice, but the rep reads what the link did and where the lead stands
        for (const answer of [reload, opened]) {
          expect(answer.status, answer.text).toBe(409);
          expect(answer.text).toContain('This link was already used');
          expect(answer.text).toContain(`Already done: ${what}. Nothing was done twice.`);
          expect(answer.text).toContain(
            `Petra Schneider (Brauhaus Werke) is now Sales qualified lead, status ${status}.`,
          );
          expect(answer.text).not.toContain('<button');
        }
        expect({ ...(await snapshot(leadId)), workflowCalls: 0 }).toEqual({ ...done, workflowCalls: 0 });
      },
    );

    it('a double tap on a slow connection (two posts at once): one attempt, and every answer says it was done', async () => {
      // Arrange: five leads, one link each (a race is not lost the same way every time)
      const leads = await Promise.all([1, 2, 3, 4, 5].map(() => handedOffLead()));
      const links = leads.map((leadId) => token(leadId, 'outcome', 'no-answer'));

      // Act: each link posted three times at once (the browser shows whichever answer came last)
      const answers = await Promise.all(
        links.map((link) => Promise.all([1, 2, 3].map(() => page('POST', `/actions/${link}`)))),
      );

      // Assert: one attempt per lead; the press that acted says Done, each other press that it was already done
      for (const [i, leadId] of leads.entries()) {
        expect((await snapshot(leadId)).attempts, leadId).toBe(1);
        const texts = answers[i]!.map((answer) => `${answer.status} ${answer.text}`);
        expect(texts.filter((text) => text.startsWith('200 ') && text.includes('Done: '))).toHaveLength(1);
        for (const text of texts.filter((t) => !t.startsWith('200 '))) {
          expect(text).toMatch(/^409 /);
          expect(text).toContain('Already done: Log outcome: No answer. Nothing was done twice.');
        }
      }
    });

    // biome-ignore format: one row per case reads as a table
    it.each([
      ['a link with no channel (a first-touch email, or signed before links carried one)', {}, {}],
      ["an attempt-due reminder's link for an email step", { channel: 'email' }, { channel: 'email' }],
      ["an attempt-due reminder's link for a LinkedIn step", { channel: 'linkedin' }, { channel: 'linkedin' }],
    ] as const)('records the attempt for the owner, with an id from the link: %s', async (_name, signed, logged) => {
      // Arrange
      const leadId = await handedOffLead();
      const link = token(leadId, 'outcome', 'no-answer', signed);

      // Act
      const response = await page('POST', `/actions/${link}`);

      // Assert
      expect(response.status, response.text).toBe(200);
      const attempts = await api.runtime.deps.store.listAttempts(leadId);
      expect(attempts).toEqual([
        {
          attemptId: `link-${nonceOf(link)}`,
          at: api.clock.now().toISOString(),
          outcomeId: 'no-answer',
          repId: 'jonas',
          ...logged,
        },
      ]);
      const lead = await api.runtime.deps.store.getLead(leadId);
      expect(lead?.timeline.at(-1)).toMatchObject({ kind: 'attempt', by: 'rep:jonas' });
    });

    it('of concurrent POSTs of one link, exactly one acts', async () => {
      // Arrange
      const leadId = await handedOffLead();
      const link = token(leadId, 'outcome', 'no-answer');

      // Act
      const responses = await Promise.all(Array.from({ length: 6 }, () => page('POST', `/actions/${link}`)));

      // Assert
      expect(responses.map((r) => r.status).sort()).toEqual([200, 409, 409, 409, 409, 409]);
      expect(await api.runtime.deps.store.listAttempts(leadId)).toHaveLength(1);
    });

    it('a legacy link (no handover) refused before the handoff acts once the lead is handed off', async () => {
      // Arrange: an SQL nobody owns yet, and a link without handover claims issued now
      const leadId = await api.createLead({ email: api.uniqueEmail('unowned'), ...SQL_LEAD });
      const link = token(leadId, 'outcome', 'connected', {
        handover: undefined,
        exp: linkExpiry(api.clock.now()),
      });
      const before = await snapshot(leadId);

      // Act
      const shown = await page('GET', `/actions/${link}`);
      const refused = await page('POST', `/actions/${link}`);
      const afterRefusal = await snapshot(leadId);
      await api.handOff(leadId);
      const accepted = await page('POST', `/actions/${link}`);

      // Assert
      expect(shown.status, shown.text).toBe(409);
      expect(shown.text).not.toContain('<form');
      expect(refused.status, refused.text).toBe(409);
      expect(refused.text).toContain('not yet handed to a rep');
      expect(afterRefusal).toEqual(before);
      expect(accepted.status, accepted.text).toBe(200);
      expect(await snapshot(leadId)).toMatchObject({ status: 'connected', attempts: 1 });
    });

    it('answers 422 for an outcome the SLA no longer has, changing nothing', async () => {
      // Arrange
      const leadId = await handedOffLead();
      const link = token(leadId, 'outcome', 'retired-outcome');
      const before = await snapshot(leadId);

      // Act
      const response = await page('POST', `/actions/${link}`);

      // Assert
      expect(response.status, response.text).toBe(422);
      expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
      expect(response.text).toContain('retired-outcome');
      expect(await snapshot(leadId)).toEqual(before);
    });
  });

  describe('links that no longer apply say what happened and change nothing', () => {
    const PETRA = 'Petra Schneider (Brauhaus Werke)';
    /** the lead as it is after `arrange`, for the page's expected text */
    type Arranged = Awaited<ReturnType<typeof snapshot>> & {
      ownerSince?: string;
      recycledAt?: string;
      dealSince?: string;
    };
    const arranged = async (leadId: string): Promise<Arranged> => {
      const lead = await api.runtime.deps.store.getLead(leadId);
      return {
        ...(await snapshot(leadId)),
        ...(lead?.ownerSince ? { ownerSince: lead.ownerSince } : {}),
        ...(lead?.recycledAt ? { recycledAt: lead.recycledAt } : {}),
        ...(lead?.deal ? { dealSince: lead.deal.since } : {}),
      };
    };

    // biome-ignore format: one row per case reads as a table
    const STALE: [string, (leadId: string) => Promise<void>, string, string, (lead: Arranged) => string[]][] = [
      ['reassigned to Lena', (leadId) => reassign(leadId, 'lena'), 'reassigned', 'This lead moved to Lena Hartmann',
        (lead) => [`${PETRA} was handed to Lena Hartmann on ${berlin(lead.ownerSince)}, after this email was sent.`, 'Lena Hartmann gets the reminders and the links for it now.']],
      ['reassigned to a rep the SLA no longer has', (leadId) => reassign(leadId, 'gone-rep'), 'reassigned', 'This lead moved to another rep',
        (lead) => [`${PETRA} was handed to another rep on ${berlin(lead.ownerSince)}, after this email was sent.`]],
      ['recycled by the rep (Not now)', (leadId) => press(leadId, 'outcome', 'not-now'), 'recycled', 'This lead was recycled',
        (lead) => [`${PETRA} went back to marketing on ${berlin(lead.recycledAt)}; its status now: Recycled - not ready.`]],
      ['recycled, qualified again and handed to Jonas again', async (leadId) => {
          await press(leadId, 'outcome', 'not-now');
          api.clock.advance(MINUTE);
          await api.handOff(leadId, 'jonas');
        }, 'handed_over_again', 'This lead was handed over again',
        () => [`${PETRA} was handed over again on ${berlin(api.clock.now().toISOString())}, after this email was sent.`, 'Use the links in the newest email about it.']],
      ['recycled, then handed to Lena', async (leadId) => {
          await press(leadId, 'outcome', 'not-now');
          api.clock.advance(MINUTE);
          await api.handOff(leadId, 'lena');
        }, 'reassigned', 'This lead moved to Lena Hartmann',
        () => [`${PETRA} was handed to Lena Hartmann on ${berlin(api.clock.now().toISOString())}, after this email was sent.`]],
      ['the deal closed lost', (leadId) => press(leadId, 'deal', 'closed-lost'), 'recycled', 'The deal was lost',
        (lead) => [`${PETRA} went back to marketing on ${berlin(lead.recycledAt)}: the deal was closed lost (Closed lost); its status now: Recycled - not ready.`]],
      ['the deal closed lost, then enough changes to move that entry off the lead (ADR 0032)', async (leadId) => {
          await press(leadId, 'deal', 'closed-lost');
          await notes(leadId, TIMELINE_TAIL_MAX + 1);
        }, 'recycled', 'The deal was lost',
        (lead) => [`${PETRA} went back to marketing on ${berlin(lead.recycledAt)}: the deal was closed lost (Closed lost); its status now: Recycled - not ready.`]],
      ['the deal closed won', (leadId) => press(leadId, 'deal', 'closed-won'), 'closed', 'This lead is a customer',
        (lead) => [`${PETRA} is a customer: the deal was closed won (Closed won) on ${berlin(lead.dealSince)}.`, 'Nothing is left to do from this email.']],
      ['disqualified', (leadId) => press(leadId, 'status', 'unqualified'), 'closed', 'This lead was disqualified',
        () => [`${PETRA} was disqualified (status: Unqualified).`, 'Nothing is left to do from this email.']],
    ];

    it.each(
      STALE.flatMap(([name, arrange, code, title, paragraphs]) =>
        (['GET', 'POST'] as const).map(
          (method) => [`${method}, ${name}`, method, arrange, code, title, paragraphs] as const,
        ),
      ),
    )(
      '%s: answers 410 with what happened, no button, no ids, and changes nothing',
      async (_name, method, arrange, _code, title, paragraphs) => {
        // Arrange: a link from Jonas's email, then the lead moves on
        const leadId = await handedOffLead('jonas');
        const link = token(leadId, 'outcome', 'connected');
        await arrange(leadId);
        const before = await arranged(leadId);

        // Act
        const response = await page(method, `/actions/${link}`);

        // Assert
        expect(response.status, response.text).toBe(410);
        expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
        expect(response.text).toContain(h1(title));
        for (const text of paragraphs(before)) expect(response.text).toContain(paragraph(text));
        expect(response.text).toContain(paragraph('This link no longer does anything; nothing was changed.'));
        expect(response.text).not.toContain('<form');
        expect(response.text).not.toMatch(
          /\b(jonas|lena|gone-rep|closed-won|closed-lost|unqualified|recycled-not-ready)\b/,
        );
        expect(await arranged(leadId)).toEqual(before);
      },
    );

    it("the new owner's link acts after a reassignment, credited to the new owner; the old owner's does not", async () => {
      // Arrange
      const leadId = await handedOffLead('jonas');
      const jonasLink = token(leadId, 'outcome', 'connected');
      await reassign(leadId, 'lena');
      const lena = handoverOf((await api.runtime.deps.store.getLead(leadId))!);
      const lenaLink = token(leadId, 'outcome', 'no-answer', { handover: lena });

      // Act
      const old = await page('POST', `/actions/${jonasLink}`);
      const current = await page('POST', `/actions/${lenaLink}`);

      // Assert
      expect(old.status, old.text).toBe(410);
      expect(current.status, current.text).toBe(200);
      const attempts = await api.runtime.deps.store.listAttempts(leadId);
      expect(attempts).toEqual([expect.objectContaining({ outcomeId: 'no-answer', repId: 'lena' })]);
      const lead = await api.runtime.deps.store.getLead(leadId);
      expect(lead?.timeline.at(-1)).toMatchObject({ kind: 'attempt', by: 'rep:lena' });
    });

    it("a manager's escalation link acts for the owner and credits the manager", async () => {
      // Arrange: Katrin's escalation email carries Jonas's handover
      const leadId = await handedOffLead('jonas');
      const link = token(leadId, 'outcome', 'no-answer', {
        handover: handovers.get(leadId),
        managerId: 'katrin',
      });

      // Act
      const response = await page('POST', `/actions/${link}`);

      // Assert
      expect(response.status, response.text).toBe(200);
      expect(await api.runtime.deps.store.listAttempts(leadId)).toEqual([
        expect.objectContaining({ outcomeId: 'no-answer', repId: 'jonas' }),
      ]);
      const lead = await api.runtime.deps.store.getLead(leadId);
      expect(lead?.timeline.at(-1)).toMatchObject({ kind: 'attempt', by: 'manager:katrin' });
    });

    it.each([
      ['a manager removed from the SLA: their escalation link', 'katrin', 'managers'],
      ['a rep removed from the SLA: their own link', undefined, 'reps'],
    ] as const)(
      '%s answers 410 saying so (GET and POST), nothing changed',
      async (_name, managerId, list) => {
        // Arrange: the SLA the stack runs now no longer names the person the email went to
        const leadId = await handedOffLead('jonas');
        const gone = managerId ?? 'jonas';
        const { sla } = api.runtime.deps;
        const without = {
          ...sla,
          routing: { ...sla.routing, [list]: sla.routing[list].filter((person) => person.id !== gone) },
        };
        const later = await startApiServer({
          deps: { ...api.runtime.deps, sla: without, actionSecret: SECRET },
          adminToken: ADMIN_TOKEN,
          port: 0,
          rateLimit: { perMinute: 1_000_000, burst: 1_000_000 },
        });
        const link = token(leadId, 'outcome', 'no-answer', managerId ? { managerId } : {});
        const before = await snapshot(leadId);

        try {
          // Act
          const shown = await page('GET', `/actions/${link}`, {}, later.url);
          const pressed = await page('POST', `/actions/${link}`, {}, later.url);

          // Assert
          for (const response of [shown, pressed]) {
            expect(response.status, response.text).toBe(410);
            expect(response.text).toContain('This link is no longer yours to use');
            expect(response.text).not.toContain('<form');
          }
          expect(await snapshot(leadId)).toEqual(before);
          // the same link on the SLA that still names them acts
          expect((await page('POST', `/actions/${link}`)).status).toBe(200);
        } finally {
          await later.close();
        }
      },
    );

    it.each([
      ['the rep’s own link', 'rep', 'mike', undefined],
      ['a manager’s escalation link', 'manager', 'dan', 'dan'],
      ['a link to the ops manager, signed out as ops', 'ops', 'priya', 'priya'],
    ] as const)(
      '%s sent before its reader was signed out everywhere: 410, nothing changed; one sent after acts',
      async (_name, role, id, managerId) => {
        // Arrange: an email with a link (issued now: its expiry 14 days on), then ops signs its reader out
        // everywhere (a lost phone), then a later email. People no other case signs in as.
        const leadId = await handedOffLead(role === 'rep' ? id : 'jonas');
        const issued = () => ({ exp: linkExpiry(api.clock.now()), ...(managerId ? { managerId } : {}) });
        const before = token(leadId, 'outcome', 'no-answer', issued());
        api.clock.advance(MINUTE);
        await api.runtime.deps.signIns!.revokePerson({ role, id }, api.clock.now().toISOString());
        api.clock.advance(MINUTE);
        const after = token(leadId, 'outcome', 'no-answer', issued());
        const unchanged = await snapshot(leadId);

        // Act
        const shown = await page('GET', `/actions/${before}`);
        const pressed = await page('POST', `/actions/${before}`);

        // Assert
        for (const response of [shown, pressed]) {
          expect(response.status, response.text).toBe(410);
          expect(response.text).toContain('This link was signed out');
          expect(response.text).not.toContain('<form');
        }
        expect(await snapshot(leadId)).toEqual(unchanged);
        const later = await page('POST', `/actions/${after}`);
        expect(later.status, later.text).toBe(200);
      },
    );

    it('an old "Not now" link after a deal was opened: 409 saying the deal is open, no button, nothing changed', async () => {
      // Arrange: the "New SQL" email's links, then the rep opens a deal from a later email
      const leadId = await handedOffLead('jonas');
      const notNow = token(leadId, 'outcome', 'not-now');
      await press(leadId, 'deal', 'discovery');
      const before = await snapshot(leadId);

      // Act
      const shown = await page('GET', `/actions/${notNow}`);
      const pressed = await page('POST', `/actions/${notNow}`);

      // Assert
      for (const response of [shown, pressed]) {
        expect(response.status, response.text).toBe(409);
        expect(response.text).toContain('This lead has an open deal');
        expect(response.text).toContain('Discovery');
        expect(response.text).not.toContain('<form');
      }
      expect(await snapshot(leadId)).toEqual(before);
    });

    // biome-ignore format: one row per case reads as a table
    it.each([
      ['made during the current handover: acts', 0, 200],
      ['made before a reassignment: does nothing', -1, 410],
    ])('a legacy link (no handover claims) %s', async (_name, reassignedAfterIssue, status) => {
      // Arrange: legacy links were signed with exp = issue time + 14 days
      const leadId = await handedOffLead('jonas');
      const issued = api.clock.now();
      if (reassignedAfterIssue < 0) await reassign(leadId, 'lena');
      const link = token(leadId, 'outcome', 'no-answer', { handover: undefined, exp: linkExpiry(issued) });
      const before = await snapshot(leadId);

      // Act
      const response = await page('POST', `/actions/${link}`);

      // Assert
      expect(response.status, response.text).toBe(status);
      expect((await snapshot(leadId)).attempts).toBe(before.attempts + (status === 200 ? 1 : 0));
    });

    it('GET of an outcome the SLA no longer has answers 422 with no button', async () => {
      // Arrange
      const leadId = await handedOffLead();

      // Act
      const response = await page('GET', `/actions/${token(leadId, 'outcome', 'retired-outcome')}`);

      // Assert
      expect(response.status, response.text).toBe(422);
      expect(response.text).not.toContain('<form');
    });
  });

  describe('links that do not work change nothing', () => {
    const VARIANTS: [string, (leadId: string) => string, number, string][] = [
      [
        'tampered payload (another value)',
        (leadId) => {
          const [, signature] = token(leadId, 'outcome', 'connected').split('.');
          const [body] = token(leadId, 'outcome', 'not-interested').split('.');
          return `${body}.${signature}`;
        },
        400,
        'This link does not work',
      ],
      [
        'tampered signature',
        (leadId) => {
          const link = token(leadId, 'outcome', 'connected');
          return `${link.slice(0, -2)}${link.endsWith('AA') ? 'BB' : 'AA'}`;
        },
        400,
        'This link does not work',
      ],
      [
        'signed with another secret',
        (leadId) =>
          signActionToken(
            { leadId, cycle: 1, action: 'outcome', value: 'connected', nonce: 'x1', exp: 4e9 },
            'not-the-server-secret-123',
          ),
        400,
        'This link does not work',
      ],
      ['garbage', () => 'not-a-token', 400, 'This link does not work'],
      [
        'an unsubscribe link used as an action',
        (leadId) => token(leadId, 'unsubscribe', ''),
        400,
        'This link does not work',
      ],
      [
        'expired',
        (leadId) =>
          token(leadId, 'outcome', 'connected', {
            exp: Math.floor(api.clock.now().getTime() / 1000) - 1,
          }),
        410,
        'This link has expired',
      ],
      [
        'from an earlier cycle of the lead',
        (leadId) => token(leadId, 'outcome', 'connected', { cycle: 2 }),
        410,
        'This link is out of date',
      ],
    ];

    it.each(
      VARIANTS.flatMap(([name, make, status, title]) =>
        (['GET', 'POST'] as const).map(
          (method) => [`${method}, ${name}`, method, make, status, title] as const,
        ),
      ),
    )('%s', async (_name, method, make, status, title) => {
      // Arrange
      const leadId = await handedOffLead();
      const link = make(leadId);
      const before = await snapshot(leadId);

      // Act
      const response = await page(method, `/actions/${link}`);

      // Assert
      expect(response.status, response.text).toBe(status);
      expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
      expect(response.text).toContain(title);
      expect(response.text).not.toContain('<form');
      expect(await snapshot(leadId)).toEqual(before);
    });

    it('a link expires while it waits in the inbox', async () => {
      // Arrange
      const leadId = await handedOffLead();
      const link = token(leadId, 'outcome', 'connected', {
        exp: Math.floor(api.clock.now().getTime() / 1000) + 60,
      });
      const before = await snapshot(leadId);
      api.clock.advance(2 * MINUTE);

      // Act
      const response = await page('POST', `/actions/${link}`);

      // Assert
      expect(response.status, response.text).toBe(410);
      expect(await snapshot(leadId)).toEqual(before);
    });

    it('answers 503 where no action secret is configured', async () => {
      // Arrange: a server whose deps have no secret to verify links with
      const leadId = await handedOffLead();
      const { actionSecret: _secret, ...withoutSecret } = api.runtime.deps;
      const bare = await startApiServer({ deps: withoutSecret, adminToken: ADMIN_TOKEN, port: 0 });

      try {
        // Act
        const response = await page('GET', `/actions/${token(leadId, 'outcome', 'connected')}`, {}, bare.url);

        // Assert
        expect(response.status, response.text).toBe(503);
        expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
      } finally {
        await bare.close();
      }
    });
  });

  describe('unsubscribe', () => {
    it('GET shows a confirmation page and changes nothing', async () => {
      // Arrange
      const leadId = await api.createLead({ email: api.uniqueEmail('nurtured'), ...SQL_LEAD });
      const before = await snapshot(leadId);

      // Act
      const response = await page('GET', `/unsubscribe/${token(leadId, 'unsubscribe', '')}`);

      // Assert
      expect(response.status, response.text).toBe(200);
      expect(response.text).toContain('Unsubscribe from Kessler Industrial?');
      expect(response.text).toContain('<form method="post" action=""');
      expect(await snapshot(leadId)).toEqual(before);
    });

    // biome-ignore format: one row per case reads as a table
    it.each([
      ['an RFC 8058 one-click post (urlencoded)', { 'content-type': 'application/x-www-form-urlencoded' }, 'List-Unsubscribe=One-Click'],
      ['an RFC 8058 one-click post (multipart)', { 'content-type': 'multipart/form-data; boundary=b' }, '--b\r\nContent-Disposition: form-data; name="List-Unsubscribe"\r\n\r\nOne-Click\r\n--b--\r\n'],
      ['the confirmation page button (empty form)', { 'content-type': 'application/x-www-form-urlencoded' }, ''],
    ])('POST, %s: unsubscribes once, wakes the workflow, and stays idempotent', async (_name, headers, body) => {
      // Arrange
      const leadId = await api.createLead({ email: api.uniqueEmail('nurtured'), ...SQL_LEAD });
      const link = token(leadId, 'unsubscribe', '');
      const before = await snapshot(leadId);

      // Act
      const first = await page('POST', `/unsubscribe/${link}`, { headers, body });
      const afterFirst = await snapshot(leadId);
      api.clock.advance(MINUTE);
      const second = await page('POST', `/unsubscribe/${link}`, { headers, body });

      // Assert
      expect(before).toMatchObject({ unsubscribed: false, marketingConsent: true });
      expect(first.status, first.text).toBe(200);
      expect(first.text).toContain('You are unsubscribed');
      expect(afterFirst).toMatchObject({ unsubscribed: true, marketingConsent: false, events: before.events + 1 });
      const lead = await api.runtime.deps.store.getLead(leadId);
      expect(lead?.timeline.at(-1)).toMatchObject({ kind: 'unsubscribed', by: 'lead' });
      const events = await api.runtime.deps.store.listEvents(leadId);
      // one key per lead, cycle and withdrawal, whichever link made it (unsubscribe-crash.test.ts)
      expect(events.at(-1)).toMatchObject({ type: 'unsubscribe', eventId: 'unsubscribe-c1', occurredAt: lead?.unsubscribedAt });
      expect(api.workflowCalls(leadId).at(-1)).toEqual({ action: 'signal', detail: 'unsubscribed' });
      expect(second.status, second.text).toBe(200);
      expect(await snapshot(leadId)).toEqual(afterFirst);
    });

    it('POSTs of one link at once (a mail client one-click and the button, a double click) store one unsubscribe event', async () => {
      // Arrange: a clock that moves on each time it is read, as a real one between requests
      const leadId = await api.createLead({ email: api.uniqueEmail('nurtured'), ...SQL_LEAD });
      const link = token(leadId, 'unsubscribe', '');
      const before = await snapshot(leadId);
      const clock = api.clock;
      const now = clock.now.bind(clock);
      clock.now = () => {
        clock.advance(1);
        return now();
      };

      // Act
      let responses: Page[];
      try {
        responses = await Promise.all(
          Array.from({ length: 6 }, () =>
            page('POST', `/unsubscribe/${link}`, {
              headers: { 'content-type': 'application/x-www-form-urlencoded' },
              body: 'List-Unsubscribe=One-Click',
            }),
          ),
        );
      } finally {
        clock.now = now;
      }

      // Assert
      expect(responses.map((response) => response.status)).toEqual([200, 200, 200, 200, 200, 200]);
      const events = await api.runtime.deps.store.listEvents(leadId);
      expect(events.filter((event) => event.type === 'unsubscribe')).toHaveLength(1);
      expect(await snapshot(leadId)).toMatchObject({ unsubscribed: true, events: before.events + 1 });
      const lead = await api.runtime.deps.store.getLead(leadId);
      expect(lead?.timeline.filter((entry) => entry.kind === 'unsubscribed')).toHaveLength(1);
    });

    it('works from an email of an earlier cycle: consent belongs to the person', async () => {
      // Arrange
      const leadId = await api.createLead({ email: api.uniqueEmail('nurtured'), ...SQL_LEAD });

      // Act
      const response = await page('POST', `/unsubscribe/${token(leadId, 'unsubscribe', '', { cycle: 7 })}`);

      // Assert
      expect(response.status, response.text).toBe(200);
      expect(await snapshot(leadId)).toMatchObject({ unsubscribed: true });
    });

    // biome-ignore format: one row per case reads as a table
    it.each([
      ['an action link used to unsubscribe', (leadId: string) => token(leadId, 'outcome', 'connected'), 400],
      ['a tampered link', (leadId: string) => `${token(leadId, 'unsubscribe', '').slice(0, -2)}AA`, 400],
      ['an expired link', (leadId: string) => token(leadId, 'unsubscribe', '', { exp: Math.floor(api.clock.now().getTime() / 1000) }), 410],
    ])('%s changes nothing', async (_name, make, status) => {
      // Arrange
      const leadId = await api.createLead({ email: api.uniqueEmail('nurtured'), ...SQL_LEAD });
      const before = await snapshot(leadId);

      // Act
      const response = await page('POST', `/unsubscribe/${make(leadId)}`, {
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: 'List-Unsubscribe=One-Click',
      });

      // Assert
      expect(response.status, response.text).toBe(status);
      expect(await snapshot(leadId)).toEqual(before);
    });
  });
});
