/**
 * GET /forms/{formId}.js: one script tag puts the SLA's form on any site. The script renders a plain
 * HTML form that posts to POST /leads (so it works as a form post when fetch fails), with the honeypot,
 * the browser's own validation, and, where fetch works, an in-page answer: the thank-you message (focused),
 * or each field the API refuses marked (aria-invalid), described by what to fix (aria-describedby), the
 * first one focused and the fixes said in the status, in the form's language (WCAG 3.3.1, 4.1.3). A form already on the page (`<form data-leadpact-form="demo-request">`) is
 * enhanced instead of rendered: progressive enhancement for sites that paste the plain form first.
 *
 *   <script src="https://api.example.com/forms/demo-request.js" data-fields="email,firstName,company" async></script>
 */
import { formConsentText } from '../domain/consent.ts';
import { shippedLanguage, textDirection } from '../domain/locale.ts';
import { pageText } from '../domain/page-text.ts';
import { pickLocal } from '../domain/sla-names.ts';
import type { Form, Sla } from '../domain/sla-schema.ts';
import type { ApiDeps } from './deps.ts';
import { HttpError, type HttpEvent, type HttpResult, header } from './http.ts';
import { HONEYPOT_FIELD } from './lead-submission.ts';
import { apiHandler } from './middleware.ts';

/** The fields the script can render, in order, with their labels and input attributes. */
export const FORM_SCRIPT_FIELDS = {
  email: { type: 'email', autocomplete: 'email', required: true },
  firstName: { autocomplete: 'given-name' },
  lastName: { autocomplete: 'family-name' },
  company: { autocomplete: 'organization' },
  jobTitle: { autocomplete: 'organization-title' },
  phone: { type: 'tel', autocomplete: 'tel' },
  country: { autocomplete: 'country-name' },
  // digits as an Arabic or Persian keyboard types them too (٨٥٠, ۸۵۰, ١٬٢٠٠): LeadPact reads them (form-values.ts)
  employees: {
    inputmode: 'numeric',
    pattern: '[0-9\u0660-\u0669\u06F0-\u06F9][0-9\u0660-\u0669\u06F0-\u06F9 ,.\u066B\u066C]*\\+?',
  },
  message: { multiline: true },
} as const satisfies Record<string, FieldSpec>;

/** Labels and messages come from page-text.ts, per language (ADR 0024). */
interface FieldSpec {
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
    // where the rendered form posts: on AWS the form's own stage (FormUrl, behind WAF), as the HTTP API
    // serving this script has no POST /leads; locally the server that served the script
    const apiUrl =
      deps.formUrl ??
      deps.publicBaseUrl ??
      `https://${header(event, 'host') ?? event.requestContext.domainName}`;
    return {
      statusCode: 200,
      headers: {
        'content-type': 'text/javascript; charset=utf-8',
        'cache-control': 'public, max-age=300',
        'x-content-type-options': 'nosniff',
        'access-control-allow-origin': '*',
      },
      body: formScript(deps.sla, form, apiUrl),
    };
  });
}

/**
 * The words of the form in each language the SLA supports: LeadPact's labels and messages
 * (page-text.ts), the form's name and consent text in that language (names, consentTexts), and the
 * direction. The browser picks one (data-locale, else the page's lang, else the SLA's default).
 */
function scriptTexts(sla: Sla, form: Form) {
  return Object.fromEntries(
    sla.locales.supported.map((locale) => {
      const t = pageText(shippedLanguage(locale)).formScript;
      const page = pageText(shippedLanguage(locale)).form;
      return [
        locale,
        {
          title: pickLocal(form.names, locale) ?? form.name ?? form.id,
          labels: t.labels,
          consent: form.consentText || form.consentTexts ? formConsentText(sla, form, locale) : t.consent,
          send: t.send,
          thanks: t.thanks,
          // the consent box ticked on this double opt-in form: what the person does next
          confirmByEmail: form.consent === 'single' ? '' : page.confirmByEmail,
          failed: t.failed,
          hints: t.hints,
          // the only field LeadPact refuses a lead for, what to fix in this language (the API's message is
          // English), as the no-script error page says it: "required..." from the API is the missing address
          fieldFixes: { email: { missing: page.emailRequired, wrong: page.emailInvalid } },
          // a field LeadPact has no words for in this language (English says the API's message)
          checkForm: `${page.titleCheck}.`,
          // a refusal naming no field: what it is, not "try again", which would not help
          refusedByStatus: { 403: page.originNotAllowed, 413: page.tooLarge, 415: page.unreadable },
          dir: textDirection(locale),
        },
      ];
    }),
  );
}

