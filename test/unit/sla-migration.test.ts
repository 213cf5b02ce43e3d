import { describe, expect, it } from 'vitest';
import { assignedKey, planNext } from '../../lambdas/domain/lead-plan.ts';
import type { LeadState } from '../../lambdas/domain/lead-state.ts';
import { parseSla } from '../../lambdas/domain/sla-file.ts';
import {
  isInFlight,
  MIGRATION_BY,
  mappingHint,
  migrateLead,
  missingReferences,
} from '../../lambdas/domain/sla-migration.ts';
import type { Sla, SlaInput } from '../../lambdas/domain/sla-schema.ts';
import { handedOff, leadState } from '../support/lead-state.ts';
import { loadDefaultSla } from '../support/sla.ts';

const NOW = new Date('2026-12-02T09:00:00.000Z');
const HANDOFF = '2026-11-30T08:00:00.000Z';

/** sla/default.yaml without rep jonas and deal stage discovery, a qualification stage added, and `migrations`. */
function changedSla(migrations: SlaInput['migrations'] = {}): Sla {
  const base = loadDefaultSla();
  const input = structuredClone(base) as unknown as Record<string, unknown> & Sla;
  return {
    ...input,
    version: '2026.12-kessler-2',
    routing: {
      ...base.routing,
      reps: base.routing.reps.filter((rep) => rep.id !== 'jonas'),
      queues: base.routing.queues.map((queue) => ({
        ...queue,
        reps: queue.reps.filter((rep) => rep !== 'jonas'),
      })),
    },
    deals: {
      ...base.deals,
      stages: [
        { ...base.deals.stages[0]!, id: 'qualification', name: 'Qualification' },
        ...base.deals.stages.slice(1),
      ],
    },
    migrations: {
      reps: {},
      dealStages: {},
      tracks: {},
      leadTypes: {},
      queues: {},
      statuses: {},
      ...migrations,
    },
  } as Sla;
}

const withDeal = (stageId: string, ownerId = 'lena'): LeadState =>
  handedOff(HANDOFF, ownerId, {
    stage: 'opportunity',
    status: 'open-deal',
    deal: { stageId, since: '2026-12-01T10:00:00.000Z', openedAt: '2026-12-01T10:00:00.000Z' },
    dueAt: '2026-12-11T10:00:00.000Z',
  });

describe('missingReferences: what a lead refers to that the SLA lacks', () => {
  const full = changedSla({ reps: { jonas: 'lena' }, dealStages: { discovery: 'qualification' } });
  const bare = changedSla();
  it.each<[string, Sla, LeadState, { field: string; id: string; to?: string; strands: boolean }[]]>([
    ['a current lead', full, handedOff(HANDOFF, 'lena'), []],
    [
      'an owner removed, mapped',
      full,
      handedOff(HANDOFF, 'jonas'),
      [{ field: 'ownerId', id: 'jonas', to: 'lena', strands: false }],
    ],
    [
      'an owner removed, unmapped',
      bare,
      handedOff(HANDOFF, 'jonas'),
      [{ field: 'ownerId', id: 'jonas', strands: true }],
    ],
    [
      'a deal stage removed, mapped',
      full,
      withDeal('discovery'),
      [{ field: 'deal.stageId', id: 'discovery', to: 'qualification', strands: false }],
    ],
    [
      'a deal stage removed, unmapped',
      bare,
      withDeal('discovery'),
      [{ field: 'deal.stageId', id: 'discovery', strands: true }],
    ],
    [
      'owner and stage both gone',
      bare,
      withDeal('discovery', 'jonas'),
      [
        { field: 'ownerId', id: 'jonas', strands: true },
        { field: 'deal.stageId', id: 'discovery', strands: true },
      ],
    ],
    [
      'a status removed, unmapped',
      bare,
      leadState({ status: 'gone' }),
      [{ field: 'status', id: 'gone', strands: true }],
    ],
    [
      'a status removed, mapped',
      changedSla({ statuses: { gone: 'nurturing' } }),
      leadState({ status: 'gone' }),
      [{ field: 'status', id: 'gone', to: 'nurturing', strands: false }],
    ],
    [
      'a lead type removed, unmapped: re-judged, not stranded',
      bare,
      leadState({ leadType: 'spares' }),
      [{ field: 'leadType', id: 'spares', strands: false }],
    ],
    [
      'a nurture track removed, unmapped: nurture picks again, not stranded',
      bare,
      leadState({ nurture: { trackId: 'old', sent: 1, startedAt: HANDOFF } }),
      [{ field: 'nurture.trackId', id: 'old', strands: false }],
    ],
  ])('%s', (_name, sla, lead, expected) => {
    const found = missingReferences(sla, lead).map(({ field, id, to, strands }) => ({
      field,
      id,
      ...(to === undefined ? {} : { to }),
      strands,
    }));
    expect(found).toEqual(expected);
  });
});

