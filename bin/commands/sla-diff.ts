import { parseArgs } from 'node:util';
import { diffSla, type SlaDiff } from '../../lambdas/domain/sla-diff.ts';
import { parseSla } from '../../lambdas/domain/sla-file.ts';
import type { Sla } from '../../lambdas/domain/sla-schema.ts';
import { type ClockTerms, type DiffImpact, impactOn } from '../../lambdas/tasks/sla-impact.ts';
import { type ApiAuth, apiAuth, callApi } from './api-call.ts';
import { type CliIo, readInput } from './io.ts';
import { formatSlaErrors } from './validate.ts';

// the in-flight impact is shared with `leadpact simulate --compare` (lambdas/tasks/sla-impact.ts)
export { type DiffImpact, type ImpactedLead, impactOn } from '../../lambdas/tasks/sla-impact.ts';

/**
 * `leadpact sla diff <old.yaml> <new.yaml> [--data DIR | --url API (--token T | --aws)] [--at ISO] [--json]`:
 * the change term by term and what it does to leads in flight. Exit 0: nothing stranded; 1: a lead
 * in the store would be stranded (an id it refers to is gone and `migrations` names no successor);
 * 2: usage, an unreadable or invalid file, no store. Static (no --data): the removed ids and their
 * fate, exit 0 (no lead is known). --data opens the store of `leadpact dev --data DIR` read-only in
 * this process: stop `leadpact dev` on that directory first (LevelDB allows one process). --url asks a
 * running API (POST /sla/impact): the stack compares the SLA it runs with the new file, on its own leads.
 */
export async function slaDiffCommand(args: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args: [...args],
    allowPositionals: true,
    strict: true,
    options: {
      data: { type: 'string' },
      url: { type: 'string' },
      token: { type: 'string' },
      aws: { type: 'boolean' },
      at: { type: 'string' },
      json: { type: 'boolean' },
    },
  });
  const [oldFile, newFile] = positionals;
  if (!oldFile || !newFile || positionals.length > 2)
    throw new Error('sla diff needs two SLA files: leadpact sla diff <old.yaml> <new.yaml> [--data DIR]');
  if (values.data && values.url) throw new Error('sla diff takes --data DIR or --url API, not both');
  const auth = values.url ? apiAuth('sla diff', values) : undefined;
  if (values.url && values.at) throw new Error("sla diff --url judges as of the stack's own time: drop --at");
  const at = values.at === undefined ? undefined : new Date(values.at);
  if (at && Number.isNaN(at.getTime())) throw new Error(`--at "${values.at}" is not an ISO-8601 time`);

  const before = parseSla(readInput(io, oldFile, 'SLA file'));
  const newText = readInput(io, newFile, 'SLA file');
  const after = parseSla(newText);
  if (!before.ok || !after.ok) {
    if (!before.ok) io.err(formatSlaErrors(oldFile, before.errors));
    if (!after.ok) io.err(formatSlaErrors(newFile, after.errors));
    return 2;
  }
  if (values.url) {
    // the stack judges: its deployed SLA against the new file, on its own leads (POST /sla/impact)
    const answer = await fetchImpact(values.url, auth!, newText);
    const { deployed, proposed: _proposed, impact, ...diff } = answer;
    if (deployed !== before.sla.version)
      io.err(
        `note: the stack runs SLA "${deployed}", not "${before.sla.version}" (${oldFile}): the changes below are from what it runs`,
      );
    const where = `the stack at ${new URL(values.url).origin}`;
    io.out(values.json ? JSON.stringify({ ...diff, impact }, null, 2) : render(diff, impact, where));
    return impact.stranded > 0 ? 1 : 0;
  }
  // a successor's absence is judged as of when the change applies: --at, else now
  const diff = diffSla(before.sla, after.sla, at ?? new Date());
  const impact = values.data
    ? await dataImpact(values.data, before.sla, after.sla, at)
    : ({ source: 'static', leads: [], stranded: 0 } satisfies DiffImpact);
  io.out(values.json ? JSON.stringify({ ...diff, impact }, null, 2) : render(diff, impact, values.data));
  return impact.stranded > 0 ? 1 : 0;
}

