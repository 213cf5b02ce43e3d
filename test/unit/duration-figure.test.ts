/**
 * The one rule for how long a measured duration reads (duration-figure.ts), which the console, the report (CLI
 * text and HTML) and the emails word in their own languages: whole minutes under an hour, hours to a tenth from
 * an hour on.
 */
import { describe, expect, it } from 'vitest';
import { durationFigure, type MeasuredDuration } from '../../lambdas/domain/duration-figure.ts';

describe('durationFigure', () => {
  it.each<[string, MeasuredDuration, number, 'minutes' | 'hours']>([
    ['no time at all', { minutes: 0 }, 0, 'minutes'],
    ['a minute short of an hour', { minutes: 59 }, 59, 'minutes'],
    ['59.4 minutes: whole minutes', { minutes: 59.4 }, 59, 'minutes'],
    ['59.96 minutes: an hour, not "60 min"', { minutes: 59.96 }, 1, 'hours'],
    ['an hour', { minutes: 60 }, 1, 'hours'],
    ['an hour and a half', { minutes: 90 }, 1.5, 'hours'],
    ['63 minutes: hours to a tenth, half up', { minutes: 63 }, 1.1, 'hours'],
    ['a minute short of a day', { minutes: 1439 }, 24, 'hours'],
    ['a quarter of an hour, both known: the minutes', { minutes: 15, hours: 0.3 }, 15, 'minutes'],
    ['from an hour on, both known: the hours given', { minutes: 63, hours: 1 }, 1, 'hours'],
    ['hours to a tenth', { minutes: 152, hours: 2.5333 }, 2.5, 'hours'],
    ['no minutes given (an older report): the hours as they are', { hours: 0.3 }, 0.3, 'hours'],
    ['minutes null: the hours', { minutes: null, hours: 2 }, 2, 'hours'],
  ])('%s', (_case, measured, value, unit) => {
    // Act
    const figure = durationFigure(measured);

    // Assert
    expect(figure).toEqual({ value, unit });
  });

  it.each<[string, MeasuredDuration]>([
    ['nothing given', {}],
    ['both null', { minutes: null, hours: null }],
  ])('%s: no figure', (_case, measured) => {
    // Act
    const figure = durationFigure(measured);

    // Assert
    expect(figure).toBeUndefined();
  });
});
