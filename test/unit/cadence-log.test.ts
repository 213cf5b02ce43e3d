/**
 * The cadence facts of a handover (LeadState.cadenceLog, ADR 0053) and what "due today" reads from them:
 * applied attempt by attempt (cadenceLogAfter) they are the count and the latest time of the attempts
 * slaStanding counts; a reassignment restarts them with the clock or keeps them (reassignedWithCadenceLog);
 * and the next step computed from them alone (nextStepDueFromFacts) is slaStanding's, or undefined (read the
 * lead), never an earlier time nor none when it has one, over seeded leads, owners, lead types, times and both onReassign settings.
 */
import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../bench/seeded-random.ts';
import { keptDeadlineOfStepKey, nextStepIndexSortKey } from '../../lambdas/adapters/table-definition.ts';
import { parseDuration } from '../../lambdas/domain/duration.ts';
import { withHandoverTerms } from '../../lambdas/domain/handover-terms.ts';
import { handoverAttempts, handoverStart } from '../../lambdas/domain/lead-plan.ts';
import type { Attempt, LeadState } from '../../lambdas/domain/lead-state.ts';
import type { Sla } from '../../lambdas/domain/sla-schema.ts';
import {
  cadenceLogAfter,
  nextStepDueFromFacts,
  reassignedWithCadenceLog,
  slaStanding,
} from '../../lambdas/domain/sla-standing.ts';
import { loadDefaultSla } from '../support/sla.ts';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const REPS = ['jonas', 'lena', 'mats', 'sofia', 'carla', 'mike', 'ghost'];
const TYPES = ['equipment-sales', 'existing-customer', 'maintenance-services'];
const STATUSES = [
  'new',
  'attempting-contact',
  'attempting-contact',
  'connected',
  'bad-timing',
  'unqualified',
];

function slaWith(onReassign: 'restart' | 'continue'): Sla {
  const sla = loadDefaultSla();
  return { ...sla, contact: { ...sla.contact, onReassign } };
}

function baseLead(owner: string, handoff: number, leadType: string): LeadState {
  const at = new Date(handoff).toISOString();
  return {
    leadId: 'facts0001',
    cycle: 1,
    version: 1,
    fields: {},
    marketingConsent: true,
    unsubscribed: false,
    undeliverable: false,
    slaVersion: 'x',
    judgedAt: at,
    stage: 'sql',
    status: 'new',
    leadType,
    journeyStage: 'awareness',
    fit: 50,
    fitTier: 'B',
    engagement: 20,
    total: 70,
    ownerId: owner,
    handedOffAt: at,
    ownerSince: at,
    cadenceLog: { since: at, attempts: 0 },
    sent: [],
    createdAt: at,
    updatedAt: at,
    timeline: [],
    timelineDropped: 0,
  } as unknown as LeadState;
}

/**
 * A seeded lead as the writes make it: a handoff, attempts, maybe a reassignment by the workflow or a person,
 * attempts after it; with `terms`, each handover stores the terms of that SLA (one in force then: ADR 0059).
 */
function seededLead(
  sla: Sla,
  rnd: () => number,
  terms?: Sla,
): { lead: LeadState; attempts: Attempt[]; now: number } {
  const pick = <T>(list: readonly T[]) => list[Math.floor(rnd() * list.length)]!;
  const now = Date.parse('2026-12-02T14:00:00Z') + Math.floor(rnd() * 30) * DAY;
  const handoff = now - Math.floor(rnd() * 20 * DAY) - HOUR;
  let lead = baseLead(pick(REPS), handoff, pick(TYPES));
  if (terms) lead = withHandoverTerms(terms, lead);
  const attempts: Attempt[] = [];
  const log = (at: number) => {
    const attempt = {
      attemptId: `a${attempts.length}`,
      at: new Date(at).toISOString(),
      outcomeId: 'x',
    };
    lead = { ...lead, cadenceLog: cadenceLogAfter(sla, lead, attempt, attempts) };
    attempts.push(attempt);
  };
  const reassignAt = rnd() < 0.4 ? handoff + Math.floor(rnd() * (now - handoff)) : undefined;
  let at = handoff;
  for (let i = Math.floor(rnd() * 7); i > 0; i--) {
    at += Math.floor(rnd() * 3 * DAY);
    if (at >= (reassignAt ?? now)) break;
    log(at);
  }
  if (reassignAt !== undefined) {
    lead = reassignedWithCadenceLog(sla, lead, {
      ...lead,
      ownerId: pick(REPS),
      ownerSince: new Date(reassignAt).toISOString(),
    });
    if (terms) lead = withHandoverTerms(terms, lead);
    at = reassignAt;
    for (let i = Math.floor(rnd() * 3); i > 0; i--) {
      at += Math.floor(rnd() * 2 * DAY);
      if (at >= now) break;
      log(at);
    }
    // an attempt logged late, dated before the reassignment
    if (rnd() < 0.3) log(handoff + Math.floor((reassignAt - handoff) / 2));
  }
  lead = { ...lead, status: attempts.length ? pick(STATUSES) : 'new' };
  return { lead, attempts, now };
}

/**
 * The next step from the facts (and the deadline `keptDueAt`), checked against slaStanding: none from the facts,
 * none in the standing; a time, the standing's or none (the workflow does something else first, an owner away's
 * reassignment: the lead is read, and not listed). True when the facts decided it (the standing's own answer).
 */
