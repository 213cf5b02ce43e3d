/**
 * Consent given again (issue 10, double opt-in). A person who unsubscribed and later ticks the box on a form
 * again, or whose confirmation link expired unconfirmed, must be able to subscribe: the new post starts a new
 * consent request with one confirmation email (after an unsubscribe always double opt-in, whatever the form's
 * mode, as HubSpot's opt-back-in email), and nothing marketing goes out until it is confirmed. Before, the
 * first record stood forever: the post was silently ignored and the person could never subscribe again. A
 * form still cannot be used to mail someone over and over: one request per link lifetime.
 *
 * On DynamoDB (dynalite) with the real ASL on the local engine, the real tasks, the real /leads, /consent and
 * /unsubscribe handlers.
 */
import type { Context } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { DynamoDbLeadStore } from '../../lambdas/adapters/dynamodb-lead-store.ts';
import { postUnsubscribeHandler } from '../../lambdas/api/actions.ts';
import type { HttpEvent } from '../../lambdas/api/http.ts';
import { realTiming, submitLeadHandler } from '../../lambdas/api/leads-public.ts';
import { linkExpiry, signActionToken } from '../../lambdas/domain/action-links.ts';
import type { Sla } from '../../lambdas/domain/sla-schema.ts';
import { storyCarrier } from '../../lambdas/domain/story-carry.ts';
import { useDynalite } from '../support/dynalite.ts';
import { oneClickEvent } from '../support/one-click.ts';
import { guideOnSingleOptIn, loadDefaultSla } from '../support/sla.ts';
import { exampleLead, type WorkflowHarness, workflowHarness } from '../support/workflow-harness.ts';

/** Mon 2026-11-30 08:00Z = 09:00 Berlin */
const T0 = new Date('2026-11-30T08:00:00.000Z');
const cold = exampleLead('cold');
const kinds = (h: WorkflowHarness, leadId: string) => h.notificationsOf(leadId).map((n) => n.kind);

/** an RFC 8058 one-click post of the lead's unsubscribe link, as a mail client sends it */
async function oneClickUnsubscribe(h: WorkflowHarness, leadId: string): Promise<number> {
  const lead = await h.lead(leadId);
  const token = signActionToken(
    {
      leadId,
      cycle: lead.cycle,
      action: 'unsubscribe',
      value: '',
      nonce: `n-${h.clock.now().getTime()}`,
      exp: linkExpiry(h.clock.now(), 86_400),
    },
    h.apiDeps.actionSecret!,
  );
  const result = await postUnsubscribeHandler(h.apiDeps)(oneClickEvent(token), {} as Context);
  await h.settle();
  return result.statusCode ?? 0;
}

/** a plain HTML form post through the real public handler (its field names mapped as any vendor's); settles */
async function formPost(h: WorkflowHarness, fields: Record<string, string>): Promise<number> {
  const result = await submitLeadHandler(h.apiDeps, realTiming())(
    {
      version: '2.0',
      routeKey: 'POST /leads',
      rawPath: '/leads',
      rawQueryString: '',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      requestContext: { http: { method: 'POST', path: '/leads' } },
      body: new URLSearchParams(fields).toString(),
      isBase64Encoded: false,
    } as unknown as HttpEvent,
    {} as Context,
  );
  await h.settle();
  return result.statusCode ?? 0;
}

