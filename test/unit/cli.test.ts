import { execFile, execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, readdir, readFile, stat, truncate, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startLocalRuntime } from '../../local/runtime.ts';
import { exampleLead, T0, useLocalApi } from '../support/local-api.ts';
import { runCli } from '../support/run-cli.ts';
import { startDev } from '../support/run-process.ts';
import { loadDefaultSla } from '../support/sla.ts';

/** Runs the CLI in process and captures what it writes. */
const run = runCli;

describe('leadpact sla validate', () => {
  it('passes the worked example with a one-line summary', async () => {
    // Act
    const { code, out, err } = await run('sla', 'validate');

    // Assert
    expect(code).toBe(0);
    expect(err).toBe('');
    expect(out).toBe(
      'sla/default.yaml: valid. SLA "2026.11-kessler-1", 3 lead types, 3 personas, 2 queues, 6 reps, 2 cadences, MQL at 60, SQL at 145, first touch within 4bh',
    );
  });

  it.each([
    [
      'wrong-types.yaml',
      7,
      'test/fixtures/sla/wrong-types.yaml:3:13  calendar.timeZone: not an IANA time zone name',
    ],
    [
      'dangling-references.yaml',
      8,
      'test/fixtures/sla/dangling-references.yaml:6:25  leadTypes[0].overrides.queue: unknown queue "helpdesk"',
    ],
    ['yaml-syntax.yaml', 1, 'test/fixtures/sla/yaml-syntax.yaml:5:1  YAML: Flow map in block collection'],
  ])('fails %s with %i errors, each with file:line:column and path', async (file, count, first) => {
    // Act
    const { code, out, err } = await run('sla', 'validate', `test/fixtures/sla/${file}`);

    // Assert
    expect(code).toBe(1);
    expect(out).toBe('');
    const lines = err.split('\n');
    expect(lines[0]).toContain(first);
    expect(lines.at(-1)).toBe(`test/fixtures/sla/${file}: ${count} error${count === 1 ? '' : 's'}`);
    expect(lines).toHaveLength(count + 1);
    expect(err).not.toMatch(/\n\s+at /); // no stack trace
  });

  it('fails a cadence step note over 500 characters with its line, path and length (exit 1)', async () => {
    // Arrange
    const file = join(await mkdtemp(join(tmpdir(), 'leadpact-note-')), 'sla.yaml');
    await writeFile(
      file,
      [
        'version: "1"',
        'routing:',
        '  reps:',
        '    - { id: ann, name: Ann, email: ann@example.com }',
        'contact:',
        '  cadences:',
        '    - id: standard',
        '      name: Standard',
        '      steps:',
        `        - { channel: phone, delay: 0bh, note: "${'x'.repeat(600)}" }`,
        '',
      ].join('\n'),
    );

    // Act
    const { code, out, err } = await run('sla', 'validate', file);

    // Assert
    expect(code).toBe(1);
    expect(out).toBe('');
    expect(err.split('\n')).toEqual([
      `${file}:10:47  contact.cadences[0].steps[0].note: a note for the rep is at most 500 characters (this one has 600): it is a hint in the attempt's reminder email`,
      `${file}: 1 error`,
    ]);
  });

  it('notes on stderr what the law on marketing email asks that a valid file leaves out (exit 0)', async () => {
    // Arrange: the worked example without the sender's address, privacy notice and imprint, speaking German
    const file = join(await mkdtemp(join(tmpdir(), 'leadpact-notes-')), 'sla.yaml');
    const example = await readFile('sla/default.yaml', 'utf8');
    await writeFile(
      file,
      example
        .replace(/^ {2}(postalAddress|privacyUrl|imprintUrl): .*\n/gm, '')
        .replace('supported: [en, ar]', 'supported: [en, ar, de]'),
    );

    // Act
    const { code, out, err } = await run('sla', 'validate', file);

    // Assert
    expect(code).toBe(0);
    expect(out).toMatch(/: valid\. /);
    expect(err.split('\n').map((line) => line.split(': not set')[0])).toEqual([
      `${file}: note: nurture.postalAddress`,
      `${file}: note: nurture.privacyUrl`,
      `${file}: note: nurture.imprintUrl`,
    ]);
  });

  it('says in one line that a file is missing (exit 2)', async () => {
    const { code, err } = await run('sla', 'validate', 'sla/nope.yaml');

    expect(code).toBe(2);
    expect(err).toBe('leadpact: cannot read SLA file "sla/nope.yaml": no such file');
  });
});

