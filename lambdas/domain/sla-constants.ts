/**
 * The SLA's fixed vocabularies, without zod: code that runs the SLA (the workflow's Lambda
 * functions) imports these, so it does not build the schema at start-up. sla-schema.ts uses
 * and re-exports them.
 */
export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

export const FIT_TIERS = ['A', 'B', 'C', 'D'] as const;
export type FitTier = (typeof FIT_TIERS)[number];

export const SENIORITIES = ['c-level', 'vp', 'director', 'manager', 'individual'] as const;
export type Seniority = (typeof SENIORITIES)[number];

export const LIFECYCLE_STAGES = ['subscriber', 'lead', 'mql', 'sql', 'opportunity', 'customer'] as const;
export type LifecycleStage = (typeof LIFECYCLE_STAGES)[number];

/** the moments at which the workflow sets a status; each must be given to exactly one status */
export const STATUS_MOMENTS = [
  'created',
  'handoff',
  'firstAttempt',
  'connected',
  'dealOpened',
  'disqualified',
  'recycled',
  'won',
] as const;
export type StatusMoment = (typeof STATUS_MOMENTS)[number];

export const ESCALATION_ACTIONS = ['remindOwner', 'notifyManager', 'reassign'] as const;

export const CHANNELS = ['phone', 'email', 'linkedin', 'sms', 'video'] as const;

export const OUTCOME_ACTIONS = ['nextStep', 'connected', 'meetingBooked', 'disqualify', 'recycle'] as const;
export type OutcomeAction = (typeof OUTCOME_ACTIONS)[number];

/** variables a template may use: {{name}} */
export const TEMPLATE_VARIABLES = [
  'firstName',
  'lastName',
  'company',
  'jobTitle',
  'persona',
  'journeyStage',
  'unsubscribeUrl',
  'senderName',
] as const;

/** moments an SLA may leave without a status (the status then stays as it was) */
export const OPTIONAL_STATUS_MOMENTS: readonly StatusMoment[] = ['won'];
