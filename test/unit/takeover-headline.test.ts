/**
 * The takeover's headline (ADR 0089): of the reps who had the lead since its handoff, how many made no first
 * touch, and who did, a call logged late included; one computation for "Over to you" and "Still over to you",
 * said in the manager's language.
 */
import { describe, expect, it } from 'vitest';
import { managerTakeoverEmail, takeoverHeadlineText } from '../../lambdas/domain/email-templates.ts';
import type { TakeoverHeadline } from '../../lambdas/domain/handover-cause.ts';
import type { Sla } from '../../lambdas/domain/sla-schema.ts';
import { judgedHeadline, untouchedHeadline } from '../../lambdas/domain/takeover-headline.ts';
import { loadDefaultSla } from '../support/sla.ts';

const base = loadDefaultSla();
/** sla/default.yaml, its emails in English, Arabic and German */
const sla: Sla = { ...base, locales: { ...base.locales, supported: ['en', 'ar', 'de'] } };
const katrin = sla.routing.managers.find((manager) => manager.id === 'katrin')!;
const carla = sla.routing.reps.find((rep) => rep.id === 'carla')!;
const call = (repId?: string) => ({ at: '2026-11-30T17:00:00.000Z', ...(repId ? { repId } : {}) });

/** a handover as the report's walk keeps it: its instant, owner, first-touch deadline, and whether a call touched it */
const kept = (at: string, owner: string, dueAt: string, touched?: true) => ({
  at,
  owner,
  dueAt,
  ...(touched ? { touched } : {}),
});
const JONAS = kept('2026-11-30T08:00:00.000Z', 'jonas', '2026-11-30T12:00:00.000Z');
const MIKE = kept('2026-11-30T16:00:00.000Z', 'mike', '2026-11-30T20:00:00.000Z');
const MATS = kept('2026-12-01T14:00:00.000Z', 'mats', '2026-12-01T16:00:00.000Z');
const LENA = kept('2026-12-01T14:00:00.001Z', 'lena', '2026-12-01T16:00:00.001Z');
const CARLA = kept('2026-12-02T13:00:01.000Z', 'carla', '2026-12-02T17:00:00.000Z');

describe('judgedHeadline: the reps since the handoff as the SLA report judges their handovers (ADR 0089)', () => {
  // biome-ignore format: one row per case reads as a table
  it.each<[string, ReturnType<typeof kept>[], TakeoverHeadline]>([
    ['every deadline passed untouched', [JONAS, MIKE, CARLA], { kind: 'noFirstTouch', reps: 3 }],
    ["a call made in Jonas's handover (whoever logged it, whenever)", [{ ...JONAS, touched: true }, MIKE, CARLA], { kind: 'noFirstTouch', reps: 2, touchedBy: ['jonas'] }],
    ['a rep who held it a millisecond, his deadline ahead, is not counted', [JONAS, MIKE, MATS, LENA, CARLA], { kind: 'noFirstTouch', reps: 4 }],
    ['taken away at its very deadline: not judged, not counted', [JONAS, { ...MIKE, dueAt: MATS.at }, MATS, LENA, CARLA], { kind: 'noFirstTouch', reps: 3 }],
    ['taken away a millisecond after its deadline: counted', [JONAS, MIKE, { ...MATS, dueAt: '2026-12-01T14:00:00.000Z' }, LENA, CARLA], { kind: 'noFirstTouch', reps: 5 }],
    ['taken away early but touched: he did', [JONAS, MIKE, { ...MATS, touched: true }, LENA, CARLA], { kind: 'noFirstTouch', reps: 4, touchedBy: ['mats'] }],
    ['the current handover counts, its deadline ahead or not', [{ ...CARLA, dueAt: '2026-12-09T00:00:00.000Z' }], { kind: 'noFirstTouch', reps: 1 }],
    ['a rep who had it twice is one rep, touched once is touched', [{ ...JONAS, touched: true }, MIKE, { ...CARLA, owner: 'jonas' }], { kind: 'noFirstTouch', reps: 1, touchedBy: ['jonas'] }],
  ])('%s', (_case, handovers, expected) => {
    // Act
    const headline = judgedHeadline(handovers);

    // Assert
    expect(headline).toEqual(expected);
  });
});

describe('untouchedHeadline: who of the reps since the handoff made a first touch', () => {
  // biome-ignore format: one row per case reads as a table
  it.each<[string, string[], { repId?: string }[], TakeoverHeadline]>([
    ['nobody called: all three let it lie (unchanged)', ['jonas', 'mike', 'carla'], [], { kind: 'noFirstTouch', reps: 3 }],
    ['one rep, no call', ['carla'], [], { kind: 'noFirstTouch', reps: 1 }],
    ['a rep who had it twice counts once', ['jonas', 'mike', 'jonas'], [], { kind: 'noFirstTouch', reps: 2 }],
    ["Mike's call, logged after the ladder passed the lead on", ['jonas', 'mike', 'carla'], [call('mike')], { kind: 'noFirstTouch', reps: 2, touchedBy: ['mike'] }],
    ['two calls of his count as one rep who touched it', ['jonas', 'mike', 'carla'], [call('mike'), call('mike')], { kind: 'noFirstTouch', reps: 2, touchedBy: ['mike'] }],
    ['two reps called: named in the order they had the lead', ['jonas', 'mike', 'lena', 'carla'], [call('lena'), call('jonas')], { kind: 'noFirstTouch', reps: 2, touchedBy: ['jonas', 'lena'] }],
    ['the owner now called before it came back to him', ['jonas', 'mike', 'jonas'], [call('jonas')], { kind: 'noFirstTouch', reps: 1, touchedBy: ['jonas'] }],
    ['each called, the owner now before it came back', ['jonas', 'mike', 'jonas'], [call('jonas'), call('mike')], { kind: 'noFirstTouch', reps: 0, touchedBy: ['jonas', 'mike'] }],
    ["a call of a rep who never had the lead is none of theirs", ['jonas', 'mike', 'carla'], [call('lena')], { kind: 'noFirstTouch', reps: 3 }],
    ['an attempt stored without its rep credits nobody', ['jonas', 'mike', 'carla'], [call()], { kind: 'noFirstTouch', reps: 3 }],
  ])('%s', (_case, owners, attempts, expected) => {
    // Act
    const headline = untouchedHeadline(owners, attempts);

    // Assert
    expect(headline).toEqual(expected);
  });
});

