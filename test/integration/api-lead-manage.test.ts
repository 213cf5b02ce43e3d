/**
 * POST /leads/{id}/owner and PATCH /leads/{id}/fields through the real local server, and what a
 * rep or manager may do (reassign and correctFields with their viewer, on the same runtime).
 */
import { describe, expect, it } from 'vitest';
import type { HttpEvent } from '../../lambdas/api/http.ts';
import { deleteLeadHandler } from '../../lambdas/api/lead-erase.ts';
import { correctFields, reassign } from '../../lambdas/api/lead-manage.ts';
import { postAttemptHandler } from '../../lambdas/api/lead-sales.ts';
import { viewerOf } from '../../lambdas/api/viewer.ts';
import { expectError, SQL_LEAD, salesRoutes, useLocalApi } from '../support/local-api.ts';

describe('manual corrections', () => {
  const api = useLocalApi();
  const routes = salesRoutes(api);
  const as = (principal: string) =>
    viewerOf(api.sla, { requestContext: { authorizer: { principalId: principal } } } as unknown as HttpEvent);

  it('reassigns a lead: new owner, a fresh first-touch clock, the timeline names who and why, the workflow is told', async () => {
    // Arrange
    const leadId = await routes.handedOffLead('owner');

    // Act
    const response = await api.request('POST', `/leads/${leadId}/owner`, {
      json: { owner: 'lena', reason: 'speaks Bavarian' },
    });

    // Assert
    expect(response.status, response.text).toBe(200);
    expect(response.body).toMatchObject({ leadId, ownerId: 'lena' });
    const lead = await api.readLead(leadId);
    expect(lead.owner).toEqual({ id: 'lena', name: 'Lena Hartmann' });
    expect(lead.timeline.at(-1)).toMatchObject({
      kind: 'owner',
      from: 'jonas',
      to: 'lena',
      by: 'api:admin',
      reasons: [{ rule: 'owner.manual', detail: 'speaks Bavarian' }],
    });
    expect(api.workflowCalls(leadId).map((call) => call.detail)).toContain('owner');
  });

  it('corrects fields: the timeline records old and new, the lead is judged again', async () => {
    // Arrange
    const leadId = await api.createLead({
      email: api.uniqueEmail('fields'),
      company: 'Brauhus',
      ...SQL_LEAD,
      employees: 20,
    });
    const before = await api.readLead(leadId);

    // Act
    const response = await api.request('PATCH', `/leads/${leadId}/fields`, {
      json: { fields: { company: 'Brauhaus Werke', employees: 800, interest: null } },
    });

    // Assert
    expect(response.status, response.text).toBe(200);
    const lead = await api.readLead(leadId);
    expect(lead.fields).toMatchObject({ company: 'Brauhaus Werke', employees: 800 });
    const changes = lead.timeline.filter((entry) => entry.kind === 'field');
    expect(changes.map(({ from, to, by, reasons }) => ({ from, to, by, field: reasons[0]!.detail }))).toEqual(
      [
        { from: 'Brauhus', to: 'Brauhaus Werke', by: 'api:admin', field: 'company' },
        { from: '20', to: '800', by: 'api:admin', field: 'employees' },
      ],
    );
    expect(lead.scores.fit).toBeGreaterThan(before.scores.fit);
  });

  it.each([
    ['employees', '1,200', 1200],
    ['employees', '٨٥٠', 850],
    ['revenue', '2.5M', 2_500_000],
    ['country', 'Germany', 'DE'],
    ['country', 'السعودية', 'SA'],
    ['phone', '٠٥٠١٢٣٤٥٦٧', '0501234567'],
    ['company', '  Brauhaus Werke ', 'Brauhaus Werke'],
    ['firstName', '   ', undefined],
  ])('a correction of %s to %j is read as a form post reads it: %j', async (field, given, stored) => {
    // Arrange: a CRM or a rep corrects a typed field with text
    const leadId = await routes.handedOffLead(`read-${field}`);

    // Act
    const response = await api.request('PATCH', `/leads/${leadId}/fields`, {
      json: { fields: { [field]: given } },
    });

    // Assert: the value the rules read (a count compares, a region holds codes, a phone dials)
    expect(response.status, response.text).toBe(200);
    expect((await api.readLead(leadId)).fields[field]).toEqual(stored);
  });

  it.each([
    ['/owner', 'POST', { owner: 'nobody' }, 422, 'owner'],
    ['/owner', 'POST', { owner: 'lena', extra: 1 }, 400, 'extra'],
    ['/fields', 'PATCH', { fields: { email: 'x@y.example' } }, 400, 'fields.email'],
    ['/fields', 'PATCH', { fields: { 'bad key': 'x' } }, 400, 'fields.bad key'],
    ['/fields', 'PATCH', { fields: { notes: { nested: true } } }, 400, 'fields.notes'],
    ['/fields', 'PATCH', { fields: {} }, 400, 'fields'],
    ['/fields', 'PATCH', { fields: { phone: 'call Sam after 5' } }, 400, 'fields.phone'],
    ['/fields', 'PATCH', { fields: { employees: 'lots' } }, 400, 'fields.employees'],
    ['/fields', 'PATCH', { fields: { country: 'Atlantis' } }, 400, 'fields.country'],
    ['/fields', 'PATCH', { fields: { phone: true } }, 400, 'fields.phone'],
    // JSON.parse makes "__proto__" an own key (an object literal could not)
    [
      '/fields',
      'PATCH',
      JSON.parse('{"fields":{"__proto__":"x","company":"Acme"}}'),
      400,
      'fields.__proto__',
    ],
  ])('%s %s %j answers %i naming %s, and changes nothing', async (path, method, json, status, field) => {
    // Arrange
    const leadId = await routes.handedOffLead('bad');
    const before = await api.runtime.deps.store.getLead(leadId);

    // Act
    const response = await api.request(method, `/leads/${leadId}${path}`, { json });

    // Assert
    expectError(response, status, status === 422 ? 'unprocessable' : 'invalid_request', field);
    expect((await api.runtime.deps.store.getLead(leadId))?.version).toBe(before?.version);
  });

  it("a rep may not reassign, and may not touch another rep's lead; a manager only within the team", async () => {
    // Arrange: jonas's lead (katrin's team)
    const leadId = await routes.handedOffLead('perm');

    // Act + Assert
    await expect(
      reassign(api.runtime.deps, as('rep:jonas'), leadId, { owner: 'lena' }),
    ).rejects.toMatchObject({ status: 403 });
    await expect(
      correctFields(api.runtime.deps, as('rep:carla'), leadId, { company: 'X' }),
    ).rejects.toMatchObject({ status: 404 });
    await expect(
      reassign(api.runtime.deps, as('manager:dan'), leadId, { owner: 'carla' }),
    ).rejects.toMatchObject({ status: 404 });
    await expect(
      reassign(api.runtime.deps, as('manager:katrin'), leadId, { owner: 'carla' }),
    ).rejects.toMatchObject({ status: 422 });
    const moved = await reassign(api.runtime.deps, as('manager:katrin'), leadId, { owner: 'lena' });
    expect(moved.ownerId).toBe('lena');
    expect(moved.timeline.at(-1)?.by).toBe('manager:katrin');
    const fixed = await correctFields(api.runtime.deps, as('rep:lena'), leadId, { company: 'Fixed GmbH' });
    expect(fixed.timeline.at(-1)).toMatchObject({ kind: 'field', to: 'Fixed GmbH', by: 'rep:lena' });
  });
});

