/**
 * The CLI's AWS Signature V4 (`--aws`, bin/commands/sigv4.ts): AWS's own worked example ("Create a signed AWS
 * API request": IAM ListUsers, 2015-08-30T12:36:00Z, the documentation's example keys) gives AWS's published
 * signature; and `sla diff --url --aws` sends a request signed so, to a real socket.
 */
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { main } from '../../bin/cli.ts';
import { type CliIo, processIo } from '../../bin/commands/io.ts';
import { awsFromEnvironment, signRequest } from '../../bin/commands/sigv4.ts';

const EXAMPLE_KEYS = {
  accessKeyId: 'AKIAIOSFODNN7EXAMPLE',
  secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY',
};

describe('AWS Signature V4', () => {
  it("gives AWS's published signature for AWS's worked example", () => {
    // Act
    const headers = signRequest({
      method: 'GET',
      url: new URL('https://iam.amazonaws.com/?Action=ListUsers&Version=2010-05-08'),
      headers: { 'Content-Type': 'application/x-www-form-urlencoded; charset=utf-8' },
      body: '',
      region: 'us-east-1',
      service: 'iam',
      credentials: EXAMPLE_KEYS,
      now: new Date('2015-08-30T12:36:00Z'),
    });

    // Assert
    expect(headers['x-amz-date']).toBe('20150830T123600Z');
    expect(headers.authorization).toBe(
      'AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20150830/us-east-1/iam/aws4_request, ' +
        'SignedHeaders=content-type;host;x-amz-date, ' +
        'Signature=5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7',
    );
  });

  it.each([
    ['the region of AWS_REGION', { AWS_REGION: 'eu-central-1' }, 'https://api.example.com', 'eu-central-1'],
    ['the region of the API host', {}, 'https://a1b2c3.execute-api.eu-west-1.amazonaws.com', 'eu-west-1'],
  ])('takes %s', (_name, env, url, region) => {
    const found = awsFromEnvironment(new URL(url), { ...EXAMPLE_ENV, ...env });

    expect(found.region).toBe(region);
    expect(found.credentials).toEqual({ ...EXAMPLE_KEYS, sessionToken: 'token-1' });
  });

  it('without credentials: says how to get them', () => {
    expect(() => awsFromEnvironment(new URL('https://api.example.com'), {})).toThrow(
      /aws configure export-credentials --format env/,
    );
  });
});

const EXAMPLE_ENV = {
  AWS_ACCESS_KEY_ID: EXAMPLE_KEYS.accessKeyId,
  AWS_SECRET_ACCESS_KEY: EXAMPLE_KEYS.secretAccessKey,
  AWS_SESSION_TOKEN: 'token-1',
};

describe('leadpact sla diff --url --aws', () => {
  let close: (() => void) | undefined;
  const saved = { ...process.env };
  afterEach(() => {
    close?.();
    process.env = { ...saved };
  });

  it('posts the new file signed with the environment credentials, the session token among the signed headers', async () => {
    // Arrange: a receiver on a real socket that records what arrives and answers as the API would
    let seen: { headers: IncomingHttpHeaders; body: string } | undefined;
    const server = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk) => {
        body += chunk;
      });
      req.on('end', () => {
        seen = { headers: req.headers, body };
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(
          JSON.stringify({
            deployed: '2026.11-kessler-1',
            proposed: '2026.11-kessler-1',
            from: '2026.11-kessler-1',
            to: '2026.11-kessler-1',
            lists: [],
            settings: [],
            removals: [],
            impact: { source: 'data', checked: 0, at: '2026-12-04T00:00:00.000Z', leads: [], stranded: 0 },
          }),
        );
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    close = () => server.close();
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    Object.assign(process.env, EXAMPLE_ENV, { AWS_REGION: 'eu-central-1' });
    const out: string[] = [];
    const io: CliIo = { out: (t) => out.push(t), err: (t) => out.push(t), readFile: processIo.readFile };

    // Act
    const code = await main(
      ['sla', 'diff', 'sla/default.yaml', 'sla/default.yaml', '--url', url, '--aws'],
      io,
    );

    // Assert
    expect(code, out.join('\n')).toBe(0);
    expect(seen?.headers.authorization).toMatch(
      /^AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE\/\d{8}\/eu-central-1\/execute-api\/aws4_request, SignedHeaders=accept;content-type;host;x-amz-date;x-amz-security-token, Signature=[0-9a-f]{64}$/,
    );
    expect(seen?.headers['x-amz-security-token']).toBe('token-1');
    expect(seen?.body).toBe(processIo.readFile('sla/default.yaml'));
  });
});
