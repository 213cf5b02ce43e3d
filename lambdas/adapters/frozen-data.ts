/**
 * Deep-frozen copies of plain data that know their JSON size, for the in-memory LeadStore's `share` mode
 * (the simulator, ADR 0023): a value already frozen here is taken as it is (structural sharing between
 * versions of a lead), and `jsonBytes` (the DynamoDB item size the simulator prices) reads a frozen value's
 * size instead of serialising it. The mark is a non-enumerable symbol property: JSON, spreads,
 * Object.assign, structuredClone and for-in do not see it, so a copy of a frozen value is never taken for one.
 */

/** the JSON byte length of a value frozenCopy made; its presence marks the value as one */
const BYTES = Symbol('jsonBytes');

type Marked = { readonly [BYTES]?: number };

/**
 * A deep copy that drops undefined (in objects and arrays, as a DynamoDB round trip does), frozen all the way
 * down; what is already one of its results is returned as it is.
 */
export function frozenCopy<T>(value: T): T {
  if (value === null || typeof value !== 'object' || (value as Marked)[BYTES] !== undefined) return value;
  let out: object;
  let bytes = 2;
  let members = 0;
  if (Array.isArray(value)) {
    const items: unknown[] = [];
    for (const item of value) {
      if (item === undefined) continue;
      const copied = frozenCopy(item);
      items.push(copied);
      bytes += jsonBytes(copied);
      members++;
    }
    out = items;
  } else {
    const fields: Record<string, unknown> = {};
    for (const key in value) {
      if (!Object.hasOwn(value, key)) continue;
      const item = (value as Record<string, unknown>)[key];
      if (item === undefined) continue;
      const copied = frozenCopy(item);
      fields[key] = copied;
      if (typeof copied === 'function' || typeof copied === 'symbol') continue;
      bytes += stringBytes(key) + 1 + jsonBytes(copied);
      members++;
    }
    out = fields;
  }
  if (members > 1) bytes += members - 1;
  Object.defineProperty(out, BYTES, { value: bytes });
  return Object.freeze(out) as T;
}

/**
 * `Buffer.byteLength(JSON.stringify(value))` for plain data (objects, arrays, strings, finite numbers,
 * booleans, null), without building the string: a frozenCopy result's size is read, not measured again.
 * 0 for undefined (JSON.stringify leaves it out).
 */
export function jsonBytes(value: unknown): number {
  switch (typeof value) {
    case 'string':
      return stringBytes(value);
    case 'number':
      return Number.isFinite(value) ? String(value).length : 4;
    case 'boolean':
      return value ? 4 : 5;
    case 'undefined':
    case 'function':
    case 'symbol':
      return 0;
    case 'object':
      return value === null ? 4 : objectBytes(value);
    default:
      return Buffer.byteLength(JSON.stringify(value)); // bigint: JSON.stringify throws on it, let it
  }
}

function objectBytes(value: object): number {
  const known = (value as Marked)[BYTES];
  if (known !== undefined) return known;
  if (typeof (value as { toJSON?: unknown }).toJSON === 'function')
    return Buffer.byteLength(JSON.stringify(value) ?? '');
  let bytes = 2;
  let members = 0;
  if (Array.isArray(value)) {
    for (const item of value) {
      const t = typeof item;
      // undefined, a function or a symbol in an array is null
      bytes += t === 'undefined' || t === 'function' || t === 'symbol' ? 4 : jsonBytes(item);
      members++;
    }
  } else {
    for (const key in value) {
      if (!Object.hasOwn(value, key)) continue;
      const item = (value as Record<string, unknown>)[key];
      const t = typeof item;
      if (t === 'undefined' || t === 'function' || t === 'symbol') continue;
      bytes += stringBytes(key) + 1 + jsonBytes(item);
      members++;
    }
  }
  return members > 1 ? bytes + members - 1 : bytes;
}

/** a JSON string's bytes with its quotes: plain ASCII counted, anything to escape or encode measured */
function stringBytes(text: string): number {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x20 || c === 0x22 || c === 0x5c || c > 0x7e) return Buffer.byteLength(JSON.stringify(text));
  }
  return text.length + 2;
}
