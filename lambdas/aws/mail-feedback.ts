/**
 * Lambda entry point: SES bounce and complaint events of the configuration set, from EventBridge
 * (lib/mail.ts), mark the lead's email undeliverable (shared/mail-feedback.ts).
 */
import './shared/source-mapped-stacks.ts';
import type { EventBridgeEvent } from 'aws-lambda';
import { systemClock } from '../ports/clock.ts';
import { applyMailFeedback, type SesEventRecord } from './shared/mail-feedback.ts';
import { bundledSla } from './shared/sla.ts';
import { indexRulesOf, leadStore } from './shared/store.ts';

// its write gives the lead the index entries a writer with the SLA gives (no next-step entry past contact)
const deps = { store: leadStore(process.env, undefined, indexRulesOf(bundledSla)), clock: systemClock };

export const handler = async (event: EventBridgeEvent<string, SesEventRecord>): Promise<void> => {
  await applyMailFeedback(deps, event.detail);
};
