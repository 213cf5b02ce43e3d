/**
 * `DELETE /leads/{id}` leaves no copy of the lead's personal data under `--data`. dynalite's LevelDB keeps old
 * values in its log and table files until a compaction drops them; the local runtime scrubs the store after
 * an erase (local/scrub-on-erase.ts, local/level-scrub.ts) and at every start (an erase whose scrub a crash
 * interrupted). Every file under the data directory is searched byte for byte, and each probe is first shown
 * to be there, so these tests fail when a copy survives.
 */
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { inflateRawSync } from 'node:zlib';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { afterAll, describe, expect, it } from 'vitest';
import {
  createLeadStoreDocumentClient,
  DynamoDbLeadStore,
} from '../../lambdas/adapters/dynamodb-lead-store.ts';
import { BODY_ATTRIBUTE } from '../../lambdas/adapters/lead-item.ts';
import { leadIdFor } from '../../lambdas/domain/lead-id.ts';
import { eraseLead } from '../../lambdas/domain/lead-state.ts';
import { updateLead } from '../../lambdas/ports/lead-store.ts';
import { ensureTable, localDynamoDbClient, startDynalite } from '../../local/dynalite.ts';
import { type E2e, exampleLead, startE2e } from '../support/e2e.ts';
import { leadState } from '../support/lead-state.ts';

/** A hot lead (so it is handed off to a rep, emailed, timed) whose every personal value is findable. */
const PROBE = {
  ...exampleLead('hot'),
  email: 'Zyxwv-Erase-Probe@Example.com',
  firstName: 'Quintessa',
  lastName: 'Vormbruggen',
  phone: '+49 30 7719 4286',
  company: 'Qualmfjord Kompressoren',
  message: 'Please call about the Xylokwamp retrofit before the audit.',
};
/** What must not remain: each value as posted (the email as stored: lowercase, as the lead id normalises it). */
const PROBES = [
  PROBE.email.toLowerCase(),
  'zyxwv-erase-probe',
  PROBE.firstName,
  PROBE.lastName,
  PROBE.phone,
  'Xylokwamp',
  'Qualmfjord',
];
/** ... nor the email as posted, which is never stored as such */
const ABSENT = [...PROBES, PROBE.email];

/** A lead that is not erased: its data must survive every scrub. */
const KEEPER = {
  ...exampleLead('hot'),
  email: 'keeper.bystander@example.com',
  firstName: 'Benedikta',
  lastName: 'Keeperling',
};

/**
 * The state bodies written for a lead (ADR 0037: its fields, timeline and the rest are compressed into the
 * state item's `body`), as the search below finds them: dynalite keeps a binary attribute as base64 text.
 * `text` is what they hold, inflated, so a probe can be shown to be in a body before the erase.
 */
function recordBodies(client: DynamoDBClient, leadId: string) {
  const bodies: Uint8Array[] = [];
  client.middlewareStack.add(
    (next) => async (args) => {
      const item = (args.input as { Item?: Record<string, { S?: string; B?: Uint8Array }> }).Item;
      if (item?.sk?.S === 'STATE' && item.leadId?.S === leadId && item[BODY_ATTRIBUTE]?.B)
        bodies.push(item[BODY_ATTRIBUTE].B);
      return next(args);
    },
    { step: 'build', name: `record-bodies-${leadId}` },
  );
  return {
    /** a needle per body written so far: the start of its base64 */
    needles: () => bodies.map((body) => Buffer.from(body).toString('base64').slice(0, 64)),
    text: () => bodies.map((body) => inflateRawSync(body.subarray(1)).toString('utf8')).join('\n'),
  };
}

/** occurrences of each needle (its UTF-8 bytes) in every file under `dir`, per file */
async function findOnDisk(
  dir: string,
  needles: readonly string[],
): Promise<Record<string, Record<string, number>>> {
  const found: Record<string, Record<string, number>> = {};
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const file = join(entry.parentPath, entry.name);
    const bytes = await readFile(file);
    for (const needle of needles) {
      const pattern = Buffer.from(needle, 'utf8');
      let count = 0;
      for (let at = bytes.indexOf(pattern); at >= 0; at = bytes.indexOf(pattern, at + 1)) count++;
      if (count > 0) {
        found[needle] ??= {};
        found[needle][relative(dir, file)] = count;
      }
    }
  }
  return found;
}

