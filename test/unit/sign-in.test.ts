/** Who may sign in (roles from the SLA) and the three signed things of the console, each under its own context. */
import { describe, expect, it } from 'vitest';
import { signActionToken, verifyActionToken } from '../../lambdas/domain/action-links.ts';
import {
  csrfTokenMatches,
  csrfTokenOf,
  firstOps,
  people,
  personByEmail,
  personOf,
  signSessionToken,
  signSignInToken,
  verifySessionToken,
  verifySignInToken,
} from '../../lambdas/domain/sign-in.ts';
import { loadDefaultSla } from '../support/sla.ts';

const sla = loadDefaultSla();
const SECRET = 'sign-in-unit-test-secret-0123456789';
const NOW = new Date('2026-11-30T08:00:00.000Z');
const exp = Math.floor(NOW.getTime() / 1000) + 900;
const claim = { role: 'rep' as const, personId: 'jonas', nonce: 'unit-nonce-000000000001', exp };

describe('people of the SLA', () => {
  it('ops is the manager routing.ops names, then the other managers, then the reps', () => {
    const all = people(sla);
    expect(all[0]).toEqual({
      role: 'ops',
      id: 'priya',
      name: 'Priya Shah',
      email: 'priya.shah@kessler-industrial.example',
    });
    expect(all.filter((p) => p.role === 'manager').map((p) => p.id)).toEqual(['katrin', 'dan']);
    expect(all.filter((p) => p.role === 'rep')).toHaveLength(sla.routing.reps.length);
    expect(firstOps(sla)?.id).toBe('priya');
  });

  it('without routing.ops, nobody is ops and npm start signs in the first manager', () => {
    const noOps = { ...sla, routing: { ...sla.routing, ops: undefined } };
    expect(people(noOps).some((p) => p.role === 'ops')).toBe(false);
    expect(firstOps(noOps)).toMatchObject({ role: 'manager', id: 'katrin' });
  });

  it('finds a person by email in any case, and nobody for an unknown or empty one', () => {
    expect(personByEmail(sla, '  Jonas.Berger@Kessler-Industrial.example ')?.id).toBe('jonas');
    expect(personByEmail(sla, 'nobody@kessler-industrial.example')).toBeUndefined();
    expect(personByEmail(sla, '')).toBeUndefined();
  });

  it('a claim holds only while the SLA names the person in that role', () => {
    expect(personOf(sla, { role: 'rep', personId: 'jonas' })?.name).toBe('Jonas Berger');
    expect(personOf(sla, { role: 'ops', personId: 'jonas' })).toBeUndefined();
    expect(personOf(sla, { role: 'manager', personId: 'priya' })).toBeUndefined();
  });
});

describe('tokens', () => {
  it('a sign-in token verifies until it expires', () => {
    const token = signSignInToken(claim, SECRET);
    expect(verifySignInToken(token, SECRET, NOW)).toEqual({ ok: true, claim });
    expect(verifySignInToken(token, SECRET, new Date((exp - 1) * 1000)).ok).toBe(true);
    expect(verifySignInToken(token, SECRET, new Date(exp * 1000))).toEqual({ ok: false, reason: 'expired' });
  });

  it('a sign-in token carries the lead page to open after it, and only a lead page of the console', () => {
    // Arrange
    const withReturn = { ...claim, to: '/console/leads/abcDEF_12-3' };
    // Act
    const token = signSignInToken(withReturn, SECRET);
    // Assert
    expect(verifySignInToken(token, SECRET, NOW)).toEqual({ ok: true, claim: withReturn });
    for (const to of [
      '/console/webhooks',
      'https://evil.example/console/leads/x',
      '//evil.example',
      '/console/leads/a/b',
    ])
      expect(() => signSignInToken({ ...claim, to }, SECRET), to).toThrow(/t: a lead page/);
  });

  it('a sign-in token is not a session, a session not a sign-in link, neither an action link', () => {
    const signIn = signSignInToken(claim, SECRET);
    const session = signSessionToken(claim, SECRET);
    expect(verifySessionToken(signIn, SECRET, NOW)).toEqual({ ok: false, reason: 'tampered' });
    expect(verifySignInToken(session, SECRET, NOW)).toEqual({ ok: false, reason: 'tampered' });
    expect(verifyActionToken(signIn, SECRET, NOW).ok).toBe(false);
    const action = signActionToken(
      {
        leadId: 'jonas',
        cycle: 1,
        action: 'outcome',
        value: 'connected',
        nonce: 'unit-nonce-000000000001',
        exp,
      },
      SECRET,
    );
    expect(verifySignInToken(action, SECRET, NOW).ok).toBe(false);
  });

  it('another key, a changed byte or a changed role do not verify', () => {
    const token = signSignInToken(claim, SECRET);
    expect(verifySignInToken(token, 'another-secret-0123456789abcdef', NOW)).toEqual({
      ok: false,
      reason: 'tampered',
    });
    const [body, signature] = token.split('.') as [string, string];
    const promoted = Buffer.from(
      Buffer.from(body, 'base64url').toString().replace('"rep"', '"ops"'),
    ).toString('base64url');
    expect(verifySignInToken(`${promoted}.${signature}`, SECRET, NOW)).toEqual({
      ok: false,
      reason: 'tampered',
    });
    expect(verifySignInToken('a.b.c', SECRET, NOW)).toEqual({ ok: false, reason: 'malformed' });
  });

  it('refuses to sign a claim that could never verify', () => {
    expect(() => signSignInToken({ ...claim, nonce: 'short' }, SECRET)).toThrow(/n: 16-64/);
    expect(() => signSignInToken({ ...claim, role: 'admin' as never }, SECRET)).toThrow(/r: one of/);
  });

  it('a CSRF token belongs to its session only', () => {
    const csrf = csrfTokenOf('session-a-0000000000', SECRET);
    expect(csrfTokenMatches('session-a-0000000000', csrf, SECRET)).toBe(true);
    expect(csrfTokenMatches('session-b-0000000000', csrf, SECRET)).toBe(false);
    expect(csrfTokenMatches('session-a-0000000000', `${csrf.slice(0, -2)}AA`, SECRET)).toBe(false);
    expect(csrfTokenMatches('session-a-0000000000', '', SECRET)).toBe(false);
    expect(csrfTokenOf('session-a-0000000000', 'another-secret-0123456789abcdef')).not.toBe(csrf);
  });
});
