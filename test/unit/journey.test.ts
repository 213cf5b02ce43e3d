import { describe, expect, it } from 'vitest';
import { journeyStage } from '../../lambdas/domain/journey.ts';
import type { EngagementEvent } from '../../lambdas/domain/lead.ts';
import { makeSla } from '../support/sla.ts';

const AT = new Date('2024-06-30T12:00:00.000Z');
const DAY = 86_400_000;
const ev = (type: string, daysAgo = 0, contentTags?: string[]): EngagementEvent => ({
  type,
  occurredAt: new Date(AT.getTime() - daysAgo * DAY).toISOString(),
  ...(contentTags ? { contentTags } : {}),
});

const sla = makeSla({
  journey: {
    signals: [
      { stage: 'awareness', events: ['page_view'], contentTags: ['blog'] },
      {
        stage: 'consideration',
        events: ['webinar_attended', 'content_download'],
        contentTags: ['case-study', 'pricing'],
      },
      { stage: 'decision', events: ['demo_request'], contentTags: ['trial'] },
    ],
  },
});

describe('journeyStage', () => {
  it.each<[string, string, EngagementEvent[]]>([
    ['no events: the first stage', 'awareness', []],
    ['an awareness signal', 'awareness', [ev('page_view')]],
    ['an event type', 'consideration', [ev('page_view', 2), ev('webinar_attended', 1)]],
    ['a content tag, any case', 'consideration', [ev('page_view', 0, ['Pricing'])]],
    [
      'the furthest stage, whatever came after',
      'decision',
      [ev('demo_request', 5), ev('page_view', 0, ['blog'])],
    ],
    ['a tag can signal further than the event type', 'decision', [ev('content_download', 0, ['trial'])]],
    ['events after `at` are ignored', 'awareness', [ev('demo_request', -1)]],
    ['an event exactly at `at` counts', 'decision', [ev('demo_request', 0)]],
    [
      'unsignalled events: the first stage',
      'awareness',
      [ev('email_open'), ev('email_click', 0, ['newsletter'])],
    ],
  ])('%s -> %s', (_name, expected, events) => {
    // Act
    const { stage, reasons } = journeyStage(sla, events, AT);
    // Assert
    expect(stage).toBe(expected);
    expect(reasons).toHaveLength(1);
    expect(reasons[0]!.rule).toBe(`journey.${expected}`);
  });

  it('names the event that signalled the stage', () => {
    // Act
    const { reasons } = journeyStage(
      sla,
      [ev('page_view', 3), ev('content_download', 2, ['case-study'])],
      AT,
    );
    // Assert
    expect(reasons).toEqual([
      {
        rule: 'journey.consideration',
        detail: 'event content_download at 2024-06-28T12:00:00.000Z signals consideration',
      },
    ]);
  });

  it('names the content tag when the tag signalled further than the type', () => {
    // Act
    const { reasons } = journeyStage(sla, [ev('page_view', 1, ['Trial'])], AT);
    // Assert
    expect(reasons[0]!.detail).toBe(
      'content tag "Trial" on page_view at 2024-06-29T12:00:00.000Z signals decision',
    );
  });

  it('defaults to the first of custom stages', () => {
    // Arrange
    const custom = makeSla({ journey: { stages: ['learn', 'evaluate', 'buy'] } });
    // Act
    const result = journeyStage(custom, [ev('demo_request')], AT);
    // Assert
    expect(result).toEqual({
      stage: 'learn',
      reasons: [{ rule: 'journey.learn', detail: 'no journey signal yet: first stage' }],
    });
  });
});
