/**
 * An address no route has, or a method its path does not take (ADR 0077): a browser gets a page in its language
 * with the way to the console, a program keeps the API's JSON error (404 `not_found` "no route <path>", 405
 * `method_not_allowed` "use <methods>" with Allow). A person who typed `/consol` used to read
 * `{"error":{"code":"not_found",...}}`. Over real HTTP on the local server (API Gateway's $default route there).
 */
import { describe, expect, it } from 'vitest';
import { textOf } from '../support/console.ts';
import { expectError, useLocalApi } from '../support/local-api.ts';

const api = useLocalApi();

/** what Chromium sends when a person opens an address */
const BROWSER = {
  accept: 'text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8',
  'sec-fetch-mode': 'navigate',
};
/** a browser too old to send Sec-Fetch-Mode: its Accept alone says it wants a page */
const OLD_BROWSER = { accept: 'text/html,application/xhtml+xml,*/*;q=0.8' };
/** programs: one that asks for JSON, one that names nothing (curl's default), one that takes anything */
const PROGRAMS = [
  ['application/json', { accept: 'application/json' }],
  ['no Accept', {}],
  ['*/*', { accept: '*/*' }],
] as const;

// biome-ignore format: one row per address reads as a table
const ADDRESSES: readonly (readonly [method: string, path: string, status: number, allow: string | null])[] = [
  ['GET', '/consol', 404, null],
  ['GET', '/reports/sla/', 404, null],
  ['GET', '/leads/AAAAAAAAAAAAAAAAAAAAAA/x/y/z', 404, null],
  ['GET', '/reports', 404, null],
  // a path a route takes with another method: 405, naming the ones it takes
  ['GET', '/leads/AAAAAAAAAAAAAAAAAAAAAA/events', 405, 'POST'],
  ['GET', '/webhooks/deliveries/dlv_00000000000000000000000000000000/replay', 405, 'POST'],
  // a method no console route has: the console's catch-all is GET only
  ['PUT', '/console/leads', 405, 'GET'],
];

describe('an address no route has', () => {
  it.each(ADDRESSES)(
    '%s %s in a browser: a %i page with the way to the console',
    async (method, path, status, allow) => {
      // Act
      const response = await api.request(method, path, { token: null, headers: BROWSER });

      // Assert
      expect(response.status).toBe(status);
      expect(response.headers.get('content-type')).toMatch(/^text\/html/);
      expect(response.headers.get('allow')).toBe(allow);
      expect(response.headers.get('cache-control')).toBe('no-store');
      expect(response.text).toMatch(/^<!DOCTYPE html><html lang="en" dir="ltr">/);
      expect(response.text).toContain('<a href="/console"');
      expect(textOf(response.text)).toContain('Open the console');
      expect(textOf(response.text)).toContain(
        status === 404 ? 'There is no page at this address.' : 'not a page to open',
      );
      expect(response.text).not.toMatch(/"error"|no route|not_found|method_not_allowed/);
    },
  );

  it('an older browser (Accept alone) gets the page too', async () => {
    // Act
    const response = await api.request('GET', '/consol', { token: null, headers: OLD_BROWSER });

    // Assert
    expect(response.status).toBe(404);
    expect(response.headers.get('content-type')).toMatch(/^text\/html/);
  });

  it('is in the browser’s language among the SLA’s', async () => {
    // Act
    const response = await api.request('GET', '/consol', {
      token: null,
      headers: { ...BROWSER, 'accept-language': 'ar-EG,ar;q=0.9,en;q=0.5' },
    });

    // Assert
    expect(response.status).toBe(404);
    expect(response.text).toMatch(/<html lang="ar" dir="rtl">/);
    expect(textOf(response.text)).toContain('لا توجد صفحة بهذا العنوان.');
    expect(textOf(response.text)).toContain('افتح لوحة التحكم');
  });

  const programCases = ADDRESSES.flatMap(([method, path, status, allow]) =>
    PROGRAMS.map(([kind, headers]) => ({ method, path, status, allow, kind, headers })),
  );
  it.each(programCases)(
    '$method $path from a program ($kind): the API’s JSON $status, as before',
    async ({ method, path, status, allow, headers }) => {
      // Act
      const response = await api.request(method, path, { token: null, headers });

      // Assert: the contract: code and message as they always were
      const body = expectError(response, status, status === 404 ? 'not_found' : 'method_not_allowed');
      expect(body.error.message).toBe(status === 404 ? `no route ${path}` : `use ${allow}`);
      expect(response.headers.get('allow')).toBe(allow);
    },
  );
});