interface ImpactAnswer extends SlaDiff {
  readonly deployed: string;
  readonly proposed: string;
  readonly impact: DiffImpact;
}

/** POST /sla/impact of a running API with the new file's text. */
function fetchImpact(url: string, auth: ApiAuth, slaText: string): Promise<ImpactAnswer> {
  return callApi<ImpactAnswer>(new URL('/sla/impact', url), auth, {
    method: 'POST',
    headers: { 'content-type': 'application/yaml' },
    body: slaText,
  });
}

async function dataImpact(dir: string, before: Sla, after: Sla, at: Date | undefined): Promise<DiffImpact> {
  // imported here: the static diff must not load the emulators and the AWS SDK
  const { openLocalStore } = await import('./local-store.ts');
  const opened = await openLocalStore(dir);
  try {
    const now = at ?? opened.slaTime ?? new Date();
    return await impactOn(opened.store, before, after, now, { queries: opened.queries });
  } finally {
    await opened.close();
  }
}

const KIND_WORDS: Record<string, string> = {
  reps: 'leads owned by rep',
  dealStages: 'deals in stage',
  statuses: 'leads in status',
  leadTypes: 'leads of type',
  tracks: 'leads in nurture track',
  queues: 'queue',
};

export function render(diff: SlaDiff, impact: DiffImpact, where: string | undefined): string {
  const lines: string[] = [`SLA "${diff.from}" -> "${diff.to}"`, '', 'Changes, term by term:'];
  if (diff.lists.length === 0 && diff.settings.length === 0) lines.push('  none');
  for (const list of diff.lists) {
    const parts = [
      ...(list.added.length ? [`added ${list.added.join(', ')}`] : []),
      ...(list.removed.length
        ? [`removed ${list.removed.map((r) => (r.to ? `${r.id} (-> ${r.to})` : r.id)).join(', ')}`]
        : []),
      ...(list.changed.length
        ? [`changed ${list.changed.map((c) => `${c.id} (${c.fields.join(', ')})`).join(', ')}`]
        : []),
    ];
    lines.push(`  ${list.term.padEnd(11)} ${list.section}: ${parts.join('; ')}`);
  }
  for (const setting of diff.settings) {
    lines.push(`  ${setting.term.padEnd(11)} ${setting.path}: ${show(setting.from)} -> ${show(setting.to)}`);
  }
  lines.push('', 'In-flight impact of removed ids:');
  if (diff.removals.length === 0)
    lines.push('  none: no rep, deal stage, status, lead type, track or queue removed');
  for (const removal of diff.removals) {
    const subject = `${KIND_WORDS[removal.kind]} ${removal.id}`;
    const fate =
      removal.effect === 'renamed' || removal.effect === 'merged'
        ? `move to ${removal.to} (${removal.effect})${
            removal.successorAway
              ? `; ${removal.successorAway.name} is out of office ${removal.successorAway.from} to ${removal.successorAway.to}: the leads moved to them wait for their first-touch deadline, then go to the queue's rotation (map to someone present, or accept that)`
              : ''
          }`
        : removal.effect === 'stranding'
          ? `would strand every lead in flight that refers to it: add migrations.${removal.kind}.${removal.id}${removal.suggestion ? ` (${removal.suggestion} fits: the same setWhen)` : ''}`
          : removal.effect === 'routing'
            ? 'leads keep no queue: routing follows the new queues'
            : `judged again under the new SLA${removal.suggestion ? '' : ` (or map it: migrations.${removal.kind}.${removal.id})`}`;
    lines.push(`  ${subject}: ${fate}`);
  }
  if (impact.source === 'data') {
    lines.push(
      '',
      `Leads in flight in ${where} (as of ${impact.at}): ${readLine(impact)}`,
      ...(impact.leads.length === 0 ? ['  none affected'] : []),
    );
    for (const lead of impact.leads) {
      const who = `lead ${lead.leadId}${lead.email ? ` <${lead.email}>` : ''} (${lead.stage}/${lead.status}${lead.ownerId ? `, owner ${lead.ownerId}` : ''})`;
      const what = lead.references.map((reference) =>
        reference.to
          ? `${reference.what} ${reference.id} -> ${reference.to}`
          : reference.strands
            ? `STRANDED: ${reference.what} ${reference.id} has no successor (add migrations.${reference.kind}.${reference.id})`
            : `${reference.what} ${reference.id} is gone: judged again`,
      );
      if (lead.stageMove) what.push(`moves ${lead.stageMove.from} -> ${lead.stageMove.to} now (scoring)`);
      if (lead.cadenceEnds) {
        const { logged, of, breach } = lead.cadenceEnds;
        what.push(
          `recycled at its next wake: the new cadence has ${of} step${of === 1 ? '' : 's'} and ${logged} ${logged === 1 ? 'is' : 'are'} logged${breach ? ' (an SLA breach)' : ''}`,
        );
      }
      lines.push(`  ${who}: ${what.join('; ')}`);
    }
    // POST /sla/impact lists what fits in its answer (Lambda's 6 MB) and counts the rest
    if (impact.leadsOmitted)
      lines.push(`  ... and ${impact.leadsOmitted} more (not listed: the answer's size limit)`);
    const clocks = impact.clocks;
    if (clocks && clocks.withOwner > 0) lines.push('', clockLine(clocks));
    lines.push(
      '',
      impact.stranded > 0
        ? `${impact.stranded} lead${impact.stranded === 1 ? '' : 's'} would be stranded: add the mappings above, or ${where?.startsWith('the stack') ? 'the deploy fails and rolls back' : 'leadpact dev refuses to start on this data'}`
        : impact.unread
          ? `No lead read would be stranded, but ${impact.unread} in flight were not read in the time this check has: it is incomplete. ${where?.startsWith('the stack') ? "The deploy's migration reads every lead and fails the deploy (it rolls back) if one would be stranded." : 'leadpact dev reads every lead at start and refuses to start if one would be stranded.'}`
          : impact.unchecked
            ? `No lead would be stranded (every lead in flight read); stage moves and cadence ends were judged for ${impact.checked} of them only (the time ran out).`
            : 'No lead would be stranded.',
    );
  } else {
    lines.push(
      '',
      'Static impact only: add --data DIR to check the leads of a local store, --url API --token T (or --aws) those of a stack.',
    );
  }
  return lines.join('\n');
}

