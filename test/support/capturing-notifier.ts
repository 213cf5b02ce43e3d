/**
 * An EmailNotifier whose mailer keeps every message it is given (nothing is sent): for tests that read what an
 * email says and which links it signs.
 */
import type { Sla } from '../../lambdas/domain/sla-schema.ts';
import type { EmailMessage } from '../../lambdas/ports/mailer.ts';
import { EmailNotifier } from '../../lambdas/tasks/email-notifier.ts';

export const TEST_PUBLIC_URL = 'https://leads.kessler.example';

export function capturingNotifier(
  sla: Sla,
  options: { readonly now: Date; readonly actionSecret: string },
): { readonly notifier: EmailNotifier; readonly messages: EmailMessage[] } {
  const messages: EmailMessage[] = [];
  const notifier = new EmailNotifier({
    sla,
    clock: { now: () => options.now },
    publicBaseUrl: TEST_PUBLIC_URL,
    actionSecret: options.actionSecret,
    mailer: {
      send: async (message) => {
        messages.push(message);
        return { messageId: `m-${messages.length}` };
      },
    },
  });
  return { notifier, messages };
}
