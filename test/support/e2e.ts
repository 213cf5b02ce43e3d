/**
 * End to end as a user sees it: the whole local runtime (`startLocalRuntime`: dynalite, the SES
 * emulator, the ASL on aws-local-stepfunctions, the API server) with the default SLA, driven over
 * real HTTP (fetch) and read back from the SES emulator's store. No vitest import: bench/ uses it too.
 *
 * Time is manual unless asked otherwise: `advanceTo` fires every due timer in order, `settle` waits
 * for the work a request started. The SES emulator keeps one store per process (module state), so
 * `startE2e` empties it: only this runtime's emails are read back.
 */
import { readFileSync } from 'node:fs';
import { leadIdFor } from '../../lambdas/domain/lead-id.ts';
import type { Sla } from '../../lambdas/domain/sla-schema.ts';
import { type LocalRuntime, type LocalRuntimeOptions, startLocalRuntime } from '../../local/runtime.ts';
import type { StoredEmail } from '../../local/ses.ts';
import type { LocalExecution } from '../../local/step-functions.ts';

export { labelledStates, roundsOf } from './rounds.ts';

import { type BodyOptions, encodeBody, type HttpResponse, readResponse } from './http.ts';
import { loadDefaultSla } from './sla.ts';

/** Mon 2026-11-30 09:00 in Berlin (08:00Z): the Berlin reps are at work, Chicago (02:00) is not. */
export const MONDAY_0900_BERLIN = new Date('2026-11-30T08:00:00.000Z');
export const E2E_ADMIN_TOKEN = 'e2e-admin-token-3b9d0c7f21';
export const MINUTE = 60_000;
export const HOUR = 3_600_000;
export const DAY = 86_400_000;

/**
 * What a new lead's execution does first when it is an SQL at once: Advance's wake hands it off in the same
 * invocation (ADR 0049), and the Park waits in the contact phase.
 */
export const HANDOFF_STATES = ['Advance', 'Park'] as const;
/** The task states, each a Lambda invocation in AWS (Park included: it stores the token or routes the step). */
export const TASK_STATES = /^(Advance|Handoff|Park|RecordFailure)$/;

export type ExampleName = 'hot' | 'cold' | 'customer';

/** A ready payload from examples/leads, as the README posts it. */
export function exampleLead(name: ExampleName): Record<string, string | number | boolean> {
  return JSON.parse(readFileSync(new URL(`../../examples/leads/${name}.json`, import.meta.url), 'utf8'));
}

/** An email as the tests read it back from the SES emulator. */
export interface Mail {
  readonly to: readonly string[];
  readonly cc: readonly string[];
  readonly subject: string;
  readonly text: string;
  readonly html: string;
  /** custom headers by name (List-Unsubscribe, List-Unsubscribe-Post) */
  readonly headers: Readonly<Record<string, string>>;
}

export type { HttpResponse };

export interface RequestOptions extends BodyOptions {
  /** the admin token by default on /leads/{id}... paths; null for none */
  readonly token?: string | null;
  readonly headers?: Record<string, string>;
}

/** GET /leads/{id}, the fields the scenarios read. */
export interface LeadView {
  leadId: string;
  cycle: number;
  email: string | null;
  lifecycleStage: string;
  leadStatus: string;
  leadType: string;
  owner: { id: string; name: string | null } | null;
  handedOffAt: string | null;
  deal: { stageId: string; since: string } | null;
  scores: { fit: number; fitTier: string; engagement: number; total: number };
  marketingConsent: boolean;
  consent: {
    mode: 'double' | 'single';
    status: 'awaiting confirmation' | 'confirmed' | 'withdrawn';
    givenAt: string;
    formId: string | null;
    formName: string | null;
    pageUrl: string | null;
    text: string;
    confirmedAt: string | null;
    withdrawnAt: string | null;
  } | null;
  unsubscribed: boolean;
  erasedAt: string | null;
  attempts: { attemptId: string; at: string; outcomeId: string; repId?: string; channel?: string }[];
  eventCount: number;
  timeline: {
    at: string;
    kind: string;
    from?: string;
    to?: string;
    by: string;
    reasons: { rule: string; detail: string }[];
  }[];
}

