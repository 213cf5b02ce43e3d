/**
 * The person posts the form again just as their lead is erased (issue 10, item 5): the post starts a new life
 * (cycle 2) and an erase of that life runs while the post is still finishing it (storing its event, starting
 * its execution). Once both answered, the erased life keeps no event and no execution runs for it. The
 * interleavings are forced by holding one side at the named step (hooks on the store and the workflow).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { LeadStore } from '../../lambdas/ports/lead-store.ts';
import type { Workflow } from '../../lambdas/ports/workflow.ts';
import { type E2e, exampleLead, startE2e } from '../support/e2e.ts';

describe('an erase of the new life a form post is still starting', () => {
  let e2e: E2e;
  beforeEach(async () => {
    e2e = await startE2e({ reconcileEveryMs: 0 });
  });
  afterEach(async () => {
    await e2e.close();
  });

  /** a hot lead, erased: the next post of its address starts cycle 2 */
  async function erasedLead(email: string): Promise<string> {
    expect((await e2e.postLead({ ...exampleLead('hot'), email })).status).toBe(202);
    await e2e.settle();
    const leadId = e2e.leadIdOf(email);
    expect((await e2e.request('DELETE', `/leads/${leadId}`)).status).toBe(200);
    return leadId;
  }

  it('leaves no event of the erased life when the erase ran between the post’s write and its event', async () => {
    // Arrange: the whole erase runs once the post wrote cycle 2 and before it stores its event again
    const email = 'new-life-event@plant.example';
    const leadId = await erasedLead(email);
    const store = e2e.runtime.deps.store as LeadStore;
    const put = store.putEventOfCycle.bind(store);
    let erase: Promise<{ status: number }> | undefined;
    store.putEventOfCycle = async (...args) => {
      erase = e2e.request('DELETE', `/leads/${leadId}`);
      await erase;
      await put(...args);
    };

    // Act
    let post: { status: number };
    try {
      post = await e2e.postLead({ ...exampleLead('hot'), email, phone: '+49 30 7719 4286' });
    } finally {
      store.putEventOfCycle = put;
    }
    await e2e.settle();

    // Assert: cycle 2 erased, and nothing of it stored (its event carries the page, the campaign, the click ids)
    expect(post.status).toBe(202);
    expect((await erase)?.status).toBe(200);
    const lead = (await store.getLead(leadId))!;
    expect({ cycle: lead.cycle, erased: lead.erasedAt !== undefined }).toEqual({ cycle: 2, erased: true });
    expect(await store.listEvents(leadId)).toEqual([]);
  });

  it('stops the execution the post started after the erase’s stop and before its write', async () => {
    // Arrange: the erase reads cycle 2 and stops its execution before the post started it (nothing to stop),
    // then waits while the post starts it and it parks; then it writes the erasure
    const email = 'new-life-execution@plant.example';
    const leadId = await erasedLead(email);
    const store = e2e.runtime.deps.store as LeadStore;
    const workflow = e2e.runtime.deps.workflow as Workflow;
    const put = store.putEventOfCycle.bind(store);
    const stop = workflow.stop.bind(workflow);
    let stopped!: () => void;
    const firstStop = new Promise<void>((resolve) => {
      stopped = resolve;
    });
    let release!: () => void;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    let stops = 0;
    workflow.stop = async (...args) => {
      await stop(...args);
      if (++stops === 1) {
        stopped();
        await gate;
      }
    };
    let erase: Promise<{ status: number }> | undefined;
    store.putEventOfCycle = async (...args) => {
      erase = e2e.request('DELETE', `/leads/${leadId}`);
      await firstStop;
      await put(...args);
    };

    // Act
    try {
      expect((await e2e.postLead({ ...exampleLead('hot'), email })).status).toBe(202);
      await e2e.settle();
      const parked = e2e.runtime.engine.executionsOf(leadId).filter((run) => run.cycle === 2);
      expect(parked.map((run) => run.status)).toEqual(['PARKED']);
      release();
      expect((await erase)?.status).toBe(200);
    } finally {
      store.putEventOfCycle = put;
      workflow.stop = stop;
      release();
    }
    await e2e.settle();

    // Assert: the erased life runs nothing
    expect((await store.getLead(leadId))?.erasedAt).toBeDefined();
    const running = e2e.runtime.engine
      .executionsOf(leadId)
      .filter((run) => run.status === 'RUNNING' || run.status === 'PARKED')
      .map((run) => run.name);
    expect(running).toEqual([]);
  });
});
