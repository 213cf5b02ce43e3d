/**
 * Double opt-in and the consent record (issue 10), through the real workflow (ASL on
 * aws-local-stepfunctions, task handlers, virtual time) and the real /consent and /leads handlers:
 * no nurture before the person confirms, nurture after, withdrawal by unsubscribing, a replayed link
 * is harmless, a forged one is a 400 that changes nothing, a single opt-in form nurtures at once, and
 * a repeat post never sends a second confirmation email.
 */
import type { Context } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { getConsentHandler, postConsentHandler } from '../../lambdas/api/consent.ts';
import type { HttpEvent, HttpResult } from '../../lambdas/api/http.ts';
import { getLeadHandler } from '../../lambdas/api/lead-read.ts';
import { CONSENT_LINK_TTL_SECONDS, linkExpiry, signActionToken } from '../../lambdas/domain/action-links.ts';
import { guideOnSingleOptIn } from '../support/sla.ts';
import {
  defaultSla,
  exampleLead,
  type WorkflowHarness,
  workflowHarness,
} from '../support/workflow-harness.ts';

/** Mon 2026-11-30 08:00Z = 09:00 Berlin */
const T0 = new Date('2026-11-30T08:00:00.000Z');
const cold = exampleLead('cold');
const kinds = (h: WorkflowHarness) => h.notifications.map((n) => n.kind);

function linkEvent(method: 'GET' | 'POST', token: string): HttpEvent {
  const path = `/consent/${token}`;
  return {
    version: '2.0',
    routeKey: `${method} /consent/{token}`,
    rawPath: path,
    rawQueryString: '',
    headers: {},
    pathParameters: { token },
    requestContext: { http: { method, path } },
    isBase64Encoded: false,
  } as unknown as HttpEvent;
}

/** The link the confirmation email carries, signed for the lead's consent request (or `requestId`). */
async function consentToken(h: WorkflowHarness, leadId: string, requestId?: string): Promise<string> {
  const lead = await h.lead(leadId);
  return signActionToken(
    {
      leadId,
      cycle: lead.cycle,
      action: 'consent',
      value: requestId ?? lead.consent!.requestId,
      nonce: 'n1',
      exp: linkExpiry(h.clock.now(), CONSENT_LINK_TTL_SECONDS),
    },
    h.apiDeps.actionSecret!,
  );
}

async function open(h: WorkflowHarness, method: 'GET' | 'POST', token: string): Promise<HttpResult> {
  const handler = method === 'GET' ? getConsentHandler(h.apiDeps) : postConsentHandler(h.apiDeps);
  const result = await handler(linkEvent(method, token), {} as Context);
  await h.settle();
  return result;
}

async function readLead(h: WorkflowHarness, leadId: string): Promise<Record<string, unknown>> {
  const result = await getLeadHandler(h.apiDeps)(
    {
      version: '2.0',
      routeKey: 'GET /leads/{id}',
      rawPath: `/leads/${leadId}`,
      rawQueryString: '',
      headers: {},
      pathParameters: { id: leadId },
      requestContext: {
        http: { method: 'GET', path: `/leads/${leadId}` },
        authorizer: { principalId: 'test' },
      },
      isBase64Encoded: false,
    } as unknown as HttpEvent,
    {} as Context,
  );
  expect(result.statusCode).toBe(200);
  return JSON.parse(result.body ?? '{}');
}

