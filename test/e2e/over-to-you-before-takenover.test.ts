/**
 * A lead handed to a manager ("Over to you", the ladder ran out) by the release before `LeadState.takenOver`
 * (before commit be17914): its state records the takeover only as the older code wrote it: the "Over to you"
 * email's sent key, the ladder's fields (`escalationsTaken` past a reassign rung, with no handover after it) and
 * the escalation entry. After the upgrade such a lead must get its "Still over to you" reminders (ADR 0085) and be
 * in its manager's reach (ADR 0088), as one the newer code took over. Through the whole local runtime (dynalite,
 * the SES emulator, the local workflow, the console over HTTP, the API's handlers with a person's principal):
 * the hot lead is let lie by Jonas, Mike and Carla and Katrin takes it over; its item is then written back
 * through the DynamoDB adapter as the older code stored it (no `takenOver`: the one field be17914's
 * handToManager added to that write). A lead of the same queue that no ladder ever handed over gets neither.
 */
import { describe, expect, it } from 'vitest';
import { ROUTES } from '../../lambdas/api/routes.ts';
import type { LeadState } from '../../lambdas/domain/lead-state.ts';
import { updateLead } from '../../lambdas/ports/lead-store.ts';
import { consoleFetch, giveInConsole, signIn } from '../support/console.ts';
import { exampleLead } from '../support/e2e.ts';
import { hotLeadOverToKatrin } from '../support/over-to-katrin.ts';
import { personEvent } from '../support/person-event.ts';
import { useRuntime } from '../support/use-runtime.ts';

const KATRIN = 'katrin.vogel@kessler-industrial.example'; // manages the Equipment sales queue; Carla is Dan's
/** Thu 3 Dec, after the first business day of the takeover in Carla's calendar (Chicago) */
const A_DAY_LATER = '2026-12-03T16:00:00.000Z';

/** The lead's item as the release before be17914 wrote it: its handToManager stored no `takenOver`. */
function asTheOlderCodeStoredIt(lead: LeadState): LeadState {
  const { takenOver: _added, ...older } = lead;
  return older as LeadState;
}

const stillOverTo = (subject: string, name: string) =>
  subject.startsWith('Still over to you:') && subject.includes(name);

describe('a lead over to Katrin from before the release that stored takenOver', () => {
  const e = useRuntime();
  let petra = '';
  let control = '';
  let katrin = '';

  /** A route of the API as a person (its handler: the local server knows only the API token) */
  async function api(route: string, principal: string, leadId: string, body?: unknown) {
    const handler = ROUTES.find((r) => `${r.method} ${r.path}` === route)!.make(e().runtime.deps as never);
    const answer = await handler(personEvent(route, principal, leadId, body), {} as never);
    return answer as { statusCode: number; body: string };
  }

  it('the older item is what the takeover wrote, less takenOver (the ladder past its reassign rung, the key sent)', async () => {
    // Arrange: the hot lead handed to Jonas, then Mike, then Carla, nobody touching it; Katrin takes it over
    petra = await hotLeadOverToKatrin(e());
    // ...and a lead of the same queue whose ladder has not run out: given to Mike by hand, a fresh handover
    const other = await e().postLead({ ...exampleLead('hot'), email: 'buyer@no-takeover.example' });
    control = (other.body as { leadId: string }).leadId;
    await e().settle();
    expect((await e().request('POST', `/leads/${control}/owner`, { json: { owner: 'mike' } })).status).toBe(
      200,
    );
    await e().settle();
    const store = e().runtime.deps.store;

    // Act: the item written back as the older code stored it
    const { state } = await updateLead(store, petra, (current) => asTheOlderCodeStoredIt(current));

    // Assert: what the older state records of the takeover
    const stored = (await store.getLead(petra))!;
    expect(state?.takenOver).toBeUndefined();
    expect(stored.takenOver).toBeUndefined();
    expect(stored.ownerId).toBe('carla');
    expect(stored.escalationsTaken).toBe(3);
    expect(stored.sent).toContain(`escalate:${stored.cycle}:${stored.ownerSince}:3`);
  });

  it('Katrin reaches it in the console and the API; the lead of her queue no ladder handed over stays 404', async () => {
    // Arrange
    katrin = await signIn(e().runtime, KATRIN);

    // Act
    const page = await consoleFetch(e().runtime, 'GET', `/console/leads/${petra}`, { cookie: katrin });
    const read = await api('GET /leads/{id}', 'manager:katrin', petra);
    const others = await api('GET /leads/{id}', 'manager:katrin', control);
    const othersPage = await consoleFetch(e().runtime, 'GET', `/console/leads/${control}`, {
      cookie: katrin,
    });

    // Assert
    expect(page.status).toBe(200);
    expect(page.text).toContain('Petra Schneider');
    // the reassign form offers the reps of the lead's queue, Dan's Mike among them
    expect(page.text).toMatch(/<option value="mike"[^>]*>Mike Okafor<\/option>/);
    expect(read.statusCode).toBe(200);
    expect(others.statusCode).toBe(404);
    expect(othersPage.status).toBe(404);
  });

  it('Katrin is reminded "Still over to you" at the lead’s next wake; not of the lead no ladder handed over', async () => {
    // Act: a business day of nobody touching either lead
    await e().advanceTo(A_DAY_LATER);

    // Assert
    const mails = await e().mailsTo(KATRIN);
    const reminders = mails.filter((mail) => stillOverTo(mail.subject, 'Petra Schneider'));
    expect(reminders).toHaveLength(1);
    expect(reminders[0]!.text).toContain('It stays with Carla Ruiz');
    expect(mails.filter((mail) => mail.subject.startsWith('Still over to you:'))).toHaveLength(1);
    // the first, counted from the takeover's entry; the takeover now stored with the lead by the reminder's write,
    // as the newer code stores one (the queue's reps fixed: ADR 0088)
    const stored = (await e().runtime.deps.store.getLead(petra))!;
    expect(stored.sent).toContain(`takeover:${stored.cycle}:${stored.ownerSince}:1`);
    expect(stored.takenOver).toEqual({
      handover: stored.ownerSince,
      to: 'katrin',
      at: '2026-12-01T23:00:00.000Z',
      reps: ['jonas', 'lena', 'mats', 'carla', 'mike'],
    });
  });

  it('Katrin gives it to Mike, of Dan’s team, in the console; then it is out of her reach', async () => {
    // Act
    const given = await giveInConsole(e().runtime, katrin, petra, 'mike', 'Chicago, free today');
    await e().settle();

    // Assert
    expect(given.status).toBe(303);
    expect((await e().readLead(petra)).owner?.id).toBe('mike');
    expect((await api('GET /leads/{id}', 'manager:katrin', petra)).statusCode).toBe(404);
  });
});