describe('leadpact sla explain', () => {
  it('explains the hot example: an SQL, with the rules that fired', async () => {
    // Act
    const { code, out } = await run(
      'sla',
      'explain',
      'examples/leads/hot.json',
      '--at',
      '2026-11-27T10:00:00Z',
    );

    // Assert
    expect(code).toBe(0);
    expect(out).toContain('Type        equipment-sales');
    expect(out).toContain('Persona     plant-manager');
    expect(out).toContain('Lifecycle   SQL');
    expect(out).toContain('Journey     decision');
    expect(out).toMatch(/\+60 {2}engagement\.demo-request/);
  });

  it('prints JSON for machines, with events from --events', async () => {
    // Act
    const { code, out } = await run(
      'sla',
      'explain',
      'examples/leads/cold.json',
      '--events',
      'examples/events/cold-engagement.json',
      '--at',
      '2026-11-27T10:00:00Z',
      '--json',
    );

    // Assert
    expect(code).toBe(0);
    const judgement = JSON.parse(out) as Record<string, unknown>;
    expect(judgement).toMatchObject({
      email: 'jamie.lee@gmail.com',
      leadType: 'equipment-sales',
      persona: 'maintenance-engineer',
      fitTier: 'D',
      qualifiesAs: 'mql',
      journeyStage: 'decision',
      slaVersion: '2026.11-kessler-1',
    });
    expect((judgement.reasons as { rule: string }[]).map((r) => r.rule)).toContain('negative.free-mail');
  });

  it.each([
    [
      ['sla', 'explain'],
      'leadpact: explain needs a lead file, e.g. leadpact sla explain examples/leads/hot.json',
    ],
    [
      ['sla', 'explain', 'examples/leads/hot.json', '--at', 'yesterday'],
      'leadpact: --at "yesterday" is not an ISO-8601 time',
    ],
    // refused as POST /leads refuses it (400 naming the email)
    [
      ['sla', 'explain', 'package.json'],
      'leadpact: package.json: email: required: the email address to reach you at',
    ],
    // checked as POST /leads/{id}/events checks it (it was "Cannot read properties of null")
    [
      ['sla', 'explain', 'examples/leads/hot.json', '--events', 'test/fixtures/events/broken.json'],
      [
        'leadpact: test/fixtures/events/broken.json: events.0.eventId: Invalid input: expected string, received undefined',
        'test/fixtures/events/broken.json: events.0.occurredAt: an ISO-8601 time, e.g. 2026-11-27T10:00:00Z',
        'test/fixtures/events/broken.json: events.1: Invalid input: expected object, received null',
      ].join('\n'),
    ],
  ])('refuses %j with a usage error (exit 2)', async (argv, message) => {
    const { code, err } = await run(...argv);

    expect(code).toBe(2);
    expect(err).toBe(message);
  });
});

describe('leadpact sla explain reads a lead as POST /leads does', () => {
  const api = useLocalApi();
  // the hot example (fit 100 through the API) with one value posted as a form or a vendor posts it
  const vendorNames = { jobTitle: undefined, employees: undefined, revenue: undefined };

  it.each([
    ['a country by its name', { country: 'Deutschland' }, { country: 'DE' }, 100],
    [
      "HubSpot's field names (jobtitle, numemployees, annualrevenue)",
      { ...vendorNames, jobtitle: 'Plant Manager', numemployees: '850', annualrevenue: '140000000' },
      { jobTitle: 'Plant Manager', employees: 850, revenue: 140_000_000 },
      100,
    ],
    ['employees in Arabic-Indic digits', { employees: '٨٥٠' }, { employees: 850 }, 100],
    ['employees with a thousands separator', { employees: '1,200' }, { employees: 1200 }, 100],
    ['employees that do not read: a field issue, not scored', { employees: 'lots' }, {}, 75],
  ])('%s: the fit and field issues the API stores', async (_case, posted, read, fit) => {
    // Arrange
    const lead = { ...exampleLead('hot'), email: api.uniqueEmail('explain'), ...posted };
    const file = join(await mkdtemp(join(tmpdir(), 'leadpact-explain-')), 'lead.json');
    await writeFile(file, JSON.stringify(lead));
    const stored = await api.readLead(await api.createLead(lead));

    // Act
    const { code, out } = await run('sla', 'explain', file, '--at', T0.toISOString(), '--json');

    // Assert
    expect(code).toBe(0);
    const explained = JSON.parse(out) as { fitScore: number; fields: object; fieldIssues: unknown[] };
    expect(stored.scores.fit).toBe(fit);
    expect(explained.fitScore).toBe(stored.scores.fit);
    expect(explained.fields).toMatchObject(read);
    expect(explained.fieldIssues).toEqual(stored.fieldIssues);
  });

  it('prints the field issues the API would record after the reasons', async () => {
    // Arrange
    const file = join(await mkdtemp(join(tmpdir(), 'leadpact-explain-')), 'lead.json');
    await writeFile(file, JSON.stringify({ ...exampleLead('hot'), employees: 'lots' }));

    // Act
    const { code, out } = await run('sla', 'explain', file, '--at', T0.toISOString());

    // Assert
    expect(code).toBe(0);
    expect(out).toMatch(
      /\n\nField issues \(kept as posted, not scored\):\n {2}employees: "lots": a whole number or a range such as 500-1000$/,
    );
  });
});

