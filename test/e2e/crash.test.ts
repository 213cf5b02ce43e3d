/**
 * `leadpact dev --data DIR` killed with SIGKILL while forms post leads, at several moments, then
 * started again on the same data: every accepted lead is still there and resumes (every SQL gets
 * its owner and its assignment email), and SLA time never runs backwards. Emails are sent at least
 * once: a kill between the mail service accepting an email and the lead recording it repeats that
 * email after the restart, at most once per kill (docs/reliability.md); before the outbox, such a
 * kill lost it.
 *
 * The CLI runs as a child process (a real SIGKILL, nothing flushed); the SES emulator runs in this
 * process (`--mail-endpoint`), so the emails of every run are read back together.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SesEmulator, startSesEmulator } from '../../local/ses.ts';
import { exampleLead } from '../support/e2e.ts';
import { type RunningDev, startDev } from '../support/run-process.ts';

const TOKEN = 'crash-test-admin-token-5d1c';
/** real milliseconds after the first post at which each run is killed */
const KILL_AFTER_MS = [700, 1500, 2500];

function startCli(dataDir: string, mailEndpoint: string): Promise<RunningDev> {
  return startDev(['--data', dataDir, '--speed', '600', '--mail-endpoint', mailEndpoint], {
    LEADPACT_ADMIN_TOKEN: TOKEN,
  });
}

interface Accepted {
  readonly leadId: string;
  readonly firstName: string;
  readonly hot: boolean;
}

/** Posts leads one after another (four at a time) until `stop()`; returns those answered 202. */
function postUntilStopped(url: string, run: number): { stop: () => Promise<Accepted[]> } {
  const accepted: Accepted[] = [];
  let stopped = false;
  let n = 0;
  const poster = async () => {
    while (!stopped) {
      const i = n++;
      const hot = i % 2 === 0;
      const firstName = `R${run}n${i}`;
      const lead = {
        ...exampleLead(hot ? 'hot' : 'cold'),
        email: `r${run}.n${i}@plant-${run}-${i}.example`,
        firstName,
      };
      try {
        const response = await fetch(`${url}/leads`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(lead),
        });
        if (response.status === 202) {
          const { leadId } = (await response.json()) as { leadId: string };
          accepted.push({ leadId, firstName, hot });
        }
      } catch {
        // the process was killed mid-request: the lead may or may not be stored; it was not accepted
        return;
      }
    }
  };
  const posters = [poster(), poster(), poster(), poster()];
  return {
    stop: async () => {
      stopped = true;
      await Promise.all(posters);
      return accepted;
    },
  };
}

async function readLead(url: string, leadId: string) {
  const response = await fetch(`${url}/leads/${leadId}`, { headers: { authorization: `Bearer ${TOKEN}` } });
  return {
    status: response.status,
    body: (await response.json()) as {
      lifecycleStage: string;
      owner: { id: string } | null;
      timeline: { at: string; kind: string }[];
    },
  };
}

describe('SIGKILL during posting, then a restart on the same data', () => {
  let mail: SesEmulator;
  let dataDir: string;
  beforeAll(async () => {
    mail = await startSesEmulator({ port: 0 });
    dataDir = await mkdtemp(join(tmpdir(), 'leadpact-crash-'));
  });
  afterAll(async () => {
    await mail.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('loses no accepted lead, resumes every one, and keeps SLA time monotonic', async () => {
    // Arrange + Act: three runs, each killed at another moment while four posters are busy
    const accepted: Accepted[] = [];
    for (const [run, killAfter] of KILL_AFTER_MS.entries()) {
      const cli = await startCli(dataDir, mail.endpoint);
      const posting = postUntilStopped(cli.url, run);
      await new Promise((resolve) => setTimeout(resolve, killAfter));
      cli.child.kill('SIGKILL');
      await cli.exited;
      accepted.push(...(await posting.stop()));
    }
    const last = await startCli(dataDir, mail.endpoint);
    try {
      // the restarted runtime resumes every due lead at start-up; give the workflows time to run
      const hot = accepted.filter((lead) => lead.hot);
      const deadline = Date.now() + 30_000;
      const assignedTo = (subjects: readonly string[], lead: Accepted) =>
        subjects.filter((subject) => subject.includes(`|New SQL: ${lead.firstName} `));
      let subjects: string[] = [];
      let views = await Promise.all(accepted.map((lead) => readLead(last.url, lead.leadId)));
      while (
        Date.now() < deadline &&
        (views.some((view, i) => accepted[i]!.hot && view.body.owner === null) ||
          hot.some((lead) => assignedTo(subjects, lead).length === 0))
      ) {
        await new Promise((resolve) => setTimeout(resolve, 250));
        views = await Promise.all(accepted.map((lead) => readLead(last.url, lead.leadId)));
        subjects = (await mail.messages()).map(
          (email) => `${email.destination.to.join(',')}|${email.subject}`,
        );
      }

      // Assert: every accepted lead is readable; every hot one an SQL with an owner
      expect(accepted.length).toBeGreaterThan(10);
      expect(views.filter((view) => view.status !== 200)).toEqual([]);
      const unowned = views.filter((view, i) => accepted[i]!.hot && view.body.owner === null);
      expect(unowned).toEqual([]);
      // SLA time never ran backwards: each lead's timeline is in time order
      for (const view of views) {
        const times = view.body.timeline.map((entry) => entry.at);
        expect(times).toEqual([...times].sort());
      }
      // every hot lead's rep was told; an email is repeated only when a kill caught it between
      // the mail service accepting it and the lead recording it: at most once per kill
      subjects = (await mail.messages()).map((email) => `${email.destination.to.join(',')}|${email.subject}`);
      for (const lead of hot) {
        const assigned = assignedTo(subjects, lead);
        expect(assigned.length, lead.firstName).toBeGreaterThanOrEqual(1);
      }
      const copies = new Map<string, number>();
      for (const subject of subjects) copies.set(subject, (copies.get(subject) ?? 0) + 1);
      expect(Math.max(...copies.values())).toBeLessThanOrEqual(1 + KILL_AFTER_MS.length);
      const duplicates = subjects.length - copies.size;
      console.log(
        JSON.stringify({
          accepted: accepted.length,
          hot: hot.length,
          emails: subjects.length,
          duplicates,
        }),
      );
    } finally {
      last.child.kill('SIGTERM');
      await last.exited;
    }
  }, 90_000);
});