describe('double opt-in (the default for every form)', () => {
  it('no nurture before the person confirms: one confirmation email, then nothing for 30 days', async () => {
    // Arrange
    const h = workflowHarness({ start: T0 });
    // Act
    const leadId = await h.submit(cold);
    await h.advanceTo('2026-12-30T07:59:59.000Z');
    // Assert
    expect(kinds(h)).toEqual(['consentRequest']);
    const lead = await h.lead(leadId);
    expect(lead.dormant).toBeDefined();
    expect(lead.nurture).toBeUndefined();
    expect((await readLead(h, leadId)).consent).toEqual({
      mode: 'double',
      status: 'awaiting confirmation',
      givenAt: T0.toISOString(),
      // the email went at once (a nurture lead), and its link lives 30 days
      askedAt: T0.toISOString(),
      linkExpiresAt: '2026-12-30T08:00:00.000Z',
      formId: 'efficiency-guide',
      formName: 'Compressed-air efficiency guide',
      pageUrl: cold.pageUrl,
      text: 'Send me useful content (you can unsubscribe any time)',
      confirmedAt: null,
      withdrawnAt: null,
      previouslyWithdrawnAt: null,
      notAsked: null,
    });
  });

  it('a link that lapsed unconfirmed reads expired (a German team read "awaiting confirmation" for ever); still no nurture', async () => {
    // Arrange
    const h = workflowHarness({ start: T0 });
    const leadId = await h.submit(cold);

    // Act
    await h.advanceTo('2026-12-30T08:00:00.000Z');

    // Assert
    expect((await readLead(h, leadId)).consent).toMatchObject({
      status: 'expired',
      askedAt: T0.toISOString(),
      linkExpiresAt: '2026-12-30T08:00:00.000Z',
      confirmedAt: null,
    });
    expect(kinds(h)).toEqual(['consentRequest']);
    expect((await h.lead(leadId)).nurture).toBeUndefined();
  });

  it('nurture starts when the person confirms: GET shows a button and changes nothing, POST confirms', async () => {
    // Arrange
    const h = workflowHarness({ start: T0 });
    const leadId = await h.submit(cold);
    await h.advanceTo('2026-12-02T10:00:00.000Z');
    const token = await consentToken(h, leadId);
    const before = await h.lead(leadId);
    // Act 1: a mail scanner (or the person) opens the link
    const page = await open(h, 'GET', token);
    // Assert 1: a page with one button; the lead is as it was
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('<form method="post"');
    expect(page.body).toContain('Confirm my subscription');
    expect((await h.lead(leadId)).version).toBe(before.version);
    expect(kinds(h)).toEqual(['consentRequest']);
    // Act 2: the button
    const confirmed = await open(h, 'POST', token);
    // Assert 2: confirmed now, and the first nurture email goes out at once
    expect(confirmed.statusCode).toBe(200);
    expect(confirmed.body).toContain('Your subscription is confirmed');
    expect(kinds(h)).toEqual(['consentRequest', 'nurture']);
    expect(h.notifications.at(-1)!.at).toBe('2026-12-02T10:00:00.000Z');
    expect((await readLead(h, leadId)).consent).toMatchObject({
      status: 'confirmed',
      confirmedAt: '2026-12-02T10:00:00.000Z',
    });
  });

  it('a replayed link is harmless: the same page, no second change, no second email', async () => {
    // Arrange
    const h = workflowHarness({ start: T0 });
    const leadId = await h.submit(cold);
    const token = await consentToken(h, leadId);
    await open(h, 'POST', token);
    const after = await h.lead(leadId);
    await h.advanceTo('2026-12-01T08:00:00.000Z');
    // Act
    const replays = [await open(h, 'POST', token), await open(h, 'GET', token)];
    // Assert
    for (const replay of replays) {
      expect(replay.statusCode).toBe(200);
      expect(replay.body).toContain('Your subscription is confirmed');
    }
    const lead = await h.lead(leadId);
    expect(lead.consent?.confirmedAt).toBe(after.consent?.confirmedAt);
    expect(lead.timeline.filter((entry) => entry.kind === 'consent')).toHaveLength(1);
    expect(kinds(h)).toEqual(['consentRequest', 'nurture']);
  });

  it.each<[string, (token: string) => string]>([
    ['a changed signature', (token) => `${token.slice(0, -2)}AA`],
    ['a changed payload', (token) => `x${token}`],
    ['no signature', (token) => token.split('.')[0]!],
    ['garbage', () => 'not-a-token'],
  ])('a forged link (%s) is a 400 naming the token, and changes nothing', async (_name, forge) => {
    // Arrange
    const h = workflowHarness({ start: T0 });
    const leadId = await h.submit(cold);
    const before = await h.lead(leadId);
    // Act
    const result = await open(h, 'POST', forge(await consentToken(h, leadId)));
    // Assert
    expect(result.statusCode).toBe(400);
    expect(result.headers?.['content-type']).toContain('text/html');
    expect(await h.lead(leadId)).toEqual(before);
    expect(kinds(h)).toEqual(['consentRequest']);
  });

  it('a link signed for another consent request confirms nothing (410)', async () => {
    // Arrange
    const h = workflowHarness({ start: T0 });
    const leadId = await h.submit(cold);
    const before = await h.lead(leadId);
    // Act
    const result = await open(h, 'POST', await consentToken(h, leadId, 'some-older-request'));
    // Assert
    expect(result.statusCode).toBe(410);
    expect(await h.lead(leadId)).toEqual(before);
  });

  it.each(['GET', 'POST'] as const)(
    'a link opened (%s) after the lead was erased says its details were deleted, not that the person unsubscribed (410)',
    async (method) => {
      // Arrange: the confirmation email sent, then the lead erased (a German team's trial read "You unsubscribed")
      const h = workflowHarness({ start: T0 });
      const leadId = await h.submit(cold);
      const token = await consentToken(h, leadId);
      expect((await h.erase(leadId)).statusCode).toBe(200);

      // Act
      const result = await open(h, method, token);

      // Assert
      expect(result.statusCode).toBe(410);
      expect(result.body).toContain('were deleted since, so there is nothing to confirm');
      expect(result.body).not.toContain('You unsubscribed');
    },
  );

  it('withdrawal: unsubscribing withdraws the consent; nurture stops and the old link cannot renew it', async () => {
    // Arrange: confirmed, first nurture email sent
    const h = workflowHarness({ start: T0 });
    const leadId = await h.submit(cold);
    const token = await consentToken(h, leadId);
    await open(h, 'POST', token);
    await h.advanceTo('2026-12-01T12:00:00.000Z');
    // Act: unsubscribed (an unsubscribe event, as a tracker posts it), then the old link is pressed again
    await h.postEvents(leadId, [
      { eventId: 'unsub-1', type: 'unsubscribe', occurredAt: '2026-12-01T12:00:00Z' },
    ]);
    const replay = await open(h, 'POST', token);
    await h.advanceTo('2027-01-31T00:00:00.000Z');
    // Assert
    expect(replay.statusCode).toBe(410);
    expect(kinds(h)).toEqual(['consentRequest', 'nurture']);
    expect((await readLead(h, leadId)).consent).toMatchObject({
      status: 'withdrawn',
      confirmedAt: T0.toISOString(),
      withdrawnAt: '2026-12-01T12:00:00.000Z',
    });
  });

  it('a repeat post while the consent awaits confirmation sends no second confirmation email', async () => {
    // Arrange
    const h = workflowHarness({ start: T0 });
    const leadId = await h.submit(cold);
    const first = (await h.lead(leadId)).consent;
    await h.advanceTo('2026-12-01T08:00:00.000Z');
    // Act
    await h.submit({ ...cold, formId: 'newsletter' });
    await h.advanceTo('2026-12-05T08:00:00.000Z');
    // Assert: the first request stands
    expect(kinds(h)).toEqual(['consentRequest']);
    expect((await h.lead(leadId)).consent).toEqual(first);
  });

  it('unconfirmed leads are still judged and handed to reps: a hot lead gets its rep at once', async () => {
    const h = workflowHarness({ start: T0 });
    const leadId = await h.submit(exampleLead('hot'));
    expect(kinds(h)).toEqual(['sqlAssigned']);
    expect(await h.lead(leadId)).toMatchObject({ stage: 'sql', ownerId: 'jonas' });
    expect((await h.lead(leadId)).consent).toMatchObject({ mode: 'double' });
    expect((await h.lead(leadId)).consent?.confirmedAt).toBeUndefined();
  });
});

describe('single opt-in (forms.<id>.consent: single)', () => {
  it('the ticked box is the confirmation: nurture at once, confirmedAt = givenAt, no confirmation email', async () => {
    // Arrange: the default SLA with the guide form on single opt-in
    const sla = guideOnSingleOptIn(defaultSla());
    const h = workflowHarness({ start: T0, sla });
    // Act
    const leadId = await h.submit(cold);
    // Assert
    expect(kinds(h)).toEqual(['nurture']);
    expect((await h.lead(leadId)).consent).toMatchObject({
      mode: 'single',
      givenAt: T0.toISOString(),
      confirmedAt: T0.toISOString(),
    });
  });
});
