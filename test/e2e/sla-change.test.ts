/**
 * Issue 9, "changing the SLA orphans leads": `leadpact dev --data DIR` restarted with a new, valid
 * SLA version without rep jonas and without deal stage discovery. With `migrations` Jonas's hot SQL
 * is re-owned by Lena at start-up (she gets the assignment email within the SLA hour) and the deal
 * moves to qualification; without them `sla diff` exits 1 naming the lead and the start refuses,
 * leaving the store as it was.
 */

import { readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { main } from '../../bin/cli.ts';
import { type CliIo, processIo } from '../../bin/commands/io.ts';
import { parseSla } from '../../lambdas/domain/sla-file.ts';
import type { Sla } from '../../lambdas/domain/sla-schema.ts';
import { StrandedLeadsError } from '../../lambdas/tasks/migrate-leads.ts';
import { exampleLead, HOUR, MINUTE, MONDAY_0900_BERLIN, startE2e } from '../support/e2e.ts';
import { everyoneAway, loadDefaultSla } from '../support/sla.ts';
import { CHANGED_VERSION, JONAS_TO_LENA, writeChangedSla } from '../support/sla-change.ts';

const LENA = 'lena.hartmann@kessler-industrial.example';
const KATRIN = 'katrin.vogel@kessler-industrial.example';
const DAN = 'dan.whitaker@kessler-industrial.example';
const SECOND = {
  ...exampleLead('hot'),
  email: 'max.mueller@oelmuehle.example',
  firstName: 'Max',
  lastName: 'Mueller',
  company: 'Oelmuehle AG',
};

async function cli(...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = { out: (t) => out.push(t), err: (t) => err.push(t), readFile: processIo.readFile };
  const code = await main(argv, io);
  return { code, out: out.join('\n'), err: err.join('\n') };
}

function slaFrom(file: string): Sla {
  return slaOf(processIo.readFile(file));
}

/** The SLA a YAML text gives; throws with its errors when it is refused. */
function slaOf(yaml: string): Sla {
  const parsed = parseSla(yaml);
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
  return parsed.sla;
}

/** Jonas's hot SQL and, for whoever gets the second hot lead, a deal in discovery; then the process stops. */
async function firstRun(dataDir: string) {
  const e = await startE2e({ dataDir, time: { manual: MONDAY_0900_BERLIN } });
  try {
    const hot = await e.postLead(exampleLead('hot'));
    await e.settle();
    const second = await e.postLead(SECOND);
    await e.settle();
    const hotId = (hot.body as { leadId: string }).leadId;
    const dealId = (second.body as { leadId: string }).leadId;
    const deal = await e.request('PUT', `/leads/${dealId}/deal`, { json: { stage: 'discovery' } });
    expect(deal.status).toBe(200);
    await e.settle();
    const hotView = await e.readLead(hotId);
    expect(hotView.owner?.id).toBe('jonas');
    const dealView = await e.readLead(dealId);
    expect(dealView.deal?.stageId).toBe('discovery');
    return { hotId, dealId, dealOwner: dealView.owner?.id, stoppedAt: e.now() };
  } finally {
    await e.close();
  }
}

/**
 * An MQL (115) that posted the guide form and waits for its double opt-in: dormant, nothing due (the start-up
 * migration's due index does not list it); then the process stops. Its view as it stopped.
 */
async function dormantMql(dataDir: string) {
  const mql = { ...exampleLead('hot'), email: 'mia@brauhaus-werke.example', formId: 'efficiency-guide' };
  const e = await startE2e({ dataDir, time: { manual: MONDAY_0900_BERLIN } });
  try {
    const leadId = e.leadIdOf(mql.email);
    await e.postLead(mql);
    await e.settle();
    return { leadId, lead: await e.readLead(leadId), stoppedAt: e.now() };
  } finally {
    await e.close();
  }
}

describe('an SLA change for leads in flight (--data, restart)', () => {
  const dirs: string[] = [];
  const tempDir = async () => {
    const dir = await mkdtemp(join(tmpdir(), 'leadpact-sla-change-'));
    dirs.push(dir);
    return dir;
  };
  afterAll(async () => {
    await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })));
  });

  it('with migrations: the lead is re-owned by lena within an SLA hour, she is emailed, the deal moves', async () => {
    // Arrange
    const dataDir = await tempDir();
    const { hotId, dealId, dealOwner, stoppedAt } = await firstRun(dataDir);
    const slaFile = await writeChangedSla(dataDir, 'new.yaml', JONAS_TO_LENA);
    const at = stoppedAt.toISOString();

    // Act 1: the diff before the restart names what will move, and nothing is stranded
    const diff = await cli(
      'sla',
      'diff',
      'sla/default.yaml',
      slaFile,
      '--data',
      dataDir,
      '--at',
      at,
      '--json',
    );

    // Assert 1
    expect(diff.code).toBe(0);
    const impact = (JSON.parse(diff.out) as { impact: { stranded: number; leads: { leadId: string }[] } })
      .impact;
    expect(impact.stranded).toBe(0);
    expect(impact.leads.map((lead) => lead.leadId)).toContain(hotId);
    expect(impact.leads.map((lead) => lead.leadId)).toContain(dealId);

    // Act 2: restart with the new SLA ten minutes later; an SLA hour passes
    const restartAt = new Date(stoppedAt.getTime() + 10 * MINUTE);
    const e = await startE2e({ dataDir, sla: slaFrom(slaFile), time: { manual: restartAt } });
    try {
      await e.settle();
      await e.advanceTo(new Date(restartAt.getTime() + HOUR));

      // Assert 2: Jonas's lead is Lena's, with a fresh first-touch clock, and she was told
      const hot = await e.readLead(hotId);
      expect(hot.owner).toEqual({ id: 'lena', name: 'Lena Hartmann' });
      expect(Date.parse(hot.handedOffAt!)).toBe(restartAt.getTime());
      const toLena = await e.mailsTo(LENA);
      expect(toLena.map((mail) => mail.subject)).toContainEqual(
        expect.stringMatching(/^New SQL: Petra Schneider/),
      );
      // recorded once the mail service took it (the mailbox above is emptied as the runtime starts:
      // the workflow sends it a few store round trips later)
      const told = hot.timeline.filter((entry) => entry.kind === 'email').at(-1);
      expect(told?.reasons[0]?.detail).toMatch(/^new SQL email to lena: first touch due /);
      expect(Date.parse(told!.at) - restartAt.getTime()).toBeLessThanOrEqual(HOUR);
      const migrated = hot.timeline.filter((entry) => entry.kind === 'migrated');
      expect(migrated).toEqual([
        expect.objectContaining({ from: 'jonas', to: 'lena', by: 'system:sla-migration' }),
      ]);
      expect(migrated[0]!.reasons[0]!.detail).toContain(`SLA "${CHANGED_VERSION}"`);
      expect(migrated[0]).toMatchObject({ version: CHANGED_VERSION });
      // the read model lists it as a handover
      const { sla } = hot as unknown as { sla: { handovers: { owner: { id: string }; by: string }[] } };
      expect(sla.handovers.at(-1)).toMatchObject({ owner: { id: 'lena' }, by: 'system:sla-migration' });

      // the deal is in qualification, with the stage's stale timer; its timeline says so
      const deal = await e.readLead(dealId);
      expect(deal.deal?.stageId).toBe('qualification');
      const moves = deal.timeline.filter((entry) => entry.kind === 'migrated').map((x) => [x.from, x.to]);
      expect(moves).toContainEqual(['discovery', 'qualification']);
      if (dealOwner === 'jonas') expect(moves).toContainEqual(['jonas', 'lena']);
      expect(deal.owner?.id).not.toBe('jonas');

      // nothing is left pointing at a removed id
      for (const view of [hot, deal]) {
        expect(view.owner?.name).not.toBeNull();
        expect(view.deal?.stageId ?? 'qualification').not.toBe('discovery');
      }
    } finally {
      await e.close();
    }

    // Act 3: the same diff after the migration has nothing left to move
    const again = await cli(
      'sla',
      'diff',
      'sla/default.yaml',
      slaFile,
      '--data',
      dataDir,
      '--at',
      at,
      '--json',
    );
    expect(again.code).toBe(0);
    const after = JSON.parse(again.out) as { impact: { leads: { references: unknown[] }[] } };
    expect(after.impact.leads.flatMap((lead) => lead.references)).toEqual([]);
  });

  it('without migrations: sla diff exits 1 naming the lead, and the start refuses, changing nothing', async () => {
    // Arrange
    const dataDir = await tempDir();
    const { hotId, dealId, stoppedAt } = await firstRun(dataDir);
    const slaFile = await writeChangedSla(dataDir, 'new.yaml');
    const at = stoppedAt.toISOString();

    // Act 1
    const diff = await cli('sla', 'diff', 'sla/default.yaml', slaFile, '--data', dataDir, '--at', at);

    // Assert 1: exit 1; the stranded lead named by id and address, with the mapping to add
    expect(diff.code).toBe(1);
    expect(diff.out).toMatch(
      new RegExp(
        `lead ${hotId} <petra\\.schneider@brauhaus-werke\\.example> \\(sql/new, owner jonas\\): STRANDED: owner jonas has no successor \\(add migrations\\.reps\\.jonas\\)`,
      ),
    );
    expect(diff.out).toContain(`lead ${dealId} <max.mueller@oelmuehle.example>`);
    expect(diff.out).toContain('add migrations.dealStages.discovery');
    expect(diff.out).toMatch(/^2 leads would be stranded/m);

    // Act 2: the start with the new SLA
    const start = startE2e({ dataDir, sla: slaFrom(slaFile), time: { manual: stoppedAt } });

    // Assert 2: refused, naming the leads and the mapping
    const refusal = await start.then(
      async (e) => {
        await e.close();
        throw new Error('the runtime started');
      },
      (error: unknown) => error,
    );
    expect(refusal).toBeInstanceOf(StrandedLeadsError);
    const message = (refusal as Error).message;
    expect(message).toContain(`SLA "${CHANGED_VERSION}" would strand 2 leads in flight`);
    expect(message).toContain(`lead ${hotId}: owner "jonas"`);
    expect(message).toContain('migrations.reps.jonas: <the id of its successor in this SLA>');
    expect(message).toContain('migrations.dealStages.discovery');
    expect(message).not.toContain('petra'); // no personal data in what may end up in a log

    // Assert 3: nothing changed: the old SLA still runs on the data, Jonas still owns his lead
    const old = await startE2e({ dataDir, time: { manual: stoppedAt } });
    try {
      await old.settle();
      expect((await old.readLead(hotId)).owner?.id).toBe('jonas');
      expect((await old.readLead(dealId)).deal?.stageId).toBe('discovery');
    } finally {
      await old.close();
    }
  });

  it('a dormant lead holding a renamed status follows the mapping (the start finds it through the stage index)', async () => {
    // Arrange: an MQL waiting for its double opt-in (dormant: nothing due, so the start-up migration does
    // not see it), then the SLA renames its status nurturing -> in-nurture with a mapping
    const dataDir = await tempDir();
    const { leadId, stoppedAt, lead } = await dormantMql(dataDir);
    expect(lead.leadStatus).toBe('nurturing');
    const doc = parse(readFileSync('sla/default.yaml', 'utf8')) as {
      version: string;
      leadStatuses: { id: string }[];
      migrations?: unknown;
    };
    doc.version = CHANGED_VERSION;
    doc.leadStatuses = doc.leadStatuses.map((status) =>
      status.id === 'nurturing' ? { ...status, id: 'in-nurture' } : status,
    );
    doc.migrations = { statuses: { nurturing: 'in-nurture' } };

    // Act: the restart with the new SLA, then a page view wakes the lead
    const e = await startE2e({
      dataDir,
      sla: slaOf(stringify(doc)),
      time: { manual: new Date(stoppedAt.getTime() + HOUR) },
    });
    try {
      await e.settle();
      const woke = await e.postEvents(leadId, [
        { type: 'page_view', occurredAt: e.now().toISOString(), eventId: 'dormant-wake-1' },
      ]);
      expect(woke.status).toBe(200);
      await e.settle();

      // Assert: the lead holds the successor status, and its story says the migration moved it
      const lead = await e.readLead(leadId);
      expect(lead.leadStatus).toBe('in-nurture');
      const migrated = lead.timeline.filter((entry) => entry.kind === 'migrated');
      expect(migrated).toEqual([
        expect.objectContaining({ from: 'nurturing', to: 'in-nurture', by: 'system:sla-migration' }),
      ]);
    } finally {
      await e.close();
    }
  });

  it('a cadence shrunk below the attempts a lead used recycles it, saying how many were logged', async () => {
    // Arrange: Jonas logs two attempts on his hot SQL; the new SLA's standard cadence has one step
    const dataDir = await tempDir();
    const hot = exampleLead('hot');
    const first = await startE2e({ dataDir, time: { manual: MONDAY_0900_BERLIN } });
    const leadId = first.leadIdOf(String(hot.email));
    let stoppedAt: Date;
    try {
      await first.postLead(hot);
      await first.settle();
      for (const channel of ['phone', 'email']) {
        const logged = await first.request('POST', `/leads/${leadId}/attempts`, {
          json: { outcome: 'no-answer', channel },
        });
        expect(logged.status).toBeLessThan(300);
        await first.settle();
        await first.advanceBy(30 * MINUTE);
      }
      stoppedAt = first.now();
    } finally {
      await first.close();
    }
    const doc = parse(readFileSync('sla/default.yaml', 'utf8')) as {
      version: string;
      contact: { cadences: { id: string; steps: unknown[] }[] };
    };
    doc.version = CHANGED_VERSION;
    doc.contact.cadences = doc.contact.cadences.map((cadence) =>
      cadence.id === 'standard' ? { ...cadence, steps: cadence.steps.slice(0, 1) } : cadence,
    );

    // Act: the restart with the shorter cadence
    const e = await startE2e({
      dataDir,
      sla: slaOf(stringify(doc)),
      time: { manual: new Date(stoppedAt.getTime() + HOUR) },
    });
    try {
      await e.settle();

      // Assert: recycled, and the owner's email and the story count the two attempts logged
      const lead = await e.readLead(leadId);
      expect(lead.lifecycleStage).toBe('lead');
      const recycled = (await e.mailsTo('jonas.berger@kessler-industrial.example')).filter((mail) =>
        mail.subject.startsWith('Recycled:'),
      );
      expect(recycled.map((mail) => mail.subject)).toEqual([
        'Recycled: Petra Schneider (Brauhaus Werke GmbH) - 2 attempts, no connection',
      ]);
      expect(recycled[0]!.text).toContain('All 2 attempts logged, no connection');
      const exhausted = lead.timeline.find((entry) => entry.kind === 'cadence');
      expect(exhausted?.reasons[0]?.detail).toMatch(/^2 attempts logged without connecting/);
    } finally {
      await e.close();
    }
  });

  it('a lowered SQL threshold hands over a dormant MQL above it at the start, as sla diff predicts', async () => {
    // Arrange: an MQL (115) waiting for its double opt-in: dormant, nothing due
    const dataDir = await tempDir();
    const { leadId, stoppedAt, lead } = await dormantMql(dataDir);
    expect(lead.lifecycleStage).toBe('mql');
    const doc = parse(readFileSync('sla/default.yaml', 'utf8')) as {
      version: string;
      scoring: { thresholds: { sql: number } };
    };
    doc.version = CHANGED_VERSION;
    doc.scoring.thresholds.sql = 100;
    const slaFile = join(dataDir, 'lower-sql.yaml');
    await writeFile(slaFile, stringify(doc));

    // Act 1: the diff before the restart
    const diff = await cli(
      'sla',
      'diff',
      'sla/default.yaml',
      slaFile,
      '--data',
      dataDir,
      '--at',
      stoppedAt.toISOString(),
      '--json',
    );

    // Assert 1: it names the move
    expect(diff.code).toBe(0);
    const impact = (
      JSON.parse(diff.out) as { impact: { leads: { leadId: string; stageMove?: { to: string } }[] } }
    ).impact;
    expect(impact.leads).toEqual([
      expect.objectContaining({ leadId, stageMove: { from: 'mql', to: 'sql' } }),
    ]);

    // Act 2: the restart with the new SLA
    const e = await startE2e({
      dataDir,
      sla: slaFrom(slaFile),
      time: { manual: new Date(stoppedAt.getTime() + HOUR) },
    });
    try {
      await e.settle();
      await e.advanceBy(MINUTE);

      // Assert 2: an SQL with an owner, who was told
      const lead = await e.readLead(leadId);
      expect(lead.lifecycleStage).toBe('sql');
      expect(lead.owner).not.toBeNull();
      const told = (await e.mails()).filter((mail) => mail.subject.startsWith('New SQL: Petra Schneider'));
      expect(told).toHaveLength(1);
    } finally {
      await e.close();
    }
  });

  it('a lead waiting for an owner whose told manager left the SLA is told to the manager who decides now, once', async () => {
    // Arrange: nobody can take Petra (everyone out of office): Katrin, the queue's manager, was told; then an SLA
    // without Katrin (her reps and queue go to Dan), everyone still away
    const dataDir = await tempDir();
    const away = everyoneAway(loadDefaultSla());
    const lead = { ...exampleLead('hot'), email: 'petra@brauhaus-waiting.example' };
    const first = await startE2e({ dataDir, sla: away, time: { manual: MONDAY_0900_BERLIN } });
    const leadId = first.leadIdOf(lead.email);
    let stoppedAt: Date;
    try {
      await first.postLead(lead);
      await first.settle();
      expect((await first.mailsTo(KATRIN)).map((mail) => mail.subject)).toEqual([
        'Over to you: Petra Schneider (Brauhaus Werke GmbH) - the lead needs an owner',
      ]);
      stoppedAt = first.now();
    } finally {
      await first.close();
    }
    const withoutKatrin: Sla = {
      ...away,
      version: CHANGED_VERSION,
      routing: {
        ...away.routing,
        managers: away.routing.managers.filter((manager) => manager.id !== 'katrin'),
        reps: away.routing.reps.map((rep) => (rep.manager === 'katrin' ? { ...rep, manager: 'dan' } : rep)),
        queues: away.routing.queues.map((queue) =>
          queue.manager === 'katrin' ? { ...queue, manager: 'dan' } : queue,
        ),
      },
    };

    // Act: the restart, then a working day of hourly retries
    const e = await startE2e({
      dataDir,
      sla: withoutKatrin,
      time: { manual: new Date(stoppedAt.getTime() + HOUR) },
    });
    try {
      await e.settle();
      await e.advanceBy(8 * HOUR);

      // Assert: Dan was told once; the lead still waits, with nobody to take it
      expect((await e.mailsTo(DAN)).map((mail) => mail.subject)).toEqual([
        'Over to you: Petra Schneider (Brauhaus Werke GmbH) - the lead needs an owner',
      ]);
      expect((await e.readLead(leadId)).owner).toBeNull();
    } finally {
      await e.close();
    }
  });
});
