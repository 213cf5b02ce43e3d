/**
 * POST /sla/impact: what a new SLA file would do to this stack's leads in flight, before it is deployed
 * (`leadpact sla diff <old> <new> --url API --token T`). The body is the new SLA file (YAML, as on disk; or
 * JSON `{ "sla": "<the file's text>" }`). The answer: the deployed and the proposed version, the change
 * term by term (domain/sla-diff.ts, from the deployed SLA), and the in-flight impact the deploy's migration
 * would meet (tasks/sla-impact.ts: leads that would be stranded, leads moved by a mapping, leads the new
 * scoring moves now). Reads only: nothing is written, whatever the file says. For ops and programs with
 * the admin's reach; a rep or a manager gets 403.
 *
 * Within the API's timeout: the leads are read until IMPACT_BUDGET_MS has passed, and an answer that could
 * not look at every lead says how many it left (`impact.unchecked`).
 */
import { performance } from 'node:perf_hooks';
import { diffSla } from '../domain/sla-diff.ts';
import { parseSla } from '../domain/sla-file.ts';
import { impactOn } from '../tasks/sla-impact.ts';
import { type ApiDeps, MAX_SLA_BYTES } from './deps.ts';
import { HttpError, type HttpEvent, json, jsonBody, mediaTypeOf } from './http.ts';
import { apiHandler } from './middleware.ts';
import { firstWithin } from './response-budget.ts';
import { viewerOf } from './viewer.ts';

/** reading leads stops after this long, so the answer comes before the function's 15 s timeout */
export const IMPACT_BUDGET_MS = 10_000;

/**
 * What `impact.leads` may take of the answer (Lambda's limit is 6 MB, response-budget.ts): ~15,000 leads of
 * ~330 bytes. A change that touches more (a rep removed or a threshold moved at 100x) lists the first by id
 * and counts the rest in `impact.leadsOmitted`; the figures (`checked`, `stranded`) count them all.
 */
export const IMPACT_LEADS_BUDGET_BYTES = 5_000_000;

const YAML_TYPES = new Set([
  'application/yaml',
  'application/x-yaml',
  'text/yaml',
  'text/x-yaml',
  'text/plain',
]);

export function slaImpactHandler(deps: ApiDeps, budgetMs = IMPACT_BUDGET_MS) {
  return apiHandler('POST /sla/impact', async (event: HttpEvent) => {
    const viewer = viewerOf(deps.sla, event, deps.clock.now());
    if (viewer.role === 'rep' || viewer.role === 'manager')
      throw new HttpError(403, 'forbidden', 'only ops may check an SLA against the leads in flight');
    const parsed = parseSla(slaText(event));
    if (!parsed.ok)
      throw new HttpError(
        400,
        'invalid_sla',
        `the SLA file has ${parsed.errors.length} error${parsed.errors.length === 1 ? '' : 's'}`,
        parsed.errors.map((error) => ({
          path: error.path ? `sla.${error.path}` : 'sla',
          message: `${error.line}:${error.column} ${error.message}`,
        })),
      );
    const proposed = parsed.sla;
    const started = performance.now();
    const impact = await impactOn(deps.store, deps.sla, proposed, deps.clock.now(), {
      outOfTime: () => performance.now() - started > budgetMs,
      // the dormant leads (nothing due) the new judgement may move, through the stage index
      ...(deps.queries ? { queries: deps.queries } : {}),
    });
    const listed = firstWithin(impact.leads, IMPACT_LEADS_BUDGET_BYTES);
    return json(200, {
      deployed: deps.sla.version,
      proposed: proposed.version,
      ...diffSla(deps.sla, proposed, deps.clock.now()),
      impact: {
        ...impact,
        leads: listed,
        ...(listed.length < impact.leads.length ? { leadsOmitted: impact.leads.length - listed.length } : {}),
      },
    });
  });
}

/** The SLA file's text: the body as YAML, or JSON's `sla`. 413 above MAX_SLA_BYTES, 415 for other types. */
function slaText(event: HttpEvent): string {
  const raw = event.body ?? '';
  const bytes = event.isBase64Encoded ? Buffer.from(raw, 'base64') : Buffer.from(raw, 'utf8');
  if (bytes.length > MAX_SLA_BYTES)
    throw new HttpError(
      413,
      'payload_too_large',
      `the body is ${bytes.length} bytes; the limit is ${MAX_SLA_BYTES}`,
    );
  const mediaType = mediaTypeOf(event);
  const text = bytes.toString('utf8');
  if (YAML_TYPES.has(mediaType)) {
    if (text.trim() === '') throw new HttpError(400, 'invalid_sla', 'the body is empty', [missing]);
    return text;
  }
  if (mediaType === 'application/json') {
    const body = jsonBody(text);
    const sla = (body as { sla?: unknown } | null)?.sla;
    if (typeof sla !== 'string' || sla.trim() === '')
      throw new HttpError(400, 'invalid_request', 'the request is invalid', [missing]);
    return sla;
  }
  throw new HttpError(
    415,
    'unsupported_media_type',
    `send the SLA file as application/yaml (or JSON { "sla": "..." })${mediaType ? `, not ${mediaType}` : ''}`,
    [{ path: 'content-type', message: 'expected application/yaml or application/json' }],
  );
}

const missing = { path: 'sla', message: 'required: the text of the SLA file' };