function agreesWithStanding(
  sla: Sla,
  lead: LeadState,
  attempts: readonly Attempt[],
  now: number,
  keptDueAt: string | undefined,
  label: string,
): boolean {
  const standing = slaStanding(sla, { lead, attempts, now: new Date(now) });
  const fromFacts = nextStepDueFromFacts(
    sla,
    {
      ...lead,
      ownerId: lead.ownerId!,
      stage: lead.stage,
      status: lead.status,
      ...(keptDueAt ? { keptDueAt } : {}),
    },
    new Date(now),
  );
  const step = standing.cadence?.nextDueAt ?? null;
  if (fromFacts === null) expect(step, label).toBeNull();
  if (fromFacts) expect([fromFacts.toISOString(), null], label).toContain(step);
  return fromFacts !== undefined && (fromFacts?.toISOString() ?? null) === step;
}

describe('cadence facts', () => {
  for (const onReassign of ['restart', 'continue'] as const)
    it(`count what slaStanding counts and give its next step or nothing (onReassign ${onReassign})`, () => {
      const sla = slaWith(onReassign);
      const rnd = seededRandom(7);
      let checked = 0;
      let decided = 0;
      for (let n = 0; n < 600; n++) {
        // Arrange: a handoff, attempts, maybe a reassignment by the workflow or a person, attempts after it
        const { lead, attempts, now } = seededLead(sla, rnd);

        // Act
        const agrees = agreesWithStanding(sla, lead, attempts, now, undefined, `lead ${n}`);

        // Assert: counted as slaStanding counts (when they count from its clock), the same next step
        const start = handoverStart(sla, lead);
        const counted = handoverAttempts(attempts, start);
        if (lead.cadenceLog && Date.parse(lead.cadenceLog.since) === start.getTime()) {
          expect(lead.cadenceLog.attempts, `lead ${n}`).toBe(counted.length);
          expect(lead.cadenceLog.lastAt ?? null).toBe(counted.at(-1)?.at ?? null);
        }
        if (agrees) decided++;
        checked++;
      }
      // most are decided from the facts alone: a reassignment under restart restarts them
      expect(checked).toBe(600);
      expect(decided).toBeGreaterThan(500);
    });

  for (const onReassign of ['restart', 'continue'] as const)
    it(`give slaStanding's next step with the deadline a handover kept under another SLA, read from the index key (onReassign ${onReassign})`, () => {
      // Arrange: handed over (and reassigned) under a looser or a stricter first touch than the SLA deployed
      const sla = slaWith(onReassign);
      const rnd = seededRandom(64);
      const within = (text: string): Sla => ({
        ...sla,
        handoff: { ...sla.handoff, firstTouchWithin: parseDuration(text)! },
        leadTypes: sla.leadTypes.map((type) => ({ ...type, overrides: { ...type.overrides, handoff: {} } })),
      });
      const others = [within('24h'), within('1bh'), within('3d')];
      let decided = 0;
      let keptMatters = 0;
      for (let n = 0; n < 600; n++) {
        const { lead, attempts, now } = seededLead(sla, rnd, others[n % others.length]);
        const kept = keptDeadlineOfStepKey(nextStepIndexSortKey(lead));

        // Act
        const agrees = agreesWithStanding(sla, lead, attempts, now, kept, `lead ${n}`);

        // Assert (above); and without the key's deadline the deployed window would have been taken
        if (agrees) decided++;
        const withoutIt = nextStepDueFromFacts(
          sla,
          { ...lead, ownerId: lead.ownerId!, stage: lead.stage, status: lead.status },
          new Date(now),
        );
        const standing = slaStanding(sla, { lead, attempts, now: new Date(now) }).cadence?.nextDueAt ?? null;
        if (withoutIt && withoutIt.toISOString() !== standing) keptMatters++;
      }
      expect(decided).toBeGreaterThan(450);
      expect(keptMatters).toBeGreaterThan(20);
    });

  it('a reassignment restarts them under restart and keeps them under continue', () => {
    // Arrange: two attempts since Monday's handoff, reassigned on Wednesday
    const handoff = Date.parse('2026-11-30T09:00:00Z');
    const reassigned = '2026-12-02T09:00:00.000Z';
    const results = (['restart', 'continue'] as const).map((onReassign) => {
      const sla = slaWith(onReassign);
      let lead = baseLead('jonas', handoff, 'equipment-sales');
      const attempts: Attempt[] = [];
      for (const at of ['2026-11-30T10:00:00.000Z', '2026-12-01T10:00:00.000Z']) {
        const attempt = { attemptId: at, at, outcomeId: 'x' };
        lead = { ...lead, cadenceLog: cadenceLogAfter(sla, lead, attempt, attempts) };
        attempts.push(attempt);
      }
      // Act
      return reassignedWithCadenceLog(sla, lead, { ...lead, ownerId: 'lena', ownerSince: reassigned })
        .cadenceLog;
    });

    // Assert
    expect(results).toEqual([
      { since: reassigned, attempts: 0 },
      { since: '2026-11-30T09:00:00.000Z', attempts: 2, lastAt: '2026-12-01T10:00:00.000Z' },
    ]);
  });
});
