/**
 * POST /leads under concurrency, through the real local server over a socket: many posts of one email at
 * once never answer 409 to a form (the version conflict is retried inside), make one lead, and record every
 * submission once, stored as an event and reflected in the lead (one version and one timeline entry each).
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { submissionSchema } from '../../lambdas/api/lead-submission.ts';
import { submitLead } from '../../lambdas/api/leads-public.ts';
import { type LeadStore, updateLead, withMovedEntries } from '../../lambdas/ports/lead-store.ts';
import { useLocalApi } from '../support/local-api.ts';

const POSTS = 50;

describe('POST /leads, concurrent posts of one email', () => {
  const api = useLocalApi();

  it.each([
    ['a new email', false],
    ['a known email', true],
  ])(
    `${POSTS} parallel posts of %s: all 202, one lead, every submission stored once and applied`,
    async (_case, known) => {
      // Arrange
      const email = api.uniqueEmail('burst');
      const leadId = api.leadIdOf(email);
      if (known) await api.createLead({ email, firstName: 'Petra' });
      const before = known ? 1 : 0;
      const posts = Array.from({ length: POSTS }, (_, i) => ({
        email: i % 2 === 0 ? email : ` ${email.toUpperCase()} `,
        formId: 'newsletter',
        utm_content: `post-${i}`,
        // each post brings a field of its own: every one must reach the lead
        [`answer${i}`]: `yes ${i}`,
      }));

      // Act
      const responses = await Promise.all(
        posts.map((post, i) => (i % 3 === 0 ? api.postForm(post) : api.postLead(post))),
      );

      // Assert
      expect(
        responses.map((response) => response.status),
        responses.map((response) => response.text).join('\n'),
      ).toEqual(Array(POSTS).fill(202));
      for (const response of responses) expect(response.body).toEqual({ leadId });
      const events = await api.runtime.deps.store.listEvents(leadId);
      expect(events).toHaveLength(before + POSTS);
      const perPost = events.map((event) => event.properties?.utm_content).filter((tag) => tag !== undefined);
      expect([...perPost].sort()).toEqual(posts.map((post) => post.utm_content).sort());
      const lead = await api.runtime.deps.store.getLead(leadId);
      // one lead, each submission applied once: one version and one 'submitted' entry per post
      expect(lead?.version).toBe(before + POSTS);
      // the whole story: the tail on the state and the entries moved to their own items (ADR 0032)
      const story = lead ? (await withMovedEntries(api.runtime.deps.store, lead)).timeline : [];
      const submitted = story.filter((entry) => entry.kind === 'submitted');
      // the post that created the lead has its 'created' entry instead
      expect(submitted).toHaveLength(known ? POSTS : POSTS - 1);
      for (let i = 0; i < POSTS; i++) expect(lead?.fields[`answer${i}`]).toBe(`yes ${i}`);
      expect(lead?.fields.firstName).toBe(known ? 'Petra' : undefined);
      const starts = api.workflowCalls(leadId).filter((call) => call.action === 'start');
      expect(starts).toHaveLength(1);
    },
  );

  it('retries the conflict with writers outside the route (the workflow, a rep): every post lands', async () => {
    // Arrange
    const email = api.uniqueEmail('contended');
    const leadId = await api.createLead({ email });
    const store = api.runtime.deps.store;
    let stop = false;
    // 2 writers keep bumping the lead, as the workflow and the sales routes would
    const writers = Array.from({ length: 2 }, async () => {
      let writes = 0;
      while (!stop) {
        await updateLead(store, leadId, (current) => ({ ...current }), 1_000);
        writes++;
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      return writes;
    });

    // Act
    const responses = await Promise.all(
      Array.from({ length: 10 }, (_, i) => api.postLead({ email, [`answer${i}`]: `yes ${i}` })),
    ).finally(() => {
      stop = true;
    });
    const writes = (await Promise.all(writers)).reduce((sum, n) => sum + n, 0);

    // Assert
    expect(responses.map((response) => response.status)).toEqual(Array(10).fill(202));
    const lead = await store.getLead(leadId);
    expect(lead?.version).toBe(1 + 10 + writes);
    for (let i = 0; i < 10; i++) expect(lead?.fields[`answer${i}`]).toBe(`yes ${i}`);
    expect(await store.listEvents(leadId)).toHaveLength(11);
  });
});

describe('POST /leads, when the lead never stops changing', () => {
  const api = useLocalApi();
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('gives up after its budget: the submission is stored, the workflow woken, nothing thrown, no personal data logged', async () => {
    // Arrange: a store whose lead always changes between read and write, a fault the emulator cannot make
    const email = api.uniqueEmail('never');
    const leadId = await api.createLead({ email, firstName: 'Petra' });
    const real = api.runtime.deps.store;
    const store = new Proxy(real, {
      get: (target, key) => {
        if (key === 'saveLead') return async () => 'conflict';
        const value = Reflect.get(target, key, target);
        return typeof value === 'function' ? value.bind(target) : value;
      },
    }) satisfies LeadStore;
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const submission = submissionSchema.parse({ email, formId: 'demo-request', phone: '+49 170 1234567' });

    // Act
    await submitLead({ ...api.runtime.deps, store }, submission, leadId, {
      attempts: 5,
      baseMs: 1,
      capMs: 5,
      budgetMs: 1_000,
    });

    // Assert
    expect(await real.listEvents(leadId)).toHaveLength(2);
    expect((await real.getLead(leadId))?.version).toBe(1);
    expect(api.workflowCalls(leadId).at(-1)).toEqual({ action: 'signal', detail: expect.any(String) });
    expect(warn).toHaveBeenCalledTimes(1);
    const logged = String(warn.mock.calls[0]?.[0]);
    expect(JSON.parse(logged)).toMatchObject({ level: 'warn', route: 'POST /leads', leadId });
    expect(logged).not.toContain(email);
    expect(logged).not.toContain('1234567');
  });
});
