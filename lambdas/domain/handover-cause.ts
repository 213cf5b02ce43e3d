/**
 * Why the workflow moved a lead between people (a reassignment, a manager's takeover), as data: the
 * timeline keeps LeadPact's English sentence for ops, and each email says the cause in its reader's
 * language (email-text.ts, ADR 0019). Rep ids, never names: an email names a rep in its reader's words.
 */
export type HandoverCause =
  /** the ladder's reassign rung: the first touch was this many business hours overdue */
  | { readonly kind: 'overdue'; readonly hours?: number }
  /** the owner is no longer in the SLA; another rep of the queue takes the lead */
  | { readonly kind: 'ownerLeft'; readonly ownerId: string }
  /** reassigned `reassignments` times without a first touch: the SLA's handoff.maxReassignments */
  | { readonly kind: 'ladderDone'; readonly reassignments: number }
  /** the owner is not in the SLA in force, and (`noRep`) no rep of the queue can take the lead */
  | {
      readonly kind: 'ownerMissing';
      readonly ownerId: string;
      readonly slaVersion: string;
      readonly noRep?: boolean;
    }
  /**
   * the owner is out of office (`from` to `to`, their local dates, inclusive) on the day attempt `step` of the
   * cadence falls due (1: the first touch), ADR 0043; `noRep`: and nobody present in the queue can take it;
   * `hadItBefore`: and nobody present who has not had the lead since its handoff can, so it goes back to one who had it
   */
  | {
      readonly kind: 'ownerAway';
      readonly ownerId: string;
      readonly from: string;
      readonly to: string;
      readonly step: number;
      readonly noRep?: boolean;
      readonly hadItBefore?: boolean;
    }
  /** nobody else in the queue can take the lead from its owner */
  | { readonly kind: 'noOtherRep'; readonly ownerId: string }
  /** the owner's manager is missing from the SLA */
  | { readonly kind: 'noManager'; readonly ownerId: string }
  /**
   * at the handoff, nobody in the queue can take the lead now (out of office or at capacity): the handoff
   * tries again every hour and gives it to the first rep who can
   */
  | { readonly kind: 'nobodyFree'; readonly queueId: string }
  /**
   * a person gave the lead to its owner (the console, POST /leads/{id}/owner): `by`, a manager or rep id of
   * the SLA (absent for ops' API key), and their note, as they wrote it
   */
  | { readonly kind: 'manual'; readonly by?: string; readonly note?: string };

/**
 * The takeover's short headline: nobody owns the lead, or `reps` reps who had it since its handoff made no first
 * touch (takeover-headline.ts). `touchedBy`: the reps who had it and did make one, rep ids (a call logged late, a
 * CRM's sync after the ladder had passed the lead on: ADR 0089); absent when none did, and on an entry written
 * before it (read as none).
 */
export type TakeoverHeadline =
  | { readonly kind: 'needsOwner' }
  | { readonly kind: 'noFirstTouch'; readonly reps: number; readonly touchedBy?: readonly string[] };
