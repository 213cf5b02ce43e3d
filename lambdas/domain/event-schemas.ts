/**
 * The JSON Schema (draft 2020-12) of each event type (domain/lead-events.ts): the envelope every event
 * shares and the `data` of its type. docs/events/<type>.schema.json is generated from here
 * (`npm run events:schema`); a test validates the events of a whole lead story against these and keeps
 * the files equal to them.
 */
import { EVENT_SCHEMA_VERSION, LEAD_EVENT_TYPES, type LeadEventType } from './lead-events.ts';

type Schema = Record<string, unknown>;

const text = (description: string): Schema => ({ type: 'string', minLength: 1, description });
const time = (description: string): Schema => ({ type: 'string', format: 'date-time', description });
const integer = (description: string): Schema => ({ type: 'integer', description });
const number = (description: string): Schema => ({ type: 'number', description });

const DATA: Record<
  LeadEventType,
  { description: string; required: string[]; properties: Record<string, Schema> }
> = {
  'lead.created': {
    description:
      'A form (or an import) created the lead. `contact` says who it is, until the lead is erased.',
    required: ['stage'],
    properties: { stage: text('the lifecycle stage it starts in (subscriber, lead, mql, sql, ...)') },
  },
  'lead.judged': {
    description: 'The SLA judged the lead anew and its type, persona, journey stage or SLA version moved.',
    required: ['qualifiesAs'],
    properties: {
      qualifiesAs: text('the stage its scores qualify it for'),
      leadType: text('the SLA lead type id'),
      persona: text('the SLA persona id'),
      journeyStage: text('awareness, consideration or decision'),
      fit: number('fit score'),
      fitTier: text('fit tier (A-D)'),
      engagement: number('engagement score'),
      total: number('total score'),
    },
  },
  'lead.stage_changed': {
    description: 'The lifecycle stage moved.',
    required: ['to'],
    properties: { from: text('the stage left (absent: none)'), to: text('the stage entered') },
  },
  'lead.status_changed': {
    description: 'The lead status moved.',
    required: ['to'],
    properties: {
      from: text('the status left'),
      to: text('the status taken (an SLA leadStatuses id)'),
      stage: text('the stage with it'),
    },
  },
  'lead.assigned': {
    description: 'A rep got the lead at the handoff.',
    required: ['ownerId'],
    properties: { ownerId: text('the rep id (SLA routing.reps)') },
  },
  'lead.reassigned': {
    description: 'Another rep got the lead (the escalation ladder, a manager, ops).',
    required: ['fromOwnerId', 'ownerId'],
    properties: { fromOwnerId: text('the previous owner'), ownerId: text('the new owner') },
  },
  'lead.first_touch_met': {
    description: "The owner's first attempt came within the SLA's first-touch time.",
    required: [],
    properties: {
      ownerId: text('the owner'),
      dueAt: time('the first-touch deadline'),
      responseHours: number('business hours from the handoff to the first attempt'),
    },
  },
  'lead.first_touch_breached': {
    description:
      'The first-touch deadline passed (once per owner): a late first attempt or the first escalation.',
    required: [],
    properties: { ownerId: text('the owner who missed it'), dueAt: time('the first-touch deadline') },
  },
  'lead.attempt_logged': {
    description: 'A contact attempt was logged.',
    required: ['attemptNo'],
    properties: {
      attemptNo: integer('1-based number since the handoff'),
      ownerId: text('the owner'),
      outcome: text('the SLA rule of the outcome (contact.outcome.<id>)'),
    },
  },
  'lead.recycled': {
    description: 'The lead went back to marketing (cadence exhausted, a rep recycled it, a lost deal).',
    required: ['status'],
    properties: { status: text('the recycled status id') },
  },
  'lead.escalated': {
    description: 'A rung of the first-touch escalation ladder was taken.',
    required: ['step'],
    properties: {
      step: { enum: ['remindOwner', 'notifyManager', 'reassign', 'handToManager'], description: 'the rung' },
      ownerId: text('the owner at the time'),
      to: text('who was told or got the lead (a rep, a manager, "ops")'),
    },
  },
  'deal.stage_changed': {
    description: "The lead's deal opened or moved stage.",
    required: ['to'],
    properties: {
      from: text('the deal stage left (absent: the deal opened)'),
      to: text('an SLA deals.stages id'),
    },
  },
  'lead.fields_corrected': {
    description:
      'A person (a rep, a manager, the API) corrected what is known of the lead, one event per field. `contact` says who it is now, until the lead is erased.',
    required: [],
    properties: { field: text('the field corrected: firstName, phone, a custom key (absent once erased)') },
  },
  'lead.consent_confirmed': {
    description:
      'Marketing consent was confirmed: the double opt-in link pressed (a request given again after an unsubscribe included: the person is subscribed again), or a single opt-in form posted with the box ticked. The lead may be sent marketing email from now until `lead.unsubscribed`. The consent as its record held it; no personal data (kept after an erase).',
    required: [],
    properties: {
      mode: { enum: ['double', 'single'], description: 'double or single opt-in (the form in the SLA)' },
      givenAt: time('when the form was posted with the box ticked (the event time is the confirmation)'),
      formId: text('the form it was given on (absent: the post named none)'),
      text: text(
        'the consent text the person agreed to, as the record holds it (the SLA form, in their language)',
      ),
      textSha256: {
        type: 'string',
        pattern: '^[0-9a-f]{64}$',
        description: 'SHA-256 of `text` (UTF-8), hex: the same wording always has the same hash',
      },
      locale: text("the language the consent was given in (absent: the lead's)"),
      previouslyWithdrawnAt: time(
        'consent given again after an unsubscribe: when the earlier one was withdrawn',
      ),
    },
  },
  'lead.unsubscribed': {
    description:
      "The person unsubscribed from marketing email (the link in an email, a form's opt-out, a tracker's unsubscribe event): marketing consent is withdrawn, a request still awaiting confirmation too.",
    required: [],
    properties: {},
  },
  'lead.erased': {
    description: 'The personal data was erased on request. Carries no personal data and no reasons.',
    required: [],
    properties: {},
  },
};

