import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  ACTION_LINK_TTL_SECONDS,
  type ActionPayload,
  actionUrl,
  contactActionChoices,
  dealActionChoices,
  decideActionChoices,
  describeAction,
  handoverOf,
  type LinkStanding,
  linkExpiry,
  linkStanding,
  signActionLinks,
  signActionToken,
  signUnsubscribeUrl,
  unsubscribeUrl,
  verifyActionToken,
} from '../../lambdas/domain/action-links.ts';
import type { LeadState } from '../../lambdas/domain/lead-state.ts';
import { handedOff, leadState, withDeal } from '../support/lead-state.ts';
import { makeSla } from '../support/sla.ts';

const SECRET = 'test-action-secret-0123456789';
const NOW = new Date('2026-11-27T10:00:00.000Z');
const NOW_S = NOW.getTime() / 1000;
const PAYLOAD: ActionPayload = {
  leadId: 'cwuexibhMk3wI9vL9g2kQF',
  cycle: 2,
  action: 'outcome',
  value: 'connected',
  nonce: 'Ab3dEf9hIj0k.2',
  exp: NOW_S + 3600,
};

/** the token's two parts, to tamper with */
const split = (token: string) => token.split('.') as [string, string];
const decode = (part: string) => JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
const encode = (value: unknown) => Buffer.from(JSON.stringify(value), 'utf8').toString('base64url');
/** signs any body as the module does, to build tokens whose signature is right but whose payload is not */
const signBody = (body: string, secret = SECRET) =>
  `${body}.${createHmac('sha256', secret).update('leadpact-action.v1.').update(body).digest('base64url')}`;
/** changes one character of a base64url string */
const flip = (text: string, at: number) =>
  text.slice(0, at) + (text[at] === 'A' ? 'B' : 'A') + text.slice(at + 1);

