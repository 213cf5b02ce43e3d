/**
 * A dependency this function was not granted (no table, no state machine, no key): any use throws
 * naming what is missing, instead of failing later with an AccessDenied or a blank HMAC key.
 */
export function unavailable<T extends object>(what: string): T {
  return new Proxy({} as T, {
    get(_target, property) {
      if (property === 'then') return undefined; // not a thenable: `await` passes it through
      return () => {
        throw new Error(`${what} is not available to this function (not granted by the stack)`);
      };
    },
  });
}
