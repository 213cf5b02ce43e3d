/**
 * Marketing consent in events out (an outside trial: a developer syncing LeadPact into a CRM found no event when a
 * lead's consent changed, so the CRM's "marketable" flag could not follow the double opt-in). `lead.consent_confirmed`
 * tells the confirmation with the consent as its record holds it (when, the form, the text and its hash);
 * `lead.unsubscribed` the withdrawal; `lead.created` carries the lead's attribution (form id, UTM). An erased lead's
 * events carry no personal data, replayed or not.
 *
 * The whole local runtime (HTTP on a real socket, dynalite, the workflow, the SES emulator's inbox) with a webhook
 * subscription to a receiver on 127.0.0.1 that verifies every delivery with `standardwebhooks`.
 */
import { createHash } from 'node:crypto';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import { eventSchema } from '../../lambdas/domain/event-schemas.ts';
import type { LeadEventType } from '../../lambdas/domain/lead-events.ts';
import type { Sla } from '../../lambdas/domain/sla-schema.ts';
import { listUnsubscribeUrl } from '../support/e2e.ts';
import { loadDefaultSla } from '../support/sla.ts';
import { useSubscribedE2e } from '../support/subscribed-e2e.ts';
import type { ReceivedWebhook, WebhookReceiver } from '../support/webhook-receiver.ts';

const TOKEN = 'e2e-admin-token-3b9d0c7f21';
const CONSENT_TEXT = 'Send me useful content (you can unsubscribe any time)';

const subscribed = useSubscribedE2e();
const start = (sla?: Sla) => subscribed(sla ? { sla } : {});

type Payload = ReceivedWebhook['payload'];
const eventsOf = (r: WebhookReceiver, leadId: string): Payload[] =>
  r
    .accepted()
    .map((delivery) => delivery.payload)
    .filter((payload) => payload.data.leadId === leadId);
const ofType = (events: Payload[], type: string) => events.filter((event) => event.type === type);

function expectValid(events: Payload[]): void {
  const ajv = new Ajv2020({ strict: false });
  addFormats.default(ajv);
  for (const event of events) {
    const validate =
      ajv.getSchema(`https://leadpact.dev/events/${event.type}.schema.json`) ??
      ajv.compile(eventSchema(event.type as LeadEventType));
    expect(validate(event.data), `${event.type}: ${JSON.stringify(validate.errors)}`).toBe(true);
  }
}

const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

