/**
 * A refusal (domain/refusal.ts) in the console reader's words: their language's sentence for its kind, the SLA's
 * outcomes, deal stages, statuses, reps and stages by their names in that language, a time on the reader's clock
 * and numbers as their locale writes them. The English sentences say what the API's messages say.
 */
import { formatFullTime } from '../../domain/email-templates.ts';
import { isolated } from '../../domain/locale.ts';
import type { KnownOf, Refusal } from '../../domain/refusal.ts';
import { LIFECYCLE_STAGES } from '../../domain/sla-constants.ts';
import { localName, type Named, nameOf, stageNameIn } from '../../domain/sla-names.ts';
import type { Sla } from '../../domain/sla-schema.ts';
import { LISTED_KNOWN, shownValue } from '../known-values.ts';
import { formerOwners } from '../viewer.ts';
import type { Ui } from './html.ts';

export function refusalText(refusal: Refusal, sla: Sla, ui: Ui, timeZone: string): string {
  const said = ui.t.errors.refusals;
  const names = (items: readonly Named[]) =>
    items.map((item) => localName(item, ui.locale)).join(ui.t.layout.comma);
  switch (refusal.kind) {
    case 'attemptInFuture':
      return said.attemptInFuture(refusal.channel);
    case 'attemptBeforeHandoff':
      return said.attemptBeforeHandoff(formatFullTime(new Date(refusal.handedOffAt), timeZone, ui.locale));
    case 'unknownOutcome':
      return said.unknownOutcome(names(sla.contact.outcomes));
    case 'unknownDealStage':
      return said.unknownDealStage(names(sla.deals.stages));
    case 'unknownStatus':
      return said.unknownStatus(names(sla.leadStatuses.filter((status) => status.repCanSet)));
    case 'statusNotForReps':
      return said.statusNotForReps(nameOf(sla.leadStatuses, refusal.statusId, ui.locale));
    case 'unknownRep':
      return said.unknownRep(names(sla.routing.reps));
    case 'repOutOfReach':
      return said.repOutOfReach(nameOf(sla.routing.reps, refusal.repId, ui.locale), refusal.viewerIsRep);
    case 'leadClosed':
      return said.leadClosed(refusal.customer);
    case 'notHandedOff':
      return said.notHandedOff(stageNameIn(sla, refusal.stage, ui.locale));
    case 'tooLong':
      return said.tooLong(ui.num(refusal.max));
    case 'unknownValue':
      return said.unknownValue(shownIsolated(refusal.value), listed(knownNames(refusal.of, sla, ui), ui));
    case 'unknownSubscription':
      return said.unknownSubscription(shownIsolated(refusal.value), listed(refusal.configured, ui) || '–');
  }
}

/**
 * A value as someone typed it, quoted in a sentence: at most SHOWN_VALUE_CHARS of it, drawn apart from the words
 * around it (FIRST STRONG ISOLATE ... POP DIRECTIONAL ISOLATE). A right-to-left override in `?owner=` turned the
 * rest of the line, the SLA's names, back to front; a Latin value ending in a sign sat wrong in an Arabic one.
 */
function shownIsolated(value: string): string {
  return isolated(shownValue(value));
}

/** What the SLA has of a filter's kind, by its names in the reader's language (a former rep by their id). */
function knownNames(of: KnownOf, sla: Sla, ui: Ui): string[] {
  const names = (items: readonly Named[]) => items.map((item) => localName(item, ui.locale));
  switch (of) {
    case 'rep':
      return [...names(sla.routing.reps), ...formerOwners(sla)];
    case 'queue':
      return names(sla.routing.queues);
    case 'status':
      return names(sla.leadStatuses);
    case 'leadType':
      return names(sla.leadTypes);
    case 'stage':
      return LIFECYCLE_STAGES.map((stage) => stageNameIn(sla, stage, ui.locale));
  }
}

/** A list as a sentence carries it: the first LISTED_KNOWN, then an ellipsis. */
function listed(items: readonly string[], ui: Ui): string {
  const shown = items.slice(0, LISTED_KNOWN).join(ui.t.layout.comma);
  return items.length > LISTED_KNOWN ? `${shown}${ui.t.layout.comma}…` : shown;
}
