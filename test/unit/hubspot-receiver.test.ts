/**
 * examples/integrations/hubspot-receiver.ts, the CRM recipe: it verifies LeadPact's signature, drops a
 * repeated webhook-id, and maps a lead's story to the HubSpot requests it would send (no network: the
 * requests are recorded). Deliveries come from LeadPact's own sender (tasks/events-out.ts) over a real socket.
 */
import { afterEach, describe, expect, it } from 'vitest';
import {
  type HubSpotRequest,
  type Receiver,
  startHubSpotReceiver,
} from '../../examples/integrations/hubspot-receiver.ts';
import { FetchWebhookTransport } from '../../lambdas/adapters/fetch-webhook-transport.ts';
import { type LeadEvent, leadEvents } from '../../lambdas/domain/lead-events.ts';
import { eraseLead, newLeadState } from '../../lambdas/domain/lead-state.ts';
import { signedHeaders, webhookBody } from '../../lambdas/domain/webhooks.ts';
import { withContact } from '../../lambdas/tasks/events-out.ts';
import { loadDefaultSla } from '../support/sla.ts';
import { TEST_WEBHOOK_SECRET } from '../support/webhook-receiver.ts';

const sla = loadDefaultSla();
const T0 = new Date('2026-11-30T08:00:00.000Z');
let receiver: Receiver | undefined;
afterEach(async () => {
  await receiver?.close();
});

async function post(url: string, event: LeadEvent, secret = TEST_WEBHOOK_SECRET) {
  const body = webhookBody(event);
  return new FetchWebhookTransport().post(
    url,
    { 'content-type': 'application/json', ...signedHeaders(secret, event.id, body, new Date()) },
    body,
    5_000,
  );
}

