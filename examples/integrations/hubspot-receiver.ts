/**
 * A CRM recipe that runs: a small webhook receiver that verifies LeadPact's Standard Webhooks signature
 * (with the `standardwebhooks` package, as any receiver would), drops repeats by `webhook-id`, and maps
 * each event to the HubSpot CRM v3 API request it would send. Deliveries do not come in order (a retry
 * comes after newer events): each HubSpot property keeps the value of the latest change by `seq`, and an
 * erased lead's life gets nothing after its GDPR delete (AppliedChanges). docs/integrations.md walks through it.
 *
 *   LEADPACT_WEBHOOK_SECRET=whsec_... npx tsx examples/integrations/hubspot-receiver.ts   # listens on :8787
 *   LEADPACT_WEBHOOK_SECRET=whsec_... npx leadpact dev --webhook http://127.0.0.1:8787/hooks/leadpact
 *
 * Without HUBSPOT_TOKEN it prints the requests instead of sending them. HubSpot side: create the contact
 * and deal property `leadpact_lead_id` (single-line text, unique value) so LeadPact's lead id is the key.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';

/** What HubSpot would be sent: method, path (on https://api.hubapi.com) and JSON body. */
export interface HubSpotRequest {
  readonly method: 'POST' | 'PATCH';
  readonly path: string;
  readonly body: unknown;
}

interface LeadPactEvent {
  readonly id: string;
  readonly type: string;
  readonly time: string;
  readonly leadId: string;
  /** the lead's life (a person erased and back is a new one) and the change's place in its story */
  readonly cycle: number;
  readonly seq: number;
  readonly data: Readonly<Record<string, string | number | boolean>>;
  readonly contact?: Readonly<Record<string, string>>;
}

/** LeadPact's lifecycle stages as HubSpot's `lifecyclestage` values. */
const LIFECYCLE: Record<string, string> = {
  subscriber: 'subscriber',
  lead: 'lead',
  mql: 'marketingqualifiedlead',
  sql: 'salesqualifiedlead',
  opportunity: 'opportunity',
  customer: 'customer',
};
/** The default SLA's lead statuses as HubSpot's `hs_lead_status` values. */
const LEAD_STATUS: Record<string, string> = {
  new: 'NEW',
  'attempting-contact': 'ATTEMPTED_TO_CONTACT',
  connected: 'CONNECTED',
  'open-deal': 'OPEN_DEAL',
  unqualified: 'UNQUALIFIED',
  'recycled-not-ready': 'BAD_TIMING',
  'bad-timing': 'BAD_TIMING',
};
/** The default SLA's deal stages as the default HubSpot sales pipeline's `dealstage` values. */
const DEAL_STAGE: Record<string, string> = {
  discovery: 'appointmentscheduled',
  'quote-development': 'qualifiedtobuy',
  'quote-presented': 'presentationscheduled',
  'on-hold': 'decisionmakerboughtin',
  'closed-won': 'closedwon',
  'closed-lost': 'closedlost',
};

const upsert = (
  object: 'contacts' | 'deals',
  leadId: string,
  properties: Record<string, unknown>,
): HubSpotRequest => ({
  method: 'POST',
  path: `/crm/v3/objects/${object}/batch/upsert`,
  body: {
    inputs: [
      { idProperty: 'leadpact_lead_id', id: leadId, properties: { leadpact_lead_id: leadId, ...properties } },
    ],
  },
});

/** An event's `contact` as HubSpot's contact properties. */
function contactProperties(c: Readonly<Record<string, string>> = {}): Record<string, string> {
  return {
    ...(c.email ? { email: c.email } : {}),
    ...(c.firstName ? { firstname: c.firstName } : {}),
    ...(c.lastName ? { lastname: c.lastName } : {}),
    ...(c.company ? { company: c.company } : {}),
    ...(c.jobTitle ? { jobtitle: c.jobTitle } : {}),
    ...(c.phone ? { phone: c.phone } : {}),
    ...(c.country ? { country: c.country } : {}),
  };
}

/** The HubSpot requests one LeadPact event maps to (none for events HubSpot has no place for). */
export function toHubSpot(
  event: LeadPactEvent,
  owners: Readonly<Record<string, string>> = {},
): HubSpotRequest[] {
  const d = event.data;
  switch (event.type) {
    case 'lead.created':
      return [
        upsert('contacts', event.leadId, {
          ...contactProperties(event.contact),
          ...(LIFECYCLE[String(d.stage)] ? { lifecyclestage: LIFECYCLE[String(d.stage)] } : {}),
        }),
      ];
    // a rep corrected a phone or a name: the contact as LeadPact has it now (none once erased)
    case 'lead.fields_corrected':
      return event.contact ? [upsert('contacts', event.leadId, contactProperties(event.contact))] : [];
    case 'lead.stage_changed':
      return LIFECYCLE[String(d.to)]
        ? [upsert('contacts', event.leadId, { lifecyclestage: LIFECYCLE[String(d.to)] })]
        : [];
    case 'lead.status_changed':
      return LEAD_STATUS[String(d.to)]
        ? [upsert('contacts', event.leadId, { hs_lead_status: LEAD_STATUS[String(d.to)] })]
        : [];
    case 'lead.judged':
      return [
        upsert('contacts', event.leadId, {
          ...(d.total === undefined ? {} : { leadpact_score: d.total }),
          ...(d.persona === undefined ? {} : { leadpact_persona: d.persona }),
          ...(d.leadType === undefined ? {} : { leadpact_lead_type: d.leadType }),
        }),
      ];
    case 'lead.assigned':
    case 'lead.reassigned': {
      const owner = owners[String(d.ownerId)];
      return owner ? [upsert('contacts', event.leadId, { hubspot_owner_id: owner })] : [];
    }
    case 'deal.stage_changed':
      return DEAL_STAGE[String(d.to)]
        ? [upsert('deals', event.leadId, { dealstage: DEAL_STAGE[String(d.to)], pipeline: 'default' })]
        : [];
    // marketing consent: confirmed (double opt-in link, single opt-in box) until unsubscribed, in seq order
    case 'lead.consent_confirmed':
      return [upsert('contacts', event.leadId, { hs_marketable_status: 'true' })];
    case 'lead.unsubscribed':
      return [upsert('contacts', event.leadId, { hs_marketable_status: 'false' })];
    case 'lead.erased':
      // GDPR delete in HubSpot too: the contact found by LeadPact's lead id
      return [
        {
          method: 'POST',
          path: '/crm/v3/objects/contacts/gdpr-delete',
          body: { idProperty: 'leadpact_lead_id', objectId: event.leadId },
        },
      ];
    default:
      return [];
  }
}

