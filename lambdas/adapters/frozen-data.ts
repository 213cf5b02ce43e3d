/**
 * Deep-frozen copies of plain data that know their JSON size, for the in-memory LeadStore's `share` mode
 * (the simulator, ADR 0023): a value already frozen here is taken as it is (structural sharing between
 * versions of a lead), and `jsonBytes` (the DynamoDB item size the simulator prices) reads a frozen value's
 * size instead of serialising it. The mark is a non-enumerable symbol property: JSON, spreads,
 * Object.assign, structuredClone and for-in do not see it, so a copy of a frozen value is never taken for one.
 */

/** the JSON byte length of a value frozenCopy made; its presence marks the value as one */
const BYTES = Symbol('jsonBytes');

/** on a frozen array of LONG_ARRAY items or more: the running JSON bytes of its items (n + 1 entries, from 0) */
const RUNNING = Symbol('runningBytes');
const LONG_ARRAY = 32;

type Marked = { readonly [BYTES]?: number; readonly [RUNNING]?: readonly number[] };

/**
 * A deep copy that drops undefined (in objects and arrays, as a DynamoDB round trip does), frozen all the way
 * down; what is already one of its results is returned as it is. With `previous` (the frozen copy of the
 * version before), an array of the value that continues one of previous's (`[...old, new].slice(n)`, as a
 * timeline grows) takes the shared run from it without looking at each item again.
 */
export function frozenCopy<T>(value: T, previous?: unknown): T {
  if (value === null || typeof value !== 'object' || (value as Marked)[BYTES] !== undefined) return value;
  if (Array.isArray(value)) return frozenArray(value, [], [0], 0) as T;
  const before =
    previous !== null && typeof previous === 'object' && !Array.isArray(previous)
      ? (previous as Record<string, unknown>)
      : undefined;
  const fields: Record<string, unknown> = {};
  let bytes = 2;
  let members = 0;
  for (const key in value) {
    if (!Object.hasOwn(value, key)) continue;
    const item = (value as Record<string, unknown>)[key];
    if (item === undefined) continue;
    const copied = before && Array.isArray(item) ? continued(item, before[key]) : frozenCopy(item);
    fields[key] = copied;
    if (typeof copied === 'function' || typeof copied === 'symbol') continue;
    bytes += stringBytes(key) + 1 + jsonBytes(copied);
    members++;
  }
  if (members > 1) bytes += members - 1;
  Object.defineProperty(fields, BYTES, { value: bytes });
  return Object.freeze(fields) as T;
}

/** `items` as a frozen array: `shared` (frozen already, with its running bytes) then the rest copied */
function frozenArray(
  items: readonly unknown[],
  shared: unknown[],
  running: number[],
  from: number,
): readonly unknown[] {
  let total = running[running.length - 1]!;
  for (let i = from; i < items.length; i++) {
    const item = items[i];
    if (item === undefined) continue;
    const copied = frozenCopy(item);
    shared.push(copied);
    total += jsonBytes(copied);
    running.push(total);
  }
  const n = shared.length;
  Object.defineProperty(shared, BYTES, { value: 2 + total + (n > 1 ? n - 1 : 0) });
  if (n >= LONG_ARRAY) Object.defineProperty(shared, RUNNING, { value: running });
  return Object.freeze(shared);
}

/** `items`, frozen, taking the run it shares with `before` (a frozen array) from there */
function continued(items: readonly unknown[], before: unknown): readonly unknown[] {
  if (!Array.isArray(before) || items.length === 0) return frozenCopy(items);
  const known = (before as Marked)[RUNNING];
  if (!known) return frozenCopy(items);
  const at = before.indexOf(items[0]);
  if (at < 0) return frozenCopy(items);
  let n = 0;
  const most = Math.min(items.length, before.length - at);
  while (n < most && items[n] === before[at + n]) n++;
  const running: number[] = new Array(n + 1);
  const base = known[at]!;
  for (let i = 0; i <= n; i++) running[i] = known[at + i]! - base;
  return frozenArray(items, before.slice(at, at + n), running, n);
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
