/**
 * The console shows the workflow's reasons to people in the SLA's words: a nurture track and a form by
 * the names the SLA gives them, not their ids (queues, lead types, stages and statuses too); an id the SLA does not know stays as written.
 */
import { describe, expect, it } from 'vitest';
import { humanize } from '../../lambdas/api/console/views.ts';
import { loadDefaultSla } from '../support/sla.ts';

const sla = loadDefaultSla();

describe('a reason in the lead story, for a person', () => {
  it.each([
    ['nurture email 1 of track ready-to-decide', 'nurture email 1 of track "Asked for a demo or quote"'],
    [
      'confirmed the subscription given on form efficiency-guide at 2026-11-30T08:00:00.000Z',
      'confirmed the subscription given on form "Compressed-air efficiency guide" at Mon 30 Nov 2026, 09:00 CET',
    ],
    ['nurture email 2 of track retired-track', 'nurture email 2 of track retired-track'],
    ['reminded jonas', 'reminded Jonas Berger'],
    [
      'Jonas Berger is next in the rotation of queue equipment-sales (turn 1, 3 available)',
      'Jonas Berger is next in the rotation of queue "Equipment sales" (turn 1, 3 available)',
    ],
    [
      'Equipment sales serves lead type equipment-sales in DE',
      'Equipment sales serves lead type "Equipment sales" in DE',
    ],
    ['sql -> opportunity', 'Sales qualified lead → Opportunity'],
    [
      'recycled sql -> lead (declared in lifecycle.recycle), status recycled-not-ready',
      'recycled Sales qualified lead → Lead (declared in lifecycle.recycle), status "Recycled - not ready"',
    ],
    [
      'enters as sql (qualifies as sql), status nurturing',
      'enters as Sales qualified lead (qualifies as Sales qualified lead), status "Nurturing"',
    ],
    ['stage mql without an owner', 'stage Marketing qualified lead without an owner'],
    ['nobody in queue retired-queue can take the lead', 'nobody in queue retired-queue can take the lead'],
  ])('%s', (detail, shown) => {
    expect(humanize(sla, detail, 'Europe/Berlin')).toBe(shown);
  });
});