describe('the leadpact executable', () => {
  it('runs through npx-style bin: exit 0 for a valid file, 1 for a broken one', () => {
    // Act
    const ok = execFileSync('node', ['bin/leadpact-cli.js', 'sla', 'validate'], { encoding: 'utf8' });
    let failed: { status: number | null; stderr: string } = { status: 0, stderr: '' };
    try {
      execFileSync('node', ['bin/leadpact-cli.js', 'sla', 'validate', 'test/fixtures/sla/wrong-types.yaml'], {
        encoding: 'utf8',
        stdio: 'pipe',
      });
    } catch (error) {
      failed = error as { status: number; stderr: string };
    }

    // Assert
    expect(ok).toMatch(/^sla\/default\.yaml: valid\./);
    expect(failed.status).toBe(1);
    expect(failed.stderr).toContain('test/fixtures/sla/wrong-types.yaml: 7 errors');
  });

  it('piped into a reader that stops early (`sla schema | head`): ends quietly, no EPIPE stack trace', async () => {
    // Arrange: a shell pipe whose reader exits after its first line, as head does
    const result = await new Promise<{ code: number | null; stderr: string }>((resolve) => {
      execFile(
        'sh',
        ['-c', 'node bin/leadpact-cli.js sla schema | head -n 1 > /dev/null'],
        { encoding: 'utf8', timeout: 60_000 },
        (error, _stdout, stderr) =>
          resolve({ code: error ? ((error as { code?: number }).code ?? null) : 0, stderr }),
      );
    });
    // Assert
    expect(result.code).toBe(0);
    expect(result.stderr).not.toContain('EPIPE');
  });

  it('answers an unknown command with the usage (exit 2)', async () => {
    const { code, err } = await run('frobnicate');

    expect(code).toBe(2);
    expect(err).toContain('leadpact: unknown command "frobnicate"');
    expect(err).toContain('leadpact sla validate [file]');
  });
});

describe('help and version', () => {
  const version = JSON.parse(readFileSync('package.json', 'utf8')).version as string;

  // biome-ignore format: one row per request reads as a table
  it.each([
    [['--version'], 0, `leadpact ${version}`],
    [['-v'], 0, `leadpact ${version}`],
    [['--help'], 0, 'leadpact sla validate [file]'],
    [['help'], 0, 'leadpact dev [options]'],
    [['sla', '--help'], 0, 'leadpact sla explain <lead.json> [options]'],
    [['sla', 'validate', '--help'], 0, 'leadpact sla validate [file]'],
    [['dev', '--help'], 0, '--mail-port 8005'],
    [['--help'], 0, 'leadpact simulate [options]'],
    [['simulate', '--help'], 0, '--compare FILE'],
    [['report', '--help'], 0, '--url API --token T'],
    [['report', '-h'], 0, '--html FILE'],
  ])('leadpact %j prints %s (exit %i)', async (argv, code, expected) => {
    // Act
    const result = await run(...argv);
    // Assert
    expect(result.code).toBe(code);
    expect(result.out).toContain(expected);
    expect(result.err).toBe('');
  });

  it('dev --help shows the dev options only; sla --help the sla commands only', async () => {
    expect((await run('dev', '--help')).out).not.toContain('sla validate');
    expect((await run('sla', '--help')).out).not.toContain('--mail-port');
    expect((await run('report', '--help')).out).not.toContain('--mail-port');
  });

  it.each([
    [[], 'leadpact sla validate [file]'],
    [['sla'], 'leadpact sla validate [file]'],
  ])('leadpact %j is a usage error: the usage on stderr, exit 2', async (argv, expected) => {
    const result = await run(...argv);
    expect(result.code).toBe(2);
    expect(result.out).toBe('');
    expect(result.err).toContain(expected);
  });

  it.each([
    [['--version'], `leadpact ${version}`],
    [['sla', '--help'], 'leadpact sla validate [file]'],
    [['dev', '--help'], '--port 3000'],
    [['simulate', '--help'], '--store memory|dynalite'],
    [['report', '--help'], '--rep ID, --queue ID'],
  ])('the executable answers %j', (argv, expected) => {
    const out = execFileSync('node', ['bin/leadpact-cli.js', ...argv], { encoding: 'utf8' });
    expect(out).toContain(expected);
  });
});