describe('signActionToken / verifyActionToken', () => {
  it('round-trips the payload', () => {
    // Arrange
    const token = signActionToken(PAYLOAD, SECRET);

    // Act
    const verified = verifyActionToken(token, SECRET, NOW);

    // Assert
    expect(verified).toEqual({ ok: true, payload: PAYLOAD });
    expect(token).toMatch(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{43}$/);
  });

  it.each([
    ['unsubscribe, empty value', { ...PAYLOAD, action: 'unsubscribe', value: '' }],
    ['deal stage', { ...PAYLOAD, action: 'deal', value: 'quote-presented' }],
    ['status', { ...PAYLOAD, action: 'status', value: 'recycled-not-ready' }],
    [
      'bound to a handover',
      { ...PAYLOAD, handover: { ownerId: 'jonas', since: Date.parse('2026-11-27T09:00:00.123Z') } },
    ],
    [
      "manager's, bound to the owner's handover",
      { ...PAYLOAD, handover: { ownerId: 'jonas', since: 0 }, managerId: 'katrin' },
    ],
    ["attempt-due reminder's outcome, with its step's channel", { ...PAYLOAD, channel: 'linkedin' }],
  ] as const)('round-trips a %s payload', (_name, payload) => {
    expect(verifyActionToken(signActionToken(payload, SECRET), SECRET, NOW)).toEqual({ ok: true, payload });
  });

  const token = signActionToken(PAYLOAD, SECRET);
  const [body, signature] = split(token);

  // biome-ignore format: one row per case reads as a table
  it.each([
    ['tampered payload: another lead, old signature', `${encode({ ...decode(body), l: 'AAAAAAAAAAAAAAAAAAAAAA' })}.${signature}`, 'tampered'],
    ['tampered payload: later expiry, old signature', `${encode({ ...decode(body), e: NOW_S + 10 ** 8 })}.${signature}`, 'tampered'],
    ['tampered payload: one character', `${flip(body, 5)}.${signature}`, 'tampered'],
    ['tampered signature: one character', `${body}.${flip(signature, 3)}`, 'tampered'],
    ['signature of another payload', `${body}.${split(signActionToken({ ...PAYLOAD, value: 'no-answer' }, SECRET))[1]}`, 'tampered'],
    ['wrong secret', signActionToken(PAYLOAD, 'another-secret-0123456789'), 'tampered'],
    ['expired: now is exp', signActionToken({ ...PAYLOAD, exp: NOW_S }, SECRET), 'expired'],
    ['expired: long ago', signActionToken({ ...PAYLOAD, exp: NOW_S - 86_400 }, SECRET), 'expired'],
    ['malformed: empty', '', 'malformed'],
    ['malformed: no signature', body, 'malformed'],
    ['malformed: three parts', `${token}.x`, 'malformed'],
    ['malformed: empty signature', `${body}.`, 'malformed'],
    ['malformed: short signature', `${body}.${signature.slice(0, 20)}`, 'malformed'],
    ['malformed: long signature', `${body}.${signature}AAAA`, 'malformed'],
    ['malformed: non-base64url characters', `${body}.${signature.slice(0, 42)}=`, 'malformed'],
    ['malformed: padding', `${body}=.${signature}`, 'malformed'],
    ['malformed: far too long', `${'A'.repeat(2000)}.${signature}`, 'malformed'],
    ['malformed: signed, but not JSON', signBody(Buffer.from('not json').toString('base64url')), 'malformed'],
    ['malformed: signed, but an unknown action', signBody(encode({ ...decode(body), a: 'erase' })), 'malformed'],
    ['malformed: signed, but a missing field', signBody(encode({ l: PAYLOAD.leadId, c: 1, a: 'outcome', v: 'x', n: 'n' })), 'malformed'],
    ['malformed: signed, but an extra field', signBody(encode({ ...decode(body), admin: true })), 'malformed'],
    ['malformed: signed, an owner without since', signBody(encode({ ...decode(body), o: 'jonas' })), 'malformed'],
    ['malformed: signed, a since without owner', signBody(encode({ ...decode(body), s: 1 })), 'malformed'],
    ['malformed: signed, a manager without owner', signBody(encode({ ...decode(body), m: 'katrin' })), 'malformed'],
    ['malformed: signed, a channel no cadence has', signBody(encode({ ...decode(body), ch: 'fax' })), 'malformed'],
    ['malformed: signed, a channel on a status link', signBody(encode({ ...decode(body), a: 'status', ch: 'email' })), 'malformed'],
    ['tampered payload: another channel, old signature', `${encode({ ...decode(split(signActionToken({ ...PAYLOAD, channel: 'email' }, SECRET))[0]), ch: 'phone' })}.${split(signActionToken({ ...PAYLOAD, channel: 'email' }, SECRET))[1]}`, 'tampered'],
    ['malformed: signed, but a list', signBody(encode([decode(body)])), 'malformed'],
    ['malformed: signed, but null', signBody(encode(null)), 'malformed'],
    ['malformed: signed, a cycle as text', signBody(encode({ ...decode(body), c: '1' })), 'malformed'],
    ['malformed: signed, an unsafe integer expiry', signBody(encode({ ...decode(body), e: 2 ** 60 })), 'malformed'],
    ['malformed: signed, a __proto__ key', signBody(Buffer.from(`{"__proto__":{},${Buffer.from(body, 'base64url').toString('utf8').slice(1)}`).toString('base64url')), 'malformed'],
    ['tampered payload: another owner, old signature', `${encode({ ...decode(split(signActionToken({ ...PAYLOAD, handover: { ownerId: 'jonas', since: 5 } }, SECRET))[0]), o: 'lena' })}.${split(signActionToken({ ...PAYLOAD, handover: { ownerId: 'jonas', since: 5 } }, SECRET))[1]}`, 'tampered'],
    ['tampered payload: owner claims dropped, old signature', `${encode(decode(body))}.${split(signActionToken({ ...PAYLOAD, handover: { ownerId: 'jonas', since: 5 } }, SECRET))[1]}`, 'tampered'],
  ])('%s: %s', (_name, candidate, reason) => {
    // Act
    const verified = verifyActionToken(candidate, SECRET, NOW);

    // Assert
    expect(verified).toEqual({ ok: false, reason });
  });

  it('is valid up to the second before exp', () => {
    // Arrange
    const token = signActionToken({ ...PAYLOAD, exp: NOW_S + 1 }, SECRET);

    // Act
    const verified = verifyActionToken(token, SECRET, NOW);

    // Assert
    expect(verified.ok).toBe(true);
  });

  // biome-ignore format: one row per case reads as a table
  it.each([
    ['an unknown action', { ...PAYLOAD, action: 'erase' } as unknown as ActionPayload, /payload: a:/],
    ['a nonce with "/"', { ...PAYLOAD, nonce: 'a/b' }, /payload: n:/],
    ['an empty nonce', { ...PAYLOAD, nonce: '' }, /payload: n:/],
    ['cycle 0', { ...PAYLOAD, cycle: 0 }, /payload: c:/],
    ['a fractional expiry', { ...PAYLOAD, exp: 1.5 }, /payload: e:/],
    ['a value with spaces', { ...PAYLOAD, value: 'no answer' }, /payload: v:/],
    ['an owner id with "/"', { ...PAYLOAD, handover: { ownerId: 'a/b', since: 1 } }, /payload: o:/],
    ['a fractional since', { ...PAYLOAD, handover: { ownerId: 'jonas', since: 1.5 } }, /payload: s:/],
    ['a manager without a handover', { ...PAYLOAD, managerId: 'katrin' }, /payload: m:/],
    ['a channel on a deal link', { ...PAYLOAD, action: 'deal', value: 'discovery', channel: 'email' } as ActionPayload, /payload: ch:/],
  ])('refuses to sign %s', (_name, payload, message) => {
    expect(() => signActionToken(payload, SECRET)).toThrow(message);
  });

  it.each([[''], ['short']])('refuses a secret of %j', (secret) => {
    expect(() => signActionToken(PAYLOAD, secret)).toThrow(/at least 16/);
    expect(() => verifyActionToken('a.b', secret, NOW)).toThrow(/at least 16/);
  });
});

