/**
 * POST /sla/impact through the real local server (dynalite, the due and owner indexes) and
 * `leadpact sla diff --url`: a new SLA file checked against the leads in flight before a deploy. The SLA
 * change is issue 9's (rep jonas removed, deal stage discovery renamed), with and without `migrations`.
 * Reads only: the lead is the same item after every call. Bad input names its field; a rep or a manager
 * gets 403.
 */
import { readFileSync } from 'node:fs';
import type { Context } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { main } from '../../bin/cli.ts';
import { type CliIo, processIo } from '../../bin/commands/io.ts';
import type { HttpEvent, HttpResult } from '../../lambdas/api/http.ts';
import { slaImpactHandler } from '../../lambdas/api/sla-impact.ts';
import { ADMIN_TOKEN, expectError, SQL_LEAD, useLocalApi } from '../support/local-api.ts';
import { personEvent } from '../support/person-event.ts';
import { CHANGED_VERSION, changedSlaText, JONAS_TO_LENA } from '../support/sla-change.ts';

interface Impact {
  deployed: string;
  proposed: string;
  removals: { kind: string; id: string; effect: string }[];
  impact: {
    source: string;
    checked: number;
    unchecked?: number;
    stranded: number;
    leads: {
      leadId: string;
      email?: string;
      ownerId?: string;
      stranded: boolean;
      references: { kind: string; id: string; to?: string; strands: boolean }[];
    }[];
  };
}

const WITHOUT = changedSlaText();
const WITH = changedSlaText(JONAS_TO_LENA);

describe('POST /sla/impact', () => {
  const api = useLocalApi();

  /** a lead in flight owned by jonas (due now: the workflow is only recorded here) */
  async function jonasLead(tag: string): Promise<string> {
    const leadId = await api.createLead({ email: api.uniqueEmail(tag), ...SQL_LEAD });
    await api.handOff(leadId, 'jonas');
    return leadId;
  }

  const impactOf = async (text: string, contentType = 'application/yaml') => {
    const response = await api.request('POST', '/sla/impact', { body: text, contentType });
    expect(response.status, response.text).toBe(200);
    return response.body as Impact;
  };

  it('names a lead of a removed rep with no successor as stranded, and writes nothing', async () => {
    // Arrange
    const leadId = await jonasLead('stranded');
    const before = await api.runtime.deps.store.getLead(leadId);

    // Act
    const answer = await impactOf(WITHOUT);

    // Assert
    expect(answer).toMatchObject({
      deployed: api.sla.version,
      proposed: CHANGED_VERSION,
      impact: { source: 'data' },
    });
    expect(answer.removals).toContainEqual(
      expect.objectContaining({ kind: 'reps', id: 'jonas', effect: 'stranding' }),
    );
    expect(answer.impact.stranded).toBeGreaterThanOrEqual(1);
    expect(answer.impact.leads.find((lead) => lead.leadId === leadId)).toMatchObject({
      ownerId: 'jonas',
      stranded: true,
      references: [expect.objectContaining({ kind: 'reps', id: 'jonas', strands: true })],
    });
    expect(await api.runtime.deps.store.getLead(leadId)).toEqual(before);
  });

  it.each([
    ['the file as YAML', WITH, 'application/yaml'],
    ['the file as text', WITH, 'text/plain; charset=utf-8'],
    ['JSON { sla }', JSON.stringify({ sla: WITH }), 'application/json'],
  ])(
    'with the mapping (%s) nothing is stranded and the lead moves to its successor',
    async (_how, body, type) => {
      const leadId = await jonasLead('mapped');

      const answer = await impactOf(body, type);

      expect(answer.impact.stranded).toBe(0);
      expect(answer.impact.leads.find((lead) => lead.leadId === leadId)).toMatchObject({
        stranded: false,
        references: [expect.objectContaining({ kind: 'reps', id: 'jonas', to: 'lena', strands: false })],
      });
    },
  );

  it('an invalid SLA file: 400 naming each field under sla, with its line', async () => {
    const body = expectError(
      await api.request('POST', '/sla/impact', {
        body: readFileSync('test/fixtures/sla/wrong-types.yaml', 'utf8'),
        contentType: 'application/yaml',
      }),
      400,
      'invalid_sla',
    );

    expect(body.error.fields).toHaveLength(7);
    for (const field of body.error.fields) {
      expect(field.path).toMatch(/^sla(\.|$)/);
      expect(field.message).toMatch(/^\d+:\d+ /);
    }
  });

  it.each([
    ['an empty body', '', 'application/yaml', 400, 'invalid_sla', 'sla'],
    ['JSON without sla', '{"file":"x"}', 'application/json', 400, 'invalid_request', 'sla'],
    ['JSON that does not parse', '{', 'application/json', 400, 'invalid_json', undefined],
    ['HTML', '<p>sla</p>', 'text/html', 415, 'unsupported_media_type', 'content-type'],
    [
      'a file over 256 KiB',
      `# ${'x'.repeat(300 * 1024)}`,
      'application/yaml',
      413,
      'payload_too_large',
      undefined,
    ],
  ])('%s: %i', async (_name, body, contentType, status, code, path) => {
    expectError(await api.request('POST', '/sla/impact', { body, contentType }), status, code, path);
  });

  it('without the API token: 401', async () => {
    const response = await api.request('POST', '/sla/impact', {
      body: WITH,
      contentType: 'application/yaml',
      token: null,
    });

    expect(response.status).toBe(401);
  });

  it.each(['rep:jonas', 'manager:katrin'])('%s: 403, only ops may check an SLA', async (principal) => {
    const handler = slaImpactHandler(api.runtime.deps);
    const event = {
      ...personEvent('POST /sla/impact', principal, ''),
      headers: { 'content-type': 'application/yaml' },
      body: WITH,
    } as HttpEvent;

    const result = (await handler(event, {} as Context)) as HttpResult;

    expect(result.statusCode).toBe(403);
    expect(JSON.parse(String(result.body))).toMatchObject({ error: { code: 'forbidden' } });
  });

  it('out of time: the leads not looked at are counted, not reported as safe', async () => {
    await jonasLead('late');
    const handler = slaImpactHandler(api.runtime.deps, -1);
    const event = {
      ...personEvent('POST /sla/impact', 'ops:priya', ''),
      headers: { 'content-type': 'application/yaml' },
      body: WITHOUT,
    } as HttpEvent;

    const result = (await handler(event, {} as Context)) as HttpResult;

    expect(result.statusCode).toBe(200);
    const { impact } = JSON.parse(String(result.body)) as Impact;
    expect(impact.checked).toBe(0);
    expect(impact.unchecked).toBeGreaterThanOrEqual(1);
  });
});

