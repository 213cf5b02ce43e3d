/**
 * The API as a client sees it: the real local runtime (dynalite, the DynamoDB store, the HTTP server on a
 * random port, a RecordingWorkflow) with the default SLA and a clock the test sets, and `fetch` over a real
 * socket. One runtime per describe block (beforeAll/afterAll); the clock is reset to T0 before each test.
 *
 * Call useLocalApi() inside a describe (or at the top of a file); read its fields inside tests and hooks.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, beforeEach, expect } from 'vitest';
import { MemoryLeadQueries } from '../../lambdas/adapters/memory-lead-queries.ts';
import { leadIdFor } from '../../lambdas/domain/lead-id.ts';
import { applyToLead, type LeadState } from '../../lambdas/domain/lead-state.ts';
import type { Sla } from '../../lambdas/domain/sla-schema.ts';
import type { WebhookSubscription } from '../../lambdas/domain/webhooks.ts';
import type { Clock } from '../../lambdas/ports/clock.ts';
import { type StoredEvent, updateLead } from '../../lambdas/ports/lead-store.ts';
import { type LocalRuntime, startLocalRuntime } from '../../local/runtime.ts';
import { type BodyOptions, encodeBody, type HttpResponse, readResponse } from './http.ts';
import { loadDefaultSla } from './sla.ts';

/** A Friday morning inside Berlin working hours. */
export const T0 = new Date('2026-11-27T10:00:00.000Z');
export const ADMIN_TOKEN = 'test-admin-token-5f0c1d9e7a';
export const ALLOWED_ORIGIN = 'https://www.kessler-industrial.example';
export const OTHER_ORIGIN = 'https://evil.example';
export const MINUTE = 60_000;
export const DAY = 86_400_000;

/** An example lead from examples/leads, without the `events` the explain command reads. */
export function exampleLead(name: 'hot' | 'cold' | 'customer'): Record<string, unknown> {
  const { events: _events, ...lead } = JSON.parse(
    readFileSync(new URL(`../../examples/leads/${name}.json`, import.meta.url), 'utf8'),
  ) as Record<string, unknown>;
  return lead;
}

export class ManualClock implements Clock {
  private current = T0;
  now(): Date {
    return new Date(this.current.getTime());
  }
  set(at: Date): void {
    this.current = new Date(at.getTime());
  }
  advance(ms: number): void {
    this.current = new Date(this.current.getTime() + ms);
  }
}

export interface RequestOptions extends BodyOptions {
  /** sent as is (without `json` and `form`), with `contentType` when given */
  readonly body?: string;
  readonly contentType?: string;
  /** the bearer token; the admin token by default, null for none */
  readonly token?: string | null;
  readonly origin?: string;
  readonly headers?: Record<string, string>;
}

export type ApiResponse = HttpResponse;

export interface FieldErrorBody {
  readonly path: string;
  readonly message: string;
}

export interface ErrorBody {
  readonly error: { readonly code: string; readonly message: string; readonly fields: FieldErrorBody[] };
}

/** GET /leads/{id} as the tests read it. */
export interface LeadResponse {
  leadId: string;
  cycle: number;
  email: string | null;
  fields: Record<string, unknown>;
  /** values kept as posted that no rule reads */
  fieldIssues: { field: string; value: string; message: string }[];
  lifecycleStage: string;
  lifecycleStageName: string;
  leadStatus: string;
  leadType: string;
  persona: string | null;
  journeyStage: string;
  scores: { fit: number; fitTier: string; engagement: number; total: number };
  owner: { id: string; name: string | null } | null;
  deal: Record<string, unknown> | null;
  marketingConsent: boolean;
  unsubscribed: boolean;
  erasedAt: string | null;
  slaVersion: string;
  attempts: Record<string, unknown>[];
  attemptCount: number;
  eventCount: number;
  events: StoredEvent[];
  timeline: {
    at: string;
    kind: string;
    from?: string;
    to?: string;
    by: string;
    reasons: { rule: string; detail: string }[];
  }[];
  timelineDropped: number;
  /** older kept entries left out of this answer (its size budget): ?timelineBefore= pages back */
  timelineOmitted: number;
}

export interface LocalApi {
  readonly runtime: LocalRuntime;
  readonly url: string;
  readonly sla: Sla;
  readonly clock: ManualClock;
  request(method: string, path: string, options?: RequestOptions): Promise<ApiResponse>;
  /** POST /leads as JSON, without a token */
  postLead(lead: Record<string, unknown>, options?: RequestOptions): Promise<ApiResponse>;
  /** POST /leads as a plain HTML form would, without a token */
  postForm(form: Record<string, string> | string, options?: RequestOptions): Promise<ApiResponse>;
  /** Arrange: posts the lead as JSON, expects 202, returns its id */
  createLead(lead: Record<string, unknown>): Promise<string>;
  /** Arrange/Assert: GET /leads/{id}, expects 200 */
  readLead(leadId: string): Promise<LeadResponse>;
  /** the id the API gives an email (the runtime's secret) */
  leadIdOf(email: string): string;
  /** Arrange: hands the stored lead to a rep directly through the store, as the workflow would */
  handOff(leadId: string, ownerId?: string): Promise<LeadState>;
  /** a fresh address per call, so tests sharing a runtime never share a lead */
  uniqueEmail(tag?: string): string;
  /** workflow calls recorded for one lead */
  workflowCalls(leadId: string): { action: string; detail: string }[];
}

