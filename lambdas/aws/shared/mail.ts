/** Email for a Lambda function: SES v2 through the LeadPact configuration set, one client per container. */
import { SESv2Client } from '@aws-sdk/client-sesv2';
import { fromAddress, SesMailer } from '../../adapters/ses-mailer.ts';
import { SesSendQuota } from '../../adapters/ses-send-quota.ts';
import { escapeHtml } from '../../domain/email-templates.ts';
import type { Sla } from '../../domain/sla-schema.ts';
import type { Mailer } from '../../ports/mailer.ts';
import type { Notifier } from '../../tasks/notifier.ts';
import { ENV, type Env, optionalEnv, requiredEnv } from './env.ts';

let client: SESv2Client | undefined;
/** the daily quota as this container read it last, when nurture keeps a reserve (ADR 0067) */
let quota: SesSendQuota | undefined;

export { fromAddress } from '../../adapters/ses-mailer.ts';

export function sesMailer(sla: Sla, env: Env = process.env): Mailer {
  client ??= new SESv2Client({});
  const configurationSetName = optionalEnv(ENV.configurationSet, env);
  const reserve = optionalEnv(ENV.mailReservePercent, env);
  if (reserve !== undefined && !/^\d{1,2}$/.test(reserve))
    throw new Error(
      `environment variable ${ENV.mailReservePercent} is "${reserve}": a whole number 0-90 (redeploy)`,
    );
  if (reserve !== undefined) quota ??= new SesSendQuota(client, { reservePercent: Number(reserve) });
  return new SesMailer(client, {
    from: fromAddress(sla.nurture.senderName, requiredEnv(ENV.senderEmail, env)),
    ...(configurationSetName ? { configurationSetName } : {}),
    ...(quota ? { quota } : {}),
  });
}

/**
 * A notifier that can only alert ops (RecordFailure): it signs no links, so its function holds no link
 * key, and every lead email throws. The alert is the one EmailNotifier.opsAlert sends.
 */
export function opsOnlyNotifier(mailer: Mailer | undefined, opsEmail: string | undefined): Notifier {
  const refuse = async (): Promise<void> => {
    throw new Error('this function sends ops alerts only');
  };
  return {
    nurture: refuse,
    consentRequest: refuse,
    sqlAssigned: refuse,
    attemptDue: refuse,
    firstTouchOverdue: refuse,
    managerEscalation: refuse,
    reassigned: refuse,
    managerTakeover: refuse,
    recycled: refuse,
    staleDeal: refuse,
    decideDue: refuse,
    async opsAlert(subject, text) {
      if (!mailer || !opsEmail) return;
      const html = `<pre style="font:14px/1.4 monospace;white-space:pre-wrap">${escapeHtml(text)}</pre>`;
      await mailer.send({ to: [opsEmail], subject, text, html, tags: { kind: 'ops-alert' } });
    },
  };
}
