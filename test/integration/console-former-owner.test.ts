/**
 * A lead whose owner left the SLA (ops removed Mats from the file, naming Jonas his successor in
 * `migrations.reps`; the lead still names Mats until the migration or its workflow's next step moves it) was
 * out of sight in the console: "Due today" read the next-step index of the SLA's reps only (a manager's
 * team, ops' every rep), so it showed only under `?owner=mats`, and for a manager not even there. Now a
 * manager's and ops' overview list it under a label naming the former owner, with the way to reassign, and
 * their `?due=today` list has it. Over real HTTP on dynalite.
 */
import { describe, expect, it } from 'vitest';
import type { Sla } from '../../lambdas/domain/sla-schema.ts';
import { consoleFetch, signIn, textOf } from '../support/console.ts';
import { MINUTE, sqlLeadOwnedBy, T0, useLocalApi } from '../support/local-api.ts';
import { loadDefaultSla } from '../support/sla.ts';

/** The default SLA after Mats left: gone from reps, queues and account rules; Jonas named his successor */
function withoutMats(): Sla {
  const sla = loadDefaultSla();
  return {
    ...sla,
    routing: {
      ...sla.routing,
      reps: sla.routing.reps.filter((rep) => rep.id !== 'mats'),
      queues: sla.routing.queues.map((queue) => ({
        ...queue,
        reps: queue.reps.filter((rep) => rep !== 'mats'),
      })),
      accounts: sla.routing.accounts.filter((account) => account.owner !== 'mats'),
    },
    migrations: { ...sla.migrations, reps: { mats: 'jonas' } },
  };
}

const api = useLocalApi({ sla: withoutMats() });
const KATRIN = 'katrin.vogel@kessler-industrial.example'; // manager of Jonas and Lena (and of Mats, before)
const DAN = 'dan.whitaker@kessler-industrial.example'; // manager of Carla and Mike
const PRIYA = 'priya.shah@kessler-industrial.example'; // ops

function leadOf(owner: string, label: string): Promise<string> {
  return sqlLeadOwnedBy(api, owner, label);
}

describe('a lead whose owner left the SLA, on the console', () => {
  it('is in the managers’ and ops’ "Due today" under its former owner, with the way to reassign', async () => {
    // Arrange: handed to Mats before he left (his lead's first step is due today), and one of Jonas's
    const left = await leadOf('mats', 'Orphaned');
    await leadOf('jonas', 'Kept');
    let minute = 0;
    const session = async (email: string) => {
      minute += 2;
      api.clock.set(new Date(T0.getTime() + minute * MINUTE));
      return signIn(api.runtime, email);
    };
    const katrin = await session(KATRIN);
    const dan = await session(DAN);
    const priya = await session(PRIYA);
    const get = (cookie: string, path: string) => consoleFetch(api.runtime, 'GET', path, { cookie });

    // Act
    const overviews = {
      katrin: await get(katrin, '/console'),
      dan: await get(dan, '/console'),
      priya: await get(priya, '/console'),
    };
    const lists = {
      katrin: await get(katrin, '/console/leads?due=today'),
      priya: await get(priya, '/console/leads?due=today'),
      katrinOwner: await get(katrin, '/console/leads?owner=mats&due=today'),
    };
    const leadPage = await get(katrin, `/console/leads/${left}`);

    // Assert: each overview's "Due today" names the former owner and links the lead
    for (const [name, answer] of Object.entries(overviews)) {
      expect(answer.status, name).toBe(200);
      const today = textOf(answer.text.slice(answer.text.indexOf('id="today"')));
      expect(today, name).toContain('Former rep mats (no longer in the SLA): 1 due');
      expect(today, name).toContain('Petra Orphaned');
      expect(today, name).toContain(
        'The SLA gives these leads to Jonas Berger at their next step; to choose someone now, reassign each from its page.',
      );
      expect(answer.text, name).toContain(`href="/console/leads/${left}"`);
    }
    for (const [name, answer] of Object.entries(lists)) {
      expect(answer.status, name).toBe(200);
      expect(textOf(answer.text), name).toContain('Petra Orphaned');
    }
    // the way to reassign: the lead's page gives a manager the owner form
    expect(leadPage.status).toBe(200);
    expect(leadPage.text).toContain(`action="/console/leads/${left}/owner"`);
  });
});

describe("the lead list's owner filter, with a lead whose owner left the SLA", () => {
  it.each<[string, string, string[]]>([
    // who; their email; the owner filter's options (value: label; none: no filter offered)
    [
      'Katrin (manager)',
      KATRIN,
      [
        ': Anyone',
        'jonas: Jonas Berger',
        'lena: Lena Hartmann',
        'sofia: Sofia Brandt',
        'mats: mats (no longer in the SLA)',
      ],
    ],
    [
      'Priya (ops)',
      PRIYA,
      [
        ': Anyone',
        'jonas: Jonas Berger',
        'lena: Lena Hartmann',
        'carla: Carla Ruiz',
        'mike: Mike Okafor',
        'sofia: Sofia Brandt',
        'mats: mats (no longer in the SLA)',
      ],
    ],
    // a rep sees their own leads only: no filter of owners
    ['Jonas (rep)', 'jonas.berger@kessler-industrial.example', []],
  ])(
    '%s is offered the former owner holding a lead (the id: no name was recorded for him)',
    async (_who, email, options) => {
      // Arrange: a lead given to Mats (no fact recorded his name: the SLA the runtime runs lacks him)
      await leadOf('mats', 'Filtered');
      api.clock.set(new Date(T0.getTime() + (20 + options.length) * MINUTE));
      const cookie = await signIn(api.runtime, email);
      // Act
      const page = await consoleFetch(api.runtime, 'GET', '/console/leads', { cookie });
      const select = /<select[^>]*name="owner"[\s\S]*?<\/select>/.exec(page.text)?.[0] ?? '';
      const offered = [...select.matchAll(/<option value="([^"]*)"[^>]*>([^<]*)<\/option>/g)].map(
        ([, value, label]) => `${value}: ${label}`,
      );
      // Assert
      expect(page.status).toBe(200);
      expect(offered).toEqual(options);
    },
  );
});
