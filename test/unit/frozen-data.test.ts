/**
 * frozen-data.ts: the memory store's shared deep-frozen values (share mode) and the JSON sizes the simulator
 * prices DynamoDB by. The sizes must be exactly Buffer.byteLength(JSON.stringify(value)), or the simulator's
 * cost would drift from what the DynamoDB adapter's items weigh.
 */
import { describe, expect, it } from 'vitest';
import { frozenCopy, jsonBytes } from '../../lambdas/adapters/frozen-data.ts';
import { MemoryLeadStore } from '../../lambdas/adapters/memory-lead-store.ts';
import type { LeadState } from '../../lambdas/ports/lead-store.ts';
import { leadState } from '../support/lead-state.ts';

const stringified = (value: unknown) => Buffer.byteLength(JSON.stringify(value));

describe('jsonBytes', () => {
  it.each([
    ['plain ASCII', { a: 'text', n: 12.5, t: true, f: false, z: null }],
    ['escapes and controls', { quote: 'say "hi"\\', tab: 'a\tb\nc', bell: '\u0007' }],
    ['UTF-8 and surrogate pairs', { de: 'Größe', ar: 'مدير مصنع', emoji: 'pump 🛠️', lone: '\ud800' }],
    [
      'undefined dropped, null in arrays',
      { gone: undefined, list: [1, undefined, 'x', () => 1], fn: () => 2 },
    ],
    [
      'non-finite numbers and exponents',
      { inf: Number.POSITIVE_INFINITY, nan: Number.NaN, big: 1e21, neg: -0 },
    ],
    ['empty containers and nesting', { a: [], o: {}, deep: [[[{ k: [{}] }]]] }],
    ['a Date (toJSON)', { at: new Date(Date.UTC(2027, 0, 4)) }],
    ['keys to escape', { 'say "x"': 1, ключ: 2 }],
  ])('measures %s as JSON.stringify does', (_, value) => {
    // Act
    const bytes = jsonBytes(value);

    // Assert
    expect(bytes).toBe(stringified(value));
  });

  it('measures a whole lead state, and its frozen copy, as JSON.stringify does', () => {
    // Arrange
    const lead = leadState({ leadId: 'lead-1', fields: { company: 'Größe & Söhne "Pumpen"' } });

    // Act
    const frozen = frozenCopy(lead);

    // Assert
    expect(jsonBytes(lead)).toBe(stringified(lead));
    expect(jsonBytes(frozen)).toBe(stringified(lead));
    expect(jsonBytes(undefined)).toBe(0);
  });
});

describe('frozenCopy', () => {
  it('copies deeply, drops undefined, freezes every level and keeps the JSON unchanged', () => {
    // Arrange
    const value = { a: { b: [1, undefined, { c: 'x', d: undefined }] }, e: undefined };

    // Act
    const copy = frozenCopy(value);

    // Assert
    expect(copy).toEqual({ a: { b: [1, { c: 'x' }] } });
    expect(copy).not.toBe(value);
    expect(Object.isFrozen(copy) && Object.isFrozen(copy.a) && Object.isFrozen(copy.a.b)).toBe(true);
    expect(Object.isFrozen(copy.a.b[1])).toBe(true);
    expect(() => {
      (copy.a.b as unknown[]).push(2);
    }).toThrow(TypeError);
    expect(JSON.stringify(copy)).toBe(JSON.stringify({ a: { b: [1, { c: 'x' }] } }));
  });

  it('shares what it froze before, and a copy made by spreading is not taken for one of its own', () => {
    // Arrange
    const first = frozenCopy({ timeline: [{ at: 1 }, { at: 2 }], fields: { company: 'A' } });

    // Act
    const next = frozenCopy({ ...first, fields: { ...first.fields, company: 'B' } });

    // Assert
    expect(next.timeline).toBe(first.timeline);
    expect(next.fields).not.toBe(first.fields);
    expect(next.fields.company).toBe('B');
    expect(frozenCopy(first)).toBe(first);
  });

  it('continues the previous version’s long array: the shared run by reference, the new items copied, the size right', () => {
    // Arrange: a timeline past the length where running sizes are kept, then one entry added, two dropped
    const entries = Array.from({ length: 40 }, (_, i) => ({
      at: `2027-01-${String(i + 1).padStart(2, '0')}`,
      n: i,
    }));
    const before = frozenCopy({ timeline: entries });
    const added = { at: '2027-02-10', n: 40, note: 'Größe "x"' };
    const grown = { timeline: [...before.timeline, added].slice(2) };

    // Act
    const after = frozenCopy(grown, before);

    // Assert
    expect(after.timeline).toHaveLength(39);
    expect(after.timeline[0]).toBe(before.timeline[2]);
    expect(after.timeline[37]).toBe(before.timeline[39]);
    expect(after.timeline[38]).toEqual(added);
    expect(after.timeline[38]).not.toBe(added);
    expect(Object.isFrozen(after.timeline[38])).toBe(true);
    expect(jsonBytes(after)).toBe(stringified(grown));
    expect(jsonBytes(after.timeline)).toBe(stringified(grown.timeline));
  });

  it('copies an array that does not continue the previous one item by item', () => {
    // Arrange
    const before = frozenCopy({ list: Array.from({ length: 40 }, (_, i) => ({ i })) });
    const other = { list: [{ i: 'new' }, ...before.list.slice(0, 3)] };

    // Act
    const after = frozenCopy(other, before);

    // Assert
    expect(after.list).toEqual(other.list);
    expect(after.list[1]).toBe(before.list[0]);
    expect(jsonBytes(after)).toBe(stringified(other));
  });
});

describe('MemoryLeadStore in share mode', () => {
  it('hands out frozen state that a caller cannot change, and knows its stored size', async () => {
    // Arrange
    const store = new MemoryLeadStore({ share: true });
    const lead = leadState({ leadId: 'lead-1' });
    await store.createLead(lead);

    // Act
    const read = (await store.getLead('lead-1')) as LeadState;
    const mutate = () => {
      (read.fields as Record<string, unknown>).company = 'Changed after read';
    };

    // Assert
    expect(mutate).toThrow(TypeError);
    expect(await store.getLead('lead-1')).toEqual(lead);
    expect(jsonBytes(store.storedState('lead-1'))).toBe(stringified(lead));
    expect(store.storedState('lead-2')).toBeUndefined();
  });

  it('saves a new version that shares the unchanged parts of the one it was read from', async () => {
    // Arrange
    const store = new MemoryLeadStore({ share: true });
    await store.createLead(leadState({ leadId: 'lead-1' }));
    const read = (await store.getLead('lead-1')) as LeadState;

    // Act
    const saved = await store.saveLead({ ...read, version: read.version + 1, status: 'new' }, read.version);
    const after = (await store.getLead('lead-1')) as LeadState;

    // Assert
    expect(saved).toBe('saved');
    expect(after.status).toBe('new');
    expect(after.fields).toBe(read.fields);
    expect(jsonBytes(store.storedState('lead-1'))).toBe(stringified(after));
  });
});