export interface LocalApiOptions {
  readonly rateLimit?: { perMinute: number; burst: number };
  /** default: the worked example (sla/default.yaml) */
  readonly sla?: Sla;
  /** no events publisher behind the API (a test that counts the API's own DynamoDB calls) */
  readonly eventsOff?: boolean;
  /** the webhook subscriptions configured (default none) */
  readonly webhooks?: readonly WebhookSubscription[];
  /** every API function's timeout, as Lambda enforces it (local/http-server.ts); default none */
  readonly apiTimeoutMs?: number;
  /** the stack's allowedOrigins; default [ALLOWED_ORIGIN] */
  readonly allowedOrigins?: readonly string[];
  /** the API's port (a session's own range); default any free one */
  readonly port?: number;
}

export function useLocalApi(options: LocalApiOptions = {}): LocalApi {
  const sla = options.sla ?? loadDefaultSla();
  const clock = new ManualClock();
  let runtime: LocalRuntime | undefined;
  let emails = 0;
  const fileTag = Math.random().toString(36).slice(2, 8);

  beforeAll(async () => {
    runtime = await startLocalRuntime({
      sla,
      port: options.port ?? 0,
      adminToken: ADMIN_TOKEN,
      allowedOrigins: [...(options.allowedOrigins ?? [ALLOWED_ORIGIN])],
      clock,
      // the API on its own: the workflow's side of the contract is what RecordingWorkflow records
      workflows: 'record',
      // the default limit (120/min per address) would throttle a test file's own traffic
      rateLimit: options.rateLimit ?? { perMinute: 1_000_000, burst: 1_000_000 },
      ...(options.eventsOff ? { events: { off: true } } : {}),
      ...(options.webhooks ? { events: { subscriptions: options.webhooks } } : {}),
      ...(options.apiTimeoutMs === undefined ? {} : { apiTimeoutMs: options.apiTimeoutMs }),
    });
  });

  beforeEach(() => {
    clock.set(T0);
  });

  afterAll(async () => {
    await runtime?.close();
  });

  const must = (): LocalRuntime => {
    if (!runtime) throw new Error('useLocalApi: the runtime is only available inside tests and hooks');
    return runtime;
  };

  async function request(method: string, path: string, opts: RequestOptions = {}): Promise<ApiResponse> {
    const headers: Record<string, string> = { ...opts.headers };
    const token = opts.token === undefined ? ADMIN_TOKEN : opts.token;
    if (token !== null) headers.authorization = `Bearer ${token}`;
    if (opts.origin) headers.origin = opts.origin;
    let body = encodeBody(opts, headers);
    if (body === undefined && opts.body !== undefined) {
      if (opts.contentType) headers['content-type'] = opts.contentType;
      body = opts.body;
    }
    const response = await fetch(must().url + path, {
      method,
      headers,
      // bytes, so fetch adds no content type of its own
      ...(body === undefined ? {} : { body: new TextEncoder().encode(body) }),
      redirect: 'manual',
    });
    const answer = await readResponse(response);
    // the events publisher follows each write in the background (local/events-out.ts): a test reads
    // the store after a request as it stands once that is done
    await must().events.idle();
    return answer;
  }

  const api: LocalApi = {
    get runtime() {
      return must();
    },
    get url() {
      return must().url;
    },
    sla,
    clock,
    request,
    postLead: (lead, opts = {}) => request('POST', '/leads', { token: null, json: lead, ...opts }),
    postForm: (form, opts = {}) => request('POST', '/leads', { token: null, form, ...opts }),
    async createLead(lead) {
      const response = await api.postLead(lead);
      expect(response.status, response.text).toBe(202);
      return (response.body as { leadId: string }).leadId;
    },
    async readLead(leadId) {
      const response = await request('GET', `/leads/${leadId}`);
      expect(response.status, response.text).toBe(200);
      return response.body as LeadResponse;
    },
    leadIdOf: (email) => leadIdFor(email, must().deps.leadIdSecret),
    async handOff(leadId, ownerId = 'jonas') {
      const { state } = await updateLead(must().deps.store, leadId, (current) => ({
        ...applyToLead(sla, current, { kind: 'handedOff', ownerId }, clock.now(), 'test', 'owner').state,
        ownerId,
        handedOffAt: clock.now().toISOString(),
      }));
      if (!state) throw new Error(`handOff: no lead ${leadId}`);
      await must().events.idle();
      return (await must().deps.store.getLead(leadId)) ?? state;
    },
    uniqueEmail: (tag = 'lead') => `${tag}.${fileTag}.${++emails}@plant.example`,
    workflowCalls: (leadId) =>
      must()
        .workflow.calls.filter((call) => call.leadId === leadId)
        .map(({ action, detail }) => ({ action, detail })),
  };
  return api;
}

