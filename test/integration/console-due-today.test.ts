/**
 * The overview's "Due today, per rep" (issue 11 item 5) is paged, not capped: the first leads per rep
 * and a link to all of them (the lead list's `due=today` filter, paged with its cursor). A lead whose
 * next step falls due on another day is not listed.
 */
import { describe, expect, it } from 'vitest';
import { consoleFetch, signIn, textOf } from '../support/console.ts';
import { SQL_LEAD, T0, useLocalApi } from '../support/local-api.ts';

const api = useLocalApi();
const DAN = 'dan.whitaker@kessler-industrial.example'; // manager of Carla and Mike
const HOUR = 3_600_000;

async function mikeLead(label: string): Promise<string> {
  const leadId = await api.createLead({
    email: api.uniqueEmail(label),
    firstName: 'Due',
    lastName: label,
    company: `${label} AG`,
    ...SQL_LEAD,
  });
  await api.handOff(leadId, 'mike');
  return leadId;
}

describe('due today, per rep', () => {
  it('shows the first 10 of 12 with a link to all 12, and not the lead due on Monday', async () => {
    // handed over on Saturday: its first touch is due on Monday, in any rep's working hours
    api.clock.set(new Date(T0.getTime() + 24 * HOUR));
    await mikeLead('Monday');
    api.clock.set(T0);
    for (let i = 1; i <= 12; i++) await mikeLead(`Today${String(i).padStart(2, '0')}`);
    const cookie = await signIn(api.runtime, DAN);

    const overview = textOf((await consoleFetch(api.runtime, 'GET', '/console', { cookie })).text);
    expect(overview).toContain('Mike');
    expect(overview).toMatch(/: the first 10 due/);
    expect(overview).toContain('All leads due today for');
    expect(overview).not.toContain('Due Monday');

    const all = await consoleFetch(api.runtime, 'GET', '/console/leads?owner=mike&due=today', { cookie });
    expect(all.status).toBe(200);
    const listed = textOf(all.text).match(/Due Today\d\d/g) ?? [];
    expect(new Set(listed).size).toBe(12);
    expect(textOf(all.text)).not.toContain('Due Monday');
    // without the filter, Monday's lead is in Mike's list
    const mine = textOf(
      (await consoleFetch(api.runtime, 'GET', '/console/leads?owner=mike', { cookie })).text,
    );
    expect(mine).toContain('Due Monday');
  });

  it('due accepts only "today", naming the filter as the list labels it', async () => {
    const cookie = await signIn(api.runtime, DAN).catch(async () => {
      api.clock.set(new Date(T0.getTime() + 2 * 60_000));
      return signIn(api.runtime, DAN);
    });
    const answer = await consoleFetch(api.runtime, 'GET', '/console/leads?due=tomorrow', { cookie });
    expect(answer.status).toBe(400);
    expect(textOf(answer.text)).toContain('Next step due today only : today, or leave it out');
  });
});

describe('overdue first touches on the overview', () => {
  it('shows the first 25 and links to all of them', async () => {
    // Arrange: 26 of Mike's leads handed over at T0 (Friday 04:00 in Chicago), none touched; Monday
    // evening every first-touch deadline has passed
    api.clock.set(T0);
    for (let i = 1; i <= 26; i++) await mikeLead(`Late${String(i).padStart(2, '0')}`);
    api.clock.set(new Date(T0.getTime() + 80 * HOUR));
    const cookie = await signIn(api.runtime, DAN);

    // Act
    const overview = textOf((await consoleFetch(api.runtime, 'GET', '/console', { cookie })).text);

    // Assert
    const section = overview.slice(
      overview.indexOf('Overdue first touches'),
      overview.indexOf('Due today, per rep'),
    );
    // (with the 13 leads of the tests above, 39 are overdue)
    expect(new Set(section.match(/Due (Late\d\d|Today\d\d|Monday)/g)).size).toBe(25);
    expect(section).toContain('All overdue first touches');
    // said in words, so a manager does not take the 25 for all of them (a 23,000-lead trial: 872 overdue)
    expect(section).toContain('The first 25 are shown; there are more.');
  });
});
