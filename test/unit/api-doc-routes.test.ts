/**
 * docs/api.md's route table is the route table (lambdas/api/routes.ts: what the local server serves and
 * the stack deploys): the same methods and paths, and each route's auth as the code has it (a token
 * route is behind the authorizer; a link, public or session route is not).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROUTES } from '../../lambdas/api/routes.ts';
import { PROJECT_ROOT } from '../../lib/paths.ts';

const api = readFileSync(join(PROJECT_ROOT, 'docs/api.md'), 'utf8');
const table = api.slice(api.indexOf('## Routes'), api.indexOf('**Auth.**'));
const documented = [...table.matchAll(/^\| `([A-Z]+)` \| `([^`]+)` \| ([^|]+) \|/gm)].map((match) => ({
  route: `${match[1]} ${match[2]!.replace('{formId}.js', '{file}')}`,
  authorized: match[3]!.trim().startsWith('token'),
}));

describe('docs/api.md routes', () => {
  it('lists every route of routes.ts once, and no other', () => {
    expect(documented.map((row) => row.route).sort()).toEqual(
      ROUTES.map((route) => `${route.method} ${route.path}`).sort(),
    );
  });

  it('says token exactly for the routes behind the authorizer', () => {
    const authorized = ROUTES.filter((route) => route.access === 'authenticated').map(
      (route) => `${route.method} ${route.path}`,
    );
    expect(
      documented
        .filter((row) => row.authorized)
        .map((row) => row.route)
        .sort(),
    ).toEqual(authorized.sort());
  });
});
