/**
 * The dated price table moved to local/aws-prices.ts (the simulator prices with it too); bench scripts
 * import it from here. What only the benches price is added here (local/ is runtime code the simulator
 * ships; it does not price events out).
 */
import { ASSUMPTIONS as SHARED_ASSUMPTIONS, PRICES as SHARED_PRICES } from '../local/aws-prices.ts';

export * from '../local/aws-prices.ts';

export const PRICES = {
  ...SHARED_PRICES,
  /**
   * EventBridge, custom events put on a bus (PutEvents), per event: $1.00 per million, us-east-1; each
   * 64 KB chunk of an entry is billed as one event. As published on https://aws.amazon.com/eventbridge/pricing/
   * on PRICES_AS_OF (2025-08-01), like the rest of the table, and not re-checked from this machine (no
   * internet). Events of scheduled rules are not billed; DynamoDB Streams reads by a Lambda trigger are free.
   */
  eventBridgeEvent: 1.0 / 1e6,
  /**
   * EventBridge Scheduler, per scheduled invocation: $1.00 per million in us-east-1 beyond the first 14
   * million of a month (not counted here, as no free tier is), same source and date. Only the projection
   * of a single-state loop uses it (bench/cost.ts): LeadPact creates no schedules per lead.
   */
  schedulerInvocation: 1.0 / 1e6,
} as const;

export const ASSUMPTIONS = {
  ...SHARED_ASSUMPTIONS,
  /** one EventBridge PutEvents call from Lambda, in region, ms */
  eventBridgePutMs: 20,
} as const;
