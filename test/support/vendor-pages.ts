/**
 * Web forms as Salesforce Web-to-Lead, HubSpot (Forms API v3 JSON), Mautic, Webflow and Netlify generate
 * them, written from each vendor's documentation, with only the action URL (HubSpot: the endpoint)
 * pointed at LeadPact (`api`); `site` is the origin that serves them (the thank-you page is there).
 * Used by test/e2e/vendor-forms.test.ts and by hand against `npm start`.
 */
/** The vendor pages, as each vendor's docs show them, with the action pointed at LeadPact (`API`). */
export function vendorPages(api: string, site: string): Record<string, { html: string; charset?: string }> {
  return {
    '/salesforce': {
      html: `<form action="${api}/leads?encoding=UTF-8&utm_source=linkedin&utm_campaign=spring&gclid=G-123" method="POST">
<input type=hidden name="oid" value="00D5g000001AbCd">
<input type=hidden name="retURL" value="${site}/thanks">
<label for="first_name">First Name</label><input id="first_name" maxlength="40" name="first_name" size="20" type="text">
<label for="last_name">Last Name</label><input id="last_name" maxlength="80" name="last_name" size="20" type="text">
<label for="email">Email</label><input id="email" maxlength="80" name="email" size="20" type="text">
<label for="company">Company</label><input id="company" maxlength="40" name="company" size="20" type="text">
<label for="title">Title</label><input id="title" maxlength="40" name="title" size="20" type="text">
<label for="country">Country</label><input id="country" maxlength="40" name="country" size="20" type="text">
<label for="phone">Phone</label><input id="phone" maxlength="40" name="phone" size="20" type="text">
<label for="description">Description</label><textarea id="description" name="description"></textarea>
<label for="00N5g00000AbCdE">Products:</label><select id="00N5g00000AbCdE" multiple name="00N5g00000AbCdE" title="Products"><option value="Compressors">Compressors</option><option value="Pumps">Pumps</option><option value="Service">Service</option></select>
<input type="submit" name="submit">
</form>`,
    },
    '/hubspot': {
      html: `<form id="hs"><label>Email <input name="email" type="email"></label><label>First name <input name="firstname"></label>
<label>Last name <input name="lastname"></label><label>Company <input name="company"></label><label>Job title <input name="jobtitle"></label>
<label>Country/Region <input name="country"></label><label><input type="checkbox" name="consent" checked> I agree to receive marketing emails.</label>
<button type="submit">Submit</button></form><p id="answer"></p>
<script>
document.getElementById('hs').addEventListener('submit', function (event) {
  event.preventDefault();
  var form = event.target;
  var fields = ['email', 'firstname', 'lastname', 'company', 'jobtitle', 'country'].map(function (name) {
    return { objectTypeId: '0-1', name: name, value: form.elements[name].value };
  });
  fetch('${api}/leads', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({
      fields: fields,
      context: { pageUri: location.href, pageName: 'Book a demo', hutk: 'a1b2c3d4e5f6' },
      legalConsentOptions: { consent: { consentToProcess: true, text: 'I agree to allow Kessler to store and process my personal data.',
        communications: [{ value: form.elements.consent.checked, subscriptionTypeId: 999, text: 'I agree to receive marketing emails.' }] } }
    })
  }).then(function (r) { return r.json().then(function (b) { document.getElementById('answer').textContent = r.status + ' ' + JSON.stringify(b); }); });
});
</script>`,
    },
    // the markup HubSpot's embed renders (a legacy page posts it as is), its action pointed at LeadPact
    '/hubspot-html': {
      html: `<form novalidate accept-charset="UTF-8" action="${api}/leads?formId=demo-request" enctype="application/x-www-form-urlencoded" method="POST" class="hs-form stacked">
<div class="hs_email hs-form-field"><label for="email-d1" class=""><span>Email</span></label><input id="email-d1" class="hs-input" type="email" name="email" value=""></div>
<div class="hs_firstname hs-form-field"><label for="firstname-d1"><span>First name</span></label><input id="firstname-d1" class="hs-input" type="text" name="firstname" value=""></div>
<div class="hs_company hs-form-field"><label for="company-d1"><span>Company name</span></label><input id="company-d1" class="hs-input" type="text" name="company" value=""></div>
<div class="legal-consent-container"><ul class="inputs-list"><li class="hs-form-booleancheckbox"><label for="LEGAL_CONSENT.subscription_type_999-d1" class="hs-form-booleancheckbox-display"><input id="LEGAL_CONSENT.subscription_type_999-d1" class="hs-input" type="checkbox" name="LEGAL_CONSENT.subscription_type_999" value="true"><span>I agree to receive other communications from Kessler.</span></label></li></ul>
<input type="hidden" name="LEGAL_CONSENT.processing" value="true"></div>
<input type="hidden" name="hs_context" value="${JSON.stringify({ hutk: 'f00dfeed', ipAddress: '203.0.113.7', pageUrl: `${site}/hubspot-html`, pageName: 'Book a demo', redirectUrl: `${site}/thanks` }).replaceAll('"', '&quot;')}">
<div class="hs_submit"><input type="submit" class="hs-button primary large" value="Submit"></div>
</form>`,
    },
    '/mautic': {
      html: `<div id="mauticform_wrapper_demo" class="mauticform_wrapper">
<form autocomplete="false" role="form" method="post" action="${api}/leads?formId=demo-request" id="mauticform_demo" data-mautic-form="demo" enctype="multipart/form-data">
<label for="mauticform_input_demo_email">Email</label><input id="mauticform_input_demo_email" name="mauticform[email]" value="" class="mauticform-input" type="email">
<label for="mauticform_input_demo_first_name">First Name</label><input id="mauticform_input_demo_first_name" name="mauticform[firstname]" value="" type="text">
<label for="mauticform_input_demo_last_name">Last Name</label><input id="mauticform_input_demo_last_name" name="mauticform[lastname]" value="" type="text">
<label for="mauticform_input_demo_company">Company</label><input id="mauticform_input_demo_company" name="mauticform[company]" value="" type="text">
<label for="mauticform_input_demo_position">Position</label><input id="mauticform_input_demo_position" name="mauticform[position]" value="" type="text">
<label for="mauticform_input_demo_country">Country</label><select id="mauticform_input_demo_country" name="mauticform[country]"><option value="Austria">Austria</option><option value="Germany">Germany</option></select>
<button type="submit" name="mauticform[submit]" id="mauticform_input_demo_submit" value="">Submit</button>
<input type="hidden" name="mauticform[formId]" id="mauticform_demo_id" value="3">
<input type="hidden" name="mauticform[return]" id="mauticform_demo_return" value="${site}/thanks">
<input type="hidden" name="mauticform[formName]" id="mauticform_demo_name" value="demo">
</form></div>`,
    },
    '/webflow': {
      html: `<div class="w-form"><form id="email-form" name="email-form" data-name="Email Form" method="post" action="${api}/leads">
<label for="Name">Name</label><input type="text" class="w-input" maxlength="256" name="Name" data-name="Name" id="Name">
<label for="Email">Email Address</label><input type="email" class="w-input" maxlength="256" name="Email" data-name="Email" id="Email" required>
<label for="Company">Company</label><input type="text" class="w-input" maxlength="256" name="Company" data-name="Company" id="Company">
<label for="Job-Title">Job Title</label><input type="text" class="w-input" maxlength="256" name="Job-Title" data-name="Job Title" id="Job-Title">
<label for="Country">Country</label><input type="text" class="w-input" maxlength="256" name="Country" data-name="Country" id="Country">
<label for="Message">Message</label><textarea name="Message" maxlength="5000" id="Message" class="w-input"></textarea>
<input type="submit" value="Submit" class="w-button"></form></div>`,
    },
    '/netlify': {
      html: `<form name="contact" method="POST" netlify-honeypot="bot-field" data-netlify="true" action="${api}/leads">
<input type="hidden" name="form-name" value="contact">
<p style="display:none"><label>Don’t fill this out if you’re human: <input name="bot-field"></label></p>
<p><label>Your Name: <input type="text" name="name"></label></p>
<p><label>Your Email: <input type="email" name="email"></label></p>
<p><label>Company: <input type="text" name="company"></label></p>
<p><label>Role: <input type="text" name="role"></label></p>
<p><label>Country: <input type="text" name="country"></label></p>
<p><label>Message: <textarea name="message"></textarea></label></p>
<p><button type="submit">Send</button></p></form>`,
    },
    '/arabic': {
      charset: 'windows-1256',
      html: `<form method="post" action="${api}/leads" accept-charset="windows-1256">
<input type="hidden" name="_charset_"><label>البريد <input name="email"></label><label>الاسم <input name="firstName"></label>
<label>المسمى الوظيفي <input name="jobTitle"></label><label>البلد <input name="country"></label><button type="submit">إرسال</button></form>`,
    },
    // the same page as an older site has it: no accept-charset, no _charset_ field; the browser posts
    // windows-1256 bytes and says nothing of their encoding
    '/arabic-unlabelled': {
      charset: 'windows-1256',
      html: `<form method="post" action="${api}/leads"><label>البريد <input name="email"></label>
<label>الاسم <input name="firstName"></label><label>المسمى الوظيفي <input name="jobTitle"></label>
<button type="submit">إرسال</button></form>`,
    },
    // an old CMS page in ISO-8859-1 (browsers read it as windows-1252): its form names no charset and
    // the browser posts the page's bytes (`M%FCller`) with none in the content type
    '/latin1-unlabelled': {
      charset: 'iso-8859-1',
      html: `<h1>Kontakt für Händler</h1><form method="post" action="${api}/leads"><label>E-Mail <input name="email"></label>
<label>Vorname <input name="firstName"></label><label>Nachname <input name="lastName"></label>
<label>Firma <input name="company"></label><label>Position <input name="jobTitle"></label>
<button type="submit">Absenden</button></form>`,
    },
    '/upload': {
      html: `<form method="post" action="${api}/leads" enctype="multipart/form-data"><label>Email <input name="email"></label>
<label>CV <input type="file" name="cv"></label><button type="submit">Send</button></form>`,
    },
    '/thanks': { html: '<h1>Thanks from the site</h1>' },
  };
}

/** A page's HTML in the bytes of its charset: windows-1256, ISO-8859-1, else UTF-8. */
export function pageBytes(html: string, charset: string): Buffer {
  if (charset === 'windows-1256') return encode1256(html);
  if (charset === 'iso-8859-1') return Buffer.from(html, 'latin1');
  return Buffer.from(html, 'utf8');
}

/** HTML with Arabic text as windows-1256 bytes (ASCII as is). */
function encode1256(text: string): Buffer {
  const decoder = new TextDecoder('windows-1256');
  const table = new Map<string, number>();
  for (let byte = 0x80; byte <= 0xff; byte++) table.set(decoder.decode(Uint8Array.of(byte)), byte);
  return Buffer.from(
    [...text].map((char) => (char.charCodeAt(0) < 0x80 ? char.charCodeAt(0) : (table.get(char) ?? 0x3f))),
  );
}
