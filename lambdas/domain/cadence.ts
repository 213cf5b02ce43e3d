/**
 * Contact cadence (GLOSSARY term 10): when each contact attempt is due. Step n is due its
 * `delay` after the previous attempt (step 1: after the handoff), in the owner's calendar, so
 * a late attempt pushes the rest of the cadence back instead of piling steps up.
 */
import { addDuration, type WorkingCalendar } from './business-hours.ts';
import type { Reason } from './lead.ts';
import { CHANNELS } from './sla-constants.ts';
import type { Cadence, Sla } from './sla-schema.ts';

export type Channel = Cadence['steps'][number]['channel'];

/** `value` as a cadence step's channel; undefined for any other text (a stored email's, say). */
export function asChannel(value: string): Channel | undefined {
  return (CHANNELS as readonly string[]).includes(value) ? (value as Channel) : undefined;
}

export interface CadenceStepDue {
  /** 1-based */
  readonly step: number;
  readonly of: number;
  readonly dueAt: Date;
  readonly channel: Channel;
  readonly note?: string;
  /** the note in other languages (steps[].notes) */
  readonly notes?: Readonly<Record<string, string>>;
  readonly reasons: Reason[];
}

export interface CadenceExhausted {
  readonly exhausted: true;
  readonly reasons: Reason[];
}

export interface CadenceProgress {
  readonly handoffAt: Date;
  /** this handoff cycle's attempts, in any order */
  readonly attempts: readonly { readonly at: Date }[];
}

/**
 * The cadence for a lead type: the type's `overrides.cadence`, else `contact.defaultCadence`.
 * An unknown lead type id (e.g. one dropped from a newer SLA) gets the default; an unknown
 * cadence id throws, since reference validation rejects such a file.
 */
export function cadenceFor(sla: Sla, leadTypeId?: string): Cadence {
  const override = sla.leadTypes.find((type) => type.id === leadTypeId)?.overrides.cadence;
  const id = override ?? sla.contact.defaultCadence;
  const cadence = sla.contact.cadences.find((c) => c.id === id);
  if (!cadence) throw new Error(`the SLA has no cadence "${id}"`);
  return cadence;
}

/**
 * How the first touch is to be made: the channel of step 1 of the lead type's cadence. The emails that ask for the
 * first touch (the new SQL, the overdue reminder, the escalation) sign it into their outcome links, as a reminder
 * signs its step's. Undefined for a call or a text to a lead who gave no phone, and for a cadence without steps
 * (which the schema refuses).
 */
export function firstTouchChannel(
  sla: Sla,
  lead: { readonly leadType?: string; readonly hasPhone: boolean },
): Channel | undefined {
  return channelTheRepCanUse(cadenceFor(sla, lead.leadType).steps[0]?.channel, lead.hasPhone);
}

/**
 * A cadence step's channel as an attempt logged from its email's links records it: a call or a text needs a
 * number, so for a lead who gave none (written to: "No phone given: write to ...") the links name no channel
 * rather than a call the rep cannot make (verification trials: the first touch, then the later phone steps).
 */
export function channelTheRepCanUse(channel: Channel | undefined, hasPhone: boolean): Channel | undefined {
  return channel && needsANumber(channel) && !hasPhone ? undefined : channel;
}

/** Whether a rep needs the lead's phone number to use the channel: a call or a text. */
export function needsANumber(channel: Channel): boolean {
  return NEEDS_A_NUMBER.has(channel);
}

const NEEDS_A_NUMBER: ReadonlySet<Channel> = new Set<Channel>(['phone', 'sms']);

/**
 * The next step to attempt, or exhausted when every step has an attempt. Attempts are counted,
 * not matched to steps: k attempts mean steps 1..k are done. The step is due its delay after
 * the latest attempt (step 1: after `handoffAt`).
 */
export function nextStepDue(
  cal: WorkingCalendar,
  cadence: Cadence,
  progress: CadenceProgress,
): CadenceStepDue | CadenceExhausted {
  const done = progress.attempts.length;
  const of = cadence.steps.length;
  const step = cadence.steps[done];
  if (!step) {
    return {
      exhausted: true,
      reasons: [
        {
          rule: `cadence.${cadence.id}`,
          detail: `all ${of} steps of cadence "${cadence.name}" attempted (${done} attempts)`,
        },
      ],
    };
  }
  const latest = progress.attempts.reduce<Date | undefined>(
    (max, attempt) => (max === undefined || attempt.at > max ? attempt.at : max),
    undefined,
  );
  return stepDue(cal, cadence, done, latest ?? progress.handoffAt, latest ? 'the last attempt' : 'handoff');
}

/** The whole schedule if every attempt is made exactly when due. */
export function plannedDueTimes(cal: WorkingCalendar, cadence: Cadence, handoffAt: Date): CadenceStepDue[] {
  const planned: CadenceStepDue[] = [];
  let previous = handoffAt;
  for (let index = 0; index < cadence.steps.length; index++) {
    const due = stepDue(cal, cadence, index, previous, index === 0 ? 'handoff' : 'the previous step');
    planned.push(due);
    previous = due.dueAt;
  }
  return planned;
}

function stepDue(
  cal: WorkingCalendar,
  cadence: Cadence,
  index: number,
  from: Date,
  fromWhat: string,
): CadenceStepDue {
  const step = cadence.steps[index]!;
  const dueAt = addDuration(cal, from, step.delay);
  const of = cadence.steps.length;
  return {
    step: index + 1,
    of,
    dueAt,
    channel: step.channel,
    ...(step.note !== undefined ? { note: step.note } : {}),
    ...(step.notes !== undefined ? { notes: step.notes } : {}),
    reasons: [
      {
        rule: `cadence.${cadence.id}.step-${index + 1}`,
        detail:
          `step ${index + 1} of ${of} (${step.channel}) due ${step.delay.text} after ${fromWhat} ` +
          `(${from.toISOString()}): ${dueAt.toISOString()}`,
      },
    ],
  };
}
