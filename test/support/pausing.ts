/**
 * Interleavings forced deterministically: a caller held at a chosen call until the test releases it, while
 * another caller runs. Nothing is faked: the held call is sent (or made) as it was, only later. Two grains:
 * - pausingStore: a LeadStore whose first call of a chosen method (once armed) waits before it runs;
 *   pauseNextCall: the same on an object a runtime already holds (its deps' store), patched in place;
 * - pauseDynamoDbCommand: a DynamoDB client whose first command matching a test waits before it is sent
 *   (a store method of several requests held between two of them, e.g. listEvents' two Queries).
 */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { LeadStore } from '../../lambdas/ports/lead-store.ts';

export interface Pause {
  /** resolves once the held call has been reached (and is waiting) */
  readonly reached: Promise<void>;
  /** lets the held call go on */
  release(): void;
}

function gate(): Pause & { hold(): Promise<void> } {
  let reach!: () => void;
  let go!: () => void;
  const reached = new Promise<void>((resolve) => {
    reach = resolve;
  });
  const released = new Promise<void>((resolve) => {
    go = resolve;
  });
  return {
    reached,
    release: () => go(),
    hold: () => {
      reach();
      return released;
    },
  };
}

export interface PausingStore<S extends LeadStore> {
  readonly store: S;
  /** the next call of `method` (and only that one) waits until released */
  pauseAt(method: keyof LeadStore): Pause;
  /** resolves once no call is in flight (a caller left running, e.g. a stopped execution's task, is done) */
  idle(): Promise<void>;
}

export function pausingStore<S extends LeadStore>(inner: S): PausingStore<S> {
  const armed = new Map<string | symbol, ReturnType<typeof gate>>();
  let inFlight = 0;
  const store = new Proxy(inner, {
    get(target, name, receiver) {
      const value = Reflect.get(target, name, receiver);
      if (typeof value !== 'function') return value;
      return async (...args: unknown[]) => {
        inFlight++;
        try {
          const held = armed.get(name);
          if (held) {
            armed.delete(name);
            await held.hold();
          }
          return await (value as (...inputs: unknown[]) => unknown).apply(target, args);
        } finally {
          inFlight--;
        }
      };
    },
  });
  return {
    store,
    pauseAt(method) {
      const held = gate();
      armed.set(method, held);
      return held;
    },
    async idle() {
      // a caller's next call follows its last within a few turns of the event loop
      for (let quiet = 0; quiet < 5; quiet = inFlight === 0 ? quiet + 1 : 0)
        await new Promise((resolve) => setTimeout(resolve, 10));
    },
  };
}

/**
 * The next call of `method` on `target` itself (an object a runtime already holds, e.g. its deps' store) waits until
 * released; later calls run straight through. The call is made unchanged, only later.
 */
export function pauseNextCall<T extends object, K extends keyof T & string>(target: T, method: K): Pause {
  const original = (target[method] as (...args: unknown[]) => unknown).bind(target);
  const held = gate();
  let armed = true;
  (target as Record<string, unknown>)[method] = async (...args: unknown[]) => {
    if (armed) {
      armed = false;
      await held.hold();
    }
    return original(...args);
  };
  return held;
}

/** A command's input as the middleware sees it (marshalled values, `{ S: '...' }`, or plain ones). */
export type CommandInput = Record<string, unknown>;

/** The plain string of an attribute value, marshalled or not. */
export function plain(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  return (value as { S?: string } | undefined)?.S;
}

/** Holds the first command `matches` picks (once) before it is sent, until released. */
export function pauseDynamoDbCommand(
  client: DynamoDBClient,
  matches: (commandName: string, input: CommandInput) => boolean,
): Pause {
  const held = gate();
  let done = false;
  client.middlewareStack.add(
    (next, context) => async (args) => {
      if (!done && matches(context.commandName ?? '', args.input as CommandInput)) {
        done = true;
        await held.hold();
      }
      return next(args);
    },
    { step: 'initialize', name: `leadpactPause${Math.random().toString(36).slice(2)}` },
  );
  return held;
}
