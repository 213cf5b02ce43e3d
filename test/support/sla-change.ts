/**
 * The SLA change of issue 9: sla/default.yaml without rep jonas (his account goes to lena) and with
 * deal stage discovery replaced by qualification, as a new version, with or without `migrations`.
 */
import { readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';

export const CHANGED_VERSION = '2026.12-kessler-2';
export const JONAS_TO_LENA = { reps: { jonas: 'lena' }, dealStages: { discovery: 'qualification' } };

interface Doc {
  version: string;
  routing: {
    reps: { id: string }[];
    queues: { reps: string[] }[];
    accounts: { domain: string; owner: string }[];
  };
  deals: { stages: { id: string; name: string }[] };
  migrations?: unknown;
}

export function changedSlaText(migrations?: Record<string, Record<string, string>>): string {
  const doc = parse(readFileSync(new URL('../../sla/default.yaml', import.meta.url), 'utf8')) as Doc;
  doc.version = CHANGED_VERSION;
  doc.routing.reps = doc.routing.reps.filter((rep) => rep.id !== 'jonas');
  for (const queue of doc.routing.queues) queue.reps = queue.reps.filter((rep) => rep !== 'jonas');
  for (const account of doc.routing.accounts) if (account.owner === 'jonas') account.owner = 'lena';
  doc.deals.stages = doc.deals.stages.map((stage) =>
    stage.id === 'discovery' ? { ...stage, id: 'qualification', name: 'Qualification' } : stage,
  );
  if (migrations) doc.migrations = migrations;
  return stringify(doc);
}

/** Writes the changed SLA into `dir` and returns its path. */
export async function writeChangedSla(
  dir: string,
  name: string,
  migrations?: Record<string, Record<string, string>>,
): Promise<string> {
  const file = join(dir, name);
  await writeFile(file, changedSlaText(migrations));
  return file;
}
