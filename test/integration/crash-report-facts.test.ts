/**
 * Report facts are written after the lead state they derive from (adapters/observed-lead-store.ts, ADR 0016): a
 * local runtime killed between a write and its facts keeps the change and loses its facts for good, since a later
 * write puts only the facts of its own change. The chaos review's 8 SIGKILLs (114 SQLs, 115 handoffs on the leads'
 * stories) left GET /reports/sla counting 109 SQLs entered and 109 handed over. The start after a crash now puts the
 * facts of every lead's kept story again (each a conditional put under its identity: only the missing ones land).
 *
 * The crash is emulated, as it cannot be timed from a test: the first run's facts puts are refused by a proxy in
 * front of dynalite (the state written, its facts not: what a kill between the two leaves), and the clean-stop
 * marker its close writes is removed (what a kill leaves). Everything else is the real runtime on an on-disk store.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { type LocalRuntime, startLocalRuntime } from '../../local/runtime.ts';
import { exampleLead } from '../support/e2e.ts';
import { type FaultProxy, startFaultProxy } from '../support/fault-proxy.ts';
import { loadDefaultSla } from '../support/sla.ts';

const sla = loadDefaultSla();
const T0 = new Date('2026-12-07T08:00:00.000Z');
const TOKEN = 'crash-report-facts-token-4e1b';

async function reportOf(runtime: LocalRuntime) {
  const response = await fetch(`${runtime.url}/reports/sla?from=2026-12-01&to=2026-12-31`, {
    headers: { authorization: `Bearer ${TOKEN}` },
  });
  expect(response.status).toBe(200);
  return (await response.json()) as {
    funnel: { stage: string; entered: number }[];
    marketing: { sqls: { handedOver: number } };
  };
}

describe('report facts after a crash', () => {
  const dirs: string[] = [];
  afterAll(async () => {
    for (const dir of dirs) await rm(dir, { recursive: true, force: true });
  });

  it('counts a lead whose facts the crash lost once the runtime starts again', async () => {
    // Arrange: a hot lead posted while every facts put is refused; the workflow hands it off meanwhile
    const dataDir = await mkdtemp(join(tmpdir(), 'leadpact-crash-facts-'));
    dirs.push(dataDir);
    let proxy: FaultProxy | undefined;
    const first = await startLocalRuntime({
      sla,
      port: 0,
      dataDir,
      adminToken: TOKEN,
      time: { manual: T0 },
      reconcileEveryMs: 0,
      events: { off: true },
      endpoints: {
        dynamodb: async (endpoint) => {
          proxy = await startFaultProxy({
            target: endpoint,
            service: 'dynamodb',
            rate: 1,
            kinds: ['error500'],
            phases: ['before'],
            eligible: (request) => request.body.includes('FACT#'),
          });
          return proxy.endpoint;
        },
      },
    });
    try {
      await fetch(`${first.url}/leads`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ ...exampleLead('hot'), email: 'facts.crash@brauhaus-werke.example' }),
      });
      await first.settle();
      expect(proxy?.counts().injected, 'facts puts refused').toBeGreaterThan(0);
    } finally {
      await first.close();
      await proxy?.close();
    }
    await rm(join(dataDir, 'clean-stop'), { force: true });

    // Act: the start after the crash
    const second = await startLocalRuntime({
      sla,
      port: 0,
      dataDir,
      adminToken: TOKEN,
      time: { manual: T0 },
      reconcileEveryMs: 0,
      events: { off: true },
    });
    try {
      await second.settle();
      const report = await reportOf(second);

      // Assert: the SQL entered and was handed over once
      expect(report.funnel.find((stage) => stage.stage === 'sql')?.entered).toBe(1);
      expect(report.marketing.sqls.handedOver).toBe(1);
    } finally {
      await second.close();
    }
  });
});
