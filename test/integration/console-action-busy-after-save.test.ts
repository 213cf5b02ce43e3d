/**
 * A console action whose change is saved, after which DynamoDB refuses reads of the lead past the SDK's
 * retries. The change was taken: the browser must land where the change leads (the lead page, or the overview
 * when the lead left the viewer's reach), not on a 503 "send it again" for a change that was stored (a burst
 * under throttling found this: a manager's reassignment answered 503 and was stored).
 *
 * An attempt is the one exception, as docs/api.md says: its own item is stored after the lead's write and the
 * lead read again (an erase that overtook it), so a 503 there is "send it again", which the form's attempt id
 * makes safe (not covered here: attempt-replay tests).
 *
 * Wiring: the real local runtime (dynalite, the DynamoDB store, the HTTP server); a second API server on the
 * runtime's deps whose store, once a lead is armed and saved, refuses every later read of that lead with
 * DynamoDB's ThrottlingException. INJECTED FAULT: that refusal at exactly that moment cannot be caused
 * otherwise (the store wrapper is the one stand-in; each call it lets through is the real store's).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LeadStore } from '../../lambdas/ports/lead-store.ts';
import type { RunningServer } from '../../local/http-server.ts';
import { startApiServer } from '../../local/http-server.ts';
import { consoleFetch, csrfOf, signIn } from '../support/console.ts';
import { throttled } from '../support/failing-signal.ts';
import { ADMIN_TOKEN, MINUTE, SQL_LEAD, T0, useLocalApi } from '../support/local-api.ts';

const JONAS = 'jonas.berger@kessler-industrial.example'; // rep, team of Katrin
const KATRIN = 'katrin.vogel@kessler-industrial.example'; // manager of Jonas, Lena, Mats, Sofia

/** `store` whose reads of the armed lead throw once that lead was saved: what a request reads after its commit */
function readsFailingAfterSave(store: LeadStore) {
  let armed: string | undefined;
  let saved = false;
  let refused = 0;
  const wrapped = new Proxy(store, {
    get(target, name, receiver) {
      const real = Reflect.get(target, name, receiver);
      if (typeof real !== 'function') return real;
      return (...args: unknown[]) => {
        const leadId = typeof args[0] === 'string' ? args[0] : (args[0] as { leadId?: string })?.leadId;
        if (armed !== undefined && leadId === armed) {
          if (name === 'saveLead') saved = true;
          else if (saved && (name === 'getLead' || name === 'loadLead')) {
            refused++;
            return Promise.reject(throttled()());
          }
        }
        return real.apply(target, args);
      };
    },
  });
  return {
    store: wrapped,
    arm: (leadId: string) => {
      armed = leadId;
      saved = false;
      refused = 0;
    },
    disarm: () => {
      armed = undefined;
    },
    saved: () => saved,
    refused: () => refused,
  };
}

describe('a console action whose lead cannot be read after its change is saved', () => {
  const api = useLocalApi({ eventsOff: true });
  let server: RunningServer;
  let failing: ReturnType<typeof readsFailingAfterSave>;
  let minute = 0;

  beforeAll(async () => {
    failing = readsFailingAfterSave(api.runtime.deps.store);
    server = await startApiServer({
      deps: { ...api.runtime.deps, store: failing.store },
      adminToken: ADMIN_TOKEN,
      port: 0,
      rateLimit: { perMinute: 1_000_000, burst: 1_000_000 },
    });
  });

  afterAll(async () => {
    await server?.close();
  });

  // biome-ignore format: one row per case reads as a table
  it.each([
    ['Jonas sets the status Connected', JONAS, 'status', { status: 'connected' }, 'status', 'stays'],
    ['Jonas sets Recycled - not ready', JONAS, 'status', { status: 'recycled-not-ready' }, 'status', 'leaves'],
    ['Jonas moves the deal to Discovery', JONAS, 'deal', { stage: 'discovery' }, 'deal', 'stays'],
    ['Katrin gives the lead to Lena', KATRIN, 'owner', { owner: 'lena', reason: 'she knows them' }, 'owner', 'stays'],
    ['Jonas corrects the phone', JONAS, 'fields', { phone: '+49 89 7654321' }, 'fields', 'stays'],
  ] as const)('%s: the change is stored once and the browser goes on (303), not told to send it again', async (_name, who, action, form, done, where) => {
    // Arrange: a lead of Jonas's; the signed-in person's page and its CSRF token
    minute += 2;
    api.clock.set(new Date(T0.getTime() + minute * MINUTE));
    const leadId = await api.createLead({ email: api.uniqueEmail(`busy-${action}`), firstName: 'Petra', ...SQL_LEAD });
    await api.handOff(leadId, 'jonas');
    const cookie = await signIn(api.runtime, who);
    const page = await consoleFetch(api.runtime, 'GET', `/console/leads/${leadId}`, { cookie });
    const csrf = csrfOf(page.text);
    const before = (await api.runtime.deps.store.getLead(leadId))!;

    // Act: posted to the server whose reads of this lead fail once its change is saved
    failing.arm(leadId);
    const posted = await consoleFetch(api.runtime, 'POST', `${server.url}/console/leads/${leadId}/${action}`, {
      cookie,
      form: { ...form, csrf },
      origin: server.url,
    });
    failing.disarm();

    // Assert
    expect(failing.saved(), 'the change was saved').toBe(true);
    expect(posted.status, posted.text).toBe(303);
    expect(posted.headers.get('location')).toBe(
      where === 'stays' ? `/console/leads/${leadId}?done=${done}` : `/console?done=${done}&left=1`,
    );
    const after = (await api.runtime.deps.store.getLead(leadId))!;
    const kind = { status: 'status', deal: 'deal', owner: 'owner', fields: 'field' }[action];
    const added = after.timeline.slice(before.timeline.length).filter((entry) => entry.kind === kind && entry.by !== 'workflow');
    expect(added, 'the change is stored once').toHaveLength(1);
  });
});