/**
 * How much of the store the check saw: leads read (each checked for the ids the new SLA lacks) and judged again
 * (stage moves, cadence ends). POST /sla/impact stops at its time budget: a large stack is read in part.
 */
function readLine(impact: DiffImpact): string {
  const read = impact.read ?? (impact.checked ?? 0) + (impact.unchecked ?? 0);
  const unread = impact.unread ? `, ${impact.unread} not read (the time ran out)` : '';
  const judged =
    (impact.checked ?? 0) < read ? `; ${impact.checked} of them judged again (the time ran out)` : '';
  return `${read} read${unread}${judged}`;
}

function show(value: unknown): string {
  const text = JSON.stringify(value) ?? 'null';
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

/** What the new SLA does to the running first-touch clocks (ADR 0059). */
function clockLine({ withOwner, kept, deployed }: ClockTerms): string {
  const leads = (n: number) => `${n} lead${n === 1 ? '' : 's'}`;
  const keeps = (n: number) => (n === 1 ? 'keeps' : 'keep');
  const its = (n: number) => (n === 1 ? 'its' : 'their');
  const head =
    deployed === 0
      ? `First-touch clocks: the ${leads(withOwner)} with an owner ${keeps(withOwner)} the deadline and ladder of ${its(withOwner)} handover (ADR 0059)`
      : `First-touch clocks: ${kept} of the ${leads(withOwner)} with an owner ${keeps(kept)} the deadline and ladder of ${its(kept)} handover (ADR 0059); ${deployed} handed over before terms were stored ${deployed === 1 ? 'runs' : 'run'} on the SLA deployed: the new first touch and ladder apply to ${deployed === 1 ? 'it' : 'them'} at once`;
  return `${head}; the new SLA applies from ${withOwner === 1 ? 'its' : 'each'} next handover.`;
}
