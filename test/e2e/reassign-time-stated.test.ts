/**
 * The time a rep reads is the time the workflow reassigns (a rep's trial, on a phone: the overdue reminder and the
 * escalations said the lead "then reassigns if it stays untouched", never when). The whole local runtime with
 * sla/default.yaml on its manual clock: the hot lead nobody touches climbs the ladder of Jonas (Berlin), then of
 * Mike and Carla (Chicago). Every email of an owner's ladder that warns of the reassignment (the owner's reminder,
 * the manager's escalation and the owner's copy) states the instant of that reassignment's entry on the lead's
 * timeline, in its reader's zone (the owner's; the manager's own, else the calendar's: ADR 0083); after maxReassignments (2) the queue's manager takes over, and Carla's emails say nothing of a
 * reassignment.
 */
import { describe, expect, it } from 'vitest';
import { formatFullTime } from '../../lambdas/domain/email-templates.ts';
import type { Sla } from '../../lambdas/domain/sla-schema.ts';
import { exampleLead, type Mail } from '../support/e2e.ts';
import { loadDefaultSla } from '../support/sla.ts';
import { useRuntime } from '../support/use-runtime.ts';

/** each owner's zone, and their manager's: Katrin reads the calendar's (Berlin), Dan his own (Chicago) */
const OWNERS = {
  jonas: {
    name: 'Jonas Berger',
    email: 'jonas.berger@kessler-industrial.example',
    zone: 'Europe/Berlin',
    managerZone: 'Europe/Berlin',
  },
  mike: {
    name: 'Mike Okafor',
    email: 'mike.okafor@kessler-industrial.example',
    zone: 'America/Chicago',
    managerZone: 'America/Chicago',
  },
  carla: {
    name: 'Carla Ruiz',
    email: 'carla.ruiz@kessler-industrial.example',
    zone: 'America/Chicago',
    managerZone: 'America/Chicago',
  },
} as const;
type Owner = (typeof OWNERS)[keyof typeof OWNERS];

/** the zone abbreviations of the default SLA's reps in winter, as UTC offsets */
const OFFSETS: Readonly<Record<string, string>> = { CET: '+0100', CST: '-0600' };

/** "... reassigned to the next rep at Mon 30 Nov 2026, 17:00 CET ..." read back as an instant; undefined: none said */
function statedReassignment(mail: Mail): string | undefined {
  const said = /reassigned to the next rep at \w{3} (\d{1,2}) (\w{3}) (\d{4}), (\d\d:\d\d) ([A-Z]{3})\b/.exec(
    mail.text,
  );
  if (!said) return undefined;
  const [, day, month, year, time, zone] = said;
  return new Date(Date.parse(`${day} ${month} ${year} ${time} ${OFFSETS[zone!]}`)).toISOString();
}

describe('an SQL nobody touches: the reassignment time its emails state', () => {
  const e = useRuntime();

  it("each owner's reminder and escalations state the instant the workflow reassigns; after the last reassignment none is stated", async () => {
    // Arrange: the hot lead, handed to Jonas on Mon 30 Nov 09:00 Berlin
    const hot = exampleLead('hot');
    const leadId = e().leadIdOf(String(hot.email));
    await e().postLead(hot);
    await e().settle();

    // Act: through Carla's ladder, to the queue manager's takeover (Tue 1 Dec 17:00 Chicago)
    await e().advanceTo('2026-12-02T00:00:00.000Z');
    const { timeline } = await e().readLead(leadId);
    const mails = await e().mailsAbout(String(hot.email), 'Petra Schneider');

    // Assert: Jonas to Mike, Mike to Carla, each at the time its owner's three warnings state
    const ladderOf = (owner: Owner) =>
      mails.filter(
        (mail) =>
          (mail.subject.startsWith('Due now:') && mail.to.includes(owner.email)) ||
          (mail.subject.startsWith('Escalation:') && mail.subject.includes(`- ${owner.name},`)),
      );
    const reassignments = timeline.filter((entry) => entry.kind === 'owner' && entry.from !== undefined);
    expect(reassignments.map(({ from, to }) => `${from} -> ${to}`)).toEqual([
      'jonas -> mike',
      'mike -> carla',
    ]);
    for (const { from, at } of reassignments) {
      const warnings = ladderOf(OWNERS[from as keyof typeof OWNERS]);
      // the reminder, the manager's escalation, the owner's copy
      expect(warnings.map((mail) => mail.subject.split(':')[0])).toEqual([
        'Due now',
        'Escalation',
        'Escalation',
      ]);
      expect(warnings.map(statedReassignment), `${from}'s ladder`).toEqual([at, at, at]);
    }
    const last = ladderOf(OWNERS.carla);
    expect(last).toHaveLength(3);
    for (const mail of last) expect(mail.text).not.toMatch(/reassign/i);
    // the manager's "Over to you", and the owner's own copy, "Over to <manager>"
    expect(mails.filter((mail) => mail.subject.startsWith('Over to '))).toHaveLength(2);
  }, 60_000);
});

/** sla/default.yaml with every rep and manager reading Arabic */
function arabicTeam(): Sla {
  const sla = loadDefaultSla();
  return {
    ...sla,
    routing: {
      ...sla.routing,
      reps: sla.routing.reps.map((rep) => ({ ...rep, locale: 'ar' })),
      managers: sla.routing.managers.map((manager) => ({ ...manager, locale: 'ar' })),
    },
  };
}

describe('the same, to an Arabic-speaking team', () => {
  const e = useRuntime({ sla: arabicTeam() });

  it("each owner's warnings state the reassignment's instant in Arabic, in the reader's zone", async () => {
    // Arrange
    const hot = exampleLead('hot');
    const leadId = e().leadIdOf(String(hot.email));
    await e().postLead(hot);
    await e().settle();

    // Act
    await e().advanceTo('2026-12-02T00:00:00.000Z');
    const { timeline } = await e().readLead(leadId);
    const mails = await e().mailsAbout(String(hot.email), 'Petra Schneider');

    // Assert: "يُعاد إسناد العميل إلى المندوب التالي في <the instant, in Arabic, in the reader's zone>"
    const ladderOf = (owner: Owner) =>
      mails.filter(
        (mail) =>
          (mail.subject.startsWith('مستحق الآن:') && mail.to.includes(owner.email)) ||
          (mail.subject.startsWith('تصعيد:') && mail.subject.includes(`- ${owner.name}،`)),
      );
    const reassignments = timeline.filter((entry) => entry.kind === 'owner' && entry.from !== undefined);
    expect(reassignments.map(({ from, to }) => `${from} -> ${to}`)).toEqual([
      'jonas -> mike',
      'mike -> carla',
    ]);
    for (const { from, at } of reassignments) {
      const owner = OWNERS[from as keyof typeof OWNERS];
      // the owner's mails in the owner's zone; the manager's escalation in the manager's
      const stated = (mail: Mail) =>
        `إلى المندوب التالي في ${formatFullTime(new Date(at), mail.to.includes(owner.email) ? owner.zone : owner.managerZone, 'ar')}`;
      const warnings = ladderOf(owner);
      expect(warnings, `${from}'s ladder`).toHaveLength(3);
      for (const mail of warnings) expect(mail.text, mail.subject).toContain(stated(mail));
    }
    const last = ladderOf(OWNERS.carla);
    expect(last).toHaveLength(3);
    for (const mail of last) expect(mail.text).not.toContain('إسناد');
  }, 60_000);
});