export interface E2e {
  readonly runtime: LocalRuntime;
  readonly url: string;
  readonly sla: Sla;
  /** virtual now */
  now(): Date;
  /** fetch against the runtime: `target` is a path on the API or a full URL (links from emails) */
  request(method: string, target: string, options?: RequestOptions): Promise<HttpResponse>;
  /** POST /leads as a web page would (no token): JSON, or a plain form post */
  postLead(lead: Record<string, unknown>, as?: 'json' | 'form'): Promise<HttpResponse>;
  /** the id the API gives an email (HMAC with this runtime's secret) */
  leadIdOf(email: string): string;
  /** GET /leads/{id} with the admin token; throws unless 200 */
  readLead(leadId: string): Promise<LeadView>;
  /** POST /leads/{id}/events with the admin token */
  postEvents(leadId: string, events: readonly Record<string, unknown>[]): Promise<HttpResponse>;
  /** every email this runtime sent, oldest first */
  mails(): Promise<Mail[]>;
  /** emails to (or copied to) an address, oldest first */
  mailsTo(address: string): Promise<Mail[]>;
  /** emails about the lead with this address: to it, or naming it in the lead details, or by name in the subject */
  mailsAbout(leadEmail: string, name?: string): Promise<Mail[]>;
  /**
   * Double opt-in as the person does it: the confirmation email's link from the inbox, its page
   * (GET), then its button (POST); settles. Returns the POST's answer.
   */
  confirmSubscription(leadEmail: string): Promise<HttpResponse>;
  /** the lead's only execution (throws if there is not exactly one) */
  execution(leadId: string): LocalExecution;
  /** the lead's newest execution (a dormant lead gets a new generation on its next signal) */
  latestExecution(leadId: string): LocalExecution;
  settle(): Promise<void>;
  advanceTo(to: Date | string): Promise<number>;
  advanceBy(ms: number): Promise<number>;
  close(): Promise<void>;
}

export async function startE2e(options: Partial<LocalRuntimeOptions> = {}): Promise<E2e> {
  const sla = options.sla ?? loadDefaultSla();
  const runtime = await startLocalRuntime({
    sla,
    port: 0,
    mailPort: 0,
    time: { manual: MONDAY_0900_BERLIN },
    adminToken: E2E_ADMIN_TOKEN,
    ...options,
  });
  await runtime.mail.clear();

  async function request(method: string, target: string, opts: RequestOptions = {}): Promise<HttpResponse> {
    const url = target.startsWith('http') ? target : runtime.url + target;
    const headers: Record<string, string> = { ...opts.headers };
    const token =
      opts.token === undefined && url.startsWith(`${runtime.url}/leads/`) ? E2E_ADMIN_TOKEN : opts.token;
    if (token) headers.authorization = `Bearer ${token}`;
    const body = encodeBody(opts, headers);
    return readResponse(await fetch(url, { method, headers, redirect: 'manual', ...(body ? { body } : {}) }));
  }

  async function mails(): Promise<Mail[]> {
    return (await runtime.mail.messages()).map(toMail);
  }

  const e2e: E2e = {
    runtime,
    url: runtime.url,
    sla,
    now: () => runtime.scheduler.now(),
    request,
    postLead: (lead, as = 'json') =>
      as === 'json'
        ? request('POST', '/leads', { json: lead })
        : request('POST', '/leads', {
            form: Object.fromEntries(Object.entries(lead).map(([key, value]) => [key, String(value)])),
          }),
    leadIdOf: (email) => leadIdFor(email, runtime.deps.leadIdSecret),
    async readLead(leadId) {
      const response = await request('GET', `/leads/${leadId}`);
      if (response.status !== 200)
        throw new Error(`GET /leads/${leadId}: ${response.status} ${response.text}`);
      return response.body as LeadView;
    },
    postEvents: (leadId, events) => request('POST', `/leads/${leadId}/events`, { json: { events } }),
    mails,
    async mailsTo(address) {
      return (await mails()).filter((mail) => mail.to.includes(address) || mail.cc.includes(address));
    },
    async mailsAbout(leadEmail, name) {
      return (await mails()).filter(
        (mail) =>
          mail.to.includes(leadEmail) ||
          // how to reach the lead, under the headline: "Email: <address>", or with no phone "... write to <address>"
          new RegExp(`^ *(Email:|.*: write to) +${escapeRegExp(leadEmail)}$`, 'm').test(mail.text) ||
          (name !== undefined && mail.subject.includes(name)),
      );
    },
    async confirmSubscription(leadEmail) {
      // in whatever language it was asked in: the email to the lead that carries a consent link
      const mail = (await mails()).find(
        (candidate) => candidate.to.includes(leadEmail) && consentLinkOf(candidate) !== undefined,
      );
      const url = mail && consentLinkOf(mail);
      if (!url) throw new Error(`no confirmation email with a link to ${leadEmail}`);
      const page = await request('GET', url);
      if (page.status !== 200) throw new Error(`GET ${url}: ${page.status} ${page.text}`);
      const confirmed = await request('POST', url, { form: '' });
      await runtime.settle();
      return confirmed;
    },
    execution(leadId) {
      const executions = runtime.engine.executionsOf(leadId);
      if (executions.length !== 1) throw new Error(`lead ${leadId} has ${executions.length} executions`);
      return executions[0]!;
    },
    latestExecution(leadId) {
      const latest = runtime.engine.executionsOf(leadId).at(-1);
      if (!latest) throw new Error(`lead ${leadId} has no execution`);
      return latest;
    },
    settle: () => runtime.settle(),
    advanceTo: (to) => runtime.advanceTo(to),
    advanceBy: (ms) => runtime.advanceTo(new Date(runtime.scheduler.now().getTime() + ms)),
    close: () => runtime.close(),
  };
  return e2e;
}

