/**
 * The owner index is the count of record for a rep's open leads (capacity, ADR 0040): a lead rewritten (each
 * write moves its entry, the sort key carries updatedAt) must never be missing from it for a moment. dynalite
 * deleted the old index entry before it put the new one, so a pick counting the rep's leads during a write
 * missed that lead, and the local runtime took reps past their capacity (a crash run at --speed 3600 with
 * capacity 2: Lena and Mats held 3). local/dynalite.ts puts first, then deletes.
 */
import { describe, expect, it } from 'vitest';
import { DynamoDbLeadStore } from '../../lambdas/adapters/dynamodb-lead-store.ts';
import { storyCarrier } from '../../lambdas/domain/story-carry.ts';
import { useDynalite } from '../support/dynalite.ts';
import { handedOff } from '../support/lead-state.ts';
import { loadDefaultSla } from '../support/sla.ts';

const sla = loadDefaultSla();

describe('the owner index while a lead is rewritten', () => {
  const dynalite = useDynalite();

  it('lists an owned lead in every read taken while its state is written again and again', async () => {
    // Arrange
    const store = new DynamoDbLeadStore(dynalite.doc, {
      tableName: dynalite.tableName,
      carry: storyCarrier(sla),
    });
    const lead = {
      ...handedOff('2026-12-07T08:00:00.000Z', 'lena', { leadId: 'rewritten' }),
      slaVersion: sla.version,
    };
    await store.createLead(lead);
    let current = (await store.loadLead('rewritten'))!.state;
    let writing = true;

    // Act: 40 writes, each a new updatedAt, and the rep's leads read all the while
    const writes = (async () => {
      try {
        for (let i = 1; i <= 40; i++) {
          const updatedAt = new Date(Date.parse(lead.updatedAt) + i * 60_000).toISOString();
          const next = { ...current, version: current.version + 1, updatedAt };
          expect(await store.saveLead(next, current.version, current)).toBe('saved');
          current = (await store.loadLead('rewritten'))!.state;
        }
      } finally {
        writing = false;
      }
    })();
    const counts: number[] = [];
    while (writing) counts.push((await store.listLeadsByOwner('lena')).length);
    await writes;

    // Assert
    expect(counts.length).toBeGreaterThan(10);
    expect(counts.filter((count) => count === 0)).toEqual([]);
  });
});