const REASON: Schema = {
  type: 'object',
  required: ['rule', 'detail'],
  properties: {
    rule: text('the SLA rule that decided it, e.g. qualify.sql, deals.stage.closed-won'),
    points: number('points it contributed, for a scoring rule'),
    detail: { type: 'string', description: 'in words' },
  },
};

export function eventSchema(type: LeadEventType): Schema {
  const data = DATA[type];
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    $id: `https://leadpact.dev/events/${type}.schema.json`,
    title: type,
    description: `${data.description} Schema version ${EVENT_SCHEMA_VERSION}; on EventBridge the detail, in a webhook the body's data.`,
    type: 'object',
    required: [
      'id',
      'type',
      'schemaVersion',
      'time',
      'leadId',
      'cycle',
      'seq',
      'slaVersion',
      'by',
      'reasons',
      'data',
    ],
    additionalProperties: false,
    properties: {
      id: {
        type: 'string',
        pattern: '^evt_[a-z2-7]{26}$',
        description: 'stable: the same change always has this id',
      },
      type: { const: type },
      schemaVersion: { const: EVENT_SCHEMA_VERSION },
      time: time('when the change happened'),
      leadId: text('the lead (a keyed hash: no personal data)'),
      cycle: integer('the lead cycle (a new one after an erased person comes back)'),
      seq: integer("the change's position in the lead's story: a lead's events in seq order are its story"),
      slaVersion: text('the SLA version that decided it'),
      by: text('form, api, workflow, lead, rep:<id>, system:<name>'),
      reasons: type === 'lead.erased' ? { type: 'array', maxItems: 0 } : { type: 'array', items: REASON },
      data: {
        type: 'object',
        additionalProperties: false,
        required: data.required,
        properties: data.properties,
      },
      ...(type === 'lead.created' || type === 'lead.fields_corrected'
        ? {
            contact: {
              type: 'object',
              description: 'who the lead is (absent once erased)',
              required: ['email'],
              additionalProperties: { type: 'string' },
              properties: { email: { type: 'string', format: 'email' } },
            },
          }
        : {}),
      // added in schema version 1 as an optional field: a compatible change (a receiver that ignores it is unchanged)
      ...(type === 'lead.created'
        ? {
            attribution: {
              type: 'object',
              description:
                "where the lead came from, as the lead holds it when the event is sent (its posts' first values; absent once erased, and when it holds none)",
              additionalProperties: false,
              properties: {
                formId: text('the form id the lead was posted with'),
                utmSource: text('utm_source'),
                utmMedium: text('utm_medium'),
                utmCampaign: text('utm_campaign'),
              },
            },
          }
        : {}),
    },
  };
}

export function eventSchemas(): Record<LeadEventType, Schema> {
  return Object.fromEntries(LEAD_EVENT_TYPES.map((type) => [type, eventSchema(type)])) as Record<
    LeadEventType,
    Schema
  >;
}