/** an SQL at once: a demo request from a plant manager at an ideal plant */
export const SQL_LEAD = {
  jobTitle: 'Plant Manager',
  industry: 'manufacturing',
  employees: 800,
  country: 'DE',
  formId: 'demo-request',
};

/** An SQL (SQL_LEAD, Petra <label> of <label> GmbH, `extra` fields on top) handed to `owner`: its lead id. */
export async function sqlLeadOwnedBy(
  api: LocalApi,
  owner: string,
  label: string,
  extra: Record<string, unknown> = {},
): Promise<string> {
  const leadId = await api.createLead({
    email: api.uniqueEmail(label),
    firstName: 'Petra',
    lastName: label,
    company: `${label} GmbH`,
    ...SQL_LEAD,
    ...extra,
  });
  await api.handOff(leadId, owner);
  return leadId;
}

/** The sales routes as a CRM or a rep calls them, and an SQL handed to a rep to call them on. */
export function salesRoutes(api: LocalApi) {
  return {
    async handedOffLead(label = 'sql'): Promise<string> {
      const leadId = await api.createLead({ email: api.uniqueEmail(label), ...SQL_LEAD });
      await api.handOff(leadId);
      return leadId;
    },
    attempt: (leadId: string, body: unknown) =>
      api.request('POST', `/leads/${leadId}/attempts`, { json: body }),
    deal: (leadId: string, body: unknown) => api.request('PUT', `/leads/${leadId}/deal`, { json: body }),
    status: (leadId: string, body: unknown) =>
      api.request('PATCH', `/leads/${leadId}/status`, { json: body }),
  };
}

/** Asserts the error shape every route answers with: status, code, and (when given) a field path. */
export function expectError(response: ApiResponse, status: number, code: string, path?: string): ErrorBody {
  expect(response.status, response.text).toBe(status);
  expect(response.headers.get('content-type')).toMatch(/^application\/json/);
  expect(response.body).toEqual({
    error: {
      code,
      message: expect.any(String),
      fields: expect.any(Array),
    },
  });
  const body = response.body as ErrorBody;
  for (const field of body.error.fields) {
    expect(field).toEqual({ path: expect.any(String), message: expect.any(String) });
  }
  if (path !== undefined) expect(body.error.fields.map((field) => field.path)).toContain(path);
  return body;
}

/** Asserts that no trace of `email` is stored: no lead, no event, no workflow call. */
export async function expectNothingStored(api: LocalApi, email: string): Promise<void> {
  const leadId = api.leadIdOf(email);
  expect(await api.runtime.deps.store.getLead(leadId)).toBeUndefined();
  expect(await api.runtime.deps.store.listEvents(leadId)).toEqual([]);
  expect(api.workflowCalls(leadId)).toEqual([]);
}

/**
 * The keys of `ids` (a test's leads by name) whose leads GET /leads?q= finds, in `ids`' order: what a search
 * test compares with the leads it expects.
 */
export async function foundBySearch(
  api: LocalApi,
  ids: Readonly<Record<string, string>>,
  q: string,
): Promise<string[]> {
  const response = await api.request('GET', `/leads?q=${encodeURIComponent(q)}`);
  expect(response.status, response.text).toBe(200);
  const items = (response.body as { items: { id: string }[] }).items.map((item) => item.id);
  return Object.keys(ids).filter((key) => items.includes(ids[key]!));
}

/**
 * The keys of `ids` whose leads the in-memory queries twin (memory-lead-queries.ts), told of every lead as the
 * store holds it, finds by `q` (folded as the caller's search folds it), in `ids`' order: the same answer as
 * foundBySearch's, the DynamoDB queries', or a twin that drifted.
 */
export async function foundByTwin(
  api: LocalApi,
  ids: Readonly<Record<string, string>>,
  q: string,
): Promise<string[]> {
  const memory = new MemoryLeadQueries(api.sla);
  for (const id of Object.values(ids)) await memory.leadWritten((await api.runtime.deps.store.getLead(id))!);
  const twin: string[] = [];
  for await (const candidate of memory.candidates({ q })) twin.push(candidate.leadId);
  return Object.keys(ids).filter((key) => twin.includes(ids[key]!));
}

/** How many DynamoDB Queries the runtime's lead queries send to search `q` (folded as the caller's search folds it). */
export async function queriesOfSearch(api: LocalApi, q: string): Promise<number> {
  let queries = 0;
  let recording = true;
  api.runtime.dynamoDb.middlewareStack.add(
    (next, context) => async (args) => {
      if (recording && context.commandName === 'QueryCommand') queries += 1;
      return next(args);
    },
    { step: 'initialize', name: `searchQueries${Math.random().toString(36).slice(2)}` },
  );
  for await (const _ of api.runtime.deps.queries!.candidates({ q }));
  recording = false;
  return queries;
}
