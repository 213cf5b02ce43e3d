/**
 * Idempotency and optimistic locking under real parallelism, through the real local server (dynalite, the
 * DynamoDB store, HTTP over a socket): one attemptId is stored and applied once however many copies arrive at
 * once; distinct attempts, deal and status updates fighting over one lead all land (contention is retried
 * inside, never answered 409); a real business conflict answers 409 and stores nothing.
 */
import { describe, expect, it } from 'vitest';
import { withMovedEntries } from '../../lambdas/ports/lead-store.ts';
import { type ApiResponse, expectError, MINUTE, salesRoutes, T0, useLocalApi } from '../support/local-api.ts';

const PARALLEL = 50;

interface AttemptView {
  leadId: string;
  stage: string;
  status: string;
  ownerId: string | null;
  attemptId: string;
  duplicate: boolean;
}

// 50 writers racing for one lead: seconds on a quiet machine, more on a loaded one (never a timed assertion)
describe('sales routes under concurrency (real HTTP, dynalite)', { timeout: 60_000 }, () => {
  const api = useLocalApi();

  const routes = salesRoutes(api);
  const handedOffLead = () => routes.handedOffLead('burst');
  const { attempt, deal, status } = routes;

  async function stored(leadId: string) {
    const lead = await api.runtime.deps.store.getLead(leadId);
    if (!lead) throw new Error(`no lead ${leadId}`);
    const attempts = await api.runtime.deps.store.listAttempts(leadId);
    // the whole story: the tail on the state and the entries moved to their own items (ADR 0032)
    const story = (await withMovedEntries(api.runtime.deps.store, lead)).timeline;
    const entries = (kind: string) => story.filter((entry) => entry.kind === kind);
    return { lead, attempts, entries };
  }
  const signals = (leadId: string, detail: string) =>
    api.workflowCalls(leadId).filter((call) => call.action === 'signal' && call.detail === detail);
  const statuses = (responses: readonly ApiResponse[]) =>
    responses.map((response) => response.status).sort((a, b) => a - b);

  describe('one attemptId sent 50 times at once', () => {
    it.each([
      ['identical copies', () => ({})],
      // a client that stamps each try with its own time: the time must not be part of what dedupes it
      [
        'copies stamped with different times',
        (i: number) => ({ at: new Date(T0.getTime() + i * 100).toISOString() }),
      ],
    ])(
      '%s: stored once, applied once, one 201 and 49 duplicates with the same result',
      async (_kind, extra) => {
        // Arrange
        const leadId = await handedOffLead();
        const before = await stored(leadId);

        // Act
        const responses = await Promise.all(
          Array.from({ length: PARALLEL }, (_, i) =>
            attempt(leadId, {
              attemptId: 'crm-call-77',
              outcome: 'no-answer',
              channel: 'phone',
              ...extra(i),
            }),
          ),
        );

        // Assert: one 201, the others 200 duplicate, all with the same lead view
        for (const response of responses) expect([200, 201], response.text).toContain(response.status);
        expect(statuses(responses)).toEqual([...Array(PARALLEL - 1).fill(200), 201]);
        const bodies = responses.map((response) => response.body as AttemptView);
        expect(bodies.filter((body) => body.duplicate)).toHaveLength(PARALLEL - 1);
        for (const body of bodies) {
          expect(body).toMatchObject({
            leadId,
            stage: 'sql',
            status: 'attempting-contact',
            ownerId: 'jonas',
            attemptId: 'crm-call-77',
          });
        }
        // stored once, applied once: one attempt item, one timeline entry, one version, one signal
        const after = await stored(leadId);
        expect(after.attempts.map((a) => a.attemptId)).toEqual(['crm-call-77']);
        expect(after.entries('attempt').length - before.entries('attempt').length).toBe(1);
        expect(after.lead.version).toBe(before.lead.version + 1);
        expect(signals(leadId, 'attempt')).toHaveLength(1);
      },
    );
  });

  it('50 distinct attempts at once: every one answered 201, stored once and applied once', async () => {
    // Arrange
    const leadId = await handedOffLead();
    const before = await stored(leadId);
    const ids = Array.from({ length: PARALLEL }, (_, i) => `dialer-${i}`);

    // Act
    const responses = await Promise.all(
      // all at one frozen instant: the ids alone tell them apart
      ids.map((attemptId) => attempt(leadId, { attemptId, outcome: 'no-answer' })),
    );

    // Assert: contention is the server's problem, never a 409
    for (const response of responses) expect(response.status, response.text).toBe(201);
    const after = await stored(leadId);
    expect(after.attempts.map((a) => a.attemptId).sort()).toEqual([...ids].sort());
    const added = after.entries('attempt').slice(before.entries('attempt').length);
    expect(added).toHaveLength(PARALLEL);
    expect(after.lead.version).toBe(before.lead.version + PARALLEL);
    // only one of them is the first attempt since the handoff, however they interleaved
    const firsts = added.filter((entry) =>
      entry.reasons.some((reason) => reason.detail.includes('first contact attempt')),
    );
    expect(firsts).toHaveLength(1);
    expect(after.lead.status).toBe('attempting-contact');
  });

  it('attempts racing a disqualifying one: each is either applied and stored, or 409 with nothing stored', async () => {
    // Arrange
    const leadId = await handedOffLead();
    const before = await stored(leadId);
    const sends = Array.from({ length: PARALLEL }, (_, i) => ({
      attemptId: `race-${i}`,
      outcome: i === 10 ? 'not-interested' : 'no-answer',
    }));

    // Act
    const responses = await Promise.all(sends.map((body) => attempt(leadId, body)));

    // Assert
    const after = await stored(leadId);
    const storedIds = new Set(after.attempts.map((a) => a.attemptId));
    let accepted = 0;
    responses.forEach((response, i) => {
      const id = sends[i]!.attemptId;
      if (response.status === 201) {
        accepted++;
        expect(storedIds.has(id), id).toBe(true);
      } else {
        expectError(response, 409, 'closed');
        expect(storedIds.has(id), `${id} answered 409 yet was stored`).toBe(false);
      }
    });
    expect(responses[10]?.status).toBe(201);
    expect(after.attempts).toHaveLength(accepted);
    expect(after.entries('attempt').length - before.entries('attempt').length).toBe(accepted);
    expect(after.lead.version).toBe(before.lead.version + accepted);
    expect(after.lead.status).toBe('unqualified');
  });

  it('50 status and deal updates at once all land: no 409 from mere concurrency', async () => {
    // Arrange
    const leadId = await handedOffLead();
    const before = await stored(leadId);

    // Act
    const responses = await Promise.all(
      Array.from({ length: PARALLEL }, (_, i) =>
        i % 2
          ? status(leadId, { status: i % 4 === 1 ? 'connected' : 'bad-timing' })
          : deal(leadId, { stage: i % 4 === 0 ? 'discovery' : 'quote-development', amount: i }),
      ),
    );

    // Assert
    for (const response of responses) expect(response.status, response.text).toBe(200);
    const after = await stored(leadId);
    expect(after.lead.version).toBe(before.lead.version + PARALLEL);
    expect(after.entries('status').length - before.entries('status').length).toBe(PARALLEL / 2);
    expect(after.entries('deal').length - before.entries('deal').length).toBe(PARALLEL / 2);
    expect(after.attempts).toEqual([]);
  });

  it('deal updates racing a won deal: each lands, or answers 409 closed and changes nothing', async () => {
    // Arrange
    const leadId = await handedOffLead();
    const before = await stored(leadId);

    // Act
    const responses = await Promise.all(
      Array.from({ length: PARALLEL }, (_, i) =>
        deal(leadId, { stage: i === 7 ? 'closed-won' : 'quote-presented', amount: i }),
      ),
    );

    // Assert: a real conflict (the lead became a customer) is a 409; everything else landed
    expect(responses[7]?.status, responses[7]?.text).toBe(200);
    let landed = 0;
    for (const response of responses) {
      if (response.status === 200) landed++;
      else expectError(response, 409, 'closed');
    }
    const after = await stored(leadId);
    expect(after.lead.version).toBe(before.lead.version + landed);
    expect(after.entries('deal').length - before.entries('deal').length).toBe(landed);
    expect(after.lead.stage).toBe('customer');
    expect(after.lead.deal?.stageId).toBe('closed-won');
  });

  it('a replay long after the burst is still a duplicate', async () => {
    // Arrange
    const leadId = await handedOffLead();
    await Promise.all(
      Array.from({ length: 10 }, () => attempt(leadId, { attemptId: 'late-1', outcome: 'voicemail' })),
    );
    const before = await stored(leadId);
    api.clock.advance(30 * MINUTE);

    // Act
    const replay = await attempt(leadId, { attemptId: 'late-1', outcome: 'voicemail' });

    // Assert
    expect(replay.status, replay.text).toBe(200);
    expect(replay.body).toMatchObject({ attemptId: 'late-1', duplicate: true });
    const after = await stored(leadId);
    expect(after.lead.version).toBe(before.lead.version);
    expect(after.attempts).toEqual(before.attempts);
  });
});
