/**
 * Which attempt the lead's story tells of that a console attempt repeats, among those the console did not read
 * before its write (domain/same-call.ts sameCallInStory, ADR 0074 amended): another tab's post logged in the same
 * instant. The story tells an attempt's id, outcome, channel and time, not its note.
 */
import { describe, expect, it } from 'vitest';
import type { TimelineEntry } from '../../lambdas/domain/lead-state.ts';
import { type CallToLog, channelAskedAbout, sameCallInStory } from '../../lambdas/domain/same-call.ts';

const NOW = new Date('2026-12-03T14:30:00.000Z');
const CALL: CallToLog = { outcomeId: 'no-answer', channel: 'email', note: 'No reply yet' };

const entry = (
  data: Record<string, string>,
  at = '2026-12-03T14:29:59.990Z',
  outcome = 'no-answer',
): TimelineEntry => ({
  at,
  kind: 'attempt',
  from: 'sql/attempting-contact',
  to: 'sql/attempting-contact',
  by: 'rep:jonas',
  reasons: [{ rule: `contact.outcome.${outcome}`, detail: 'No answer: on to the next cadence step' }],
  data,
});

describe('sameCallInStory', () => {
  it.each([
    {
      case: 'the same outcome and channel, logged by another tab',
      story: entry({ attemptId: 'tab-2', channel: 'email' }),
      asked: 'tab-2',
    },
    {
      case: 'an attempt the console read before its write',
      story: entry({ attemptId: 'seen-1', channel: 'email' }),
      asked: undefined,
    },
    { case: 'another channel', story: entry({ attemptId: 'tab-2', channel: 'phone' }), asked: undefined },
    {
      case: 'another outcome',
      story: entry({ attemptId: 'tab-2', channel: 'email' }, undefined, 'connected'),
      asked: undefined,
    },
    {
      case: 'logged 16 minutes ago',
      story: entry({ attemptId: 'tab-2', channel: 'email' }, '2026-12-03T14:14:00.000Z'),
      asked: undefined,
    },
    {
      case: 'an entry naming no attempt (stored before ids were)',
      story: entry({ channel: 'email' }),
      asked: undefined,
    },
    {
      case: 'a call made an hour ago, logged now (its time, not its logging)',
      story: entry({ attemptId: 'tab-2', channel: 'email', occurredAt: '2026-12-03T13:30:00.000Z' }),
      asked: undefined,
    },
  ])('$case: asked about $asked', ({ story, asked }) => {
    // Act
    const found = sameCallInStory([story], new Set(['seen-1']), CALL, NOW);

    // Assert
    expect(found?.attemptId).toBe(asked);
  });

  it('tells the attempt as the story has it: its outcome, channel and time, no note', () => {
    // Arrange
    const story = entry({ attemptId: 'tab-2', channel: 'email' });

    // Act
    const found = sameCallInStory([story], new Set(), CALL, NOW);

    // Assert
    expect(found).toEqual({ attemptId: 'tab-2', at: story.at, outcomeId: 'no-answer', channel: 'email' });
  });
});

describe('channelAskedAbout: the channel a link\'s "Logged already?" words the attempt by (ADR 0087, amended)', () => {
  it.each([
    { case: 'both the same', link: 'email', logged: { channel: 'email' }, asked: 'email' },
    {
      case: "the manager's link (none), an email logged",
      link: undefined,
      logged: { channel: 'email' },
      asked: 'email',
    },
    {
      case: 'a LinkedIn link, an entry naming no channel (older)',
      link: 'linkedin',
      logged: {},
      asked: 'linkedin',
    },
    {
      case: 'a phone call logged, an SMS link: an attempt',
      link: 'sms',
      logged: { channel: 'phone' },
      asked: undefined,
    },
    { case: 'neither known: an attempt', link: undefined, logged: {}, asked: undefined },
  ])('$case', ({ link, logged, asked }) => {
    // Arrange
    const story = entry({ attemptId: 'a-1', ...(logged as Record<string, string>) });

    // Act
    const channel = channelAskedAbout(link, story);

    // Assert
    expect(channel).toBe(asked);
  });
});
