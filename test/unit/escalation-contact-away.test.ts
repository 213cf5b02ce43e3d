/**
 * A manager out of office hands what they would hear of to their deputy, else to ops, whoever is there
 * (escalation-contact.ts presentAt, docs/sla-reference.md#routing); nobody there: the manager found is told
 * all the same. Dates are the calendar's (Europe/Berlin in sla/default.yaml), inclusive. The SLA check
 * refuses a deputy it does not know and a manager who deputises for themselves.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseDuration } from '../../lambdas/domain/duration.ts';
import { decideDueEmail } from '../../lambdas/domain/email-templates.ts';
import { managerFor, queueManagerFor } from '../../lambdas/domain/escalation-contact.ts';
import { parseSla } from '../../lambdas/domain/sla-file.ts';
import type { Sla } from '../../lambdas/domain/sla-schema.ts';
import { loadDefaultSla } from '../support/sla.ts';

const base = loadDefaultSla();
const JONAS = base.routing.reps.find((rep) => rep.id === 'jonas')!; // managed by katrin; ops is priya
const LEAD = { leadType: 'equipment', fields: { country: 'DE' } };
const MONDAY = new Date('2026-11-30T09:00:00.000Z');

type Away = Readonly<Record<string, { from: string; to: string }>>;
function withManagers(away: Away, deputies: Readonly<Record<string, string>> = {}): Sla {
  return {
    ...base,
    routing: {
      ...base.routing,
      managers: base.routing.managers.map((manager) => ({
        ...manager,
        outOfOffice: away[manager.id] ? [away[manager.id]!] : [],
        ...(deputies[manager.id] ? { deputy: deputies[manager.id] } : {}),
      })),
    },
  };
}
const WEEK = { from: '2026-11-30', to: '2026-12-04' };

describe("a manager out of office: who hears of the owner's lead", () => {
  it.each([
    ['katrin there', {}, {}, 'katrin'],
    ['katrin away, deputy dan there', { katrin: WEEK }, { katrin: 'dan' }, 'dan'],
    ['katrin away, no deputy: ops', { katrin: WEEK }, {}, 'priya'],
    ['katrin and her deputy away: ops', { katrin: WEEK, dan: WEEK }, { katrin: 'dan' }, 'priya'],
    [
      'everyone away: katrin all the same',
      { katrin: WEEK, dan: WEEK, priya: WEEK },
      { katrin: 'dan' },
      'katrin',
    ],
    [
      'katrin away the week after',
      { katrin: { from: '2026-12-07', to: '2026-12-11' } },
      { katrin: 'dan' },
      'katrin',
    ],
  ] as const)('%s: %s', (_, away, deputies, expected) => {
    // Arrange
    const sla = withManagers(away, deputies);

    // Act
    const contact = managerFor(sla, JONAS, LEAD, MONDAY);

    // Assert
    expect(contact.manager?.id).toBe(expected);
    if (expected !== 'katrin')
      expect(contact.reasons.map((reason) => reason.detail)).toContain(
        'Katrin Vogel is out of office 2026-11-30 to 2026-12-04',
      );
  });

  it('reads the date in the calendar time zone: 23:30 UTC on 29 Nov is 30 Nov in Berlin', () => {
    // Arrange
    const sla = withManagers({ katrin: WEEK }, { katrin: 'dan' });

    // Act
    const late = managerFor(sla, JONAS, LEAD, new Date('2026-11-29T23:30:00.000Z'));
    const early = managerFor(sla, JONAS, LEAD, new Date('2026-11-29T22:30:00.000Z'));

    // Assert
    expect(late.manager?.id).toBe('dan');
    expect(early.manager?.id).toBe('katrin');
  });

  it('the queue manager out of office hands a lead nobody can take to their deputy', () => {
    // Arrange: the lead's queue's manager (or ops when it names none), away
    const found = queueManagerFor(base, LEAD, undefined).manager!;
    const deputy = base.routing.managers.find((manager) => manager.id !== found.id)!;
    const sla = withManagers({ [found.id]: WEEK }, { [found.id]: deputy.id });

    // Act
    const contact = queueManagerFor(sla, LEAD, undefined, MONDAY);

    // Assert
    expect(contact.manager?.id).toBe(deputy.id);
  });
});

describe('routing.managers[].deputy in the SLA check', () => {
  const text = readFileSync(new URL('../../sla/default.yaml', import.meta.url), 'utf8');
  const KATRIN_LINE = '- { id: katrin, name: Katrin Vogel, email: katrin.vogel@kessler-industrial.example }';

  it.each([
    ['a manager the SLA does not have', 'nobody', /nobody/],
    ['themselves', 'katrin', /own deputy/],
  ])('a deputy who is %s: refused, naming the field', (_, deputy, message) => {
    // Arrange
    expect(text).toContain(KATRIN_LINE);
    const changed = text.replace(KATRIN_LINE, `${KATRIN_LINE.slice(0, -2)}, deputy: ${deputy} }`);

    // Act
    const result = parseSla(changed);

    // Assert
    expect(result.ok).toBe(false);
    const errors = result.ok ? [] : result.errors;
    const error = errors.find((one) => one.path === 'routing.managers[0].deputy');
    expect(error?.message, JSON.stringify(errors)).toMatch(message);
  });

  it('a deputy the SLA has: accepted', () => {
    // Act
    const result = parseSla(text.replace(KATRIN_LINE, `${KATRIN_LINE.slice(0, -2)}, deputy: dan }`));

    // Assert
    expect(result.ok).toBe(true);
  });
});

describe("the owner's 'no deal yet' reminder names who gets its copy as what they are", () => {
  const KATRIN = base.routing.managers.find((manager) => manager.id === 'katrin')!;
  const DAN = base.routing.managers.find((manager) => manager.id === 'dan')!;
  const connectedAt = new Date('2026-11-20T09:00:00.000Z');
  const reminder = (copied: typeof KATRIN) =>
    decideDueEmail(
      base,
      { leadId: 'lead-1', fields: { firstName: 'Petra', company: 'Rheinwerk' } },
      {
        rep: JONAS,
        copied,
        connectedAt,
        since: connectedAt,
        n: 2,
        within: parseDuration('5bd')!,
        actionLinks: [],
        now: MONDAY,
      },
    );

  it.each([
    ['his manager Katrin', () => KATRIN, 'Katrin Vogel, your manager, gets a copy'],
    ["Katrin's deputy Dan, while she is away", () => DAN, 'Dan Whitaker gets a copy'],
  ] as const)('copied to %s', (_, copied, says) => {
    // Act
    const email = reminder(copied());

    // Assert
    expect(email.text).toContain(says);
    if (copied() !== KATRIN) expect(email.text).not.toContain('your manager');
  });
});
