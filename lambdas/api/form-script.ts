/**
 * GET /forms/{formId}.js: one script tag puts the SLA's form on any site. The script renders a plain
 * HTML form that posts to POST /leads (so it works as a form post when fetch fails), with the honeypot,
 * the browser's own validation, and, where fetch works, an in-page answer: the thank-you message or
 * the fields to fix. A form already on the page (`<form data-leadpact-form="demo-request">`) is
 * enhanced instead of rendered: progressive enhancement for sites that paste the plain form first.
 *
 *   <script src="https://api.example.com/forms/demo-request.js" data-fields="email,firstName,company" async></script>
 */
import type { Form } from '../domain/sla-schema.ts';
import type { ApiDeps } from './deps.ts';
import { HttpError, type HttpEvent, type HttpResult, header } from './http.ts';
import { HONEYPOT_FIELD } from './lead-submission.ts';
import { apiHandler } from './middleware.ts';

/** The fields the script can render, in order, with their labels and input attributes. */
export const FORM_SCRIPT_FIELDS = {
  email: { label: 'Work email', type: 'email', autocomplete: 'email', required: true },
  firstName: { label: 'First name', autocomplete: 'given-name' },
  lastName: { label: 'Last name', autocomplete: 'family-name' },
  company: { label: 'Company', autocomplete: 'organization' },
  jobTitle: { label: 'Job title', autocomplete: 'organization-title' },
  phone: { label: 'Phone', type: 'tel', autocomplete: 'tel' },
  country: { label: 'Country', autocomplete: 'country-name' },
  employees: { label: 'Employees', inputmode: 'numeric', pattern: '[0-9][0-9 ,.]*\\+?' },
  message: { label: 'Message', multiline: true },
} as const satisfies Record<string, FieldSpec>;

interface FieldSpec {
  readonly label: string;
  readonly type?: string;
  readonly autocomplete?: string;
  readonly required?: boolean;
  readonly inputmode?: string;
  readonly pattern?: string;
  readonly multiline?: boolean;
}

export const DEFAULT_SCRIPT_FIELDS = ['email', 'firstName', 'lastName', 'company', 'jobTitle', 'message'];

const FILE = /^([A-Za-z0-9_.-]{1,100})\.js$/;

export function formScriptHandler(deps: ApiDeps) {
  return apiHandler('GET /forms/{file}', async (event: HttpEvent): Promise<HttpResult> => {
    const file = event.pathParameters?.file ?? '';
    const match = FILE.exec(file);
    const form = match ? deps.sla.forms.find((candidate) => candidate.id === match[1]) : undefined;
    if (!form) {
      throw new HttpError(404, 'not_found', `no form ${file.replace(/\.js$/, '')} in the SLA`, [
        {
          path: 'formId',
          message: `one of: ${deps.sla.forms.map((f) => `${f.id}.js`).join(', ') || '(the SLA has no forms)'}`,
        },
      ]);
    }
    const apiUrl =
      deps.publicBaseUrl ?? `https://${header(event, 'host') ?? event.requestContext.domainName}`;
    return {
      statusCode: 200,
      headers: {
        'content-type': 'text/javascript; charset=utf-8',
        'cache-control': 'public, max-age=300',
        'x-content-type-options': 'nosniff',
        'access-control-allow-origin': '*',
      },
      body: formScript(form, apiUrl),
    };
  });
}