/** The script for one SLA form (see the module comment). */
export function formScript(sla: Sla, form: Form, apiUrl: string): string {
  const config = {
    action: `${apiUrl.replace(/\/$/, '')}/leads?formId=${encodeURIComponent(form.id)}`,
    formId: form.id,
    honeypot: HONEYPOT_FIELD,
    fields: FORM_SCRIPT_FIELDS,
    defaults: DEFAULT_SCRIPT_FIELDS,
    locales: scriptTexts(sla, form),
    defaultLocale: sla.locales.default,
  };
  // plain ES5 in the browser: no build step, no dependencies; JSON.stringify escapes the SLA's text,
  // and "<" is escaped too so no text can close a <script> element it is inlined into
  const json = JSON.stringify(config).replace(/</g, '\\u003c');
  return `/* LeadPact form "${form.id}": docs/forms.md */
(function () {
  var C = ${json};
  var script = document.currentScript;
  // the form's language: the script tag's data-locale, else the page's lang, else the SLA's default;
  // the closest the SLA supports ("ar-EG" reads "ar"). The lead is stored in it (a hidden locale field).
  function pick(wanted) {
    if (!wanted) return undefined;
    var tag = String(wanted).toLowerCase().replace(/_/g, '-');
    var language = tag.split('-')[0];
    var same;
    for (var key in C.locales) {
      if (!Object.prototype.hasOwnProperty.call(C.locales, key)) continue;
      if (key.toLowerCase() === tag) return key;
      if (!same && key.toLowerCase().split('-')[0] === language) same = key;
    }
    return same;
  }
  var LOCALE = pick(script && script.getAttribute('data-locale')) || pick(document.documentElement.lang) || C.defaultLocale;
  var T = C.locales[LOCALE];
  var STYLE = '.lp-form{display:grid;gap:.75rem;max-width:36rem;font:inherit;box-sizing:border-box}' +
    '.lp-form *{box-sizing:border-box}.lp-form label{display:grid;gap:.25rem;font-weight:600}' +
    '.lp-form input,.lp-form textarea{font:inherit;width:100%;min-width:0;padding:.5rem .6rem;border:1px solid #8a93a3;border-radius:6px}' +
    // the consent box keeps its own size beside a text of any length (flex:none: "min-width:0" above let a
    // long text squeeze it to a sliver); the label around both is the tap target, 24 px high at least (WCAG
    // 2.5.8), and a long word or address in the text wraps instead of scrolling the page sideways
    '.lp-form input[type=checkbox]{width:auto;flex:none}' +
    '.lp-form .lp-consent{display:flex;gap:.5rem;align-items:baseline;min-height:24px;font-weight:400;overflow-wrap:anywhere}' +
    '.lp-form button{font:inherit;font-weight:700;padding:.7rem 1rem;border:0;border-radius:8px;background:#1f5eff;color:#fff;cursor:pointer}' +
    // a field LeadPact refused: its message under it, and a border a colour-blind eye tells apart by width too
    '.lp-form .lp-error{color:#b42318;font-weight:400;font-size:.9em;margin-top:-.5rem}' +
    '.lp-form [aria-invalid=true]{border:2px solid #b42318}.lp-form button[aria-disabled=true]{opacity:.7;cursor:progress}' +
    '.lp-form .lp-hp{position:absolute;width:1px;height:1px;overflow:hidden;clip-path:inset(50%);white-space:nowrap}' +
    '.lp-form [role=status]{margin:0}.lp-form [role=status]:focus{outline-offset:4px}.lp-form[dir=rtl] input[type=email],.lp-form[dir=rtl] input[type=tel]{direction:ltr;text-align:right}';

  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    for (var key in attrs) if (Object.prototype.hasOwnProperty.call(attrs, key) && attrs[key] !== undefined) node.setAttribute(key, attrs[key]);
    if (text) node.appendChild(document.createTextNode(text));
    return node;
  }

  var ENGLISH = LOCALE.split('-')[0] === 'en';

  /** An id no other element of the page has, for the error text a field is described by. */
  function freeId(base) {
    var id = base;
    for (var n = 2; document.getElementById(id); n++) id = base + '-' + n;
    return id;
  }

  /** What to fix in a field the API refused ({ path, message }), in the form's language. */
  function fixFor(field) {
    var known = T.fieldFixes[field.path];
    if (known) return /^required/.test(field.message) ? known.missing : known.wrong;
    if (!ENGLISH) return T.checkForm;
    var message = String(field.message || '');
    return (T.labels[field.path] || field.path) + ': ' + message + (/[.!?]$/.test(message) ? '' : '.');
  }

  /** Marks an input refused: aria-invalid, and described by its error text, shown under its label. */
  function markInvalid(input, text) {
    var error = el('span', { 'class': 'lp-error', id: freeId('lp-' + C.formId + '-' + input.name + '-error') }, text);
    var label = input.parentNode && input.parentNode.tagName === 'LABEL' ? input.parentNode : input;
    // after the label, not in it: in it, the text would be read again as part of the field's name
    label.parentNode.insertBefore(error, label.nextSibling);
    var described = input.getAttribute('aria-describedby');
    input.setAttribute('aria-describedby', (described ? described + ' ' : '') + error.id);
    input.setAttribute('aria-invalid', 'true');
  }

  /** Takes a mark of markInvalid away: the visitor is correcting the field, or sends again. */
  function clearInvalid(input) {
    input.removeAttribute('aria-invalid');
    var kept = [];
    var ids = (input.getAttribute('aria-describedby') || '').split(/\\s+/);
    for (var i = 0; i < ids.length; i++) {
      var described = ids[i] && document.getElementById(ids[i]);
      if (described && described.className === 'lp-error') described.parentNode.removeChild(described);
      else if (ids[i]) kept.push(ids[i]);
    }
    if (kept.length) input.setAttribute('aria-describedby', kept.join(' '));
    else input.removeAttribute('aria-describedby');
  }

  function render() {
    var names = ((script && script.getAttribute('data-fields')) || C.defaults.join(',')).split(',');
    var form = el('form', { method: 'post', action: C.action, 'accept-charset': 'utf-8', 'data-leadpact-form': C.formId });
    if (script && script.getAttribute('data-title') !== 'none') form.appendChild(el('h2', {}, T.title));
    for (var i = 0; i < names.length; i++) {
      var name = names[i].replace(/^\\s+|\\s+$/g, '');
      var spec = C.fields[name];
      if (!spec) continue;
      var label = el('label', {}, (T.labels[name] || name) + (spec.required ? ' *' : ''));
      var input = el(spec.multiline ? 'textarea' : 'input', {
        name: name, type: spec.multiline ? undefined : spec.type || 'text', autocomplete: spec.autocomplete,
        inputmode: spec.inputmode, pattern: spec.pattern, rows: spec.multiline ? '4' : undefined
      });
      if (spec.required || name === 'email') input.required = true;
      label.appendChild(input);
      form.appendChild(label);
    }
    var consent = el('label', {});
    consent.appendChild(el('input', { type: 'checkbox', name: 'marketingConsent', value: 'true' }));
    consent.appendChild(document.createTextNode(T.consent));
    form.appendChild(consent);
    var redirect = script && script.getAttribute('data-thank-you');
    if (redirect) form.appendChild(el('input', { type: 'hidden', name: '_redirect', value: redirect }));
    form.appendChild(el('button', { type: 'submit' }, T.send));
    script.parentNode.insertBefore(form, script.nextSibling);
    return form;
  }

  function enhance(form) {
    form.className = (form.className ? form.className + ' ' : '') + 'lp-form';
    form.setAttribute('lang', LOCALE);
    form.setAttribute('dir', T.dir);
    // a box and its text in one label (the rendered form's consent, FormSnippet's pasted one): the box beside
    // its text, not stretched over a row of its own above it as a grid label would put it
    var boxes = form.querySelectorAll('label > input[type=checkbox]');
    for (var b = 0; b < boxes.length; b++) boxes[b].parentNode.classList.add('lp-consent');
    if (!form.querySelector('[name="locale"]')) form.appendChild(el('input', { type: 'hidden', name: 'locale', value: LOCALE }));
    // where the consent was given (the consent record's page, issue 10): this page, without its query string
    if (!form.querySelector('[name="pageUrl"]') && /^https?:$/.test(location.protocol))
      form.appendChild(el('input', { type: 'hidden', name: 'pageUrl', value: location.origin + location.pathname }));
    if (!form.querySelector('[name="' + C.honeypot + '"]')) {
      var hp = el('div', { 'class': 'lp-hp', 'aria-hidden': 'true' });
      hp.appendChild(el('input', { name: C.honeypot, tabindex: '-1', autocomplete: 'off' }));
      form.appendChild(hp);
    }
    // what a field's pattern wants, in the bubble of the browser's check (its title), unless the page gave one
    for (var hinted in T.hints) {
      if (!Object.prototype.hasOwnProperty.call(T.hints, hinted)) continue;
      var patterned = form.querySelector('[name="' + hinted + '"][pattern]');
      if (patterned && !patterned.title) patterned.title = T.hints[hinted];
    }
    // the answer, said (polite) and focusable: the thank-you takes the focus, so it is not lost to the page
    var status = el('p', { role: 'status', 'aria-live': 'polite', tabindex: '-1' });
    form.appendChild(status);
    form.addEventListener('input', function (event) {
      if (event.target.getAttribute && event.target.getAttribute('aria-invalid') === 'true') clearInvalid(event.target);
    });
    var sending = false;
    form.addEventListener('submit', function (event) {
      if (form.checkValidity && !form.checkValidity()) { event.preventDefault(); if (form.reportValidity) form.reportValidity(); return; }
      // a thank-you page of the site's own, or no fetch: the plain form post does the work
      if (!window.fetch || !window.URLSearchParams || !window.FormData || form.querySelector('[name="_redirect"]')) return;
      event.preventDefault();
      if (sending) return;
      var marked = form.querySelectorAll('[aria-invalid="true"]');
      for (var i = 0; i < marked.length; i++) clearInvalid(marked[i]);
      status.textContent = '';
      // aria-disabled, not disabled, while it sends: a disabled button drops the focus to the page's body
      var button = form.querySelector('button[type=submit]');
      sending = true;
      if (button) button.setAttribute('aria-disabled', 'true');
      fetch(form.action, { method: 'POST', body: new URLSearchParams(new FormData(form)), headers: { accept: 'application/json' } })
        .then(function (response) {
          return response.json().then(function (body) { return { ok: response.ok, status: response.status, body: body }; });
        })
        .then(function (answer) {
          sending = false;
          if (button) button.removeAttribute('aria-disabled');
          if (answer.ok) {
            var ticked = form.querySelector('input[name="marketingConsent"]');
            var confirm = ticked && ticked.checked && T.confirmByEmail;
            form.reset();
            status.textContent = confirm ? T.thanks + ' ' + T.confirmByEmail : T.thanks;
            status.focus();
            return;
          }
          var error = (answer.body && answer.body.error) || {};
          var fields = error.fields || [];
          var fixes = [];
          var first;
          for (var j = 0; j < fields.length; j++) {
            var fix = fixFor(fields[j]);
            fixes.push(fix);
            var input = form.querySelector('[name="' + fields[j].path + '"]');
            if (!input || input.type === 'hidden' || !input.parentNode) continue;
            markInvalid(input, fix);
            if (!first) first = input;
          }
          // a refusal says what to fix, never "try again" (it would be refused again); a failure of ours
          // (5xx) may be sent again. LeadPact's own messages are English: another language says its own.
          var message = error.message ? error.message.charAt(0).toUpperCase() + error.message.slice(1) + '.' : '';
          status.textContent =
            answer.status >= 500 ? (ENGLISH && message) || T.failed
            : fixes.length ? fixes.join(' ')
            : (ENGLISH && message) || T.refusedByStatus[answer.status] || T.checkForm;
          if (first) first.focus();
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
