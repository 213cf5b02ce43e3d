/**
 * "Over to you" as the manager acts on it (ADR 0088): the escalation ladder runs out on a lead of the
 * Equipment sales queue whose last owner, Carla, is in Dan's team; the queue's manager, Katrin, is told it stays
 * with Carla until she decides who works it. Through the whole local runtime (the ladder on the workflow, the
 * emails in the SES emulator, the console over HTTP with Katrin's signed-in cookie, the API's handlers with her
 * principal): she opens the lead from the email, finds it on her overview and in her overdue list, and gives it
 * to a rep of Dan's team. Before, the console answered her 404 "Lead … not found" and she could give it to
 * nobody outside her team. A lead of Dan's team not over to her stays out of her reach.
 */
import { describe, expect, it } from 'vitest';
import { ROUTES } from '../../lambdas/api/routes.ts';
import { consoleFetch, giveInConsole, signIn } from '../support/console.ts';
import { exampleLead, linksOf } from '../support/e2e.ts';
import { hotLeadOverToKatrin } from '../support/over-to-katrin.ts';
import { personEvent } from '../support/person-event.ts';
import { useRuntime } from '../support/use-runtime.ts';

const KATRIN = 'katrin.vogel@kessler-industrial.example'; // manages Equipment sales; her team: Jonas, Lena, ...
const DAN = 'dan.whitaker@kessler-industrial.example'; // Carla's and Mike's manager

describe('a lead over to the queue manager, whose last owner is in another team', () => {
  const e = useRuntime();
  let petra = '';
  let control = '';
  let katrin = '';

  /** A route of the API as a person (its handler: the local server knows only the API token) */
  async function api(
    route: string,
    principal: string,
    leadId: string,
    { body, query }: { body?: unknown; query?: Record<string, string> } = {},
  ) {
    const handler = ROUTES.find((r) => `${r.method} ${r.path}` === route)!.make(e().runtime.deps as never);
    const event = personEvent(route, principal, leadId, body);
    const answer = await handler(query ? { ...event, queryStringParameters: query } : event, {} as never);
    return answer as { statusCode: number; body: string };
  }

  it('Katrin gets "Over to you" with a link to the lead page, and the page opens for her', async () => {
    // Arrange: the hot lead, handed to Jonas, then Mike, then Carla, nobody touching it
    petra = await hotLeadOverToKatrin(e());
    expect((await e().readLead(petra)).owner?.id).toBe('carla');
    // ...and a lead of Dan's team the ladder never handed to Katrin
    const other = await e().postLead({ ...exampleLead('hot'), email: 'buyer@overto-control.example' });
    control = (other.body as { leadId: string }).leadId;
    await e().settle();
    expect((await e().request('POST', `/leads/${control}/owner`, { json: { owner: 'mike' } })).status).toBe(
      200,
    );
    await e().settle();

    // Act
    const [over] = (await e().mailsTo(KATRIN)).filter((mail) => mail.subject.startsWith('Over to you:'));
    const link = linksOf(over!)['Open the lead in the console'];
    katrin = await signIn(e().runtime, KATRIN);
    const page = await consoleFetch(e().runtime, 'GET', link ?? `/console/leads/${petra}`, {
      cookie: katrin,
    });

    // Assert
    expect(link).toBe(`${e().url}/console/leads/${petra}`);
    expect(over!.text).toContain('It stays with Carla Ruiz until you decide who works it');
    expect(page.status).toBe(200);
    expect(page.text).toContain('Petra Schneider');
    // the reassign form offers the reps of the lead's queue, Dan's among them
    expect(page.text).toMatch(/<option value="mike"[^>]*>Mike Okafor<\/option>/);
  });

  it.each([
    ['her overview', '/console'],
    ['her overdue leads', '/console/leads?overdue=true'],
  ])('lists the lead on %s', async (_name, path) => {
    // Act
    const page = await consoleFetch(e().runtime, 'GET', path, { cookie: katrin });

    // Assert
    expect(page.status).toBe(200);
    expect(page.text).toContain(`href="/console/leads/${petra}"`);
    expect(page.text).not.toContain(`href="/console/leads/${control}"`);
  });

  it("reaches the lead through the API as Katrin too; a lead of Dan's team not over to her stays 404", async () => {
    // Act
    const read = await api('GET /leads/{id}', 'manager:katrin', petra);
    const others = await api('GET /leads/{id}', 'manager:katrin', control);
    const listed = await api('GET /leads', 'manager:katrin', 'x', { query: { overdue: 'true' } });
    const byDan = await api('GET /leads/{id}', 'manager:dan', control);
    const othersPage = await consoleFetch(e().runtime, 'GET', `/console/leads/${control}`, {
      cookie: katrin,
    });

    // Assert
    expect(read.statusCode).toBe(200);
    expect(others.statusCode).toBe(404);
    expect(othersPage.status).toBe(404);
    expect(byDan.statusCode).toBe(200);
    const ids = (JSON.parse(listed.body) as { items: { id: string }[] }).items.map((item) => item.id);
    expect(ids).toContain(petra);
    expect(ids).not.toContain(control);
  });

  it("Katrin cannot give the lead of Dan's team that is not over to her to anyone", async () => {
    // Act
    const answer = await api('POST /leads/{id}/owner', 'manager:katrin', control, {
      body: { owner: 'jonas' },
    });

    // Assert
    expect(answer.statusCode).toBe(404);
    expect((await e().readLead(control)).owner?.id).toBe('mike');
  });

  it('Katrin logs the first touch for Carla through the API; the lead stays in her reach', async () => {
    // Act
    const logged = await api('POST /leads/{id}/attempts', 'manager:katrin', petra, {
      body: { attemptId: 'overto-first-call', outcome: 'no-answer', repId: 'carla' },
    });
    const read = await api('GET /leads/{id}', 'manager:katrin', petra);

    // Assert
    expect(logged.statusCode).toBe(201);
    expect(read.statusCode).toBe(200);
    expect((await e().readLead(petra)).attempts.map((a) => a.repId)).toEqual(['carla']);
  });

  it("Katrin gives the lead to Mike, of Dan's team, in the console; then it is Dan's team's again", async () => {
    // Act
    const given = await giveInConsole(e().runtime, katrin, petra, 'mike', 'Chicago, free today');
    await e().settle();

    // Assert
    expect(given.status).toBe(303);
    // a new handover, Mike's: no longer over to Katrin, so the notice goes on her overview
    expect(given.headers.get('location')).toBe('/console?done=owner&left=1');
    expect((await e().readLead(petra)).owner?.id).toBe('mike');
    expect((await api('GET /leads/{id}', 'manager:katrin', petra)).statusCode).toBe(404);
    const dan = await signIn(e().runtime, DAN);
    expect((await consoleFetch(e().runtime, 'GET', `/console/leads/${petra}`, { cookie: dan })).status).toBe(
      200,
    );
  });
});
