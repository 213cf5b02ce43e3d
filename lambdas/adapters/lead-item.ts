/**
 * The lead's state item (ADR 0037): the attributes DynamoDB itself reads (keys, index keys, what the
 * indexes project, what a condition tests or an update sets) stay attributes of their own; everything else
 * is one binary attribute, `body`, the rest of the lead as JSON compressed with raw deflate. A state write
 * is billed by the item's size, and the bulk of a lead (its fields, outbox, tally, consent, the tail of its
 * timeline) compresses three to five times: a change on a lead of 6 KB wrote 7 units, now about 2.
 *
 * `timeline` is the one attribute in both places: the entries a full write knows are in `body`; the state
 * item also has a plain `timeline` list, empty after a full write, where the park's update appends the
 * entries of emails it records without rewriting the item (`list_append`). A read puts them after
 * `body`'s. An item written before `body` existed (every attribute plain) reads as it always did.
 */
import { deflateRawSync, inflateRawSync } from 'node:zlib';
import type { LeadState } from '../ports/lead-store.ts';
import { jsonBytes } from './frozen-data.ts';
import {
  ENTITIES,
  ENTITY_ATTRIBUTE,
  GLOBAL_INDEXES,
  type IndexRules,
  leadIndexKeys,
  stateKey,
  withoutTableAttributes,
} from './table-definition.ts';

type Item = Record<string, unknown>;

/** the attribute holding the compressed rest of the lead */
export const BODY_ATTRIBUTE = 'body';
/** the first byte of `body`: how the rest is encoded (1: raw deflate of UTF-8 JSON) */
const BODY_FORMAT = 1;

/**
 * State fields that an update expression sets or a condition expression tests (dynamodb-lead-store.ts:
 * parkLead, takeWaitToken, recordExecution, saveLead, createLead): DynamoDB must see them.
 */
export const UPDATED_STATE_ATTRIBUTES = [
  'version',
  'cycle',
  'erasedAt',
  'waitToken',
  'dueAt',
  'generation',
  'execution',
  'sent',
  'timeline',
  'signalled',
  // makeDueForNews's condition (a dormant lead); an item written before keeps it in `body` and is not made due
  // by it (its writer's own signal still wakes it)
  'dormant',
] as const satisfies readonly (keyof LeadState)[];

/** every state field kept out of `body`: the updated ones and whatever an index projects */
export const PLAIN_STATE_ATTRIBUTES: ReadonlySet<string> = new Set<string>([
  'leadId',
  ...UPDATED_STATE_ATTRIBUTES,
  ...GLOBAL_INDEXES.flatMap((index) => index.nonKeyAttributes),
]);

/** 'body': this ADR's item; 'plain': every field an attribute, as items were written before it */
export type ItemFormat = 'body' | 'plain';

/** The item a full write of `state` puts: plain attributes, `body`, keys and index keys. */
export function leadItem(state: LeadState, format: ItemFormat = 'body', rules: IndexRules = {}): Item {
  const keys = {
    ...stateKey(state.leadId),
    [ENTITY_ATTRIBUTE]: ENTITIES.lead,
    ...leadIndexKeys(state, rules),
  };
  if (format === 'plain') return { ...state, ...keys };
  const { plain, rest } = splitState(state);
  return {
    ...plain,
    // the update's append area: empty, the entries are in the body
    timeline: [],
    [BODY_ATTRIBUTE]: encodeBody(rest),
    ...keys,
  };
}

/**
 * The JSON bytes of the attributes a full write of `state` keeps plain, its empty `timeline` included (the
 * simulator sizes its writes with this and `stateBodyBytes`; a frozen copy's sizes are known, frozen-data.ts).
 */
export function statePlainBytes(state: LeadState): number {
  let bytes = 0;
  for (const name of PLAIN_STATE_ATTRIBUTES) {
    const value = name === 'timeline' ? [] : (state as unknown as Item)[name];
    if (value !== undefined) bytes += name.length + 4 + jsonBytes(value);
  }
  return bytes;
}

/** The bytes of the `body` a full write of `state` puts. */
export function stateBodyBytes(state: LeadState): number {
  return encodeBody(splitState(state).rest).length;
}

function splitState(state: LeadState): { plain: Item; rest: Item } {
  const plain: Item = {};
  const rest: Item = {};
  for (const [name, value] of Object.entries(state)) {
    if (value === undefined) continue;
    if (PLAIN_STATE_ATTRIBUTES.has(name)) plain[name] = value;
    else rest[name] = value;
  }
  rest.timeline = state.timeline;
  return { plain, rest };
}

/** The lead a state item holds (with or without `body`). */
export function fromLeadItem(item: Item): LeadState {
  const out = withoutTableAttributes<Item>(item);
  const body = out[BODY_ATTRIBUTE];
  if (body === undefined) return out as unknown as LeadState;
  delete out[BODY_ATTRIBUTE];
  const rest = decodeBody(body, String(item.leadId));
  const appended = (out.timeline as unknown[] | undefined) ?? [];
  const timeline = (rest.timeline as unknown[] | undefined) ?? [];
  return {
    ...rest,
    ...out,
    timeline: appended.length ? [...timeline, ...appended] : timeline,
  } as unknown as LeadState;
}

/**
 * The body's values as DynamoDB's marshalling takes them, so a field reads back the same whichever side of
 * the item it is on: JSON keeps a hole in a list as `null` where the marshalling (removeUndefinedValues)
 * drops it, as the in-memory store does (memory-lead-store.ts copy); JSON writes NaN and Infinity as
 * `null` where the marshalling refuses them (a lead that read back `fit: null` would be judged on it).
 */
function asAttributes(key: string, value: unknown): unknown {
  if (typeof value === 'number' && !Number.isFinite(value)) {
    throw new RangeError(`Special numeric value ${value} is not allowed (state field ${key})`);
  }
  return Array.isArray(value) && value.some((item) => item === undefined || typeof item === 'function')
    ? value.filter((item) => item !== undefined && typeof item !== 'function')
    : value;
}

/** `rest` as a body: a format byte, then raw deflate of its JSON (timeline pages use it too: timeline-page.ts) */
export function encodeBody(rest: Item): Uint8Array {
  // both show as `null` in the JSON: only a body with one is written again through the replacer (a walk
  // over every value, a quarter of the encoding's time on a 6 KB lead)
  const json = JSON.stringify(rest);
  const packed = deflateRawSync(json.includes('null') ? JSON.stringify(rest, asAttributes) : json);
  const body = new Uint8Array(packed.length + 1);
  body[0] = BODY_FORMAT;
  body.set(packed, 1);
  return body;
}

/** `body` as the SDK gives it (bytes), or base64 as in a stream record's JSON */
export function decodeBody(body: unknown, leadId: string): Item {
  const bytes =
    typeof body === 'string'
      ? Buffer.from(body, 'base64')
      : body instanceof Uint8Array
        ? Buffer.from(body.buffer, body.byteOffset, body.byteLength)
        : undefined;
  if (!bytes || bytes[0] !== BODY_FORMAT) {
    throw new Error(`lead ${leadId}: state item body in an unknown format`);
  }
  return JSON.parse(inflateRawSync(bytes.subarray(1)).toString('utf8')) as Item;
}
