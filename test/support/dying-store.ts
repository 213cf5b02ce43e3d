/**
 * A store whose process dies mid-request, as a killed Lambda does: from the moment named on, every call throws
 * ('the process died'). `at`: the first call of that method dies with it; `after`: that method's first call
 * still lands, every later call dies. INJECTED fault: a SIGKILL cannot be timed between two requests of one post.
 */
import type { LeadStore } from '../../lambdas/ports/lead-store.ts';

export function dyingStore<S extends LeadStore>(
  store: S,
  when: { readonly at: keyof LeadStore } | { readonly after: keyof LeadStore },
): S {
  let dead = false;
  return new Proxy(store, {
    get(target, name, receiver) {
      const value = Reflect.get(target, name, receiver);
      if (typeof value !== 'function') return value;
      return async (...args: unknown[]) => {
        if ('at' in when && name === when.at) dead = true;
        if (dead) throw new Error('the process died');
        const result = await (value as (...inputs: unknown[]) => unknown).apply(target, args);
        if ('after' in when && name === when.after) dead = true;
        return result;
      };
    },
  });
}