describe('links', () => {
  const sla = makeSla();
  /** an SLA with one outcome: its contact reminders offer status links for connected, recycle, disqualify */
  const withStatusLinks = makeSla({
    contact: { outcomes: [{ id: 'no-answer', name: 'No answer', action: 'nextStep' }] },
  });

  it('builds action and unsubscribe URLs under the base URL', () => {
    expect(actionUrl('https://api.example/', 'a.b')).toBe('https://api.example/actions/a.b');
    expect(unsubscribeUrl('http://127.0.0.1:3000', 'a.b')).toBe('http://127.0.0.1:3000/unsubscribe/a.b');
    expect(linkExpiry(NOW, 60)).toBe(NOW_S + 60);
  });

  it('offers every SLA outcome on a contact reminder, tones by what the outcome does', () => {
    // Act
    const choices = contactActionChoices(sla);

    // Assert
    expect(choices).toEqual([
      { action: 'outcome', value: 'no-answer', label: 'No answer', tone: 'default' },
      { action: 'outcome', value: 'voicemail', label: 'Left voicemail', tone: 'default' },
      { action: 'outcome', value: 'connected', label: 'Connected', tone: 'primary' },
      { action: 'outcome', value: 'meeting-booked', label: 'Meeting booked', tone: 'primary' },
      { action: 'outcome', value: 'not-interested', label: 'Not interested', tone: 'danger' },
      { action: 'outcome', value: 'bad-data', label: 'Bad contact data', tone: 'danger' },
      { action: 'outcome', value: 'not-now', label: 'Not now (recycle)', tone: 'danger' },
    ]);
  });

  it.each([
    ['an outcome that recycles (not now)', () => contactActionChoices(sla), 'outcome:not-now'],
    ['an outcome that disqualifies', () => contactActionChoices(sla), 'outcome:not-interested'],
    [
      'the recycled status offered in place of an outcome',
      () =>
        contactActionChoices(
          makeSla({ contact: { outcomes: [{ id: 'no-answer', name: 'No answer', action: 'nextStep' }] } }),
        ),
      'status:recycled-not-ready',
    ],
    [
      'the recycled status of a connected lead with no deal',
      () => decideActionChoices(sla),
      'status:recycled-not-ready',
    ],
  ])(
    "%s ends the rep's work on the lead: its button is red (danger), as a lost deal's is",
    (_case, offered, link) => {
      // Act
      const choice = offered().find(({ action, value }) => `${action}:${value}` === link);

      // Assert
      expect(choice?.tone).toBe('danger');
    },
  );

  it('adds rep-settable status links for connected, recycle and disqualify when no outcome does it', () => {
    // Arrange
    const only = makeSla({
      contact: { outcomes: [{ id: 'no-answer', name: 'No answer', action: 'nextStep' }] },
    });

    // Act
    const choices = contactActionChoices(only);

    // Assert
    expect(choices.map(({ action, value }) => `${action}:${value}`)).toEqual([
      'outcome:no-answer',
      'status:connected',
      'status:recycled-not-ready',
      'status:unqualified',
    ]);
  });

  it('offers every other deal stage on a deal reminder', () => {
    // Act
    const choices = dealActionChoices(sla, 'quote-presented');

    // Assert
    expect(choices.map((choice) => `${choice.value}:${choice.tone}`)).toEqual([
      'discovery:default',
      'quote-development:default',
      'closed-won:primary',
      'closed-lost:danger',
      'on-hold:default',
    ]);
  });

  it('a connected lead with no deal: open a deal at the first open stage, or close it (not now, unqualified)', () => {
    // Act
    const choices = decideActionChoices(sla);

    // Assert
    expect(choices).toEqual([
      {
        action: 'deal',
        value: 'discovery',
        label: 'Open a deal in Discovery / meeting booked',
        tone: 'primary',
      },
      { action: 'status', value: 'recycled-not-ready', label: 'Recycled - not ready', tone: 'danger' },
      { action: 'status', value: 'unqualified', label: 'Unqualified', tone: 'danger' },
    ]);
  });

  it('closes by the outcome that does it when reps may not set those statuses', () => {
    // Arrange
    const locked = makeSla({
      leadStatuses: sla.leadStatuses.map(({ repCanSet: _may, ...status }) => status),
    } as Parameters<typeof makeSla>[0]);

    // Act
    const choices = decideActionChoices(locked);

    // Assert
    expect(choices.map(({ action, value }) => `${action}:${value}`)).toEqual([
      'deal:discovery',
      'outcome:not-now',
      'outcome:not-interested',
    ]);
  });

  it('signs each choice with its own nonce; every link verifies to its choice', () => {
    // Arrange
    const choices = contactActionChoices(sla);
    const context = {
      baseUrl: 'https://api.example',
      secret: SECRET,
      leadId: PAYLOAD.leadId,
      cycle: 3,
      exp: NOW_S + 60,
      nonce: 'mail1',
    };

    // Act
    const links = signActionLinks(choices, context);

    // Assert
    const payloads = links.map((link) => {
      const verified = verifyActionToken(link.url.split('/actions/')[1]!, SECRET, NOW);
      if (!verified.ok) throw new Error(verified.reason);
      return verified.payload;
    });
    expect(payloads.map((p) => `${p.action}:${p.value}`)).toEqual(
      choices.map((c) => `${c.action}:${c.value}`),
    );
    expect(new Set(payloads.map((p) => p.nonce)).size).toBe(choices.length);
    expect(payloads.every((p) => p.leadId === PAYLOAD.leadId && p.cycle === 3 && p.exp === NOW_S + 60)).toBe(
      true,
    );
    expect(links.map((link) => link.label)).toEqual(choices.map((choice) => choice.label));
  });

  it("binds every link of an email to the context's handover, and a manager's to the owner's", () => {
    // Arrange
    const handover = { ownerId: 'jonas', since: Date.parse('2026-11-27T09:00:00.000Z') };
    const base = {
      baseUrl: 'https://api.example',
      secret: SECRET,
      leadId: PAYLOAD.leadId,
      cycle: 1,
      exp: NOW_S + 60,
    };

    // Act
    const rep = signActionLinks(contactActionChoices(sla), { ...base, nonce: 'r', handover });
    const manager = signActionLinks(contactActionChoices(sla), {
      ...base,
      nonce: 'm',
      handover,
      managerId: 'katrin',
    });
    const unbound = signActionLinks(contactActionChoices(sla), { ...base, nonce: 'u', managerId: 'katrin' });

    // Assert
    const payloadOf = (url: string) => {
      const verified = verifyActionToken(url.split('/actions/')[1]!, SECRET, NOW);
      if (!verified.ok) throw new Error(verified.reason);
      return verified.payload;
    };
    for (const link of rep) {
      expect(payloadOf(link.url).handover).toEqual(handover);
      expect(payloadOf(link.url)).not.toHaveProperty('managerId');
    }
    for (const link of manager) expect(payloadOf(link.url)).toMatchObject({ handover, managerId: 'katrin' });
    // a manager id alone binds nothing and is not signed
    for (const link of unbound) {
      expect(payloadOf(link.url)).not.toHaveProperty('handover');
      expect(payloadOf(link.url)).not.toHaveProperty('managerId');
    }
  });

  it("signs the context's channel (the reminder's step) into its outcome links only", () => {
    // Arrange: a contact reminder whose SLA offers status links too (no outcome connects, recycles, disqualifies)
    const choices = contactActionChoices(withStatusLinks);
    const context = {
      baseUrl: 'https://api.example',
      secret: SECRET,
      leadId: PAYLOAD.leadId,
      cycle: 1,
      exp: NOW_S + 60,
      nonce: 'step2',
      channel: 'email' as const,
    };

    // Act
    const links = signActionLinks(choices, context);

    // Assert
    const signed = links.map((link) => {
      const verified = verifyActionToken(link.url.split('/actions/')[1]!, SECRET, NOW);
      if (!verified.ok) throw new Error(verified.reason);
      return [verified.payload.action, verified.payload.channel] as const;
    });
    expect(new Set(signed.map(([action]) => action))).toEqual(new Set(['outcome', 'status']));
    for (const [action, channel] of signed) expect(channel).toBe(action === 'outcome' ? 'email' : undefined);
  });

  it('signs an unsubscribe URL that verifies as an unsubscribe action', () => {
    // Act
    const url = signUnsubscribeUrl({
      baseUrl: 'https://api.example',
      secret: SECRET,
      leadId: PAYLOAD.leadId,
      cycle: 1,
      exp: NOW_S + 60,
      nonce: 'u1',
    });

    // Assert
    const verified = verifyActionToken(url.split('/unsubscribe/')[1]!, SECRET, NOW);
    expect(verified).toMatchObject({ ok: true, payload: { action: 'unsubscribe', value: '', nonce: 'u1' } });
  });

  // biome-ignore format: one row per case reads as a table
  it.each([
    ['outcome', 'connected', 'Log outcome: Connected'],
    ['status', 'unqualified', 'Set status: Unqualified'],
    ['deal', 'closed-won', 'Move the deal to: Closed won'],
    ['deal', 'gone-stage', 'Move the deal to: gone-stage'],
    ['unsubscribe', '', 'Unsubscribe from our emails'],
  ] as const)('describes %s %j as %j', (action, value, expected) => {
    expect(describeAction(sla, { action, value })).toBe(expected);
  });
});

