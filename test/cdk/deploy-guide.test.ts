/**
 * docs/deploy.md as a new ops person reads it, against what `cdk synth` builds: every stack output the guide
 * names exists under that name, every `-c` setting its commands pass is a setting, the function count it
 * states is the stack's, and who may call what (docs/api.md's scope table, the Cognito setup) is ROUTE_SCOPES.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { LATER_INDEXES } from '../../lambdas/adapters/table-definition.ts';
import { acceptedScopes, ROUTE_SCOPES, type RouteScope } from '../../lib/api.ts';
import { DEFAULT_CONTEXT } from '../../lib/config.ts';
import { PROJECT_ROOT } from '../../lib/paths.ts';
import { type Synthesized, synthesize } from './synth.ts';

const guide = readFileSync(join(PROJECT_ROOT, 'docs/deploy.md'), 'utf8');
const api = readFileSync(join(PROJECT_ROOT, 'docs/api.md'), 'utf8');

/** The text from `from` to the next `to`. */
function between(text: string, from: string, to: string): string {
  const start = text.indexOf(from);
  const end = text.indexOf(to, start + from.length);
  if (start < 0 || end < 0) throw new Error(`no text from ${from} to ${to}`);
  return text.slice(start, end);
}

/** The backticked names in the first column of the table whose header row starts with `header`. */
function firstColumn(text: string, header: string): string[] {
  const lines = text.split('\n');
  const at = lines.findIndex((line) => line.startsWith(header));
  const rows: string[] = [];
  for (const line of lines.slice(at + 2)) {
    if (!line.startsWith('|')) break;
    rows.push(...[...line.split('|')[1]!.matchAll(/`([^`]+)`/g)].map((m) => m[1]!));
  }
  return rows;
}

describe('docs/deploy.md against the synthesized stack', () => {
  let plain: Synthesized;
  let withDomain: Synthesized;
  beforeAll(() => {
    plain = synthesize({ bundle: false });
    withDomain = synthesize({
      bundle: false,
      context: { mailDomain: 'example.org', senderEmail: 'leads@example.org', mailFromSubdomain: 'mail' },
    });
  }, 180_000);

  it('every output of the outputs table exists under its name (DnsRecords with mailDomain)', () => {
    // Arrange
    const named = firstColumn(guide, '| Output | Use |');
    const outputs = [
      ...Object.keys(plain.template.findOutputs('*')),
      ...Object.keys(withDomain.template.findOutputs('*')),
    ];
    // Act
    const missing = named.filter((name) =>
      name.endsWith('...')
        ? !outputs.some((output) => output.startsWith(name.slice(0, -3)))
        : !outputs.includes(name),
    );
    // Assert
    expect(named.length).toBeGreaterThan(10);
    expect(missing).toEqual([]);
  });

  it('every output named in angle brackets in a command (<StateMachineArn>, ...) exists', () => {
    const outputs = Object.keys(plain.template.findOutputs('*'));
    const placeholders = [...guide.matchAll(/<([A-Z][A-Za-z]+(Arn|Name|Url))>/g)].map((m) => m[1]!);
    expect(placeholders.filter((name) => !outputs.includes(name))).toEqual([]);
  });

  it('the function count the guide states is the stack’s', () => {
    const words = ['fifteen', 'sixteen', 'seventeen', 'eighteen', 'nineteen', 'twenty'];
    const said = /builds the template and the ([a-z]+) function bundles/.exec(guide)?.[1];
    const functions = Object.keys(plain.template.findResources('AWS::Lambda::Function')).length;
    expect(said).toBe(words[functions - 15]);
  });

  it('partition-aware: no ARN in either template hard-codes the aws partition (GovCloud, China deploy it too)', () => {
    for (const synth of [plain, withDomain]) {
      expect(JSON.stringify(synth.template.toJSON()).match(/arn:aws[a-z-]*:[^"]{0,60}/g)).toBeNull();
    }
  });

  it('a REST stage that logs needs the account’s API Gateway CloudWatch role: the stack sets it, or the guide says how', () => {
    // Arrange: API Gateway refuses such a stage ("CloudWatch Logs role ARN must be set in account settings to
    // enable logging") in a region where the account never set the role: a fresh account's first deploy fails
    const stages = Object.values(plain.template.findResources('AWS::ApiGateway::Stage'));
    const logs = stages.some(
      (stage) =>
        stage.Properties.AccessLogSetting !== undefined ||
        (stage.Properties.MethodSettings ?? []).some(
          (setting: { LoggingLevel?: string }) => (setting.LoggingLevel ?? 'OFF') !== 'OFF',
        ),
    );
    const setsTheRole = Object.keys(plain.template.findResources('AWS::ApiGateway::Account')).length > 0;
    // Act
    const bootstrap = between(guide, '## 3. Bootstrap', '## 4.');
    // Assert
    expect(logs).toBe(true);
    if (!setsTheRole) {
      expect(bootstrap).toContain('aws apigateway update-account');
      expect(bootstrap).toContain('path=/cloudwatchRoleArn');
      expect(bootstrap).toContain('AmazonAPIGatewayPushToCloudWatchLogs');
    }
  });

  it('every -c setting its commands pass is a setting', () => {
    const passed = [...guide.matchAll(/-c ([A-Za-z]+)=/g)].map((m) => m[1]!).filter((key) => key !== 'key');
    const known = [...Object.keys(DEFAULT_CONTEXT), 'stackName'];
    expect(passed.length).toBeGreaterThan(5);
    expect(passed.filter((key) => !known.includes(key))).toEqual([]);
  });
});

describe('who may call what, as documented', () => {
  const scopes = Object.keys(ROUTE_SCOPES) as RouteScope[];

  it('docs/api.md’s scope table is ROUTE_SCOPES, route for route', () => {
    const table = Object.fromEntries(
      between(api, '## Routes', '## Errors')
        .split('\n')
        .map((line) => /^\s*\| `([a-z]+:[a-z]+)` \| (.*) \|$/.exec(line))
        .filter((match) => match !== null)
        .map((match) => [
          match[1],
          [...match[2]!.matchAll(/`([A-Z]+ \/[^`]*)`/g)].map((route) => route[1]).sort(),
        ]),
    );
    expect(table).toEqual(
      Object.fromEntries(scopes.map((scope) => [scope, [...ROUTE_SCOPES[scope]].sort()])),
    );
  });

  it('the guide’s Cognito setup names every scope’s Cognito form and creates its resource server', () => {
    // Arrange
    const cognito = between(guide, '**With Amazon Cognito**', '### The console');
    for (const scope of scopes) {
      const cognitoForm = acceptedScopes(scope)[1]!;
      const [server, name] = cognitoForm.split('/') as [string, string];
      // Assert: said, and created by the CLI commands (a resource server with that scope)
      expect(cognito, cognitoForm).toContain(`\`${cognitoForm}\``);
      const created = new RegExp(`--identifier ${server} [^\\n]*\\n?[^\\n]*ScopeName=${name},`);
      expect(cognito, `resource server ${server} with ${name}`).toMatch(created);
    }
  });
});

describe('upgrading a deployment that lacks the later indexes', () => {
  it('the guide says to add them one deploy at a time, naming each and the version to deploy first', () => {
    // Arrange: CloudFormation adds at most one global secondary index to a table per update ("Cannot perform
    // more than one GSI creation or deletion in a single update"), so a stack older than two later indexes
    // fails its upgrade unless it takes them in turn
    const upgrades = between(guide, '## 12.', '## Costs');
    const later = LATER_INDEXES.map((index) => index.indexName);

    // Act
    const note = upgrades
      .split('\n- ')
      .find((bullet) => /one (?:global secondary )?index per deploy/i.test(bullet));

    // Assert
    expect(note, 'an upgrade note: one index per deploy').toBeDefined();
    for (const name of later) expect(note, name).toContain(name);
  });
});