describe('the headline as the manager reads it', () => {
  const twoOfThree: TakeoverHeadline = { kind: 'noFirstTouch', reps: 2, touchedBy: ['mike'] };
  const oneOfThree: TakeoverHeadline = { kind: 'noFirstTouch', reps: 1, touchedBy: ['mike', 'jonas'] };
  const noneSince: TakeoverHeadline = { kind: 'noFirstTouch', reps: 0, touchedBy: ['jonas'] };
  const untouched: TakeoverHeadline = { kind: 'noFirstTouch', reps: 3 };
  // biome-ignore format: one row per case reads as a table
  it.each<[string, TakeoverHeadline, string]>([
    ['en', untouched, 'no first touch after 3 reps'],
    ['en', twoOfThree, '2 of 3 reps made no first touch; Mike Okafor did'],
    ['en', oneOfThree, '1 of 3 reps made no first touch; Mike Okafor and Jonas Berger did'],
    ['en', noneSince, 'no first touch since it was last handed over; Jonas Berger had made one'],
    ['de', untouched, 'kein Erstkontakt durch 3 Zuständige'],
    ['de', twoOfThree, 'kein Erstkontakt durch 2 von 3 Zuständigen; Mike Okafor hat ihn kontaktiert'],
    ['de', oneOfThree, 'kein Erstkontakt durch 1 von 3 Zuständigen; Mike Okafor und Jonas Berger haben ihn kontaktiert'],
    ['de', noneSince, 'kein Erstkontakt seit der letzten Übergabe; Jonas Berger hatte ihn zuvor kontaktiert'],
    ['ar', untouched, 'لا تواصل أول بعد 3 مندوبين'],
    ['ar', twoOfThree, 'لا تواصل أول من 2 من أصل 3 مندوبين؛ تواصل معه Mike Okafor'],
    ['ar', oneOfThree, 'لا تواصل أول من 1 من أصل 3 مندوبين؛ تواصل معه Mike Okafor وJonas Berger'],
    ['ar', noneSince, 'لا تواصل أول منذ آخر تسليم؛ تواصل معه Jonas Berger قبل ذلك'],
  ])('%s: %j', (locale, headline, expected) => {
    // Arrange
    const options = {
      manager: { ...katrin, locale },
      owner: carla,
      headline,
      why: { kind: 'ladderDone', reassignments: 2 } as const,
      owners: ['Jonas Berger', 'Mike Okafor', 'Carla Ruiz'],
      actionLinks: [],
      now: new Date('2026-12-01T23:00:00.000Z'),
    };

    // Act
    const takeover = managerTakeoverEmail(sla, { leadId: 'lead_1', fields: {} }, options);
    const reminder = managerTakeoverEmail(sla, { leadId: 'lead_1', fields: {} }, {
      ...options,
      reminder: { since: new Date('2026-12-01T23:00:00.000Z'), recycleAt: new Date('2026-12-14T15:00:00.000Z') },
    });

    // Assert: the same headline in the takeover's subject and the reminder's
    expect(takeover.subject.endsWith(` ${expected}`), takeover.subject).toBe(true);
    expect(reminder.subject.endsWith(` ${expected}`), reminder.subject).toBe(true);
  });

  // biome-ignore format: one row per case reads as a table
  it.each<[string, TakeoverHeadline, string]>([
    ['en', untouched, 'it was reassigned 2 times without a first touch, the most the SLA allows'],
    ['en', twoOfThree, 'it was reassigned 2 times with no first touch logged in time, the most the SLA allows'],
    ['de', untouched, 'er wurde 2-mal ohne Erstkontakt neu zugewiesen'],
    ['de', twoOfThree, 'er wurde 2-mal ohne rechtzeitig erfassten Erstkontakt neu zugewiesen'],
    ['ar', untouched, 'أُعيد إسناده مرتين دون أول تواصل، وهو'],
    ['ar', twoOfThree, 'أُعيد إسناده مرتين دون أول تواصل مسجَّل في موعده، وهو'],
  ])('%s: why it is over to the manager agrees with %j', (locale, headline, expected) => {
    // Act
    const email = managerTakeoverEmail(sla, { leadId: 'lead_1', fields: {} }, {
      manager: { ...katrin, locale },
      owner: carla,
      headline,
      why: { kind: 'ladderDone', reassignments: 2 },
      owners: ['Jonas Berger', 'Mike Okafor', 'Carla Ruiz'],
      actionLinks: [],
      now: new Date('2026-12-01T23:00:00.000Z'),
    });

    // Assert: "without a first touch" only when no rep made one
    expect(email.text).toContain(expected);
  });

  it('LeadPact English for the timeline says the same as the English email', () => {
    // Act
    const text = takeoverHeadlineText(sla, { kind: 'noFirstTouch', reps: 2, touchedBy: ['mike'] });

    // Assert
    expect(text).toBe('2 of 3 reps made no first touch; Mike Okafor did');
  });
});
