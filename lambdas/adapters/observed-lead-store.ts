/**
 * A LeadStore that tells observers of every lead state it wrote (createLead 'created', saveLead
 * 'saved'; a save with `observeWithMark` when its outbox mark follows, with the mark: ADR 0025), after the write (parkLead, which only marks emails sent, adds no fact): how report facts (dynamodb-fact-log.ts) and the in-memory query twin
 * (memory-lead-queries.ts) follow the state of record without touching the code that changes leads.
 * Everything else passes through unchanged.
 *
 * Observers are told in turn, each whatever the others do; the first failure fails the call, after the
 * state was written: the caller's retry (a task's Retry, a client's retry) finds the change made and writes
 * nothing new, so the observer's idempotent records are what may be missing, and the events publisher puts
 * them (docs/decisions/0016-report-facts.md, amended). A failure that is DynamoDB busy past the SDK's retries
 * is logged instead: failing the call then saves nothing and costs a request without a key a second change.
 */

import { storyLength } from '../domain/lead-state.ts';
import { isDependencyBusy } from '../ports/dependency-busy.ts';
import type { LeadWriteObserver } from '../ports/lead-queries.ts';
import { allSettledOrThrow, type LeadStore } from '../ports/lead-store.ts';

export function observeWrites(store: LeadStore, ...observers: LeadWriteObserver[]): LeadStore {
  if (observers.length === 0) return store;
  // every observer is told, one failing does not keep the others from their records; in order, as before:
  // the facts are stored before events out is nudged (locally the nudge publishes in this process, and
  // at once it would compete with the facts' puts for the caller's time: issue 15, bench/ingest.ts)
  const tell = async (...[state, since]: Parameters<LeadWriteObserver['leadWritten']>) => {
    const failures: unknown[] = [];
    for (const observer of observers) {
      try {
        await observer.leadWritten(state, since);
      } catch (error) {
        failures.push(error);
      }
    }
    // DynamoDB busy past the SDK's retries: the lead is written, and a caller told it failed would send a second
    // change (a request without a key) or find this one made and write nothing new (a task's retry), so the
    // facts would be lost either way; the events publisher puts the facts a write lost (ADR 0016 amended). Any
    // other failure, whichever observer's, is thrown
    const thrown = failures.find((error) => !isDependencyBusy(error));
    if (thrown !== undefined) throw thrown;
    for (const error of failures)
      console.warn(
        JSON.stringify({
          level: 'warn',
          msg: 'lead written; its report facts left to the events publisher',
          leadId: state.leadId,
          error: (error as Error).name,
        }),
      );
  };
  return new Proxy(store, {
    get(target, property, receiver) {
      if (property === 'createLead') {
        return async (...[state, alongside]: Parameters<LeadStore['createLead']>) => {
          const result = await target.createLead(state);
          // the caller's next step (a new lead's workflow start) beside the records, not after them
          if (result === 'created')
            await allSettledOrThrow([tell(state), ...(alongside ? [alongside()] : [])]);
          return result;
        };
      }
      if (property === 'saveLead') {
        return async (...args: Parameters<LeadStore['saveLead']>) => {
          const [state, , stored, options] = args;
          const result = await target.saveLead(...args);
          // told with the mark that follows (markSent with `written`); what the write added follows the
          // version it replaced
          if (result === 'saved' && !options?.observeWithMark)
            await tell(state, stored ? storyLength(stored) : undefined);
          return result;
        };
      }
      if (property === 'markSent') {
        return async (...[leadId, claim, at, written, since]: Parameters<LeadStore['markSent']>) => {
          if (!written) return target.markSent(leadId, claim, at);
          // an observer that stores the mark with what it derives (one request) is told so; without one,
          // the others are told and the store writes the mark
          const joint = observers.some((observer) => observer.leadWrittenAndSent);
          for (const observer of observers) {
            if (observer.leadWrittenAndSent) await observer.leadWrittenAndSent(written, { claim, at }, since);
            else await observer.leadWritten(written, since);
          }
          if (!joint) await target.markSent(leadId, claim, at);
        };
      }
      const value = Reflect.get(target, property, receiver);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}