describe('consent given again', () => {
  const dynalite = useDynalite();
  const harness = (sla: Sla = loadDefaultSla()) =>
    workflowHarness({
      start: T0,
      sla,
      store: new DynamoDbLeadStore(dynalite.doc, { tableName: dynalite.tableName, carry: storyCarrier(sla) }),
    });

  it('after an unsubscribe, a new ticked box sends one confirmation email; nurture resumes only once confirmed', async () => {
    // Arrange: confirmed, nurtured, then unsubscribed with the one-click link
    const h = harness();
    const leadId = await h.submit(cold);
    await h.confirmConsent(leadId);
    await h.advanceTo('2026-12-01T12:00:00.000Z');
    expect(await oneClickUnsubscribe(h, leadId)).toBe(200);
    const withdrawnAt = (await h.lead(leadId)).consent?.withdrawnAt;
    expect(withdrawnAt).toBe('2026-12-01T12:00:00.000Z');
    await h.advanceTo('2027-01-10T08:00:00.000Z');
    const before = kinds(h, leadId);
    // Act 1: the person signs up again on the newsletter form (twice: a double click)
    await h.submit({ ...cold, formId: 'newsletter', pageUrl: 'https://kessler-industrial.example/news' });
    await h.submit({ ...cold, formId: 'newsletter', pageUrl: 'https://kessler-industrial.example/news' });
    await h.advanceTo('2027-01-12T08:00:00.000Z');
    // Assert 1: one confirmation email, no nurture; still unsubscribed (a CRM sees no change) until confirmed
    expect(kinds(h, leadId)).toEqual([...before, 'consentRequest']);
    const asked = await h.lead(leadId);
    expect(asked).toMatchObject({ unsubscribed: true, marketingConsent: false });
    expect(asked.consent).toMatchObject({
      mode: 'double',
      givenAt: '2027-01-10T08:00:00.000Z',
      formId: 'newsletter',
      pageUrl: 'https://kessler-industrial.example/news',
      previouslyWithdrawnAt: withdrawnAt,
    });
    expect(asked.consent?.confirmedAt).toBeUndefined();
    expect(asked.consent?.withdrawnAt).toBeUndefined();
    // Act 2: the person presses the button in the new email
    const confirmed = await h.confirmConsent(leadId);
    // Assert 2: subscribed again; nurture resumes at once
    expect(confirmed.statusCode).toBe(200);
    expect(kinds(h, leadId)).toEqual([...before, 'consentRequest', 'nurture']);
    expect(await h.lead(leadId)).toMatchObject({ unsubscribed: false, marketingConsent: true });
    expect((await h.lead(leadId)).consent?.confirmedAt).toBe('2027-01-12T08:00:00.000Z');
  });

  it('a second unsubscribe in the same life stores its own event and stops nurture at once', async () => {
    // Arrange: subscribed, unsubscribed, subscribed again and confirmed
    const h = harness();
    const leadId = await h.submit(cold);
    await h.confirmConsent(leadId);
    await h.advanceTo('2026-12-01T12:00:00.000Z');
    await oneClickUnsubscribe(h, leadId);
    await h.advanceTo('2027-01-10T08:00:00.000Z');
    await h.submit({ ...cold, formId: 'newsletter' });
    await h.confirmConsent(leadId);
    const nurtured = kinds(h, leadId);
    // Act
    await h.advanceTo('2027-01-11T08:00:00.000Z');
    const status = await oneClickUnsubscribe(h, leadId);
    await h.advanceTo('2027-04-01T08:00:00.000Z');
    // Assert: two unsubscribe events, and not one nurture email after the second
    expect(status).toBe(200);
    const events = (await h.store.listEvents(leadId)).filter((event) => event.type === 'unsubscribe');
    expect(events.map((event) => event.occurredAt)).toEqual([
      '2026-12-01T12:00:00.000Z',
      '2027-01-11T08:00:00.000Z',
    ]);
    expect(kinds(h, leadId)).toEqual(nurtured);
    expect((await h.lead(leadId)).consent).toMatchObject({ withdrawnAt: '2027-01-11T08:00:00.000Z' });
  });

  it('after an unsubscribe, a single opt-in form still asks the person to confirm by email', async () => {
    // Arrange: the guide form on single opt-in; subscribed at once, then unsubscribed
    const h = harness(guideOnSingleOptIn());
    const leadId = await h.submit(cold);
    await h.advanceTo('2026-12-01T12:00:00.000Z');
    await oneClickUnsubscribe(h, leadId);
    const before = kinds(h, leadId);
    // Act
    await h.advanceTo('2026-12-10T08:00:00.000Z');
    await h.submit(cold);
    await h.advanceTo('2026-12-20T08:00:00.000Z');
    // Assert
    expect(before).toEqual(['nurture']);
    expect(kinds(h, leadId)).toEqual(['nurture', 'consentRequest']);
    expect((await h.lead(leadId)).consent).toMatchObject({ mode: 'double' });
  });

  it('a request whose link expired unconfirmed is renewed by a new post: one new email, and its link confirms', async () => {
    // Arrange: asked to confirm, never did; the 30-day link expired
    const h = harness();
    const leadId = await h.submit(cold);
    const first = (await h.lead(leadId)).consent;
    await h.advanceTo('2026-12-31T08:00:00.000Z');
    // Act 1: the person signs up again (and again: a double click)
    await h.submit({ ...cold, formId: 'newsletter' });
    await h.submit({ ...cold, formId: 'newsletter' });
    await h.advanceTo('2027-01-02T08:00:00.000Z');
    // Assert 1: one new confirmation email for a new request
    expect(kinds(h, leadId)).toEqual(['consentRequest', 'consentRequest']);
    const renewed = (await h.lead(leadId)).consent;
    expect(renewed).toMatchObject({ givenAt: '2026-12-31T08:00:00.000Z', formId: 'newsletter' });
    expect(renewed?.requestId).not.toBe(first?.requestId);
    // Act 2
    expect((await h.confirmConsent(leadId)).statusCode).toBe(200);
    // Assert 2
    expect(kinds(h, leadId)).toEqual(['consentRequest', 'consentRequest', 'nurture']);
  });

  it('while a request is pending and its link alive, a new post sends nothing more (no mailing someone over and over)', async () => {
    // Arrange
    const h = harness();
    const leadId = await h.submit(cold);
    const first = (await h.lead(leadId)).consent;
    await h.advanceTo('2026-12-29T08:00:00.000Z');
    // Act
    await h.submit({ ...cold, formId: 'newsletter' });
    await h.advanceTo('2026-12-30T08:00:00.000Z');
    // Assert
    expect(kinds(h, leadId)).toEqual(['consentRequest']);
    expect((await h.lead(leadId)).consent).toEqual(first);
  });

  it("a request awaiting confirmation is answered by a single opt-in form's ticked box: nurture starts, and the first email's link says so", async () => {
    // Arrange: the guide form on single opt-in; the person first asked on the newsletter form (double), never confirmed
    const h = harness(guideOnSingleOptIn());
    const leadId = await h.submit({ ...cold, formId: 'newsletter' });
    const first = (await h.lead(leadId)).consent;
    await h.advanceTo('2026-12-02T08:00:00.000Z');
    // Act 1: the person downloads the guide, ticking its box (single opt-in: the tick is the consent)
    await h.submit(cold);
    await h.advanceTo('2026-12-03T08:00:00.000Z');
    // Assert 1: subscribed on the guide form's record; nurture started
    expect(first).toMatchObject({ mode: 'double', formId: 'newsletter' });
    const lead = await h.lead(leadId);
    expect(lead.consent).toMatchObject({
      mode: 'single',
      formId: 'efficiency-guide',
      confirmedAt: '2026-12-02T08:00:00.000Z',
    });
    expect(kinds(h, leadId)).toEqual(['consentRequest', 'nurture']);
    // Act 2: the person presses the button in the first (newsletter) confirmation email after all
    const late = await h.confirmConsent(leadId, first!.requestId);
    // Assert 2: told they are subscribed (not "no longer applies"); nothing changes, nothing more is sent
    expect(late.statusCode).toBe(200);
    expect((await h.lead(leadId)).consent).toEqual(lead.consent);
    await h.advanceTo('2026-12-04T08:00:00.000Z');
    expect(kinds(h, leadId).filter((kind) => kind === 'consentRequest')).toHaveLength(1);
  });

  it.each([
    [
      'the one-click link of an older email',
      (h: WorkflowHarness, leadId: string) => oneClickUnsubscribe(h, leadId),
    ],
    [
      'an unsubscribe event from the tracker',
      async (h: WorkflowHarness, leadId: string) => {
        const result = await h.postEvents(leadId, [
          { eventId: 'unsub-2', type: 'unsubscribe', occurredAt: h.clock.now().toISOString() },
        ]);
        await h.settle();
        return result.statusCode ?? 0;
      },
    ],
  ])(
    'an unsubscribe while a request to subscribe again awaits confirmation withdraws that request (%s)',
    async (_how, unsubscribeAgain) => {
      // Arrange: subscribed, unsubscribed, then asked again on the newsletter form (its confirmation email sent)
      const h = harness();
      const leadId = await h.submit(cold);
      await h.confirmConsent(leadId);
      await h.advanceTo('2026-12-01T12:00:00.000Z');
      await oneClickUnsubscribe(h, leadId);
      await h.advanceTo('2027-01-10T08:00:00.000Z');
      await h.submit({ ...cold, formId: 'newsletter' });
      await h.advanceTo('2027-01-11T08:00:00.000Z');
      const asked = kinds(h, leadId);
      // Act: the person says no again before confirming
      const status = await unsubscribeAgain(h, leadId);
      const confirmed = await h.confirmConsent(leadId);
      await h.advanceTo('2027-03-01T08:00:00.000Z');
      // Assert: the request is withdrawn, its link no longer applies, still unsubscribed, nothing marketing sent
      expect(status).toBe(200);
      expect(asked.at(-1)).toBe('consentRequest');
      const lead = await h.lead(leadId);
      expect(lead.consent).toMatchObject({ formId: 'newsletter', withdrawnAt: '2027-01-11T08:00:00.000Z' });
      expect(lead.consent?.confirmedAt).toBeUndefined();
      expect(confirmed.statusCode).toBe(410);
      expect(lead).toMatchObject({ unsubscribed: true, marketingConsent: false });
      expect(kinds(h, leadId)).toEqual(asked);
    },
  );

  it.each([
    ['Salesforce Web-to-Lead', { emailOptOut: '1' }],
    ['a plain form', { optOut: 'yes' }],
  ])(
    'a ticked opt-out on a later form post (%s) withdraws the consent: unsubscribed, no more nurture',
    async (_name, optOut) => {
      // Arrange: subscribed and confirmed, first nurture email sent
      const h = harness();
      const leadId = await h.submit(cold);
      await h.confirmConsent(leadId);
      await h.advanceTo('2026-12-01T12:00:00.000Z');
      const nurtured = kinds(h, leadId);
      // Act: the person posts another form with the opt-out box ticked
      const status = await formPost(h, { email: String(cold.email), formId: 'efficiency-guide', ...optOut });
      await h.advanceTo('2027-03-01T08:00:00.000Z');
      // Assert
      expect(status).toBe(202);
      expect(nurtured).toEqual(['consentRequest', 'nurture']);
      expect(kinds(h, leadId)).toEqual(nurtured);
      const lead = await h.lead(leadId);
      expect(lead).toMatchObject({ unsubscribed: true, marketingConsent: false });
      expect(lead.consent?.withdrawnAt).toBe('2026-12-01T12:00:00.000Z');
      expect(lead.timeline.filter((entry) => entry.kind === 'unsubscribed')).toHaveLength(1);
    },
  );
});