describe('erasure and the acting person', () => {
  const api = useLocalApi();
  const routes = salesRoutes(api);
  const event = (principal: string, leadId: string) =>
    ({
      pathParameters: { id: leadId },
      requestContext: { authorizer: { principalId: principal } },
      headers: {},
    }) as unknown as HttpEvent;

  it.each([
    ['rep:jonas', 403],
    ['manager:katrin', 403],
    ['rep:carla', 404],
  ])("%s cannot erase jonas's lead (%i), and nothing is erased", async (principal, status) => {
    // Arrange
    const leadId = await routes.handedOffLead('erase');
    const handler = deleteLeadHandler(api.runtime.deps);

    // Act
    const response = await handler(event(principal, leadId), {} as never);

    // Assert
    expect(response.statusCode).toBe(status);
    expect((await api.runtime.deps.store.getLead(leadId))?.erasedAt).toBeUndefined();
  });

  it('an attempt logged by a signed-in rep is recorded as that rep, not the API', async () => {
    // Arrange
    const leadId = await routes.handedOffLead('actor');
    const handler = postAttemptHandler(api.runtime.deps);

    // Act
    const response = await handler(
      {
        ...event('rep:jonas', leadId),
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ outcome: 'no-answer' }),
      } as unknown as HttpEvent,
      {} as never,
    );

    // Assert
    expect(response.statusCode, response.body).toBe(201);
    const lead = await api.runtime.deps.store.getLead(leadId);
    expect(lead?.timeline.at(-1)).toMatchObject({ kind: 'attempt', by: 'rep:jonas' });
  });
});