describe('migrateLead: the mapping rewrites the lead', () => {
  const sla = changedSla({
    reps: { jonas: 'lena' },
    dealStages: { discovery: 'qualification' },
    tracks: { old: 'general' },
    leadTypes: { spares: 'maintenance-services' },
    statuses: { gone: 'nurturing' },
  });

  it.each<[string, LeadState, Partial<LeadState>, [string, string][]]>([
    [
      'owner: a fresh handoff to the successor',
      handedOff(HANDOFF, 'jonas', { escalationsTaken: 2, dueAt: HANDOFF }),
      { ownerId: 'lena', ownerSince: NOW.toISOString(), handedOffAt: NOW.toISOString(), escalationsTaken: 0 },
      [['jonas', 'lena']],
    ],
    [
      'deal: the new stage, the same since',
      withDeal('discovery'),
      {
        deal: {
          stageId: 'qualification',
          since: '2026-12-01T10:00:00.000Z',
          openedAt: '2026-12-01T10:00:00.000Z',
        },
      },
      [['discovery', 'qualification']],
    ],
    [
      'track: the same place in the successor',
      leadState({ nurture: { trackId: 'old', sent: 1, startedAt: HANDOFF }, dueAt: HANDOFF }),
      { nurture: { trackId: 'general', sent: 1, startedAt: HANDOFF } },
      [['old', 'general']],
    ],
    [
      'status',
      leadState({ status: 'gone', dueAt: HANDOFF }),
      { status: 'nurturing' },
      [['gone', 'nurturing']],
    ],
    [
      'lead type',
      leadState({ leadType: 'spares', dueAt: HANDOFF }),
      { leadType: 'maintenance-services' },
      [['spares', 'maintenance-services']],
    ],
    [
      'several at once, one entry each',
      withDeal('discovery', 'jonas'),
      {
        ownerId: 'lena',
        deal: {
          stageId: 'qualification',
          since: '2026-12-01T10:00:00.000Z',
          openedAt: '2026-12-01T10:00:00.000Z',
        },
      },
      [
        ['jonas', 'lena'],
        ['discovery', 'qualification'],
      ],
    ],
  ])('%s', (_name, lead, expected, moves) => {
    const result = migrateLead(sla, { ...lead, slaVersion: '2026.11-kessler-1' }, NOW);

    expect(result.kind).toBe('migrated');
    if (result.kind !== 'migrated') return;
    expect(result.state).toMatchObject({ ...expected, dueAt: NOW.toISOString(), version: lead.version });
    expect(missingReferences(sla, result.state)).toEqual([]);
    const entries = result.state.timeline.filter((entry) => entry.kind === 'migrated');
    expect(entries.map((entry) => [entry.from, entry.to])).toEqual(moves);
    const owners = result.state.timeline.filter((entry) => entry.kind === 'owner');
    expect(owners.map((entry) => [entry.from, entry.to])).toEqual(moves.filter(([from]) => from === 'jonas'));
    for (const entry of entries) {
      expect(entry).toMatchObject({ at: NOW.toISOString(), by: MIGRATION_BY, version: '2026.12-kessler-2' });
      expect(entry.reasons[0]!.detail).toContain('SLA "2026.12-kessler-2"');
      expect(entry.reasons[0]!.detail).toContain('judged by "2026.11-kessler-1"');
    }
  });

  it.each<[string, Sla, LeadState, string]>([
    ['current', sla, handedOff(HANDOFF, 'lena'), 'current'],
    [
      'unmapped track only: left to nurture',
      changedSla(),
      leadState({ nurture: { trackId: 'x', sent: 0, startedAt: HANDOFF } }),
      'current',
    ],
    ['unmapped owner', changedSla(), handedOff(HANDOFF, 'jonas'), 'stranded'],
    [
      'mapped owner, unmapped stage',
      changedSla({ reps: { jonas: 'lena' } }),
      withDeal('discovery', 'jonas'),
      'stranded',
    ],
  ])('%s -> %s', (_name, target, lead, kind) => {
    expect(migrateLead(target, lead, NOW).kind).toBe(kind);
  });

  it('a dormant lead is woken: due now, no longer dormant', () => {
    const lead = leadState({ status: 'gone', dormant: { at: HANDOFF, generation: 2 } });
    const result = migrateLead(sla, lead, NOW);
    expect(result.kind === 'migrated' && result.state.dormant).toBe(undefined);
    expect(result.kind === 'migrated' && result.state.dueAt).toBe(NOW.toISOString());
  });

  it.each([NOW, new Date(HANDOFF)])(
    'the re-owned lead is announced to the new owner by the workflow (migrated at %s)',
    (now) => {
      const result = migrateLead(sla, handedOff(HANDOFF, 'jonas', { dueAt: HANDOFF }), now);
      if (result.kind !== 'migrated') throw new Error(result.kind);
      expect(result.state.sent).not.toContain(assignedKey(result.state));
      expect(planNext(sla, { lead: result.state, attempts: [], now, skipNurture: false }).kind).toBe(
        'handoff',
      );
    },
  );
});

