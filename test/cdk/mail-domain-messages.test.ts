/**
 * What `cdk synth` says about the sending domain (docs/deploy.md step 5): without mailDomain a warning
 * that there is no DKIM of your own and how to add it; with it, which DNS records to add once the
 * deploy printed DnsRecords (SES sends nothing until the DKIM records are there).
 */
import { Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { NO_MAIL_DOMAIN_MESSAGE } from '../../lib/leadpact-stack.ts';
import { synthesize } from './synth.ts';

describe('the sending domain, said at synth', () => {
  it('without mailDomain: a warning naming the missing DKIM and the setting that adds it', () => {
    // Act
    const synth = synthesize({ bundle: false });
    // Assert
    const warnings = synth.annotations
      .findWarning('*', Match.stringLikeRegexp('mailDomain is empty'))
      .map((w) => String(w.entry.data));
    expect(warnings).toEqual([`${NO_MAIL_DOMAIN_MESSAGE} [ack: leadpact:no-mail-domain]`]);
    expect(NO_MAIL_DOMAIN_MESSAGE).toMatch(/DKIM[\s\S]*-c mailDomain=[\s\S]*DnsRecords/);
  }, 120_000);

  it('with mailDomain and a MAIL FROM label: the records to add, and no warning', () => {
    // Act
    const synth = synthesize({
      context: { senderEmail: 'leads@example.org', mailDomain: 'example.org', mailFromSubdomain: 'mail' },
      bundle: false,
    });
    // Assert
    const infos = synth.annotations
      .findInfo('*', Match.stringLikeRegexp('mailDomain is example.org'))
      .map((i) => String(i.entry.data));
    expect(infos).toEqual([
      'mailDomain is example.org: after the deploy, add the records of the DnsRecords output at your DNS provider (3 DKIM CNAME records, the MX and SPF TXT records of mail.example.org, a DMARC TXT record at _dmarc.example.org). SES sends nothing from example.org until it sees the DKIM records (docs/deploy.md step 5).',
    ]);
    expect(synth.annotations.findWarning('*', Match.stringLikeRegexp('mailDomain is empty'))).toEqual([]);
  }, 120_000);
});