describe('handoverOf', () => {
  // biome-ignore format: one row per case reads as a table
  it.each([
    ['owner since a reassignment', handedOff('2026-11-30T08:00:00.000Z', 'jonas', { ownerId: 'lena', ownerSince: '2026-11-30T12:00:00.250Z' }), { ownerId: 'lena', since: Date.parse('2026-11-30T12:00:00.250Z') }],
    ['no ownerSince (stored before it existed): the handoff', leadState({ stage: 'sql', ownerId: 'jonas', handedOffAt: '2026-11-30T08:00:00.000Z' }), { ownerId: 'jonas', since: Date.parse('2026-11-30T08:00:00.000Z') }],
    ['nobody owns it', leadState(), undefined],
  ])('%s', (_name, lead, expected) => {
    expect(handoverOf(lead)).toEqual(expected);
  });
});

describe('linkStanding', () => {
  const sla = makeSla({
    routing: {
      reps: [
        { id: 'jonas', name: 'Jonas Berger', email: 'jonas@example.com' },
        { id: 'lena', name: 'Lena Hartmann', email: 'lena@example.com' },
      ],
      managers: [{ id: 'katrin', name: 'Katrin Vogel', email: 'katrin@example.com' }],
    },
  });
  const HANDOFF = '2026-11-30T08:00:00.000Z';
  const LATER = '2026-11-30T12:00:00.000Z';
  const ISSUED_S = Date.parse('2026-11-30T09:00:00.000Z') / 1000;
  const jonas = handedOff(HANDOFF, 'jonas');
  const bound = (over: Partial<ActionPayload> = {}): ActionPayload => ({
    ...PAYLOAD,
    leadId: jonas.leadId,
    cycle: 1,
    exp: ISSUED_S + ACTION_LINK_TTL_SECONDS,
    handover: { ownerId: 'jonas', since: Date.parse(HANDOFF) },
    ...over,
  });
  const { handover: _none, ...legacyBase } = bound();
  /** a link without handover claims, issued at `issuedAt` (exp = issue + the TTL all such links had) */
  const legacy = (issuedAt: string): ActionPayload => ({
    ...legacyBase,
    exp: Date.parse(issuedAt) / 1000 + ACTION_LINK_TTL_SECONDS,
  });
  const recycledAt = '2026-11-30T11:00:00.000Z';
  const recycled = (rule: string) =>
    leadState({
      stage: 'lead',
      status: 'recycled-not-ready',
      recycledAt,
      timeline: [{ at: recycledAt, kind: 'deal', by: 'rep:jonas', reasons: [{ rule, detail: 'x' }] }],
    });

  // biome-ignore format: one row per case reads as a table
  const CASES: [string, LeadState, ActionPayload, LinkStanding][] = [
    ['the same handover', jonas, bound(), { kind: 'applies' }],
    ["the manager's link in the owner's handover", jonas, bound({ managerId: 'katrin' }), { kind: 'applies' }],
    ['a manager the SLA no longer names', jonas, bound({ managerId: 'dan' }), { kind: 'readerLeft' }],
    ['a rep the SLA no longer names, still the owner', handedOff(HANDOFF, 'mats'), bound({ handover: { ownerId: 'mats', since: Date.parse(HANDOFF) } }), { kind: 'readerLeft' }],
    ['"Not now" (recycle) after a deal was opened', withDeal(jonas, 'quote-presented', LATER), bound({ value: 'not-now' }), { kind: 'dealOpen', dealStageId: 'quote-presented', since: LATER }],
    ['status Unqualified after a deal was opened', withDeal(jonas, 'quote-presented', LATER), bound({ action: 'status', value: 'unqualified' }), { kind: 'dealOpen', dealStageId: 'quote-presented', since: LATER }],
    ['"No answer" after a deal was opened', withDeal(jonas, 'quote-presented', LATER), bound({ value: 'no-answer' }), { kind: 'applies' }],
    ['erased', { ...jonas, erasedAt: LATER }, bound(), { kind: 'erased' }],
    ['another cycle', { ...jonas, cycle: 2 }, bound(), { kind: 'outOfDate' }],
    ['used', { ...jonas, usedActionNonces: [PAYLOAD.nonce] }, bound(), { kind: 'used' }],
    ['reassigned to Lena', { ...jonas, ownerId: 'lena', ownerSince: LATER }, bound(), { kind: 'movedOn', ownerId: 'lena', at: LATER }],
    ["the manager's link after the reassignment", { ...jonas, ownerId: 'lena', ownerSince: LATER }, bound({ managerId: 'katrin' }), { kind: 'movedOn', ownerId: 'lena', at: LATER }],
    ['Lena\'s link after a reassignment back to Jonas', jonas, bound({ handover: { ownerId: 'lena', since: Date.parse(LATER) } }), { kind: 'movedOn', ownerId: 'jonas', at: HANDOFF }],
    ['recycled, qualified again and handed to Jonas again', handedOff(LATER, 'jonas', { recycledAt }), bound(), { kind: 'handedOverAgain', at: LATER }],
    ['recycled by the rep', recycled('contact.outcome.not-now'), bound(), { kind: 'recycled', statusId: 'recycled-not-ready', at: recycledAt }],
    ['recycled by a lost deal', recycled('deals.stage.closed-lost'), bound(), { kind: 'recycled', statusId: 'recycled-not-ready', at: recycledAt, lostStageId: 'closed-lost' }],
    ['recycled, qualified again, not handed off yet', leadState({ stage: 'sql', status: 'new', recycledAt }), bound(), { kind: 'recycled', statusId: 'new', at: recycledAt }],
    ['a customer by a won deal', { ...withDeal(jonas, 'closed-won', LATER), stage: 'customer', status: 'won' }, bound(), { kind: 'customer', dealStageId: 'closed-won', at: LATER }],
    ['disqualified', { ...jonas, status: 'unqualified' }, bound(), { kind: 'disqualified', statusId: 'unqualified' }],
    ['never handed off (a link made before any owner)', leadState({ stage: 'sql', status: 'new' }), legacy('2026-11-30T09:00:00.000Z'), { kind: 'notHandedOff' }],
    ['legacy, made during the current handover', jonas, legacy('2026-11-30T09:00:00.000Z'), { kind: 'applies' }],
    ['legacy, made the second the handover began', jonas, legacy(HANDOFF), { kind: 'applies' }],
    ['legacy, made before a reassignment', { ...jonas, ownerId: 'lena', ownerSince: LATER }, legacy('2026-11-30T09:00:00.000Z'), { kind: 'movedOn', ownerId: 'lena', at: LATER }],
    ['legacy, made in the first handoff, now the second', handedOff(LATER, 'jonas', { recycledAt }), legacy('2026-11-30T09:00:00.000Z'), { kind: 'movedOn', ownerId: 'jonas', at: LATER }],
    ['legacy, recycled since', recycled('contact.outcome.not-now'), legacy('2026-11-30T09:00:00.000Z'), { kind: 'recycled', statusId: 'recycled-not-ready', at: recycledAt }],
  ];

  it.each(CASES)('%s', (_name, lead, payload, expected) => {
    // Act
    const standing = linkStanding(sla, lead, payload);

    // Assert
    expect(standing).toEqual(expected);
  });

  it('a bound link acts only in its own handover, to the millisecond', () => {
    // Arrange: handed to Jonas again 1 ms later (the same second)
    const again = handedOff('2026-11-30T08:00:00.001Z', 'jonas');

    // Act
    const standing = linkStanding(sla, again, bound());

    // Assert
    expect(standing.kind).toBe('handedOverAgain');
  });
});