describe('leadpact sla diff --url', () => {
  const api = useLocalApi();

  async function run(...argv: string[]) {
    const out: string[] = [];
    const err: string[] = [];
    const io: CliIo = {
      out: (t) => out.push(t),
      err: (t) => err.push(t),
      readFile: (path) =>
        path === 'without.yaml' ? WITHOUT : path === 'with.yaml' ? WITH : processIo.readFile(path),
    };
    const code = await main(argv, io);
    return { code, out: out.join('\n'), err: err.join('\n') };
  }

  it('exit 1 naming the stranded lead of the stack; exit 0 once the file maps it', async () => {
    const leadId = await api.createLead({ email: api.uniqueEmail('cli'), ...SQL_LEAD });
    await api.handOff(leadId, 'jonas');

    const stranded = await run(
      'sla',
      'diff',
      'sla/default.yaml',
      'without.yaml',
      '--url',
      api.url,
      '--token',
      ADMIN_TOKEN,
    );
    const mapped = await run(
      'sla',
      'diff',
      'sla/default.yaml',
      'with.yaml',
      '--url',
      api.url,
      '--token',
      ADMIN_TOKEN,
    );

    expect(stranded.code, stranded.err).toBe(1);
    expect(stranded.out).toContain(`Leads in flight in the stack at ${new URL(api.url).origin} (`);
    expect(stranded.out).toMatch(
      new RegExp(`lead ${leadId} <cli\\.[^>]+> \\(sql/[^)]*owner jonas\\): STRANDED`),
    );
    expect(stranded.out).toContain(
      'would be stranded: add the mappings above, or the deploy fails and rolls back',
    );
    expect(mapped.code, mapped.err).toBe(0);
    expect(mapped.out).toContain(`lead ${leadId}`);
    expect(mapped.out).toContain('No lead would be stranded.');
  });

  it.each([
    [
      ['--url', 'URL'],
      'leadpact: sla diff --url needs --token T (the API token) or --aws (authMode iam: AWS credentials)',
    ],
    [['--url', 'URL', '--token', 'wrong'], /^leadpact: the API answered 401/],
  ])('%j: exit 2 with a message', async (flags, message) => {
    const argv = [
      'sla',
      'diff',
      'sla/default.yaml',
      'with.yaml',
      ...flags.map((f) => (f === 'URL' ? api.url : f)),
    ];

    const { code, err } = await run(...argv);

    expect(code).toBe(2);
    if (typeof message === 'string') expect(err).toBe(message);
    else expect(err).toMatch(message);
  });
});
