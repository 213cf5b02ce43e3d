/**
 * Validation beyond types: every id the SLA refers to must exist, and the rules must make
 * sense together. Returns every problem at once, each with its path in the file.
 */
import {
  LIFECYCLE_STAGES,
  OPTIONAL_STATUS_MOMENTS,
  type Sla,
  STATUS_MOMENTS,
  TEMPLATE_VARIABLES,
} from './sla-schema.ts';

export interface SlaIssue {
  readonly path: readonly (string | number)[];
  readonly message: string;
}

type Path = (string | number)[];

export function checkReferences(sla: Sla): SlaIssue[] {
  const issues: SlaIssue[] = [];
  const report = (path: Path, message: string) => issues.push({ path, message });

  const unique = (items: readonly { id: string }[], path: Path, what: string) => {
    const seen = new Set<string>();
    items.forEach((item, index) => {
      if (seen.has(item.id)) report([...path, index, 'id'], `duplicate ${what} id "${item.id}"`);
      seen.add(item.id);
    });
    return seen;
  };
  const mustExist = (known: ReadonlySet<string>, id: string | undefined, path: Path, what: string) => {
    if (id !== undefined && !known.has(id)) {
      const list = [...known];
      report(
        path,
        `unknown ${what} "${id}"${list.length ? ` (known: ${list.join(', ')})` : ` (none declared)`}`,
      );
    }
  };

  // personas, journey, nurture
  const personaIds = unique(sla.personas, ['personas'], 'persona');
  const journeyStages = new Set(sla.journey.stages);
  if (journeyStages.size !== sla.journey.stages.length)
    report(['journey', 'stages'], 'journey stages repeat');
  sla.journey.signals.forEach((signal, i) => {
    mustExist(journeyStages, signal.stage, ['journey', 'signals', i, 'stage'], 'journey stage');
  });
  const templateIds = unique(sla.nurture.templates, ['nurture', 'templates'], 'template');
  const trackIds = unique(sla.nurture.tracks, ['nurture', 'tracks'], 'nurture track');
  const locales = new Set(sla.locales.supported);
  const checkVariables = (content: Partial<Record<'subject' | 'text' | 'html', string>>, path: Path) => {
    for (const key of ['subject', 'text', 'html'] as const) {
      for (const variable of templateVariables(content[key] ?? '')) {
        if (!(TEMPLATE_VARIABLES as readonly string[]).includes(variable)) {
          report(
            [...path, key],
            `unknown template variable {{${variable}}} (known: ${TEMPLATE_VARIABLES.join(', ')})`,
          );
        }
      }
    }
  };
  sla.nurture.templates.forEach((template, i) => {
    checkVariables(template, ['nurture', 'templates', i]);
    for (const [locale, variant] of Object.entries(template.locales)) {
      mustExist(
        locales,
        locale,
        ['nurture', 'templates', i, 'locales', locale],
        'locale (locales.supported)',
      );
      checkVariables(variant, ['nurture', 'templates', i, 'locales', locale]);
    }
  });
  // names per locale (ADR 0024): each in a language the SLA supports, so no name waits for a reader
  const localeKeys = (names: Readonly<Record<string, unknown>> | undefined, path: Path) => {
    for (const locale of Object.keys(names ?? {})) {
      mustExist(locales, locale, [...path, locale], 'locale (locales.supported)');
    }
  };
  localeKeys(sla.names, ['names']);
  localeKeys(sla.nurture.senderNames, ['nurture', 'senderNames']);
  localeKeys(sla.lifecycle.namesByLocale, ['lifecycle', 'namesByLocale']);
  localeKeys(sla.journey.namesByLocale, ['journey', 'namesByLocale']);
  for (const [locale, names] of Object.entries(sla.journey.namesByLocale)) {
    for (const stage of Object.keys(names)) {
      mustExist(journeyStages, stage, ['journey', 'namesByLocale', locale, stage], 'journey stage');
    }
  }
  const named: [Path, readonly { names?: Readonly<Record<string, string>> | undefined }[]][] = [
    [['personas'], sla.personas],
    [['leadTypes'], sla.leadTypes],
    [['leadStatuses'], sla.leadStatuses],
    [['deals', 'stages'], sla.deals.stages],
    [['routing', 'reps'], sla.routing.reps],
    [['routing', 'managers'], sla.routing.managers],
    [['routing', 'queues'], sla.routing.queues],
    [['contact', 'cadences'], sla.contact.cadences],
    [['contact', 'outcomes'], sla.contact.outcomes],
    [['nurture', 'tracks'], sla.nurture.tracks],
    [['forms'], sla.forms],
  ];
  for (const [path, items] of named) {
    items.forEach((item, i) => {
      localeKeys(item.names, [...path, i, 'names']);
    });
  }
  for (const [field, values] of Object.entries(sla.fieldValues)) {
    for (const [value, named] of Object.entries(values)) {
      localeKeys(named.names, ['fieldValues', field, value, 'names']);
    }
  }
  sla.contact.cadences.forEach((cadence, i) => {
    cadence.steps.forEach((step, j) => {
      localeKeys(step.notes, ['contact', 'cadences', i, 'steps', j, 'notes']);
    });
  });
  sla.forms.forEach((form, i) => {
    localeKeys(form.consentTexts, ['forms', i, 'consentTexts']);
  });
  sla.routing.reps.forEach((rep, i) => {
    mustExist(locales, rep.locale, ['routing', 'reps', i, 'locale'], 'locale (locales.supported)');
  });
  sla.routing.managers.forEach((manager, i) => {
    mustExist(locales, manager.locale, ['routing', 'managers', i, 'locale'], 'locale (locales.supported)');
  });
  sla.nurture.tracks.forEach((track, i) => {
    if (track.persona !== '*')
      mustExist(personaIds, track.persona, ['nurture', 'tracks', i, 'persona'], 'persona');
    if (track.journeyStage !== '*') {
      mustExist(journeyStages, track.journeyStage, ['nurture', 'tracks', i, 'journeyStage'], 'journey stage');
    }
    track.emails.forEach((email, j) => {
      mustExist(templateIds, email.template, ['nurture', 'tracks', i, 'emails', j, 'template'], 'template');
    });
  });
  sla.personas.forEach((persona, i) => {
    mustExist(trackIds, persona.nurtureTrack, ['personas', i, 'nurtureTrack'], 'nurture track');
  });

  // lifecycle: the only backward moves are declared recycles
  sla.lifecycle.recycle.forEach((move, i) => {
    if (LIFECYCLE_STAGES.indexOf(move.to) >= LIFECYCLE_STAGES.indexOf(move.from)) {
      report(
        ['lifecycle', 'recycle', i],
        `a recycle must move backward, "${move.from}" -> "${move.to}" does not`,
      );
    }
  });

  // forms: once declared, the subscriber forms must be among them
  const formIds = unique(sla.forms, ['forms'], 'form');
  if (sla.forms.length > 0) {
    sla.lifecycle.subscriberForms.forEach((form, i) => {
      mustExist(formIds, form, ['lifecycle', 'subscriberForms', i], 'form');
    });
  }

  // scoring
  unique(sla.icp.criteria, ['icp', 'criteria'], 'ICP criterion');
  const ruleIds = new Set([...sla.scoring.engagement, ...sla.scoring.negative].map((rule) => rule.id));
  unique([...sla.scoring.engagement, ...sla.scoring.negative], ['scoring', 'engagement'], 'scoring rule');

  // routing
  const repIds = unique(sla.routing.reps, ['routing', 'reps'], 'rep');
  const managerIds = unique(sla.routing.managers, ['routing', 'managers'], 'manager');
  const queueIds = unique(sla.routing.queues, ['routing', 'queues'], 'queue');
  const leadTypeIds = unique(sla.leadTypes, ['leadTypes'], 'lead type');
  sla.routing.reps.forEach((rep, i) => {
    mustExist(managerIds, rep.manager, ['routing', 'reps', i, 'manager'], 'manager');
    const days = rep.workingDays ?? sla.calendar.workingDays;
    if (days.length === 0)
      report(['routing', 'reps', i, 'workingDays'], `rep "${rep.id}" has no working days`);
  });
  if (sla.calendar.workingDays.length === 0)
    report(['calendar', 'workingDays'], 'the calendar has no working days');
  const regionIds = new Set(Object.keys(sla.regions));
  mustExist(managerIds, sla.routing.ops, ['routing', 'ops'], 'manager');
  sla.routing.managers.forEach((manager, i) => {
    mustExist(managerIds, manager.deputy, ['routing', 'managers', i, 'deputy'], 'manager');
    if (manager.deputy === manager.id)
      report(['routing', 'managers', i, 'deputy'], `manager "${manager.id}" cannot be their own deputy`);
  });
  sla.routing.queues.forEach((queue, i) => {
    mustExist(managerIds, queue.manager, ['routing', 'queues', i, 'manager'], 'manager');
    queue.reps.forEach((rep, j) => {
      mustExist(repIds, rep, ['routing', 'queues', i, 'reps', j], 'rep');
    });
    queue.leadTypes.forEach((type, j) => {
      mustExist(leadTypeIds, type, ['routing', 'queues', i, 'leadTypes', j], 'lead type');
    });
    queue.regions.forEach((region, j) => {
      if (!regionIds.has(region) && !/^[A-Z]{2}$/.test(region)) {
        report(
          ['routing', 'queues', i, 'regions', j],
          `"${region}" is neither a declared region (${[...regionIds].join(', ') || 'none'}) nor an ISO country code`,
        );
      }
    });
  });
  sla.routing.accounts.forEach((account, i) => {
    mustExist(repIds, account.owner, ['routing', 'accounts', i, 'owner'], 'rep');
  });

  // lead types
  const cadenceIds = unique(sla.contact.cadences, ['contact', 'cadences'], 'cadence');
  sla.leadTypes.forEach((type, i) => {
    const path: Path = ['leadTypes', i, 'overrides'];
    if (!type.match && i < sla.leadTypes.length - 1) {
      report(
        ['leadTypes', i],
        `lead type "${type.id}" matches every lead, so the types after it never match`,
      );
    }
    mustExist(queueIds, type.overrides.queue, [...path, 'queue'], 'queue');
    mustExist(cadenceIds, type.overrides.cadence, [...path, 'cadence'], 'cadence');
    mustExist(trackIds, type.overrides.nurtureTrack, [...path, 'nurtureTrack'], 'nurture track');
    type.overrides.ignoreRules.forEach((rule, j) => {
      mustExist(ruleIds, rule, [...path, 'ignoreRules', j], 'scoring rule');
    });
    const own = type.overrides.thresholds;
    if (own) {
      const mql = own.mql ?? sla.scoring.thresholds.mql;
      const sql = own.sql ?? sla.scoring.thresholds.sql;
      if (mql >= sql)
        report(
          [...path, 'thresholds'],
          `MQL ${mql} must be below SQL ${sql} (missing ones come from scoring.thresholds)`,
        );
    }
    if (type.overrides.assignTo === 'accountOwner' && sla.routing.accounts.length === 0) {
      report([...path, 'assignTo'], 'assignTo is accountOwner but routing.accounts is empty');
    }
  });

  // lead statuses: the workflow needs one status for each moment
  const statusIds = unique(sla.leadStatuses, ['leadStatuses'], 'lead status');
  for (const moment of STATUS_MOMENTS) {
    const setters = sla.leadStatuses.filter((status) => status.setWhen === moment);
    if (setters.length === 0 && !OPTIONAL_STATUS_MOMENTS.includes(moment)) {
      report(['leadStatuses'], `no status has setWhen: ${moment}`);
    }
    if (setters.length > 1) {
      report(
        ['leadStatuses'],
        `several statuses have setWhen: ${moment} (${setters.map((s) => s.id).join(', ')})`,
      );
    }
  }

  // deal stages
  const dealStageIds = unique(sla.deals.stages, ['deals', 'stages'], 'deal stage');
  const won = sla.deals.stages.filter((stage) => stage.won);
  if (won.length !== 1)
    report(['deals', 'stages'], `exactly one deal stage must be won: true (found ${won.length})`);
  if (!sla.deals.stages.some((stage) => stage.lost))
    report(['deals', 'stages'], 'one deal stage must be lost: true');
  sla.deals.stages.forEach((stage, i) => {
    if ([stage.won, stage.lost, stage.onHold].filter(Boolean).length > 1) {
      report(['deals', 'stages', i], `deal stage "${stage.id}" can be only one of won, lost, onHold`);
    }
  });

  // handoff and contact (notifyManager is skipped, with a reason, for reps without a manager)
  mustExist(cadenceIds, sla.contact.defaultCadence, ['contact', 'defaultCadence'], 'cadence');
  unique(sla.contact.outcomes, ['contact', 'outcomes'], 'outcome');
  if (!sla.contact.outcomes.some((o) => o.action === 'connected' || o.action === 'meetingBooked')) {
    report(
      ['contact', 'outcomes'],
      'no outcome has action connected or meetingBooked: no lead could ever connect',
    );
  }

  // migrations: each source is an id this SLA removed, each target one it has
  const migrationKinds = {
    reps: [repIds, 'rep'],
    dealStages: [dealStageIds, 'deal stage'],
    tracks: [trackIds, 'nurture track'],
    leadTypes: [leadTypeIds, 'lead type'],
    queues: [queueIds, 'queue'],
    statuses: [statusIds, 'lead status'],
  } as const;
  for (const [kind, [known, what]] of Object.entries(migrationKinds)) {
    for (const [from, to] of Object.entries(sla.migrations[kind as keyof typeof migrationKinds])) {
      const path: Path = ['migrations', kind, from];
      if (known.has(from)) {
        report(path, `${what} "${from}" is still in this SLA: migrate only ids it no longer has`);
      }
      mustExist(known, to, path, what);
    }
  }
  return issues;
}

function templateVariables(text: string): string[] {
  return [...text.matchAll(/\{\{\{?\s*([^}\s]+)\s*\}?\}\}/g)].map((match) => match[1]!);
}