/**
 * What the receiver applied, to keep HubSpot at the lead's latest state whatever order deliveries come in:
 * per lead life (`leadId` and `cycle`) the `seq` of the change that last set each property, and the lives
 * erased. In memory here; a receiver that restarts keeps it where it keeps its webhook ids.
 */
export class AppliedChanges {
  private readonly setBy = new Map<string, number>();
  private readonly erased = new Set<string>();

  /**
   * `requests` (toHubSpot's for `event`) without what a later change already set: a property another change
   * of a higher `seq` wrote is left out, an upsert left with nothing is dropped, and an erased life gets
   * nothing (a retried `lead.created` after the GDPR delete would create the contact again).
   */
  newer(event: LeadPactEvent, requests: readonly HubSpotRequest[]): HubSpotRequest[] {
    const life = `${event.leadId}:${event.cycle}`;
    if (this.erased.has(life)) return [];
    return requests.flatMap((request) => {
      const input = upsertInput(request);
      if (!input) return [request];
      const properties = Object.fromEntries(
        Object.entries(input.properties).filter(
          ([name]) =>
            name === 'leadpact_lead_id' ||
            (this.setBy.get(`${life}:${request.path}:${name}`) ?? -1) < event.seq,
        ),
      );
      if (Object.keys(properties).length <= 1) return [];
      return [{ ...request, body: { inputs: [{ ...input, properties }] } }];
    });
  }

  /** Records `requests` (newer's) as sent for `event`. */
  sent(event: LeadPactEvent, requests: readonly HubSpotRequest[]): void {
    const life = `${event.leadId}:${event.cycle}`;
    if (event.type === 'lead.erased') this.erased.add(life);
    for (const request of requests)
      for (const name of Object.keys(upsertInput(request)?.properties ?? {}))
        this.setBy.set(`${life}:${request.path}:${name}`, event.seq);
  }
}

/** The one input of an upsert request (toHubSpot makes one per request); undefined for any other request. */
function upsertInput(
  request: HubSpotRequest,
): { idProperty: string; id: string; properties: Record<string, unknown> } | undefined {
  if (!request.path.endsWith('/batch/upsert')) return undefined;
  return (
    request.body as { inputs: { idProperty: string; id: string; properties: Record<string, unknown> }[] }
  ).inputs[0];
}

export interface Receiver {
  readonly url: string;
  close(): Promise<void>;
}

/**
 * Listens on 127.0.0.1:`port`; `send` gets each HubSpot request (the default prints it). Answers 204 once
 * `send` succeeded (LeadPact retries anything else), 401 on a bad signature, 204 at once on a repeat id.
 */
export async function startHubSpotReceiver(options: {
  secret: string;
  port?: number;
  owners?: Readonly<Record<string, string>>;
  send?: (request: HubSpotRequest) => Promise<void>;
}): Promise<Receiver> {
  const verifier = new Webhook(options.secret);
  const seen = new Set<string>();
  const applied = new AppliedChanges();
  const send = options.send ?? (async (request) => console.log(JSON.stringify(request)));
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', async () => {
      let payload: { data: LeadPactEvent };
      try {
        payload = verifier.verify(
          Buffer.concat(chunks).toString('utf8'),
          req.headers as Record<string, string>,
        ) as {
          data: LeadPactEvent;
        };
      } catch {
        res.writeHead(401).end();
        return;
      }
      const id = String(req.headers['webhook-id']);
      if (seen.has(id)) {
        res.writeHead(204).end();
        return;
      }
      try {
        const event = payload.data;
        const requests = applied.newer(event, toHubSpot(event, options.owners));
        for (const request of requests) await send(request);
        applied.sent(event, requests);
        seen.add(id);
        res.writeHead(204).end();
      } catch {
        res.writeHead(502).end();
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hooks/leadpact`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const secret = process.env.LEADPACT_WEBHOOK_SECRET;
  if (!secret) {
    console.error('set LEADPACT_WEBHOOK_SECRET to the whsec_ key LeadPact signs with');
    process.exit(2);
  }
  const token = process.env.HUBSPOT_TOKEN;
  const receiver = await startHubSpotReceiver({
    secret,
    port: Number(process.env.PORT ?? 8787),
    ...(token
      ? {
          send: async (request: HubSpotRequest) => {
            const response = await fetch(`https://api.hubapi.com${request.path}`, {
              method: request.method,
              headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
              body: JSON.stringify(request.body),
            });
            if (!response.ok) throw new Error(`HubSpot ${response.status}`);
          },
        }
      : {}),
  });
  console.log(
    `HubSpot recipe listening on ${receiver.url}${token ? '' : ' (printing requests: no HUBSPOT_TOKEN)'}`,
  );
}
