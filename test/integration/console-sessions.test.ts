/**
 * Console sessions on the server (ADR 0029), over real HTTP on the local runtime: sign-out ends the
 * session for every copy of the cookie; ops end a person's sessions and void the links they were sent
 * before; a person removed from the SLA, or moved to another team, loses access at the next request;
 * an expired, forged or replayed credential signs nobody in.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { overviewHandler } from '../../lambdas/api/console/views.ts';
import type { HttpEvent } from '../../lambdas/api/http.ts';
import { signSessionToken, signSignInToken } from '../../lambdas/domain/sign-in.ts';
import { parseSla } from '../../lambdas/domain/sla-file.ts';
import { consoleFetch, csrfOf, signIn, signInLinkFor, textOf } from '../support/console.ts';
import { MINUTE, SQL_LEAD, T0, useLocalApi } from '../support/local-api.ts';
import { changedSlaText } from '../support/sla-change.ts';

const api = useLocalApi();

const JONAS = 'jonas.berger@kessler-industrial.example';
const LENA = 'lena.hartmann@kessler-industrial.example';
const KATRIN = 'katrin.vogel@kessler-industrial.example';
const PRIYA = 'priya.shah@kessler-industrial.example';

let minute = 0;
function freshMinute(): void {
  minute += 2;
  api.clock.set(new Date(T0.getTime() + minute * MINUTE));
}

const signedIn = async (cookie: string) =>
  (await consoleFetch(api.runtime, 'GET', '/console/leads', { cookie })).status === 200;

async function askLink(email: string): Promise<string> {
  const since = Date.now() - 1;
  await consoleFetch(api.runtime, 'POST', '/console/sign-in', { form: { email } });
  const link = await signInLinkFor(api.runtime, email, since);
  if (!link) throw new Error(`no link for ${email}`);
  return link;
}

describe('sign-out', () => {
  it('ends the session on the server: a copy of the cookie stops working too', async () => {
    freshMinute();
    const cookie = await signIn(api.runtime, LENA);
    const copy = cookie; // what a thief, or another tab on another machine, holds
    const csrf = csrfOf((await consoleFetch(api.runtime, 'GET', '/console/leads', { cookie })).text);
    const out = await consoleFetch(api.runtime, 'POST', '/console/sign-out', { cookie, form: { csrf } });
    expect(out.status).toBe(303);
    expect(out.headers.get('set-cookie')).toMatch(/^leadpact_session=; .*Max-Age=0/);
    expect(await signedIn(copy)).toBe(false);
    const write = await consoleFetch(api.runtime, 'POST', '/console/sign-out', {
      cookie: copy,
      form: { csrf },
    });
    expect(write.status).toBe(401);
  });

  it('ends only that session: the person’s other sessions stay', async () => {
    freshMinute();
    const laptop = await signIn(api.runtime, LENA);
    freshMinute();
    const phone = await signIn(api.runtime, LENA);
    const csrf = csrfOf((await consoleFetch(api.runtime, 'GET', '/console/leads', { cookie: phone })).text);
    await consoleFetch(api.runtime, 'POST', '/console/sign-out', { cookie: phone, form: { csrf } });
    expect(await signedIn(phone)).toBe(false);
    expect(await signedIn(laptop)).toBe(true);
  });
});

describe('ops end a person’s sessions', () => {
  it('every session of the person ends at once, and a link sent before no longer signs in', async () => {
    freshMinute();
    const first = await signIn(api.runtime, JONAS);
    freshMinute();
    const second = await signIn(api.runtime, JONAS);
    freshMinute();
    const unused = await askLink(JONAS);
    const lena = await signIn(api.runtime, LENA);
    const priya = await signIn(api.runtime, PRIYA);
    const sla = await consoleFetch(api.runtime, 'GET', '/console/sla', { cookie: priya });
    expect(textOf(sla.text)).toContain('Sign out everywhere');
    // each button's accessible name starts with the words it shows (WCAG 2.5.3 label in name: a voice-control
    // user says "Sign out everywhere"), then whom it signs out
    const buttons = [...sla.text.matchAll(/<button[^>]*aria-label="([^"]*)"[^>]*>([^<]*)<\/button>/g)];
    expect(buttons.length).toBeGreaterThan(1);
    for (const [, label, shownText] of buttons) expect(label!.startsWith(shownText!)).toBe(true);
    expect(buttons.map(([, label]) => label)).toContain('Sign out everywhere: Jonas Berger');

    const revoked = await consoleFetch(api.runtime, 'POST', '/console/sessions/revoke', {
      cookie: priya,
      form: { person: 'rep:jonas', csrf: csrfOf(sla.text) },
    });
    expect(revoked.status).toBe(303);
    const shown = await consoleFetch(api.runtime, 'GET', revoked.headers.get('location')!, { cookie: priya });
    expect(textOf(shown.text)).toContain('Jonas Berger is signed out everywhere (2 sessions ended)');

    expect(await signedIn(first)).toBe(false);
    expect(await signedIn(second)).toBe(false);
    expect(await signedIn(lena)).toBe(true); // someone else's sessions stay
    const late = await consoleFetch(api.runtime, 'POST', unused);
    expect(late.status).toBe(410);
    expect(late.headers.get('set-cookie')).toBeNull();
    // a link asked for after the revocation works
    freshMinute();
    expect(await signedIn(await signIn(api.runtime, JONAS))).toBe(true);
  });

  it('a manager or a rep cannot end other people’s sessions (403), and nothing ends', async () => {
    freshMinute();
    const lena = await signIn(api.runtime, LENA);
    for (const email of [KATRIN, JONAS]) {
      const cookie = await signIn(api.runtime, email);
      const csrf = csrfOf((await consoleFetch(api.runtime, 'GET', '/console/leads', { cookie })).text);
      const answer = await consoleFetch(api.runtime, 'POST', '/console/sessions/revoke', {
        cookie,
        form: { person: 'rep:lena', csrf },
      });
      expect(answer.status, email).toBe(403);
      expect(await signedIn(lena)).toBe(true);
    }
    const sla = await consoleFetch(api.runtime, 'GET', '/console/sla', { cookie: lena });
    expect(textOf(sla.text)).not.toContain('Sign out everywhere');
  });

  it('an unknown person is refused naming the field; without the CSRF token nothing happens', async () => {
    freshMinute();
    const lena = await signIn(api.runtime, LENA);
    const priya = await signIn(api.runtime, PRIYA);
    const csrf = csrfOf((await consoleFetch(api.runtime, 'GET', '/console/sla', { cookie: priya })).text);
    const unknown = await consoleFetch(api.runtime, 'POST', '/console/sessions/revoke', {
      cookie: priya,
      form: { person: 'rep:nobody', csrf },
    });
    expect(unknown.status).toBe(422);
    expect(textOf(unknown.text)).toContain('person : a person of the SLA');
    const forged = await consoleFetch(api.runtime, 'POST', '/console/sessions/revoke', {
      cookie: priya,
      form: { person: 'rep:lena' },
    });
    expect(forged.status).toBe(403);
    const crossSite = await consoleFetch(api.runtime, 'POST', '/console/sessions/revoke', {
      cookie: priya,
      form: { person: 'rep:lena', csrf },
      origin: 'https://evil.example',
    });
    expect(crossSite.status).toBe(403);
    expect(await signedIn(lena)).toBe(true);
  });
});

describe('the SLA decides who is in', () => {
  const changed = parseSla(changedSlaText());
  if (!changed.ok) throw new Error('the changed SLA does not parse');
  const event = (cookie: string) =>
    ({
      headers: { cookie, host: '127.0.0.1' },
      requestContext: { domainName: '127.0.0.1', http: { method: 'GET', path: '/console' } },
      rawPath: '/console',
    }) as unknown as HttpEvent;

  it('a rep removed from the SLA is signed out at the next request (the session itself is still open)', async () => {
    freshMinute();
    const jonas = await signIn(api.runtime, JONAS);
    const before = await overviewHandler(api.runtime.deps)(event(jonas), {} as never);
    expect(before.body).toContain('Jonas Berger');
    const after = await overviewHandler({ ...api.runtime.deps, sla: changed.sla })(event(jonas), {} as never);
    expect(after.body).toContain('Email me a sign-in link');
    expect(after.body).not.toContain('Jonas Berger');
  });

  it('a manager whose rep moved to another team no longer sees the rep’s leads', async () => {
    freshMinute();
    const leadId = await api.createLead({
      email: api.uniqueEmail('moved'),
      lastName: 'Movedrep',
      ...SQL_LEAD,
    });
    await api.handOff(leadId, 'lena');
    const katrin = await signIn(api.runtime, KATRIN);
    const text = readFileSync(new URL('../../sla/default.yaml', import.meta.url), 'utf8').replace(
      /(id: lena[\s\S]*?manager: )katrin/,
      '$1dan',
    );
    const moved = parseSla(text);
    if (!moved.ok) throw new Error('the moved SLA does not parse');
    const { leadPageHandler } = await import('../../lambdas/api/console/views.ts');
    const page = (deps: typeof api.runtime.deps) =>
      leadPageHandler(deps)(
        {
          ...event(katrin),
          pathParameters: { id: leadId },
          rawPath: `/console/leads/${leadId}`,
        } as HttpEvent,
        {} as never,
      );
    expect((await page(api.runtime.deps)).statusCode).toBe(200);
    expect((await page({ ...api.runtime.deps, sla: moved.sla })).statusCode).toBe(404);
  });
});

describe('credentials that must not work', () => {
  it('an expired session: signed and open, but past its 12 hours', async () => {
    freshMinute();
    const cookie = await signIn(api.runtime, LENA);
    api.clock.advance(12 * 60 * MINUTE);
    expect(await signedIn(cookie)).toBe(false);
  });

  it('a forged cookie: another key, another role, a sign-in link as a cookie, a session never opened', async () => {
    freshMinute();
    const secret = api.runtime.deps.actionSecret!;
    const exp = Math.floor(api.clock.now().getTime() / 1000) + 3600;
    const lena = await signIn(api.runtime, LENA);
    const [body, signature] = lena.split('=')[1]!.split('.') as [string, string];
    const asOps = Buffer.from(
      Buffer.from(body, 'base64url').toString().replace('"rep"', '"ops"').replace('"lena"', '"priya"'),
    ).toString('base64url');
    const forged = [
      // Lena's session, edited to be Priya's (ops): the signature no longer fits
      `${asOps}.${signature}`,
      // a well-formed session signed with another key
      signSessionToken(
        { role: 'ops', personId: 'priya', nonce: 'forged-session-0001', exp },
        'another-key-0123456789',
      ),
      // a sign-in link's token (another signing context) presented as a cookie
      signSignInToken({ role: 'ops', personId: 'priya', nonce: 'link-as-cookie-0001', exp }, secret),
      // correctly signed (a leaked key), but no sign-in ever opened this session
      signSessionToken({ role: 'ops', personId: 'priya', nonce: 'never-opened-00001', exp }, secret),
    ];
    for (const token of forged) {
      expect(await signedIn(`leadpact_session=${token}`), token).toBe(false);
      const write = await consoleFetch(api.runtime, 'POST', '/console/sessions/revoke', {
        cookie: `leadpact_session=${token}`,
        form: { person: 'rep:lena', csrf: 'x' },
      });
      expect(write.status).toBe(401);
    }
    expect(await signedIn(lena)).toBe(true);
  });

  it('a replayed sign-in link: the first POST signs in, every later one is 409 and sets no cookie', async () => {
    freshMinute();
    const link = await askLink(LENA);
    const first = await consoleFetch(api.runtime, 'POST', link);
    expect(first.status).toBe(303);
    const replays = await Promise.all([1, 2, 3].map(() => consoleFetch(api.runtime, 'POST', link)));
    for (const replay of replays) {
      expect(replay.status).toBe(409);
      expect(replay.headers.get('set-cookie')).toBeNull();
    }
  });
});

describe('a console link from an email, signed out: sign in, then back to the lead (the "needs an owner" email)', () => {
  const SOFIA = 'sofia.brandt@kessler-industrial.example';
  const DAN = 'dan.whitaker@kessler-industrial.example';

  it('carries the lead page through the sign-in link and opens it once signed in', async () => {
    // Arrange
    freshMinute();
    const leadId = await api.createLead({ email: api.uniqueEmail('return'), ...SQL_LEAD });

    // Act: the emailed link, signed out; the sign-in form it leads to; the link from the inbox
    const first = await consoleFetch(api.runtime, 'GET', `/console/leads/${leadId}`);
    const form = await consoleFetch(api.runtime, 'GET', first.headers.get('location')!);
    const to = /name="to" value="([^"]+)"/.exec(form.text)?.[1];
    const since = Date.now() - 1;
    await consoleFetch(api.runtime, 'POST', '/console/sign-in', { form: { email: DAN, to: to ?? '' } });
    const link = await signInLinkFor(api.runtime, DAN, since);
    const signedInAnswer = await consoleFetch(api.runtime, 'POST', link!);

    // Assert
    expect(first.status).toBe(303);
    expect(first.headers.get('location')).toBe(
      `/console?to=${encodeURIComponent(`/console/leads/${leadId}`)}`,
    );
    expect(to).toBe(`/console/leads/${leadId}`);
    expect(signedInAnswer.status).toBe(303);
    expect(signedInAnswer.headers.get('location')).toBe(`/console/leads/${leadId}`);
  });

  it.each([
    ['another host', 'https://evil.example/console/leads/x'],
    ['a protocol-relative URL', '//evil.example/console/leads/x'],
    ['another console page', '/console/webhooks'],
    ['a path that climbs', '/console/leads/../webhooks'],
  ])('goes nowhere but a lead page: %s is dropped, and the sign-in opens the overview', async (_, to) => {
    // Arrange
    freshMinute();

    // Act
    const form = await consoleFetch(api.runtime, 'GET', `/console?to=${encodeURIComponent(to)}`);
    const since = Date.now() - 1;
    await consoleFetch(api.runtime, 'POST', '/console/sign-in', { form: { email: SOFIA, to } });
    const link = await signInLinkFor(api.runtime, SOFIA, since);
    const answer = await consoleFetch(api.runtime, 'POST', link!);

    // Assert
    expect(form.text).not.toContain('name="to"');
    expect(answer.status).toBe(303);
    expect(answer.headers.get('location')).toBe('/console');
  });
});
