/**
 * A tighter first touch deployed while leads are with sales (ADR 0059): `leadpact dev --data DIR` restarted with
 * test/fixtures/sla/strict.yaml (first touch within 1 business hour, not 4; the ladder a business hour apart, not
 * two). The lead handed over under the 4-hour SLA keeps the deadline its rep was given and that SLA's ladder: it
 * is not escalated at the restart (it was, three times in eight hours, before ADR 0059). A lead handed over after
 * the switch gets the strict hour.
 */

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../../bin/cli.ts';
import { type CliIo, processIo } from '../../bin/commands/io.ts';
import { parseDuration } from '../../lambdas/domain/duration.ts';
import { parseSla } from '../../lambdas/domain/sla-file.ts';
import type { Sla } from '../../lambdas/domain/sla-schema.ts';
import { consoleFetch, signIn, textOf } from '../support/console.ts';
import {
  E2E_ADMIN_TOKEN as E2E_ADMIN,
  exampleLead,
  HOUR,
  type LeadView,
  MINUTE,
  MONDAY_0900_BERLIN,
  startE2e,
} from '../support/e2e.ts';
import { loadDefaultSla } from '../support/sla.ts';

const STRICT = 'test/fixtures/sla/strict.yaml';
const KATRIN = 'katrin.vogel@kessler-industrial.example';
const SECOND = {
  ...exampleLead('hot'),
  email: 'max.mueller@oelmuehle.example',
  firstName: 'Max',
  lastName: 'Mueller',
  company: 'Oelmuehle AG',
};

interface Standing {
  firstTouch: { dueAt: string; state: string } | null;
  escalation: { rung: number; next: { rung: number; action: string; dueAt: string } | null } | null;
}
const standingOf = (view: LeadView) => (view as unknown as { sla: Standing }).sla;
const escalations = (view: LeadView) =>
  view.timeline.filter((entry) => entry.kind === 'overdue' || entry.kind === 'escalation');

async function cli(...argv: string[]) {
  const out: string[] = [];
  const io: CliIo = { out: (t) => out.push(t), err: (t) => out.push(t), readFile: processIo.readFile };
  const code = await main(argv, io);
  return { code, out: out.join('\n') };
}

function strictSla(): Sla {
  const parsed = parseSla(processIo.readFile(STRICT));
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
  return parsed.sla;
}