describe('leadpact dev on a busy port', () => {
  /** runs `leadpact dev` to its end: it must end by itself (a leftover emulator or timer would keep it alive) */
  const devToItsEnd = (args: readonly string[]) =>
    new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
      execFile(
        'node',
        ['bin/leadpact-cli.js', 'dev', ...args],
        { encoding: 'utf8', timeout: 60_000 },
        (error, stdout, stderr) =>
          resolve({ code: error ? ((error as { code?: number }).code ?? null) : 0, stdout, stderr }),
      );
    });

  it.each([
    ['the API', (port: number) => ['--port', String(port), '--mail-port', '0'], '--port'],
    ['the SES emulator', (port: number) => ['--port', '0', '--mail-port', String(port)], '--mail-port'],
  ])(
    '%s: says so in one line naming the flag, exits 2, and leaves nothing running',
    async (what, args, flag) => {
      // Arrange: a real socket holds the port
      const holder = createServer();
      await new Promise<void>((resolve) => holder.listen(0, '127.0.0.1', resolve));
      const port = (holder.address() as { port: number }).port;
      try {
        // Act
        const result = await devToItsEnd([
          ...args(port),
          '--data',
          await mkdtemp(join(tmpdir(), 'leadpact-busy-')),
        ]);
        // Assert
        expect(result.code).toBe(2);
        expect(result.stderr.trim().split('\n')).toEqual([
          `leadpact: ${what} could not listen on 127.0.0.1:${port} (is the port in use? try another ${flag})`,
        ]);
      } finally {
        holder.close();
      }
    },
    90_000,
  );

  it('a --data another leadpact holds: says so in one line, exits 2, and the first one keeps running', async () => {
    // Arrange
    const data = await mkdtemp(join(tmpdir(), 'leadpact-held-'));
    const first = await startDev(['--mail-port', '0', '--data', data, '--iam', 'off']);
    try {
      // Act
      const result = await devToItsEnd(['--port', '0', '--mail-port', '0', '--data', data, '--iam', 'off']);
      // Assert
      expect(result.code).toBe(2);
      expect(result.stderr.trim().split('\n')).toEqual([
        `leadpact: ${join(data, 'dynamodb')} is in use by another process (a leadpact already running on this --data?): stop it, or use another --data`,
      ]);
      expect((await fetch(`${first.url}/health`)).status).toBe(200);
    } finally {
      first.child.kill('SIGKILL');
      await first.exited;
    }
  }, 90_000);

  it('a --data whose store a file of is damaged: one line naming the folder, exit 1, not a stack trace', async () => {
    // Arrange: a store with enough in it to be in a table file (written at the second open), then that file cut short
    const data = await mkdtemp(join(tmpdir(), 'leadpact-damaged-'));
    const start = () =>
      startLocalRuntime({
        sla: loadDefaultSla(),
        dataDir: data,
        port: 0,
        mailPort: 0,
        workflows: 'record',
        time: { manual: new Date('2026-11-30T10:00:00.000Z') },
      });
    const runtime = await start();
    for (let i = 0; i < 150; i++)
      await fetch(`${runtime.url}/leads`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          email: `damaged${i}@example.com`,
          company: 'K'.repeat(200),
          message: 'm'.repeat(3000),
        }),
      }).then((answer) => answer.arrayBuffer());
    await runtime.close();
    await (await start()).close();
    const tables = (await readdir(join(data, 'dynamodb'))).filter((name) => name.endsWith('.ldb'));
    const largest = (
      await Promise.all(
        tables.map(async (name) => ({ name, size: (await stat(join(data, 'dynamodb', name))).size })),
      )
    ).sort((a, b) => b.size - a.size)[0]!;
    expect(largest.size).toBeGreaterThan(100_000);
    await truncate(join(data, 'dynamodb', largest.name), 50_000);

    // Act
    const result = await devToItsEnd(['--port', '0', '--mail-port', '0', '--data', data, '--iam', 'off']);

    // Assert
    expect(result.code).toBe(1);
    expect(result.stderr.trim().split('\n')).toEqual([
      expect.stringMatching(
        new RegExp(
          `^leadpact: the store in ${data} cannot be read \\(.*${largest.name}.*\\): a file of it is damaged\\. Stop here and restore the --data folder from a backup`,
        ),
      ),
    ]);
  }, 90_000);
});

describe('leadpact report --data', () => {
  it('a directory with no store: says so in one line, exits 2, and creates nothing there (a report only reads)', async () => {
    // Arrange: README's `leadpact report --data .leadpact` in a fresh clone, where no `dev --data` ran yet
    const missing = join(await mkdtemp(join(tmpdir(), 'leadpact-report-')), '.leadpact');
    // Act
    const { code, err } = await run('report', '--data', missing, '--rep', 'jonas', '--json');
    // Assert
    expect(code).toBe(2);
    expect(err).toBe(
      `leadpact: no LeadPact data in "${missing}" (expected ${join(missing, 'dynamodb')}): run leadpact dev --data ${missing} first`,
    );
    expect(existsSync(missing)).toBe(false);
  });
});
