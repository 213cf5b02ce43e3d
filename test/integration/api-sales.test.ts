/**
 * The sales side through the real local server: POST /leads/{id}/attempts, PUT /leads/{id}/deal and
 * PATCH /leads/{id}/status. Checked against the default SLA's outcomes, deal stages and statuses; 409 before
 * a rep owns the lead or once it is closed; replays by attemptId; concurrent updates all landing.
 */
import { describe, expect, it } from 'vitest';
import { updateLead } from '../../lambdas/ports/lead-store.ts';
import {
  DAY,
  expectError,
  type LocalApi,
  MINUTE,
  SQL_LEAD,
  salesRoutes,
  T0,
  useLocalApi,
} from '../support/local-api.ts';

interface SalesView {
  leadId: string;
  stage: string;
  status: string;
  ownerId: string | null;
  deal: { stageId: string; since: string; openedAt: string; amount?: number; name?: string } | null;
  attemptId?: string;
  duplicate?: boolean;
}

async function snapshot(api: LocalApi, leadId: string) {
  const state = await api.runtime.deps.store.getLead(leadId);
  const attempts = await api.runtime.deps.store.listAttempts(leadId);
  return { version: state?.version, stage: state?.stage, status: state?.status, deal: state?.deal, attempts };
}

describe('sales routes', () => {
  const api = useLocalApi();

  const routes = salesRoutes(api);
  const handedOffLead = () => routes.handedOffLead('sql');
  const { attempt, deal, status } = routes;

  const ROUTES = [
    ['POST attempts', attempt, { outcome: 'connected' }],
    ['PUT deal', deal, { stage: 'discovery' }],
    ['PATCH status', status, { status: 'bad-timing' }],
  ] as const;

  it.each(ROUTES)(
    '%s answers 409 before the lead is handed to a rep, changing nothing',
    async (_route, send, body) => {
      // Arrange
      const leadId = await api.createLead({ email: api.uniqueEmail('unowned'), ...SQL_LEAD });
      const before = await snapshot(api, leadId);

      // Act
      const response = await send(leadId, body);

      // Assert
      expectError(response, 409, 'not_handed_off');
      expect(await snapshot(api, leadId)).toEqual(before);
    },
  );

  it.each([
    ['POST attempts', attempt, { outcome: 'carrier-pigeon' }, 'outcome'],
    ['PUT deal', deal, { stage: 'negotiation' }, 'stage'],
    ['PATCH status', status, { status: 'hot' }, 'status'],
    ['PATCH status (one only the workflow sets)', status, { status: 'nurturing' }, 'status'],
    ['PATCH status (handoff)', status, { status: 'new' }, 'status'],
  ] as const)(
    '%s answers 422 naming the field for what the SLA does not know or allow',
    async (_route, send, body, path) => {
      // Arrange
      const leadId = await handedOffLead();
      const before = await snapshot(api, leadId);

      // Act
      const response = await send(leadId, body);

      // Assert
      expectError(response, 422, 'unprocessable', path);
      expect(await snapshot(api, leadId)).toEqual(before);
    },
  );

  describe('attempts', () => {
    it.each([
      ['no-answer', 'sql', 'attempting-contact', 'jonas'],
      ['voicemail', 'sql', 'attempting-contact', 'jonas'],
      ['connected', 'sql', 'connected', 'jonas'],
      ['meeting-booked', 'sql', 'connected', 'jonas'],
      ['not-interested', 'sql', 'unqualified', 'jonas'],
      ['bad-data', 'sql', 'unqualified', 'jonas'],
      ['not-now', 'lead', 'recycled-not-ready', null],
    ])(
      'logs a first attempt with outcome %s: stage %s, status %s, owner %s',
      async (outcome, stage, leadStatus, ownerId) => {
        // Arrange
        const leadId = await handedOffLead();

        // Act
        const response = await attempt(leadId, { outcome, channel: 'phone', note: 'called the plant' });

        // Assert
        expect(response.status, response.text).toBe(201);
        expect(response.body).toMatchObject({
          leadId,
          stage,
          status: leadStatus,
          ownerId,
          duplicate: false,
        });
        const attempts = await api.runtime.deps.store.listAttempts(leadId);
        expect(attempts).toEqual([
          {
            attemptId: (response.body as SalesView).attemptId,
            at: T0.toISOString(),
            outcomeId: outcome,
            repId: 'jonas',
            channel: 'phone',
            note: 'called the plant',
          },
        ]);
        const lead = await api.readLead(leadId);
        expect(lead.timeline.at(-1)).toMatchObject({
          kind: 'attempt',
          to: `${stage}/${leadStatus}`,
          by: 'api:admin',
        });
        expect(lead.timeline.at(-1)?.reasons.map((reason) => reason.rule)).toContain(
          `contact.outcome.${outcome}`,
        );
        expect(api.workflowCalls(leadId)).toContainEqual({ action: 'signal', detail: 'attempt' });
      },
    );

    it.each([
      ['without a time (the retry gets a later clock)', {}],
      ['with the same time', { at: T0.toISOString() }],
    ])('treats a replayed attemptId %s as a no-op', async (_kind, extra) => {
      // Arrange
      const leadId = await handedOffLead();
      const body = { attemptId: 'crm-call-1', outcome: 'no-answer', ...extra };
      const first = await attempt(leadId, body);
      expect(first.status).toBe(201);
      const before = await snapshot(api, leadId);
      api.clock.advance(MINUTE);

      // Act
      const replay = await attempt(leadId, body);

      // Assert
      expect(replay.status).toBe(200);
      expect(replay.body).toMatchObject({ attemptId: 'crm-call-1', duplicate: true });
      expect(await snapshot(api, leadId)).toEqual(before);
    });

    it('applies a replayed attempt whose first try was stored but never applied', async () => {
      // Arrange: the first try stored the attempt, then failed before saving its effect (fault
      // simulated by writing the attempt item alone, as that try would have left it)
      const leadId = await handedOffLead();
      await api.runtime.deps.store.appendAttempt(leadId, {
        attemptId: 'crm-call-2',
        at: T0.toISOString(),
        outcomeId: 'connected',
        repId: 'jonas',
      });

      // Act: the client retries
      const retry = await attempt(leadId, { attemptId: 'crm-call-2', outcome: 'connected' });

      // Assert: applied now (the lead is connected), once: the next replay is a no-op
      expect(retry.status, retry.text).toBe(201);
      expect(retry.body).toMatchObject({ status: 'connected', duplicate: false });
      const again = await attempt(leadId, { attemptId: 'crm-call-2', outcome: 'connected' });
      expect(again.body).toMatchObject({ duplicate: true });
      expect(await api.runtime.deps.store.listAttempts(leadId)).toHaveLength(1);
    });

    it.each([
      ['disqualified it', 'not-interested', 'unqualified'],
      ['recycled it to marketing', 'not-now', 'recycled-not-ready'],
    ])(
      'answers a replay of an attempt that %s as a duplicate, not a 409',
      async (_kind, outcome, leadStatus) => {
        // Arrange
        const leadId = await handedOffLead();
        const body = { attemptId: `crm-${outcome}`, outcome };
        const first = await attempt(leadId, body);
        expect(first.status, first.text).toBe(201);
        const before = await snapshot(api, leadId);

        // Act
        const replay = await attempt(leadId, body);

        // Assert
        expect(replay.status, replay.text).toBe(200);
        expect(replay.body).toMatchObject({
          attemptId: `crm-${outcome}`,
          status: leadStatus,
          duplicate: true,
        });
        expect(await snapshot(api, leadId)).toEqual(before);
      },
    );

    it('answers 409 for an attempt on a disqualified lead', async () => {
      // Arrange
      const leadId = await handedOffLead();
      expect((await attempt(leadId, { outcome: 'not-interested' })).status).toBe(201);
      const before = await snapshot(api, leadId);

      // Act
      const response = await attempt(leadId, { outcome: 'connected' });

      // Assert
      expectError(response, 409, 'closed');
      expect(await snapshot(api, leadId)).toEqual(before);
    });

    it.each<[string, Record<string, unknown>, number, string, string]>([
      ['no outcome', { channel: 'phone' }, 400, 'invalid_request', 'outcome'],
      ['an unknown channel', { outcome: 'no-answer', channel: 'pigeon' }, 400, 'invalid_request', 'channel'],
      ['a time in words', { outcome: 'no-answer', at: 'this morning' }, 400, 'invalid_request', 'at'],
      [
        'an attemptId with a slash',
        { outcome: 'no-answer', attemptId: 'a/b' },
        400,
        'invalid_request',
        'attemptId',
      ],
      ['an unknown field', { outcome: 'no-answer', duration: 5 }, 400, 'invalid_request', 'duration'],
      ['an outcome that is an array', { outcome: ['connected'] }, 400, 'invalid_request', 'outcome'],
      [
        'a time tomorrow',
        { outcome: 'no-answer', at: new Date(T0.getTime() + DAY).toISOString() },
        422,
        'unprocessable',
        'at',
      ],
      // not a touch of this handoff: counted, it would show the SLA met in 0 hours
      [
        'a time before the lead was handed off',
        { outcome: 'connected', at: '2000-01-01T09:00:00.000Z' },
        422,
        'unprocessable',
        'at',
      ],
    ])('refuses %s and logs nothing', async (_kind, body, httpStatus, code, path) => {
      // Arrange
      const leadId = await handedOffLead();
      const before = await snapshot(api, leadId);

      // Act
      const response = await attempt(leadId, body);

      // Assert
      expectError(response, httpStatus, code, path);
      expect(await snapshot(api, leadId)).toEqual(before);
    });
  });

  describe('deal', () => {
    it.each([
      ['a new deal', ['discovery'], 'opportunity', 'open-deal', true],
      ['a deal moving on', ['discovery', 'quote-presented'], 'opportunity', 'open-deal', true],
      ['a deal on hold', ['discovery', 'on-hold'], 'opportunity', 'open-deal', true],
      ['a won deal', ['discovery', 'closed-won'], 'customer', 'won', true],
      ['a lost deal (back to marketing)', ['discovery', 'closed-lost'], 'lead', 'recycled-not-ready', false],
    ])('moves the lead for %s (%j): stage %s, status %s', async (_kind, stages, stage, leadStatus, owned) => {
      // Arrange
      const leadId = await handedOffLead();
      for (const dealStage of stages.slice(0, -1)) {
        expect((await deal(leadId, { stage: dealStage })).status).toBe(200);
        api.clock.advance(DAY);
      }

      // Act
      const response = await deal(leadId, {
        stage: stages.at(-1),
        amount: 48_000.5,
        name: 'Line 2 compressors',
      });

      // Assert
      expect(response.status, response.text).toBe(200);
      expect(response.body).toMatchObject({
        stage,
        status: leadStatus,
        // a recycled lead goes back to marketing without an owner or a deal
        ownerId: owned ? 'jonas' : null,
        deal: owned
          ? {
              stageId: stages.at(-1),
              openedAt: T0.toISOString(),
              amount: 48_000.5,
              name: 'Line 2 compressors',
            }
          : null,
      });
      const lead = await api.readLead(leadId);
      expect(lead).toMatchObject({ lifecycleStage: stage, leadStatus });
      expect(lead.timeline.at(-1)?.reasons.map((reason) => reason.rule)).toContain(
        `deals.stage.${stages.at(-1)}`,
      );
    });

    it('keeps a lost deal in cool-off for the SLA lostCoolOff (90 days)', async () => {
      // Arrange
      const leadId = await handedOffLead();
      await deal(leadId, { stage: 'discovery' });

      // Act
      await deal(leadId, { stage: 'closed-lost' });

      // Assert
      const state = await api.runtime.deps.store.getLead(leadId);
      expect(state?.coolOffUntil).toBe(new Date(T0.getTime() + 90 * DAY).toISOString());
    });

    it('opens a new opportunity with a new deal after a lost one, once the lead is handed off again', async () => {
      // Arrange: lost, recycled, cooled off, an SQL again and handed to another rep
      const leadId = await handedOffLead();
      await deal(leadId, { stage: 'discovery', amount: 1000 });
      await deal(leadId, { stage: 'closed-lost' });
      api.clock.advance(100 * DAY);
      await updateLead(api.runtime.deps.store, leadId, (current) => ({ ...current, stage: 'sql' }));
      await api.handOff(leadId, 'lena');
      const reopenedAt = api.clock.now().toISOString();

      // Act
      const response = await deal(leadId, { stage: 'discovery' });

      // Assert
      expect(response.status, response.text).toBe(200);
      expect(response.body).toMatchObject({
        stage: 'opportunity',
        status: 'open-deal',
        ownerId: 'lena',
        deal: { stageId: 'discovery', since: reopenedAt, openedAt: reopenedAt },
      });
      expect((response.body as SalesView).deal).not.toHaveProperty('amount');
    });

    it('keeps the time a deal entered its stage when the same stage is sent again', async () => {
      // Arrange
      const leadId = await handedOffLead();
      await deal(leadId, { stage: 'discovery', amount: 1000 });
      api.clock.advance(DAY);

      // Act
      const response = await deal(leadId, { stage: 'discovery' });

      // Assert
      expect((response.body as SalesView).deal).toEqual({
        stageId: 'discovery',
        since: T0.toISOString(),
        openedAt: T0.toISOString(),
        amount: 1000,
      });
    });

    it('answers 409 once the lead is a customer', async () => {
      // Arrange
      const leadId = await handedOffLead();
      await deal(leadId, { stage: 'closed-won' });
      const before = await snapshot(api, leadId);

      // Act
      const response = await deal(leadId, { stage: 'discovery' });

      // Assert
      expectError(response, 409, 'closed');
      expect(await snapshot(api, leadId)).toEqual(before);
    });

    it.each<[string, Record<string, unknown>, string]>([
      ['no stage', { amount: 10 }, 'stage'],
      ['an amount as text', { stage: 'discovery', amount: '1000' }, 'amount'],
      ['a negative amount', { stage: 'discovery', amount: -1 }, 'amount'],
      ['an amount over a trillion', { stage: 'discovery', amount: 1e13 }, 'amount'],
      ['an amount below DynamoDB precision', { stage: 'discovery', amount: 1e-200 }, 'amount'],
      ['an unknown field', { stage: 'discovery', probability: 90 }, 'probability'],
    ])('refuses %s with 400 naming the field and changes nothing', async (_kind, body, path) => {
      // Arrange
      const leadId = await handedOffLead();
      const before = await snapshot(api, leadId);

      // Act
      const response = await deal(leadId, body);

      // Assert
      expectError(response, 400, 'invalid_request', path);
      expect(await snapshot(api, leadId)).toEqual(before);
    });
  });

  describe('status', () => {
    it.each([
      ['bad-timing', 'sql', 'bad-timing', 'jonas'],
      ['connected', 'sql', 'connected', 'jonas'],
      ['unqualified', 'sql', 'unqualified', 'jonas'],
      ['recycled-not-ready', 'lead', 'recycled-not-ready', null],
    ])('sets %s: stage %s, status %s, owner %s', async (statusId, stage, leadStatus, ownerId) => {
      // Arrange
      const leadId = await handedOffLead();

      // Act
      const response = await status(leadId, { status: statusId });

      // Assert
      expect(response.status, response.text).toBe(200);
      expect(response.body).toMatchObject({ stage, status: leadStatus, ownerId });
      expect(await api.readLead(leadId)).toMatchObject({ lifecycleStage: stage, leadStatus });
      expect(api.workflowCalls(leadId)).toContainEqual({ action: 'signal', detail: 'status' });
    });

    it.each<[string, unknown, string]>([
      ['no status', {}, 'status'],
      ['a number', { status: 5 }, 'status'],
      ['an unknown field', { status: 'connected', reason: 'x' }, 'reason'],
    ])('refuses %s with 400 naming the field', async (_kind, body, path) => {
      // Arrange
      const leadId = await handedOffLead();
      const before = await snapshot(api, leadId);

      // Act
      const response = await status(leadId, body);

      // Assert
      expectError(response, 400, 'invalid_request', path);
      expect(await snapshot(api, leadId)).toEqual(before);
    });
  });

  describe('a lead with an open deal', () => {
    it.each<[string, (leadId: string) => ReturnType<typeof status>, string]>([
      ['status Recycled - not ready', (leadId) => status(leadId, { status: 'recycled-not-ready' }), 'status'],
      ['status Unqualified', (leadId) => status(leadId, { status: 'unqualified' }), 'status'],
      ['an attempt with the outcome Not now', (leadId) => attempt(leadId, { outcome: 'not-now' }), 'outcome'],
      [
        'an attempt with the outcome Not interested',
        (leadId) => attempt(leadId, { outcome: 'not-interested' }),
        'outcome',
      ],
    ])('refuses %s with 422: the deal closes first; nothing written', async (_name, send, path) => {
      // Arrange: a deal in Discovery
      const leadId = await handedOffLead();
      expect((await deal(leadId, { stage: 'discovery' })).status).toBe(200);
      const before = await snapshot(api, leadId);

      // Act
      const response = await send(leadId);

      // Assert
      expectError(response, 422, 'unprocessable', path);
      expect(JSON.stringify(response.body)).toContain('open deal in Discovery');
      expect(await snapshot(api, leadId)).toEqual(before);
    });

    it('the way out: the deal moved to Closed lost recycles the lead', async () => {
      // Arrange
      const leadId = await handedOffLead();
      await deal(leadId, { stage: 'discovery' });

      // Act
      const lost = await deal(leadId, { stage: 'closed-lost' });

      // Assert
      expect(lost.status, lost.text).toBe(200);
      expect(await api.readLead(leadId)).toMatchObject({ leadStatus: 'recycled-not-ready' });
    });
  });

  describe('concurrent updates of one lead (optimistic locking)', () => {
    it.each([
      [
        '8 status changes',
        8,
        (leadId: string, i: number) => status(leadId, { status: i % 2 ? 'connected' : 'bad-timing' }),
      ],
      [
        '8 deal updates',
        8,
        (leadId: string, i: number) =>
          deal(leadId, { stage: i % 2 ? 'discovery' : 'quote-development', amount: i }),
      ],
      [
        '8 mixed status, deal and attempt updates',
        8,
        (leadId: string, i: number) =>
          [
            () => status(leadId, { status: 'bad-timing' }),
            () => deal(leadId, { stage: 'discovery' }),
            () => attempt(leadId, { attemptId: `call-${i}`, outcome: 'no-answer' }),
          ][i % 3]!(),
      ],
    ])('lands all of %s: the version grows by one per update', async (_kind, entries, send) => {
      // Arrange
      const leadId = await handedOffLead();
      const before = await api.runtime.deps.store.getLead(leadId);

      // Act
      const responses = await Promise.all(Array.from({ length: 8 }, (_, i) => send(leadId, i)));

      // Assert
      for (const response of responses) expect(response.status, response.text).toBeLessThan(300);
      const after = await api.runtime.deps.store.getLead(leadId);
      expect(after?.version).toBe((before?.version ?? 0) + 8);
      expect(after?.timeline.length).toBe((before?.timeline.length ?? 0) + entries);
    });
  });
});
