/**
 * Which origins may post the form: the configured ones, "*", and under `npm start` (LOCAL_ORIGINS) any
 * origin on this machine and a page opened from a file (Origin: null); never a look-alike host.
 */
import { describe, expect, it } from 'vitest';
import { isAllowedOrigin, LOCAL_ORIGINS } from '../../lambdas/api/middleware.ts';

const DEPLOYED = { allowedOrigins: ['https://www.example.com'], methods: 'POST' };
const LOCAL = { allowedOrigins: [LOCAL_ORIGINS], methods: 'POST' };

describe('isAllowedOrigin', () => {
  it.each<[string, boolean, boolean]>([
    ['https://www.example.com', true, false],
    ['http://localhost:8080', false, true],
    ['http://127.0.0.1:5173', false, true],
    ['http://127.8.9.10', false, true],
    ['http://[::1]:3000', false, true],
    ['http://shop.localhost:3000', false, true],
    ['null', false, true],
    ['http://localhost.evil.example', false, false],
    ['http://127.0.0.1.evil.example', false, false],
    ['file://', false, false],
    ['https://www.example.com.evil.example', false, false],
  ])('%s: deployed %s, npm start %s', (origin, deployed, local) => {
    // Act + Assert
    expect([isAllowedOrigin(DEPLOYED, origin), isAllowedOrigin(LOCAL, origin)]).toEqual([deployed, local]);
  });
});
