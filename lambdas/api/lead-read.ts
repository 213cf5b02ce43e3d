/**
 * GET /leads/{id}: where the lead stands under the SLA (stage, status, type, persona, journey,
 * scores, owner, deal, SLA version, and `sla`: first touch, cadence, escalation, handovers) and
 * the timeline of every change with its reason and the SLA version that decided it (the whole kept
 * history: the state's tail after the entries moved to their own items).
 */
import { type LeadState, withEarlierEntries } from '../domain/lead-state.ts';
import { slaStanding } from '../domain/sla-standing.ts';
import type { ApiDeps } from './deps.ts';
import { type HttpEvent, json } from './http.ts';
import { requireLead } from './lead-access.ts';
import { apiHandler } from './middleware.ts';
import { requireAllowed } from './permissions.ts';
import { viewerOf } from './viewer.ts';

/** The most recent events shown; the count tells whether there are more. */
const EVENTS_SHOWN = 100;

export function getLeadHandler(deps: ApiDeps) {
  return apiHandler('GET /leads/{id}', async (event: HttpEvent) => {
    const viewer = viewerOf(deps.sla, event, deps.clock.now());
    const stored = await requireLead(deps, event);
    requireAllowed(viewer, stored, 'read');
    const [events, attempts, earlier] = await Promise.all([
      deps.store.listEvents(stored.leadId),
      deps.store.listAttempts(stored.leadId),
      // the entries moved off the state item (ADR 0021): the whole kept history is shown
      deps.store.listMovedEntries(stored),
    ]);
    const lead = withEarlierEntries(stored, earlier);
    return json(200, {
      ...leadView(deps, lead),
      sla: slaStanding(deps.sla, { lead, attempts, now: deps.clock.now() }),
      attempts,
      eventCount: events.length,
      events: events.slice(-EVENTS_SHOWN),
      // entries stored before versions were recorded say so with null
      timeline: lead.timeline.map((entry) => ({ ...entry, version: entry.version ?? null })),
      timelineDropped: lead.timelineDropped,
    });
  });
}

export function leadView(deps: ApiDeps, lead: LeadState) {
  const owner = deps.sla.routing.reps.find((rep) => rep.id === lead.ownerId);
  const dealStage = deps.sla.deals.stages.find((stage) => stage.id === lead.deal?.stageId);
  return {
    leadId: lead.leadId,
    cycle: lead.cycle,
    email: lead.email ?? null,
    fields: lead.fields,
    lifecycleStage: lead.stage,
    lifecycleStageName: deps.sla.lifecycle.names[lead.stage],
    leadStatus: lead.status,
    leadType: lead.leadType,
    persona: lead.persona ?? null,
    journeyStage: lead.journeyStage,
    scores: { fit: lead.fit, fitTier: lead.fitTier, engagement: lead.engagement, total: lead.total },
    owner: lead.ownerId ? { id: lead.ownerId, name: owner?.name ?? null } : null,
    handedOffAt: lead.handedOffAt ?? null,
    deal: lead.deal
      ? { ...lead.deal, stageName: dealStage?.name ?? null, probability: dealStage?.probability ?? null }
      : null,
    marketingConsent: lead.marketingConsent,
    // values forms posted that no rule reads (ADR 0018), and consent notices as shown and answered
    fieldIssues: lead.fieldIssues ?? [],
    legalConsents: lead.legalConsents ?? [],
    consent: consentView(deps, lead),
    unsubscribed: lead.unsubscribed,
    erasedAt: lead.erasedAt ?? null,
    slaVersion: lead.slaVersion,
    judgedAt: lead.judgedAt,
    createdAt: lead.createdAt,
    updatedAt: lead.updatedAt,
  };
}

/** The consent record: when, where (form by its SLA name, page), what text, confirmed or withdrawn when. */
function consentView(deps: ApiDeps, lead: LeadState) {
  const record = lead.consent;
  if (!record) return null;
  const form = deps.sla.forms.find((candidate) => candidate.id === record.formId);
  return {
    mode: record.mode,
    status: record.withdrawnAt ? 'withdrawn' : record.confirmedAt ? 'confirmed' : 'awaiting confirmation',
    givenAt: record.givenAt,
    formId: record.formId ?? null,
    formName: form?.name ?? null,
    pageUrl: record.pageUrl ?? null,
    text: record.text,
    confirmedAt: record.confirmedAt ?? null,
    withdrawnAt: record.withdrawnAt ?? null,
    // consent given again after an unsubscribe: when the earlier one was withdrawn
    previouslyWithdrawnAt: record.previouslyWithdrawnAt ?? null,
  };
}