function toMail(stored: StoredEmail): Mail {
  return {
    to: stored.destination.to,
    cc: stored.destination.cc,
    subject: stored.subject,
    text: stored.body.text ?? '',
    html: stored.body.html ?? '',
    headers: Object.fromEntries((stored.headers ?? []).map(({ name, value }) => [name, value])),
  };
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

const ENTITIES: Record<string, string> = {
  '&amp;': '&',
  '&lt;': '<',
  '&gt;': '>',
  '&quot;': '"',
  '&#39;': "'",
};
const unescapeHtml = (text: string) => text.replace(/&(amp|lt|gt|quot|#39);/g, (entity) => ENTITIES[entity]!);

/**
 * The <title> of an HTML page (the action and unsubscribe pages put their message there), as read: without the
 * invisible isolates (FSI, PDI) around a lead's name and company.
 */
/** The hot example lead posted and handed to Jonas, the clock run to Mon 30 Nov 10:00Z: its lead id. */
export async function hotLeadWithJonas(e: E2e): Promise<string> {
  const hot = exampleLead('hot');
  await e.postLead(hot);
  await e.settle();
  await e.advanceTo('2026-11-30T10:00:00.000Z');
  return e.leadIdOf(String(hot.email));
}

export function titleOf(html: string): string | undefined {
  const title = /<title>([^<]*)<\/title>/.exec(html)?.[1];
  return title === undefined ? undefined : unescapeHtml(title).replace(/[\u2068\u2069]/g, '');
}

/**
 * The buttons of an email as a person sees them in the HTML part: label -> URL. A label whose URL the
 * text part does not carry too is left out (both parts must offer the same link).
 */
export function linksOf(mail: Mail): Record<string, string> {
  const links: Record<string, string> = {};
  for (const match of mail.html.matchAll(/<a href="([^"]*)"[^>]*>([^<]*)<\/a>/g)) {
    const url = unescapeHtml(match[1]!);
    const label = unescapeHtml(match[2]!);
    if (url.startsWith('http') && mail.text.includes(`${label}: ${url}`)) links[label] = url;
  }
  return links;
}

/**
 * The subject a nurture template of the SLA gets for a lead: its `{{variable}}`s filled from the lead's
 * fields. Tests name the template and the SLA file keeps the copy.
 */
export function nurtureSubject(sla: Sla, templateId: string, fields: Record<string, unknown> = {}): string {
  const template = sla.nurture.templates.find((candidate) => candidate.id === templateId);
  if (!template) throw new Error(`no nurture template ${templateId} in the SLA`);
  return template.subject
    .replace(/\{\{\{?\s*(\w+)\s*\}?\}\}/g, (_match, name: string) => String(fields[name] ?? ''))
    .trim();
}

/** The subject of the double opt-in confirmation email (domain/consent.ts). */
export function confirmationSubject(sla: Sla): string {
  return `Please confirm your subscription to ${sla.nurture.senderName}`;
}

/** The confirmation link of a double opt-in email (the text part and the HTML button carry the same). */
export function consentLinkOf(mail: Mail): string | undefined {
  const url = /(https?:\/\/\S+\/consent\/\S+)/.exec(mail.text)?.[1];
  return url && mail.html.includes(url) ? url : undefined;
}

/** The URL of `List-Unsubscribe: <url>` */
export function listUnsubscribeUrl(mail: Mail): string | undefined {
  return /^<(https?:[^>]+)>$/.exec(mail.headers['List-Unsubscribe'] ?? '')?.[1];
}

/**
 * Holds the runtime's workflow signals (a wake still busy, Step Functions' latency): requests land one after
 * another before the workflow wakes. `release` restores signalling and sends the last signal held.
 */
export function holdSignals(e2e: E2e): { release(): Promise<void> } {
  const workflow = e2e.runtime.workflow;
  const signal = workflow.signal.bind(workflow);
  const held: Parameters<typeof signal>[] = [];
  workflow.signal = async (...args) => {
    held.push(args);
  };
  return {
    async release() {
      workflow.signal = signal;
      const last = held.at(-1);
      if (last) await signal(...last);
    },
  };
}
