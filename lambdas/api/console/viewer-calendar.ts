/** The calendar and zone a console viewer reads dates and times in. */
import { repCalendar, type WorkingCalendar } from '../../domain/business-hours.ts';
import { personZone } from '../../domain/person-zone.ts';
import type { Sla } from '../../domain/sla-schema.ts';
import type { ConsoleSession } from './session.ts';

/**
 * The viewer's working calendar: a rep's own (zone, days, hours, holidays where given), else the company's, read
 * in a manager's own zone where they have one (ADR 0083).
 */
export function calendarOf(sla: Sla, session: Pick<ConsoleSession, 'person'>): WorkingCalendar {
  const { role, id } = session.person;
  const rep = role === 'rep' ? sla.routing.reps.find((r) => r.id === id) : undefined;
  if (rep) return repCalendar(sla, rep);
  const manager = role === 'rep' ? undefined : sla.routing.managers.find((m) => m.id === id);
  return manager ? { ...sla.calendar, timeZone: personZone(sla, manager) } : sla.calendar;
}

/** The viewer's time zone: a rep's or manager's own, else the company calendar's. */
export function zoneOf(sla: Sla, session: Pick<ConsoleSession, 'person'>): string {
  return calendarOf(sla, session).timeZone;
}