describe('erase leaves nothing on disk', () => {
  const dirs: string[] = [];
  afterAll(async () => {
    await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })));
  });
  const tempDir = async () => {
    const dir = await mkdtemp(join(tmpdir(), 'leadpact-erase-'));
    dirs.push(dir);
    return dir;
  };

  it('after DELETE /leads/{id} no file under --data holds the lead’s email, name, phone or message', async () => {
    // Arrange: the probe lead and a bystander run their workflows (handoff, rep email, parked) on disk
    const dataDir = await tempDir();
    let first: E2e | undefined = await startE2e({ dataDir });
    let second: E2e | undefined;
    const bodies = recordBodies(first.runtime.dynamoDb, first.leadIdOf(PROBE.email));
    try {
      const posted = await first.postLead(PROBE);
      expect(posted.status).toBe(202);
      const { leadId } = posted.body as { leadId: string };
      const kept = await first.postLead(KEEPER);
      expect(kept.status).toBe(202);
      const { leadId: keeperId } = kept.body as { leadId: string };
      await first.settle();
      expect(await first.readLead(leadId)).toMatchObject({ owner: { id: expect.any(String) } });
      expect(await first.mailsAbout(PROBE.email.toLowerCase(), PROBE.firstName)).not.toEqual([]);
      // every probe is on disk before the erase, as itself or in a state body that is, so the search below
      // can fail
      const needles = bodies.needles();
      const before = await findOnDisk(dataDir, [...PROBES, needles.at(-1)!]);
      expect(before[needles.at(-1)!]).toBeDefined();
      for (const probe of PROBES) expect(before[probe] ?? bodies.text().includes(probe), probe).toBeTruthy();
      expect(PROBES.filter((probe) => !before[probe])).not.toEqual([]);
      const written = [...ABSENT, ...bodies.needles()];

      // Act
      const erased = await first.request('DELETE', `/leads/${leadId}`);

      // Assert: answered, and no copy left in any file (log, tables, manifest, executions, secrets)
      expect(erased.status).toBe(200);
      expect(await findOnDisk(dataDir, written)).toEqual({});
      // the bystander is intact, and events after the erase add nothing
      expect(await first.readLead(keeperId)).toMatchObject({
        email: KEEPER.email,
        fields: { firstName: KEEPER.firstName },
      });
      await first.settle();
      expect(await findOnDisk(dataDir, written)).toEqual({});
      await first.close();
      first = undefined;

      // ... and after a restart on the same data
      second = await startE2e({ dataDir });
      await second.settle();
      expect(await second.readLead(keeperId)).toMatchObject({
        email: KEEPER.email,
        fields: { lastName: KEEPER.lastName },
      });
      const view = await second.request('GET', `/leads/${leadId}`);
      expect(view.body).toMatchObject({ erasedAt: expect.any(String), email: null });
      expect(view.text).not.toMatch(/Quintessa|zyxwv/i);
      expect(await findOnDisk(dataDir, written)).toEqual({});
    } finally {
      await first?.close();
      await second?.close();
    }
  });

  it('an erase whose scrub never ran (a crash) is scrubbed when the store next opens', async () => {
    // Arrange: a lead written and erased through the bare store adapter, which does not scrub, and the store
    // stopped as a crash would leave it (the values in its log and tables)
    const path = await tempDir();
    const leadId = leadIdFor(PROBE.email, 'erase-test-secret');
    const lead = leadState({
      leadId,
      email: PROBE.email.toLowerCase(),
      fields: { firstName: PROBE.firstName, lastName: PROBE.lastName, phone: PROBE.phone },
    });
    const dynamo = await startDynalite({ path });
    const client = localDynamoDbClient(dynamo.endpoint);
    const bodies = recordBodies(client, leadId);
    try {
      await ensureTable(client, 'erase-test');
      const store = new DynamoDbLeadStore(createLeadStoreDocumentClient(client), { tableName: 'erase-test' });
      expect(await store.createLead(lead)).toBe('created');
      await updateLead(store, leadId, (current) => eraseLead(current, new Date(), 'test'));
      expect((await store.getLead(leadId))?.erasedAt).toEqual(expect.any(String));
    } finally {
      client.destroy();
      await dynamo.close();
    }
    // the email is in the search index's key; the rest in the state bodies written before the erase (the
    // last body is the erased lead's own)
    const needles = [PROBE.email.toLowerCase(), ...bodies.needles().slice(0, -1)];
    expect(bodies.text()).toContain(PROBE.phone);
    expect(Object.keys(await findOnDisk(path, needles)).sort()).toEqual([...needles].sort());

    // Act: open the store again
    const reopened = await startDynalite({ path });
    try {
      // Assert
      expect(await findOnDisk(path, needles)).toEqual({});
    } finally {
      await reopened.close();
    }
  });
});