describe('the HubSpot recipe', () => {
  it('upserts the contact by LeadPact lead id, moves lifecycle and deal stage, and GDPR-deletes on erasure', async () => {
    // Arrange
    const sent: HubSpotRequest[] = [];
    receiver = await startHubSpotReceiver({
      secret: TEST_WEBHOOK_SECRET,
      owners: { jonas: '7001' },
      send: async (request) => void sent.push(request),
    });
    const lead = newLeadState(
      sla,
      {
        leadId: 'HubSpotRecipe000000000',
        email: 'petra@brauhaus.example',
        fields: { firstName: 'Petra', company: 'Brauhaus Werke GmbH', jobTitle: 'Plant Manager' },
        marketingConsent: true,
      },
      [],
      T0,
      'form',
    );
    const [created] = leadEvents(sla, lead).map((event) => withContact(event, lead));
    const base = {
      ...created!,
      reasons: [],
      cycle: 1,
      slaVersion: sla.version,
      by: 'workflow',
      schemaVersion: 1,
    };
    const more: LeadEvent[] = [
      { ...base, id: 'evt_stage', type: 'lead.stage_changed', seq: 5, data: { from: 'mql', to: 'sql' } },
      { ...base, id: 'evt_owner', type: 'lead.assigned', seq: 6, data: { ownerId: 'jonas' } },
      {
        ...base,
        id: 'evt_deal',
        type: 'deal.stage_changed',
        seq: 7,
        data: { from: 'quote-presented', to: 'closed-won' },
      },
    ];
    const erased = leadEvents(sla, eraseLead(lead, T0, 'api:admin')).at(-1)!;

    // Act
    const answers = [];
    for (const event of [created!, ...more, erased]) answers.push(await post(receiver.url, event));
    const repeat = await post(receiver.url, more[0]!);
    const forged = await post(
      receiver.url,
      more[1]!,
      `whsec_${Buffer.from('not-the-key-not-the-key-32bytes!').toString('base64')}`,
    );

    // Assert
    expect(answers.map((a) => a.statusCode)).toEqual([204, 204, 204, 204, 204]);
    expect(repeat.statusCode).toBe(204);
    expect(forged.statusCode).toBe(401);
    expect(sent).toEqual([
      {
        method: 'POST',
        path: '/crm/v3/objects/contacts/batch/upsert',
        body: {
          inputs: [
            {
              idProperty: 'leadpact_lead_id',
              id: lead.leadId,
              properties: {
                leadpact_lead_id: lead.leadId,
                email: 'petra@brauhaus.example',
                firstname: 'Petra',
                company: 'Brauhaus Werke GmbH',
                jobtitle: 'Plant Manager',
                lifecyclestage: expect.any(String),
              },
            },
          ],
        },
      },
      expect.objectContaining({
        body: {
          inputs: [
            expect.objectContaining({
              properties: expect.objectContaining({ lifecyclestage: 'salesqualifiedlead' }),
            }),
          ],
        },
      }),
      expect.objectContaining({
        body: {
          inputs: [
            expect.objectContaining({ properties: expect.objectContaining({ hubspot_owner_id: '7001' }) }),
          ],
        },
      }),
      {
        method: 'POST',
        path: '/crm/v3/objects/deals/batch/upsert',
        body: {
          inputs: [
            {
              idProperty: 'leadpact_lead_id',
              id: lead.leadId,
              properties: { leadpact_lead_id: lead.leadId, dealstage: 'closedwon', pipeline: 'default' },
            },
          ],
        },
      },
      {
        method: 'POST',
        path: '/crm/v3/objects/contacts/gdpr-delete',
        body: { idProperty: 'leadpact_lead_id', objectId: lead.leadId },
      },
    ]);
  });

  it('keeps HubSpot at the latest change whatever order deliveries come in, and an erased lead erased', async () => {
    // Arrange: Petra's story; HubSpot was down, so her first events come again after newer ones (retries)
    const sent: HubSpotRequest[] = [];
    receiver = await startHubSpotReceiver({
      secret: TEST_WEBHOOK_SECRET,
      send: async (request) => void sent.push(request),
    });
    const lead = newLeadState(
      sla,
      {
        leadId: 'HubSpotOrder0000000000',
        email: 'petra@brauhaus.example',
        fields: { firstName: 'Petra' },
        marketingConsent: false,
      },
      [],
      T0,
      'form',
    );
    const [created] = leadEvents(sla, lead).map((event) => withContact(event, lead));
    const base = {
      ...created!,
      reasons: [],
      cycle: 1,
      slaVersion: sla.version,
      by: 'workflow',
      schemaVersion: 1,
    };
    const status = (seq: number, to: string): LeadEvent => ({
      ...base,
      id: `evt_status_${seq}`,
      type: 'lead.status_changed',
      seq,
      data: { from: 'new', to },
    });
    const stage: LeadEvent = {
      ...base,
      id: 'evt_stage',
      type: 'lead.stage_changed',
      seq: 5,
      data: { from: 'mql', to: 'sql' },
    };
    const fields: LeadEvent = {
      ...base,
      id: 'evt_fields',
      type: 'lead.fields_corrected',
      seq: 6,
      data: { field: 'phone' },
      contact: { email: 'petra.s@brauhaus.example', phone: '+49 171 5550002' },
    };
    const erased = { ...leadEvents(sla, eraseLead(lead, T0, 'api:admin')).at(-1)!, seq: 9 };

    // Act: the newer ones first, then the retries of the older ones; then the erase, and a retry after it
    for (const event of [
      stage,
      fields,
      status(7, 'connected'),
      created!,
      status(3, 'new'),
      erased,
      status(8, 'open-deal'),
    ])
      expect((await post(receiver.url, event)).statusCode).toBe(204);

    // Assert: the corrected contact; from lead.created only what no later change set (not its older email or
    // lifecycle stage); the status stays Connected; nothing after the GDPR delete
    const properties = sent.map((request) =>
      request.path.endsWith('gdpr-delete')
        ? 'gdpr-delete'
        : (request.body as { inputs: { properties: Record<string, unknown> }[] }).inputs[0]!.properties,
    );
    expect(properties).toEqual([
      { leadpact_lead_id: lead.leadId, lifecyclestage: 'salesqualifiedlead' },
      { leadpact_lead_id: lead.leadId, email: 'petra.s@brauhaus.example', phone: '+49 171 5550002' },
      { leadpact_lead_id: lead.leadId, hs_lead_status: 'CONNECTED' },
      { leadpact_lead_id: lead.leadId, firstname: 'Petra' },
      'gdpr-delete',
    ]);
  });
});
