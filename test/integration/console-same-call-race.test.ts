/**
 * Two tabs of the console send the same attempt within milliseconds (ADR 0074, amended): each form has its own
 * attempt id, so the attempt's key does not make them one. Before, the console's "Logged already?" check read the
 * lead's attempts before its write, both posts passed it, and the call was logged twice. Now the check is made again
 * inside the write that logs (as the one-click links' is), on the state it replaces: one post logs, the other is
 * asked. Two attempts of different channels at the same instant are two attempts. Real HTTP on the local runtime
 * (dynalite), the two posts at once on real sockets.
 */
import { describe, expect, it } from 'vitest';
import { consoleFetch, csrfOf, signIn, textOf } from '../support/console.ts';
import { sqlLeadOwnedBy, useLocalApi } from '../support/local-api.ts';

const api = useLocalApi({ port: 4660 });

const JONAS = 'jonas.berger@kessler-industrial.example';

describe('the console logs one attempt sent from two tabs at once', () => {
  /** Jonas's session, signed in once (one sign-in email per person per minute, and the clock is set back to T0) */
  let session: string | undefined;
  const jonas = async () => {
    session ??= await signIn(api.runtime, JONAS);
    return session;
  };

  it.each([
    { case: 'the same email', channels: ['email', 'email'], logged: 1, statuses: [303, 409] },
    {
      case: 'the same LinkedIn message',
      channels: ['linkedin', 'linkedin'],
      logged: 1,
      statuses: [303, 409],
    },
    { case: 'a call and an email', channels: ['phone', 'email'], logged: 2, statuses: [303, 303] },
  ])(
    'No answer for $case, posted from two tabs at the same instant',
    async ({ case: what, channels, logged, statuses }) => {
      // Arrange: Jonas has the lead's page open in two tabs (two forms, two attempt ids)
      const leadId = await sqlLeadOwnedBy(api, 'jonas', `Race${channels.join('')}`);
      const cookie = await jonas();
      const csrf = csrfOf(
        (await consoleFetch(api.runtime, 'GET', `/console/leads/${leadId}`, { cookie })).text,
      );
      const post = (tab: number, channel: string) =>
        consoleFetch(api.runtime, 'POST', `/console/leads/${leadId}/attempts`, {
          cookie,
          form: {
            csrf,
            attemptId: `tab-${tab}-${channel}`,
            outcome: 'no-answer',
            channel,
            note: 'No reply yet',
          },
        });

      // Act
      const answers = await Promise.all(channels.map((channel, tab) => post(tab, channel)));

      // Assert: logged once; the other tab is asked, and nothing of it is written
      expect(answers.map((answer) => answer.status).sort()).toEqual(statuses);
      expect(await api.runtime.deps.store.listAttempts(leadId)).toHaveLength(logged);
      const story = (await api.runtime.deps.store.getLead(leadId))!.timeline;
      expect(story.filter((entry) => entry.kind === 'attempt')).toHaveLength(logged);
      // worded by the channel logged, not as a call (ADR 0087)
      for (const asked of answers.filter((answer) => answer.status === 409)) {
        expect(textOf(asked.text)).toContain('Logged already? You logged No answer');
        expect(textOf(asked.text)).toContain(`It was ${what}`);
      }
    },
  );
});
