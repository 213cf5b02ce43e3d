/**
 * `leadpact sla retention [file] --data DIR [--at ISO] [--json]`: which leads the SLA's retention of sign-ups never
 * confirmed (`consent.eraseUnconfirmedAfterDays`, ADR 0092) would erase, from the store of `leadpact dev --data DIR`
 * (stop `leadpact dev` on it first: LevelDB takes one process). Changes nothing: the same rule and walk the
 * reconciler's retention pass runs (lambdas/tasks/erase-unconfirmed.ts previewUnconfirmed). On AWS, invoke the
 * reconciler function with `{"retention":"preview"}` (docs/deploy.md). Exit 0 with the list, 2 on a usage error.
 */
import { parseArgs } from 'node:util';
import { parseSla } from '../../lambdas/domain/sla-file.ts';
import { previewUnconfirmed } from '../../lambdas/tasks/erase-unconfirmed.ts';
import { type CliIo, DEFAULT_SLA_FILE, readInput } from './io.ts';
import { formatSlaErrors } from './validate.ts';

export async function retentionCommand(args: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args: [...args],
    strict: true,
    allowPositionals: true,
    options: {
      data: { type: 'string' },
      at: { type: 'string' },
      limit: { type: 'string' },
      json: { type: 'boolean' },
    },
  });
  if (!values.data) throw new Error('sla retention needs --data DIR (the store of leadpact dev --data DIR)');
  const at = values.at === undefined ? undefined : new Date(values.at);
  if (at && Number.isNaN(at.getTime())) throw new Error(`--at "${values.at}" is not an ISO-8601 time`);
  const limit = values.limit === undefined ? 100 : Number(values.limit);
  if (!Number.isInteger(limit) || limit < 1)
    throw new Error(`--limit "${values.limit}" is not a whole number >= 1`);
  const file = positionals[0] ?? DEFAULT_SLA_FILE;
  const parsed = parseSla(readInput(io, file, 'SLA file'));
  if (!parsed.ok) {
    io.err(formatSlaErrors(file, parsed.errors));
    return 2;
  }
  const sla = parsed.sla;
  const { openLocalStore } = await import('./local-store.ts');
  const opened = await openLocalStore(values.data);
  try {
    // the store's SLA clock (--speed runs ahead of the wall clock), unless --at says otherwise
    const now = at ?? opened.slaTime ?? new Date();
    const preview = await previewUnconfirmed(
      { sla, store: opened.store, queries: opened.queries, clock: { now: () => now } },
      { limit },
    );
    if (values.json) {
      io.out(JSON.stringify({ at: now.toISOString(), ...preview }, null, 2));
      return 0;
    }
    if (preview.off) {
      io.out(
        `${file} sets no consent.eraseUnconfirmedAfterDays: no lead is erased by itself (docs/sla-reference.md#consent)`,
      );
      return 0;
    }
    const days = sla.consent.eraseUnconfirmedAfterDays;
    io.out(
      `Sign-ups never confirmed that the retention would erase at ${now.toISOString()} (${days} days after the confirmation link lapsed): ${preview.leads.length}${preview.truncated ? '+ (the first shown; more not looked at)' : ''}`,
    );
    for (const lead of preview.leads)
      io.out(`  ${lead.leadId}  ${lead.stage.padEnd(10)} erasable since ${lead.erasableSince}`);
    return 0;
  } finally {
    await opened.close();
  }
}
