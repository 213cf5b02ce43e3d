/**
 * A deputy in the console (ADR 0048): while Katrin (Jonas's and Lena's manager) is out of office, Dan, her
 * deputy, reaches her team's leads, as the emails he gets in her place name them; before and after her
 * absence he does not. Over real HTTP with a signed-in session; the viewer's reach by the calendar's date.
 */
import { describe, expect, it } from 'vitest';
import type { HttpEvent } from '../../lambdas/api/http.ts';
import { viewerFor, viewerOf } from '../../lambdas/api/viewer.ts';
import type { Sla } from '../../lambdas/domain/sla-schema.ts';
import { consoleFetch, signIn } from '../support/console.ts';
import { SQL_LEAD, useLocalApi } from '../support/local-api.ts';
import { managerAway } from '../support/sla.ts';

const DAN = 'dan.whitaker@kessler-industrial.example';

const katrinAway = (from: string, to: string): Sla => managerAway('katrin', { from, to }, 'dan');

describe("a deputy's reach", () => {
  const sla = katrinAway('2026-11-30', '2026-12-04');

  it.each([
    ['the day before her absence', '2026-11-29T12:00:00.000Z', false],
    ['her first day away', '2026-11-30T09:00:00.000Z', true],
    ['her last day away, late evening Berlin', '2026-12-04T22:30:00.000Z', true],
    ['the day she is back', '2026-12-05T09:00:00.000Z', false],
  ])("Dan on %s (%s): Katrin's team in reach: %s", (_, at, reaches) => {
    // Act
    const viewer = viewerFor(sla, 'manager', 'dan', new Date(at));

    // Assert
    expect(viewer.owners).toEqual(expect.arrayContaining(['mike', 'carla']));
    expect(viewer.owners?.includes('jonas')).toBe(reaches);
    expect(viewer.owners?.includes('lena')).toBe(reaches);
  });
});

describe("a deputy's reach through the API (a person's principal, e.g. a JWT subject)", () => {
  it.each([
    ['while Katrin is away', '2026-12-01T09:00:00.000Z', true],
    ['once she is back', '2026-12-07T09:00:00.000Z', false],
  ])('manager:dan %s: Jonas in reach is %s', (_, at, reaches) => {
    // Arrange
    const sla = katrinAway('2026-11-30', '2026-12-04');
    const event = { requestContext: { authorizer: { principalId: 'manager:dan' } } } as unknown as HttpEvent;

    // Act
    const viewer = viewerOf(sla, event, new Date(at));

    // Assert
    expect(viewer.owners?.includes('jonas')).toBe(reaches);
  });
});

describe('a deputy in the console', () => {
  const api = useLocalApi({ sla: katrinAway('2026-11-30', '2026-12-04') });

  it("opens Jonas's lead while Katrin is away, and not once she is back", async () => {
    // Arrange: the hot SQL, handed to Jonas (Katrin's team)
    const leadId = await api.createLead({ email: api.uniqueEmail('deputy'), ...SQL_LEAD });
    await api.handOff(leadId);
    expect((await api.runtime.deps.store.getLead(leadId))?.ownerId).toBe('jonas');

    // Act: signed in on Mon 30 Nov (Katrin away), then again on Mon 7 Dec (back)
    api.clock.set(new Date('2026-11-30T09:00:00.000Z'));
    const during = await consoleFetch(api.runtime, 'GET', `/console/leads/${leadId}`, {
      cookie: await signIn(api.runtime, DAN),
    });
    api.clock.set(new Date('2026-12-07T09:00:00.000Z'));
    const after = await consoleFetch(api.runtime, 'GET', `/console/leads/${leadId}`, {
      cookie: await signIn(api.runtime, DAN),
    });

    // Assert
    expect(during.status).toBe(200);
    expect(after.status).toBe(404);
  });
});
