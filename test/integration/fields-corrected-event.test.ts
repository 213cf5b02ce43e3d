/**
 * A field correction reaches the CRM: PATCH /leads/{id}/fields on the real local runtime (dynalite, the HTTP
 * server, events out publishing each write) sends `lead.fields_corrected`, one per field, each carrying the
 * contact as it is now, to a webhook receiver on a real socket that verifies the signature with the
 * `standardwebhooks` package; and the event validates against its published JSON Schema.
 */
import { readFileSync } from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalRuntime, startLocalRuntime } from '../../local/runtime.ts';
import { ADMIN_TOKEN, SQL_LEAD } from '../support/local-api.ts';
import { loadDefaultSla } from '../support/sla.ts';
import {
  startWebhookReceiver,
  TEST_WEBHOOK_SECRET,
  type WebhookReceiver,
} from '../support/webhook-receiver.ts';

describe('a field correction, as events out tell a CRM', () => {
  let receiver: WebhookReceiver;
  let runtime: LocalRuntime;

  beforeAll(async () => {
    receiver = await startWebhookReceiver();
    runtime = await startLocalRuntime({
      sla: loadDefaultSla(),
      port: 0,
      adminToken: ADMIN_TOKEN,
      workflows: 'record',
      rateLimit: { perMinute: 1_000_000, burst: 1_000_000 },
      events: {
        subscriptions: [{ id: 'crm', url: receiver.url, events: ['*'], secret: TEST_WEBHOOK_SECRET }],
      },
    });
  });
  afterAll(async () => {
    await runtime?.close();
    await receiver?.close();
  });

  const call = (method: string, path: string, body?: unknown) =>
    fetch(`${runtime.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });

  it('sends lead.fields_corrected per field with the contact as it is now, signed and as its schema says', async () => {
    // Arrange: Petra's lead, created by the API
    const created = await call('POST', '/leads', {
      email: 'petra.fields@brauhaus-werke.example',
      firstName: 'Petra',
      lastName: 'Schneider',
      ...SQL_LEAD,
    });
    expect(created.status).toBe(202);
    const { leadId } = (await created.json()) as { leadId: string };

    // Act: a rep corrects her phone and last name
    const corrected = await call('PATCH', `/leads/${leadId}/fields`, {
      fields: { phone: '+49 171 5550002', lastName: 'Schneider-Zwei' },
    });
    await runtime.events.idle();

    // Assert
    expect(corrected.status).toBe(200);
    const events = receiver
      .accepted()
      .map((delivery) => delivery.payload.data as unknown as Record<string, unknown>)
      .filter((event) => event.leadId === leadId && event.type === 'lead.fields_corrected');
    expect(events.map((event) => (event.data as { field: string }).field).sort()).toEqual([
      'lastName',
      'phone',
    ]);
    for (const event of events)
      expect(event.contact).toMatchObject({
        email: 'petra.fields@brauhaus-werke.example',
        lastName: 'Schneider-Zwei',
        phone: '+49 171 5550002',
      });
    const schema = JSON.parse(readFileSync('docs/events/lead.fields_corrected.schema.json', 'utf8'));
    const ajv = new Ajv2020({ allErrors: true, strict: false });
    addFormats.default(ajv);
    const validate = ajv.compile(schema);
    for (const event of events) expect(validate(event), JSON.stringify(validate.errors)).toBe(true);
    expect(receiver.rejected).toEqual([]);
  });
});
