import type { Sla } from './sla-schema.ts';

/**
 * The zone a rep or manager reads times in: their own `timeZone` in the SLA, else the company calendar's. For
 * display only: a rep's deadlines run on their working calendar (business-hours.ts repCalendar), a manager has
 * none of their own (ADR 0083).
 */
export function personZone(
  sla: Pick<Sla, 'calendar'>,
  person: { readonly timeZone?: string | undefined },
): string {
  return person.timeZone ?? sla.calendar.timeZone;
}