describe('which leads are in flight', () => {
  it.each<[string, Partial<LeadState>, boolean]>([
    ['due', { dueAt: HANDOFF }, true],
    ['dormant', { dormant: { at: HANDOFF, generation: 0 } }, true],
    ['ended (customer, disqualified)', {}, false],
    ['erased', { dueAt: HANDOFF, erasedAt: HANDOFF }, false],
  ])('%s: %s', (_name, overrides, expected) => {
    expect(isInFlight(leadState(overrides))).toBe(expected);
  });
});

describe('the hint names the mapping to add', () => {
  it('for each stranding reference', () => {
    const missing = missingReferences(changedSla(), withDeal('discovery', 'jonas'));
    expect(mappingHint(missing)).toEqual([
      'migrations.reps.jonas: <the id of its successor in this SLA>',
      'migrations.dealStages.discovery: <the id of its successor in this SLA>',
    ]);
  });
});

describe('the migrations section in the SLA file', () => {
  const base = `version: x
routing:
  reps:
    - { id: ann, name: Ann, email: ann@example.com }
`;
  it.each<[string, string, string[]]>([
    ['a valid mapping', 'migrations:\n  reps: { jonas: ann }\n', []],
    [
      'a target the SLA lacks',
      'migrations:\n  reps: { jonas: bob }\n',
      ['6:18  migrations.reps.jonas: unknown rep "bob" (known: ann)'],
    ],
    [
      'a source the SLA still has',
      'migrations:\n  dealStages: { discovery: closed-won }\n',
      [
        '6:28  migrations.dealStages.discovery: deal stage "discovery" is still in this SLA: migrate only ids it no longer has',
      ],
    ],
    [
      'an unknown kind',
      'migrations:\n  personas: { a: b }\n',
      ['6:3  migrations.personas: unknown key "personas"'],
    ],
  ])('%s', (_name, section, errors) => {
    const parsed = parseSla(base + section);
    const found = parsed.ok ? [] : parsed.errors.map((e) => `${e.line}:${e.column}  ${e.path}: ${e.message}`);
    expect(found).toEqual(errors);
  });
});
