/**
 * Why a request was refused, as data: the edge that answers words it for its reader. The API says it in
 * English with times in ISO-8601 UTC (the HttpError's message); the console says it in the reader's language,
 * naming the SLA's items by their names in it and a time on the reader's clock (console/refusal-text.ts).
 * Nothing reads the English back: a console language words each kind itself.
 *
 * Pure: no I/O.
 */
export type Refusal =
  /** an attempt dated later than now; `channel`: the attempt's, when it names one (a CHANNELS id) */
  | { readonly kind: 'attemptInFuture'; readonly channel?: string }
  /** an attempt dated before the lead's handoff (ISO) */
  | { readonly kind: 'attemptBeforeHandoff'; readonly handedOffAt: string }
  /** an outcome id the SLA does not have */
  | { readonly kind: 'unknownOutcome' }
  /** a deal stage id the SLA does not have */
  | { readonly kind: 'unknownDealStage' }
  /** a lead status id the SLA does not have */
  | { readonly kind: 'unknownStatus' }
  /** a lead status of the SLA that reps may not set */
  | { readonly kind: 'statusNotForReps'; readonly statusId: string }
  /** a rep id the SLA does not have */
  | { readonly kind: 'unknownRep' }
  /** a rep outside the viewer's reach: not themselves (a rep), not in their team (a manager) */
  | { readonly kind: 'repOutOfReach'; readonly repId: string; readonly viewerIsRep: boolean }
  /** the lead is closed: a customer, or disqualified */
  | { readonly kind: 'leadClosed'; readonly customer: boolean }
  /** no rep owns the lead yet; it is at `stage` */
  | { readonly kind: 'notHandedOff'; readonly stage: string }
  /** a text longer than the field keeps */
  | { readonly kind: 'tooLong'; readonly max: number }
  /** a list's or a report's filter naming a rep, queue, status, lead type or stage the SLA does not have */
  | { readonly kind: 'unknownValue'; readonly of: KnownOf; readonly value: string }
  /**
   * a delivery log filter naming a subscription that is not configured and of which the log holds no delivery;
   * `configured`: the ids the sender delivers to now (the bus's `eventbridge` among them)
   */
  | { readonly kind: 'unknownSubscription'; readonly value: string; readonly configured: readonly string[] };

/** What an SLA-defined filter value names (a list's `owner`, a report's `rep`: a rep). */
export type KnownOf = 'rep' | 'queue' | 'status' | 'leadType' | 'stage';
