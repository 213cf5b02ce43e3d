/**
 * The SLA migration's mark (ADR 0070): what the last migration that finished completely brought the store to,
 * the SLA (by its hash) and the index keys' version. A migration on the same mark has nothing to do: its leads
 * in flight refer to no id the SLA lacks (the SLA wrote every one since), hold today's index keys (this code
 * wrote them), and were judged by this SLA's version already (nothing to wake). So a start on the SLA the store
 * was last migrated to reads no lead, as a deploy that changes neither runs no custom resource on AWS.
 *
 * Recorded only where the later indexes are recorded complete: nothing stranded, every lead given its entries.
 * A run takes the mark away before it writes (LeadStore.beginMigration), so a run that stops part-way, whatever
 * its SLA, leaves none, and the next start migrates in full.
 */
import { slaHash } from '../domain/sla-hash.ts';
import type { Sla } from '../domain/sla-schema.ts';
import { INDEX_KEYS_VERSION, type LeadStore, type MigrationMark } from '../ports/lead-store.ts';

/** The mark a complete migration to `sla` by this code records. */
export function migrationMarkOf(sla: Sla): MigrationMark {
  return {
    slaVersion: sla.version,
    slaHash: slaHash(JSON.stringify(sla)),
    indexKeysVersion: INDEX_KEYS_VERSION,
  };
}

/** Whether the store's mark is `mark`: the last migration that finished was to this SLA by this code's keys. */
export async function isMigratedTo(
  store: Pick<LeadStore, 'readMigrationMark'>,
  mark: MigrationMark,
): Promise<boolean> {
  const stored = await store.readMigrationMark?.();
  return (
    stored !== undefined &&
    stored.slaHash === mark.slaHash &&
    stored.slaVersion === mark.slaVersion &&
    stored.indexKeysVersion === mark.indexKeysVersion
  );
}
