import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseDuration } from '../../lambdas/domain/duration.ts';
import { parseSla } from '../../lambdas/domain/sla-file.ts';
import { slaJsonSchema } from '../../lambdas/domain/sla-json-schema.ts';

const fixture = (name: string) => readFileSync(`test/fixtures/sla/${name}`, 'utf8');
const errorsOf = (text: string) => {
  const result = parseSla(text);
  if (result.ok) throw new Error('expected the SLA to be rejected');
  return result.errors.map((e) => `${e.line}:${e.column} ${e.path} | ${e.message}`);
};

describe('parseSla', () => {
  it('accepts the worked example and fills defaults', () => {
    // Act
    const result = parseSla(readFileSync('sla/default.yaml', 'utf8'));

    // Assert
    if (!result.ok) throw new Error(JSON.stringify(result.errors, null, 2));
    expect(result.sla.version).toBe('2026.11-kessler-1');
    expect(result.sla.routing.reps).toHaveLength(6);
    expect(
      new Set(result.sla.routing.reps.map((rep) => rep.timeZone ?? result.sla.calendar.timeZone)),
    ).toEqual(new Set(['Europe/Berlin', 'America/Chicago']));
    expect(result.sla.routing.queues).toHaveLength(2);
    expect(result.sla.personas).toHaveLength(3);
    expect(result.sla.handoff.firstTouchWithin).toMatchObject({ amount: 4, unit: 'hours', business: true });
    expect(result.sla.lifecycle.names.mql).toBe('Marketing qualified lead');
  });

  it('accepts a minimal file: a version and one rep', () => {
    const result = parseSla(
      'version: "1"\nrouting:\n  reps:\n    - { id: ann, name: Ann, email: ann@example.com }\n',
    );

    expect(result.ok).toBe(true);
    if (result.ok) {
      expect(result.sla.contact.cadences[0]!.steps).toHaveLength(6);
      expect(result.sla.deals.lostCoolOff).toMatchObject({ amount: 90, unit: 'days', business: false });
    }
  });

  it('takes YAML anchors kept under a top-level x- key and merged with <<', () => {
    const text =
      'version: "1"\nx-berlin: &berlin { timeZone: Europe/Berlin, capacity: 30 }\nrouting:\n  reps:\n' +
      '    - { <<: *berlin, id: ann, name: Ann, email: a@b.co }\n    - { <<: *berlin, id: bo, name: Bo, email: b@b.co, timeZone: Europe/Vienna }\n';

    const result = parseSla(text);

    expect(result.ok, JSON.stringify(result)).toBe(true);
    if (result.ok)
      expect(result.sla.routing.reps.map((rep) => [rep.id, rep.timeZone])).toEqual([
        ['ann', 'Europe/Berlin'],
        ['bo', 'Europe/Vienna'],
      ]);
  });

  it('reports a YAML syntax error with its line and column, not a stack trace', () => {
    expect(errorsOf(fixture('yaml-syntax.yaml'))).toEqual([
      '5:1  | YAML: Flow map in block collection must be sufficiently indented and end with a }',
    ]);
  });

  it('reports every type error at once with its path and position', () => {
    expect(errorsOf(fixture('wrong-types.yaml'))).toEqual([
      '3:13 calendar.timeZone | not an IANA time zone name (e.g. "Europe/Berlin", "America/Chicago")',
      '4:40 calendar.workingHours.end | working hours must end after they start',
      '6:22 scoring.thresholds.mql | the MQL threshold must be below the SQL threshold',
      '7:22 scoring.decay.halfLife | "4 fortnights" is not a duration such as "30m", "4h", "2d", "1w", "4bh" or "2 business days"',
      '10:44 deals.stages[0].probability | Too big: expected number to be <=100',
      '15:36 routing.reps[0].email | Invalid email address',
      '15:50 routing.reps[0].colour | unknown key "colour"',
    ]);
  });

  it('reports every dangling reference at once', () => {
    expect(errorsOf(fixture('dangling-references.yaml'))).toEqual([
      '6:25 leadTypes[0].overrides.queue | unknown queue "helpdesk" (known: sales)',
      '6:44 leadTypes[0].overrides.cadence | unknown cadence "rapid" (known: standard)',
      '11:62 routing.reps[0].manager | unknown manager "mario" (known: maria)',
      '12:66 routing.reps[1].workingDays | rep "bob" has no working days',
      '14:45 routing.queues[0].reps[1] | unknown rep "carl" (known: ann, bob)',
      '17:55 nurture.templates[0].text | unknown template variable {{couponCode}} (known: firstName, lastName, company, jobTitle, persona, journeyStage, unsubscribeUrl, senderName)',
      '21:16 nurture.tracks[0].persona | unknown persona "engineer" (none declared)',
      '24:23 nurture.tracks[0].emails[1].template | unknown template "goodbye" (known: hello)',
    ]);
  });

  const base = 'version: "1"\nrouting:\n  reps:\n    - { id: ann, name: Ann, email: ann@example.com }\n';
  it.each([
    [
      'a missing version',
      'routing:\n  reps:\n    - { id: ann, name: Ann, email: a@b.co }\n',
      'version | required: string',
    ],
    [
      'no reps',
      'version: "1"\nrouting: { reps: [] }\n',
      'routing.reps | Too small: expected array to have >=1 items',
    ],
    ['an unknown top-level key', `${base}colour: blue\n`, 'colour | unknown key "colour"'],
    [
      'a forward "recycle"',
      `${base}lifecycle: { recycle: [{ from: lead, to: sql }] }\n`,
      'lifecycle.recycle[0] | a recycle must move backward, "lead" -> "sql" does not',
    ],
    [
      'two won deal stages',
      `${base}deals: { stages: [{ id: a, name: A, probability: 100, won: true }, { id: b, name: B, probability: 100, won: true }, { id: c, name: C, probability: 0, lost: true }] }\n`,
      'deals.stages | exactly one deal stage must be won: true (found 2)',
    ],
    [
      'a catch-all lead type before others',
      `${base}leadTypes: [{ id: all, name: All }, { id: svc, name: Svc, match: { emailDomains: [x.com] } }]\n`,
      'leadTypes[0] | lead type "all" matches every lead, so the types after it never match',
    ],
    [
      'a status moment left uncovered',
      `${base}leadStatuses: [{ id: new, name: New, setWhen: handoff }]\n`,
      'leadStatuses | no status has setWhen: created',
    ],
    [
      'an account owner fast lane without accounts',
      `${base}leadTypes: [{ id: cust, name: Customer, match: { emailDomains: [x.com] }, overrides: { assignTo: accountOwner } }]\n`,
      'leadTypes[0].overrides.assignTo | assignTo is accountOwner but routing.accounts is empty',
    ],
    [
      'a number where text is expected',
      'version: 2026.11\nrouting:\n  reps:\n    - { id: ann, name: Ann, email: a@b.co }\n',
      'version | expected string, got a number (2026.11; quote it to make it text)',
    ],
    [
      'a time past midnight',
      'version: "1"\nrouting:\n  reps:\n    - { id: ann, name: Ann, email: a@b.co, workingHours: { end: "24:30" } }\n',
      'routing.reps[0].workingHours.end | a 24-hour time "HH:MM" (24:00 for the end of the day)',
    ],
    [
      'a lead type MQL override above the SLA-wide SQL threshold',
      `${base}scoring: { thresholds: { mql: 40, sql: 80 } }\nleadTypes: [{ id: svc, name: Svc, overrides: { thresholds: { mql: 90 } } }]\n`,
      'leadTypes[0].overrides.thresholds | MQL 90 must be below SQL 80 (missing ones come from scoring.thresholds)',
    ],
    [
      'an escalation ladder whose steps go back in time (the reassign would wait for the manager step)',
      `${base}handoff: { escalation: [{ after: 0h, action: remindOwner }, { after: 6bh, action: notifyManager }, { after: 4bh, action: reassign }] }\n`,
      'handoff.escalation[2].after | "4bh" comes before the step above it ("6bh"): the ladder\'s steps are taken in order, so list them from the earliest',
    ],
    [
      'a first touch within 0 (every lead overdue at its handover)',
      `${base}handoff: { firstTouchWithin: 0bh }\n`,
      'handoff.firstTouchWithin | a rep needs some time for the first touch: more than 0',
    ],
    [
      'a first touch so long its deadline is no date (every SQL was handed to nobody)',
      `${base}handoff: { firstTouchWithin: 99999999999h }\n`,
      'handoff.firstTouchWithin | "99999999999h" is longer than 5 years: no SLA term needs that long (at most 1830d)',
    ],
    [
      'business days past 5 years',
      `${base}handoff: { firstTouchWithin: 2000bd }\n`,
      'handoff.firstTouchWithin | "2000bd" is longer than 5 years: no SLA term needs that long (at most 1830d)',
    ],
    [
      'an id in Arabic letters (ids are Latin; names are in any script)',
      'version: "1"\nrouting:\n  reps:\n    - { id: نورة, name: نورة القحطاني, email: a@b.co }\n',
      'routing.reps[0].id | an id: Latin letters (a-z), digits, "-" and "_", starting with a letter or digit; the name people read goes in `name` (or `names`), in any script',
    ],
    [
      'a half-life of 0 (read as no decay at all)',
      `${base}scoring: { decay: { halfLife: 0d } }\n`,
      'scoring.decay.halfLife | points need some time to halve: more than 0 (leave out `decay` for points that never fade)',
    ],
    [
      'a deal stage stale after 0',
      `${base}deals: { stages: [{ id: a, name: A, probability: 50, staleAfter: 0d }, { id: w, name: W, probability: 100, won: true }, { id: l, name: L, probability: 0, lost: true }] }\n`,
      'deals.stages[0].staleAfter | a deal is stale after some time: more than 0',
    ],
    [
      'a time zone abbreviation (EST: UTC-5 all summer long)',
      'version: "1"\nrouting:\n  reps:\n    - { id: ann, name: Ann, email: a@b.co, timeZone: EST }\n',
      'routing.reps[0].timeZone | "EST" is an abbreviation, not a place: its clock does not follow daylight saving as the people there do; write the place, such as America/New_York',
    ],
    [
      "a manager's time zone that is no IANA name",
      'version: "1"\nrouting:\n  managers:\n    - { id: mia, name: Mia, email: m@b.co, timeZone: Riyadh }\n  reps:\n    - { id: ann, name: Ann, email: a@b.co, manager: mia }\n',
      'routing.managers[0].timeZone | not an IANA time zone name (e.g. "Europe/Berlin", "America/Chicago")',
    ],
    [
      "a manager's time zone abbreviation",
      'version: "1"\nrouting:\n  managers:\n    - { id: mia, name: Mia, email: m@b.co, timeZone: PST }\n  reps:\n    - { id: ann, name: Ann, email: a@b.co, manager: mia }\n',
      'routing.managers[0].timeZone | "PST" is an abbreviation, not a place: its clock does not follow daylight saving as the people there do; write the place, such as America/Los_Angeles',
    ],
  ])('rejects %s', (_name, text, expected) => {
    const messages = errorsOf(text).map((line) => line.replace(/^\d+:\d+ /, ''));

    expect(messages).toContain(expected);
  });

  describe("a cadence step's note for the rep: at most 500 characters, in any language", () => {
    const withStep = (step: string) =>
      `${base}locales: { supported: [en, ar] }\ncontact:\n  cadences:\n    - { id: standard, name: Standard, steps: [${step}] }\n`;
    const note = (length: number) => JSON.stringify('n'.repeat(length));

    it.each([
      ['note', `{ channel: phone, delay: 0bh, note: ${note(501)} }`, 'note', 501],
      ['notes.ar', `{ channel: phone, delay: 0bh, notes: { ar: ${note(2000)} } }`, 'notes.ar', 2000],
    ])('rejects a longer %s, naming its path and length', (_name, step, path, length) => {
      // Act
      const messages = errorsOf(withStep(step)).map((line) => line.replace(/^\d+:\d+ /, ''));

      // Assert
      expect(messages).toEqual([
        `contact.cadences[0].steps[0].${path} | a note for the rep is at most 500 characters (this one has ${length}): it is a hint in the attempt's reminder email`,
      ]);
    });

    it('accepts 500 characters in note and notes', () => {
      // Act
      const result = parseSla(
        withStep(`{ channel: phone, delay: 0bh, note: ${note(500)}, notes: { ar: ${note(500)} } }`),
      );

      // Assert
      expect(result.ok, JSON.stringify(result)).toBe(true);
    });
  });

  it('never throws on arbitrary text', () => {
    for (const text of ['', '---', '[1, 2]', '"just a string"', 'version: 1', '{{{', 'a: *unknown']) {
      expect(() => parseSla(text)).not.toThrow();
      expect(parseSla(text).ok).toBe(false);
    }
  });
});

describe('parseDuration', () => {
  it.each([
    ['30m', 30, 'minutes', false],
    ['4h', 4, 'hours', false],
    ['1.5 hours', 1.5, 'hours', false],
    ['2d', 2, 'days', false],
    ['1w', 1, 'weeks', false],
    ['4bh', 4, 'hours', true],
    ['2 business days', 2, 'days', true],
    ['3 Business Hours', 3, 'hours', true],
  ])('parses %s', (text, amount, unit, business) => {
    expect(parseDuration(text)).toMatchObject({ amount, unit, business });
  });

  it.each(['', '4', 'h', '-2h', '4 fortnights', '2 business weeks'])('rejects %j', (text) => {
    expect(parseDuration(text)).toBeUndefined();
  });
});

describe('sla/schema.json', () => {
  it('is the current export of the schema (run `npm run sla:schema` after changing it)', () => {
    const committed = JSON.parse(readFileSync('sla/schema.json', 'utf8'));

    expect(committed).toEqual(slaJsonSchema());
  });
});
