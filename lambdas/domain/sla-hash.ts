/**
 * The hash of a parsed SLA: sha256 of its JSON. The stack passes it to the SLA migration (SlaHash: a deploy that
 * changes the SLA runs it), and the migration records it in its mark (a start on the SLA it last migrated to skips it).
 */
import { createHash } from 'node:crypto';

export function slaHash(slaJson: string): string {
  return createHash('sha256').update(slaJson).digest('hex');
}
