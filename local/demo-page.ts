/**
 * The demo page `npm start` serves at `/`: a real lead form (a plain HTML form post to
 * POST /leads, no JavaScript), a thank-you page, and links to the inbox where the reps'
 * emails arrive. What a newcomer clicks first.
 */
import { escapeHtml } from '../lambdas/domain/email-templates.ts';
import type { Sla } from '../lambdas/domain/sla-schema.ts';
import type { ExtraRoute } from './http-server.ts';

export interface DemoPageOptions {
  readonly sla: Sla;
  /** the API's own URL (the form posts here and is redirected back) */
  readonly apiUrl: string;
  /** the SES emulator's inbox viewer */
  readonly inboxUrl: string;
  /** virtual seconds per real second, shown so the reader knows why reminders come fast */
  readonly speed: number;
}

const STYLE = `body{font:16px/1.5 system-ui,sans-serif;margin:0;background:#f6f7f9;color:#1d2330}
main{max-width:40rem;margin:0 auto;padding:1.5rem}h1{font-size:1.6rem;margin:.2rem 0}
form{background:#fff;border:1px solid #d9dde3;border-radius:10px;padding:1.2rem;display:grid;gap:.8rem}
label{display:grid;gap:.25rem;font-weight:600;font-size:.95rem}
input,select,textarea{font:inherit;padding:.55rem .6rem;border:1px solid #b8bfca;border-radius:6px;min-width:0;width:100%;box-sizing:border-box}
button{font:inherit;font-weight:700;padding:.75rem;border:0;border-radius:8px;background:#1f5eff;color:#fff;cursor:pointer}
.row{display:grid;grid-template-columns:1fr 1fr;gap:.8rem}.hint{color:#5b6472;font-size:.9rem}
input[type=checkbox]{width:auto}.row>*{min-width:0}@media (max-width:32rem){main{padding:1rem}.row{grid-template-columns:1fr}}
.hp{position:absolute;left:-10000px;width:auto}a{color:#1f5eff}code{background:#eceff3;padding:0 .25rem;border-radius:4px}`;

function page(title: string, body: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${escapeHtml(title)}</title><style>${STYLE}</style></head><body><main>${body}</main></body></html>`;
}

export function demoPage(options: DemoPageOptions): string {
  const { sla } = options;
  const forms = sla.forms.length ? sla.forms : [{ id: 'contact', name: 'Contact us' }];
  const interests = ['compressors', 'pumps', 'maintenance', 'spare-parts'];
  // the rep calls first when the SLA's default cadence starts with a phone step: ask for the number
  const cadence = sla.contact.cadences.find((c) => c.id === sla.contact.defaultCadence);
  const callFirst = cadence?.steps[0]?.channel === 'phone';
  return page(
    `${sla.name}: try LeadPact`,
    `<p class="hint">LeadPact demo &middot; SLA <code>${escapeHtml(sla.version)}</code> &middot; time runs ${options.speed}&times; faster</p>
<h1>Request a demo</h1>
<p>Post a lead as a website visitor would. LeadPact judges it against the SLA, and if it qualifies a rep
gets an assignment email, then timed reminders. <a href="${escapeHtml(options.inboxUrl)}" target="_blank" rel="noopener">Open the inbox</a> to read them.</p>
<form method="post" action="/leads">
  <div class="row"><label>First name<input name="firstName" autocomplete="given-name" required></label>
  <label>Last name<input name="lastName" autocomplete="family-name"></label></div>
  <label>Work email<input name="email" type="email" autocomplete="email" required></label>
  <label><span>Phone${callFirst ? ' <span class="hint" style="font-weight:400">(a rep calls you back first)</span>' : ''}</span><input name="phone" type="tel" autocomplete="tel" maxlength="40" placeholder="+49 89 1234 5678"></label>
  <div class="row"><label>Company<input name="company" autocomplete="organization"></label>
  <label>Job title<input name="jobTitle" autocomplete="organization-title" placeholder="Plant Manager"></label></div>
  <div class="row"><label>Country<input name="country" autocomplete="country-name" maxlength="60" placeholder="Germany or DE"></label>
  <label>Employees<input name="employees" inputmode="numeric" maxlength="20" placeholder="850 or 500-1000"></label></div>
  <div class="row"><label>Industry<select name="industry"><option value="">Choose…</option>${[
    'manufacturing',
    'chemicals',
    'food-and-beverage',
    'pharma',
    'energy',
    'automotive',
    'retail',
  ]
    .map((value) => `<option>${value}</option>`)
    .join('')}</select></label>
  <label>Interested in<select name="interest">${interests.map((value) => `<option>${value}</option>`).join('')}</select></label></div>
  <label>What do you need?<select name="formId">${forms
    .map((form) => `<option value="${escapeHtml(form.id)}">${escapeHtml(form.name ?? form.id)}</option>`)
    .join('')}</select></label>
  <label>Message<textarea name="message" rows="3"></textarea></label>
  <label style="display:flex;gap:.5rem;align-items:center;font-weight:400"><input type="checkbox" name="marketingConsent" value="true" checked> Send me useful content (you can unsubscribe any time)</label>
  <input class="hp" name="_gotcha" tabindex="-1" autocomplete="off" aria-hidden="true">
  <input type="hidden" name="_redirect" value="${escapeHtml(options.apiUrl)}/thanks">
  <button type="submit">Send</button>
</form>
<p class="hint">Ops: the API is at <code>${escapeHtml(options.apiUrl)}</code>; see the admin token in the terminal and
<code>GET /leads/{id}</code> for a lead's story. The inbox viewer is at <a href="${escapeHtml(options.inboxUrl)}">${escapeHtml(options.inboxUrl)}</a>.</p>`,
  );
}

export function thanksPage(options: DemoPageOptions): string {
  return page(
    'Thank you',
    `<h1>Thank you!</h1><p>Your request is in. If it qualifies, a rep has just been assigned:
<a href="${escapeHtml(options.inboxUrl)}" target="_blank" rel="noopener">see the email in the inbox</a>.</p>
<p><a href="/">Post another lead</a></p>`,
  );
}

export function demoRoutes(options: DemoPageOptions): ExtraRoute[] {
  // rendered per request: the API's URL is known only once the server listens
  const html = (body: () => string) => (_req: unknown, res: import('node:http').ServerResponse) => {
    res.writeHead(200, {
      'content-type': 'text/html; charset=utf-8',
      'cache-control': 'no-store',
      'content-security-policy':
        "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; base-uri 'none'",
      'x-content-type-options': 'nosniff',
    });
    res.end(body());
  };
  return [
    { method: 'GET', path: '/', handle: html(() => demoPage(options)) },
    { method: 'GET', path: '/thanks', handle: html(() => thanksPage(options)) },
  ];
}
