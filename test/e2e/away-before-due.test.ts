/**
 * Out of office across the first-touch deadline (the real runtime, manual time): a rep declared away on
 * the day their first touch would fall due is not handed the lead while another rep can take it, and an
 * account owner who is away then is passed over for the queue (docs/sla-reference.md#routing).
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { Sla } from '../../lambdas/domain/sla-schema.ts';
import { type E2e, exampleLead, startE2e } from '../support/e2e.ts';
import { withRep } from '../support/sla.ts';

let e2e: E2e | undefined;
afterEach(async () => {
  await e2e?.close();
  e2e = undefined;
});

/** The default SLA with Jonas (first in the equipment-sales rotation, owner of hofmann-chemie.de) away. */
function jonasAway(from: string, to: string): Sla {
  return withRep('jonas', { outOfOffice: [{ from, to }] });
}

async function ownerOf(lead: Record<string, unknown>): Promise<string | undefined> {
  const posted = await e2e!.postLead(lead);
  await e2e!.settle();
  const view = await e2e!.readLead((posted.body as { leadId: string }).leadId);
  return view.owner?.id;
}

describe('out of office across the first-touch deadline', () => {
  it('a lead on Friday 16:00 does not go to a rep away from Monday, when the deadline is', async () => {
    // Arrange: Fri 27 Nov 2026 16:00 Berlin; 4bh from then is Mon 30 Nov 11:00, Jonas's first day away
    e2e = await startE2e({
      sla: jonasAway('2026-11-30', '2026-12-11'),
      time: { manual: new Date('2026-11-27T15:00:00.000Z') },
    });

    // Act
    const owner = await ownerOf({ ...exampleLead('hot'), email: 'friday@away.example' });

    // Assert
    expect(owner).toBeDefined();
    expect(owner).not.toBe('jonas');
    expect(await e2e.mailsTo('jonas.berger@kessler-industrial.example')).toEqual([]);
  });

  it('an existing customer whose account owner is away today goes to the queue', async () => {
    // Arrange: Mon 30 Nov 2026 10:00 Berlin, Jonas (owner of hofmann-chemie.de) away all week
    e2e = await startE2e({
      sla: jonasAway('2026-11-30', '2026-12-04'),
      time: { manual: new Date('2026-11-30T09:00:00.000Z') },
    });

    // Act
    const owner = await ownerOf(exampleLead('customer'));

    // Assert
    expect(owner).toBeDefined();
    expect(owner).not.toBe('jonas');
    expect(await e2e.mailsTo('jonas.berger@kessler-industrial.example')).toEqual([]);
  });
});