describe('a tighter first touch deployed with leads in flight (--data, restart)', () => {
  const dirs: string[] = [];
  afterAll(async () => {
    await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })));
  });

  it('the lead handed over under 4 business hours keeps its deadline and ladder; one handed over after the switch gets 1', async () => {
    // Arrange: Monday 09:00 Berlin under sla/default.yaml, a hot SQL handed to a rep, due by 13:00
    const dataDir = await mkdtemp(join(tmpdir(), 'leadpact-sla-clocks-'));
    dirs.push(dataDir);
    const first = await startE2e({ dataDir, time: { manual: MONDAY_0900_BERLIN } });
    let hotId: string;
    let promised: string;
    try {
      const hot = await first.postLead(exampleLead('hot'));
      await first.settle();
      hotId = (hot.body as { leadId: string }).leadId;
      const view = await first.readLead(hotId);
      promised = standingOf(view).firstTouch!.dueAt;
      expect(Date.parse(promised) - Date.parse(view.handedOffAt!)).toBe(4 * HOUR);
    } finally {
      await first.close();
    }

    // Act 0: what sla diff says of the store before the restart
    const restartAt = new Date(MONDAY_0900_BERLIN.getTime() + 90 * MINUTE);
    const args = [
      'sla',
      'diff',
      'sla/default.yaml',
      STRICT,
      '--data',
      dataDir,
      '--at',
      restartAt.toISOString(),
    ];
    const diff = await cli(...args, '--json');
    const text = await cli(...args);

    // Assert 0: no lead changes, and the running clock keeps its terms
    expect(diff.code).toBe(0);
    const { impact } = JSON.parse(diff.out) as { impact: { leads: unknown[]; clocks: unknown } };
    expect(impact.leads).toEqual([]);
    expect(impact.clocks).toEqual({ withOwner: 1, kept: 1, deployed: 0 });
    expect(text.out).toContain(
      'First-touch clocks: the 1 lead with an owner keeps the deadline and ladder of its handover (ADR 0059); the new SLA applies from its next handover.',
    );

    // Act 1: restarted with the strict SLA at 10:30, past its 1-hour deadline; on until 12:59
    const e = await startE2e({ dataDir, sla: strictSla(), time: { manual: restartAt } });
    let reassigned: LeadView;
    try {
      await e.settle();
      await e.advanceTo(new Date(Date.parse(promised) - MINUTE));

      // Assert 1: no escalation, the promised deadline stands, the ladder's first rung is at it
      const kept = await e.readLead(hotId);
      expect(escalations(kept)).toEqual([]);
      expect(kept.owner?.id).toBeDefined();
      expect(standingOf(kept).firstTouch).toEqual({ dueAt: promised, metAt: null, state: 'due' });
      expect(standingOf(kept).escalation?.next).toEqual({ rung: 1, action: 'remindOwner', dueAt: promised });
      expect(await e.mailsTo(KATRIN)).toEqual([]);

      // Act 2: a lead handed over now, under the strict SLA
      const second = await e.postLead(SECOND);
      await e.settle();
      const secondId = (second.body as { leadId: string }).leadId;
      const fresh = await e.readLead(secondId);

      // Assert 2: one business hour
      expect(Date.parse(standingOf(fresh).firstTouch!.dueAt) - Date.parse(fresh.handedOffAt!)).toBe(HOUR);

      // Act 3: 14:30, an hour and a half past the promised deadline
      await e.advanceTo(new Date(Date.parse(promised) + 90 * MINUTE));

      // Assert 3: the 4-hour SLA's ladder (remind at the deadline, the manager 2 business hours after it), not the
      // strict one's (the manager 1 business hour after it)
      const climbing = await e.readLead(hotId);
      expect(escalations(climbing).map((entry) => entry.reasons[0]?.rule)).toEqual([
        'handoff.escalation.remindOwner',
      ]);
      expect(standingOf(climbing).escalation?.next).toEqual({
        rung: 2,
        action: 'notifyManager',
        dueAt: new Date(Date.parse(promised) + 2 * HOUR).toISOString(),
      });

      // Act 4: on to the 4-hour ladder's reassignment (17:00), a new handover under the strict SLA
      await e.advanceTo(new Date(Date.parse(promised) + 4 * HOUR + MINUTE));
      reassigned = await e.readLead(hotId);
    } finally {
      await e.close();
    }
    const handover = reassigned.timeline.filter((entry) => entry.kind === 'owner').at(-1)!;
    expect(handover.reasons[0]?.rule).toBe('handoff.escalation.3');
    const strictDue = standingOf(reassigned).firstTouch!.dueAt;
    // to a rep in Chicago (10:00 there, inside working hours): one business hour
    expect(Date.parse(strictDue) - Date.parse(handover.at)).toBe(HOUR);

    // Act 5: the 4-hour SLA deployed again before the new owner's strict deadline, and half an hour past it
    const back = await startE2e({ dataDir, time: { manual: new Date(Date.parse(strictDue) - 30 * MINUTE) } });
    try {
      await back.settle();
      await back.advanceTo(new Date(Date.parse(strictDue) + 30 * MINUTE));

      // Assert 5: the new owner keeps the strict hour it was handed over with: reminded at its deadline
      const view = await back.readLead(hotId);
      expect(standingOf(view).firstTouch).toEqual({ dueAt: strictDue, metAt: null, state: 'breached' });
      const since = view.timeline.filter((entry) => Date.parse(entry.at) > Date.parse(handover.at));
      expect(
        since.filter((entry) => entry.kind === 'overdue').map((entry) => [entry.to, entry.reasons[0]?.rule]),
      ).toEqual([[handover.to, 'handoff.escalation.remindOwner']]);
    } finally {
      await back.close();
    }
  });

  it("a looser first touch deployed: the lead past the deadline it was given is on its manager's overdue list and due today", async () => {
    // Arrange: Monday 09:00 Berlin under sla/default.yaml, the hot SQL handed to a rep, due by 13:00 (4 business
    // hours); restarted six hours on (15:00) with the first touch loosened to 24 hours
    const dataDir = await mkdtemp(join(tmpdir(), 'leadpact-sla-looser-'));
    dirs.push(dataDir);
    const first = await startE2e({ dataDir, time: { manual: MONDAY_0900_BERLIN } });
    let hotId: string;
    let promised: string;
    try {
      const hot = await first.postLead(exampleLead('hot'));
      await first.settle();
      hotId = (hot.body as { leadId: string }).leadId;
      promised = standingOf(await first.readLead(hotId)).firstTouch!.dueAt;
    } finally {
      await first.close();
    }
    const standard = loadDefaultSla();
    const looser: Sla = {
      ...standard,
      version: `${standard.version}-looser`,
      handoff: { ...standard.handoff, firstTouchWithin: parseDuration('24h')! },
    };
    const e = await startE2e({
      dataDir,
      sla: looser,
      time: { manual: new Date(MONDAY_0900_BERLIN.getTime() + 6 * HOUR) },
    });
    try {
      await e.settle();
      const view = await e.readLead(hotId);
      const rep = looser.routing.reps.find((candidate) => candidate.id === view.owner?.id)!;
      const manager = looser.routing.managers.find((candidate) => candidate.id === rep.manager)!;

      // Act: the manager's overview, and the API's overdue list
      const cookie = await signIn(e.runtime, manager.email);
      const overview = textOf((await consoleFetch(e.runtime, 'GET', '/console', { cookie })).text);
      const list = await e.request('GET', '/leads?overdue=true', { token: E2E_ADMIN });
      const section = overview.slice(
        overview.indexOf('Overdue first touches'),
        overview.indexOf('Due today, per rep'),
      );
      // the overview's last section: its step 1 is the deadline it was given (ADR 0065)
      const dueToday = overview.slice(overview.indexOf('Due today, per rep'));

      // Assert: still untouched, two hours past the 4 hours it was given (the 24 hours have not passed), and
      // listed as overdue on both, and as due today (the 24 hours' deadline is tomorrow)
      expect(Date.parse(promised) - Date.parse(view.handedOffAt!)).toBe(4 * HOUR);
      expect(standingOf(view).firstTouch).toEqual({ dueAt: promised, metAt: null, state: 'breached' });
      expect(section).toContain('Petra Schneider');
      expect(section).not.toContain('none: every handed-over lead');
      expect(list.status).toBe(200);
      expect((list.body as { items: { id: string }[] }).items.map((item) => item.id)).toEqual([hotId]);
      expect(dueToday).toContain('Petra Schneider');
      expect(dueToday).not.toContain('Nothing is due today.');
    } finally {
      await e.close();
    }
  });
});
