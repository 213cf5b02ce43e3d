/**
 * The links a lead gets (the double opt-in confirmation, then each nurture email's unsubscribe) as a mail
 * scanner meets them before the person does: Outlook Safe Links and Gmail's prefetch send GET and HEAD, as
 * often as they like. None of those may confirm or unsubscribe; the person's POST, or a mail client's RFC 8058
 * one-click POST (url-encoded or multipart, no cookie, no page), must.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { consentLinkOf, type E2e, exampleLead, HOUR, listUnsubscribeUrl, startE2e } from '../support/e2e.ts';

const SCANNER = { 'user-agent': 'Mozilla/5.0 (compatible; Microsoft Office/16.0; SafeLinks)' };

describe("a lead's links, scanned before they are read", () => {
  let e2e: E2e;

  beforeAll(async () => {
    e2e = await startE2e();
  });
  afterAll(() => e2e?.close());

  it('GET and HEAD on the confirmation link confirm nothing; the POST confirms', async () => {
    // Arrange
    const lead = { ...exampleLead('cold'), email: 'scanned.confirm@lee-auto.example' };
    const leadId = e2e.leadIdOf(lead.email);
    await e2e.postLead(lead);
    await e2e.settle();
    const [ask] = await e2e.mailsTo(lead.email);
    const url = consentLinkOf(ask!)!;

    // Act: the scanner, three times
    const scanned = [];
    for (const method of ['GET', 'HEAD', 'GET'])
      scanned.push(await e2e.request(method, url, { headers: SCANNER }));
    await e2e.settle();
    await e2e.advanceBy(HOUR);

    // Assert: nothing confirmed, nothing nurtured, the link still works
    expect(scanned.map((response) => response.status)).toEqual([200, 405, 200]);
    expect((await e2e.readLead(leadId)).consent).toMatchObject({
      status: 'awaiting confirmation',
      confirmedAt: null,
    });
    expect(await e2e.mailsTo(lead.email)).toHaveLength(1);
    const confirmed = await e2e.request('POST', url, { form: '' });
    expect(confirmed.status).toBe(200);
    expect((await e2e.readLead(leadId)).consent).toMatchObject({ status: 'confirmed' });
  });

  it.each([
    ['url-encoded', 'application/x-www-form-urlencoded', 'List-Unsubscribe=One-Click'],
    [
      'multipart',
      'multipart/form-data; boundary=----scan',
      '------scan\r\nContent-Disposition: form-data; name="List-Unsubscribe"\r\n\r\nOne-Click\r\n------scan--\r\n',
    ],
  ])(
    'GET and HEAD on the unsubscribe links unsubscribe nobody; the one-click POST (%s) does',
    async (_name, type, body) => {
      // Arrange: a confirmed lead and its first nurture email
      const lead = { ...exampleLead('cold'), email: `scanned.${_name}@lee-auto.example` };
      const leadId = e2e.leadIdOf(lead.email);
      await e2e.postLead(lead);
      await e2e.settle();
      await e2e.confirmSubscription(lead.email);
      const nurture = (await e2e.mailsTo(lead.email)).find((mail) => listUnsubscribeUrl(mail));
      const header = listUnsubscribeUrl(nurture!)!;
      const inBody = /Unsubscribe: (https?:\/\/\S+)/.exec(nurture!.text)![1]!;

      // Act: the scanner follows the header's URL and the body's link
      const scanned = [];
      for (const url of [header, inBody])
        for (const method of ['GET', 'HEAD'])
          scanned.push(await e2e.request(method, url, { headers: SCANNER }));
      await e2e.settle();

      // Assert: still subscribed
      expect(scanned.map((response) => response.status)).toEqual([200, 405, 200, 405]);
      expect(await e2e.readLead(leadId)).toMatchObject({
        unsubscribed: false,
        consent: { status: 'confirmed' },
      });

      // Act: the mail client's one-click unsubscribe (RFC 8058: a POST with no cookie, no page shown)
      const oneClick = await e2e.request('POST', header, { raw: body, headers: { 'content-type': type } });
      await e2e.settle();

      // Assert
      expect(oneClick.status).toBe(200);
      expect(await e2e.readLead(leadId)).toMatchObject({
        unsubscribed: true,
        consent: { status: 'withdrawn' },
      });
    },
  );
});
