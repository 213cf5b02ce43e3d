/** `leadpact sla diff`'s settings, leaf by leaf (domain/sla-diff.ts): contact.decideWithin among them. */
import { describe, expect, it } from 'vitest';
import { parseDuration } from '../../lambdas/domain/duration.ts';
import { diffSla } from '../../lambdas/domain/sla-diff.ts';
import type { Sla } from '../../lambdas/domain/sla-schema.ts';
import { loadDefaultSla } from '../support/sla.ts';

const before = loadDefaultSla();
const { decideWithin: _none, ...without } = before.contact;

describe('diffSla: contact.decideWithin', () => {
  it.each<[string, Sla, unknown]>([
    ['changed', { ...before, contact: { ...before.contact, decideWithin: parseDuration('10bd')! } }, '10bd'],
    ['removed', { ...before, contact: without }, null],
  ])('%s: one setting, as the file writes it', (_, after, to) => {
    // Act
    const diff = diffSla(before, after);

    // Assert
    expect(diff.settings).toEqual([{ term: 'contact', path: 'contact.decideWithin', from: '5bd', to }]);
  });
});