describe('marketing consent in events out', () => {
  it('double opt-in: the link pressed sends lead.consent_confirmed (when, the form, the text and its hash); unsubscribing sends lead.unsubscribed after it; erased, a replay carries no personal data', async () => {
    // Arrange: a newsletter sign-up from a campaign link, box ticked (double opt-in)
    const { e, receiver } = await start();
    const email = 'grace@mill.example';
    const leadId = e.leadIdOf(email);
    const posted = await e.postLead({
      email,
      firstName: 'Grace',
      marketingConsent: true,
      formId: 'newsletter',
      pageUrl: 'https://www.kessler.example/newsletter?ref=grace',
      utm_source: 'linkedin',
      utm_medium: 'paid-social',
      utm_campaign: 'air-audit-2026',
    });
    await e.settle();
    const givenAt = (await e.readLead(leadId)).consent?.givenAt;
    const beforeConfirm = ofType(eventsOf(receiver, leadId), 'lead.consent_confirmed');

    // Act 1: the person presses the link in the confirmation email
    const confirmed = await e.confirmSubscription(email);
    await e.settle();

    // Assert 1: one signed lead.consent_confirmed with the consent record's terms, no page URL
    expect(posted.status).toBe(202);
    expect(confirmed.status).toBe(200);
    expect(beforeConfirm).toEqual([]);
    expect(receiver.rejected).toEqual([]);
    const [consent, ...more] = ofType(eventsOf(receiver, leadId), 'lead.consent_confirmed');
    expect(more).toEqual([]);
    expect(consent?.data).toMatchObject({
      type: 'lead.consent_confirmed',
      leadId,
      cycle: 1,
      by: 'lead',
      time: (await e.readLead(leadId)).consent?.confirmedAt,
      reasons: [expect.objectContaining({ rule: 'consent.confirmed' })],
      data: {
        mode: 'double',
        givenAt,
        formId: 'newsletter',
        text: CONSENT_TEXT,
        textSha256: sha256(CONSENT_TEXT),
      },
    });
    expect(JSON.stringify(consent?.data.data)).not.toContain('grace');
    // lead.created carries the attribution as stored: the form id and the UTM source, medium and campaign
    const [created] = ofType(eventsOf(receiver, leadId), 'lead.created');
    expect(created?.data).toMatchObject({
      contact: { email },
      attribution: {
        formId: 'newsletter',
        utmSource: 'linkedin',
        utmMedium: 'paid-social',
        utmCampaign: 'air-audit-2026',
      },
    });

    // Act 2: the List-Unsubscribe link of the first nurture email (sent once confirmed)
    const nurture = (await e.mailsTo(email)).find((mail) => listUnsubscribeUrl(mail) !== undefined);
    const unsubscribed = await e.request('POST', listUnsubscribeUrl(nurture!)!);
    await e.settle();

    // Assert 2: the withdrawal comes after the confirmation in the lead's story
    expect(unsubscribed.status).toBe(200);
    const [withdrawal] = ofType(eventsOf(receiver, leadId), 'lead.unsubscribed');
    expect(withdrawal?.data.seq).toBeGreaterThan(consent!.data.seq as number);
    expectValid(eventsOf(receiver, leadId));

    // Act 3: the lead erased, then the consent and created deliveries replayed
    expect((await e.request('DELETE', `/leads/${leadId}`)).status).toBe(200);
    await e.settle();
    const log = await e.request('GET', '/webhooks/deliveries?status=delivered&limit=200', { token: TOKEN });
    const deliveries = (log.body as { deliveries: { deliveryId: string; eventId: string }[] }).deliveries;
    const before = receiver.accepted().length;
    for (const id of [consent!.data.id, created!.data.id]) {
      const delivery = deliveries.find((candidate) => candidate.eventId === id)!;
      const replay = await e.request('POST', `/webhooks/deliveries/${delivery.deliveryId}/replay`, {
        token: TOKEN,
      });
      expect(replay.status).toBe(202);
    }
    await e.settle();

    // Assert 3: the same events (ids, seq, terms of the consent), without reasons, contact or attribution
    const replayed = receiver
      .accepted()
      .slice(before)
      .map((delivery) => delivery.payload);
    expect(replayed).toHaveLength(2);
    const again = (id: unknown) => replayed.find((payload) => payload.data.id === id)?.data;
    expect(again(consent!.data.id)).toEqual({ ...consent!.data, reasons: [] });
    expect(again(created!.data.id)).not.toHaveProperty('contact');
    expect(again(created!.data.id)).not.toHaveProperty('attribution');
    expect(JSON.stringify(replayed)).not.toMatch(/grace|linkedin|air-audit/i);
  });

  it('single opt-in: the ticked box is the confirmation, told at once; a repeat post sends no second one', async () => {
    // Arrange: the default SLA with the guide form on single opt-in
    const base = loadDefaultSla();
    const sla: Sla = {
      ...base,
      forms: base.forms.map((form) =>
        form.id === 'efficiency-guide' ? { ...form, consent: 'single' as const } : form,
      ),
    };
    const { e, receiver } = await start(sla);
    const email = 'linus@press.example';
    const leadId = e.leadIdOf(email);
    const post = { email, marketingConsent: true, formId: 'efficiency-guide', jobTitle: 'Engineer' };

    // Act
    expect((await e.postLead(post)).status).toBe(202);
    await e.settle();
    expect((await e.postLead(post)).status).toBe(202);
    await e.settle();

    // Assert
    const events = eventsOf(receiver, leadId);
    const confirmations = ofType(events, 'lead.consent_confirmed');
    expect(confirmations).toHaveLength(1);
    expect(confirmations[0]?.data).toMatchObject({
      by: 'form',
      data: { mode: 'single', formId: 'efficiency-guide', textSha256: sha256(CONSENT_TEXT) },
    });
    expect(confirmations[0]?.data.time).toBe((await e.readLead(leadId)).consent?.confirmedAt);
    expect(ofType(events, 'lead.created')[0]?.data.attribution).toEqual({ formId: 'efficiency-guide' });
    expectValid(events);
  });
});