/** The script for one SLA form (see the module comment). */
export function formScript(form: Form, apiUrl: string): string {
  const config = {
    action: `${apiUrl.replace(/\/$/, '')}/leads?formId=${encodeURIComponent(form.id)}`,
    formId: form.id,
    title: form.name ?? form.id,
    honeypot: HONEYPOT_FIELD,
    fields: FORM_SCRIPT_FIELDS,
    defaults: DEFAULT_SCRIPT_FIELDS,
  };
  // plain ES5 in the browser: no build step, no dependencies; JSON.stringify escapes the SLA's text,
  // and "<" is escaped too so no text can close a <script> element it is inlined into
  const json = JSON.stringify(config).replace(/</g, '\\u003c');
  return `/* LeadPact form "${form.id}": docs/forms.md */
(function () {
  var C = ${json};
  var script = document.currentScript;
  var STYLE = '.lp-form{display:grid;gap:.75rem;max-width:36rem;font:inherit;box-sizing:border-box}' +
    '.lp-form *{box-sizing:border-box}.lp-form label{display:grid;gap:.25rem;font-weight:600}' +
    '.lp-form input,.lp-form textarea{font:inherit;width:100%;min-width:0;padding:.5rem .6rem;border:1px solid #8a93a3;border-radius:6px}' +
    '.lp-form input[type=checkbox]{width:auto}.lp-form .lp-consent{display:flex;gap:.5rem;align-items:flex-start;font-weight:400}' +
    '.lp-form button{font:inherit;font-weight:700;padding:.7rem 1rem;border:0;border-radius:8px;background:#1f5eff;color:#fff;cursor:pointer}' +
    '.lp-form .lp-error{color:#b42318;font-weight:400;font-size:.9em}.lp-form .lp-hp{position:absolute;left:-10000px;width:1px;height:1px;overflow:hidden}' +
    '.lp-form [role=status]{margin:0}';

  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    for (var key in attrs) if (Object.prototype.hasOwnProperty.call(attrs, key) && attrs[key] !== undefined) node.setAttribute(key, attrs[key]);
    if (text) node.appendChild(document.createTextNode(text));
    return node;
  }

  function render() {
    var names = ((script && script.getAttribute('data-fields')) || C.defaults.join(',')).split(',');
    var form = el('form', { method: 'post', action: C.action, 'accept-charset': 'utf-8', 'data-leadpact-form': C.formId });
    if (script && script.getAttribute('data-title') !== 'none') form.appendChild(el('h2', {}, C.title));
    for (var i = 0; i < names.length; i++) {
      var name = names[i].replace(/^\\s+|\\s+$/g, '');
      var spec = C.fields[name];
      if (!spec) continue;
      var label = el('label', {}, spec.label + (spec.required ? ' *' : ''));
      var input = el(spec.multiline ? 'textarea' : 'input', {
        name: name, type: spec.multiline ? undefined : spec.type || 'text', autocomplete: spec.autocomplete,
        inputmode: spec.inputmode, pattern: spec.pattern, rows: spec.multiline ? '4' : undefined
      });
      if (spec.required || name === 'email') input.required = true;
      label.appendChild(input);
      form.appendChild(label);
    }
    var consent = el('label', { 'class': 'lp-consent' });
    consent.appendChild(el('input', { type: 'checkbox', name: 'marketingConsent', value: 'true' }));
    consent.appendChild(document.createTextNode('Send me useful content (unsubscribe any time)'));
    form.appendChild(consent);
    var redirect = script && script.getAttribute('data-thank-you');
    if (redirect) form.appendChild(el('input', { type: 'hidden', name: '_redirect', value: redirect }));
    form.appendChild(el('button', { type: 'submit' }, 'Send'));
    script.parentNode.insertBefore(form, script.nextSibling);
    return form;
  }

  function enhance(form) {
    form.className = (form.className ? form.className + ' ' : '') + 'lp-form';
    if (!form.querySelector('[name="' + C.honeypot + '"]')) {
      var hp = el('div', { 'class': 'lp-hp', 'aria-hidden': 'true' });
      hp.appendChild(el('input', { name: C.honeypot, tabindex: '-1', autocomplete: 'off' }));
      form.appendChild(hp);
    }
    var status = el('p', { role: 'status', 'aria-live': 'polite' });
    form.appendChild(status);
    form.addEventListener('submit', function (event) {
      if (form.checkValidity && !form.checkValidity()) { event.preventDefault(); if (form.reportValidity) form.reportValidity(); return; }
      // a thank-you page of the site's own, or no fetch: the plain form post does the work
      if (!window.fetch || !window.URLSearchParams || !window.FormData || form.querySelector('[name="_redirect"]')) return;
      event.preventDefault();
      var errors = form.querySelectorAll('.lp-error');
      for (var i = 0; i < errors.length; i++) errors[i].parentNode.removeChild(errors[i]);
      var button = form.querySelector('button[type=submit]');
      if (button) button.disabled = true;
      fetch(form.action, { method: 'POST', body: new URLSearchParams(new FormData(form)), headers: { accept: 'application/json' } })
        .then(function (response) {
          return response.json().then(function (body) { return { ok: response.ok, body: body }; });
        })
        .then(function (answer) {
          if (button) button.disabled = false;
          if (answer.ok) {
            form.reset();
            status.textContent = 'Thank you: your details are in. We will be in touch soon.';
            return;
          }
          var error = answer.body && answer.body.error;
          status.textContent = (error && error.message) || 'The form could not be sent; please try again.';
          var fields = (error && error.fields) || [];
          for (var j = 0; j < fields.length; j++) {
            var input = form.querySelector('[name="' + fields[j].path + '"]');
            if (input && input.parentNode) input.parentNode.appendChild(el('span', { 'class': 'lp-error' }, fields[j].message));
          }
        })
        .catch(function () { form.submit(); });
    });
  }

  var style = el('style', {}, STYLE);
  document.head.appendChild(style);
  var existing = document.querySelector('form[data-leadpact-form="' + C.formId + '"]');
  enhance(existing || render());
})();
`;
}
