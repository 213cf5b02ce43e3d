/**
 * LeadState fixtures for the pure domain tests: a plain marketing lead by default, with the overrides a test
 * names. `handedOff` and `withDeal` add the sales side as the workflow and the sales actions would.
 */
import { assignedKey } from '../../lambdas/domain/lead-plan.ts';
import type { Attempt, DealState, LeadState, TimelineEntry } from '../../lambdas/domain/lead-state.ts';

export const FIXTURE_LEAD_ID = 'LeadFixture0000000000A';

/** A lead with marketing consent in nurture, created at `at` (default 2026-11-30T08:00Z, a Monday). */
export function leadState(overrides: Partial<LeadState> = {}, at = '2026-11-30T08:00:00.000Z'): LeadState {
  return {
    leadId: FIXTURE_LEAD_ID,
    cycle: 1,
    version: 1,
    email: 'petra@plant.example',
    fields: {},
    marketingConsent: true,
    unsubscribed: false,
    undeliverable: false,
    slaVersion: 'fixture',
    judgedAt: at,
    stage: 'lead',
    status: 'nurturing',
    leadType: 'equipment-sales',
    journeyStage: 'awareness',
    fit: 0,
    fitTier: 'D',
    engagement: 0,
    total: 0,
    sent: [],
    createdAt: at,
    updatedAt: at,
    timeline: [],
    timelineDropped: 0,
    ...overrides,
  };
}

/** An SQL handed to `ownerId` at `handedOffAt` (status "new", no escalation taken yet). */
export function handedOff(
  handedOffAt: string,
  ownerId = 'jonas',
  overrides: Partial<LeadState> = {},
): LeadState {
  return leadState({
    stage: 'sql',
    status: 'new',
    ownerId,
    ownerSince: handedOffAt,
    handedOffAt,
    escalationsTaken: 0,
    updatedAt: handedOffAt,
    ...overrides,
    // the owner was told ("new SQL" email sent) unless the test says otherwise
    sent: [assignedKey({ cycle: overrides.cycle ?? 1, handedOffAt }), ...(overrides.sent ?? [])],
  });
}

/** An opportunity with an open deal in `stageId` since `since`. */
export function withDeal(lead: LeadState, stageId: string, since: string): LeadState {
  const deal: DealState = { stageId, since, openedAt: since };
  return { ...lead, stage: 'opportunity', status: 'open-deal', deal };
}

/** Attempts logged at the given times (outcome no-answer unless named). */
export function attemptsAt(...times: string[]): Attempt[] {
  return times.map((at, i) => ({
    attemptId: `attempt-${i + 1}`,
    at,
    outcomeId: 'no-answer',
    repId: 'jonas',
  }));
}

/**
 * A lead whose nurture track "general" sent 2 of its 3 emails, the third due at `dueAt` (14 days after the
 * second): the wake sends it, then the lead is dormant (an ending wake that sends).
 */
export function lastOfTrack(slaVersion: string, dueAt: string): LeadState {
  return leadState({
    leadId: FIXTURE_LEAD_ID,
    slaVersion,
    nurture: {
      trackId: 'general',
      sent: 2,
      startedAt: '2026-11-01T10:00:00.000Z',
      lastSentAt: '2026-11-08T10:00:00.000Z',
    },
    dueAt,
  });
}

/**
 * A lead of the default SLA's equipment-sales queue (DE) told only by its story: `steps` without reasons, the state
 * as the report's facts read it (report-facts.ts factsOf walks the timeline).
 */
export function leadOfStory(id: string, steps: Omit<TimelineEntry, 'reasons'>[]): LeadState {
  const timeline = steps.map((entry) => ({ reasons: [], ...entry }));
  return {
    leadId: id,
    leadType: 'equipment-sales',
    fields: { country: 'DE' },
    timeline,
    timelineDropped: 0,
    updatedAt: timeline.at(-1)!.at,
  } as unknown as LeadState;
}
